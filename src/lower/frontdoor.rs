//! The regional front door of a `dns` block with `serves = <function>`
//! (issue 10, defect 3): in each region an API Gateway HTTP API in front of
//! the function, a regional custom domain for the record name and one for the
//! region's own host name (the one its health check requests), a certificate
//! of that region validated by DNS in the site's zone, and the alias record of
//! the regional host name. Nothing runs at the edge: HTTP APIs have only
//! regional endpoints and a regional custom domain needs a certificate of its
//! own region, so no us-east-1 (CloudFront) dependency sits on the recovery
//! path (`notes/aws-research-issues-10-11.md` §4, §8.4).
//!
//! Sources:
//! - Regional custom domain, certificate in the API's region:
//!   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
//! - Lambda proxy integration, payload format 2.0 must be given outside the console:
//!   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
//! - `$default` stage with automatic deployment:
//!   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
//! - Access logging with `$context` variables:
//!   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
//! - A permission for a service principal should name the source ARN:
//!   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html
//! - ACM DNS validation in the zone (`HostedZoneId`):
//!   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-certificatemanager-certificate-domainvalidationoption.html

use super::Lower;
use crate::graph::{
    AliasRecord, AliasTarget, ApiDomain, Attr, CertValidation, Certificate, Derived, HttpApi,
    LogGroup, NodeId, NodeKind, Protection, Value, ZoneRef,
};
use crate::model::{Dns, Role};

/// The stage every front door serves from the base of its URL.
pub(crate) const STAGE: &str = "$default";

/// One region's front door, as the DNS records need it.
pub(crate) struct FrontDoor {
    /// The region's own host name, e.g. `api-use1.bank.example.com`: a custom
    /// domain of this region only, requested by the region's health check.
    pub host: String,
    /// The custom domain for the record name in this region (the weighted
    /// record's alias target).
    pub domain: NodeId,
}

/// The host name of `role`'s front door for `record` in `zone` (the zone's
/// domain when known): `api-use1.bank.example.com` for `api.bank.example.com`,
/// `use1.example.com` for a record at the zone apex.
pub(crate) fn regional_host(record: &str, zone: Option<&str>, short: &str) -> String {
    let at_apex = zone.is_some_and(|z| z.trim_end_matches('.').eq_ignore_ascii_case(record));
    match record.split_once('.') {
        Some((first, rest)) if !at_apex => format!("{first}-{short}.{rest}"),
        _ => format!("{short}.{record}"),
    }
}

/// The access log line: one JSON object per request (`$context` variables,
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html).
const ACCESS_LOG_FORMAT: &str = concat!(
    r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","#,
    r#""requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","#,
    r#""routeKey":"$context.routeKey","status":"$context.status","#,
    r#""protocol":"$context.protocol","responseLength":"$context.responseLength","#,
    r#""domainName":"$context.domainName","integrationError":"$context.integrationErrorMessage"}"#
);

