//! Text Terraform accepts but hcl-edit rejects, and how the parser gets
//! through it while keeping every span true to the original text.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Body;
use hcl_edit::Span;
use tfpin::parse::{parse_body, RepairKind};
use tfpin::source::{LineCol, SourceFile};

fn value<'a>(body: &'a Body, name: &str) -> &'a Expression {
    &body
        .get_attribute(name)
        .unwrap_or_else(|| panic!("no attribute {name}"))
        .value
}

/// The attribute's span must start where `name = ` is in the original text.
fn assert_attribute_at(text: &str, body: &Body, name: &str, line: usize) {
    let attr = body.get_attribute(name).unwrap();
    let span = attr.span().unwrap();
    let needle = format!("\n{name} = ");
    let expected = text.find(&needle).unwrap() + 1;
    assert_eq!(span.start, expected, "span of {name}");
    assert_eq!(&text[span.clone()][..name.len()], name);
    let file = SourceFile::new("t.tf".into(), text.to_string());
    assert_eq!(file.line_col(span.start), LineCol { line, column: 1 });
}

fn object_entries(expr: &Expression) -> Vec<(String, String)> {
    let Expression::Object(object) = expr else {
        panic!("not an object: {expr:?}");
    };
    object
        .iter()
        .map(|(k, v)| {
            let key = match k {
                ObjectKey::Ident(ident) => ident.to_string(),
                ObjectKey::Expression(e) => e.to_string().trim().to_string(),
            };
            (key, v.expr().to_string().trim().to_string())
        })
        .collect()
}

fn kinds(repairs: &[tfpin::parse::Repair]) -> Vec<RepairKind> {
    repairs.iter().map(|r| r.kind).collect()
}

#[test]
fn hcl_edit_alone_rejects_the_fixtures() {
    // If hcl-edit starts accepting these, the repairs are no longer needed.
    for text in [
        "a = { k = 1, k = 2 }\n",
        "a = { for s in l : s =>\n  s == \"p\"\n  ? 1\n  : 2\n}\n",
    ] {
        assert!(hcl_edit::parser::parse_body(text).is_err(), "{text}");
    }
}

#[test]
fn repeated_object_key_keeps_the_last_value() {
    let text = "a = { k = 1, j = 0, k = 2 }\nb = 3\n";
    let parsed = parse_body(text).unwrap();
    assert_eq!(
        object_entries(value(&parsed.body, "a")),
        vec![("j".into(), "0".into()), ("k".into(), "2".into())]
    );
    assert_eq!(parsed.repairs.len(), 1);
    assert_eq!(parsed.repairs[0].kind, RepairKind::DuplicateObjectKey);
    assert_eq!(&text[parsed.repairs[0].range.clone()], "k = 1,");
    assert_attribute_at(text, &parsed.body, "b", 2);
}

#[test]
fn repeated_keys_on_separate_lines_with_comments_and_nested_values() {
    let text = "\
locals {
  x = {
    name = \"first\" # replaced below
    other = [
      1,
      2,
    ]
    \"quoted\" = 1
    name = {
      inner = true
    }
    \"quoted\" = 2
    name = \"third\"
  }
}
after = 1
";
    let parsed = parse_body(text).unwrap();
    let locals = parsed.body.blocks().next().unwrap();
    let x = &locals.body.get_attribute("x").unwrap().value;
    assert_eq!(
        object_entries(x),
        vec![
            ("other".into(), "[\n      1,\n      2,\n    ]".into()),
            ("\"quoted\"".into(), "2".into()),
            ("name".into(), "\"third\"".into()),
        ]
    );
    assert!(kinds(&parsed.repairs)
        .iter()
        .all(|k| *k == RepairKind::DuplicateObjectKey));
    // Line breaks inside dropped items are kept, so every later line is
    // where it was.
    assert_attribute_at(text, &parsed.body, "after", 16);
    for repair in &parsed.repairs {
        let dropped = &text[repair.range.clone()];
        assert!(dropped.starts_with("name") || dropped.starts_with("\"quoted\""));
    }
}

