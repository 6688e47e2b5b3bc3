//! Issue 12 items 1–2 (R33, R34) on the reference site, both backends: a
//! backup plan per region covering that region's stores and copying to the
//! other region's vault; both buckets replicating to each other with
//! delete-marker and replica-modification sync; the README's day-after and
//! failback sections.

mod support;

use serde_json::Value;
use support::*;

#[test]
fn cfn_each_backup_plan_covers_its_region_and_copies_to_the_other() {
    let b = reference();
    let plans = b.resources("AWS::Backup::BackupPlan");
    assert_eq!(plans.len(), 2, "{plans:#?}");
    for (file, _, plan) in plans {
        let region = b.region_of(file);
        let other = if region == "us-east-1" {
            "us-west-2"
        } else {
            "us-east-1"
        };
        let copies = plan["Properties"]["BackupPlan"]["BackupPlanRule"][0]["CopyActions"][0]
            ["DestinationBackupVaultArn"]
            .to_string();
        assert!(
            copies.contains(&format!(":backup:{other}:")),
            "{file}: {copies}"
        );
    }
    let selections = b.resources("AWS::Backup::BackupSelection");
    assert_eq!(selections.len(), 2);
    for (file, _, s) in selections {
        let text = s["Properties"]["BackupSelection"]["Resources"].to_string();
        let (mine, theirs) = if b.region_of(file) == "us-east-1" {
            ("Primary", "Secondary")
        } else {
            ("Secondary", "Primary")
        };
        assert!(
            text.contains(&format!("AuroraLedger{mine}")),
            "{file}: {text}"
        );
        assert!(
            !text.contains(&format!("AuroraLedger{theirs}")),
            "{file}: {text}"
        );
        if mine == "Secondary" {
            assert!(text.contains(":dynamodb:us-west-2:"), "{text}");
            assert!(
                text.contains("documents-bucket-production-txn01-usw2"),
                "{text}"
            );
        }
    }
}

#[test]
fn cfn_both_buckets_replicate_to_each_other() {
    let b = reference();
    let mut seen = Vec::new();
    for (file, l, r) in b.resources("AWS::S3::Bucket") {
        let mut c = r["Properties"]["ReplicationConfiguration"].clone();
        if c.is_null() {
            continue;
        }
        // The secondary bucket's replication is added by the second deploy.
        if let Some(v) = c.get("Fn::If") {
            c = v[1].clone();
        }
        let rule = &c["Rules"][0];
        assert_eq!(rule["DeleteMarkerReplication"]["Status"], "Enabled", "{l}");
        assert_eq!(
            rule["SourceSelectionCriteria"]["ReplicaModifications"]["Status"], "Enabled",
            "{l}"
        );
        assert_eq!(
            rule["Destination"]["ReplicationTime"]["Status"], "Enabled",
            "{l}"
        );
        seen.push((file.to_string(), rule["Destination"]["Bucket"].to_string()));
    }
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert!(seen
        .iter()
        .any(|(f, d)| f == "primary.json" && d.contains("-usw2")));
    assert!(seen
        .iter()
        .any(|(f, d)| f == "foundation.json" && d.contains("-use1")));
    // deploy.json deploys the foundation stack a second time, after every
    // other stack, passing the primary key's ARN.
    let steps = b.deploy()["steps"].as_array().unwrap().clone();
    let second = steps
        .iter()
        .position(|s| s["pass"] == "second" && s["stack"] == "foundation")
        .expect("second foundation deploy");
    let secondary = steps
        .iter()
        .position(|s| s["stack"] == "secondary")
        .unwrap();
    assert!(second > secondary);
    assert!(steps[second]["command"]
        .as_str()
        .unwrap()
        .contains("KeyDataPrimaryArn=$(aws cloudformation describe-stacks --region us-east-1"));
    let first = steps.iter().find(|s| s["stack"] == "foundation").unwrap();
    assert!(!first["command"]
        .as_str()
        .unwrap()
        .contains("KeyDataPrimaryArn"));
}

#[test]
fn readme_documents_the_day_after_and_failing_back() {
    let r = reference().readme();
    for needle in [
        "## The day after a failover",
        "## Failing back",
        "aws arc-region-switch start-plan-execution --region us-east-1 --plan-arn ",
        "--target-region us-east-1 --action activate --mode graceful",
        "aws rds describe-global-clusters --region us-west-2",
        "SynchronizationStatus",
        "AuroraGlobalDBReplicationLag",
        "OperationsPendingReplication",
        "`switchoverOnly`",
    ] {
        assert!(r.contains(needle), "README lacks {needle:?}");
    }
}

