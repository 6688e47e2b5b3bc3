//! DRS0312: a Python runtime older than 3.9.

use super::{python_version, MIN_PYTHON};
use crate::checks::context::at_value;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0312",
    "python-runtime-too-old",
    Error,
    "a function runs a Python version older than 3.9",
    "## What it checks
A `pythonX.Y` runtime is at least `python3.9`.

## Why it matters
R10 asks for Python 3.9 or newer. Older Python runtimes are long past their Lambda
deprecation: new functions cannot be created on them, so the secondary region's copy
of the function could not be deployed.

## Example
```
function \"ingest\" {
  runtime = \"python3.8\"
}
```

## Fix
Use `python3.12` or newer."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for f in &cx.model.functions {
        let Some(v) = python_version(&f.runtime.value) else {
            continue;
        };
        if v >= MIN_PYTHON {
            continue;
        }
        out.push(
            at_value(
                Diagnostic::new(
                    &CODE,
                    format!(
                        "`{}` is Python {}.{}; R10 asks for Python {}.{} or newer",
                        f.runtime.value, v.0, v.1, MIN_PYTHON.0, MIN_PYTHON.1
                    ),
                ),
                &f.runtime,
                f.span,
                "too old",
            )
            .help("use `python3.12` or newer"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_python_38_and_27() {
        let mut m = reference();
        for rt in ["python3.8", "python2.7"] {
            m.functions[0].runtime = w(rt.into());
            assert_one(&run_rule(check, &m), &CODE, m.functions[0].runtime.span);
        }
    }

    #[test]
    fn accepts_39_and_later() {
        let mut m = reference();
        m.functions[0].runtime = w("python3.9".into());
        assert_none(&run_rule(check, &m));
        assert_none(&run_rule(check, &reference()));
    }
}
