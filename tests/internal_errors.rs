//! drsc's own inconsistencies (DRS0903, internal-error) never fire on a real
//! site: every spec site builds with both backends without one. (The fixture
//! harness covers the fixtures: each reports exactly its annotated codes.)

mod support;

use drsc::driver::{self, BuildOptions, BuildStatus, Target};
use drsc::source::SourceDb;
use support::*;

#[test]
fn no_spec_site_meets_an_internal_error() {
    for site in sites() {
        for target in [Target::Cfn, Target::Tf] {
            let mut db = SourceDb::new();
            let outcome = driver::build(&mut db, &site, target, BuildOptions::default());
            let internal: Vec<_> = outcome
                .check
                .diagnostics
                .iter()
                .chain(&outcome.diagnostics)
                .filter(|d| d.code == &drsc::registry::INTERNAL)
                .collect();
            assert!(internal.is_empty(), "{}: {internal:#?}", site.display());
            assert!(
                matches!(outcome.status, BuildStatus::Emitted(_)),
                "{} does not build for {target:?}",
                site.display()
            );
        }
    }
}
