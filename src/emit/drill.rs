//! The `## Drills` section both READMEs share (R37): the region-loss drill's
//! FIS experiment and the failover engine's graceful path, as a procedure
//! with the exact commands. Read from the graph only. Also the two graceful
//! commands of the failover engines, which the failover and failback sections
//! use as well (one text for each command).
//!
//! CLI names: `aws fis start-experiment --experiment-template-id`,
//! `get-experiment --id`, `stop-experiment --id`
//! (<https://docs.aws.amazon.com/cli/latest/reference/fis/>);
//! `aws arc-region-switch start-plan-execution --plan-arn --target-region
//! --action activate --mode graceful`
//! (<https://docs.aws.amazon.com/cli/latest/reference/arc-region-switch/start-plan-execution.html>).

use crate::graph::{DrillTemplate, Graph, Node, NodeKind, Purpose, TargetSelection};
use std::fmt::Write;

/// The graceful activation of `region` by the Region switch plan `plan_arn`,
/// run from that region (plans execute on the data plane of the region being
/// activated).
pub(crate) fn graceful_activation(region: &str, plan_arn: &str) -> String {
    format!(
        "aws arc-region-switch start-plan-execution --region {region} --plan-arn {plan_arn} --target-region {region} --action activate --mode graceful"
    )
}

/// The Lambda engine's switchover (no data loss), invoked in `region`.
pub(crate) fn lambda_switchover(region: &str, function: &str) -> String {
    format!(
        "aws lambda invoke --region {region} --function-name {function} --payload '{{\"action\":\"switchover\"}}' --cli-binary-format raw-in-base64-out /dev/stdout"
    )
}

/// The drill template node of `g`, if the site has one.
pub(crate) fn template(g: &Graph) -> Option<(&Node, &DrillTemplate)> {
    g.nodes.iter().find_map(|n| match &n.kind {
        NodeKind::DrillTemplate(d) => Some((n, d)),
        _ => None,
    })
}

