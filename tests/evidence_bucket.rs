//! Issue 13, item 1 (report plans and the evidence bucket) and item 4 (the
//! ransomware tier), plus the vault access policy, judged from the EMITTED
//! FILES of both backends for every site in `specs/`:
//!
//! * an evidence bucket per region with a framework: SSE-KMS with a customer
//!   key, versioned, S3 Object Lock whose default retention is the records
//!   period (`COMPLIANCE` where the profile demands a compliance Vault Lock),
//!   TLS-only, a policy letting only the Backup Audit Manager service-linked
//!   role write (<https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-console.html>),
//!   created after the report plans (the role exists once one does);
//! * four report plans per region, the compliance one naming that region's framework;
//! * every vault's access policy denies the three actions the
//!   `BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED` control looks for, to `*` on `*`
//!   (<https://docs.aws.amazon.com/config/latest/developerguide/backup-recovery-point-manual-deletion-disabled.html>);
//! * a plan with `isolated_copy = true` gets a logically air-gapped vault in
//!   the secondary region and every rule of both regions' plans a copy action
//!   to it; one with `isolated_vault` copies to that ARN and gets no vault.

mod support;

use drsc::emit::tf;
use drsc::model::{Model, VaultLock};
use drsc::units::DurationUnit;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::PathBuf;

const REPORTS_ROLE: &str =
    "role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports";
const TEMPLATES: [&str; 4] = [
    "BACKUP_JOB_REPORT",
    "CONTROL_COMPLIANCE_REPORT",
    "COPY_JOB_REPORT",
    "RESTORE_JOB_REPORT",
];
const DENIED: [&str; 3] = [
    "backup:DeleteRecoveryPoint",
    "backup:PutBackupVaultAccessPolicy",
    "backup:UpdateRecoveryPointLifecycle",
];

struct Site {
    path: PathBuf,
    model: Model,
    cfn: support::Built,
    tf: BTreeMap<(String, String), Json>,
}

fn sites() -> &'static [Site] {
    static S: std::sync::OnceLock<Vec<Site>> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        support::sites()
            .into_iter()
            .map(|path| {
                let model = support::model(&path);
                let graph = support::graph(&path);
                let cfn = support::emit(&graph);
                let res = support::tf_resources(&support::emit_tf(&graph));
                Site {
                    path,
                    model,
                    cfn,
                    tf: res,
                }
            })
            .collect()
    })
}

fn tf_of<'a>(s: &'a Site, ty: &str) -> Vec<(&'a str, &'a Json)> {
    s.tf.iter()
        .filter(|((t, _), _)| t == ty)
        .map(|((_, n), b)| (n.as_str(), b))
        .collect()
}

fn list(v: &Json) -> Vec<Json> {
    match v {
        Json::Array(a) => a.clone(),
        Json::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// The records period the Object Lock must keep: (`Days`|`Years`, value).
fn records(m: &Model) -> (&'static str, u64) {
    let d = m
        .profile
        .as_ref()
        .and_then(|p| p.record_retention.clone())
        .or_else(|| {
            m.backups
                .iter()
                .flat_map(|p| &p.rules)
                .flat_map(|r| std::iter::once(&r.retain).chain(r.copy_retain.iter()))
                .max_by_key(|d| d.value.as_secs())
                .cloned()
        })
        .expect("a records period");
    if d.value.unit == DurationUnit::Years {
        ("Years", d.value.amount)
    } else {
        ("Days", d.value.as_secs() / 86_400)
    }
}

fn mode(m: &Model) -> &'static str {
    let compliance = m
        .profile
        .as_ref()
        .and_then(|p| p.vault_lock.as_ref())
        .is_some_and(|l| l.value == VaultLock::Compliance);
    if compliance {
        "COMPLIANCE"
    } else {
        "GOVERNANCE"
    }
}

fn backed_up() -> Vec<&'static Site> {
    let v: Vec<_> = sites()
        .iter()
        .filter(|s| !s.model.backups.is_empty())
        .collect();
    assert!(v.len() >= 3);
    v
}

