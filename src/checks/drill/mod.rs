//! The region-loss drill (R37): an AWS FIS experiment template in the primary
//! region (`src/lower/drill.rs`). Codes DRS0510–DRS0519.

pub mod duration_invalid;
pub mod fails_site_over;
pub mod no_stop_condition;
pub mod nothing_to_rehearse;
pub mod required;

use crate::checks::Context;
use crate::model::Drill;

/// The site's drill, when it declares one that is enabled.
pub(crate) fn enabled<'m>(cx: &Context<'m>) -> Option<&'m Drill> {
    cx.model.drill.as_ref().filter(|d| d.enabled.value)
}
