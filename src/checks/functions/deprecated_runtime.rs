//! DRS0311: a runtime deprecated at, or soon after, the pinned date.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::{Diagnostic, Severity};

declare_code!(
    CODE,
    "DRS0311",
    "deprecated-runtime",
    Error,
    "a function's runtime is deprecated or close to deprecation",
    "## What it checks
The runtime's deprecation date in `std/runtimes` is compared with the catalog's pinned
`runtime_policy.as_of` date, never with the clock, so a build gives the same answer on
any day. A runtime deprecated on or before `as_of` is an error; one deprecated within
`warn_within` after it (180 days) is a warning.

## Why it matters
R10 asks for current supported runtimes only. Some months after deprecation Lambda
blocks creating and then updating functions on the runtime, so a failover that
redeploys the function in the secondary region would fail exactly when it is needed.

## Example
```
function \"ingest\" {
  runtime = \"python3.9\"   # deprecated 2025-12-15
}
```

## Fix
Move to a supported runtime such as `python3.12` or `python3.13`, and test the code on it."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let cat = &cx.model.catalog;
    let Some(policy) = &cat.runtime_policy else {
        return;
    };
    let today = policy.as_of.value.days_since_epoch();
    let warn_days = (policy.warn_within.value.as_secs() / 86_400) as i64;
    let newest = cat
        .runtimes
        .iter()
        .max_by_key(|r| r.deprecation.value)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    for f in &cx.model.functions {
        let Some(rt) = cat.runtime(&f.runtime.value) else {
            continue;
        };
        let left = rt.deprecation.value.days_since_epoch() - today;
        let (message, severity) = if left <= 0 {
            (
                format!(
                    "runtime `{}` was deprecated on {} ({} days before {})",
                    rt.name, rt.deprecation.value, -left, policy.as_of.value
                ),
                Severity::Error,
            )
        } else if left <= warn_days {
            (
                format!(
                    "runtime `{}` is deprecated on {}, {left} days after {}",
                    rt.name, rt.deprecation.value, policy.as_of.value
                ),
                Severity::Warning,
            )
        } else {
            continue;
        };
        out.push(
            at_value(
                Diagnostic::new(&CODE, message),
                &f.runtime,
                f.span,
                "deprecated runtime",
            )
            .with_severity(severity)
            .also(rt.deprecation.span, "the deprecation date")
            .also(policy.as_of.span, "the date checks are pinned to")
            .help(format!(
                "move to a current runtime such as `{newest}` (R10)"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn deprecated_runtimes_are_errors() {
        let mut m = reference();
        m.functions[0].runtime = w("python3.9".into());
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.functions[0].runtime.span);
        assert!(diags[0].is_error());
        m.functions[0].runtime = w("python3.10".into());
        assert!(run_rule(check, &m)[0].is_error());
    }

    #[test]
    fn near_deprecation_is_a_warning() {
        let mut m = reference();
        let policy = m.catalog.runtime_policy.as_mut().unwrap();
        policy.warn_within = w(days(365));
        m.functions[0].runtime = w("python3.11".into());
        let diags = run_rule(check, &m);
        assert_eq!(diags[0].severity, Severity::Warning);
    }

    #[test]
    fn current_runtimes_pass() {
        let mut m = reference();
        for rt in ["python3.11", "python3.12", "python3.13", "python3.14"] {
            m.functions[0].runtime = w(rt.into());
            assert_none(&run_rule(check, &m));
        }
    }
}
