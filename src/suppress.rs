//! Inline ignore comments.
//!
//! - `# tfpin-ignore: rule-id[, rule-id] -- reason` on a line of its own
//!   applies to the next line of code and, when a block starts there, to
//!   the whole block; at the end of a line of code it applies to that line
//!   (and to the block that starts on it).
//! - `# tfpin-ignore-file: rule-id[, rule-id]` applies to the whole file.
//! - `//` comments work the same way.
//!
//! A directive that names an unknown rule, or that suppresses nothing, is
//! itself reported (`ignore-unused`).

use crate::config::Settings;
use crate::finding::Finding;
use crate::source::FileId;
use std::ops::Range;

/// One ignore comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub file: FileId,
    /// The whole comment.
    pub span: Range<usize>,
    /// Each rule id named, with its own span.
    pub rules: Vec<(String, Range<usize>)>,
    /// Applies to the whole file.
    pub file_wide: bool,
    /// The byte range whose findings it silences (the whole file when
    /// `file_wide`).
    pub target: Range<usize>,
    pub reason: Option<String>,
}

const LINE_MARKER: &str = "tfpin-ignore:";
const FILE_MARKER: &str = "tfpin-ignore-file:";

/// A line comment found by [`comments`]: where it starts (at `#` or `//`)
/// and where its text starts.
#[derive(Debug, Clone, Copy)]
struct Comment {
    start: usize,
    text_start: usize,
    end: usize,
}

/// Whether a file can hold a directive at all. Both markers start with
/// `tfpin-ignore`; most files have neither, and a substring search is far
/// cheaper than finding every comment and block.
pub fn may_have_directives(text: &str) -> bool {
    // Built once: a searcher's setup costs more than searching most files.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("tfpin-ignore"));
    FINDER.find(text.as_bytes()).is_some()
}

/// Finds the ignore directives in one file. `blocks` are the byte ranges of
/// the file's blocks (any depth), used to widen a directive to the block
/// that starts on its target line.
pub fn directives(file: FileId, text: &str, blocks: &[Range<usize>]) -> Vec<Directive> {
    let mut out = Vec::new();
    if !may_have_directives(text) {
        return out;
    }
    for c in comments(text) {
        let body = text[c.text_start..c.end].trim_start();
        let (file_wide, rest) = if let Some(r) = body.strip_prefix(FILE_MARKER) {
            (true, r)
        } else if let Some(r) = body.strip_prefix(LINE_MARKER) {
            (false, r)
        } else {
            continue;
        };
        let rest_start = c.end - rest.len();
        let (ids_part, reason) = match rest.find("--") {
            Some(i) => (
                &rest[..i],
                Some(rest[i + 2..].trim().to_string()).filter(|r| !r.is_empty()),
            ),
            None => (rest, None),
        };
        let mut rules = Vec::new();
        let mut offset = rest_start;
        for piece in ids_part.split(',') {
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                let lead = piece.len() - piece.trim_start().len();
                let s = offset + lead;
                rules.push((trimmed.to_string(), s..s + trimmed.len()));
            }
            offset += piece.len() + 1;
        }
        let target = if file_wide {
            0..text.len()
        } else {
            target_of(text, c.start, blocks)
        };
        out.push(Directive {
            file,
            span: c.start..c.end,
            rules,
            file_wide,
            target,
            reason,
        });
    }
    out
}

/// The range a line directive starting at `at` applies to.
fn target_of(text: &str, at: usize, blocks: &[Range<usize>]) -> Range<usize> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let own_line = text[line_start..at].trim().is_empty();
    let target_line = if own_line {
        // The next line with code on it, skipping blank and comment lines
        // (so stacked directives share a target).
        let mut pos = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        loop {
            if pos >= text.len() {
                break pos;
            }
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let line = text[pos..end].trim_start();
            if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
                pos = (end + 1).min(text.len());
                continue;
            }
            break pos;
        }
    } else {
        line_start
    };
    let line_end = text[target_line..]
        .find('\n')
        .map_or(text.len(), |i| target_line + i);
    // Widen to the largest block that starts on the target line.
    let widest = blocks
        .iter()
        .filter(|b| b.start >= target_line && b.start <= line_end)
        .map(|b| b.end)
        .max()
        .unwrap_or(line_end);
    target_line..widest.max(line_end)
}

/// Every `#` and `//` comment in HCL text, skipping strings (with
/// interpolations), heredocs and block comments. Not a full lexer, but it
/// cannot mistake text inside a string or heredoc for a comment.
fn comments(text: &str) -> Vec<Comment> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Nesting of `${`/`%{` inside strings: each entry is the brace depth at
    // which a template interpolation returns to its string.
    let mut in_string = false;
    let mut template_stack: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    while i < b.len() {
        if in_string {
            match b[i] {
                b'\\' => i += 2,
                b'"' => {
                    in_string = false;
                    i += 1;
                }
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    template_stack.push(depth);
                    depth += 1;
                    in_string = false;
                    i += 2;
                }
                b'\n' => {
                    // An unterminated string: give up on it at the line end.
                    in_string = false;
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        match b[i] {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if template_stack.last() == Some(&depth) {
                    template_stack.pop();
                    in_string = true;
                }
                i += 1;
            }
            b'#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                out.push(Comment {
                    start: i,
                    text_start: i + 1,
                    end: end.min(trim_cr(text, i, end)),
                });
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                out.push(Comment {
                    start: i,
                    text_start: i + 2,
                    end: end.min(trim_cr(text, i, end)),
                });
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(text.len(), |n| i + 2 + n + 2);
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                // A heredoc: `<<EOT` or `<<-EOT`, then lines until one that
                // is only the marker.
                let mut j = i + 2;
                if b.get(j) == Some(&b'-') {
                    j += 1;
                }
                let id_start = j;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if j == id_start {
                    i += 2;
                    continue;
                }
                let marker = &text[id_start..j];
                let mut pos = text[j..].find('\n').map_or(text.len(), |n| j + n + 1);
                loop {
                    if pos >= text.len() {
                        break;
                    }
                    let end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
                    if text[pos..end].trim() == marker {
                        pos = end;
                        break;
                    }
                    pos = end + 1;
                }
                i = pos;
            }
            _ => i += 1,
        }
    }
    out
}

