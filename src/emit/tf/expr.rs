//! Terraform expressions: resource addresses derived from node ids, graph
//! [`Value`]s as Terraform template strings, and policy documents as JSON
//! strings.
//!
//! In Terraform JSON every string is a template: `${...}` interpolates and
//! `%{...}` is a directive. Literal text therefore has `${` escaped as `$${`
//! and `%{` as `%%{` (IAM policy variables such as `${aws:username}` are
//! literal text to Terraform).

use super::Error;
use crate::graph::Role;
use crate::graph::{
    Attr, Condition, Effect, Graph, Lookup, Node, NodeId, NodeKind, Principal, Ref, Resources,
    Statement, Value,
};
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeSet;

/// A Terraform identifier for a node: its id with every character other than
/// an ASCII letter or digit replaced by `_`, lowercased (`bucket/documents/primary`
/// becomes `bucket_documents_primary`). Stable as long as the node id is.
pub fn ident(id: &NodeId) -> String {
    ident_str(id.as_str())
}

/// [`ident`] for any text; prefixed with `_` if it would start with a digit.
pub fn ident_str(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// The Terraform address (`type.name`) of the resource that stands for node
/// `id` (the one its ARN, else its id, is read from), as [`Exprs::address`]
/// derives it; `None` for a node without one. Used by the evidence report.
pub fn resource_address(graph: &Graph, id: &NodeId) -> Option<String> {
    let exprs = Exprs::new(graph);
    [Attr::Arn, Attr::Id].into_iter().find_map(|attr| {
        let a = exprs.address(&Ref::new(id, attr)).ok()?;
        let mut parts = a.split('.');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(ty), Some(name), Some(_), None) => Some(format!("{ty}.{name}")),
            _ => None,
        }
    })
}

/// Escapes literal text for a Terraform template string.
pub fn escape(lit: &str) -> String {
    lit.replace("${", "$${").replace("%{", "%%{")
}

/// The provider meta-argument of `role`'s region (a plain string, never `${...}`).
pub fn provider(role: Role) -> &'static str {
    match role {
        Role::Primary => "aws.primary",
        Role::Secondary => "aws.secondary",
    }
}

/// Data sources the expressions of a module need; [`super::providers`]
/// declares them.
#[derive(Debug, Default)]
pub struct Needs {
    pub account_id: bool,
    pub partition: bool,
    /// Sides whose availability zones are looked up.
    pub zones: BTreeSet<Role>,
    /// Existing public hosted zones looked up by domain.
    pub hosted_zones: BTreeSet<String>,
}

/// Translates graph values to Terraform expressions for one graph.
pub struct Exprs<'g> {
    pub graph: &'g Graph,
    pub needs: Needs,
}

/// The address of the data source that looks up the hosted zone of `domain`.
pub fn hosted_zone_data(domain: &str) -> String {
    format!(
        "data.aws_route53_zone.{}",
        ident_str(domain.trim_end_matches('.'))
    )
}

impl<'g> Exprs<'g> {
    pub fn new(graph: &'g Graph) -> Exprs<'g> {
        Exprs {
            graph,
            needs: Needs::default(),
        }
    }

    /// The node `id`, or an error naming the node that refers to it.
    pub fn node(&self, id: &NodeId) -> Result<&'g Node, Error> {
        self.graph
            .get(id)
            .ok_or_else(|| Error::UnknownNode(id.clone()))
    }

    /// `${data.aws_availability_zones.<side>.names}` sorted, element `i`.
    pub fn zone(&mut self, role: Role, index: u8) -> String {
        self.needs.zones.insert(role);
        format!(
            "${{sort(data.aws_availability_zones.{}.names)[{index}]}}",
            role.as_str()
        )
    }

