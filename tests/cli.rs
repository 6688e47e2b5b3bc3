//! Integration tests of the `drsc` binary: exit statuses, output formats,
//! colour, and the `explain` / `rules` / `--version` commands.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "specs/transactions.drs";
const GOOD: &str = "tests/fixtures/good/minimal.drs";
const UNKNOWN_ATTRIBUTE: &str = "tests/fixtures/bad/DRS0031_unknown_attribute.drs";
const DUPLICATE_ATTRIBUTE: &str = "tests/fixtures/bad/DRS0032_duplicate_attribute.drs";
const MISSING: &str = "tests/fixtures/no-such-file.drs";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the package root with a clean colour environment and
/// stdin closed, as CI runs it.
fn drsc(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drsc"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RUST_BACKTRACE")
        .stdin(std::process::Stdio::null());
    cmd
}

fn run(args: &[&str]) -> Output {
    drsc(args).output().expect("run drsc")
}

fn status(o: &Output) -> i32 {
    o.status.code().expect("drsc exited by a signal")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn show(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

// ---------------------------------------------------------------------------
// check: exit statuses
// ---------------------------------------------------------------------------

#[test]
fn check_the_reference_spec_is_clean() {
    let o = run(&["check", SPEC]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    assert!(
        stderr(&o).contains("checked 1 file: 0 errors, 0 warnings"),
        "{}",
        show(&o)
    );
}

#[test]
fn check_a_bad_fixture_exits_1_and_names_the_code() {
    let o = run(&["check", UNKNOWN_ATTRIBUTE]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    let err = stderr(&o);
    assert!(err.contains("error[DRS0031]"), "{}", show(&o));
    assert!(err.contains("did you mean `pitr`?"), "{}", show(&o));
    assert!(
        err.contains(&format!("{UNKNOWN_ATTRIBUTE}:12:3")),
        "{}",
        show(&o)
    );
}

#[test]
fn check_a_missing_file_exits_2() {
    let o = run(&["check", MISSING]);
    assert_eq!(status(&o), 2, "{}", show(&o));
    let err = stderr(&o);
    assert!(err.contains("error[DRS0001]"), "{}", show(&o));
    assert!(err.contains(MISSING), "{}", show(&o));
}

#[test]
fn check_many_files_reports_all_and_exits_with_the_worst_status() {
    // Clean and bad: 1.
    let o = run(&["check", SPEC, UNKNOWN_ATTRIBUTE, DUPLICATE_ATTRIBUTE]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    let err = stderr(&o);
    assert!(err.contains("error[DRS0031]"), "{}", show(&o));
    assert!(err.contains("error[DRS0032]"), "{}", show(&o));
    assert!(
        err.contains("checked 3 files: 2 errors, 0 warnings"),
        "{}",
        show(&o)
    );

    // A missing file among them, in any position: 2, and the others are still reported.
    for files in [
        [MISSING, UNKNOWN_ATTRIBUTE, GOOD],
        [GOOD, UNKNOWN_ATTRIBUTE, MISSING],
    ] {
        let mut args = vec!["check"];
        args.extend(files);
        let o = run(&args);
        assert_eq!(status(&o), 2, "{}", show(&o));
        let err = stderr(&o);
        assert!(err.contains("error[DRS0001]"), "{}", show(&o));
        assert!(err.contains("error[DRS0031]"), "{}", show(&o));
        assert!(err.contains("checked 3 files"), "{}", show(&o));
    }
}

#[test]
fn check_without_files_is_a_usage_error() {
    let o = run(&["check"]);
    assert_eq!(status(&o), 2, "{}", show(&o));
    let o = run(&["frobnicate"]);
    assert_eq!(status(&o), 2, "{}", show(&o));
    let o = run(&["check", "--format", "xml", GOOD]);
    assert_eq!(status(&o), 2, "{}", show(&o));
}

#[test]
fn help_exits_0() {
    let o = run(&["--help"]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains("check"), "{}", show(&o));
}

// ---------------------------------------------------------------------------
// check --deny warnings
// ---------------------------------------------------------------------------

const UNUSED_SUPPRESSION: &str = "tests/fixtures/bad/DRS0044_unused_suppression.drs";

/// A warning alone exits 0; `--deny warnings` makes it an error and exits 1.
#[test]
fn deny_warnings_turns_warnings_into_failures() {
    let o = run(&["check", UNUSED_SUPPRESSION]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    assert!(stderr(&o).contains("warning[DRS0044]"), "{}", show(&o));
    assert!(
        stderr(&o).contains("checked 1 file: 0 errors, 1 warning"),
        "{}",
        show(&o)
    );

    let o = run(&["check", "--deny", "warnings", UNUSED_SUPPRESSION]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    assert!(stderr(&o).contains("error[DRS0044]"), "{}", show(&o));
    assert!(
        stderr(&o).contains("checked 1 file: 1 error, 0 warnings"),
        "{}",
        show(&o)
    );

    let o = run(&[
        "check",
        "--deny",
        "warnings",
        "--format",
        "json",
        UNUSED_SUPPRESSION,
    ]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    let diags = json_diagnostics(&o);
    assert_eq!(diags.len(), 1, "{}", show(&o));
    assert_eq!(diags[0]["code"], "DRS0044");
    assert_eq!(diags[0]["severity"], "error");
}

/// `--deny warnings` leaves clean files and errors as they are; other levels
/// are usage errors.
#[test]
fn deny_warnings_keeps_errors_and_clean_files() {
    let o = run(&["check", "--deny", "warnings", SPEC]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    let o = run(&["check", "--deny", "warnings", UNKNOWN_ATTRIBUTE]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    let o = run(&["check", "--deny", "everything", SPEC]);
    assert_eq!(status(&o), 2, "{}", show(&o));
}

// ---------------------------------------------------------------------------
// check --format json
// ---------------------------------------------------------------------------

/// Every line of stdout as a JSON object.
fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| {
            let v = serde_json::from_str::<Value>(l)
                .unwrap_or_else(|e| panic!("not one JSON value per line ({e}): {l}"));
            assert!(v.is_object(), "not a JSON object: {l}");
            v
        })
        .collect()
}

/// The diagnostic records among the JSON lines (the others are per-site
/// `{"objectives": ...}` records).
fn json_diagnostics(o: &Output) -> Vec<Value> {
    json_lines(o)
        .into_iter()
        .filter(|v| {
            assert!(
                v.get("code").is_some() || v.get("objectives").is_some(),
                "neither a diagnostic nor an objectives record: {v}"
            );
            v.get("code").is_some()
        })
        .collect()
}

#[test]
fn json_prints_one_object_per_diagnostic() {
    let o = run(&[
        "check",
        "--format",
        "json",
        UNKNOWN_ATTRIBUTE,
        DUPLICATE_ATTRIBUTE,
        SPEC,
    ]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    let lines = json_diagnostics(&o);
    assert_eq!(lines.len(), 2, "{}", show(&o));
    for v in &lines {
        assert!(v.is_object(), "{v}");
        for key in [
            "file", "start", "end", "code", "severity", "message", "labels",
        ] {
            assert!(v.get(key).is_some(), "no `{key}` in {v}");
        }
        assert_eq!(v["severity"], "error", "{v}");
        for pos in ["start", "end"] {
            assert!(v[pos]["line"].as_u64().is_some_and(|n| n >= 1), "{v}");
            assert!(v[pos]["column"].as_u64().is_some_and(|n| n >= 1), "{v}");
        }
    }

    let unknown = &lines[0];
    assert_eq!(unknown["code"], "DRS0031");
    assert_eq!(unknown["file"], UNKNOWN_ATTRIBUTE);
    assert_eq!(unknown["start"]["line"], 12);
    assert_eq!(unknown["start"]["column"], 3);
    assert_eq!(unknown["end"]["column"], 15, "spans `pitr_enabled`");
    assert_eq!(unknown["help"], "did you mean `pitr`?");

    // The secondary label ("first set here") with its own position.
    let dup = &lines[1];
    assert_eq!(dup["code"], "DRS0032");
    assert_eq!(dup["start"]["line"], 8);
    let labels = dup["labels"].as_array().expect("labels is an array");
    assert_eq!(labels.len(), 1, "{dup}");
    assert_eq!(labels[0]["file"], DUPLICATE_ATTRIBUTE);
    assert_eq!(labels[0]["start"]["line"], 4);
    assert_eq!(labels[0]["message"], "first set here");
}

#[test]
fn json_reports_a_missing_file_without_a_position() {
    let o = run(&["check", "--format", "json", MISSING]);
    assert_eq!(status(&o), 2, "{}", show(&o));
    let lines = json_diagnostics(&o);
    assert_eq!(lines.len(), 1, "{}", show(&o));
    assert_eq!(lines[0]["code"], "DRS0001");
    assert_eq!(lines[0]["file"], Value::Null);
    assert_eq!(lines[0]["severity"], "error");
}

#[test]
fn json_prints_no_diagnostic_for_a_clean_site() {
    let o = run(&["check", "--format", "json", SPEC]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    assert_eq!(json_diagnostics(&o), Vec::<Value>::new(), "{}", show(&o));
}

// ---------------------------------------------------------------------------
// check --format sarif
// ---------------------------------------------------------------------------

fn sarif_schema_path() -> PathBuf {
    root().join("../shared/sarif/sarif-schema-2.1.0.json")
}

fn assert_valid_sarif(log: &Value) {
    let path = sarif_schema_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the SARIF schema is expected at {} (shared/ beside the repository): {e}",
            path.display()
        )
    });
    let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    let validator = jsonschema::JSONSchema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .compile(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = match validator.validate(log) {
        Ok(()) => return,
        Err(errors) => errors
            .map(|e| format!("  at {}: {e}", e.instance_path))
            .collect(),
    };
    panic!(
        "the SARIF log does not validate:\n{}\n{log:#}",
        errors.join("\n")
    );
}

#[test]
fn sarif_validates_against_the_schema() {
    let o = run(&[
        "check",
        "--format",
        "sarif",
        SPEC,
        UNKNOWN_ATTRIBUTE,
        DUPLICATE_ATTRIBUTE,
        "tests/fixtures/bad/DRS0041_import_cycle/main.drs",
        MISSING,
    ]);
    assert_eq!(status(&o), 2, "{}", show(&o));
    let log: Value = serde_json::from_str(&stdout(&o)).expect("SARIF is one JSON document");
    assert_valid_sarif(&log);

    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "drsc");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), drsc::registry::all().count());
    let results = run["results"].as_array().expect("results");
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["DRS0031", "DRS0032", "DRS0041", "DRS0001"]);
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "{r}");
    }
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], UNKNOWN_ATTRIBUTE);
    assert_eq!(location["region"]["startLine"], 12);
    assert_eq!(location["region"]["startColumn"], 3);
    // The import cycle is located in the imported file.
    assert_eq!(
        results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/bad/DRS0041_import_cycle/b.drs"
    );
}

