//! `drsc lsp` end to end: the real binary, spoken to over stdio with
//! Content-Length framed JSON-RPC, as an editor does. Every read has a
//! timeout, so a hung server fails the test instead of hanging CI.
//!
//! Also here: the library-level robustness sweep (every feature at every
//! offset of broken documents) and the check that the VS Code grammar lists
//! exactly the block kinds of the schema table.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(20);

/// A client connected to a running `drsc lsp`.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages read while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
    /// The server's `initialize` result.
    init: Value,
}

impl Client {
    /// Starts the server and initializes it with `options` as initializationOptions.
    fn start(options: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_drsc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start drsc lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut c = Client {
            child,
            stdin,
            incoming,
            backlog: Vec::new(),
            next_id: 1,
            init: Value::Null,
        };
        let root = uri(Path::new(env!("CARGO_MANIFEST_DIR")));
        let init = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "trace": "verbose",
                "initializationOptions": options,
                "capabilities": {
                    "textDocument": {
                        "completion": {"completionItem": {"snippetSupport": false}},
                        "definition": {"linkSupport": false}
                    }
                }
            }),
        );
        let caps = &init["capabilities"];
        assert_eq!(caps["textDocumentSync"]["change"], 1, "full sync: {init}");
        assert_eq!(caps["hoverProvider"], true);
        assert_eq!(caps["documentFormattingProvider"], true);
        assert_eq!(init["serverInfo"]["name"], "drsc");
        c.init = init;
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response; returns `result` (panics on an error).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let resp = self.request_raw(method, params);
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].clone()
    }

    fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(&format!("the response to {method}"), |m| {
            m["id"] == id && m.get("method").is_none()
        })
    }

    /// The next message (in order, the backlog first) matching `pred`.
    fn wait(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(m) => self.backlog.push(m),
                Err(e) => panic!(
                    "no {what} within {TIMEOUT:?} ({e}); got {:#?}",
                    self.backlog
                ),
            }
        }
    }

    /// The next publishDiagnostics for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let m = self.wait(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"].clone()
    }

    /// The server-side time of the last diagnostics run for `uri`, from `$/logTrace`.
    fn trace_ms(&mut self, uri: &str) -> f64 {
        let m = self.wait("a $/logTrace", |m| {
            m["method"] == "$/logTrace"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(uri))
        });
        let msg = m["params"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let ms = msg.rsplit(" in ").next().unwrap_or_default();
        ms.trim_end_matches(" ms").parse().expect("a time in ms")
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "drs", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&mut self, method: &str, uri: &str, (line, character): (usize, usize)) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    /// shutdown + exit; the process must end with status 0.
    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "drsc lsp exited with {status}");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "drsc lsp did not exit after `exit`"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of an absolute path (ASCII paths only; the server's own
/// conversion is unit-tested with escapes).
fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs")
}

fn spec() -> String {
    std::fs::read_to_string(spec_path()).expect("read the reference site")
}

/// The (line, UTF-16 character) of the first `needle` in `text`, plus `delta` characters.
fn pos(text: &str, needle: &str, delta: usize) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    let col: usize = text[line_start..at].chars().map(char::len_utf16).sum();
    (line, col + delta)
}

fn range(start: (usize, usize), end: (usize, usize)) -> Value {
    json!({
        "start": {"line": start.0, "character": start.1},
        "end": {"line": end.0, "character": end.1},
    })
}

