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
        .chain(crate::lower::codes::ALL)
        .chain(crate::emit::codes::ALL)
        .chain(INTERNAL_CODES)
        .copied()
}

declare_code!(
    INTERNAL,
    "DRS0903",
    "internal-error",
    Error,
    "drsc reached a state its checks exclude: this is a bug in drsc",
    "## What it checks
Nothing about the site. Lowering and the backends report this code when they meet a state
that `check` should have made impossible (a reference to a node that does not exist, a
stack that needs a value from a stack deployed later, a schedule the checks accepted but no
backend can spell). They never fall back to a default instead: a guessed value would deploy
something the site does not say.

## Why it matters
A template with a placeholder fails half-way through a deployment, or worse, deploys.

## Example
```
error[DRS0903]: internal: `ingest` in stack `primary` needs `arn` of `key/data/secondary` from a stack deployed later
  = note: this is a bug in drsc; please report it with the site file
```

## Fix
None in the site: please report it with the site file. `drsc check` lists any real problem
of the site first; `build` writes nothing while this code is present. (R30)"
);

static INTERNAL_CODES: &[&CodeInfo] = &[&INTERNAL];

/// An internal-error diagnostic ([`INTERNAL`]): `message` says what was impossible.
pub fn internal(message: impl Into<String>) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::new(&INTERNAL, format!("internal: {}", message.into()))
        .note("this is a bug in drsc; please report it with the site file")
}

/// Looks a code up, case-insensitively.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    all().find(|c| c.code.eq_ignore_ascii_case(code))
}
