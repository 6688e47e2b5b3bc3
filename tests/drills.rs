//! Issue 13 item 3 (R37): region-loss drills. Every site in `specs/` that
//! declares a `drill` gets one AWS FIS experiment template in its primary
//! region in both backends, with the actions its resources allow (cross-region
//! route disruption of the primary subnets, S3 and DynamoDB replication
//! pauses), stop conditions that are the site's own alarms of that region,
//! logs to an encrypted log group and reports to an encrypted bucket, and a
//! role trusted by FIS whose statements name the site's resources (ARNs) or
//! FIS's own (tag `managedByFIS`). Sources: the FIS actions reference,
//! <https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html>.

mod support;

use drsc::emit::tf;
use drsc::model::{Model, Replication};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use support::*;

const ROUTES: &str = "aws:network:route-table-disrupt-cross-region-connectivity";
const S3: &str = "aws:s3:bucket-pause-replication";
const DYNAMODB: &str = "aws:dynamodb:global-table-pause-replication";

/// The actions a site's drill must have, from the model.
fn expected_actions(m: &Model) -> BTreeSet<&'static str> {
    let mut want = BTreeSet::new();
    if m.network.is_some() {
        want.insert(ROUTES);
    }
    if m.buckets
        .iter()
        .any(|b| b.replication.value != Replication::None)
    {
        want.insert(S3);
    }
    if !m.tables.is_empty() {
        want.insert(DYNAMODB);
    }
    want
}

fn drilled_sites() -> Vec<(std::path::PathBuf, Model)> {
    let v: Vec<_> = sites()
        .into_iter()
        .map(|p| {
            let m = model(&p);
            (p, m)
        })
        .filter(|(_, m)| m.drill.as_ref().is_some_and(|d| d.enabled.value))
        .collect();
    assert!(v.len() >= 3, "the production specs drill: {v:?}");
    v
}

/// The Terraform module of a site: file name → parsed document.
fn tf_docs(site: &Path) -> BTreeMap<String, Value> {
    let out = tf::emit(
        &graph(site),
        &tf::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    out.files
        .iter()
        .filter(|(p, _)| p.ends_with(".tf.json"))
        .map(|(p, b)| (p.clone(), serde_json::from_slice(b).unwrap()))
        .collect()
}

fn tf_resources<'a>(docs: &'a BTreeMap<String, Value>, ty: &str) -> Vec<(&'a str, &'a Value)> {
    docs.values()
        .filter_map(|d| d["resource"][ty].as_object())
        .flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), v)))
        .collect()
}

/// The statements of a CloudFormation role's managed policy.
fn cfn_statements<'a>(b: &'a Built, role: &str) -> Vec<&'a Value> {
    b.all()
        .into_iter()
        .filter(|(_, _, r)| r["Type"] == "AWS::IAM::ManagedPolicy")
        .filter(|(_, _, r)| {
            r["Properties"]["Roles"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|x| x["Ref"] == role)
        })
        .flat_map(|(_, _, r)| {
            r["Properties"]["PolicyDocument"]["Statement"]
                .as_array()
                .unwrap()
                .iter()
        })
        .collect()
}

fn list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

