//! Completion. The text around the cursor is usually broken while the user
//! types (the item being written does not parse), so the context comes from a
//! small lexical scan of the text: the enclosing blocks, and whether the
//! cursor is where an item starts, after `key =`, inside a list, after a
//! number or in a string. Candidates come from the schema table, the
//! declarations of the analysed program and the stdlib catalogs.

use super::analysis::{key_type, ref_kinds, schema_of, Analysis, Target};
use crate::registry;
use crate::schema::{self, BlockSchema, LabelRule, Type};
use crate::source::Span;
use crate::stdlib;
use crate::units::{DURATION_UNITS, SIZE_UNITS};
use lsp_types::CompletionItemKind as Kind;

/// One candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: Kind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The text that replaces [`Completion::replace`].
    pub insert: String,
    /// The same with snippet placeholders, for clients that support them.
    pub snippet: Option<String>,
    /// The range the candidate replaces: what was typed of it so far.
    pub replace: Span,
    /// Orders candidates: lower groups first.
    pub sort: String,
}

/// Candidates at byte `offset` of the analysed document.
pub fn complete(a: &Analysis, offset: usize) -> Vec<Completion> {
    let text = a.text();
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let cx = context(text, offset);
    let span = |start: usize| Span::new(a.root, start, offset);
    let mut out = Vec::new();
    match &cx.position {
        Position::None => {}
        Position::Item { prefix } => {
            // One-per-site blocks the program already declares are not offered again.
            let decls = a.decls();
            let declared = |kind: &str| decls.of_kind(kind).next().is_some();
            item_candidates(
                &cx,
                span(*prefix),
                rest_has_eq(text, offset),
                &declared,
                &mut out,
            )
        }
        Position::Value { key, prefix } => {
            let ty = cx.type_of(key);
            let typed = &text[*prefix..offset];
            if typed.starts_with(|c: char| c.is_ascii_digit()) {
                let tail = typed.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                units(ty, span(offset - tail.len()), &mut out);
            } else {
                values(a, key, ty, span(*prefix), &mut out);
            }
        }
        Position::AllowCode { prefix } => codes(span(*prefix), &mut out),
        Position::ImportPath { prefix, quoted } => {
            for (name, _) in stdlib::MODULES {
                let insert = if *quoted {
                    name.to_string()
                } else {
                    format!("\"{name}\"")
                };
                out.push(item(name, Kind::MODULE, span(*prefix), insert, "0"));
            }
        }
        Position::DefaultsLabel { prefix } => {
            for s in schema::BLOCKS
                .iter()
                .filter(|s| !s.stdlib && s.kind != "defaults")
            {
                let mut c = item(s.kind, Kind::CLASS, span(*prefix), s.kind.into(), "0");
                c.documentation = Some(s.doc.into());
                out.push(c);
            }
        }
        Position::StringValue { key, prefix } if key == "runtime" => {
            for t in catalog(a, "runtime") {
                out.push(item(
                    t.name(),
                    Kind::VALUE,
                    span(*prefix),
                    t.name().into(),
                    "0",
                ));
            }
        }
        Position::StringValue { .. } => {}
    }
    out
}

fn item(label: &str, kind: Kind, replace: Span, insert: String, sort: &str) -> Completion {
    Completion {
        label: label.to_string(),
        kind,
        detail: None,
        documentation: None,
        insert,
        snippet: None,
        replace,
        sort: format!("{sort}{label}"),
    }
}

