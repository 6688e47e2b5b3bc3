//! The resolved, typed model of one site. Target-neutral: nothing here knows
//! about CloudFormation or Terraform. Every value keeps where it came from.

use crate::source::Span;
use crate::syntax::ast::{Cidr, Date, Version};
use crate::units::{DataSize, Duration, Percent};
use std::collections::BTreeMap;

/// Where a value came from: the site's own text, a `defaults` block, or a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Written in the block itself.
    Written,
    /// Supplied by a `defaults "kind"` block (stdlib or the user's baseline) at this span.
    Default(Span),
}

/// A value with the span of the text that set it and its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
    pub origin: Origin,
}

impl<T> Spanned<T> {
    pub fn written(value: T, span: Span) -> Spanned<T> {
        Spanned {
            value,
            span,
            origin: Origin::Written,
        }
    }
}

/// A reference to another declaration by name, resolved or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub name: String,
    pub span: Span,
}

/// The environment of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Production,
    Staging,
    Development,
    Test,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development => "development",
            Environment::Test => "test",
        }
    }

    /// The `Environment` tag value, e.g. `Production`.
    pub fn tag_value(self) -> &'static str {
        match self {
            Environment::Production => "Production",
            Environment::Staging => "Staging",
            Environment::Development => "Development",
            Environment::Test => "Test",
        }
    }

    pub fn is_production(self) -> bool {
        self == Environment::Production
    }
}

pub use crate::graph::Role;

/// The whole site.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub site: Site,
    pub profile: Option<Profile>,
    pub keys: Vec<Key>,
    pub network: Option<Network>,
    pub databases: Vec<Aurora>,
    pub tables: Vec<Table>,
    pub buckets: Vec<Bucket>,
    pub functions: Vec<Function>,
    pub backups: Vec<BackupPlan>,
    pub dns: Vec<Dns>,
    pub failover: Option<Failover>,
    pub monitoring: Option<Monitoring>,
    /// The region-loss drill (R37), when the site declares one.
    pub drill: Option<Drill>,
    pub catalog: Catalog,
    pub suppressions: Vec<Suppression>,
    /// The spans of every value the model could not read: an invalid literal, a
    /// value of the wrong type or out of range, an unresolved reference, a
    /// required value that is missing (at the block header), and the text of a
    /// partial block that did not parse (with the block's header). The model holds
    /// a placeholder there; a finding that points into a hole is a cascade.
    pub holes: Vec<Span>,
}

impl Model {
    /// The failover engine (R38): the site's `engine`, else Region switch when
    /// both regions list `arc_region_switch` in `std/regions`, else the Lambda
    /// engine. `None` without a `failover` block.
    pub fn failover_engine(&self) -> Option<FailoverEngine> {
        let fo = self.failover.as_ref()?;
        if let Some(e) = &fo.engine {
            return Some(e.value);
        }
        Some(if self.region_switch_available() {
            FailoverEngine::RegionSwitch
        } else {
            FailoverEngine::Lambda
        })
    }

    /// Whether both of the site's regions offer ARC Region switch (`std/regions`).
    pub fn region_switch_available(&self) -> bool {
        [&self.site.primary.value, &self.site.secondary.value]
            .iter()
            .all(|r| {
                self.catalog
                    .region(r)
                    .is_some_and(|f| f.services.iter().any(|s| s == "arc_region_switch"))
            })
    }

