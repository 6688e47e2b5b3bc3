//! The region-loss drill (R37, issue 13 item 3): an AWS FIS experiment
//! template in the primary region, the region whose loss it rehearses, as far
//! as FIS can:
//!
//! - `aws:network:route-table-disrupt-cross-region-connectivity` on the
//!   primary VPC's private subnets (resource type `aws:ec2:subnet`, parameters
//!   `region` = the secondary region, the region to isolate, and `duration`):
//!   FIS creates route tables without the routes to the secondary region and
//!   swaps them in for the duration;
//! - `aws:s3:bucket-pause-replication` on the primary's replicated source
//!   buckets (`aws:s3:bucket`, parameters `region` = where the destination
//!   buckets are, and `duration`; "this action only supports targeting by
//!   tags", so the buckets carry the drill's [`DRILL_TAG`]);
//! - `aws:dynamodb:global-table-pause-replication` on the site's global tables
//!   (`aws:dynamodb:global-table`, parameter `duration`; FIS denies the
//!   replication service in the table's resource policy for the duration).
//!
//! Source, for each action id, resource type, parameter and permission:
//! the AWS FIS actions reference,
//! <https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html>
//! (sections "aws:network:route-table-disrupt-cross-region-connectivity",
//! "aws:s3:bucket-pause-replication", "aws:dynamodb:global-table-pause-replication");
//! the execution-role policy AWS gives for the same three actions,
//! Resilience Hub "Multi-Region: isolation",
//! <https://docs.aws.amazon.com/resilience-hub/latest/userguide/next-gen-resilience-testing-iam-sa-multi-region-isolation.html>,
//! which this role narrows to the primary region, the account and the site's
//! own resources.
//!
//! FIS has no action that pauses Aurora global replication or fails a global
//! database over (`aws:rds:failover-db-cluster` fails over within a region):
//! the drill procedure in the README uses the failover engine's graceful path
//! for the databases.
//!
//! Stop conditions are the site's own CloudWatch alarms in the primary region
//! (an experiment template is regional; drsc does not rely on a stop condition
//! naming another region's alarm, which the FIS user guide does not document),
//! except the DynamoDB replication-latency alarms: pausing replication raises
//! them by design, and stopping on them would end every drill at its start.
//! What remains means the drill is hurting: an S3 object that failed to
//! replicate, a backup or cross-region copy job that failed.
//! FIS takes at most five stop conditions per template (quota L-872EC72B,
//! `std/limits` `fis_stop_conditions`); with more, the drill stops on one
//! composite alarm that is in ALARM when any of them is.

use super::private_bucket::{self, PrivateBucket};
use super::Lower;
use crate::graph::{
    Attr, Derived, DrillAction, DrillTarget, DrillTemplate, IamRole, NodeId, NodeKind, Protection,
    Statement, StopAlarm, TargetSelection, Value,
};
use crate::model::Role;

/// The tag every source bucket a drill pauses carries (the S3 pause action
/// selects by tags only); its value is the drill template's name.
pub const DRILL_TAG: &str = "DR-Drill";

/// The FIS service principal the experiment role trusts
/// (<https://docs.aws.amazon.com/fis/latest/userguide/getting-started-iam-service-role.html>).
pub const FIS_PRINCIPAL: &str = "fis.amazonaws.com";

/// The tag FIS puts on the route tables, prefix lists and network interfaces
/// it creates for the route-table action ("Scoped using the tag
/// managedByFIS=true", FIS actions reference).
const MANAGED_BY_FIS: &str = "managedByFIS";

/// The FIS action ids.
pub const ROUTES_ACTION: &str = "aws:network:route-table-disrupt-cross-region-connectivity";
pub const S3_ACTION: &str = "aws:s3:bucket-pause-replication";
pub const DYNAMODB_ACTION: &str = "aws:dynamodb:global-table-pause-replication";

/// The report prefix in the report bucket.
pub const REPORT_PREFIX: &str = "fis-reports";

pub(crate) fn template_id() -> NodeId {
    NodeId::new(&["drill", "region-loss", "primary"])
}

fn role_id() -> NodeId {
    NodeId::new(&["role", "drill", "primary"])
}

fn log_group_id() -> NodeId {
    NodeId::new(&["logs", "drill", "primary"])
}

fn reports_id() -> NodeId {
    NodeId::new(&["bucket", "drill-reports", "primary"])
}

