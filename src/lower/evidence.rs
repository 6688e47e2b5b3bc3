//! Evidence (issue 13 item 1, second half): AWS Backup Audit Manager report
//! plans delivering the control-compliance report of each region's audit
//! framework and the backup, copy and restore job reports to an evidence
//! bucket of the same region.
//!
//! **Where.** One evidence bucket per region that has an audit framework, and
//! each region's report plans deliver to their own region's bucket: a report
//! plan covers its own region (single-account, single-Region reports; the
//! delivery path is `prefix/Backup/<account>/<Region>/year/month/day/report`,
//! <https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-console.html>),
//! and no guide page searched for this change documents delivery to a bucket
//! of another region, so drsc does not rely on one. After the loss of the
//! primary region the secondary's bucket keeps receiving the reports of the
//! region that then runs production; the primary's reports stay, under
//! Object Lock, in the primary's bucket. Neither bucket is on the recovery
//! path (`objectives::region_loss` needs nothing of them).
//!
//! **The bucket.** SSE-KMS with the region's customer-managed key (the key
//! every other bucket of drsc uses, [`Lower::ops_key`]), versioned, all
//! public access blocked, TLS-only, server access logging (added by
//! [`super::hardening`] like every bucket's), and S3 Object Lock with a default
//! retention of the records period: the profile's `record_retention` (the
//! site's longest backup retention without one), in `COMPLIANCE` mode when
//! the profile demands a compliance Vault Lock, else `GOVERNANCE`
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html>).
//!
//! **Who writes.** The Backup Audit Manager service-linked role
//! `AWSServiceRoleForBackupReports` (trusted by `reports.backup.amazonaws.com`)
//! delivers the reports. Its managed policy has no `s3:PutObject`
//! (<https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSServiceRolePolicyForBackupReports.html>),
//! so the bucket policy allows it `s3:PutObject` with
//! `s3:x-amz-acl = bucket-owner-full-control`, the statement of the guide's
//! sample bucket policy (create-report-plan-console.html above). The guide
//! requires a customer key's policy to name the role with at least
//! `kms:GenerateDataKey` and `kms:Decrypt` (create-report-plan-api.html;
//! the console page lists `kms:GenerateDataKey` and `kms:Encrypt`): the key
//! policy allows the three, through S3 only, naming the role by an exact
//! `aws:PrincipalArn` because the role may not exist when the key is created.

use super::{audit, KeyUser, Lower};
use crate::graph::{
    Derived, LockRetention, NodeId, NodeKind, ObjectLock, Principal, Protection, ReportPlan,
    Statement, Value,
};
use crate::model::{Role, VaultLock};
use crate::units::DurationUnit;

/// The Backup Audit Manager service-linked role, after `role/`.
pub(crate) const REPORTS_ROLE: &str =
    "aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports";

/// What the reports role may do with the evidence key (see the module doc).
pub(crate) const REPORTS_KEY_ACTIONS: &[&str] =
    &["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"];

/// The report templates drsc delivers, with their key prefixes: the
/// compliance of the region's framework, and the jobs that are the measured
/// evidence of the objectives (backups for the RPO, copies for the other
/// region, restores for the RTO). Template names from `ReportSetting`
/// (<https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ReportSetting.html>);
/// only compliance reports take `FrameworkArns`.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("CONTROL_COMPLIANCE_REPORT", "control-compliance"),
    ("BACKUP_JOB_REPORT", "backup-jobs"),
    ("COPY_JOB_REPORT", "copy-jobs"),
    ("RESTORE_JOB_REPORT", "restore-jobs"),
];

/// Where the reports land under the bucket: `<PREFIX>/<template>/Backup/<account>/<Region>/…`.
pub(crate) const PREFIX: &str = "backup-reports";

pub(crate) fn bucket_id(role: Role) -> NodeId {
    NodeId::new(&["bucket", "evidence", role.as_str()])
}

pub(crate) fn report_id(label: &str, role: Role) -> NodeId {
    NodeId::new(&["report", label, role.as_str()])
}

