//! DRS0302: more zones than a region of the pair has.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Role;

declare_code!(
    CODE,
    "DRS0302",
    "zones-exceed-region",
    Error,
    "the network asks for more availability zones than a region has",
    "## What it checks
`zones` is at most the number of availability zones `std/regions` lists for the
primary and for the secondary region.

## Why it matters
drsc places one private subnet per zone in both regions (R26). A region with fewer zones
cannot hold them, and the stack fails in that region only, after the other region's
stack has been created.

## Example
```
site \"x\" { primary = us-east-1  secondary = us-west-1 }   # us-west-1 has 3 zones
network \"core\" { zones = 4 }
```

## Fix
Lower `zones` to the smaller region's count."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(n) = &cx.model.network else { return };
    for role in Role::BOTH {
        let Some(region) = cx.region(role) else {
            continue;
        };
        if n.zones.value <= region.zones {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "{} zones requested, but {} region `{}` has {}",
                        n.zones.value,
                        role.as_str(),
                        region.name,
                        region.zones
                    ),
                ),
                &n.zones,
                n.span,
                format!("more than {}", region.zones),
            )
            .also(
                cx.region_value(role).span,
                format!("the {} region", role.as_str()),
            )
            .also(
                region.span,
                format!("{} lists {} zones", region.name, region.zones),
            )
            .help(format!("set `zones = {}` or fewer (R26)", region.zones)),
        );
        break;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_five_zones_in_us_west_2() {
        let mut m = reference();
        let n = m.network.as_mut().unwrap();
        n.zones = w(5);
        let span = n.zones.span;
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, span);
        assert!(diags[0].message.contains("us-west-2"));
    }

    #[test]
    fn accepts_four_zones() {
        let mut m = reference();
        m.network.as_mut().unwrap().zones = w(4);
        assert_none(&run_rule(check, &m));
    }
}
