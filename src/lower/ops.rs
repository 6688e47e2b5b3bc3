//! Operations: alert topics and backup event rules (R18), alarms (R20), the
//! cross-region dashboard (R19), Route 53 health checks of both regions'
//! front doors and weighted records (R15–R17, the front doors themselves in
//! [`super::frontdoor`]), and the failover automation that lives entirely in the
//! secondary region (R6, R17): a scheduled probe → custom metric → alarm →
//! SNS → failover function.

use super::{compute, data, frontdoor, network, regionswitch, KeyUser, Lower};
use crate::graph::{
    Alarm, Attr, Builtin, Code, CompositeAlarm, Dashboard, Derived, EventRule, Function,
    FunctionVpc, HealthCheck, HostedZone, Invoker, Lookup, NodeId, NodeKind, Peer, Principal,
    Protection, Purpose, Record, RecordTarget, Routing, Statement, Subscription, Topic, Trigger,
    Value, ZoneRef,
};
use crate::model::{FailoverEngine, FailoverMode, FrontDoor, Role, Zone};
use serde_json::json;
use std::collections::BTreeMap;

/// The runtime of drsc's own functions.
pub(crate) const BUILTIN_RUNTIME: &str = "python3.12";

/// Log retention of drsc's own functions: a year, like the site's functions'
/// default (`std/defaults`), and a value CloudWatch Logs accepts.
pub(crate) fn builtin_log_retention() -> Derived<u32> {
    Derived::fixed(365)
}
/// The probe's metric.
pub(crate) const PROBE_METRIC: &str = "PrimaryDatabaseReachable";
/// The edge probe's metric.
pub(crate) const EDGE_PROBE_METRIC: &str = "PrimaryFrontDoorReachable";
/// The label of the composite failover alarm.
pub(crate) const COMPOSITE_LABEL: &str = "primary-down";

/// The composite alarm that starts the failover (when the site has DNS).
pub(crate) fn composite_alarm_id() -> NodeId {
    NodeId::new(&["alarm", COMPOSITE_LABEL, "secondary"])
}

/// The alarm that starts the failover: the composite alarm where there is
/// one, else the peering probe's alarm.
pub(crate) fn trigger_alarm_id(cx: &Lower) -> NodeId {
    let c = composite_alarm_id();
    if cx.node(&c).is_some() {
        c
    } else {
        NodeId::new(&["alarm", "primary-unreachable", "secondary"])
    }
}

pub(crate) fn alerts_id(role: Role) -> NodeId {
    NodeId::new(&["topic", "alerts", role.as_str()])
}

pub(crate) fn failover_topic_id() -> NodeId {
    NodeId::new(&["topic", "failover", "secondary"])
}

/// A failover engine's function (drsc's failover function or the Region switch
/// starter): outside any VPC (it calls public AWS endpoints), one at a time,
/// traced, invoked by the failover topic at `topic_arn` when the failover is
/// automatic, with the failover's `timeout`.
pub(crate) fn engine_function(
    cx: &Lower,
    (purpose, builtin, memory_mib): (Purpose, Builtin, u32),
    fo: &crate::model::Failover,
    p: compute::FunctionParts,
    environment: BTreeMap<String, Value>,
    topic_arn: Option<Value>,
) -> Function {
    Function {
        purpose,
        runtime: BUILTIN_RUNTIME.into(),
        handler: "handler.handler".into(),
        code: Code::Builtin(builtin),
        memory_mib: Derived::fixed(memory_mib),
        timeout_secs: cx.secs(&fo.timeout),
        reserved_concurrency: Some(1),
        environment,
        role: p.role,
        log_group: p.log_group,
        vpc: None,
        dead_letter: p.dead_letter,
        invokers: topic_arn
            .into_iter()
            .map(|source_arn| Invoker {
                service: "sns.amazonaws.com".into(),
                source_arn,
            })
            .collect(),
        env_key: p.env_key,
        tracing: true,
    }
}

/// The encrypted topic the failover alarm notifies in the secondary region,
/// invoking `engine` (the failover function or the Region switch starter) when
/// the failover is automatic; its ARN.
pub(crate) fn failover_topic(cx: &mut Lower, engine: &NodeId, automatic: bool) -> Value {
    let s = Role::Secondary;
    let topic = failover_topic_id();
    let key = cx.ops_key(s);
    let topic_name = cx.base("failover", "topic");
    cx.add(
        topic.clone(),
        s,
        topic_name,
        "Failover trigger: the primary-unreachable alarm",
        Protection::default(),
        NodeKind::Topic(Topic {
            key: cx.key_arn(&key),
            subscriptions: if automatic {
                vec![Subscription::Function(engine.clone())]
            } else {
                Vec::new()
            },
            policy: Vec::new(),
        }),
    );
    cx.arn(&topic)
}

/// The probe's custom metric namespace.
pub(crate) fn probe_namespace(cx: &Lower) -> String {
    format!("drsc/{}", cx.site.name)
}

/// The replication-lag alarm threshold in milliseconds (the metrics' unit):
/// the site's `lag_threshold`, or drsc's 5 minutes without a `monitoring` block.
fn lag_ms(cx: &Lower) -> Derived<f64> {
    cx.model
        .monitoring
        .as_ref()
        .map_or(Derived::fixed(300_000.0), |m| {
            Derived::at(
                (m.lag_threshold.value.as_secs() * 1000) as f64,
                m.lag_threshold.span,
            )
        })
}

