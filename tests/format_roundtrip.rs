//! The canonical formatter: round trips, idempotence, and the repository's own
//! `.drs` files.
//!
//! The property test generates syntax trees covering every node kind, writes each
//! one out in a deliberately messy layout (random spacing and line breaks, comments
//! in every kind of gap, leading zeros, alternative string escapes), parses that,
//! and checks that the formatter's output parses to the same tree (spans aside,
//! comments and doc comments included) and formats to itself.

use drsc::source::{FileId, Span};
use drsc::syntax::ast::*;
use drsc::syntax::format::format;
use drsc::syntax::parse;
use drsc::units::{DataSize, Duration, Percent, DURATION_UNITS, SIZE_UNITS};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// Normaliser: the tree with every span zeroed, so trees from different texts compare.

fn strip(f: &File) -> File {
    let mut f = f.clone();
    for i in &mut f.items {
        strip_item(i);
    }
    for c in &mut f.comments {
        c.span = Span::default();
    }
    f
}

/// The tree without spans, doc comments and comments: what the generator knows.
fn shape(f: &File) -> File {
    fn no_docs(i: &mut Item) {
        match i {
            Item::Block(b) => {
                b.doc = None;
                b.body.iter_mut().for_each(no_docs);
            }
            Item::Attribute(a) => a.doc = None,
            Item::Import(_) | Item::Allow(_) | Item::Error(_) => {}
        }
    }
    let mut f = strip(f);
    f.comments.clear();
    f.items.iter_mut().for_each(no_docs);
    f
}

fn strip_name(n: &mut Name) {
    n.span = Span::default();
}

fn strip_item(i: &mut Item) {
    match i {
        Item::Import(x) => {
            strip_name(&mut x.path);
            x.span = Span::default();
        }
        Item::Allow(x) => {
            strip_name(&mut x.code);
            strip_name(&mut x.reason);
            x.span = Span::default();
        }
        Item::Block(b) => {
            strip_name(&mut b.kind);
            if let Some(l) = &mut b.label {
                strip_name(l);
            }
            b.body.iter_mut().for_each(strip_item);
            b.braces = Braces::default();
            b.span = Span::default();
        }
        Item::Attribute(a) => {
            strip_name(&mut a.key);
            strip_value(&mut a.value);
            a.span = Span::default();
        }
        Item::Error(e) => e.span = Span::default(),
    }
}

fn strip_value(v: &mut Value) {
    v.span = Span::default();
    if let ValueKind::List(items) = &mut v.kind {
        items.iter_mut().for_each(strip_value);
    }
}

// ---------------------------------------------------------------------------
// Helpers.

fn parse_clean(text: &str) -> File {
    let (f, d) = parse(FileId(0), text);
    assert!(
        d.is_empty(),
        "unexpected diagnostics for\n{text}\n{:#?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    f
}

/// Formats `text`, checks the result parses to the same tree and is a fixed point.
fn format_checked(text: &str) -> String {
    let before = parse_clean(text);
    let once = format(&before, text);
    let after = parse_clean(&once);
    assert_eq!(
        strip(&before),
        strip(&after),
        "formatting changed the tree:\n--- input\n{text}\n--- output\n{once}"
    );
    let twice = format(&after, &once);
    assert_eq!(once, twice, "formatting is not idempotent");
    once
}

fn first_difference(a: &str, b: &str) -> String {
    let (al, bl): (Vec<_>, Vec<_>) = (a.lines().collect(), b.lines().collect());
    let n = al.iter().zip(&bl).take_while(|(x, y)| x == y).count();
    format!(
        "line {}:\n  file:      {:?}\n  formatted: {:?}",
        n + 1,
        al.get(n).unwrap_or(&"<end>"),
        bl.get(n).unwrap_or(&"<end>")
    )
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn drs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            drs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "drs") {
            out.push(p);
        }
    }
}

// ---------------------------------------------------------------------------
// The repository's files.

