//! "Did you mean": the closest known name to an unknown one.

/// The best candidate within a similarity threshold; an exact
/// case-insensitive match wins. A candidate is close when few edits turn one
/// into the other (at most a third of the longer name), or when one is a
/// prefix of the other (`pitr_enabled` → `pitr`).
pub fn closest<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = unknown.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let cand = c.to_lowercase();
        if cand == lower {
            return Some(c);
        }
        let distance = strsim::damerau_levenshtein(&lower, &cand);
        let longest = lower.chars().count().max(cand.chars().count());
        let prefix = cand.len() >= 3
            && lower.len() >= 3
            && (lower.starts_with(&cand) || cand.starts_with(&lower));
        let close = distance * 3 <= longest.max(3) || prefix;
        if close && best.is_none_or(|(b, _)| distance < b) {
            best = Some((distance, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_names_only() {
        let names = ["aurora", "table", "bucket"];
        assert_eq!(closest("auroa", names), Some("aurora"));
        assert_eq!(closest("AURORA", names), Some("aurora"));
        assert_eq!(closest("zzz", names), None);
        assert_eq!(
            closest("pitr_enabled", ["pitr", "pitr_period"]),
            Some("pitr")
        );
        assert_eq!(closest("DRS9999", ["DRS0289", "DRS0001"]), None);
        assert_eq!(
            closest("std/nothing_like_it", ["std/engines", "std/regions"]),
            None
        );
    }
}
