//! Issue 10, defects 1 and 2, read from the emitted files of both backends.
//!
//! 1. Aurora does not support RDS-managed master passwords on global-database
//!    members (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html,
//!    "Limitations"): the writer's password comes from the site's own secret
//!    (CloudFormation dynamic reference, Terraform write-only argument), the
//!    secret replicates to the secondary region with the secondary key, and
//!    the secondary member sets no credentials at all
//!    (`Cannot specify password/user name/database name for cross region
//!    replication cluster`, see notes/aws-research-issues-10-11.md §1.4).
//! 2. Functions log in with IAM database authentication to their own
//!    region's cluster (`rds-db:connect` on
//!    `arn:aws:rds-db:region:account-id:dbuser:DbClusterResourceId/db-user-name`,
//!    https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html);
//!    no secondary-region site function references anything of the primary
//!    region; every API an in-VPC function calls has an endpoint in its VPC
//!    (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html).
//!
//! The probes and the failover function are not site functions: the probe's
//! job is to reach the primary writer, the edge probe's the primary front
//! door (its health URL names the primary), and the failover function is allowed
//! to name the old primary cluster in `rds:FailoverGlobalCluster`.

mod support;

use drsc::graph::{Attr, Graph, NodeKind, Value};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use support::Built;

const PRIMARY: &str = "us-east-1";
const SECONDARY: &str = "us-west-2";

fn props(r: &Json) -> &Json {
    &r["Properties"]
}

