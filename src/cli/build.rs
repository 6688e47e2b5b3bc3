//! `drsc build FILE --target cfn|tf -o DIR`: check, lower, emit, write atomically.

use super::{output, Status};
use clap::ValueEnum;
use drsc::diagnostic::{human, Diagnostic, Severity};
use drsc::emit::{self, Output};
use drsc::source::SourceDb;
use drsc::{driver, graph::Graph};
use std::io::Write;
use std::path::PathBuf;

/// The backends `drsc build` can emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// AWS CloudFormation: per-region stacks, deploy.json, README.
    Cfn,
    /// Terraform (JSON syntax): one module for both regions.
    Tf,
}

impl Target {
    /// The backend's name in messages.
    fn title(self) -> &'static str {
        match self {
            Target::Cfn => "CloudFormation",
            Target::Tf => "Terraform",
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// The site file to build.
    file: PathBuf,
    /// The backend.
    #[arg(long, value_enum)]
    target: Target,
    /// Output directory; replaced atomically (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
}

/// Emits `graph` with `target`'s backend.
fn emit_target(target: Target, graph: &Graph, source: &str) -> Result<Output, Vec<Diagnostic>> {
    match target {
        Target::Cfn => emit::cfn::emit(
            graph,
            &emit::cfn::Options {
                source: source.to_string(),
            },
        ),
        Target::Tf => emit::tf::emit(
            graph,
            &emit::tf::Options {
                source: source.to_string(),
            },
        ),
    }
}

fn report(db: &SourceDb, diags: &[Diagnostic]) {
    let mut err = output::stderr();
    let _ = human::render(db, diags, &mut err);
}

pub fn run(args: Args) -> Status {
    let mut db = SourceDb::new();
    let outcome = driver::check_path(&mut db, &args.file);
    report(&db, &outcome.diagnostics);
    if outcome
        .diagnostics
        .iter()
        .any(|d| d.primary.is_none() && d.is_error())
    {
        return Status::Trouble;
    }
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        let _ = writeln!(
            output::stderr(),
            "build refused: {errors} error{} in `{}`; nothing written",
            if errors == 1 { "" } else { "s" },
            args.file.display()
        );
        return Status::Findings;
    }
    // The graph `check` judged: lowered once, emitted unchanged.
    let Some(graph) = outcome.graph else {
        let _ = writeln!(
            output::stderr(),
            "build refused: no site to build; nothing written"
        );
        return Status::Findings;
    };
    let source = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = emit_target(args.target, &graph, &source);
    let out = match result {
        Ok(o) => o,
        Err(diags) => {
            report(&db, &diags);
            let io = diags
                .iter()
                .any(|d| d.code.code == emit::codes::SOURCE_UNREADABLE.code);
            let _ = writeln!(output::stderr(), "build failed; nothing written");
            return if io {
                Status::Trouble
            } else {
                Status::Findings
            };
        }
    };
    if let Err(e) = emit::write::write_atomic(&args.output, &out) {
        let d = Diagnostic::new(&emit::codes::OUTPUT_UNWRITABLE, e.to_string())
            .help("choose a writable location for `-o`; the previous output, if any, is unchanged");
        report(&db, &[d]);
        return Status::Trouble;
    }
    let warnings = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let _ = writeln!(
        output::stderr(),
        "built `{}` for {}: {} files in `{}`{}",
        args.file.display(),
        args.target.title(),
        out.files.len(),
        args.output.display(),
        if warnings > 0 {
            format!(
                " ({warnings} warning{})",
                if warnings == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    );
    Status::Clean
}