#[test]
fn keys_differing_only_in_spacing_are_the_same_key() {
    let text = "a = { (var.x) = 1, ( var.x ) = 2 }\n";
    let parsed = parse_body(text).unwrap();
    let entries = object_entries(value(&parsed.body, "a"));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].1, "2");
}

#[test]
fn ident_and_string_keys_are_different_keys_to_hcl_edit() {
    // Terraform would treat these as one key; hcl-edit keeps both, and
    // there is nothing to repair.
    let parsed = parse_body("a = { k = 1, \"k\" = 2 }\n").unwrap();
    assert!(parsed.repairs.is_empty());
    assert_eq!(object_entries(value(&parsed.body, "a")).len(), 2);
}

#[test]
fn repeated_key_inside_string_interpolation() {
    let text = "a = \"${jsonencode({ k = 1, k = 2 })}\"\nb = 1\n";
    let parsed = parse_body(text).unwrap();
    assert_eq!(kinds(&parsed.repairs), vec![RepairKind::DuplicateObjectKey]);
    assert_eq!(&text[parsed.repairs[0].range.clone()], "k = 1,");
    assert_attribute_at(text, &parsed.body, "b", 2);
}

#[test]
fn repeated_attribute_in_a_block_is_still_an_error() {
    // Terraform rejects this too ("Attribute redefined").
    let text = "resource \"x\" \"y\" {\n  a = 1\n  a = 2\n}\n";
    let failure = parse_body(text).unwrap_err();
    assert_eq!(failure.message, "argument `a` is set more than once");
    assert_eq!(failure.offset, text.rfind("a = 2").unwrap());
}

#[test]
fn for_object_value_over_several_lines() {
    let text = "\
a = { for s in [\"p\", \"q\"] : s =>
  s == \"p\"
  ? 1
  : 2
}
b = 2
";
    let parsed = parse_body(text).unwrap();
    assert!(!parsed.repairs.is_empty());
    assert!(kinds(&parsed.repairs)
        .iter()
        .all(|k| *k == RepairKind::ForExpressionLineBreak));
    for repair in &parsed.repairs {
        assert_eq!(&text[repair.range.clone()], "\n");
    }
    assert!(matches!(value(&parsed.body, "a"), Expression::ForExpr(_)));
    assert_attribute_at(text, &parsed.body, "b", 6);
}

#[test]
fn for_object_with_crlf_line_endings() {
    let text = "a = { for s in l : s =>\r\n  c\r\n  ? 1\r\n  : 2\r\n}\r\nb = 2\r\n";
    let parsed = parse_body(text).unwrap();
    for repair in &parsed.repairs {
        assert_eq!(&text[repair.range.clone()], "\r\n");
    }
    assert_attribute_at(text, &parsed.body, "b", 6);
}

#[test]
fn nested_plain_object_keeps_its_line_breaks() {
    // Inside the for expression's value, a plain object's items are
    // separated by line breaks; those must not become spaces.
    let text = "\
a = {
  for k, v in m : k =>
  v.enabled
  ? {
    x = 1
    y = 2
  }
  : {}
}
";
    let parsed = parse_body(text).unwrap();
    let Expression::ForExpr(for_expr) = value(&parsed.body, "a") else {
        panic!("not a for expression");
    };
    let Expression::Conditional(cond) = &for_expr.value_expr else {
        panic!("not a conditional: {:?}", for_expr.value_expr);
    };
    assert_eq!(object_entries(&cond.true_expr).len(), 2);
    for repair in &parsed.repairs {
        let line = text[..repair.range.start].matches('\n').count() + 1;
        // Lines 5 and 6 end items of the nested object.
        assert!(line != 5 && line != 6, "line {line}");
    }
}