fn s(j: &Json) -> String {
    match j {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn list(j: &Json) -> Vec<&Json> {
    match j {
        Json::Array(a) => a.iter().collect(),
        Json::Null => Vec::new(),
        other => vec![other],
    }
}

// ------------------------------------------------------------ Terraform

/// A Terraform module: every block by `(kind, type, name)`.
struct Tf {
    blocks: BTreeMap<(String, String, String), Json>,
    providers: Json,
}

impl Tf {
    fn new(graph: &Graph) -> Tf {
        let out = drsc::emit::tf::emit(
            graph,
            &drsc::emit::tf::Options {
                source: "site.drs".into(),
            },
        )
        .unwrap_or_else(|d| panic!("tf emit failed: {d:#?}"));
        let mut blocks = BTreeMap::new();
        let mut providers = Json::Null;
        for (path, bytes) in &out.files {
            if !path.ends_with(".tf.json") {
                continue;
            }
            let doc: Json = serde_json::from_slice(bytes).expect("tf JSON");
            if path == "providers.tf.json" {
                providers = doc.clone();
            }
            for kind in ["resource", "data", "ephemeral"] {
                if let Some(types) = doc[kind].as_object() {
                    for (ty, names) in types {
                        for (name, body) in names.as_object().into_iter().flatten() {
                            blocks
                                .insert((kind.to_string(), ty.clone(), name.clone()), body.clone());
                        }
                    }
                }
            }
        }
        Tf { blocks, providers }
    }

    fn of(&self, kind: &str, ty: &str) -> Vec<(&str, &Json)> {
        self.blocks
            .iter()
            .filter(|((k, t, _), _)| k == kind && t == ty)
            .map(|((_, _, n), b)| (n.as_str(), b))
            .collect()
    }

    fn get(&self, kind: &str, ty: &str, name: &str) -> Option<&Json> {
        self.blocks
            .get(&(kind.to_string(), ty.to_string(), name.to_string()))
    }

    /// Managed resources (`type.name`) referenced inside `text`, not data sources.
    fn referenced(&self, text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (kind, ty, name) in self.blocks.keys() {
            if kind != "resource" {
                continue;
            }
            let addr = format!("{ty}.{name}");
            let mut from = 0;
            while let Some(i) = text[from..].find(&addr) {
                let at = from + i;
                let before = text[..at].chars().last();
                let after = text[at + addr.len()..].chars().next();
                let boundary_before =
                    !before.is_some_and(|c| c == '.' || c == '_' || c.is_alphanumeric());
                let boundary_after = !after.is_some_and(|c| c == '_' || c.is_alphanumeric());
                if boundary_before && boundary_after {
                    out.push((ty.clone(), name.clone()));
                    break;
                }
                from = at + addr.len();
            }
        }
        out
    }
}

fn provider(b: &Json) -> String {
    s(&b["provider"])
}

// ------------------------------------------------------------ the checks

/// Defect 1 in CloudFormation.
fn cfn_master_credentials(b: &Built) -> Vec<String> {
    let mut v = Vec::new();
    let clusters = b.resources("AWS::RDS::DBCluster");
    if clusters.len() != 2 {
        v.push(format!("{} clusters", clusters.len()));
    }
    for (file, l, r) in clusters {
        let p = props(r);
        if !p["ManageMasterUserPassword"].is_null() || !p["MasterUserSecret"].is_null() {
            v.push(format!("{file}/{l}: RDS-managed master password"));
        }
        if p["EnableIAMDatabaseAuthentication"] != true {
            v.push(format!("{file}/{l}: no IAM database authentication"));
        }
        let region = b.region_of(file);
        if region == SECONDARY {
            for k in [
                "MasterUsername",
                "MasterUserPassword",
                "DatabaseName",
                "ManageMasterUserPassword",
            ] {
                if !p[k].is_null() {
                    v.push(format!("{file}/{l}: secondary member sets {k}"));
                }
            }
            continue;
        }
        // The writer: password by dynamic reference to a secret of the same template.
        let password = s(&p["MasterUserPassword"]["Fn::Sub"]);
        let Some(secret) = password
            .strip_prefix("{{resolve:secretsmanager:${")
            .and_then(|rest| rest.split_once('}'))
            .and_then(|(logical, tail)| {
                (tail == ":SecretString:password}}").then_some(logical.to_string())
            })
        else {
            v.push(format!(
                "{file}/{l}: MasterUserPassword is not a dynamic reference to a site secret: {password}"
            ));
            continue;
        };
        let t = &b.templates[file];
        let sr = &t["Resources"][&secret];
        if sr["Type"] != "AWS::SecretsManager::Secret" {
            v.push(format!("{file}/{l}: `{secret}` is not a secret of {file}"));
            continue;
        }
        let sp = props(sr);
        let gen = &sp["GenerateSecretString"];
        if gen["GenerateStringKey"] != "password"
            || gen["PasswordLength"]
                .as_u64()
                .is_none_or(|n| !(8..=41).contains(&n))
        {
            v.push(format!(
                "{file}/{secret}: password not generated (8-41 characters)"
            ));
        }
        let excluded = s(&gen["ExcludeCharacters"]);
        for c in ['/', '"', '@', '\\'] {
            if !excluded.contains(c) {
                v.push(format!("{file}/{secret}: the password may contain `{c}`"));
            }
        }
        let template: Json =
            serde_json::from_str(&s(&gen["SecretStringTemplate"])).unwrap_or(Json::Null);
        if template["username"] != p["MasterUsername"] {
            v.push(format!(
                "{file}/{secret}: username differs from the cluster's"
            ));
        }
        // Encrypted with a key of this (primary) template.
        let own_key = sp["KmsKeyId"]["Fn::GetAtt"][0].as_str().unwrap_or_default();
        if t["Resources"][own_key]["Type"] != "AWS::KMS::Key" || region != PRIMARY {
            v.push(format!(
                "{file}/{secret}: not encrypted with the primary key"
            ));
        }
        // Replicated to the secondary with the secondary key (a parameter fed by
        // the foundation stack's output of its key's ARN).
        let replicas = list(&sp["ReplicaRegions"]);
        let ok = replicas.len() == 1 && replicas[0]["Region"] == SECONDARY && {
            let param = s(&replicas[0]["KmsKeyId"]["Ref"]);
            let f = &b.templates["foundation.json"];
            let key = f["Outputs"][&param]["Value"]["Fn::GetAtt"].clone();
            b.region_of("foundation.json") == SECONDARY
                && key[1] == "Arn"
                && f["Resources"][s(&key[0])]["Type"] == "AWS::KMS::Key"
        };
        if !ok {
            v.push(format!(
                "{file}/{secret}: not replicated to {SECONDARY} with the secondary key: {}",
                sp["ReplicaRegions"]
            ));
        }
        // Rotation: hosted PostgreSQLSingleUser, with the transform it needs.
        let rotation = b
            .resources("AWS::SecretsManager::RotationSchedule")
            .into_iter()
            .find(|(f, _, r)| *f == file && props(r)["SecretId"]["Ref"] == secret.as_str());
        match rotation {
            Some((_, _, r)) => {
                if props(r)["HostedRotationLambda"]["RotationType"] != "PostgreSQLSingleUser" {
                    v.push(format!("{file}/{secret}: rotation type"));
                }
                if t["Transform"] != "AWS::SecretsManager-2024-09-16" {
                    v.push(format!(
                        "{file}: hosted rotation without the Secrets Manager transform"
                    ));
                }
            }
            None => v.push(format!("{file}/{secret}: not rotated")),
        }
    }
    v
}

/// Defect 1 in Terraform.
fn tf_master_credentials(t: &Tf) -> Vec<String> {
    let mut v = Vec::new();
    let clusters = t.of("resource", "aws_rds_cluster");
    if clusters.len() != 2 {
        v.push(format!("{} clusters", clusters.len()));
    }
    for (n, c) in clusters {
        for k in [
            "manage_master_user_password",
            "master_user_secret_kms_key_id",
            "master_password",
        ] {
            if !c[k].is_null() {
                v.push(format!("aws_rds_cluster.{n}: sets {k}"));
            }
        }
        if c["iam_database_authentication_enabled"] != true {
            v.push(format!(
                "aws_rds_cluster.{n}: no IAM database authentication"
            ));
        }
        if provider(c) == "aws.secondary" {
            for k in [
                "master_username",
                "master_password_wo",
                "master_password_wo_version",
                "database_name",
            ] {
                if !c[k].is_null() {
                    v.push(format!("aws_rds_cluster.{n}: secondary member sets {k}"));
                }
            }
            continue;
        }
        // master_password_wo = jsondecode(<ephemeral read of the site secret>).password
        let wo = s(&c["master_password_wo"]);
        let read = wo
            .strip_prefix("${jsondecode(ephemeral.aws_secretsmanager_secret_version.")
            .and_then(|r| r.strip_suffix(".secret_string)[\"password\"]}"))
            .unwrap_or_default()
            .to_string();
        let Some(e) = t.get("ephemeral", "aws_secretsmanager_secret_version", &read) else {
            v.push(format!(
                "aws_rds_cluster.{n}: password not read from the site secret: {wo}"
            ));
            continue;
        };
        if c["master_password_wo_version"].as_u64().is_none() || c["master_username"].is_null() {
            v.push(format!(
                "aws_rds_cluster.{n}: write-only password without a version or user"
            ));
        }
        let version = s(&e["secret_id"])
            .strip_prefix("${aws_secretsmanager_secret_version.")
            .and_then(|r| r.strip_suffix(".secret_id}"))
            .unwrap_or_default()
            .to_string();
        let Some(sv) = t.get("resource", "aws_secretsmanager_secret_version", &version) else {
            v.push(format!(
                "ephemeral read `{read}` does not read a version drsc writes"
            ));
            continue;
        };
        if sv["secret_string_wo"].is_null() || !sv["secret_string"].is_null() {
            v.push(format!(
                "aws_secretsmanager_secret_version.{version}: value not write-only"
            ));
        }
        let secret = s(&sv["secret_id"])
            .strip_prefix("${aws_secretsmanager_secret.")
            .and_then(|r| r.strip_suffix(".id}"))
            .unwrap_or_default()
            .to_string();
        let Some(sec) = t.get("resource", "aws_secretsmanager_secret", &secret) else {
            v.push(format!("version `{version}` belongs to no site secret"));
            continue;
        };
        let key_provider = |expr: &Json| {
            s(expr)
                .strip_prefix("${aws_kms_key.")
                .and_then(|r| r.strip_suffix(".arn}"))
                .and_then(|k| t.get("resource", "aws_kms_key", k))
                .map(provider)
                .unwrap_or_default()
        };
        if provider(sec) != "aws.primary" || key_provider(&sec["kms_key_id"]) != "aws.primary" {
            v.push(format!(
                "aws_secretsmanager_secret.{secret}: not in the primary with the primary key"
            ));
        }
        let replicas = list(&sec["replica"]);
        if replicas.len() != 1
            || replicas[0]["region"] != SECONDARY
            || key_provider(&replicas[0]["kms_key_id"]) != "aws.secondary"
        {
            v.push(format!(
                "aws_secretsmanager_secret.{secret}: not replicated to {SECONDARY} with the secondary key: {}",
                sec["replica"]
            ));
        }
    }
    let version = s(&t.providers["terraform"]["required_version"]);
    if version != ">= 1.11.1" {
        v.push(format!(
            "required_version {version}: write-only arguments need >= 1.11.1"
        ));
    }
    v
}

/// CloudFormation site functions: (file, logical id, function, its role's statements).
fn cfn_site_functions(b: &Built) -> Vec<(&str, &str, &Json, Vec<Json>)> {
    let mut out = Vec::new();
    for (file, l, f) in b.resources("AWS::Lambda::Function") {
        let name = s(&props(f)["FunctionName"]);
        if name.starts_with("probe-")
            || name.starts_with("edgeprobe-")
            || name.starts_with("failover-")
        {
            continue;
        }
        let role_logical = l.replacen("Function", "Role", 1);
        let role = b
            .all()
            .into_iter()
            .find(|(_, rl, _)| *rl == role_logical)
            .map(|(_, _, r)| r.clone())
            .unwrap_or(Json::Null);
        let _ = &role;
        let statements: Vec<Json> = managed_policies(b, &role_logical)
            .iter()
            .flat_map(|p| list(&p["PolicyDocument"]["Statement"]).into_iter().cloned())
            .collect();
        assert!(
            !statements.is_empty(),
            "{file}/{l}: role {role_logical} not found"
        );
        out.push((file, l, f, statements));
    }
    out
}

/// Parameters of `file` fed by an output of the primary stack.
fn primary_fed_parameters(b: &Built, file: &str) -> BTreeSet<String> {
    let deploy = b.deploy();
    let mut out = BTreeSet::new();
    for step in deploy["steps"].as_array().into_iter().flatten() {
        if step["template"] != file {
            continue;
        }
        for p in list(&step["parameters"]) {
            if s(&p["from"]).contains("primary") || s(&p["stack"]) == "primary" {
                out.insert(s(&p["name"]));
            }
        }
    }
    out
}

/// Defect 2, CloudFormation: own-region credentials, scoped connect, endpoints.
fn cfn_functions(b: &Built) -> Vec<String> {
    let mut v = Vec::new();
    let mut connects = 0;
    for (file, l, f, statements) in cfn_site_functions(b) {
        let region = b.region_of(file);
        let p = props(f);
        let env = &p["Environment"]["Variables"];
        if region == SECONDARY {
            let fed = primary_fed_parameters(b, file);
            let scanned =
                serde_json::to_string(&(env, &statements, &p["KmsKeyArn"])).unwrap_or_default();
            for bad in [PRIMARY, "-use1", "Primary"] {
                if scanned.contains(bad) {
                    v.push(format!("{file}/{l}: references `{bad}` (primary region)"));
                }
            }
            for param in fed {
                if scanned.contains(&format!("\"Ref\":\"{param}\""))
                    || scanned.contains(&format!("${{{param}}}"))
                {
                    v.push(format!(
                        "{file}/{l}: uses `{param}`, an output of the primary stack"
                    ));
                }
            }
        }
        for st in &statements {
            let actions: Vec<String> = list(&st["Action"]).into_iter().map(s).collect();
            if actions.iter().any(|a| a.starts_with("secretsmanager:")) {
                v.push(format!("{file}/{l}: reads a secret ({actions:?})"));
            }
            if !actions.iter().any(|a| a == "rds-db:connect") {
                continue;
            }
            connects += 1;
            // arn:${AWS::Partition}:rds-db:<own region>:${AWS::AccountId}:dbuser:${<own cluster>.DBClusterResourceId}/<user>
            let arn = s(&st["Resource"]["Fn::Sub"]);
            let prefix =
                format!("arn:${{AWS::Partition}}:rds-db:{region}:${{AWS::AccountId}}:dbuser:${{");
            let scoped = arn
                .strip_prefix(&prefix)
                .and_then(|r| r.split_once(".DBClusterResourceId}/"))
                .filter(|(cluster, user)| {
                    b.templates[file]["Resources"][*cluster]["Type"] == "AWS::RDS::DBCluster"
                        && env
                            .as_object()
                            .is_some_and(|e| e.values().any(|x| x == user))
                        && !user.contains('*')
                })
                .is_some();
            if !scoped {
                v.push(format!(
                    "{file}/{l}: rds-db:connect not scoped to its own cluster's resource id and user: {}",
                    st["Resource"]
                ));
            }
            // The endpoint it connects to is its own cluster's.
            let own = env
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| k.ends_with("_ENDPOINT"))
                .all(|(_, x)| {
                    x["Fn::GetAtt"][1] == "Endpoint.Address"
                        && b.templates[file]["Resources"][s(&x["Fn::GetAtt"][0])]["Type"]
                            == "AWS::RDS::DBCluster"
                });
            if !own {
                v.push(format!(
                    "{file}/{l}: database endpoint is not its own cluster's"
                ));
            }
        }
    }
    if connects != 2 {
        v.push(format!(
            "{connects} rds-db:connect statements (one per region expected)"
        ));
    }
    v
}

/// APIs whose calls do not leave from the function's VPC: Lambda itself
/// writes the logs, creates the network interfaces, decrypts the environment
/// and delivers to the dead-letter queue; IAM auth tokens are signed locally
/// (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.Connecting.html).
/// Every other action's service needs an endpoint.
/// A `kms:` statement limited by `kms:ViaService` is used by that service on
/// the function's behalf, not called by the function.
fn needs_endpoint(st: &Json, action: &str) -> Option<&'static str> {
    let sid = s(&st["Sid"]);
    let sid = sid.as_str();
    let service = action.split(':').next().unwrap_or_default();
    let via_service = st["Condition"]
        .as_object()
        .is_some_and(|c| c.values().any(|o| !o["kms:ViaService"].is_null()));
    match service {
        "logs" | "ec2" | "rds-db" => None,
        "kms" if via_service => None,
        "sqs" if sid == "SendToDeadLetterQueue" => None,
        "s3" => Some("s3"),
        "dynamodb" => Some("dynamodb"),
        "cloudwatch" => Some("monitoring"),
        "secretsmanager" => Some("secretsmanager"),
        "kms" => Some("kms"),
        "sqs" => Some("sqs"),
        "sns" => Some("sns"),
        "rds" => Some("rds"),
        "xray" => Some("xray"),
        _ => Some("unknown"),
    }
}

