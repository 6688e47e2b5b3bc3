//! The evidence report as Markdown (`EVIDENCE.md`).

use super::{Emitted, Evidence, Row};
use std::fmt::Write;

/// The document as Markdown.
pub fn render(e: &Evidence) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Evidence report: `{}` ({})\n", e.site, e.environment);
    let _ = writeln!(
        o,
        "Each objective and compliance requirement of the site, the control that measures it in production, the resources that carry it out, \
         the report plan that records it and the regulation clauses it serves, beside the figure `drsc check` computed on paper. \
         Every resource is named by its CloudFormation logical ID (and template) and its Terraform address; both backends emit the same resources.\n"
    );
    let _ = writeln!(o, "## Summary\n");
    for r in &e.regions {
        let _ = writeln!(
            o,
            "- {} ({}): {} Audit Manager control{}, {} report plan{}.",
            r.region,
            r.role,
            r.controls,
            plural(r.controls),
            r.report_plans,
            plural(r.report_plans)
        );
    }
    if e.gaps == 0 {
        let _ = writeln!(o, "- {} rows, no gaps.\n", e.rows.len());
    } else {
        let _ = writeln!(
            o,
            "- {} rows, **{} gap{}**: {}.\n",
            e.rows.len(),
            e.gaps,
            plural(e.gaps),
            e.rows
                .iter()
                .filter(|r| r.status == "gap")
                .map(|r| format!("`{}`", r.id))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(
        o,
        "| Row | Requirement | Control | Report | Clauses | Paper | Status |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|");
    for r in &e.rows {
        let names = |v: &[Emitted]| {
            let mut n: Vec<&str> = v.iter().map(|c| c.what.as_str()).collect();
            n.dedup();
            if n.is_empty() {
                "—".to_string()
            } else {
                n.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let paper = r.paper.as_ref().map_or_else(
            || "—".to_string(),
            |p| {
                format!(
                    "{} vs {}{}",
                    cell(&p.estimate),
                    cell(&p.objective),
                    if p.meets { "" } else { " (not met)" }
                )
            },
        );
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            r.id,
            cell(&r.requirement),
            names(&r.controls),
            names(&r.reports),
            r.clauses.join(", "),
            paper,
            if r.status == "gap" {
                "**gap**"
            } else {
                "evidenced"
            }
        );
    }
    for r in &e.rows {
        row(r, &mut o);
    }
    let _ = writeln!(o, "\n## Regulation clauses\n");
    for c in &e.clauses {
        let _ = writeln!(o, "- **{}**, {}: {}.", c.clause, c.title, c.source);
    }
    let _ = writeln!(o, "\n## What stays outside drsc\n");
    let _ = writeln!(
        o,
        "drsc produces the controls, tests and reports above; a clause being served by them is not the clause being met. The organisation still owns:\n"
    );
    for x in &e.outside {
        let _ = writeln!(o, "- **{}**: {}", x.topic, x.why);
    }
    o
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn row(r: &Row, o: &mut String) {
    let _ = writeln!(o, "\n## `{}`: {}\n", r.id, r.requirement);
    let _ = writeln!(o, "Measured by: {}.\n", r.measured_by);
    if !r.missing.is_empty() {
        let _ = writeln!(o, "**Gap.** Missing from the build:\n");
        for m in &r.missing {
            let _ = writeln!(o, "- {m}");
        }
        let _ = writeln!(o);
    }
    list(o, "Controls", &r.controls);
    list(o, "Carried out by", &r.mechanisms);
    list(o, "Recorded by", &r.reports);
    if let Some(p) = &r.paper {
        let _ = writeln!(
            o,
            "On paper (`drsc check`): {} against {}{}.",
            p.estimate,
            p.objective,
            if p.meets { ", met" } else { ", **not met**" }
        );
        for t in &p.terms {
            let _ = writeln!(o, "- {t}");
        }
        let _ = writeln!(o);
    }
    if !r.clauses.is_empty() {
        let _ = writeln!(o, "Serves: {}.", r.clauses.join(", "));
    }
}

fn list(o: &mut String, title: &str, v: &[Emitted]) {
    if v.is_empty() {
        return;
    }
    let _ = writeln!(o, "{title}:\n");
    for c in v {
        let params = if c.parameters.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                c.parameters
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let _ = writeln!(
            o,
            "- `{}`{params} in {}: CloudFormation `{}` (`{}`), Terraform `{}`",
            c.what, c.region, c.cloudformation.logical_id, c.cloudformation.template, c.terraform
        );
    }
    let _ = writeln!(o);
}
