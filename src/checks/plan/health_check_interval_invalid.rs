//! DRS0332: a Route 53 health-check interval other than 10s or 30s.

use super::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0332",
    "health-check-interval-invalid",
    Error,
    "a Route 53 health check would run at an interval AWS rejects",
    "## What it checks
A `dns` block's `interval` becomes the health check's `RequestInterval`. Route 53 checks every
10 or 30 seconds and nothing else (`std/limits` `route53_health_check_interval`); the interval
cannot be changed after the health check exists.

## Why it matters
Route 53 rejects any other interval at deploy time, and the RTO estimate counts detection as
interval × `failure_threshold` (R15).

## Example
```
dns \"api\" {
  interval = 15s
}
```

## Fix
Write `interval = 10s` (fast, costs more) or `interval = 30s`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::HealthCheck(h) = &node.kind {
            push_once(
                out,
                outside(
                    cx,
                    &CODE,
                    "route53_health_check_interval",
                    node,
                    &h.interval_secs,
                    i64::from(*h.interval_secs),
                    "Route 53 health-check interval",
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
    fn fifteen_and_twenty_seconds_are_rejected() {
        for secs in [15, 20] {
            let mut m = reference();
            // The Lambda engine routes by weight and endpoint health checks.
            m.failover.as_mut().unwrap().engine = Some(w(crate::model::FailoverEngine::Lambda));
            m.dns[0].interval = w(crate::units::Duration::seconds(secs));
            let diags = run_rule(check, &m);
            assert_one(&diags, &CODE, m.dns[0].interval.span);
            assert!(diags[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("10s or 30s")));
        }
    }
}
