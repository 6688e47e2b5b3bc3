//! DRS0514: the drill's route isolation would start the automatic failover.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;
use crate::model::FailoverMode;

declare_code!(
    CODE,
    "DRS0514",
    "drill-fails-site-over",
    Warning,
    "the drill's route isolation alone would start the automatic failover",
    "## What it checks
The drill cuts the routes from the primary VPC's subnets to the secondary region, so the
secondary region's peering probe loses the primary writer. With a `dns` block the failover
starts only when the primary's public front door fails too (a composite alarm); without one,
the peering probe alone starts an automatic failover.

## Why it matters
The drill would promote the secondary with `FailoverGlobalCluster` (data loss allowed)
instead of rehearsing the graceful path, and leave the site failed over (R6, R37).

## Example
```
failover {
  database = ledger
  mode     = automatic
}
drill {
  duration = 30m
}
```

## Fix
Give the failover a `dns` block (the front door becomes the second signal), or set
`mode = manual` while the site drills."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(drill) = super::enabled(cx) else {
        return;
    };
    let Some(fo) = &cx.model.failover else { return };
    if fo.dns.is_some() || fo.mode.value != FailoverMode::Automatic {
        return;
    }
    let isolates_routes = cx.graph.nodes.iter().any(|n| {
        matches!(&n.kind, NodeKind::DrillTemplate(d)
            if d.actions.iter().any(|a| a.action_id == crate::lower::drill::ROUTES_ACTION))
    });
    if !isolates_routes {
        return;
    }
    out.push(
        Diagnostic::new(
            &CODE,
            "the drill cuts the peering the failover probe watches: the automatic failover would start during the drill",
        )
        .at(drill.span, "isolates the primary's routes")
        .also(fo.span, "starts on the peering probe alone")
        .help("give the `failover` a `dns` block, or set its `mode = manual` while the site drills"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn the_reference_failover_needs_two_signals() {
        assert!(run_rule(check, &reference()).is_empty());
    }

    #[test]
    fn a_failover_without_dns_would_fire_during_the_drill() {
        let mut m = reference();
        if let Some(fo) = &mut m.failover {
            fo.dns = None;
        }
        let diags = run_rule(check, &m);
        let at = m.drill.as_ref().map(|d| d.span).unwrap();
        assert_one(&diags, &CODE, at);
    }

    #[test]
    fn a_manual_failover_waits_for_a_person() {
        let mut m = reference();
        if let Some(fo) = &mut m.failover {
            fo.dns = None;
            fo.mode = w(FailoverMode::Manual);
        }
        assert!(run_rule(check, &m).is_empty());
    }
}
