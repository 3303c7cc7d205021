//! Variable values from outside the configuration: `.tfvars` and
//! `.tfvars.json` files, `-var` options and the environment.

use super::ast::{Ast, Directive, Kind, Part};
use super::{Evaluator, Node, NodeVal, Origin, OriginKind, Resolved};
use crate::source::{FileId, Span};
use crate::HashSet;
use hcl_edit::structure::Structure;
use hcl_edit::Span as _;
use std::collections::BTreeMap;
use std::fmt;

/// A problem in a variables file, at a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfvarsError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for TfvarsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for TfvarsError {}

/// The assignments read from one variables file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tfvars {
    /// Each assigned variable in file order, with origins of kind
    /// [`OriginKind::Tfvars`] pointing into the file. An assignment that
    /// Terraform would reject is here too, with an unknown value, so that it
    /// still overrides values of lower precedence; its problem is in
    /// `errors`.
    pub values: Vec<(String, Resolved)>,
    /// Problems with single assignments.
    pub errors: Vec<TfvarsError>,
}

/// Reads a `.tfvars` file. As in Terraform, each attribute is an expression
/// that may not refer to variables or call functions; such an attribute,
/// a block, or a repeated name is reported in [`Tfvars::errors`]. A file
/// that does not parse is an error.
pub fn parse_tfvars(file: FileId, text: &str) -> Result<Tfvars, TfvarsError> {
    let body = crate::parse::parse_body(text)
        .map_err(|e| {
            let offset = e.offset.min(text.len());
            TfvarsError {
                message: format!("invalid variables file: {}", e.message),
                span: Span::new(file, offset..offset),
            }
        })?
        .body;
    let mut out = Tfvars::default();
    let mut seen = HashSet::default();
    for structure in body.iter() {
        match structure {
            Structure::Block(block) => {
                let span = Span::new(file, block.span().unwrap_or(0..0));
                let message = if block.ident.value().as_str() == "variable" {
                    "variable declaration in .tfvars file: a .tfvars file assigns values to \
                     variables declared in .tf files; write `name = value` instead"
                        .to_string()
                } else {
                    format!(
                        "unexpected {:?} block: blocks are not allowed in a variables file",
                        block.ident.value().as_str()
                    )
                };
                out.errors.push(TfvarsError { message, span });
            }
            Structure::Attribute(attr) => {
                let name = attr.key.value().to_string();
                let span = Span::new(file, attr.value.span().unwrap_or(0..0));
                let origin = Origin::new(
                    Some(span.clone()),
                    OriginKind::Tfvars { name: name.clone() },
                );
                if !seen.insert(name.clone()) {
                    out.errors.push(TfvarsError {
                        message: format!("duplicate assignment to variable {name:?}"),
                        span,
                    });
                    // Terraform rejects the file; the value cannot be known.
                    for (n, r) in out.values.iter_mut() {
                        if *n == name {
                            *r = unknown_from(origin.clone());
                        }
                    }
                    continue;
                }
                let value = Ast::from(&attr.value);
                if let Some((message, range)) = disallowed(&value) {
                    let span = Span::new(file, range.unwrap_or(span.range.clone()));
                    out.errors.push(TfvarsError { message, span });
                    out.values.push((name, unknown_from(origin)));
                    continue;
                }
                let kind = OriginKind::Tfvars { name: name.clone() };
                let mut ev = Evaluator::new(None, file, kind);
                let node = ev.eval(&value);
                out.values.push((name, Resolved::from_node(node)));
            }
        }
    }
    Ok(out)
}

/// An unknown value that still records where it was assigned.
fn unknown_from(origin: Origin) -> Resolved {
    let mut r = Resolved::unknown();
    r.origin = Some(origin);
    r
}

