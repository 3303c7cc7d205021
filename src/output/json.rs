//! `--format json`: the stable, versioned machine contract.

use super::location;
use crate::engine::Report;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: crate::finding::Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    module: &'a str,
    help: Option<&'a str>,
    fingerprint: &'a str,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
}

/// Renders the report as one JSON document followed by a newline.
pub fn render(report: &Report) -> String {
    super::render_json(report, write)
}

/// Writes the report as one JSON document followed by a newline, as it is
/// serialised: a large report is never held in memory whole. Findings are
/// serialised in parallel a chunk at a time and written in order, so at
/// most one chunk's bytes are held at once.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    const CHUNK: usize = 512;
    let sources = &report.workspace.sources;
    let tool = Tool {
        name: "tfpin",
        version: env!("CARGO_PKG_VERSION"),
    };
    out.write_all(b"{\"tool\":")?;
    serde_json::to_writer(&mut *out, &tool)?;
    out.write_all(b",\"findings\":[")?;
    for (i, chunk) in report.findings.chunks(CHUNK).enumerate() {
        let parts = chunk
            .par_iter()
            .map(|f| serde_json::to_vec(&json_finding(f, sources)))
            .collect::<Result<Vec<Vec<u8>>, _>>()?;
        for (j, part) in parts.iter().enumerate() {
            if i + j > 0 {
                out.write_all(b",")?;
            }
            out.write_all(part)?;
        }
    }
    out.write_all(b"],\"summary\":")?;
    serde_json::to_writer(&mut *out, &report.summary())?;
    out.write_all(b"}\n")
}

fn json_finding<'a>(
    f: &'a crate::finding::Finding,
    sources: &'a crate::source::SourceMap,
) -> JsonFinding<'a> {
    let loc = location(f, sources);
    JsonFinding {
        rule: f.rule,
        severity: f.severity,
        message: &f.message,
        file: &sources.get(f.span.file).display,
        line: loc.line,
        column: loc.column,
        end_line: loc.end_line,
        end_column: loc.end_column,
        module: &f.module,
        help: f.help.as_deref(),
        fingerprint: &f.fingerprint,
        labels: f
            .labels
            .iter()
            .map(|l| {
                let file = sources.get(l.span.file);
                let lc = file.line_col(l.span.range.start);
                JsonLabel {
                    message: &l.message,
                    file: &file.display,
                    line: lc.line,
                    column: lc.column,
                }
            })
            .collect(),
    }
}
