//! The semantic model: the reference site's content, defaults and their
//! origins, the catalog, every model diagnostic, robustness on broken input,
//! suppressions and position queries.

use drsc::diagnostic::{Diagnostic, Severity};
use drsc::driver;
use drsc::loader::{self, Program};
use drsc::model::query::{self, Hit};
use drsc::model::{self, *};
use drsc::source::{SourceDb, Span};
use std::path::{Path, PathBuf};

const SPEC: &str = "specs/transactions.drs";

/// A valid site without any other block; tests append what they exercise.
const SITE: &str = r#"site "t" {
  primary     = us-east-1
  secondary   = us-west-2
  rpo         = 1h
  rto         = 4h
  environment = staging
  suffix      = "t01"
}
"#;

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SPEC)
}

/// Loads and models a project written to a temporary directory (the first
/// file is the root), without running the rules: model diagnostics only.
struct Built {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: SourceDb,
    program: Program,
    model: Option<Model>,
    diags: Vec<Diagnostic>,
}

impl Built {
    fn model(&self) -> &Model {
        self.model.as_ref().unwrap_or_else(|| {
            panic!("no model; diagnostics: {:#?}", self.summary());
        })
    }

    fn codes(&self) -> Vec<&'static str> {
        self.diags.iter().map(|d| d.code.code).collect()
    }

    fn summary(&self) -> Vec<String> {
        self.diags
            .iter()
            .map(|d| {
                let at = d
                    .span()
                    .map_or(String::new(), |s| format!(" at `{}`", self.db.snippet(s)));
                format!("{}{at}: {}", d.code.code, d.message)
            })
            .collect()
    }

    /// The one diagnostic of `code`.
    fn one(&self, code: &str) -> &Diagnostic {
        let found: Vec<&Diagnostic> = self.diags.iter().filter(|d| d.code.code == code).collect();
        assert_eq!(found.len(), 1, "{code}: {:#?}", self.summary());
        found[0]
    }

    fn primary_text(&self, d: &Diagnostic) -> &str {
        self.db.snippet(d.span().expect("a primary span"))
    }

    fn clean(&self) {
        assert!(self.diags.is_empty(), "{:#?}", self.summary());
    }

    /// The file name a span points into.
    fn file_of(&self, span: Span) -> &str {
        &self.db.get(span.file).name
    }

    /// Byte offset of the first `needle` in the root file, plus `delta`.
    fn offset(&self, needle: &str, delta: usize) -> usize {
        let root = self.program.root.expect("root");
        self.db.text(root).find(needle).expect("needle in root") + delta
    }
}

fn build_files(files: &[(&str, &str)]) -> Built {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().to_path_buf();
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
    }
    let (root_name, root_text) = files[0];
    let mut db = SourceDb::new();
    let id = db.add(root_name, Some(dir.join(root_name)), root_text.to_string());
    let (program, _front) = loader::load(&mut db, id, &dir);
    let (model, diags) = model::build(&db, &program);
    Built {
        _dir: tmp,
        dir,
        db,
        program,
        model,
        diags,
    }
}

fn build(src: &str) -> Built {
    build_files(&[("site.drs", src)])
}

fn site_with(extra: &str) -> Built {
    build(&format!("{SITE}\n{extra}"))
}

fn secs(d: &Spanned<drsc::units::Duration>) -> u64 {
    d.value.as_secs()
}

// ---------------------------------------------------------------------------
// The reference site
// ---------------------------------------------------------------------------

fn spec() -> (SourceDb, driver::CheckOutcome) {
    let mut db = SourceDb::new();
    let outcome = driver::check_path(&mut db, &spec_path());
    (db, outcome)
}

