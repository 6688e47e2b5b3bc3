//! Issue 10, defect 3 ("No front door"): the reference site's `dns "api"`
//! serves `ingest`, so each region gets its own regional front door, read here
//! from the emitted files of both backends: an HTTP API with its `$default`
//! stage (access logs), a regional custom domain with a certificate of that
//! region, an API mapping and the Lambda permission; the weighted records alias
//! the regional domains and both regions' front doors are health-checked on the
//! health path. Nothing runs at the edge.
//!
//! Sources: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
//! ("You must provide a Region-specific ACM certificate. This certificate must be in the
//! same Region as your API."), `notes/aws-research-issues-10-11.md` §4 and §8.4.

mod support;

use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use support::*;

const REGIONS: [(&str, &str, &str); 2] = [
    ("Primary", "us-east-1", "api-use1.bank.example.com"),
    ("Secondary", "us-west-2", "api-usw2.bank.example.com"),
];

/// Every resource of every template: logical id → (file, resource).
fn cfn_index(b: &Built) -> BTreeMap<String, (String, Json)> {
    b.all()
        .into_iter()
        .map(|(f, l, r)| (l.to_string(), (f.to_string(), r.clone())))
        .collect()
}

#[test]
fn cloudformation_builds_a_regional_front_door_in_each_region() {
    let b = reference();
    let all = cfn_index(b);
    let get = |l: &str| -> (&str, &Json) {
        let (f, r) = all.get(l).unwrap_or_else(|| panic!("no resource `{l}`"));
        (f.as_str(), &r["Properties"])
    };
    for (side, region, host) in REGIONS {
        let api = format!("ApiApi{side}");
        let (api_file, p) = get(&api);
        assert_eq!(b.region_of(api_file), region, "{api} in {api_file}");
        assert_eq!(p["ProtocolType"], "HTTP");
        assert_eq!(p["DisableExecuteApiEndpoint"], true);
        let same_region = |l: &str| {
            let (f, _) = get(l);
            assert_eq!(b.region_of(f), region, "`{l}` is in {f}, not in {region}");
        };

        let (_, i) = get(&format!("{api}Integration"));
        same_region(&format!("{api}Integration"));
        assert_eq!(i["IntegrationType"], "AWS_PROXY");
        assert_eq!(i["PayloadFormatVersion"], "2.0");
        assert_eq!(i["ApiId"], json!({"Ref": api}));
        let routes: Vec<&Json> = (0..2)
            .map(|n| &get(&format!("{api}Route{n}")).1["RouteKey"])
            .collect();
        assert_eq!(routes, [&json!("$default"), &json!("GET /health")]);

        let (_, st) = get(&format!("{api}Stage"));
        assert_eq!(st["StageName"], "$default");
        assert_eq!(st["AutoDeploy"], true);
        let dest = &st["AccessLogSettings"]["DestinationArn"];
        assert!(
            dest.to_string()
                .contains("log-group:/aws/apigateway/api-api-production-txn01-"),
            "access logs go to the API's log group: {dest}"
        );
        assert!(st["AccessLogSettings"]["Format"]
            .as_str()
            .is_some_and(|f| f.contains("$context.requestId")));
        let (_, logs) = get(&format!("LogsApiApi{side}"));
        same_region(&format!("LogsApiApi{side}"));
        assert!(
            !logs["KmsKeyId"].is_null(),
            "the access log group is encrypted"
        );

        let (_, perm) = get(&format!("{api}Permission"));
        same_region(&format!("{api}Permission"));
        assert_eq!(perm["Principal"], "apigateway.amazonaws.com");
        assert_eq!(perm["Action"], "lambda:InvokeFunction");
        assert_eq!(
            perm["SourceArn"],
            json!({"Fn::Sub": format!(
                "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/$default/*"
            )}),
            "the permission is scoped to this API's execution ARN"
        );

        // The certificate is in this region's stack, for both names, validated in the zone.
        let cert = format!("CertApi{side}");
        let (cert_file, c) = get(&cert);
        assert_eq!(
            b.region_of(cert_file),
            region,
            "certificate of {region} in {cert_file}"
        );
        assert_eq!(c["DomainName"], "api.bank.example.com");
        assert_eq!(c["SubjectAlternativeNames"], json!([host]));
        assert_eq!(c["ValidationMethod"], "DNS");
        let options = c["DomainValidationOptions"].as_array().expect("options");
        assert_eq!(options.len(), 2);
        for o in options {
            assert_eq!(
                o["HostedZoneId"],
                json!({"Ref": "HostedZoneIdBankExampleCom"})
            );
        }

        // Two regional domains (the record name and the region's own host), each mapped.
        for (domain, name) in [
            (format!("DomainApi{side}"), "api.bank.example.com"),
            (format!("DomainApiHost{side}"), host),
        ] {
            let (_, d) = get(&domain);
            same_region(&domain);
            assert_eq!(d["DomainName"], name);
            let config = &d["DomainNameConfigurations"][0];
            assert_eq!(config["EndpointType"], "REGIONAL");
            assert_eq!(config["SecurityPolicy"], "TLS_1_2");
            let (cf, _) = get(&cert);
            let expect_cert = if cf == get(&domain).0 {
                json!({"Ref": cert})
            } else {
                json!({"Ref": format!("{cert}Arn")})
            };
            assert_eq!(config["CertificateArn"], expect_cert);
            let (_, m) = get(&format!("{domain}Mapping"));
            assert_eq!(m["DomainName"], json!({"Ref": domain}));
            assert_eq!(m["ApiId"], json!({"Ref": api}));
            assert_eq!(m["Stage"], "$default");
        }

        // The failover record aliases this region's domain (from the other
        // stack, through a parameter, for the primary) and carries the health
        // check the Region switch plan created for this region.
        let (file, rec) = get(&format!("RecordApi{side}"));
        assert_eq!(
            file, "secondary.json",
            "the records are created with the plan"
        );
        let target = format!("DomainApi{side}");
        assert_eq!(rec["Type"], "A");
        for (key, attr) in [
            ("DNSName", "RegionalDomainName"),
            ("HostedZoneId", "RegionalHostedZoneId"),
        ] {
            let v = &rec["AliasTarget"][key];
            assert!(
                v == &json!({"Fn::GetAtt": [target, attr]})
                    || v == &json!({"Ref": format!("{target}{attr}")}),
                "{side} {key}: {v}"
            );
        }
        assert!(rec["TTL"].is_null() && rec["ResourceRecords"].is_null());
        let (failover, index) = if side == "Primary" {
            ("PRIMARY", 0)
        } else {
            ("SECONDARY", 1)
        };
        assert_eq!(rec["Failover"], failover);
        assert!(rec["Weight"].is_null());
        assert_eq!(
            rec["HealthCheckId"],
            json!({"Fn::Select": [3, {"Fn::Split": [":", {"Fn::Select": [
                index, {"Fn::GetAtt": ["PlanRegionSwitchSecondary", "PlanHealthChecks"]}
            ]}]}]})
        );
        // drsc's own check of the front door (R15) stays, untied.
        let hc = format!("HcApi{side}");
        let (_, h) = get(&hc);
        let c = &h["HealthCheckConfig"];
        assert_eq!(c["FullyQualifiedDomainName"], host);
        assert_eq!(c["ResourcePath"], "/health");
        assert_eq!(c["Type"], "HTTPS");
        assert_eq!(c["EnableSNI"], true);

        // The host the health check requests resolves to this region's front door.
        let (_, alias) = get(&format!("AliasApiHost{side}"));
        assert_eq!(alias["Name"], host);
        assert_eq!(
            alias["AliasTarget"]["DNSName"],
            json!({"Fn::GetAtt": [format!("DomainApiHost{side}"), "RegionalDomainName"]})
        );
    }
    assert_eq!(b.resources("AWS::Route53::HealthCheck").len(), 2);
    for (_, l, r) in b.all() {
        let ty = r["Type"].as_str().unwrap_or_default();
        assert!(
            !ty.starts_with("AWS::CloudFront::") && !ty.starts_with("AWS::ApiGateway::"),
            "{l}: {ty} is an edge (or REST edge-optimized) resource"
        );
        if ty == "AWS::ApiGatewayV2::DomainName" {
            for c in r["Properties"]["DomainNameConfigurations"]
                .as_array()
                .into_iter()
                .flatten()
            {
                assert_eq!(c["EndpointType"], "REGIONAL", "{l}");
            }
        }
    }
}

