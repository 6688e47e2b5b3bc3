//! Which stack each node goes into (aws-dr-reference §0).
//!
//! * Nodes homed in the primary region go into the `primary` stack.
//! * Nodes homed in the secondary region go into the `foundation` stack
//!   (deployed first) unless they need something only a later stack creates:
//!   then they go into the `secondary` stack (deployed last). A dependency
//!   counts unless it is a reference inside a policy whose value is
//!   deterministic (a known ARN needs no resource to exist).
//! * The secondary side's peering routes are the one split node: the
//!   peering lives in `primary`, its secondary routes in `secondary`.

use crate::graph::Role;
use crate::graph::{Graph, NodeId, NodeKind, Resources, Statement};
use std::collections::BTreeMap;

/// The stacks, in deploy order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stack {
    /// The artifact bucket in the primary region.
    BootstrapPrimary,
    /// The artifact bucket in the secondary region.
    BootstrapSecondary,
    /// Secondary region, step 1: keys, VPC, destination bucket, DR vault, topics.
    Foundation,
    /// Primary region, step 2.
    Primary,
    /// Secondary region, step 3: secondary cluster, routes, failover automation.
    Secondary,
}

impl Stack {
    /// Every stack in deploy order.
    pub const ALL: [Stack; 5] = [
        Stack::BootstrapPrimary,
        Stack::BootstrapSecondary,
        Stack::Foundation,
        Stack::Primary,
        Stack::Secondary,
    ];

    /// The side whose region the stack is deployed in.
    pub fn role(self) -> Role {
        match self {
            Stack::BootstrapPrimary | Stack::Primary => Role::Primary,
            _ => Role::Secondary,
        }
    }

    /// The short stack label used in stack names.
    pub fn label(self, graph: &Graph) -> String {
        match self {
            Stack::BootstrapPrimary => format!("bootstrap-{}", graph.site.primary_short),
            Stack::BootstrapSecondary => format!("bootstrap-{}", graph.site.secondary_short),
            Stack::Foundation => "foundation".into(),
            Stack::Primary => "primary".into(),
            Stack::Secondary => "secondary".into(),
        }
    }

    /// The template file name.
    pub fn file(self, graph: &Graph) -> String {
        format!("{}.json", self.label(graph))
    }

    /// The CloudFormation stack name: `<site>-<environment>-<suffix>-<label>`.
    pub fn stack_name(self, graph: &Graph) -> String {
        crate::graph::physical_name(&[
            &graph.site.name,
            &graph.site.environment,
            &graph.site.suffix,
            &self.label(graph),
        ])
    }

    /// Whether this is an artifact-bucket stack.
    pub fn is_bootstrap(self) -> bool {
        matches!(self, Stack::BootstrapPrimary | Stack::BootstrapSecondary)
    }

    /// The bootstrap stack of `role`'s region.
    pub fn bootstrap(role: Role) -> Stack {
        match role {
            Role::Primary => Stack::BootstrapPrimary,
            Role::Secondary => Stack::BootstrapSecondary,
        }
    }
}

/// The statements of a node's policies (key, role, topic).
pub(crate) fn policies(kind: &NodeKind) -> Vec<&Statement> {
    match kind {
        NodeKind::Key(k) => k.policy.iter().collect(),
        NodeKind::Role(r) => r.statements.iter().collect(),
        NodeKind::Topic(t) => t.policy.iter().collect(),
        _ => Vec::new(),
    }
}

/// Whether `node` is a secondary-region bucket replicating back to the
/// primary region (R33). Its destination bucket is created by a stack
/// deployed after the secondary's first stack, and S3 requires the
/// destination to exist, so the replication is added by a second deploy of
/// the bucket's stack.
pub(crate) fn replicates_back(graph: &Graph, node: &crate::graph::Node) -> bool {
    match &node.kind {
        NodeKind::Bucket(b) => b.replication.as_ref().is_some_and(|r| {
            node.role == Role::Secondary
                && graph
                    .get(&r.destination)
                    .is_some_and(|d| d.role == Role::Primary)
        }),
        _ => false,
    }
}

/// The nodes `id` needs to exist (or to have produced a value) before it is created.
fn hard_deps(graph: &Graph, id: &NodeId) -> Vec<NodeId> {
    let Some(node) = graph.get(id) else {
        return Vec::new();
    };
    // Only the kinds with a part applied later are copied to strip it.
    let strip = match &node.kind {
        NodeKind::Bucket(_) => replicates_back(graph, node),
        NodeKind::Key(_) | NodeKind::Role(_) | NodeKind::Topic(_) => true,
        _ => false,
    };
    let mut deps = if strip {
        let mut stripped = node.kind.clone();
        match &mut stripped {
            // Applied by the stack's second deploy, when every stack exists.
            NodeKind::Bucket(b) => b.replication = None,
            NodeKind::Key(k) => k.policy.clear(),
            NodeKind::Role(r) => r.statements.clear(),
            NodeKind::Topic(t) => t.policy.clear(),
            _ => {}
        }
        stripped.depends_on()
    } else {
        node.kind.depends_on()
    };
    for s in policies(&node.kind) {
        let mut values: Vec<&crate::graph::Value> = Vec::new();
        if let Resources::Some(rs) = &s.resources {
            values.extend(rs);
        }
        for c in &s.conditions {
            values.extend(&c.values);
        }
        for v in values {
            for r in v.refs() {
                if graph.known_arn(r).is_none() {
                    deps.push(r.node.clone());
                }
            }
        }
    }
    deps.retain(|d| d != id);
    deps
}

/// Assigns every node to a stack.
pub fn assign(graph: &Graph) -> BTreeMap<NodeId, Stack> {
    let mut out: BTreeMap<NodeId, Stack> = graph
        .nodes
        .iter()
        .map(|n| {
            let s = match (&n.kind, n.role) {
                // The access-log buckets come first: the bootstrap stack's
                // artifact bucket logs to them too.
                (NodeKind::Bucket(b), role) if b.log_sink => Stack::bootstrap(role),
                (_, Role::Primary) => Stack::Primary,
                (_, Role::Secondary) => Stack::Foundation,
            };
            (n.id.clone(), s)
        })
        .collect();
    let deps: BTreeMap<NodeId, Vec<NodeId>> = graph
        .nodes
        .iter()
        .map(|n| (n.id.clone(), hard_deps(graph, &n.id)))
        .collect();
    loop {
        let mut changed = false;
        for n in &graph.nodes {
            if out[&n.id] != Stack::Foundation {
                continue;
            }
            let later = deps[&n.id]
                .iter()
                .any(|d| out.get(d).is_some_and(|s| *s > Stack::Foundation));
            if later {
                out.insert(n.id.clone(), Stack::Secondary);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// Dependencies that go against the deploy order (a node needing a node of a
/// later stack). Empty for a consistent graph.
pub fn violations(graph: &Graph, stacks: &BTreeMap<NodeId, Stack>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    for n in &graph.nodes {
        let here = stacks[&n.id];
        for d in hard_deps(graph, &n.id) {
            if stacks.get(&d).is_some_and(|s| *s > here) {
                out.push((n.id.clone(), d));
            }
        }
    }
    out
}
