//! The objectives summary: a short table for `drsc check`'s human output and
//! the JSON object for `--format json`, both with every term's source resolved
//! to a file and line.

use super::{Objectives, Source, Term};
use crate::diagnostic::json;
use crate::source::{SourceDb, Span};
use serde_json::{json, Value};
use std::io::Write;

/// `file:line` of spans, the file named once: `specs/site.drs:119, 120`.
fn places(db: &SourceDb, spans: &[Span]) -> String {
    let mut out = String::new();
    let mut last_file = None;
    for s in spans {
        let file = db.get(s.file);
        let (line, _) = file.human_position(s.start as usize);
        if !out.is_empty() {
            out.push_str(", ");
        }
        if last_file != Some(s.file) {
            out.push_str(&format!("{}:", file.name));
            last_file = Some(s.file);
        }
        out.push_str(&line.to_string());
    }
    out
}

/// Where a term comes from, in words: `specs/site.drs:117` or `std/timing:60 [R53-FAQ]`.
fn source_text(db: &SourceDb, t: &Term) -> String {
    match &t.source {
        Source::Declaration { spans, .. } => places(db, spans),
        Source::Timing {
            reference, span, ..
        } => {
            let place = places(db, &[*span]);
            match reference.strip_prefix('[').and_then(|r| r.split_once(']')) {
                Some((key, _)) => format!("{place} [{key}]"),
                None => place,
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

/// One line of the table: a store or the failover path, then its terms.
struct Row {
    name: String,
    value: String,
    verdict: String,
    what: String,
    terms: Vec<(String, String)>,
}

/// Writes the per-site summary: each store's recovery point against the RPO and the
/// failover estimate against the RTO, every term with its source.
pub fn render_human(o: &Objectives, db: &SourceDb, out: &mut dyn Write) -> std::io::Result<()> {
    let terms = |ts: &[Term]| -> Vec<(String, String)> {
        ts.iter()
            .map(|t| {
                let what = format!("{}: {} ({})", t.name, t.description, source_text(db, t));
                (t.display.clone(), what)
            })
            .collect()
    };
    let stores: Vec<Row> = o
        .stores
        .iter()
        .map(|s| Row {
            name: s.store.clone(),
            value: s.display.clone(),
            verdict: if s.unknown {
                "unknown".into()
            } else {
                verdict(s.meets_rpo, s.shortfall)
            },
            what: s.mechanism.clone(),
            terms: {
                // The other direction (R33): while the secondary writes.
                let mut t = terms(&s.terms);
                let a = &s.after_failover;
                let verdict = if s.unknown {
                    "unknown"
                } else if a.meets_rpo {
                    "ok"
                } else {
                    "exceeds the RPO"
                };
                t.push((
                    a.display.clone(),
                    format!("after a failover ({verdict}): {}", a.mechanism),
                ));
                if let Some(c) = &s.isolated_copy {
                    t.push((String::new(), format!("isolated copy: {c}")));
                }
                t
            },
        })
        .collect();
    // The recovery point from backups, per region (corruption, mass deletes).
    let backups: Vec<Row> = o
        .stores
        .iter()
        .flat_map(|s| s.backups.iter().map(move |b| (s, b)))
        .map(|(s, b)| Row {
            name: format!("{} in {}", s.store, b.region),
            value: b.display.clone(),
            verdict: match b.recovery_point {
                None if b.meets_rpo => "unknown".into(),
                Some(p) if !b.meets_rpo => verdict(false, p.checked_sub(o.rpo.seconds)),
                p => verdict(b.meets_rpo, p.map(|_| 0)),
            },
            what: b.mechanism.clone(),
            terms: terms(&b.terms),
        })
        .collect();
    let rt = &o.recovery_time;
    let failover = Row {
        name: "failover".into(),
        value: rt.display.clone(),
        verdict: match &rt.problem {
            Some(_) => "FAILS".to_string(),
            None if rt.unknown => "unknown".into(),
            None if rt.estimate.is_none() && rt.meets_rto => "n/a".into(),
            None => verdict(rt.meets_rto, rt.shortfall),
        },
        what: match &rt.problem {
            Some(p) => format!("{}: {p}", rt.path),
            None => rt.path.clone(),
        },
        terms: terms(&rt.terms),
    };
    let all = || {
        stores
            .iter()
            .chain(&backups)
            .chain(std::iter::once(&failover))
    };
    let name_w = all().map(|r| r.name.len()).max().unwrap_or(0);
    let value_w = all()
        .flat_map(|r| std::iter::once(&r.value).chain(r.terms.iter().map(|t| &t.0)))
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(0);
    let verdict_w = all().map(|r| r.verdict.len()).max().unwrap_or(0);
    let write_row = |out: &mut dyn Write, r: &Row| -> std::io::Result<()> {
        writeln!(
            out,
            "    {:name_w$}  {:>value_w$}  {:verdict_w$}  {}",
            r.name, r.value, r.verdict, r.what
        )?;
        for (value, what) in &r.terms {
            writeln!(
                out,
                "    {:name_w$}  {value:>value_w$}  {:verdict_w$}    {what}",
                "", ""
            )?;
        }
        Ok(())
    };
    writeln!(out, "objectives of site `{}`", o.site)?;
    writeln!(out, "  recovery point (RPO {})", o.rpo.display)?;
    if stores.is_empty() {
        writeln!(out, "    no data stores")?;
    }
    for r in &stores {
        write_row(out, r)?;
    }
    if !backups.is_empty() {
        writeln!(
            out,
            "  recovery point from backups, after corruption (RPO {}; in-region, then DR region)",
            o.rpo.display
        )?;
        for r in &backups {
            write_row(out, r)?;
        }
    }
    writeln!(out, "  recovery time (RTO {})", o.rto.display)?;
    write_row(out, &failover)?;
    writeln!(out, "  region loss (R31, R32)")?;
    for loss in &o.region_loss {
        writeln!(out, "    {}", loss.summary)?;
        for d in &loss.dependencies {
            let what = match d.impact {
                super::region_loss::Impact::Breaks => "error (DRS0410)",
                super::region_loss::Impact::Degrades => "warning, degraded",
            };
            writeln!(out, "      {what}: {}", d.chain)?;
        }
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
        v["stores"][i]["after_failover"]["terms"] = Value::Array(
            s.after_failover
                .terms
                .iter()
                .map(|t| term_json(db, t))
                .collect(),
        );
        for (j, b) in s.backups.iter().enumerate() {
            v["stores"][i]["backups"][j]["terms"] =
                Value::Array(b.terms.iter().map(|t| term_json(db, t)).collect());
        }
    }
    let rt = &o.recovery_time;
    v["recovery_time"]["terms"] = Value::Array(rt.terms.iter().map(|t| term_json(db, t)).collect());
    for (i, loss) in o.region_loss.iter().enumerate() {
        v["region_loss"][i]["intact"] = json!(loss.intact());
        for (j, d) in loss.dependencies.iter().enumerate() {
            if let Some(span) = d.span {
                v["region_loss"][i]["dependencies"][j]["location"] = json::location(db, span);
            }
        }
    }
    v["rpo"]["location"] = json::location(db, o.rpo.span);
    v["rto"]["location"] = json::location(db, o.rto.span);
    v
}
