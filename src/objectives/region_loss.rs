//! Region loss (R31, R32): what the site needs at run time to recover when one
//! of its regions is gone, read from the graph `build` emits.
//!
//! Every node's run-time needs are derived from the graph itself: the nodes it
//! references ([`crate::graph::Ref`]s and the deterministic ARNs of other
//! nodes in its values and policies), literal ARNs and endpoints that name a
//! region, and the global control planes its permissions call (the Route 53
//! and IAM control planes are homed in us-east-1, and Route 53 health-check
//! metrics exist only there). Nothing here is a hand-kept table of resources.
//!
//! The recovery path is a list of [`Step`]s, each starting from the nodes
//! that carry it in the surviving region (the probe and its alarm detect, the
//! failover topic and function decide and promote — with the Region switch
//! engine the topic and the starter function decide and the plan promotes, the records and health
//! checks move traffic, the site's functions serve, the alert topic alerts,
//! a backup plan protects the promoted region). A step that reaches a node
//! of the lost region, a literal naming it, or a control plane homed there
//! depends on the lost region.
//!
//! The same simulation runs in both states of `site.active` (R35): with
//! `active = secondary` the graph is the failed-over site's, built from the
//! surviving region alone, and the loss of the primary region is the state it
//! is built for; the failover alarms are disarmed there, but every resource
//! on the path must still need nothing of the lost region.
//!
//! Sources: Route 53 keeps answering DNS queries and running health checks
//! when its control plane (us-east-1) is impaired, and health-check metrics
//! are published only in us-east-1
//! (<https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/disaster-recovery-resiliency.html>,
//! <https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html>);
//! IAM's control plane is in us-east-1 while authentication keeps working in
//! every region (<https://docs.aws.amazon.com/IAM/latest/UserGuide/disaster-recovery-resiliency.html>).

use crate::graph::{Attr, Graph, Node, NodeId, NodeKind, Purpose, Ref, Role, Subscription, Value};
use crate::source::Span;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A step of the recovery path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Detect,
    Decide,
    Promote,
    MoveTraffic,
    Serve,
    Credentials,
    Alert,
    Backup,
    Replicate,
}

impl Step {
    /// What the step does, e.g. `serve requests`.
    pub fn action(self) -> &'static str {
        match self {
            Step::Detect => "detect the outage",
            Step::Decide => "decide to fail over",
            Step::Promote => "promote the database",
            Step::MoveTraffic => "move traffic",
            Step::Serve => "serve requests",
            Step::Credentials => "read credentials and keys",
            Step::Alert => "alert",
            Step::Backup => "back up",
            Step::Replicate => "replicate its data to the other region",
        }
    }

    /// The step in the surviving region `region`, e.g. `serve requests in us-west-2`.
    pub fn describe(self, region: &str) -> String {
        match self {
            Step::Replicate => format!("replicate {region}'s data to the other region"),
            _ => format!("{} in {region}", self.action()),
        }
    }
}

/// How a dependency on the lost region affects its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// The step cannot run.
    Breaks,
    /// The step runs, with less than the site asks for (a data-plane fallback,
    /// no backups, no rotation).
    Degrades,
}

