//! AWS Backup: vaults in both regions (R14), the plan with cross-region copies
//! (R12), its selection (R13) and the backup role; region settings CloudFormation
//! cannot set become account settings.

use super::{data, days, minutes, KeyUser, Lower};
use crate::diagnostic::Diagnostic;
use crate::emit::codes;
use crate::graph::{
    AccountSetting, BackupPlan, BackupRule, BackupSelection, CopyAction, IamRole, Lifecycle,
    NodeId, NodeKind, Protection, Value, Vault, VaultLockConfig,
};
use crate::model::{Role, VaultLock};

pub(crate) fn vault_id(plan: &str, role: Role) -> NodeId {
    NodeId::new(&["vault", plan, role.as_str()])
}

/// A rule name AWS Backup accepts: `[a-zA-Z0-9-_.]`, at most 50 characters.
fn rule_name(s: &str) -> String {
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
    clean.chars().take(50).collect()
}

pub(crate) fn lower(cx: &mut Lower) {
    let plans = cx.model.backups.clone();
    let mut opt_in: Vec<String> = Vec::new();
    let mut managed: Vec<String> = Vec::new();
    for p in &plans {
        // Vault Lock bounds: every rule's retention (and its copies') must fit.
        let retentions: Vec<u32> = p
            .rules
            .iter()
            .flat_map(|r| {
                let keep = days(r.retain.value);
                let copy = r.copy_retain.as_ref().map_or(keep, |c| days(c.value));
                [keep, copy]
            })
            .collect();
        let lock = match p.vault_lock.value {
            VaultLock::None => None,
            mode => Some(VaultLockConfig {
                min_retention_days: retentions.iter().copied().min().unwrap_or(1).max(1),
                max_retention_days: retentions.iter().copied().max().unwrap_or(1).max(1),
                changeable_for_days: (mode == VaultLock::Compliance).then(|| {
                    p.lock_changeable_for
                        .as_ref()
                        .map_or(3, |c| days(c.value))
                        .max(3)
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
                }),
            );
        }

        let role_id = NodeId::new(&["role", &format!("{}-backup", p.name), "primary"]);
        let mut resources = Vec::new();
        let mut has_bucket = false;
        for c in &p.covers {
            if cx.model.databases.iter().any(|d| d.name == c.name) {
                resources.push(cx.arn(&data::cluster_id(&c.name, Role::Primary)));
                opt_in.push("Aurora".into());
            } else if cx.model.tables.iter().any(|t| t.name == c.name) {
                resources.push(cx.arn(&data::table_id(&c.name)));
                opt_in.push("DynamoDB".into());
                managed.push("DynamoDB".into());
            } else if cx.model.buckets.iter().any(|b| b.name == c.name) {
                resources.push(cx.arn(&data::bucket_id(&c.name, Role::Primary)));
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
        let role_name = cx.base(&format!("{}-backup", p.name), "role");
        cx.add(
            role_id.clone(),
            Role::Primary,
            role_name,
            format!("AWS Backup role of plan `{}`", p.name),
            Protection::default(),
            NodeKind::Role(IamRole {
                trust_services: vec!["backup.amazonaws.com".into()],
                statements: Vec::new(),
                managed_policies,
            }),
        );
        for role in Role::BOTH {
            let key = cx.ops_key(role);
            let via = cx.via("backup", role);
            cx.use_key(
                &key,
                KeyUser::Role {
                    role: role_id.clone(),
                    via,
                    actions: vec![
                        "kms:CreateGrant",
                        "kms:Decrypt",
                        "kms:DescribeKey",
                        "kms:Encrypt",
                        "kms:GenerateDataKey*",
                        "kms:ReEncrypt*",
                    ],
                },
            );
        }

        let start = minutes(p.start_window.value).max(60);
        let completion = minutes(p.completion_window.value).max(start + 60);
        let mut rules = Vec::new();
        for r in &p.rules {
            let Some(cron) = crate::model::backup_schedule::cron(r.every.value.as_secs()) else {
                cx.error(
                    Diagnostic::new(
                        &codes::UNSUPPORTED,
                        format!(
                            "backup rule `{}` runs every {}, which AWS Backup cannot schedule",
                            r.name, r.every.value
                        ),
                    )
                    .at(r.every.span, "this interval")
                    .help(format!(
                        "use one of {}",
                        crate::model::backup_schedule::SCHEDULES
                            .iter()
                            .map(|(s, _)| crate::units::humanize_secs(*s))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                continue;
            };
            let lifecycle = Lifecycle {
                delete_after_days: days(r.retain.value),
                cold_after_days: r.cold_after.as_ref().map(|c| days(c.value)),
            };
            let copy = r.copy.value.then(|| CopyAction {
                vault: vault_id(&p.name, Role::Secondary),
                lifecycle: Lifecycle {
                    delete_after_days: r
                        .copy_retain
                        .as_ref()
                        .map_or(lifecycle.delete_after_days, |c| days(c.value)),
                    cold_after_days: lifecycle.cold_after_days,
                },
            });
            rules.push(BackupRule {
                name: rule_name(&r.name),
                schedule: cron.to_string(),
                start_window_minutes: start,
                completion_window_minutes: completion,
                lifecycle,
                continuous: r.continuous.value,
                copy,
            });
        }
        let plan_name = cx.base(&p.name, "plan");
        cx.add(
            NodeId::new(&["backup", &p.name, "primary"]),
            Role::Primary,
            plan_name.clone(),
            format!("Backup plan `{}`", p.name),
            Protection::default(),
            NodeKind::BackupPlan(BackupPlan {
                vault: vault_id(&p.name, Role::Primary),
                rules,
                selection: BackupSelection {
                    name: cx.base(&p.name, "selection"),
                    role: role_id,
                    resources,
                },
            }),
        );
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
