//! DRS0261: a tag key or value AWS rejects.

use super::{MAX_TAGS, SYSTEM_TAGS};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0261",
    "invalid-tag",
    Error,
    "a tag key or value is not accepted by AWS",
    "## What it checks
Each user tag follows the AWS tagging rules: keys of 1–128 characters not starting with
`aws:`, values of at most 256 characters, both made of letters, digits, spaces and
`_ . : / = + - @`; and a resource carries at most 50 tags, counting the `Environment`,
`DR-Role` and `Name` tags drsc adds.

## Why it matters
R4 asks for tags on every taggable resource. AWS rejects the whole resource when one tag
is invalid, so a bad tag fails every stack of the site, in both regions.

## Example
```
tags {
  \"aws:team\" = \"payments\"
  Owner      = \"platform#sre\"
}
```

## Fix
Rename the key (the `aws:` prefix is reserved) and use only the allowed characters."
);

/// Letters, digits, space separators (not tabs or line breaks) and `_ . : / = + - @`.
fn allowed(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

/// Why a tag is invalid, if it is.
pub fn problem(key: &str, value: &str) -> Option<String> {
    let klen = key.chars().count();
    if klen == 0 || klen > 128 {
        return Some(format!(
            "tag keys have 1–128 characters; `{key}` has {klen}"
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Some(format!("tag key `{key}` uses the reserved prefix `aws:`"));
    }
    if let Some(c) = key.chars().find(|c| !allowed(*c)) {
        return Some(format!("tag key `{key}` contains `{c}`"));
    }
    let vlen = value.chars().count();
    if vlen > 256 {
        return Some(format!(
            "the value of tag `{key}` has {vlen} characters; at most 256"
        ));
    }
    if let Some(c) = value.chars().find(|c| !allowed(*c)) {
        return Some(format!(
            "the value of tag `{key}` contains `{}`",
            c.escape_default()
        ));
    }
    None
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let tags = &cx.model.site.tags;
    for (key, v) in tags {
        if let Some(problem) = problem(key, &v.value) {
            out.push(
                Diagnostic::new(&CODE, problem)
                    .at(v.span, "AWS rejects this tag")
                    .help("tags use letters, digits, spaces and `_ . : / = + - @` (R4)"),
            );
        }
    }
    let user = tags
        .keys()
        .filter(|k| !SYSTEM_TAGS.contains(&k.as_str()))
        .count();
    let total = user + SYSTEM_TAGS.len();
    if total > MAX_TAGS {
        let Some((_, last)) = tags.iter().next_back() else {
            return;
        };
        out.push(
            Diagnostic::new(
                &CODE,
                format!("resources would carry {total} tags; AWS allows {MAX_TAGS}"),
            )
            .at(last.span, "one tag too many")
            .help(format!(
                "drop user tags so at most {} remain beside `Environment`, `DR-Role` and `Name`",
                MAX_TAGS - SYSTEM_TAGS.len()
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_reserved_prefixes_and_bad_characters() {
        assert!(problem("aws:team", "x").is_some());
        assert!(problem("Owner", "a#b").is_some());
        assert!(problem("", "x").is_some());
        assert!(problem(&"k".repeat(129), "x").is_some());
        assert!(problem("k", &"v".repeat(257)).is_some());
        assert!(problem("DR-Tier", "gold \"A\"").is_some());
        assert!(problem("Unicode", "café ✓").is_some());
        assert!(problem("Unicode", "café").is_none());
        assert!(problem("Tab", "a\tb").is_some());
        assert!(problem("Space", "a b").is_none());
        assert!(problem("CostCenter", "payments-4711").is_none());
        assert!(problem("Path", "a/b:c=d+e@f_g.h").is_none());
    }

    #[test]
    fn reports_at_the_tag() {
        let mut m = reference();
        m.site.tags.insert("aws:team".into(), w("payments".into()));
        let span = m.site.tags["aws:team"].span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn counts_the_system_tags() {
        let mut m = reference();
        for i in 0..(MAX_TAGS - SYSTEM_TAGS.len() - 3) {
            m.site.tags.insert(format!("T{i:02}"), w("x".into()));
        }
        assert_none(&run_rule(check, &m));
        m.site.tags.insert("Z".into(), w("x".into()));
        assert_eq!(run_rule(check, &m).len(), 1);
    }

    #[test]
    fn accepts_the_reference_tags() {
        assert_none(&run_rule(check, &reference()));
    }
}
