//! Where an edit goes in the text of a file, written so that a file
//! `terraform fmt` accepts stays accepted: new items take the indentation
//! and `=` alignment of the items beside them, and whole lines go with
//! their line breaks.

use crate::source::{FileId, SourceMap, Span};

/// What kind of file the file sets read a file as, by its name.
pub fn kind(sources: &SourceMap, file: FileId) -> Option<crate::fileset::FileKind> {
    let shown = sources.get(file).display.as_str();
    let name = shown.rsplit('/').next().unwrap_or(shown);
    crate::fileset::FileKind::of(name)
}

/// Whether a file is in the JSON syntax (`.tf.json`, `.tofu.json`,
/// `.tfvars.json`), as the file sets decide it.
pub fn is_json(sources: &SourceMap, file: FileId) -> bool {
    kind(sources, file).is_some_and(|k| k.syntax() == crate::fileset::Syntax::Json)
}

/// Whether `span` is `value` written as a plain quoted string: a literal
/// with nothing to escape, which a fix can rewrite by its bytes alone
/// (not an expression, a template or a string with escapes).
pub fn quoted(sources: &SourceMap, span: &Span, value: &str) -> bool {
    let written = sources.get(span.file).text.get(span.range.clone());
    written
        .and_then(|w| w.strip_prefix('"'))
        .and_then(|w| w.strip_suffix('"'))
        == Some(value)
}

/// A replacement of a byte range of one file's text.
pub type Replace = (std::ops::Range<usize>, String);

/// An item `key = value` (JSON: `"key": value`) written as the first item
/// of the object or block whose `{` is at `open`: on a line of its own,
/// indented as the item after it and with the `=` signs of the lines it
/// joins aligned as `terraform fmt` aligns them, when the body spans
/// lines; else on the brace's line, with a comma after it (JSON, and HCL
/// object items on one line, need one).
pub fn first_item(
    text: &str,
    open: usize,
    key: &str,
    value: &str,
    json: bool,
) -> Option<Vec<Replace>> {
    if text.as_bytes().get(open) != Some(&b'{') {
        return None;
    }
    let first = skip_blank(text, open + 1);
    let between = &text[open + 1..first];
    let closes = text[first..].starts_with('}');
    let insert = |at: usize, s: String| Some(vec![(at..at, s)]);
    if closes {
        let item = item_text(key, value, json, 1);
        // An empty body: the item on the brace's line.
        return if between.contains('\n') {
            let indent = indent_of(text, first);
            insert(first, format!("  {item}\n{indent}"))
        } else {
            insert(open + 1, format!(" {item} "))
        };
    }
    if !between.contains('\n') {
        return insert(first, format!("{}, ", item_text(key, value, json, 1)));
    }
    let indent = indent_of(text, first);
    if json {
        return insert(
            first,
            format!("{},\n{indent}", item_text(key, value, json, 1)),
        );
    }
    // The new line joins the run of aligned lines below it.
    let group = run_down(text, line_at(text, first).start);
    let mut out = Vec::new();
    let pad = match group.iter().map(AttrLine::name_len).max() {
        Some(longest) => {
            let width = longest.max(key.len()) + 1;
            out.extend(repad(&group, width));
            width - key.len()
        }
        None => 1,
    };
    out.push((
        first..first,
        format!("{}\n{indent}", item_text(key, value, false, pad)),
    ));
    Some(out)
}

/// An argument `key = value` on a line of its own after the one-line
/// argument whose line starts at `line_start`, indented as it and with
/// the `=` signs of the run they are in aligned, as `terraform fmt` wants;
/// `None` when that line is not a one-line argument.
pub fn item_after(text: &str, line_start: usize, key: &str, value: &str) -> Option<Vec<Replace>> {
    let anchor = AttrLine::at(text, line_start)?;
    let line = line_at(text, line_start);
    let next = text[line.end..]
        .find('\n')
        .map_or(text.len(), |i| line.end + i + 1);
    let mut run = run_up(text, line_start);
    if next < text.len() {
        run.extend(run_down(text, next));
    }
    let width = run
        .iter()
        .map(AttrLine::name_len)
        .max()
        .unwrap_or(0)
        .max(key.len())
        + 1;
    let indent = &text[anchor.start..anchor.name.0];
    let nl = if text[line.end..].starts_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut out = repad(&run, width);
    let item = format!(
        "{indent}{}{nl}",
        item_text(key, value, false, width - key.len())
    );
    if next >= text.len() && !text.ends_with('\n') {
        out.push((text.len()..text.len(), format!("{nl}{}", item.trim_end())));
    } else {
        out.push((next..next, item));
    }
    Some(out)
}