#[test]
fn reference_site_checks_clean_and_builds_a_model() {
    let (db, outcome) = spec();
    let errors: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| format!("{}: {}", d.code.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let m = outcome.model.expect("a model");
    let s = &m.site;
    assert_eq!(s.name, "transactions");
    assert_eq!(db.snippet(s.span), "site \"transactions\"");
    assert_eq!(s.primary.value, "us-east-1");
    assert_eq!(s.secondary.value, "us-west-2");
    assert_eq!(s.region(Role::Secondary), "us-west-2");
    assert_eq!(secs(&s.rpo), 3_600);
    assert_eq!(secs(&s.rto), 4 * 3_600);
    assert_eq!(db.snippet(s.rpo.span), "1h");
    assert_eq!(s.rpo.origin, Origin::Written);
    assert_eq!(s.environment.value, Environment::Production);
    assert_eq!(s.suffix.value, "txn01");
    let tags: Vec<(&str, &str)> = s
        .tags
        .iter()
        .map(|(k, v)| (k.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        tags,
        [
            ("Application", "transaction-processing"),
            ("CostCenter", "payments-4711"),
            ("Owner", "platform-sre")
        ]
    );
    assert_eq!(s.profile.as_ref().map(|r| r.name.as_str()), Some("finserv"));
}

#[test]
fn reference_site_profile_keeps_the_spans_rules_cite() {
    let (db, outcome) = spec();
    let m = outcome.model.expect("a model");
    let p = m.profile.expect("the finserv profile");
    assert_eq!(p.name, "finserv");
    assert_eq!(db.get(p.span.file).name, "std/finserv");
    assert_eq!(p.require_key_rotation.as_ref().map(|v| v.value), Some(true));
    assert_eq!(
        p.require_deletion_protection.as_ref().map(|v| v.value),
        Some(true)
    );
    assert_eq!(p.require_pitr.as_ref().map(|v| v.value), Some(true));
    assert_eq!(
        p.require_replication_time_control.as_ref().map(|v| v.value),
        Some(true)
    );
    assert_eq!(
        p.required_tags.as_ref().map(|v| v.value.clone()),
        Some(vec!["Environment".to_string(), "DR-Role".to_string()])
    );
    let min = p.min_backup_retention.expect("min_backup_retention");
    assert_eq!(min.value.as_secs(), 35 * 86_400);
    assert_eq!(db.snippet(min.span), "35d");
    let rec = p.record_retention.expect("record_retention");
    assert_eq!(rec.value.as_secs(), 7 * 365 * 86_400);
    assert_eq!(db.snippet(rec.span), "7y");
    assert_eq!(p.vault_lock.map(|v| v.value), Some(VaultLock::Compliance));
    assert!(p.unsuppressible.is_empty());
}

#[test]
fn reference_site_stores_and_keys() {
    let (db, outcome) = spec();
    let m = outcome.model.expect("a model");

    let [key] = &m.keys[..] else {
        panic!("{:?}", m.keys)
    };
    assert_eq!(key.name, "data");
    assert!(key.rotation.value);
    assert_eq!(key.rotation.origin, Origin::Written);
    assert_eq!(key.rotation_period.value.as_secs(), 365 * 86_400);
    assert_eq!(key.deletion_window.value.as_secs(), 30 * 86_400);
    assert!(key.doc.as_deref().is_some_and(|d| d.contains("R21")));

    let net = m.network.as_ref().expect("network");
    assert_eq!(net.primary_cidr.value.to_string(), "10.10.0.0/16");
    assert_eq!(net.cidr(Role::Secondary).to_string(), "10.20.0.0/16");
    assert_eq!(net.zones.value, 2);
    assert!(net.peering.value);
    assert_eq!(net.subnet_prefix.value, 20);

    let [db_] = &m.databases[..] else { panic!() };
    assert_eq!(db_.name, "ledger");
    assert_eq!(db_.engine_version.value.to_string(), "14.17");
    assert_eq!(db_.database.as_deref(), Some("ledger"));
    assert_eq!(db_.master_username.value, "dbadmin");
    assert_eq!(db_.key.as_ref().map(|k| k.name.as_str()), Some("data"));
    assert_eq!(db_.instances.value, 2);
    assert_eq!(db_.instances.origin, Origin::Written);
    let sl = db_.serverless.as_ref().expect("serverless");
    assert_eq!(
        sl.value,
        Serverless {
            min_capacity: 1,
            max_capacity: 16
        }
    );
    assert_eq!(db_.instance_class.value, "db.serverless");
    assert_eq!(db_.backup_retention.value.as_secs(), 7 * 86_400);
    assert_eq!(db_.deletion_protection, None);
    assert_eq!(db_.port.value, 5432);
    assert!(db_.storage_encrypted.value);

    let [t] = &m.tables[..] else { panic!() };
    assert_eq!(t.name, "transaction_meta");
    assert_eq!(t.partition_key, ("txn_id".to_string(), KeyType::String));
    assert_eq!(
        t.sort_key,
        Some(("created_at".to_string(), KeyType::String))
    );
    assert_eq!(t.billing.value, Billing::OnDemand);
    assert!(t.pitr.value);
    assert_eq!(t.pitr_period.value.as_secs(), 35 * 86_400);
    assert_eq!(t.key.as_ref().map(|k| k.name.as_str()), Some("data"));
    assert_eq!(db.snippet(t.key.as_ref().expect("key").span), "data");

    let [b] = &m.buckets[..] else { panic!() };
    assert_eq!(b.name, "documents");
    assert!(b.versioning.value);
    assert_eq!(b.replication.value, Replication::Rtc);
    assert!(b.public_access_blocked.value);
    assert!(b.tls_only.value);
    assert!(!b.backup.value);
}

#[test]
fn reference_site_function_access_and_code() {
    let (_db, outcome) = spec();
    let m = outcome.model.expect("a model");
    let [f] = &m.functions[..] else { panic!() };
    assert_eq!(f.name, "ingest");
    assert_eq!(f.runtime.value, "python3.12");
    assert_eq!(f.handler.value, "app.handler");
    let expected_dir = spec_path()
        .parent()
        .expect("specs dir")
        .join("functions/ingest");
    assert_eq!(
        f.code.value,
        CodeSource::Directory(loader::normalize(&expected_dir))
    );
    assert_eq!(f.memory.value.whole_mebibytes(), Some(512));
    assert_eq!(f.timeout.value.as_secs(), 30);
    assert_eq!(f.reserved_concurrency.as_ref().map(|r| r.value), Some(50));
    assert!(f.dead_letter_queue.value);
    let names = |refs: &[Ref]| refs.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&f.reads), ["transaction_meta", "documents"]);
    assert_eq!(names(&f.writes), ["transaction_meta", "documents"]);
    assert_eq!(names(&f.connects), ["ledger"]);
    assert_eq!(f.log_retention.value.as_secs(), 365 * 86_400);
    assert_eq!(
        f.environment.get("LOG_LEVEL").map(String::as_str),
        Some("INFO")
    );
}