/// The `## Drills` section; `id_command` prints the template id (a stack
/// output or a Terraform output). `None` without a drill.
pub(crate) fn section(g: &Graph, id_command: &str) -> Option<String> {
    let (n, d) = template(g)?;
    let s = &g.site;
    let (p, q) = (&s.primary_region, &s.secondary_region);
    let name = |id| g.get(id).map_or("?", |x: &Node| x.name.as_str());
    let mut o = String::new();
    let _ = writeln!(o, "\n## Drills\n");
    let _ = writeln!(
        o,
        "The AWS FIS experiment template `{}` in {p} rehearses the loss of {p} as far as FIS can, for {} per action, every action starting together:\n",
        n.name,
        crate::units::humanize_secs(*d.duration_secs)
    );
    for a in &d.actions {
        let target = d.targets.iter().find(|t| t.name == a.target.1);
        let what = match target.map(|t| &t.selection) {
            Some(TargetSelection::Arns(arns)) => format!(
                "{} `{}` resource(s)",
                arns.len(),
                target.map_or("", |t| t.resource_type.as_str())
            ),
            Some(TargetSelection::Tags(tags)) => format!(
                "every `{}` tagged {}",
                target.map_or("", |t| t.resource_type.as_str()),
                tags.iter()
                    .map(|(k, v)| format!("`{k}={v}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            None => "?".into(),
        };
        let _ = writeln!(
            o,
            "- `{}` (`{}`): {} — {what}.",
            a.name, a.action_id, a.description
        );
    }
    let _ = writeln!(
        o,
        "\n**FIS cannot pause Aurora global replication or fail a global database over** (its `aws:rds:failover-db-cluster` fails over inside one region): the procedure below uses the failover engine's graceful path for the databases."
    );
    let routes = d
        .actions
        .iter()
        .any(|a| a.action_id == crate::lower::drill::ROUTES_ACTION);
    let composite = g
        .nodes
        .iter()
        .any(|x| matches!(x.kind, NodeKind::CompositeAlarm(_)));
    let probe = g
        .nodes
        .iter()
        .any(|x| matches!(&x.kind, NodeKind::Function(f) if f.purpose == Purpose::Probe));
    if routes && probe {
        if composite {
            let _ = writeln!(
                o,
                "While the experiment runs, the secondary region's peering probe loses the primary (the routes to {q} are gone) but the public front door still answers, so the composite failover alarm, which needs both, does not fail the site over."
            );
        } else {
            let _ = writeln!(
                o,
                "While the experiment runs, the secondary region's peering probe loses the primary (the routes to {q} are gone), and without a `dns` block that probe alone starts the failover (DRS0514): set the failover's `mode = manual` for the drill, or give it a `dns` block."
            );
        }
    }
    if d.stop_alarms.is_empty() {
        let _ = writeln!(
            o,
            "\n**Stop conditions:** none (DRS0512): the site has no alarm in {p} to stop on; watch the experiment and stop it by hand."
        );
    } else {
        let names: Vec<String> = d
            .stop_alarms
            .iter()
            .map(|a| match g.get(&a.alarm).map(|x| &x.kind) {
                // More alarms than FIS's stop-condition quota: one composite of them.
                Some(NodeKind::CompositeAlarm(c)) => format!(
                    "`{}` (in ALARM when any of {} is)",
                    name(&a.alarm),
                    c.inputs
                        .iter()
                        .map(|i| format!("`{}`", name(i)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => format!("`{}`", name(&a.alarm)),
            })
            .collect();
        let _ = writeln!(
            o,
            "\n**Stop conditions:** FIS stops the experiment (and undoes every action) as soon as one of the site's own alarms in {p} goes to ALARM: {}. The DynamoDB replication-latency alarms are not stop conditions: pausing replication raises them by design.",
            names.join(", ")
        );
    }
    let _ = writeln!(
        o,
        "\n**Logs and report:** the experiment logs (schema version 2) go to the encrypted log group `{}` in {p}; the experiment report goes to `s3://{}/{}/` (encrypted, versioned, TLS-only). The experiment role `{}` trusts `fis.amazonaws.com` and may act only on the site's primary subnets, route tables and VPC endpoints, the route tables, prefix lists and network interfaces FIS itself creates (tag `managedByFIS=true`), the replication configuration of the paused buckets and the resource policies of the global tables.",
        name(&d.log_group),
        name(&d.report_bucket),
        d.report_prefix,
        name(&d.role)
    );
    if routes {
        // "raise the Amazon VPC quota for routes per route table to 250 (or 350
        // if the region parameter is us-east-1) plus the number of routes in
        // your existing route tables" (FIS actions reference).
        let quota = if q == "us-east-1" { 350 } else { 250 };
        let _ = writeln!(
            o,
            "\nBefore the first drill, raise the Amazon VPC quota *routes per route table* in {p} to {quota} plus the routes the site's route tables already hold: FIS creates route tables holding every route of {q} to swap in (FIS actions reference)."
        );
    }
    let _ = writeln!(o, "\n### Drill procedure\n");
    let _ = writeln!(
        o,
        "1. Find the template id and start the experiment in {p}:\n\n```sh\nTEMPLATE=$({id_command})\nEXPERIMENT=$(aws fis start-experiment --region {p} --experiment-template-id \"$TEMPLATE\" --query experiment.id --output text)\n```\n"
    );
    let _ = writeln!(
        o,
        "2. Watch it: `aws fis get-experiment --region {p} --id \"$EXPERIMENT\" --query experiment.state` (`running`, then `completed`, or `stopped` by a stop condition) and `aws logs tail {} --region {p} --follow`. Stop it at any time with `aws fis stop-experiment --region {p} --id \"$EXPERIMENT\"`.",
        name(&d.log_group)
    );
    let plan = g
        .nodes
        .iter()
        .find(|x| matches!(x.kind, NodeKind::RegionSwitchPlan(_)));
    let starter = g
        .nodes
        .iter()
        .find(|x| matches!(&x.kind, NodeKind::Function(f) if f.purpose == Purpose::Starter));
    let failover = g
        .nodes
        .iter()
        .find(|x| matches!(&x.kind, NodeKind::Function(f) if f.purpose == Purpose::Failover));
    let databases = g
        .nodes
        .iter()
        .any(|x| matches!(x.kind, NodeKind::GlobalDatabase(_)));
    match (plan, failover) {
        (Some(plan), _) => {
            let arn = match starter {
                Some(f) => format!(
                    "\"$(aws lambda get-function-configuration --region {q} --function-name {} --query Environment.Variables.PLAN_ARN --output text)\"",
                    f.name
                ),
                None => format!(
                    "\"$(aws arc-region-switch list-plans --region us-east-1 --query \"plans[?name=='{}'].arn\" --output text)\"",
                    plan.name
                ),
            };
            let _ = writeln!(
                o,
                "3. While {p} is isolated, switch the databases and traffic over to {q} with a graceful execution of the Region switch plan `{}` (its Aurora steps switch over without data loss), from {q}:\n\n```sh\n{}\n```\n",
                plan.name,
                graceful_activation(q, &arn)
            );
            let _ = writeln!(
                o,
                "4. Check the site serves from {q}, then fail back once the experiment has ended and the checks of *Failing back* pass:\n\n```sh\n{}\n```",
                graceful_activation(p, &arn)
            );
        }
        (None, Some(f)) if databases => {
            let _ = writeln!(
                o,
                "3. While {p} is isolated, switch the global databases over to {q} without data loss with the failover function (`switchover` targets the {q} clusters):\n\n```sh\n{}\n```\n",
                lambda_switchover(q, &f.name)
            );
            let _ = writeln!(
                o,
                "4. Check the site serves from {q}, then fail back once the experiment has ended, with the switchover commands of *Failing back*."
            );
        }
        _ => {
            let _ = writeln!(
                o,
                "3. The site has no Aurora global database to switch over: the experiment is the whole drill."
            );
        }
    }
    let _ = writeln!(
        o,
        "\nAfterwards read the report: `aws s3 ls s3://{}/{}/ --recursive --region {p}`; keep it with the drill's record (DORA Art. 11, FFIEC BCM, NIST SP 800-53 CP-4).",
        name(&d.report_bucket),
        d.report_prefix
    );
    Some(o)
}