#[test]
fn cfn_one_template_in_the_primary_with_the_actions_the_site_allows() {
    for (site, m) in drilled_sites() {
        let b = build(&site);
        let t = b.resources("AWS::FIS::ExperimentTemplate");
        assert_eq!(t.len(), 1, "{site:?}");
        let (file, logical, t) = t[0];
        assert_eq!(b.region_of(file), m.site.primary.value, "{site:?}");
        let p = &t["Properties"];
        let actions: BTreeSet<&str> = p["Actions"]
            .as_object()
            .unwrap()
            .values()
            .map(|a| a["ActionId"].as_str().unwrap())
            .collect();
        assert_eq!(actions, expected_actions(&m), "{site:?}");
        let want = m.drill.as_ref().unwrap().duration.value.as_secs();
        for a in p["Actions"].as_object().unwrap().values() {
            let d = a["Parameters"]["duration"].as_str().unwrap();
            let secs = if let Some(h) = d.strip_prefix("PT").and_then(|x| x.strip_suffix('H')) {
                h.parse::<u64>().unwrap() * 3_600
            } else if let Some(mi) = d.strip_prefix("PT").and_then(|x| x.strip_suffix('M')) {
                mi.parse::<u64>().unwrap() * 60
            } else {
                d[2..d.len() - 1].parse().unwrap()
            };
            assert_eq!(secs, want, "{site:?} {a}");
            let id = a["ActionId"].as_str().unwrap();
            if id != DYNAMODB {
                // The route action isolates the secondary region; the S3 pause
                // names where the destination buckets are: the secondary too.
                assert_eq!(a["Parameters"]["region"], m.site.secondary.value.as_str());
            }
            // Every action names a target of the template, of the documented type.
            let (key, target) = a["Targets"].as_object().unwrap().iter().next().unwrap();
            let target = &p["Targets"][target.as_str().unwrap()];
            let (want_key, want_type) = match id {
                ROUTES => ("Subnets", "aws:ec2:subnet"),
                S3 => ("Buckets", "aws:s3:bucket"),
                _ => ("Tables", "aws:dynamodb:global-table"),
            };
            assert_eq!(key, want_key);
            assert_eq!(target["ResourceType"], want_type, "{site:?}");
            assert_eq!(target["SelectionMode"], "ALL");
            if id == S3 {
                // "This action only supports targeting by tags."
                assert!(target["ResourceTags"]["DR-Drill"].is_string(), "{target}");
                assert!(target.get("ResourceArns").is_none());
            } else {
                assert!(!list(&target["ResourceArns"]).is_empty(), "{target}");
            }
        }
        assert_eq!(p["ExperimentOptions"]["EmptyTargetResolutionMode"], "fail");
        assert_eq!(p["ExperimentOptions"]["AccountTargeting"], "single-account");
        // The template id is a stack output the README's procedure reads.
        let outputs = &b.templates[file]["Outputs"];
        assert_eq!(
            outputs["DrillExperimentTemplateId"]["Value"]["Ref"], *logical,
            "{site:?}"
        );
        assert!(b.readme().contains("DrillExperimentTemplateId"));
    }
}

#[test]
fn cfn_the_reference_drill_disrupts_routes_buckets_and_tables() {
    let b = reference();
    let (_, _, t) = b.resources("AWS::FIS::ExperimentTemplate")[0];
    let p = &t["Properties"];
    let subnets = list(&p["Targets"]["primary-subnets"]["ResourceArns"]);
    assert_eq!(subnets.len(), 2, "one private subnet per zone");
    for s in subnets {
        let sub = s["Fn::Sub"].as_str().unwrap();
        assert!(
            sub.contains(":ec2:us-east-1:") && sub.contains(":subnet/${VpcCorePrimarySubnet"),
            "{sub}"
        );
    }
    let tables = list(&p["Targets"]["global-tables"]["ResourceArns"]);
    assert_eq!(tables.len(), 1);
    assert!(tables[0]["Fn::Sub"]
        .as_str()
        .unwrap()
        .ends_with(":table/transaction-meta-table-production-txn01"));
    // The source bucket carries the tag the S3 target selects by; the replica does not.
    let tag = p["Targets"]["primary-source-buckets"]["ResourceTags"]["DR-Drill"]
        .as_str()
        .unwrap();
    let buckets = b.resources("AWS::S3::Bucket");
    let tagged: Vec<&str> = buckets
        .iter()
        .filter(|(_, _, r)| {
            list(&r["Properties"]["Tags"])
                .iter()
                .any(|t| t["Key"] == "DR-Drill" && t["Value"] == tag)
        })
        .map(|(_, _, r)| r["Properties"]["BucketName"].as_str().unwrap())
        .collect();
    assert_eq!(tagged, ["documents-bucket-production-txn01-use1"]);
}

