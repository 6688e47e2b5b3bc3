//! The diagnostics harness: every fixture under `tests/fixtures` is checked
//! through the library, its rendered diagnostics are snapshotted, and the
//! diagnostics' (file, line, severity, code) are compared with the inline
//! annotations of the fixture. The conventions are in `tests/fixtures/README.md`.

use drsc::diagnostic::{human, Diagnostic, Severity};
use drsc::driver;
use drsc::registry;
use drsc::source::SourceDb;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// Fixture annotations
// ---------------------------------------------------------------------------

/// Where an annotated diagnostic's primary span starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Anchor {
    /// The line carrying the annotation.
    Here,
    /// The last line of the file that has non-blank text (`# error@eof: ...`).
    Eof,
    /// No source location at all (`# error@nospan: ...`).
    NoSpan,
}

#[derive(Debug, Default)]
struct Annotations {
    /// (line of the annotation, anchor, severity, code).
    expected: Vec<(usize, Anchor, &'static str, String)>,
    /// `# check: PATH`: check this path (relative to the fixture's directory) instead.
    check: Option<String>,
}

/// Reads the annotations of one fixture text.
fn annotations(text: &str) -> Annotations {
    let mut out = Annotations::default();
    for (index, line) in text.split('\n').enumerate() {
        for (hash, _) in line.match_indices('#') {
            let rest = line[hash + 1..].trim_start();
            if let Some(path) = rest.strip_prefix("check:") {
                out.check = Some(path.trim().to_string());
                continue;
            }
            for severity in ["error", "warning"] {
                let Some(after) = rest.strip_prefix(severity) else {
                    continue;
                };
                let (anchor, after) = if let Some(a) = after.strip_prefix("@eof") {
                    (Anchor::Eof, a)
                } else if let Some(a) = after.strip_prefix("@nospan") {
                    (Anchor::NoSpan, a)
                } else {
                    (Anchor::Here, after)
                };
                let Some(codes) = after.strip_prefix(':') else {
                    continue;
                };
                for word in codes.split(',') {
                    let word = word.split_whitespace().next().unwrap_or("");
                    if !is_code(word) {
                        break;
                    }
                    out.expected
                        .push((index + 1, anchor, severity, word.to_string()));
                }
            }
        }
    }
    out
}

fn is_code(word: &str) -> bool {
    word.len() == 7 && word.starts_with("DRS") && word[3..].bytes().all(|b| b.is_ascii_digit())
}

/// The one-based number of the last line holding non-blank text.
fn eof_line(text: &str) -> usize {
    text.trim_end().split('\n').count()
}

// ---------------------------------------------------------------------------
// Running one fixture
// ---------------------------------------------------------------------------

/// One diagnostic reduced to what annotations can say about it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    file: String,
    line: Option<usize>,
    severity: &'static str,
    code: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {} {}", self.file, self.severity, self.code),
            None => write!(
                f,
                "{} (no line): {} {}",
                self.file, self.severity, self.code
            ),
        }
    }
}

struct FixtureRun {
    /// The fixture's path relative to the package root, with `/`.
    name: String,
    /// Diagnostics as a user sees them, with machine-specific paths replaced by `[ROOT]`.
    rendered: String,
    /// From the annotations of the fixture and of every file it imports from disk.
    expected: Vec<Finding>,
    /// From the diagnostics drsc reported.
    actual: Vec<Finding>,
}

impl FixtureRun {
    fn mismatch(&self) -> Option<String> {
        if self.expected == self.actual {
            return None;
        }
        let list = |v: &[Finding]| -> String {
            if v.is_empty() {
                "    (none)\n".to_string()
            } else {
                v.iter().map(|f| format!("    {f}\n")).collect()
            }
        };
        Some(format!(
            "{}\n  annotated:\n{}  reported:\n{}  output:\n{}",
            self.name,
            list(&self.expected),
            list(&self.actual),
            indent(&self.rendered)
        ))
    }

