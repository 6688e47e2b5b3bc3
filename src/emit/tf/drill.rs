//! `aws_fis_experiment_template`: the region-loss drill (R37) in the primary
//! region's provider. Block names from the hashicorp/aws 6.47.0 schema the
//! offline checker holds (`action` with `parameter` and `target`, `target`
//! with `resource_arns` or `resource_tag`, `stop_condition`,
//! `log_configuration`, `experiment_report_configuration.outputs.s3_configuration`,
//! `experiment_options`). `experiment_report_configuration` came with
//! hashicorp/terraform-provider-aws PR #41120 (merged 2025, before 6.0;
//! <https://github.com/hashicorp/terraform-provider-aws/pull/41120>), so the
//! module's `~> 6.29` has it; the exact release number is not confirmed here.
//! The log group ARN gets `:*`, as `aws_cloudwatch_log_group.arn` has no
//! suffix and FIS takes the log-group ARN CloudFormation's `Arn` returns (the
//! provider's own examples write `"${aws_cloudwatch_log_group.x.arn}:*"`).

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{Attr, DrillTemplate, Node, TargetSelection};

pub fn template(cx: &mut Cx, node: &Node, d: &DrillTemplate) -> Result<(), Error> {
    let mut targets = Vec::new();
    for t in &d.targets {
        let mut target = Body::new()
            .s("name", escape(&t.name))
            .s("resource_type", escape(&t.resource_type))
            .s("selection_mode", "ALL");
        target = match &t.selection {
            TargetSelection::Arns(arns) => target.list("resource_arns", cx.x.tpls(arns)?),
            TargetSelection::Tags(tags) => target.blocks(
                "resource_tag",
                tags.iter()
                    .map(|(k, v)| Body::new().s("key", escape(k)).s("value", escape(v)))
                    .collect(),
            ),
        };
        targets.push(target);
    }
    let actions = d
        .actions
        .iter()
        .map(|a| {
            Body::new()
                .s("name", escape(&a.name))
                .s("action_id", escape(&a.action_id))
                .s("description", escape(&a.description))
                .blocks(
                    "parameter",
                    a.parameters
                        .iter()
                        .map(|(k, v)| Body::new().s("key", escape(k)).s("value", escape(v)))
                        .collect(),
                )
                .block(
                    "target",
                    Body::new()
                        .s("key", escape(&a.target.0))
                        .s("value", escape(&a.target.1)),
                )
        })
        .collect();
    let mut stops = Vec::new();
    for s in &d.stop_alarms {
        stops.push(
            Body::new()
                .s("source", "aws:cloudwatch:alarm")
                .s("value", cx.x.tpl(&s.arn)?),
        );
    }
    if stops.is_empty() {
        stops.push(Body::new().s("source", "none"));
    }
    let logs = cx.x.r(&d.log_group, Attr::Arn)?;
    let bucket = cx.x.r(&d.report_bucket, Attr::Name)?;
    let body = Body::new()
        .s("description", escape(&node.description))
        .s("role_arn", cx.x.r(&d.role, Attr::Arn)?)
        .blocks("target", targets)
        .blocks("action", actions)
        .blocks("stop_condition", stops)
        .block(
            "log_configuration",
            Body::new().n("log_schema_version", 2).block(
                "cloudwatch_logs_configuration",
                Body::new().s("log_group_arn", format!("{logs}:*")),
            ),
        )
        .block(
            "experiment_report_configuration",
            Body::new().block(
                "outputs",
                Body::new().block(
                    "s3_configuration",
                    Body::new()
                        .s("bucket_name", bucket)
                        .s("prefix", escape(&d.report_prefix)),
                ),
            ),
        )
        .block(
            "experiment_options",
            Body::new().s("account_targeting", "single-account").s(
                "empty_target_resolution_mode",
                escape(&d.empty_target_resolution),
            ),
        )
        .tags(&node.tags)
        // The role's policy is in place before FIS first assumes the role.
        .depends_on(vec![format!(
            "aws_iam_role_policy_attachment.{}",
            ident(&d.role)
        )]);
    cx.m.resource(
        Area::Drill,
        node.role,
        "aws_fis_experiment_template",
        &ident(&node.id),
        body,
    )
}
