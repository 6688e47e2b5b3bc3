//! The source database: every text the compiler reads, on disk or in an
//! editor buffer, identified by a [`FileId`]. Spans point into it.

use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span from byte `start` to byte `end` of `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The byte range, for slicing the file's text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Whether the byte `offset` of `file` lies inside (end inclusive, for cursors).
    pub fn contains(self, file: FileId, offset: usize) -> bool {
        self.file == file && (self.start as usize) <= offset && offset <= self.end as usize
    }
}

/// One source text with its line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown to users (the path as given, or `std/...` for stdlib).
    pub name: String,
    /// The canonical path on disk, if the file lives on disk.
    pub path: Option<PathBuf>,
    pub text: String,
    /// `u32`, as spans are: half the room of `usize` (a line of a generated
    /// file can be 28 bytes).
    line_starts: Vec<u32>,
}

impl SourceFile {
    fn new(name: String, path: Option<PathBuf>, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| (i + 1) as u32))
            .collect();
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    /// Zero-based line index and byte column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self
            .line_starts
            .binary_search(&u32::try_from(offset).unwrap_or(u32::MAX))
        {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        (line, offset - self.line_starts[line] as usize)
    }

    /// One-based line and one-based character column (Unicode scalar values), as humans count.
    pub fn human_position(&self, offset: usize) -> (usize, usize) {
        let (line, _) = self.line_col(offset);
        let start = self.line_starts[line] as usize;
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        (line + 1, self.text[start..offset].chars().count() + 1)
    }

    /// Byte offsets where each line starts.
    pub fn line_starts(&self) -> &[u32] {
        &self.line_starts
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All sources of one compilation, on disk or in memory.
#[derive(Debug, Default, Clone)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn new() -> SourceDb {
        SourceDb::default()
    }

    /// Adds a text (an editor buffer, a stdlib module, a file already read) and returns its id.
    /// Adding a name that is already present replaces its text and keeps the id.
    pub fn add(&mut self, name: impl Into<String>, path: Option<PathBuf>, text: String) -> FileId {
        let name = name.into();
        if let Some(id) = self.find(&name, path.as_deref()) {
            self.files[id.0 as usize] = SourceFile::new(name, path, text);
            return id;
        }
        self.files.push(SourceFile::new(name, path, text));
        FileId(self.files.len() as u32 - 1)
    }

    /// The id of a file already loaded under this name or canonical path.
    pub fn find(&self, name: &str, path: Option<&Path>) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| match (path, &f.path) {
                (Some(p), Some(q)) => p == q,
                _ => f.name == name,
            })
            .map(|i| FileId(i as u32))
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.get(id).text
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.text(span.file).get(span.range()).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.files.len() as u32).map(FileId)
    }
}