    /// Codes this fixture both annotates and triggers.
    fn confirmed_codes(&self) -> BTreeSet<String> {
        self.expected
            .iter()
            .filter(|f| self.actual.contains(f))
            .map(|f| f.code.clone())
            .collect()
    }
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    | {l}\n")).collect()
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_dir() -> PathBuf {
    manifest_dir().join("tests").join("fixtures")
}

/// `path` relative to the package root (the tests' working directory), with `/`.
fn relative_name(path: &Path) -> String {
    let canonical_root = manifest_dir()
        .canonicalize()
        .unwrap_or_else(|_| manifest_dir().to_path_buf());
    let rel = path
        .strip_prefix(&canonical_root)
        .or_else(|_| path.strip_prefix(manifest_dir()))
        .unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Replaces the package root's absolute path, which notes such as "looked for
/// `...`" contain, so snapshots are the same on every machine.
fn normalize_paths(s: &str) -> String {
    let mut roots = vec![manifest_dir().to_string_lossy().into_owned()];
    if let Ok(c) = manifest_dir().canonicalize() {
        roots.push(c.to_string_lossy().into_owned());
    }
    roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
    let mut out = s.to_string();
    for r in roots {
        out = out.replace(&r, "[ROOT]");
    }
    out
}

/// Checks one fixture (an absolute path or one relative to the package root).
fn run_fixture(path: &Path) -> FixtureRun {
    let name = relative_name(path);
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
    let text = String::from_utf8_lossy(&bytes);
    let notes = annotations(&text);

    // The driver names the root file by the path it is given: give it a relative one.
    let target = match &notes.check {
        Some(p) => {
            let dir = Path::new(&name).parent().unwrap_or(Path::new(""));
            drsc::loader::normalize(&dir.join(p))
                .to_string_lossy()
                .replace('\\', "/")
        }
        None => name.clone(),
    };
    let mut db = SourceDb::new();
    let outcome = driver::check_path(&mut db, Path::new(&target));

    let mut actual: Vec<Finding> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| finding(&db, d, &name))
        .collect();
    actual.sort();

    let mut expected = Vec::new();
    let mut add = |file: &str, text: &str, notes: &Annotations| {
        for (line, anchor, severity, code) in &notes.expected {
            expected.push(Finding {
                file: file.to_string(),
                line: match anchor {
                    Anchor::Here => Some(*line),
                    Anchor::Eof => Some(eof_line(text)),
                    Anchor::NoSpan => None,
                },
                severity,
                code: code.clone(),
            });
        }
    };
    add(&name, &text, &notes);
    // Files the fixture imports from disk carry their own annotations.
    for id in db.ids() {
        let file = db.get(id);
        if file.path.is_some() && file.name != name && file.name != target {
            add(&file.name, &file.text, &annotations(&file.text));
        }
    }
    expected.sort();

    FixtureRun {
        rendered: normalize_paths(&human::render_to_string(&db, &outcome.diagnostics)),
        name,
        expected,
        actual,
    }
}

fn finding(db: &SourceDb, d: &Diagnostic, fixture: &str) -> Finding {
    let (file, line) = match d.span() {
        Some(span) => {
            let f = db.get(span.file);
            (
                f.name.clone(),
                Some(f.human_position(span.start as usize).0),
            )
        }
        None => (fixture.to_string(), None),
    };
    Finding {
        file,
        line,
        severity: d.severity.as_str(),
        code: d.code.code.to_string(),
    }
}

/// The fixtures of a directory that are checked on their own: every `*.drs`
/// directly inside it and `main.drs` of each subdirectory (a multi-file project).
/// Mirrors the `glob!` patterns below.
fn fixture_roots(dir: &Path) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    // `pending/` may be empty (or absent) when every known problem is fixed.
    let pending = dir.ends_with("pending");
    if pending && !dir.exists() {
        return roots;
    }
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            let main = path.join("main.drs");
            if main.is_file() {
                roots.push(main);
            }
        } else if path.extension().is_some_and(|e| e == "drs") {
            roots.push(path);
        }
    }
    roots.sort();
    assert!(
        pending || !roots.is_empty(),
        "no fixtures in {}",
        dir.display()
    );
    roots
}

