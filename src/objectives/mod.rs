//! The objectives proof (R2): for every data store, the recovery point its
//! declared mechanisms achieve, and for the site, the estimated recovery time of
//! its failover path. Every figure is a sum of [`Term`]s, each with its value,
//! unit and source: a declaration in the site, or a timing fact of `std/timing`.
//! [`estimate`] is what the rules (`crate::checks::objectives`), `drsc check`'s
//! summary and the language server use.

pub mod backups;
pub mod region_loss;
pub mod report;

use crate::graph::{Derived, Graph, NodeId, NodeKind};
#[cfg(test)]
use crate::model::FailoverEngine;
use crate::model::{FailoverMode, Model, Replication, Role, Spanned, StoreKind};
use crate::source::Span;
use crate::units::Duration;
use serde::Serialize;

/// The recovery objectives of one site and what its mechanisms achieve.
#[derive(Debug, Clone, Serialize)]
pub struct Objectives {
    pub site: String,
    pub rpo: Objective,
    pub rto: Objective,
    /// One entry per data store, in declaration order (Aurora, tables, buckets).
    pub stores: Vec<StoreRecovery>,
    pub recovery_time: RecoveryTime,
    /// The loss of the primary region, then of the secondary (R31, R32).
    pub region_loss: Vec<region_loss::RegionLoss>,
}

/// An objective as the site states it.
#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    pub seconds: u64,
    pub display: String,
    #[serde(skip)]
    pub span: Span,
}

/// How much data a store can lose in a regional disaster.
#[derive(Debug, Clone, Serialize)]
pub struct StoreRecovery {
    pub store: String,
    /// Serialised as the block kind: `aurora`, `table` or `bucket`.
    pub kind: StoreKind,
    /// The mechanism that gives the best recovery point, in words.
    pub mechanism: String,
    /// Seconds of data at risk; `None` when nothing bounds it.
    pub recovery_point: Option<u64>,
    pub display: String,
    pub meets_rpo: bool,
    /// How far the recovery point exceeds the RPO, in seconds (`None` when unbounded or met).
    pub shortfall: Option<u64>,
    /// The terms adding up to `recovery_point`.
    pub terms: Vec<Term>,
    /// The store's declaration.
    #[serde(skip)]
    pub span: Span,
    /// The value to change to improve the recovery point (e.g. `replication = none`).
    #[serde(skip)]
    pub cause: Span,
    /// A term, or the RPO, rests on a value the site wrote invalidly: the
    /// figure is unknown (shown as such, judged by no rule).
    pub unknown: bool,
    /// The other direction (R33): after a failover the secondary writes, and
    /// this is what its writes can lose if it is lost in turn.
    pub after_failover: AfterFailover,
    /// Where the store's isolated copy (ransomware tier) goes, in words;
    /// `None` when no plan covering it keeps one. Not a recovery mechanism:
    /// it counts for neither objective.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isolated_copy: Option<String>,
    /// The recovery point from backups after corruption or a mass delete
    /// (which replication copies): in the primary region, then in the secondary.
    pub backups: Vec<backups::BackupPoint>,
}

/// A store's recovery point while the secondary writes (after a failover,
/// until the failback).
#[derive(Debug, Clone, Serialize)]
pub struct AfterFailover {
    pub mechanism: String,
    /// Seconds of data at risk; `None` when nothing bounds it.
    pub recovery_point: Option<u64>,
    pub display: String,
    pub meets_rpo: bool,
    pub terms: Vec<Term>,
}

