//! Model → resource graph. Only for a model without check errors: `drsc build`
//! refuses to lower when `check` reports errors.
//!
//! Lowering decides everything that does not depend on the backend: which
//! capabilities exist in which region, their physical names
//! (`<label>-<type>-<environment>-<suffix>[-<region short name>]`, the
//! scheme of `crate::checks::naming`), tags (`Environment`, `DR-Role`, `Name`
//! and the site's own), protection flags (production: retain and deletion
//! protection), least-privilege role policies and exact key policies.
//!
//! One module per area: [`network`], [`data`] (keys, Aurora, DynamoDB, S3),
//! [`compute`] (functions), [`backup`], [`ops`] (alerts, alarms, dashboard, DNS,
//! failover automation); [`keys`] writes the key policies last, once every use
//! of every key is known.

mod backup;
mod compute;
mod data;
mod keys;
mod network;
mod ops;

use crate::diagnostic::Diagnostic;
use crate::emit::codes;
use crate::graph::{
    AccountSetting, Attr, Graph, Node, NodeId, NodeKind, Protection, SiteInfo, Statement, Tags,
    Value,
};
use crate::ident::camel;
use crate::model::{Model, Role};
use std::collections::BTreeMap;

/// Lowers a checked model. Errors are backend limits the model checks do not
/// cover (a generated name AWS would reject, a schedule AWS Backup cannot
/// express); the graph is only returned when there are none.
pub fn lower(model: &Model) -> Result<Graph, Vec<Diagnostic>> {
    let mut cx = Lower::new(model);
    network::lower(&mut cx);
    data::lower(&mut cx);
    compute::lower(&mut cx);
    backup::lower(&mut cx);
    ops::lower(&mut cx);
    keys::lower(&mut cx);
    cx.check_names();
    if cx.diags.is_empty() {
        Ok(Graph {
            site: cx.site,
            nodes: cx.nodes,
            account_settings: cx.settings,
        })
    } else {
        Err(cx.diags)
    }
}

/// How a principal uses a key; collected while lowering, turned into key
/// policy statements by [`keys`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum KeyUser {
    /// Principals of the account acting through an AWS service (the deployer,
    /// CloudFormation/Terraform, RDS, DynamoDB, AWS Backup on its behalf),
    /// limited by `kms:ViaService` to the given service endpoint.
    ViaService(String),
    /// One role of the site, through the given service endpoint, with these actions.
    Role {
        role: NodeId,
        via: String,
        actions: Vec<&'static str>,
    },
    /// CloudWatch Logs encrypting the region's log groups.
    Logs,
    /// Services publishing to encrypted SNS topics (`events`, `cloudwatch`).
    Publisher(&'static str),
}

/// The lowering context shared by the area modules.
pub(crate) struct Lower<'m> {
    pub model: &'m Model,
    pub site: SiteInfo,
    pub nodes: Vec<Node>,
    pub settings: Vec<AccountSetting>,
    pub diags: Vec<Diagnostic>,
    /// Key node → its users (sorted, deduplicated when the policy is written).
    pub key_users: BTreeMap<NodeId, Vec<KeyUser>>,
}

