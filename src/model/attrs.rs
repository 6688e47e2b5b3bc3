//! Reading typed values out of a block's effective attributes. A missing
//! value the model cannot do without is reported here (`DRS0034`) and
//! replaced by a placeholder; a value of the wrong shape was reported by the
//! front end and is replaced too. No placeholder exists without an error, and
//! every placeholder's span is recorded as a hole ([`crate::model::Model::holes`]).
//!
//! A partial block (part of it did not parse) is read as far as it parsed: an
//! attribute it does not show is unknown (it may stand in the text that did not
//! parse) unless a default supplies it and the broken text does not start with
//! its key. Unknown is not missing: nothing is reported, and the placeholder
//! points at the broken text.

use super::codes;
use super::defaults::{Attrs, Defaults};
use super::resolve::{self, Decls};
use super::types::{Ref, Spanned};
use super::values;
use crate::diagnostic::Diagnostic;
use crate::loader::Program;
use crate::schema::{self, BlockSchema, Type};
use crate::source::{SourceDb, Span};
use crate::syntax::ast::{Block, ValueKind};
use crate::syntax::codes::MISSING_ATTRIBUTE;
use std::cell::RefCell;
use std::collections::HashSet;

/// What the model is built from, and the diagnostics it reports.
pub struct Builder<'a> {
    pub db: &'a SourceDb,
    pub program: &'a Program,
    pub decls: Decls<'a>,
    pub defaults: Defaults<'a>,
    pub diags: Vec<Diagnostic>,
    /// The spans of the values the model could not read (see `Model::holes`).
    pub holes: RefCell<Vec<Span>>,
}

/// A block being built: its schema, its effective attributes, how to name it.
pub struct Blk<'a> {
    pub schema: &'static BlockSchema,
    /// The label, or `""` when it is missing (the front end reported that).
    pub name: String,
    /// `aurora "ledger"`, for messages.
    pub title: String,
    /// `kind "label"`: where diagnostics about the whole block point.
    pub header: Span,
    pub attrs: Attrs<'a>,
    /// For a partial block, the text that did not parse, each with the key it
    /// starts with (if it starts with a name).
    pub broken: Vec<(Span, String)>,
}

/// One attribute read with a converter.
pub enum Got<T> {
    Value(Spanned<T>),
    Absent,
    /// Present but of the wrong shape (reported by the front end) at this span.
    Invalid(Span),
}

