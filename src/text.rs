//! Small text helpers shared by the rules, the catalogs and the outputs.

use std::borrow::Cow;

/// The Levenshtein distance between two strings, counted in characters.
pub use strsim::levenshtein as edit_distance;

/// Rewrites `\n`, `\t` and other control characters as escapes; most
/// strings have none and are left as they are.
pub fn escape_controls(s: &mut String) {
    if has_control(s) {
        *s = escaped(s);
    }
}

/// A string from the tree as it can be shown on a terminal or in a file a
/// person reads: control characters written as escapes (`\u{1b}`), so a
/// value can neither break a line nor drive the terminal.
pub fn visible(s: &str) -> Cow<'_, str> {
    if has_control(s) {
        Cow::Owned(escaped(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// Text that may run over several lines, as it can be shown: like
/// [`visible`], but line feeds are kept.
pub fn visible_lines(s: &str) -> Cow<'_, str> {
    visible_except(s, &['\n'])
}

/// Like [`visible`], but the characters in `keep` (line breaks, say) are
/// written as they are.
pub fn visible_except<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    let shown = |c: char| !keep.contains(&c) && (c.is_control() || is_bidi_control(c));
    if !has_control(s) || !s.chars().any(shown) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(i) = rest.find(keep) {
        out.push_str(&visible(&rest[..i]));
        let kept = rest[i..].chars().next().unwrap_or_default();
        out.push(kept);
        rest = &rest[i + kept.len_utf8()..];
    }
    out.push_str(&visible(rest));
    Cow::Owned(out)
}

/// Whether a character changes the order in which text around it is
/// shown: the bidirectional embeddings, overrides and isolates that
/// Trojan Source (CVE-2021-42574) hides code with, and the marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Whether `s` has a control character (`char::is_control`: U+0000 to
/// U+001F and U+007F to U+009F) or a bidirectional control. Every such
/// character's UTF-8 has a byte below 0x20, 0x7F, or the lead byte 0xC2,
/// 0xD8 or 0xE2, so a vectorised pass over the bytes settles most strings;
/// only one with such a lead byte is decoded.
fn has_control(s: &str) -> bool {
    let maybe = s.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == 0x7f) | (b == 0xc2) | (b == 0xd8) | (b == 0xe2)
    });
    maybe && s.chars().any(|c| c.is_control() || is_bidi_control(c))
}

fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("useast1", "useast1"), 0);
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut s = String::from("a\nb\tc\u{7}");
        escape_controls(&mut s);
        assert_eq!(s, "a\\nb\\tc\\u{7}");
        let mut s = String::from("plain");
        escape_controls(&mut s);
        assert_eq!(s, "plain");
        assert!(matches!(visible("plain"), Cow::Borrowed("plain")));
        assert_eq!(
            visible("c1 \u{85} del \u{7f} © µ"),
            "c1 \\u{85} del \\u{7f} © µ"
        );
        assert_eq!(visible("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(visible("a\u{202e}b\u{2066}"), "a\\u{202e}b\\u{2066}");
        assert_eq!(visible_lines("one\ntwo\u{1b}"), "one\ntwo\\u{1b}");
        assert!(matches!(visible_lines("a — b\nc"), Cow::Borrowed(_)));
        assert_eq!(
            visible_except("a\r\nb\u{7}\r", &['\r', '\n']),
            "a\r\nb\\u{7}\r"
        );
    }

    proptest::proptest! {
        #[test]
        fn the_byte_pass_finds_every_control_character(s in "\\PC*|\\PC*[\\x00-\\x1f\\x7f-\\u{a0}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{61c}]\\PC*") {
            proptest::prop_assert_eq!(has_control(&s), s.chars().any(|c| c.is_control() || is_bidi_control(c)));
        }
    }
}
