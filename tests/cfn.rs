//! The CloudFormation backend end to end: cfn-lint on every site in `specs/`,
//! determinism, atomic output, the `drsc build` CLI and template snapshots.

mod support;

use std::path::Path;
use support::*;

/// Every template of every site passes cfn-lint 1.58.0 for us-east-1 and
/// us-west-2 with zero errors and zero warnings (no global ignores).
#[test]
fn every_site_passes_cfn_lint() {
    let mut findings = Vec::new();
    for site in sites() {
        let built = build(&site);
        let dir = write(&built.out);
        let templates: Vec<_> = built
            .templates
            .keys()
            .map(|f| dir.path().join("out").join(f))
            .collect();
        assert!(!templates.is_empty());
        for f in cfn_lint::lint(&templates) {
            findings.push(format!("{}: {f}", site.display()));
        }
    }
    assert!(
        findings.is_empty(),
        "cfn-lint findings:\n{}",
        findings.join("\n")
    );
}

#[test]
fn lint_ignores_are_per_resource_with_a_reason() {
    for site in sites() {
        let built = build(&site);
        for (file, t) in &built.templates {
            assert!(
                t.get("Metadata").is_none(),
                "{file}: template-level metadata"
            );
            for (l, r) in t["Resources"].as_object().unwrap() {
                let Some(ignored) = r["Metadata"]["cfn-lint"]["config"]["ignore_checks"].as_array()
                else {
                    continue;
                };
                for c in ignored {
                    let reason = &r["Metadata"]["drsc"]["ignore_reasons"][c.as_str().unwrap()];
                    assert!(
                        reason.as_str().is_some_and(|s| s.len() > 20),
                        "{file}/{l}: {c} ignored without a reason"
                    );
                }
            }
        }
    }
}

#[test]
fn building_twice_gives_identical_bytes() {
    for site in sites() {
        let a = build(&site).out;
        let b = build(&site).out;
        assert_eq!(a, b, "{}", site.display());
    }
    // Through the CLI, into two directories.
    let dir = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let status = drsc()
            .args(["build", "specs/transactions.drs", "--target", "cfn", "-o"])
            .arg(dir.path().join(out))
            .current_dir(root())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let list = |d: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v = Vec::new();
        let mut stack = vec![d.to_path_buf()];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                } else {
                    let rel = e
                        .path()
                        .strip_prefix(d)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    v.push((rel, std::fs::read(e.path()).unwrap()));
                }
            }
        }
        v.sort();
        v
    };
    let (a, b) = (list(&dir.path().join("a")), list(&dir.path().join("b")));
    assert!(a.len() > 5);
    assert_eq!(a, b);
}

