//! The pre-scan: one linear pass over the text, before pest runs. It finds
//! comments (for the formatter and doc comments), unterminated strings,
//! unbalanced brackets and excessive nesting, and splits the file into
//! top-level items so each is parsed on its own and errors stay independent.

use super::codes;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::ast::Comment;

/// Deeper nesting than this is rejected before pest (which recurses) runs.
pub const MAX_DEPTH: usize = 64;

/// One top-level item's text range, and what the scanner already knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    /// Closing brackets the text lacks (a missing `}`); the parser appends them.
    pub missing_closers: Vec<char>,
    /// The chunk must not reach pest whole (too deep, an unterminated string, a
    /// mismatched bracket): the parser recovers what it can of it.
    pub poisoned: bool,
    /// Nested too deep for pest (which recurses): the parser does not try it at all.
    pub too_deep: bool,
    /// Same-length byte replacements that repair the text before pest runs
    /// (a line break that stands where a `{` is missing).
    pub repairs: Vec<(usize, u8)>,
}

/// Result of the pre-scan.
#[derive(Debug, Default)]
pub struct Scan {
    pub chunks: Vec<Chunk>,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

struct Open {
    ch: u8,
    at: usize,
}

/// Scans `text` (of file `file`).
pub fn scan(file: FileId, text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut out = Scan::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut chunk: Option<Chunk> = None;
    let mut too_deep_reported = false;
    let mut i = 0;
    let span = |s: usize, e: usize| Span::new(file, s, e);

    // A UTF-8 byte-order mark is not content.
    if text.starts_with('\u{feff}') {
        i = '\u{feff}'.len_utf8();
    }
    while i < bytes.len() {
        let b = bytes[i];
        // A line that starts at column 0 with what looks like a new item, while
        // a block is still open, means a `}` is missing above it.
        if !stack.is_empty() && (i == 0 || bytes[i - 1] == b'\n') && starts_item(&bytes[i..]) {
            if let Some(mut c) = chunk.take() {
                let end = trim_comment_lines(text, c.start, trim_end(bytes, c.start, i));
                report_unclosed(&mut out, file, text, &stack, end);
                c.missing_closers = stack.iter().rev().map(|o| closer(o.ch)).collect();
                c.end = end;
                out.chunks.push(c);
            }
            stack.clear();
        }
        match b {
            b'#' => {
                let end = memchr_newline(bytes, i);
                let doc = bytes.get(i + 1) == Some(&b'#');
                out.comments.push(Comment {
                    text: text[i..end].trim_end().to_string(),
                    span: span(i, end),
                    doc,
                });
                i = end;
                continue;
            }
            b' ' | b'\t' | b'\r' => {}
            b'\n' => {
                if stack.is_empty() && chunk.is_some() && !continues_on_next_line(bytes, i) {
                    let header = chunk
                        .as_ref()
                        .and_then(|c| block_header_without_brace(text, c.start, i));
                    if let (Some(head_end), true) = (header, next_line_is_indented(bytes, i)) {
                        // `key "data"` and an indented body: the `{` is missing.
                        // Treat this line break as the `{` and go on.
                        let title = text[chunk.as_ref().map_or(i, |c| c.start)..head_end]
                            .trim()
                            .to_string();
                        out.diagnostics.push(
                            Diagnostic::new(
                                &codes::SYNTAX,
                                format!("expected `{{` after `{title}`"),
                            )
                            .at(span(head_end, head_end), "the block's `{` is missing here")
                            .help(format!("write `{title} {{` and close the block with `}}`")),
                        );
                        if let Some(c) = chunk.as_mut() {
                            c.repairs.push((i, b'{'));
                        }
                        stack.push(Open { ch: b'{', at: i });
                        i += 1;
                        continue;
                    }
                    if let Some(mut c) = chunk.take() {
                        c.end = trim_end(bytes, c.start, i);
                        out.chunks.push(c);
                    }
                }
            }
            _ => {
                let c = chunk.get_or_insert(Chunk {
                    start: i,
                    end: i,
                    missing_closers: Vec::new(),
                    poisoned: false,
                    too_deep: false,
                    repairs: Vec::new(),
                });
                match b {
                    b'"' => {
                        let (end, closed) = string_end(bytes, i);
                        if !closed {
                            out.diagnostics.push(
                                Diagnostic::new(&codes::UNTERMINATED_STRING, "unterminated string")
                                    .at(span(i, end), "this string has no closing `\"`")
                                    .help("add a `\"` before the end of the line; strings cannot span lines (use `\\n`)"),
                            );
                            c.poisoned = true;
                        }
                        i = end;
                        continue;
                    }
                    b'{' | b'[' => {
                        stack.push(Open { ch: b, at: i });
                        if stack.len() > MAX_DEPTH {
                            c.poisoned = true;
                            c.too_deep = true;
                            if !too_deep_reported {
                                too_deep_reported = true;
                                out.diagnostics.push(
                                    Diagnostic::new(
                                        &codes::NESTING_TOO_DEEP,
                                        format!("nesting deeper than {MAX_DEPTH} levels"),
                                    )
                                    .at(span(i, i + 1), format!("level {} starts here", stack.len()))
                                    .help("a site needs only a few levels of blocks; flatten the structure"),
                                );
                            }
                        }
                    }
                    b'}' | b']' => match stack.last() {
                        Some(o) if closer(o.ch) == b as char => {
                            stack.pop();
                        }
                        Some(o) => {
                            let o_at = o.at;
                            let expected = closer(o.ch);
                            out.diagnostics.push(
                                Diagnostic::new(
                                    &codes::MISMATCHED_BRACKET,
                                    format!("expected `{expected}`, found `{}`", b as char),
                                )
                                .at(span(i, i + 1), format!("expected `{expected}` here"))
                                .also(span(o_at, o_at + 1), "to close this")
                                .help(format!("add `{expected}` before this `{}`", b as char)),
                            );
                            c.poisoned = true;
                            stack.pop();
                            // `covers = [a` then `}` on its own line: the `}` still
                            // closes the block (a `}` inside the line is a typo for `]`).
                            let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
                            let own_line = text[line_start..i].trim().is_empty();
                            if own_line && stack.last().is_some_and(|o| closer(o.ch) == b as char) {
                                stack.pop();
                            }
                        }
                        None => {
                            out.diagnostics.push(
                                Diagnostic::new(
                                    &codes::MISMATCHED_BRACKET,
                                    format!("unexpected `{}`", b as char),
                                )
                                .at(span(i, i + 1), "nothing is open here to close")
                                .help("remove it, or look for a missing opening bracket above"),
                            );
                            c.poisoned = true;
                        }
                    },
                    _ => {}
                }
            }
        }
        i += 1;
    }
    if let Some(mut c) = chunk.take() {
        let end = trim_end(bytes, c.start, bytes.len());
        if !stack.is_empty() && !too_deep_reported {
            let end = trim_comment_lines(text, c.start, end);
            report_unclosed(&mut out, file, text, &stack, end);
            c.missing_closers = stack.iter().rev().map(|o| closer(o.ch)).collect();
        }
        c.end = end;
        out.chunks.push(c);
    }
    out
}

/// Where an item that does not parse, starting at byte `from` of `text` (comments
/// blanked), ends: at the end of its line, or past the brackets it opens on it;
/// before a closing bracket that closes the enclosing block. Trailing blanks are
/// not part of it.
pub fn item_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i).0;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => break,
            b'}' | b']' => depth -= 1,
            b'\n' if depth == 0 => break,
            _ => {}
        }
        i += 1;
    }
    trim_end(bytes, from, i.min(bytes.len()))
}

