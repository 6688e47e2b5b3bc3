//! Values lowering derives from the site, each with the spans it came from.
//!
//! A [`Derived`] is what a backend emits (serialised as the bare value) and
//! what the plan rules (`crate::checks::plan`) and the objectives estimate
//! read, so `check` judges exactly the value `build` writes.

use crate::source::Span;
use serde::{Serialize, Serializer};
use std::fmt;
use std::ops::Deref;

/// An AWS-level value and the declarations (attribute values, stdlib facts)
/// it was derived from. No spans means drsc chose the value itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived<T> {
    /// The value the backends emit.
    pub value: T,
    /// Where it comes from, most specific first.
    pub from: Vec<Span>,
}

impl<T> Derived<T> {
    /// `value`, derived from the declarations at `from`.
    pub fn new(value: T, from: Vec<Span>) -> Derived<T> {
        Derived { value, from }
    }

    /// `value`, derived from the one declaration at `span`.
    pub fn at(value: T, span: Span) -> Derived<T> {
        Derived {
            value,
            from: vec![span],
        }
    }

    /// A value drsc fixes itself (no declaration of the site sets it).
    pub fn fixed(value: T) -> Derived<T> {
        Derived {
            value,
            from: Vec::new(),
        }
    }

    /// The span to point at in a diagnostic about this value.
    pub fn span(&self) -> Option<Span> {
        self.from.first().copied()
    }

    /// The same provenance with another value.
    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Derived<U> {
        Derived {
            value: f(&self.value),
            from: self.from.clone(),
        }
    }
}

impl<T> Deref for Derived<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Serialize> Serialize for Derived<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: fmt::Display> fmt::Display for Derived<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// An EventBridge schedule `rate(...)` of `secs` seconds, when EventBridge can
/// express it (whole minutes, at least one); the plan rule
/// `schedule_rate_invalid` rejects every other period before a backend asks.
pub fn rate_expression(secs: u64) -> Option<String> {
    match secs {
        60 => Some("rate(1 minute)".into()),
        s if s > 60 && s % 60 == 0 => Some(format!("rate({} minutes)", s / 60)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_the_bare_value() {
        let d = Derived::fixed(90u32);
        assert_eq!(serde_json::to_string(&d).unwrap(), "90");
        assert_eq!(d.to_string(), "90");
        assert_eq!(*d + 1, 91);
    }

    #[test]
    fn rates_are_whole_minutes() {
        assert_eq!(rate_expression(60).as_deref(), Some("rate(1 minute)"));
        assert_eq!(rate_expression(300).as_deref(), Some("rate(5 minutes)"));
        assert_eq!(rate_expression(90), None);
        assert_eq!(rate_expression(30), None);
    }
}
