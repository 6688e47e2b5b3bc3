//! DRS0336: a backup plan whose selection protects nothing.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::graph::NodeKind;

declare_code!(
    CODE,
    "DRS0336",
    "backup-selection-empty",
    Error,
    "a backup plan's selection would protect nothing",
    "## What it checks
A `backup` block's `covers` becomes the plan's selection. An empty list would emit a plan that
runs, costs and reports success while backing up nothing.

## Why it matters
R13 asks that every stateful resource is backed up; an empty selection looks like protection
in the console and in audits without being any.

## Example
```
backup \"dr\" {
  covers = []
}
```

## Fix
Name the stores the plan protects, e.g. `covers = [ledger, documents]`, or remove the block."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for node in &cx.graph.nodes {
        if let NodeKind::BackupPlan(p) = &node.kind {
            // One declaration makes a plan per region from the same `covers`:
            // report it once, at the primary plan.
            if node.role != crate::graph::Role::Primary {
                continue;
            }
            if let (true, Some(span)) = (
                p.selection.resources.is_empty(),
                p.selection.resources.span(),
            ) {
                out.push(
                    Diagnostic::new(
                        &CODE,
                        format!("backup plan `{}` covers no data store", node.name),
                    )
                    .at(span, "an empty selection")
                    .help("name the stores the plan protects, e.g. `covers = [ledger]`, or remove the block"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn empty_covers_is_rejected() {
        let mut m = reference();
        m.backups[0].covers.clear();
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.backups[0].covers_span);
    }
}