fn codes(diags: &Value) -> Vec<String> {
    diags["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The reference site with two mistakes, in an unsaved buffer: an unknown
/// attribute after non-ASCII text on its line, and an attribute set twice.
fn broken_spec() -> String {
    spec()
        .replacen(
            "  rotation        = true\n",
            "  description = \"clé 🔑\" rotaton = true\n",
            1,
        )
        .replacen(
            "  zones          = 2\n",
            "  zones          = 2\n  zones = 3\n",
            1,
        )
}

#[test]
fn diagnostics_on_open_and_cleared_by_a_fix() {
    let mut c = Client::start(json!({}));
    let uri = uri(&spec_path());
    let broken = broken_spec();
    c.open(&uri, &broken);
    let d = c.diagnostics(&uri);
    assert_eq!(d["version"], 1);
    assert_eq!(codes(&d), ["DRS0031", "DRS0032"], "{d:#}");

    let unknown = &d["diagnostics"][0];
    // The line before `rotaton` holds `é` (2 bytes, 1 unit) and `🔑` (4 bytes, 2 units).
    let start = pos(&broken, "rotaton", 0);
    assert_eq!(start.1, 25, "UTF-16 column");
    assert_eq!(unknown["range"], range(start, pos(&broken, "rotaton", 7)));
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "drsc");
    let message = unknown["message"].as_str().unwrap();
    assert!(
        message.starts_with("unknown attribute `rotaton` in key \"data\""),
        "{message}"
    );
    assert!(
        message.contains("help: did you mean `rotation`?"),
        "{message}"
    );
    assert_eq!(unknown["data"]["name"], "unknown-attribute");
    assert!(unknown["data"]["explanation"]
        .as_str()
        .unwrap()
        .contains("## What it checks"));

    let duplicate = &d["diagnostics"][1];
    let again = pos(&broken, "zones = 3", 0);
    assert_eq!(duplicate["range"], range(again, (again.0, again.1 + 5)));
    let related = &duplicate["relatedInformation"][0];
    assert_eq!(related["message"], "first set here");
    assert_eq!(related["location"]["uri"], uri.as_str());
    let first = pos(&broken, "zones          = 2", 0);
    assert_eq!(
        related["location"]["range"],
        range(first, (first.0, first.1 + 5))
    );

    c.change(&uri, 2, &spec());
    let d = c.diagnostics(&uri);
    assert_eq!(d["version"], 2);
    assert_eq!(d["diagnostics"], json!([]), "the fixed site is clean");
    c.shutdown();
}

/// An import of an open, unsaved buffer reads the buffer; its problems show on
/// the `import` line, and fixing the buffer clears them in the importer.
#[test]
fn unsaved_imports_are_read_from_memory() {
    let mut c = Client::start(json!({}));
    let site_uri = uri(&spec_path());
    let base_uri = site_uri.replace("transactions.drs", "unsaved-baseline.drs");
    c.open(&base_uri, "defaults \"table\" {\n  pitr = maybe\n}\n");
    // Checked on its own, the baseline also lacks a site (DRS0100), as with `drsc check`.
    let d = c.diagnostics(&base_uri);
    assert!(codes(&d).contains(&"DRS0033".to_string()), "{d:#}");
    let site = format!("import \"./unsaved-baseline.drs\"\n{}", spec());
    c.open(&site_uri, &site);
    let d = c.diagnostics(&site_uri);
    assert_eq!(codes(&d), ["DRS0033"], "{d:#}");
    let diag = &d["diagnostics"][0];
    assert_eq!(diag["range"], range((0, 7), (0, 31)));
    let message = diag["message"].as_str().unwrap();
    assert!(
        message.starts_with("in `specs/unsaved-baseline.drs`: "),
        "{message}"
    );
    let related = &diag["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], base_uri.as_str());
    assert_eq!(related["location"]["range"], range((1, 9), (1, 14)));

    c.change(&base_uri, 2, "defaults \"table\" {\n  pitr = true\n}\n");
    // Both documents are checked again: the baseline and the site importing it.
    let d = c.diagnostics(&site_uri);
    assert_eq!(d["diagnostics"], json!([]));
    let d = c.diagnostics(&base_uri);
    assert!(!codes(&d).contains(&"DRS0033".to_string()), "{d:#}");
    c.shutdown();
}

#[test]
fn syntax_errors_in_an_untitled_buffer() {
    let mut c = Client::start(json!({}));
    let uri = "untitled:Untitled-1";
    c.open(uri, "key \"k\" {\n  rotation true\n}\n");
    let d = c.diagnostics(uri);
    assert!(codes(&d).contains(&"DRS0004".to_string()), "{d:#}");
    c.shutdown();
}

/// A stray `;` in `monitoring` is one syntax error; the bucket's replication
/// findings elsewhere are still reported, and completion still works inside the
/// broken block (the same tree as the diagnostics).
#[test]
fn a_syntax_error_does_not_hide_findings_elsewhere() {
    let mut c = Client::start(json!({}));
    let uri = "untitled:Untitled-2";
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad/DRS0004_stray_semicolon_keeps_other_findings.drs"),
    )
    .expect("fixture");
    c.open(uri, &text);
    let d = c.diagnostics(uri);
    let mut got = codes(&d);
    got.sort();
    assert_eq!(got, ["DRS0004", "DRS0400"], "{d:#}");
    let at = pos(&text, "alert_email", 0);
    let broken = text.replacen("alert_email", "lag_th", 1);
    c.change(uri, 2, &broken);
    let r = c.at("textDocument/completion", uri, (at.0, at.1 + 6));
    let labels: Vec<&str> = r
        .as_array()
        .or_else(|| r["items"].as_array())
        .expect("completion items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"lag_threshold"), "{labels:?}");
    c.shutdown();
}

#[test]
fn hover_definition_symbols_and_completion() {
    let mut c = Client::start(json!({"stdlibDocuments": true}));
    let uri = uri(&spec_path());
    let text = spec();
    c.open(&uri, &text);
    assert_eq!(c.diagnostics(&uri)["diagnostics"], json!([]));

    // Hover: an attribute's schema doc, and a reference's declaration.
    let h = c.at("textDocument/hover", &uri, pos(&text, "rpo ", 1));
    let md = h["contents"]["value"].as_str().unwrap();
    assert_eq!(h["contents"]["kind"], "markdown");
    assert!(md.contains("Recovery point objective"), "{md}");
    assert_eq!(
        h["range"],
        range(pos(&text, "rpo ", 0), pos(&text, "rpo ", 3))
    );
    let h = c.at(
        "textDocument/hover",
        &uri,
        pos(&text, "key            = data", 18),
    );
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("key \"data\" {"), "{md}");
    assert!(
        md.contains("deletion_window = 30d  # default, std/defaults"),
        "{md}"
    );
    // Nothing under a comment.
    let h = c.at("textDocument/hover", &uri, pos(&text, "# per region", 3));
    assert_eq!(h, Value::Null);

    // Definition: a reference in this file, then a profile in the stdlib.
    let d = c.at(
        "textDocument/definition",
        &uri,
        pos(&text, "key            = data", 18),
    );
    assert_eq!(d["uri"], uri.as_str());
    assert_eq!(
        d["range"],
        range(pos(&text, "\"data\"", 0), pos(&text, "\"data\"", 6))
    );
    let d = c.at("textDocument/definition", &uri, pos(&text, "= finserv", 3));
    assert_eq!(d["uri"], "drs-std:/std/finserv.drs");
    let src = c.request(
        "drsc/stdlibSource",
        json!({"uri": "drs-std:/std/finserv.drs"}),
    );
    assert!(src.as_str().unwrap().contains("profile \"finserv\""));

    // Outline.
    let s = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "std/finserv",
            "transactions",
            "data",
            "core",
            "ledger",
            "transaction_meta",
            "documents",
            "ingest",
            "dr",
            "api",
            "failover",
            "monitoring",
            "drill"
        ]
    );

    // Completion: regions after `primary =` (typed in an unsaved buffer), units after a number.
    let typing = text.replacen("  primary     = us-east-1\n", "  primary     = eu-w\n", 1);
    c.change(&uri, 2, &typing);
    let items = c.at("textDocument/completion", &uri, pos(&typing, "eu-w", 4));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"eu-west-1") && labels.contains(&"us-east-1"),
        "{labels:?}"
    );
    let west = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "eu-west-1")
        .unwrap();
    assert_eq!(west["detail"], "Europe (Ireland)");
    assert_eq!(
        west["textEdit"]["range"],
        range(pos(&typing, "eu-w", 0), pos(&typing, "eu-w", 4))
    );
    let items = c.at(
        "textDocument/completion",
        &uri,
        pos(&typing, "timeout              = 30s", 26),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["s", "m", "h", "d", "w", "y"]);
    c.shutdown();
}

