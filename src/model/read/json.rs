//! The JSON syntax's view, as HCL's JSON syntax (and so Terraform) reads
//! a `.tf.json` file:
//!
//! - a body is an object, or a list of objects whose properties are read
//!   in order; a property named `"//"` in a body is a comment;
//! - a block type's value is an object whose keys are its first label,
//!   nested once per label (so the schema says how many), and the value at
//!   the innermost label is the block's body, or a list of bodies for
//!   several blocks with the same labels;
//! - a string where an expression goes is a template (`"${var.region}"`,
//!   `"eu-${var.x}"`); where Terraform reads a reference or a type
//!   (`"provider": "aws.west"`, `"type": "list(string)"`) it holds an
//!   expression in native syntax;
//! - numbers, booleans, null, lists and objects are those values; the keys
//!   of an object value are templates too.
//!
//! Spans are byte ranges in the file. Inside a string the parts of a
//! template or expression get their exact ranges when the string has no
//! escapes (its text is the value); otherwise each gets the whole string's.

use super::{Item, Schema, Shape};
use crate::eval::ast::{self, Ast, Key, Kind, Part, Placement};
use crate::eval::VarType;
use crate::model::module::{ModuleConfig, ProviderFunctionCall};
use crate::source::FileId;
use jsonc_parser::ast::{ObjectProp, ObjectPropName, StringLit, Value as Json};
use jsonc_parser::common::Ranged;
use std::ops::Range;

/// How deeply a converted value may nest before the rest becomes
/// [`Kind::Unknown`]; as for native expressions, the evaluator gives up
/// well before.
const MAX_DEPTH: usize = 256;

/// A body: an object, or a list of objects.
#[derive(Clone, Copy)]
pub struct Body<'a> {
    value: &'a Json<'a>,
    text: &'a str,
}

#[derive(Clone, Copy)]
pub struct Attr<'a> {
    prop: &'a ObjectProp<'a>,
    text: &'a str,
}

/// One block a property stands for: its type, its labels (the keys the
/// property nests) and one body.
pub struct Block<'a> {
    ident: &'a str,
    ident_range: Range<usize>,
    labels: Vec<&'a str>,
    header: Range<usize>,
    range: Range<usize>,
    body: Body<'a>,
}

#[derive(Clone, Copy)]
pub struct Value<'a> {
    value: &'a Json<'a>,
    text: &'a str,
}

fn range(node: &impl Ranged) -> Range<usize> {
    let r = node.range();
    r.start..r.end
}

fn name_of<'a>(prop: &'a ObjectProp<'a>) -> &'a str {
    prop.name.as_str()
}

/// The properties of an object, or of each object in a list, in order.
fn properties<'a>(value: &'a Json<'a>) -> impl Iterator<Item = &'a ObjectProp<'a>> + 'a {
    let (object, list) = match value {
        Json::Object(o) => (Some(o), None),
        Json::Array(a) => (None, Some(a)),
        _ => (None, None),
    };
    let in_list = list
        .into_iter()
        .flat_map(|a| a.elements.iter())
        .filter_map(Json::as_object);
    object
        .into_iter()
        .chain(in_list)
        .flat_map(|o| o.properties.iter())
}

/// Whether a value can be the body of blocks: an object, or a non-empty
/// list of objects.
fn is_bodies(value: &Json<'_>) -> bool {
    match value {
        Json::Object(_) => true,
        Json::Array(a) => {
            !a.elements.is_empty() && a.elements.iter().all(|e| matches!(e, Json::Object(_)))
        }
        _ => false,
    }
}

impl<'a> super::Body<'a> for Body<'a> {
    type Value = Value<'a>;
    type Attr = Attr<'a>;
    type Block = Block<'a>;

    fn items(self, schema: Schema) -> impl Iterator<Item = Item<Attr<'a>, Block<'a>>> + 'a {
        let mut out = Vec::new();
        for prop in properties(self.value) {
            let name = name_of(prop);
            if name == "//" {
                continue;
            }
            let shape = match schema(name) {
                Shape::Auto if is_bodies(&prop.value) => Shape::Block(0),
                Shape::Auto => Shape::Attr,
                s => s,
            };
            match shape {
                Shape::Block(labels) => {
                    let mut found = Vec::new();
                    let key = range(&prop.name);
                    let start = Unpack {
                        ident: name,
                        ident_range: key.clone(),
                        text: self.text,
                    };
                    start.blocks(&prop.value, labels, key, &mut Vec::new(), &mut found);
                    out.extend(found.into_iter().map(Item::Block));
                }
                _ => out.push(Item::Attr(Attr {
                    prop,
                    text: self.text,
                })),
            }
        }
        out.into_iter()
    }
}

