//! Issue 15 item 1: every supported Aurora PostgreSQL major of `std/engines`
//! (14, 15, 16, 17) builds, with the engine version on the global cluster and
//! the parameter group family of its major in both backends; the 16.x site
//! passes cfn-lint and the Terraform schema checker.

mod support;

use std::process::{Command, Stdio};
use support::*;

/// The reference site on another engine version.
fn site_on(version: &str) -> drsc::graph::Graph {
    let text = reference_text().replace(
        "engine_version = 14.17",
        &format!("engine_version = {version}"),
    );
    assert!(text.contains(&format!("engine_version = {version}")));
    let m = model_text("transactions.drs", &text)
        .unwrap_or_else(|e| panic!("{version} does not check: {e:#?}"));
    drsc::lower::lower(&m).ok().expect("lowers")
}

fn tf(graph: &drsc::graph::Graph) -> drsc::emit::Output {
    drsc::emit::tf::emit(
        graph,
        &drsc::emit::tf::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap_or_else(|d| panic!("tf emit failed: {d:#?}"))
}

#[test]
fn every_supported_major_gets_its_engine_version_and_family() {
    for (version, major) in [("14.17", 14), ("15.15", 15), ("16.11", 16), ("17.7", 17)] {
        let g = site_on(version);
        let built = emit(&g);
        let family = format!("aurora-postgresql{major}");
        let groups = built.resources("AWS::RDS::DBClusterParameterGroup");
        assert_eq!(groups.len(), 2, "{version}: one group per region");
        for (_, _, r) in &groups {
            assert_eq!(r["Properties"]["Family"], family.as_str(), "{version}");
            // pgaudit and TLS parameters exist in every family 14 to 17.
            let p = &r["Properties"]["Parameters"];
            assert_eq!(p["rds.force_ssl"], "1", "{version}");
            assert_eq!(p["pgaudit.log"], "ddl,role", "{version}");
        }
        let globals = built.resources("AWS::RDS::GlobalCluster");
        assert!(!globals.is_empty());
        for (_, _, r) in &globals {
            assert_eq!(r["Properties"]["Engine"], "aurora-postgresql");
            assert_eq!(r["Properties"]["EngineVersion"], version);
        }
        let out = tf(&g);
        let text: String = out
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".tf.json"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect();
        assert!(
            text.contains(&format!("\"family\": \"{family}\"")),
            "{version}: Terraform parameter group family"
        );
        assert!(text.contains(&format!("\"engine_version\": \"{version}\"")));
    }
}

#[test]
fn a_16x_site_passes_cfn_lint_and_the_terraform_schema_checker() {
    let g = site_on("16.11");
    let built = emit(&g);
    let dir = write(&built.out);
    let templates: Vec<_> = built
        .templates
        .keys()
        .map(|f| dir.path().join("out").join(f))
        .collect();
    let findings = cfn_lint::lint(&templates);
    assert!(findings.is_empty(), "cfn-lint:\n{}", findings.join("\n"));

    let out = tf(&g);
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("tf");
    drsc::emit::write::write_atomic(&target, &out).expect("write");
    let checker = root().join("../shared/terraform/tf-schema-check");
    let o = Command::new("python3")
        .arg(&checker)
        .arg("--strict")
        .arg(&target)
        .stdin(Stdio::null())
        .output()
        .expect("run tf-schema-check");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && report.contains("errors=0 warnings=0"),
        "{report}"
    );
}

#[test]
fn a_13x_or_retired_version_is_refused_with_the_valid_versions() {
    for (version, want) in [
        ("13.20", "`14.24`"),
        ("16.4", "`16.8`"),
        ("15.9", "`15.10`"),
    ] {
        let text = reference_text().replace(
            "engine_version = 14.17",
            &format!("engine_version = {version}"),
        );
        let mut db = drsc::source::SourceDb::new();
        let path = root().join("specs/transactions.drs");
        let id = db.add("specs/transactions.drs".to_string(), Some(path), text);
        let outcome = drsc::driver::check_file(&mut db, id, &root().join("specs"));
        let d = outcome
            .diagnostics
            .iter()
            .find(|d| d.code.code == "DRS0210")
            .unwrap_or_else(|| panic!("{version}: no DRS0210"));
        let help: &str = d.help.as_deref().unwrap_or_default();
        assert!(help.contains(want), "{version}: {help}");
    }
}