    /// The Terraform attribute address (no `${}`) of a reference.
    pub fn address(&self, r: &Ref) -> Result<String, Error> {
        let node = self.node(&r.node)?;
        let n = ident(&node.id);
        let bad = || Error::Reference {
            node: r.node.clone(),
            attr: r.attr.to_string(),
        };
        let (ty, attr): (&str, &str) = match (&node.kind, r.attr) {
            (NodeKind::Key(_), Attr::Arn) => ("aws_kms_key", "arn"),
            (NodeKind::Key(_), Attr::Id) => ("aws_kms_key", "key_id"),
            (NodeKind::Vpc(_), Attr::Id) => ("aws_vpc", "id"),
            (NodeKind::Vpc(_), Attr::Cidr) => ("aws_vpc", "cidr_block"),
            (NodeKind::Vpc(v), Attr::Subnet(i)) => {
                if usize::from(i) >= v.subnets.len() {
                    return Err(bad());
                }
                return Ok(format!("aws_subnet.{n}_{i}.id"));
            }
            (NodeKind::Vpc(v), Attr::RouteTable(i)) => {
                if usize::from(i) >= v.subnets.len() {
                    return Err(bad());
                }
                return Ok(format!("aws_route_table.{n}_{i}.id"));
            }
            (NodeKind::Peering(_), Attr::Id) => ("aws_vpc_peering_connection", "id"),
            (NodeKind::SecurityGroup(_), Attr::Id) => ("aws_security_group", "id"),
            (NodeKind::SecurityGroup(_), Attr::Arn) => ("aws_security_group", "arn"),
            (NodeKind::Endpoint(_), Attr::Id) => ("aws_vpc_endpoint", "id"),
            (NodeKind::GlobalDatabase(_), Attr::Arn) => ("aws_rds_global_cluster", "arn"),
            (NodeKind::GlobalDatabase(_), Attr::Id | Attr::Name) => {
                ("aws_rds_global_cluster", "id")
            }
            (NodeKind::GlobalDatabase(_), Attr::Endpoint) => ("aws_rds_global_cluster", "endpoint"),
            (NodeKind::DbCluster(_), Attr::Arn) => ("aws_rds_cluster", "arn"),
            (NodeKind::DbCluster(_), Attr::Id | Attr::Name) => {
                ("aws_rds_cluster", "cluster_identifier")
            }
            (NodeKind::DbCluster(_), Attr::Endpoint) => ("aws_rds_cluster", "endpoint"),
            (NodeKind::DbCluster(_), Attr::ReaderEndpoint) => {
                ("aws_rds_cluster", "reader_endpoint")
            }
            (NodeKind::DbCluster(_), Attr::ResourceId) => {
                ("aws_rds_cluster", "cluster_resource_id")
            }
            (NodeKind::Secret(_), Attr::Arn | Attr::Id) => ("aws_secretsmanager_secret", "arn"),
            (NodeKind::Secret(_), Attr::Name) => ("aws_secretsmanager_secret", "name"),
            (NodeKind::GlobalTable(_), Attr::Arn) => ("aws_dynamodb_table", "arn"),
            // The secondary replica: the `replica` block of that region (a set).
            (NodeKind::GlobalTable(t), Attr::ReplicaArn) => {
                let region = t
                    .replicas
                    .iter()
                    .find(|r| r.side == crate::graph::Role::Secondary)
                    .map(|r| r.region.clone())
                    .ok_or_else(bad)?;
                return Ok(format!(
                    "[for r in aws_dynamodb_table.{n}.replica : r.arn if r.region_name == \"{region}\"][0]"
                ));
            }
            (NodeKind::GlobalTable(_), Attr::Id | Attr::Name) => ("aws_dynamodb_table", "name"),
            (NodeKind::Bucket(_), Attr::Arn) => ("aws_s3_bucket", "arn"),
            (NodeKind::Bucket(_), Attr::Id | Attr::Name) => ("aws_s3_bucket", "bucket"),
            (NodeKind::Role(_), Attr::Arn) => ("aws_iam_role", "arn"),
            (NodeKind::Role(_), Attr::Id | Attr::Name) => ("aws_iam_role", "name"),
            (NodeKind::LogGroup(_), Attr::Arn) => ("aws_cloudwatch_log_group", "arn"),
            (NodeKind::LogGroup(_), Attr::Id | Attr::Name) => ("aws_cloudwatch_log_group", "name"),
            (NodeKind::Queue(_), Attr::Arn) => ("aws_sqs_queue", "arn"),
            (NodeKind::Queue(_), Attr::Id | Attr::Url) => ("aws_sqs_queue", "url"),
            (NodeKind::Queue(_), Attr::Name) => ("aws_sqs_queue", "name"),
            (NodeKind::Function(_), Attr::Arn) => ("aws_lambda_function", "arn"),
            (NodeKind::Function(_), Attr::Id | Attr::Name) => {
                ("aws_lambda_function", "function_name")
            }
            (NodeKind::Vault(_), Attr::Arn) => ("aws_backup_vault", "arn"),
            (NodeKind::Vault(_), Attr::Id | Attr::Name) => ("aws_backup_vault", "name"),
            (NodeKind::BackupPlan(_), Attr::Arn) => ("aws_backup_plan", "arn"),
            (NodeKind::BackupFramework(_), Attr::Arn) => ("aws_backup_framework", "arn"),
            (NodeKind::ReportPlan(_), Attr::Arn) => ("aws_backup_report_plan", "arn"),
            (NodeKind::AirGappedVault(_), Attr::Arn) => {
                ("aws_backup_logically_air_gapped_vault", "arn")
            }
            (NodeKind::AirGappedVault(_), Attr::Id | Attr::Name) => {
                ("aws_backup_logically_air_gapped_vault", "name")
            }
            (NodeKind::BackupPlan(_), Attr::Id) => ("aws_backup_plan", "id"),
            (NodeKind::BackupPlan(_), Attr::Name) => ("aws_backup_plan", "name"),
            (NodeKind::RestoreTestingPlan(_), Attr::Arn) => {
                ("aws_backup_restore_testing_plan", "arn")
            }
            (NodeKind::RestoreTestingPlan(_), Attr::Id | Attr::Name) => {
                ("aws_backup_restore_testing_plan", "name")
            }
            (NodeKind::Topic(_), Attr::Arn | Attr::Id) => ("aws_sns_topic", "arn"),
            (NodeKind::Topic(_), Attr::Name) => ("aws_sns_topic", "name"),
            (NodeKind::EventRule(_), Attr::Arn) => ("aws_cloudwatch_event_rule", "arn"),
            (NodeKind::EventRule(_), Attr::Id | Attr::Name) => {
                ("aws_cloudwatch_event_rule", "name")
            }
            (NodeKind::Alarm(_), Attr::Arn) => ("aws_cloudwatch_metric_alarm", "arn"),
            (NodeKind::Alarm(_), Attr::Id | Attr::Name) => {
                ("aws_cloudwatch_metric_alarm", "alarm_name")
            }
            (NodeKind::CompositeAlarm(_), Attr::Arn) => ("aws_cloudwatch_composite_alarm", "arn"),
            (NodeKind::CompositeAlarm(_), Attr::Id | Attr::Name) => {
                ("aws_cloudwatch_composite_alarm", "alarm_name")
            }
            (NodeKind::Dashboard(_), Attr::Arn) => ("aws_cloudwatch_dashboard", "dashboard_arn"),
            (NodeKind::Dashboard(_), Attr::Id | Attr::Name) => {
                ("aws_cloudwatch_dashboard", "dashboard_name")
            }
            (NodeKind::HealthCheck(_), Attr::Id) => ("aws_route53_health_check", "id"),
            (NodeKind::HealthCheck(_), Attr::Arn) => ("aws_route53_health_check", "arn"),
            (NodeKind::HostedZone(_), Attr::Id) => ("aws_route53_zone", "zone_id"),
            (NodeKind::HostedZone(_), Attr::Arn) => ("aws_route53_zone", "arn"),
            (NodeKind::HostedZone(_), Attr::Name) => ("aws_route53_zone", "name"),
            (NodeKind::Record(_), Attr::Name) => ("aws_route53_record", "fqdn"),
            (NodeKind::HttpApi(_), Attr::Id) => ("aws_apigatewayv2_api", "id"),
            (NodeKind::HttpApi(_), Attr::Arn) => ("aws_apigatewayv2_api", "arn"),
            // The validated certificate: a domain waits for its validation.
            (NodeKind::Certificate(_), Attr::Arn) => {
                return Ok(format!(
                    "aws_acm_certificate_validation.{n}.certificate_arn"
                ));
            }
            (NodeKind::ApiDomain(_), Attr::Id | Attr::Name) => {
                ("aws_apigatewayv2_domain_name", "domain_name")
            }
            (NodeKind::ApiDomain(_), Attr::TargetDomainName) => {
                return Ok(format!(
                    "aws_apigatewayv2_domain_name.{n}.domain_name_configuration[0].target_domain_name"
                ));
            }
            (NodeKind::ApiDomain(_), Attr::TargetZoneId) => {
                return Ok(format!(
                    "aws_apigatewayv2_domain_name.{n}.domain_name_configuration[0].hosted_zone_id"
                ));
            }
            (NodeKind::AliasRecord(_), Attr::Name) => ("aws_route53_record", "fqdn"),
            (NodeKind::RegionSwitchPlan(_), Attr::Arn) => ("aws_arcregionswitch_plan", "arn"),
            // The check of the plan's `i`th region, selected by region (the
            // data source lists one per region:
            // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/arcregionswitch_route53_health_checks).
            (NodeKind::RegionSwitchPlan(p), Attr::PlanHealthCheck(i)) => {
                let region = p.regions.get(usize::from(i)).ok_or_else(bad)?;
                return Ok(format!(
                    "[for h in data.aws_arcregionswitch_route53_health_checks.{n}.health_checks : h.health_check_id if h.region == \"{region}\"][0]"
                ));
            }
            (NodeKind::DrillTemplate(_), Attr::Id) => ("aws_fis_experiment_template", "id"),
            _ => return Err(bad()),
        };
        Ok(format!("{ty}.{n}.{attr}"))
    }

