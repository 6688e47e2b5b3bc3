//! Codes of the front end: reading files, syntax, literals, the schema and imports.
//! Numbering: DRS00xx input and syntax, DRS001x–002x literals, DRS003x schema,
//! DRS004x imports and suppressions.

use crate::registry::CodeInfo;

declare_code!(
    FILE_UNREADABLE,
    "DRS0001",
    "file-unreadable",
    Error,
    "a file could not be read",
    "## What it checks
Every file named on the command line or in an `import` must exist and be readable.

## Why it matters
A check that silently skips a file would pass a site nobody looked at.

## Example
```
$ drsc check sites/missing.drs
error[DRS0001]: cannot read `sites/missing.drs`: No such file or directory
```

## Fix
Check the path (it is relative to the current directory on the command line, and to
the importing file in an `import`). The exit status is 2 for this problem."
);

declare_code!(
    NOT_UTF8,
    "DRS0002",
    "not-utf8",
    Error,
    "a file is not valid UTF-8",
    "## What it checks
`.drs` files are UTF-8 text. The diagnostic names the offset of the first byte that is
not valid UTF-8.

## Why it matters
Names and tags end up in AWS resources; a mis-encoded byte would become a wrong name.

## Fix
Re-save the file as UTF-8 (`iconv -f latin1 -t utf-8 site.drs`)."
);

declare_code!(
    EMPTY_FILE,
    "DRS0003",
    "empty-file",
    Error,
    "a file contains nothing to check",
    "## What it checks
A file given to `drsc check` or `drsc build` declares at least one item.

## Why it matters
An empty file is almost always a mistake (a truncated checkout, a wrong path), and a
CI job that passes on it protects nothing.

## Example
An empty `site.drs`, or one that holds only comments.

## Fix
Declare the site: `site \"name\" { primary = us-east-1 ... }`."
);

declare_code!(
    SYNTAX,
    "DRS0004",
    "syntax-error",
    Error,
    "the text does not follow the .drs syntax",
    "## What it checks
The file follows the grammar: blocks `kind \"label\" { ... }`, attributes `name = value`,
lists `[a, b]`, `import \"...\"` and `allow DRSxxxx \"reason\"`.

## Example
```
aurora \"ledger\" {
  instances 2
}
```
`instances 2` lacks the `=`.

## Fix
Follow the message: it says what was expected at that point. Other items of the file
are still checked, so fix the first error of each item first."
);

declare_code!(
    UNTERMINATED_STRING,
    "DRS0005",
    "unterminated-string",
    Error,
    "a string has no closing quote",
    "## What it checks
A string starts and ends with `\"` on the same line.

## Example
```
suffix = \"txn01
```

## Fix
Add the closing `\"`. Use `\\n` for a line break inside a string."
);

declare_code!(
    UNCLOSED_BLOCK,
    "DRS0006",
    "unclosed-block",
    Error,
    "a block or list is not closed",
    "## What it checks
Every `{` has its `}` and every `[` its `]`. When a new top-level block starts while
one is still open, drsc reports the missing `}` there and goes on checking.

## Example
```
aurora \"ledger\" {
  key = data

table \"meta\" { ... }
```

## Fix
Add the `}` where the message points."
);

declare_code!(
    MISMATCHED_BRACKET,
    "DRS0007",
    "mismatched-bracket",
    Error,
    "a closing bracket does not match what is open",
    "## What it checks
A `}` closes a `{` and a `]` closes a `[`; a closing bracket with nothing open is an error.

## Example
```
covers = [ledger, meta}
```

## Fix
Use the matching bracket, or remove the stray one."
);

declare_code!(
    NESTING_TOO_DEEP,
    "DRS0008",
    "nesting-too-deep",
    Error,
    "blocks or lists are nested too deeply",
    "## What it checks
Blocks and lists nest at most 64 levels. The check runs before parsing, so a
pathological file cannot exhaust the stack.

## Why it matters
A site needs three or four levels; thousands of levels are generated garbage or an
attack on the tool that reads them.

## Fix
Flatten the structure."
);

