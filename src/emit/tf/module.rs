//! The Terraform module being built: one JSON document per file (area),
//! each with resources, data sources and outputs keyed by type and name.
//!
//! Documents are `serde_json` maps, which keep keys sorted, so the output
//! does not depend on the order in which resources are added.

use super::expr::provider;
use super::Error;
use crate::graph::Role;
use crate::graph::Tags;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// Which file a block goes into. The order is the order of the files in
/// listings; every file is `<name>.tf.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    /// `terraform`, `provider` and the data sources every area shares.
    Providers,
    Keys,
    Network,
    Database,
    Storage,
    Iam,
    Functions,
    Backup,
    Dns,
    Monitoring,
    RegionSwitch,
    Drill,
    Outputs,
}

impl Area {
    /// The file name, e.g. `network.tf.json`.
    pub fn file_name(self) -> &'static str {
        match self {
            Area::Providers => "providers.tf.json",
            Area::Keys => "keys.tf.json",
            Area::Network => "network.tf.json",
            Area::Database => "database.tf.json",
            Area::Storage => "storage.tf.json",
            Area::Iam => "iam.tf.json",
            Area::Functions => "functions.tf.json",
            Area::Backup => "backup.tf.json",
            Area::Dns => "dns.tf.json",
            Area::Monitoring => "monitoring.tf.json",
            Area::RegionSwitch => "region_switch.tf.json",
            Area::Drill => "drill.tf.json",
            Area::Outputs => "outputs.tf.json",
        }
    }

    /// What the file holds, for its `"//"` comment.
    pub fn about(self) -> &'static str {
        match self {
            Area::Providers => "Terraform and AWS provider settings (one aliased provider per region) and shared data sources",
            Area::Keys => "customer-managed KMS keys and aliases, one per region (R8, R21, R22)",
            Area::Network => "VPCs, private subnets, route tables, security groups, VPC endpoints and the cross-region peering (R26)",
            Area::Database => "the Aurora global database and its member clusters (R5, R6, R23, R24, R27)",
            Area::Storage => "the DynamoDB global tables and S3 buckets with cross-region replication (R7, R9, R23, R25)",
            Area::Iam => "least-privilege IAM roles and their inline policies (R11)",
            Area::Functions => "Lambda functions, their log groups and dead-letter queues (R6, R10)",
            Area::Backup => "AWS Backup vaults, plans, selections and region settings (R12-R14, R28)",
            Area::Dns => "Route 53 health checks and the failover or weighted records (R15-R17)",
            Area::Monitoring => "SNS alert topics, EventBridge rules, CloudWatch alarms and the dashboard (R18-R20)",
            Area::RegionSwitch => "the AWS ARC Region switch plan, the failover engine (R6, R38); its control plane is in us-east-1",
            Area::Drill => "the region-loss drill: an AWS FIS experiment template in the primary region (R37)",
            Area::Outputs => "endpoints and ARNs needed after apply",
        }
    }
}

/// A Terraform module under construction.
#[derive(Debug, Default)]
pub struct Module {
    docs: BTreeMap<Area, Map<String, Json>>,
}

impl Module {
    /// The document of `area`, created empty on first use.
    pub fn doc(&mut self, area: Area) -> &mut Map<String, Json> {
        self.docs.entry(area).or_default()
    }

    /// Adds `resource.<ty>.<name>` with `body`, placed in `role`'s provider.
    pub fn resource(
        &mut self,
        area: Area,
        role: Role,
        ty: &str,
        name: &str,
        body: Body,
    ) -> Result<(), Error> {
        self.in_provider(area, role, "resource", ty, name, body)
    }

    /// Adds `data.<ty>.<name>`, placed in `role`'s provider.
    pub fn data(
        &mut self,
        area: Area,
        role: Role,
        ty: &str,
        name: &str,
        body: Body,
    ) -> Result<(), Error> {
        self.in_provider(area, role, "data", ty, name, body)
    }

    /// Adds `ephemeral.<ty>.<name>` (never stored in plan or state), placed
    /// in `role`'s provider.
    pub fn ephemeral(
        &mut self,
        area: Area,
        role: Role,
        ty: &str,
        name: &str,
        body: Body,
    ) -> Result<(), Error> {
        self.in_provider(area, role, "ephemeral", ty, name, body)
    }

    /// Adds `<top>.<ty>.<name>` with `body` and `role`'s provider.
    fn in_provider(
        &mut self,
        area: Area,
        role: Role,
        top: &str,
        ty: &str,
        name: &str,
        body: Body,
    ) -> Result<(), Error> {
        let mut body = body.0;
        body.insert("provider".into(), Json::String(provider(role).into()));
        self.block(area, top, ty, name, Json::Object(body))
    }

