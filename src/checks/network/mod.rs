//! The VPC pair (R26, R27).

pub mod overlapping_cidrs;
pub mod subnets_do_not_fit;
pub mod too_few_zones;
pub mod zones_exceed_region;
