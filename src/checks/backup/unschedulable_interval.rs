//! DRS0288: a backup interval AWS Backup cannot schedule.

use crate::checks::context::human;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0288",
    "backup-interval-unschedulable",
    Error,
    "a backup interval cannot be written as an AWS Backup schedule",
    "## What it checks
`every` is a whole number of hours that divides a day (1h, 2h, 3h, 4h, 6h, 8h, 12h),
or 1d, 7d or 1y.

## Why it matters
drsc turns `every` into a cron expression (`cron(0 */2 ? * * *)` for 2h). Other
intervals, such as 5h or 36h, have no cron expression that runs at an even pace: a 5-hour
cron restarts at midnight and leaves a 4-hour gap, which breaks the RPO arithmetic (R2,
R12).

## Example
```
rule \"frequent\" { every = 5h  retain = 35d }
```

## Fix
Use the next shorter schedulable interval, e.g. `every = 4h`."
);

/// Whether `secs` is an interval drsc can schedule.
pub fn schedulable(secs: u64) -> bool {
    const HOUR: u64 = 3_600;
    let hourly = secs % HOUR == 0 && (1..=12).contains(&(secs / HOUR)) && 24 % (secs / HOUR) == 0;
    hourly || [86_400, 7 * 86_400, 365 * 86_400].contains(&secs)
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        for rule in &plan.rules {
            let secs = rule.every.value.as_secs();
            if schedulable(secs) {
                continue;
            }
            let shorter = [
                365 * 86_400,
                7 * 86_400,
                86_400,
                12 * 3_600,
                8 * 3_600,
                6 * 3_600,
                4 * 3_600,
                3 * 3_600,
                2 * 3_600,
                3_600,
            ]
            .into_iter()
            .find(|s| *s <= secs)
            .unwrap_or(3_600);
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!("AWS Backup cannot run a backup every {}", human(secs)),
                )
                .at(rule.every.span, "no even cron schedule")
                .help(format!(
                    "use 1h–12h dividing a day, 1d, 7d or 1y, e.g. `every = {}`",
                    human(shorter)
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
    fn schedulable_intervals() {
        for h in [1, 2, 3, 4, 6, 8, 12, 24, 168] {
            assert!(schedulable(h * 3_600), "{h}h");
        }
        for h in [5, 7, 9, 36] {
            assert!(!schedulable(h * 3_600), "{h}h");
        }
        assert!(schedulable(365 * 86_400));
    }

    #[test]
    fn flags_5h() {
        let mut m = reference();
        m.backups[0].rules[0].every = w(hours(5));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].rules[0].every.span);
        assert!(diags[0].help.as_deref().unwrap().contains("4h"));
    }
}
