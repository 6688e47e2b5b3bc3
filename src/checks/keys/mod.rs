//! Customer-managed KMS keys (R8, R21, R22).

pub mod rotation_disabled;