#[test]
fn reference_site_backup_rules() {
    let (_db, outcome) = spec();
    let m = outcome.model.expect("a model");
    let [plan] = &m.backups[..] else { panic!() };
    assert_eq!(plan.name, "dr");
    let covers: Vec<&str> = plan.covers.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(covers, ["ledger", "transaction_meta", "documents"]);
    assert_eq!(plan.vault_lock.value, VaultLock::Compliance);
    assert_eq!(plan.vault_lock.origin, Origin::Written);
    assert_eq!(plan.start_window.value.as_secs(), 3_600);
    assert_eq!(plan.completion_window.value.as_secs(), 86_400);
    assert!(plan.lock_changeable_for.is_none());
    let [hourly, records] = &plan.rules[..] else {
        panic!("{:?}", plan.rules)
    };
    assert_eq!(hourly.name, "hourly");
    assert_eq!(hourly.every.value.as_secs(), 3_600);
    assert_eq!(hourly.retain.value.as_secs(), 35 * 86_400);
    assert!(hourly.copy.value);
    assert!(matches!(hourly.copy.origin, Origin::Default(_)));
    assert_eq!(
        hourly.copy_retain.as_ref().map(|d| d.value.as_secs()),
        Some(35 * 86_400)
    );
    assert!(!hourly.continuous.value);
    assert_eq!(records.name, "records");
    assert_eq!(records.every.value.as_secs(), 7 * 86_400);
    assert_eq!(records.retain.value.as_secs(), 7 * 365 * 86_400);
    assert_eq!(
        records.cold_after.as_ref().map(|d| d.value.as_secs()),
        Some(90 * 86_400)
    );
}

#[test]
fn reference_site_dns_failover_and_monitoring() {
    let (_db, outcome) = spec();
    let m = outcome.model.expect("a model");
    let [dns] = &m.dns[..] else { panic!() };
    assert_eq!(dns.name, "api");
    assert_eq!(
        dns.zone.value,
        Zone::ExistingName("bank.example.com".to_string())
    );
    assert_eq!(dns.record.value, "api.bank.example.com");
    let FrontDoor::Serves(f) = &dns.front_door else {
        panic!(
            "the reference site's front door is built: {:?}",
            dns.front_door
        )
    };
    assert_eq!(f.name, "ingest");
    assert_eq!(dns.health_path.value, "/health");
    assert_eq!(dns.port.value, 443);
    assert_eq!(dns.interval.value.as_secs(), 30);
    assert_eq!(dns.failure_threshold.value, 3);
    assert_eq!(dns.ttl.value.as_secs(), 60);
    assert_eq!(dns.primary_share.value.whole(), 100);

    let f = m.failover.as_ref().expect("failover");
    assert_eq!(f.database.name, "ledger");
    assert_eq!(f.dns.as_ref().map(|r| r.name.as_str()), Some("api"));
    assert_eq!(f.probe_every.value.as_secs(), 60);
    assert_eq!(f.alarm_after.value, 3);
    assert!(f.allow_data_loss.value);
    assert_eq!(f.mode.value, FailoverMode::Automatic);
    assert!(matches!(f.mode.origin, Origin::Default(_)));
    assert_eq!(f.timeout.value.as_secs(), 300);

    let mon = m.monitoring.as_ref().expect("monitoring");
    assert_eq!(
        mon.alert_email.as_ref().map(|e| e.value.as_str()),
        Some("dr-oncall@bank.example.com")
    );
    assert_eq!(mon.lag_threshold.value.as_secs(), 300);
    assert!(mon.dashboard.value);
}

#[test]
fn reference_site_catalog_has_regions_timing_runtimes_and_iam_facts() {
    let (db, outcome) = spec();
    let c = outcome.model.expect("a model").catalog;
    assert!(c.regions.len() > 30, "{} regions", c.regions.len());
    let use1 = c.region("us-east-1").expect("us-east-1");
    assert_eq!(use1.short_name, "use1");
    assert_eq!(use1.display_name, "US East (N. Virginia)");
    assert_eq!(use1.zones, 6);
    assert!(use1.services.iter().any(|s| s == "aurora_global_database"));
    assert_eq!(db.get(use1.span.file).name, "std/regions");

    let failover = c.timing("aurora_global_failover").expect("timing");
    assert_eq!(failover.value.as_secs(), 300);
    assert!(failover.source.starts_with("[AUR-DR]"));
    assert_eq!(
        c.timing("s3_rtc_replication").map(|t| t.value.as_secs()),
        Some(900)
    );
    assert_eq!(
        c.timing("dynamodb_traffic_shift")
            .map(|t| t.value.as_secs()),
        Some(0)
    );
    assert!(c.timings.len() >= 14);

    let py = c.runtime("python3.12").expect("python3.12");
    assert_eq!(py.language, "python");
    assert_eq!(py.version.to_string(), "3.12");
    assert_eq!(py.deprecation.value.to_string(), "2028-10-31");
    let policy = c.runtime_policy.as_ref().expect("runtime policy");
    assert_eq!(policy.as_of.value.to_string(), "2026-11-26");
    assert_eq!(policy.warn_within.value.as_secs(), 180 * 86_400);

    let pg = c.engine("aurora-postgresql").expect("engine");
    assert_eq!(pg.major, None);
    assert_eq!(pg.port, 5432);
    assert!(pg.serverless_v2);
    assert!(pg.instance_classes.iter().any(|c| c == "db.serverless"));
    let majors: Vec<u32> = c
        .engine_majors("aurora-postgresql")
        .iter()
        .filter_map(|e| e.major)
        .collect();
    assert_eq!(majors, [14, 15, 16, 17]);
    let pg14 = c.engine_major("aurora-postgresql", 14).expect("14");
    assert!(pg14
        .global_database_versions
        .iter()
        .any(|v| v.to_string() == "14.9"));
    for m in [14, 15, 16, 17] {
        let e = c.engine_major("aurora-postgresql", m).expect("major");
        assert_eq!(e.engine, "aurora-postgresql");
        assert_eq!(
            e.parameter_group_family.as_deref(),
            Some(format!("aurora-postgresql{m}").as_str())
        );
        assert!(e.as_of.is_some());
        // Every listed minor is of the entry's major.
        assert!(e.global_database_versions.iter().all(|v| v.parts[0] == m));
    }

    assert!(c.is_wildcard_action("ec2:DescribeNetworkInterfaces"));
    assert!(!c.is_wildcard_action("rds:DescribeDBClusters"));
}

