//! DRS0326: a failover configured as a switchover, which needs a healthy primary.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0326",
    "failover-needs-healthy-primary",
    Warning,
    "`allow_data_loss = false` makes the failover a switchover, which fails in a regional outage",
    "## What it checks
The failover block keeps `allow_data_loss = true` (the default).

## Why it matters
R6 asks for an automated promotion when the primary region fails. With
`allow_data_loss = false` the function calls `SwitchoverGlobalCluster`, which waits
until the secondary has caught up and needs every cluster healthy: it is meant for
planned region rotation. In a real outage the primary cannot answer, the switchover
fails, and the secondary is never promoted. The data lost by a failover with data loss
is the replication lag, typically under a second (R2).

## Example
```
failover {
  database        = ledger
  allow_data_loss = false
}
```

## Fix
Keep `allow_data_loss = true`, and use switchover by hand for planned moves and
fail-back."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fo) = &cx.model.failover else { return };
    if fo.allow_data_loss.value {
        return;
    }
    out.push(
        at_value(
            Diagnostic::new(
                &CODE,
                "the failover is a switchover, which needs a healthy primary region",
            ),
            &fo.allow_data_loss,
            fo.span,
            "switchover, not failover",
        )
        .help(
            "set `allow_data_loss = true` so the secondary can be promoted during an outage (R6)",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn warns_on_switchover() {
        let mut m = reference();
        m.failover.as_mut().unwrap().allow_data_loss = w(false);
        let span = m.failover.as_ref().unwrap().allow_data_loss.span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_failover() {
        assert_none(&run_rule(check, &reference()));
    }
}
