//! DRS0282: a backup rule keeping recovery points shorter than the profile allows.

use super::copy_retain;
use crate::checks::context::human;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0282",
    "backup-retention-below-minimum",
    Error,
    "a backup rule keeps recovery points for less than the profile's minimum",
    "## What it checks
Every rule's `retain`, and its `copy_retain` when it copies, is at least the profile's
`min_backup_retention` (35 days in `finserv`).

## Why it matters
R12 asks for retention per the compliance profile. Corruption is often found days or
weeks later; once every recovery point from before it has expired, there is nothing
to restore.

## Example
```
profile \"finserv\" { min_backup_retention = 35d }
rule \"hourly\" { every = 1h  retain = 7d }
```

## Fix
Raise `retain` (and `copy_retain`) to at least the minimum."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(min) = cx.profile.and_then(|p| p.min_backup_retention.as_ref()) else {
        return;
    };
    let floor = min.value.as_secs();
    for plan in &cx.model.backups {
        for rule in &plan.rules {
            let mut values = vec![("retain", &rule.retain)];
            if rule.copy.value && rule.copy_retain.is_some() {
                values.push(("copy_retain", copy_retain(rule)));
            }
            for (attr, v) in values {
                if v.value.as_secs() >= floor {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &CODE,
                        format!(
                            "rule `{}` keeps {} for {}, less than the profile's {}",
                            rule.name,
                            if attr == "retain" {
                                "recovery points"
                            } else {
                                "copies"
                            },
                            human(v.value.as_secs()),
                            min.value
                        ),
                    )
                    .at(v.span, format!("{attr} below the minimum"))
                    .also(min.span, "the profile's minimum retention")
                    .help(format!("set `{attr} = {}` or longer (R12)", min.value)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_short_retention_and_copy_retention() {
        let mut m = reference();
        m.backups[0].rules[0].retain = w(days(7));
        assert_one(
            &run_rule(check, &m),
            &CODE,
            m.backups[0].rules[0].retain.span,
        );
        let mut m = reference();
        m.backups[0].rules[0].copy_retain = Some(w(days(7)));
        let span = m.backups[0].rules[0].copy_retain.as_ref().unwrap().span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_the_minimum() {
        assert_none(&run_rule(check, &reference()));
    }
}
