//! `tfpin lsp`: the protocol, driven in process through `Server`, and once
//! through the binary's standard input and output.

mod common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use tfpin::lsp::{convert, transport, Server};

const MAIN: &str = r#"terraform {
  backend "s3" {}
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "west"
  region = "eu-west-2"
}

resource "aws_s3_bucket" "logs" {
  provider = aws.west
  bucket   = "logs"
}
"#;

fn tree() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    // A project of its own, whatever is above the temporary directory.
    common::write(
        d.path(),
        &[("prod/main.tf", MAIN), (".tfpin.hcl", "root = true\n")],
    );
    d
}

fn uri(path: &Path) -> String {
    convert::uri_of(path).unwrap().as_str().to_string()
}

fn request(id: i64, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

fn note(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

/// A server past `initialize`.
fn started() -> Server {
    let mut s = Server::new();
    s.handle(request(1, "initialize", json!({"capabilities": {}})));
    s.handle(note("initialized", json!({})));
    s.outbox.clear();
    s
}

/// Sends one message and checks what is pending; returns what the server
/// sent.
fn send(s: &mut Server, msg: Value) -> Vec<Value> {
    s.handle(msg);
    s.check_pending();
    std::mem::take(&mut s.outbox)
}

/// The diagnostics published for `uri`, last first.
fn published<'a>(out: &'a [Value], uri: &str) -> Option<&'a Vec<Value>> {
    out.iter()
        .rev()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .map(|m| m["params"]["diagnostics"].as_array().unwrap())
        .next()
}

fn codes(diags: &[Value]) -> Vec<&str> {
    let mut c: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    c.sort_unstable();
    c
}

fn result(out: &[Value], id: i64) -> &Value {
    let m = out
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no reply to {id}: {out:?}"));
    assert!(m.get("error").is_none(), "{m}");
    &m["result"]
}

fn open(s: &mut Server, path: &Path, text: &str) -> Vec<Value> {
    send(
        s,
        note(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "terraform", "version": 1, "text": text}}),
        ),
    )
}

fn change(s: &mut Server, path: &Path, version: i64, text: &str) -> Vec<Value> {
    send(
        s,
        note(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(path), "version": version}, "contentChanges": [{"text": text}]}),
        ),
    )
}

#[test]
fn initialize_says_what_the_server_offers() {
    let mut s = Server::new();
    let out = send(
        &mut s,
        request(1, "initialize", json!({"capabilities": {}})),
    );
    let caps = &result(&out, 1)["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 1);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["codeActionProvider"]["codeActionKinds"][0], "quickfix");
}

#[test]
fn diagnostics_come_from_the_unsaved_text() {
    let d = tree();
    let main = d.path().join("prod/main.tf");
    let mut s = started();
    let out = open(&mut s, &main, MAIN);
    let diags = published(&out, &uri(&main)).expect("diagnostics for the opened file");
    assert!(
        codes(diags).contains(&"provider-version-unbounded"),
        "{diags:?}"
    );
    let unbounded = diags
        .iter()
        .find(|d| d["code"] == "provider-version-unbounded")
        .unwrap();
    assert_eq!(unbounded["source"], "tfpin");
    assert_eq!(unbounded["severity"], 2);
    // Labels are related information.
    assert!(unbounded["relatedInformation"][0]["message"]
        .as_str()
        .unwrap()
        .contains("requires"));
    // An unsaved edit bounds the constraint: the finding goes, though the
    // file on disk still has it.
    let bounded = MAIN.replace(">= 5.0", "~> 5.0");
    let out = change(&mut s, &main, 2, &bounded);
    let diags = published(&out, &uri(&main)).expect("new diagnostics after the edit");
    assert!(
        !codes(diags).contains(&"provider-version-unbounded"),
        "{diags:?}"
    );
    assert_eq!(std::fs::read_to_string(&main).unwrap(), MAIN);
    // An edit that breaks the syntax is a parse error at its place.
    let broken = bounded.replace("bucket   = \"logs\"", "bucket   = ");
    let out = change(&mut s, &main, 3, &broken);
    let diags = published(&out, &uri(&main)).unwrap();
    let parse = diags
        .iter()
        .find(|d| d["code"] == "parse-error")
        .expect("parse error");
    // Line 22, counted from 0.
    assert_eq!(parse["range"]["start"]["line"], 21);
    // Nothing changes, nothing is published again.
    let out = change(&mut s, &main, 4, &broken);
    assert!(published(&out, &uri(&main)).is_none(), "{out:?}");
}

#[test]
fn code_actions_fix_and_ignore() {
    let d = tree();
    let main = d.path().join("prod/main.tf");
    let mut s = started();
    let out = open(&mut s, &main, MAIN);
    let diags = published(&out, &uri(&main)).unwrap().clone();
    let unbounded = diags
        .iter()
        .find(|d| d["code"] == "provider-version-unbounded")
        .unwrap();
    let out = send(
        &mut s,
        request(
            7,
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri(&main)}, "range": unbounded["range"], "context": {"diagnostics": [unbounded]}}),
        ),
    );
    let actions = result(&out, 7).as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Ignore provider-version-unbounded here"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Ignore provider-version-unbounded in this file"),
        "{titles:?}"
    );
    // Applying "ignore here" and checking again silences the finding.
    let here = actions
        .iter()
        .find(|a| a["title"] == "Ignore provider-version-unbounded here")
        .unwrap();
    let edited = apply(MAIN, &here["edit"]["changes"][uri(&main)]);
    assert!(
        edited.contains("    # tfpin-ignore: provider-version-unbounded\n    aws = {"),
        "{edited}"
    );
    let out = change(&mut s, &main, 2, &edited);
    let diags = published(&out, &uri(&main)).unwrap();
    assert!(
        !codes(diags).contains(&"provider-version-unbounded"),
        "{diags:?}"
    );
    assert!(!codes(diags).contains(&"ignore-unused"), "{diags:?}");
}