/// One dependency of a recovery step on the lost region.
#[derive(Debug, Clone, Serialize)]
pub struct Dependency {
    pub step: Step,
    pub impact: Impact,
    /// The chain from the step to what is lost, e.g. `serve requests in
    /// us-west-2 → function `ingest-…` (us-west-2) → … → us-east-1`.
    pub chain: String,
    /// Why this link is on the recovery path and what it costs.
    pub reason: String,
    /// The declaration that introduced the dependency.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// The loss of one region of the site.
#[derive(Debug, Clone, Serialize)]
pub struct RegionLoss {
    /// `primary` or `secondary`.
    pub side: &'static str,
    pub lost: String,
    pub survivor: String,
    /// The recovery steps that apply to this site, in order.
    pub steps: Vec<Step>,
    /// Every dependency on the lost region, by step.
    pub dependencies: Vec<Dependency>,
    /// "loss of us-east-1: recovery path intact, 8 steps".
    pub summary: String,
}

impl RegionLoss {
    /// Whether no step breaks.
    pub fn intact(&self) -> bool {
        !self.dependencies.iter().any(|d| d.impact == Impact::Breaks)
    }
}

/// What one node needs at run time.
enum Need {
    /// Another node.
    Node(NodeId, String),
    /// A literal (ARN, endpoint) naming a region.
    Literal { region: String, text: String },
    /// A control plane homed in one region.
    ControlPlane {
        what: &'static str,
        region: &'static str,
    },
}

/// Regions whose control planes host global services (Route 53, IAM).
const GLOBAL_CONTROL_PLANE: &str = "us-east-1";

/// Nodes whose data plane is global: they keep working when any one region is lost.
fn is_global(node: &Node) -> bool {
    matches!(
        node.kind,
        NodeKind::Role(_)
            | NodeKind::GlobalDatabase(_)
            | NodeKind::GlobalTable(_)
            | NodeKind::Record(_)
            | NodeKind::AliasRecord(_)
            | NodeKind::HealthCheck(_)
            | NodeKind::HostedZone(_)
            | NodeKind::RegionSwitchPlan(_)
    )
}

/// A value as text, pseudo values spelled out; references are empty.
fn text(v: &Value) -> String {
    match v {
        Value::Lit(s) => s.clone(),
        Value::AccountId => "ACCOUNT".into(),
        Value::Partition => "aws".into(),
        Value::Ref(_) | Value::Lookup(_) => String::new(),
        Value::Join(parts) => parts.iter().map(text).collect(),
    }
}

/// The graph with an index from deterministic ARNs to nodes.
struct Site<'g> {
    graph: &'g Graph,
    by_arn: BTreeMap<String, &'g NodeId>,
}

