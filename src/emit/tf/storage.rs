//! DynamoDB global tables (R7) and S3 buckets (R9).
//!
//! A global table is one `aws_dynamodb_table` in its home region with a
//! `replica` block per other region (each with its own region's key and
//! point-in-time recovery). Replica tags are not propagated from the table
//! (its `DR-Role` would be wrong); each replica's own tags are set with
//! `aws_dynamodb_tag` in the replica's region.
//!
//! A bucket is split the provider-4+ way: `aws_s3_bucket` plus
//! `_ownership_controls`, `_versioning`, `_server_side_encryption_configuration`,
//! `_public_access_block`, `_policy` (TLS only) and, on both buckets of a pair
//! (they replicate to each other), `_replication_configuration`, which
//! depends on versioning of both buckets.

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{Attr, Bucket, GlobalTable, Node, NodeKind};
use serde_json::{Map, Value as Json};

pub fn table(cx: &mut Cx, node: &Node, t: &GlobalTable) -> Result<(), Error> {
    let n = ident(&node.id);
    let home = t
        .replicas
        .iter()
        .find(|r| r.side == node.role)
        .ok_or_else(|| Error::Reference {
            node: node.id.clone(),
            attr: format!("replica in {}", node.region),
        })?;

    let mut attributes = vec![Body::new()
        .s("name", escape(&t.partition_key.0))
        .s("type", escape(&t.partition_key.1))];
    let mut body = Body::new()
        .s("name", escape(&node.name))
        .s(
            "billing_mode",
            if t.on_demand {
                "PAY_PER_REQUEST"
            } else {
                "PROVISIONED"
            },
        )
        .s("hash_key", escape(&t.partition_key.0));
    if let Some((name, ty)) = &t.sort_key {
        body = body.s("range_key", escape(name));
        attributes.push(Body::new().s("name", escape(name)).s("type", escape(ty)));
    }
    let mut pitr = Body::new().b("enabled", home.pitr);
    if home.pitr {
        pitr = pitr.n("recovery_period_in_days", *home.pitr_days);
    }
    body = body
        .blocks("attribute", attributes)
        .b("stream_enabled", true)
        .s("stream_view_type", escape(&t.stream_view_type))
        .block(
            "server_side_encryption",
            Body::new()
                .b("enabled", true)
                .s("kms_key_arn", cx.x.tpl(&home.key)?),
        )
        .block("point_in_time_recovery", pitr)
        .b("deletion_protection_enabled", home.deletion_protection);
    if let Some(attr) = &t.ttl_attribute {
        body = body.block(
            "ttl",
            Body::new()
                .s("attribute_name", escape(attr))
                .b("enabled", true),
        );
    }
    let mut replicas = Vec::new();
    for r in t.replicas.iter().filter(|r| r.side != node.role) {
        replicas.push(
            Body::new()
                .s("region_name", escape(&r.region))
                .s("kms_key_arn", cx.x.tpl(&r.key)?)
                .b("point_in_time_recovery", r.pitr)
                .b("deletion_protection_enabled", r.deletion_protection)
                .b("propagate_tags", false),
        );
    }
    body = body
        .blocks("replica", replicas)
        .tags(&home.tags)
        .lifecycle(node.protection.retain, &[]);
    cx.m.resource(Area::Storage, node.role, "aws_dynamodb_table", &n, body)?;

    for r in t.replicas.iter().filter(|r| r.side != node.role) {
        if r.tags.is_empty() {
            continue;
        }
        let each: Map<String, Json> = r
            .tags
            .iter()
            .map(|(k, v)| (escape(k), Json::String(escape(v))))
            .collect();
        let arn = format!(
            "${{[for r in aws_dynamodb_table.{n}.replica : r.arn if r.region_name == \"{}\"][0]}}",
            r.region
        );
        let tag = Body::new()
            .v("for_each", Json::Object(each))
            .s("resource_arn", arn)
            .s("key", "${each.key}")
            .s("value", "${each.value}");
        cx.m.resource(
            Area::Storage,
            r.side,
            "aws_dynamodb_tag",
            &format!("{n}_replica_{}", r.side.as_str()),
            tag,
        )?;
    }
    Ok(())
}

