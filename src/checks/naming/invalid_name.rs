//! DRS0271: a physical name AWS rejects (too long, or a bad character).

use super::{invalid_suffix, physical_names};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0271",
    "physical-name-invalid",
    Error,
    "a physical name breaks an AWS naming rule",
    "## What it checks
drsc names resources `<label>-<type>-<environment>-<suffix>` (S3 buckets, IAM roles and
Aurora clusters add the region's short name, e.g. `-use1`). For each declaration the
longest name it produces must fit the AWS rule of its resource type:

| Resource | Length | Characters |
|---|---|---|
| S3 bucket | 3–63 | lowercase letters, digits, `-`, `.`; starts and ends alphanumeric |
| Aurora cluster / instance / global cluster id | 1–63 | letters, digits, `-`; starts with a letter; no `--`, no trailing `-` |
| DynamoDB table | 3–255 | letters, digits, `_ . -` |
| Lambda function | 1–64 | letters, digits, `_ -` |
| IAM role | 1–64 | letters, digits, `_+=,.@-` |
| Backup vault | 2–50 | letters, digits, `_ -` |

## Why it matters
R3 asks for a uniform naming scheme. A name over the limit is rejected by AWS at deploy
time, often after the other region's stack already exists.

## Example
```
bucket \"customer_identity_verification_documents\" {}
```
produces `customer-identity-verification-documents-bucket-production-txn01-use1`
(69 characters, over the S3 limit of 63).

## Fix
Shorten the label or the site's suffix. Labels ending in `_` or with `__` produce `--`,
which Aurora identifiers reject."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if invalid_suffix::problem(&cx.model.site.suffix.value).is_some() {
        return; // DRS0270 reports the suffix; every name would repeat it.
    }
    let names = physical_names(cx.model);
    let mut reported: Vec<crate::source::Span> = Vec::new();
    // Longest names first, so each declaration reports its worst name once.
    let mut failing: Vec<_> = names
        .iter()
        .filter_map(|n| n.rule.problem(&n.name).map(|p| (n, p)))
        .collect();
    failing.sort_by_key(|(n, _)| std::cmp::Reverse(n.name.len()));
    for (n, problem) in failing {
        if reported.contains(&n.decl) {
            continue;
        }
        reported.push(n.decl);
        let too_long = n.name.chars().count() > n.rule.max;
        let help = if too_long {
            let over = n.name.chars().count() - n.rule.max;
            format!(
                "shorten the label `{}` or the suffix by {over} characters",
                n.label
            )
        } else {
            format!("rename `{}` so the name fits the rule", n.label)
        };
        out.push(
            Diagnostic::new(&CODE, problem)
                .at(n.decl, format!("produces `{}`", n.name))
                .also(cx.model.site.suffix.span, "the suffix ends every name (R3)")
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_bucket_name_over_63() {
        let mut m = reference();
        m.buckets[0].name = "customer_identity_verification_documents".into();
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.buckets[0].span);
        assert!(
            diags[0].message.contains("69 characters"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn flags_double_dashes_in_aurora_ids() {
        let mut m = reference();
        m.databases[0].name = "ledger_".into();
        assert_one(&run_rule(check, &m), &CODE, m.databases[0].span);
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
