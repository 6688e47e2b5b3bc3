//! The site's Lambda functions, identical in both regions (R10), with
//! least-privilege roles (R11), encrypted log groups and dead-letter queues.

use super::{data, network, KeyUser, Lower};
use crate::graph::{
    Attr, Code, Derived, Function, FunctionVpc, IamRole, LogGroup, NodeId, NodeKind, Peer,
    Protection, Purpose, Queue, SgRule, Statement, Value,
};
use crate::model::access::{self, Access};
use crate::model::{CodeSource, Role};
use std::collections::BTreeMap;

/// `arn:PARTITION:<service>:<region of role>:ACCOUNT:<rest>`.
pub(crate) fn regional_arn(cx: &Lower, service: &str, role: Role, rest: &str) -> Value {
    Value::join(vec![
        Value::lit("arn:"),
        Value::Partition,
        Value::lit(format!(":{service}:{}:", cx.region(role))),
        Value::AccountId,
        Value::lit(format!(":{rest}")),
    ])
}

/// The pieces every function shares: log group, optional DLQ, role.
pub(crate) struct FunctionParts {
    pub log_group: NodeId,
    pub role: NodeId,
    pub dead_letter: Option<NodeId>,
    /// Statements every function role gets (logs, environment key, DLQ, VPC networking).
    pub base_statements: Vec<Statement>,
    /// The customer-managed key of the function's environment variables.
    pub env_key: Value,
}

