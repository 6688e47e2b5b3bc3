//! The regional front door (issue 10, defect 3) as CloudFormation: HTTP API,
//! integration, routes, `$default` stage, Lambda permission, regional
//! certificate, custom domains with their API mappings, and alias records.
//! Property names checked against cfn-lint 1.51.0's bundled schemas
//! (`cfnlint/data/schemas/providers/us_east_1`, `AWS::ApiGatewayV2::*`,
//! `AWS::CertificateManager::Certificate`).

use super::{put, r#ref, tag_list, tag_map, Res};
use crate::emit::cfn::stacks::Stack;
use crate::emit::cfn::{logical_id, Cx};
use crate::graph::{AliasTarget, ApiDomain, Certificate, HttpApi, Node};
use serde_json::json;

/// The API, its integration, routes, stage and the permission to invoke the function.
pub(super) fn http_api(cx: &mut Cx, stack: Stack, n: &Node, l: &str, a: &HttpApi) {
    put(
        cx,
        stack,
        l.to_string(),
        Res::new("AWS::ApiGatewayV2::Api")
            .p("Name", json!(n.name))
            .p("Description", json!(n.description))
            .p("ProtocolType", json!("HTTP"))
            .p(
                "DisableExecuteApiEndpoint",
                json!(a.disable_default_endpoint),
            )
            .p("Tags", tag_map(&n.tags)),
    );
    let function = cx.value(&a.function, stack);
    let integration = format!("{l}Integration");
    put(
        cx,
        stack,
        integration.clone(),
        Res::new("AWS::ApiGatewayV2::Integration")
            .p("ApiId", r#ref(l))
            .p("Description", json!(n.description))
            .p("IntegrationType", json!(a.integration_type))
            .p("IntegrationUri", function.clone())
            .p("PayloadFormatVersion", json!(a.payload_format_version)),
    );
    let mut routes = Vec::new();
    for (i, key) in a.routes.iter().enumerate() {
        let route = format!("{l}Route{i}");
        put(
            cx,
            stack,
            route.clone(),
            Res::new("AWS::ApiGatewayV2::Route")
                .p("ApiId", r#ref(l))
                .p("RouteKey", json!(key))
                .p(
                    "Target",
                    json!({"Fn::Sub": format!("integrations/${{{integration}}}")}),
                ),
        );
        routes.push(route);
    }
    let logs = cx.value(&a.access_log_group, stack);
    let mut stage = Res::new("AWS::ApiGatewayV2::Stage")
        .p("ApiId", r#ref(l))
        .p("StageName", json!(a.stage))
        .p("AutoDeploy", json!(a.auto_deploy))
        .p(
            "AccessLogSettings",
            json!({"DestinationArn": logs, "Format": a.access_log_format}),
        )
        .p("Tags", tag_map(&n.tags));
    // The first automatic deployment should already carry the routes.
    stage.depends_on = routes;
    put(cx, stack, format!("{l}Stage"), stage);
    put(
        cx,
        stack,
        format!("{l}Permission"),
        Res::new("AWS::Lambda::Permission")
            .p("FunctionName", function)
            .p("Action", json!("lambda:InvokeFunction"))
            .p("Principal", json!(a.invoke_principal))
            .p(
                "SourceArn",
                json!({"Fn::Sub": format!(
                    "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{l}}}{}",
                    a.invoke_scope.replace("${", "${!")
                )}),
            ),
    );
}

/// A certificate of the stack's region, validated by DNS in the zone.
pub(super) fn certificate(cx: &mut Cx, stack: Stack, n: &Node, l: &str, c: &Certificate) {
    let options: Vec<serde_json::Value> = c
        .validation
        .iter()
        .map(|v| {
            let zone = cx.value(&v.zone_id, stack);
            json!({"DomainName": v.domain, "HostedZoneId": zone})
        })
        .collect();
    put(
        cx,
        stack,
        l.to_string(),
        Res::new("AWS::CertificateManager::Certificate")
            .p("DomainName", json!(c.domain))
            .p("SubjectAlternativeNames", json!(c.alternative_names))
            .p("ValidationMethod", json!(c.validation_method))
            .p("DomainValidationOptions", json!(options))
            .p("Tags", tag_list(&n.tags, None)),
    );
}

/// A regional custom domain and its mapping to the API's stage.
pub(super) fn api_domain(cx: &mut Cx, stack: Stack, n: &Node, l: &str, d: &ApiDomain) {
    let cert = cx.value(&d.certificate, stack);
    put(
        cx,
        stack,
        l.to_string(),
        Res::new("AWS::ApiGatewayV2::DomainName")
            .p("DomainName", json!(d.domain))
            .p(
                "DomainNameConfigurations",
                json!([{
                    "CertificateArn": cert,
                    "EndpointType": d.endpoint_type,
                    "SecurityPolicy": d.security_policy,
                }]),
            )
            .p("Tags", tag_map(&n.tags)),
    );
    let api = cx.value(&d.api, stack);
    let mut mapping = Res::new("AWS::ApiGatewayV2::ApiMapping")
        .p("ApiId", api)
        .p("DomainName", r#ref(l))
        .p("Stage", json!(d.stage));
    // The stage must exist before it is mapped (it is named, not referenced).
    if let Some(api_node) = d.api.refs().first().map(|r| r.node.clone()) {
        if cx.stack(&api_node) == stack {
            mapping.depends_on = vec![format!("{}Stage", logical_id(&api_node))];
        }
    }
    put(cx, stack, format!("{l}Mapping"), mapping);
}

/// `AliasTarget` of a record set.
pub(super) fn alias_target(cx: &mut Cx, stack: Stack, a: &AliasTarget) -> serde_json::Value {
    let name = cx.value(&a.dns_name, stack);
    let zone = cx.value(&a.zone_id, stack);
    json!({"DNSName": name, "HostedZoneId": zone, "EvaluateTargetHealth": a.evaluate_target_health})
}
