//! Hover: documentation of blocks and attributes from the schema table, what
//! a reference resolves to, the explanation of a code in an `allow`, and the
//! module behind an import.

use super::analysis::{attribute_schema, Analysis, Cursor, Node, Target};
use crate::model::{Origin, StoreKind};
use crate::objectives::{self, Objectives, Source, Term};
use crate::registry;
use crate::schema::{self, AttrSchema, BlockSchema, LabelRule};
use crate::source::Span;
use crate::stdlib;
use crate::syntax::ast::{Attribute, Block, Item, ValueKind};
use std::fmt::Write as _;

/// Markdown to show for a range of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// The hover at byte `offset` of the analysed document.
pub fn hover(a: &Analysis, offset: usize) -> Option<Hover> {
    let cursor = a.cursor(offset)?;
    let (span, markdown) = match cursor.node {
        Node::Kind(b) => {
            let mut md = block_kind_doc(schema::block(&b.kind.text)?);
            if b.kind.text == "site" {
                md.push_str(&region_loss_summary(a));
                md.push_str(&super::diagram::hover_section(a));
            }
            (b.kind.span, md)
        }
        Node::Label(b) => {
            let parent = cursor.blocks.last().map(|p| p.kind.text.as_str());
            (b.label.as_ref()?.span, label_doc(a, b, parent)?)
        }
        Node::Key(attr) => {
            let mut md = attribute_doc(a, &cursor, attr)?;
            md.push_str(&objective_summary(a, &cursor, attr));
            (attr.key.span, md)
        }
        Node::Value(attr, value) => {
            let md = match a.resolve(&cursor) {
                Some(target) => declaration(a, target, None),
                None => {
                    let mut md = attribute_doc(a, &cursor, attr)?;
                    if let ValueKind::Duration(d) = &value.kind {
                        let _ = write!(md, "\n\n`{d}` = {} seconds", d.as_secs());
                    }
                    md.push_str(&objective_summary(a, &cursor, attr));
                    md
                }
            };
            (value.span, md)
        }
        Node::Allow(al) => (al.code.span, code_doc(&al.code.text)?),
        Node::Import(imp) => (imp.path.span, import_doc(a, &imp.path.text, imp)),
        Node::Body(_) => return None,
    };
    Some(Hover { span, markdown })
}

/// The schema documentation of a block kind: how it is written, what it is, what it takes.
pub fn block_kind_doc(s: &BlockSchema) -> String {
    let head = match s.label {
        LabelRule::None => s.kind.to_string(),
        LabelRule::Name => format!("{} \"name\"", s.kind),
        LabelRule::Text => format!("{} \"label\"", s.kind),
    };
    let mut md = format!("```drs\n{head} {{ ... }}\n```\n{}", s.doc);
    if !s.parents.is_empty() {
        let parents: Vec<String> = s.parents.iter().map(|p| format!("`{p}`")).collect();
        let _ = write!(md, "\n\nInside {}.", parents.join(" or "));
    }
    if !s.attrs.is_empty() {
        md.push_str("\n\n| attribute | type |\n|---|---|");
        for at in s.attrs {
            let req = if at.required { " (required)" } else { "" };
            let _ = write!(md, "\n| `{}` | {}{req} |", at.name, at.ty.describe());
        }
    }
    if let Some(ty) = s.free_attrs {
        let _ = write!(md, "\n\nAny key, each set to {}.", ty.describe());
    }
    md
}

fn label_doc(a: &Analysis, b: &Block, parent: Option<&str>) -> Option<String> {
    if b.kind.text == "defaults" {
        let target = schema::block(&b.label.as_ref()?.text)?;
        return Some(block_kind_doc(target));
    }
    let target = Target {
        file: a.root,
        block: b,
    };
    let mut md = declaration(a, target, parent);
    if b.kind.text == "site" {
        md.push_str(&region_loss_summary(a));
        md.push_str(&super::diagram::hover_section(a));
    }
    if b.kind.text == "function" {
        if let Some(label) = &b.label {
            md.push_str(&grants(a, &label.text));
        }
    }
    let store = StoreKind::of_block(&b.kind.text);
    if let (Some(kind), Some(o), Some(label)) = (store, estimate(a), &b.label) {
        if let Some(s) = o
            .stores
            .iter()
            .find(|s| s.kind == kind && s.store == label.text)
        {
            let verdict = verdict(s.meets_rpo, s.shortfall, "RPO", &o.rpo.display);
            let _ = write!(
                md,
                "\n\n**Recovery point: {}** ({}); {verdict}{}",
                s.display,
                s.mechanism,
                terms_table(&s.terms)
            );
        }
    }
    Some(md)
}

