//! The canonical formatter: one layout, no options.
//!
//! - Two-space indentation, one item per line, `kind "label" {}` for empty blocks.
//! - One blank line between top-level items; inside blocks, blank lines between
//!   items are kept (a run of them becomes one), none after `{` or before `}`.
//! - `=` is aligned within each run of consecutive attributes. A run ends at a
//!   blank line, a block or `allow`, or a `##` doc comment line (a documented
//!   attribute starts a new run); plain `#` comment lines do not end it.
//!   Trailing comments on consecutive one-line attributes of a run are aligned too.
//! - Lists are printed on one line, `[a, b]`, unless they contain a comment or
//!   the line would pass [`MAX_WIDTH`] columns; then one element per line.
//! - Every comment is kept: own-line comments stay above what follows them,
//!   trailing `#` comments stay at the end of their line. A trailing `##` doc
//!   comment moves to its own line (where it documents the same item as before).
//!   A comment written between the tokens of one item stays there, ending the line.
//! - Values are printed from the tree as written: `60m` stays `60m`, strings are
//!   re-escaped. Leading zeros (`007`, `14.09`) are dropped: the tree has no place for them.
//!
//! The formatter needs the source text only for comments and blank lines; it must
//! not be called on a file with syntax errors (what failed to parse would be lost).

use super::ast::*;
use std::fmt::Write as _;

/// Lists that would make a line longer than this (in characters) are broken.
pub const MAX_WIDTH: usize = 100;

const INDENT: &str = "  ";

/// Prints `file` (parsed from `text`) in canonical layout.
pub fn format(file: &File, text: &str) -> String {
    let mut comments: Vec<&Comment> = file.comments.iter().collect();
    comments.sort_by_key(|c| c.span.start);
    let mut p = Printer {
        text,
        printed: vec![false; comments.len()],
        comments,
    };
    let mut out = String::new();
    p.sequence(&mut out, &file.items, 0, None, text.len());
    // Nothing may be lost, even a comment in a place no gap covers.
    for (c, printed) in p.comments.iter().zip(&p.printed) {
        if !printed {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&c.text);
            out.push('\n');
        }
    }
    out
}

struct Printer<'a> {
    text: &'a str,
    /// Sorted by position.
    comments: Vec<&'a Comment>,
    printed: Vec<bool>,
}

/// One line-level element of a block body or of the file.
enum Elem<'a> {
    /// A comment on its own line; `blank` if a blank line precedes it.
    Comment { c: &'a Comment, blank: bool },
    Item {
        item: &'a Item,
        blank: bool,
        trailing: Option<&'a Comment>,
    },
}