/// Where the isolated copies of `store` go (issue 13 item 4), from the plans
/// that cover it, in words.
fn isolated_copy(model: &Model, graph: &Graph, store: &str, kind: StoreKind) -> Option<String> {
    let mut out = Vec::new();
    for p in model
        .backups
        .iter()
        .filter(|p| p.covers.iter().any(|c| c.name == store))
    {
        if let Some(arn) = &p.isolated_vault {
            let account = arn.value.split(':').nth(4).unwrap_or("?");
            out.push(format!("vault of account {account} (plan `{}`)", p.name));
        } else if p.isolated_copy.value {
            let id =
                crate::graph::NodeId::new(&["vault", &format!("{}-isolated", p.name), "secondary"]);
            let vault = graph.get(&id).map_or_else(
                || format!("plan `{}`", p.name),
                |n| format!("logically air-gapped vault `{}` ({})", n.name, n.region),
            );
            // Aurora and S3 in logically air-gapped vaults: the AWS Config rules
            // aurora-/s3-resources-in-logically-air-gapped-vault
            // (https://docs.aws.amazon.com/config/latest/developerguide/aurora-resources-in-logically-air-gapped-vault.html).
            // No source searched for this change confirms DynamoDB.
            let note = if kind == StoreKind::Table {
                "; DynamoDB in such vaults is not confirmed by drsc's sources, check the copy jobs"
            } else {
                ""
            };
            out.push(format!("{vault}{note}"));
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

/// How long the failover path takes.
#[derive(Debug, Clone, Serialize)]
pub struct RecoveryTime {
    /// The path, in words, e.g. "automated failover of `ledger`, run from us-west-2".
    pub path: String,
    /// Estimated seconds; `None` when there is no automated path.
    pub estimate: Option<u64>,
    pub display: String,
    pub meets_rto: bool,
    pub shortfall: Option<u64>,
    /// Why there is no automated path, when there is none.
    pub problem: Option<String>,
    pub terms: Vec<Term>,
    /// The block that defines the path (failover or dns), if any.
    #[serde(skip)]
    pub span: Option<Span>,
    /// A term, or the RTO, rests on an invalid value: the estimate is unknown.
    pub unknown: bool,
}

/// How reliable a figure is (dr-timing-facts.md, "Rules for the checker").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Computed from the site's configuration.
    Exact,
    /// A published AWS figure ("typically").
    Typical,
    /// No AWS source: an assumption to measure and replace.
    Unknown,
}

/// One addend of an estimate.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// What the term stands for, e.g. `detection`, `promotion`.
    pub name: String,
    /// How it was computed, e.g. `probe_every 1m × alarm_after 3`.
    pub description: String,
    pub value: u64,
    /// Always `s`: values are seconds.
    pub unit: &'static str,
    pub display: String,
    pub certainty: Certainty,
    pub source: Source,
}

/// Where a term's value comes from.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// Attributes of the site's declarations.
    Declaration {
        attributes: Vec<String>,
        #[serde(skip)]
        spans: Vec<Span>,
    },
    /// A `timing` fact of the stdlib (or the site's override of it).
    Timing {
        key: String,
        reference: String,
        #[serde(skip)]
        span: Span,
    },
    /// A timing fact the catalog lacks; counted as zero.
    Missing { key: String },
}

impl Source {
    /// The spans to show for the term.
    pub fn spans(&self) -> Vec<Span> {
        match self {
            Source::Declaration { spans, .. } => spans.clone(),
            Source::Timing { span, .. } => vec![*span],
            Source::Missing { .. } => Vec::new(),
        }
    }
}

/// `13m 1s`, `1d 1h`, `0s`.
pub fn pretty(secs: u64) -> String {
    if secs == 0 {
        return "0s".into();
    }
    let parts = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    let mut rest = secs;
    let mut out = Vec::new();
    for (per, unit) in parts {
        if rest >= per {
            out.push(format!("{}{unit}", rest / per));
            rest %= per;
        }
    }
    out.join(" ")
}

fn declared(
    name: &str,
    description: String,
    value: u64,
    attributes: &[&str],
    spans: Vec<Span>,
) -> Term {
    Term {
        name: name.into(),
        description,
        value,
        unit: "s",
        display: pretty(value),
        certainty: Certainty::Exact,
        source: Source::Declaration {
            attributes: attributes.iter().map(|a| a.to_string()).collect(),
            spans,
        },
    }
}

