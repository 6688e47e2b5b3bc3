//! DRS0339: a recovery-point age AWS Backup Audit Manager cannot express.

use super::push_once;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0339",
    "audit-control-inexpressible",
    Warning,
    "the RPO's backup bound is one the AWS Backup recovery-point age control cannot express",
    "## What it checks
Each region with backup plans gets an AWS Backup Audit Manager framework whose controls come
from the objectives: `BACKUP_LAST_RECOVERY_POINT_CREATED` takes the backup bound the RPO proof
relies on (the `rpo` where backups carry it, the shortest backup interval where replication
does). The control counts in whole hours (1 to 744) or whole days (1 to 31); a bound neither
expresses exactly, such as `rpo = 15m`, `rpo = 90m` or `rpo = 40d`, gets no control. (An `rto`
that is not whole minutes likewise gets no `RESTORE_TIME_FOR_RESOURCES_MEET_TARGET`; the
generated README lists it.)

## Why it matters
drsc never rounds a site's value: a control at 1 hour would not measure a 15-minute RPO,
and one at a coarser bound would pass while the objective fails. Without the control,
production has no audit evidence for that objective (R36).

## Example
```
site \"shop\" {
  rpo = 15m
}
```

## Fix
Measure the objective another way (replication metrics, restore tests), or state the
`rpo` in whole hours or days (`rpo = 2h`)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        let NodeKind::BackupFramework(f) = &node.kind else {
            continue;
        };
        // A restore time that is not whole minutes is left out too (the README
        // says so); only the recovery-point age, the RPO's measure, is reported.
        for (control, bound) in &f.inexpressible {
            if *control != "BACKUP_LAST_RECOVERY_POINT_CREATED" {
                continue;
            }
            let Some(span) = bound.span() else { continue };
            let unit = "whole hours (1 to 744) or whole days (1 to 31)";
            push_once(
                out,
                Some(
                    Diagnostic::new(
                        &CODE,
                        format!(
                            "the audit framework cannot measure a recovery-point age of {}: `{control}` counts in {unit}",
                            crate::units::humanize_secs(**bound)
                        ),
                    )
                    .at(span, "no audit control for this bound")
                    .help(format!(
                        "the frameworks are emitted without `{control}`; state the bound in {unit}, or measure it another way"
                    )),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::Replication;

    #[test]
    fn a_restore_time_in_seconds_is_left_out_without_a_warning() {
        let mut m = reference();
        m.site.rto = w(secs(3_630));
        assert!(run_rule(check, &m).is_empty());
    }

    #[test]
    fn an_rpo_of_150_minutes_carried_by_backups_has_no_control() {
        let mut m = reference();
        for b in &mut m.buckets {
            b.replication = w(Replication::None);
        }
        m.site.rpo = w(mins(150));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.site.rpo.span);
    }

    #[test]
    fn an_rpo_under_an_hour_carried_by_backups_has_no_control() {
        let mut m = reference();
        for b in &mut m.buckets {
            b.replication = w(Replication::None);
        }
        m.site.rpo = w(mins(30));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.site.rpo.span);
    }

    #[test]
    fn the_reference_site_is_measured() {
        assert!(run_rule(check, &reference()).is_empty());
    }
}
