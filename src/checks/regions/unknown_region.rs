//! DRS0200: a site region that is not in the region catalog.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Role;

declare_code!(
    CODE,
    "DRS0200",
    "unknown-region",
    Error,
    "a site region is not an AWS commercial region",
    "## What it checks
`primary` and `secondary` name regions listed in `std/regions` (the AWS commercial
regions, partition `aws`).

## Why it matters
R1 asks for two real AWS regions. A misspelt region fails only at deploy time, and
every other regional check (availability zones, Aurora global database, S3 RTC) needs
the region's catalog facts.

## Example
```
site \"transactions\" {
  primary   = us-east-1
  secondary = us-west-3   # no such region
}
```

## Fix
Use a region from `std/regions`, e.g. `us-west-2`. GovCloud and China regions are
separate partitions and are not supported."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let regions = &cx.model.catalog.regions;
    for role in Role::BOTH {
        let v = cx.region_value(role);
        if cx.model.catalog.region(&v.value).is_some() {
            continue;
        }
        let d = Diagnostic::new(
            &CODE,
            format!("`{}` is not an AWS commercial region", v.value),
        )
        .at(v.span, format!("unknown {} region", role.as_str()));
        // Never suggest the other side's region: the pair must be two regions (DRS0201).
        let other = match role {
            Role::Primary => cx.region_value(Role::Secondary),
            Role::Secondary => cx.region_value(Role::Primary),
        };
        let known = regions
            .iter()
            .map(|r| r.name.as_str())
            .filter(|r| *r != other.value);
        out.push(match crate::suggest::closest(&v.value, known) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help("`std/regions` lists the regions drsc knows"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_an_unknown_secondary_with_a_suggestion() {
        let mut m = reference();
        m.site.secondary = w("us-west-3".into());
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.site.secondary.span);
        assert!(diags[0].help.as_deref().unwrap().contains("us-west-"));
    }

    #[test]
    fn never_suggests_the_other_sides_region() {
        let mut m = reference();
        m.site.secondary = w("us-east-3".into());
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.site.secondary.span);
        let help = diags[0].help.as_deref().unwrap();
        assert!(!help.contains("`us-east-1`"), "{help}");
    }

    #[test]
    fn accepts_the_reference_pair() {
        assert_none(&run_rule(check, &reference()));
    }
}
