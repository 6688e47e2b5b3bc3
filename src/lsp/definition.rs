//! Go to definition: a reference to the declaration it names (in this file,
//! an imported one or the stdlib catalogs), an import to the imported file.

use super::analysis::{Analysis, Node};
use crate::source::Span;

/// Where the cursor's name is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Definition {
    /// The name under the cursor.
    pub origin: Span,
    /// The whole declaration.
    pub target: Span,
    /// The part to select: the declaration's label.
    pub selection: Span,
}

/// The definition of what is at byte `offset` of the analysed document.
pub fn definition(a: &Analysis, offset: usize) -> Option<Definition> {
    let cursor = a.cursor(offset)?;
    match cursor.node {
        Node::Value(_, value) => {
            let decl = a.resolve(&cursor)?;
            let label = decl.block.label.as_ref()?;
            Some(Definition {
                origin: value.span,
                target: decl.block.span,
                selection: label.span,
            })
        }
        Node::Import(imp) => {
            let file = a.import_target(imp)?;
            let start = Span::new(file, 0, 0);
            Some(Definition {
                origin: imp.path.span,
                target: start,
                selection: start,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::analysis::Buffer;
    use std::path::Path;

    #[test]
    fn references_and_stdlib_imports_resolve() {
        let text = "import \"std/finserv\"\nsite \"s\" {\n  profile = finserv\n}\nkey \"k\" {}\ntable \"t\" {\n  key = k\n}\n";
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text: text.into(),
        };
        let a = Analysis::new(&buf, [], Path::new("/nonexistent-project"));
        let d = definition(&a, text.find("= k").unwrap() + 2).unwrap();
        assert_eq!(d.target.file, a.root);
        assert_eq!(a.db.snippet(d.selection), "\"k\"");
        let d = definition(&a, text.find("finserv\n").unwrap()).unwrap();
        assert_eq!(a.db.get(d.target.file).name, "std/finserv");
        assert_eq!(a.db.snippet(d.selection), "\"finserv\"");
        let d = definition(&a, text.find("std/").unwrap()).unwrap();
        assert_eq!(a.db.get(d.target.file).name, "std/finserv");
        assert!(definition(&a, text.find("profile").unwrap()).is_none());
    }
}
