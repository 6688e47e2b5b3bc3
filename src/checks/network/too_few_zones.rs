//! DRS0301: fewer than two availability zones.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0301",
    "too-few-zones",
    Error,
    "the network spans fewer than two availability zones",
    "## What it checks
`zones` is at least 2.

## Why it matters
R26 asks for private subnets across at least two availability zones, and R27 for
multi-AZ database instances. Aurora needs a DB subnet group in two zones, and one zone
makes a single data-centre failure a regional outage.

## Example
```
network \"core\" {
  zones = 1
}
```

## Fix
Set `zones = 2` or more."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(n) = &cx.model.network else { return };
    if n.zones.value >= 2 {
        return;
    }
    out.push(
        at_value(
            Diagnostic::new(
                &CODE,
                format!(
                    "network `{}` spans {} availability zone",
                    n.name, n.zones.value
                ),
            ),
            &n.zones,
            n.span,
            "fewer than 2 zones",
        )
        .help("set `zones = 2` or more (R26, R27)"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_one_zone() {
        let mut m = reference();
        let n = m.network.as_mut().unwrap();
        n.zones = w(1);
        let span = n.zones.span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_two() {
        assert_none(&run_rule(check, &reference()));
    }
}