#[test]
fn reference_site_records_default_origins() {
    let (db, outcome) = spec();
    let m = outcome.model.expect("a model");
    let key = &m.keys[0];
    let Origin::Default(at) = key.deletion_window.origin else {
        panic!(
            "deletion_window is not from a default: {:?}",
            key.deletion_window
        )
    };
    assert_eq!(db.get(at.file).name, "std/defaults");
    assert_eq!(db.snippet(at), "deletion_window = 30d");
    assert_eq!(db.snippet(key.deletion_window.span), "30d");

    let t = &m.tables[0];
    assert!(matches!(t.pitr_period.origin, Origin::Default(_)));
    assert_eq!(t.pitr.origin, Origin::Written);
    let aurora = &m.databases[0];
    let Origin::Default(port) = aurora.port.origin else {
        panic!()
    };
    assert_eq!(db.snippet(port), "port              = 5432");
    assert!(matches!(
        m.functions[0].log_retention.origin,
        Origin::Default(_)
    ));
}

// ---------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------

#[test]
fn a_blocks_own_value_beats_every_default() {
    let b = site_with(
        "defaults \"table\" {\n  pitr_period = 7d\n}\ntable \"t\" {\n  partition_key = \"id\"\n  pitr_period = 3d\n}\n",
    );
    b.clean();
    let t = &b.model().tables[0];
    assert_eq!(t.pitr_period.value.as_secs(), 3 * 86_400);
    assert_eq!(t.pitr_period.origin, Origin::Written);
}

#[test]
fn the_site_files_defaults_beat_stdlib_defaults() {
    let b = site_with(
        "defaults \"table\" {\n  pitr_period = 7d\n}\ntable \"t\" {\n  partition_key = \"id\"\n}\n",
    );
    b.clean();
    let t = &b.model().tables[0];
    assert_eq!(t.pitr_period.value.as_secs(), 7 * 86_400);
    let Origin::Default(at) = t.pitr_period.origin else {
        panic!()
    };
    assert_eq!(b.file_of(at), "site.drs");
    assert_eq!(b.db.snippet(at), "pitr_period = 7d");
    // Attributes the user's defaults do not mention still come from the stdlib.
    let Origin::Default(billing) = t.billing.origin else {
        panic!()
    };
    assert_eq!(b.file_of(billing), "std/defaults");
}

#[test]
fn later_files_defaults_win_in_import_order() {
    let root = format!(
        "import \"./base.drs\"\n{SITE}\ndefaults \"key\" {{\n  deletion_window = 10d\n}}\nkey \"k\" {{ }}\ntable \"t\" {{\n  partition_key = \"id\"\n}}\n"
    );
    let base = "defaults \"key\" {\n  deletion_window = 20d\n  rotation_period = 180d\n}\ndefaults \"table\" {\n  billing = provisioned\n}\n";
    let b = build_files(&[("site.drs", &root), ("base.drs", base)]);
    b.clean();
    let m = b.model();
    let k = &m.keys[0];
    assert_eq!(k.deletion_window.value.as_secs(), 10 * 86_400);
    assert_eq!(k.rotation_period.value.as_secs(), 180 * 86_400);
    let Origin::Default(at) = k.rotation_period.origin else {
        panic!()
    };
    assert_eq!(b.file_of(at), "base.drs");
    assert_eq!(m.tables[0].billing.value, Billing::Provisioned);
}

#[test]
fn nested_defaults_fill_maps_and_child_blocks() {
    let b = build(&format!(
        "{SITE}\ndefaults \"tags\" {{\n  Team = \"sre\"\n}}\ndefaults \"function\" {{\n  environment {{\n    LOG_LEVEL = \"WARN\"\n    REGION_AWARE = \"yes\"\n  }}\n}}\nfunction \"f\" {{\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  inline  = \"def handler(e, c): pass\"\n  environment {{\n    LOG_LEVEL = \"DEBUG\"\n  }}\n}}\n"
    ));
    b.clean();
    let m = b.model();
    assert_eq!(
        m.site.tags.get("Team").map(|t| t.value.as_str()),
        Some("sre")
    );
    assert!(matches!(m.site.tags["Team"].origin, Origin::Default(_)));
    let f = &m.functions[0];
    assert_eq!(
        f.environment.get("LOG_LEVEL").map(String::as_str),
        Some("DEBUG")
    );
    assert_eq!(
        f.environment.get("REGION_AWARE").map(String::as_str),
        Some("yes")
    );
    assert_eq!(
        f.code.value,
        CodeSource::Inline("def handler(e, c): pass".to_string())
    );
}

