//! Variable type constraints: how string values from the command line are
//! read, and the conversion of a variable's value to its declared type.

use super::ast::Placement;
use super::{to_bool, to_number, to_string_value, Evaluator, Node, NodeVal, OriginKind};
use crate::source::FileId;
use hcl_edit::expr::{Expression, ObjectKey};
use std::collections::BTreeMap;

/// How Terraform reads a variable value given as a string with `-var` or a
/// `TF_VAR_` environment variable. Decided by the variable's `type`: a
/// primitive type (`string`, `number`, `bool`) or no type at all takes the
/// string literally (and converts it to the type); any other type,
/// including `any`, parses the string as an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsingMode {
    Literal,
    Expression,
}

impl ParsingMode {
    /// The parsing mode for a variable declared with `type_expr`.
    pub fn for_type(type_expr: Option<&Expression>) -> ParsingMode {
        let Some(expr) = type_expr else {
            return ParsingMode::Literal;
        };
        match expr {
            // The legacy quoted form: only "string" is literal.
            Expression::String(s) if s.value() == "string" => ParsingMode::Literal,
            Expression::Variable(v) => match v.value().as_str() {
                "string" | "number" | "bool" => ParsingMode::Literal,
                _ => ParsingMode::Expression,
            },
            Expression::Parenthesis(p) => ParsingMode::for_type(Some(p.inner())),
            _ => ParsingMode::Expression,
        }
    }
}

/// A variable's `type`, read once when the module is read: its parsed
/// constraint and how `-var` strings are read for it.
#[derive(Debug, Clone)]
pub struct VarType {
    pub(super) spec: TypeSpec,
    pub(super) mode: ParsingMode,
}

impl VarType {
    /// The `type` of variable `name` declared in `file`; `None` means no
    /// type, which is any type.
    pub fn parse(expr: Option<&Expression>, file: FileId, name: &str) -> VarType {
        VarType::parse_placed(expr, file, name, Placement::at(0))
    }

    /// Like [`VarType::parse`], for a type parsed from a piece of the file
    /// (a JSON string): `at` says where, for the spans of default values.
    pub fn parse_placed(
        expr: Option<&Expression>,
        file: FileId,
        name: &str,
        at: Placement,
    ) -> VarType {
        let site = Site { file, name, at };
        VarType {
            spec: expr.map_or(TypeSpec::Any, |e| parse_type(e, &site, 0)),
            mode: ParsingMode::for_type(expr),
        }
    }

    /// A `type` that is no type constraint at all (in JSON, a value that is
    /// not a string).
    pub const INVALID: VarType = VarType {
        spec: TypeSpec::Invalid,
        mode: ParsingMode::Expression,
    };

    /// No `type` argument: any type, read literally from `-var`.
    pub const ANY: VarType = VarType {
        spec: TypeSpec::Any,
        mode: ParsingMode::Literal,
    };
}

/// A parsed type constraint.
#[derive(Debug, Clone)]
pub(super) enum TypeSpec {
    Any,
    String,
    Number,
    Bool,
    List(Box<TypeSpec>),
    Set(Box<TypeSpec>),
    Map(Box<TypeSpec>),
    Object(BTreeMap<String, Attr>),
    Tuple(Vec<TypeSpec>),
    /// Not a valid type constraint.
    Invalid,
}

#[derive(Debug, Clone)]
pub(super) struct Attr {
    ty: TypeSpec,
    optional: bool,
    default: Option<Node>,
}

/// How deeply type constraints may nest.
const MAX_TYPE_DEPTH: usize = 32;

/// Where a type constraint was written: the variable's file and name, and
/// where in the file its text is.
struct Site<'a> {
    file: FileId,
    name: &'a str,
    at: Placement,
}