impl<'a> Printer<'a> {
    /// The comments that start in `from..to`, marked as printed.
    fn take(&mut self, from: usize, to: usize) -> Vec<&'a Comment> {
        let range = self.range(from, to);
        for p in &mut self.printed[range.clone()] {
            *p = true;
        }
        self.comments[range].to_vec()
    }

    fn range(&self, from: usize, to: usize) -> std::ops::Range<usize> {
        let lo = self
            .comments
            .partition_point(|c| (c.span.start as usize) < from);
        let hi = self
            .comments
            .partition_point(|c| (c.span.start as usize) < to);
        lo..hi.max(lo)
    }

    fn any_in(&self, from: usize, to: usize) -> bool {
        !self.range(from, to).is_empty()
    }

    fn newlines(&self, from: usize, to: usize) -> usize {
        self.text
            .get(from..to.max(from))
            .map_or(0, |s| s.bytes().filter(|b| *b == b'\n').count())
    }

    /// Lays out the items of the file (`open` is `None`) or of a block body
    /// (`open` is the end of its `{`) up to `end`, each line indented `depth` levels.
    /// Returns the comment trailing the `{` line, if any.
    fn sequence(
        &mut self,
        out: &mut String,
        items: &'a [Item],
        depth: usize,
        open: Option<usize>,
        end: usize,
    ) -> Option<&'a Comment> {
        let top = open.is_none();
        let mut header_trailing = None;
        let mut elems: Vec<Elem<'a>> = Vec::new();
        // Where the previous element ended, and whether code (not a comment) ends there.
        let mut prev_end = open.unwrap_or(0);
        let mut prev_code = open.is_some();
        for next in items.iter().map(Some).chain(std::iter::once(None)) {
            let next_start = next.map_or(end, |i| i.span().start as usize);
            for c in self.take(prev_end, next_start) {
                let start = c.span.start as usize;
                let same_line = prev_code && self.newlines(prev_end, start) == 0;
                if same_line && !c.doc {
                    match elems.last_mut() {
                        Some(Elem::Item { trailing, .. }) => *trailing = Some(c),
                        _ => header_trailing = Some(c),
                    }
                } else {
                    // A trailing `##` moves to its own line, right below.
                    let blank = !same_line && self.newlines(prev_end, start) >= 2;
                    elems.push(Elem::Comment { c, blank });
                }
                prev_end = c.span.end as usize;
                prev_code = false;
            }
            if let Some(item) = next {
                elems.push(Elem::Item {
                    item,
                    blank: self.newlines(prev_end, next_start) >= 2,
                    trailing: None,
                });
                prev_end = item.span().end as usize;
                prev_code = true;
            }
        }
        self.print_elems(out, &elems, depth, top);
        header_trailing
    }

    fn print_elems(&mut self, out: &mut String, elems: &[Elem<'a>], depth: usize, top: bool) {
        let indent = INDENT.repeat(depth);
        // Which attribute run each element belongs to, and the key width of each run.
        let mut run_of = vec![usize::MAX; elems.len()];
        let mut widths: Vec<usize> = Vec::new();
        let mut in_run = false;
        for (i, e) in elems.iter().enumerate() {
            match e {
                Elem::Item {
                    item: Item::Attribute(a),
                    blank,
                    ..
                } => {
                    if !in_run || *blank {
                        widths.push(0);
                    }
                    in_run = !top;
                    let w = key_text(a).chars().count();
                    let last = widths.len() - 1;
                    widths[last] = widths[last].max(w);
                    run_of[i] = last;
                }
                Elem::Comment { c, blank } => in_run = in_run && !c.doc && !*blank,
                Elem::Item { .. } => in_run = false,
            }
        }

        // Render items first: trailing comments are aligned over the finished lines.
        let mut rendered: Vec<Option<String>> = Vec::with_capacity(elems.len());
        for (i, e) in elems.iter().enumerate() {
            rendered.push(match e {
                Elem::Item { item, .. } => {
                    let mut s = indent.clone();
                    let width = widths.get(run_of[i]).copied().unwrap_or(0);
                    self.item(&mut s, item, depth, width);
                    Some(s)
                }
                Elem::Comment { .. } => None,
            });
        }
        let comment_col = trailing_columns(elems, &rendered, &run_of);

        let mut prev_item = false;
        for (i, e) in elems.iter().enumerate() {
            let blank = match e {
                Elem::Comment { blank, .. } | Elem::Item { blank, .. } => *blank,
            };
            if i > 0 && (blank || (top && prev_item)) {
                out.push('\n');
            }
            match e {
                Elem::Comment { c, .. } => {
                    out.push_str(&indent);
                    out.push_str(&c.text);
                    prev_item = false;
                }
                Elem::Item { trailing, .. } => {
                    let s = rendered[i].as_deref().unwrap_or_default();
                    out.push_str(s);
                    if let Some(c) = trailing {
                        let width = last_line_width(s);
                        let col = comment_col[i].unwrap_or(width + 1).max(width + 1);
                        out.extend(std::iter::repeat_n(' ', col - width));
                        out.push_str(&c.text);
                    }
                    prev_item = true;
                }
            }
            out.push('\n');
        }
    }

    /// Appends `item` to `s` (which already holds the indentation). `key_width`
    /// is the width `=` is aligned to.
    fn item(&mut self, s: &mut String, item: &'a Item, depth: usize, key_width: usize) {
        let cont = INDENT.repeat(depth + 1);
        match item {
            Item::Import(i) => {
                s.push_str("import");
                self.gap(s, i.span.start as usize, i.path.span.start as usize, &cont);
                push_string(s, &i.path.text);
            }
            Item::Allow(a) => {
                s.push_str("allow");
                self.gap(s, a.span.start as usize, a.code.span.start as usize, &cont);
                s.push_str(&a.code.text);
                self.gap(
                    s,
                    a.code.span.end as usize,
                    a.reason.span.start as usize,
                    &cont,
                );
                push_string(s, &a.reason.text);
            }
            Item::Attribute(a) => {
                let key = key_text(a);
                s.push_str(&key);
                let (key_end, value_start) = (a.key.span.end as usize, a.value.span.start as usize);
                let eq = self.find_eq(key_end, value_start).unwrap_or(value_start);
                if self.any_in(key_end, eq) {
                    self.gap(s, key_end, eq, &cont);
                } else {
                    let pad = key_width.saturating_sub(key.chars().count());
                    s.extend(std::iter::repeat_n(' ', pad + 1));
                }
                s.push('=');
                self.gap(s, eq, value_start, &cont);
                self.value(s, &a.value, depth, 0);
            }
            Item::Block(b) => self.block(s, b, depth),
            // Never reached through `drsc fmt` (it refuses files with syntax
            // errors); printed as written so nothing is lost.
            Item::Error(e) => s.push_str(&self.text[e.span.range()]),
        }
    }

    fn block(&mut self, s: &mut String, b: &'a Block, depth: usize) {
        let cont = INDENT.repeat(depth + 1);
        s.push_str(&b.kind.text);
        let mut head_end = b.kind.span.end as usize;
        if let Some(l) = &b.label {
            self.gap(s, head_end, l.span.start as usize, &cont);
            push_string(s, &l.text);
            head_end = l.span.end as usize;
        }
        self.gap(s, head_end, b.braces.open as usize, &cont);
        s.push('{');
        let (open, close) = (b.open_span().end as usize, b.braces.close as usize);
        if b.body.is_empty() && !self.any_in(open, close) {
            s.push('}');
            return;
        }
        let mut body = String::new();
        let trailing = self.sequence(&mut body, &b.body, depth + 1, Some(open), close);
        if let Some(c) = trailing {
            s.push(' ');
            s.push_str(&c.text);
        }
        s.push('\n');
        s.push_str(&body);
        s.push_str(&INDENT.repeat(depth));
        s.push('}');
    }

    /// The gap between two tokens of one item: a space, or, if comments lie
    /// there, each ends its line and the next token starts a line indented `cont`.
    fn gap(&mut self, s: &mut String, from: usize, to: usize, cont: &str) {
        let comments = self.take(from, to);
        for c in &comments {
            s.push(' ');
            s.push_str(&c.text);
            s.push('\n');
            s.push_str(cont);
        }
        if comments.is_empty() {
            s.push(' ');
        }
    }

    /// The offset of the `=` between `from` and `to`, skipping comments.
    fn find_eq(&self, from: usize, to: usize) -> Option<usize> {
        let gap = self.text.get(from..to)?;
        let mut in_comment = false;
        for (i, ch) in gap.char_indices() {
            match ch {
                '\n' => in_comment = false,
                '#' => in_comment = true,
                '=' if !in_comment => return Some(from + i),
                _ => {}
            }
        }
        None
    }

    /// Appends a value; `depth` is the indentation level of the line it starts on,
    /// `after` the number of characters that will follow it on its last line.
    fn value(&mut self, s: &mut String, v: &'a Value, depth: usize, after: usize) {
        match &v.kind {
            ValueKind::List(items) => self.list(s, v, items, depth, after),
            _ => push_leaf(s, v, self.text),
        }
    }

    fn list(
        &mut self,
        s: &mut String,
        v: &'a Value,
        items: &'a [Value],
        depth: usize,
        after: usize,
    ) {
        let (start, end) = (v.span.start as usize, v.span.end as usize);
        if !self.any_in(start, end) {
            let mut flat = String::new();
            flat_value(&mut flat, v, self.text);
            if last_line_width(s) + flat.chars().count() + after <= MAX_WIDTH {
                s.push_str(&flat);
                return;
            }
        }
        let inner = INDENT.repeat(depth + 1);
        s.push('[');
        // Where the previous token ended, and whether it may carry a trailing comment.
        let mut prev_end = start + 1;
        // One rule: a list broken over lines ends every item with a comma, the
        // last too, so adding an item changes one line.
        for item in items {
            self.list_comments(s, &mut prev_end, item.span.start as usize, &inner);
            s.push('\n');
            s.push_str(&inner);
            self.value(s, item, depth + 1, 1);
            s.push(',');
            prev_end = item.span.end as usize;
        }
        self.list_comments(s, &mut prev_end, end.saturating_sub(1).max(start), &inner);
        s.push('\n');
        s.push_str(&INDENT.repeat(depth));
        s.push(']');
    }

    /// Comments inside a broken list before `next`: on the line of the previous
    /// token they trail it, otherwise each gets its own line.
    fn list_comments(&mut self, s: &mut String, prev_end: &mut usize, next: usize, inner: &str) {
        let mut code_before = true;
        for c in self.take(*prev_end, next) {
            let start = c.span.start as usize;
            if code_before && self.newlines(*prev_end, start) == 0 {
                s.push(' ');
            } else {
                s.push('\n');
                s.push_str(inner);
            }
            s.push_str(&c.text);
            *prev_end = c.span.end as usize;
            code_before = false;
        }
    }
}

