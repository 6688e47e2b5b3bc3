//! DRS0220: a DynamoDB table without point-in-time recovery.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::{Diagnostic, Severity};

declare_code!(
    CODE,
    "DRS0220",
    "table-without-pitr",
    Error,
    "a DynamoDB table has point-in-time recovery turned off",
    "## What it checks
`pitr` is not `false`. It is an error when the site's profile sets
`require_pitr = true` (as `finserv` does) and a warning otherwise.

## Why it matters
R7 asks for point-in-time recovery on every replica. Global-table replication copies a
bad write or a mass delete to every region within seconds; PITR is the only way back to
the second before it (up to 35 days).

## Example
```
table \"transaction_meta\" {
  partition_key = \"txn_id\"
  pitr          = false
}
```

## Fix
Remove `pitr = false` (the default is `true`)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let demanded = cx.demands(|p| p.require_pitr.as_ref());
    for t in &cx.model.tables {
        if t.pitr.value {
            continue;
        }
        let mut d = at_value(
            Diagnostic::new(
                &CODE,
                format!("table `{}` has point-in-time recovery turned off", t.name),
            ),
            &t.pitr,
            t.span,
            "PITR off",
        )
        .help("remove `pitr = false` so every replica can be restored to any second (R7)");
        d = match demanded {
            Some(span) => d.also(span, "the profile requires PITR"),
            None => d.with_severity(Severity::Warning),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn is_an_error_when_the_profile_requires_pitr() {
        let mut m = reference();
        m.tables[0].pitr = w(false);
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.tables[0].pitr.span);
        assert!(diags[0].is_error());
        let demand = m
            .profile
            .as_ref()
            .unwrap()
            .require_pitr
            .as_ref()
            .unwrap()
            .span;
        assert_eq!(diags[0].secondary[0].span, demand);
    }

    #[test]
    fn is_a_warning_without_a_profile() {
        let mut m = reference();
        m.profile = None;
        m.tables[0].pitr = w(false);
        let diags = run_rule(check, &m);
        assert_eq!(diags[0].severity, Severity::Warning);
    }

    #[test]
    fn accepts_pitr_on() {
        assert_none(&run_rule(check, &reference()));
    }
}
