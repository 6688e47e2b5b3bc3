//! The node kinds. Each is one capability; a backend may split it into
//! several resources (a [`Key`] is a key and an alias; a [`Vpc`] is a VPC,
//! subnets, route tables and associations; a [`DbCluster`] is a cluster, its
//! instances, subnet group and parameter group; a [`Bucket`] is a bucket, its policy, logging and lifecycle; an
//! [`IamRole`] is a role and its customer-managed policy).
//!
//! Fields that become property values are [`Value`]s (possibly references);
//! fields that name another node structurally are [`NodeId`]s.

use super::Derived;
use super::Role as Side;
use super::{NodeId, Ref, Statement, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A customer-managed KMS key and its alias.
    Key(Key),
    /// A VPC with private subnets and route tables.
    Vpc(Vpc),
    /// A cross-region VPC peering with routes on both sides.
    Peering(Peering),
    /// A security group.
    SecurityGroup(SecurityGroup),
    /// A VPC endpoint (gateway or interface).
    Endpoint(Endpoint),
    /// An Aurora global database (the global cluster).
    GlobalDatabase(GlobalDatabase),
    /// One member cluster of a global database.
    DbCluster(DbCluster),
    /// A Secrets Manager secret of the site, replicated to the other region.
    Secret(Secret),
    /// A DynamoDB global table with its replicas.
    GlobalTable(GlobalTable),
    /// An S3 bucket (the source or the replica of a pair).
    Bucket(Bucket),
    /// An IAM role with its customer-managed policy.
    Role(IamRole),
    /// A CloudWatch Logs log group.
    LogGroup(LogGroup),
    /// An SQS queue (dead-letter queue).
    Queue(Queue),
    /// A Lambda function.
    Function(Function),
    /// An AWS Backup vault.
    Vault(Vault),
    /// An AWS Backup plan with its selection.
    BackupPlan(BackupPlan),
    BackupFramework(BackupFramework),
    /// An AWS Backup restore testing plan with its selections (R36).
    RestoreTestingPlan(RestoreTestingPlan),
    /// An AWS Backup Audit Manager report plan delivering to an evidence bucket.
    ReportPlan(ReportPlan),
    /// An AWS Backup logically air-gapped vault (the isolated copy).
    AirGappedVault(AirGappedVault),
    /// An SNS topic with its subscriptions and policy.
    Topic(Topic),
    /// An EventBridge rule (event pattern or schedule).
    EventRule(EventRule),
    /// A CloudWatch metric alarm.
    Alarm(Alarm),
    /// A CloudWatch composite alarm over other alarms of its region.
    CompositeAlarm(CompositeAlarm),
    /// A CloudWatch dashboard.
    Dashboard(Dashboard),
    /// A Route 53 health check.
    HealthCheck(HealthCheck),
    /// A Route 53 public hosted zone drsc creates.
    HostedZone(HostedZone),
    /// A weighted Route 53 record.
    Record(Record),
    /// An API Gateway HTTP API in front of one function (one region).
    HttpApi(HttpApi),
    /// An ACM certificate of one region, validated by DNS.
    Certificate(Certificate),
    /// A regional API Gateway custom domain mapped to an [`HttpApi`].
    ApiDomain(ApiDomain),
    /// A simple Route 53 alias record (no routing policy).
    AliasRecord(AliasRecord),
    /// An AWS ARC Region switch plan (global; declared once).
    RegionSwitchPlan(RegionSwitchPlan),
    /// An AWS FIS experiment template: the region-loss drill (R37).
    DrillTemplate(super::DrillTemplate),
}