#[test]
fn cfn_evidence_bucket_per_region_is_locked_encrypted_versioned_and_tls_only() {
    for s in backed_up() {
        let at = s.path.display();
        let buckets: Vec<_> = s
            .cfn
            .resources("AWS::S3::Bucket")
            .into_iter()
            .filter(|(_, _, r)| r["Properties"]["ObjectLockEnabled"] == true)
            .collect();
        assert_eq!(buckets.len(), 2, "{at}: an evidence bucket per region");
        let (unit, period) = records(&s.model);
        for (file, l, r) in buckets {
            let p = &r["Properties"];
            let retention = &p["ObjectLockConfiguration"]["Rule"]["DefaultRetention"];
            assert_eq!(p["ObjectLockConfiguration"]["ObjectLockEnabled"], "Enabled");
            assert_eq!(retention["Mode"], mode(&s.model), "{at} {l}");
            assert_eq!(retention[unit], period, "{at} {l}: {retention}");
            assert_eq!(p["VersioningConfiguration"]["Status"], "Enabled");
            let sse = &p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
                ["ServerSideEncryptionByDefault"];
            assert_eq!(sse["SSEAlgorithm"], "aws:kms", "{at} {l}");
            assert!(sse["KMSMasterKeyID"]["Fn::GetAtt"][0]
                .as_str()
                .is_some_and(|k| k.starts_with("Key")));
            assert_eq!(
                p["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"],
                true
            );
            // The policy: TLS only, and only the reports role may write, after the plans.
            let policy = &s.cfn.templates[file]["Resources"][format!("{l}Policy")];
            let statements = list(&policy["Properties"]["PolicyDocument"]["Statement"]);
            assert!(statements.iter().any(|st| st["Effect"] == "Deny"
                && st["Condition"]["Bool"]["aws:SecureTransport"] == false));
            let allows: Vec<_> = statements
                .iter()
                .filter(|st| st["Effect"] == "Allow")
                .collect();
            assert_eq!(allows.len(), 1, "{at} {l}: {allows:?}");
            assert_eq!(allows[0]["Action"], "s3:PutObject");
            assert!(allows[0]["Principal"]["AWS"]
                .to_string()
                .contains(REPORTS_ROLE));
            let after = list(&policy["DependsOn"]);
            assert_eq!(after.len(), 4, "{at} {l}: {after:?}");
            for d in after {
                let d = d.as_str().unwrap();
                assert_eq!(
                    s.cfn.templates[file]["Resources"][d]["Type"],
                    "AWS::Backup::ReportPlan"
                );
            }
        }
    }
}

#[test]
fn tf_evidence_bucket_per_region_is_locked_encrypted_versioned_and_tls_only() {
    for s in backed_up() {
        let at = s.path.display();
        let locked: Vec<_> = tf_of(s, "aws_s3_bucket")
            .into_iter()
            .filter(|(_, b)| b["object_lock_enabled"] == true)
            .collect();
        assert_eq!(locked.len(), 2, "{at}");
        let (unit, period) = records(&s.model);
        for (n, _) in locked {
            let lock = &s.tf[&(
                "aws_s3_bucket_object_lock_configuration".to_string(),
                n.to_string(),
            )];
            let retention = &lock["rule"][0]["default_retention"][0];
            assert_eq!(retention["mode"], mode(&s.model), "{at} {n}");
            assert_eq!(retention[unit.to_lowercase()], period, "{at} {n}");
            let sse = &s.tf[&(
                "aws_s3_bucket_server_side_encryption_configuration".to_string(),
                n.to_string(),
            )];
            let by_default = &sse["rule"][0]["apply_server_side_encryption_by_default"][0];
            assert_eq!(by_default["sse_algorithm"], "aws:kms");
            assert!(by_default["kms_master_key_id"]
                .as_str()
                .is_some_and(|k| k.contains("aws_kms_key.")));
            let versioning = &s.tf[&("aws_s3_bucket_versioning".to_string(), n.to_string())];
            assert_eq!(
                versioning["versioning_configuration"][0]["status"],
                "Enabled"
            );
            let policy = &s.tf[&("aws_s3_bucket_policy".to_string(), n.to_string())];
            let doc: Json = serde_json::from_str(policy["policy"].as_str().unwrap()).unwrap();
            let text = doc.to_string();
            assert!(text.contains("aws:SecureTransport"), "{at} {n}");
            assert!(text.contains(REPORTS_ROLE), "{at} {n}");
            let after = list(&policy["depends_on"]);
            assert_eq!(
                after
                    .iter()
                    .filter(|d| d.as_str().unwrap().starts_with("aws_backup_report_plan."))
                    .count(),
                4,
                "{at} {n}: {after:?}"
            );
        }
    }
}

