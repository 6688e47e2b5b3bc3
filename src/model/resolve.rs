//! The declaration table: every top-level block of the program a site is made
//! of (catalog entries aside), and the resolution of references against it.

use super::codes;
use crate::diagnostic::Diagnostic;
use crate::loader::Program;
use crate::schema::{self, BlockSchema, LabelRule};
use crate::source::{FileId, Span};
use crate::suggest::closest;
use crate::syntax::ast::{Block, Item};
use std::collections::HashMap;

/// A top-level block of a user-facing kind (`site`, `aurora`, `profile`, ...).
#[derive(Debug, Clone, Copy)]
pub struct Decl<'a> {
    pub schema: &'static BlockSchema,
    /// The label, or `""` when it is missing (the front end reported that).
    pub name: &'a str,
    pub block: &'a Block,
    pub file: FileId,
}

impl Decl<'_> {
    pub fn kind(&self) -> &'static str {
        self.schema.kind
    }

    /// `kind "label"`: where messages point at a declaration.
    pub fn header(&self) -> Span {
        header(self.block)
    }
}

/// The span of a block's header: its kind and label.
pub fn header(b: &Block) -> Span {
    match &b.label {
        Some(l) => b.kind.span.to(l.span),
        None => b.kind.span,
    }
}

/// Every declaration in program order, duplicates dropped (and reported),
/// indexed by name and kind so resolution stays linear in the site's size.
#[derive(Debug, Default)]
pub struct Decls<'a> {
    list: Vec<Decl<'a>>,
    /// Indexes into `list` of the named declarations, by name.
    by_name: HashMap<&'a str, Vec<usize>>,
    /// Index of the first declaration of each kind (for singletons).
    first_of_kind: HashMap<&'static str, usize>,
}

/// Why a reference did not resolve.
pub enum Unresolved<'a> {
    Unknown,
    WrongKind(Decl<'a>),
    Ambiguous(Decl<'a>, Decl<'a>),
}

