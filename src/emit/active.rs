//! The README section on the active region (R35), for both backends: which
//! state this build is for, what the failed-over build (`active = secondary`)
//! leaves out and why each global or lost-region resource needs no change,
//! and the order of the failback. Read from the graph only.

use crate::graph::{Graph, NodeKind, GLOBAL_CONTROL_PLANE_REGION};
use std::fmt::Write;

/// Which backend the section is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Cfn,
    Tf,
}

/// The names of the alarms that start the failover.
fn trigger_alarms(g: &Graph) -> Vec<&str> {
    g.nodes
        .iter()
        .filter(|n| g.starts_failover(n))
        .map(|n| n.name.as_str())
        .collect()
}

/// `## Active region and failing over (R35)`.
pub(crate) fn section(g: &Graph, backend: Backend, o: &mut String) {
    let s = &g.site;
    let (p, q) = (s.primary_region.as_str(), s.secondary_region.as_str());
    let _ = writeln!(o, "\n## Active region and failing over (R35)\n");
    if s.failed_over() {
        let _ = writeln!(
            o,
            "This build is for the failed-over site (`active = secondary`): {q} is the writer and {p} is treated as lost. It deploys from {q} alone. `primary` and `secondary` keep naming the regions the site was built with, so every name, stack, address and `DR-Role` tag is the one of the normal build.\n"
        );
    } else {
        let _ = writeln!(
            o,
            "This build is for normal operation (`active = primary`): {p} is the writer. After a failover to {q}, set `active = secondary` in the site, run `drsc check` and rebuild: that build deploys from {q} alone, and differs from this one only by the role swap below. `primary` and `secondary` keep naming the regions the site was built with, so names, stacks and addresses do not change between the two states.\n"
        );
    }
    let alarms = trigger_alarms(g);
    // Whether the failed-over build moves the weights (not after losing
    // us-east-1, see `SiteInfo::weights_follow_active`), in either state.
    let follows = p != GLOBAL_CONTROL_PLANE_REGION;
    let globals = g
        .nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::GlobalDatabase(_)));
    let _ = writeln!(o, "What follows the active region (the role swap):\n");
    if globals {
        let _ = writeln!(
            o,
            "- The writer: the engine (or a person) moves it; the database resources are the same in both states."
        );
    }
    if !alarms.is_empty() {
        let _ = writeln!(
            o,
            "- The alarms that start the failover ({}) are disarmed while {q} is active (`{}` false): the automation lives in {q} and watches {p}'s writer, so it must not fail over again, for instance during the failback's switchover. The failback build arms them again.",
            alarms
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", "),
            match backend {
                Backend::Cfn => "ActionsEnabled",
                Backend::Tf => "actions_enabled",
            }
        );
    }
    let records = g
        .nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::Record(_)));
    if records {
        let _ = writeln!(
            o,
            "- The Route 53 weights: the active region's record carries the `dns` block's share, the other the rest, so a deploy in either state keeps what the failover set (drsc's failover function moves the weights the same way). Exception: while failed over from {GLOBAL_CONTROL_PLANE_REGION}, which homes Route 53's control plane, the failed-over build keeps the records as they were, so it needs no Route 53 change; the health checks move the traffic on Route 53's data plane. {}",
            if follows {
                "This site's weights follow the active region."
            } else {
                "This site's primary region is us-east-1: its records do not change in the failed-over build; the failback build leaves them as they are too."
            }
        );
    }
    // Records homed in the primary region (external front doors): the
    // failed-over build does not deploy them, whatever their weights.
    let lost_records: Vec<&str> = g
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Record(_)) && n.role == crate::graph::Role::Primary)
        .map(|n| n.name.as_str())
        .collect();
    let secondary_in_lost = g.nodes.iter().any(|n| {
        matches!(&n.kind, NodeKind::Record(r) if r.set_identifier.starts_with("secondary"))
            && n.role == crate::graph::Role::Primary
    });
    if follows && secondary_in_lost {
        let _ = writeln!(
            o,
            "  Both records live with {p}'s deployment here (the front doors are outside the site): the failed-over build does not deploy them ({}), so they keep the weights they had until the failback build.",
            lost_records
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    match backend {
        Backend::Cfn => {
            let _ = writeln!(
                o,
                "- What `deploy.json` deploys: in the failed-over build, only the stacks of {q} (`not_deployed` lists those of {p}). A parameter they read from a stack of {p}, or from a lookup, is left out of `--parameter-overrides`, so `aws cloudformation deploy` keeps the stack's existing value (`\"previous\": true`){}.",
                if g.account_settings.iter().any(|a| {
                    matches!(a, crate::graph::AccountSetting::PeeringDnsResolution { .. })
                }) {
                    "; the peering's DNS options, set once, are not set again"
                } else {
                    ""
                }
            );
        }
        Backend::Tf => {
            let _ = writeln!(
                o,
                "- What the module manages: in the failed-over build, only what the `aws.secondary` provider manages; the `aws.primary` provider is not declared and no data source reads {p}. The values its resources read from {p} (the global cluster's identifier, the peering id, ARNs of the primary's key, bucket, vault and table replica, the hosted zone id) are input variables: the normal module outputs them as `failover_inputs`."
            );
        }
    }
    let _ = writeln!(
        o,
        "\nWhy nothing global or homed in {p} needs a change while {p} is lost:\n"
    );
    if globals {
        let _ = writeln!(
            o,
            "- The Aurora global cluster is created empty (engine, version, encryption) and never names its source cluster, the property that drifts after a switchover (`SourceDBClusterIdentifier`, aws-cloudformation/cloudformation-coverage-roadmap#1856). The members' settings are fixed at creation and identical in both states (`GlobalClusterIdentifier`, the secondary's `SourceRegion`, the original writer's database name and master user): no build changes what a switchover changes. CloudFormation's drift detection may still report `GlobalClusterIdentifier` on a member (cloudformation-coverage-roadmap#1857, open); whether it reports the secondary's `SourceRegion` after a switchover is not documented (unconfirmed); Terraform ignores `global_cluster_identifier`, `replication_source_identifier` and `engine_version` on both members (`lifecycle.ignore_changes`), so a plan never detaches a member from the global cluster (hashicorp/terraform-provider-aws#40921)."
        );
    }
    if g.nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::GlobalTable(_)))
    {
        let _ = writeln!(
            o,
            "- DynamoDB global tables are managed through {p} (the table with its replicas); every replica takes writes, so a failover changes nothing to manage."
        );
    }
    let _ = writeln!(
        o,
        "- IAM roles and policies do not change between the two states: their control plane is in us-east-1, and the failed-over build must not need it."
    );
    if g.nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::RegionSwitchPlan(_)))
    {
        let _ = writeln!(
            o,
            "- The Region switch plan does not change either: its control plane is in us-east-1 (executing it is not)."
        );
    }
    if p == GLOBAL_CONTROL_PLANE_REGION {
        let _ = writeln!(
            o,
            "- Losing us-east-1 also stops every change to Route 53 records and health checks and to IAM until it is back (queries and health checks keep answering). Route 53 accelerated recovery, for public hosted zones, lets record changes resume within about 60 minutes (<https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/accelerated-recovery.html>)."
        );
    }
    match backend {
        Backend::Cfn => {}
        Backend::Tf => {
            let _ = writeln!(
                o,
                "\nState: the failed-over module has its own state, a copy of the normal module's; the normal module's state is left as it is for the failback (keep its backend readable without {p}, e.g. an S3 bucket in {q} or replicated there).\n\n\
                 ```sh\n\
                 # in the normal module's directory, before or after the disaster (reads the state only):\n\
                 terraform output -json failover_inputs > ../failed-over/primary.auto.tfvars.json\n\
                 terraform state pull > ../failed-over/normal.tfstate\n\
                 # in the failed-over module's directory (its backend in {q}):\n\
                 terraform init\n\
                 terraform state push normal.tfstate\n\
                 xargs -n 1 terraform state rm < lost-region-addresses.txt\n\
                 terraform plan -refresh=false -out failed-over.tfplan\n\
                 terraform apply failed-over.tfplan\n\
                 ```\n\n\
                 `terraform state rm` forgets, in this copy and without calling AWS, the resources and data sources of {p} (and the account-id and partition data sources, which `aws.secondary` reads again). {}",
                if p == GLOBAL_CONTROL_PLANE_REGION {
                    "`-refresh=false`: a refresh reads IAM roles and Route 53 records through their control planes in us-east-1; nothing the failed-over build changes needs them."
                } else {
                    "Once the state is in place a refreshing plan works too; `-refresh=false` keeps the plan off every global control plane."
                }
            );
        }
    }
    let _ = writeln!(o, "\nFailing back, in this order:\n");
    let mut step = 1;
    if globals {
        let _ = writeln!(
            o,
            "{step}. {p} is back and its database cluster has rejoined the global database as a secondary and caught up: `aws rds describe-global-clusters --region {q}` lists it with `IsWriter` false and `SynchronizationStatus` `connected`{}.",
            match backend {
                Backend::Cfn => " (every check of *Before failing back* above)",
                Backend::Tf => "",
            }
        );
        let engine = if g
            .nodes
            .iter()
            .any(|n| matches!(n.kind, NodeKind::RegionSwitchPlan(_)))
        {
            format!("a graceful execution of the Region switch plan's {p} activate workflow, started in {p}")
        } else {
            format!("`aws rds switchover-global-cluster --region {p}` targeting the {p} cluster")
        };
        let _ = writeln!(
            o,
            "{}. Switch the writer back to {p} without data loss: {engine}{}.",
            step + 1,
            match backend {
                Backend::Cfn => " (*Failing back* above has the commands)",
                Backend::Tf => "",
            }
        );
        step += 2;
    } else {
        let _ = writeln!(o, "{step}. {p} is back and its resources are healthy.");
        step += 1;
    }
    let deploy = match backend {
        Backend::Cfn => "deploy every step of the new `deploy.json` (both regions)".to_string(),
        Backend::Tf => "in the normal module's directory, with its own state, run `terraform apply -refresh-only`, then `terraform plan` and `terraform apply`; the failed-over module's state is then discarded".to_string(),
    };
    let _ = writeln!(
        o,
        "{step}. Set `active = primary` (or remove it), run `drsc check` and rebuild (the failback build), then {deploy}.{}",
        {
            // CloudFormation updates only what the failed-over build changed:
            // the secondary's record (its stack was deployed); the primary's
            // stack was not, so its record is left as the engine set it.
            let weights = match backend {
                Backend::Cfn => "gives the secondary's record its normal weight back (the primary's record, in a stack the failed-over build did not deploy, keeps what the engine set; *Failing back* says how to restore it)",
                Backend::Tf => "gives both records their normal weights back",
            };
            match (alarms.is_empty(), records && follows) {
                (false, true) => format!(" It arms the failover alarms again and {weights}."),
                (false, false) => " It arms the failover alarms again.".to_string(),
                (true, true) => format!(" It {weights}."),
                (true, false) => String::new(),
            }
        }
    );
    let mut waits = Vec::new();
    if g.nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::Secret(_)))
    {
        waits.push(format!(
            "changes to the secrets homed in {p} (their replicas in {q} stay readable)"
        ));
    }
    if g.nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::BackupPlan(_)))
    {
        waits.push(format!("backup copies to {p}'s vault"));
    }
    let _ = writeln!(
        o,
        "\nNot covered: {}the resources of {p} keep what they had until the failback build{}. Do not make changes that replace resources while failed over: the failback starts from the normal build's resources.",
        if alarms.is_empty() {
            String::new()
        } else {
            format!("while {q} is active there is no automatic failover back to {p} (the automation watches {p} from {q}); ")
        },
        if waits.is_empty() {
            String::new()
        } else {
            format!("; {} wait for {p}", waits.join(" and "))
        }
    );
}
