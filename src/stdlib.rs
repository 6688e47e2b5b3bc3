//! The standard library: `.drs` files embedded in the binary, so drsc works
//! from any directory. The prelude modules are loaded for every site.

/// Every stdlib module: its import name and text.
pub static MODULES: &[(&str, &str)] = &[
    ("std/regions", include_str!("../stdlib/regions.drs")),
    ("std/engines", include_str!("../stdlib/engines.drs")),
    ("std/runtimes", include_str!("../stdlib/runtimes.drs")),
    ("std/timing", include_str!("../stdlib/timing.drs")),
    ("std/iam", include_str!("../stdlib/iam.drs")),
    ("std/defaults", include_str!("../stdlib/defaults.drs")),
    ("std/finserv", include_str!("../stdlib/finserv.drs")),
];

/// Modules every site sees without importing them: catalogs and defaults.
pub const PRELUDE: &[&str] = &[
    "std/regions",
    "std/engines",
    "std/runtimes",
    "std/timing",
    "std/iam",
    "std/defaults",
];

/// The text of a stdlib module.
pub fn module(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
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
