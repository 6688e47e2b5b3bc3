//! DRS0338: an approval step drsc cannot build.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::FailoverEngine;

declare_code!(
    CODE,
    "DRS0338",
    "approval-unsupported",
    Error,
    "the failover's approval step cannot be built",
    "## What it checks
`approval` in the `failover` block needs the Region switch engine, which has an approval
step (`ExecutionApprovalConfig`, `ManualApproval`), and an `approver`: the IAM role ARN
that approves (`ApprovalRole`). The Lambda engine (`engine = lambda`) has no approval step (R6, R38).

## Why it matters
Without the step the site would fail over without the approval it asked for; without an
`approver`, CloudFormation and Terraform reject the plan (`ApprovalRole` is required).

## Example
```
failover {
  database = ledger
  engine   = lambda
  approval = 30m
}
```

## Fix
Use the Region switch engine and name the `approver`, or remove `approval`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fo) = &cx.model.failover else { return };
    let Some(wait) = &fo.approval else { return };
    if cx.model.failover_engine() == Some(FailoverEngine::Lambda) {
        let mut d = Diagnostic::new(
            &CODE,
            "the Lambda failover engine has no approval step".to_string(),
        )
        .at(wait.span, "approval");
        if let Some(e) = &fo.engine {
            d = d.also(e.span, "the Lambda engine");
        }
        out.push(d.help(
            "remove `approval`, or use `engine = region_switch` where both regions offer it",
        ));
    } else if fo.approver.is_none() {
        out.push(
            Diagnostic::new(&CODE, "the approval step has no `approver`".to_string())
                .at(wait.span, "approval")
                .also(fo.span, "no `approver`")
                .help("add `approver = \"<ARN of the IAM role that approves>\"`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn the_lambda_engine_has_no_approval() {
        let mut m = reference();
        let fo = m.failover.as_mut().unwrap();
        fo.engine = Some(w(FailoverEngine::Lambda));
        fo.approval = Some(w(mins(30)));
        fo.approver = Some(w("arn:aws:iam::123456789012:role/DrApprovers".into()));
        let span = fo.approval.as_ref().unwrap().span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn an_approval_needs_an_approver() {
        let mut m = reference();
        let fo = m.failover.as_mut().unwrap();
        fo.approval = Some(w(mins(30)));
        let span = fo.approval.as_ref().unwrap().span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn region_switch_with_an_approver_is_fine() {
        let mut m = reference();
        let fo = m.failover.as_mut().unwrap();
        fo.approval = Some(w(mins(30)));
        fo.approver = Some(w("arn:aws:iam::123456789012:role/DrApprovers".into()));
        assert_none(&run_rule(check, &m));
    }
}
