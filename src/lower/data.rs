//! Keys (R8, R21), the Aurora global database (R5, R27), the DynamoDB global
//! table (R7) and the S3 bucket pair with replication (R9).

use super::{network, KeyUser, Lower};
use crate::graph::{
    Attr, Bucket, BucketReplication, DbCluster, DbInstance, DbParameterGroup, DbSubnetGroup,
    Derived, GlobalDatabase, GlobalTable, IamRole, Key, MasterCredentials, NodeId, NodeKind, Peer,
    Protection, Statement, TableReplica, Value,
};
use crate::model::{Billing, Replication, Role};
use std::collections::BTreeMap;

/// The label of the key drsc creates when a site declares none.
pub(crate) const IMPLICIT_KEY: &str = "default";

/// The node id of key `name` in `role`'s region.
pub(crate) fn key_id(name: &str, role: Role) -> NodeId {
    NodeId::new(&["key", name, role.as_str()])
}

/// The node ids of an Aurora declaration.
pub(crate) fn global_db_id(name: &str) -> NodeId {
    NodeId::new(&["aurora", name, "global"])
}

pub(crate) fn cluster_id(name: &str, role: Role) -> NodeId {
    NodeId::new(&["aurora", name, role.as_str()])
}

/// The database user function `function` logs in as with IAM database
/// authentication: `app_<function>` (the one place the name is chosen).
pub(crate) fn iam_db_user(function: &str) -> String {
    format!("app_{}", function.to_ascii_lowercase().replace('-', "_"))
}

pub(crate) fn db_sg_id(name: &str, role: Role) -> NodeId {
    NodeId::new(&["sg", &format!("{name}-db"), role.as_str()])
}

pub(crate) fn table_id(name: &str) -> NodeId {
    NodeId::new(&["table", name, "primary"])
}

pub(crate) fn bucket_id(name: &str, role: Role) -> NodeId {
    NodeId::new(&["bucket", name, role.as_str()])
}

/// The S3 Replication Time Control threshold in minutes, from `std/timing`
/// `s3_rtc_replication` (the one figure the RPO estimate also counts).
fn rtc_minutes(cx: &mut Lower) -> Derived<u32> {
    match cx.model.catalog.timing("s3_rtc_replication") {
        Some(t) => Derived::at((t.value.as_secs() / 60) as u32, t.span),
        None => {
            cx.error(crate::registry::internal(
                "`std/timing` has no `s3_rtc_replication` figure for S3 Replication Time Control",
            ));
            Derived::fixed(0)
        }
    }
}

pub(crate) fn lower(cx: &mut Lower) {
    keys(cx);
    aurora(cx);
    tables(cx);
    buckets(cx);
}

fn keys(cx: &mut Lower) {
    let model = cx.model;
    type KeyFacts = (String, bool, Derived<u32>, Derived<u32>, Option<String>);
    let mut keys: Vec<KeyFacts> = model
        .keys
        .iter()
        .map(|k| {
            (
                k.name.clone(),
                k.rotation.value,
                cx.days(&k.rotation_period, "rotation_period"),
                cx.days(&k.deletion_window, "deletion_window"),
                k.description.clone().or_else(|| k.doc.clone()),
            )
        })
        .collect();
    if keys.is_empty() {
        // The key a site without `key` blocks gets: drsc's own choice, KMS's longest window.
        keys.push((
            IMPLICIT_KEY.into(),
            true,
            Derived::fixed(365),
            Derived::fixed(30),
            None,
        ));
    }
    for (name, rotation, period, window, description) in keys {
        for role in Role::BOTH {
            let node_name = cx.base(&name, "key");
            let alias = format!("alias/{node_name}");
            let description = description.clone().unwrap_or_else(|| {
                format!(
                    "drsc key `{name}` for site {} in {}",
                    cx.site.name,
                    cx.region(role)
                )
            });
            let protection = Protection {
                retain: cx.site.production,
                deletion_protection: false,
            };
            cx.add(
                key_id(&name, role),
                role,
                node_name,
                description,
                protection,
                NodeKind::Key(Key {
                    alias,
                    rotation,
                    rotation_period_days: period.clone(),
                    pending_window_days: window.clone(),
                    policy: Vec::new(),
                    used_by: Vec::new(),
                }),
            );
        }
    }
}

/// The catalog engine of every `aurora` block.
const AURORA_ENGINE: &str = "aurora-postgresql";