    /// `value` as a Terraform template string; references become
    /// `${address}` (and so create an implicit dependency).
    pub fn tpl(&mut self, value: &Value) -> Result<String, Error> {
        self.render(value, false)
    }

    /// `value` as a Terraform template string for a policy document: a
    /// reference whose value AWS lets the caller know in advance (see
    /// [`Graph::known_arn`]) is spelled out instead of referenced, so a
    /// policy never creates a dependency cycle (a key policy naming a log
    /// group that is encrypted with the key, a role policy naming the
    /// function that runs as the role).
    pub fn policy_tpl(&mut self, value: &Value) -> Result<String, Error> {
        self.render(value, true)
    }

    fn render(&mut self, value: &Value, prefer_known: bool) -> Result<String, Error> {
        Ok(match value {
            Value::Lit(s) => escape(s),
            Value::Ref(r) => {
                if prefer_known {
                    if let Some(known) = self.graph.known_arn(r) {
                        if known.refs().is_empty() {
                            return self.render(&known, false);
                        }
                    }
                }
                format!("${{{}}}", self.address(r)?)
            }
            Value::AccountId => {
                self.needs.account_id = true;
                "${data.aws_caller_identity.current.account_id}".to_string()
            }
            Value::Partition => {
                self.needs.partition = true;
                "${data.aws_partition.current.partition}".to_string()
            }
            Value::Join(parts) => {
                let mut out = String::new();
                for p in parts {
                    out.push_str(&self.render(p, prefer_known)?);
                }
                out
            }
            Value::Lookup(Lookup::HostedZoneId { domain }) => {
                let domain = domain.trim_end_matches('.').to_string();
                let addr = hosted_zone_data(&domain);
                self.needs.hosted_zones.insert(domain);
                format!("${{{addr}.zone_id}}")
            }
        })
    }

