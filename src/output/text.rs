//! `--format text`: diagnostics the way rustc and clippy print them, with
//! source snippets, then a summary by rule.
//!
//! Everything taken from the tree (snippets, messages, labels, paths) is
//! made visible before it is printed: control characters, ESC and the
//! bidirectional overrides of Trojan Source are written out, never sent to
//! the terminal.

use crate::engine::Report;
use crate::finding::{Finding, Severity};
use crate::fix::Safety;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

/// How text output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// ASCII decorations and escapes only, for terminals that cannot show
    /// more (`TERM=dumb`, a locale that is not UTF-8, `--ascii`).
    pub ascii: bool,
    /// The terminal's width, when the output is a terminal: source lines
    /// are cut and help is wrapped to fit. `None` writes lines whole.
    pub width: Option<usize>,
}

impl Style {
    /// Plain output for a pipe or a file.
    pub const PLAIN: Style = Style {
        color: false,
        ascii: false,
        width: None,
    };
}

/// How long a quoted source line may be when the output is not a terminal:
/// longer lines are cut around what they mark, so a minified or hostile
/// file cannot flood a log.
const PIPED_SOURCE_WIDTH: usize = 400;

/// What to print besides the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parts {
    /// Only the findings: no summary by rule, no totals (`--quiet`).
    pub findings_only: bool,
}

/// Renders every finding, then the summary by rule and the totals.
pub fn render(report: &Report, style: Style, parts: Parts) -> String {
    let renderer = renderer(style);
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&finding(&renderer, f, &report.workspace, style));
        out.push_str("\n\n");
    }
    if parts.findings_only {
        return out;
    }
    if !report.findings.is_empty() {
        out.push_str("findings by rule:\n");
        out.push_str(&statistics(report, style));
        out.push('\n');
    }
    out.push_str(&super::summary_line(report));
    out.push('\n');
    if let Some(line) = fixable_line(report) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn renderer(style: Style) -> Renderer {
    let r = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // rustc's own default: `-->`, `|` and `^`, which every terminal shows.
    r.decor_style(DecorStyle::Ascii)
        .term_width(style.width.unwrap_or(PIPED_SOURCE_WIDTH))
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

/// A place a finding marks, with its label.
type Mark<'a> = (Range<usize>, Option<&'a str>);

