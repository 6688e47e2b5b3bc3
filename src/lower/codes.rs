//! Codes of lowering: a value that cannot be derived exactly. Numbering:
//! DRS0910–DRS0919. (What AWS accepts of a derived value is checked by the
//! plan rules, `crate::checks::plan`; drsc's own inconsistencies are
//! [`crate::registry::INTERNAL`].)

use crate::diagnostic::Diagnostic;
use crate::registry::CodeInfo;
use crate::source::Span;

declare_code!(
    INEXACT,
    "DRS0910",
    "value-not-whole-units",
    Error,
    "a value is not a whole number of the unit AWS counts it in",
    "## What it checks
Lowering turns each duration and size into the unit AWS takes for that property: days for
retention periods, key rotation and deletion windows; minutes for backup windows; MiB for
Lambda memory. A value that is not a whole number of that unit cannot be emitted exactly.

## Why it matters
Rounding would deploy something other than what the site says (R2, R12): `retain = 36h`
would keep recovery points for 2 days, and the compliance proof would be about a value that
is never deployed. drsc never rounds a value; it asks you to pick one.

## Example
```
error[DRS0910]: `retain = 36h` is not a whole number of days
  help: AWS Backup counts retention in whole days: write `1d` or `2d`
```

## Fix
Write the value in the unit AWS counts, choosing the nearest value you mean (the help line
names the two nearest)."
);

/// Every lowering code.
pub static ALL: &[&CodeInfo] = &[&INEXACT];

/// DRS0910 for `what = written` (e.g. `retain = 36h`), which is not whole `unit`s.
pub(crate) fn inexact(
    span: Span,
    what: &str,
    written: &str,
    unit: &str,
    nearest: &[String],
) -> Diagnostic {
    let quoted: Vec<String> = nearest.iter().map(|n| format!("`{n}`")).collect();
    let choices = match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    };
    Diagnostic::new(
        &INEXACT,
        format!("`{what} = {written}` is not a whole number of {unit}"),
    )
    .at(span, format!("AWS counts this in {unit}"))
    .help(if choices.is_empty() {
        format!("write a whole number of {unit}")
    } else {
        format!("write {choices}")
    })
}
