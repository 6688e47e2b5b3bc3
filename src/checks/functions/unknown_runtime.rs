//! DRS0310: a runtime the runtime catalog does not list.

use super::{python_version, MIN_PYTHON};
use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0310",
    "unknown-runtime",
    Error,
    "a function's runtime is not in the runtime catalog",
    "## What it checks
`runtime` names a runtime listed in `std/runtimes` (the Python runtimes Lambda supports,
with their deprecation dates). Python versions below 3.9 are reported by DRS0312
instead.

## Why it matters
R10 asks for Python 3.9+ on current supported runtimes only, identical in both regions.
A runtime drsc does not know cannot be checked for deprecation, and a misspelt one fails
at deploy time.

## Example
```
function \"ingest\" {
  runtime = \"python3.12.1\"
}
```

## Fix
Use a listed runtime, e.g. `runtime = \"python3.12\"`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let cat = &cx.model.catalog;
    for f in &cx.model.functions {
        let rt = &f.runtime;
        if cat.runtime(&rt.value).is_some() {
            continue;
        }
        if python_version(&rt.value).is_some_and(|v| v < MIN_PYTHON) {
            continue; // DRS0312
        }
        let d = at_value(
            Diagnostic::new(
                &CODE,
                format!("`{}` is not a Lambda runtime drsc knows", rt.value),
            ),
            rt,
            f.span,
            "unknown runtime",
        );
        let names = cat.runtimes.iter().map(|r| r.name.as_str());
        let newest = cat
            .runtimes
            .iter()
            .max_by_key(|r| r.deprecation.value)
            .map(|r| r.name.as_str())
            .unwrap_or("python3.12");
        out.push(match crate::suggest::closest(&rt.value, names) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!(
                "R10 asks for Python 3.9+; use a listed runtime such as `{newest}`"
            )),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_unknown_runtimes() {
        let mut m = reference();
        m.functions[0].runtime = w("nodejs20.x".into());
        assert_one(&run_rule(check, &m), &CODE, m.functions[0].runtime.span);
        m.functions[0].runtime = w("python3.8".into());
        assert_none(&run_rule(check, &m));
    }

    #[test]
    fn accepts_listed_runtimes() {
        assert_none(&run_rule(check, &reference()));
    }
}
