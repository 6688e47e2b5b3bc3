//! DRS0286: recovery points deleted less than 90 days after moving to cold storage.

use super::copy_retain;
use crate::checks::context::human;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

/// AWS Backup keeps cold-storage recovery points at least this long (90 days).
pub const COLD_MINIMUM_SECS: u64 = 90 * 86_400;

declare_code!(
    CODE,
    "DRS0286",
    "cold-storage-too-short",
    Error,
    "recovery points would leave cold storage within 90 days",
    "## What it checks
For a rule with `cold_after`, `retain` is at least `cold_after + 90d`, and so is the
copies' retention (`copy_retain`, or `retain` when absent) when the rule copies.

## Why it matters
AWS Backup requires `DeleteAfterDays ≥ MoveToColdStorageAfterDays + 90` and rejects the
plan otherwise, so long-term retention (R28) never deploys.

## Example
```
rule \"records\" {
  every      = 7d
  retain     = 120d
  cold_after = 90d
}
```

## Fix
Raise `retain` to at least `cold_after + 90d`, or move to cold storage earlier."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        for rule in &plan.rules {
            let Some(cold) = &rule.cold_after else {
                continue;
            };
            let need = cold.value.as_secs() + COLD_MINIMUM_SECS;
            let mut values = vec![("retain", &rule.retain)];
            if rule.copy.value && rule.copy_retain.is_some() {
                values.push(("copy_retain", copy_retain(rule)));
            }
            for (attr, v) in values {
                if v.value.as_secs() >= need {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &CODE,
                        format!(
                            "rule `{}` deletes recovery points after {}, less than 90 days after cold storage at {}",
                            rule.name,
                            human(v.value.as_secs()),
                            human(cold.value.as_secs())
                        ),
                    )
                    .at(v.span, format!("{attr} shorter than cold_after + 90d"))
                    .also(cold.span, "moved to cold storage here")
                    .help(format!(
                        "set `{attr} = {}` or more, or lower `cold_after`",
                        human(need)
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_retention_within_90_days_of_cold() {
        let mut m = reference();
        m.backups[0].rules[1].retain = w(days(120));
        m.backups[0].rules[1].copy_retain = None;
        assert_one(
            &run_rule(check, &m),
            &CODE,
            m.backups[0].rules[1].retain.span,
        );
    }

    #[test]
    fn accepts_exactly_90_days() {
        let mut m = reference();
        m.backups[0].rules[1].retain = w(days(180));
        m.backups[0].rules[1].copy_retain = None;
        assert_none(&run_rule(check, &m));
    }
}
