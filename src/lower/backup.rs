//! AWS Backup: vaults in both regions (R14), the plan with cross-region copies
//! (R12), its selection (R13) and the backup role; region settings CloudFormation
//! cannot set become account settings.

use super::{data, KeyUser, Lower};
use crate::graph::{
    AccountSetting, Attr, BackupPlan, BackupRule, BackupSelection, CopyAction, Derived, Effect,
    IamRole, Lifecycle, NodeId, NodeKind, Principal, Protection, Resources, Statement, Value,
    Vault, VaultLockConfig,
};
use crate::model::{Role, VaultLock};

/// What an AWS Backup role (backups, copies, restores) does with a
/// customer-managed key, through AWS Backup only: the grants AWS Backup
/// creates for the services it drives, and encrypting and re-encrypting
/// recovery points.
pub(crate) const BACKUP_ROLE_KEY_ACTIONS: [&str; 6] = [
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
];

pub(crate) fn vault_id(plan: &str, role: Role) -> NodeId {
    NodeId::new(&["vault", plan, role.as_str()])
}

/// The vault access policy of every vault: no one (the account root and the
/// deployer included) may delete a recovery point, change its lifecycle or
/// replace this policy; recovery points leave the vault only by their
/// lifecycle. The three actions and the wildcard `Principal` and `Resource`
/// are what the `BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED` control
/// evaluates (AWS Config rule backup-recovery-point-manual-deletion-disabled:
/// "a suitable 'Deny' statement (statement with backup:DeleteRecoveryPoint,
/// backup:UpdateRecoveryPointLifecycle, and backup:PutBackupVaultAccessPolicy
/// permissions)", "Wildcard required for \"Resource\" and \"Principal\"",
/// <https://docs.aws.amazon.com/config/latest/developerguide/backup-recovery-point-manual-deletion-disabled.html>;
/// vault access policies take no wildcard in `Action`,
/// <https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html>).
/// `DeleteBackupVaultAccessPolicy` is not denied: an administrator can still
/// remove the policy (CloudTrail records it and the control reports the vault
/// non-compliant), which is also how a non-production site is torn down.
pub(crate) fn deny_manual_deletion() -> Vec<Statement> {
    let mut s = Statement::allow(
        "DenyManualDeletion",
        &[
            "backup:DeleteRecoveryPoint",
            "backup:PutBackupVaultAccessPolicy",
            "backup:UpdateRecoveryPointLifecycle",
        ],
        Vec::new(),
    )
    .to(Principal::Anyone);
    s.effect = Effect::Deny;
    s.resources = Resources::All;
    vec![s]
}

/// A rule name AWS Backup accepts: `[a-zA-Z0-9-_.]`, at most 50 characters.
pub(crate) fn rule_name(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    clean
}

