//! The Aurora global database (R5, R8, R23, R24, R27): an empty
//! `aws_rds_global_cluster` first, then one `aws_rds_cluster` per region
//! joining it (the writer with the site secret's password passed write-only,
//! the secondary with `source_region`, its own region's key and no
//! credentials at all), their instances, subnet groups and parameter groups
//! (`rds.force_ssl`), IAM database authentication on both, and the site's
//! master secret ([`secret`]).
//!
//! Members ignore drift on `global_cluster_identifier` and `engine_version`:
//! a failover or a major upgrade made through the global cluster changes
//! them outside Terraform, and a plan must never detach or "downgrade" a
//! member afterwards.

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{Attr, DbCluster, GlobalDatabase, Node, NodeKind, Secret, Tags};

/// Drift a member cluster must not act on.
/// `replication_source_identifier` too: the provider documents that a member
/// of a global cluster must ignore it rather than configure it, since
/// removing it promotes a replica to a standalone cluster
/// (hashicorp/terraform-provider-aws#40921, the `aws_rds_cluster` docs); the
/// writer changes region on a switchover or failover, so both members ignore
/// both membership arguments (R35).
const MEMBER_IGNORE: &[&str] = &[
    "global_cluster_identifier",
    "replication_source_identifier",
    "engine_version",
];

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
    if let Some(m) = &c.master {
        // The password is the site secret's current value, read ephemerally
        // and passed write-only: it is never stored in plan or state, and is
        // re-sent only when the version changes
        // (https://developer.hashicorp.com/terraform/language/manage-sensitive-data/write-only).
        // RDS-managed passwords are not supported on global-database members.
        let Some(crate::graph::Ref { node: secret, .. }) = m.secret.refs().first().copied() else {
            return Err(Error::Reference {
                node: node.id.clone(),
                attr: "master.secret".into(),
            });
        };
        let (field, version) = match &cx.x.node(secret)?.kind {
            NodeKind::Secret(s) => (s.password_field.clone(), *s.version),
            _ => {
                return Err(Error::Reference {
                    node: secret.clone(),
                    attr: "secret".into(),
                })
            }
        };
        let read = ident(secret);
        body = body
            .s("master_username", escape(&m.username))
            .s(
                "master_password_wo",
                format!(
                    "${{jsondecode(ephemeral.aws_secretsmanager_secret_version.{read}.secret_string)[{}]}}",
                    hcl_string(&field)
                ),
            )
            .n("master_password_wo_version", version);
    }
    if c.iam_auth {
        body = body.b("iam_database_authentication_enabled", true);
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
    let mut after = Vec::new();
    if !c.writer {
        // Join only once the writer can serve replication (provider docs).
        after.extend(writer_instances(cx, c)?);
    }
    if let Some(g) = &c.log_group {
        // The export's log group exists (encrypted, with its retention)
        // before RDS would create it.
        after.push(format!("aws_cloudwatch_log_group.{}", ident(g)));
    }
    if !after.is_empty() {
        body = body.depends_on(after);
    }
    cx.m.resource(Area::Database, node.role, "aws_rds_cluster", &n, body)?;

    let monitoring = match &c.monitoring {
        Some(m) => Some((*m.interval_secs, cx.x.r(&m.role, Attr::Arn)?)),
        None => None,
    };
    for (i, inst) in c.instances.iter().enumerate() {
        let mut body = Body::new()
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
            .b("auto_minor_version_upgrade", c.auto_minor_version_upgrade)
            .b("copy_tags_to_snapshot", true)
            .tags(&named(&node.tags, &inst.identifier))
            .lifecycle(node.protection.retain, &[]);
        if let Some((interval, role)) = &monitoring {
            body = body
                .n("monitoring_interval", *interval)
                .s("monitoring_role_arn", role.clone());
        }
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

/// A site secret (`aws_secretsmanager_secret`, encrypted with the home
/// region's key, `replica` per other region with that region's key), its
/// value (`aws_secretsmanager_secret_version` with the write-only
/// `secret_string_wo`, from an ephemeral `aws_secretsmanager_random_password`)
/// and the ephemeral read of its current value that the writer cluster's
/// `master_password_wo` uses. Nothing of the password reaches plan or state.
///
/// Rotation is not emitted here: Terraform has no hosted rotation function
/// (`aws_secretsmanager_secret_rotation` needs a deployed rotation Lambda);
/// the CloudFormation backend emits it, and the module says so.
pub fn secret(cx: &mut Cx, node: &Node, s: &Secret) -> Result<(), Error> {
    let n = ident(&node.id);
    let mut replicas = Vec::new();
    for r in &s.replicas {
        replicas.push(
            Body::new()
                .s("region", escape(&r.region))
                .s("kms_key_id", cx.x.tpl(&r.key)?),
        );
    }
    let mut body = Body::new()
        .s("name", escape(&node.name))
        .s("description", escape(&node.description))
        .s("kms_key_id", cx.x.tpl(&s.key)?)
        .blocks("replica", replicas)
        .tags(&node.tags)
        .lifecycle(node.protection.retain, &[]);
    if s.rotation.is_some() {
        body = body.s(
            "//",
            "Rotation gap: the CloudFormation backend rotates this secret with a hosted PostgreSQLSingleUser \
             rotation function; Terraform has none, so this module does not rotate it. Rotate it with a \
             deployed rotation function (aws_secretsmanager_secret_rotation) or from the CloudFormation build.",
        );
    }
    cx.m.resource(
        Area::Database,
        node.role,
        "aws_secretsmanager_secret",
        &n,
        body,
    )?;
    cx.m.ephemeral(
        Area::Database,
        node.role,
        "aws_secretsmanager_random_password",
        &n,
        Body::new()
            .n("password_length", *s.password_length)
            .s("exclude_characters", escape(&s.exclude_characters)),
    )?;
    let mut fields: Vec<String> = s
        .fields
        .iter()
        .map(|(k, v)| format!("{} = {}", hcl_string(k), hcl_string(v)))
        .collect();
    fields.push(format!(
        "{} = ephemeral.aws_secretsmanager_random_password.{n}.random_password",
        hcl_string(&s.password_field)
    ));
    fields.sort();
    cx.m.resource(
        Area::Database,
        node.role,
        "aws_secretsmanager_secret_version",
        &n,
        Body::new()
            .s(
                "secret_id",
                format!("${{aws_secretsmanager_secret.{n}.id}}"),
            )
            .s(
                "secret_string_wo",
                format!("${{jsonencode({{{}}})}}", fields.join(", ")),
            )
            .n("secret_string_wo_version", *s.version),
    )?;
    // Reading through the version's `secret_id` orders the read after the write.
    cx.m.ephemeral(
        Area::Database,
        node.role,
        "aws_secretsmanager_secret_version",
        &n,
        Body::new()
            .s(
                "secret_id",
                format!("${{aws_secretsmanager_secret_version.{n}.secret_id}}"),
            )
            .s("version_stage", "AWSCURRENT"),
    )
}

/// `s` as a quoted HCL string inside a template expression.
fn hcl_string(s: &str) -> String {
    escape(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()))
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
