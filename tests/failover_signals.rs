//! Issue 11 on both backends' emitted files: the failover starts on a
//! composite alarm in the secondary region (the peering probe AND the probe of
//! the primary's public front door), which Region switch associates as its
//! trigger and the Lambda engine's function alone acts on; one failover
//! promotes every global database (the two-database site `specs/clearing.drs`);
//! the Lambda engine moves the alias weighted records; the region-loss check
//! passes for both engines on every spec site.

mod support;

use drsc::graph::{Graph, NodeKind, Role};
use drsc::objectives::region_loss::simulate;
use serde_json::Value as Json;
use std::collections::BTreeSet;
use support::*;

const COMPOSITE: &str = "primary-down-alarm-production-txn01";
const PEERING: &str = "primary-unreachable-alarm-production-txn01";
const FRONT_DOOR: &str = "front-door-unreachable-alarm-production-txn01";

fn clearing_path() -> std::path::PathBuf {
    root().join("specs/clearing.drs")
}

/// A site's text with `engine = lambda` in its failover block.
fn with_lambda_engine(path: &std::path::Path) -> Option<Graph> {
    let text = std::fs::read_to_string(path).unwrap();
    let i = text.find("\nfailover {")?;
    let mut t = text.clone();
    t.insert_str(i + "\nfailover {".len(), "\n  engine = lambda");
    let name = path.file_name().unwrap().to_str().unwrap();
    let model = model_text(name, &t).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
    Some(drsc::lower::lower(&model).ok().expect("lowers"))
}

/// The text of an `Fn::Join`/`Fn::Sub` value, with `${…}` kept.
fn text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Object(m) if m.contains_key("Fn::Sub") => text(&m["Fn::Sub"]),
        Json::Object(m) if m.contains_key("Fn::Join") => m["Fn::Join"][1]
            .as_array()
            .unwrap()
            .iter()
            .map(text)
            .collect(),
        other => other.to_string(),
    }
}

fn alarm<'b>(b: &'b Built, ty: &str, name: &str) -> (&'b str, &'b Json) {
    let (file, _, r) = b
        .resources(ty)
        .into_iter()
        .find(|(_, _, r)| r["Properties"]["AlarmName"] == name)
        .unwrap_or_else(|| panic!("no {ty} {name}"));
    (file, r)
}

#[test]
fn cfn_the_composite_alarm_and_its_two_inputs_are_in_the_secondary() {
    let b = reference();
    let (file, c) = alarm(b, "AWS::CloudWatch::CompositeAlarm", COMPOSITE);
    assert_eq!(b.region_of(file), "us-west-2");
    let rule = text(&c["Properties"]["AlarmRule"]);
    assert_eq!(
        rule,
        format!(
            "ALARM(\"arn:${{AWS::Partition}}:cloudwatch:us-west-2:${{AWS::AccountId}}:alarm:{PEERING}\") AND ALARM(\"arn:${{AWS::Partition}}:cloudwatch:us-west-2:${{AWS::AccountId}}:alarm:{FRONT_DOOR}\")"
        )
    );
    for name in [PEERING, FRONT_DOOR] {
        let (f, a) = alarm(b, "AWS::CloudWatch::Alarm", name);
        assert_eq!(b.region_of(f), "us-west-2", "{name}");
        // An input alone notifies people; it starts nothing.
        let actions: Vec<String> = a["Properties"]["AlarmActions"]
            .as_array()
            .unwrap()
            .iter()
            .map(text)
            .collect();
        assert!(
            actions.iter().all(|x| !x.contains("Failover")),
            "{name}: {actions:?}"
        );
    }
    // The composite alarm is what publishes to the failover topic.
    let actions = c["Properties"]["AlarmActions"].to_string();
    assert!(actions.contains("TopicFailoverSecondary"), "{actions}");
}

#[test]
fn cfn_the_front_door_probe_takes_the_internet_path() {
    let b = reference();
    let (file, _, f) = b
        .resources("AWS::Lambda::Function")
        .into_iter()
        .find(|(_, _, r)| r["Properties"]["FunctionName"] == "edgeprobe-function-production-txn01")
        .expect("the edge probe");
    assert_eq!(b.region_of(file), "us-west-2");
    assert!(f["Properties"].get("VpcConfig").is_none(), "{f}");
    let env = &f["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["TARGET_URL"],
        "https://api-use1.bank.example.com/health"
    );
    assert_eq!(env["METRIC_NAME"], "PrimaryFrontDoorReachable");
}

