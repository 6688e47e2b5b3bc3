//! Deletion protection and retain-on-delete in production (R24, R25).

pub mod deletion_protection_off;
