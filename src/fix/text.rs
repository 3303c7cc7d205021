//! Where an edit goes in the text of a file, written so that a file
//! `terraform fmt` accepts stays accepted: new items take the indentation
//! and `=` alignment of the items beside them, and whole lines go with
//! their line breaks.

use crate::source::{FileId, SourceMap, Span};

/// Whether a file is in the JSON syntax (`.tf.json`, `.tofu.json`).
pub fn is_json(sources: &SourceMap, file: FileId) -> bool {
    sources.get(file).display.ends_with(".json")
}

/// An item `key = value` (JSON: `"key": value`) written as the first item
/// of the object or block whose `{` is at `open`: on a line of its own,
/// indented and aligned as the item after it, when the body spans lines;
/// else on the brace's line, with a comma after it (JSON, and HCL object
/// items on one line, need one). Returns where to insert, and what.
pub fn first_item(
    text: &str,
    open: usize,
    key: &str,
    value: &str,
    json: bool,
) -> Option<(usize, String)> {
    if text.as_bytes().get(open) != Some(&b'{') {
        return None;
    }
    let first = skip_blank(text, open + 1);
    let between = &text[open + 1..first];
    let closes = text[first..].starts_with('}');
    if closes {
        let item = item_text(key, value, json, 1);
        // An empty body: the item on the brace's line.
        return Some(if between.contains('\n') {
            let indent = indent_of(text, first);
            (first, format!("  {item}\n{indent}"))
        } else {
            (open + 1, format!(" {item} "))
        });
    }
    if between.contains('\n') {
        let indent = indent_of(text, first);
        let line = line_at(text, first);
        let pad = if json {
            1
        } else {
            // The `=` of the next item, when it is `name = ...`.
            let rest = &text[first..line.end];
            let name_len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(0);
            let after = &rest[name_len..];
            let blanks = after.len() - after.trim_start_matches(' ').len();
            if name_len > 0
                && after[blanks..].starts_with('=')
                && !after[blanks..].starts_with("==")
            {
                (name_len + blanks).saturating_sub(key.len()).max(1)
            } else {
                1
            }
        };
        let sep = if json { "," } else { "" };
        Some((
            first,
            format!("{}{sep}\n{indent}", item_text(key, value, json, pad)),
        ))
    } else {
        Some((first, format!("{}, ", item_text(key, value, json, 1))))
    }
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

    fn apply(text: &str, (at, s): (usize, String)) -> String {
        let mut t = text.to_string();
        t.insert_str(at, &s);
        t
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
