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
    let lower_counts = ascii_counts(&lower);
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
        let bound = lower_counts
            .as_ref()
            .and_then(|counts| multiset_distance(counts, lower.len(), &cand))
            .unwrap_or(0);
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

/// How often each byte occurs in an ASCII name (`None` otherwise).
fn ascii_counts(s: &str) -> Option<[u8; 128]> {
    let mut counts = [0u8; 128];
    for b in s.bytes() {
        let slot = counts.get_mut(usize::from(b))?;
        *slot = slot.checked_add(1)?;
    }
    Some(counts)
}

/// A lower bound of the Damerau-Levenshtein distance between the ASCII name of
/// `len` bytes counted in `counts` and `other`: an insertion, deletion or
/// substitution changes each side's surplus of characters by at most one, and a
/// transposition changes neither. `None` when `other` is not ASCII.
fn multiset_distance(counts: &[u8; 128], len: usize, other: &str) -> Option<usize> {
    let mut left = *counts;
    let mut surplus = 0;
    for b in other.bytes() {
        let slot = left.get_mut(usize::from(b))?;
        match slot.checked_sub(1) {
            Some(n) => *slot = n,
            None => surplus += 1,
        }
    }
    let matched = other.len() - surplus;
    Some((len - matched).max(surplus))
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
