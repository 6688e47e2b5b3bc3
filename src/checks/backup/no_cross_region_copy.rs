//! DRS0281: a backup plan that never copies to the secondary region.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0281",
    "backup-without-cross-region-copy",
    Error,
    "a backup plan has no rule that copies to the secondary region",
    "## What it checks
Every `backup` plan has at least one `rule` with `copy = true` (the default), which adds
a copy action to the backup vault in the secondary region.

## Why it matters
R12 asks for a cross-region copy. Recovery points kept only in the primary region are
lost with it, so they protect against deletion and corruption but not against the
disaster the site exists for.

## Example
```
backup \"dr\" {
  covers = [ledger]
  rule \"hourly\" { every = 1h  retain = 35d  copy = false }
}
```

## Fix
Remove `copy = false` from at least one rule, usually the most frequent one."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        if plan.rules.is_empty() || plan.rules.iter().any(|r| r.copy.value) {
            continue;
        }
        let mut d = Diagnostic::new(
            &CODE,
            format!(
                "backup plan `{}` keeps every recovery point in the primary region",
                plan.name
            ),
        )
        .at(plan.span, "no rule copies to the secondary region")
        .also(cx.model.site.secondary.span, "the secondary region");
        for r in plan
            .rules
            .iter()
            .filter(|r| r.copy.origin == crate::model::Origin::Written)
        {
            d = d.also(r.copy.span, "copy turned off here");
        }
        out.push(d.help("remove `copy = false` from a rule (R12)"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_plan_without_copies() {
        let mut m = reference();
        for r in &mut m.backups[0].rules {
            r.copy = w(false);
        }
        assert_one(&run_rule(check, &m), &CODE, m.backups[0].span);
    }

    #[test]
    fn one_copying_rule_is_enough() {
        let mut m = reference();
        m.backups[0].rules[1].copy = w(false);
        assert_none(&run_rule(check, &m));
    }
}
