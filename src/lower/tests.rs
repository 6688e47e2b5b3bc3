//! Lowering tests on the reference site.

use super::*;
use crate::graph::{NodeKind, Resources};
use crate::source::SourceDb;
use std::path::Path;

/// The reference site, lowered.
pub(crate) fn reference() -> Graph {
    let mut db = SourceDb::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
    let outcome = crate::driver::check_path(&mut db, &path);
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    outcome.graph.expect("the reference site lowers")
}

#[test]
fn node_ids_are_unique() {
    let g = reference();
    let mut ids: Vec<_> = g.nodes.iter().map(|n| &n.id).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

#[test]
fn every_reference_points_at_a_node() {
    let g = reference();
    for n in &g.nodes {
        for d in n.kind.depends_on() {
            assert!(g.get(&d).is_some(), "{} → {d}", n.id);
        }
    }
}

#[test]
fn every_node_has_environment_and_dr_role_tags() {
    let g = reference();
    for n in &g.nodes {
        assert_eq!(
            n.tags.get("Environment").map(String::as_str),
            Some("Production")
        );
        assert!(n.tags.contains_key("DR-Role"), "{}", n.id);
        assert_eq!(
            n.tags.get("Owner").map(String::as_str),
            Some("platform-sre")
        );
    }
}

#[test]
fn role_policies_have_no_wildcard_actions_and_star_only_for_catalog_actions() {
    let g = reference();
    let catalog = {
        let mut db = SourceDb::new();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
        crate::driver::check_path(&mut db, &path)
            .model
            .unwrap()
            .catalog
    };
    for n in &g.nodes {
        if let NodeKind::Role(r) = &n.kind {
            for s in &r.statements {
                for a in &s.actions {
                    assert!(!a.contains('*'), "{}: {a}", n.id);
                }
                if s.resources == Resources::All {
                    for a in &s.actions {
                        assert!(catalog.is_wildcard_action(a), "{}: {a} on *", n.id);
                    }
                }
            }
        }
    }
}

#[test]
fn names_follow_the_checker_scheme() {
    let g = reference();
    let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
    for expected in [
        "ledger-aurora-production-txn01",
        "ledger-aurora-production-txn01-use1",
        "transaction-meta-table-production-txn01",
        "documents-bucket-production-txn01-usw2",
        "ingest-function-production-txn01",
        "ingest-function-production-txn01-use1",
        "starter-function-production-txn01",
        "failover-plan-production-txn01",
        "region-switch-reports-bucket-production-txn01-usw2",
        "dr-vault-production-txn01",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:#?}"
        );
    }
}

#[test]
fn an_interval_aws_backup_cannot_schedule_is_an_internal_error_not_an_approximation() {
    // `drsc check` rejects such intervals (DRS0288) before `build` emits anything;
    // lowering still refuses rather than emitting a different schedule.
    let mut db = SourceDb::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
    let outcome = crate::driver::check_path(&mut db, &path);
    let mut model = outcome.model.expect("model");
    model.backups[0].rules[0].every.value = crate::units::Duration::seconds(5 * 3_600);
    let diags = lower(&model).ok().expect_err("5h cannot be scheduled");
    let d = diags
        .iter()
        .find(|d| d.code == &crate::registry::INTERNAL)
        .expect("DRS0903");
    assert!(
        d.message.contains("no AWS Backup schedule"),
        "{}",
        d.message
    );
}

#[test]
fn a_retention_that_is_not_whole_days_is_reported_not_rounded() {
    let mut db = SourceDb::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
    let outcome = crate::driver::check_path(&mut db, &path);
    let mut model = outcome.model.expect("model");
    model.backups[0].rules[0].retain.value = crate::units::Duration::seconds(36 * 3_600);
    let diags = lower(&model).ok().expect_err("36h is not whole days");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code.code, "DRS0910");
    assert_eq!(diags[0].span(), Some(model.backups[0].rules[0].retain.span));
    assert_eq!(diags[0].help.as_deref(), Some("write `1d` or `2d`"));
}
