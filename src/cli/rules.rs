//! `drsc rules`: a table of every code.

use super::Status;
use drsc::registry;

#[derive(clap::Args)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Status {
    if args.json {
        let rows: Vec<serde_json::Value> = registry::all()
            .map(|c| {
                serde_json::json!({
                    "code": c.code, "name": c.name,
                    "severity": c.severity.as_str(), "summary": c.summary,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
        return Status::Clean;
    }
    let width = registry::all().map(|c| c.name.len()).max().unwrap_or(0);
    println!("{:<8} {:<width$} {:<8} SUMMARY", "CODE", "NAME", "SEVERITY");
    for c in registry::all() {
        println!(
            "{:<8} {:<width$} {:<8} {}",
            c.code,
            c.name,
            c.severity.as_str(),
            c.summary
        );
    }
    Status::Clean
}