fn closer(open: u8) -> char {
    if open == b'{' {
        '}'
    } else {
        ']'
    }
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// End of the string starting at `start` (after the closing quote) and whether it closed.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return (i + 1, true),
            b'\n' => return (i, false),
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

/// Whether the next meaningful character after a newline is `{` or `=`, which
/// continue the item (`site "x"` on one line and `{` on the next).
fn continues_on_next_line(bytes: &[u8], newline: usize) -> bool {
    let mut i = newline + 1;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => i = memchr_newline(bytes, i),
            b'{' | b'=' => return true,
            _ => return false,
        }
    }
    false
}

/// Whether a line (starting at column 0) looks like the start of a top-level item:
/// `import "`, or `word "label" {`, or `word {`.
fn starts_item(line: &[u8]) -> bool {
    let word_len = line
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    if word_len == 0 || !line[0].is_ascii_alphabetic() {
        return false;
    }
    let word = std::str::from_utf8(&line[..word_len]).unwrap_or("");
    let rest = skip_spaces(&line[word_len..]);
    if word == "import" && rest.first() == Some(&b'"') {
        return true;
    }
    if !crate::schema::is_top_level_kind(word) {
        return false;
    }
    match rest.first() {
        Some(b'{') => true,
        Some(b'"') => {
            let (end, closed) = string_end(rest, 0);
            closed && skip_spaces(&rest[end..]).first() == Some(&b'{')
        }
        _ => false,
    }
}

