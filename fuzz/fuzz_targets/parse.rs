//! For any UTF-8 text: parsing never panics, and when the text parses without
//! errors, the formatter's output parses to the same tree (spans aside) and
//! formats to itself.

#![no_main]

use drsc::source::{FileId, Span};
use drsc::syntax::ast::{File, Item, Value, ValueKind};
use drsc::syntax::{format::format, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (tree, diags) = parse(FileId(0), text);
    if diags.iter().any(|d| d.is_error()) {
        return;
    }
    let once = format(&tree, text);
    let (again, diags) = parse(FileId(0), &once);
    assert!(
        diags.is_empty(),
        "formatted text does not parse:\n{once}\n{:?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    assert_eq!(
        strip(&tree),
        strip(&again),
        "formatting changed the tree:\n--- input\n{text}\n--- output\n{once}"
    );
    assert_eq!(format(&again, &once), once, "formatting is not idempotent");
});

/// The tree with every span zeroed.
fn strip(f: &File) -> File {
    fn item(i: &mut Item) {
        match i {
            Item::Import(x) => {
                x.path.span = Span::default();
                x.span = Span::default();
            }
            Item::Allow(x) => {
                x.code.span = Span::default();
                x.reason.span = Span::default();
                x.span = Span::default();
            }
            Item::Block(b) => {
                b.kind.span = Span::default();
                if let Some(l) = &mut b.label {
                    l.span = Span::default();
                }
                b.body.iter_mut().for_each(item);
                b.open = Span::default();
                b.close = Span::default();
                b.span = Span::default();
            }
            Item::Attribute(a) => {
                a.key.span = Span::default();
                value(&mut a.value);
                a.span = Span::default();
            }
            Item::Error(e) => e.span = Span::default(),
        }
    }
    fn value(v: &mut Value) {
        v.span = Span::default();
        if let ValueKind::List(items) = &mut v.kind {
            items.iter_mut().for_each(value);
        }
    }
    let mut f = f.clone();
    f.items.iter_mut().for_each(item);
    for c in &mut f.comments {
        c.span = Span::default();
    }
    f
}
