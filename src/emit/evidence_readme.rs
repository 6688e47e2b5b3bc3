//! README text shared by both backends (issue 13 items 1 and 4): where the
//! Backup Audit Manager reports land and how long they are kept, the vault
//! access policy, and the isolated copy with how to restore from it. Read
//! only from the graph.

use crate::graph::{Graph, LockRetention, NodeKind, Principal};
use std::fmt::Write;

/// The sections, or nothing for a site without backups.
pub(crate) fn render(g: &Graph) -> String {
    let mut o = String::new();
    reports(g, &mut o);
    vault_policy(g, &mut o);
    isolated(g, &mut o);
    o
}

fn reports(g: &Graph, o: &mut String) {
    let buckets: Vec<_> = g
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Bucket(b) => b.object_lock.as_ref().map(|l| (n, l)),
            _ => None,
        })
        .collect();
    if buckets.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n### Reports and the evidence buckets\n");
    let _ = writeln!(
        o,
        "Report plans in each region deliver, once a day for the previous 24 hours (AWS Backup Audit Manager creates them between 1 and 5 AM UTC), \
         the control-compliance report of that region's framework and the backup, copy and restore job reports, in CSV and JSON, \
         to that region's evidence bucket. Each region reports to its own bucket: after the loss of the primary region the \
         secondary's bucket keeps receiving the reports of the region that then runs production.\n"
    );
    for (n, lock) in &buckets {
        let period = match &lock.retention {
            LockRetention::Days(d) => format!("{} days", d.value),
            LockRetention::Years(y) => format!("{} years", y.value),
        };
        let _ = writeln!(
            o,
            "- `s3://{}/` ({}): S3 Object Lock, `{}` mode, every object version kept {period} from its delivery; SSE-KMS with the region's customer-managed key; versioned, TLS-only, public access blocked, server access logs{}.",
            n.name,
            n.region,
            lock.mode,
            if n.protection.retain {
                "; kept when the site is deleted"
            } else {
                ""
            }
        );
    }
    let mut plans: Vec<String> = g
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::ReportPlan(r) => Some(format!(
                "`{}` ({}, {}): `{}/Backup/<account>/{}/<yyyy>/<mm>/<dd>/…`",
                n.name, r.template, n.region, r.key_prefix, n.region
            )),
            _ => None,
        })
        .collect();
    plans.sort();
    let _ = writeln!(
        o,
        "\nReport plans and where their reports land (under the bucket of their region):\n"
    );
    for p in plans {
        let _ = writeln!(o, "- {p}");
    }
    let _ = writeln!(
        o,
        "\nRead them with `aws s3 ls s3://<bucket>/backup-reports/ --recursive` and `aws s3 cp`, or `aws backup list-report-jobs` \
         and `aws backup describe-report-job --report-job-id <id>` (where each one was written). In `COMPLIANCE` mode no one, the \
         account root included, can delete a report or shorten its retention; in `GOVERNANCE` mode only principals allowed \
         `s3:BypassGovernanceRetention` can; a stack deletion or `terraform destroy` therefore cannot remove an evidence \
         bucket that holds reports (in `GOVERNANCE` mode, delete them first with `aws s3api delete-object --bypass-governance-retention`). The buckets' policies let the Backup Audit Manager service-linked role \
         (`AWSServiceRoleForBackupReports`) write reports and nothing else; the keys let that role encrypt through S3 only.\n"
    );
}

fn vault_policy(g: &Graph, o: &mut String) {
    let vaults: Vec<&str> = g
        .nodes
        .iter()
        .filter(|n| matches!(&n.kind, NodeKind::Vault(v) if v.access_policy.iter().any(|s| s.principal == Some(Principal::Anyone))))
        .map(|n| n.name.as_str())
        .collect();
    if vaults.is_empty() {
        return;
    }
    let _ = writeln!(o, "### Vault access policy\n");
    let _ = writeln!(
        o,
        "Every backup vault's access policy denies `backup:DeleteRecoveryPoint`, `backup:UpdateRecoveryPointLifecycle` and \
         `backup:PutBackupVaultAccessPolicy` to every principal, the account root and the deployer included: recovery points \
         leave a vault only by their lifecycle, and `BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED` reports the vaults \
         compliant. The policy itself can still be removed (`aws backup delete-backup-vault-access-policy --backup-vault-name <vault>`, \
         recorded by CloudTrail and reported non-compliant by the control): that is the step before deleting recovery points \
         by hand when a non-production site is torn down.\n"
    );
}

