//! DRS0285: a backup plan whose Vault Lock is weaker than the profile demands.

use super::{lock_name, lock_strength};
use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0285",
    "vault-lock-weaker-than-profile",
    Error,
    "a backup plan's Vault Lock mode is weaker than the profile demands",
    "## What it checks
Every plan's `vault_lock` is at least as strong as the profile's `vault_lock`:
`compliance` > `governance` > `none`.

## Why it matters
R14 and R28 ask for WORM retention where the compliance profile demands it. Only
`compliance` mode makes recovery points undeletable, even by the account root, once the
cooling-off period (`lock_changeable_for`, at least 3 days) ends; Cohasset assessed it
for SEC 17a-4, CFTC and FINRA.

## Example
```
profile \"finserv\" { vault_lock = compliance }
backup \"dr\" { vault_lock = none }
```

## Fix
Set `vault_lock = compliance` on the plan."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(demand) = cx.profile.and_then(|p| p.vault_lock.as_ref()) else {
        return;
    };
    for plan in &cx.model.backups {
        let lock = &plan.vault_lock;
        if lock_strength(lock.value) >= lock_strength(demand.value) {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "backup plan `{}` uses Vault Lock `{}`; the profile demands `{}`",
                        plan.name,
                        lock_name(lock.value),
                        lock_name(demand.value)
                    ),
                ),
                lock,
                plan.span,
                format!("`{}` lock", lock_name(lock.value)),
            )
            .also(demand.span, "the profile's Vault Lock mode")
            .help(format!(
                "set `vault_lock = {}` (R14)",
                lock_name(demand.value)
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::VaultLock;

    #[test]
    fn flags_no_lock_under_finserv() {
        let mut m = reference();
        m.backups[0].vault_lock = w(VaultLock::None);
        assert_one(&run_rule(check, &m), &CODE, m.backups[0].vault_lock.span);
        m.backups[0].vault_lock = w(VaultLock::Governance);
        assert_one(&run_rule(check, &m), &CODE, m.backups[0].vault_lock.span);
    }

    #[test]
    fn a_default_lock_points_at_the_plan() {
        let mut m = reference();
        m.backups[0].vault_lock = dflt(VaultLock::None);
        assert_one(&run_rule(check, &m), &CODE, m.backups[0].span);
    }

    #[test]
    fn accepts_compliance() {
        assert_none(&run_rule(check, &reference()));
    }
}
