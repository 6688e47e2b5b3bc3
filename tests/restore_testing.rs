//! Issue 13 item 2 (R36): restore testing in both backends, from the same
//! graph. Every site in `specs/` whose backup plans run restore tests gets, in
//! the secondary region, a restore testing plan that restores from the plan's
//! DR vault on the site's schedule, one selection per backed-up store type
//! with the site's validation window and a restore role, and drsc's validation
//! function wired to the `Restore Job State Change` rule with exactly the
//! actions it needs.

mod support;

use drsc::graph::{Graph, NodeKind, Purpose, Resources};
use drsc::model::{Model, RestoreTests, Role};
use serde_json::Value;
use std::collections::BTreeSet;
use support::*;

/// Sites whose backup plans run restore tests, with their model and graph.
fn tested_sites() -> Vec<(std::path::PathBuf, Model, Graph)> {
    let v: Vec<_> = sites()
        .into_iter()
        .map(|p| {
            let m = model(&p);
            let g = drsc::lower::lower(&m).ok().expect("lowers");
            (p, m, g)
        })
        .filter(|(_, m, _)| {
            m.backups
                .iter()
                .any(|b| b.restore_tests.value != RestoreTests::Off)
        })
        .collect();
    assert!(
        v.len() >= 3,
        "{:?}",
        v.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    v
}

/// The ProtectedResourceTypes a plan covers.
fn covered_types(m: &Model, plan: &drsc::model::BackupPlan) -> BTreeSet<String> {
    plan.covers
        .iter()
        .filter_map(|c| {
            if m.databases.iter().any(|d| d.name == c.name) {
                Some("Aurora")
            } else if m.tables.iter().any(|t| t.name == c.name) {
                Some("DynamoDB")
            } else if m.buckets.iter().any(|b| b.name == c.name) {
                Some("S3")
            } else {
                None
            }
        })
        .map(String::from)
        .collect()
}

fn hours(d: &drsc::model::Spanned<drsc::units::Duration>) -> u64 {
    d.value.as_secs() / 3_600
}

#[test]
fn graph_every_backed_up_store_type_is_restore_tested_in_the_secondary() {
    for (site, m, g) in tested_sites() {
        for plan in &m.backups {
            let id = drsc::graph::NodeId::new(&["restoretest", &plan.name, "secondary"]);
            let node = g.get(&id).unwrap_or_else(|| panic!("{site:?}: no {id}"));
            assert_eq!(node.role, Role::Secondary, "{site:?}");
            assert_eq!(node.region, m.site.secondary.value, "{site:?}");
            let NodeKind::RestoreTestingPlan(p) = &node.kind else {
                panic!("{site:?}: {id} is not a restore testing plan");
            };
            // The vault is the plan's vault in the secondary region.
            let vault = g.get(&p.vault).unwrap();
            assert!(matches!(vault.kind, NodeKind::Vault(_)), "{site:?}");
            assert_eq!(vault.role, Role::Secondary, "{site:?}");
            assert_eq!(p.vault.as_str(), format!("vault/{}/secondary", plan.name));
            assert_eq!(
                *p.schedule,
                plan.restore_tests.value.cron().unwrap(),
                "{site:?}"
            );
            let types: BTreeSet<String> = p
                .selections
                .iter()
                .map(|s| s.resource_type.clone())
                .collect();
            assert_eq!(types, covered_types(&m, plan), "{site:?}");
            for s in &p.selections {
                assert_eq!(
                    u64::from(*s.validation_window_hours),
                    hours(&plan.restore_validate_within),
                    "{site:?}"
                );
                let role = g.get(&s.role).unwrap();
                assert_eq!(role.role, Role::Secondary);
                let NodeKind::Role(r) = &role.kind else {
                    panic!()
                };
                assert_eq!(r.trust_services, vec!["backup.amazonaws.com"]);
                assert!(r.statements.is_empty(), "{site:?}: managed policies only");
            }
        }
    }
}

/// The validation function's role: exactly the actions it needs, beyond the
/// base statements every function has.
#[test]
fn graph_the_validation_function_has_exactly_its_actions() {
    let base: BTreeSet<&str> = [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "sqs:SendMessage",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    ]
    .into();
    for (site, _, g) in tested_sites() {
        let f = g
            .nodes
            .iter()
            .find(|n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::RestoreValidation))
            .unwrap_or_else(|| panic!("{site:?}: no validation function"));
        assert_eq!(f.role, Role::Secondary);
        let NodeKind::Function(func) = &f.kind else {
            panic!()
        };
        assert!(func.tracing && func.dead_letter.is_some(), "{site:?}");
        assert!(func.vpc.is_none());
        let NodeKind::Role(r) = &g.get(&func.role).unwrap().kind else {
            panic!()
        };
        let mut own: Vec<(String, bool)> = Vec::new();
        for s in &r.statements {
            for a in &s.actions {
                if !base.contains(a.as_str()) {
                    own.push((a.clone(), matches!(s.resources, Resources::All)));
                }
            }
        }
        own.sort();
        assert_eq!(
            own,
            vec![
                ("backup:PutRestoreValidationResult".to_string(), true),
                ("dynamodb:DescribeTable".to_string(), false),
                ("dynamodb:Scan".to_string(), false),
                ("rds:DescribeDBClusters".to_string(), false),
                ("s3:ListBucket".to_string(), false),
            ],
            "{site:?}"
        );
        // The rule on completed restore jobs runs it; it may be invoked by that rule only.
        let rule = g
            .nodes
            .iter()
            .find(|n| matches!(&n.kind, NodeKind::EventRule(e) if e.targets.contains(&f.id)))
            .unwrap();
        assert_eq!(rule.role, Role::Secondary);
        let NodeKind::EventRule(e) = &rule.kind else {
            panic!()
        };
        let drsc::graph::Trigger::Pattern(p) = &e.trigger else {
            panic!()
        };
        assert_eq!(p["source"], serde_json::json!(["aws.backup"]));
        assert_eq!(
            p["detail-type"],
            serde_json::json!(["Restore Job State Change"])
        );
        assert_eq!(p["detail"]["status"], serde_json::json!(["COMPLETED"]));
        // Filtered on the resource types the site's plans select.
        let mut selected: Vec<String> = g
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::RestoreTestingPlan(p) => Some(p),
                _ => None,
            })
            .flat_map(|p| p.selections.iter().map(|s| s.resource_type.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        selected.sort_by_key(|t| ["Aurora", "DynamoDB", "S3"].iter().position(|x| x == t));
        assert_eq!(
            p["detail"]["resourceType"],
            serde_json::json!(selected),
            "{site:?}"
        );
        // Its errors alarm notifies the secondary's alert topic.
        let alarm = g
            .nodes
            .iter()
            .find(|n| n.id.as_str() == "alarm/restorevalidation-errors/secondary")
            .unwrap_or_else(|| panic!("{site:?}: no errors alarm"));
        let NodeKind::Alarm(a) = &alarm.kind else {
            panic!()
        };
        assert_eq!(a.actions[0].as_str(), "topic/alerts/secondary");
        assert_eq!(func.invokers.len(), 1);
        assert_eq!(func.invokers[0].service, "events.amazonaws.com");
    }
}

