//! drsc: a compiler for disaster-recovery infrastructure.
//!
//! Phases, each a module with one job and data flowing one way:
//! source ([`source`]) → syntax ([`syntax`]) → imports ([`loader`]).
//! Library code never prints, never exits and never panics on user input.

pub mod checks;
pub mod diagnostic;
pub mod driver;
pub mod emit;
pub mod graph;
pub mod loader;
pub mod lower;
pub mod lsp;
pub mod model;
pub mod registry;
pub mod schema;
pub mod source;
pub mod stdlib;
pub mod suggest;
pub mod syntax;
pub mod units;
