//! Formatting: the canonical formatter of `drsc fmt`, over the editor's text.

use super::analysis::Analysis;
use crate::syntax::{codes, format};

/// The canonical text of the analysed document; `None` when it is already
/// canonical, or when it has syntax errors (the formatter would drop what did
/// not parse, so it is not run).
pub fn format(a: &Analysis) -> Option<String> {
    let lossy = [
        &codes::SYNTAX,
        &codes::UNTERMINATED_STRING,
        &codes::UNCLOSED_BLOCK,
        &codes::MISMATCHED_BRACKET,
        &codes::NESTING_TOO_DEEP,
        &codes::INVALID_ESCAPE,
    ];
    let broken = a
        .outcome
        .diagnostics
        .iter()
        .any(|d| d.span().is_some_and(|s| s.file == a.root) && lossy.contains(&d.code));
    if broken {
        return None;
    }
    let formatted = format::format(a.ast()?, a.text());
    (formatted != a.text()).then_some(formatted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::analysis::Buffer;
    use std::path::Path;

    fn fmt(text: &str) -> Option<String> {
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text: text.into(),
        };
        format(&Analysis::new(&buf, [], Path::new("/nonexistent-project")))
    }

    #[test]
    fn formats_and_leaves_canonical_text_alone() {
        let out = fmt("key \"k\" {\nrotation=true # é🦀\n}\n").unwrap();
        assert_eq!(out, "key \"k\" {\n  rotation = true # é🦀\n}\n");
        assert_eq!(fmt(&out), None);
    }

    #[test]
    fn refuses_text_with_syntax_errors() {
        assert_eq!(fmt("key \"k\" {\n  rotation true\n}\n"), None);
        assert_eq!(fmt("key \"k\" {\n  rotation = true\n"), None);
    }
}