/// Attribute names and block kinds valid where an item starts.
fn item_candidates(
    cx: &Context,
    replace: Span,
    has_eq: bool,
    declared: &dyn Fn(&str) -> bool,
    out: &mut Vec<Completion>,
) {
    let frame = cx.frames.last();
    let target = frame.and_then(|f| schema_of(&f.kind, f.label.as_deref()));
    if frame.is_some() && target.is_none() {
        return; // inside an unknown block: nothing is known to be valid
    }
    if let Some(s) = target {
        for at in s.attrs {
            if frame.is_some_and(|f| f.keys.iter().any(|k| k == at.name)) {
                continue;
            }
            let insert = if has_eq {
                at.name.to_string()
            } else {
                format!("{} = ", at.name)
            };
            let mut c = item(
                at.name,
                Kind::PROPERTY,
                replace,
                insert,
                if at.required { "0" } else { "1" },
            );
            c.detail = Some(format!(
                "{}{}",
                at.ty.describe(),
                if at.required { " (required)" } else { "" }
            ));
            c.documentation = Some(at.doc.to_string());
            out.push(c);
        }
    }
    if has_eq {
        return;
    }
    for child in schema::children_of(target.map(|s| s.kind)) {
        if child.is_top_level() && child.singleton && declared(child.kind) {
            continue;
        }
        out.push(block_candidate(child, replace));
    }
    if frame.is_none() {
        let mut c = item("import", Kind::KEYWORD, replace, "import ".into(), "3");
        c.snippet = Some("import \"${1:std/finserv}\"".into());
        c.detail = Some("import a file or a stdlib module".into());
        out.push(c);
    }
    let mut c = item("allow", Kind::KEYWORD, replace, "allow ".into(), "3");
    c.snippet = Some("allow ${1:DRS0000} \"${2:reason}\"".into());
    c.detail = Some("silence one code inside this block, with a reason".into());
    out.push(c);
}

fn block_candidate(s: &'static BlockSchema, replace: Span) -> Completion {
    let snippet = match s.label {
        LabelRule::None => format!("{} {{\n\t$0\n}}", s.kind),
        LabelRule::Name => format!("{} \"${{1:name}}\" {{\n\t$0\n}}", s.kind),
        LabelRule::Text => format!("{} \"${{1}}\" {{\n\t$0\n}}", s.kind),
    };
    let mut c = item(
        s.kind,
        Kind::CLASS,
        replace,
        format!("{} ", s.kind),
        if s.stdlib { "4" } else { "2" },
    );
    c.snippet = Some(snippet);
    c.detail = Some("block".into());
    c.documentation = Some(s.doc.to_string());
    c
}

/// Values of the attribute's type: declared names, regions, enum words, booleans, codes.
fn values(a: &Analysis, key: &str, ty: Option<Type>, replace: Span, out: &mut Vec<Completion>) {
    let Some(ty) = ty else { return };
    let elem = match ty {
        Type::List(inner) => *inner,
        t => t,
    };
    if let Some(kinds) = ref_kinds(&elem) {
        let decls = a.decls();
        for d in kinds.iter().flat_map(|k| decls.of_kind(k)) {
            if d.name.is_empty() {
                continue;
            }
            let sort = if d.file == a.root { "0" } else { "1" };
            let mut c = item(d.name, Kind::REFERENCE, replace, d.name.into(), sort);
            c.detail = Some(d.block.title());
            c.documentation = d.block.doc.clone();
            out.push(c);
        }
        return;
    }
    match elem {
        Type::Region => {
            for t in catalog(a, "region") {
                let mut c = item(t.name(), Kind::ENUM_MEMBER, replace, t.name().into(), "0");
                c.detail = region_display_name(a, t.block);
                out.push(c);
            }
        }
        Type::Enum(words) => {
            for w in words {
                out.push(item(w, Kind::ENUM_MEMBER, replace, w.to_string(), "0"));
            }
        }
        Type::Bool => {
            for w in ["true", "false"] {
                out.push(item(w, Kind::VALUE, replace, w.into(), "0"));
            }
        }
        Type::Code => codes(replace, out),
        Type::String if key == "runtime" => {
            for t in catalog(a, "runtime") {
                let insert = format!("\"{}\"", t.name());
                out.push(item(t.name(), Kind::VALUE, replace, insert, "0"));
            }
        }
        _ => {}
    }
}