fn aurora(cx: &mut Lower) {
    let dbs = cx.model.databases.clone();
    for db in &dbs {
        let version = db.engine_version.value.to_string();
        let major = db.engine_version.value.parts.first().copied().unwrap_or(14);
        // The engine and parameter group family of the major come from `std/engines`;
        // a major the catalog does not list (DRS0210) keeps the AWS naming pattern.
        let facts = cx.model.catalog.engine_major(AURORA_ENGINE, major);
        let engine = facts.map_or_else(|| AURORA_ENGINE.to_string(), |e| e.engine.clone());
        let family = facts
            .and_then(|e| e.parameter_group_family.clone())
            .unwrap_or_else(|| format!("{engine}{major}"));
        let deletion_protection = db
            .deletion_protection
            .as_ref()
            .map_or(cx.site.production, |d| d.value);
        let protection = Protection {
            retain: cx.site.production,
            deletion_protection,
        };
        let global = global_db_id(&db.name);
        let members: Vec<NodeId> = Role::BOTH
            .iter()
            .map(|&r| cluster_id(&db.name, r))
            .collect();
        let gname = cx.base(&db.name, "aurora");
        cx.add(
            global.clone(),
            Role::Primary,
            gname,
            format!("Aurora PostgreSQL global database `{}`", db.name),
            protection,
            NodeKind::GlobalDatabase(GlobalDatabase {
                engine: engine.clone(),
                engine_version: version.clone(),
                storage_encrypted: db.storage_encrypted.value,
                members,
                model_name: db.name.clone(),
            }),
        );
        let port = db.port.value;
        let zones = cx
            .model
            .network
            .as_ref()
            .map_or(2, |n| n.zones.value.max(1));
        for role in Role::BOTH {
            let other = match role {
                Role::Primary => Role::Secondary,
                Role::Secondary => Role::Primary,
            };
            let own_cidr = network::cidr(cx, role).unwrap_or_default();
            let mut ingress = Vec::new();
            if let Some(peer) = network::cidr(cx, other) {
                ingress.push(network::tcp(
                    port,
                    Peer::Cidr(peer),
                    "PostgreSQL from the peer region (probe, replicas' clients)",
                ));
            }
            let sg = network::security_group(
                cx,
                &format!("{}-db", db.name),
                role,
                &format!("Aurora `{}`: PostgreSQL from the site's functions", db.name),
                ingress,
                vec![network::tcp(
                    port,
                    Peer::Cidr(own_cidr),
                    "PostgreSQL inside the VPC",
                )],
            );
            let key = cx.key_for(db.key.as_ref(), role);
            let via = cx.via("rds", role);
            cx.use_key(&key, KeyUser::ViaService(via));
            let writer = role == Role::Primary;
            let master = if writer {
                let secret = super::secrets::master_secret(cx, db, &cluster_id(&db.name, role));
                Some(MasterCredentials {
                    username: db.master_username.value.clone(),
                    secret: Value::r(&secret, Attr::Arn),
                })
            } else {
                None
            };
            let name = cx.regional(&db.name, "aurora", role);
            let (class, serverless) = match &db.serverless {
                Some(s) => (
                    "db.serverless".to_string(),
                    Some((s.value.min_capacity, s.value.max_capacity)),
                ),
                None => (db.instance_class.value.clone(), None),
            };
            let instances = (0..db.instances.value)
                .map(|i| DbInstance {
                    identifier: format!("{name}-{}", i + 1),
                    class: class.clone(),
                    zone_index: (i % zones) as u8,
                    promotion_tier: i.min(15) as u8,
                })
                .collect();
            let mut parameters = BTreeMap::new();
            parameters.insert("rds.force_ssl".to_string(), "1".to_string());
            let cluster = DbCluster {
                global: global.clone(),
                writer,
                engine: engine.clone(),
                engine_version: version.clone(),
                database_name: if writer { db.database.clone() } else { None },
                master,
                iam_auth: true,
                iam_users: Vec::new(),
                source_region: (!writer).then(|| cx.region(Role::Primary)),
                key: cx.key_arn(&key),
                port,
                backup_retention_days: cx.days(&db.backup_retention, "backup_retention"),
                log_exports: vec!["postgresql".into()],
                subnet_group: DbSubnetGroup {
                    name: cx.regional(&db.name, "dbsubnet", role),
                    subnets: network::subnets(cx, role),
                },
                security_groups: sg.iter().map(|s| Value::r(s, Attr::Id)).collect(),
                parameter_group: DbParameterGroup {
                    name: cx.regional(&db.name, "dbparams", role),
                    family: family.clone(),
                    parameters,
                },
                serverless,
                instances,
                log_group: None,
                monitoring: None,
                auto_minor_version_upgrade: true,
            };
            cx.add(
                cluster_id(&db.name, role),
                role,
                name,
                format!(
                    "Aurora `{}` {} cluster in {}",
                    db.name,
                    if writer { "writer" } else { "secondary" },
                    cx.region(role)
                ),
                protection,
                NodeKind::DbCluster(cluster),
            );
        }
    }
}

