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
//! [`compute`] (functions), [`backup`], [`restore`] (restore testing), [`ops`] (alerts, alarms, dashboard, DNS,
//! failover automation), [`hardening`] (logging, tracing and audit settings
//! on every resource of a type); [`keys`] writes the key policies last, once every use
//! of every key is known.

mod audit;
mod backup;
mod compute;
mod data;
pub(crate) mod drill;
mod evidence;
mod frontdoor;
mod hardening;
mod isolated;
mod keys;
mod network;
mod ops;
mod private_bucket;
mod regionswitch;
mod restore;
mod secrets;

pub mod codes;

use crate::diagnostic::Diagnostic;
use crate::graph::{
    AccountSetting, Attr, Derived, Graph, Node, NodeId, NodeKind, Protection, SiteInfo, Statement,
    Tags, Value,
};
use crate::ident::camel;
use crate::model::Spanned;
use crate::model::{Model, Role};
use crate::units::Duration;
use std::collections::BTreeMap;

/// A lowered site: the graph and what lowering could not derive exactly.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The resource graph. Only emitted when `diagnostics` (and every check)
    /// has no error.
    pub graph: Graph,
    /// Values that cannot be derived exactly (DRS0910) and internal errors.
    pub diagnostics: Vec<Diagnostic>,
}

impl Lowered {
    /// The graph when lowering reported nothing.
    pub fn ok(self) -> Result<Graph, Vec<Diagnostic>> {
        if self.diagnostics.is_empty() {
            Ok(self.graph)
        } else {
            Err(self.diagnostics)
        }
    }
}

/// Lowers a model, once: `drsc check` judges the graph with the plan rules
/// and the objectives estimate, and `drsc build` emits the same graph.
/// Lowering never rounds, clamps or defaults a site's value: what it cannot
/// derive exactly it reports, and what AWS would reject the plan rules report.
pub fn lower(model: &Model) -> Lowered {
    let mut cx = Lower::new(model);
    network::lower(&mut cx);
    data::lower(&mut cx);
    compute::lower(&mut cx);
    backup::lower(&mut cx);
    isolated::lower(&mut cx);
    audit::lower(&mut cx);
    restore::lower(&mut cx);
    evidence::lower(&mut cx);
    ops::lower(&mut cx);
    drill::lower(&mut cx);
    hardening::lower(&mut cx);
    keys::lower(&mut cx);
    Lowered {
        graph: Graph {
            site: cx.site,
            nodes: cx.nodes,
            account_settings: cx.settings,
        },
        diagnostics: cx.diags,
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
    /// A service-linked role of the account (path and name after `role/`),
    /// through the given service endpoint, with these actions. Named by an
    /// exact `aws:PrincipalArn`: the role may not exist yet.
    ServiceLinkedRole {
        role_path: &'static str,
        via: String,
        actions: Vec<&'static str>,
    },
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
            active: site.active_role(),
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
        if self.nodes.iter().any(|n| n.id == id) {
            // Two declarations lowering to one node: the naming rules (DRS0272)
            // report the clash at the declarations; the graph is not emitted.
            self.error(crate::registry::internal(format!(
                "two nodes with the id `{id}`"
            )));
            return id;
        }
        let tags = self.tags(&name, role);
        let origin = self.declaration_span(&id);
        self.nodes.push(Node {
            origin,
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

impl Lower<'_> {
    /// `v` in whole days, exactly. A duration that is not a whole number of
    /// days is reported (DRS0910) at its span; the graph then holds the next
    /// whole day, which no build emits because `check` has failed.
    pub fn days(&mut self, v: &Spanned<Duration>, what: &str) -> Derived<u32> {
        // Years are calendar years: enough days for their leap days.
        match (v.value.unit, v.value.calendar_days()) {
            (crate::units::DurationUnit::Years, Some(days)) => {
                Derived::at(u32::try_from(days).unwrap_or(u32::MAX), v.span)
            }
            _ => self.whole(v, 86_400, "d", what),
        }
    }

    /// `v` in whole minutes, exactly (DRS0910 otherwise, as [`Lower::days`]).
    pub fn minutes(&mut self, v: &Spanned<Duration>, what: &str) -> Derived<u32> {
        self.whole(v, 60, "m", what)
    }

    /// `v` in seconds (every duration is whole seconds).
    pub fn secs(&self, v: &Spanned<Duration>) -> Derived<u32> {
        Derived::at(u32::try_from(v.value.as_secs()).unwrap_or(u32::MAX), v.span)
    }

    /// `v` in whole MiB, exactly (DRS0910 otherwise).
    pub fn mebibytes(&mut self, v: &Spanned<crate::units::DataSize>, what: &str) -> Derived<u32> {
        use crate::units::SizeUnit;
        let written = v.value.to_string();
        // `512MB` most likely means `512MiB` (AWS labels Lambda's MiB "MB").
        let binary = match v.value.unit {
            SizeUnit::KB => Some("KiB"),
            SizeUnit::MB => Some("MiB"),
            SizeUnit::GB => Some("GiB"),
            SizeUnit::TB => Some("TiB"),
            _ => None,
        };
        let likely = binary.map(|u| format!("{}{u}", v.value.amount));
        self.exact(
            v.value.as_bytes(),
            1 << 20,
            ("MiB", "MiB"),
            what,
            (&written, likely),
            v.span,
        )
    }

    fn whole(&mut self, v: &Spanned<Duration>, per: u64, unit: &str, what: &str) -> Derived<u32> {
        let words = if unit == "d" { "days" } else { "minutes" };
        let written = v.value.to_string();
        self.exact(
            v.value.as_secs(),
            per,
            (unit, words),
            what,
            (&written, None),
            v.span,
        )
    }

    /// `amount / per` when exact; otherwise DRS0910 naming the likely intent
    /// (if any) and the two nearest whole values (`unit` is the suffix to write
    /// them with, `words` the unit in the message), and the next whole value,
    /// never emitted.
    fn exact(
        &mut self,
        amount: u64,
        per: u64,
        (unit, words): (&str, &str),
        what: &str,
        (written, likely): (&str, Option<String>),
        span: crate::source::Span,
    ) -> Derived<u32> {
        if amount % per != 0 {
            let down = amount / per;
            let nearest: Vec<String> = likely
                .into_iter()
                .chain(
                    [down, down + 1]
                        .iter()
                        .filter(|n| **n > 0)
                        .map(|n| format!("{n}{unit}")),
                )
                .collect();
            self.error(codes::inexact(span, what, written, words, &nearest));
        }
        Derived::at(
            u32::try_from(amount.div_ceil(per)).unwrap_or(u32::MAX),
            span,
        )
    }

    /// A count the site wrote.
    pub fn count(&self, v: &Spanned<u32>) -> Derived<u32> {
        Derived::at(v.value, v.span)
    }
}

#[cfg(test)]
mod tests;
