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
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let scanned = scan::scan(file, text);
    let mut diags = scanned.diagnostics;
    let mut items = Vec::new();
    let blanked = blank_comments(text, &scanned.comments);
    for chunk in scanned.chunks.iter().filter(|c| !c.poisoned) {
        items.extend(parse_chunk(file, &blanked, chunk, &mut diags));
    }
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
) -> Option<Item> {
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
    match DrsParser::parse(Rule::top_item, src) {
        Ok(mut pairs) => {
            let item = pairs.next()?.into_inner().next()?;
            let mut cx = Cx {
                file,
                offset: chunk.start,
                limit: chunk.end,
                diags,
            };
            cx.item(item)
        }
        Err(e) => {
            diags.push(pest_error(file, text, chunk, &e));
            None
        }
    }
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

    fn name(&self, p: Pair<Rule>) -> Name {
        let span = self.span(&p);
        Name {
            text: p.as_str().to_string(),
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
                let reason = self.string_name(inner.next()?);
                Some(Item::Allow(Allow { code, reason, span }))
            }
            Rule::block => self.block(p).map(Item::Block),
            Rule::attribute => self.attribute(p).map(Item::Attribute),
            _ => None,
        }
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
        // `extend` reserves room for four items; most blocks hold one or two.
        body.shrink_to_fit();
        Some(Block {
            kind,
            label,
            body,
            doc: None,
            open,
            close,
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
            text: self.unescape(raw, span),
            span,
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
                ValueKind::String(self.unescape(raw, span))
            }
            Rule::list => ValueKind::List(p.into_inner().map(|v| self.value(v)).collect()),
            Rule::word => match text {
                "true" => ValueKind::Bool(true),
                "false" => ValueKind::Bool(false),
                _ if text.contains('-') => self.region(text, span),
                _ => ValueKind::Ident(text.to_string()),
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
                Ok(parts) => ValueKind::Version(Version { parts }),
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
        match units::parse_quantity(text) {
            Ok(Quantity::Duration(d)) => ValueKind::Duration(d),
            Ok(Quantity::Size(s)) => ValueKind::Size(s),
            Ok(Quantity::Percent(p)) => ValueKind::Percent(p),
            Err(QuantityError::UnknownUnit { unit }) => {
                let mut d = Diagnostic::new(&codes::UNKNOWN_UNIT, format!("unknown unit `{unit}`"))
                    .at(span, "not a unit drsc knows");
                d = match crate::suggest::closest(&unit, units::all_suffixes()) {
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
            return ValueKind::Region(text.to_string());
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
            let doc = doc_above(start, docs, text);
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
        assert_eq!(f.items.len(), 1);
    }

    #[test]
    fn region_shapes() {
        assert!(is_region_shaped("us-east-1"));
        assert!(is_region_shaped("us-gov-west-1"));
        assert!(!is_region_shaped("us-east"));
        assert!(!is_region_shaped("on-demand"));
    }
}
