//! The one schema table of the language: every block kind, where it may
//! appear, its label, its attributes with their types and one-line docs.
//! Validation, "did you mean", LSP completion and hover, and the language
//! reference all read this table. Default values live in `stdlib/defaults.drs`.

/// The type of an attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    /// An integer in an inclusive range.
    Integer {
        min: i64,
        max: i64,
    },
    Bool,
    /// A duration in an inclusive range of seconds.
    Duration {
        min: u64,
        max: u64,
    },
    Size,
    Percent,
    Cidr,
    /// A dotted version such as `14.9` or a decimal such as `0.5`.
    Version,
    Date,
    Region,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
    /// A reference to a declaration of one of these kinds.
    Ref(&'static [&'static str]),
    /// A diagnostic code such as `DRS0301`.
    Code,
    List(&'static Type),
}

impl Type {
    /// How messages and docs name the type.
    pub fn describe(&self) -> String {
        match self {
            Type::String => "a string".into(),
            Type::Integer { .. } => "an integer".into(),
            Type::Bool => "`true` or `false`".into(),
            Type::Duration { .. } => "a duration such as `1h`".into(),
            Type::Size => "a data size such as `512MiB`".into(),
            Type::Percent => "a percentage such as `50%`".into(),
            Type::Cidr => "a CIDR block such as `10.20.0.0/16`".into(),
            Type::Version => "a version such as `14.9`".into(),
            Type::Date => "a date such as `2026-06-30`".into(),
            Type::Region => "a region such as `us-east-1`".into(),
            Type::Enum(words) => format!(
                "one of {}",
                words
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Type::Ref(kinds) => format!("the name of a declared {}", or_list(kinds)),
            Type::Code => "a diagnostic code such as `DRS0301`".into(),
            Type::List(Type::Ref(kinds)) => {
                format!("a list of names of declared {}", or_list(kinds))
            }
            Type::List(inner) => format!("a list of: {}", inner.describe()),
        }
    }
}

/// `` `a`, `b` or `c` ``.
fn or_list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// Whether a block takes a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelRule {
    /// `aurora "ledger"`: a declaration others can name; the label must be a lowercase name.
    Name,
    /// `region "us-east-1"`: a label that is free text (not referenced by bare name).
    Text,
    /// `monitoring`: no label.
    None,
}

/// One attribute of a block.
#[derive(Debug, Clone, Copy)]
pub struct AttrSchema {
    pub name: &'static str,
    pub ty: Type,
    /// Must be written (after defaults are applied).
    pub required: bool,
    pub doc: &'static str,
}

/// One block kind.
#[derive(Debug, Clone, Copy)]
pub struct BlockSchema {
    pub kind: &'static str,
    pub label: LabelRule,
    /// Block kinds this may be nested in; empty means top level.
    pub parents: &'static [&'static str],
    /// At most one per site (e.g. `monitoring`).
    pub singleton: bool,
    /// Only meaningful in stdlib files (catalog facts); users may still write them.
    pub stdlib: bool,
    pub doc: &'static str,
    pub attrs: &'static [AttrSchema],
    /// For map-like blocks (`tags`, `environment`): any key, values of this type.
    pub free_attrs: Option<Type>,
}

impl BlockSchema {
    pub fn attr(&self, name: &str) -> Option<&'static AttrSchema> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn is_top_level(&self) -> bool {
        self.parents.is_empty()
    }
}

const fn a(name: &'static str, ty: Type, doc: &'static str) -> AttrSchema {
    AttrSchema {
        name,
        ty,
        required: false,
        doc,
    }
}

const fn req(name: &'static str, ty: Type, doc: &'static str) -> AttrSchema {
    AttrSchema {
        name,
        ty,
        required: true,
        doc,
    }
}

