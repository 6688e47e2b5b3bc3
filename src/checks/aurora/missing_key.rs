//! DRS0214: an Aurora database without a customer-managed key.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0214",
    "aurora-without-customer-key",
    Error,
    "an Aurora database is not encrypted with a customer-managed key",
    "## What it checks
Every `aurora` names a `key`.

## Why it matters
R8 asks for database encryption with customer-managed KMS keys in each region. Without
one, Aurora uses the AWS-managed `aws/rds` key, whose policy the site cannot control (R22)
and which cannot be shared for cross-region copies of snapshots.

## Example
```
aurora \"ledger\" {
  engine_version = 14.17
}
```

## Fix
Declare a key and name it: `key \"data\" {}` and `key = data` in the `aurora` block."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for db in &cx.model.databases {
        if db.key.is_some() {
            continue;
        }
        out.push(key_missing(&CODE, "Aurora database", &db.name, db.span, cx));
    }
}

/// The shared diagnostic for a store without `key = ...`.
pub fn key_missing(
    code: &'static crate::registry::CodeInfo,
    what: &str,
    name: &str,
    span: crate::source::Span,
    cx: &Context,
) -> Diagnostic {
    let d = Diagnostic::new(code, format!("{what} `{name}` has no customer-managed key"))
        .at(span, "no `key = ...`");
    match cx.model.keys.first() {
        Some(k) => d.help(format!("add `key = {}`", k.name)),
        None => d.help("declare `key \"data\" {}` and add `key = data`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_database_without_key() {
        let mut m = reference();
        m.databases[0].key = None;
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.databases[0].span);
        assert_eq!(diags[0].help.as_deref(), Some("add `key = data`"));
    }

    #[test]
    fn accepts_a_keyed_database() {
        assert_none(&run_rule(check, &reference()));
    }
}