/// The blocks of one block-type property.
struct Unpack<'a> {
    ident: &'a str,
    ident_range: Range<usize>,
    text: &'a str,
}

impl<'a> Unpack<'a> {
    /// The blocks in `value`, with `left` labels still to read; `key` is
    /// the range of the key `value` belongs to.
    fn blocks(
        &self,
        value: &'a Json<'a>,
        left: u8,
        key: Range<usize>,
        labels: &mut Vec<&'a str>,
        out: &mut Vec<Block<'a>>,
    ) {
        if left > 0 {
            for prop in properties(value) {
                let name = name_of(prop);
                if name == "//" {
                    continue;
                }
                labels.push(name);
                self.blocks(&prop.value, left - 1, range(&prop.name), labels, out);
                labels.pop();
            }
            return;
        }
        let block = |body: &'a Json<'a>, header: Range<usize>, whole: Range<usize>| Block {
            ident: self.ident,
            ident_range: self.ident_range.clone(),
            labels: labels.clone(),
            header,
            range: whole,
            body: Body {
                value: body,
                text: self.text,
            },
        };
        match value {
            Json::Object(o) => out.push(block(value, key.clone(), key.start..o.range.end)),
            // Several blocks with the same labels: each is found at the
            // start of its own object.
            Json::Array(a) => {
                for e in a.elements.iter().filter(|e| matches!(e, Json::Object(_))) {
                    let r = range(e);
                    out.push(block(e, r.start..r.start + 1, r));
                }
            }
            _ => {}
        }
    }
}

impl<'a> super::Attr<'a> for Attr<'a> {
    type Value = Value<'a>;

    fn key(&self) -> &'a str {
        name_of(self.prop)
    }

    fn key_range(&self) -> Range<usize> {
        range(&self.prop.name)
    }

    fn range(&self) -> Range<usize> {
        range(self.prop)
    }

    fn value(&self) -> Value<'a> {
        Value {
            value: &self.prop.value,
            text: self.text,
        }
    }
}

impl<'a> super::Block<'a> for Block<'a> {
    type Body = Body<'a>;

    fn ident(&self) -> &'a str {
        self.ident
    }

    fn label(&self, i: usize) -> Option<&'a str> {
        self.labels.get(i).copied()
    }

    fn ident_range(&self) -> Range<usize> {
        self.ident_range.clone()
    }

    fn header_range(&self) -> Range<usize> {
        self.header.clone()
    }

    fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    fn body(&self) -> Body<'a> {
        self.body
    }
}

impl<'a> super::Value<'a> for Value<'a> {
    fn range(self) -> Range<usize> {
        range(self.value)
    }

    fn ast(self) -> Ast {
        convert(self.value, self.text, Mode::Template, 0)
    }

    fn expr_ast(self) -> Ast {
        convert(self.value, self.text, Mode::Expression, 0)
    }

    fn literal_str(self) -> Option<String> {
        match self.value {
            Json::StringLit(s) => string(s, self.text, Mode::Template).literal_str(),
            _ => None,
        }
    }

    fn entries(self) -> Option<impl Iterator<Item = (Option<String>, Range<usize>, Self)> + 'a> {
        let text = self.text;
        match self.value {
            Json::Object(o) => Some(o.properties.iter().map(move |p| {
                let name = name_of(p);
                let literal = !is_template(name);
                let value = Value {
                    value: &p.value,
                    text,
                };
                (literal.then(|| name.to_string()), range(&p.name), value)
            })),
            _ => None,
        }
    }

    fn items(self) -> Option<impl Iterator<Item = Self> + 'a> {
        let text = self.text;
        match self.value {
            Json::Array(a) => Some(a.elements.iter().map(move |value| Value { value, text })),
            _ => None,
        }
    }

    /// Terraform reads a JSON `type` string as a type expression.
    fn var_type(self, file: FileId, name: &str) -> VarType {
        let Json::StringLit(s) = self.value else {
            return VarType::INVALID;
        };
        match crate::parse::parse_expression(&s.value) {
            Some(e) => {
                let at = Placing::of(s, self.text).placement();
                VarType::parse_placed(Some(&e), file, name, at)
            }
            None => VarType::INVALID,
        }
    }
}

