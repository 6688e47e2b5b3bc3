//! pest → syntax tree. Each top-level chunk found by the scanner is parsed on
//! its own, so the result holds every item that parsed and every error.

use super::ast::*;
use super::codes;
use super::scan::{self, Chunk};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::units::{self, Quantity, QuantityError};
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/drs.pest"]
struct DrsParser;

/// Parses one file's text. Never fails: returns what it could build and all errors.
/// An item with a syntax error is kept with what parsed of it (see [`Item::Error`]).
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let scanned = scan::scan(file, text);
    let mut diags = scanned.diagnostics;
    // One item per chunk, nearly always: growth by doubling would leave up to
    // half again as much room unused (168 bytes an item).
    let mut items = Vec::with_capacity(scanned.chunks.len());
    let mut strs = Interner::default();
    let blanked = blank_comments(text, &scanned.comments);
    for chunk in &scanned.chunks {
        items.extend(parse_chunk(file, &blanked, chunk, &mut diags, &mut strs));
    }
    drop(scanned.chunks);
    items.shrink_to_fit();
    let mut ast = File {
        items,
        comments: scanned.comments,
    };
    attach_docs(text, &mut ast);
    (ast, diags)
}

/// The text with every comment replaced by spaces of the same byte length,
/// so spans stay valid and the grammar needs no comment rule.
fn blank_comments<'t>(text: &'t str, comments: &[Comment]) -> std::borrow::Cow<'t, str> {
    if comments.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for c in comments {
        bytes[c.span.range()].fill(b' ');
    }
    // Whole comments (from `#` to the end of the line) were replaced, so the
    // result is still UTF-8; fall back to the original text if not.
    match String::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Owned(s),
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

fn parse_chunk(
    file: FileId,
    text: &str,
    chunk: &Chunk,
    diags: &mut Vec<Diagnostic>,
    strs: &mut Interner,
) -> Vec<Item> {
    let whole = Span::new(file, chunk.start, chunk.end);
    if chunk.too_deep {
        // pest recurses: such a chunk must not reach it.
        return vec![Item::Error(ErrorNode { span: whole })];
    }
    let repaired;
    let src = if chunk.missing_closers.is_empty() && chunk.repairs.is_empty() {
        &text[chunk.start..chunk.end]
    } else {
        let mut bytes = text.as_bytes()[chunk.start..chunk.end].to_vec();
        for (at, b) in &chunk.repairs {
            bytes[at - chunk.start] = *b;
        }
        let mut s =
            String::from_utf8(bytes).unwrap_or_else(|_| text[chunk.start..chunk.end].to_string());
        for c in &chunk.missing_closers {
            s.push(' ');
            s.push(*c);
        }
        repaired = s;
        repaired.as_str()
    };
    let mut cx = Cx {
        file,
        offset: chunk.start,
        limit: chunk.end,
        diags,
        strs,
    };
    // A chunk the pre-scan poisoned was reported there; recover what parses of it.
    if !chunk.poisoned {
        match DrsParser::parse(Rule::top_item, src) {
            Ok(mut pairs) => {
                let item = pairs
                    .next()
                    .and_then(|p| p.into_inner().next())
                    .and_then(|p| cx.item(p));
                if let Some(item) = item {
                    return vec![item];
                }
            }
            Err(e) => cx.diags.push(pest_error(file, text, chunk, &e)),
        }
    }
    cx.recover(src, chunk.start)
}

/// Turns a pest error into words a user knows.
fn pest_error(file: FileId, text: &str, chunk: &Chunk, e: &pest::error::Error<Rule>) -> Diagnostic {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let at = (chunk.start + pos).min(chunk.end);
    let found = found_token(text, at, chunk.end);
    let positives: &[Rule] = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    let expected = describe_expected(positives);
    let wants_value = positives.iter().any(|r| {
        matches!(
            r,
            Rule::value | Rule::number | Rule::word | Rule::list | Rule::string
        )
    });
    let found_text = if found.is_empty() {
        "the end of the item".to_string()
    } else {
        format!("`{found}`")
    };
    // A missing value is reported where it is missing (after `=`), not at
    // the next line's `}` that pest stumbled on.
    let gap_before = text[chunk.start..at].trim_end_matches([' ', '\t', '\r']);
    let span = if wants_value
        && text[chunk.start..at].ends_with(|c: char| c.is_whitespace())
        && gap_before.len() < at - chunk.start
        && text[chunk.start + gap_before.len()..at].contains('\n')
    {
        let end = chunk.start + gap_before.len();
        Span::new(file, end, end)
    } else {
        Span::new(file, at, (at + found.len()).max(at))
    };
    let message = if span.start as usize != at {
        format!("expected {expected} here")
    } else {
        format!("expected {expected}, found {found_text}")
    };
    let mut d = Diagnostic::new(&codes::SYNTAX, message).at(span, format!("expected {expected}"));
    if let Some(help) = syntax_help(found, positives) {
        d = d.help(help);
    }
    d
}

