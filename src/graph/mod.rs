//! The target-neutral resource graph: what a site needs in AWS, region by region,
//! at the level of capabilities (a key per region, a replicated bucket pair, a
//! global table with replicas, a global database with member clusters), before
//! any backend decides how to spell it.
//!
//! `crate::lower` builds a [`Graph`] from a checked [`crate::model::Model`];
//! the CloudFormation emitter (`crate::emit::cfn`) and the Terraform emitter
//! read the same graph. Nothing here knows about stacks, logical IDs,
//! parameters, `Fn::` functions, providers or Terraform addresses:
//!
//! * every node has a stable [`NodeId`], a home region ([`Node::role`] /
//!   [`Node::region`]), a physical name chosen during lowering
//!   (`<label>-<type>-<environment>-<suffix>`, the scheme the naming checks
//!   validate, plus the region's short name where uniqueness needs it, e.g.
//!   `documents-bucket-production-txn01-use1`),
//!   tags and protection flags;
//! * nodes point at each other only through symbolic references
//!   ([`Ref`] = node + [`Attr`]) inside [`Value`]s; a backend turns a
//!   reference into `Fn::GetAtt`, a stack parameter, a deterministic ARN
//!   ([`Graph::known_arn`]) or a Terraform expression as it sees fit;
//! * policies are lists of [`Statement`]s whose resources are [`Value`]s.
//!
//! Nodes are kept in a deterministic order (the order lowering creates them,
//! which follows the model's declaration order); emitters must not depend on
//! hash order anywhere.

mod active;
mod arn;
// The build script's list of builtin handler files; the library embeds the
// zips it builds, and a test checks them against the files.
#[cfg(test)]
mod builtin_code;
mod derived;
pub mod diagram;
mod drill;
mod kinds;
mod policy;

pub use active::GLOBAL_CONTROL_PLANE_REGION;
pub use derived::*;
pub use drill::*;
pub use kinds::*;
pub use policy::*;

use std::collections::BTreeMap;
use std::fmt;

/// Tags of one node, sorted by key. Lowering puts `Environment`, `DR-Role`,
/// `Name` and the site's own tags on every node; emitters apply them to
/// every resource type that supports tags and drop them elsewhere.
pub type Tags = BTreeMap<String, String>;

/// Which side of the pair a regional thing is on (`DR-Role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Primary,
    Secondary,
}

impl Role {
    /// The `DR-Role` tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Secondary => "secondary",
        }
    }

    /// The other side.
    pub fn other(self) -> Role {
        match self {
            Role::Primary => Role::Secondary,
            Role::Secondary => Role::Primary,
        }
    }

    /// Both sides, primary first.
    pub const BOTH: [Role; 2] = [Role::Primary, Role::Secondary];
}

/// The stable identity of a node inside one graph, e.g. `bucket/documents/primary`.
///
/// Built from the node's kind, its model name and its side, so it does not
/// change when unrelated parts of the site change. Emitters derive their own
/// identifiers (CloudFormation logical IDs, Terraform resource names) from it
/// or from the physical name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub String);

