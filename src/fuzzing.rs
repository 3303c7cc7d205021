//! Entry points for the fuzz targets in `fuzz/` and for
//! `tests/fuzz_regressions.rs`, which replays the kept corpus through the
//! same code, so CI never needs the fuzzer.
//!
//! Each function takes arbitrary bytes and must return normally: a panic,
//! an endless loop or unbounded memory is a bug in tfpin. The functions
//! also check a few properties that must hold for any input (for example,
//! that every output format can be rendered and that JSON output parses).

use std::path::{Path, PathBuf};

use crate::config::{RuleSettings, Settings};
use crate::constraint::{self, Kind};
use crate::output;
use crate::source::FileId;

/// Splits `data` into the main file and an optional lock file at the first
/// line that is exactly `#lock`, so one input can drive both readers.
fn split_lock(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    const MARK: &[u8] = b"\n#lock\n";
    match data.windows(MARK.len()).position(|w| w == MARK) {
        Some(i) => (&data[..i + 1], Some(&data[i + MARK.len()..])),
        None => (data, None),
    }
}

/// Settings that enable every rule and give each optional input a value,
/// so that every rule has the chance to run.
fn all_rules() -> Settings {
    let mut s = Settings {
        allowed_regions: vec!["eu-*".into(), "us-east-1".into()],
        terraform_version: Some(semver::Version::new(1, 9, 0)),
        lock_platforms: vec!["linux_amd64".into()],
        ..Settings::default()
    };
    for rule in crate::rules::REGISTRY {
        s.rules.insert(
            rule.meta().id.to_string(),
            RuleSettings {
                enabled: Some(true),
                ..RuleSettings::default()
            },
        );
    }
    s
}

/// The whole pipeline on one file: writes `data` as `main.tf` in `dir`
/// (everything after a `#lock` line goes to `.terraform.lock.hcl`), checks
/// the tree with every rule enabled, and renders the report in every
/// format. `dir` must be an empty scratch directory the caller owns; it is
/// reused across calls.
pub fn pipeline(dir: &Path, data: &[u8]) {
    let (main, lock) = split_lock(data);
    let lock_path = dir.join(".terraform.lock.hcl");
    std::fs::write(dir.join("main.tf"), main).expect("scratch directory is writable");
    match lock {
        Some(l) => std::fs::write(&lock_path, l).expect("scratch directory is writable"),
        None => {
            let _ = std::fs::remove_file(&lock_path);
        }
    }
    let settings = all_rules();
    let report = crate::engine::check(dir, &[PathBuf::from(".")], &settings)
        .expect("a readable directory is never a usage error");
    for f in &report.findings {
        let loc = output::location(f, &report.workspace.sources);
        assert!(loc.line >= 1 && loc.column >= 1, "{loc:?}");
    }
    let json = output::json::render(&report);
    serde_json::from_str::<serde_json::Value>(&json).expect("json output parses");
    // SARIF is built with serde_json; parsing it back costs more than the
    // rest of the pipeline and finds nothing the JSON check does not.
    let _ = output::sarif::render(&report);
    let _ = output::github::render(&report);
    let _ = output::junit::render(&report);
    let _ = output::checkstyle::render(&report);
    let _ = output::compact::render(&report);
    let _ = output::text::render(
        &report,
        output::text::Style {
            color: true,
            ascii: false,
            width: Some(100),
        },
        Default::default(),
    );
    let _ = output::text::render(
        &report,
        output::text::Style {
            color: false,
            ascii: true,
            width: Some(40),
        },
        Default::default(),
    );

    let readings = crate::engine::load_readings(dir, &[PathBuf::from(".")], &settings)
        .expect("a readable directory is never a usage error");
    let view = output::providers::build(&readings);
    let _ = output::providers::render_text(&view);
    let pj = output::providers::render_json(&view);
    serde_json::from_str::<serde_json::Value>(&pj).expect("providers json parses");

    let view = output::regions::build(&readings);
    let rj = output::regions::render_json(&view);
    serde_json::from_str::<serde_json::Value>(&rj).expect("regions json parses");
    for shown in [
        output::regions::render_text(&view, 40),
        output::regions::render_text(&view, 100),
        output::regions::render_dot(&view),
    ] {
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "a raw control character in:\n{shown}"
        );
    }
}