#[test]
fn formatting_returns_the_canonical_text() {
    let mut c = Client::start(json!({}));
    let uri = uri(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/unsaved.drs"));
    c.open(
        &uri,
        "key \"k\" {\nrotation=true # é 🦀\n    description=\"x\"\n}\n",
    );
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        edits,
        json!([{
            "range": range((0, 0), (4, 0)),
            "newText": "key \"k\" {\n  rotation    = true # é 🦀\n  description = \"x\"\n}\n",
        }])
    );
    // Canonical text needs no edits.
    c.change(&uri, 2, edits[0]["newText"].as_str().unwrap());
    let again = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(again, Value::Null);
    // Text with a syntax error is not formatted (what did not parse would be lost).
    c.change(&uri, 3, "key \"k\" {\nrotation true\n}\n");
    let broken = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(broken, Value::Null);
    c.shutdown();
}

#[test]
fn unknown_documents_and_methods_are_answered_not_fatal() {
    let mut c = Client::start(json!({}));
    let h = c.at("textDocument/hover", "file:///nowhere/x.drs", (0, 0));
    assert_eq!(h, Value::Null);
    let r = c.request_raw("drsc/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    let r = c.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(r["error"]["code"], -32602);
    c.shutdown();
}

/// Server-side diagnostics latency, from `$/logTrace` (printed, not asserted:
/// run with `--nocapture` to see it).
#[test]
fn diagnostics_latency_is_reported() {
    let mut c = Client::start(json!({}));
    let uri = uri(&spec_path());
    let text = spec();
    c.open(&uri, &text);
    c.diagnostics(&uri);
    c.trace_ms(&uri);
    let mut times = Vec::new();
    for v in 2..22 {
        let edited = text.replacen("rpo         = 1h", &format!("rpo         = {v}m"), 1);
        c.change(&uri, v, &edited);
        c.diagnostics(&uri);
        times.push(c.trace_ms(&uri));
    }
    times.sort_by(f64::total_cmp);
    eprintln!(
        "diagnostics after a change, specs/transactions.drs: median {:.2} ms, max {:.2} ms (debug build: {})",
        times[times.len() / 2],
        times[times.len() - 1],
        cfg!(debug_assertions)
    );

    let big = big_site(10_000);
    let big_uri = uri.replace("transactions.drs", "big.drs");
    let start = Instant::now();
    c.open(&big_uri, &big);
    let d = c.diagnostics(&big_uri);
    let first = start.elapsed();
    assert_eq!(d["diagnostics"], json!([]), "the generated site is clean");
    let server = c.trace_ms(&big_uri);
    // Still responsive: a change in the middle, then hover and completion answer.
    let edited = big.replacen("retain = 35d", "retain = 36d", 1);
    let start = Instant::now();
    c.change(&big_uri, 2, &edited);
    let h = c.at("textDocument/hover", &big_uri, pos(&edited, "rpo ", 1));
    let hover = start.elapsed();
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Recovery point objective"));
    let start = Instant::now();
    let items = c.at(
        "textDocument/completion",
        &big_uri,
        pos(&edited, "bucket \"b9\" {\n", 0),
    );
    let completion = start.elapsed();
    assert!(!items.as_array().unwrap().is_empty());
    c.diagnostics(&big_uri);
    eprintln!(
        "10,000-line file ({} lines): first diagnostics {:.1} ms round trip ({server:.1} ms server-side); change + hover {:.1} ms; completion {:.1} ms",
        big.lines().count(),
        first.as_secs_f64() * 1e3,
        hover.as_secs_f64() * 1e3,
        completion.as_secs_f64() * 1e3,
    );
    c.shutdown();
}

/// A clean site of about `lines` lines: the reference site's head and many stores.
fn big_site(lines: usize) -> String {
    let mut s = String::from(
        "site \"big\" {\n  environment = production\n  suffix      = \"big01\"\n  primary     = us-east-1\n  secondary   = us-west-2\n  rpo         = 1h\n  rto         = 4h\n}\n\nkey \"data\" {\n  rotation = true\n}\n",
    );
    let mut i = 0;
    while s.lines().count() < lines {
        s.push_str(&format!(
            "\n## Store {i}: é🦀\nbucket \"b{i}\" {{\n  key         = data\n  versioning  = true\n  replication = rtc\n}}\n\ntable \"t{i}\" {{\n  partition_key = \"id\"\n  pitr          = true\n  key           = data\n}}\n\nbackup \"p{i}\" {{\n  covers = [b{i}, t{i}]\n\n  rule \"hourly\" {{\n    every  = 1h\n    retain = 35d\n  }}\n}}\n",
        ));
        i += 1;
    }
    s
}

// ---------------------------------------------------------------------------
// Library level
// ---------------------------------------------------------------------------

/// Every feature at every character offset of broken documents: no panic.
#[test]
fn features_never_panic_on_broken_text() {
    use drsc::lsp::analysis::{Analysis, Buffer};
    use drsc::lsp::{completion, definition, formatting, hover, symbols};
    let spec = spec();
    let texts = [
        "key \"k\" {\n  rotation = \n",
        "site \"s\" { primary = [us-east-1, \n  rpo = 1h }} }\n",
        "import \"std/fins\nbucket \"🦀\" { key = é }\n",
        "allow DRS9999 \"\"\nfunction \"f\" { reads = [a, b,, ] memory = 12XB }\n",
        "\"\" = {\n[\n",
        &spec[..spec.len() / 2],
    ];
    for text in texts {
        let buf = Buffer {
            name: "site.drs".into(),
            path: None,
            text: text.to_string(),
        };
        let a = Analysis::new(&buf, [], Path::new("/nonexistent-project"));
        let _ = symbols::symbols(&a);
        let _ = formatting::format(&a);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let _ = hover::hover(&a, offset);
            let _ = definition::definition(&a, offset);
            let _ = completion::complete(&a, offset);
        }
    }
}

