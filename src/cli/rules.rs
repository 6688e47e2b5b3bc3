//! `drsc rules`: a table of every code.

use super::Status;
use drsc::registry;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Status {
    match print(&args, &mut std::io::stdout().lock()) {
        Ok(()) => Status::Clean,
        Err(e) => super::output_failed(&e, Status::Clean),
    }
}

fn print(args: &Args, out: &mut impl Write) -> std::io::Result<()> {
    if args.json {
        let rows: Vec<serde_json::Value> = registry::all()
            .map(|c| {
                serde_json::json!({
                    "code": c.code, "name": c.name,
                    "severity": c.severity.as_str(), "summary": c.summary,
                })
            })
            .collect();
        return writeln!(out, "{}", serde_json::Value::Array(rows));
    }
    let width = registry::all().map(|c| c.name.len()).max().unwrap_or(0);
    writeln!(
        out,
        "{:<8} {:<width$} {:<8} SUMMARY",
        "CODE", "NAME", "SEVERITY"
    )?;
    for c in registry::all() {
        writeln!(
            out,
            "{:<8} {:<width$} {:<8} {}",
            c.code,
            c.name,
            c.severity.as_str(),
            c.summary
        )?;
    }
    Ok(())
}
