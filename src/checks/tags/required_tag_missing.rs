//! DRS0262: a tag the profile requires that no one sets.

use super::SYSTEM_TAGS;
use crate::checks::context::list_names;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0262",
    "required-tag-missing",
    Error,
    "a tag the profile requires is not set",
    "## What it checks
Every tag in the profile's `required_tags` is either one drsc sets itself (`Environment`,
`DR-Role`) or appears in the site's `tags` block.

## Why it matters
R4 and the compliance profile make these tags mandatory on every taggable resource;
cost allocation, tag-based backup selections and audits depend on them.

## Example
```
profile \"corp\" { required_tags = [\"Environment\", \"CostCenter\"] }
site \"x\" {
  profile = corp
  tags { Owner = \"sre\" }
}
```

## Fix
Add the missing tags to the site's `tags` block."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(required) = cx.profile.and_then(|p| p.required_tags.as_ref()) else {
        return;
    };
    let site = &cx.model.site;
    let missing: Vec<&str> = required
        .value
        .iter()
        .map(String::as_str)
        .filter(|t| !SYSTEM_TAGS.contains(t) && !site.tags.contains_key(*t))
        .collect();
    if missing.is_empty() {
        return;
    }
    let s = if missing.len() == 1 { "" } else { "s" };
    let example = missing
        .iter()
        .map(|t| format!("{t} = \"...\""))
        .collect::<Vec<_>>()
        .join("; ");
    out.push(
        Diagnostic::new(
            &CODE,
            format!(
                "site `{}` lacks the required tag{s} {}",
                site.name,
                list_names(missing.iter().copied())
            ),
        )
        .at(site.span, format!("missing tag{s}"))
        .also(required.span, "the profile requires them")
        .help(format!("add to the site's `tags` block: {example}")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_missing_profile_tags() {
        let mut m = reference();
        let p = m.profile.as_mut().unwrap();
        p.required_tags = Some(w(vec!["Environment".into(), "DataClass".into()]));
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, m.site.span);
        assert!(diags[0].message.contains("`DataClass`"));
    }

    #[test]
    fn system_and_user_tags_satisfy_the_profile() {
        let mut m = reference();
        let p = m.profile.as_mut().unwrap();
        p.required_tags = Some(w(vec!["DR-Role".into(), "Owner".into()]));
        assert_none(&run_rule(check, &m));
    }
}
