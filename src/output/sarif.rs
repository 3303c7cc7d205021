//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF
//! viewers. One run; the driver lists every registered rule (so `ruleIndex`
//! is stable across configurations) with its documentation, and each result
//! carries its location, its labels as related locations, and the finding's
//! fingerprint.

use super::{location, message_with_help, module_of};
use crate::engine::Report;
use crate::finding::{Finding, Severity};
use crate::rules::{self, RuleMeta};
use crate::source::{SourceMap, Span};
use serde::ser::SerializeSeq;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The schema's own identifier, as the specification asks `$schema` to be.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of the finding fingerprint in `partialFingerprints`; the suffix
/// changes if the fingerprint's recipe ever does.
pub const FINGERPRINT_KEY: &str = "tfpin/v2";

/// Renders the report as one pretty-printed SARIF log.
pub fn render(report: &Report) -> String {
    super::render_json(report, write)
}

/// Writes the report as one pretty-printed SARIF log followed by a
/// newline, as it is serialised: each result is built, written and dropped
/// in turn, so a large report is never held in memory whole.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let all: Vec<&'static RuleMeta> = rules::all().collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: json!({
                "driver": {
                    "name": "tfpin",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": all.iter().map(|m| rule(m)).collect::<Vec<_>>(),
                }
            }),
            // tfpin counts columns in characters, not UTF-16 code units.
            column_kind: "unicodeCodePoints",
            results: Results {
                findings: &report.findings,
                all: &all,
                sources: &report.workspace.sources,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

/// The log's top level, in the order the specification lists its members.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Value,
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
    results: Results<'a>,
}

/// The results array, serialised one finding at a time.
struct Results<'a> {
    findings: &'a [Finding],
    all: &'a [&'static RuleMeta],
    sources: &'a SourceMap,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.findings.len()))?;
        for f in self.findings {
            seq.serialize_element(&result(f, self.all, self.sources))?;
        }
        seq.end()
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn rule(m: &RuleMeta) -> Value {
    json!({
        "id": m.id,
        "shortDescription": { "text": m.summary },
        "fullDescription": { "text": m.description() },
        "help": { "text": m.doc, "markdown": m.doc },
        "defaultConfiguration": { "level": level(m.default_severity()) },
        "properties": {
            "category": m.category.as_str(),
            "tags": [m.category.as_str()],
        },
    })
}

fn result(f: &Finding, all: &[&'static RuleMeta], sources: &SourceMap) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.rule));
    if let Some(i) = all.iter().position(|m| m.id == f.rule) {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(f.severity)));
    r.insert("message".into(), json!({ "text": message_with_help(f) }));
    let loc = location(f, sources);
    r.insert(
        "locations".into(),
        json!([{
            "physicalLocation": physical(
                &sources.get(f.span.file).display,
                loc.line, loc.column, loc.end_line, loc.end_column,
            )
        }]),
    );
    if !f.labels.is_empty() {
        let related: Vec<Value> = f
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "physicalLocation": span_location(&l.span, sources),
                    "message": { "text": l.message },
                })
            })
            .collect();
        r.insert("relatedLocations".into(), Value::Array(related));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: f.fingerprint }),
    );
    if let Some(fix) = &f.fix {
        r.insert("fixes".into(), json!([sarif_fix(fix, sources)]));
    }
    r.insert("properties".into(), json!({ "module": module_of(f) }));
    Value::Object(r)
}

/// A fix as SARIF 2.1.0 writes one (§3.55): the changes to each file, in
/// file order, each a list of replacements; an insertion deletes an empty
/// region. Its safety is a property.
fn sarif_fix(fix: &crate::fix::Fix, sources: &SourceMap) -> Value {
    let mut changes: Vec<(crate::source::FileId, Vec<Value>)> = Vec::new();
    for e in &fix.edits {
        let file = sources.get(e.span.file);
        let (start, end) = (
            file.line_col(e.span.range.start),
            file.line_col(e.span.range.end),
        );
        let replacement = json!({
            "deletedRegion": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            },
            "insertedContent": { "text": e.content },
        });
        match changes.last_mut() {
            Some((id, list)) if *id == e.span.file => list.push(replacement),
            _ => changes.push((e.span.file, vec![replacement])),
        }
    }
    let changes: Vec<Value> = changes
        .into_iter()
        .map(|(id, replacements)| {
            json!({
                "artifactLocation": artifact(&sources.get(id).display),
                "replacements": replacements,
            })
        })
        .collect();
    json!({
        "description": { "text": fix.description },
        "artifactChanges": changes,
        "properties": { "safety": fix.safety.as_str() },
    })
}

fn span_location(span: &Span, sources: &SourceMap) -> Value {
    let file = sources.get(span.file);
    let start = file.line_col(span.range.start);
    let end = file.line_col(span.range.end.max(span.range.start));
    physical(
        &file.display,
        start.line,
        start.column,
        end.line,
        end.column,
    )
}

fn physical(display: &str, line: usize, col: usize, end_line: usize, end_col: usize) -> Value {
    json!({
        "artifactLocation": artifact(display),
        "region": {
            "startLine": line,
            "startColumn": col,
            "endLine": end_line,
            "endColumn": end_col,
        }
    })
}

/// A file shown relative to the project root becomes a relative URI
/// against `%SRCROOT%`, the repository's top for a code host; one outside
/// the project, shown absolute, becomes a `file:` URI.
fn artifact(display: &str) -> Value {
    let slashed = display.replace('\\', "/");
    let bytes = slashed.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if slashed.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_path(&slashed)) })
    } else if drive {
        let (drive, rest) = slashed.split_at(2);
        json!({ "uri": format!("file:///{drive}{}", encode_path(rest)) })
    } else {
        json!({ "uri": encode_path(&slashed), "uriBaseId": "%SRCROOT%" })
    }
}

/// Percent-encodes everything in a path but unreserved characters and `/`,
/// so that spaces, `%`, `#`, `?` and a `:` in the first segment (which would
/// read as a scheme) cannot change what the URI means.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        assert_eq!(
            artifact("envs/prod/main.tf"),
            json!({ "uri": "envs/prod/main.tf", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("a b/x:1#?%ü.tf"),
            json!({ "uri": "a%20b/x%3A1%23%3F%25%C3%BC.tf", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(artifact("/x/y.tf"), json!({ "uri": "file:///x/y.tf" }));
        assert_eq!(artifact("C:/x/y.tf"), json!({ "uri": "file:///C:/x/y.tf" }));
    }
}
