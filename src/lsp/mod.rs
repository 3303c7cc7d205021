//! `tfpin lsp`: a Language Server Protocol server over standard input and
//! output.
//!
//! - Diagnostics for every open document, from its unsaved text, in the
//!   context of its project: the check is a partial run of the document's
//!   module (the module and the trees that contain it), the way a
//!   pre-commit run that names one file is, over the text of every open
//!   buffer.
//! - Code actions: the finding's fix (the same [`crate::fix`] edits that
//!   `tfpin check --fix` makes), "ignore here" and "ignore in this file".
//! - Hover on a version constraint and on a provider reference; go to the
//!   `provider` block a reference resolves to.
//!
//! The server keeps running whatever it is sent: malformed frames and
//! JSON, unknown methods and documents, and a panic while checking (the
//! panic becomes a diagnostic on the document).

pub mod convert;
mod features;
pub mod transport;

use lsp_types::{Diagnostic, Uri};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// JSON-RPC and LSP error codes.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
}

/// An open document.
#[derive(Debug, Clone)]
struct Doc {
    uri: Uri,
    text: String,
}

/// What a check found in one file, for code actions.
#[derive(Debug, Clone)]
struct Found {
    diagnostic: Diagnostic,
    actions: Vec<lsp_types::CodeAction>,
}

/// The server's state. [`Server::handle`] takes one message and queues
/// what to send; [`Server::check_pending`] checks the documents changed
/// since the last call. Neither reads nor writes anything else, so tests
/// drive the server without a process.
#[derive(Default)]
pub struct Server {
    initialized: bool,
    shutdown: bool,
    docs: HashMap<PathBuf, Doc>,
    /// Documents changed since they were last checked.
    pending: BTreeSet<PathBuf>,
    /// What each file was last given, by path.
    found: HashMap<PathBuf, Vec<Found>>,
    /// The files each document's last check published to.
    published_by: HashMap<PathBuf, BTreeSet<PathBuf>>,
    /// What earlier checks read: a file whose text is unchanged is not
    /// parsed again.
    reads: std::sync::Arc<crate::model::workspace::ReadCache>,
    /// Messages to send.
    pub outbox: Vec<Value>,
    /// Set by `exit`: the process's exit code.
    pub exit: Option<u8>,
}

