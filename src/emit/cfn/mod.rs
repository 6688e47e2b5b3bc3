//! The CloudFormation backend: one JSON template per stack, `deploy.json`
//! (the ordered deployment with every command), `README.md` and the function
//! packages under `assets/`.
//!
//! Stacks (aws-dr-reference §0), in deploy order: a bootstrap stack per
//! region (the artifact bucket for function code and large templates), then
//! `foundation` (secondary region), `primary`, `secondary` (secondary region);
//! see [`stacks`]. Values that cross regions travel as stack parameters fed
//! from an earlier stack's outputs (listed in `deploy.json`), unless they are
//! deterministic (names and ARNs built from `AWS::AccountId`/`AWS::Partition`).
//!
//! Logical IDs come from node ids (`bucket/documents/primary` →
//! `BucketDocumentsPrimary`); JSON objects are sorted; nothing depends on the
//! clock, so the same site always gives the same bytes.

mod deploy;
mod readme;
mod regionswitch;
mod resources;
pub mod stacks;

use super::{codes, Output};
use crate::diagnostic::Diagnostic;
use crate::graph::{Attr, Graph, NodeId, NodeKind, Ref, Value};
use crate::ident::camel;
use serde_json::{json, Value as Json};
use stacks::Stack;
use std::collections::BTreeMap;

/// CloudFormation's quota of resources per template.
pub const MAX_RESOURCES: usize = 500;
/// CloudFormation's limit for a template uploaded through S3, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;
/// The largest template `aws cloudformation deploy` accepts inline; larger
/// ones go through the artifact bucket (`--s3-bucket`).
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;
/// CloudFormation's quota of parameters (and of outputs) per template.
pub const MAX_PARAMETERS: usize = 200;

/// What the emitter needs besides the graph.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The source file as users know it (e.g. `transactions.drs`), named in
    /// each template's description and in the README.
    pub source: String,
}

/// Where a stack parameter's value comes from at deploy time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ParamSource {
    /// An output of an earlier stack.
    Output { stack: Stack, output: String },
    /// A CLI query (e.g. a hosted zone id by name).
    Lookup { command: String },
    /// The parameter's default value.
    Default(String),
    /// An output of a stack deployed later: empty in the first deploy of
    /// this stack, passed in its second deploy (deploy.json).
    Deferred { stack: Stack, output: String },
}

/// One template being built.
#[derive(Debug, Default)]
pub(crate) struct Template {
    pub resources: BTreeMap<String, Json>,
    pub parameters: BTreeMap<String, Json>,
    pub outputs: BTreeMap<String, Json>,
    pub conditions: BTreeMap<String, Json>,
    pub sources: BTreeMap<String, ParamSource>,
    /// Macros the template needs (`Transform`), e.g. the Secrets Manager
    /// transform for hosted rotation functions.
    pub transforms: std::collections::BTreeSet<String>,
}

/// The emitter's state.
pub(crate) struct Cx<'g> {
    pub graph: &'g Graph,
    pub options: &'g Options,
    pub stack_of: BTreeMap<NodeId, Stack>,
    pub templates: BTreeMap<Stack, Template>,
    /// The S3 key of each function's package.
    pub code: BTreeMap<NodeId, String>,
    /// Packages needed per region: (stack of the bootstrap bucket, asset path).
    pub uploads: Vec<(Stack, String)>,
    pub errors: Vec<Diagnostic>,
}

/// `bucket/documents-dlq/primary` → `BucketDocumentsDlqPrimary`.
pub fn logical_id(id: &NodeId) -> String {
    camel(id.as_str())
}

pub(crate) fn attr_suffix(attr: Attr) -> String {
    match attr {
        Attr::Arn => "Arn".into(),
        Attr::Id => "Id".into(),
        Attr::Name => "Name".into(),
        Attr::Endpoint => "Endpoint".into(),
        Attr::ReaderEndpoint => "ReaderEndpoint".into(),
        Attr::Url => "Url".into(),
        Attr::ResourceId => "ResourceId".into(),
        Attr::Subnet(i) => format!("Subnet{i}"),
        Attr::RouteTable(i) => format!("RouteTable{i}"),
        Attr::Cidr => "Cidr".into(),
        Attr::ReplicaArn => "ReplicaArn".into(),
        Attr::TargetDomainName => "RegionalDomainName".into(),
        Attr::TargetZoneId => "RegionalHostedZoneId".into(),
        Attr::PlanHealthCheck(i) => format!("HealthCheck{i}"),
    }
}