impl NodeKind {
    /// A short lowercase name of the kind (`key`, `vpc`, `db_cluster`, ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            NodeKind::Key(_) => "key",
            NodeKind::Vpc(_) => "vpc",
            NodeKind::Peering(_) => "peering",
            NodeKind::SecurityGroup(_) => "security_group",
            NodeKind::Endpoint(_) => "endpoint",
            NodeKind::GlobalDatabase(_) => "global_database",
            NodeKind::DbCluster(_) => "db_cluster",
            NodeKind::Secret(_) => "secret",
            NodeKind::GlobalTable(_) => "global_table",
            NodeKind::Bucket(_) => "bucket",
            NodeKind::Role(_) => "role",
            NodeKind::LogGroup(_) => "log_group",
            NodeKind::Queue(_) => "queue",
            NodeKind::Function(_) => "function",
            NodeKind::Vault(_) => "vault",
            NodeKind::BackupPlan(_) => "backup_plan",
            NodeKind::BackupFramework(_) => "backup_framework",
            NodeKind::RestoreTestingPlan(_) => "restore_testing_plan",
            NodeKind::ReportPlan(_) => "report_plan",
            NodeKind::AirGappedVault(_) => "air_gapped_vault",
            NodeKind::Topic(_) => "topic",
            NodeKind::EventRule(_) => "event_rule",
            NodeKind::Alarm(_) => "alarm",
            NodeKind::CompositeAlarm(_) => "composite_alarm",
            NodeKind::Dashboard(_) => "dashboard",
            NodeKind::HealthCheck(_) => "health_check",
            NodeKind::HostedZone(_) => "hosted_zone",
            NodeKind::Record(_) => "record",
            NodeKind::HttpApi(_) => "http_api",
            NodeKind::Certificate(_) => "certificate",
            NodeKind::ApiDomain(_) => "api_domain",
            NodeKind::AliasRecord(_) => "alias_record",
            NodeKind::RegionSwitchPlan(_) => "region_switch_plan",
            NodeKind::DrillTemplate(_) => "drill_template",
        }
    }

    /// Every symbolic reference inside the node's values, in field order.
    pub fn refs(&self) -> Vec<&Ref> {
        let mut values: Vec<&Value> = Vec::new();
        let mut stmts: Vec<&Statement> = Vec::new();
        match self {
            NodeKind::Key(k) => stmts.extend(&k.policy),
            NodeKind::Vpc(v) => {
                if let Some(f) = &v.flow_logs {
                    values.push(&f.log_group_arn);
                }
            }
            NodeKind::Peering(p) => values.extend(p.routes.iter().map(|r| &r.route_table)),
            NodeKind::SecurityGroup(s) => {
                values.push(&s.vpc);
                for rule in s.ingress.iter().chain(&s.egress) {
                    if let Peer::Group(v) = &rule.peer {
                        values.push(v);
                    }
                }
            }
            NodeKind::Endpoint(e) => {
                values.push(&e.vpc);
                match &e.access {
                    EndpointAccess::Gateway { route_tables } => values.extend(route_tables),
                    EndpointAccess::Interface {
                        subnets,
                        security_groups,
                    } => {
                        values.extend(subnets);
                        values.extend(security_groups);
                    }
                }
            }
            NodeKind::GlobalDatabase(_) => {}
            NodeKind::DbCluster(c) => {
                values.push(&c.key);
                if let Some(m) = &c.master {
                    values.push(&m.secret);
                }
                values.extend(&c.subnet_group.subnets);
                values.extend(&c.security_groups);
            }
            NodeKind::Secret(s) => {
                values.push(&s.key);
                values.extend(s.replicas.iter().map(|r| &r.key));
                if let Some(r) = &s.rotation {
                    values.extend(&r.subnets);
                    values.extend(&r.security_groups);
                }
            }
            NodeKind::GlobalTable(t) => values.extend(t.replicas.iter().map(|r| &r.key)),
            NodeKind::Bucket(b) => {
                values.extend(&b.key);
                stmts.extend(&b.policy);
                if let Some(r) = &b.replication {
                    values.push(&r.replica_key);
                }
            }
            NodeKind::Role(r) => {
                values.extend(&r.managed_policies);
                stmts.extend(&r.statements);
            }
            NodeKind::LogGroup(l) => values.extend(&l.key),
            NodeKind::Queue(q) => values.push(&q.key),
            NodeKind::Function(f) => {
                values.extend(f.environment.values());
                if let Some(v) = &f.vpc {
                    values.extend(&v.subnets);
                    values.extend(&v.security_groups);
                }
                values.extend(f.invokers.iter().map(|i| &i.source_arn));
            }
            NodeKind::Vault(v) => {
                values.push(&v.key);
                stmts.extend(&v.access_policy);
            }
            NodeKind::BackupPlan(p) => {
                values.extend(p.selection.resources.iter());
                for r in &p.rules {
                    values.extend(r.isolated_copy.iter().map(|c| &c.destination));
                }
            }
            NodeKind::BackupFramework(_) => {}
            NodeKind::RestoreTestingPlan(p) => {
                values.extend(p.selections.iter().flat_map(|s| s.overrides.values()));
            }
            NodeKind::ReportPlan(r) => {
                values.push(&r.bucket);
                values.extend(&r.frameworks);
            }
            NodeKind::AirGappedVault(_) => {}
            NodeKind::Topic(t) => {
                values.push(&t.key);
                stmts.extend(&t.policy);
            }
            NodeKind::EventRule(_) => {}
            NodeKind::Alarm(a) => values.extend(a.dimensions.iter().map(|(_, v)| v)),
            NodeKind::CompositeAlarm(c) => values.push(&c.rule),
            NodeKind::Dashboard(_) => {}
            NodeKind::HealthCheck(_) => {}
            NodeKind::HostedZone(_) => {}
            NodeKind::Record(r) => {
                if let RecordTarget::Alias(a) = &r.target {
                    values.extend([&a.dns_name, &a.zone_id]);
                }
                values.extend(&r.health_check);
            }
            NodeKind::HttpApi(a) => values.extend([&a.function, &a.access_log_group]),
            NodeKind::Certificate(c) => values.extend(c.validation.iter().map(|v| &v.zone_id)),
            NodeKind::ApiDomain(d) => values.extend([&d.certificate, &d.api]),
            NodeKind::AliasRecord(r) => values.extend([&r.target.dns_name, &r.target.zone_id]),
            NodeKind::RegionSwitchPlan(p) => {
                values.extend(p.associated_alarms.iter().map(|a| &a.alarm));
                for w in &p.workflows {
                    for s in &w.steps {
                        match &s.block {
                            ExecutionBlock::GlobalAurora(a) => {
                                values.push(&a.global_cluster);
                                values.extend(&a.clusters);
                            }
                            ExecutionBlock::Route53HealthCheck(r) => values.push(&r.zone_id),
                            ExecutionBlock::Approval(a) => values.push(&a.role),
                        }
                    }
                }
            }
            NodeKind::DrillTemplate(d) => {
                for t in &d.targets {
                    if let super::TargetSelection::Arns(arns) = &t.selection {
                        values.extend(arns);
                    }
                }
                values.extend(d.stop_alarms.iter().map(|a| &a.arn));
            }
        }
        let mut out: Vec<&Ref> = values.iter().flat_map(|v| v.refs()).collect();
        for s in stmts {
            if let super::Resources::Some(rs) = &s.resources {
                out.extend(rs.iter().flat_map(|v| v.refs()));
            }
            for c in &s.conditions {
                out.extend(c.values.iter().flat_map(|v| v.refs()));
            }
        }
        out
    }

    /// Every node this node depends on: the nodes of [`NodeKind::refs`] plus
    /// the structural links ([`NodeId`] fields). Sorted, without duplicates.
    pub fn depends_on(&self) -> Vec<NodeId> {
        let mut out: Vec<NodeId> = self.refs().into_iter().map(|r| r.node.clone()).collect();
        match self {
            NodeKind::Peering(p) => out.extend([p.requester.clone(), p.accepter.clone()]),
            NodeKind::Vpc(v) => {
                if let Some(f) = &v.flow_logs {
                    out.extend([f.log_group.clone(), f.role.clone()]);
                }
            }
            NodeKind::DbCluster(c) => {
                out.push(c.global.clone());
                out.extend(c.log_group.clone());
                if let Some(m) = &c.monitoring {
                    out.push(m.role.clone());
                }
            }
            NodeKind::Bucket(b) => {
                if let Some(l) = &b.access_logs {
                    out.push(l.bucket.clone());
                }
                if let Some(r) = &b.replication {
                    out.extend([r.destination.clone(), r.role.clone()]);
                }
                if let Some(n) = &b.notify {
                    out.push(n.topic.clone());
                }
            }
            NodeKind::Function(f) => {
                out.push(f.role.clone());
                out.push(f.log_group.clone());
                out.extend(f.dead_letter.clone());
            }
            NodeKind::BackupPlan(p) => {
                out.push(p.vault.clone());
                out.push(p.selection.role.clone());
                for r in &p.rules {
                    if let Some(c) = &r.copy {
                        out.push(c.vault.clone());
                    }
                }
            }
            NodeKind::RestoreTestingPlan(p) => {
                out.push(p.vault.clone());
                out.extend(p.selections.iter().map(|s| s.role.clone()));
            }
            NodeKind::Topic(t) => {
                for s in &t.subscriptions {
                    if let Subscription::Function(f) = s {
                        out.push(f.clone());
                    }
                }
            }
            NodeKind::EventRule(e) => out.extend(e.targets.iter().cloned()),
            NodeKind::Alarm(a) => out.extend(a.actions.iter().cloned()),
            NodeKind::CompositeAlarm(c) => {
                out.extend(c.inputs.iter().cloned());
                out.extend(c.actions.iter().cloned());
            }
            NodeKind::DrillTemplate(d) => {
                out.extend([d.role.clone(), d.log_group.clone(), d.report_bucket.clone()]);
                out.extend(d.stop_alarms.iter().map(|a| a.alarm.clone()));
            }
            NodeKind::RegionSwitchPlan(p) => {
                out.push(p.execution_role.clone());
                out.push(p.report_bucket.clone());
                out.extend(p.after.iter().cloned());
            }
            NodeKind::Record(r) => {
                if let ZoneRef::Node(z) = &r.zone {
                    out.push(z.clone());
                }
            }
            NodeKind::AliasRecord(r) => {
                if let ZoneRef::Node(z) = &r.zone {
                    out.push(z.clone());
                }
            }
            _ => {}
        }
        out.sort();
        out.dedup();
        out
    }
}

/// A customer-managed symmetric KMS key in one region, with its alias.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// Alias name including the `alias/` prefix, e.g. `alias/data-key-production-txn01`.
    pub alias: String,
    /// Automatic rotation (R21).
    pub rotation: bool,
    /// Rotation period in days (90–2560).
    pub rotation_period_days: Derived<u32>,
    /// Waiting period before deletion, in days (7–30).
    pub pending_window_days: Derived<u32>,
    /// The key policy (R22): account administration plus exactly the
    /// services and roles that use this key, `Resources::All` meaning this key.
    pub policy: Vec<Statement>,
    /// What uses the key, for documentation (e.g. `aurora ledger`, `logs`).
    pub used_by: Vec<String>,
}

/// A VPC with one private subnet (and its own route table) per availability zone.
/// No internet or NAT gateway: traffic to AWS services goes through [`Endpoint`]s.
#[derive(Debug, Clone, PartialEq)]
pub struct Vpc {
    /// The VPC's IPv4 CIDR, e.g. `10.10.0.0/16`.
    pub cidr: String,
    /// Private subnets, one per zone, in zone order.
    pub subnets: Vec<Subnet>,
    /// VPC flow logs (all traffic) to an encrypted log group.
    pub flow_logs: Option<FlowLogs>,
    /// Strip every rule from the VPC's default security group (nothing uses
    /// it; the site's resources have their own groups). Where a backend has
    /// no declarative way to do it, it says so in its output.
    pub restrict_default_security_group: bool,
}

