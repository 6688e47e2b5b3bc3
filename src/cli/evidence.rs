//! `drsc evidence FILE [--format markdown|json] [-o FILE]`: the evidence
//! report of a checked site (`drsc::evidence`). Exit status 1 when the site
//! has errors (nothing written) or the report shows a gap (the report is
//! still written).

use super::{output, Status};
use clap::ValueEnum;
use drsc::diagnostic::human;
use drsc::source::SourceDb;
use drsc::{driver, evidence, objectives};
use std::io::Write;
use std::path::PathBuf;

/// The report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown (`EVIDENCE.md`).
    Markdown,
    /// JSON following `specs/evidence.schema.json`.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The site file to report on.
    file: PathBuf,
    /// The report format.
    #[arg(long, value_enum, default_value = "markdown")]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> Status {
    let mut db = SourceDb::new();
    let outcome = driver::check_path(&mut db, &args.file);
    if outcome.has_errors() {
        let mut err = output::stderr_buffered();
        let _ = human::render(&db, &outcome.diagnostics, &mut err);
        // An unreadable file (an error with no place in a source) is trouble, as for `build`.
        if outcome
            .diagnostics
            .iter()
            .any(|d| d.primary.is_none() && d.is_error())
        {
            let _ = err.flush();
            return Status::Trouble;
        }
        let _ = writeln!(
            err,
            "evidence refused: the site has errors; nothing written"
        );
        let _ = err.flush();
        return Status::Findings;
    }
    let (Some(model), Some(graph)) = (outcome.model.as_ref(), outcome.graph.as_ref()) else {
        eprintln!("evidence refused: no site to report on");
        return Status::Findings;
    };
    let o = objectives::estimate(model, graph);
    let doc = evidence::build(model, graph, &o);
    let text = match args.format {
        Format::Markdown => evidence::to_markdown(&doc),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&evidence::to_json(&doc)).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    let status = if doc.gaps == 0 {
        Status::Clean
    } else {
        eprintln!(
            "evidence: {} gap{} (rows whose control or resource the build lacks)",
            doc.gaps,
            if doc.gaps == 1 { "" } else { "s" }
        );
        Status::Findings
    };
    match &args.output {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => status,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                Status::Trouble
            }
        },
        None => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Ok(()) => status,
            Err(e) => super::output_failed(&e, status),
        },
    }
}