/// Every API an in-VPC function (and the hosted rotation function) calls has
/// an endpoint in its region's VPC.
fn cfn_endpoints(b: &Built) -> Vec<String> {
    let mut v = Vec::new();
    let mut have: BTreeSet<(String, String)> = BTreeSet::new();
    for (file, _, e) in b.resources("AWS::EC2::VPCEndpoint") {
        let name = s(&props(e)["ServiceName"]);
        let region = b.region_of(file);
        if let Some(svc) = name.strip_prefix(&format!("com.amazonaws.{region}.")) {
            have.insert((region, svc.to_string()));
        }
    }
    let vpcs: Vec<String> = b
        .resources("AWS::EC2::VPC")
        .into_iter()
        .map(|(f, _, _)| b.region_of(f))
        .collect();
    assert_eq!(vpcs.len(), 2, "one VPC per region");
    for (file, l, f) in b.resources("AWS::Lambda::Function") {
        if props(f)["VpcConfig"].is_null() {
            continue;
        }
        let region = b.region_of(file);
        let role_logical = l.replacen("Function", "Role", 1);
        let role = b
            .all()
            .into_iter()
            .find(|(_, rl, _)| *rl == role_logical)
            .map(|(_, _, r)| r.clone())
            .unwrap_or(Json::Null);
        let _ = &role;
        for p in &managed_policies(b, &role_logical) {
            for st in list(&p["PolicyDocument"]["Statement"]) {
                for a in list(&st["Action"]) {
                    if let Some(svc) = needs_endpoint(st, &s(a)) {
                        if !have.contains(&(region.clone(), svc.to_string())) {
                            v.push(format!(
                                "{file}/{l}: calls {} without a `{svc}` endpoint in {region}",
                                s(a)
                            ));
                        }
                    }
                }
            }
        }
    }
    // The hosted rotation function calls Secrets Manager from the primary VPC.
    for (file, l, r) in b.resources("AWS::SecretsManager::RotationSchedule") {
        let hosted = &props(r)["HostedRotationLambda"];
        if !hosted["VpcSubnetIds"].is_null()
            && !have.contains(&(b.region_of(file), "secretsmanager".into()))
        {
            v.push(format!(
                "{file}/{l}: rotation function without a secretsmanager endpoint"
            ));
        }
    }
    v
}

