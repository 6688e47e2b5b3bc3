//! Key policies (R22), written once every use of every key is known: account
//! administration, then exactly the services and roles that use the key,
//! each limited by `kms:ViaService` (or, for service principals, by the
//! encryption context or source account). Roles are named by condition
//! (`aws:PrincipalArn`), not as principals, so a key can name a role that
//! another region's deployment creates later.

use super::{camel, KeyUser, Lower};
use crate::graph::{NodeKind, Principal, Resources, Statement, Value};
use std::collections::BTreeMap;

fn stmt(sid: &str, principal: Principal, actions: &[&str]) -> Statement {
    let mut s = Statement::allow(sid, actions, Vec::new()).to(principal);
    s.resources = Resources::All;
    s
}

pub(crate) fn lower(cx: &mut Lower) {
    let ids: Vec<_> = cx
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Key(_)))
        .map(|n| (n.id.clone(), n.region.clone()))
        .collect();
    for (id, region) in ids {
        let mut users = cx.key_users.get(&id).cloned().unwrap_or_default();
        users.sort();
        users.dedup();
        let mut policy = vec![stmt(
            "EnableAccountAdministration",
            Principal::Account,
            &["kms:*"],
        )];
        let mut used_by = Vec::new();

        let mut services: Vec<String> = users
            .iter()
            .filter_map(|u| match u {
                KeyUser::ViaService(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        services.sort();
        services.dedup();
        if !services.is_empty() {
            used_by.extend(
                services
                    .iter()
                    .map(|s| format!("account principals via {s}")),
            );
            policy.push(
                stmt(
                    "AllowAccountUseThroughServices",
                    Principal::Account,
                    &[
                        "kms:CreateGrant",
                        "kms:Decrypt",
                        "kms:DescribeKey",
                        "kms:Encrypt",
                        "kms:GenerateDataKey*",
                        "kms:ReEncrypt*",
                    ],
                )
                .when("StringEquals", "kms:CallerAccount", vec![Value::AccountId])
                .when(
                    "StringLike",
                    "kms:ViaService",
                    services.into_iter().map(Value::Lit).collect(),
                ),
            );
        }

        // Role uses: one statement per role and set of actions, naming
        // the services those actions go through.
        let mut roles: BTreeMap<(crate::graph::NodeId, Vec<&'static str>), Vec<String>> =
            BTreeMap::new();
        for u in &users {
            if let KeyUser::Role { role, via, actions } = u {
                let mut actions = actions.clone();
                actions.sort();
                actions.dedup();
                roles
                    .entry((role.clone(), actions))
                    .or_default()
                    .push(via.clone());
            }
        }
        let mut per_role: BTreeMap<crate::graph::NodeId, usize> = BTreeMap::new();
        for (role, _) in roles.keys() {
            *per_role.entry(role.clone()).or_default() += 1;
        }
        let mut seen: BTreeMap<crate::graph::NodeId, usize> = BTreeMap::new();
        for ((role, actions), mut vias) in roles {
            vias.sort();
            vias.dedup();
            let Some(node) = cx.node(&role) else { continue };
            let name = node.name.clone();
            if !used_by.contains(&format!("role {name}")) {
                used_by.push(format!("role {name}"));
            }
            let label = role.as_str().trim_start_matches("role/");
            let n = seen.entry(role.clone()).or_default();
            *n += 1;
            let sid = if per_role[&role] > 1 {
                format!("AllowRole{}{}", camel(label), n)
            } else {
                format!("AllowRole{}", camel(label))
            };
            let arn = cx.arn(&role);
            policy.push(
                stmt(&sid, Principal::Account, &actions)
                    .when("ArnEquals", "aws:PrincipalArn", vec![arn])
                    .when(
                        "StringEquals",
                        "kms:ViaService",
                        vias.into_iter().map(Value::Lit).collect(),
                    ),
            );
        }

        if users.contains(&KeyUser::Logs) {
            used_by.push("CloudWatch Logs".into());
            policy.push(
                stmt(
                    "AllowCloudWatchLogs",
                    Principal::Services(vec![format!("logs.{region}.amazonaws.com")]),
                    &[
                        "kms:Decrypt*",
                        "kms:Describe*",
                        "kms:Encrypt*",
                        "kms:GenerateDataKey*",
                        "kms:ReEncrypt*",
                    ],
                )
                .when(
                    "ArnLike",
                    "kms:EncryptionContext:aws:logs:arn",
                    vec![Value::join(vec![
                        Value::lit("arn:"),
                        Value::Partition,
                        Value::lit(format!(":logs:{region}:")),
                        Value::AccountId,
                        Value::lit(":log-group:*"),
                    ])],
                ),
            );
        }

        let mut publishers: Vec<String> = users
            .iter()
            .filter_map(|u| match u {
                KeyUser::Publisher(s) => Some(format!("{s}.amazonaws.com")),
                _ => None,
            })
            .collect();
        publishers.sort();
        publishers.dedup();
        if !publishers.is_empty() {
            used_by.extend(publishers.iter().map(|p| format!("{p} (SNS topics)")));
            policy.push(
                stmt(
                    "AllowAlertPublishers",
                    Principal::Services(publishers),
                    &["kms:Decrypt", "kms:GenerateDataKey*"],
                )
                .when("StringEquals", "aws:SourceAccount", vec![Value::AccountId]),
            );
        }

        if let Some(NodeKind::Key(k)) = cx.node_mut(&id).map(|n| &mut n.kind) {
            k.policy = policy;
            k.used_by = used_by;
        }
    }
}
