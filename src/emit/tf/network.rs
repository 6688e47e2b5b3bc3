//! The network (R26): a VPC per region with private subnets and route tables,
//! security groups and VPC endpoints, and the cross-region peering.
//!
//! Terraform cannot auto-accept a peering whose `peer_region` is set
//! (terraform-provider-aws#6706), so the requester resource
//! (`aws_vpc_peering_connection`, primary provider) is paired with an
//! `aws_vpc_peering_connection_accepter` in the peer region. Routes on both
//! sides and the DNS options name the accepter's id so they wait for the
//! connection to be active.

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{
    Attr, Endpoint, EndpointAccess, Node, NodeId, NodeKind, Peer, Peering, Ref, SecurityGroup,
    SgRule, Value, Vpc,
};

pub fn vpc(cx: &mut Cx, node: &Node, v: &Vpc) -> Result<(), Error> {
    let n = ident(&node.id);
    let body = Body::new()
        .s("cidr_block", escape(&v.cidr))
        .b("enable_dns_support", true)
        .b("enable_dns_hostnames", true)
        .tags(&node.tags);
    cx.m.resource(Area::Network, node.role, "aws_vpc", &n, body)?;
    let vpc_id = cx.x.r(&node.id, Attr::Id)?;
    for (i, s) in v.subnets.iter().enumerate() {
        let sn = format!("{n}_{i}");
        let mut tags = node.tags.clone();
        tags.insert("Name".into(), s.name.clone());
        let subnet = Body::new()
            .s("vpc_id", vpc_id.clone())
            .s("cidr_block", escape(&s.cidr))
            .s("availability_zone", cx.x.zone(node.role, s.zone_index))
            .b("map_public_ip_on_launch", false)
            .tags(&tags);
        cx.m.resource(Area::Network, node.role, "aws_subnet", &sn, subnet)?;
        let mut tags = node.tags.clone();
        tags.insert("Name".into(), s.route_table_name.clone());
        let table = Body::new().s("vpc_id", vpc_id.clone()).tags(&tags);
        cx.m.resource(Area::Network, node.role, "aws_route_table", &sn, table)?;
        let assoc = Body::new()
            .s("subnet_id", format!("${{aws_subnet.{sn}.id}}"))
            .s("route_table_id", format!("${{aws_route_table.{sn}.id}}"));
        cx.m.resource(
            Area::Network,
            node.role,
            "aws_route_table_association",
            &sn,
            assoc,
        )?;
    }
    if let Some(f) = &v.flow_logs {
        // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/flow_log
        let flow = Body::new()
            .s("vpc_id", vpc_id.clone())
            .s("traffic_type", escape(&f.traffic_type))
            .s("log_destination_type", "cloud-watch-logs")
            .s("log_destination", cx.x.r(&f.log_group, Attr::Arn)?)
            .s("iam_role_arn", cx.x.r(&f.role, Attr::Arn)?)
            .tags(&node.tags);
        cx.m.resource(Area::Network, node.role, "aws_flow_log", &n, flow)?;
    }
    if v.restrict_default_security_group {
        // Adopting the default security group with no `ingress`/`egress`
        // removes all of its rules
        // (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group).
        let mut tags = node.tags.clone();
        tags.insert("Name".into(), format!("{}-default", node.name));
        let sg = Body::new().s("vpc_id", vpc_id.clone()).tags(&tags);
        cx.m.resource(
            Area::Network,
            node.role,
            "aws_default_security_group",
            &n,
            sg,
        )?;
    }
    Ok(())
}

pub fn peering(cx: &mut Cx, node: &Node, p: &Peering) -> Result<(), Error> {
    let n = ident(&node.id);
    let accepter_node = cx.x.node(&p.accepter)?;
    let body = Body::new()
        .s("vpc_id", cx.x.r(&p.requester, Attr::Id)?)
        .s("peer_vpc_id", cx.x.r(&p.accepter, Attr::Id)?)
        .s("peer_region", escape(&p.peer_region))
        .tags(&node.tags);
    cx.m.resource(
        Area::Network,
        node.role,
        "aws_vpc_peering_connection",
        &n,
        body,
    )?;

    // The accepter side carries the accepter VPC's DR-Role.
    let mut tags = node.tags.clone();
    if let Some(role) = accepter_node.tags.get("DR-Role") {
        tags.insert("DR-Role".into(), role.clone());
    }
    let accepter = Body::new()
        .s(
            "vpc_peering_connection_id",
            format!("${{aws_vpc_peering_connection.{n}.id}}"),
        )
        .b("auto_accept", true)
        .tags(&tags);
    cx.m.resource(
        Area::Network,
        accepter_node.role,
        "aws_vpc_peering_connection_accepter",
        &n,
        accepter,
    )?;

    let active = format!("${{aws_vpc_peering_connection_accepter.{n}.id}}");
    for (i, r) in p.routes.iter().enumerate() {
        let route = Body::new()
            .s("route_table_id", cx.x.tpl(&r.route_table)?)
            .s("destination_cidr_block", escape(&r.destination_cidr))
            .s("vpc_peering_connection_id", active.clone());
        // Named after the route table it goes in.
        let name = match &r.route_table {
            Value::Ref(Ref {
                node,
                attr: Attr::RouteTable(t),
            }) => format!("{n}_{}_{t}", ident(node)),
            _ => format!("{n}_{}_{i}", r.side.as_str()),
        };
        cx.m.resource(Area::Network, r.side, "aws_route", &name, route)?;
    }
    Ok(())
}