/// Flow logs of a [`Vpc`] delivered to CloudWatch Logs
/// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html).
#[derive(Debug, Clone, PartialEq)]
pub struct FlowLogs {
    /// The [`LogGroup`] node (encrypted with the region's key).
    pub log_group: NodeId,
    /// The log group's ARN (`Attr::Arn` of [`FlowLogs::log_group`]).
    pub log_group_arn: Value,
    /// The [`IamRole`] node `vpc-flow-logs.amazonaws.com` assumes to deliver.
    pub role: NodeId,
    /// `ALL`, `ACCEPT` or `REJECT`.
    pub traffic_type: String,
}

/// One private subnet and its route table.
#[derive(Debug, Clone, PartialEq)]
pub struct Subnet {
    /// The subnet's `Name` tag, e.g. `subnet-core-private-a-production-txn01-use1`.
    pub name: String,
    /// The route table's `Name` tag.
    pub route_table_name: String,
    /// The subnet CIDR, e.g. `10.10.0.0/20`.
    pub cidr: String,
    /// Index into the region's availability zones (sorted by name): 0, 1, ...
    pub zone_index: u8,
}

/// A cross-region VPC peering (home: the requester's side) with routes on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Peering {
    /// The requester [`Vpc`] node (primary region).
    pub requester: NodeId,
    /// The accepter [`Vpc`] node (secondary region).
    pub accepter: NodeId,
    /// The accepter's region.
    pub peer_region: String,
    /// Routes through the peering, on both sides.
    pub routes: Vec<PeeringRoute>,
}

/// A route to the peer's CIDR through the peering connection.
#[derive(Debug, Clone, PartialEq)]
pub struct PeeringRoute {
    /// Which side's route table the route goes in (the secondary side's
    /// routes must be created by the secondary region's deployment).
    pub side: Side,
    /// A `Attr::RouteTable(i)` reference to a [`Vpc`].
    pub route_table: Value,
    /// The peer VPC's CIDR.
    pub destination_cidr: String,
}

/// A security group.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityGroup {
    /// The VPC id (`Attr::Id` of a [`Vpc`]).
    pub vpc: Value,
    /// `GroupDescription`.
    pub group_description: String,
    /// Inbound rules.
    pub ingress: Vec<SgRule>,
    /// Explicit egress rules (the default allow-all egress is replaced).
    pub egress: Vec<SgRule>,
}

/// One TCP rule of a security group.
#[derive(Debug, Clone, PartialEq)]
pub struct SgRule {
    /// Lowest port.
    pub from_port: u16,
    /// Highest port.
    pub to_port: u16,
    /// The other side of the rule.
    pub peer: Peer,
    /// Why the rule exists.
    pub description: String,
}

/// The other side of a security-group rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Peer {
    /// An IPv4 CIDR.
    Cidr(String),
    /// Another security group in the same VPC (`Attr::Id`).
    Group(Value),
}

/// A VPC endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The VPC id (`Attr::Id` of a [`Vpc`]).
    pub vpc: Value,
    /// Full service name, e.g. `com.amazonaws.us-east-1.s3`.
    pub service_name: String,
    /// Short service, e.g. `s3`, `dynamodb`, `monitoring`.
    pub service: String,
    /// Gateway or interface.
    pub access: EndpointAccess,
}

/// How a [`Endpoint`] attaches to the VPC.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointAccess {
    /// A gateway endpoint (S3, DynamoDB) added to these route tables.
    Gateway {
        /// Route table ids (`Attr::RouteTable(i)` references).
        route_tables: Vec<Value>,
    },
    /// An interface endpoint with private DNS in these subnets.
    Interface {
        /// Subnet ids (`Attr::Subnet(i)` references).
        subnets: Vec<Value>,
        /// Security group ids (`Attr::Id` references).
        security_groups: Vec<Value>,
    },
}

/// An Aurora global database (home: the primary side). Its identifier is
/// [`super::Node::name`]; its members are [`DbCluster`] nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalDatabase {
    /// `aurora-postgresql`.
    pub engine: String,
    /// e.g. `14.9`; every member runs the same version.
    pub engine_version: String,
    /// Storage encryption (members use regional customer-managed keys).
    pub storage_encrypted: bool,
    /// The primary cluster first, then the secondary.
    pub members: Vec<NodeId>,
    /// Model name (`ledger`).
    pub model_name: String,
}

/// One member cluster of a [`GlobalDatabase`] in one region, with its
/// instances, subnet group and parameter group. Its identifier is
/// [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct DbCluster {
    /// The [`GlobalDatabase`] node.
    pub global: NodeId,
    /// `true` for the writer cluster created with the global database,
    /// `false` for a secondary (read-only) member.
    pub writer: bool,
    /// `aurora-postgresql`.
    pub engine: String,
    /// e.g. `14.9`, equal on every member.
    pub engine_version: String,
    /// Initial database (writer only: a secondary member of a global
    /// database must not name one).
    pub database_name: Option<String>,
    /// Master credentials (writer only: a secondary member inherits them
    /// from the global database and must set none). RDS-managed passwords
    /// (`ManageMasterUserPassword`) are not supported on global-database
    /// members (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html),
    /// so the password comes from a [`Secret`] of the site.
    pub master: Option<MasterCredentials>,
    /// IAM database authentication (`EnableIAMDatabaseAuthentication`): the
    /// site's functions connect with `rds-db:connect` tokens for their own
    /// region's cluster, never with the master password.
    pub iam_auth: bool,
    /// Database users that log in with IAM tokens (`GRANT rds_iam`), sorted.
    /// They are created once on the writer and replicate with the data.
    pub iam_users: Vec<String>,
    /// The source region of an encrypted secondary (the primary's region).
    pub source_region: Option<String>,
    /// The regional key's ARN.
    pub key: Value,
    /// The database port.
    pub port: u16,
    /// Aurora's own continuous backup retention, 1–35 days.
    pub backup_retention_days: Derived<u32>,
    /// Log types exported to CloudWatch Logs (`postgresql`).
    pub log_exports: Vec<String>,
    /// The cluster's DB subnet group.
    pub subnet_group: DbSubnetGroup,
    /// Security group ids (`Attr::Id` references).
    pub security_groups: Vec<Value>,
    /// The cluster's parameter group (TLS enforced).
    pub parameter_group: DbParameterGroup,
    /// Serverless v2 capacity in ACUs, `(min, max)`, when instances are `db.serverless`.
    pub serverless: Option<(u32, u32)>,
    /// The instances, each pinned to a zone.
    pub instances: Vec<DbInstance>,
    /// The [`LogGroup`] node the `postgresql` log export writes to
    /// (`/aws/rds/cluster/<identifier>/postgresql`), created encrypted and
    /// with the site's retention before the cluster (RDS would otherwise
    /// create it unencrypted, retained forever).
    pub log_group: Option<NodeId>,
    /// Enhanced Monitoring of every instance.
    pub monitoring: Option<EnhancedMonitoring>,
    /// `AutoMinorVersionUpgrade` of every instance, stated explicitly.
    pub auto_minor_version_upgrade: bool,
}

/// RDS Enhanced Monitoring
/// (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Monitoring.OS.Enabling.html).
#[derive(Debug, Clone, PartialEq)]
pub struct EnhancedMonitoring {
    /// Seconds between OS metric samples (RDS accepts 1, 5, 10, 15, 30 or 60).
    pub interval_secs: Derived<u32>,
    /// The [`IamRole`] node `monitoring.rds.amazonaws.com` assumes (with the
    /// AWS managed `AmazonRDSEnhancedMonitoringRole` policy).
    pub role: NodeId,
}

