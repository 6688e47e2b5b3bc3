//! `drsc explain DRSxxxx`.

use super::Status;
use drsc::registry;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// The code, e.g. DRS0031.
    code: String,
}

pub fn run(args: Args) -> Status {
    match registry::lookup(&args.code) {
        Some(c) => {
            let text = format!(
                "{} ({}): {}\n\nDefault severity: {}\n\n{}\n",
                c.code,
                c.name,
                c.summary,
                c.severity.as_str(),
                c.explanation
            );
            match std::io::stdout().lock().write_all(text.as_bytes()) {
                Ok(()) => Status::Clean,
                Err(e) => super::output_failed(&e, Status::Clean),
            }
        }
        None => {
            let codes: Vec<&str> = registry::all().map(|c| c.code).collect();
            let hint = drsc::suggest::closest(&args.code, codes.iter().copied())
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            eprintln!(
                "error: unknown code `{}`{hint}; `drsc rules` lists every code",
                args.code
            );
            Status::Trouble
        }
    }
}
