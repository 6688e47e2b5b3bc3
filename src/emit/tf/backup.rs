//! AWS Backup (R12–R14, R28): vaults with their Vault Lock, plans whose rules
//! copy to the other region's vault, selections, and the Backup region
//! settings that CloudFormation cannot set (opt-in per resource type and
//! the advanced DynamoDB backup features needed for cross-region copies).

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::Role;
use crate::graph::{
    AirGappedVault, Attr, BackupFramework, BackupPlan, Lifecycle, Node, ReportPlan, Vault,
};
use serde_json::{Map, Value as Json};

pub fn vault(cx: &mut Cx, node: &Node, v: &Vault) -> Result<(), Error> {
    let n = ident(&node.id);
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("kms_key_arn", cx.x.tpl(&v.key)?)
        .b("force_destroy", !node.protection.retain)
        .tags(&node.tags)
        .lifecycle(node.protection.retain, &[]);
    cx.m.resource(Area::Backup, node.role, "aws_backup_vault", &n, body)?;
    if !v.access_policy.is_empty() {
        // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_vault_policy
        let body = Body::new()
            .s(
                "backup_vault_name",
                format!("${{aws_backup_vault.{n}.name}}"),
            )
            .s("policy", cx.x.policy(&v.access_policy, None)?);
        cx.m.resource(Area::Backup, node.role, "aws_backup_vault_policy", &n, body)?;
    }
    if let Some(lock) = &v.lock {
        let mut body = Body::new()
            .s(
                "backup_vault_name",
                format!("${{aws_backup_vault.{n}.name}}"),
            )
            .n("min_retention_days", *lock.min_retention_days)
            .n("max_retention_days", *lock.max_retention_days);
        if let Some(days) = &lock.changeable_for_days {
            body = body.n("changeable_for_days", days.value);
        }
        cx.m.resource(
            Area::Backup,
            node.role,
            "aws_backup_vault_lock_configuration",
            &n,
            body,
        )?;
    }
    Ok(())
}

/// Tags as a map argument (not the `tags` meta of the resource itself).
fn tag_map(tags: &crate::graph::Tags) -> Json {
    Json::Object(
        tags.iter()
            .map(|(k, v)| (escape(k), Json::String(escape(v))))
            .collect(),
    )
}

fn lifecycle(l: &Lifecycle) -> Body {
    let body = Body::new().n("delete_after", *l.delete_after_days);
    match &l.cold_after_days {
        Some(days) => body.n("cold_storage_after", days.value),
        None => body,
    }
}

pub fn plan(cx: &mut Cx, node: &Node, p: &BackupPlan) -> Result<(), Error> {
    let n = ident(&node.id);
    let target = cx.x.r(&p.vault, Attr::Name)?;
    let mut rules = Vec::with_capacity(p.rules.len());
    for r in &p.rules {
        let mut rule = Body::new()
            .s("rule_name", escape(&r.name))
            .s("target_vault_name", target.clone())
            .s("schedule", escape(&r.schedule))
            .s("schedule_expression_timezone", "Etc/UTC")
            .v("recovery_point_tags", tag_map(&node.tags))
            .n("start_window", *r.start_window_minutes)
            .n("completion_window", *r.completion_window_minutes)
            .b("enable_continuous_backup", r.continuous)
            .block("lifecycle", lifecycle(&r.lifecycle));
        let mut copies = Vec::new();
        if let Some(c) = &r.copy {
            copies.push(
                Body::new()
                    .s("destination_vault_arn", cx.x.r(&c.vault, Attr::Arn)?)
                    .block("lifecycle", lifecycle(&c.lifecycle)),
            );
        }
        if let Some(c) = &r.isolated_copy {
            copies.push(
                Body::new()
                    .s("destination_vault_arn", cx.x.tpl(&c.destination)?)
                    .block(
                        "lifecycle",
                        Body::new().n("delete_after", *c.lifecycle.delete_after_days),
                    ),
            );
        }
        if !copies.is_empty() {
            rule = rule.blocks("copy_action", copies);
        }
        rules.push(rule);
    }
    let body = Body::new()
        .s("name", escape(&node.name))
        .blocks("rule", rules)
        .tags(&node.tags);
    cx.m.resource(Area::Backup, node.role, "aws_backup_plan", &n, body)?;

    let selection = Body::new()
        .s("name", escape(&p.selection.name))
        .s("plan_id", format!("${{aws_backup_plan.{n}.id}}"))
        .s("iam_role_arn", cx.x.r(&p.selection.role, Attr::Arn)?)
        .list("resources", cx.x.tpls(&p.selection.resources)?);
    cx.m.resource(
        Area::Backup,
        node.role,
        "aws_backup_selection",
        &n,
        selection,
    )
}

pub fn region_settings(
    cx: &mut Cx,
    region: &str,
    opt_in: &[String],
    full_management: &[String],
) -> Result<(), Error> {
    let site = &cx.x.graph.site;
    let role = if region == site.secondary_region {
        Role::Secondary
    } else {
        Role::Primary
    };
    let map = |types: &[String]| -> Json {
        Json::Object(
            types
                .iter()
                .map(|t| (escape(t), Json::Bool(true)))
                .collect::<Map<String, Json>>(),
        )
    };
    let mut body = Body::new().v("resource_type_opt_in_preference", map(opt_in));
    if !full_management.is_empty() {
        body = body.v("resource_type_management_preference", map(full_management));
    }
    cx.m.resource(
        Area::Backup,
        role,
        "aws_backup_region_settings",
        role.as_str(),
        body,
    )
}

