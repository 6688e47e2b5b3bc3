//! Issue 10, defects 4 and 5, judged from the EMITTED FILES of both backends
//! for the reference site (`specs/transactions.drs`):
//!
//! * key policies separate administration from use (R22): no `kms:*`, no use
//!   by the account root except for an exact role named by `aws:PrincipalArn`,
//!   administrators without cryptographic actions, every use statement naming
//!   an exact role ARN or a service principal
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>);
//! * EventBridge may use the keys without `aws:SourceAccount` (unsupported for
//!   EventBridge → encrypted SNS: <https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services>)
//!   and the topic policy limits it by `aws:SourceArn`;
//! * a `DisableKey` / `ScheduleKeyDeletion` rule in each region targets that
//!   region's alert topic;
//! * the `ingest` role's DynamoDB and S3 actions are exactly its declared
//!   `reads = [documents]`, `writes = [transaction_meta, documents]` (R11).

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

const CRYPTO: &[&str] = &[
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:CreateGrant",
    "kms:Decrypt*",
    "kms:Encrypt*",
];
const ADMINS: &str = "arn:aws:iam::123456789012:role/KeyAdmins";
const DEPLOYER: &str = "arn:aws:iam::123456789012:role/drsc-deploy";

/// What the tests read, the same for both backends.
#[derive(Default, Debug)]
struct Emitted {
    /// (region, key policy statements)
    keys: Vec<(String, Vec<Value>)>,
    /// (region, rule name, event pattern, target text)
    rules: Vec<(String, String, Value, String)>,
    /// (region, topic text, statements)
    topic_policies: Vec<(String, String, Vec<Value>)>,
    /// (region, role name, statements)
    roles: Vec<(String, String, Vec<Value>)>,
}

