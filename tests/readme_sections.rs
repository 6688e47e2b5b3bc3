//! The backend-neutral sections of the generated READMEs (R30, issue 12,
//! issue 15 item 6): the CloudFormation and the Terraform README state each
//! fact once, from the same generators (`src/emit/readme/`). The Terraform
//! README of the reference site has every section the CloudFormation README
//! has for it; a section that does not name the backend is byte-identical in
//! both; and a site without a VPC or a failover engine has no section about
//! them.

use std::path::Path;
use std::process::{Command, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The README of `site` built for `target`.
fn readme(site: &str, target: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = Command::new(env!("CARGO_BIN_EXE_drsc"))
        .args(["build", site, "--target", target, "-o"])
        .arg(dir.path())
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("run drsc");
    assert!(
        o.status.success(),
        "drsc build {site} --target {target} failed\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read_to_string(dir.path().join("README.md")).expect("README.md")
}

/// The text of the `## {heading}` section, up to the next `## ` heading.
fn section<'a>(text: &'a str, heading: &str) -> Option<&'a str> {
    let start = text.find(&format!("\n## {heading}\n"))? + 1;
    let rest = &text[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    Some(rest[..end].trim_end())
}

const REFERENCE: &str = "specs/transactions.drs";
const MINIMAL: &str = "specs/minimal.drs";
const LAMBDA_ENGINE: &str = "tests/fixtures/good/DRS0340_lambda_engine_weighted_records.drs";

/// The shared sections, and whether their text names the backend.
const SHARED: [(&str, bool); 8] = [
    ("Data stores and their protection", false),
    ("Database credentials", true),
    ("Front door", true),
    ("Failover path", true),
    ("The day after a failover", false),
    ("Failing back", false),
    ("Compliance", true),
    ("Key policies", true),
];

#[test]
fn the_terraform_readme_has_every_shared_section_of_the_reference_site() {
    let cfn = readme(REFERENCE, "cfn");
    let tf = readme(REFERENCE, "tf");
    for (heading, names_backend) in SHARED {
        let c = section(&cfn, heading).unwrap_or_else(|| panic!("CFN README lacks `## {heading}`"));
        let t = section(&tf, heading).unwrap_or_else(|| panic!("TF README lacks `## {heading}`"));
        if !names_backend {
            assert_eq!(c, t, "`## {heading}` differs between the backends");
        }
    }
    let front = section(&tf, "Front door").unwrap_or_default();
    for needle in [
        "failover PRIMARY",
        "failover SECONDARY",
        "the Region switch plan's check of us-east-1",
        "drsc's own health checks of both front doors (R15)",
        "`aws_acm_certificate_validation`",
    ] {
        assert!(
            front.contains(needle),
            "`{needle}` not in the TF front door:\n{front}"
        );
    }
    let failover = section(&tf, "Failover path").unwrap_or_default();
    assert!(failover.contains("**AWS ARC Region switch**"), "{failover}");
    assert!(
        failover.contains("with the `aws.secondary` provider"),
        "{failover}"
    );
    // Nothing of CloudFormation's mechanics leaks into the Terraform README.
    for cfn_only in [
        "`secondary` stack",
        "describe-stacks",
        "| Stack |",
        "CloudFormation waits",
    ] {
        assert!(!tf.contains(cfn_only), "`{cfn_only}` in the TF README");
    }
    let compliance = section(&tf, "Compliance").unwrap_or_default();
    assert!(
        compliance.contains("`aws_default_security_group`"),
        "{compliance}"
    );
    assert!(!compliance.contains("artifact buckets"), "{compliance}");
}

#[test]
fn the_lambda_engine_moves_weighted_records_in_both_readmes() {
    for target in ["cfn", "tf"] {
        let r = readme(LAMBDA_ENGINE, target);
        let failover = section(&r, "Failover path").unwrap_or_default();
        assert!(
            failover.contains("reads the weighted record"),
            "{target}: {failover}"
        );
        let back = section(&r, "Failing back").unwrap_or_default();
        assert!(
            back.contains("weighted record its weight back"),
            "{target}: {back}"
        );
    }
}

#[test]
fn a_site_without_vpc_or_failover_engine_has_no_section_about_them() {
    for target in ["cfn", "tf"] {
        let r = readme(MINIMAL, target);
        for heading in [
            "Front door",
            "Failover path",
            "The day after a failover",
            "Failing back",
        ] {
            assert!(
                section(&r, heading).is_none(),
                "{target}: minimal README has `## {heading}`"
            );
        }
        let compliance = section(&r, "Compliance").unwrap_or_default();
        for absent in [
            "VPC flow logs",
            "Default security groups",
            "**Aurora**",
            "the probe",
            "peering",
        ] {
            assert!(
                !compliance.contains(absent),
                "{target}: `{absent}` in\n{compliance}"
            );
        }
        for absent in ["Region switch", "weighted", "VPC peering"] {
            assert!(
                !r.contains(absent),
                "{target}: `{absent}` in the minimal README"
            );
        }
        // Data stores and key policies apply to every site.
        assert!(section(&r, "Data stores and their protection").is_some());
        assert!(section(&r, "Key policies").is_some());
    }
}
