//! Completion. The context comes from the same syntax tree as every other
//! feature: parsing never drops an item, so the blocks around the cursor are in
//! the tree even while the item being written does not parse, and that item is
//! an error node whose text the parser reads as a half-written item
//! ([`crate::syntax::parser::partial_item`]). Candidates come from the schema
//! table, the declarations of the analysed program and the stdlib catalogs.

use super::analysis::{key_type, ref_kinds, schema_of, Analysis, Target};
use crate::registry;
use crate::schema::{self, BlockSchema, LabelRule, Type};
use crate::source::Span;
use crate::stdlib;
use crate::syntax::ast::{Item, Value, ValueKind};
use crate::syntax::parser::{partial_item, Partial};
use crate::units::{DURATION_UNITS, SIZE_UNITS};
use lsp_types::CompletionItemKind as Kind;

/// One candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: Kind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The text that replaces [`Completion::replace`].
    pub insert: String,
    /// The same with snippet placeholders, for clients that support them.
    pub snippet: Option<String>,
    /// The range the candidate replaces: what was typed of it so far.
    pub replace: Span,
    /// Orders candidates: lower groups first.
    pub sort: String,
}

/// Candidates at byte `offset` of the analysed document.
pub fn complete(a: &Analysis, offset: usize) -> Vec<Completion> {
    let text = a.text();
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let cx = context(a, offset);
    let span = |start: usize| Span::new(a.root, start, offset);
    let mut out = Vec::new();
    match &cx.position {
        Position::None => {}
        Position::Item { prefix } => {
            // One-per-site blocks the program already declares are not offered again.
            let decls = a.decls();
            let declared = |kind: &str| decls.of_kind(kind).next().is_some();
            item_candidates(&cx, span(*prefix), cx.has_eq, &declared, &mut out)
        }
        Position::Value { key, prefix } => {
            let ty = cx.type_of(key);
            let typed = &text[*prefix..offset];
            if typed.starts_with(|c: char| c.is_ascii_digit()) {
                let tail = typed.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                units(ty, span(offset - tail.len()), &mut out);
            } else {
                values(a, key, ty, span(*prefix), &mut out);
            }
        }
        Position::AllowCode { prefix } => codes(span(*prefix), &mut out),
        Position::ImportPath { prefix, quoted } => {
            for (name, _) in stdlib::MODULES {
                let insert = if *quoted {
                    name.to_string()
                } else {
                    format!("\"{name}\"")
                };
                out.push(item(name, Kind::MODULE, span(*prefix), insert, "0"));
            }
        }
        Position::DefaultsLabel { prefix } => {
            for s in schema::BLOCKS
                .iter()
                .filter(|s| !s.stdlib && s.kind != "defaults")
            {
                let mut c = item(s.kind, Kind::CLASS, span(*prefix), s.kind.into(), "0");
                c.documentation = Some(s.doc.into());
                out.push(c);
            }
        }
        Position::StringValue { key, prefix } if key == "runtime" => {
            for t in catalog(a, "runtime") {
                out.push(item(
                    t.name(),
                    Kind::VALUE,
                    span(*prefix),
                    t.name().into(),
                    "0",
                ));
            }
        }
        Position::StringValue { .. } => {}
    }
    out
}

fn item(label: &str, kind: Kind, replace: Span, insert: String, sort: &str) -> Completion {
    Completion {
        label: label.to_string(),
        kind,
        detail: None,
        documentation: None,
        insert,
        snippet: None,
        replace,
        sort: format!("{sort}{label}"),
    }
}

