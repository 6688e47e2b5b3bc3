//! DRS0215: Aurora Serverless v2 capacity that cannot work.

use crate::checks::Context;
use crate::diagnostic::{Diagnostic, Severity};

declare_code!(
    CODE,
    "DRS0215",
    "aurora-serverless-capacity",
    Error,
    "Aurora Serverless v2 capacity is inverted or too small for a global database",
    "## What it checks
In a `serverless` block, `min_capacity` is at most `max_capacity` (an error otherwise),
and `max_capacity` is at least 8 ACUs (a warning otherwise), as the Aurora user guide
recommends for the primary cluster of a global database.

## Why it matters
An inverted range fails at deploy time. A primary capped below 8 ACUs can fall behind
applying replication traffic and lengthen the recovery point (R2, R5, R29).

## Example
```
serverless {
  min_capacity = 16
  max_capacity = 4
}
```

## Fix
Swap the values, and allow at least `max_capacity = 8`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for db in &cx.model.databases {
        let Some(s) = &db.serverless else { continue };
        let c = s.value;
        if c.min_capacity > c.max_capacity {
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "`{}` has min_capacity {} above max_capacity {}",
                        db.name, c.min_capacity, c.max_capacity
                    ),
                )
                .at(s.span, "minimum above maximum")
                .help("make `min_capacity` at most `max_capacity`"),
            );
        } else if c.max_capacity < 8 {
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "`{}` may scale only to {} ACUs; global databases want at least 8",
                        db.name, c.max_capacity
                    ),
                )
                .with_severity(Severity::Warning)
                .at(s.span, "max_capacity below 8 ACUs")
                .help("set `max_capacity = 8` or more"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::Serverless;

    #[test]
    fn flags_inverted_and_small_ranges() {
        let mut m = reference();
        m.databases[0].serverless = Some(w(Serverless {
            min_capacity: 16,
            max_capacity: 4,
        }));
        let diags = run_rule(check, &m);
        assert_one(
            &diags,
            &CODE,
            m.databases[0].serverless.as_ref().unwrap().span,
        );
        assert!(diags[0].is_error());
        m.databases[0].serverless = Some(w(Serverless {
            min_capacity: 1,
            max_capacity: 4,
        }));
        let diags = run_rule(check, &m);
        assert_eq!(diags[0].severity, Severity::Warning);
    }

    #[test]
    fn accepts_the_reference_capacity() {
        assert_none(&run_rule(check, &reference()));
    }
}
