//! Mutation tests: `specs/transactions.drs` is clean, and breaking any one
//! requirement of it by a text replacement makes the rule for that requirement
//! fire, at the line that was changed (or the line named by the mutation).

use drsc::diagnostic::{Diagnostic, Severity};
use drsc::driver;
use drsc::source::SourceDb;
use std::path::Path;

const SPEC: &str = "specs/transactions.drs";

/// One broken requirement.
struct Mutation {
    /// The R-id of `shared/mission-requirements.md` the mutation breaks.
    requirement: &'static str,
    what: &'static str,
    /// Text replacements; each `find` must occur in the spec exactly once (or `all`).
    edits: &'static [Edit],
    code: &'static str,
    severity: Severity,
    /// Text on the line the diagnostic must point at, in the mutated file;
    /// `None`: the first line the first edit changed.
    at: Option<&'static str>,
}

struct Edit {
    find: &'static str,
    replace: &'static str,
    all: bool,
}

const fn once(find: &'static str, replace: &'static str) -> Edit {
    Edit {
        find,
        replace,
        all: false,
    }
}

const fn everywhere(find: &'static str, replace: &'static str) -> Edit {
    Edit {
        find,
        replace,
        all: true,
    }
}

use Severity::{Error, Warning};

const MUTATIONS: &[Mutation] = &[
    // R1: the region pair.
    Mutation {
        requirement: "R1",
        what: "secondary = primary",
        edits: &[once("secondary   = us-west-2", "secondary   = us-east-1")],
        code: "DRS0201",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R1",
        what: "a region that does not exist",
        edits: &[once("secondary   = us-west-2", "secondary   = us-west-9")],
        code: "DRS0200",
        severity: Error,
        at: None,
    },
    // R2: the objectives proof.
    Mutation {
        requirement: "R2",
        what: "documents replicated without RTC miss the 1h RPO",
        edits: &[once("replication = rtc", "replication = standard")],
        code: "DRS0400",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R2",
        what: "RTO shorter than the failover estimate",
        edits: &[once("rto         = 4h", "rto         = 10m")],
        code: "DRS0401",
        severity: Error,
        at: Some("failover {"),
    },
    Mutation {
        requirement: "R2",
        what: "slow probing pushes the estimate past the RTO",
        edits: &[
            once("probe_every     = 1m", "probe_every     = 1h"),
            once("alarm_after     = 3", "alarm_after     = 5"),
        ],
        code: "DRS0401",
        severity: Error,
        at: Some("failover {"),
    },
    // R3: physical names.
    Mutation {
        requirement: "R3",
        what: "suffix with capitals and an underscore",
        edits: &[once("suffix      = \"txn01\"", "suffix      = \"TXN_01\"")],
        code: "DRS0270",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R3",
        what: "bucket name over 63 characters",
        edits: &[everywhere(
            "documents",
            "customer_identity_verification_documents",
        )],
        code: "DRS0271",
        severity: Error,
        at: Some("bucket \"customer_identity_verification_documents\""),
    },
    // R4: tags.
    Mutation {
        requirement: "R4",
        what: "a user tag overrides Environment with a wrong value",
        edits: &[once(
            "    Owner       = \"platform-sre\"\n",
            "    Owner       = \"platform-sre\"\n    Environment = \"Prod\"\n",
        )],
        code: "DRS0260",
        severity: Error,
        at: Some("Environment = \"Prod\""),
    },
    Mutation {
        requirement: "R4",
        what: "a tag value AWS rejects",
        edits: &[once("\"platform-sre\"", "\"platform#sre\"")],
        code: "DRS0261",
        severity: Error,
        at: None,
    },
    // R5: Aurora PostgreSQL global database of a supported major.
    Mutation {
        requirement: "R5",
        what: "engine 13.x",
        edits: &[once("engine_version = 14.17", "engine_version = 13.7")],
        code: "DRS0210",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R5",
        what: "burstable instance class",
        edits: &[once(
            "  serverless {\n    min_capacity = 1\n    max_capacity = 16\n  }\n",
            "  instance_class = \"db.t4g.medium\"\n",
        )],
        code: "DRS0211",
        severity: Error,
        at: Some("instance_class = \"db.t4g.medium\""),
    },
    // R6: automated failover.
    Mutation {
        requirement: "R6",
        what: "manual failover",
        edits: &[once(
            "  allow_data_loss = true\n",
            "  allow_data_loss = true\n  mode            = manual\n",
        )],
        code: "DRS0402",
        severity: Error,
        at: Some("mode            = manual"),
    },
    Mutation {
        requirement: "R6",
        what: "switchover instead of failover",
        edits: &[once("allow_data_loss = true", "allow_data_loss = false")],
        code: "DRS0326",
        severity: Warning,
        at: None,
    },
    // R7: PITR on every replica.
    Mutation {
        requirement: "R7",
        what: "PITR off",
        edits: &[once("pitr          = true", "pitr          = false")],
        code: "DRS0220",
        severity: Error,
        at: None,
    },
    // R8: customer-managed keys for the databases.
    Mutation {
        requirement: "R8",
        what: "Aurora without a key",
        edits: &[once(
            "  database       = \"ledger\"\n  key            = data\n",
            "  database       = \"ledger\"\n",
        )],
        code: "DRS0214",
        severity: Error,
        at: Some("aurora \"ledger\""),
    },
    Mutation {
        requirement: "R8",
        what: "table without a key",
        edits: &[once(
            "  pitr          = true\n  key           = data\n",
            "  pitr          = true\n",
        )],
        code: "DRS0221",
        severity: Error,
        at: Some("table \"transaction_meta\""),
    },
    Mutation {
        requirement: "R8",
        what: "Aurora storage unencrypted",
        edits: &[once(
            "  instances      = 2",
            "  storage_encrypted = false\n  instances      = 2",
        )],
        code: "DRS0213",
        severity: Error,
        at: Some("storage_encrypted = false"),
    },
    // R9: document buckets.
    Mutation {
        requirement: "R9",
        what: "versioning off",
        edits: &[once("versioning  = true", "versioning  = false")],
        code: "DRS0230",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R9",
        what: "replication none",
        edits: &[once("replication = rtc", "replication = none")],
        code: "DRS0232",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R9",
        what: "replication without RTC under finserv",
        edits: &[once("replication = rtc", "replication = standard")],
        code: "DRS0233",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R9",
        what: "public access allowed",
        edits: &[once(
            "  versioning  = true\n",
            "  versioning  = true\n  public_access = allowed\n",
        )],
        code: "DRS0234",
        severity: Error,
        at: Some("public_access = allowed"),
    },
    Mutation {
        requirement: "R9",
        what: "bucket without a key",
        edits: &[once(
            "  key         = data\n  versioning  = true\n",
            "  versioning  = true\n",
        )],
        code: "DRS0231",
        severity: Error,
        at: Some("bucket \"documents\""),
    },
    // R10: functions.
    Mutation {
        requirement: "R10",
        what: "deprecated runtime",
        edits: &[once("\"python3.12\"", "\"python3.9\"")],
        code: "DRS0311",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R10",
        what: "Python older than 3.9",
        edits: &[once("\"python3.12\"", "\"python3.8\"")],
        code: "DRS0312",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R10",
        what: "a runtime that is not Python",
        edits: &[once("\"python3.12\"", "\"nodejs20.x\"")],
        code: "DRS0310",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R10",
        what: "memory below 128MiB",
        edits: &[once(
            "memory               = 512MiB",
            "memory               = 64MiB",
        )],
        code: "DRS0313",
        severity: Error,
        at: None,
    },
    // R12: backup schedule, retention, cross-region copy.
    Mutation {
        requirement: "R12",
        what: "backup every 2h against a 1h RPO (finserv demands backups meeting it)",
        edits: &[once("every       = 1h", "every       = 2h")],
        code: "DRS0280",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R12",
        what: "retain 7d under finserv's 35d minimum",
        edits: &[once("retain      = 35d", "retain      = 7d")],
        code: "DRS0282",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R12",
        what: "no rule copies to the secondary",
        edits: &[
            once(
                "    copy_retain = 35d\n",
                "    copy_retain = 35d\n    copy        = false\n",
            ),
            once(
                "    copy_retain = 7y\n",
                "    copy_retain = 7y\n    copy        = false\n",
            ),
        ],
        code: "DRS0281",
        severity: Error,
        at: Some("backup \"dr\""),
    },
    Mutation {
        requirement: "R12",
        what: "an interval with no even cron schedule",
        edits: &[once("every       = 7d", "every       = 5h")],
        code: "DRS0288",
        severity: Error,
        at: None,
    },
    // R13: backup selections.
    Mutation {
        requirement: "R13",
        what: "the table left out of the backup plan",
        edits: &[once(
            "covers     = [ledger, transaction_meta, documents]",
            "covers     = [ledger, documents]",
        )],
        code: "DRS0284",
        severity: Error,
        at: Some("table \"transaction_meta\""),
    },
    // R14: vault lock.
    Mutation {
        requirement: "R14",
        what: "vault_lock none under finserv",
        edits: &[once("vault_lock = compliance", "vault_lock = none")],
        code: "DRS0285",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R14",
        what: "copies kept beyond the lock's maximum",
        edits: &[once("copy_retain = 7y", "copy_retain = 8y")],
        code: "DRS0287",
        severity: Error,
        at: None,
    },
    // R15–R17: DNS.
    Mutation {
        requirement: "R15",
        what: "the health-checked endpoint is also the secondary's",
        edits: &[once(
            "serves            = ingest",
            "primary_endpoint   = \"api-use1.bank.example.com\"\n  secondary_endpoint = \"api-use1.bank.example.com\"",
        )],
        code: "DRS0321",
        severity: Error,
        at: Some("secondary_endpoint"),
    },
    Mutation {
        requirement: "R15",
        what: "the records point at front doors the site does not build",
        edits: &[once(
            "serves            = ingest",
            "primary_endpoint   = \"api-use1.bank.example.com\"\n  secondary_endpoint = \"api-usw2.bank.example.com\"",
        )],
        code: "DRS0327",
        severity: Warning,
        at: None,
    },
    Mutation {
        requirement: "R16",
        what: "record outside the hosted zone",
        edits: &[once(
            "record            = \"api.bank.example.com\"",
            "record            = \"api.bank.example.org\"",
        )],
        code: "DRS0322",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R17",
        what: "a TTL on records that alias the front doors",
        edits: &[once(
            "health_path       = \"/health\"",
            "health_path       = \"/health\"\n  ttl               = 300s",
        )],
        code: "DRS0328",
        severity: Error,
        at: Some("ttl               = 300s"),
    },
    Mutation {
        requirement: "R17",
        what: "failover does not shift DNS",
        edits: &[once("  dns             = api\n", "")],
        code: "DRS0323",
        severity: Warning,
        at: Some("failover {"),
    },
    // R21: key rotation.
    Mutation {
        requirement: "R21",
        what: "rotation off",
        edits: &[once("rotation        = true", "rotation        = false")],
        code: "DRS0240",
        severity: Error,
        at: None,
    },
    // R23: TLS only.
    Mutation {
        requirement: "R23",
        what: "plain HTTP allowed",
        edits: &[once(
            "  versioning  = true\n",
            "  versioning  = true\n  tls_only    = false\n",
        )],
        code: "DRS0235",
        severity: Error,
        at: Some("tls_only    = false"),
    },
    // R24: deletion protection.
    Mutation {
        requirement: "R24",
        what: "deletion protection off in production",
        edits: &[once(
            "  billing       = on_demand\n",
            "  billing       = on_demand\n  deletion_protection = false\n",
        )],
        code: "DRS0250",
        severity: Error,
        at: Some("deletion_protection = false"),
    },
    // R26: network.
    Mutation {
        requirement: "R26",
        what: "overlapping CIDRs",
        edits: &[once(
            "secondary_cidr = 10.20.0.0/16",
            "secondary_cidr = 10.10.128.0/17",
        )],
        code: "DRS0300",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R26",
        what: "one zone",
        edits: &[once("zones          = 2", "zones          = 1")],
        code: "DRS0301",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R26",
        what: "more zones than us-west-2 has",
        edits: &[once("zones          = 2", "zones          = 5")],
        code: "DRS0302",
        severity: Error,
        at: None,
    },
    // R27: no single point of failure.
    Mutation {
        requirement: "R27",
        what: "one Aurora instance per region",
        edits: &[once("instances      = 2", "instances      = 1")],
        code: "DRS0212",
        severity: Error,
        at: None,
    },
    // R28: record retention.
    Mutation {
        requirement: "R28",
        what: "records kept 5 years instead of 7",
        edits: &[once("retain      = 7y", "retain      = 5y")],
        code: "DRS0283",
        severity: Error,
        at: None,
    },
    Mutation {
        requirement: "R28",
        what: "cold storage too close to the end of retention",
        edits: &[once("cold_after  = 90d", "cold_after  = 7y")],
        code: "DRS0286",
        severity: Error,
        at: Some("retain      = 7y"),
    },
];