pub(crate) fn lower(cx: &mut Lower) {
    topics(cx);
    key_rules(cx);
    if !cx.model.backups.is_empty() {
        backup_rules(cx);
    }
    let dns = dns(cx);
    failover(cx, dns.as_ref());
    alarms(cx);
    if cx.model.failover_engine() == Some(FailoverEngine::RegionSwitch) {
        let plan_dns = dns.as_ref().map(|d| regionswitch::PlanDns {
            zone_id: d.zone_id.clone(),
            record_name: d.record_name.clone(),
            sets: vec![
                (d.primary_set.clone(), cx.region(Role::Primary)),
                (d.secondary_set.clone(), cx.region(Role::Secondary)),
            ],
        });
        regionswitch::plan(cx, plan_dns.as_ref());
    }
    dashboard(cx);
    topic_policies(cx);
}

fn topics(cx: &mut Lower) {
    let email = cx
        .model
        .monitoring
        .as_ref()
        .and_then(|m| m.alert_email.as_ref().map(|e| e.value.clone()));
    for role in Role::BOTH {
        let key = cx.ops_key(role);
        let name = cx.base("alerts", "topic");
        cx.add(
            alerts_id(role),
            role,
            name,
            format!("DR alerts in {}", cx.region(role)),
            Protection::default(),
            NodeKind::Topic(Topic {
                key: cx.key_arn(&key),
                subscriptions: email.iter().cloned().map(Subscription::Email).collect(),
                policy: Vec::new(),
            }),
        );
    }
}

/// The KMS API calls that take a key out of service: disabling it stops every
/// use at once, scheduling its deletion destroys the data it protects after
/// the waiting period (R21, R22).
pub(crate) const KEY_ALARM_CALLS: [&str; 2] = ["DisableKey", "ScheduleKeyDeletion"];

/// An EventBridge rule in each region on the `DisableKey` and
/// `ScheduleKeyDeletion` calls, to the region's alert topic. KMS API calls
/// reach EventBridge only through CloudTrail ("AWS API Call via CloudTrail"),
/// which needs a trail with logging on in the account
/// (<https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-kms.html>,
/// <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html>);
/// drsc does not create the trail, the generated README says so. The rule
/// matches the call name in the region (the caller may name the key by id,
/// ARN or alias, so the request parameters are not matched); write management
/// events need no `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` state.
fn key_rules(cx: &mut Lower) {
    for role in Role::BOTH {
        let name = cx.base("key-disabled", "rule");
        cx.add(
            NodeId::new(&["rule", "key-disabled", role.as_str()]),
            role,
            name,
            "A KMS key was disabled or scheduled for deletion",
            Protection::default(),
            NodeKind::EventRule(EventRule {
                trigger: Trigger::Pattern(json!({
                    "source": ["aws.kms"],
                    "detail-type": ["AWS API Call via CloudTrail"],
                    "detail": {
                        "eventSource": ["kms.amazonaws.com"],
                        "eventName": KEY_ALARM_CALLS,
                    },
                })),
                targets: vec![alerts_id(role)],
            }),
        );
    }
}

fn backup_rules(cx: &mut Lower) {
    let rules = [
        (
            "backup-failed",
            "AWS Backup backup or copy job failed",
            json!(["FAILED", "ABORTED", "EXPIRED", "PARTIAL"]),
        ),
        (
            "backup-completed",
            "AWS Backup backup or copy job completed",
            json!(["COMPLETED"]),
        ),
    ];
    for role in Role::BOTH {
        for (label, description, states) in &rules {
            let name = cx.base(label, "rule");
            cx.add(
                NodeId::new(&["rule", label, role.as_str()]),
                role,
                name,
                *description,
                Protection::default(),
                NodeKind::EventRule(EventRule {
                    trigger: Trigger::Pattern(json!({
                        "source": ["aws.backup"],
                        "detail-type": ["Backup Job State Change", "Copy Job State Change"],
                        "detail": {"state": states},
                    })),
                    targets: vec![alerts_id(role)],
                }),
            );
        }
    }
}

/// What the failover function needs to move DNS.
struct DnsFacts {
    zone_id: Value,
    record_name: String,
    record_type: String,
    primary_set: String,
    secondary_set: String,
    /// The primary front door's health URL (what the edge probe GETs).
    primary_health_url: String,
}

