//! Values of the syntax tree as typed model values. Each converter returns
//! `None` for a value of the wrong shape; the front end has already reported
//! it (`syntax::validate` checks every value against the schema).

use super::types::*;
use crate::syntax::ast::{Cidr, Date, Value, ValueKind, Version};
use crate::units::{DataSize, Duration, Percent};

pub fn string(v: &ValueKind) -> Option<String> {
    match v {
        ValueKind::String(s) => Some(s.to_string()),
        _ => None,
    }
}

pub fn boolean(v: &ValueKind) -> Option<bool> {
    match v {
        ValueKind::Bool(b) => Some(*b),
        _ => None,
    }
}

pub fn duration(v: &ValueKind) -> Option<Duration> {
    match v {
        ValueKind::Duration(d) => Some(*d),
        _ => None,
    }
}

pub fn size(v: &ValueKind) -> Option<DataSize> {
    match v {
        ValueKind::Size(s) => Some(*s),
        _ => None,
    }
}

pub fn percent(v: &ValueKind) -> Option<Percent> {
    match v {
        ValueKind::Percent(p) => Some(*p),
        _ => None,
    }
}

pub fn cidr(v: &ValueKind) -> Option<Cidr> {
    match v {
        ValueKind::Cidr(c) => Some(*c),
        _ => None,
    }
}

pub fn version(v: &ValueKind) -> Option<Version> {
    match v {
        ValueKind::Version(x) => Some(x.clone()),
        _ => None,
    }
}

pub fn date(v: &ValueKind) -> Option<Date> {
    match v {
        ValueKind::Date(d) => Some(*d),
        _ => None,
    }
}

pub fn region(v: &ValueKind) -> Option<String> {
    match v {
        ValueKind::Region(r) => Some(r.to_string()),
        _ => None,
    }
}

/// An integer that fits `T` (schema ranges fit the model's integer types).
pub fn int<T: TryFrom<i64>>(v: &ValueKind) -> Option<T> {
    match v {
        ValueKind::Integer(n) => T::try_from(*n).ok(),
        _ => None,
    }
}

pub fn word(v: &ValueKind) -> Option<&str> {
    match v {
        ValueKind::Ident(w) => Some(w),
        _ => None,
    }
}

/// The items of a list.
pub fn items(v: &ValueKind) -> Option<&[Value]> {
    match v {
        ValueKind::List(items) => Some(items),
        _ => None,
    }
}

/// A list, keeping the items that convert (the others were reported).
pub fn list<T>(v: &ValueKind, each: impl Fn(&ValueKind) -> Option<T>) -> Option<Vec<T>> {
    items(v).map(|items| items.iter().filter_map(|i| each(&i.kind)).collect())
}

pub fn environment(v: &ValueKind) -> Option<Environment> {
    Some(match word(v)? {
        "production" => Environment::Production,
        "staging" => Environment::Staging,
        "development" => Environment::Development,
        "test" => Environment::Test,
        _ => return None,
    })
}

/// `primary` or `secondary` (the site's `active`).
pub fn role(v: &ValueKind) -> Option<super::Role> {
    Some(match word(v)? {
        "primary" => super::Role::Primary,
        "secondary" => super::Role::Secondary,
        _ => return None,
    })
}

pub fn key_type(v: &ValueKind) -> Option<KeyType> {
    Some(match word(v)? {
        "string" => KeyType::String,
        "number" => KeyType::Number,
        "binary" => KeyType::Binary,
        _ => return None,
    })
}

pub fn billing(v: &ValueKind) -> Option<Billing> {
    Some(match word(v)? {
        "on_demand" => Billing::OnDemand,
        "provisioned" => Billing::Provisioned,
        _ => return None,
    })
}

pub fn replication(v: &ValueKind) -> Option<Replication> {
    Some(match word(v)? {
        "rtc" => Replication::Rtc,
        "standard" => Replication::Standard,
        "none" => Replication::None,
        _ => return None,
    })
}

/// `public_access = blocked` → `true` (all four settings blocked).
pub fn public_access_blocked(v: &ValueKind) -> Option<bool> {
    match word(v)? {
        "blocked" => Some(true),
        "allowed" => Some(false),
        _ => None,
    }
}

pub fn vault_lock(v: &ValueKind) -> Option<VaultLock> {
    Some(match word(v)? {
        "compliance" => VaultLock::Compliance,
        "governance" => VaultLock::Governance,
        "none" => VaultLock::None,
        _ => return None,
    })
}

