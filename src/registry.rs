//! The one registry of diagnostic codes. Every code, from syntax errors to
//! compliance rules and backend limits, is listed here with its long
//! explanation; `drsc explain`, `drsc rules`, SARIF and LSP hover read it.

use crate::diagnostic::Severity;

/// Declares a diagnostic code: `declare_code!(NAME, "DRS0000", "kebab-name",
/// Error, "summary", "explanation")`. Every phase's codes file uses it.
macro_rules! declare_code {
    ($id:ident, $code:literal, $name:literal, $sev:ident, $summary:literal, $expl:literal) => {
        pub static $id: $crate::registry::CodeInfo = $crate::registry::CodeInfo {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            explanation: $expl,
        };
    };
}

/// A stable diagnostic code and its documentation.
#[derive(Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// `DRS` and four digits.
    pub code: &'static str,
    /// A kebab-case name for the bad pattern, e.g. `unknown-attribute`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what is wrong.
    pub summary: &'static str,
    /// Markdown: what it checks, why it matters, an example, the fix.
    pub explanation: &'static str,
}

/// Every code drsc can report, grouped by the phase that owns it.
pub fn all() -> impl Iterator<Item = &'static CodeInfo> {
    crate::syntax::codes::ALL
        .iter()
        .chain(crate::model::codes::ALL)
        .chain(crate::checks::ALL)
        .chain(crate::emit::codes::ALL)
        .copied()
}

/// Looks a code up, case-insensitively.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    all().find(|c| c.code.eq_ignore_ascii_case(code))
}