fn dns(cx: &mut Lower) -> Option<DnsFacts> {
    let all = cx.model.dns.clone();
    let region_switch = cx.model.failover_engine() == Some(FailoverEngine::RegionSwitch);
    let wanted = cx
        .model
        .failover
        .as_ref()
        .and_then(|f| f.dns.as_ref().map(|d| d.name.clone()));
    let mut facts = None;
    for d in &all {
        let (zone, zone_id, zone_domain) = match &d.zone.value {
            Zone::ExistingName(n) => {
                let domain = n.trim_end_matches('.').to_string();
                (
                    ZoneRef::Name(domain.clone()),
                    Value::Lookup(Lookup::HostedZoneId {
                        domain: domain.clone(),
                    }),
                    Some(domain),
                )
            }
            Zone::ExistingId(id) => (
                ZoneRef::Id(id.clone()),
                Value::lit(id.trim_start_matches("/hostedzone/")),
                None,
            ),
            Zone::Create(n) => {
                let domain = n.trim_end_matches('.').to_string();
                let name = cx.base(&d.name, "zone");
                let id = cx.add(
                    NodeId::new(&["zone", &d.name, "primary"]),
                    Role::Primary,
                    name,
                    format!("Hosted zone {domain}"),
                    Protection::default(),
                    NodeKind::HostedZone(HostedZone {
                        domain: domain.clone(),
                    }),
                );
                let v = Value::r(&id, Attr::Id);
                (ZoneRef::Node(id), v, Some(domain))
            }
        };
        // Each region's front door: built by the site (`serves`) or external.
        let doors = match &d.front_door {
            FrontDoor::Serves(f) => {
                frontdoor::lower(cx, d, &f.name, &zone, zone_domain.as_deref(), &zone_id)
            }
            FrontDoor::External { .. } => None,
        };
        let built = doors.is_some();
        let host = |role: Role| match (&doors, &d.front_door) {
            (Some(doors), _) => doors[role_index(role)].host.clone(),
            (None, FrontDoor::External { primary, secondary }) => match role {
                Role::Primary => primary.value.clone(),
                Role::Secondary => secondary.value.clone(),
            },
            (None, FrontDoor::Serves(_)) => String::new(),
        };
        // The failover's records on the Region switch engine are failover
        // records tied to the health checks the plan creates, so traffic
        // moves in the plan's own execution, on Route 53's data plane. drsc's
        // endpoint health checks of both front doors stay (R15) but decide
        // nothing: Route 53 publishes their metrics only in us-east-1
        // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html),
        // so nothing in the surviving region could read them; the front door
        // is watched from the secondary by the edge probe.
        let plan_records = region_switch && wanted.as_deref() == Some(d.name.as_str());
        // A record and its health check live with the front door they
        // point at: a built secondary front door is created by the secondary
        // region's deployment (Route 53 itself is global). Records tied to
        // the plan's health checks are created with the plan, by the
        // secondary region's deployment.
        let home = |role: Role| if built { role } else { Role::Primary };
        let record_home = |role: Role| {
            if plan_records {
                Role::Secondary
            } else {
                home(role)
            }
        };
        let port = d.port.value;
        let mut checks = Vec::new();
        for role in Role::BOTH {
            let fqdn = host(role);
            let hc_name = cx.regional(&d.name, "hc", role);
            let hc = cx.add(
                NodeId::new(&["hc", &d.name, role.as_str()]),
                home(role),
                hc_name,
                format!("Health of {fqdn}"),
                Protection::default(),
                NodeKind::HealthCheck(HealthCheck {
                    fqdn,
                    port,
                    path: d.health_path.value.clone(),
                    https: port != 80,
                    interval_secs: cx.secs(&d.interval),
                    failure_threshold: cx.count(&d.failure_threshold),
                }),
            );
            if let Some(n) = cx.node_mut(&hc) {
                n.tags.insert("DR-Role".into(), role.as_str().into());
            }
            checks.push(hc);
        }
        // Weights out of 100: the primary's is the share, the secondary's the rest.
        let share = d.primary_share.value;
        if !plan_records && share.hundredths % 100 != 0 {
            cx.error(super::codes::inexact(
                d.primary_share.span,
                "primary_share",
                &share.to_string(),
                "percent (Route 53 weights are whole numbers)",
                &[share.whole(), share.whole() + 1]
                    .iter()
                    .map(|w| format!("{w}%"))
                    .collect::<Vec<_>>(),
            ));
        }
        let share = i64::from(share.whole());
        let ttl = cx.secs(&d.ttl);
        let record_name = d.record.value.trim_end_matches('.').to_string();
        let mut sets = Vec::new();
        for role in Role::BOTH {
            let set = format!("{}-{}", role.as_str(), cx.site.short(role));
            let (routing, health_check) = if plan_records {
                (
                    Routing::Failover(role),
                    Value::r(
                        &regionswitch::plan_id(),
                        Attr::PlanHealthCheck(role_index(role) as u8),
                    ),
                )
            } else {
                // The share goes to the active region's record (R35), see
                // `SiteInfo::weighted_side`.
                let weight = if role == cx.site.weighted_side() {
                    Derived::at(share, d.primary_share.span)
                } else {
                    Derived::at(100 - share, d.primary_share.span)
                };
                (
                    Routing::Weighted(weight),
                    Value::r(&checks[role_index(role)], Attr::Id),
                )
            };
            let fqdn = host(role);
            let (target, record_type) = match &doors {
                Some(doors) => (
                    RecordTarget::Alias(frontdoor::alias_target(&doors[role_index(role)].domain)),
                    "A",
                ),
                None => (
                    RecordTarget::Name {
                        host: fqdn.clone(),
                        ttl_secs: ttl.clone(),
                    },
                    "CNAME",
                ),
            };
            let name = cx.regional(&d.name, "record", role);
            let id = cx.add(
                NodeId::new(&["record", &d.name, role.as_str()]),
                record_home(role),
                name,
                format!("{} → {} ({})", record_name, fqdn, role.as_str()),
                Protection::default(),
                NodeKind::Record(Record {
                    zone: zone.clone(),
                    record_name: record_name.clone(),
                    record_type: record_type.into(),
                    set_identifier: set.clone(),
                    side: role,
                    routing,
                    target,
                    health_check: Some(health_check),
                }),
            );
            if let Some(n) = cx.node_mut(&id) {
                n.tags.insert("DR-Role".into(), role.as_str().into());
            }
            sets.push((set, fqdn));
        }
        if wanted.as_deref() == Some(d.name.as_str()) {
            let port = d.port.value;
            let scheme = if port == 80 { "http" } else { "https" };
            let authority = match port {
                80 | 443 => sets[0].1.clone(),
                p => format!("{}:{p}", sets[0].1),
            };
            facts = Some(DnsFacts {
                primary_health_url: format!("{scheme}://{authority}{}", d.health_path.value),
                zone_id,
                record_name,
                record_type: if doors.is_some() { "A" } else { "CNAME" }.into(),
                primary_set: sets[0].0.clone(),
                secondary_set: sets[1].0.clone(),
            });
        }
    }
    facts
}

/// 0 for the primary, 1 for the secondary.
fn role_index(role: Role) -> usize {
    match role {
        Role::Primary => 0,
        Role::Secondary => 1,
    }
}

