//! Typed quantities: durations, data sizes and percentages. A duration is
//! never compared with a size; converting to a target field (hours, days,
//! MiB, cron) is one explicit step here.

use std::fmt;

/// A duration unit as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    Seconds,
    Minutes,
    Hours,
    /// A day is exactly 24 hours.
    Days,
    Weeks,
    /// A year is exactly 365 days.
    Years,
}

/// A size unit as written: decimal (KB = 1000 B) or binary (KiB = 1024 B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SizeUnit {
    B,
    KB,
    MB,
    GB,
    TB,
    KiB,
    MiB,
    GiB,
    TiB,
}

/// The units of the language, with their suffix and size in base units.
pub const DURATION_UNITS: &[(&str, DurationUnit, u64)] = &[
    ("s", DurationUnit::Seconds, 1),
    ("m", DurationUnit::Minutes, 60),
    ("h", DurationUnit::Hours, 3_600),
    ("d", DurationUnit::Days, 86_400),
    ("w", DurationUnit::Weeks, 604_800),
    ("y", DurationUnit::Years, 31_536_000),
];

pub const SIZE_UNITS: &[(&str, SizeUnit, u64)] = &[
    ("B", SizeUnit::B, 1),
    ("KB", SizeUnit::KB, 1_000),
    ("MB", SizeUnit::MB, 1_000_000),
    ("GB", SizeUnit::GB, 1_000_000_000),
    ("TB", SizeUnit::TB, 1_000_000_000_000),
    ("KiB", SizeUnit::KiB, 1 << 10),
    ("MiB", SizeUnit::MiB, 1 << 20),
    ("GiB", SizeUnit::GiB, 1 << 30),
    ("TiB", SizeUnit::TiB, 1 << 40),
];

/// The drsc unit a common spelling of a unit means (`min`, `hours`, `days`):
/// what a writer of `15min` or `4hours` intends, ahead of any edit distance
/// (which would suggest the size `15MiB` for `15min`).
pub fn unit_alias(word: &str) -> Option<&'static str> {
    let w = word.to_ascii_lowercase();
    Some(match w.as_str() {
        "sec" | "secs" | "second" | "seconds" => "s",
        "min" | "mins" | "minute" | "minutes" => "m",
        "hr" | "hrs" | "hour" | "hours" => "h",
        "day" | "days" => "d",
        "wk" | "week" | "weeks" => "w",
        "yr" | "yrs" | "year" | "years" => "y",
        _ => return None,
    })
}

/// Every unit suffix, for suggestions.
pub fn all_suffixes() -> impl Iterator<Item = &'static str> {
    DURATION_UNITS
        .iter()
        .map(|u| u.0)
        .chain(SIZE_UNITS.iter().map(|u| u.0))
        .chain(std::iter::once("%"))
}

/// A length of time, exact to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    pub amount: u64,
    pub unit: DurationUnit,
}

impl Duration {
    pub fn seconds(secs: u64) -> Duration {
        Duration {
            amount: secs,
            unit: DurationUnit::Seconds,
        }
    }

    /// The duration in seconds (saturating).
    pub fn as_secs(self) -> u64 {
        let per = DURATION_UNITS
            .iter()
            .find(|u| u.1 == self.unit)
            .map_or(1, |u| u.2);
        self.amount.saturating_mul(per)
    }

    /// Whole days, if the duration is a whole number of days.
    pub fn whole_days(self) -> Option<u64> {
        let s = self.as_secs();
        (s % 86_400 == 0).then_some(s / 86_400)
    }

    /// The whole days AWS should count for a retention period: a duration in
    /// years covers calendar years, so each started block of four years adds a
    /// leap day (`7y` → 2,557 days, `1y` → 366); other units, their whole days.
    pub fn calendar_days(self) -> Option<u64> {
        match self.unit {
            DurationUnit::Years => Some(
                self.amount
                    .saturating_mul(365)
                    .saturating_add(self.amount.div_ceil(4)),
            ),
            _ => self.whole_days(),
        }
    }

    /// Whole minutes, if exact.
    pub fn whole_minutes(self) -> Option<u64> {
        let s = self.as_secs();
        (s % 60 == 0).then_some(s / 60)
    }

    /// The unit suffix as written.
    pub fn suffix(self) -> &'static str {
        DURATION_UNITS
            .iter()
            .find(|u| u.1 == self.unit)
            .map_or("s", |u| u.0)
    }
}

