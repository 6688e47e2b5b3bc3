//! DRS0250: deletion protection turned off in production.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Spanned;

declare_code!(
    CODE,
    "DRS0250",
    "deletion-protection-off",
    Error,
    "deletion protection is turned off on a production data store",
    "## What it checks
In a `production` site, no `aurora` or `table` sets `deletion_protection = false`.
Left unset, drsc turns deletion protection on in production.

## Why it matters
R24 asks for deletion protection on all production resources that support it; the
`finserv` profile requires it (`require_deletion_protection`). One mistaken
`terraform destroy` or stack deletion would otherwise drop the ledger in both regions.

## Example
```
site \"transactions\" { environment = production }
aurora \"ledger\" {
  deletion_protection = false
}
```

## Fix
Remove `deletion_protection = false`. Staging and development sites may turn it off."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if !cx.production() {
        return;
    }
    let m = cx.model;
    let dbs = m.databases.iter().map(|d| {
        let dp = d.deletion_protection.as_ref();
        ("Aurora database", &d.name, d.span, dp)
    });
    let tables = m.tables.iter().map(|t| {
        let dp = t.deletion_protection.as_ref();
        ("table", &t.name, t.span, dp)
    });
    for (what, name, decl, dp) in dbs.chain(tables) {
        let Some(v) = off(dp) else { continue };
        let d = at_value(
            Diagnostic::new(
                &CODE,
                format!("production {what} `{name}` has deletion protection turned off"),
            ),
            v,
            decl,
            "deletion protection off",
        )
        .help("remove `deletion_protection = false` (R24)");
        out.push(demanded_by(d, cx));
    }
}

fn off(v: Option<&Spanned<bool>>) -> Option<&Spanned<bool>> {
    v.filter(|v| !v.value)
}

fn demanded_by(d: Diagnostic, cx: &Context) -> Diagnostic {
    match cx.demands(|p| p.require_deletion_protection.as_ref()) {
        Some(span) => d.also(span, "the profile requires deletion protection"),
        None => d.also(cx.model.site.environment.span, "a production site"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::Environment;

    #[test]
    fn flags_protection_off_in_production() {
        let mut m = reference();
        m.tables[0].deletion_protection = Some(w(false));
        let span = m.tables[0].deletion_protection.as_ref().unwrap().span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn allows_it_outside_production() {
        let mut m = reference();
        m.databases[0].deletion_protection = Some(w(false));
        m.site.environment = w(Environment::Staging);
        assert_none(&run_rule(check, &m));
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