fn build(target: &str, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_drsc"))
        .args(["build", "specs/transactions.drs", "--target", target, "-o"])
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("run drsc");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn statements(doc: &Value) -> Vec<Value> {
    list(&doc["Statement"]).into_iter().cloned().collect()
}

/// A Terraform policy string as JSON (`$${` escapes undone).
fn tf_doc(v: &Value) -> Value {
    let text = v.as_str().unwrap_or("null").replace("$${", "${");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn cfn() -> Emitted {
    let dir = tempfile::tempdir().expect("tmp");
    build("cfn", dir.path());
    let mut e = Emitted::default();
    for (file, region) in [
        ("primary.json", "us-east-1"),
        ("foundation.json", "us-west-2"),
        ("secondary.json", "us-west-2"),
    ] {
        let t = read(&dir.path().join(file));
        for (_, r) in t["Resources"].as_object().expect("resources") {
            let p = &r["Properties"];
            let region = region.to_string();
            match r["Type"].as_str().unwrap_or_default() {
                "AWS::KMS::Key" => e.keys.push((region, statements(&p["KeyPolicy"]))),
                "AWS::Events::Rule" => e.rules.push((
                    region,
                    p["Name"].as_str().unwrap_or_default().into(),
                    p["EventPattern"].clone(),
                    p["Targets"].to_string(),
                )),
                "AWS::SNS::TopicPolicy" => e.topic_policies.push((
                    region,
                    p["Topics"].to_string(),
                    statements(&p["PolicyDocument"]),
                )),
                // Roles carry customer-managed policies (issue 14).
                "AWS::IAM::ManagedPolicy" => e.roles.push((
                    region,
                    t["Resources"][p["Roles"][0]["Ref"].as_str().unwrap_or_default()]["Properties"]
                        ["RoleName"]
                        .as_str()
                        .unwrap_or_default()
                        .into(),
                    statements(&p["PolicyDocument"]),
                )),
                _ => {}
            }
        }
    }
    e
}

fn tf() -> Emitted {
    let dir = tempfile::tempdir().expect("tmp");
    build("tf", dir.path());
    let mut e = Emitted::default();
    let mut targets: Vec<(String, String)> = Vec::new();
    let mut roles: Vec<(String, String)> = Vec::new();
    for f in std::fs::read_dir(dir.path()).expect("dir") {
        let path = f.expect("entry").path();
        if !path.to_string_lossy().ends_with(".tf.json") {
            continue;
        }
        let d = read(&path);
        for (ty, rs) in d["resource"].as_object().into_iter().flatten() {
            for (name, b) in rs.as_object().into_iter().flatten() {
                let region = match b["provider"].as_str() {
                    Some("aws.secondary") => "us-west-2",
                    _ => "us-east-1",
                }
                .to_string();
                match ty.as_str() {
                    "aws_kms_key" => e.keys.push((region, statements(&tf_doc(&b["policy"])))),
                    "aws_cloudwatch_event_rule" => e.rules.push((
                        region,
                        b["name"].as_str().unwrap_or_default().into(),
                        tf_doc(&b["event_pattern"]),
                        name.clone(),
                    )),
                    "aws_cloudwatch_event_target" => targets.push((
                        b["rule"].as_str().unwrap_or_default().into(),
                        b["arn"].as_str().unwrap_or_default().into(),
                    )),
                    "aws_sns_topic_policy" => e.topic_policies.push((
                        region,
                        b["arn"].to_string(),
                        statements(&tf_doc(&b["policy"])),
                    )),
                    "aws_iam_role" => {
                        roles.push((name.clone(), b["name"].as_str().unwrap_or_default().into()))
                    }
                    "aws_iam_policy" => {
                        e.roles
                            .push((region, name.clone(), statements(&tf_doc(&b["policy"]))))
                    }
                    _ => {}
                }
            }
        }
    }
    // Rules: the target text is every target whose `rule` names the rule resource.
    for r in &mut e.rules {
        let id = format!("aws_cloudwatch_event_rule.{}.", r.3);
        r.3 = targets
            .iter()
            .filter(|(rule, _)| rule.contains(&id))
            .map(|(_, arn)| arn.clone())
            .collect::<Vec<_>>()
            .join(",");
    }
    // Role policies: by the role's physical name.
    for r in &mut e.roles {
        if let Some((_, n)) = roles.iter().find(|(res, _)| res == &r.1) {
            r.1 = n.clone();
        }
    }
    e
}

fn actions(st: &Value) -> Vec<String> {
    list(&st["Action"])
        .into_iter()
        .filter_map(|a| a.as_str().map(String::from))
        .collect()
}

fn principal_aws(st: &Value) -> Vec<String> {
    list(&st["Principal"]["AWS"])
        .into_iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn is_root(p: &str) -> bool {
    p.ends_with(":root") || p.contains(":root\"")
}

fn condition<'a>(st: &'a Value, op: &str, key: &str) -> Vec<&'a Value> {
    list(&st["Condition"][op][key])
}

fn check_keys(backend: &str, e: &Emitted) {
    assert_eq!(e.keys.len(), 2, "{backend}: a key per region");
    for (region, policy) in &e.keys {
        let at = format!("{backend} key in {region}");
        let mut administered = false;
        for st in policy {
            let sid = st["Sid"].as_str().unwrap_or_default();
            let acts = actions(st);
            assert!(
                !acts.iter().any(|a| a == "kms:*" || a == "*"),
                "{at}: {sid} grants kms:*"
            );
            if st["Effect"] == "Deny" {
                continue;
            }
            let crypto = acts.iter().any(|a| CRYPTO.contains(&a.as_str()));
            if st["Principal"] == "*" {
                // Only the Backup Audit Manager reports role (issue 13): named by
                // its exact ARN, in this account, through S3.
                let roles = condition(st, "ArnEquals", "aws:PrincipalArn");
                assert_eq!(roles.len(), 1, "{at}: {sid}");
                let text = roles[0].to_string();
                assert!(
                    text.contains(":role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports")
                        && !text.contains('*'),
                    "{at}: {sid} names no exact service-linked role: {text}"
                );
                assert!(
                    !condition(st, "StringEquals", "kms:CallerAccount").is_empty(),
                    "{at}: {sid}"
                );
                assert!(
                    !condition(st, "StringEquals", "kms:ViaService").is_empty(),
                    "{at}: {sid}"
                );
                assert!(!acts.iter().any(|a| a == "kms:CreateGrant"), "{at}: {sid}");
                continue;
            }
            let aws = principal_aws(st);
            if sid == "KeyAdministration" {
                administered = true;
                assert!(!crypto, "{at}: administrators may use the key: {acts:?}");
                assert!(acts.contains(&"kms:PutKeyPolicy".to_string()));
                let set: BTreeSet<&str> = aws.iter().map(String::as_str).collect();
                assert_eq!(set, BTreeSet::from([ADMINS, DEPLOYER]), "{at}");
            }
            if !crypto {
                continue;
            }
            // Every use names an exact role or a service principal.
            if aws.iter().any(|p| is_root(p)) {
                let roles = condition(st, "ArnEquals", "aws:PrincipalArn");
                assert!(
                    !roles.is_empty(),
                    "{at}: {sid} gives the account root use of the key"
                );
                for r in roles {
                    let text = r.to_string();
                    assert!(
                        text.contains(":role/") && !text.contains('*'),
                        "{at}: {sid} names no exact role: {text}"
                    );
                }
            } else if !aws.is_empty() {
                assert_eq!(aws, [DEPLOYER], "{at}: {sid}");
                assert!(
                    !condition(st, "StringLike", "kms:ViaService").is_empty(),
                    "{at}: the deployer uses the key only through services"
                );
            } else {
                let services = list(&st["Principal"]["Service"]);
                assert!(!services.is_empty(), "{at}: {sid} has no principal");
                if services.iter().any(|s| *s == "events.amazonaws.com") {
                    let text = st["Condition"].to_string();
                    assert!(
                        !text.contains("aws:SourceAccount") && !text.contains("aws:SourceArn"),
                        "{at}: EventBridge deliveries would be dropped: {text}"
                    );
                    assert_eq!(services.len(), 1, "{at}: events shares a statement");
                }
            }
        }
        assert!(administered, "{at}: no KeyAdministration statement");
        // The admins are denied use explicitly.
        let deny = policy
            .iter()
            .find(|s| s["Effect"] == "Deny")
            .unwrap_or_else(|| panic!("{at}: no deny for the administrators"));
        assert_eq!(principal_aws(deny), [ADMINS]);
        assert!(actions(deny).contains(&"kms:Decrypt".to_string()));
        assert!(policy.iter().any(|s| list(&s["Principal"]["Service"])
            .iter()
            .any(|p| *p == "events.amazonaws.com")));
    }
}

fn check_rules_and_topics(backend: &str, e: &Emitted) {
    let rules: Vec<_> = e
        .rules
        .iter()
        .filter(|r| r.1.starts_with("key-disabled-rule-"))
        .collect();
    let regions: BTreeSet<&str> = rules.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        regions,
        BTreeSet::from(["us-east-1", "us-west-2"]),
        "{backend}: a key rule per region"
    );
    for (region, name, pattern, target) in rules {
        assert_eq!(pattern["source"], serde_json::json!(["aws.kms"]));
        assert_eq!(
            pattern["detail-type"],
            serde_json::json!(["AWS API Call via CloudTrail"])
        );
        let calls: BTreeSet<&str> = list(&pattern["detail"]["eventName"])
            .into_iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(calls, BTreeSet::from(["DisableKey", "ScheduleKeyDeletion"]));
        let side = if region == "us-east-1" {
            "rimary"
        } else {
            "econdary"
        };
        let t = target.to_ascii_lowercase();
        assert!(
            t.contains("alerts") && t.contains(side),
            "{backend}: {name} in {region} targets {target}"
        );
        // The region's alert topic lets EventBridge publish only from its rules.
        let (_, _, policy) = e
            .topic_policies
            .iter()
            .find(|(r, topic, _)| r == region && topic.to_ascii_lowercase().contains("alerts"))
            .unwrap_or_else(|| panic!("{backend}: no alert topic policy in {region}"));
        let events = policy
            .iter()
            .find(|s| s["Principal"]["Service"] == "events.amazonaws.com")
            .expect("EventBridge statement");
        let sources = condition(events, "ArnEquals", "aws:SourceArn");
        assert!(
            sources
                .iter()
                .any(|s| s.to_string().contains(&format!("rule/{name}"))),
            "{backend}: topic policy in {region} does not name {name}: {sources:?}"
        );
        assert!(sources.iter().all(|s| !s.to_string().contains('*')));
    }
}

