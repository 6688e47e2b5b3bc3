//! DRS0240: a key without automatic rotation.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::{Diagnostic, Severity};

declare_code!(
    CODE,
    "DRS0240",
    "key-rotation-disabled",
    Error,
    "a customer-managed key does not rotate automatically",
    "## What it checks
`rotation` is not `false`. It is an error when the profile sets
`require_key_rotation = true` (as `finserv` does) and a warning otherwise.

## Why it matters
R21 asks for automatic rotation on every key, in both regions. Rotation limits how much
data one key version protects; auditors of financial sites check for it.

## Example
```
key \"data\" {
  rotation = false
}
```

## Fix
Remove `rotation = false` (the default is `true`); `rotation_period` sets how often
(90d to 2560d)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let demanded = cx.demands(|p| p.require_key_rotation.as_ref());
    for k in &cx.model.keys {
        if k.rotation.value {
            continue;
        }
        let d = at_value(
            Diagnostic::new(&CODE, format!("key `{}` does not rotate", k.name)),
            &k.rotation,
            k.span,
            "rotation off",
        )
        .help("remove `rotation = false` (R21)");
        out.push(match demanded {
            Some(span) => d.also(span, "the profile requires key rotation"),
            None => d.with_severity(Severity::Warning),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_rotation_off() {
        let mut m = reference();
        m.keys[0].rotation = w(false);
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.keys[0].rotation.span);
        assert!(diags[0].is_error());
        m.profile = None;
        assert_eq!(run_rule(check, &m)[0].severity, Severity::Warning);
    }

    #[test]
    fn accepts_rotation_on() {
        assert_none(&run_rule(check, &reference()));
    }
}
