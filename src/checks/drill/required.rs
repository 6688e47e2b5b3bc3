//! DRS0513: the profile demands a region-loss drill the site does not declare.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0513",
    "drill-required",
    Error,
    "the site's profile requires a region-loss drill",
    "## What it checks
A profile with `require_drill = true` (`std/finserv` in production) demands that the site
declare an enabled `drill` block: an AWS FIS experiment that rehearses the loss of the
primary region, paired with the failover engine's graceful workflow.

## Why it matters
Regulators ask for tested recovery, not designed recovery: DORA Art. 11 and 24–25, the
FFIEC BCM booklet and NIST SP 800-53 CP-4 all require exercising the switchover (R37).

## Example
```
import \"std/finserv\"
site \"shop\" {
  profile     = finserv
  environment = production
}
# no drill block
```

## Fix
Add `drill { duration = 30m }` (1m to 12h), or, for a site that is not production, set its
`environment`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(profile) = &cx.model.profile else {
        return;
    };
    let Some(demand) = profile.require_drill.as_ref().filter(|d| d.value) else {
        return;
    };
    let site = &cx.model.site;
    match &cx.model.drill {
        Some(d) if d.enabled.value => {}
        Some(d) => out.push(
            Diagnostic::new(
                &CODE,
                format!(
                    "profile `{}` requires a region-loss drill; this one is disabled",
                    profile.name
                ),
            )
            .at(d.enabled.span, "`enabled = false`")
            .also(demand.span, "the profile's demand")
            .help("set `enabled = true`"),
        ),
        None => out.push(
            Diagnostic::new(
                &CODE,
                format!(
                    "profile `{}` requires a region-loss drill; site `{}` declares none",
                    profile.name, site.name
                ),
            )
            .at(site.span, "no `drill` block")
            .also(demand.span, "the profile's demand")
            .help("add `drill { duration = 30m }` (1m to 12h)"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn the_reference_site_drills() {
        assert!(run_rule(check, &reference()).is_empty());
    }

    #[test]
    fn a_production_finserv_site_without_a_drill_is_reported() {
        let mut m = reference();
        m.drill = None;
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.site.span);
    }

    #[test]
    fn a_disabled_drill_does_not_count() {
        let mut m = reference();
        if let Some(d) = &mut m.drill {
            d.enabled = w(false);
        }
        assert_eq!(run_rule(check, &m).len(), 1);
    }
}