fn timing(model: &Model, name: &str, key: &str) -> Term {
    match model.catalog.timing(key) {
        Some(t) => {
            let value = t.value.as_secs();
            let unconfirmed = t.source.contains("unconfirmed") || t.source.contains("unbounded");
            Term {
                name: name.into(),
                description: key.into(),
                value,
                unit: "s",
                display: pretty(value),
                certainty: if unconfirmed {
                    Certainty::Unknown
                } else {
                    Certainty::Typical
                },
                source: Source::Timing {
                    key: key.into(),
                    reference: t.source.clone(),
                    span: t.span,
                },
            }
        }
        None => Term {
            name: name.into(),
            description: format!("{key} (not in the catalog)"),
            value: 0,
            unit: "s",
            display: "unknown".into(),
            certainty: Certainty::Unknown,
            source: Source::Missing { key: key.into() },
        },
    }
}

/// Marks the terms computed from a value in one of the model's holes as
/// unknown; whether there was one.
fn mark_unknown(model: &Model, terms: &mut [Term]) -> bool {
    let mut any = false;
    for t in terms {
        if t.source.spans().iter().any(|s| model.in_hole(*s)) {
            t.display = "unknown".into();
            t.certainty = Certainty::Unknown;
            t.description.push_str(" (an invalid value)");
            any = true;
        }
    }
    any
}

impl Term {
    /// The term with another value (its display follows).
    fn with_value(mut self, value: u64) -> Term {
        self.value = value;
        self.display = pretty(value);
        self
    }
}

fn sum(terms: &[Term]) -> u64 {
    terms.iter().map(|t| t.value).sum()
}

fn objective(d: &Spanned<Duration>) -> Objective {
    Objective {
        seconds: d.value.as_secs(),
        display: pretty(d.value.as_secs()),
        span: d.span,
    }
}

/// "hourly", "daily", "weekly" or "every 6h".
fn cadence(secs: u64) -> String {
    match secs {
        3_600 => "hourly".into(),
        86_400 => "daily".into(),
        604_800 => "weekly".into(),
        31_536_000 => "yearly".into(),
        s => format!("every {}", pretty(s)),
    }
}

/// A way a store reaches the secondary region, and its recovery point.
struct Candidate {
    mechanism: String,
    terms: Vec<Term>,
    cause: Span,
}

/// A term computed from derived values of the graph: `value`, with the spans
/// of the declarations every factor came from.
fn derived(
    name: &str,
    description: String,
    value: u64,
    attributes: &[&str],
    from: &[&[crate::source::Span]],
) -> Term {
    declared(
        name,
        description,
        value,
        attributes,
        from.iter().flat_map(|s| s.iter().copied()).collect(),
    )
}

/// The graph node `id` as `T`, through `pick`.
fn node<'g, T>(
    graph: &'g Graph,
    id: &[&str],
    pick: impl Fn(&'g NodeKind) -> Option<&'g T>,
) -> Option<&'g T> {
    graph.get(&NodeId::new(id)).and_then(|n| pick(&n.kind))
}

