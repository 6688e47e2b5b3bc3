//! DRS0287: copies whose retention a locked destination vault rejects.

use super::lock_range;
use crate::checks::context::human;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0287",
    "copy-retention-outside-lock-range",
    Error,
    "a rule's copy retention lies outside the locked vault's retention range",
    "## What it checks
With Vault Lock, drsc locks both vaults of a plan to one retention range: from the plan's
shortest `retain` to its longest (`MinRetentionDays`, `MaxRetentionDays`). Every rule's
`copy_retain` lies inside that range.

## Why it matters
A locked vault rejects copy jobs whose lifecycle falls outside its range, so copies to
the secondary region (R12, R14) would fail, and only the `COPY_JOB_FAILED` alert would
tell. Letting them in would mean widening the lock of both vaults beyond what the
plan's own rules need, for example lowering the minimum that protects every recovery
point from early deletion (WORM, R28). On a site this rule accepts, the lock range drsc
emits is exactly the range of the `retain` values.

## Example
```
backup \"dr\" {
  vault_lock = compliance
  rule \"hourly\"  { every = 1h  retain = 35d  copy_retain = 14d }
  rule \"records\" { every = 7d  retain = 7y }
}
```
The locked range is 35d–7y, so 14-day copies are rejected.

## Fix
Keep `copy_retain` between the plan's shortest and longest `retain`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        let Some((min, max)) = lock_range(plan) else {
            continue;
        };
        let (lo, hi) = (min.value.as_secs(), max.value.as_secs());
        for rule in plan.rules.iter().filter(|r| r.copy.value) {
            let Some(c) = &rule.copy_retain else { continue };
            let secs = c.value.as_secs();
            let (bound, label) = if secs < lo {
                (min, "the lock's minimum retention")
            } else if secs > hi {
                (max, "the lock's maximum retention")
            } else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "rule `{}` keeps copies for {}, outside the locked vault's range {}–{}",
                        rule.name,
                        human(secs),
                        human(lo),
                        human(hi)
                    ),
                )
                .at(c.span, "copy jobs would fail")
                .also(bound.span, label)
                .also(plan.vault_lock.span, "Vault Lock enforces the range")
                .help(format!(
                    "keep `copy_retain` between {} and {} (R14)",
                    human(lo),
                    human(hi)
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_copies_beyond_the_maximum() {
        let mut m = reference();
        m.backups[0].rules[1].copy_retain = Some(w(years(8)));
        let span = m.backups[0].rules[1].copy_retain.as_ref().unwrap().span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn no_range_without_a_lock() {
        let mut m = reference();
        m.backups[0].rules[1].copy_retain = Some(w(years(8)));
        m.backups[0].vault_lock = w(crate::model::VaultLock::None);
        assert_none(&run_rule(check, &m));
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
