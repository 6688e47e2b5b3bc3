//! The two backends agree requirement by requirement (R1–R30 of
//! `../shared/mission-requirements.md`), judged from the **emitted files**
//! only: the CloudFormation templates and `deploy.json` on one side, the
//! Terraform JSON module on the other. Nothing here reads the resource graph.
//!
//! For every R-id there is one extraction over the CloudFormation output and
//! one over the Terraform output. Each returns the *facts* that bear on the
//! requirement, spelled the same way for both backends (physical names,
//! regions, settings): e.g. for R21 `key alias/data-key-… @us-east-1
//! rotation=true period=365` for every `AWS::KMS::Key` / every `aws_kms_key`.
//! The test asserts, for the reference site, that
//!
//! 1. the requirement holds on the CloudFormation facts, and
//! 2. the Terraform facts are exactly the CloudFormation facts,
//!
//! so a requirement satisfied by one backend is satisfied by the other, down
//! to names and values. Resource *counts* may differ: Terraform splits a
//! bucket into several resources and has resources CloudFormation lacks (the
//! peering accepter, Backup region settings), and CloudFormation has the
//! per-region artifact-bucket stacks (`bootstrap-*`), which are deployment
//! plumbing without a Terraform counterpart and are left out.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};

const REFERENCE: &str = "specs/transactions.drs";

type Facts = BTreeSet<String>;

fn build(target: &str, out: &Path) {
    build_site(REFERENCE, target, out)
}

fn build_site(site: &str, target: &str, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_drsc"))
        .args(["build", site, "--target", target, "-o"])
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("run drsc");
    assert!(
        o.status.success(),
        "drsc build {site} --target {target} failed\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `arn:${AWS::Partition}:…:${AWS::AccountId}:…` and the Terraform spelling
/// (`${data.aws_partition.current.partition}`, `${data.aws_caller_identity.current.account_id}`)
/// become `arn:aws:…:ACCT:…`.
fn norm(s: &str) -> String {
    s.replace("${AWS::Partition}", "aws")
        .replace("${AWS::AccountId}", "ACCT")
        .replace("${data.aws_partition.current.partition}", "aws")
        .replace("${data.aws_caller_identity.current.account_id}", "ACCT")
}

/// The resource name at the end of an ARN (`…:cluster:NAME`, `…:role/NAME`).
fn arn_name(arn: &str) -> String {
    let tail = arn.rsplit(':').next().unwrap_or(arn);
    tail.rsplit('/').next().unwrap_or(tail).to_string()
}

/// The region field of an ARN.
fn arn_region(arn: &str) -> String {
    arn.split(':').nth(3).unwrap_or_default().to_string()
}

fn s(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn sorted_join<I: IntoIterator<Item = String>>(items: I) -> String {
    let set: BTreeSet<String> = items.into_iter().collect();
    set.into_iter().collect::<Vec<_>>().join(",")
}

/// The physical-name property of each named resource type:
/// `(kind, CloudFormation type, property path, Terraform type, argument)`.
#[rustfmt::skip]
const NAMED: &[(&str, &str, &str, &str, &str)] = &[
    ("bucket", "AWS::S3::Bucket", "BucketName", "aws_s3_bucket", "bucket"),
    ("table", "AWS::DynamoDB::GlobalTable", "TableName", "aws_dynamodb_table", "name"),
    ("global", "AWS::RDS::GlobalCluster", "GlobalClusterIdentifier", "aws_rds_global_cluster", "global_cluster_identifier"),
    ("cluster", "AWS::RDS::DBCluster", "DBClusterIdentifier", "aws_rds_cluster", "cluster_identifier"),
    ("instance", "AWS::RDS::DBInstance", "DBInstanceIdentifier", "aws_rds_cluster_instance", "identifier"),
    ("subnet-group", "AWS::RDS::DBSubnetGroup", "DBSubnetGroupName", "aws_db_subnet_group", "name"),
    ("param-group", "AWS::RDS::DBClusterParameterGroup", "DBClusterParameterGroupName", "aws_rds_cluster_parameter_group", "name"),
    ("function", "AWS::Lambda::Function", "FunctionName", "aws_lambda_function", "function_name"),
    ("role", "AWS::IAM::Role", "RoleName", "aws_iam_role", "name"),
    ("vault", "AWS::Backup::BackupVault", "BackupVaultName", "aws_backup_vault", "name"),
    ("plan", "AWS::Backup::BackupPlan", "BackupPlan.BackupPlanName", "aws_backup_plan", "name"),
    ("topic", "AWS::SNS::Topic", "TopicName", "aws_sns_topic", "name"),
    ("queue", "AWS::SQS::Queue", "QueueName", "aws_sqs_queue", "name"),
    ("log-group", "AWS::Logs::LogGroup", "LogGroupName", "aws_cloudwatch_log_group", "name"),
    ("alarm", "AWS::CloudWatch::Alarm", "AlarmName", "aws_cloudwatch_metric_alarm", "alarm_name"),
    ("rule", "AWS::Events::Rule", "Name", "aws_cloudwatch_event_rule", "name"),
    ("dashboard", "AWS::CloudWatch::Dashboard", "DashboardName", "aws_cloudwatch_dashboard", "dashboard_name"),
    ("alias", "AWS::KMS::Alias", "AliasName", "aws_kms_alias", "name"),
];

/// Types named by their `Name` tag: `(kind, CloudFormation type, Terraform type)`.
#[rustfmt::skip]
const NAME_TAGGED: &[(&str, &str, &str)] = &[
    ("vpc", "AWS::EC2::VPC", "aws_vpc"),
    ("subnet", "AWS::EC2::Subnet", "aws_subnet"),
    ("route-table", "AWS::EC2::RouteTable", "aws_route_table"),
    ("security-group", "AWS::EC2::SecurityGroup", "aws_security_group"),
    ("health-check", "AWS::Route53::HealthCheck", "aws_route53_health_check"),
    ("peering", "AWS::EC2::VPCPeeringConnection", "aws_vpc_peering_connection"),
];

fn path<'a>(v: &'a Value, dotted: &str) -> &'a Value {
    dotted.split('.').fold(v, |v, k| &v[k])
}

// ---------------------------------------------------------------------------
// CloudFormation side
// ---------------------------------------------------------------------------

struct Cfn {
    /// `(template file, region, template)`, without the bootstrap stacks.
    stacks: Vec<(String, String, Value)>,
    /// The output directory (function packages are read from it).
    dir: std::path::PathBuf,
}

/// A CloudFormation resource: template file, region, logical id, resource.
#[derive(Clone, Copy)]
struct CRes<'a> {
    file: &'a str,
    region: &'a str,
    id: &'a str,
    res: &'a Value,
}

impl<'a> CRes<'a> {
    fn ty(&self) -> &'a str {
        self.res["Type"].as_str().unwrap_or_default()
    }
    /// A property as deployed by the whole deploy order: a property wrapped in
    /// `Fn::If` (set on a later deploy of the stack, e.g. the secondary bucket's
    /// replication back to the primary) reads as its `then` branch.
    fn p(&self, key: &str) -> &'a Value {
        let v = path(&self.res["Properties"], key);
        match v.get("Fn::If").and_then(Value::as_array) {
            Some(branches) if branches.len() == 3 => &branches[1],
            _ => v,
        }
    }
}

impl Cfn {
    fn load(dir: &Path) -> Cfn {
        let deploy = read_json(&dir.join("deploy.json"));
        let mut stacks = Vec::new();
        for step in deploy["steps"].as_array().expect("deploy steps") {
            if step["kind"] != "stack" {
                continue;
            }
            let file = s(&step["template"]);
            let mut template = read_json(&dir.join(&file));
            if file.starts_with("bootstrap") {
                // The bootstrap stacks also hold the graph's access-log
                // buckets; only their artifact buckets are CloudFormation's own.
                if let Some(rs) = template["Resources"].as_object_mut() {
                    rs.retain(|l, _| !l.starts_with("Artifact"));
                }
            }
            stacks.push((file, s(&step["region"]), template));
        }
        assert!(stacks.len() >= 2, "expected per-region templates");
        Cfn {
            stacks,
            dir: dir.to_path_buf(),
        }
    }

    fn all(&self) -> Vec<CRes<'_>> {
        let mut out = Vec::new();
        for (file, region, t) in &self.stacks {
            for (id, res) in t["Resources"].as_object().expect("Resources") {
                out.push(CRes {
                    file,
                    region,
                    id,
                    res,
                });
            }
        }
        out
    }

    fn of(&self, ty: &str) -> Vec<CRes<'_>> {
        self.all().into_iter().filter(|r| r.ty() == ty).collect()
    }

    fn template(&self, file: &str) -> &Value {
        &self
            .stacks
            .iter()
            .find(|(f, _, _)| f == file)
            .expect("template")
            .2
    }

    /// The resource a `Ref` / `Fn::GetAtt` in `file` points at, following
    /// stack parameters to the output of the stack that produces them.
    fn resolve(&self, file: &str, v: &Value) -> Option<CRes<'_>> {
        let logical = if let Some(r) = v.get("Ref").and_then(Value::as_str) {
            r
        } else if let Some(a) = v.get("Fn::GetAtt").and_then(Value::as_array) {
            a.first()?.as_str()?
        } else {
            return None;
        };
        let t = self.template(file);
        if t["Resources"].get(logical).is_some() {
            return self
                .all()
                .into_iter()
                .find(|r| r.file == file && r.id == logical);
        }
        if t["Parameters"].get(logical).is_some() {
            for (other, _, ot) in &self.stacks {
                if let Some(out) = ot["Outputs"].get(logical) {
                    return self.resolve(other, &out["Value"]);
                }
            }
        }
        None
    }

    /// `name@region` of what `v` (in `file`) denotes: a referenced resource,
    /// or a literal ARN.
    fn ident(&self, file: &str, v: &Value) -> String {
        if let Some(r) = self.resolve(file, v) {
            return format!("{}@{}", self.name(r), r.region);
        }
        let text = self.text(v);
        let name = arn_name(&text);
        let mut region = arn_region(&text);
        if region.is_empty() {
            // S3 and IAM ARNs have no region: find the resource by name.
            if let Some(r) = self.all().into_iter().find(|r| self.name(*r) == name) {
                region = r.region.to_string();
            }
        }
        format!("{name}@{region}")
    }

    /// A literal or `Fn::Sub` string, normalised.
    fn text(&self, v: &Value) -> String {
        match v {
            Value::String(x) => norm(x),
            Value::Object(m) if m.contains_key("Fn::Sub") => match &m["Fn::Sub"] {
                Value::String(x) => norm(x),
                Value::Array(a) => norm(&s(&a[0])),
                _ => String::new(),
            },
            Value::Object(m) if m.get("Ref").and_then(Value::as_str) == Some("AWS::AccountId") => {
                "ACCT".into()
            }
            other => s(other),
        }
    }

    /// The physical name of a resource (keys by their alias).
    fn name(&self, r: CRes) -> String {
        if let Some((_, _, prop, _, _)) = NAMED.iter().find(|n| n.1 == r.ty()) {
            return s(r.p(prop));
        }
        if r.ty() == "AWS::KMS::Key" {
            for a in self.of("AWS::KMS::Alias") {
                if a.file == r.file && a.p("TargetKeyId")["Ref"] == r.id {
                    return s(a.p("AliasName"));
                }
            }
        }
        self.tags(r)
            .get("Name")
            .cloned()
            .unwrap_or_else(|| r.id.to_string())
    }

    fn tags(&self, r: CRes) -> BTreeMap<String, String> {
        let props = &r.res["Properties"];
        for key in ["Tags", "HealthCheckTags", "HostedZoneTags"] {
            if let Some(list) = props[key].as_array() {
                return list
                    .iter()
                    .map(|t| (s(&t["Key"]), s(&t["Value"])))
                    .collect();
            }
        }
        for key in ["BackupVaultTags", "BackupPlanTags"] {
            if let Some(m) = props[key].as_object() {
                return m.iter().map(|(k, v)| (k.clone(), s(v))).collect();
            }
        }
        BTreeMap::new()
    }

    fn retained(r: CRes) -> bool {
        r.res["DeletionPolicy"] == "Retain"
    }

    /// The policy documents of `Role.Policies`, or a policy property.
    fn statements(v: &Value) -> Vec<&Value> {
        v["Statement"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------
// Terraform side
// ---------------------------------------------------------------------------

struct Tf {
    dir: std::path::PathBuf,
    regions: BTreeMap<String, String>,
    res: Vec<(String, String, Value)>,
    docs: BTreeMap<String, Value>,
}

#[derive(Clone, Copy)]
struct TRes<'a> {
    ty: &'a str,
    name: &'a str,
    region: &'a str,
    body: &'a Value,
}

impl<'a> TRes<'a> {
    fn p(&self, key: &str) -> &'a Value {
        path(self.body, key)
    }
    /// The first block of a nested block list.
    fn b(&self, key: &str) -> &'a Value {
        &self.body[key][0]
    }
}