pub fn restore_tests(v: &ValueKind) -> Option<crate::model::RestoreTests> {
    use crate::model::RestoreTests;
    Some(match word(v)? {
        "daily" => RestoreTests::Daily,
        "weekly" => RestoreTests::Weekly,
        "monthly" => RestoreTests::Monthly,
        "off" => RestoreTests::Off,
        _ => return None,
    })
}

pub fn failover_mode(v: &ValueKind) -> Option<FailoverMode> {
    Some(match word(v)? {
        "automatic" => FailoverMode::Automatic,
        "manual" => FailoverMode::Manual,
        _ => return None,
    })
}

pub fn failover_engine(v: &ValueKind) -> Option<FailoverEngine> {
    Some(match word(v)? {
        "region_switch" => FailoverEngine::RegionSwitch,
        "lambda" => FailoverEngine::Lambda,
        _ => return None,
    })
}

/// A value as it would be written in a `.drs` file, e.g. `"txn01"`, `35d`, `[a, b]`.
pub fn text(v: &ValueKind) -> String {
    match v {
        ValueKind::String(s) => {
            let mut out = String::with_capacity(s.len() + 2);
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        ValueKind::Integer(n) => n.to_string(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Duration(d) => d.to_string(),
        ValueKind::Size(s) => s.to_string(),
        ValueKind::Percent(p) => p.to_string(),
        ValueKind::Cidr(c) => c.to_string(),
        ValueKind::Version(x) => x.to_string(),
        ValueKind::Date(d) => d.to_string(),
        ValueKind::Region(r) | ValueKind::Ident(r) => r.to_string(),
        ValueKind::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| text(&i.kind))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ValueKind::Error => "<invalid>".to_string(),
    }
}

/// Checks that `s` is the ARN of an IAM role or user,
/// `arn:PARTITION:iam::ACCOUNT:role/NAME` or `...:user/NAME` (names and
/// paths as IAM allows: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns>).
/// The error says what is wrong.
pub fn principal_arn(s: &str) -> Result<(), &'static str> {
    let mut parts = s.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err("not an ARN: `arn:aws:iam::<account>:role/<name>`");
    };
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov") {
        return Err("unknown partition: `aws`, `aws-cn` or `aws-us-gov`");
    }
    if service != "iam" || !region.is_empty() {
        return Err("not an IAM ARN (`arn:aws:iam::...`, no region)");
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the account id must be 12 digits");
    }
    if rest == "root" {
        return Err("the account root would delegate the key to IAM; name a role or user");
    }
    let name = rest
        .strip_prefix("role/")
        .or_else(|| rest.strip_prefix("user/"))
        .ok_or("not a role or user: `role/<name>` or `user/<name>`")?;
    let ok = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c);
    if name.is_empty() || name.ends_with('/') || !name.chars().all(ok) {
        return Err("a role or user name: letters, digits and `+=,.@_-`, no wildcards");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Type, BLOCKS};

    /// Every enum word of the schema maps to a model value, so a value the
    /// front end accepts never becomes a silent placeholder.
    #[test]
    fn every_schema_enum_word_maps() {
        for block in BLOCKS {
            for attr in block.attrs {
                let Type::Enum(words) = attr.ty else { continue };
                for w in words {
                    let v = ValueKind::Ident((*w).into());
                    let mapped = match attr.name {
                        "environment" => environment(&v).is_some(),
                        "partition_key_type" | "sort_key_type" => key_type(&v).is_some(),
                        "billing" => billing(&v).is_some(),
                        "replication" => replication(&v).is_some(),
                        "public_access" => public_access_blocked(&v).is_some(),
                        "vault_lock" => vault_lock(&v).is_some(),
                        "restore_tests" => restore_tests(&v).is_some(),
                        "mode" => failover_mode(&v).is_some(),
                        "engine" => failover_engine(&v).is_some(),
                        "active" => role(&v).is_some(),
                        // Catalog words stay strings.
                        "language" => true,
                        other => panic!("enum attribute `{other}` has no model mapping"),
                    };
                    assert!(mapped, "{}.{}: `{w}` does not map", block.kind, attr.name);
                }
            }
        }
    }

    #[test]
    fn text_renders_values_as_written() {
        let s = ValueKind::String("a \"b\"".into());
        assert_eq!(text(&s), r#""a \"b\"""#);
        let l = ValueKind::List(Box::new([
            Value {
                kind: ValueKind::Ident("a".into()),
                span: Default::default(),
            },
            Value {
                kind: ValueKind::Integer(2),
                span: Default::default(),
            },
        ]));
        assert_eq!(text(&l), "[a, 2]");
    }
}
