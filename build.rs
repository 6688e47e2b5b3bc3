//! Packages drsc's builtin Lambda handlers at compile time. Their code is
//! fixed, so their deterministic zips (`src/emit/zip.rs`) are too: building
//! them here means `drsc build` embeds the bytes instead of deflating the
//! same files in every run (issue 15's build-speed target).

#[allow(dead_code)]
#[path = "src/emit/zip.rs"]
mod zip_archive;

#[path = "src/graph/builtin_code.rs"]
mod builtin_code;

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/emit/zip.rs");
    println!("cargo:rerun-if-changed=src/graph/builtin_code.rs");
    for (name, entry, path) in builtin_code::FILES {
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
        let zip = zip_archive::zip_files(&[(entry.to_string(), text)]);
        std::fs::write(out.join(format!("{name}.zip")), zip)
            .unwrap_or_else(|e| panic!("writing {name}.zip: {e}"));
    }
}