/// The entries of a catalog, each name once (a later entry replaces an earlier one).
fn catalog<'a>(a: &'a Analysis, kind: &'static str) -> Vec<Target<'a>> {
    let mut out: Vec<Target<'a>> = Vec::new();
    for t in a.catalog(kind) {
        match out.iter_mut().find(|o| o.name() == t.name()) {
            Some(slot) => *slot = t,
            None => out.push(t),
        }
    }
    out
}

fn region_display_name(a: &Analysis, b: &crate::syntax::ast::Block) -> Option<String> {
    let attr = b.attr("display_name")?;
    Some(a.db.snippet(attr.value.span).trim_matches('"').to_string())
}

fn codes(replace: Span, out: &mut Vec<Completion>) {
    for info in registry::all() {
        let mut c = item(info.code, Kind::VALUE, replace, info.code.into(), "0");
        c.detail = Some(format!("{}: {}", info.name, info.summary));
        out.push(c);
    }
}

/// Unit suffixes after a number, for the attribute's type (all units when unknown).
fn units(ty: Option<Type>, replace: Span, out: &mut Vec<Completion>) {
    let elem = match ty {
        Some(Type::List(inner)) => Some(*inner),
        t => t,
    };
    let (durations, sizes, percent) = match elem {
        Some(Type::Duration { .. }) => (true, false, false),
        Some(Type::Size) => (false, true, false),
        Some(Type::Percent) => (false, false, true),
        None => (true, true, true),
        Some(_) => return,
    };
    let words = [
        ("s", "seconds"),
        ("m", "minutes"),
        ("h", "hours"),
        ("d", "days (exactly 24 hours)"),
        ("w", "weeks"),
        ("y", "years (exactly 365 days)"),
    ];
    if durations {
        for (i, (suffix, _, secs)) in DURATION_UNITS.iter().enumerate() {
            let mut c = item(
                suffix,
                Kind::UNIT,
                replace,
                suffix.to_string(),
                &format!("0{i}"),
            );
            let word = words.iter().find(|w| w.0 == *suffix).map_or("", |w| w.1);
            c.detail = Some(format!("{word}: {secs} s"));
            out.push(c);
        }
    }
    if sizes {
        for (i, (suffix, _, bytes)) in SIZE_UNITS.iter().enumerate() {
            let mut c = item(
                suffix,
                Kind::UNIT,
                replace,
                suffix.to_string(),
                &format!("1{i}"),
            );
            c.detail = Some(format!("{bytes} bytes"));
            out.push(c);
        }
    }
    if percent {
        out.push(item("%", Kind::UNIT, replace, "%".into(), "2"));
    }
}

/// Whether the rest of the line after the word at `offset` is `= ...`.
fn rest_has_eq(text: &str, offset: usize) -> bool {
    let rest = &text[offset..];
    let rest = rest.trim_start_matches(is_word_char);
    rest.trim_start_matches([' ', '\t']).starts_with('=')
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

// ---- The lexical context -------------------------------------------------

/// Where the cursor is, with the byte offset where the typed prefix starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    None,
    /// Where an attribute or a block starts.
    Item {
        prefix: usize,
    },
    /// After `key =` or inside its list.
    Value {
        key: String,
        prefix: usize,
    },
    /// Inside the string after `key =`.
    StringValue {
        key: String,
        prefix: usize,
    },
    AllowCode {
        prefix: usize,
    },
    ImportPath {
        prefix: usize,
        quoted: bool,
    },
    DefaultsLabel {
        prefix: usize,
    },
}

/// A block open around the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Frame {
    kind: String,
    label: Option<String>,
    /// Attribute keys already set in the block (before and after the cursor).
    keys: Vec<String>,
}

#[derive(Debug)]
struct Context {
    frames: Vec<Frame>,
    position: Position,
}

