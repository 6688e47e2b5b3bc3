//! Route 53 (R15–R17): health checks of both regions' front doors and weighted
//! records tied to them, so DNS moves to the secondary when a check fails.
//! Records in an existing zone find it with an `aws_route53_zone` data source.

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{
    Attr, HealthCheck, HostedZone, Lookup, Node, Record, RecordTarget, Routing, Value, ZoneRef,
};

pub fn health_check(cx: &mut Cx, node: &Node, h: &HealthCheck) -> Result<(), Error> {
    let mut body = Body::new()
        .s("type", if h.https { "HTTPS" } else { "HTTP" })
        .s("fqdn", escape(&h.fqdn))
        .n("port", h.port)
        .s("resource_path", escape(&h.path))
        .n("request_interval", *h.interval_secs)
        .n("failure_threshold", *h.failure_threshold)
        .tags(&node.tags);
    if h.https {
        body = body.b("enable_sni", true);
    }
    cx.m.resource(
        Area::Dns,
        node.role,
        "aws_route53_health_check",
        &ident(&node.id),
        body,
    )
}

pub fn hosted_zone(cx: &mut Cx, node: &Node, z: &HostedZone) -> Result<(), Error> {
    let body = Body::new()
        .s("name", escape(&z.domain))
        .s("comment", escape(&node.description))
        .tags(&node.tags)
        .lifecycle(node.protection.retain, &[]);
    cx.m.resource(
        Area::Dns,
        node.role,
        "aws_route53_zone",
        &ident(&node.id),
        body,
    )
}

/// The id of a record's hosted zone.
pub fn zone_id(cx: &mut Cx, zone: &ZoneRef) -> Result<String, Error> {
    Ok(match zone {
        ZoneRef::Name(domain) => cx.x.tpl(&Value::Lookup(Lookup::HostedZoneId {
            domain: domain.clone(),
        }))?,
        ZoneRef::Id(id) => escape(id.trim_start_matches("/hostedzone/")),
        ZoneRef::Node(z) => cx.x.r(z, Attr::Id)?,
    })
}

pub fn record(cx: &mut Cx, node: &Node, r: &Record) -> Result<(), Error> {
    let zone_id = zone_id(cx, &r.zone)?;
    let mut body = Body::new()
        .s("zone_id", zone_id)
        .s("name", escape(&r.record_name))
        .s("type", escape(&r.record_type))
        .s("set_identifier", escape(&r.set_identifier));
    body = match &r.routing {
        Routing::Weighted(w) => body.block("weighted_routing_policy", Body::new().n("weight", **w)),
        Routing::Failover(side) => body.block(
            "failover_routing_policy",
            Body::new().s("type", escape(Routing::failover_type(*side))),
        ),
    };
    body = match &r.target {
        RecordTarget::Name {
            host: target,
            ttl_secs,
        } => body
            .n("ttl", **ttl_secs)
            .list("records", vec![escape(target)]),
        // An alias has no TTL of its own (Route 53 uses the target's).
        RecordTarget::Alias(a) => body.block("alias", super::frontdoor::alias(cx, a)?),
    };
    if let Some(hc) = &r.health_check {
        body = body.s("health_check_id", cx.x.tpl(hc)?);
    }
    cx.m.resource(
        Area::Dns,
        node.role,
        "aws_route53_record",
        &ident(&node.id),
        body,
    )
}