fn found_token(text: &str, at: usize, limit: usize) -> &str {
    let rest = &text[at.min(text.len())..limit.max(at).min(text.len())];
    let first = rest.chars().next();
    match first {
        None => "",
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let n = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
                .unwrap_or(rest.len());
            &rest[..n]
        }
        Some(c) => &rest[..c.len_utf8()],
    }
}

fn syntax_help(found: &str, positives: &[Rule]) -> Option<String> {
    let help = if found == ";" {
        "drsc needs no `;`: put each attribute on its own line"
    } else if found == "'" {
        "strings use double quotes: \"text\""
    } else if found == ":" {
        "attributes are written `name = value`, not `name: value`"
    } else if positives.contains(&Rule::eq) {
        "attributes are written `name = value`; blocks `kind \"label\" { ... }`"
    } else if positives.contains(&Rule::EOI) {
        "put each block and attribute on its own line"
    } else if positives.contains(&Rule::value) {
        "write a value: a string, a number with its unit, a name or a list"
    } else {
        return None;
    };
    Some(help.to_string())
}

fn rule_words(rule: Rule) -> &'static str {
    match rule {
        Rule::import | Rule::kw_import => "`import`",
        Rule::allow | Rule::kw_allow => "`allow`",
        Rule::block | Rule::ident | Rule::attribute | Rule::body_item | Rule::key => "a name",
        Rule::label => "a label",
        Rule::open => "`{`",
        Rule::close => "`}`",
        Rule::eq => "`=`",
        Rule::string | Rule::inner => "a string",
        Rule::list => "a list",
        Rule::number | Rule::word | Rule::value => "a value",
        Rule::EOI | Rule::top_item => "the end of the item",
        Rule::WHITESPACE => "a space",
    }
}

fn describe_expected(positives: &[Rule]) -> String {
    let mut words: Vec<&str> = positives.iter().map(|r| rule_words(*r)).collect();
    // "a value" already covers lists and strings.
    if words.contains(&"a value") {
        words.retain(|w| *w != "a list" && *w != "a string");
    }
    // `=` first: after a name, an attribute is the likelier intent.
    words.sort_by_key(|w| (*w != "`=`", *w));
    words.dedup();
    match words.len() {
        0 => "something else".to_string(),
        1 => words[0].to_string(),
        _ => {
            let last = words.pop().unwrap_or_default();
            format!("{} or {last}", words.join(", "))
        }
    }
}

/// Conversion context for one chunk.
struct Cx<'d> {
    file: FileId,
    offset: usize,
    limit: usize,
    diags: &'d mut Vec<Diagnostic>,
    /// The file's texts, one [`Str`] each.
    strs: &'d mut Interner,
}

