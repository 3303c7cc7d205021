//! Small helpers over hcl-edit's syntax tree, shared by the model, the lock
//! file reader and the configuration reader.

use crate::source::{FileId, Span};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::Element;
use hcl_edit::Span as _;
use std::ops::Range;

/// A string value with the span of the expression it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// The byte range of anything with a span, or an empty range at 0.
pub fn range_of(node: &impl hcl_edit::Span) -> Range<usize> {
    node.span().unwrap_or(0..0)
}

/// The span of a block's header: its identifier and labels, which is where
/// a finding about the whole block should point.
pub fn header_range(block: &Block) -> Range<usize> {
    let start = block.ident.span().map(|r| r.start).unwrap_or(0);
    let end = block
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| block.ident.span())
        .map(|r| r.end)
        .unwrap_or(start);
    start..end
}

/// The value of a string literal, or of a template with no interpolation
/// or directive (which is what `"abc"` with an escape can parse as).
pub fn literal_str(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                match el {
                    Element::Literal(l) => out.push_str(l.value()),
                    _ => return None,
                }
            }
            Some(out)
        }
        Expression::Parenthesis(p) => literal_str(p.inner()),
        _ => None,
    }
}

/// A literal string attribute as a [`Str`].
pub fn str_attr(body: &Body, key: &str, file: FileId) -> Option<Result<Str, Span>> {
    let attr = body.get_attribute(key)?;
    let span = Span::new(file, range_of(&attr.value));
    Some(match literal_str(&attr.value) {
        Some(value) => Ok(Str { value, span }),
        None => Err(span),
    })
}

/// The name of an object key: an identifier or a literal string.
pub fn object_key_name(key: &ObjectKey) -> Option<String> {
    match key {
        ObjectKey::Ident(i) => Some(i.as_str().to_string()),
        ObjectKey::Expression(e) => literal_str(e).or_else(|| match e {
            Expression::Variable(v) => Some(v.as_str().to_string()),
            _ => None,
        }),
    }
}

/// The items of an array literal of strings.
pub fn string_list(expr: &Expression) -> Option<Vec<(String, Range<usize>)>> {
    match expr {
        Expression::Array(a) => a
            .iter()
            .map(|e| literal_str(e).map(|s| (s, range_of(e))))
            .collect(),
        _ => None,
    }
}

/// Every block directly in a body, in order.
pub fn blocks(body: &Body) -> impl Iterator<Item = &Block> {
    body.iter().filter_map(Structure::as_block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(s: &str) -> Expression {
        hcl_edit::parser::parse_expr(s).unwrap()
    }

    #[test]
    fn literal_strings() {
        assert_eq!(literal_str(&expr("\"abc\"")), Some("abc".into()));
        assert_eq!(literal_str(&expr("\"a\\\"b\"")), Some("a\"b".into()));
        assert_eq!(literal_str(&expr("\"a${b}\"")), None);
        assert_eq!(literal_str(&expr("var.x")), None);
    }

    #[test]
    fn header_covers_ident_and_labels() {
        let text = "resource \"aws_s3_bucket\" \"b\" {\n  x = 1\n}\n";
        let body = hcl_edit::parser::parse_body(text).unwrap();
        let block = blocks(&body).next().unwrap();
        assert_eq!(
            &text[header_range(block)],
            "resource \"aws_s3_bucket\" \"b\""
        );
    }
}
