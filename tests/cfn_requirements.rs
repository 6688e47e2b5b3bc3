//! One test per mission requirement (R-id): each checks the relevant
//! properties on EVERY resource of the type in EVERY template of the
//! reference site, and is shown to fail on a mutated site (site text where
//! the model allows the change, otherwise a mutated graph).

mod support;

use drsc::graph::{Graph, Node, NodeId, NodeKind, Resources, Statement, Value};
use serde_json::{json, Value as Json};
use std::collections::{BTreeMap, BTreeSet};
use support::*;

type Violations = Vec<String>;

fn mutated(f: impl FnOnce(&mut Graph)) -> Built {
    let mut g = graph(&reference_path());
    f(&mut g);
    emit(&g)
}

fn from_text(edit: impl FnOnce(String) -> String) -> Built {
    let text = edit(reference_text());
    let model = model_text("transactions.drs", &text).unwrap_or_else(|e| panic!("{e:#?}"));
    emit(&drsc::lower::lower(&model).ok().expect("lowers"))
}

fn node<'a>(g: &'a mut Graph, id: &str) -> &'a mut Node {
    g.nodes
        .iter_mut()
        .find(|n| n.id == NodeId(id.to_string()))
        .unwrap_or_else(|| panic!("no node {id}"))
}

/// The reference site with the Lambda failover engine (`engine = lambda`).
const LAMBDA_ENGINE: (&str, &str) = (
    "  allow_data_loss = true\n}",
    "  allow_data_loss = true\n  engine          = lambda\n}",
);

fn lambda_engine(t: String) -> String {
    t.replacen(LAMBDA_ENGINE.0, LAMBDA_ENGINE.1, 1)
}

/// [`requirement`] on the Lambda-engine variant of the reference site.
fn lambda_requirement(check: fn(&Built) -> Violations, mutation: Built) {
    let clean = check(&from_text(lambda_engine));
    assert!(
        clean.is_empty(),
        "the Lambda-engine site violates: {clean:#?}"
    );
    assert!(
        !check(&mutation).is_empty(),
        "the mutated site was not caught"
    );
}

fn requirement(check: fn(&Built) -> Violations, mutation: Built) {
    let clean = check(reference());
    assert!(clean.is_empty(), "reference site violates: {clean:#?}");
    assert!(
        !check(&mutation).is_empty(),
        "the mutated site was not caught"
    );
}

fn props(r: &Json) -> &Json {
    &r["Properties"]
}

fn s(j: &Json) -> String {
    match j {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_primary(b: &Built, file: &str) -> bool {
    b.region_of(file) == "us-east-1"
}

fn is_bootstrap(file: &str) -> bool {
    file.starts_with("bootstrap-")
}

/// `[{Key, Value}]` or a map, as a map.
fn tag_map(j: &Json) -> Option<BTreeMap<String, String>> {
    match j {
        Json::Array(a) => Some(a.iter().map(|t| (s(&t["Key"]), s(&t["Value"]))).collect()),
        Json::Object(o) => Some(o.iter().map(|(k, v)| (k.clone(), s(v))).collect()),
        _ => None,
    }
}

/// Policy statements as a list.
fn statements(doc: &Json) -> Vec<&Json> {
    match &doc["Statement"] {
        Json::Array(a) => a.iter().collect(),
        Json::Null => Vec::new(),
        other => vec![other],
    }
}

fn list(j: &Json) -> Vec<&Json> {
    match j {
        Json::Array(a) => a.iter().collect(),
        Json::Null => Vec::new(),
        other => vec![other],
    }
}

/// The tag properties of a type per the cfn-lint 1.58.0 registry schemas.
fn tag_properties() -> &'static BTreeMap<String, Vec<String>> {
    static T: std::sync::OnceLock<BTreeMap<String, Vec<String>>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let bin = cfn_lint::cfn_lint();
        let venv = bin.parent().unwrap().parent().unwrap();
        let lib = std::fs::read_dir(venv.join("lib"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("python")
            })
            .unwrap();
        let schemas = lib.join("site-packages/cfnlint/data/schemas");
        let index: BTreeMap<String, String> = serde_json::from_slice(
            &std::fs::read(schemas.join("providers/us-east-1.json")).unwrap(),
        )
        .unwrap();
        let mut out = BTreeMap::new();
        for (ty, hash) in index {
            let Ok(bytes) = std::fs::read(schemas.join(format!("resources/{hash}.json"))) else {
                continue;
            };
            let schema: Json = serde_json::from_slice(&bytes).unwrap();
            let tags: Vec<String> = schema["properties"]
                .as_object()
                .map(|p| {
                    p.keys()
                        .filter(|k| k.ends_with("Tags") && *k != "RecoveryPointTags")
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            out.insert(ty, tags);
        }
        out
    })
}

/// The IAM role resource a function's `Role` names: a `Fn::GetAtt` in the same
/// template, or an ARN (`.../role/NAME`) of a role in an earlier stack.
fn role_of<'a>(b: &'a Built, function: &Json) -> Option<&'a Json> {
    let role = &props(function)["Role"];
    let roles = b.resources("AWS::IAM::Role");
    if let Some(l) = role["Fn::GetAtt"][0].as_str() {
        return roles
            .into_iter()
            .find(|(_, rl, _)| *rl == l)
            .map(|(_, _, r)| r);
    }
    let text = s(role);
    let name = text
        .rsplit("role/")
        .next()?
        .trim_end_matches(['"', '}'])
        .to_string();
    roles
        .into_iter()
        .find(|(_, _, r)| props(r)["RoleName"] == name.as_str())
        .map(|(_, _, r)| r)
}

/// The properties of the customer-managed policies attached to `role`
/// (`AWS::IAM::ManagedPolicy` whose `Roles` names it): roles carry no
/// inline policies (issue 14).
fn policies<'a>(b: &'a Built, role: &Json) -> Vec<&'a Json> {
    let Some((file, l, _)) = b
        .resources("AWS::IAM::Role")
        .into_iter()
        .find(|(_, _, r)| props(r)["RoleName"] == props(role)["RoleName"])
    else {
        return Vec::new();
    };
    b.resources("AWS::IAM::ManagedPolicy")
        .into_iter()
        .filter(|(f, _, p)| {
            *f == file
                && list(&props(p)["Roles"])
                    .iter()
                    .any(|r| r["Ref"] == Json::String(l.to_string()))
        })
        .map(|(_, _, p)| props(p))
        .collect()
}

// ---------------------------------------------------------------- R1

fn r1(b: &Built) -> Violations {
    let mut v = Vec::new();
    let deploy = b.deploy();
    if deploy["regions"]["primary"] == deploy["regions"]["secondary"] {
        v.push("primary and secondary regions are the same".into());
    }
    for file in b.templates.keys() {
        let want = match file.as_str() {
            "primary.json" | "bootstrap-use1.json" => "us-east-1",
            _ => "us-west-2",
        };
        if b.region_of(file) != want {
            v.push(format!("{file} deployed to {}", b.region_of(file)));
        }
    }
    v
}

#[test]
fn r1_region_pair() {
    requirement(
        r1,
        mutated(|g| g.site.secondary_region = g.site.primary_region.clone()),
    );
}

// ---------------------------------------------------------------- R3

const NAME_PROPS: &[&str] = &[
    "BucketName",
    "FunctionName",
    "RoleName",
    "TableName",
    "DBClusterIdentifier",
    "DBInstanceIdentifier",
    "GlobalClusterIdentifier",
    "BackupVaultName",
    "TopicName",
    "QueueName",
    "AlarmName",
    "DashboardName",
    "LogGroupName",
    "DBSubnetGroupName",
    "DBClusterParameterGroupName",
];

