//! DRS0260: a user tag that overrides a tag drsc sets with a different value.

use super::SYSTEM_TAGS;
use crate::checks::Context;
use crate::diagnostic::Diagnostic;

declare_code!(
    CODE,
    "DRS0260",
    "required-tag-overridden",
    Error,
    "a user tag overrides `Environment`, `DR-Role` or `Name`, which drsc sets",
    "## What it checks
The site's `tags` block does not set `Environment` to anything but the site's
environment (`Production` for `environment = production`), and does not set `DR-Role`
or `Name` at all: drsc writes `DR-Role = primary` or `secondary` per region and `Name` =
the resource's physical name.

## Why it matters
R4 asks for `Environment=Production` and `DR-Role=primary|secondary` on every taggable
resource, and compliance profiles (`required_tags`) make them mandatory. A user tag with
the same key would replace drsc's value on every resource, so cost reports, backup
selections by tag and auditors would see the wrong environment or role.

## Example
```
site \"transactions\" {
  environment = production
  tags {
    Environment = \"Prod\"
  }
}
```

## Fix
Remove the tag from `tags`; drsc sets it. To change the `Environment` value, change
the site's `environment`."
);

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let site = &cx.model.site;
    let expected_env = site.environment.value.tag_value();
    let required = cx.profile.and_then(|p| p.required_tags.as_ref());
    for key in SYSTEM_TAGS {
        let Some(v) = site.tags.get(key) else {
            continue;
        };
        let (message, label, help) = if key == "Environment" {
            if v.value == expected_env {
                continue;
            }
            (
                format!(
                    "tag `Environment = \"{}\"` overrides drsc's `Environment = \"{expected_env}\"`",
                    v.value
                ),
                format!("drsc sets `{expected_env}` here"),
                "remove the tag; drsc derives `Environment` from the site's `environment`",
            )
        } else if key == "DR-Role" {
            (
                format!(
                    "tag `DR-Role = \"{}\"` overrides drsc's per-region `DR-Role`",
                    v.value
                ),
                "drsc sets `primary` or `secondary` per region".to_string(),
                "remove the tag; drsc sets `DR-Role` on each region's resources",
            )
        } else {
            (
                format!(
                    "tag `Name = \"{}\"` conflicts with the `Name` drsc gives each resource",
                    v.value
                ),
                "drsc sets each resource's physical name here".to_string(),
                "remove the tag; every resource is tagged with its own physical name",
            )
        };
        let mut d = Diagnostic::new(&CODE, message).at(v.span, label).help(help);
        d = match required.filter(|r| r.value.iter().any(|t| t == key)) {
            Some(r) => d.also(r.span, format!("the profile requires `{key}`")),
            None if key == "Environment" => d.also(site.environment.span, "the site's environment"),
            None => d,
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn flags_a_wrong_environment_tag() {
        let mut m = reference();
        m.site.tags.insert("Environment".into(), w("Prod".into()));
        let span = m.site.tags["Environment"].span;
        let diags = run_rule(check, &m);
        assert_one(&diags, &CODE, span);
        let req = m
            .profile
            .as_ref()
            .unwrap()
            .required_tags
            .as_ref()
            .unwrap()
            .span;
        assert_eq!(diags[0].secondary[0].span, req);
    }

    #[test]
    fn flags_any_dr_role_tag() {
        let mut m = reference();
        m.site.tags.insert("DR-Role".into(), w("primary".into()));
        let span = m.site.tags["DR-Role"].span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn flags_a_name_tag() {
        let mut m = reference();
        m.site.tags.insert("Name".into(), w("ledger".into()));
        let span = m.site.tags["Name"].span;
        assert_one(&run_rule(check, &m), &CODE, span);
    }

    #[test]
    fn accepts_a_matching_environment_tag() {
        let mut m = reference();
        m.site
            .tags
            .insert("Environment".into(), w("Production".into()));
        assert_none(&run_rule(check, &m));
    }
}
