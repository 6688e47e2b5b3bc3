//! Infrastructure as code after a failover (R35): `site.active`.
//!
//! The reference site (and the APAC site, whose weights follow the active
//! region) is built in both states, `active = primary` (the file as written)
//! and `active = secondary` (the same text with the attribute added):
//!
//! * snapshots of the failed-over build (`deploy.json`, the Terraform
//!   providers and inputs, the left-out addresses) and of the difference
//!   between the two builds;
//! * the difference is the role swap and nothing else: alarms that start the
//!   failover are disarmed, the Route 53 weights follow the active region
//!   (not after losing us-east-1), CloudFormation deploys only the surviving
//!   region's stacks, Terraform manages only the surviving provider's blocks
//!   with the lost region's values as inputs;
//! * no resource, data source, provider or deploy step of the failed-over
//!   build sits in, or calls, the lost region;
//! * the region-loss check passes in both states; cfn-lint 0/0 and
//!   `tf-schema-check --strict` 0/0 in both states.

mod support;

use drsc::emit::{cfn, tf, Output};
use drsc::graph::{Graph, Role};
use serde_json::{json, Value as Json};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use support::*;

const REFERENCE: &str = "transactions.drs";
/// APAC: primary ap-southeast-1, so the weights follow the active region.
const APAC: &str = "clearing.drs";

/// The site `name` of `specs/`, with `active = secondary` when `failed_over`.
fn text(name: &str, failed_over: bool) -> String {
    let t = std::fs::read_to_string(root().join("specs").join(name)).expect("site file");
    if !failed_over {
        return t;
    }
    // Right after the `secondary = …` line of the site block.
    let mut out = String::new();
    let mut done = false;
    for line in t.lines() {
        out.push_str(line);
        out.push('\n');
        if !done && line.trim_start().starts_with("secondary ") {
            out.push_str("  active = secondary\n");
            done = true;
        }
    }
    assert!(done, "{name} has no `secondary` line");
    out
}

/// Every site of `specs/`, by file name (the role-swap and lost-region
/// properties are type-wide).
fn all_sites() -> Vec<String> {
    sites()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
}

fn graph(name: &str, failed_over: bool) -> Graph {
    let model = model_text(name, &text(name, failed_over))
        .unwrap_or_else(|e| panic!("{name} (failed over: {failed_over}): {e:#?}"));
    drsc::lower::lower(&model).ok().expect("lowers")
}

fn cfn_out(g: &Graph) -> Output {
    cfn::emit(
        g,
        &cfn::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap_or_else(|d| panic!("{d:#?}"))
}

fn tf_out(g: &Graph) -> Output {
    tf::emit(
        g,
        &tf::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap_or_else(|d| panic!("{d:#?}"))
}

fn json_file(out: &Output, path: &str) -> Json {
    serde_json::from_str(out.text(path).unwrap_or_else(|| panic!("{path} missing")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every difference between two JSON values, as `path: before → after`.
fn diff(path: &str, a: &Json, b: &Json, out: &mut Vec<(String, Json, Json)>) {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let (va, vb) = (
                    x.get(k).cloned().unwrap_or(Json::Null),
                    y.get(k).cloned().unwrap_or(Json::Null),
                );
                diff(&format!("{path}/{k}"), &va, &vb, out);
            }
        }
        (Json::Array(x), Json::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}/{i}"), va, vb, out);
            }
        }
        _ if a != b => out.push((path.to_string(), a.clone(), b.clone())),
        _ => {}
    }
}

/// The template differences between the two CloudFormation builds.
fn cfn_diff(a: &Output, b: &Output) -> Vec<(String, Json, Json)> {
    let mut out = Vec::new();
    let files: BTreeSet<&String> = a.files.keys().chain(b.files.keys()).collect();
    for f in files {
        if !f.ends_with(".json") || f.contains('/') || f == "deploy.json" {
            continue;
        }
        diff(f, &json_file(a, f), &json_file(b, f), &mut out);
    }
    out
}

/// Whether a CloudFormation difference is part of the role swap.
fn cfn_role_swap(b: &Output, path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let [file, "Resources", logical, "Properties", prop, ..] = parts[..] else {
        return false;
    };
    let ty = json_file(b, file)["Resources"][logical]["Type"].clone();
    matches!(
        (ty.as_str(), prop),
        (
            Some("AWS::CloudWatch::Alarm" | "AWS::CloudWatch::CompositeAlarm"),
            "ActionsEnabled"
        ) | (Some("AWS::Route53::RecordSet"), "Weight")
    )
}

