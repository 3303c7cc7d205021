//! Escaping for the XML formats (JUnit, checkstyle).

/// Whether XML 1.0 allows a character at all: tab, line feed, carriage
/// return, and everything from U+0020 except U+FFFE and U+FFFF (Rust's
/// `char` already excludes surrogates).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Text content: `&`, `<` and `>` escaped, carriage returns kept as a
/// character reference (a parser would turn a raw one into a line feed),
/// characters XML cannot carry dropped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// An attribute value for double quotes: as [`text`], plus both quotes, and
/// tab, line feed and carriage return as character references, since a
/// parser turns raw ones into spaces.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(
            attr("a&b<c>\"d'\te\nf\r\u{0}\u{1b}\u{FFFF}g"),
            "a&amp;b&lt;c&gt;&quot;d&apos;&#9;e&#10;f&#13;g"
        );
        assert_eq!(text("<x>&\u{7}\n\r"), "&lt;x&gt;&amp;\n&#13;");
        assert_eq!(text("ü € 😀"), "ü € 😀");
    }
}
