//! The LSP renderer of diagnostics: the same [`Diagnostic`]s `drsc check`
//! prints, with codes, related locations and the registry's explanation.

use super::analysis::Analysis;
use super::position;
use super::uri::Locator;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Import, Item};
use lsp_types as lsp;
use serde_json::json;
use std::str::FromStr;

/// Options of the renderer.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A documentation URL for codes, with `{code}` where the code goes
    /// (e.g. `https://example.com/rules#{code}`); without it the explanation
    /// travels in the diagnostic's `data`.
    pub explain_url: Option<String>,
}

/// The diagnostics to publish for the analysed document. Problems found in an
/// imported file are shown on the `import` that brings it in, with the real
/// place as related information; problems without a place go on the first line.
pub fn diagnostics(a: &Analysis, loc: &Locator<'_>, opts: &Options) -> Vec<lsp::Diagnostic> {
    a.outcome
        .diagnostics
        .iter()
        .filter_map(|d| convert(a, loc, opts, d))
        .collect()
}

fn convert(
    a: &Analysis,
    loc: &Locator<'_>,
    opts: &Options,
    d: &Diagnostic,
) -> Option<lsp::Diagnostic> {
    let mut message = d.message.to_string();
    let mut related = Vec::new();
    let range = match d.span() {
        Some(span) if span.file == a.root => position::range(a.file(), span),
        Some(span) => {
            let import = import_leading_to(a, span.file)?;
            let name = &a.db.get(span.file).name;
            message = format!("in `{name}`: {message}");
            related.extend(related_info(a, loc, span, "the problem is here"));
            position::range(a.file(), import.path.span)
        }
        None => lsp::Range::default(),
    };
    for label in &d.secondary {
        related.extend(related_info(a, loc, label.span, &label.message));
    }
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let code_description = opts.explain_url.as_ref().and_then(|t| {
        let href = lsp::Uri::from_str(&t.replace("{code}", d.code.code)).ok()?;
        Some(lsp::CodeDescription { href })
    });
    Some(lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.code.to_string())),
        code_description,
        source: Some("drsc".to_string()),
        message,
        related_information: Some(related),
        tags: None,
        data: Some(json!({
            "name": d.code.name,
            "summary": d.code.summary,
            "explanation": d.code.explanation,
        })),
    })
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
    }
}

fn related_info(
    a: &Analysis,
    loc: &Locator<'_>,
    span: Span,
    message: &str,
) -> Option<lsp::DiagnosticRelatedInformation> {
    let uri = loc.uri(&a.db, span.file)?;
    Some(lsp::DiagnosticRelatedInformation {
        location: lsp::Location {
            uri,
            range: position::range(a.db.get(span.file), span),
        },
        message: message.to_string(),
    })
}

/// The root's import through which `file` was loaded, directly or not.
fn import_leading_to(a: &Analysis, file: FileId) -> Option<&Import> {
    let ast = a.ast()?;
    ast.items.iter().find_map(|i| match i {
        Item::Import(imp) => {
            let target = a.import_target(imp)?;
            reaches(a, target, file, &mut Vec::new()).then_some(imp)
        }
        _ => None,
    })
}

fn reaches(a: &Analysis, from: FileId, to: FileId, seen: &mut Vec<FileId>) -> bool {
    if from == to {
        return true;
    }
    if seen.contains(&from) {
        return false;
    }
    seen.push(from);
    a.outcome
        .program
        .file(from)
        .is_some_and(|f| f.imports.iter().any(|&i| reaches(a, i, to, seen)))
}
