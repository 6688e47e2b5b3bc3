//! DRS0210: an Aurora engine version that is not a current global-database
//! version of a supported major.

use super::ENGINE;
use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::EngineFacts;
use crate::syntax::ast::Version;

declare_code!(
    CODE,
    "DRS0210",
    "aurora-engine-not-global",
    Error,
    "the Aurora engine version is not a current version that supports global databases",
    "## What it checks
`engine_version` is Aurora PostgreSQL of a major the catalog lists (`std/engines` has
one `engine` entry per supported major, e.g. `aurora-postgresql-16`), one of that
major's `global_database_versions`, and not one of its `retired_versions` (minors RDS
no longer accepts for new clusters). The help lists the current minors of the major,
or of every supported major when the major is not listed.

## Why it matters
R5 asks for an Aurora PostgreSQL global database. Only some versions support global
databases (14.3, 15.2, 16.1, 17.4 and later), a major past its end of standard support
(13) is only available under paid RDS Extended Support, and a version outside the list
makes `CreateGlobalCluster` fail or leaves the secondary cluster unable to join. Both
clusters must run the same version for managed failover (R6). The reference site
stays on 14.x; the parameter group family follows the major (`aurora-postgresql16`).

## Example
```
aurora \"ledger\" {
  engine_version = 13.7
}
```

## Fix
Use a current minor of a supported major, e.g. `engine_version = 14.17` or
`engine_version = 16.11`. Re-check the list with
`aws rds describe-db-engine-versions --engine aurora-postgresql` when AWS retires minors."
);

/// The versions of a major entry that accept new clusters.
fn current(entry: &EngineFacts) -> Vec<&Version> {
    entry
        .global_database_versions
        .iter()
        .filter(|v| !entry.retired_versions.contains(v))
        .collect()
}

fn join(versions: &[String]) -> String {
    match versions {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|v| format!("`{v}`")).collect();
            format!("{} or `{last}`", init.join(", "))
        }
    }
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let majors = cx.model.catalog.engine_majors(ENGINE);
    let Some(newest) = majors.last() else {
        return;
    };
    for db in &cx.model.databases {
        let v = &db.engine_version;
        let major = v.value.parts.first().copied().unwrap_or(0);
        let entry = majors.iter().find(|e| e.major == Some(major));
        let listed = entry.is_some_and(|e| e.global_database_versions.contains(&v.value));
        let retired = entry.is_some_and(|e| e.retired_versions.contains(&v.value));
        if listed && !retired {
            continue;
        }
        let supported: Vec<String> = majors
            .iter()
            .filter_map(|e| e.major)
            .map(|m| m.to_string())
            .collect();
        let (message, label) = match entry {
            None => (
                format!(
                    "`{}` runs Aurora PostgreSQL {}; the majors that support global databases are {}",
                    db.name,
                    v.value,
                    supported.join(", ")
                ),
                format!("major version {major}"),
            ),
            Some(_) if retired => (
                format!(
                    "Aurora PostgreSQL {} is retired: RDS no longer creates clusters with it",
                    v.value
                ),
                "a retired minor version".to_string(),
            ),
            Some(_) => (
                format!(
                    "Aurora PostgreSQL {} does not support global databases",
                    v.value
                ),
                "not a global-database version".to_string(),
            ),
        };
        let as_of = |e: &EngineFacts| {
            e.as_of
                .as_ref()
                .map(|d| format!(" (catalog as of {})", d.value))
                .unwrap_or_default()
        };
        let help = match entry {
            Some(e) => {
                let list: Vec<String> = current(e).iter().map(|v| v.to_string()).collect();
                format!("use a current {major}.x minor: {}{}", join(&list), as_of(e))
            }
            None => {
                let newest_each: Vec<String> = majors
                    .iter()
                    .filter_map(|e| current(e).into_iter().max().map(|v| v.to_string()))
                    .collect();
                format!(
                    "use a supported major, e.g. the newest minors {}{}",
                    join(&newest_each),
                    as_of(newest)
                )
            }
        };
        let (also, also_label) = match (entry, majors.first()) {
            (Some(e), _) => (
                *e,
                format!("the {major}.x versions that support global databases"),
            ),
            (None, Some(first)) => (
                *first,
                format!("the supported majors, {}, from here", supported.join(", ")),
            ),
            (None, None) => (*newest, String::new()),
        };
        let d = at_value(Diagnostic::new(&CODE, message), v, db.span, label)
            .also(also.span, also_label)
            .help(help);
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_engine_13() {
        let mut m = reference();
        m.databases[0].engine_version = w(version("13.7"));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.databases[0].engine_version.span);
        assert!(diags[0]
            .message
            .contains("majors that support global databases are 14, 15, 16, 17"));
        let help: &str = diags[0].help.as_deref().unwrap_or_default();
        assert!(
            help.contains("`14.24`") && help.contains("`17.11`"),
            "{help}"
        );
    }

    #[test]
    fn flags_a_14_minor_without_global_database_support() {
        let mut m = reference();
        m.databases[0].engine_version = w(version("14.2"));
        assert_one(
            &run_rule(check, &m),
            &CODE,
            m.databases[0].engine_version.span,
        );
        m.databases[0].engine_version = w(version("14.14"));
        assert_one(
            &run_rule(check, &m),
            &CODE,
            m.databases[0].engine_version.span,
        );
    }

    #[test]
    fn help_lists_the_current_minors_of_the_major() {
        let mut m = reference();
        m.databases[0].engine_version = w(version("16.4"));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.databases[0].engine_version.span);
        assert!(diags[0].message.contains("retired"));
        let help: &str = diags[0].help.as_deref().unwrap_or_default();
        assert!(
            help.starts_with("use a current 16.x minor: `16.8`, `16.9`"),
            "{help}"
        );
        assert!(!help.contains("`16.4`"), "{help}");
        m.databases[0].engine_version = w(version("16.5"));
        let diags = run_rule(check, &m);
        assert!(diags[0]
            .message
            .contains("does not support global databases"));
    }

    #[test]
    fn flags_a_retired_minor() {
        let mut m = reference();
        m.databases[0].engine_version = w(version("14.9"));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.databases[0].engine_version.span);
        assert!(diags[0].message.contains("retired"));
    }

    #[test]
    fn accepts_listed_minors() {
        let mut m = reference();
        for v in ["14.17", "14.20", "15.10", "16.11", "17.4", "17.11"] {
            m.databases[0].engine_version = w(version(v));
            assert_none(&run_rule(check, &m));
        }
    }
}
