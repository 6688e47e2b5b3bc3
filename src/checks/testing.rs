//! Test support: the reference site (`specs/transactions.drs`) as a hand-built
//! model, and the real stdlib catalogs as the model builder reads them, so rules
//! can be unit-tested without the model builder. Every value gets its own span,
//! so a test can assert exactly where a diagnostic points.

use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Version};
use crate::units::{DataSize, Duration, DurationUnit, Percent, SizeUnit};
use std::cell::Cell;
use std::collections::BTreeMap;

thread_local! {
    static NEXT: Cell<u32> = const { Cell::new(1) };
}

/// A fresh span in the site file (file 0), distinct from every other.
pub fn sp() -> Span {
    NEXT.with(|n| {
        let i = n.get();
        n.set(i + 1);
        Span::new(FileId(0), i as usize * 100, i as usize * 100 + 10)
    })
}

pub fn w<T>(value: T) -> Spanned<T> {
    Spanned::written(value, sp())
}

/// A value supplied by a defaults block.
pub fn dflt<T>(value: T) -> Spanned<T> {
    Spanned {
        value,
        span: sp(),
        origin: Origin::Default(sp()),
    }
}

pub fn d(amount: u64, unit: DurationUnit) -> Duration {
    Duration { amount, unit }
}
pub fn secs(n: u64) -> Duration {
    d(n, DurationUnit::Seconds)
}
pub fn mins(n: u64) -> Duration {
    d(n, DurationUnit::Minutes)
}
pub fn hours(n: u64) -> Duration {
    d(n, DurationUnit::Hours)
}
pub fn days(n: u64) -> Duration {
    d(n, DurationUnit::Days)
}
pub fn years(n: u64) -> Duration {
    d(n, DurationUnit::Years)
}

pub fn r(name: &str) -> Ref {
    Ref {
        name: name.to_string(),
        span: sp(),
    }
}

pub fn version(s: &str) -> Version {
    Version {
        parts: s.split('.').map(|p| p.parse().unwrap()).collect(),
    }
}

/// The finserv profile as `std/finserv` declares it.
pub fn finserv() -> Profile {
    Profile {
        name: "finserv".into(),
        span: sp(),
        require_key_rotation: Some(w(true)),
        require_deletion_protection: Some(w(true)),
        require_pitr: Some(w(true)),
        require_replication_time_control: Some(w(true)),
        required_tags: Some(w(vec!["Environment".into(), "DR-Role".into()])),
        min_backup_retention: Some(w(days(35))),
        record_retention: Some(w(years(7))),
        vault_lock: Some(w(VaultLock::Compliance)),
        require_restore_tests: Some(w(true)),
        require_isolated_copy: Some(w(true)),
        require_drill: Some(w(true)),
        require_backups_meeting_rpo: Some(w(true)),
        unsuppressible: Vec::new(),
    }
}

pub fn rule(name: &str, every: Duration, retain: Duration) -> BackupRule {
    BackupRule {
        name: name.into(),
        span: sp(),
        every: w(every),
        retain: w(retain),
        cold_after: None,
        copy: dflt(true),
        copy_retain: Some(w(retain)),
        continuous: dflt(false),
    }
}