/// Attribute names and block kinds valid where an item starts.
fn item_candidates(
    cx: &Context,
    replace: Span,
    has_eq: bool,
    declared: &dyn Fn(&str) -> bool,
    out: &mut Vec<Completion>,
) {
    let frame = cx.frames.last();
    let target = frame.and_then(|f| schema_of(&f.kind, f.label.as_deref()));
    if frame.is_some() && target.is_none() {
        return; // inside an unknown block: nothing is known to be valid
    }
    if let Some(s) = target {
        for at in s.attrs {
            if frame.is_some_and(|f| f.keys.iter().any(|k| k == at.name)) {
                continue;
            }
            let insert = if has_eq {
                at.name.to_string()
            } else {
                format!("{} = ", at.name)
            };
            let mut c = item(
                at.name,
                Kind::PROPERTY,
                replace,
                insert,
                if at.required { "0" } else { "1" },
            );
            c.detail = Some(format!(
                "{}{}",
                at.ty.describe(),
                if at.required { " (required)" } else { "" }
            ));
            c.documentation = Some(at.doc.to_string());
            out.push(c);
        }
    }
    if has_eq {
        return;
    }
    for child in schema::children_of(target.map(|s| s.kind)) {
        if child.is_top_level() && child.singleton && declared(child.kind) {
            continue;
        }
        out.push(block_candidate(child, replace));
    }
    if frame.is_none() {
        let mut c = item("import", Kind::KEYWORD, replace, "import ".into(), "3");
        c.snippet = Some("import \"${1:std/finserv}\"".into());
        c.detail = Some("import a file or a stdlib module".into());
        out.push(c);
    }
    let mut c = item("allow", Kind::KEYWORD, replace, "allow ".into(), "3");
    c.snippet = Some("allow ${1:DRS0000} \"${2:reason}\"".into());
    c.detail = Some("silence one code inside this block, with a reason".into());
    out.push(c);
}

fn block_candidate(s: &'static BlockSchema, replace: Span) -> Completion {
    let snippet = match s.label {
        LabelRule::None => format!("{} {{\n\t$0\n}}", s.kind),
        LabelRule::Name => format!("{} \"${{1:name}}\" {{\n\t$0\n}}", s.kind),
        LabelRule::Text => format!("{} \"${{1}}\" {{\n\t$0\n}}", s.kind),
    };
    let mut c = item(
        s.kind,
        Kind::CLASS,
        replace,
        format!("{} ", s.kind),
        if s.stdlib { "4" } else { "2" },
    );
    c.snippet = Some(snippet);
    c.detail = Some("block".into());
    c.documentation = Some(s.doc.to_string());
    c
}

/// Values of the attribute's type: declared names, regions, enum words, booleans, codes.
fn values(a: &Analysis, key: &str, ty: Option<Type>, replace: Span, out: &mut Vec<Completion>) {
    let Some(ty) = ty else { return };
    let elem = match ty {
        Type::List(inner) => *inner,
        t => t,
    };
    if let Some(kinds) = ref_kinds(&elem) {
        let decls = a.decls();
        for d in kinds.iter().flat_map(|k| decls.of_kind(k)) {
            if d.name.is_empty() {
                continue;
            }
            let sort = if d.file == a.root { "0" } else { "1" };
            let mut c = item(d.name, Kind::REFERENCE, replace, d.name.into(), sort);
            c.detail = Some(d.block.title());
            c.documentation = d.block.doc.as_deref().map(str::to_string);
            out.push(c);
        }
        return;
    }
    match elem {
        Type::Region => {
            for t in catalog(a, "region") {
                let mut c = item(t.name(), Kind::ENUM_MEMBER, replace, t.name().into(), "0");
                c.detail = region_display_name(a, t.block);
                out.push(c);
            }
        }
        Type::Enum(words) => {
            for w in words {
                out.push(item(w, Kind::ENUM_MEMBER, replace, w.to_string(), "0"));
            }
        }
        Type::Bool => {
            for w in ["true", "false"] {
                out.push(item(w, Kind::VALUE, replace, w.into(), "0"));
            }
        }
        Type::Code => codes(replace, out),
        Type::String if key == "runtime" => {
            for t in catalog(a, "runtime") {
                let insert = format!("\"{}\"", t.name());
                out.push(item(t.name(), Kind::VALUE, replace, insert, "0"));
            }
        }
        _ => {}
    }
}

/// The entries of a catalog, each name once (a later entry replaces an earlier one).
fn catalog<'a>(a: &'a Analysis, kind: &'static str) -> Vec<Target<'a>> {
    let mut out: Vec<Target<'a>> = Vec::new();
    for t in a.catalog(kind) {
        match out.iter_mut().find(|o| o.name() == t.name()) {
            Some(slot) => *slot = t,
            None => out.push(t),
        }
    }
    out
}

fn region_display_name(a: &Analysis, b: &crate::syntax::ast::Block) -> Option<String> {
    let attr = b.attr("display_name")?;
    Some(a.db.snippet(attr.value.span).trim_matches('"').to_string())
}

fn codes(replace: Span, out: &mut Vec<Completion>) {
    for info in registry::all() {
        let mut c = item(info.code, Kind::VALUE, replace, info.code.into(), "0");
        c.detail = Some(format!("{}: {}", info.name, info.summary));
        out.push(c);
    }
}

