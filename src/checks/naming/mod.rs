//! Physical names (R3): every resource drsc creates is named
//! `<label>-<type>-<environment>-<suffix>`, with `_` in labels written as `-`,
//! plus the region's short name where AWS names are global but the resource
//! exists once per region (S3 buckets, IAM roles) or where a regional copy needs
//! telling apart (Aurora clusters and instances). [`physical_names`] lists every
//! name a site produces with the AWS rule it must satisfy; the rules here check
//! them and backends can use the same list.

pub mod duplicate_name;
pub mod invalid_name;
pub mod invalid_suffix;

use crate::model::{Model, Role, StoreKind};
use crate::source::Span;

/// Where a name must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Unique across all of AWS or the whole account (S3 buckets, IAM roles, global clusters).
    Global,
    /// Unique within one region of the account.
    Regional(Role),
}

/// A naming rule of one AWS resource type.
#[derive(Debug)]
pub struct NameRule {
    /// What AWS calls the name, e.g. `S3 bucket name`.
    pub what: &'static str,
    pub min: usize,
    pub max: usize,
    /// Why a name of the right length is still invalid.
    pub chars: fn(&str) -> Option<String>,
}

impl NameRule {
    /// Why `name` breaks the rule, if it does.
    pub fn problem(&self, name: &str) -> Option<String> {
        let n = name.chars().count();
        if n < self.min || n > self.max {
            return Some(format!(
                "{} `{name}` has {n} characters; AWS allows {}–{}",
                self.what, self.min, self.max
            ));
        }
        (self.chars)(name).map(|why| format!("{} `{name}` {why}", self.what))
    }
}

fn only(name: &str, ok: impl Fn(char) -> bool, allowed: &str) -> Option<String> {
    name.chars()
        .find(|c| !ok(*c))
        .map(|c| format!("contains `{c}`; allowed: {allowed}"))
}

pub static S3_BUCKET: NameRule = NameRule {
    what: "S3 bucket name",
    min: 3,
    max: 63,
    chars: |n| {
        only(
            n,
            |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.',
            "lowercase letters, digits, `-` and `.`",
        )
        .or_else(|| {
            let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            (!edge(n.chars().next()) || !edge(n.chars().last()))
                .then(|| "must start and end with a letter or digit".to_string())
        })
        .or_else(|| n.contains("..").then(|| "contains `..`".to_string()))
        .or_else(|| {
            ["xn--", "sthree-", "amzn-s3-demo-"]
                .iter()
                .find(|p| n.starts_with(*p))
                .map(|p| format!("starts with the reserved prefix `{p}`"))
        })
        .or_else(|| {
            ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
                .iter()
                .find(|s| n.ends_with(*s))
                .map(|s| format!("ends with the reserved suffix `{s}`"))
        })
    },
};

pub static RDS_IDENTIFIER: NameRule = NameRule {
    what: "Aurora identifier",
    min: 1,
    max: 63,
    chars: |n| {
        only(
            n,
            |c| c.is_ascii_alphanumeric() || c == '-',
            "letters, digits and `-`",
        )
        .or_else(|| {
            (!n.starts_with(|c: char| c.is_ascii_alphabetic()))
                .then(|| "must start with a letter".to_string())
        })
        .or_else(|| n.contains("--").then(|| "contains `--`".to_string()))
        .or_else(|| n.ends_with('-').then(|| "ends with `-`".to_string()))
    },
};

pub static DYNAMODB_TABLE: NameRule = NameRule {
    what: "DynamoDB table name",
    min: 3,
    max: 255,
    chars: |n| {
        only(
            n,
            |c| c.is_ascii_alphanumeric() || "_.-".contains(c),
            "letters, digits, `_`, `.` and `-`",
        )
    },
};

pub static LAMBDA_FUNCTION: NameRule = NameRule {
    what: "Lambda function name",
    min: 1,
    max: 64,
    chars: |n| {
        only(
            n,
            |c| c.is_ascii_alphanumeric() || "_-".contains(c),
            "letters, digits, `_` and `-`",
        )
    },
};

