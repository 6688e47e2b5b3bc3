//! Deterministic ARNs and names of nodes whose physical name drsc chooses.

use super::{Attr, Node, NodeKind, Value};

/// `arn:<partition>:<service>:<region>:<account>:<rest>`; `account` false
/// leaves the account field empty (S3).
fn arn(service: &str, region: &str, account: bool, rest: &str) -> Value {
    let mut parts = vec![
        Value::lit("arn:"),
        Value::Partition,
        Value::lit(format!(":{service}:{region}:")),
    ];
    if account {
        parts.push(Value::AccountId);
    }
    parts.push(Value::lit(format!(":{rest}")));
    Value::join(parts)
}

/// See [`super::Graph::known_arn`].
pub(super) fn known(node: &Node, attr: Attr) -> Option<Value> {
    let name = node.name.as_str();
    let region = node.region.as_str();
    let v = match (&node.kind, attr) {
        (NodeKind::Vpc(v), Attr::Cidr) => Value::lit(v.cidr.clone()),
        (
            NodeKind::Bucket(_)
            | NodeKind::GlobalTable(_)
            | NodeKind::GlobalDatabase(_)
            | NodeKind::DbCluster(_)
            | NodeKind::Role(_)
            | NodeKind::LogGroup(_)
            | NodeKind::Queue(_)
            | NodeKind::Function(_)
            | NodeKind::Vault(_)
            | NodeKind::Topic(_)
            | NodeKind::EventRule(_)
            | NodeKind::Alarm(_)
            | NodeKind::CompositeAlarm(_)
            | NodeKind::Dashboard(_)
            | NodeKind::Secret(_),
            Attr::Name,
        ) => Value::lit(name),
        (NodeKind::GlobalDatabase(_) | NodeKind::DbCluster(_), Attr::Id) => Value::lit(name),
        (NodeKind::Bucket(_), Attr::Arn) => arn("s3", "", false, name),
        (NodeKind::GlobalTable(_), Attr::Arn) => {
            arn("dynamodb", region, true, &format!("table/{name}"))
        }
        (NodeKind::GlobalTable(t), Attr::ReplicaArn) => {
            let replica = t
                .replicas
                .iter()
                .find(|r| r.side == super::Role::Secondary)?;
            arn("dynamodb", &replica.region, true, &format!("table/{name}"))
        }
        (NodeKind::GlobalDatabase(_), Attr::Arn) => {
            arn("rds", "", true, &format!("global-cluster:{name}"))
        }
        (NodeKind::DbCluster(_), Attr::Arn) => arn("rds", region, true, &format!("cluster:{name}")),
        (NodeKind::Role(_), Attr::Arn) => arn("iam", "", true, &format!("role/{name}")),
        (NodeKind::LogGroup(_), Attr::Arn) => {
            arn("logs", region, true, &format!("log-group:{name}"))
        }
        (NodeKind::Queue(_), Attr::Arn) => arn("sqs", region, true, name),
        (NodeKind::Queue(_), Attr::Url) => Value::join(vec![
            Value::lit(format!("https://sqs.{region}.amazonaws.com/")),
            Value::AccountId,
            Value::lit(format!("/{name}")),
        ]),
        (NodeKind::Function(_), Attr::Arn) => {
            arn("lambda", region, true, &format!("function:{name}"))
        }
        (NodeKind::Vault(_), Attr::Arn) => {
            arn("backup", region, true, &format!("backup-vault:{name}"))
        }
        (NodeKind::Topic(_), Attr::Arn) => arn("sns", region, true, name),
        (NodeKind::EventRule(_), Attr::Arn) => arn("events", region, true, &format!("rule/{name}")),
        (NodeKind::Alarm(_) | NodeKind::CompositeAlarm(_), Attr::Arn) => {
            arn("cloudwatch", region, true, &format!("alarm:{name}"))
        }
        (NodeKind::Dashboard(_), Attr::Arn) => {
            arn("cloudwatch", "", true, &format!("dashboard/{name}"))
        }
        _ => return None,
    };
    Some(v)
}