#[test]
fn cfn_stop_conditions_are_the_sites_alarms_in_the_same_region() {
    for (site, _) in drilled_sites() {
        let b = build(&site);
        let (file, _, t) = b.resources("AWS::FIS::ExperimentTemplate")[0];
        let alarms: BTreeMap<String, &Value> = b
            .resources("AWS::CloudWatch::Alarm")
            .into_iter()
            .filter(|(f, _, _)| *f == file)
            .map(|(_, l, r)| (l.to_string(), r))
            .collect();
        let stops = list(&t["Properties"]["StopConditions"]);
        assert!(!stops.is_empty(), "{site:?}");
        for s in stops {
            assert_eq!(s["Source"], "aws:cloudwatch:alarm", "{site:?}: {s}");
            // `Fn::GetAtt` of an alarm of the same template: the same region.
            let l = s["Value"]["Fn::GetAtt"][0].as_str().unwrap();
            let alarm = alarms.get(l).unwrap_or_else(|| panic!("{site:?}: {l}"));
            // Not the replication-latency alarms the pause raises by design.
            assert_ne!(alarm["Properties"]["MetricName"], "ReplicationLatency");
        }
    }
}

#[test]
fn cfn_logs_are_encrypted_with_retention_and_reports_go_to_an_encrypted_bucket() {
    for (site, m) in drilled_sites() {
        let b = build(&site);
        let (file, _, t) = b.resources("AWS::FIS::ExperimentTemplate")[0];
        let p = &t["Properties"];
        assert_eq!(p["LogConfiguration"]["LogSchemaVersion"], 2);
        let arn = p["LogConfiguration"]["CloudWatchLogsConfiguration"]["LogGroupArn"]["Fn::Sub"]
            .as_str()
            .unwrap();
        assert!(arn.ends_with(":*"), "{arn}");
        let name = arn
            .split(":log-group:")
            .nth(1)
            .unwrap()
            .trim_end_matches(":*");
        let groups = b.resources("AWS::Logs::LogGroup");
        let (gf, _, g) = groups
            .iter()
            .find(|(_, _, g)| g["Properties"]["LogGroupName"] == name)
            .unwrap_or_else(|| panic!("{site:?}: {name}"));
        assert_eq!(*gf, file, "the log group is in the template's region");
        assert!(g["Properties"]["KmsKeyId"].is_object(), "{g}");
        assert_eq!(
            g["Properties"]["RetentionInDays"],
            m.site.log_retention.value.as_secs() / 86_400
        );
        let report =
            &p["ExperimentReportConfiguration"]["Outputs"]["ExperimentReportS3Configuration"];
        let bucket = report["BucketName"]["Ref"].as_str().unwrap();
        let bk = &b.templates[file]["Resources"][bucket]["Properties"];
        let sse = &bk["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"];
        assert_eq!(sse["SSEAlgorithm"], "aws:kms", "{site:?}");
        assert_eq!(bk["VersioningConfiguration"]["Status"], "Enabled");
    }
}

