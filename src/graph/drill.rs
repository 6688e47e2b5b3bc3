//! The region-loss drill (R37): an AWS FIS experiment template in the primary
//! region (`AWS::FIS::ExperimentTemplate`, `aws_fis_experiment_template`).

use super::{Derived, NodeId, Value};

/// An AWS FIS experiment template that rehearses the loss of the primary
/// region as far as FIS can. Its `Name` tag is [`super::Node::name`]; FIS
/// gives it an id (`EXT…`), the backends' output.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillTemplate {
    /// The experiment role ([`super::IamRole`] node) FIS assumes.
    pub role: NodeId,
    /// The encrypted [`super::LogGroup`] the experiment logs to (schema version 2).
    pub log_group: NodeId,
    /// The encrypted [`super::Bucket`] experiment reports are written to.
    pub report_bucket: NodeId,
    /// The key prefix of the reports in [`DrillTemplate::report_bucket`].
    pub report_prefix: String,
    /// How long each action lasts, in seconds (FIS: 1 minute to 12 hours).
    pub duration_secs: Derived<u64>,
    /// The actions, all starting together.
    pub actions: Vec<DrillAction>,
    /// The targets the actions name.
    pub targets: Vec<DrillTarget>,
    /// The site's alarms in the primary region that stop the experiment;
    /// empty: no stop condition (FIS source `none`).
    pub stop_alarms: Vec<StopAlarm>,
    /// `EmptyTargetResolutionMode`: `fail`, so a drill whose targets vanished
    /// fails instead of rehearsing less than it says.
    pub empty_target_resolution: String,
}

/// One FIS action of a [`DrillTemplate`].
#[derive(Debug, Clone, PartialEq)]
pub struct DrillAction {
    /// The action's name in the template, e.g. `disrupt-cross-region-routes`.
    pub name: String,
    /// The FIS action id, e.g. `aws:network:route-table-disrupt-cross-region-connectivity`.
    pub action_id: String,
    pub description: String,
    /// Parameters (name, value), sorted; `duration` is ISO 8601.
    pub parameters: Vec<(String, String)>,
    /// The action's target key (`Subnets`, `Buckets`, `Tables`) and the
    /// [`DrillTarget::name`] it names.
    pub target: (String, String),
}

/// One target of a [`DrillTemplate`], selecting all the resources it resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillTarget {
    /// The target's name in the template, e.g. `primary-subnets`.
    pub name: String,
    /// The FIS resource type, e.g. `aws:ec2:subnet`.
    pub resource_type: String,
    pub selection: TargetSelection,
    /// The nodes the target selects (the VPC of the subnets, the buckets, the
    /// tables), for the picture and the README.
    pub nodes: Vec<NodeId>,
}

/// How a [`DrillTarget`] finds its resources.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetSelection {
    /// Exactly these resources.
    Arns(Vec<Value>),
    /// Every resource carrying all these tags (the only selection
    /// `aws:s3:bucket-pause-replication` supports).
    Tags(Vec<(String, String)>),
}

/// A stop condition: one of the site's CloudWatch alarms.
#[derive(Debug, Clone, PartialEq)]
pub struct StopAlarm {
    /// The alarm node.
    pub alarm: NodeId,
    /// Its ARN.
    pub arn: Value,
}