/// `type.name` of a string that is exactly one reference `${type.name.attr…}`.
fn tf_ref(v: &Value) -> Option<(String, String)> {
    let x = v.as_str()?;
    let inner = x.strip_prefix("${")?.strip_suffix('}')?;
    if inner.contains("${") || inner.starts_with("data.") {
        return None;
    }
    let mut parts = inner.split('.');
    let ty = parts.next()?;
    let name = parts.next()?;
    let name = name.split('[').next()?;
    Some((ty.to_string(), name.to_string()))
}

/// A JSON string argument, with Terraform's `$${` escape undone, parsed.
fn tf_json(v: &Value) -> Value {
    let text = v
        .as_str()
        .unwrap_or("null")
        .replace("$${", "${")
        .replace("%%{", "%{");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

impl Tf {
    fn load(dir: &Path) -> Tf {
        let mut docs = BTreeMap::new();
        for e in std::fs::read_dir(dir).expect("read tf dir") {
            let p = e.expect("entry").path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".tf.json") {
                docs.insert(name, read_json(&p));
            }
        }
        let regions = docs["providers.tf.json"]["provider"]["aws"]
            .as_array()
            .expect("provider.aws")
            .iter()
            .map(|c| (format!("aws.{}", s(&c["alias"])), s(&c["region"])))
            .collect();
        let mut res = Vec::new();
        for d in docs.values() {
            for (ty, names) in d["resource"].as_object().into_iter().flatten() {
                for (name, body) in names.as_object().expect("names") {
                    res.push((ty.clone(), name.clone(), body.clone()));
                }
            }
        }
        Tf {
            dir: dir.to_path_buf(),
            regions,
            res,
            docs,
        }
    }

    fn all(&self) -> Vec<TRes<'_>> {
        self.res
            .iter()
            .map(|(ty, name, body)| TRes {
                ty,
                name,
                region: self
                    .regions
                    .get(&s(&body["provider"]))
                    .map(String::as_str)
                    .unwrap_or("?"),
                body,
            })
            .collect()
    }

    fn of(&self, ty: &str) -> Vec<TRes<'_>> {
        self.all().into_iter().filter(|r| r.ty == ty).collect()
    }

    fn get(&self, ty: &str, name: &str) -> Option<TRes<'_>> {
        self.all()
            .into_iter()
            .find(|r| r.ty == ty && r.name == name)
    }

    fn resolve(&self, v: &Value) -> Option<TRes<'_>> {
        let (ty, name) = tf_ref(v)?;
        self.get(&ty, &name)
    }

    /// `name@region` of what `v` denotes: a referenced resource or a literal ARN.
    fn ident(&self, v: &Value) -> String {
        if let Some(r) = self.resolve(v) {
            return format!("{}@{}", self.name(r), r.region);
        }
        // A global table's replica: `${[for r in aws_dynamodb_table.T.replica : r.arn if r.region_name == "R"][0]}`.
        let raw = s(v);
        if let Some(rest) = raw.strip_prefix("${[for r in aws_dynamodb_table.") {
            if let (Some((table, _)), Some(region)) =
                (rest.split_once(".replica"), rest.split('"').nth(1))
            {
                if let Some(t) = self
                    .of("aws_dynamodb_table")
                    .into_iter()
                    .find(|t| t.name == table)
                {
                    return format!("{}@{region}", self.name(t));
                }
            }
        }
        let text = norm(&s(v));
        let name = arn_name(&text);
        let mut region = arn_region(&text);
        if region.is_empty() {
            // S3 and IAM ARNs have no region: find the resource by name.
            if let Some(r) = self.all().into_iter().find(|r| self.name(*r) == name) {
                region = r.region.to_string();
            }
        }
        format!("{name}@{region}")
    }

    fn name(&self, r: TRes) -> String {
        if let Some((_, _, _, _, arg)) = NAMED.iter().find(|n| n.3 == r.ty) {
            return s(r.p(arg));
        }
        if r.ty == "aws_kms_key" {
            let key_id = format!("${{aws_kms_key.{}.key_id}}", r.name);
            for a in self.of("aws_kms_alias") {
                if s(a.p("target_key_id")) == key_id {
                    return s(a.p("name"));
                }
            }
        }
        Self::tags(r)
            .get("Name")
            .cloned()
            .unwrap_or_else(|| r.name.to_string())
    }

    fn tags(r: TRes) -> BTreeMap<String, String> {
        r.body["tags"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), s(v))).collect())
            .unwrap_or_default()
    }

    fn retained(r: TRes) -> bool {
        r.body["lifecycle"]["prevent_destroy"] == true
    }

    /// Resources of `ty` whose `arg` refers to resource `target`.
    fn attached(&self, ty: &str, arg: &str, target: TRes) -> Vec<TRes<'_>> {
        self.of(ty)
            .into_iter()
            .filter(|r| tf_ref(r.p(arg)).is_some_and(|(t, n)| t == target.ty && n == target.name))
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Shared judgements
// ---------------------------------------------------------------------------

/// The site's roles by region (R4: `DR-Role` must match the region).
fn role_of(region: &str) -> &'static str {
    match region {
        "us-east-1" => "primary",
        "us-west-2" => "secondary",
        _ => "?",
    }
}

/// CloudWatch dashboards take tags in CloudFormation, but the Terraform
/// provider (6.47) has no `tags` argument or tagging resource for them; R4 is
/// compared on the kinds both can tag.
const UNTAGGABLE_IN_TF: &str = "dashboard";

fn tag_fact(kind: &str, name: &str, region: &str, tags: &BTreeMap<String, String>) -> String {
    let mut t = tags.clone();
    t.remove("Name");
    let tags: Vec<String> = t.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{kind} {name}@{region} {}", tags.join(" "))
}

fn policy_actions(statements: &[&Value]) -> Vec<String> {
    statements
        .iter()
        .flat_map(|st| as_list(&st["Action"]).into_iter().map(s))
        .collect()
}

/// Key-policy statement facts: sid, effect, principal, actions, resource and conditions.
fn key_statement_fact(key: &str, st: &Value, principal: String, conditions: String) -> String {
    format!(
        "key {key} sid={} effect={} principal={principal} actions={} resource={} when={conditions}",
        s(&st["Sid"]),
        s(&st["Effect"]),
        sorted_join(as_list(&st["Action"]).into_iter().map(s)),
        s(&st["Resource"]),
    )
}

// ---------------------------------------------------------------------------
// The requirements
// ---------------------------------------------------------------------------

struct Requirement {
    id: &'static str,
    what: &'static str,
    cfn: fn(&Cfn) -> Facts,
    tf: fn(&Tf) -> Facts,
    holds: fn(&Facts) -> Result<(), String>,
}

fn expect(ok: bool, why: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why.to_string())
    }
}

fn any(f: &Facts, needle: &str) -> bool {
    f.iter().any(|x| x.contains(needle))
}

fn count(f: &Facts, prefix: &str) -> usize {
    f.iter().filter(|x| x.starts_with(prefix)).count()
}

// R1 ---------------------------------------------------------------------------

fn cfn_r1(c: &Cfn) -> Facts {
    let regions: BTreeSet<&str> = c.stacks.iter().map(|(_, r, _)| r.as_str()).collect();
    regions
        .iter()
        .map(|r| format!("region {r} role={}", role_of(r)))
        .collect()
}

fn tf_r1(t: &Tf) -> Facts {
    let used: BTreeSet<&str> = t.all().iter().map(|r| r.region).collect();
    used.iter()
        .map(|r| format!("region {r} role={}", role_of(r)))
        .collect()
}

fn holds_r1(f: &Facts) -> Result<(), String> {
    expect(
        f.len() == 2 && any(f, "role=primary") && any(f, "role=secondary"),
        "resources in exactly the primary and the secondary region",
    )
}

// R2 ---------------------------------------------------------------------------

fn cfn_r2(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for m in c.of("AWS::RDS::DBCluster") {
        if !m.p("GlobalClusterIdentifier").is_null() {
            f.insert(format!("aurora-member {}@{}", c.name(m), m.region));
        }
    }
    for t in c.of("AWS::DynamoDB::GlobalTable") {
        let regions = sorted_join(
            as_list(t.p("Replicas"))
                .into_iter()
                .map(|r| s(&r["Region"])),
        );
        f.insert(format!("table {} replicas={regions}", c.name(t)));
    }
    for b in c.of("AWS::S3::Bucket") {
        for rule in as_list(&b.p("ReplicationConfiguration")["Rules"]) {
            let dest = c.ident(b.file, &rule["Destination"]["Bucket"]);
            f.insert(format!(
                "bucket {}@{} replicates-to={dest}",
                c.name(b),
                b.region
            ));
        }
    }
    for p in c.of("AWS::Backup::BackupPlan") {
        for rule in as_list(p.p("BackupPlan.BackupPlanRule")) {
            f.insert(format!(
                "backup {} schedule={}",
                s(&rule["RuleName"]),
                s(&rule["ScheduleExpression"])
            ));
        }
    }
    f
}

fn tf_r2(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for m in t.of("aws_rds_cluster") {
        if !m.p("global_cluster_identifier").is_null() {
            f.insert(format!("aurora-member {}@{}", t.name(m), m.region));
        }
    }
    for tb in t.of("aws_dynamodb_table") {
        let mut regions = vec![tb.region.to_string()];
        regions.extend(
            as_list(tb.p("replica"))
                .into_iter()
                .map(|r| s(&r["region_name"])),
        );
        f.insert(format!(
            "table {} replicas={}",
            t.name(tb),
            sorted_join(regions)
        ));
    }
    for r in t.of("aws_s3_bucket_replication_configuration") {
        let src = t.resolve(r.p("bucket")).expect("replicated bucket");
        for rule in as_list(r.p("rule")) {
            let dest = t.ident(&rule["destination"][0]["bucket"]);
            f.insert(format!(
                "bucket {}@{} replicates-to={dest}",
                t.name(src),
                src.region
            ));
        }
    }
    for p in t.of("aws_backup_plan") {
        for rule in as_list(p.p("rule")) {
            f.insert(format!(
                "backup {} schedule={}",
                s(&rule["rule_name"]),
                s(&rule["schedule"])
            ));
        }
    }
    f
}

fn holds_r2(f: &Facts) -> Result<(), String> {
    expect(
        any(f, "schedule=cron(0 * ? * * *)"),
        "an hourly backup for a 1-hour RPO",
    )?;
    expect(
        count(f, "aurora-member") == 2,
        "the database replicates to the other region",
    )?;
    expect(
        any(f, "replicas=us-east-1,us-west-2"),
        "the table replicates to both regions",
    )?;
    expect(any(f, "replicates-to="), "the bucket replicates")
}

// R3 ---------------------------------------------------------------------------

fn cfn_r3(c: &Cfn) -> Facts {
    c.all()
        .into_iter()
        .filter_map(|r| {
            let kind = NAMED
                .iter()
                .find(|n| n.1 == r.ty())
                .map(|n| n.0)
                .or_else(|| NAME_TAGGED.iter().find(|n| n.1 == r.ty()).map(|n| n.0))?;
            Some(format!("{kind} {}@{}", c.name(r), r.region))
        })
        .collect()
}

fn tf_r3(t: &Tf) -> Facts {
    t.all()
        .into_iter()
        .filter_map(|r| {
            let kind = NAMED
                .iter()
                .find(|n| n.3 == r.ty)
                .map(|n| n.0)
                .or_else(|| NAME_TAGGED.iter().find(|n| n.2 == r.ty).map(|n| n.0))?;
            Some(format!("{kind} {}@{}", t.name(r), r.region))
        })
        .collect()
}

fn holds_r3(f: &Facts) -> Result<(), String> {
    for fact in f {
        expect(
            fact.contains("production-txn01"),
            &format!("physical name without environment and suffix: {fact}"),
        )?;
    }
    expect(f.len() > 40, "every resource is named")
}

// R4 ---------------------------------------------------------------------------