#[test]
fn cfn_the_role_trusts_fis_and_names_the_sites_resources_or_fis_own() {
    for (site, _) in drilled_sites() {
        let b = build(&site);
        let (_, _, t) = b.resources("AWS::FIS::ExperimentTemplate")[0];
        let role = t["Properties"]["RoleArn"]["Fn::GetAtt"][0]
            .as_str()
            .unwrap();
        let (_, _, r) = b
            .resources("AWS::IAM::Role")
            .into_iter()
            .find(|(_, l, _)| *l == role)
            .unwrap();
        let trust = &r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
        assert_eq!(trust["Principal"]["Service"], "fis.amazonaws.com");
        let statements = cfn_statements(&b, role);
        assert!(!statements.is_empty(), "{site:?}");
        for s in &statements {
            let actions: Vec<&str> = list(&s["Action"])
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            let resources = list(&s["Resource"]);
            let wildcard = resources.iter().any(|r| *r == "*");
            let fis_created = actions.iter().any(|a| {
                [
                    "ec2:CreateRouteTable",
                    "ec2:DeleteRouteTable",
                    "ec2:CreateManagedPrefixList",
                    "ec2:DeleteManagedPrefixList",
                    "ec2:ModifyManagedPrefixList",
                    "ec2:DeleteNetworkInterface",
                    "ec2:CreateTags",
                    "ec2:CreateRoute",
                ]
                .contains(a)
            }) && resources.iter().all(|r| r.to_string().contains("/*"));
            if fis_created
                && !resources
                    .iter()
                    .any(|r| r.to_string().contains("vpc/") || r.to_string().contains("subnet/"))
            {
                // Resources FIS creates itself: limited by the managedByFIS tag.
                let cond = &s["Condition"]["StringEquals"];
                assert!(
                    cond["aws:RequestTag/managedByFIS"] == "true"
                        || cond["aws:ResourceTag/managedByFIS"] == "true",
                    "{site:?}: {s}"
                );
            }
            if wildcard {
                for a in &actions {
                    assert!(
                        a.starts_with("ec2:Describe")
                            || ["s3:ListAllMyBuckets", "tag:GetResources"].contains(a)
                            || a.starts_with("logs:"),
                        "{site:?}: {a} on *"
                    );
                }
            }
        }
        let all: BTreeSet<&str> = statements
            .iter()
            .flat_map(|s| list(&s["Action"]))
            .map(|a| a.as_str().unwrap())
            .collect();
        let (_, _, t) = b.resources("AWS::FIS::ExperimentTemplate")[0];
        let ids: BTreeSet<&str> = t["Properties"]["Actions"]
            .as_object()
            .unwrap()
            .values()
            .map(|a| a["ActionId"].as_str().unwrap())
            .collect();
        // The permissions the FIS actions reference lists, per action present.
        if ids.contains(S3) {
            for a in [
                "s3:PutReplicationConfiguration",
                "s3:GetReplicationConfiguration",
                "s3:PauseReplication",
                "s3:ListAllMyBuckets",
                "tag:GetResources",
            ] {
                assert!(all.contains(a), "{site:?}: {a}");
            }
            let put = statements
                .iter()
                .find(|s| s["Action"] == "s3:PutReplicationConfiguration")
                .unwrap();
            assert_eq!(
                put["Condition"]["Bool"]["s3:IsReplicationPauseRequest"],
                true
            );
        }
        if ids.contains(DYNAMODB) {
            for a in [
                "dynamodb:PutResourcePolicy",
                "dynamodb:DeleteResourcePolicy",
                "dynamodb:GetResourcePolicy",
                "dynamodb:DescribeTable",
            ] {
                assert!(all.contains(a), "{site:?}: {a}");
            }
        }
        if ids.contains(ROUTES) {
            for a in [
                "ec2:AssociateRouteTable",
                "ec2:CreateManagedPrefixList",
                "ec2:CreateNetworkInterface",
                "ec2:CreateRoute",
                "ec2:CreateRouteTable",
                "ec2:CreateTags",
                "ec2:DeleteManagedPrefixList",
                "ec2:DeleteNetworkInterface",
                "ec2:DeleteRouteTable",
                "ec2:DescribeManagedPrefixLists",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeRouteTables",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcPeeringConnections",
                "ec2:DescribeVpcs",
                "ec2:DisassociateRouteTable",
                "ec2:GetManagedPrefixListEntries",
                "ec2:ModifyManagedPrefixList",
                "ec2:ModifyVpcEndpoint",
                "ec2:ReplaceRouteTableAssociation",
            ] {
                assert!(all.contains(a), "{site:?}: {a}");
            }
        }
    }
}