// ---------------------------------------------------------------------------
// Site
// ---------------------------------------------------------------------------

#[test]
fn a_file_without_a_site_has_no_model_and_says_so() {
    let b = build("key \"data\" {\n  rotation = true\n}\n");
    assert!(b.model.is_none());
    let d = b.one("DRS0100");
    assert_eq!(d.message, "no `site` block");
    assert_eq!(d.span().map(|s| s.start), Some(0));
    assert_eq!(b.codes(), ["DRS0100"]);
}

#[test]
fn a_site_lost_to_a_syntax_error_is_not_reported_missing() {
    let b = build("site \"t\" {\n  primary us-east-1\n}\nkey \"data\" { }\n");
    // The site is kept, partial: `primary` is unknown, not missing.
    let m = b.model.as_ref().expect("a partial site");
    assert!(m.in_hole(m.site.primary.span));
    assert!(!b.codes().contains(&"DRS0100"), "{:?}", b.summary());
    assert!(!b.codes().contains(&"DRS0034"), "{:?}", b.summary());
}

#[test]
fn a_site_in_an_imported_file_counts() {
    let b = build_files(&[("main.drs", "import \"./site.drs\"\n"), ("site.drs", SITE)]);
    b.clean();
    assert_eq!(b.model().site.name, "t");
}

#[test]
fn two_sites_are_a_duplicate() {
    let b = build(&format!("{SITE}\n{}", SITE.replace("\"t\"", "\"u\"")));
    let d = b.one("DRS0101");
    assert_eq!(d.message, "more than one `site`");
    assert_eq!(b.primary_text(d), "site \"u\"");
    assert_eq!(b.db.snippet(d.secondary[0].span), "site \"t\"");
    assert_eq!(b.model().site.name, "t");
}

#[test]
fn profile_resolves_through_its_import() {
    let b = build(&format!(
        "import \"std/finserv\"\n{}",
        SITE.replace("suffix", "profile     = finserv\n  suffix")
    ));
    b.clean();
    let m = b.model();
    assert_eq!(m.profile.as_ref().map(|p| p.name.as_str()), Some("finserv"));
}

#[test]
fn a_profile_without_its_import_says_which_module_to_import() {
    let b = build(&SITE.replace("suffix", "profile     = finserv\n  suffix"));
    let d = b.one("DRS0102");
    assert_eq!(d.message, "no `profile` named `finserv`");
    assert_eq!(b.primary_text(d), "finserv");
    assert_eq!(
        d.help.as_deref(),
        Some("import the module that declares it: `import \"std/finserv\"`")
    );
    let m = b.model();
    assert!(m.profile.is_none());
    assert_eq!(
        m.site.profile.as_ref().map(|r| r.name.as_str()),
        Some("finserv")
    );
}

// ---------------------------------------------------------------------------
// Names and references
// ---------------------------------------------------------------------------

#[test]
fn duplicate_declarations_label_both_places() {
    let b = site_with(
        "table \"t\" {\n  partition_key = \"a\"\n}\ntable \"t\" {\n  partition_key = \"b\"\n}\n",
    );
    let d = b.one("DRS0101");
    assert_eq!(d.message, "`table \"t\"` is declared twice");
    assert_eq!(
        d.primary.as_ref().map(|l| &*l.message),
        Some("declared again here")
    );
    assert_eq!(d.secondary[0].message, "first declared here");
    assert!(d.secondary[0].span.start < d.span().expect("span").start);
    // The first declaration is the one in the model.
    let m = b.model();
    assert_eq!(m.tables.len(), 1);
    assert_eq!(m.tables[0].partition_key.0, "a");
}

#[test]
fn the_same_name_in_two_kinds_is_not_a_duplicate() {
    let b = site_with(
        "key \"orders\" { }\ntable \"orders\" {\n  partition_key = \"id\"\n  key = orders\n}\n",
    );
    b.clean();
}

#[test]
fn one_per_site_blocks_and_nested_singletons_and_rule_names_are_unique() {
    let b = site_with(concat!(
        "monitoring { }\nmonitoring { }\n",
        "aurora \"db\" {\n  engine_version = 14.9\n  serverless {\n    min_capacity = 1\n    max_capacity = 4\n  }\n  serverless {\n    min_capacity = 2\n    max_capacity = 8\n  }\n}\n",
        "backup \"b\" {\n  covers = [db]\n  rule \"r\" {\n    every = 1h\n    retain = 35d\n  }\n  rule \"r\" {\n    every = 1d\n    retain = 35d\n  }\n}\n",
    ));
    let texts: Vec<String> = b
        .diags
        .iter()
        .map(|d| format!("{} {}", d.code.code, b.primary_text(d)))
        .collect();
    assert_eq!(
        texts,
        [
            "DRS0101 monitoring",
            "DRS0101 serverless",
            "DRS0101 rule \"r\""
        ]
    );
    let m = b.model();
    assert_eq!(
        m.databases[0]
            .serverless
            .as_ref()
            .map(|s| s.value.max_capacity),
        Some(4)
    );
    assert_eq!(m.backups[0].rules.len(), 1);
}

#[test]
fn an_unknown_reference_suggests_a_declared_name() {
    let b =
        site_with("key \"data\" { }\ntable \"t\" {\n  partition_key = \"id\"\n  key = dat\n}\n");
    let d = b.one("DRS0102");
    assert_eq!(d.message, "no `key` named `dat`");
    assert_eq!(b.primary_text(d), "dat");
    assert_eq!(d.help.as_deref(), Some("did you mean `data`?"));
    // The reference is kept, unresolved.
    assert_eq!(
        b.model().tables[0].key.as_ref().map(|k| k.name.as_str()),
        Some("dat")
    );
}