pub(crate) fn r#ref(logical: &str) -> Json {
    json!({ "Ref": logical })
}

pub(crate) fn get_att(logical: &str, attr: &str) -> Json {
    json!({ "Fn::GetAtt": [logical, attr] })
}

impl<'g> Cx<'g> {
    /// The stack of a node.
    pub fn stack(&self, id: &NodeId) -> Stack {
        self.stack_of.get(id).copied().unwrap_or(Stack::Primary)
    }

    /// The template of `stack`.
    pub fn t(&mut self, stack: Stack) -> &mut Template {
        self.templates.entry(stack).or_default()
    }

    /// `value` as JSON inside `stack`'s template.
    pub fn value(&mut self, v: &Value, stack: Stack) -> Json {
        match v {
            Value::Lit(s) => Json::String(s.clone()),
            Value::AccountId => r#ref("AWS::AccountId"),
            Value::Partition => r#ref("AWS::Partition"),
            Value::Ref(r) => self.reference(r, stack),
            Value::Lookup(l) => self.lookup(l, stack),
            Value::Join(parts) => {
                let parts: Vec<Json> = parts.iter().map(|p| self.value(p, stack)).collect();
                sub(&parts).unwrap_or_else(|| json!({ "Fn::Join": ["", parts] }))
            }
        }
    }

    /// Values as a JSON array.
    pub fn values(&mut self, vs: &[Value], stack: Stack) -> Json {
        Json::Array(vs.iter().map(|v| self.value(v, stack)).collect())
    }

    fn lookup(&mut self, l: &crate::graph::Lookup, stack: Stack) -> Json {
        let crate::graph::Lookup::HostedZoneId { domain } = l;
        let name = format!("HostedZoneId{}", camel(domain));
        let region = self.graph.site.region(stack.role()).to_string();
        let command = format!(
            "aws route53 list-hosted-zones-by-name --region {region} --dns-name {domain}. \
             --query \"HostedZones[?Name=='{domain}.'].Id | [0]\" --output text | sed 's|/hostedzone/||'"
        );
        let t = self.t(stack);
        t.parameters.insert(
            name.clone(),
            json!({
                "Type": "String",
                "Description": format!("Id of the existing public hosted zone {domain} (looked up by deploy.json)"),
                "AllowedPattern": "^Z[A-Z0-9]{1,31}$",
            }),
        );
        t.sources
            .insert(name.clone(), ParamSource::Lookup { command });
        r#ref(&name)
    }

    /// The global writer endpoint of a global database, as a parameter that
    /// `deploy.json` looks up (`DescribeGlobalClusters` returns it as
    /// `Endpoint`). CloudFormation cannot return it: `AWS::RDS::GlobalCluster`
    /// lists only the whole `GlobalEndpoint` object as read-only, so
    /// `GlobalEndpoint.Address` is not a valid `Fn::GetAtt` (cfn-lint E6101).
    fn global_writer_endpoint(&mut self, id: &NodeId, stack: Stack) -> Json {
        let Some(node) = self.graph.get(id) else {
            return Json::Null;
        };
        let name = format!("{}Endpoint", logical_id(id));
        // Asked in the consuming stack's own region: a global cluster is
        // described in every region of its members.
        let region = self.graph.site.region(stack.role()).to_string();
        let command = format!(
            "aws rds describe-global-clusters --region {region} --global-cluster-identifier {} --query \"GlobalClusters[0].Endpoint\" --output text",
            node.name
        );
        let t = self.t(stack);
        t.parameters.insert(
            name.clone(),
            json!({
                "Type": "String",
                "Description": format!("Writer endpoint of the global database {} (looked up by deploy.json)", node.name),
            }),
        );
        t.sources
            .insert(name.clone(), ParamSource::Lookup { command });
        r#ref(&name)
    }