#[test]
fn the_primary_regions_workflow_is_a_graceful_switchover() {
    let g = graph(&reference_path());
    let plan = g
        .nodes
        .iter()
        .find_map(|n| match &n.kind {
            drsc::graph::NodeKind::RegionSwitchPlan(p) => Some(p),
            _ => None,
        })
        .expect("Region switch plan");
    let w = plan
        .workflows
        .iter()
        .find(|w| w.target_region == "us-east-1")
        .expect("us-east-1 activate workflow");
    assert_eq!(w.action, "activate");
    assert!(w.steps.iter().any(|s| matches!(&s.block,
        drsc::graph::ExecutionBlock::GlobalAurora(a) if a.behavior == "switchoverOnly")));
}

fn tf_resources(kind: &str) -> Vec<(String, Value)> {
    built_tf(&reference_path())
        .1
        .into_iter()
        .filter(|((ty, _), _)| ty == kind)
        .map(|((_, name), body)| (name, body))
        .collect()
}

#[test]
fn tf_each_backup_plan_covers_its_region_and_copies_to_the_other() {
    let plans = tf_resources("aws_backup_plan");
    assert_eq!(plans.len(), 2);
    for (_, p) in &plans {
        let provider = p["provider"].as_str().unwrap();
        let other = if provider == "aws.primary" {
            "secondary"
        } else {
            "primary"
        };
        // Beside the isolated copy (issue 13 item 4), when the plan keeps one.
        let want = format!("${{aws_backup_vault.vault_dr_{other}.arn}}");
        assert!(
            p["rule"][0]["copy_action"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["destination_vault_arn"] == want.as_str()),
            "{}",
            p["rule"][0]["copy_action"]
        );
    }
    for (_, s) in tf_resources("aws_backup_selection") {
        let side = s["provider"].as_str().unwrap().trim_start_matches("aws.");
        let text = s["resources"].to_string();
        assert!(
            text.contains(&format!("aws_rds_cluster.aurora_ledger_{side}")),
            "{text}"
        );
        assert!(
            text.contains(&format!("aws_s3_bucket.bucket_documents_{side}")),
            "{text}"
        );
        assert!(s["iam_role_arn"]
            .to_string()
            .contains(&format!("backup_{side}")));
    }
}

#[test]
fn tf_both_buckets_replicate_to_each_other() {
    let rs = tf_resources("aws_s3_bucket_replication_configuration");
    assert_eq!(rs.len(), 2);
    for (name, r) in &rs {
        let side = r["provider"].as_str().unwrap().trim_start_matches("aws.");
        let other = if side == "primary" {
            "secondary"
        } else {
            "primary"
        };
        assert_eq!(name, &format!("bucket_documents_{side}"));
        let rule = &r["rule"][0];
        assert_eq!(
            rule["destination"][0]["bucket"],
            format!("${{aws_s3_bucket.bucket_documents_{other}.arn}}")
        );
        assert_eq!(rule["delete_marker_replication"][0]["status"], "Enabled");
        assert_eq!(
            rule["source_selection_criteria"][0]["replica_modifications"][0]["status"],
            "Enabled"
        );
        assert!(r["role"]
            .to_string()
            .contains(&format!("replication_{side}")));
    }
}

/// (region of the stack, the alarm's metric dimensions) of every alarm on `metric`.
fn cfn_alarms(b: &Built, metric: &str) -> Vec<(String, Value)> {
    b.resources("AWS::CloudWatch::Alarm")
        .into_iter()
        .filter(|(_, _, a)| a["Properties"]["MetricName"] == metric)
        .map(|(file, _, a)| (b.region_of(file), a["Properties"]["Dimensions"].clone()))
        .collect()
}

