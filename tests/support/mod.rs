//! Shared helpers of the CloudFormation tests: build a site (from a file or
//! from text) through check → lower → emit, and query the templates.
#![allow(dead_code)]

pub mod cfn_lint;

use drsc::emit::{cfn, Output};
use drsc::graph::Graph;
use drsc::model::Model;
use drsc::source::SourceDb;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every site in `specs/`, sorted.
pub fn sites() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("specs"))
        .expect("specs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "drs"))
        .collect();
    v.sort();
    v
}

/// The checked model of a site file; panics on check errors.
pub fn model(path: &Path) -> Model {
    let mut db = SourceDb::new();
    let outcome = drsc::driver::check_path(&mut db, path);
    let errors: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    outcome.model.expect("a model")
}

/// The checked model of `text` as if it were the file `specs/<name>`
/// (so relative `source` paths resolve like the reference site's).
pub fn model_text(name: &str, text: &str) -> Result<Model, Vec<String>> {
    let mut db = SourceDb::new();
    let path = root().join("specs").join(name);
    let id = db.add(format!("specs/{name}"), Some(path), text.to_string());
    let outcome = drsc::driver::check_file(&mut db, id, &root().join("specs"));
    let errors: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code.code, d.message))
        .collect();
    if errors.is_empty() {
        Ok(outcome.model.expect("a model"))
    } else {
        Err(errors)
    }
}

pub fn graph(path: &Path) -> Graph {
    drsc::lower::lower(&model(path)).ok().expect("lowers")
}

pub fn reference_path() -> PathBuf {
    root().join("specs/transactions.drs")
}

pub fn minimal_path() -> PathBuf {
    root().join("specs/minimal.drs")
}

/// The reference site's text.
pub fn reference_text() -> String {
    std::fs::read_to_string(reference_path()).expect("reference site")
}

/// An emitted site with its templates parsed.
pub struct Built {
    pub out: Output,
    /// Template file → parsed template (every `*.json` except `deploy.json`).
    pub templates: BTreeMap<String, Json>,
}

impl Built {
    pub fn new(out: Output) -> Built {
        let templates = out
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".json") && *p != "deploy.json" && !p.contains('/'))
            .map(|(p, b)| (p.clone(), serde_json::from_slice(b).expect("template JSON")))
            .collect();
        Built { out, templates }
    }

    /// Every resource of `ty` in every template: (file, logical id, resource).
    pub fn resources(&self, ty: &str) -> Vec<(&str, &str, &Json)> {
        let mut v = Vec::new();
        for (file, t) in &self.templates {
            if let Some(rs) = t["Resources"].as_object() {
                for (l, r) in rs {
                    if r["Type"] == ty {
                        v.push((file.as_str(), l.as_str(), r));
                    }
                }
            }
        }
        v
    }

    /// Every resource of every template.
    pub fn all(&self) -> Vec<(&str, &str, &Json)> {
        let mut v = Vec::new();
        for (file, t) in &self.templates {
            if let Some(rs) = t["Resources"].as_object() {
                for (l, r) in rs {
                    v.push((file.as_str(), l.as_str(), r));
                }
            }
        }
        v
    }

    pub fn deploy(&self) -> Json {
        serde_json::from_str(self.out.text("deploy.json").expect("deploy.json")).expect("JSON")
    }

    pub fn readme(&self) -> &str {
        self.out.text("README.md").expect("README.md")
    }

    /// The region a template is deployed to, from `deploy.json`.
    pub fn region_of(&self, file: &str) -> String {
        self.deploy()["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["template"] == file)
            .and_then(|s| s["region"].as_str())
            .unwrap_or_default()
            .to_string()
    }
}

pub fn emit(graph: &Graph) -> Built {
    let out = cfn::emit(
        graph,
        &cfn::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap_or_else(|d| panic!("emit failed: {d:#?}"));
    Built::new(out)
}

pub fn build(path: &Path) -> Built {
    emit(&graph(path))
}

/// The Terraform module of `graph`.
pub fn emit_tf(graph: &Graph) -> Output {
    drsc::emit::tf::emit(
        graph,
        &drsc::emit::tf::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap_or_else(|d| panic!("tf emit failed: {d:#?}"))
}

/// Every resource of a Terraform output, by (type, name).
pub fn tf_resources(out: &Output) -> BTreeMap<(String, String), Json> {
    let mut res = BTreeMap::new();
    for (file, bytes) in &out.files {
        if !file.ends_with(".tf.json") {
            continue;
        }
        let doc: Json = serde_json::from_slice(bytes).expect("tf JSON");
        for (ty, named) in doc["resource"].as_object().into_iter().flatten() {
            for (name, body) in named.as_object().expect("resources by name") {
                res.insert((ty.clone(), name.clone()), body.clone());
            }
        }
    }
    res
}

/// `drsc build SITE --target tf` run as a process: the output directory and
/// the resources of its `.tf.json` files, by (type, name).
pub fn built_tf(site: &Path) -> (tempfile::TempDir, BTreeMap<(String, String), Json>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = drsc()
        .arg("build")
        .arg(site)
        .args(["--target", "tf", "-o"])
        .arg(dir.path())
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs drsc");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut out = Output::default();
    for e in std::fs::read_dir(dir.path()).expect("output directory") {
        let path = e.expect("entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".tf.json") {
            out.add(name, std::fs::read(&path).expect("readable"));
        }
    }
    let resources = tf_resources(&out);
    (dir, resources)
}

/// The reference site, built once per test binary.
pub fn reference() -> &'static Built {
    static B: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    B.get_or_init(|| build(&reference_path()))
}

/// Writes an output to a fresh temporary directory.
pub fn write(out: &Output) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("out");
    drsc::emit::write::write_atomic(&target, out).expect("write");
    dir
}

/// The `drsc` binary.
pub fn drsc() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_drsc"))
}