#[test]
fn cfn_plan_and_selections_in_the_secondary_template() {
    for (site, m, _) in tested_sites() {
        let b = build(&site);
        let plans = b.resources("AWS::Backup::RestoreTestingPlan");
        let want = m
            .backups
            .iter()
            .filter(|p| p.restore_tests.value != RestoreTests::Off)
            .count();
        assert_eq!(plans.len(), want, "{site:?}");
        for (file, logical, plan) in plans {
            assert_eq!(b.region_of(file), m.site.secondary.value, "{site:?}");
            let props = &plan["Properties"];
            let sel = &props["RecoveryPointSelection"];
            assert_eq!(sel["Algorithm"], "LATEST_WITHIN_WINDOW");
            assert_eq!(sel["RecoveryPointTypes"], serde_json::json!(["SNAPSHOT"]));
            // IncludeVaults is the DR vault of this template (the secondary's).
            let vault_logical = sel["IncludeVaults"][0]["Fn::GetAtt"][0].as_str().unwrap();
            let (vfile, _, vault) = b
                .resources("AWS::Backup::BackupVault")
                .into_iter()
                .find(|(_, l, _)| *l == vault_logical)
                .unwrap_or_else(|| panic!("{site:?}: {vault_logical}"));
            assert_eq!(vfile, file);
            assert!(vault["Properties"]["BackupVaultName"].is_string());
            let backup = m
                .backups
                .iter()
                .find(|p| {
                    props["RestoreTestingPlanName"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("{}_restore_test_plan", p.name.replace('-', "_")))
                })
                .unwrap();
            assert_eq!(
                props["ScheduleExpression"],
                backup.restore_tests.value.cron().unwrap()
            );
            let selections: Vec<&Value> = b
                .resources("AWS::Backup::RestoreTestingSelection")
                .into_iter()
                .filter(|(_, _, s)| s["Properties"]["RestoreTestingPlanName"]["Ref"] == *logical)
                .map(|(_, _, s)| s)
                .collect();
            let types: BTreeSet<String> = selections
                .iter()
                .map(|s| {
                    s["Properties"]["ProtectedResourceType"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            assert_eq!(types, covered_types(&m, backup), "{site:?}");
            for s in selections {
                assert_eq!(
                    s["Properties"]["ValidationWindowHours"],
                    hours(&backup.restore_validate_within)
                );
                assert!(s["Properties"]["IamRoleArn"]["Fn::GetAtt"].is_array());
            }
        }
        let readme = b.readme();
        assert!(readme.contains("## Restore tests"), "{site:?}");
        assert!(readme.contains("Restored resources are deleted after validation"));
    }
}

#[test]
fn tf_plan_and_selections_on_the_secondary_provider() {
    for (site, m, _) in tested_sites() {
        let (dir, rs) = built_tf(&site);
        let of = |ty: &'static str| {
            rs.iter()
                .filter(move |((t, _), _)| t == ty)
                .map(|((t, n), b)| (t, n, b))
        };
        let plans: Vec<_> = of("aws_backup_restore_testing_plan").collect();
        assert!(!plans.is_empty(), "{site:?}");
        for (_, name, plan) in plans {
            assert_eq!(plan["provider"], "aws.secondary", "{site:?}");
            let sel = &plan["recovery_point_selection"][0];
            assert_eq!(sel["algorithm"], "LATEST_WITHIN_WINDOW");
            let vault = sel["include_vaults"][0].as_str().unwrap();
            let vault_name = vault
                .strip_prefix("${aws_backup_vault.")
                .and_then(|v| v.strip_suffix(".arn}"))
                .unwrap();
            let (_, _, v) = of("aws_backup_vault")
                .find(|(_, n, _)| n.as_str() == vault_name)
                .unwrap();
            assert_eq!(v["provider"], "aws.secondary", "{site:?}");
            let backup = m
                .backups
                .iter()
                .find(|p| name == &format!("restoretest_{}_secondary", p.name.replace('-', "_")))
                .unwrap_or_else(|| panic!("{site:?}: {name}"));
            assert_eq!(
                plan["schedule_expression"],
                backup.restore_tests.value.cron().unwrap()
            );
            let reference = format!("${{aws_backup_restore_testing_plan.{name}.name}}");
            let selections: Vec<_> = of("aws_backup_restore_testing_selection")
                .filter(|(_, _, s)| s["restore_testing_plan_name"] == reference.as_str())
                .collect();
            let types: BTreeSet<String> = selections
                .iter()
                .map(|(_, _, s)| s["protected_resource_type"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(types, covered_types(&m, backup), "{site:?}");
            for (_, _, s) in selections {
                assert_eq!(s["provider"], "aws.secondary");
                assert_eq!(
                    s["validation_window_hours"],
                    hours(&backup.restore_validate_within)
                );
                assert!(s["iam_role_arn"]
                    .as_str()
                    .unwrap()
                    .starts_with("${aws_iam_role."));
            }
        }
        let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
        assert!(readme.contains("## Restore tests"), "{site:?}");
    }
}

#[test]
fn cfn_the_validation_function_ships_the_handler() {
    let b = reference();
    let zip = b
        .out
        .files
        .iter()
        .find(|(k, _)| k.starts_with("assets/restorevalidation-"))
        .map(|(_, v)| v)
        .expect("the validation function's package");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("handler.py").unwrap(), &mut text).unwrap();
    assert_eq!(text, include_str!("../assets/restorevalidation/handler.py"));
    // The rule on completed restore jobs targets it, in the secondary's template.
    let rules = b.resources("AWS::Events::Rule");
    let (file, _, rule) = rules
        .iter()
        .find(|(_, _, r)| {
            r["Properties"]["EventPattern"]["detail-type"][0] == "Restore Job State Change"
                && r["Properties"]["EventPattern"]["detail"]["status"][0] == "COMPLETED"
        })
        .unwrap();
    let target = rule["Properties"]["Targets"][0]["Arn"]["Fn::GetAtt"][0]
        .as_str()
        .unwrap();
    let (ffile, _, f) = b
        .resources("AWS::Lambda::Function")
        .into_iter()
        .find(|(_, l, _)| *l == target)
        .unwrap();
    assert_eq!(ffile, *file);
    assert_eq!(b.region_of(file), "us-west-2");
    assert!(
        f["Properties"]["Environment"]["Variables"]["RESTORE_TESTING_PLAN_ARNS"]["Fn::GetAtt"][1]
            .as_str()
            .is_some_and(|a| a == "RestoreTestingPlanArn")
    );
}

fn site_with(backup_attrs: &str) -> String {
    let text = reference_text();
    let anchor = "backup \"dr\" {\n";
    assert!(
        text.contains(anchor),
        "the reference site's backup plan moved"
    );
    text.replacen(anchor, &format!("{anchor}{backup_attrs}\n"), 1)
}

#[test]
fn the_schedule_and_window_come_from_the_site() {
    let m = model_text(
        "restore.drs",
        &site_with("  restore_tests = weekly\n  restore_validate_within = 12h"),
    )
    .unwrap();
    let g = drsc::lower::lower(&m).ok().unwrap();
    let plan = g
        .nodes
        .iter()
        .find_map(|n| match &n.kind {
            NodeKind::RestoreTestingPlan(p) => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(*plan.schedule, "cron(0 9 ? * MON *)");
    assert!(plan
        .selections
        .iter()
        .all(|s| *s.validation_window_hours == 12));
}

#[test]
fn restore_tests_off_lowers_nothing_and_finserv_production_rejects_it() {
    let text = site_with("  restore_tests = off");
    let errors = model_text("restore.drs", &text).unwrap_err();
    assert!(
        errors.iter().any(|e| e.starts_with("DRS0502")),
        "{errors:?}"
    );
    let staging = text.replace("environment = production", "environment = staging");
    if staging != text {
        if let Ok(m) = model_text("restore.drs", &staging) {
            let g = drsc::lower::lower(&m).ok().unwrap();
            assert!(!g
                .nodes
                .iter()
                .any(|n| matches!(n.kind, NodeKind::RestoreTestingPlan(_))));
            assert!(!g.nodes.iter().any(
                |n| matches!(&n.kind, NodeKind::Function(f) if f.purpose == Purpose::RestoreValidation)
            ));
        }
    }
}

/// Restore testing lives in the secondary region and is on no recovery step:
/// losing either region reports nothing about it.
#[test]
fn region_loss_does_not_count_restore_testing() {
    for (site, _, g) in tested_sites() {
        for lost in [Role::Primary, Role::Secondary] {
            let r = drsc::objectives::region_loss::simulate(&g, lost);
            for d in &r.dependencies {
                assert!(
                    !d.chain.contains("restore") && !d.chain.contains("Restore"),
                    "{site:?}: {}",
                    d.chain
                );
            }
        }
    }
}