#[test]
fn specs_and_stdlib_are_already_canonical() {
    let mut files = Vec::new();
    drs_files(&root().join("specs"), &mut files);
    drs_files(&root().join("stdlib"), &mut files);
    assert!(files.len() >= 8, "expected the specs and stdlib files");
    let mut wrong = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(root())
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        let formatted = format_checked(&text);
        if formatted != text {
            wrong.push(format!(
                "{rel} is not canonical (run `drsc fmt {rel}`); {}",
                first_difference(&text, &formatted)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_drs_file_under_tests_and_specs_formats_idempotently() {
    let mut files = Vec::new();
    drs_files(&root().join("tests"), &mut files);
    drs_files(&root().join("specs"), &mut files);
    let mut formatted = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let (_, d) = parse(FileId(0), &text);
        if d.iter().any(|d| d.is_error()) {
            continue;
        }
        format_checked(&text);
        formatted += 1;
    }
    assert!(formatted >= 1, "no .drs file parsed cleanly");
}

// ---------------------------------------------------------------------------
// Layout.

#[test]
fn comments_survive_in_their_places() {
    let src = "\
# file header

## The site.
site \"a\" { # on the brace line
  rpo = 1h # trailing
  # own line
  long_key = 4h     # aligned with the one above
  tags { A = \"b\" } # after a block


  ## doc of k
  k = [a, # in a list
    b]
  j # between key and =
    = 1
  x = 1 ## doc of y, written as a trailer
  y = 2
  # last in the block
}
# after the site
key \"k\" {}
# end of file
";
    let want = "\
# file header

## The site.
site \"a\" { # on the brace line
  rpo      = 1h # trailing
  # own line
  long_key = 4h # aligned with the one above
  tags {
    A = \"b\"
  } # after a block

  ## doc of k
  k = [
    a, # in a list
    b,
  ]
  j # between key and =
    = 1
  x = 1
  ## doc of y, written as a trailer
  y = 2
  # last in the block
}

# after the site
key \"k\" {}

# end of file
";
    let out = format_checked(src);
    assert_eq!(out, want);
    // Doc comments document the same items as before.
    let f = parse_clean(&out);
    let Item::Block(site) = &f.items[0] else {
        panic!()
    };
    assert_eq!(site.doc.as_deref(), Some("The site."));
    assert_eq!(
        site.attr("k").and_then(|a| a.doc.as_deref()),
        Some("doc of k")
    );
    assert_eq!(
        site.attr("y").and_then(|a| a.doc.as_deref()),
        Some("doc of y, written as a trailer")
    );
}

#[test]
fn layout_rules() {
    let cases: &[(&str, &str)] = &[
        // Empty file, empty blocks, one blank line between top-level items.
        ("", ""),
        ("\n\n", ""),
        ("a{}\nb \"x\" {\n\n}", "a {}\n\nb \"x\" {}\n"),
        // Blank lines in blocks collapse to one; none after `{` or before `}`.
        (
            "s {\n\n  a = 1\n\n\n\n  b = 2\n\n}\n",
            "s {\n  a = 1\n\n  b = 2\n}\n",
        ),
        // A blank line or a nested block ends an alignment run.
        (
            "s {\n  a = 1\n  bbbb = 2\n  c {}\n  dd = 3\n\n  e = 4\n}\n",
            "s {\n  a    = 1\n  bbbb = 2\n  c {}\n  dd = 3\n\n  e = 4\n}\n",
        ),
        // Quoted keys, allow, values as written, nested lists.
        (
            "s { \"DR-Role\"=\"x\" allow DRS0001 \"why\"\n m = 512MiB t = 060m p = 99.90% v = 14.09 l = [[1, -2], []] }",
            "s {\n  \"DR-Role\" = \"x\"\n  allow DRS0001 \"why\"\n  m = 512MiB\n  t = 60m\n  p = 99.9%\n  v = 14.9\n  l = [[1, -2], []]\n}\n",
        ),
        // A top-level attribute and import.
        ("import \"std/finserv\"\nx = 1", "import \"std/finserv\"\n\nx = 1\n"),
    ];
    for (src, want) in cases {
        assert_eq!(&format_checked(src), want, "input: {src:?}");
    }
}

#[test]
fn long_lists_break_one_element_per_line() {
    let names: Vec<String> = (0..12).map(|i| format!("replica_number_{i}")).collect();
    let src = format!(
        "s {{\n  short = [a, b]\n  regions = [{}]\n}}\n",
        names.join(", ")
    );
    let out = format_checked(&src);
    let mut want = String::from("s {\n  short   = [a, b]\n  regions = [\n");
    // Every item of a broken list ends with a comma, the last too.
    for n in &names {
        want.push_str(&format!("    {n},\n"));
    }
    want.push_str("  ]\n}\n");
    assert_eq!(out, want);
    // A line of exactly the limit stays; one more character breaks the list,
    // counting the comma after a list inside a broken list.
    let max = drsc::syntax::format::MAX_WIDTH;
    let fits = format!("k = [{}]\n", "x".repeat(max - 6));
    assert_eq!(fits.lines().next().map(str::len), Some(max));
    assert_eq!(format_checked(&fits), fits);
    let over = format!("k = [{}]\n", "x".repeat(max - 5));
    assert_eq!(
        format_checked(&over),
        format!("k = [\n  {},\n]\n", "x".repeat(max - 5))
    );
    let inner = format!("[{}]", "y".repeat(max - 4));
    assert_eq!(
        format_checked(&format!("k = [{inner}, z]\n")),
        format!("k = [\n  [\n    {},\n  ],\n  z,\n]\n", "y".repeat(max - 4))
    );
    let inner = format!("[{}]", "y".repeat(max - 5));
    assert_eq!(
        format_checked(&format!("k = [{inner}, z]\n")),
        format!("k = [\n  {inner},\n  z,\n]\n")
    );
}

#[test]
fn strings_are_re_escaped() {
    let out = format_checked("k = \"tab\there \\u{00e9}\\u{1F980} \\\"q\\\" \\\\ \\u{7}\"\n");
    assert_eq!(out, "k = \"tab\\there é🦀 \\\"q\\\" \\\\ \\u{0007}\"\n");
}

// ---------------------------------------------------------------------------
// The command line.

#[test]
fn fmt_command_checks_rewrites_and_refuses_syntax_errors() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("messy.drs");
    let clean = dir.path().join("clean.drs");
    let broken = dir.path().join("broken.drs");
    std::fs::write(&messy, "key \"k\" { rotation=true\n}\n").unwrap();
    std::fs::write(&clean, "key \"k\" {\n  rotation = true\n}\n").unwrap();
    std::fs::write(&broken, "key \"k\" {\n  rotation = \n").unwrap();
    let drsc = |args: &[&Path]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_drsc"));
        c.arg("fmt").env("NO_COLOR", "1");
        for a in args {
            c.arg(a);
        }
        c.output().unwrap()
    };

    let out = drsc(&[Path::new("--check"), &clean]);
    assert_eq!(out.status.code(), Some(0));
    let out = drsc(&[Path::new("--check"), &clean, &messy]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("would reformat") && stdout.contains("messy.drs"));
    assert!(stdout.contains("-key \"k\" { rotation=true") && stdout.contains("+  rotation = true"));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        "key \"k\" { rotation=true\n}\n",
        "--check must not write"
    );

    let out = drsc(&[&messy]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        std::fs::read_to_string(&clean).unwrap()
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3,
        "temp file left behind"
    );

    let out = drsc(&[&broken, &clean]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot format a file with syntax errors"),
        "{stderr}"
    );
    assert!(stderr.contains("DRS0"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "key \"k\" {\n  rotation = \n"
    );

    let out = drsc(&[&dir.path().join("missing.drs")]);
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------------
// Generated trees.

fn value(kind: ValueKind) -> Value {
    Value {
        kind,
        span: Span::default(),
    }
}

fn name(text: String) -> Name {
    Name {
        text: text.into(),
        span: Span::default(),
    }
}

fn ident() -> impl Strategy<Value = String> {
    "[a-zA-Z_][a-zA-Z0-9_]{0,8}".prop_filter("a boolean", |s| s != "true" && s != "false")
}

/// A block kind. `allow...` and `import` kinds with a label do not parse (the
/// `allow` and `import` rules win); see the report on the grammar.
fn kind() -> impl Strategy<Value = String> {
    ident().prop_filter("keyword-like", |s| !s.starts_with("allow") && s != "import")
}

fn text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        6 => proptest::char::range(' ', '~'),
        1 => Just('"'),
        1 => Just('\\'),
        1 => Just('\n'),
        1 => Just('\t'),
        1 => Just('#'),
        1 => prop::sample::select(vec!['\r', '\0', '\u{7f}', '\u{85}', '\u{1b}']),
        2 => prop::sample::select(vec!['é', 'ß', 'Ω', '–', '日', '本', '🦀', '\u{2028}', '\u{feff}']),
        1 => any::<char>(),
    ];
    prop::collection::vec(ch, 0..12).prop_map(|v| v.into_iter().collect())
}