#[test]
fn cfn_report_plans_per_region_deliver_to_that_regions_bucket() {
    for s in backed_up() {
        let at = s.path.display();
        let plans = s.cfn.resources("AWS::Backup::ReportPlan");
        assert_eq!(plans.len(), 8, "{at}: four per region");
        for (file, l, r) in plans {
            let p = &r["Properties"];
            let bucket = p["ReportDeliveryChannel"]["S3BucketName"]["Ref"]
                .as_str()
                .expect("the bucket of the same template");
            assert_eq!(
                s.cfn.templates[file]["Resources"][bucket]["Properties"]["ObjectLockEnabled"], true,
                "{at} {l}"
            );
            assert_eq!(
                list(&p["ReportDeliveryChannel"]["Formats"]),
                [Json::from("CSV"), Json::from("JSON")]
            );
            let template = p["ReportSetting"]["ReportTemplate"].as_str().unwrap();
            assert!(TEMPLATES.contains(&template), "{at} {l}: {template}");
            let frameworks = list(&p["ReportSetting"]["FrameworkArns"]);
            if template == "CONTROL_COMPLIANCE_REPORT" {
                assert_eq!(frameworks.len(), 1, "{at} {l}");
                let fw = frameworks[0]["Fn::GetAtt"][0].as_str().unwrap();
                assert_eq!(
                    s.cfn.templates[file]["Resources"][fw]["Type"], "AWS::Backup::Framework",
                    "{at} {l}: the region's own framework"
                );
                assert_eq!(frameworks[0]["Fn::GetAtt"][1], "FrameworkArn");
            } else {
                assert!(
                    frameworks.is_empty(),
                    "{at} {l}: jobs reports take no framework"
                );
            }
        }
    }
}

#[test]
fn tf_report_plans_per_region_name_the_framework() {
    for s in backed_up() {
        let at = s.path.display();
        let plans = tf_of(s, "aws_backup_report_plan");
        assert_eq!(plans.len(), 8, "{at}");
        let mut templates: Vec<&str> = plans
            .iter()
            .map(|(_, b)| b["report_setting"][0]["report_template"].as_str().unwrap())
            .collect();
        templates.sort();
        templates.dedup();
        assert_eq!(templates, TEMPLATES, "{at}");
        for (n, b) in plans {
            let setting = &b["report_setting"][0];
            let frameworks = list(&setting["framework_arns"]);
            if setting["report_template"] == "CONTROL_COMPLIANCE_REPORT" {
                assert_eq!(frameworks.len(), 1, "{at} {n}");
                let fw = frameworks[0].as_str().unwrap();
                assert!(fw.contains("aws_backup_framework."), "{at} {n}: {fw}");
                // Same provider (region) as the framework it names.
                let fw_name = fw
                    .trim_start_matches("${aws_backup_framework.")
                    .trim_end_matches(".arn}");
                let framework = &s.tf[&("aws_backup_framework".to_string(), fw_name.to_string())];
                assert_eq!(framework["provider"], b["provider"], "{at} {n}");
            }
            let bucket = b["report_delivery_channel"][0]["s3_bucket_name"]
                .as_str()
                .unwrap();
            assert!(
                bucket.contains("aws_s3_bucket.bucket_evidence"),
                "{at} {n}: {bucket}"
            );
        }
    }
}

fn denies_manual_deletion(policy: &Json) -> bool {
    list(&policy["Statement"]).iter().any(|st| {
        let mut actions: Vec<String> = list(&st["Action"])
            .iter()
            .filter_map(|a| a.as_str().map(String::from))
            .collect();
        actions.sort();
        st["Effect"] == "Deny"
            && st["Principal"] == "*"
            && st["Resource"] == "*"
            && actions == DENIED
            && st.get("Condition").is_none()
    })
}

#[test]
fn every_vault_denies_manual_deletion_in_both_backends() {
    for s in backed_up() {
        let at = s.path.display();
        let vaults = s.cfn.resources("AWS::Backup::BackupVault");
        assert!(!vaults.is_empty());
        for (_, l, r) in vaults {
            assert!(
                denies_manual_deletion(&r["Properties"]["AccessPolicy"]),
                "{at} {l}: {}",
                r["Properties"]["AccessPolicy"]
            );
        }
        let vaults = tf_of(s, "aws_backup_vault");
        for (n, _) in vaults {
            let p = &s.tf[&("aws_backup_vault_policy".to_string(), n.to_string())];
            assert_eq!(
                p["backup_vault_name"],
                format!("${{aws_backup_vault.{n}.name}}")
            );
            let doc: Json = serde_json::from_str(p["policy"].as_str().unwrap()).unwrap();
            assert!(denies_manual_deletion(&doc), "{at} {n}: {doc}");
        }
    }
}

/// Destination ARNs of every copy action of every rule, per plan (CloudFormation).
fn cfn_copy_targets(s: &Site) -> Vec<(String, Vec<Json>)> {
    let mut out = Vec::new();
    for (_, l, r) in s.cfn.resources("AWS::Backup::BackupPlan") {
        for rule in list(&r["Properties"]["BackupPlan"]["BackupPlanRule"]) {
            let dests = list(&rule["CopyActions"])
                .iter()
                .map(|c| c["DestinationBackupVaultArn"].clone())
                .collect();
            out.push((format!("{l}/{}", rule["RuleName"]), dests));
        }
    }
    out
}