#[test]
fn a_fix_is_the_same_edit_as_check_fix() {
    // A provider block's `version` is moved into required_providers.
    let d = tree();
    let main = d.path().join("prod/main.tf");
    let text = MAIN.replace(
        "  region = \"eu-west-1\"\n",
        "  region  = \"eu-west-1\"\n  version = \"~> 5.1\"\n",
    );
    std::fs::write(&main, &text).unwrap();
    let mut s = started();
    let out = open(&mut s, &main, &text);
    let diags = published(&out, &uri(&main)).unwrap().clone();
    let d0 = diags
        .iter()
        .find(|d| d["code"] == "provider-block-version")
        .expect("provider-block-version");
    let out = send(
        &mut s,
        request(
            8,
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri(&main)}, "range": d0["range"], "context": {"diagnostics": [d0]}}),
        ),
    );
    let fix = (result(&out, 8).as_array().unwrap().iter())
        .find(|a| a["title"].as_str().unwrap().starts_with("Fix: "))
        .expect("a fix");
    assert_eq!(fix["isPreferred"], true);
    let fixed = apply(&text, &fix["edit"]["changes"][uri(&main)]);
    // `tfpin check --fix` writes the same text.
    let r = common::run(
        d.path(),
        &[
            "check",
            "--fix",
            "--select",
            "provider-block-version",
            "prod",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&main).unwrap(), fixed);
}

/// Applies LSP text edits (non-overlapping) to a text.
fn apply(text: &str, edits: &Value) -> String {
    let mut edits: Vec<(usize, usize, String)> = (edits.as_array().unwrap().iter())
        .map(|e| {
            let pos = |p: &Value| {
                convert::offset(
                    text,
                    lsp_types::Position::new(
                        p["line"].as_u64().unwrap() as u32,
                        p["character"].as_u64().unwrap() as u32,
                    ),
                )
            };
            (
                pos(&e["range"]["start"]),
                pos(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (a, b, t) in edits {
        out.replace_range(a..b, &t);
    }
    out
}

fn position_of(text: &str, needle: &str, plus: usize) -> Value {
    let at = text.find(needle).unwrap() + plus;
    serde_json::to_value(convert::position(text, at)).unwrap()
}

#[test]
fn hover_explains_a_constraint_and_a_provider_reference() {
    let d = tree();
    let main = d.path().join("prod/main.tf");
    let mut s = started();
    open(&mut s, &main, MAIN);
    let out = send(
        &mut s,
        request(
            3,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&main)}, "position": position_of(MAIN, ">= 5.0", 2)}),
        ),
    );
    let text = result(&out, 3)["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("**provider `aws`** `>= 5.0`"), "{text}");
    assert!(text.contains("bounded: no"), "{text}");
    assert!(
        text.contains("In root `prod`: `>= 5.0.0` (unbounded), not locked"),
        "{text}"
    );
    let out = send(
        &mut s,
        request(
            4,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&main)}, "position": position_of(MAIN, "aws.west", 5)}),
        ),
    );
    let text = result(&out, 4)["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("`aws.west` resolves to the `provider \"aws\"` block at `prod/main.tf:15`"),
        "{text}"
    );
    assert!(
        text.contains("region `eu-west-2`, written at `prod/main.tf:17`"),
        "{text}"
    );
    // Nothing to say elsewhere.
    let out = send(
        &mut s,
        request(
            5,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&main)}, "position": {"line": 0, "character": 0}}),
        ),
    );
    assert_eq!(result(&out, 5), &Value::Null);
}

