//! DRS0324: an Aurora database the failover does not promote.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0324",
    "aurora-without-failover",
    Error,
    "an Aurora global database has no automated failover",
    "## What it checks
Every `aurora` is the `database` of the site's `failover` block. (A site without any
`failover` block is reported by DRS0402.)

## Why it matters
R6: Aurora does not fail over across regions by itself. A global database the failover
automation does not promote stays read-only in the secondary region after a disaster,
however healthy its replica is.

## Example
```
aurora \"ledger\" { ... }
aurora \"audit\"  { ... }
failover { database = ledger }
```

## Fix
Fail over every database, or merge the databases into one cluster."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fo) = &cx.model.failover else { return };
    for db in &cx.model.databases {
        if db.name == fo.database.name {
            continue;
        }
        out.push(
            Diagnostic::new(
                &CODE,
                format!(
                    "Aurora database `{}` is not promoted by the failover",
                    db.name
                ),
            )
            .at(db.span, "no automated failover")
            .also(fo.database.span, "the failover promotes only this database")
            .help("R6: every global database needs an automated promotion"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_second_database() {
        let mut m = reference();
        let mut audit = m.databases[0].clone();
        audit.name = "audit".into();
        audit.span = sp();
        let span = audit.span;
        m.databases.push(audit);
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
