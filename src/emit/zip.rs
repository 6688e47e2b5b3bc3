//! Deterministic zip archives: entries sorted by path, a fixed timestamp
//! (1980-01-01 00:00, the earliest DOS time), fixed permissions, deflate. The
//! same files always give the same bytes, so the archive's hash identifies the
//! code.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Zips `(path, contents)` pairs (paths `/`-separated), sorted by path.
pub fn zip_files(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (path, bytes) in sorted {
        // Writing to memory cannot fail.
        let _ = w.start_file(path.as_str(), options);
        let _ = w.write_all(bytes);
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Every regular file under `dir`, as `(relative path, contents)`, skipping
/// byte-code caches (`__pycache__`, `*.pyc`) and hidden files and directories.
pub fn collect(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, rel)) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "__pycache__" || name.ends_with(".pyc") {
                continue;
            }
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let ft = e.file_type()?;
            if ft.is_dir() {
                stack.push((e.path(), child));
            } else if ft.is_file() || ft.is_symlink() {
                out.push((child, std::fs::read(e.path())?));
            }
        }
    }
    if out.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "the directory contains no files",
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Zips a directory deterministically.
pub fn zip_dir(dir: &Path) -> std::io::Result<Vec<u8>> {
    Ok(zip_files(&collect(dir)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_files_same_bytes_in_any_order() {
        let a = vec![
            ("b.py".to_string(), b"print(2)".to_vec()),
            ("a.py".to_string(), b"print(1)".to_vec()),
        ];
        let mut b = a.clone();
        b.reverse();
        assert_eq!(zip_files(&a), zip_files(&b));
        assert!(!zip_files(&a).is_empty());
    }

    #[test]
    fn directories_zip_deterministically() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("app.py"), "x = 1\n").unwrap();
        std::fs::write(dir.path().join("pkg/mod.py"), "y = 2\n").unwrap();
        std::fs::write(dir.path().join(".hidden"), "no").unwrap();
        let files = collect(dir.path()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["app.py", "pkg/mod.py"]);
        assert_eq!(zip_dir(dir.path()).unwrap(), zip_dir(dir.path()).unwrap());
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        assert!(zip_dir(Path::new("/nonexistent/drsc/code")).is_err());
    }
}
