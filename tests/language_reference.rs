//! specs/language.md documents every block and attribute of the schema table,
//! with the defaults from stdlib/defaults.drs. The tables are generated here,
//! so the reference cannot drift from the language.

use drsc::schema::{self, LabelRule};
use drsc::source::FileId;
use drsc::syntax::ast::{Item, ValueKind};
use std::collections::BTreeMap;
use std::fmt::Write;

const BEGIN: &str = "<!-- schema:begin -->";
const END: &str = "<!-- schema:end -->";
const REGIONS_BEGIN: &str = "<!-- regions:begin -->";
const REGIONS_END: &str = "<!-- regions:end -->";

/// The capability columns of the region table: `services` words of `std/regions`.
const CAPABILITIES: &[(&str, &str)] = &[
    ("aurora_global_database", "Aurora global DB"),
    ("dynamodb_global_tables", "DynamoDB global tables"),
    ("s3_replication_time_control", "S3 RTC"),
    ("backup_cross_region_copy", "Backup cross-region copy"),
    ("route53_health_checker", "Route 53 health checkers"),
    ("arc_region_switch", "ARC Region switch"),
];

const FINSERV_BEGIN: &str = "<!-- finserv:begin -->";
const FINSERV_END: &str = "<!-- finserv:end -->";

/// Every demand of `std/finserv`, per environment, with its reason.
fn render_finserv() -> String {
    let text = drsc::stdlib::module("std/finserv").expect("finserv module");
    let (ast, diags) = drsc::syntax::parse(FileId(0), text);
    assert!(diags.is_empty());
    let Some(Item::Block(profile)) = ast.items.iter().find(|i| matches!(i, Item::Block(_))) else {
        panic!("std/finserv declares a profile");
    };
    let written = |b: &drsc::syntax::ast::Block, key: &str| {
        b.attributes()
            .find(|a| a.key.text.as_ref() as &str == key)
            .map(|a| format!("`{}`", &text[a.value.span.range()]))
    };
    let envs: Vec<&drsc::syntax::ast::Block> = profile
        .blocks()
        .filter(|b| b.kind.text.as_ref() as &str == "when")
        .collect();
    let mut s = String::from("\n| Demand | Production (and every environment not listed) |");
    for e in &envs {
        let _ = write!(
            s,
            " `{}` |",
            e.label.as_ref().map_or("", |l| l.text.as_ref())
        );
    }
    s.push_str(" Why |\n|---|---|");
    for _ in &envs {
        s.push_str("---|");
    }
    s.push_str("---|");
    for a in profile.attributes() {
        let key: &str = a.key.text.as_ref();
        let _ = write!(s, "\n| `{key}` | `{}` |", &text[a.value.span.range()]);
        for e in &envs {
            let _ = write!(s, " {} |", written(e, key).unwrap_or_else(|| "same".into()));
        }
        let why = a
            .doc
            .as_ref()
            .map_or(String::new(), |d| d.to_string().replace('\n', " "));
        let _ = write!(s, " {why} |");
    }
    s.push('\n');
    s
}

#[test]
fn finserv_table_matches_the_profile() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/language.md");
    let doc = std::fs::read_to_string(&path).expect("specs/language.md");
    let (start, end) = (
        doc.find(FINSERV_BEGIN).expect("finserv begin marker") + FINSERV_BEGIN.len(),
        doc.find(FINSERV_END).expect("finserv end marker"),
    );
    let generated = render_finserv();
    if doc[start..end] != generated {
        if std::env::var_os("UPDATE_LANGUAGE_REFERENCE").is_some() {
            let updated = format!("{}{}{}", &doc[..start], generated, &doc[end..]);
            std::fs::write(&path, updated).expect("write specs/language.md");
        } else {
            panic!("specs/language.md's finserv table is out of date with std/finserv: run UPDATE_LANGUAGE_REFERENCE=1 cargo test --test language_reference");
        }
    }
}

/// Which region offers what, from the stdlib region catalog.
fn render_regions() -> String {
    let text = drsc::stdlib::module("std/regions").expect("regions module");
    let (ast, diags) = drsc::syntax::parse(FileId(0), text);
    assert!(diags.is_empty());
    let mut s = String::from("\n| Region | Name | Zones |");
    for (_, title) in CAPABILITIES {
        let _ = write!(s, " {title} |");
    }
    s.push_str("\n|---|---|---|");
    for _ in CAPABILITIES {
        s.push_str("---|");
    }
    for item in &ast.items {
        let Item::Block(b) = item else { continue };
        if b.kind.text.as_ref() as &str != "region" {
            continue;
        }
        let Some(label) = &b.label else { continue };
        let attr = |key: &str| b.attributes().find(|a| a.key.text.as_ref() as &str == key);
        let shown = |key: &str| {
            attr(key).map_or(String::new(), |a| {
                text[a.value.span.range()].trim_matches('"').to_string()
            })
        };
        let services =
            attr("services").map_or(String::new(), |a| text[a.value.span.range()].to_string());
        let _ = write!(
            s,
            "\n| `{}` | {} | {} |",
            label.text,
            shown("display_name"),
            shown("zones")
        );
        for (word, _) in CAPABILITIES {
            let has = services
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|w| w == *word);
            s.push_str(if has { " yes |" } else { " – |" });
        }
    }
    s.push('\n');
    s
}

