//! One checked snapshot of a document: the same `driver::check_file` as
//! `drsc check`, run on the editor's text, plus the position queries the
//! IDE features share (what is under the cursor, where a name is declared).

use crate::driver::{self, CheckOutcome};
use crate::model::defaults::Defaults;
use crate::model::resolve::Decls;
use crate::schema::{self, BlockSchema, Type};
use crate::source::{FileId, SourceDb, SourceFile};
use crate::stdlib;
use crate::syntax::ast::{Allow, Attribute, Block, File, Import, Item, Value, ValueKind};
use std::path::{Path, PathBuf};

/// An editor buffer (or any text the caller holds): the name users see, the
/// path on disk if it has one, and the current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: String,
}

/// A checked document.
#[derive(Debug)]
pub struct Analysis {
    pub db: SourceDb,
    pub root: FileId,
    pub project_dir: PathBuf,
    pub outcome: CheckOutcome,
}

/// A block a name resolves to: a declaration or a catalog entry, in any loaded file.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub file: FileId,
    pub block: &'a Block,
}

impl<'a> Target<'a> {
    pub fn kind(&self) -> &'a str {
        &self.block.kind.text
    }

    pub fn name(&self) -> &'a str {
        self.block.label.as_ref().map_or("", |l| l.text.as_str())
    }
}

/// What the cursor is on.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    /// The kind word of a block (`aurora`).
    Kind(&'a Block),
    /// The label of a block (`"ledger"`).
    Label(&'a Block),
    /// The key of an attribute.
    Key(&'a Attribute),
    /// A value (the innermost one, for lists) of an attribute.
    Value(&'a Attribute, &'a Value),
    Allow(&'a Allow),
    Import(&'a Import),
    /// Inside a block's braces, on no item (the block is the last of [`Cursor::blocks`]).
    Body(&'a Block),
}

/// A node and the blocks around it, outermost first.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    pub node: Node<'a>,
    pub blocks: Vec<&'a Block>,
}

impl Analysis {
    /// Checks `root` with `open` (other editor buffers) shadowing the disk:
    /// an import of an open file reads the buffer, saved or not.
    pub fn new<'b>(
        root: &Buffer,
        open: impl IntoIterator<Item = &'b Buffer>,
        project_dir: &Path,
    ) -> Analysis {
        let mut db = SourceDb::new();
        for b in open {
            if b.path.is_some() && b.path != root.path {
                db.add(b.name.clone(), b.path.clone(), b.text.clone());
            }
        }
        let id = db.add(root.name.clone(), root.path.clone(), root.text.clone());
        let outcome = driver::check_file(&mut db, id, project_dir);
        Analysis {
            db,
            root: id,
            project_dir: project_dir.to_path_buf(),
            outcome,
        }
    }

    pub fn file(&self) -> &SourceFile {
        self.db.get(self.root)
    }

    pub fn text(&self) -> &str {
        self.db.text(self.root)
    }

    /// The root's syntax tree (what parsed of it).
    pub fn ast(&self) -> Option<&File> {
        self.outcome.program.file(self.root).map(|f| &f.ast)
    }

    /// The declaration table of the program, as the model resolves references.
    pub fn decls(&self) -> Decls<'_> {
        Decls::collect(&self.outcome.program, &mut Vec::new())
    }

    /// The defaults of the program, as the model applies them.
    pub fn defaults(&self) -> Defaults<'_> {
        Defaults::collect(&self.outcome.program)
    }

    /// Catalog entries of `kind` (`region`, `runtime`, ...): top-level blocks of
    /// every loaded file, in program order (a later entry replaces an earlier one).
    pub fn catalog(&self, kind: &'static str) -> impl Iterator<Item = Target<'_>> {
        self.outcome.program.files.iter().flat_map(move |f| {
            f.ast.items.iter().filter_map(move |i| match i {
                Item::Block(b) if b.kind.text == kind && b.label.is_some() => Some(Target {
                    file: f.id,
                    block: b,
                }),
                _ => None,
            })
        })
    }

    fn catalog_entry(&self, kind: &'static str, name: &str) -> Option<Target<'_>> {
        self.catalog(kind).filter(|t| t.name() == name).last()
    }

    /// What is at byte `offset` of the root.
    pub fn cursor(&self, offset: usize) -> Option<Cursor<'_>> {
        let ast = self.ast()?;
        let mut blocks = Vec::new();
        let node = find_in(&ast.items, self.root, offset, &mut blocks)?;
        Some(Cursor { node, blocks })
    }

    /// The file an import names, if it was loaded.
    pub fn import_target(&self, import: &Import) -> Option<FileId> {
        let path = import.path.text.as_str();
        if stdlib::is_stdlib(path) {
            return self.db.find(path, None);
        }
        let base = self
            .file()
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| self.project_dir.clone());
        let target = crate::loader::normalize(&base.join(path));
        let id = self.db.find("", Some(&target))?;
        (self.db.get(id).path.as_deref() == Some(target.as_path())).then_some(id)
    }

    /// What a value refers to: a declaration (resolved as the model resolves
    /// references), a region or a runtime of the catalogs.
    pub fn resolve(&self, cursor: &Cursor<'_>) -> Option<Target<'_>> {
        let Node::Value(attr, value) = cursor.node else {
            return None;
        };
        let ty = attribute_type(&cursor.blocks, &attr.key.text)?;
        match (&value.kind, ty) {
            (ValueKind::Ident(name), ty) => {
                let d = self.decls().lookup(name, ref_kinds(&ty)?).ok()?;
                Some(Target {
                    file: d.file,
                    block: d.block,
                })
            }
            (ValueKind::Region(name), _) => self.catalog_entry("region", name),
            (ValueKind::String(s), _) if attr.key.text == "runtime" => {
                self.catalog_entry("runtime", s)
            }
            _ => None,
        }
    }
}

/// The schema whose attributes apply directly inside the innermost of `blocks`:
/// the block's own, or for `defaults "kind"` the schema of `kind`.
pub fn attribute_schema(blocks: &[&Block]) -> Option<&'static BlockSchema> {
    let b = blocks.last()?;
    schema_of(&b.kind.text, b.label.as_ref().map(|l| l.text.as_str()))
}

/// [`attribute_schema`] from a kind and label, for callers without a tree.
pub fn schema_of(kind: &str, label: Option<&str>) -> Option<&'static BlockSchema> {
    if kind == "defaults" {
        schema::block(label?)
    } else {
        schema::block(kind)
    }
}