impl fmt::Display for Duration {
    /// As written, e.g. `35d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.suffix())
    }
}

/// Formats seconds in the largest unit that divides them, e.g. 5400 → `90m`.
pub fn humanize_secs(secs: u64) -> String {
    if secs == 0 {
        return "0s".to_string();
    }
    for (suffix, _, per) in DURATION_UNITS.iter().rev() {
        if *suffix != "w" && secs % per == 0 {
            return format!("{}{suffix}", secs / per);
        }
    }
    format!("{secs}s")
}

/// An amount of data, exact to the byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataSize {
    pub amount: u64,
    pub unit: SizeUnit,
}

impl DataSize {
    pub fn as_bytes(self) -> u64 {
        let per = SIZE_UNITS
            .iter()
            .find(|u| u.1 == self.unit)
            .map_or(1, |u| u.2);
        self.amount.saturating_mul(per)
    }

    /// Whole mebibytes (what AWS labels "MB" for Lambda memory), if exact.
    pub fn whole_mebibytes(self) -> Option<u64> {
        let b = self.as_bytes();
        (b % (1 << 20) == 0).then_some(b >> 20)
    }

    pub fn suffix(self) -> &'static str {
        SIZE_UNITS
            .iter()
            .find(|u| u.1 == self.unit)
            .map_or("B", |u| u.0)
    }
}

impl fmt::Display for DataSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.suffix())
    }
}

/// A percentage in hundredths of a percent (`99.9%` is 9990).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Percent {
    pub hundredths: u32,
}

impl Percent {
    /// The value as a fraction of one hundred, rounded down to a whole percent.
    pub fn whole(self) -> u32 {
        self.hundredths / 100
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, frac) = (self.hundredths / 100, self.hundredths % 100);
        if frac == 0 {
            write!(f, "{w}%")
        } else if frac % 10 == 0 {
            write!(f, "{w}.{}%", frac / 10)
        } else {
            write!(f, "{w}.{frac:02}%")
        }
    }
}

/// `1.5h` → `90m`: a fractional duration or size written in the largest
/// smaller unit that makes it whole.
pub fn in_smaller_unit(text: &str) -> Option<String> {
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let (whole, frac) = number.split_once('.')?;
    let scale = 10u64.checked_pow(frac.len() as u32)?;
    let scaled: u64 = format!("{whole}{frac}").parse().ok()?;
    let per_unit = DURATION_UNITS
        .iter()
        .map(|u| (u.0, u.2))
        .chain(SIZE_UNITS.iter().map(|u| (u.0, u.2)))
        .find(|u| u.0 == unit)?
        .1;
    // The quantity in base units (seconds or bytes), if whole.
    let total = per_unit.checked_mul(scaled)?;
    if total % scale != 0 {
        return None;
    }
    let base = total / scale;
    let family: Vec<(&str, u64)> = if DURATION_UNITS.iter().any(|u| u.0 == unit) {
        DURATION_UNITS
            .iter()
            .filter(|u| u.0 != "w")
            .map(|u| (u.0, u.2))
            .collect()
    } else {
        let binary = unit.contains('i');
        SIZE_UNITS
            .iter()
            .filter(|u| u.0.contains('i') == binary || u.0 == "B")
            .map(|u| (u.0, u.2))
            .collect()
    };
    family
        .iter()
        .rev()
        .filter(|(_, per)| *per < per_unit)
        .find(|(_, per)| base % per == 0)
        .map(|(suffix, per)| format!("{}{suffix}", base / per))
}

/// What a number with a suffix turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Duration(Duration),
    Size(DataSize),
    Percent(Percent),
}

/// Why a quantity literal is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityError {
    UnknownUnit { unit: String },
    Fractional { unit: String },
    TooLarge,
}