impl NodeId {
    /// Makes an id from its `/`-separated parts.
    pub fn new(parts: &[&str]) -> NodeId {
        NodeId(parts.join("/"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which attribute of a node a [`Ref`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attr {
    /// The resource's ARN (for a global database: `arn:aws:rds::ACCT:global-cluster:ID`).
    Arn,
    /// The AWS-assigned or chosen identifier: VPC id, security group id,
    /// KMS key id, peering connection id (`pcx-…`), health check id, hosted
    /// zone id, backup plan id, Aurora cluster identifier.
    Id,
    /// The physical name (bucket name, table name, role name, queue URL for
    /// queues is [`Attr::Url`]). Always equal to [`Node::name`].
    Name,
    /// A database cluster's writer endpoint address (for a global database:
    /// the global writer endpoint).
    Endpoint,
    /// A database cluster's reader endpoint address.
    ReaderEndpoint,
    /// A queue's URL.
    Url,
    /// A [`DbCluster`]'s region-unique, AWS-assigned resource id
    /// (`cluster-ABCDEFGHIJKL01234`), the `DbClusterResourceId` that
    /// `rds-db:connect` ARNs name
    /// (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).
    ResourceId,
    /// The `n`th private subnet of a [`Vpc`] (0-based, one per availability zone).
    Subnet(u8),
    /// The route table of the `n`th private subnet of a [`Vpc`].
    RouteTable(u8),
    /// The CIDR block of a [`Vpc`].
    Cidr,
    /// The ARN of a [`GlobalTable`]'s replica in the secondary region (AWS Backup
    /// backs a replica up by its regional table ARN).
    ReplicaArn,
    /// The host name API Gateway serves a regional [`ApiDomain`] on
    /// (`d-….execute-api.<region>.amazonaws.com`), the alias target.
    TargetDomainName,
    /// The Route 53 hosted zone of a regional [`ApiDomain`]'s target.
    TargetZoneId,
    /// The id of the Route 53 health check a [`RegionSwitchPlan`]'s
    /// `Route53HealthCheck` block created for the plan's `n`th region
    /// (`RegionSwitchPlan::regions[n]`); Region switch sets its status when a
    /// workflow activates a region
    /// (<https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html>).
    PlanHealthCheck(u8),
}

impl fmt::Display for Attr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attr::Arn => f.write_str("arn"),
            Attr::Id => f.write_str("id"),
            Attr::Name => f.write_str("name"),
            Attr::Endpoint => f.write_str("endpoint"),
            Attr::ReaderEndpoint => f.write_str("reader_endpoint"),
            Attr::Url => f.write_str("url"),
            Attr::ResourceId => f.write_str("resource_id"),
            Attr::Subnet(i) => write!(f, "subnet[{i}]"),
            Attr::RouteTable(i) => write!(f, "route_table[{i}]"),
            Attr::Cidr => f.write_str("cidr"),
            Attr::ReplicaArn => f.write_str("replica_arn"),
            Attr::TargetDomainName => f.write_str("target_domain_name"),
            Attr::TargetZoneId => f.write_str("target_zone_id"),
            Attr::PlanHealthCheck(i) => write!(f, "health_check[{i}]"),
        }
    }
}

/// A symbolic reference to an attribute of another node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ref {
    /// The node referred to.
    pub node: NodeId,
    /// Which of its attributes.
    pub attr: Attr,
}

impl Ref {
    /// `node`'s `attr`.
    pub fn new(node: &NodeId, attr: Attr) -> Ref {
        Ref {
            node: node.clone(),
            attr,
        }
    }
}

/// A string-valued property that may depend on other nodes or on the account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// Literal text.
    Lit(String),
    /// An attribute of another node.
    Ref(Ref),
    /// The deploying account's id (12 digits).
    AccountId,
    /// The AWS partition (`aws`).
    Partition,
    /// The concatenation of the parts, e.g. a bucket ARN followed by `/*`.
    Join(Vec<Value>),
    /// A value that exists outside the site and must be looked up at deploy
    /// time (Terraform: a data source; CloudFormation: a parameter the
    /// deploy manifest fills in with a CLI query).
    Lookup(Lookup),
}

/// Something that exists outside the site and is found by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lookup {
    /// The id (without `/hostedzone/`) of the existing public hosted zone
    /// for `domain` (no trailing dot).
    HostedZoneId {
        /// The zone's domain name.
        domain: String,
    },
}

impl Value {
    /// A literal.
    pub fn lit(s: impl Into<String>) -> Value {
        Value::Lit(s.into())
    }

    /// A reference to `node`'s `attr`.
    pub fn r(node: &NodeId, attr: Attr) -> Value {
        Value::Ref(Ref::new(node, attr))
    }

    /// The concatenation of `parts`; adjacent literals are merged and a
    /// single part is returned unwrapped.
    pub fn join(parts: Vec<Value>) -> Value {
        let mut out: Vec<Value> = Vec::new();
        for p in parts {
            let flat = match p {
                Value::Join(inner) => inner,
                other => vec![other],
            };
            for q in flat {
                match (out.last_mut(), q) {
                    (Some(Value::Lit(a)), Value::Lit(b)) => a.push_str(&b),
                    (_, Value::Lit(b)) if b.is_empty() => {}
                    (_, q) => out.push(q),
                }
            }
        }
        match out.len() {
            0 => Value::Lit(String::new()),
            1 => out.pop().unwrap_or_else(|| Value::Lit(String::new())),
            _ => Value::Join(out),
        }
    }

    /// Every lookup inside the value, in order.
    pub fn lookups(&self) -> Vec<&Lookup> {
        match self {
            Value::Lookup(l) => vec![l],
            Value::Join(parts) => parts.iter().flat_map(|p| p.lookups()).collect(),
            _ => Vec::new(),
        }
    }

