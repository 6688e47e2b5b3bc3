//! `--format sarif`: a SARIF 2.1.0 log for code-scanning upload.

use super::{Diagnostic, Severity};
use crate::registry;
use crate::source::{SourceDb, Span};
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn region(db: &SourceDb, span: Span) -> Value {
    let file = db.get(span.file);
    let (sl, sc) = file.human_position(span.start as usize);
    let (el, ec) = file.human_position(span.end as usize);
    json!({"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec})
}

fn physical(db: &SourceDb, span: Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": db.get(span.file).name.replace('\\', "/")},
            "region": region(db, span),
        }
    })
}

/// The whole SARIF log for one run of `drsc check`.
pub fn to_sarif(db: &SourceDb, diags: &[Diagnostic]) -> Value {
    let rules: Vec<Value> = registry::all()
        .map(|c| {
            json!({
                "id": c.code,
                "name": c.name,
                "shortDescription": {"text": c.summary},
                "fullDescription": {"text": c.explanation},
                "help": {"text": c.explanation, "markdown": c.explanation},
                "defaultConfiguration": {"level": level(c.severity)},
            })
        })
        .collect();
    let index_of = |code: &str| registry::all().position(|c| c.code == code);
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut message = d.message.to_string();
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            let mut r = json!({
                "ruleId": d.code.code,
                "level": level(d.severity),
                "message": {"text": message},
                "locations": d.primary.iter().map(|p| physical(db, p.span)).collect::<Vec<_>>(),
                "relatedLocations": d.secondary.iter().enumerate().map(|(i, l)| {
                    let mut loc = physical(db, l.span);
                    loc["id"] = json!(i);
                    loc["message"] = json!({"text": l.message});
                    loc
                }).collect::<Vec<_>>(),
            });
            if let Some(i) = index_of(d.code.code) {
                r["ruleIndex"] = json!(i);
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "drsc",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/drsc/drsc",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
