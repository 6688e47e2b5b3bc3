//! Aurora PostgreSQL global databases (R5, R8, R27).

pub mod engine_version;
pub mod instance_class;
pub mod missing_key;
pub mod serverless_capacity;
pub mod single_instance;
pub mod unencrypted_storage;

/// The catalog name of the engine every `aurora` uses.
pub const ENGINE: &str = "aurora-postgresql";