/// A store's best recovery point when the writing region `writer` is lost:
/// what reaches the other region by replication or by backup copies. Its
/// mechanism, terms, figure and the span to change.
fn store_point(
    model: &Model,
    graph: &Graph,
    store: &crate::checks::Store,
    writer: Role,
) -> (String, Vec<Term>, Option<u64>, Span) {
    let mut candidates: Vec<Candidate> = Vec::new();
    // Continuous replication.
    let replication_words = match (store.kind, store.replication) {
        (StoreKind::Aurora, _) => {
            candidates.push(Candidate {
                // After a failover the old primary replicates again only once
                // it has rejoined the global database as a secondary
                // (the README's failback section).
                mechanism: match writer {
                    Role::Primary => "Aurora global database replication".into(),
                    Role::Secondary => format!(
                        "Aurora global database replication, once {} has rejoined",
                        site_region(model, Role::Primary)
                    ),
                },
                terms: vec![timing(
                    model,
                    "replication lag",
                    "aurora_global_replication_lag",
                )],
                cause: store.span,
            });
            "Aurora global database replication"
        }
        (StoreKind::Table, _) => {
            candidates.push(Candidate {
                mechanism: "DynamoDB global table replication".into(),
                terms: vec![timing(
                    model,
                    "replication lag",
                    "dynamodb_global_replication",
                )],
                cause: store.span,
            });
            "DynamoDB global table replication"
        }
        (StoreKind::Bucket, Some(r)) => {
            let cause = if crate::checks::written(r) {
                r.span
            } else {
                store.span
            };
            let rtc = node(
                graph,
                &["bucket", store.name, writer.as_str()],
                |k| match k {
                    NodeKind::Bucket(b) => b.replication.as_ref().and_then(|r| r.rtc.as_ref()),
                    _ => None,
                },
            );
            match (r.value, rtc) {
                (Replication::Rtc, Some(minutes)) => {
                    candidates.push(Candidate {
                        mechanism: "S3 replication with RTC".into(),
                        // The threshold the plan emits, from the same `std/timing` fact.
                        terms: vec![timing(model, "replication", "s3_rtc_replication")
                            .with_value(u64::from(**minutes) * 60)],
                        cause,
                    });
                    "S3 replication with RTC"
                }
                (Replication::Rtc, None) => "S3 replication with RTC (not in the plan)",
                (Replication::Standard, _) => {
                    candidates.push(Candidate {
                        mechanism: "S3 replication without RTC (no time commitment)".into(),
                        terms: vec![timing(
                            model,
                            "replication",
                            "s3_crr_replication_without_rtc",
                        )],
                        cause,
                    });
                    "S3 replication without RTC"
                }
                (Replication::None, _) => "no replication",
            }
        }
        (StoreKind::Bucket, None) => "no replication",
    };
    // Backups copied to the secondary: the shortest emitted copying interval plus the copy.
    let plans: Vec<&crate::model::BackupPlan> = model
        .backups
        .iter()
        .filter(|p| p.covers.iter().any(|c| c.name == store.name))
        .collect();
    let copying = plans
        .iter()
        .filter_map(|p| {
            node(graph, &["backup", &p.name, writer.as_str()], |k| match k {
                NodeKind::BackupPlan(plan) => Some(plan),
                _ => None,
            })
            .map(|plan| (p, plan))
        })
        .flat_map(|(p, plan)| plan.rules.iter().zip(&p.rules))
        .filter(|(emitted, _)| emitted.copy.is_some())
        .min_by_key(|(emitted, _)| *emitted.interval_secs);
    let cause_of_replication = store
        .replication
        .filter(|r| crate::checks::written(*r))
        .map_or(store.span, |r| r.span);
    let backup_words = match copying {
        Some((emitted, rule)) => {
            let every: &Derived<u64> = &emitted.interval_secs;
            let words = format!("{} backups", cadence(**every));
            let mechanism = if store.kind == StoreKind::Bucket {
                format!("{replication_words} and {words}")
            } else {
                format!("{words} copied to {}", site_region(model, writer.other()))
            };
            candidates.push(Candidate {
                mechanism,
                terms: vec![
                    derived(
                        "backup interval",
                        format!("rule `{}` every {}", rule.name, pretty(**every)),
                        **every,
                        &["every"],
                        &[&every.from],
                    ),
                    timing(model, "copy to the other region", "backup_copy_duration"),
                ],
                cause: cause_of_replication,
            });
            words
        }
        None if plans.is_empty() => "no backups".to_string(),
        None => format!("backups kept only in {}", site_region(model, writer)),
    };
    let best = candidates.into_iter().min_by_key(|c| sum(&c.terms));
    let (mechanism, terms, point, cause) = match best {
        Some(c) => {
            let s = sum(&c.terms);
            (c.mechanism, c.terms, Some(s), c.cause)
        }
        None => (
            format!("{replication_words} and {backup_words}"),
            Vec::new(),
            None,
            cause_of_replication,
        ),
    };
    (mechanism, terms, point, cause)
}

/// The region of `side`, as the site writes it.
fn site_region(model: &Model, side: Role) -> String {
    match side {
        Role::Primary => model.site.primary.value.clone(),
        Role::Secondary => model.site.secondary.value.clone(),
    }
}

