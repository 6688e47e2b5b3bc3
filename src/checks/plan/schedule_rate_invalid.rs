//! DRS0333: an EventBridge schedule that is not whole minutes.

use super::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::{NodeKind, Trigger};

declare_code!(
    CODE,
    "DRS0333",
    "schedule-rate-invalid",
    Error,
    "an EventBridge schedule would run at a rate EventBridge cannot express",
    "## What it checks
The failover's probe runs on an EventBridge schedule `rate(N minutes)` whose period is the
failover's `probe_every`. EventBridge rates are whole minutes (`std/limits`
`eventbridge_rate`).

## Why it matters
A probe every 90 seconds cannot be scheduled; emitting `rate(1 minute)` instead would make the
detection term of the RTO estimate wrong (R6, R17).

## Example
```
failover {
  probe_every = 90s
}
```

## Fix
Use whole minutes, e.g. `probe_every = 1m` or `2m`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::EventRule(e) = &node.kind {
            if let Trigger::Rate(secs) = &e.trigger {
                push_once(
                    out,
                    outside(
                        cx,
                        &CODE,
                        "eventbridge_rate",
                        node,
                        secs,
                        i64::try_from(**secs).unwrap_or(i64::MAX),
                        "EventBridge schedule rate",
                    ),
                );
            }
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
        m.failover.as_mut().unwrap().probe_every = w(crate::units::Duration::seconds(90));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.failover.as_ref().unwrap().probe_every.span);
    }
}
