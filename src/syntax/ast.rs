//! The syntax tree. Every node carries its span; the tree is generic
//! (blocks, attributes, values) and the schema gives it meaning.

use crate::source::{FileId, Span};
use crate::units::{DataSize, Duration, Percent};

/// A parsed file: its items (what could be built) and its comments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    pub items: Vec<Item>,
    pub comments: Vec<Comment>,
}

/// A top-level or nested item.
///
/// Parsing never drops an item: a block with a syntax error inside stays a
/// [`Block`] with what parsed of it (kind, label, the items before and after the
/// error, nested blocks), and the text that did not parse becomes an
/// [`Item::Error`] node in its body ([`Block::is_partial`]). A top-level item
/// whose header did not parse is one error node.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Import(Import),
    Allow(Allow),
    Block(Block),
    Attribute(Attribute),
    Error(ErrorNode),
}

/// Text that did not parse, standing where an item should be. A syntax
/// diagnostic was reported for the item it is part of.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorNode {
    pub span: Span,
}

impl File {
    /// Points every span of the tree at `file` (for a tree parsed once and
    /// reused in another source database).
    pub fn set_file(&mut self, file: FileId) {
        for item in &mut self.items {
            item.set_file(file);
        }
        for c in &mut self.comments {
            c.span.file = file;
        }
    }
}

impl Item {
    fn set_file(&mut self, file: FileId) {
        match self {
            Item::Import(i) => {
                i.path.span.file = file;
                i.span.file = file;
            }
            Item::Allow(a) => {
                a.code.span.file = file;
                a.reason.span.file = file;
                a.span.file = file;
            }
            Item::Block(b) => {
                b.kind.span.file = file;
                if let Some(l) = &mut b.label {
                    l.span.file = file;
                }
                b.span.file = file;
                for item in &mut b.body {
                    item.set_file(file);
                }
            }
            Item::Attribute(a) => {
                a.key.span.file = file;
                a.value.set_file(file);
                a.span.file = file;
            }
            Item::Error(e) => e.span.file = file,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Item::Import(i) => i.span,
            Item::Allow(a) => a.span,
            Item::Block(b) => b.span,
            Item::Attribute(a) => a.span,
            Item::Error(e) => e.span,
        }
    }
}

/// A name with its span (block kinds, attribute keys, labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: Str,
    pub span: Span,
}

/// Immutable text of the tree: one pointer wide, shared. The parser gives every
/// occurrence of the same text in a file one allocation (a file of 400,000
/// `block "b" { key = "value" }` holds four strings, not 1.6 million), and a
/// [`Name`] is 24 bytes instead of 40. Reads as a `&str`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Str(std::sync::Arc<String>);

impl Str {
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl std::borrow::Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str(std::sync::Arc::new(s))
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        Str::from(s.to_string())
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.as_str().to_string()
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

/// One [`Str`] per distinct text (the parser's, for one file).
#[derive(Default)]
pub(crate) struct Interner(std::collections::HashSet<Str>);

impl Interner {
    pub(crate) fn get(&mut self, text: &str) -> Str {
        if let Some(s) = self.0.get(text) {
            return s.clone();
        }
        let s = Str::from(text);
        self.0.insert(s.clone());
        s
    }
}

/// `import "std/finserv"` or `import "./baseline.drs"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub path: Name,
    pub span: Span,
}

/// `allow DRS0123 "reason"`: silences one code inside the enclosing block.
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    pub code: Name,
    /// The reason; a missing one is empty text with an empty span right after
    /// the code (validation reports it).
    pub reason: Name,
    pub span: Span,
}

/// `kind "label" { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: Name,
    pub label: Option<Name>,
    /// Exactly as long as it is (a block's items are fixed once parsed).
    pub body: Box<[Item]>,
    /// The text of the `##` doc comment lines right above the block.
    pub doc: Option<Str>,
    pub braces: Braces,
    pub span: Span,
}

/// A block's `{` and `}`: where they are, and whether each is written (a
/// missing one is an empty span there), in the block's file. Twelve bytes where
/// two spans are twenty-four, and the flags leave [`Item`] room for its tag:
/// an item is the size of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Braces {
    pub open: u32,
    pub close: u32,
    pub open_written: bool,
    pub close_written: bool,
}

impl Braces {
    /// The braces at `open` and `close` (each one byte, or empty where missing).
    pub fn new(open: Span, close: Span) -> Braces {
        Braces {
            open: open.start,
            close: close.start,
            open_written: open.end > open.start,
            close_written: close.end > close.start,
        }
    }
}

impl Block {
    /// The span of the `{` (empty where it is missing).
    pub fn open_span(&self) -> Span {
        let b = self.braces;
        let at = b.open as usize;
        Span::new(self.span.file, at, at + usize::from(b.open_written))
    }