/// JSON syntax through both engines' readings: writes `data` as
/// `main.tf.json` in `dir`, beside a `versions.tf` whose `.tofu` twin asks
/// for other versions, so that the tree is written for both engines and
/// each reading's findings are merged; then checks with every rule and
/// renders every format. `dir` must be a scratch directory the caller
/// owns; it is reused across calls.
pub fn readings(dir: &Path, data: &[u8]) {
    let versions = |v: &str| {
        format!("terraform {{\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \"{v}\"\n    }}\n  }}\n}}\n")
    };
    let files = [
        ("main.tf.json", data.to_vec()),
        ("versions.tf", versions("~> 5.0").into_bytes()),
        ("versions.tofu", versions("~> 6.0").into_bytes()),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("scratch directory is writable");
    }
    let settings = all_rules();
    let report = crate::engine::check(dir, &[PathBuf::from(".")], &settings)
        .expect("a readable directory is never a usage error");
    // The twins make the tree OpenTofu's at least; what the JSON holds may
    // make it OpenTofu's alone.
    let engines: Vec<_> = report.roots.iter().map(|r| r.engines).collect();
    assert!(
        matches!(engines.as_slice(), [e] if e.opentofu),
        "{engines:?}"
    );
    for f in &report.findings {
        let loc = output::location(f, &report.workspace.sources);
        assert!(loc.line >= 1 && loc.column >= 1, "{loc:?}");
    }
    let json = output::json::render(&report);
    serde_json::from_str::<serde_json::Value>(&json).expect("json output parses");
    let _ = output::text::render(&report, output::text::Style::PLAIN, Default::default());
    let _ = output::sarif::render(&report);
    let readings = crate::engine::load_readings(dir, &[PathBuf::from(".")], &settings)
        .expect("a readable directory is never a usage error");
    let view = output::providers::build(&readings);
    let pj = output::providers::render_json(&view);
    serde_json::from_str::<serde_json::Value>(&pj).expect("providers json parses");
}

/// One constraint parser on `data`: the input is split at the first line
/// break into two constraint strings; each is parsed, and the parsed ones
/// are combined and queried every way the rules do.
pub fn constraint(kind: Kind, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\n').unwrap_or((&text, ""));
    let parsed: Vec<_> = [a, b]
        .iter()
        .filter_map(|s| constraint::parse(kind, s).ok())
        .collect();
    let versions: Vec<semver::Version> = ["0.0.1", "1.0.0", "1.2.3-beta", "5.31.0", "99.0.0"]
        .iter()
        .chain(b.split_whitespace().collect::<Vec<_>>().iter())
        .filter_map(|v| constraint::parse_version(kind, v).ok())
        .collect();
    for c in &parsed {
        exercise(c, &versions);
        // A normalized constraint reads back as the same set of versions.
        let n = c.normalized();
        if !n.is_empty() {
            if let Ok(again) = constraint::parse(kind, &n) {
                for v in &versions {
                    assert_eq!(c.matches(v), again.matches(v), "{n:?} on {v}");
                }
            }
        }
    }
    if let [x, y] = parsed.as_slice() {
        let both = x.intersect(y);
        exercise(&both, &versions);
        // Outside prereleases, combining is intersecting. (A prerelease that
        // one side names exactly is allowed by the combination, as in
        // Terraform, although the other side alone excludes it.)
        for v in versions.iter().filter(|v| v.pre.is_empty()) {
            assert_eq!(both.matches(v), x.matches(v) && y.matches(v), "{v}");
        }
    }
    let _ = constraint::report::report(kind, a, &[b.to_string()]);
}