/// Every block of a Terraform module: `kind.type.name` → body.
fn tf_blocks(out: &Output) -> BTreeMap<String, Json> {
    let mut m = BTreeMap::new();
    for (path, bytes) in &out.files {
        if !path.ends_with(".tf.json") {
            continue;
        }
        let doc: Json = serde_json::from_slice(bytes).expect("JSON");
        for kind in ["resource", "data", "ephemeral"] {
            for (ty, names) in doc[kind].as_object().into_iter().flatten() {
                for (name, body) in names.as_object().into_iter().flatten() {
                    m.insert(format!("{kind}.{ty}.{name}"), body.clone());
                }
            }
        }
        for (name, body) in doc["output"].as_object().into_iter().flatten() {
            m.insert(format!("output.{name}"), body.clone());
        }
    }
    m
}

/// The failed-over module's input variables → the normal module's expression.
fn tf_inputs(out: &Output) -> BTreeMap<String, String> {
    let providers = json_file(out, "providers.tf.json");
    providers["variable"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, v)| {
            let d = v["description"].as_str().unwrap_or_default();
            let expr = d.split('`').nth(1).unwrap_or_default().to_string();
            (name.clone(), expr)
        })
        .collect()
}

/// `v` with every `${var.X}` written back as the expression it stands for.
fn restore(v: &Json, inputs: &BTreeMap<String, String>) -> Json {
    match v {
        Json::String(s) => {
            let mut s = s.clone();
            for (name, expr) in inputs {
                s = s.replace(&format!("${{var.{name}}}"), &format!("${{{expr}}}"));
            }
            Json::String(s)
        }
        Json::Array(a) => Json::Array(a.iter().map(|x| restore(x, inputs)).collect()),
        Json::Object(m) => Json::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), restore(x, inputs)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The Terraform differences: blocks only in one module, and the changed
/// attributes of the blocks in both, with the inputs written back.
fn tf_diff(a: &Output, b: &Output) -> (Vec<String>, Vec<(String, Json, Json)>) {
    let (ba, bb) = (tf_blocks(a), tf_blocks(b));
    let inputs = tf_inputs(b);
    let mut only = Vec::new();
    let mut changed = Vec::new();
    for (addr, body) in &ba {
        match bb.get(addr) {
            None => {
                // Left out: the primary's provider, or an output reading it.
                let p = body["provider"].as_str();
                assert!(
                    p == Some("aws.primary") || addr.starts_with("output."),
                    "{addr} ({p:?}) is missing from the failed-over module"
                );
                only.push(addr.clone());
            }
            Some(other) => {
                let mut normal = body.clone();
                // `depends_on` entries naming a left-out block are dropped.
                if let Some(deps) = normal.get_mut("depends_on").and_then(Json::as_array_mut) {
                    deps.retain(|d| {
                        let d = d.as_str().unwrap_or_default();
                        let key = if d.starts_with("data.") {
                            d.to_string()
                        } else {
                            format!("resource.{d}")
                        };
                        bb.contains_key(&key)
                    });
                    if deps.is_empty() {
                        normal.as_object_mut().map(|m| m.remove("depends_on"));
                    }
                }
                diff(addr, &normal, &restore(other, &inputs), &mut changed);
            }
        }
    }
    for addr in bb.keys() {
        assert!(
            ba.contains_key(addr),
            "{addr} is only in the failed-over module"
        );
    }
    (only, changed)
}

/// Whether a Terraform difference is part of the role swap.
fn tf_role_swap(path: &str, before: &Json, after: &Json) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let addr = parts[0];
    let rest = &parts[1..];
    let ty = addr.split('.').nth(1).unwrap_or_default();
    match (ty, rest) {
        ("aws_cloudwatch_metric_alarm" | "aws_cloudwatch_composite_alarm", ["actions_enabled"]) => {
            before.is_null() && after == &json!(false)
        }
        ("aws_route53_record", ["weighted_routing_policy", "0", "weight"]) => true,
        // The account-id and partition data sources move to the survivor's provider.
        ("aws_caller_identity" | "aws_partition", ["provider"]) => {
            before == &json!("aws.primary") && after == &json!("aws.secondary")
        }
        _ => false,
    }
}

fn describe(diffs: &[(String, Json, Json)]) -> String {
    diffs
        .iter()
        .map(|(p, a, b)| format!("{p}: {a} → {b}\n"))
        .collect()
}

