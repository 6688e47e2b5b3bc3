//! DRS0201: the primary and the secondary are the same region.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0201",
    "same-region-pair",
    Error,
    "the secondary region is the primary region",
    "## What it checks
`secondary` differs from `primary`.

## Why it matters
R1 asks for a distinct region pair. A secondary in the same region fails with the
primary in a regional outage, so the site has no disaster recovery at all; Aurora global
databases and DynamoDB global tables also reject a replica in the writer's region.

## Example
```
site \"transactions\" {
  primary   = us-east-1
  secondary = us-east-1
}
```

## Fix
Choose another region for `secondary`, preferably in the same geography
(`us-east-1` → `us-west-2`) so data residency rules still hold."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let site = &cx.model.site;
    if site.primary.value != site.secondary.value {
        return;
    }
    out.push(
        Diagnostic::new(
            &CODE,
            format!(
                "the secondary region `{}` is the primary region",
                site.secondary.value
            ),
        )
        .at(site.secondary.span, "same region as the primary")
        .also(site.primary.span, "the primary region")
        .help("pick a different secondary region, e.g. `us-west-2` for `us-east-1`"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_secondary_equal_to_primary() {
        let mut m = reference();
        m.site.secondary = w("us-east-1".into());
        assert_one(&run_rule(check, &m), &CODE, m.site.secondary.span);
    }

    #[test]
    fn accepts_distinct_regions() {
        assert_none(&run_rule(check, &reference()));
    }
}
