//! The report for a terminal.

use super::{plural, title, FlowView, InstanceView, View};
use crate::text::visible;
use std::fmt::Write as _;

/// Lines of text no wider than `width` columns, when words allow.
struct Lines {
    out: String,
    width: usize,
}

impl Lines {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{text}", "");
    }

    /// Words wrapped at the width, every line indented.
    fn wrapped(&mut self, indent: usize, text: &str) {
        self.hanging(indent, indent, text);
    }

    /// Words wrapped at the width: the first line indented by `indent`,
    /// the others by `then`.
    fn hanging(&mut self, indent: usize, then: usize, text: &str) {
        let mut at = indent;
        let mut line = String::new();
        for word in text.split(' ') {
            let avail = self.width.saturating_sub(at).max(20);
            let len = line.chars().count();
            if len > 0 && len + 1 + word.chars().count() > avail {
                self.line(at, &line);
                line.clear();
                at = then;
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            self.line(at, &line);
        }
    }

    /// `left` from column `indent`, then `right` from column `at` + 2.
    /// A `left` wider than the line is broken before its dots (see
    /// [`broken`]), each further line indented by two; `right` goes on the
    /// last line when it fits there, else on a line of its own, further
    /// in.
    fn row(&mut self, indent: usize, left: &str, right: &str, at: usize) {
        let avail = self.width.saturating_sub(indent).max(20);
        let lines = broken(left, avail, avail.saturating_sub(2));
        let last = lines.len() - 1;
        for (i, line) in lines.iter().enumerate() {
            let start = if i == 0 { indent } else { indent + 2 };
            let len = start + line.chars().count();
            if i == last && len <= at && at + 2 + right.chars().count() <= self.width {
                let pad = at - len;
                self.line(start, &format!("{line}{:pad$}  {right}", ""));
                return;
            }
            self.line(start, line);
        }
        self.line(
            indent + 4,
            &shortened(right, avail.saturating_sub(4).max(20)),
        );
    }
}

/// An address in lines of at most `first` characters, then `rest`:
/// broken before a `.` that is outside brackets and quotes, so that each
/// line holds whole names (`module.stack["eu"]`, `.aws_s3_bucket.b`). A
/// name longer than a line is shortened in the middle.
fn broken(address: &str, first: usize, rest: usize) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    let mut part = String::new();
    for c in address.chars() {
        if c == '.' && depth == 0 && !quoted && !part.is_empty() {
            parts.push(std::mem::take(&mut part));
        }
        part.push(c);
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    parts.push(part);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for p in parts {
        let max = if lines.is_empty() { first } else { rest };
        if !line.is_empty() && line.chars().count() + p.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        line.push_str(&p);
    }
    lines.push(line);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| shortened(&l, if i == 0 { first } else { rest }))
        .collect()
}

