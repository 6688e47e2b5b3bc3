//! Terminal rendering with source snippets, through codespan-reporting.

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceDb};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use codespan_reporting::term::termcolor::WriteColor;
use std::collections::BTreeMap;
use std::ops::Range;

impl<'a> Files<'a> for SourceDb {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.ids()
            .any(|i| i == id)
            .then(|| self.get(id).name.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.ids()
            .any(|i| i == id)
            .then(|| self.text(id))
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.get(id).line_col(byte_index).0)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.get(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })? as usize;
        let end = starts
            .get(line_index + 1)
            .map_or(file.text.len(), |&e| e as usize);
        Ok(start..end)
    }
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        labels.push(cs::Label::primary(p.span.file, p.span.range()).with_message(&*p.message));
    }
    for s in &d.secondary {
        labels.push(cs::Label::secondary(s.span.file, s.span.range()).with_message(&*s.message));
    }
    let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.code)
        .with_message(&*d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Writes diagnostics with snippets to `out` (colour is the writer's business).
/// A diagnostic without a location (an unreadable file) is written without one.
pub fn render(
    db: &SourceDb,
    diags: &[Diagnostic],
    out: &mut dyn WriteColor,
) -> std::io::Result<()> {
    let config = term::Config::default();
    for d in diags {
        if d.primary.is_none() {
            writeln!(
                out,
                "{}[{}]: {}",
                d.severity.as_str(),
                d.code.code,
                d.message
            )?;
            for n in &d.notes {
                writeln!(out, "  = note: {n}")?;
            }
            if let Some(h) = &d.help {
                writeln!(out, "  = help: {h}")?;
            }
            writeln!(out)?;
            continue;
        }
        term::emit(out, &config, db, &to_codespan(d)).map_err(|e| match e {
            FilesError::Io(io) => io,
            other => std::io::Error::other(other.to_string()),
        })?;
    }
    Ok(())
}

/// Diagnostics [`render_limited`] left out of one file, by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden {
    pub file: FileId,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// [`render`] with at most `per_file` diagnostics per source file; returns what was
/// left out, per file in file order (the caller says so, in its own words).
/// Diagnostics without a location are always written.
pub fn render_limited(
    db: &SourceDb,
    diags: &[Diagnostic],
    per_file: usize,
    out: &mut dyn WriteColor,
) -> std::io::Result<Vec<Hidden>> {
    let mut shown: BTreeMap<FileId, usize> = BTreeMap::new();
    let mut hidden: BTreeMap<FileId, Hidden> = BTreeMap::new();
    for d in diags {
        if let Some(span) = d.span() {
            let n = shown.entry(span.file).or_default();
            if *n >= per_file {
                let h = hidden.entry(span.file).or_insert(Hidden {
                    file: span.file,
                    ..Hidden::default()
                });
                match d.severity {
                    Severity::Error => h.errors += 1,
                    Severity::Warning => h.warnings += 1,
                    Severity::Note => h.notes += 1,
                }
                continue;
            }
            *n += 1;
        }
        render(db, std::slice::from_ref(d), out)?;
    }
    Ok(hidden.into_values().collect())
}

/// Renders to a plain string without colour (tests, snapshots, LSP-free uses).
pub fn render_to_string(db: &SourceDb, diags: &[Diagnostic]) -> String {
    let mut buf = term::termcolor::NoColor::new(Vec::new());
    // Writing into memory cannot fail with an I/O error; a missing file id is a bug.
    let _ = render(db, diags, &mut buf);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}
