//! DRS0411: a recovery step runs without something the site asks for.

use super::report;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::objectives::region_loss::Impact;

declare_code!(
    CODE,
    "DRS0411",
    "recovery-step-degraded",
    Warning,
    "a step of the recovery path runs with less while the primary region is down",
    "## What it checks
The region-loss simulation (see DRS0410) also finds dependencies on the lost primary that do
not stop a step but weaken it: a failover function that also changes Route 53 records (the
Route 53 control plane is homed in us-east-1; health checks still move traffic on the data
plane), a secret whose rotation runs in the lost region. (Protection of the promoted region,
backups and replication back, is listed in the region-loss summary of `drsc check`.)

## Why it matters
R32, R33: the day after a failover the site must still be protected and its automation must not
depend on the region that is gone.

## Example
```
warning[DRS0411]: without us-east-1, the site cannot fully back up: no backup plan runs in the surviving region
```

## Fix
Follow the note's chain: protect the promoted region with its own backup plan, move the step
onto a data plane (Route 53 health checks, ARC Region switch), or accept it with
`allow DRS0411 \"reason\"` in the block the warning points at."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report(cx, &CODE, Impact::Degrades, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn a_failover_that_changes_records_needs_the_route53_control_plane() {
        // The Lambda engine shifts the weights itself; Region switch does not.
        let mut m = reference();
        m.failover.as_mut().unwrap().engine = Some(w(crate::model::FailoverEngine::Lambda));
        let diags = run_rule(check, &m);
        assert!(
            diags
                .iter()
                .any(|d| d.notes.iter().any(|n| n.contains("Route 53 control plane"))),
            "{diags:#?}"
        );
        assert!(
            !diags.iter().any(|d| d.message.contains("back up")),
            "{diags:#?}"
        );
    }
}
