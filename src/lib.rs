//! drsc: a compiler for disaster-recovery infrastructure.
//!
//! Phases, each a module with one job and data flowing one way:
//! source ([`source`]) → syntax ([`syntax`], [`loader`]) → semantic model
//! ([`model`]) → checks ([`checks`]) → resource graph ([`lower`], [`graph`]) →
//! emitters ([`emit`]). [`driver`] runs the front half for the CLI and the
//! language server ([`lsp`]).
//! Library code never prints, never exits and never panics on user input.

// First, so its `declare_code!` macro is in scope for every module below.
#[macro_use]
pub mod registry;

pub mod checks;
pub mod diagnostic;
pub mod driver;
pub mod emit;
pub mod evidence;
pub mod graph;
pub mod ident;
pub mod loader;
pub mod lower;
pub mod lsp;
pub mod model;
pub mod objectives;
pub mod schema;
pub mod source;
pub mod stdlib;
pub mod suggest;
pub mod syntax;
pub mod units;