/// The master user of a writer [`DbCluster`] and where its password is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct MasterCredentials {
    /// The master user name.
    pub username: String,
    /// The [`Secret`] holding the password (`Attr::Arn` reference); its
    /// [`Secret::password_field`] is the password.
    pub secret: Value,
}

/// A Secrets Manager secret (home: the primary side) holding a database's
/// master credentials as JSON (`username`, `password`; the connection details
/// of [`Secret::attached_to`] are added by the backend where it can), with a
/// password Secrets Manager generates, encrypted with the home region's key
/// and replicated to the other region with that region's key
/// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/add-regions.html).
/// Its name is [`super::Node::name`]; its ARN carries a random suffix.
#[derive(Debug, Clone, PartialEq)]
pub struct Secret {
    /// The home region's key ARN.
    pub key: Value,
    /// Replicas in other regions, each with its own region's key.
    pub replicas: Vec<SecretReplica>,
    /// Fixed JSON fields of the secret, e.g. `username`.
    pub fields: BTreeMap<String, String>,
    /// The JSON field Secrets Manager generates the password into.
    pub password_field: String,
    /// Length of the generated password (Aurora PostgreSQL: 8–41 characters).
    pub password_length: Derived<u32>,
    /// Characters the password must not contain: `/`, `"`, `@` (RDS
    /// `MasterUserPassword`), `\` (CloudFormation dynamic references) and `'`
    /// (the rotation templates' own default).
    pub exclude_characters: String,
    /// Generation of the stored value: a backend that writes the value itself
    /// (Terraform write-only arguments) re-sends it only when this changes.
    pub version: Derived<u32>,
    /// The [`DbCluster`] whose connection details (host, port, engine,
    /// database) the secret carries for rotation. Structural only (not a
    /// dependency): the cluster reads its password from this secret.
    pub attached_to: Option<NodeId>,
    /// Automatic rotation, where a backend can emit it.
    pub rotation: Option<SecretRotation>,
}

/// A replica of a [`Secret`] in another region.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretReplica {
    /// Which side the replica is on.
    pub side: Side,
    /// The replica's region.
    pub region: String,
    /// That region's key ARN (never the home region's).
    pub key: Value,
}

/// Rotation of a [`Secret`] by a Secrets Manager rotation function template,
/// in the home region (replicas receive the new value).
#[derive(Debug, Clone, PartialEq)]
pub struct SecretRotation {
    /// The rotation template, e.g. `PostgreSQLSingleUser`.
    pub template: String,
    /// The rotation function's name.
    pub function_name: String,
    /// Days between rotations.
    pub every_days: Derived<u32>,
    /// Subnets the rotation function runs in (to reach the database).
    pub subnets: Vec<Value>,
    /// Its security groups (`Attr::Id` references).
    pub security_groups: Vec<Value>,
}

/// A DB subnet group.
#[derive(Debug, Clone, PartialEq)]
pub struct DbSubnetGroup {
    /// Lowercase name.
    pub name: String,
    /// Subnet ids (`Attr::Subnet(i)` references), at least two zones.
    pub subnets: Vec<Value>,
}

/// A DB cluster parameter group.
#[derive(Debug, Clone, PartialEq)]
pub struct DbParameterGroup {
    /// Lowercase name.
    pub name: String,
    /// e.g. `aurora-postgresql14`.
    pub family: String,
    /// Parameters, e.g. `rds.force_ssl = 1` (R23).
    pub parameters: BTreeMap<String, String>,
}

/// One database instance of a [`DbCluster`].
#[derive(Debug, Clone, PartialEq)]
pub struct DbInstance {
    /// Instance identifier.
    pub identifier: String,
    /// e.g. `db.r6g.large` or `db.serverless`.
    pub class: String,
    /// Index into the region's availability zones.
    pub zone_index: u8,
    /// Failover priority (0 = first).
    pub promotion_tier: u8,
}

/// A DynamoDB global table (version 2019.11.21) owned by the primary side,
/// with one replica per region. Its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalTable {
    /// Partition key name and attribute type letter (`S`, `N`, `B`).
    pub partition_key: (String, String),
    /// Sort key, if any.
    pub sort_key: Option<(String, String)>,
    /// `true` for on-demand (`PAY_PER_REQUEST`).
    pub on_demand: bool,
    /// Stream view type; always set (required with more than one replica).
    pub stream_view_type: String,
    /// TTL attribute, if any.
    pub ttl_attribute: Option<String>,
    /// One replica per region, primary first.
    pub replicas: Vec<TableReplica>,
    /// Model name (`transaction_meta`).
    pub model_name: String,
}

/// One replica of a [`GlobalTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct TableReplica {
    /// Which side the replica is on.
    pub side: Side,
    /// The replica's region.
    pub region: String,
    /// The replica region's key ARN (every replica has one, R8).
    pub key: Value,
    /// Point-in-time recovery (R7).
    pub pitr: bool,
    /// PITR recovery period in days (1–35).
    pub pitr_days: Derived<u32>,
    /// Deletion protection (R24).
    pub deletion_protection: bool,
    /// Tags of this replica (`DR-Role` differs per replica).
    pub tags: super::Tags,
}

/// An S3 bucket: versioned, SSE-KMS, private, TLS-only, logging to its
/// region's access-log bucket; the two buckets of a pair replicate to each
/// other. An access-log bucket ([`Bucket::log_sink`]) is the same
/// kind with SSE-S3 and no logging of its own. Its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// Versioning (always on for a replicated pair).
    pub versioning: bool,
    /// The regional key's ARN (SSE-KMS with an S3 Bucket Key); `None` means
    /// SSE-S3 (`AES256`), only for access-log buckets: the S3 user guide
    /// documents SSE-S3 as the default encryption of server access logging
    /// destinations and SSE-KMS as unsupported
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html;
    /// aws-cdk PR #25350 reports SSE-KMS working with extra key grants, which
    /// the guide does not document), so drsc uses the documented choice.
    pub key: Option<Value>,
    /// All four public-access-block settings on.
    pub block_public_access: bool,
    /// The bucket policy (empty: none): the TLS-only denial (R23) when the
    /// site asks for it ([`super::Statement::deny_insecure_transport`]).
    pub policy: Vec<Statement>,
    /// Cross-region replication to the other bucket of the pair.
    pub replication: Option<BucketReplication>,
    /// Server access logging; `None` only on access-log buckets.
    pub access_logs: Option<AccessLogs>,
    /// Days noncurrent versions are kept before they expire (versioned buckets).
    pub noncurrent_days: Option<Derived<u32>>,
    /// Days objects are kept before they expire (access-log buckets: the
    /// site's `log_retention`).
    pub expiration_days: Option<Derived<u32>>,
    /// `true` for the region's access-log bucket: its policy lets
    /// `logging.s3.amazonaws.com` write the site's buckets' logs.
    pub log_sink: bool,
    /// Model name (`documents`; `access-logs` for a log bucket).
    pub model_name: String,
    /// S3 Object Lock with a default retention (evidence buckets); `None`
    /// for every other bucket. Object Lock needs versioning.
    pub object_lock: Option<ObjectLock>,
    /// S3 event notifications to a [`Topic`] of the same region.
    pub notify: Option<BucketNotify>,
}

/// A [`Bucket`]'s event notifications
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html>).
#[derive(Debug, Clone, PartialEq)]
pub struct BucketNotify {
    /// The [`Topic`] node, in the bucket's region; its policy lets
    /// `s3.amazonaws.com` publish for this bucket and account.
    pub topic: NodeId,
    /// Event types, e.g. `s3:ObjectCreated:*`.
    pub events: Vec<String>,
}

