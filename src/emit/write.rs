//! Atomic output: everything is written into a temporary directory beside the
//! target, then renamed into place, replacing only the target directory. On
//! any failure the target is left as it was.
//!
//! Rebuilding is cheap when little changed: a target that already holds
//! exactly the output is left alone, and a file whose bytes are unchanged is
//! hard-linked from the old target into the new one instead of rewritten, so
//! removing the old directory afterwards only drops names (freeing the blocks
//! of many just-written files is what made a rebuild slow on ext4).

use super::Output;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Why the output could not be written.
#[derive(Debug)]
pub struct WriteError {
    /// The path the problem is about.
    pub path: PathBuf,
    pub error: io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write `{}`: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for WriteError {}

fn err(path: &Path, error: io::Error) -> WriteError {
    WriteError {
        path: path.to_path_buf(),
        error,
    }
}

/// Writes `output` to `target` atomically (see the module docs). The parent
/// directory is created if missing. `target` must be a directory or absent.
pub fn write_atomic(target: &Path, output: &Output) -> Result<(), WriteError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            err(
                target,
                io::Error::new(io::ErrorKind::InvalidInput, "not a directory name"),
            )
        })?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if target.exists() && !target.is_dir() {
        return Err(err(
            target,
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                "exists and is not a directory",
            ),
        ));
    }
    std::fs::create_dir_all(&parent).map_err(|e| err(&parent, e))?;
    let old = if target.is_dir() {
        Existing::read(target, output)
    } else {
        Existing::default()
    };
    if old.holds_exactly(output) {
        return Ok(());
    }
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(&parent)
        .map_err(|e| err(&parent, e))?;
    let mut made: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    made.insert(tmp.path().to_path_buf());
    for (rel, bytes) in &output.files {
        let path = tmp.path().join(rel);
        if let Some(dir) = path.parent() {
            if !made.contains(dir) {
                std::fs::create_dir_all(dir).map_err(|e| err(&target.join(rel), e))?;
                made.insert(dir.to_path_buf());
            }
        }
        let linked = old.unchanged(rel) && std::fs::hard_link(target.join(rel), &path).is_ok();
        if !linked {
            std::fs::write(&path, bytes).map_err(|e| err(&target.join(rel), e))?;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755));
    }
    // Keep the directory: from here on it is renamed, not deleted.
    let staged = tmp.keep();
    let result = swap(&staged, target, &parent, &name);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staged);
    }
    result
}

/// What the target directory holds now: its files' relative paths and whether
/// each already has the output's bytes, and whether it holds anything else
/// (another directory, a link, an unreadable file). Reading is best effort:
/// anything odd only means "rewrite".
#[derive(Default)]
struct Existing {
    files: std::collections::BTreeMap<String, bool>,
    other: bool,
}

impl Existing {
    fn read(target: &Path, output: &Output) -> Existing {
        let mut found = Existing::default();
        // One buffer for every comparison: a rebuild touches no more memory
        // than its largest file (issue 15).
        let mut buf = Vec::new();
        let mut stack = vec![(target.to_path_buf(), String::new())];
        while let Some((dir, rel)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                found.other = true;
                continue;
            };
            let mut empty = true;
            for e in entries {
                empty = false;
                let Ok(e) = e else {
                    found.other = true;
                    continue;
                };
                let name = e.file_name().to_string_lossy().into_owned();
                let child = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                match e.file_type() {
                    Ok(t) if t.is_dir() => stack.push((e.path(), child)),
                    Ok(t) if t.is_file() => {
                        let same = match output.files.get(&child) {
                            Some(want) => holds(&e.path(), want, &mut buf),
                            None => Ok(false),
                        };
                        match same {
                            Ok(same) => {
                                found.files.insert(child, same);
                            }
                            Err(_) => found.other = true,
                        }
                    }
                    _ => found.other = true,
                }
            }
            // An empty directory is not part of any output.
            if empty && !rel.is_empty() {
                found.other = true;
            }
        }
        found
    }

    /// Whether the file `rel` exists with exactly the output's bytes.
    fn unchanged(&self, rel: &str) -> bool {
        self.files.get(rel) == Some(&true)
    }

    /// Whether the target holds exactly the output's files, bytes and nothing else.
    fn holds_exactly(&self, output: &Output) -> bool {
        !self.other
            && self.files.len() == output.files.len()
            && output.files.keys().all(|rel| self.unchanged(rel))
    }
}