fn fail_with(problems: &[String], what: &str) {
    if !problems.is_empty() {
        panic!(
            "{} {what}:\n\n{}",
            problems.len(),
            problems.join("\n---------------------------------------------\n")
        );
    }
}

// ---------------------------------------------------------------------------
// Fixture tests
// ---------------------------------------------------------------------------

/// Each bad fixture: its rendered diagnostics match the snapshot, and exactly
/// the annotated diagnostics are reported.
#[test]
fn bad_fixtures() {
    let mut problems = Vec::new();
    insta::glob!("fixtures/bad", "{*.drs,*/main.drs}", |path| {
        let run = run_fixture(path);
        let mut problem = run.mismatch();
        if run.expected.is_empty() {
            problem = Some(format!("{}: a bad fixture without annotations", run.name));
        }
        if let Some(p) = problem {
            // Printed now too: a snapshot failure makes `glob!` panic before the end of this test.
            eprintln!("annotation mismatch in {p}");
            problems.push(p);
        }
        insta::assert_snapshot!(run.rendered);
    });
    fail_with(&problems, "bad fixtures disagree with their annotations");
}

/// Each good fixture checks without any diagnostic.
#[test]
fn good_fixtures() {
    let mut problems = Vec::new();
    insta::glob!("fixtures/good", "{*.drs,*/main.drs}", |path| {
        let run = run_fixture(path);
        if !run.expected.is_empty() || !run.rendered.is_empty() {
            problems.push(format!(
                "{}: a good fixture must produce no diagnostics\n{}",
                run.name,
                indent(&run.rendered)
            ));
        }
    });
    fail_with(&problems, "good fixtures are not clean");
}

/// The checked-in example site is clean too.
#[test]
fn the_transactions_spec_is_clean() {
    let run = run_fixture(&manifest_dir().join("specs/transactions.drs"));
    assert_eq!(run.rendered, "", "specs/transactions.drs has diagnostics");
}

/// Fixtures under `pending/` describe the right behaviour for problems drsc
/// does not handle yet (codes nothing emits, known wrong spans or cascades).
/// They must still fail: once one passes, move it to `bad/` (or `good/`) so
/// it is snapshotted and guarded like the rest.
#[test]
fn pending_fixtures_still_fail() {
    let mut fixed = Vec::new();
    for path in fixture_roots(&fixtures_dir().join("pending")) {
        let run = run_fixture(&path);
        if run.mismatch().is_none() {
            fixed.push(format!(
                "{} now behaves as annotated: move it out of pending/ and accept its snapshot",
                run.name
            ));
        }
    }
    fail_with(&fixed, "pending fixtures pass");
}

/// Bad fixtures are named after a code they trigger: `DRS0031_unknown_attribute.drs`,
/// or `DRS0041_import_cycle/main.drs` for a multi-file one.
#[test]
fn bad_fixtures_are_named_after_their_code() {
    let mut problems = Vec::new();
    for path in fixture_roots(&fixtures_dir().join("bad")) {
        let run = run_fixture(&path);
        let named = if path.file_name().is_some_and(|n| n == "main.drs") {
            path.parent().and_then(Path::file_name)
        } else {
            path.file_name()
        }
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
        let code = named.split('_').next().unwrap_or("");
        let rest = named[code.len()..].trim_end_matches(".drs");
        if !is_code(code) || rest.len() < 2 {
            problems.push(format!(
                "{}: name it `DRSxxxx_what_is_wrong[.drs]`",
                run.name
            ));
        } else if !run.confirmed_codes().contains(code) {
            problems.push(format!(
                "{}: named after {code}, which it does not trigger",
                run.name
            ));
        }
    }
    fail_with(&problems, "misnamed bad fixtures");
}

// ---------------------------------------------------------------------------
// The registry
// ---------------------------------------------------------------------------

/// The headings `src/syntax/codes.rs` uses, in the order they appear.
const HEADINGS: &[&str] = &["What it checks", "Why it matters", "Example", "Fix"];