#[test]
fn cfn_region_switch_associates_the_composite_alarm_as_its_trigger() {
    let b = reference();
    let (_, _, p) = b
        .resources("AWS::ARCRegionSwitch::Plan")
        .into_iter()
        .next()
        .unwrap();
    let alarms = p["Properties"]["AssociatedAlarms"].as_object().unwrap();
    let triggers: Vec<&String> = alarms
        .iter()
        .filter(|(_, a)| a["AlarmType"] == "trigger")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(triggers, [COMPOSITE]);
}

/// The Terraform module of `site`, built by the binary.
fn tf(site: &str) -> serde_json::Map<String, Json> {
    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_drsc"))
        .args(["build", site, "--target", "tf", "-o"])
        .arg(dir.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut out = serde_json::Map::new();
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().ends_with(".tf.json") {
            let v: Json = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            if let Some(types) = v["resource"].as_object() {
                for (ty, names) in types {
                    for (n, body) in names.as_object().unwrap() {
                        out.insert(format!("{ty}.{n}"), body.clone());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn tf_the_composite_alarm_combines_both_signals_in_the_secondary() {
    let r = tf("specs/transactions.drs");
    let c = &r["aws_cloudwatch_composite_alarm.alarm_primary_down_secondary"];
    assert_eq!(c["provider"], "aws.secondary");
    assert_eq!(c["alarm_name"], COMPOSITE);
    let rule = c["alarm_rule"].as_str().unwrap();
    assert_eq!(
        rule,
        "ALARM(\"${aws_cloudwatch_metric_alarm.alarm_primary_unreachable_secondary.arn}\") AND ALARM(\"${aws_cloudwatch_metric_alarm.alarm_front_door_unreachable_secondary.arn}\")"
    );
    let deps: BTreeSet<&str> = c["depends_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(
        deps,
        BTreeSet::from([
            "aws_cloudwatch_metric_alarm.alarm_front_door_unreachable_secondary",
            "aws_cloudwatch_metric_alarm.alarm_primary_unreachable_secondary",
        ])
    );
    assert!(c["alarm_actions"]
        .to_string()
        .contains("aws_sns_topic.topic_failover_secondary.arn"));
    for a in [
        "alarm_primary_unreachable_secondary",
        "alarm_front_door_unreachable_secondary",
    ] {
        let m = &r[&format!("aws_cloudwatch_metric_alarm.{a}")];
        assert_eq!(m["provider"], "aws.secondary");
        assert!(!m["alarm_actions"].to_string().contains("topic_failover"));
    }
    let edge = &r["aws_lambda_function.function_edgeprobe_secondary"];
    assert_eq!(edge["provider"], "aws.secondary");
    assert!(edge.get("vpc_config").is_none());
    let plan = r
        .iter()
        .find(|(k, _)| k.starts_with("aws_arcregionswitch_plan."))
        .unwrap()
        .1;
    let trigger: Vec<&Json> = plan["associated_alarms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["alarm_type"] == "trigger")
        .collect();
    assert_eq!(trigger.len(), 1);
    assert_eq!(trigger[0]["map_block_key"], COMPOSITE);
}

#[test]
fn region_switch_promotes_both_databases_of_the_two_database_site() {
    let b = build(&clearing_path());
    let (_, _, p) = b
        .resources("AWS::ARCRegionSwitch::Plan")
        .into_iter()
        .next()
        .unwrap();
    for w in p["Properties"]["Workflows"].as_array().unwrap() {
        let globals: Vec<&str> = w["Steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["ExecutionBlockType"] == "AuroraGlobalDatabase")
            .map(|s| {
                s["ExecutionBlockConfiguration"]["GlobalAuroraConfig"]["GlobalClusterIdentifier"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(
            globals,
            [
                "trades-aurora-production-clr01",
                "positions-aurora-production-clr01"
            ],
            "{w}"
        );
    }
    let r = tf("specs/clearing.drs");
    let plan = r
        .iter()
        .find(|(k, _)| k.starts_with("aws_arcregionswitch_plan."))
        .unwrap()
        .1;
    for w in plan["workflow"].as_array().unwrap() {
        let n = w["step"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["execution_block_type"] == "AuroraGlobalDatabase")
            .count();
        assert_eq!(n, 2, "{w}");
    }
}

#[test]
fn the_lambda_engine_promotes_both_databases_and_upserts_the_alias_records() {
    let g = with_lambda_engine(&clearing_path()).unwrap();
    assert!(!g
        .nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::RegionSwitchPlan(_))));
    let b = emit(&g);
    let (_, _, f) = b
        .resources("AWS::Lambda::Function")
        .into_iter()
        .find(|(_, _, r)| r["Properties"]["FunctionName"] == "failover-function-production-clr01")
        .expect("the failover function");
    let env = &f["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["GLOBAL_CLUSTER_IDS"],
        "trades-aurora-production-clr01,positions-aurora-production-clr01"
    );
    let targets = text(&env["TARGET_CLUSTER_ARNS"]);
    assert_eq!(targets.matches(":cluster:").count(), 2, "{targets}");
    assert!(targets.contains(":rds:ap-northeast-1:"), "{targets}");
    assert!(!targets.contains("ap-southeast-1"), "{targets}");
    // Only the composite alarm's notifications act.
    assert_eq!(env["TRIGGER_ALARM"], "primary-down-alarm-production-clr01");
    // The records are aliases: no CNAME targets in the environment, only the sets.
    assert_eq!(env["RECORD_TYPE"], "A");
    assert!(env.get("PRIMARY_TARGET").is_none() && env.get("SECONDARY_TARGET").is_none());
    assert_eq!(env["PRIMARY_SET_ID"], "primary-apse1");
    assert_eq!(env["SECONDARY_SET_ID"], "secondary-apne1");
    let records: Vec<&Json> = b
        .resources("AWS::Route53::RecordSet")
        .into_iter()
        .map(|(_, _, r)| r)
        .filter(|r| r["Properties"]["SetIdentifier"].is_string())
        .collect();
    assert_eq!(records.len(), 2);
    assert!(records
        .iter()
        .all(|r| r["Properties"]["Type"] == "A" && r["Properties"]["AliasTarget"].is_object()));
    // The role: both databases, and the two Route 53 actions on the zone.
    let (_, role_l, _) = b
        .resources("AWS::IAM::Role")
        .into_iter()
        .find(|(_, _, r)| r["Properties"]["RoleName"] == "failover-function-production-clr01-apne1")
        .expect("the failover role");
    // Its statements live in the customer-managed policy attached to it.
    let doc: String = b
        .resources("AWS::IAM::ManagedPolicy")
        .into_iter()
        .filter(|(_, _, p)| {
            p["Properties"]["Roles"]
                .as_array()
                .is_some_and(|rs| rs.iter().any(|r| r["Ref"] == role_l))
        })
        .map(|(_, _, p)| p["Properties"]["PolicyDocument"].to_string())
        .collect();
    for needle in [
        "global-cluster:trades-aurora-production-clr01",
        "global-cluster:positions-aurora-production-clr01",
        "route53:ListResourceRecordSets",
        "route53:ChangeResourceRecordSets",
    ] {
        assert!(doc.contains(needle), "{needle}: {doc}");
    }
}

#[test]
fn the_region_loss_check_passes_for_both_engines_on_every_spec_site() {
    for site in sites() {
        let default = graph(&site);
        let mut graphs = vec![("default", default)];
        if let Some(g) = with_lambda_engine(&site) {
            graphs.push(("lambda", g));
        }
        for (engine, g) in graphs {
            let loss = simulate(&g, Role::Primary);
            assert!(
                loss.intact(),
                "{} ({engine}): {:#?}",
                site.display(),
                loss.dependencies
            );
        }
    }
}

#[test]
fn an_approval_step_starts_every_workflow_and_counts_in_the_estimate() {
    let text = reference_text().replacen(
        "  allow_data_loss = true\n}",
        "  allow_data_loss = true\n  approval        = 45m\n  approver        = \"arn:aws:iam::123456789012:role/DrApprovers\"\n}",
        1,
    );
    let model = model_text("transactions.drs", &text).expect("checks");
    let g = drsc::lower::lower(&model).ok().expect("lowers");
    let b = emit(&g);
    let (_, _, p) = b
        .resources("AWS::ARCRegionSwitch::Plan")
        .into_iter()
        .next()
        .unwrap();
    for w in p["Properties"]["Workflows"].as_array().unwrap() {
        let first = &w["Steps"][0];
        assert_eq!(first["ExecutionBlockType"], "ManualApproval");
        assert_eq!(
            first["ExecutionBlockConfiguration"]["ExecutionApprovalConfig"],
            serde_json::json!({
                "ApprovalRole": "arn:aws:iam::123456789012:role/DrApprovers",
                "TimeoutMinutes": 45
            })
        );
    }
    let o = drsc::objectives::estimate(&model, &g);
    let t = o
        .recovery_time
        .terms
        .iter()
        .find(|t| t.name == "approval")
        .expect("an approval term");
    assert_eq!(t.value, 45 * 60);
    // Without `approval` (the default) there is no approval step and no term.
    let g = graph(&reference_path());
    let o = drsc::objectives::estimate(&support::model(&reference_path()), &g);
    assert!(!o.recovery_time.terms.iter().any(|t| t.name == "approval"));
}