/// S3 Object Lock of a [`Bucket`]: `ObjectLockEnabled` at creation and a
/// default retention for every new object version
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html>).
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectLock {
    /// `COMPLIANCE` (no one, the root user included, can shorten or remove
    /// it) or `GOVERNANCE` (users with `s3:BypassGovernanceRetention` can).
    pub mode: String,
    /// The default retention.
    pub retention: LockRetention,
}

/// A default Object Lock retention: whole days or whole years (S3 takes one of the two).
#[derive(Debug, Clone, PartialEq)]
pub enum LockRetention {
    Days(Derived<u32>),
    Years(Derived<u32>),
}

/// Server access logging of a [`Bucket`]
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
#[derive(Debug, Clone, PartialEq)]
pub struct AccessLogs {
    /// The access-log [`Bucket`] node of the same region.
    pub bucket: NodeId,
    /// Key prefix of the log objects, e.g. `documents-bucket-production-txn01-use1/`.
    pub prefix: String,
}

/// Replication of a source bucket to its destination. Both buckets of a
/// pair replicate to each other (R33): objects written in the promoted
/// region during a disaster flow back to the original primary.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketReplication {
    /// Rule id (also the `RuleId` metric dimension).
    pub rule_id: String,
    /// The destination [`Bucket`] node (the other region).
    pub destination: NodeId,
    /// The replication [`IamRole`] node (one per direction, homed in the
    /// source bucket's region).
    pub role: NodeId,
    /// Delete markers are replicated (`DeleteMarkerReplication`).
    pub delete_markers: bool,
    /// Replica modification sync (`SourceSelectionCriteria.ReplicaModifications`):
    /// metadata changes made to replicas flow back, as two-way replication needs.
    pub replica_modifications: bool,
    /// The destination region's key ARN.
    pub replica_key: Value,
    /// S3 Replication Time Control with metrics: the replication-time
    /// threshold in minutes (from `std/timing` `s3_rtc_replication`).
    pub rtc: Option<Derived<u32>>,
}

/// An IAM role with one customer-managed policy (`<role name>-policy`)
/// attached to it and to nothing else; no inline policies.
#[derive(Debug, Clone, PartialEq)]
pub struct IamRole {
    /// Service principals allowed to assume it, e.g. `lambda.amazonaws.com`.
    pub trust_services: Vec<String>,
    /// The customer-managed policy's statements (R11): exact actions, exact resources, `*` only for
    /// stdlib wildcard actions.
    pub statements: Vec<Statement>,
    /// AWS managed policy ARNs (e.g. the AWS Backup service-role policies).
    pub managed_policies: Vec<Value>,
}

/// A CloudWatch Logs log group; its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct LogGroup {
    /// Retention in days (`std/limits` `log_retention` says which AWS accepts).
    pub retention_days: Derived<u32>,
    /// The regional key's ARN.
    pub key: Option<Value>,
}

/// An SQS queue (a function's dead-letter queue); its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    /// The regional key's ARN.
    pub key: Value,
    /// Message retention in seconds (up to 14 days).
    pub retention_secs: u32,
}

/// Where a function's code comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Code {
    /// A directory the emitter zips deterministically (absolute path).
    Directory(PathBuf),
    /// Small inline Python source, deployed as `index.py` (handler `index.<fn>`).
    Inline(String),
    /// Code shipped inside drsc.
    Builtin(Builtin),
}

/// drsc's own function code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Builtin {
    /// The failover handler (`assets/failover/handler.py`, handler `handler.handler`).
    Failover,
    /// The primary-health probe (inline, handler `index.handler`).
    Probe,
    /// The Region switch starter (`assets/starter/handler.py`, handler `handler.handler`).
    Starter,
    /// The probe of the primary's public front door over the internet
    /// (`assets/edgeprobe/handler.py`, handler `handler.handler`).
    EdgeProbe,
    /// The restore-test validation function
    /// (`assets/restorevalidation/handler.py`, handler `handler.handler`).
    RestoreValidation,
}

/// The probe handler's source: connects to the primary database endpoint
/// over the peering and publishes `1` (healthy) or `0` to a custom metric.
/// CloudFormation inlines it (`ZipFile`); Terraform uploads [`Builtin::package`].
pub const PROBE_HANDLER_PY: &str = include_str!("probe.py");

impl Builtin {
    /// The deterministic zip of the builtin's code, built at compile time
    /// (`build.rs`, from the files listed in `src/graph/builtin_code.rs`).
    pub fn package(self) -> &'static [u8] {
        macro_rules! zip {
            ($name:literal) => {
                include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".zip"))
            };
        }
        match self {
            Builtin::Failover => zip!("failover"),
            Builtin::Probe => zip!("probe"),
            Builtin::Starter => zip!("starter"),
            Builtin::EdgeProbe => zip!("edgeprobe"),
            Builtin::RestoreValidation => zip!("restorevalidation"),
        }
    }

    /// A short name, e.g. `failover`.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Failover => "failover",
            Builtin::Probe => "probe",
            Builtin::Starter => "starter",
            Builtin::EdgeProbe => "edgeprobe",
            Builtin::RestoreValidation => "restorevalidation",
        }
    }
}

/// Why a function exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A `function` block of the site (model name).
    Site(String),
    /// The scheduled probe of the primary (secondary region).
    Probe,
    /// The failover automation (secondary region).
    Failover,
    /// The starter of the Region switch plan (secondary region).
    Starter,
    /// The restore-test validation function (secondary region, R36): evidence,
    /// not on the recovery path.
    RestoreValidation,
}

/// A Lambda function in one region; its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// Why the function exists.
    pub purpose: Purpose,
    /// Lambda runtime id, e.g. `python3.12`.
    pub runtime: String,
    /// e.g. `app.handler`.
    pub handler: String,
    /// Where the code comes from.
    pub code: Code,
    /// Memory in MiB.
    pub memory_mib: Derived<u32>,
    /// Timeout in seconds (`std/limits` `lambda_timeout`).
    pub timeout_secs: Derived<u32>,
    /// Reserved concurrency, if the site sets it.
    pub reserved_concurrency: Option<u32>,
    /// Environment variables, sorted.
    pub environment: BTreeMap<String, Value>,
    /// The execution [`IamRole`] node.
    pub role: NodeId,
    /// The [`LogGroup`] node (created before the function).
    pub log_group: NodeId,
    /// VPC attachment, when the function runs in private subnets.
    pub vpc: Option<FunctionVpc>,
    /// The dead-letter [`Queue`] node for asynchronous invocations.
    pub dead_letter: Option<NodeId>,
    /// Services allowed to invoke the function (resource-based policy).
    pub invokers: Vec<Invoker>,
    /// The customer-managed key encrypting the environment variables (a key's `Attr::Arn`).
    pub env_key: Value,
    /// X-Ray active tracing (the role allows `xray:PutTraceSegments` and
    /// `xray:PutTelemetryRecords`).
    pub tracing: bool,
}

/// Subnets and security groups of a function in a VPC.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionVpc {
    /// Subnet ids (`Attr::Subnet(i)` references).
    pub subnets: Vec<Value>,
    /// Security group ids (`Attr::Id` references).
    pub security_groups: Vec<Value>,
}

/// A service allowed to invoke a function, from one source.
#[derive(Debug, Clone, PartialEq)]
pub struct Invoker {
    /// e.g. `events.amazonaws.com`, `sns.amazonaws.com`.
    pub service: String,
    /// The invoking rule or topic's ARN (`Attr::Arn`).
    pub source_arn: Value,
}

