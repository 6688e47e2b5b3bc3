//! DRS0331: a log group retention CloudWatch Logs rejects.

use super::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0331",
    "log-retention-invalid",
    Error,
    "a log group would keep logs for a number of days CloudWatch Logs rejects",
    "## What it checks
A function's `log_retention` becomes its log group's retention in days. CloudWatch Logs
accepts only a fixed list of day counts (`std/limits` `log_retention`: 1, 3, 5, 7, 14, 30,
60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).

## Why it matters
CloudFormation and Terraform fail at deploy time; rounding to an accepted value would keep
logs longer or shorter than the site says (R18).

## Example
```
function \"ingest\" {
  log_retention = 100d
}
```

## Fix
Choose an accepted value, e.g. `log_retention = 90d` or `120d`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::LogGroup(l) = &node.kind {
            push_once(
                out,
                outside(
                    cx,
                    &CODE,
                    "log_retention",
                    node,
                    &l.retention_days,
                    i64::from(*l.retention_days) * 86_400,
                    "log retention",
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
    fn a_hundred_days_is_rejected_at_log_retention() {
        let mut m = reference();
        m.functions[0].log_retention = w(days(100));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.functions[0].log_retention.span);
        assert!(
            diags[0]
                .help
                .as_deref()
                .is_some_and(|h| h.ends_with("the nearest are `90d` and `120d`")),
            "{diags:#?}"
        );
    }
}