/// How a string is read.
#[derive(Clone, Copy)]
enum Mode {
    Template,
    /// An expression in native syntax.
    Expression,
}

/// Whether a string has template syntax in it; one without is its own
/// value.
fn is_template(s: &str) -> bool {
    s.contains("${") || s.contains("%{")
}

fn convert(value: &Json<'_>, text: &str, mode: Mode, depth: usize) -> Ast {
    let r = range(value);
    if depth >= MAX_DEPTH {
        return Ast::at(Kind::Unknown, r);
    }
    let kind = match value {
        Json::StringLit(s) => return string(s, text, mode),
        Json::NumberLit(n) => ast::json_number(n.value),
        Json::BooleanLit(b) => Kind::Bool(b.value),
        Json::NullKeyword(_) => Kind::Null,
        Json::Array(a) => Kind::Array(
            a.elements
                .iter()
                .map(|e| convert(e, text, mode, depth + 1))
                .collect(),
        ),
        Json::Object(o) => Kind::Object(
            o.properties
                .iter()
                .map(|p| {
                    let key = match &p.name {
                        ObjectPropName::String(s) => string(s, text, mode),
                        ObjectPropName::Word(w) => Ast::at(Kind::String(w.value.into()), range(w)),
                    };
                    (Key::Expr(key), convert(&p.value, text, mode, depth + 1))
                })
                .collect(),
        ),
    };
    Ast::at(kind, r)
}

/// Where the parts of an expression parsed from a string's value go in
/// the file.
struct Placing {
    /// The whole string, quotes included.
    whole: Range<usize>,
    /// The value is the text between the quotes, byte for byte.
    verbatim: bool,
}

impl Placing {
    fn of(s: &StringLit<'_>, text: &str) -> Placing {
        let whole = range(s);
        let inner = text.get(whole.start + 1..whole.end.saturating_sub(1));
        Placing {
            verbatim: inner == Some(&*s.value),
            whole,
        }
    }

    /// Spans that are offsets into the value go where the value is in the
    /// file, or to the whole string when the value is not its text.
    fn placement(&self) -> Placement {
        match self.verbatim {
            true => Placement::at(self.whole.start + 1),
            false => Placement::whole(self.whole.clone()),
        }
    }
}

fn string(s: &StringLit<'_>, text: &str, mode: Mode) -> Ast {
    let placing = Placing::of(s, text);
    let value: &str = &s.value;
    if let Mode::Expression = mode {
        if let Some(e) = crate::parse::parse_expression(value) {
            return Ast::placed(&e, placing.placement());
        }
    }
    if !is_template(value) {
        return Ast::at(Kind::String(value.into()), placing.whole);
    }
    // Terraform would report a template that does not parse when it reads
    // the argument; here its value is not known.
    let Some(t) = crate::parse::parse_template(value) else {
        return Ast::at(Kind::Unknown, placing.whole);
    };
    let mut parts = Vec::from(ast::template_parts(&t, placing.placement()));
    // A template that is one interpolation is the expression itself, as
    // Terraform evaluates it: `"${var.region}"` reads as `var.region`.
    if let [Part::Interpolation(_)] = parts.as_slice() {
        if let Some(Part::Interpolation(e)) = parts.pop() {
            return e;
        }
    }
    if parts.iter().all(|p| matches!(p, Part::Literal(_))) {
        let mut out = String::new();
        for p in &parts {
            if let Part::Literal(l) = p {
                out.push_str(l);
            }
        }
        return Ast::at(Kind::String(out.into()), placing.whole);
    }
    Ast::at(Kind::Template(parts.into()), placing.whole)
}

/// The model of one JSON configuration file, `root` being its parsed
/// text; see [`super::hcl::file_part`] for `may_call_functions`.
pub fn file_part(
    file: FileId,
    text: &str,
    root: &Json<'_>,
    may_call_functions: bool,
) -> ModuleConfig {
    let mut part = super::file_part(file, Body { value: root, text });
    if may_call_functions {
        part.provider_functions = provider_functions(file, text, root);
    }
    part
}