fn r3(b: &Built) -> Violations {
    let mut v = Vec::new();
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    for (file, l, r) in b.all() {
        let ty = s(&r["Type"]);
        let mut names: Vec<(String, &Json)> = NAME_PROPS
            .iter()
            .filter(|p| !(ty == "AWS::RDS::DBCluster" && **p == "GlobalClusterIdentifier"))
            .map(|p| (p.to_string(), &props(r)[*p]))
            .collect();
        if ty == "AWS::Events::Rule" {
            names.push(("Name".into(), &props(r)["Name"]));
        }
        if ty == "AWS::Backup::BackupPlan" {
            names.push((
                "BackupPlanName".into(),
                &props(r)["BackupPlan"]["BackupPlanName"],
            ));
        }
        for (p, name) in names {
            let Some(name) = name.as_str() else { continue };
            let ok = name.contains("-production-txn01") && name == name.to_ascii_lowercase();
            if !ok {
                v.push(format!("{file}/{l}.{p} = {name}"));
            }
            let scope = if ty == "AWS::S3::Bucket" || ty == "AWS::IAM::Role" {
                "global".to_string()
            } else {
                b.region_of(file)
            };
            let key = (ty.clone(), scope, name.to_string());
            if !seen.insert(key) && ty != "AWS::RDS::GlobalCluster" {
                v.push(format!("{file}/{l}: duplicate {ty} name {name}"));
            }
        }
    }
    v
}

#[test]
fn r3_names_follow_the_scheme_and_are_unique() {
    requirement(
        r3,
        mutated(|g| node(g, "bucket/documents/secondary").name = "Documents".into()),
    );
}

// ---------------------------------------------------------------- R4

fn r4(b: &Built) -> Violations {
    let tagged = tag_properties();
    let mut v = Vec::new();
    for (file, l, r) in b.all() {
        let ty = s(&r["Type"]);
        let Some(tag_props) = tagged.get(&ty) else {
            v.push(format!("{file}/{l}: unknown type {ty}"));
            continue;
        };
        let role = if is_primary(b, file) {
            "primary"
        } else {
            "secondary"
        };
        let mut maps = Vec::new();
        for p in tag_props {
            match tag_map(&props(r)[p.as_str()]) {
                Some(m) => maps.push(m),
                None => v.push(format!("{file}/{l}: no {p}")),
            }
        }
        if ty == "AWS::DynamoDB::GlobalTable" {
            for rep in list(&props(r)["Replicas"]) {
                let region = s(&rep["Region"]);
                match tag_map(&rep["Tags"]) {
                    Some(m) => {
                        let want = if region == "us-east-1" {
                            "primary"
                        } else {
                            "secondary"
                        };
                        if m.get("DR-Role").map(String::as_str) != Some(want) {
                            v.push(format!("{file}/{l}: replica {region} DR-Role"));
                        }
                        maps.push(m);
                    }
                    None => v.push(format!("{file}/{l}: replica {region} untagged")),
                }
            }
        }
        for m in maps {
            if m.get("Environment").map(String::as_str) != Some("Production") {
                v.push(format!("{file}/{l}: Environment tag"));
            }
            match m.get("DR-Role").map(String::as_str) {
                Some("primary" | "secondary") => {}
                _ => v.push(format!("{file}/{l}: DR-Role tag")),
            }
            if ty != "AWS::DynamoDB::GlobalTable"
                && ty != "AWS::Route53::HealthCheck"
                && m.get("DR-Role").map(String::as_str) != Some(role)
            {
                v.push(format!("{file}/{l}: DR-Role is not {role}"));
            }
            for (k, val) in [
                ("Application", "transaction-processing"),
                ("CostCenter", "payments-4711"),
                ("Owner", "platform-sre"),
            ] {
                if m.get(k).map(String::as_str) != Some(val) {
                    v.push(format!("{file}/{l}: site tag {k}"));
                }
            }
        }
    }
    v
}

#[test]
fn r4_tags_on_every_taggable_resource() {
    requirement(
        r4,
        mutated(|g| {
            node(g, "queue/ingest-dlq/primary").tags.remove("DR-Role");
        }),
    );
}

// ---------------------------------------------------------------- R5

fn r5(b: &Built) -> Violations {
    let mut v = Vec::new();
    let globals = b.resources("AWS::RDS::GlobalCluster");
    if globals.len() != 1 || globals[0].0 != "primary.json" {
        v.push(format!("{} global clusters", globals.len()));
    }
    let clusters = b.resources("AWS::RDS::DBCluster");
    if clusters.len() != 2 {
        v.push(format!("{} clusters", clusters.len()));
    }
    let mut versions = BTreeSet::new();
    for (file, l, r) in clusters {
        let p = props(r);
        if p["Engine"] != "aurora-postgresql" || !s(&p["EngineVersion"]).starts_with("14.") {
            v.push(format!("{file}/{l}: engine"));
        }
        versions.insert(s(&p["EngineVersion"]));
        if p["GlobalClusterIdentifier"].is_null() {
            v.push(format!("{file}/{l}: not a global member"));
        }
        if is_primary(b, file) {
            // RDS-managed passwords are not supported on global-database members
            // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html):
            // the password is a dynamic reference to the site's secret.
            let password = s(&p["MasterUserPassword"]["Fn::Sub"]);
            if p["MasterUsername"].is_null()
                || !p["ManageMasterUserPassword"].is_null()
                || !password.starts_with("{{resolve:secretsmanager:")
            {
                v.push(format!(
                    "{file}/{l}: writer without credentials from the site secret"
                ));
            }
        } else {
            for k in [
                "MasterUsername",
                "MasterUserPassword",
                "DatabaseName",
                "ManageMasterUserPassword",
            ] {
                if !p[k].is_null() {
                    v.push(format!("{file}/{l}: secondary sets {k}"));
                }
            }
            if p["SourceRegion"] != "us-east-1" {
                v.push(format!("{file}/{l}: SourceRegion"));
            }
        }
    }
    if versions.len() != 1 {
        v.push(format!("engine versions differ: {versions:?}"));
    }
    v
}

#[test]
fn r5_aurora_global_database() {
    requirement(
        r5,
        mutated(|g| {
            if let NodeKind::DbCluster(c) = &mut node(g, "aurora/ledger/secondary").kind {
                c.master = Some(drsc::graph::MasterCredentials {
                    username: "admin".into(),
                    secret: drsc::graph::Value::lit("arn:aws:secretsmanager:us-east-1:1:secret:x"),
                });
            }
        }),
    );
}

// ---------------------------------------------------------------- R6

