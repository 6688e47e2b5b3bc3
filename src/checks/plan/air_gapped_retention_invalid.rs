//! DRS0523: a logically air-gapped vault whose minimum retention AWS rejects.

use super::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0523",
    "air-gapped-retention-invalid",
    Error,
    "the isolated copy's air-gapped vault would get a minimum retention AWS rejects",
    "## What it checks
With `isolated_copy = true` drsc creates a logically air-gapped vault whose `MinRetentionDays`
is the plan's shortest copy retention (`copy_retain`, else `retain`). AWS accepts at least 7
days (`std/limits` `air_gapped_vault_min_retention`; AWS Backup API reference,
`CreateLogicallyAirGappedBackupVault`).

## Why it matters
CloudFormation and Terraform fail to create the vault, and the plan keeps no isolated copy,
the ransomware tier of its vaults (R14).

## Example
```
backup \"dr\" {
  isolated_copy = true
  rule \"daily\" { every = 1d  retain = 3d }
}
```

## Fix
Keep the copies at least 7 days: `copy_retain = 7d` (or a longer `retain`)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::AirGappedVault(v) = &node.kind {
            push_once(
                out,
                outside(
                    cx,
                    &CODE,
                    "air_gapped_vault_min_retention",
                    node,
                    &v.min_retention_days,
                    i64::from(*v.min_retention_days) * 86_400,
                    "air-gapped vault minimum retention",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn the_reference_site_passes() {
        assert!(run_rule(check, &reference()).is_empty());
    }

    #[test]
    fn copies_kept_under_seven_days_are_rejected() {
        let mut m = reference();
        for r in &mut m.backups[0].rules {
            r.retain = w(days(3));
            r.copy_retain = None;
        }
        let diags = run_rule(check, &m);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(diags[0].message.contains("3d"), "{}", diags[0].message);
    }
}
