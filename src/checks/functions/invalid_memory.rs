//! DRS0313: Lambda memory that is not a whole MiB from 128 to 10240.

use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0313",
    "invalid-function-memory",
    Error,
    "a function's memory is not a whole number of MiB from 128MiB to 10240MiB",
    "## What it checks
`memory` is between 128MiB and 10240MiB. (A size that is not a whole number of MiB, such as
`1GB` = 10^9 bytes, is DRS0910: write `1GiB` or `1024MiB`.)

## Why it matters
Lambda takes memory in MB meaning MiB, from 128 to 10240, and rejects anything else, in
both regions (R10).

## Example
```
function \"ingest\" {
  memory = 64MiB
}
```

## Fix
Use a value such as `memory = 512MiB`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(limit) = cx.model.catalog.limit("lambda_memory") else {
        return;
    };
    for f in &cx.model.functions {
        let mem = &f.memory;
        let bytes = i64::try_from(mem.value.as_bytes()).unwrap_or(i64::MAX);
        // Not whole MiB is DRS0910 (lowering cannot derive the value).
        if limit.admits(bytes) || mem.value.whole_mebibytes().is_none() {
            continue;
        }
        let problem = format!("{} is outside {}", mem.value, limit.describe());
        let suggestion = limit
            .nearest(bytes)
            .first()
            .map_or_else(|| "512MiB".to_string(), |v| limit.show(*v));
        out.push(
            at_value(
                Diagnostic::new(&CODE, format!("function `{}` memory {problem}", f.name)),
                mem,
                f.span,
                "Lambda rejects this memory size",
            )
            .help(format!("use e.g. `memory = {suggestion}`")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::units::{DataSize, SizeUnit};

    fn mem(amount: u64, unit: SizeUnit) -> DataSize {
        DataSize { amount, unit }
    }

    #[test]
    fn flags_out_of_range_sizes() {
        let mut m = reference();
        // `1GB` is not whole MiB: lowering reports that (DRS0910), not this rule.
        for bad in [mem(64, SizeUnit::MiB), mem(11, SizeUnit::GiB)] {
            m.functions[0].memory = w(bad);
            assert_one(&run_rule(check, &m), &CODE, m.functions[0].memory.span);
        }
    }

    #[test]
    fn accepts_the_bounds() {
        let mut m = reference();
        for good in [
            mem(128, SizeUnit::MiB),
            mem(10, SizeUnit::GiB),
            mem(10_240, SizeUnit::MiB),
        ] {
            m.functions[0].memory = w(good);
            assert_none(&run_rule(check, &m));
        }
    }
}