pub(crate) fn lower(cx: &mut Lower) {
    let model = cx.model;
    if model.backups.is_empty() {
        return;
    }
    let profile = model.profile.as_ref();
    // The records period: the profile's, else the longest retention the site keeps.
    let records = profile
        .and_then(|p| p.record_retention.clone())
        .or_else(|| {
            model
                .backups
                .iter()
                .flat_map(|p| &p.rules)
                .flat_map(|r| std::iter::once(&r.retain).chain(r.copy_retain.iter()))
                .max_by_key(|d| d.value.as_secs())
                .cloned()
        });
    let Some(records) = records else { return };
    // A retention that is not whole days is reported where the backup
    // lowering meets it (DRS0910); the evidence bucket adds no second report.
    let from_profile = profile.is_some_and(|p| p.record_retention.is_some());
    if !from_profile
        && records.value.unit != DurationUnit::Years
        && records.value.whole_days().is_none()
    {
        return;
    }
    let compliance = profile
        .and_then(|p| p.vault_lock.as_ref())
        .is_some_and(|l| l.value == VaultLock::Compliance);
    let retention = if records.value.unit == DurationUnit::Years {
        LockRetention::Years(Derived::at(
            u32::try_from(records.value.amount).unwrap_or(u32::MAX),
            records.span,
        ))
    } else {
        LockRetention::Days(cx.days(&records, "record_retention"))
    };
    // Noncurrent versions expire once the records period is over (S3
    // Lifecycle does not remove a version Object Lock still protects,
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
    let noncurrent = cx.days(&records, "record_retention");
    let lock = ObjectLock {
        mode: if compliance {
            "COMPLIANCE"
        } else {
            "GOVERNANCE"
        }
        .into(),
        retention,
    };
    for role in Role::BOTH {
        let framework = audit::framework_id(role);
        if cx.node(&framework).is_none() {
            continue;
        }
        let key = cx.ops_key(role);
        let s3 = cx.via("s3", role);
        cx.use_key(
            &key,
            KeyUser::ServiceLinkedRole {
                role_path: REPORTS_ROLE,
                via: s3,
                actions: REPORTS_KEY_ACTIONS.to_vec(),
            },
        );
        let id = bucket_id(role);
        super::private_bucket::add(
            cx,
            super::private_bucket::PrivateBucket {
                id: id.clone(),
                role,
                stem: "backup-evidence",
                description: format!(
                    "AWS Backup Audit Manager reports (evidence) of {}",
                    cx.region(role)
                ),
                model_name: "evidence",
                // Report versions are records too: kept for the records period;
                // Object Lock keeps each report for it regardless.
                noncurrent_days: noncurrent.clone(),
                object_lock: Some(lock.clone()),
                policy: |arn| {
                    let objects = Value::join(vec![arn.clone(), Value::lit("/*")]);
                    vec![Statement::allow(
                        "BackupAuditManagerReports",
                        &["s3:PutObject"],
                        vec![objects],
                    )
                    .to(Principal::ServiceLinkedRole(REPORTS_ROLE.into()))
                    .when(
                        "StringEquals",
                        "s3:x-amz-acl",
                        vec![Value::lit("bucket-owner-full-control")],
                    )]
                },
            },
        );
        for (template, label) in TEMPLATES {
            let frameworks = if *template == "CONTROL_COMPLIANCE_REPORT" {
                vec![cx.arn(&framework)]
            } else {
                Vec::new()
            };
            // Report plan names are `[a-zA-Z][_a-zA-Z0-9]*`: no hyphens.
            let plan_name = cx.regional(label, "report", role).replace('-', "_");
            cx.add(
                report_id(label, role),
                role,
                plan_name,
                format!(
                    "Daily {} of {} to the evidence bucket",
                    template.to_lowercase().replace('_', " "),
                    cx.region(role)
                ),
                Protection::default(),
                NodeKind::ReportPlan(ReportPlan {
                    template,
                    frameworks,
                    bucket: Value::r(&id, crate::graph::Attr::Name),
                    bucket_node: id.clone(),
                    key_prefix: format!("{PREFIX}/{label}"),
                    formats: vec!["CSV", "JSON"],
                }),
            );
        }
    }
}