    /// The literal text, when the value has no references or pseudo values.
    pub fn as_lit(&self) -> Option<&str> {
        match self {
            Value::Lit(s) => Some(s),
            _ => None,
        }
    }

    /// Every reference inside the value, in order.
    pub fn refs(&self) -> Vec<&Ref> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a Ref>) {
        match self {
            Value::Ref(r) => out.push(r),
            Value::Join(parts) => parts.iter().for_each(|p| p.collect_refs(out)),
            Value::Lit(_) | Value::AccountId | Value::Partition | Value::Lookup(_) => {}
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Lit(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Lit(s)
    }
}

/// Deletion behaviour of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Protection {
    /// Keep the resource when its stack/configuration is deleted or the
    /// resource is replaced (CloudFormation `DeletionPolicy`/`UpdateReplacePolicy:
    /// Retain`, Terraform `prevent_destroy`). Set on critical data in production (R25).
    pub retain: bool,
    /// Turn on the service's own deletion protection where it has one
    /// (Aurora clusters, the global cluster, DynamoDB replicas) (R24).
    pub deletion_protection: bool,
}

/// One resource-level capability in one region.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Stable identity, see [`NodeId`].
    pub id: NodeId,
    /// The side whose region creates (owns) the node. Global services (IAM,
    /// Route 53, the global database) also have a home side: the region whose
    /// deployment creates them.
    pub role: Role,
    /// The AWS region of [`Node::role`], e.g. `us-east-1`.
    pub region: String,
    /// Physical name (`<label>-<type>-<environment>-<suffix>[-<region short>]`). For
    /// nodes AWS names itself (VPCs, health checks) it is the `Name` tag.
    pub name: String,
    /// One-line description (used for `Description` properties and comments).
    pub description: String,
    /// Tags, see [`Tags`].
    pub tags: Tags,
    /// Retain / deletion-protection flags.
    pub protection: Protection,
    /// What the node is.
    pub kind: NodeKind,
    /// The declaration the node (and its name) was lowered from; `None` for
    /// nodes of the site as a whole (topics, the dashboard).
    pub origin: Option<crate::source::Span>,
}

impl Node {
    /// Every reference this node makes to other nodes, in a stable order
    /// (with duplicates). Emitters use it for dependency ordering and to
    /// find references that cross regions.
    pub fn refs(&self) -> Vec<&Ref> {
        self.kind.refs()
    }

    /// This node's `attr` in deterministic form, see [`Graph::known_arn`].
    pub fn known(&self, attr: Attr) -> Option<Value> {
        arn::known(self, attr)
    }
}

/// Basic facts about the site the graph was lowered from.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteInfo {
    /// The site's name, e.g. `transactions`.
    pub name: String,
    /// `production`, `staging`, ...
    pub environment: String,
    /// The `Environment` tag value, e.g. `Production`.
    pub environment_tag: String,
    /// Whether the environment is production (protection flags follow it).
    pub production: bool,
    /// The environment suffix, e.g. `txn01`.
    pub suffix: String,
    /// Primary region, e.g. `us-east-1`.
    pub primary_region: String,
    /// Secondary region, e.g. `us-west-2`.
    pub secondary_region: String,
    /// AZ-id prefix of the primary region, e.g. `use1`.
    pub primary_short: String,
    /// AZ-id prefix of the secondary region, e.g. `usw2`.
    pub secondary_short: String,
    /// Recovery point objective in seconds.
    pub rpo_secs: u64,
    /// Recovery time objective in seconds.
    pub rto_secs: u64,
    /// The site's own tags (also present on every node).
    pub tags: Tags,
    /// The compliance profile's name, if any.
    pub profile: Option<String>,
    /// The active side, the writer (`site.active`, R35): [`Role::Primary`]
    /// unless the site has failed over. `primary_region` and
    /// `secondary_region` keep naming the regions the site was built with.
    pub active: Role,
}

impl SiteInfo {
    /// The region of `role`.
    pub fn region(&self, role: Role) -> &str {
        match role {
            Role::Primary => &self.primary_region,
            Role::Secondary => &self.secondary_region,
        }
    }

    /// The short name (AZ-id prefix) of `role`'s region.
    pub fn short(&self, role: Role) -> &str {
        match role {
            Role::Primary => &self.primary_short,
            Role::Secondary => &self.secondary_short,
        }
    }
}

