//! DRS0212: fewer than two instances per region.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0212",
    "aurora-single-instance",
    Error,
    "an Aurora cluster has fewer than two instances per region",
    "## What it checks
`instances` is at least 2, so each regional cluster has a writer (or reader) and a
standby in another availability zone.

## Why it matters
R27 forbids single points of failure for critical components. With one instance, an
availability-zone failure or a routine patch takes the database down and turns a local
incident into a cross-region failover.

## Example
```
aurora \"ledger\" {
  instances = 1
}
```

## Fix
Set `instances = 2` or more; drsc spreads them over the network's zones."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for db in &cx.model.databases {
        let n = &db.instances;
        if n.value >= 2 {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "`{}` has {} instance{} per region; a single point of failure",
                        db.name,
                        n.value,
                        if n.value == 1 { "" } else { "s" }
                    ),
                ),
                n,
                db.span,
                "fewer than 2 instances",
            )
            .help("set `instances = 2` so each region keeps a standby in another zone (R27)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_one_instance() {
        let mut m = reference();
        m.databases[0].instances = w(1);
        assert_one(&run_rule(check, &m), &CODE, m.databases[0].instances.span);
    }

    #[test]
    fn accepts_two() {
        assert_none(&run_rule(check, &reference()));
    }
}
