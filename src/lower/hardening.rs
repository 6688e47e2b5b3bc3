//! Hardening that holds for every resource of a type, whichever area created
//! it (issue 14): runs after the area modules and before [`super::keys`], so
//! every store, network and database they lowered gets it, and the key
//! policies see the log groups created here.
//!
//! * S3 server access logging of every bucket to a dedicated access-log
//!   bucket per region (SSE-S3, versioned, private, TLS-only, expiring after
//!   the site's `log_retention`);
//! * VPC flow logs (all traffic) of every VPC to an encrypted log group, and
//!   the default security group stripped of its rules;
//! * Aurora: the `postgresql` log export into a log group created encrypted
//!   with the site's retention, Enhanced Monitoring with its role, audit
//!   settings (pgAudit) in the cluster parameter group.
//!
//! Lambda tracing is set where functions are built ([`super::compute::parts`]
//! adds the X-Ray statements to every execution role).

use super::{KeyUser, Lower};
use crate::graph::{
    AccessLogs, Bucket, Derived, EnhancedMonitoring, FlowLogs, IamRole, LogGroup, NodeId, NodeKind,
    Principal, Protection, Statement, Value,
};
use crate::model::Role;

/// Seconds between Enhanced Monitoring samples: drsc's choice, the longest
/// interval RDS offers (1, 5, 10, 15, 30 or 60 seconds,
/// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Monitoring.OS.Enabling.html),
/// enough for the OS metrics auditors ask for.
const MONITORING_INTERVAL_SECS: u32 = 60;

/// Days a log bucket keeps a log object's noncurrent version once the object
/// expired: the expiration itself is the retention, so one day.
const LOG_NONCURRENT_DAYS: u32 = 1;

/// The AWS managed policy of the Enhanced Monitoring role.
const RDS_MONITORING_POLICY: &str = ":iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

/// pgAudit and connection logging in every cluster parameter group
/// (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Appendix.PostgreSQL.CommonDBATasks.pgaudit.html,
/// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Reference.ParameterGroups.html).
/// `pg_stat_statements` is Aurora PostgreSQL's default preload and stays.
pub(crate) const AUDIT_PARAMETERS: [(&str, &str); 5] = [
    ("log_connections", "1"),
    ("log_disconnections", "1"),
    ("log_statement", "ddl"),
    ("pgaudit.log", "ddl,role"),
    ("shared_preload_libraries", "pg_stat_statements,pgaudit"),
];

/// The node id of `role`'s access-log bucket.
pub(crate) fn log_bucket_id(role: Role) -> NodeId {
    NodeId::new(&["bucket", "access-logs", role.as_str()])
}

pub(crate) fn lower(cx: &mut Lower) {
    let retention = cx.days(&cx.model.site.log_retention.clone(), "log_retention");
    access_logs(cx, &retention);
    flow_logs(cx, &retention);
    aurora(cx, &retention);
    tracing_endpoints(cx);
}

/// Traced functions in private subnets send segments to X-Ray
/// (`xray:PutTraceSegments`): without a NAT they need the X-Ray interface
/// endpoint in their VPC (https://docs.aws.amazon.com/xray/latest/devguide/xray-security-vpc-endpoint.html).
fn tracing_endpoints(cx: &mut Lower) {
    for role in Role::BOTH {
        let traced_in_vpc = cx.nodes.iter().any(|n| {
            n.role == role
                && matches!(&n.kind, NodeKind::Function(f) if f.tracing && f.vpc.is_some())
        });
        if traced_in_vpc {
            super::network::interface_endpoint(cx, "xray", role);
        }
    }
}

/// An encrypted log group (the region's ops key) with the site's retention.
pub(crate) fn log_group(
    cx: &mut Lower,
    id: NodeId,
    role: Role,
    name: String,
    description: String,
    retention: &Derived<u32>,
) -> NodeId {
    let key = cx.ops_key(role);
    cx.use_key(&key, KeyUser::Logs);
    let protection = Protection {
        retain: cx.site.production,
        deletion_protection: false,
    };
    cx.add(
        id,
        role,
        name,
        description,
        protection,
        NodeKind::LogGroup(LogGroup {
            retention_days: retention.clone(),
            key: Some(cx.key_arn(&key)),
        }),
    )
}

