//! DRS0303: private subnets that do not fit in the VPC.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Role;

declare_code!(
    CODE,
    "DRS0303",
    "subnets-do-not-fit",
    Error,
    "the private subnets do not fit in a VPC's CIDR block",
    "## What it checks
In each region, `zones` subnets of prefix length `subnet_prefix` fit in the VPC block:
the subnet prefix is not shorter than the VPC's, and the VPC holds at least `zones`
subnets of that size.

## Why it matters
R26 asks for private subnets across at least two zones in each region. Subnets that do
not fit fail the stack of that region.

## Example
```
network \"core\" {
  primary_cidr  = 10.10.0.0/24
  zones         = 3
  subnet_prefix = 25
}
```
A /24 holds only two /25 subnets.

## Fix
Use a longer `subnet_prefix` (smaller subnets) or a larger VPC block."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(n) = &cx.model.network else { return };
    let sub = n.subnet_prefix.value;
    for role in Role::BOTH {
        let cidr = match role {
            Role::Primary => &n.primary_cidr,
            Role::Secondary => &n.secondary_cidr,
        };
        let fits = sub >= cidr.value.prefix
            && (sub - cidr.value.prefix >= 32
                || 1u64 << (sub - cidr.value.prefix) >= n.zones.value as u64);
        if fits {
            continue;
        }
        let room = if sub < cidr.value.prefix {
            0
        } else {
            1u64 << (sub - cidr.value.prefix)
        };
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "{} /{sub} subnets do not fit in {} {} (room for {room})",
                        n.zones.value,
                        role.as_str(),
                        cidr.value
                    ),
                ),
                &n.subnet_prefix,
                n.span,
                format!("/{sub} subnets"),
            )
            .also(cidr.span, format!("the {} VPC block", role.as_str()))
            .help("use a longer `subnet_prefix` or a larger VPC block (R26)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::syntax::ast::Cidr;

    #[test]
    fn flags_subnets_that_do_not_fit() {
        let mut m = reference();
        let n = m.network.as_mut().unwrap();
        n.primary_cidr = w(Cidr {
            addr: [10, 10, 0, 0],
            prefix: 24,
        });
        n.subnet_prefix = w(25);
        n.zones = w(3);
        let span = n.subnet_prefix.span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_the_reference() {
        assert_none(&run_rule(check, &reference()));
    }
}
