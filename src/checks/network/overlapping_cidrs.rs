//! DRS0300: VPC CIDR blocks that overlap.

use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0300",
    "overlapping-cidrs",
    Error,
    "the primary and secondary VPC CIDR blocks overlap",
    "## What it checks
`primary_cidr` and `secondary_cidr` share no address.

## Why it matters
R26 asks for non-overlapping CIDRs and cross-region VPC peering. AWS refuses to peer
VPCs whose CIDR blocks overlap, and the routes on each side could not tell the regions'
addresses apart.

## Example
```
network \"core\" {
  primary_cidr   = 10.10.0.0/16
  secondary_cidr = 10.10.128.0/17
}
```

## Fix
Choose disjoint blocks, e.g. `10.10.0.0/16` and `10.20.0.0/16`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(n) = &cx.model.network else { return };
    let (p, s) = (&n.primary_cidr, &n.secondary_cidr);
    if !p.value.overlaps(s.value) {
        return;
    }
    out.push(
        Diagnostic::new(
            &CODE,
            format!(
                "secondary CIDR {} overlaps primary CIDR {}",
                s.value, p.value
            ),
        )
        .at(s.span, "overlaps the primary block")
        .also(p.span, "the primary block")
        .help("choose disjoint blocks, e.g. `10.10.0.0/16` and `10.20.0.0/16` (R26)"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::syntax::ast::Cidr;

    #[test]
    fn flags_overlap() {
        let mut m = reference();
        let n = m.network.as_mut().unwrap();
        n.secondary_cidr = w(Cidr {
            addr: [10, 10, 128, 0],
            prefix: 17,
        });
        let span = n.secondary_cidr.span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_disjoint_blocks() {
        assert_none(&run_rule(check, &reference()));
    }
}
