//! DRS0211: an instance class a global database does not allow.

use super::ENGINE;
use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0211",
    "aurora-instance-class-not-allowed",
    Error,
    "the Aurora instance class is not allowed in a global database",
    "## What it checks
`instance_class` is one of the memory-optimised classes `std/engines` lists for global
databases, or `db.serverless` (written by a `serverless` block). Burstable `db.t*`
classes are never allowed.

## Why it matters
Aurora global databases reject burstable classes, and the user guide recommends `db.r5`
or larger so the secondary keeps up with the primary's write load (R5, R27). A class that
is not listed fails at deploy time, in the middle of a multi-region rollout.

## Example
```
aurora \"ledger\" {
  instance_class = \"db.t4g.medium\"
}
```

## Fix
Use a listed class such as `db.r6g.large`, or Aurora Serverless v2 with a
`serverless { min_capacity = ..., max_capacity = ... }` block."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(engine) = cx.model.catalog.engine(ENGINE) else {
        return;
    };
    for db in &cx.model.databases {
        let class = &db.instance_class;
        if engine.instance_classes.contains(&class.value) {
            continue;
        }
        let burstable = class.value.starts_with("db.t");
        let message = if burstable {
            format!(
                "burstable class `{}` is not allowed in an Aurora global database",
                class.value
            )
        } else {
            format!(
                "instance class `{}` is not allowed in an Aurora global database",
                class.value
            )
        };
        let known = engine.instance_classes.iter().map(String::as_str);
        let help = match crate::suggest::closest(&class.value, known).filter(|_| !burstable) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "use a memory-optimised class such as `db.r6g.large`, or a `serverless` block"
                .to_string(),
        };
        out.push(
            at_value(
                Diagnostic::new(&CODE, message),
                class,
                db.span,
                "not allowed",
            )
            .also(engine.span, "the classes global databases allow")
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_burstable_classes() {
        let mut m = reference();
        m.databases[0].serverless = None;
        m.databases[0].instance_class = w("db.t4g.medium".into());
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.databases[0].instance_class.span);
        assert!(diags[0].message.contains("burstable"));
    }

    #[test]
    fn accepts_memory_optimised_and_serverless() {
        let mut m = reference();
        assert_none(&run_rule(check, &m));
        m.databases[0].instance_class = w("db.r6g.large".into());
        assert_none(&run_rule(check, &m));
    }
}
