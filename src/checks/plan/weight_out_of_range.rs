//! DRS0335: a Route 53 record weight outside 0–255.

use super::{outside, push_once};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::{NodeKind, Routing};

declare_code!(
    CODE,
    "DRS0335",
    "record-weight-out-of-range",
    Error,
    "a weighted record would get a weight Route 53 rejects",
    "## What it checks
A `dns` block's `primary_share` becomes the weights of its two records: the primary's is the
share, the secondary's the rest of 100. Route 53 weights are whole numbers from 0 to 255
(`std/limits` `route53_weight`), so the share is 0% to 100%.

## Why it matters
A share over 100% leaves the secondary a negative weight, which Route 53 rejects; clamping it
would send traffic other than the site says (R16).

## Example
```
dns \"api\" {
  primary_share = 150%
}
```

## Fix
Write a share from `0%` to `100%`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::Record(crate::graph::Record {
            routing: Routing::Weighted(weight),
            ..
        }) = &node.kind
        {
            push_once(
                out,
                outside(
                    cx,
                    &CODE,
                    "route53_weight",
                    node,
                    weight,
                    **weight,
                    "Route 53 record weight",
                )
                .map(|d| d.help("`primary_share` is the primary's weight out of 100: write a share from `0%` to `100%`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::units::Percent;

    #[test]
    fn a_share_over_100_is_rejected_at_primary_share() {
        let mut m = reference();
        // The Lambda engine routes by weight and endpoint health checks.
        m.failover.as_mut().unwrap().engine = Some(w(crate::model::FailoverEngine::Lambda));
        m.dns[0].primary_share = w(Percent { hundredths: 15_000 });
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.dns[0].primary_share.span);
    }
}
