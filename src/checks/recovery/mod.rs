//! Rules over the region-loss simulation ([`crate::objectives::region_loss`]):
//! a recovery step that needs the lost primary region (R31). Steps that run
//! with less (a control-plane call with a data-plane fallback, rotation in the
//! lost region, no backups in the promoted region) are listed as warnings in
//! the region-loss report of `drsc check`, not as diagnostics: they come from
//! drsc's own generated resources, and no site declaration changes them.

pub mod needs_lost_region;

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::objectives::region_loss::{Dependency, Impact};
use crate::registry::CodeInfo;

/// One diagnostic of `code` for every dependency of the primary's loss with `impact`.
fn report(cx: &Context, code: &'static CodeInfo, impact: Impact, out: &mut Vec<Diagnostic>) {
    let Some(loss) = cx.objectives().region_loss.first() else {
        return;
    };
    for d in loss.dependencies.iter().filter(|d| d.impact == impact) {
        out.push(diagnostic(cx, code, &loss.lost, d));
    }
}

fn diagnostic(cx: &Context, code: &'static CodeInfo, lost: &str, d: &Dependency) -> Diagnostic {
    let span = d.span.unwrap_or(cx.model.site.span);
    Diagnostic::new(
        code,
        format!(
            "without {lost}, the site cannot fully {}: {}",
            d.step.action(),
            d.reason
        ),
    )
    .at(span, "this declaration brings in the dependency")
    .also(cx.model.site.primary.span, "the region that is lost")
    .note(format!("chain: {}", d.chain))
    .help(format!(
        "give {} its own copy of what this step needs (a replicated store or secret, named so \
         each region resolves its own), or take the dependency off the recovery path",
        cx.model.site.secondary.value
    ))
}
