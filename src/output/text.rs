//! `--format text`: miette diagnostics with source snippets.

use crate::engine::Report;
use crate::finding::{Finding, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use std::fmt;
use std::sync::Arc;

/// Whether to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Always,
    Never,
}

/// Renders every finding, then the summary line.
pub fn render(report: &Report, color: Color, width: usize) -> String {
    let theme = match color {
        Color::Always => GraphicalTheme::unicode(),
        Color::Never => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for f in &report.findings {
        let diag = FindingDiag::new(f, &report.workspace);
        if handler.render_report(&mut out, &diag).is_err() {
            out.push_str(&format!("{}: {}\n", f.rule, f.message));
        }
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

/// The help, and then what the fix does and how safe it is.
fn with_fix(f: &Finding) -> Option<String> {
    let fix = f.fix.as_ref().map(|x| match x.safety {
        crate::fix::Safety::Safe => format!("fix (`--fix`): {}", x.description),
        crate::fix::Safety::Unsafe => {
            format!("fix (`--fix --unsafe-fixes`): {}", x.description)
        }
    });
    match (&f.help, fix) {
        (Some(h), Some(x)) => Some(format!("{h}\n{x}")),
        (h, x) => h.clone().or(x),
    }
}

/// How many findings `--fix` would repair, and how many more
/// `--unsafe-fixes` would; `None` when there are none.
fn fixable_line(report: &Report) -> Option<String> {
    let count = |s: crate::fix::Safety| {
        (report.findings.iter())
            .filter(|f| f.fix.as_ref().is_some_and(|x| x.safety == s))
            .count()
    };
    let (safe, unsafe_) = (
        count(crate::fix::Safety::Safe),
        count(crate::fix::Safety::Unsafe),
    );
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

/// A finding dressed as a miette diagnostic. Labels in other files become
/// related diagnostics with their own snippets.
struct FindingDiag {
    message: String,
    code: &'static str,
    severity: Severity,
    help: Option<String>,
    source: NamedSource<Arc<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiag>,
}

struct RelatedDiag {
    message: String,
    source: NamedSource<Arc<String>>,
    label: LabeledSpan,
}

fn labeled(
    range: &std::ops::Range<usize>,
    text: &str,
    message: Option<String>,
    primary: bool,
) -> LabeledSpan {
    let start = range.start.min(text.len());
    let len = range
        .end
        .saturating_sub(range.start)
        .min(text.len() - start);
    if primary {
        LabeledSpan::new_primary_with_span(message, (start, len))
    } else {
        LabeledSpan::new_with_span(message, (start, len))
    }
}

impl FindingDiag {
    fn new(f: &Finding, ws: &crate::model::Workspace) -> FindingDiag {
        let sources = &ws.sources;
        let file = sources.get(f.span.file);
        let source = NamedSource::new(ws.shown(&file.display), file.text.clone());
        let mut labels = vec![labeled(&f.span.range, &file.text, None, true)];
        let mut related = Vec::new();
        for l in &f.labels {
            if l.span.file == f.span.file {
                labels.push(labeled(
                    &l.span.range,
                    &file.text,
                    Some(l.message.clone()),
                    false,
                ));
            } else {
                let other = sources.get(l.span.file);
                related.push(RelatedDiag {
                    message: l.message.clone(),
                    source: NamedSource::new(ws.shown(&other.display), other.text.clone()),
                    label: labeled(&l.span.range, &other.text, None, true),
                });
            }
        }
        FindingDiag {
            message: f.message.clone(),
            code: f.rule,
            severity: f.severity,
            help: with_fix(f),
            source,
            labels,
            related,
        }
    }
}

impl fmt::Debug for FindingDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiag {}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

impl Diagnostic for FindingDiag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.severity))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
        }
    }
}

impl fmt::Debug for RelatedDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedDiag {}

impl Diagnostic for RelatedDiag {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}
