//! AWS Backup plans (R12–R14, R28): schedules against the RPO, cross-region
//! copies, retention against the profile, coverage of every stateful store and
//! Vault Lock.

pub mod cold_storage_too_short;
pub mod continuous_retention_too_long;
pub mod copy_retention_outside_lock;
pub mod interval_exceeds_rpo;
pub mod isolated_copy_ambiguous;
pub mod isolated_copy_missing;
pub mod isolated_vault_malformed;
pub mod isolated_vault_own_account;
pub mod no_cross_region_copy;
pub mod record_retention_unmet;
pub mod retention_below_minimum;
pub mod store_not_backed_up;
pub mod unschedulable_interval;
pub mod vault_lock_weaker;

use crate::model::{BackupPlan, BackupRule, Spanned, VaultLock};
use crate::units::Duration;

/// How long a rule's copies in the secondary vault are kept: `copy_retain`, else `retain`.
pub fn copy_retain(rule: &BackupRule) -> &Spanned<Duration> {
    rule.copy_retain.as_ref().unwrap_or(&rule.retain)
}

/// The retention range a locked vault enforces on backup and copy jobs
/// (`MinRetentionDays`, `MaxRetentionDays`): from the plan's shortest `retain` to its
/// longest. `None` when the plan has no Vault Lock or no rules. (Lowering takes the
/// range over `retain` and `copy_retain`; DRS0287 keeps every `copy_retain` inside this
/// range, so the two agree on every site that passes the checks.)
pub fn lock_range(plan: &BackupPlan) -> Option<(&Spanned<Duration>, &Spanned<Duration>)> {
    if plan.vault_lock.value == VaultLock::None {
        return None;
    }
    let min = plan
        .rules
        .iter()
        .map(|r| &r.retain)
        .min_by_key(|d| d.value.as_secs())?;
    let max = plan
        .rules
        .iter()
        .map(|r| &r.retain)
        .max_by_key(|d| d.value.as_secs())?;
    Some((min, max))
}

/// Vault Lock modes by strength.
pub fn lock_strength(l: VaultLock) -> u8 {
    match l {
        VaultLock::None => 0,
        VaultLock::Governance => 1,
        VaultLock::Compliance => 2,
    }
}

pub fn lock_name(l: VaultLock) -> &'static str {
    match l {
        VaultLock::None => "none",
        VaultLock::Governance => "governance",
        VaultLock::Compliance => "compliance",
    }
}