    /// A reference from `stack`: an intrinsic in the same stack, a
    /// deterministic value, or a parameter fed by the producer's output.
    pub fn reference(&mut self, r: &Ref, stack: Stack) -> Json {
        if let (Some(NodeKind::GlobalDatabase(_)), Attr::Endpoint) =
            (self.graph.get(&r.node).map(|n| &n.kind), r.attr)
        {
            return self.global_writer_endpoint(&r.node, stack);
        }
        let producer = self.stack(&r.node);
        let in_stack = producer == stack;
        let prefer_known = matches!(
            self.graph.get(&r.node).map(|n| &n.kind),
            Some(NodeKind::LogGroup(_))
        ) && r.attr == Attr::Arn;
        if in_stack && !prefer_known {
            if let Some(j) = self.intrinsic(r) {
                return j;
            }
        }
        if let Some(k) = self.graph.known_arn(r) {
            return self.value(&k, stack);
        }
        if producer >= stack {
            self.errors.push(Diagnostic::new(
                &crate::registry::INTERNAL,
                format!(
                    "internal: `{}` in stack `{}` needs `{}` of `{}` from a stack deployed later",
                    stack.label(self.graph),
                    stack.label(self.graph),
                    r.attr,
                    r.node
                ),
            ));
            return Json::Null;
        }
        let name = format!("{}{}", logical_id(&r.node), attr_suffix(r.attr));
        let Some(value) = self.intrinsic(r) else {
            self.errors.push(crate::registry::internal(format!(
                "stack `{}` needs `{}` of `{}`, which CloudFormation cannot export",
                stack.label(self.graph),
                r.attr,
                r.node
            )));
            return Json::Null;
        };
        let desc = format!("{} of {}", attr_suffix(r.attr), r.node);
        self.t(producer)
            .outputs
            .insert(name.clone(), json!({ "Description": desc, "Value": value }));
        let t = self.t(stack);
        t.parameters.insert(
            name.clone(),
            json!({
                "Type": "String",
                "Description": format!("{desc} (output `{name}` of the {} stack)", producer_label(producer)),
            }),
        );
        t.sources.insert(
            name.clone(),
            ParamSource::Output {
                stack: producer,
                output: name.clone(),
            },
        );
        r#ref(&name)
    }