#[test]
fn tf_one_template_in_the_primary_provider_with_the_same_actions() {
    for (site, m) in drilled_sites() {
        let docs = tf_docs(&site);
        let t = tf_resources(&docs, "aws_fis_experiment_template");
        assert_eq!(t.len(), 1, "{site:?}");
        let (name, t) = t[0];
        assert_eq!(t["provider"], "aws.primary");
        let actions: BTreeSet<&str> = t["action"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["action_id"].as_str().unwrap())
            .collect();
        assert_eq!(actions, expected_actions(&m), "{site:?}");
        let stops = t["stop_condition"].as_array().unwrap();
        assert!(!stops.is_empty());
        for s in stops {
            assert_eq!(s["source"], "aws:cloudwatch:alarm");
            assert!(
                s["value"]
                    .as_str()
                    .unwrap()
                    .starts_with("${aws_cloudwatch_metric_alarm."),
                "{s}"
            );
        }
        let logs = &t["log_configuration"][0];
        assert_eq!(logs["log_schema_version"], 2);
        let arn = logs["cloudwatch_logs_configuration"][0]["log_group_arn"]
            .as_str()
            .unwrap();
        assert!(
            arn.starts_with("${aws_cloudwatch_log_group.") && arn.ends_with(".arn}:*"),
            "{arn}"
        );
        let group = arn
            .trim_start_matches("${aws_cloudwatch_log_group.")
            .trim_end_matches(".arn}:*");
        let g = tf_resources(&docs, "aws_cloudwatch_log_group")
            .into_iter()
            .find(|(n, _)| *n == group)
            .unwrap()
            .1;
        assert!(
            g["kms_key_id"].as_str().is_some_and(|k| !k.is_empty()),
            "{g}"
        );
        assert_eq!(g["provider"], "aws.primary");
        assert!(
            t["experiment_report_configuration"][0]["outputs"][0]["s3_configuration"][0]
                ["bucket_name"]
                .as_str()
                .unwrap()
                .starts_with("${aws_s3_bucket.")
        );
        // The id is a Terraform output the README's procedure reads.
        let out = format!("{name}_id");
        assert!(
            docs["outputs.tf.json"]["output"][&out].is_object(),
            "{site:?}: {out}"
        );
        let role = t["role_arn"].as_str().unwrap();
        let role = role
            .trim_start_matches("${aws_iam_role.")
            .trim_end_matches(".arn}");
        let r = tf_resources(&docs, "aws_iam_role")
            .into_iter()
            .find(|(n, _)| *n == role)
            .unwrap()
            .1;
        let trust: Value = serde_json::from_str(r["assume_role_policy"].as_str().unwrap()).unwrap();
        assert_eq!(
            trust["Statement"][0]["Principal"]["Service"],
            "fis.amazonaws.com"
        );
    }
}

#[test]
fn no_template_when_the_drill_is_off_or_absent() {
    // A staging reference site (std/finserv demands drills in production only).
    let text = reference_text().replace("environment = production", "environment = staging");
    let off = text.replace(
        "drill {\n  duration = 30m\n}",
        "drill {\n  enabled  = false\n  duration = 30m\n}",
    );
    assert_ne!(
        off, text,
        "the reference site declares its drill as expected"
    );
    let without = text.replace("drill {\n  duration = 30m\n}", "");
    for variant in [off, without] {
        let m = model_text("site.drs", &variant).unwrap_or_else(|e| panic!("{e:#?}"));
        let g = drsc::lower::lower(&m).graph;
        assert!(
            !g.nodes
                .iter()
                .any(|n| matches!(n.kind, drsc::graph::NodeKind::DrillTemplate(_))),
            "no FIS template"
        );
        assert!(!g.nodes.iter().any(|n| n.tags.contains_key("DR-Drill")));
        assert!(!g.nodes.iter().any(|n| n.name.contains("drill")));
        let b = emit(&g);
        assert!(b.resources("AWS::FIS::ExperimentTemplate").is_empty());
        assert!(!b.readme().contains("## Drills"));
    }
}

#[test]
fn the_drill_is_not_on_the_recovery_path() {
    // The template lives in the primary region deliberately: losing it loses
    // nothing the recovery needs, so the region-loss simulation of the
    // reference site stays intact.
    let g = graph(&reference_path());
    let loss = [
        drsc::objectives::region_loss::simulate(&g, drsc::graph::Role::Primary),
        drsc::objectives::region_loss::simulate(&g, drsc::graph::Role::Secondary),
    ];
    for l in &loss {
        assert!(l.intact(), "{}", l.summary);
        for d in &l.dependencies {
            assert!(!d.chain.contains("region-loss-drill"), "{}", d.chain);
            assert!(!d.chain.contains("drill-"), "{}", d.chain);
        }
    }
}