pub(crate) fn lower(cx: &mut Lower) {
    let plans = cx.model.backups.clone();
    let mut opt_in: Vec<String> = Vec::new();
    let mut managed: Vec<String> = Vec::new();
    for p in &plans {
        // Vault Lock bounds: every rule's retention (and its copies') must fit.
        // The rules' lifecycles, derived once: the vault lock bounds and the rules use them.
        let lifecycles: Vec<(Lifecycle, Lifecycle)> = p
            .rules
            .iter()
            .map(|r| {
                let keep = Lifecycle {
                    delete_after_days: cx.days(&r.retain, "retain"),
                    cold_after_days: r.cold_after.as_ref().map(|c| cx.days(c, "cold_after")),
                };
                let copy = Lifecycle {
                    delete_after_days: match &r.copy_retain {
                        Some(c) => cx.days(c, "copy_retain"),
                        None => keep.delete_after_days.clone(),
                    },
                    cold_after_days: keep.cold_after_days.clone(),
                };
                (keep, copy)
            })
            .collect();
        let retentions: Vec<&Derived<u32>> = lifecycles
            .iter()
            .flat_map(|(k, c)| [&k.delete_after_days, &c.delete_after_days])
            .collect();
        let lock = match p.vault_lock.value {
            VaultLock::None => None,
            mode => Some(VaultLockConfig {
                min_retention_days: retentions
                    .iter()
                    .min_by_key(|d| d.value)
                    .map_or(Derived::fixed(1), |d| (*d).clone()),
                max_retention_days: retentions
                    .iter()
                    .max_by_key(|d| d.value)
                    .map_or(Derived::fixed(1), |d| (*d).clone()),
                // Compliance mode: the shortest cooling-off AWS allows unless the site sets one.
                changeable_for_days: (mode == VaultLock::Compliance).then(|| {
                    p.lock_changeable_for
                        .as_ref()
                        .map_or(Derived::fixed(3), |c| cx.days(c, "lock_changeable_for"))
                }),
            }),
        };
        for role in [Role::Secondary, Role::Primary] {
            let key = cx.ops_key(role);
            let via = cx.via("backup", role);
            cx.use_key(&key, KeyUser::ViaService(via));
            let name = cx.base(&p.name, "vault");
            cx.add(
                vault_id(&p.name, role),
                role,
                name,
                format!("Backup vault `{}` in {}", p.name, cx.region(role)),
                Protection {
                    retain: cx.site.production,
                    deletion_protection: false,
                },
                NodeKind::Vault(Vault {
                    key: cx.key_arn(&key),
                    lock: lock.clone(),
                    access_policy: deny_manual_deletion(),
                }),
            );
        }

        // R33: one plan per region, each covering its own region's stores and
        // copying to the other region's vault, so the promoted region keeps
        // its backups without a redeploy. The role (IAM is global) is
        // created once per region so neither stack needs the other's.
        for role in Role::BOTH {
            plan_in(cx, p, role, &lifecycles, &mut opt_in, &mut managed);
        }
    }
    opt_in.sort();
    opt_in.dedup();
    managed.sort();
    managed.dedup();
    if !opt_in.is_empty() {
        for role in Role::BOTH {
            cx.settings.push(AccountSetting::BackupRegionSettings {
                region: cx.region(role),
                opt_in: opt_in.clone(),
                full_management: managed.clone(),
            });
        }
    }
}