/// An AWS Backup Audit Manager framework (`aws_backup_framework`).
pub fn framework(cx: &mut Cx, node: &Node, f: &BackupFramework) -> Result<(), Error> {
    let n = ident(&node.id);
    let controls = f
        .controls
        .iter()
        .map(|c| {
            let mut control = Body::new().s("name", c.name).blocks(
                "input_parameter",
                c.parameters
                    .iter()
                    .map(|(k, v)| Body::new().s("name", *k).s("value", escape(v)))
                    .collect(),
            );
            if !c.resource_types.is_empty() {
                control = control.block(
                    "scope",
                    Body::new().list("compliance_resource_types", c.resource_types.clone()),
                );
            }
            control
        })
        .collect();
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("description", escape(&node.description))
        .blocks("control", controls)
        .tags(&node.tags);
    cx.m.resource(Area::Backup, node.role, "aws_backup_framework", &n, body)?;
    Ok(())
}

/// Restore testing (R36): `aws_backup_restore_testing_plan` and one
/// `aws_backup_restore_testing_selection` per store type. Argument names as
/// the offline schema of hashicorp/aws 6.47.0 gives them
/// (`/work/shared/terraform/aws-provider-schema-6.47.0.json`).
pub fn restore_testing(
    cx: &mut Cx,
    node: &Node,
    p: &crate::graph::RestoreTestingPlan,
) -> Result<(), Error> {
    let n = ident(&node.id);
    let vault = cx.x.tpl(&crate::graph::Value::r(&p.vault, Attr::Arn))?;
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("schedule_expression", escape(&p.schedule))
        .s("schedule_expression_timezone", "Etc/UTC")
        .n("start_window_hours", *p.start_window_hours)
        .block(
            "recovery_point_selection",
            Body::new()
                .s("algorithm", "LATEST_WITHIN_WINDOW")
                .list("include_vaults", vec![vault])
                .list("recovery_point_types", p.recovery_point_types.clone())
                .n("selection_window_days", *p.selection_window_days),
        )
        .tags(&node.tags);
    cx.m.resource(
        Area::Backup,
        node.role,
        "aws_backup_restore_testing_plan",
        &n,
        body,
    )?;
    for s in &p.selections {
        let role = cx.x.tpl(&crate::graph::Value::r(&s.role, Attr::Arn))?;
        let resources = cx.x.tpls(&s.resources)?;
        let mut body = Body::new()
            .s("name", escape(&s.name))
            .s(
                "restore_testing_plan_name",
                format!("${{aws_backup_restore_testing_plan.{n}.name}}"),
            )
            .s("protected_resource_type", escape(&s.resource_type))
            .list("protected_resource_arns", resources)
            .s("iam_role_arn", role)
            .n("validation_window_hours", *s.validation_window_hours);
        if !s.overrides.is_empty() {
            let mut m = Map::new();
            for (k, v) in &s.overrides {
                m.insert(escape(k), Json::String(cx.x.tpl(v)?));
            }
            body = body.v("restore_metadata_overrides", Json::Object(m));
        }
        cx.m.resource(
            Area::Backup,
            node.role,
            "aws_backup_restore_testing_selection",
            &format!("{n}_{}", s.name),
            body,
        )?;
    }
    Ok(())
}

/// An AWS Backup Audit Manager report plan (`aws_backup_report_plan`).
pub fn report_plan(cx: &mut Cx, node: &Node, r: &ReportPlan) -> Result<(), Error> {
    let n = ident(&node.id);
    let mut setting = Body::new().s("report_template", r.template);
    if !r.frameworks.is_empty() {
        setting = setting.list("framework_arns", cx.x.tpls(&r.frameworks)?);
    }
    let channel = Body::new()
        .s("s3_bucket_name", cx.x.tpl(&r.bucket)?)
        .s("s3_key_prefix", escape(&r.key_prefix))
        .list("formats", r.formats.iter().map(|f| f.to_string()).collect());
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("description", escape(&node.description))
        .block("report_setting", setting)
        .block("report_delivery_channel", channel)
        .tags(&node.tags);
    cx.m.resource(Area::Backup, node.role, "aws_backup_report_plan", &n, body)
}

/// A logically air-gapped vault (`aws_backup_logically_air_gapped_vault`),
/// with an AWS owned key (no `encryption_key_arn`, see `lower::isolated`).
pub fn air_gapped_vault(cx: &mut Cx, node: &Node, v: &AirGappedVault) -> Result<(), Error> {
    let n = ident(&node.id);
    let body = Body::new()
        .s("name", escape(&node.name))
        .n("min_retention_days", *v.min_retention_days)
        .n("max_retention_days", *v.max_retention_days)
        .tags(&node.tags)
        .lifecycle(node.protection.retain, &[]);
    cx.m.resource(
        Area::Backup,
        node.role,
        "aws_backup_logically_air_gapped_vault",
        &n,
        body,
    )
}