#[test]
fn both_readmes_give_the_drill_procedure() {
    let cfn = reference().readme().to_string();
    let docs = tf::emit(
        &graph(&reference_path()),
        &tf::Options {
            source: "site.drs".into(),
        },
    )
    .unwrap();
    let tfr = docs.text("README.md").unwrap().to_string();
    for r in [&cfn, &tfr] {
        for needle in [
            "## Drills",
            "aws fis start-experiment --region us-east-1 --experiment-template-id \"$TEMPLATE\"",
            "aws fis stop-experiment --region us-east-1",
            "FIS cannot pause Aurora global replication or fail a global database over",
            "--target-region us-west-2 --action activate --mode graceful",
            "--target-region us-east-1 --action activate --mode graceful",
            "**Stop conditions:**",
            "s3://drill-reports-bucket-production-txn01-use1/fis-reports/",
            "/aws/fis/region-loss-drill-production-txn01",
        ] {
            assert!(r.contains(needle), "`{needle}` not in\n{r}");
        }
    }
    assert!(tfr.contains("terraform output -raw drill_region_loss_primary_id"));
    assert!(cfn.contains("--stack-name transactions-production-txn01-primary"));
}

#[test]
fn more_alarms_than_fis_takes_stop_on_one_composite_of_them() {
    // Four replicated buckets, the backup alarms and the primary's Aurora lag
    // alarm: seven candidate alarms, more than FIS's five stop conditions.
    let mut text = reference_text().replace("environment = production", "environment = staging");
    for b in ["ledgers", "statements", "archive"] {
        text.push_str(&format!(
            "\nbucket \"{b}\" {{\n  key         = data\n  versioning  = true\n  replication = rtc\n}}\n"
        ));
    }
    let m = model_text("site.drs", &text).unwrap_or_else(|e| panic!("{e:#?}"));
    let g = drsc::lower::lower(&m).graph;
    let b = emit(&g);
    let (file, _, t) = b.resources("AWS::FIS::ExperimentTemplate")[0];
    let stops = list(&t["Properties"]["StopConditions"]);
    assert_eq!(stops.len(), 1, "{stops:?}");
    let l = stops[0]["Value"]["Fn::GetAtt"][0].as_str().unwrap();
    let c = &b.templates[file]["Resources"][l];
    assert_eq!(c["Type"], "AWS::CloudWatch::CompositeAlarm");
    let rule = serde_json::to_string(&c["Properties"]["AlarmRule"]).unwrap();
    assert_eq!(rule.matches("ALARM(").count(), 7, "{rule}");
    assert_eq!(rule.matches(") OR ALARM(").count(), 6, "{rule}");
    assert!(b.readme().contains("(in ALARM when any of"));
}

#[test]
fn more_tables_than_a_target_names_are_split_over_targets_and_actions() {
    // Seven global tables: FIS names at most five resources per target
    // (std/limits `fis_target_resources`).
    let mut text = reference_text().replace("environment = production", "environment = staging");
    for t in ["t1", "t2", "t3", "t4", "t5", "t6"] {
        text.push_str(&format!(
            "\ntable \"{t}\" {{\n  partition_key = \"id\"\n  key           = data\n}}\n"
        ));
    }
    text = text.replace(
        "covers     = [ledger, transaction_meta, documents]",
        "covers     = [ledger, transaction_meta, documents, t1, t2, t3, t4, t5, t6]",
    );
    let m = model_text("site.drs", &text).unwrap_or_else(|e| panic!("{e:#?}"));
    let b = emit(&drsc::lower::lower(&m).graph);
    let (_, _, t) = b.resources("AWS::FIS::ExperimentTemplate")[0];
    let p = &t["Properties"];
    let pauses: Vec<&Value> = p["Actions"]
        .as_object()
        .unwrap()
        .values()
        .filter(|a| a["ActionId"] == DYNAMODB)
        .collect();
    assert_eq!(pauses.len(), 2);
    let mut sizes: Vec<usize> = pauses
        .iter()
        .map(|a| {
            let target = a["Targets"]["Tables"].as_str().unwrap();
            list(&p["Targets"][target]["ResourceArns"]).len()
        })
        .collect();
    sizes.sort();
    assert_eq!(sizes, [2, 5]);
}
