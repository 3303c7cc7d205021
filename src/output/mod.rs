//! Rendering a report. Every format writes one complete document to one
//! writer, so output is never interleaved.

pub mod checkstyle;
pub mod compact;
pub mod explain;
pub mod github;
pub mod json;
pub mod junit;
pub mod providers;
pub mod regions;
pub mod sarif;
pub mod text;
mod xml;

use crate::engine::Report;
use crate::finding::Finding;
use crate::source::SourceMap;

/// A streamed JSON format's whole document as a string, for callers that
/// want it in memory rather than written as it is serialised.
fn render_json(
    report: &Report,
    write: fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>,
) -> String {
    let mut out = Vec::new();
    match write(report, &mut out) {
        // serde_json writes only UTF-8.
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\":\"cannot serialise report: {e}\"}}\n"),
    }
}

/// A finding's primary location, 1-based; the end column is the column just
/// past the last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn location(f: &Finding, sources: &SourceMap) -> Location {
    let file = sources.get(f.span.file);
    let start = file.line_col(f.span.range.start);
    let end = file.line_col(f.span.range.end.max(f.span.range.start));
    Location {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// The message followed by the remedy on its own line, for formats that
/// have one text field for both.
pub fn message_with_help(f: &Finding) -> String {
    match &f.help {
        Some(h) => format!("{}\nhelp: {h}", f.message),
        None => f.message.clone(),
    }
}

/// The module a finding belongs to, as shown; `.` when the rule named none.
pub fn module_of(f: &Finding) -> &str {
    if f.module.is_empty() {
        "."
    } else {
        &f.module
    }
}

/// The summary line that ends text output.
/// `1 word` or `n words`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub fn summary_line(report: &Report) -> String {
    let s = report.summary();
    let scope = format!(
        "checked {} in {}",
        plural(s.files, "file"),
        plural(s.modules, "module")
    );
    let total = s.errors + s.warnings + s.notes;
    let mut hidden = Vec::new();
    if report.baselined > 0 {
        hidden.push(format!(
            "{} in the baseline",
            plural(report.baselined, "finding")
        ));
    }
    if report.below_min_severity > 0 {
        hidden.push(format!(
            "{} below --min-severity",
            plural(report.below_min_severity, "finding")
        ));
    }
    let scope = if hidden.is_empty() {
        scope
    } else {
        format!("{scope} ({} not shown)", hidden.join(", "))
    };
    if total == 0 {
        format!("{scope}: no findings")
    } else {
        format!(
            "{scope}: {} ({}, {}, {})",
            plural(total, "finding"),
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.notes, "note"),
        )
    }
}
