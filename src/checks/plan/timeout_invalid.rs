//! DRS0334: a Lambda timeout AWS rejects.

use super::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0334",
    "function-timeout-invalid",
    Error,
    "a Lambda function would get a timeout AWS rejects",
    "## What it checks
Every function's timeout, the site's and the failover function's (from the failover's
`timeout`), is 1 second to 15 minutes in whole seconds (`std/limits` `lambda_timeout`). drsc
emits the value as written: a short failover timeout is the site's choice (DRS0325 warns).

## Why it matters
Lambda rejects other timeouts at deploy time (R10).

## Example
```
function \"ingest\" {
  timeout = 20m
}
```

## Fix
Use a timeout of at most `15m`; move longer work to a queue or a state machine."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::Function(f) = &node.kind {
            push_once(
                out,
                outside(
                    cx,
                    &CODE,
                    "lambda_timeout",
                    node,
                    &f.timeout_secs,
                    i64::from(*f.timeout_secs),
                    "Lambda timeout",
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
    fn the_reference_site_passes() {
        assert!(run_rule(check, &reference()).is_empty());
    }
}
