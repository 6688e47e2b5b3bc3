//! `allow CODE "reason"` items: each silences its code inside the block it
//! stands in (or the whole file, at the top level).

use super::attrs::Builder;
use super::types::Suppression;
use crate::source::Span;
use crate::syntax::ast::Item;

impl Builder<'_> {
    /// Every `allow` of every file, with its scope.
    pub fn suppressions(&self) -> Vec<Suppression> {
        let mut out = Vec::new();
        for file in &self.program.files {
            let whole = Span::new(file.id, 0, self.db.text(file.id).len());
            collect(&file.ast.items, whole, &mut out);
        }
        out
    }
}

fn collect(items: &[Item], scope: Span, out: &mut Vec<Suppression>) {
    for item in items {
        match item {
            Item::Allow(a) => out.push(Suppression {
                code: a.code.text.to_string(),
                reason: a.reason.text.to_string(),
                span: a.span,
                scope,
            }),
            Item::Block(b) => collect(&b.body, b.span, out),
            Item::Import(_) | Item::Attribute(_) | Item::Error(_) => {}
        }
    }
}
