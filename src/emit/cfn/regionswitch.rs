//! `AWS::ARCRegionSwitch::Plan` (research notes §9.4; the schema is the one
//! cfn-lint ships, <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-arcregionswitch-plan.html>).
//! The plan is global: it is declared once, in the secondary region's last
//! stack (after the member clusters it names exist). Its control plane is in
//! us-east-1, so creating or changing it needs us-east-1 even though the stack
//! is deployed in the secondary region.

use super::stacks::Stack;
use super::Cx;
use crate::graph::{Attr, ExecutionBlock, Node, RegionSwitchPlan, Value};
use serde_json::{json, Map, Value as Json};

/// The plan's properties.
pub(super) fn properties(
    cx: &mut Cx,
    stack: Stack,
    n: &Node,
    p: &RegionSwitchPlan,
) -> Map<String, Json> {
    let mut workflows = Vec::new();
    for w in &p.workflows {
        let mut steps = Vec::new();
        for s in &w.steps {
            let config = match &s.block {
                ExecutionBlock::GlobalAurora(a) => {
                    let id = cx.value(&a.global_cluster, stack);
                    let arns = cx.values(&a.clusters, stack);
                    json!({"GlobalAuroraConfig": {
                        "Behavior": a.behavior,
                        "GlobalClusterIdentifier": id,
                        "DatabaseClusterArns": arns,
                        "Ungraceful": {"Ungraceful": a.ungraceful},
                    }})
                }
                ExecutionBlock::Approval(a) => {
                    let role = cx.value(&a.role, stack);
                    json!({"ExecutionApprovalConfig": {
                        "ApprovalRole": role,
                        "TimeoutMinutes": a.timeout_minutes,
                    }})
                }
                ExecutionBlock::Route53HealthCheck(r) => {
                    let zone = cx.value(&r.zone_id, stack);
                    let sets: Vec<Json> = r
                        .record_sets
                        .iter()
                        .map(|(id, region)| json!({"RecordSetIdentifier": id, "Region": region}))
                        .collect();
                    json!({"Route53HealthCheckConfig": {
                        "HostedZoneId": zone,
                        "RecordName": r.record_name,
                        "RecordSets": sets,
                    }})
                }
            };
            steps.push(json!({
                "Name": s.name,
                "Description": s.description,
                "ExecutionBlockType": s.block.block_type(),
                "ExecutionBlockConfiguration": config,
            }));
        }
        workflows.push(json!({
            "WorkflowTargetAction": w.action,
            "WorkflowTargetRegion": w.target_region,
            "WorkflowDescription": w.description,
            "Steps": steps,
        }));
    }
    let mut alarms = Map::new();
    for a in &p.associated_alarms {
        let arn = cx.value(&a.alarm, stack);
        alarms.insert(
            a.name.clone(),
            json!({"AlarmType": a.alarm_type, "ResourceIdentifier": arn}),
        );
    }
    let role = cx.value(&Value::r(&p.execution_role, Attr::Arn), stack);
    let bucket = cx.value(&Value::r(&p.report_bucket, Attr::Name), stack);
    let path = match bucket {
        Json::String(b) => json!(format!("s3://{b}/region-switch")),
        other => {
            super::sub(&[json!("s3://"), other, json!("/region-switch")]).unwrap_or(Json::Null)
        }
    };
    let mut m = Map::new();
    m.insert("Name".into(), json!(n.name));
    m.insert("Description".into(), json!(n.description));
    m.insert("RecoveryApproach".into(), json!(p.recovery_approach));
    m.insert("Regions".into(), json!(p.regions));
    m.insert("PrimaryRegion".into(), json!(p.primary_region));
    m.insert("RecoveryTimeObjectiveMinutes".into(), json!(p.rto_minutes));
    m.insert("ExecutionRole".into(), role);
    m.insert("Workflows".into(), Json::Array(workflows));
    if !alarms.is_empty() {
        m.insert("AssociatedAlarms".into(), Json::Object(alarms));
    }
    m.insert(
        "ReportConfiguration".into(),
        json!({"ReportOutput": [{"S3Configuration": {
            "BucketPath": path,
            "BucketOwner": {"Ref": "AWS::AccountId"},
        }}]}),
    );
    m.insert("Tags".into(), json!(n.tags));
    m
}