/// Defect 2, Terraform.
fn tf_functions(t: &Tf) -> Vec<String> {
    let mut v = Vec::new();
    let mut connects = 0;
    let endpoints: BTreeSet<(String, String)> = t
        .of("resource", "aws_vpc_endpoint")
        .into_iter()
        .map(|(_, e)| {
            let region = if provider(e) == "aws.primary" {
                PRIMARY
            } else {
                SECONDARY
            };
            let svc = s(&e["service_name"])
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .to_string();
            (region.to_string(), svc)
        })
        .collect();
    for (n, f) in t.of("resource", "aws_lambda_function") {
        let fp = provider(f);
        let region = if fp == "aws.primary" {
            PRIMARY
        } else {
            SECONDARY
        };
        let role = s(&f["role"])
            .strip_prefix("${aws_iam_role.")
            .and_then(|r| r.strip_suffix(".arn}"))
            .unwrap_or_default()
            .to_string();
        let policy_text = t
            .of("resource", "aws_iam_policy")
            .into_iter()
            .find(|(n, _)| *n == role)
            .map(|(_, p)| s(&p["policy"]))
            .unwrap_or_default();
        let policy: Json = serde_json::from_str(&policy_text).unwrap_or(Json::Null);
        let env = list(&f["environment"])
            .first()
            .map(|e| e["variables"].clone())
            .unwrap_or(Json::Null);
        let env = &env;
        let name = s(&f["function_name"]);
        let site = !(name.starts_with("probe-")
            || name.starts_with("edgeprobe-")
            || name.starts_with("failover-"));
        if site && fp == "aws.secondary" {
            let scanned = format!("{}{}{}", env, policy_text, f["kms_key_arn"]);
            if scanned.contains(PRIMARY) || scanned.contains("-use1") {
                v.push(format!("aws_lambda_function.{n}: names the primary region"));
            }
            for (ty, rn) in t.referenced(&scanned) {
                let b = t.get("resource", &ty, &rn).cloned().unwrap_or(Json::Null);
                if provider(&b) == "aws.primary" {
                    v.push(format!(
                        "aws_lambda_function.{n}: references {ty}.{rn} of the primary region"
                    ));
                }
            }
        }
        for st in list(&policy["Statement"]) {
            let actions: Vec<String> = list(&st["Action"]).into_iter().map(s).collect();
            if site && actions.iter().any(|a| a.starts_with("secretsmanager:")) {
                v.push(format!("aws_lambda_function.{n}: reads a secret"));
            }
            if !f["vpc_config"].is_null() {
                for a in &actions {
                    if let Some(svc) = needs_endpoint(st, a) {
                        if !endpoints.contains(&(region.to_string(), svc.to_string())) {
                            v.push(format!("aws_lambda_function.{n}: calls {a} without a `{svc}` endpoint in {region}"));
                        }
                    }
                }
            }
            if !actions.iter().any(|a| a == "rds-db:connect") {
                continue;
            }
            connects += 1;
            let arn = s(&st["Resource"]);
            let cluster = arn
                .split_once(&format!(":rds-db:{region}:"))
                .and_then(|(_, r)| r.split_once(":dbuser:${aws_rds_cluster."))
                .and_then(|(_, r)| r.split_once(".cluster_resource_id}/"));
            let scoped = cluster.is_some_and(|(c, user)| {
                t.get("resource", "aws_rds_cluster", c)
                    .is_some_and(|cb| provider(cb) == fp)
                    && env
                        .as_object()
                        .is_some_and(|e| e.values().any(|x| x == user))
                    && !user.contains('*')
            });
            if !scoped {
                v.push(format!(
                    "aws_lambda_function.{n}: rds-db:connect not scoped to its own cluster's resource id and user: {arn}"
                ));
            }
        }
    }
    if connects != 2 {
        v.push(format!(
            "{connects} rds-db:connect statements (one per region expected)"
        ));
    }
    v
}

