//! DRS0522: a backup plan without the isolated copy the profile demands.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0522",
    "isolated-copy-missing",
    Error,
    "a backup plan keeps no isolated copy, which the profile demands",
    "## What it checks
Where the profile sets `require_isolated_copy = true` (`std/finserv` in production),
every backup plan keeps an isolated copy of its recovery points: `isolated_copy = true`
(a logically air-gapped vault in the secondary region) or `isolated_vault = \"<ARN>\"`
(a vault in another account).

## Why it matters
Vault Lock (R14) keeps recovery points from being deleted, but an intruder holding the account
can still reach every vault in it, and its keys. The ransomware tier keeps one copy where
the account's own principals cannot delete it and from where another account can restore
it (<https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html>).

## Example
```
profile \"finserv\" { require_isolated_copy = true }
backup \"dr\" { covers = [ledger] }
```

## Fix
Add `isolated_copy = true` to the plan (or `isolated_vault` with the recovery account's
vault ARN)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(demand) = cx.profile.and_then(|p| p.require_isolated_copy.as_ref()) else {
        return;
    };
    if !demand.value {
        return;
    }
    for plan in &cx.model.backups {
        if plan.isolated_copy.value || plan.isolated_vault.is_some() {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "backup plan `{}` keeps no isolated copy; the profile demands one",
                        plan.name
                    ),
                ),
                &plan.isolated_copy,
                plan.span,
                "no isolated copy",
            )
            .also(demand.span, "the profile demands an isolated copy")
            .help("add `isolated_copy = true` to the plan (a logically air-gapped vault), or `isolated_vault = \"<vault ARN of another account>\"`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_plan_without_isolated_copy_under_finserv() {
        let mut m = reference();
        m.backups[0].isolated_copy = w(false);
        assert_one(&run_rule(check, &m), &CODE, m.backups[0].isolated_copy.span);
    }

    #[test]
    fn accepts_either_kind_of_isolated_copy() {
        assert_none(&run_rule(check, &reference()));
        let mut m = reference();
        m.backups[0].isolated_copy = w(false);
        m.backups[0].isolated_vault = Some(w(
            "arn:aws:backup:us-west-2:210987654321:backup-vault:dr".into(),
        ));
        assert_none(&run_rule(check, &m));
    }
}
