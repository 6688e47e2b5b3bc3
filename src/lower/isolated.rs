//! The ransomware tier (issue 13 item 4): an isolated copy of every recovery
//! point of a plan that asks for one (`isolated_copy = true` or
//! `isolated_vault = "<vault ARN>"`).
//!
//! * `isolated_copy = true`: a logically air-gapped vault
//!   (`AWS::Backup::LogicallyAirGappedBackupVault`) in the **secondary**
//!   region, so the isolated copy survives the loss of the primary with the
//!   rest of the recovery data. Such a vault is always under a compliance-mode
//!   Vault Lock and can be shared with a recovery account (AWS RAM) or
//!   recovered with multi-party approval even if the owning account is lost
//!   (<https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html>).
//!   drsc leaves it on its default AWS owned key: the copy must stay readable
//!   if an intruder in the account disables or schedules the deletion of the
//!   site's own customer-managed keys, which is the attack the tier is for
//!   (the guide offers a customer-managed key as an option). Its minimum and
//!   maximum retention are the shortest and longest copy lifecycle of the
//!   plan's rules (both required by the resource).
//! * `isolated_vault = "<ARN>"`: the copy goes to that vault of another
//!   account. Its access policy (allowing `backup:CopyIntoBackupVault` from
//!   this account) and the organization's cross-account backup setting are
//!   outside the site; `check` rejects an ARN that is malformed (DRS0520) or
//!   names the site's own account (DRS0521).
//!
//! Each rule of the plan (in both regions' plans) gains a copy action to the
//! isolated vault with the rule's copy lifecycle (`copy_retain`, else
//! `retain`), without cold storage. The isolated copy is not on the recovery
//! path the objectives and the region-loss simulation prove: restoring from it
//! is the last resort the README describes.

use super::Lower;
use crate::graph::{
    AirGappedVault, Attr, Derived, IsolatedCopy, Lifecycle, NodeId, NodeKind, Protection, Value,
};
use crate::model::Role;

pub(crate) fn vault_id(plan: &str) -> NodeId {
    NodeId::new(&[
        "vault",
        &format!("{plan}-isolated"),
        Role::Secondary.as_str(),
    ])
}

pub(crate) fn lower(cx: &mut Lower) {
    let plans = cx.model.backups.clone();
    for p in &plans {
        if !p.isolated_copy.value && p.isolated_vault.is_none() {
            continue;
        }
        // The copies' retention, per rule: `copy_retain`, else `retain`.
        let keep: Vec<Derived<u32>> = p
            .rules
            .iter()
            .map(|r| match &r.copy_retain {
                Some(c) => cx.days(c, "copy_retain"),
                None => cx.days(&r.retain, "retain"),
            })
            .collect();
        let destination = match &p.isolated_vault {
            Some(arn) => Value::lit(arn.value.clone()),
            None => {
                let id = vault_id(&p.name);
                let name = cx.regional(&format!("{}-isolated", p.name), "vault", Role::Secondary);
                let min = keep
                    .iter()
                    .min_by_key(|d| d.value)
                    .cloned()
                    .unwrap_or(Derived::fixed(1));
                let max = keep
                    .iter()
                    .max_by_key(|d| d.value)
                    .cloned()
                    .unwrap_or(Derived::fixed(1));
                cx.add(
                    id.clone(),
                    Role::Secondary,
                    name,
                    format!(
                        "Logically air-gapped vault: the isolated copy of plan `{}`",
                        p.name
                    ),
                    Protection {
                        retain: cx.site.production,
                        deletion_protection: false,
                    },
                    NodeKind::AirGappedVault(AirGappedVault {
                        min_retention_days: min,
                        max_retention_days: max,
                    }),
                );
                Value::r(&id, Attr::Arn)
            }
        };
        for role in Role::BOTH {
            let plan = NodeId::new(&["backup", &p.name, role.as_str()]);
            let Some(NodeKind::BackupPlan(bp)) = cx.node_mut(&plan).map(|n| &mut n.kind) else {
                continue;
            };
            for rule in bp.rules.iter_mut() {
                let Some(days) = p
                    .rules
                    .iter()
                    .position(|r| super::backup::rule_name(&r.name) == rule.name)
                    .and_then(|i| keep.get(i))
                else {
                    continue;
                };
                rule.isolated_copy = Some(IsolatedCopy {
                    destination: destination.clone(),
                    lifecycle: Lifecycle {
                        delete_after_days: days.clone(),
                        cold_after_days: None,
                    },
                });
            }
        }
    }
}
