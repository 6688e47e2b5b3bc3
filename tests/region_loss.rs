//! The region-loss check (R31) on the reference site: intact as built, and each
//! recovery defect the issue found, reintroduced one at a time into the graph
//! `build` emits, makes it fail at the step and node that carry it.

mod support;

use drsc::graph::{Attr, Graph, NodeId, NodeKind, Role, Value};
use drsc::objectives::region_loss::{simulate, Impact, Step};
use support::*;

fn reference_graph() -> Graph {
    graph(&reference_path())
}

fn breaks(g: &Graph) -> Vec<(Step, String)> {
    simulate(g, Role::Primary)
        .dependencies
        .into_iter()
        .filter(|d| d.impact == Impact::Breaks)
        .map(|d| (d.step, d.chain))
        .collect()
}

fn function_mut<'g>(g: &'g mut Graph, id: &str) -> &'g mut drsc::graph::Function {
    let node = g
        .nodes
        .iter_mut()
        .find(|n| n.id == NodeId(id.into()))
        .unwrap_or_else(|| panic!("no {id}"));
    match &mut node.kind {
        NodeKind::Function(f) => f,
        _ => panic!("{id} is not a function"),
    }
}

#[test]
fn the_reference_site_survives_the_loss_of_its_primary() {
    let g = reference_graph();
    let loss = simulate(&g, Role::Primary);
    assert!(loss.intact(), "{:#?}", loss.dependencies);
    assert_eq!(
        loss.steps,
        [
            Step::Detect,
            Step::Decide,
            Step::Promote,
            Step::MoveTraffic,
            Step::Serve,
            Step::Credentials,
            Step::Alert,
            Step::Backup,
            Step::Replicate
        ]
    );
    // R33: the promoted region backs itself up (its own plan) and its bucket
    // replicates back, so neither step degrades for lack of something in
    // us-west-2. What stays degraded is named: rotation, and the copies and
    // replication whose destination is the lost region itself.
    // (Region switch promotes on the data plane: no Route 53 control-plane call.)
    let degraded: Vec<(Step, &str)> = loss
        .dependencies
        .iter()
        .map(|d| (d.step, d.reason.as_str()))
        .collect();
    assert_eq!(
        loss.summary,
        "loss of us-east-1: recovery path intact, 9 steps, 3 degraded"
    );
    assert_eq!(
        degraded.iter().map(|d| d.0).collect::<Vec<_>>(),
        [Step::Credentials, Step::Backup, Step::Replicate]
    );
    assert!(
        !degraded
            .iter()
            .any(|(_, r)| r.contains("no backup plan runs in the surviving region")),
        "{degraded:#?}"
    );
    assert!(
        !degraded
            .iter()
            .any(|(_, r)| r.contains("nothing in the surviving region carries this step")),
        "{degraded:#?}"
    );
}

#[test]
fn the_secondary_function_reading_the_primary_database_breaks_serving() {
    // Defect 2: the secondary function told the primary cluster's endpoint.
    let mut g = reference_graph();
    let primary = NodeId::new(&["aurora", "ledger", "primary"]);
    assert!(g.get(&primary).is_some(), "cluster id scheme changed");
    function_mut(&mut g, "function/ingest/secondary")
        .environment
        .insert("LEDGER_ENDPOINT".into(), Value::r(&primary, Attr::Endpoint));
    let b = breaks(&g);
    assert!(
        b.iter().any(|(s, c)| *s == Step::Serve
            && c.contains("ingest-function-production-txn01` (us-west-2)")
            && c.contains("ledger-aurora-production-txn01-use1")),
        "{b:#?}"
    );
}

#[test]
fn the_secondary_function_decrypting_with_the_primary_key_breaks_serving() {
    // Defect 2: the environment encrypted with the primary region's key.
    let mut g = reference_graph();
    let key = NodeId::new(&["key", "data", "primary"]);
    function_mut(&mut g, "function/ingest/secondary").env_key = Value::r(&key, Attr::Arn);
    let b = breaks(&g);
    assert!(
        b.iter()
            .any(|(s, c)| *s == Step::Serve
                && c.contains("key `data-key-production-txn01` (us-east-1)")),
        "{b:#?}"
    );
}

#[test]
fn a_primary_arn_literal_in_the_secondary_breaks_serving() {
    let mut g = reference_graph();
    function_mut(&mut g, "function/ingest/secondary")
        .environment
        .insert(
            "SECRET".into(),
            Value::lit("arn:aws:secretsmanager:us-east-1:123456789012:secret:ledger"),
        );
    let b = breaks(&g);
    assert!(
        b.iter()
            .any(|(s, c)| *s == Step::Serve && c.contains("arn:aws:secretsmanager:us-east-1")),
        "{b:#?}"
    );
}

#[test]
fn alerts_sent_only_from_the_primary_break_alerting() {
    let mut g = reference_graph();
    g.nodes.retain(|n| {
        !(n.role == Role::Secondary
            && matches!(n.kind, NodeKind::Topic(_))
            && n.name.starts_with("alerts"))
    });
    let b = breaks(&g);
    assert!(b.iter().any(|(s, _)| *s == Step::Alert), "{b:#?}");
}

#[test]
fn the_loss_of_the_secondary_costs_dr_copies_and_automation() {
    let loss = simulate(&reference_graph(), Role::Secondary);
    assert!(loss.intact(), "{:#?}", loss.dependencies);
    let chains: Vec<&str> = loss.dependencies.iter().map(|d| d.chain.as_str()).collect();
    assert!(
        chains
            .iter()
            .any(|c| c.contains("copies recovery points to vault")),
        "{chains:#?}"
    );
    assert!(
        chains.iter().any(|c| c.contains("replicates to bucket")),
        "{chains:#?}"
    );
    assert!(
        loss.dependencies
            .iter()
            .any(|d| d.reason.contains("no automated failover while it is down")),
        "{chains:#?}"
    );
}
