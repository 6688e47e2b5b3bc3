//! Integration tests of `drsc build --target tf` (issue 5), through the real
//! binary:
//!
//! * every site in `specs/` (and the smallest fixture) builds, and the module
//!   passes `../shared/terraform/tf-schema-check --strict` (the hashicorp/aws
//!   6.47.0 schema: types, arguments, blocks, required and read-only
//!   attributes, provider aliases, references);
//! * two builds are byte-identical;
//! * the module's invariants Terraform itself would enforce or that the
//!   issue asks for (providers, comments, references without cycles,
//!   function archives matching their hashes, the Terraform idioms);
//! * insta snapshots of the reference and the minimal site.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const REFERENCE: &str = "specs/transactions.drs";
const MINIMAL: &str = "specs/minimal.drs";
/// The smallest valid site: regions, objectives, environment, suffix.
const SMALLEST: &str = "tests/fixtures/good/minimal.drs";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `site` (relative to the package root) into `out` with the binary.
fn build(site: &str, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_drsc"))
        .args(["build", site, "--target", "tf", "-o"])
        .arg(out)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("run drsc");
    assert!(
        o.status.success(),
        "drsc build {site} --target tf failed ({:?})\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every file under `dir`, by `/`-separated relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read output directory")
            .map(|e| e.expect("directory entry"))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().expect("file type").is_dir() {
                walk(&e.path(), &path, out);
            } else {
                out.insert(path, std::fs::read(e.path()).expect("read output file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// The `*.tf.json` documents of a built module.
fn docs(dir: &Path) -> BTreeMap<String, Value> {
    files(dir)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".tf.json"))
        .map(|(p, b)| {
            let v = serde_json::from_slice(&b).unwrap_or_else(|e| panic!("{p} is not JSON: {e}"));
            (p, v)
        })
        .collect()
}

/// `(type, name) → body` of every resource in the module.
fn resources(docs: &BTreeMap<String, Value>) -> BTreeMap<(String, String), Value> {
    let mut out = BTreeMap::new();
    for doc in docs.values() {
        if let Some(types) = doc.get("resource").and_then(Value::as_object) {
            for (ty, names) in types {
                for (name, body) in names.as_object().expect("resources by name") {
                    out.insert((ty.clone(), name.clone()), body.clone());
                }
            }
        }
    }
    out
}

/// The spec sites: every `*.drs` directly in `specs/`.
fn spec_sites() -> Vec<String> {
    let mut sites: Vec<String> = std::fs::read_dir(root().join("specs"))
        .expect("read specs/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".drs"))
        .map(|n| format!("specs/{n}"))
        .collect();
    sites.sort();
    assert!(!sites.is_empty(), "no sites in specs/");
    sites
}

/// Runs the offline schema checker on `dir`; panics with its report unless clean.
fn schema_check(site: &str, dir: &Path) {
    let checker = root().join("../shared/terraform/tf-schema-check");
    assert!(
        checker.is_file(),
        "the Terraform schema checker is missing: expected {}",
        checker.display()
    );
    let python = Command::new("python3").arg("--version").output();
    assert!(
        matches!(&python, Ok(o) if o.status.success()),
        "python3 is needed to run {} (the offline Terraform schema checker, standard library only); \
         install python3 and re-run",
        checker.display()
    );
    let o = Command::new("python3")
        .arg(&checker)
        .arg("--strict")
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run tf-schema-check");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "tf-schema-check --strict failed for {site} (exit {:?})\n{report}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(report.contains("errors=0 warnings=0"), "{report}");
}

#[test]
fn every_spec_site_passes_the_schema_checker() {
    for site in spec_sites() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("tf");
        build(&site, &out);
        schema_check(&site, &out);
    }
}

#[test]
fn the_smallest_site_passes_the_schema_checker() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tf");
    build(SMALLEST, &out);
    schema_check(SMALLEST, &out);
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(REFERENCE, &a);
    build(REFERENCE, &b);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(fb[path] == *bytes, "{path} differs between two builds");
    }
    // Building again over an existing output replaces it (atomic write).
    build(REFERENCE, &a);
    assert_eq!(files(&a), fa);
}