impl<'m> Lower<'m> {
    fn new(model: &'m Model) -> Lower<'m> {
        let site = &model.site;
        let short = |role: Role| {
            model
                .catalog
                .region(site.region(role))
                .map(|r| r.short_name.clone())
                .unwrap_or_else(|| site.region(role).replace('-', ""))
        };
        let tags: Tags = site
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect();
        let info = SiteInfo {
            name: site.name.clone(),
            environment: site.environment.value.as_str().to_string(),
            environment_tag: site.environment.value.tag_value().to_string(),
            production: site.environment.value.is_production(),
            suffix: site.suffix.value.clone(),
            primary_region: site.primary.value.clone(),
            secondary_region: site.secondary.value.clone(),
            primary_short: short(Role::Primary),
            secondary_short: short(Role::Secondary),
            rpo_secs: site.rpo.value.as_secs(),
            rto_secs: site.rto.value.as_secs(),
            tags,
            profile: model.profile.as_ref().map(|p| p.name.clone()),
        };
        Lower {
            model,
            site: info,
            nodes: Vec::new(),
            settings: Vec::new(),
            diags: Vec::new(),
            key_users: BTreeMap::new(),
        }
    }

    /// `<label>-<type>-<environment>-<suffix>`.
    pub fn base(&self, label: &str, kind: &str) -> String {
        crate::graph::physical_name(&[label, kind, &self.site.environment, &self.site.suffix])
    }

    /// [`Lower::base`] plus the short name of `role`'s region.
    pub fn regional(&self, label: &str, kind: &str, role: Role) -> String {
        format!("{}-{}", self.base(label, kind), self.site.short(role))
    }

    pub fn region(&self, role: Role) -> String {
        self.site.region(role).to_string()
    }

    /// Tags for a node named `name` on `role`'s side.
    pub fn tags(&self, name: &str, role: Role) -> Tags {
        let mut t = self.site.tags.clone();
        t.insert("Environment".into(), self.site.environment_tag.clone());
        t.insert("DR-Role".into(), role.as_str().into());
        t.insert("Name".into(), name.into());
        t
    }

    /// Adds a node and returns its id.
    pub fn add(
        &mut self,
        id: NodeId,
        role: Role,
        name: String,
        description: impl Into<String>,
        protection: Protection,
        kind: NodeKind,
    ) -> NodeId {
        debug_assert!(self.nodes.iter().all(|n| n.id != id), "duplicate {id}");
        let tags = self.tags(&name, role);
        self.nodes.push(Node {
            id: id.clone(),
            role,
            region: self.region(role),
            name,
            description: description.into(),
            tags,
            protection,
            kind,
        });
        id
    }

    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.nodes.iter().find(|n| &n.id == id)
    }

    pub fn node_mut(&mut self, id: &NodeId) -> Option<&mut Node> {
        self.nodes.iter_mut().find(|n| &n.id == id)
    }

    /// The key node a store uses in `role`'s region: its own `key`, or the
    /// site's first key.
    pub fn key_for(&self, key: Option<&crate::model::Ref>, role: Role) -> NodeId {
        let name = key
            .map(|k| k.name.clone())
            .or_else(|| self.model.keys.first().map(|k| k.name.clone()))
            .unwrap_or_else(|| data::IMPLICIT_KEY.to_string());
        data::key_id(&name, role)
    }

    /// The key for logs, queues, topics and vaults: the site's first key.
    pub fn ops_key(&self, role: Role) -> NodeId {
        self.key_for(None, role)
    }

    /// The ARN of a key node.
    pub fn key_arn(&self, key: &NodeId) -> Value {
        Value::r(key, Attr::Arn)
    }

    /// Records a use of `key`.
    pub fn use_key(&mut self, key: &NodeId, user: KeyUser) {
        self.key_users.entry(key.clone()).or_default().push(user);
    }

    /// Lets `role` use `key` with `actions` through `service` in `side`'s region:
    /// the IAM statement (limited by `kms:ViaService`) for the role's policy, and
    /// the matching grant recorded for the key policy.
    pub fn grant_key(
        &mut self,
        sid: &str,
        key: &NodeId,
        role: &NodeId,
        service: &str,
        side: Role,
        actions: Vec<&'static str>,
    ) -> Statement {
        let via = self.via(service, side);
        let statement = Statement::allow(sid, &actions, vec![self.key_arn(key)]).when(
            "StringEquals",
            "kms:ViaService",
            vec![Value::lit(via.clone())],
        );
        self.use_key(
            key,
            KeyUser::Role {
                role: role.clone(),
                via,
                actions,
            },
        );
        statement
    }

    /// The deterministic ARN of a node, or a symbolic reference to it (which the
    /// emitters resolve, or report as DRS0903 if the node does not exist).
    pub fn arn(&self, id: &NodeId) -> Value {
        self.node(id)
            .and_then(|n| n.known(Attr::Arn))
            .unwrap_or_else(|| Value::r(id, Attr::Arn))
    }

