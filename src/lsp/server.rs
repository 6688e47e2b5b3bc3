//! The language server loop: documents in memory, one checked analysis per
//! document, requests answered by the feature functions of this module's
//! siblings. Byte offsets become positions in `position` only.
//!
//! Checking is lazy: a change marks the document dirty, and diagnostics are
//! published once no message is waiting, so a burst of keystrokes is checked
//! once. A request on a dirty document checks it first. A panic while
//! checking or answering becomes an error response (or a log message), never
//! the end of the server.

use super::analysis::{Analysis, Buffer};
use super::{
    completion, definition, diagnostics, diagram, formatting, hover, position, symbols, uri,
};
use lsp_server::{Connection, ErrorCode, Message, Notification, ProtocolError, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The custom request the VS Code extension sends for the text of a
/// `drs-std:` document: params `{ "uri": "drs-std:/std/regions.drs" }`, result the text.
pub const STDLIB_SOURCE: &str = "drsc/stdlibSource";

/// Runs the server on `conn` until the client shuts it down. `Ok(true)` after
/// a clean `shutdown` + `exit`, `Ok(false)` after `exit` without `shutdown`
/// or a closed connection.
pub fn serve(conn: &Connection) -> Result<bool, String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let params: lsp::InitializeParams = match serde_json::from_value(params) {
        Ok(p) => p,
        Err(e) => {
            let message = format!("bad initialize params: {e}");
            let resp = Response::new_err(id, ErrorCode::InvalidParams as i32, message.clone());
            let _ = conn.sender.send(resp.into());
            return Err(message);
        }
    };
    let mut server = Server::new(conn, &params);
    let result = lsp::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(lsp::ServerInfo {
            name: "drsc".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    conn.initialize_finish(id, serde_json::to_value(result).unwrap_or_default())
        .map_err(|e| e.to_string())?;
    server.run().map_err(|e| e.to_string())
}

/// What the server offers.
pub fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "[".into()]),
            ..Default::default()
        }),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![diagram::SHOW_DIAGRAM.to_string()],
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// What the client told us at `initialize`.
#[derive(Debug, Clone, Default)]
struct ClientOptions {
    snippets: bool,
    definition_links: bool,
    /// The client opens `drs-std:` documents through [`STDLIB_SOURCE`]
    /// (initialization option `stdlibDocuments`).
    stdlib_documents: bool,
    diagnostics: diagnostics::Options,
}

enum State {
    Dirty,
    Ready(Box<Analysis>),
    /// Checking panicked; retried after the next change.
    Failed(String),
}

struct Document {
    version: Option<i32>,
    buffer: Buffer,
    project_dir: PathBuf,
    state: State,
}

struct Server<'c> {
    conn: &'c Connection,
    docs: BTreeMap<lsp::Uri, Document>,
    root_dir: Option<PathBuf>,
    client: ClientOptions,
    trace: bool,
}

type Handled = Result<Value, (ErrorCode, String)>;