impl<T> Got<T> {
    pub fn ok(self) -> Option<Spanned<T>> {
        match self {
            Got::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<'a> Builder<'a> {
    pub fn new(db: &'a SourceDb, program: &'a Program) -> Builder<'a> {
        let mut diags = Vec::new();
        let decls = Decls::collect(program, &mut diags);
        Builder {
            db,
            program,
            decls,
            defaults: Defaults::collect(program),
            diags,
            holes: RefCell::new(Vec::new()),
        }
    }

    /// Records a value the model could not read.
    pub fn hole(&self, span: Span) {
        self.holes.borrow_mut().push(span);
    }

    /// The broken parts of `block` (empty unless it is partial), each with the
    /// name it starts with; a partial block's header is a hole (what is said of
    /// the block as a whole may depend on the part that did not parse).
    pub fn broken(&self, block: &Block) -> Vec<(Span, String)> {
        let out: Vec<(Span, String)> = block
            .errors()
            .map(|e| {
                let text = self.db.text(e.span.file).get(e.span.range()).unwrap_or("");
                let key = text
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or("")
                    .to_string();
                (e.span, key)
            })
            .collect();
        if !out.is_empty() {
            self.hole(resolve::header(block));
            for (span, _) in &out {
                self.hole(*span);
            }
        }
        out
    }

    /// A written block of a known kind, with the defaults for it applied.
    pub fn blk(&self, block: &'a Block, parent: Option<&str>) -> Option<Blk<'a>> {
        let schema = schema::block(&block.kind.text)?;
        Some(Blk {
            schema,
            name: block
                .label
                .as_ref()
                .map_or(String::new(), |l| l.text.to_string()),
            title: block.title(),
            header: resolve::header(block),
            attrs: self.defaults.apply(schema.kind, parent, Some(block)),
            broken: self.broken(block),
        })
    }

    /// A block nobody wrote whose defaults still apply (e.g. `tags` of a site without one).
    pub fn implicit(&self, kind: &str, parent: Option<&str>, at: Span) -> Option<Blk<'a>> {
        let schema = schema::block(kind)?;
        Some(Blk {
            schema,
            name: String::new(),
            title: kind.to_string(),
            header: at,
            attrs: self.defaults.apply(kind, parent, None),
            broken: Vec::new(),
        })
    }

    pub fn get<T>(&self, blk: &Blk, key: &str, conv: impl Fn(&ValueKind) -> Option<T>) -> Got<T> {
        let entry = blk.attrs.get(key);
        if !blk.broken.is_empty() {
            let written = entry.is_some_and(|e| e.origin == super::types::Origin::Written);
            let named = blk.broken.iter().find(|(_, k)| k == key);
            if !written && (entry.is_none() || named.is_some()) {
                // Unknown: it may be in the text that did not parse (a hole already).
                let span = named.or(blk.broken.first()).map_or(blk.header, |b| b.0);
                return Got::Invalid(span);
            }
        }
        let Some(entry) = entry else {
            return Got::Absent;
        };
        let v = &entry.attr.value;
        let ty = blk.schema.attr(key).map(|a| a.ty).or(blk.schema.free_attrs);
        match conv(&v.kind).filter(|_| ty.is_none_or(|t| in_range(&t, &v.kind))) {
            Some(value) => Got::Value(Spanned {
                value,
                span: v.span,
                origin: entry.origin,
            }),
            None => {
                self.hole(v.span);
                Got::Invalid(v.span)
            }
        }
    }

    /// An optional value: absent or invalid is `None`. An invalid one makes the
    /// block header a hole too: a rule reading `None` speaks of the whole block.
    pub fn opt<T>(
        &self,
        blk: &Blk,
        key: &str,
        conv: impl Fn(&ValueKind) -> Option<T>,
    ) -> Option<Spanned<T>> {
        match self.get(blk, key, conv) {
            Got::Value(v) => Some(v),
            Got::Invalid(_) => {
                self.hole(blk.header);
                None
            }
            Got::Absent => None,
        }
    }

    /// A value the model cannot do without: absent is reported, and both
    /// absent and invalid become `placeholder`.
    pub fn need<T>(
        &mut self,
        blk: &Blk,
        key: &str,
        conv: impl Fn(&ValueKind) -> Option<T>,
        placeholder: T,
    ) -> Spanned<T> {
        match self.get(blk, key, conv) {
            Got::Value(v) => v,
            Got::Invalid(span) => Spanned::written(placeholder, span),
            Got::Absent => {
                self.missing(blk, key);
                self.hole(blk.header);
                Spanned::written(placeholder, blk.header)
            }
        }
    }

    /// A switch: absent (with no default) means `false`, at the block header.
    pub fn flag(&self, blk: &Blk, key: &str) -> Spanned<bool> {
        match self.get(blk, key, values::boolean) {
            Got::Value(v) => v,
            Got::Invalid(span) => {
                self.hole(blk.header);
                Spanned::written(false, span)
            }
            Got::Absent => Spanned::written(false, blk.header),
        }
    }

    /// Reports that `key` has no value in `blk`.
    pub fn missing(&mut self, blk: &Blk, key: &str) {
        let required = blk.schema.attr(key).is_some_and(|a| a.required);
        let example = format!("{key} = {}", self.example(blk, key));
        let d = if required {
            Diagnostic::new(
                &MISSING_ATTRIBUTE,
                format!("`{}` is missing `{key}`", blk.title),
            )
            .at(blk.header, format!("`{key}` is required"))
            .help(format!("add a line such as `{example}`"))
        } else {
            Diagnostic::new(
                &MISSING_ATTRIBUTE,
                format!("`{}` has no `{key}` and no default supplies one", blk.title),
            )
            .at(blk.header, format!("needs `{key}`"))
            .help(format!(
                "add a line such as `{example}`, or a `defaults \"{}\"` block that sets it",
                blk.schema.kind
            ))
        };
        self.diags.push(d);
    }

    /// Reports a missing choice between alternatives, e.g. `source` or `inline`.
    pub fn missing_one_of(&mut self, blk: &Blk, keys: &[&str]) {
        let names = keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        let examples = keys
            .iter()
            .map(|k| format!("`{k} = {}`", self.example(blk, k)))
            .collect::<Vec<_>>()
            .join(" or ");
        self.diags.push(
            Diagnostic::new(&MISSING_ATTRIBUTE, format!("`{}` needs {names}", blk.title))
                .at(blk.header, format!("needs {names}"))
                .help(format!("add one line: {examples}")),
        );
    }

    /// Reports two attributes that exclude each other; `kept` is the one that counts.
    pub fn conflict(&mut self, blk: &Blk, dropped: (&str, Span), kept: (&str, Span), why: &str) {
        self.diags.push(
            Diagnostic::new(
                &codes::CONFLICTING_ATTRIBUTES,
                format!("`{}` sets both `{}` and `{}`", blk.title, kept.0, dropped.0),
            )
            .at(
                dropped.1,
                format!("`{}` conflicts with `{}`", dropped.0, kept.0),
            )
            .also(kept.1, format!("`{}` is set here", kept.0))
            .help(why.to_string()),
        );
    }

    /// The kinds a reference attribute accepts, from the schema.
    fn ref_kinds(blk: &Blk, key: &str) -> &'static [&'static str] {
        match blk.schema.attr(key).map(|a| a.ty) {
            Some(Type::Ref(kinds)) => kinds,
            Some(Type::List(Type::Ref(kinds))) => kinds,
            _ => &[],
        }
    }

    fn resolve(&mut self, blk: &Blk, key: &str, name: &str, span: Span) {
        let kinds = Self::ref_kinds(blk, key);
        if let Err(d) = self.decls.resolve(name, span, key, kinds) {
            self.diags.push(*d);
            self.hole(span);
        }
    }

    /// A reference; an unresolved one is kept and reported.
    pub fn reference(&mut self, blk: &Blk, key: &str) -> Got<Ref> {
        let got = self.get(blk, key, |v| values::word(v).map(str::to_string));
        match got {
            Got::Value(v) => {
                self.resolve(blk, key, &v.value, v.span);
                Got::Value(Spanned {
                    value: Ref {
                        name: v.value,
                        span: v.span,
                    },
                    span: v.span,
                    origin: v.origin,
                })
            }
            Got::Absent => Got::Absent,
            Got::Invalid(s) => {
                self.hole(blk.header);
                Got::Invalid(s)
            }
        }
    }

    /// A list of references; repeated names are reported and kept once.
    pub fn references(&mut self, blk: &Blk, key: &str) -> Vec<Ref> {
        let Some(entry) = blk.attrs.get(key) else {
            return Vec::new();
        };
        let Some(items) = values::items(&entry.attr.value.kind) else {
            return Vec::new();
        };
        let mut out: Vec<Ref> = Vec::new();
        let mut seen = HashSet::new();
        for item in items {
            let Some(name) = values::word(&item.kind) else {
                self.hole(item.span);
                continue;
            };
            if !seen.insert(name) {
                let first = out.iter().find(|r| r.name == name).map(|r| r.span);
                let mut d = Diagnostic::new(
                    &codes::REPEATED_REFERENCE,
                    format!("`{key}` names `{name}` twice"),
                )
                .at(item.span, "named again here")
                .help("remove the repetition, or name the declaration that was meant");
                if let Some(first) = first {
                    d = d.also(first, "first named here");
                }
                self.diags.push(d);
                continue;
            }
            self.resolve(blk, key, name, item.span);
            out.push(Ref {
                name: name.to_string(),
                span: item.span,
            });
        }
        out
    }

    /// An example value for `key` of `blk`, for help texts.
    fn example(&self, blk: &Blk, key: &str) -> String {
        let kind = blk.schema.kind;
        if (kind, key) == ("function", "source") {
            return format!("\"functions/{}\"", blk.name);
        }
        let known = match (kind, key) {
            ("site", "primary") => Some("us-east-1"),
            ("site", "secondary") => Some("us-west-2"),
            ("site", "rpo") => Some("1h"),
            ("site", "rto") => Some("4h"),
            ("site", "suffix") => Some("\"prod01\""),
            ("network", "primary_cidr") => Some("10.10.0.0/16"),
            ("network", "secondary_cidr") => Some("10.20.0.0/16"),
            ("aurora", "engine_version") => Some("14.17"),
            ("table", "partition_key") => Some("\"id\""),
            ("function", "runtime") => Some("\"python3.12\""),
            ("function", "handler") => Some("\"app.handler\""),
            ("function", "inline") => Some("\"def handler(event, context): ...\""),
            ("dns", "zone") => Some("\"example.com\""),
            ("dns", "record") => Some("\"api.example.com\""),
            ("dns", "primary_endpoint") => Some("\"api-use1.example.com\""),
            ("dns", "secondary_endpoint") => Some("\"api-usw2.example.com\""),
            ("rule", "every") => Some("1h"),
            ("rule", "retain") => Some("35d"),
            _ => None,
        };
        if let Some(k) = known {
            return k.to_string();
        }
        match schema::block(kind).and_then(|s| s.attr(key)) {
            Some(a) => self.example_of(&a.ty),
            None => "...".to_string(),
        }
    }

    fn example_of(&self, ty: &Type) -> String {
        match ty {
            Type::String => "\"...\"".to_string(),
            Type::Integer { min, max } => (*min).max(1).min(*max).to_string(),
            Type::Bool => "true".to_string(),
            Type::Duration { min, max } => [3_600, 86_400, 60, 1]
                .into_iter()
                .find(|s| s >= min && s <= max)
                .map_or_else(
                    || crate::units::humanize_secs(*min),
                    crate::units::humanize_secs,
                ),
            Type::Size => "512MiB".to_string(),
            Type::Percent => "100%".to_string(),
            Type::Cidr => "10.0.0.0/16".to_string(),
            Type::Version => "14.9".to_string(),
            Type::Date => "2026-01-01".to_string(),
            Type::Region => "us-east-1".to_string(),
            Type::Enum(words) => words.first().copied().unwrap_or("...").to_string(),
            Type::Ref(kinds) => kinds
                .iter()
                .find_map(|k| self.decls.of_kind(k).find(|d| !d.name.is_empty()))
                .map_or("NAME".to_string(), |d| d.name.to_string()),
            Type::Code => codes::MISSING_SITE.code.to_string(),
            Type::List(inner) => format!("[{}]", self.example_of(inner)),
        }
    }
}

/// Whether a value of the right shape lies in the schema's range for it (the
/// front end reported it when not).
fn in_range(ty: &Type, v: &ValueKind) -> bool {
    match (ty, v) {
        (Type::Integer { min, max }, ValueKind::Integer(n)) => min <= n && n <= max,
        (Type::Duration { min, max }, ValueKind::Duration(d)) => {
            let s = d.as_secs();
            *min <= s && s <= *max
        }
        _ => true,
    }
}