fn failover(cx: &mut Lower, dns: Option<&DnsFacts>) {
    let Some(fo) = cx.model.failover.clone() else {
        return;
    };
    let Some(db) = cx
        .model
        .databases
        .iter()
        .find(|d| d.name == fo.database.name)
        .cloned()
    else {
        return;
    };
    let s = Role::Secondary;
    let automatic = fo.mode.value == FailoverMode::Automatic;

    let region_switch = cx.model.failover_engine() == Some(FailoverEngine::RegionSwitch);
    let topic = failover_topic_id();
    if region_switch {
        regionswitch::starter(cx, &fo, automatic);
    } else {
        // The failover function.
        let fn_name = cx.base("failover", "function");
        let p = compute::parts(
            cx,
            "failover",
            s,
            &fn_name,
            builtin_log_retention(),
            true,
            false,
        );
        let mut statements = p.base_statements.clone();
        // One invocation promotes every global database of the site (issue 11).
        let mut globals = Vec::new();
        let mut members = Vec::new();
        let mut targets = Vec::new();
        for d in cx.model.databases.clone() {
            let global = data::global_db_id(&d.name);
            globals.push(cx.arn(&global));
            members.push(cx.arn(&global));
            for r in Role::BOTH {
                members.push(cx.arn(&data::cluster_id(&d.name, r)));
            }
            targets.push((
                cx.base(&d.name, "aurora"),
                cx.arn(&data::cluster_id(&d.name, s)),
            ));
        }
        statements.push(Statement::allow(
            "DescribeGlobalCluster",
            &["rds:DescribeGlobalClusters"],
            globals,
        ));
        statements.push(Statement::allow(
            "FailoverGlobalCluster",
            &["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"],
            members,
        ));
        let mut env: BTreeMap<String, Value> = BTreeMap::new();
        // `GLOBAL_CLUSTER_IDS` / `TARGET_CLUSTER_ARNS`: comma-separated, in the
        // same order (the handler pairs them).
        env.insert(
            "GLOBAL_CLUSTER_IDS".into(),
            Value::lit(
                targets
                    .iter()
                    .map(|(g, _)| g.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        );
        let mut arns = Vec::new();
        for (i, (_, arn)) in targets.iter().enumerate() {
            if i > 0 {
                arns.push(Value::lit(","));
            }
            arns.push(arn.clone());
        }
        env.insert("TARGET_CLUSTER_ARNS".into(), Value::join(arns));
        // Only this alarm's notifications act: with DNS, the composite alarm
        // (both signals), else the peering probe's alarm.
        let trigger = if dns.is_some() {
            cx.base(COMPOSITE_LABEL, "alarm")
        } else {
            cx.base("primary-unreachable", "alarm")
        };
        env.insert("TRIGGER_ALARM".into(), Value::lit(trigger));
        env.insert(
            "ALLOW_DATA_LOSS".into(),
            Value::lit(if fo.allow_data_loss.value {
                "true"
            } else {
                "false"
            }),
        );
        if let Some(d) = dns {
            let zone_arn = Value::join(vec![
                Value::lit("arn:"),
                Value::Partition,
                Value::lit(":route53:::hostedzone/"),
                d.zone_id.clone(),
            ]);
            // The weights move by reading the two weighted sets and UPSERTing
            // them with new weights: the records keep their alias targets and
            // health checks, and the function needs no value of the primary
            // region's stack.
            statements.push(Statement::allow(
                "ReadDnsRecords",
                &["route53:ListResourceRecordSets"],
                vec![zone_arn.clone()],
            ));
            statements.push(
                Statement::allow(
                    "ShiftDnsWeights",
                    &["route53:ChangeResourceRecordSets"],
                    vec![zone_arn],
                )
                .when(
                    "ForAllValues:StringEquals",
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                    vec![Value::lit(d.record_name.to_ascii_lowercase())],
                ),
            );
            env.insert("HOSTED_ZONE_ID".into(), d.zone_id.clone());
            env.insert("RECORD_NAME".into(), Value::lit(d.record_name.clone()));
            env.insert("RECORD_TYPE".into(), Value::lit(d.record_type.clone()));
            env.insert("PRIMARY_SET_ID".into(), Value::lit(d.primary_set.clone()));
            env.insert(
                "SECONDARY_SET_ID".into(),
                Value::lit(d.secondary_set.clone()),
            );
        }
        let role_name = cx.regional("failover", "function", s);
        compute::exec_role(cx, &p.role, s, role_name, "failover", statements);
        let failover_fn = NodeId::new(&["function", "failover", "secondary"]);
        let topic_arn = failover_topic(cx, &failover_fn, automatic);
        cx.add(
            failover_fn.clone(),
            s,
            fn_name,
            format!(
                "Fails every global database of the site over to {} (drsc builtin)",
                cx.site.secondary_region
            ),
            Protection::default(),
            NodeKind::Function(engine_function(
                cx,
                (Purpose::Failover, Builtin::Failover, 256),
                &fo,
                p,
                env,
                automatic.then_some(topic_arn),
            )),
        );
    }

    // The probe: in the secondary VPC, reaching the primary writer over the peering.
    let probe_name = cx.base("probe", "function");
    let in_vpc = cx.model.network.is_some();
    let p = compute::parts(
        cx,
        "probe",
        s,
        &probe_name,
        builtin_log_retention(),
        true,
        in_vpc,
    );
    let namespace = probe_namespace(cx);
    let statements = publishing(cx, &p.base_statements, "PublishProbeMetric", &namespace);
    let role_name = cx.regional("probe", "function", s);
    compute::exec_role(cx, &p.role, s, role_name, "probe", statements);
    let vpc = if in_vpc {
        network::interface_endpoint(cx, "monitoring", s);
        let own = network::cidr(cx, s).unwrap_or_default();
        let primary = network::cidr(cx, Role::Primary).unwrap_or_default();
        let sg = network::security_group(
            cx,
            "probe-fn",
            s,
            "Probe: PostgreSQL to the primary, HTTPS to the monitoring endpoint",
            Vec::new(),
            vec![
                network::tcp(
                    db.port.value,
                    Peer::Cidr(primary),
                    "PostgreSQL to the writer in the primary region",
                ),
                network::tcp(
                    db.port.value,
                    Peer::Cidr(own.clone()),
                    "PostgreSQL to the writer here, after a failover",
                ),
                network::https(Peer::Cidr(own), "HTTPS to the CloudWatch endpoint"),
            ],
        );
        Some(FunctionVpc {
            subnets: network::subnets(cx, s),
            security_groups: sg.iter().map(|g| Value::r(g, Attr::Id)).collect(),
        })
    } else {
        None
    };
    let rule = NodeId::new(&["rule", "probe", "secondary"]);
    let rule_name = cx.base("probe", "rule");
    let probe_fn = NodeId::new(&["function", "probe", "secondary"]);
    cx.add(
        rule.clone(),
        s,
        rule_name,
        "Runs the primary-database probe",
        Protection::default(),
        NodeKind::EventRule(EventRule {
            trigger: Trigger::Rate(Derived::at(
                fo.probe_every.value.as_secs(),
                fo.probe_every.span,
            )),
            targets: vec![probe_fn.clone()],
        }),
    );
    let mut env = BTreeMap::new();
    // The global writer endpoint follows the writer through a failover or a
    // switchover (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html):
    // before, the probe reaches the primary over the peering; after, the
    // promoted writer in its own region, so the trigger does not keep firing
    // on the region that is already gone, and a failback is probed alike.
    env.insert(
        "TARGET_HOST".into(),
        Value::r(&data::global_db_id(&db.name), Attr::Endpoint),
    );
    env.insert("TARGET_PORT".into(), Value::lit(db.port.value.to_string()));
    env.insert("METRIC_NAMESPACE".into(), Value::lit(namespace));
    env.insert("METRIC_NAME".into(), Value::lit(PROBE_METRIC));
    env.insert("SITE".into(), Value::lit(cx.site.name.clone()));
    let rule_arn = cx.arn(&rule);
    cx.add(
        probe_fn,
        s,
        probe_name,
        format!(
            "Probes the primary writer of `{}` from {} (drsc builtin)",
            db.name, cx.site.secondary_region
        ),
        Protection::default(),
        NodeKind::Function(Function {
            purpose: Purpose::Probe,
            runtime: BUILTIN_RUNTIME.into(),
            handler: "index.handler".into(),
            code: Code::Builtin(Builtin::Probe),
            memory_mib: Derived::fixed(128),
            timeout_secs: Derived::fixed(20),
            // One probe a minute, 20 s each: one execution at a time is enough,
            // and the probe can never starve the account's concurrency.
            reserved_concurrency: Some(1),
            environment: env,
            role: p.role.clone(),
            log_group: p.log_group,
            vpc,
            dead_letter: p.dead_letter,
            invokers: vec![Invoker {
                service: "events.amazonaws.com".into(),
                source_arn: rule_arn,
            }],
            env_key: p.env_key.clone(),
            tracing: true,
        }),
    );

    // The signals, evaluated in the secondary region. With a `dns` block the
    // failover starts on a composite alarm: the primary is unreachable over
    // the peering AND its public front door does not answer from the
    // internet, so a partition of the peering alone does not promote the
    // secondary. Without one, the peering probe's alarm starts it alone.
    // One probe per period: each alarm evaluates exactly its probe's schedule.
    let period = cx.secs(&fo.probe_every);
    let mut actions = vec![alerts_id(s)];
    if automatic {
        actions.insert(0, topic);
    }
    let ns = probe_namespace(cx);
    let edge = dns.map(|d| edge_probe(cx, &fo, &d.primary_health_url));
    let peering_alarm = alarm(
        cx,
        "primary-unreachable",
        s,
        if edge.is_some() {
            "The primary database has been unreachable over the peering from the secondary region"
        } else {
            "The primary database has been unreachable from the secondary region: fail over"
        },
        Alarm {
            namespace: ns.clone(),
            metric: PROBE_METRIC.into(),
            dimensions: vec![("Site".into(), Value::lit(cx.site.name.clone()))],
            statistic: "Minimum".into(),
            period_secs: period.clone(),
            evaluation_periods: cx.count(&fo.alarm_after),
            datapoints_to_alarm: cx.count(&fo.alarm_after),
            threshold: Derived::fixed(1.0),
            comparison: "LessThanThreshold".into(),
            treat_missing_data: "notBreaching".into(),
            actions: if edge.is_some() {
                vec![alerts_id(s)]
            } else {
                actions.clone()
            },
        },
    );
    if edge.is_some() {
        let edge_alarm = alarm(
            cx,
            "front-door-unreachable",
            s,
            "The primary region's public front door has not answered from the secondary region",
            Alarm {
                namespace: ns,
                metric: EDGE_PROBE_METRIC.into(),
                dimensions: vec![("Site".into(), Value::lit(cx.site.name.clone()))],
                statistic: "Minimum".into(),
                period_secs: period,
                evaluation_periods: cx.count(&fo.alarm_after),
                datapoints_to_alarm: cx.count(&fo.alarm_after),
                threshold: Derived::fixed(1.0),
                comparison: "LessThanThreshold".into(),
                treat_missing_data: "notBreaching".into(),
                actions: vec![alerts_id(s)],
            },
        );
        let inputs = vec![peering_alarm, edge_alarm];
        let mut rule = Vec::new();
        for (i, a) in inputs.iter().enumerate() {
            rule.push(Value::lit(if i == 0 {
                "ALARM(\""
            } else {
                "\") AND ALARM(\""
            }));
            rule.push(Value::r(a, Attr::Arn));
        }
        rule.push(Value::lit("\")"));
        let name = cx.base(COMPOSITE_LABEL, "alarm");
        cx.add(
            composite_alarm_id(),
            s,
            name,
            "The primary is unreachable over the peering and from the internet: fail over",
            Protection::default(),
            NodeKind::CompositeAlarm(CompositeAlarm {
                rule: Value::join(rule),
                inputs,
                actions,
            }),
        );
    }
    let engine_label = if region_switch { "starter" } else { "failover" };
    let mut labels = vec![engine_label, "probe"];
    if edge.is_some() {
        labels.push("edgeprobe");
    }
    for label in labels {
        errors_alarm(cx, label, s);
    }
}

/// The alarm on the errors of drsc's function `label` (`<label>-function`)
/// in `role`'s region: any failed invocation notifies the region's alert topic.
pub(crate) fn errors_alarm(cx: &mut Lower, label: &str, role: Role) -> NodeId {
    let fname = cx.base(label, "function");
    alarm(
        cx,
        &format!("{label}-errors"),
        role,
        &format!("The {label} function failed"),
        Alarm {
            namespace: "AWS/Lambda".into(),
            metric: "Errors".into(),
            dimensions: vec![("FunctionName".into(), Value::lit(fname))],
            statistic: "Sum".into(),
            period_secs: Derived::fixed(60),
            evaluation_periods: Derived::fixed(1),
            datapoints_to_alarm: Derived::fixed(1),
            threshold: Derived::fixed(1.0),
            comparison: "GreaterThanOrEqualToThreshold".into(),
            treat_missing_data: "notBreaching".into(),
            actions: vec![alerts_id(role)],
        },
    )
}

/// The edge probe: drsc's function in the secondary region, outside any VPC
/// (its request takes the internet path, not the peering), that GETs the
/// primary front door's health URL on the probe's schedule and publishes
/// [`EDGE_PROBE_METRIC`]. Returns its node.
/// A probe's statements: its base ones plus `cloudwatch:PutMetricData`
/// (wildcard-only in IAM), limited to the probes' metric namespace.
fn publishing(cx: &mut Lower, base: &[Statement], sid: &str, namespace: &str) -> Vec<Statement> {
    let mut statements = base.to_vec();
    let before = statements.len();
    compute::wildcard(cx, &mut statements, sid, &["cloudwatch:PutMetricData"]);
    if let Some(st) = statements.get_mut(before) {
        st.conditions.push(crate::graph::Condition::new(
            "StringEquals",
            "cloudwatch:namespace",
            vec![Value::lit(namespace.to_string())],
        ));
    }
    statements
}

fn edge_probe(cx: &mut Lower, fo: &crate::model::Failover, url: &str) -> NodeId {
    let s = Role::Secondary;
    let name = cx.base("edgeprobe", "function");
    let p = compute::parts(
        cx,
        "edgeprobe",
        s,
        &name,
        builtin_log_retention(),
        false,
        false,
    );
    let namespace = probe_namespace(cx);
    let statements = publishing(cx, &p.base_statements, "PublishEdgeProbeMetric", &namespace);
    let role_name = cx.regional("edgeprobe", "function", s);
    compute::exec_role(cx, &p.role, s, role_name, "edgeprobe", statements);
    let rule = NodeId::new(&["rule", "edgeprobe", "secondary"]);
    let id = NodeId::new(&["function", "edgeprobe", "secondary"]);
    let rule_name = cx.base("edgeprobe", "rule");
    cx.add(
        rule.clone(),
        s,
        rule_name,
        "Runs the primary front-door probe",
        Protection::default(),
        NodeKind::EventRule(EventRule {
            trigger: Trigger::Rate(Derived::at(
                fo.probe_every.value.as_secs(),
                fo.probe_every.span,
            )),
            targets: vec![id.clone()],
        }),
    );
    let mut env = BTreeMap::new();
    env.insert("TARGET_URL".into(), Value::lit(url));
    env.insert("METRIC_NAMESPACE".into(), Value::lit(namespace));
    env.insert("METRIC_NAME".into(), Value::lit(EDGE_PROBE_METRIC));
    env.insert("SITE".into(), Value::lit(cx.site.name.clone()));
    let rule_arn = cx.arn(&rule);
    cx.add(
        id.clone(),
        s,
        name,
        format!(
            "Probes the primary front door {url} from {} over the internet (drsc builtin)",
            cx.site.secondary_region
        ),
        Protection::default(),
        NodeKind::Function(Function {
            purpose: Purpose::Probe,
            runtime: BUILTIN_RUNTIME.into(),
            handler: "handler.handler".into(),
            code: Code::Builtin(Builtin::EdgeProbe),
            memory_mib: Derived::fixed(128),
            timeout_secs: Derived::fixed(20),
            reserved_concurrency: None,
            environment: env,
            role: p.role.clone(),
            log_group: p.log_group,
            vpc: None,
            dead_letter: None,
            invokers: vec![Invoker {
                service: "events.amazonaws.com".into(),
                source_arn: rule_arn,
            }],
            env_key: p.env_key.clone(),
            tracing: true,
        }),
    );
    id
}

fn alarm(cx: &mut Lower, label: &str, role: Role, description: &str, a: Alarm) -> NodeId {
    let name = cx.base(label, "alarm");
    cx.add(
        NodeId::new(&["alarm", label, role.as_str()]),
        role,
        name,
        description,
        Protection::default(),
        NodeKind::Alarm(a),
    )
}

/// The replication and backup alarms, in both regions (R33): after a
/// failover the promoted region writes, replicates and backs up, and the old
/// primary (once back) is the one that lags, so each region watches what it
/// sends and what it receives. A metric a region does not publish in its
/// current role (a writer reports no global replication lag) is not a breach.
fn alarms(cx: &mut Lower) {
    let threshold = lag_ms(cx);
    for db in cx.model.databases.clone() {
        for role in Role::BOTH {
            let cluster = cx.regional(&db.name, "aurora", role);
            // The secondary's alarm is also the Region switch plan's
            // application-health alarm: there, missing data stays missing.
            let (missing, when) = match role {
                Role::Secondary => ("missing", ""),
                Role::Primary => (
                    "notBreaching",
                    " (this region's cluster replicates after a failover)",
                ),
            };
            alarm(
                cx,
                &format!("{}-lag", db.name),
                role,
                &format!(
                    "Aurora global replication lag of `{}` above the threshold{when}",
                    db.name
                ),
                Alarm {
                    namespace: "AWS/RDS".into(),
                    metric: "AuroraGlobalDBReplicationLag".into(),
                    dimensions: vec![("DBClusterIdentifier".into(), Value::lit(cluster))],
                    statistic: "Maximum".into(),
                    period_secs: Derived::fixed(60),
                    evaluation_periods: Derived::fixed(5),
                    datapoints_to_alarm: Derived::fixed(3),
                    threshold: threshold.clone(),
                    comparison: "GreaterThanThreshold".into(),
                    treat_missing_data: missing.into(),
                    actions: vec![alerts_id(role)],
                },
            );
        }
    }
    for t in cx.model.tables.clone() {
        let table = cx.base(&t.name, "table");
        for role in Role::BOTH {
            let receiving = cx.region(role.other());
            alarm(
                cx,
                &format!("{}-lag", t.name),
                role,
                &format!(
                    "DynamoDB replication latency of `{}` to {receiving} above the threshold",
                    t.name
                ),
                Alarm {
                    namespace: "AWS/DynamoDB".into(),
                    metric: "ReplicationLatency".into(),
                    dimensions: vec![
                        ("TableName".into(), Value::lit(table.clone())),
                        ("ReceivingRegion".into(), Value::lit(receiving.clone())),
                    ],
                    statistic: "Average".into(),
                    period_secs: Derived::fixed(60),
                    evaluation_periods: Derived::fixed(5),
                    datapoints_to_alarm: Derived::fixed(3),
                    threshold: threshold.clone(),
                    comparison: "GreaterThanThreshold".into(),
                    treat_missing_data: "missing".into(),
                    actions: vec![alerts_id(role)],
                },
            );
        }
    }
    for b in cx.model.buckets.clone() {
        for role in Role::BOTH {
            let Some(NodeKind::Bucket(bk)) = cx
                .node(&data::bucket_id(&b.name, role))
                .map(|n| n.kind.clone())
            else {
                continue;
            };
            let Some(rep) = bk.replication else { continue };
            let src = cx.regional(&b.name, "bucket", role);
            let dst = cx.regional(&b.name, "bucket", role.other());
            alarm(
                cx,
                &format!("{}-replication-failed", b.name),
                role,
                &format!(
                    "S3 replication of `{}` to {} failed for some objects",
                    b.name,
                    cx.region(role.other())
                ),
                Alarm {
                    namespace: "AWS/S3".into(),
                    metric: "OperationsFailedReplication".into(),
                    dimensions: vec![
                        ("SourceBucket".into(), Value::lit(src)),
                        ("DestinationBucket".into(), Value::lit(dst)),
                        ("RuleId".into(), Value::lit(rep.rule_id)),
                    ],
                    statistic: "Sum".into(),
                    period_secs: Derived::fixed(300),
                    evaluation_periods: Derived::fixed(1),
                    datapoints_to_alarm: Derived::fixed(1),
                    threshold: Derived::fixed(0.0),
                    comparison: "GreaterThanThreshold".into(),
                    treat_missing_data: "notBreaching".into(),
                    actions: vec![alerts_id(role)],
                },
            );
        }
    }
    if !cx.model.backups.is_empty() {
        for role in Role::BOTH {
            for (label, metric, what) in [
                ("backup-jobs-failed", "NumberOfBackupJobsFailed", "backup"),
                (
                    "copy-jobs-failed",
                    "NumberOfCopyJobsFailed",
                    "cross-region copy",
                ),
            ] {
                alarm(
                    cx,
                    label,
                    role,
                    &format!("An AWS Backup {what} job failed in {}", cx.region(role)),
                    Alarm {
                        namespace: "AWS/Backup".into(),
                        metric: metric.into(),
                        dimensions: Vec::new(),
                        statistic: "Sum".into(),
                        period_secs: Derived::fixed(3600),
                        evaluation_periods: Derived::fixed(1),
                        datapoints_to_alarm: Derived::fixed(1),
                        threshold: Derived::fixed(1.0),
                        comparison: "GreaterThanOrEqualToThreshold".into(),
                        treat_missing_data: "notBreaching".into(),
                        actions: vec![alerts_id(role)],
                    },
                );
            }
        }
    }
}

fn dashboard(cx: &mut Lower) {
    if cx
        .model
        .monitoring
        .as_ref()
        .is_some_and(|m| !m.dashboard.value)
    {
        return;
    }
    let primary = cx.region(Role::Primary);
    let secondary = cx.region(Role::Secondary);
    let mut widgets = Vec::new();
    let mut y = 0;
    let mut push = |title: String, region: &str, metrics: Vec<serde_json::Value>, stat: &str| {
        let x = if widgets.len() % 2 == 0 { 0 } else { 12 };
        widgets.push(json!({
            "type": "metric", "x": x, "y": y, "width": 12, "height": 6,
            "properties": {"title": title, "view": "timeSeries", "region": region,
                           "stat": stat, "period": 60, "metrics": metrics},
        }));
        if x == 12 {
            y += 6;
        }
    };
    for db in &cx.model.databases {
        let cluster = cx.regional(&db.name, "aurora", Role::Secondary);
        push(
            format!("Aurora global replication lag: {} (ms)", db.name),
            &secondary,
            vec![
                json!(["AWS/RDS", "AuroraGlobalDBReplicationLag", "DBClusterIdentifier", cluster, {"region": secondary, "label": format!("{} → {}", primary, secondary)}]),
                json!(["AWS/RDS", "AuroraGlobalDBRPOLag", "DBClusterIdentifier", cluster, {"region": secondary, "label": "RPO lag"}]),
            ],
            "Maximum",
        );
    }
    for t in &cx.model.tables {
        let table = cx.base(&t.name, "table");
        push(
            format!("DynamoDB replication latency: {} (ms)", t.name),
            &primary,
            vec![
                json!(["AWS/DynamoDB", "ReplicationLatency", "TableName", table, "ReceivingRegion", secondary, {"region": primary, "label": format!("{} → {}", primary, secondary)}]),
                json!(["AWS/DynamoDB", "ReplicationLatency", "TableName", table, "ReceivingRegion", primary, {"region": secondary, "label": format!("{} → {}", secondary, primary)}]),
            ],
            "Average",
        );
    }
    if cx.model.failover.is_some() {
        let ns = format!("drsc/{}", cx.site.name);
        push(
            "Primary database reachable from the secondary (1 = yes)".into(),
            &secondary,
            vec![json!([ns, PROBE_METRIC, "Site", cx.site.name, {"region": secondary}])],
            "Minimum",
        );
    }
    let body = json!({"start": "-PT6H", "periodOverride": "inherit", "widgets": widgets});
    let name = cx.base(&cx.site.name.clone(), "dashboard");
    cx.add(
        NodeId::new(&["dashboard", "dr", "secondary"]),
        Role::Secondary,
        name,
        "Cross-region replication dashboard",
        Protection::default(),
        NodeKind::Dashboard(Dashboard { body }),
    );
}

/// Topic policies: exactly the rules and alarms that publish to each topic,
/// and the key uses of the services that publish.
fn topic_policies(cx: &mut Lower) {
    let mut by_topic: BTreeMap<NodeId, (Vec<Value>, Vec<Value>)> = BTreeMap::new();
    // S3 event notifications (issue 14): the buckets publishing to each topic.
    let mut buckets: BTreeMap<NodeId, Vec<Value>> = BTreeMap::new();
    for n in &cx.nodes {
        let arn = n.known(Attr::Arn);
        match (&n.kind, arn) {
            (NodeKind::Bucket(b), Some(arn)) => {
                if let Some(notify) = &b.notify {
                    buckets.entry(notify.topic.clone()).or_default().push(arn);
                }
            }
            (NodeKind::EventRule(r), Some(arn)) => {
                for t in &r.targets {
                    by_topic.entry(t.clone()).or_default().0.push(arn.clone());
                }
            }
            (NodeKind::CompositeAlarm(c), Some(arn)) => {
                for t in &c.actions {
                    by_topic.entry(t.clone()).or_default().1.push(arn.clone());
                }
            }
            (NodeKind::Alarm(a), Some(arn)) => {
                for t in &a.actions {
                    by_topic.entry(t.clone()).or_default().1.push(arn.clone());
                }
            }
            _ => {}
        }
    }
    for topic in buckets.keys() {
        by_topic.entry(topic.clone()).or_default();
    }
    for (topic, (rules, alarms)) in by_topic {
        let Some(node) = cx.node(&topic) else {
            continue;
        };
        let NodeKind::Topic(_) = node.kind else {
            continue;
        };
        let role = node.role;
        let topic_arn = cx.arn(&topic);
        let key = cx.ops_key(role);
        let mut policy = Vec::new();
        for (sid, service, sources) in [
            ("AllowEventBridgeRules", "events", rules),
            ("AllowCloudWatchAlarms", "cloudwatch", alarms),
        ] {
            if sources.is_empty() {
                continue;
            }
            policy.push(
                Statement::allow(sid, &["sns:Publish"], vec![topic_arn.clone()])
                    .to(Principal::Services(vec![format!(
                        "{service}.amazonaws.com"
                    )]))
                    .when("ArnEquals", "aws:SourceArn", sources),
            );
            cx.use_key(
                &key,
                KeyUser::Publisher(if service == "events" {
                    "events"
                } else {
                    "cloudwatch"
                }),
            );
        }
        // S3 publishes for the named buckets of this account only
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
        if let Some(sources) = buckets.remove(&topic) {
            policy.push(
                Statement::allow(
                    "AllowS3EventNotifications",
                    &["sns:Publish"],
                    vec![topic_arn.clone()],
                )
                .to(Principal::Services(vec!["s3.amazonaws.com".into()]))
                .when("ArnLike", "aws:SourceArn", sources)
                .when("StringEquals", "aws:SourceAccount", vec![Value::AccountId]),
            );
            cx.use_key(&key, KeyUser::Publisher("s3"));
        }
        if let Some(NodeKind::Topic(t)) = cx.node_mut(&topic).map(|n| &mut n.kind) {
            t.policy = policy;
        }
    }
}
