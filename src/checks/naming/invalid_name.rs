//! DRS0271: a physical name AWS rejects (too long, or a bad character).

use super::invalid_suffix;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::source::Span;

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

/// Every physical name of the plan: the names lowering gave the graph's nodes
/// (a DB cluster's instances too), with the declaration each comes from.
fn plan_names<'g>(cx: &Context<'g>) -> Vec<(String, &'static super::NameRule, Option<Span>)> {
    let mut out = Vec::new();
    for node in &cx.graph.nodes {
        let Some(rule) = super::rule_of(&node.kind) else {
            continue;
        };
        out.push((node.name.clone(), rule, node.origin));
        if let crate::graph::NodeKind::DbCluster(c) = &node.kind {
            out.extend(
                c.instances
                    .iter()
                    .map(|i| (i.identifier.clone(), rule, node.origin)),
            );
        }
    }
    out
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if invalid_suffix::problem(&cx.model.site.suffix.value).is_some() {
        return; // DRS0270 reports the suffix; every name would repeat it.
    }
    let suffix = cx.model.site.suffix.span;
    let mut failing: Vec<_> = plan_names(cx)
        .into_iter()
        .filter_map(|(name, rule, decl)| rule.problem(&name).map(|p| (name, rule, decl, p)))
        .collect();
    // Longest names first, so each declaration reports its worst name once.
    failing.sort_by_key(|(name, ..)| std::cmp::Reverse(name.len()));
    let mut reported: Vec<Option<Span>> = Vec::new();
    for (name, rule, decl, problem) in failing {
        if reported.contains(&decl) {
            continue;
        }
        reported.push(decl);
        let over = name.chars().count().saturating_sub(rule.max);
        let help = if over > 0 {
            format!("shorten the declaration's label or the site's suffix by {over} characters")
        } else {
            "rename the declaration so the name fits the rule".to_string()
        };
        let d = Diagnostic::new(&CODE, problem).help(help);
        out.push(match decl {
            Some(decl) => d
                .at(decl, format!("produces `{name}`"))
                .also(suffix, "the suffix ends every name (R3)"),
            None => d.at(suffix, format!("the suffix ends `{name}` (R3)")),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_the_worst_name_of_a_declaration_once() {
        // The bucket name (69) breaks S3's 63; its replication roles (74, and
        // 79 for the secondary's, which carries the region) break IAM's 64.
        let mut m = reference();
        m.buckets[0].name = "customer_identity_verification_documents".into();
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.buckets[0].span);
        assert!(
            diags[0].message.contains("IAM role name")
                && diags[0].message.contains("79 characters"),
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