fn reference_graph() -> Graph {
    support::graph(&support::reference_path())
}

fn all_cfn(b: &Built) -> Vec<String> {
    let mut v = cfn_master_credentials(b);
    v.extend(cfn_functions(b));
    v.extend(cfn_endpoints(b));
    v
}

fn all_tf(t: &Tf) -> Vec<String> {
    let mut v = tf_master_credentials(t);
    v.extend(tf_functions(t));
    v
}

#[test]
fn reference_site_credentials_hold_in_cloudformation() {
    let v = all_cfn(support::reference());
    assert!(v.is_empty(), "{v:#?}");
}

#[test]
fn reference_site_credentials_hold_in_terraform() {
    let v = all_tf(&Tf::new(&reference_graph()));
    assert!(v.is_empty(), "{v:#?}");
}

#[test]
fn no_managed_master_password_anywhere() {
    let b = support::reference();
    for (file, t) in &b.templates {
        let text = t.to_string();
        assert!(!text.contains("ManageMasterUserPassword"), "{file}");
        assert!(!text.contains("MasterUserSecret"), "{file}");
    }
    let tf = Tf::new(&reference_graph());
    for ((_, ty, name), body) in &tf.blocks {
        let text = body.to_string();
        assert!(!text.contains("manage_master_user_password"), "{ty}.{name}");
        assert!(!text.contains("master_user_secret"), "{ty}.{name}");
    }
}

