//! IAM roles (R11): `aws_iam_role` with its trust policy, its permissions as
//! one customer-managed `aws_iam_policy` attached to it (no inline policies:
//! neither `inline_policy` nor `aws_iam_role_policy`) and one
//! `aws_iam_role_policy_attachment` per AWS managed policy.

use super::expr::{escape, ident, ident_str, trust_policy};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{IamRole, Node, Value};

pub fn role(cx: &mut Cx, node: &Node, r: &IamRole) -> Result<(), Error> {
    let n = ident(&node.id);
    let body = Body::new()
        .s("name", escape(&node.name))
        .s("description", escape(&node.description))
        .s("assume_role_policy", trust_policy(&r.trust_services))
        .tags(&node.tags);
    cx.m.resource(Area::Iam, node.role, "aws_iam_role", &n, body)?;
    let role_name = format!("${{aws_iam_role.{n}.name}}");
    if !r.statements.is_empty() {
        // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy
        let policy = Body::new()
            .s("name", escape(&format!("{}-policy", node.name)))
            .s(
                "description",
                escape(&format!("Permissions of role {}", node.name)),
            )
            .s("policy", cx.x.policy(&r.statements, None)?)
            .tags(&node.tags);
        cx.m.resource(Area::Iam, node.role, "aws_iam_policy", &n, policy)?;
        let attachment = Body::new()
            .s("role", role_name.clone())
            .s("policy_arn", format!("${{aws_iam_policy.{n}.arn}}"));
        cx.m.resource(
            Area::Iam,
            node.role,
            "aws_iam_role_policy_attachment",
            &n,
            attachment,
        )?;
    }
    for (i, arn) in r.managed_policies.iter().enumerate() {
        let label = policy_label(arn).unwrap_or_else(|| i.to_string());
        let attachment = Body::new()
            .s("role", role_name.clone())
            .s("policy_arn", cx.x.tpl(arn)?);
        cx.m.resource(
            Area::Iam,
            node.role,
            "aws_iam_role_policy_attachment",
            &format!("{n}_{label}"),
            attachment,
        )?;
    }
    Ok(())
}

/// A managed policy's name (the last segment of its ARN), as an identifier.
fn policy_label(arn: &Value) -> Option<String> {
    let tail = match arn {
        Value::Lit(s) => Some(s.as_str()),
        Value::Join(parts) => parts.iter().rev().find_map(|p| p.as_lit()),
        _ => None,
    }?;
    tail.rsplit(['/', ':'])
        .next()
        .filter(|s| !s.is_empty())
        .map(ident_str)
}
