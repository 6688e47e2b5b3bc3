//! DRS0524: a backup plan with both kinds of isolated copy.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0524",
    "isolated-copy-ambiguous",
    Error,
    "a backup plan sets both `isolated_copy = true` and `isolated_vault`",
    "## What it checks
A backup plan keeps one isolated copy (the ransomware tier of its vaults, R14): either in a
logically air-gapped vault drsc creates (`isolated_copy = true`) or in a vault of another
account (`isolated_vault = \"<ARN>\"`), not both.

## Why it matters
Each rule gets one isolated copy action; with both attributes the site would not say which
vault holds it.

## Example
```
backup \"dr\" {
  isolated_copy  = true
  isolated_vault = \"arn:aws:backup:us-west-2:210987654321:backup-vault:dr\"
}
```

## Fix
Remove one of the two: `isolated_copy = true` for an air-gapped vault of the site, or
`isolated_vault` for the recovery account's vault."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        let Some(arn) = &plan.isolated_vault else {
            continue;
        };
        if !plan.isolated_copy.value {
            continue;
        }
        out.push(
            Diagnostic::new(
                &CODE,
                format!(
                    "backup plan `{}` sets both `isolated_copy = true` and `isolated_vault`",
                    plan.name
                ),
            )
            .at(arn.span, "a vault of another account")
            .also(
                plan.isolated_copy.span,
                "and an air-gapped vault of the site",
            )
            .help(
                "remove `isolated_copy = true` or `isolated_vault`: a plan keeps one isolated copy",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_both_kinds() {
        let mut m = reference();
        m.backups[0].isolated_vault = Some(w(
            "arn:aws:backup:us-west-2:210987654321:backup-vault:dr".into(),
        ));
        assert_eq!(run_rule(check, &m).len(), 1);
        m.backups[0].isolated_copy = w(false);
        assert_none(&run_rule(check, &m));
    }
}