/// The TextMate grammar's block-kind keywords are exactly the schema's block
/// kinds, in schema order. `DRSC_BLESS=1 cargo test --test lsp grammar` rewrites the list.
#[test]
fn grammar_block_kinds_match_the_schema() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode/syntaxes/drs.tmLanguage.json");
    let text = std::fs::read_to_string(&path).expect("read the grammar");
    let kinds: Vec<&str> = drsc::schema::BLOCKS.iter().map(|b| b.kind).collect();
    // A kind is a keyword where a block starts, before an optional label and `{`
    // (`key = data` is an attribute, `key "data" {` a block); group 2 is the label.
    let want = format!(r#"^\s*({})\b(?:\s*("[^"]*"))?(?=\s*\{{)"#, kinds.join("|"));
    let grammar: Value = serde_json::from_str(&text).expect("the grammar is JSON");
    let have = grammar["repository"]["block-kind"]["match"]
        .as_str()
        .expect("repository.block-kind.match");
    if std::env::var_os("DRSC_BLESS").is_some() && have != want {
        let old = serde_json::to_string(have).unwrap();
        assert!(text.contains(&old), "cannot find {old} in the grammar");
        let new = serde_json::to_string(&want).unwrap();
        std::fs::write(&path, text.replace(&old, &new)).expect("write the grammar");
        return;
    }
    assert_eq!(
        have, want,
        "the grammar's block kinds differ from src/schema.rs; run DRSC_BLESS=1 cargo test --test lsp grammar"
    );
}

