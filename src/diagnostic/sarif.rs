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

/// One diagnostic as a SARIF result.
fn result(db: &SourceDb, d: &Diagnostic) -> Value {
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
    if let Some(i) = registry::all().position(|c| c.code == d.code.code) {
        r["ruleIndex"] = json!(i);
    }
    r
}

/// The log without its results (`results` is `null`).
fn skeleton() -> Value {
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
            "results": null,
        }],
    })
}

/// The whole SARIF log for one run of `drsc check`.
pub fn to_sarif(db: &SourceDb, diags: &[Diagnostic]) -> Value {
    let mut log = skeleton();
    log["runs"][0]["results"] = diags.iter().map(|d| result(db, d)).collect();
    log
}

/// Writes [`to_sarif`]'s log, pretty-printed as `{:#}` prints it, without
/// building it: one result at a time. A log of 400,000 results held as one
/// `Value` takes gigabytes.
pub fn write_sarif(
    db: &SourceDb,
    diags: &[Diagnostic],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let results = Results { db, diags };
    let log = Patched {
        value: &skeleton(),
        results: &results,
    };
    serde_json::to_writer_pretty(out, &log).map_err(std::io::Error::other)
}

struct Results<'a> {
    db: &'a SourceDb,
    diags: &'a [Diagnostic],
}

impl serde::Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.diags.len()))?;
        for d in self.diags {
            seq.serialize_element(&result(self.db, d))?;
        }
        seq.end()
    }
}

/// The skeleton, with its `results` written from [`Results`].
struct Patched<'a> {
    value: &'a Value,
    results: &'a Results<'a>,
}

impl serde::Serialize for Patched<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.value {
            Value::Object(m) => {
                let mut map = serializer.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    if k == "results" && v.is_null() {
                        map.serialize_entry(k, self.results)?;
                    } else {
                        map.serialize_entry(
                            k,
                            &Patched {
                                value: v,
                                results: self.results,
                            },
                        )?;
                    }
                }
                map.end()
            }
            Value::Array(a) => {
                let mut seq = serializer.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(&Patched {
                        value: v,
                        results: self.results,
                    })?;
                }
                seq.end()
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_log_is_the_log() {
        let mut db = SourceDb::new();
        let id = db.add("a.drs", None, "site \"a\" {\n  x = 1\n}\n".to_string());
        let at = |s: usize, e: usize| Span::new(id, s, e);
        let code = &crate::syntax::codes::SYNTAX;
        let diags = vec![
            Diagnostic::new(code, "first")
                .at(at(0, 4), "here")
                .help("do this"),
            Diagnostic::new(code, "second")
                .at(at(13, 18), "there")
                .also(at(0, 4), "and here"),
        ];
        let mut out = Vec::new();
        write_sarif(&db, &diags, &mut out).unwrap();
        let expected = format!("{:#}", to_sarif(&db, &diags));
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
