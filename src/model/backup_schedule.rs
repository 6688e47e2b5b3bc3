//! The one table of backup intervals AWS Backup can run at an even pace, and
//! their cron expressions (UTC). The schedule check and the lowering both
//! read it, so what `drsc check` accepts is exactly what `drsc build` emits.

const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;

/// Every schedulable interval in seconds, shortest first, with its cron expression.
pub const SCHEDULES: &[(u64, &str)] = &[
    (HOUR, "cron(0 * ? * * *)"),
    (2 * HOUR, "cron(0 0/2 ? * * *)"),
    (3 * HOUR, "cron(0 0/3 ? * * *)"),
    (4 * HOUR, "cron(0 0/4 ? * * *)"),
    (6 * HOUR, "cron(0 0/6 ? * * *)"),
    (8 * HOUR, "cron(0 0/8 ? * * *)"),
    (12 * HOUR, "cron(0 0/12 ? * * *)"),
    (DAY, "cron(0 5 ? * * *)"),
    (7 * DAY, "cron(0 5 ? * SUN *)"),
    (365 * DAY, "cron(0 5 1 1 ? *)"),
];

/// The cron expression for a backup every `secs` seconds, if AWS Backup can run it evenly.
pub fn cron(secs: u64) -> Option<&'static str> {
    SCHEDULES.iter().find(|(s, _)| *s == secs).map(|(_, c)| *c)
}

/// The longest schedulable interval not longer than `secs` (at least hourly).
pub fn at_most(secs: u64) -> u64 {
    SCHEDULES
        .iter()
        .rev()
        .map(|(s, _)| *s)
        .find(|s| *s <= secs)
        .unwrap_or(HOUR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_dividing_a_day_and_calendar_intervals_are_schedulable() {
        for h in [1, 2, 3, 4, 6, 8, 12, 24, 168, 8_760] {
            assert!(cron(h * HOUR).is_some(), "{h}h");
        }
        for h in [5, 7, 9, 36, 720] {
            assert!(cron(h * HOUR).is_none(), "{h}h");
        }
        assert_eq!(cron(HOUR), Some("cron(0 * ? * * *)"));
        assert_eq!(cron(365 * DAY), Some("cron(0 5 1 1 ? *)"));
    }

    #[test]
    fn suggests_the_next_shorter_interval() {
        assert_eq!(at_most(5 * HOUR), 4 * HOUR);
        assert_eq!(at_most(30 * DAY), 7 * DAY);
        assert_eq!(at_most(60), HOUR);
    }
}