/// Parses the text of a `quantity` token such as `35d`, `512MiB` or `99.9%`.
pub fn parse_quantity(text: &str) -> Result<Quantity, QuantityError> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    if unit == "%" {
        let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
        if frac.len() > 2 {
            return Err(QuantityError::Fractional {
                unit: unit.to_string(),
            });
        }
        let whole: u32 = whole.parse().map_err(|_| QuantityError::TooLarge)?;
        let frac: u32 = format!("{frac:0<2}").parse().unwrap_or(0);
        let hundredths = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .ok_or(QuantityError::TooLarge)?;
        return Ok(Quantity::Percent(Percent { hundredths }));
    }
    let lookup_d = DURATION_UNITS.iter().find(|u| u.0 == unit);
    let lookup_s = SIZE_UNITS.iter().find(|u| u.0 == unit);
    if lookup_d.is_none() && lookup_s.is_none() {
        return Err(QuantityError::UnknownUnit {
            unit: unit.to_string(),
        });
    }
    if number.contains('.') {
        return Err(QuantityError::Fractional {
            unit: unit.to_string(),
        });
    }
    let amount: u64 = number.parse().map_err(|_| QuantityError::TooLarge)?;
    if let Some(&(_, unit, per)) = lookup_d {
        amount.checked_mul(per).ok_or(QuantityError::TooLarge)?;
        return Ok(Quantity::Duration(Duration { amount, unit }));
    }
    let (_, unit, per) = *lookup_s.ok_or(QuantityError::TooLarge)?;
    amount.checked_mul(per).ok_or(QuantityError::TooLarge)?;
    Ok(Quantity::Size(DataSize { amount, unit }))
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    #[test]
    fn years_cover_their_leap_days() {
        let y = |amount| Duration {
            amount,
            unit: DurationUnit::Years,
        };
        assert_eq!(y(1).calendar_days(), Some(366));
        assert_eq!(y(4).calendar_days(), Some(1_461));
        assert_eq!(y(7).calendar_days(), Some(2_557));
        assert_eq!(y(10).calendar_days(), Some(3_653));
        assert_eq!(Duration::seconds(86_400 * 35).calendar_days(), Some(35));
        assert_eq!(Duration::seconds(36 * 3_600).calendar_days(), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_24_hours_and_a_year_365_days() {
        let d = |t| match parse_quantity(t) {
            Ok(Quantity::Duration(d)) => d.as_secs(),
            other => panic!("{other:?}"),
        };
        assert_eq!(d("1d"), 24 * 3600);
        assert_eq!(d("7y"), 7 * 365 * 86_400);
        assert_eq!(d("2w"), 14 * 86_400);
        assert_eq!(d("90m"), 5400);
    }

    #[test]
    fn sizes_distinguish_decimal_and_binary() {
        let s = |t| match parse_quantity(t) {
            Ok(Quantity::Size(s)) => s,
            other => panic!("{other:?}"),
        };
        assert_eq!(s("512MB").as_bytes(), 512_000_000);
        assert_eq!(s("512MiB").whole_mebibytes(), Some(512));
        assert_eq!(s("512MB").whole_mebibytes(), None);
        assert_eq!(s("10GiB").as_bytes(), 10 << 30);
    }

    #[test]
    fn percentages_keep_two_decimals() {
        assert_eq!(
            parse_quantity("99.9%"),
            Ok(Quantity::Percent(Percent { hundredths: 9990 }))
        );
        assert_eq!(Percent { hundredths: 9990 }.to_string(), "99.9%");
        assert_eq!(Percent { hundredths: 5000 }.to_string(), "50%");
    }

    #[test]
    fn bad_quantities_are_errors() {
        assert!(matches!(
            parse_quantity("5hr"),
            Err(QuantityError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_quantity("1.5h"),
            Err(QuantityError::Fractional { .. })
        ));
        assert_eq!(
            parse_quantity("99999999999999999999y"),
            Err(QuantityError::TooLarge)
        );
    }

    #[test]
    fn fractions_are_rewritten_in_a_smaller_unit() {
        assert_eq!(in_smaller_unit("1.5h").as_deref(), Some("90m"));
        assert_eq!(in_smaller_unit("1.5d").as_deref(), Some("36h"));
        assert_eq!(in_smaller_unit("0.5GiB").as_deref(), Some("512MiB"));
        assert_eq!(in_smaller_unit("2.5MB").as_deref(), Some("2500KB"));
    }

    #[test]
    fn humanize_picks_the_largest_exact_unit() {
        assert_eq!(humanize_secs(3600), "1h");
        assert_eq!(humanize_secs(5400), "90m");
        assert_eq!(humanize_secs(86_400 * 2), "2d");
        assert_eq!(humanize_secs(0), "0s");
    }
}