fn r6(b: &Built) -> Violations {
    let mut v = Vec::new();
    let functions = b.resources("AWS::Lambda::Function");
    let failover: Vec<_> = functions
        .iter()
        .filter(|(_, _, r)| s(&props(r)["FunctionName"]).starts_with("failover-"))
        .collect();
    if failover.len() != 1 {
        return vec![format!("{} failover functions", failover.len())];
    }
    let (ffile, fl, f) = failover[0];
    if is_primary(b, ffile) {
        v.push("failover function in the primary region".into());
    }
    for k in [
        "GLOBAL_CLUSTER_IDS",
        "TARGET_CLUSTER_ARNS",
        "ALLOW_DATA_LOSS",
    ] {
        if props(f)["Environment"]["Variables"][k].is_null() {
            v.push(format!("failover env {k}"));
        }
    }
    // Its role may call exactly the two RDS actions on exactly three ARNs.
    match role_of(b, f) {
        Some(r) => {
            let mut found = false;
            for p in policies(b, r) {
                for st in statements(&p["PolicyDocument"]) {
                    let actions: Vec<String> = list(&st["Action"]).into_iter().map(s).collect();
                    if actions
                        .iter()
                        .any(|a| a.starts_with("rds:") && a.contains("overGlobalCluster"))
                    {
                        found = true;
                        let mut want =
                            vec!["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"];
                        want.sort();
                        if actions != want {
                            v.push(format!("failover actions {actions:?}"));
                        }
                        let res: Vec<String> = list(&st["Resource"]).into_iter().map(s).collect();
                        let global = res
                            .iter()
                            .filter(|r| r.contains(":rds::") && r.contains(":global-cluster:"))
                            .count();
                        let clusters = res.iter().filter(|r| r.contains(":cluster:")).count();
                        if res.len() != 3 || global != 1 || clusters != 2 {
                            v.push(format!("failover resources {res:?}"));
                        }
                    }
                }
            }
            if !found {
                v.push("failover role cannot fail over".into());
            }
        }
        None => v.push("the failover function's role is not emitted".into()),
    }
    // Alarm (secondary region) → topic → failover function.
    let subscribed_topics: Vec<(String, String)> = b
        .resources("AWS::SNS::Subscription")
        .into_iter()
        .filter(|(_, _, r)| {
            props(r)["Protocol"] == "lambda" && props(r)["Endpoint"]["Fn::GetAtt"][0] == *fl
        })
        .map(|(file, _, r)| (file.to_string(), s(&props(r)["TopicArn"]["Ref"])))
        .collect();
    if subscribed_topics.is_empty() {
        v.push("no topic invokes the failover function".into());
    }
    let triggering = b
        .resources("AWS::CloudWatch::Alarm")
        .into_iter()
        .any(|(file, _, r)| {
            !is_primary(b, file)
                && list(&props(r)["AlarmActions"]).iter().any(|a| {
                    subscribed_topics
                        .iter()
                        .any(|(tf, t)| tf == file && a["Ref"].as_str() == Some(t.as_str()))
                })
                && props(r)["Namespace"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("drsc/"))
        });
    // With DNS, a composite alarm over two probe alarms (the peering and the
    // primary's front door, issue 11) is what triggers it.
    let probe_alarms: Vec<String> = b
        .resources("AWS::CloudWatch::Alarm")
        .into_iter()
        .filter(|(f, _, r)| {
            !is_primary(b, f)
                && props(r)["Namespace"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("drsc/"))
        })
        .flat_map(|(_, l, r)| {
            [
                format!(":alarm:{}", s(&props(r)["AlarmName"])),
                format!("${{{l}.Arn}}"),
            ]
        })
        .collect();
    let composite = b
        .resources("AWS::CloudWatch::CompositeAlarm")
        .into_iter()
        .any(|(file, _, r)| {
            let rule = props(r)["AlarmRule"].to_string();
            !is_primary(b, file)
                && list(&props(r)["AlarmActions"]).iter().any(|a| {
                    subscribed_topics
                        .iter()
                        .any(|(tf, t)| tf == file && a["Ref"].as_str() == Some(t.as_str()))
                })
                && rule.matches("ALARM(").count() == 2
                && probe_alarms
                    .iter()
                    .filter(|p| rule.contains(p.as_str()))
                    .count()
                    == 2
        });
    if !triggering && !composite {
        v.push("no secondary-region probe alarm triggers the failover".into());
    }
    // The probe runs on a schedule in the secondary region.
    let probe = b
        .resources("AWS::Events::Rule")
        .into_iter()
        .any(|(file, _, r)| !is_primary(b, file) && props(r)["ScheduleExpression"].is_string());
    if !probe {
        v.push("no scheduled probe in the secondary region".into());
    }
    // The automation has its own error alarm.
    let fname = s(&props(f)["FunctionName"]);
    let errors = b
        .resources("AWS::CloudWatch::Alarm")
        .into_iter()
        .any(|(_, _, r)| {
            props(r)["MetricName"] == "Errors"
                && list(&props(r)["Dimensions"])
                    .iter()
                    .any(|d| d["Value"] == fname.as_str())
        });
    if !errors {
        v.push("no error alarm on the failover function".into());
    }
    v
}

#[test]
fn r6_automated_failover_from_the_secondary_region() {
    // `mode = manual` would remove the trigger too, but the checks reject a
    // manual failover for this site (DRS0402), so the graph is mutated.
    // The Lambda engine (`engine = lambda`); tests/region_switch.rs covers Region switch.
    let text = lambda_engine(reference_text());
    let model = model_text("transactions.drs", &text).unwrap_or_else(|e| panic!("{e:#?}"));
    let mut g = drsc::lower::lower(&model).ok().expect("lowers");
    if let NodeKind::Topic(t) = &mut node(&mut g, "topic/failover/secondary").kind {
        t.subscriptions.clear();
    }
    lambda_requirement(r6, emit(&g));
}

// ---------------------------------------------------------------- R7

fn r7(b: &Built) -> Violations {
    let mut v = Vec::new();
    let tables = b.resources("AWS::DynamoDB::GlobalTable");
    if tables.is_empty() {
        v.push("no global table".into());
    }
    for (file, l, r) in tables {
        if file != "primary.json" {
            v.push(format!(
                "{file}/{l}: global table outside the primary stack"
            ));
        }
        if props(r)["StreamSpecification"]["StreamViewType"].is_null() {
            v.push(format!("{file}/{l}: no stream"));
        }
        let regions: BTreeSet<String> = list(&props(r)["Replicas"])
            .iter()
            .map(|x| s(&x["Region"]))
            .collect();
        if regions != BTreeSet::from(["us-east-1".to_string(), "us-west-2".to_string()]) {
            v.push(format!("{file}/{l}: replicas {regions:?}"));
        }
        for rep in list(&props(r)["Replicas"]) {
            if rep["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] != true {
                v.push(format!(
                    "{file}/{l}: replica {} without PITR",
                    rep["Region"]
                ));
            }
        }
    }
    v
}

#[test]
fn r7_global_table_with_pitr_on_every_replica() {
    requirement(
        r7,
        mutated(|g| {
            if let NodeKind::GlobalTable(t) = &mut node(g, "table/transaction_meta/primary").kind {
                t.replicas[1].pitr = false;
            }
        }),
    );
}

// ---------------------------------------------------------------- R8

fn customer_key(j: &Json) -> bool {
    match j {
        Json::String(s) => !s.is_empty() && !s.contains("alias/aws/"),
        Json::Null => false,
        _ => true,
    }
}

fn r8(b: &Built) -> Violations {
    let mut v = Vec::new();
    for (file, l, r) in b.resources("AWS::RDS::DBCluster") {
        if props(r)["StorageEncrypted"] != true || !customer_key(&props(r)["KmsKeyId"]) {
            v.push(format!("{file}/{l}: not encrypted with a customer key"));
        }
    }
    for (file, l, r) in b.resources("AWS::RDS::GlobalCluster") {
        if props(r)["StorageEncrypted"] != true {
            v.push(format!("{file}/{l}: global cluster unencrypted"));
        }
    }
    for (file, l, r) in b.resources("AWS::DynamoDB::GlobalTable") {
        if props(r)["SSESpecification"]["SSEType"] != "KMS" {
            v.push(format!("{file}/{l}: SSE type"));
        }
        for rep in list(&props(r)["Replicas"]) {
            if !customer_key(&rep["SSESpecification"]["KMSMasterKeyId"]) {
                v.push(format!("{file}/{l}: replica {} key", rep["Region"]));
            }
        }
    }
    v
}

#[test]
fn r8_databases_encrypted_with_customer_keys_per_region() {
    requirement(
        r8,
        mutated(|g| {
            if let NodeKind::GlobalTable(t) = &mut node(g, "table/transaction_meta/primary").kind {
                t.replicas[0].key = Value::lit("alias/aws/dynamodb");
            }
        }),
    );
}

// ---------------------------------------------------------------- R9