    /// `service.<region>.amazonaws.com`.
    pub fn via(&self, service: &str, role: Role) -> String {
        format!("{service}.{}.amazonaws.com", self.site.region(role))
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Every generated name must satisfy AWS's rule for its type (DRS0902).
    fn check_names(&mut self) {
        use crate::checks::naming as n;
        let mut problems = Vec::new();
        for node in &self.nodes {
            let rule: Option<&n::NameRule> = match &node.kind {
                NodeKind::Bucket(_) => Some(&n::S3_BUCKET),
                NodeKind::GlobalDatabase(_) | NodeKind::DbCluster(_) => Some(&n::RDS_IDENTIFIER),
                NodeKind::GlobalTable(_) => Some(&n::DYNAMODB_TABLE),
                NodeKind::Function(_) => Some(&n::LAMBDA_FUNCTION),
                NodeKind::Role(_) => Some(&n::IAM_ROLE),
                NodeKind::Vault(_) => Some(&n::BACKUP_VAULT),
                NodeKind::BackupPlan(_) => Some(&n::BACKUP_VAULT),
                _ => None,
            };
            let mut names = vec![node.name.clone()];
            if let NodeKind::DbCluster(c) = &node.kind {
                names.extend(c.instances.iter().map(|i| i.identifier.clone()));
            }
            if let Some(rule) = rule {
                for name in names {
                    if let Some(p) = rule.problem(&name) {
                        problems.push((&node.id, p));
                    }
                }
            }
            let limit = match &node.kind {
                NodeKind::Topic(_) | NodeKind::Alarm(_) | NodeKind::Dashboard(_) => 255,
                NodeKind::EventRule(_) | NodeKind::Queue(_) => 64,
                NodeKind::LogGroup(_) => 512,
                _ => usize::MAX,
            };
            if node.name.len() > limit {
                problems.push((
                    &node.id,
                    format!(
                        "{} name `{}` has {} characters; AWS allows {limit}",
                        node.kind.kind_name().replace('_', " "),
                        node.name,
                        node.name.len()
                    ),
                ));
            }
        }
        let suffix = self.model.site.suffix.span;
        let diags: Vec<Diagnostic> = problems
            .into_iter()
            .map(|(id, p)| {
                let d = Diagnostic::new(&codes::NAME_INVALID, p)
                    .help("shorten the declaration's label or the site's suffix");
                match self.declaration_span(id) {
                    Some(decl) => d
                        .at(decl, "the name is built from this declaration")
                        .also(suffix, "and from the site's suffix"),
                    None => d.at(suffix, "the name is built from the site's suffix"),
                }
            })
            .collect();
        self.diags.extend(diags);
    }

    /// The span of the declaration a node was lowered from (ids are `kind/name[-part]/side`).
    fn declaration_span(&self, id: &NodeId) -> Option<crate::source::Span> {
        let name = id.as_str().split('/').nth(1)?;
        let m = self.model;
        m.databases
            .iter()
            .map(|d| (&d.name, d.span))
            .chain(m.tables.iter().map(|t| (&t.name, t.span)))
            .chain(m.buckets.iter().map(|b| (&b.name, b.span)))
            .chain(m.functions.iter().map(|f| (&f.name, f.span)))
            .chain(m.backups.iter().map(|b| (&b.name, b.span)))
            // `documents` or a node derived from it, such as `documents-replication`.
            .filter(|(n, _)| {
                name.strip_prefix(n.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
            })
            .max_by_key(|(n, _)| n.len())
            .map(|(_, span)| span)
    }
}

/// Whole days of a duration, rounded up.
pub(crate) fn days(d: crate::units::Duration) -> u32 {
    d.as_secs().div_ceil(86_400).min(u32::MAX as u64) as u32
}

/// Whole minutes of a duration, rounded up.
pub(crate) fn minutes(d: crate::units::Duration) -> u32 {
    d.as_secs().div_ceil(60).min(u32::MAX as u64) as u32
}

#[cfg(test)]
mod tests;