    /// Every value as a template, in order.
    pub fn tpls(&mut self, values: &[Value]) -> Result<Vec<String>, Error> {
        values.iter().map(|v| self.tpl(v)).collect()
    }

    /// `${address}` of a node attribute.
    pub fn r(&mut self, id: &NodeId, attr: Attr) -> Result<String, Error> {
        self.tpl(&Value::r(id, attr))
    }

    /// A policy document (`Version` 2012-10-17) as a JSON string whose values
    /// are templates. `this` replaces [`Resources::All`] in resource policies
    /// (a topic policy's topic); identity and key policies pass `None` and
    /// keep `"*"`.
    pub fn policy(
        &mut self,
        statements: &[Statement],
        this: Option<&str>,
    ) -> Result<String, Error> {
        let mut out = Vec::with_capacity(statements.len());
        for s in statements {
            out.push(self.statement(s, this)?);
        }
        let doc = json!({ "Version": "2012-10-17", "Statement": out });
        Ok(doc.to_string())
    }

    fn statement(&mut self, s: &Statement, this: Option<&str>) -> Result<Json, Error> {
        let mut m = Map::new();
        m.insert("Sid".into(), Json::String(escape(&s.sid)));
        m.insert(
            "Effect".into(),
            Json::String(
                match s.effect {
                    Effect::Allow => "Allow",
                    Effect::Deny => "Deny",
                }
                .into(),
            ),
        );
        if let Some(p) = &s.principal {
            m.insert("Principal".into(), self.principal(p));
        }
        m.insert(
            "Action".into(),
            one_or_many(s.actions.iter().map(|a| escape(a)).collect()),
        );
        let resources = match &s.resources {
            Resources::All => match this {
                Some(t) => Json::String(t.to_string()),
                None => Json::String("*".into()),
            },
            Resources::Some(vs) => {
                let mut rs = Vec::with_capacity(vs.len());
                for v in vs {
                    rs.push(self.policy_tpl(v)?);
                }
                one_or_many(rs)
            }
        };
        m.insert("Resource".into(), resources);
        if !s.conditions.is_empty() {
            m.insert("Condition".into(), self.conditions(&s.conditions)?);
        }
        Ok(Json::Object(m))
    }