/// The CloudFormation and Terraform differences of one site, described.
fn role_swap_report(name: &str) -> String {
    let (g0, g1) = (graph(name, false), graph(name, true));
    let (c0, c1) = (cfn_out(&g0), cfn_out(&g1));
    let (t0, t1) = (tf_out(&g0), tf_out(&g1));
    let cd = cfn_diff(&c0, &c1);
    let (left_out, td) = tf_diff(&t0, &t1);
    let stray: Vec<_> = cd
        .iter()
        .filter(|(p, _, _)| !cfn_role_swap(&c1, p))
        .cloned()
        .collect();
    assert!(
        stray.is_empty(),
        "{name}: CloudFormation differences beyond the role swap:\n{}",
        describe(&stray)
    );
    let stray: Vec<_> = td
        .iter()
        .filter(|(p, a, b)| !tf_role_swap(p, a, b))
        .cloned()
        .collect();
    assert!(
        stray.is_empty(),
        "{name}: Terraform differences beyond the role swap:\n{}",
        describe(&stray)
    );
    let mut r =
        format!("# {name}: active = primary → active = secondary\n\n## CloudFormation templates\n");
    r.push_str(&describe(&cd));
    r.push_str("\n## Terraform blocks in both modules\n");
    r.push_str(&describe(&td));
    r.push_str(&format!(
        "\n## Terraform blocks left out ({})\n",
        left_out.len()
    ));
    let count = |prefix: &str| left_out.iter().filter(|a| a.starts_with(prefix)).count();
    r.push_str(&format!(
        "aws.primary: {} resources, {} data sources, {} ephemeral resources; {} outputs reading them\n",
        count("resource."),
        count("data."),
        count("ephemeral."),
        count("output.")
    ));
    r
}

#[test]
fn the_difference_between_the_states_is_the_role_swap_and_nothing_else() {
    let reference = role_swap_report(REFERENCE);
    // us-east-1 homes Route 53's control plane: the weights stay; only the
    // failover alarm is disarmed (both backends).
    assert!(
        reference.contains("ActionsEnabled: null → false"),
        "{reference}"
    );
    assert!(
        reference.contains("actions_enabled: null → false"),
        "{reference}"
    );
    assert!(!reference.contains("Weight"), "{reference}");
    insta::assert_snapshot!("reference-role-swap", reference);

    let apac = role_swap_report(APAC);
    // With Region switch the records are failover records on the plan's
    // health checks, which the executions set: no record changes in either
    // state, inside or outside us-east-1.
    assert!(!apac.contains("Weight"), "{apac}");
    assert!(!apac.contains("Failover"), "{apac}");
    assert!(!apac.contains("weighted_routing_policy"), "{apac}");
    insta::assert_snapshot!("apac-role-swap", apac);

    // Every other site: the difference is the role swap (asserted inside).
    for name in all_sites() {
        role_swap_report(&name);
    }
}