impl Cx<'_> {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(
            self.file,
            (self.offset + s.start()).min(self.limit),
            (self.offset + s.end()).min(self.limit),
        )
    }

    fn name(&mut self, p: Pair<Rule>) -> Name {
        let span = self.span(&p);
        Name {
            text: self.strs.get(p.as_str()),
            span,
        }
    }

    fn item(&mut self, p: Pair<Rule>) -> Option<Item> {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::import => {
                let s = p.into_inner().find(|x| x.as_rule() == Rule::string)?;
                Some(Item::Import(Import {
                    path: self.string_name(s),
                    span,
                }))
            }
            Rule::allow => {
                let mut inner = p.into_inner().filter(|x| x.as_rule() != Rule::kw_allow);
                let code = self.name(inner.next()?);
                let (reason, span) = match inner.next() {
                    Some(r) => (self.string_name(r), span),
                    // Without a reason the allow ends with its code (pest's span
                    // would reach over the blanks to the next line).
                    None => {
                        let end = code.span.end as usize;
                        let reason = Name {
                            text: Str::default(),
                            span: Span::new(self.file, end, end),
                        };
                        (reason, Span::new(self.file, span.start as usize, end))
                    }
                };
                Some(Item::Allow(Allow { code, reason, span }))
            }
            Rule::block => self.block(p).map(Item::Block),
            Rule::attribute => self.attribute(p).map(Item::Attribute),
            _ => None,
        }
    }

    // ---- Recovery: what parses of an item with a syntax error ----------------
    //
    // pest stops at the first error and builds nothing, so an item that fails is
    // parsed again piece by piece with the grammar's own rules: whole items where
    // they parse, a block header and its body item by item where they do not. The
    // text that parses nowhere becomes an error node, which ends where
    // `scan::item_end` says (the end of its line, or of the brackets it opens).
    // No diagnostic is added: the item's error was reported once.

    /// Every item of the chunk text `src`, which starts at byte `base` of the file.
    fn recover(&mut self, src: &str, base: usize) -> Vec<Item> {
        let mut items = Vec::new();
        let mut pos = skip_space(src, 0);
        while pos < src.len() {
            let (item, end) = self.recover_item(src, base, pos, 0);
            items.push(item);
            pos = skip_space(src, end.max(pos + 1));
        }
        items
    }

    /// The item at `pos` (not blank) and where it ends.
    fn recover_item(&mut self, src: &str, base: usize, pos: usize, depth: usize) -> (Item, usize) {
        for rule in [Rule::attribute, Rule::allow, Rule::import, Rule::block] {
            let Some((pair, end)) = try_rule(src, pos, rule) else {
                continue;
            };
            // `key =` with its value on a later line: the value is missing, not the
            // next line's first word.
            if rule == Rule::attribute && value_on_later_line(&pair) {
                break;
            }
            self.offset = base + pos;
            if let Some(item) = self.item(pair) {
                return (item, end);
            }
        }
        if depth < scan::MAX_DEPTH {
            if let Some((b, end)) = self.partial_block(src, base, pos, depth) {
                return (Item::Block(b), end);
            }
        }
        let end = scan::item_end(src, pos).max(pos + 1).min(src.len());
        (
            Item::Error(ErrorNode {
                span: self.at(base, pos, end),
            }),
            end,
        )
    }

    /// A block whose header parses and whose body does not (as a whole).
    fn partial_block(
        &mut self,
        src: &str,
        base: usize,
        pos: usize,
        depth: usize,
    ) -> Option<(Block, usize)> {
        let (kind, mut p) = try_rule(src, pos, Rule::ident)?;
        if matches!(kind.as_str(), "import" | "allow") {
            return None;
        }
        self.offset = base + pos;
        let kind = self.name(kind);
        let mut label = None;
        let at = skip_space(src, p);
        if let Some((l, end)) = try_rule(src, at, Rule::label) {
            self.offset = base + at;
            label = l.into_inner().next().map(|s| self.string_name(s));
            p = end;
        }
        let at = skip_space(src, p);
        let mut body = Vec::new();
        let Some((open, mut p)) = try_rule(src, at, Rule::open) else {
            // `kind "label"` and no `{`: a block header with a broken rest.
            label.as_ref()?;
            let end = scan::item_end(src, at).max(at + 1).min(src.len());
            if at < src.len() {
                body.push(Item::Error(ErrorNode {
                    span: self.at(base, at, end),
                }));
            }
            let open = self.at(base, at, at);
            return Some((
                Block {
                    kind,
                    label,
                    body: body.into_boxed_slice(),
                    doc: None,
                    braces: Braces::new(open, self.at(base, end, end)),
                    span: self.at(base, pos, end),
                },
                end,
            ));
        };
        self.offset = base + at;
        let open = self.span(&open);
        let close = loop {
            p = skip_space(src, p);
            if p >= src.len() {
                break self.at(base, p, p);
            }
            if src.as_bytes()[p] == b'}' {
                p += 1;
                break self.at(base, p - 1, p);
            }
            let (item, end) = self.recover_item(src, base, p, depth + 1);
            body.push(item);
            p = end.max(p + 1);
        };
        Some((
            Block {
                kind,
                label,
                body: body.into_boxed_slice(),
                doc: None,
                braces: Braces::new(open, close),
                span: self.at(base, pos, p),
            },
            p,
        ))
    }

    /// The file span of `start..end` of a chunk text that starts at `base`.
    fn at(&self, base: usize, start: usize, end: usize) -> Span {
        Span::new(
            self.file,
            (base + start).min(self.limit),
            (base + end).min(self.limit),
        )
    }

    fn block(&mut self, p: Pair<Rule>) -> Option<Block> {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let kind = self.name(inner.next()?);
        let mut label = None;
        let mut open = span;
        let mut close = span;
        let mut body = Vec::new();
        for part in inner {
            match part.as_rule() {
                Rule::label => {
                    let s = part.into_inner().next()?;
                    label = Some(self.string_name(s));
                }
                Rule::open => open = self.span(&part),
                Rule::close => close = self.span(&part),
                _ => body.extend(self.item(part)),
            }
        }
        Some(Block {
            kind,
            label,
            body: body.into_boxed_slice(),
            doc: None,
            braces: Braces::new(open, close),
            span,
        })
    }

    fn attribute(&mut self, p: Pair<Rule>) -> Option<Attribute> {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let k = inner.next()?;
        let quoted_key = k.as_rule() == Rule::string;
        let key = if quoted_key {
            self.string_name(k)
        } else {
            self.name(k)
        };
        let value = self.value(inner.find(|p| p.as_rule() != Rule::eq)?);
        Some(Attribute {
            key,
            quoted_key,
            value,
            doc: None,
            span,
        })
    }

    /// A string token as a name with its unescaped text.
    fn string_name(&mut self, p: Pair<Rule>) -> Name {
        let span = self.span(&p);
        let raw = p.into_inner().next().map_or("", |i| i.as_str());
        Name {
            text: self.unescaped(raw, span),
            span,
        }
    }

    /// A string token's text, unescaped, as the file's one [`Str`] of it.
    fn unescaped(&mut self, raw: &str, span: Span) -> Str {
        if raw.contains('\\') {
            let text = self.unescape(raw, span);
            self.strs.get(&text)
        } else {
            self.strs.get(raw)
        }
    }

    fn unescape(&mut self, raw: &str, span: Span) -> String {
        if !raw.contains('\\') {
            return raw.to_string();
        }
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, '"')) => out.push('"'),
                Some((_, 'u')) => {
                    let rest = &raw[i + 2..];
                    let parsed = rest
                        .strip_prefix('{')
                        .and_then(|r| r.split_once('}'))
                        .and_then(|(hex, _)| {
                            u32::from_str_radix(hex, 16).ok().map(|n| (hex.len(), n))
                        })
                        .and_then(|(len, n)| char::from_u32(n).map(|c| (len, c)));
                    match parsed {
                        Some((len, ch)) => {
                            out.push(ch);
                            for _ in 0..len + 2 {
                                chars.next();
                            }
                        }
                        None => self.bad_escape(span, i, "\\u"),
                    }
                }
                Some((_, other)) => self.bad_escape(span, i, &format!("\\{other}")),
                None => self.bad_escape(span, i, "\\"),
            }
        }
        out
    }

    fn bad_escape(&mut self, string: Span, at: usize, esc: &str) {
        let start = string.start as usize + 1 + at;
        self.diags.push(
            Diagnostic::new(
                &codes::INVALID_ESCAPE,
                format!("unknown escape `{esc}` in string"),
            )
            .at(
                Span::new(self.file, start, start + esc.len()),
                "unknown escape",
            )
            .help("valid escapes are \\\\, \\\", \\n, \\t and \\u{XXXX}; write `\\\\` for a backslash"),
        );
    }

    fn value(&mut self, p: Pair<Rule>) -> Value {
        let span = self.span(&p);
        let text = p.as_str();
        let kind = match p.as_rule() {
            Rule::string => {
                let raw = p.into_inner().next().map_or("", |i| i.as_str());
                ValueKind::String(self.unescaped(raw, span))
            }
            Rule::list => ValueKind::List(p.into_inner().map(|v| self.value(v)).collect()),
            Rule::word => match text {
                "true" => ValueKind::Bool(true),
                "false" => ValueKind::Bool(false),
                _ if text.contains('-') => self.region(text, span),
                _ => ValueKind::Ident(self.strs.get(text)),
            },
            Rule::number => self.number(text, span),
            _ => ValueKind::Error,
        };
        Value { kind, span }
    }

    /// Classifies a literal that starts with a digit by its shape.
    fn number(&mut self, text: &str, span: Span) -> ValueKind {
        let last = text.as_bytes()[text.len() - 1];
        if text.contains('/') {
            self.cidr(text, span)
        } else if text[1..].contains('-') {
            self.date(text, span)
        } else if last.is_ascii_alphabetic() || last == b'%' {
            self.quantity(text, span)
        } else if text.contains('.') {
            match text
                .split('.')
                .map(str::parse)
                .collect::<Result<Vec<u32>, _>>()
            {
                Ok(parts) => ValueKind::Version(Version {
                    parts: parts.into(),
                }),
                Err(_) => self.fail(
                    Diagnostic::new(
                        &codes::MALFORMED_NUMBER,
                        format!("`{text}` is not a valid version"),
                    )
                    .at(span, "expected numbers separated by dots, e.g. `14.9`"),
                ),
            }
        } else {
            match text.parse::<i64>() {
                Ok(n) => ValueKind::Integer(n),
                Err(_) if text.bytes().skip(1).all(|b| b.is_ascii_digit()) => self.fail(
                    Diagnostic::new(
                        &codes::MALFORMED_NUMBER,
                        format!("integer `{text}` is too large"),
                    )
                    .at(span, "does not fit in a 64-bit integer")
                    .help(format!(
                        "integers range from {} to {}",
                        i64::MIN,
                        i64::MAX
                    )),
                ),
                Err(_) => self.fail(
                    Diagnostic::new(
                        &codes::MALFORMED_NUMBER,
                        format!("`{text}` is not a number"),
                    )
                    .at(span, "expected digits, optionally followed by a unit"),
                ),
            }
        }
    }

    fn fail(&mut self, d: Diagnostic) -> ValueKind {
        self.diags.push(d);
        ValueKind::Error
    }

    fn quantity(&mut self, text: &str, span: Span) -> ValueKind {
        if let Some(positive) = text.strip_prefix('-') {
            if let Ok(q) = units::parse_quantity(positive) {
                // No value is suggested: `30s` would be out of range for an `rto`.
                let what = match q {
                    Quantity::Duration(_) => "a duration",
                    Quantity::Size(_) => "a data size",
                    Quantity::Percent(_) => "a percentage",
                };
                return self.fail(
                    Diagnostic::new(&codes::MALFORMED_NUMBER, format!("`{text}` is negative"))
                        .at(span, format!("{what} cannot be negative"))
                        .help("remove the `-`: quantities in drsc are never negative"),
                );
            }
        }
        match units::parse_quantity(text) {
            Ok(Quantity::Duration(d)) => ValueKind::Duration(d),
            Ok(Quantity::Size(s)) => ValueKind::Size(s),
            Ok(Quantity::Percent(p)) => ValueKind::Percent(p),
            Err(QuantityError::UnknownUnit { unit }) => {
                let mut d = Diagnostic::new(&codes::UNKNOWN_UNIT, format!("unknown unit `{unit}`"))
                    .at(span, "not a unit drsc knows");
                let suggestion = units::unit_alias(&unit)
                    .or_else(|| crate::suggest::closest(&unit, units::all_suffixes()));
                d = match suggestion {
                    Some(s) => d.help(format!("did you mean `{}{s}`?", &text[..text.len() - unit.len()])),
                    None => d.help("durations use s, m, h, d, w, y; sizes B, KB, MB, GB, TB, KiB, MiB, GiB, TiB; and %"),
                };
                self.fail(d)
            }
            Err(QuantityError::Fractional { unit }) => {
                let help = match units::in_smaller_unit(text) {
                    Some(better) => format!("write `{better}`"),
                    None => "use a smaller unit, whole numbers only".to_string(),
                };
                self.fail(
                    Diagnostic::new(&codes::MALFORMED_NUMBER, format!("`{text}` has a fraction"))
                        .at(span, format!("quantities in `{unit}` are whole numbers"))
                        .help(help),
                )
            }
            Err(QuantityError::TooLarge) => self.fail(
                Diagnostic::new(&codes::MALFORMED_NUMBER, format!("`{text}` is too large"))
                    .at(span, "out of range"),
            ),
        }
    }

    fn cidr(&mut self, text: &str, span: Span) -> ValueKind {
        let parsed = (|| {
            let (addr, prefix) = text.split_once('/')?;
            let octets: Vec<u8> = addr
                .split('.')
                .map(|o| o.parse().ok())
                .collect::<Option<_>>()?;
            let addr: [u8; 4] = octets.try_into().ok()?;
            let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
            Some(Cidr { addr, prefix })
        })();
        match parsed {
            Some(c) if c.range().0 == u32::from_be_bytes(c.addr) => ValueKind::Cidr(c),
            Some(c) => {
                let (base, _) = c.range();
                let fixed = Cidr {
                    addr: base.to_be_bytes(),
                    prefix: c.prefix,
                };
                self.fail(
                    Diagnostic::new(
                        &codes::MALFORMED_CIDR,
                        format!("`{text}` has host bits set"),
                    )
                    .at(span, "not the start of a network")
                    .help(format!("did you mean `{fixed}`?")),
                )
            }
            None => self.fail(
                Diagnostic::new(
                    &codes::MALFORMED_CIDR,
                    format!("`{text}` is not a valid IPv4 CIDR block"),
                )
                .at(span, "expected four octets 0–255 and a prefix length 0–32")
                .help("write a network such as `10.20.0.0/16`"),
            ),
        }
    }

    fn date(&mut self, text: &str, span: Span) -> ValueKind {
        let parts: Vec<u32> = text.split('-').filter_map(|p| p.parse().ok()).collect();
        if let [y, m, d] = parts[..] {
            if let Some(date) = Date::from_ymd(y, m, d) {
                return ValueKind::Date(date);
            }
        }
        self.fail(
            Diagnostic::new(
                &codes::MALFORMED_DATE,
                format!("`{text}` is not a valid date"),
            )
            .at(span, "no such day")
            .help("dates are written YYYY-MM-DD"),
        )
    }

    fn region(&mut self, text: &str, span: Span) -> ValueKind {
        if is_region_shaped(text) {
            return ValueKind::Region(self.strs.get(text));
        }
        self.fail(
            Diagnostic::new(
                &codes::MALFORMED_REGION,
                format!("`{text}` is not a region name"),
            )
            .at(span, "expected a region such as `us-east-1`")
            .help("region names are an area, one or more words and a number, joined by dashes"),
        )
    }
}