fn leaf() -> impl Strategy<Value = ValueKind> {
    let duration =
        (0..DURATION_UNITS.len(), any::<u64>(), any::<bool>()).prop_map(|(u, n, small)| {
            let (_, unit, per) = DURATION_UNITS[u];
            let amount = if small {
                n % 1000
            } else {
                (u64::MAX / per).checked_add(1).map_or(n, |m| n % m)
            };
            ValueKind::Duration(Duration { amount, unit })
        });
    let size = (0..SIZE_UNITS.len(), any::<u64>(), any::<bool>()).prop_map(|(u, n, small)| {
        let (_, unit, per) = SIZE_UNITS[u];
        let amount = if small {
            n % 4096
        } else {
            (u64::MAX / per).checked_add(1).map_or(n, |m| n % m)
        };
        ValueKind::Size(DataSize { amount, unit })
    });
    let cidr = (any::<u32>(), 0u8..=32).prop_map(|(a, prefix)| {
        let mask = if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - prefix)
        };
        ValueKind::Cidr(Cidr {
            addr: (a & mask).to_be_bytes(),
            prefix,
        })
    });
    // Days 1–28 exist in every month; later days only where the calendar has them.
    let date = (0u32..=9999, 1u32..=12, 1u32..=31).prop_map(|(year, month, day)| {
        let date = Date::from_ymd(year, month, day).or_else(|| Date::from_ymd(year, month, 28));
        ValueKind::Date(date.expect("day 28 exists in every month"))
    });
    prop_oneof![
        text().prop_map(|s| ValueKind::String(s.into())),
        prop_oneof![any::<i64>(), -1000i64..1000].prop_map(ValueKind::Integer),
        any::<bool>().prop_map(ValueKind::Bool),
        duration,
        size,
        any::<u32>().prop_map(|hundredths| ValueKind::Percent(Percent { hundredths })),
        cidr,
        prop::collection::vec(prop_oneof![any::<u32>(), 0u32..30], 2..5).prop_map(|parts| {
            ValueKind::Version(Version {
                parts: parts.into(),
            })
        }),
        date,
        "[a-z]{2}(-[a-z]{1,9}){1,2}-[0-9]{1,2}".prop_map(|s| ValueKind::Region(s.into())),
        ident().prop_map(|s| ValueKind::Ident(s.into())),
    ]
}

