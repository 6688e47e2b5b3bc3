//! The Region switch failover engine (R38, issue 11): an AWS ARC Region switch
//! plan declared once (global; its control plane is in us-east-1), its
//! execution role, an encrypted report bucket in the secondary region, and
//! drsc's starter function in the secondary region that the failover alarm
//! invokes through the failover topic.
//!
//! Why a starter and not a plan trigger: a `Trigger` names no execution mode
//! and AWS does not document which mode a trigger-started execution runs in
//! (<https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html>;
//! research notes §9.5). A graceful run of a `switchoverOnly` Aurora step needs
//! the old primary, so the starter calls the regional data plane
//! `StartPlanExecution` with `mode = ungraceful`
//! (<https://docs.aws.amazon.com/arc-region-switch/latest/api/API_StartPlanExecution.html>),
//! under which `Ungraceful: failover` makes the Aurora step fail over
//! (<https://docs.aws.amazon.com/arc-region-switch/latest/api/API_GlobalAuroraConfiguration.html>).
//!
//! Execution-role permissions per block:
//! <https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_aurora.html>,
//! <https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_route53.html>,
//! the managed `AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy`
//! (<https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy.html>).

use super::{compute, data, ops, Lower};
use crate::graph::{
    ApprovalBlock, AssociatedAlarm, Attr, Builtin, Derived, ExecutionBlock, GlobalAuroraBlock,
    IamRole, NodeId, NodeKind, PlanStep, PlanWorkflow, Protection, Purpose, RegionSwitchPlan,
    Route53Block, Statement, Value,
};
use crate::model::{Failover, Role};
use std::collections::BTreeMap;

/// The trust principal of the execution role.
pub(crate) const SERVICE_PRINCIPAL: &str = "arc-region-switch.amazonaws.com";

/// The AWS managed policy for plan execution and evaluation (ARN path).
pub(crate) const EXECUTION_POLICY: &str =
    "policy/AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy";

/// The plan node.
pub(crate) fn plan_id() -> NodeId {
    NodeId::new(&["plan", "region-switch", "secondary"])
}

/// The report bucket node.
fn reports_id() -> NodeId {
    NodeId::new(&["bucket", "region-switch-reports", "secondary"])
}

/// The starter function node.
pub(crate) fn starter_id() -> NodeId {
    NodeId::new(&["function", "starter", "secondary"])
}

/// What the plan's Route 53 health-check block needs from the `dns` block.
pub(crate) struct PlanDns {
    pub zone_id: Value,
    pub record_name: String,
    /// (set identifier, region) per region, primary first.
    pub sets: Vec<(String, String)>,
}

/// The starter function, its role, log group and dead-letter queue, and the
/// failover topic that invokes it (when the failover is automatic).
pub(crate) fn starter(cx: &mut Lower, fo: &Failover, automatic: bool) {
    let s = Role::Secondary;
    let fn_name = cx.base("starter", "function");
    let p = compute::parts(
        cx,
        "starter",
        s,
        &fn_name,
        ops::builtin_log_retention(),
        true,
        false,
    );
    let plan_arn = Value::r(&plan_id(), Attr::Arn);
    let mut statements = p.base_statements.clone();
    // Data-plane operations only: they run in the region being activated.
    statements.push(Statement::allow(
        "StartPlanExecution",
        &[
            "arc-region-switch:ListPlanExecutions",
            "arc-region-switch:StartPlanExecution",
        ],
        vec![plan_arn.clone()],
    ));
    let role_name = cx.regional("starter", "function", s);
    compute::exec_role(cx, &p.role, s, role_name, "starter", statements);
    let starter = starter_id();
    let topic_arn = ops::failover_topic(cx, &starter, automatic);
    let mut env: BTreeMap<String, Value> = BTreeMap::new();
    env.insert("PLAN_ARN".into(), plan_arn);
    env.insert("TARGET_REGION".into(), Value::lit(cx.region(s)));
    cx.add(
        starter,
        s,
        fn_name,
        format!(
            "Starts an ungraceful Region switch activation of {} (drsc builtin)",
            cx.site.secondary_region
        ),
        Protection::default(),
        NodeKind::Function(ops::engine_function(
            cx,
            (Purpose::Starter, Builtin::Starter, 128),
            fo,
            p,
            env,
            automatic.then_some(topic_arn),
        )),
    );
}

