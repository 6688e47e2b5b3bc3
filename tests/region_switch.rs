//! The Region switch failover engine (R38, issue 11) on the reference site,
//! through both backends: the plan, its blocks, RTO, execution role, alarms and
//! report bucket; the starter function; no old failover function; and the
//! Lambda engine when the site asks for it.
//!
//! Property names: CloudFormation `AWS::ARCRegionSwitch::Plan`
//! (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-arcregionswitch-plan.html),
//! Terraform `aws_arcregionswitch_plan` (hashicorp/aws 6.47.0 schema). Aurora
//! block semantics: "switchoverOnly - Calls SwitchoverGlobalCluster for a
//! zero-data-loss switchover during graceful execution. failover - Calls
//! FailoverGlobalCluster with AllowDataLoss set to true. This operation might
//! cause data loss, including during graceful execution."
//! (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_GlobalAuroraConfiguration.html).

mod support;

use drsc::emit::tf;
use serde_json::Value as Json;
use std::collections::BTreeSet;
use support::*;

const EXECUTION_POLICY: &str =
    "policy/AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy";

fn plan(b: &Built) -> (&str, &str, &Json) {
    let plans = b.resources("AWS::ARCRegionSwitch::Plan");
    assert_eq!(plans.len(), 1, "exactly one plan (a global resource)");
    plans[0]
}

/// Every value of `key` anywhere in `v`.
fn values_of<'a>(v: &'a Json, key: &str, out: &mut Vec<&'a Json>) {
    match v {
        Json::Object(m) => {
            for (k, x) in m {
                if k == key {
                    out.push(x);
                }
                values_of(x, key, out);
            }
        }
        Json::Array(a) => a.iter().for_each(|x| values_of(x, key, out)),
        _ => {}
    }
}

fn sub_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        _ => v["Fn::Sub"].as_str().unwrap_or_default().to_string(),
    }
}

