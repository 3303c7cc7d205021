//! `--format json`: the stable, versioned machine contract.

use super::location;
use crate::engine::Report;
use serde::Serialize;

/// The document's shape; [`render`] writes it field by field, in this
/// order, so that the findings can be serialised in parallel.
#[cfg(test)]
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
///
/// The document is compact JSON, so it is exactly the concatenation of its
/// parts: each finding is worked out and serialised on its own, in
/// parallel, and the parts are joined in order. A test checks the result
/// against serialising the whole [`Doc`] at once.
pub fn render(report: &Report) -> String {
    use rayon::prelude::*;
    let sources = &report.workspace.sources;
    let tool = Tool {
        name: "tfpin",
        version: env!("CARGO_PKG_VERSION"),
    };
    let parts: Result<Vec<Vec<u8>>, serde_json::Error> = report
        .findings
        .par_iter()
        .map(|f| serde_json::to_vec(&json_finding(f, sources)))
        .collect();
    let whole = parts.and_then(|parts| {
        let mut out: Vec<u8> =
            Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 256);
        out.extend_from_slice(b"{\"tool\":");
        serde_json::to_writer(&mut out, &tool)?;
        out.extend_from_slice(b",\"findings\":[");
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(p);
        }
        out.extend_from_slice(b"],\"summary\":");
        serde_json::to_writer(&mut out, &report.summary())?;
        out.push(b'}');
        Ok(out)
    });
    let mut s = match whole {
        // serde_json writes only UTF-8.
        Ok(bytes) => String::from_utf8(bytes).unwrap_or_default(),
        Err(e) => format!("{{\"error\":\"cannot serialise report: {e}\"}}"),
    };
    s.push('\n');
    s
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// The parallel, part-by-part render is byte for byte what serialising
    /// the whole document gives.
    #[test]
    fn parts_joined_equal_the_whole_document() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let report = crate::engine::check(
            &root,
            &[PathBuf::from(".")],
            &crate::config::Settings::default(),
        )
        .unwrap();
        assert!(report.findings.len() > 20, "{}", report.findings.len());
        assert!(report.findings.iter().any(|f| !f.labels.is_empty()));
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
        let whole = serde_json::to_string(&doc).unwrap() + "\n";
        assert_eq!(render(&report), whole);
    }
}
