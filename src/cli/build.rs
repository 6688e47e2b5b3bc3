//! `drsc build FILE --target cfn|tf -o DIR`: the library builds, this writes the
//! output atomically and reports.

use super::{output, Status};
use clap::ValueEnum;
use codespan_reporting::term::termcolor::WriteColor;
use drsc::diagnostic::{Diagnostic, Severity};
use drsc::driver::{self, BuildOptions, BuildStatus, Target};
use drsc::emit;
use drsc::source::SourceDb;
use std::io::Write;
use std::path::PathBuf;

/// The backends `drsc build` can emit ([`Target`] as a command-line value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// AWS CloudFormation: per-region stacks, deploy.json, README.
    Cfn,
    /// Terraform (JSON syntax): one module for both regions.
    Tf,
}

impl From<TargetArg> for Target {
    fn from(t: TargetArg) -> Target {
        match t {
            TargetArg::Cfn => Target::Cfn,
            TargetArg::Tf => Target::Tf,
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// The site file to build.
    file: PathBuf,
    /// The backend.
    #[arg(long, value_enum)]
    target: TargetArg,
    /// Output directory; replaced atomically (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
    /// Show every diagnostic (by default at most 50 per file).
    #[arg(long)]
    all_errors: bool,
}

pub fn run(args: Args) -> Status {
    let mut err = output::stderr_buffered();
    let status = build(&args, &mut err);
    // Standard error is the only channel left to report on; a failure here has nowhere to go.
    let _ = err.flush();
    status
}

fn build(args: &Args, err: &mut dyn WriteColor) -> Status {
    let target = Target::from(args.target);
    let mut db = SourceDb::new();
    let outcome = driver::build(&mut db, &args.file, target, BuildOptions::default());
    let per_file = (!args.all_errors).then_some(output::SHOWN_PER_FILE);
    let report = |err: &mut dyn WriteColor, diags: &[Diagnostic]| {
        let _ = output::render_capped(&db, diags, per_file, err);
    };
    report(err, &outcome.check.diagnostics);
    let out = match outcome.status {
        BuildStatus::Unreadable => return Status::Trouble,
        BuildStatus::Refused { errors } => {
            let _ = writeln!(
                err,
                "build refused: {errors} error{} in `{}`; nothing written",
                if errors == 1 { "" } else { "s" },
                args.file.display()
            );
            return Status::Findings;
        }
        BuildStatus::NoSite => {
            let _ = writeln!(err, "build refused: no site to build; nothing written");
            return Status::Findings;
        }
        BuildStatus::Failed { io } => {
            report(err, &outcome.diagnostics);
            let _ = writeln!(err, "build failed; nothing written");
            return if io {
                Status::Trouble
            } else {
                Status::Findings
            };
        }
        BuildStatus::Emitted(out) => out,
    };
    if let Err(e) = emit::write::write_atomic(&args.output, &out) {
        let d = Diagnostic::new(&emit::codes::OUTPUT_UNWRITABLE, e.to_string())
            .help("choose a writable location for `-o`; the previous output, if any, is unchanged");
        report(err, &[d]);
        return Status::Trouble;
    }
    let warnings = outcome
        .check
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let _ = writeln!(
        err,
        "built `{}` for {}: {} files in `{}`{}",
        args.file.display(),
        target.title(),
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
    // The process exits next: freeing the graph, the model and the files
    // one by one is work the OS does at once (2 % of a build's profile
    // samples, issue 15), so it is left to the exit.
    std::mem::forget(out);
    std::mem::forget(outcome.check);
    std::mem::forget(db);
    Status::Clean
}
