//! DRS0500: restore tests scheduled more often than the backups they test.

use crate::checks::context::{at_value, human};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::RestoreTests;

declare_code!(
    CODE,
    "DRS0500",
    "restore-test-too-frequent",
    Error,
    "restore tests would run more often than the backups they test",
    "## What it checks
A backup plan's `restore_tests` schedule (`daily`, `weekly`, `monthly`) runs no more often
than the plan's most frequent rule: every run of the restore testing plan should find a
recovery point newer than the last one it restored.

## Why it matters
Restore testing restores the latest recovery point in the secondary region's vault
(`LATEST_WITHIN_WINDOW`). Tested more often than backed up, it restores the same point
again and again: each run costs a full restore (Aurora cluster hours, DynamoDB table
storage, S3 requests) and proves nothing new (R36).

## Example
```
backup \"dr\" {
  covers        = [ledger]
  restore_tests = daily
  rule \"weekly\" { every = 7d  retain = 35d }
}
```

## Fix
Test at most as often as the most frequent rule backs up, e.g. `restore_tests = weekly`
for weekly backups, or add a more frequent rule."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        let Some(interval) = plan.restore_tests.value.min_interval_secs() else {
            continue;
        };
        let Some(shortest) = plan.rules.iter().min_by_key(|r| r.every.value.as_secs()) else {
            continue;
        };
        let every = shortest.every.value.as_secs();
        if interval >= every {
            continue;
        }
        let valid: Vec<String> = RestoreTests::not_shorter_than(every)
            .iter()
            .map(|t| format!("`restore_tests = {}`", t.as_str()))
            .chain(std::iter::once("`restore_tests = off`".to_string()))
            .collect();
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "backup plan `{}` is restore-tested {} but backs up only every {}",
                        plan.name,
                        plan.restore_tests.value.as_str(),
                        human(every)
                    ),
                ),
                &plan.restore_tests,
                plan.span,
                "more often than any backup",
            )
            .also(shortest.every.span, "the most frequent backup rule")
            .help(format!(
                "test no more often than the plan backs up: {}",
                valid.join(" or ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn daily_tests_of_weekly_backups_are_rejected() {
        let mut m = reference();
        m.backups[0]
            .rules
            .retain(|r| r.every.value.as_secs() >= 7 * 86_400);
        m.backups[0].rules.push(rule("weekly", days(7), days(35)));
        m.backups[0].restore_tests = w(RestoreTests::Daily);
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].restore_tests.span);
        let help = diags[0].help.as_deref().unwrap();
        assert!(help.contains("`restore_tests = weekly`"), "{help}");
        assert!(!help.contains("daily"), "{help}");
    }

    #[test]
    fn monthly_tests_of_hourly_backups_are_accepted() {
        assert_none(&run_rule(check, &reference()));
    }
}
