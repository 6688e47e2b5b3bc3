//! `## The day after a failover` and `## Failing back` (R33, R34).

use super::primary_member;
use crate::graph::{Graph, NodeKind};
use std::fmt::Write;

/// The `## The day after a failover` and `## Failing back` sections (R33,
/// R34): what keeps protecting the promoted region, the checks to make
/// before failing back, and the exact commands.
pub(crate) fn section(g: &Graph, o: &mut String) {
    if !super::has_engine(g) {
        return;
    }
    use crate::graph::{Purpose, Role};
    let s = &g.site;
    let (p, q) = (&s.primary_region, &s.secondary_region);
    let _ = writeln!(o, "\n## The day after a failover\n");
    let _ = writeln!(
        o,
        "Nothing needs a redeploy to keep {q} protected once it is the writer:\n"
    );
    for n in &g.nodes {
        if let NodeKind::BackupPlan(b) = &n.kind {
            let other = g.site.region(n.role.other());
            let copies = b.rules.iter().any(|r| r.copy.is_some());
            let _ = writeln!(
                o,
                "- Backup plan `{}` runs in {} on that region's stores (selection `{}`){}.",
                n.name,
                n.region,
                b.selection.name,
                if copies {
                    format!(", copying to the vault in {other}")
                } else {
                    String::new()
                }
            );
        }
    }
    let mut pending = Vec::new();
    for n in &g.nodes {
        if let NodeKind::Bucket(b) = &n.kind {
            if let Some(r) = &b.replication {
                let dest = g.get(&r.destination).map_or("?", |d| d.name.as_str());
                let _ = writeln!(
                    o,
                    "- S3 bucket `{}` ({}) replicates to `{}` (rule `{}`, delete markers {}, replica modification sync {}).",
                    n.name,
                    n.region,
                    dest,
                    r.rule_id,
                    if r.delete_markers { "on" } else { "off" },
                    if r.replica_modifications { "on" } else { "off" }
                );
                if n.role == Role::Secondary {
                    pending.push((n.name.clone(), dest.to_string(), r.rule_id.clone()));
                }
            }
        }
    }
    // The alarms that watch each direction (R33), and the probe that follows the writer.
    let mut watched: Vec<String> = g
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Alarm(a)
                if matches!(
                    a.metric.as_str(),
                    "AuroraGlobalDBReplicationLag"
                        | "ReplicationLatency"
                        | "OperationsFailedReplication"
                ) =>
            {
                Some(format!("`{}` ({})", n.name, n.region))
            }
            _ => None,
        })
        .collect();
    watched.sort();
    watched.dedup();
    if !watched.is_empty() {
        let _ = writeln!(
            o,
            "- Replication is watched in both regions, each on what it sends or receives: {}. A writer reports no Aurora replication lag, so the alarm of the region that writes stays OK; the one of the old primary, once it has rejoined, measures the lag back.",
            watched.join(", ")
        );
    }
    if g.nodes
        .iter()
        .any(|n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::Probe))
    {
        let _ = writeln!(
            o,
            "- The database probe connects to the global writer endpoint, which Aurora moves with every failover and switchover (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html): after a failover it probes the writer in {q}, so the failover alarm returns to OK instead of watching a region that is gone, and it probes {p} again after the failback."
        );
    }
    let _ = writeln!(o, "\nBefore failing back, check:\n");
    let mut i = 1;
    for n in &g.nodes {
        if let NodeKind::GlobalDatabase(_) = &n.kind {
            let old = primary_member(g, &n.id);
            let _ = writeln!(
                o,
                "{i}. The old primary has rejoined global cluster `{}` as a secondary and is caught up: `aws rds describe-global-clusters --region {q} --global-cluster-identifier {} --query \"GlobalClusters[0].GlobalClusterMembers[].[DBClusterArn,IsWriter,SynchronizationStatus,GlobalWriteForwardingStatus]\"` lists {}'s cluster with `IsWriter` false and `SynchronizationStatus` `connected`, and `aws cloudwatch get-metric-statistics --region {p} --namespace AWS/RDS --metric-name AuroraGlobalDBReplicationLag --dimensions Name=DBClusterIdentifier,Value={} --statistics Maximum --period 60 --start-time <5 minutes ago> --end-time <now>` stays low.",
                n.name,
                n.name,
                p,
                old.map_or("<old primary cluster>", |c| c.name.as_str())
            );
            i += 1;
        }
    }
    for (src, dest, rule) in &pending {
        let _ = writeln!(
            o,
            "{i}. Objects written in {q} during the disaster have reached `{dest}`: `aws cloudwatch get-metric-statistics --region {q} --namespace AWS/S3 --metric-name OperationsPendingReplication --dimensions Name=SourceBucket,Value={src} Name=DestinationBucket,Value={dest} Name=RuleId,Value={rule} --statistics Maximum --period 300 --start-time <1 hour ago> --end-time <now>` is 0 (also `BytesPendingReplication`; `OperationsFailedReplication` shows objects that will not arrive)."
        );
        i += 1;
    }
    let _ = writeln!(
        o,
        "{i}. The front door and functions in {p} are healthy again (the Route 53 health checks of {p} report healthy)."
    );

    let _ = writeln!(o, "\n## Failing back\n");
    let plan = g
        .nodes
        .iter()
        .find(|n| matches!(n.kind, NodeKind::RegionSwitchPlan(_)));
    let starter = g
        .nodes
        .iter()
        .find(|n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::Starter));
    let failover = g
        .nodes
        .iter()
        .find(|n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::Failover));
    if let Some(plan) = plan {
        let arn = match starter {
            Some(f) => format!(
                "$(aws lambda get-function-configuration --region {q} --function-name {} --query Environment.Variables.PLAN_ARN --output text)",
                f.name
            ),
            None => format!(
                "$(aws arc-region-switch list-plans --region us-east-1 --query \"plans[?name=='{}'].arn\" --output text)",
                plan.name
            ),
        };
        let _ = writeln!(
            o,
            "A graceful execution of the Region switch plan's {p} activate workflow switches the writer back without data loss (its Aurora step is `switchoverOnly`: a graceful run switches over, it never fails over) and moves traffic back through the plan's Route 53 health checks in the same execution. Run it from {p}, the region being activated:\n"
        );
        let _ = writeln!(
            o,
            "```sh\n{}\n```",
            crate::emit::drill::graceful_activation(p, &arn)
        );
        let _ = writeln!(
            o,
            "\nWatch it with `aws arc-region-switch get-plan-execution --region {p} --plan-arn <plan ARN> --execution-id <id>`. Afterwards {q} is a secondary again and both backup plans and both replication directions keep running unchanged."
        );
    } else if let Some(f) = failover {
        let _ = writeln!(
            o,
            "The failover function `{}` (`assets/failover/handler.py`) accepts `{{\"action\": \"failover\"}}` and `{{\"action\": \"switchover\"}}`, both targeting the cluster in its `TARGET_CLUSTER_ARN`, which is the {q} cluster: after a failover that cluster is already the writer, so the function does nothing (it is idempotent). It has no action that targets whichever region is not the writer, so fail back with a switchover (no data loss) targeting the {p} cluster, from {p}:\n",
            f.name
        );
        for n in &g.nodes {
            if let NodeKind::GlobalDatabase(_) = &n.kind {
                let old = primary_member(g, &n.id);
                let _ = writeln!(
                    o,
                    "```sh\naws rds switchover-global-cluster --region {p} --global-cluster-identifier {} --target-db-cluster-identifier arn:aws:rds:{p}:<account>:cluster:{}\n```",
                    n.name,
                    old.map_or("<cluster>", |c| c.name.as_str())
                );
            }
        }
        let _ = writeln!(
            o,
            "\nThen give the {p} weighted record its weight back (the function moved the weight to {q}; it never moves it back) with `aws route53 change-resource-record-sets`, once the checks above pass."
        );
    } else {
        let _ = writeln!(
            o,
            "The site declares no failover engine; there is nothing to fail back."
        );
    }
}