pub fn bucket(cx: &mut Cx, node: &Node, b: &Bucket) -> Result<(), Error> {
    let n = ident(&node.id);
    let role = node.role;
    let id = format!("${{aws_s3_bucket.{n}.id}}");

    let mut body = Body::new()
        .s("bucket", escape(&node.name))
        .b("force_destroy", !node.protection.retain);
    if b.object_lock.is_some() {
        // Object Lock is enabled when the bucket is created.
        body = body.b("object_lock_enabled", true);
    }
    let body = body.tags(&node.tags).lifecycle(node.protection.retain, &[]);
    cx.m.resource(Area::Storage, role, "aws_s3_bucket", &n, body)?;

    if let Some(lock) = &b.object_lock {
        // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_object_lock_configuration
        let retention = Body::new().s("mode", escape(&lock.mode));
        let retention = match &lock.retention {
            crate::graph::LockRetention::Days(d) => retention.n("days", **d),
            crate::graph::LockRetention::Years(y) => retention.n("years", **y),
        };
        let mut config = Body::new()
            .s("bucket", id.clone())
            .block("rule", Body::new().block("default_retention", retention));
        if b.versioning {
            config = config.depends_on(vec![format!("aws_s3_bucket_versioning.{n}")]);
        }
        cx.m.resource(
            Area::Storage,
            role,
            "aws_s3_bucket_object_lock_configuration",
            &n,
            config,
        )?;
    }

    let ownership = Body::new().s("bucket", id.clone()).block(
        "rule",
        Body::new().s("object_ownership", "BucketOwnerEnforced"),
    );
    cx.m.resource(
        Area::Storage,
        role,
        "aws_s3_bucket_ownership_controls",
        &n,
        ownership,
    )?;

    if b.versioning {
        let versioning = Body::new().s("bucket", id.clone()).block(
            "versioning_configuration",
            Body::new().s("status", "Enabled"),
        );
        cx.m.resource(
            Area::Storage,
            role,
            "aws_s3_bucket_versioning",
            &n,
            versioning,
        )?;
    }

    let by_default = match &b.key {
        Some(k) => Body::new()
            .s("sse_algorithm", "aws:kms")
            .s("kms_master_key_id", cx.x.tpl(k)?),
        // SSE-S3: the only default encryption server access logging delivers
        // to (see `graph::Bucket::key`).
        None => Body::new().s("sse_algorithm", "AES256"),
    };
    let sse = Body::new().s("bucket", id.clone()).block(
        "rule",
        Body::new()
            .block("apply_server_side_encryption_by_default", by_default)
            .b("bucket_key_enabled", b.key.is_some()),
    );
    cx.m.resource(
        Area::Storage,
        role,
        "aws_s3_bucket_server_side_encryption_configuration",
        &n,
        sse,
    )?;

    if b.block_public_access {
        let pab = Body::new()
            .s("bucket", id.clone())
            .b("block_public_acls", true)
            .b("block_public_policy", true)
            .b("ignore_public_acls", true)
            .b("restrict_public_buckets", true);
        cx.m.resource(
            Area::Storage,
            role,
            "aws_s3_bucket_public_access_block",
            &n,
            pab,
        )?;
    }

    if !b.policy.is_empty() {
        let mut policy = Body::new()
            .s("bucket", id.clone())
            .s("policy", cx.x.policy(&b.policy, None)?);
        let mut after = Vec::new();
        if b.block_public_access {
            after.push(format!("aws_s3_bucket_public_access_block.{n}"));
        }
        // See `crate::emit::report_plans_of`.
        for p in crate::emit::report_plans_of(cx.x.graph, &node.id) {
            after.push(format!("aws_backup_report_plan.{}", ident(&p)));
        }
        if !after.is_empty() {
            policy = policy.depends_on(after);
        }
        cx.m.resource(Area::Storage, role, "aws_s3_bucket_policy", &n, policy)?;
    }

    if let Some(a) = &b.access_logs {
        // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_logging
        let logging = Body::new()
            .s("bucket", id.clone())
            .s("target_bucket", cx.x.r(&a.bucket, Attr::Name)?)
            .s("target_prefix", escape(&a.prefix));
        cx.m.resource(Area::Storage, role, "aws_s3_bucket_logging", &n, logging)?;
    }

    let mut rules = Vec::new();
    if let Some(d) = &b.noncurrent_days {
        rules.push(
            Body::new()
                .s("id", "expire-noncurrent-versions")
                .s("status", "Enabled")
                .block("filter", Body::new())
                .block(
                    "noncurrent_version_expiration",
                    Body::new().n("noncurrent_days", **d),
                ),
        );
    }
    if let Some(d) = &b.expiration_days {
        rules.push(
            Body::new()
                .s("id", "expire-objects")
                .s("status", "Enabled")
                .block("filter", Body::new())
                .block("expiration", Body::new().n("days", **d)),
        );
    }
    if !rules.is_empty() {
        // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_lifecycle_configuration
        let mut lifecycle = Body::new().s("bucket", id.clone()).blocks("rule", rules);
        if b.versioning {
            lifecycle = lifecycle.depends_on(vec![format!("aws_s3_bucket_versioning.{n}")]);
        }
        cx.m.resource(
            Area::Storage,
            role,
            "aws_s3_bucket_lifecycle_configuration",
            &n,
            lifecycle,
        )?;
    }

    if let Some(r) = &b.replication {
        let dest = ident(&r.destination);
        let mut destination = Body::new()
            .s("bucket", cx.x.r(&r.destination, Attr::Arn)?)
            .block(
                "encryption_configuration",
                Body::new().s("replica_kms_key_id", cx.x.tpl(&r.replica_key)?),
            );
        if let Some(minutes) = &r.rtc {
            destination = destination
                .block(
                    "replication_time",
                    Body::new()
                        .s("status", "Enabled")
                        .block("time", Body::new().n("minutes", **minutes)),
                )
                .block(
                    "metrics",
                    Body::new()
                        .s("status", "Enabled")
                        .block("event_threshold", Body::new().n("minutes", **minutes)),
                );
        }
        let rule = Body::new()
            .s("id", escape(&r.rule_id))
            .n("priority", 1)
            .s("status", "Enabled")
            .block("filter", Body::new())
            .block(
                "delete_marker_replication",
                Body::new().s("status", status(r.delete_markers)),
            )
            .block("source_selection_criteria", {
                let mut c = Body::new().block(
                    "sse_kms_encrypted_objects",
                    Body::new().s("status", "Enabled"),
                );
                if r.replica_modifications {
                    c = c.block("replica_modifications", Body::new().s("status", "Enabled"));
                }
                c
            })
            .block("destination", destination);
        // Replication needs versioning on both buckets first.
        let mut versioned = Vec::new();
        if b.versioning {
            versioned.push(format!("aws_s3_bucket_versioning.{n}"));
        }
        if let NodeKind::Bucket(d) = &cx.x.node(&r.destination)?.kind {
            if d.versioning {
                versioned.push(format!("aws_s3_bucket_versioning.{dest}"));
            }
        }
        let replication = Body::new()
            .s("bucket", id.clone())
            .s("role", cx.x.r(&r.role, Attr::Arn)?)
            .block("rule", rule)
            .depends_on(versioned);
        cx.m.resource(
            Area::Storage,
            role,
            "aws_s3_bucket_replication_configuration",
            &n,
            replication,
        )?;
    }
    if let Some(notify) = &b.notify {
        // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_notification;
        // S3 checks the destination when the configuration is written, so
        // after the topic's policy.
        let topic = ident(&notify.topic);
        let body = Body::new()
            .s("bucket", id.clone())
            .block(
                "topic",
                Body::new()
                    .s("topic_arn", cx.x.r(&notify.topic, Attr::Arn)?)
                    .list("events", notify.events.iter().map(|e| escape(e)).collect()),
            )
            .depends_on(vec![format!("aws_sns_topic_policy.{topic}")]);
        cx.m.resource(Area::Storage, role, "aws_s3_bucket_notification", &n, body)?;
    }
    Ok(())
}

fn status(on: bool) -> &'static str {
    if on {
        "Enabled"
    } else {
        "Disabled"
    }
}