/// Whether the file at `path` holds exactly `want`, read into `buf` (only
/// when the sizes agree).
fn holds(path: &Path, want: &[u8], buf: &mut Vec<u8>) -> io::Result<bool> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    if file.metadata()?.len() != want.len() as u64 {
        return Ok(false);
    }
    buf.clear();
    file.read_to_end(buf)?;
    Ok(buf.as_slice() == want)
}

/// Renames `staged` to `target`, moving an existing `target` aside first and
/// back if the second rename fails.
fn swap(staged: &Path, target: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if !target.exists() {
        return std::fs::rename(staged, target).map_err(|e| err(target, e));
    }
    let aside = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(parent)
        .map_err(|e| err(parent, e))?
        .keep();
    // `rename` onto an empty directory works on Unix; remove it to be portable.
    std::fs::remove_dir(&aside).map_err(|e| err(&aside, e))?;
    std::fs::rename(target, &aside).map_err(|e| err(target, e))?;
    if let Err(e) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(err(target, e));
    }
    let _ = std::fs::remove_dir_all(&aside);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (p, t) in files {
            o.add(*p, t.as_bytes());
        }
        o
    }

    #[test]
    fn creates_and_replaces_only_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("nested/out");
        write_atomic(&target, &out(&[("a.txt", "1"), ("sub/b.txt", "2")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("sub/b.txt")).unwrap(),
            "2"
        );
        std::fs::write(dir.path().join("nested/keep.txt"), "k").unwrap();
        write_atomic(&target, &out(&[("c.txt", "3")])).unwrap();
        assert!(!target.join("a.txt").exists());
        assert_eq!(std::fs::read_to_string(target.join("c.txt")).unwrap(), "3");
        assert!(dir.path().join("nested/keep.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_output_leaves_the_target_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let o = out(&[("a.txt", "1"), ("sub/b.txt", "2")]);
        write_atomic(&target, &o).unwrap();
        let inode = |p: &Path| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(p).unwrap().ino()
        };
        let before = (inode(&target), inode(&target.join("sub/b.txt")));
        write_atomic(&target, &o).unwrap();
        assert_eq!(before, (inode(&target), inode(&target.join("sub/b.txt"))));
        // An extra file, or an empty directory, is not "unchanged": rewritten without it.
        std::fs::write(target.join("extra.txt"), "x").unwrap();
        std::fs::create_dir(target.join("empty")).unwrap();
        write_atomic(&target, &o).unwrap();
        assert!(!target.join("extra.txt").exists());
        assert!(!target.join("empty").exists());
        assert_eq!(std::fs::read_to_string(target.join("a.txt")).unwrap(), "1");
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_changed_ones_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        write_atomic(&target, &out(&[("a.txt", "1"), ("sub/b.txt", "2")])).unwrap();
        let b_inode = std::fs::metadata(target.join("sub/b.txt")).unwrap().ino();
        write_atomic(&target, &out(&[("a.txt", "changed"), ("sub/b.txt", "2")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("a.txt")).unwrap(),
            "changed"
        );
        let b = std::fs::metadata(target.join("sub/b.txt")).unwrap();
        assert_eq!(b.ino(), b_inode, "the unchanged file is the same inode");
        assert_eq!(b.nlink(), 1, "the old directory is gone");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1);
    }

    #[test]
    fn a_file_in_the_way_is_an_error_and_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::fs::write(&target, "file").unwrap();
        assert!(write_atomic(&target, &out(&[("a", "1")])).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "file");
    }
}