fn spec_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SPEC))
        .expect("specs/transactions.drs")
}

/// Checks `text` as if it were `specs/transactions.drs`.
fn check(text: String) -> (SourceDb, Vec<Diagnostic>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut db = SourceDb::new();
    let id = db.add(SPEC, Some(root.join(SPEC)), text);
    let outcome = driver::check_file(&mut db, id, &root.join("specs"));
    (db, outcome.diagnostics)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn apply(m: &Mutation, original: &str) -> (String, usize) {
    let mut text = original.to_string();
    let mut first_line = None;
    for e in m.edits {
        let n = text.matches(e.find).count();
        assert!(
            n == 1 || (e.all && n > 0),
            "{} ({}): `{}` occurs {n} times in the spec",
            m.requirement,
            m.what,
            e.find
        );
        let at = text.find(e.find).unwrap_or(0);
        // The first line where the replacement differs from the original.
        let common = e
            .find
            .bytes()
            .zip(e.replace.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        first_line.get_or_insert(line_of(&text, at + common));
        text = if e.all {
            text.replace(e.find, e.replace)
        } else {
            text.replacen(e.find, e.replace, 1)
        };
    }
    let line = match m.at {
        Some(anchor) => {
            let offset = text
                .find(anchor)
                .unwrap_or_else(|| panic!("{}: anchor `{anchor}` not in the mutated text", m.what));
            line_of(&text, offset)
        }
        None => first_line.unwrap_or(1),
    };
    (text, line)
}

#[test]
fn the_reference_site_is_clean() {
    let (db, diags) = check(spec_text());
    assert!(
        diags.is_empty(),
        "{}",
        drsc::diagnostic::human::render_to_string(&db, &diags)
    );
}

#[test]
fn each_mutation_fires_its_rule_at_the_mutated_line() {
    let original = spec_text();
    let mut failures = Vec::new();
    for m in MUTATIONS {
        let (text, line) = apply(m, &original);
        let (db, diags) = check(text);
        let found = diags.iter().any(|d| {
            d.code.code == m.code
                && d.severity == m.severity
                && d.span().is_some_and(|s| {
                    db.get(s.file).name == SPEC
                        && db.get(s.file).human_position(s.start as usize).0 == line
                })
        });
        if !found {
            failures.push(format!(
                "{} ({}): expected {} {} at line {line}, got:\n{}",
                m.requirement,
                m.what,
                m.severity.as_str(),
                m.code,
                drsc::diagnostic::human::render_to_string(&db, &diags)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n-----\n"));
}

#[test]
fn every_requirement_with_a_rule_has_a_mutation() {
    // Requirements whose rules live in src/checks (R11, R18–R20, R22, R25 are emitted
    // or checked elsewhere; R29, R30 have no rule).
    let with_rules = [
        "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R12", "R13", "R14", "R15",
        "R16", "R17", "R21", "R23", "R24", "R26", "R27", "R28",
    ];
    for r in with_rules {
        assert!(
            MUTATIONS.iter().any(|m| m.requirement == r),
            "no mutation breaks {r}"
        );
    }
}
