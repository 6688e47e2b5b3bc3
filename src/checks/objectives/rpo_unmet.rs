//! DRS0400: a data store whose recovery point exceeds the RPO.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::StoreKind;
use crate::objectives::{pretty, Source, StoreRecovery};

declare_code!(
    CODE,
    "DRS0400",
    "rpo-unmet",
    Error,
    "a data store cannot meet the site's RPO with the mechanisms declared",
    "## What it checks
For every data store, drsc computes the recovery point its declared mechanisms achieve
in the secondary region and compares it with the site's `rpo`:

| Mechanism | Recovery point (from `std/timing`) |
|---|---|
| Aurora global database | `aurora_global_replication_lag` (typically under 1s) |
| DynamoDB global table | `dynamodb_global_replication` (a few seconds) |
| S3 replication with RTC | `s3_rtc_replication` (15m for 99.9 % of objects) |
| S3 replication without RTC | `s3_crr_replication_without_rtc` (no commitment; 24h stand-in) |
| Backups copied to the secondary | shortest copying rule's `every` + `backup_copy_duration` |
| None of these | unbounded |

The best mechanism counts. The message names the store, the gap and the mechanism;
`drsc check` prints every term with its source in the objectives summary.

## Why it matters
R2: the checker proves that every protected data store meets the RPO through a real
mechanism (continuous replication, or a backup schedule no longer than the RPO). A
site that cannot meet its objectives must not pass review because of a number in a
document.

## Example
```
site \"transactions\" { rpo = 1h }
bucket \"documents\" {
  replication = none
}
backup \"dr\" {
  covers = [documents]
  rule \"daily\" { every = 1d  retain = 35d }
}
```
```
error[DRS0400]: documents: recovery point 1d 1h exceeds RPO 1h by 1d: no replication and daily backups
```

## Fix
Use a mechanism that fits: `replication = rtc` for buckets, or a backup rule running at
least as often as the RPO minus the copy time. If no mechanism can reach the RPO (e.g.
`rpo = 0s`), the objective itself needs revisiting."
);

/// The headline: "documents: recovery point 25h exceeds RPO 1h by 24h: no replication ...".
pub fn headline(s: &StoreRecovery, rpo: &str) -> String {
    match (s.recovery_point, s.shortfall) {
        (Some(p), Some(gap)) => format!(
            "{}: recovery point {} exceeds RPO {rpo} by {}: {}",
            s.store,
            pretty(p),
            pretty(gap),
            s.mechanism
        ),
        _ if s.unknown => format!(
            "{}: recovery point unknown (an invalid value), RPO {rpo}: {}",
            s.store, s.mechanism
        ),
        _ => format!(
            "{}: recovery point unbounded, RPO {rpo}: {}",
            s.store, s.mechanism
        ),
    }
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let o = cx.objectives();
    // An unknown figure is reported too: its labels point into the invalid value, so
    // the driver holds it back (and an `allow` for it is not unused).
    for s in o.stores.iter().filter(|s| !s.meets_rpo || s.unknown) {
        let mut d = Diagnostic::new(&CODE, headline(s, &o.rpo.display))
            .at(s.cause, format!("recovery point {}", s.display))
            .also(o.rpo.span, "the RPO");
        for t in &s.terms {
            match &t.source {
                Source::Declaration { spans, .. } => {
                    for sp in spans {
                        d = d.also(*sp, format!("{}: {}", t.name, t.display));
                    }
                }
                Source::Timing { key, reference, .. } => {
                    d = d.note(format!(
                        "{} {} from `{key}`: {reference}",
                        t.name, t.display
                    ));
                }
                Source::Missing { key } => {
                    d = d.note(format!("`{key}` is missing from the timing catalog"));
                }
            }
        }
        // A store already backed up as often as the RPO misses it by the copy time:
        // saying "back up every <RPO>" would repeat what the site does.
        let backs_up_at_rpo = s
            .terms
            .iter()
            .any(|t| t.name == "backup interval" && t.value <= o.rpo.seconds);
        let help = match s.kind {
            StoreKind::Bucket if backs_up_at_rpo => format!(
                "the copy to the secondary comes on top of the backup interval: set `replication = rtc` \
                 (15m), or raise the RPO above {} (R2, R9, R12)",
                s.display
            ),
            StoreKind::Bucket => format!(
                "set `replication = rtc` (15m), or back up at least every {} (R2, R9, R12)",
                o.rpo.display
            ),
            _ => "replication cannot do better; raise the RPO to what the mechanism achieves (R2)"
                .to_string(),
        };
        out.push(d.help(help));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::Replication;

    #[test]
    fn names_the_store_and_the_gap() {
        let mut m = reference();
        m.buckets[0].replication = w(Replication::None);
        m.backups[0].rules[0].every = w(days(1));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.buckets[0].replication.span);
        assert_eq!(
            diags[0].message,
            "documents: recovery point 1d 1h exceeds RPO 1h by 1d: no replication and daily backups"
        );
        assert_eq!(diags[0].secondary[0].span, m.site.rpo.span);
        assert_eq!(diags[0].secondary[1].span, m.backups[0].rules[0].every.span);
    }

    #[test]
    fn hourly_backups_miss_an_hourly_rpo_by_the_copy_and_the_help_says_so() {
        let mut m = reference();
        m.buckets[0].replication = w(Replication::None);
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.buckets[0].replication.span);
        let help = diags[0].help.as_deref().unwrap_or_default().to_string();
        assert!(help.contains("copy to the secondary"), "{help}");
        assert!(!help.contains("back up at least every 1h"), "{help}");
    }

    #[test]
    fn standard_replication_misses_an_hour() {
        let mut m = reference();
        m.buckets[0].replication = w(Replication::Standard);
        m.backups[0].covers.retain(|r| r.name != "documents");
        let diags = run_rule(check, &m);
        assert_eq!(
            diags[0].message,
            "documents: recovery point 1d exceeds RPO 1h by 23h: S3 replication without RTC (no time commitment)"
        );
    }

    #[test]
    fn an_rpo_of_zero_fails_every_store() {
        let mut m = reference();
        m.site.rpo = w(secs(0));
        assert_eq!(run_rule(check, &m).len(), 3);
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