#[test]
fn definition_goes_to_the_provider_block() {
    let d = tempfile::tempdir().unwrap();
    common::write(
        d.path(),
        &[
            (".tfpin.hcl", "root = true\n"),
            ("prod/main.tf", "provider \"aws\" {\n  alias  = \"dublin\"\n  region = \"eu-west-1\"\n}\n\nmodule \"cdn\" {\n  source    = \"../cdn\"\n  providers = { aws.edge = aws.dublin }\n}\n"),
            ("cdn/main.tf", "terraform {\n  required_providers {\n    aws = {\n      source                = \"hashicorp/aws\"\n      configuration_aliases = [aws.edge]\n    }\n  }\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  provider = aws.edge\n}\n"),
        ],
    );
    let mut s = started();
    let cdn = d.path().join("cdn/main.tf");
    let cdn_text = std::fs::read_to_string(&cdn).unwrap();
    open(&mut s, &cdn, &cdn_text);
    // Through the caller's providers map, to the caller's block.
    let out = send(
        &mut s,
        request(
            9,
            "textDocument/definition",
            json!({"textDocument": {"uri": uri(&cdn)}, "position": position_of(&cdn_text, "aws.edge\n", 4)}),
        ),
    );
    let loc = result(&out, 9);
    assert_eq!(loc["uri"], uri(&d.path().join("prod/main.tf")));
    assert_eq!(loc["range"]["start"]["line"], 0);
    // From the map entry itself.
    let prod = d.path().join("prod/main.tf");
    let prod_text = std::fs::read_to_string(&prod).unwrap();
    open(&mut s, &prod, &prod_text);
    let out = send(
        &mut s,
        request(
            10,
            "textDocument/definition",
            json!({"textDocument": {"uri": uri(&prod)}, "position": position_of(&prod_text, "aws.dublin }", 5)}),
        ),
    );
    assert_eq!(result(&out, 10)["range"]["start"]["line"], 0);
}

#[test]
fn the_protocol_is_kept_whatever_is_sent() {
    let mut s = Server::new();
    // Before initialize.
    let out = send(&mut s, request(1, "textDocument/hover", json!({})));
    assert_eq!(out[0]["error"]["code"], -32002);
    s.handle(request(2, "initialize", json!({"capabilities": {}})));
    s.outbox.clear();
    // Not JSON, not an object, no method, unknown method, bad params.
    s.receive(transport::Frame::Message(
        b"{\"jsonrpc\": \"2.0\", \"id\": 3".to_vec(),
    ));
    s.receive(transport::Frame::Malformed(
        "no Content-Length header".into(),
    ));
    for m in [
        json!([1, 2]),
        json!({"id": 4}),
        request(5, "workspace/symbol", json!({})),
        request(6, "textDocument/hover", json!({"oops": true})),
    ] {
        s.handle(m);
    }
    let codes: Vec<i64> = s
        .outbox
        .iter()
        .map(|m| m["error"]["code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [-32700, -32700, -32600, -32600, -32601, -32602]);
    s.outbox.clear();
    // A document never opened, and one not on disk.
    let out = send(
        &mut s,
        request(
            7,
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///nowhere/main.tf"}, "position": {"line": 0, "character": 0}}),
        ),
    );
    assert_eq!(result(&out, 7), &Value::Null);
    let out = send(
        &mut s,
        note(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": "file:///nowhere/x/main.tf", "languageId": "terraform", "version": 1, "text": "x"}}),
        ),
    );
    assert!(out.iter().all(|m| m.get("error").is_none()), "{out:?}");
    // Unknown notifications are ignored.
    assert!(send(&mut s, note("$/somethingNew", json!({}))).is_empty());
    // Shutdown, then only exit.
    let out = send(&mut s, request(8, "shutdown", Value::Null));
    assert_eq!(result(&out, 8), &Value::Null);
    let out = send(&mut s, request(9, "textDocument/hover", json!({})));
    assert_eq!(out[0]["error"]["code"], -32600);
    s.handle(note("exit", Value::Null));
    assert_eq!(s.exit, Some(0));
}

#[test]
fn binary_and_huge_documents_are_survived() {
    let d = tree();
    let mut s = started();
    let bin = d.path().join("prod/x.tf");
    let mut text = String::from("\u{0}\u{1b}[2J");
    text.push_str(&"x".repeat(3_000_000));
    std::fs::write(&bin, "").unwrap();
    let out = open(&mut s, &bin, &text);
    let diags = published(&out, &uri(&bin)).expect("diagnostics");
    assert_eq!(codes(diags), ["parse-error"]);
    // The file is deleted under the server; the next change still works.
    std::fs::remove_file(&bin).unwrap();
    let out = change(&mut s, &bin, 2, "locals {}\n");
    assert!(out.iter().all(|m| m.get("error").is_none()), "{out:?}");
}

/// Reads framed messages until one satisfies `done`.
fn read_until(r: &mut impl BufRead, done: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        match transport::read(r).unwrap() {
            transport::Frame::Message(b) => {
                let v: Value = serde_json::from_slice(&b).unwrap();
                let stop = done(&v);
                seen.push(v);
                if stop {
                    return seen;
                }
            }
            other => panic!("unexpected {other:?} after {seen:?}"),
        }
    }
}

#[test]
fn the_binary_speaks_the_protocol_on_stdio() {
    let d = tree();
    let main = d.path().join("prod/main.tf");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tfpin"))
        .arg("lsp")
        .current_dir(d.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let send =
        |stdin: &mut std::process::ChildStdin, v: Value| transport::write(stdin, &v).unwrap();
    send(
        &mut stdin,
        request(1, "initialize", json!({"capabilities": {}})),
    );
    read_until(&mut stdout, |m| m["id"] == 1);
    // Garbage between messages: a parse error, and the server reads on.
    stdin.write_all(b"Content-Length: 3\r\n\r\n{x}").unwrap();
    send(
        &mut stdin,
        note(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(&main), "languageId": "terraform", "version": 1, "text": MAIN}}),
        ),
    );
    let seen = read_until(&mut stdout, |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri(&main)
    });
    assert!(
        seen.iter().any(|m| m["error"]["code"] == -32700),
        "{seen:?}"
    );
    send(&mut stdin, request(2, "shutdown", Value::Null));
    read_until(&mut stdout, |m| m["id"] == 2);
    send(&mut stdin, note("exit", Value::Null));
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
}

