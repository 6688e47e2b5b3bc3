//! The compliance rules end to end: every rule has a failing and a passing
//! fixture, the objectives estimate of the reference site, suppressions through
//! the driver, and `drsc check`'s parallel, ordered output with its objectives
//! summary.

use drsc::diagnostic::Diagnostic;
use drsc::driver::{self, CheckOptions};
use drsc::objectives::{self, report, Certainty};
use drsc::source::SourceDb;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Checks `text` in memory as `name` (a path relative to the package root).
fn check_text(name: &str, text: &str, options: CheckOptions) -> (SourceDb, Vec<Diagnostic>) {
    let mut db = SourceDb::new();
    let id = db.add(name, Some(root().join(name)), text.to_string());
    let dir = root()
        .join(name)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let outcome = driver::check_file_with(&mut db, id, &dir, options);
    (db, outcome.diagnostics)
}

/// `(code, line)` of every diagnostic.
fn codes_and_lines(db: &SourceDb, diags: &[Diagnostic]) -> Vec<(&'static str, usize)> {
    diags
        .iter()
        .map(|d| {
            let line = d
                .span()
                .map_or(0, |s| db.get(s.file).human_position(s.start as usize).0);
            (d.code.code, line)
        })
        .collect()
}

fn fixtures(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/fixtures").join(dir))
        .expect("fixture directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let bad = fixtures("bad");
    let good = fixtures("good");
    let mut missing = Vec::new();
    for c in drsc::checks::ALL {
        let prefix = format!("{}_", c.code);
        if !bad.iter().any(|f| f.starts_with(&prefix)) {
            missing.push(format!("{}: no tests/fixtures/bad/{prefix}*.drs", c.code));
        }
        if !good.iter().any(|f| f.starts_with(&prefix)) {
            missing.push(format!("{}: no tests/fixtures/good/{prefix}*.drs", c.code));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn objectives_of_the_reference_site() {
    let mut db = SourceDb::new();
    let outcome = driver::check_path(&mut db, Path::new("specs/transactions.drs"));
    assert!(outcome.diagnostics.is_empty());
    let model = outcome.model.expect("the reference site builds a model");
    let graph = outcome.graph.expect("the reference site lowers");
    let o = objectives::estimate(&model, &graph);

    let stores: Vec<_> = o
        .stores
        .iter()
        .map(|s| (s.store.as_str(), s.recovery_point, s.meets_rpo))
        .collect();
    assert_eq!(
        stores,
        [
            ("ledger", Some(1), true),
            ("transaction_meta", Some(5), true),
            ("documents", Some(900), true),
        ]
    );
    let rt = &o.recovery_time;
    assert_eq!(rt.estimate, Some(841), "{rt:#?}");
    assert!(rt.meets_rto);
    let terms: Vec<_> = rt
        .terms
        .iter()
        .map(|t| (t.name.as_str(), t.value, t.certainty))
        .collect();
    assert_eq!(
        terms,
        [
            ("detection", 180, Certainty::Exact),
            ("alarm evaluation", 60, Certainty::Typical),
            ("schedule jitter", 60, Certainty::Typical),
            ("cold start", 1, Certainty::Typical),
            ("Region switch execution", 120, Certainty::Unknown),
            ("promotion", 300, Certainty::Typical),
            ("DNS propagation", 60, Certainty::Typical),
            ("DNS TTL", 60, Certainty::Unknown),
        ]
    );

    // JSON: every term has its source and its resolved location.
    let v = report::to_json(&o, &db);
    let detection = &v["recovery_time"]["terms"][0];
    assert_eq!(detection["unit"], "s");
    assert_eq!(detection["source"]["kind"], "declaration");
    assert_eq!(
        detection["source"]["attributes"],
        serde_json::json!(["probe_every", "alarm_after"])
    );
    let loc = &detection["source"]["locations"][0];
    assert_eq!(loc["file"], "specs/transactions.drs");
    let promotion = &v["recovery_time"]["terms"][5]["source"];
    assert_eq!(promotion["kind"], "timing");
    assert_eq!(promotion["key"], "aurora_global_failover");
    assert_eq!(promotion["locations"][0]["file"], "std/timing");

    // The human summary names every term with its source.
    let table = report::render_to_string(&o, &db);
    for needle in [
        "recovery point (RPO 1h)",
        "recovery time (RTO 4h)",
        "14m 1s",
        "region_switch_orchestration (std/timing:",
        "aurora_global_failover (std/timing:",
        "probe_every 1m × alarm_after 3 (specs/transactions.drs:",
        "route53_alias_ttl (std/timing:",
    ] {
        assert!(table.contains(needle), "`{needle}` not in\n{table}");
    }
}

const UNREPLICATED: &str = r#"
site "fixture" {
  primary     = us-east-1
  secondary   = us-west-2
  rpo         = 4h
  rto         = 4h
  environment = staging
  suffix      = "fx01"
}

key "data" {}

bucket "documents" {
  ALLOW
  key         = data
  replication = none
  backup      = true
}

backup "dr" {
  covers = [documents]

  rule "hourly" {
    every  = 1h
    retain = 35d
  }
}
"#;

fn unreplicated(allow: &str) -> String {
    UNREPLICATED.replace("ALLOW", allow)
}

#[test]
fn an_allow_silences_its_code_inside_its_block() {
    let name = "tests/fixtures/suppress.drs";
    let (db, diags) = check_text(name, &unreplicated(""), CheckOptions::default());
    assert_eq!(codes_and_lines(&db, &diags), [("DRS0232", 16)]);

    let text = unreplicated("allow DRS0232 \"re-created from the source system\"");
    let (db, diags) = check_text(name, &text, CheckOptions::default());
    assert_eq!(codes_and_lines(&db, &diags), []);

    // --no-suppressions: the finding is back and the allow is not reported.
    let ignore = CheckOptions {
        honour_suppressions: false,
    };
    let (db, diags) = check_text(name, &text, ignore);
    assert_eq!(codes_and_lines(&db, &diags), [("DRS0232", 16)]);
}

#[test]
fn an_allow_outside_the_scope_is_unused() {
    // In the key block, the allow does not reach the bucket: the finding stays, the
    // allow is reported unused.
    let text = unreplicated("").replace(
        "key \"data\" {}",
        "key \"data\" {\n  allow DRS0232 \"wrong block\"\n}",
    );
    let (db, diags) = check_text(
        "tests/fixtures/suppress.drs",
        &text,
        CheckOptions::default(),
    );
    assert_eq!(
        codes_and_lines(&db, &diags),
        [("DRS0044", 12), ("DRS0232", 18)]
    );
}

#[test]
fn a_profile_can_forbid_an_exception() {
    let text = format!(
        "profile \"strict\" {{\n  unsuppressible = [DRS0232]\n}}\n{}",
        unreplicated("allow DRS0232 \"re-created from the source system\"")
            .replace("  rpo ", "  profile     = strict\n  rpo ")
    );
    let (db, diags) = check_text(
        "tests/fixtures/suppress.drs",
        &text,
        CheckOptions::default(),
    );
    assert_eq!(
        codes_and_lines(&db, &diags),
        [("DRS0490", 18), ("DRS0232", 20)]
    );
}

// ---------------------------------------------------------------------------
// drsc check
// ---------------------------------------------------------------------------

fn drsc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_drsc"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run drsc")
}

fn bad(name: &str) -> String {
    format!("tests/fixtures/bad/{name}.drs")
}

#[test]
fn check_reports_many_files_in_argument_order() {
    let files: Vec<String> = [
        "DRS0300_overlapping_cidrs",
        "DRS0201_same_region_pair",
        "DRS0240_rotation_off_under_finserv",
        "DRS0212_single_instance",
        "DRS0320_ttl_5m",
        "DRS0200_unknown_region",
    ]
    .iter()
    .map(|n| bad(n))
    .collect();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    for _ in 0..3 {
        let o = drsc(&args);
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        let positions: Vec<usize> = files
            .iter()
            .map(|f| {
                err.find(&format!("┌─ {f}:"))
                    .unwrap_or_else(|| panic!("{f} not in\n{err}"))
            })
            .collect();
        let mut sorted = positions.clone();
        sorted.sort();
        assert_eq!(positions, sorted, "not in argument order:\n{err}");
        assert!(
            err.ends_with("checked 6 files: 5 errors, 2 warnings\n"),
            "{err}"
        );
        // One summary per site, in the same order.
        assert_eq!(
            err.matches("objectives of site `fixture`").count(),
            6,
            "{err}"
        );
    }
}

#[test]
fn json_adds_one_objectives_line_per_site() {
    let file = bad("DRS0400_standard_replication");
    let o = drsc(&["check", "--format", "json", &file, "specs/transactions.drs"]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let kinds: Vec<&str> = lines
        .iter()
        .map(|v| {
            if v.get("objectives").is_some() {
                "objectives"
            } else {
                v["code"].as_str().unwrap_or("?")
            }
        })
        .collect();
    assert_eq!(kinds, ["DRS0400", "objectives", "objectives"]);
    let fixture = &lines[1]["objectives"];
    assert_eq!(fixture["site"], "fixture");
    assert_eq!(fixture["stores"][0]["store"], "documents");
    assert_eq!(fixture["stores"][0]["meets_rpo"], false);
    assert_eq!(fixture["stores"][0]["shortfall"], 23 * 3600);
    let reference = &lines[2]["objectives"];
    assert_eq!(reference["site"], "transactions");
    // Region switch: 781s of the Lambda engine - 60s orchestration + 120s execution.
    assert_eq!(reference["recovery_time"]["estimate"], 841);
}

#[test]
fn no_suppressions_flag_brings_findings_back() {
    let file: PathBuf = [
        "tests",
        "fixtures",
        "good",
        "DRS0490_suppressible_allow.drs",
    ]
    .iter()
    .collect();
    let file = file.to_string_lossy().into_owned();
    let o = drsc(&["check", &file]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = drsc(&["check", "--no-suppressions", &file]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[DRS0232]"), "{err}");
    assert!(!err.contains("DRS0044"), "{err}");
}