impl<'g> Site<'g> {
    fn new(graph: &'g Graph) -> Site<'g> {
        let by_arn = graph
            .nodes
            .iter()
            .filter_map(|n| {
                let arn = graph.known_arn(&Ref::new(&n.id, Attr::Arn))?;
                Some((text(&arn), &n.id))
            })
            .collect();
        Site { graph, by_arn }
    }

    /// What `v` names: the nodes it references or whose ARN it spells (an
    /// object ARN `…/*` names its bucket), and any region it names literally.
    fn value_needs(&self, v: &Value, why: &str, out: &mut Vec<Need>) {
        for r in v.refs() {
            out.push(Need::Node(r.node.clone(), why.to_string()));
        }
        let t = text(v);
        if t.is_empty() {
            return;
        }
        let base = t.trim_end_matches("/*");
        if let Some(id) = self.by_arn.get(base) {
            out.push(Need::Node((*id).clone(), why.to_string()));
            return;
        }
        for region in [
            &self.graph.site.primary_region,
            &self.graph.site.secondary_region,
        ] {
            if names_region(&t, region) {
                out.push(Need::Literal {
                    region: region.clone(),
                    text: t.clone(),
                });
            }
        }
    }

    /// Everything `node` needs at run time.
    fn needs(&self, node: &Node) -> Vec<Need> {
        let mut out = Vec::new();
        let node_need = |id: &NodeId, why: &str, out: &mut Vec<Need>| {
            out.push(Need::Node(id.clone(), why.to_string()))
        };
        match &node.kind {
            NodeKind::Function(f) => {
                node_need(&f.role, "runs as", &mut out);
                node_need(&f.log_group, "writes its logs", &mut out);
                if let Some(q) = &f.dead_letter {
                    node_need(q, "sends failed events", &mut out);
                }
                self.value_needs(&f.env_key, "decrypts its environment", &mut out);
                // The probe's target is what it watches: it is meant to fail with it.
                if f.purpose != Purpose::Probe {
                    for (k, v) in &f.environment {
                        self.value_needs(v, &format!("is told `{k}` =",), &mut out);
                    }
                }
            }
            // A role's resources are what it may call, not what its code calls (the
            // environment says that); its actions tell which global control planes it uses.
            NodeKind::Role(r) => {
                for s in &r.statements {
                    for a in &s.actions {
                        if let Some(what) = global_control_plane(a) {
                            out.push(Need::ControlPlane {
                                what,
                                region: GLOBAL_CONTROL_PLANE,
                            });
                        }
                    }
                }
            }
            NodeKind::Alarm(a) => {
                for t in &a.actions {
                    node_need(t, "notifies", &mut out);
                }
                if a.namespace == "AWS/Route53" {
                    out.push(Need::ControlPlane {
                        what: "Route 53 health-check metrics",
                        region: GLOBAL_CONTROL_PLANE,
                    });
                }
            }
            NodeKind::CompositeAlarm(c) => {
                for a in &c.inputs {
                    node_need(a, "combines", &mut out);
                }
                for t in &c.actions {
                    node_need(t, "notifies", &mut out);
                }
            }
            NodeKind::Topic(t) => {
                self.value_needs(&t.key, "encrypts messages with", &mut out);
                for s in &t.subscriptions {
                    if let Subscription::Function(f) = s {
                        node_need(f, "invokes", &mut out);
                    }
                }
            }
            NodeKind::EventRule(e) => {
                for t in &e.targets {
                    node_need(t, "runs", &mut out);
                }
            }
            NodeKind::DbCluster(c) => self.value_needs(&c.key, "encrypts storage with", &mut out),
            NodeKind::Bucket(b) => {
                if let Some(k) = &b.key {
                    self.value_needs(k, "encrypts objects with", &mut out);
                }
                if let Some(r) = &b.replication {
                    node_need(&r.destination, "replicates to", &mut out);
                }
            }
            NodeKind::Queue(q) => self.value_needs(&q.key, "encrypts messages with", &mut out),
            NodeKind::LogGroup(l) => {
                if let Some(k) = &l.key {
                    self.value_needs(k, "encrypts logs with", &mut out);
                }
            }
            NodeKind::Vault(v) => {
                self.value_needs(&v.key, "encrypts recovery points with", &mut out)
            }
            NodeKind::BackupPlan(p) => {
                node_need(&p.vault, "backs up into", &mut out);
                node_need(&p.selection.role, "runs as", &mut out);
                for r in &p.rules {
                    if let Some(c) = &r.copy {
                        node_need(&c.vault, "copies recovery points to", &mut out);
                    }
                    // The isolated copy: a copy like the cross-region one
                    // (a vault of another account is outside the site).
                    if let Some(c) = &r.isolated_copy {
                        self.value_needs(&c.destination, "keeps an isolated copy in", &mut out);
                    }
                }
                for v in p.selection.resources.iter() {
                    self.value_needs(v, "backs up", &mut out);
                }
            }
            // Restore testing is evidence (R36), on no recovery step: modelled so a
            // step that ever reaches it sees it needs only its own region.
            NodeKind::RestoreTestingPlan(p) => {
                node_need(&p.vault, "restores from", &mut out);
                for s in &p.selections {
                    node_need(&s.role, "restores as", &mut out);
                }
            }
            NodeKind::Record(r) => {
                // A check the Region switch plan created is a Route 53 health
                // check (global data plane) whose status the plan's executions
                // set: the record needs none of the plan's own dependencies
                // to answer, only the check's last status.
                match &r.health_check {
                    Some(Value::Ref(h)) if matches!(h.attr, Attr::PlanHealthCheck(_)) => {}
                    Some(h) => self.value_needs(h, "answers by", &mut out),
                    None => {}
                }
                if let crate::graph::RecordTarget::Alias(a) = &r.target {
                    self.value_needs(&a.dns_name, "answers with", &mut out);
                }
            }
            NodeKind::AliasRecord(r) => {
                self.value_needs(&r.target.dns_name, "answers with", &mut out)
            }
            NodeKind::ApiDomain(d) => {
                self.value_needs(&d.certificate, "serves TLS with", &mut out);
                self.value_needs(&d.api, "routes to", &mut out);
            }
            NodeKind::HttpApi(a) => {
                self.value_needs(&a.function, "invokes", &mut out);
                self.value_needs(&a.access_log_group, "writes access logs to", &mut out);
            }
            // A plan executes in the region it activates: it needs its role, the
            // global databases it promotes (an ungraceful failover does not need
            // the old primary member), the zone it checks, the alarms it watches
            // and its report bucket.
            NodeKind::RegionSwitchPlan(p) => {
                node_need(&p.execution_role, "runs as", &mut out);
                for w in &p.workflows {
                    for step in &w.steps {
                        match &step.block {
                            crate::graph::ExecutionBlock::GlobalAurora(a) => {
                                node_need(&a.global, "promotes", &mut out)
                            }
                            crate::graph::ExecutionBlock::Route53HealthCheck(r) => {
                                self.value_needs(&r.zone_id, "checks records in", &mut out)
                            }
                            // The approval role is IAM (global): nothing regional.
                            crate::graph::ExecutionBlock::Approval(_) => {}
                        }
                    }
                }
                for a in &p.associated_alarms {
                    self.value_needs(&a.alarm, "watches", &mut out);
                }
                node_need(&p.report_bucket, "writes execution reports to", &mut out);
            }
            _ => {}
        }
        out
    }
}

/// Whether `text` names `region` as a whole token (`…:us-east-1:…`,
/// `secretsmanager.us-east-1.amazonaws.com`), not as part of a longer name.
fn names_region(text: &str, region: &str) -> bool {
    text.match_indices(region).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + region.len()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '-');
        edge(before) && edge(after)
    })
}