    /// The intrinsic for an attribute inside the producer's own template.
    pub fn intrinsic(&self, r: &Ref) -> Option<Json> {
        let node = self.graph.get(&r.node)?;
        let l = logical_id(&node.id);
        let j = match (&node.kind, r.attr) {
            (NodeKind::Key(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::Key(_), Attr::Id) => r#ref(&l),
            (NodeKind::Vpc(_), Attr::Id) => r#ref(&l),
            (NodeKind::Vpc(_), Attr::Subnet(i)) => r#ref(&format!("{l}Subnet{i}")),
            (NodeKind::Vpc(_), Attr::RouteTable(i)) => r#ref(&format!("{l}RouteTable{i}")),
            (NodeKind::Vpc(_), Attr::Cidr) => get_att(&l, "CidrBlock"),
            (NodeKind::Peering(_), Attr::Id) => r#ref(&l),
            (NodeKind::SecurityGroup(_), Attr::Id) => get_att(&l, "GroupId"),
            (NodeKind::Endpoint(_), Attr::Id) => r#ref(&l),
            (NodeKind::GlobalDatabase(_), Attr::Id | Attr::Name) => r#ref(&l),
            (NodeKind::DbCluster(_), Attr::Id | Attr::Name) => r#ref(&l),
            (NodeKind::DbCluster(_), Attr::Arn) => get_att(&l, "DBClusterArn"),
            (NodeKind::DbCluster(_), Attr::Endpoint) => get_att(&l, "Endpoint.Address"),
            (NodeKind::DbCluster(_), Attr::ReaderEndpoint) => get_att(&l, "ReadEndpoint.Address"),
            (NodeKind::DbCluster(_), Attr::ResourceId) => get_att(&l, "DBClusterResourceId"),
            (NodeKind::Secret(_), Attr::Arn | Attr::Id) => r#ref(&l),
            (NodeKind::GlobalTable(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::GlobalTable(_), Attr::Name) => r#ref(&l),
            (NodeKind::Bucket(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::Bucket(_), Attr::Name | Attr::Id) => r#ref(&l),
            (NodeKind::Role(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::Role(_), Attr::Name) => r#ref(&l),
            (NodeKind::LogGroup(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::LogGroup(_), Attr::Name) => r#ref(&l),
            (NodeKind::Queue(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::Queue(_), Attr::Url) => r#ref(&l),
            (NodeKind::Queue(_), Attr::Name) => get_att(&l, "QueueName"),
            (NodeKind::Function(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::Function(_), Attr::Name) => r#ref(&l),
            (NodeKind::Vault(_), Attr::Arn) => get_att(&l, "BackupVaultArn"),
            (NodeKind::Vault(_), Attr::Name) => r#ref(&l),
            (NodeKind::BackupPlan(_), Attr::Id) => get_att(&l, "BackupPlanId"),
            (NodeKind::RestoreTestingPlan(_), Attr::Arn) => get_att(&l, "RestoreTestingPlanArn"),
            (NodeKind::RestoreTestingPlan(_), Attr::Name) => r#ref(&l),
            (NodeKind::BackupFramework(_), Attr::Arn) => get_att(&l, "FrameworkArn"),
            (NodeKind::AirGappedVault(_), Attr::Arn) => get_att(&l, "BackupVaultArn"),
            (NodeKind::AirGappedVault(_), Attr::Name) => r#ref(&l),
            (NodeKind::Topic(_), Attr::Arn) => r#ref(&l),
            (NodeKind::Topic(_), Attr::Name) => get_att(&l, "TopicName"),
            (NodeKind::EventRule(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::EventRule(_), Attr::Name) => r#ref(&l),
            (NodeKind::Alarm(_) | NodeKind::CompositeAlarm(_), Attr::Arn) => get_att(&l, "Arn"),
            (NodeKind::Alarm(_) | NodeKind::CompositeAlarm(_), Attr::Name) => r#ref(&l),
            (NodeKind::HealthCheck(_), Attr::Id) => get_att(&l, "HealthCheckId"),
            (NodeKind::HostedZone(_), Attr::Id) => r#ref(&l),
            (NodeKind::HttpApi(_), Attr::Id) => r#ref(&l),
            (NodeKind::Certificate(_), Attr::Arn) => r#ref(&l),
            (NodeKind::ApiDomain(_), Attr::Id | Attr::Name) => r#ref(&l),
            (NodeKind::ApiDomain(_), Attr::TargetDomainName) => get_att(&l, "RegionalDomainName"),
            (NodeKind::ApiDomain(_), Attr::TargetZoneId) => get_att(&l, "RegionalHostedZoneId"),
            (NodeKind::RegionSwitchPlan(_), Attr::Arn) => get_att(&l, "Arn"),
            // `PlanHealthChecks` is the one list attribute CloudFormation can
            // return for the plan's checks (nested paths of `Route53HealthChecks`
            // are not GetAtt-addressable); its entries are
            // `<hostedZoneId>:<recordName>:<region>:<healthCheckId>`. That
            // format and the entries' order (the plan's `Regions`, primary
            // first, as the Terraform provider's acceptance test of the same
            // API shows: terraform-provider-aws internal/service/arcregionswitch/
            // route53_health_checks_data_source_test.go) are observed, not
            // documented, and a condition cannot select by region (conditions
            // cannot read resource attributes); so `deploy.json` ends with a
            // step that checks each record carries its region's check.
            (NodeKind::RegionSwitchPlan(_), Attr::PlanHealthCheck(i)) => json!({
                "Fn::Select": [3, {"Fn::Split": [":", {
                    "Fn::Select": [i, get_att(&l, "PlanHealthChecks")]
                }]}]
            }),
            (NodeKind::DrillTemplate(_), Attr::Id) => r#ref(&l),
            _ => return None,
        };
        Some(j)
    }
}

/// The parts of a concatenation as one `Fn::Sub` string, when every part
/// is a string, a `Ref` or a `Fn::GetAtt` (literal `${` escaped as `${!`).
pub(crate) fn sub(parts: &[Json]) -> Option<Json> {
    let mut out = String::new();
    for p in parts {
        match p {
            Json::String(s) => out.push_str(&s.replace("${", "${!")),
            Json::Object(o) if o.len() == 1 => {
                if let Some(Json::String(r)) = o.get("Ref") {
                    out.push_str(&format!("${{{r}}}"));
                } else if let Some(Json::Array(a)) = o.get("Fn::GetAtt") {
                    let (Some(Json::String(l)), Some(Json::String(attr))) = (a.first(), a.get(1))
                    else {
                        return None;
                    };
                    out.push_str(&format!("${{{l}.{attr}}}"));
                } else {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(json!({ "Fn::Sub": out }))
}

fn producer_label(s: Stack) -> &'static str {
    match s {
        Stack::BootstrapPrimary | Stack::BootstrapSecondary => "bootstrap",
        Stack::Foundation => "foundation",
        Stack::Primary => "primary",
        Stack::Secondary => "secondary",
    }
}

/// Emits the CloudFormation output for a lowered site.
pub fn emit(graph: &Graph, options: &Options) -> Result<Output, Vec<Diagnostic>> {
    let stack_of = stacks::assign(graph);
    let mut errors: Vec<Diagnostic> = stacks::violations(graph, &stack_of)
        .into_iter()
        .map(|(a, b)| {
            Diagnostic::new(
                &crate::registry::INTERNAL,
                format!("internal: `{a}` depends on `{b}`, which a later stack creates"),
            )
        })
        .collect();
    let assets = super::assets(graph)?;
    let mut cx = Cx {
        graph,
        options,
        stack_of,
        templates: BTreeMap::new(),
        code: BTreeMap::new(),
        uploads: Vec::new(),
        errors: Vec::new(),
    };
    let mut out = Output::default();
    for a in &assets {
        let key = format!("assets/{}", a.file);
        out.add(key.clone(), a.bytes.clone());
        let mut regions = Vec::new();
        for f in &a.functions {
            cx.code.insert(f.clone(), key.clone());
            if let Some(n) = graph.get(f) {
                regions.push(Stack::bootstrap(n.role));
            }
        }
        regions.sort();
        regions.dedup();
        for r in regions {
            cx.uploads.push((r, key.clone()));
        }
    }
    for stack in Stack::ALL {
        cx.t(stack);
    }
    resources::bootstrap(&mut cx);
    for node in &graph.nodes {
        resources::node(&mut cx, node);
    }
    errors.append(&mut cx.errors);

    // A stack with nothing in it is not emitted (CloudFormation needs at least one resource).
    let files: BTreeMap<Stack, String> = Stack::ALL
        .into_iter()
        .filter(|s| !cx.templates[s].resources.is_empty())
        .map(|s| (s, render(&cx, s)))
        .collect();
    for (stack, text) in &files {
        errors.extend(limit_errors(
            &stack.label(graph),
            &stack.file(graph),
            &cx.templates[stack],
            text,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let manifest = deploy::manifest(&cx, &files);
    let readme = readme::render(&cx, &files);
    for (stack, text) in files {
        out.add(stack.file(graph), text);
    }
    out.add("deploy.json", manifest);
    out.add("README.md", readme);
    Ok(out)
}

/// The CloudFormation quotas one rendered template (`text`, of stack `stack`
/// written to `file`) must fit: resources (DRS0900), bytes (DRS0901),
/// parameters and outputs (DRS0906).
fn limit_errors(stack: &str, file: &str, t: &Template, text: &str) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if t.resources.len() > MAX_RESOURCES {
        errors.push(
            Diagnostic::new(
                &codes::TOO_MANY_RESOURCES,
                format!(
                    "stack `{stack}` would declare {} resources; CloudFormation allows {MAX_RESOURCES}",
                    t.resources.len()
                ),
            )
            .help("split the site into smaller sites, for example one per application"),
        );
    }
    if text.len() > MAX_TEMPLATE_BYTES {
        errors.push(
            Diagnostic::new(
                &codes::TEMPLATE_TOO_LARGE,
                format!(
                    "template `{file}` of stack `{stack}` would be {} bytes; CloudFormation allows {}",
                    grouped(text.len()),
                    grouped(MAX_TEMPLATE_BYTES)
                ),
            )
            .help("split the site, or move large inline handlers to a `source` directory"),
        );
    }
    if t.parameters.len() > MAX_PARAMETERS || t.outputs.len() > MAX_PARAMETERS {
        errors.push(
            Diagnostic::new(
                &codes::TOO_MANY_PARAMETERS,
                format!(
                    "stack `{stack}` would have {} parameters and {} outputs; CloudFormation allows {MAX_PARAMETERS} each",
                    t.parameters.len(),
                    t.outputs.len()
                ),
            )
            .help("split the site into smaller sites"),
        );
    }
    errors
}

/// `1204117` → `1,204,117`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One template as pretty JSON with a trailing newline.
/// A top-level section of a template, borrowed where it is big: serialising
/// the resources in place instead of copying them into a `Json` first.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Section<'a> {
    Json(Json),
    Map(&'a BTreeMap<String, Json>),
}

fn render(cx: &Cx, stack: Stack) -> String {
    let g = cx.graph;
    let t = &cx.templates[&stack];
    // Sorted keys, as a `Json` object would print them.
    let mut m: BTreeMap<&str, Section> = BTreeMap::new();
    m.insert(
        "AWSTemplateFormatVersion",
        Section::Json(json!("2010-09-09")),
    );
    let source = if cx.options.source.is_empty() {
        String::new()
    } else {
        format!(" from {}", cx.options.source)
    };
    m.insert(
        "Description",
        Section::Json(json!(format!(
            "drsc{source}: site {} ({} {}), stack {} in {}. Generated; do not edit.",
            g.site.name,
            g.site.environment,
            g.site.suffix,
            stack.label(g),
            g.site.region(stack.role())
        ))),
    );
    if !t.transforms.is_empty() {
        let list: Vec<&String> = t.transforms.iter().collect();
        m.insert(
            "Transform",
            Section::Json(if list.len() == 1 {
                json!(list[0])
            } else {
                json!(list)
            }),
        );
    }
    if !t.parameters.is_empty() {
        m.insert("Parameters", Section::Map(&t.parameters));
    }
    if !t.conditions.is_empty() {
        m.insert("Conditions", Section::Map(&t.conditions));
    }
    m.insert("Resources", Section::Map(&t.resources));
    if !t.outputs.is_empty() {
        m.insert("Outputs", Section::Map(&t.outputs));
    }
    // Room for the whole template up front (the reference site's take about
    // 1,500 bytes a resource): growing the buffer by doubling copied each
    // template several times.
    let mut bytes = Vec::with_capacity(4096 + 1536 * t.resources.len());
    // Writing a `Json` tree to memory cannot fail.
    let _ = serde_json::to_writer_pretty(&mut bytes, &m);
    bytes.push(b'\n');
    // serde_json writes UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` placeholder entries.
    fn entries(n: usize) -> BTreeMap<String, Json> {
        (0..n).map(|i| (format!("P{i}"), json!({}))).collect()
    }

    fn limits(t: &Template, text: &str) -> Vec<Diagnostic> {
        limit_errors("primary", "primary.json", t, text)
    }

    #[test]
    fn templates_within_every_quota_pass() {
        let t = Template {
            resources: entries(MAX_RESOURCES),
            parameters: entries(MAX_PARAMETERS),
            outputs: entries(MAX_PARAMETERS),
            ..Template::default()
        };
        assert_eq!(limits(&t, &"x".repeat(MAX_TEMPLATE_BYTES)), vec![]);
    }

    #[test]
    fn drs0900_too_many_resources() {
        let t = Template {
            resources: entries(MAX_RESOURCES + 1),
            ..Template::default()
        };
        let d = limits(&t, "{}");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, &codes::TOO_MANY_RESOURCES);
        assert_eq!(
            d[0].message,
            "stack `primary` would declare 501 resources; CloudFormation allows 500"
        );
        assert!(d[0].help.is_some());
    }

    #[test]
    fn drs0901_template_too_large() {
        let text = "x".repeat(MAX_TEMPLATE_BYTES + 204_117);
        let d = limits(&Template::default(), &text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, &codes::TEMPLATE_TOO_LARGE);
        assert_eq!(d[0].code.code, "DRS0901");
        assert_eq!(
            d[0].message,
            "template `primary.json` of stack `primary` would be 1,204,117 bytes; CloudFormation allows 1,000,000"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("split the site, or move large inline handlers to a `source` directory")
        );
    }

    #[test]
    fn drs0906_too_many_parameters_or_outputs() {
        for (parameters, outputs) in [(MAX_PARAMETERS + 1, 3), (3, MAX_PARAMETERS + 1)] {
            let t = Template {
                parameters: entries(parameters),
                outputs: entries(outputs),
                ..Template::default()
            };
            let d = limits(&t, "{}");
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0].code, &codes::TOO_MANY_PARAMETERS);
            assert_eq!(d[0].code.code, "DRS0906");
            assert_eq!(
                d[0].message,
                format!(
                    "stack `primary` would have {parameters} parameters and {outputs} outputs; CloudFormation allows 200 each"
                )
            );
            assert_eq!(
                d[0].help.as_deref(),
                Some("split the site into smaller sites")
            );
        }
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(51_200), "51,200");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }
}