/// Where the top level of a JSON configuration file has a shape that HCL's
/// JSON syntax cannot read as the blocks it names: a block type whose value
/// is not an object of labels, a label whose value is not an object, or a
/// body that is neither an object nor a list of objects. Terraform rejects
/// the file ("Incorrect JSON value type"); tfpin says where, and reads the
/// rest of the file as well as it can.
pub fn shape_problems(root: &Json<'_>) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for prop in properties(root) {
        let name = name_of(prop);
        if let Shape::Block(labels) = super::file_schema(name) {
            check_block(name, &prop.value, labels, &mut out);
        }
    }
    out
}

/// Checks the value of a `name` block property with `left` labels to go.
fn check_block(name: &str, value: &Json<'_>, left: u8, out: &mut Vec<(Range<usize>, String)>) {
    let kind = |v: &Json<'_>| match v {
        Json::StringLit(_) => "a string",
        Json::NumberLit(_) => "a number",
        Json::BooleanLit(_) => "a boolean",
        Json::NullKeyword(_) => "null",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    };
    if left > 0 {
        let Json::Object(o) = value else {
            out.push((
                range(value),
                format!(
                    "`{name}` in JSON syntax takes an object whose keys are its labels, not {}",
                    kind(value)
                ),
            ));
            return;
        };
        for p in o.properties.iter().filter(|p| name_of(p) != "//") {
            check_block(name, &p.value, left - 1, out);
        }
        return;
    }
    let bad = match value {
        Json::Object(_) => None,
        Json::Array(a) => a.elements.iter().find(|e| !matches!(e, Json::Object(_))),
        other => Some(other),
    };
    if let Some(v) = bad {
        out.push((
            range(v),
            format!(
                "the body of a `{name}` block in JSON syntax is an object (or a list of objects), not {}",
                kind(v)
            ),
        ));
    }
}

