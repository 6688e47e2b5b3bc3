//! Document symbols: the outline of a file (imports, blocks, nested blocks and
//! attributes).

use super::analysis::Analysis;
use crate::model::StoreKind;
use crate::source::{SourceDb, Span};
use crate::syntax::ast::Item;
use lsp_types::SymbolKind;

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole item.
    pub span: Span,
    /// The name to select (a label, a kind, a key).
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// The outline of the analysed document (what parsed of it).
pub fn symbols(a: &Analysis) -> Vec<Symbol> {
    a.ast()
        .map(|ast| items(&a.db, &ast.items))
        .unwrap_or_default()
}

fn items(db: &SourceDb, list: &[Item]) -> Vec<Symbol> {
    list.iter()
        .filter_map(|item| match item {
            Item::Import(i) => Some(Symbol {
                name: i.path.text.to_string(),
                detail: Some("import".into()),
                kind: SymbolKind::MODULE,
                span: i.span,
                selection: i.path.span,
                children: Vec::new(),
            }),
            Item::Block(b) => Some(Symbol {
                name: b
                    .label
                    .as_ref()
                    .map_or_else(|| b.kind.text.to_string(), |l| l.text.to_string()),
                detail: Some(b.kind.text.to_string()),
                kind: block_kind(&b.kind.text),
                span: b.span,
                selection: b.label.as_ref().map_or(b.kind.span, |l| l.span),
                children: items(db, &b.body),
            }),
            Item::Attribute(a) => Some(Symbol {
                name: a.key.text.to_string(),
                detail: Some(value_text(db.snippet(a.value.span))),
                kind: SymbolKind::PROPERTY,
                span: a.span,
                selection: a.key.span,
                children: Vec::new(),
            }),
            Item::Allow(_) | Item::Error(_) => None,
        })
        .collect()
}

fn block_kind(kind: &str) -> SymbolKind {
    if StoreKind::of_block(kind).is_some() {
        return SymbolKind::STRUCT;
    }
    match kind {
        "site" => SymbolKind::NAMESPACE,
        "key" => SymbolKind::KEY,
        "function" => SymbolKind::FUNCTION,
        "profile" => SymbolKind::INTERFACE,
        "defaults" => SymbolKind::CONSTANT,
        "region" | "engine" | "runtime" | "timing" | "wildcard_action" => SymbolKind::ENUM_MEMBER,
        _ => SymbolKind::OBJECT,
    }
}

/// A value's text on one line, shortened for the outline.
fn value_text(s: &str) -> String {
    let line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::analysis::Buffer;
    use std::path::Path;

    #[test]
    fn outline_nests_blocks_and_attributes() {
        let text = "import \"std/finserv\"\naurora \"ledger\" {\n  instances = 2\n  serverless {\n    min_capacity = 1\n  }\n}\n";
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text: text.into(),
        };
        let a = Analysis::new(&buf, [], Path::new("/nonexistent-project"));
        let s = symbols(&a);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].name.as_str(), s[0].kind),
            ("std/finserv", SymbolKind::MODULE)
        );
        assert_eq!(s[1].name, "ledger");
        assert_eq!(s[1].detail.as_deref(), Some("aurora"));
        let kids: Vec<&str> = s[1].children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(kids, ["instances", "serverless"]);
        assert_eq!(s[1].children[0].detail.as_deref(), Some("2"));
        assert_eq!(s[1].children[1].children[0].name, "min_capacity");
    }
}
