//! Where the builtin Lambda handlers' code lives, shared by the build script
//! (which zips each into `$OUT_DIR/<name>.zip`) and the library (which embeds
//! those zips): `(Builtin::name, file name inside the zip, path from the crate root)`.

/// Every builtin handler's single source file.
pub const FILES: &[(&str, &str, &str)] = &[
    ("failover", "handler.py", "assets/failover/handler.py"),
    ("starter", "handler.py", "assets/starter/handler.py"),
    ("edgeprobe", "handler.py", "assets/edgeprobe/handler.py"),
    (
        "restorevalidation",
        "handler.py",
        "assets/restorevalidation/handler.py",
    ),
    ("probe", "index.py", "src/graph/probe.py"),
];
