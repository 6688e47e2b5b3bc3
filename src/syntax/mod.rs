//! The syntax layer: pre-scan, pest grammar, syntax tree, schema validation
//! and the canonical formatter. It knows nothing about AWS or the LSP.

pub mod ast;
pub mod codes;
pub mod format;
pub mod parser;
pub mod scan;
pub mod validate;

pub use parser::parse;
