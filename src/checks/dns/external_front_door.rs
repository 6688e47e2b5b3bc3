//! DRS0327: DNS records that point at front doors the site does not build.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::FrontDoor;

declare_code!(
    CODE,
    "DRS0327",
    "dns-external-front-door",
    Warning,
    "the DNS records point at front doors the site does not build",
    "## What it checks
A `dns` block names the function its front doors serve (`serves = ingest`) instead of
external host names (`primary_endpoint`, `secondary_endpoint`).

## Why it matters
R15–R17 move traffic to the secondary when the primary's health check fails. With
external endpoints drsc cannot know that anything answers `health_path` on them: a host
name nothing serves fails its health check from the first day, so Route 53 answers
with the standby (or with nothing) while the primary is healthy, and the recovery path
is never tested. With `serves`, drsc builds a regional API Gateway HTTP API with a
regional custom domain and certificate in each region, aliases the records to them and
health-checks both regions' front doors.

## Example
```
dns \"api\" {
  record             = \"api.bank.example.com\"
  primary_endpoint   = \"api-use1.bank.example.com\"
  secondary_endpoint = \"api-usw2.bank.example.com\"
}
```

## Fix
Write `serves = ingest` (a `function` of the site that answers `health_path`) instead
of the two endpoints. If the front door really lives outside the site, keep the
endpoints, make sure both answer `health_path` over HTTPS, and say so with
`allow DRS0327 \"<where the front doors live>\"`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for dns in &cx.model.dns {
        let FrontDoor::External { primary, secondary } = &dns.front_door else {
            continue;
        };
        if primary.value.is_empty() && secondary.value.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &CODE,
                format!(
                    "`dns \"{}\"` sends traffic to `{}` and `{}`, which the site does not build",
                    dns.name, primary.value, secondary.value
                ),
            )
            .at(primary.span, "an external front door")
            .also(secondary.span, "an external front door")
            .note("both endpoints are health-checked on `health_path`; drsc cannot tell whether anything answers there")
            .help("write `serves = <function>` so drsc builds a regional front door in each region (R15)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::FrontDoor;

    #[test]
    fn flags_external_endpoints() {
        let mut m = reference();
        let primary = w("api-use1.bank.example.com".to_string());
        let span = primary.span;
        m.dns[0].front_door = FrontDoor::External {
            primary,
            secondary: w("api-usw2.bank.example.com".into()),
        };
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