/// For each element, the column its trailing comment starts at: consecutive
/// one-line attributes of one run that all have trailing comments share one column.
fn trailing_columns(
    elems: &[Elem<'_>],
    rendered: &[Option<String>],
    run_of: &[usize],
) -> Vec<Option<usize>> {
    let mut cols = vec![None; elems.len()];
    let aligned = |i: usize| -> Option<usize> {
        match (&elems[i], &rendered[i]) {
            (
                Elem::Item {
                    item: Item::Attribute(_),
                    trailing: Some(_),
                    ..
                },
                Some(s),
            ) if !s.contains('\n') => Some(s.chars().count()),
            _ => None,
        }
    };
    let mut i = 0;
    while i < elems.len() {
        let Some(first) = aligned(i) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        let mut width = first;
        while j < elems.len() && run_of[j] == run_of[i] && !matches!(elems[j], Elem::Comment { .. })
        {
            match aligned(j) {
                Some(w) => width = width.max(w),
                None => break,
            }
            j += 1;
        }
        for c in &mut cols[i..j] {
            *c = Some(width + 1);
        }
        i = j;
    }
    cols
}

fn last_line_width(s: &str) -> usize {
    s.rsplit('\n').next().unwrap_or("").chars().count()
}

fn key_text(a: &Attribute) -> String {
    if a.quoted_key {
        let mut s = String::new();
        push_string(&mut s, &a.key.text);
        s
    } else {
        a.key.text.to_string()
    }
}

/// A value on one line (lists included).
fn flat_value(s: &mut String, v: &Value, text: &str) {
    match &v.kind {
        ValueKind::List(items) => {
            s.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    s.push_str(", ");
                }
                flat_value(s, item, text);
            }
            s.push(']');
        }
        _ => push_leaf(s, v, text),
    }
}

