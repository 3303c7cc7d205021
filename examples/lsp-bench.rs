//! How long `tfpin lsp` takes from an edit to its diagnostics, in a
//! generated tree: the time from `didChange` to the
//! `publishDiagnostics` that follows, for edits to a root module's file
//! and to a module many roots call. Not part of the test suite.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --modules 2000 /tmp/corpus-2000
//! cargo run --release --example lsp-bench -- /tmp/corpus-2000 [EDITS]
//! ```
//!
//! The server runs in process, so the time is the server's own work:
//! reading the document's module and the trees that contain it over the
//! open buffers, checking them, and building the diagnostics. The tree is
//! made a project of its own (a `.tfpin.hcl` with `root = true`).

use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tfpin::lsp::{convert, Server};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: lsp-bench DIR [EDITS]"));
    let edits: usize = args
        .next()
        .map_or(30, |n| n.parse().expect("EDITS is a number"));
    let dir = dir.canonicalize().expect("the corpus directory exists");
    std::fs::write(dir.join(".tfpin.hcl"), "root = true\n").expect("writable corpus");
    let modules = std::fs::read_dir(dir.join("stacks"))
        .expect("a corpus from gen-corpus")
        .count();
    let root = first(&dir, "stacks", "envs/prod/main.tf");
    // The first local module the root calls, which every environment of
    // its stack calls too.
    let root_text = std::fs::read_to_string(&root).unwrap();
    let called = root_text
        .lines()
        .find_map(|l| {
            l.trim().strip_prefix("source").map(|s| {
                s.trim()
                    .trim_start_matches('=')
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
        })
        .filter(|s| s.starts_with('.'))
        .expect("the root calls a local module");
    let module_dir = tfpin::model::workspace::normalize(&root.parent().unwrap().join(called));
    let module = std::fs::read_dir(&module_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "tf"))
        .unwrap();
    println!(
        "corpus {} ({modules} stacks), {edits} edits each",
        dir.display()
    );
    for file in [root, module] {
        let times = run(&file, edits);
        let ms: Vec<f64> = times.iter().map(|d| d * 1000.0).collect();
        let mut sorted = ms.clone();
        sorted.sort_by(f64::total_cmp);
        println!(
            "{:60} median {:6.1} ms  p90 {:6.1} ms  max {:6.1} ms",
            file.strip_prefix(&dir).unwrap().display(),
            sorted[sorted.len() / 2],
            sorted[sorted.len() * 9 / 10],
            sorted[sorted.len() - 1]
        );
    }
}

/// The first `<top>/*/<rest>` that exists, in name order.
fn first(dir: &Path, top: &str, rest: &str) -> PathBuf {
    let mut stacks: Vec<PathBuf> = std::fs::read_dir(dir.join(top))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    stacks.sort();
    stacks
        .into_iter()
        .map(|s| s.join(rest))
        .find(|p| p.is_file())
        .expect("a root module in the corpus")
}

/// Seconds from each `didChange` to its diagnostics being ready.
fn run(file: &Path, edits: usize) -> Vec<f64> {
    let uri = convert::uri_of(file).unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    let mut s = Server::new();
    s.handle(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    s.handle(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri.as_str(), "languageId": "terraform", "version": 1, "text": text}}}));
    s.check_pending();
    s.outbox.clear();
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        // An edit that changes a finding every other time: a variable
        // appears and goes.
        let edited = if i % 2 == 0 {
            format!("{text}\nvariable \"bench_{i}\" {{}}\n")
        } else {
            text.clone()
        };
        let start = Instant::now();
        s.handle(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri.as_str(), "version": i + 2}, "contentChanges": [{"text": edited}]}}));
        s.check_pending();
        times.push(start.elapsed().as_secs_f64());
        assert!(
            s.outbox.iter().all(|m| m.get("error").is_none()),
            "{:?}",
            s.outbox
        );
        s.outbox.clear();
    }
    times
}