const DURATION: Type = Type::Duration {
    min: 0,
    max: u64::MAX,
};
/// What a profile demands; its `when "<environment>"` blocks take the same attributes.
#[rustfmt::skip]
const PROFILE_DEMANDS: [AttrSchema; 12] = [
            a("require_key_rotation", Type::Bool, "Every key must rotate (R21)."),
            a("require_deletion_protection", Type::Bool, "Production resources need deletion protection and retain-on-delete (R24, R25)."),
            a("require_pitr", Type::Bool, "Every DynamoDB replica needs point-in-time recovery (R7)."),
            a("require_replication_time_control", Type::Bool, "Replicated buckets need S3 RTC."),
            a("required_tags", STRINGS, "Tags every resource must carry (R4)."),
            a("min_backup_retention", DURATION, "Shortest retention of any backup rule (R12)."),
            a("record_retention", DURATION, "Financial record retention some backup rule must reach, e.g. 7y (R28)."),
            a("vault_lock", Type::Enum(&["compliance", "governance", "none"]), "Vault Lock mode every backup plan must use (R14)."),
            a("require_restore_tests", Type::Bool, "Every backup plan runs restore tests in the secondary region (`restore_tests` is not `off`, R36)."),
            a("require_isolated_copy", Type::Bool, "Every backup plan keeps an isolated copy: `isolated_copy = true` or `isolated_vault` (ransomware tier)."),
            a("require_drill", Type::Bool, "The site must declare an enabled region-loss `drill` (R37)."),
            a("require_backups_meeting_rpo", Type::Bool, "Every store's in-region recovery point from backups (continuous backups, point-in-time recovery or the snapshot interval) meets the RPO, even when replication meets it for a regional outage (R12)."),
];

/// A profile's attributes: its demands and the codes an `allow` may not silence.
const PROFILE_ATTRS: [AttrSchema; 13] = {
    let mut out = [a(
        "unsuppressible",
        Type::List(&Type::Code),
        "Codes an `allow` may not silence.",
    ); 13];
    let mut i = 0;
    while i < PROFILE_DEMANDS.len() {
        out[i] = PROFILE_DEMANDS[i];
        i += 1;
    }
    out
};

const fn int(min: i64, max: i64) -> Type {
    Type::Integer { min, max }
}
const STRINGS: Type = Type::List(&Type::String);
const DATA_STORES: &[&str] = &["aurora", "table", "bucket"];

/// Environments a site can be; `production` turns on protection rules.
pub const ENVIRONMENTS: &[&str] = &["production", "staging", "development", "test"];