declare_code!(
    UNKNOWN_UNIT,
    "DRS0010",
    "unknown-unit",
    Error,
    "a number has a unit suffix drsc does not know",
    "## What it checks
Quantities carry one of the language's units: durations `s m h d w y` (a day is
exactly 24 hours, a year exactly 365 days), sizes `B KB MB GB TB` (powers of 1000) and
`KiB MiB GiB TiB` (powers of 1024), and `%`.

## Example
```
rpo = 1hr
```

## Fix
Use one of the units above: `rpo = 1h`."
);

declare_code!(
    MALFORMED_NUMBER,
    "DRS0011",
    "malformed-number",
    Error,
    "a number is out of range or has a fraction where none is allowed",
    "## What it checks
Integers fit in 64 bits; durations and sizes are whole numbers of their unit;
percentages have at most two decimals.

## Example
```
rpo = 1.5h
```

## Fix
Use a smaller unit: `rpo = 90m`."
);

declare_code!(
    MALFORMED_CIDR,
    "DRS0012",
    "malformed-cidr",
    Error,
    "a CIDR block is not a valid IPv4 network",
    "## What it checks
CIDR blocks have four octets 0–255 and a prefix length 0–32, with no host bits set
beyond the prefix.

## Example
```
primary_cidr = 10.300.0.0/16
```

## Fix
Write a valid network such as `10.30.0.0/16`."
);

declare_code!(
    MALFORMED_REGION,
    "DRS0013",
    "malformed-region",
    Error,
    "a region name is not shaped like an AWS region",
    "## What it checks
Region literals look like `us-east-1`: a two-letter area, one or more words, and a
number, separated by dashes. Whether the region exists is checked against the
region catalog (`std/regions`) by the semantic checks.

## Example
```
primary = us-east
```

## Fix
Write the full region code: `us-east-1`."
);

declare_code!(
    MALFORMED_DATE,
    "DRS0014",
    "malformed-date",
    Error,
    "a date is not a valid calendar date",
    "## What it checks
Dates are `YYYY-MM-DD` and name a real day.

## Example
```
as_of = 2026-02-30
```

## Fix
Use a valid day."
);

declare_code!(
    INVALID_ESCAPE,
    "DRS0015",
    "invalid-escape",
    Error,
    "a string contains an unknown escape sequence",
    "## What it checks
Strings allow the escapes `\\\\`, `\\\"`, `\\n`, `\\t` and `\\u{...}`.

## Fix
Double the backslash to write a literal `\\`."
);

declare_code!(
    UNKNOWN_BLOCK,
    "DRS0030",
    "unknown-block",
    Error,
    "a block kind is not part of the language",
    "## What it checks
Every block kind is one the schema knows, in a place where it is allowed (for example
`rule` only inside `backup`). The message suggests the closest known kind.

## Example
```
auroa \"ledger\" { }
```

## Fix
Use the suggested kind. `specs/language.md` lists every block."
);

declare_code!(
    UNKNOWN_ATTRIBUTE,
    "DRS0031",
    "unknown-attribute",
    Error,
    "an attribute is not allowed in this block",
    "## What it checks
Every attribute is one the schema lists for its block. The message suggests the
closest known name.

## Example
```
table \"meta\" {
  pitr_enabled = true
}
```

## Fix
Use the suggested name (`pitr`)."
);

declare_code!(
    DUPLICATE_ATTRIBUTE,
    "DRS0032",
    "duplicate-attribute",
    Error,
    "an attribute is set twice in one block",
    "## What it checks
An attribute appears at most once per block.

## Why it matters
With two values, one silently wins; in a DR site that may be the wrong RPO.

## Fix
Remove one of them."
);

declare_code!(
    WRONG_TYPE,
    "DRS0033",
    "wrong-type",
    Error,
    "a value has the wrong type or unit for its attribute",
    "## What it checks
Each attribute has a type: a duration, a size, a CIDR, a region, a version, a name of
another declaration, one of a fixed set of words, and so on.

## Example
```
rpo = 10GB
```
An RPO is a duration, not a size.

## Fix
Write a value of the expected type: `rpo = 1h`."
);

