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

/// The README's failover-path section for a site whose engine is Region
/// switch; `None` without a plan.
pub(super) fn readme(g: &crate::graph::Graph) -> Option<String> {
    use crate::graph::{NodeKind, Purpose, Subscription};
    use std::fmt::Write;
    let (plan_node, plan) = g.nodes.iter().find_map(|n| match &n.kind {
        NodeKind::RegionSwitchPlan(p) => Some((n, p)),
        _ => None,
    })?;
    let s = &g.site;
    let starter = g
        .nodes
        .iter()
        .find(|n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::Starter));
    let probe = super::readme::peering_probe(g);
    let automatic = starter.is_some_and(|f| {
        g.nodes.iter().any(|n| {
            matches!(&n.kind, NodeKind::Topic(t) if t.subscriptions.iter().any(|x| matches!(x, Subscription::Function(id) if id == &f.id)))
        })
    });
    let mut o = String::new();
    let _ = writeln!(
        o,
        "The failover engine is **AWS ARC Region switch** (R38): the plan `{}` ({} → {}, `activePassive`, RTO {} minutes). Aurora does not fail over across regions by itself; everything that detects and starts the recovery runs in the **secondary region ({})**:\n",
        plan_node.name, s.primary_region, s.secondary_region, *plan.rto_minutes, s.secondary_region
    );
    if let Some(p) = probe {
        let _ = writeln!(
            o,
            "1. The probe function `{}` connects to the primary writer over the VPC peering on a schedule and publishes `PrimaryDatabaseReachable` (namespace `drsc/{}`); the alarm `{}` goes to ALARM when it stays below 1.{}",
            p.name,
            s.name,
            crate::graph::physical_name(&["primary-unreachable", "alarm", &s.environment, &s.suffix]),
            super::readme::second_signal(g)
        );
    }
    match (starter, automatic) {
        (Some(f), true) => {
            let _ = writeln!(
                o,
                "2. The alarm publishes to an encrypted SNS topic in {0}, which invokes drsc's starter function `{1}` (`assets/starter/handler.py`). It calls the Region switch **data plane in {0}**: `ListPlanExecutions`, and, unless an execution is already in flight or {0} is already active, `StartPlanExecution` with `action = activate`, `targetRegion = {0}` and **`mode = ungraceful`**. Errors are raised, so Lambda retries and the starter's `Errors` alarm fires.",
                s.secondary_region, f.name
            );
        }
        (Some(f), false) => {
            let _ = writeln!(
                o,
                "2. Failover mode is **manual**: the alarm notifies the alert topic; an operator invokes `{}` with `{{\"action\": \"activate\"}}` or starts the plan in the console of {}.",
                f.name, s.secondary_region
            );
        }
        (None, _) => {}
    }
    let _ = writeln!(
        o,
        "3. The plan's activate workflow runs its steps: for each Aurora global database a `GlobalAuroraConfig` step with `Behavior: switchoverOnly` (a graceful run, such as a drill, switches over without data loss) and `Ungraceful: failover` (the ungraceful run the starter starts fails over with `FailoverGlobalCluster`, accepting the replication lag as data loss); with a `dns` block, a Route 53 health-check step. Execution reports go to the encrypted, versioned, TLS-only bucket `{}` in {}.",
        g.get(&plan.report_bucket).map_or("?", |b| b.name.as_str()),
        s.secondary_region
    );
    let approval = plan.workflows.iter().find_map(|w| {
        w.steps.iter().find_map(|s| match &s.block {
            crate::graph::ExecutionBlock::Approval(a) => Some(a),
            _ => None,
        })
    });
    if let Some(a) = approval {
        let _ = writeln!(
            o,
            "\n**Approval (chosen by the site, DRS0329):** each workflow starts with a `ManualApproval` step (`ExecutionApprovalConfig`, `TimeoutMinutes` {}): the execution waits until the role `{}` approves it (`arc-region-switch:ApprovePlanExecutionStep` on the plan, in the console or CLI of {}), up to {} minutes, which the RTO estimate counts. AWS does not document whether an ungraceful execution runs or skips a manual approval step; drill it.",
            *a.timeout_minutes,
            a.role.as_lit().unwrap_or("?"),
            s.secondary_region,
            *a.timeout_minutes
        );
    }
    let _ = writeln!(
        o,
        "\nWhy a starter function and no plan trigger: a Region switch trigger names no execution mode, and AWS does not document which mode a trigger-started execution runs in (API reference, `Trigger`: https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html; `StartPlanExecution`: https://docs.aws.amazon.com/arc-region-switch/latest/api/API_StartPlanExecution.html). A graceful run of a `switchoverOnly` step needs the old primary, which the outage took away; so drsc starts the execution itself, ungraceful. No plan uses `Behavior: failover`.\n\nThe plan is a **global** resource, declared once, in the `secondary` stack. Its **control plane is in us-east-1** (`arc-region-switch-control-plane.us-east-1.api.aws`, from the SDK's endpoint rules): creating, changing or deleting the plan (this stack, or Terraform) needs us-east-1. Executing it does not: plans are executed on the data plane of the region being activated (https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch.html). The plan's execution role trusts `arc-region-switch.amazonaws.com` and holds the AWS managed `AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy` plus exactly `rds:DescribeDBClusters`, `rds:DescribeGlobalClusters`, `rds:FailoverGlobalCluster` and `rds:SwitchoverGlobalCluster` on each global cluster and its two members, `route53:ListResourceRecordSets` on the hosted zone, and, for its execution reports, `s3:PutObject` on its bucket, `kms:Encrypt` and `kms:GenerateDataKey` on the bucket's key, and `cloudwatch:DescribeAlarms` and `cloudwatch:DescribeAlarmHistory` on the alarms it watches (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_reports.html)."
    );
    let failover_records = g.nodes.iter().any(|n| {
        matches!(
            &n.kind,
            NodeKind::Record(r) if matches!(r.routing, crate::graph::Routing::Failover(_))
        )
    });
    if failover_records {
        let _ = writeln!(
            o,
            "\nTraffic moves in the same execution: the plan's Route 53 health-check step creates one health check per region, and the site's records are **failover** records tied to them (`PRIMARY` on the {}, `SECONDARY` on the {}). Activating a region sets their status (https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html), and Route 53 answers with the `PRIMARY` record while its check is healthy and with the `SECONDARY` otherwise (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-failover.html): no record is changed, and Route 53's control plane is not on the path. The records are created with the plan, by the secondary region's deployment. A failback (activating {}) restores traffic in the same way.",
            s.primary_region,
            s.secondary_region,
            s.primary_region
        );
    }
    let _ = writeln!(
        o,
        "\nDrill (graceful, no data loss): `{}`. Fail back after the old primary has rejoined: the same with `--region {1} --target-region {1}`.",
        crate::emit::drill::graceful_activation(&s.secondary_region, "<plan ARN>"),
        s.primary_region
    );
    Some(o)
}
