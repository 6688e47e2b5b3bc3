//! The standard library: `.drs` files embedded in the binary, so drsc works
//! from any directory. The prelude modules are loaded for every site.

use crate::source::FileId;
use crate::syntax::{self, ast};
use std::sync::OnceLock;

/// Every stdlib module: its import name and text.
pub static MODULES: &[(&str, &str)] = &[
    ("std/regions", include_str!("../stdlib/regions.drs")),
    ("std/engines", include_str!("../stdlib/engines.drs")),
    ("std/runtimes", include_str!("../stdlib/runtimes.drs")),
    ("std/timing", include_str!("../stdlib/timing.drs")),
    ("std/limits", include_str!("../stdlib/limits.drs")),
    ("std/iam", include_str!("../stdlib/iam.drs")),
    ("std/defaults", include_str!("../stdlib/defaults.drs")),
    ("std/finserv", include_str!("../stdlib/finserv.drs")),
    ("std/regulations", include_str!("../stdlib/regulations.drs")),
];

/// Modules every site sees without importing them: catalogs and defaults.
pub const PRELUDE: &[&str] = &[
    "std/regions",
    "std/engines",
    "std/runtimes",
    "std/timing",
    "std/limits",
    "std/iam",
    "std/defaults",
    "std/regulations",
];

/// The text of a stdlib module.
pub fn module(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The syntax tree of the stdlib module `name` whose text is `text`, parsed
/// once per process and labelled with `file`. `None` when the text is not the
/// embedded module's or the module does not parse cleanly (then the caller
/// parses it and reports what is wrong).
pub fn parsed(name: &str, text: &str, file: FileId) -> Option<ast::File> {
    static PARSED: OnceLock<Vec<(&str, Option<ast::File>)>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        MODULES
            .iter()
            .map(|(name, text)| {
                let (ast, mut diags) = syntax::parse(FileId(0), text);
                diags.extend(syntax::validate::validate(&ast));
                (*name, diags.is_empty().then_some(ast))
            })
            .collect()
    });
    if module(name)? != text {
        return None;
    }
    let mut ast = all.iter().find(|(n, _)| *n == name)?.1.clone()?;
    ast.set_file(file);
    Some(ast)
}

/// Whether a file name denotes a stdlib module.
pub fn is_stdlib(name: &str) -> bool {
    name.starts_with("std/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stdlib_module_parses_and_validates_cleanly() {
        for (name, text) in MODULES {
            let (ast, mut diags) = crate::syntax::parse(crate::source::FileId(0), text);
            diags.extend(crate::syntax::validate::validate(&ast));
            assert!(diags.is_empty(), "{name}: {diags:#?}");
        }
    }
}
