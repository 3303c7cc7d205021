//! The functions the evaluator knows. Each follows Terraform's behaviour
//! for known arguments; anything Terraform would reject, and any function
//! not listed here, gives an unknown value.

use super::{number, to_number, to_string_value, Node, NodeVal, Origin};
use std::collections::BTreeMap;

pub(super) fn call(name: &str, args: Vec<Node>, origin: Option<Origin>) -> Node {
    let result = match name {
        "lower" => map_string(args, origin, |s| map_chars(s, char::to_lowercase)),
        "upper" => map_string(args, origin, |s| map_chars(s, char::to_uppercase)),
        "trimspace" => map_string(args, origin, |s| Some(s.trim().to_string())),
        "tostring" => tostring(args, origin),
        "format" => format(args, origin),
        "join" => join(args, origin),
        "lookup" => lookup(args),
        "coalesce" => coalesce(args),
        "element" => element(args),
        "concat" => concat(args, origin),
        "toset" => toset(args, origin),
        "merge" => merge(args, origin),
        "replace" => replace(args, origin),
        "try" => try_(args),
        _ => None,
    };
    result.unwrap_or_else(Node::unknown)
}

fn string_node(s: String, origin: Option<Origin>) -> Node {
    Node::leaf(NodeVal::String(s), origin)
}

/// A string argument: strings, and numbers and bools converted to strings.
fn string_arg(n: &Node) -> Option<String> {
    to_string_value(n)
}

fn map_string(
    args: Vec<Node>,
    origin: Option<Origin>,
    f: impl Fn(&str) -> Option<String>,
) -> Option<Node> {
    let [arg] = <[Node; 1]>::try_from(args).ok()?;
    let s = string_arg(&arg)?;
    Some(string_node(f(&s)?, origin))
}

/// Maps each character to exactly one character, as Terraform's simple
/// case mapping does; a character whose mapping differs is unknown.
fn map_chars<I: Iterator<Item = char>>(s: &str, f: impl Fn(char) -> I) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mut mapped = f(c);
        let first = mapped.next()?;
        if mapped.next().is_some() {
            return None;
        }
        out.push(first);
    }
    Some(out)
}

fn tostring(args: Vec<Node>, origin: Option<Origin>) -> Option<Node> {
    let [arg] = <[Node; 1]>::try_from(args).ok()?;
    match arg.val {
        NodeVal::String(_) => Some(arg),
        NodeVal::Null => Some(arg),
        NodeVal::Number(_) | NodeVal::Bool(_) => Some(string_node(string_arg(&arg)?, origin)),
        _ => None,
    }
}

fn format(args: Vec<Node>, origin: Option<Origin>) -> Option<Node> {
    let mut args = args.into_iter();
    let spec = string_arg(&args.next()?)?;
    let args: Vec<Node> = args.collect();
    let mut next = 0usize;
    let mut out = String::new();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let verb = chars.next()?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let arg = args.get(next)?;
        next += 1;
        match verb {
            's' => out.push_str(&string_arg(arg)?),
            'd' => {
                let n = to_number(arg)?;
                if n.fract() != 0.0 {
                    return None;
                }
                out.push_str(&number::to_string(n)?);
            }
            'v' => match &arg.val {
                NodeVal::String(_) | NodeVal::Number(_) | NodeVal::Bool(_) => {
                    out.push_str(&string_arg(arg)?)
                }
                _ => return None,
            },
            'q' => {
                let s = string_arg(arg)?;
                out.push_str(&quote(&s)?);
            }
            // Flags, widths, explicit argument indexes and other verbs.
            _ => return None,
        }
    }
    if next != args.len() {
        // Terraform rejects arguments the format does not use.
        return None;
    }
    Some(string_node(out, origin))
}

/// A double-quoted string with backslash escapes, for printable ASCII.
fn quote(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => return None,
        }
    }
    out.push('"');
    Some(out)
}

fn join(args: Vec<Node>, origin: Option<Origin>) -> Option<Node> {
    let mut args = args.into_iter();
    let sep = string_arg(&args.next()?)?;
    let mut parts = Vec::new();
    let mut lists = 0;
    for list in args {
        lists += 1;
        let NodeVal::List(items) = list.val else {
            return None;
        };
        for item in &items {
            parts.push(string_arg(item)?);
        }
    }
    if lists == 0 {
        return None;
    }
    Some(string_node(parts.join(&sep), origin))
}

fn lookup(args: Vec<Node>) -> Option<Node> {
    if args.len() != 2 && args.len() != 3 {
        return None;
    }
    let mut args = args.into_iter();
    let map = args.next()?;
    let key = string_arg(&args.next()?)?;
    let default = args.next();
    let NodeVal::Map(mut m) = map.val else {
        return None;
    };
    match m.remove(&key) {
        Some(v) => Some(v),
        None => default,
    }
}

