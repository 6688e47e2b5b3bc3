//! DynamoDB global tables (R7, R8).

pub mod missing_key;
pub mod pitr_disabled;
