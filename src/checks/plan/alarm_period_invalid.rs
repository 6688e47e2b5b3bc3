//! DRS0330: a CloudWatch alarm period AWS rejects.

use super::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0330",
    "alarm-period-invalid",
    Error,
    "a CloudWatch alarm would evaluate over a period AWS rejects",
    "## What it checks
Every alarm drsc emits evaluates its metric over a period derived from the site (the failover
alarm's period is the failover's `probe_every`). CloudWatch accepts 10, 20 or 30 seconds or a
multiple of 60 (`std/limits` `cloudwatch_alarm_period`).

## Why it matters
CloudWatch rejects the alarm at deploy time, so the failover never triggers (R6, R17), and the
RTO estimate would be computed from a period that does not exist.

## Example
```
failover {
  probe_every = 90s
}
```

## Fix
Use a period AWS accepts, e.g. `probe_every = 1m` or `2m`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::Alarm(a) = &node.kind {
            push_once(
                out,
                outside(
                    cx,
                    &CODE,
                    "cloudwatch_alarm_period",
                    node,
                    &a.period_secs,
                    i64::from(*a.period_secs),
                    "CloudWatch alarm period",
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
    fn ninety_seconds_is_rejected_at_probe_every() {
        let mut m = reference();
        let fo = m.failover.as_mut().unwrap();
        fo.probe_every = w(crate::units::Duration::seconds(90));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.failover.as_ref().unwrap().probe_every.span);
        assert_eq!(
            diags[0].help.as_deref(),
            Some("AWS accepts 10s, 20s, 30s or a multiple of 1m; the nearest are `1m` and `2m`")
        );
    }

    #[test]
    fn the_reference_site_passes() {
        assert!(run_rule(check, &reference()).is_empty());
    }
}