/// What a function's role may do with each store it names: the actions its
/// `reads`, `writes`, `deletes` and `scans` grant (`crate::model::access`),
/// the same tables lowering writes the role policy from (R11).
fn grants(a: &Analysis, function: &str) -> String {
    let Some(model) = a.outcome.model.as_ref() else {
        return String::new();
    };
    let Some(f) = model.functions.iter().find(|f| f.name == function) else {
        return String::new();
    };
    let kind_of = |name: &str| {
        if model.tables.iter().any(|t| t.name == name) {
            Some(StoreKind::Table)
        } else if model.buckets.iter().any(|b| b.name == name) {
            Some(StoreKind::Bucket)
        } else if model.databases.iter().any(|d| d.name == name) {
            Some(StoreKind::Aurora)
        } else {
            None
        }
    };
    let mut rows = String::new();
    for (store, access) in f.store_access() {
        let Some(kind) = kind_of(&store) else {
            continue;
        };
        let actions = crate::model::access::actions(kind, access);
        let list: Vec<String> = actions.iter().map(|x| format!("`{x}`")).collect();
        let _ = write!(
            rows,
            "\n| {kind} `{store}` | {} | {} |",
            access.words().join(", "),
            if list.is_empty() {
                "none".to_string()
            } else {
                list.join(", ")
            }
        );
    }
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "\n\n**Grants** (the execution role in each region; nothing else on these stores):\n\n| store | declared | actions |\n|---|---|---|{rows}"
    )
}

/// The objectives of the site, computed from the model (when it was built).
fn estimate(a: &Analysis) -> Option<Objectives> {
    let (model, graph) = (a.outcome.model.as_ref()?, a.outcome.graph.as_ref()?);
    Some(objectives::estimate(model, graph))
}

/// For the `site` block: what the loss of each region does to the recovery path.
fn region_loss_summary(a: &Analysis) -> String {
    let Some(o) = estimate(a) else {
        return String::new();
    };
    let mut md = String::from("\n\n**Region loss**");
    for loss in &o.region_loss {
        let _ = write!(md, "\n- {} ({} region)", loss.summary, loss.side);
        for d in &loss.dependencies {
            let _ = write!(md, "\n  - {}", d.chain);
        }
    }
    md
}

/// For the site's `rpo` and `rto`: what the stores and the failover path achieve.
fn objective_summary(a: &Analysis, cursor: &Cursor<'_>, attr: &Attribute) -> String {
    let in_site = cursor.blocks.last().is_some_and(|b| b.kind.text == "site");
    let Some(o) = estimate(a).filter(|_| in_site) else {
        return String::new();
    };
    let mut md = String::new();
    match attr.key.text.as_str() {
        "rpo" => {
            md.push_str("\n\n| store | recovery point | mechanism | |\n|---|---|---|---|");
            for s in &o.stores {
                let ok = verdict(s.meets_rpo, s.shortfall, "RPO", &o.rpo.display);
                let _ = write!(
                    md,
                    "\n| {} `{}` | {} | {} | {ok} |",
                    s.kind, s.store, s.display, s.mechanism
                );
            }
        }
        "rto" => {
            let t = &o.recovery_time;
            let ok = verdict(t.meets_rto, t.shortfall, "RTO", &o.rto.display);
            let _ = write!(
                md,
                "\n\n**Estimated recovery time: {}** ({}); {ok}{}",
                t.display,
                t.path,
                terms_table(&t.terms)
            );
            if let Some(p) = &t.problem {
                let _ = write!(md, "\n\n{p}");
            }
        }
        _ => {}
    }
    md
}

fn verdict(meets: bool, shortfall: Option<u64>, what: &str, objective: &str) -> String {
    match (meets, shortfall) {
        (true, _) => format!("meets the {what} of {objective}"),
        (false, Some(gap)) => format!(
            "**exceeds the {what} of {objective} by {}**",
            objectives::pretty(gap)
        ),
        (false, None) => format!("**nothing bounds it: the {what} of {objective} is not met**"),
    }
}

fn terms_table(terms: &[Term]) -> String {
    if terms.is_empty() {
        return String::new();
    }
    let mut md = String::from("\n\n| term | value | from |\n|---|---|---|");
    for t in terms {
        let from = match &t.source {
            Source::Declaration { attributes, .. } => attributes
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", "),
            Source::Timing { key, reference, .. } => format!("`std/timing` `{key}` {reference}"),
            Source::Missing { key } => format!("`{key}`: not in the catalog"),
        };
        let _ = write!(
            md,
            "\n| {}: {} | {} | {from} |",
            t.name, t.description, t.display
        );
    }
    md
}

