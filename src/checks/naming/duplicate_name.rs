//! DRS0272: two resources that would get the same physical name.

use super::{physical_names, Scope};
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;

declare_code!(
    CODE,
    "DRS0272",
    "duplicate-physical-name",
    Error,
    "two resources would get the same physical name",
    "## What it checks
No two resources of the same type get the same name where AWS needs it unique: within a
region for Lambda functions, DynamoDB tables, Aurora clusters and backup vaults, and
globally for S3 buckets, IAM roles and Aurora global clusters. The names include the
functions drsc generates for a `failover` block (`failover-function-<environment>-<suffix>`
and `probe-function-<environment>-<suffix>`).

## Why it matters
R3 asks for unique physical names. A clash makes the second resource fail to create, or,
with Terraform, silently adopts the first one.

## Example
```
function \"probe\" { ... }   # clashes with the generated probe function
failover { database = ledger }
```

## Fix
Rename one of the declarations."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let names = physical_names(cx.model);
    let mut seen: BTreeMap<(Scope, &str, &str), &super::PhysicalName> = BTreeMap::new();
    let mut reported = Vec::new();
    for n in &names {
        let key = (n.scope, n.rule.what, n.name.as_str());
        match seen.get(&key) {
            Some(first) if first.decl != n.decl => {
                if reported.contains(&(first.decl, n.decl)) {
                    continue;
                }
                reported.push((first.decl, n.decl));
                out.push(
                    Diagnostic::new(
                        &CODE,
                        format!("{} `{}` would be used twice", n.rule.what, n.name),
                    )
                    .at(n.decl, "this declaration's name")
                    .also(first.decl, "is already produced here")
                    .help("rename one of the two declarations"),
                );
            }
            Some(_) => {}
            None => {
                seen.insert(key, n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_function_named_like_the_failover_function() {
        let mut m = reference();
        m.functions[0].name = "failover".into();
        assert_one(&run_rule(check, &m), &CODE, m.functions[0].span);
    }

    #[test]
    fn flags_a_function_named_like_the_probe() {
        let mut m = reference();
        m.functions[0].name = "probe".into();
        assert_one(&run_rule(check, &m), &CODE, m.functions[0].span);
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
