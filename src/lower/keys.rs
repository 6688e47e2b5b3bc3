//! Key policies (R22), written once every use of every key is known. No
//! statement gives the account root `kms:*` or any use of the key: the root
//! statement of KMS's default policy delegates the key to every IAM policy of
//! the account, which would make the per-role statements decorative
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>:
//! "Without this permission, IAM policies that allow access to the key are
//! ineffective").
//!
//! * **Administration** by the key's `admins` and the site's `deployer`, named
//!   by ARN: the management actions only (the "key administrators" statement
//!   of the same page, without `kms:Create*`, which includes `CreateGrant`).
//!   The deployer is there so that CloudFormation and Terraform pass KMS's
//!   lockout safety check, which requires the principal calling `CreateKey` /
//!   `PutKeyPolicy` to be allowed a later `PutKeyPolicy`
//!   (<https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html>).
//!   Administrators other than the deployer are also denied every
//!   cryptographic action (an explicit deny beats any allow or grant).
//!   Without a `deployer` the account root also gets the management actions
//!   (never use), so that whoever deploys can pass the lockout check through
//!   their IAM policy.
//! * **Use** only by what lowering recorded ([`KeyUser`]): the deployer through
//!   the services that create encrypted resources (`kms:ViaService`); each role
//!   of the site with exactly its actions, named by an exact `aws:PrincipalArn`
//!   (not as a principal, so a key can name a role that a later stack creates:
//!   KMS rejects policies naming principals that do not exist yet); and the
//!   service principals of CloudWatch Logs and of the alert publishers.
//! * EventBridge publishing to an encrypted topic gets no `aws:SourceAccount`
//!   or `aws:SourceArn` condition: SNS documents them as unsupported for
//!   EventBridge-to-encrypted-topic delivery and the condition drops every
//!   event (<https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services>,
//!   reported in <https://github.com/awslabs/landing-zone-accelerator-on-aws/issues/407>).
//!   The topic policy limits EventBridge to the site's rules by `aws:SourceArn`
//!   instead (`super::ops`).

use super::{camel, KeyUser, Lower};
use crate::graph::{NodeKind, Principal, Resources, Statement, Value};
use std::collections::BTreeMap;

/// What key administrators may do: manage the key, never use it. From the
/// "key administrators" statement of the default key policy, spelled out
/// (`kms:Create*` would include `CreateGrant`), plus the rotation and alias
/// actions drsc's own keys need.
pub(crate) const ADMIN_ACTIONS: &[&str] = &[
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
];

/// The cryptographic actions (and `CreateGrant`, which hands them out):
/// never allowed to administrators, denied to those who are not the deployer.
pub(crate) const USE_ACTIONS: &[&str] = &[
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
];

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
    let deployer: Option<String> = cx.model.site.deployer.as_ref().map(|d| d.value.clone());
    for (id, region) in ids {
        let mut users = cx.key_users.get(&id).cloned().unwrap_or_default();
        users.sort();
        users.dedup();
        // `key/<name>/<side>`: the model key's administrators.
        let name = id.as_str().split('/').nth(1).unwrap_or_default();
        let mut admins: Vec<String> = cx
            .model
            .keys
            .iter()
            .filter(|k| k.name == name)
            .flat_map(|k| k.admins.iter().map(|a| a.value.clone()))
            .collect();
        admins.sort();
        admins.dedup();
        let mut administrators = admins.clone();
        administrators.extend(deployer.clone());
        administrators.sort();
        administrators.dedup();
        let mut policy = Vec::new();
        if !administrators.is_empty() {
            policy.push(stmt(
                "KeyAdministration",
                Principal::Iam(administrators),
                ADMIN_ACTIONS,
            ));
        }
        if deployer.is_none() {
            // Whoever deploys must pass the lockout check: without a named
            // deployer that is only possible through the account's IAM
            // policies, for management actions only.
            policy.push(stmt(
                "AccountKeyAdministration",
                Principal::Account,
                ADMIN_ACTIONS,
            ));
        }
        let pure_admins: Vec<String> = admins
            .into_iter()
            .filter(|a| Some(a) != deployer.as_ref())
            .collect();
        if !pure_admins.is_empty() {
            let mut deny = stmt(
                "DenyKeyUseByAdministrators",
                Principal::Iam(pure_admins),
                USE_ACTIONS,
            );
            deny.effect = crate::graph::Effect::Deny;
            policy.push(deny);
        }
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
            let (who, principal) = match &deployer {
                Some(d) => (
                    format!("the deployer `{d}`"),
                    Principal::Iam(vec![d.clone()]),
                ),
                None => ("account principals".to_string(), Principal::Account),
            };
            used_by.push(format!("{who} via {}", services.join(", ")));
            // Creating encrypted clusters, tables, vaults and secrets: the
            // creator's grant, through the service only.
            policy.push(
                stmt(
                    "AllowDeployerThroughServices",
                    principal,
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

        let publishers: Vec<&'static str> = users
            .iter()
            .filter_map(|u| match u {
                KeyUser::Publisher(s) => Some(*s),
                _ => None,
            })
            .collect();
        for p in publishers {
            let principal = format!("{p}.amazonaws.com");
            used_by.push(format!("{principal} (SNS topics)"));
            // SNS: the publishing service needs GenerateDataKey* and Decrypt
            // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
            let s = stmt(
                &format!("AllowPublishFrom{}", camel(p)),
                Principal::Services(vec![principal]),
                &["kms:Decrypt", "kms:GenerateDataKey*"],
            );
            policy.push(if p == "events" {
                // No aws:SourceAccount / aws:SourceArn here (see the module doc).
                s
            } else {
                s.when("StringEquals", "aws:SourceAccount", vec![Value::AccountId])
            });
        }

        // Service-linked roles (the Backup Audit Manager reports role): every
        // principal, narrowed to the one role by its exact ARN, the account
        // and one service. Not a `Principal`: KMS rejects key policies whose
        // principals do not exist, and the role exists only once the service
        // first needs it.
        for u in &users {
            if let KeyUser::ServiceLinkedRole {
                role_path,
                via,
                actions,
            } = u
            {
                let name = role_path.rsplit('/').next().unwrap_or(role_path);
                used_by.push(format!("service-linked role {name}"));
                policy.push(
                    stmt(&format!("Allow{name}"), Principal::Anyone, actions)
                        .when(
                            "ArnEquals",
                            "aws:PrincipalArn",
                            vec![Value::join(vec![
                                Value::lit("arn:"),
                                Value::Partition,
                                Value::lit(":iam::"),
                                Value::AccountId,
                                Value::lit(format!(":role/{role_path}")),
                            ])],
                        )
                        .when("StringEquals", "kms:CallerAccount", vec![Value::AccountId])
                        .when(
                            "StringEquals",
                            "kms:ViaService",
                            vec![Value::lit(via.clone())],
                        ),
                );
            }
        }

        if let Some(NodeKind::Key(k)) = cx.node_mut(&id).map(|n| &mut n.kind) {
            k.policy = policy;
            k.used_by = used_by;
        }
    }
}