fn tables(cx: &mut Lower) {
    let tables = cx.model.tables.clone();
    for t in &tables {
        let deletion_protection = t
            .deletion_protection
            .as_ref()
            .map_or(cx.site.production, |d| d.value);
        let name = cx.base(&t.name, "table");
        let mut replicas = Vec::new();
        for role in Role::BOTH {
            let key = cx.key_for(t.key.as_ref(), role);
            cx.use_key(&key, KeyUser::ViaService("dynamodb.*.amazonaws.com".into()));
            replicas.push(TableReplica {
                side: role,
                region: cx.region(role),
                key: cx.key_arn(&key),
                pitr: t.pitr.value,
                pitr_days: cx.days(&t.pitr_period, "pitr_period"),
                deletion_protection,
                tags: cx.tags(&name, role),
            });
        }
        let key_type =
            |k: &(String, crate::model::KeyType)| (k.0.clone(), k.1.letter().to_string());
        cx.add(
            table_id(&t.name),
            Role::Primary,
            name,
            format!("DynamoDB global table `{}`", t.name),
            Protection {
                retain: cx.site.production,
                deletion_protection,
            },
            NodeKind::GlobalTable(GlobalTable {
                partition_key: key_type(&t.partition_key),
                sort_key: t.sort_key.as_ref().map(key_type),
                on_demand: t.billing.value == Billing::OnDemand,
                stream_view_type: "NEW_AND_OLD_IMAGES".into(),
                ttl_attribute: t.ttl_attribute.clone(),
                replicas,
                model_name: t.name.clone(),
            }),
        );
    }
}

fn buckets(cx: &mut Lower) {
    let buckets = cx.model.buckets.clone();
    for b in &buckets {
        let replicate = b.replication.value != Replication::None;
        let src = bucket_id(&b.name, Role::Primary);
        let dst = bucket_id(&b.name, Role::Secondary);
        let src_key = cx.key_for(b.key.as_ref(), Role::Primary);
        let dst_key = cx.key_for(b.key.as_ref(), Role::Secondary);
        let role_id =
            |role: Role| NodeId::new(&["role", &format!("{}-replication", b.name), role.as_str()]);
        // The destination first: the source's replication names it. Both
        // buckets replicate to each other (R33), so objects written in the
        // promoted region during a disaster flow back.
        for role in [Role::Secondary, Role::Primary] {
            let key = if role == Role::Primary {
                &src_key
            } else {
                &dst_key
            };
            let other_key = if role == Role::Primary {
                &dst_key
            } else {
                &src_key
            };
            let via = cx.via("s3", role);
            cx.use_key(key, KeyUser::ViaService(via));
            let replication = replicate.then(|| BucketReplication {
                rule_id: format!(
                    "{}-to-{}",
                    b.name.replace('_', "-"),
                    cx.site.short(role.other())
                ),
                destination: bucket_id(&b.name, role.other()),
                role: role_id(role),
                delete_markers: true,
                replica_modifications: true,
                replica_key: cx.key_arn(other_key),
                rtc: (b.replication.value == Replication::Rtc).then(|| rtc_minutes(cx)),
            });
            let name = cx.regional(&b.name, "bucket", role);
            let noncurrent_days = (b.versioning.value || replicate)
                .then(|| cx.days(&b.noncurrent_versions, "noncurrent_versions"));
            let policy = if b.tls_only.value {
                let arn = Value::join(vec![
                    Value::lit("arn:"),
                    Value::Partition,
                    Value::lit(format!(":s3:::{name}")),
                ]);
                vec![Statement::deny_insecure_transport(vec![
                    arn.clone(),
                    Value::join(vec![arn, Value::lit("/*")]),
                ])]
            } else {
                Vec::new()
            };
            cx.add(
                bucket_id(&b.name, role),
                role,
                name,
                format!("S3 bucket `{}` in {}", b.name, cx.region(role)),
                Protection {
                    retain: cx.site.production,
                    deletion_protection: false,
                },
                NodeKind::Bucket(Bucket {
                    versioning: b.versioning.value || replicate,
                    key: Some(cx.key_arn(key)),
                    block_public_access: b.public_access_blocked.value,
                    policy,
                    replication,
                    access_logs: None,
                    noncurrent_days,
                    expiration_days: None,
                    log_sink: false,
                    model_name: b.name.clone(),
                    object_lock: None,
                    notify: notify(&b.notify, role),
                }),
            );
        }
        if replicate {
            replication_role(
                cx,
                &b.name,
                Role::Primary,
                &role_id(Role::Primary),
                (&src, &src_key),
                (&dst, &dst_key),
            );
            replication_role(
                cx,
                &b.name,
                Role::Secondary,
                &role_id(Role::Secondary),
                (&dst, &dst_key),
                (&src, &src_key),
            );
        }
    }
}