    /// The span of the `}` (empty where it is missing).
    pub fn close_span(&self) -> Span {
        let b = self.braces;
        let at = b.close as usize;
        Span::new(self.span.file, at, at + usize::from(b.close_written))
    }

    /// `aurora "ledger"` or `monitoring`: how messages name the block.
    pub fn title(&self) -> String {
        match &self.label {
            Some(l) => format!("{} \"{}\"", self.kind.text, l.text),
            None => self.kind.text.to_string(),
        }
    }

    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.body.iter().filter_map(|i| match i {
            Item::Attribute(a) => Some(a),
            _ => None,
        })
    }

    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.body.iter().filter_map(|i| match i {
            Item::Block(b) => Some(b),
            _ => None,
        })
    }

    pub fn allows(&self) -> impl Iterator<Item = &Allow> {
        self.body.iter().filter_map(|i| match i {
            Item::Allow(a) => Some(a),
            _ => None,
        })
    }

    /// The error nodes directly in the body: the text of the block that did not parse.
    pub fn errors(&self) -> impl Iterator<Item = &ErrorNode> {
        self.body.iter().filter_map(|i| match i {
            Item::Error(e) => Some(e),
            _ => None,
        })
    }

    /// Whether part of the block did not parse (its body holds an error node).
    pub fn is_partial(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The first attribute with this key.
    pub fn attr(&self, key: &str) -> Option<&Attribute> {
        self.attributes().find(|a| a.key.text == key)
    }
}

/// `key = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: Name,
    /// Whether the key was written as a string (`"DR-Role" = ...`).
    pub quoted_key: bool,
    pub value: Value,
    pub doc: Option<Str>,
    pub span: Span,
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

impl Value {
    fn set_file(&mut self, file: FileId) {
        self.span.file = file;
        if let ValueKind::List(items) = &mut self.kind {
            for v in items {
                v.set_file(file);
            }
        }
    }
}

/// A literal or reference. Quantities keep the unit the user wrote so the
/// formatter prints `60m` back as `60m`.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    String(Str),
    Integer(i64),
    Bool(bool),
    Duration(Duration),
    Size(DataSize),
    Percent(Percent),
    Cidr(Cidr),
    Version(Version),
    Date(Date),
    /// A dashed word such as `us-east-1` (a region name, checked against the catalog later).
    Region(Str),
    /// A bare identifier: an enum value or a reference to a declaration; the schema decides.
    Ident(Str),
    List(Box<[Value]>),
    /// A literal that failed to parse; a diagnostic was reported for it.
    Error,
}

impl ValueKind {
    /// What kind of value this is, in the words of messages ("a duration").
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Integer(_) => "an integer",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Duration(_) => "a duration",
            ValueKind::Size(_) => "a data size",
            ValueKind::Percent(_) => "a percentage",
            ValueKind::Cidr(_) => "a CIDR block",
            ValueKind::Version(_) => "a version",
            ValueKind::Date(_) => "a date",
            ValueKind::Region(_) => "a region name",
            ValueKind::Ident(_) => "a name",
            ValueKind::List(_) => "a list",
            ValueKind::Error => "an invalid value",
        }
    }
}

/// An IPv4 CIDR block, e.g. `10.20.0.0/16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    pub addr: [u8; 4],
    pub prefix: u8,
}

impl Cidr {
    /// The first and last address as integers.
    pub fn range(self) -> (u32, u32) {
        let base = u32::from_be_bytes(self.addr);
        let mask = if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - self.prefix)
        };
        (base & mask, (base & mask) | !mask)
    }

    pub fn overlaps(self, other: Cidr) -> bool {
        let (a0, a1) = self.range();
        let (b0, b1) = other.range();
        a0 <= b1 && b0 <= a1
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [a, b, c, d] = self.addr;
        write!(f, "{a}.{b}.{c}.{d}/{}", self.prefix)
    }
}

/// A dotted version such as `14.9` or `3.12`; also used for decimals like `0.5`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub parts: Box<[u32]>,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.parts.iter().map(|p| p.to_string()).collect();
        f.write_str(&parts.join("."))
    }
}

/// A calendar date `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The date, if `year-month-day` names a real day.
    pub fn from_ymd(year: u32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        (year <= u16::MAX as u32 && (1..=days_in_month).contains(&day)).then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    pub fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A comment kept for the formatter; `doc` for `##` comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
    pub doc: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of hundreds of thousands of items must stay small (the hostile
    /// volume of `benches/pipeline.rs`): these sizes are what it is measured with.
    #[test]
    fn nodes_stay_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<Str>(), 8);
        assert_eq!(size_of::<Name>(), 24);
        // Smaller than a block, so the item's tag fits in a block's niche.
        assert!(size_of::<Attribute>() < size_of::<Block>());
        assert_eq!(size_of::<Block>(), 96);
        assert_eq!(size_of::<Item>(), size_of::<Block>());
    }
}