fn response(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

/// What a panic said.
fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

impl Server {
    pub fn new() -> Server {
        Server::default()
    }

    /// Takes one frame read from the client.
    pub fn receive(&mut self, frame: transport::Frame) {
        match frame {
            transport::Frame::Message(body) => match serde_json::from_slice::<Value>(&body) {
                Ok(v) => self.handle(v),
                Err(e) => self.outbox.push(error(
                    Value::Null,
                    code::PARSE_ERROR,
                    format!("message is not JSON: {e}"),
                )),
            },
            transport::Frame::Malformed(why) => {
                self.outbox.push(error(Value::Null, code::PARSE_ERROR, why))
            }
            transport::Frame::End => {}
        }
    }

    /// Takes one JSON-RPC message: a request gets one response, a
    /// notification none; a batch or anything else is an invalid request.
    pub fn handle(&mut self, msg: Value) {
        let Some(obj) = msg.as_object() else {
            self.outbox.push(error(
                Value::Null,
                code::INVALID_REQUEST,
                "a message must be a JSON object (batches are not part of the protocol)",
            ));
            return;
        };
        let id = obj.get("id").cloned();
        let Some(method) = obj
            .get("method")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            // A response to a request of ours, or nonsense.
            if id.is_some() && (obj.contains_key("result") || obj.contains_key("error")) {
                return;
            }
            self.outbox.push(error(
                id.unwrap_or(Value::Null),
                code::INVALID_REQUEST,
                "a message needs a method",
            ));
            return;
        };
        let params = obj.get("params").cloned().unwrap_or(Value::Null);
        match id {
            Some(id) => {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.request(&method, params)
                }));
                let reply = match outcome {
                    Ok(Ok(result)) => response(id, result),
                    Ok(Err((code, message))) => error(id, code, message),
                    Err(p) => error(
                        id,
                        code::INTERNAL_ERROR,
                        format!("tfpin failed on {method}: {}", panic_message(&*p)),
                    ),
                };
                self.outbox.push(reply);
            }
            None => {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.notify(&method, params)
                }));
                if let Err(p) = outcome {
                    self.log(&format!("tfpin failed on {method}: {}", panic_message(&*p)));
                }
            }
        }
    }

    fn log(&mut self, message: &str) {
        self.outbox.push(notification(
            "window/logMessage",
            json!({"type": 1, "message": message}),
        ));
    }

    fn request(&mut self, method: &str, params: Value) -> Result<Value, (i64, String)> {
        if method == "initialize" {
            if self.initialized {
                return Err((code::INVALID_REQUEST, "initialize was already sent".into()));
            }
            self.initialized = true;
            return Ok(features::capabilities());
        }
        if !self.initialized {
            return Err((
                code::SERVER_NOT_INITIALIZED,
                format!("{method} before initialize"),
            ));
        }
        if self.shutdown {
            return Err((code::INVALID_REQUEST, format!("{method} after shutdown")));
        }
        let bad = |e: serde_json::Error| (code::INVALID_PARAMS, format!("{method}: {e}"));
        match method {
            "shutdown" => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "textDocument/codeAction" => {
                let p: lsp_types::CodeActionParams = serde_json::from_value(params).map_err(bad)?;
                Ok(self.code_actions(&p))
            }
            "textDocument/hover" => {
                let p: lsp_types::HoverParams = serde_json::from_value(params).map_err(bad)?;
                let at = &p.text_document_position_params;
                let Some((path, doc)) = self.doc(&at.text_document.uri) else {
                    return Ok(Value::Null);
                };
                let offset = convert::offset(&doc.text, at.position);
                Ok(features::hover(&path, offset, &self.overlay()).unwrap_or(Value::Null))
            }
            "textDocument/definition" => {
                let p: lsp_types::GotoDefinitionParams =
                    serde_json::from_value(params).map_err(bad)?;
                let at = &p.text_document_position_params;
                let Some((path, doc)) = self.doc(&at.text_document.uri) else {
                    return Ok(Value::Null);
                };
                let offset = convert::offset(&doc.text, at.position);
                Ok(features::definition(&path, offset, &self.overlay()).unwrap_or(Value::Null))
            }
            _ => Err((
                code::METHOD_NOT_FOUND,
                format!("tfpin lsp does not handle {method}"),
            )),
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        if method == "exit" {
            self.exit = Some(if self.shutdown { 0 } else { 1 });
            return;
        }
        if !self.initialized || self.shutdown {
            return;
        }
        match method {
            "textDocument/didOpen" => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                {
                    self.set_text(p.text_document.uri, p.text_document.text);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                {
                    // Full sync: the last change holds the whole text.
                    if let Some(c) = p.content_changes.into_iter().last() {
                        self.set_text(p.text_document.uri, c.text);
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params)
                {
                    if let Some(path) = convert::path_of(&p.text_document.uri) {
                        if let Some(text) = p.text {
                            self.set_text(p.text_document.uri, text);
                        } else if self.docs.contains_key(&path) {
                            self.pending.insert(path);
                        }
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                {
                    if let Some(path) = convert::path_of(&p.text_document.uri) {
                        self.docs.remove(&path);
                        self.pending.remove(&path);
                        // Its diagnostics go: the file on disk is what
                        // the next check of another document reads.
                        for file in self.published_by.remove(&path).unwrap_or_default() {
                            self.publish(&file, Vec::new());
                        }
                    }
                }
            }
            // `initialized`, `$/cancelRequest`, `workspace/...` and the rest
            // need nothing.
            _ => {}
        }
    }

    fn set_text(&mut self, uri: Uri, text: String) {
        if let Some(path) = convert::path_of(&uri) {
            self.docs.insert(path.clone(), Doc { uri, text });
            self.pending.insert(path);
        }
    }

    fn doc(&self, uri: &Uri) -> Option<(PathBuf, &Doc)> {
        let path = convert::path_of(uri)?;
        let doc = self.docs.get(&path)?;
        Some((path, doc))
    }

    /// The text of every open document, for the engine to read instead of
    /// the disk.
    fn overlay(&self) -> crate::fix::Overlay {
        let mut o = crate::fix::Overlay::with_reads(self.reads.clone());
        for (path, doc) in &self.docs {
            o.insert(path.clone(), doc.text.clone());
        }
        o
    }

    /// Whether documents wait to be checked.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Checks every document changed since the last call and publishes
    /// what changed. A panic while checking one becomes a diagnostic on it.
    pub fn check_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let overlay = self.overlay();
        for path in pending {
            if !self.docs.contains_key(&path) {
                continue;
            }
            let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                features::check(&path, &overlay)
            }));
            let by_file = match checked {
                Ok(Ok(by_file)) => by_file,
                Ok(Err(message)) => {
                    // Not part of a tree tfpin can read (a stray file, a
                    // path outside any module): nothing to show.
                    self.outbox.push(notification(
                        "window/logMessage",
                        json!({"type": 3, "message": format!("tfpin: {}: {message}", path.display())}),
                    ));
                    HashMap::from([(path.clone(), Vec::new())])
                }
                Err(p) => HashMap::from([(
                    path.clone(),
                    vec![features::internal_error(&panic_message(&*p))],
                )]),
            };
            let files: BTreeSet<PathBuf> = by_file.keys().cloned().collect();
            for gone in self
                .published_by
                .get(&path)
                .map(|old| old.difference(&files).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
            {
                self.publish(&gone, Vec::new());
            }
            for (file, found) in by_file {
                self.publish(&file, found);
            }
            self.published_by.insert(path, files);
        }
    }

    fn publish(&mut self, file: &PathBuf, found: Vec<Found>) {
        let same = self.found.get(file).is_some_and(|old| {
            old.len() == found.len()
                && old
                    .iter()
                    .zip(&found)
                    .all(|(a, b)| a.diagnostic == b.diagnostic)
        });
        let first = !self.found.contains_key(file);
        let diagnostics: Vec<&Diagnostic> = found.iter().map(|f| &f.diagnostic).collect();
        if !same || (first && self.docs.contains_key(file)) {
            let uri =
                (self.docs.get(file).map(|d| d.uri.clone())).or_else(|| convert::uri_of(file));
            if let Some(uri) = uri {
                self.outbox.push(notification(
                    "textDocument/publishDiagnostics",
                    json!({"uri": uri.as_str(), "diagnostics": diagnostics}),
                ));
            }
        }
        if found.is_empty() && !self.docs.contains_key(file) {
            self.found.remove(file);
        } else {
            self.found.insert(file.clone(), found);
        }
    }

    fn code_actions(&self, p: &lsp_types::CodeActionParams) -> Value {
        let Some(path) = convert::path_of(&p.text_document.uri) else {
            return json!([]);
        };
        let overlaps = |r: &lsp_types::Range| r.start <= p.range.end && p.range.start <= r.end;
        let actions: Vec<&lsp_types::CodeAction> = (self.found.get(&path).into_iter().flatten())
            .filter(|f| overlaps(&f.diagnostic.range))
            .flat_map(|f| &f.actions)
            .collect();
        serde_json::to_value(actions).unwrap_or_else(|_| json!([]))
    }
}

