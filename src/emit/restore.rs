//! The `## Restore tests` section both generated READMEs share (R36, issue 13
//! item 2), read from the graph only: each restore testing plan's schedule,
//! vault, selections and validation window, what drsc's validation function
//! checks, that AWS Backup deletes the restored resources, and what drives
//! their cost (no prices: they vary by region and change).

use crate::graph::{Graph, NodeKind, Purpose};
use std::fmt::Write;

/// What the validation function checks, per `ProtectedResourceType`.
fn checks(resource_type: &str) -> &'static str {
    match resource_type {
        "Aurora" => "`DescribeDBClusters`: the restored cluster is `available` and has an endpoint",
        "DynamoDB" => "`DescribeTable`: `ACTIVE`; a one-item `Scan` answers",
        "S3" => "`ListObjectsV2`: the restored bucket answers a listing",
        _ => "not validated by drsc",
    }
}

/// What a restored resource of the type costs while it exists.
fn cost(resource_type: &str) -> &'static str {
    match resource_type {
        "Aurora" => "storage and I/O of the restored cluster while it exists; AWS Backup restores an Aurora cluster without DB instances (<https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-aur.html>), so there are no instance-hours unless someone adds an instance",
        "DynamoDB" => "the data restored into the new table, its storage while it exists and the validation's one-item scan",
        "S3" => "the objects restored into the new bucket (the data restored and its PUT requests) and their storage while it exists",
        _ => "the restored resource while it exists",
    }
}

/// The section, or nothing when the site has no restore testing plan.
pub(crate) fn section(g: &Graph) -> String {
    let mut o = String::new();
    let plans: Vec<_> = g
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::RestoreTestingPlan(p) => Some((n, p)),
            _ => None,
        })
        .collect();
    if plans.is_empty() {
        return o;
    }
    let validator = g.nodes.iter().find(
        |n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::RestoreValidation),
    );
    let _ = writeln!(o, "\n## Restore tests\n");
    let _ = writeln!(
        o,
        "AWS Backup restore testing proves the recovery points in {} can be restored, not only that they exist. \
         On each plan's schedule (UTC) it restores, starting within {} hours, the latest snapshot recovery point (`LATEST_WITHIN_WINDOW`) of every protected resource of each selected type in the plan's DR vault: \
         the vault holds the secondary region's own backups and the copies of the primary's, so a store may be restored once from each. \
         Restore testing is evidence, not part of the failover.\n",
        g.site.secondary_region,
        plans
            .first()
            .map_or(0, |(_, p)| *p.start_window_hours),
    );
    let _ = writeln!(
        o,
        "| Plan | Schedule | Vault | Resource type | Validation window | Validated by |\n|---|---|---|---|---|---|"
    );
    for (n, p) in &plans {
        let vault = g.get(&p.vault).map_or("?", |v| v.name.as_str());
        for s in &p.selections {
            let _ = writeln!(
                o,
                "| `{}` | `{}` | `{}` | {} | {} h | {} |",
                n.name,
                *p.schedule,
                vault,
                s.resource_type,
                *s.validation_window_hours,
                checks(&s.resource_type)
            );
        }
    }
    if let Some(f) = validator {
        let _ = writeln!(
            o,
            "\nWhen a restore job completes, the EventBridge rule on `Restore Job State Change` (`COMPLETED`) invokes drsc's function `{}`. \
             It ignores restore jobs no plan of this site created, checks the restored resource read-only and reports `SUCCESSFUL` or `FAILED` with a message \
             (`PutRestoreValidationResult`): the validation status shows on the restore job in the AWS Backup console and in `aws backup describe-restore-job --region {}`. \
             Failed or aborted restore jobs notify the secondary region's alert topic. \
             Restore job durations are the measured restore times the audit framework's `RESTORE_TIME_FOR_RESOURCES_MEET_TARGET` control compares with the RTO.",
            f.name, g.site.secondary_region
        );
    }
    let _ = writeln!(
        o,
        "\n**Restored resources are deleted after validation**: AWS Backup deletes each one when its selection's validation window ends, whatever the result. \
         Until then they cost money, on every run:\n"
    );
    let mut types: Vec<&str> = plans
        .iter()
        .flat_map(|(_, p)| p.selections.iter().map(|s| s.resource_type.as_str()))
        .collect();
    types.sort_unstable();
    types.dedup();
    for t in types {
        let _ = writeln!(o, "- {t}: {}", cost(t));
    }
    let _ = writeln!(
        o,
        "\nEach run restores every store of the type, so the cost grows with the stores' size and the schedule; \
         a shorter `restore_validate_within` or a less frequent `restore_tests` lowers it. \
         See the AWS Backup, Aurora, DynamoDB and S3 pricing pages of {} for the rates.",
        g.site.secondary_region
    );
    o
}