/// `text` in at most `max` characters: its start and its end, which holds
/// the resource's name and key, around an ellipsis.
fn shortened(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max || max < 5 {
        return text.to_string();
    }
    let head = (max - 1) / 3;
    let tail = max - 1 - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// The report for a terminal, no wider than `width` columns where it can
/// help it. Strings from the tree are shown with control characters
/// escaped.
pub fn render_text(view: &View, width: usize) -> String {
    let mut l = Lines {
        out: String::new(),
        width,
    };
    if view.roots.is_empty() {
        l.line(0, "no root modules found");
    }
    for (ri, r) in view.roots.iter().enumerate() {
        if ri > 0 {
            l.out.push('\n');
        }
        l.wrapped(
            0,
            &format!("{} ({})", visible(&title(r)), super::engine_name(r.engine)),
        );
        l.hanging(
            2,
            4,
            &format!("role: {} ({})", r.role.label(), visible(&r.role_reason)),
        );
        if let Some(p) = &r.policy {
            let listed: Vec<String> = p.iter().map(|p| format!("\"{}\"", visible(p))).collect();
            l.hanging(
                2,
                4,
                &format!("policy: allowed_regions {}", listed.join(", ")),
            );
        }
        let locate = |file: &str, line: usize| format!("{}:{line}", visible(&view.shown(file)));
        // Where locations start: past the longest address, as far as the
        // longest location allows, and at least three fifths of the way;
        // for the instances, and for the copies.
        let column = |rows: &mut dyn Iterator<Item = (usize, String)>| {
            let (longest, widest) = rows.fold((0, 0), |(a, b), (left, right)| {
                (a.max(left), b.max(right.chars().count()))
            });
            longest.min((width * 3 / 5).max(width.saturating_sub(widest + 2)))
        };
        let col = column(&mut r.instances.iter().map(|i| {
            let indent = if i.region.is_some() { 4 } else { 6 };
            (
                indent + visible(&i.address).chars().count(),
                locate(&i.file, i.line),
            )
        }));
        let flow_col = column(
            &mut r
                .flows
                .iter()
                .map(|f| (6 + flow_subject(f).chars().count(), locate(&f.file, f.line))),
        );
        if r.instances.is_empty() {
            l.line(2, "no resource instances that run in a region");
        }
        for g in &r.regions {
            let label = g.region.as_deref().map_or(g.state, |s| s);
            let outside = if g.allowed == Some(false) {
                ", outside the policy"
            } else {
                ""
            };
            l.line(
                2,
                &format!(
                    "{} ({}{outside})",
                    visible(label),
                    plural(g.count, "instance", "instances")
                ),
            );
            let members = r.instances.iter().filter(|i| match &g.region {
                Some(region) => i.region.as_ref() == Some(region),
                None => i.region.is_none() && i.state == g.state,
            });
            if g.region.is_some() {
                for i in members {
                    l.row(4, &visible(&i.address), &locate(&i.file, i.line), col);
                }
                continue;
            }
            // Unknown and environment: each reason once, its instances
            // below it.
            let mut by_reason: std::collections::BTreeMap<&str, Vec<&InstanceView>> =
                Default::default();
            for i in members {
                by_reason
                    .entry(i.reason.as_deref().unwrap_or(""))
                    .or_default()
                    .push(i);
            }
            for (reason, list) in by_reason {
                l.wrapped(4, &visible(reason));
                for i in list {
                    l.row(6, &visible(&i.address), &locate(&i.file, i.line), col);
                }
            }
        }
        if !r.global.is_empty() {
            let mut types: std::collections::BTreeMap<String, usize> = Default::default();
            for g in &r.global {
                let t = if g.data {
                    format!("data.{}", g.resource_type)
                } else {
                    g.resource_type.clone()
                };
                *types.entry(t).or_default() += 1;
            }
            let listed: Vec<String> = types
                .into_iter()
                .map(|(t, n)| {
                    if n == 1 {
                        visible(&t).into_owned()
                    } else {
                        format!("{} ×{n}", visible(&t))
                    }
                })
                .collect();
            l.hanging(
                2,
                4,
                &format!(
                    "global ({}, region-agnostic): {}",
                    plural(r.global.len(), "instance", "instances"),
                    listed.join(", ")
                ),
            );
        }
        if r.not_regional > 0 {
            l.wrapped(
                2,
                &format!(
                    "not listed: {} of providers that take no region",
                    plural(r.not_regional, "instance", "instances")
                ),
            );
        }
        if !r.flows.is_empty() {
            l.line(
                2,
                &format!("data copies ({}):", plural(r.flows.len(), "flow", "flows")),
            );
            let mut last: Option<(Option<&str>, String, &str)> = None;
            for f in &r.flows {
                let to = match (&f.to, f.to_may_be.as_slice()) {
                    (Some(to), _) => to.clone(),
                    (None, []) => "unknown".to_string(),
                    (None, may) => format!("may be {}", may.join(" or ")),
                };
                let key = (f.from.as_deref(), to.clone(), f.what.as_str());
                if last.as_ref() != Some(&key) {
                    let outside = r.flows.iter().any(|g| {
                        (g.from.as_deref(), g.to.as_deref(), g.what.as_str())
                            == (key.0, f.to.as_deref(), key.2)
                            && g.to_may_be == f.to_may_be
                            && g.allowed == Some(false)
                    });
                    let outside = match (outside, &f.to) {
                        (false, _) => "",
                        (true, Some(_)) => ", outside the policy",
                        (true, None) => ", may be outside the policy",
                    };
                    l.wrapped(
                        4,
                        &format!(
                            "{} -> {}  {}{}",
                            visible(f.from.as_deref().unwrap_or("unknown")),
                            visible(&to),
                            visible(&f.what),
                            outside
                        ),
                    );
                    last = Some(key);
                }
                l.row(6, &flow_subject(f), &locate(&f.file, f.line), flow_col);
            }
        }
        for n in &r.notes {
            l.hanging(2, 4, &format!("note: {}", visible(n)));
        }
    }
    for n in &view.notes {
        l.out.push('\n');
        l.hanging(0, 2, &format!("note: {}", visible(n)));
    }
    l.out
}

/// What a flow's line in the text names: the resource that sends the data
/// and, when it is another one, the resource that holds the copy.
fn flow_subject(f: &FlowView) -> String {
    let mut s = visible(&f.resource).into_owned();
    match &f.destination {
        Some(d) if *d != f.resource => {
            s.push_str(" -> ");
            s.push_str(&visible(d));
        }
        _ => {}
    }
    if let Some(m) = &f.member_of {
        let _ = write!(s, " ({})", visible(m));
    }
    if let Some(p) = &f.paired_with {
        let _ = write!(s, " (pair of {})", visible(p));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_shortened_in_the_middle() {
        assert_eq!(shortened("abcdefghij", 20), "abcdefghij");
        let s = shortened("module.aaaaaaaaaa.module.bbbbbbbbbb.aws_s3_bucket.logs", 30);
        assert_eq!(s.chars().count(), 30);
        assert!(s.ends_with("aws_s3_bucket.logs"), "{s}");
        assert!(s.contains('…'));
    }

    #[test]
    fn rows_keep_to_the_width() {
        let mut l = Lines {
            out: String::new(),
            width: 40,
        };
        l.row(4, "aws_s3_bucket.logs", "main.tf:3", 24);
        l.row(6, "aws_sqs_queue.q", "main.tf:9", 24);
        l.row(
            4,
            "module.stack[\"eu-west-1\"].module.inner.aws_s3_bucket.logs[\"x\"]",
            "modules/inner/main.tf:12",
            24,
        );
        l.wrapped(
            2,
            "var.region has no default and no tfvars value, so nobody knows",
        );
        for line in l.out.lines() {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        assert_eq!(
            l.out,
            [
                "    aws_s3_bucket.logs    main.tf:3",
                "      aws_sqs_queue.q     main.tf:9",
                "    module.stack[\"eu-west-1\"].module",
                "      .inner.aws_s3_bucket.logs[\"x\"]",
                "        modules/inner/main.tf:12",
                "  var.region has no default and no",
                "  tfvars value, so nobody knows",
                "",
            ]
            .join("\n")
        );
    }

    #[test]
    fn addresses_break_between_names_only() {
        assert_eq!(
            broken("module.a[\"x.y\"].aws_s3_bucket.b[\"k.\\\"]\"]", 16, 14),
            ["module.a[\"x.y\"]", ".aws_s3_bucket", ".b[\"k.\\\"]\"]"]
        );
        assert_eq!(broken("aws_s3_bucket.b", 40, 38), ["aws_s3_bucket.b"]);
        // A name longer than a line is shortened.
        let long = format!("module.{}.aws_s3_bucket.b", "n".repeat(50));
        let lines = broken(&long, 30, 28);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0], "module");
        assert_eq!(lines[1].chars().count(), 28);
        assert_eq!(lines[2], ".aws_s3_bucket.b");
    }
}
