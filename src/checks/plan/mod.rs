//! Rules over the plan: the values lowering derived (`crate::graph::Derived`),
//! judged against the AWS limits of `std/limits`. They read the graph `build`
//! emits, so what `check` accepts is exactly what is deployed; each finding
//! points at the declaration the value came from and names the nearest values
//! AWS accepts.

pub mod air_gapped_retention_invalid;
pub mod alarm_period_invalid;
pub mod audit_control_inexpressible;
pub mod health_check_interval_invalid;
pub mod log_retention_invalid;
pub mod region_switch_rto_invalid;
pub mod schedule_rate_invalid;
pub mod selection_empty;
pub mod timeout_invalid;
pub mod weight_out_of_range;

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::{Derived, Node};
use crate::registry::CodeInfo;

/// Adds `d` unless `out` already has a finding of its code at its span (a
/// value lowered into both regions is one mistake).
pub(crate) fn push_once(out: &mut Vec<Diagnostic>, d: Option<Diagnostic>) {
    if let Some(d) = d {
        if !out.iter().any(|o| o.code == d.code && o.span() == d.span()) {
            out.push(d);
        }
    }
}

/// DRS`code` when `value` (of `node`, in the limit's unit) is one AWS rejects
/// under the `std/limits` entry `key`; `what` names the value, e.g.
/// "CloudWatch alarm period". `None` when it is accepted, or when the value has
/// no declaration to point at (drsc's own values are tested, not checked).
pub(crate) fn outside<T>(
    cx: &Context,
    code: &'static CodeInfo,
    key: &str,
    node: &Node,
    derived: &Derived<T>,
    value: i64,
    what: &str,
) -> Option<Diagnostic> {
    let limit = cx.model.catalog.limit(key)?;
    if limit.admits(value) {
        return None;
    }
    let span = derived.span()?;
    let nearest: Vec<String> = limit
        .nearest(value)
        .iter()
        .map(|v| format!("`{}`", limit.show(*v)))
        .collect();
    let accepted = limit.describe();
    let help = if nearest.is_empty() {
        format!("AWS accepts {accepted}")
    } else {
        format!(
            "AWS accepts {accepted}; the nearest are {}",
            nearest.join(" and ")
        )
    };
    Some(
        Diagnostic::new(
            code,
            format!("{what} {} is not a value AWS accepts", limit.show(value)),
        )
        .at(span, format!("`{}` gets {}", node.name, limit.show(value)))
        .also(limit.span, "the AWS limit (std/limits)")
        .help(help),
    )
}