#[test]
fn names_stacks_and_addresses_do_not_change_between_the_states() {
    for name in &all_sites() {
        let (g0, g1) = (graph(name, false), graph(name, true));
        let ids = |g: &Graph| {
            g.nodes
                .iter()
                .map(|n| {
                    (
                        n.id.clone(),
                        n.name.clone(),
                        n.region.clone(),
                        n.tags.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&g0), ids(&g1), "{name}");
        assert_eq!(g1.site.active, Role::Secondary);
        assert_eq!(g1.site.writer_region(), g1.site.secondary_region);
        let (c0, c1) = (cfn_out(&g0), cfn_out(&g1));
        assert_eq!(
            c0.files.keys().collect::<Vec<_>>(),
            c1.files.keys().collect::<Vec<_>>(),
            "{name}: the same files (the lost region's templates are written, not deployed)"
        );
        let stacks = |o: &Output| -> BTreeSet<String> {
            let d = json_file(o, "deploy.json");
            d["steps"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(d["not_deployed"].as_array().into_iter().flatten())
                .filter_map(|s| s["stack_name"].as_str().map(String::from))
                .collect()
        };
        assert_eq!(stacks(&c0), stacks(&c1), "{name}: stack names");
    }
}

#[test]
fn no_part_of_the_failed_over_build_sits_in_or_calls_the_lost_region() {
    for name in &all_sites() {
        let g = graph(name, true);
        let lost = g.site.primary_region.clone();
        let survivor = g.site.secondary_region.clone();
        // CloudFormation: every step runs in the survivor and reads nothing of the lost region.
        let c = cfn_out(&g);
        let deploy = json_file(&c, "deploy.json");
        let steps = deploy["steps"].as_array().expect("steps");
        assert!(!steps.is_empty());
        for s in steps {
            assert_eq!(s["region"], json!(survivor), "{name}: {s}");
            let cmd = s["command"].as_str().unwrap_or_default();
            assert!(
                !cmd.contains(&format!("--region {lost}")),
                "{name}: step calls {lost}: {cmd}"
            );
            for p in s["parameters"].as_array().into_iter().flatten() {
                if p["from"]["region"] == json!(lost) || p.get("lookup").is_some() {
                    assert_eq!(p["previous"], json!(true), "{name}: {p}");
                }
            }
        }
        let skipped: Vec<&str> = deploy["not_deployed"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["region"].as_str())
            .collect();
        assert!(
            !skipped.is_empty() && skipped.iter().all(|r| *r == lost),
            "{name}"
        );
        assert_eq!(deploy["lost_region"], json!(lost));
        // Terraform: one provider, the survivor's; every block uses it.
        let t = tf_out(&g);
        let providers = json_file(&t, "providers.tf.json");
        assert_eq!(
            providers["provider"]["aws"],
            json!([{"alias": "secondary", "region": survivor}]),
            "{name}"
        );
        for (addr, body) in tf_blocks(&t) {
            if addr.starts_with("output.") {
                continue;
            }
            assert_eq!(body["provider"], json!("aws.secondary"), "{name}: {addr}");
        }
        for (_, bytes) in t.files.iter().filter(|(p, _)| p.ends_with(".tf.json")) {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains("aws.primary"), "{name}");
        }
        // Nothing global needs a change: IAM, Route 53 and the Region switch
        // plan are the same in both states (the role-swap test), and the
        // recovery path from the survivor needs nothing of the lost region.
        let loss = drsc::objectives::region_loss::simulate(&g, Role::Primary);
        assert!(loss.intact(), "{name}: {}", loss.summary);
    }
}

#[test]
fn the_region_loss_check_passes_in_both_states() {
    for name in &all_sites() {
        for failed_over in [false, true] {
            let model = model_text(name, &text(name, failed_over));
            assert!(model.is_ok(), "{name} ({failed_over}): {model:?}");
            let g = graph(name, failed_over);
            for lost in Role::BOTH {
                let loss = drsc::objectives::region_loss::simulate(&g, lost);
                assert!(loss.intact(), "{name} ({failed_over}): {}", loss.summary);
            }
        }
    }
}

#[test]
fn snapshots_of_the_failed_over_reference_build() {
    let g = graph(REFERENCE, true);
    let c = cfn_out(&g);
    insta::assert_snapshot!(
        "reference-failed-over-deploy.json",
        c.text("deploy.json").expect("deploy.json")
    );
    let t = tf_out(&g);
    insta::assert_snapshot!(
        "reference-failed-over-providers.tf.json",
        t.text("providers.tf.json").expect("providers")
    );
    insta::assert_snapshot!(
        "reference-failed-over-lost-region-addresses.txt",
        t.text("lost-region-addresses.txt").expect("addresses")
    );
    let section = |readme: &str| {
        let start = readme
            .find("## Active region and failing over (R35)")
            .expect("R35 section");
        let rest = &readme[start..];
        let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
        rest[..end].to_string()
    };
    insta::assert_snapshot!(
        "reference-failed-over-cfn-readme",
        section(c.text("README.md").expect("README"))
    );
    insta::assert_snapshot!(
        "reference-failed-over-tf-readme",
        section(t.text("README.md").expect("README"))
    );
    // The normal state's section (its templates are snapshotted by tests/cfn.rs and tests/tf.rs).
    let normal = cfn_out(&graph(REFERENCE, false));
    insta::assert_snapshot!(
        "reference-normal-cfn-readme",
        section(normal.text("README.md").expect("README"))
    );
}

#[test]
fn the_normal_module_outputs_every_input_of_the_failed_over_module() {
    for name in &all_sites() {
        let t0 = tf_out(&graph(name, false));
        let t1 = tf_out(&graph(name, true));
        let outputs = json_file(&t0, "outputs.tf.json");
        let value = outputs["output"]["failover_inputs"]["value"]
            .as_str()
            .expect("failover_inputs");
        let inputs = tf_inputs(&t1);
        assert!(!inputs.is_empty() || name != REFERENCE, "{name}");
        for (var, expr) in &inputs {
            assert!(
                value.contains(&format!("{var} = {expr}")),
                "{name}: failover_inputs lacks {var} = {expr}: {value}"
            );
        }
        // Every left-out resource is listed for `terraform state rm`.
        let listed: BTreeSet<&str> = t1
            .text("lost-region-addresses.txt")
            .expect("addresses")
            .lines()
            .collect();
        for (addr, body) in tf_blocks(&t0) {
            if body["provider"] == json!("aws.primary") && !addr.starts_with("ephemeral.") {
                // Data sources too, the rehomed ones included (their state
                // entries name the lost provider; they are read again).
                let bare = addr.trim_start_matches("resource.");
                assert!(listed.contains(bare), "{name}: {bare} not listed");
            }
        }
    }
}

#[test]
fn the_member_clusters_ignore_global_membership_in_both_states() {
    for failed_over in [false, true] {
        let t = tf_out(&graph(REFERENCE, failed_over));
        let db = json_file(&t, "database.tf.json");
        for (_, body) in db["resource"]["aws_rds_cluster"]
            .as_object()
            .expect("clusters")
        {
            let ignored = &body["lifecycle"]["ignore_changes"];
            for a in ["global_cluster_identifier", "replication_source_identifier"] {
                assert!(
                    ignored.as_array().is_some_and(|v| v.contains(&json!(a))),
                    "{a} not ignored: {body}"
                );
            }
        }
    }
    // CloudFormation: the global cluster never names its source cluster
    // (cloudformation-coverage-roadmap#1856).
    for failed_over in [false, true] {
        let c = support::Built::new(cfn_out(&graph(REFERENCE, failed_over)));
        for (_, _, r) in c.resources("AWS::RDS::GlobalCluster") {
            assert!(r["Properties"].get("SourceDBClusterIdentifier").is_none());
        }
    }
}

/// The linters over the failed-over build of every site (the normal builds
/// are linted by tests/cfn.rs and tests/tf.rs).
#[test]
fn cfn_lint_and_tf_schema_check_pass_in_the_failed_over_state() {
    let mut findings = Vec::new();
    for name in &all_sites() {
        let g = graph(name, true);
        let built = support::Built::new(cfn_out(&g));
        let dir = write(&built.out);
        let templates: Vec<_> = built
            .templates
            .keys()
            .map(|f| dir.path().join("out").join(f))
            .collect();
        for f in cfn_lint::lint(&templates) {
            findings.push(format!("{name}: {f}"));
        }
        let t = tf_out(&g);
        let dir = write(&t);
        let checker = root().join("../shared/terraform/tf-schema-check");
        let o = Command::new("python3")
            .arg(&checker)
            .arg("--strict")
            .arg(dir.path().join("out"))
            .output()
            .expect("run tf-schema-check");
        let report = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && report.contains("errors=0 warnings=0"),
            "tf-schema-check --strict failed for {name}:\n{report}"
        );
        let total = report
            .lines()
            .find(|l| l.starts_with("TOTAL"))
            .unwrap_or_default();
        assert!(total.ends_with("errors=0 warnings=0"), "{name}: {total}");
    }
    assert!(findings.is_empty(), "cfn-lint:\n{}", findings.join("\n"));
}

/// With the Lambda engine the records are weighted, and outside us-east-1
/// (whose loss would also take Route 53's control plane) the share follows
/// the active region: the failed-over build gives the secondary's record the
/// weight, so the next deploy does not undo the failover (R35).
#[test]
fn lambda_engine_weights_follow_the_active_region_outside_us_east_1() {
    let weights = |failed_over: bool| -> Vec<(String, i64)> {
        let t = text(APAC, failed_over).replacen(
            "  allow_data_loss = true\n}",
            "  allow_data_loss = true\n  engine          = lambda\n}",
            1,
        );
        let model = model_text(APAC, &t).unwrap_or_else(|e| panic!("{e:#?}"));
        let g = drsc::lower::lower(&model).ok().expect("lowers");
        let mut w: Vec<(String, i64)> = g
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                drsc::graph::NodeKind::Record(r) => match &r.routing {
                    drsc::graph::Routing::Weighted(w) => Some((r.set_identifier.clone(), **w)),
                    drsc::graph::Routing::Failover(_) => None,
                },
                _ => None,
            })
            .collect();
        w.sort();
        w
    };
    assert_eq!(
        weights(false),
        [
            ("primary-apse1".to_string(), 100),
            ("secondary-apne1".to_string(), 0)
        ]
    );
    assert_eq!(
        weights(true),
        [
            ("primary-apse1".to_string(), 0),
            ("secondary-apne1".to_string(), 100)
        ]
    );
}