fn r9(b: &Built) -> Violations {
    let mut v = Vec::new();
    let policies: Vec<(String, &Json)> = b
        .resources("AWS::S3::BucketPolicy")
        .into_iter()
        .map(|(f, _, r)| {
            (
                format!("{f}/{}", s(&props(r)["Bucket"]["Ref"])),
                &props(r)["PolicyDocument"],
            )
        })
        .collect();
    let mut regions = BTreeSet::new();
    let mut replicated = false;
    for (file, l, r) in b.resources("AWS::S3::Bucket") {
        let p = props(r);
        let enc = &p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"];
        // Access-log buckets are SSE-S3 by necessity (tests/hardening.rs).
        if s(&p["BucketName"]).contains("-access-logs-") && enc["SSEAlgorithm"] == "AES256" {
            continue;
        }
        if p["VersioningConfiguration"]["Status"] != "Enabled" || enc["SSEAlgorithm"] != "aws:kms" {
            v.push(format!("{file}/{l}: versioning or SSE-KMS"));
        }
        let pab = &p["PublicAccessBlockConfiguration"];
        for k in [
            "BlockPublicAcls",
            "BlockPublicPolicy",
            "IgnorePublicAcls",
            "RestrictPublicBuckets",
        ] {
            if pab[k] != true {
                v.push(format!("{file}/{l}: {k}"));
            }
        }
        let tls = policies.iter().any(|(id, doc)| {
            id == &format!("{file}/{l}")
                && statements(doc).iter().any(|st| {
                    st["Effect"] == "Deny"
                        && st["Condition"]["Bool"]["aws:SecureTransport"] == false
                })
        });
        if !tls {
            v.push(format!("{file}/{l}: no TLS-only policy"));
        }
        if is_bootstrap(file) {
            continue;
        }
        if !customer_key(&enc["KMSMasterKeyID"]) {
            v.push(format!("{file}/{l}: no customer-managed key"));
        }
        regions.insert(b.region_of(file));
        if let Some(rc) = p.get("ReplicationConfiguration") {
            for rule in list(&rc["Rules"]) {
                let d = &rule["Destination"];
                if is_primary(b, file)
                    && s(&d["Bucket"]).contains("usw2")
                    && customer_key(&d["EncryptionConfiguration"]["ReplicaKmsKeyID"])
                    && rule["SourceSelectionCriteria"]["SseKmsEncryptedObjects"]["Status"]
                        == "Enabled"
                {
                    replicated = true;
                }
            }
        }
    }
    if regions.len() != 2 {
        v.push(format!("document buckets in {regions:?}"));
    }
    if !replicated {
        v.push("no primary → secondary replication with a replica key".into());
    }
    v
}

#[test]
fn r9_document_buckets_replicated_encrypted_private_tls_only() {
    requirement(
        r9,
        mutated(|g| {
            if let NodeKind::Bucket(bk) = &mut node(g, "bucket/documents/primary").kind {
                bk.replication = None;
            }
        }),
    );
}

// ---------------------------------------------------------------- R10

fn r10(b: &Built) -> Violations {
    let mut v = Vec::new();
    let mut by_name: BTreeMap<String, Vec<(String, &Json)>> = BTreeMap::new();
    for (file, _, r) in b.resources("AWS::Lambda::Function") {
        let p = props(r);
        let rt = s(&p["Runtime"]);
        let minor: u32 = rt
            .strip_prefix("python3.")
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        if minor < 9 {
            v.push(format!("{file}: runtime {rt}"));
        }
        by_name
            .entry(s(&p["FunctionName"]))
            .or_default()
            .push((b.region_of(file), p));
    }
    for (name, fs) in &by_name {
        if name.starts_with("failover-")
            || name.starts_with("probe-")
            || name.starts_with("edgeprobe-")
            || name.starts_with("starter-")
            || name.starts_with("restorevalidation-")
        {
            continue;
        }
        if fs.len() != 2 || fs[0].0 == fs[1].0 {
            v.push(format!("{name}: not deployed once per region"));
            continue;
        }
        for k in [
            "Runtime",
            "Handler",
            "MemorySize",
            "Timeout",
            "ReservedConcurrentExecutions",
        ] {
            if fs[0].1[k] != fs[1].1[k] {
                v.push(format!("{name}: {k} differs"));
            }
        }
        let keys = |p: &Json| -> BTreeSet<String> {
            p["Environment"]["Variables"]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        };
        if keys(fs[0].1) != keys(fs[1].1) {
            v.push(format!("{name}: environment differs"));
        }
        let code_key = |p: &Json| p["Code"]["S3Key"].clone();
        if code_key(fs[0].1) != code_key(fs[1].1) {
            v.push(format!("{name}: code differs"));
        }
    }
    v
}

#[test]
fn r10_identical_functions_in_both_regions() {
    requirement(
        r10,
        mutated(|g| {
            if let NodeKind::Function(f) = &mut node(g, "function/ingest/secondary").kind {
                f.memory_mib.value = 1024;
            }
        }),
    );
}

// ---------------------------------------------------------------- R11

fn wildcard_actions() -> BTreeSet<String> {
    include_str!("../stdlib/iam.drs")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("wildcard_action \""))
        .filter_map(|l| l.split('"').next())
        .map(String::from)
        .collect()
}

fn r11(b: &Built) -> Violations {
    let mut v = Vec::new();
    let wild = wildcard_actions();
    for (file, l, r) in b.resources("AWS::IAM::Role") {
        let trust = statements(&props(r)["AssumeRolePolicyDocument"]);
        if trust.len() != 1 || !trust[0]["Principal"]["Service"].is_string() {
            v.push(format!("{file}/{l}: trust is not one service"));
        }
        for p in policies(b, r) {
            for st in statements(&p["PolicyDocument"]) {
                let actions: Vec<String> = list(&st["Action"]).into_iter().map(s).collect();
                for a in &actions {
                    if a.contains('*') {
                        v.push(format!("{file}/{l}: wildcard action {a}"));
                    }
                }
                if st["Resource"] == "*" {
                    for a in &actions {
                        if !wild.contains(a) {
                            v.push(format!("{file}/{l}: {a} on *"));
                        }
                    }
                }
                if st["Effect"] != "Allow"
                    || st.get("NotAction").is_some()
                    || st.get("NotResource").is_some()
                {
                    v.push(format!("{file}/{l}: unexpected statement shape"));
                }
            }
        }
    }
    v
}

#[test]
fn r11_least_privilege_roles() {
    requirement(
        r11,
        mutated(|g| {
            if let NodeKind::Role(r) = &mut node(g, "role/ingest/primary").kind {
                r.statements.push(Statement::allow(
                    "Everything",
                    &["s3:*"],
                    vec![Value::lit("*")],
                ));
                let mut st = Statement::allow("AnyTable", &["dynamodb:PutItem"], Vec::new());
                st.resources = Resources::All;
                r.statements.push(st);
            }
        }),
    );
}

// ---------------------------------------------------------------- R12

fn r12(b: &Built) -> Violations {
    let mut v = Vec::new();
    let plans = b.resources("AWS::Backup::BackupPlan");
    if plans.is_empty() {
        v.push("no backup plan".into());
    }
    for (file, l, r) in plans {
        let rules = list(&props(r)["BackupPlan"]["BackupPlanRule"]);
        if !rules
            .iter()
            .any(|x| x["ScheduleExpression"] == "cron(0 * ? * * *)")
        {
            v.push(format!("{file}/{l}: no hourly rule for the 1h RPO"));
        }
        for rule in rules {
            if rule["Lifecycle"]["DeleteAfterDays"].as_u64().unwrap_or(0) < 35 {
                v.push(format!(
                    "{file}/{l}: {} retention below the profile",
                    rule["RuleName"]
                ));
            }
            // Each region's plan copies to the other region's vault (R12, R33).
            let other = if b.region_of(file) == "us-west-2" {
                "us-east-1"
            } else {
                "us-west-2"
            };
            let copies = list(&rule["CopyActions"]);
            let to_dr = copies
                .iter()
                .any(|c| s(&c["DestinationBackupVaultArn"]).contains(&format!(":backup:{other}:")));
            if !to_dr {
                v.push(format!(
                    "{file}/{l}: rule {} not copied to {other}",
                    rule["RuleName"]
                ));
            }
        }
    }
    v
}

#[test]
fn r12_backup_plan_hourly_with_cross_region_copy() {
    requirement(
        r12,
        mutated(|g| {
            if let NodeKind::BackupPlan(p) = &mut node(g, "backup/dr/primary").kind {
                p.rules[0].copy = None;
            }
        }),
    );
}

// ---------------------------------------------------------------- R13