/// The first reference or function call in an expression that is evaluated
/// without variables or functions, as Terraform reports it.
fn disallowed(expr: &Ast) -> Option<(String, Option<std::ops::Range<usize>>)> {
    // Names bound by `for` expressions and template `for` directives.
    let mut bound = HashSet::default();
    let mut bind = |key: &Option<Box<str>>, value: &str| {
        bound.insert(value.to_string());
        if let Some(k) = key {
            bound.insert(k.to_string());
        }
    };
    expr.visit(&mut |e| match &e.kind {
        Kind::For(f) => bind(&f.key_var, &f.value_var),
        Kind::Template(parts) => {
            let mut templates: Vec<&[Part]> = vec![parts];
            while let Some(parts) = templates.pop() {
                for p in parts {
                    if let Part::Directive(d) = p {
                        match &**d {
                            Directive::For {
                                key_var,
                                value_var,
                                body,
                                ..
                            } => {
                                bind(key_var, value_var);
                                templates.push(body);
                            }
                            Directive::If {
                                then, otherwise, ..
                            } => {
                                templates.push(then);
                                if let Some(o) = otherwise {
                                    templates.push(o);
                                }
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    });
    let mut found = None;
    expr.visit(&mut |e| {
        if found.is_some() {
            return;
        }
        match &e.kind {
            Kind::Call(_) => {
                found = Some((
                    "function calls not allowed: functions may not be called here".to_string(),
                    e.span(),
                ));
            }
            Kind::Variable(v) if !bound.contains(&**v) => {
                found = Some((
                    "variables not allowed: variables may not be used here".to_string(),
                    e.span(),
                ));
            }
            _ => {}
        }
    });
    found
}

/// Reads a `.tfvars.json` file: a JSON object whose properties assign
/// variables. Strings are taken literally (Terraform does not evaluate
/// templates in variables files). Origins point at each JSON value. A file
/// that is not a JSON object is an error.
pub fn parse_tfvars_json(file: FileId, text: &str) -> Result<Tfvars, TfvarsError> {
    let mut p = JsonParser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        file,
        name: String::new(),
    };
    let err = |p: &JsonParser, message: String| TfvarsError {
        message,
        span: Span::new(file, p.pos.min(text.len())..p.pos.min(text.len())),
    };
    p.skip_ws();
    if p.peek() != Some(b'{') {
        return Err(err(
            &p,
            "invalid variables file: the root of a .tfvars.json file must be an object".to_string(),
        ));
    }
    p.pos += 1;
    let mut out = Tfvars::default();
    let mut seen = HashSet::default();
    p.skip_ws();
    if p.peek() == Some(b'}') {
        p.pos += 1;
    } else {
        loop {
            p.skip_ws();
            let key_start = p.pos;
            let name = p.string().map_err(|m| err(&p, m))?;
            p.skip_ws();
            if p.peek() != Some(b':') {
                return Err(err(&p, "invalid variables file: expected ':'".to_string()));
            }
            p.pos += 1;
            p.skip_ws();
            p.name = name.clone();
            let value_start = p.pos;
            let value = p.value(0);
            let value_end = p.pos;
            let span = Span::new(file, value_start..value_end);
            let node = match value {
                Ok(node) => node,
                Err(JsonError::Fatal(m)) => return Err(err(&p, m)),
                Err(JsonError::Value(m, range)) => {
                    out.errors.push(TfvarsError {
                        message: m,
                        span: Span::new(file, range),
                    });
                    Node::unknown()
                }
            };
            // A property named "//" is a comment.
            if name != "//" {
                let origin = Origin::new(
                    Some(span.clone()),
                    OriginKind::Tfvars { name: name.clone() },
                );
                if !seen.insert(name.clone()) {
                    out.errors.push(TfvarsError {
                        message: format!("duplicate assignment to variable {name:?}"),
                        span: Span::new(file, key_start..value_end),
                    });
                    for (n, r) in out.values.iter_mut() {
                        if *n == name {
                            *r = unknown_from(origin.clone());
                        }
                    }
                } else if node.is_unknown() {
                    out.values.push((name, unknown_from(origin)));
                } else {
                    out.values.push((name, Resolved::from_node(node)));
                }
            }
            p.skip_ws();
            match p.peek() {
                Some(b',') => p.pos += 1,
                Some(b'}') => {
                    p.pos += 1;
                    break;
                }
                _ => {
                    return Err(err(
                        &p,
                        "invalid variables file: expected ',' or '}'".to_string(),
                    ))
                }
            }
        }
    }
    p.skip_ws();
    if p.pos != text.len() {
        return Err(err(
            &p,
            "invalid variables file: unexpected text after the object".to_string(),
        ));
    }
    Ok(out)
}

enum JsonError {
    /// The file cannot be read further.
    Fatal(String),
    /// The value is well-formed JSON that Terraform would reject.
    Value(String, std::ops::Range<usize>),
}

/// How deeply JSON values may nest.
const MAX_JSON_DEPTH: usize = 64;

struct JsonParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: FileId,
    /// The variable being read, for origins.
    name: String,
}

impl JsonParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn origin(&self, start: usize) -> Option<Origin> {
        Some(Origin::new(
            Some(Span::new(self.file, start..self.pos)),
            OriginKind::Tfvars {
                name: self.name.clone(),
            },
        ))
    }

    fn string(&mut self) -> Result<String, String> {
        if self.peek() != Some(b'"') {
            return Err("invalid variables file: expected a string".to_string());
        }
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err("invalid variables file: unterminated string".to_string()),
                Some(b'\\') => self.pos += 2,
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(_) => self.pos += 1,
            }
        }
        let raw = self.text.get(start..self.pos).unwrap_or("");
        serde_json::from_str::<String>(raw)
            .map_err(|e| format!("invalid variables file: invalid string: {e}"))
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        if depth > MAX_JSON_DEPTH {
            return Err(JsonError::Fatal(
                "invalid variables file: values nest too deeply".to_string(),
            ));
        }
        let start = self.pos;
        match self.peek() {
            Some(b'"') => {
                let s = self.string().map_err(JsonError::Fatal)?;
                Ok(Node::leaf(NodeVal::String(s), self.origin(start)))
            }
            Some(b'{') => {
                self.pos += 1;
                let mut map = BTreeMap::new();
                let mut duplicate = None;
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                } else {
                    loop {
                        self.skip_ws();
                        let key_start = self.pos;
                        let key = self.string().map_err(JsonError::Fatal)?;
                        let key_end = self.pos;
                        self.skip_ws();
                        if self.peek() != Some(b':') {
                            return Err(JsonError::Fatal(
                                "invalid variables file: expected ':'".to_string(),
                            ));
                        }
                        self.pos += 1;
                        self.skip_ws();
                        let v = self.value(depth + 1)?;
                        if map.insert(key.clone(), v).is_some() && duplicate.is_none() {
                            duplicate = Some((key, key_start..key_end));
                        }
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b'}') => {
                                self.pos += 1;
                                break;
                            }
                            _ => {
                                return Err(JsonError::Fatal(
                                    "invalid variables file: expected ',' or '}'".to_string(),
                                ))
                            }
                        }
                    }
                }
                if let Some((key, range)) = duplicate {
                    return Err(JsonError::Value(
                        format!("duplicate object attribute {key:?}"),
                        range,
                    ));
                }
                Ok(Node::map(map, self.origin(start)))
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                } else {
                    loop {
                        self.skip_ws();
                        items.push(self.value(depth + 1)?);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b']') => {
                                self.pos += 1;
                                break;
                            }
                            _ => {
                                return Err(JsonError::Fatal(
                                    "invalid variables file: expected ',' or ']'".to_string(),
                                ))
                            }
                        }
                    }
                }
                Ok(Node::list(items, self.origin(start)))
            }
            Some(b't') => self.keyword("true", NodeVal::Bool(true)),
            Some(b'f') => self.keyword("false", NodeVal::Bool(false)),
            Some(b'n') => self.keyword("null", NodeVal::Null),
            Some(b'-' | b'0'..=b'9') => {
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.pos += 1;
                }
                let raw = self.text.get(start..self.pos).unwrap_or("");
                if serde_json::from_str::<serde_json::Number>(raw).is_err() {
                    return Err(JsonError::Fatal(format!(
                        "invalid variables file: invalid number {raw:?}"
                    )));
                }
                match super::number::parse(raw) {
                    Some(v) => Ok(Node::leaf(NodeVal::Number(v), self.origin(start))),
                    // Valid, but not held exactly here.
                    None => Ok(Node::unknown()),
                }
            }
            _ => Err(JsonError::Fatal(
                "invalid variables file: expected a value".to_string(),
            )),
        }
    }

    fn keyword(&mut self, word: &str, val: NodeVal) -> Result<Node, JsonError> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::leaf(val, self.origin(start)))
        } else {
            Err(JsonError::Fatal(
                "invalid variables file: expected a value".to_string(),
            ))
        }
    }
}

