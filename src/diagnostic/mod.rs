//! The one diagnostic type every phase reports with, and its renderers
//! (terminal, JSON, SARIF; the language server converts the same type).

pub mod human;
pub mod json;
pub mod sarif;

use crate::registry::CodeInfo;
use crate::source::Span;
use serde::Serialize;
use std::sync::Arc;

/// Text of a diagnostic: fixed wording is borrowed (`&'static str`), never
/// copied into each diagnostic; text that names something is owned, or shared
/// ([`Text::shared`]) when many diagnostics say the same thing. A file with
/// 400,000 errors holds one copy of a help text, not 400,000. Reads as a `&str`.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Owned(Box<str>),
    Shared(Arc<str>),
}

impl Text {
    /// Text to be cloned into many diagnostics, one allocation for all of them.
    pub fn shared(text: impl Into<Arc<str>>) -> Text {
        Text(Repr::Shared(text.into()))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Owned(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Text {
        Text(Repr::Static(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Repr::Owned(s.into_boxed_str()))
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A list that is usually empty, one pointer wide (a `Vec` is three): most
/// diagnostics have no secondary labels and no notes. Reads as a slice.
#[derive(Clone, PartialEq, Eq)]
// The box is the point: one thin pointer, where `Vec` or `Box<[T]>` are wider.
#[allow(clippy::box_collection)]
pub struct Few<T>(Option<Box<Vec<T>>>);

impl<T> Default for Few<T> {
    fn default() -> Few<T> {
        Few(None)
    }
}

impl<T> Few<T> {
    pub fn push(&mut self, item: T) {
        self.0.get_or_insert_with(Default::default).push(item);
    }

    pub fn as_slice(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.0.as_deref_mut().map_or(&mut [], Vec::as_mut_slice)
    }
}

impl<T> std::ops::Deref for Few<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> std::ops::DerefMut for Few<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Few<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<T> From<Vec<T>> for Few<T> {
    fn from(v: Vec<T>) -> Few<T> {
        Few((!v.is_empty()).then(|| Box::new(v)))
    }
}

impl<T> FromIterator<T> for Few<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Few<T> {
        Few::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T> Extend<T> for Few<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for item in iter {
            self.push(item);
        }
    }
}

impl<T> IntoIterator for Few<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.map_or_else(Vec::new, |v| *v).into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Few<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Few<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_mut_slice().iter_mut()
    }
}

impl<T: Serialize> Serialize for Few<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

impl<T: PartialEq> PartialEq<Vec<T>> for Few<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

/// A span with a message that says what role it plays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Text,
}

/// A problem found in the user's input, with a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static CodeInfo,
    pub severity: Severity,
    pub message: Text,
    /// The place the problem is; `None` only for problems without a source (a missing file).
    pub primary: Option<Label>,
    /// Related places: where a block was opened, the profile line that demands a value, ...
    pub secondary: Few<Label>,
    pub notes: Few<String>,
    pub help: Option<Text>,
}

impl Diagnostic {
    /// A diagnostic of `code` at its default severity.
    pub fn new(code: &'static CodeInfo, message: impl Into<Text>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity,
            message: message.into(),
            primary: None,
            secondary: Few::default(),
            notes: Few::default(),
            help: None,
        }
    }

    /// Sets the primary label.
    pub fn at(mut self, span: Span, label: impl Into<Text>) -> Diagnostic {
        self.primary = Some(Label {
            span,
            message: label.into(),
        });
        self
    }

    /// Adds a secondary label.
    pub fn also(mut self, span: Span, label: impl Into<Text>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: label.into(),
        });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<Text>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The primary span, if any.
    pub fn span(&self) -> Option<Span> {
        self.primary.as_ref().map(|l| l.span)
    }
}

/// Appends `more` to `diags`, growing it by exactly that much: a file with very
/// many diagnostics would otherwise double the vector for a handful more.
pub fn extend_exact(diags: &mut Vec<Diagnostic>, more: Vec<Diagnostic>) {
    diags.reserve_exact(more.len());
    diags.extend(more);
}

/// `first` followed by `second` (which is left empty), reusing the larger
/// vector instead of copying it.
pub fn concat(mut first: Vec<Diagnostic>, second: &mut Vec<Diagnostic>) -> Vec<Diagnostic> {
    if first.len() < second.len() {
        std::mem::swap(&mut first, second);
        // `first` is now the later part: put the earlier one in front of it.
        if !second.is_empty() {
            first.reserve_exact(second.len());
            first.splice(0..0, second.drain(..));
        }
        return first;
    }
    first.reserve_exact(second.len());
    first.append(second);
    first
}

/// Sorts diagnostics by file and position, and drops exact duplicates.
///
/// The sort is stable and in place. A few out of place at the end are moved in;
/// otherwise it orders indices, ties broken by index
/// (so an unstable sort, which needs no scratch buffer, gives the stable order;
/// a stable sort of the diagnostics would take a buffer of half of them), then
/// moves each diagnostic to its place along the permutation's cycles.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    fn key(d: &Diagnostic) -> (Option<(crate::source::FileId, u32, u32)>, &'static str) {
        (d.span().map(|s| (s.file, s.start, s.end)), d.code.code)
    }
    let run = 1 + diags
        .windows(2)
        .take_while(|w| key(&w[0]) <= key(&w[1]))
        .count();
    if diags.len().saturating_sub(run) <= 8 {
        // Sorted but for a few at the end (what the model and the rules add to
        // the syntax diagnostics): insert each after its equals, in order.
        for i in run..diags.len() {
            let k = key(&diags[i]);
            let at = diags[..i].partition_point(|d| key(d) <= k);
            diags[at..=i].rotate_right(1);
        }
    } else {
        let mut order: Vec<usize> = (0..diags.len()).collect();
        order.sort_unstable_by(|&a, &b| key(&diags[a]).cmp(&key(&diags[b])).then(a.cmp(&b)));
        // `order[j]` is the diagnostic that belongs at `j`.
        for i in 0..order.len() {
            let mut j = i;
            loop {
                let k = order[j];
                order[j] = j;
                if k == i {
                    break;
                }
                diags.swap(j, k);
                j = k;
            }
        }
    }
    diags.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn a_diagnostic_stays_small() {
        assert!(std::mem::size_of::<Diagnostic>() <= 120);
        assert_eq!(std::mem::size_of::<Few<Label>>(), 8);
    }

    #[test]
    fn a_long_unsorted_list_sorts_stably() {
        let code = &crate::syntax::codes::SYNTAX;
        let mut diags: Vec<Diagnostic> = (0..40)
            .map(|i| {
                Diagnostic::new(code, format!("{i}"))
                    .at(Span::new(FileId(0), (i * 7) % 5, (i * 7) % 5), "here")
            })
            .collect();
        let mut expected = diags.clone();
        expected.sort_by_key(|d| d.span().map(|s| s.start));
        sort_and_dedup(&mut diags);
        assert_eq!(diags, expected);
    }

    #[test]
    fn sorting_is_stable_and_drops_duplicates() {
        let code = &crate::syntax::codes::SYNTAX;
        let at = |s: usize, m: &'static str| {
            Diagnostic::new(code, m).at(Span::new(FileId(0), s, s + 1), "here")
        };
        let mut diags = vec![
            at(5, "b"),
            Diagnostic::new(code, "no span"),
            at(1, "x"),
            at(5, "a"),
            at(1, "x"),
            at(3, "y"),
        ];
        sort_and_dedup(&mut diags);
        let order: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["no span", "x", "y", "b", "a"]);
    }
}