impl Context {
    fn type_of(&self, key: &str) -> Option<Type> {
        let f = self.frames.last()?;
        key_type(schema_of(&f.kind, f.label.as_deref())?, key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Word,
    Str { closed: bool },
    Comment,
    Punct(u8),
    Newline,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || "_-./%:".contains(c) || !c.is_ascii()
}

/// Tokens of the text from `pos`: (kind, start, end).
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for Lexer<'_> {
    type Item = (Tok, usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.bytes;
        while self.pos < b.len() && matches!(b[self.pos], b' ' | b'\t' | b'\r') {
            self.pos += 1;
        }
        let start = self.pos;
        let c = *b.get(start)?;
        let (tok, end) = match c {
            b'\n' => (Tok::Newline, start + 1),
            b'#' => (Tok::Comment, until(b, start, |c| c == b'\n')),
            b'"' => {
                let mut i = start + 1;
                let mut closed = false;
                while i < b.len() && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'"' {
                        closed = true;
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                (Tok::Str { closed }, i.min(b.len()))
            }
            c if c >= 0x80 || is_word_char(c as char) => (
                Tok::Word,
                until(b, start, |c| c < 0x80 && !is_word_char(c as char)),
            ),
            c => (Tok::Punct(c), start + 1),
        };
        self.pos = end;
        Some((tok, start, end))
    }
}

fn until(b: &[u8], start: usize, stop: impl Fn(u8) -> bool) -> usize {
    b[start..]
        .iter()
        .position(|&c| stop(c))
        .map_or(b.len(), |n| start + n)
}

/// The statement being read: its tokens with their text.
type Stmt<'a> = Vec<(Tok, &'a str)>;

fn context(text: &str, offset: usize) -> Context {
    let mut frames: Vec<Frame> = Vec::new();
    let mut stmt: Stmt<'_> = Vec::new();
    let mut list_depth = 0usize;
    let mut position = None;
    let mut resume = offset;
    for (tok, s, e) in (Lexer {
        bytes: text.as_bytes(),
        pos: 0,
    }) {
        if s >= offset {
            break;
        }
        if e >= offset {
            match tok {
                Tok::Word => {
                    position = Some(classify(&stmt, list_depth, s));
                    resume = e;
                    break;
                }
                Tok::Str { closed } if offset < e || !closed => {
                    position = Some(in_string(&stmt, s + 1));
                    resume = e;
                    break;
                }
                Tok::Comment => {
                    return Context {
                        frames,
                        position: Position::None,
                    }
                }
                _ => {}
            }
        }
        match tok {
            Tok::Newline if list_depth == 0 => end_stmt(&mut frames, &mut stmt),
            Tok::Newline | Tok::Comment => {}
            Tok::Punct(b'{') => {
                let kind = stmt.iter().find(|t| t.0 == Tok::Word).map(|t| t.1);
                let label = stmt.iter().find(|t| matches!(t.0, Tok::Str { .. }));
                frames.push(Frame {
                    kind: kind.unwrap_or_default().to_string(),
                    label: label.map(|t| unquote(t.1).to_string()),
                    keys: Vec::new(),
                });
                stmt.clear();
                list_depth = 0;
            }
            Tok::Punct(b'}') => {
                end_stmt(&mut frames, &mut stmt);
                frames.pop();
                list_depth = 0;
            }
            Tok::Punct(b'[') => {
                list_depth += 1;
                stmt.push((tok, &text[s..e]));
            }
            Tok::Punct(b']') => {
                list_depth = list_depth.saturating_sub(1);
                stmt.push((tok, &text[s..e]));
            }
            _ => stmt.push((tok, &text[s..e])),
        }
    }
    let position = position.unwrap_or_else(|| classify(&stmt, list_depth, offset));
    if let Some(f) = frames.last_mut() {
        f.keys.extend(keys_after(text, resume));
    }
    Context { frames, position }
}

fn unquote(s: &str) -> &str {
    let s = s.strip_prefix('"').unwrap_or(s);
    s.strip_suffix('"').unwrap_or(s)
}

/// Records the key of a finished `key = value` statement in the innermost block.
fn end_stmt(frames: &mut [Frame], stmt: &mut Stmt<'_>) {
    if let (Some(f), Some(key)) = (frames.last_mut(), assigned_key(stmt)) {
        f.keys.push(key.to_string());
    }
    stmt.clear();
}

fn assigned_key<'a>(stmt: &Stmt<'a>) -> Option<&'a str> {
    match stmt.as_slice() {
        [(Tok::Word, k), (Tok::Punct(b'='), _), ..] => Some(k),
        [(Tok::Str { .. }, k), (Tok::Punct(b'='), _), ..] => Some(unquote(k)),
        _ => None,
    }
}

