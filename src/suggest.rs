//! "Did you mean": the closest known name to an unknown one.

/// The best candidate within a similarity threshold; an exact
/// case-insensitive match wins.
pub fn closest<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = unknown.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c.to_lowercase() == lower {
            return Some(c);
        }
        let score = strsim::jaro_winkler(&lower, &c.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
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
    }
}
