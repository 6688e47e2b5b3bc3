//! The sections of the generated README that state backend-neutral facts
//! (R30, issue 12): both the CloudFormation and the Terraform README call
//! these generators, so each fact is written once. Where a command or an
//! identifier differs between the backends, a section takes [`Backend`].
//! Read from the graph only.

mod compliance;
mod credentials;
mod day_after;
mod failover;
mod front_door;
mod keys;
mod stores;

pub(crate) use super::active::Backend;
pub(crate) use compliance::section as compliance;
pub(crate) use credentials::section as credentials;
pub(crate) use day_after::section as day_after;
pub(crate) use failover::section as failover;
pub(crate) use front_door::section as front_door;
pub(crate) use keys::section as key_policies;
pub(crate) use stores::section as data_stores;

use crate::graph::{Code, Node, NodeKind, Purpose, Role};

/// The probe over the peering (drsc's inline probe), not the edge probe.
pub(crate) fn peering_probe(g: &crate::graph::Graph) -> Option<&Node> {
    g.nodes.iter().find(|n| {
        matches!(&n.kind, NodeKind::Function(f)
            if f.purpose == Purpose::Probe && f.code == Code::Builtin(crate::graph::Builtin::Probe))
    })
}

/// The README's sentences on the second signal and the composite alarm
/// (empty without one).
pub(crate) fn second_signal(g: &crate::graph::Graph) -> String {
    let edge = g.nodes.iter().find_map(|n| match &n.kind {
        NodeKind::Function(f) if f.code == Code::Builtin(crate::graph::Builtin::EdgeProbe) => {
            Some((n, f))
        }
        _ => None,
    });
    let composite = g
        .nodes
        .iter()
        .find(|n| matches!(n.kind, NodeKind::CompositeAlarm(_)));
    let (Some((e, f)), Some(c)) = (edge, composite) else {
        return String::new();
    };
    let url = f
        .environment
        .get("TARGET_URL")
        .and_then(|v| v.as_lit())
        .unwrap_or("?");
    let inputs: Vec<String> = match &c.kind {
        NodeKind::CompositeAlarm(x) => x
            .inputs
            .iter()
            .filter_map(|i| g.get(i).map(|n| format!("ALARM({})", n.name)))
            .collect(),
        _ => Vec::new(),
    };
    format!(
        " A second, independent signal takes another path: the edge probe `{}` runs outside any VPC on the same schedule, sends `GET {url}` (the primary front door's health URL) over the internet and publishes `PrimaryFrontDoorReachable`; its alarm goes to ALARM the same way. The composite alarm `{}` (`{}`, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-combining.html) is what starts the failover: a partition of the peering alone, or of the internet path alone, does not promote the secondary. The estimate's detection term is the slower of the two alarms.",
        e.name,
        c.name,
        inputs.join(" AND ")
    )
}

/// The original primary's member cluster of the global database `global`.
pub(super) fn primary_member<'g>(
    g: &'g crate::graph::Graph,
    global: &crate::graph::NodeId,
) -> Option<&'g Node> {
    g.nodes.iter().find(|c| {
        c.role == Role::Primary && matches!(&c.kind, NodeKind::DbCluster(d) if &d.global == global)
    })
}

pub(super) fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Whether the site has a failover engine (a Region switch plan or drsc's
/// failover function): without one the README has no failover sections.
pub(super) fn has_engine(g: &crate::graph::Graph) -> bool {
    g.nodes.iter().any(|n| match &n.kind {
        NodeKind::RegionSwitchPlan(_) => true,
        NodeKind::Function(f) => f.purpose == crate::graph::Purpose::Failover,
        _ => false,
    })
}
