//! DRS0280: a store whose backups do not give a recovery point within the RPO
//! in its own region.

use crate::checks::context::{human, list_names};
use crate::checks::Context;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{BackupRule, StoreKind};
use crate::objectives::backups::continuous_supported;

declare_code!(
    CODE,
    "DRS0280",
    "backup-interval-exceeds-rpo",
    Error,
    "a store's backups do not give a recovery point within the RPO",
    "## What it checks
For every store a backup plan covers, the in-region recovery point from its backups is
at most the RPO. That point is the best of: continuous backups (a rule with
`continuous = true` on Aurora or a bucket), Aurora's own automated backups (always
continuous), DynamoDB point-in-time recovery (`pitr`), each counted with the
`std/timing` figure of how far the newest restorable time trails the present (5
minutes), and the interval of the most frequent snapshot rule. `drsc check` shows the
figure per store and region under \"recovery point from backups\".

It is an error for a store without bounded continuous replication (a bucket with
`replication = standard` or `none`): its backups are its recovery point. It is also an
error when the profile demands `require_backups_meeting_rpo` (as `finserv` does, in
every environment). Otherwise it is a warning for stores that replicate continuously
(Aurora global database, DynamoDB global table, S3 with RTC): replication meets the
RPO for a regional outage, but it copies corruption or a mass delete to the secondary
within seconds, so backups still are the only way back from those.

## Why it matters
R12 asks for backups meeting the RPO (hourly for a 1-hour RPO), and R2 counts a backup
schedule as a recovery mechanism only when it is no longer than the RPO. Daily
snapshots plus continuous replication do not satisfy a 1-hour RPO for corruption. AWS
Backup schedules are at most hourly, so an RPO under an hour needs continuous backups
or point-in-time recovery. Their recovery point holds in the primary region only: a
cross-region copy of a continuous backup is a snapshot taken at the rule's frequency.

## Example
```
site \"transactions\" { rpo = 1h }
backup \"dr\" {
  covers = [documents]
  rule \"daily\" { every = 1d  retain = 35d }
}
```

## Fix
Add or change a rule so it runs at least once per RPO, e.g. `every = 1h`; for an RPO
under an hour, add `continuous = true` to a rule covering an Aurora database or a
bucket, and keep `pitr = true` on tables."
);

/// A rule, the stores it is the shortest rule of, and whether one of them lacks
/// bounded replication.
type Group<'m> = (&'m BackupRule, Vec<(&'m str, StoreKind)>, bool);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let rpo = &cx.model.site.rpo;
    let demanded = cx.demands(|p| p.require_backups_meeting_rpo.as_ref());
    let objectives = cx.objectives();
    // The shortest rule covering each store, grouped by rule.
    let mut groups: Vec<Group> = Vec::new();
    for store in cx.stores() {
        let rules = cx.rules_covering(store.name);
        let Some((_, rule)) = rules.iter().min_by_key(|(_, r)| r.every.value.as_secs()) else {
            continue;
        };
        let in_region = objectives
            .stores
            .iter()
            .find(|s| s.store == store.name)
            .and_then(|s| s.backups.iter().find(|b| b.side == "primary"));
        // Unknown figures (an invalid value) are judged by no rule.
        if in_region.is_none_or(|b| b.meets_rpo) {
            continue;
        }
        let unbounded = !store.replicates_within_bound();
        match groups.iter_mut().find(|g| std::ptr::eq(g.0, *rule)) {
            Some(g) => {
                g.1.push((store.name, store.kind));
                g.2 |= unbounded;
            }
            None => groups.push((rule, vec![(store.name, store.kind)], unbounded)),
        }
    }
    for (rule, stores, unbounded) in groups {
        let every = human(rule.every.value.as_secs());
        let mut d = Diagnostic::new(
            &CODE,
            format!(
                "backups of {} run every {every}, less often than the RPO {}",
                list_names(stores.iter().map(|s| s.0)),
                rpo.value
            ),
        )
        .at(rule.every.span, format!("every {every}"))
        .also(rpo.span, "the RPO");
        let sub_hour = rpo.value.as_secs() < 3600;
        let continuous = cx
            .model
            .catalog
            .timing("backup_continuous_recovery_point")
            .map_or(0, |t| t.value.as_secs());
        let help = if sub_hour && continuous > rpo.value.as_secs() {
            format!(
                "no backup restores to within {}: continuous backups and point-in-time recovery trail the present by {} (std/timing); raise the RPO",
                rpo.value,
                human(continuous)
            )
        } else if sub_hour && stores.iter().all(|s| continuous_supported(s.1)) {
            format!(
                "AWS Backup schedules are at most hourly: add `continuous = true` to rule `{}` (continuous backups restore to within minutes in {})",
                rule.name, cx.model.site.primary.value
            )
        } else if sub_hour {
            "AWS Backup schedules are at most hourly: keep `pitr = true` on tables and add `continuous = true` to a rule covering the Aurora databases and buckets".to_string()
        } else {
            format!(
                "back up at least every {} (R12), e.g. `every = {}`",
                rpo.value,
                human(rpo.value.as_secs().max(3600))
            )
        };
        d = d.help(help);
        if let (Some(span), false) = (demanded, unbounded) {
            d = d.also(span, "the profile demands backups meeting the RPO");
        } else if !unbounded {
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
    fn warns_for_replicated_stores_without_the_demand() {
        let mut m = reference();
        m.profile = None;
        m.backups[0].rules[0].every = w(hours(2));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].rules[0].every.span);
        assert_eq!(diags[0].severity, Severity::Warning);
        // Aurora and the table restore from point-in-time recovery: only the bucket.
        assert!(
            diags[0].message.contains("`documents`"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn errors_for_replicated_stores_when_the_profile_demands_it() {
        let mut m = reference();
        m.backups[0].rules[0].every = w(hours(2));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].rules[0].every.span);
        assert!(diags[0].is_error());
    }

    #[test]
    fn errors_for_unreplicated_stores() {
        let mut m = reference();
        m.profile = None;
        m.backups[0].rules[0].every = w(hours(2));
        m.buckets[0].replication = w(Replication::None);
        let diags = run_rule(check, &m);
        assert!(diags[0].is_error());
    }

    #[test]
    fn continuous_backups_meet_a_sub_hour_rpo() {
        let mut m = reference();
        m.site.rpo = w(mins(15));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].rules[0].every.span);
        let help: &str = diags[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("continuous = true"), "{help}");
        m.backups[0].rules[0].continuous = w(true);
        assert_none(&run_rule(check, &m));
    }

    #[test]
    fn accepts_hourly_backups() {
        assert_none(&run_rule(check, &reference()));
    }
}
