//! The language server: `drsc lsp`. A thin shell over the library: every
//! document is checked by the same [`crate::driver::check_file`] as `drsc
//! check`, from the editor's text. IDE features are plain functions over an
//! [`analysis::Analysis`] and byte offsets, one file per request; [`server`]
//! speaks the protocol and converts offsets to positions through [`position`],
//! the one place that counts UTF-16.

pub mod analysis;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod diagram;
pub mod formatting;
pub mod hover;
pub mod position;
pub mod server;
pub mod symbols;
pub mod uri;