#[test]
fn an_unknown_reference_without_a_near_name_says_how_to_declare_it() {
    let b = site_with("backup \"b\" {\n  covers = [zzz]\n  rule \"r\" {\n    every = 1h\n    retain = 35d\n  }\n}\n");
    let d = b.one("DRS0102");
    assert_eq!(d.message, "no `aurora` or `table` or `bucket` named `zzz`");
    assert!(d
        .help
        .as_deref()
        .is_some_and(|h| h.contains("aurora \"zzz\"")));
}

#[test]
fn a_reference_to_the_wrong_kind_says_what_it_is() {
    let b = site_with("key \"data\" { }\naurora \"ledger\" {\n  engine_version = 14.9\n}\nfunction \"f\" {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  inline = \"x\"\n  connects = [data]\n}\n");
    let d = b.one("DRS0103");
    assert_eq!(
        d.message,
        "`data` is a `key`, but `connects` expects an `aurora`"
    );
    assert_eq!(b.primary_text(d), "data");
    assert_eq!(b.db.snippet(d.secondary[0].span), "key \"data\"");
}

#[test]
fn a_reference_to_the_wrong_kind_lists_every_accepted_kind() {
    let b = site_with("key \"data\" { }\nbackup \"b\" {\n  covers = [data]\n  rule \"r\" {\n    every = 1h\n    retain = 35d\n  }\n}\n");
    let d = b.one("DRS0103");
    assert_eq!(
        d.message,
        "`data` is a `key`, but `covers` expects an `aurora`, `table` or `bucket`"
    );
}

#[test]
fn a_name_of_two_accepted_kinds_is_ambiguous() {
    let b = site_with("table \"events\" {\n  partition_key = \"id\"\n}\nbucket \"events\" { }\nbackup \"b\" {\n  covers = [events]\n  rule \"r\" {\n    every = 1h\n    retain = 35d\n  }\n}\n");
    let d = b.one("DRS0104");
    assert_eq!(d.message, "`events` names both a `table` and a `bucket`");
    assert_eq!(d.secondary.len(), 2);
}

#[test]
fn a_name_listed_twice_is_a_warning_and_kept_once() {
    let b = site_with("table \"t\" {\n  partition_key = \"id\"\n}\nbackup \"b\" {\n  covers = [t, t]\n  rule \"r\" {\n    every = 1h\n    retain = 35d\n  }\n}\n");
    let d = b.one("DRS0105");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.message, "`covers` names `t` twice");
    assert_eq!(b.model().backups[0].covers.len(), 1);
}

// ---------------------------------------------------------------------------
// Required and exclusive attributes
// ---------------------------------------------------------------------------

#[test]
fn a_missing_required_attribute_is_reported_with_an_example_and_the_model_still_builds() {
    let b = build(&SITE.replace("  rpo         = 1h\n", ""));
    let d = b.one("DRS0034");
    assert_eq!(d.message, "`site \"t\"` is missing `rpo`");
    assert_eq!(b.primary_text(d), "site \"t\"");
    assert_eq!(d.help.as_deref(), Some("add a line such as `rpo = 1h`"));
    let m = b.model();
    assert_eq!(m.site.rpo.span, m.site.span);
    assert_eq!(m.site.rto.value.as_secs(), 4 * 3_600);
}

#[test]
fn a_missing_required_reference_gets_an_example_from_the_declarations() {
    let b = site_with("aurora \"ledger\" {\n  engine_version = 14.9\n}\nfailover { }\n");
    let d = b.one("DRS0034");
    assert_eq!(d.message, "`failover` is missing `database`");
    assert_eq!(
        d.help.as_deref(),
        Some("add a line such as `database = ledger`")
    );
    assert_eq!(
        b.model()
            .failover
            .as_ref()
            .map(|f| f.database.name.as_str()),
        Some("")
    );
}

#[test]
fn missing_required_attributes_of_nested_blocks_are_reported() {
    let b = site_with("backup \"b\" {\n  rule \"r\" {\n    every = 1h\n  }\n}\n");
    let texts: Vec<String> = b.diags.iter().map(|d| d.message.to_string()).collect();
    assert_eq!(
        texts,
        [
            "`backup \"b\"` is missing `covers`",
            "`rule \"r\"` is missing `retain`"
        ]
    );
}

#[test]
fn a_function_needs_source_or_inline() {
    let b =
        site_with("function \"f\" {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n}\n");
    let d = b.one("DRS0034");
    assert_eq!(d.message, "`function \"f\"` needs `source` or `inline`");
    assert_eq!(b.model().functions.len(), 1);
}

#[test]
fn a_function_with_source_and_inline_conflicts() {
    let b = site_with("function \"f\" {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  source = \"functions/f\"\n  inline = \"x\"\n}\n");
    let d = b.one("DRS0106");
    assert_eq!(
        d.message,
        "`function \"f\"` sets both `source` and `inline`"
    );
    assert_eq!(b.primary_text(d), "\"x\"");
    let f = &b.model().functions[0];
    assert_eq!(
        f.code.value,
        CodeSource::Directory(b.dir.join("functions/f"))
    );
}

