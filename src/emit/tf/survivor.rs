//! The Terraform module of the failed-over site (R35): the surviving
//! region's part of the module alone, planned with its provider alone.
//!
//! One module with a provider per region cannot plan while a region is gone:
//! every resource of the lost region is refreshed through its provider. So
//! the build for `active = secondary` keeps, of the module the normal build
//! emits, only what the surviving region's provider manages:
//!
//! * every resource, data source and ephemeral resource of the lost
//!   region's provider is left out, and so is that provider's configuration;
//!   the account-id and partition data sources move to the surviving
//!   provider (STS answers on its regional endpoint; the partition makes no
//!   call);
//! * a value the surviving region's resources read from a left-out block (the
//!   global cluster's identifier, the peering id, the primary key's and
//!   bucket's ARNs, the hosted zone's id, ...) becomes an input variable,
//!   whose value the normal module outputs as `failover_inputs` (read with
//!   `terraform output -json failover_inputs`, which reads only the state);
//! * `depends_on` entries naming a left-out block are dropped; outputs that
//!   read one are left out;
//! * `lost-region-addresses.txt` lists the left-out resources and data sources, for
//!   `terraform state rm` on the copy of the state the failed-over module
//!   starts from (the normal module's state is left as it is, for the failback).
//!
//! Addresses and names are those of the normal module, so the two states hold
//! the same resources under the same addresses.

use super::module::Area;
use crate::graph::{Graph, Role};
use serde_json::{json, Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet};

/// Data sources that follow the surviving provider instead of being left out.
const REHOMED: &[&str] = &["aws_caller_identity", "aws_partition"];

/// What restricting a module to one region's provider did.
#[derive(Debug, Default)]
pub(crate) struct Split {
    /// Input variable → the expression of the normal module it stands for.
    pub inputs: BTreeMap<String, String>,
    /// Addresses of the left-out resources and data sources (`aws_x.y`,
    /// `data.aws_x.y`), sorted.
    pub removed: Vec<String>,
}

/// The normal module's output of the values the failed-over module takes as
/// input variables (its value is a map, in the `*.tfvars.json` format).
pub(crate) const INPUTS_OUTPUT: &str = "failover_inputs";

/// The file listing the left-out resources.
pub(crate) const ADDRESSES_FILE: &str = "lost-region-addresses.txt";

/// Restricts `docs` to the blocks `survivor`'s provider manages, leaving out
/// `lost`'s.
pub(crate) fn restrict(docs: &mut [(Area, Json)], lost: Role, survivor: Role) -> Split {
    let lost_provider = super::expr::provider(lost);
    let survivor_provider = super::expr::provider(survivor);
    let mut gone: BTreeSet<String> = BTreeSet::new();
    let mut removed = Vec::new();
    for (_, doc) in docs.iter_mut() {
        for kind in ["resource", "data", "ephemeral"] {
            let Some(Json::Object(by_type)) = doc.get_mut(kind) else {
                continue;
            };
            for (ty, names) in by_type.iter_mut() {
                let Json::Object(names) = names else { continue };
                let mut keep = Map::new();
                for (name, body) in std::mem::take(names) {
                    let here = body.get("provider").and_then(Json::as_str) == Some(lost_provider);
                    if !here {
                        keep.insert(name, body);
                    } else if kind == "data" && REHOMED.contains(&ty.as_str()) {
                        let mut body = body;
                        if let Some(b) = body.as_object_mut() {
                            b.insert("provider".into(), json!(survivor_provider));
                        }
                        // Its state entry names the lost provider: forgotten
                        // too, and read again through the surviving one.
                        removed.push(format!("data.{ty}.{name}"));
                        keep.insert(name, body);
                    } else {
                        let addr = match kind {
                            "resource" => format!("{ty}.{name}"),
                            k => format!("{k}.{ty}.{name}"),
                        };
                        // Ephemeral resources are never in state.
                        if kind != "ephemeral" {
                            removed.push(addr.clone());
                        }
                        gone.insert(addr);
                    }
                }
                *names = keep;
            }
            by_type.retain(|_, v| v.as_object().is_some_and(|m| !m.is_empty()));
            if by_type.is_empty() {
                doc.as_object_mut().map(|d| d.remove(kind));
            }
        }
        // The lost region's provider configuration.
        if let Some(Json::Array(aws)) = doc.pointer_mut("/provider/aws") {
            aws.retain(|p| p.get("alias").and_then(Json::as_str) != Some(lost.as_str()));
        }
    }
    // Outputs reading a left-out block.
    for (_, doc) in docs.iter_mut() {
        if let Some(Json::Object(outputs)) = doc.get_mut("output") {
            outputs.retain(|_, o| {
                o.get("value")
                    .and_then(Json::as_str)
                    .is_none_or(|v| first_gone(v, &gone).is_none())
            });
            if outputs.is_empty() {
                doc.as_object_mut().map(|d| d.remove("output"));
            }
        }
    }
    let mut inputs: BTreeMap<String, String> = BTreeMap::new();
    let mut by_expr: BTreeMap<String, String> = BTreeMap::new();
    for (_, doc) in docs.iter_mut() {
        rewrite(doc, &gone, lost, &mut inputs, &mut by_expr);
    }
    removed.sort();
    Split { inputs, removed }
}

