//! DRS0289: continuous backups kept longer than AWS allows.

use crate::checks::context::human;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

/// Continuous (PITR) backups are kept 1–35 days.
pub const MAX_CONTINUOUS_SECS: u64 = 35 * 86_400;

declare_code!(
    CODE,
    "DRS0289",
    "continuous-retention-too-long",
    Error,
    "a continuous-backup rule keeps recovery points longer than 35 days",
    "## What it checks
A rule with `continuous = true` has `retain` of at most 35 days.

## Why it matters
AWS Backup keeps continuous (point-in-time) backups for 1 to 35 days and rejects longer
lifecycles. Long-term retention (R28) needs a separate snapshot rule. Note also that
cross-region copies of continuous backups are snapshots: the secondary region gets no
point-in-time restore (R12).

## Example
```
rule \"pitr\" { every = 1h  retain = 90d  continuous = true }
```

## Fix
Set `retain = 35d` or less, and keep long-term copies in a separate rule."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        for rule in plan.rules.iter().filter(|r| r.continuous.value) {
            let secs = rule.retain.value.as_secs();
            if secs <= MAX_CONTINUOUS_SECS {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "continuous backups of rule `{}` are kept {}; AWS allows at most 35d",
                        rule.name,
                        human(secs)
                    ),
                )
                .at(rule.retain.span, "longer than 35d")
                .also(rule.continuous.span, "continuous backups")
                .help("set `retain = 35d` and add a snapshot rule for long-term retention"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_long_continuous_retention() {
        let mut m = reference();
        m.backups[0].rules[1].continuous = w(true);
        assert_one(
            &run_rule(check, &m),
            &CODE,
            m.backups[0].rules[1].retain.span,
        );
    }

    #[test]
    fn accepts_35_days() {
        let mut m = reference();
        m.backups[0].rules[0].continuous = w(true);
        assert_none(&run_rule(check, &m));
    }
}
