//! DRS0520: an `isolated_vault` that is not a backup vault ARN.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0520",
    "isolated-vault-malformed",
    Error,
    "an `isolated_vault` is not the ARN of a backup vault",
    "## What it checks
A backup plan's `isolated_vault` is a backup vault ARN:
`arn:<partition>:backup:<region>:<account>:backup-vault:<name>`, with a 12-digit account
id and a vault name of 2 to 50 letters, digits, hyphens and underscores (the
`BackupVaultName` pattern, <https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html>).

## Why it matters
The ARN becomes the copy action's `DestinationBackupVaultArn`. A malformed ARN deploys a
plan whose every copy job fails: the isolated copy the site relies on (R14) is never made.

## Example
```
backup \"dr\" { isolated_vault = \"arn:aws:backup:us-west-2:21098765:backup-vault:dr\" }
```

## Fix
Write the full ARN of the vault in the recovery account, e.g.
`isolated_vault = \"arn:aws:backup:us-west-2:210987654321:backup-vault:dr-isolated\"`."
);

/// `(partition, region, account, name)` of a backup vault ARN, or why it is not one.
pub fn parse(arn: &str) -> Result<(&str, &str, &str, &str), &'static str> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    let [arn_word, partition, service, region, account, resource, name] = parts.as_slice() else {
        return Err("it does not have the seven `:`-separated parts of a vault ARN");
    };
    if *arn_word != "arn" || !["aws", "aws-cn", "aws-us-gov"].contains(partition) {
        return Err("it does not start with `arn:aws:` (or `arn:aws-cn:`, `arn:aws-us-gov:`)");
    }
    if *service != "backup" || *resource != "backup-vault" {
        return Err("it is not a `backup` `backup-vault` ARN");
    }
    let region_ok = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !region_ok {
        return Err("its region is not a region name such as `us-west-2`");
    }
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err("its account id is not 12 digits");
    }
    let name_ok = (2..=50).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !name_ok {
        return Err("its vault name is not 2-50 letters, digits, `-` or `_`");
    }
    Ok((partition, region, account, name))
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.backups {
        let Some(arn) = &plan.isolated_vault else {
            continue;
        };
        if let Err(why) = parse(&arn.value) {
            out.push(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "`isolated_vault` of backup plan `{}` is not a backup vault ARN: {why}",
                        plan.name
                    ),
                )
                .at(arn.span, "not a vault ARN")
                .help(
                    "write the vault's ARN, e.g. `isolated_vault = \"arn:aws:backup:us-west-2:210987654321:backup-vault:dr-isolated\"`",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn parses_a_vault_arn() {
        assert_eq!(
            parse("arn:aws:backup:us-west-2:210987654321:backup-vault:dr-isolated"),
            Ok(("aws", "us-west-2", "210987654321", "dr-isolated"))
        );
        assert!(parse("arn:aws:backup:us-west-2:2109876543:backup-vault:dr").is_err());
        assert!(parse("arn:aws:s3:::bucket").is_err());
        assert!(parse("arn:aws:backup:us-west-2:210987654321:backup-vault:d").is_err());
        assert!(parse("arn:aws:backup:US:210987654321:backup-vault:dr").is_err());
    }

    #[test]
    fn flags_a_short_account() {
        let mut m = reference();
        m.backups[0].isolated_vault = Some(w(
            "arn:aws:backup:us-west-2:2109876543:backup-vault:dr".into(),
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
