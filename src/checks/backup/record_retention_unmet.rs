//! DRS0283: no backup rule keeps records as long as the profile demands.

use super::copy_retain;
use crate::checks::context::human;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0283",
    "record-retention-unmet",
    Error,
    "no backup rule keeps records for the profile's record retention",
    "## What it checks
When the profile sets `record_retention` (7 years in `finserv`), every backup plan has a
rule whose `retain` reaches it and, if the rule copies, whose copies in the secondary
region are kept as long (`copy_retain`, or `retain` when absent).

## Why it matters
R28 asks for a financial retention policy (e.g. 7 years: SEC 17a-4, FINRA 4511) enforced
by the compliance profile. Copies matter as much as the originals: after a regional
disaster the copies are all that is left.

## Example
```
backup \"dr\" {
  rule \"hourly\" { every = 1h  retain = 35d }
}
```

## Fix
Add a long-term rule, e.g.
`rule \"records\" { every = 7d  retain = 7y  cold_after = 90d  copy_retain = 7y }`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(rec) = cx.profile.and_then(|p| p.record_retention.as_ref()) else {
        return;
    };
    let need = rec.value.as_secs();
    for plan in &cx.model.backups {
        let reaches = |r: &&crate::model::BackupRule| {
            r.retain.value.as_secs() >= need
                && (!r.copy.value || copy_retain(r).value.as_secs() >= need)
        };
        if plan.rules.iter().any(|r| reaches(&r)) {
            continue;
        }
        let longest = plan.rules.iter().max_by_key(|r| r.retain.value.as_secs());
        let d = match longest {
            Some(r) if r.retain.value.as_secs() >= need => {
                let c = copy_retain(r);
                Diagnostic::new(
                    &CODE,
                    format!(
                        "rule `{}` keeps its copies for {}, less than the record retention {}",
                        r.name,
                        human(c.value.as_secs()),
                        rec.value
                    ),
                )
                .at(c.span, "copies expire too early")
                .help(format!("set `copy_retain = {}` (R28)", rec.value))
            }
            Some(r) => Diagnostic::new(
                &CODE,
                format!(
                    "backup plan `{}` keeps nothing for {}; its longest retention is {}",
                    plan.name,
                    rec.value,
                    human(r.retain.value.as_secs())
                ),
            )
            .at(r.retain.span, "longest retention of the plan")
            .help(format!(
                "add a rule such as `rule \"records\" {{ every = 7d  retain = {}  cold_after = 90d }}` (R28)",
                rec.value
            )),
            None => continue,
        };
        out.push(d.also(rec.span, "the profile's record retention"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_plan_without_long_term_rule() {
        let mut m = reference();
        m.backups[0].rules[1].retain = w(years(5));
        assert_one(
            &run_rule(check, &m),
            &CODE,
            m.backups[0].rules[1].retain.span,
        );
    }

    #[test]
    fn flags_copies_that_expire_early() {
        let mut m = reference();
        m.backups[0].rules[1].copy_retain = Some(w(years(1)));
        let span = m.backups[0].rules[1].copy_retain.as_ref().unwrap().span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_seven_years() {
        assert_none(&run_rule(check, &reference()));
    }
}