    /// Adds `output.<name>`.
    pub fn output(&mut self, name: &str, value: String, description: String) -> Result<(), Error> {
        let mut body = Map::new();
        body.insert("value".into(), Json::String(value));
        body.insert("description".into(), Json::String(description));
        let outputs = self
            .doc(Area::Outputs)
            .entry("output")
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(m) = outputs {
            if m.insert(name.to_string(), Json::Object(body)).is_some() {
                return Err(Error::Duplicate(format!("output.{name}")));
            }
        }
        Ok(())
    }

    fn block(
        &mut self,
        area: Area,
        kind: &str,
        ty: &str,
        name: &str,
        body: Json,
    ) -> Result<(), Error> {
        // A name is unique per type across the whole module, not per file.
        let taken = self.docs.values().any(|d| {
            d.get(kind)
                .and_then(|k| k.get(ty))
                .and_then(|t| t.get(name))
                .is_some()
        });
        if taken {
            return Err(Error::Duplicate(format!("{kind}.{ty}.{name}")));
        }
        let doc = self.doc(area);
        let by_kind = doc.entry(kind).or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(by_type) = by_kind {
            let t = by_type
                .entry(ty)
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(names) = t {
                names.insert(name.to_string(), body);
            }
        }
        Ok(())
    }

    /// The documents, in file order, each with its `"//"` comment.
    pub fn finish(self, header: &str) -> Vec<(Area, Json)> {
        self.docs
            .into_iter()
            .filter(|(_, d)| !d.is_empty())
            .map(|(area, mut d)| {
                d.insert(
                    "//".into(),
                    Json::String(format!("{header} This file: {}.", area.about())),
                );
                (area, Json::Object(d))
            })
            .collect()
    }
}

/// A resource body under construction: `serde_json` map helpers.
#[derive(Debug, Default)]
pub struct Body(pub Map<String, Json>);

impl Body {
    pub fn new() -> Body {
        Body(Map::new())
    }

    /// Sets `key` to a string.
    pub fn s(mut self, key: &str, v: impl Into<String>) -> Body {
        self.0.insert(key.into(), Json::String(v.into()));
        self
    }

    /// Sets `key` to a number.
    pub fn n(mut self, key: &str, v: impl Into<serde_json::Number>) -> Body {
        self.0.insert(key.into(), Json::Number(v.into()));
        self
    }

    /// Sets `key` to a boolean.
    pub fn b(mut self, key: &str, v: bool) -> Body {
        self.0.insert(key.into(), Json::Bool(v));
        self
    }

    /// Sets `key` to any JSON value.
    pub fn v(mut self, key: &str, v: Json) -> Body {
        self.0.insert(key.into(), v);
        self
    }

    /// Sets `key` to a list of strings.
    pub fn list(mut self, key: &str, v: Vec<String>) -> Body {
        self.0.insert(
            key.into(),
            Json::Array(v.into_iter().map(Json::String).collect()),
        );
        self
    }

    /// Sets nested block `key` to one block (the array form, always valid).
    pub fn block(mut self, key: &str, b: Body) -> Body {
        self.0
            .insert(key.into(), Json::Array(vec![Json::Object(b.0)]));
        self
    }

    /// Sets repeated nested block `key` to several blocks.
    pub fn blocks(mut self, key: &str, bs: Vec<Body>) -> Body {
        self.0.insert(
            key.into(),
            Json::Array(bs.into_iter().map(|b| Json::Object(b.0)).collect()),
        );
        self
    }

    /// Sets `tags` (escaped literal values) unless `tags` is empty.
    pub fn tags(self, tags: &Tags) -> Body {
        if tags.is_empty() {
            return self;
        }
        let m: Map<String, Json> = tags
            .iter()
            .map(|(k, v)| (super::expr::escape(k), Json::String(super::expr::escape(v))))
            .collect();
        self.v("tags", Json::Object(m))
    }

    /// `depends_on` addresses (resource type and name, no attribute).
    pub fn depends_on(self, addrs: Vec<String>) -> Body {
        if addrs.is_empty() {
            return self;
        }
        self.list("depends_on", addrs)
    }

    /// The `lifecycle` meta-argument: `prevent_destroy` when `retain`, and
    /// the attributes whose drift is ignored.
    pub fn lifecycle(self, retain: bool, ignore_changes: &[&str]) -> Body {
        let mut l = Map::new();
        if retain {
            l.insert("prevent_destroy".into(), Json::Bool(true));
        }
        if !ignore_changes.is_empty() {
            l.insert(
                "ignore_changes".into(),
                Json::Array(
                    ignore_changes
                        .iter()
                        .map(|s| Json::String(s.to_string()))
                        .collect(),
                ),
            );
        }
        if l.is_empty() {
            return self;
        }
        self.v("lifecycle", Json::Object(l))
    }
}
