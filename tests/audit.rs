//! Issue 13 item 1 (R36): every site in `specs/` with backups gets an AWS
//! Backup audit framework per region in both backends, whose recovery-point
//! age control is the backup bound the RPO proof relies on, whose restore-time
//! control is the RTO, and whose cross-region control names the other region.

mod support;

use drsc::model::{Model, Replication};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use support::*;

/// The (unit, value) the recovery-point-age control must carry for `m`.
fn expected_age(m: &Model) -> (String, String) {
    let carried_by_backups = m.backups.iter().flat_map(|p| &p.covers).any(|c| {
        m.buckets
            .iter()
            .any(|b| b.name == c.name && b.replication.value == Replication::None)
    });
    let secs = if carried_by_backups {
        m.site.rpo.value.as_secs()
    } else {
        m.backups
            .iter()
            .flat_map(|p| &p.rules)
            .map(|r| r.every.value.as_secs())
            .min()
            .unwrap()
    };
    if secs % 86_400 == 0 && secs / 86_400 <= 31 {
        ("days".into(), (secs / 86_400).to_string())
    } else {
        assert_eq!(secs % 3_600, 0, "the specs' bounds are whole hours");
        ("hours".into(), (secs / 3_600).to_string())
    }
}

fn backed_up_sites() -> Vec<(std::path::PathBuf, Model)> {
    let v: Vec<_> = sites()
        .into_iter()
        .map(|p| {
            let m = model(&p);
            (p, m)
        })
        .filter(|(_, m)| !m.backups.is_empty())
        .collect();
    assert!(v.len() >= 3, "{v:?}");
    v
}

/// Control name → its parameters (name → value), from CloudFormation.
fn cfn_controls(fw: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    fw["Properties"]["FrameworkControls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let params = c["ControlInputParameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    (
                        p["ParameterName"].as_str().unwrap().to_string(),
                        p["ParameterValue"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (c["ControlName"].as_str().unwrap().to_string(), params)
        })
        .collect()
}

/// Control name → its parameters, from Terraform.
fn tf_controls(fw: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    fw["control"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let params = c["input_parameter"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_string(),
                        p["value"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (c["name"].as_str().unwrap().to_string(), params)
        })
        .collect()
}

fn tf_frameworks(site: &Path) -> Vec<(String, Value)> {
    built_tf(site)
        .1
        .into_iter()
        .filter(|((ty, _), _)| ty == "aws_backup_framework")
        .map(|((_, name), body)| (name, body))
        .collect()
}

/// The checks both backends share: one framework per region, the age, the
/// restore time, the partner region, the 50-control limit.
fn check_region(
    m: &Model,
    site: &Path,
    region: &str,
    controls: &BTreeMap<String, BTreeMap<String, String>>,
) {
    let other = if region == m.site.primary.value {
        &m.site.secondary.value
    } else {
        &m.site.primary.value
    };
    let (unit, value) = expected_age(m);
    let age = &controls["BACKUP_LAST_RECOVERY_POINT_CREATED"];
    assert_eq!(age["recoveryPointAgeUnit"], unit, "{site:?} {region}");
    assert_eq!(age["recoveryPointAgeValue"], value, "{site:?} {region}");
    assert_eq!(
        controls["RESTORE_TIME_FOR_RESOURCES_MEET_TARGET"]["maxRestoreTime"],
        (m.site.rto.value.as_secs() / 60).to_string(),
        "{site:?} {region}"
    );
    assert_eq!(
        &controls["BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"]["crossRegionList"], other,
        "{site:?} {region}"
    );
    for name in [
        "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
        "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
        "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
        "BACKUP_RECOVERY_POINT_ENCRYPTED",
        "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
    ] {
        assert!(controls.contains_key(name), "{site:?} {region}: {name}");
    }
    let lock = m
        .profile
        .as_ref()
        .and_then(|p| p.vault_lock.as_ref())
        .is_some_and(|l| l.value != drsc::model::VaultLock::None);
    assert_eq!(
        controls.contains_key("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"),
        lock,
        "{site:?} {region}"
    );
    if let Some(min) = m
        .profile
        .as_ref()
        .and_then(|p| p.min_backup_retention.as_ref())
    {
        assert_eq!(
            controls["BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK"]["requiredRetentionDays"],
            (min.value.as_secs() / 86_400).to_string()
        );
    }
    assert!(
        controls.len() <= 50,
        "{site:?} {region}: {}",
        controls.len()
    );
}

#[test]
fn cfn_a_framework_per_region_measures_the_objectives() {
    for (site, m) in backed_up_sites() {
        let b = build(&site);
        let fws = b.resources("AWS::Backup::Framework");
        assert_eq!(fws.len(), 2, "{site:?}: {fws:#?}");
        let mut regions: Vec<String> = fws.iter().map(|(f, _, _)| b.region_of(f)).collect();
        regions.sort();
        let mut want = vec![m.site.primary.value.clone(), m.site.secondary.value.clone()];
        want.sort();
        assert_eq!(regions, want, "{site:?}");
        for (file, _, fw) in fws {
            check_region(&m, &site, &b.region_of(file), &cfn_controls(fw));
        }
    }
}

#[test]
fn tf_a_framework_per_region_measures_the_objectives() {
    for (site, m) in backed_up_sites() {
        let fws = tf_frameworks(&site);
        assert_eq!(fws.len(), 2, "{site:?}: {fws:#?}");
        let mut providers: Vec<&str> = fws
            .iter()
            .map(|(_, f)| f["provider"].as_str().unwrap())
            .collect();
        providers.sort();
        assert_eq!(providers, ["aws.primary", "aws.secondary"], "{site:?}");
        for (_, fw) in &fws {
            let region = if fw["provider"] == "aws.primary" {
                &m.site.primary.value
            } else {
                &m.site.secondary.value
            };
            check_region(&m, &site, region, &tf_controls(fw));
        }
    }
}

#[test]
fn the_readme_says_frameworks_need_aws_config() {
    let readme = reference().readme();
    let evidence = &readme[readme.find("## Evidence").expect("an Evidence section")..];
    assert!(evidence.contains("AWS Config recording"), "{evidence}");
    assert!(evidence.contains("50 controls"), "{evidence}");
}