fn parse_type(e: &Expression, site: &Site<'_>, depth: usize) -> TypeSpec {
    if depth > MAX_TYPE_DEPTH {
        return TypeSpec::Invalid;
    }
    let inner = |e: &Expression| parse_type(e, site, depth + 1);
    match e {
        Expression::Parenthesis(p) => inner(p.inner()),
        Expression::Variable(v) => match v.value().as_str() {
            "string" => TypeSpec::String,
            "number" => TypeSpec::Number,
            "bool" => TypeSpec::Bool,
            "any" => TypeSpec::Any,
            "list" => TypeSpec::List(Box::new(TypeSpec::Any)),
            "map" => TypeSpec::Map(Box::new(TypeSpec::Any)),
            _ => TypeSpec::Invalid,
        },
        // Legacy quoted type hints.
        Expression::String(s) => match s.value().as_str() {
            "string" => TypeSpec::String,
            "list" => TypeSpec::List(Box::new(TypeSpec::Any)),
            "map" => TypeSpec::Map(Box::new(TypeSpec::Any)),
            _ => TypeSpec::Invalid,
        },
        Expression::FuncCall(call) if !call.name.is_namespaced() => {
            let args: Vec<&Expression> = call.args.iter().collect();
            match (call.name.name.value().as_str(), args.as_slice()) {
                ("list", [t]) => TypeSpec::List(Box::new(inner(t))),
                ("set", [t]) => TypeSpec::Set(Box::new(inner(t))),
                ("map", [t]) => TypeSpec::Map(Box::new(inner(t))),
                ("tuple", [Expression::Array(items)]) => {
                    TypeSpec::Tuple(items.iter().map(inner).collect())
                }
                ("object", [Expression::Object(attrs)]) => {
                    let mut out = BTreeMap::new();
                    for (k, v) in attrs.iter() {
                        let key = match k {
                            ObjectKey::Ident(id) => id.value().to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                            ObjectKey::Expression(Expression::Variable(id)) => {
                                id.value().to_string()
                            }
                            _ => return TypeSpec::Invalid,
                        };
                        out.insert(key, parse_attr(v.expr(), site, depth + 1));
                    }
                    TypeSpec::Object(out)
                }
                _ => TypeSpec::Invalid,
            }
        }
        _ => TypeSpec::Invalid,
    }
}

fn parse_attr(e: &Expression, site: &Site<'_>, depth: usize) -> Attr {
    if let Expression::FuncCall(call) = e {
        if !call.name.is_namespaced() && call.name.name.value().as_str() == "optional" {
            let args: Vec<&Expression> = call.args.iter().collect();
            let (ty, default) = match args.as_slice() {
                [t] => (parse_type(t, site, depth + 1), None),
                [t, d] => {
                    let ty = parse_type(t, site, depth + 1);
                    let kind = OriginKind::VariableDefault {
                        name: site.name.to_string(),
                    };
                    let mut ev = Evaluator::new(None, site.file, kind);
                    let default = convert(ev.eval(&super::Ast::placed(d, site.at)), &ty);
                    (ty, Some(default))
                }
                _ => (TypeSpec::Invalid, None),
            };
            return Attr {
                ty,
                optional: true,
                default,
            };
        }
    }
    Attr {
        ty: parse_type(e, site, depth),
        optional: false,
        default: None,
    }
}

/// Converts `node` to type `ty` as Terraform converts a variable's value.
/// A value that does not convert is unknown.
pub(super) fn convert(node: Node, ty: &TypeSpec) -> Node {
    convert_at(node, ty, 0)
}

