//! DRS0401: a failover path whose estimated recovery time exceeds the RTO.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::objectives::{pretty, Source, Term};

declare_code!(
    CODE,
    "DRS0401",
    "rto-unmet",
    Error,
    "the failover path's estimated recovery time exceeds the site's RTO",
    "## What it checks
drsc estimates how long the failover path takes and compares it with the site's `rto`.
With an Aurora database the path is the automated failover, run from the secondary
region, and its terms follow each other:

| Term | Value |
|---|---|
| detection | failover `probe_every × alarm_after` |
| alarm evaluation | `cloudwatch_alarm_evaluation_delay` |
| schedule jitter | `eventbridge_schedule_jitter` |
| cold start | `lambda_cold_start` |
| orchestration | `failover_orchestration` |
| promotion | `aurora_global_failover` |
| DNS propagation | `route53_propagation` |
| DNS TTL | the `dns` block's `ttl` |

Without a database, DNS follows the Route 53 health check: detection is
`interval × failure_threshold + route53_check_timeout`, then propagation and TTL.
Timing facts come from `std/timing`, labelled typical or unknown (unconfirmed by AWS).

## Why it matters
R2 asks that a failover path exists whose estimated time fits the RTO. An estimate
over the RTO means the site cannot keep its promise even when the automation works.

## Example
```
site \"transactions\" { rto = 10m }
failover {
  database    = ledger
  probe_every = 5m
  alarm_after = 3
}
```
Detection alone takes 15m.

## Fix
Shorten the largest declared term (probe more often, alarm after fewer failures, lower
the DNS TTL), or raise the RTO to what the path can achieve."
);

fn largest_declared(terms: &[Term]) -> Option<&Term> {
    terms
        .iter()
        .filter(|t| matches!(t.source, Source::Declaration { .. }))
        .max_by_key(|t| t.value)
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let o = cx.objectives();
    let rt = &o.recovery_time;
    if rt.unknown {
        // Labelled at the invalid values, so the driver holds it back as a cascade.
        let mut d = Diagnostic::new(&CODE, "estimated recovery time unknown (an invalid value)")
            .at(o.rto.span, "the RTO");
        for t in &rt.terms {
            for sp in t.source.spans() {
                d = d.also(sp, format!("{}: {}", t.name, t.display));
            }
        }
        out.push(d);
        return;
    }
    let (Some(total), Some(gap)) = (rt.estimate, rt.shortfall) else {
        return;
    };
    let biggest = rt.terms.iter().max_by_key(|t| t.value);
    let mut message = format!(
        "estimated recovery time {} exceeds RTO {} by {}",
        pretty(total),
        o.rto.display,
        pretty(gap)
    );
    if let Some(b) = biggest {
        message.push_str(&format!("; largest term: {} {}", b.name, b.display));
    }
    let primary = rt.span.unwrap_or(cx.model.site.span);
    let mut d = Diagnostic::new(&CODE, message)
        .at(
            primary,
            format!("{} takes about {}", rt.path, pretty(total)),
        )
        .also(o.rto.span, "the RTO");
    for t in &rt.terms {
        match &t.source {
            Source::Declaration { spans, .. } => {
                if let Some(first) = spans.first() {
                    d = d.also(
                        *first,
                        format!("{}: {} = {}", t.name, t.description, t.display),
                    );
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
    let help = match largest_declared(&rt.terms).map(|t| t.name.as_str()) {
        Some("detection") if rt.span.is_some() && !cx.model.databases.is_empty() => {
            "probe more often (`probe_every`) or alarm after fewer failed probes (`alarm_after`), or raise the RTO (R2)"
        }
        Some("detection") => "check more often (`interval`) or lower `failure_threshold`, or raise the RTO (R2)",
        Some("DNS TTL") => "lower the DNS `ttl` (60s or less), or raise the RTO (R2)",
        _ => "the published timings alone exceed the RTO; raise the RTO (R2)",
    };
    out.push(d.help(help));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn slow_detection_exceeds_the_rto() {
        let mut m = reference();
        let fo = m.failover.as_mut().unwrap();
        fo.engine = Some(w(crate::model::FailoverEngine::Lambda));
        fo.probe_every = w(hours(1));
        fo.alarm_after = w(5);
        let span = fo.span;
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, span);
        assert!(
            diags[0]
                .message
                .starts_with("estimated recovery time 5h 10m 1s exceeds RTO 4h by 1h 10m 1s"),
            "{}",
            diags[0].message
        );
        assert!(diags[0].secondary.iter().any(|l| l.span == m.site.rto.span));
    }

    #[test]
    fn a_published_term_can_push_past_the_rto() {
        // 781s with the one-second cold start (Lambda engine); an RTO of 780s fails by
        // exactly that second.
        let mut m = reference();
        m.failover.as_mut().unwrap().engine = Some(w(crate::model::FailoverEngine::Lambda));
        m.site.rto = w(secs(780));
        let diags = run_rule(check, &m);
        assert!(diags[0].message.contains("by 1s"), "{}", diags[0].message);
        m.site.rto = w(secs(781));
        assert_none(&run_rule(check, &m));
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
