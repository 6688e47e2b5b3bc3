//! DRS0510: a drill longer (or shorter) than an FIS action may last.

use super::enabled;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0510",
    "drill-duration-invalid",
    Error,
    "the drill lasts longer or shorter than an AWS FIS action may",
    "## What it checks
Each action of the drill's FIS experiment (the cross-region route disruption and the S3 and
DynamoDB replication pauses) runs for the drill's `duration`. FIS accepts an action duration
from one minute to 12 hours (`std/limits` `fis_action_duration`, from the FIS actions
reference).

## Why it matters
FIS rejects the experiment template at deploy time, and a drill that cannot be created is
a drill that never runs (R37).

## Example
```
drill {
  duration = 24h
}
```

## Fix
Set `duration` to at most `12h` (and at least `1m`). To rehearse a longer outage, run the
experiment again when it ends."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(drill) = enabled(cx) else { return };
    let d = &drill.duration;
    if cx.model.in_hole(d.span) {
        return;
    }
    let Some(limit) = cx.model.catalog.limit("fis_action_duration") else {
        return;
    };
    let secs = i64::try_from(d.value.as_secs()).unwrap_or(i64::MAX);
    if limit.admits(secs) {
        return;
    }
    let bound = if limit.min.is_some_and(|m| secs < m) {
        limit.min.map(|m| format!("at least `{}`", limit.show(m)))
    } else {
        limit.max.map(|m| format!("at most `{}`", limit.show(m)))
    };
    out.push(
        Diagnostic::new(
            &CODE,
            format!(
                "a drill of {} is not a duration AWS FIS accepts for its actions",
                d.value
            ),
        )
        .at(d.span, "each FIS action would last this long")
        .also(limit.span, "the AWS limit (std/limits)")
        .help(format!(
            "FIS accepts {}; write a `duration` of {}",
            limit.describe(),
            bound.unwrap_or_else(|| "1m to 12h".into())
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn the_reference_drill_passes() {
        assert!(run_rule(check, &reference()).is_empty());
    }

    #[test]
    fn a_day_long_drill_is_reported_at_its_duration() {
        let mut m = reference();
        let span = sp();
        if let Some(d) = &mut m.drill {
            d.duration = crate::model::Spanned::written(hours(24), span);
        }
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, span);
        assert!(
            format!("{:?}", diags[0].help).contains("at most `12h`"),
            "{diags:?}"
        );
    }

    #[test]
    fn twelve_hours_is_the_longest_drill() {
        let mut m = reference();
        if let Some(d) = &mut m.drill {
            d.duration = w(hours(12));
        }
        assert!(run_rule(check, &m).is_empty());
    }

    #[test]
    fn a_disabled_drill_is_not_judged() {
        let mut m = reference();
        if let Some(d) = &mut m.drill {
            d.duration = w(hours(24));
            d.enabled = w(false);
        }
        assert!(run_rule(check, &m).is_empty());
    }
}
