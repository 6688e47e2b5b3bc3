//! DRS0337: a Region switch plan RTO AWS rejects.

use super::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0337",
    "region-switch-rto-invalid",
    Error,
    "the Region switch plan would get a recovery time objective AWS rejects",
    "## What it checks
With the Region switch failover engine (R38), the plan's `RecoveryTimeObjectiveMinutes` is the
site's `rto` in minutes. AWS accepts 1 to 10080 minutes (7 days), whole minutes (`std/limits`
`region_switch_rto`; ARC Region switch API reference, `CreatePlan`). An `rto` that is not a whole
number of minutes is DRS0910; drsc never rounds it.

## Why it matters
CloudFormation and Terraform fail to create the plan, and the site has no failover engine (R6).

## Example
```
site \"transactions\" {
  rto = 8d
}
```

## Fix
Use an `rto` of at most `7d`, or choose `engine = lambda` in the `failover` block."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::RegionSwitchPlan(p) = &node.kind {
            push_once(
                out,
                outside(
                    cx,
                    &CODE,
                    "region_switch_rto",
                    node,
                    &p.rto_minutes,
                    i64::from(*p.rto_minutes) * 60,
                    "Region switch plan RTO",
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

    #[test]
    fn an_rto_over_seven_days_is_rejected() {
        let mut m = reference();
        m.site.rto.value = crate::units::Duration::seconds(8 * 86_400);
        let diags = run_rule(check, &m);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(diags[0].message.contains("8d"), "{}", diags[0].message);
    }
}