/// After a failover the promoted region replicates and the old primary (once
/// back) lags: each region watches its own Aurora cluster, the DynamoDB
/// replication it sends and the S3 replication it sends (R33).
#[test]
fn replication_alarms_watch_both_directions() {
    let b = reference();
    let mut aurora: Vec<(String, String)> = cfn_alarms(b, "AuroraGlobalDBReplicationLag")
        .into_iter()
        .map(|(region, d)| (region, d[0]["Value"].as_str().unwrap().to_string()))
        .collect();
    aurora.sort();
    assert_eq!(
        aurora,
        [
            (
                "us-east-1".to_string(),
                "ledger-aurora-production-txn01-use1".to_string()
            ),
            (
                "us-west-2".to_string(),
                "ledger-aurora-production-txn01-usw2".to_string()
            ),
        ]
    );
    let mut dynamo: Vec<(String, String)> = cfn_alarms(b, "ReplicationLatency")
        .into_iter()
        .map(|(region, d)| {
            let receiving = d
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["Name"] == "ReceivingRegion")
                .unwrap()["Value"]
                .as_str()
                .unwrap()
                .to_string();
            (region, receiving)
        })
        .collect();
    dynamo.sort();
    assert_eq!(
        dynamo,
        [
            ("us-east-1".to_string(), "us-west-2".to_string()),
            ("us-west-2".to_string(), "us-east-1".to_string()),
        ]
    );
    let mut s3: Vec<(String, String)> = cfn_alarms(b, "OperationsFailedReplication")
        .into_iter()
        .map(|(region, d)| {
            let source = d
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["Name"] == "SourceBucket")
                .unwrap()["Value"]
                .as_str()
                .unwrap()
                .to_string();
            (region, source)
        })
        .collect();
    s3.sort();
    assert_eq!(
        s3,
        [
            (
                "us-east-1".to_string(),
                "documents-bucket-production-txn01-use1".to_string()
            ),
            (
                "us-west-2".to_string(),
                "documents-bucket-production-txn01-usw2".to_string()
            ),
        ]
    );
    // Backup and copy job failures alarm in the region that runs the jobs.
    let backups: Vec<String> = cfn_alarms(b, "NumberOfCopyJobsFailed")
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(backups.len(), 2, "{backups:?}");
}

/// The probe follows the writer: it connects to the global writer endpoint,
/// which Aurora moves with a failover or switchover
/// (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html).
#[test]
fn the_probe_connects_to_the_global_writer_endpoint() {
    let b = reference();
    let probe = b
        .resources("AWS::Lambda::Function")
        .into_iter()
        .find(|(_, _, f)| {
            f["Properties"]["FunctionName"]
                .as_str()
                .is_some_and(|n| n.starts_with("probe-"))
        })
        .expect("the probe");
    let host = &probe.2["Properties"]["Environment"]["Variables"]["TARGET_HOST"];
    assert_eq!(
        host,
        &serde_json::json!({"Ref": "AuroraLedgerGlobalEndpoint"})
    );
    let deploy = b.deploy();
    let step = deploy["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "stack" && s["template"].as_str() == Some(probe.0))
        .expect("the probe's stack step");
    assert!(
        step["command"].as_str().unwrap().contains(
            "\"AuroraLedgerGlobalEndpoint=$(aws rds describe-global-clusters --region us-west-2 --global-cluster-identifier ledger-aurora-production-txn01 --query \"GlobalClusters[0].Endpoint\" --output text)\""
        ),
        "{}",
        step["command"]
    );
    let tf = tf_resources("aws_lambda_function");
    let (_, f) = tf
        .iter()
        .find(|(k, _)| k == "function_probe_secondary")
        .expect("the probe");
    assert_eq!(
        f["environment"][0]["variables"]["TARGET_HOST"],
        "${aws_rds_global_cluster.aurora_ledger_global.endpoint}"
    );
}

/// The RPO proof covers the other direction: while the secondary writes
/// after a failover, each store's figure is computed from the secondary's
/// replication and backups (R33).
#[test]
fn the_rpo_proof_covers_both_directions() {
    let o = drsc()
        .args(["check", "specs/transactions.drs", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let stores = v["files"][0]["objectives"]["stores"]
        .as_array()
        .or_else(|| v["objectives"]["stores"].as_array())
        .expect("stores in the JSON");
    let after: Vec<(String, u64, bool)> = stores
        .iter()
        .map(|s| {
            let a = &s["after_failover"];
            (
                s["store"].as_str().unwrap().to_string(),
                a["recovery_point"].as_u64().unwrap(),
                a["meets_rpo"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        after,
        [
            ("ledger".to_string(), 1, true),
            ("transaction_meta".to_string(), 5, true),
            ("documents".to_string(), 900, true)
        ]
    );
    assert!(stores[0]["after_failover"]["mechanism"]
        .as_str()
        .unwrap()
        .contains("once us-east-1 has rejoined"));
}
