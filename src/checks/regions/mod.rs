//! The region pair (R1): both regions real, distinct, and offering the DR
//! features the site uses.

pub mod same_region_pair;
pub mod service_unavailable;
pub mod unknown_region;