/// If `text[start..end]` is a block header without its brace (`kind` or
/// `kind "label"`, maybe with a trailing comment), the end of the header.
fn block_header_without_brace(text: &str, start: usize, end: usize) -> Option<usize> {
    let line = &text[start..end];
    let code = line.find('#').map_or(line, |h| &line[..h]).trim_end();
    let bytes = code.as_bytes();
    let word = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    if word == 0
        || !bytes[0].is_ascii_alphabetic()
        || !crate::schema::is_top_level_kind(&code[..word])
    {
        return None;
    }
    let rest = skip_spaces(&bytes[word..]);
    let ok = match rest.first() {
        None => true,
        Some(b'"') => {
            let (e, closed) = string_end(rest, 0);
            closed && skip_spaces(&rest[e..]).is_empty()
        }
        _ => false,
    };
    ok.then_some(start + code.len())
}

/// Whether the line after the newline at `newline` starts with indentation and content.
fn next_line_is_indented(bytes: &[u8], newline: usize) -> bool {
    let rest = &bytes[newline + 1..];
    let indent = rest
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    indent > 0
        && rest
            .get(indent)
            .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'#')
}

/// Moves `end` back over whole lines that hold only a comment.
fn trim_comment_lines(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        let line_start = text[start..end]
            .rfind('\n')
            .map_or(start, |p| start + p + 1);
        if line_start == start || !text[line_start..end].trim_start().starts_with('#') {
            return end;
        }
        end = trim_end(text.as_bytes(), start, line_start);
    }
}

fn skip_spaces(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    &s[n..]
}

/// The `kind "label"` text written before an opening brace, for messages.
fn block_title(text: &str, brace: usize) -> String {
    let line_start = text[..brace].rfind('\n').map_or(0, |p| p + 1);
    let head = text[line_start..brace].trim();
    if head.is_empty() {
        "block".to_string()
    } else {
        format!("`{head}`")
    }
}

fn report_unclosed(out: &mut Scan, file: FileId, text: &str, stack: &[Open], end: usize) {
    // Report the outermost block: that is the item the recovery closes.
    let Some(outer) = stack.first() else { return };
    let what = if outer.ch == b'{' {
        format!("block {}", block_title(text, outer.at))
    } else {
        "list".to_string()
    };
    let close = closer(outer.ch);
    let mut d = Diagnostic::new(
        &codes::UNCLOSED_BLOCK,
        format!("expected `{close}` to close {what}"),
    )
    .at(
        Span::new(file, end, end),
        format!("expected `{close}` here"),
    )
    .also(
        Span::new(file, outer.at, outer.at + 1),
        format!("{what} opened here"),
    );
    if stack.len() > 1 {
        d = d.note(format!(
            "{} brackets are still open at this point",
            stack.len()
        ));
    }
    out.diagnostics
        .push(d.help(format!("add `{close}` after the last line of the {what}")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(src: &str) -> Vec<&str> {
        scan(FileId(0), src)
            .chunks
            .iter()
            .map(|c| &src[c.start..c.end])
            .collect()
    }

    #[test]
    fn splits_top_level_items() {
        let src = "import \"std/finserv\"\n\nsite \"a\" {\n  rpo = 1h\n}\nkey \"k\"\n{\n}\n";
        assert_eq!(
            chunks(src),
            vec![
                "import \"std/finserv\"",
                "site \"a\" {\n  rpo = 1h\n}",
                "key \"k\"\n{\n}"
            ]
        );
    }

    #[test]
    fn missing_brace_is_recovered_at_the_next_item() {
        let src = "aurora \"ledger\" {\n  key = data\n\nkey \"k\" {\n}\n";
        let s = scan(FileId(0), src);
        assert_eq!(s.chunks.len(), 2);
        assert_eq!(s.chunks[0].missing_closers, vec!['}']);
        assert_eq!(s.diagnostics.len(), 1);
        assert!(s.diagnostics[0].message.contains("`aurora \"ledger\"`"));
    }

    #[test]
    fn deep_nesting_is_rejected_without_recursion() {
        let src = "a {".repeat(100_000);
        let s = scan(FileId(0), &src);
        assert!(s.chunks[0].poisoned);
        assert!(s
            .diagnostics
            .iter()
            .any(|d| d.code == &codes::NESTING_TOO_DEEP));
    }

    #[test]
    fn comments_inside_strings_are_not_comments() {
        let s = scan(FileId(0), "x = \"a # b\" # real\n");
        assert_eq!(s.comments.len(), 1);
        assert_eq!(s.comments[0].text, "# real");
    }
}
