//! DRS0325: a failover function timeout shorter than its work.

use crate::checks::context::{at_value, human};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0325",
    "failover-timeout-too-short",
    Warning,
    "the failover function's timeout is shorter than its expected run time",
    "## What it checks
The failover block's `timeout` is at least the cold start plus the orchestration budget
from `std/timing` (`lambda_cold_start` + `failover_orchestration`).

## Why it matters
R6: the failover function describes the global cluster, reads the lag, calls
`FailoverGlobalCluster` and updates the DNS weights. If Lambda stops it half way, the
database may be promoted while traffic still goes to the dead region.

## Example
```
failover {
  database = ledger
  timeout  = 30s
}
```

## Fix
Raise `timeout` (the default is 5m)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fo) = &cx.model.failover else { return };
    let cat = &cx.model.catalog;
    let (Some(work), Some(cold)) = (
        cat.timing("failover_orchestration"),
        cat.timing("lambda_cold_start"),
    ) else {
        return;
    };
    let need = work.value.as_secs() + cold.value.as_secs();
    if fo.timeout.value.as_secs() >= need {
        return;
    }
    out.push(
        at_value(
            Diagnostic::new(
                &CODE,
                format!(
                    "the failover function may be stopped after {}; its work takes about {}",
                    human(fo.timeout.value.as_secs()),
                    human(need)
                ),
            ),
            &fo.timeout,
            fo.span,
            "timeout",
        )
        .also(work.span, "the orchestration budget")
        .help(format!(
            "set `timeout = {}` or more",
            human(need.div_ceil(60) * 60)
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn warns_on_30s() {
        let mut m = reference();
        m.failover.as_mut().unwrap().timeout = w(secs(30));
        let span = m.failover.as_ref().unwrap().timeout.span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_the_default() {
        assert_none(&run_rule(check, &reference()));
    }
}
