//! DRS0340: a `primary_share` on the failover's records when the Region
//! switch plan decides which record answers.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{FailoverEngine, Origin};

declare_code!(
    CODE,
    "DRS0340",
    "primary-share-without-effect-on-region-switch",
    Error,
    "`primary_share` is written on records the Region switch plan routes, which have no weights",
    "## What it checks
With the Region switch failover engine (the default where both regions offer it), the
failover's `dns` records are Route 53 **failover** records tied to the health checks that
the plan's Route 53 health-check step creates: the plan sets their status when it activates
a region, and Route 53 answers with the `PRIMARY` record while its check is healthy
(ARC developer guide, *Route 53 health check execution block*; Route 53 developer guide,
*Failover routing*). Failover records have no weights, so a `primary_share` would be
accepted by `check` and never deployed. (`interval` and `failure_threshold` still configure
drsc's health checks of both front doors, R15.)

## Why it matters
What `check` accepts must be what `build` emits (R2), and R16's weighted records belong to
the Lambda engine only: a reader of the site would believe traffic is split by weight.

## Example
```
dns \"api\" {
  serves        = ingest
  primary_share = 100%
}

failover {
  database = ledger
  dns      = api
}
```

## Fix
Remove `primary_share`: the plan moves traffic in the same execution that promotes the
databases. To route by weight instead, choose the Lambda engine with `engine = lambda` in
the `failover` block."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fo) = &cx.model.failover else {
        return;
    };
    if cx.model.failover_engine() != Some(FailoverEngine::RegionSwitch) {
        return;
    }
    let Some(wanted) = &fo.dns else {
        return;
    };
    let Some(dns) = cx.model.dns.iter().find(|d| d.name == wanted.name) else {
        return;
    };
    if dns.primary_share.origin != Origin::Written {
        return;
    }
    out.push(
        Diagnostic::new(
            &CODE,
            format!(
                "`primary_share` of `{}` has no effect: the Region switch plan's health checks decide which record answers",
                dns.name
            ),
        )
        .at(dns.primary_share.span, "never emitted: failover records have no weights")
        .help("remove `primary_share`; or write `engine = lambda` in `failover` to route by weight"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::FailoverEngine;
    use crate::units::Percent;

    #[test]
    fn the_reference_site_writes_no_share() {
        assert_none(&run_rule(check, &reference()));
    }

    #[test]
    fn a_written_share_on_region_switch_is_an_error() {
        let mut m = reference();
        m.dns[0].primary_share = w(Percent { hundredths: 10_000 });
        assert_one(&run_rule(check, &m), &CODE, m.dns[0].primary_share.span);
    }

    #[test]
    fn the_lambda_engine_uses_it() {
        let mut m = reference();
        m.dns[0].primary_share = w(Percent { hundredths: 10_000 });
        m.failover.as_mut().unwrap().engine = Some(w(FailoverEngine::Lambda));
        assert_none(&run_rule(check, &m));
    }
}
