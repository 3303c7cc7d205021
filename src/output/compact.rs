//! `--format compact`: one line per finding,
//! `file:line:col: severity: message [rule]`, for editors' problem matchers
//! and grep. Nothing else is written, so an empty output means no findings.

use super::location;
use crate::engine::Report;

/// Renders one line per finding, each ending in a newline.
pub fn render(report: &Report) -> String {
    let sources = &report.workspace.sources;
    let mut out = String::new();
    for f in &report.findings {
        let loc = location(f, sources);
        out.push_str(&format!(
            "{}:{}:{}: {}: {} [{}]\n",
            one_line(&report.workspace.shown(&sources.get(f.span.file).display)),
            loc.line,
            loc.column,
            f.severity,
            one_line(&f.message),
            f.rule
        ));
    }
    out
}

/// Line breaks become spaces, so that one finding is always one line, and
/// other control characters escapes, so that none reaches a terminal.
fn one_line(s: &str) -> String {
    let s = s.replace("\r\n", " ").replace(['\r', '\n'], " ");
    crate::text::visible(&s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn line_breaks_become_spaces() {
        assert_eq!(one_line("a\nb\r\nc\rd"), "a b c d");
        assert_eq!(
            one_line("\u{1b}]0;x\u{7}\u{202e}"),
            "\\u{1b}]0;x\\u{7}\\u{202e}"
        );
    }
}