#[test]
fn dns_zone_alternatives() {
    let dns = |zone: &str| {
        site_with(&format!("dns \"api\" {{\n{zone}\n  record = \"api.example.com\"\n  primary_endpoint = \"a.example.com\"\n  secondary_endpoint = \"b.example.com\"\n}}\n"))
    };
    let b = dns("  zone = \"example.com\"\n  create_zone = true");
    b.clean();
    assert_eq!(
        b.model().dns[0].zone.value,
        Zone::Create("example.com".to_string())
    );
    let b = dns("  zone_id = \"Z123\"");
    b.clean();
    assert_eq!(
        b.model().dns[0].zone.value,
        Zone::ExistingId("Z123".to_string())
    );
    let b = dns("");
    assert_eq!(
        b.one("DRS0034").message,
        "`dns \"api\"` needs `zone` or `zone_id`"
    );
    let b = dns("  zone = \"example.com\"\n  zone_id = \"Z123\"");
    assert_eq!(b.primary_text(b.one("DRS0106")), "\"Z123\"");
    let b = dns("  zone_id = \"Z123\"\n  create_zone = true");
    let d = b.one("DRS0106");
    assert_eq!(b.primary_text(d), "true");
    assert_eq!(
        d.message,
        "`dns \"api\"` sets both `zone_id` and `create_zone`"
    );
}

#[test]
fn an_instance_class_beside_serverless_conflicts() {
    let b = site_with("aurora \"db\" {\n  engine_version = 14.9\n  instance_class = \"db.r6g.large\"\n  serverless {\n    min_capacity = 1\n    max_capacity = 4\n  }\n}\n");
    let d = b.one("DRS0106");
    assert_eq!(b.primary_text(d), "\"db.r6g.large\"");
    assert_eq!(b.model().databases[0].instance_class.value, "db.serverless");
}

// ---------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------

#[test]
fn a_file_with_syntax_errors_still_yields_a_model() {
    let mut db = SourceDb::new();
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("broken.drs");
    let text = format!(
        "{SITE}\nbucket \"docs\" {{\n  versioning true\n}}\ntable \"t\" {{\n  partition_key = \"id\"\n  pitr = 5\n}}\n"
    );
    std::fs::write(&path, &text).expect("write");
    let outcome = driver::check_path(&mut db, &path);
    let codes: Vec<&str> = outcome.diagnostics.iter().map(|d| d.code.code).collect();
    assert!(codes.contains(&"DRS0004"), "{codes:?}");
    assert!(codes.contains(&"DRS0033"), "{codes:?}");
    let m = outcome.model.expect("a model despite the errors");
    assert_eq!(m.site.name, "t");
    // The broken bucket is in the model, partial: what did not parse is a hole.
    assert_eq!(m.buckets.len(), 1);
    assert!(m.in_hole(m.buckets[0].versioning.span));
    assert!(m.in_hole(m.buckets[0].span), "its header too");
    assert_eq!(m.tables.len(), 1);
    assert!(m.in_hole(m.tables[0].pitr.span), "the invalid value");
    assert!(!m.in_hole(m.site.rpo.span));
}

/// Deleting any one line of the reference site never panics, and the model is
/// missing only when an error says why.
#[test]
fn every_one_line_deletion_of_the_reference_site_is_handled() {
    let text = std::fs::read_to_string(spec_path()).expect("spec");
    let lines: Vec<&str> = text.lines().collect();
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("site.drs");
    for skip in 0..lines.len() {
        let edited: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        std::fs::write(&path, edited.join("\n")).expect("write");
        let mut db = SourceDb::new();
        let outcome = driver::check_path(&mut db, &path);
        if outcome.model.is_none() {
            assert!(
                outcome.has_errors(),
                "line {} deleted: no model and no error",
                skip + 1
            );
        }
    }
}

/// Every prefix of the reference site (cut at each line) is handled the same way.
#[test]
fn every_truncation_of_the_reference_site_is_handled() {
    let text = std::fs::read_to_string(spec_path()).expect("spec");
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("site.drs");
    for (cut, _) in text.match_indices('\n') {
        std::fs::write(&path, &text[..cut]).expect("write");
        let mut db = SourceDb::new();
        let outcome = driver::check_path(&mut db, &path);
        assert!(
            outcome.model.is_some() || outcome.has_errors(),
            "cut at {cut}: no model and no error"
        );
    }
}

#[test]
fn invalid_values_become_placeholders_only_beside_an_error() {
    let mut db = SourceDb::new();
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("site.drs");
    std::fs::write(&path, SITE.replace("rpo         = 1h", "rpo = \"1h\"")).expect("write");
    let outcome = driver::check_path(&mut db, &path);
    assert!(outcome.has_errors());
    let m = outcome.model.expect("a model");
    assert_eq!(db.snippet(m.site.rpo.span), "\"1h\"");
}

// ---------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------

#[test]
fn a_user_catalog_entry_replaces_the_stdlib_one_and_adds_new_ones() {
    let b = site_with("timing \"aurora_global_failover\" {\n  value = 10m\n  source = \"measured in our game day\"\n}\ntiming \"custom\" {\n  value = 1s\n  source = \"ours\"\n}\n");
    b.clean();
    let c = &b.model().catalog;
    let t = c.timing("aurora_global_failover").expect("timing");
    assert_eq!(t.value.as_secs(), 600);
    assert_eq!(b.file_of(t.span), "site.drs");
    assert!(c.timing("custom").is_some());
}