/// Creates the log group and DLQ of function `label` on `role`'s side and
/// the statements its role needs for them (and for VPC networking).
pub(crate) fn parts(
    cx: &mut Lower,
    label: &str,
    role: Role,
    fn_name: &str,
    retention_days: Derived<u32>,
    dlq: bool,
    in_vpc: bool,
) -> FunctionParts {
    let key = cx.ops_key(role);
    cx.use_key(&key, KeyUser::Logs);
    let log_group = cx.add(
        NodeId::new(&["logs", label, role.as_str()]),
        role,
        format!("/aws/lambda/{fn_name}"),
        format!("Logs of function `{label}`"),
        Protection {
            retain: cx.site.production,
            deletion_protection: false,
        },
        NodeKind::LogGroup(LogGroup {
            retention_days,
            key: Some(cx.key_arn(&key)),
        }),
    );
    let role_id = NodeId::new(&["role", label, role.as_str()]);
    let mut statements = vec![
        Statement::allow(
            "WriteLogs",
            &["logs:CreateLogStream", "logs:PutLogEvents"],
            vec![Value::join(vec![cx.arn(&log_group), Value::lit(":*")])],
        ),
        // Lambda decrypts the environment variables with the execution role.
        cx.grant_key(
            "DecryptEnvironment",
            &key,
            &role_id,
            "lambda",
            role,
            vec!["kms:Decrypt"],
        ),
    ];
    let dead_letter = if dlq {
        let name = cx.base(&format!("{label}-dlq"), "queue");
        let q = cx.add(
            NodeId::new(&["queue", &format!("{label}-dlq"), role.as_str()]),
            role,
            name,
            format!("Dead-letter queue of function `{label}`"),
            Protection::default(),
            NodeKind::Queue(Queue {
                key: cx.key_arn(&key),
                retention_secs: 1_209_600,
            }),
        );
        statements.push(Statement::allow(
            "SendToDeadLetterQueue",
            &["sqs:SendMessage"],
            vec![cx.arn(&q)],
        ));
        statements.push(cx.grant_key(
            "EncryptDeadLetters",
            &key,
            &role_id,
            "sqs",
            role,
            vec!["kms:GenerateDataKey", "kms:Decrypt"],
        ));
        Some(q)
    } else {
        None
    };
    if in_vpc {
        statements.push(Statement::allow(
            "ManageNetworkInterfaces",
            &[
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ],
            vec![regional_arn(cx, "ec2", role, "*/*")],
        ));
        wildcard(
            cx,
            &mut statements,
            "DescribeNetworking",
            &["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
        );
    }
    // X-Ray active tracing on every function (`Function::tracing`):
    // "the execution role needs permission to upload trace data"
    // (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html).
    wildcard(
        cx,
        &mut statements,
        "Tracing",
        &["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    );
    FunctionParts {
        log_group,
        role: role_id,
        dead_letter,
        base_statements: statements,
        env_key: cx.key_arn(&key),
    }
}

/// Adds a `Resource: "*"` statement for the actions the stdlib lists as
/// wildcard-only; any other action is dropped (it must never get `*`).
pub(crate) fn wildcard(cx: &Lower, statements: &mut Vec<Statement>, sid: &str, actions: &[&str]) {
    let allowed: Vec<&str> = actions
        .iter()
        .copied()
        .filter(|a| cx.model.catalog.is_wildcard_action(a))
        .collect();
    if !allowed.is_empty() {
        let mut s = Statement::allow(sid, &allowed, Vec::new());
        s.resources = crate::graph::Resources::All;
        statements.push(s);
    }
}

/// The execution role of a function.
pub(crate) fn exec_role(
    cx: &mut Lower,
    id: &NodeId,
    role: Role,
    name: String,
    label: &str,
    statements: Vec<Statement>,
) {
    cx.add(
        id.clone(),
        role,
        name,
        format!("Execution role of function `{label}`"),
        Protection::default(),
        NodeKind::Role(IamRole {
            trust_services: vec!["lambda.amazonaws.com".into()],
            statements,
            managed_policies: Vec::new(),
        }),
    );
}

pub(crate) fn lower(cx: &mut Lower) {
    let functions = cx.model.functions.clone();
    for f in &functions {
        for role in Role::BOTH {
            site_function(cx, f, role);
        }
    }
}

fn site_function(cx: &mut Lower, f: &crate::model::Function, role: Role) {
    let fn_name = cx.base(&f.name, "function");
    let in_vpc = cx.model.network.is_some();
    let retention = cx.days(&f.log_retention, "log_retention");
    let p = parts(
        cx,
        &f.name,
        role,
        &fn_name,
        retention,
        f.dead_letter_queue.value,
        in_vpc,
    );
    let mut statements = p.base_statements;
    let mut env: BTreeMap<String, Value> = BTreeMap::new();
    // A function behind a front door answers its health route (Route 53 checks it).
    for d in &cx.model.dns {
        if matches!(&d.front_door, crate::model::FrontDoor::Serves(r) if r.name == f.name) {
            env.insert(
                "HEALTH_PATH".into(),
                Value::lit(d.health_path.value.clone()),
            );
        }
    }
    let stem = |n: &str| n.to_ascii_uppercase().replace('-', "_");
    let mut db_ports = Vec::new();

    // Each store with exactly the access the declaration gives it
    // (`crate::model::access`), in first-mention order.
    let mut stores: Vec<(String, Access)> = f.store_access();
    for c in &f.connects {
        if !stores.iter().any(|(n, _)| n == &c.name) {
            stores.push((c.name.clone(), Access::default()));
        }
    }
    for (store, access) in &stores {
        let sid = super::camel(store);
        let words: String = access.words().iter().map(|w| super::camel(w)).collect();
        if let Some(t) = cx.model.tables.iter().find(|t| &t.name == store) {
            let table_name = cx.base(&t.name, "table");
            let arn = regional_arn(cx, "dynamodb", role, &format!("table/{table_name}"));
            let index = Value::join(vec![arn.clone(), Value::lit("/index/*")]);
            let actions = access::table_actions(*access);
            if !actions.is_empty() {
                statements.push(Statement::allow(
                    &format!("Table{sid}{words}"),
                    &actions,
                    vec![arn, index],
                ));
            }
            env.insert(format!("{}_TABLE", stem(&t.name)), Value::lit(table_name));
        } else if let Some(b) = cx.model.buckets.iter().find(|b| &b.name == store) {
            let bucket = data::bucket_id(&b.name, role);
            let arn = cx.arn(&bucket);
            let objects = Value::join(vec![arn.clone(), Value::lit("/*")]);
            let actions = access::object_actions(*access);
            if !actions.is_empty() {
                statements.push(Statement::allow(
                    &format!("Objects{sid}{words}"),
                    &actions,
                    vec![objects],
                ));
            }
            let listing = access::bucket_actions(*access);
            if !listing.is_empty() {
                statements.push(Statement::allow(
                    &format!("ListBucket{sid}"),
                    &listing,
                    vec![arn],
                ));
            }
            let kms = access::bucket_key_actions(*access);
            if !kms.is_empty() {
                let key = cx.key_for(b.key.as_ref(), role);
                let sid = format!("UseKey{sid}");
                statements.push(cx.grant_key(&sid, &key, &p.role, "s3", role, kms));
            }
            let name = cx.regional(&b.name, "bucket", role);
            env.insert(format!("{}_BUCKET", stem(&b.name)), Value::lit(name));
        } else if let Some(db) = cx.model.databases.iter().find(|d| &d.name == store) {
            // IAM database authentication against this region's own cluster:
            // no master secret, nothing of the other region
            // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html:
            // `arn:aws:rds-db:region:account-id:dbuser:DbClusterResourceId/db-user-name`).
            // Tokens are signed locally by the SDK, so no endpoint is needed
            // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.Connecting.html).
            let here = data::cluster_id(&db.name, role);
            let user = data::iam_db_user(&f.name);
            statements.push(Statement::allow(
                &format!("ConnectDatabase{sid}"),
                &["rds-db:connect"],
                vec![Value::join(vec![
                    Value::lit("arn:"),
                    Value::Partition,
                    Value::lit(format!(":rds-db:{}:", cx.region(role))),
                    Value::AccountId,
                    Value::lit(":dbuser:"),
                    Value::r(&here, Attr::ResourceId),
                    Value::lit(format!("/{user}")),
                ])],
            ));
            for side in crate::model::Role::BOTH {
                let id = data::cluster_id(&db.name, side);
                if let Some(NodeKind::DbCluster(c)) = cx.node_mut(&id).map(|n| &mut n.kind) {
                    if !c.iam_users.contains(&user) {
                        c.iam_users.push(user.clone());
                        c.iam_users.sort();
                    }
                }
            }
            let d = stem(&db.name);
            env.insert(format!("{d}_ENDPOINT"), Value::r(&here, Attr::Endpoint));
            env.insert(format!("{d}_PORT"), Value::lit(db.port.value.to_string()));
            // Without `database`, Aurora PostgreSQL has only its `postgres` database.
            env.insert(
                format!("{d}_DATABASE"),
                Value::lit(db.database.clone().unwrap_or_else(|| "postgres".into())),
            );
            env.insert(format!("{d}_USER"), Value::lit(user));
            db_ports.push((db.name.clone(), db.port.value));
        }
    }
    for (k, v) in &f.environment {
        env.insert(k.clone(), Value::lit(v.clone()));
    }

    let vpc = if in_vpc {
        let own = network::cidr(cx, role).unwrap_or_default();
        let mut egress = vec![network::https(
            Peer::Cidr("0.0.0.0/0".into()),
            "HTTPS to AWS APIs through the gateway endpoints",
        )];
        for (_, port) in &db_ports {
            egress.push(network::tcp(
                *port,
                Peer::Cidr(own.clone()),
                "PostgreSQL to Aurora",
            ));
        }
        egress.dedup();
        let sg = network::security_group(
            cx,
            &format!("{}-fn", f.name),
            role,
            &format!("Function `{}`: outbound only", f.name),
            Vec::new(),
            egress,
        );
        if let Some(sg) = &sg {
            for (db, port) in &db_ports {
                let db_sg = data::db_sg_id(db, role);
                let rule = SgRule {
                    from_port: *port,
                    to_port: *port,
                    peer: Peer::Group(Value::r(sg, Attr::Id)),
                    description: format!("PostgreSQL from function `{}`", f.name),
                };
                if let Some(NodeKind::SecurityGroup(g)) = cx.node_mut(&db_sg).map(|n| &mut n.kind) {
                    g.ingress.push(rule);
                }
            }
        }
        Some(FunctionVpc {
            subnets: network::subnets(cx, role),
            security_groups: sg.iter().map(|s| Value::r(s, Attr::Id)).collect(),
        })
    } else {
        None
    };

    let role_name = cx.regional(&f.name, "function", role);
    exec_role(cx, &p.role, role, role_name, &f.name, statements);
    let code = match &f.code.value {
        CodeSource::Directory(d) => Code::Directory(d.clone()),
        CodeSource::Inline(s) => Code::Inline(s.clone()),
    };
    let memory_mib = cx.mebibytes(&f.memory, "memory");
    let timeout_secs = cx.secs(&f.timeout);
    cx.add(
        NodeId::new(&["function", &f.name, role.as_str()]),
        role,
        fn_name,
        f.doc
            .clone()
            .unwrap_or_else(|| format!("Function `{}`", f.name)),
        Protection::default(),
        NodeKind::Function(Function {
            purpose: Purpose::Site(f.name.clone()),
            runtime: f.runtime.value.clone(),
            handler: f.handler.value.clone(),
            code,
            memory_mib,
            timeout_secs,
            reserved_concurrency: f.reserved_concurrency.as_ref().map(|r| r.value),
            environment: env,
            role: p.role.clone(),
            log_group: p.log_group,
            vpc,
            dead_letter: p.dead_letter,
            invokers: Vec::new(),
            env_key: p.env_key,
            tracing: true,
        }),
    );
}