/// `secs` as an ISO 8601 duration FIS reads: `PT1H`, `PT30M`, `PT90S`.
pub fn iso8601(secs: u64) -> String {
    if secs > 0 && secs % 3_600 == 0 {
        format!("PT{}H", secs / 3_600)
    } else if secs > 0 && secs % 60 == 0 {
        format!("PT{}M", secs / 60)
    } else {
        format!("PT{secs}S")
    }
}

/// `arn:<partition>:<service>:<region>:<account>:<rest>`.
fn arn(service: &str, region: &str, rest: Vec<Value>) -> Value {
    let mut parts = vec![
        Value::lit("arn:"),
        Value::Partition,
        Value::lit(format!(":{service}:{region}:")),
        Value::AccountId,
        Value::lit(":"),
    ];
    parts.extend(rest);
    Value::join(parts)
}

/// `items` in chunks of at most `most`, each with its name suffix: `""` when
/// there is one chunk, else `-1`, `-2`, ...
fn chunks<T: Clone>(items: Vec<T>, most: usize) -> Vec<(String, Vec<T>)> {
    let parts: Vec<Vec<T>> = items.chunks(most.max(1)).map(<[T]>::to_vec).collect();
    let one = parts.len() == 1;
    parts
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            (
                if one {
                    String::new()
                } else {
                    format!("-{}", i + 1)
                },
                c,
            )
        })
        .collect()
}