/// DNS resolution across the peering, one options resource per side (each
/// side's options can only be set with that region's provider).
pub fn peering_dns(cx: &mut Cx, peering: &NodeId) -> Result<(), Error> {
    let node = cx.x.node(peering)?;
    let NodeKind::Peering(p) = &node.kind else {
        return Err(Error::Reference {
            node: peering.clone(),
            attr: "peering".into(),
        });
    };
    let accepter_role = cx.x.node(&p.accepter)?.role;
    let n = ident(&node.id);
    let id = format!("${{aws_vpc_peering_connection_accepter.{n}.id}}");
    let dns = || Body::new().b("allow_remote_vpc_dns_resolution", true);
    let requester = Body::new()
        .s("vpc_peering_connection_id", id.clone())
        .block("requester", dns());
    cx.m.resource(
        Area::Network,
        node.role,
        "aws_vpc_peering_connection_options",
        &format!("{n}_requester"),
        requester,
    )?;
    let accepter = Body::new()
        .s("vpc_peering_connection_id", id)
        .block("accepter", dns());
    cx.m.resource(
        Area::Network,
        accepter_role,
        "aws_vpc_peering_connection_options",
        &format!("{n}_accepter"),
        accepter,
    )
}

pub fn security_group(cx: &mut Cx, node: &Node, s: &SecurityGroup) -> Result<(), Error> {
    let n = ident(&node.id);
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("description", escape(&s.group_description))
        .s("vpc_id", cx.x.tpl(&s.vpc)?)
        .tags(&node.tags);
    cx.m.resource(Area::Network, node.role, "aws_security_group", &n, body)?;
    let group = format!("${{aws_security_group.{n}.id}}");
    for (dir, ty, rules) in [
        ("in", "aws_vpc_security_group_ingress_rule", &s.ingress),
        ("out", "aws_vpc_security_group_egress_rule", &s.egress),
    ] {
        for (i, rule) in rules.iter().enumerate() {
            let body = sg_rule(cx, &group, rule)?;
            cx.m.resource(
                Area::Network,
                node.role,
                ty,
                &format!("{n}_{dir}_{i}"),
                body,
            )?;
        }
    }
    Ok(())
}

fn sg_rule(cx: &mut Cx, group: &str, rule: &SgRule) -> Result<Body, Error> {
    let body = Body::new()
        .s("security_group_id", group)
        .s("ip_protocol", "tcp")
        .n("from_port", rule.from_port)
        .n("to_port", rule.to_port)
        .s("description", escape(&rule.description));
    Ok(match &rule.peer {
        Peer::Cidr(c) => body.s("cidr_ipv4", escape(c)),
        Peer::Group(g) => body.s("referenced_security_group_id", cx.x.tpl(g)?),
    })
}

pub fn endpoint(cx: &mut Cx, node: &Node, e: &Endpoint) -> Result<(), Error> {
    let n = ident(&node.id);
    let body = Body::new()
        .s("vpc_id", cx.x.tpl(&e.vpc)?)
        .s("service_name", escape(&e.service_name))
        .tags(&node.tags);
    let body = match &e.access {
        EndpointAccess::Gateway { route_tables } => body
            .s("vpc_endpoint_type", "Gateway")
            .list("route_table_ids", cx.x.tpls(route_tables)?),
        EndpointAccess::Interface {
            subnets,
            security_groups,
        } => body
            .s("vpc_endpoint_type", "Interface")
            .b("private_dns_enabled", true)
            .list("subnet_ids", cx.x.tpls(subnets)?)
            .list("security_group_ids", cx.x.tpls(security_groups)?),
    };
    cx.m.resource(Area::Network, node.role, "aws_vpc_endpoint", &n, body)
}
