//! AWS Backup Audit Manager (R36, issue 13 item 1): one framework per region
//! that has backup plans, whose controls measure in production what the
//! objectives proof shows on paper.
//!
//! Control and parameter names, as the AWS Backup Developer Guide gives them
//! ("Choosing your controls",
//! <https://docs.aws.amazon.com/aws-backup/latest/devguide/choosing-controls.html>;
//! "Controls and remediation",
//! <https://docs.aws.amazon.com/aws-backup/latest/devguide/controls-and-remediation.html>;
//! "Creating frameworks using the AWS Backup API",
//! <https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-frameworks-api.html>):
//! - `BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN` (no parameters);
//! - `BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK`: `requiredFrequencyUnit`
//!   (`hours` or `days`), `requiredFrequencyValue`, `requiredRetentionDays`;
//! - `BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED` (no parameters: no IAM role
//!   may delete recovery points);
//! - `BACKUP_RECOVERY_POINT_ENCRYPTED` (no parameters);
//! - `BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK`: `requiredRetentionDays`;
//! - `BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION`: `crossRegionList` (the name is
//!   the one of the AWS Config rules the control deploys, e.g.
//!   <https://docs.aws.amazon.com/config/latest/developerguide/virtualmachine-resources-protected-by-backup-plan.html>);
//! - `BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK` (no parameters set here);
//! - `BACKUP_LAST_RECOVERY_POINT_CREATED`: `recoveryPointAgeUnit` (`hours` or
//!   `days`), `recoveryPointAgeValue` (at most 744 hours or 31 days, per the AWS
//!   Config rule it deploys,
//!   <https://docs.aws.amazon.com/config/latest/developerguide/s3-last-backup-recovery-point-created.html>);
//! - `RESTORE_TIME_FOR_RESOURCES_MEET_TARGET`: `maxRestoreTime` in minutes.
//!
//! A framework counts each of its controls against the 50 controls per account
//! and region ("Controls and remediation"); drsc emits at most 9 per region.

use super::Lower;
use crate::graph::{BackupFramework, Derived, FrameworkControl, NodeId, NodeKind, Protection};
use crate::model::{Replication, Role, VaultLock};

/// AWS Backup Audit Manager's limit: controls per account and region.
pub const MAX_CONTROLS: usize = 50;

pub(crate) fn framework_id(role: Role) -> NodeId {
    NodeId::new(&["framework", "audit", role.as_str()])
}

/// `secs` as a `(unit, value)` AWS reads for an age or frequency: whole days
/// up to `max_days`, else whole hours (at least 1) up to `max_hours`. `None`
/// when neither expresses it exactly (nothing is rounded).
pub(crate) fn hours_or_days(
    secs: u64,
    max_hours: u64,
    max_days: u64,
) -> Option<(&'static str, u64)> {
    if secs > 0 && secs % 86_400 == 0 && secs / 86_400 <= max_days {
        Some(("days", secs / 86_400))
    } else if secs >= 3_600 && secs % 3_600 == 0 && secs / 3_600 <= max_hours {
        Some(("hours", secs / 3_600))
    } else {
        None
    }
}

fn whole_days(v: &crate::model::Spanned<crate::units::Duration>) -> Option<Derived<String>> {
    let secs = v.value.as_secs();
    (secs > 0 && secs % 86_400 == 0).then(|| Derived::at((secs / 86_400).to_string(), v.span))
}

