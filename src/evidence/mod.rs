//! The evidence report (issue 13 item 5): one document that maps each
//! objective and compliance requirement of a site to what measures it in
//! production (an AWS Backup Audit Manager control, a restore testing plan, a
//! drill template), the report plan that records it, the regulation clauses
//! it serves (`std/regulations`) and the paper figure `check` computed, so an
//! auditor can set the proof beside the measured figures.
//!
//! Built only from the model, the checked graph (what both backends emit) and
//! the objectives estimate. Every emitted thing is named by its CloudFormation
//! logical ID and template file ([`crate::emit::cfn::logical_id`],
//! [`crate::emit::cfn::stacks::assign`]) and its Terraform address
//! ([`crate::emit::tf::resource_address`]); nothing here re-derives a name.
//!
//! A row whose expected control or resource is missing from the graph is a
//! *gap*: it says what is missing, and `drsc evidence` exits 1 while there is
//! one.

mod json;
mod markdown;

pub use json::to_json;
pub use markdown::render as to_markdown;

use crate::emit::cfn::{logical_id, stacks};
use crate::emit::tf::resource_address;
use crate::graph::{Builtin, Code, Graph, Node, NodeId, NodeKind, Role};
use crate::model::Model;
use crate::objectives::{Objectives, Term};
use serde::Serialize;
use std::collections::BTreeMap;

/// The report of one site.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub site: String,
    pub environment: String,
    /// `region (primary)`, `region (secondary)`.
    pub regions: Vec<RegionSummary>,
    pub rows: Vec<Row>,
    /// How many rows are gaps.
    pub gaps: usize,
    /// The clauses of `std/regulations`.
    pub clauses: Vec<Clause>,
    /// What the organisation must do itself.
    pub outside: Vec<Outside>,
}

/// The controls drsc emits in one region.
#[derive(Debug, Clone, Serialize)]
pub struct RegionSummary {
    pub region: String,
    /// `primary` or `secondary`.
    pub role: &'static str,
    /// Audit Manager controls of the region's framework(s).
    pub controls: usize,
    /// Report plans of the region.
    pub report_plans: usize,
}

/// A regulation clause.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    pub clause: String,
    pub title: String,
    pub source: String,
}

/// One objective or requirement and its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Stable identifier, e.g. `rpo/ledger`, `backup_frequency`.
    pub id: String,
    /// The evidence kind (`std/regulations` `evidence` values).
    pub kind: &'static str,
    /// The objective or requirement, in words.
    pub requirement: String,
    /// How production measures it, in words.
    pub measured_by: String,
    /// The controls that measure it (Audit Manager controls, one per region).
    pub controls: Vec<Emitted>,
    /// The resources that carry it out (backup plans, vaults, restore testing
    /// plans, validation function, drill template, Region switch plan).
    pub mechanisms: Vec<Emitted>,
    /// The report plans that record the measurement.
    pub reports: Vec<Emitted>,
    /// Clauses served (from `std/regulations`).
    pub clauses: Vec<String>,
    /// What `check` computed on paper, when the row has a figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paper: Option<Paper>,
    /// `evidenced` or `gap`.
    pub status: &'static str,
    /// What is missing (empty unless `status` is `gap`).
    pub missing: Vec<String>,
}

/// One emitted resource, named in both backends.
#[derive(Debug, Clone, Serialize)]
pub struct Emitted {
    /// The graph node.
    pub node: String,
    pub region: String,
    /// The physical name.
    pub name: String,
    /// The Audit Manager control name, the report template, or the kind of resource.
    pub what: String,
    /// Control parameters, as AWS reads them (empty for resources).
    pub parameters: BTreeMap<String, String>,
    pub cloudformation: CfnName,
    /// The Terraform resource address.
    pub terraform: String,
}

/// Where a resource is in the CloudFormation output.
#[derive(Debug, Clone, Serialize)]
pub struct CfnName {
    /// The template file, e.g. `primary.json`.
    pub template: String,
    pub logical_id: String,
}

/// The paper figure of a row.
#[derive(Debug, Clone, Serialize)]
pub struct Paper {
    /// The objective as the site states it, e.g. `5m`.
    pub objective: String,
    /// The estimate, e.g. `1h 5m`, or the check's result in words.
    pub estimate: String,
    pub meets: bool,
    /// The addends, `name = display (certainty)`.
    pub terms: Vec<String>,
}