fn value_kind() -> impl Strategy<Value = ValueKind> {
    leaf().prop_recursive(3, 24, 5, |inner| {
        prop::collection::vec(inner.prop_map(value), 0..5)
            .prop_map(|items| ValueKind::List(items.into()))
    })
}

fn attribute() -> impl Strategy<Value = Item> {
    let key = prop_oneof![
        3 => ident().prop_map(|k| (k, false)),
        1 => text().prop_map(|k| (k, true)),
    ];
    (key, value_kind()).prop_map(|((key, quoted_key), v)| {
        Item::Attribute(Attribute {
            key: name(key),
            quoted_key,
            value: value(v),
            doc: None,
            span: Span::default(),
        })
    })
}

fn allow() -> impl Strategy<Value = Item> {
    (ident(), text()).prop_map(|(code, reason)| {
        Item::Allow(Allow {
            code: name(code),
            reason: name(reason),
            span: Span::default(),
        })
    })
}

fn block(body: impl Strategy<Value = Vec<Item>>) -> impl Strategy<Value = Item> {
    (kind(), prop::option::of(text()), body).prop_map(|(k, label, body)| {
        Item::Block(Block {
            kind: name(k),
            label: label.map(name),
            body: body.into(),
            doc: None,
            braces: Braces::default(),
            span: Span::default(),
        })
    })
}

/// An item that may appear inside a block.
fn body_item() -> impl Strategy<Value = Item> {
    let flat = prop_oneof![4 => attribute(), 1 => allow()];
    flat.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            3 => attribute(),
            1 => allow(),
            2 => block(prop::collection::vec(inner, 0..6)),
        ]
    })
}

fn top_item() -> impl Strategy<Value = Item> {
    prop_oneof![
        4 => block(prop::collection::vec(body_item(), 0..7)),
        1 => attribute(),
        1 => allow(),
        1 => text().prop_map(|p| Item::Import(Import {
            path: name(p),
            span: Span::default(),
        })),
    ]
}

