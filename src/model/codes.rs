//! Codes of the semantic model: names, references, required values.

use crate::registry::CodeInfo;

/// Every model code, in order.
pub static ALL: &[&CodeInfo] = &[];
