//! Issue 13 item 5: the evidence report (`drsc evidence`). Its JSON validates
//! against `specs/evidence.schema.json` for every site, every resource it
//! names exists in both backends' output under that name, a control or
//! resource removed from the graph shows as a gap, and the CLI exits 1 on
//! gaps and on a site with errors.

mod support;

use drsc::evidence::{self, Evidence};
use drsc::graph::{Graph, NodeKind};
use drsc::objectives;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use support::*;

fn report_of(path: &Path, mutate: impl FnOnce(&mut Graph)) -> Evidence {
    let m = model(path);
    let mut g = graph(path);
    mutate(&mut g);
    let o = objectives::estimate(&m, &g);
    evidence::build(&m, &g, &o)
}

fn report(path: &Path) -> Evidence {
    report_of(path, |_| {})
}

fn schema() -> jsonschema::JSONSchema {
    let text = std::fs::read_to_string(root().join("specs/evidence.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::JSONSchema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .compile(&schema)
        .expect("the schema compiles")
}

fn assert_valid(doc: &Value) {
    let s = schema();
    let errors: Vec<String> = match s.validate(doc) {
        Ok(()) => return,
        Err(errors) => errors
            .map(|e| format!("  at {}: {e}", e.instance_path))
            .collect(),
    };
    panic!(
        "the evidence JSON does not validate:\n{}",
        errors.join("\n")
    );
}

/// Every (template, logical id) of the CloudFormation build.
fn cfn_names(path: &Path) -> BTreeSet<(String, String)> {
    let b = build(path);
    b.all()
        .into_iter()
        .map(|(f, l, _)| (f.to_string(), l.to_string()))
        .collect()
}

/// Every resource address of the Terraform build.
fn tf_addresses(path: &Path) -> BTreeSet<String> {
    support::tf_resources(&emit_tf(&graph(path)))
        .into_keys()
        .map(|(ty, name)| format!("{ty}.{name}"))
        .collect()
}

#[test]
fn every_sites_json_validates_against_the_schema() {
    for site in sites() {
        let doc = evidence::to_json(&report(&site));
        assert_valid(&doc);
    }
}

#[test]
fn the_schema_rejects_a_gap_without_its_missing_list_and_an_unknown_kind() {
    let mut doc = evidence::to_json(&report(&reference_path()));
    doc["rows"][0]["status"] = "gap".into();
    assert!(!schema().is_valid(&doc));
    let mut doc = evidence::to_json(&report(&reference_path()));
    doc["rows"][0]["kind"] = "vibes".into();
    assert!(!schema().is_valid(&doc));
}

#[test]
fn every_named_resource_exists_in_both_backends() {
    for site in sites() {
        let e = report(&site);
        let cfn = cfn_names(&site);
        let tf = tf_addresses(&site);
        let mut named = 0;
        for r in &e.rows {
            for x in r.controls.iter().chain(&r.mechanisms).chain(&r.reports) {
                let key = (
                    x.cloudformation.template.clone(),
                    x.cloudformation.logical_id.clone(),
                );
                assert!(
                    cfn.contains(&key),
                    "{}: row {} names {key:?}, not in the CloudFormation build",
                    site.display(),
                    r.id
                );
                assert!(
                    tf.contains(&x.terraform),
                    "{}: row {} names {}, not in the Terraform build",
                    site.display(),
                    r.id,
                    x.terraform
                );
                named += 1;
            }
        }
        assert!(named > 0, "{}", site.display());
    }
}

#[test]
fn the_reference_site_is_fully_evidenced() {
    let e = report(&reference_path());
    assert_eq!(
        e.gaps,
        0,
        "{:#?}",
        e.rows
            .iter()
            .filter(|r| r.status == "gap")
            .collect::<Vec<_>>()
    );
    let kinds: BTreeSet<&str> = e.rows.iter().map(|r| r.kind).collect();
    for k in [
        "rpo",
        "rto",
        "backup_coverage",
        "backup_frequency",
        "backup_retention",
        "vault_lock",
        "encryption",
        "cross_region",
        "manual_deletion",
        "isolated_copy",
        "restore_testing",
        "drill",
        "region_loss",
    ] {
        assert!(kinds.contains(k), "no {k} row");
    }
    // One RPO row per store, each with the recovery-point age control in both regions.
    let m = model(&reference_path());
    let stores = m.databases.len() + m.tables.len() + m.buckets.len();
    let rpo: Vec<_> = e.rows.iter().filter(|r| r.kind == "rpo").collect();
    assert_eq!(rpo.len(), stores);
    for r in &rpo {
        assert_eq!(r.controls.len(), 2, "{}", r.id);
        assert!(r
            .controls
            .iter()
            .all(|c| c.what == "BACKUP_LAST_RECOVERY_POINT_CREATED"));
        assert!(r
            .reports
            .iter()
            .all(|c| c.what == "CONTROL_COMPLIANCE_REPORT"));
        assert!(r.paper.is_some());
    }
    // The RTO row: the restore-time control, the Region switch plan, the
    // restore testing plan, the validation function, the drill.
    let rto = e.rows.iter().find(|r| r.kind == "rto").unwrap();
    let what: BTreeSet<&str> = rto.mechanisms.iter().map(|m| m.what.as_str()).collect();
    for w in [
        "region_switch_plan",
        "restore_testing_plan",
        "function",
        "drill_template",
    ] {
        assert!(what.contains(w), "{what:?}");
    }
    assert_eq!(
        rto.reports
            .iter()
            .filter(|r| r.what == "RESTORE_JOB_REPORT")
            .count(),
        2
    );
    assert!(rto
        .reports
        .iter()
        .any(|r| r.what.starts_with("Region switch execution reports")));
    let plan = rto
        .mechanisms
        .iter()
        .find(|m| m.what == "region_switch_plan")
        .unwrap();
    assert_eq!(plan.parameters["RecoveryTimeObjectiveMinutes"], "240");
    // Every row serves at least one clause; the clauses are std/regulations'.
    let clauses: BTreeSet<&str> = e.clauses.iter().map(|c| c.clause.as_str()).collect();
    for c in [
        "DORA Art. 11",
        "DORA Art. 12",
        "NIST SP 800-53 CP-4",
        "NIST SP 800-53 CP-9",
        "NIST SP 800-53 CP-10",
    ] {
        assert!(clauses.contains(c), "{clauses:?}");
    }
    for r in &e.rows {
        assert!(!r.clauses.is_empty(), "{}", r.id);
        assert!(r.clauses.iter().all(|c| clauses.contains(c.as_str())));
    }
    // The control count per region is the frameworks'.
    let g = graph(&reference_path());
    for s in &e.regions {
        let n: usize = g
            .nodes
            .iter()
            .filter(|n| n.region == s.region)
            .filter_map(|n| match &n.kind {
                NodeKind::BackupFramework(f) => Some(f.controls.len()),
                _ => None,
            })
            .sum();
        assert_eq!(s.controls, n);
        assert!(n > 0);
    }
}

fn gap_ids(e: &Evidence) -> BTreeMap<&str, Vec<String>> {
    e.rows
        .iter()
        .filter(|r| r.status == "gap")
        .map(|r| (r.id.as_str(), r.missing.clone()))
        .collect()
}

#[test]
fn removing_the_frameworks_shows_every_control_row_as_a_gap() {
    let e = report_of(&reference_path(), |g| {
        g.nodes
            .retain(|n| !matches!(n.kind, NodeKind::BackupFramework(_)))
    });
    let gaps = gap_ids(&e);
    for id in [
        "rpo/ledger",
        "rto",
        "backup_frequency",
        "encryption",
        "vault_lock",
    ] {
        let missing = gaps.get(id).unwrap_or_else(|| panic!("{id}: {gaps:#?}"));
        assert!(
            missing
                .iter()
                .any(|m| m.contains("no Audit Manager framework in us-east-1")),
            "{missing:?}"
        );
    }
    assert!(!gaps.contains_key("drill"));
    assert_eq!(e.gaps, gaps.len());
    assert!(evidence::to_markdown(&e).contains("**Gap.**"));
    assert_valid(&evidence::to_json(&e));
}

#[test]
fn removing_one_control_shows_its_row_as_a_gap() {
    let e = report_of(&reference_path(), |g| {
        for n in &mut g.nodes {
            if let NodeKind::BackupFramework(f) = &mut n.kind {
                if n.region == "us-west-2" {
                    f.controls
                        .retain(|c| c.name != "BACKUP_RECOVERY_POINT_ENCRYPTED");
                }
            }
        }
    });
    let gaps = gap_ids(&e);
    assert_eq!(
        gaps.keys().copied().collect::<Vec<_>>(),
        vec!["encryption"],
        "{gaps:#?}"
    );
    assert_eq!(
        gaps["encryption"],
        vec!["control `BACKUP_RECOVERY_POINT_ENCRYPTED` in us-west-2".to_string()]
    );
}

#[test]
fn removing_the_restore_testing_plan_or_the_drill_shows_the_gap() {
    let e = report_of(&reference_path(), |g| {
        g.nodes
            .retain(|n| !matches!(n.kind, NodeKind::RestoreTestingPlan(_)))
    });
    let gaps = gap_ids(&e);
    assert_eq!(
        gaps["restore_testing"],
        vec!["a restore testing plan".to_string()]
    );
    assert_eq!(gaps["rto"], vec!["a restore testing plan".to_string()]);
    let e = report_of(&reference_path(), |g| {
        g.nodes
            .retain(|n| !matches!(n.kind, NodeKind::DrillTemplate(_)))
    });
    let gaps = gap_ids(&e);
    assert_eq!(gaps.keys().copied().collect::<Vec<_>>(), vec!["drill"]);
}

#[test]
fn a_site_without_drill_lock_or_isolated_copy_reports_those_gaps() {
    let e = report(&minimal_path());
    let gaps = gap_ids(&e);
    assert!(gaps.contains_key("drill"), "{gaps:#?}");
    assert!(gaps.contains_key("isolated_copy"), "{gaps:#?}");
}

#[test]
fn the_report_says_what_stays_outside_drsc() {
    let md = evidence::to_markdown(&report(&reference_path()));
    assert!(md.contains("## What stays outside drsc"));
    assert!(md.contains("Board and senior management review of test results"));
}

#[test]
fn snapshot_markdown() {
    insta::assert_snapshot!(evidence::to_markdown(&report(&reference_path())));
}

#[test]
fn snapshot_json() {
    let doc = evidence::to_json(&report(&reference_path()));
    insta::assert_snapshot!(serde_json::to_string_pretty(&doc).unwrap());
}

// ---------------------------------------------------------------------------
// The CLI
// ---------------------------------------------------------------------------

fn run(args: &[&str]) -> std::process::Output {
    drsc()
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run drsc")
}

#[test]
fn cli_markdown_and_json_of_the_reference_site() {
    let o = run(&["evidence", "specs/transactions.drs"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let md = String::from_utf8(o.stdout).unwrap();
    assert_eq!(md, evidence::to_markdown(&report(&reference_path())));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evidence.json");
    let o = run(&[
        "evidence",
        "--format",
        "json",
        "-o",
        file.to_str().unwrap(),
        "specs/transactions.drs",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_valid(&doc);
    assert_eq!(doc["gaps"], 0);
}

#[test]
fn cli_exits_1_with_gaps_and_still_writes_the_report() {
    let o = run(&["evidence", "--format", "json", "specs/minimal.drs"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_valid(&doc);
    assert!(doc["gaps"].as_u64().unwrap() > 0);
    assert!(String::from_utf8_lossy(&o.stderr).contains("gap"));
}

#[test]
fn cli_refuses_a_site_with_errors() {
    let o = run(&[
        "evidence",
        "tests/fixtures/bad/DRS0031_unknown_attribute.drs",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("DRS0031"), "{err}");
    assert!(err.contains("evidence refused"), "{err}");
    let o = run(&["evidence", "tests/fixtures/no-such-file.drs"]);
    assert_eq!(o.status.code(), Some(2));
}