fn cfn_r4(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for r in c.all() {
        let Some(kind) = NAMED
            .iter()
            .find(|n| n.1 == r.ty())
            .map(|n| n.0)
            .or_else(|| NAME_TAGGED.iter().find(|n| n.1 == r.ty()).map(|n| n.0))
        else {
            continue;
        };
        let tags = c.tags(r);
        if !tags.is_empty() && kind != UNTAGGABLE_IN_TF {
            f.insert(tag_fact(kind, &c.name(r), r.region, &tags));
        }
        if r.ty() == "AWS::DynamoDB::GlobalTable" {
            for rep in as_list(r.p("Replicas")) {
                let tags = rep["Tags"]
                    .as_array()
                    .map(|l| l.iter().map(|t| (s(&t["Key"]), s(&t["Value"]))).collect())
                    .unwrap_or_default();
                f.insert(tag_fact(
                    "table-replica",
                    &c.name(r),
                    &s(&rep["Region"]),
                    &tags,
                ));
            }
        }
    }
    f
}

fn tf_r4(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for r in t.all() {
        let Some(kind) = NAMED
            .iter()
            .find(|n| n.3 == r.ty)
            .map(|n| n.0)
            .or_else(|| NAME_TAGGED.iter().find(|n| n.2 == r.ty).map(|n| n.0))
        else {
            continue;
        };
        let tags = Tf::tags(r);
        // A global table's tags are per replica (CloudFormation has no
        // table-level tags): the table's own tags are its home replica's.
        if !tags.is_empty() && r.ty != "aws_dynamodb_table" {
            f.insert(tag_fact(kind, &t.name(r), r.region, &tags));
        }
        if r.ty == "aws_dynamodb_table" {
            f.insert(tag_fact("table-replica", &t.name(r), r.region, &tags));
            // Replica tags: `aws_dynamodb_tag` on the replica's ARN, read
            // from the table's `replica` blocks.
            let replica_of = format!("aws_dynamodb_table.{}.replica", r.name);
            for tag in t
                .of("aws_dynamodb_tag")
                .into_iter()
                .filter(|x| s(x.p("resource_arn")).contains(&replica_of))
            {
                let m = tag.p("for_each").as_object().expect("for_each map");
                let tags = m.iter().map(|(k, v)| (k.clone(), s(v))).collect();
                f.insert(tag_fact("table-replica", &t.name(r), tag.region, &tags));
            }
        }
    }
    f
}

fn holds_r4(f: &Facts) -> Result<(), String> {
    for fact in f {
        let region = fact
            .split('@')
            .nth(1)
            .and_then(|x| x.split(' ').next())
            .unwrap_or("");
        let role = role_of(region);
        expect(
            fact.contains("Environment=Production")
                && fact.contains(&format!("DR-Role={role}"))
                && fact.contains("Application=transaction-processing"),
            &format!("tags missing or wrong: {fact}"),
        )?;
    }
    expect(f.len() > 30, "tagged resources")
}

// R5 ---------------------------------------------------------------------------

fn cfn_r5(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for g in c.of("AWS::RDS::GlobalCluster") {
        f.insert(format!(
            "global {} engine={} version={} encrypted={}",
            c.name(g),
            s(g.p("Engine")),
            s(g.p("EngineVersion")),
            s(g.p("StorageEncrypted"))
        ));
    }
    for m in c.of("AWS::RDS::DBCluster") {
        let global = c
            .resolve(m.file, m.p("GlobalClusterIdentifier"))
            .map(|g| c.name(g))
            .unwrap_or_else(|| s(m.p("GlobalClusterIdentifier")));
        let role = if m.p("MasterUsername").is_null() {
            "secondary"
        } else {
            "writer"
        };
        f.insert(format!(
            "member {}@{} {role} global={global} engine={} version={} source-region={}",
            c.name(m),
            m.region,
            s(m.p("Engine")),
            s(m.p("EngineVersion")),
            s(m.p("SourceRegion"))
        ));
    }
    f
}

fn tf_r5(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for g in t.of("aws_rds_global_cluster") {
        f.insert(format!(
            "global {} engine={} version={} encrypted={}",
            t.name(g),
            s(g.p("engine")),
            s(g.p("engine_version")),
            s(g.p("storage_encrypted"))
        ));
    }
    for m in t.of("aws_rds_cluster") {
        let global = t
            .resolve(m.p("global_cluster_identifier"))
            .map(|g| t.name(g))
            .unwrap_or_else(|| s(m.p("global_cluster_identifier")));
        let role = if m.p("master_username").is_null() {
            "secondary"
        } else {
            "writer"
        };
        f.insert(format!(
            "member {}@{} {role} global={global} engine={} version={} source-region={}",
            t.name(m),
            m.region,
            s(m.p("engine")),
            s(m.p("engine_version")),
            s(m.p("source_region"))
        ));
    }
    f
}

fn holds_r5(f: &Facts) -> Result<(), String> {
    expect(
        any(f, "engine=aurora-postgresql version=14."),
        "Aurora PostgreSQL 14.x",
    )?;
    expect(
        any(f, "@us-east-1 writer") && any(f, "@us-west-2 secondary"),
        "writer in the primary, secondary cluster in the secondary region",
    )
}

// R6 ---------------------------------------------------------------------------

fn cfn_r6(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    let failover: Vec<CRes> = c
        .of("AWS::Lambda::Function")
        .into_iter()
        .filter(|fun| !fun.p("Environment.Variables.GLOBAL_CLUSTER_IDS").is_null())
        .collect();
    for fun in &failover {
        let env = fun.p("Environment.Variables");
        f.insert(format!(
            "failover {}@{} global={} target={} allow-data-loss={}",
            c.name(*fun),
            fun.region,
            s(&env["GLOBAL_CLUSTER_IDS"]),
            c.text(&env["TARGET_CLUSTER_ARNS"]),
            s(&env["ALLOW_DATA_LOSS"])
        ));
    }
    // The Region switch engine (R38): the starter and the plan's Aurora steps.
    for fun in c.of("AWS::Lambda::Function") {
        let env = fun.p("Environment.Variables");
        if !env["PLAN_ARN"].is_null() {
            f.insert(format!(
                "failover {}@{} starter target={}",
                c.name(fun),
                fun.region,
                s(&env["TARGET_REGION"])
            ));
        }
    }
    for plan in c.of("AWS::ARCRegionSwitch::Plan") {
        for w in as_list(plan.p("Workflows")) {
            for step in as_list(&w["Steps"]) {
                let a = &step["ExecutionBlockConfiguration"]["GlobalAuroraConfig"];
                if a.is_null() {
                    continue;
                }
                f.insert(format!(
                    "plan {} activate={} rto={} global={} behavior={} ungraceful={}",
                    s(plan.p("Name")),
                    s(&w["WorkflowTargetRegion"]),
                    s(plan.p("RecoveryTimeObjectiveMinutes")),
                    s(&a["GlobalClusterIdentifier"]),
                    s(&a["Behavior"]),
                    s(&a["Ungraceful"]["Ungraceful"])
                ));
            }
        }
    }
    // The alarm that starts it: a metric alarm, or (with DNS) the composite
    // alarm over the two probes' alarms (issue 11).
    let alarms = c
        .of("AWS::CloudWatch::Alarm")
        .into_iter()
        .chain(c.of("AWS::CloudWatch::CompositeAlarm"));
    for alarm in alarms {
        for action in as_list(alarm.p("AlarmActions")) {
            let Some(topic) = c.resolve(alarm.file, action) else {
                continue;
            };
            for sub in c.of("AWS::SNS::Subscription") {
                if sub.p("Protocol") != "lambda"
                    || c.resolve(sub.file, sub.p("TopicArn")).map(|t| t.id) != Some(topic.id)
                {
                    continue;
                }
                let fun = c.ident(sub.file, sub.p("Endpoint"));
                f.insert(format!(
                    "trigger {}@{} {}/{} -> {}@{} -> {fun}",
                    c.name(alarm),
                    alarm.region,
                    s(alarm.p("Namespace")),
                    s(alarm.p("MetricName")),
                    c.name(topic),
                    topic.region
                ));
            }
        }
    }
    f
}

fn tf_r6(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for fun in t.of("aws_lambda_function") {
        let env = &fun.b("environment")["variables"];
        if env["GLOBAL_CLUSTER_IDS"].is_null() {
            continue;
        }
        f.insert(format!(
            "failover {}@{} global={} target={} allow-data-loss={}",
            t.name(fun),
            fun.region,
            s(&env["GLOBAL_CLUSTER_IDS"]),
            norm(&s(&env["TARGET_CLUSTER_ARNS"])),
            s(&env["ALLOW_DATA_LOSS"])
        ));
    }
    for fun in t.of("aws_lambda_function") {
        let env = &fun.b("environment")["variables"];
        if !env["PLAN_ARN"].is_null() {
            f.insert(format!(
                "failover {}@{} starter target={}",
                t.name(fun),
                fun.region,
                s(&env["TARGET_REGION"])
            ));
        }
    }
    for plan in t.of("aws_arcregionswitch_plan") {
        for w in as_list(plan.p("workflow")) {
            for step in as_list(&w["step"]) {
                let a = &step["global_aurora_config"][0];
                if a.is_null() {
                    continue;
                }
                f.insert(format!(
                    "plan {} activate={} rto={} global={} behavior={} ungraceful={}",
                    s(plan.p("name")),
                    s(&w["workflow_target_region"]),
                    s(plan.p("recovery_time_objective_minutes")),
                    s(&a["global_cluster_identifier"]),
                    s(&a["behavior"]),
                    s(&a["ungraceful"][0]["ungraceful"])
                ));
            }
        }
    }
    let alarms = t
        .of("aws_cloudwatch_metric_alarm")
        .into_iter()
        .chain(t.of("aws_cloudwatch_composite_alarm"));
    for alarm in alarms {
        for action in as_list(alarm.p("alarm_actions")) {
            let Some(topic) = t.resolve(action) else {
                continue;
            };
            for sub in t.attached("aws_sns_topic_subscription", "topic_arn", topic) {
                if sub.p("protocol") != "lambda" {
                    continue;
                }
                f.insert(format!(
                    "trigger {}@{} {}/{} -> {}@{} -> {}",
                    t.name(alarm),
                    alarm.region,
                    s(alarm.p("namespace")),
                    s(alarm.p("metric_name")),
                    t.name(topic),
                    topic.region,
                    t.ident(sub.p("endpoint"))
                ));
            }
        }
    }
    f
}

fn holds_r6(f: &Facts) -> Result<(), String> {
    expect(
        f.iter()
            .any(|x| x.starts_with("failover ") && x.contains("@us-west-2")),
        "a failover function in the secondary region",
    )?;
    // With Region switch, the starter promotes through the plan: both workflows,
    // switchover when graceful, failover when ungraceful, never `failover` by default.
    if any(f, " starter ") {
        expect(
            any(
                f,
                "activate=us-west-2 rto=240 global=ledger-aurora-production-txn01 behavior=switchoverOnly ungraceful=failover",
            ),
            "a Region switch plan promotes the secondary",
        )?;
        expect(
            !any(f, "behavior=failover"),
            "no plan uses `Behavior: failover`",
        )?;
    }
    expect(
        f.iter()
            .any(|x| x.starts_with("trigger ") && x.contains("@us-west-2 ")),
        "an alarm in the secondary region triggers it",
    )
}

// R7 ---------------------------------------------------------------------------

fn cfn_r7(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for t in c.of("AWS::DynamoDB::GlobalTable") {
        for r in as_list(t.p("Replicas")) {
            f.insert(format!(
                "table {} replica@{} pitr={}",
                c.name(t),
                s(&r["Region"]),
                s(&r["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"])
            ));
        }
    }
    f
}

fn tf_r7(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for tb in t.of("aws_dynamodb_table") {
        f.insert(format!(
            "table {} replica@{} pitr={}",
            t.name(tb),
            tb.region,
            s(&tb.b("point_in_time_recovery")["enabled"])
        ));
        for r in as_list(tb.p("replica")) {
            f.insert(format!(
                "table {} replica@{} pitr={}",
                t.name(tb),
                s(&r["region_name"]),
                s(&r["point_in_time_recovery"])
            ));
        }
    }
    f
}

fn holds_r7(f: &Facts) -> Result<(), String> {
    expect(f.len() == 2, "one replica per region")?;
    expect(
        f.iter().all(|x| x.ends_with("pitr=true")),
        "PITR on every replica",
    )
}

// R8 ---------------------------------------------------------------------------

