//! Checks a syntax tree against the schema table: known blocks in allowed
//! places, labels, known and unique attributes, value types and units.
//! Required attributes are checked after defaults are applied (see `model`).

use super::ast::*;
use super::codes;
use crate::diagnostic::{Diagnostic, Text};
use crate::schema::{self, BlockSchema, LabelRule, Type};
use crate::suggest::closest;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Validates every item of a file.
pub fn validate(file: &File) -> Vec<Diagnostic> {
    // Room for one diagnostic an item (a file of errors has about that many),
    // so the vector does not double past it; the rest is given back below.
    let mut out = Vec::with_capacity(file.items.len());
    let mut unknown = HashMap::new();
    for item in &file.items {
        match item {
            Item::Block(b) => block(b, None, &mut unknown, &mut out),
            Item::Attribute(a) => out.push(
                Diagnostic::new(
                    &codes::UNKNOWN_ATTRIBUTE,
                    format!("attribute `{}` outside any block", a.key.text),
                )
                .at(a.key.span, "attributes belong inside a block")
                .help("move it into the `site` block or the block it configures"),
            ),
            Item::Allow(a) => allow(a, &mut out),
            Item::Import(_) | Item::Error(_) => {}
        }
    }
    // Growth by doubling leaves up to half again as much room unused.
    out.shrink_to_fit();
    out
}

/// Whether `label` may name a declaration (`covers = [label]`).
pub fn is_name(label: &str) -> bool {
    let mut chars = label.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn allow(a: &Allow, out: &mut Vec<Diagnostic>) {
    match crate::registry::lookup(&a.code.text) {
        None => {
            let d = Diagnostic::new(
                &codes::BAD_SUPPRESSION,
                format!("`{}` is not a drsc code", a.code.text),
            )
            .at(a.code.span, "unknown code");
            let known: Vec<&str> = crate::registry::all().map(|c| c.code).collect();
            out.push(match closest(&a.code.text, known) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("`drsc rules` lists every code"),
            });
        }
        Some(_) if a.reason.span.start == a.reason.span.end => out.push(
            Diagnostic::new(
                &codes::BAD_SUPPRESSION,
                format!("`allow {}` has no reason", a.code.text),
            )
            .at(a.span, "no reason given")
            .help(format!(
                "write `allow {} \"why this exception is acceptable\"`; auditors read it",
                a.code.text
            )),
        ),
        Some(_) if a.reason.text.trim().is_empty() => out.push(
            Diagnostic::new(&codes::BAD_SUPPRESSION, "a suppression needs a reason")
                .at(a.reason.span, "empty reason")
                .help("say why this exception is acceptable; auditors read it"),
        ),
        Some(_) => {}
    }
}

/// The messages "unknown block `kind`" said so far, one [`Text`] each: a
/// generated file can repeat one unknown kind hundreds of thousands of times.
type UnknownKinds = HashMap<Str, Text>;

fn block(
    b: &Block,
    parent: Option<&BlockSchema>,
    unknown: &mut UnknownKinds,
    out: &mut Vec<Diagnostic>,
) {
    let kind = b.kind.text.as_str();
    let Some(schema) = schema::block(kind) else {
        let parent_kind = parent.map(|p| p.kind);
        let message = unknown
            .entry(b.kind.text.clone())
            .or_insert_with(|| Text::shared(format!("unknown block `{kind}`")))
            .clone();
        let mut d = Diagnostic::new(&codes::UNKNOWN_BLOCK, message)
            .at(b.kind.span, "not a block kind of the language");
        d = match closest(kind, schema::children_of(parent_kind).map(|s| s.kind)) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(allowed_blocks_help(parent_kind)),
        };
        out.push(d);
        return;
    };
    let placed_ok = match parent {
        None => schema.is_top_level(),
        Some(p) => schema.parents.contains(&p.kind),
    };
    if !placed_ok {
        let msg = match parent {
            None => format!("`{kind}` cannot stand at the top level"),
            Some(p) => format!("`{kind}` is not allowed inside `{}`", p.kind),
        };
        let help = if schema.parents.is_empty() {
            "move it to the top level of the file".to_string()
        } else {
            format!(
                "it belongs inside {}",
                schema
                    .parents
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        };
        out.push(
            Diagnostic::new(&codes::UNKNOWN_BLOCK, msg)
                .at(b.kind.span, "not allowed here")
                .help(help),
        );
    }
    label(b, schema, out);
    let target = if kind == "defaults" {
        b.label.as_ref().and_then(|l| {
            let t = schema::block(&l.text);
            if t.is_none() {
                let kinds: Vec<&str> = schema::BLOCKS.iter().map(|s| s.kind).collect();
                let d = Diagnostic::new(
                    &codes::UNKNOWN_BLOCK,
                    format!("`defaults` for unknown block kind `{}`", l.text),
                )
                .at(l.span, "not a block kind");
                out.push(match closest(&l.text, kinds) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d,
                });
            }
            t
        })
    } else {
        Some(schema)
    };
    let Some(target) = target else { return };
    let mut seen: HashMap<&str, &Attribute> = HashMap::new();
    for item in &b.body {
        match item {
            Item::Attribute(a) => {
                if let Some(first) = seen.get(a.key.text.as_str()) {
                    out.push(
                        Diagnostic::new(
                            &codes::DUPLICATE_ATTRIBUTE,
                            format!("`{}` is set twice in {}", a.key.text, b.title()),
                        )
                        .at(a.key.span, "set again here")
                        .also(first.key.span, "first set here")
                        .help("remove one of them"),
                    );
                    continue;
                }
                seen.insert(&a.key.text, a);
                attribute(a, b, target, out);
            }
            Item::Block(child) if kind == "defaults" => {
                block(child, Some(target), unknown, out);
            }
            Item::Block(child) => block(child, Some(schema), unknown, out),
            Item::Allow(al) => allow(al, out),
            Item::Error(_) => {}
            Item::Import(i) => out.push(
                Diagnostic::new(&codes::SYNTAX, "`import` inside a block")
                    .at(i.span, "imports belong at the top of the file")
                    .help("move the import to the top level"),
            ),
        }
    }
}