fn r13(b: &Built) -> Violations {
    let mut v = Vec::new();
    let sels = b.resources("AWS::Backup::BackupSelection");
    let resources: Vec<String> = sels
        .iter()
        .flat_map(|(_, _, r)| list(&props(r)["BackupSelection"]["Resources"]))
        .map(s)
        .collect();
    for (ty, prop, kind) in [
        ("AWS::RDS::DBCluster", "DBClusterIdentifier", ":cluster:"),
        ("AWS::DynamoDB::GlobalTable", "TableName", ":table/"),
        ("AWS::S3::Bucket", "BucketName", ":::"),
    ] {
        for (file, l, r) in b.resources(ty) {
            if file != "primary.json" {
                continue;
            }
            // Evidence buckets (issue 13): Object Lock keeps the reports; they
            // are records about the site, not its data.
            if props(r)["ObjectLockEnabled"] == true {
                continue;
            }
            let name = s(&props(r)[prop]);
            // drsc's own bucket for the drill's FIS reports (R37), not a site store.
            if name.starts_with("drill-reports-") {
                continue;
            }
            let arn = format!("{kind}{name}");
            // A literal ARN, or a reference to the resource's ARN.
            let reference = format!("[\"{l}\",");
            if !resources.iter().any(|r| {
                r.ends_with(&arn) || r.contains(&format!("{arn}\"")) || r.contains(&reference)
            }) {
                v.push(format!("{ty} {name} not selected"));
            }
        }
    }
    v
}

#[test]
fn r13_selection_covers_every_stateful_resource() {
    requirement(
        r13,
        mutated(|g| {
            if let NodeKind::BackupPlan(p) = &mut node(g, "backup/dr/primary").kind {
                p.selection.resources.value.truncate(1);
            }
        }),
    );
}

// ---------------------------------------------------------------- R14

fn r14(b: &Built) -> Violations {
    let mut v = Vec::new();
    let vaults = b.resources("AWS::Backup::BackupVault");
    let regions: BTreeSet<String> = vaults.iter().map(|(f, _, _)| b.region_of(f)).collect();
    if regions.len() != 2 {
        v.push(format!("vaults in {regions:?}"));
    }
    for (file, l, r) in vaults {
        if !customer_key(&props(r)["EncryptionKeyArn"]) {
            v.push(format!("{file}/{l}: no customer key"));
        }
        let lock = &props(r)["LockConfiguration"];
        if lock["ChangeableForDays"].as_u64().unwrap_or(0) < 3 || lock["MinRetentionDays"].is_null()
        {
            v.push(format!("{file}/{l}: no compliance-mode Vault Lock"));
        }
    }
    v
}

#[test]
fn r14_vaults_in_both_regions_encrypted_and_locked() {
    requirement(
        r14,
        mutated(|g| {
            if let NodeKind::Vault(v) = &mut node(g, "vault/dr/secondary").kind {
                v.lock = None;
            }
        }),
    );
}

// ---------------------------------------------------------------- R15–R17

/// Both regions' front doors are health-checked over HTTPS on `/health`, each
/// check created with its region's stacks (issue 10, defect 3).
fn r15(b: &Built) -> Violations {
    let mut v = Vec::new();
    let checks = b.resources("AWS::Route53::HealthCheck");
    if checks.len() != 2 {
        v.push(format!("{} health checks", checks.len()));
    }
    let mut hosts = BTreeSet::new();
    for (file, l, r) in checks {
        let c = &props(r)["HealthCheckConfig"];
        let want = match file {
            "primary.json" => "api-use1.bank.example.com",
            "foundation.json" | "secondary.json" => "api-usw2.bank.example.com",
            _ => "",
        };
        if c["FullyQualifiedDomainName"] != want
            || c["Type"] != "HTTPS"
            || c["ResourcePath"] != "/health"
        {
            v.push(format!(
                "{file}/{l}: not an HTTPS check of its region's front door"
            ));
        }
        hosts.insert(s(&c["FullyQualifiedDomainName"]));
    }
    if hosts.len() != 2 {
        v.push(format!("health checks probe {hosts:?}"));
    }
    v
}

#[test]
fn r15_health_check_on_the_primary_endpoint() {
    requirement(
        r15,
        mutated(|g| {
            if let NodeKind::HealthCheck(h) = &mut node(g, "hc/api/primary").kind {
                h.fqdn = "api-usw2.bank.example.com".into();
            }
        }),
    );
}

/// The weighted records (the front doors' own host names have simple alias records).
fn records(b: &Built) -> Vec<&Json> {
    b.resources("AWS::Route53::RecordSet")
        .into_iter()
        .map(|(_, _, r)| props(r))
        .filter(|r| !r["SetIdentifier"].is_null())
        .collect()
}

fn r16(b: &Built) -> Violations {
    let mut v = Vec::new();
    let recs = records(b);
    let ids: BTreeSet<String> = recs.iter().map(|r| s(&r["SetIdentifier"])).collect();
    if recs.len() != 2 || ids.len() != 2 {
        v.push(format!("{} weighted records", recs.len()));
    }
    for r in &recs {
        if r["Weight"].is_null() || r["Name"] != "api.bank.example.com" {
            v.push(format!("{}: not weighted", r["SetIdentifier"]));
        }
        let primary = s(&r["SetIdentifier"]).starts_with("primary");
        if r["HealthCheckId"].is_null() {
            v.push(format!(
                "{}: not tied to a health check",
                r["SetIdentifier"]
            ));
        }
        // An alias to the region's regional custom domain for the record name.
        let want = if primary {
            "DomainApiPrimary"
        } else {
            "DomainApiSecondary"
        };
        let target = &r["AliasTarget"];
        if target["DNSName"] != json!({"Fn::GetAtt": [want, "RegionalDomainName"]})
            || target["HostedZoneId"] != json!({"Fn::GetAtt": [want, "RegionalHostedZoneId"]})
            || r["Type"] != "A"
        {
            v.push(format!("{}: points at {target}", r["SetIdentifier"]));
        }
    }
    v
}

/// The Lambda engine's records are weighted (`primary_share`), each tied to
/// drsc's health check of its region's front door.
#[test]
fn r16_weighted_records_tied_to_health_checks() {
    let text = lambda_engine(reference_text());
    let model = model_text("transactions.drs", &text).unwrap_or_else(|e| panic!("{e:#?}"));
    let mut g = drsc::lower::lower(&model).ok().expect("lowers");
    if let NodeKind::Record(r) = &mut node(&mut g, "record/api/primary").kind {
        r.health_check = None;
    }
    lambda_requirement(r16, emit(&g));
}

/// With Region switch the records are failover records, each tied to the
/// health check the plan created for its region (issue 11: traffic on the
/// data plane, moved by the plan's own execution).
fn r16_region_switch(b: &Built) -> Violations {
    let mut v = Vec::new();
    let recs = records(b);
    if recs.len() != 2 {
        v.push(format!("{} records", recs.len()));
    }
    for r in &recs {
        let primary = s(&r["SetIdentifier"]).starts_with("primary");
        let (want, index) = if primary {
            ("PRIMARY", 0)
        } else {
            ("SECONDARY", 1)
        };
        if r["Failover"] != want || !r["Weight"].is_null() {
            v.push(format!(
                "{}: not a {want} failover record",
                r["SetIdentifier"]
            ));
        }
        let hc = json!({"Fn::Select": [3, {"Fn::Split": [":", {"Fn::Select": [
            index, {"Fn::GetAtt": ["PlanRegionSwitchSecondary", "PlanHealthChecks"]}
        ]}]}]});
        if r["HealthCheckId"] != hc {
            v.push(format!(
                "{}: not tied to the plan's health check of its region",
                r["SetIdentifier"]
            ));
        }
    }
    v
}

#[test]
fn r16_region_switch_records_follow_the_plans_health_checks() {
    requirement(
        r16_region_switch,
        mutated(|g| {
            if let NodeKind::Record(r) = &mut node(g, "record/api/secondary").kind {
                r.health_check = None;
            }
        }),
    );
}

