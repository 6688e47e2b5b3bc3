//! Issue 15 item 2: continuous backups count in the RPO estimate with the
//! `std/timing` figure in the primary region, while the DR region's figure is the
//! copy frequency; both backends emit them; `specs/payments-staging.drs` (DynamoDB
//! and S3 only, 15-minute RPO) checks clean under finserv staging.

mod support;

use support::*;

fn staging() -> std::path::PathBuf {
    root().join("specs/payments-staging.drs")
}

#[test]
fn the_staging_site_checks_without_findings_or_suppressions() {
    let text = std::fs::read_to_string(staging()).expect("site");
    assert!(!text.contains("allow "), "no suppressions");
    let mut db = drsc::source::SourceDb::new();
    let outcome = drsc::driver::check_path(&mut db, &staging());
    let found: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code.code, d.message))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
    let m = outcome.model.expect("model");
    assert_eq!(m.site.rpo.value.as_secs(), 900);
    assert!(m.databases.is_empty());
}

#[test]
fn the_estimate_gives_the_in_region_and_the_dr_region_figures() {
    let mut db = drsc::source::SourceDb::new();
    let m = drsc::driver::check_path(&mut db, &staging())
        .model
        .expect("model");
    let g = drsc::lower::lower(&m).ok().expect("lowers");
    let o = drsc::objectives::estimate(&m, &g);
    let store = |name: &str| o.stores.iter().find(|s| s.store == name).expect("store");
    let settlements = store("settlements");
    let [primary, secondary] = &settlements.backups[..] else {
        panic!("two regions")
    };
    assert_eq!(
        (primary.side, primary.region.as_str()),
        ("primary", "us-east-2")
    );
    assert_eq!(primary.recovery_point, Some(300));
    assert!(primary.meets_rpo);
    assert!(primary.mechanism.contains("continuous backups"));
    assert_eq!(
        primary.terms[0].description,
        "backup_continuous_recovery_point"
    );
    // A cross-region copy of a continuous backup is a snapshot: every 1h, plus the copy.
    assert_eq!(secondary.region, "us-west-2");
    assert_eq!(secondary.recovery_point, Some(3600 + 3600));
    assert!(!secondary.meets_rpo);
    assert!(secondary.mechanism.contains("snapshot copies"));
    // The table restores from the PITR of each replica.
    for b in &store("events").backups {
        assert_eq!(b.recovery_point, Some(300), "{}", b.region);
        assert!(b.mechanism.contains("point-in-time recovery"));
    }
    // Both figures in the human summary and the JSON.
    let human = drsc::objectives::report::render_to_string(&o, &db);
    assert!(human.contains("recovery point from backups"), "{human}");
    assert!(human.contains("settlements in us-west-2"), "{human}");
    let json = drsc::objectives::report::to_json(&o, &db);
    let b = &json["stores"][1]["backups"];
    assert_eq!(b[0]["region"], "us-east-2");
    assert_eq!(b[1]["recovery_point"], 7200);
}

#[test]
fn both_backends_emit_continuous_backups() {
    let m = model(&staging());
    let g = drsc::lower::lower(&m).ok().expect("lowers");
    let built = emit(&g);
    let plans = built.resources("AWS::Backup::BackupPlan");
    assert!(!plans.is_empty());
    for (_, _, p) in &plans {
        let rules = p["Properties"]["BackupPlan"]["BackupPlanRule"]
            .as_array()
            .expect("rules");
        assert!(rules.iter().all(|r| r["EnableContinuousBackup"] == true));
    }
    let out = drsc::emit::tf::emit(
        &g,
        &drsc::emit::tf::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    let text: String = out
        .files
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(text.contains("\"enable_continuous_backup\": true"));
}