/// The provider function calls in every string of the file that can hold
/// one, read as templates.
fn provider_functions(file: FileId, text: &str, root: &Json<'_>) -> Vec<ProviderFunctionCall> {
    let mut out = Vec::new();
    let mut strings: Vec<&StringLit<'_>> = Vec::new();
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v {
            Json::StringLit(s) => strings.push(s),
            Json::Array(a) => stack.extend(a.elements.iter().rev()),
            Json::Object(o) => {
                for p in o.properties.iter().rev() {
                    stack.push(&p.value);
                }
                for p in &o.properties {
                    if let ObjectPropName::String(s) = &p.name {
                        strings.push(s);
                    }
                }
            }
            _ => {}
        }
    }
    strings.sort_by_key(|s| s.range.start);
    for s in strings {
        if !super::may_call_provider_functions(&s.value) {
            continue;
        }
        let Some(t) = crate::parse::parse_template(&s.value) else {
            continue;
        };
        let placing = Placing::of(s, text);
        let found =
            super::hcl::provider_functions(file, |f| hcl_edit::visit::Visit::visit_template(f, &t));
        out.extend(found.into_iter().map(|mut call| {
            call.span.range = match placing.verbatim {
                true => {
                    let by = placing.whole.start + 1;
                    call.span.range.start + by..call.span.range.end + by
                }
                false => placing.whole.clone(),
            };
            call
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::eval::ast::{Kind, Part};
    use crate::model::module::*;
    use crate::source::FileId;

    fn model(text: &str) -> ModuleConfig {
        let root = crate::parse_json::parse(text).expect("test JSON parses");
        super::file_part(FileId(0), text, &root, true)
    }

    /// The text a range covers.
    fn at(text: &str, r: std::ops::Range<usize>) -> &str {
        &text[r]
    }

    /// Any JSON value built from the names and strings that matter to the
    /// reader, as text.
    fn any_json() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let names = proptest::sample::select(vec![
            "terraform",
            "provider",
            "resource",
            "data",
            "module",
            "variable",
            "locals",
            "output",
            "check",
            "moved",
            "import",
            "required_providers",
            "backend",
            "aws",
            "aws_s3_bucket",
            "b",
            "//",
            "alias",
            "region",
            "source",
            "version",
            "providers",
            "type",
            "default",
            "dynamic",
            "content",
            "for_each",
            "count",
            "replica",
            "configuration_aliases",
            "from",
            "to",
            "${var.k}",
        ]);
        let strings = proptest::sample::select(vec![
            "",
            "x",
            "aws.west",
            "${var.x}",
            "eu-${var.x}",
            "${",
            "%{ if x }a%{ endif }",
            "list(string)",
            "object({ a = optional(string, \"d\") })",
            "q\"${var.y}",
            "${provider::aws::f(1)}",
            "$${x}",
            "aws.by[each.key]",
            "~> 5.0",
            "\u{e9}\n${var.z}",
        ]);
        let leaf = prop_oneof![
            strings.prop_map(|s| serde_json::Value::String(s.to_string())),
            any::<bool>().prop_map(serde_json::Value::Bool),
            (-5i64..5).prop_map(|n| serde_json::json!(n)),
            Just(serde_json::Value::Null),
        ];
        let keys = names.clone();
        let value = leaf.prop_recursive(6, 64, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                proptest::collection::vec((keys.clone(), inner), 0..5).prop_map(|props| {
                    serde_json::Value::Object(
                        props.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                    )
                }),
            ]
        });
        // The root is an object, as a configuration file's is.
        proptest::collection::vec((names, value), 0..6).prop_map(|props| {
            let root: serde_json::Map<String, serde_json::Value> =
                props.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            serde_json::to_string_pretty(&root).unwrap()
        })
    }

    proptest::proptest! {
        // Whatever shape a JSON file has, reading it ends, and every span
        // the model keeps is inside the file.
        #[test]
        fn any_json_reads_without_panics_and_spans_stay_in_the_file(text in any_json()) {
            let root = crate::parse_json::parse(&text);
            proptest::prop_assert!(root.is_ok(), "{text}");
            if let Ok(root) = root {
                let mut m = super::file_part(FileId(0), &text, &root, true);
                let len = text.len();
                let mut spans = Vec::new();
                for p in &m.provider_configs {
                    spans.push(p.header.range.clone());
                    for (_, e) in &p.content.attrs {
                        e.ast.visit(&mut |n| spans.extend(n.span()));
                    }
                }
                for r in &m.resources {
                    spans.push(r.header.range.clone());
                }
                for l in &m.locals {
                    spans.push(l.span.range.clone());
                    l.expr.ast.visit(&mut |n| spans.extend(n.span()));
                }
                for f in &m.provider_functions {
                    spans.push(f.span.range.clone());
                }
                for s in spans {
                    proptest::prop_assert!(s.start <= s.end && s.end <= len, "{s:?} in {len}");
                }
                m.finalize();
                m.release_unread();
            }
        }
    }

    #[test]
    fn labels_nest_once_per_label_and_lists_are_several_blocks() {
        let text = r#"{
  "provider": {
    "aws": [
      {"region": "us-east-1"},
      {"alias": "west", "region": "us-west-2"}
    ]
  },
  "resource": {
    "aws_s3_bucket": {
      "logs": {"bucket": "a"},
      "data": [{"bucket": "b"}]
    },
    "aws_sqs_queue": {"q": {}}
  },
  "data": {"aws_region": {"current": {}}}
}"#;
        let m = model(text);
        let refs: Vec<String> = m.provider_configs.iter().map(|p| p.reference()).collect();
        assert_eq!(refs, ["aws", "aws.west"]);
        // Each of a list of bodies is found at the start of its object.
        let headers: Vec<&str> = m
            .provider_configs
            .iter()
            .map(|p| at(text, p.header.range.clone()))
            .collect();
        assert_eq!(headers, ["{", "{"]);
        assert_eq!(
            m.provider_configs[1]
                .region()
                .unwrap()
                .literal_str()
                .unwrap(),
            "us-west-2"
        );
        let addrs: Vec<String> = m.resources.iter().map(|r| r.address()).collect();
        assert_eq!(
            addrs,
            [
                "aws_s3_bucket.logs",
                "aws_s3_bucket.data",
                "aws_sqs_queue.q",
                "data.aws_region.current"
            ]
        );
        // A single body is found at its innermost label.
        assert_eq!(at(text, m.resources[0].header.range.clone()), "\"logs\"");
        assert_eq!(at(text, m.resources[2].header.range.clone()), "\"q\"");
    }

    #[test]
    fn bodies_and_labels_may_be_lists_of_objects() {
        let text = r#"[
  {"terraform": [{"required_version": ">= 1.5"}, {"required_version": "< 2.0"}]},
  {"variable": [{"a": {}}, {"b": {"default": 1}}]}
]"#;
        let m = model(text);
        let versions: Vec<String> = m
            .required_version
            .iter()
            .map(|v| v.as_ref().unwrap().value.clone())
            .collect();
        assert_eq!(versions, [">= 1.5", "< 2.0"]);
        assert_eq!(m.terraform_blocks.len(), 2);
        let names: Vec<&str> = m.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn double_slash_properties_are_comments() {
        let text = r#"{
  "//": "generated",
  "provider": {"//": "not a provider", "aws": {"//": "x", "region": "eu-west-1"}},
  "locals": {"//": "nor a local", "a": 1},
  "resource": {"aws_s3_bucket": {"//": {"x": {}}, "b": {"region": "eu-west-1"}}}
}"#;
        let m = model(text);
        assert_eq!(m.provider_configs.len(), 1);
        let keys: Vec<&str> = m.provider_configs[0]
            .content
            .attrs
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["region"]);
        let locals: Vec<&str> = m.locals.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(locals, ["a"]);
        assert_eq!(m.resources.len(), 1);
    }

    #[test]
    fn strings_are_templates_with_exact_spans() {
        let text = r#"{"provider": {"aws": {"region": "${var.region}", "alias": "eu-${var.x}-${local.y}"}}}"#;
        let m = model(text);
        let content = &m.provider_configs[0].content;
        // One interpolation is the expression itself.
        let region = content.attr("region").unwrap();
        assert!(matches!(region.ast.kind, Kind::Traversal(_)), "{region:?}");
        assert_eq!(at(text, region.ast.range()), "var.region");
        let alias = content.attr("alias").unwrap();
        let Kind::Template(parts) = &alias.ast.kind else {
            panic!("{alias:?}")
        };
        assert_eq!(at(text, alias.ast.range()), "\"eu-${var.x}-${local.y}\"");
        assert_eq!(parts[0], Part::Literal("eu-".into()));
        let Part::Interpolation(x) = &parts[1] else {
            panic!("{parts:?}")
        };
        assert_eq!(at(text, x.range()), "var.x");
        let Part::Interpolation(y) = &parts[3] else {
            panic!("{parts:?}")
        };
        assert_eq!(at(text, y.range()), "local.y");
        let mut refs = Vec::new();
        alias
            .ast
            .visit_named_refs(&mut |root, name| refs.push(format!("{root}.{name}")));
        assert_eq!(refs, ["var.x", "local.y"]);
    }

    #[test]
    fn escaped_strings_give_their_parts_the_whole_string() {
        let text = r#"{"locals": {"a": "q\"${var.x}", "b": "\u0041", "c": "$${not}"}}"#;
        let m = model(text);
        let a = &m.locals[0].expr;
        let Kind::Template(parts) = &a.ast.kind else {
            panic!("{a:?}")
        };
        assert_eq!(parts[0], Part::Literal("q\"".into()));
        let Part::Interpolation(x) = &parts[1] else {
            panic!("{parts:?}")
        };
        assert_eq!(at(text, x.range()), r#""q\"${var.x}""#);
        assert_eq!(m.locals[1].expr.literal_str().as_deref(), Some("A"));
        // `$${` is a literal `${`.
        assert_eq!(m.locals[2].expr.literal_str().as_deref(), Some("${not}"));
    }

    #[test]
    fn values_of_every_json_type() {
        let text = r#"{"locals": {"n": 1.5, "t": true, "z": null, "l": [1, "a"], "o": {"k": "${var.v}"}}}"#;
        let m = model(text);
        let kind = |i: usize| &m.locals[i].expr.ast.kind;
        assert_eq!(*kind(0), Kind::Number(Some(1.5)));
        assert_eq!(*kind(1), Kind::Bool(true));
        assert_eq!(*kind(2), Kind::Null);
        let Kind::Array(items) = kind(3) else {
            panic!()
        };
        assert_eq!(items[1].kind, Kind::String("a".into()));
        assert_eq!(at(text, items[1].range()), "\"a\"");
        let Kind::Object(entries) = kind(4) else {
            panic!()
        };
        assert_eq!(
            at(text, m.locals[4].expr.ast.range()),
            r#"{"k": "${var.v}"}"#
        );
        assert!(matches!(entries[0].1.kind, Kind::Traversal(_)));
        assert_eq!(at(text, m.locals[4].span.range.clone()), "\"o\"");
    }

    #[test]
    fn references_are_read_as_expressions() {
        let text = r#"{
  "terraform": {"required_providers": {"aws": {
    "source": "hashicorp/aws", "version": "~> 5.0",
    "configuration_aliases": ["aws.west", "aws.east"]
  }}},
  "resource": {"aws_s3_bucket": {"b": {"provider": "aws.west", "depends_on": ["aws_sqs_queue.q"]}}},
  "module": {"m": {"source": "./m", "providers": {"aws.dst": "aws.west", "aws": "aws"}}},
  "moved": [{"from": "aws_instance.a", "to": "aws_instance.b[0]"}],
  "import": {"to": "aws_instance.c", "id": "i-1", "provider": "aws.east"}
}"#;
        let m = model(text);
        let aws = &m.required_providers[0];
        assert!(!aws.legacy);
        let aliases: Vec<String> = aws
            .configuration_aliases
            .iter()
            .map(|r| r.address())
            .collect();
        assert_eq!(aliases, ["aws.west", "aws.east"]);
        assert_eq!(
            at(text, aws.configuration_aliases[0].span.range.clone()),
            "aws.west"
        );
        let p = m.resources[0].provider.as_ref().unwrap();
        assert_eq!(p.address(), "aws.west");
        assert_eq!(at(text, p.span.range.clone()), "aws.west");
        let deps = m.resources[0]
            .content
            .attrs
            .iter()
            .find(|(k, _)| k == "depends_on");
        // `depends_on` is not kept from resources: nothing reads it.
        assert!(deps.is_none());
        let call = &m.module_calls[0];
        let first = &call.providers[0];
        assert_eq!(first.child.address(), "aws.dst");
        assert_eq!(first.parent.address(), "aws.west");
        assert_eq!(call.providers[1].child.address(), "aws");
        assert_eq!(
            at(text, call.providers[0].child.span.range.clone()),
            "aws.dst"
        );
        let moved: Vec<&str> = m
            .state_resources
            .iter()
            .map(|r| r.type_name.as_str())
            .collect();
        assert_eq!(moved, ["aws_instance", "aws_instance"]);
        assert_eq!(m.import_providers[0].address(), "aws.east");
    }

    #[test]
    fn a_keyed_provider_instance_is_a_reference() {
        let text = r#"{"resource": {"aws_s3_bucket": {"b": {"for_each": {"a": 1}, "provider": "aws.by_region[each.key]"}}}}"#;
        let m = model(text);
        let p = m.resources[0].provider.as_ref().unwrap();
        assert_eq!(p.address(), "aws.by_region");
        // `for_each` is an argument even though its value is an object.
        assert!(m.resources[0].content.attr("for_each").is_some());
    }

    #[test]
    fn legacy_requirements_and_module_versions() {
        let text = r#"{
  "terraform": {"required_providers": {"random": "~> 3.0"}},
  "module": {"vpc": {"source": "terraform-aws-modules/vpc/aws", "version": "5.1.0", "count": "${var.n}", "name": "x"}}
}"#;
        let mut m = model(text);
        let random = &m.required_providers[0];
        assert!(random.legacy);
        assert_eq!(
            random.version.as_ref().unwrap().as_ref().unwrap().value,
            "~> 3.0"
        );
        assert_eq!(at(text, random.name_span.range.clone()), "\"random\"");
        m.finalize();
        let call = &m.module_calls[0];
        assert_eq!(
            call.version.as_ref().unwrap().as_ref().unwrap().value,
            "5.1.0"
        );
        assert!(call.has_count());
        let count = call.content.attr("count").unwrap();
        assert_eq!(at(text, count.ast.range()), "var.n");
    }

    #[test]
    fn variable_types_are_type_expressions() {
        let text = r#"{"variable": {
  "a": {"type": "list(string)"},
  "b": {"type": "string", "default": "x"},
  "c": {"type": {"not": "a string"}},
  "d": {"type": "object({ name = string })"}
}}"#;
        let m = model(text);
        let ty = |i: usize| format!("{:?}", m.variables[i].ty.as_ref().unwrap());
        assert!(ty(0).contains("List(String)"), "{}", ty(0));
        assert!(ty(0).contains("Expression"), "{}", ty(0));
        assert!(ty(1).contains("spec: String"), "{}", ty(1));
        assert!(ty(1).contains("Literal"), "{}", ty(1));
        assert!(ty(2).contains("Invalid"), "{}", ty(2));
        assert!(ty(3).contains("Object"), "{}", ty(3));
        assert_eq!(
            m.variables[1]
                .default
                .as_ref()
                .unwrap()
                .literal_str()
                .as_deref(),
            Some("x")
        );
    }

    #[test]
    fn nested_blocks_are_read_by_their_shape() {
        let text = r#"{"resource": {
  "aws_dynamodb_table": {"t": {
    "name": "t",
    "replica": [{"region_name": "eu-west-1"}, {"region_name": "${var.r}"}]
  }},
  "aws_cloudfront_distribution": {"d": {
    "dynamic": {"viewer_certificate": {"for_each": {"a": 1}, "content": {"acm_certificate_arn": "arn"}}}
  }}
}}"#;
        let m = model(text);
        let t = &m.resources[0].content;
        assert_eq!(t.blocks_of("replica").count(), 2);
        let regions = t.attrs_at(&["replica", "region_name"]);
        assert_eq!(regions[0].literal_str().as_deref(), Some("eu-west-1"));
        assert_eq!(at(text, regions[1].ast.range()), "var.r");
        let d = &m.resources[1].content;
        let arns = d.attrs_at(&["viewer_certificate", "acm_certificate_arn"]);
        assert_eq!(arns[0].literal_str().as_deref(), Some("arn"));
    }

    #[test]
    fn provider_functions_in_templates_are_found_where_written() {
        let text = r#"{"locals": {
  "a": "${provider::aws::arn_parse(var.arn).region}",
  "b": "x\n${provider::google::west::f(1)}"
}}"#;
        let m = model(text);
        let calls: Vec<(String, Option<String>, String)> = m
            .provider_functions
            .iter()
            .map(|c| (c.provider.clone(), c.alias.clone(), c.function.clone()))
            .collect();
        assert_eq!(
            calls,
            [
                ("aws".into(), None, "arn_parse".into()),
                ("google".into(), Some("west".into()), "f".into())
            ]
        );
        assert_eq!(
            at(text, m.provider_functions[0].span.range.clone()),
            "provider::aws::arn_parse(var.arn)"
        );
        assert_eq!(
            at(text, m.provider_functions[1].span.range.clone()),
            r#""x\n${provider::google::west::f(1)}""#
        );
    }

    #[test]
    fn terraform_block_parts() {
        let text = r#"{"terraform": {
  "backend": {"s3": {"bucket": "b"}},
  "provider_meta": {"aws": {"module_name": "m"}},
  "state_store": {"s": {"provider": {"aws": {}}}}
}, "check": {"c": {"data": {"aws_region": {"r": {"provider": "aws.west"}}}}}}"#;
        let m = model(text);
        assert_eq!(m.backend.as_ref().unwrap().kind, "s3");
        assert_eq!(
            at(text, m.backend.as_ref().unwrap().span.range.clone()),
            "\"s3\""
        );
        assert_eq!(m.provider_metas[0].name, "aws");
        assert_eq!(m.state_store_providers[0].name, "aws");
        assert_eq!(m.resources[0].address(), "data.aws_region.r");
        assert_eq!(
            m.resources[0].provider.as_ref().unwrap().address(),
            "aws.west"
        );
    }

    #[test]
    fn templates_that_do_not_parse_are_unknown() {
        let m = model(r#"{"locals": {"a": "${var.", "b": "%{ if }"}}"#);
        assert_eq!(m.locals[0].expr.ast.kind, Kind::Unknown);
        assert_eq!(m.locals[1].expr.ast.kind, Kind::Unknown);
    }
}
