//! `outputs.tf.json`: the endpoints and ARNs people need after `apply`
//! (database endpoints and resource ids, the master-credentials secret, table, bucket, key,
//! function, vault and topic ARNs, the health check and record names).
//! Output names are the resource names plus the attribute.

use super::expr::ident;
use super::{Cx, Error};
use crate::graph::Role;
use crate::graph::{Node, NodeKind};

/// `(output suffix, expression, what it is)` for one node.
fn of(node: &Node) -> Vec<(&'static str, String, &'static str)> {
    let n = ident(&node.id);
    let e = |ty: &str, attr: &str| format!("${{{ty}.{n}.{attr}}}");
    match &node.kind {
        NodeKind::Key(_) => vec![("arn", e("aws_kms_key", "arn"), "KMS key ARN")],
        NodeKind::Vpc(_) => vec![("id", e("aws_vpc", "id"), "VPC id")],
        NodeKind::Peering(_) => vec![(
            "id",
            e("aws_vpc_peering_connection_accepter", "id"),
            "VPC peering connection id",
        )],
        NodeKind::GlobalDatabase(_) => vec![
            (
                "id",
                e("aws_rds_global_cluster", "id"),
                "Aurora global cluster identifier",
            ),
            (
                "arn",
                e("aws_rds_global_cluster", "arn"),
                "Aurora global cluster ARN",
            ),
            (
                "endpoint",
                e("aws_rds_global_cluster", "endpoint"),
                "global writer endpoint (follows the writer across regions)",
            ),
        ],
        NodeKind::DbCluster(_) => vec![
            ("arn", e("aws_rds_cluster", "arn"), "Aurora cluster ARN"),
            (
                "endpoint",
                e("aws_rds_cluster", "endpoint"),
                "cluster writer endpoint",
            ),
            (
                "reader_endpoint",
                e("aws_rds_cluster", "reader_endpoint"),
                "cluster reader endpoint",
            ),
            (
                "resource_id",
                e("aws_rds_cluster", "cluster_resource_id"),
                "cluster resource id (rds-db:connect ARNs)",
            ),
        ],
        NodeKind::Secret(_) => vec![(
            "arn",
            e("aws_secretsmanager_secret", "arn"),
            "Secrets Manager ARN of the master credentials (replicated)",
        )],
        NodeKind::GlobalTable(_) => vec![
            (
                "name",
                e("aws_dynamodb_table", "name"),
                "DynamoDB global table name",
            ),
            (
                "arn",
                e("aws_dynamodb_table", "arn"),
                "DynamoDB table ARN (home region replica)",
            ),
            (
                "stream_arn",
                e("aws_dynamodb_table", "stream_arn"),
                "DynamoDB stream ARN",
            ),
        ],
        NodeKind::Bucket(_) => vec![
            ("name", e("aws_s3_bucket", "bucket"), "S3 bucket name"),
            ("arn", e("aws_s3_bucket", "arn"), "S3 bucket ARN"),
        ],
        NodeKind::Function(_) => vec![(
            "arn",
            e("aws_lambda_function", "arn"),
            "Lambda function ARN",
        )],
        NodeKind::Queue(_) => vec![("url", e("aws_sqs_queue", "url"), "dead-letter queue URL")],
        NodeKind::Vault(_) => vec![("arn", e("aws_backup_vault", "arn"), "Backup vault ARN")],
        NodeKind::BackupPlan(_) => vec![("arn", e("aws_backup_plan", "arn"), "Backup plan ARN")],
        NodeKind::Topic(_) => vec![("arn", e("aws_sns_topic", "arn"), "SNS alert topic ARN")],
        NodeKind::Dashboard(_) => vec![(
            "name",
            e("aws_cloudwatch_dashboard", "dashboard_name"),
            "CloudWatch dashboard name",
        )],
        NodeKind::HealthCheck(_) => vec![(
            "id",
            e("aws_route53_health_check", "id"),
            "Route 53 health check id",
        )],
        NodeKind::HostedZone(_) => vec![
            (
                "zone_id",
                e("aws_route53_zone", "zone_id"),
                "hosted zone id",
            ),
            (
                "name_servers",
                e("aws_route53_zone", "name_servers"),
                "name servers to delegate the zone to",
            ),
        ],
        NodeKind::Record(_) => vec![("fqdn", e("aws_route53_record", "fqdn"), "DNS record name")],
        NodeKind::RegionSwitchPlan(_) => vec![(
            "arn",
            e("aws_arcregionswitch_plan", "arn"),
            "Region switch plan ARN",
        )],
        NodeKind::DrillTemplate(_) => vec![(
            "id",
            e("aws_fis_experiment_template", "id"),
            "FIS experiment template id of the region-loss drill",
        )],
        _ => Vec::new(),
    }
}

pub fn emit(cx: &mut Cx) -> Result<(), Error> {
    let graph = cx.x.graph;
    for node in &graph.nodes {
        let region = match node.role {
            Role::Primary => "primary",
            Role::Secondary => "secondary",
        };
        for (suffix, value, what) in of(node) {
            let name = format!("{}_{suffix}", ident(&node.id));
            let description = format!("{what}: {} ({region}, {})", node.name, node.region);
            cx.m.output(&name, value, description)?;
        }
    }
    Ok(())
}
