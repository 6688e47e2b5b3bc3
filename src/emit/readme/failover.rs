//! `## Failover path`: what detects the outage and what acts, for the
//! Region switch engine ([`region_switch`]) and the Lambda engine. Empty for a
//! site with no failover engine.

use super::{peering_probe, second_signal, Backend};
use crate::graph::{Graph, NodeKind, Purpose, Subscription};
use std::collections::BTreeMap;
use std::fmt::Write;

pub(crate) fn section(g: &Graph, backend: Backend, o: &mut String) {
    if !super::has_engine(g) {
        return;
    }
    let s = &g.site;
    let _ = writeln!(o, "\n## Failover path\n");
    let failover = g
        .nodes
        .iter()
        .find(|n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::Failover));
    let probe = peering_probe(g);
    if let Some(text) = region_switch(g, backend) {
        let _ = write!(o, "{text}");
    }
    match (failover, probe) {
        _ if g
            .nodes
            .iter()
            .any(|n| matches!(n.kind, NodeKind::RegionSwitchPlan(_))) => {}
        (Some(f), Some(p)) => {
            let automatic = g.nodes.iter().any(|n| {
                matches!(&n.kind, NodeKind::Topic(t) if t.subscriptions.iter().any(|s| matches!(s, Subscription::Function(x) if x == &f.id)))
            });
            let env = match &f.kind {
                NodeKind::Function(x) => x.environment.clone(),
                _ => BTreeMap::new(),
            };
            let lit = |k: &str| {
                env.get(k)
                    .and_then(|v| v.as_lit())
                    .unwrap_or("?")
                    .to_string()
            };
            let _ = writeln!(
                o,
                "Aurora does not fail over across regions by itself. Everything that decides and acts runs in the **secondary region ({})**, so an outage of {} cannot take it down:\n",
                s.secondary_region, s.primary_region
            );
            let _ = writeln!(
                o,
                "1. The probe function `{}` runs on a schedule inside the secondary VPC, opens a TCP connection to the primary writer endpoint over the VPC peering and publishes `1`/`0` as the custom metric `PrimaryDatabaseReachable` (namespace `drsc/{}`).",
                p.name, s.name
            );
            let _ = writeln!(
                o,
                "2. The alarm `{}` (in {}) goes to ALARM when the metric stays below 1 for the configured number of periods.{}",
                crate::graph::physical_name(&["primary-unreachable", "alarm", &s.environment, &s.suffix]),
                s.secondary_region,
                second_signal(g)
            );
            if automatic {
                let _ = writeln!(
                    o,
                    "3. The alarm publishes to an encrypted SNS topic in {}, which invokes the failover function `{}`.",
                    s.secondary_region, f.name
                );
            } else {
                let _ = writeln!(
                    o,
                    "3. Failover mode is **manual**: the alarm notifies the alert topic; an operator invokes `{}` with `{{\"action\": \"failover\"}}`.",
                    f.name
                );
            }
            let _ = writeln!(
                o,
                "4. `{}` promotes **every** global database of the site in one invocation (`{}`): for each, `rds:DescribeGlobalClusters`, then `rds:FailoverGlobalCluster` targeting its secondary cluster (`AllowDataLoss={}`; a switchover when data loss is not allowed). It is idempotent: it does nothing for a database whose secondary is already the writer or has an operation in flight, and an error on one database does not stop the others. It acts only on the ALARM notification of `{}`, so one signal alone does not fail over.",
                f.name,
                lit("GLOBAL_CLUSTER_IDS"),
                lit("ALLOW_DATA_LOSS"),
                lit("TRIGGER_ALARM")
            );
            if env.contains_key("HOSTED_ZONE_ID") {
                let _ = writeln!(
                    o,
                    "5. On **every** invocation, whatever the databases' state, it reads the weighted record `{}` (`route53:ListResourceRecordSets`) and, unless they already are, UPSERTs the sets `{}` to weight 0 and `{}` to weight 100 in one change batch, keeping each set's alias target and health check. The Route 53 control plane is homed in us-east-1: a failed change raises (Lambda retries, the `Errors` alarm fires) and is made again by the next invocation. Independently, the Route 53 health check of each region's front door makes Route 53 skip that region's record as soon as it fails (data plane).",
                    lit("RECORD_NAME"),
                    lit("PRIMARY_SET_ID"),
                    lit("SECONDARY_SET_ID")
                );
            }
            let _ = writeln!(
                o,
                "\nThe role of `{}` may call exactly `rds:FailoverGlobalCluster` and `rds:SwitchoverGlobalCluster` on each global cluster and its two member clusters (plus `rds:DescribeGlobalClusters` on the global clusters{}). Alarms on the probe's and the failover function's `Errors` notify the alert topic.",
                f.name,
                if env.contains_key("HOSTED_ZONE_ID") {
                    ", `route53:ListResourceRecordSets` on the hosted zone, and `route53:ChangeResourceRecordSets` on it for this record only"
                } else {
                    ""
                }
            );
            let _ = writeln!(
                o,
                "\nDrill or fail back (after the old primary has rejoined as a secondary): `{}` (switchover targets the clusters in `TARGET_CLUSTER_ARNS`).",
                crate::emit::drill::lambda_switchover(&s.secondary_region, &f.name)
            );
        }
        _ => {
            let _ = writeln!(o, "The site declares no automated failover.");
        }
    }
}

/// The README's failover-path section for a site whose engine is Region
/// switch; `None` without a plan.
fn region_switch(g: &Graph, backend: Backend) -> Option<String> {
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
    let probe = peering_probe(g);
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
            second_signal(g)
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
        "\nWhy a starter function and no plan trigger: a Region switch trigger names no execution mode, and AWS does not document which mode a trigger-started execution runs in (API reference, `Trigger`: https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html; `StartPlanExecution`: https://docs.aws.amazon.com/arc-region-switch/latest/api/API_StartPlanExecution.html). A graceful run of a `switchoverOnly` step needs the old primary, which the outage took away; so drsc starts the execution itself, ungraceful. No plan uses `Behavior: failover`.\n\nThe plan is a **global** resource, declared once, {}. Its **control plane is in us-east-1** (`arc-region-switch-control-plane.us-east-1.api.aws`, from the SDK's endpoint rules): creating, changing or deleting the plan ({}) needs us-east-1. Executing it does not: plans are executed on the data plane of the region being activated (https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch.html). The plan's execution role trusts `arc-region-switch.amazonaws.com` and holds the AWS managed `AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy` plus exactly `rds:DescribeDBClusters`, `rds:DescribeGlobalClusters`, `rds:FailoverGlobalCluster` and `rds:SwitchoverGlobalCluster` on each global cluster and its two members, `route53:ListResourceRecordSets` on the hosted zone, and, for its execution reports, `s3:PutObject` on its bucket, `kms:Encrypt` and `kms:GenerateDataKey` on the bucket's key, and `cloudwatch:DescribeAlarms` and `cloudwatch:DescribeAlarmHistory` on the alarms it watches (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_reports.html)."
        ,match backend {
            Backend::Cfn => "in the `secondary` stack",
            Backend::Tf => "with the `aws.secondary` provider",
        },
        match backend {
            Backend::Cfn => "this stack, or Terraform",
            Backend::Tf => "`terraform apply`, or CloudFormation",
        }
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
