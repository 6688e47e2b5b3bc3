//! Backends: resource graph → files. Each backend returns an [`Output`] (a
//! sorted map of relative paths to bytes); [`write::write_atomic`] puts it on
//! disk. Shared pieces: deterministic function packages ([`assets`], [`zip`]).
//!
//! * [`cfn`]: CloudFormation templates per stack, `deploy.json`, README.
//! * [`tf`]: one Terraform module in JSON syntax for both regions.

mod active;
pub mod cfn;
pub mod codes;
pub(crate) mod drill;
mod evidence_readme;
pub(crate) mod readme;
pub(crate) mod restore;
pub mod tf;
pub mod write;
pub mod zip;

use crate::diagnostic::Diagnostic;
use crate::graph::{Builtin, Code, Graph, NodeId, NodeKind};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The files a backend produces, by path relative to the output directory
/// (`/`-separated). Sorted, so writing and hashing are deterministic.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Adds a file.
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// A file's contents as text (for tests).
    pub fn text(&self, path: &str) -> Option<&str> {
        self.files
            .get(path)
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// A packaged function: one deterministic zip, possibly shared by several
/// function nodes (the same code in both regions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// File name under `assets/`, e.g. `ingest-3f2a…c1.zip` (content-addressed).
    pub file: String,
    /// The zip bytes.
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of the zip.
    pub sha256_hex: String,
    /// Base64 SHA-256 of the zip (Terraform's `source_code_hash`).
    pub sha256_base64: String,
    /// The function nodes whose code this is.
    pub functions: Vec<NodeId>,
}

/// Packages the code of every function that is not inline: `source`
/// directories, and drsc's builtin handlers (zipped at compile time). Deterministic: the same
/// sources give the same bytes and names.
pub fn assets(graph: &Graph) -> Result<Vec<Asset>, Vec<Diagnostic>> {
    let mut out: Vec<Asset> = Vec::new();
    let mut diags = Vec::new();
    // The same directory serves both regions: zip it once.
    let mut zipped: BTreeMap<std::path::PathBuf, Vec<u8>> = BTreeMap::new();
    for node in &graph.nodes {
        let NodeKind::Function(f) = &node.kind else {
            continue;
        };
        let (label, bytes) = match &f.code {
            Code::Inline(_) | Code::Builtin(Builtin::Probe) => continue,
            Code::Builtin(b) => (b.name().to_string(), b.package().to_vec()),
            Code::Directory(dir) => {
                let label = match &f.purpose {
                    crate::graph::Purpose::Site(n) => n.replace('_', "-"),
                    _ => "function".to_string(),
                };
                let result = match zipped.get(dir) {
                    Some(b) => Ok(b.clone()),
                    None => zip::zip_dir(dir),
                };
                match result {
                    Ok(b) => {
                        zipped.insert(dir.clone(), b.clone());
                        (label, b)
                    }
                    Err(e) => {
                        diags.push(
                            Diagnostic::new(
                                &codes::SOURCE_UNREADABLE,
                                format!(
                                    "cannot package `{}` for function `{}`: {e}",
                                    dir.display(),
                                    node.name
                                ),
                            )
                            .help("create the directory (relative to the site file) or fix its permissions"),
                        );
                        continue;
                    }
                }
            }
        };
        let digest = Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let file = format!("{label}-{}.zip", &hex[..16]);
        if let Some(a) = out.iter_mut().find(|a| a.file == file) {
            a.functions.push(node.id.clone());
            continue;
        }
        use base64::Engine;
        out.push(Asset {
            file,
            sha256_base64: base64::engine::general_purpose::STANDARD.encode(digest),
            sha256_hex: hex,
            bytes,
            functions: vec![node.id.clone()],
        });
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// The report plans delivering to the evidence bucket `bucket`: its bucket
/// policy names the Backup Audit Manager service-linked role, which the
/// console guide says exists only once a report plan does ("until the backup
/// report is created the first time, the service-linked role referred to in
/// the S3 bucket policy will not yet exist, resulting in the error 'Invalid
/// principal'",
/// <https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-console.html>),
/// so both backends create the policy after them.
pub(crate) fn report_plans_of(graph: &Graph, bucket: &NodeId) -> Vec<NodeId> {
    graph
        .nodes
        .iter()
        .filter(|n| matches!(&n.kind, NodeKind::ReportPlan(r) if &r.bucket_node == bucket))
        .map(|n| n.id.clone())
        .collect()
}
