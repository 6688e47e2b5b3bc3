//! DRS0202: the site uses a DR feature a region of the pair does not offer.

use crate::checks::context::{list_names, written};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Replication, Role};
use crate::source::Span;

declare_code!(
    CODE,
    "DRS0202",
    "service-unavailable-in-region",
    Error,
    "a region of the pair does not offer a DR feature the site uses",
    "## What it checks
Every feature the site's declarations need is listed for both regions in `std/regions`:
`aurora_global_database` for `aurora` (R5), `dynamodb_global_tables` for `table` (R7),
`s3_replication_time_control` for buckets with `replication = rtc` (R9) and
`backup_cross_region_copy` for backup rules that copy (R12), and `arc_region_switch` for a
`failover` block that asks for `engine = region_switch` (R38; without `engine`, drsc uses the
Lambda engine where a region lacks Region switch).

## Why it matters
The stack fails to deploy, or deploys without the protection the site claims, when a
region lacks the feature. Aurora global databases in particular exist only in some
regions, and S3 RTC has not been verified for regions opened since 2022.

## Example
```
site \"x\" { primary = us-east-1  secondary = ap-southeast-7 }
bucket \"documents\" { replication = rtc }   # RTC not listed for ap-southeast-7
```

## Fix
Pick a region pair that offers the feature, or use a mechanism the region has
(e.g. `replication = standard`, with its longer recovery point). The catalog lists what
was verified; re-check the AWS Regional Services List if you believe it is out of date."
);

/// A feature the site needs and the declaration that needs it.
struct Need<'a> {
    service: &'static str,
    what: &'static str,
    users: Vec<(&'a str, Span)>,
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    let needs = [
        Need {
            service: "aurora_global_database",
            what: "Aurora Global Database",
            users: m
                .databases
                .iter()
                .map(|d| (d.name.as_str(), d.span))
                .collect(),
        },
        Need {
            service: "dynamodb_global_tables",
            what: "DynamoDB global tables",
            users: m.tables.iter().map(|t| (t.name.as_str(), t.span)).collect(),
        },
        Need {
            service: "s3_replication_time_control",
            what: "S3 Replication Time Control",
            users: m
                .buckets
                .iter()
                .filter(|b| b.replication.value == Replication::Rtc)
                .map(|b| {
                    let at = if written(&b.replication) {
                        b.replication.span
                    } else {
                        b.span
                    };
                    (b.name.as_str(), at)
                })
                .collect(),
        },
        Need {
            service: "backup_cross_region_copy",
            what: "AWS Backup cross-region copy",
            users: m
                .backups
                .iter()
                .filter(|p| p.rules.iter().any(|r| r.copy.value))
                .map(|p| (p.name.as_str(), p.span))
                .collect(),
        },
        // An explicit `engine = region_switch` (the default falls back to the
        // Lambda engine where a region lacks it, R38).
        Need {
            service: "arc_region_switch",
            what: "ARC Region switch",
            users: m
                .failover
                .iter()
                .filter_map(|f| f.engine.as_ref())
                .filter(|e| e.value == crate::model::FailoverEngine::RegionSwitch)
                .map(|e| ("failover", e.span))
                .collect(),
        },
    ];
    for role in Role::BOTH {
        let Some(region) = cx.region(role) else {
            continue; // DRS0200 reports it.
        };
        for need in &needs {
            let Some(&(_, first)) = need.users.first() else {
                continue;
            };
            if region.services.iter().any(|s| s == need.service) {
                continue;
            }
            let names = list_names(need.users.iter().map(|u| u.0));
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "{} is not offered in {} region `{}`, needed by {names}",
                        need.what,
                        role.as_str(),
                        region.name
                    ),
                )
                .at(first, format!("needs `{}`", need.service))
                .also(
                    cx.region_value(role).span,
                    format!("the {} region", role.as_str()),
                )
                .also(
                    region.span,
                    format!("`{}` is not listed for this region", need.service),
                )
                .help(
                    "choose a region pair that offers the feature, or a mechanism the region has",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_rtc_in_a_region_without_it() {
        let mut m = reference();
        m.site.secondary = w("ap-southeast-7".into());
        let diags = run_rule(check, &m);
        let rtc: Vec<_> = diags
            .iter()
            .filter(|d| d.message.contains("Replication Time Control"))
            .collect();
        assert_eq!(rtc.len(), 1, "{diags:#?}");
        assert_eq!(rtc[0].span(), Some(m.buckets[0].replication.span));
    }

    #[test]
    fn accepts_the_reference_pair() {
        assert_none(&run_rule(check, &reference()));
    }
}