fn check_ingest(backend: &str, e: &Emitted) {
    let ingest: Vec<_> = e
        .roles
        .iter()
        .filter(|r| r.1.starts_with("ingest-function-"))
        .collect();
    assert_eq!(ingest.len(), 2, "{backend}: an ingest role per region");
    for (region, name, policy) in ingest {
        let mut ddb = BTreeSet::new();
        let mut s3 = BTreeSet::new();
        for st in policy {
            for a in actions(st) {
                if a.starts_with("dynamodb:") {
                    ddb.insert(a);
                } else if a.starts_with("s3:") {
                    s3.insert(a);
                }
            }
        }
        // `reads` and `writes` of `transaction_meta`: no Scan, no DeleteItem, no BatchWriteItem.
        let want_ddb: BTreeSet<String> = [
            "dynamodb:BatchGetItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
        ]
        .map(String::from)
        .into();
        let want_s3: BTreeSet<String> = [
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:ListBucket",
            "s3:PutObject",
        ]
        .map(String::from)
        .into();
        assert_eq!(ddb, want_ddb, "{backend}: {name} in {region}");
        assert_eq!(s3, want_s3, "{backend}: {name} in {region}");
    }
}

#[test]
fn cloudformation_key_policies_alarms_and_grants() {
    let e = cfn();
    check_keys("cfn", &e);
    check_rules_and_topics("cfn", &e);
    check_ingest("cfn", &e);
}

#[test]
fn terraform_key_policies_alarms_and_grants() {
    let e = tf();
    check_keys("tf", &e);
    check_rules_and_topics("tf", &e);
    check_ingest("tf", &e);
}