impl<'a> Decls<'a> {
    /// Collects the declarations of every file; reports duplicate names and
    /// repeated one-per-site blocks. Catalog kinds and `defaults` are not declarations.
    pub fn collect(program: &'a Program, diags: &mut Vec<Diagnostic>) -> Decls<'a> {
        let mut decls = Decls::default();
        for file in &program.files {
            for item in &file.ast.items {
                let Item::Block(block) = item else { continue };
                let Some(schema) = schema::block(&block.kind.text) else {
                    continue;
                };
                if !schema.is_top_level() || schema.stdlib || schema.kind == "defaults" {
                    continue;
                }
                let decl = Decl {
                    schema,
                    name: block.label.as_ref().map_or("", |l| l.text.as_str()),
                    block,
                    file: file.id,
                };
                if let Some(first) = decls.clash(&decl) {
                    diags.push(duplicate(
                        decl.kind(),
                        decl.name,
                        schema.singleton,
                        first.header(),
                        decl.header(),
                    ));
                    continue;
                }
                let index = decls.list.len();
                decls.first_of_kind.entry(decl.kind()).or_insert(index);
                if decl.schema.label == LabelRule::Name && !decl.name.is_empty() {
                    decls.by_name.entry(decl.name).or_default().push(index);
                }
                decls.list.push(decl);
            }
        }
        decls
    }

    /// An earlier declaration the new one collides with.
    fn clash(&self, new: &Decl<'a>) -> Option<Decl<'a>> {
        if new.schema.singleton {
            return self.first_of_kind.get(new.kind()).map(|i| self.list[*i]);
        }
        if new.schema.label != LabelRule::Name || new.name.is_empty() {
            return None;
        }
        self.by_name
            .get(new.name)?
            .iter()
            .map(|i| self.list[*i])
            .find(|d| d.kind() == new.kind())
    }

    /// Declarations of one kind, in program order.
    pub fn of_kind<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Decl<'a>> + 's {
        self.list.iter().filter(move |d| d.kind() == kind)
    }

    /// The one declaration of an accepted kind called `name`.
    pub fn lookup(&self, name: &str, kinds: &[&str]) -> Result<Decl<'a>, Unresolved<'a>> {
        let named: Vec<&Decl<'a>> = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|i| &self.list[*i])
            .collect();
        let accepted: Vec<&Decl<'a>> = named
            .iter()
            .copied()
            .filter(|d| kinds.contains(&d.kind()))
            .collect();
        match (accepted.as_slice(), named.first()) {
            ([one], _) => Ok(**one),
            ([a, b, ..], _) => Err(Unresolved::Ambiguous(**a, **b)),
            ([], Some(other)) => Err(Unresolved::WrongKind(**other)),
            ([], None) => Err(Unresolved::Unknown),
        }
    }

    /// Resolves the reference `name` at `span`, used by attribute `attr` that
    /// accepts `kinds`; explains a failure as a diagnostic.
    pub fn resolve(
        &self,
        name: &str,
        span: Span,
        attr: &str,
        kinds: &[&str],
    ) -> Result<Decl<'a>, Box<Diagnostic>> {
        self.lookup(name, kinds)
            .map_err(|why| Box::new(self.explain(why, name, span, attr, kinds)))
    }

    fn explain(
        &self,
        why: Unresolved<'a>,
        name: &str,
        span: Span,
        attr: &str,
        kinds: &[&str],
    ) -> Diagnostic {
        match why {
            Unresolved::Unknown => self.unknown(name, span, kinds),
            Unresolved::WrongKind(other) => {
                let d = Diagnostic::new(
                    &codes::WRONG_KIND_REFERENCE,
                    format!(
                        "`{name}` is {}, but `{attr}` expects {}",
                        with_article(other.kind()),
                        kinds_phrase(kinds)
                    ),
                )
                .at(span, format!("{} here", with_article(other.kind())))
                .also(other.header(), format!("`{name}` is declared here"));
                match self.suggest(name, kinds) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("name {} here", kinds_phrase(kinds))),
                }
            }
            Unresolved::Ambiguous(a, b) => Diagnostic::new(
                &codes::AMBIGUOUS_REFERENCE,
                format!(
                    "`{name}` names both {} and {}",
                    with_article(a.kind()),
                    with_article(b.kind())
                ),
            )
            .at(span, "ambiguous")
            .also(a.header(), format!("`{} \"{name}\"`", a.kind()))
            .also(b.header(), format!("`{} \"{name}\"`", b.kind()))
            .help("rename one of the two declarations so that each store has its own name"),
        }
    }

    fn suggest(&self, name: &str, kinds: &[&str]) -> Option<&'a str> {
        let names = self
            .list
            .iter()
            // Never a name that is itself an error (a label that is not a name).
            .filter(|d| {
                kinds.contains(&d.kind())
                    && d.name != name
                    && crate::syntax::validate::is_name(d.name)
            })
            .map(|d| d.name);
        closest(name, names)
    }

    fn unknown(&self, name: &str, span: Span, kinds: &[&str]) -> Diagnostic {
        let what = kinds
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        let d = Diagnostic::new(
            &codes::UNKNOWN_REFERENCE,
            format!("no {what} named `{name}`"),
        )
        .at(span, "not declared");
        if let Some(s) = self.suggest(name, kinds) {
            return d.help(format!("did you mean `{s}`?"));
        }
        let module = format!("std/{name}");
        if crate::stdlib::module(&module).is_some() && !crate::stdlib::PRELUDE.contains(&&*module) {
            return d.help(format!(
                "import the module that declares it: `import \"{module}\"`"
            ));
        }
        d.help(format!(
            "declare it (`{} \"{name}\" {{ ... }}`) or import the file that does",
            kinds.first().copied().unwrap_or("block")
        ))
    }
}

/// `again` repeats `first`: a second declaration of `kind "name"`, or a
/// second block of a one-per-site (or one-per-parent) kind.
pub fn duplicate(kind: &str, name: &str, singleton: bool, first: Span, again: Span) -> Diagnostic {
    if singleton {
        let (msg, help) = if kind == "site" {
            (
                "more than one `site`".to_string(),
                "check one site per file; share common blocks through an `import`".to_string(),
            )
        } else {
            (
                format!("more than one `{kind}` block"),
                format!("merge the two `{kind}` blocks into one"),
            )
        };
        return Diagnostic::new(&codes::DUPLICATE_DECLARATION, msg)
            .at(again, format!("another `{kind}`"))
            .also(first, format!("the first `{kind}`"))
            .help(help);
    }
    Diagnostic::new(
        &codes::DUPLICATE_DECLARATION,
        format!("`{kind} \"{name}\"` is declared twice"),
    )
    .at(again, "declared again here")
    .also(first, "first declared here")
    .help("rename one of them (and the references meant for it), or merge the two blocks")
}

/// `a `key`` or `an `aurora``.
pub fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} `{kind}`")
}

/// `a `key`` or `an `aurora`, `table` or `bucket``.
pub fn kinds_phrase(kinds: &[&str]) -> String {
    match kinds {
        [] => "a declaration".to_string(),
        [one] => with_article(one),
        [first, rest @ ..] => {
            let mut words: Vec<String> = std::iter::once(with_article(first))
                .chain(rest.iter().map(|k| format!("`{k}`")))
                .collect();
            let last = words.pop().unwrap_or_default();
            format!("{} or {last}", words.join(", "))
        }
    }
}
