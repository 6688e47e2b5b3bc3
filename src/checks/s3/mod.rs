//! S3 document buckets (R9, R23).

pub mod missing_key;
pub mod plain_http;
pub mod public_access;
pub mod replication_without_rtc;
pub mod unreplicated;
pub mod unversioned;