    fn principal(&mut self, p: &Principal) -> Json {
        match p {
            Principal::Account => {
                self.needs.account_id = true;
                self.needs.partition = true;
                json!({ "AWS": "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" })
            }
            Principal::Iam(arns) => {
                json!({ "AWS": one_or_many(arns.iter().map(|x| escape(x)).collect()) })
            }
            Principal::Services(s) => {
                json!({ "Service": one_or_many(s.iter().map(|x| escape(x)).collect()) })
            }
            Principal::Anyone => Json::String("*".into()),
            Principal::ServiceLinkedRole(path) => {
                self.needs.account_id = true;
                self.needs.partition = true;
                json!({ "AWS": format!("arn:${{data.aws_partition.current.partition}}:iam::${{data.aws_caller_identity.current.account_id}}:role/{path}") })
            }
        }
    }

    fn conditions(&mut self, cs: &[Condition]) -> Result<Json, Error> {
        let mut ops: Map<String, Json> = Map::new();
        for c in cs {
            let mut values = Vec::with_capacity(c.values.len());
            for v in &c.values {
                values.push(self.policy_tpl(v)?);
            }
            let values = match c.boolean() {
                Some(b) => Json::Bool(b),
                None => one_or_many(values),
            };
            let entry = ops
                .entry(escape(&c.operator))
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(keys) = entry {
                keys.insert(escape(&c.key), values);
            }
        }
        Ok(Json::Object(ops))
    }
}

