//! Restore testing (R36, DRS0500–DRS0509): schedules against the backups they
//! test, the validation window against AWS's range, the profile's demand that
//! restore tests exist, and the names AWS accepts.

pub mod name_too_long;
pub mod schedule_too_frequent;
pub mod tests_required;
pub mod validation_window_invalid;
