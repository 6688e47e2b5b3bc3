//! Argument parsing and dispatch; one file per subcommand.

mod build;
mod check;
mod evidence;
mod explain;
mod fmt;
mod graph;
mod lsp;
mod output;
mod rules;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit statuses: 0 clean, 1 errors found, 2 usage or I/O problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Clean = 0,
    Findings = 1,
    Trouble = 2,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(s as u8)
    }
}

#[derive(Parser)]
#[command(
    name = "drsc",
    version,
    about = "A compiler for disaster-recovery infrastructure",
    long_about = "drsc checks a declarative disaster-recovery site (`site.drs`) against \
compliance rules and compiles it to CloudFormation or Terraform.",
    after_help = "Examples:\n  drsc check specs/transactions.drs\n  drsc check --format sarif sites/*.drs > drsc.sarif\n  drsc fmt --check specs/*.drs\n  drsc explain DRS0031\n\nExit status: 0 clean, 1 errors found, 2 usage or I/O problem."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a site to deployable infrastructure (`--target cfn`).
    Build(build::Args),
    /// Parse, resolve and check sites; report every problem.
    Check(check::Args),
    /// Map objectives and requirements to the controls, reports and regulation clauses that evidence them.
    Evidence(evidence::Args),
    /// Print the long explanation of a diagnostic code.
    Explain(explain::Args),
    /// Rewrite files in the canonical layout (`--check`: only report).
    Fmt(fmt::Args),
    /// Draw the site (regions, stores, replication, backups, DNS, failover) as Mermaid or DOT.
    Graph(graph::Args),
    /// List every diagnostic code and rule.
    Rules(rules::Args),
    /// Run the language server over stdio (for editors).
    Lsp(lsp::Args),
}

/// The status after output could not be written: a closed pipe (`drsc rules | head`)
/// is the reader's choice and keeps `status`; any other failure is trouble.
pub fn output_failed(e: &std::io::Error, status: Status) -> Status {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return status;
    }
    eprintln!("error: cannot write output: {e}");
    Status::Trouble
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Status::Trouble.into()
            } else {
                Status::Clean.into()
            };
        }
    };
    let status = match cli.command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Evidence(a) => evidence::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Lsp(a) => lsp::run(a),
    };
    status.into()
}