pub static IAM_ROLE: NameRule = NameRule {
    what: "IAM role name",
    min: 1,
    max: 64,
    chars: |n| {
        only(
            n,
            |c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c),
            "letters, digits and `_+=,.@-`",
        )
    },
};

pub static BACKUP_VAULT: NameRule = NameRule {
    what: "backup vault name",
    min: 2,
    max: 50,
    chars: |n| {
        only(
            n,
            |c| c.is_ascii_alphanumeric() || "_-".contains(c),
            "letters, digits, `_` and `-`",
        )
    },
};

/// ARC Region switch plan `Name`: 1–32, `[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?`
/// (CloudFormation `AWS::ARCRegionSwitch::Plan` schema, research notes §9.4).
pub static REGION_SWITCH_PLAN: NameRule = NameRule {
    what: "Region switch plan name",
    min: 1,
    max: 32,
    chars: |n| {
        if n.starts_with('-') || n.ends_with('-') {
            return Some("starts or ends with `-`".into());
        }
        only(
            n,
            |c| c.is_ascii_alphanumeric() || c == '-',
            "letters, digits and `-`",
        )
    },
};

/// One physical name a declaration produces.
#[derive(Debug)]
pub struct PhysicalName {
    pub name: String,
    /// The declaration that produces it (for generated resources, the block that asks for them).
    pub decl: Span,
    /// The declaration's label, e.g. `ledger`.
    pub label: String,
    pub scope: Scope,
    pub rule: &'static NameRule,
}

/// Functions drsc generates for a `failover` block (`src/lower/ops.rs`).
pub const GENERATED_FUNCTIONS: [&str; 2] = ["failover", "probe"];

/// `<label>-<type>-<environment>-<suffix>`: the scheme lowering names nodes
/// with ([`crate::graph::physical_name`]).
pub fn base(model: &Model, label: &str, kind: &str) -> String {
    crate::graph::physical_name(&[
        label,
        kind,
        model.site.environment.value.as_str(),
        &model.site.suffix.value,
    ])
}

/// The AWS naming rule of a graph node's physical name, for the node kinds
/// whose names AWS constrains beyond their length.
pub fn rule_of(kind: &crate::graph::NodeKind) -> Option<&'static NameRule> {
    use crate::graph::NodeKind as K;
    match kind {
        K::Bucket(_) => Some(&S3_BUCKET),
        K::GlobalDatabase(_) | K::DbCluster(_) => Some(&RDS_IDENTIFIER),
        K::GlobalTable(_) => Some(&DYNAMODB_TABLE),
        K::Function(_) => Some(&LAMBDA_FUNCTION),
        K::Role(_) => Some(&IAM_ROLE),
        K::Vault(_) | K::BackupPlan(_) => Some(&BACKUP_VAULT),
        K::Topic(_) | K::Alarm(_) | K::Dashboard(_) => Some(&LENGTH_255),
        K::EventRule(_) | K::Queue(_) => Some(&LENGTH_64),
        K::LogGroup(_) => Some(&LENGTH_512),
        K::RegionSwitchPlan(_) => Some(&REGION_SWITCH_PLAN),
        _ => None,
    }
}

macro_rules! length_rule {
    ($id:ident, $what:literal, $max:literal) => {
        static $id: NameRule = NameRule {
            what: $what,
            min: 1,
            max: $max,
            chars: |_| None,
        };
    };
}
length_rule!(LENGTH_255, "name", 255);
length_rule!(LENGTH_64, "name", 64);
length_rule!(LENGTH_512, "log group name", 512);