/// The global control plane an IAM action calls, if any: changing Route 53
/// records or health checks and changing IAM go through us-east-1.
fn global_control_plane(action: &str) -> Option<&'static str> {
    let (service, name) = action.split_once(':')?;
    let writes = [
        "Change", "Create", "Update", "Delete", "Put", "Attach", "Detach",
    ]
    .iter()
    .any(|p| name.starts_with(p));
    // Region switch: plan CRUD goes to the control plane in us-east-1
    // (`arc-region-switch-control-plane.us-east-1.api.aws`, SDK endpoint rules);
    // executions run on each region's data plane (research notes §9.2).
    let region_switch_control = [
        "CreatePlan",
        "UpdatePlan",
        "DeletePlan",
        "GetPlan",
        "ListPlans",
    ]
    .contains(&name);
    match service {
        "arc-region-switch" if region_switch_control => Some("the Region switch control plane"),
        "route53" if writes => Some("the Route 53 control plane"),
        "iam" if writes => Some("the IAM control plane"),
        _ => None,
    }
}

/// The nodes that carry each step in `survivor`'s region.
fn entries(graph: &Graph, survivor: Role) -> BTreeMap<Step, Vec<&Node>> {
    let mut out: BTreeMap<Step, Vec<&Node>> = BTreeMap::new();
    let on: Vec<&Node> = graph.nodes.iter().filter(|n| n.role == survivor).collect();
    let purpose =
        |n: &Node, p: &Purpose| matches!(&n.kind, NodeKind::Function(f) if &f.purpose == p);
    // The engine's function: drsc's failover function, or the starter of the
    // Region switch plan (which then promotes: the plan is global, and its
    // execution runs on the data plane of the region it activates).
    let failover: Vec<&Node> = on
        .iter()
        .copied()
        .filter(|n| purpose(n, &Purpose::Failover) || purpose(n, &Purpose::Starter))
        .collect();
    let starters = failover.iter().any(|n| purpose(n, &Purpose::Starter));
    let plans: Vec<&Node> = graph
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::RegionSwitchPlan(_)))
        .collect();
    let failover_ids: BTreeSet<&NodeId> = failover.iter().map(|n| &n.id).collect();
    let decide_topics: Vec<&Node> = on
        .iter()
        .copied()
        .filter(|n| match &n.kind {
            NodeKind::Topic(t) => t
                .subscriptions
                .iter()
                .any(|s| matches!(s, Subscription::Function(f) if failover_ids.contains(f))),
            _ => false,
        })
        .collect();
    let decide_ids: BTreeSet<&NodeId> = decide_topics.iter().map(|n| &n.id).collect();
    // The alarm that starts the failover: a metric alarm, or a composite alarm
    // (with the metric alarms it combines).
    let composite_inputs: BTreeSet<&NodeId> = on
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::CompositeAlarm(c) if c.actions.iter().any(|t| decide_ids.contains(t)) => {
                Some(c.inputs.iter())
            }
            _ => None,
        })
        .flatten()
        .collect();
    let detect: Vec<&Node> = on
        .iter()
        .copied()
        .filter(|n| match &n.kind {
            NodeKind::Alarm(a) => {
                a.actions.iter().any(|t| decide_ids.contains(t)) || composite_inputs.contains(&n.id)
            }
            NodeKind::CompositeAlarm(c) => c.actions.iter().any(|t| decide_ids.contains(t)),
            NodeKind::Function(f) => f.purpose == Purpose::Probe,
            _ => false,
        })
        .collect();
    // Automated failover only: a manual one is a person's decision (DRS0402 reports it).
    if starters && !plans.is_empty() && !decide_topics.is_empty() {
        // alarm → topic → starter function → the plan.
        let mut decide = decide_topics;
        decide.extend(failover.iter().copied());
        out.insert(Step::Detect, detect);
        out.insert(Step::Decide, decide);
        out.insert(Step::Promote, plans);
    } else if !failover.is_empty() && !decide_topics.is_empty() {
        out.insert(Step::Detect, detect);
        out.insert(Step::Decide, decide_topics);
        out.insert(Step::Promote, failover);
    }
    // The records that answer with the survivor, and every health check: the
    // records of the lost side are meant to fail with it.
    let traffic: Vec<&Node> = graph
        .nodes
        .iter()
        .filter(|n| match &n.kind {
            NodeKind::Record(r) => r.side == survivor,
            NodeKind::HealthCheck(_) => true,
            _ => false,
        })
        .collect();
    if !traffic.is_empty() {
        out.insert(Step::MoveTraffic, traffic);
    }
    let serve: Vec<&Node> = on
        .iter()
        .copied()
        .filter(
            |n| matches!(&n.kind, NodeKind::Function(f) if matches!(f.purpose, Purpose::Site(_))),
        )
        .collect();
    if !serve.is_empty() {
        out.insert(Step::Serve, serve);
    }
    let credentials: Vec<&Node> = on
        .iter()
        .copied()
        .filter(|n| matches!(n.kind, NodeKind::Key(_)))
        .collect();
    out.insert(Step::Credentials, credentials);
    // Alerting is a step where the site alerts someone at all.
    let alerts = |n: &&Node| match &n.kind {
        NodeKind::Topic(t) => t
            .subscriptions
            .iter()
            .any(|s| matches!(s, Subscription::Email(_))),
        _ => false,
    };
    if graph.nodes.iter().any(|n| alerts(&n)) {
        out.insert(Step::Alert, on.iter().copied().filter(alerts).collect());
    }
    let replicated: Vec<&Node> = on
        .iter()
        .copied()
        .filter(|n| matches!(&n.kind, NodeKind::Bucket(b) if b.replication.is_some()))
        .collect();
    if !replicated.is_empty() {
        out.insert(Step::Replicate, replicated);
    }
    let backups = graph
        .nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::BackupPlan(_)));
    if backups {
        out.insert(
            Step::Backup,
            on.iter()
                .copied()
                .filter(|n| matches!(n.kind, NodeKind::BackupPlan(_)))
                .collect(),
        );
    }
    out
}