#[test]
fn sarif_for_a_clean_site_is_valid_and_empty() {
    let o = run(&["check", "--format", "sarif", SPEC]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    let log: Value = serde_json::from_str(&stdout(&o)).expect("SARIF is one JSON document");
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], Value::Array(vec![]));
}

// ---------------------------------------------------------------------------
// Colour
// ---------------------------------------------------------------------------

const ESC: char = '\u{1b}';

#[test]
fn piped_output_has_no_escape_codes() {
    for no_color in [None, Some("1")] {
        let mut cmd = drsc(&["check", UNKNOWN_ATTRIBUTE, MISSING]);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        cmd.env("TERM", "xterm-256color");
        let o = cmd.output().expect("run drsc");
        assert_eq!(status(&o), 2, "{}", show(&o));
        assert!(
            !stderr(&o).contains(ESC),
            "NO_COLOR={no_color:?}: {}",
            show(&o)
        );
        assert!(
            !stdout(&o).contains(ESC),
            "NO_COLOR={no_color:?}: {}",
            show(&o)
        );
    }
    for args in [vec!["explain", "DRS0031"], vec!["rules"]] {
        let o = run(&args);
        assert!(!stdout(&o).contains(ESC), "{args:?}: {}", show(&o));
    }
}

/// On a terminal drsc colours its output, unless `NO_COLOR` is set. The
/// terminal is a pseudo-terminal from util-linux `script` (Essential on Debian).
#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let on_tty = |no_color: bool| -> String {
        let mut cmd = Command::new("script");
        cmd.args(["-qec"])
            .arg(format!(
                "'{}' check '{}'",
                env!("CARGO_BIN_EXE_drsc"),
                UNKNOWN_ATTRIBUTE
            ))
            .arg("/dev/null")
            .current_dir(root())
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .stdin(std::process::Stdio::null());
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let o = cmd
            .output()
            .expect("run `script` (util-linux) to get a pseudo-terminal");
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains("DRS0031"), "{}", show(&o));
        text
    };
    assert!(
        on_tty(false).contains(ESC),
        "no colour on a terminal with TERM=xterm-256color"
    );
    assert!(!on_tty(true).contains(ESC), "colour despite NO_COLOR=1");
}