/// Every block kind of the language.
pub static BLOCKS: &[BlockSchema] = &[
    BlockSchema {
        kind: "site",
        label: LabelRule::Name,
        parents: &[],
        singleton: true,
        stdlib: false,
        doc: "The DR site: its region pair, recovery objectives, environment and compliance profile (R1–R4).",
        attrs: &[
            req("primary", Type::Region, "The region that serves traffic (R1)."),
            req("secondary", Type::Region, "The standby region that takes over (R1)."),
            a("active", Type::Enum(&["primary", "secondary"]), "Which region is active, the writer that serves traffic: `primary` (the default) or `secondary` after a failover (R35). `primary` and `secondary` keep naming the regions the site was built with, so names and stacks do not change; `active = secondary` builds for the failed-over site from the surviving region alone (no deploy step, stack, Terraform provider or data source of the primary region), with the failover automation disarmed and the records following the active region. Set it back to `primary` for the failback build once the primary region has rejoined and the database has switched back."),
            req("rpo", Type::Duration { min: 0, max: 31_536_000 }, "Recovery point objective: the most data, in time, the site may lose (R2)."),
            req("rto", Type::Duration { min: 60, max: 31_536_000 }, "Recovery time objective: the longest the site may be down (R2)."),
            req("environment", Type::Enum(ENVIRONMENTS), "The environment; `production` turns on deletion protection and retention (R3, R24, R25)."),
            req("suffix", Type::String, "Environment suffix ending every physical name, `resource-type-environment-suffix` (R3)."),
            a("profile", Type::Ref(&["profile"]), "The compliance profile the site must satisfy, e.g. `finserv` from `std/finserv`."),
            a("log_retention", Type::Duration { min: 86_400, max: 3_653 * 86_400 }, "How long the site's infrastructure logs are kept: S3 server access logs (the log buckets' expiration), VPC flow logs and Aurora's exported PostgreSQL logs."),
            a("deployer", Type::String, "ARN of the IAM role (or user) CloudFormation or Terraform deploys as, e.g. `arn:aws:iam::123456789012:role/drsc-deploy`. Every key policy lets it administer the key (so `PutKeyPolicy` passes KMS's lockout safety check) and use the key only through the services that create the site's encrypted resources; without it those two statements name the account root (R22)."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "tags",
        label: LabelRule::None,
        parents: &["site"],
        singleton: true,
        stdlib: false,
        doc: "User tags added to every taggable resource, beside `Environment` and `DR-Role` (R4).",
        attrs: &[],
        free_attrs: Some(Type::String),
    },
    BlockSchema {
        kind: "key",
        label: LabelRule::Name,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "A customer-managed KMS key, created in both regions (R8, R21, R22).",
        attrs: &[
            a("rotation", Type::Bool, "Automatic key rotation (R21)."),
            a("rotation_period", Type::Duration { min: 90 * 86_400, max: 2_560 * 86_400 }, "How often KMS rotates the key material: 90d to 2560d."),
            a("deletion_window", Type::Duration { min: 7 * 86_400, max: 30 * 86_400 }, "Waiting period before a deleted key is destroyed: 7d to 30d."),
            a("description", Type::String, "What the key protects."),
            a("admins", STRINGS, "ARNs of the IAM roles or users that administer the key: management actions only (policy, rotation, enable/disable, deletion, tags, aliases, grant listing and revocation), never Encrypt, Decrypt, ReEncrypt, GenerateDataKey or CreateGrant (R22)."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "network",
        label: LabelRule::Name,
        parents: &[],
        singleton: true,
        stdlib: false,
        doc: "A VPC per region with private subnets, peered across regions (R26).",
        attrs: &[
            req("primary_cidr", Type::Cidr, "The primary region's VPC CIDR block."),
            req("secondary_cidr", Type::Cidr, "The secondary region's VPC CIDR block; must not overlap the primary's."),
            a("zones", int(1, 6), "Availability zones with a private subnet in each region; at least 2 (R26, R27)."),
            a("peering", Type::Bool, "Cross-region VPC peering with routes on both sides."),
            a("subnet_prefix", int(16, 28), "Prefix length of each private subnet, e.g. 20 for /20."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "aurora",
        label: LabelRule::Name,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "An Aurora PostgreSQL global database: a writer cluster in the primary and a secondary cluster (R5, R8, R27).",
        attrs: &[
            req("engine_version", Type::Version, "Aurora PostgreSQL version: a current minor of a major `std/engines` lists (14.x, 15.x, 16.x, 17.x) that supports global databases. The reference site uses 14.x."),
            a("database", Type::String, "Name of the initial database."),
            a("master_username", Type::String, "Master user; its password is generated into the site's own Secrets Manager secret (replicated, rotated)."),
            a("key", Type::Ref(&["key"]), "The customer-managed key encrypting storage (R8)."),
            a("instances", int(1, 15), "Instances per region, spread over availability zones (R27)."),
            a("instance_class", Type::String, "Instance class, e.g. `db.r6g.large`, or `db.serverless` (set by a `serverless` block)."),
            a("backup_retention", Type::Duration { min: 86_400, max: 35 * 86_400 }, "Aurora's own continuous backup retention: 1d to 35d."),
            a("deletion_protection", Type::Bool, "Deletion protection on the clusters (R24)."),
            a("port", int(1150, 65_535), "Database port."),
            a("storage_encrypted", Type::Bool, "Storage encryption (R8, R23)."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "serverless",
        label: LabelRule::None,
        parents: &["aurora"],
        singleton: true,
        stdlib: false,
        doc: "Aurora Serverless v2 capacity in ACUs; instances become `db.serverless` (R29).",
        attrs: &[
            req("min_capacity", int(0, 256), "Minimum ACUs."),
            req("max_capacity", int(1, 256), "Maximum ACUs."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "table",
        label: LabelRule::Name,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "A DynamoDB global table with a replica in each region (R7, R8).",
        attrs: &[
            req("partition_key", Type::String, "Partition (hash) key attribute name."),
            a("partition_key_type", Type::Enum(&["string", "number", "binary"]), "Type of the partition key."),
            a("sort_key", Type::String, "Sort (range) key attribute name."),
            a("sort_key_type", Type::Enum(&["string", "number", "binary"]), "Type of the sort key."),
            a("billing", Type::Enum(&["on_demand", "provisioned"]), "`on_demand` (pay per request, R29) or `provisioned`."),
            a("pitr", Type::Bool, "Point-in-time recovery on every replica (R7)."),
            a("pitr_period", Type::Duration { min: 86_400, max: 35 * 86_400 }, "Point-in-time recovery window: 1d to 35d."),
            a("key", Type::Ref(&["key"]), "The customer-managed key of every replica (R8)."),
            a("deletion_protection", Type::Bool, "Deletion protection on every replica (R24)."),
            a("ttl_attribute", Type::String, "Attribute holding the item expiry time."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "bucket",
        label: LabelRule::Name,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "An S3 bucket in each region, replicated primary → secondary (R9, R23).",
        attrs: &[
            a("key", Type::Ref(&["key"]), "The customer-managed key for SSE-KMS in each region (R9)."),
            a("versioning", Type::Bool, "Object versioning (required for replication and backup)."),
            a("replication", Type::Enum(&["rtc", "standard", "none"]), "`rtc`: replication with the 15-minute Replication Time Control; `standard`: no time commitment."),
            a("public_access", Type::Enum(&["blocked", "allowed"]), "S3 Block Public Access on all four settings."),
            a("tls_only", Type::Bool, "Bucket policy denying requests without TLS (R23)."),
            a("backup", Type::Bool, "Also protect the bucket with AWS Backup (R13)."),
            a("noncurrent_versions", Type::Duration { min: 86_400, max: 36_500 * 86_400 }, "How long S3 keeps an object's old (noncurrent) versions before the lifecycle deletes them."),
            a("notify", Type::List(&Type::Enum(&["created", "removed"])), "S3 event notifications to the region's encrypted alert topic, from the bucket in both regions (so they keep coming from the replica after a failover): `created` for `s3:ObjectCreated:*`, `removed` for `s3:ObjectRemoved:*`. Default: none."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "function",
        label: LabelRule::Name,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "A Lambda function deployed identically in both regions, in private subnets (R10, R11).",
        attrs: &[
            req("runtime", Type::String, "Lambda runtime, e.g. `python3.12`; must be supported (see `std/runtimes`)."),
            req("handler", Type::String, "Handler, `module.function`."),
            a("source", Type::String, "Directory of the function code, relative to the site file; drsc zips it deterministically."),
            a("inline", Type::String, "Inline handler code (small functions); exclusive with `source`."),
            a("memory", Type::Size, "Memory, a whole number of MiB from 128MiB to 10240MiB (`std/limits` `lambda_memory`)."),
            a("timeout", DURATION, "Timeout: 1s to 15m (`std/limits` `lambda_timeout`)."),
            a("reserved_concurrency", int(0, 10_000), "Reserved concurrent executions."),
            a("dead_letter_queue", Type::Bool, "An encrypted SQS dead-letter queue for failed asynchronous invocations."),
            a("reads", Type::List(&Type::Ref(DATA_STORES)), "Stores the function may read: DynamoDB `GetItem`, `BatchGetItem`, `Query`, `ConditionCheckItem`; S3 `GetObject`, `GetObjectVersion`, `ListBucket` and `kms:Decrypt` (R11)."),
            a("writes", Type::List(&Type::Ref(DATA_STORES)), "Stores the function may write, without reading: DynamoDB `PutItem`, `UpdateItem`; S3 `PutObject` with `kms:GenerateDataKey` and `kms:Decrypt` (multipart uploads) (R11)."),
            a("deletes", Type::List(&Type::Ref(&["table", "bucket"])), "Stores the function may delete from: DynamoDB `DeleteItem` (and `BatchWriteItem`, which puts or deletes, when the table is also in `writes`); S3 `DeleteObject`, a delete marker on a versioned bucket, never `DeleteObjectVersion` (R11)."),
            a("scans", Type::List(&Type::Ref(&["table"])), "Tables the function may `Scan`: a read of the whole table, granted only when named here (R11)."),
            a("connects", Type::List(&Type::Ref(&["aurora"])), "Databases the function connects to: network access and IAM database authentication to its own region's cluster (R11)."),
            a("log_retention", Type::Duration { min: 86_400, max: 3_653 * 86_400 }, "Log group retention."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "environment",
        label: LabelRule::None,
        parents: &["function"],
        singleton: true,
        stdlib: false,
        doc: "Environment variables of the function, identical in both regions (R10).",
        attrs: &[],
        free_attrs: Some(Type::String),
    },
    BlockSchema {
        kind: "backup",
        label: LabelRule::Name,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "An AWS Backup plan with vaults in both regions and cross-region copies (R12–R14, R28).",
        attrs: &[
            req("covers", Type::List(&Type::Ref(DATA_STORES)), "The stores the plan's selection covers (R13)."),
            a("vault_lock", Type::Enum(&["compliance", "governance", "none"]), "Vault Lock mode for WORM retention (R14, R28)."),
            a("lock_changeable_for", Type::Duration { min: 3 * 86_400, max: 36_500 * 86_400 }, "Cooling-off period before a compliance lock becomes immutable (at least 3d)."),
            a("start_window", Type::Duration { min: 3_600, max: 7 * 86_400 }, "How long after the scheduled time a job may start (at least 1h)."),
            a("completion_window", Type::Duration { min: 3_600, max: 100 * 365 * 86_400 }, "How long a job may run."),
            a("restore_tests", Type::Enum(&["daily", "weekly", "monthly", "off"]), "How often AWS Backup restore testing restores the latest recovery point of each covered store type from the vault in the secondary region (R36): `daily` (09:00 UTC), `weekly` (Mondays), `monthly` (the 1st) or `off`. No more often than the plan's most frequent rule (DRS0500). Restored resources are deleted after validation."),
            a("restore_validate_within", Type::Duration { min: 1, max: 3_650 * 86_400 }, "How long a restored resource is kept for drsc's validation function before AWS Backup deletes it: whole hours, 1h to 7d (`std/limits` `restore_validation_window`, DRS0501)."),
            a("isolated_copy", Type::Bool, "Also copy every recovery point to a logically air-gapped vault in the secondary region (ransomware tier): compliance-locked, encrypted with an AWS owned key."),
            a("isolated_vault", Type::String, "Copy every recovery point to this vault of another account instead, by ARN, e.g. `arn:aws:backup:us-west-2:210987654321:backup-vault:dr-isolated` (its access policy is the other account's). `check` rejects a vault of the site's own account where the site names it (`deployer`, key `admins`); without either, the account is known only at deploy time."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "rule",
        label: LabelRule::Name,
        parents: &["backup"],
        singleton: false,
        stdlib: false,
        doc: "A backup rule: how often, how long to keep, and the copy kept in the secondary region (R12).",
        attrs: &[
            req("every", Type::Duration { min: 3_600, max: 31_536_000 }, "Interval between backups: 1h–12h dividing a day, 1d, 7d or 1y."),
            req("retain", DURATION, "How long recovery points are kept."),
            a("cold_after", DURATION, "Move recovery points to cold storage after this long (retain must be 90d longer)."),
            a("copy", Type::Bool, "Copy each recovery point to the vault in the secondary region (R12)."),
            a("copy_retain", DURATION, "How long the copies in the secondary region are kept."),
            a("continuous", Type::Bool, "Continuous backups (PITR) for supported resources."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "dns",
        label: LabelRule::Name,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "Route 53 records for both regions and drsc's health checks of both regions' front doors (R15–R17). The failover's records are **failover** records tied to the health checks the Region switch plan creates, so the plan's execution moves traffic on Route 53's data plane, with the Region switch engine; **weighted** records (`primary_share`) tied to drsc's health checks with the Lambda engine and for any other `dns` block. With Region switch drsc's health checks of both front doors still exist (R15) but are not tied to the records: Route 53 publishes their metrics only in us-east-1, so they show each front door's health and the edge probe, not they, feeds the failover trigger. With `serves = <function>` drsc builds the front door in each region: an API Gateway HTTP API (Lambda proxy, `$default` stage with access logs) behind a regional custom domain for `record` and for the region's own host name (`api-use1.example.com` for `record = \"api.example.com\"`), with a certificate of that region validated in the zone; the records alias the regional domains and the health checks request `health_path` on the regional host names. Without `serves`, `primary_endpoint` and `secondary_endpoint` name front doors that live elsewhere (DRS0327).",
        attrs: &[
            a("zone", Type::String, "Name of an existing public hosted zone, e.g. `bank.example.com`."),
            a("zone_id", Type::String, "Id of an existing hosted zone (instead of `zone`)."),
            a("create_zone", Type::Bool, "Create the hosted zone named by `zone`."),
            req("record", Type::String, "The record name clients resolve, inside the zone."),
            a("serves", Type::Ref(&["function"]), "The function each region's front door serves (a regional HTTP API and custom domain per region); the function must answer `health_path`."),
            a("primary_endpoint", Type::String, "Host name of a primary-region front door outside the site (health-checked), instead of `serves`."),
            a("secondary_endpoint", Type::String, "Host name of a secondary-region front door outside the site (health-checked), instead of `serves`."),
            a("health_path", Type::String, "HTTPS path the health checks request on each region's front door."),
            a("port", int(1, 65_535), "Port of the health check."),
            a("interval", DURATION, "Health check request interval: 10s or 30s (`std/limits` `route53_health_check_interval`)."),
            a("failure_threshold", int(1, 10), "Consecutive failed checks before the endpoint is unhealthy: 1–10."),
            a("ttl", Type::Duration { min: 0, max: 172_800 }, "Record TTL; at most 60s is recommended with health checks."),
            a("primary_share", Type::Percent, "Share of traffic the primary gets while healthy (weighted records: the Lambda engine, or a `dns` block the failover does not name); the secondary gets the rest."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "failover",
        label: LabelRule::None,
        parents: &[],
        singleton: true,
        stdlib: false,
        doc: "Automated promotion of the secondary, detected and run from the secondary region (R6, R17). One failover promotes every Aurora global database of the site, together (one Region switch workflow with an Aurora step per database, or one invocation of the Lambda engine). The trigger tells an outage from a partition: with `dns`, two independent signals are evaluated in the secondary region, the probe of the `database` writer over the VPC peering and a probe of the primary's public front door (its `health_path`, over the internet, from a function outside the VPC), and a CloudWatch composite alarm `ALARM(peering) AND ALARM(front door)` starts the failover; `check`'s RTO estimate counts the slower of the two (`probe_every` × `alarm_after`). Without `dns` the peering probe alone starts it.",
        attrs: &[
            req("database", Type::Ref(&["aurora"]), "The global database whose primary writer the peering probe watches; the failover promotes every Aurora database of the site."),
            a("dns", Type::Ref(&["dns"]), "The records that follow the failover (failover records on the plan's health checks with Region switch, weights the function shifts with the Lambda engine); its primary front door is the second signal of the failover alarm."),
            a("probe_every", Type::Duration { min: 60, max: 3_600 }, "How often the secondary region probes the primary, over the peering and at its front door (1m minimum)."),
            a("alarm_after", int(1, 10), "Failed probes in a row before each signal's alarm fires."),
            a("allow_data_loss", Type::Bool, "Fail over without waiting for replication (`FailoverGlobalCluster` with `AllowDataLoss`); otherwise switch over."),
            a("mode", Type::Enum(&["automatic", "manual"]), "`automatic` runs the failover function on alarm; `manual` only notifies."),
            a("timeout", DURATION, "Timeout of the failover function (Lambda engine) or of the Region switch starter function: 1s to 15m (`std/limits` `lambda_timeout`)."),
            a("approval", Type::Duration { min: 60, max: 604_800 }, "Optional approval step before the data-loss failover, and how long it waits: whole minutes, 1m to 7d (AWS requires at least 1 minute, botocore `ExecutionApprovalConfigurationTimeoutMinutesInteger`; 7d is drsc's bound, the longest RTO a plan accepts). None by default, and no profile requires one (R6): `check` warns (DRS0329) that the failover then waits for a person, and counts the wait in the RTO estimate. Region switch only: the plan's workflows start with an `ExecutionApprovalConfig` step (`ManualApproval`) whose `TimeoutMinutes` is this value; the Lambda engine has no approval step (DRS0338)."),
            a("approver", Type::String, "ARN of the IAM role that approves the `approval` step (Region switch `ApprovalRole`, which needs `arc-region-switch:ApprovePlanExecutionStep` on the plan). Required with `approval`."),
            a("engine", Type::Enum(&["region_switch", "lambda"]), "Who promotes the secondary (R38). `region_switch` (the default where both regions list `arc_region_switch` in `std/regions`): an AWS ARC Region switch plan (`activePassive`, RTO from the site's `rto` in whole minutes, an activate workflow per region whose Aurora step switches over gracefully and fails over ungracefully, a Route 53 health-check step with `dns`, execution reports to an encrypted bucket in the secondary region). The alarm starts it through drsc's starter function in the secondary region, which calls the regional data plane `StartPlanExecution` with `mode = ungraceful`: AWS does not document which mode a plan trigger starts (ARC API reference, `Trigger` has no mode), so drsc declares no trigger. The plan's control plane is in us-east-1: deploy changes to it need us-east-1, executing it does not. `lambda` (the default elsewhere): drsc's own failover function, which promotes every database and, on every invocation and whatever the databases' state, UPSERTs the `dns` weighted records to weight 0 (primary) and 100 (secondary), keeping their alias targets and health checks. With Region switch the `dns` records are failover records tied to the plan's health checks, which an execution sets (`primary_share` is then DRS0340); with `lambda` they are weighted by `primary_share`. A deploy step of the CloudFormation build checks each failover record carries its own region's check."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "monitoring",
        label: LabelRule::None,
        parents: &[],
        singleton: true,
        stdlib: false,
        doc: "Alerts on backup and copy jobs, replication-lag alarms and the cross-region dashboard (R18–R20).",
        attrs: &[
            a("alert_email", Type::String, "Email address subscribed to the alert topic."),
            a("lag_threshold", Type::Duration { min: 1, max: 86_400 }, "Replication lag that raises an alarm."),
            a("dashboard", Type::Bool, "A CloudWatch dashboard in the secondary region with cross-region widgets."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "drill",
        label: LabelRule::None,
        parents: &[],
        singleton: true,
        stdlib: false,
        doc: "A region-loss drill (R37): an AWS FIS experiment template in the primary region that rehearses the loss of the primary as far as FIS can (it disrupts the cross-region routes of the primary VPC's subnets and pauses the replication of the primary's S3 buckets and DynamoDB global tables), stopped by the site's own primary-region alarms, with an experiment report and logs, run by a role limited to the site's resources. FIS cannot pause Aurora global replication or fail a global database over: the generated README's drill procedure pairs the experiment with the failover engine's graceful path for that part.",
        attrs: &[
            a("enabled", Type::Bool, "Whether the site has a drill; `false` keeps the block but emits nothing."),
            a("duration", DURATION, "How long each FIS action lasts: 1m to 12h (`std/limits` `fis_action_duration`)."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "profile",
        label: LabelRule::Name,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "A compliance profile: the policy a site selects with `profile = name` (R21, R24, R25, R28).",
        attrs: &PROFILE_ATTRS,
        free_attrs: None,
    },
    BlockSchema {
        kind: "when",
        label: LabelRule::Name,
        parents: &["profile"],
        singleton: false,
        stdlib: false,
        doc: "What the profile demands of sites in one environment (`production`, `staging`, `development`, `test`): each attribute written here replaces the profile's own for those sites, e.g. `when \"staging\" { vault_lock = governance }`.",
        attrs: &PROFILE_DEMANDS,
        free_attrs: None,
    },
    BlockSchema {
        kind: "defaults",
        label: LabelRule::Text,
        parents: &[],
        singleton: false,
        stdlib: false,
        doc: "Default attributes for every block of the kind named by the label, e.g. `defaults \"table\" { pitr = true }`. Sites importing the file inherit them; a site's own value wins.",
        attrs: &[],
        free_attrs: None,
    },
    BlockSchema {
        kind: "region",
        label: LabelRule::Text,
        parents: &[],
        singleton: false,
        stdlib: true,
        doc: "Catalog entry of an AWS region (in `std/regions`).",
        attrs: &[
            req("display_name", Type::String, "The region's name in the AWS console."),
            req("short_name", Type::String, "Compact code used in physical names, e.g. `use1`."),
            req("zones", int(1, 10), "Number of availability zones."),
            a("services", Type::List(&Type::Enum(SERVICES)), "DR features available in the region."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "engine",
        label: LabelRule::Text,
        parents: &[],
        singleton: false,
        stdlib: true,
        doc: "Catalog entry of a database engine (in `std/engines`): the engine-wide entry (instance classes, port) or one major version (versions, parameter group family).",
        attrs: &[
            a("engine", Type::String, "RDS engine of a per-major entry, e.g. `aurora-postgresql` (default: the label)."),
            a("major", int(1, 100), "Major version a per-major entry describes."),
            a("parameter_group_family", Type::String, "DB cluster and DB parameter group family of the major, e.g. `aurora-postgresql16`."),
            a("as_of", Type::Date, "Date the entry's version lists were compiled."),
            a("global_database_versions", Type::List(&Type::Version), "Versions that support global databases (required with `major`)."),
            a("retired_versions", Type::List(&Type::Version), "Versions RDS no longer accepts for new clusters (existing clusters keep running)."),
            a("instance_classes", STRINGS, "Instance classes allowed for global databases."),
            a("serverless_v2", Type::Bool, "Whether Serverless v2 is available."),
            a("port", int(1, 65_535), "Default port."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "runtime",
        label: LabelRule::Text,
        parents: &[],
        singleton: false,
        stdlib: true,
        doc: "Catalog entry of a Lambda runtime and its deprecation date (in `std/runtimes`).",
        attrs: &[
            req("language", Type::Enum(&["python", "nodejs", "java", "dotnet", "ruby", "provided"]), "Language family."),
            req("version", Type::Version, "Language version."),
            req("deprecation", Type::Date, "Date Lambda deprecates the runtime."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "runtime_policy",
        label: LabelRule::None,
        parents: &[],
        singleton: true,
        stdlib: true,
        doc: "The pinned date runtime checks compare against, so results never depend on the clock.",
        attrs: &[
            req("as_of", Type::Date, "The date deprecations are measured from."),
            req("warn_within", DURATION, "A deprecation closer than this is a warning."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "limit",
        label: LabelRule::Text,
        parents: &[],
        singleton: false,
        stdlib: true,
        doc: "An AWS limit on a value drsc derives (in `std/limits`): the plan rules check every derived value against it.",
        attrs: &[
            a("values", Type::List(&DURATION), "Durations AWS accepts besides the range."),
            a("min", DURATION, "Shortest accepted duration."),
            a("max", DURATION, "Longest accepted duration."),
            a("step", DURATION, "Accepted durations are multiples of this."),
            a("min_size", Type::Size, "Smallest accepted size."),
            a("max_size", Type::Size, "Largest accepted size."),
            a("size_step", Type::Size, "Accepted sizes are multiples of this."),
            a("min_count", int(i64::MIN, i64::MAX), "Smallest accepted count."),
            a("max_count", int(i64::MIN, i64::MAX), "Largest accepted count."),
            req("source", Type::String, "Where AWS states the limit."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "timing",
        label: LabelRule::Text,
        parents: &[],
        singleton: false,
        stdlib: true,
        doc: "A published recovery-time or replication figure used by the RPO/RTO estimate (in `std/timing`).",
        attrs: &[
            req("value", DURATION, "The figure."),
            req("source", Type::String, "Where it was published."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "regulation",
        label: LabelRule::Text,
        parents: &[],
        singleton: false,
        stdlib: true,
        doc: "A regulation clause the evidence report (`drsc evidence`) maps controls to (in `std/regulations`).",
        attrs: &[
            req("title", Type::String, "The clause's title as the regulation states it."),
            req("evidence", STRINGS, "The kinds of evidence that serve the clause: `rpo`, `rto`, `backup_frequency`, `backup_retention`, `vault_lock`, `encryption`, `cross_region`, `manual_deletion`, `backup_coverage`, `isolated_copy`, `restore_testing`, `drill`, `region_loss`."),
            req("source", Type::String, "Where the clause is published."),
        ],
        free_attrs: None,
    },
    BlockSchema {
        kind: "wildcard_action",
        label: LabelRule::Text,
        parents: &[],
        singleton: false,
        stdlib: true,
        doc: "An IAM action AWS only allows on `Resource: \"*\"` (in `std/iam`).",
        attrs: &[req("reason", Type::String, "Why the action cannot be scoped to a resource.")],
        free_attrs: None,
    },
];

/// DR features a region catalog entry can list.
pub const SERVICES: &[&str] = &[
    "aurora_global_database",
    "dynamodb_global_tables",
    "s3_replication_time_control",
    "backup_cross_region_copy",
    "route53_health_checker",
    "arc_region_switch",
];

/// The schema of a block kind.
pub fn block(kind: &str) -> Option<&'static BlockSchema> {
    BLOCKS.iter().find(|b| b.kind == kind)
}

/// Whether `kind` is a block allowed at the top level of a file.
pub fn is_top_level_kind(kind: &str) -> bool {
    block(kind).is_some_and(BlockSchema::is_top_level)
}

/// Block kinds allowed directly inside `parent` (`None` for the top level).
pub fn children_of<'a>(parent: Option<&'a str>) -> impl Iterator<Item = &'static BlockSchema> + 'a {
    BLOCKS.iter().filter(move |b| match parent {
        None => b.parents.is_empty(),
        Some(p) => b.parents.contains(&p),
    })
}
