//! Syntax blocks → typed model structs, one function per block kind. Spans of
//! declarations cover the block header (`kind "label"`); spans of values cover
//! the value text, in the defaults file when a default supplied it.

use super::attrs::{Blk, Builder, Got};
use super::resolve::{duplicate, header, Decl};
use super::types::*;
use super::values;
use crate::source::Span;
use crate::syntax::ast::{Block, Cidr, Version};
use crate::units::{DataSize, Duration, Percent, SizeUnit};
use std::collections::BTreeMap;
use std::path::PathBuf;

const NO_CIDR: Cidr = Cidr {
    addr: [0; 4],
    prefix: 0,
};

impl<'a> Builder<'a> {
    /// The effective attributes of a declaration.
    fn decl_blk(&self, d: &Decl<'a>) -> Blk<'a> {
        Blk {
            schema: d.schema,
            name: d.name.to_string(),
            title: d.block.title(),
            header: d.header(),
            attrs: self.defaults.apply(d.kind(), None, Some(d.block)),
            broken: self.broken(d.block),
        }
    }

    fn decls_of(&self, kind: &str) -> Vec<Decl<'a>> {
        self.decls.of_kind(kind).copied().collect()
    }

    /// The one nested block of a one-per-parent kind; repeats are reported.
    fn child(&mut self, parent: &'a Block, kind: &str) -> Option<&'a Block> {
        let mut found = parent.blocks().filter(|b| b.kind.text == kind);
        let first = found.next()?;
        for again in found {
            self.diags
                .push(duplicate(kind, "", true, header(first), header(again)));
        }
        Some(first)
    }

    /// Nested blocks of a named kind (`rule`); repeated names are reported and dropped.
    fn children(&mut self, parent: &'a Block, kind: &str) -> Vec<&'a Block> {
        let mut out: Vec<&'a Block> = Vec::new();
        for b in parent.blocks().filter(|b| b.kind.text == kind) {
            let name = b.label.as_ref().map(|l| l.text.as_str());
            let first = out
                .iter()
                .find(|o| name.is_some() && o.label.as_ref().map(|l| l.text.as_str()) == name);
            match first {
                Some(first) => self.diags.push(duplicate(
                    kind,
                    name.unwrap_or_default(),
                    false,
                    header(first),
                    header(b),
                )),
                None => out.push(b),
            }
        }
        out
    }

    /// The effective attributes of a nested block, or of its defaults when it
    /// is not written (`at` is then where diagnostics point).
    fn nested(&mut self, parent: &'a Block, kind: &str, at: Span) -> Option<Blk<'a>> {
        match self.child(parent, kind) {
            Some(b) => self.blk(b, Some(&parent.kind.text)),
            None => self.implicit(kind, Some(&parent.kind.text), at),
        }
    }

    /// A free-form string map (`tags`, `environment`).
    fn string_map(&self, blk: &Blk) -> BTreeMap<String, Spanned<String>> {
        blk.attrs
            .iter()
            .filter_map(|(k, _)| Some((k.to_string(), self.opt(blk, k, values::string)?)))
            .collect()
    }

    /// A reference the block cannot do without.
    fn need_ref(&mut self, blk: &Blk, key: &str) -> Ref {
        match self.reference(blk, key) {
            Got::Value(v) => v.value,
            Got::Invalid(span) => Ref {
                name: String::new(),
                span,
            },
            Got::Absent => {
                self.missing(blk, key);
                Ref {
                    name: String::new(),
                    span: blk.header,
                }
            }
        }
    }

    pub fn site(&mut self, d: &Decl<'a>) -> Site {
        let blk = self.decl_blk(d);
        let tags = self
            .nested(d.block, "tags", blk.header)
            .map(|t| self.string_map(&t))
            .unwrap_or_default();
        Site {
            name: blk.name.clone(),
            span: blk.header,
            primary: self.need(&blk, "primary", values::region, String::new()),
            secondary: self.need(&blk, "secondary", values::region, String::new()),
            rpo: self.need(&blk, "rpo", values::duration, Duration::seconds(0)),
            rto: self.need(&blk, "rto", values::duration, Duration::seconds(0)),
            environment: self.need(
                &blk,
                "environment",
                values::environment,
                Environment::Production,
            ),
            suffix: self.need(&blk, "suffix", values::string, String::new()),
            log_retention: self.need(
                &blk,
                "log_retention",
                values::duration,
                Duration::seconds(365 * 86_400),
            ),
            tags,
            profile: self.reference(&blk, "profile").ok().map(|r| r.value),
            deployer: self
                .opt(&blk, "deployer", values::string)
                .filter(|d| self.principal_arn("deployer", d)),
            active: self.opt(&blk, "active", values::role),
        }
    }

    /// The strings of a list attribute, each with its own span.
    fn string_items(&self, blk: &Blk, key: &str) -> Vec<Spanned<String>> {
        let Some(e) = blk.attrs.get(key) else {
            return Vec::new();
        };
        values::items(&e.attr.value.kind)
            .unwrap_or_default()
            .iter()
            .filter_map(|i| {
                Some(Spanned {
                    value: values::string(&i.kind)?,
                    span: i.span,
                    origin: e.origin,
                })
            })
            .collect()
    }

    /// Whether `v` is an IAM role or user ARN; DRS0107 at its span otherwise.
    fn principal_arn(&mut self, attr: &str, v: &Spanned<String>) -> bool {
        let Err(why) = values::principal_arn(&v.value) else {
            return true;
        };
        self.diags.push(
            crate::diagnostic::Diagnostic::new(
                &super::codes::MALFORMED_PRINCIPAL_ARN,
                format!(
                    "`{attr}` expects an IAM role or user ARN, found `{}`",
                    v.value
                ),
            )
            .at(v.span, why)
            .help("write `arn:aws:iam::<account id>:role/<name>` (or `:user/<name>`) of a principal that exists"),
        );
        false
    }

    /// The profile as it applies to a site of `environment`: the demands of its
    /// `when <environment> { ... }` block replace the profile's own.
    pub fn profile(&mut self, d: &Decl<'a>, environment: Option<Environment>) -> Profile {
        let blk = self.decl_blk(d);
        let mut profile = self.profile_demands(&blk);
        let Some(env) = environment else {
            return profile;
        };
        for child in self.children(d.block, "when") {
            let Some(eb) = self.blk(child, Some("profile")) else {
                continue;
            };
            if eb.name != env.as_str() {
                continue;
            }
            let o = self.profile_overrides(&eb);
            profile.require_key_rotation = o.require_key_rotation.or(profile.require_key_rotation);
            profile.require_deletion_protection = o
                .require_deletion_protection
                .or(profile.require_deletion_protection);
            profile.require_pitr = o.require_pitr.or(profile.require_pitr);
            profile.require_replication_time_control = o
                .require_replication_time_control
                .or(profile.require_replication_time_control);
            profile.required_tags = o.required_tags.or(profile.required_tags);
            profile.min_backup_retention = o.min_backup_retention.or(profile.min_backup_retention);
            profile.record_retention = o.record_retention.or(profile.record_retention);
            profile.vault_lock = o.vault_lock.or(profile.vault_lock);
            profile.require_restore_tests =
                o.require_restore_tests.or(profile.require_restore_tests);
            profile.require_isolated_copy =
                o.require_isolated_copy.or(profile.require_isolated_copy);
            profile.require_drill = o.require_drill.or(profile.require_drill);
            profile.require_backups_meeting_rpo = o
                .require_backups_meeting_rpo
                .or(profile.require_backups_meeting_rpo);
        }
        profile
    }

    /// The demands written in one block (the profile, or one of its environments).
    fn profile_overrides(&mut self, blk: &Blk) -> Profile {
        Profile {
            name: blk.name.clone(),
            span: blk.header,
            require_key_rotation: self.opt(blk, "require_key_rotation", values::boolean),
            require_deletion_protection: self.opt(
                blk,
                "require_deletion_protection",
                values::boolean,
            ),
            require_pitr: self.opt(blk, "require_pitr", values::boolean),
            require_replication_time_control: self.opt(
                blk,
                "require_replication_time_control",
                values::boolean,
            ),
            required_tags: self.opt(blk, "required_tags", |v| values::list(v, values::string)),
            min_backup_retention: self.opt(blk, "min_backup_retention", values::duration),
            record_retention: self.opt(blk, "record_retention", values::duration),
            vault_lock: self.opt(blk, "vault_lock", values::vault_lock),
            require_restore_tests: self.opt(blk, "require_restore_tests", values::boolean),
            require_isolated_copy: self.opt(blk, "require_isolated_copy", values::boolean),
            require_drill: self.opt(blk, "require_drill", values::boolean),
            require_backups_meeting_rpo: self.opt(
                blk,
                "require_backups_meeting_rpo",
                values::boolean,
            ),
            unsuppressible: Vec::new(),
        }
    }

    /// The profile's own demands and its unsuppressible codes.
    fn profile_demands(&mut self, blk: &Blk) -> Profile {
        let unsuppressible = blk
            .attrs
            .get("unsuppressible")
            .and_then(|e| {
                let items = values::items(&e.attr.value.kind)?;
                Some(
                    items
                        .iter()
                        .filter_map(|i| {
                            Some(Spanned {
                                value: values::word(&i.kind)?.to_string(),
                                span: i.span,
                                origin: e.origin,
                            })
                        })
                        .collect(),
                )
            })
            .unwrap_or_default();
        Profile {
            unsuppressible,
            ..self.profile_overrides(blk)
        }
    }

    pub fn key(&mut self, d: &Decl<'a>) -> Key {
        let blk = self.decl_blk(d);
        Key {
            name: blk.name.clone(),
            span: blk.header,
            doc: d.block.doc.as_deref().map(str::to_string),
            rotation: self.need(&blk, "rotation", values::boolean, true),
            rotation_period: self.need(
                &blk,
                "rotation_period",
                values::duration,
                Duration::seconds(0),
            ),
            deletion_window: self.need(
                &blk,
                "deletion_window",
                values::duration,
                Duration::seconds(0),
            ),
            description: self
                .opt(&blk, "description", values::string)
                .map(|s| s.value),
            admins: self
                .string_items(&blk, "admins")
                .into_iter()
                .filter(|a| self.principal_arn("admins", a))
                .collect(),
        }
    }

    pub fn network(&mut self, d: &Decl<'a>) -> Network {
        let blk = self.decl_blk(d);
        Network {
            name: blk.name.clone(),
            span: blk.header,
            primary_cidr: self.need(&blk, "primary_cidr", values::cidr, NO_CIDR),
            secondary_cidr: self.need(&blk, "secondary_cidr", values::cidr, NO_CIDR),
            zones: self.need(&blk, "zones", values::int, 0),
            peering: self.need(&blk, "peering", values::boolean, false),
            subnet_prefix: self.need(&blk, "subnet_prefix", values::int, 0),
        }
    }

    pub fn aurora(&mut self, d: &Decl<'a>) -> Aurora {
        let blk = self.decl_blk(d);
        let serverless = self.child(d.block, "serverless").and_then(|b| {
            let s = self.blk(b, Some("aurora"))?;
            Some(Spanned::written(
                Serverless {
                    min_capacity: self.need(&s, "min_capacity", values::int, 0).value,
                    max_capacity: self.need(&s, "max_capacity", values::int, 0).value,
                },
                s.header,
            ))
        });
        let instance_class = match &serverless {
            None => self.need(&blk, "instance_class", values::string, String::new()),
            Some(s) => {
                if let Got::Value(c) = self.get(&blk, "instance_class", values::string) {
                    if c.origin == Origin::Written && c.value != "db.serverless" {
                        self.conflict(
                            &blk,
                            ("instance_class", c.span),
                            ("serverless", s.span),
                            "a `serverless` block makes every instance `db.serverless`; remove `instance_class` or the `serverless` block",
                        );
                    }
                }
                Spanned::written("db.serverless".to_string(), s.span)
            }
        };
        Aurora {
            name: blk.name.clone(),
            span: blk.header,
            doc: d.block.doc.as_deref().map(str::to_string),
            engine_version: self.need(
                &blk,
                "engine_version",
                values::version,
                Version {
                    parts: Box::default(),
                },
            ),
            database: self.opt(&blk, "database", values::string).map(|s| s.value),
            master_username: self.need(&blk, "master_username", values::string, String::new()),
            key: self.reference(&blk, "key").ok().map(|r| r.value),
            instances: self.need(&blk, "instances", values::int, 0),
            instance_class,
            serverless,
            backup_retention: self.need(
                &blk,
                "backup_retention",
                values::duration,
                Duration::seconds(0),
            ),
            deletion_protection: self.opt(&blk, "deletion_protection", values::boolean),
            port: self.need(&blk, "port", values::int, 0),
            storage_encrypted: self.need(&blk, "storage_encrypted", values::boolean, true),
        }
    }

    pub fn table(&mut self, d: &Decl<'a>) -> Table {
        let blk = self.decl_blk(d);
        let partition_key = (
            self.need(&blk, "partition_key", values::string, String::new())
                .value,
            self.need(
                &blk,
                "partition_key_type",
                values::key_type,
                KeyType::String,
            )
            .value,
        );
        let sort_key = self.opt(&blk, "sort_key", values::string).map(|k| {
            let ty = self.need(&blk, "sort_key_type", values::key_type, KeyType::String);
            (k.value, ty.value)
        });
        Table {
            name: blk.name.clone(),
            span: blk.header,
            doc: d.block.doc.as_deref().map(str::to_string),
            partition_key,
            sort_key,
            billing: self.need(&blk, "billing", values::billing, Billing::OnDemand),
            pitr: self.need(&blk, "pitr", values::boolean, true),
            pitr_period: self.need(&blk, "pitr_period", values::duration, Duration::seconds(0)),
            key: self.reference(&blk, "key").ok().map(|r| r.value),
            deletion_protection: self.opt(&blk, "deletion_protection", values::boolean),
            ttl_attribute: self
                .opt(&blk, "ttl_attribute", values::string)
                .map(|s| s.value),
        }
    }

    pub fn bucket(&mut self, d: &Decl<'a>) -> Bucket {
        let blk = self.decl_blk(d);
        Bucket {
            name: blk.name.clone(),
            span: blk.header,
            doc: d.block.doc.as_deref().map(str::to_string),
            key: self.reference(&blk, "key").ok().map(|r| r.value),
            versioning: self.need(&blk, "versioning", values::boolean, true),
            replication: self.need(&blk, "replication", values::replication, Replication::Rtc),
            public_access_blocked: self.need(
                &blk,
                "public_access",
                values::public_access_blocked,
                true,
            ),
            tls_only: self.need(&blk, "tls_only", values::boolean, true),
            backup: self.need(&blk, "backup", values::boolean, false),
            noncurrent_versions: self.need(
                &blk,
                "noncurrent_versions",
                values::duration,
                Duration::seconds(90 * 86_400),
            ),
            notify: self
                .opt(&blk, "notify", |v| {
                    values::list(v, |w| values::word(w).map(str::to_string))
                })
                .map_or_else(Vec::new, |s| s.value),
        }
    }

    pub fn function(&mut self, d: &Decl<'a>) -> Function {
        let blk = self.decl_blk(d);
        let environment = self
            .nested(d.block, "environment", blk.header)
            .map(|e| {
                self.string_map(&e)
                    .into_iter()
                    .map(|(k, v)| (k, v.value))
                    .collect()
            })
            .unwrap_or_default();
        Function {
            name: blk.name.clone(),
            span: blk.header,
            doc: d.block.doc.as_deref().map(str::to_string),
            runtime: self.need(&blk, "runtime", values::string, String::new()),
            handler: self.need(&blk, "handler", values::string, String::new()),
            code: self.code(&blk, d),
            memory: self.need(
                &blk,
                "memory",
                values::size,
                DataSize {
                    amount: 0,
                    unit: SizeUnit::MiB,
                },
            ),
            timeout: self.need(&blk, "timeout", values::duration, Duration::seconds(0)),
            reserved_concurrency: self.opt(&blk, "reserved_concurrency", values::int),
            dead_letter_queue: self.flag(&blk, "dead_letter_queue"),
            reads: self.references(&blk, "reads"),
            writes: self.references(&blk, "writes"),
            deletes: self.references(&blk, "deletes"),
            scans: self.references(&blk, "scans"),
            connects: self.references(&blk, "connects"),
            log_retention: self.need(
                &blk,
                "log_retention",
                values::duration,
                Duration::seconds(0),
            ),
            environment,
        }
    }

    /// Exactly one of `source` (a directory relative to the declaring file) and `inline`.
    fn code(&mut self, blk: &Blk, d: &Decl<'a>) -> Spanned<CodeSource> {
        let source = self.get(blk, "source", values::string);
        let inline = self.get(blk, "inline", values::string);
        let directory = |rel: &str| {
            let base = self
                .db
                .get(d.file)
                .path
                .as_ref()
                .and_then(|p| p.parent().map(PathBuf::from));
            let joined = match base {
                Some(dir) => dir.join(rel),
                None => PathBuf::from(rel),
            };
            CodeSource::Directory(crate::loader::normalize(&joined))
        };
        match (source, inline) {
            (Got::Value(s), other) => {
                if let Got::Value(i) = &other {
                    self.conflict(
                        blk,
                        ("inline", i.span),
                        ("source", s.span),
                        "give the code either as a directory (`source`) or inline, not both",
                    );
                }
                Spanned {
                    value: directory(&s.value),
                    span: s.span,
                    origin: s.origin,
                }
            }
            (_, Got::Value(i)) => Spanned {
                value: CodeSource::Inline(i.value),
                span: i.span,
                origin: i.origin,
            },
            (Got::Absent, Got::Absent) => {
                self.missing_one_of(blk, &["source", "inline"]);
                Spanned::written(CodeSource::Inline(String::new()), blk.header)
            }
            (Got::Invalid(span), _) | (Got::Absent, Got::Invalid(span)) => {
                Spanned::written(CodeSource::Inline(String::new()), span)
            }
        }
    }

    pub fn backup(&mut self, d: &Decl<'a>) -> BackupPlan {
        let blk = self.decl_blk(d);
        if let Got::Absent = self.get(&blk, "covers", |_| Some(())) {
            self.missing(&blk, "covers");
        }
        let rules = self
            .children(d.block, "rule")
            .into_iter()
            .filter_map(|r| {
                let rb = self.blk(r, Some("backup"))?;
                Some(BackupRule {
                    name: rb.name.clone(),
                    span: rb.header,
                    every: self.need(&rb, "every", values::duration, Duration::seconds(0)),
                    retain: self.need(&rb, "retain", values::duration, Duration::seconds(0)),
                    cold_after: self.opt(&rb, "cold_after", values::duration),
                    copy: self.need(&rb, "copy", values::boolean, true),
                    copy_retain: self.opt(&rb, "copy_retain", values::duration),
                    continuous: self.flag(&rb, "continuous"),
                })
            })
            .collect();
        BackupPlan {
            name: blk.name.clone(),
            span: blk.header,
            doc: d.block.doc.as_deref().map(str::to_string),
            covers: self.references(&blk, "covers"),
            covers_span: blk
                .attrs
                .get("covers")
                .map_or(blk.header, |e| e.attr.value.span),
            vault_lock: self.need(&blk, "vault_lock", values::vault_lock, VaultLock::None),
            lock_changeable_for: self.opt(&blk, "lock_changeable_for", values::duration),
            start_window: self.need(&blk, "start_window", values::duration, Duration::seconds(0)),
            completion_window: self.need(
                &blk,
                "completion_window",
                values::duration,
                Duration::seconds(0),
            ),
            restore_tests: self.need(
                &blk,
                "restore_tests",
                values::restore_tests,
                crate::model::RestoreTests::Off,
            ),
            restore_validate_within: self.need(
                &blk,
                "restore_validate_within",
                values::duration,
                Duration::seconds(0),
            ),
            rules,
            isolated_copy: self.flag(&blk, "isolated_copy"),
            isolated_vault: self.opt(&blk, "isolated_vault", values::string),
        }
    }

    pub fn dns(&mut self, d: &Decl<'a>) -> Dns {
        let blk = self.decl_blk(d);
        Dns {
            name: blk.name.clone(),
            span: blk.header,
            doc: d.block.doc.as_deref().map(str::to_string),
            zone: self.zone(&blk),
            record: self.need(&blk, "record", values::string, String::new()),
            front_door: self.front_door(&blk),
            health_path: self.need(&blk, "health_path", values::string, String::new()),
            port: self.need(&blk, "port", values::int, 0),
            interval: self.need(&blk, "interval", values::duration, Duration::seconds(0)),
            failure_threshold: self.need(&blk, "failure_threshold", values::int, 0),
            ttl: self.need(&blk, "ttl", values::duration, Duration::seconds(0)),
            primary_share: self.need(
                &blk,
                "primary_share",
                values::percent,
                Percent { hundredths: 0 },
            ),
        }
    }

    /// `serves = function`, or both `primary_endpoint` and `secondary_endpoint`.
    fn front_door(&mut self, blk: &Blk) -> FrontDoor {
        let serves = self.reference(blk, "serves");
        match serves {
            Got::Value(r) => {
                for key in ["primary_endpoint", "secondary_endpoint"] {
                    if let Got::Value(e) = self.get(blk, key, values::string) {
                        self.conflict(
                            blk,
                            (key, e.span),
                            ("serves", r.span),
                            "`serves` builds each region's front door; external endpoints are for a front door that lives outside the site",
                        );
                    }
                }
                FrontDoor::Serves(r.value)
            }
            Got::Invalid(span) => FrontDoor::Serves(Ref {
                name: String::new(),
                span,
            }),
            Got::Absent => {
                let primary = self.get(blk, "primary_endpoint", values::string);
                let secondary = self.get(blk, "secondary_endpoint", values::string);
                if let (Got::Absent, Got::Absent) = (&primary, &secondary) {
                    self.missing_one_of(blk, &["serves", "primary_endpoint"]);
                    let none = || Spanned::written(String::new(), blk.header);
                    return FrontDoor::External {
                        primary: none(),
                        secondary: none(),
                    };
                }
                FrontDoor::External {
                    primary: self.need(blk, "primary_endpoint", values::string, String::new()),
                    secondary: self.need(blk, "secondary_endpoint", values::string, String::new()),
                }
            }
        }
    }

    /// Exactly one of `zone` and `zone_id`; `create_zone = true` needs `zone`.
    fn zone(&mut self, blk: &Blk) -> Spanned<Zone> {
        let name = self.get(blk, "zone", values::string);
        let id = self.get(blk, "zone_id", values::string);
        let create = self.flag(blk, "create_zone");
        let placeholder = |span| Spanned::written(Zone::ExistingName(String::new()), span);
        match (name, id) {
            (Got::Value(z), other) => {
                if let Got::Value(i) = &other {
                    self.conflict(
                        blk,
                        ("zone_id", i.span),
                        ("zone", z.span),
                        "name the hosted zone either by `zone` or by `zone_id`, not both",
                    );
                }
                Spanned {
                    value: if create.value {
                        Zone::Create(z.value)
                    } else {
                        Zone::ExistingName(z.value)
                    },
                    span: z.span,
                    origin: z.origin,
                }
            }
            (_, Got::Value(i)) => {
                if create.value {
                    self.conflict(
                        blk,
                        ("create_zone", create.span),
                        ("zone_id", i.span),
                        "`create_zone` creates the zone named by `zone`; a `zone_id` names a zone that already exists",
                    );
                }
                Spanned {
                    value: Zone::ExistingId(i.value),
                    span: i.span,
                    origin: i.origin,
                }
            }
            (Got::Absent, Got::Absent) => {
                self.missing_one_of(blk, &["zone", "zone_id"]);
                placeholder(blk.header)
            }
            (Got::Invalid(span), _) | (Got::Absent, Got::Invalid(span)) => placeholder(span),
        }
    }

    pub fn failover(&mut self, d: &Decl<'a>) -> Failover {
        let blk = self.decl_blk(d);
        Failover {
            span: blk.header,
            database: self.need_ref(&blk, "database"),
            dns: self.reference(&blk, "dns").ok().map(|r| r.value),
            probe_every: self.need(&blk, "probe_every", values::duration, Duration::seconds(0)),
            alarm_after: self.need(&blk, "alarm_after", values::int, 0),
            allow_data_loss: self.need(&blk, "allow_data_loss", values::boolean, false),
            mode: self.need(&blk, "mode", values::failover_mode, FailoverMode::Manual),
            timeout: self.need(&blk, "timeout", values::duration, Duration::seconds(0)),
            engine: self.opt(&blk, "engine", values::failover_engine),
            approval: self.opt(&blk, "approval", values::duration),
            approver: self.opt(&blk, "approver", values::string),
        }
    }

    pub fn monitoring(&mut self, d: &Decl<'a>) -> Monitoring {
        let blk = self.decl_blk(d);
        Monitoring {
            span: blk.header,
            alert_email: self.opt(&blk, "alert_email", values::string),
            lag_threshold: self.need(
                &blk,
                "lag_threshold",
                values::duration,
                Duration::seconds(0),
            ),
            dashboard: self.need(&blk, "dashboard", values::boolean, true),
        }
    }

    pub fn drill(&mut self, d: &Decl<'a>) -> Drill {
        let blk = self.decl_blk(d);
        Drill {
            span: blk.header,
            enabled: self.need(&blk, "enabled", values::boolean, true),
            duration: self.need(&blk, "duration", values::duration, Duration::seconds(0)),
        }
    }

    /// Builds every declaration; `None` when there is no site.
    pub fn model(&mut self, catalog: Catalog) -> Option<Model> {
        let site = self.decls_of("site").first().map(|d| self.site(d));
        let profile = site
            .as_ref()
            .and_then(|s| s.profile.as_ref())
            .and_then(|r| self.decls.lookup(&r.name, &["profile"]).ok())
            .map(|d| {
                let environment = site.as_ref().map(|s| s.environment.value);
                self.profile(&d, environment)
            });
        let keys = self.decls_of("key").iter().map(|d| self.key(d)).collect();
        let network = self.decls_of("network").first().map(|d| self.network(d));
        let databases = self
            .decls_of("aurora")
            .iter()
            .map(|d| self.aurora(d))
            .collect();
        let tables = self
            .decls_of("table")
            .iter()
            .map(|d| self.table(d))
            .collect();
        let buckets = self
            .decls_of("bucket")
            .iter()
            .map(|d| self.bucket(d))
            .collect();
        let functions = self
            .decls_of("function")
            .iter()
            .map(|d| self.function(d))
            .collect();
        let backups = self
            .decls_of("backup")
            .iter()
            .map(|d| self.backup(d))
            .collect();
        let dns = self.decls_of("dns").iter().map(|d| self.dns(d)).collect();
        let failover = self.decls_of("failover").first().map(|d| self.failover(d));
        let monitoring = self
            .decls_of("monitoring")
            .first()
            .map(|d| self.monitoring(d));
        let drill = self.decls_of("drill").first().map(|d| self.drill(d));
        let suppressions = self.suppressions();
        let mut holes = self.holes.take();
        holes.sort_by_key(|h| (h.file, h.start, h.end));
        holes.dedup();
        Some(Model {
            site: site?,
            profile,
            keys,
            network,
            databases,
            tables,
            buckets,
            functions,
            backups,
            dns,
            failover,
            monitoring,
            drill,
            catalog,
            suppressions,
            holes,
        })
    }
}