// ---------------------------------------------------------------------------
// explain, rules, --version
// ---------------------------------------------------------------------------

#[test]
fn explain_prints_the_explanation() {
    let info = drsc::registry::lookup("DRS0031").expect("DRS0031 is registered");
    for code in ["DRS0031", "drs0031"] {
        let o = run(&["explain", code]);
        assert_eq!(status(&o), 0, "{}", show(&o));
        let out = stdout(&o);
        assert!(out.contains("DRS0031 (unknown-attribute)"), "{}", show(&o));
        assert!(out.contains(info.summary), "{}", show(&o));
        assert!(out.contains(info.explanation), "{}", show(&o));
    }
}

#[test]
fn explain_an_unknown_code_exits_2() {
    let o = run(&["explain", "DRS9999"]);
    assert_eq!(status(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("DRS9999"), "{}", show(&o));
    assert_eq!(stdout(&o), "", "{}", show(&o));
}

#[test]
fn rules_lists_every_code() {
    let o = run(&["rules"]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    for c in drsc::registry::all() {
        let row = out
            .lines()
            .find(|l| l.starts_with(c.code))
            .unwrap_or_else(|| panic!("{} is not listed:\n{out}", c.code));
        assert!(row.contains(c.name), "{row}");
        assert!(row.contains(c.summary), "{row}");
    }

    let o = run(&["rules", "--json"]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    let rows: Value = serde_json::from_str(&stdout(&o)).expect("rules --json is JSON");
    let codes: Vec<&str> = rows
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["code"].as_str().unwrap_or(""))
        .collect();
    let expected: Vec<&str> = drsc::registry::all().map(|c| c.code).collect();
    assert_eq!(codes, expected);
}

#[test]
fn version_prints_the_package_version() {
    let o = run(&["--version"]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    assert_eq!(
        stdout(&o).trim(),
        format!("drsc {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::Stdio;
    for args in [&["rules"][..], &["explain", "DRS0031"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_drsc"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run drsc");
        // Close the pipe before drsc writes, like `| head` that has read enough.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn objectives_resting_on_an_invalid_value_are_unknown_not_zero() {
    // `rpo = 10GB`: the RPO is unknown, so no store is judged against it.
    let out = Command::new(env!("CARGO_BIN_EXE_drsc"))
        .args([
            "check",
            "tests/fixtures/bad/DRS0033_duration_as_size_no_cascade.drs",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run drsc");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DRS0033"), "{stderr}");
    assert!(stderr.contains("objectives of site"), "{stderr}");
    assert!(stderr.contains("unknown"), "{stderr}");
    assert!(!stderr.contains("over by"), "{stderr}");
    assert!(!stderr.contains("DRS0400"), "{stderr}");
}

// ---------------------------------------------------------------------------
// many diagnostics: human output is capped per file, JSON keeps all
// ---------------------------------------------------------------------------

/// A file of `n` unknown blocks (and no site): `n + 1` errors.
fn many_errors(n: usize) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("many.drs");
    std::fs::write(&path, "block \"b\" { key = \"value\" }\n".repeat(n)).expect("write");
    (dir, path.to_string_lossy().into_owned())
}

/// How many diagnostics human output rendered.
fn rendered(text: &str) -> usize {
    text.lines().filter(|l| l.starts_with("error[")).count()
}

#[test]
fn human_output_shows_50_diagnostics_per_file_and_says_how_many_more() {
    let (_dir, file) = many_errors(120);
    let o = run(&["check", &file]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    let err = stderr(&o);
    assert_eq!(rendered(&err), 50, "{err}");
    let closing = format!("… and 71 more errors in `{file}` (use --all-errors to see all)");
    assert_eq!(err.lines().filter(|l| *l == closing).count(), 1, "{err}");
    // The summary counts every diagnostic, shown or not.
    assert!(
        err.ends_with("checked 1 file: 121 errors, 0 warnings\n"),
        "{err}"
    );

    let all = run(&["check", "--all-errors", &file]);
    assert_eq!(status(&all), 1, "{}", show(&all));
    let err = stderr(&all);
    assert_eq!(rendered(&err), 121, "{err}");
    assert!(!err.contains("--all-errors"), "{err}");
    assert!(
        err.ends_with("checked 1 file: 121 errors, 0 warnings\n"),
        "{err}"
    );
}

#[test]
fn a_file_under_the_cap_shows_everything_without_a_closing_line() {
    let (_dir, file) = many_errors(49);
    let err = stderr(&run(&["check", &file]));
    assert_eq!(rendered(&err), 50, "{err}");
    assert!(!err.contains("more error"), "{err}");
}

#[test]
fn json_and_sarif_keep_every_diagnostic() {
    let (_dir, file) = many_errors(120);
    let o = run(&["check", "--format", "json", &file]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    assert_eq!(json_diagnostics(&o).len(), 121);
    let o = run(&["check", "--format", "sarif", &file]);
    let log: Value = serde_json::from_str(&stdout(&o)).expect("SARIF is JSON");
    assert_eq!(
        log["runs"][0]["results"].as_array().map(Vec::len),
        Some(121)
    );
}

#[test]
fn build_caps_its_diagnostics_too() {
    let (dir, file) = many_errors(120);
    let out = dir.path().join("out");
    let out = out.to_string_lossy();
    let o = run(&["build", &file, "--target", "cfn", "-o", &out]);
    assert_eq!(status(&o), 1, "{}", show(&o));
    let err = stderr(&o);
    assert_eq!(rendered(&err), 50, "{err}");
    assert!(err.contains("… and 71 more errors in `"), "{err}");
    assert!(
        err.ends_with(&format!(
            "build refused: 121 errors in `{file}`; nothing written\n"
        )),
        "{err}"
    );
    let all = run(&["build", &file, "--target", "tf", "-o", &out, "--all-errors"]);
    assert_eq!(status(&all), 1, "{}", show(&all));
    assert_eq!(rendered(&stderr(&all)), 121);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn graph_draws_the_site_and_refuses_a_broken_one() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_drsc"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run drsc")
    };
    let m = run(&["graph", "specs/transactions.drs"]);
    assert_eq!(m.status.code(), Some(0));
    let text = String::from_utf8_lossy(&m.stdout);
    assert!(
        text.contains("flowchart LR") && text.contains("global database replication"),
        "{text}"
    );
    let d = run(&["graph", "specs/minimal.drs", "--format", "dot"]);
    assert_eq!(d.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&d.stdout).starts_with("digraph site {"));
    let bad = run(&["graph", "tests/fixtures/bad/DRS0031_unknown_attribute.drs"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stdout.is_empty());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("graph refused"));
}
