//! `## Front door`: what answers the DNS records in each region, how the
//! records route (failover records on the Region switch plan's health checks,
//! or weighted records) and what the health checks request.

use super::Backend;
use crate::graph::{Attr, Graph, Node, NodeKind, RecordTarget, Routing, Value};
use std::fmt::Write;

/// The `## Front door` section. `placed` names where a front door's API is
/// declared (the CloudFormation stack); `None` leaves that column out.
pub(crate) fn section(
    g: &Graph,
    backend: Backend,
    placed: Option<&dyn Fn(&Node) -> String>,
    o: &mut String,
) {
    let records: Vec<(&Node, &crate::graph::Record)> = g
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Record(r) => Some((n, r)),
            _ => None,
        })
        .collect();
    if records.is_empty() {
        return;
    }
    // What the record's health check requests, or whose check it is.
    let check_of = |r: &crate::graph::Record| -> String {
        let Some(Value::Ref(hc)) = &r.health_check else {
            return "none".into();
        };
        match (g.get(&hc.node).map(|n| &n.kind), &hc.attr) {
            (Some(NodeKind::HealthCheck(h)), _) => format!("`https://{}{}`", h.fqdn, h.path),
            (Some(NodeKind::RegionSwitchPlan(_)), Attr::PlanHealthCheck(_)) => format!(
                "the Region switch plan's check of {}",
                g.site.region(r.side)
            ),
            _ => "none".into(),
        }
    };
    let _ = writeln!(o, "\n## Front door\n");
    let built = records
        .iter()
        .any(|(_, r)| matches!(r.target, RecordTarget::Alias(_)));
    if built {
        let _ = writeln!(
            o,
            "Clients resolve `{}`. Each region has its own front door, built by this site: an API Gateway HTTP API (Lambda proxy integration, payload format 2.0, `$default` stage deployed automatically, access logs in an encrypted log group) behind a **regional** custom domain with a TLS 1.2 policy and an ACM certificate of that region, validated by DNS in the site's zone ({}). The default `execute-api` endpoint is off. Nothing runs at the edge: no CloudFront and no us-east-1 certificate is on the secondary's path.\n",
            records[0].1.record_name,
            match backend {
                Backend::Cfn => "CloudFormation waits until ACM has written the validation records",
                // frontdoor.rs: validation records over `domain_validation_options`,
                // then `aws_acm_certificate_validation`.
                Backend::Tf =>
                    "Terraform writes the validation records and `aws_acm_certificate_validation` waits until ACM has issued the certificate",
            }
        );
        let (stack_head, stack_rule) = match placed {
            Some(_) => (" Stack |", "---|"),
            None => ("", ""),
        };
        let _ = writeln!(
            o,
            "| Region | Routing | API | Custom domains | Health check |{stack_head}\n|---|---|---|---|---|{stack_rule}"
        );
        for (_, r) in &records {
            let role = r.side;
            let api = g
                .on(role)
                .find(|x| matches!(x.kind, NodeKind::HttpApi(_)))
                .map_or(String::new(), |x| format!("`{}`", x.name));
            let domains: Vec<String> = g
                .on(role)
                .filter_map(|x| match &x.kind {
                    NodeKind::ApiDomain(d) => Some(format!("`{}`", d.domain)),
                    _ => None,
                })
                .collect();
            let check = check_of(r);
            let stack = placed.map_or(String::new(), |at| {
                let api = g
                    .on(role)
                    .find(|x| matches!(x.kind, NodeKind::HttpApi(_)))
                    .map_or(String::new(), at);
                format!(" {api} |")
            });
            let _ = writeln!(
                o,
                "| `{}` | {} | {api} | {} | {check} |{stack}",
                g.site.region(role),
                r.routing,
                domains.join(", ")
            );
        }
        let plan_records = records
            .iter()
            .any(|(_, r)| matches!(r.routing, Routing::Failover(_)));
        let endpoint_checks: Vec<String> = g
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::HealthCheck(h) => Some(format!("`https://{}{}`", h.fqdn, h.path)),
                _ => None,
            })
            .collect();
        if plan_records {
            let _ = writeln!(
                o,
                "\ndrsc's health checks of the front doors request {}.",
                endpoint_checks.join(" and ")
            );
            let _ = writeln!(
                o,
                "\nThe failover records alias each region's domain for `{}`. Their health checks are the two that the Region switch plan's Route 53 health-check step created (https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html): an execution that activates a region sets their status, and Route 53 answers with the `PRIMARY` record while its check is healthy and with the `SECONDARY` otherwise (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-failover.html). Traffic therefore moves in the same execution that promotes the databases, on Route 53's data plane; nothing changes a record. drsc's own health checks of both front doors (R15) request each region's own host name and are not tied to the records: Route 53 publishes their metrics only in us-east-1 (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html), so nothing in the surviving region could act on them; they show each front door's health in the Route 53 console, and the edge probe watches the primary front door from {} for the failover trigger. Each region's own host name has a simple alias record.",
                records[0].1.record_name,
                g.site.secondary_region
            );
        } else {
            let _ = writeln!(
                o,
                "\nThe weighted records alias each region's domain for `{}`; each region's own host name (the one its health check requests) has a simple alias record. The function must answer the health path with a 2xx or 3xx status within two seconds, or Route 53 counts the region as failed (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).",
                records[0].1.record_name
            );
        }
    } else {
        let _ = writeln!(
            o,
            "The records point at front doors that live outside this site; both are health-checked, so both must answer the health path over HTTPS (DRS0327):\n"
        );
        for (_, r) in &records {
            if let RecordTarget::Name { host: target, .. } = &r.target {
                let check = check_of(r);
                let _ = writeln!(
                    o,
                    "- `{}`: `{target}`, {}, health check {check}",
                    g.site.region(r.side),
                    r.routing
                );
            }
        }
    }
}
