//! DRS0339: an audit control whose bound AWS Backup Audit Manager cannot express.

use super::push_once;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0339",
    "audit-control-inexpressible",
    Warning,
    "an objective is finer than the AWS Backup audit control that would measure it",
    "## What it checks
Each region with backup plans gets an AWS Backup Audit Manager framework whose controls come
from the objectives: `BACKUP_LAST_RECOVERY_POINT_CREATED` takes the backup bound the RPO proof
relies on (the `rpo` where backups carry it, the shortest backup interval where replication
does), and `RESTORE_TIME_FOR_RESOURCES_MEET_TARGET` takes the `rto` in minutes. The first
counts in whole hours (1 to 744) or whole days (1 to 31); the second in whole minutes. A
bound neither expresses exactly, such as `rpo = 15m` or `rpo = 90m`, gets no control.

## Why it matters
drsc never rounds a site's value: a control at 1 hour would not measure a 15-minute RPO,
and one at a coarser bound would pass while the objective fails. Without the control,
production has no audit evidence for that objective.

## Example
```
site \"shop\" {
  rpo = 15m
}
```

## Fix
Measure the objective another way (replication metrics, restore tests), or state the
objective in whole hours (`rpo = 1h`) or whole minutes for the `rto`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        let NodeKind::BackupFramework(f) = &node.kind else {
            continue;
        };
        for (control, bound) in &f.inexpressible {
            let Some(span) = bound.span() else { continue };
            let unit = if *control == "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET" {
                "whole minutes"
            } else {
                "whole hours (1 to 744) or whole days (1 to 31)"
            };
            push_once(
                out,
                Some(
                    Diagnostic::new(
                        &CODE,
                        format!(
                            "the audit framework cannot measure this bound of {}: `{control}` counts in {unit}",
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
    fn a_restore_time_in_seconds_has_no_control() {
        let mut m = reference();
        m.site.rto = w(secs(3_630));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.site.rto.span);
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