/// Removes the lines `span` covers, line breaks included, and realigns
/// the `=` signs of the run of attribute lines it leaves, as `terraform
/// fmt` would; `None` when other text shares its lines.
pub fn remove_lines(text: &str, span: &Span) -> Option<Vec<Replace>> {
    let range = whole_lines(text, span)?;
    Some(remove_range(text, range))
}

/// Removes whole lines, `range` from a line's start to just past a line
/// break, and realigns the runs of attribute lines around them: a run the
/// removed lines were aligned with, and two runs that the removal joins
/// into one.
pub fn remove_range(text: &str, range: std::ops::Range<usize>) -> Vec<Replace> {
    let mut out = Vec::new();
    let up = match range.start {
        0 => Vec::new(),
        s => run_up(text, line_at(text, s - 1).start),
    };
    let down = if range.end < text.len() {
        run_down(text, range.end)
    } else {
        Vec::new()
    };
    let indent = |g: &[AttrLine]| g.first().map(|a| a.name.0 - a.start);
    let runs: Vec<Vec<AttrLine>> = if !up.is_empty() && indent(&up) == indent(&down) {
        vec![up.into_iter().chain(down).collect()]
    } else {
        vec![up, down]
    };
    for run in runs {
        if let Some(width) = run.iter().map(AttrLine::name_len).max() {
            out.extend(repad(&run, width + 1));
        }
    }
    out.push((range, String::new()));
    out
}

/// Removes a member (`"key": value`, from the key's quote to the value's
/// end) of a JSON object with the comma that separates it from its
/// neighbour: the one after it, or for the last member the one before.
/// A member on lines of its own goes with its lines.
pub fn remove_json_member(text: &str, r: std::ops::Range<usize>) -> Vec<Replace> {
    let b = text.as_bytes();
    let skip = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let own_lines = |start: usize, end: usize| {
        text[line_at(text, start).start..start].trim().is_empty()
            && text[end..line_at(text, end).end].trim().is_empty()
    };
    let next_line = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let after = skip(r.end);
    if b.get(after) == Some(&b',') {
        let end = after + 1;
        if own_lines(r.start, end) {
            return vec![(line_at(text, r.start).start..next_line(end), String::new())];
        }
        let mut e = end;
        while b.get(e) == Some(&b' ') {
            e += 1;
        }
        return vec![(r.start..e, String::new())];
    }
    let before = text[..r.start].trim_end().len();
    if before > 0 && b[before - 1] == b',' {
        return vec![(before - 1..r.end, String::new())];
    }
    if own_lines(r.start, r.end) {
        return vec![(
            line_at(text, r.start).start..next_line(r.end),
            String::new(),
        )];
    }
    vec![(r, String::new())]
}

/// One line of the form `name = value`, the value ending on that line.
#[derive(Debug, Clone, Copy)]
struct AttrLine {
    /// The start of the line.
    start: usize,
    /// Where the name starts and ends, and where the `=` is.
    name: (usize, usize),
    eq: usize,
}

impl AttrLine {
    fn name_len(&self) -> usize {
        self.name.1 - self.name.0
    }

    fn indent(&self) -> usize {
        self.name.0 - self.start
    }

    fn at(text: &str, start: usize) -> Option<AttrLine> {
        let line = line_at(text, start);
        let l = &text[line.clone()];
        let lead = l.len() - l.trim_start_matches([' ', '\t']).len();
        let body = &l[lead..];
        let name_len = body
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(body.len());
        if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() && body.as_bytes()[0] != b'_'
        {
            return None;
        }
        let after = &body[name_len..];
        let blanks = after.len() - after.trim_start_matches(' ').len();
        let value = after[blanks..].strip_prefix('=')?;
        if value.starts_with('=') || !one_line_value(value) {
            return None;
        }
        let name0 = line.start + lead;
        Some(AttrLine {
            start: line.start,
            name: (name0, name0 + name_len),
            eq: name0 + name_len + blanks,
        })
    }
}

/// Whether an attribute's value ends on its line: its brackets close and
/// it opens no heredoc. Strings are skipped.
fn one_line_value(v: &str) -> bool {
    let b = v.as_bytes();
    let mut depth = 0i32;
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        match (in_str, b[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_str = false,
            (false, b'"') => in_str = true,
            (false, b'{' | b'[' | b'(') => depth += 1,
            (false, b'}' | b']' | b')') => depth -= 1,
            (false, b'<') if b.get(i + 1) == Some(&b'<') => return false,
            (false, b'#') => break,
            (false, b'/') if b.get(i + 1) == Some(&b'/') => break,
            _ => {}
        }
        i += 1;
    }
    depth == 0 && !in_str
}