/// `specs/transactions.drs`, resolved as the model builder would.
pub fn reference() -> Model {
    let mut tags = BTreeMap::new();
    for (k, v) in [
        ("Application", "transaction-processing"),
        ("CostCenter", "payments-4711"),
        ("Owner", "platform-sre"),
    ] {
        tags.insert(k.to_string(), w(v.to_string()));
    }
    let mut records = rule("records", days(7), years(7));
    records.cold_after = Some(w(days(90)));
    Model {
        site: Site {
            name: "transactions".into(),
            span: sp(),
            primary: w("us-east-1".into()),
            secondary: w("us-west-2".into()),
            rpo: w(hours(1)),
            rto: w(hours(4)),
            environment: w(Environment::Production),
            suffix: w("txn01".into()),
            log_retention: dflt(days(365)),
            tags,
            profile: Some(r("finserv")),
            deployer: Some(w("arn:aws:iam::123456789012:role/drsc-deploy".into())),
            active: None,
        },
        profile: Some(finserv()),
        keys: vec![Key {
            name: "data".into(),
            span: sp(),
            doc: None,
            rotation: w(true),
            rotation_period: w(days(365)),
            deletion_window: dflt(days(30)),
            description: None,
            admins: vec![w("arn:aws:iam::123456789012:role/KeyAdmins".into())],
        }],
        network: Some(Network {
            name: "core".into(),
            span: sp(),
            primary_cidr: w(ast::Cidr {
                addr: [10, 10, 0, 0],
                prefix: 16,
            }),
            secondary_cidr: w(ast::Cidr {
                addr: [10, 20, 0, 0],
                prefix: 16,
            }),
            zones: w(2),
            peering: dflt(true),
            subnet_prefix: dflt(20),
        }),
        databases: vec![Aurora {
            name: "ledger".into(),
            span: sp(),
            doc: None,
            engine_version: w(version("14.17")),
            database: Some("ledger".into()),
            master_username: dflt("dbadmin".into()),
            key: Some(r("data")),
            instances: w(2),
            instance_class: dflt("db.serverless".into()),
            serverless: Some(w(Serverless {
                min_capacity: 1,
                max_capacity: 16,
            })),
            backup_retention: dflt(days(7)),
            deletion_protection: None,
            port: dflt(5432),
            storage_encrypted: dflt(true),
        }],
        tables: vec![Table {
            name: "transaction_meta".into(),
            span: sp(),
            doc: None,
            partition_key: ("txn_id".into(), KeyType::String),
            sort_key: Some(("created_at".into(), KeyType::String)),
            billing: w(Billing::OnDemand),
            pitr: w(true),
            pitr_period: dflt(days(35)),
            key: Some(r("data")),
            deletion_protection: None,
            ttl_attribute: None,
        }],
        buckets: vec![Bucket {
            name: "documents".into(),
            span: sp(),
            doc: None,
            key: Some(r("data")),
            versioning: w(true),
            replication: w(Replication::Rtc),
            public_access_blocked: dflt(true),
            tls_only: dflt(true),
            backup: dflt(false),
            noncurrent_versions: dflt(days(90)),
            notify: Vec::new(),
        }],
        functions: vec![Function {
            name: "ingest".into(),
            span: sp(),
            doc: None,
            runtime: w("python3.12".into()),
            handler: w("app.handler".into()),
            code: w(CodeSource::Directory("functions/ingest".into())),
            memory: w(DataSize {
                amount: 512,
                unit: SizeUnit::MiB,
            }),
            timeout: w(secs(30)),
            reserved_concurrency: Some(w(50)),
            dead_letter_queue: w(true),
            reads: vec![r("documents")],
            writes: vec![r("transaction_meta"), r("documents")],
            deletes: Vec::new(),
            scans: Vec::new(),
            connects: vec![r("ledger")],
            log_retention: dflt(days(365)),
            environment: BTreeMap::from([("LOG_LEVEL".to_string(), "INFO".to_string())]),
        }],
        backups: vec![BackupPlan {
            name: "dr".into(),
            span: sp(),
            covers_span: sp(),
            doc: None,
            covers: vec![r("ledger"), r("transaction_meta"), r("documents")],
            vault_lock: w(VaultLock::Compliance),
            lock_changeable_for: None,
            start_window: dflt(hours(1)),
            completion_window: dflt(days(1)),
            restore_tests: dflt(crate::model::RestoreTests::Monthly),
            restore_validate_within: dflt(hours(4)),
            rules: vec![rule("hourly", hours(1), days(35)), records],
            isolated_copy: w(true),
            isolated_vault: None,
        }],
        dns: vec![Dns {
            name: "api".into(),
            span: sp(),
            doc: None,
            zone: w(Zone::ExistingName("bank.example.com".into())),
            record: w("api.bank.example.com".into()),
            front_door: FrontDoor::Serves(r("ingest")),
            health_path: w("/health".into()),
            port: dflt(443),
            interval: dflt(secs(30)),
            failure_threshold: dflt(3),
            ttl: dflt(secs(60)),
            primary_share: dflt(Percent { hundredths: 10_000 }),
        }],
        failover: Some(Failover {
            span: sp(),
            database: r("ledger"),
            dns: Some(r("api")),
            probe_every: w(mins(1)),
            alarm_after: w(3),
            allow_data_loss: w(true),
            mode: dflt(FailoverMode::Automatic),
            timeout: dflt(mins(5)),
            engine: None,
            approval: None,
            approver: None,
        }),
        monitoring: Some(Monitoring {
            span: sp(),
            alert_email: Some(w("dr-oncall@bank.example.com".into())),
            lag_threshold: w(mins(5)),
            dashboard: w(true),
        }),
        drill: Some(Drill {
            span: sp(),
            enabled: dflt(true),
            duration: w(mins(30)),
        }),
        catalog: catalog(),
        suppressions: Vec::new(),
        holes: Vec::new(),
    }
}

/// The real stdlib catalogs, read by the model builder from the reference site's program.
pub fn catalog() -> Catalog {
    let mut db = crate::source::SourceDb::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
    crate::driver::check_path(&mut db, &path)
        .model
        .expect("the reference site builds a model")
        .catalog
}

/// Runs one rule on a model.
pub fn run_rule(rule: fn(&super::Context, &mut Vec<Diagnostic>), m: &Model) -> Vec<Diagnostic> {
    let graph = crate::lower::lower(m).graph;
    let cx = super::Context::new(m, &graph);
    let mut out = Vec::new();
    rule(&cx, &mut out);
    out
}

/// Asserts the rule reports exactly one diagnostic of `code` with its primary label at `at`.
#[track_caller]
pub fn assert_one(diags: &[Diagnostic], code: &crate::registry::CodeInfo, at: Span) {
    assert_eq!(diags.len(), 1, "expected one {}: {diags:#?}", code.code);
    assert_eq!(diags[0].code.code, code.code, "{diags:#?}");
    assert_eq!(diags[0].span(), Some(at), "{diags:#?}");
}

/// Asserts the rule reports nothing.
#[track_caller]
pub fn assert_none(diags: &[Diagnostic]) {
    assert!(diags.is_empty(), "{diags:#?}");
}