/// The plan of `p` homed in `role`'s region: that region's stores, copies to
/// the other region's vault.
///
/// The secondary region's selection names the secondary Aurora member. While
/// it is a read-only member of the global database the docs corpus searched
/// for this change does not say whether AWS Backup snapshots it; after a
/// promotion it is the writer and the plan protects it without a redeploy.
fn plan_in(
    cx: &mut Lower,
    p: &crate::model::BackupPlan,
    role: Role,
    lifecycles: &[(Lifecycle, Lifecycle)],
    opt_in: &mut Vec<String>,
    managed: &mut Vec<String>,
) {
    let key_side = |cx: &Lower, label: &str, kind: &str| match role {
        // The primary side keeps the names it always had.
        Role::Primary => cx.base(label, kind),
        Role::Secondary => cx.regional(label, kind, role),
    };
    let role_id = NodeId::new(&["role", &format!("{}-backup", p.name), role.as_str()]);
    let mut resources = Vec::new();
    let mut has_bucket = false;
    for c in &p.covers {
        if cx.model.databases.iter().any(|d| d.name == c.name) {
            resources.push(Value::r(&data::cluster_id(&c.name, role), Attr::Arn));
            opt_in.push("Aurora".into());
        } else if cx.model.tables.iter().any(|t| t.name == c.name) {
            // AWS Backup backs up a global table's replica by its regional
            // table ARN: the primary one is the node's own ARN, the
            // secondary replica's differs only in its region.
            resources.push(match role {
                Role::Primary => Value::r(&data::table_id(&c.name), Attr::Arn),
                Role::Secondary => Value::r(&data::table_id(&c.name), Attr::ReplicaArn),
            });
            opt_in.push("DynamoDB".into());
            managed.push("DynamoDB".into());
        } else if cx.model.buckets.iter().any(|b| b.name == c.name) {
            resources.push(Value::r(&data::bucket_id(&c.name, role), Attr::Arn));
            opt_in.push("S3".into());
            has_bucket = true;
        }
    }
    let policy = |path: &str, name: &str| {
        Value::join(vec![
            Value::lit("arn:"),
            Value::Partition,
            Value::lit(format!(":iam::aws:policy/{path}{name}")),
        ])
    };
    let mut managed_policies = vec![
        policy("service-role/", "AWSBackupServiceRolePolicyForBackup"),
        policy("service-role/", "AWSBackupServiceRolePolicyForRestores"),
    ];
    if has_bucket {
        managed_policies.push(policy("", "AWSBackupServiceRolePolicyForS3Backup"));
        managed_policies.push(policy("", "AWSBackupServiceRolePolicyForS3Restore"));
    }
    let role_name = key_side(cx, &format!("{}-backup", p.name), "role");
    cx.add(
        role_id.clone(),
        role,
        role_name,
        format!(
            "AWS Backup role of plan `{}` in {}",
            p.name,
            cx.region(role)
        ),
        Protection::default(),
        NodeKind::Role(IamRole {
            trust_services: vec!["backup.amazonaws.com".into()],
            statements: Vec::new(),
            managed_policies,
        }),
    );
    // Its own region's vault key (backups) and the other region's (copies).
    for side in Role::BOTH {
        let key = cx.ops_key(side);
        let via = cx.via("backup", side);
        cx.use_key(
            &key,
            KeyUser::Role {
                role: role_id.clone(),
                via,
                actions: BACKUP_ROLE_KEY_ACTIONS.to_vec(),
            },
        );
    }

    let start = cx.minutes(&p.start_window, "start_window");
    let completion = cx.minutes(&p.completion_window, "completion_window");
    let mut rules = Vec::new();
    for (r, (lifecycle, copy_lifecycle)) in p.rules.iter().zip(lifecycles.iter().cloned()) {
        let every = r.every.value.as_secs();
        // DRS0288 rejects intervals AWS Backup cannot schedule, from the same table.
        let Some(cron) = crate::model::backup_schedule::cron(every) else {
            // Reported once, for the primary plan.
            if role == Role::Primary {
                cx.error(
                    crate::registry::internal(format!(
                        "backup rule `{}` runs every {}, which no AWS Backup schedule expresses",
                        r.name, r.every.value
                    ))
                    .at(r.every.span, "this interval"),
                );
            }
            continue;
        };
        let copy = r.copy.value.then(|| CopyAction {
            vault: vault_id(&p.name, role.other()),
            lifecycle: copy_lifecycle,
        });
        rules.push(BackupRule {
            name: rule_name(&r.name),
            schedule: Derived::at(cron.to_string(), r.every.span),
            interval_secs: Derived::at(every, r.every.span),
            start_window_minutes: start.clone(),
            completion_window_minutes: completion.clone(),
            lifecycle,
            continuous: r.continuous.value,
            copy,
            // Set by `super::isolated` when the plan asks for an isolated copy.
            isolated_copy: None,
        });
    }
    let plan_name = key_side(cx, &p.name, "plan");
    let selection = key_side(cx, &p.name, "selection");
    cx.add(
        NodeId::new(&["backup", &p.name, role.as_str()]),
        role,
        plan_name,
        format!("Backup plan `{}` in {}", p.name, cx.region(role)),
        Protection::default(),
        NodeKind::BackupPlan(BackupPlan {
            vault: vault_id(&p.name, role),
            rules,
            selection: BackupSelection {
                name: selection,
                role: role_id,
                resources: Derived::at(resources, p.covers_span),
            },
        }),
    );
}
