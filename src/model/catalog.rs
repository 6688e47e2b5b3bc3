//! The catalogs: regions, engines, runtimes, the runtime policy, timing
//! figures and wildcard-only IAM actions, read from the stdlib (and from any
//! user file that adds to them). A user entry with the label of a stdlib entry
//! replaces it; two user entries with one label are a duplicate.

use super::attrs::{Blk, Builder};
use super::resolve::{duplicate, header};
use super::types::*;
use super::values;
use crate::syntax::ast::{Block, Date, Item, Version};
use crate::units::{DataSize, Duration};

const NO_DATE: Date = Date {
    year: 1970,
    month: 1,
    day: 1,
};

impl<'a> Builder<'a> {
    pub fn catalog(&mut self) -> Catalog {
        let mut catalog = Catalog::default();
        for blk in self.entries("region") {
            catalog.regions.push(RegionFacts {
                name: blk.name.clone(),
                span: blk.header,
                display_name: self
                    .need(&blk, "display_name", values::string, String::new())
                    .value,
                short_name: self
                    .need(&blk, "short_name", values::string, String::new())
                    .value,
                zones: self.need(&blk, "zones", values::int, 0).value,
                services: self
                    .opt(&blk, "services", |v| {
                        values::list(v, |w| values::word(w).map(str::to_string))
                    })
                    .map_or_else(Vec::new, |s| s.value),
            });
        }
        for blk in self.entries("engine") {
            let major = self.opt(&blk, "major", values::int).map(|m| m.value);
            // A per-major entry must list its global-database versions.
            let conv = |v: &crate::syntax::ast::ValueKind| values::list(v, values::version);
            let global_database_versions = if major.is_some() {
                self.need(&blk, "global_database_versions", conv, Vec::new())
                    .value
            } else {
                self.opt(&blk, "global_database_versions", conv)
                    .map_or_else(Vec::new, |s| s.value)
            };
            catalog.engines.push(EngineFacts {
                name: blk.name.clone(),
                span: blk.header,
                engine: self
                    .opt(&blk, "engine", values::string)
                    .map_or_else(|| blk.name.clone(), |s| s.value),
                major,
                parameter_group_family: self
                    .opt(&blk, "parameter_group_family", values::string)
                    .map(|s| s.value),
                as_of: self.opt(&blk, "as_of", values::date),
                global_database_versions,
                retired_versions: self
                    .opt(&blk, "retired_versions", |v| {
                        values::list(v, values::version)
                    })
                    .map_or_else(Vec::new, |s| s.value),
                instance_classes: self
                    .opt(&blk, "instance_classes", |v| {
                        values::list(v, values::string)
                    })
                    .map_or_else(Vec::new, |s| s.value),
                serverless_v2: self.flag(&blk, "serverless_v2").value,
                port: self.opt(&blk, "port", values::int).map_or(0, |p| p.value),
            });
        }
        for blk in self.entries("runtime") {
            catalog.runtimes.push(RuntimeFacts {
                name: blk.name.clone(),
                span: blk.header,
                language: self
                    .need(
                        &blk,
                        "language",
                        |v| values::word(v).map(str::to_string),
                        String::new(),
                    )
                    .value,
                version: self
                    .need(
                        &blk,
                        "version",
                        values::version,
                        Version {
                            parts: Box::default(),
                        },
                    )
                    .value,
                deprecation: self.need(&blk, "deprecation", values::date, NO_DATE),
            });
        }
        if let Some(blk) = self.entries("runtime_policy").pop() {
            catalog.runtime_policy = Some(RuntimePolicy {
                as_of: self.need(&blk, "as_of", values::date, NO_DATE),
                warn_within: self.need(&blk, "warn_within", values::duration, Duration::seconds(0)),
            });
        }
        for blk in self.entries("timing") {
            catalog.timings.push(TimingFact {
                key: blk.name.clone(),
                span: blk.header,
                value: self
                    .need(&blk, "value", values::duration, Duration::seconds(0))
                    .value,
                source: self
                    .need(&blk, "source", values::string, String::new())
                    .value,
            });
        }
        for blk in self.entries("limit") {
            let secs = |d: Option<Spanned<Duration>>| d.map(|d| d.value.as_secs() as i64);
            let bytes = |d: Option<Spanned<DataSize>>| d.map(|d| d.value.as_bytes() as i64);
            let values = self
                .opt(&blk, "values", |v| values::list(v, values::duration))
                .map_or_else(Vec::new, |s| s.value);
            let (min, max, step) = (
                secs(self.opt(&blk, "min", values::duration)),
                secs(self.opt(&blk, "max", values::duration)),
                secs(self.opt(&blk, "step", values::duration)),
            );
            let (min_size, max_size, size_step) = (
                bytes(self.opt(&blk, "min_size", values::size)),
                bytes(self.opt(&blk, "max_size", values::size)),
                bytes(self.opt(&blk, "size_step", values::size)),
            );
            let (min_count, max_count) = (
                self.opt(&blk, "min_count", values::int::<i64>)
                    .map(|s| s.value),
                self.opt(&blk, "max_count", values::int::<i64>)
                    .map(|s| s.value),
            );
            let sized = min_size.or(max_size).or(size_step).is_some();
            let counted = min_count.or(max_count).is_some();
            catalog.limits.push(LimitFact {
                key: blk.name.clone(),
                span: blk.header,
                unit: if sized {
                    LimitUnit::Bytes
                } else if counted {
                    LimitUnit::Count
                } else {
                    LimitUnit::Seconds
                },
                values: values.iter().map(|d| d.as_secs() as i64).collect(),
                min: min.or(min_size).or(min_count),
                max: max.or(max_size).or(max_count),
                step: step.or(size_step),
                source: self
                    .need(&blk, "source", values::string, String::new())
                    .value,
            });
        }
        for blk in self.entries("wildcard_action") {
            catalog.wildcard_actions.push(WildcardAction {
                action: blk.name.clone(),
                span: blk.header,
                reason: self
                    .need(&blk, "reason", values::string, String::new())
                    .value,
            });
        }
        for blk in self.entries("regulation") {
            catalog.regulations.push(RegulationFact {
                clause: blk.name.clone(),
                span: blk.header,
                title: self
                    .need(&blk, "title", values::string, String::new())
                    .value,
                evidence: self
                    .need(
                        &blk,
                        "evidence",
                        |v| values::list(v, values::string),
                        Vec::new(),
                    )
                    .value,
                source: self
                    .need(&blk, "source", values::string, String::new())
                    .value,
            });
        }
        catalog
    }

    /// The top-level blocks of a catalog kind, a user entry replacing the
    /// stdlib entry of the same label, in program order.
    fn entries(&mut self, kind: &str) -> Vec<Blk<'a>> {
        let singleton = crate::schema::block(kind).is_some_and(|s| s.singleton);
        let mut found: Vec<(&'a Block, bool)> = Vec::new();
        let program = self.program;
        for file in &program.files {
            for item in &file.ast.items {
                let Item::Block(b) = item else { continue };
                if b.kind.text != kind || (!singleton && b.label.is_none()) {
                    continue;
                }
                let label = |b: &Block| b.label.as_ref().map(|l| l.text.clone());
                let same = found
                    .iter()
                    .position(|(f, _)| singleton || label(f) == label(b));
                match same {
                    Some(i) if found[i].1 && !file.is_stdlib => found[i] = (b, false),
                    Some(i) => self.diags.push(duplicate(
                        kind,
                        &label(b).unwrap_or_default(),
                        singleton,
                        header(found[i].0),
                        header(b),
                    )),
                    None => found.push((b, file.is_stdlib)),
                }
            }
        }
        found
            .into_iter()
            .filter_map(|(b, _)| self.blk(b, None))
            .collect()
    }
}