fn push_leaf(s: &mut String, v: &Value, text: &str) {
    // Writing into a String cannot fail.
    let _ = match &v.kind {
        ValueKind::String(t) => {
            push_string(s, t);
            Ok(())
        }
        ValueKind::Integer(n) => write!(s, "{n}"),
        ValueKind::Bool(b) => write!(s, "{b}"),
        ValueKind::Duration(d) => write!(s, "{d}"),
        ValueKind::Size(z) => write!(s, "{z}"),
        ValueKind::Percent(p) => write!(s, "{p}"),
        ValueKind::Cidr(c) => write!(s, "{c}"),
        ValueKind::Version(v) => write!(s, "{v}"),
        ValueKind::Date(d) => write!(s, "{d}"),
        ValueKind::Region(r) | ValueKind::Ident(r) => {
            s.push_str(r);
            Ok(())
        }
        ValueKind::List(_) => {
            flat_value(s, v, text);
            Ok(())
        }
        // Only in files with errors: keep what the user wrote.
        ValueKind::Error => {
            s.push_str(text.get(v.span.range()).unwrap_or_default());
            Ok(())
        }
    };
}

/// A string literal: `"` and `\` escaped, newline and tab as `\n` and `\t`,
/// other control characters as `\u{XXXX}`; everything else as is.
pub fn push_string(s: &mut String, t: &str) {
    s.push('"');
    for ch in t.chars() {
        match ch {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(s, "\\u{{{:04X}}}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn fmt(src: &str) -> String {
        let (f, d) = super::super::parse(FileId(0), src);
        assert!(d.is_empty(), "{d:#?}");
        let once = format(&f, src);
        let (g, d) = super::super::parse(FileId(0), &once);
        assert!(d.is_empty(), "{once}\n{d:#?}");
        assert_eq!(format(&g, &once), once, "not idempotent");
        once
    }

    #[test]
    fn aligns_runs_and_separates_items() {
        assert_eq!(
            fmt("import   \"std/finserv\"\nsite \"a\" { rpo = 1h  long_name = 60m\n\n\n  x=[a,b] }\nkey \"k\" {  }"),
            "import \"std/finserv\"\n\nsite \"a\" {\n  rpo       = 1h\n  long_name = 60m\n\n  x = [a, b]\n}\n\nkey \"k\" {}\n"
        );
    }

    #[test]
    fn doc_comments_end_a_run_plain_comments_do_not() {
        let src = "p {\n  a = 1\n  ## doc\n  bbb = 2\n  # note\n  cc = 3\n}\n";
        assert_eq!(
            fmt(src),
            "p {\n  a = 1\n  ## doc\n  bbb = 2\n  # note\n  cc  = 3\n}\n"
        );
    }

    #[test]
    fn trailing_comments_are_aligned_and_doc_trailers_move() {
        let src = "r {\n  as_of = 2026-11-26 # pinned\n  warn = 180d # soon\n  x = 1 ## about y\n  y = 2\n}\n";
        assert_eq!(
            fmt(src),
            "r {\n  as_of = 2026-11-26 # pinned\n  warn  = 180d       # soon\n  x     = 1\n  ## about y\n  y = 2\n}\n"
        );
    }

    #[test]
    fn long_lists_and_lists_with_comments_break() {
        let long: Vec<String> = (0..30).map(|i| format!("item_{i}")).collect();
        let src = format!(
            "x {{\n  l = [{}]\n  m = [a, # first\n  b]\n}}\n",
            long.join(", ")
        );
        let out = fmt(&src);
        assert!(out.contains("  l = [\n    item_0,\n"), "{out}");
        assert!(
            out.contains("  m = [\n    a, # first\n    b,\n  ]\n"),
            "{out}"
        );
    }

    #[test]
    fn strings_are_re_escaped() {
        assert_eq!(
            fmt("a = \"q\\\"b\\\\ \\u{e9} \\u{1} \\t\"\n"),
            "a = \"q\\\"b\\\\ é \\u{0001} \\t\"\n"
        );
    }

    #[test]
    fn comments_between_tokens_stay_between_them() {
        let src = "b {\n  k # why\n  = 1\n  c = [ # open\n  ]\n}\n";
        assert_eq!(
            fmt(src),
            "b {\n  k # why\n    = 1\n  c = [ # open\n  ]\n}\n"
        );
    }
}