/// An AWS Backup vault; its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct Vault {
    /// The regional key's ARN (R14).
    pub key: Value,
    /// Vault Lock (WORM), if the site asks for it.
    pub lock: Option<VaultLockConfig>,
    /// The vault access policy (empty: none), `Resources::All` meaning the
    /// vault's recovery points: the manual-deletion denial.
    pub access_policy: Vec<Statement>,
}

/// An AWS Backup logically air-gapped vault (`AWS::Backup::LogicallyAirGappedBackupVault`,
/// `aws_backup_logically_air_gapped_vault`): always under a compliance-mode
/// Vault Lock, encrypted with an AWS owned key, shareable with a recovery
/// account (<https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html>).
/// Its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct AirGappedVault {
    /// Shortest retention the vault accepts, in days (the shortest copy lifecycle).
    pub min_retention_days: Derived<u32>,
    /// Longest retention the vault accepts, in days (the longest copy lifecycle).
    pub max_retention_days: Derived<u32>,
}

/// An AWS Backup Audit Manager report plan (`AWS::Backup::ReportPlan`,
/// `aws_backup_report_plan`) delivering one report template daily to an
/// evidence [`Bucket`] of its region. Its name is [`super::Node::name`]
/// (`[a-zA-Z][_a-zA-Z0-9]*`, at most 256 characters).
/// <https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-api.html>
#[derive(Debug, Clone, PartialEq)]
pub struct ReportPlan {
    /// `CONTROL_COMPLIANCE_REPORT`, `BACKUP_JOB_REPORT`, `COPY_JOB_REPORT` or `RESTORE_JOB_REPORT`.
    pub template: &'static str,
    /// Framework ARNs (`Attr::Arn` of [`BackupFramework`] nodes): compliance reports only.
    pub frameworks: Vec<Value>,
    /// The evidence bucket's name (`Attr::Name` of a [`Bucket`] node, same region).
    pub bucket: Value,
    /// The evidence [`Bucket`] node (its policy must exist after the plan).
    pub bucket_node: NodeId,
    /// `S3KeyPrefix`, without a trailing slash.
    pub key_prefix: String,
    /// `CSV`, `JSON`.
    pub formats: Vec<&'static str>,
}

/// Vault Lock settings.
#[derive(Debug, Clone, PartialEq)]
pub struct VaultLockConfig {
    /// Shortest retention the vault accepts, in days.
    pub min_retention_days: Derived<u32>,
    /// Longest retention the vault accepts, in days.
    pub max_retention_days: Derived<u32>,
    /// `Some` = compliance mode (immutable after this many days, ≥ 3);
    /// `None` = governance mode.
    pub changeable_for_days: Option<Derived<u32>>,
}

/// An AWS Backup plan with its rules and one selection.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupPlan {
    /// The [`Vault`] node rules back up into (same region).
    pub vault: NodeId,
    /// The rules, in the site's order.
    pub rules: Vec<BackupRule>,
    /// What the plan backs up.
    pub selection: BackupSelection,
}

/// An AWS Backup Audit Manager framework (R36): the controls that measure in
/// production what the objectives proof shows on paper. Its name is
/// [`super::Node::name`] (`[a-zA-Z][_a-zA-Z0-9]*`, at most 256 characters).
#[derive(Debug, Clone, PartialEq)]
pub struct BackupFramework {
    /// The controls, in a fixed order (at most 50 per account and region).
    pub controls: Vec<FrameworkControl>,
    /// Controls the site asks for whose parameter AWS cannot express (a
    /// recovery-point age under 1 hour, a restore time that is not whole
    /// minutes): the control's name and the bound in seconds. They are not
    /// emitted; `check` reports the recovery-point age (DRS0339), the README
    /// lists both.
    pub inexpressible: Vec<(&'static str, Derived<u64>)>,
}

/// An AWS Backup restore testing plan (R36) in the secondary region: on its
/// schedule AWS Backup restores the latest recovery point of each selected
/// store type from the DR vault, keeps it for the validation window and
/// deletes it. Its name is [`super::Node::name`] (alphanumerics and
/// underscores, at most 50 characters).
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreTestingPlan {
    /// `ScheduleExpression`, a UTC cron expression.
    pub schedule: Derived<String>,
    /// The [`Vault`] node the recovery points come from (`IncludeVaults`).
    pub vault: NodeId,
    /// `RecoveryPointTypes`.
    pub recovery_point_types: Vec<String>,
    /// `SelectionWindowDays` (1–365): how far back the latest recovery point may be.
    pub selection_window_days: Derived<u32>,
    /// `StartWindowHours` (1–168).
    pub start_window_hours: Derived<u32>,
    /// One selection per store type, in a fixed order (Aurora, DynamoDB, S3).
    pub selections: Vec<RestoreTestingSelection>,
}

/// One selection of a [`RestoreTestingPlan`]: the stores of one type.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreTestingSelection {
    /// Alphanumerics and underscores, at most 50 characters, unique in the plan.
    pub name: String,
    /// `ProtectedResourceType`: `Aurora`, `DynamoDB` or `S3`.
    pub resource_type: String,
    /// `ProtectedResourceArns`.
    pub resources: Vec<Value>,
    /// The restore [`IamRole`] node AWS Backup creates the restored resource with.
    pub role: NodeId,
    /// `ValidationWindowHours`.
    pub validation_window_hours: Derived<u32>,
    /// `RestoreMetadataOverrides` (sorted).
    pub overrides: BTreeMap<String, Value>,
}

/// One control of a [`BackupFramework`].
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkControl {
    /// The control's API name, e.g. `BACKUP_LAST_RECOVERY_POINT_CREATED`.
    pub name: &'static str,
    /// Input parameters (name, value as AWS reads it) with where each came from.
    pub parameters: Vec<(&'static str, Derived<String>)>,
    /// `ComplianceResourceTypes` of the scope; empty = no scope.
    pub resource_types: Vec<String>,
}

/// One rule of a [`BackupPlan`].
#[derive(Debug, Clone, PartialEq)]
pub struct BackupRule {
    /// 1–50 characters `[a-zA-Z0-9-_.]`.
    pub name: String,
    /// A UTC cron expression, e.g. `cron(0 * ? * * *)` (hourly).
    pub schedule: Derived<String>,
    /// Seconds between two runs of the schedule (what the RPO estimate counts).
    pub interval_secs: Derived<u64>,
    /// Minutes within which a job must start (at least 60).
    pub start_window_minutes: Derived<u32>,
    /// Minutes within which a job must complete.
    pub completion_window_minutes: Derived<u32>,
    /// Lifecycle of the rule's recovery points.
    pub lifecycle: Lifecycle,
    /// Continuous backups where supported.
    pub continuous: bool,
    /// Cross-region copy, if any.
    pub copy: Option<CopyAction>,
    /// The isolated copy (ransomware tier), if the plan asks for one.
    pub isolated_copy: Option<IsolatedCopy>,
}

/// A copy of each recovery point to an isolated vault: the site's
/// [`AirGappedVault`] or a vault in another account the site names.
#[derive(Debug, Clone, PartialEq)]
pub struct IsolatedCopy {
    /// The destination vault's ARN: `Attr::Arn` of an [`AirGappedVault`]
    /// node, or the literal ARN of a vault in another account.
    pub destination: Value,
    /// Lifecycle of the copies (no cold storage).
    pub lifecycle: Lifecycle,
}

/// Recovery-point lifecycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Lifecycle {
    /// Days after creation a recovery point is deleted.
    pub delete_after_days: Derived<u32>,
    /// Days after creation it moves to cold storage, if it does.
    pub cold_after_days: Option<Derived<u32>>,
}

