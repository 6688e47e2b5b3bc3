//! `drsc check FILE...`.

use super::{output, Status};
use clap::ValueEnum;
use drsc::diagnostic::{json, sarif, Diagnostic, Severity};
use drsc::driver::{self, CheckOptions};
use drsc::objectives::{report, Objectives};
use drsc::source::SourceDb;
use rayon::prelude::*;
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
    /// Ignore every `allow CODE "reason"` suppression.
    #[arg(long)]
    no_suppressions: bool,
    /// Show every diagnostic in human output (by default at most 50 per file).
    #[arg(long)]
    all_errors: bool,
}

/// What checking one file produced.
struct Checked {
    db: SourceDb,
    diagnostics: Vec<Diagnostic>,
    /// The recovery-objective estimate, when the file declares a usable site.
    objectives: Option<Objectives>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DenyLevel {
    Warnings,
}

pub fn run(args: Args) -> Status {
    let options = CheckOptions {
        honour_suppressions: !args.no_suppressions,
    };
    // Files are independent: check them in parallel, report in argument order.
    let all: Vec<Checked> = args
        .files
        .par_iter()
        .map(|path| {
            let mut db = SourceDb::new();
            let outcome = driver::check_path_with(&mut db, path, options);
            // Terms resting on invalid values show as unknown.
            let objectives = outcome.objectives;
            let mut diagnostics = outcome.diagnostics;
            if args.deny.is_some() {
                for d in &mut diagnostics {
                    if d.severity == Severity::Warning {
                        d.severity = Severity::Error;
                    }
                }
            }
            Checked {
                db,
                diagnostics,
                objectives,
            }
        })
        .collect();
    let mut worst = Status::Clean;
    for c in &all {
        let diags = &c.diagnostics;
        let status = if diags.iter().any(|d| d.primary.is_none() && d.is_error()) {
            Status::Trouble
        } else if diags.iter().any(Diagnostic::is_error) {
            Status::Findings
        } else {
            Status::Clean
        };
        worst = worst.max(status);
    }
    match report(&args, &all) {
        Ok(()) => worst,
        Err(e) => super::output_failed(&e, worst),
    }
}

fn report(args: &Args, all: &[Checked]) -> std::io::Result<()> {
    match args.format {
        Format::Human => {
            let mut err = output::stderr_buffered();
            let per_file = (!args.all_errors).then_some(output::SHOWN_PER_FILE);
            let (mut errors, mut warnings) = (0, 0);
            for Checked {
                db,
                diagnostics: diags,
                ..
            } in all
            {
                output::render_capped(db, diags, per_file, &mut err)?;
                let (e, w) = output::counts(diags);
                errors += e;
                warnings += w;
            }
            let mut printed = errors + warnings > 0;
            for c in all {
                if let Some(o) = &c.objectives {
                    if printed {
                        writeln!(err)?;
                    }
                    report::render_human(o, &c.db, &mut err)?;
                    printed = true;
                }
            }
            let files = all.len();
            let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            // With one site, the line also says whether it survives the loss of its primary.
            let loss = match all {
                [Checked {
                    objectives: Some(o),
                    ..
                }] => o
                    .region_loss
                    .first()
                    .map_or(String::new(), |l| format!("; {}", l.summary)),
                _ => String::new(),
            };
            writeln!(
                err,
                "checked {}: {}, {}{loss}",
                plural(files, "file"),
                plural(errors, "error"),
                plural(warnings, "warning")
            )?;
            err.flush()?;
        }
        Format::Json => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for Checked {
                db,
                diagnostics: diags,
                objectives,
            } in all
            {
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
                if let Some(o) = objectives {
                    let v = serde_json::json!({ "objectives": report::to_json(o, db) });
                    writeln!(out, "{v}")?;
                }
            }
            out.flush()?;
        }
        Format::Sarif if all.len() == 1 => {
            // One file: its database is the log's (no copies to re-home into).
            let c = &all[0];
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            sarif::write_sarif(&c.db, &c.diagnostics, &mut out)?;
            writeln!(out)?;
            out.flush()?;
        }
        Format::Sarif => {
            // SARIF is one log: re-home every file's diagnostics into one database.
            let mut merged = SourceDb::new();
            let mut diags = Vec::new();
            for Checked {
                db,
                diagnostics: ds,
                ..
            } in all
            {
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
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            sarif::write_sarif(&merged, &diags, &mut out)?;
            writeln!(out)?;
            out.flush()?;
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
