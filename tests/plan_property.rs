//! What `check` judges is what `build` emits: for generated variants of the
//! reference site that `check` accepts, every derived value in the emitted
//! CloudFormation and Terraform equals the value the checked plan holds, and
//! the objectives estimate equals one recomputed from the emitted files.

mod support;

use drsc::graph::Graph;
use drsc::source::SourceDb;
use proptest::prelude::*;
use serde_json::Value as Json;
use support::*;

/// One variant of the site's derived-value inputs, all valid.
#[derive(Debug, Clone)]
struct Variant {
    probe_minutes: u64,
    alarm_after: u64,
    interval: u64,
    failure_threshold: u64,
    share: u64,
    log_retention_days: u64,
    timeout_secs: u64,
    memory_mib: u64,
}

fn variants() -> impl Strategy<Value = Variant> {
    (
        (1u64..=10, 1u64..=10, prop::sample::select(vec![10u64, 30])),
        (1u64..=10, 0u64..=100),
        (
            prop::sample::select(vec![1u64, 7, 30, 90, 365, 400, 731, 3653]),
            1u64..=900,
            128u64..=10_240,
        ),
    )
        .prop_map(|((p, a, i), (f, s), (l, to, m))| Variant {
            probe_minutes: p,
            alarm_after: a,
            interval: i,
            failure_threshold: f,
            share: s,
            log_retention_days: l,
            timeout_secs: to,
            memory_mib: m,
        })
}

/// The reference site with `v`'s values written in.
fn site_text(v: &Variant) -> String {
    let mut text = reference_text();
    let set = |text: &mut String, from: &str, to: String| {
        assert!(text.contains(from), "the reference site has `{from}`");
        *text = text.replacen(from, &to, 1);
    };
    set(
        &mut text,
        "probe_every     = 1m",
        format!("probe_every     = {}m", v.probe_minutes),
    );
    set(
        &mut text,
        "alarm_after     = 3",
        format!("alarm_after     = {}", v.alarm_after),
    );
    // Weights belong to the Lambda engine (DRS0340 on Region switch).
    set(
        &mut text,
        "failure_threshold = 3\n",
        format!(
            "failure_threshold = 3\n  primary_share     = {}%\n",
            v.share
        ),
    );
    set(
        &mut text,
        "  allow_data_loss = true\n}",
        "  allow_data_loss = true\n  engine          = lambda\n}".to_string(),
    );
    set(
        &mut text,
        "interval          = 30s",
        format!("interval          = {}s", v.interval),
    );
    set(
        &mut text,
        "failure_threshold = 3",
        format!("failure_threshold = {}", v.failure_threshold),
    );
    set(
        &mut text,
        "timeout              = 30s",
        format!("timeout              = {}s", v.timeout_secs),
    );
    set(
        &mut text,
        "memory               = 512MiB",
        format!("memory               = {}MiB", v.memory_mib),
    );
    set(
        &mut text,
        "reserved_concurrency = 50",
        format!(
            "reserved_concurrency = 50\n  log_retention        = {}d",
            v.log_retention_days
        ),
    );
    text
}

/// Checks `text` as if it were `specs/variant.drs`: the diagnostics and the graph `build` emits.
fn check(
    text: &str,
) -> (
    Vec<String>,
    Option<Graph>,
    Option<drsc::objectives::Objectives>,
) {
    let mut db = SourceDb::new();
    let path = root().join("specs/variant.drs");
    let id = db.add("specs/variant.drs", Some(path), text.to_string());
    let outcome = drsc::driver::check_file(&mut db, id, &root().join("specs"));
    let errors = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code.code, d.message))
        .collect();
    let objectives = outcome
        .model
        .as_ref()
        .zip(outcome.graph.as_ref())
        .map(|(m, g)| drsc::objectives::estimate(m, g));
    (errors, outcome.graph, objectives)
}

fn num(j: &Json) -> u64 {
    j.as_u64()
        .or_else(|| j.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {j}"))
}

/// The CloudFormation resource of `ty` whose `name_key` property equals `name`.
fn cfn<'a>(built: &'a Built, ty: &str, name_key: &str, name: &str) -> &'a Json {
    built
        .resources(ty)
        .into_iter()
        .map(|(_, _, r)| r)
        .find(|r| r["Properties"][name_key] == name)
        .unwrap_or_else(|| panic!("no {ty} with {name_key} = {name}"))
}

