//! The regional front door (issue 10, defect 3) as Terraform: HTTP API,
//! integration, routes, `$default` stage, Lambda permission, the regional
//! certificate with its validation records and validation, custom domains
//! with their API mappings, and alias records. Argument names checked against
//! `../shared/terraform/aws-provider-schema-6.47.0.json`.
//! Terraform does not write ACM validation records itself: they are
//! `aws_route53_record`s over the certificate's `domain_validation_options`
//! (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/acm_certificate_validation).

use super::expr::{escape, ident};
use super::module::{Area, Body};
use super::{Cx, Error};
use crate::graph::{AliasRecord, AliasTarget, ApiDomain, Certificate, HttpApi, Node};

pub fn http_api(cx: &mut Cx, node: &Node, a: &HttpApi) -> Result<(), Error> {
    let n = ident(&node.id);
    let api = Body::new()
        .s("name", escape(&node.name))
        .s("description", escape(&node.description))
        .s("protocol_type", "HTTP")
        .b("disable_execute_api_endpoint", a.disable_default_endpoint)
        .tags(&node.tags);
    cx.m.resource(Area::Functions, node.role, "aws_apigatewayv2_api", &n, api)?;
    let api_id = format!("${{aws_apigatewayv2_api.{n}.id}}");
    let integration = Body::new()
        .s("api_id", api_id.clone())
        .s("description", escape(&node.description))
        .s("integration_type", escape(&a.integration_type))
        .s("integration_uri", cx.x.tpl(&a.function)?)
        .s("payload_format_version", escape(&a.payload_format_version));
    cx.m.resource(
        Area::Functions,
        node.role,
        "aws_apigatewayv2_integration",
        &n,
        integration,
    )?;
    let mut routes = Vec::new();
    for (i, key) in a.routes.iter().enumerate() {
        let route = Body::new()
            .s("api_id", api_id.clone())
            .s("route_key", escape(key))
            .s(
                "target",
                format!("integrations/${{aws_apigatewayv2_integration.{n}.id}}"),
            );
        let name = format!("{n}_{i}");
        routes.push(format!("aws_apigatewayv2_route.{name}"));
        cx.m.resource(
            Area::Functions,
            node.role,
            "aws_apigatewayv2_route",
            &name,
            route,
        )?;
    }
    let stage = Body::new()
        .s("api_id", api_id)
        .s("name", escape(&a.stage))
        .b("auto_deploy", a.auto_deploy)
        .block(
            "access_log_settings",
            Body::new()
                .s("destination_arn", cx.x.tpl(&a.access_log_group)?)
                .s("format", escape(&a.access_log_format)),
        )
        .tags(&node.tags)
        .depends_on(routes);
    cx.m.resource(
        Area::Functions,
        node.role,
        "aws_apigatewayv2_stage",
        &n,
        stage,
    )?;
    let permission = Body::new()
        .s("statement_id", "allow-apigateway-front-door")
        .s("action", "lambda:InvokeFunction")
        .s("function_name", cx.x.tpl(&a.function)?)
        .s("principal", escape(&a.invoke_principal))
        .s(
            "source_arn",
            format!(
                "${{aws_apigatewayv2_api.{n}.execution_arn}}{}",
                escape(&a.invoke_scope)
            ),
        );
    cx.m.resource(
        Area::Functions,
        node.role,
        "aws_lambda_permission",
        &format!("{n}_api"),
        permission,
    )
}

pub fn certificate(cx: &mut Cx, node: &Node, c: &Certificate) -> Result<(), Error> {
    let n = ident(&node.id);
    let cert = Body::new()
        .s("domain_name", escape(&c.domain))
        .list(
            "subject_alternative_names",
            c.alternative_names.iter().map(|a| escape(a)).collect(),
        )
        .s("validation_method", escape(&c.validation_method))
        .tags(&node.tags);
    cx.m.resource(Area::Dns, node.role, "aws_acm_certificate", &n, cert)?;
    // One validation record per name, in that name's zone.
    let mut fqdns = Vec::new();
    for (i, v) in c.validation.iter().enumerate() {
        let name = format!("{n}_validation_{i}");
        let record = Body::new()
            .s(
                "for_each",
                format!(
                    "${{{{for o in aws_acm_certificate.{n}.domain_validation_options : o.domain_name => o if o.domain_name == \"{}\"}}}}",
                    escape(&v.domain)
                ),
            )
            .s("zone_id", cx.x.tpl(&v.zone_id)?)
            .s("name", "${each.value.resource_record_name}")
            .s("type", "${each.value.resource_record_type}")
            .list("records", vec!["${each.value.resource_record_value}".into()])
            .n("ttl", 60)
            .b("allow_overwrite", true);
        cx.m.resource(Area::Dns, node.role, "aws_route53_record", &name, record)?;
        fqdns.push(format!("[for r in aws_route53_record.{name} : r.fqdn]"));
    }
    let validation = Body::new()
        .s(
            "certificate_arn",
            format!("${{aws_acm_certificate.{n}.arn}}"),
        )
        .s(
            "validation_record_fqdns",
            format!("${{concat({})}}", fqdns.join(", ")),
        );
    cx.m.resource(
        Area::Dns,
        node.role,
        "aws_acm_certificate_validation",
        &n,
        validation,
    )
}

pub fn api_domain(cx: &mut Cx, node: &Node, d: &ApiDomain) -> Result<(), Error> {
    let n = ident(&node.id);
    let domain = Body::new()
        .s("domain_name", escape(&d.domain))
        .block(
            "domain_name_configuration",
            Body::new()
                .s("certificate_arn", cx.x.tpl(&d.certificate)?)
                .s("endpoint_type", escape(&d.endpoint_type))
                .s("security_policy", escape(&d.security_policy)),
        )
        .tags(&node.tags);
    cx.m.resource(
        Area::Dns,
        node.role,
        "aws_apigatewayv2_domain_name",
        &n,
        domain,
    )?;
    // The stage is named by its resource, so the mapping waits for it.
    let stage = match d.api.refs().first() {
        Some(r) => format!("${{aws_apigatewayv2_stage.{}.id}}", ident(&r.node)),
        None => escape(&d.stage),
    };
    let mapping = Body::new()
        .s("api_id", cx.x.tpl(&d.api)?)
        .s(
            "domain_name",
            format!("${{aws_apigatewayv2_domain_name.{n}.id}}"),
        )
        .s("stage", stage);
    cx.m.resource(
        Area::Dns,
        node.role,
        "aws_apigatewayv2_api_mapping",
        &n,
        mapping,
    )
}

/// The `alias` block of a record.
pub fn alias(cx: &mut Cx, a: &AliasTarget) -> Result<Body, Error> {
    Ok(Body::new()
        .s("name", cx.x.tpl(&a.dns_name)?)
        .s("zone_id", cx.x.tpl(&a.zone_id)?)
        .b("evaluate_target_health", a.evaluate_target_health))
}

pub fn alias_record(cx: &mut Cx, node: &Node, r: &AliasRecord) -> Result<(), Error> {
    let zone_id = super::dns::zone_id(cx, &r.zone)?;
    let body = Body::new()
        .s("zone_id", zone_id)
        .s("name", escape(&r.record_name))
        .s("type", escape(&r.record_type))
        .block("alias", alias(cx, &r.target)?);
    cx.m.resource(
        Area::Dns,
        node.role,
        "aws_route53_record",
        &ident(&node.id),
        body,
    )
}