/// Simulates the loss of `lost`'s region and reports every recovery step that
/// still depends on it.
pub fn simulate(graph: &Graph, lost: Role) -> RegionLoss {
    let survivor = match lost {
        Role::Primary => Role::Secondary,
        Role::Secondary => Role::Primary,
    };
    let lost_region = graph.site.region(lost).to_string();
    let survivor_region = graph.site.region(survivor).to_string();
    let site = Site::new(graph);
    let steps = entries(graph, survivor);
    // Each node is checked in the step it carries; another step reaching it stops there.
    let owner: BTreeMap<&NodeId, Step> = steps
        .iter()
        .flat_map(|(step, nodes)| nodes.iter().map(move |n| (&n.id, *step)))
        .collect();
    let mut dependencies = Vec::new();
    for (&step, starts) in &steps {
        let start = step.describe(&survivor_region);
        if starts.is_empty() {
            dependencies.push(missing(graph, step, &start, &lost_region, lost));
            continue;
        }
        let mut seen: BTreeSet<&NodeId> = BTreeSet::new();
        let mut queue: Vec<(&Node, Vec<String>)> = starts
            .iter()
            .map(|n| (*n, vec![start.clone(), describe(n)]))
            .collect();
        while let Some((node, chain)) = queue.pop() {
            if !seen.insert(&node.id) {
                continue;
            }
            for need in site.needs(node) {
                match need {
                    Need::Node(id, why) => {
                        let Some(next) = graph.get(&id) else { continue };
                        if owner.get(&next.id).is_some_and(|s| *s != step) {
                            continue;
                        }
                        let mut c = chain.clone();
                        c.push(format!("{why} {}", describe(next)));
                        if next.region == lost_region && !is_global(next) {
                            dependencies.push(Dependency {
                                step,
                                impact: impact(step),
                                chain: c.join(" → "),
                                reason: format!("{} is in {lost_region}", describe(next)),
                                span: node.origin.or(next.origin),
                            });
                        } else {
                            queue.push((next, c));
                        }
                    }
                    Need::Literal { region, text } if region == lost_region => {
                        dependencies.push(Dependency {
                            step,
                            impact: impact(step),
                            chain: format!("{} → `{text}` ({lost_region})", chain.join(" → ")),
                            reason: format!("`{text}` names {lost_region}"),
                            span: node.origin,
                        });
                    }
                    Need::ControlPlane { what, region } if region == lost_region => {
                        // Route 53 records and health checks move traffic on the data
                        // plane; a function that also changes records degrades, not breaks.
                        let impact = if step == Step::Promote || step == Step::MoveTraffic {
                            Impact::Degrades
                        } else {
                            Impact::Breaks
                        };
                        dependencies.push(Dependency {
                            step,
                            impact,
                            chain: format!("{} → {what} ({region})", chain.join(" → ")),
                            reason: format!("{what} is homed in {region}"),
                            span: node.origin,
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    // Secrets that rotate in the lost region: their replicas in the survivor stay
    // readable, but nothing rotates them while it is down.
    for n in graph.nodes.iter().filter(|n| n.region == lost_region) {
        if let NodeKind::Secret(secret) = &n.kind {
            let replicated = secret.replicas.iter().any(|r| r.region == survivor_region);
            if secret.rotation.is_some() && replicated {
                dependencies.push(Dependency {
                    step: Step::Credentials,
                    impact: Impact::Degrades,
                    chain: format!(
                        "{} → {} rotates in {lost_region}",
                        Step::Credentials.describe(&survivor_region),
                        describe(n)
                    ),
                    reason: format!(
                        "the replica in {survivor_region} stays readable, but rotation runs in {lost_region}: no rotation while it is down"
                    ),
                    span: n.origin,
                });
            }
        }
    }
    // Failover automation that runs only in the lost region: the survivor has no
    // automated path back while it is down.
    if !steps.contains_key(&Step::Promote) {
        if let Some(f) = graph.nodes.iter().find(|n| {
            n.role == lost
                && matches!(&n.kind, NodeKind::Function(f) if matches!(f.purpose, Purpose::Failover | Purpose::Starter))
        }) {
            dependencies.push(Dependency {
                step: Step::Promote,
                impact: Impact::Degrades,
                chain: format!("fail over from {survivor_region} → {} → {lost_region}", describe(f)),
                reason: format!("the failover automation runs in {lost_region}: no automated failover while it is down"),
                span: f.origin,
            });
        }
    }
    dependencies.sort_by(|a, b| (a.step, &a.chain).cmp(&(b.step, &b.chain)));
    dependencies.dedup_by(|a, b| a.step == b.step && a.chain == b.chain);
    let step_list: Vec<Step> = steps.keys().copied().collect();
    let breaks = dependencies
        .iter()
        .filter(|d| d.impact == Impact::Breaks)
        .count();
    let degrades = dependencies.len() - breaks;
    let summary = if breaks == 0 {
        let mut s = format!(
            "loss of {lost_region}: recovery path intact, {} steps",
            step_list.len()
        );
        if degrades > 0 {
            s.push_str(&format!(", {degrades} degraded"));
        }
        s
    } else {
        format!(
            "loss of {lost_region}: {breaks} recovery-path dependenc{} on {lost_region}",
            if breaks == 1 { "y" } else { "ies" }
        )
    };
    RegionLoss {
        side: lost.as_str(),
        lost: lost_region,
        survivor: survivor_region,
        steps: step_list,
        dependencies,
        summary,
    }
}

/// A node in a chain: `function `ingest-…` (us-west-2)`.
fn describe(n: &Node) -> String {
    format!(
        "{} `{}` ({})",
        n.kind.kind_name().replace('_', " "),
        n.name,
        n.region
    )
}

/// How losing something `step` needs affects it: backups and replication
/// degrade (the survivor keeps serving), the rest of the recovery path breaks.
fn impact(step: Step) -> Impact {
    match step {
        Step::Backup | Step::Replicate => Impact::Degrades,
        _ => Impact::Breaks,
    }
}

/// A step with nothing in the surviving region to carry it.
fn missing(graph: &Graph, step: Step, start: &str, lost_region: &str, lost: Role) -> Dependency {
    let (impact, reason) = match step {
        Step::Backup => (
            Impact::Degrades,
            format!("no backup plan runs in the surviving region: nothing backs up the promoted stores while {lost_region} is down"),
        ),
        Step::Alert => (
            Impact::Breaks,
            "no alert topic in the surviving region".to_string(),
        ),
        _ => (
            Impact::Breaks,
            format!("nothing in the surviving region carries this step; it runs in {lost_region}"),
        ),
    };
    // The declarations of the lost side's nodes of the same step, if any.
    let span = graph
        .nodes
        .iter()
        .filter(|n| n.role == lost)
        .find(|n| match step {
            Step::Backup => matches!(n.kind, NodeKind::BackupPlan(_)),
            Step::Alert => matches!(n.kind, NodeKind::Topic(_)),
            _ => false,
        })
        .and_then(|n| n.origin);
    Dependency {
        step,
        impact,
        chain: format!("{start} → {lost_region}"),
        reason,
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_named_as_whole_tokens() {
        assert!(names_region("arn:aws:sqs:us-east-1:1:q", "us-east-1"));
        assert!(names_region(
            "secretsmanager.us-east-1.amazonaws.com",
            "us-east-1"
        ));
        assert!(!names_region("us-east-10", "us-east-1"));
        assert!(!names_region("xus-east-1", "us-east-1"));
    }

    #[test]
    fn route53_and_iam_writes_call_the_global_control_plane() {
        assert!(global_control_plane("route53:ChangeResourceRecordSets").is_some());
        assert!(global_control_plane("route53:GetHealthCheckStatus").is_none());
        assert!(global_control_plane("iam:PassRole").is_none());
        assert!(global_control_plane("rds:FailoverGlobalCluster").is_none());
    }

    #[test]
    fn the_region_switch_path_runs_from_the_secondary() {
        let m = crate::checks::testing::reference();
        let g = crate::lower::lower(&m).graph;
        let loss = simulate(&g, Role::Primary);
        for step in [Step::Detect, Step::Decide, Step::Promote] {
            assert!(loss.steps.contains(&step), "{:?}", loss.steps);
            assert!(
                !loss.dependencies.iter().any(|d| d.step == step),
                "{:#?}",
                loss.dependencies
            );
        }
        let entries = entries(&g, Role::Secondary);
        assert!(entries[&Step::Promote]
            .iter()
            .all(|n| matches!(n.kind, NodeKind::RegionSwitchPlan(_))));
        assert!(entries[&Step::Decide]
            .iter()
            .any(|n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::Starter)));
        // Without the secondary, the starter is gone: no automated failover, degraded.
        let loss = simulate(&g, Role::Secondary);
        assert!(loss
            .dependencies
            .iter()
            .any(|d| d.step == Step::Promote && d.impact == Impact::Degrades));
    }

    #[test]
    fn region_switch_executions_use_the_data_plane() {
        assert!(global_control_plane("arc-region-switch:StartPlanExecution").is_none());
        assert!(global_control_plane("arc-region-switch:ListPlanExecutions").is_none());
        assert!(global_control_plane("arc-region-switch:UpdatePlan").is_some());
        assert!(global_control_plane("arc-region-switch:CreatePlan").is_some());
    }
}