/// `kind.attribute` → the default's source text.
fn defaults() -> BTreeMap<String, String> {
    let text = drsc::stdlib::module("std/defaults").expect("defaults module");
    let (ast, diags) = drsc::syntax::parse(FileId(0), text);
    assert!(diags.is_empty());
    let mut out = BTreeMap::new();
    for item in &ast.items {
        let Item::Block(b) = item else { continue };
        let Some(kind) = &b.label else { continue };
        for a in b.attributes() {
            let shown = match &a.value.kind {
                ValueKind::Error => continue,
                _ => text[a.value.span.range()].to_string(),
            };
            out.insert(format!("{}.{}", kind.text, a.key.text), shown);
        }
    }
    out
}

fn render() -> String {
    let defaults = defaults();
    let mut s = String::new();
    for b in schema::BLOCKS {
        let head = match b.label {
            LabelRule::Name => format!("{} \"name\"", b.kind),
            LabelRule::Text => format!("{} \"label\"", b.kind),
            LabelRule::None => b.kind.to_string(),
        };
        let _ = writeln!(s, "\n### `{head}`\n\n{}\n", b.doc);
        let place = if b.parents.is_empty() {
            "top level".to_string()
        } else {
            b.parents
                .iter()
                .map(|p| format!("inside `{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut facts = vec![place];
        if b.singleton {
            facts.push("at most one".to_string());
        }
        if b.stdlib {
            facts.push("catalog fact, normally in the stdlib".to_string());
        }
        let _ = writeln!(s, "Where: {}.\n", facts.join("; "));
        if let Some(ty) = b.free_attrs {
            let _ = writeln!(s, "Any attribute name; every value is {}.\n", ty.describe());
        }
        if b.attrs.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "| Attribute | Type | Required | Default | Meaning |\n|---|---|---|---|---|"
        );
        for a in b.attrs {
            let default = defaults
                .get(&format!("{}.{}", b.kind, a.name))
                .map_or("–".to_string(), |d| format!("`{d}`"));
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} | {} |",
                a.name,
                a.ty.describe().replace('|', "\\|"),
                if a.required { "yes" } else { "no" },
                default,
                a.doc
            );
        }
    }
    s
}

#[test]
fn region_table_matches_the_catalog() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/language.md");
    let doc = std::fs::read_to_string(&path).expect("specs/language.md");
    let (start, end) = (
        doc.find(REGIONS_BEGIN).expect("regions begin marker") + REGIONS_BEGIN.len(),
        doc.find(REGIONS_END).expect("regions end marker"),
    );
    let generated = render_regions();
    if doc[start..end] != generated {
        if std::env::var_os("UPDATE_LANGUAGE_REFERENCE").is_some() {
            let updated = format!("{}{}{}", &doc[..start], generated, &doc[end..]);
            std::fs::write(&path, updated).expect("write specs/language.md");
        } else {
            panic!("specs/language.md's region table is out of date with std/regions: run UPDATE_LANGUAGE_REFERENCE=1 cargo test --test language_reference");
        }
    }
}

#[test]
fn language_reference_matches_the_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/language.md");
    let doc = std::fs::read_to_string(&path).expect("specs/language.md");
    let (start, end) = (
        doc.find(BEGIN).expect("begin marker") + BEGIN.len(),
        doc.find(END).expect("end marker"),
    );
    let generated = render();
    if doc[start..end] != generated {
        if std::env::var_os("UPDATE_LANGUAGE_REFERENCE").is_some() {
            let updated = format!("{}{}{}", &doc[..start], generated, &doc[end..]);
            std::fs::write(&path, updated).expect("write specs/language.md");
        } else {
            panic!("specs/language.md is out of date with src/schema.rs: run UPDATE_LANGUAGE_REFERENCE=1 cargo test --test language_reference");
        }
    }
}

#[test]
fn every_default_names_a_real_attribute() {
    for key in defaults().keys() {
        let (kind, attr) = key.split_once('.').expect("kind.attr");
        let block =
            schema::block(kind).unwrap_or_else(|| panic!("defaults for unknown kind {kind}"));
        assert!(
            block.attr(attr).is_some(),
            "default {key} names no attribute"
        );
    }
}

#[test]
fn every_code_the_docs_mention_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "specs/language.md"] {
        let text = std::fs::read_to_string(root.join(doc)).expect("doc");
        for (i, _) in text.match_indices("DRS") {
            let code = &text[i..(i + 7).min(text.len())];
            if code.len() == 7 && code[3..].bytes().all(|b| b.is_ascii_digit()) {
                assert!(
                    drsc::registry::lookup(code).is_some(),
                    "{doc} mentions {code}, which is not a drsc code"
                );
            }
        }
    }
}
