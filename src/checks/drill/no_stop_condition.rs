//! DRS0512: a drill that nothing stops.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0512",
    "drill-without-stop-condition",
    Warning,
    "the drill's FIS experiment has no alarm to stop it",
    "## What it checks
The drill's stop conditions are the site's own CloudWatch alarms in the primary region that
mean the drill is hurting: S3 objects that failed to replicate, failed backup or copy jobs.
(The DynamoDB replication-latency alarms are left out: the pause raises them by design.)
A site without any such alarm gets an experiment with the stop condition `none`.

## Why it matters
Nothing ends the experiment early if the isolation does real harm; it runs its whole
`duration` unless someone runs `aws fis stop-experiment` (R37).

## Example
```
site \"shop\" { ... }
table \"orders\" { ... }
drill { duration = 30m }
# no backup plan, no replicated bucket: no primary-region alarm
```

## Fix
Add what the site's alarms watch (a `backup` plan, a replicated `bucket`), keep the drill
short, or watch it and stop it by hand."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(drill) = super::enabled(cx) else {
        return;
    };
    let unstoppable = cx
        .graph
        .nodes
        .iter()
        .any(|n| matches!(&n.kind, NodeKind::DrillTemplate(d) if d.stop_alarms.is_empty()));
    if !unstoppable {
        return;
    }
    out.push(
        Diagnostic::new(
            &CODE,
            format!(
                "nothing stops the drill early: the site has no alarm in {} that it could stop on",
                cx.model.site.primary.value
            ),
        )
        .at(drill.span, "stop condition `none`")
        .help("add a `backup` plan or a replicated `bucket` (their alarms stop the drill), or stop it with `aws fis stop-experiment`"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn the_reference_drill_stops_on_the_sites_alarms() {
        assert!(run_rule(check, &reference()).is_empty());
    }

    #[test]
    fn a_table_only_site_has_no_stop_condition() {
        let mut m = reference();
        m.buckets.clear();
        m.backups.clear();
        // The Aurora lag alarm of the primary region would be a stop condition.
        m.databases.clear();
        m.failover = None;
        let diags = run_rule(check, &m);
        let at = m.drill.as_ref().map(|d| d.span).unwrap();
        assert_one(&diags, &CODE, at);
    }
}
