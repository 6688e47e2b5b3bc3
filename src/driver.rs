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
    // Rules run on whatever model was built, broken items included (they are
    // partial), and on its graph, lowered once. A finding that points into a
    // hole (a value the model could not read) depends on the broken part and is
    // held back: it is a cascade.
    let mut held_back: Vec<Diagnostic> = Vec::new();
    let mut graph = None;
    if let Some(m) = &model {
        let lowered = crate::lower::lower(m);
        let mut findings = lowered.diagnostics;
        findings.extend(crate::checks::run(m, &lowered.graph));
        // Lowering a site with errors may meet states the checks exclude (two
        // declarations with one name, say); those are consequences, not findings.
        let has_errors = diagnostics
            .iter()
            .chain(&findings)
            .any(|d| d.is_error() && d.span().is_some());
        let (cascades, findings): (Vec<Diagnostic>, Vec<Diagnostic>) = findings
            .into_iter()
            .filter(|d| !(has_errors && std::ptr::eq(d.code, &crate::registry::INTERNAL)))
            .partition(|d| {
                d.primary
                    .iter()
                    .chain(&d.secondary)
                    .any(|l| m.in_hole(l.span))
            });
        diagnostics.extend(findings);
        held_back = cascades;
        graph = Some(lowered.graph);
    }
    let mut diagnostics =
        crate::checks::suppress::apply(model.as_ref(), diagnostics, options.honour_suppressions);
    // An `allow` whose code was held back could not be evaluated: not unused.
    if let Some(m) = &model {
        diagnostics.retain(|d| {
            !std::ptr::eq(d.code, &crate::syntax::codes::UNUSED_SUPPRESSION)
                || !m.suppressions.iter().any(|s| {
                    d.span() == Some(s.span)
                        && held_back.iter().any(|h| {
                            s.code.eq_ignore_ascii_case(h.code.code)
                                && h.span()
                                    .is_none_or(|p| s.scope.contains(p.file, p.start as usize))
                        })
                })
        });
    }
    diagnostic::sort_and_dedup(&mut diagnostics);
    CheckOutcome {
        program,
        model,
        graph,
        diagnostics,
    }
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
