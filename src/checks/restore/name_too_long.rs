//! DRS0503: a restore testing plan name longer than AWS Backup accepts.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

/// "The name must consist of only alphanumeric characters and underscores. Maximum
/// length is 50." (<https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingSelectionForList.html>)
pub const MAX_NAME: usize = 50;

declare_code!(
    CODE,
    "DRS0503",
    "restore-testing-name-too-long",
    Error,
    "a restore testing plan's generated name is longer than AWS Backup accepts",
    "## What it checks
drsc names a backup plan's restore testing plan
`<plan>_restore_test_plan_<environment>_<suffix>` (hyphens become underscores). AWS Backup
accepts at most 50 characters.

## Why it matters
A longer name fails the deployment of the secondary region's stack (R36).

## Example
```
backup \"ledger_and_documents_all\" {
  covers = [ledger]
}
```

## Fix
Shorten the backup plan's name (or the site's `suffix`), e.g. `backup \"dr\"`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if !matches!(node.kind, NodeKind::RestoreTestingPlan(_)) {
            continue;
        }
        if node.name.len() <= MAX_NAME {
            continue;
        }
        let plan = node.id.as_str().split('/').nth(1).unwrap_or_default();
        let Some(decl) = cx.model.backups.iter().find(|b| b.name == plan) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &CODE,
                format!(
                    "restore testing plan name `{}` is {} characters; AWS Backup accepts at most {MAX_NAME}",
                    node.name,
                    node.name.len()
                ),
            )
            .at(decl.span, "the backup plan it is named after")
            .help(format!(
                "shorten the backup plan's name by {} characters or more",
                node.name.len() - MAX_NAME
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn a_long_plan_name_is_rejected() {
        let mut m = reference();
        m.backups[0].name = "ledger_and_documents_all".into();
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].span);
    }

    #[test]
    fn the_reference_name_fits() {
        assert_none(&run_rule(check, &reference()));
    }
}