#[test]
fn readme_gives_the_iam_user_statement() {
    let readme = support::reference().readme();
    assert!(
        readme.contains("CREATE USER app_ingest; GRANT rds_iam TO app_ingest;"),
        "{readme}"
    );
    assert!(
        readme.contains("does not rotate"),
        "the Terraform rotation gap"
    );
}

/// The checks catch what they are about: each mutation of the graph breaks
/// both backends' checks.
#[test]
fn the_checks_catch_violations() {
    type Mutation = fn(&mut Graph);
    let cases: Vec<(&str, Mutation)> = vec![
        ("secondary function uses the primary endpoint", |g| {
            let primary = drsc::graph::NodeId::new(&["aurora", "ledger", "primary"]);
            for n in &mut g.nodes {
                if n.id.as_str() == "function/ingest/secondary" {
                    if let NodeKind::Function(f) = &mut n.kind {
                        f.environment
                            .insert("LEDGER_ENDPOINT".into(), Value::r(&primary, Attr::Endpoint));
                    }
                }
            }
        }),
        ("secondary member with credentials", |g| {
            let writer = g
                .nodes
                .iter()
                .find_map(|n| match &n.kind {
                    NodeKind::DbCluster(c) if c.writer => c.master.clone(),
                    _ => None,
                })
                .expect("writer credentials");
            for n in &mut g.nodes {
                if let NodeKind::DbCluster(c) = &mut n.kind {
                    if !c.writer {
                        c.master = Some(writer.clone());
                    }
                }
            }
        }),
        ("connect to any cluster", |g| {
            for n in &mut g.nodes {
                if let NodeKind::Role(r) = &mut n.kind {
                    for st in &mut r.statements {
                        if st.actions.iter().any(|a| a == "rds-db:connect") {
                            st.resources = drsc::graph::Resources::Some(vec![Value::lit(
                                "arn:aws:rds-db:*:*:dbuser:*/*",
                            )]);
                        }
                    }
                }
            }
        }),
        ("no IAM database authentication", |g| {
            for n in &mut g.nodes {
                if let NodeKind::DbCluster(c) = &mut n.kind {
                    c.iam_auth = false;
                }
            }
        }),
        ("secret replica with the primary key", |g| {
            for n in &mut g.nodes {
                if let NodeKind::Secret(s) = &mut n.kind {
                    let key = s.key.clone();
                    for r in &mut s.replicas {
                        r.key = key.clone();
                    }
                }
            }
        }),
    ];
    // The unmutated site is clean, so every violation below is the mutation's.
    assert!(all_cfn(support::reference()).is_empty());
    assert!(all_tf(&Tf::new(&reference_graph())).is_empty());
    for (what, mutate) in cases {
        let mut g = reference_graph();
        mutate(&mut g);
        let cfn = all_cfn(&support::emit(&g));
        assert!(!cfn.is_empty(), "CloudFormation check misses: {what}");
        let tf = all_tf(&Tf::new(&g));
        assert!(!tf.is_empty(), "Terraform check misses: {what}");
    }
}

/// The properties of the customer-managed policies attached to role
/// `logical` (roles carry no inline policies, issue 14).
fn managed_policies(b: &support::Built, logical: &str) -> Vec<Json> {
    b.resources("AWS::IAM::ManagedPolicy")
        .into_iter()
        .filter(|(_, _, p)| {
            list(&props(p)["Roles"])
                .iter()
                .any(|r| r["Ref"] == Json::String(logical.to_string()))
        })
        .map(|(_, _, p)| props(p).clone())
        .collect()
}