fn r17(b: &Built) -> Violations {
    let mut v = Vec::new();
    let recs = records(b);
    let sets: BTreeSet<String> = recs.iter().map(|r| s(&r["SetIdentifier"])).collect();
    // Route 53 skips the unhealthy primary by itself...
    if !recs
        .iter()
        .any(|r| s(&r["SetIdentifier"]).starts_with("primary") && !r["HealthCheckId"].is_null())
    {
        v.push("primary record has no health check".into());
    }
    // ...and the failover function moves the weights.
    let f = b
        .resources("AWS::Lambda::Function")
        .into_iter()
        .find(|(_, _, r)| s(&props(r)["FunctionName"]).starts_with("failover-"));
    match f {
        Some((file, _, r)) => {
            let env = &props(r)["Environment"]["Variables"];
            for k in [
                "HOSTED_ZONE_ID",
                "RECORD_NAME",
                "RECORD_TYPE",
                "PRIMARY_SET_ID",
                "SECONDARY_SET_ID",
            ] {
                if env[k].is_null() {
                    v.push(format!("failover env lacks {k}"));
                }
            }
            for k in ["PRIMARY_SET_ID", "SECONDARY_SET_ID"] {
                if !sets.contains(&s(&env[k])) {
                    v.push(format!("{k} matches no record"));
                }
            }
            let can = role_of(b, r).is_some_and(|role| {
                policies(b, role).iter().any(|p| {
                    statements(&p["PolicyDocument"])
                        .iter()
                        .any(|st| st["Action"] == "route53:ChangeResourceRecordSets")
                })
            });
            if !can {
                v.push(format!("{file}: failover role cannot change records"));
            }
        }
        None => v.push("no failover function".into()),
    }
    v
}

#[test]
fn r17_dns_moves_to_the_secondary_automatically() {
    // The Lambda engine shifts the weights (tests/region_switch.rs covers Region switch).
    lambda_requirement(
        r17,
        from_text(|t| lambda_engine(t).replace("  dns             = api\n", "")),
    );
}

// ---------------------------------------------------------------- R18

fn r18(b: &Built) -> Violations {
    let mut v = Vec::new();
    let encrypted_topics: BTreeSet<(String, String)> = b
        .resources("AWS::SNS::Topic")
        .into_iter()
        .filter(|(_, _, r)| customer_key(&props(r)["KmsMasterKeyId"]))
        .map(|(f, l, _)| (f.to_string(), l.to_string()))
        .collect();
    for region in ["us-east-1", "us-west-2"] {
        let mut states = BTreeSet::new();
        for (file, l, r) in b.resources("AWS::Events::Rule") {
            if b.region_of(file) != region {
                continue;
            }
            let p = &props(r)["EventPattern"];
            if p["source"][0] != "aws.backup" {
                continue;
            }
            let types: Vec<String> = list(&p["detail-type"]).into_iter().map(s).collect();
            // Restore-job rules are R36's (tests/restore_testing.rs).
            if types == ["Restore Job State Change"] {
                continue;
            }
            if !types.contains(&"Backup Job State Change".into())
                || !types.contains(&"Copy Job State Change".into())
            {
                v.push(format!("{file}/{l}: detail types {types:?}"));
            }
            let to_topic = list(&props(r)["Targets"])
                .iter()
                .all(|t| encrypted_topics.contains(&(file.to_string(), s(&t["Arn"]["Ref"]))));
            if !to_topic {
                v.push(format!(
                    "{file}/{l}: target is not an encrypted topic of its stack"
                ));
            }
            states.extend(list(&p["detail"]["state"]).into_iter().map(s));
        }
        for want in ["FAILED", "COMPLETED"] {
            if !states.contains(want) {
                v.push(format!("{region}: no rule for {want} jobs"));
            }
        }
    }
    v
}

#[test]
fn r18_backup_job_events_to_an_encrypted_topic() {
    requirement(
        r18,
        mutated(|g| {
            g.nodes
                .retain(|n| !n.id.as_str().starts_with("rule/backup-failed/"));
        }),
    );
}

// ---------------------------------------------------------------- R19

fn r19(b: &Built) -> Violations {
    let mut v = Vec::new();
    let dashboards = b.resources("AWS::CloudWatch::Dashboard");
    if dashboards.len() != 1 {
        v.push(format!("{} dashboards", dashboards.len()));
    }
    for (file, l, r) in dashboards {
        let body: Json = serde_json::from_str(props(r)["DashboardBody"].as_str().unwrap_or("{}"))
            .unwrap_or_default();
        let mut found: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for w in list(&body["widgets"]) {
            for m in list(&w["properties"]["metrics"]) {
                let items = list(m);
                let name = items.get(1).map(|x| s(x)).unwrap_or_default();
                let region = items
                    .last()
                    .and_then(|o| o["region"].as_str())
                    .map(String::from)
                    .unwrap_or_else(|| s(&w["properties"]["region"]));
                for want in ["AuroraGlobalDBReplicationLag", "ReplicationLatency"] {
                    if name == want {
                        found.entry(want).or_default().insert(region.clone());
                    }
                }
            }
        }
        if !found.contains_key("AuroraGlobalDBReplicationLag") {
            v.push(format!("{file}/{l}: no Aurora replication lag"));
        }
        let regions: BTreeSet<String> = found.values().flatten().cloned().collect();
        if !found.contains_key("ReplicationLatency") || regions.len() != 2 {
            v.push(format!(
                "{file}/{l}: no cross-region DynamoDB latency ({regions:?})"
            ));
        }
    }
    v
}

#[test]
fn r19_dashboard_with_cross_region_replication_widgets() {
    requirement(
        r19,
        mutated(|g| {
            if let NodeKind::Dashboard(d) = &mut node(g, "dashboard/dr/secondary").kind {
                d.body = serde_json::json!({"widgets": []});
            }
        }),
    );
}

// ---------------------------------------------------------------- R20

fn r20(b: &Built) -> Violations {
    let mut v = Vec::new();
    let alarms = b.resources("AWS::CloudWatch::Alarm");
    let has = |metric: &str, region: &str| {
        alarms
            .iter()
            .any(|(f, _, r)| props(r)["MetricName"] == metric && b.region_of(f) == region)
    };
    if !has("AuroraGlobalDBReplicationLag", "us-west-2") {
        v.push("no Aurora lag alarm in the secondary region".into());
    }
    if !has("ReplicationLatency", "us-east-1") {
        v.push("no DynamoDB replication alarm".into());
    }
    if !has("NumberOfBackupJobsFailed", "us-east-1") || !has("NumberOfCopyJobsFailed", "us-east-1")
    {
        v.push("no backup failure alarms".into());
    }
    for (file, l, r) in &alarms {
        let actions = list(&props(r)["AlarmActions"]);
        if actions.is_empty() {
            v.push(format!("{file}/{l}: no action"));
        }
        // Actions are topics of the alarm's own region.
        let topics: BTreeSet<String> = b
            .resources("AWS::SNS::Topic")
            .into_iter()
            .filter(|(f, _, _)| f == file)
            .map(|(_, l, _)| l.to_string())
            .collect();
        let region = b.region_of(file);
        for a in actions {
            let local_ref = a["Ref"].as_str().is_some_and(|t| topics.contains(t));
            let regional_arn = s(a).contains(&format!(":sns:{region}:"));
            if !local_ref && !regional_arn {
                v.push(format!(
                    "{file}/{l}: action {a} is not a topic of its region"
                ));
            }
        }
    }
    v
}

#[test]
fn r20_alarms_on_lag_and_backup_failures() {
    requirement(
        r20,
        mutated(|g| {
            g.nodes
                .retain(|n| n.id.as_str() != "alarm/ledger-lag/secondary")
        }),
    );
}

// ---------------------------------------------------------------- R21

fn r21(b: &Built) -> Violations {
    let keys = b.resources("AWS::KMS::Key");
    let mut v: Violations = keys
        .iter()
        .filter(|(_, _, r)| props(r)["EnableKeyRotation"] != true)
        .map(|(f, l, _)| format!("{f}/{l}: rotation off"))
        .collect();
    let regions: BTreeSet<String> = keys.iter().map(|(f, _, _)| b.region_of(f)).collect();
    if regions.len() != 2 {
        v.push(format!("keys in {regions:?}"));
    }
    v
}