fn cfn_r8(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for m in c.of("AWS::RDS::DBCluster") {
        f.insert(format!(
            "cluster {}@{} encrypted={} key={}",
            c.name(m),
            m.region,
            s(m.p("StorageEncrypted")),
            c.ident(m.file, m.p("KmsKeyId"))
        ));
    }
    for t in c.of("AWS::DynamoDB::GlobalTable") {
        for r in as_list(t.p("Replicas")) {
            f.insert(format!(
                "table {}@{} key={}",
                c.name(t),
                s(&r["Region"]),
                c.ident(t.file, &r["SSESpecification"]["KMSMasterKeyId"])
            ));
        }
    }
    f
}

fn tf_r8(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for m in t.of("aws_rds_cluster") {
        f.insert(format!(
            "cluster {}@{} encrypted={} key={}",
            t.name(m),
            m.region,
            s(m.p("storage_encrypted")),
            t.ident(m.p("kms_key_id"))
        ));
    }
    for tb in t.of("aws_dynamodb_table") {
        f.insert(format!(
            "table {}@{} key={}",
            t.name(tb),
            tb.region,
            t.ident(&tb.b("server_side_encryption")["kms_key_arn"])
        ));
        for r in as_list(tb.p("replica")) {
            f.insert(format!(
                "table {}@{} key={}",
                t.name(tb),
                s(&r["region_name"]),
                t.ident(&r["kms_key_arn"])
            ));
        }
    }
    f
}

fn holds_r8(f: &Facts) -> Result<(), String> {
    for fact in f {
        let region = fact
            .split('@')
            .nth(1)
            .and_then(|x| x.split(' ').next())
            .unwrap_or("");
        expect(
            fact.contains("key=alias/") && fact.ends_with(&format!("@{region}")),
            &format!("not encrypted with the region's customer-managed key: {fact}"),
        )?;
    }
    expect(
        count(f, "cluster ") == 2 && count(f, "table ") == 2,
        "both regions",
    )
}

// R9 ---------------------------------------------------------------------------

fn tls_only(statements: &[&Value]) -> bool {
    statements
        .iter()
        .any(|st| st["Effect"] == "Deny" && st["Condition"]["Bool"]["aws:SecureTransport"] == false)
}

/// Buckets drsc adds for itself (execution and drill reports, access logs), not the site's stores.
fn drsc_bucket(name: &str) -> bool {
    // The evidence buckets (issue 13): tests/evidence_bucket.rs pins them;
    // the drill report bucket: tests/drills.rs.
    name.starts_with("region-switch-reports-")
        || name.starts_with("drill-reports-")
        || name.contains("-access-logs-")
        || name.starts_with("backup-evidence-")
}

