//! DRS0502: restore tests turned off where the profile requires them.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::RestoreTests;

declare_code!(
    CODE,
    "DRS0502",
    "restore-tests-required",
    Error,
    "a backup plan has restore tests turned off where the profile requires them",
    "## What it checks
With a profile that sets `require_restore_tests = true` (`std/finserv` does in
production), every backup plan runs restore tests: `restore_tests` is not `off`.

## Why it matters
A recovery point in a vault is a necessary condition for recovery, not a sufficient one.
Restore tests restore the latest recovery point in the secondary region on a schedule,
validate that it answers, and keep the result (and the restore time, against the RTO) as
evidence for auditors (R36).

## Example
```
backup \"dr\" {
  covers        = [ledger]
  restore_tests = off
}
```

## Fix
Remove `restore_tests = off` (the default is `monthly`) or choose `daily` or `weekly`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(demand) = cx.demands(|p| p.require_restore_tests.as_ref()) else {
        return;
    };
    for plan in &cx.model.backups {
        if plan.restore_tests.value != RestoreTests::Off {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!("backup plan `{}` has restore tests turned off", plan.name),
                ),
                &plan.restore_tests,
                plan.span,
                "restore tests off",
            )
            .also(demand, "the profile requires restore tests")
            .help("remove `restore_tests = off` (the default is `monthly`), or set `restore_tests = weekly`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn off_is_an_error_under_finserv() {
        let mut m = reference();
        m.backups[0].restore_tests = w(RestoreTests::Off);
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].restore_tests.span);
    }

    #[test]
    fn off_is_accepted_without_the_demand() {
        let mut m = reference();
        m.profile = None;
        m.backups[0].restore_tests = w(RestoreTests::Off);
        assert_none(&run_rule(check, &m));
    }
}
