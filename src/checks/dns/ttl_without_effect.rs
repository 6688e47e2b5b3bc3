//! DRS0328: a `ttl` on a record that aliases a front door drsc builds.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{FrontDoor, Origin};

declare_code!(
    CODE,
    "DRS0328",
    "dns-ttl-without-effect",
    Error,
    "`ttl` is set on DNS records that alias a front door and have no TTL of their own",
    "## What it checks
With `serves = <function>`, the records are Route 53 alias records to the regional API
Gateway domains drsc builds. An alias record has no TTL: Route 53 answers with the alias
target's (Route 53 API reference, `ResourceRecordSet`: \"If you're creating or updating an
alias resource record set, omit TTL\"). A written `ttl` would be accepted by `check` and never
deployed.

## Why it matters
What `check` accepts must be what `build` emits (R2): the RTO estimate counts the alias
target's TTL (`std/timing` `route53_alias_ttl`), not this value.

## Example
```
dns \"api\" {
  serves = ingest
  ttl    = 30s
}
```

## Fix
Remove `ttl`; or, for a front door outside the site, write `primary_endpoint` and
`secondary_endpoint` instead of `serves` (those records are CNAMEs with this TTL)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for dns in &cx.model.dns {
        if !matches!(dns.front_door, FrontDoor::Serves(_)) || dns.ttl.origin != Origin::Written {
            continue;
        }
        out.push(
            Diagnostic::new(
                &CODE,
                format!(
                    "record `{}` aliases the front doors of `serves`; an alias has no TTL of its own",
                    dns.record.value
                ),
            )
            .at(dns.ttl.span, "never emitted")
            .help("remove `ttl` (Route 53 uses the alias target's TTL)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn the_reference_site_writes_no_ttl() {
        assert_none(&run_rule(check, &reference()));
    }

    #[test]
    fn a_written_ttl_with_serves_is_an_error() {
        let mut m = reference();
        m.dns[0].ttl = w(secs(30));
        assert_one(&run_rule(check, &m), &CODE, m.dns[0].ttl.span);
    }
}