/// The Terraform module of the reference site: `type.name` → (provider, body).
fn tf_resources() -> BTreeMap<String, (String, Json)> {
    support::tf_resources(&emit_tf(&graph(&reference_path())))
        .into_iter()
        .map(|((ty, name), body)| {
            let provider = body["provider"].as_str().unwrap_or_default().to_string();
            (format!("{ty}.{name}"), (provider, body))
        })
        .collect()
}

#[test]
fn terraform_builds_a_regional_front_door_in_each_region() {
    let res = tf_resources();
    let get = |addr: &str| -> &(String, Json) {
        res.get(addr)
            .unwrap_or_else(|| panic!("no resource `{addr}`"))
    };
    for (side, _region, host) in REGIONS {
        let s = side.to_ascii_lowercase();
        let provider = format!("aws.{s}");
        let api = format!("api_api_{s}");
        let in_region = |addr: &str| {
            let (p, b) = get(addr);
            assert_eq!(p, &provider, "{addr} is not in the {s} region's provider");
            b
        };
        let a = in_region(&format!("aws_apigatewayv2_api.{api}"));
        assert_eq!(a["protocol_type"], "HTTP");
        assert_eq!(a["disable_execute_api_endpoint"], true);
        let i = in_region(&format!("aws_apigatewayv2_integration.{api}"));
        assert_eq!(i["integration_type"], "AWS_PROXY");
        assert_eq!(i["payload_format_version"], "2.0");
        assert_eq!(
            i["integration_uri"],
            format!("${{aws_lambda_function.function_ingest_{s}.arn}}")
        );
        let keys: Vec<&Json> = (0..2)
            .map(|n| &in_region(&format!("aws_apigatewayv2_route.{api}_{n}"))["route_key"])
            .collect();
        assert_eq!(keys, [&json!("$default"), &json!("GET /health")]);
        let st = in_region(&format!("aws_apigatewayv2_stage.{api}"));
        assert_eq!(st["name"], "$default");
        assert_eq!(st["auto_deploy"], true);
        assert_eq!(
            st["access_log_settings"][0]["destination_arn"],
            format!("${{aws_cloudwatch_log_group.logs_api_api_{s}.arn}}")
        );
        let logs = in_region(&format!("aws_cloudwatch_log_group.logs_api_api_{s}"));
        assert!(
            !logs["kms_key_id"].is_null(),
            "the access log group is encrypted"
        );
        let p = in_region(&format!("aws_lambda_permission.{api}_api"));
        assert_eq!(p["principal"], "apigateway.amazonaws.com");
        assert_eq!(
            p["source_arn"],
            format!("${{aws_apigatewayv2_api.{api}.execution_arn}}/$default/*")
        );

        // The certificate, its validation records and its validation, in this region.
        let cert = format!("cert_api_{s}");
        let c = in_region(&format!("aws_acm_certificate.{cert}"));
        assert_eq!(c["domain_name"], "api.bank.example.com");
        assert_eq!(c["subject_alternative_names"], json!([host]));
        assert_eq!(c["validation_method"], "DNS");
        for n in 0..2 {
            let v = in_region(&format!("aws_route53_record.{cert}_validation_{n}"));
            assert!(v["for_each"].as_str().is_some_and(|f| f.contains(&format!(
                "aws_acm_certificate.{cert}.domain_validation_options"
            ))));
            assert_eq!(v["name"], "${each.value.resource_record_name}");
            assert_eq!(v["allow_overwrite"], true);
        }
        let v = in_region(&format!("aws_acm_certificate_validation.{cert}"));
        assert_eq!(
            v["certificate_arn"],
            format!("${{aws_acm_certificate.{cert}.arn}}")
        );

        for (label, name) in [("api", "api.bank.example.com"), ("api_host", host)] {
            let d = in_region(&format!("aws_apigatewayv2_domain_name.domain_{label}_{s}"));
            assert_eq!(d["domain_name"], name);
            let conf = &d["domain_name_configuration"][0];
            assert_eq!(conf["endpoint_type"], "REGIONAL");
            assert_eq!(conf["security_policy"], "TLS_1_2");
            assert_eq!(
                conf["certificate_arn"],
                format!("${{aws_acm_certificate_validation.{cert}.certificate_arn}}")
            );
            let m = in_region(&format!("aws_apigatewayv2_api_mapping.domain_{label}_{s}"));
            assert_eq!(m["api_id"], format!("${{aws_apigatewayv2_api.{api}.id}}"));
            assert_eq!(m["stage"], format!("${{aws_apigatewayv2_stage.{api}.id}}"));
        }

        let rec = &get(&format!("aws_route53_record.record_api_{s}")).1;
        let alias = &rec["alias"][0];
        assert_eq!(rec["type"], "A");
        assert_eq!(
            alias["name"],
            format!("${{aws_apigatewayv2_domain_name.domain_api_{s}.domain_name_configuration[0].target_domain_name}}")
        );
        assert_eq!(
            alias["zone_id"],
            format!("${{aws_apigatewayv2_domain_name.domain_api_{s}.domain_name_configuration[0].hosted_zone_id}}")
        );
        assert!(rec["ttl"].is_null() && rec["records"].is_null());
        let region = if s == "primary" {
            "us-east-1"
        } else {
            "us-west-2"
        };
        assert_eq!(
            rec["health_check_id"],
            format!("${{[for h in data.aws_arcregionswitch_route53_health_checks.plan_region_switch_secondary.health_checks : h.health_check_id if h.region == \"{region}\"][0]}}")
        );
        assert_eq!(
            rec["failover_routing_policy"][0]["type"],
            if s == "primary" {
                "PRIMARY"
            } else {
                "SECONDARY"
            }
        );
        let hc = &get(&format!("aws_route53_health_check.hc_api_{s}")).1;
        assert_eq!(hc["fqdn"], host);
        assert_eq!(hc["resource_path"], "/health");
        assert_eq!(hc["type"], "HTTPS");
        let own = &get(&format!("aws_route53_record.alias_api_host_{s}")).1;
        assert_eq!(own["name"], host);
    }
    let checks = res
        .keys()
        .filter(|k| k.starts_with("aws_route53_health_check."))
        .count();
    assert_eq!(checks, 2);
    for addr in res.keys() {
        assert!(
            !addr.starts_with("aws_cloudfront_") && !addr.starts_with("aws_api_gateway_"),
            "{addr} is an edge resource"
        );
    }
}