declare_code!(
    MISSING_ATTRIBUTE,
    "DRS0034",
    "missing-attribute",
    Error,
    "a required attribute is missing",
    "## What it checks
Attributes without a default that the model cannot do without must be written, for
example the primary and secondary regions of a site.

## Fix
Add the attribute the message names."
);

declare_code!(
    BAD_LABEL,
    "DRS0035",
    "bad-label",
    Error,
    "a block has a label it must not have, lacks one it needs, or the label is not a valid name",
    "## What it checks
Declarations that others refer to (`aurora \"ledger\"`) need a label; singleton blocks
(`monitoring`) take none. Labels that are referenced must be lowercase names
(`[a-z][a-z0-9_]*`) so that `covers = [ledger]` can name them.

## Fix
Add, remove or rename the label as the message says."
);

declare_code!(
    OUT_OF_RANGE,
    "DRS0036",
    "out-of-range",
    Error,
    "a value is outside the range the attribute allows",
    "## What it checks
Numbers and quantities lie within the limits of the setting they feed, e.g. Route 53
failure thresholds 1–10, Lambda timeouts up to 15 minutes.

## Fix
Use a value inside the range the message gives."
);

declare_code!(
    MISSING_IMPORT,
    "DRS0040",
    "missing-import",
    Error,
    "an imported file or stdlib module does not exist",
    "## What it checks
`import \"std/NAME\"` names a module shipped inside drsc; `import \"./file.drs\"` names a
file relative to the importing file.

## Fix
Check the spelling; `drsc` lists the stdlib modules in the message."
);

declare_code!(
    IMPORT_CYCLE,
    "DRS0041",
    "import-cycle",
    Error,
    "files import each other in a cycle",
    "## What it checks
The import graph has no cycles.

## Example
`a.drs` imports `b.drs`, which imports `a.drs`.

## Fix
Move what both need into a third file that both import."
);

declare_code!(
    IMPORT_ESCAPES,
    "DRS0042",
    "import-escapes-project",
    Error,
    "an import path leaves the project directory",
    "## What it checks
Imports stay inside the directory of the file given on the command line (the project).
Absolute paths and `..` that climb above it are rejected.

## Why it matters
A site must build the same on every machine; a path outside the repository makes it
depend on whatever lies there.

## Fix
Copy the shared file into the repository, or use a stdlib module."
);

declare_code!(
    BAD_SUPPRESSION,
    "DRS0043",
    "bad-suppression",
    Error,
    "an `allow` names an unknown code or gives no reason",
    "## What it checks
`allow DRSxxxx \"reason\"` names an existing code and a non-empty reason.

## Why it matters
A suppression is an audited exception; its reason is what an auditor reads.

## Fix
Name a real code (`drsc rules` lists them) and say why the exception is acceptable."
);

declare_code!(
    UNUSED_SUPPRESSION,
    "DRS0044",
    "unused-suppression",
    Warning,
    "an `allow` silences nothing",
    "## What it checks
Every `allow` suppresses at least one diagnostic in its block.

## Why it matters
A stale exception hides the next real problem of that kind.

## Fix
Remove the `allow`."
);

/// Every front-end code, in order.
pub static ALL: &[&CodeInfo] = &[
    &FILE_UNREADABLE,
    &NOT_UTF8,
    &EMPTY_FILE,
    &SYNTAX,
    &UNTERMINATED_STRING,
    &UNCLOSED_BLOCK,
    &MISMATCHED_BRACKET,
    &NESTING_TOO_DEEP,
    &UNKNOWN_UNIT,
    &MALFORMED_NUMBER,
    &MALFORMED_CIDR,
    &MALFORMED_REGION,
    &MALFORMED_DATE,
    &INVALID_ESCAPE,
    &UNKNOWN_BLOCK,
    &UNKNOWN_ATTRIBUTE,
    &DUPLICATE_ATTRIBUTE,
    &WRONG_TYPE,
    &MISSING_ATTRIBUTE,
    &BAD_LABEL,
    &OUT_OF_RANGE,
    &MISSING_IMPORT,
    &IMPORT_CYCLE,
    &IMPORT_ESCAPES,
    &BAD_SUPPRESSION,
    &UNUSED_SUPPRESSION,
];
