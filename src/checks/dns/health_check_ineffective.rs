//! DRS0321: a primary health check that cannot tell the regions apart.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::FrontDoor;

declare_code!(
    CODE,
    "DRS0321",
    "dns-health-check-ineffective",
    Error,
    "the health check on the primary endpoint cannot detect a primary failure",
    "## What it checks
The health checks drsc creates can only fail when their region fails: external
endpoints (`primary_endpoint`, `secondary_endpoint`) differ, a front door built with
`serves` is checked on port 443 (the only port an API Gateway custom domain serves),
and `health_path` is an absolute path (`/health`).

## Why it matters
R15 asks for Route 53 health checks on primary-region endpoints, and R16/R17 tie the
weighted records to them. A check on an endpoint both regions serve stays healthy
through a regional outage, so DNS never moves.

## Example
```
dns \"api\" {
  primary_endpoint   = \"api.bank.example.com\"
  secondary_endpoint = \"api.bank.example.com\"
}
```

## Fix
Point `primary_endpoint` at the primary region's own host name, e.g.
`api-use1.bank.example.com`, and use a path such as `/health`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for dns in &cx.model.dns {
        let external = match &dns.front_door {
            FrontDoor::External { primary, secondary } => Some((primary, secondary)),
            FrontDoor::Serves(_) => None,
        };
        if let Some((p, s)) = external.filter(|(p, s)| p.value.eq_ignore_ascii_case(&s.value)) {
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "`{}` is both the primary and the secondary endpoint of `{}`",
                        p.value, dns.name
                    ),
                )
                .at(s.span, "same endpoint as the primary")
                .also(p.span, "the health-checked primary endpoint")
                .help("give each region its own endpoint host name (R15)"),
            );
        }
        // A built front door is an API Gateway custom domain: HTTPS on 443 only.
        if let FrontDoor::Serves(f) = &dns.front_door {
            let port = &dns.port;
            if port.value != 443 {
                out.push(
                    at_value(
                        Diagnostic::new(
                            &CODE,
                            format!(
                                "the health checks of `{}` request port {}, but its front doors answer HTTPS on port 443 only",
                                dns.name, port.value
                            ),
                        ),
                        port,
                        dns.span,
                        "API Gateway custom domains listen on 443",
                    )
                    .also(f.span, "the front door drsc builds")
                    .help("remove `port` (443 is the default) or point the records at external endpoints"),
                );
            }
        }
        let path = &dns.health_path;
        if !path.value.starts_with('/') {
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!("health path `{}` is not an absolute path", path.value),
                )
                .at(path.span, "Route 53 requests this path")
                .help(format!("write `health_path = \"/{}\"`", path.value)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_shared_endpoints() {
        let mut m = reference();
        let secondary = w("API-use1.bank.example.com".to_string());
        let span = secondary.span;
        m.dns[0].front_door = FrontDoor::External {
            primary: w("api-use1.bank.example.com".into()),
            secondary,
        };
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn flags_relative_paths() {
        let mut m = reference();
        m.dns[0].health_path = w("health".into());
        assert_one(&run_rule(check, &m), &CODE, m.dns[0].health_path.span);
    }

    #[test]
    fn flags_other_ports_on_built_front_doors() {
        let mut m = reference();
        m.dns[0].port = w(8443);
        assert_one(&run_rule(check, &m), &CODE, m.dns[0].port.span);
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
