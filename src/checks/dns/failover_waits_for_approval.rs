//! DRS0329: the failover waits for a person's approval.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::{ExecutionBlock, NodeKind};

declare_code!(
    CODE,
    "DRS0329",
    "failover-waits-for-approval",
    Warning,
    "the data-loss failover waits for a person's approval",
    "## What it checks
The `failover` block sets `approval`: the Region switch plan's workflows start with a
manual approval step (`ExecutionApprovalConfig`), and the failover proceeds only when the
`approver` role approves it (`ApprovePlanExecutionStep`) within the `approval` time.

## Why it matters
R6 asks for failover without manual intervention, and no profile may require an approval.
A site may still choose one before a failover that can lose data; then the recovery waits
for a person, and the RTO estimate counts the whole wait (the step's timeout).

## Example
```
failover {
  database = ledger
  approval = 30m
  approver = \"arn:aws:iam::123456789012:role/DrApprovers\"
}
```

## Fix
Remove `approval` (and `approver`) to fail over on the alarm alone, or keep it knowingly."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fo) = &cx.model.failover else { return };
    let Some(wait) = &fo.approval else { return };
    // Only a built approval step waits (DRS0338 reports one drsc cannot build).
    let built = cx.graph.nodes.iter().any(|n| match &n.kind {
        NodeKind::RegionSwitchPlan(p) => p.workflows.iter().any(|w| {
            w.steps
                .iter()
                .any(|s| matches!(s.block, ExecutionBlock::Approval(_)))
        }),
        _ => false,
    });
    if !built {
        return;
    }
    out.push(
        Diagnostic::new(
            &CODE,
            format!(
                "the failover waits up to {} for a person's approval",
                wait.value
            ),
        )
        .at(wait.span, "approval step before the failover")
        .also(fo.span, "this failover")
        .help("remove `approval` to fail over without manual intervention (R6)"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn warns_about_an_approval() {
        let mut m = reference();
        let fo = m.failover.as_mut().unwrap();
        fo.approval = Some(w(mins(30)));
        fo.approver = Some(w("arn:aws:iam::123456789012:role/DrApprovers".into()));
        let span = fo.approval.as_ref().unwrap().span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn an_approval_that_is_not_built_does_not_wait() {
        let mut m = reference();
        m.failover.as_mut().unwrap().approval = Some(w(mins(30)));
        assert_none(&run_rule(check, &m));
    }

    #[test]
    fn no_approval_by_default() {
        assert_none(&run_rule(check, &reference()));
    }
}