/// Something an auditor needs that drsc does not produce.
#[derive(Debug, Clone, Serialize)]
pub struct Outside {
    pub topic: &'static str,
    pub why: &'static str,
}

/// What stays outside drsc, for every site.
pub const OUTSIDE: &[Outside] = &[
    Outside {
        topic: "Board and senior management review of test results",
        why: "drsc schedules restore tests and emits the drill; the management body's review of their results, the decisions taken and their minutes are the organisation's (FFIEC BCM II.A, board and senior management responsibilities).",
    },
    Outside {
        topic: "The business continuity and backup policy",
        why: "drsc takes the RPO, RTO, frequency and retention as given; setting them from a business impact analysis, approving and reviewing them is the organisation's policy work.",
    },
    Outside {
        topic: "Running the drill and judging it",
        why: "drsc emits the FIS experiment template and its report bucket; starting experiments, on a schedule the organisation sets, and evaluating their reports are operations.",
    },
    Outside {
        topic: "Third-party and cloud provider oversight",
        why: "AWS's own resilience (its SLAs, the register of third-party arrangements and the contractual terms DORA asks for, the provider's audit reports) is not measured by anything drsc emits.",
    },
    Outside {
        topic: "Evidence retention beyond the evidence bucket's lock",
        why: "reports are kept for the bucket's Object Lock period; keeping them longer, and keeping the records of people and processes (tickets, approvals, communications), is the organisation's records policy.",
    },
    Outside {
        topic: "Application-level restore validation",
        why: "the restore validation function checks that a restored resource is available and answers a read or listing (Aurora: the cluster is available, no SQL); whether the data is correct for the business is the application owner's test.",
    },
    Outside {
        topic: "Incident classification, reporting and communication",
        why: "drsc's alarms notify topics; classifying incidents, notifying supervisors and clients and crisis communication are outside the site.",
    },
];

/// Builds the report from the checked site.
pub fn build(model: &Model, graph: &Graph, objectives: &Objectives) -> Evidence {
    let cx = Cx::new(model, graph);
    let mut rows = Vec::new();
    for s in &objectives.stores {
        rows.push(rpo_row(&cx, objectives, s));
    }
    rows.push(rto_row(&cx, objectives));
    for spec in CONTROL_ROWS {
        rows.push(control_row(&cx, spec));
    }
    rows.push(isolated_row(&cx, objectives));
    rows.push(restore_row(&cx));
    rows.push(drill_row(&cx));
    rows.push(region_loss_row(&cx, objectives));
    for r in &mut rows {
        r.clauses = cx.clauses(r.kind);
        r.status = if r.missing.is_empty() {
            "evidenced"
        } else {
            "gap"
        };
    }
    let gaps = rows.iter().filter(|r| r.status == "gap").count();
    let regions = Role::BOTH
        .iter()
        .map(|&role| RegionSummary {
            region: graph.site.region(role).to_string(),
            role: role.as_str(),
            controls: cx
                .frameworks(role)
                .iter()
                .map(|(_, f)| f.controls.len())
                .sum(),
            report_plans: cx.report_plans(role, None).len(),
        })
        .collect();
    Evidence {
        site: graph.site.name.clone(),
        environment: graph.site.environment.clone(),
        regions,
        rows,
        gaps,
        clauses: model
            .catalog
            .regulations
            .iter()
            .map(|r| Clause {
                clause: r.clause.clone(),
                title: r.title.clone(),
                source: r.source.clone(),
            })
            .collect(),
        outside: OUTSIDE.to_vec(),
    }
}

struct Cx<'a> {
    model: &'a Model,
    graph: &'a Graph,
    stacks: BTreeMap<NodeId, stacks::Stack>,
}