/// The achievable recovery point of every store and the recovery time of the
/// failover path, computed from the periods, thresholds, schedules and TTLs of
/// `graph` (the lowered `model`): exactly what `build` emits.
pub fn estimate(model: &Model, graph: &Graph) -> Objectives {
    let cx = crate::checks::Context::new(model, graph);
    let site = &model.site;
    let rpo = objective(&site.rpo);
    let rto = objective(&site.rto);

    let mut stores = Vec::new();
    for store in cx.stores() {
        let (mechanism, terms, point, cause) = store_point(model, graph, &store, Role::Primary);
        // After a failover the secondary writes: what protects its writes if
        // it is lost in turn (R33).
        let (r_mechanism, r_terms, r_point, _) = store_point(model, graph, &store, Role::Secondary);
        let after_failover = AfterFailover {
            mechanism: r_mechanism,
            recovery_point: r_point,
            display: r_point.map_or_else(|| "unbounded".into(), pretty),
            meets_rpo: r_point.is_some_and(|p| p <= rpo.seconds),
            terms: r_terms,
        };
        let meets = point.is_some_and(|p| p <= rpo.seconds);
        let backups = backups::points(model, graph, &store, rpo.seconds);
        stores.push(StoreRecovery {
            store: store.name.to_string(),
            kind: store.kind,
            mechanism,
            recovery_point: point,
            display: point.map_or_else(|| "unbounded".into(), pretty),
            meets_rpo: meets,
            shortfall: point.filter(|_| !meets).map(|p| p - rpo.seconds),
            terms,
            span: store.span,
            cause,
            unknown: false,
            after_failover,
            isolated_copy: isolated_copy(model, graph, store.name, store.kind),
            backups,
        });
    }

    let mut recovery_time = recovery_time(model, graph, &rto);
    // Figures that rest on a value the site wrote invalidly are unknown, not zero.
    let rpo_unknown = model.in_hole(rpo.span);
    for s in &mut stores {
        for b in &mut s.backups {
            if mark_unknown(model, &mut b.terms) || rpo_unknown {
                b.recovery_point = None;
                b.display = "unknown".into();
                b.meets_rpo = true;
            }
        }
        let reverse_unknown = mark_unknown(model, &mut s.after_failover.terms);
        if mark_unknown(model, &mut s.terms) || reverse_unknown || rpo_unknown {
            s.unknown = true;
            s.after_failover.recovery_point = None;
            s.after_failover.display = "unknown".into();
            s.after_failover.meets_rpo = true;
            s.recovery_point = None;
            s.display = "unknown".into();
            s.meets_rpo = true;
            s.shortfall = None;
        }
    }
    if mark_unknown(model, &mut recovery_time.terms) || model.in_hole(rto.span) {
        let rt = &mut recovery_time;
        rt.unknown = true;
        rt.estimate = None;
        rt.display = "unknown".into();
        rt.meets_rto = true;
        rt.shortfall = None;
        rt.problem = None;
    }
    Objectives {
        site: site.name.clone(),
        rpo,
        rto,
        stores,
        recovery_time,
        region_loss: vec![
            region_loss::simulate(graph, crate::graph::Role::Primary),
            region_loss::simulate(graph, crate::graph::Role::Secondary),
        ],
    }
}

/// The name of the site's Region switch plan, when Region switch is the engine.
fn region_switch_plan(graph: &Graph) -> Option<&str> {
    graph.nodes.iter().find_map(|n| match n.kind {
        NodeKind::RegionSwitchPlan(_) => Some(n.name.as_str()),
        _ => None,
    })
}

