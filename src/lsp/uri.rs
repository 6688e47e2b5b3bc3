//! Document URIs: `file:` URIs ↔ paths, and the read-only `drs-std:` documents
//! that show stdlib modules (which live in the binary, not on disk).

use crate::source::{FileId, SourceDb};
use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Names the files of one document's analysis by URI.
#[derive(Debug, Clone, Copy)]
pub struct Locator<'a> {
    pub root: FileId,
    pub root_uri: &'a Uri,
    /// The client shows `drs-std:` documents (the VS Code extension does);
    /// otherwise places in the stdlib have no URI.
    pub stdlib_documents: bool,
}

impl Locator<'_> {
    /// The URI of a loaded file, if the client can open it.
    pub fn uri(&self, db: &SourceDb, id: FileId) -> Option<Uri> {
        if id == self.root {
            return Some(self.root_uri.clone());
        }
        let f = db.get(id);
        match &f.path {
            Some(p) => from_path(p),
            None if self.stdlib_documents && crate::stdlib::module(&f.name).is_some() => {
                from_stdlib(&f.name)
            }
            None => None,
        }
    }
}

/// The scheme of stdlib modules shown as read-only virtual documents.
pub const STDLIB_SCHEME: &str = "drs-std";

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let s = path.to_str()?;
    let s = s.replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

/// The path of a `file:` URI, or `None` for other schemes.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // Skip an authority (`file://host/path`); only local files are supported.
    let path = &rest[rest.find('/')?..];
    let decoded = percent_decode(path)?;
    // `/c:/dir` on Windows.
    let bytes = decoded.as_bytes();
    if cfg!(windows) && bytes.len() >= 3 && bytes[0] == b'/' && bytes[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The URI of a stdlib module (`std/regions` → `drs-std:/std/regions.drs`).
pub fn from_stdlib(module: &str) -> Option<Uri> {
    Uri::from_str(&format!("{STDLIB_SCHEME}:/{module}.drs")).ok()
}

/// The stdlib module a `drs-std:` URI shows.
pub fn to_stdlib(uri: &Uri) -> Option<&'static str> {
    let rest = uri
        .as_str()
        .strip_prefix(STDLIB_SCHEME)?
        .strip_prefix(':')?;
    let name = rest.trim_start_matches('/').trim_end_matches(".drs");
    crate::stdlib::MODULES
        .iter()
        .map(|(n, _)| *n)
        .find(|n| *n == name)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn file_uris_round_trip_with_escapes() {
        let p = Path::new("/home/ana/sites/café 1/site.drs");
        let uri = from_path(p).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///home/ana/sites/caf%C3%A9%201/site.drs"
        );
        assert_eq!(to_path(&uri).unwrap(), p);
        let vscode = Uri::from_str("file:///home/ana/x%3Ay.drs").unwrap();
        assert_eq!(to_path(&vscode).unwrap(), Path::new("/home/ana/x:y.drs"));
    }

    #[test]
    fn stdlib_uris_name_modules() {
        let uri = from_stdlib("std/regions").unwrap();
        assert_eq!(uri.as_str(), "drs-std:/std/regions.drs");
        assert_eq!(to_stdlib(&uri), Some("std/regions"));
        assert_eq!(
            to_stdlib(&Uri::from_str("drs-std:/std/nope.drs").unwrap()),
            None
        );
        assert_eq!(to_path(&uri), None);
    }
}