fn attribute_doc(a: &Analysis, cursor: &Cursor<'_>, attr: &Attribute) -> Option<String> {
    let s = attribute_schema(&cursor.blocks)?;
    let key = attr.key.text.as_str();
    let Some(at) = s.attr(key) else {
        let ty = s.free_attrs?;
        return Some(format!(
            "```drs\n{key} = ...\n```\nA key of `{}`, set to {}.\n\n{}",
            s.kind,
            ty.describe(),
            s.doc
        ));
    };
    let parent = cursor
        .blocks
        .iter()
        .rev()
        .nth(1)
        .map(|b| b.kind.text.as_str());
    Some(attribute_schema_doc(a, s, at, parent))
}

/// An attribute's documentation with its default for a block of `s` in `parent`.
pub fn attribute_schema_doc(
    a: &Analysis,
    s: &BlockSchema,
    at: &AttrSchema,
    parent: Option<&str>,
) -> String {
    let mut md = format!(
        "```drs\n{} {{ {} = ... }}\n```\n{}\n\nType: {}",
        s.kind,
        at.name,
        at.doc,
        at.ty.describe()
    );
    if at.required {
        md.push_str(" (required)");
    }
    md.push('.');
    if let Some(d) = a.defaults().apply(s.kind, parent, None).get(at.name) {
        let _ = write!(
            md,
            "\n\nDefault: `{}` (from `{}`).",
            one_line(a.db.snippet(d.attr.value.span)),
            a.db.get(d.attr.span.file).name
        );
    }
    md
}

/// The long explanation of a diagnostic code.
pub fn code_doc(code: &str) -> Option<String> {
    let info = registry::lookup(code)?;
    Some(format!(
        "**{}** `{}` ({}): {}\n\n{}",
        info.code,
        info.name,
        info.severity.as_str(),
        info.summary,
        info.explanation
    ))
}

fn import_doc(a: &Analysis, path: &str, imp: &crate::syntax::ast::Import) -> String {
    if let Some(text) = stdlib::module(path) {
        let doc: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("##"))
            .map(|l| l.trim_start_matches('#').trim())
            .collect();
        return format!(
            "`{path}`: a module of the standard library.\n\n{}",
            doc.join("\n")
        );
    }
    match a
        .import_target(imp)
        .and_then(|id| a.db.get(id).path.clone())
    {
        Some(p) => format!("`{}`", p.display()),
        None => format!("`{path}` is not loaded."),
    }
}

/// A declaration as it applies: its attributes as written, the defaults it
/// inherits (as the model applies them; `parent` is the kind of the enclosing
/// block, if any), and its doc comment.
pub fn declaration(a: &Analysis, t: Target<'_>, parent: Option<&str>) -> String {
    let b = t.block;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for item in &b.body {
        match item {
            Item::Attribute(at) => rows.push((
                at.key.text.to_string(),
                one_line(a.db.snippet(at.value.span)),
                String::new(),
            )),
            Item::Block(child) => rows.push((child.title(), String::new(), String::new())),
            _ => {}
        }
    }
    let defaults = a.defaults();
    for (key, entry) in defaults.apply(t.kind(), parent, Some(b)).iter() {
        if let Origin::Default(at) = entry.origin {
            rows.push((
                key.to_string(),
                one_line(a.db.snippet(entry.attr.value.span)),
                format!("  # default, {}", a.db.get(at.file).name),
            ));
        }
    }
    let width = rows
        .iter()
        .filter(|r| !r.1.is_empty())
        .map(|r| r.0.len())
        .max()
        .unwrap_or(0);
    let mut md = format!("```drs\n{} {{\n", b.title());
    for (k, v, note) in rows {
        if v.is_empty() {
            let _ = writeln!(md, "  {k} {{ ... }}");
        } else {
            let _ = writeln!(md, "  {k:width$} = {v}{note}");
        }
    }
    md.push_str("}\n```");
    if let Some(doc) = &b.doc {
        let _ = write!(md, "\n{doc}");
    }
    if t.file != a.root {
        let _ = write!(md, "\n\nDeclared in `{}`.", a.db.get(t.file).name);
    }
    md
}

