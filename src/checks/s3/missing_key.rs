//! DRS0231: a bucket without a customer-managed key.

use crate::checks::aurora::missing_key::key_missing;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0231",
    "bucket-without-customer-key",
    Error,
    "an S3 bucket is not encrypted with a customer-managed key",
    "## What it checks
Every `bucket` names a `key`: SSE-KMS with that key in the primary region, and the
key's secondary-region copy for the replica bucket.

## Why it matters
R9 asks for SSE-KMS with customer-managed keys and a replica key in the destination
region. Without `key`, objects use SSE-S3 and the replica cannot be re-encrypted under a
key the site controls (R22, R23).

## Example
```
bucket \"documents\" {
  replication = rtc
}
```

## Fix
Add `key = data`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for b in &cx.model.buckets {
        if b.key.is_none() {
            out.push(key_missing(&CODE, "bucket", &b.name, b.span, cx));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_bucket_without_key() {
        let mut m = reference();
        m.buckets[0].key = None;
        assert_one(&run_rule(check, &m), &CODE, m.buckets[0].span);
    }

    #[test]
    fn accepts_a_keyed_bucket() {
        assert_none(&run_rule(check, &reference()));
    }
}