impl<'c> Server<'c> {
    fn new(conn: &'c Connection, p: &lsp::InitializeParams) -> Server<'c> {
        let caps = &p.capabilities;
        let td = caps.text_document.as_ref();
        let opts = p.initialization_options.as_ref();
        #[allow(deprecated)]
        let root_uri = p
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first().map(|f| f.uri.clone()))
            .or_else(|| p.root_uri.clone());
        Server {
            conn,
            docs: BTreeMap::new(),
            root_dir: root_uri.as_ref().and_then(uri::to_path),
            client: ClientOptions {
                snippets: td
                    .and_then(|t| t.completion.as_ref())
                    .and_then(|c| c.completion_item.as_ref())
                    .and_then(|c| c.snippet_support)
                    .unwrap_or(false),
                definition_links: td
                    .and_then(|t| t.definition.as_ref())
                    .and_then(|d| d.link_support)
                    .unwrap_or(false),
                stdlib_documents: opts
                    .and_then(|o| o.get("stdlibDocuments"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                diagnostics: diagnostics::Options {
                    explain_url: opts
                        .and_then(|o| o.get("explainUrl"))
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                },
            },
            trace: !matches!(p.trace, None | Some(lsp::TraceValue::Off)),
        }
    }

    fn run(&mut self) -> Result<bool, ProtocolError> {
        loop {
            let Ok(msg) = self.conn.receiver.recv() else {
                return Ok(false);
            };
            match msg {
                Message::Request(r) => {
                    if self.conn.handle_shutdown(&r)? {
                        return Ok(true);
                    }
                    let resp = self.request(r);
                    self.send(resp.into());
                }
                Message::Notification(n) if n.method == notif::Exit::METHOD => return Ok(false),
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
            if self.conn.receiver.is_empty() {
                self.publish_dirty();
            }
        }
    }

    fn send(&self, msg: Message) {
        // The writer thread only stops when the client is gone; the loop then
        // ends at the next `recv`.
        let _ = self.conn.sender.send(msg);
    }

    fn notify<N: notif::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params).into());
    }

    fn log(&self, typ: lsp::MessageType, message: String) {
        self.notify::<notif::LogMessage>(lsp::LogMessageParams { typ, message });
    }

    // ---- Requests ----------------------------------------------------------

