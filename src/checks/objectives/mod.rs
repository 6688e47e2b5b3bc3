//! Rules over the objectives estimate ([`crate::objectives`]): RPO and RTO
//! shortfalls and a missing failover path.

pub mod no_failover_path;
pub mod rpo_unmet;
pub mod rto_unmet;
