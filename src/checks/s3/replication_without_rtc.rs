//! DRS0233: standard replication where the profile demands RTC.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Replication;

declare_code!(
    CODE,
    "DRS0233",
    "bucket-replication-without-rtc",
    Error,
    "a bucket replicates without Replication Time Control although the profile requires it",
    "## What it checks
When the profile sets `require_replication_time_control = true`, every replicated bucket
uses `replication = rtc`.

## Why it matters
S3 replication without RTC has no time commitment: large objects can take hours (R9).
RTC replicates 99.9 % of objects within 15 minutes under an SLA, which is what lets the
site prove its RPO (R2).

## Example
```
site \"x\" { profile = finserv }
bucket \"documents\" {
  replication = standard
}
```

## Fix
Set `replication = rtc`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(demand) = cx.demands(|p| p.require_replication_time_control.as_ref()) else {
        return;
    };
    for b in &cx.model.buckets {
        if b.replication.value != Replication::Standard {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "bucket `{}` replicates without Replication Time Control",
                        b.name
                    ),
                ),
                &b.replication,
                b.span,
                "no time commitment",
            )
            .also(demand, "the profile requires RTC")
            .help("set `replication = rtc`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_standard_replication_under_finserv() {
        let mut m = reference();
        m.buckets[0].replication = w(Replication::Standard);
        assert_one(&run_rule(check, &m), &CODE, m.buckets[0].replication.span);
        m.profile = None;
        assert_none(&run_rule(check, &m));
    }

    #[test]
    fn accepts_rtc() {
        assert_none(&run_rule(check, &reference()));
    }
}
