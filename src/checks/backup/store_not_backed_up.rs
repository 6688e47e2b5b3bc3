//! DRS0284: a stateful store no backup plan covers.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0284",
    "store-not-backed-up",
    Error,
    "a stateful store is not covered by any backup plan",
    "## What it checks
Every `aurora`, every `table`, and every `bucket` with `backup = true` is listed in the
`covers` of some `backup` plan.

## Why it matters
R13 asks for backup selections covering Aurora and every other stateful resource.
Replication copies mistakes to the secondary within seconds; only a backup goes back
in time.

## Example
```
table \"transaction_meta\" { partition_key = \"txn_id\" }
backup \"dr\" {
  covers = [ledger]
}
```

## Fix
Add the store to a plan's `covers`, e.g. `covers = [ledger, transaction_meta]`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for store in cx.stores() {
        if !store.needs_backup || cx.is_covered(store.name) {
            continue;
        }
        let mut d = Diagnostic::new(
            &CODE,
            format!(
                "{} `{}` is not covered by any backup plan",
                store.kind.block(),
                store.name
            ),
        )
        .at(store.span, "no backup plan covers this");
        d = match cx.model.backups.first() {
            Some(p) => d
                .also(p.span, "this plan does not cover it")
                .help(format!("add `{}` to the `covers` of `{}` (R13)", store.name, p.name)),
            None => d.help(format!(
                "declare a plan: `backup \"dr\" {{ covers = [{}] rule \"hourly\" {{ every = 1h  retain = 35d }} }}` (R13)",
                store.name
            )),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_an_uncovered_table() {
        let mut m = reference();
        m.backups[0].covers.retain(|r| r.name != "transaction_meta");
        assert_one(&run_rule(check, &m), &CODE, m.tables[0].span);
    }

    #[test]
    fn buckets_need_coverage_only_when_asked() {
        let mut m = reference();
        m.backups[0].covers.retain(|r| r.name != "documents");
        assert_none(&run_rule(check, &m));
        m.buckets[0].backup = w(true);
        assert_one(&run_rule(check, &m), &CODE, m.buckets[0].span);
    }
}
