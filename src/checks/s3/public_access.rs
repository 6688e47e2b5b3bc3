//! DRS0234: a bucket without S3 Block Public Access.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0234",
    "bucket-public-access-allowed",
    Error,
    "an S3 bucket allows public access",
    "## What it checks
`public_access` is not `allowed`: all four S3 Block Public Access settings stay on.

## Why it matters
R9 asks for public access blocked on the document buckets. Customer documents in a
financial-services site must never be readable by a policy or ACL mistake.

## Example
```
bucket \"documents\" {
  public_access = allowed
}
```

## Fix
Remove `public_access = allowed` (the default is `blocked`). Serve public content from
a separate site with its own review."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for b in &cx.model.buckets {
        if b.public_access_blocked.value {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(&CODE, format!("bucket `{}` allows public access", b.name)),
                &b.public_access_blocked,
                b.span,
                "public access not blocked",
            )
            .help("remove `public_access = allowed` (R9)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_public_buckets() {
        let mut m = reference();
        m.buckets[0].public_access_blocked = w(false);
        assert_one(
            &run_rule(check, &m),
            &CODE,
            m.buckets[0].public_access_blocked.span,
        );
    }

    #[test]
    fn accepts_blocked_buckets() {
        assert_none(&run_rule(check, &reference()));
    }
}