/// What the start of an item says, as far as it is written: the text from where
/// an item starts to a position inside it (an editor's cursor). Offsets are into
/// that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Partial {
    /// Nothing, or the first word being written.
    Start,
    /// `allow ` and the code being written from `at`.
    AllowCode { at: usize },
    /// `import `, then the path being written from `at` (after its `"` if `quoted`).
    ImportPath { at: usize, quoted: bool },
    /// `kind "` and the label being written from `at`.
    Label { kind: String, at: usize },
    /// `key = ` (or `key = [a, `) and the value being written from `at`.
    Value { key: String, at: usize },
    /// `key = "` and the string being written from `at`.
    StringValue { key: String, at: usize },
    /// Anything else.
    Other,
}

/// Reads a half-written item with the grammar's rules (see [`Partial`]).
pub fn partial_item(text: &str) -> Partial {
    // Whether the rest, from `at`, is one token being written (no blank in it).
    let one_token = |at: usize| !text[at..].contains(|c: char| c.is_whitespace() || c == ',');
    let open_string = |at: usize| {
        text[at..].starts_with('"')
            && try_rule(text, at, Rule::string)
                .is_none_or(|(_, e)| e == text.len() && !text[at + 1..].contains('"'))
    };
    if text.is_empty() || try_rule(text, 0, Rule::ident).is_some_and(|(_, e)| e == text.len()) {
        return Partial::Start;
    }
    for (kw, allow) in [(Rule::kw_allow, true), (Rule::kw_import, false)] {
        let Some((_, e)) = try_rule(text, 0, kw) else {
            continue;
        };
        let at = skip_space(text, e);
        if at == e && at < text.len() {
            continue;
        }
        return match (allow, open_string(at)) {
            (true, _) if one_token(at) => Partial::AllowCode { at },
            (false, true) => Partial::ImportPath {
                at: at + 1,
                quoted: true,
            },
            (false, false) if at == text.len() => Partial::ImportPath { at, quoted: false },
            _ => Partial::Other,
        };
    }
    let key = try_rule(text, 0, Rule::ident)
        .map(|(p, e)| (p.as_str().to_string(), e))
        .or_else(|| {
            try_rule(text, 0, Rule::string)
                .map(|(p, e)| (p.as_str().trim_matches('"').to_string(), e))
        });
    let Some((key, e)) = key else {
        return Partial::Other;
    };
    let at = skip_space(text, e);
    if open_string(at) {
        return Partial::Label {
            kind: key,
            at: at + 1,
        };
    }
    let Some((_, e)) = try_rule(text, at, Rule::eq) else {
        return Partial::Other;
    };
    let mut at = skip_space(text, e);
    if open_string(at) {
        return Partial::StringValue { key, at: at + 1 };
    }
    if text[at..].starts_with('[') {
        at = skip_space(text, at + 1);
        while let Some((_, e)) = [Rule::list, Rule::string, Rule::number, Rule::word]
            .into_iter()
            .find_map(|r| try_rule(text, at, r))
        {
            let after = skip_space(text, e);
            if !text[after..].starts_with(',') {
                break;
            }
            at = skip_space(text, after + 1);
        }
    }
    if one_token(at) {
        Partial::Value { key, at }
    } else {
        Partial::Other
    }
}

