//! The semantic model: imports and names resolved, defaults and the profile
//! applied, values typed. Built even from a tree with errors (the language
//! server needs it), keeping spans and provenance.
//!
//! - [`resolve`]: the declaration table and reference resolution;
//! - [`defaults`]: `defaults "kind"` blocks, layered in program order;
//! - `attrs`: typed reads of a block's effective attributes, placeholders with errors;
//! - `build`: syntax blocks → model structs; `catalog`: the stdlib catalogs;
//! - `allows`: suppressions and their scopes; [`query`]: what is at a position.

pub mod access;
mod allows;
mod attrs;
pub mod backup_schedule;
mod build;
mod catalog;
pub mod codes;
pub mod defaults;
pub mod query;
pub mod resolve;
mod store_kind;
pub mod types;
mod values;

pub use access::Access;
pub use store_kind::StoreKind;
pub use types::*;

use crate::diagnostic::{self, Diagnostic};
use crate::loader::Program;
use crate::source::{SourceDb, Span};

/// Builds the model of the program's root site. Returns `None` only when there
/// is no usable `site` block; problems found on the way are diagnostics.
pub fn build(db: &SourceDb, program: &Program) -> (Option<Model>, Vec<Diagnostic>) {
    let mut b = attrs::Builder::new(db, program);
    let catalog = b.catalog();
    let model = b.model(catalog);
    if model.is_none() {
        b.diags.extend(missing_site(db, program));
    }
    let mut diags = b.diags;
    diagnostic::sort_and_dedup(&mut diags);
    (model, diags)
}

/// "no `site` block", unless the front end already explained why there is
/// none: an empty root file, or a `site` block lost to a syntax error (an item
/// of the root that did not parse at all may be it).
fn missing_site(db: &SourceDb, program: &Program) -> Option<Diagnostic> {
    let root = program.file(program.root?)?;
    let broken = root
        .ast
        .items
        .iter()
        .any(|i| matches!(i, crate::syntax::ast::Item::Error(_)));
    if root.ast.items.is_empty() || broken || site_written(db.text(root.id)) {
        return None;
    }
    Some(
        Diagnostic::new(&codes::MISSING_SITE, "no `site` block")
            .at(
                Span::new(root.id, 0, 0),
                "this file and its imports declare no site",
            )
            .help(
                "declare one with `site \"name\" { ... }` (`drsc explain DRS0100` shows a complete one), or check the file that imports this one",
            ),
    )
}

/// Whether some line of `text` starts a `site` block (that did not parse).
fn site_written(text: &str) -> bool {
    text.lines().any(|l| {
        l.trim_start()
            .strip_prefix("site")
            .is_some_and(|rest| rest.starts_with([' ', '\t', '"', '{']) || rest.is_empty())
    })
}