#[test]
fn strings_heredocs_and_block_comments_in_for_objects_are_untouched() {
    let text = "\
a = { for k in l : k =>
  k == \"# not a comment\"
  ? <<-EOT
    keep
    these lines
  EOT
  : /* a block
       comment */ \"x\"
}
";
    let parsed = parse_body(text).unwrap();
    for repair in &parsed.repairs {
        assert_eq!(repair.kind, RepairKind::ForExpressionLineBreak);
        assert!(
            repair.range.start < text.find("? <<-EOT").unwrap()
                || repair.range.start >= text.find("  EOT").unwrap()
        );
        assert!(!(text.find("/*").unwrap()..text.find("*/").unwrap()).contains(&repair.range.start));
    }
    let Expression::ForExpr(for_expr) = value(&parsed.body, "a") else {
        panic!("not a for expression");
    };
    let Expression::Conditional(cond) = &for_expr.value_expr else {
        panic!("not a conditional");
    };
    let Expression::HeredocTemplate(heredoc) = &cond.true_expr else {
        panic!("not a heredoc");
    };
    assert!(heredoc.template.to_string().contains("keep\n"));
}

#[test]
fn line_comment_inside_a_for_object_value() {
    let text = "\
a = { for k in l : k =>
  k == \"x\" # why
  ? 1
  : 2
}
b = 1
";
    let parsed = parse_body(text).unwrap();
    assert!(kinds(&parsed.repairs).contains(&RepairKind::ForExpressionComment));
    let comment = parsed
        .repairs
        .iter()
        .find(|r| r.kind == RepairKind::ForExpressionComment)
        .unwrap();
    assert_eq!(&text[comment.range.clone()], "# why\n");
    assert_attribute_at(text, &parsed.body, "b", 6);
}

#[test]
fn comments_where_hcl_edit_accepts_them_are_kept() {
    let text = "a = { for k in l : # c\n  k => k # d\n}\n";
    let parsed = parse_body(text).unwrap();
    assert!(parsed.repairs.is_empty());
    assert!(parsed.body.to_string().contains("# c"));
}

#[test]
fn for_list_collection_over_several_lines() {
    let text = "a = [for x in c\n  ? l\n  : m : x]\nb = 1\n";
    assert!(hcl_edit::parser::parse_body(text).is_err());
    let parsed = parse_body(text).unwrap();
    assert!(!parsed.repairs.is_empty());
    assert_attribute_at(text, &parsed.body, "b", 4);
}

#[test]
fn both_gaps_in_one_file_and_many_of_them() {
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "a{i} = {{ k = 1, k = {i} }}\nf{i} = {{ for s in l : s =>\n  c\n  ? 1\n  : 2\n}}\n"
        ));
    }
    text.push_str("last = 1\n");
    let parsed = parse_body(&text).unwrap();
    assert_eq!(
        object_entries(value(&parsed.body, "a39")),
        vec![("k".into(), "39".into())]
    );
    assert_attribute_at(&text, &parsed.body, "last", 241);
}

#[test]
fn repairs_do_not_make_invalid_text_valid() {
    // Each is rejected by `terraform fmt` as well.
    for text in [
        // Two values with nothing between them, even without the line break.
        "a = { for s in l : s => a\n b }\n",
        // Plain object items cannot continue on the next line.
        "a = { k = x\n ? 1 : 2 }\n",
        // A repeated key whose earlier value is itself broken.
        "a = { k = , k = 2 }\n",
        // A for expression that never ends.
        "a = { for s in l : s =>\n c\n ? 1\n",
    ] {
        let failure = parse_body(text).unwrap_err();
        assert!(failure.offset <= text.len());
        assert!(!failure.kind.is_limitation(), "{text:?}: {failure:?}");
    }
}

#[test]
fn byte_order_mark_is_read_as_whitespace_without_moving_spans() {
    let text = "\u{feff}a = 1\nb = 2\n";
    let parsed = parse_body(text).unwrap();
    assert_eq!(kinds(&parsed.repairs), vec![RepairKind::ByteOrderMark]);
    assert_eq!(parsed.repairs[0].range, 0..3);
    assert_eq!(
        parsed
            .body
            .get_attribute("a")
            .unwrap()
            .span()
            .unwrap()
            .start,
        3
    );
    assert_attribute_at(text, &parsed.body, "b", 2);
}

#[test]
fn byte_order_mark_elsewhere_is_an_error() {
    // Terraform: "Invalid character".
    let text = "a = 1\n\u{feff}b = 2\n";
    let failure = parse_body(text).unwrap_err();
    assert_eq!(failure.offset, 6);
    assert_eq!(failure.message, "unexpected byte order mark (U+FEFF)");
}
