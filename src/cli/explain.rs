//! `drsc explain DRSxxxx`.

use super::Status;
use drsc::registry;

#[derive(clap::Args)]
pub struct Args {
    /// The code, e.g. DRS0031.
    code: String,
}

pub fn run(args: Args) -> Status {
    match registry::lookup(&args.code) {
        Some(c) => {
            println!("{} ({}): {}\n", c.code, c.name, c.summary);
            println!("Default severity: {}\n", c.severity.as_str());
            println!("{}", c.explanation);
            Status::Clean
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