fn cfn_r9(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    // The Region switch report bucket and the access-log buckets are not document
    // buckets (tests/region_switch.rs and tests/hardening.rs pin them).
    for b in c
        .of("AWS::S3::Bucket")
        .into_iter()
        .filter(|b| !drsc_bucket(&s(b.p("BucketName"))))
    {
        let sse = &b.p("BucketEncryption")["ServerSideEncryptionConfiguration"][0];
        let pab = b.p("PublicAccessBlockConfiguration");
        let blocked = [
            "BlockPublicAcls",
            "BlockPublicPolicy",
            "IgnorePublicAcls",
            "RestrictPublicBuckets",
        ]
        .iter()
        .all(|k| pab[*k] == true);
        let tls = c.of("AWS::S3::BucketPolicy").into_iter().any(|p| {
            c.resolve(p.file, p.p("Bucket")).map(|x| x.id) == Some(b.id)
                && tls_only(&Cfn::statements(p.p("PolicyDocument")))
        });
        f.insert(format!(
            "bucket {}@{} versioning={} sse={} key={} bucket-key={} public-blocked={blocked} tls-only={tls}",
            c.name(b),
            b.region,
            s(&b.p("VersioningConfiguration")["Status"]),
            s(&sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"]),
            c.ident(b.file, &sse["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]),
            s(&sse["BucketKeyEnabled"])
        ));
        for rule in as_list(&b.p("ReplicationConfiguration")["Rules"]) {
            let d = &rule["Destination"];
            f.insert(format!(
                "replication {}@{} -> {} replica-key={} kms-objects={} delete-markers={} rtc={} metrics={} role={}",
                c.name(b),
                b.region,
                c.ident(b.file, &d["Bucket"]),
                c.ident(b.file, &d["EncryptionConfiguration"]["ReplicaKmsKeyID"]),
                s(&rule["SourceSelectionCriteria"]["SseKmsEncryptedObjects"]["Status"]),
                s(&rule["DeleteMarkerReplication"]["Status"]),
                s(&d["ReplicationTime"]["Time"]["Minutes"]),
                s(&d["Metrics"]["EventThreshold"]["Minutes"]),
                c.ident(b.file, &b.p("ReplicationConfiguration")["Role"])
            ));
        }
    }
    f
}

fn tf_r9(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for b in t
        .of("aws_s3_bucket")
        .into_iter()
        .filter(|b| !drsc_bucket(&s(b.p("bucket"))))
    {
        let one = |ty: &str| t.attached(ty, "bucket", b).into_iter().next();
        let versioning = one("aws_s3_bucket_versioning")
            .map(|v| s(&v.b("versioning_configuration")["status"]))
            .unwrap_or_default();
        let sse = one("aws_s3_bucket_server_side_encryption_configuration").expect("sse");
        let rule = sse.b("rule");
        let by_default = &rule["apply_server_side_encryption_by_default"][0];
        let blocked = one("aws_s3_bucket_public_access_block").is_some_and(|p| {
            [
                "block_public_acls",
                "block_public_policy",
                "ignore_public_acls",
                "restrict_public_buckets",
            ]
            .iter()
            .all(|k| p.body[*k] == true)
        });
        let tls = one("aws_s3_bucket_policy").is_some_and(|p| {
            let doc = tf_json(p.p("policy"));
            tls_only(&Cfn::statements(&doc))
        });
        f.insert(format!(
            "bucket {}@{} versioning={versioning} sse={} key={} bucket-key={} public-blocked={blocked} tls-only={tls}",
            t.name(b),
            b.region,
            s(&by_default["sse_algorithm"]),
            t.ident(&by_default["kms_master_key_id"]),
            s(&rule["bucket_key_enabled"])
        ));
        if let Some(r) = one("aws_s3_bucket_replication_configuration") {
            for rule in as_list(r.p("rule")) {
                let d = &rule["destination"][0];
                f.insert(format!(
                    "replication {}@{} -> {} replica-key={} kms-objects={} delete-markers={} rtc={} metrics={} role={}",
                    t.name(b),
                    b.region,
                    t.ident(&d["bucket"]),
                    t.ident(&d["encryption_configuration"][0]["replica_kms_key_id"]),
                    s(&rule["source_selection_criteria"][0]["sse_kms_encrypted_objects"][0]["status"]),
                    s(&rule["delete_marker_replication"][0]["status"]),
                    s(&d["replication_time"][0]["time"][0]["minutes"]),
                    s(&d["metrics"][0]["event_threshold"][0]["minutes"]),
                    t.ident(r.p("role"))
                ));
            }
        }
    }
    f
}

fn holds_r9(f: &Facts) -> Result<(), String> {
    let buckets: Vec<&String> = f.iter().filter(|x| x.starts_with("bucket ")).collect();
    expect(buckets.len() == 2, "a bucket per region")?;
    for b in buckets {
        expect(
            b.contains("versioning=Enabled sse=aws:kms key=alias/")
                && b.ends_with("public-blocked=true tls-only=true"),
            &format!("bucket settings: {b}"),
        )?;
    }
    expect(
        f.iter().any(|x| {
            x.starts_with("replication ")
                && x.contains("@us-east-1 -> ")
                && x.contains("@us-west-2 replica-key=alias/")
                && x.contains("kms-objects=Enabled")
        }),
        "replication primary → secondary with the destination region's key",
    )
}

// R10 --------------------------------------------------------------------------

/// What a function package contains: `file:sha256` for each file.
fn files_digest(files: &[(String, Vec<u8>)]) -> String {
    use sha2::Digest;
    sorted_join(files.iter().map(|(name, bytes)| {
        let hex: String = sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{name}:{}", &hex[..16])
    }))
}

/// [`files_digest`] of a zip archive.
fn zip_digest(path: &Path) -> String {
    use std::io::Read;
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut archive = zip::ZipArchive::new(file).expect("a zip archive");
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("zip entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read zip entry");
        files.push((entry.name().to_string(), bytes));
    }
    files_digest(&files)
}

fn asset(path: &str) -> String {
    path.rsplit("assets/")
        .next()
        .map(|x| format!("assets/{x}"))
        .unwrap_or_default()
}

fn cfn_r10(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for fun in c.of("AWS::Lambda::Function") {
        let env = fun.p("Environment.Variables");
        let keys = env
            .as_object()
            .map(|m| sorted_join(m.keys().cloned()))
            .unwrap_or_default();
        let code = &fun.p("Code");
        let code = if let Some(inline) = code["ZipFile"].as_str() {
            files_digest(&[("index.py".to_string(), inline.as_bytes().to_vec())])
        } else {
            // `S3Key` is a parameter whose default is the package's path.
            let param = code["S3Key"]["Ref"].as_str().unwrap_or_default();
            let t = c.template(fun.file);
            zip_digest(&c.dir.join(asset(&s(&t["Parameters"][param]["Default"]))))
        };
        f.insert(format!(
            "function {}@{} runtime={} handler={} memory={} timeout={} reserved={} env={keys} code={code}",
            c.name(fun),
            fun.region,
            s(fun.p("Runtime")),
            s(fun.p("Handler")),
            s(fun.p("MemorySize")),
            s(fun.p("Timeout")),
            s(fun.p("ReservedConcurrentExecutions"))
        ));
    }
    only_site_functions(f)
}

fn tf_r10(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for fun in t.of("aws_lambda_function") {
        let env = &fun.b("environment")["variables"];
        let keys = env
            .as_object()
            .map(|m| sorted_join(m.keys().cloned()))
            .unwrap_or_default();
        f.insert(format!(
            "function {}@{} runtime={} handler={} memory={} timeout={} reserved={} env={keys} code={}",
            t.name(fun),
            fun.region,
            s(fun.p("runtime")),
            s(fun.p("handler")),
            s(fun.p("memory_size")),
            s(fun.p("timeout")),
            s(fun.p("reserved_concurrent_executions")),
            zip_digest(&t.dir.join(asset(&s(fun.p("filename")))))
        ));
    }
    only_site_functions(f)
}

/// The functions deployed in both regions (the site's own; drsc's failover
/// and probe functions exist only in the secondary region).
fn only_site_functions(f: Facts) -> Facts {
    let name = |x: &String| {
        x.split(' ')
            .nth(1)
            .and_then(|n| n.split('@').next())
            .unwrap_or("")
            .to_string()
    };
    let mut regions: BTreeMap<String, usize> = BTreeMap::new();
    for x in &f {
        *regions.entry(name(x)).or_default() += 1;
    }
    f.into_iter().filter(|x| regions[&name(x)] == 2).collect()
}

fn holds_r10(f: &Facts) -> Result<(), String> {
    expect(!f.is_empty(), "site functions in both regions")?;
    let without_region: BTreeSet<String> = f
        .iter()
        .map(|x| {
            let (head, rest) = x.split_once('@').unwrap_or((x, ""));
            format!("{head} {}", rest.split_once(' ').map(|r| r.1).unwrap_or(""))
        })
        .collect();
    expect(
        without_region.len() * 2 == f.len(),
        "identical configuration in both regions",
    )?;
    for x in f {
        let runtime = x
            .split("runtime=python3.")
            .nth(1)
            .and_then(|r| r.split(' ').next());
        let minor: u32 = runtime.and_then(|m| m.parse().ok()).unwrap_or(0);
        expect(
            minor >= 9 && x.contains(".py:"),
            &format!("Python 3.9+ with code: {x}"),
        )?;
    }
    Ok(())
}

// R11 --------------------------------------------------------------------------

fn cfn_r11(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for role in c.of("AWS::IAM::Role") {
        // Statements live in customer-managed policies attached to the role (one per role).
        let mut actions = Vec::new();
        for p in as_list(role.p("Policies")) {
            actions.extend(policy_actions(&Cfn::statements(&p["PolicyDocument"])));
        }
        for p in c.of("AWS::IAM::ManagedPolicy") {
            let attached = as_list(p.p("Roles"))
                .iter()
                .any(|r| p.file == role.file && r["Ref"] == role.id);
            if attached {
                actions.extend(policy_actions(&Cfn::statements(p.p("PolicyDocument"))));
            }
        }
        f.insert(format!(
            "role {} policy={}",
            c.name(role),
            sorted_join(actions)
        ));
        let managed = as_list(role.p("ManagedPolicyArns"))
            .into_iter()
            .map(|a| arn_name(&c.text(a)));
        f.insert(format!(
            "role {} aws-managed={}",
            c.name(role),
            sorted_join(managed)
        ));
    }
    f
}

fn tf_r11(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for role in t.of("aws_iam_role") {
        let by_name = |ty: &str| -> Vec<TRes> {
            let me = format!("${{aws_iam_role.{}.name}}", role.name);
            t.of(ty)
                .into_iter()
                .filter(|p| s(p.p("role")) == me)
                .collect()
        };
        let mut actions = Vec::new();
        for p in by_name("aws_iam_role_policy") {
            actions.extend(policy_actions(&Cfn::statements(&tf_json(p.p("policy")))));
        }
        let mut managed = Vec::new();
        for a in by_name("aws_iam_role_policy_attachment") {
            let arn = s(a.p("policy_arn"));
            // A customer-managed policy of the site: its statements; else an AWS managed one.
            let own = t
                .of("aws_iam_policy")
                .into_iter()
                .find(|p| arn == format!("${{aws_iam_policy.{}.arn}}", p.name));
            match own {
                Some(p) => {
                    actions.extend(policy_actions(&Cfn::statements(&tf_json(p.p("policy")))))
                }
                None => managed.push(arn_name(&norm(&arn))),
            }
        }
        f.insert(format!(
            "role {} policy={}",
            t.name(role),
            sorted_join(actions)
        ));
        f.insert(format!(
            "role {} aws-managed={}",
            t.name(role),
            sorted_join(managed)
        ));
    }
    f
}

fn holds_r11(f: &Facts) -> Result<(), String> {
    for fact in f {
        if let Some(actions) = fact.split(" policy=").nth(1) {
            for a in actions.split(',').filter(|a| !a.is_empty()) {
                expect(
                    a != "*" && !a.ends_with(":*"),
                    &format!("wildcard action {a} in {fact}"),
                )?;
            }
        }
    }
    expect(
        count(f, "role ") >= 8,
        "a role per function, replication and backup",
    )
}

// R12 --------------------------------------------------------------------------

fn cfn_r12(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for p in c.of("AWS::Backup::BackupPlan") {
        for rule in as_list(p.p("BackupPlan.BackupPlanRule")) {
            let vault = c.ident(p.file, &rule["TargetBackupVault"]);
            let copies = as_list(&rule["CopyActions"]).into_iter().map(|a| {
                format!(
                    "{} delete={} cold={}",
                    c.ident(p.file, &a["DestinationBackupVaultArn"]),
                    s(&a["Lifecycle"]["DeleteAfterDays"]),
                    s(&a["Lifecycle"]["MoveToColdStorageAfterDays"])
                )
            });
            f.insert(format!(
                "plan {}@{} rule={} schedule={} tz={} start={} complete={} vault={vault} delete={} cold={} continuous={} copy=[{}]",
                c.name(p),
                p.region,
                s(&rule["RuleName"]),
                s(&rule["ScheduleExpression"]),
                s(&rule["ScheduleExpressionTimezone"]),
                s(&rule["StartWindowMinutes"]),
                s(&rule["CompletionWindowMinutes"]),
                s(&rule["Lifecycle"]["DeleteAfterDays"]),
                s(&rule["Lifecycle"]["MoveToColdStorageAfterDays"]),
                s(&rule["EnableContinuousBackup"]),
                sorted_join(copies)
            ));
        }
    }
    f
}

fn tf_r12(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for p in t.of("aws_backup_plan") {
        for rule in as_list(p.p("rule")) {
            let copies = as_list(&rule["copy_action"]).into_iter().map(|a| {
                format!(
                    "{} delete={} cold={}",
                    t.ident(&a["destination_vault_arn"]),
                    s(&a["lifecycle"][0]["delete_after"]),
                    s(&a["lifecycle"][0]["cold_storage_after"])
                )
            });
            f.insert(format!(
                "plan {}@{} rule={} schedule={} tz={} start={} complete={} vault={} delete={} cold={} continuous={} copy=[{}]",
                t.name(p),
                p.region,
                s(&rule["rule_name"]),
                s(&rule["schedule"]),
                s(&rule["schedule_expression_timezone"]),
                s(&rule["start_window"]),
                s(&rule["completion_window"]),
                t.ident(&rule["target_vault_name"]),
                s(&rule["lifecycle"][0]["delete_after"]),
                s(&rule["lifecycle"][0]["cold_storage_after"]),
                s(&rule["enable_continuous_backup"]),
                sorted_join(copies)
            ));
        }
    }
    f
}

fn holds_r12(f: &Facts) -> Result<(), String> {
    expect(
        f.iter().any(|x| {
            x.contains("schedule=cron(0 * ? * * *)")
                && x.contains("@us-east-1 ")
                // Beside the isolated copy (issue 13 item 4) when there is one.
                && (x.contains("copy=[dr-vault") || x.contains(",dr-vault"))
                && x.contains("@us-west-2 delete=")
        }),
        "an hourly rule copying to the secondary region's vault",
    )
}

// R13 --------------------------------------------------------------------------

fn cfn_r13(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for sel in c.of("AWS::Backup::BackupSelection") {
        for r in as_list(&sel.p("BackupSelection")["Resources"]) {
            f.insert(format!(
                "selection {} {}",
                s(&sel.p("BackupSelection")["SelectionName"]),
                c.ident(sel.file, r)
            ));
        }
    }
    f
}

fn tf_r13(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for sel in t.of("aws_backup_selection") {
        for r in as_list(sel.p("resources")) {
            f.insert(format!("selection {} {}", s(sel.p("name")), t.ident(r)));
        }
    }
    f
}

fn holds_r13(f: &Facts) -> Result<(), String> {
    expect(
        any(f, "-aurora-") && any(f, "-table-") && any(f, "-bucket-"),
        "Aurora, DynamoDB and S3 covered",
    )
}

// R14 --------------------------------------------------------------------------

fn cfn_r14(c: &Cfn) -> Facts {
    c.of("AWS::Backup::BackupVault")
        .into_iter()
        .map(|v| {
            let lock = v.p("LockConfiguration");
            format!(
                "vault {}@{} key={} lock={}/{}/{}",
                c.name(v),
                v.region,
                c.ident(v.file, v.p("EncryptionKeyArn")),
                s(&lock["MinRetentionDays"]),
                s(&lock["MaxRetentionDays"]),
                s(&lock["ChangeableForDays"])
            )
        })
        .collect()
}

fn tf_r14(t: &Tf) -> Facts {
    t.of("aws_backup_vault")
        .into_iter()
        .map(|v| {
            let me = format!("${{aws_backup_vault.{}.name}}", v.name);
            let lock = t
                .of("aws_backup_vault_lock_configuration")
                .into_iter()
                .find(|l| s(l.p("backup_vault_name")) == me);
            let (min, max, ch) = lock
                .map(|l| {
                    (
                        s(l.p("min_retention_days")),
                        s(l.p("max_retention_days")),
                        s(l.p("changeable_for_days")),
                    )
                })
                .unwrap_or_default();
            format!(
                "vault {}@{} key={} lock={min}/{max}/{ch}",
                t.name(v),
                v.region,
                t.ident(v.p("kms_key_arn"))
            )
        })
        .collect()
}

fn holds_r14(f: &Facts) -> Result<(), String> {
    expect(f.len() == 2, "a vault per region")?;
    for v in f {
        let region = v
            .split('@')
            .nth(1)
            .and_then(|x| x.split(' ').next())
            .unwrap_or("");
        expect(
            v.contains("key=alias/") && v.contains(&format!("@{region} lock=")),
            &format!("vault key: {v}"),
        )?;
    }
    Ok(())
}

// R15–R17 ----------------------------------------------------------------------

fn cfn_r15(c: &Cfn) -> Facts {
    c.of("AWS::Route53::HealthCheck")
        .into_iter()
        .map(|h| {
            let cfg = h.p("HealthCheckConfig");
            format!(
                "health-check {} type={} port={} path={} interval={} threshold={} sni={}",
                s(&cfg["FullyQualifiedDomainName"]),
                s(&cfg["Type"]),
                s(&cfg["Port"]),
                s(&cfg["ResourcePath"]),
                s(&cfg["RequestInterval"]),
                s(&cfg["FailureThreshold"]),
                s(&cfg["EnableSNI"])
            )
        })
        .collect()
}

fn tf_r15(t: &Tf) -> Facts {
    t.of("aws_route53_health_check")
        .into_iter()
        .map(|h| {
            format!(
                "health-check {} type={} port={} path={} interval={} threshold={} sni={}",
                s(h.p("fqdn")),
                s(h.p("type")),
                s(h.p("port")),
                s(h.p("resource_path")),
                s(h.p("request_interval")),
                s(h.p("failure_threshold")),
                s(h.p("enable_sni"))
            )
        })
        .collect()
}

fn holds_r15(f: &Facts) -> Result<(), String> {
    expect(
        any(f, "api-use1.bank.example.com type=HTTPS"),
        "an HTTPS health check of the primary endpoint",
    )
}

fn cfn_records(c: &Cfn) -> Facts {
    c.of("AWS::Route53::RecordSet")
        .into_iter()
        .map(|r| {
            // A check the Region switch plan created: the plan's region at its
            // position in `PlanHealthChecks`.
            let plan_check = r.p("HealthCheckId")["Fn::Select"][1]["Fn::Split"][1]["Fn::Select"]
                .as_array()
                .and_then(|sel| sel.first().and_then(|i| i.as_u64()))
                .and_then(|i| {
                    c.of("AWS::ARCRegionSwitch::Plan")
                        .first()
                        .map(|plan| format!("plan@{}", s(&plan.p("Regions")[i as usize])))
                });
            let hc = plan_check.unwrap_or_else(|| {
                c.resolve(r.file, r.p("HealthCheckId"))
                    .map(|h| s(&h.p("HealthCheckConfig")["FullyQualifiedDomainName"]))
                    .unwrap_or_else(|| "none".into())
            });
            let routing = if r.p("Failover").is_null() {
                format!("weight={}", s(r.p("Weight")))
            } else {
                format!("failover={}", s(r.p("Failover")))
            };
            // An alias names the regional custom domain it points at, and its region.
            let alias = c
                .resolve(r.file, &r.p("AliasTarget")["DNSName"])
                .map(|d| format!(" alias={}@{}", s(d.p("DomainName")), d.region))
                .unwrap_or_default();
            format!(
                "record {} {} set={} {routing} ttl={} -> {}{alias} checked-by={hc}",
                s(r.p("Name")),
                s(r.p("Type")),
                s(r.p("SetIdentifier")),
                s(r.p("TTL")),
                sorted_join(as_list(r.p("ResourceRecords")).into_iter().map(s))
            )
        })
        .collect()
}

fn tf_records(t: &Tf) -> Facts {
    t.of("aws_route53_record")
        .into_iter()
        // ACM validation records (`for_each` over a certificate's
        // `domain_validation_options`): CloudFormation has ACM write them.
        .filter(|r| r.p("for_each").is_null())
        .map(|r| {
            // A check the Region switch plan created, selected by region.
            let id = s(r.p("health_check_id"));
            let plan_check = id
                .contains("data.aws_arcregionswitch_route53_health_checks.")
                .then(|| id.split("h.region == \"").nth(1))
                .flatten()
                .and_then(|rest| rest.split('"').next())
                .map(|region| format!("plan@{region}"));
            let hc = plan_check.unwrap_or_else(|| {
                t.resolve(r.p("health_check_id"))
                    .map(|h| s(h.p("fqdn")))
                    .unwrap_or_else(|| "none".into())
            });
            let failover = &r.b("failover_routing_policy")["type"];
            let routing = if failover.is_null() {
                format!("weight={}", s(&r.b("weighted_routing_policy")["weight"]))
            } else {
                format!("failover={}", s(failover))
            };
            let alias = t
                .resolve(&r.b("alias")["name"])
                .map(|d| format!(" alias={}@{}", s(d.p("domain_name")), d.region))
                .unwrap_or_default();
            format!(
                "record {} {} set={} {routing} ttl={} -> {}{alias} checked-by={hc}",
                s(r.p("name")),
                s(r.p("type")),
                s(r.p("set_identifier")),
                s(r.p("ttl")),
                sorted_join(as_list(r.p("records")).into_iter().map(s))
            )
        })
        .collect()
}

fn holds_r16(f: &Facts) -> Result<(), String> {
    expect(
        count(f, "record api.bank.example.com") == 2,
        "two records for the name",
    )?;
    // Weighted records (Lambda engine) are tied to drsc's check of the primary
    // front door; failover records (Region switch) to the plan's checks.
    expect(
        any(f, "weight=100 ttl= -> alias=api.bank.example.com@us-east-1 checked-by=api-use1.bank.example.com")
            || (any(f, "set=primary-use1 failover=PRIMARY")
                && any(f, "alias=api.bank.example.com@us-east-1 checked-by=plan@us-east-1")
                && any(f, "alias=api.bank.example.com@us-west-2 checked-by=plan@us-west-2")),
        "tied to the health check of its region",
    )
}

fn cfn_r17(c: &Cfn) -> Facts {
    let mut f = cfn_records(c);
    for plan in c.of("AWS::ARCRegionSwitch::Plan") {
        for w in as_list(plan.p("Workflows")) {
            for step in as_list(&w["Steps"]) {
                let r = &step["ExecutionBlockConfiguration"]["Route53HealthCheckConfig"];
                if !r.is_null() {
                    f.insert(format!(
                        "plan-dns activate={} record={}",
                        s(&w["WorkflowTargetRegion"]),
                        s(&r["RecordName"])
                    ));
                }
            }
        }
    }
    for fun in c.of("AWS::Lambda::Function") {
        let env = fun.p("Environment.Variables");
        if !env["HOSTED_ZONE_ID"].is_null() {
            f.insert(format!(
                "dns-shift {} record={} primary={} secondary={}",
                c.name(fun),
                s(&env["RECORD_NAME"]),
                s(&env["PRIMARY_SET_ID"]),
                s(&env["SECONDARY_SET_ID"])
            ));
        }
    }
    f
}

fn tf_r17(t: &Tf) -> Facts {
    let mut f = tf_records(t);
    for plan in t.of("aws_arcregionswitch_plan") {
        for w in as_list(plan.p("workflow")) {
            for step in as_list(&w["step"]) {
                let r = &step["route53_health_check_config"][0];
                if !r.is_null() {
                    f.insert(format!(
                        "plan-dns activate={} record={}",
                        s(&w["workflow_target_region"]),
                        s(&r["record_name"])
                    ));
                }
            }
        }
    }
    for fun in t.of("aws_lambda_function") {
        let env = &fun.b("environment")["variables"];
        if !env["HOSTED_ZONE_ID"].is_null() {
            f.insert(format!(
                "dns-shift {} record={} primary={} secondary={}",
                t.name(fun),
                s(&env["RECORD_NAME"]),
                s(&env["PRIMARY_SET_ID"]),
                s(&env["SECONDARY_SET_ID"])
            ));
        }
    }
    f
}

fn holds_r17(f: &Facts) -> Result<(), String> {
    // Route 53 drops the unhealthy primary record and answers with the
    // secondary one; the failover function also shifts the weights.
    expect(
        (any(f, "set=primary-use1 weight=100") && any(f, "set=secondary-usw2 weight=0"))
            || (any(f, "set=primary-use1 failover=PRIMARY")
                && any(f, "set=secondary-usw2 failover=SECONDARY")),
        "primary and standby records",
    )?;
    // The Lambda engine shifts the weights itself; with Region switch the health
    // check moves traffic (data plane) and the plan has a Route 53 step.
    expect(
        any(f, "dns-shift ") || any(f, "plan-dns activate=us-west-2 record=api.bank.example.com"),
        "the failover automation moves DNS",
    )
}

// R18 --------------------------------------------------------------------------

fn cfn_r18(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for r in c.of("AWS::Events::Rule") {
        let pattern = r.p("EventPattern");
        if pattern.is_null() {
            continue;
        }
        for target in as_list(r.p("Targets")) {
            f.insert(format!(
                "rule {}@{} pattern={} -> {}",
                c.name(r),
                r.region,
                pattern,
                c.ident(r.file, &target["Arn"])
            ));
        }
    }
    for sub in c.of("AWS::SNS::Subscription") {
        if sub.p("Protocol") == "email" {
            f.insert(format!(
                "email {} -> {}",
                c.ident(sub.file, sub.p("TopicArn")),
                s(sub.p("Endpoint"))
            ));
        }
    }
    f
}

fn tf_r18(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for r in t.of("aws_cloudwatch_event_rule") {
        if r.p("event_pattern").is_null() {
            continue;
        }
        let pattern = tf_json(r.p("event_pattern"));
        for target in t.attached("aws_cloudwatch_event_target", "rule", r) {
            f.insert(format!(
                "rule {}@{} pattern={} -> {}",
                t.name(r),
                r.region,
                pattern,
                t.ident(target.p("arn"))
            ));
        }
    }
    for sub in t.of("aws_sns_topic_subscription") {
        if sub.p("protocol") == "email" {
            f.insert(format!(
                "email {} -> {}",
                t.ident(sub.p("topic_arn")),
                s(sub.p("endpoint"))
            ));
        }
    }
    f
}

fn holds_r18(f: &Facts) -> Result<(), String> {
    for region in ["us-east-1", "us-west-2"] {
        expect(
            f.iter().any(|x| {
                x.contains(&format!("@{region} pattern="))
                    && x.contains("FAILED")
                    && x.contains("Copy Job State Change")
            }),
            &format!("backup and copy failure rule in {region}"),
        )?;
        expect(
            f.iter()
                .any(|x| x.contains(&format!("@{region} pattern=")) && x.contains("COMPLETED")),
            &format!("completion rule in {region}"),
        )?;
    }
    expect(any(f, "email "), "an e-mail subscription")
}

// R19 --------------------------------------------------------------------------

fn dashboard_facts(name: &str, region: &str, body: &Value) -> Facts {
    let mut f = Facts::new();
    for w in as_list(&body["widgets"]) {
        for m in as_list(&w["properties"]["metrics"]) {
            let row = m.as_array().expect("metric row");
            let opts = row.last().filter(|o| o.is_object());
            let metric_region = opts
                .and_then(|o| o["region"].as_str())
                .or_else(|| w["properties"]["region"].as_str())
                .unwrap_or(region);
            let dims: Vec<String> = row.iter().filter(|x| x.is_string()).map(s).collect();
            f.insert(format!(
                "dashboard {name}@{region} metric {} in {metric_region}",
                dims.join("/")
            ));
        }
    }
    f
}

fn cfn_r19(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for d in c.of("AWS::CloudWatch::Dashboard") {
        let body: Value =
            serde_json::from_str(&c.text(d.p("DashboardBody"))).expect("dashboard body");
        f.extend(dashboard_facts(&c.name(d), d.region, &body));
    }
    f
}

fn tf_r19(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for d in t.of("aws_cloudwatch_dashboard") {
        f.extend(dashboard_facts(
            &t.name(d),
            d.region,
            &tf_json(d.p("dashboard_body")),
        ));
    }
    f
}

fn holds_r19(f: &Facts) -> Result<(), String> {
    expect(
        any(f, "AWS/RDS/AuroraGlobalDBReplicationLag"),
        "Aurora global replication lag",
    )?;
    expect(
        any(f, "AWS/DynamoDB/ReplicationLatency"),
        "DynamoDB replication latency",
    )?;
    expect(
        any(f, " in us-east-1") && any(f, " in us-west-2"),
        "cross-region widgets",
    )
}

// R20 --------------------------------------------------------------------------

fn cfn_r20(c: &Cfn) -> Facts {
    c.of("AWS::CloudWatch::Alarm")
        .into_iter()
        .map(|a| {
            let dims = as_list(a.p("Dimensions"))
                .into_iter()
                .map(|d| format!("{}={}", s(&d["Name"]), c.text(&d["Value"])));
            let actions = as_list(a.p("AlarmActions"))
                .into_iter()
                .map(|x| c.ident(a.file, x));
            format!(
                "alarm {}@{} {}/{} [{}] {} {} {} periods={}/{}x{} missing={} -> {}",
                c.name(a),
                a.region,
                s(a.p("Namespace")),
                s(a.p("MetricName")),
                sorted_join(dims),
                s(a.p("Statistic")),
                s(a.p("ComparisonOperator")),
                s(a.p("Threshold")),
                s(a.p("DatapointsToAlarm")),
                s(a.p("EvaluationPeriods")),
                s(a.p("Period")),
                s(a.p("TreatMissingData")),
                sorted_join(actions)
            )
        })
        .collect()
}

fn tf_r20(t: &Tf) -> Facts {
    t.of("aws_cloudwatch_metric_alarm")
        .into_iter()
        .map(|a| {
            let dims = a
                .p("dimensions")
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", norm(&s(v))))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let actions = as_list(a.p("alarm_actions"))
                .into_iter()
                .map(|x| t.ident(x));
            format!(
                "alarm {}@{} {}/{} [{}] {} {} {} periods={}/{}x{} missing={} -> {}",
                t.name(a),
                a.region,
                s(a.p("namespace")),
                s(a.p("metric_name")),
                sorted_join(dims),
                s(a.p("statistic")),
                s(a.p("comparison_operator")),
                s(a.p("threshold")),
                s(a.p("datapoints_to_alarm")),
                s(a.p("evaluation_periods")),
                s(a.p("period")),
                s(a.p("treat_missing_data")),
                sorted_join(actions)
            )
        })
        .collect()
}

fn holds_r20(f: &Facts) -> Result<(), String> {
    expect(
        any(f, "AWS/RDS/AuroraGlobalDBReplicationLag"),
        "an alarm on Aurora replication lag",
    )?;
    expect(
        any(f, "AWS/DynamoDB/ReplicationLatency"),
        "an alarm on DynamoDB replication latency",
    )?;
    expect(
        any(f, "AWS/Backup/NumberOfBackupJobsFailed"),
        "an alarm on backup failures",
    )
}

// R21, R22 ---------------------------------------------------------------------

fn cfn_r21(c: &Cfn) -> Facts {
    c.of("AWS::KMS::Key")
        .into_iter()
        .map(|k| {
            format!(
                "key {}@{} rotation={} period={} pending={}",
                c.name(k),
                k.region,
                s(k.p("EnableKeyRotation")),
                s(k.p("RotationPeriodInDays")),
                s(k.p("PendingWindowInDays"))
            )
        })
        .collect()
}

fn tf_r21(t: &Tf) -> Facts {
    t.of("aws_kms_key")
        .into_iter()
        .map(|k| {
            format!(
                "key {}@{} rotation={} period={} pending={}",
                t.name(k),
                k.region,
                s(k.p("enable_key_rotation")),
                s(k.p("rotation_period_in_days")),
                s(k.p("deletion_window_in_days"))
            )
        })
        .collect()
}

fn holds_r21(f: &Facts) -> Result<(), String> {
    expect(
        any(f, "@us-east-1 ") && any(f, "@us-west-2 "),
        "a key in each region",
    )?;
    expect(
        f.iter().all(|k| k.contains("rotation=true")),
        "rotation on every key",
    )
}

fn cfn_r22(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for k in c.of("AWS::KMS::Key") {
        let key = format!("{}@{}", c.name(k), k.region);
        for st in Cfn::statements(k.p("KeyPolicy")) {
            let principal = match &st["Principal"] {
                Value::Object(m) if m.contains_key("AWS") => format!(
                    "AWS:{}",
                    sorted_join(as_list(&m["AWS"]).into_iter().map(|x| c.text(x)))
                ),
                Value::Object(m) => format!(
                    "Service:{}",
                    sorted_join(as_list(&m["Service"]).into_iter().map(s))
                ),
                other => s(other),
            };
            let mut when = Vec::new();
            for (op, keys) in st["Condition"].as_object().into_iter().flatten() {
                for (k, v) in keys.as_object().into_iter().flatten() {
                    when.push(format!(
                        "{op}:{k}={}",
                        sorted_join(as_list(v).into_iter().map(|x| c.text(x)))
                    ));
                }
            }
            f.insert(key_statement_fact(&key, st, principal, sorted_join(when)));
        }
    }
    f
}

fn tf_r22(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for k in t.of("aws_kms_key") {
        let key = format!("{}@{}", t.name(k), k.region);
        let doc = tf_json(k.p("policy"));
        for st in Cfn::statements(&doc) {
            let principal = match &st["Principal"] {
                Value::Object(m) if m.contains_key("AWS") => format!(
                    "AWS:{}",
                    sorted_join(as_list(&m["AWS"]).into_iter().map(|x| norm(&s(x))))
                ),
                Value::Object(m) => format!(
                    "Service:{}",
                    sorted_join(as_list(&m["Service"]).into_iter().map(s))
                ),
                other => s(other),
            };
            let mut when = Vec::new();
            for (op, keys) in st["Condition"].as_object().into_iter().flatten() {
                for (k, v) in keys.as_object().into_iter().flatten() {
                    when.push(format!(
                        "{op}:{k}={}",
                        sorted_join(as_list(v).into_iter().map(|x| norm(&s(x))))
                    ));
                }
            }
            f.insert(key_statement_fact(&key, st, principal, sorted_join(when)));
        }
    }
    f
}

fn holds_r22(f: &Facts) -> Result<(), String> {
    expect(
        !any(f, "actions=kms:*") && !any(f, ",kms:* "),
        "no key policy grants kms:*",
    )?;
    expect(
        f.iter()
            .filter(|x| x.contains("sid=KeyAdministration effect=Allow principal=AWS:arn:aws:iam::123456789012:role/KeyAdmins,arn:aws:iam::123456789012:role/drsc-deploy "))
            .count()
            == 2,
        "the site's admins and deployer administer every key",
    )?;
    // `*` only for the Backup Audit Manager reports role, by exact ARN (issue 13).
    expect(
        !f.iter().any(|x| {
            x.contains("effect=Allow principal=*")
                && !x.contains(
                    "aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports",
                )
        }),
        "no key is open to everyone",
    )?;
    expect(
        any(f, "dynamodb.*.amazonaws.com"),
        "DynamoDB may use the keys across regions",
    )?;
    expect(
        any(f, "role/documents-replication-role"),
        "the replication role may use both keys",
    )
}

// R23 --------------------------------------------------------------------------

fn cfn_r23(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for p in c.of("AWS::RDS::DBClusterParameterGroup") {
        f.insert(format!(
            "params {}@{} force_ssl={}",
            c.name(p),
            p.region,
            s(&p.p("Parameters")["rds.force_ssl"])
        ));
    }
    for (ty, prop, kind) in [
        ("AWS::SQS::Queue", "KmsMasterKeyId", "queue"),
        ("AWS::SNS::Topic", "KmsMasterKeyId", "topic"),
        ("AWS::Logs::LogGroup", "KmsKeyId", "log-group"),
    ] {
        for r in c.of(ty) {
            f.insert(format!(
                "{kind} {}@{} key={}",
                c.name(r),
                r.region,
                c.ident(r.file, r.p(prop))
            ));
        }
    }
    for m in c.of("AWS::SecretsManager::Secret") {
        f.insert(format!(
            "secret {}@{} key={}",
            c.name(m),
            m.region,
            c.ident(m.file, m.p("KmsKeyId"))
        ));
        for r in as_list(m.p("ReplicaRegions")) {
            f.insert(format!(
                "secret-replica {}@{} key={}",
                c.name(m),
                s(&r["Region"]),
                c.ident(m.file, &r["KmsKeyId"])
            ));
        }
    }
    f.extend(cfn_r9(c).into_iter().filter(|x| x.starts_with("bucket ")));
    f
}

fn tf_r23(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for p in t.of("aws_rds_cluster_parameter_group") {
        let force = as_list(p.p("parameter"))
            .into_iter()
            .find(|x| x["name"] == "rds.force_ssl")
            .map(|x| s(&x["value"]))
            .unwrap_or_default();
        f.insert(format!(
            "params {}@{} force_ssl={force}",
            t.name(p),
            p.region
        ));
    }
    for (ty, arg, kind) in [
        ("aws_sqs_queue", "kms_master_key_id", "queue"),
        ("aws_sns_topic", "kms_master_key_id", "topic"),
        ("aws_cloudwatch_log_group", "kms_key_id", "log-group"),
    ] {
        for r in t.of(ty) {
            f.insert(format!(
                "{kind} {}@{} key={}",
                t.name(r),
                r.region,
                t.ident(r.p(arg))
            ));
        }
    }
    for m in t.of("aws_secretsmanager_secret") {
        f.insert(format!(
            "secret {}@{} key={}",
            t.name(m),
            m.region,
            t.ident(m.p("kms_key_id"))
        ));
        for r in as_list(m.p("replica")) {
            f.insert(format!(
                "secret-replica {}@{} key={}",
                t.name(m),
                s(&r["region"]),
                t.ident(&r["kms_key_id"])
            ));
        }
    }
    f.extend(tf_r9(t).into_iter().filter(|x| x.starts_with("bucket ")));
    f
}

fn holds_r23(f: &Facts) -> Result<(), String> {
    for x in f {
        if x.starts_with("params ") {
            expect(
                x.ends_with("force_ssl=1"),
                &format!("TLS not enforced: {x}"),
            )?;
        } else if x.starts_with("bucket ") && x.contains("-access-logs-") {
            // S3 server access logs are delivered SSE-S3 (the documented option for
            // log destinations; the generated README's compliance section says so).
            expect(x.contains("sse=AES256") && x.ends_with("tls-only=true"), x)?;
        } else if x.starts_with("bucket ") {
            expect(x.contains("sse=aws:kms") && x.ends_with("tls-only=true"), x)?;
        } else {
            expect(
                x.contains("key=alias/"),
                &format!("not encrypted with a customer-managed key: {x}"),
            )?;
        }
    }
    expect(count(f, "params ") == 2, "both clusters")
}

// R24, R25 ---------------------------------------------------------------------

fn cfn_r24(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for ty in ["AWS::RDS::DBCluster", "AWS::RDS::GlobalCluster"] {
        for r in c.of(ty) {
            f.insert(
                format!(
                    "{ty} {}@{} deletion-protection={}",
                    c.name(r),
                    r.region,
                    s(r.p("DeletionProtection"))
                )
                .replace("AWS::RDS::DBCluster", "cluster")
                .replace("AWS::RDS::GlobalCluster", "global"),
            );
        }
    }
    for t in c.of("AWS::DynamoDB::GlobalTable") {
        for r in as_list(t.p("Replicas")) {
            f.insert(format!(
                "table {}@{} deletion-protection={}",
                c.name(t),
                s(&r["Region"]),
                s(&r["DeletionProtectionEnabled"])
            ));
        }
    }
    f
}

fn tf_r24(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for (ty, kind) in [
        ("aws_rds_cluster", "cluster"),
        ("aws_rds_global_cluster", "global"),
    ] {
        for r in t.of(ty) {
            f.insert(format!(
                "{kind} {}@{} deletion-protection={}",
                t.name(r),
                r.region,
                s(r.p("deletion_protection"))
            ));
        }
    }
    for tb in t.of("aws_dynamodb_table") {
        f.insert(format!(
            "table {}@{} deletion-protection={}",
            t.name(tb),
            tb.region,
            s(tb.p("deletion_protection_enabled"))
        ));
        for r in as_list(tb.p("replica")) {
            f.insert(format!(
                "table {}@{} deletion-protection={}",
                t.name(tb),
                s(&r["region_name"]),
                s(&r["deletion_protection_enabled"])
            ));
        }
    }
    f
}

fn holds_r24(f: &Facts) -> Result<(), String> {
    expect(
        f.len() == 5,
        "two clusters, the global cluster, two replicas",
    )?;
    expect(
        f.iter().all(|x| x.ends_with("deletion-protection=true")),
        "protected in production",
    )
}

fn cfn_r25(c: &Cfn) -> Facts {
    c.all()
        .into_iter()
        .filter(|r| Cfn::retained(*r))
        .filter_map(|r| {
            let kind = NAMED
                .iter()
                .find(|n| n.1 == r.ty())
                .map(|n| n.0)
                .or(match r.ty() {
                    "AWS::KMS::Key" => Some("key"),
                    _ => None,
                })?;
            Some(format!("retain {kind} {}@{}", c.name(r), r.region))
        })
        .collect()
}

fn tf_r25(t: &Tf) -> Facts {
    t.all()
        .into_iter()
        .filter(|r| Tf::retained(*r))
        .filter_map(|r| {
            let kind = NAMED
                .iter()
                .find(|n| n.3 == r.ty)
                .map(|n| n.0)
                .or(match r.ty {
                    "aws_kms_key" => Some("key"),
                    _ => None,
                })?;
            Some(format!("retain {kind} {}@{}", t.name(r), r.region))
        })
        .collect()
}

fn holds_r25(f: &Facts) -> Result<(), String> {
    for kind in ["global", "cluster", "table", "bucket", "vault", "key"] {
        expect(
            any(f, &format!("retain {kind} ")),
            &format!("{kind} retained in production"),
        )?;
    }
    Ok(())
}

// R26, R27 ---------------------------------------------------------------------

/// The availability-zone index of `Fn::Select [i, Fn::GetAZs]` or
/// `${sort(data.aws_availability_zones.x.names)[i]}`.
fn az_index(v: &Value) -> String {
    if let Some(sel) = v.get("Fn::Select").and_then(Value::as_array) {
        return s(&sel[0]);
    }
    let text = s(v);
    text.rsplit('[')
        .next()
        .map(|x| x.trim_end_matches(['}', ']']).to_string())
        .unwrap_or_default()
}

fn cfn_r26(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for v in c.of("AWS::EC2::VPC") {
        f.insert(format!(
            "vpc {}@{} cidr={}",
            c.name(v),
            v.region,
            s(v.p("CidrBlock"))
        ));
    }
    for sn in c.of("AWS::EC2::Subnet") {
        f.insert(format!(
            "subnet {}@{} vpc={} cidr={} az={}",
            c.name(sn),
            sn.region,
            c.ident(sn.file, sn.p("VpcId")),
            s(sn.p("CidrBlock")),
            az_index(sn.p("AvailabilityZone"))
        ));
    }
    for p in c.of("AWS::EC2::VPCPeeringConnection") {
        f.insert(format!(
            "peering {}@{} {} -> {} peer-region={}",
            c.name(p),
            p.region,
            c.ident(p.file, p.p("VpcId")),
            c.ident(p.file, p.p("PeerVpcId")),
            s(p.p("PeerRegion"))
        ));
    }
    for r in c.of("AWS::EC2::Route") {
        if let Some(pcx) = c.resolve(r.file, r.p("VpcPeeringConnectionId")) {
            f.insert(format!(
                "route {} -> {} via {}",
                c.ident(r.file, r.p("RouteTableId")),
                s(r.p("DestinationCidrBlock")),
                c.name(pcx)
            ));
        }
    }
    f
}

fn tf_r26(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for v in t.of("aws_vpc") {
        f.insert(format!(
            "vpc {}@{} cidr={}",
            t.name(v),
            v.region,
            s(v.p("cidr_block"))
        ));
    }
    for sn in t.of("aws_subnet") {
        f.insert(format!(
            "subnet {}@{} vpc={} cidr={} az={}",
            t.name(sn),
            sn.region,
            t.ident(sn.p("vpc_id")),
            s(sn.p("cidr_block")),
            az_index(sn.p("availability_zone"))
        ));
    }
    for p in t.of("aws_vpc_peering_connection") {
        let accepted = t.attached(
            "aws_vpc_peering_connection_accepter",
            "vpc_peering_connection_id",
            p,
        );
        if accepted
            .iter()
            .any(|a| a.p("auto_accept") == true && a.region == s(p.p("peer_region")))
        {
            f.insert(format!(
                "peering {}@{} {} -> {} peer-region={}",
                t.name(p),
                p.region,
                t.ident(p.p("vpc_id")),
                t.ident(p.p("peer_vpc_id")),
                s(p.p("peer_region"))
            ));
        }
    }
    for r in t.of("aws_route") {
        let Some(via) = t.resolve(r.p("vpc_peering_connection_id")) else {
            continue;
        };
        // The accepter stands for the connection it accepts.
        let pcx = t.resolve(via.p("vpc_peering_connection_id")).unwrap_or(via);
        f.insert(format!(
            "route {} -> {} via {}",
            t.ident(r.p("route_table_id")),
            s(r.p("destination_cidr_block")),
            t.name(pcx)
        ));
    }
    f
}

fn holds_r26(f: &Facts) -> Result<(), String> {
    let cidrs: Vec<&str> = f
        .iter()
        .filter(|x| x.starts_with("vpc "))
        .filter_map(|x| x.split("cidr=").nth(1))
        .collect();
    expect(
        cidrs.len() == 2 && cidrs[0] != cidrs[1],
        "a VPC per region, distinct CIDRs",
    )?;
    for region in ["us-east-1", "us-west-2"] {
        let azs: BTreeSet<&str> = f
            .iter()
            .filter(|x| x.starts_with("subnet ") && x.contains(&format!("@{region} ")))
            .filter_map(|x| x.split("az=").nth(1))
            .collect();
        expect(azs.len() >= 2, &format!("subnets in two zones in {region}"))?;
        expect(
            f.iter()
                .any(|x| x.starts_with("route ") && x.contains(&format!("@{region} -> "))),
            &format!("peering routes in {region}"),
        )?;
    }
    expect(any(f, "peering "), "a cross-region peering")
}

fn cfn_r27(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for i in c.of("AWS::RDS::DBInstance") {
        f.insert(format!(
            "instance {}@{} cluster={} class={} az={} public={}",
            c.name(i),
            i.region,
            c.ident(i.file, i.p("DBClusterIdentifier")),
            s(i.p("DBInstanceClass")),
            az_index(i.p("AvailabilityZone")),
            s(i.p("PubliclyAccessible"))
        ));
    }
    f
}

fn tf_r27(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for i in t.of("aws_rds_cluster_instance") {
        f.insert(format!(
            "instance {}@{} cluster={} class={} az={} public={}",
            t.name(i),
            i.region,
            t.ident(i.p("cluster_identifier")),
            s(i.p("instance_class")),
            az_index(i.p("availability_zone")),
            s(i.p("publicly_accessible"))
        ));
    }
    f
}

fn holds_r27(f: &Facts) -> Result<(), String> {
    let mut zones: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for x in f {
        let cluster = x
            .split("cluster=")
            .nth(1)
            .and_then(|c| c.split(' ').next())
            .unwrap_or("");
        let az = x
            .split("az=")
            .nth(1)
            .and_then(|c| c.split(' ').next())
            .unwrap_or("");
        zones.entry(cluster).or_default().insert(az);
    }
    expect(zones.len() == 2, "a cluster in each region")?;
    expect(
        zones.values().all(|z| z.len() >= 2),
        "instances in two zones per cluster",
    )
}

// R28–R30 ----------------------------------------------------------------------

fn holds_r28(f: &Facts) -> Result<(), String> {
    expect(
        any(f, "delete=2557") && any(f, "lock=35/2557/3"),
        "seven-year retention under a compliance lock",
    )
}

fn cfn_r28(c: &Cfn) -> Facts {
    let mut f = cfn_r12(c);
    f.extend(cfn_r14(c));
    f
}

fn tf_r28(t: &Tf) -> Facts {
    let mut f = tf_r12(t);
    f.extend(tf_r14(t));
    f
}

fn cfn_r29(c: &Cfn) -> Facts {
    let mut f = Facts::new();
    for m in c.of("AWS::RDS::DBCluster") {
        let sc = m.p("ServerlessV2ScalingConfiguration");
        f.insert(format!(
            "aurora {} acu={}-{}",
            c.name(m),
            s(&sc["MinCapacity"]),
            s(&sc["MaxCapacity"])
        ));
    }
    for i in c.of("AWS::RDS::DBInstance") {
        f.insert(format!(
            "instance {} class={}",
            c.name(i),
            s(i.p("DBInstanceClass"))
        ));
    }
    for t in c.of("AWS::DynamoDB::GlobalTable") {
        f.insert(format!(
            "table {} billing={}",
            c.name(t),
            s(t.p("BillingMode"))
        ));
    }
    f
}

fn tf_r29(t: &Tf) -> Facts {
    let mut f = Facts::new();
    for m in t.of("aws_rds_cluster") {
        let sc = m.b("serverlessv2_scaling_configuration");
        f.insert(format!(
            "aurora {} acu={}-{}",
            t.name(m),
            s(&sc["min_capacity"]),
            s(&sc["max_capacity"])
        ));
    }
    for i in t.of("aws_rds_cluster_instance") {
        f.insert(format!(
            "instance {} class={}",
            t.name(i),
            s(i.p("instance_class"))
        ));
    }
    for tb in t.of("aws_dynamodb_table") {
        f.insert(format!(
            "table {} billing={}",
            t.name(tb),
            s(tb.p("billing_mode"))
        ));
    }
    f
}

fn holds_r29(f: &Facts) -> Result<(), String> {
    expect(
        f.iter()
            .filter(|x| x.starts_with("instance "))
            .all(|x| x.ends_with("class=db.serverless")),
        "Aurora Serverless v2 instances",
    )?;
    expect(any(f, "billing=PAY_PER_REQUEST"), "on-demand DynamoDB")
}

/// What the generated README of an output directory documents (R30): an
/// architecture overview and how to deploy and tear the site down.
fn readme_facts(dir: &Path) -> Facts {
    let text = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    let mut f = Facts::new();
    f.insert(format!(
        "readme overview={} deploy={} teardown={} source={}",
        has(&["## Overview", "## Architecture"]),
        has(&["## Deploying"]),
        has(&["To tear down", "## Destroying"]),
        has(&["transactions.drs"]),
    ));
    f
}

fn cfn_r30(c: &Cfn) -> Facts {
    let mut f = readme_facts(&c.dir);
    f.extend(c.stacks.iter().map(|(_, _, t)| {
        let d = s(&t["Description"]);
        format!(
            "documented source={}",
            if d.contains("transactions.drs") {
                "transactions.drs"
            } else {
                "?"
            }
        )
    }));
    f
}

fn tf_r30(t: &Tf) -> Facts {
    let mut f = readme_facts(&t.dir);
    f.extend(t.docs.values().map(|d| {
        let c = s(&d["//"]);
        format!(
            "documented source={}",
            if c.contains("transactions.drs") {
                "transactions.drs"
            } else {
                "?"
            }
        )
    }));
    f
}

fn holds_r30(f: &Facts) -> Result<(), String> {
    expect(
        f.contains("readme overview=true deploy=true teardown=true source=true"),
        "a README with an architecture overview, deploy and teardown instructions",
    )?;
    expect(
        f.len() == 2 && f.contains("documented source=transactions.drs"),
        "every emitted file names its source",
    )
}

#[rustfmt::skip]
const REQUIREMENTS: &[Requirement] = &[
    Requirement { id: "R1", what: "region pair", cfn: cfn_r1, tf: tf_r1, holds: holds_r1 },
    Requirement { id: "R2", what: "every store has a recovery mechanism for the RPO", cfn: cfn_r2, tf: tf_r2, holds: holds_r2 },
    Requirement { id: "R3", what: "physical names", cfn: cfn_r3, tf: tf_r3, holds: holds_r3 },
    Requirement { id: "R4", what: "tags", cfn: cfn_r4, tf: tf_r4, holds: holds_r4 },
    Requirement { id: "R5", what: "Aurora PostgreSQL 14 global database", cfn: cfn_r5, tf: tf_r5, holds: holds_r5 },
    Requirement { id: "R6", what: "automated database failover", cfn: cfn_r6, tf: tf_r6, holds: holds_r6 },
    Requirement { id: "R7", what: "DynamoDB global table with PITR", cfn: cfn_r7, tf: tf_r7, holds: holds_r7 },
    Requirement { id: "R8", what: "database encryption with regional CMKs", cfn: cfn_r8, tf: tf_r8, holds: holds_r8 },
    Requirement { id: "R9", what: "S3 buckets and cross-region replication", cfn: cfn_r9, tf: tf_r9, holds: holds_r9 },
    Requirement { id: "R10", what: "identical functions in both regions", cfn: cfn_r10, tf: tf_r10, holds: holds_r10 },
    Requirement { id: "R11", what: "least-privilege roles", cfn: cfn_r11, tf: tf_r11, holds: holds_r11 },
    Requirement { id: "R12", what: "backup plan with cross-region copy", cfn: cfn_r12, tf: tf_r12, holds: holds_r12 },
    Requirement { id: "R13", what: "backup selections", cfn: cfn_r13, tf: tf_r13, holds: holds_r13 },
    Requirement { id: "R14", what: "encrypted vaults with lock", cfn: cfn_r14, tf: tf_r14, holds: holds_r14 },
    Requirement { id: "R15", what: "health checks", cfn: cfn_r15, tf: tf_r15, holds: holds_r15 },
    Requirement { id: "R16", what: "weighted records tied to health checks", cfn: cfn_records, tf: tf_records, holds: holds_r16 },
    Requirement { id: "R17", what: "automatic DNS failover", cfn: cfn_r17, tf: tf_r17, holds: holds_r17 },
    Requirement { id: "R18", what: "backup job rules to alerts", cfn: cfn_r18, tf: tf_r18, holds: holds_r18 },
    Requirement { id: "R19", what: "cross-region dashboard", cfn: cfn_r19, tf: tf_r19, holds: holds_r19 },
    Requirement { id: "R20", what: "alarms on lag and backup failures", cfn: cfn_r20, tf: tf_r20, holds: holds_r20 },
    Requirement { id: "R21", what: "CMKs with rotation in both regions", cfn: cfn_r21, tf: tf_r21, holds: holds_r21 },
    Requirement { id: "R22", what: "exact key policies", cfn: cfn_r22, tf: tf_r22, holds: holds_r22 },
    Requirement { id: "R23", what: "encryption at rest and in transit", cfn: cfn_r23, tf: tf_r23, holds: holds_r23 },
    Requirement { id: "R24", what: "deletion protection", cfn: cfn_r24, tf: tf_r24, holds: holds_r24 },
    Requirement { id: "R25", what: "retain critical data", cfn: cfn_r25, tf: tf_r25, holds: holds_r25 },
    Requirement { id: "R26", what: "VPCs, subnets, peering and routes", cfn: cfn_r26, tf: tf_r26, holds: holds_r26 },
    Requirement { id: "R27", what: "multi-AZ database instances", cfn: cfn_r27, tf: tf_r27, holds: holds_r27 },
    Requirement { id: "R28", what: "financial retention", cfn: cfn_r28, tf: tf_r28, holds: holds_r28 },
    Requirement { id: "R29", what: "serverless where it fits", cfn: cfn_r29, tf: tf_r29, holds: holds_r29 },
    Requirement { id: "R30", what: "documentation: a README (architecture, deploy, teardown) and every file names its source", cfn: cfn_r30, tf: tf_r30, holds: holds_r30 },
];

#[test]
fn both_backends_satisfy_every_requirement_alike() {
    let dir = tempfile::tempdir().unwrap();
    let (cfn_dir, tf_dir) = (dir.path().join("cfn"), dir.path().join("tf"));
    build("cfn", &cfn_dir);
    build("tf", &tf_dir);
    let cfn = Cfn::load(&cfn_dir);
    let tf = Tf::load(&tf_dir);

    let mut failures = Vec::new();
    for r in REQUIREMENTS {
        let (c, t) = ((r.cfn)(&cfn), (r.tf)(&tf));
        if let Err(why) = (r.holds)(&c) {
            failures.push(format!(
                "{} ({}): not satisfied by CloudFormation: {why}",
                r.id, r.what
            ));
        }
        if let Err(why) = (r.holds)(&t) {
            failures.push(format!(
                "{} ({}): not satisfied by Terraform: {why}",
                r.id, r.what
            ));
        }
        if c != t {
            let only_c: Vec<&String> = c.difference(&t).collect();
            let only_t: Vec<&String> = t.difference(&c).collect();
            failures.push(format!(
                "{} ({}): the backends differ\n  only CloudFormation: {only_c:#?}\n  only Terraform: {only_t:#?}",
                r.id, r.what
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(REQUIREMENTS.len(), 30);
}

/// The smaller spec site: whatever each backend emits, the facts agree (the
/// requirements themselves are judged on the reference site only: a staging
/// site retains nothing and has no database or DNS).
#[test]
fn both_backends_emit_the_same_facts_for_the_minimal_site() {
    let dir = tempfile::tempdir().unwrap();
    let (cfn_dir, tf_dir) = (dir.path().join("cfn"), dir.path().join("tf"));
    build_site("specs/minimal.drs", "cfn", &cfn_dir);
    build_site("specs/minimal.drs", "tf", &tf_dir);
    let cfn = Cfn::load(&cfn_dir);
    let tf = Tf::load(&tf_dir);
    let mut failures = Vec::new();
    for r in REQUIREMENTS {
        let (c, t) = ((r.cfn)(&cfn), (r.tf)(&tf));
        if c != t {
            failures.push(format!(
                "{}: only CloudFormation {:#?}, only Terraform {:#?}",
                r.id,
                c.difference(&t).collect::<Vec<_>>(),
                t.difference(&c).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
