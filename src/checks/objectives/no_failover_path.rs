//! DRS0402: no automated failover path for the site's database.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::FailoverMode;

declare_code!(
    CODE,
    "DRS0402",
    "no-automated-failover",
    Error,
    "the site has an Aurora database but no automated failover path",
    "## What it checks
A site with an `aurora` database has a `failover` block in `automatic` mode.

## Why it matters
R2 asks for a failover path whose estimated time fits the RTO, and R6 for an automated
one: Aurora does not fail over across regions by itself, so without the health signal →
alarm → promotion chain the secondary stays read-only. With `mode = manual` the
recovery time depends on whoever is on call, and no estimate can be proven.

## Example
```
aurora \"ledger\" { ... }
# no failover block
```

## Fix
Add one `failover` block naming the database the probe watches (and the `dns` block to
shift), for example

```
failover {
  database = ledger
  dns      = api
}
```

It promotes every Aurora database of the site. Or remove `mode = manual`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let o = cx.objectives();
    let Some(problem) = &o.recovery_time.problem else {
        return;
    };
    let m = cx.model;
    let Some(db) = m.databases.first() else {
        return;
    };
    let d = Diagnostic::new(&CODE, format!("no automated failover path: {problem}"));
    let d = match &m.failover {
        Some(fo) if fo.mode.value == FailoverMode::Manual => {
            at_value(d, &fo.mode, fo.span, "manual mode only notifies")
                .help("remove `mode = manual` so the failover promotes the secondary on its alarm (R6)")
        }
        _ => d
            .at(db.span, "nothing promotes this database")
            .help(format!(
                "add a `failover` block with `database = {}`{}; it promotes every Aurora database of the site (R6)",
                db.name,
                m.dns
                    .first()
                    .map(|x| format!(" and `dns = {}`", x.name))
                    .unwrap_or_default()
            )),
    };
    out.push(d.also(o.rto.span, "the RTO cannot be proven"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_missing_failover_block() {
        let mut m = reference();
        m.failover = None;
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.databases[0].span);
        assert_eq!(
            diags[0].help.as_deref(),
            Some("add a `failover` block with `database = ledger` and `dns = api`; it promotes every Aurora database of the site (R6)")
        );
    }

    #[test]
    fn flags_manual_mode() {
        let mut m = reference();
        m.failover.as_mut().unwrap().mode = w(FailoverMode::Manual);
        let span = m.failover.as_ref().unwrap().mode.span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn needs_no_failover_without_a_database() {
        let mut m = reference();
        m.failover = None;
        m.databases.clear();
        assert_none(&run_rule(check, &m));
    }
}