impl<'a> Cx<'a> {
    fn new(model: &'a Model, graph: &'a Graph) -> Cx<'a> {
        Cx {
            model,
            graph,
            stacks: stacks::assign(graph),
        }
    }

    fn clauses(&self, kind: &str) -> Vec<String> {
        self.model
            .catalog
            .regulations
            .iter()
            .filter(|r| r.evidence.iter().any(|e| e == kind))
            .map(|r| r.clause.clone())
            .collect()
    }

    fn emitted(&self, n: &Node, what: String, parameters: BTreeMap<String, String>) -> Emitted {
        let template = self
            .stacks
            .get(&n.id)
            .map_or_else(String::new, |s| s.file(self.graph));
        Emitted {
            node: n.id.to_string(),
            region: n.region.clone(),
            name: n.name.clone(),
            what,
            parameters,
            cloudformation: CfnName {
                template,
                logical_id: logical_id(&n.id),
            },
            terraform: resource_address(self.graph, &n.id).unwrap_or_default(),
        }
    }

    /// A resource with the settings an auditor compares with the paper figures.
    fn resource(&self, n: &Node) -> Emitted {
        let mut p = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            p.insert(k.to_string(), v);
        };
        match &n.kind {
            NodeKind::RegionSwitchPlan(r) => {
                put(
                    "RecoveryTimeObjectiveMinutes",
                    r.rto_minutes.value.to_string(),
                );
            }
            NodeKind::RestoreTestingPlan(r) => {
                put("ScheduleExpression", r.schedule.value.clone());
                put(
                    "SelectionWindowDays",
                    r.selection_window_days.value.to_string(),
                );
                let types: Vec<&str> = r
                    .selections
                    .iter()
                    .map(|s| s.resource_type.as_str())
                    .collect();
                put("selections", types.join(", "));
            }
            NodeKind::DrillTemplate(d) => {
                put("duration", crate::objectives::pretty(d.duration_secs.value));
                put("actions", d.actions.len().to_string());
                put("stop_conditions", d.stop_alarms.len().to_string());
            }
            NodeKind::Vault(v) => {
                if let Some(l) = &v.lock {
                    put("MinRetentionDays", l.min_retention_days.value.to_string());
                    put("MaxRetentionDays", l.max_retention_days.value.to_string());
                    put(
                        "lock_mode",
                        if l.changeable_for_days.is_some() {
                            "compliance"
                        } else {
                            "governance"
                        }
                        .into(),
                    );
                }
                put(
                    "manual_deletion_denied",
                    (!v.access_policy.is_empty()).to_string(),
                );
            }
            NodeKind::AirGappedVault(v) => {
                put("MinRetentionDays", v.min_retention_days.value.to_string());
                put("MaxRetentionDays", v.max_retention_days.value.to_string());
            }
            NodeKind::BackupPlan(b) => {
                let rules: Vec<String> = b.rules.iter().map(|r| r.schedule.value.clone()).collect();
                put("schedules", rules.join(", "));
            }
            _ => {}
        }
        self.emitted(n, n.kind.kind_name().to_string(), p)
    }

    fn frameworks(&self, role: Role) -> Vec<(&'a Node, &'a crate::graph::BackupFramework)> {
        self.graph
            .nodes
            .iter()
            .filter(|n| n.role == role)
            .filter_map(|n| match &n.kind {
                NodeKind::BackupFramework(f) => Some((n, f)),
                _ => None,
            })
            .collect()
    }

    /// The roles whose region has a backup plan (where a framework is expected).
    fn backed_up_roles(&self) -> Vec<Role> {
        Role::BOTH
            .into_iter()
            .filter(|&r| {
                self.graph
                    .nodes
                    .iter()
                    .any(|n| n.role == r && matches!(n.kind, NodeKind::BackupPlan(_)))
            })
            .collect()
    }

    /// The control `name` in each region that has backups; missing ones are
    /// pushed onto `missing`.
    fn control(&self, name: &str, missing: &mut Vec<String>) -> Vec<Emitted> {
        let mut out = Vec::new();
        let roles = self.backed_up_roles();
        if roles.is_empty() {
            missing.push("no backup plan, so no AWS Backup Audit Manager framework".into());
        }
        for role in roles {
            let region = self.graph.site.region(role);
            let fws = self.frameworks(role);
            let found: Vec<_> = fws
                .iter()
                .filter_map(|(n, f)| f.controls.iter().find(|c| c.name == name).map(|c| (n, c)))
                .collect();
            if fws.is_empty() {
                missing.push(format!("no Audit Manager framework in {region}"));
            } else if found.is_empty() {
                let why = fws
                    .iter()
                    .flat_map(|(_, f)| f.inexpressible.iter())
                    .find(|(c, _)| *c == name)
                    .map_or_else(String::new, |(_, b)| {
                        format!(
                            " (its bound, {}, is not a parameter AWS accepts)",
                            crate::objectives::pretty(b.value)
                        )
                    });
                missing.push(format!("control `{name}` in {region}{why}"));
            }
            for (n, c) in found {
                let mut params: BTreeMap<String, String> = c
                    .parameters
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), v.value.clone()))
                    .collect();
                if !c.resource_types.is_empty() {
                    params.insert("scope".into(), c.resource_types.join(", "));
                }
                out.push(self.emitted(n, name.to_string(), params));
            }
        }
        out
    }

    /// Report plans of `role` (`None`: both) with `template` (`None`: any).
    fn report_plans(&self, role: Role, template: Option<&str>) -> Vec<&'a Node> {
        self.graph
            .nodes
            .iter()
            .filter(|n| n.role == role)
            .filter(|n| match &n.kind {
                NodeKind::ReportPlan(r) => template.is_none_or(|t| r.template == t),
                _ => false,
            })
            .collect()
    }

    /// The `template` report plans in each region with backups; missing ones
    /// are pushed onto `missing`.
    fn reports(&self, template: &str, missing: &mut Vec<String>) -> Vec<Emitted> {
        let mut out = Vec::new();
        for role in self.backed_up_roles() {
            let plans = self.report_plans(role, Some(template));
            if plans.is_empty() {
                missing.push(format!(
                    "report plan `{template}` in {}",
                    self.graph.site.region(role)
                ));
            }
            out.extend(
                plans
                    .into_iter()
                    .map(|n| self.emitted(n, template.to_string(), BTreeMap::new())),
            );
        }
        out
    }

    fn nodes_where(&self, f: impl Fn(&NodeKind) -> bool) -> Vec<Emitted> {
        self.graph
            .nodes
            .iter()
            .filter(|n| f(&n.kind))
            .map(|n| self.resource(n))
            .collect()
    }
}