#[test]
fn two_user_catalog_entries_with_one_label_are_a_duplicate() {
    let b = site_with("timing \"x\" {\n  value = 1s\n  source = \"a\"\n}\ntiming \"x\" {\n  value = 2s\n  source = \"b\"\n}\n");
    assert_eq!(b.one("DRS0101").message, "`timing \"x\"` is declared twice");
}

// ---------------------------------------------------------------------------
// Suppressions
// ---------------------------------------------------------------------------

#[test]
fn suppressions_are_scoped_to_their_block_or_file() {
    let b = site_with("allow DRS0105 \"file-wide\"\ntable \"t\" {\n  allow DRS0103 \"mixed up on purpose\"\n  partition_key = \"id\"\n}\n");
    b.clean();
    let m = b.model();
    let [file_wide, in_table] = &m.suppressions[..] else {
        panic!("{:?}", m.suppressions)
    };
    assert_eq!(file_wide.code, "DRS0105");
    assert_eq!(file_wide.reason, "file-wide");
    let root = b.program.root.expect("root");
    assert_eq!(file_wide.scope, Span::new(root, 0, b.db.text(root).len()));
    assert_eq!(in_table.code, "DRS0103");
    assert!(b.db.snippet(in_table.scope).starts_with("table \"t\" {"));
    assert!(b.db.snippet(in_table.scope).ends_with('}'));
    assert!(b.db.snippet(in_table.span).starts_with("allow DRS0103"));
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

#[test]
fn query_finds_declarations_references_and_attributes() {
    let b = site_with("## The data key.\nkey \"data\" {\n  rotation = true\n}\ntable \"t\" {\n  partition_key = \"id\"\n  key = data\n}\ndefaults \"table\" {\n  pitr_period = 7d\n}\n");
    b.clean();
    let m = b.model();
    let root = b.program.root.expect("root");
    let at = |needle: &str, delta: usize| query::at(m, &b.program, root, b.offset(needle, delta));

    match at("key \"data\"", 6) {
        Some(Hit::Declaration {
            kind,
            name,
            doc,
            span,
        }) => {
            assert_eq!((kind.as_str(), name.as_str()), ("key", "data"));
            assert_eq!(doc.as_deref(), Some("The data key."));
            assert_eq!(b.db.snippet(span), "key \"data\"");
        }
        other => panic!("{other:?}"),
    }
    match at("key = data", 7) {
        Some(Hit::Reference {
            name,
            target_kind,
            target,
            ..
        }) => {
            assert_eq!(name, "data");
            assert_eq!(target_kind.as_deref(), Some("key"));
            assert_eq!(target.map(|t| b.db.snippet(t)), Some("key \"data\""));
        }
        other => panic!("{other:?}"),
    }
    match at("primary", 1) {
        Some(Hit::Attribute {
            block_kind,
            name,
            value,
            origin,
            ..
        }) => {
            assert_eq!((block_kind.as_str(), name.as_str()), ("site", "primary"));
            assert_eq!(value, "us-east-1");
            assert_eq!(origin, Origin::Written);
        }
        other => panic!("{other:?}"),
    }
    match at("us-east-1", 2) {
        Some(Hit::Reference {
            target_kind,
            target,
            ..
        }) => {
            assert_eq!(target_kind.as_deref(), Some("region"));
            assert_eq!(
                target.map(|t| b.file_of(t).to_string()).as_deref(),
                Some("std/regions")
            );
        }
        other => panic!("{other:?}"),
    }
    match at("pitr_period", 0) {
        Some(Hit::Attribute {
            block_kind,
            value,
            origin: Origin::Default(span),
            ..
        }) => {
            assert_eq!(block_kind, "table");
            assert_eq!(value, "7d");
            assert_eq!(b.db.snippet(span), "pitr_period = 7d");
        }
        other => panic!("{other:?}"),
    }
    match at("partition_key", 3) {
        Some(Hit::Attribute { value, .. }) => assert_eq!(value, "\"id\""),
        other => panic!("{other:?}"),
    }
}

#[test]
fn query_on_an_unresolved_reference_has_no_target() {
    let b = site_with("table \"t\" {\n  partition_key = \"id\"\n  key = nope\n}\n");
    let root = b.program.root.expect("root");
    match query::at(b.model(), &b.program, root, b.offset("nope", 1)) {
        Some(Hit::Reference { name, target, .. }) => {
            assert_eq!(name, "nope");
            assert_eq!(target, None);
        }
        other => panic!("{other:?}"),
    }
    // Between blocks there is nothing.
    assert_eq!(
        query::at(b.model(), &b.program, root, b.offset("}\n\ntable", 2)),
        None
    );
}

#[test]
fn query_resolves_runtimes_in_the_catalog() {
    let b = site_with("function \"f\" {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  inline = \"x\"\n  reads = [t]\n}\ntable \"t\" {\n  partition_key = \"id\"\n}\n");
    b.clean();
    let root = b.program.root.expect("root");
    let hit = query::at(b.model(), &b.program, root, b.offset("python3.12", 2));
    assert!(
        matches!(&hit, Some(Hit::Reference { target_kind: Some(k), .. }) if k == "runtime"),
        "{hit:?}"
    );
    let hit = query::at(b.model(), &b.program, root, b.offset("reads = [t]", 9));
    assert!(
        matches!(&hit, Some(Hit::Reference { target_kind: Some(k), .. }) if k == "table"),
        "{hit:?}"
    );
}