/// The type of attribute `key` inside the innermost of `blocks`.
pub fn attribute_type(blocks: &[&Block], key: &str) -> Option<Type> {
    key_type(attribute_schema(blocks)?, key)
}

/// The type of attribute `key` in blocks of schema `s` (for map-like blocks, of any key).
pub fn key_type(s: &BlockSchema, key: &str) -> Option<Type> {
    s.attr(key).map(|a| a.ty).or(s.free_attrs)
}

/// The block kinds a reference of type `ty` may name (for lists, of the elements).
pub fn ref_kinds(ty: &Type) -> Option<&'static [&'static str]> {
    match ty {
        Type::Ref(kinds) => Some(kinds),
        Type::List(inner) => ref_kinds(inner),
        _ => None,
    }
}

fn find_in<'a>(
    items: &'a [Item],
    file: FileId,
    offset: usize,
    blocks: &mut Vec<&'a Block>,
) -> Option<Node<'a>> {
    let item = items.iter().find(|i| i.span().contains(file, offset))?;
    match item {
        Item::Import(i) => Some(Node::Import(i)),
        Item::Error(_) => None,
        Item::Allow(a) => Some(Node::Allow(a)),
        Item::Attribute(a) => Some(find_in_attribute(a, file, offset)),
        Item::Block(b) => {
            if b.kind.span.contains(file, offset) {
                return Some(Node::Kind(b));
            }
            if b.label
                .as_ref()
                .is_some_and(|l| l.span.contains(file, offset))
            {
                return Some(Node::Label(b));
            }
            blocks.push(b);
            find_in(&b.body, file, offset, blocks).or(Some(Node::Body(b)))
        }
    }
}

fn find_in_attribute(a: &Attribute, file: FileId, offset: usize) -> Node<'_> {
    if a.key.span.contains(file, offset) {
        return Node::Key(a);
    }
    let mut v = &a.value;
    while let ValueKind::List(items) = &v.kind {
        match items.iter().find(|i| i.span.contains(file, offset)) {
            Some(inner) => v = inner,
            None => break,
        }
    }
    Node::Value(a, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn analyze(text: &str) -> Analysis {
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text: text.into(),
        };
        Analysis::new(&buf, [], Path::new("/nonexistent-project"))
    }

    const SITE: &str = "key \"data\" {\n  rotation = true\n}\nbucket \"docs\" {\n  key = data\n  tags_x = [a, b]\n}\n";

    #[test]
    fn cursor_finds_keys_values_and_blocks() {
        let a = analyze(SITE);
        let at = |s: &str| SITE.find(s).unwrap();
        match a.cursor(at("rotation")).unwrap().node {
            Node::Key(attr) => assert_eq!(attr.key.text, "rotation"),
            n => panic!("{n:?}"),
        }
        let c = a.cursor(at("data\n") + 1).unwrap();
        assert_eq!(c.blocks.len(), 1);
        let decl = a.resolve(&c).unwrap();
        assert_eq!((decl.kind(), decl.name()), ("key", "data"));
        match a.cursor(at("b]")).unwrap().node {
            Node::Value(_, v) => assert_eq!(v.kind, ValueKind::Ident("b".into())),
            n => panic!("{n:?}"),
        }
        assert!(matches!(
            a.cursor(at("bucket")).unwrap().node,
            Node::Kind(_)
        ));
        assert!(matches!(
            a.cursor(at("\"docs\"")).unwrap().node,
            Node::Label(_)
        ));
    }

    #[test]
    fn regions_resolve_to_the_catalog_and_defaults_come_from_stdlib() {
        let a = analyze("site \"s\" {\n  primary = us-east-1\n}\n");
        let c = a.cursor(a.text().find("us-east").unwrap()).unwrap();
        let decl = a.resolve(&c).unwrap();
        assert_eq!(decl.kind(), "region");
        assert_eq!(a.db.get(decl.file).name, "std/regions");
        let defaults = a.defaults();
        assert!(defaults
            .apply("key", None, None)
            .get("deletion_window")
            .is_some());
    }
}