/// "blocks allowed at the top level: site, ..." (or "in `backup`"): the help of an
/// unknown block kind, worded once per parent and shared by every diagnostic
/// that gives it (a generated file can have hundreds of thousands).
fn allowed_blocks_help(parent: Option<&'static str>) -> &'static str {
    static HELP: OnceLock<HashMap<Option<&'static str>, String>> = OnceLock::new();
    let all = HELP.get_or_init(|| {
        std::iter::once(None)
            .chain(schema::BLOCKS.iter().map(|s| Some(s.kind)))
            .map(|parent| {
                let allowed: Vec<&str> = schema::children_of(parent).map(|s| s.kind).collect();
                let where_ = parent.map_or("at the top level".to_string(), |p| format!("in `{p}`"));
                (
                    parent,
                    format!("blocks allowed {where_}: {}", allowed.join(", ")),
                )
            })
            .collect()
    });
    all.get(&parent).map_or("", String::as_str)
}

fn label(b: &Block, schema: &BlockSchema, out: &mut Vec<Diagnostic>) {
    match (schema.label, &b.label) {
        (LabelRule::None, Some(l)) => out.push(
            Diagnostic::new(
                &codes::BAD_LABEL,
                format!("`{}` takes no label", schema.kind),
            )
            .at(l.span, "remove this label")
            .help(format!("write `{} {{ ... }}`", schema.kind)),
        ),
        (LabelRule::Name | LabelRule::Text, None) => out.push(
            Diagnostic::new(
                &codes::BAD_LABEL,
                format!("`{}` needs a label", schema.kind),
            )
            .at(b.kind.span, "no label")
            .help(format!("write `{} \"name\" {{ ... }}`", schema.kind)),
        ),
        (LabelRule::Name, Some(l)) if !is_name(&l.text) => {
            let fixed: String = l
                .text
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            out.push(
                Diagnostic::new(
                    &codes::BAD_LABEL,
                    format!("`{}` is not a valid name", l.text),
                )
                .at(
                    l.span,
                    "names are lowercase letters, digits and `_`, starting with a letter",
                )
                .help(format!(
                    "other blocks refer to it by bare name; try \"{fixed}\""
                )),
            )
        }
        _ => {}
    }
}

fn attribute(a: &Attribute, b: &Block, schema: &BlockSchema, out: &mut Vec<Diagnostic>) {
    let ty = match (schema.attr(&a.key.text), schema.free_attrs) {
        (Some(s), _) => s.ty,
        (None, Some(ty)) => ty,
        (None, None) => {
            // Not an attribute the block already sets: that would be a duplicate.
            let names = schema
                .attrs
                .iter()
                .map(|s| s.name)
                .filter(|n| b.attr(n).is_none());
            let d = Diagnostic::new(
                &codes::UNKNOWN_ATTRIBUTE,
                format!("unknown attribute `{}` in {}", a.key.text, b.title()),
            )
            .at(
                a.key.span,
                format!("`{}` has no such attribute", schema.kind),
            );
            out.push(match closest(&a.key.text, names) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!(
                    "`{}` takes: {}",
                    schema.kind,
                    schema
                        .attrs
                        .iter()
                        .map(|s| s.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            });
            return;
        }
    };
    check_value(&a.value, &ty, &a.key.text, out);
}

/// Checks a value against a type; reports wrong types, units and ranges.
pub fn check_value(v: &Value, ty: &Type, key: &str, out: &mut Vec<Diagnostic>) {
    let wrong = |out: &mut Vec<Diagnostic>, extra: Option<String>| {
        let mut d = Diagnostic::new(
            &codes::WRONG_TYPE,
            format!(
                "`{key}` expects {}, found {}",
                ty.describe(),
                v.kind.describe()
            ),
        )
        .at(v.span, format!("expected {}", ty.describe()));
        if let Some(h) = extra {
            d = d.help(h);
        }
        out.push(d);
    };
    let range = |out: &mut Vec<Diagnostic>, shown: String, lo: String, hi: String| {
        out.push(
            Diagnostic::new(
                &codes::OUT_OF_RANGE,
                format!("`{key}` is {shown}, outside the range {lo} to {hi}"),
            )
            .at(v.span, format!("must be between {lo} and {hi}, inclusive"))
            .help(format!("use a value from {lo} to {hi}")),
        );
    };
    match (ty, &v.kind) {
        (_, ValueKind::Error) => {}
        (Type::String, ValueKind::String(_))
        | (Type::Bool, ValueKind::Bool(_))
        | (Type::Size, ValueKind::Size(_))
        | (Type::Percent, ValueKind::Percent(_))
        | (Type::Cidr, ValueKind::Cidr(_))
        | (Type::Version, ValueKind::Version(_))
        | (Type::Date, ValueKind::Date(_))
        | (Type::Region, ValueKind::Region(_))
        | (Type::Ref(_), ValueKind::Ident(_)) => {}
        (Type::Integer { min, max }, ValueKind::Integer(n)) => {
            if n < min || n > max {
                range(out, n.to_string(), min.to_string(), max.to_string());
            }
        }
        (Type::Duration { min, max }, ValueKind::Duration(d)) => {
            let s = d.as_secs();
            if s < *min || s > *max {
                range(
                    out,
                    d.to_string(),
                    crate::units::humanize_secs(*min),
                    crate::units::humanize_secs(*max),
                );
            }
        }
        (Type::Enum(words), ValueKind::Ident(w)) => {
            if !words.contains(&w.as_str()) {
                let d =
                    Diagnostic::new(&codes::WRONG_TYPE, format!("`{w}` is not a valid `{key}`"))
                        .at(v.span, format!("expected {}", ty.describe()));
                out.push(match closest(w, words.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("use {}", ty.describe())),
                });
            }
        }
        (Type::Code, ValueKind::Ident(c)) => {
            if crate::registry::lookup(c).is_none() {
                out.push(
                    Diagnostic::new(&codes::BAD_SUPPRESSION, format!("`{c}` is not a drsc code"))
                        .at(v.span, "unknown code")
                        .help("`drsc rules` lists every code"),
                );
            }
        }
        (Type::List(inner), ValueKind::List(items)) => {
            for item in items {
                check_value(item, inner, key, out);
            }
        }
        (Type::List(inner), _) => wrong(
            out,
            Some(format!(
                "write a list: `{key} = [...]` of {}",
                inner.describe()
            )),
        ),
        // Never suggest a value that is itself an error: quantities are not negative.
        (Type::Duration { .. } | Type::Size, ValueKind::Integer(n)) if *n < 0 => wrong(
            out,
            Some(match ty {
                Type::Size => format!(
                    "sizes cannot be negative: write e.g. `{}MiB`",
                    n.unsigned_abs()
                ),
                _ => format!(
                    "durations cannot be negative: write e.g. `{}h`",
                    n.unsigned_abs()
                ),
            }),
        ),
        (Type::Duration { .. }, ValueKind::Integer(n)) => wrong(
            out,
            Some(format!("add a unit: `{n}s`, `{n}m`, `{n}h` or `{n}d`")),
        ),
        (Type::Size, ValueKind::Integer(n)) => {
            wrong(out, Some(format!("add a unit, e.g. `{n}MiB`")))
        }
        (Type::Region, ValueKind::String(s)) if crate::syntax::parser::is_region_shaped(s) => {
            wrong(out, Some(format!("write the region without quotes: `{s}`")))
        }
        (Type::String, ValueKind::Ident(w)) => wrong(out, Some(format!("quote it: `\"{w}\"`"))),
        (Type::Ref(_) | Type::Enum(_), ValueKind::String(s)) if is_name(s) => {
            wrong(out, Some(format!("write the name without quotes: `{s}`")))
        }
        (Type::Version, ValueKind::Integer(n)) => wrong(
            out,
            Some(format!("write the minor version too, e.g. `{n}.0`")),
        ),
        _ => wrong(out, Some(format!("write {}", ty.describe()))),
    }
}
