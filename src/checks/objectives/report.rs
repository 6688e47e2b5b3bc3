//! The objectives summary: a short table for `drsc check`'s human output and
//! the JSON object for `--format json`, both with every term's source resolved
//! to a file and line.

use super::{Objectives, Source, Term};
use crate::diagnostic::json;
use crate::source::{SourceDb, Span};
use serde_json::{json, Value};
use std::io::Write;

/// `file:line` of a span.
fn place(db: &SourceDb, span: Span) -> String {
    let file = db.get(span.file);
    let (line, _) = file.human_position(span.start as usize);
    format!("{}:{line}", file.name)
}

/// Where a term comes from, in words: `specs/site.drs:117` or `std/timing:60 [R53-FAQ]`.
fn source_text(db: &SourceDb, t: &Term) -> String {
    match &t.source {
        Source::Declaration { spans, .. } => spans
            .iter()
            .map(|s| place(db, *s))
            .collect::<Vec<_>>()
            .join(", "),
        Source::Timing {
            reference, span, ..
        } => {
            let key = reference
                .split(']')
                .next()
                .unwrap_or("")
                .trim_start_matches('[');
            if key.is_empty() || !reference.starts_with('[') {
                place(db, *span)
            } else {
                format!("{} [{key}]", place(db, *span))
            }
        }
        Source::Missing { key } => format!("{key}: not in the catalog"),
    }
}

fn verdict(meets: bool, shortfall: Option<u64>) -> String {
    match (meets, shortfall) {
        (true, _) => "ok".into(),
        (false, Some(gap)) => format!("over by {}", super::pretty(gap)),
        (false, None) => "FAILS".into(),
    }
}

/// Writes the per-site summary table.
pub fn render_human(o: &Objectives, db: &SourceDb, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "objectives of site `{}`: RPO {}, RTO {}",
        o.site, o.rpo.display, o.rto.display
    )?;
    let width = o
        .stores
        .iter()
        .map(|s| s.store.len())
        .chain([13])
        .max()
        .unwrap_or(13);
    for s in &o.stores {
        writeln!(
            out,
            "  {:width$}  {:>10}  {:<14}  {}",
            s.store,
            s.display,
            verdict(s.meets_rpo, s.shortfall),
            s.mechanism
        )?;
        for t in &s.terms {
            writeln!(
                out,
                "  {:width$}    {:>8}  {:<16}  {} ({})",
                "",
                t.display,
                t.name,
                t.description,
                source_text(db, t)
            )?;
        }
    }
    let rt = &o.recovery_time;
    let verdict = match &rt.problem {
        Some(_) => "FAILS".to_string(),
        None => verdict(rt.meets_rto, rt.shortfall),
    };
    writeln!(
        out,
        "  {:width$}  {:>10}  {:<14}  {}",
        "recovery time", rt.display, verdict, rt.path
    )?;
    if let Some(p) = &rt.problem {
        writeln!(out, "  {:width$}    {p}", "")?;
    }
    for t in &rt.terms {
        writeln!(
            out,
            "  {:width$}    {:>8}  {:<16}  {} ({})",
            "",
            t.display,
            t.name,
            t.description,
            source_text(db, t)
        )?;
    }
    Ok(())
}

/// The summary as a string (tests, the language server).
pub fn render_to_string(o: &Objectives, db: &SourceDb) -> String {
    let mut buf = Vec::new();
    // Writing into memory cannot fail.
    let _ = render_human(o, db, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn term_json(db: &SourceDb, t: &Term) -> Value {
    let mut v = serde_json::to_value(t).unwrap_or(Value::Null);
    let locations: Vec<Value> = t
        .source
        .spans()
        .into_iter()
        .map(|s| json::location(db, s))
        .collect();
    v["source"]["locations"] = json!(locations);
    v
}

/// The estimate as JSON, every term's source with its file and line.
pub fn to_json(o: &Objectives, db: &SourceDb) -> Value {
    let mut v = serde_json::to_value(o).unwrap_or(Value::Null);
    for (i, s) in o.stores.iter().enumerate() {
        v["stores"][i]["location"] = json::location(db, s.span);
        v["stores"][i]["terms"] = Value::Array(s.terms.iter().map(|t| term_json(db, t)).collect());
    }
    let rt = &o.recovery_time;
    v["recovery_time"]["terms"] = Value::Array(rt.terms.iter().map(|t| term_json(db, t)).collect());
    v["rpo"]["location"] = json::location(db, o.rpo.span);
    v["rto"]["location"] = json::location(db, o.rto.span);
    v
}
