//! `--format checkstyle`: checkstyle XML, for reviewdog and the other tools
//! that read it. One `<file>` per file with findings, in path order; the
//! rule is the `source`, as `tfpin.<rule>`.

use super::{location, message_with_help, xml};
use crate::engine::Report;
use crate::finding::Severity;

/// Renders the report as one checkstyle XML document.
pub fn render(report: &Report) -> String {
    let sources = &report.workspace.sources;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<checkstyle version=\"4.3\">\n");
    let mut current: Option<&str> = None;
    for f in &report.findings {
        let file = sources.get(f.span.file).display.as_str();
        if current != Some(file) {
            if current.is_some() {
                out.push_str("  </file>\n");
            }
            out.push_str(&format!("  <file name=\"{}\">\n", xml::attr(file)));
            current = Some(file);
        }
        let loc = location(f, sources);
        // Checkstyle's own levels: error, warning, info.
        let severity = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "info",
        };
        out.push_str(&format!(
            "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"tfpin.{}\"/>\n",
            loc.line,
            loc.column,
            xml::attr(&message_with_help(f)),
            xml::attr(f.rule)
        ));
    }
    if current.is_some() {
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
