//! `aws_arcregionswitch_plan` (hashicorp/aws 6.29+, schema 6.47.0; research
//! notes §9.6): the step configurations sit directly under `step`, and the
//! deprecated `region` argument is not set (the plan is global). The plan's
//! control plane is in us-east-1: `terraform apply` of a change to it needs
//! us-east-1, executing it does not.

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{Attr, ExecutionBlock, Node, NodeKind, RegionSwitchPlan, Value};

pub fn plan(cx: &mut Cx, node: &Node, p: &RegionSwitchPlan) -> Result<(), Error> {
    let mut workflows = Vec::new();
    for w in &p.workflows {
        let mut steps = Vec::new();
        for s in &w.steps {
            let step = Body::new()
                .s("name", escape(&s.name))
                .s("description", escape(&s.description))
                .s("execution_block_type", s.block.block_type());
            let step = match &s.block {
                ExecutionBlock::GlobalAurora(a) => step.block(
                    "global_aurora_config",
                    Body::new()
                        .s("behavior", escape(&a.behavior))
                        .s("global_cluster_identifier", cx.x.tpl(&a.global_cluster)?)
                        .list("database_cluster_arns", cx.x.tpls(&a.clusters)?)
                        .block(
                            "ungraceful",
                            Body::new().s("ungraceful", escape(&a.ungraceful)),
                        ),
                ),
                ExecutionBlock::Approval(a) => step.block(
                    "execution_approval_config",
                    Body::new()
                        .s("approval_role", cx.x.tpl(&a.role)?)
                        .n("timeout_minutes", *a.timeout_minutes),
                ),
                ExecutionBlock::Route53HealthCheck(r) => {
                    let sets = r
                        .record_sets
                        .iter()
                        .map(|(id, region)| {
                            Body::new()
                                .s("record_set_identifier", escape(id))
                                .s("region", escape(region))
                        })
                        .collect();
                    step.block(
                        "route53_health_check_config",
                        Body::new()
                            .s("hosted_zone_id", cx.x.tpl(&r.zone_id)?)
                            .s("record_name", escape(&r.record_name))
                            .blocks("record_set", sets),
                    )
                }
            };
            steps.push(step);
        }
        workflows.push(
            Body::new()
                .s("workflow_target_action", escape(&w.action))
                .s("workflow_target_region", escape(&w.target_region))
                .s("workflow_description", escape(&w.description))
                .blocks("step", steps),
        );
    }
    let mut alarms = Vec::new();
    for a in &p.associated_alarms {
        alarms.push(
            Body::new()
                .s("map_block_key", escape(&a.name))
                .s("alarm_type", escape(&a.alarm_type))
                .s("resource_identifier", cx.x.tpl(&a.alarm)?),
        );
    }
    let bucket = cx.x.r(&p.report_bucket, Attr::Name)?;
    let report = Body::new().block(
        "report_output",
        Body::new().block(
            "s3_configuration",
            Body::new()
                .s("bucket_path", format!("s3://{bucket}/region-switch"))
                .s("bucket_owner", cx.x.tpl(&Value::AccountId)?),
        ),
    );
    let regions = p.regions.iter().map(|r| escape(r)).collect();
    let mut body = Body::new()
        .s("name", escape(&node.name))
        .s("description", escape(&node.description))
        .s("execution_role", cx.x.r(&p.execution_role, Attr::Arn)?)
        .s("recovery_approach", escape(&p.recovery_approach))
        .list("regions", regions)
        .s("primary_region", escape(&p.primary_region))
        .n("recovery_time_objective_minutes", *p.rto_minutes)
        .blocks("workflow", workflows)
        .block("report_configuration", report)
        .tags(&node.tags);
    if !alarms.is_empty() {
        body = body.blocks("associated_alarms", alarms);
    }
    cx.m.resource(
        Area::RegionSwitch,
        node.role,
        "aws_arcregionswitch_plan",
        &ident(&node.id),
        body,
    )?;
    // The health checks the plan's Route 53 step created, for the records
    // tied to them (`Attr::PlanHealthCheck`).
    let checked = cx.x.graph.nodes.iter().any(|n| match &n.kind {
        NodeKind::Record(r) => r
            .health_check
            .iter()
            .flat_map(|v| v.refs())
            .any(|r| r.node == node.id && matches!(r.attr, Attr::PlanHealthCheck(_))),
        _ => false,
    });
    if checked {
        let plan_arn = cx.x.r(&node.id, Attr::Arn)?;
        cx.m.data(
            Area::RegionSwitch,
            node.role,
            "aws_arcregionswitch_route53_health_checks",
            &ident(&node.id),
            Body::new().s("plan_arn", plan_arn),
        )?;
    }
    Ok(())
}
