//! `drsc fmt [--check] FILE...`: rewrite files in canonical layout.

use super::{output, Status};
use codespan_reporting::term::termcolor::WriteColor;
use drsc::diagnostic::{human, Diagnostic};
use drsc::loader;
use drsc::source::SourceDb;
use drsc::syntax::{self, format};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Files to format in place.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted (with a diff) and exit 1 if any.
    #[arg(long)]
    check: bool,
}

pub fn run(args: Args) -> Status {
    let mut err = output::stderr();
    let mut worst = Status::Clean;
    for path in &args.files {
        let status = match one(path, args.check, &mut err) {
            Ok(s) => s,
            Err(e) => super::output_failed(&e, Status::Trouble),
        };
        worst = worst.max(status);
    }
    worst
}

/// Formats one file; the error is a failure to write to the terminal.
fn one(path: &Path, check: bool, err: &mut dyn WriteColor) -> std::io::Result<Status> {
    let text = match loader::read_source(path) {
        Ok(t) => t,
        Err(d) => {
            human::render(&SourceDb::new(), std::slice::from_ref(&*d), err)?;
            return Ok(Status::Trouble);
        }
    };
    let mut db = SourceDb::new();
    let id = db.add(path.to_string_lossy(), Some(path.to_path_buf()), text);
    let text = db.text(id);
    let (file, diags) = syntax::parse(id, text);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() {
        human::render(&db, &errors, err)?;
        writeln!(
            err,
            "error: cannot format a file with syntax errors: {}",
            path.display()
        )?;
        return Ok(Status::Trouble);
    }
    let formatted = format::format(&file, text);
    if formatted == text {
        return Ok(Status::Clean);
    }
    if check {
        let mut out = std::io::stdout().lock();
        writeln!(out, "would reformat {}", path.display())?;
        write_diff(&mut out, &path.display().to_string(), text, &formatted)?;
        return Ok(Status::Findings);
    }
    if let Err(e) = write_atomically(path, &formatted) {
        writeln!(err, "error: cannot write `{}`: {e}", path.display())?;
        return Ok(Status::Trouble);
    }
    writeln!(err, "formatted {}", path.display())?;
    Ok(Status::Clean)
}

/// Writes a temporary file next to `path` and renames it over `path`, so a
/// reader never sees half a file. Keeps the file's permissions.
fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".drsc-fmt-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Lines of context around each change.
const CONTEXT: usize = 2;
/// Diff lines shown per file at most.
const MAX_DIFF_LINES: usize = 60;

/// A unified diff of `old` against `new`, cut after [`MAX_DIFF_LINES`] lines.
fn write_diff(out: &mut dyn Write, name: &str, old: &str, new: &str) -> std::io::Result<()> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = diff_lines(&a, &b);
    writeln!(out, "--- {name}")?;
    writeln!(out, "+++ {name} (formatted)")?;
    let mut shown = 0;
    for hunk in hunks(&ops) {
        let (a0, b0) = (hunk[0].1, hunk[0].2);
        let a_len = hunk.iter().filter(|o| o.0 != Op::Insert).count();
        let b_len = hunk.iter().filter(|o| o.0 != Op::Delete).count();
        writeln!(out, "@@ -{},{a_len} +{},{b_len} @@", a0 + 1, b0 + 1)?;
        for &(op, i, j) in hunk {
            if shown == MAX_DIFF_LINES {
                writeln!(out, "...")?;
                return Ok(());
            }
            match op {
                Op::Keep => writeln!(out, " {}", a[i])?,
                Op::Delete => writeln!(out, "-{}", a[i])?,
                Op::Insert => writeln!(out, "+{}", b[j])?,
            }
            shown += 1;
        }
    }
    if old.ends_with('\n') != new.ends_with('\n') {
        writeln!(out, "\\ the final newline differs")?;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Keep,
    Delete,
    Insert,
}

/// Line operations turning `a` into `b`, each with its line index in `a` and in `b`
/// (for an insertion, the index in `a` is where it goes).
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    // Common prefix and suffix first; a longest-common-subsequence table for the
    // middle when it is small, otherwise the middle is one replacement.
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops: Vec<(Op, usize, usize)> = (0..pre).map(|i| (Op::Keep, i, i)).collect();
    if am.len().saturating_mul(bm.len()) <= 4_000_000 {
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push((Op::Keep, pre + i, pre + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push((Op::Delete, pre + i, pre + j));
                i += 1;
            } else {
                ops.push((Op::Insert, pre + i, pre + j));
                j += 1;
            }
        }
    } else {
        ops.extend((0..am.len()).map(|i| (Op::Delete, pre + i, pre)));
        ops.extend((0..bm.len()).map(|j| (Op::Insert, pre + am.len(), pre + j)));
    }
    let (a_end, b_end) = (a.len() - suf, b.len() - suf);
    ops.extend((0..suf).map(|k| (Op::Keep, a_end + k, b_end + k)));
    ops
}

/// Groups operations into hunks: changes with up to [`CONTEXT`] kept lines around them.
fn hunks(ops: &[(Op, usize, usize)]) -> Vec<&[(Op, usize, usize)]> {
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != Op::Keep).collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = changed[k];
        while k < changed.len() && changed[k] <= end + 2 * CONTEXT + 1 {
            end = changed[k];
            k += 1;
        }
        out.push(&ops[start..(end + CONTEXT + 1).min(ops.len())]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(a: &str, b: &str) -> String {
        let mut out = Vec::new();
        write_diff(&mut out, "f.drs", a, b).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn diff_shows_changed_lines_with_context() {
        let d = diff("a\nb\nc\nd\ne\nf\n", "a\nb\nc\nD\ne\nf\n");
        assert_eq!(
            d,
            "--- f.drs\n+++ f.drs (formatted)\n@@ -2,5 +2,5 @@\n b\n c\n-d\n+D\n e\n f\n"
        );
    }

    #[test]
    fn diff_of_insertions_and_far_apart_changes() {
        let old = (0..20).map(|i| format!("{i}\n")).collect::<String>();
        let new = old.replace("3\n", "3\nx\n").replace("15\n", "fifteen\n");
        let d = diff(&old, &new);
        assert!(d.contains("@@ -3,4 +3,5 @@\n 2\n 3\n+x\n 4\n 5\n"), "{d}");
        assert!(d.contains("-15\n+fifteen\n"), "{d}");
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("site.drs");
        std::fs::write(&p, "old").unwrap();
        write_atomically(&p, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
