//! `drsc graph FILE --format mermaid|dot`: the site as a picture, drawn from
//! the graph `build` would emit.

use super::{output, Status};
use clap::ValueEnum;
use drsc::diagnostic::human;
use drsc::source::SourceDb;
use drsc::{driver, graph::diagram};
use std::io::Write;
use std::path::PathBuf;

/// The picture formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A Mermaid flowchart (rendered by GitHub, GitLab and most editors).
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

#[derive(clap::Args)]
pub struct Args {
    /// The site file to draw.
    file: PathBuf,
    /// The picture format.
    #[arg(long, value_enum, default_value = "mermaid")]
    format: Format,
}

pub fn run(args: Args) -> Status {
    let mut db = SourceDb::new();
    let outcome = driver::check_path(&mut db, &args.file);
    if outcome.has_errors() {
        let mut err = output::stderr_buffered();
        let _ = human::render(&db, &outcome.diagnostics, &mut err);
        let _ = writeln!(err, "graph refused: the site has errors; nothing drawn");
        let _ = err.flush();
        return Status::Findings;
    }
    let Some(graph) = outcome.graph else {
        eprintln!("graph refused: no site to draw");
        return Status::Findings;
    };
    let text = match args.format {
        Format::Mermaid => diagram::mermaid(&graph),
        Format::Dot => diagram::dot(&graph),
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => Status::Clean,
        Err(e) => super::output_failed(&e, Status::Clean),
    }
}