#[test]
fn every_code_is_documented() {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for c in registry::all() {
        let mut bad = |what: String| problems.push(format!("{}: {what}", c.code));
        if !is_code(c.code) {
            bad("the code is not `DRS` and four digits".into());
        }
        if !seen.insert(c.code) {
            bad("the code is listed twice".into());
        }
        if c.name.is_empty()
            || !c
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            bad(format!("name `{}` is not kebab-case", c.name));
        }
        if c.summary.trim().is_empty() {
            bad("empty summary".into());
        }
        if registry::lookup(&c.code.to_lowercase()).map(|f| f.code) != Some(c.code) {
            bad("lookup by code (case-insensitive) does not find it".into());
        }

        let text = c.explanation.trim();
        if text.is_empty() {
            bad("empty explanation".into());
            continue;
        }
        if !text.starts_with("## ") {
            bad("the explanation does not start with a `## ` heading".into());
        }
        let sections: Vec<(&str, &str)> = text
            .split("## ")
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.split_once('\n').unwrap_or((s, "")))
            .collect();
        let headings: Vec<&str> = sections.iter().map(|(h, _)| h.trim()).collect();
        for required in ["What it checks", "Fix"] {
            if !headings.contains(&required) {
                bad(format!("no `## {required}` section"));
            }
        }
        let mut last = None;
        for (heading, body) in &sections {
            let heading = heading.trim();
            match HEADINGS.iter().position(|h| *h == heading) {
                None => bad(format!("unknown heading `## {heading}`")),
                Some(i) if last.is_some_and(|l| l >= i) => {
                    bad(format!("heading `## {heading}` out of order"))
                }
                Some(i) => last = Some(i),
            }
            if body.trim().is_empty() {
                bad(format!("section `## {heading}` is empty"));
            }
        }
    }
    fail_with(&problems, "problems in the registry's documentation");
}

/// Every registered code is triggered by an annotated fixture under `bad/`, so
/// a new code without a fixture fails here. A code that nothing emits yet may
/// instead have a fixture under `pending/` (see `pending_fixtures_still_fail`).
/// Backend codes (`drsc::emit::codes::ALL`) are reported by `drsc build`,
/// which fixtures do not run, and the internal-error code (DRS0903) by no
/// valid input at all: each is covered instead by a test in the file listed
/// here (relative to the package root), which must name the code.
const BACKEND_TESTS: &[(&str, &str)] = &[
    ("DRS0900", "tests/cfn.rs"),
    ("DRS0901", "src/emit/cfn/mod.rs"),
    ("DRS0903", "src/lower/tests.rs"),
    ("DRS0904", "tests/cfn.rs"),
    ("DRS0905", "tests/cfn.rs"),
    ("DRS0906", "src/emit/cfn/mod.rs"),
];

/// The `#[test]` functions of a Rust file, each from its attribute to the
/// next one (or the end of the file).
fn test_functions(text: &str) -> Vec<&str> {
    let starts: Vec<usize> = text
        .match_indices("#[test]")
        .map(|(i, _)| i)
        .filter(|&i| text[i + "#[test]".len()..].trim_start().starts_with("fn "))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &i)| &text[i..starts.get(n + 1).copied().unwrap_or(text.len())])
        .collect()
}

/// What is wrong with `BACKEND_TESTS`: a code that is not a backend code, or
/// whose file has no test naming it.
fn backend_tests_problems() -> Vec<String> {
    let mut problems = Vec::new();
    for (code, file) in BACKEND_TESTS {
        let internal = *code == drsc::registry::INTERNAL.code;
        if !internal && !drsc::emit::codes::ALL.iter().any(|c| c.code == *code) {
            problems.push(format!(
                "{code} is listed in BACKEND_TESTS but is not a backend code: give it a fixture"
            ));
            continue;
        }
        let text = std::fs::read_to_string(manifest_dir().join(file))
            .unwrap_or_else(|e| panic!("cannot read {file} (BACKEND_TESTS, {code}): {e}"));
        if !test_functions(&text).iter().any(|t| t.contains(code)) {
            problems.push(format!(
                "{code}: no `#[test]` function in {file} names it (BACKEND_TESTS)"
            ));
        }
    }
    problems
}