#[test]
fn external_endpoints_are_health_checked_in_both_regions() {
    let text = reference_text().replace(
        "  serves            = ingest\n",
        "  primary_endpoint   = \"api-use1.bank.example.com\"\n  secondary_endpoint = \"api-usw2.bank.example.com\"\n",
    );
    let model = model_text("transactions.drs", &text).expect("a model");
    let g = drsc::lower::lower(&model).ok().expect("lowers");
    let b = emit(&g);
    let checks = b.resources("AWS::Route53::HealthCheck");
    let mut hosts: Vec<&Json> = checks
        .iter()
        .map(|(_, _, r)| &r["Properties"]["HealthCheckConfig"]["FullyQualifiedDomainName"])
        .collect();
    hosts.sort_by_key(|h| h.to_string());
    assert_eq!(
        hosts,
        [
            &json!("api-use1.bank.example.com"),
            &json!("api-usw2.bank.example.com")
        ]
    );
    for (_, l, r) in b.resources("AWS::Route53::RecordSet") {
        let p = &r["Properties"];
        assert_eq!(p["Type"], "CNAME", "{l}");
        assert!(!p["HealthCheckId"].is_null(), "{l} has a health check");
    }
    assert!(b.resources("AWS::ApiGatewayV2::Api").is_empty());
    assert!(b.readme().contains("DRS0327"));
}

#[test]
fn the_readme_explains_the_front_door() {
    let r = reference().readme();
    assert!(r.contains("## Front door"), "{r}");
    for want in [
        "regional** custom domain",
        "`https://api-use1.bank.example.com/health`",
        "`https://api-usw2.bank.example.com/health`",
        "no CloudFront",
    ] {
        assert!(r.contains(want), "README lacks `{want}`");
    }
}
