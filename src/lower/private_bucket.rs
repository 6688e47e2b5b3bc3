//! The buckets drsc keeps its own records in (Region switch execution
//! reports, drill reports, AWS Backup evidence): versioned, encrypted with
//! the region's operations key, public access blocked, TLS-only, kept on
//! delete in production. Access logging and the other bucket-wide defaults
//! are added with every other bucket's, by [`super::hardening`].

use super::{KeyUser, Lower};
use crate::graph::{Bucket, Derived, NodeId, NodeKind, ObjectLock, Protection, Statement, Value};
use crate::model::Role;

/// What one such bucket varies in.
pub(crate) struct PrivateBucket {
    pub id: NodeId,
    pub role: Role,
    /// The name's stem, e.g. `drill-reports` (`Lower::regional`).
    pub stem: &'static str,
    pub description: String,
    /// `Bucket::model_name`.
    pub model_name: &'static str,
    /// How long old versions are kept.
    pub noncurrent_days: Derived<u32>,
    pub object_lock: Option<ObjectLock>,
    /// Statements before the TLS-only one, given the bucket's ARN.
    pub policy: fn(&Value) -> Vec<Statement>,
}

/// The bucket's ARN, known before it exists.
pub(crate) fn arn(name: &str) -> Value {
    Value::join(vec![
        Value::lit("arn:"),
        Value::Partition,
        Value::lit(format!(":s3:::{name}")),
    ])
}

/// Adds the bucket; its ARN.
pub(crate) fn add(cx: &mut Lower, b: PrivateBucket) -> Value {
    let key = cx.ops_key(b.role);
    let name = cx.regional(b.stem, "bucket", b.role);
    let bucket_arn = arn(&name);
    let mut policy = (b.policy)(&bucket_arn);
    policy.push(Statement::deny_insecure_transport(vec![
        bucket_arn.clone(),
        Value::join(vec![bucket_arn.clone(), Value::lit("/*")]),
    ]));
    cx.add(
        b.id,
        b.role,
        name,
        b.description,
        Protection {
            retain: cx.site.production,
            deletion_protection: false,
        },
        NodeKind::Bucket(Bucket {
            versioning: true,
            key: Some(cx.key_arn(&key)),
            block_public_access: true,
            policy,
            replication: None,
            access_logs: None,
            noncurrent_days: Some(b.noncurrent_days),
            expiration_days: None,
            log_sink: false,
            model_name: b.model_name.into(),
            object_lock: b.object_lock,
            notify: None,
        }),
    );
    let via = cx.via("s3", b.role);
    cx.use_key(&key, KeyUser::ViaService(via));
    bucket_arn
}