fn convert_at(node: Node, ty: &TypeSpec, depth: usize) -> Node {
    if depth > MAX_TYPE_DEPTH {
        return Node::unknown();
    }
    if matches!(node.val, NodeVal::Unknown | NodeVal::Null) {
        return node;
    }
    let with = |node: Node, val: NodeVal| Node { val, ..node };
    match ty {
        TypeSpec::Any => node,
        TypeSpec::Invalid => Node::unknown(),
        TypeSpec::String => match to_string_value(&node) {
            Some(s) => with(node, NodeVal::String(s)),
            None => Node::unknown(),
        },
        TypeSpec::Number => match to_number(&node) {
            Some(n) => with(node, NodeVal::Number(n)),
            None => Node::unknown(),
        },
        TypeSpec::Bool => match to_bool(&node) {
            Some(b) => with(node, NodeVal::Bool(b)),
            None => Node::unknown(),
        },
        TypeSpec::List(elem) => {
            let Node {
                val, origin, via, ..
            } = node;
            let NodeVal::List(items) = val else {
                return Node::unknown();
            };
            let Some(items) = convert_elements(items, elem, depth) else {
                return Node::unknown();
            };
            Node {
                via,
                ..Node::list(items, origin)
            }
        }
        TypeSpec::Set(elem) => {
            let Node {
                val, origin, via, ..
            } = node;
            let NodeVal::List(items) = val else {
                return Node::unknown();
            };
            let Some(mut items) = convert_elements(items, elem, depth) else {
                return Node::unknown();
            };
            // Sets of strings iterate in lexical order; other sets are not
            // ordered in a way known here.
            let mut keyed = Vec::with_capacity(items.len());
            for item in items.drain(..) {
                match &item.val {
                    NodeVal::String(s) => keyed.push((s.clone(), item)),
                    _ => return Node::unknown(),
                }
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            keyed.dedup_by(|a, b| a.0 == b.0);
            let items = keyed.into_iter().map(|(_, n)| n).collect();
            Node {
                via,
                ..Node::list(items, origin)
            }
        }
        TypeSpec::Map(elem) => {
            let Node {
                val, origin, via, ..
            } = node;
            let NodeVal::Map(items) = val else {
                return Node::unknown();
            };
            let (keys, values): (Vec<String>, Vec<Node>) = items.into_iter().unzip();
            let Some(values) = convert_elements(values, elem, depth) else {
                return Node::unknown();
            };
            let items = keys.into_iter().zip(values).collect();
            Node {
                via,
                ..Node::map(items, origin)
            }
        }
        TypeSpec::Object(attrs) => {
            let Node {
                val, origin, via, ..
            } = node;
            let NodeVal::Map(mut items) = val else {
                return Node::unknown();
            };
            let mut out = BTreeMap::new();
            for (name, attr) in attrs {
                let value = match items.remove(name) {
                    Some(v) if matches!(v.val, NodeVal::Null) && attr.optional => {
                        attr.default.clone().unwrap_or(v)
                    }
                    Some(v) => convert_at(v, &attr.ty, depth + 1),
                    None if attr.optional => attr
                        .default
                        .clone()
                        .unwrap_or_else(|| Node::leaf(NodeVal::Null, origin.clone())),
                    // A required attribute is missing.
                    None => return Node::unknown(),
                };
                out.insert(name.clone(), value);
            }
            Node {
                via,
                ..Node::map(out, origin)
            }
        }
        TypeSpec::Tuple(types) => {
            let Node {
                val, origin, via, ..
            } = node;
            let NodeVal::List(items) = val else {
                return Node::unknown();
            };
            if items.len() != types.len() {
                return Node::unknown();
            }
            let items = items
                .into_iter()
                .zip(types)
                .map(|(n, t)| convert_at(n, t, depth + 1))
                .collect();
            Node {
                via,
                ..Node::list(items, origin)
            }
        }
    }
}

/// Converts the elements of a collection to `elem`. For `any`, Terraform
/// converts all elements to one common type; that is done here for
/// primitive elements, and collections of mixed kinds are not known.
fn convert_elements(items: Vec<Node>, elem: &TypeSpec, depth: usize) -> Option<Vec<Node>> {
    if !matches!(elem, TypeSpec::Any) {
        return Some(
            items
                .into_iter()
                .map(|n| convert_at(n, elem, depth + 1))
                .collect(),
        );
    }
    let mut kinds = Vec::new();
    let mut unknown = false;
    for n in &items {
        match n.val {
            NodeVal::Unknown => unknown = true,
            NodeVal::Null => {}
            _ => kinds.push(n.kind_name()),
        }
    }
    kinds.sort_unstable();
    kinds.dedup();
    match kinds.as_slice() {
        [] => Some(items),
        // One kind: nothing to convert, unless an unknown element could be
        // of another kind and change the common type.
        [k] if !unknown || *k == "string" => Some(items),
        [_] => None,
        kinds if !kinds.contains(&"list") && !kinds.contains(&"map") => {
            // Mixed primitives: all become strings when a string is there.
            if !kinds.contains(&"string") {
                return None;
            }
            items
                .into_iter()
                .map(|n| match n.val {
                    NodeVal::Unknown | NodeVal::Null => Some(n),
                    _ => {
                        let s = to_string_value(&n)?;
                        Some(Node {
                            val: NodeVal::String(s),
                            ..n
                        })
                    }
                })
                .collect()
        }
        _ => None,
    }
}