/// Lowers both regions' front doors of `d`, serving `function` (a function
/// of the site); `None` when the function is not one (resolution reported it).
pub(crate) fn lower(
    cx: &mut Lower,
    d: &Dns,
    function: &str,
    zone: &ZoneRef,
    zone_domain: Option<&str>,
    zone_id: &Value,
) -> Option<[FrontDoor; 2]> {
    let f = cx.model.functions.iter().find(|f| f.name == function)?;
    let record = d.record.value.trim_end_matches('.').to_string();
    let fn_name = f.name.clone();
    let health_path = d.health_path.value.clone();
    let doors = Role::BOTH.map(|role| {
        let host = regional_host(&record, zone_domain, cx.site.short(role));
        let function_id = NodeId::new(&["function", &fn_name, role.as_str()]);
        // The function's own log retention (already checked and derived).
        let retention = match cx
            .node(&NodeId::new(&["logs", &fn_name, role.as_str()]))
            .map(|n| &n.kind)
        {
            Some(NodeKind::LogGroup(l)) => l.retention_days.clone(),
            _ => Derived::fixed(365),
        };
        let key = cx.ops_key(role);
        cx.use_key(&key, super::KeyUser::Logs);
        let api_name = cx.regional(&d.name, "api", role);
        let logs = cx.add(
            NodeId::new(&["logs", &format!("{}-api", d.name), role.as_str()]),
            role,
            format!("/aws/apigateway/{api_name}"),
            format!("Access logs of the `{}` front door", d.name),
            Protection {
                retain: cx.site.production,
                deletion_protection: false,
            },
            NodeKind::LogGroup(LogGroup {
                retention_days: retention,
                key: Some(cx.key_arn(&key)),
            }),
        );
        let api = cx.add(
            NodeId::new(&["api", &d.name, role.as_str()]),
            role,
            api_name,
            format!(
                "Front door of `{record}` in {}: function `{fn_name}`",
                cx.region(role)
            ),
            Protection::default(),
            NodeKind::HttpApi(HttpApi {
                function: Value::r(&function_id, Attr::Arn),
                integration_type: "AWS_PROXY".into(),
                payload_format_version: "2.0".into(),
                routes: vec![STAGE.to_string(), format!("GET {health_path}")],
                stage: STAGE.into(),
                auto_deploy: true,
                access_log_group: Value::r(&logs, Attr::Arn),
                access_log_format: ACCESS_LOG_FORMAT.into(),
                invoke_scope: format!("/{STAGE}/*"),
                invoke_principal: "apigateway.amazonaws.com".into(),
                disable_default_endpoint: true,
            }),
        );
        let cert = cx.add(
            NodeId::new(&["cert", &d.name, role.as_str()]),
            role,
            cx.regional(&d.name, "cert", role),
            format!(
                "Certificate of `{record}` and `{host}` in {}",
                cx.region(role)
            ),
            Protection::default(),
            NodeKind::Certificate(Certificate {
                domain: record.clone(),
                alternative_names: vec![host.clone()],
                validation_method: "DNS".into(),
                validation: [&record, &host]
                    .iter()
                    .map(|name| CertValidation {
                        domain: (*name).clone(),
                        zone_id: zone_id.clone(),
                    })
                    .collect(),
            }),
        );
        let mut domain = |label: &str, name: &str| {
            let id = NodeId::new(&["domain", label, role.as_str()]);
            cx.add(
                id,
                role,
                name.to_string(),
                format!("Regional custom domain `{name}` in {}", cx.region(role)),
                Protection::default(),
                NodeKind::ApiDomain(ApiDomain {
                    domain: name.to_string(),
                    certificate: Value::r(&cert, Attr::Arn),
                    endpoint_type: "REGIONAL".into(),
                    security_policy: "TLS_1_2".into(),
                    api: Value::r(&api, Attr::Id),
                    stage: STAGE.into(),
                }),
            )
        };
        let shared = domain(&d.name, &record);
        let own = domain(&format!("{}-host", d.name), &host);
        cx.add(
            NodeId::new(&["alias", &format!("{}-host", d.name), role.as_str()]),
            role,
            cx.regional(&format!("{}-host", d.name), "record", role),
            format!("{host} → the {} front door", cx.region(role)),
            Protection::default(),
            NodeKind::AliasRecord(AliasRecord {
                zone: zone.clone(),
                record_name: host.clone(),
                record_type: "A".into(),
                target: alias_target(&own),
            }),
        );
        FrontDoor {
            host,
            domain: shared,
        }
    });
    Some(doors)
}

/// An alias to a regional custom domain.
pub(crate) fn alias_target(domain: &NodeId) -> AliasTarget {
    AliasTarget {
        dns_name: Value::r(domain, Attr::TargetDomainName),
        zone_id: Value::r(domain, Attr::TargetZoneId),
        evaluate_target_health: false,
    }
}

#[cfg(test)]
mod tests {
    use super::regional_host;

    #[test]
    fn regional_hosts_stay_inside_the_zone() {
        assert_eq!(
            regional_host("api.bank.example.com", Some("bank.example.com"), "use1"),
            "api-use1.bank.example.com"
        );
        assert_eq!(
            regional_host("example.com", Some("example.com."), "usw2"),
            "usw2.example.com"
        );
        assert_eq!(
            regional_host("api.example.com", None, "usw2"),
            "api-usw2.example.com"
        );
    }
}
