//! DRS0221: a DynamoDB table without a customer-managed key.

use crate::checks::aurora::missing_key::key_missing;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0221",
    "table-without-customer-key",
    Error,
    "a DynamoDB table is not encrypted with a customer-managed key",
    "## What it checks
Every `table` names a `key`; drsc uses that key's copy in each region for the replica
there.

## Why it matters
R8 asks for database encryption with customer-managed KMS keys in each region. Without
one, DynamoDB uses an AWS-owned key the site cannot audit or restrict (R22).

## Example
```
table \"transaction_meta\" {
  partition_key = \"txn_id\"
}
```

## Fix
Add `key = data` (declaring `key \"data\" {}` if the site has no key yet)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for t in &cx.model.tables {
        if t.key.is_none() {
            out.push(key_missing(&CODE, "table", &t.name, t.span, cx));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_table_without_key() {
        let mut m = reference();
        m.tables[0].key = None;
        assert_one(&run_rule(check, &m), &CODE, m.tables[0].span);
    }

    #[test]
    fn accepts_a_keyed_table() {
        assert_none(&run_rule(check, &reference()));
    }
}