/// The run of one-line attribute lines at one indentation that ends with
/// the line starting at `start`, top first; empty when that line is not
/// one.
fn run_up(text: &str, start: usize) -> Vec<AttrLine> {
    let Some(anchor) = AttrLine::at(text, start) else {
        return Vec::new();
    };
    let mut lines = vec![anchor];
    let mut at = anchor.start;
    while at > 0 {
        let prev = line_at(text, at - 1).start;
        match AttrLine::at(text, prev).filter(|a| a.indent() == anchor.indent()) {
            Some(a) => {
                lines.insert(0, a);
                at = prev;
            }
            None => break,
        }
    }
    lines
}

/// The run of one-line attribute lines at one indentation that starts
/// with the line starting at `start`; empty when that line is not one.
fn run_down(text: &str, start: usize) -> Vec<AttrLine> {
    let Some(anchor) = AttrLine::at(text, start) else {
        return Vec::new();
    };
    let mut lines = vec![anchor];
    let mut at = anchor.start;
    while let Some(next) = text[at..].find('\n').map(|i| at + i + 1) {
        match AttrLine::at(text, next).filter(|a| a.indent() == anchor.indent()) {
            Some(a) => {
                lines.push(a);
                at = next;
            }
            None => break,
        }
    }
    lines
}

/// Replacements that put each line's `=` `width` columns after its name's
/// start, for the lines where it is not.
fn repad(lines: &[AttrLine], width: usize) -> Vec<Replace> {
    lines
        .iter()
        .filter(|l| l.eq - l.name.0 != width)
        .map(|l| (l.name.1..l.eq, " ".repeat(width - l.name_len())))
        .collect()
}

/// A nested block `header { line }` written as the first item of the
/// block whose `{` is at `open`, in native syntax: on lines of its own,
/// indented as the item after it (or one level in from the brace's line,
/// for an empty body, which then spans lines).
pub fn first_block(text: &str, open: usize, header: &str, line: &str) -> Option<Vec<Replace>> {
    if text.as_bytes().get(open) != Some(&b'{') {
        return None;
    }
    let first = skip_blank(text, open + 1);
    let between = &text[open + 1..first];
    if text[first..].starts_with('}') {
        let outer = indent_of(text, open);
        let nl = if text[..open].ends_with('\r') || text[open..].contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let inner = format!("{outer}  ");
        return Some(vec![(
            open + 1..first,
            format!("{nl}{inner}{header} {{{nl}{inner}  {line}{nl}{inner}}}{nl}{outer}"),
        )]);
    }
    if !between.contains('\n') {
        return None;
    }
    let indent = indent_of(text, first);
    let nl = if text[first..].contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some(vec![(
        first..first,
        format!("{header} {{{nl}{indent}  {line}{nl}{indent}}}{nl}{indent}"),
    )])
}

fn item_text(key: &str, value: &str, json: bool, pad: usize) -> String {
    if json {
        format!("\"{key}\": {value}")
    } else {
        format!("{key}{}= {value}", " ".repeat(pad))
    }
}

/// The offset of the first character at or after `from` that is neither a
/// blank nor inside a `#` or `//` comment.
fn skip_blank(text: &str, mut from: usize) -> usize {
    let b = text.as_bytes();
    while from < b.len() {
        match b[from] {
            b' ' | b'\t' | b'\r' | b'\n' => from += 1,
            b'#' => from = line_at(text, from).end,
            b'/' if b.get(from + 1) == Some(&b'/') => from = line_at(text, from).end,
            _ => break,
        }
    }
    from
}

/// Where a new block goes at the top of a file: after the comment that
/// heads it (a licence, say) and the blank lines after that, but before a
/// comment that sits on the code below it. A file that starts with code
/// gets it at the start.
pub fn after_header_comment(text: &str) -> usize {
    let b = text.as_bytes();
    let blank = |at: usize| text[line_at(text, at)].trim().is_empty();
    let comment = |at: usize| {
        let l = text[line_at(text, at)].trim_start();
        l.starts_with('#') || l.starts_with("//")
    };
    let next_line = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut at = 0;
    while at < b.len() && blank(at) {
        at = next_line(at);
    }
    let start = at;
    if text[at..].trim_start().starts_with("/*") {
        let open = at + (text[at..].len() - text[at..].trim_start().len());
        match text[open..].find("*/") {
            Some(i) => at = next_line(open + i),
            None => return 0,
        }
    } else {
        while at < b.len() && comment(at) {
            at = next_line(at);
        }
    }
    if at == start || at >= b.len() {
        // No heading comment, or nothing but comments.
        return if at >= b.len() { text.len() } else { 0 };
    }
    // The heading comment must end at a blank line; else it belongs to
    // the code under it.
    if !blank(at) {
        return 0;
    }
    while at < b.len() && blank(at) {
        at = next_line(at);
    }
    at
}