/// Addresses (`type.name`) that `s` refers to inside `${...}`, without data
/// sources.
fn references(s: &str, out: &mut BTreeSet<String>) {
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        // `$${` is an escaped literal.
        if i > 0 && rest.as_bytes()[i - 1] == b'$' {
            rest = &rest[i + 2..];
            continue;
        }
        let body = &rest[i + 2..];
        let end = body.find('}').unwrap_or(body.len());
        let expr = &body[..end];
        let bytes = expr.as_bytes();
        let mut j = 0;
        while let Some(k) = expr[j..].find("aws_") {
            let start = j + k;
            let before = if start == 0 { b' ' } else { bytes[start - 1] };
            let ident_end = expr[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(expr.len(), |e| start + e);
            j = ident_end;
            if before.is_ascii_alphanumeric() || before == b'_' || before == b'.' {
                continue;
            }
            if expr[ident_end..].starts_with('.') {
                let name_start = ident_end + 1;
                let name_end = expr[name_start..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .map_or(expr.len(), |e| name_start + e);
                out.insert(format!(
                    "{}.{}",
                    &expr[start..ident_end],
                    &expr[name_start..name_end]
                ));
            }
        }
        rest = &body[end..];
    }
}

fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The dependency edges of every resource: references and `depends_on`.
fn dependencies(res: &BTreeMap<(String, String), Value>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges = BTreeMap::new();
    for ((ty, name), body) in res {
        let mut deps = BTreeSet::new();
        let mut ss = Vec::new();
        strings(body, &mut ss);
        for s in ss {
            references(s, &mut deps);
        }
        if let Some(d) = body.get("depends_on").and_then(Value::as_array) {
            for x in d {
                deps.insert(
                    x.as_str()
                        .expect("depends_on entries are strings")
                        .to_string(),
                );
            }
        }
        edges.insert(format!("{ty}.{name}"), deps);
    }
    edges
}

/// A dependency cycle, if there is one.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let from = path.iter().position(|p| p == n).unwrap_or(0);
                let mut c = path[from..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            _ => {}
        }
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for d in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, edges, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_reference_module_keeps_its_invariants() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tf");
    build(REFERENCE, &out);
    let all = files(&out);
    let docs = docs(&out);
    let res = resources(&docs);

    // Files split by concern, each with its comment naming source and version.
    for f in [
        "providers.tf.json",
        "outputs.tf.json",
        "network.tf.json",
        "storage.tf.json",
    ] {
        assert!(docs.contains_key(f), "missing {f}: {:?}", docs.keys());
    }
    let version = env!("CARGO_PKG_VERSION");
    for (path, doc) in &docs {
        let comment = doc["//"]
            .as_str()
            .unwrap_or_else(|| panic!("{path} has no \"//\""));
        assert!(
            comment.contains("transactions.drs") && comment.contains(version),
            "{path}: {comment}"
        );
    }

    // Terraform and provider settings.
    let p = &docs["providers.tf.json"];
    let aws = &p["terraform"]["required_providers"]["aws"];
    assert_eq!(aws["source"], "hashicorp/aws");
    // aws_arcregionswitch_plan arrived in provider 6.29.
    assert_eq!(aws["version"], "~> 6.29");
    assert!(p["terraform"]["required_version"].is_string());
    let providers = p["provider"]["aws"]
        .as_array()
        .expect("provider.aws is an array");
    let aliases: BTreeMap<&str, &str> = providers
        .iter()
        .map(|c| (c["alias"].as_str().unwrap(), c["region"].as_str().unwrap()))
        .collect();
    assert_eq!(
        aliases,
        BTreeMap::from([("primary", "us-east-1"), ("secondary", "us-west-2")])
    );

    // Every resource and data source names its provider as a plain string.
    let mut per_provider: BTreeMap<&str, usize> = BTreeMap::new();
    for ((ty, name), body) in &res {
        let provider = body["provider"].as_str().unwrap_or_default();
        assert!(
            provider == "aws.primary" || provider == "aws.secondary",
            "{ty}.{name}: provider {provider:?}"
        );
        *per_provider
            .entry(if provider == "aws.primary" {
                "primary"
            } else {
                "secondary"
            })
            .or_default() += 1;
    }
    assert!(per_provider["primary"] > 0 && per_provider["secondary"] > 0);
    for doc in docs.values() {
        for (ty, names) in doc
            .get("data")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (name, body) in names.as_object().unwrap() {
                assert!(
                    body["provider"].is_string(),
                    "data.{ty}.{name} has no provider"
                );
            }
        }
    }

    // No dependency cycle (Terraform would refuse to plan).
    let edges = dependencies(&res);
    for (from, deps) in &edges {
        for d in deps {
            assert!(edges.contains_key(d), "{from} refers to undeclared {d}");
        }
    }
    assert_eq!(cycle(&edges), None, "dependency cycle");

    let of_type = |ty: &str| -> Vec<(&String, &Value)> {
        res.iter()
            .filter(|((t, _), _)| t == ty)
            .map(|((_, n), b)| (n, b))
            .collect()
    };

    // Cross-region peering: requester + accepter, never auto_accept with peer_region.
    for (name, body) in of_type("aws_vpc_peering_connection") {
        assert!(body.get("auto_accept").is_none(), "{name} sets auto_accept");
        assert_eq!(body["peer_region"], "us-west-2");
        let acc = &res[&(
            "aws_vpc_peering_connection_accepter".to_string(),
            name.clone(),
        )];
        assert_eq!(acc["provider"], "aws.secondary");
        assert_eq!(acc["auto_accept"], true);
    }
    assert_eq!(of_type("aws_vpc_peering_connection_options").len(), 2);

    // Aurora members ignore global_cluster_identifier and engine_version drift.
    let clusters = of_type("aws_rds_cluster");
    assert_eq!(clusters.len(), 2);
    for (name, body) in clusters {
        let ignored = &body["lifecycle"]["ignore_changes"];
        assert!(
            ignored
                .as_array()
                .is_some_and(|a| a.contains(&"global_cluster_identifier".into())
                    && a.contains(&"engine_version".into())),
            "{name}: {ignored}"
        );
        assert_eq!(body["lifecycle"]["prevent_destroy"], true, "{name}");
    }

    // The global table: replica blocks as an array.
    for (name, body) in of_type("aws_dynamodb_table") {
        let replicas = body["replica"].as_array().expect("replica is an array");
        assert_eq!(replicas.len(), 1, "{name}");
        assert_eq!(replicas[0]["region_name"], "us-west-2");
        assert_eq!(body["lifecycle"]["prevent_destroy"], true);
    }

    // S3 replication waits for versioning of both buckets.
    for (name, body) in of_type("aws_s3_bucket_replication_configuration") {
        let deps: Vec<&str> = body["depends_on"]
            .as_array()
            .expect("depends_on")
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        assert_eq!(deps.len(), 2, "{name}: {deps:?}");
        assert!(deps
            .iter()
            .all(|d| d.starts_with("aws_s3_bucket_versioning.")));
    }

    // Current provider-6 idioms only.
    for ((ty, name), body) in &res {
        assert!(body.get("inline_policy").is_none(), "{ty}.{name}");
        assert!(body.get("managed_policy_arns").is_none(), "{ty}.{name}");
    }

    // JSON-string arguments are JSON once Terraform's `$${` escape is undone.
    for (ty, key) in [
        ("aws_cloudwatch_event_rule", "event_pattern"),
        ("aws_cloudwatch_dashboard", "dashboard_body"),
        ("aws_iam_role", "assume_role_policy"),
    ] {
        for (name, body) in of_type(ty) {
            if let Some(s) = body.get(key).and_then(Value::as_str) {
                let literal = s.replace("$${", "${").replace("%%{", "%{");
                assert!(
                    serde_json::from_str::<Value>(&literal).is_ok(),
                    "{ty}.{name}.{key} is not a JSON string"
                );
            }
        }
    }
    assert!(!of_type("aws_cloudwatch_event_rule").is_empty());
    assert_eq!(of_type("aws_cloudwatch_dashboard").len(), 1);

    // Function code: the archive beside the module, hashed as Terraform does.
    let functions = of_type("aws_lambda_function");
    assert!(functions.len() >= 2);
    for (name, body) in functions {
        let filename = body["filename"].as_str().expect("filename");
        let rel = filename
            .strip_prefix("${path.module}/")
            .unwrap_or_else(|| panic!("{name}: {filename}"));
        let zip = all
            .get(rel)
            .unwrap_or_else(|| panic!("{name}: {rel} not written"));
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(zip));
        assert_eq!(body["source_code_hash"], Value::String(hash), "{name}");
    }

    // Outputs for endpoints and ARNs.
    let outputs = docs["outputs.tf.json"]["output"]
        .as_object()
        .expect("outputs");
    assert!(outputs.keys().any(|k| k.ends_with("_endpoint")));
    assert!(outputs.keys().any(|k| k.ends_with("_arn")));
}

/// The module as text for a snapshot: every `.tf.json` file in full, the
/// archives by size and SHA-256.
fn snapshot_text(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut archives = String::new();
    for (path, bytes) in files(dir) {
        if path.ends_with(".tf.json") {
            out.push((path, String::from_utf8(bytes).expect("UTF-8")));
        } else {
            use sha2::Digest;
            let hex: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            archives.push_str(&format!("{path} {} bytes sha256 {hex}\n", bytes.len()));
        }
    }
    out.push(("archives".to_string(), archives));
    out
}

fn snapshot(site: &str, label: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("tf");
    build(site, &out);
    for (file, text) in snapshot_text(&out) {
        insta::with_settings!({ snapshot_suffix => file.clone(), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("tf_{label}"), text);
        });
    }
}

#[test]
fn snapshot_of_the_reference_site() {
    snapshot(REFERENCE, "reference");
}

#[test]
fn snapshot_of_the_minimal_site() {
    snapshot(MINIMAL, "minimal");
}
