//! `drsc check FILE...`.

use super::{output, Status};
use clap::ValueEnum;
use drsc::diagnostic::{human, json, sarif, Diagnostic, Severity};
use drsc::driver;
use drsc::source::SourceDb;
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(clap::Args)]
pub struct Args {
    /// Site files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Treat warnings as errors (`--deny warnings`).
    #[arg(long, value_name = "warnings")]
    deny: Option<DenyLevel>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DenyLevel {
    Warnings,
}

pub fn run(args: Args) -> Status {
    let mut worst = Status::Clean;
    let mut all: Vec<(SourceDb, Vec<Diagnostic>)> = Vec::new();
    for path in &args.files {
        let mut db = SourceDb::new();
        let outcome = driver::check_path(&mut db, path);
        let mut diags = outcome.diagnostics;
        if args.deny.is_some() {
            for d in &mut diags {
                if d.severity == Severity::Warning {
                    d.severity = Severity::Error;
                }
            }
        }
        let status = if diags.iter().any(|d| d.primary.is_none() && d.is_error()) {
            Status::Trouble
        } else if diags.iter().any(Diagnostic::is_error) {
            Status::Findings
        } else {
            Status::Clean
        };
        worst = worst.max(status);
        all.push((db, diags));
    }
    if let Err(e) = report(&args, &all) {
        eprintln!("error: cannot write output: {e}");
        return Status::Trouble;
    }
    worst
}

fn report(args: &Args, all: &[(SourceDb, Vec<Diagnostic>)]) -> std::io::Result<()> {
    match args.format {
        Format::Human => {
            let mut err = output::stderr();
            let (mut errors, mut warnings) = (0, 0);
            for (db, diags) in all {
                for d in diags {
                    if d.primary.is_none() {
                        writeln!(
                            err,
                            "{}[{}]: {}",
                            d.severity.as_str(),
                            d.code.code,
                            d.message
                        )?;
                        if let Some(h) = &d.help {
                            writeln!(err, "  = help: {h}")?;
                        }
                    } else {
                        human::render(db, std::slice::from_ref(d), &mut err)?;
                    }
                    match d.severity {
                        Severity::Error => errors += 1,
                        Severity::Warning => warnings += 1,
                        Severity::Note => {}
                    }
                }
            }
            let files = all.len();
            let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            writeln!(
                err,
                "checked {}: {}, {}",
                plural(files, "file"),
                plural(errors, "error"),
                plural(warnings, "warning")
            )?;
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for (db, diags) in all {
                for d in diags {
                    let v = match d.primary {
                        Some(_) => json::to_json(db, d),
                        None => serde_json::json!({
                            "code": d.code.code, "name": d.code.name, "severity": d.severity.as_str(),
                            "message": d.message, "file": null, "labels": [], "notes": d.notes, "help": d.help,
                        }),
                    };
                    writeln!(out, "{v}")?;
                }
            }
        }
        Format::Sarif => {
            // SARIF is one log: re-home every file's diagnostics into one database.
            let mut merged = SourceDb::new();
            let mut diags = Vec::new();
            for (db, ds) in all {
                let ids: Vec<_> = db
                    .ids()
                    .map(|id| {
                        let f = db.get(id);
                        merged.add(f.name.clone(), f.path.clone(), f.text.clone())
                    })
                    .collect();
                for d in ds {
                    diags.push(rehome(d, &ids));
                }
            }
            let mut out = std::io::stdout().lock();
            writeln!(out, "{:#}", sarif::to_sarif(&merged, &diags))?;
        }
    }
    Ok(())
}

fn rehome(d: &Diagnostic, ids: &[drsc::source::FileId]) -> Diagnostic {
    let mut d = d.clone();
    let map = |s: &mut drsc::source::Span| s.file = ids[s.file.0 as usize];
    if let Some(p) = &mut d.primary {
        map(&mut p.span);
    }
    for l in &mut d.secondary {
        map(&mut l.span);
    }
    d
}