/// Every Terraform resource block of `ty`, from every `*.tf.json` file.
fn tf(out: &drsc::emit::Output, ty: &str) -> Vec<Json> {
    out.files
        .iter()
        .filter(|(p, _)| p.ends_with(".tf.json"))
        .filter_map(|(_, b)| serde_json::from_slice::<Json>(b).ok())
        .flat_map(|doc| {
            doc["resource"][ty]
                .as_object()
                .map(|m| m.values().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .collect()
}

fn term(o: &drsc::objectives::Objectives, name: &str) -> u64 {
    o.recovery_time
        .terms
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no term {name}"))
        .value
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn emitted_values_equal_the_checked_plan(v in variants()) {
        let (errors, graph, objectives) = check(&site_text(&v));
        prop_assert!(errors.is_empty(), "{v:?}: {errors:#?}");
        let graph = graph.expect("a graph");
        let o = objectives.expect("an estimate");
        let built = emit(&graph);
        let tf_out = drsc::emit::tf::emit(&graph, &drsc::emit::tf::Options { source: "site.drs".into() })
            .expect("terraform");

        // The failover alarm and the probe schedule.
        let alarm = cfn(&built, "AWS::CloudWatch::Alarm", "AlarmName", "primary-unreachable-alarm-production-txn01");
        let period = num(&alarm["Properties"]["Period"]);
        let evaluations = num(&alarm["Properties"]["EvaluationPeriods"]);
        prop_assert_eq!(period, v.probe_minutes * 60);
        prop_assert_eq!(evaluations, v.alarm_after);
        let tf_alarm = tf(&tf_out, "aws_cloudwatch_metric_alarm")
            .into_iter()
            .find(|a| a["alarm_name"] == "primary-unreachable-alarm-production-txn01")
            .expect("tf alarm");
        prop_assert_eq!(num(&tf_alarm["period"]), period);
        prop_assert_eq!(num(&tf_alarm["evaluation_periods"]), evaluations);
        let rule = cfn(&built, "AWS::Events::Rule", "Name", "probe-rule-production-txn01");
        let minutes = v.probe_minutes;
        let rate = if minutes == 1 { "rate(1 minute)".to_string() } else { format!("rate({minutes} minutes)") };
        prop_assert_eq!(rule["Properties"]["ScheduleExpression"].as_str(), Some(rate.as_str()));

        // The health check and the weighted records.
        let hc = &built.resources("AWS::Route53::HealthCheck")[0].2["Properties"]["HealthCheckConfig"];
        prop_assert_eq!(num(&hc["RequestInterval"]), v.interval);
        prop_assert_eq!(num(&hc["FailureThreshold"]), v.failure_threshold);
        let tf_hc = &tf(&tf_out, "aws_route53_health_check")[0];
        prop_assert_eq!(num(&tf_hc["request_interval"]), v.interval);
        prop_assert_eq!(num(&tf_hc["failure_threshold"]), v.failure_threshold);
        // The weighted records alias the regional front doors: an alias has
        // no TTL of its own (Route 53 answers with the target's).
        let mut weights: Vec<u64> = built
            .resources("AWS::Route53::RecordSet")
            .iter()
            .filter(|(_, _, r)| !r["Properties"]["SetIdentifier"].is_null())
            .map(|(_, _, r)| {
                assert!(r["Properties"]["TTL"].is_null() && !r["Properties"]["AliasTarget"].is_null());
                num(&r["Properties"]["Weight"])
            })
            .collect();
        weights.sort();
        let mut want = vec![v.share, 100 - v.share];
        want.sort();
        prop_assert_eq!(&weights, &want);
        let mut tf_weights: Vec<u64> = tf(&tf_out, "aws_route53_record")
            .iter()
            .filter(|r| r.get("weighted_routing_policy").is_some())
            .map(|r| {
                assert!(r.get("ttl").is_none() && r.get("alias").is_some());
                num(&r["weighted_routing_policy"][0]["weight"])
            })
            .collect();
        tf_weights.sort();
        prop_assert_eq!(&tf_weights, &want);

        // The site function: timeout, memory, log retention.
        for f in ["ingest-function-production-txn01"] {
            let lambda = cfn(&built, "AWS::Lambda::Function", "FunctionName", f);
            prop_assert_eq!(num(&lambda["Properties"]["Timeout"]), v.timeout_secs);
            prop_assert_eq!(num(&lambda["Properties"]["MemorySize"]), v.memory_mib);
            let logs = cfn(&built, "AWS::Logs::LogGroup", "LogGroupName", &format!("/aws/lambda/{f}"));
            prop_assert_eq!(num(&logs["Properties"]["RetentionInDays"]), v.log_retention_days);
            for t in tf(&tf_out, "aws_lambda_function").iter().filter(|t| t["function_name"] == f) {
                prop_assert_eq!(num(&t["timeout"]), v.timeout_secs);
                prop_assert_eq!(num(&t["memory_size"]), v.memory_mib);
            }
        }

        // The estimate, recomputed from the emitted files.
        prop_assert_eq!(term(&o, "detection"), period * evaluations);
        // Alias records: the estimate counts the target's TTL (a `std/timing` fact).
        prop_assert_eq!(term(&o, "DNS TTL"), 60);
        let sum: u64 = o.recovery_time.terms.iter().map(|t| t.value).sum();
        prop_assert_eq!(o.recovery_time.estimate, Some(sum));
    }
}

/// The values a site may not write are refused by `check` (the cases of the
/// issue, each at its own line), and nothing is emitted for them.
#[test]
fn non_emittable_values_are_check_errors() {
    let cases = [
        ("probe_every     = 1m", "probe_every     = 90s", "DRS0330"),
        (
            "interval          = 30s",
            "interval          = 20s",
            "DRS0332",
        ),
        // Weights exist on the Lambda engine only (on Region switch a share is DRS0340).
        (
            "failure_threshold = 3\n",
            "failure_threshold = 3\n  primary_share     = 150%\n",
            "DRS0335",
        ),
        (
            "reserved_concurrency = 50",
            "reserved_concurrency = 50\n  log_retention        = 100d",
            "DRS0331",
        ),
        ("retain      = 35d", "retain      = 36h", "DRS0910"),
        (
            "covers     = [ledger, transaction_meta, documents]",
            "covers     = []",
            "DRS0336",
        ),
    ];
    let lambda = reference_text().replacen(
        "  allow_data_loss = true\n}",
        "  allow_data_loss = true\n  engine          = lambda\n}",
        1,
    );
    for (from, to, code) in cases {
        let text = lambda.replacen(from, to, 1);
        assert_ne!(text, lambda, "{from}");
        let (errors, _, _) = check(&text);
        assert!(
            errors.iter().any(|e| e.starts_with(code)),
            "`{to}` should be {code}: {errors:#?}"
        );
    }
}