    /// Whether `span` overlaps a hole (an empty span counts when it lies inside one).
    pub fn in_hole(&self, span: Span) -> bool {
        self.holes.iter().any(|h| {
            h.file == span.file
                && if span.start == span.end || h.start == h.end {
                    h.start <= span.start && span.end <= h.end
                        || span.start <= h.start && h.end <= span.end
                } else {
                    span.start < h.end && h.start < span.end
                }
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub name: String,
    pub span: Span,
    pub primary: Spanned<String>,
    pub secondary: Spanned<String>,
    pub rpo: Spanned<Duration>,
    pub rto: Spanned<Duration>,
    pub environment: Spanned<Environment>,
    pub suffix: Spanned<String>,
    /// How long infrastructure logs are kept (S3 access logs, VPC flow logs,
    /// Aurora's exported logs).
    pub log_retention: Spanned<Duration>,
    /// User tags, sorted by key.
    pub tags: BTreeMap<String, Spanned<String>>,
    pub profile: Option<Ref>,
    /// The IAM role (or user) ARN CloudFormation or Terraform deploys as: a key
    /// administrator (the `PutKeyPolicy` lockout check) and the only principal
    /// using the keys through the services that create encrypted resources.
    pub deployer: Option<Spanned<String>>,
    /// `active = primary | secondary` (R35): which region is the writer. `None`
    /// (not written) is `primary`.
    pub active: Option<Spanned<Role>>,
}

impl Site {
    pub fn region(&self, role: Role) -> &str {
        match role {
            Role::Primary => &self.primary.value,
            Role::Secondary => &self.secondary.value,
        }
    }

    /// The active side (the writer): `primary` unless the site says
    /// `active = secondary`.
    pub fn active_role(&self) -> Role {
        self.active.as_ref().map_or(Role::Primary, |a| a.value)
    }
}

/// A compliance profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: String,
    pub span: Span,
    pub require_key_rotation: Option<Spanned<bool>>,
    pub require_deletion_protection: Option<Spanned<bool>>,
    pub require_pitr: Option<Spanned<bool>>,
    pub require_replication_time_control: Option<Spanned<bool>>,
    pub required_tags: Option<Spanned<Vec<String>>>,
    pub min_backup_retention: Option<Spanned<Duration>>,
    pub record_retention: Option<Spanned<Duration>>,
    pub vault_lock: Option<Spanned<VaultLock>>,
    pub require_restore_tests: Option<Spanned<bool>>,
    /// Every backup plan keeps an isolated copy (ransomware tier, issue 13 item 4).
    pub require_isolated_copy: Option<Spanned<bool>>,
    /// The site must declare an enabled region-loss drill (R37).
    pub require_drill: Option<Spanned<bool>>,
    /// Backups must meet the RPO in-region even for replicated stores (R12).
    pub require_backups_meeting_rpo: Option<Spanned<bool>>,
    pub unsuppressible: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub rotation: Spanned<bool>,
    pub rotation_period: Spanned<Duration>,
    pub deletion_window: Spanned<Duration>,
    pub description: Option<String>,
    /// IAM role or user ARNs administering the key (management actions only).
    pub admins: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub name: String,
    pub span: Span,
    pub primary_cidr: Spanned<Cidr>,
    pub secondary_cidr: Spanned<Cidr>,
    pub zones: Spanned<u32>,
    pub peering: Spanned<bool>,
    pub subnet_prefix: Spanned<u8>,
}

impl Network {
    pub fn cidr(&self, role: Role) -> Cidr {
        match role {
            Role::Primary => self.primary_cidr.value,
            Role::Secondary => self.secondary_cidr.value,
        }
    }
}

/// Aurora Serverless v2 capacity in ACUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Serverless {
    pub min_capacity: u32,
    pub max_capacity: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Aurora {
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub engine_version: Spanned<Version>,
    pub database: Option<String>,
    pub master_username: Spanned<String>,
    pub key: Option<Ref>,
    pub instances: Spanned<u32>,
    pub instance_class: Spanned<String>,
    pub serverless: Option<Spanned<Serverless>>,
    pub backup_retention: Spanned<Duration>,
    /// `None` means "follow the environment": on in production.
    pub deletion_protection: Option<Spanned<bool>>,
    pub port: Spanned<u16>,
    pub storage_encrypted: Spanned<bool>,
}

/// DynamoDB key attribute types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    String,
    Number,
    Binary,
}

impl KeyType {
    /// The DynamoDB attribute type letter.
    pub fn letter(self) -> &'static str {
        match self {
            KeyType::String => "S",
            KeyType::Number => "N",
            KeyType::Binary => "B",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    OnDemand,
    Provisioned,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub partition_key: (String, KeyType),
    pub sort_key: Option<(String, KeyType)>,
    pub billing: Spanned<Billing>,
    pub pitr: Spanned<bool>,
    pub pitr_period: Spanned<Duration>,
    pub key: Option<Ref>,
    pub deletion_protection: Option<Spanned<bool>>,
    pub ttl_attribute: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replication {
    /// With S3 Replication Time Control (15-minute SLA).
    Rtc,
    /// Without a time commitment.
    Standard,
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub key: Option<Ref>,
    pub versioning: Spanned<bool>,
    pub replication: Spanned<Replication>,
    /// `true` when all four public-access settings are blocked.
    pub public_access_blocked: Spanned<bool>,
    pub tls_only: Spanned<bool>,
    pub backup: Spanned<bool>,
    /// How long noncurrent versions are kept (lifecycle expiration).
    pub noncurrent_versions: Spanned<Duration>,
    /// S3 event notifications to the region's alert topic: `created`, `removed`.
    pub notify: Vec<String>,
}

/// Where a function's code comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeSource {
    /// A directory relative to the site file (already joined to an absolute path).
    Directory(std::path::PathBuf),
    Inline(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub runtime: Spanned<String>,
    pub handler: Spanned<String>,
    pub code: Spanned<CodeSource>,
    pub memory: Spanned<DataSize>,
    pub timeout: Spanned<Duration>,
    pub reserved_concurrency: Option<Spanned<u32>>,
    pub dead_letter_queue: Spanned<bool>,
    /// `reads`: see [`crate::model::access`] for the actions of each word.
    pub reads: Vec<Ref>,
    pub writes: Vec<Ref>,
    pub deletes: Vec<Ref>,
    pub scans: Vec<Ref>,
    pub connects: Vec<Ref>,
    pub log_retention: Spanned<Duration>,
    /// Environment variables, sorted.
    pub environment: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultLock {
    Compliance,
    Governance,
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BackupRule {
    pub name: String,
    pub span: Span,
    pub every: Spanned<Duration>,
    pub retain: Spanned<Duration>,
    pub cold_after: Option<Spanned<Duration>>,
    pub copy: Spanned<bool>,
    /// Defaults to `retain` when absent.
    pub copy_retain: Option<Spanned<Duration>>,
    pub continuous: Spanned<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BackupPlan {
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub covers: Vec<Ref>,
    /// The `covers` list (the plan's header when absent).
    pub covers_span: Span,
    pub vault_lock: Spanned<VaultLock>,
    pub lock_changeable_for: Option<Spanned<Duration>>,
    pub start_window: Spanned<Duration>,
    pub completion_window: Spanned<Duration>,
    /// How often restore testing runs in the secondary region (R36).
    pub restore_tests: Spanned<RestoreTests>,
    /// How long a restored resource waits for validation before deletion.
    pub restore_validate_within: Spanned<Duration>,
    pub rules: Vec<BackupRule>,
    /// Copy every recovery point to a logically air-gapped vault in the
    /// secondary region (ransomware tier).
    pub isolated_copy: Spanned<bool>,
    /// Copy every recovery point to this vault (ARN) of another account
    /// instead of an air-gapped vault of the site.
    pub isolated_vault: Option<Spanned<String>>,
}

/// How often a backup plan's recovery points are restore-tested (`restore_tests`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreTests {
    Daily,
    Weekly,
    Monthly,
    Off,
}

impl RestoreTests {
    /// The value as written.
    pub fn as_str(self) -> &'static str {
        match self {
            RestoreTests::Daily => "daily",
            RestoreTests::Weekly => "weekly",
            RestoreTests::Monthly => "monthly",
            RestoreTests::Off => "off",
        }
    }

    /// The shortest time between two runs, in seconds (a month: 28 days), or
    /// `None` when off.
    pub fn min_interval_secs(self) -> Option<u64> {
        match self {
            RestoreTests::Daily => Some(86_400),
            RestoreTests::Weekly => Some(7 * 86_400),
            RestoreTests::Monthly => Some(28 * 86_400),
            RestoreTests::Off => None,
        }
    }

    /// The restore testing plan's `ScheduleExpression` (UTC): 09:00, away from
    /// the backup rules' 05:00 starts.
    pub fn cron(self) -> Option<&'static str> {
        match self {
            RestoreTests::Daily => Some("cron(0 9 ? * * *)"),
            RestoreTests::Weekly => Some("cron(0 9 ? * MON *)"),
            RestoreTests::Monthly => Some("cron(0 9 1 * ? *)"),
            RestoreTests::Off => None,
        }
    }

    /// Every schedule whose runs are at least `secs` apart, most frequent first.
    pub fn not_shorter_than(secs: u64) -> Vec<RestoreTests> {
        RestoreTests::ALL
            .iter()
            .copied()
            .filter(|t| t.min_interval_secs().is_some_and(|i| i >= secs))
            .collect()
    }

    /// Every schedule, most frequent first (for help lines).
    pub const ALL: [RestoreTests; 3] = [
        RestoreTests::Daily,
        RestoreTests::Weekly,
        RestoreTests::Monthly,
    ];
}

/// The hosted zone records go into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zone {
    /// An existing zone, by name.
    ExistingName(String),
    /// An existing zone, by id.
    ExistingId(String),
    /// A zone drsc creates.
    Create(String),
}

/// What serves the record in each region.
#[derive(Debug, Clone, PartialEq)]
pub enum FrontDoor {
    /// `serves = ingest`: drsc builds a regional front door (API Gateway HTTP
    /// API with a regional custom domain) for this function in each region.
    Serves(Ref),
    /// `primary_endpoint` / `secondary_endpoint`: host names of front doors
    /// that live outside the site.
    External {
        primary: Spanned<String>,
        secondary: Spanned<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dns {
    pub name: String,
    pub span: Span,
    pub doc: Option<String>,
    pub zone: Spanned<Zone>,
    pub record: Spanned<String>,
    /// What answers at each region's end of the record.
    pub front_door: FrontDoor,
    pub health_path: Spanned<String>,
    pub port: Spanned<u16>,
    pub interval: Spanned<Duration>,
    pub failure_threshold: Spanned<u32>,
    pub ttl: Spanned<Duration>,
    pub primary_share: Spanned<Percent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailoverMode {
    Automatic,
    Manual,
}

/// Which engine runs the failover (R38).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailoverEngine {
    /// AWS ARC Region switch: a plan drsc declares, started by drsc's starter function.
    RegionSwitch,
    /// drsc's own failover function (`assets/failover/handler.py`).
    Lambda,
}

impl FailoverEngine {
    /// The word the site writes (`region_switch`, `lambda`).
    pub fn as_str(self) -> &'static str {
        match self {
            FailoverEngine::RegionSwitch => "region_switch",
            FailoverEngine::Lambda => "lambda",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failover {
    pub span: Span,
    pub database: Ref,
    pub dns: Option<Ref>,
    pub probe_every: Spanned<Duration>,
    pub alarm_after: Spanned<u32>,
    pub allow_data_loss: Spanned<bool>,
    pub mode: Spanned<FailoverMode>,
    pub timeout: Spanned<Duration>,
    /// The engine the site chose; `None` = Region switch where both regions offer
    /// it, the Lambda engine elsewhere ([`Model::failover_engine`]).
    pub engine: Option<Spanned<FailoverEngine>>,
    /// An approval step before a data-loss failover: how long it waits for a
    /// person (the step's timeout). `None` (the default): no approval (R6).
    pub approval: Option<Spanned<Duration>>,
    /// The IAM role ARN that approves (Region switch `ApprovalRole`).
    pub approver: Option<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Monitoring {
    pub span: Span,
    pub alert_email: Option<Spanned<String>>,
    pub lag_threshold: Spanned<Duration>,
    pub dashboard: Spanned<bool>,
}

/// A region-loss drill (R37): an AWS FIS experiment template in the primary region.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    pub span: Span,
    /// `false`: the block is kept but nothing is emitted.
    pub enabled: Spanned<bool>,
    /// How long each FIS action lasts.
    pub duration: Spanned<Duration>,
}

/// Facts from the stdlib catalogs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalog {
    pub regions: Vec<RegionFacts>,
    pub engines: Vec<EngineFacts>,
    pub runtimes: Vec<RuntimeFacts>,
    pub runtime_policy: Option<RuntimePolicy>,
    pub timings: Vec<TimingFact>,
    pub limits: Vec<LimitFact>,
    pub wildcard_actions: Vec<WildcardAction>,
    /// Regulation clauses of `std/regulations` (the evidence report).
    pub regulations: Vec<RegulationFact>,
}

impl Catalog {
    pub fn region(&self, name: &str) -> Option<&RegionFacts> {
        self.regions.iter().find(|r| r.name == name)
    }

    pub fn timing(&self, key: &str) -> Option<&TimingFact> {
        self.timings.iter().find(|t| t.key == key)
    }

    /// The AWS limit `key` of `std/limits`.
    pub fn limit(&self, key: &str) -> Option<&LimitFact> {
        self.limits.iter().find(|l| l.key == key)
    }

    pub fn runtime(&self, name: &str) -> Option<&RuntimeFacts> {
        self.runtimes.iter().find(|r| r.name == name)
    }

    pub fn engine(&self, name: &str) -> Option<&EngineFacts> {
        self.engines.iter().find(|e| e.name == name)
    }

    /// The catalog entries of `engine`'s major versions (entries with a
    /// `major`), lowest major first.
    pub fn engine_majors(&self, engine: &str) -> Vec<&EngineFacts> {
        let mut found: Vec<&EngineFacts> = self
            .engines
            .iter()
            .filter(|e| e.engine == engine && e.major.is_some())
            .collect();
        found.sort_by_key(|e| e.major);
        found
    }

    /// The catalog entry of one major version of `engine`.
    pub fn engine_major(&self, engine: &str, major: u32) -> Option<&EngineFacts> {
        self.engine_majors(engine)
            .into_iter()
            .find(|e| e.major == Some(major))
    }

    /// Whether IAM allows this action only on `Resource: "*"`.
    pub fn is_wildcard_action(&self, action: &str) -> bool {
        self.wildcard_actions.iter().any(|w| w.action == action)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegionFacts {
    pub name: String,
    pub span: Span,
    pub display_name: String,
    pub short_name: String,
    pub zones: u32,
    pub services: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EngineFacts {
    pub name: String,
    pub span: Span,
    /// The RDS engine the entry describes (`engine`, default: the label).
    pub engine: String,
    /// The major version of a per-major entry; `None` for the engine-wide entry.
    pub major: Option<u32>,
    /// The DB (cluster) parameter group family of the major, e.g. `aurora-postgresql16`.
    pub parameter_group_family: Option<String>,
    /// The date the entry's lists were compiled.
    pub as_of: Option<Spanned<Date>>,
    pub global_database_versions: Vec<Version>,
    /// Versions RDS no longer accepts for new clusters.
    pub retired_versions: Vec<Version>,
    pub instance_classes: Vec<String>,
    pub serverless_v2: bool,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeFacts {
    pub name: String,
    pub span: Span,
    pub language: String,
    pub version: Version,
    pub deprecation: Spanned<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuntimePolicy {
    pub as_of: Spanned<Date>,
    pub warn_within: Spanned<Duration>,
}

/// A regulation clause and the kinds of evidence that serve it (`std/regulations`).
#[derive(Debug, Clone, PartialEq)]
pub struct RegulationFact {
    /// The clause, e.g. `DORA Art. 12`.
    pub clause: String,
    pub span: Span,
    pub title: String,
    /// Evidence kinds (`rpo`, `restore_testing`, ...).
    pub evidence: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimingFact {
    pub key: String,
    pub span: Span,
    pub value: Duration,
    pub source: String,
}

/// What a [`LimitFact`] counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitUnit {
    Seconds,
    Bytes,
    Count,
}

/// An AWS limit of `std/limits`: a value is accepted when it is one of
/// `values` or lies in the range (`min`..=`max`, a multiple of `step`).
/// Durations are in seconds, sizes in bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitFact {
    pub key: String,
    pub span: Span,
    pub unit: LimitUnit,
    pub values: Vec<i64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub step: Option<i64>,
    pub source: String,
}

impl LimitFact {
    fn has_range(&self) -> bool {
        self.min.is_some() || self.max.is_some() || self.step.is_some()
    }

    fn in_range(&self, v: i64) -> bool {
        self.has_range()
            && v >= self.min.or(self.step).unwrap_or(i64::MIN)
            && v <= self.max.unwrap_or(i64::MAX)
            && self.step.is_none_or(|s| s > 0 && v % s == 0)
    }

    /// Whether AWS accepts `v`.
    pub fn admits(&self, v: i64) -> bool {
        self.values.contains(&v) || self.in_range(v)
    }

    /// The accepted values nearest to `v`: the largest below and the smallest
    /// above (one of them when `v` is beyond an end).
    pub fn nearest(&self, v: i64) -> Vec<i64> {
        let mut below: Option<i64> = self.values.iter().copied().filter(|x| *x < v).max();
        let mut above: Option<i64> = self.values.iter().copied().filter(|x| *x > v).min();
        if self.has_range() {
            let step = self.step.unwrap_or(1).max(1);
            let lo = self.min.or(self.step).unwrap_or(i64::MIN);
            let hi = self.max.unwrap_or(i64::MAX);
            // Multiples of `step` just below and above `v`, within the range.
            let floor = v.div_euclid(step).saturating_mul(step);
            let down = if floor == v {
                floor.saturating_sub(step)
            } else {
                floor
            };
            let up = down.saturating_add(step);
            let up = if up == v { up.saturating_add(step) } else { up };
            let first = lo
                .saturating_add(step - 1)
                .div_euclid(step)
                .saturating_mul(step);
            let last = hi.div_euclid(step).saturating_mul(step);
            let down = if down > last {
                Some(last)
            } else {
                Some(down).filter(|d| *d >= first)
            };
            let up = if up < first {
                Some(first)
            } else {
                Some(up).filter(|u| *u <= last)
            };
            below = below.max(down.filter(|d| self.in_range(*d)));
            above = match (above, up.filter(|u| self.in_range(*u))) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        below.into_iter().chain(above).collect()
    }

    /// `v` in the limit's unit, as a site would write it (`90s`, `512MiB`, `7`).
    pub fn show(&self, v: i64) -> String {
        match self.unit {
            LimitUnit::Seconds if v >= 0 => crate::units::humanize_secs(v as u64),
            LimitUnit::Bytes if v >= 0 && v % (1 << 20) == 0 => format!("{}MiB", v >> 20),
            LimitUnit::Bytes => format!("{v}B"),
            _ => v.to_string(),
        }
    }

    /// What AWS accepts, in words: "10s, 20s, 30s or a multiple of 1m".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.values.iter().map(|v| self.show(*v)).collect();
        if self.has_range() {
            let mut range = String::new();
            if let Some(s) = self.step.filter(|s| *s > 1) {
                range.push_str(&format!("a multiple of {}", self.show(s)));
            }
            match (self.min, self.max) {
                (Some(lo), Some(hi)) => {
                    if !range.is_empty() {
                        range.push(' ');
                    }
                    range.push_str(&format!("from {} to {}", self.show(lo), self.show(hi)));
                }
                (Some(lo), None) if self.step != Some(lo) => {
                    range.push_str(&format!(" of at least {}", self.show(lo)));
                }
                (None, Some(hi)) => range.push_str(&format!(" up to {}", self.show(hi))),
                _ => {}
            }
            parts.push(range.trim().to_string());
        }
        match parts.len() {
            0 => String::new(),
            1 => parts.remove(0),
            n => format!("{} or {}", parts[..n - 1].join(", "), parts[n - 1]),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WildcardAction {
    pub action: String,
    pub span: Span,
    pub reason: String,
}

/// An `allow CODE "reason"` and the span of the block it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub code: String,
    pub reason: String,
    pub span: Span,
    /// The block (or whole file) inside which the code is silenced.
    pub scope: Span,
}
