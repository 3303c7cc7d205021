//! Repairs of constraint strings that Terraform rejects but that can be
//! read only one way: a missing comma between conditions (`>= 5.0 < 6.0`),
//! `=>` or `=<` for `>=` or `<=`, a `v` before a version, more than one
//! blank after an operator, a tab or a no-break space for a space, and
//! stray commas. What the syntax vectors recorded from Terraform show to
//! be refused, and no more: `~1.2`, `^1.2` or `1.x` mean different things
//! in different tools, so they are left for a person.
//!
//! A repair changes only the characters that must change, and is offered
//! only when the result parses.

use super::Kind;

/// One piece of a constraint string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Op,
    Version,
    Comma,
}

/// The repaired string, when `input` does not parse as a `kind`
/// constraint and exactly one reading of it does.
pub fn repair(kind: Kind, input: &str) -> Option<String> {
    if super::parse(kind, input).is_ok() {
        return None;
    }
    // Blanks Terraform refuses, made plain spaces first: tabs, no-break
    // spaces and other Unicode spaces, but not line breaks, which a
    // constraint may end with.
    let spaced: String = input
        .chars()
        .map(|c| match c {
            '\t' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    let toks = tokens(&spaced)?;
    let mut out = String::with_capacity(spaced.len() + 2);
    let mut last_kept: Option<Tok> = None;
    let mut i = 0;
    // The text before the first token, as written.
    let mut pos = 0;
    while i < toks.len() {
        let (tok, range) = toks[i].clone();
        let gap = &spaced[pos..range.start];
        match tok {
            Tok::Comma => {
                // A comma stays between two conditions; one that separates
                // nothing goes, with the blanks before it (at the start,
                // they stay).
                let condition_follows = toks.get(i + 1).is_some_and(|(t, _)| *t != Tok::Comma);
                if last_kept == Some(Tok::Version) && condition_follows {
                    out.push_str(gap);
                    out.push(',');
                    last_kept = Some(Tok::Comma);
                } else if last_kept.is_none() {
                    out.push_str(gap);
                }
            }
            Tok::Op => {
                if last_kept == Some(Tok::Version) {
                    // A condition after another with no comma between.
                    out.push(',');
                }
                out.push_str(gap);
                out.push_str(match &spaced[range.clone()] {
                    "=>" => ">=",
                    "=<" => "<=",
                    op => op,
                });
                // The version follows after exactly one blank, or none.
                let (t, vrange) = toks.get(i + 1)?.clone();
                if t != Tok::Version {
                    return None;
                }
                let between = &spaced[range.end..vrange.start];
                if !between.is_empty() {
                    out.push(' ');
                }
                out.push_str(version_text(&spaced[vrange.clone()]));
                last_kept = Some(Tok::Version);
                pos = vrange.end;
                i += 2;
                continue;
            }
            Tok::Version => {
                // A bare version after another is ambiguous (`1.0 2.0`).
                if last_kept == Some(Tok::Version) {
                    return None;
                }
                out.push_str(gap);
                out.push_str(version_text(&spaced[range.clone()]));
                last_kept = Some(Tok::Version);
            }
        }
        pos = range.end;
        i += 1;
    }
    // What follows the last token, as written.
    out.push_str(&spaced[pos..]);
    if out == input {
        return None;
    }
    super::parse(kind, &out).is_ok().then_some(out)
}

/// A version token without a `v` or `V` before its first digit.
fn version_text(v: &str) -> &str {
    match v.as_bytes() {
        [b'v' | b'V', d, ..] if d.is_ascii_digit() => &v[1..],
        _ => v,
    }
}

/// The tokens of a constraint string with their byte ranges; `None` for a
/// character no constraint has.
fn tokens(s: &str) -> Option<Vec<(Tok, std::ops::Range<usize>)>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\n' | b'\r' => i += 1,
            b',' => {
                out.push((Tok::Comma, i..i + 1));
                i += 1;
            }
            b'>' | b'<' | b'=' | b'!' | b'~' => {
                let two = s.get(i..i + 2).unwrap_or("");
                let len = match two {
                    ">=" | "<=" | "!=" | "~>" | "=>" | "=<" => 2,
                    _ if matches!(b[i], b'>' | b'<' | b'=') => 1,
                    _ => return None,
                };
                out.push((Tok::Op, i..i + len));
                i += len;
            }
            c if c.is_ascii_alphanumeric() => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b"-.+".contains(&b[i])) {
                    i += 1;
                }
                out.push((Tok::Version, start..i));
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_has_one_reading_is_repaired_in_place() {
        for (input, want) in [
            (">= 5.0 < 6.0", ">= 5.0, < 6.0"),
            (">=5.0 <6.0", ">=5.0, <6.0"),
            ("=> 1", ">= 1"),
            ("=< 1", "<= 1"),
            ("v1.0", "1.0"),
            ("= v1.0", "= 1.0"),
            (">= v1.0", ">= 1.0"),
            ("~> v1.2", "~> 1.2"),
            (">=  1.0", ">= 1.0"),
            (">=\t1.0", ">= 1.0"),
            ("1.2.3,", "1.2.3"),
            ("1.0, ", "1.0 "),
            (",1.0", "1.0"),
            ("1.0,,2.0", "1.0,2.0"),
            ("1.0 ,, 2.0", "1.0, 2.0"),
            (">= 1.0,\u{a0}< 2", ">= 1.0, < 2"),
            ("\u{a0}1.0", " 1.0"),
            (">= 1.0, =v2", ">= 1.0, =2"),
            ("=> 5.0 < 6.0", ">= 5.0, < 6.0"),
        ] {
            assert_eq!(
                repair(Kind::Provider, input).as_deref(),
                Some(want),
                "{input:?}"
            );
        }
    }

    #[test]
    fn what_reads_more_than_one_way_is_left_alone() {
        for input in [
            "~1.2",
            "^1.2",
            "1.x",
            "1.*",
            "*",
            "1.0 2.0",
            "1.0  2.0",
            ">= 1.0 beta",
            "1.2.3.4",
            ">=",
            "~>",
            "",
            " ",
            "a",
            "1.0 v2",
            "==1.0",
            "<>1.0",
            "1.2.",
            "≥ 1.0",
            "1.2.3 - 1.2.4",
            "1.0 || 2.0",
            ">= 1.0 v",
        ] {
            assert_eq!(repair(Kind::Provider, input), None, "{input:?}");
        }
    }

    #[test]
    fn a_valid_constraint_needs_no_repair() {
        assert_eq!(repair(Kind::Provider, ">= 5.0, < 6.0"), None);
        assert_eq!(repair(Kind::Core, "~> 1.9"), None);
    }

    #[test]
    fn a_repair_must_parse_for_its_kind() {
        assert_eq!(
            repair(Kind::Core, ">= 1.5 < 2.0").as_deref(),
            Some(">= 1.5, < 2.0")
        );
        assert_eq!(repair(Kind::Module, "=> 5.1").as_deref(), Some(">= 5.1"));
    }

    /// Every string the recorded vectors say Terraform refuses either stays
    /// refused or is repaired into one it accepts; none is repaired into
    /// another refused string.
    #[test]
    fn repairs_of_the_recorded_vectors_parse() {
        let text = include_str!("../../tests/data/constraint/provider_syntax.tsv");
        let mut repaired = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(raw), Some(verdict)) = (fields.next(), fields.next()) else {
                continue;
            };
            let input = raw
                .replace("\\t", "\t")
                .replace("\\n", "\n")
                .replace("\\r", "\r")
                .replace("\\v", "\u{b}")
                .replace("\\\\", "\\");
            match (verdict, repair(Kind::Provider, &input)) {
                ("valid", r) => assert_eq!(r, None, "{input:?} is valid"),
                (_, Some(r)) => {
                    assert!(super::super::parse(Kind::Provider, &r).is_ok(), "{r:?}");
                    repaired += 1;
                }
                _ => {}
            }
        }
        assert!(repaired >= 15, "only {repaired} repairs");
    }
}