/// Every physical name the site produces. Names that need a region's short name are
/// left out for regions the catalog does not know (DRS0200 reports those).
pub fn physical_names(model: &Model) -> Vec<PhysicalName> {
    let mut out = Vec::new();
    let short = |role: Role| {
        model
            .catalog
            .region(model.site.region(role))
            .map(|r| r.short_name.clone())
    };
    let mut push =
        |name: String, decl: Span, label: &str, scope: Scope, rule: &'static NameRule| {
            out.push(PhysicalName {
                name,
                decl,
                label: label.to_string(),
                scope,
                rule,
            })
        };
    for db in &model.databases {
        let b = base(model, &db.name, StoreKind::Aurora.block());
        push(b.clone(), db.span, &db.name, Scope::Global, &RDS_IDENTIFIER);
        for role in Role::BOTH {
            let Some(s) = short(role) else { continue };
            let cluster = format!("{b}-{s}");
            for n in 1..=db.instances.value {
                let instance = format!("{cluster}-{n}");
                push(
                    instance,
                    db.span,
                    &db.name,
                    Scope::Regional(role),
                    &RDS_IDENTIFIER,
                );
            }
            push(
                cluster,
                db.span,
                &db.name,
                Scope::Regional(role),
                &RDS_IDENTIFIER,
            );
        }
    }
    for t in &model.tables {
        let b = base(model, &t.name, StoreKind::Table.block());
        for role in Role::BOTH {
            push(
                b.clone(),
                t.span,
                &t.name,
                Scope::Regional(role),
                &DYNAMODB_TABLE,
            );
        }
    }
    for bk in &model.buckets {
        let b = base(model, &bk.name, StoreKind::Bucket.block());
        for role in Role::BOTH {
            if let Some(s) = short(role) {
                push(
                    format!("{b}-{s}"),
                    bk.span,
                    &bk.name,
                    Scope::Global,
                    &S3_BUCKET,
                );
            }
        }
    }
    let mut function = |label: &str, decl: Span, roles: &[Role]| {
        let b = base(model, label, "function");
        for &role in roles {
            push(
                b.clone(),
                decl,
                label,
                Scope::Regional(role),
                &LAMBDA_FUNCTION,
            );
            if let Some(s) = short(role) {
                push(format!("{b}-{s}"), decl, label, Scope::Global, &IAM_ROLE);
            }
        }
    };
    // Generated names first, so a clash points at the user's declaration.
    if let Some(fo) = &model.failover {
        // The generated failover and probe functions run in the secondary region only.
        for label in GENERATED_FUNCTIONS {
            function(label, fo.span, &[Role::Secondary]);
        }
    }
    for f in &model.functions {
        function(&f.name, f.span, &Role::BOTH);
    }
    for p in &model.backups {
        let b = base(model, &p.name, "vault");
        for role in Role::BOTH {
            out.push(PhysicalName {
                name: b.clone(),
                decl: p.span,
                label: p.name.clone(),
                scope: Scope::Regional(role),
                rule: &BACKUP_VAULT,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn names_of_the_reference_site() {
        let m = reference();
        let names: Vec<String> = physical_names(&m).into_iter().map(|n| n.name).collect();
        for expected in [
            "ledger-aurora-production-txn01",
            "ledger-aurora-production-txn01-use1-2",
            "ledger-aurora-production-txn01-usw2",
            "transaction-meta-table-production-txn01",
            "documents-bucket-production-txn01-use1",
            "documents-bucket-production-txn01-usw2",
            "ingest-function-production-txn01",
            "ingest-function-production-txn01-usw2",
            "failover-function-production-txn01",
            "probe-function-production-txn01-usw2",
            "dr-vault-production-txn01",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} not in {names:#?}"
            );
        }
    }

    #[test]
    fn aws_rules() {
        assert!(S3_BUCKET
            .problem("documents-bucket-production-txn01-use1")
            .is_none());
        assert!(S3_BUCKET.problem("Docs").is_some());
        assert!(S3_BUCKET.problem("xn--abc").is_some());
        assert!(S3_BUCKET.problem(&"a".repeat(64)).is_some());
        assert!(RDS_IDENTIFIER.problem("a--b").is_some());
        assert!(RDS_IDENTIFIER.problem("1ab").is_some());
        assert!(LAMBDA_FUNCTION.problem(&"a".repeat(64)).is_none());
        assert!(LAMBDA_FUNCTION.problem(&"a".repeat(65)).is_some());
        assert!(DYNAMODB_TABLE.problem("ab").is_some());
        assert!(BACKUP_VAULT.problem(&"a".repeat(51)).is_some());
    }
}
