//! DRS0501: a restore-test validation window AWS rejects.

use crate::checks::plan::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0501",
    "restore-validation-window-invalid",
    Error,
    "a restore test's validation window is outside what AWS Backup accepts",
    "## What it checks
A backup plan's `restore_validate_within` becomes the `ValidationWindowHours` of each of
its restore testing selections: whole hours from 1h to 168h (7 days), `std/limits`
`restore_validation_window`. (A value that is not whole hours is DRS0910.)

## Why it matters
AWS Backup rejects a selection outside 0–168 hours, so the deployment fails; a window of 0
would delete the restored resource before drsc's validation function can check it (R36).

## Example
```
backup \"dr\" {
  covers                  = [ledger]
  restore_validate_within = 10d
}
```

## Fix
Choose whole hours up to a week, e.g. `restore_validate_within = 4h` or `168h`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        let NodeKind::RestoreTestingPlan(p) = &node.kind else {
            continue;
        };
        for s in &p.selections {
            let hours = &s.validation_window_hours;
            push_once(
                out,
                outside(
                    cx,
                    &CODE,
                    "restore_validation_window",
                    node,
                    hours,
                    i64::from(**hours) * 3_600,
                    "restore-test validation window",
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
    fn ten_days_is_rejected_at_the_attribute() {
        let mut m = reference();
        m.backups[0].restore_validate_within = w(days(10));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].restore_validate_within.span);
        assert!(
            diags[0].help.as_deref().unwrap().contains("`7d`"),
            "{:?}",
            diags[0].help
        );
    }

    #[test]
    fn four_hours_is_accepted() {
        assert_none(&run_rule(check, &reference()));
    }
}