/// The blanks that start the line `at` is on.
pub fn indent_of(text: &str, at: usize) -> &str {
    let start = line_at(text, at).start;
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The line `at` is on, without its line break.
pub fn line_at(text: &str, at: usize) -> std::ops::Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end
}

/// The range that removes the lines `span` covers, line breaks included,
/// when nothing else is on them; `None` when other text shares a line.
pub fn whole_lines(text: &str, span: &Span) -> Option<std::ops::Range<usize>> {
    let r = &span.range;
    let first = line_at(text, r.start);
    let last = line_at(text, r.end.max(r.start));
    if !text[first.start..r.start].trim().is_empty() {
        return None;
    }
    // What follows on the last line may be only blanks or a comment.
    let tail = text[r.end..last.end].trim();
    if !(tail.is_empty() || tail.starts_with('#') || tail.starts_with("//")) {
        return None;
    }
    let end = text[last.end..]
        .find('\n')
        .map_or(text.len(), |i| last.end + i + 1);
    Some(first.start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, r: Vec<Replace>) -> String {
        replaced(text, r)
    }

    #[test]
    fn a_first_item_takes_the_next_items_indent_and_alignment() {
        let t = "x = {\n    version = \"~> 5.0\"\n  }\n";
        let at = first_item(t, 4, "source", "\"hashicorp/aws\"", false).unwrap();
        assert_eq!(
            apply(t, at),
            "x = {\n    source  = \"hashicorp/aws\"\n    version = \"~> 5.0\"\n  }\n"
        );
    }

    #[test]
    fn on_one_line_the_item_takes_a_comma() {
        let t = "x = { version = \"~> 5.0\" }";
        let at = first_item(t, 4, "source", "\"a/b\"", false).unwrap();
        assert_eq!(
            apply(t, at),
            "x = { source = \"a/b\", version = \"~> 5.0\" }"
        );
        let j = "{\"version\": \"1\"}";
        let at = first_item(j, 0, "source", "\"a/b\"", true).unwrap();
        assert_eq!(apply(j, at), "{\"source\": \"a/b\", \"version\": \"1\"}");
    }

    #[test]
    fn json_lines_take_a_comma_and_no_alignment() {
        let j = "{\n      \"version\": \"1\"\n    }";
        let at = first_item(j, 0, "source", "\"a/b\"", true).unwrap();
        assert_eq!(
            apply(j, at),
            "{\n      \"source\": \"a/b\",\n      \"version\": \"1\"\n    }"
        );
    }

    #[test]
    fn an_empty_body_gets_the_item_and_comments_are_skipped() {
        assert_eq!(
            apply("x = {}", first_item("x = {}", 4, "a", "1", false).unwrap()),
            "x = { a = 1 }"
        );
        let t = "x = { # note\n  b = 2\n}";
        assert_eq!(
            apply(t, first_item(t, 4, "a", "1", false).unwrap()),
            "x = { # note\n  a = 1\n  b = 2\n}"
        );
    }

    #[test]
    fn a_new_block_goes_under_the_heading_comment() {
        let t = "/**\n * Licence\n */\n\n# about the provider\nprovider \"a\" {}\n";
        assert_eq!(
            &t[after_header_comment(t)..],
            "# about the provider\nprovider \"a\" {}\n"
        );
        let t = "# Copyright\n# Licence\n\nresource \"a\" \"b\" {}\n";
        assert_eq!(&t[after_header_comment(t)..], "resource \"a\" \"b\" {}\n");
        assert_eq!(after_header_comment("x = 1\n"), 0);
        // A comment on the code under it is not a heading.
        assert_eq!(
            after_header_comment("# the bucket\nresource \"a\" \"b\" {}\n"),
            0
        );
        assert_eq!(after_header_comment("# only\n"), 7);
    }

    fn replaced(text: &str, mut r: Vec<Replace>) -> String {
        r.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        let mut t = text.to_string();
        for (range, s) in r {
            t.replace_range(range, &s);
        }
        t
    }

    #[test]
    fn a_longer_name_realigns_the_run_it_joins() {
        let t = "x {\n  a   = 1\n  bcd = 2\n  e {}\n}\n";
        let r = first_item(t, 2, "longer", "0", false).unwrap();
        assert_eq!(
            replaced(t, r),
            "x {\n  longer = 0\n  a      = 1\n  bcd    = 2\n  e {}\n}\n"
        );
    }

    #[test]
    fn removing_the_longest_line_realigns_the_rest() {
        let t = "p {\n  region  = \"a\"\n  version = \"1\"\n  alias   = \"b\"\n}\n";
        let v = t.find("  version").unwrap();
        let r = remove_lines(t, &Span::new(crate::source::file_id(0), v + 2..v + 15)).unwrap();
        assert_eq!(
            replaced(t, r),
            "p {\n  region = \"a\"\n  alias  = \"b\"\n}\n"
        );
    }

    #[test]
    fn removing_what_separates_two_runs_aligns_them_as_one() {
        let t = "a = 1\n# note\nlonger = 2\n";
        let r = remove_range(t, 6..13);
        assert_eq!(replaced(t, r), "a      = 1\nlonger = 2\n");
        // A multi-line value is no part of a run.
        let t = "a = 1\ntags = {\n  x = 1\n}\nlonger = 2\n";
        let r = remove_range(t, 0..6);
        assert_eq!(replaced(t, r), "tags = {\n  x = 1\n}\nlonger = 2\n");
    }

    #[test]
    fn a_first_block_takes_the_next_items_indent() {
        let t = "terraform {\n  backend \"s3\" {}\n}\n";
        let r = first_block(t, 10, "required_providers", "aws = 1").unwrap();
        assert_eq!(
            replaced(t, r),
            "terraform {\n  required_providers {\n    aws = 1\n  }\n  backend \"s3\" {}\n}\n"
        );
        let t = "terraform {}\n";
        let r = first_block(t, 10, "required_providers", "aws = 1").unwrap();
        assert_eq!(
            replaced(t, r),
            "terraform {\n  required_providers {\n    aws = 1\n  }\n}\n"
        );
    }

    #[test]
    fn a_json_member_goes_with_one_comma() {
        let t = "{\n  \"a\": 1,\n  \"b\": 2\n}\n";
        let a = t.find("\"a\"").unwrap();
        assert_eq!(
            replaced(t, remove_json_member(t, a..a + 6)),
            "{\n  \"b\": 2\n}\n"
        );
        let b = t.find("\"b\"").unwrap();
        assert_eq!(
            replaced(t, remove_json_member(t, b..b + 6)),
            "{\n  \"a\": 1\n}\n"
        );
        let t = "{\"a\": 1, \"b\": {\"c\": 3}}";
        let a = t.find("\"a\"").unwrap();
        assert_eq!(
            replaced(t, remove_json_member(t, a..a + 6)),
            "{\"b\": {\"c\": 3}}"
        );
        let b = t.find("\"b\"").unwrap();
        assert_eq!(
            replaced(t, remove_json_member(t, b..t.len() - 1)),
            "{\"a\": 1}"
        );
        let t = "{\n  \"only\": 1\n}";
        let o = t.find("\"only\"").unwrap();
        assert_eq!(replaced(t, remove_json_member(t, o..o + 9)), "{\n}");
    }

    #[test]
    fn an_item_after_another_joins_its_run() {
        let t = "module \"a\" {\n  source = \"x/y/z\"\n  count  = 1\n}\n";
        let r = item_after(t, t.find("  source").unwrap(), "version", "\"~> 5.1\"").unwrap();
        assert_eq!(
            replaced(t, r),
            "module \"a\" {\n  source  = \"x/y/z\"\n  version = \"~> 5.1\"\n  count   = 1\n}\n"
        );
    }

    #[test]
    fn whole_lines_go_with_their_breaks_only_when_alone() {
        let t = "a = 1\n  b = 2 # x\nc = 3\n";
        let b = t.find('b').unwrap();
        let r = whole_lines(t, &Span::new(crate::source::file_id(0), b..b + 5)).unwrap();
        assert_eq!(&t[r], "  b = 2 # x\n");
        let t2 = "a = 1; b = 2\n";
        let b = t2.find('b').unwrap();
        assert_eq!(
            whole_lines(t2, &Span::new(crate::source::file_id(0), b..b + 5)),
            None
        );
        let crlf = "a = 1\r\nb = 2\r\n";
        let r = whole_lines(crlf, &Span::new(crate::source::file_id(0), 0..5)).unwrap();
        assert_eq!(&crlf[r], "a = 1\r\n");
    }
}