/// The variables files Terraform loads by itself from a directory, in the
/// order it loads them, given the names of the files in that directory:
/// `terraform.tfvars`, then `terraform.tfvars.json`, then every file whose
/// name ends in `.auto.tfvars` or `.auto.tfvars.json`, sorted by name
/// (byte-wise). Later files override earlier ones. Files given with
/// `-var-file` and values given with `-var` come after all of these, in
/// command-line order.
pub fn variable_files(dir_listing: &[String]) -> Vec<String> {
    let mut ranked: Vec<(u8, &str)> = dir_listing.iter().filter_map(|n| load_rank(n)).collect();
    ranked.sort();
    ranked.dedup();
    ranked.into_iter().map(|(_, n)| n.to_string()).collect()
}

/// Where a file name falls in Terraform's automatic load order (lower
/// first): `terraform.tfvars`, then `terraform.tfvars.json`, then
/// `*.auto.tfvars` and `*.auto.tfvars.json` by name. `None` for a file that
/// is not loaded automatically.
pub fn load_rank(file_name: &str) -> Option<(u8, &str)> {
    match file_name {
        "terraform.tfvars" => Some((0, file_name)),
        "terraform.tfvars.json" => Some((1, file_name)),
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => Some((2, n)),
        _ => None,
    }
}

