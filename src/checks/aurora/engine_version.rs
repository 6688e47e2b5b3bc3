//! DRS0210: an Aurora engine version that is not a 14.x global-database version.

use super::ENGINE;
use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0210",
    "aurora-engine-not-global",
    Error,
    "the Aurora engine version is not a 14.x version that supports global databases",
    "## What it checks
`engine_version` is Aurora PostgreSQL of the catalog's major version (14), one of the
minors `std/engines` lists under `global_database_versions`, and not one of its
`retired_versions` (minors RDS no longer accepts for new clusters).

## Why it matters
R5 asks for an Aurora PostgreSQL 14.x global database. Only some minors support global
databases (14.3 and later; Aurora skipped 14.14 and 14.16), and a version outside the
list makes `CreateGlobalCluster` fail or leaves the secondary cluster unable to join.
Both clusters must run the same version for managed failover (R6).

## Example
```
aurora \"ledger\" {
  engine_version = 13.7
}
```

## Fix
Use a current 14.x minor, e.g. `engine_version = 14.17`. Re-check the list with
`aws rds describe-db-engine-versions --engine aurora-postgresql` when AWS retires minors."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(engine) = cx.model.catalog.engine(ENGINE) else {
        return;
    };
    for db in &cx.model.databases {
        let v = &db.engine_version;
        let listed = engine.global_database_versions.contains(&v.value);
        let retired = engine.retired_versions.contains(&v.value);
        if listed && !retired {
            continue;
        }
        let newest = engine
            .global_database_versions
            .iter()
            .filter(|n| !engine.retired_versions.contains(n))
            .max()
            .map(|n| n.to_string())
            .unwrap_or_default();
        let major = v.value.parts.first().copied().unwrap_or(0);
        let (message, label) = if retired {
            (
                format!(
                    "Aurora PostgreSQL {} is retired: RDS no longer creates clusters with it",
                    v.value
                ),
                "a retired minor version".to_string(),
            )
        } else if major != engine.major {
            (
                format!(
                    "`{}` runs Aurora PostgreSQL {}, not {}.x",
                    db.name, v.value, engine.major
                ),
                format!("major version {major}"),
            )
        } else {
            (
                format!(
                    "Aurora PostgreSQL {} does not support global databases",
                    v.value
                ),
                "not a global-database version".to_string(),
            )
        };
        let d = at_value(Diagnostic::new(&CODE, message), v, db.span, label)
            .also(
                engine.span,
                format!(
                    "the {}.x versions that support global databases",
                    engine.major
                ),
            )
            .help(format!(
                "use a listed {}.x minor, e.g. `engine_version = {newest}`",
                engine.major
            ));
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
        assert!(diags[0].message.contains("not 14.x"));
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
        for v in ["14.17", "14.20"] {
            m.databases[0].engine_version = w(version(v));
            assert_none(&run_rule(check, &m));
        }
    }
}