fn paper_terms(terms: &[Term]) -> Vec<String> {
    terms
        .iter()
        .map(|t| {
            format!(
                "{} = {} ({})",
                t.name,
                t.display,
                match t.certainty {
                    crate::objectives::Certainty::Exact => "exact",
                    crate::objectives::Certainty::Typical => "typical",
                    crate::objectives::Certainty::Unknown => "unknown",
                }
            )
        })
        .collect()
}

fn row(id: String, kind: &'static str, requirement: String, measured_by: String) -> Row {
    Row {
        id,
        kind,
        requirement,
        measured_by,
        controls: Vec::new(),
        mechanisms: Vec::new(),
        reports: Vec::new(),
        clauses: Vec::new(),
        paper: None,
        status: "evidenced",
        missing: Vec::new(),
    }
}

fn rpo_row(cx: &Cx, o: &Objectives, s: &crate::objectives::StoreRecovery) -> Row {
    let mut r = row(
        format!("rpo/{}", s.store),
        "rpo",
        format!("RPO {} for `{}`", o.rpo.display, s.store),
        format!(
            "{}; in production the age of the latest recovery point, and the daily control-compliance report",
            s.mechanism
        ),
    );
    r.controls = cx.control("BACKUP_LAST_RECOVERY_POINT_CREATED", &mut r.missing);
    r.mechanisms = cx
        .graph
        .nodes
        .iter()
        .filter(|n| n.id.as_str().split('/').nth(1) == Some(s.store.as_str()))
        .filter(|n| {
            matches!(
                n.kind,
                NodeKind::GlobalDatabase(_) | NodeKind::GlobalTable(_) | NodeKind::Bucket(_)
            )
        })
        .map(|n| cx.resource(n))
        .collect();
    r.mechanisms
        .extend(cx.nodes_where(|k| matches!(k, NodeKind::BackupPlan(_))));
    r.reports = cx.reports("CONTROL_COMPLIANCE_REPORT", &mut r.missing);
    r.paper = Some(Paper {
        objective: o.rpo.display.clone(),
        estimate: s.display.clone(),
        meets: s.meets_rpo,
        terms: paper_terms(&s.terms),
    });
    r
}

fn is_validation(k: &NodeKind) -> bool {
    matches!(k, NodeKind::Function(f) if f.code == Code::Builtin(Builtin::RestoreValidation))
}

