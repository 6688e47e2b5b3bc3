//! DRS0235: a bucket that accepts requests without TLS.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0235",
    "bucket-allows-plain-http",
    Error,
    "an S3 bucket accepts requests without TLS",
    "## What it checks
`tls_only` is not `false`, so the bucket policy denies requests where
`aws:SecureTransport` is false.

## Why it matters
R9 and R23 ask for a TLS-only bucket policy: encryption in transit as well as at rest.

## Example
```
bucket \"documents\" {
  tls_only = false
}
```

## Fix
Remove `tls_only = false` (the default is `true`)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for b in &cx.model.buckets {
        if b.tls_only.value {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!("bucket `{}` accepts requests without TLS", b.name),
                ),
                &b.tls_only,
                b.span,
                "TLS not enforced",
            )
            .help("remove `tls_only = false` (R23)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_tls_off() {
        let mut m = reference();
        m.buckets[0].tls_only = w(false);
        assert_one(&run_rule(check, &m), &CODE, m.buckets[0].tls_only.span);
    }

    #[test]
    fn accepts_tls_only() {
        assert_none(&run_rule(check, &reference()));
    }
}
