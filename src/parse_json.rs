//! Parsing JSON configuration files (`.tf.json`, `.tofu.json`) into
//! jsonc-parser's syntax tree, whose ranges are byte offsets into the text.
//!
//! Terraform reads these files with HCL's JSON parser, which takes plain
//! JSON: no comments, no trailing or missing commas, no unquoted property
//! names, single quotes or JSON5 numbers. jsonc-parser accepts all of those
//! by default, so each is turned off here. What the file means (block
//! types, labels, templates in strings) is read by `model::read::json`.

use crate::parse::{FailureKind, ParseFailure};
use jsonc_parser::ast::Value;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseOptions};

/// Parses `text` as strict JSON. The root must be an object, or an array
/// of objects (which HCL reads as the objects' properties in order).
pub fn parse(text: &str) -> Result<Value<'_>, ParseFailure> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = std::panic::catch_unwind(|| {
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options)
    })
    .map_err(|_| ParseFailure {
        offset: 0,
        message: "invalid JSON: the parser failed on this file".to_string(),
        kind: FailureKind::Internal,
    })?;
    let value = match parsed {
        Ok(p) => p.value,
        Err(e) => {
            let kind = match e.kind() {
                ParseErrorKind::NestingDepthExceeded => FailureKind::NestingLimit,
                _ => FailureKind::Syntax,
            };
            return Err(ParseFailure {
                offset: e.range().start,
                message: format!("invalid JSON: {}", lowercase_first(&e.kind().to_string())),
                kind,
            });
        }
    };
    let Some(value) = value else {
        return Err(ParseFailure {
            offset: text.len(),
            message: "invalid JSON: the file holds no value; a configuration file in JSON \
                      syntax is one object"
                .to_string(),
            kind: FailureKind::Syntax,
        });
    };
    let is_body = match &value {
        Value::Object(_) => true,
        Value::Array(a) => a.elements.iter().all(|e| matches!(e, Value::Object(_))),
        _ => false,
    };
    if !is_body {
        return Err(ParseFailure {
            offset: jsonc_parser::common::Ranged::start(&value),
            message: "a configuration file in JSON syntax must hold an object, whose \
                      properties are block types"
                .to_string(),
            kind: FailureKind::Syntax,
        });
    }
    Ok(value)
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(text: &str) -> ParseFailure {
        match parse(text) {
            Ok(_) => panic!("{text:?} parsed"),
            Err(f) => f,
        }
    }

    #[test]
    fn only_strict_json_is_accepted() {
        for text in [
            "{\"a\": 1, }",
            "{\"a\": 1 // c\n}",
            "{/* c */ \"a\": 1}",
            "{a: 1}",
            "{\"a\": 'x'}",
            "{\"a\": 0x10}",
            "{\"a\": +1}",
            "{\"a\": .5}",
            "{\"a\": NaN}",
            "{\"a\": 1 \"b\": 2}",
            "{\"a\": \"\\x41\"}",
        ] {
            assert_eq!(failure(text).kind, FailureKind::Syntax, "{text}");
        }
        assert!(parse("{\"a\": [1, 2.5e3, -0.1, true, null, \"\\u00e9\"]}").is_ok());
        assert!(parse("[{\"a\": 1}, {\"b\": 2}]").is_ok());
    }

    #[test]
    fn failures_point_at_the_offending_token() {
        let f = failure("{\n  \"a\": 1,\n}");
        assert_eq!(f.offset, 10, "the trailing comma");
        assert!(f.message.starts_with("invalid JSON: "), "{}", f.message);
        assert!(f.message.chars().nth(14).unwrap().is_lowercase());
        let f = failure("{\"a\": 1} 2");
        assert_eq!(f.offset, 9);
    }

    #[test]
    fn the_root_must_be_a_body() {
        assert_eq!(failure("").offset, 0);
        assert_eq!(failure("  \n").offset, 3);
        assert_eq!(failure("  \"x\"").offset, 2);
        assert_eq!(failure("[{}, 1]").offset, 0);
    }

    #[test]
    fn deep_nesting_is_a_limit_not_a_crash() {
        let text = format!("{{\"a\": {}{}}}", "[".repeat(2000), "]".repeat(2000));
        let f = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || failure(&text))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(f.kind, FailureKind::NestingLimit);
    }
}
