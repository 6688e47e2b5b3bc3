//! DRS0280: a store whose most frequent backup is less frequent than the RPO.

use crate::checks::context::{human, list_names};
use crate::checks::Context;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::BackupRule;

declare_code!(
    CODE,
    "DRS0280",
    "backup-interval-exceeds-rpo",
    Error,
    "a store's most frequent backup runs less often than the RPO",
    "## What it checks
For every store a backup plan covers, the most frequent rule covering it runs at least
once per RPO. It is an error for a store without bounded continuous replication (a bucket
with `replication = standard` or `none`): its backups are its recovery point. It is a
warning for stores that replicate continuously (Aurora global database, DynamoDB global
table, S3 with RTC), because there backups still are the only way back from corruption
or a mass delete, which replication copies to the secondary within seconds.

## Why it matters
R12 asks for a backup schedule meeting the RPO (hourly for a 1-hour RPO), and R2 counts a
backup schedule as a recovery mechanism only when it is no longer than the RPO.

## Example
```
site \"transactions\" { rpo = 1h }
backup \"dr\" {
  covers = [documents]
  rule \"daily\" { every = 1d  retain = 35d }
}
```

## Fix
Add or change a rule so it runs at least once per RPO, e.g. `every = 1h`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let rpo = &cx.model.site.rpo;
    // The shortest rule covering each store, grouped by rule.
    let mut groups: Vec<(&BackupRule, Vec<&str>, bool)> = Vec::new();
    for store in cx.stores() {
        let rules = cx.rules_covering(store.name);
        let Some((_, rule)) = rules.iter().min_by_key(|(_, r)| r.every.value.as_secs()) else {
            continue;
        };
        if rule.every.value.as_secs() <= rpo.value.as_secs() {
            continue;
        }
        let unbounded = !store.replicates_within_bound();
        match groups.iter_mut().find(|g| std::ptr::eq(g.0, *rule)) {
            Some(g) => {
                g.1.push(store.name);
                g.2 |= unbounded;
            }
            None => groups.push((rule, vec![store.name], unbounded)),
        }
    }
    for (rule, stores, unbounded) in groups {
        let every = human(rule.every.value.as_secs());
        let mut d = Diagnostic::new(
            &CODE,
            format!(
                "backups of {} run every {every}, less often than the RPO {}",
                list_names(stores.iter().copied()),
                rpo.value
            ),
        )
        .at(rule.every.span, format!("every {every}"))
        .also(rpo.span, "the RPO")
        .help(format!(
            "back up at least every {} (R12), e.g. `every = {}`",
            rpo.value,
            human(rpo.value.as_secs().max(3600))
        ));
        if !unbounded {
            d = d
                .with_severity(Severity::Warning)
                .note("replication meets the RPO for a regional outage; backups are the way back from corruption");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::Replication;

    #[test]
    fn warns_for_replicated_stores() {
        let mut m = reference();
        m.backups[0].rules[0].every = w(hours(2));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].rules[0].every.span);
        assert_eq!(diags[0].severity, Severity::Warning);
    }

    #[test]
    fn errors_for_unreplicated_stores() {
        let mut m = reference();
        m.backups[0].rules[0].every = w(hours(2));
        m.buckets[0].replication = w(Replication::None);
        let diags = run_rule(check, &m);
        assert!(diags[0].is_error());
    }

    #[test]
    fn accepts_hourly_backups() {
        assert_none(&run_rule(check, &reference()));
    }
}