/// Account- or region-level settings the site needs that are not resources
/// (CloudFormation cannot set them; Terraform has resources for some).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountSetting {
    /// AWS Backup region settings: opt in to backing up these resource types
    /// (`ResourceTypeOptInPreference`) and turn on advanced (AWS Backup–managed)
    /// features for the listed types (`ResourceTypeManagementPreference`,
    /// needed for cross-region copies of DynamoDB backups).
    BackupRegionSettings {
        /// The region the setting applies to.
        region: String,
        /// Resource types to opt in, e.g. `Aurora`, `DynamoDB`, `S3` (sorted).
        opt_in: Vec<String>,
        /// Resource types whose advanced backup features to enable, e.g. `DynamoDB`.
        full_management: Vec<String>,
    },
    /// Allow DNS resolution across a VPC peering connection, on both sides
    /// (`ModifyVpcPeeringConnectionOptions`); runs after the peering exists.
    PeeringDnsResolution {
        /// The [`Peering`] node.
        peering: NodeId,
    },
}

/// The whole lowered site.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// Site-wide facts.
    pub site: SiteInfo,
    /// Every node, in deterministic creation order; ids are unique.
    pub nodes: Vec<Node>,
    /// Settings outside any resource, in order.
    pub account_settings: Vec<AccountSetting>,
}

impl Graph {
    /// The node with `id`.
    pub fn get(&self, id: &NodeId) -> Option<&Node> {
        self.nodes.iter().find(|n| &n.id == id)
    }

    /// The nodes whose home is `role`'s region, in order.
    pub fn on(&self, role: Role) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(move |n| n.role == role)
    }

    /// A deterministic form of `r` built only from literals, the account id
    /// and the partition, when AWS lets the caller know it in advance (ARNs
    /// and names of resources whose name drsc chooses: buckets, tables,
    /// vaults, roles, clusters, functions, topics, queues, log groups...).
    /// `None` for random identifiers (KMS key ids and ARNs, VPC, subnet,
    /// security group and peering ids, health check ids, endpoints).
    ///
    /// Backends use it to avoid cross-stack plumbing (and to write policies
    /// that must not depend on the resource existing yet).
    pub fn known_arn(&self, r: &Ref) -> Option<Value> {
        let node = self.get(&r.node)?;
        arn::known(node, r.attr)
    }
}

/// Joins name parts with `-`, lowercasing them and turning `_` and spaces into `-`.
pub fn physical_name(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.to_ascii_lowercase().replace(['_', ' '], "-"))
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each builtin's embedded package is the deterministic zip of its
    /// current source file, under the entry name Lambda's handler expects.
    #[test]
    fn builtin_packages_are_the_zips_of_their_files() {
        let all = [
            Builtin::Failover,
            Builtin::Probe,
            Builtin::Starter,
            Builtin::EdgeProbe,
            Builtin::RestoreValidation,
        ];
        assert_eq!(all.len(), builtin_code::FILES.len());
        for b in all {
            let (_, entry, path) = builtin_code::FILES
                .iter()
                .find(|(name, _, _)| *name == b.name())
                .expect("every builtin is listed");
            let text = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
                .expect("the builtin's file exists");
            let zip = crate::emit::zip::zip_files(&[(entry.to_string(), text)]);
            assert_eq!(b.package(), zip.as_slice(), "{}", b.name());
        }
    }

    #[test]
    fn join_merges_literals_and_unwraps() {
        let id = NodeId::new(&["bucket", "docs", "primary"]);
        let v = Value::join(vec![
            Value::lit("a"),
            Value::lit("b"),
            Value::r(&id, Attr::Arn),
            Value::lit(""),
            Value::lit("/*"),
        ]);
        assert_eq!(
            v,
            Value::Join(vec![
                Value::lit("ab"),
                Value::r(&id, Attr::Arn),
                Value::lit("/*")
            ])
        );
        assert_eq!(Value::join(vec![Value::lit("x")]), Value::lit("x"));
        assert_eq!(v.refs().len(), 1);
    }

    #[test]
    fn physical_names_are_lowercase_with_hyphens() {
        assert_eq!(
            physical_name(&["ddb", "transaction_meta", "production", "TXN01"]),
            "ddb-transaction-meta-production-txn01"
        );
    }
}