/// Whether `text` names the block `addr` (as a whole reference, not a prefix
/// of a longer name).
#[cfg(test)]
fn mentions(text: &str, addr: &str) -> bool {
    named(text).any(|a| a == addr)
}

/// The block addresses `text` can name: of each dotted name in it (a run of
/// ASCII letters, digits, `_` and `.`), its first two and first three
/// segments (`aws_vpc.a`, `data.aws_vpc.a`). A reference starts a dotted name
/// and ends at a `.` or at the name's end, so these are all it can be: one
/// pass over `text` instead of one search per candidate address.
fn named(text: &str) -> impl Iterator<Item = &str> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    text.split(move |c: char| !ident(c))
        .filter(|run| !run.is_empty())
        .flat_map(|run| {
            let dots: Vec<usize> = run.match_indices('.').map(|(i, _)| i).collect();
            let two = match dots.get(1) {
                Some(&end) => Some(&run[..end]),
                None if dots.len() == 1 => Some(run),
                None => None,
            };
            let three = match (dots.get(1), dots.get(2)) {
                (Some(_), Some(&end)) => Some(&run[..end]),
                (Some(_), None) => Some(run),
                _ => None,
            };
            two.into_iter().chain(three)
        })
}

/// The first (in address order) left-out block that `text` names.
fn first_gone<'g>(text: &str, gone: &'g BTreeSet<String>) -> Option<&'g String> {
    named(text).filter_map(|a| gone.get(a)).min()
}

fn rewrite(
    v: &mut Json,
    gone: &BTreeSet<String>,
    lost: Role,
    inputs: &mut BTreeMap<String, String>,
    by_expr: &mut BTreeMap<String, String>,
) {
    match v {
        Json::Object(m) => {
            for (k, child) in m.iter_mut() {
                if k == "depends_on" {
                    if let Json::Array(a) = child {
                        a.retain(|d| !d.as_str().is_some_and(|d| gone.contains(d)));
                    }
                } else {
                    rewrite(child, gone, lost, inputs, by_expr);
                }
            }
            if m.get("depends_on")
                .and_then(Json::as_array)
                .is_some_and(Vec::is_empty)
            {
                m.remove("depends_on");
            }
        }
        Json::Array(a) => a
            .iter_mut()
            .for_each(|c| rewrite(c, gone, lost, inputs, by_expr)),
        Json::String(s) if first_gone(s, gone).is_some() => {
            *s = substitute(s, gone, lost, inputs, by_expr);
        }
        _ => {}
    }
}

