//! Lambda functions (R6, R10) with their log groups, dead-letter queues and
//! invoke permissions.
//!
//! Code is the deterministic zip the CloudFormation backend builds
//! ([`crate::emit::assets`]), written once per distinct code to
//! `assets/<name>-<hash>.zip` and referenced from every region with
//! `filename` and `source_code_hash` (base64 of its SHA-256), so a plan shows
//! a change exactly when the code changes. Inline code (which CloudFormation
//! ships as `ZipFile`) is zipped the same way as `index.py`.

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::emit::zip::zip_files;
use crate::graph::{Attr, Code, Function, LogGroup, Node, NodeKind, Purpose, Queue, Value};
use base64::Engine as _;
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

pub fn log_group(cx: &mut Cx, node: &Node, l: &LogGroup) -> Result<(), Error> {
    let mut body = Body::new()
        .s("name", escape(&node.name))
        .n("retention_in_days", *l.retention_days)
        .tags(&node.tags)
        .lifecycle(node.protection.retain, &[]);
    if let Some(key) = &l.key {
        body = body.s("kms_key_id", cx.x.tpl(key)?);
    }
    cx.m.resource(
        Area::Functions,
        node.role,
        "aws_cloudwatch_log_group",
        &ident(&node.id),
        body,
    )
}

pub fn queue(cx: &mut Cx, node: &Node, q: &Queue) -> Result<(), Error> {
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("kms_master_key_id", cx.x.tpl(&q.key)?)
        .n("message_retention_seconds", q.retention_secs)
        .tags(&node.tags)
        .lifecycle(node.protection.retain, &[]);
    cx.m.resource(
        Area::Functions,
        node.role,
        "aws_sqs_queue",
        &ident(&node.id),
        body,
    )
}

pub fn function(cx: &mut Cx, node: &Node, f: &Function) -> Result<(), Error> {
    let n = ident(&node.id);
    let (file, hash) = package(cx, node, f);

    let mut body = Body::new()
        .s("function_name", escape(&node.name))
        .s("description", escape(&node.description))
        .s("role", cx.x.r(&f.role, Attr::Arn)?)
        .s("runtime", escape(&f.runtime))
        .s("handler", escape(&f.handler))
        .s("filename", format!("${{path.module}}/{file}"))
        .s("source_code_hash", hash)
        .n("memory_size", *f.memory_mib)
        .n("timeout", *f.timeout_secs)
        .s("kms_key_arn", cx.x.tpl(&f.env_key)?)
        .block(
            "logging_config",
            Body::new()
                .s("log_format", "Text")
                .s("log_group", cx.x.r(&f.log_group, Attr::Name)?),
        )
        .tags(&node.tags);
    if let Some(c) = f.reserved_concurrency {
        body = body.n("reserved_concurrent_executions", c);
    }
    if f.tracing {
        body = body.block("tracing_config", Body::new().s("mode", "Active"));
    }
    if !f.environment.is_empty() {
        let mut vars = Map::new();
        for (k, v) in &f.environment {
            vars.insert(escape(k), Json::String(cx.x.tpl(v)?));
        }
        body = body.block(
            "environment",
            Body::new().v("variables", Json::Object(vars)),
        );
    }
    if let Some(v) = &f.vpc {
        body = body.block(
            "vpc_config",
            Body::new()
                .list("subnet_ids", cx.x.tpls(&v.subnets)?)
                .list("security_group_ids", cx.x.tpls(&v.security_groups)?),
        );
    }
    if let Some(q) = &f.dead_letter {
        body = body.block(
            "dead_letter_config",
            Body::new().s("target_arn", cx.x.r(q, Attr::Arn)?),
        );
    }
    // The role's own policy must be in place before the function first runs
    // (policies name resources by ARN, so this adds no cycle).
    let role = cx.x.node(&f.role)?;
    if let NodeKind::Role(r) = &role.kind {
        if !r.statements.is_empty() {
            body = body.depends_on(vec![format!(
                "aws_iam_role_policy_attachment.{}",
                ident(&role.id)
            )]);
        }
    }
    cx.m.resource(Area::Functions, node.role, "aws_lambda_function", &n, body)?;

    for (i, inv) in f.invokers.iter().enumerate() {
        let service = inv.service.split('.').next().unwrap_or("service");
        let permission = Body::new()
            .s("statement_id", escape(&format!("allow-{service}-{i}")))
            .s("action", "lambda:InvokeFunction")
            .s(
                "function_name",
                format!("${{aws_lambda_function.{n}.function_name}}"),
            )
            .s("principal", escape(&inv.service))
            .s("source_account", cx.x.tpl(&Value::AccountId)?)
            .s("source_arn", cx.x.tpl(&inv.source_arn)?);
        cx.m.resource(
            Area::Functions,
            node.role,
            "aws_lambda_permission",
            &format!("{n}_{i}"),
            permission,
        )?;
    }
    Ok(())
}

/// The archive path and base64 SHA-256 of `f`'s code: the shared asset, or
/// for inline code a zip of `index.py` built with the same helper.
fn package(cx: &mut Cx, node: &Node, f: &Function) -> (String, String) {
    if let Some(c) = cx.code.get(&node.id) {
        return c.clone();
    }
    let zip = match &f.code {
        Code::Inline(src) => zip_files(&[("index.py".to_string(), src.as_bytes().to_vec())]),
        Code::Builtin(b) => b.package().to_vec(),
        // Directories are packaged by `crate::emit::assets` (an unreadable
        // one is reported there, before emitting starts).
        Code::Directory(_) => zip_files(&[]),
    };
    let digest = Sha256::digest(&zip);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let label = match (&f.purpose, &f.code) {
        (Purpose::Site(name), _) => name.replace('_', "-"),
        (_, Code::Builtin(b)) => b.name().to_string(),
        (Purpose::Probe, _) => "probe".to_string(),
        (Purpose::Failover, _) => "failover".to_string(),
        (Purpose::Starter, _) => "starter".to_string(),
        (Purpose::RestoreValidation, _) => "restorevalidation".to_string(),
    };
    let path = format!("assets/{label}-{}.zip", &hex[..16]);
    let hash = base64::engine::general_purpose::STANDARD.encode(digest);
    cx.zips.insert(path.clone(), zip);
    cx.code
        .insert(node.id.clone(), (path.clone(), hash.clone()));
    (path, hash)
}
