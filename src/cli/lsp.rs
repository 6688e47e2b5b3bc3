//! `drsc lsp`: the language server over stdio.

use super::Status;
use lsp_server::Connection;

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

pub fn run(args: Args) -> Status {
    let _ = args.stdio;
    let (conn, io) = Connection::stdio();
    let served = drsc::lsp::server::serve(&conn);
    drop(conn);
    let joined = io.join();
    match (served, joined) {
        (Ok(true), Ok(())) => Status::Clean,
        (Ok(false), _) => Status::Findings,
        (Err(e), _) => {
            eprintln!("error: drsc lsp: {e}");
            Status::Trouble
        }
        (Ok(true), Err(e)) => {
            eprintln!("error: drsc lsp: {e}");
            Status::Trouble
        }
    }
}