#[test]
fn backend_test_table_finds_codes_only_inside_tests() {
    let text = "const C: &str = \"DRS0901\";\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn a() { check(\"DRS0906\") }\n}\n";
    let tests = test_functions(text);
    assert_eq!(tests.len(), 1);
    assert!(tests[0].contains("DRS0906") && !tests[0].contains("DRS0901"));
}

#[test]
fn every_code_has_a_fixture() {
    let mut missing = backend_tests_problems();
    let mut covered = BTreeSet::new();
    for path in fixture_roots(&fixtures_dir().join("bad")) {
        covered.extend(run_fixture(&path).confirmed_codes());
    }
    let mut pending = BTreeSet::new();
    for path in fixture_roots(&fixtures_dir().join("pending")) {
        pending.extend(run_fixture(&path).expected.into_iter().map(|f| f.code));
    }
    for c in registry::all() {
        if covered.contains(c.code) || BACKEND_TESTS.iter().any(|(code, _)| *code == c.code) {
            continue;
        }
        if pending.contains(c.code) {
            eprintln!(
                "note: {} ({}) is only covered by a pending fixture",
                c.code, c.name
            );
            continue;
        }
        if drsc::emit::codes::ALL.contains(&c) {
            missing.push(format!(
                "{} ({}): backend codes come from `drsc build`, not `drsc check`: write a test \
                 that triggers it and list it in BACKEND_TESTS",
                c.code, c.name
            ));
            continue;
        }
        missing.push(format!(
            "{} ({}): add tests/fixtures/bad/{}_<what_is_wrong>.drs with a `# {}: {}` annotation",
            c.code,
            c.name,
            c.code,
            c.severity.as_str(),
            c.code
        ));
    }
    fail_with(&missing, "codes without a fixture");
}

// ---------------------------------------------------------------------------
// Inputs generated at test time
// ---------------------------------------------------------------------------

/// Codes and one-based lines (`None`: no span) of every diagnostic.
fn codes_and_lines(db: &SourceDb, diags: &[Diagnostic]) -> Vec<(String, Option<usize>)> {
    diags
        .iter()
        .map(|d| {
            let line = d
                .span()
                .map(|s| db.get(s.file).human_position(s.start as usize).0);
            (d.code.code.to_string(), line)
        })
        .collect()
}

/// Checks an in-memory text as a root file named `name`.
fn check_text(name: &str, text: String) -> (SourceDb, drsc::driver::CheckOutcome) {
    let mut db = SourceDb::new();
    let id = db.add(name, None, text);
    let outcome = driver::check_file(&mut db, id, manifest_dir());
    (db, outcome)
}

#[test]
fn a_zero_byte_file_is_reported_as_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in [("empty.drs", ""), ("blank.drs", " \n\n\t\n")] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let mut db = SourceDb::new();
        let outcome = driver::check_path(&mut db, &path);
        assert_eq!(
            codes_and_lines(&db, &outcome.diagnostics),
            vec![("DRS0003".to_string(), Some(1))],
            "{name}"
        );
    }
}

#[test]
fn bytes_that_are_not_utf8_are_reported_with_their_offset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, &[u8], &str); 2] = [
        (
            "stray.drs",
            b"site \"x\" {\n  suffix = \"a\xffb\"\n}\n",
            "0xFF at offset 24",
        ),
        // What `echo ... > site.drs` writes in Windows PowerShell 5: UTF-16LE with a BOM.
        (
            "utf16.drs",
            b"\xff\xfes\x00i\x00t\x00e\x00",
            "0xFF at offset 0",
        ),
    ];
    for (name, bytes, detail) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let mut db = SourceDb::new();
        let outcome = driver::check_path(&mut db, &path);
        assert_eq!(
            codes_and_lines(&db, &outcome.diagnostics),
            vec![("DRS0002".to_string(), None)],
            "{name}"
        );
        let message = &outcome.diagnostics[0].message;
        assert!(message.contains(detail), "{name}: {message}");
    }
}