/// Parses `rule` at byte `pos` of `src` (a prefix match): the pair and where it ends.
fn try_rule(src: &str, pos: usize, rule: Rule) -> Option<(Pair<'_, Rule>, usize)> {
    let pair = DrsParser::parse(rule, src.get(pos..)?).ok()?.next()?;
    let end = pos + pair.as_span().end();
    Some((pair, end))
}

/// Whether an attribute's value starts on a later line than its key.
fn value_on_later_line(attr: &Pair<'_, Rule>) -> bool {
    let start = attr.as_span().start();
    let value = attr
        .clone()
        .into_inner()
        .nth(2)
        .map_or(start, |v| v.as_span().start());
    attr.as_str()[..value - start].contains('\n')
}

/// The first byte at or after `pos` that is not whitespace (the grammar's `WHITESPACE`).
fn skip_space(src: &str, pos: usize) -> usize {
    let bytes = src.as_bytes();
    let mut p = pos;
    while p < bytes.len() && (bytes[p] == b' ' || (b'\t'..=b'\r').contains(&bytes[p])) {
        p += 1;
    }
    p
}

/// `us-east-1`, `ap-southeast-2`, `us-gov-west-1`: lowercase parts, the last one a number.
pub fn is_region_shaped(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Attaches each run of `##` lines to the block or attribute right below it.
fn attach_docs(text: &str, file: &mut File) {
    let docs: Vec<&Comment> = file.comments.iter().filter(|c| c.doc).collect();
    if docs.is_empty() {
        return;
    }
    fn visit(items: &mut [Item], docs: &[&Comment], text: &str) {
        for item in items {
            let start = item.span().start as usize;
            let doc = doc_above(start, docs, text).map(Str::from);
            match item {
                Item::Block(b) => {
                    b.doc = doc;
                    visit(&mut b.body, docs, text);
                }
                Item::Attribute(a) => a.doc = doc,
                _ => {}
            }
        }
    }
    visit(&mut file.items, &docs, text);
}

fn doc_above(start: usize, docs: &[&Comment], text: &str) -> Option<String> {
    let mut lines = Vec::new();
    let mut cursor = start;
    let idx = docs.partition_point(|c| (c.span.end as usize) <= start);
    for c in docs[..idx].iter().rev() {
        let between = &text[c.span.end as usize..cursor];
        if !between.trim().is_empty() || between.matches('\n').count() > 1 {
            break;
        }
        lines.push(
            c.text
                .trim_start_matches('#')
                .strip_prefix(' ')
                .unwrap_or(c.text.trim_start_matches('#')),
        );
        cursor = c.span.start as usize;
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> File {
        let (f, d) = parse(FileId(0), src);
        assert!(d.is_empty(), "{d:#?}");
        f
    }

    #[test]
    fn parses_the_shapes_of_the_language() {
        let f = parse_ok(
            "## The site.\nsite \"a\" {\n  rpo = 1h\n  cidr = 10.0.0.0/16\n  v = 14.9\n  r = us-east-1\n  l = [a, \"b\", 3]\n  p = 50%\n  m = 512MiB\n  d = 2026-06-30\n  b = true\n  \"DR-Role\" = \"x\"\n  allow DRS0001 \"why\"\n  tags { A = \"b\" }\n}\n",
        );
        let Item::Block(b) = &f.items[0] else {
            panic!()
        };
        assert_eq!(b.doc.as_deref(), Some("The site."));
        assert_eq!(b.attributes().count(), 10);
        assert!(matches!(
            b.attr("r").map(|a| &a.value.kind),
            Some(ValueKind::Region(_))
        ));
        assert!(matches!(
            b.attr("b").map(|a| &a.value.kind),
            Some(ValueKind::Bool(true))
        ));
    }

    #[test]
    fn independent_errors_are_all_reported() {
        let (f, d) = parse(
            FileId(0),
            "site \"a\" {\n  rpo 1h\n}\nkey \"k\" {\n  x = = 2\n}\nkey \"ok\" {}\n",
        );
        assert_eq!(d.len(), 2, "{d:#?}");
        // Every item is kept: the two broken ones with what parsed of them.
        assert_eq!(f.items.len(), 3);
        assert!(f.items.iter().all(|i| matches!(i, Item::Block(_))));
    }

    fn block(f: &File, i: usize) -> &Block {
        match &f.items[i] {
            Item::Block(b) => b,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_broken_item_keeps_what_parsed_around_the_error() {
        let src = "site \"a\" {\n  rpo 1h\n  rto = 4h\n  tags { A = \"b\" }\n}\n";
        let (f, d) = parse(FileId(0), src);
        assert_eq!(d.len(), 1, "{d:#?}");
        let b = block(&f, 0);
        assert_eq!((b.kind.text.as_str(), b.is_partial()), ("site", true));
        assert!(b.attr("rto").is_some() && b.attr("rpo").is_none());
        assert_eq!(b.blocks().count(), 1);
        let junk: Vec<&str> = b.errors().map(|e| &src[e.span.range()]).collect();
        assert_eq!(junk, ["rpo 1h"]);
        assert_eq!(&src[b.close_span().range()], "}");
    }

    #[test]
    fn a_stray_semicolon_breaks_only_itself() {
        let src = "monitoring {\n  lag_threshold = 5m;\n  dashboard = true\n}\n";
        let (f, d) = parse(FileId(0), src);
        assert_eq!(d.len(), 1);
        let b = block(&f, 0);
        assert!(b.attr("lag_threshold").is_some() && b.attr("dashboard").is_some());
        assert_eq!(
            b.errors().map(|e| &src[e.span.range()]).collect::<Vec<_>>(),
            [";"]
        );
    }

    #[test]
    fn nested_broken_blocks_are_partial_too() {
        let src = "backup \"dr\" {\n  rule \"h\" {\n    every 1h\n    retain = 35d\n  }\n  covers = [x]\n}\n";
        let (f, _) = parse(FileId(0), src);
        let b = block(&f, 0);
        assert!(!b.is_partial() && b.attr("covers").is_some());
        let rule = b.blocks().next().unwrap();
        assert!(rule.is_partial() && rule.attr("retain").is_some());
    }

    #[test]
    fn a_missing_value_does_not_take_the_next_line() {
        let src = "key \"k\" {\n  description =\n  rotation = true\n}\n";
        let (f, d) = parse(FileId(0), src);
        assert_eq!(d.len(), 1);
        let b = block(&f, 0);
        assert!(b.attr("description").is_none());
        assert!(b.attr("rotation").is_some());
    }

    #[test]
    fn an_allow_without_reason_parses() {
        let (f, d) = parse(
            FileId(0),
            "key \"k\" {\n  allow DRS0240\n  rotation = false\n}\n",
        );
        assert!(d.is_empty(), "{d:#?}");
        let b = block(&f, 0);
        let a = b.allows().next().unwrap();
        assert_eq!(
            (
                a.code.text.as_str(),
                a.reason.span.start == a.reason.span.end
            ),
            ("DRS0240", true)
        );
        assert!(b.attr("rotation").is_some());
    }

    #[test]
    fn half_written_items_are_read_with_the_grammar() {
        use Partial::*;
        assert_eq!(partial_item(""), Start);
        assert_eq!(partial_item("eng"), Start);
        assert_eq!(partial_item("allow DRS00"), AllowCode { at: 6 });
        assert_eq!(
            partial_item("import \"std/f"),
            ImportPath {
                at: 8,
                quoted: true
            }
        );
        assert_eq!(
            partial_item("import "),
            ImportPath {
                at: 7,
                quoted: false
            }
        );
        let label = Label {
            kind: "defaults".into(),
            at: 10,
        };
        assert_eq!(partial_item("defaults \"ta"), label);
        let value = |at| Value {
            key: "reads".into(),
            at,
        };
        assert_eq!(partial_item("reads = "), value(8));
        assert_eq!(partial_item("reads = [b, "), value(12));
        assert_eq!(partial_item("reads = [b, c"), value(12));
        let string = StringValue {
            key: "runtime".into(),
            at: 11,
        };
        assert_eq!(partial_item("runtime = \"py"), string);
        assert_eq!(partial_item("rpo = 1h 2"), Other);
    }

    #[test]
    fn unparsable_text_is_an_error_node() {
        let (f, d) = parse(FileId(0), "= 5\n");
        assert_eq!(d.len(), 1);
        assert!(matches!(f.items[..], [Item::Error(_)]));
    }

    #[test]
    fn region_shapes() {
        assert!(is_region_shaped("us-east-1"));
        assert!(is_region_shaped("us-gov-west-1"));
        assert!(!is_region_shaped("us-east"));
        assert!(!is_region_shaped("on-demand"));
    }
}