fn rto_row(cx: &Cx, o: &Objectives) -> Row {
    let mut r = row(
        "rto".into(),
        "rto",
        format!("RTO {}", o.rto.display),
        format!(
            "{}; in production the restore time of restore jobs against the target, restore tests with validation, and the Region switch plan's own recovery time objective",
            o.recovery_time.path
        ),
    );
    r.controls = cx.control("RESTORE_TIME_FOR_RESOURCES_MEET_TARGET", &mut r.missing);
    r.mechanisms = cx.nodes_where(|k| {
        matches!(
            k,
            NodeKind::RegionSwitchPlan(_)
                | NodeKind::RestoreTestingPlan(_)
                | NodeKind::DrillTemplate(_)
        ) || is_validation(k)
    });
    if !r
        .mechanisms
        .iter()
        .any(|m| m.what == "restore_testing_plan")
    {
        r.missing.push("a restore testing plan".into());
    }
    r.reports = cx.reports("RESTORE_JOB_REPORT", &mut r.missing);
    for n in &cx.graph.nodes {
        if let NodeKind::RegionSwitchPlan(p) = &n.kind {
            if let Some(b) = cx.graph.get(&p.report_bucket) {
                r.reports.push(cx.emitted(
                    b,
                    format!("Region switch execution reports (s3://{}/)", b.name),
                    BTreeMap::new(),
                ));
            }
        }
    }
    r.paper = Some(Paper {
        objective: o.rto.display.clone(),
        estimate: o.recovery_time.display.clone(),
        meets: o.recovery_time.meets_rto,
        terms: paper_terms(&o.recovery_time.terms),
    });
    r
}

/// A requirement measured by one Audit Manager control.
struct ControlRow {
    kind: &'static str,
    control: &'static str,
    requirement: &'static str,
    measured_by: &'static str,
    report: &'static str,
    /// Also list the vaults (lock, access policy).
    vaults: bool,
}

const CONTROL_ROWS: &[ControlRow] = &[
    ControlRow {
        kind: "backup_coverage",
        control: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
        requirement: "Every store is covered by a backup plan",
        measured_by: "AWS Config evaluates each store against the backup plans' selections",
        report: "BACKUP_JOB_REPORT",
        vaults: false,
    },
    ControlRow {
        kind: "backup_frequency",
        control: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
        requirement: "Backups at least as often, and kept at least as long, as the site and profile require",
        measured_by: "AWS Config evaluates each backup plan's rules against the required frequency and retention",
        report: "CONTROL_COMPLIANCE_REPORT",
        vaults: false,
    },
    ControlRow {
        kind: "backup_retention",
        control: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
        requirement: "Every recovery point is kept at least the required retention",
        measured_by: "AWS Config evaluates each recovery point's retention",
        report: "CONTROL_COMPLIANCE_REPORT",
        vaults: false,
    },
    ControlRow {
        kind: "vault_lock",
        control: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
        requirement: "Recovery points are in a vault under Vault Lock (WORM)",
        measured_by: "AWS Config evaluates whether each store's recovery points are in a locked vault",
        report: "CONTROL_COMPLIANCE_REPORT",
        vaults: true,
    },
    ControlRow {
        kind: "encryption",
        control: "BACKUP_RECOVERY_POINT_ENCRYPTED",
        requirement: "Every recovery point is encrypted",
        measured_by: "AWS Config evaluates each recovery point's encryption",
        report: "CONTROL_COMPLIANCE_REPORT",
        vaults: false,
    },
    ControlRow {
        kind: "cross_region",
        control: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
        requirement: "Recovery points are copied to the other region",
        measured_by: "AWS Config evaluates whether each store has a recovery point in the other region; the copy job report lists every copy",
        report: "COPY_JOB_REPORT",
        vaults: false,
    },
    ControlRow {
        kind: "manual_deletion",
        control: "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
        requirement: "No one can delete recovery points by hand",
        measured_by: "AWS Config evaluates each vault's access policy; drsc's vault policy denies manual deletion",
        report: "CONTROL_COMPLIANCE_REPORT",
        vaults: true,
    },
];

fn control_row(cx: &Cx, spec: &ControlRow) -> Row {
    let mut r = row(
        spec.kind.into(),
        spec.kind,
        spec.requirement.into(),
        spec.measured_by.into(),
    );
    r.controls = cx.control(spec.control, &mut r.missing);
    if spec.vaults {
        r.mechanisms = cx.nodes_where(|k| matches!(k, NodeKind::Vault(_)));
    } else {
        r.mechanisms = cx.nodes_where(|k| matches!(k, NodeKind::BackupPlan(_)));
    }
    r.reports = cx.reports(spec.report, &mut r.missing);
    r
}