/// Unit suffixes after a number, for the attribute's type (all units when unknown).
fn units(ty: Option<Type>, replace: Span, out: &mut Vec<Completion>) {
    let elem = match ty {
        Some(Type::List(inner)) => Some(*inner),
        t => t,
    };
    let (durations, sizes, percent) = match elem {
        Some(Type::Duration { .. }) => (true, false, false),
        Some(Type::Size) => (false, true, false),
        Some(Type::Percent) => (false, false, true),
        None => (true, true, true),
        Some(_) => return,
    };
    let words = [
        ("s", "seconds"),
        ("m", "minutes"),
        ("h", "hours"),
        ("d", "days (exactly 24 hours)"),
        ("w", "weeks"),
        ("y", "years (exactly 365 days)"),
    ];
    if durations {
        for (i, (suffix, _, secs)) in DURATION_UNITS.iter().enumerate() {
            let mut c = item(
                suffix,
                Kind::UNIT,
                replace,
                suffix.to_string(),
                &format!("0{i}"),
            );
            let word = words.iter().find(|w| w.0 == *suffix).map_or("", |w| w.1);
            c.detail = Some(format!("{word}: {secs} s"));
            out.push(c);
        }
    }
    if sizes {
        for (i, (suffix, _, bytes)) in SIZE_UNITS.iter().enumerate() {
            let mut c = item(
                suffix,
                Kind::UNIT,
                replace,
                suffix.to_string(),
                &format!("1{i}"),
            );
            c.detail = Some(format!("{bytes} bytes"));
            out.push(c);
        }
    }
    if percent {
        out.push(item("%", Kind::UNIT, replace, "%".into(), "2"));
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

// ---- The context, from the tree ------------------------------------------

/// Where the cursor is, with the byte offset where the typed prefix starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    None,
    /// Where an attribute or a block starts.
    Item {
        prefix: usize,
    },
    /// After `key =` or inside its list.
    Value {
        key: String,
        prefix: usize,
    },
    /// Inside the string after `key =`.
    StringValue {
        key: String,
        prefix: usize,
    },
    AllowCode {
        prefix: usize,
    },
    ImportPath {
        prefix: usize,
        quoted: bool,
    },
    DefaultsLabel {
        prefix: usize,
    },
}

/// A block open around the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Frame {
    kind: String,
    label: Option<String>,
    /// Attribute keys already set in the block (before and after the cursor).
    keys: Vec<String>,
}

#[derive(Debug)]
struct Context {
    frames: Vec<Frame>,
    position: Position,
    /// The item at the cursor already has its `= value`: complete the key only.
    has_eq: bool,
}

impl Context {
    fn type_of(&self, key: &str) -> Option<Type> {
        let f = self.frames.last()?;
        key_type(schema_of(&f.kind, f.label.as_deref())?, key)
    }
}

fn contains(span: Span, offset: usize) -> bool {
    (span.start as usize) <= offset && offset <= span.end as usize
}

