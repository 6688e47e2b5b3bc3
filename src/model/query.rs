//! What is at a position: a declaration, a reference or an attribute. Plain
//! library functions for the language server's hover and go-to-definition.

use super::resolve::{header, Decls};
use super::types::{Model, Origin};
use super::values;
use crate::loader::Program;
use crate::schema::{self, Type};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Attribute, Block, Item, Value, ValueKind};

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    /// A block header, `aurora "ledger"`: its kind, label, header span and `##` doc.
    Declaration {
        kind: String,
        name: String,
        span: Span,
        doc: Option<String>,
    },
    /// A name used as a value (`key = data`, `primary = us-east-1`,
    /// `runtime = "python3.12"`) and what it resolves to, if anything.
    Reference {
        name: String,
        /// The span of the name at the cursor.
        span: Span,
        /// The kind of the declaration or catalog entry it resolves to.
        target_kind: Option<String>,
        /// The header of that declaration or catalog entry.
        target: Option<Span>,
    },
    /// An attribute: the kind of block it configures (for `defaults "table"`,
    /// `table`), its name, its value as written and where the value comes from.
    Attribute {
        block_kind: String,
        name: String,
        value: String,
        span: Span,
        origin: Origin,
    },
}

/// What is at byte `offset` of `file`.
pub fn at(model: &Model, program: &Program, file: FileId, offset: usize) -> Option<Hit> {
    let loaded = program.file(file)?;
    let q = Query {
        model,
        program,
        file,
        offset,
    };
    loaded.ast.items.iter().find_map(|item| match item {
        Item::Block(b) => q.block(b, false),
        _ => None,
    })
}

struct Query<'a> {
    model: &'a Model,
    program: &'a Program,
    file: FileId,
    offset: usize,
}

impl Query<'_> {
    fn hits(&self, span: Span) -> bool {
        span.contains(self.file, self.offset)
    }

    /// `in_defaults`: the block stands inside a `defaults` block.
    fn block(&self, b: &Block, in_defaults: bool) -> Option<Hit> {
        if !self.hits(b.span) {
            return None;
        }
        let head = header(b);
        if self.hits(head) {
            return Some(Hit::Declaration {
                kind: b.kind.text.to_string(),
                name: b
                    .label
                    .as_ref()
                    .map_or(String::new(), |l| l.text.to_string()),
                span: head,
                doc: b.doc.as_deref().map(str::to_string),
            });
        }
        // The kind the attributes configure: a `defaults` block's label, else its own.
        let (configures, defaults) = if b.kind.text == "defaults" {
            (b.label.as_ref().map_or("", |l| l.text.as_str()), true)
        } else {
            (b.kind.text.as_str(), in_defaults)
        };
        b.body.iter().find_map(|item| match item {
            Item::Block(child) => self.block(child, defaults),
            Item::Attribute(a) if self.hits(a.span) => self.attribute(a, configures, defaults),
            _ => None,
        })
    }

    fn attribute(&self, a: &Attribute, kind: &str, in_defaults: bool) -> Option<Hit> {
        let ty = schema::block(kind).and_then(|s| match s.attr(&a.key.text) {
            Some(attr) => Some(attr.ty),
            None => s.free_attrs,
        });
        if self.hits(a.value.span) {
            let value = match (&a.value.kind, ty) {
                (ValueKind::List(items), Some(Type::List(inner))) => items
                    .iter()
                    .find(|i| self.hits(i.span))
                    .map(|i| (i, Some(*inner))),
                _ => Some((&a.value, ty)),
            };
            if let Some(hit) = value.and_then(|(v, t)| self.reference(v, t?, kind, &a.key.text)) {
                return Some(hit);
            }
        }
        Some(Hit::Attribute {
            block_kind: kind.to_string(),
            name: a.key.text.to_string(),
            value: values::text(&a.value.kind),
            span: a.span,
            origin: if in_defaults {
                Origin::Default(a.span)
            } else {
                Origin::Written
            },
        })
    }

    /// A reference hit when `v` names something: a declaration, a region, a runtime.
    fn reference(&self, v: &Value, ty: Type, kind: &str, key: &str) -> Option<Hit> {
        let catalog = &self.model.catalog;
        let (name, target) = match (&v.kind, ty) {
            (ValueKind::Ident(name), Type::Ref(kinds)) => {
                let mut ignored = Vec::new();
                let decls = Decls::collect(self.program, &mut ignored);
                let target = decls
                    .lookup(name, kinds)
                    .ok()
                    .map(|d| (d.kind().to_string(), d.header()));
                (name, target)
            }
            (ValueKind::Region(name), Type::Region) => (
                name,
                catalog.region(name).map(|r| ("region".to_string(), r.span)),
            ),
            (ValueKind::String(name), _) if kind == "function" && key == "runtime" => (
                name,
                catalog
                    .runtime(name)
                    .map(|r| ("runtime".to_string(), r.span)),
            ),
            _ => return None,
        };
        let (target_kind, target) = target.unzip();
        Some(Hit::Reference {
            name: name.to_string(),
            span: v.span,
            target_kind,
            target,
        })
    }
}
