//! DRS0511: a drill on a site without anything FIS can disrupt.

use super::enabled;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0511",
    "drill-nothing-to-rehearse",
    Error,
    "the drill has nothing in the primary region that AWS FIS can disrupt",
    "## What it checks
The drill's FIS experiment disrupts the cross-region routes of the primary VPC's subnets
(a `network` block), pauses the replication of the primary's replicated buckets (`bucket`
with `replication` other than `none`) and of the DynamoDB global tables (`table`). A site
with none of them gives the experiment no action.

## Why it matters
An experiment template without actions rehearses nothing; drsc emits no template, and the
site would believe it drills the loss of its primary (R37). FIS cannot pause Aurora global
replication: an Aurora-only site drills with the failover engine's graceful path alone.

## Example
```
drill {
  duration = 30m
}
# no network, bucket or table
```

## Fix
Declare what the drill should isolate (a `network`, a replicated `bucket`, a `table`), or
remove the `drill` block (or set `enabled = false`) and rehearse with the failover engine's
graceful workflow, as the README's failback section shows."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(drill) = enabled(cx) else { return };
    if cx.model.in_hole(drill.span) {
        return;
    }
    if cx
        .graph
        .nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::DrillTemplate(_)))
    {
        return;
    }
    out.push(
        Diagnostic::new(
            &CODE,
            format!(
                "the drill has nothing in {} to disrupt: no VPC, no replicated bucket, no global table",
                cx.model.site.primary.value
            ),
        )
        .at(drill.span, "no FIS action for this drill")
        .help(
            "declare a `network`, a replicated `bucket` or a `table` for the drill to isolate, or set `enabled = false`",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn the_reference_site_has_routes_buckets_and_tables_to_rehearse() {
        assert!(run_rule(check, &reference()).is_empty());
    }

    #[test]
    fn an_aurora_only_site_has_nothing_for_fis() {
        let mut m = reference();
        m.network = None;
        m.tables.clear();
        m.buckets.clear();
        m.functions.clear();
        m.backups.clear();
        m.dns.clear();
        m.failover = None;
        let diags = run_rule(check, &m);
        let at = m.drill.as_ref().map(|d| d.span).unwrap();
        assert_one(&diags, &CODE, at);
    }
}
