//! The Terraform backend: one module in JSON syntax (`*.tf.json`) for the
//! whole site, both regions at once.
//!
//! * `providers.tf.json` declares `hashicorp/aws` 6.x and one aliased
//!   provider configuration per region (`aws.primary`, `aws.secondary`);
//!   every resource and data source names its provider explicitly, so one
//!   `terraform apply` builds both regions and references may cross them
//!   (no stack parameters, unlike CloudFormation).
//! * The other files are split by concern ([`module::Area`]); each starts
//!   with a `"//"` comment naming the source file and the drsc version.
//! * Function code is the same deterministic zip the CloudFormation backend
//!   builds ([`crate::emit::assets`]), written to `assets/<name>.zip` beside
//!   the module and referenced with `filename` and `source_code_hash` in each
//!   region.
//!
//! Resource names are derived from node ids ([`expr::ident`]); a capability
//! the graph models as one node becomes several Terraform resources named
//! after it (`aws_s3_bucket.bucket_documents_primary`,
//! `aws_s3_bucket_versioning.bucket_documents_primary`, ...).
//!
//! Output is deterministic: JSON objects are sorted by key, nothing depends
//! on hash order or on the clock.

mod backup;
mod database;
mod dns;
mod drill;
mod expr;
mod frontdoor;
mod functions;
mod iam;
mod keys;
mod module;
mod monitoring;
mod network;
mod outputs;
mod providers;
mod readme;
mod regionswitch;
mod storage;
mod survivor;

pub use expr::{escape, ident, resource_address};
pub use module::Area;

use super::Output;
use crate::diagnostic::Diagnostic;
use crate::graph::{AccountSetting, Graph, NodeId, NodeKind};
use expr::Exprs;
use module::Module;
use std::collections::BTreeMap;
use std::fmt;

/// The `hashicorp/aws` version constraint: 6.29 added `aws_arcregionswitch_plan`
/// (the provider's CHANGELOG, 6.29.0, 2026-01-28); the offline schema check runs
/// against 6.47.
pub const AWS_PROVIDER_VERSION: &str = "~> 6.29";

/// The Terraform version constraint (JSON `lifecycle`, `for_each` on maps and
/// provider 6.x need 1.x).
/// Write-only arguments (`master_password_wo`, `secret_string_wo`) need
/// Terraform 1.11; 1.11.0 could not serialise ephemeral sensitive values
/// (hashicorp/terraform#36619, fixed in 1.11.1;
/// https://developer.hashicorp.com/terraform/language/manage-sensitive-data/write-only).
pub const TERRAFORM_VERSION: &str = ">= 1.11.1";

/// What the emitter needs besides the graph.
#[derive(Debug, Clone)]
pub struct Options {
    /// The source file as users know it (e.g. `transactions.drs`), named in
    /// every file's `"//"` comment.
    pub source: String,
}