/// Source text on one line (lists written over several lines).
fn one_line(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace("[ ", "[")
        .replace(", ]", "]")
        .replace(" ]", "]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::analysis::Buffer;
    use std::path::Path;

    fn hover_at(text: &str, needle: &str) -> Option<Hover> {
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text: text.into(),
        };
        let a = Analysis::new(&buf, [], Path::new("/nonexistent-project"));
        hover(&a, text.find(needle).expect("needle") + 1)
    }

    #[test]
    fn block_kinds_show_the_schema_doc() {
        let h = hover_at("monitoring {\n  dashboard = true\n}\n", "monitoring").unwrap();
        assert!(
            h.markdown.contains("Alerts on backup and copy jobs"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("| `lag_threshold` |"));
    }

    #[test]
    fn attributes_show_doc_type_and_default() {
        let h = hover_at("key \"k\" {\n  rotation = true\n}\n", "rotation").unwrap();
        assert!(
            h.markdown.contains("Automatic key rotation"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("Default: `true` (from `std/defaults`)"));
    }

    #[test]
    fn references_show_the_declaration_with_defaults() {
        let text = "## Encrypts everything.\nkey \"data\" {\n  rotation = true\n}\nbucket \"b\" {\n  key = data\n}\n";
        let h = hover_at(text, "data\n}").unwrap();
        assert!(h.markdown.contains("key \"data\" {"), "{}", h.markdown);
        assert!(h.markdown.contains("rotation        = true"));
        assert!(h
            .markdown
            .contains("deletion_window = 30d  # default, std/defaults"));
        assert!(h.markdown.contains("Encrypts everything."));
    }

    #[test]
    fn regions_show_the_catalog_entry() {
        let h = hover_at("site \"s\" {\n  primary = eu-west-1\n}\n", "eu-west-1").unwrap();
        assert!(
            h.markdown.contains("region \"eu-west-1\""),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("Europe (Ireland)"));
        assert!(h.markdown.contains("Declared in `std/regions`"));
    }

    #[test]
    fn allow_codes_show_the_explanation() {
        let h = hover_at("bucket \"b\" {\n  allow DRS0031 \"legacy\"\n}\n", "DRS0031").unwrap();
        assert!(
            h.markdown.starts_with("**DRS0031** `unknown-attribute`"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("## What it checks"));
    }

    #[test]
    fn functions_show_their_grants_per_store() {
        let spec = include_str!("../../specs/transactions.drs");
        let h = hover_at(spec, "\"ingest\"").unwrap();
        let md = &h.markdown;
        assert!(md.contains("**Grants**"), "{md}");
        assert!(
            md.contains(
                "| table `transaction_meta` | reads, writes | `dynamodb:BatchGetItem`, `dynamodb:ConditionCheckItem`, `dynamodb:GetItem`, `dynamodb:PutItem`, `dynamodb:Query`, `dynamodb:UpdateItem` |"
            ),
            "{md}"
        );
        assert!(
            md.contains("| bucket `documents` | reads, writes | `kms:Decrypt`, `kms:GenerateDataKey`, `s3:GetObject`, `s3:GetObjectVersion`, `s3:ListBucket`, `s3:PutObject` |"),
            "{md}"
        );
        for absent in ["Scan", "DeleteItem", "DeleteObject", "BatchWriteItem"] {
            assert!(!md.contains(absent), "{absent} in {md}");
        }
        let text = "site \"s\" {\n  primary = us-east-1\n  secondary = us-west-2\n  rpo = 1h\n  rto = 4h\n  environment = test\n  suffix = \"t1\"\n}\ntable \"t\" {\n  partition_key = \"id\"\n}\nfunction \"f\" {\n  runtime = \"python3.12\"\n  handler = \"a.h\"\n  inline = \"x\"\n  writes = [t]\n  deletes = [t]\n  scans = [t]\n}\n";
        let h = hover_at(text, "\"f\"").unwrap();
        assert!(
            h.markdown.contains("| table `t` | writes, deletes, scans | `dynamodb:BatchWriteItem`, `dynamodb:DeleteItem`, `dynamodb:PutItem`, `dynamodb:Scan`, `dynamodb:UpdateItem` |"),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn durations_show_seconds() {
        let h = hover_at("site \"s\" {\n  rpo = 2h\n}\n", "2h").unwrap();
        assert!(h.markdown.contains("Recovery point objective"));
        assert!(h.markdown.contains("`2h` = 7200 seconds"), "{}", h.markdown);
    }

    #[test]
    fn data_stores_show_their_recovery_point_against_the_rpo() {
        let spec = include_str!("../../specs/transactions.drs");
        let h = hover_at(spec, "\"documents\"").unwrap();
        assert!(
            h.markdown
                .contains("**Recovery point: 15m** (S3 replication with RTC)"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("meets the RPO of 1h"), "{}", h.markdown);
        assert!(
            h.markdown.contains("`std/timing` `s3_rtc_replication`"),
            "{}",
            h.markdown
        );
        let h = hover_at(spec, "rpo ").unwrap();
        assert!(h.markdown.contains("| aurora `ledger` |"), "{}", h.markdown);
        let h = hover_at(spec, "rto ").unwrap();
        assert!(
            h.markdown.contains("**Estimated recovery time: "),
            "{}",
            h.markdown
        );
    }
}