/// The S3 replication role of one direction (aws-dr-reference §3.3), homed
/// in the source bucket's region (`from`), with bucket-key encryption
/// contexts (the bucket ARN): it reads only the source, writes only the
/// destination, decrypts only with the source key and encrypts only with
/// the destination key.
fn replication_role(
    cx: &mut Lower,
    label: &str,
    from: Role,
    id: &NodeId,
    (src, src_key): (&NodeId, &NodeId),
    (dst, dst_key): (&NodeId, &NodeId),
) {
    let src_arn = cx.arn(src);
    let dst_arn = cx.arn(dst);
    let objects = |arn: &Value| Value::join(vec![arn.clone(), Value::lit("/*")]);
    let statements = vec![
        Statement::allow(
            "SourceBucket",
            &["s3:GetReplicationConfiguration", "s3:ListBucket"],
            vec![src_arn.clone()],
        ),
        Statement::allow(
            "SourceObjects",
            &[
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAcl",
                "s3:GetObjectVersionTagging",
            ],
            vec![objects(&src_arn)],
        ),
        Statement::allow(
            "DestinationObjects",
            &[
                "s3:ReplicateObject",
                "s3:ReplicateDelete",
                "s3:ReplicateTags",
            ],
            vec![objects(&dst_arn)],
        ),
        Statement::allow("DecryptSource", &["kms:Decrypt"], vec![cx.key_arn(src_key)])
            .when(
                "StringEquals",
                "kms:ViaService",
                vec![Value::lit(cx.via("s3", from))],
            )
            .when(
                "StringLike",
                "kms:EncryptionContext:aws:s3:arn",
                vec![src_arn.clone(), objects(&src_arn)],
            ),
        Statement::allow(
            "EncryptReplica",
            &["kms:Encrypt", "kms:GenerateDataKey"],
            vec![cx.key_arn(dst_key)],
        )
        .when(
            "StringEquals",
            "kms:ViaService",
            vec![Value::lit(cx.via("s3", from.other()))],
        )
        .when(
            "StringLike",
            "kms:EncryptionContext:aws:s3:arn",
            vec![dst_arn.clone(), objects(&dst_arn)],
        ),
    ];
    // The primary direction keeps the name it always had.
    let name = match from {
        Role::Primary => cx.base(&format!("{label}-replication"), "role"),
        Role::Secondary => cx.regional(&format!("{label}-replication"), "role", from),
    };
    cx.add(
        id.clone(),
        from,
        name,
        format!(
            "S3 replication of `{label}` from {} to {}",
            cx.region(from),
            cx.region(from.other())
        ),
        Protection::default(),
        NodeKind::Role(IamRole {
            trust_services: vec!["s3.amazonaws.com".into()],
            statements,
            managed_policies: Vec::new(),
        }),
    );
    let via = cx.via("s3", from);
    cx.use_key(
        src_key,
        KeyUser::Role {
            role: id.clone(),
            via,
            actions: vec!["kms:Decrypt"],
        },
    );
    let via = cx.via("s3", from.other());
    cx.use_key(
        dst_key,
        KeyUser::Role {
            role: id.clone(),
            via,
            actions: vec!["kms:Encrypt", "kms:GenerateDataKey"],
        },
    );
}

/// S3 event notifications of a site bucket to its region's alert topic: the
/// event types the site's `notify` words stand for
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html>).
fn notify(words: &[String], role: Role) -> Option<crate::graph::BucketNotify> {
    let events: Vec<String> = words
        .iter()
        .filter_map(|w| match w.as_str() {
            "created" => Some("s3:ObjectCreated:*".to_string()),
            "removed" => Some("s3:ObjectRemoved:*".to_string()),
            _ => None,
        })
        .collect();
    (!events.is_empty()).then(|| crate::graph::BucketNotify {
        topic: super::ops::alerts_id(role),
        events,
    })
}
