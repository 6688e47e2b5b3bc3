//! Compliance and feasibility rules over the model. One small module per rule,
//! each with a stable code; the registry lists them all.
//!
//! Numbering (DRS0200–DRS0499, by area):
//! DRS020x regions, DRS021x Aurora, DRS022x DynamoDB, DRS023x S3, DRS024x keys,
//! DRS025x protection, DRS026x tags, DRS027x physical names, DRS028x backup,
//! DRS030x network, DRS031x functions, DRS032x DNS and failover, DRS033x the
//! plan (values lowering derived, over the graph),
//! DRS040x recovery objectives, DRS049x suppressions, DRS050x restore testing,
//! DRS051x the region-loss drill, DRS052x the isolated copy.
//!
//! A rule is a module with a `CODE` (its [`CodeInfo`]) and a
//! `check(&Context, &mut Vec<Diagnostic>)`. A failing rule labels the offending
//! value (primary) and the profile line or objective that demands it (secondary).

mod context;

pub mod aurora;
pub mod backup;
pub mod dns;
pub mod drill;
pub mod dynamodb;
pub mod functions;
pub mod keys;
pub mod naming;
pub mod network;
pub mod objectives;
pub mod plan;
pub mod protection;
pub mod recovery;
pub mod regions;
pub mod restore;
pub mod s3;
pub mod suppress;
pub mod tags;

#[cfg(test)]
pub(crate) mod testing;

pub use crate::model::StoreKind;
pub use context::{written, Context, Store};

use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::model::Model;
use crate::objectives::Objectives;
use crate::registry::CodeInfo;

/// One rule: its code and the function that checks it.
pub struct Rule {
    pub code: &'static CodeInfo,
    pub check: fn(&Context, &mut Vec<Diagnostic>),
}

/// Lists every rule once; `ALL` (for the registry) and `RULES` (for `run`) come from it.
macro_rules! rules {
    ($($($seg:ident)::+),* $(,)?) => {
        /// Every rule's code, in order, plus the codes the suppression pass reports.
        pub static ALL: &[&CodeInfo] = &[$(&$($seg)::+::CODE,)* &suppress::CODE];

        /// Every rule, in code order.
        pub static RULES: &[Rule] = &[$(Rule { code: &$($seg)::+::CODE, check: $($seg)::+::check },)*];
    };
}

rules![
    regions::unknown_region,
    regions::same_region_pair,
    regions::service_unavailable,
    aurora::engine_version,
    aurora::instance_class,
    aurora::single_instance,
    aurora::unencrypted_storage,
    aurora::missing_key,
    aurora::serverless_capacity,
    dynamodb::pitr_disabled,
    dynamodb::missing_key,
    s3::unversioned,
    s3::missing_key,
    s3::unreplicated,
    s3::replication_without_rtc,
    s3::public_access,
    s3::plain_http,
    keys::rotation_disabled,
    protection::deletion_protection_off,
    tags::required_tag_overridden,
    tags::invalid_tag,
    tags::required_tag_missing,
    naming::invalid_suffix,
    naming::invalid_name,
    naming::duplicate_name,
    backup::interval_exceeds_rpo,
    backup::no_cross_region_copy,
    backup::retention_below_minimum,
    backup::record_retention_unmet,
    backup::store_not_backed_up,
    backup::vault_lock_weaker,
    backup::cold_storage_too_short,
    backup::copy_retention_outside_lock,
    backup::unschedulable_interval,
    backup::continuous_retention_too_long,
    network::overlapping_cidrs,
    network::too_few_zones,
    network::zones_exceed_region,
    network::subnets_do_not_fit,
    functions::unknown_runtime,
    functions::deprecated_runtime,
    functions::python_too_old,
    functions::invalid_memory,
    dns::ttl_too_long,
    dns::health_check_ineffective,
    dns::record_outside_zone,
    dns::failover_without_dns,
    dns::failover_timeout_too_short,
    dns::failover_needs_healthy_primary,
    dns::external_front_door,
    dns::ttl_without_effect,
    dns::failover_waits_for_approval,
    plan::alarm_period_invalid,
    plan::log_retention_invalid,
    plan::health_check_interval_invalid,
    plan::schedule_rate_invalid,
    plan::timeout_invalid,
    plan::weight_out_of_range,
    plan::selection_empty,
    plan::region_switch_rto_invalid,
    dns::approval_unsupported,
    plan::audit_control_inexpressible,
    dns::region_switch_setting_without_effect,
    objectives::rpo_unmet,
    objectives::rto_unmet,
    objectives::no_failover_path,
    recovery::needs_lost_region,
    restore::schedule_too_frequent,
    restore::validation_window_invalid,
    restore::tests_required,
    restore::name_too_long,
    drill::duration_invalid,
    drill::nothing_to_rehearse,
    drill::no_stop_condition,
    drill::required,
    drill::fails_site_over,
    backup::isolated_vault_malformed,
    backup::isolated_vault_own_account,
    backup::isolated_copy_missing,
    plan::air_gapped_retention_invalid,
    backup::isolated_copy_ambiguous,
];

/// Runs every rule on the model and on its lowered graph.
pub fn run(model: &Model, graph: &Graph) -> Vec<Diagnostic> {
    run_with_estimate(model, graph).0
}

/// [`run`], and the objectives estimate the rules judged (computed once).
pub fn run_with_estimate(model: &Model, graph: &Graph) -> (Vec<Diagnostic>, Objectives) {
    let cx = Context::new(model, graph);
    let mut out = Vec::new();
    for rule in RULES {
        (rule.check)(&cx, &mut out);
    }
    (out, cx.into_objectives())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_ordered_and_in_range() {
        let mut prev = "";
        // The suppression pass's code (DRS0490) is listed last, after the rules'.
        for c in ALL.iter().filter(|c| c.code != suppress::CODE.code) {
            let n: u32 = c.code[3..].parse().unwrap();
            // DRS0200–DRS0499, and DRS05xx for the rules of issue 13
            // (restore testing, evidence, the ransomware tier).
            assert!((200..600).contains(&n), "{} out of range", c.code);
            assert!(c.code > prev, "{} out of order", c.code);
            prev = c.code;
        }
        let unique: std::collections::BTreeSet<&str> = ALL.iter().map(|c| c.code).collect();
        assert_eq!(unique.len(), ALL.len(), "duplicate codes");
        assert_eq!(RULES.len() + 1, ALL.len());
    }

    #[test]
    fn every_explanation_has_the_four_headings_and_cites_a_requirement() {
        for c in ALL {
            for h in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## Fix",
            ] {
                assert!(c.explanation.contains(h), "{} lacks {h}", c.code);
            }
            let chars: Vec<char> = c.explanation.chars().collect();
            let cites = chars
                .windows(3)
                .any(|w| !w[0].is_ascii_alphanumeric() && w[1] == 'R' && w[2].is_ascii_digit());
            assert!(cites, "{} cites no R-id", c.code);
            assert!(
                !c.summary.ends_with('.'),
                "{} summary ends with a dot",
                c.code
            );
            let kebab = c
                .name
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
            assert!(kebab, "{} name is not kebab-case", c.code);
        }
    }

    #[test]
    fn the_reference_site_is_clean() {
        let m = testing::reference();
        let diags = run(&m, &crate::lower::lower(&m).graph);
        assert!(diags.is_empty(), "{diags:#?}");
    }
}
