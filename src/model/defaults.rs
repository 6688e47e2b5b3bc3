//! `defaults "kind" { ... }` blocks: the values a block gets when it does not
//! say otherwise. Files are applied in program order (the prelude's
//! `std/defaults` first, then imports before the files importing them, the
//! site file last), so a later file's default wins, and a block's own value
//! wins over every default.

use super::types::Origin;
use crate::loader::Program;
use crate::syntax::ast::{Attribute, Block, Item};
use std::collections::{BTreeMap, HashMap, HashSet};

type Layer<'a> = BTreeMap<&'a str, &'a Attribute>;

/// Every default of the program, the latest per kind and attribute.
#[derive(Debug, Default)]
pub struct Defaults<'a> {
    /// `defaults "table" { pitr = true }`: by block kind.
    top: HashMap<&'a str, Layer<'a>>,
    /// `defaults "function" { environment { LOG_LEVEL = "INFO" } }`: by (parent, child) kind.
    nested: HashMap<(&'a str, &'a str), Layer<'a>>,
}

/// One effective attribute: the attribute that sets it, and where it came from.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub attr: &'a Attribute,
    pub origin: Origin,
}

/// The effective attributes of one block: its own over the defaults.
#[derive(Debug, Default)]
pub struct Attrs<'a> {
    map: BTreeMap<&'a str, Entry<'a>>,
}

impl<'a> Attrs<'a> {
    pub fn get(&self, key: &str) -> Option<Entry<'a>> {
        self.map.get(key).copied()
    }

    /// Every effective attribute, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, Entry<'a>)> + '_ {
        self.map.iter().map(|(k, e)| (*k, *e))
    }
}

impl<'a> Defaults<'a> {
    pub fn collect(program: &'a Program) -> Defaults<'a> {
        let mut defaults = Defaults::default();
        for file in &program.files {
            for item in &file.ast.items {
                let Item::Block(b) = item else { continue };
                if b.kind.text != "defaults" {
                    continue;
                }
                let Some(target) = b.label.as_ref().map(|l| l.text.as_str()) else {
                    continue;
                };
                overlay(defaults.top.entry(target).or_default(), b);
                for child in b.blocks() {
                    let layer = defaults
                        .nested
                        .entry((target, child.kind.text.as_str()))
                        .or_default();
                    overlay(layer, child);
                }
            }
        }
        defaults
    }

    /// The effective attributes of a block of `kind` nested in `parent` (`None`
    /// at the top level). `block` is `None` for a block that is not written but
    /// whose defaults still apply (e.g. `tags`).
    pub fn apply(&self, kind: &str, parent: Option<&str>, block: Option<&'a Block>) -> Attrs<'a> {
        let mut map = BTreeMap::new();
        let layers = [
            self.top.get(kind),
            parent.and_then(|p| self.nested.get(&(p, kind))),
        ];
        for layer in layers.into_iter().flatten() {
            for (key, attr) in layer {
                map.insert(
                    *key,
                    Entry {
                        attr,
                        origin: Origin::Default(attr.span),
                    },
                );
            }
        }
        if let Some(b) = block {
            let mut own = Layer::new();
            overlay(&mut own, b);
            for (key, attr) in own {
                map.insert(
                    key,
                    Entry {
                        attr,
                        origin: Origin::Written,
                    },
                );
            }
        }
        Attrs { map }
    }
}

/// Lays the attributes of `b` over `layer`; within one block the first of a
/// repeated key counts (the front end reports the repetition).
fn overlay<'a>(layer: &mut Layer<'a>, b: &'a Block) {
    let mut seen = HashSet::new();
    for attr in b.attributes() {
        if seen.insert(attr.key.text.as_str()) {
            layer.insert(attr.key.text.as_str(), attr);
        }
    }
}