/// The statements of the customer-managed policy attached to the role `role_l`.
fn statements(b: &Built, role_l: &str) -> Vec<Json> {
    b.resources("AWS::IAM::ManagedPolicy")
        .into_iter()
        .filter(|(_, _, p)| {
            p["Properties"]["Roles"]
                .as_array()
                .is_some_and(|rs| rs.iter().any(|r| r["Ref"] == role_l))
        })
        .flat_map(|(_, _, p)| {
            p["Properties"]["PolicyDocument"]["Statement"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn list(v: &Json) -> Vec<String> {
    match v {
        Json::Array(a) => a.iter().map(sub_text).collect(),
        other => vec![sub_text(other)],
    }
}

#[test]
fn the_plan_is_declared_once_in_the_secondary_stack() {
    let b = reference();
    let (file, _, p) = plan(b);
    assert_eq!(file, "secondary.json");
    assert_eq!(b.region_of(file), "us-west-2");
    let props = &p["Properties"];
    assert_eq!(props["RecoveryApproach"], "activePassive");
    assert_eq!(props["PrimaryRegion"], "us-east-1");
    assert_eq!(
        props["Regions"],
        serde_json::json!(["us-east-1", "us-west-2"])
    );
    // rto = 4h.
    assert_eq!(props["RecoveryTimeObjectiveMinutes"], 240);
    assert!(
        props.get("Triggers").is_none(),
        "no trigger: its mode is undocumented"
    );
    let name = props["Name"].as_str().unwrap();
    assert!(name.len() <= 32, "{name}");
}

#[test]
fn every_workflow_switches_over_gracefully_and_fails_over_ungracefully() {
    let (_, _, p) = plan(reference());
    let workflows = p["Properties"]["Workflows"].as_array().unwrap();
    let targets: BTreeSet<&str> = workflows
        .iter()
        .map(|w| {
            assert_eq!(w["WorkflowTargetAction"], "activate");
            w["WorkflowTargetRegion"].as_str().unwrap()
        })
        .collect();
    assert_eq!(targets, BTreeSet::from(["us-east-1", "us-west-2"]));
    for w in workflows {
        let steps = w["Steps"].as_array().unwrap();
        let aurora: Vec<&Json> = steps
            .iter()
            .filter(|s| s["ExecutionBlockType"] == "AuroraGlobalDatabase")
            .collect();
        // One step per global database of the site (the reference has one).
        assert_eq!(aurora.len(), 1);
        let c = &aurora[0]["ExecutionBlockConfiguration"]["GlobalAuroraConfig"];
        assert_eq!(c["Behavior"], "switchoverOnly");
        assert_eq!(
            c["Ungraceful"],
            serde_json::json!({"Ungraceful": "failover"})
        );
        assert_eq!(
            c["GlobalClusterIdentifier"],
            "ledger-aurora-production-txn01"
        );
        let arns = list(&c["DatabaseClusterArns"]);
        assert_eq!(arns.len(), 2, "{arns:?}");
        assert!(arns[0].ends_with(
            ":rds:us-east-1:${AWS::AccountId}:cluster:ledger-aurora-production-txn01-use1"
        ));
        assert!(arns[1].ends_with(
            ":rds:us-west-2:${AWS::AccountId}:cluster:ledger-aurora-production-txn01-usw2"
        ));
        // The site has a `dns` block: a Route 53 health-check step.
        let r53: Vec<&Json> = steps
            .iter()
            .filter(|s| s["ExecutionBlockType"] == "Route53HealthCheck")
            .collect();
        assert_eq!(r53.len(), 1);
        let c = &r53[0]["ExecutionBlockConfiguration"]["Route53HealthCheckConfig"];
        assert_eq!(c["RecordName"], "api.bank.example.com");
        assert_eq!(c["RecordSets"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn no_plan_uses_behavior_failover() {
    // `Behavior: failover` loses data even in a graceful run (a drill).
    for site in sites() {
        let b = build(&site);
        for (file, l, p) in b.resources("AWS::ARCRegionSwitch::Plan") {
            let mut behaviors = Vec::new();
            values_of(p, "Behavior", &mut behaviors);
            assert!(!behaviors.is_empty(), "{file}/{l}");
            for v in behaviors {
                assert_eq!(v, "switchoverOnly", "{}: {file}/{l}", site.display());
            }
        }
    }
}

#[test]
fn the_execution_role_has_exactly_what_its_blocks_need() {
    let b = reference();
    let (_, _, p) = plan(b);
    let role_arn = sub_text(&p["Properties"]["ExecutionRole"]);
    let roles = b.resources("AWS::IAM::Role");
    let (_, role_l, role) = roles
        .iter()
        .find(|(_, _, r)| {
            role_arn.ends_with(&format!(
                ":role/{}",
                r["Properties"]["RoleName"].as_str().unwrap()
            ))
        })
        .copied()
        .expect("the execution role is emitted");
    let trust = &role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(
        trust["Principal"]["Service"],
        "arc-region-switch.amazonaws.com"
    );
    assert_eq!(trust["Action"], "sts:AssumeRole");
    let managed = list(&role["Properties"]["ManagedPolicyArns"]);
    assert_eq!(managed.len(), 1);
    assert!(
        managed[0].ends_with(&format!(":iam::aws:{EXECUTION_POLICY}")),
        "{managed:?}"
    );
    let st = statements(b, role_l);
    let aurora = st
        .iter()
        .find(|s| s["Sid"] == "AuroraGlobalDatabaseLedger")
        .expect("Aurora statement");
    assert_eq!(
        list(&aurora["Action"]),
        [
            "rds:DescribeDBClusters",
            "rds:DescribeGlobalClusters",
            "rds:FailoverGlobalCluster",
            "rds:SwitchoverGlobalCluster"
        ]
    );
    let res = list(&aurora["Resource"]);
    assert_eq!(res.len(), 3, "{res:?}");
    assert!(
        res[0].ends_with(":rds::${AWS::AccountId}:global-cluster:ledger-aurora-production-txn01")
    );
    assert!(res[1].ends_with(":cluster:ledger-aurora-production-txn01-use1"));
    assert!(res[2].ends_with(":cluster:ledger-aurora-production-txn01-usw2"));
    let r53 = st
        .iter()
        .find(|s| s["Sid"] == "Route53HealthCheck")
        .expect("Route 53 statement");
    assert_eq!(r53["Action"], "route53:ListResourceRecordSets");
    assert!(sub_text(&r53["Resource"]).contains(":route53:::hostedzone/"));
    // Its reports: written to its bucket with its key, recording the states of
    // the alarms it watches (and no other alarm)
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_reports.html).
    let read = st
        .iter()
        .find(|s| s["Sid"] == "ReadAlarmsForReports")
        .expect("alarm statement");
    assert_eq!(
        list(&read["Action"]),
        [
            "cloudwatch:DescribeAlarmHistory",
            "cloudwatch:DescribeAlarms"
        ]
    );
    let (_, _, p) = plan(b);
    let watched: BTreeSet<String> = p["Properties"]["AssociatedAlarms"]
        .as_object()
        .unwrap()
        .values()
        .map(|a| sub_text(&a["ResourceIdentifier"]))
        .collect();
    let read_res: BTreeSet<String> = read["Resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(sub_text)
        .collect();
    assert_eq!(read_res, watched);
    let encrypt = st
        .iter()
        .find(|s| s["Sid"] == "EncryptExecutionReports")
        .expect("key statement");
    assert_eq!(
        list(&encrypt["Action"]),
        ["kms:Encrypt", "kms:GenerateDataKey"]
    );
    // Nothing else.
    let sids: BTreeSet<&str> = st.iter().map(|s| s["Sid"].as_str().unwrap()).collect();
    assert_eq!(
        sids,
        BTreeSet::from([
            "AuroraGlobalDatabaseLedger",
            "Route53HealthCheck",
            "ReadAlarmsForReports",
            "WriteExecutionReports",
            "EncryptExecutionReports"
        ])
    );
    for s in &st {
        assert_ne!(s["Resource"], "*", "{s}");
    }
}

#[test]
fn the_plan_watches_drscs_alarms() {
    let b = reference();
    let (_, _, p) = plan(b);
    let alarms = p["Properties"]["AssociatedAlarms"].as_object().unwrap();
    let emitted: BTreeSet<String> = b
        .resources("AWS::CloudWatch::Alarm")
        .iter()
        .chain(b.resources("AWS::CloudWatch::CompositeAlarm").iter())
        .map(|(_, _, a)| a["Properties"]["AlarmName"].as_str().unwrap().to_string())
        .collect();
    let mut types = BTreeSet::new();
    for (name, a) in alarms {
        assert!(emitted.contains(name), "{name} is not an emitted alarm");
        assert!(sub_text(&a["ResourceIdentifier"]).ends_with(&format!(":alarm:{name}")));
        assert!(sub_text(&a["ResourceIdentifier"]).contains(":cloudwatch:us-west-2:"));
        types.insert(a["AlarmType"].as_str().unwrap().to_string());
    }
    // The trigger is the composite alarm (two signals), not one probe's alarm.
    assert_eq!(
        alarms["primary-down-alarm-production-txn01"]["AlarmType"],
        "trigger"
    );
    assert!(!alarms.contains_key("primary-unreachable-alarm-production-txn01"));
    assert_eq!(
        types,
        BTreeSet::from(["applicationHealth".to_string(), "trigger".to_string()])
    );
}

#[test]
fn reports_go_to_an_encrypted_private_bucket_in_the_secondary_region() {
    let b = reference();
    let (_, _, p) = plan(b);
    let out = &p["Properties"]["ReportConfiguration"]["ReportOutput"][0]["S3Configuration"];
    assert_eq!(
        out["BucketOwner"],
        serde_json::json!({"Ref": "AWS::AccountId"})
    );
    let path = out["BucketPath"].as_str().unwrap();
    let name = path
        .strip_prefix("s3://")
        .and_then(|p| p.split('/').next())
        .unwrap();
    let buckets = b.resources("AWS::S3::Bucket");
    let (file, l, bucket) = buckets
        .iter()
        .find(|(_, _, r)| r["Properties"]["BucketName"] == name)
        .copied()
        .expect("the report bucket is emitted");
    assert_eq!(b.region_of(file), "us-west-2");
    let props = &bucket["Properties"];
    assert_eq!(props["VersioningConfiguration"]["Status"], "Enabled");
    let sse = &props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        ["ServerSideEncryptionByDefault"];
    assert_eq!(sse["SSEAlgorithm"], "aws:kms");
    assert!(sse["KMSMasterKeyID"].is_object(), "a customer key: {sse}");
    let pab = &props["PublicAccessBlockConfiguration"];
    for k in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(pab[k], true, "{k}");
    }
    let policy = b
        .resources("AWS::S3::BucketPolicy")
        .into_iter()
        .find(|(_, _, r)| r["Properties"]["Bucket"]["Ref"] == l)
        .expect("a bucket policy");
    assert_eq!(
        policy.2["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]["Bool"]
            ["aws:SecureTransport"],
        false
    );
}

#[test]
fn the_starter_replaces_the_failover_function() {
    let b = reference();
    let functions = b.resources("AWS::Lambda::Function");
    let names: Vec<&str> = functions
        .iter()
        .map(|(_, _, f)| f["Properties"]["FunctionName"].as_str().unwrap())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with("failover-")),
        "no Lambda failover engine with Region switch: {names:?}"
    );
    let (file, _, starter) = functions
        .iter()
        .find(|(_, _, f)| f["Properties"]["FunctionName"] == "starter-function-production-txn01")
        .copied()
        .expect("the starter function");
    assert_eq!(b.region_of(file), "us-west-2");
    let (_, plan_l, _) = plan(b);
    let env = &starter["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["PLAN_ARN"],
        serde_json::json!({"Fn::GetAtt": [plan_l, "Arn"]})
    );
    assert_eq!(env["TARGET_REGION"], "us-west-2");
    assert_eq!(starter["Properties"]["Handler"], "handler.handler");
    // Its role may list and start executions of this plan, nothing else of Region switch.
    let role_l = starter["Properties"]["Role"]["Fn::GetAtt"][0]
        .as_str()
        .unwrap();
    let st = statements(b, role_l);
    let start = st
        .iter()
        .find(|s| s["Sid"] == "StartPlanExecution")
        .expect("StartPlanExecution statement");
    assert_eq!(
        list(&start["Action"]),
        [
            "arc-region-switch:ListPlanExecutions",
            "arc-region-switch:StartPlanExecution"
        ]
    );
    assert_eq!(
        start["Resource"],
        serde_json::json!({"Fn::GetAtt": [plan_l, "Arn"]})
    );
    // The failover topic invokes it.
    let subs = b.resources("AWS::SNS::Subscription");
    let topics = b.resources("AWS::SNS::Topic");
    let invoked = topics.iter().any(|(_, _, t)| {
        t["Properties"]["Subscription"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| s["Protocol"] == "lambda")
    }) || subs
        .iter()
        .any(|(_, _, s)| s["Properties"]["Protocol"] == "lambda");
    assert!(invoked, "a topic invokes the starter");
    // The package is the shipped handler.
    assert!(
        b.out.files.keys().any(|k| k.contains("starter")),
        "{:?}",
        b.out.files.keys()
    );
}

#[test]
fn the_readme_explains_the_engine_and_the_control_plane() {
    let r = reference().readme();
    for needle in [
        "AWS ARC Region switch",
        "mode = ungraceful",
        "control plane is in us-east-1",
        "switchoverOnly",
        "API_Trigger.html",
    ] {
        assert!(r.contains(needle), "README lacks {needle:?}");
    }
}

/// The reference site with `engine = lambda`.
fn lambda_site() -> Built {
    let text = reference_text().replacen(
        "  allow_data_loss = true\n}",
        "  allow_data_loss = true\n  engine          = lambda\n}",
        1,
    );
    assert!(text.contains("engine          = lambda"));
    let model = model_text("transactions.drs", &text).expect("the Lambda variant checks");
    emit(&drsc::lower::lower(&model).ok().expect("lowers"))
}

#[test]
fn the_lambda_engine_is_kept_for_engine_lambda() {
    let b = lambda_site();
    assert!(b.resources("AWS::ARCRegionSwitch::Plan").is_empty());
    let names: Vec<String> = b
        .resources("AWS::Lambda::Function")
        .iter()
        .map(|(_, _, f)| {
            f["Properties"]["FunctionName"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        names.contains(&"failover-function-production-txn01".to_string()),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("starter-")),
        "{names:?}"
    );
}

fn tf_plan() -> Json {
    let g = graph(&reference_path());
    let out = tf::emit(
        &g,
        &tf::Options {
            source: "site.drs".into(),
        },
    )
    .expect("Terraform");
    let doc: Json = serde_json::from_str(out.text("region_switch.tf.json").expect("file")).unwrap();
    let plans = doc["resource"]["aws_arcregionswitch_plan"]
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(plans.len(), 1);
    plans.into_iter().next().unwrap().1
}

#[test]
fn terraform_emits_the_same_plan() {
    let p = tf_plan();
    assert_eq!(p["recovery_approach"], "activePassive");
    assert_eq!(p["primary_region"], "us-east-1");
    assert_eq!(p["regions"], serde_json::json!(["us-east-1", "us-west-2"]));
    assert_eq!(p["recovery_time_objective_minutes"], 240);
    assert!(
        p.get("region").is_none(),
        "`region` is deprecated on a global resource"
    );
    assert!(p.get("triggers").is_none());
    let workflows = p["workflow"].as_array().unwrap();
    assert_eq!(workflows.len(), 2);
    for w in workflows {
        assert_eq!(w["workflow_target_action"], "activate");
        let step = &w["step"][0];
        assert_eq!(step["execution_block_type"], "AuroraGlobalDatabase");
        let c = &step["global_aurora_config"][0];
        assert_eq!(c["behavior"], "switchoverOnly");
        assert_eq!(c["ungraceful"][0]["ungraceful"], "failover");
        assert_eq!(c["database_cluster_arns"].as_array().unwrap().len(), 2);
        assert_eq!(w["step"][1]["execution_block_type"], "Route53HealthCheck");
    }
    let mut behaviors = Vec::new();
    values_of(&p, "behavior", &mut behaviors);
    assert!(behaviors.iter().all(|b| *b == "switchoverOnly"));
    let alarms = p["associated_alarms"].as_array().unwrap();
    let types: BTreeSet<&str> = alarms
        .iter()
        .map(|a| a["alarm_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, BTreeSet::from(["applicationHealth", "trigger"]));
    let s3 = &p["report_configuration"][0]["report_output"][0]["s3_configuration"][0];
    assert!(s3["bucket_path"].as_str().unwrap().starts_with("s3://"));
    assert!(p["execution_role"]
        .as_str()
        .unwrap()
        .contains("aws_iam_role.role_region_switch_secondary"));
}

/// The plan's CloudFormation properties, shared with the Python test that
/// validates them against botocore's `arc-region-switch` CreatePlan shapes
/// (`tests/python/test_region_switch_plan.py`). Regenerate with
/// `DRSC_BLESS=1 cargo test --test region_switch`.
#[test]
fn the_python_fixture_is_the_emitted_plan() {
    let (_, _, p) = plan(reference());
    let path = root().join("tests/python/region_switch_plan.json");
    let mut text = serde_json::to_string_pretty(&p["Properties"]).unwrap();
    text.push('\n');
    if std::env::var_os("DRSC_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        stored, text,
        "regenerate with DRSC_BLESS=1 cargo test --test region_switch"
    );
}