/// A cross-region copy to another vault.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyAction {
    /// The destination [`Vault`] node (other region); referenced by ARN.
    pub vault: NodeId,
    /// Lifecycle of the copies.
    pub lifecycle: Lifecycle,
}

/// What a plan backs up.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupSelection {
    /// The selection's name.
    pub name: String,
    /// The backup [`IamRole`] node.
    pub role: NodeId,
    /// Resource ARNs (`Attr::Arn` references), from the plan's `covers`.
    pub resources: Derived<Vec<Value>>,
}

/// An SNS topic; its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// The regional key's ARN.
    pub key: Value,
    /// Subscriptions.
    pub subscriptions: Vec<Subscription>,
    /// The topic policy (who may publish), `Resources::All` meaning this topic.
    pub policy: Vec<Statement>,
}

/// A topic subscription.
#[derive(Debug, Clone, PartialEq)]
pub enum Subscription {
    /// An e-mail address (confirmed by the recipient).
    Email(String),
    /// A [`Function`] node in the topic's region.
    Function(NodeId),
}

/// An EventBridge rule on the default bus; its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct EventRule {
    /// What fires the rule.
    pub trigger: Trigger,
    /// Target nodes ([`Topic`] or [`Function`]), by ARN.
    pub targets: Vec<NodeId>,
}

/// What fires an [`EventRule`].
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// An event pattern (JSON object).
    Pattern(serde_json::Value),
    /// A fixed rate, in seconds; emitted as `rate(...)` by
    /// [`super::rate_expression`].
    Rate(Derived<u64>),
}

/// A CloudWatch metric alarm; its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    /// Metric namespace, e.g. `AWS/RDS`.
    pub namespace: String,
    /// Metric name, e.g. `AuroraGlobalDBReplicationLag`.
    pub metric: String,
    /// Dimensions in order.
    pub dimensions: Vec<(String, Value)>,
    /// `Average`, `Minimum`, `Maximum`, `Sum`.
    pub statistic: String,
    /// Period in seconds (`std/limits` `cloudwatch_alarm_period`).
    pub period_secs: Derived<u32>,
    /// Number of periods evaluated.
    pub evaluation_periods: Derived<u32>,
    /// Number of breaching periods that trigger the alarm.
    pub datapoints_to_alarm: Derived<u32>,
    /// The threshold, in the metric's unit.
    pub threshold: Derived<f64>,
    /// e.g. `GreaterThanThreshold`.
    pub comparison: String,
    /// `breaching`, `notBreaching`, `ignore`, `missing`.
    pub treat_missing_data: String,
    /// [`Topic`] nodes notified on ALARM (same region).
    pub actions: Vec<NodeId>,
}

/// A CloudWatch composite alarm; its name is [`super::Node::name`]. It is
/// in ALARM when its rule holds over the states of its input alarms
/// (`PutCompositeAlarm`, <https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html>:
/// "You can use either alarm names or ARNs to reference the other alarms").
#[derive(Debug, Clone, PartialEq)]
pub struct CompositeAlarm {
    /// The `AlarmRule` expression, e.g. `ALARM("arn…") AND ALARM("arn…")`,
    /// referencing the inputs by ARN.
    pub rule: Value,
    /// The [`Alarm`] nodes the rule combines (same region).
    pub inputs: Vec<NodeId>,
    /// [`Topic`] nodes notified on ALARM (same region).
    pub actions: Vec<NodeId>,
}

/// A CloudWatch dashboard; its name is [`super::Node::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// The dashboard body (serialize it to a string); it uses only literal names.
    pub body: serde_json::Value,
}

/// A Route 53 health check of an HTTPS (or HTTP) endpoint. Global.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthCheck {
    /// The endpoint's domain name.
    pub fqdn: String,
    /// The port probed.
    pub port: u16,
    /// The request path, e.g. `/health`.
    pub path: String,
    /// HTTPS (with SNI) rather than HTTP.
    pub https: bool,
    /// 10 or 30 seconds (`std/limits` `route53_health_check_interval`).
    pub interval_secs: Derived<u32>,
    /// Consecutive failures before the endpoint is unhealthy (1–10).
    pub failure_threshold: Derived<u32>,
}

/// A public hosted zone drsc creates.
#[derive(Debug, Clone, PartialEq)]
pub struct HostedZone {
    /// The domain, e.g. `bank.example.com`.
    pub domain: String,
}

/// Which hosted zone a record goes into.
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneRef {
    /// An existing zone, by domain name (with or without the trailing dot).
    Name(String),
    /// An existing zone, by id.
    Id(String),
    /// A [`HostedZone`] node.
    Node(NodeId),
}

/// One region's record of a two-record set (weighted or failover) pointing
/// at that region's endpoint. Global.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The hosted zone.
    pub zone: ZoneRef,
    /// Fully qualified record name.
    pub record_name: String,
    /// `CNAME` for an external endpoint, `A` for an alias.
    pub record_type: String,
    /// Unique per record name, e.g. `primary-use1`.
    pub set_identifier: String,
    /// The region whose endpoint the record answers with (the node itself
    /// may be homed in the other region's deployment).
    pub side: Side,
    /// How Route 53 chooses between the two records of the set.
    pub routing: Routing,
    /// What the record answers with: the region's front door.
    pub target: RecordTarget,
    /// The id of the Route 53 health check tied to the record: a
    /// [`HealthCheck`] node's `Attr::Id`, or the check a [`RegionSwitchPlan`]
    /// created for the record's region (`Attr::PlanHealthCheck`).
    pub health_check: Option<Value>,
}

/// The routing policy of a [`Record`].
#[derive(Debug, Clone, PartialEq)]
pub enum Routing {
    /// Weighted: 0–255 (`std/limits` `route53_weight`); derived from
    /// `primary_share`, so it may be out of range until the plan rules have
    /// rejected it.
    Weighted(Derived<i64>),
    /// Failover: the `PRIMARY` record answers while its health check is
    /// healthy, the `SECONDARY` otherwise
    /// (<https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-failover.html>).
    Failover(Side),
}

impl std::fmt::Display for Routing {
    /// `weight 100`, `failover PRIMARY`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Routing::Weighted(w) => write!(f, "weight {w}"),
            Routing::Failover(side) => write!(f, "failover {}", Routing::failover_type(*side)),
        }
    }
}

impl Routing {
    /// `PRIMARY` or `SECONDARY` for a failover record.
    pub fn failover_type(side: Side) -> &'static str {
        match side {
            Side::Primary => "PRIMARY",
            Side::Secondary => "SECONDARY",
        }
    }
}

/// What a weighted [`Record`] answers with.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordTarget {
    /// A CNAME to a host name outside the site (`primary_endpoint`), cached
    /// for `ttl_secs`. (An alias has no TTL of its own: Route 53 uses the
    /// target's, <https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html>.)
    Name {
        host: String,
        ttl_secs: Derived<u32>,
    },
    /// An alias to a regional [`ApiDomain`] the site builds.
    Alias(AliasTarget),
}

/// The target of a Route 53 alias record.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasTarget {
    /// The target's DNS name (an [`ApiDomain`]'s `Attr::TargetDomainName`).
    pub dns_name: Value,
    /// The target's hosted zone (an [`ApiDomain`]'s `Attr::TargetZoneId`).
    pub zone_id: Value,
    /// Whether Route 53 also evaluates the target's health (API Gateway
    /// targets have no health of their own; the record's health check decides).
    pub evaluate_target_health: bool,
}

