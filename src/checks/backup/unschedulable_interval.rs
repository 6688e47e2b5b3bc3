//! DRS0288: a backup interval AWS Backup cannot schedule.

use crate::checks::context::human;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::backup_schedule;

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

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        for rule in &plan.rules {
            let secs = rule.every.value.as_secs();
            if backup_schedule::cron(secs).is_some() {
                continue;
            }
            let shorter = backup_schedule::at_most(secs);
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
    fn flags_5h() {
        let mut m = reference();
        m.backups[0].rules[0].every = w(hours(5));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].rules[0].every.span);
        assert!(diags[0].help.as_deref().unwrap().contains("4h"));
    }
}
