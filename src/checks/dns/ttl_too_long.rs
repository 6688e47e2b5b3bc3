//! DRS0320: a health-checked record with a TTL over 60 seconds.

use crate::checks::context::{at_value, human};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0320",
    "dns-ttl-too-long",
    Warning,
    "a health-checked DNS record has a TTL over 60 seconds",
    "## What it checks
`ttl` is at most 60s.

## Why it matters
R17 asks for DNS to move to the secondary automatically. Resolvers keep answering with
the primary for up to one TTL after Route 53 switches, so the TTL adds directly to the
recovery time (R2). AWS recommends 60 seconds or less on records with health checks.

## Example
```
dns \"api\" {
  ttl = 300s
}
```

## Fix
Set `ttl = 60s` or lower."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for dns in &cx.model.dns {
        // Alias records to drsc's front doors have no TTL of their own (DRS0328).
        if matches!(dns.front_door, crate::model::FrontDoor::Serves(_)) {
            continue;
        }
        let secs = dns.ttl.value.as_secs();
        if secs <= 60 {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "record `{}` is cached for {}; resolvers follow a failover only after that",
                        dns.record.value,
                        human(secs)
                    ),
                )
                .note("the TTL adds to the recovery time estimate (R2)"),
                &dns.ttl,
                dns.span,
                "TTL over 60s",
            )
            .also(cx.model.site.rto.span, "the RTO the TTL counts against")
            .help("set `ttl = 60s` or lower (R17)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn warns_over_60s() {
        let mut m = reference();
        m.dns[0].front_door = crate::model::FrontDoor::External {
            primary: w("api-use1.example.net".into()),
            secondary: w("api-usw2.example.net".into()),
        };
        m.dns[0].ttl = w(secs(300));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.dns[0].ttl.span);
        assert!(!diags[0].is_error());
    }

    #[test]
    fn accepts_60s() {
        assert_none(&run_rule(check, &reference()));
    }
}
