//! The pipeline as one call: load a file and its imports, parse, validate,
//! (later phases: resolve, check). The CLI and the language server both call it.

use crate::diagnostic::{self, Diagnostic};
use crate::graph::Graph;
use crate::loader::{self, Program};
use crate::model::{self, Model};
use crate::source::{FileId, SourceDb};
use std::path::{Path, PathBuf};

/// Everything `drsc check` learns about one site.
#[derive(Debug, Default)]
pub struct CheckOutcome {
    pub program: Program,
    /// The resolved model, when the file declares a usable site.
    pub model: Option<Model>,
    /// The model lowered once: what the plan rules and the objectives
    /// estimate judged, and what `build` emits. `None` without a model.
    pub graph: Option<Graph>,
    /// Sorted by file and position, without duplicates.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckOutcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// How `drsc check` treats the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions {
    /// Apply `allow CODE "reason"` suppressions (`false` for `--no-suppressions`).
    pub honour_suppressions: bool,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            honour_suppressions: true,
        }
    }
}

/// Reads `path` from disk into `db` and checks it. I/O problems become diagnostics
/// without a span (exit status 2 in the CLI).
pub fn check_path(db: &mut SourceDb, path: &Path) -> CheckOutcome {
    check_path_with(db, path, CheckOptions::default())
}

/// [`check_path`] with options.
pub fn check_path_with(db: &mut SourceDb, path: &Path, options: CheckOptions) -> CheckOutcome {
    let abs = absolute(path);
    let text = match loader::read_source(path) {
        Ok(t) => t,
        Err(d) => {
            return CheckOutcome {
                program: Program::default(),
                model: None,
                graph: None,
                diagnostics: vec![*d],
            }
        }
    };
    let id = db.add(path.to_string_lossy(), Some(abs.clone()), text);
    let project = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    check_file_with(db, id, &project, options)
}

/// Checks a file already in `db` (an editor buffer or a file read by the caller).
pub fn check_file(db: &mut SourceDb, root: FileId, project_dir: &Path) -> CheckOutcome {
    check_file_with(db, root, project_dir, CheckOptions::default())
}

/// [`check_file`] with options.
pub fn check_file_with(
    db: &mut SourceDb,
    root: FileId,
    project_dir: &Path,
    options: CheckOptions,
) -> CheckOutcome {
    let (program, mut diagnostics) = loader::load(db, root, project_dir);
    let (model, model_diags) = model::build(db, &program);
    diagnostics.extend(model_diags);
    // Rules run unless an error dropped whole items (a syntax error, a missing import,
    // a missing site): such a model has holes rules would report as findings. Errors in
    // single values leave placeholders, so findings inside the blocks holding those
    // errors are cascades and are dropped; findings elsewhere are independent and kept.
    let mut graph = None;
    if let Some(m) = model.as_ref().filter(|_| {
        !diagnostics
            .iter()
            .any(|d| d.is_error() && !is_value_level(d))
    }) {
        let broken = blocks_with_errors(&program, &diagnostics);
        let lowered = crate::lower::lower(m);
        let mut findings = lowered.diagnostics;
        findings.extend(crate::checks::run(m, &lowered.graph));
        // Lowering a site with errors may meet states the checks exclude (two
        // declarations with one name, say); those are consequences, not findings.
        let has_errors = diagnostics
            .iter()
            .chain(&findings)
            .any(|d| d.is_error() && d.span().is_some());
        let findings = findings
            .into_iter()
            .filter(|d| !(has_errors && std::ptr::eq(d.code, &crate::registry::INTERNAL)));
        diagnostics.extend(findings.filter(|d| {
            d.span()
                .is_none_or(|s| !broken.iter().any(|b| b.contains(s.file, s.start as usize)))
        }));
        graph = Some(lowered.graph);
    }
    let mut diagnostics =
        crate::checks::suppress::apply(model.as_ref(), diagnostics, options.honour_suppressions);
    diagnostic::sort_and_dedup(&mut diagnostics);
    CheckOutcome {
        program,
        model,
        graph,
        diagnostics,
    }
}

/// Whether an error concerns one value (a bad literal, an unknown attribute, an
/// unresolved name) rather than dropping whole items from the model.
fn is_value_level(d: &Diagnostic) -> bool {
    use crate::model::codes as m;
    use crate::syntax::codes as s;
    [
        &s::UNKNOWN_UNIT,
        &s::MALFORMED_NUMBER,
        &s::MALFORMED_CIDR,
        &s::MALFORMED_REGION,
        &s::MALFORMED_DATE,
        &s::INVALID_ESCAPE,
        &s::UNKNOWN_ATTRIBUTE,
        &s::DUPLICATE_ATTRIBUTE,
        &s::WRONG_TYPE,
        &s::MISSING_ATTRIBUTE,
        &s::OUT_OF_RANGE,
        &s::BAD_SUPPRESSION,
        &m::UNKNOWN_REFERENCE,
        &m::WRONG_KIND_REFERENCE,
    ]
    .iter()
    .any(|c| std::ptr::eq(*c, d.code))
}

/// The spans of the top-level blocks that hold an error.
fn blocks_with_errors(program: &Program, diagnostics: &[Diagnostic]) -> Vec<crate::source::Span> {
    let errors: Vec<crate::source::Span> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(Diagnostic::span)
        .collect();
    program
        .files
        .iter()
        .flat_map(|f| &f.ast.items)
        .map(crate::syntax::ast::Item::span)
        .filter(|b| errors.iter().any(|e| b.contains(e.file, e.start as usize)))
        .collect()
}

/// `path` made absolute against the current directory, lexically normalised.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    loader::normalize(&joined)
}
