//! The site diagram in the editor: the Mermaid flowchart `drsc graph --format
//! mermaid` draws ([`crate::graph::diagram::mermaid`], from the lowered graph),
//! shown in the hover of the `site` block and returned by the
//! `drsc.showDiagram` command.

use super::analysis::Analysis;
use serde::Serialize;

/// The `workspace/executeCommand` command that returns the diagram of a
/// document: arguments `["<document uri>"]` (or `[{ "uri": "..." }]`).
pub const SHOW_DIAGRAM: &str = "drsc.showDiagram";

/// What [`SHOW_DIAGRAM`] returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagram {
    /// Always `mermaid`.
    pub format: &'static str,
    /// The Mermaid source, as `drsc graph --format mermaid` prints it.
    pub diagram: String,
    /// The same, fenced as a Markdown ```` ```mermaid ```` block.
    pub markdown: String,
}

/// The Mermaid flowchart of the analysed site; `None` when the document has
/// no lowered site (no `site` block, or errors before lowering).
pub fn mermaid(a: &Analysis) -> Option<String> {
    a.outcome.graph.as_ref().map(crate::graph::diagram::mermaid)
}

/// `source` fenced as a Mermaid code block.
pub fn fenced(source: &str) -> String {
    format!("```mermaid\n{}\n```", source.trim_end())
}

/// The command's result for the analysed document.
pub fn show(a: &Analysis) -> Option<Diagram> {
    let diagram = mermaid(a)?;
    Some(Diagram {
        format: "mermaid",
        markdown: fenced(&diagram),
        diagram,
    })
}

/// The hover section of the `site` block: the diagram, or nothing.
pub fn hover_section(a: &Analysis) -> String {
    mermaid(a).map_or_else(String::new, |m| {
        format!(
            "\n\n**Site diagram** (`{SHOW_DIAGRAM}`, `drsc graph --format mermaid`)\n\n{}",
            fenced(&m)
        )
    })
}
