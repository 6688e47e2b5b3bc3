//! Lambda functions (R10).

pub mod deprecated_runtime;
pub mod invalid_memory;
pub mod python_too_old;
pub mod unknown_runtime;

/// `(3, 8)` for `python3.8`; `None` for other names.
pub fn python_version(runtime: &str) -> Option<(u32, u32)> {
    let v = runtime.strip_prefix("python")?;
    let (major, minor) = v.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The oldest Python R10 accepts.
pub const MIN_PYTHON: (u32, u32) = (3, 9);
