//! `providers.tf.json`: the Terraform and provider requirements, one aliased
//! `aws` provider configuration per region, and the data sources the
//! expressions of the other files use (account id, partition, availability
//! zones, existing hosted zones).

use super::expr::hosted_zone_data;
use super::module::{Area, Body};
use super::{Cx, Error, AWS_PROVIDER_VERSION, TERRAFORM_VERSION};
use crate::graph::Role;
use serde_json::{json, Value as Json};

pub fn emit(cx: &mut Cx) -> Result<(), Error> {
    let site = &cx.x.graph.site;
    let providers: Vec<Json> = Role::BOTH
        .iter()
        .map(|&role| json!({ "alias": role.as_str(), "region": site.region(role) }))
        .collect();
    let doc = cx.m.doc(Area::Providers);
    doc.insert(
        "terraform".into(),
        json!({
            "required_version": TERRAFORM_VERSION,
            "required_providers": {
                "aws": { "source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION }
            }
        }),
    );
    doc.insert("provider".into(), json!({ "aws": providers }));

    let needs = std::mem::take(&mut cx.x.needs);
    if needs.account_id {
        cx.m.data(
            Area::Providers,
            Role::Primary,
            "aws_caller_identity",
            "current",
            Body::new(),
        )?;
    }
    if needs.partition {
        cx.m.data(
            Area::Providers,
            Role::Primary,
            "aws_partition",
            "current",
            Body::new(),
        )?;
    }
    for role in needs.zones {
        let body = Body::new().s("state", "available").block(
            "filter",
            Body::new()
                .s("name", "opt-in-status")
                .list("values", vec!["opt-in-not-required".into()]),
        );
        cx.m.data(
            Area::Providers,
            role,
            "aws_availability_zones",
            role.as_str(),
            body,
        )?;
    }
    for domain in needs.hosted_zones {
        let addr = hosted_zone_data(&domain);
        let name = addr.rsplit('.').next().unwrap_or("zone").to_string();
        let body = Body::new()
            .s("name", super::escape(&domain))
            .b("private_zone", false);
        cx.m.data(
            Area::Providers,
            Role::Primary,
            "aws_route53_zone",
            &name,
            body,
        )?;
    }
    Ok(())
}
