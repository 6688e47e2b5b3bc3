//! `## Data stores and their protection`: every store, its replication or
//! copy mechanism, encryption and protection, then the backup plans' rules.

use super::yes;
use crate::graph::{Graph, NodeKind};
use std::fmt::Write;

pub(crate) fn section(g: &Graph, o: &mut String) {
    let _ = writeln!(o, "## Data stores and their protection\n");
    let _ = writeln!(
        o,
        "| Store | Mechanism | Encryption | Protection |\n|---|---|---|---|"
    );
    for n in &g.nodes {
        match &n.kind {
            NodeKind::GlobalDatabase(d) => {
                let members: Vec<String> = d
                    .members
                    .iter()
                    .filter_map(|m| g.get(m))
                    .map(|m| format!("`{}` ({})", m.name, m.region))
                    .collect();
                let instances: usize =
                    d.members
                        .first()
                        .and_then(|m| g.get(m))
                        .map_or(0, |m| match &m.kind {
                            NodeKind::DbCluster(c) => c.instances.len(),
                            _ => 0,
                        });
                let _ = writeln!(
                    o,
                    "| Aurora PostgreSQL {} global database `{}` | storage-level replication to {}; {} instances per region, one per availability zone in turn; AWS Backup | customer-managed key per region, TLS enforced (`rds.force_ssl=1`) | deletion protection: {}, retained: {} |",
                    d.engine_version,
                    n.name,
                    members.join(" → "),
                    instances,
                    yes(n.protection.deletion_protection),
                    yes(n.protection.retain)
                );
            }
            NodeKind::GlobalTable(t) => {
                let regions: Vec<&str> = t.replicas.iter().map(|r| r.region.as_str()).collect();
                let pitr = t.replicas.iter().all(|r| r.pitr);
                let _ = writeln!(
                    o,
                    "| DynamoDB global table `{}` | replicas in {}; PITR on every replica: {}; AWS Backup | customer-managed key per replica | deletion protection: {}, retained: {} |",
                    n.name,
                    regions.join(", "),
                    yes(pitr),
                    yes(n.protection.deletion_protection),
                    yes(n.protection.retain)
                );
            }
            NodeKind::Bucket(b) if b.log_sink => {}
            NodeKind::Bucket(b) => {
                let mech = match &b.replication {
                    Some(r) => {
                        let dest = g.get(&r.destination).map_or("?", |d| d.name.as_str());
                        format!(
                            "versioned; replicated to `{dest}`{}",
                            r.rtc.as_ref().map_or(String::new(), |m| format!(
                                " with Replication Time Control ({m} min)"
                            ))
                        )
                    }
                    None if b.object_lock.is_some() => {
                        "versioned; Object Lock (evidence)".to_string()
                    }
                    None => "versioned; replica".to_string(),
                };
                let mech = match &b.notify {
                    Some(nt) => format!(
                        "{mech}; event notifications ({}) to `{}`",
                        nt.events.join(", "),
                        g.get(&nt.topic).map_or("?", |t| t.name.as_str())
                    ),
                    None => mech,
                };
                let _ = writeln!(
                    o,
                    "| S3 bucket `{}` ({}) | {mech} | SSE-KMS (customer-managed key), TLS-only policy | public access blocked: {}, retained: {} |",
                    n.name,
                    n.region,
                    yes(b.block_public_access),
                    yes(n.protection.retain)
                );
            }
            NodeKind::Vault(v) => {
                let lock = match &v.lock {
                    Some(l) => format!(
                        "Vault Lock ({} mode, {}–{} days)",
                        if l.changeable_for_days.is_some() {
                            "compliance"
                        } else {
                            "governance"
                        },
                        l.min_retention_days,
                        l.max_retention_days
                    ),
                    None => "no Vault Lock".into(),
                };
                let _ = writeln!(
                    o,
                    "| Backup vault `{}` ({}) | {lock} | customer-managed key | retained: {} |",
                    n.name,
                    n.region,
                    yes(n.protection.retain)
                );
            }
            NodeKind::AirGappedVault(v) => {
                let _ = writeln!(
                    o,
                    "| Logically air-gapped vault `{}` ({}) | compliance-mode Vault Lock ({}–{} days), isolated copy | AWS owned key | retained: {} |",
                    n.name,
                    n.region,
                    v.min_retention_days,
                    v.max_retention_days,
                    yes(n.protection.retain)
                );
            }
            _ => {}
        }
    }
    for n in &g.nodes {
        if let NodeKind::BackupPlan(p) = &n.kind {
            let _ = writeln!(o, "\nBackup plan `{}` (in {}):\n", n.name, n.region);
            for r in &p.rules {
                let copy = match &r.copy {
                    Some(c) => format!(
                        ", copied to `{}` in {} (kept {} days)",
                        g.get(&c.vault).map_or("?", |v| v.name.as_str()),
                        g.get(&c.vault).map_or("?", |v| v.region.as_str()),
                        c.lifecycle.delete_after_days
                    ),
                    None => String::new(),
                };
                let _ = writeln!(
                    o,
                    "- rule `{}`: `{}` (UTC), kept {} days{}{copy}",
                    r.name,
                    r.schedule,
                    r.lifecycle.delete_after_days,
                    r.lifecycle
                        .cold_after_days
                        .as_ref()
                        .map_or(String::new(), |c| format!(", cold storage after {c} days"))
                );
            }
        }
    }
}
