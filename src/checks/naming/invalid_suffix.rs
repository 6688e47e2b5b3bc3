//! DRS0270: an environment suffix that cannot end a physical name.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0270",
    "invalid-suffix",
    Error,
    "the site's suffix is not lowercase letters, digits and single dashes",
    "## What it checks
The site's `suffix` is not empty, uses only lowercase ASCII letters, digits and `-`,
starts and ends with a letter or digit, and has no `--`.

## Why it matters
R3 names every resource `resource-type-environment-suffix`. The suffix ends S3 bucket
names (lowercase only), Aurora identifiers (no `--`, no trailing `-`) and Lambda names,
so one bad character breaks every stack of the site.

## Example
```
site \"transactions\" {
  suffix = \"TXN_01\"
}
```

## Fix
Use something like `suffix = \"txn01\"`."
);

/// Why a suffix is invalid, if it is.
pub fn problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("the suffix is empty".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!("the suffix `{s}` contains `{c}`"));
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Some(format!("the suffix `{s}` starts or ends with `-`"));
    }
    if s.contains("--") {
        return Some(format!("the suffix `{s}` contains `--`"));
    }
    None
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let suffix = &cx.model.site.suffix;
    if let Some(p) = problem(&suffix.value) {
        let fixed: String = suffix
            .value
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let fixed = fixed.trim_matches('-').to_string();
        let help = if problem(&fixed).is_none() {
            format!("use lowercase letters, digits and `-`, e.g. `suffix = \"{fixed}\"`")
        } else {
            "use lowercase letters, digits and `-`, e.g. `suffix = \"txn01\"`".to_string()
        };
        out.push(
            Diagnostic::new(&CODE, p)
                .at(suffix.span, "ends every physical name (R3)")
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_bad_suffixes() {
        for bad in ["", "TXN01", "txn_01", "-txn", "txn-", "a--b"] {
            assert!(problem(bad).is_some(), "{bad}");
        }
        let mut m = reference();
        m.site.suffix = w("TXN_01".into());
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.site.suffix.span);
        assert!(diags[0].help.as_deref().unwrap().contains("\"txn01\""));
    }

    #[test]
    fn accepts_good_suffixes() {
        for good in ["txn01", "a", "eu-2"] {
            assert!(problem(good).is_none(), "{good}");
        }
    }
}