fn trim_cr(text: &str, start: usize, end: usize) -> usize {
    if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// What became of one rule named in one directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// It silenced at least one finding.
    Used,
    /// The rule ran but nothing in the target was silenced.
    Unused,
    /// No rule has this id.
    UnknownRule,
    /// The rule is disabled, so there is nothing to silence.
    Disabled,
    /// `ignorable = false` for this rule: the directive has no effect.
    NotIgnorable,
}

/// One rule of one directive, and what became of it.
#[derive(Debug, Clone)]
pub struct RuleUse {
    /// Index into the workspace's directives.
    pub directive: usize,
    /// Index into that directive's rules.
    pub rule: usize,
    pub state: Use,
}

/// Removes the findings the directives silence and says what each named
/// rule did.
pub fn apply(
    directives: &[Directive],
    findings: &mut Vec<Finding>,
    settings: &Settings,
) -> Vec<RuleUse> {
    let mut uses: Vec<RuleUse> = Vec::new();
    let mut silenced = vec![false; findings.len()];
    for (di, d) in directives.iter().enumerate() {
        for (ri, (id, _)) in d.rules.iter().enumerate() {
            let state = match crate::rules::find(id) {
                None => Use::UnknownRule,
                Some(rule) if !settings.is_enabled(id, rule.meta().default_enabled) => {
                    Use::Disabled
                }
                Some(_) if settings.rule(id).and_then(|r| r.ignorable) == Some(false) => {
                    Use::NotIgnorable
                }
                Some(_) => {
                    let mut hit = false;
                    for (fi, f) in findings.iter().enumerate() {
                        let at = f.span.range.start;
                        if f.rule == id
                            && f.span.file == d.file
                            && at >= d.target.start
                            && at <= d.target.end
                        {
                            silenced[fi] = true;
                            hit = true;
                        }
                    }
                    if hit {
                        Use::Used
                    } else {
                        Use::Unused
                    }
                }
            };
            uses.push(RuleUse {
                directive: di,
                rule: ri,
                state,
            });
        }
    }
    let mut i = 0;
    findings.retain(|_| {
        let keep = !silenced[i];
        i += 1;
        keep
    });
    uses
}

/// The byte ranges of every block in a body, at any depth.
pub fn block_ranges(body: &hcl_edit::structure::Body) -> Vec<Range<usize>> {
    use hcl_edit::Span as _;
    let mut out = Vec::new();
    let mut stack: Vec<&hcl_edit::structure::Body> = vec![body];
    while let Some(b) = stack.pop() {
        for block in b.blocks() {
            if let Some(r) = block.span() {
                out.push(r);
            }
            stack.push(&block.body);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(text: &str) -> (String, Vec<Directive>) {
        let body = hcl_edit::parser::parse_body(text).unwrap();
        let d = directives(FileId(0), text, &block_ranges(&body));
        (text.to_string(), d)
    }

    #[test]
    fn own_line_directive_covers_the_next_block() {
        let (t, d) = dirs(
            "# tfpin-ignore: module-cycle, parse-error -- known loop\nmodule \"a\" {\n  source = \"./a\"\n}\nx = 1\n",
        );
        assert_eq!(d.len(), 1);
        let names: Vec<&str> = d[0].rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["module-cycle", "parse-error"]);
        assert_eq!(&t[d[0].rules[0].1.clone()], "module-cycle");
        assert_eq!(d[0].reason.as_deref(), Some("known loop"));
        assert_eq!(
            &t[d[0].target.clone()],
            "module \"a\" {\n  source = \"./a\"\n}"
        );
    }

    #[test]
    fn trailing_directive_covers_its_line_and_stacked_ones_share_a_target() {
        let (t, d) =
            dirs("a = 1 // tfpin-ignore: r1\n# tfpin-ignore: r2\n\n# tfpin-ignore: r3\nb = 2\n");
        assert_eq!(d.len(), 3);
        assert_eq!(&t[d[0].target.clone()], "a = 1 // tfpin-ignore: r1");
        assert_eq!(&t[d[1].target.clone()], "b = 2");
        assert_eq!(d[1].target, d[2].target);
    }

    #[test]
    fn file_directives_cover_everything() {
        let (t, d) = dirs("// tfpin-ignore-file: lock-missing\na = 1\n");
        assert!(d[0].file_wide);
        assert_eq!(d[0].target, 0..t.len());
    }

    #[test]
    fn markers_inside_strings_and_heredocs_are_not_comments() {
        let (_, d) = dirs(
            "a = \"# tfpin-ignore: x\"\nb = \"${\"#\"} # tfpin-ignore: y\"\nc = <<EOT\n# tfpin-ignore: z\nEOT\n/* # tfpin-ignore: w */\nd = 1 # tfpin-ignore: real\n",
        );
        let names: Vec<&str> = d
            .iter()
            .flat_map(|x| x.rules.iter().map(|(n, _)| n.as_str()))
            .collect();
        assert_eq!(names, ["real"]);
    }
}