#[test]
fn r21_every_key_rotates() {
    requirement(
        r21,
        mutated(|g| {
            if let NodeKind::Key(k) = &mut node(g, "key/data/secondary").kind {
                k.rotation = false;
            }
        }),
    );
}

// ---------------------------------------------------------------- R22

fn r22(b: &Built) -> Violations {
    let mut v = Vec::new();
    for (file, l, r) in b.resources("AWS::KMS::Key") {
        let sts = statements(&props(r)["KeyPolicy"]);
        let admin = sts
            .iter()
            .filter(|st| st["Sid"] == "KeyAdministration")
            .count();
        if admin != 1 {
            v.push(format!("{file}/{l}: {admin} administration statements"));
        }
        for st in &sts {
            // `*` only narrowed to one exact service-linked role of the account
            // (it may not exist when the key is created; issue 13's report role).
            let one_service_role = st["Condition"]["ArnEquals"]["aws:PrincipalArn"]
                .to_string()
                .contains(":role/aws-service-role/")
                && !st["Condition"]["StringEquals"]["kms:CallerAccount"].is_null()
                && !st["Condition"]["StringEquals"]["kms:ViaService"].is_null();
            if (st["Principal"] == "*" || st["Principal"]["AWS"] == "*") && !one_service_role {
                v.push(format!("{file}/{l}: anyone may use the key"));
            }
            if st.to_string().contains("\"kms:*\"") {
                v.push(format!("{file}/{l}: {} grants kms:*", st["Sid"]));
            }
            // Administration, the administrators' deny and EventBridge (which
            // supports no source conditions for encrypted topics) are unconditional.
            let exempt = [
                "KeyAdministration",
                "DenyKeyUseByAdministrators",
                "AllowPublishFromEvents",
            ];
            if !exempt.iter().any(|e| st["Sid"] == *e) && st["Condition"].is_null() {
                v.push(format!("{file}/{l}: {} is unconditional", st["Sid"]));
            }
        }
        let text = props(r)["KeyPolicy"].to_string();
        // Cross-region use: the replica key names the replication role via S3 in its region,
        // and both keys name the backup role.
        let names_replication_role = text.contains("documents-replication-role")
            && text.contains("s3.us-west-2.amazonaws.com");
        if !is_primary(b, file) && !names_replication_role {
            v.push(format!(
                "{file}/{l}: replica key does not allow the replication role"
            ));
        }
        if !text.contains("dr-backup-role") {
            v.push(format!("{file}/{l}: key does not allow the backup role"));
        }
        if !text.contains("dynamodb.*.amazonaws.com") {
            v.push(format!(
                "{file}/{l}: key does not allow DynamoDB global tables"
            ));
        }
    }
    v
}

#[test]
fn r22_key_policies_allow_exactly_the_users() {
    requirement(
        r22,
        mutated(|g| {
            if let NodeKind::Key(k) = &mut node(g, "key/data/secondary").kind {
                k.policy.truncate(1);
                let mut st = Statement::allow("Open", &["kms:Decrypt"], Vec::new())
                    .to(drsc::graph::Principal::Account);
                st.resources = Resources::All;
                k.policy.push(st);
            }
        }),
    );
}

// ---------------------------------------------------------------- R23

fn r23(b: &Built) -> Violations {
    let mut v = Vec::new();
    for (file, l, r) in b.resources("AWS::RDS::DBClusterParameterGroup") {
        if props(r)["Parameters"]["rds.force_ssl"] != "1" {
            v.push(format!("{file}/{l}: SSL not enforced"));
        }
    }
    for (ty, prop) in [
        ("AWS::SNS::Topic", "KmsMasterKeyId"),
        ("AWS::SQS::Queue", "KmsMasterKeyId"),
        ("AWS::Logs::LogGroup", "KmsKeyId"),
        ("AWS::Backup::BackupVault", "EncryptionKeyArn"),
        ("AWS::Lambda::Function", "KmsKeyArn"),
    ] {
        for (file, l, r) in b.resources(ty) {
            if !customer_key(&props(r)[prop]) {
                v.push(format!("{file}/{l}: not encrypted at rest"));
            }
        }
    }
    let buckets = b.resources("AWS::S3::Bucket").len();
    let tls = b
        .resources("AWS::S3::BucketPolicy")
        .into_iter()
        .filter(|(_, _, r)| {
            props(r)["PolicyDocument"]
                .to_string()
                .contains("aws:SecureTransport")
        })
        .count();
    if tls != buckets {
        v.push(format!("{tls} TLS-only policies for {buckets} buckets"));
    }
    v
}

#[test]
fn r23_encryption_at_rest_and_in_transit() {
    requirement(
        r23,
        mutated(|g| {
            if let NodeKind::DbCluster(c) = &mut node(g, "aurora/ledger/secondary").kind {
                c.parameter_group
                    .parameters
                    .insert("rds.force_ssl".into(), "0".into());
            }
        }),
    );
}

#[test]
fn r23_function_environments_use_customer_keys() {
    requirement(
        r23,
        mutated(|g| {
            if let NodeKind::Function(f) = &mut node(g, "function/ingest/primary").kind {
                f.env_key = drsc::graph::Value::lit("alias/aws/lambda");
            }
        }),
    );
}

// ---------------------------------------------------------------- R24, R25

fn r24_for(b: &Built, production: bool) -> Violations {
    let mut v = Vec::new();
    for ty in ["AWS::RDS::DBCluster", "AWS::RDS::GlobalCluster"] {
        for (file, l, r) in b.resources(ty) {
            if props(r)["DeletionProtection"] != production {
                v.push(format!("{file}/{l}: deletion protection"));
            }
        }
    }
    for (file, l, r) in b.resources("AWS::DynamoDB::GlobalTable") {
        for rep in list(&props(r)["Replicas"]) {
            if rep["DeletionProtectionEnabled"] != production {
                v.push(format!(
                    "{file}/{l}: replica {} deletion protection",
                    rep["Region"]
                ));
            }
        }
    }
    v
}

fn r24(b: &Built) -> Violations {
    r24_for(b, true)
}

#[test]
fn r24_deletion_protection_in_production() {
    requirement(
        r24,
        mutated(|g| {
            node(g, "aurora/ledger/secondary")
                .protection
                .deletion_protection = false
        }),
    );
    let staging = build(&minimal_path());
    assert!(
        r24_for(&staging, false).is_empty(),
        "{:#?}",
        r24_for(&staging, false)
    );
}

const CRITICAL: &[&str] = &[
    "AWS::KMS::Key",
    "AWS::DynamoDB::GlobalTable",
    "AWS::RDS::DBCluster",
    "AWS::RDS::GlobalCluster",
    "AWS::RDS::DBInstance",
    "AWS::Backup::BackupVault",
];

fn r25_for(b: &Built, production: bool) -> Violations {
    let want = if production { "Retain" } else { "Delete" };
    let mut v = Vec::new();
    for (file, l, r) in b.all() {
        let ty = s(&r["Type"]);
        let critical =
            CRITICAL.contains(&ty.as_str()) || (ty == "AWS::S3::Bucket" && !is_bootstrap(file));
        if !critical {
            continue;
        }
        if r["DeletionPolicy"] != want || r["UpdateReplacePolicy"] != want {
            v.push(format!("{file}/{l}: policies are not {want}"));
        }
    }
    // A non-production site is fully destroyable.
    if !production {
        for (file, l, r) in b.all() {
            if r["DeletionPolicy"] == "Retain" {
                v.push(format!("{file}/{l}: retained in a non-production site"));
            }
        }
    }
    v
}

fn r25(b: &Built) -> Violations {
    r25_for(b, true)
}

#[test]
fn r25_retain_critical_data_in_production() {
    requirement(
        r25,
        mutated(|g| node(g, "bucket/documents/secondary").protection.retain = false),
    );
    let staging = build(&minimal_path());
    assert!(
        r25_for(&staging, false).is_empty(),
        "{:#?}",
        r25_for(&staging, false)
    );
}

