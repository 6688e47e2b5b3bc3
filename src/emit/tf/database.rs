//! The Aurora global database (R5, R8, R23, R24, R27): an empty
//! `aws_rds_global_cluster` first, then one `aws_rds_cluster` per region
//! joining it (the writer with credentials managed by RDS, the secondary
//! with `source_region` and its own region's key), their instances, subnet
//! groups and parameter groups (`rds.force_ssl`).
//!
//! Members ignore drift on `global_cluster_identifier` and `engine_version`:
//! a failover or a major upgrade made through the global cluster changes
//! them outside Terraform, and a plan must never detach or "downgrade" a
//! member afterwards.

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{Attr, DbCluster, GlobalDatabase, Node, NodeKind, Tags};

/// Drift a member cluster must not act on.
const MEMBER_IGNORE: &[&str] = &["global_cluster_identifier", "engine_version"];

pub fn global(cx: &mut Cx, node: &Node, g: &GlobalDatabase) -> Result<(), Error> {
    let body = Body::new()
        .s("global_cluster_identifier", escape(&node.name))
        .s("engine", escape(&g.engine))
        .s("engine_version", escape(&g.engine_version))
        .b("storage_encrypted", g.storage_encrypted)
        .b("deletion_protection", node.protection.deletion_protection)
        .tags(&node.tags)
        .lifecycle(node.protection.retain, &[]);
    cx.m.resource(
        Area::Database,
        node.role,
        "aws_rds_global_cluster",
        &ident(&node.id),
        body,
    )
}

pub fn cluster(cx: &mut Cx, node: &Node, c: &DbCluster) -> Result<(), Error> {
    let n = ident(&node.id);

    let subnet_group = Body::new()
        .s("name", escape(&c.subnet_group.name))
        .s("description", escape(&format!("Subnets of {}", node.name)))
        .list("subnet_ids", cx.x.tpls(&c.subnet_group.subnets)?)
        .tags(&named(&node.tags, &c.subnet_group.name));
    cx.m.resource(
        Area::Database,
        node.role,
        "aws_db_subnet_group",
        &n,
        subnet_group,
    )?;

    let params: Vec<Body> = c
        .parameter_group
        .parameters
        .iter()
        .map(|(k, v)| {
            Body::new()
                .s("name", escape(k))
                .s("value", escape(v))
                .s("apply_method", "pending-reboot")
        })
        .collect();
    let parameter_group = Body::new()
        .s("name", escape(&c.parameter_group.name))
        .s("family", escape(&c.parameter_group.family))
        .s(
            "description",
            escape(&format!("Cluster parameters of {}", node.name)),
        )
        .blocks("parameter", params)
        .tags(&named(&node.tags, &c.parameter_group.name));
    cx.m.resource(
        Area::Database,
        node.role,
        "aws_rds_cluster_parameter_group",
        &n,
        parameter_group,
    )?;

    let mut body = Body::new()
        .s("cluster_identifier", escape(&node.name))
        .s("engine", escape(&c.engine))
        .s("engine_version", escape(&c.engine_version))
        .s("global_cluster_identifier", cx.x.r(&c.global, Attr::Id)?)
        .b("storage_encrypted", true)
        .s("kms_key_id", cx.x.tpl(&c.key)?)
        .s(
            "db_subnet_group_name",
            format!("${{aws_db_subnet_group.{n}.name}}"),
        )
        .s(
            "db_cluster_parameter_group_name",
            format!("${{aws_rds_cluster_parameter_group.{n}.name}}"),
        )
        .list("vpc_security_group_ids", cx.x.tpls(&c.security_groups)?)
        .n("port", c.port)
        .n("backup_retention_period", *c.backup_retention_days)
        .list("enabled_cloudwatch_logs_exports", c.log_exports.clone())
        .b("copy_tags_to_snapshot", true)
        .b("deletion_protection", node.protection.deletion_protection)
        .tags(&node.tags)
        .lifecycle(node.protection.retain, MEMBER_IGNORE);
    if let Some(db) = &c.database_name {
        body = body.s("database_name", escape(db));
    }
    if let Some(user) = &c.master_username {
        // The RDS-managed password secret is encrypted with the site's key.
        body = body
            .s("master_username", escape(user))
            .b("manage_master_user_password", true)
            .s("master_user_secret_kms_key_id", cx.x.tpl(&c.key)?);
    }
    if let Some(region) = &c.source_region {
        body = body.s("source_region", escape(region));
    }
    if let Some((min, max)) = c.serverless {
        body = body.block(
            "serverlessv2_scaling_configuration",
            Body::new().n("min_capacity", min).n("max_capacity", max),
        );
    }
    // A retained writer leaves a final snapshot when it is finally deleted;
    // a secondary holds only data replicated from the writer.
    body = if c.writer && node.protection.retain {
        body.s(
            "final_snapshot_identifier",
            escape(&format!("{}-final", node.name)),
        )
    } else {
        body.b("skip_final_snapshot", true)
    };
    if !c.writer {
        // Join only once the writer can serve replication (provider docs).
        body = body.depends_on(writer_instances(cx, c)?);
    }
    cx.m.resource(Area::Database, node.role, "aws_rds_cluster", &n, body)?;

    for (i, inst) in c.instances.iter().enumerate() {
        let body = Body::new()
            .s("identifier", escape(&inst.identifier))
            .s("cluster_identifier", format!("${{aws_rds_cluster.{n}.id}}"))
            .s("engine", escape(&c.engine))
            .s("instance_class", escape(&inst.class))
            .s("availability_zone", cx.x.zone(node.role, inst.zone_index))
            .s(
                "db_subnet_group_name",
                format!("${{aws_db_subnet_group.{n}.name}}"),
            )
            .n("promotion_tier", inst.promotion_tier)
            .b("publicly_accessible", false)
            .b("copy_tags_to_snapshot", true)
            .tags(&named(&node.tags, &inst.identifier))
            .lifecycle(node.protection.retain, &[]);
        cx.m.resource(
            Area::Database,
            node.role,
            "aws_rds_cluster_instance",
            &format!("{n}_{i}"),
            body,
        )?;
    }
    Ok(())
}

/// `tags` with `Name` set to a part's own name.
fn named(tags: &Tags, name: &str) -> Tags {
    let mut t = tags.clone();
    t.insert("Name".into(), name.to_string());
    t
}

/// The instance addresses of the writer member of `c`'s global database.
fn writer_instances(cx: &Cx, c: &DbCluster) -> Result<Vec<String>, Error> {
    let global = cx.x.node(&c.global)?;
    let NodeKind::GlobalDatabase(g) = &global.kind else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for m in &g.members {
        let member = cx.x.node(m)?;
        if let NodeKind::DbCluster(mc) = &member.kind {
            if mc.writer {
                let n = ident(&member.id);
                out.extend(
                    (0..mc.instances.len()).map(|i| format!("aws_rds_cluster_instance.{n}_{i}")),
                );
            }
        }
    }
    Ok(out)
}