/// 100,000 nested blocks (and lists) are rejected by the pre-scan with one
/// DRS0008, on a thread with the default stack, without overflowing it.
#[test]
fn deep_nesting_is_rejected_without_exhausting_the_stack() {
    const DEPTH: usize = 100_000;
    let blocks = format!(
        "site \"deep\" {{\n{}{}\n}}\n",
        "tags {".repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    let lists = format!(
        "backup \"deep\" {{\n  covers = {}{}\n}}\n",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    for (name, text) in [("blocks.drs", blocks), ("lists.drs", lists)] {
        let found = std::thread::spawn(move || {
            let (db, outcome) = check_text(name, text);
            codes_and_lines(&db, &outcome.diagnostics)
        })
        .join()
        .unwrap_or_else(|_| panic!("{name}: checking panicked (stack overflow?)"));
        assert_eq!(found, vec![("DRS0008".to_string(), Some(2))], "{name}");
    }
}

/// A 10 MB site goes through the front end (scan, parse, schema validation,
/// imports) completely and cleanly. Only the front end: the model and the
/// compliance rules are not part of "parses" (and are much slower on 70,000
/// declarations).
#[test]
fn a_ten_megabyte_file_parses() {
    let mut text = String::from(
        "site \"big\" {\n  primary     = us-east-1\n  secondary   = us-west-2\n  rpo         = 1h\n  rto         = 4h\n  environment = staging\n  suffix      = \"big01\"\n}\n",
    );
    let mut keys = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "\n## Key number {keys}.\nkey \"k_{keys}\" {{\n  rotation        = true\n  rotation_period = 365d\n  description     = \"key {keys}: \\\"quoted\\\" text\"\n}}\n"
        ));
        keys += 1;
    }
    let (found, items) = std::thread::spawn(move || {
        let mut db = SourceDb::new();
        let id = db.add("big.drs", None, text);
        let (program, diags) = drsc::loader::load(&mut db, id, manifest_dir());
        let items = program.file(id).map_or(0, |f| f.ast.items.len());
        (codes_and_lines(&db, &diags), items)
    })
    .join()
    .expect("loading the 10 MB file panicked");
    assert_eq!(found, vec![]);
    assert_eq!(items, keys + 1, "every item parsed");
}

/// A missing `}` is reported once, where the next top-level item begins, and
/// the items after it are still checked. (Here rather than in a fixture: the
/// annotation would have to sit on the block's last line, which is
/// `bad/DRS0006_unclosed_block_comment_on_last_line.drs`'s case.)
#[test]
fn a_missing_brace_is_recovered_at_the_next_item() {
    let site = "site \"s\" {\n  primary = us-east-1\n  secondary = us-west-2\n  rpo = 1h\n  rto = 4h\n  environment = staging\n  suffix = \"s1\"\n}\n";
    let text =
        format!("{site}key \"a\" {{\n  rotation = true\n\nkey \"b\" {{\n  rotaton = true\n}}\n");
    let (db, outcome) = check_text("recover.drs", text);
    assert_eq!(
        codes_and_lines(&db, &outcome.diagnostics),
        vec![
            ("DRS0006".to_string(), Some(10)),
            ("DRS0031".to_string(), Some(13))
        ]
    );
}

// ---------------------------------------------------------------------------
// The harness itself
// ---------------------------------------------------------------------------

#[test]
fn annotations_are_read_as_documented() {
    let notes = annotations(
        "# check: ./x.drs\n# error@eof: DRS0006\nrpo = 1hr # error: DRS0010, DRS0033\n# warning@nospan: DRS0044\n## prose about errors: DRS0001 is not an annotation\n",
    );
    assert_eq!(notes.check.as_deref(), Some("./x.drs"));
    let got: Vec<(usize, Anchor, &str, &str)> = notes
        .expected
        .iter()
        .map(|(l, a, s, c)| (*l, *a, *s, c.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, Anchor::Eof, "error", "DRS0006"),
            (3, Anchor::Here, "error", "DRS0010"),
            (3, Anchor::Here, "error", "DRS0033"),
            (4, Anchor::NoSpan, "warning", "DRS0044"),
        ]
    );
    assert_eq!(eof_line("a\nb\n\n  \n"), 2);
    assert_eq!(eof_line(""), 1);
}