// ---------------------------------------------------------------- R26

fn r26(b: &Built) -> Violations {
    let mut v = Vec::new();
    let vpcs = b.resources("AWS::EC2::VPC");
    let cidrs: Vec<(String, String)> = vpcs
        .iter()
        .map(|(f, _, r)| (b.region_of(f), s(&props(r)["CidrBlock"])))
        .collect();
    let regions: BTreeSet<&String> = cidrs.iter().map(|c| &c.0).collect();
    if vpcs.len() != 2 || regions.len() != 2 || cidrs[0].1 == cidrs[1].1 {
        v.push(format!("VPCs {cidrs:?}"));
    }
    for (file, _, _) in &vpcs {
        let zones: BTreeSet<String> = b
            .resources("AWS::EC2::Subnet")
            .into_iter()
            .filter(|(f, _, _)| f == file)
            .map(|(_, _, r)| props(r)["AvailabilityZone"].to_string())
            .collect();
        if zones.len() < 2 {
            v.push(format!("{file}: subnets in {} zones", zones.len()));
        }
        if b.resources("AWS::EC2::Subnet")
            .iter()
            .any(|(f, _, r)| f == file && props(r)["MapPublicIpOnLaunch"] != false)
        {
            v.push(format!("{file}: public subnet"));
        }
    }
    let peerings = b.resources("AWS::EC2::VPCPeeringConnection");
    if peerings.len() != 1 || props(peerings[0].2)["PeerRegion"] != "us-west-2" {
        v.push("no peering to us-west-2".into());
    }
    for region in ["us-east-1", "us-west-2"] {
        let routes = b
            .resources("AWS::EC2::Route")
            .into_iter()
            .filter(|(f, _, r)| {
                b.region_of(f) == region && !props(r)["VpcPeeringConnectionId"].is_null()
            })
            .count();
        let tables = b
            .resources("AWS::EC2::RouteTable")
            .into_iter()
            .filter(|(f, _, _)| b.region_of(f) == region)
            .count();
        if routes == 0 || routes != tables {
            v.push(format!(
                "{region}: {routes} peering routes for {tables} route tables"
            ));
        }
    }
    v
}

#[test]
fn r26_vpcs_and_peering_with_routes_on_both_sides() {
    requirement(
        r26,
        mutated(|g| {
            if let NodeKind::Peering(p) = &mut node(g, "peering/core/primary").kind {
                p.routes.retain(|r| r.side == drsc::model::Role::Primary);
            }
        }),
    );
}

// ---------------------------------------------------------------- R27

fn r27(b: &Built) -> Violations {
    let mut v = Vec::new();
    for (file, l, _) in b.resources("AWS::RDS::DBCluster") {
        let zones: Vec<String> = b
            .resources("AWS::RDS::DBInstance")
            .into_iter()
            .filter(|(f, _, r)| *f == file && props(r)["DBClusterIdentifier"]["Ref"] == l)
            .map(|(_, _, r)| props(r)["AvailabilityZone"].to_string())
            .collect();
        let distinct: BTreeSet<&String> = zones.iter().collect();
        if zones.len() < 2 || distinct.len() < 2 {
            v.push(format!(
                "{file}/{l}: {} instances in {} zones",
                zones.len(),
                distinct.len()
            ));
        }
    }
    v
}

#[test]
fn r27_multi_az_database_instances_in_both_regions() {
    requirement(
        r27,
        mutated(|g| {
            if let NodeKind::DbCluster(c) = &mut node(g, "aurora/ledger/primary").kind {
                c.instances.truncate(1);
            }
        }),
    );
}

// ---------------------------------------------------------------- R28

fn r28(b: &Built) -> Violations {
    let seven_years = 7 * 365;
    let mut v = Vec::new();
    // Every region's plan (R33: both regions back up) keeps records and their copies 7 years.
    for (file, l, r) in b.resources("AWS::Backup::BackupPlan") {
        let kept = list(&props(r)["BackupPlan"]["BackupPlanRule"])
            .iter()
            .any(|rule| {
                let local =
                    rule["Lifecycle"]["DeleteAfterDays"].as_u64().unwrap_or(0) >= seven_years;
                let copied = list(&rule["CopyActions"]).iter().any(|c| {
                    c["Lifecycle"]["DeleteAfterDays"].as_u64().unwrap_or(0) >= seven_years
                });
                local && copied
            });
        if !kept {
            v.push(format!(
                "{file}/{l}: no rule keeps records (and their copies) 7 years"
            ));
        }
    }
    for (file, l, r) in b.resources("AWS::Backup::BackupVault") {
        if props(r)["LockConfiguration"]["MaxRetentionDays"]
            .as_u64()
            .unwrap_or(0)
            < seven_years
        {
            v.push(format!(
                "{file}/{l}: the lock does not allow 7-year records"
            ));
        }
    }
    v
}

#[test]
fn r28_seven_year_retention_enforced() {
    requirement(
        r28,
        mutated(|g| {
            if let NodeKind::BackupPlan(p) = &mut node(g, "backup/dr/primary").kind {
                for r in &mut p.rules {
                    r.lifecycle.delete_after_days.value =
                        r.lifecycle.delete_after_days.value.min(365);
                }
            }
        }),
    );
}

// ---------------------------------------------------------------- R29

fn r29(b: &Built) -> Violations {
    let mut v = Vec::new();
    for (file, l, r) in b.resources("AWS::RDS::DBInstance") {
        if props(r)["DBInstanceClass"] != "db.serverless" {
            v.push(format!("{file}/{l}: not Serverless v2"));
        }
    }
    for (file, l, r) in b.resources("AWS::RDS::DBCluster") {
        if props(r)["ServerlessV2ScalingConfiguration"]["MaxCapacity"].is_null() {
            v.push(format!("{file}/{l}: no Serverless v2 capacity"));
        }
    }
    for (file, l, r) in b.resources("AWS::DynamoDB::GlobalTable") {
        if props(r)["BillingMode"] != "PAY_PER_REQUEST" {
            v.push(format!("{file}/{l}: provisioned"));
        }
    }
    v
}

#[test]
fn r29_serverless_where_it_fits() {
    requirement(
        r29,
        mutated(|g| {
            if let NodeKind::DbCluster(c) = &mut node(g, "aurora/ledger/primary").kind {
                c.serverless = None;
                for i in &mut c.instances {
                    i.class = "db.r6g.large".into();
                }
            }
        }),
    );
}

// ---------------------------------------------------------------- R30

fn r30(b: &Built) -> Violations {
    let mut v = Vec::new();
    let Some(readme) = b.out.text("README.md") else {
        return vec!["no README.md".into()];
    };
    for section in [
        "## Overview",
        "## Data stores and their protection",
        "## Failover path",
        "## Stacks",
        "## Deploying",
    ] {
        if !readme.contains(section) {
            v.push(format!("README lacks {section}"));
        }
    }
    for file in b.templates.keys() {
        if !readme.contains(file.as_str()) {
            v.push(format!("README does not list {file}"));
        }
    }
    for (ty, prop) in [
        ("AWS::RDS::GlobalCluster", "GlobalClusterIdentifier"),
        ("AWS::DynamoDB::GlobalTable", "TableName"),
        ("AWS::S3::Bucket", "BucketName"),
    ] {
        for (file, _, r) in b.resources(ty) {
            let name = s(&props(r)[prop]);
            if !is_bootstrap(file) && !readme.contains(&name) {
                v.push(format!("README does not describe {name}"));
            }
        }
    }
    if !readme.contains("FailoverGlobalCluster")
        || !readme.contains("us-east-1")
        || !readme.contains("us-west-2")
    {
        v.push("README does not describe the failover path and regions".into());
    }
    if b.out.text("deploy.json").is_none() {
        v.push("no deploy.json".into());
    }
    v
}

#[test]
fn r30_generated_architecture_overview_and_deploy_instructions() {
    let mut m = build(&reference_path());
    m.out.files.remove("README.md");
    requirement(r30, m);
}