/// A `-var` option that is not `name=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliVarError {
    pub message: String,
}

impl fmt::Display for CliVarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for CliVarError {}

/// Splits the argument of a `-var` option into the variable name and the
/// raw value, at the first `=`. Give the raw value to
/// [`super::Scope::set_variable_string`], which reads it according to the
/// variable's type.
pub fn parse_cli_var(s: &str) -> Result<(String, String), CliVarError> {
    let Some((name, value)) = s.split_once('=') else {
        return Err(CliVarError {
            message: format!(
                "invalid -var option {s:?}: expected a variable name and value separated by \
                 an equals sign, like -var=\"key=value\""
            ),
        });
    };
    if name.ends_with(' ') {
        return Err(CliVarError {
            message: format!("invalid -var option: variable name {name:?} has a trailing space"),
        });
    }
    Ok((name.to_string(), value.to_string()))
}

/// Evaluates a string given on the command line or in the environment as
/// an expression, with no variables or functions, as Terraform does for
/// variables of non-primitive types.
pub(super) fn eval_cli_expression(raw: &str, kind: OriginKind) -> Node {
    let Some(expr) = crate::parse::parse_expression(raw) else {
        return Node::unknown();
    };
    let expr = Ast::from(&expr);
    if disallowed(&expr).is_some() {
        return Node::unknown();
    }
    let mut ev = Evaluator::new(None, FileId(0), kind);
    let mut node = ev.eval(&expr);
    // The spans are offsets in the option's text, not in a file.
    let mut stack = vec![&mut node];
    while let Some(n) = stack.pop() {
        if let Some(o) = &mut n.origin {
            o.span = None;
        }
        match &mut n.val {
            NodeVal::List(items) => stack.extend(items.iter_mut()),
            NodeVal::Map(items) => stack.extend(items.values_mut()),
            _ => {}
        }
    }
    node
}
