//! Loads a site and everything it imports into the source database, parses
//! each file once, and reports missing imports, cycles and escapes.

use crate::diagnostic::{self, Diagnostic};
use crate::source::{FileId, SourceDb, Span};
use crate::stdlib;
use crate::syntax::{self, ast, codes};
use std::path::{Component, Path, PathBuf};

/// A parsed file and the files it imports.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub id: FileId,
    pub ast: ast::File,
    pub imports: Vec<FileId>,
    pub is_stdlib: bool,
}

/// A site with everything it imports, in dependency order (imports first).
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub files: Vec<LoadedFile>,
    pub root: Option<FileId>,
}

impl Program {
    pub fn file(&self, id: FileId) -> Option<&LoadedFile> {
        self.files.iter().find(|f| f.id == id)
    }
}

/// Reads a file from disk as UTF-8; the error says which byte is wrong.
pub fn read_source(path: &Path) -> Result<String, Box<Diagnostic>> {
    if path.is_dir() {
        return Err(Box::new(
            Diagnostic::new(
                &codes::FILE_UNREADABLE,
                format!("cannot read `{}`: it is a directory", path.display()),
            )
            .help("name a `.drs` file"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(
            Diagnostic::new(
                &codes::FILE_UNREADABLE,
                format!("cannot read `{}`: {}", path.display(), io_reason(&e)),
            )
            .help("check the path and its permissions"),
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = &e.as_bytes()[..at];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        let byte = e.as_bytes()[at];
        Box::new(
            Diagnostic::new(
                &codes::NOT_UTF8,
                format!(
                    "`{}` is not valid UTF-8: byte 0x{byte:02X} at offset {at} (line {line}, column {column})",
                    path.display()
                ),
            )
            .help("save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"),
        )
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Loads the file `root` (already in `db`) with the prelude and its imports.
/// `project_dir` bounds relative imports.
pub fn load(db: &mut SourceDb, root: FileId, project_dir: &Path) -> (Program, Vec<Diagnostic>) {
    let mut loader = Loader {
        db,
        project_dir: normalize(project_dir),
        program: Program {
            files: Vec::new(),
            root: Some(root),
        },
        diags: Vec::new(),
        stack: Vec::new(),
        via: Vec::new(),
    };
    for name in stdlib::PRELUDE {
        if let Some(id) = loader.stdlib_file(name) {
            loader.visit(id);
        }
    }
    loader.visit(root);
    (loader.program, loader.diags)
}

struct Loader<'a> {
    db: &'a mut SourceDb,
    project_dir: PathBuf,
    program: Program,
    diags: Vec<Diagnostic>,
    stack: Vec<FileId>,
    /// The import spans that led from each file on `stack` to the next.
    via: Vec<Span>,
}

impl Loader<'_> {
    fn stdlib_file(&mut self, name: &str) -> Option<FileId> {
        let text = stdlib::module(name)?;
        Some(match self.db.find(name, None) {
            Some(id) => id,
            None => self.db.add(name, None, text.to_string()),
        })
    }

    fn visit(&mut self, id: FileId) {
        if self.program.file(id).is_some() {
            return;
        }
        self.stack.push(id);
        let text = self.db.text(id);
        let is_stdlib = stdlib::is_stdlib(&self.db.get(id).name);
        let cached = is_stdlib
            .then(|| stdlib::parsed(&self.db.get(id).name, text, id))
            .flatten();
        let (ast, mut diags) = match cached {
            Some(ast) => (ast, Vec::new()),
            None => {
                let (ast, diags) = syntax::parse(id, text);
                let mut valid = syntax::validate::validate(&ast);
                (ast, diagnostic::concat(diags, &mut valid))
            }
        };
        if !is_stdlib && ast.items.is_empty() && diags.is_empty() {
            diags.push(
                Diagnostic::new(&codes::EMPTY_FILE, "file declares nothing")
                    .at(
                        Span::new(id, 0, text.find('\n').unwrap_or(text.len())),
                        "no blocks or imports in this file",
                    )
                    .help("declare the site: `site \"name\" { primary = us-east-1 ... }`"),
            );
        }
        self.diags = diagnostic::concat(std::mem::take(&mut self.diags), &mut diags);
        let mut imports = Vec::new();
        for item in &ast.items {
            if let ast::Item::Import(imp) = item {
                if let Some(target) = self.resolve(id, imp) {
                    if self.stack.contains(&target) {
                        let chain: Vec<String> = self
                            .stack
                            .iter()
                            .skip_while(|f| **f != target)
                            .chain(std::iter::once(&target))
                            .map(|f| format!("`{}`", self.db.get(*f).name))
                            .collect();
                        let start = self.stack.iter().position(|f| *f == target).unwrap_or(0);
                        let mut d = Diagnostic::new(&codes::IMPORT_CYCLE, "import cycle")
                            .at(imp.path.span, "this import closes a cycle")
                            .note(format!("cycle: {}", chain.join(" → ")))
                            .help("move what both files need into a third file that both import");
                        for span in self.via.iter().skip(start) {
                            d = d.also(*span, "imported here, part of the cycle");
                        }
                        self.diags.push(d);
                        continue;
                    }
                    self.via.push(imp.path.span);
                    self.visit(target);
                    self.via.pop();
                    imports.push(target);
                }
            }
        }
        self.stack.pop();
        self.program.files.push(LoadedFile {
            id,
            ast,
            imports,
            is_stdlib,
        });
    }

    fn resolve(&mut self, from: FileId, imp: &ast::Import) -> Option<FileId> {
        let path = imp.path.text.as_str();
        if stdlib::is_stdlib(path) {
            let found = self.stdlib_file(path);
            if found.is_none() {
                let names: Vec<&str> = stdlib::MODULES.iter().map(|m| m.0).collect();
                let d =
                    Diagnostic::new(&codes::MISSING_IMPORT, format!("no stdlib module `{path}`"))
                        .at(imp.path.span, "not shipped with drsc");
                self.diags
                    .push(match crate::suggest::closest(path, names.iter().copied()) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!("stdlib modules: {}", names.join(", "))),
                    });
            }
            return found;
        }
        let base = self
            .db
            .get(from)
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| self.project_dir.clone());
        let rel = Path::new(path);
        let target = normalize(&base.join(rel));
        if rel.is_absolute() || !target.starts_with(&self.project_dir) {
            let mut d = Diagnostic::new(
                &codes::IMPORT_ESCAPES,
                format!("import `{path}` leaves the project directory"),
            );
            d = if rel.is_absolute() {
                d.at(imp.path.span, "an absolute path")
                    .help("import with a path relative to this file, inside the repository")
            } else {
                d.at(imp.path.span, "climbs out of the project")
                    .note(format!(
                        "the project directory is `{}`",
                        self.project_dir.display()
                    ))
                    .help("keep shared files inside the repository, or use a `std/` module")
            };
            self.diags.push(d);
            return None;
        }
        let display = display_name(&self.db.get(from).name, path);
        if let Some(id) = self.db.find(&display, Some(&target)) {
            return Some(id);
        }
        match read_source(&target) {
            Ok(text) => Some(self.db.add(display, Some(target), text)),
            Err(d) if d.code == &codes::FILE_UNREADABLE => {
                let what = if target.is_dir() {
                    "a directory, not a file"
                } else {
                    "no such file"
                };
                self.diags.push(
                    Diagnostic::new(&codes::MISSING_IMPORT, format!("cannot import `{path}`"))
                        .at(imp.path.span, what)
                        .note(format!("looked for `{}`", target.display()))
                        .help("import paths are relative to the importing file"),
                );
                None
            }
            Err(d) => {
                self.diags.push(d.at(imp.path.span, "imported here"));
                None
            }
        }
    }
}

/// The name users see for an imported file: relative to the importer's name.
fn display_name(importer: &str, path: &str) -> String {
    let dir = Path::new(importer).parent().unwrap_or(Path::new(""));
    normalize(&dir.join(path)).to_string_lossy().into_owned()
}

/// Removes `.` and resolves `..` lexically (no symlinks, no disk access).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