/// Why a graph could not be emitted as Terraform. These are lowering bugs
/// (the graph is inconsistent), not problems of the site; they are reported
/// as DRS0903 rather than emitting a broken module.
#[derive(Debug)]
pub enum Error {
    /// A reference to a node the graph does not have.
    UnknownNode(NodeId),
    /// A reference to an attribute Terraform has no expression for.
    Reference { node: NodeId, attr: String },
    /// Two blocks with the same address.
    Duplicate(String),
    /// A value the plan rules should have rejected (e.g. a rate that is not whole minutes).
    Unexpressible(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownNode(id) => write!(f, "reference to unknown node `{id}`"),
            Error::Reference { node, attr } => {
                write!(f, "no Terraform expression for `{attr}` of `{node}`")
            }
            Error::Duplicate(addr) => write!(f, "two Terraform blocks named `{addr}`"),
            Error::Unexpressible(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for Error {}

/// The state shared by the area emitters.
pub(crate) struct Cx<'g> {
    pub x: Exprs<'g>,
    pub m: Module,
    /// Function code archives by path (`assets/<name>.zip`).
    pub zips: BTreeMap<String, Vec<u8>>,
    /// The packaged code of each function node: archive path and base64 SHA-256.
    pub code: BTreeMap<NodeId, (String, String)>,
}

/// Emits the whole site as one Terraform module: the `*.tf.json` files and
/// the function archives under `assets/`.
pub fn emit(graph: &Graph, options: &Options) -> Result<Output, Vec<Diagnostic>> {
    let mut cx = Cx {
        x: Exprs::new(graph),
        m: Module::default(),
        zips: BTreeMap::new(),
        code: BTreeMap::new(),
    };
    for asset in super::assets(graph)? {
        let path = format!("assets/{}", asset.file);
        for f in &asset.functions {
            cx.code
                .insert(f.clone(), (path.clone(), asset.sha256_base64.clone()));
        }
        cx.zips.insert(path, asset.bytes);
    }
    build(&mut cx, options).map_err(|e| {
        vec![crate::registry::internal(format!(
            "cannot emit Terraform for site `{}`: {e}",
            graph.site.name
        ))]
    })
}

fn build(cx: &mut Cx, options: &Options) -> Result<Output, Error> {
    let graph = cx.x.graph;
    for node in &graph.nodes {
        match &node.kind {
            NodeKind::Key(k) => keys::key(cx, node, k)?,
            NodeKind::Vpc(v) => network::vpc(cx, node, v)?,
            NodeKind::Peering(p) => network::peering(cx, node, p)?,
            NodeKind::SecurityGroup(s) => network::security_group(cx, node, s)?,
            NodeKind::Endpoint(e) => network::endpoint(cx, node, e)?,
            NodeKind::GlobalDatabase(g) => database::global(cx, node, g)?,
            NodeKind::DbCluster(c) => database::cluster(cx, node, c)?,
            NodeKind::Secret(sec) => database::secret(cx, node, sec)?,
            NodeKind::GlobalTable(t) => storage::table(cx, node, t)?,
            NodeKind::Bucket(b) => storage::bucket(cx, node, b)?,
            NodeKind::Role(r) => iam::role(cx, node, r)?,
            NodeKind::LogGroup(l) => functions::log_group(cx, node, l)?,
            NodeKind::Queue(q) => functions::queue(cx, node, q)?,
            NodeKind::Function(f) => functions::function(cx, node, f)?,
            NodeKind::Vault(v) => backup::vault(cx, node, v)?,
            NodeKind::BackupPlan(p) => backup::plan(cx, node, p)?,
            NodeKind::BackupFramework(f) => backup::framework(cx, node, f)?,
            NodeKind::RestoreTestingPlan(p) => backup::restore_testing(cx, node, p)?,
            NodeKind::ReportPlan(r) => backup::report_plan(cx, node, r)?,
            NodeKind::AirGappedVault(v) => backup::air_gapped_vault(cx, node, v)?,
            NodeKind::Topic(t) => monitoring::topic(cx, node, t)?,
            NodeKind::EventRule(e) => monitoring::event_rule(cx, node, e)?,
            NodeKind::Alarm(a) => monitoring::alarm(cx, node, a)?,
            NodeKind::CompositeAlarm(c) => monitoring::composite_alarm(cx, node, c)?,
            NodeKind::Dashboard(d) => monitoring::dashboard(cx, node, d)?,
            NodeKind::HealthCheck(h) => dns::health_check(cx, node, h)?,
            NodeKind::HostedZone(z) => dns::hosted_zone(cx, node, z)?,
            NodeKind::Record(r) => dns::record(cx, node, r)?,
            NodeKind::HttpApi(a) => frontdoor::http_api(cx, node, a)?,
            NodeKind::Certificate(c) => frontdoor::certificate(cx, node, c)?,
            NodeKind::ApiDomain(d) => frontdoor::api_domain(cx, node, d)?,
            NodeKind::AliasRecord(r) => frontdoor::alias_record(cx, node, r)?,
            NodeKind::RegionSwitchPlan(p) => regionswitch::plan(cx, node, p)?,
            NodeKind::DrillTemplate(d) => drill::template(cx, node, d)?,
        }
    }
    for setting in &graph.account_settings {
        match setting {
            AccountSetting::BackupRegionSettings {
                region,
                opt_in,
                full_management,
            } => backup::region_settings(cx, region, opt_in, full_management)?,
            AccountSetting::PeeringDnsResolution { peering } => network::peering_dns(cx, peering)?,
        }
    }
    outputs::emit(cx)?;
    providers::emit(cx)?;

    let header = format!(
        "Generated by drsc {} from {} (site \"{}\"); do not edit.",
        env!("CARGO_PKG_VERSION"),
        options.source,
        graph.site.name
    );
    let mut out = Output::default();
    let mut docs = std::mem::take(&mut cx.m).finish(&header);
    // R35: the failed-over build keeps the surviving region alone; the normal
    // build outputs what that module takes as input.
    survivor::inputs_output(graph, &mut docs);
    if let Some(split) = survivor::failed_over(graph, &mut docs) {
        let mut list = split.removed.join("\n");
        list.push('\n');
        out.add(survivor::ADDRESSES_FILE, list.into_bytes());
    }
    for (area, doc) in docs {
        let mut contents = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        contents.push(b'\n');
        out.add(area.file_name(), contents);
    }
    for (path, zip) in std::mem::take(&mut cx.zips) {
        out.add(path, zip);
    }
    out.add("README.md", readme::render(graph, &options.source));
    Ok(out)
}