pub(crate) fn lower(cx: &mut Lower) {
    let model = cx.model;
    if model.backups.is_empty() {
        return;
    }
    let rules: Vec<&crate::model::BackupRule> =
        model.backups.iter().flat_map(|p| p.rules.iter()).collect();
    let Some(shortest) = rules.iter().min_by_key(|r| r.every.value.as_secs()) else {
        return;
    };
    let profile = model.profile.as_ref();
    // The retention the controls demand: the profile's minimum, else the site's shortest.
    let retention = profile
        .and_then(|p| p.min_backup_retention.as_ref())
        .or_else(|| {
            rules
                .iter()
                .map(|r| &r.retain)
                .min_by_key(|d| d.value.as_secs())
        })
        .and_then(whole_days);
    let lock_required = profile
        .and_then(|p| p.vault_lock.as_ref())
        .is_some_and(|l| l.value != VaultLock::None);
    // The bound the RPO proof relies on: where a covered store has no
    // replication, its backups carry the RPO, so recovery points must be
    // younger than the RPO itself; where replication carries it, the backups
    // must keep to their schedule.
    let backups_carry_rpo = model.backups.iter().flat_map(|p| &p.covers).any(|c| {
        model
            .buckets
            .iter()
            .any(|b| b.name == c.name && b.replication.value == Replication::None)
    });
    let age = if backups_carry_rpo {
        Derived::at(model.site.rpo.value.as_secs(), model.site.rpo.span)
    } else {
        Derived::at(shortest.every.value.as_secs(), shortest.every.span)
    };
    let rto = Derived::at(model.site.rto.value.as_secs(), model.site.rto.span);

    for role in Role::BOTH {
        let mut types: Vec<String> = Vec::new();
        for c in model.backups.iter().flat_map(|p| &p.covers) {
            if model.databases.iter().any(|d| d.name == c.name) {
                types.push("Aurora".into());
            } else if model.tables.iter().any(|t| t.name == c.name) {
                types.push("DynamoDB".into());
            } else if model.buckets.iter().any(|b| b.name == c.name) {
                types.push("S3".into());
            }
        }
        types.sort();
        types.dedup();
        let control = |name: &'static str, parameters, scoped: bool| FrameworkControl {
            name,
            parameters,
            resource_types: if scoped { types.clone() } else { Vec::new() },
        };
        let mut controls = vec![control(
            "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
            vec![],
            true,
        )];
        let mut inexpressible = Vec::new();
        let freq_secs = shortest.every.value.as_secs();
        if let (Some((unit, value)), Some(days)) =
            (hours_or_days(freq_secs, u64::MAX, u64::MAX), &retention)
        {
            controls.push(control(
                "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
                vec![
                    (
                        "requiredFrequencyUnit",
                        Derived::at(unit.to_string(), shortest.every.span),
                    ),
                    (
                        "requiredFrequencyValue",
                        Derived::at(value.to_string(), shortest.every.span),
                    ),
                    ("requiredRetentionDays", days.clone()),
                ],
                false,
            ));
        }
        controls.push(control(
            "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
            vec![],
            false,
        ));
        controls.push(control("BACKUP_RECOVERY_POINT_ENCRYPTED", vec![], true));
        if let Some(days) = &retention {
            controls.push(control(
                "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
                vec![("requiredRetentionDays", days.clone())],
                true,
            ));
        }
        let partner = cx.region(role.other());
        let partner_span = match role.other() {
            Role::Primary => model.site.primary.span,
            Role::Secondary => model.site.secondary.span,
        };
        controls.push(control(
            "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
            vec![("crossRegionList", Derived::at(partner, partner_span))],
            true,
        ));
        if lock_required {
            controls.push(control(
                "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
                vec![],
                true,
            ));
        }
        match hours_or_days(*age, 744, 31) {
            Some((unit, value)) => controls.push(control(
                "BACKUP_LAST_RECOVERY_POINT_CREATED",
                vec![
                    ("recoveryPointAgeUnit", age.map(|_| unit.to_string())),
                    ("recoveryPointAgeValue", age.map(|_| value.to_string())),
                ],
                true,
            )),
            None => inexpressible.push(("BACKUP_LAST_RECOVERY_POINT_CREATED", age.clone())),
        }
        if *rto > 0 && *rto % 60 == 0 {
            controls.push(control(
                "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
                vec![("maxRestoreTime", rto.map(|s| (s / 60).to_string()))],
                true,
            ));
        } else {
            inexpressible.push(("RESTORE_TIME_FOR_RESOURCES_MEET_TARGET", rto.clone()));
        }
        debug_assert!(controls.len() <= MAX_CONTROLS);
        // Framework names are `[a-zA-Z][_a-zA-Z0-9]*`: no hyphens.
        let name = cx.regional("audit", "framework", role).replace('-', "_");
        cx.add(
            framework_id(role),
            role,
            name,
            format!("AWS Backup audit framework in {}", cx.region(role)),
            Protection::default(),
            NodeKind::BackupFramework(BackupFramework {
                controls,
                inexpressible,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::hours_or_days;

    #[test]
    fn ages_are_whole_hours_or_days_within_the_config_rule_limits() {
        assert_eq!(hours_or_days(3_600, 744, 31), Some(("hours", 1)));
        assert_eq!(hours_or_days(86_400, 744, 31), Some(("days", 1)));
        assert_eq!(hours_or_days(36 * 3_600, 744, 31), Some(("hours", 36)));
        assert_eq!(hours_or_days(31 * 86_400, 744, 31), Some(("days", 31)));
        // Under an hour, not whole hours, beyond both limits: not expressible.
        assert_eq!(hours_or_days(900, 744, 31), None);
        assert_eq!(hours_or_days(90 * 60, 744, 31), None);
        assert_eq!(hours_or_days(40 * 86_400, 744, 31), None);
    }
}