fn comment() -> impl Strategy<Value = String> {
    let body = prop::collection::vec(
        prop_oneof![
            5 => proptest::char::range(' ', '~'),
            1 => prop::sample::select(vec!['é', '–', '日', '🦀', '"', '#', '{', '}', '[']),
        ],
        0..16,
    )
    .prop_map(|v| v.into_iter().collect::<String>().trim_end().to_string());
    (
        prop::sample::select(vec!["#", "# ", "##", "## ", "###"]),
        body,
    )
        .prop_map(|(mark, body)| format!("{mark}{body}").trim_end().to_string())
}

/// Writes a tree as valid but untidy source text. Every choice comes from `choices`.
struct Messy<'a> {
    out: String,
    choices: &'a [u8],
    at: usize,
    comments: &'a [String],
    next_comment: usize,
    written_comments: usize,
}

impl Messy<'_> {
    fn pick(&mut self, n: usize) -> usize {
        if self.choices.is_empty() {
            return 0;
        }
        let c = self.choices[self.at % self.choices.len()] as usize;
        self.at += 1;
        c % n
    }

    fn comment(&mut self) -> Option<String> {
        if self.comments.is_empty() || self.pick(4) != 0 {
            return None;
        }
        let c = self.comments[self.next_comment % self.comments.len()].clone();
        self.next_comment += 1;
        self.written_comments += 1;
        Some(c)
    }

    /// A line break followed by indentation (never column 0 inside brackets).
    fn newline(&mut self, nested: bool) {
        self.out.push('\n');
        if self.pick(5) == 0 {
            self.out.push('\n');
        }
        let n = if nested {
            1 + self.pick(6)
        } else {
            self.pick(2)
        };
        self.out.push_str(&" ".repeat(n));
    }

    /// Whitespace between two tokens. Line breaks (and so comments) only where
    /// `breaks` allows: anywhere inside brackets, before `{` or `=` at top level.
    fn gap(&mut self, nested: bool, breaks: bool) {
        if breaks {
            if let Some(c) = self.comment() {
                self.out.push(' ');
                self.out.push_str(&c);
                self.newline(nested);
                return;
            }
            if self.pick(4) == 0 {
                self.newline(nested);
                return;
            }
        }
        let ws = ["  ", "\t", " ", " "][self.pick(4)];
        self.out.push_str(ws);
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for ch in s.chars() {
            match ch {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\t' if self.pick(2) == 0 => self.out.push_str("\\t"),
                c if c.is_control() && c != '\t' || self.pick(8) == 0 => {
                    let hex = format!("{:0width$x}", c as u32, width = self.pick(6));
                    let hex = if self.pick(2) == 0 {
                        hex.to_uppercase()
                    } else {
                        hex
                    };
                    self.out.push_str(&format!("\\u{{{hex}}}"));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// Leading zeros now and then: the formatter drops them.
    fn zeros(&mut self) {
        if self.pick(6) == 0 {
            let z = ["0", "00"][self.pick(2)];
            self.out.push_str(z);
        }
    }

    fn value(&mut self, v: &Value, nested: bool) {
        match &v.kind {
            ValueKind::String(s) => self.string(s),
            ValueKind::Integer(n) => {
                if *n < 0 {
                    self.out.push('-');
                }
                self.zeros();
                self.out.push_str(&n.unsigned_abs().to_string());
            }
            ValueKind::Bool(b) => self.out.push_str(&b.to_string()),
            ValueKind::Duration(d) => {
                self.zeros();
                self.out.push_str(&d.to_string());
            }
            ValueKind::Size(d) => {
                self.zeros();
                self.out.push_str(&d.to_string());
            }
            ValueKind::Percent(p) => {
                let (w, f) = (p.hundredths / 100, p.hundredths % 100);
                self.zeros();
                match (f, self.pick(3)) {
                    (0, 0) => self.out.push_str(&format!("{w}%")),
                    (0, _) => self.out.push_str(&format!("{w}.0%")),
                    (f, 0) if f % 10 == 0 => self.out.push_str(&format!("{w}.{}%", f / 10)),
                    (f, _) => self.out.push_str(&format!("{w}.{f:02}%")),
                }
            }
            ValueKind::Cidr(c) => {
                let octets: Vec<String> = c.addr.iter().map(|o| o.to_string()).collect();
                self.zeros();
                self.out
                    .push_str(&format!("{}/{}", octets.join("."), c.prefix));
            }
            ValueKind::Version(v) => {
                for (i, p) in v.parts.iter().enumerate() {
                    if i > 0 {
                        self.out.push('.');
                    }
                    self.zeros();
                    self.out.push_str(&p.to_string());
                }
            }
            ValueKind::Date(d) => self.out.push_str(&d.to_string()),
            ValueKind::Region(r) | ValueKind::Ident(r) => self.out.push_str(r),
            ValueKind::List(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    self.gap(true, true);
                    self.value(item, true);
                    if i + 1 < items.len() || self.pick(3) == 0 {
                        self.gap(true, true);
                        self.out.push(',');
                    }
                }
                self.gap(true, true);
                self.out.push(']');
            }
            ValueKind::Error => unreachable!("not generated"),
        }
        let _ = nested;
    }

    fn item(&mut self, item: &Item, nested: bool) {
        match item {
            Item::Import(i) => {
                self.out.push_str("import");
                self.gap(nested, nested);
                self.string(&i.path.text);
            }
            Item::Allow(a) => {
                self.out.push_str("allow");
                self.gap(nested, nested);
                self.out.push_str(&a.code.text);
                self.gap(nested, nested);
                self.string(&a.reason.text);
            }
            Item::Error(_) => unreachable!("not generated"),
            Item::Attribute(a) => {
                if a.quoted_key {
                    self.string(&a.key.text);
                } else {
                    self.out.push_str(&a.key.text);
                }
                self.gap(nested, true);
                self.out.push('=');
                self.gap(nested, nested);
                self.value(&a.value, nested);
            }
            Item::Block(b) => {
                self.out.push_str(&b.kind.text);
                if let Some(l) = &b.label {
                    self.gap(nested, nested);
                    self.string(&l.text);
                }
                self.gap(nested, true);
                self.out.push('{');
                for i in &b.body {
                    self.gap(true, true);
                    self.item(i, true);
                }
                self.gap(true, true);
                self.out.push('}');
            }
        }
    }

    fn file(&mut self, f: &File) {
        for (k, item) in f.items.iter().enumerate() {
            if k > 0 {
                if let Some(c) = self.comment() {
                    self.out.push(' ');
                    self.out.push_str(&c);
                }
                self.out.push('\n');
                for _ in 0..self.pick(3) {
                    if let Some(c) = self.comment() {
                        self.out.push_str(&c);
                    }
                    self.out.push('\n');
                }
            }
            self.item(item, false);
        }
        if let Some(c) = self.comment() {
            self.out.push_str("\n\n");
            self.out.push_str(&c);
        }
        if self.pick(2) == 0 {
            self.out.push('\n');
        }
    }
}

fn messy(f: &File, choices: &[u8], comments: &[String]) -> (String, usize) {
    let mut m = Messy {
        out: String::new(),
        choices,
        at: 0,
        comments,
        next_comment: 0,
        written_comments: 0,
    };
    m.file(f);
    (m.out, m.written_comments)
}

fn file() -> impl Strategy<Value = File> {
    prop::collection::vec(top_item(), 0..6).prop_map(|items| File {
        items,
        comments: Vec::new(),
    })
}

proptest! {
    // 256 cases by default; `PROPTEST_CASES=100000 cargo test --release` for a long run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn formatting_keeps_the_tree_and_is_idempotent(
        tree in file(),
        choices in prop::collection::vec(any::<u8>(), 0..64),
        comments in prop::collection::vec(comment(), 0..8),
    ) {
        let (text, written) = messy(&tree, &choices, &comments);
        let (parsed, diags) = parse(FileId(0), &text);
        prop_assert!(diags.is_empty(), "messy text did not parse:\n{}\n{:#?}", text,
            diags.iter().map(|d| &d.message).collect::<Vec<_>>());
        prop_assert_eq!(shape(&parsed), shape(&tree), "messy text:\n{}", text);
        prop_assert_eq!(parsed.comments.len(), written);

        let once = format(&parsed, &text);
        let (again, diags) = parse(FileId(0), &once);
        prop_assert!(diags.is_empty(), "formatted text did not parse:\n{}\n--- from\n{}\n{:#?}",
            once, text, diags.iter().map(|d| &d.message).collect::<Vec<_>>());
        prop_assert_eq!(strip(&again), strip(&parsed),
            "tree changed:\n--- messy\n{}\n--- formatted\n{}", text, once);
        let twice = format(&again, &once);
        prop_assert_eq!(&twice, &once, "not idempotent:\n--- messy\n{}", text);
        prop_assert!(!once.lines().any(|l| l.ends_with(' ') || l.ends_with('\t')),
            "trailing whitespace:\n{}", once);
    }
}
