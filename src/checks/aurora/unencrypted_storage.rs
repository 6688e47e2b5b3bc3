//! DRS0213: Aurora storage encryption turned off.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0213",
    "aurora-storage-unencrypted",
    Error,
    "Aurora storage encryption is off",
    "## What it checks
`storage_encrypted` is not `false`.

## Why it matters
R8 and R23 ask for encryption at rest everywhere. An unencrypted global database cannot
be encrypted later without a snapshot restore, and its secondary cluster must match the
primary.

## Example
```
aurora \"ledger\" {
  storage_encrypted = false
}
```

## Fix
Remove `storage_encrypted = false` (the default is `true`) and name a customer-managed
key with `key = ...`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for db in &cx.model.databases {
        if db.storage_encrypted.value {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(&CODE, format!("`{}` stores data unencrypted", db.name)),
                &db.storage_encrypted,
                db.span,
                "encryption at rest turned off",
            )
            .help("remove `storage_encrypted = false` and set `key = ...` (R8, R23)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_unencrypted_storage() {
        let mut m = reference();
        m.databases[0].storage_encrypted = w(false);
        assert_one(
            &run_rule(check, &m),
            &CODE,
            m.databases[0].storage_encrypted.span,
        );
    }

    #[test]
    fn accepts_encrypted_storage() {
        assert_none(&run_rule(check, &reference()));
    }
}
