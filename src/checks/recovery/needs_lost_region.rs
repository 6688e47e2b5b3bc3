//! DRS0410: a recovery step needs the primary region it recovers from.

use super::report;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::objectives::region_loss::Impact;

declare_code!(
    CODE,
    "DRS0410",
    "recovery-needs-lost-region",
    Error,
    "a step of the recovery path depends on the region it recovers from",
    "## What it checks
`drsc check` simulates the loss of the primary region on the graph `build` emits: it follows
what each resource of the secondary region needs at run time (the resources it references,
ARNs and endpoints that name a region, the global control planes it calls) from every step of
the recovery path (detect, decide, promote the database, move traffic, serve requests, read
credentials and keys, alert). A step that reaches the primary region cannot run when it is
gone. The note shows the chain.

## Why it matters
R31: the secondary must serve on its own. A dependency that no linter sees (a secret ARN of
the primary region in a secondary function, a key of the primary region) turns a regional
outage into a site outage.

## Example
```
function \"ingest\" {
  environment {
    QUEUE = \"arn:aws:sqs:us-east-1:123456789012:orders\"
  }
}
```
```
error[DRS0410]: without us-east-1, the site cannot fully serve requests: `arn:aws:sqs:us-east-1:…` names us-east-1
  = note: chain: serve requests in us-west-2 → function `ingest-…` (us-west-2) → `arn:aws:sqs:us-east-1:…` (us-east-1)
```

## Fix
Give each region its own copy of what the step needs (a store or secret replicated to the
secondary, referenced by name so each region resolves its own), or take the dependency off the
recovery path."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report(cx, &CODE, Impact::Breaks, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn a_primary_arn_in_a_function_environment_breaks_serving() {
        let mut m = reference();
        m.functions[0].environment.insert(
            "QUEUE".into(),
            "arn:aws:sqs:us-east-1:123456789012:orders".into(),
        );
        let diags = run_rule(check, &m);
        let d = diags
            .iter()
            .find(|d| d.notes.iter().any(|n| n.contains("arn:aws:sqs:us-east-1")))
            .unwrap_or_else(|| panic!("{diags:#?}"));
        assert!(d.message.contains("serve requests"), "{}", d.message);
        assert_eq!(d.span(), Some(m.functions[0].span));
    }
}
