//! DRS0521: an `isolated_vault` in the site's own account.

use super::isolated_vault_malformed::parse;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0521",
    "isolated-vault-own-account",
    Error,
    "an `isolated_vault` is in the site's own account",
    "## What it checks
A backup plan's `isolated_vault` is not in the account the site deploys to. drsc knows
that account only where the site names it: the account of the site's `deployer` ARN,
else of a key's `admins`. A site that names neither is not checked (the account is
known only at deploy time); the README says so.

## Why it matters
The isolated copy is the ransomware tier: it must survive an intruder who holds the
site's own account. A vault of that account is exactly as reachable as the backups it
is meant to isolate (R14). For an isolated copy in the site's account, use the logically
air-gapped vault drsc builds (`isolated_copy = true`): it is under a compliance-mode
Vault Lock and can be recovered from another account.

## Example
```
site \"s\" { deployer = \"arn:aws:iam::123456789012:role/deploy\" }
backup \"dr\" { isolated_vault = \"arn:aws:backup:us-west-2:123456789012:backup-vault:dr\" }
```

## Fix
Name a vault of the recovery account, or write `isolated_copy = true` instead."
);

/// The account ids the site itself names (its deployer's, its key admins'), with where.
pub fn own_accounts(cx: &Context) -> Vec<(String, crate::source::Span)> {
    let iam_account = |arn: &str| -> Option<String> {
        let account = arn.split(':').nth(4)?;
        (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()))
            .then(|| account.to_string())
    };
    let mut out = Vec::new();
    if let Some(d) = &cx.model.site.deployer {
        out.extend(iam_account(&d.value).map(|a| (a, d.span)));
    }
    for k in &cx.model.keys {
        for a in &k.admins {
            out.extend(iam_account(&a.value).map(|acct| (acct, a.span)));
        }
    }
    out
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let own = own_accounts(cx);
    for plan in &cx.model.backups {
        let Some(arn) = &plan.isolated_vault else {
            continue;
        };
        let Ok((_, _, account, _)) = parse(&arn.value) else {
            continue;
        };
        let Some((_, span)) = own.iter().find(|(a, _)| a == account) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &CODE,
                format!(
                    "`isolated_vault` of backup plan `{}` is in account {account}, the site's own",
                    plan.name
                ),
            )
            .at(arn.span, "a vault of the site's own account")
            .also(*span, "the site deploys to this account")
            .help("name a vault of the recovery account, or write `isolated_copy = true` for a logically air-gapped vault"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_the_deployers_account() {
        let mut m = reference();
        m.site.deployer = Some(w("arn:aws:iam::123456789012:role/deploy".into()));
        m.backups[0].isolated_vault = Some(w(
            "arn:aws:backup:us-west-2:123456789012:backup-vault:dr".into(),
        ));
        let span = m.backups[0]
            .isolated_vault
            .as_ref()
            .map(|v| v.span)
            .unwrap_or(m.backups[0].span);
        assert_one(&run_rule(check, &m), &CODE, span);
        m.backups[0].isolated_vault = Some(w(
            "arn:aws:backup:us-west-2:210987654321:backup-vault:dr".into(),
        ));
        assert_none(&run_rule(check, &m));
    }
}
