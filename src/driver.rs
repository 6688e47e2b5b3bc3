//! The pipeline as one call each for the CLI and the language server.
//!
//! [`check_path`] / [`check_file`]: load a file and its imports, parse, validate,
//! build the semantic model, run the rules and apply suppressions; the result is a
//! [`CheckOutcome`] with the model and the sorted diagnostics (`drsc check`, the
//! language server). [`build`]: that check, then, for a site without errors,
//! lowering to the resource graph and emission with a [`Target`]'s backend; the
//! result is a [`BuildOutcome`] whose [`BuildStatus`] says how far it got and holds
//! the files to write (`drsc build` writes them with [`emit::write::write_atomic`]).

use crate::diagnostic::{self, Diagnostic};
use crate::emit::{self, Output};
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
    /// The objectives estimate the rules judged, from `graph`. `None` without a model.
    pub objectives: Option<crate::objectives::Objectives>,
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
                objectives: None,
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
    diagnostic::extend_exact(&mut diagnostics, model_diags);
    // Rules run on whatever model was built, broken items included (they are
    // partial), and on its graph, lowered once. A finding that points into a
    // hole (a value the model could not read) depends on the broken part and is
    // held back: it is a cascade.
    let mut held_back: Vec<Diagnostic> = Vec::new();
    let mut graph = None;
    let mut objectives = None;
    if let Some(m) = &model {
        let lowered = crate::lower::lower(m);
        let mut findings = lowered.diagnostics;
        let (rule_findings, estimate) = crate::checks::run_with_estimate(m, &lowered.graph);
        findings.extend(rule_findings);
        objectives = Some(estimate);
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
        diagnostic::extend_exact(&mut diagnostics, findings);
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
        objectives,
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

/// The backends [`build`] can emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// AWS CloudFormation: per-region stacks, deploy.json, README.
    Cfn,
    /// Terraform (JSON syntax): one module for both regions.
    Tf,
}

impl Target {
    /// The backend's name in messages.
    pub fn title(self) -> &'static str {
        match self {
            Target::Cfn => "CloudFormation",
            Target::Tf => "Terraform",
        }
    }
}

/// How [`build`] treats the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuildOptions {
    pub check: CheckOptions,
}

/// How far a build got.
#[derive(Debug)]
pub enum BuildStatus {
    /// The check could not read a file (an error without a location): nothing built.
    Unreadable,
    /// The site has `errors` errors: nothing built.
    Refused { errors: usize },
    /// The files declare no usable site: nothing built.
    NoSite,
    /// Lowering or emission failed (see [`BuildOutcome::diagnostics`]); `io` when a
    /// file could not be read (an asset), not because of the site.
    Failed { io: bool },
    /// The files to write.
    Emitted(Output),
}

/// Everything `drsc build` learns about one site.
#[derive(Debug)]
pub struct BuildOutcome {
    /// The check that ran first, with its diagnostics.
    pub check: CheckOutcome,
    /// Diagnostics of lowering and emission (the check's are in `check`).
    pub diagnostics: Vec<Diagnostic>,
    pub status: BuildStatus,
}

/// Reads `path` into `db`, checks it and, when the site has no errors, lowers it and
/// emits it with `target`'s backend. Writes nothing: the caller writes
/// [`BuildStatus::Emitted`]'s output (atomically, with [`emit::write::write_atomic`]).
pub fn build(
    db: &mut SourceDb,
    path: &Path,
    target: Target,
    options: BuildOptions,
) -> BuildOutcome {
    let check = check_path_with(db, path, options.check);
    let done = |check, status| BuildOutcome {
        check,
        diagnostics: Vec::new(),
        status,
    };
    let diags = &check.diagnostics;
    if diags.iter().any(|d| d.primary.is_none() && d.is_error()) {
        return done(check, BuildStatus::Unreadable);
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        return done(check, BuildStatus::Refused { errors });
    }
    // The graph `check` judged: lowered once, emitted unchanged.
    let Some(graph) = &check.graph else {
        return done(check, BuildStatus::NoSite);
    };
    // Generated files name the site file they come from, without its directory.
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let emitted = match target {
        Target::Cfn => emit::cfn::emit(graph, &emit::cfn::Options { source }),
        Target::Tf => emit::tf::emit(graph, &emit::tf::Options { source }),
    };
    match emitted {
        Ok(output) => done(check, BuildStatus::Emitted(output)),
        Err(diagnostics) => {
            let io = diagnostics
                .iter()
                .any(|d| d.code.code == emit::codes::SOURCE_UNREADABLE.code);
            BuildOutcome {
                check,
                diagnostics,
                status: BuildStatus::Failed { io },
            }
        }
    }
}
