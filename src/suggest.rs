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
    let lower_len = lower.chars().count();
    let lower_counts = char_counts(&lower);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let cand = c.to_lowercase();
        if cand == lower {
            return Some(c);
        }
        let longest = lower_len.max(cand.chars().count());
        let prefix = cand.len() >= 3
            && lower.len() >= 3
            && (lower.starts_with(&cand) || cand.starts_with(&lower));
        // The edit distance is expensive (it allocates); skip it when a cheap lower
        // bound already rules the candidate out. Same answer, much less work when an
        // unknown name is reported many times (a generated file with 400,000 errors).
        let bound = match (&lower_counts, char_counts(&cand)) {
            (Some(a), Some(b)) => multiset_distance(a, &b),
            _ => 0,
        };
        let hopeless = bound * 3 > longest.max(3) || best.is_some_and(|(b, _)| bound >= b);
        if hopeless && !prefix {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&lower, &cand);
        let close = distance * 3 <= longest.max(3) || prefix;
        if close && best.is_none_or(|(b, _)| distance < b) {
            best = Some((distance, c));
        }
    }
    best.map(|(_, c)| c)
}

/// How often each byte occurs, for ASCII names (`None` otherwise).
fn char_counts(s: &str) -> Option<[u8; 128]> {
    let mut counts = [0u8; 128];
    for b in s.bytes() {
        let slot = counts.get_mut(usize::from(b))?;
        *slot = slot.saturating_add(1);
    }
    Some(counts)
}

/// A lower bound of the Damerau-Levenshtein distance: an insertion, deletion or
/// substitution changes each side's surplus of characters by at most one, and a
/// transposition changes neither.
fn multiset_distance(a: &[u8; 128], b: &[u8; 128]) -> usize {
    let (mut more, mut fewer) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        more += usize::from(x.saturating_sub(*y));
        fewer += usize::from(y.saturating_sub(*x));
    }
    more.max(fewer)
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

    /// The lower-bound shortcut gives the same answer as comparing every candidate.
    #[test]
    fn pruning_changes_no_answer() {
        let names = [
            "site",
            "key",
            "network",
            "aurora",
            "table",
            "bucket",
            "function",
            "backup",
            "dns",
            "failover",
            "monitoring",
            "profile",
            "defaults",
            "timing",
            "tabel",
        ];
        let unknowns = [
            "block",
            "tabel",
            "auroa",
            "bukcet",
            "ky",
            "netwrk",
            "functoin",
            "montoring",
            "zzz",
            "b",
            "",
            "siet",
            "DNS",
            "fail_over",
            "défaults",
            "tab",
        ];
        for u in unknowns {
            let lower = u.to_lowercase();
            let mut best: Option<(usize, &str)> = None;
            let mut exact = None;
            for c in names {
                if c == lower {
                    exact = Some(c);
                    break;
                }
                let d = strsim::damerau_levenshtein(&lower, c);
                let longest = lower.chars().count().max(c.chars().count());
                let prefix = c.len() >= 3
                    && lower.len() >= 3
                    && (lower.starts_with(c) || c.starts_with(&lower));
                if (d * 3 <= longest.max(3) || prefix) && best.is_none_or(|(b, _)| d < b) {
                    best = Some((d, c));
                }
            }
            assert_eq!(closest(u, names), exact.or(best.map(|(_, c)| c)), "{u}");
        }
    }
}