/// One finding: the header with severity and rule, where it is, the
/// snippet of its file with every related place in that file marked, a
/// snippet for each other file it relates to, then the help and the fix.
fn finding(renderer: &Renderer, f: &Finding, ws: &crate::model::Workspace, style: Style) -> String {
    // The snippets, by file, in the order the finding names them.
    let mut files: Vec<(crate::source::FileId, Vec<Mark<'_>>)> =
        vec![(f.span.file, vec![(f.span.range.clone(), None)])];
    for l in &f.labels {
        let mark = (l.span.range.clone(), Some(l.message.as_str()));
        match files.iter_mut().find(|(id, _)| *id == l.span.file) {
            Some((_, marks)) => marks.push(mark),
            None => files.push((l.span.file, vec![mark])),
        }
    }
    let shown: Vec<(String, Window)> = files
        .iter()
        .map(|(id, marks)| {
            let file = ws.sources.get(*id);
            let path = crate::text::visible(&ws.shown(&file.display)).into_owned();
            let ranges: Vec<Range<usize>> = marks.iter().map(|(r, _)| r.clone()).collect();
            (path, Window::new(file, &ranges, style.ascii))
        })
        .collect();
    let labels: Vec<Vec<Option<String>>> = files
        .iter()
        .map(|(_, marks)| {
            (marks.iter())
                .map(|(_, m)| m.map(|m| wrapped(m, style, 0)))
                .collect()
        })
        .collect();
    let mut group = Group::with_title(
        level(f.severity)
            .primary_title(crate::text::visible(&f.message).into_owned())
            .id(f.rule),
    );
    for (i, ((path, window), (_, marks))) in shown.iter().zip(&files).enumerate() {
        if window.text.is_empty() {
            // Nothing to quote: the file could not be read as text.
            group = group.element(Origin::path(path.as_str()));
            continue;
        }
        let mut snippet = Snippet::source(window.text.as_str())
            .line_start(window.first_line)
            .path(path.as_str());
        for (j, (range, _)) in marks.iter().enumerate() {
            let kind = if i == 0 && j == 0 {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let mut a = kind.span(window.map(range));
            if let Some(label) = &labels[i][j] {
                a = a.label(label.as_str());
            }
            snippet = snippet.annotation(a);
        }
        group = group.element(snippet);
    }
    // What the renderer puts before a help line: the margin of line
    // numbers, then `= help: ` or `= fix: `.
    let margin = (shown.iter())
        .map(|(_, w)| w.first_line + w.text.matches('\n').count())
        .max()
        .unwrap_or(1)
        .to_string()
        .len()
        + 1;
    let help = f.help.as_deref().map(|h| wrapped(h, style, margin + 8));
    if let Some(h) = &help {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    let fix = f.fix.as_ref().map(|x| {
        let how = match x.safety {
            Safety::Safe => "run `tfpin check --fix`",
            Safety::Unsafe => "unsafe, review it: run `tfpin check --fix --unsafe-fixes`",
        };
        wrapped(&format!("{} ({how})", x.description), style, margin + 7)
    });
    if let Some(x) = &fix {
        group = group.element(Level::HELP.with_name("fix").message(x.as_str()));
    }
    let mut text = renderer.render(&[group]);
    if !style.color {
        // No style was asked for, so any escape left is the tree's own.
        text = crate::text::visible_lines(&text).into_owned();
    }
    text
}

/// Free text from a finding made visible and, on a terminal, wrapped to
/// its width less what the renderer puts before it.
fn wrapped(s: &str, style: Style, indent: usize) -> String {
    let s = crate::text::visible_lines(s);
    match style.width {
        Some(w) if w > indent + 20 => textwrap::fill(&s, w - indent),
        _ => s.into_owned(),
    }
}

/// The lines of one file that a finding marks, made safe to print.
struct Window {
    /// The lines, with every control character made visible.
    text: String,
    /// The line number of the first.
    first_line: usize,
    /// The offset in the file of the first line's start.
    start: usize,
    /// For each byte of the original lines, where it is in `text`; empty
    /// when nothing was replaced.
    offsets: Vec<usize>,
}

impl Window {
    fn new(file: &crate::source::SourceFile, ranges: &[Range<usize>], ascii: bool) -> Window {
        let text = file.text.as_str();
        let clamp = |i: usize| floor_char_boundary(text, i.min(text.len()));
        let lo = ranges.iter().map(|r| clamp(r.start)).min().unwrap_or(0);
        let hi = ranges
            .iter()
            .map(|r| clamp(r.end.max(r.start)))
            .max()
            .unwrap_or(0);
        let start = text[..lo].rfind('\n').map_or(0, |i| i + 1);
        let end = text[hi..].find('\n').map_or(text.len(), |i| hi + i);
        let first_line = file.line_col(start).line;
        let lines = &text[start..end];
        let (shown, offsets) = safe_source(lines, ascii);
        Window {
            text: shown,
            first_line,
            start,
            offsets,
        }
    }

    /// Where a range of the file is in the window.
    fn map(&self, r: &Range<usize>) -> Range<usize> {
        let one = |i: usize| {
            let i = i.saturating_sub(self.start);
            if self.offsets.is_empty() {
                i.min(self.text.len())
            } else {
                self.offsets[i.min(self.offsets.len() - 1)]
            }
        };
        let (a, b) = (one(r.start), one(r.end.max(r.start)));
        a..b
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Source lines as they can be printed: a control character, C1 or C0, or
/// a character that reorders text (bidi overrides and isolates) becomes a
/// visible stand-in. A `\r` that ends a line is dropped. Returns the text
/// and, when something changed, the new offset of each old byte.
fn safe_source(s: &str, ascii: bool) -> (String, Vec<usize>) {
    if !s.chars().any(|c| stand_in(c, ascii).is_some() || c == '\r') {
        return (s.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut offsets = Vec::with_capacity(s.len() + 1);
    let mut chars = s.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let at = out.len();
        offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
        if c == '\r' && matches!(chars.peek(), Some((_, '\n')) | None) {
            continue;
        }
        match stand_in(c, ascii) {
            Some(x) => out.push_str(&x),
            None => out.push(c),
        }
    }
    offsets.push(out.len());
    (out, offsets)
}

/// What a character is shown as in a snippet, when not as itself. Tabs
/// and line feeds are the renderer's to lay out.
fn stand_in(c: char, ascii: bool) -> Option<Cow<'static, str>> {
    match c {
        '\t' | '\n' => None,
        // The Control Pictures block has a picture for each C0 control
        // and for DEL.
        '\0'..='\u{1f}' if !ascii => {
            char::from_u32(0x2400 + c as u32).map(|p| p.to_string().into())
        }
        '\u{7f}' if !ascii => Some("\u{2421}".into()),
        c if c.is_control() || crate::text::is_bidi_control(c) => {
            Some(format!("\\u{{{:x}}}", c as u32).into())
        }
        _ => None,
    }
}

/// How many findings `--fix` would repair, and how many more
/// `--unsafe-fixes` would; `None` when there are none.
fn fixable_line(report: &Report) -> Option<String> {
    let (safe, unsafe_) = fixable(report.findings.iter());
    let more = match unsafe_ {
        0 => String::new(),
        n => format!(" ({n} more with `--unsafe-fixes`)"),
    };
    match (safe, unsafe_) {
        (0, 0) => None,
        (0, n) => Some(format!(
            "{n} fixable with `tfpin check --fix --unsafe-fixes`"
        )),
        (n, _) => Some(format!("{n} fixable with `tfpin check --fix`{more}")),
    }
}

/// How many of some findings have a safe fix, and how many an unsafe one.
fn fixable<'a>(findings: impl Iterator<Item = &'a Finding>) -> (usize, usize) {
    findings.fold((0, 0), |(s, u), f| match f.fix.as_ref().map(|x| x.safety) {
        Some(Safety::Safe) => (s + 1, u),
        Some(Safety::Unsafe) => (s, u + 1),
        None => (s, u),
    })
}

/// One row of the summary by rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleCount {
    pub rule: &'static str,
    pub count: usize,
    /// The severities its findings have, most severe first.
    pub severities: Vec<Severity>,
    /// How many have a safe fix, and how many an unsafe one.
    pub fixable: usize,
    pub fixable_unsafe: usize,
}

/// The findings counted by rule: most findings first, then by rule id.
pub fn counts(report: &Report) -> Vec<RuleCount> {
    let mut by_rule: BTreeMap<&'static str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_rule.entry(f.rule).or_default().push(f);
    }
    let mut rows: Vec<RuleCount> = by_rule
        .into_iter()
        .map(|(rule, fs)| {
            let mut severities: Vec<Severity> = fs.iter().map(|f| f.severity).collect();
            severities.sort_unstable_by(|a, b| b.cmp(a));
            severities.dedup();
            let (fixable, fixable_unsafe) = fixable(fs.iter().copied());
            RuleCount {
                rule,
                count: fs.len(),
                severities,
                fixable,
                fixable_unsafe,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    rows
}

/// The summary by rule as a table: count, severity, rule, and how many
/// `--fix` repairs.
pub fn statistics(report: &Report, style: Style) -> String {
    let rows = counts(report);
    let count_w = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let sev_w = rows
        .iter()
        .map(|r| severities(&r.severities).len())
        .max()
        .unwrap_or(0);
    let rule_w = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let sev = severities(&r.severities);
        let painted = paint(&sev, r.severities[0], style);
        let fix = match (r.fixable, r.fixable_unsafe) {
            (0, 0) => String::new(),
            (n, 0) if n == r.count => "fixable".to_string(),
            (n, 0) => format!("{n} fixable"),
            (0, u) => format!("{u} fixable with --unsafe-fixes"),
            (n, u) => format!("{n} fixable, {u} with --unsafe-fixes"),
        };
        let line = format!(
            "  {:>count_w$}  {painted}{}  {:<rule_w$}  {fix}",
            r.count,
            " ".repeat(sev_w - sev.len()),
            r.rule,
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn severities(s: &[Severity]) -> String {
    let words: Vec<&str> = s.iter().map(|s| s.as_str()).collect();
    words.join(",")
}

/// A severity word in its colour, when colour is on.
fn paint(word: &str, s: Severity, style: Style) -> String {
    if !style.color {
        return word.to_string();
    }
    let code = match s {
        Severity::Error => "1;91",
        Severity::Warning => "1;33",
        Severity::Note => "1;92",
    };
    format!("\x1b[{code}m{word}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_in_source_become_pictures_or_escapes() {
        let (s, offsets) = safe_source("a\u{1b}]0;x\u{7}b\r\n\u{202e}c", false);
        assert_eq!(s, "a\u{241b}]0;x\u{2407}b\n\\u{202e}c");
        // `b` (byte 7) keeps its place after the two pictures (3 bytes each).
        assert_eq!(offsets[7], "a\u{241b}]0;x\u{2407}".len());
        let (s, _) = safe_source("a\u{1b}[2J\u{9b}", true);
        assert_eq!(s, "a\\u{1b}[2J\\u{9b}");
        let (s, offsets) = safe_source("plain\ttext", false);
        assert_eq!((s.as_str(), offsets.len()), ("plain\ttext", 0));
    }

    #[test]
    fn a_window_maps_ranges_past_replacements() {
        let text = "x = 1\ny = \"\u{1b}[31m\"\nz = 2\n";
        let y = text.find('y').unwrap();
        let end = text.find("\nz").unwrap();
        let file = crate::source::SourceFile::new("a.tf".into(), text.to_string());
        let w = Window::new(&file, std::slice::from_ref(&(y..end)), false);
        assert_eq!(w.first_line, 2);
        assert_eq!(w.text, "y = \"\u{241b}[31m\"");
        assert_eq!(w.map(&(y..y + 1)), 0..1);
        assert_eq!(w.map(&(y..end)).end, w.text.len());
    }
}
