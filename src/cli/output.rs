//! Where human output goes, whether it is coloured, and how many diagnostics it shows.

use codespan_reporting::term::termcolor::{
    BufferedStandardStream, ColorChoice, StandardStream, WriteColor,
};
use drsc::diagnostic::{human, Diagnostic, Severity};
use drsc::source::SourceDb;
use std::io::IsTerminal;

/// Diagnostics human output shows per file unless `--all-errors` is given. A file
/// with thousands of errors (a generated file, the wrong file) stays readable and
/// fast; JSON and SARIF always carry every diagnostic.
pub const SHOWN_PER_FILE: usize = 50;

/// Colour only on a terminal, never with `NO_COLOR` set.
pub fn color_choice(is_tty: bool) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if is_tty && !no_color {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    }
}

pub fn stderr() -> StandardStream {
    StandardStream::stderr(color_choice(std::io::stderr().is_terminal()))
}

/// Standard error through one buffer (flush it when done): rendering writes many
/// small pieces, one system call each on the unbuffered stream.
pub fn stderr_buffered() -> BufferedStandardStream {
    BufferedStandardStream::stderr(color_choice(std::io::stderr().is_terminal()))
}

/// Renders `diags` with at most `per_file` per source file (`None`: all), then, for
/// each file with more, a line saying how many were left out.
pub fn render_capped(
    db: &SourceDb,
    diags: &[Diagnostic],
    per_file: Option<usize>,
    out: &mut dyn WriteColor,
) -> std::io::Result<()> {
    let Some(cap) = per_file else {
        return human::render(db, diags, out);
    };
    for h in human::render_limited(db, diags, cap, out)? {
        let parts: Vec<String> = [
            (h.errors, "error"),
            (h.warnings, "warning"),
            (h.notes, "note"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} more {}", plural(n, w)))
        .collect();
        writeln!(
            out,
            "… and {} in `{}` (use --all-errors to see all)",
            parts.join(" and "),
            db.ids()
                .find(|i| *i == h.file)
                .map_or("?", |i| db.get(i).name.as_str())
        )?;
    }
    Ok(())
}

/// `error` or `errors`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Counts diagnostics by severity: (errors, warnings).
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    diags.iter().fold((0, 0), |(e, w), d| match d.severity {
        Severity::Error => (e + 1, w),
        Severity::Warning => (e, w + 1),
        Severity::Note => (e, w),
    })
}