fn element(args: Vec<Node>) -> Option<Node> {
    let [list, index] = <[Node; 2]>::try_from(args).ok()?;
    let NodeVal::List(mut items) = list.val else {
        return None;
    };
    let i = to_number(&index)?;
    if items.is_empty() || i < 0.0 || i.fract() != 0.0 {
        return None;
    }
    // Terraform wraps indexes past the end around.
    let i = (i % items.len() as f64) as usize;
    Some(items.swap_remove(i))
}

#[derive(PartialEq, Clone, Copy)]
enum Prim {
    String,
    Number,
    Bool,
}

fn prim(n: &Node) -> Option<Prim> {
    match n.val {
        NodeVal::String(_) => Some(Prim::String),
        NodeVal::Number(_) => Some(Prim::Number),
        NodeVal::Bool(_) => Some(Prim::Bool),
        _ => None,
    }
}

/// `coalesce`: the first argument that is not null or an empty string,
/// after converting all arguments to their common type.
fn coalesce(args: Vec<Node>) -> Option<Node> {
    if args.is_empty() {
        return None;
    }
    // The common type of the known arguments; unknown arguments may widen it
    // to string.
    let mut common: Option<Prim> = None;
    let mut any_unknown = false;
    for a in &args {
        match &a.val {
            NodeVal::Null => {}
            NodeVal::Unknown => any_unknown = true,
            NodeVal::List(_) | NodeVal::Map(_) => return None,
            _ => {
                let p = prim(a)?;
                common = Some(match common {
                    None => p,
                    Some(c) if c == p => c,
                    Some(c) if c == Prim::String || p == Prim::String => Prim::String,
                    // Numbers and bools have no common type.
                    Some(_) => return None,
                });
            }
        }
    }
    let common = common?;
    if any_unknown && common != Prim::String {
        return None;
    }
    for a in args {
        match &a.val {
            NodeVal::Null => continue,
            NodeVal::Unknown => return None,
            NodeVal::String(s) if s.is_empty() => continue,
            _ => {}
        }
        if common == Prim::String && prim(&a) != Some(Prim::String) {
            let s = string_arg(&a)?;
            return Some(Node {
                val: NodeVal::String(s),
                ..a
            });
        }
        return Some(a);
    }
    None
}

fn concat(args: Vec<Node>, origin: Option<Origin>) -> Option<Node> {
    if args.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for list in args {
        let NodeVal::List(items) = list.val else {
            return None;
        };
        out.extend(items);
    }
    let node = Node::list(out, origin);
    (!node.is_unknown()).then_some(node)
}

/// `toset(list)` of strings: each string once, in lexical order, which is
/// how Terraform and OpenTofu order a set of strings (and so the
/// instances a `for_each` over it makes). A set of anything else is left
/// unknown.
fn toset(args: Vec<Node>, origin: Option<Origin>) -> Option<Node> {
    let [list] = <[Node; 1]>::try_from(args).ok()?;
    let NodeVal::List(items) = list.val else {
        return None;
    };
    let mut strings: Vec<(String, Node)> = items
        .into_iter()
        .map(|n| match &n.val {
            NodeVal::String(s) => Some((s.clone(), n)),
            _ => None,
        })
        .collect::<Option<_>>()?;
    strings.sort_by(|a, b| a.0.cmp(&b.0));
    strings.dedup_by(|a, b| a.0 == b.0);
    let node = Node::list(strings.into_iter().map(|(_, n)| n).collect(), origin);
    (!node.is_unknown()).then_some(node)
}

fn merge(args: Vec<Node>, origin: Option<Origin>) -> Option<Node> {
    let mut out = BTreeMap::new();
    for map in args {
        match map.val {
            NodeVal::Null => continue,
            NodeVal::Map(items) => out.extend(items),
            _ => return None,
        }
    }
    let node = Node::map(out, origin);
    (!node.is_unknown()).then_some(node)
}

fn replace(args: Vec<Node>, origin: Option<Origin>) -> Option<Node> {
    let [s, from, to] = <[Node; 3]>::try_from(args).ok()?;
    let (s, from, to) = (string_arg(&s)?, string_arg(&from)?, string_arg(&to)?);
    if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
        // A regular expression.
        return None;
    }
    Some(string_node(s.replace(&from, &to), origin))
}

/// `try`: Terraform returns the first argument that evaluates without an
/// error. Only a wholly known first argument is certain to be that one.
fn try_(args: Vec<Node>) -> Option<Node> {
    let first = args.into_iter().next()?;
    first.is_wholly_known().then_some(first)
}