/// One access-log bucket per region, and every other bucket logging to its
/// region's (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
fn access_logs(cx: &mut Lower, retention: &Derived<u32>) {
    for role in Role::BOTH {
        let id = log_bucket_id(role);
        let name = crate::graph::physical_name(&[
            &cx.site.name,
            "access-logs",
            &cx.site.environment,
            &cx.site.suffix,
            cx.site.short(role),
        ]);
        let arn = Value::join(vec![
            Value::lit("arn:"),
            Value::Partition,
            Value::lit(format!(":s3:::{name}")),
        ]);
        let objects = Value::join(vec![arn.clone(), Value::lit("/*")]);
        // The logging service principal writes the logs of this site's buckets
        // in this region (every one is named `…-<environment>-<suffix>-<region>`,
        // including a backend's own artifact bucket), for this account only
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general).
        let sources = Value::join(vec![
            Value::lit("arn:"),
            Value::Partition,
            Value::lit(format!(
                ":s3:::*-{}-{}-{}",
                cx.site.environment,
                cx.site.suffix,
                cx.site.short(role)
            )),
        ]);
        let policy = vec![
            Statement::allow(
                "S3ServerAccessLogsPolicy",
                &["s3:PutObject"],
                vec![objects.clone()],
            )
            .to(Principal::Services(vec!["logging.s3.amazonaws.com".into()]))
            .when("ArnLike", "aws:SourceArn", vec![sources])
            .when("StringEquals", "aws:SourceAccount", vec![Value::AccountId]),
            Statement::deny_insecure_transport(vec![arn, objects]),
        ];
        let protection = Protection {
            retain: cx.site.production,
            deletion_protection: false,
        };
        cx.add(
            id,
            role,
            name,
            format!(
                "S3 server access logs of the site's buckets in {}",
                cx.region(role)
            ),
            protection,
            NodeKind::Bucket(Bucket {
                versioning: true,
                key: None,
                block_public_access: true,
                policy,
                replication: None,
                access_logs: None,
                noncurrent_days: Some(Derived::fixed(LOG_NONCURRENT_DAYS)),
                expiration_days: Some(retention.clone()),
                log_sink: true,
                model_name: "access-logs".into(),
                object_lock: None,
                notify: None,
            }),
        );
    }
    for n in &mut cx.nodes {
        let side = n.role;
        let name = n.name.clone();
        if let NodeKind::Bucket(b) = &mut n.kind {
            if !b.log_sink {
                b.access_logs = Some(AccessLogs {
                    bucket: log_bucket_id(side),
                    prefix: format!("{name}/"),
                });
            }
        }
    }
}

/// Flow logs of every VPC (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html).
fn flow_logs(cx: &mut Lower, retention: &Derived<u32>) {
    let vpcs: Vec<(NodeId, Role, String)> = cx
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Vpc(_)))
        .map(|n| (n.id.clone(), n.role, n.name.clone()))
        .collect();
    for (vpc, side, vpc_name) in vpcs {
        let label = vpc.as_str().split('/').nth(1).unwrap_or("vpc").to_string();
        let lg = log_group(
            cx,
            NodeId::new(&["logs", &format!("{label}-flow-logs"), side.as_str()]),
            side,
            format!("/vpc/flow-logs/{vpc_name}"),
            format!("Flow logs of VPC `{vpc_name}`"),
            retention,
        );
        let lg_arn = cx.arn(&lg);
        // The permissions of the flow-logs role, on this log group only
        // (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html);
        // the group exists, so no `logs:CreateLogGroup`.
        let statements = vec![Statement::allow(
            "DeliverFlowLogs",
            &[
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ],
            vec![Value::join(vec![lg_arn.clone(), Value::lit(":*")])],
        )];
        let role_id = NodeId::new(&["role", &format!("{label}-flow-logs"), side.as_str()]);
        let role_name = cx.regional(&format!("{label}-flow-logs"), "role", side);
        cx.add(
            role_id.clone(),
            side,
            role_name,
            format!("Delivers the flow logs of VPC `{vpc_name}`"),
            Protection::default(),
            NodeKind::Role(IamRole {
                trust_services: vec!["vpc-flow-logs.amazonaws.com".into()],
                statements,
                managed_policies: Vec::new(),
            }),
        );
        if let Some(NodeKind::Vpc(v)) = cx.node_mut(&vpc).map(|n| &mut n.kind) {
            v.flow_logs = Some(FlowLogs {
                log_group: lg,
                log_group_arn: lg_arn,
                role: role_id,
                traffic_type: "ALL".into(),
            });
        }
    }
}

/// Log exports into pre-created log groups, Enhanced Monitoring and audit
/// parameters of every Aurora cluster.
fn aurora(cx: &mut Lower, retention: &Derived<u32>) {
    let clusters: Vec<(NodeId, Role, String, Vec<String>)> = cx
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::DbCluster(c) => {
                Some((n.id.clone(), n.role, n.name.clone(), c.log_exports.clone()))
            }
            _ => None,
        })
        .collect();
    for (cluster, side, name, exports) in clusters {
        let label = cluster
            .as_str()
            .split('/')
            .nth(1)
            .unwrap_or("aurora")
            .to_string();
        // RDS writes exported logs to `/aws/rds/cluster/<id>/<type>`
        // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.CloudWatch.html).
        let lg = exports.iter().find(|e| *e == "postgresql").map(|t| {
            log_group(
                cx,
                NodeId::new(&["logs", &format!("{label}-{t}"), side.as_str()]),
                side,
                format!("/aws/rds/cluster/{name}/{t}"),
                format!("PostgreSQL logs of Aurora cluster `{name}`"),
                retention,
            )
        });
        let role_id = NodeId::new(&["role", &format!("{label}-monitoring"), side.as_str()]);
        let role_name = cx.regional(&format!("{label}-monitoring"), "role", side);
        cx.add(
            role_id.clone(),
            side,
            role_name,
            format!("RDS Enhanced Monitoring of Aurora cluster `{name}`"),
            Protection::default(),
            NodeKind::Role(IamRole {
                trust_services: vec!["monitoring.rds.amazonaws.com".into()],
                statements: Vec::new(),
                managed_policies: vec![Value::join(vec![
                    Value::lit("arn:"),
                    Value::Partition,
                    Value::lit(RDS_MONITORING_POLICY),
                ])],
            }),
        );
        if let Some(NodeKind::DbCluster(c)) = cx.node_mut(&cluster).map(|n| &mut n.kind) {
            c.log_group = lg;
            c.monitoring = Some(EnhancedMonitoring {
                interval_secs: Derived::fixed(MONITORING_INTERVAL_SECS),
                role: role_id,
            });
            for (k, v) in AUDIT_PARAMETERS {
                c.parameter_group.parameters.insert(k.into(), v.into());
            }
        }
    }
}