/// The plan, its execution role and its report bucket. Runs after the alarms
/// exist (it associates them by ARN).
pub(crate) fn plan(cx: &mut Lower, dns: Option<&PlanDns>) {
    let s = Role::Secondary;
    let rto = cx.model.site.rto.clone();
    // An invalid `rto` is reported where it is written (no cascade).
    let rto_minutes = if cx.model.in_hole(rto.span) {
        Derived::at(
            u32::try_from(rto.value.as_secs().div_ceil(60)).unwrap_or(u32::MAX),
            rto.span,
        )
    } else {
        cx.minutes(&rto, "rto")
    };

    // The report bucket: encrypted with the secondary region's key, versioned,
    // TLS-only, public access blocked.
    let key = cx.ops_key(s);
    let bucket = reports_id();
    super::private_bucket::add(
        cx,
        super::private_bucket::PrivateBucket {
            id: bucket.clone(),
            role: s,
            stem: "region-switch-reports",
            description: "Region switch plan execution reports".into(),
            model_name: "region_switch_reports",
            // Old versions of reports: as long as the site's own buckets keep them by default.
            noncurrent_days: Derived::fixed(90),
            object_lock: None,
            policy: |_| Vec::new(),
        },
    );

    // The execution role: the managed plan-execution policy plus exactly
    // what each block needs.
    let role = NodeId::new(&["role", "region-switch", "secondary"]);
    let mut statements = Vec::new();
    let mut steps = Vec::new();
    let mut after = Vec::new();
    // The site's optional approval before the data-loss failover (DRS0329
    // warns; DRS0338 reports one without `approver`).
    if let Some(fo) = cx.model.failover.clone() {
        if let (Some(wait), Some(role)) = (&fo.approval, &fo.approver) {
            let timeout_minutes = cx.minutes(wait, "approval");
            steps.push(PlanStep {
                name: "approval".into(),
                description: format!("Approval by {} before the failover", role.value),
                block: ExecutionBlock::Approval(ApprovalBlock {
                    role: Value::lit(role.value.clone()),
                    timeout_minutes,
                }),
            });
        }
    }
    for db in cx.model.databases.clone() {
        let global = data::global_db_id(&db.name);
        let members: Vec<NodeId> = Role::BOTH
            .iter()
            .map(|r| data::cluster_id(&db.name, *r))
            .collect();
        after.extend(members.iter().cloned());
        let clusters: Vec<Value> = members.iter().map(|m| cx.arn(m)).collect();
        let mut resources = vec![cx.arn(&global)];
        resources.extend(clusters.iter().cloned());
        statements.push(Statement::allow(
            &format!("AuroraGlobalDatabase{}", crate::ident::camel(&db.name)),
            &[
                "rds:DescribeDBClusters",
                "rds:DescribeGlobalClusters",
                "rds:FailoverGlobalCluster",
                "rds:SwitchoverGlobalCluster",
            ],
            resources,
        ));
        steps.push(PlanStep {
            name: format!("aurora-{}", db.name.replace('_', "-")),
            description: format!(
                "Aurora global database `{}`: switchover when graceful, failover when ungraceful",
                db.name
            ),
            block: ExecutionBlock::GlobalAurora(GlobalAuroraBlock {
                global: global.clone(),
                global_cluster: Value::lit(cx.base(&db.name, "aurora")),
                clusters,
                behavior: "switchoverOnly".into(),
                ungraceful: "failover".into(),
            }),
        });
    }
    if let Some(d) = dns {
        statements.push(Statement::allow(
            "Route53HealthCheck",
            &["route53:ListResourceRecordSets"],
            vec![Value::join(vec![
                Value::lit("arn:"),
                Value::Partition,
                Value::lit(":route53:::hostedzone/"),
                d.zone_id.clone(),
            ])],
        ));
        steps.push(PlanStep {
            name: "dns".into(),
            description: format!("Route 53 health checks of `{}`", d.record_name),
            block: ExecutionBlock::Route53HealthCheck(Route53Block {
                zone_id: d.zone_id.clone(),
                record_name: d.record_name.clone(),
                record_sets: d.sets.clone(),
            }),
        });
    }
    // The alarms the plan watches: the failover alarm (type `trigger`: it starts
    // the execution, through the starter) and the Aurora lag alarms.
    let mut associated = Vec::new();
    let alarm = ops::trigger_alarm_id(cx);
    if let Some(n) = cx.node(&alarm) {
        associated.push(AssociatedAlarm {
            name: n.name.clone(),
            alarm_type: "trigger".into(),
            alarm: cx.arn(&alarm),
        });
    }
    for db in &cx.model.databases {
        let lag = NodeId::new(&["alarm", &format!("{}-lag", db.name), "secondary"]);
        if let Some(n) = cx.node(&lag) {
            associated.push(AssociatedAlarm {
                name: n.name.clone(),
                alarm_type: "applicationHealth".into(),
                alarm: cx.arn(&lag),
            });
        }
    }

    // Execution reports: the report records the plan's alarm states, so the
    // role reads the associated alarms; a customer-managed key also needs
    // `kms:Encrypt`
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_reports.html).
    if !associated.is_empty() {
        statements.push(Statement::allow(
            "ReadAlarmsForReports",
            &[
                "cloudwatch:DescribeAlarmHistory",
                "cloudwatch:DescribeAlarms",
            ],
            associated.iter().map(|a| a.alarm.clone()).collect(),
        ));
    }
    let bucket_arn = cx.arn(&bucket);
    statements.push(Statement::allow(
        "WriteExecutionReports",
        &["s3:PutObject"],
        vec![Value::join(vec![bucket_arn, Value::lit("/*")])],
    ));
    let grant = cx.grant_key(
        "EncryptExecutionReports",
        &key,
        &role,
        "s3",
        s,
        vec!["kms:Encrypt", "kms:GenerateDataKey"],
    );
    statements.push(grant);
    let role_name = cx.regional("region-switch", "role", s);
    cx.add(
        role.clone(),
        s,
        role_name,
        "Execution role of the Region switch plan",
        Protection::default(),
        NodeKind::Role(IamRole {
            trust_services: vec![SERVICE_PRINCIPAL.into()],
            statements,
            managed_policies: vec![Value::join(vec![
                Value::lit("arn:"),
                Value::Partition,
                Value::lit(format!(":iam::aws:{EXECUTION_POLICY}")),
            ])],
        }),
    );

    let workflows = Role::BOTH
        .iter()
        .map(|r| PlanWorkflow {
            action: "activate".into(),
            target_region: cx.region(*r),
            description: format!("Activate {} ({})", cx.region(*r), r.as_str()),
            steps: steps.clone(),
        })
        .collect();
    let name = cx.base("failover", "plan");
    let regions = Role::BOTH.iter().map(|r| cx.region(*r)).collect();
    cx.add(
        plan_id(),
        s,
        name,
        format!(
            "Region switch plan of site `{}`: activate {} or {}",
            cx.site.name, cx.site.primary_region, cx.site.secondary_region
        ),
        Protection::default(),
        NodeKind::RegionSwitchPlan(RegionSwitchPlan {
            regions,
            recovery_approach: "activePassive".into(),
            primary_region: cx.region(Role::Primary),
            rto_minutes,
            execution_role: role,
            workflows,
            associated_alarms: associated,
            report_bucket: bucket,
            after,
        }),
    );
}
