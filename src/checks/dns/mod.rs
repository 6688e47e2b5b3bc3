//! Route 53 records and health checks (R15–R17), and the failover block that
//! ties the database promotion to them (R6).

pub mod approval_unsupported;
pub mod external_front_door;
pub mod failover_needs_healthy_primary;
pub mod failover_timeout_too_short;
pub mod failover_waits_for_approval;
pub mod failover_without_dns;
pub mod health_check_ineffective;
pub mod record_outside_zone;
pub mod region_switch_setting_without_effect;
pub mod ttl_too_long;
pub mod ttl_without_effect;
