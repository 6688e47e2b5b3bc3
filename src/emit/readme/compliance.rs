//! The site README's compliance section: the hardening every resource type
//! gets, the AWS Guard rules registry checks that test DB-instance properties
//! which Aurora keeps on the cluster (why they do not apply and where the
//! equivalent control is), what CloudFormation cannot express, and the
//! functions that stay outside a VPC. Reads only the graph. Statements on a
//! VPC, Aurora or the probe appear only for a site that has them.

use super::Backend;
use crate::graph::{Builtin, Code, Graph, NodeKind, Purpose};
use std::fmt::Write as _;

pub(crate) fn section(g: &Graph, backend: Backend, o: &mut String) {
    let has = |f: &dyn Fn(&NodeKind) -> bool| g.nodes.iter().any(|n| f(&n.kind));
    let vpc = has(&|k| matches!(k, NodeKind::Vpc(_)));
    let aurora = has(&|k| matches!(k, NodeKind::DbCluster(_)));
    let probe = has(&|k| matches!(k, NodeKind::Function(f) if f.purpose == Purpose::Probe));
    let _ = writeln!(o, "\n## Compliance\n");
    let _ = writeln!(
        o,
        "Measured with the AWS Guard rules registry (FFIEC, NIST 800-53 rev5, FSBP){} and IaC scanners. \
Every resource of a type gets the same hardening:\n",
        match backend {
            Backend::Cfn => "",
            Backend::Tf => " on the CloudFormation build of the same site",
        }
    );
    let log_buckets: Vec<String> = g
        .nodes
        .iter()
        .filter(|n| matches!(&n.kind, NodeKind::Bucket(b) if b.log_sink))
        .map(|n| format!("`{}` ({})", n.name, n.region))
        .collect();
    let _ = writeln!(
        o,
        "- **S3 server access logging**: every bucket ({}) logs to its region's \
access-log bucket: {}. The log buckets are versioned, private, TLS-only and encrypted with SSE-S3, because server access \
logging cannot deliver to SSE-KMS destinations; their policy admits only `logging.s3.amazonaws.com` for this account \
(`aws:SourceAccount`) and this site's buckets (`aws:SourceArn`). They do not log to themselves.",
        match backend {
            Backend::Cfn => "site buckets, replicas, the artifact buckets",
            Backend::Tf => "site buckets and replicas",
        },
        log_buckets.join(", ")
    );
    let _ = writeln!(
        o,
        "- **Noncurrent versions** of every versioned bucket expire by a lifecycle rule (`noncurrent_versions`); log objects expire after the site's `log_retention`."
    );
    if vpc {
        let _ = writeln!(
            o,
            "- **VPC flow logs** (all traffic) of every VPC go to an encrypted log group with the site's `log_retention`."
        );
        match backend {
            Backend::Cfn => {
                let _ = writeln!(
                    o,
                    "- **Default security groups**: CloudFormation has no declarative way to remove the rules of a VPC's default \
security group (it is not a template resource; `AWS::EC2::SecurityGroupIngress`/`Egress` can only add rules, and CDK's \
`restrictDefaultSecurityGroup` is a custom-resource Lambda). Nothing of the site uses it, so `deploy.json` removes its \
rules right after the stack that creates the VPC (`aws ec2 revoke-security-group-ingress` / \
`revoke-security-group-egress` of exactly the rules the group has; the step does nothing once they are gone); the \
Terraform backend does it with `aws_default_security_group`."
                );
            }
            Backend::Tf => {
                // network.rs: adopting the group with no `ingress`/`egress` removes its rules
                // (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group).
                let _ = writeln!(
                    o,
                    "- **Default security groups**: each VPC's default security group is adopted by `aws_default_security_group` \
with no `ingress` or `egress`, which removes all its rules. Nothing of the site uses it."
                );
            }
        }
    }
    if aurora {
        let _ = writeln!(
            o,
            "- **Aurora**: `postgresql` logs exported to `/aws/rds/cluster/<cluster>/postgresql`, created encrypted with the \
    site's retention; Enhanced Monitoring on every instance (role with `AmazonRDSEnhancedMonitoringRole`); \
    `AutoMinorVersionUpgrade` stated; the cluster parameter groups log connections, disconnections and DDL and preload \
    `pgaudit` (`pgaudit.log = ddl,role`). Create the extension once on the writer, connected to the database: \
    `CREATE EXTENSION pgaudit;`"
        );
    }
    let _ = writeln!(
        o,
        "- **Lambda**: X-Ray active tracing on every function{}.",
        if probe {
            "; the probe has reserved concurrency and a dead-letter queue"
        } else {
            ""
        }
    );
    let _ = writeln!(
        o,
        "- **IAM**: every role carries one customer-managed policy (`<role>-policy`) attached to it, no inline policies.\n"
    );
    let clusters: Vec<(&str, &str)> = g
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::DbCluster(_)))
        .map(|n| (n.name.as_str(), n.region.as_str()))
        .collect();
    if !clusters.is_empty() {
        let names: Vec<String> = clusters
            .iter()
            .map(|(c, r)| format!("`{c}` ({r})"))
            .collect();
        let names = names.join(", ");
        let _ = writeln!(
            o,
            "### Rules that do not apply to Aurora\n\nSome registry rules test `AWS::RDS::DBInstance` properties that \
Aurora keeps on the cluster (`AWS::RDS::DBCluster`); drsc does not fake them on the instances. Clusters: {names}.\n"
        );
        let _ = writeln!(
            o,
            "| Rule family | Why it does not apply | Equivalent control |"
        );
        let _ = writeln!(o, "|---|---|---|");
        let _ = writeln!(
            o,
            "| Multi-AZ (`RDS_MULTI_AZ_SUPPORT`, instance `MultiAZ`) | Aurora storage is replicated across three zones by the cluster; `MultiAZ` is not an Aurora instance property | instances pinned to different zones (`AvailabilityZone`, `PromotionTier`), plus the global database's secondary region |"
        );
        let _ = writeln!(
            o,
            "| Backups (`DB_INSTANCE_BACKUP_ENABLED`, instance `BackupRetentionPeriod`) | Aurora backs up the cluster volume; instance backup settings are ignored | cluster `BackupRetentionPeriod`, AWS Backup plans with cross-region copies |"
        );
        let _ = writeln!(
            o,
            "| Storage encryption (`RDS_STORAGE_ENCRYPTED`, instance `StorageEncrypted`) | Aurora encrypts the cluster volume; instances inherit it | cluster `StorageEncrypted: true` with `KmsKeyId` the region's customer-managed key |"
        );
        let _ = writeln!(
            o,
            "| Deletion protection (`RDS_INSTANCE_DELETION_PROTECTION_ENABLED`) | Aurora's deletion protection is a cluster setting | cluster `DeletionProtection` (on in production) and retain-on-delete |"
        );
    }
    let outside: Vec<(&str, &str)> = g
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Function(f) if f.vpc.is_none() => {
                let why = match &f.purpose {
                    Purpose::Failover => "it calls public AWS APIs (RDS global-database failover, CloudWatch, SNS) that must stay reachable when the primary region or the peering is impaired; it needs no private resource",
                    Purpose::Probe if f.code == Code::Builtin(Builtin::EdgeProbe) => "it probes the primary front door over the internet, the path clients take, so that its signal does not depend on the VPC peering the database probe uses",
                    Purpose::Probe => "the site has no network block, so there is no VPC to run in",
                    Purpose::Starter => "it starts the Region switch plan on the secondary region's public data-plane endpoint (`StartPlanExecution`), which must stay reachable when the primary region or the peering is impaired; it needs no private resource",
                    Purpose::Site(_) => "the site has no network block, so there is no VPC to run in",
                    Purpose::RestoreValidation => "it validates restore-test resources through the public RDS, DynamoDB, S3 and AWS Backup APIs; AWS Backup restores them outside the site's VPC wiring, so it needs no private resource",
                };
                Some((n.name.as_str(), why))
            }
            _ => None,
        })
        .collect();
    // A function of both regions has one name: list it once.
    let mut outside = outside;
    let mut seen = std::collections::BTreeSet::new();
    outside.retain(|x| seen.insert(*x));
    if !outside.is_empty() {
        let _ = writeln!(o, "\n### Functions outside a VPC (`LAMBDA_INSIDE_VPC`)\n");
        for (name, why) in outside {
            let _ = writeln!(o, "- `{name}`: {why}.");
        }
    }
}
