//! DRS0323: a failover that promotes the database but leaves DNS alone.

use crate::checks::context::list_names;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0323",
    "failover-without-dns",
    Warning,
    "the failover promotes the database but does not shift the DNS records",
    "## What it checks
When the site declares `dns` records, the `failover` block names one with `dns = ...`.

## Why it matters
R6 and R17 ask that the automation which promotes the secondary database also moves
traffic. The Route 53 health check alone shifts traffic only when the primary endpoint
itself fails; after a database-only failure the primary's application would keep
serving and writing to a database that is no longer the writer.

## Example
```
dns \"api\" { ... }
failover {
  database = ledger
}
```

## Fix
Add `dns = api` to the `failover` block."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fo) = &cx.model.failover else { return };
    if fo.dns.is_some() || cx.model.dns.is_empty() {
        return;
    }
    let names = list_names(cx.model.dns.iter().map(|d| d.name.as_str()));
    let first = &cx.model.dns[0];
    out.push(
        Diagnostic::new(
            &CODE,
            format!("the failover does not shift {names} after promoting the database"),
        )
        .at(fo.span, "no `dns = ...`")
        .also(first.span, "these records stay as they are")
        .help(format!(
            "add `dns = {}` to the failover block (R17)",
            first.name
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn warns_when_dns_is_left_out() {
        let mut m = reference();
        m.failover.as_mut().unwrap().dns = None;
        let span = m.failover.as_ref().unwrap().span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
