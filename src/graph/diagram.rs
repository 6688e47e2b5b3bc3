//! A picture of the site, drawn from the graph `build` emits: the two regions
//! with their stores, front doors and backup vaults, the replication and
//! backup-copy arrows between them, the DNS records, and the failover path.
//! One neutral [`Diagram`], rendered as Mermaid (code hosts and editors show it)
//! or Graphviz DOT.

use super::{Graph, Node, NodeId, NodeKind, Purpose, RecordTarget, Role, Subscription};
use std::fmt::Write;

/// A box of the picture.
struct Box_ {
    id: String,
    label: String,
    /// `None`: outside both regions (global: records, the Region switch plan).
    side: Option<Role>,
}

/// An arrow of the picture.
struct Arrow {
    from: String,
    to: String,
    label: String,
    /// A dashed arrow: copies and control flow, not the data path.
    dashed: bool,
}

/// The site as boxes and arrows.
struct Diagram {
    title: String,
    regions: [(Role, String); 2],
    boxes: Vec<Box_>,
    arrows: Vec<Arrow>,
}

/// A diagram identifier: letters, digits and `_` only.
fn key(id: &NodeId) -> String {
    id.as_str()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The node's box, when the picture shows nodes of its kind.
fn boxed(n: &Node) -> Option<Box_> {
    let side = Some(n.role);
    let (label, side) = match &n.kind {
        NodeKind::DbCluster(c) => (
            format!(
                "Aurora {} {}",
                n.name,
                if c.writer { "(writer)" } else { "(secondary)" }
            ),
            side,
        ),
        NodeKind::GlobalTable(_) => (format!("DynamoDB global table {}", n.name), None),
        NodeKind::Bucket(b) if !b.log_sink => (format!("S3 {}", n.name), side),
        NodeKind::Vault(_) => (format!("Backup vault {}", n.name), side),
        NodeKind::BackupPlan(_) => (format!("Backup plan {}", n.name), side),
        NodeKind::Function(f) => {
            let what = match &f.purpose {
                Purpose::Site(_) => "Lambda",
                Purpose::Probe => "probe",
                Purpose::Failover => "failover Lambda",
                Purpose::Starter => "Region switch starter",
                Purpose::RestoreValidation => "restore-test validation",
            };
            (format!("{what} {}", n.name), side)
        }
        NodeKind::ApiDomain(d) => (format!("front door {}", d.domain), side),
        NodeKind::CompositeAlarm(_) => (format!("alarm {}", n.name), side),
        NodeKind::Record(r) => (
            format!("DNS {} ({})", r.record_name, r.set_identifier),
            None,
        ),
        NodeKind::RegionSwitchPlan(_) => (format!("ARC Region switch plan {}", n.name), None),
        NodeKind::DrillTemplate(_) => (format!("FIS drill {}", n.name), side),
        _ => return None,
    };
    Some(Box_ {
        id: key(&n.id),
        label,
        side,
    })
}

fn diagram(g: &Graph) -> Diagram {
    let boxes: Vec<Box_> = g.nodes.iter().filter_map(boxed).collect();
    let shown = |id: &NodeId| boxes.iter().any(|b| b.id == key(id));
    let mut arrows = Vec::new();
    let mut arrow = |from: &NodeId, to: &NodeId, label: &str, dashed: bool| {
        arrows.push(Arrow {
            from: key(from),
            to: key(to),
            label: label.to_string(),
            dashed,
        })
    };
    let writer = |global: &NodeId| {
        g.nodes
            .iter()
            .find(|n| matches!(&n.kind, NodeKind::DbCluster(c) if &c.global == global && c.writer))
    };
    for n in &g.nodes {
        match &n.kind {
            NodeKind::DbCluster(c) if !c.writer => {
                if let Some(w) = writer(&c.global) {
                    arrow(&w.id, &n.id, "global database replication", false);
                }
            }
            NodeKind::Bucket(b) => {
                if let Some(r) = &b.replication {
                    let label = match &r.rtc {
                        Some(m) => format!("S3 replication (RTC {m} min)"),
                        None => "S3 replication".to_string(),
                    };
                    arrow(&n.id, &r.destination, &label, false);
                }
            }
            NodeKind::BackupPlan(p) => {
                arrow(&n.id, &p.vault, "backs up into", true);
                for rule in &p.rules {
                    if let Some(c) = &rule.copy {
                        arrow(&p.vault, &c.vault, &format!("copy ({})", rule.name), true);
                    }
                }
            }
            NodeKind::Record(r) => {
                if let RecordTarget::Alias(a) = &r.target {
                    for t in a.dns_name.refs() {
                        if shown(&t.node) {
                            arrow(&n.id, &t.node, &r.routing.to_string(), false);
                        }
                    }
                }
            }
            NodeKind::ApiDomain(d) => {
                let apis = d.api.refs().into_iter().filter_map(|r| g.get(&r.node));
                for api in apis {
                    if let NodeKind::HttpApi(a) = &api.kind {
                        for f in a.function.refs() {
                            arrow(&n.id, &f.node, "invokes (HTTP API)", false);
                        }
                    }
                }
            }
            NodeKind::CompositeAlarm(c) => {
                for t in &c.actions {
                    let engines = g.get(t).into_iter().flat_map(|topic| match &topic.kind {
                        NodeKind::Topic(t) => t.subscriptions.clone(),
                        _ => Vec::new(),
                    });
                    for s in engines {
                        if let Subscription::Function(f) = s {
                            arrow(&n.id, &f, "starts the failover", true);
                        }
                    }
                }
            }
            NodeKind::RegionSwitchPlan(p) => {
                for w in &p.workflows {
                    for s in &w.steps {
                        if let super::ExecutionBlock::GlobalAurora(a) = &s.block {
                            // The member its workflow activates.
                            let member = g.nodes.iter().find(|m| {
                                m.region == w.target_region
                                    && matches!(&m.kind, NodeKind::DbCluster(c) if c.global == a.global)
                            });
                            if let Some(m) = member {
                                arrow(
                                    &n.id,
                                    &m.id,
                                    &format!("activates {}", w.target_region),
                                    true,
                                );
                            }
                        }
                    }
                }
            }
            // The drill pauses the replication of the stores it targets (R37).
            NodeKind::DrillTemplate(d) => {
                for id in d.targets.iter().flat_map(|t| &t.nodes) {
                    arrow(&n.id, id, "pauses replication (drill)", true);
                }
            }
            NodeKind::Function(f) if f.purpose == Purpose::Starter => {
                if let Some(plan) = g
                    .nodes
                    .iter()
                    .find(|p| matches!(p.kind, NodeKind::RegionSwitchPlan(_)))
                {
                    arrow(&n.id, &plan.id, "StartPlanExecution (ungraceful)", true);
                }
            }
            _ => {}
        }
    }
    let arrows = arrows
        .into_iter()
        .filter(|a| boxes.iter().any(|b| b.id == a.from) && boxes.iter().any(|b| b.id == a.to))
        .collect();
    Diagram {
        title: format!("site `{}`", g.site.name),
        regions: [
            (Role::Primary, g.site.primary_region.clone()),
            (Role::Secondary, g.site.secondary_region.clone()),
        ],
        boxes,
        arrows,
    }
}

/// The site as a Mermaid flowchart.
pub fn mermaid(g: &Graph) -> String {
    let d = diagram(g);
    let mut s = format!("---\ntitle: {}\n---\nflowchart LR\n", d.title);
    let quote = |t: &str| t.replace('"', "'");
    for (role, region) in &d.regions {
        let _ = writeln!(
            s,
            "  subgraph {}[\"{} ({region})\"]",
            role.as_str(),
            role.as_str()
        );
        for b in d.boxes.iter().filter(|b| b.side == Some(*role)) {
            let _ = writeln!(s, "    {}[\"{}\"]", b.id, quote(&b.label));
        }
        s.push_str("  end\n");
    }
    for b in d.boxes.iter().filter(|b| b.side.is_none()) {
        let _ = writeln!(s, "  {}([\"{}\"])", b.id, quote(&b.label));
    }
    for a in &d.arrows {
        let link = if a.dashed { "-.->" } else { "-->" };
        let _ = writeln!(s, "  {} {link}|\"{}\"| {}", a.from, quote(&a.label), a.to);
    }
    s
}

/// The site as a Graphviz DOT digraph.
pub fn dot(g: &Graph) -> String {
    let d = diagram(g);
    let quote = |t: &str| t.replace('\\', "\\\\").replace('"', "\\\"");
    let mut s = format!(
        "digraph site {{\n  label=\"{}\";\n  rankdir=LR;\n  node [shape=box];\n",
        quote(&d.title)
    );
    for (role, region) in &d.regions {
        let _ = writeln!(
            s,
            "  subgraph cluster_{} {{\n    label=\"{} ({region})\";",
            role.as_str(),
            role.as_str()
        );
        for b in d.boxes.iter().filter(|b| b.side == Some(*role)) {
            let _ = writeln!(s, "    {} [label=\"{}\"];", b.id, quote(&b.label));
        }
        s.push_str("  }\n");
    }
    for b in d.boxes.iter().filter(|b| b.side.is_none()) {
        let _ = writeln!(
            s,
            "  {} [label=\"{}\", shape=ellipse];",
            b.id,
            quote(&b.label)
        );
    }
    for a in &d.arrows {
        let style = if a.dashed { ", style=dashed" } else { "" };
        let _ = writeln!(
            s,
            "  {} -> {} [label=\"{}\"{style}];",
            a.from,
            a.to,
            quote(&a.label)
        );
    }
    s.push_str("}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Graph {
        let mut db = crate::source::SourceDb::new();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
        crate::driver::check_path(&mut db, &path)
            .graph
            .expect("the reference site lowers")
    }

    #[test]
    fn the_reference_site_as_mermaid() {
        let m = mermaid(&reference());
        for needle in [
            "subgraph primary[\"primary (us-east-1)\"]",
            "aurora_ledger_primary -->|\"global database replication\"| aurora_ledger_secondary",
            "bucket_documents_secondary -->|\"S3 replication (RTC 15 min)\"| bucket_documents_primary",
            "vault_dr_primary -.->|\"copy (hourly)\"| vault_dr_secondary",
            "record_api_primary -->|\"failover PRIMARY\"| domain_api_primary",
            "domain_api_secondary -->|\"invokes (HTTP API)\"| function_ingest_secondary",
            "plan_region_switch_secondary -.->|\"activates us-west-2\"| aurora_ledger_secondary",
        ] {
            assert!(m.contains(needle), "`{needle}` not in\n{m}");
        }
    }

    #[test]
    fn dot_draws_the_same_arrows() {
        let g = reference();
        let (m, d) = (mermaid(&g), dot(&g));
        assert_eq!(
            m.matches("-->").count() + m.matches("-.->").count(),
            d.matches(" -> ").count()
        );
        assert!(d.starts_with("digraph site {") && d.ends_with("}\n"));
    }
}
