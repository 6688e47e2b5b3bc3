//! Inline suppressions: `allow CODE "reason"` silences diagnostics of that code
//! whose primary span lies inside the allow's scope (the enclosing block, or
//! the whole file at the top level). An allow that silences nothing is reported
//! (DRS0044); one naming a code the profile lists as `unsuppressible` has no
//! effect and is an error (DRS0490). `--no-suppressions` ignores every allow.

use crate::diagnostic::Diagnostic;
use crate::model::{Model, Suppression};
use crate::source::Span;
use crate::syntax::codes::UNUSED_SUPPRESSION;

declare_code!(
    CODE,
    "DRS0490",
    "unsuppressible-code",
    Error,
    "an `allow` names a code the compliance profile does not let anyone silence",
    "## What it checks
No `allow` names a code listed in the selected profile's `unsuppressible`.

## Why it matters
A compliance profile decides which findings are never acceptable exceptions, e.g. a
missing cross-region copy (R12) or an unmet RPO (R2). The `allow` is ignored, so the
finding it tried to hide is reported as well.

## Example
```
profile \"strict\" { unsuppressible = [DRS0400] }
bucket \"documents\" {
  allow DRS0400 \"accepted by the risk committee\"
}
```

## Fix
Fix the finding instead, or select a profile that allows the exception."
);

fn inside(scope: Span, span: Span) -> bool {
    scope.file == span.file && scope.start <= span.start && span.end <= scope.end
}

/// Drops suppressed diagnostics and reports unused and forbidden suppressions.
/// With `honour` false (`--no-suppressions`) every allow is ignored and nothing is reported.
pub fn apply(model: Option<&Model>, mut diags: Vec<Diagnostic>, honour: bool) -> Vec<Diagnostic> {
    let Some(model) = model.filter(|_| honour) else {
        return diags;
    };
    let unsuppressible = model
        .profile
        .as_ref()
        .map(|p| p.unsuppressible.as_slice())
        .unwrap_or_default();
    let mut extra = Vec::new();
    // Allows that can take effect: known codes, not forbidden by the profile.
    let mut active: Vec<(&Suppression, bool)> = Vec::new();
    for s in &model.suppressions {
        if crate::registry::lookup(&s.code).is_none() || s.reason.trim().is_empty() {
            continue; // DRS0043 already reports it; an invalid allow silences nothing.
        }
        if let Some(u) = unsuppressible
            .iter()
            .find(|u| u.value.eq_ignore_ascii_case(&s.code))
        {
            let profile = model.profile.as_ref().map_or("", |p| p.name.as_str());
            extra.push(
                Diagnostic::new(
                    &CODE,
                    format!("profile `{profile}` does not allow silencing {}", s.code),
                )
                .at(s.span, "this allow has no effect")
                .also(u.span, "listed as unsuppressible here")
                .help("fix the finding; the profile does not accept it as an exception"),
            );
            continue;
        }
        active.push((s, false));
    }
    // In place: a second vector as long as the first would double the peak.
    diags.retain(|d| {
        let hit = d.span().and_then(|p| {
            active
                .iter_mut()
                .find(|(s, _)| s.code.eq_ignore_ascii_case(d.code.code) && inside(s.scope, p))
        });
        match hit {
            Some(entry) => {
                entry.1 = true;
                false
            }
            None => true,
        }
    });
    for (s, used) in active {
        if !used {
            extra.push(
                Diagnostic::new(
                    &UNUSED_SUPPRESSION,
                    format!("`allow {}` silences nothing here", s.code),
                )
                .at(s.span, "no diagnostic to suppress")
                .help("remove the `allow`"),
            );
        }
    }
    diags.reserve_exact(extra.len());
    diags.extend(extra);
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::source::FileId;

    fn diag(code: &'static crate::registry::CodeInfo, at: Span) -> Diagnostic {
        Diagnostic::new(code, "x").at(at, "here")
    }

    fn allow(code: &str, scope: Span) -> Suppression {
        Suppression {
            code: code.into(),
            reason: "accepted".into(),
            span: Span::new(
                scope.file,
                scope.start as usize + 1,
                scope.start as usize + 2,
            ),
            scope,
        }
    }

    fn s(a: usize, b: usize) -> Span {
        Span::new(FileId(9), a, b)
    }

    #[test]
    fn silences_inside_the_scope_only() {
        let mut m = reference();
        m.suppressions = vec![allow("DRS0300", s(100, 200))];
        let code = &crate::checks::network::overlapping_cidrs::CODE;
        let out = apply(
            Some(&m),
            vec![diag(code, s(150, 160)), diag(code, s(300, 310))],
            true,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span(), Some(s(300, 310)));
    }

    #[test]
    fn reports_unused_allows_and_honours_the_flag() {
        let mut m = reference();
        m.suppressions = vec![allow("DRS0300", s(100, 200))];
        let out = apply(Some(&m), Vec::new(), true);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code.code, "DRS0044");
        let code = &crate::checks::network::overlapping_cidrs::CODE;
        let out = apply(Some(&m), vec![diag(code, s(150, 160))], false);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code.code, "DRS0300");
    }

    #[test]
    fn unsuppressible_codes_stay() {
        let mut m = reference();
        m.profile.as_mut().unwrap().unsuppressible = vec![w("DRS0300".to_string())];
        m.suppressions = vec![allow("drs0300", s(100, 200))];
        let code = &crate::checks::network::overlapping_cidrs::CODE;
        let out = apply(Some(&m), vec![diag(code, s(150, 160))], true);
        let codes: Vec<&str> = out.iter().map(|d| d.code.code).collect();
        assert_eq!(codes, ["DRS0300", "DRS0490"]);
    }
}
