//! DRS0232: a bucket that is not replicated to the secondary.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Replication;

declare_code!(
    CODE,
    "DRS0232",
    "bucket-unreplicated",
    Error,
    "an S3 bucket is not replicated to the secondary region",
    "## What it checks
`replication` is not `none`.

## Why it matters
R9 asks for cross-region replication of the document buckets, primary → secondary. An
unreplicated bucket's objects exist in the secondary only as backup copies, hours old at
best, so the site's RPO usually cannot hold (R2; the objectives check reports by how
much).

## Example
```
bucket \"documents\" {
  replication = none
}
```

## Fix
Use `replication = rtc` (15-minute replication SLA) or `replication = standard`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for b in &cx.model.buckets {
        if b.replication.value != Replication::None {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "bucket `{}` is not replicated to the secondary region",
                        b.name
                    ),
                ),
                &b.replication,
                b.span,
                "no replication",
            )
            .help("set `replication = rtc` (R9)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_replication_none() {
        let mut m = reference();
        m.buckets[0].replication = w(Replication::None);
        assert_one(&run_rule(check, &m), &CODE, m.buckets[0].replication.span);
    }

    #[test]
    fn accepts_replicated_buckets() {
        let mut m = reference();
        assert_none(&run_rule(check, &m));
        m.buckets[0].replication = w(Replication::Standard);
        assert_none(&run_rule(check, &m));
    }
}