fn context(a: &Analysis, offset: usize) -> Context {
    let mut cx = Context {
        frames: Vec::new(),
        position: Position::None,
        has_eq: false,
    };
    let Some(ast) = a.ast() else { return cx };
    let text = a.text();
    if ast
        .comments
        .iter()
        .any(|c| (c.span.start as usize) < offset && offset <= c.span.end as usize)
    {
        return cx;
    }
    // The blocks whose braces hold the cursor, outermost first.
    let mut items: &[Item] = &ast.items;
    while let Some(b) = items.iter().find_map(|i| match i {
        Item::Block(b)
            if b.braces.open_written
                && b.open_span().end as usize <= offset
                && offset <= b.braces.close as usize =>
        {
            Some(b)
        }
        _ => None,
    }) {
        cx.frames.push(Frame {
            kind: b.kind.text.to_string(),
            label: b.label.as_ref().map(|l| l.text.to_string()),
            keys: b
                .attributes()
                .filter(|at| !contains(at.span, offset))
                .map(|at| at.key.text.to_string())
                .collect(),
        });
        items = &b.body;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    // The item at the cursor, or a broken one that ends before it on its line.
    let at = items
        .iter()
        .find(|i| contains(i.span(), offset))
        .or_else(|| {
            items.iter().rev().find(|i| {
                matches!(i, Item::Error(_))
                    && i.span().start as usize >= line_start
                    && (i.span().end as usize) <= offset
            })
        });
    cx.position = match at {
        None if text[line_start..offset].trim().is_empty() => Position::Item { prefix: offset },
        None => Position::None,
        Some(Item::Attribute(at)) if contains(at.key.span, offset) => {
            cx.has_eq = true;
            Position::Item {
                prefix: at.key.span.start as usize,
            }
        }
        Some(Item::Attribute(at)) if contains(at.value.span, offset) => {
            value_position(&at.key.text, &at.value, offset)
        }
        Some(Item::Allow(al)) if contains(al.code.span, offset) => Position::AllowCode {
            prefix: al.code.span.start as usize,
        },
        Some(Item::Import(i)) if inside_string(i.path.span, offset) => Position::ImportPath {
            prefix: i.path.span.start as usize + 1,
            quoted: true,
        },
        Some(Item::Block(b)) if contains(b.kind.span, offset) => Position::Item {
            prefix: b.kind.span.start as usize,
        },
        Some(Item::Block(b))
            if b.kind.text == "defaults"
                && b.label
                    .as_ref()
                    .is_some_and(|l| inside_string(l.span, offset)) =>
        {
            Position::DefaultsLabel {
                prefix: b
                    .label
                    .as_ref()
                    .map_or(offset, |l| l.span.start as usize + 1),
            }
        }
        Some(Item::Error(e)) => {
            let start = e.span.start as usize;
            let whole = text
                .get(start..(e.span.end as usize).max(offset))
                .unwrap_or("");
            cx.has_eq = matches!(
                partial_item(whole),
                Partial::Value { .. } | Partial::StringValue { .. }
            );
            match partial_item(&text[start..offset]) {
                Partial::Start => Position::Item { prefix: start },
                Partial::AllowCode { at } => Position::AllowCode { prefix: start + at },
                Partial::ImportPath { at, quoted } => Position::ImportPath {
                    prefix: start + at,
                    quoted,
                },
                Partial::Label { kind, at } if kind == "defaults" => {
                    Position::DefaultsLabel { prefix: start + at }
                }
                Partial::Value { key, at } => Position::Value {
                    key,
                    prefix: start + at,
                },
                Partial::StringValue { key, at } => Position::StringValue {
                    key,
                    prefix: start + at,
                },
                Partial::Label { .. } | Partial::Other => Position::None,
            }
        }
        Some(_) => Position::None,
    };
    if !matches!(cx.position, Position::Item { .. }) {
        cx.has_eq = false;
    }
    cx
}

/// Whether `offset` is after the opening quote of the string at `span` and not
/// after its closing one.
fn inside_string(span: Span, offset: usize) -> bool {
    (span.start as usize) < offset && offset < span.end as usize
}

/// The position inside the value `v` of attribute `key`.
fn value_position(key: &str, v: &Value, offset: usize) -> Position {
    let prefix = v.span.start as usize;
    match &v.kind {
        ValueKind::String(_) if inside_string(v.span, offset) => Position::StringValue {
            key: key.to_string(),
            prefix: prefix + 1,
        },
        ValueKind::String(_) => Position::None,
        ValueKind::List(items) => match items.iter().find(|i| contains(i.span, offset)) {
            Some(inner) => value_position(key, inner, offset),
            None if prefix < offset && offset < v.span.end as usize => Position::Value {
                key: key.to_string(),
                prefix: offset,
            },
            None => Position::None,
        },
        _ => Position::Value {
            key: key.to_string(),
            prefix,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::analysis::Buffer;
    use std::path::Path;

    /// Completes at `|` in `text` and returns the labels.
    fn labels(text: &str) -> Vec<String> {
        let offset = text.find('|').expect("cursor");
        let text = text.replacen('|', "", 1);
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text,
        };
        let a = Analysis::new(&buf, [], Path::new("/nonexistent-project"));
        complete(&a, offset).into_iter().map(|c| c.label).collect()
    }

    fn has(labels: &[String], want: &[&str]) -> bool {
        want.iter().all(|w| labels.iter().any(|l| l == w))
    }

    #[test]
    fn top_level_offers_top_level_blocks() {
        let l = labels("|");
        assert!(has(&l, &["site", "aurora", "import", "allow"]), "{l:?}");
        assert!(!l.contains(&"serverless".to_string()));
        assert!(!l.contains(&"rotation".to_string()));
    }

    #[test]
    fn one_per_site_blocks_already_declared_are_not_offered_again() {
        let l = labels("monitoring {}\n\n|");
        assert!(has(&l, &["site", "table", "failover"]), "{l:?}");
        assert!(!l.contains(&"monitoring".to_string()), "{l:?}");
    }

    #[test]
    fn block_body_offers_missing_attributes_and_children() {
        let l = labels("aurora \"db\" {\n  instances = 2\n  eng|\n  port = 5432\n}\n");
        assert!(
            has(&l, &["engine_version", "key", "serverless", "allow"]),
            "{l:?}"
        );
        assert!(!l.contains(&"instances".to_string()), "already set before");
        assert!(!l.contains(&"port".to_string()), "already set after");
        assert!(!l.contains(&"site".to_string()));
    }

    #[test]
    fn defaults_blocks_offer_the_attributes_of_their_kind() {
        let l = labels("defaults \"table\" {\n  |\n}\n");
        assert!(has(&l, &["pitr", "billing"]), "{l:?}");
        let l = labels("defaults \"ta|");
        assert!(has(&l, &["table", "bucket"]), "{l:?}");
    }

    #[test]
    fn values_follow_the_attribute_type() {
        let l = labels("site \"s\" {\n  primary = us-|\n}\n");
        assert!(has(&l, &["us-east-1", "eu-west-1"]), "{l:?}");
        let l = labels("site \"s\" {\n  environment = |\n}\n");
        assert_eq!(l, ["production", "staging", "development", "test"]);
        let l =
            labels("key \"k\" {}\nkey \"j\" {}\ntable \"t\" {}\nbucket \"b\" {\n  key = |\n}\n");
        assert_eq!(l, ["k", "j"]);
        let l = labels("table \"t\" {}\nbucket \"b\" {}\nfunction \"f\" {\n  reads = [b, |\n}\n");
        assert!(
            has(&l, &["t", "b"]) && !l.contains(&"f".to_string()),
            "{l:?}"
        );
        let l = labels("site \"s\" {\n  profile = |\n}\n");
        assert!(l.is_empty(), "std/finserv is not imported: {l:?}");
        let l = labels("import \"std/finserv\"\nsite \"s\" {\n  profile = f|\n}\n");
        assert_eq!(l, ["finserv"]);
        let l = labels("bucket \"b\" {\n  versioning = |\n}\n");
        assert_eq!(l, ["true", "false"]);
        let l = labels("bucket \"b\" {\n  allow DRS00|\n}\n");
        assert!(has(&l, &["DRS0031"]), "{l:?}");
    }

    #[test]
    fn units_follow_a_number() {
        let l = labels("site \"s\" {\n  rpo = 30|\n}\n");
        assert_eq!(l, ["s", "m", "h", "d", "w", "y"]);
        let l = labels("function \"f\" {\n  memory = 512M|\n}\n");
        assert!(
            has(&l, &["MiB", "MB"]) && !l.contains(&"h".to_string()),
            "{l:?}"
        );
        let l = labels("dns \"d\" {\n  primary_share = 50|\n}\n");
        assert_eq!(l, ["%"]);
        let l = labels("network \"n\" {\n  zones = 2|\n}\n");
        assert!(l.is_empty(), "integers take no unit: {l:?}");
    }

    #[test]
    fn nothing_in_comments_and_plain_strings() {
        assert!(labels("# aur|\n").is_empty());
        assert!(labels("key \"k\" {\n  description = \"ro|\"\n}\n").is_empty());
        assert!(labels("site \"s\" {\n  rpo = 1h |\n}\n").is_empty());
    }

    #[test]
    fn imports_offer_stdlib_modules() {
        let l = labels("import \"std/f|");
        assert!(has(&l, &["std/finserv", "std/regions"]), "{l:?}");
    }

    #[test]
    fn the_replaced_range_is_the_typed_prefix() {
        let text = "site \"s\" {\n  rpo = 15m\n}\n";
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text: text.into(),
        };
        let a = Analysis::new(&buf, [], Path::new("/nonexistent-project"));
        let at = text.find("15m").unwrap() + 3;
        let c = complete(&a, at);
        assert_eq!(a.db.snippet(c[0].replace), "m");
        let at = text.find("rpo").unwrap() + 2;
        let c = complete(&a, at);
        let rto = c.iter().find(|c| c.label == "rto").unwrap();
        assert_eq!(a.db.snippet(rto.replace), "rp");
        assert_eq!(rto.insert, "rto", "the line already has `=`");
    }
}