/// Issue 15: the site's Mermaid diagram (`drsc graph --format mermaid`) in the
/// hover of `site`, and as the `drsc.showDiagram` command.
#[test]
fn the_site_diagram_in_the_hover_and_as_a_command() {
    let mut c = Client::start(json!({}));
    assert_eq!(
        c.init["capabilities"]["executeCommandProvider"]["commands"],
        json!(["drsc.showDiagram"])
    );
    let uri = uri(&spec_path());
    let text = spec();
    c.open(&uri, &text);
    assert_eq!(c.diagnostics(&uri)["diagnostics"], json!([]));

    let expected = Command::new(env!("CARGO_BIN_EXE_drsc"))
        .args(["graph", "specs/transactions.drs", "--format", "mermaid"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("drsc graph");
    assert!(expected.status.success());
    let expected = String::from_utf8(expected.stdout).expect("utf-8");
    assert!(expected.contains("flowchart LR"), "{expected}");

    // Hover on the `site` keyword and on its name: the diagram as a mermaid block.
    for (needle, delta) in [("site \"", 1), ("site \"", 7)] {
        let h = c.at("textDocument/hover", &uri, pos(&text, needle, delta));
        let md = h["contents"]["value"].as_str().unwrap_or_default();
        assert!(md.contains("**Site diagram**"), "{md}");
        let fenced = format!("```mermaid\n{}\n```", expected.trim_end());
        assert!(md.contains(&fenced), "{md}");
    }
    // Not on other blocks.
    let h = c.at("textDocument/hover", &uri, pos(&text, "key \"data\"", 1));
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(!md.contains("```mermaid"), "{md}");

    // The command, with the URI as a string or as `{ "uri": ... }`.
    for arg in [json!(uri), json!({ "uri": uri })] {
        let r = c.request(
            "workspace/executeCommand",
            json!({"command": "drsc.showDiagram", "arguments": [arg]}),
        );
        assert_eq!(r["format"], "mermaid");
        assert_eq!(r["diagram"], expected.as_str());
        assert!(r["markdown"].as_str().is_some_and(
            |m| m.starts_with("```mermaid\nflowchart") || m.starts_with("```mermaid\n---")
        ));
    }
    // An unknown document: no diagram; an unknown command or a missing URI: an error.
    let r = c.request(
        "workspace/executeCommand",
        json!({"command": "drsc.showDiagram", "arguments": ["file:///nowhere/x.drs"]}),
    );
    assert_eq!(r, Value::Null);
    let r = c.request_raw(
        "workspace/executeCommand",
        json!({"command": "drsc.noSuchCommand", "arguments": []}),
    );
    assert_eq!(r["error"]["code"], -32602);
    let r = c.request_raw(
        "workspace/executeCommand",
        json!({"command": "drsc.showDiagram", "arguments": []}),
    );
    assert_eq!(r["error"]["code"], -32602);
    c.shutdown();
}
