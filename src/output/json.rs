//! `--format json`: the stable, versioned machine contract.

use super::location;
use crate::engine::Report;
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    summary: crate::engine::Summary,
}

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
    let mut out = Vec::new();
    match write(report, &mut out) {
        // serde_json writes only UTF-8.
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\":\"cannot serialise report: {e}\"}}\n"),
    }
}

/// Writes the report as one JSON document followed by a newline, as it is
/// serialised: a large report is never held in memory whole.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let sources = &report.workspace.sources;
    let doc = Doc {
        tool: Tool {
            name: "tfpin",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report
            .findings
            .iter()
            .map(|f| json_finding(f, sources))
            .collect(),
        summary: report.summary(),
    };
    serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
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