/// A single string, or an array of several.
fn one_or_many(mut v: Vec<String>) -> Json {
    if v.len() == 1 {
        Json::String(v.remove(0))
    } else {
        Json::Array(v.into_iter().map(Json::String).collect())
    }
}

/// A trust policy letting `services` assume a role.
pub fn trust_policy(services: &[String]) -> String {
    let principal = one_or_many(services.iter().map(|s| escape(s)).collect());
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": principal },
            "Action": "sts:AssumeRole",
        }],
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idents_are_terraform_names() {
        assert_eq!(
            ident(&NodeId::new(&["bucket", "documents", "primary"])),
            "bucket_documents_primary"
        );
        assert_eq!(ident_str("api.bank.example.com"), "api_bank_example_com");
        assert_eq!(ident_str("1x"), "_1x");
        assert_eq!(ident_str("Role-A"), "role_a");
    }

    fn graph_with_bucket() -> (Graph, NodeId) {
        use crate::graph::{Bucket, Node, NodeKind, Protection, SiteInfo, Tags};
        let id = NodeId::new(&["bucket", "docs", "primary"]);
        let site = SiteInfo {
            name: "s".into(),
            environment: "staging".into(),
            environment_tag: "Staging".into(),
            production: false,
            suffix: "x1".into(),
            primary_region: "us-east-1".into(),
            secondary_region: "us-west-2".into(),
            primary_short: "use1".into(),
            secondary_short: "usw2".into(),
            rpo_secs: 3600,
            rto_secs: 14400,
            tags: Tags::new(),
            profile: None,
            active: Role::Primary,
        };
        let node = Node {
            origin: None,
            id: id.clone(),
            role: Role::Primary,
            region: "us-east-1".into(),
            name: "docs-bucket-staging-x1".into(),
            description: String::new(),
            tags: Tags::new(),
            protection: Protection::default(),
            kind: NodeKind::Bucket(Bucket {
                versioning: true,
                key: Some(Value::lit("k")),
                block_public_access: true,
                policy: Vec::new(),
                replication: None,
                access_logs: None,
                noncurrent_days: None,
                expiration_days: None,
                log_sink: false,
                model_name: "docs".into(),
                object_lock: None,
                notify: None,
            }),
        };
        let graph = Graph {
            site,
            nodes: vec![node],
            account_settings: Vec::new(),
        };
        (graph, id)
    }

    #[test]
    fn references_and_policies() {
        let (graph, id) = graph_with_bucket();
        let mut x = Exprs::new(&graph);
        // Properties reference the resource (an implicit dependency)...
        assert_eq!(
            x.r(&id, Attr::Arn).ok().as_deref(),
            Some("${aws_s3_bucket.bucket_docs_primary.arn}")
        );
        // ...policies spell out ARNs AWS lets the caller know in advance,
        // and keep IAM policy variables literal.
        let st = Statement::allow(
            "Home",
            &["s3:GetObject"],
            vec![Value::join(vec![
                Value::r(&id, Attr::Arn),
                Value::lit("/home/${aws:username}/*"),
            ])],
        );
        let doc = x.policy(&[st], None).ok();
        assert_eq!(
            doc.as_deref(),
            Some(
                r#"{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:${data.aws_partition.current.partition}:s3:::docs-bucket-staging-x1/home/$${aws:username}/*","Sid":"Home"}],"Version":"2012-10-17"}"#
            )
        );
        assert!(x.needs.partition && !x.needs.account_id);
        // An attribute Terraform has no expression for is an error, not a panic.
        assert!(x.r(&id, Attr::Subnet(0)).is_err());
        assert!(x.r(&NodeId::new(&["missing"]), Attr::Arn).is_err());
    }

    #[test]
    fn literal_interpolations_are_escaped() {
        assert_eq!(escape("${aws:username}"), "$${aws:username}");
        assert_eq!(escape("%{if}"), "%%{if}");
        assert_eq!(escape("$${x}"), "$$${x}");
        assert_eq!(escape("plain $ { }"), "plain $ { }");
    }
}