#[test]
fn isolated_copy_goes_to_an_air_gapped_vault_or_the_named_vault() {
    for s in backed_up() {
        let at = s.path.display();
        let air_gapped = s
            .model
            .backups
            .iter()
            .any(|p| p.isolated_copy.value && p.isolated_vault.is_none());
        let named: Vec<&str> = s
            .model
            .backups
            .iter()
            .filter_map(|p| p.isolated_vault.as_ref().map(|v| v.value.as_str()))
            .collect();
        let lag = s
            .cfn
            .resources("AWS::Backup::LogicallyAirGappedBackupVault");
        let tf_lag = tf_of(s, "aws_backup_logically_air_gapped_vault");
        assert_eq!(lag.len(), usize::from(air_gapped), "{at}");
        assert_eq!(tf_lag.len(), usize::from(air_gapped), "{at}");
        for (file, l, r) in &lag {
            assert_eq!(
                s.cfn.region_of(file),
                s.model.site.secondary.value,
                "{at} {l}"
            );
            let p = &r["Properties"];
            assert!(
                p["MinRetentionDays"].as_u64().unwrap() <= p["MaxRetentionDays"].as_u64().unwrap()
            );
            assert!(
                p.get("EncryptionKeyArn").is_none(),
                "{at} {l}: an AWS owned key"
            );
        }
        for (n, b) in &tf_lag {
            assert_eq!(b["provider"], "aws.secondary", "{at} {n}");
        }
        let targets = cfn_copy_targets(s);
        for (rule, dests) in &targets {
            let text = Json::Array(dests.clone()).to_string();
            if air_gapped {
                // A parameter or GetAtt of the air-gapped vault, beside the cross-region copy.
                assert!(text.contains("Isolated"), "{at} {rule}: {text}");
            } else if let Some(arn) = named.first() {
                assert!(dests.iter().any(|d| d == *arn), "{at} {rule}: {text}");
            } else {
                assert!(dests.len() <= 1, "{at} {rule}: no isolated copy");
            }
        }
        // Terraform: the same number of copy actions per rule.
        for (n, plan) in tf_of(s, "aws_backup_plan") {
            for rule in list(&plan["rule"]) {
                let copies = list(&rule["copy_action"]);
                if air_gapped {
                    assert!(copies.iter().any(|c| c["destination_vault_arn"]
                        .as_str()
                        .unwrap()
                        .contains("aws_backup_logically_air_gapped_vault.")));
                    // No cold storage in the isolated copy.
                    assert!(copies.iter().all(|c| c["destination_vault_arn"]
                        .as_str()
                        .unwrap()
                        .contains("aws_backup_vault.")
                        || c["lifecycle"][0].get("cold_storage_after").is_none()));
                } else if let Some(arn) = named.first() {
                    assert!(
                        copies.iter().any(|c| c["destination_vault_arn"] == *arn),
                        "{at} {n}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_specs_exercise_both_kinds_of_isolated_copy() {
    let s = sites();
    assert!(s
        .iter()
        .any(|s| s.model.backups.iter().any(|p| p.isolated_copy.value)));
    assert!(s
        .iter()
        .any(|s| s.model.backups.iter().any(|p| p.isolated_vault.is_some())));
}

#[test]
fn check_says_which_stores_have_an_isolated_copy() {
    let o = support::drsc()
        .args(["check", "--format", "json"])
        .arg(support::reference_path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    let v: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let stores = v
        .pointer("/objectives/stores")
        .or_else(|| v.pointer("/sites/0/objectives/stores"))
        .or_else(|| v.pointer("/files/0/objectives/stores"))
        .unwrap_or_else(|| panic!("no stores in {text}"));
    for st in stores.as_array().unwrap() {
        let copy = st["isolated_copy"].as_str().unwrap_or_default();
        assert!(
            copy.contains("logically air-gapped vault `dr-isolated-vault-"),
            "{st}"
        );
    }
}

#[test]
fn the_readmes_say_where_reports_land_and_how_to_restore_the_isolated_copy() {
    let readme = support::reference().readme();
    for want in [
        "### Reports and the evidence buckets",
        "backup-reports/control-compliance/Backup/<account>/us-east-1/",
        "`COMPLIANCE` mode",
        "### Vault access policy",
        "### Isolated copy (ransomware tier)",
        "aws ram create-resource-share",
        "start-restore-job",
    ] {
        assert!(readme.contains(want), "CloudFormation README lacks {want}");
    }
    let graph = support::graph(&support::reference_path());
    let out = tf::emit(
        &graph,
        &tf::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap();
    let readme = out.text("README.md").unwrap();
    assert!(readme.contains("## Evidence and the isolated copy"));
    assert!(readme.contains("aws ram create-resource-share"));
}