/// An API Gateway HTTP API (ApiGatewayV2, `ProtocolType: HTTP`) in front of
/// one function in one region: the API, its Lambda proxy integration, its
/// routes, the `$default` stage and the Lambda permission that lets this API
/// (and no other) invoke the function. Its name is [`super::Node::name`].
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
#[derive(Debug, Clone, PartialEq)]
pub struct HttpApi {
    /// The function the integration invokes (a [`Function`]'s `Attr::Arn`, same region).
    pub function: Value,
    /// `AWS_PROXY`.
    pub integration_type: String,
    /// `2.0` (required for Lambda integrations created outside the console).
    pub payload_format_version: String,
    /// Route keys, all to the integration: `$default` and `GET <health_path>`.
    pub routes: Vec<String>,
    /// `$default`: served from the base of the API's URL.
    pub stage: String,
    /// Deploy every change to the stage automatically.
    pub auto_deploy: bool,
    /// The access log group (a [`LogGroup`]'s `Attr::Arn`, encrypted with the region's key).
    pub access_log_group: Value,
    /// The access log line (JSON with `$context` variables).
    pub access_log_format: String,
    /// What the permission's source ARN adds to the API's execution ARN
    /// (`arn:<partition>:execute-api:<region>:<account>:<api id>`): `/$default/*`,
    /// every route of the `$default` stage of this API only.
    pub invoke_scope: String,
    /// `apigateway.amazonaws.com`.
    pub invoke_principal: String,
    /// Turn off the default `execute-api` endpoint: clients (and the health
    /// checks) reach the API only through its custom domains, with their
    /// TLS policy.
    pub disable_default_endpoint: bool,
}

/// An ACM certificate in the node's region, validated by DNS records in the
/// site's zone. API Gateway needs a certificate in the API's own region for
/// a regional custom domain.
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    /// The certificate's domain name.
    pub domain: String,
    /// Further names the certificate covers.
    pub alternative_names: Vec<String>,
    /// `DNS`.
    pub validation_method: String,
    /// One entry per name: the zone ACM (CloudFormation) or Terraform writes
    /// the validation record into.
    pub validation: Vec<CertValidation>,
}

/// Where the validation record of one certificate name goes.
#[derive(Debug, Clone, PartialEq)]
pub struct CertValidation {
    /// The name validated.
    pub domain: String,
    /// The hosted zone's id (without `/hostedzone/`).
    pub zone_id: Value,
}

/// A regional API Gateway custom domain name with its API mapping.
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html
#[derive(Debug, Clone, PartialEq)]
pub struct ApiDomain {
    /// The custom domain name, e.g. `api.bank.example.com`.
    pub domain: String,
    /// The regional certificate (a [`Certificate`]'s `Attr::Arn`, same region).
    pub certificate: Value,
    /// `REGIONAL` (HTTP APIs have no edge-optimized endpoint).
    pub endpoint_type: String,
    /// `TLS_1_2`.
    pub security_policy: String,
    /// The mapped API (an [`HttpApi`]'s `Attr::Id`, same region).
    pub api: Value,
    /// The mapped stage (`$default`).
    pub stage: String,
}

/// A simple alias record (no routing policy), e.g. a region's own front-door
/// host name that its health check requests.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasRecord {
    /// The hosted zone.
    pub zone: ZoneRef,
    /// Fully qualified record name.
    pub record_name: String,
    /// `A`.
    pub record_type: String,
    /// The alias target.
    pub target: AliasTarget,
}

/// An AWS ARC Region switch plan (`AWS::ARCRegionSwitch::Plan`,
/// `aws_arcregionswitch_plan`). Its ARN has no region: the plan is global, its
/// control plane in us-east-1, its executions run on the data plane of the
/// region they activate (research notes §9.1–9.2). Its name is
/// [`super::Node::name`] (1–32 characters).
#[derive(Debug, Clone, PartialEq)]
pub struct RegionSwitchPlan {
    /// The site's two regions, primary first.
    pub regions: Vec<String>,
    /// `activePassive`.
    pub recovery_approach: String,
    /// The primary region (`PrimaryRegion`).
    pub primary_region: String,
    /// `RecoveryTimeObjectiveMinutes`, from the site's `rto` in whole minutes
    /// (`std/limits` `region_switch_rto`: 1–10080).
    pub rto_minutes: Derived<u32>,
    /// The execution [`IamRole`] node (trusts `arc-region-switch.amazonaws.com`).
    pub execution_role: NodeId,
    /// One activate workflow per region.
    pub workflows: Vec<PlanWorkflow>,
    /// Alarms the plan watches (`AssociatedAlarms`).
    pub associated_alarms: Vec<AssociatedAlarm>,
    /// The [`Bucket`] node execution reports go to (secondary region).
    pub report_bucket: NodeId,
    /// Nodes the plan's evaluation needs to exist first (the member clusters).
    pub after: Vec<NodeId>,
}

/// A workflow of a [`RegionSwitchPlan`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlanWorkflow {
    /// `activate` (drsc declares no other action).
    pub action: String,
    /// The region the workflow activates.
    pub target_region: String,
    /// `WorkflowDescription`.
    pub description: String,
    /// The steps, run in order.
    pub steps: Vec<PlanStep>,
}

/// One step of a [`PlanWorkflow`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    /// Unique within the workflow.
    pub name: String,
    /// `Description`.
    pub description: String,
    /// What the step does.
    pub block: ExecutionBlock,
}

/// The execution block of a [`PlanStep`].
#[derive(Debug, Clone, PartialEq)]
pub enum ExecutionBlock {
    /// `AuroraGlobalDatabase` (`GlobalAuroraConfig`).
    GlobalAurora(GlobalAuroraBlock),
    /// `Route53HealthCheck` (`Route53HealthCheckConfig`).
    Route53HealthCheck(Route53Block),
    /// `ManualApproval` (`ExecutionApprovalConfig`).
    Approval(ApprovalBlock),
}

impl ExecutionBlock {
    /// The `ExecutionBlockType`.
    pub fn block_type(&self) -> &'static str {
        match self {
            ExecutionBlock::GlobalAurora(_) => "AuroraGlobalDatabase",
            ExecutionBlock::Route53HealthCheck(_) => "Route53HealthCheck",
            ExecutionBlock::Approval(_) => "ManualApproval",
        }
    }
}

/// An `ExecutionApprovalConfig`: the workflow waits until the approval role
/// approves the step (`ApprovePlanExecutionStep`) or the timeout passes.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalBlock {
    /// `ApprovalRole`: the IAM role ARN that approves (the site's `approver`).
    pub role: Value,
    /// `TimeoutMinutes`: the site's `approval`, in whole minutes.
    pub timeout_minutes: Derived<u32>,
}

/// A `GlobalAuroraConfig`.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalAuroraBlock {
    /// The [`GlobalDatabase`] node.
    pub global: NodeId,
    /// `GlobalClusterIdentifier`.
    pub global_cluster: Value,
    /// `DatabaseClusterArns`: every member.
    pub clusters: Vec<Value>,
    /// `Behavior`: `switchoverOnly` (a graceful run loses no data).
    pub behavior: String,
    /// `Ungraceful.Ungraceful`: `failover` (an ungraceful run fails over).
    pub ungraceful: String,
}

/// A `Route53HealthCheckConfig`.
#[derive(Debug, Clone, PartialEq)]
pub struct Route53Block {
    /// `HostedZoneId`.
    pub zone_id: Value,
    /// `RecordName`.
    pub record_name: String,
    /// `RecordSets`: (set identifier, region), one per region.
    pub record_sets: Vec<(String, String)>,
}

/// An alarm of `AssociatedAlarms` (the map key is [`AssociatedAlarm::name`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AssociatedAlarm {
    /// The map key (the alarm's name).
    pub name: String,
    /// `applicationHealth` or `trigger`.
    pub alarm_type: String,
    /// `ResourceIdentifier`: the alarm's ARN.
    pub alarm: Value,
}
