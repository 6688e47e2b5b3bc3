//! DRS0230: a bucket without versioning.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0230",
    "bucket-unversioned",
    Error,
    "an S3 bucket has versioning turned off",
    "## What it checks
`versioning` is not `false`.

## Why it matters
R9 asks for versioned document buckets. S3 replication and AWS Backup for S3 both
require versioning on the source (and destination) bucket; without it an overwrite or a
delete cannot be undone.

## Example
```
bucket \"documents\" {
  versioning = false
}
```

## Fix
Remove `versioning = false` (the default is `true`)."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for b in &cx.model.buckets {
        if b.versioning.value {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(&CODE, format!("bucket `{}` is not versioned", b.name)),
                &b.versioning,
                b.span,
                "versioning off",
            )
            .help("remove `versioning = false`; replication and backups need versioning (R9)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_versioning_off() {
        let mut m = reference();
        m.buckets[0].versioning = w(false);
        assert_one(&run_rule(check, &m), &CODE, m.buckets[0].versioning.span);
    }

    #[test]
    fn accepts_versioning_on() {
        assert_none(&run_rule(check, &reference()));
    }
}
