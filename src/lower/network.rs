//! VPCs, subnets, route tables, peering, gateway endpoints (R26).

use super::Lower;
use crate::graph::{
    Attr, Endpoint, EndpointAccess, NodeId, NodeKind, Peer, Peering, PeeringRoute, Protection,
    SecurityGroup, SgRule, Subnet, Value, Vpc,
};
use crate::model::Role;
use crate::syntax::ast::Cidr;

/// The VPC node of `role`'s region, when the site has a network.
pub(crate) fn vpc_id(cx: &Lower, role: Role) -> Option<NodeId> {
    cx.model
        .network
        .as_ref()
        .map(|n| NodeId::new(&["vpc", &n.name, role.as_str()]))
}

/// The `n` subnet ids of `role`'s VPC.
pub(crate) fn subnets(cx: &Lower, role: Role) -> Vec<Value> {
    let Some(id) = vpc_id(cx, role) else {
        return Vec::new();
    };
    match cx.node(&id).map(|n| &n.kind) {
        Some(NodeKind::Vpc(v)) => (0..v.subnets.len())
            .map(|i| Value::r(&id, Attr::Subnet(i as u8)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The CIDR of `role`'s VPC.
pub(crate) fn cidr(cx: &Lower, role: Role) -> Option<String> {
    cx.model.network.as_ref().map(|n| n.cidr(role).to_string())
}

/// The `i`th block of `prefix` bits inside `net`.
fn carve(net: Cidr, prefix: u8, i: u32) -> Cidr {
    let (base, _) = net.range();
    let size = 1u64 << (32 - prefix.clamp(net.prefix, 32) as u32);
    let addr = (base as u64 + size * i as u64) as u32;
    Cidr {
        addr: addr.to_be_bytes(),
        prefix: prefix.clamp(net.prefix, 32),
    }
}

pub(crate) fn lower(cx: &mut Lower) {
    let Some(net) = cx.model.network.clone() else {
        return;
    };
    let zones = net.zones.value.clamp(1, 6) as u8;
    for role in Role::BOTH {
        let cidr = net.cidr(role);
        let letters = ["a", "b", "c", "d", "e", "f"];
        let subnets = (0..zones)
            .map(|z| {
                let label = format!("{}-private-{}", net.name, letters[z as usize]);
                Subnet {
                    name: cx.regional(&label, "subnet", role),
                    route_table_name: cx.regional(&label, "rtb", role),
                    cidr: carve(cidr, net.subnet_prefix.value, z as u32).to_string(),
                    zone_index: z,
                }
            })
            .collect();
        let name = cx.regional(&net.name, "vpc", role);
        let id = NodeId::new(&["vpc", &net.name, role.as_str()]);
        cx.add(
            id.clone(),
            role,
            name,
            format!("Private network `{}` ({})", net.name, role.as_str()),
            Protection::default(),
            NodeKind::Vpc(Vpc {
                cidr: cidr.to_string(),
                subnets,
                flow_logs: None,
                restrict_default_security_group: true,
            }),
        );
        let route_tables: Vec<Value> = (0..zones)
            .map(|i| Value::r(&id, Attr::RouteTable(i)))
            .collect();
        for service in ["s3", "dynamodb"] {
            let name = cx.regional(&format!("{}-{service}", net.name), "vpce", role);
            cx.add(
                NodeId::new(&[
                    "endpoint",
                    &format!("{}-{service}", net.name),
                    role.as_str(),
                ]),
                role,
                name,
                format!("Gateway endpoint for {service} in `{}`", net.name),
                Protection::default(),
                NodeKind::Endpoint(Endpoint {
                    vpc: Value::r(&id, Attr::Id),
                    service_name: format!("com.amazonaws.{}.{service}", cx.region(role)),
                    service: service.into(),
                    access: EndpointAccess::Gateway {
                        route_tables: route_tables.clone(),
                    },
                }),
            );
        }
    }
    if net.peering.value {
        let requester = NodeId::new(&["vpc", &net.name, "primary"]);
        let accepter = NodeId::new(&["vpc", &net.name, "secondary"]);
        let mut routes = Vec::new();
        for role in Role::BOTH {
            let other = match role {
                Role::Primary => Role::Secondary,
                Role::Secondary => Role::Primary,
            };
            let vpc = NodeId::new(&["vpc", &net.name, role.as_str()]);
            for i in 0..zones {
                routes.push(PeeringRoute {
                    side: role,
                    route_table: Value::r(&vpc, Attr::RouteTable(i)),
                    destination_cidr: net.cidr(other).to_string(),
                });
            }
        }
        let name = cx.base(&net.name, "pcx");
        let id = cx.add(
            NodeId::new(&["peering", &net.name, "primary"]),
            Role::Primary,
            name,
            format!(
                "Peering of `{}` between {} and {}",
                net.name, cx.site.primary_region, cx.site.secondary_region
            ),
            Protection::default(),
            NodeKind::Peering(Peering {
                requester,
                accepter,
                peer_region: cx.region(Role::Secondary),
                routes,
            }),
        );
        cx.settings
            .push(crate::graph::AccountSetting::PeeringDnsResolution { peering: id });
    }
}

/// A security group in `role`'s VPC.
pub(crate) fn security_group(
    cx: &mut Lower,
    label: &str,
    role: Role,
    description: &str,
    ingress: Vec<SgRule>,
    egress: Vec<SgRule>,
) -> Option<NodeId> {
    let vpc = vpc_id(cx, role)?;
    let name = cx.regional(label, "sg", role);
    Some(cx.add(
        NodeId::new(&["sg", label, role.as_str()]),
        role,
        name,
        description,
        Protection::default(),
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: Value::r(&vpc, Attr::Id),
            group_description: description.to_string(),
            ingress,
            egress,
        }),
    ))
}

/// An HTTPS rule.
pub(crate) fn https(peer: Peer, description: &str) -> SgRule {
    tcp(443, peer, description)
}

/// A TCP rule on one port.
pub(crate) fn tcp(port: u16, peer: Peer, description: &str) -> SgRule {
    SgRule {
        from_port: port,
        to_port: port,
        peer,
        description: description.to_string(),
    }
}

/// An interface endpoint for `service` (e.g. `monitoring`) in `role`'s VPC,
/// with its own security group admitting HTTPS from the VPC.
pub(crate) fn interface_endpoint(cx: &mut Lower, service: &str, role: Role) -> Option<NodeId> {
    let net = cx.model.network.clone()?;
    let vpc = vpc_id(cx, role)?;
    let cidr = net.cidr(role).to_string();
    let label = format!("{}-{service}", net.name);
    // One endpoint per service and region, whoever needs it (e.g. the
    // rotation of each of several databases' secrets).
    let id = NodeId::new(&["endpoint", &label, role.as_str()]);
    if cx.node(&id).is_some() {
        return Some(id);
    }
    let sg = security_group(
        cx,
        &format!("{label}-vpce"),
        role,
        &format!("HTTPS from the VPC to the {service} interface endpoint"),
        vec![https(Peer::Cidr(cidr.clone()), "HTTPS from the VPC")],
        vec![https(Peer::Cidr(cidr), "HTTPS inside the VPC")],
    )?;
    let name = cx.regional(&label, "vpce", role);
    let subnets = subnets(cx, role);
    Some(cx.add(
        id,
        role,
        name,
        format!("Interface endpoint for {service} in `{}`", net.name),
        Protection::default(),
        NodeKind::Endpoint(Endpoint {
            vpc: Value::r(&vpc, Attr::Id),
            service_name: format!("com.amazonaws.{}.{service}", cx.region(role)),
            service: service.into(),
            access: EndpointAccess::Interface {
                subnets,
                security_groups: vec![Value::r(&sg, Attr::Id)],
            },
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carves_consecutive_blocks() {
        let net = Cidr {
            addr: [10, 10, 0, 0],
            prefix: 16,
        };
        assert_eq!(carve(net, 20, 0).to_string(), "10.10.0.0/20");
        assert_eq!(carve(net, 20, 1).to_string(), "10.10.16.0/20");
    }
}