fn recovery_time(model: &Model, graph: &Graph, rto: &Objective) -> RecoveryTime {
    let site = &model.site;
    let finish = |path: String, terms: Vec<Term>, span: Option<Span>| {
        let total = sum(&terms);
        let meets = total <= rto.seconds;
        RecoveryTime {
            path,
            estimate: Some(total),
            display: pretty(total),
            meets_rto: meets,
            shortfall: (!meets).then(|| total - rto.seconds),
            problem: None,
            terms,
            span,
            unknown: false,
        }
    };
    let dns_terms = |dns: &crate::model::Dns| {
        let mut terms = vec![timing(model, "DNS propagation", "route53_propagation")];
        match node(graph, &["record", &dns.name, "primary"], |k| match k {
            NodeKind::Record(r) => Some(&r.target),
            _ => None,
        }) {
            Some(crate::graph::RecordTarget::Name { ttl_secs, .. }) => terms.push(derived(
                "DNS TTL",
                format!("ttl of dns `{}`", dns.name),
                u64::from(**ttl_secs),
                &["ttl"],
                &[&ttl_secs.from],
            )),
            // An alias record is cached for its target's TTL, not the site's `ttl`.
            Some(crate::graph::RecordTarget::Alias(_)) => {
                terms.push(timing(model, "DNS TTL", "route53_alias_ttl"))
            }
            None => {}
        }
        terms
    };
    if model.databases.is_empty() {
        // No database to promote: DNS follows the health check by itself.
        let Some(dns) = model.dns.first() else {
            // Nothing moves: the stores replicate, and a loss is recovered by
            // restoring, whose duration drsc does not estimate.
            return RecoveryTime {
                path: "nothing to fail over (no database, no DNS records): the RTO rests on restoring the stores from their replicas or backups, which drsc does not estimate".into(),
                estimate: None,
                display: "n/a".into(),
                meets_rto: true,
                shortfall: None,
                problem: None,
                terms: Vec::new(),
                span: None,
                unknown: false,
            };
        };
        let mut terms = Vec::new();
        if let Some(hc) = node(graph, &["hc", &dns.name, "primary"], |k| match k {
            NodeKind::HealthCheck(h) => Some(h),
            _ => None,
        }) {
            let (interval, threshold) = (
                u64::from(*hc.interval_secs),
                u64::from(*hc.failure_threshold),
            );
            terms.push(derived(
                "detection",
                format!(
                    "health check interval {} × failure_threshold {threshold}",
                    pretty(interval)
                ),
                interval * threshold,
                &["interval", "failure_threshold"],
                &[&hc.interval_secs.from, &hc.failure_threshold.from],
            ));
        }
        terms.push(timing(model, "check timeout", "route53_check_timeout"));
        terms.extend(dns_terms(dns));
        return finish(
            format!("Route 53 health-check failover of `{}`", dns.name),
            terms,
            Some(dns.span),
        );
    }
    let no_path = |problem: String, span: Option<Span>| RecoveryTime {
        path: "no automated failover path".into(),
        estimate: None,
        display: "unbounded".into(),
        meets_rto: false,
        shortfall: None,
        problem: Some(problem),
        terms: Vec::new(),
        span,
        unknown: false,
    };
    let Some(fo) = &model.failover else {
        return no_path("the site declares no `failover` block".into(), None);
    };
    if fo.mode.value == FailoverMode::Manual {
        return no_path(
            "the failover is `mode = manual`: it only notifies".into(),
            Some(fo.span),
        );
    }
    let mut terms = Vec::new();
    // The alarm that starts the failover: its period times its evaluation
    // periods; a composite alarm is in ALARM when all its inputs are, so the
    // slower of them.
    let alarm_of = |id: &NodeId| {
        graph.get(id).and_then(|n| match &n.kind {
            NodeKind::Alarm(a) => Some((n.name.clone(), a)),
            _ => None,
        })
    };
    let composite = graph.nodes.iter().find_map(|n| match &n.kind {
        NodeKind::CompositeAlarm(c) if n.role == crate::graph::Role::Secondary => Some(c),
        _ => None,
    });
    let inputs: Vec<(String, &crate::graph::Alarm)> = match composite {
        Some(c) => c.inputs.iter().filter_map(alarm_of).collect(),
        None => alarm_of(&NodeId::new(&["alarm", "primary-unreachable", "secondary"]))
            .into_iter()
            .collect(),
    };
    let slowest = inputs
        .iter()
        .max_by_key(|(_, a)| u64::from(*a.period_secs) * u64::from(*a.evaluation_periods));
    if let Some((name, a)) = slowest {
        let (period, after) = (u64::from(*a.period_secs), u64::from(*a.evaluation_periods));
        let what = if inputs.len() > 1 {
            format!(
                "the slower of {} signals (`{name}`): probe_every {} × alarm_after {after}",
                inputs.len(),
                pretty(period)
            )
        } else {
            format!("probe_every {} × alarm_after {after}", pretty(period))
        };
        terms.push(derived(
            "detection",
            what,
            period * after,
            &["probe_every", "alarm_after"],
            &[&a.period_secs.from, &a.evaluation_periods.from],
        ));
    }
    terms.extend([
        timing(
            model,
            "alarm evaluation",
            "cloudwatch_alarm_evaluation_delay",
        ),
        timing(model, "schedule jitter", "eventbridge_schedule_jitter"),
        timing(model, "cold start", "lambda_cold_start"),
    ]);
    // The plan's approval step waits for a person, up to its timeout.
    let approval = graph.nodes.iter().find_map(|n| match &n.kind {
        NodeKind::RegionSwitchPlan(p) => p.workflows.iter().find_map(|w| {
            w.steps.iter().find_map(|s| match &s.block {
                crate::graph::ExecutionBlock::Approval(a) => Some(a.timeout_minutes.clone()),
                _ => None,
            })
        }),
        _ => None,
    });
    if let Some(minutes) = approval {
        terms.push(derived(
            "approval",
            format!("approval step timeout {}", pretty(u64::from(*minutes) * 60)),
            u64::from(*minutes) * 60,
            &["approval"],
            &[&minutes.from],
        ));
    }
    let region_switch = region_switch_plan(graph).is_some();
    if region_switch {
        // The starter's call starts the plan; the plan's workflow runs its blocks.
        terms.push(timing(
            model,
            "Region switch execution",
            "region_switch_orchestration",
        ));
    } else {
        terms.push(timing(model, "orchestration", "failover_orchestration"));
    }
    terms.push(timing(model, "promotion", "aurora_global_failover"));
    let dns = fo
        .dns
        .as_ref()
        .and_then(|r| model.dns.iter().find(|d| d.name == r.name))
        .or(model.dns.first());
    if let Some(dns) = dns {
        terms.extend(dns_terms(dns));
    }
    let path = match region_switch_plan(graph) {
        Some(name) => format!(
            "Region switch plan `{name}` (ungraceful activate of {}), started from {}",
            site.secondary.value, site.secondary.value
        ),
        None => format!(
            "automated failover of `{}`, run from {}",
            fo.database.name, site.secondary.value
        ),
    };
    finish(path, terms, Some(fo.span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    fn estimate(m: &Model) -> Objectives {
        super::estimate(m, &crate::lower::lower(m).graph)
    }

    #[test]
    fn detection_follows_the_slower_of_the_two_signals() {
        let mut m = reference();
        let o = estimate(&m);
        let d = o
            .recovery_time
            .terms
            .iter()
            .find(|t| t.name == "detection")
            .unwrap();
        assert_eq!(d.value, 180);
        assert!(
            d.description.starts_with("the slower of 2 signals"),
            "{}",
            d.description
        );
        // Without `dns` there is one signal: the peering probe's alarm alone.
        m.failover.as_mut().unwrap().dns = None;
        let o = estimate(&m);
        let d = o
            .recovery_time
            .terms
            .iter()
            .find(|t| t.name == "detection")
            .unwrap();
        assert_eq!(d.description, "probe_every 1m × alarm_after 3");
    }

    #[test]
    fn reference_site_meets_both_objectives() {
        let o = estimate(&reference());
        let points: Vec<_> = o
            .stores
            .iter()
            .map(|s| (s.store.as_str(), s.recovery_point, s.meets_rpo))
            .collect();
        assert_eq!(
            points,
            [
                ("ledger", Some(1), true),
                ("transaction_meta", Some(5), true),
                ("documents", Some(900), true)
            ]
        );
        let rt = &o.recovery_time;
        // Region switch: 3m detection + 60 + 60 + 1 + 120 execution + 300 + 60 propagation + 60 ttl.
        assert_eq!(rt.estimate, Some(841));
        assert_eq!(rt.display, "14m 1s");
        assert!(rt.meets_rto);
        assert!(rt.path.starts_with("Region switch plan"), "{}", rt.path);
        let names: Vec<&str> = rt.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "detection",
                "alarm evaluation",
                "schedule jitter",
                "cold start",
                "Region switch execution",
                "promotion",
                "DNS propagation",
                "DNS TTL"
            ]
        );
        assert_eq!(rt.terms[0].certainty, Certainty::Exact);
        assert_eq!(rt.terms[5].certainty, Certainty::Typical);
        assert_eq!(rt.terms[4].certainty, Certainty::Unknown);
    }

    #[test]
    fn the_lambda_engine_keeps_its_own_terms() {
        let mut m = reference();
        m.failover.as_mut().unwrap().engine = Some(w(FailoverEngine::Lambda));
        let rt = estimate(&m).recovery_time;
        // 3m detection + 60 + 60 + 1 + 60 + 300 + 60 propagation + 60 ttl.
        assert_eq!(rt.estimate, Some(781));
        assert_eq!(rt.terms[4].name, "orchestration");
        assert!(rt.path.starts_with("automated failover"), "{}", rt.path);
    }

    #[test]
    fn unreplicated_bucket_falls_back_to_daily_backups() {
        let mut m = reference();
        m.buckets[0].replication = w(Replication::None);
        m.backups[0].rules[0].every = w(days(1));
        let o = estimate(&m);
        let docs = &o.stores[2];
        assert_eq!(docs.recovery_point, Some(25 * 3_600));
        assert_eq!(docs.shortfall, Some(24 * 3_600));
        assert_eq!(docs.mechanism, "no replication and daily backups");
        assert_eq!(docs.cause, m.buckets[0].replication.span);
    }

    #[test]
    fn nothing_is_unbounded() {
        let mut m = reference();
        m.buckets[0].replication = w(Replication::None);
        m.backups.clear();
        let docs = &estimate(&m).stores[2];
        assert_eq!(docs.recovery_point, None);
        assert!(!docs.meets_rpo);
        assert_eq!(docs.mechanism, "no replication and no backups");
    }

    #[test]
    fn a_site_without_database_or_dns_has_nothing_to_fail_over() {
        let mut m = reference();
        m.databases.clear();
        m.dns.clear();
        m.failover = None;
        let rt = estimate(&m).recovery_time;
        assert_eq!(rt.estimate, None);
        assert_eq!(rt.display, "n/a");
        assert!(rt.meets_rto && rt.problem.is_none());
        assert!(rt.path.starts_with("nothing to fail over"), "{}", rt.path);
    }

    #[test]
    fn manual_failover_has_no_estimate() {
        let mut m = reference();
        m.failover.as_mut().unwrap().mode = w(FailoverMode::Manual);
        let rt = estimate(&m).recovery_time;
        assert_eq!(rt.estimate, None);
        assert!(rt.problem.is_some());
    }

    #[test]
    fn serialises_with_terms_and_sources() {
        let v = serde_json::to_value(estimate(&reference())).unwrap();
        assert_eq!(v["recovery_time"]["estimate"], 841);
        assert_eq!(
            v["recovery_time"]["terms"][0]["source"]["kind"],
            "declaration"
        );
        assert_eq!(
            v["stores"][0]["terms"][0]["source"]["key"],
            "aurora_global_replication_lag"
        );
        assert_eq!(v["stores"][0]["terms"][0]["unit"], "s");
    }

    #[test]
    fn pretty_durations() {
        assert_eq!(pretty(781), "13m 1s");
        assert_eq!(pretty(90_000), "1d 1h");
        assert_eq!(pretty(0), "0s");
    }
}
