//! Rules over the region-loss simulation ([`crate::objectives::region_loss`]):
//! a recovery step that needs the lost primary region (R31), and one that runs
//! with less than the site asks for (R32, R33).

pub mod needs_lost_region;
pub mod step_degraded;

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::objectives::region_loss::{Dependency, Impact, Step};
use crate::registry::CodeInfo;

/// One diagnostic of `code` for every dependency of the primary's loss with `impact`.
fn report(cx: &Context, code: &'static CodeInfo, impact: Impact, out: &mut Vec<Diagnostic>) {
    let Some(loss) = cx.objectives().region_loss.first() else {
        return;
    };
    // Protection of the promoted region (backups, replication back) is reported
    // in the region-loss summary: the language has no way yet to ask for it (R33).
    let protection = |d: &Dependency| matches!(d.step, Step::Backup | Step::Replicate);
    for d in loss
        .dependencies
        .iter()
        .filter(|d| d.impact == impact && !protection(d))
    {
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
}