pub(crate) fn lower(cx: &mut Lower) {
    let model = cx.model;
    let Some(drill) = model.drill.as_ref() else {
        return;
    };
    if !drill.enabled.value {
        return;
    }
    let p = Role::Primary;
    let region = cx.region(p);
    let isolate = cx.region(Role::Secondary);
    let name = cx.base("region-loss", "drill");
    let duration = Derived::at(drill.duration.value.as_secs(), drill.duration.span);
    let iso = iso8601(*duration);

    let mut actions = Vec::new();
    let mut targets = Vec::new();
    // Resources one target may name by ARN (std/limits `fis_target_resources`):
    // more are split over several targets, each with its own action.
    let most_per_target = model
        .catalog
        .limit("fis_target_resources")
        .and_then(|l| l.max)
        .and_then(|m| usize::try_from(m).ok())
        .filter(|m| *m > 0)
        .unwrap_or(5);
    let mut statements = Vec::new();

    // Cross-region routes of the primary VPC's subnets.
    let vpc = super::network::vpc_id(cx, p);
    let subnets = super::network::subnets(cx, p);
    if let (Some(vpc), false) = (vpc.clone(), subnets.is_empty()) {
        let subnet_arns: Vec<Value> = subnets
            .iter()
            .map(|s| arn("ec2", &region, vec![Value::lit("subnet/"), s.clone()]))
            .collect();
        let route_table_arns: Vec<Value> = (0..subnets.len())
            .map(|i| {
                arn(
                    "ec2",
                    &region,
                    vec![
                        Value::lit("route-table/"),
                        Value::r(&vpc, Attr::RouteTable(i as u8)),
                    ],
                )
            })
            .collect();
        let vpc_arn = arn(
            "ec2",
            &region,
            vec![Value::lit("vpc/"), Value::r(&vpc, Attr::Id)],
        );
        let any = |kind: &str| arn("ec2", &region, vec![Value::lit(format!("{kind}/*"))]);
        let managed =
            |s: Statement, key: &str| s.when("StringEquals", key, vec![Value::lit("true")]);
        let request_tag = format!("aws:RequestTag/{MANAGED_BY_FIS}");
        let resource_tag = format!("aws:ResourceTag/{MANAGED_BY_FIS}");
        let mut site_routes = subnet_arns.clone();
        site_routes.extend(route_table_arns);
        statements.push(Statement::allow(
            "SwapSiteRouteTables",
            &[
                "ec2:AssociateRouteTable",
                "ec2:DisassociateRouteTable",
                "ec2:ReplaceRouteTableAssociation",
            ],
            site_routes,
        ));
        statements.push(managed(
            Statement::allow(
                "UseFisRouteTables",
                &[
                    "ec2:AssociateRouteTable",
                    "ec2:CreateRoute",
                    "ec2:DeleteRouteTable",
                    "ec2:DisassociateRouteTable",
                    "ec2:ReplaceRouteTableAssociation",
                ],
                vec![any("route-table")],
            ),
            &resource_tag,
        ));
        statements.push(managed(
            Statement::allow(
                "CreateFisResources",
                &[
                    "ec2:CreateManagedPrefixList",
                    "ec2:CreateNetworkInterface",
                    "ec2:CreateRouteTable",
                    "ec2:CreateTags",
                ],
                vec![
                    any("route-table"),
                    any("prefix-list"),
                    any("network-interface"),
                ],
            ),
            &request_tag,
        ));
        let mut in_site = vec![vpc_arn];
        in_site.extend(subnet_arns.clone());
        statements.push(Statement::allow(
            "CreateInSiteVpc",
            &["ec2:CreateNetworkInterface", "ec2:CreateRouteTable"],
            in_site,
        ));
        statements.push(Statement::allow(
            "CreateNetworkInterfaceWithGroups",
            &["ec2:CreateNetworkInterface"],
            vec![any("security-group")],
        ));
        statements.push(managed(
            Statement::allow(
                "RemoveFisResources",
                &[
                    "ec2:DeleteManagedPrefixList",
                    "ec2:DeleteNetworkInterface",
                    "ec2:ModifyManagedPrefixList",
                ],
                vec![any("prefix-list"), any("network-interface")],
            ),
            &resource_tag,
        ));
        // AWS-managed prefix lists (the region's service ranges) are owned by
        // AWS, not by the account: any owner, this region.
        statements.push(Statement::allow(
            "ReadPrefixLists",
            &["ec2:GetManagedPrefixListEntries"],
            vec![Value::join(vec![
                Value::lit("arn:"),
                Value::Partition,
                Value::lit(format!(":ec2:{region}:*:prefix-list/*")),
            ])],
        ));
        let endpoints: Vec<Value> = cx
            .nodes
            .iter()
            .filter(|n| n.role == p && matches!(n.kind, NodeKind::Endpoint(_)))
            .map(|n| {
                arn(
                    "ec2",
                    &region,
                    vec![Value::lit("vpc-endpoint/"), Value::r(&n.id, Attr::Id)],
                )
            })
            .collect();
        if !endpoints.is_empty() {
            statements.push(Statement::allow(
                "ModifySiteEndpoints",
                &["ec2:ModifyVpcEndpoint"],
                endpoints,
            ));
        }
        super::compute::wildcard(
            cx,
            &mut statements,
            "DescribeNetwork",
            &[
                "ec2:DescribeManagedPrefixLists",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeRouteTables",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcPeeringConnections",
                "ec2:DescribeVpcs",
            ],
        );
        for (suffix, arns) in chunks(subnet_arns, most_per_target) {
            let target = format!("primary-subnets{suffix}");
            targets.push(DrillTarget {
                name: target.clone(),
                resource_type: "aws:ec2:subnet".into(),
                selection: TargetSelection::Arns(arns),
                nodes: vec![vpc.clone()],
            });
            actions.push(DrillAction {
                name: format!("disrupt-cross-region-routes{suffix}"),
                action_id: ROUTES_ACTION.into(),
                description: format!("Block traffic from the primary VPC's subnets to {isolate}"),
                parameters: vec![
                    ("duration".into(), iso.clone()),
                    ("region".into(), isolate.clone()),
                ],
                target: ("Subnets".into(), target),
            });
        }
    }

    // Replication of the primary's source buckets (selected by tag).
    let sources: Vec<NodeId> = cx
        .nodes
        .iter()
        .filter(|n| {
            n.role == p && matches!(&n.kind, NodeKind::Bucket(b) if b.replication.is_some())
        })
        .map(|n| n.id.clone())
        .collect();
    if !sources.is_empty() {
        let bucket_arns: Vec<Value> = sources.iter().map(|b| cx.arn(b)).collect();
        for b in &sources {
            if let Some(n) = cx.node_mut(b) {
                n.tags.insert(DRILL_TAG.into(), name.clone());
            }
        }
        // The FIS-documented permissions of the action, on these buckets only.
        statements.push(
            Statement::allow(
                "PauseBucketReplication",
                &["s3:PutReplicationConfiguration"],
                bucket_arns.clone(),
            )
            .when(
                "Bool",
                "s3:IsReplicationPauseRequest",
                vec![Value::lit("true")],
            ),
        );
        statements.push(
            Statement::allow(
                "ReadBucketReplication",
                &["s3:GetReplicationConfiguration"],
                bucket_arns.clone(),
            )
            .when(
                "BoolIfExists",
                "s3:IsReplicationPauseRequest",
                vec![Value::lit("true")],
            ),
        );
        statements.push(Statement::allow(
            "PauseReplication",
            &["s3:PauseReplication"],
            bucket_arns,
        ));
        super::compute::wildcard(cx, &mut statements, "ListBuckets", &["s3:ListAllMyBuckets"]);
        targets.push(DrillTarget {
            name: "primary-source-buckets".into(),
            resource_type: "aws:s3:bucket".into(),
            selection: TargetSelection::Tags(vec![
                (DRILL_TAG.into(), name.clone()),
                ("DR-Role".into(), p.as_str().into()),
            ]),
            nodes: sources.clone(),
        });
        actions.push(DrillAction {
            name: "pause-s3-replication".into(),
            action_id: S3_ACTION.into(),
            description: format!("Pause replication of the primary's buckets to {isolate}"),
            parameters: vec![
                ("duration".into(), iso.clone()),
                ("region".into(), isolate.clone()),
            ],
            target: ("Buckets".into(), "primary-source-buckets".into()),
        });
    }

    // Replication of the global tables (their primary replicas).
    let tables: Vec<NodeId> = model
        .tables
        .iter()
        .map(|t| super::data::table_id(&t.name))
        .filter(|id| cx.node(id).is_some())
        .collect();
    if !tables.is_empty() {
        let table_arns: Vec<Value> = tables.iter().map(|t| cx.arn(t)).collect();
        let mut resources = table_arns.clone();
        // FIS also denies the replication service on the tables' streams.
        resources.extend(
            table_arns
                .iter()
                .map(|a| Value::join(vec![a.clone(), Value::lit("/stream/*")])),
        );
        statements.push(Statement::allow(
            "PauseTableReplication",
            &[
                "dynamodb:DeleteResourcePolicy",
                "dynamodb:DescribeTable",
                "dynamodb:GetResourcePolicy",
                "dynamodb:PutResourcePolicy",
            ],
            resources,
        ));
        let pairs: Vec<(NodeId, Value)> = tables.iter().cloned().zip(table_arns).collect();
        for (suffix, chunk) in chunks(pairs, most_per_target) {
            let target = format!("global-tables{suffix}");
            let (nodes, arns): (Vec<NodeId>, Vec<Value>) = chunk.into_iter().unzip();
            targets.push(DrillTarget {
                name: target.clone(),
                resource_type: "aws:dynamodb:global-table".into(),
                selection: TargetSelection::Arns(arns),
                nodes,
            });
            actions.push(DrillAction {
                name: format!("pause-dynamodb-replication{suffix}"),
                action_id: DYNAMODB_ACTION.into(),
                description: "Pause replication of the global tables".into(),
                parameters: vec![("duration".into(), iso.clone())],
                target: ("Tables".into(), target),
            });
        }
    }
    if actions.is_empty() {
        // Nothing to rehearse: DRS0511 reports the drill; nothing is emitted.
        return;
    }
    super::compute::wildcard(cx, &mut statements, "ResolveTargets", &["tag:GetResources"]);

    // Logs: an encrypted log group with the site's retention; FIS delivers to
    // it as a vended log (the role sets up the delivery).
    let retention = Derived::at(
        u32::try_from(model.site.log_retention.value.as_secs().div_ceil(86_400))
            .unwrap_or(u32::MAX),
        model.site.log_retention.span,
    );
    let log_group = super::hardening::log_group(
        cx,
        log_group_id(),
        p,
        format!("/aws/fis/{name}"),
        "Experiment logs of the region-loss drill".into(),
        &retention,
    );
    super::compute::wildcard(
        cx,
        &mut statements,
        "DeliverExperimentLogs",
        &[
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:DescribeLogGroups",
            "logs:DescribeResourcePolicies",
            "logs:GetLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:UpdateLogDelivery",
        ],
    );

    // Reports: an encrypted, versioned, TLS-only bucket in the primary region.
    let key = cx.ops_key(p);
    let bucket = reports_id();
    let bucket_arn = private_bucket::add(
        cx,
        PrivateBucket {
            id: bucket.clone(),
            role: p,
            stem: "drill-reports",
            description: "Experiment reports of the region-loss drill".into(),
            model_name: "drill_reports",
            noncurrent_days: Derived::fixed(90),
            object_lock: None,
            policy: |_| Vec::new(),
        },
    );
    let role = role_id();
    statements.push(Statement::allow(
        "WriteExperimentReports",
        &["s3:GetObject", "s3:PutObject"],
        vec![Value::join(vec![
            bucket_arn,
            Value::lit(format!("/{REPORT_PREFIX}/*")),
        ])],
    ));
    let grant = cx.grant_key(
        "EncryptExperimentReports",
        &key,
        &role,
        "s3",
        p,
        vec!["kms:Decrypt", "kms:GenerateDataKey"],
    );
    statements.push(grant);
    let role_name = cx.regional("drill", "role", p);
    cx.add(
        role.clone(),
        p,
        role_name,
        "Experiment role of the region-loss drill (AWS FIS)",
        Protection::default(),
        NodeKind::Role(IamRole {
            trust_services: vec![FIS_PRINCIPAL.into()],
            statements,
            managed_policies: Vec::new(),
        }),
    );

    // Stop conditions: the site's primary-region alarms that mean the drill
    // is hurting (not the replication-latency alarms the pause raises).
    let mut stop_alarms: Vec<StopAlarm> = cx
        .nodes
        .iter()
        .filter(|n| n.role == p)
        .filter(|n| matches!(&n.kind, NodeKind::Alarm(a) if a.metric != "ReplicationLatency"))
        .map(|n| StopAlarm {
            alarm: n.id.clone(),
            arn: Value::r(&n.id, Attr::Arn),
        })
        .collect();
    // FIS takes at most `fis_stop_conditions` stop conditions (std/limits):
    // beyond that, one composite alarm that is in ALARM when any of them is.
    let most = model
        .catalog
        .limit("fis_stop_conditions")
        .and_then(|l| l.max)
        .and_then(|m| usize::try_from(m).ok())
        .unwrap_or(5);
    if stop_alarms.len() > most {
        let inputs: Vec<NodeId> = stop_alarms.iter().map(|a| a.alarm.clone()).collect();
        let mut rule = Vec::new();
        for (i, a) in inputs.iter().enumerate() {
            rule.push(Value::lit(if i == 0 {
                "ALARM(\""
            } else {
                "\") OR ALARM(\""
            }));
            rule.push(Value::r(a, Attr::Arn));
        }
        rule.push(Value::lit("\")"));
        let id = NodeId::new(&["alarm", "drill-stop", p.as_str()]);
        let alerts = super::ops::alerts_id(p);
        let actions = if cx.node(&alerts).is_some() {
            vec![alerts]
        } else {
            Vec::new()
        };
        let alarm_name = cx.base("drill-stop", "alarm");
        cx.add(
            id.clone(),
            p,
            alarm_name,
            "One of the alarms that stop the region-loss drill is in ALARM",
            Protection::default(),
            NodeKind::CompositeAlarm(crate::graph::CompositeAlarm {
                rule: Value::join(rule),
                inputs,
                actions,
            }),
        );
        stop_alarms = vec![StopAlarm {
            arn: Value::r(&id, Attr::Arn),
            alarm: id,
        }];
    }

    cx.add(
        template_id(),
        p,
        name,
        format!(
            "Region-loss drill of site `{}`: isolates {} from {} (FIS)",
            cx.site.name, region, isolate
        ),
        Protection::default(),
        NodeKind::DrillTemplate(DrillTemplate {
            role,
            log_group,
            report_bucket: bucket,
            report_prefix: REPORT_PREFIX.into(),
            duration_secs: duration,
            actions,
            targets,
            stop_alarms,
            empty_target_resolution: "fail".into(),
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn more_resources_than_a_target_takes_are_split() {
        let c = super::chunks((1..=7).collect(), 5);
        assert_eq!(
            c,
            vec![
                ("-1".to_string(), vec![1, 2, 3, 4, 5]),
                ("-2".to_string(), vec![6, 7])
            ]
        );
        assert_eq!(
            super::chunks(vec![1, 2], 5),
            vec![(String::new(), vec![1, 2])]
        );
    }

    #[test]
    fn durations_are_iso_8601_in_the_largest_whole_unit() {
        assert_eq!(iso8601(3_600), "PT1H");
        assert_eq!(iso8601(12 * 3_600), "PT12H");
        assert_eq!(iso8601(30 * 60), "PT30M");
        assert_eq!(iso8601(90 * 60), "PT90M");
        assert_eq!(iso8601(90), "PT90S");
    }
}