    fn request(&mut self, r: Request) -> Response {
        let id = r.id.clone();
        let method = r.method.clone();
        let outcome = catch(|| self.dispatch(r));
        let result = match outcome {
            Ok(result) => result,
            Err(panic) => Err((
                ErrorCode::InternalError,
                format!("drsc panicked answering {method}: {panic}"),
            )),
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn dispatch(&mut self, r: Request) -> Handled {
        match r.method.as_str() {
            req::HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(r.params)?;
                let doc = p.text_document_position_params;
                self.with_analysis(&doc.text_document.uri, |_, a| {
                    let offset = position::offset(a.file(), doc.position);
                    hover::hover(a, offset).map(|h| lsp::Hover {
                        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                            kind: lsp::MarkupKind::Markdown,
                            value: h.markdown,
                        }),
                        range: Some(position::range(a.file(), h.span)),
                    })
                })
            }
            req::GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = params(r.params)?;
                let doc = p.text_document_position_params;
                let links = self.client.definition_links;
                self.with_analysis(&doc.text_document.uri, |s, a| {
                    let offset = position::offset(a.file(), doc.position);
                    let d = definition::definition(a, offset)?;
                    let loc = s.locator(&doc.text_document.uri, a);
                    let target_uri = loc.uri(&a.db, d.target.file)?;
                    let target_file = a.db.get(d.target.file);
                    let target_range = position::range(target_file, d.target);
                    Some(if links {
                        lsp::GotoDefinitionResponse::Link(vec![lsp::LocationLink {
                            origin_selection_range: Some(position::range(a.file(), d.origin)),
                            target_uri,
                            target_range,
                            target_selection_range: position::range(target_file, d.selection),
                        }])
                    } else {
                        lsp::GotoDefinitionResponse::Scalar(lsp::Location {
                            uri: target_uri,
                            range: position::range(target_file, d.selection),
                        })
                    })
                })
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = params(r.params)?;
                self.with_analysis(&p.text_document.uri, |_, a| {
                    let syms = symbols::symbols(a);
                    Some(lsp::DocumentSymbolResponse::Nested(
                        syms.into_iter().map(|s| document_symbol(a, s)).collect(),
                    ))
                })
            }
            req::Completion::METHOD => {
                let p: lsp::CompletionParams = params(r.params)?;
                let doc = p.text_document_position;
                let snippets = self.client.snippets;
                self.with_analysis(&doc.text_document.uri, |_, a| {
                    let offset = position::offset(a.file(), doc.position);
                    let items = completion::complete(a, offset);
                    Some(lsp::CompletionResponse::Array(
                        items
                            .into_iter()
                            .map(|c| completion_item(a, c, snippets))
                            .collect(),
                    ))
                })
            }
            req::Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = params(r.params)?;
                self.with_analysis(&p.text_document.uri, |_, a| {
                    let text = formatting::format(a)?;
                    Some(vec![lsp::TextEdit {
                        range: position::full_range(a.file()),
                        new_text: text,
                    }])
                })
            }
            req::ExecuteCommand::METHOD => {
                let p: lsp::ExecuteCommandParams = params(r.params)?;
                if p.command != diagram::SHOW_DIAGRAM {
                    return Err((
                        ErrorCode::InvalidParams,
                        format!("unknown command `{}`", p.command),
                    ));
                }
                let arg = p.arguments.first();
                let text = arg
                    .and_then(Value::as_str)
                    .or_else(|| arg.and_then(|a| a.get("uri")).and_then(Value::as_str));
                let Some(uri) = text.and_then(|t| t.parse::<lsp::Uri>().ok()) else {
                    return Err((
                        ErrorCode::InvalidParams,
                        format!(
                            "`{}` takes the document URI as its argument",
                            diagram::SHOW_DIAGRAM
                        ),
                    ));
                };
                self.with_analysis(&uri, |_, a| diagram::show(a))
            }
            STDLIB_SOURCE => {
                let p: lsp::TextDocumentIdentifier = params(r.params)?;
                match uri::to_stdlib(&p.uri).and_then(crate::stdlib::module) {
                    Some(text) => Ok(json!(text)),
                    None => Err((
                        ErrorCode::InvalidParams,
                        format!("`{}` is not a stdlib module", p.uri.as_str()),
                    )),
                }
            }
            #[cfg(test)]
            "drsc/testPanic" => panic!("a test panic"),
            m => Err((ErrorCode::MethodNotFound, format!("unhandled request {m}"))),
        }
    }

    /// Runs `f` on the document's analysis (checking it first if needed);
    /// `null` for documents the server does not know.
    fn with_analysis<T: serde::Serialize>(
        &mut self,
        uri: &lsp::Uri,
        f: impl FnOnce(&Self, &Analysis) -> Option<T>,
    ) -> Handled {
        self.ensure_checked(uri);
        match self.docs.get(uri).map(|d| &d.state) {
            Some(State::Ready(a)) => serde_json::to_value(f(self, a))
                .map_err(|e| (ErrorCode::InternalError, e.to_string())),
            Some(State::Failed(why)) => Err((ErrorCode::InternalError, why.clone())),
            Some(State::Dirty) | None => Ok(Value::Null),
        }
    }

    fn locator<'u>(&self, uri: &'u lsp::Uri, a: &Analysis) -> uri::Locator<'u> {
        uri::Locator {
            root: a.root,
            root_uri: uri,
            stdlib_documents: self.client.stdlib_documents,
        }
    }

    // ---- Notifications -----------------------------------------------------

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        if let Err(panic) = catch(|| self.dispatch_notification(n)) {
            self.log(
                lsp::MessageType::ERROR,
                format!("drsc panicked handling {method}: {panic}"),
            );
        }
    }

    fn dispatch_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let d = p.text_document;
                let (buffer, project_dir) = self.buffer(&d.uri, d.text);
                self.docs.insert(
                    d.uri.clone(),
                    Document {
                        version: Some(d.version),
                        buffer,
                        project_dir,
                        state: State::Dirty,
                    },
                );
                self.invalidate_importers(&d.uri);
            }
            notif::DidChangeTextDocument::METHOD => {
                let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let uri = p.text_document.uri;
                // Full sync: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return;
                };
                if let Some(doc) = self.docs.get_mut(&uri) {
                    doc.version = Some(p.text_document.version);
                    doc.buffer.text = change.text;
                    doc.state = State::Dirty;
                }
                self.invalidate_importers(&uri);
            }
            notif::DidCloseTextDocument::METHOD => {
                let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                let uri = p.text_document.uri;
                if self.docs.remove(&uri).is_some() {
                    self.publish(uri.clone(), Vec::new(), None);
                }
                self.invalidate_importers(&uri);
            }
            notif::DidSaveTextDocument::METHOD => {
                // Files on disk changed: anything that imports them may be affected.
                for doc in self.docs.values_mut() {
                    doc.state = State::Dirty;
                }
            }
            notif::SetTrace::METHOD => {
                if let Ok(p) = params::<lsp::SetTraceParams>(n.params) {
                    self.trace = p.value != lsp::TraceValue::Off;
                }
            }
            _ => {}
        }
    }

    /// The buffer for a document and the project directory its imports stay in.
    fn buffer(&self, uri: &lsp::Uri, text: String) -> (Buffer, PathBuf) {
        if let Some(module) = uri::to_stdlib(uri) {
            let dir = self.root_dir.clone().unwrap_or_default();
            let buffer = Buffer {
                name: module.into(),
                path: None,
                text,
            };
            return (buffer, dir);
        }
        match uri::to_path(uri) {
            Some(path) => {
                let path = crate::driver::absolute(&path);
                let name = self
                    .root_dir
                    .as_ref()
                    .and_then(|r| path.strip_prefix(r).ok())
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let buffer = Buffer {
                    name,
                    path: Some(path),
                    text,
                };
                (buffer, dir)
            }
            None => {
                let dir = self
                    .root_dir
                    .clone()
                    .or_else(|| std::env::current_dir().ok())
                    .unwrap_or_default();
                let buffer = Buffer {
                    name: uri.as_str().to_string(),
                    path: None,
                    text,
                };
                (buffer, dir)
            }
        }
    }

    /// Marks dirty every document whose last check read `uri`'s file.
    fn invalidate_importers(&mut self, uri: &lsp::Uri) {
        let Some(path) = uri::to_path(uri).map(|p| crate::driver::absolute(&p)) else {
            return;
        };
        for (u, doc) in self.docs.iter_mut() {
            if u == uri {
                continue;
            }
            if let State::Ready(a) = &doc.state {
                let reads = a
                    .outcome
                    .program
                    .files
                    .iter()
                    .any(|f| a.db.get(f.id).path.as_deref() == Some(path.as_path()));
                if reads {
                    doc.state = State::Dirty;
                }
            }
        }
    }

    // ---- Checking and publishing -------------------------------------------

    fn ensure_checked(&mut self, uri: &lsp::Uri) -> bool {
        let Some(doc) = self.docs.get(uri) else {
            return false;
        };
        if !matches!(doc.state, State::Dirty) {
            return false;
        }
        let open: Vec<&Buffer> = self
            .docs
            .iter()
            .filter(|(u, _)| *u != uri)
            .map(|(_, d)| &d.buffer)
            .collect();
        let result = catch(|| Analysis::new(&doc.buffer, open, &doc.project_dir));
        let state = match result {
            Ok(a) => State::Ready(Box::new(a)),
            Err(panic) => {
                let why = format!("drsc panicked checking {}: {panic}", doc.buffer.name);
                self.log(lsp::MessageType::ERROR, why.clone());
                State::Failed(why)
            }
        };
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.state = state;
        }
        true
    }

    fn publish_dirty(&mut self) {
        let dirty: Vec<lsp::Uri> = self
            .docs
            .iter()
            .filter(|(_, d)| matches!(d.state, State::Dirty))
            .map(|(u, _)| u.clone())
            .collect();
        for uri in dirty {
            let start = Instant::now();
            self.ensure_checked(&uri);
            let Some(doc) = self.docs.get(&uri) else {
                continue;
            };
            let diags = match &doc.state {
                State::Ready(a) => {
                    let loc = self.locator(&uri, a);
                    match catch(|| diagnostics::diagnostics(a, &loc, &self.client.diagnostics)) {
                        Ok(d) => d,
                        Err(panic) => {
                            self.log(lsp::MessageType::ERROR, format!("drsc panicked: {panic}"));
                            Vec::new()
                        }
                    }
                }
                _ => Vec::new(),
            };
            let version = doc.version;
            let elapsed = start.elapsed();
            if self.trace {
                self.notify::<notif::LogTrace>(lsp::LogTraceParams {
                    message: format!(
                        "diagnostics for {} in {:.3} ms",
                        uri.as_str(),
                        elapsed.as_secs_f64() * 1e3
                    ),
                    verbose: None,
                });
            }
            self.publish(uri, diags, version);
        }
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        self.notify::<notif::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }
}

fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(v).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

/// Runs `f`, turning a panic into its message.
fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written
fn document_symbol(a: &Analysis, s: symbols::Symbol) -> lsp::DocumentSymbol {
    let file = a.file();
    lsp::DocumentSymbol {
        name: s.name,
        detail: s.detail,
        kind: s.kind,
        tags: None,
        deprecated: None,
        range: position::range(file, s.span),
        selection_range: position::range(file, s.selection),
        children: Some(
            s.children
                .into_iter()
                .map(|c| document_symbol(a, c))
                .collect(),
        ),
    }
}

fn completion_item(a: &Analysis, c: completion::Completion, snippets: bool) -> lsp::CompletionItem {
    let (new_text, format) = match (c.snippet, snippets) {
        (Some(s), true) => (s, lsp::InsertTextFormat::SNIPPET),
        _ => (c.insert, lsp::InsertTextFormat::PLAIN_TEXT),
    };
    lsp::CompletionItem {
        label: c.label,
        kind: Some(c.kind),
        detail: c.detail,
        documentation: c.documentation.map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d,
            })
        }),
        sort_text: Some(c.sort),
        insert_text_format: Some(format),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: position::range(a.file(), c.replace),
            new_text,
        })),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_gets_an_error_response_and_the_server_goes_on() {
        let (server, client) = Connection::memory();
        let running = std::thread::spawn(move || serve(&server));
        let request = |id: i32, method: &str, params: Value| -> Response {
            client
                .sender
                .send(Request::new(id.into(), method.into(), params).into())
                .unwrap();
            loop {
                match client
                    .receiver
                    .recv_timeout(std::time::Duration::from_secs(10))
                {
                    Ok(Message::Response(r)) if r.id == id.into() => return r,
                    Ok(_) => continue,
                    Err(e) => panic!("no response to {method}: {e}"),
                }
            }
        };
        let init = request(1, "initialize", json!({"capabilities": {}}));
        assert!(init.error.is_none());
        let initialized = Notification::new("initialized".into(), json!({}));
        client.sender.send(initialized.into()).unwrap();

        let r = request(2, "drsc/testPanic", json!({}));
        let e = r.error.unwrap();
        assert_eq!(e.code, ErrorCode::InternalError as i32);
        assert!(e.message.contains("a test panic"), "{}", e.message);

        let hover = json!({"textDocument": {"uri": "file:///x.drs"}, "position": {"line": 0, "character": 0}});
        let r = request(3, "textDocument/hover", hover);
        assert_eq!(r.result, Some(Value::Null));
        let r = request(4, "shutdown", Value::Null);
        assert!(r.error.is_none());
        let exit = Notification::new("exit".into(), Value::Null);
        client.sender.send(exit.into()).unwrap();
        assert_eq!(running.join().unwrap(), Ok(true));
    }

    #[test]
    fn a_panic_becomes_its_message() {
        let r: Result<(), String> = catch(|| panic!("boom {}", 42));
        assert_eq!(r.unwrap_err(), "boom 42");
        assert_eq!(catch(|| 7), Ok(7));
    }
}
