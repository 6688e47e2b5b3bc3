//! `--format json`: one JSON object per diagnostic.

use super::{Diagnostic, Label};
use crate::source::{SourceDb, Span};
use serde_json::{json, Value};

/// A resolved position: file name, one-based lines and columns.
pub fn location(db: &SourceDb, span: Span) -> Value {
    let file = db.get(span.file);
    let (sl, sc) = file.human_position(span.start as usize);
    let (el, ec) = file.human_position(span.end as usize);
    json!({
        "file": file.name,
        "start": {"line": sl, "column": sc},
        "end": {"line": el, "column": ec},
    })
}

fn label(db: &SourceDb, l: &Label) -> Value {
    let mut v = location(db, l.span);
    v["message"] = json!(l.message);
    v
}

/// The JSON object for one diagnostic.
pub fn to_json(db: &SourceDb, d: &Diagnostic) -> Value {
    let mut v = json!({
        "code": d.code.code,
        "name": d.code.name,
        "severity": d.severity.as_str(),
        "message": d.message,
        "labels": d.secondary.iter().map(|l| label(db, l)).collect::<Vec<_>>(),
        "notes": d.notes,
        "help": d.help,
    });
    match &d.primary {
        Some(p) => {
            let loc = label(db, p);
            v["file"] = loc["file"].clone();
            v["start"] = loc["start"].clone();
            v["end"] = loc["end"].clone();
            v["label"] = loc["message"].clone();
        }
        None => {
            v["file"] = Value::Null;
        }
    }
    v
}
