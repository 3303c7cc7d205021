//! `--format github`: GitHub Actions workflow commands, one line per
//! finding, which the runner turns into annotations on the pull request:
//!
//! ```text
//! ::error file=main.tf,line=7,col=17,endLine=7,endColumn=31,title=constraint-invalid::message%0Ahelp: remedy
//! ```
//!
//! Everything from the scanned tree (file names, messages quoting values)
//! is escaped the way the runner unescapes it, so no input can end the line
//! or the properties early and start a command of its own.

use super::{location, message_with_help};
use crate::engine::Report;
use crate::finding::Severity;

/// What the command's own escaping takes care of.
const BREAKS: &[char] = &['\r', '\n'];

/// Renders one workflow command per finding.
pub fn render(report: &Report) -> String {
    let sources = &report.workspace.sources;
    let mut out = String::new();
    for f in &report.findings {
        let loc = location(f, sources);
        // Control characters are escaped for the log; line breaks stay:
        // the command's own escaping writes them as `%0A` and `%0D`, so
        // that the runner gives them back.
        out.push_str(&command(
            f.severity,
            &crate::text::visible_except(&sources.get(f.span.file).display, BREAKS),
            loc,
            f.rule,
            &crate::text::visible_except(&message_with_help(f), BREAKS),
        ));
        out.push('\n');
    }
    out
}

/// One workflow command, without the line break.
///
/// The runner drops `col` and `endColumn` when `line` and `endLine` differ
/// (annotations only carry columns within one line), so they are only
/// written for a finding on a single line.
pub fn command(
    severity: Severity,
    file: &str,
    loc: super::Location,
    title: &str,
    message: &str,
) -> String {
    let name = match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = vec![
        ("file", escape_property(file)),
        ("line", loc.line.to_string()),
    ];
    if loc.line == loc.end_line {
        props.push(("col", loc.column.to_string()));
    }
    props.push(("endLine", loc.end_line.to_string()));
    if loc.line == loc.end_line {
        props.push(("endColumn", loc.end_column.to_string()));
    }
    props.push(("title", escape_property(title)));
    let props: Vec<String> = props.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("::{name} {}::{}", props.join(","), escape_data(message))
}

/// The message part: `%`, carriage return and line feed, as the runner
/// unescapes them (`%` first, so an input `%0A` stays literal).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as the message, and also `:` and `,`, which would end
/// the properties or the value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Location;

    #[test]
    fn data_and_properties_are_escaped() {
        assert_eq!(escape_data("50% a\r\nb::c,d"), "50%25 a%0D%0Ab::c,d");
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(
            escape_property("x,line=1::y.tf\n%"),
            "x%2Cline=1%3A%3Ay.tf%0A%25"
        );
    }

    #[test]
    fn columns_only_on_a_single_line() {
        let one = Location {
            line: 3,
            column: 5,
            end_line: 3,
            end_column: 9,
        };
        assert_eq!(
            command(Severity::Warning, "a.tf", one, "r", "m"),
            "::warning file=a.tf,line=3,col=5,endLine=3,endColumn=9,title=r::m"
        );
        let two = Location { end_line: 4, ..one };
        assert_eq!(
            command(Severity::Note, "a.tf", two, "r", "m"),
            "::notice file=a.tf,line=3,endLine=4,title=r::m"
        );
    }
}
