//! KMS keys (R8, R21, R22): `aws_kms_key` with rotation and the key policy,
//! plus its `aws_kms_alias`.

use super::expr::ident;
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{Attr, Key, Node};

pub fn key(cx: &mut Cx, node: &Node, k: &Key) -> Result<(), Error> {
    let n = ident(&node.id);
    let policy = cx.x.policy(&k.policy, None)?;
    let body = Body::new()
        .s("description", super::escape(&node.description))
        .b("enable_key_rotation", k.rotation)
        .n("deletion_window_in_days", *k.pending_window_days)
        .s("policy", policy)
        .tags(&node.tags)
        .lifecycle(node.protection.retain, &[]);
    let body = if k.rotation {
        body.n("rotation_period_in_days", *k.rotation_period_days)
    } else {
        body
    };
    cx.m.resource(Area::Keys, node.role, "aws_kms_key", &n, body)?;
    let alias = Body::new()
        .s("name", super::escape(&k.alias))
        .s("target_key_id", cx.x.r(&node.id, Attr::Id)?);
    cx.m.resource(Area::Keys, node.role, "aws_kms_alias", &n, alias)
}