#[test]
fn a_truncated_stream_ends_the_server_without_a_crash() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tfpin"))
        .arg("lsp")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"Content-Length: 5\r\n\r\n{oops}Content-Length: 99\r\n\r\n{\"jsonrpc\"")
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    // No shutdown was asked for: exit code 1, as the protocol says; no
    // panic on standard error.
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let mut r = BufReader::new(&out.stdout[..]);
    let first = match transport::read(&mut r).unwrap() {
        transport::Frame::Message(b) => serde_json::from_slice::<Value>(&b).unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(first["error"]["code"], -32700);
}

#[test]
fn a_file_changed_on_disk_is_read_again() {
    // The server keeps what it read between checks; a file that changes
    // on disk, not open in the editor, must still be read afresh.
    let d = tree();
    let main = d.path().join("prod/main.tf");
    let other = d.path().join("prod/variables.tf");
    std::fs::write(&other, "variable \"x\" {}\n").unwrap();
    let mut s = started();
    let out = open(&mut s, &main, MAIN);
    assert!(!codes(published(&out, &uri(&main)).unwrap()).contains(&"parse-error"));
    std::fs::write(&other, "variable \"x\" {\n  default = \n}\n").unwrap();
    let out = change(&mut s, &main, 2, &format!("{MAIN}\n"));
    let diags = published(&out, &uri(&other)).expect("the other file's diagnostics");
    assert_eq!(codes(diags), ["parse-error"]);
    // And back.
    std::fs::write(&other, "variable \"x\" {}\n").unwrap();
    let out = change(&mut s, &main, 3, MAIN);
    assert_eq!(
        published(&out, &uri(&other)).map(Vec::len),
        Some(0),
        "{out:?}"
    );
}

#[test]
fn closing_a_document_withdraws_its_diagnostics() {
    let d = tree();
    let main = d.path().join("prod/main.tf");
    let mut s = started();
    let out = open(&mut s, &main, MAIN);
    assert!(!published(&out, &uri(&main)).unwrap().is_empty());
    // Closed under a path written another way (`prod/../prod`), as some
    // clients do: it is the same document.
    let other = d.path().join("prod/../prod/main.tf");
    let out = send(
        &mut s,
        note(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri(&other)}}),
        ),
    );
    assert_eq!(
        published(&out, &uri(&main)).map(Vec::len),
        Some(0),
        "{out:?}"
    );
    // Saving a closed document checks nothing.
    let out = send(
        &mut s,
        note(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri(&main)}}),
        ),
    );
    assert!(published(&out, &uri(&main)).is_none(), "{out:?}");
}
