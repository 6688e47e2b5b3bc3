//! The recovery point from backups, per region: what a restore after
//! corruption or a mass delete gets back, which replication cannot give (it
//! copies the damage to the secondary within seconds).
//!
//! * In the primary region, the best of: continuous backups (an AWS Backup rule
//!   with `continuous = true` on a store AWS Backup backs up continuously:
//!   Aurora and S3), Aurora's own automated backups (always continuous),
//!   DynamoDB point-in-time recovery (`pitr`), and the interval of the most
//!   frequent snapshot rule. Continuous backups and PITR count with the
//!   `std/timing` figure of how far the newest restorable time trails the
//!   present.
//! * In the secondary region, the best of: the copies (a cross-region copy of a
//!   continuous backup is a snapshot taken at the rule's frequency, so the copy
//!   interval plus the copy duration), and the PITR of the DynamoDB replica that
//!   lives there.

use super::{cadence, derived, node, pretty, sum, timing, Term};
use crate::checks::Store;
use crate::graph::{Graph, NodeKind, Role};
use crate::model::{Model, StoreKind};
use crate::source::Span;
use serde::Serialize;

/// The recovery point of one store's backups in one region.
#[derive(Debug, Clone, Serialize)]
pub struct BackupPoint {
    /// `primary`: restoring in place; `secondary`: restoring from the DR copies.
    pub side: &'static str,
    pub region: String,
    /// The mechanism giving the best point there, in words.
    pub mechanism: String,
    /// Seconds of data at risk; `None` when no backup reaches the region.
    pub recovery_point: Option<u64>,
    pub display: String,
    pub meets_rpo: bool,
    pub terms: Vec<Term>,
    /// The value to change to improve the figure (a rule's `every`, the store).
    #[serde(skip)]
    pub cause: Span,
}

/// Whether AWS Backup backs the store's resource type up continuously
/// (Aurora/RDS and S3; DynamoDB has its own PITR instead): "Supported services
/// for continuous backup" of the AWS Backup guide.
pub fn continuous_supported(kind: StoreKind) -> bool {
    matches!(kind, StoreKind::Aurora | StoreKind::Bucket)
}

struct Candidate {
    mechanism: String,
    terms: Vec<Term>,
    cause: Span,
}

fn best(
    side: &'static str,
    region: String,
    candidates: Vec<Candidate>,
    rpo: u64,
    none: &str,
    fallback: Span,
) -> BackupPoint {
    match candidates.into_iter().min_by_key(|c| sum(&c.terms)) {
        Some(c) => {
            let point = sum(&c.terms);
            BackupPoint {
                side,
                region,
                mechanism: c.mechanism,
                recovery_point: Some(point),
                display: pretty(point),
                meets_rpo: point <= rpo,
                terms: c.terms,
                cause: c.cause,
            }
        }
        None => BackupPoint {
            side,
            region,
            mechanism: none.to_string(),
            recovery_point: None,
            display: "none".into(),
            meets_rpo: false,
            terms: Vec::new(),
            cause: fallback,
        },
    }
}

/// The in-region and DR-region recovery points of `store`'s backups.
pub fn points(model: &Model, graph: &Graph, store: &Store, rpo: u64) -> Vec<BackupPoint> {
    let site = &model.site;
    let mut primary = Vec::new();
    let mut secondary = Vec::new();
    // The table's own PITR, per replica.
    if store.kind == StoreKind::Table {
        let table = node(graph, &["table", store.name, "primary"], |k| match k {
            NodeKind::GlobalTable(t) => Some(t),
            _ => None,
        });
        for r in table.iter().flat_map(|t| &t.replicas).filter(|r| r.pitr) {
            let c = Candidate {
                mechanism: format!("point-in-time recovery of the replica in {}", r.region),
                terms: vec![timing(
                    model,
                    "point-in-time recovery",
                    "dynamodb_pitr_recovery_point",
                )],
                cause: store.span,
            };
            match r.side {
                Role::Primary => primary.push(c),
                Role::Secondary => secondary.push(c),
            }
        }
    }
    // Aurora's automated backups are continuous (1 to 35 days of retention, never off).
    if store.kind == StoreKind::Aurora {
        primary.push(Candidate {
            mechanism: "Aurora automated backups (continuous, point-in-time restore)".into(),
            terms: vec![timing(
                model,
                "continuous backup",
                "backup_continuous_recovery_point",
            )],
            cause: store.span,
        });
    }
    // The AWS Backup rules covering the store, as the plan emits them.
    for p in model
        .backups
        .iter()
        .filter(|p| p.covers.iter().any(|c| c.name == store.name))
    {
        let Some(plan) = node(graph, &["backup", &p.name, "primary"], |k| match k {
            NodeKind::BackupPlan(plan) => Some(plan),
            _ => None,
        }) else {
            continue;
        };
        for (emitted, rule) in plan.rules.iter().zip(&p.rules) {
            let every = &emitted.interval_secs;
            let interval = derived(
                "backup interval",
                format!("rule `{}` every {}", rule.name, pretty(**every)),
                **every,
                &["every"],
                &[&every.from],
            );
            if emitted.continuous && continuous_supported(store.kind) {
                primary.push(Candidate {
                    mechanism: format!("continuous backups (rule `{}`)", rule.name),
                    terms: vec![timing(
                        model,
                        "continuous backup",
                        "backup_continuous_recovery_point",
                    )],
                    cause: rule.continuous.span,
                });
            } else {
                primary.push(Candidate {
                    mechanism: format!("{} snapshots (rule `{}`)", cadence(**every), rule.name),
                    terms: vec![interval.clone()],
                    cause: rule.every.span,
                });
            }
            if emitted.copy.is_some() {
                let what = if emitted.continuous && continuous_supported(store.kind) {
                    "snapshot copies of the continuous backups"
                } else {
                    "copies"
                };
                secondary.push(Candidate {
                    mechanism: format!(
                        "{} {what} (rule `{}`) in {}",
                        cadence(**every),
                        rule.name,
                        site.secondary.value
                    ),
                    terms: vec![
                        interval,
                        timing(model, "copy to the secondary", "backup_copy_duration"),
                    ],
                    cause: rule.every.span,
                });
            }
        }
    }
    vec![
        best(
            "primary",
            site.primary.value.clone(),
            primary,
            rpo,
            "no backups",
            store.span,
        ),
        best(
            "secondary",
            site.secondary.value.clone(),
            secondary,
            rpo,
            "no backups reach the secondary",
            store.span,
        ),
    ]
}