/// Runs the server on standard input and output until `exit` or the end
/// of input; the process's exit code.
pub fn serve(input: impl BufRead + Send + 'static, mut output: impl Write) -> u8 {
    let (tx, rx) = std::sync::mpsc::channel::<transport::Frame>();
    std::thread::spawn(move || {
        let mut input = input;
        loop {
            let frame = match transport::read(&mut input) {
                Ok(f) => f,
                Err(_) => transport::Frame::End,
            };
            let end = frame == transport::Frame::End;
            if tx.send(frame).is_err() || end {
                return;
            }
        }
    });
    let mut server = Server::new();
    loop {
        let Ok(first) = rx.recv() else {
            return if server.shutdown { 0 } else { 1 };
        };
        let mut ended = first == transport::Frame::End;
        server.receive(first);
        // Take everything that has arrived before checking, so a burst of
        // edits is checked once, on its last text.
        while let Ok(frame) = rx.try_recv() {
            ended |= frame == transport::Frame::End;
            server.receive(frame);
            if server.exit.is_some() {
                break;
            }
        }
        if server.exit.is_none() && !ended {
            server.check_pending();
        }
        for m in server.outbox.drain(..) {
            if transport::write(&mut output, &m).is_err() {
                return 1;
            }
        }
        if let Some(code) = server.exit {
            return code;
        }
        if ended {
            return if server.shutdown { 0 } else { 1 };
        }
    }
}