#[test]
fn output_replaces_only_the_target_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("stale.json"), "old").unwrap();
    std::fs::write(dir.path().join("sibling.txt"), "keep").unwrap();
    let st = drsc()
        .args(["build", "specs/minimal.drs", "--target", "cfn", "-o"])
        .arg(&out)
        .current_dir(root())
        .status()
        .unwrap();
    assert!(st.success());
    assert!(!out.join("stale.json").exists());
    assert!(out.join("primary.json").exists());
    assert!(dir.path().join("sibling.txt").exists());
    // No temporary directories are left beside the target.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn a_site_with_errors_writes_nothing_and_leaves_the_output_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("bad.drs");
    let text = std::fs::read_to_string(minimal_path())
        .unwrap()
        .replace("secondary   = us-west-2", "secondary   = us-east-1");
    std::fs::write(&site, text).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("previous.json"), "{}").unwrap();
    let o = drsc()
        .args(["build"])
        .arg(&site)
        .args(["--target", "cfn", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("build refused"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("previous.json")).unwrap(),
        "{}"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn an_unwritable_location_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let o = drsc()
        .args(["build", "specs/minimal.drs", "--target", "cfn", "-o"])
        .arg(blocker.join("out"))
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("DRS0905") && stderr.contains("cannot write"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "not a directory"
    );
}

#[test]
fn a_missing_source_directory_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.drs");
    std::fs::write(&site, reference_text()).unwrap();
    let o = drsc()
        .args(["build"])
        .arg(&site)
        .args(["--target", "cfn", "-o"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("DRS0904"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn unknown_targets_are_rejected_by_clap() {
    let o = drsc()
        .args([
            "build",
            "specs/minimal.drs",
            "--target",
            "pulumi",
            "-o",
            "x",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_reference_site_has_the_three_stacks_and_two_bootstraps() {
    let b = reference();
    let files: Vec<&String> = b.templates.keys().collect();
    assert_eq!(
        files,
        [
            "bootstrap-use1.json",
            "bootstrap-usw2.json",
            "foundation.json",
            "primary.json",
            "secondary.json"
        ]
    );
    let deploy = b.deploy();
    let stacks: Vec<(&str, &str)> = deploy["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "stack")
        .map(|s| (s["stack"].as_str().unwrap(), s["region"].as_str().unwrap()))
        .collect();
    assert_eq!(
        stacks,
        [
            ("bootstrap-use1", "us-east-1"),
            ("bootstrap-usw2", "us-west-2"),
            ("foundation", "us-west-2"),
            ("primary", "us-east-1"),
            ("secondary", "us-west-2"),
            // R33: the second deploy adds the secondary bucket's replication back.
            ("foundation", "us-west-2")
        ]
    );
}

#[test]
fn deploy_manifest_wires_every_parameter_from_an_earlier_stack() {
    let b = reference();
    let deploy = b.deploy();
    let steps = deploy["steps"].as_array().unwrap();
    let mut done: Vec<String> = Vec::new();
    for s in steps {
        if s["kind"] != "stack" {
            continue;
        }
        let t = &b.templates[s["template"].as_str().unwrap()];
        let declared: Vec<&String> = t["Parameters"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let listed: Vec<&str> = s["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for p in &declared {
            assert!(listed.contains(&p.as_str()), "{p} not in deploy.json");
        }
        for p in s["parameters"].as_array().unwrap() {
            // A deferred parameter is passed only by the stack's second deploy.
            if p["deferred"] == true && s["pass"] != "second" {
                assert!(!s["command"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("{}=", p["name"].as_str().unwrap())));
                continue;
            }
            if let Some(from) = p.get("from") {
                let stack = from["stack"].as_str().unwrap();
                assert!(
                    done.iter().any(|d| d == stack),
                    "{} feeds from later {stack}",
                    p["name"]
                );
                let file = format!("{stack}.json");
                assert!(
                    b.templates[&file]["Outputs"][from["output"].as_str().unwrap()].is_object(),
                    "{stack} lacks output {}",
                    from["output"]
                );
                assert!(s["command"].as_str().unwrap().contains(&format!(
                    "{}=$(aws cloudformation describe-stacks",
                    p["name"].as_str().unwrap()
                )));
            }
        }
        done.push(s["stack"].as_str().unwrap().to_string());
    }
    // No cross-stack imports at all.
    for (f, t) in &b.templates {
        assert!(!t.to_string().contains("Fn::ImportValue"), "{f}");
    }
}

#[test]
fn deploy_manifest_has_the_pre_and_post_steps() {
    let commands: Vec<String> = reference().deploy()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["command"].as_str().unwrap().to_string())
        .collect();
    let pos = |needle: &str| {
        commands
            .iter()
            .position(|c| c.contains(needle))
            .unwrap_or_else(|| panic!("no step with `{needle}`"))
    };
    for region in ["us-east-1", "us-west-2"] {
        assert!(commands.iter().any(|c| c
            == &format!("aws backup update-region-settings --region {region} --resource-type-opt-in-preference Aurora=true,DynamoDB=true,S3=true --resource-type-management-preference DynamoDB=true")));
    }
    assert!(
        pos("aws s3 cp assets/ingest-") < pos("--stack-name transactions-production-txn01-primary")
    );
    assert!(
        pos("--requester-peering-connection-options AllowDnsResolutionFromRemoteVpc=true")
            > pos("--stack-name transactions-production-txn01-primary ")
    );
    assert!(
        pos("--accepter-peering-connection-options AllowDnsResolutionFromRemoteVpc=true")
            < pos("--stack-name transactions-production-txn01-secondary ")
    );
    // Templates over 51,200 bytes go through the artifact bucket.
    for s in reference().deploy()["steps"].as_array().unwrap() {
        if s["kind"] == "stack" {
            let large = s["template_bytes"].as_u64().unwrap() > 51_200;
            assert_eq!(
                s["command"].as_str().unwrap().contains("--s3-bucket"),
                large,
                "{}",
                s["stack"]
            );
        }
    }
}

#[test]
fn function_packages_are_deterministic_zips_in_assets() {
    let b = reference();
    let zips: Vec<&String> = b
        .out
        .files
        .keys()
        .filter(|k| k.starts_with("assets/"))
        .collect();
    // Plus the restore-test validation function (R36).
    assert_eq!(zips.len(), 4, "{zips:?}");
    // Region switch is the reference site's engine: the starter ships, the failover function does not.
    assert!(!zips.iter().any(|z| z.contains("failover")), "{zips:?}");
    // The front-door probe (the composite alarm's second signal) ships its handler.
    let edge = zips.iter().find(|z| z.contains("edgeprobe")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&b.out.files[*edge])).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("handler.py").unwrap(), &mut text).unwrap();
    assert_eq!(text, include_str!("../assets/edgeprobe/handler.py"));
    let starter = zips.iter().find(|z| z.contains("starter")).unwrap();
    let bytes = &b.out.files[*starter];
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = archive.by_name("handler.py").unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut f, &mut text).unwrap();
    assert_eq!(text, include_str!("../assets/starter/handler.py"));
}

#[test]
fn the_lambda_engine_ships_the_failover_handler() {
    let text = reference_text().replacen(
        "  allow_data_loss = true\n}",
        "  allow_data_loss = true\n  engine          = lambda\n}",
        1,
    );
    let model = model_text("transactions.drs", &text).expect("checks");
    let b = emit(&drsc::lower::lower(&model).ok().expect("lowers"));
    let failover = b
        .out
        .files
        .keys()
        .find(|k| k.starts_with("assets/") && k.contains("failover"))
        .expect("the failover package");
    let bytes = &b.out.files[failover];
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = archive.by_name("handler.py").unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut f, &mut text).unwrap();
    assert_eq!(text, include_str!("../assets/failover/handler.py"));
}

#[test]
fn snapshots_of_the_reference_site() {
    let b = reference();
    for (file, bytes) in &b.out.files {
        if file.starts_with("assets/") {
            continue;
        }
        insta::assert_snapshot!(format!("reference-{file}"), String::from_utf8_lossy(bytes));
    }
}

#[test]
fn snapshots_of_the_minimal_site() {
    let b = build(&minimal_path());
    for (file, bytes) in &b.out.files {
        if file.starts_with("assets/") {
            continue;
        }
        insta::assert_snapshot!(format!("minimal-{file}"), String::from_utf8_lossy(bytes));
    }
}

/// Builds site text through the CLI; returns (exit code, stderr).
fn build_text(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.drs");
    std::fs::write(&site, text).unwrap();
    let o = drsc()
        .args(["build"])
        .arg(&site)
        .args(["--target", "cfn", "-o"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(
        !dir.path().join("out").exists(),
        "output written despite errors"
    );
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn drs0900_too_many_resources_is_a_diagnostic() {
    let mut text = std::fs::read_to_string(minimal_path()).unwrap();
    for i in 0..170 {
        text.push_str(&format!(
            "\nfunction \"f{i}\" {{\n  runtime = \"python3.12\"\n  handler = \"index.handler\"\n  inline  = \"def handler(e, c):\\n    return e\\n\"\n}}\n"
        ));
    }
    let (code, stderr) = build_text(&text);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("DRS0900") && stderr.contains("allows 500"),
        "{stderr}"
    );
}

#[test]
fn a_generated_name_over_the_limit_is_a_check_error_at_its_declaration() {
    // The bucket name fits S3's 63 characters; its replication role would not fit IAM's 64.
    let text = std::fs::read_to_string(minimal_path()).unwrap()
        + "\nbucket \"customer_documents_archive_of_2026_q4\" {\n  key = data\n}\n";
    let (code, stderr) = build_text(&text);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("DRS0271") && stderr.contains("IAM role name"),
        "{stderr}"
    );
    assert!(
        stderr.contains("produces `customer-documents-archive-of-2026-q4-replication-role")
            && stderr.contains("bucket \"customer_documents_archive_of_2026_q4\""),
        "the diagnostic points at the bucket whose label made the name too long: {stderr}"
    );
}