fn exercise(c: &constraint::Constraints, versions: &[semver::Version]) {
    let _ = c.is_satisfiable();
    let _ = c.is_bounded();
    let _ = c.lower();
    let _ = c.upper();
    let _ = c.normalized();
    let _ = c.select(versions);
    for v in versions {
        let _ = c.matches(v);
    }
}

/// The lock-file reader on `data`, as it would read `.terraform.lock.hcl`.
pub fn lockfile(data: &[u8]) {
    let Ok(text) = crate::parse::decode(data) else {
        return;
    };
    let Ok(parsed) = crate::parse::parse_body(&text) else {
        return;
    };
    let lock = crate::lockfile::read(FileId(0), &parsed.body);
    for (span, message) in &lock.problems {
        assert!(span.range.start <= span.range.end && span.range.end <= text.len());
        assert!(!message.is_empty());
    }
    for p in &lock.providers {
        if let Some(addr) = &p.addr {
            let _ = lock.provider(addr);
            let _ = lock.entry_in(addr, crate::fileset::Engine::Terraform);
            let _ = lock.entry_in(addr, crate::fileset::Engine::OpenTofu);
        }
    }
}

/// The configuration reader on `data`, as it would read `.tfpin.hcl`.
pub fn config(data: &[u8]) {
    let Ok(text) = crate::parse::decode(data) else {
        return;
    };
    match crate::config::parse_str(&text, ".tfpin.hcl") {
        Ok(settings) => {
            let _ = settings.exclude_set();
            let _ = settings.platforms();
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                assert!(!e.message.is_empty());
                let _ = e.to_string();
            }
        }
    }
}

/// The language server's message handling: `data` is what a client writes
/// to the server's standard input, after an `initialize` and the opening
/// of `main.tf` in `dir` (a scratch directory the caller owns, reused
/// across calls), so that hover, code actions and edits meet a real
/// document: `file:///DOC` in a message body stands for its URI. Whatever the bytes, no handler may panic (the server would
/// contain it, so a contained panic is a failure here too), and every
/// message the server sends is JSON-RPC 2.0.
pub fn lsp(dir: &Path, data: &[u8]) {
    use crate::lsp::{transport, Server};
    let main = dir.join("main.tf");
    std::fs::write(dir.join(".tfpin.hcl"), "root = true\n").expect("scratch directory is writable");
    let text = "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 5.0\"\n    }\n  }\n}\n\nprovider \"aws\" {\n  alias  = \"west\"\n  region = \"eu-west-2\"\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  provider = aws.west\n}\n";
    std::fs::write(&main, text).expect("scratch directory is writable");
    let uri = crate::lsp::convert::uri_of(&main).expect("an absolute path");
    let mut server = Server::new();
    server.handle(serde_json::json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}));
    server.handle(serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri.as_str(), "languageId": "terraform", "version": 1, "text": text}}}));
    server.check_pending();
    let mut input = std::io::BufReader::new(data);
    // A bound on the frames of one input, so each run stays short.
    for _ in 0..64 {
        let frame = transport::read(&mut input).expect("reading from memory cannot fail");
        if frame == transport::Frame::End {
            break;
        }
        // `file:///DOC` in a message stands for the open document.
        let frame = match frame {
            transport::Frame::Message(body) => transport::Frame::Message(
                String::from_utf8_lossy(&body)
                    .replace("file:///DOC", uri.as_str())
                    .into_bytes(),
            ),
            other => other,
        };
        server.receive(frame);
        if server.exit.is_some() {
            break;
        }
        server.check_pending();
    }
    for m in &server.outbox {
        assert_eq!(m["jsonrpc"], "2.0", "{m}");
        assert!(m.get("id").is_some() || m.get("method").is_some(), "{m}");
        assert_ne!(m["error"]["code"], crate::lsp::code::INTERNAL_ERROR, "{m}");
        if m["method"] == "textDocument/publishDiagnostics" {
            for d in m["params"]["diagnostics"].as_array().expect("a list") {
                assert_ne!(d["code"], "internal-error", "{d}");
            }
        }
    }
}