/// The position of a word starting at `prefix`, given the statement before it.
fn classify(stmt: &Stmt<'_>, list_depth: usize, prefix: usize) -> Position {
    match stmt.as_slice() {
        [] => Position::Item { prefix },
        [(Tok::Word, "allow")] => Position::AllowCode { prefix },
        [(Tok::Word, "import")] => Position::ImportPath {
            prefix,
            quoted: false,
        },
        [_, (Tok::Punct(b'='), _)] => Position::Value {
            key: assigned_key(stmt).unwrap_or_default().to_string(),
            prefix,
        },
        [_, (Tok::Punct(b'='), _), .., (Tok::Punct(b'[' | b','), _)] if list_depth > 0 => {
            Position::Value {
                key: assigned_key(stmt).unwrap_or_default().to_string(),
                prefix,
            }
        }
        _ => Position::None,
    }
}

/// The position inside a string whose text starts at `prefix`.
fn in_string(stmt: &Stmt<'_>, prefix: usize) -> Position {
    match stmt.as_slice() {
        [(Tok::Word, "import")] => Position::ImportPath {
            prefix,
            quoted: true,
        },
        [(Tok::Word, "defaults")] => Position::DefaultsLabel { prefix },
        [_, (Tok::Punct(b'='), _)] => Position::StringValue {
            key: assigned_key(stmt).unwrap_or_default().to_string(),
            prefix,
        },
        _ => Position::None,
    }
}