/// `text` with every `${…}` interpolation that reads a left-out block
/// replaced by an input variable.
fn substitute(
    text: &str,
    gone: &BTreeSet<String>,
    lost: Role,
    inputs: &mut BTreeMap<String, String>,
    by_expr: &mut BTreeMap<String, String>,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        // `$${` is a literal `${`.
        if rest[..start].ends_with('$') {
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            continue;
        }
        let Some(len) = interpolation_len(&rest[start + 2..]) else {
            break;
        };
        let inner = &rest[start + 2..start + 2 + len];
        out.push_str(&rest[..start]);
        match first_gone(inner, gone) {
            Some(addr) => {
                let name = input_name(inner.trim(), addr, lost, inputs, by_expr);
                out.push_str(&format!("${{var.{name}}}"));
            }
            None => out.push_str(&rest[start..start + 2 + len + 1]),
        }
        rest = &rest[start + 2 + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The length of an interpolation's expression, up to its closing brace
/// (nested braces and quoted strings skipped).
fn interpolation_len(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if quoted {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The input variable standing for `expr` (which reads `addr`): named after
/// the block and attribute, e.g. `primary_rds_global_cluster_aurora_ledger_global_id`.
fn input_name(
    expr: &str,
    addr: &str,
    lost: Role,
    inputs: &mut BTreeMap<String, String>,
    by_expr: &mut BTreeMap<String, String>,
) -> String {
    if let Some(n) = by_expr.get(expr) {
        return n.clone();
    }
    let bare = addr
        .trim_start_matches("data.")
        .trim_start_matches("ephemeral.")
        .trim_start_matches("aws_");
    let attr = expr
        .strip_prefix(addr)
        .filter(|rest| {
            rest.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        })
        .unwrap_or(".value");
    let base = super::expr::ident_str(&format!("{}_{bare}{attr}", lost.as_str()).replace('.', "_"));
    let mut name = base.clone();
    let mut n = 2;
    while inputs.contains_key(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    inputs.insert(name.clone(), expr.to_string());
    by_expr.insert(expr.to_string(), name.clone());
    name
}

/// The failed-over build: restricts `docs` to the surviving region, declares
/// the input variables in `providers.tf.json` and returns the split.
pub(crate) fn failed_over(graph: &Graph, docs: &mut [(Area, Json)]) -> Option<Split> {
    let lost = graph.lost()?;
    let split = restrict(docs, lost, lost.other());
    let lost_region = graph.site.region(lost);
    if let Some((_, doc)) = docs.iter_mut().find(|(a, _)| *a == Area::Providers) {
        let vars: Map<String, Json> = split
            .inputs
            .iter()
            .map(|(name, expr)| {
                (
                    name.clone(),
                    json!({
                        "type": "string",
                        "description": format!(
                            "`{expr}` of the normal module ({lost_region}, not managed while failed over): \
                             from `terraform output -json {INPUTS_OUTPUT}` of the normal module's state"
                        ),
                    }),
                )
            })
            .collect();
        if let (false, Some(doc)) = (vars.is_empty(), doc.as_object_mut()) {
            doc.insert("variable".into(), Json::Object(vars));
        }
    }
    Some(split)
}

/// The normal build: the `failover_inputs` output, a map from each input
/// variable of the failed-over module to its value here, so the failed-over
/// module can be planned without the lost region (`terraform output` reads
/// the state only).
pub(crate) fn inputs_output(graph: &Graph, docs: &mut [(Area, Json)]) {
    if graph.lost().is_some() {
        return;
    }
    let mut copy = docs.to_vec();
    let split = restrict(&mut copy, Role::Primary, Role::Secondary);
    if split.inputs.is_empty() {
        return;
    }
    let fields: Vec<String> = split
        .inputs
        .iter()
        .map(|(name, expr)| format!("{name} = {expr}"))
        .collect();
    let value = format!("${{ {{ {} }} }}", fields.join(", "));
    if let Some((_, doc)) = docs.iter_mut().find(|(a, _)| *a == Area::Outputs) {
        if let Some(Json::Object(outputs)) = doc.get_mut("output") {
            outputs.insert(
                INPUTS_OUTPUT.into(),
                json!({
                    "value": value,
                    "description": format!(
                        "Inputs of the failed-over module (build with `active = secondary`): \
                         `terraform output -json {INPUTS_OUTPUT} > {}.auto.tfvars.json` in its directory",
                        Role::Primary.as_str()
                    ),
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_whole_references_only() {
        assert!(mentions("${aws_vpc.a.id}", "aws_vpc.a"));
        assert!(!mentions("${aws_vpc.ab.id}", "aws_vpc.a"));
        assert!(!mentions("${data.aws_vpc.a.id}", "aws_vpc.a"));
        assert!(mentions("${data.aws_vpc.a.id}", "data.aws_vpc.a"));
    }

    #[test]
    fn interpolations_reading_a_gone_block_become_variables() {
        let gone: BTreeSet<String> = ["aws_kms_key.k_primary".to_string()].into();
        let mut inputs = BTreeMap::new();
        let mut by_expr = BTreeMap::new();
        let s = substitute(
            "x-${aws_kms_key.k_primary.arn}-$${keep}-${aws_s3_bucket.b.id}-${[for r in aws_kms_key.k_primary.x : r.y][0]}",
            &gone,
            Role::Primary,
            &mut inputs,
            &mut by_expr,
        );
        assert_eq!(
            s,
            "x-${var.primary_kms_key_k_primary_arn}-$${keep}-${aws_s3_bucket.b.id}-${var.primary_kms_key_k_primary_value}"
        );
        assert_eq!(
            inputs
                .get("primary_kms_key_k_primary_value")
                .map(String::as_str),
            Some("[for r in aws_kms_key.k_primary.x : r.y][0]")
        );
    }
}