fn isolated(g: &Graph, o: &mut String) {
    let mut lines = Vec::new();
    let mut external = Vec::new();
    for n in &g.nodes {
        match &n.kind {
            NodeKind::AirGappedVault(v) => lines.push(format!(
                "- Logically air-gapped vault `{}` ({}): compliance-mode Vault Lock built in (recovery points kept {} to {} days), \
                 encrypted with an AWS owned key, so the copy stays readable even if the site's own keys are disabled or deleted.",
                n.name, n.region, v.min_retention_days.value, v.max_retention_days.value
            )),
            NodeKind::BackupPlan(p) => {
                for c in p.rules.iter().filter_map(|r| r.isolated_copy.as_ref()) {
                    if let Some(arn) = c.destination.as_lit() {
                        if !external.iter().any(|(a, _): &(String, String)| a == arn) {
                            external.push((arn.to_string(), n.name.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if lines.is_empty() && external.is_empty() {
        return;
    }
    let _ = writeln!(o, "### Isolated copy (ransomware tier)\n");
    let _ = writeln!(
        o,
        "Every rule of the plans below also copies each recovery point to an isolated vault, with the rule's copy retention \
         and no cold storage. The copy is not on the recovery path `drsc check` proves: it is the last resort when the \
         account itself is compromised.\n"
    );
    for l in lines {
        let _ = writeln!(o, "{l}");
    }
    for (arn, plan) in &external {
        let _ = writeln!(
            o,
            "- Vault `{arn}` of another account (plan `{plan}`). That vault, its access policy (it must allow \
             `backup:CopyIntoBackupVault` from this account) and the AWS Organizations cross-account backup setting are \
             outside this site: until the other account sets them up, every copy job to it fails (the alerts report it)."
        );
    }
    let air_gapped = g
        .nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::AirGappedVault(_)));
    let tables = g
        .nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::GlobalTable(_)));
    if air_gapped {
        let _ = writeln!(
            o,
            "\nTo restore from a logically air-gapped vault: share it with a recovery account through AWS RAM \
             (`aws ram create-resource-share --name isolated-copy --resource-arns <vault ARN> --principals <recovery account>`), \
             then, in that account, list its recovery points \
             (`aws backup list-recovery-points-by-backup-vault --backup-vault-name <vault> --backup-vault-account-id <this account>`) \
             and restore one (`aws backup start-restore-job --recovery-point-arn <ARN> --iam-role-arn <restore role> --metadata file://restore.json`). \
             In this account the same `start-restore-job` works directly.{}",
            if tables {
                " A DynamoDB table in such a vault is not confirmed by drsc's sources: check its copy jobs in the copy-job report."
            } else {
                ""
            }
        );
    }
    if !external.is_empty() {
        let _ = writeln!(
            o,
            "\nTo restore from the other account's vault: in that account, restore a recovery point there \
             (`aws backup start-restore-job --recovery-point-arn <ARN> --iam-role-arn <restore role> --metadata file://restore.json`), \
             or copy it back into this site's vault (`aws backup start-copy-job --recovery-point-arn <ARN> --source-backup-vault-name <vault> \
             --destination-backup-vault-arn <this site's vault ARN> --iam-role-arn <copy role>`); that copy needs a statement allowing \
             `backup:CopyIntoBackupVault` from that account in this vault's access policy, which drsc does not add (add it for the recovery only)."
        );
    }
    o.push('\n');
}