/// Keys set in the rest of the block, after the cursor's line.
fn keys_after(text: &str, from: usize) -> Vec<String> {
    let Some(nl) = text[from..].find('\n') else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut stmt: Stmt<'_> = Vec::new();
    for (tok, s, e) in (Lexer {
        bytes: text.as_bytes(),
        pos: from + nl,
    }) {
        match tok {
            Tok::Punct(b'{') => {
                depth += 1;
                stmt.clear();
            }
            Tok::Punct(b'}') if depth == 0 => break,
            Tok::Punct(b'}') => {
                depth -= 1;
                stmt.clear();
            }
            Tok::Newline => {
                if depth == 0 {
                    keys.extend(assigned_key(&stmt).map(str::to_string));
                }
                stmt.clear();
            }
            Tok::Comment => {}
            _ => stmt.push((tok, &text[s..e])),
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::analysis::Buffer;
    use std::path::Path;

    /// Completes at `|` in `text` and returns the labels.
    fn labels(text: &str) -> Vec<String> {
        let offset = text.find('|').expect("cursor");
        let text = text.replacen('|', "", 1);
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text,
        };
        let a = Analysis::new(&buf, [], Path::new("/nonexistent-project"));
        complete(&a, offset).into_iter().map(|c| c.label).collect()
    }

    fn has(labels: &[String], want: &[&str]) -> bool {
        want.iter().all(|w| labels.iter().any(|l| l == w))
    }

    #[test]
    fn top_level_offers_top_level_blocks() {
        let l = labels("|");
        assert!(has(&l, &["site", "aurora", "import", "allow"]), "{l:?}");
        assert!(!l.contains(&"serverless".to_string()));
        assert!(!l.contains(&"rotation".to_string()));
    }

    #[test]
    fn one_per_site_blocks_already_declared_are_not_offered_again() {
        let l = labels("monitoring {}\n\n|");
        assert!(has(&l, &["site", "table", "failover"]), "{l:?}");
        assert!(!l.contains(&"monitoring".to_string()), "{l:?}");
    }

    #[test]
    fn block_body_offers_missing_attributes_and_children() {
        let l = labels("aurora \"db\" {\n  instances = 2\n  eng|\n  port = 5432\n}\n");
        assert!(
            has(&l, &["engine_version", "key", "serverless", "allow"]),
            "{l:?}"
        );
        assert!(!l.contains(&"instances".to_string()), "already set before");
        assert!(!l.contains(&"port".to_string()), "already set after");
        assert!(!l.contains(&"site".to_string()));
    }

    #[test]
    fn defaults_blocks_offer_the_attributes_of_their_kind() {
        let l = labels("defaults \"table\" {\n  |\n}\n");
        assert!(has(&l, &["pitr", "billing"]), "{l:?}");
        let l = labels("defaults \"ta|");
        assert!(has(&l, &["table", "bucket"]), "{l:?}");
    }

    #[test]
    fn values_follow_the_attribute_type() {
        let l = labels("site \"s\" {\n  primary = us-|\n}\n");
        assert!(has(&l, &["us-east-1", "eu-west-1"]), "{l:?}");
        let l = labels("site \"s\" {\n  environment = |\n}\n");
        assert_eq!(l, ["production", "staging", "development", "test"]);
        let l =
            labels("key \"k\" {}\nkey \"j\" {}\ntable \"t\" {}\nbucket \"b\" {\n  key = |\n}\n");
        assert_eq!(l, ["k", "j"]);
        let l = labels("table \"t\" {}\nbucket \"b\" {}\nfunction \"f\" {\n  reads = [b, |\n}\n");
        assert!(
            has(&l, &["t", "b"]) && !l.contains(&"f".to_string()),
            "{l:?}"
        );
        let l = labels("site \"s\" {\n  profile = |\n}\n");
        assert!(l.is_empty(), "std/finserv is not imported: {l:?}");
        let l = labels("import \"std/finserv\"\nsite \"s\" {\n  profile = f|\n}\n");
        assert_eq!(l, ["finserv"]);
        let l = labels("bucket \"b\" {\n  versioning = |\n}\n");
        assert_eq!(l, ["true", "false"]);
        let l = labels("bucket \"b\" {\n  allow DRS00|\n}\n");
        assert!(has(&l, &["DRS0031"]), "{l:?}");
    }

    #[test]
    fn units_follow_a_number() {
        let l = labels("site \"s\" {\n  rpo = 30|\n}\n");
        assert_eq!(l, ["s", "m", "h", "d", "w", "y"]);
        let l = labels("function \"f\" {\n  memory = 512M|\n}\n");
        assert!(
            has(&l, &["MiB", "MB"]) && !l.contains(&"h".to_string()),
            "{l:?}"
        );
        let l = labels("dns \"d\" {\n  primary_share = 50|\n}\n");
        assert_eq!(l, ["%"]);
        let l = labels("network \"n\" {\n  zones = 2|\n}\n");
        assert!(l.is_empty(), "integers take no unit: {l:?}");
    }

    #[test]
    fn nothing_in_comments_and_plain_strings() {
        assert!(labels("# aur|\n").is_empty());
        assert!(labels("key \"k\" {\n  description = \"ro|\"\n}\n").is_empty());
        assert!(labels("site \"s\" {\n  rpo = 1h |\n}\n").is_empty());
    }

    #[test]
    fn imports_offer_stdlib_modules() {
        let l = labels("import \"std/f|");
        assert!(has(&l, &["std/finserv", "std/regions"]), "{l:?}");
    }

    #[test]
    fn the_replaced_range_is_the_typed_prefix() {
        let text = "site \"s\" {\n  rpo = 15m\n}\n";
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text: text.into(),
        };
        let a = Analysis::new(&buf, [], Path::new("/nonexistent-project"));
        let at = text.find("15m").unwrap() + 3;
        let c = complete(&a, at);
        assert_eq!(a.db.snippet(c[0].replace), "m");
        let at = text.find("rpo").unwrap() + 2;
        let c = complete(&a, at);
        let rto = c.iter().find(|c| c.label == "rto").unwrap();
        assert_eq!(a.db.snippet(rto.replace), "rp");
        assert_eq!(rto.insert, "rto", "the line already has `=`");
    }
}