fn isolated_row(cx: &Cx, o: &Objectives) -> Row {
    let mut r = row(
        "isolated_copy".into(),
        "isolated_copy",
        "An isolated copy of every store's recovery points (ransomware tier)".into(),
        "copy jobs to the isolated vault, listed in the copy job report".into(),
    );
    let rules: Vec<_> = cx
        .graph
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::BackupPlan(p) => Some((n, p)),
            _ => None,
        })
        .collect();
    r.mechanisms = cx.nodes_where(|k| matches!(k, NodeKind::AirGappedVault(_)));
    for (n, p) in &rules {
        if p.rules.iter().any(|rule| rule.isolated_copy.is_some()) {
            r.mechanisms.push(cx.emitted(
                n,
                "backup_plan (isolated copy action)".into(),
                BTreeMap::new(),
            ));
        }
    }
    if r.mechanisms.is_empty() {
        r.missing.push(
            "no backup plan keeps an isolated copy (`isolated_copy = true` or `isolated_vault`)"
                .into(),
        );
    }
    r.reports = cx.reports("COPY_JOB_REPORT", &mut r.missing);
    let copies: Vec<String> = o
        .stores
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s.store,
                s.isolated_copy.as_deref().unwrap_or("none")
            )
        })
        .collect();
    r.paper = Some(Paper {
        objective: "every store".into(),
        estimate: copies.join("; "),
        meets: o.stores.iter().all(|s| s.isolated_copy.is_some()),
        terms: Vec::new(),
    });
    r
}

fn restore_row(cx: &Cx) -> Row {
    let mut r = row(
        "restore_testing".into(),
        "restore_testing",
        "Restores are tested periodically and their results validated".into(),
        "AWS Backup restore testing restores the latest recovery points on schedule; drsc's validation function reports each restore's validation status; the restore job report lists every restore".into(),
    );
    r.mechanisms =
        cx.nodes_where(|k| matches!(k, NodeKind::RestoreTestingPlan(_)) || is_validation(k));
    if !r
        .mechanisms
        .iter()
        .any(|m| m.what == "restore_testing_plan")
    {
        r.missing.push("a restore testing plan".into());
    }
    if !r.mechanisms.iter().any(|m| m.what == "function") {
        r.missing.push("the restore validation function".into());
    }
    r.reports = cx.reports("RESTORE_JOB_REPORT", &mut r.missing);
    r
}

fn drill_row(cx: &Cx) -> Row {
    let mut r = row(
        "drill".into(),
        "drill",
        "The loss of the primary region is rehearsed".into(),
        "an AWS FIS experiment template that disrupts the primary's network and pauses replication, stopped by the site's alarms; each experiment's report goes to the drill report bucket".into(),
    );
    for n in &cx.graph.nodes {
        if let NodeKind::DrillTemplate(d) = &n.kind {
            r.mechanisms.push(cx.resource(n));
            if let Some(b) = cx.graph.get(&d.report_bucket) {
                r.reports.push(cx.emitted(
                    b,
                    format!(
                        "FIS experiment reports (s3://{}/{})",
                        b.name, d.report_prefix
                    ),
                    BTreeMap::new(),
                ));
            }
        }
    }
    if r.mechanisms.is_empty() {
        r.missing.push("no drill template (`drill` block)".into());
    }
    r
}

fn region_loss_row(cx: &Cx, o: &Objectives) -> Row {
    let mut r = row(
        "region_loss".into(),
        "region_loss",
        "The recovery path survives the loss of either region (R31, R32)".into(),
        "on paper, the region-loss simulation of `check` (DRS0410); in production, the drill"
            .into(),
    );
    r.mechanisms = cx.nodes_where(|k| matches!(k, NodeKind::DrillTemplate(_)));
    let summaries: Vec<String> = o.region_loss.iter().map(|l| l.summary.clone()).collect();
    let intact = o.region_loss.iter().all(|l| l.intact());
    if !intact {
        for l in o.region_loss.iter().filter(|l| !l.intact()) {
            r.missing
                .push(format!("the recovery path breaks: {}", l.summary));
        }
    }
    r.paper = Some(Paper {
        objective: "recovery path intact".into(),
        estimate: summaries.join("; "),
        meets: intact,
        terms: Vec::new(),
    });
    r
}
