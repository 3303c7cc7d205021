//! The compact form of an expression that the model keeps and the
//! evaluator reads.
//!
//! hcl-edit's syntax tree keeps everything needed to print a file back
//! byte for byte: whitespace and comments around every node, the raw text
//! of every literal, a span on every part. An expression kept in that form
//! costs about 35 times its source text. Evaluation and reference finding
//! need much less: the values of literals, names, the shape of the
//! expression, and one span per node. [`Ast`] keeps just that, about a
//! quarter of the size, and is built once when a file is read, so that the
//! syntax tree can be released with the rest of the file.

use super::number;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{self, Element};
use hcl_edit::Span as _;
use std::ops::Range;

/// How deeply a converted expression may nest. Deeper parts become
/// [`Kind::Unknown`]: the evaluator gives up well before this depth, and
/// it bounds the recursion of every walk over the tree, including its drop.
const MAX_DEPTH: usize = 256;

/// An expression: what it is and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    span: Pos,
    pub kind: Kind,
}

/// A byte range in a file, in half the room of a `Range<usize>`; files are
/// far smaller than 4 GiB. The empty range at `u32::MAX` means no span
/// (a node that was built, not parsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    start: u32,
    end: u32,
}

impl Pos {
    const NONE: Pos = Pos {
        start: u32::MAX,
        end: u32::MAX,
    };

    fn of(range: Option<Range<usize>>) -> Pos {
        match range {
            Some(r) => Pos {
                start: u32::try_from(r.start).unwrap_or(u32::MAX - 1),
                end: u32::try_from(r.end).unwrap_or(u32::MAX - 1),
            },
            None => Pos::NONE,
        }
    }
}

/// The kinds of expression, with their parts.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// A number literal, or `None` when `f64` cannot hold it exactly.
    Number(Option<f64>),
    String(Box<str>),
    Array(Box<[Ast]>),
    Object(Box<[(Key, Ast)]>),
    /// A quoted or heredoc template.
    Template(Box<[Part]>),
    Paren(Box<Ast>),
    /// A bare name: `var`, `each`, a `for` binding.
    Variable(Box<str>),
    /// `cond ? a : b`, in that order.
    Conditional(Box<[Ast; 3]>),
    Call(Box<Call>),
    Traversal(Box<Traversal>),
    Unary(UnaryOperator, Box<Ast>),
    Binary(BinaryOperator, Box<[Ast; 2]>),
    For(Box<For>),
    /// Nested too deeply to keep.
    Unknown,
}

/// An object key: a bare identifier (held as a [`Kind::Variable`] node, for
/// its span, but never a reference), or an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Ident(Ast),
    Expr(Ast),
}

/// One element of a template. Literals are stored with the whitespace that
/// neighbouring `~` strip markers remove already removed.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Literal(Box<str>),
    Interpolation(Ast),
    Directive(Box<Directive>),
}

/// A template directive; the evaluator does not evaluate these, but
/// references inside them are still references.
#[derive(Debug, Clone, PartialEq)]
pub enum Directive {
    If {
        cond: Ast,
        then: Box<[Part]>,
        otherwise: Option<Box<[Part]>>,
    },
    For {
        key_var: Option<Box<str>>,
        value_var: Box<str>,
        collection: Ast,
        body: Box<[Part]>,
    },
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: Box<str>,
    /// Written as `provider::ns::name`.
    pub namespaced: bool,
    pub args: Box<[Ast]>,
    /// The last argument is expanded with `...`.
    pub expand_final: bool,
}

/// `root.attr[index]...`
#[derive(Debug, Clone, PartialEq)]
pub struct Traversal {
    pub root: Ast,
    pub ops: Box<[Op]>,
}

/// One step of a traversal.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    GetAttr(Box<str>),
    Index(Ast),
    LegacyIndex(u64),
    /// `.*` or `[*]`.
    Splat,
}

/// `[for k, v in coll : key => value if cond]`
#[derive(Debug, Clone, PartialEq)]
pub struct For {
    pub key_var: Option<Box<str>>,
    pub value_var: Box<str>,
    pub collection: Ast,
    pub key: Option<Ast>,
    pub value: Ast,
    pub cond: Option<Ast>,
    pub grouping: bool,
}

impl Ast {
    /// A node with no span, as built by code rather than parsed.
    pub fn new(kind: Kind) -> Ast {
        Ast {
            span: Pos::NONE,
            kind,
        }
    }

    /// A node written at `range`: what a reader of another syntax than
    /// hcl-edit's (JSON) builds.
    pub fn at(kind: Kind, range: Range<usize>) -> Ast {
        Ast {
            span: Pos::of(Some(range)),
            kind,
        }
    }

    /// The byte range the expression was written at, if it was parsed.
    pub fn span(&self) -> Option<Range<usize>> {
        (self.span != Pos::NONE).then_some(self.span.start as usize..self.span.end as usize)
    }

    /// The byte range, or an empty range at 0 for a built node.
    pub fn range(&self) -> Range<usize> {
        self.span().unwrap_or(0..0)
    }

    /// The value of a string literal, or of a template with only literal
    /// parts (which is what `"abc"` with an escape parses as).
    pub fn literal_str(&self) -> Option<String> {
        match &self.kind {
            Kind::String(s) => Some(s.to_string()),
            Kind::Template(parts) => {
                let mut out = String::new();
                for p in parts.iter() {
                    match p {
                        Part::Literal(l) => out.push_str(l),
                        _ => return None,
                    }
                }
                Some(out)
            }
            Kind::Paren(inner) => inner.literal_str(),
            _ => None,
        }
    }

    /// A bare traversal like `aws.west` or `aws` as its names.
    pub fn traversal_names(&self) -> Option<Vec<String>> {
        match &self.kind {
            Kind::Variable(v) => Some(vec![v.to_string()]),
            Kind::Traversal(t) => {
                let mut parts = t.root.traversal_names()?;
                for op in t.ops.iter() {
                    match op {
                        Op::GetAttr(name) => parts.push(name.to_string()),
                        _ => return None,
                    }
                }
                Some(parts)
            }
            _ => None,
        }
    }

    /// Calls `f` with the name of every `local.NAME` reference in the
    /// expression, in the order they were written.
    pub fn visit_locals<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        self.visit_named_refs(&mut |root, name| {
            if root == "local" {
                f(name)
            }
        });
    }

    /// Calls `f` with the root and the name of every `ROOT.NAME` reference
    /// in the expression (`local.x`, `var.y`, `module.z`...), in the order
    /// they were written.
    pub fn visit_named_refs<'a>(&'a self, f: &mut impl FnMut(&'a str, &'a str)) {
        self.visit(&mut |node| {
            if let Kind::Traversal(t) = &node.kind {
                if let (Kind::Variable(root), Some(Op::GetAttr(name))) =
                    (&t.root.kind, t.ops.first())
                {
                    f(root, name);
                }
            }
        });
    }

    /// Calls `f` on this expression and every expression inside it, parents
    /// before children and in the order they were written.
    pub fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Ast)) {
        f(self);
        match &self.kind {
            Kind::Null
            | Kind::Bool(_)
            | Kind::Number(_)
            | Kind::String(_)
            | Kind::Variable(_)
            | Kind::Unknown => {}
            Kind::Array(items) => items.iter().for_each(|e| e.visit(f)),
            Kind::Object(items) => {
                for (k, v) in items.iter() {
                    if let Key::Expr(k) = k {
                        k.visit(f);
                    }
                    v.visit(f);
                }
            }
            Kind::Template(parts) => visit_parts(parts, f),
            Kind::Paren(inner) => inner.visit(f),
            Kind::Conditional(c) => c.iter().for_each(|e| e.visit(f)),
            Kind::Call(c) => c.args.iter().for_each(|e| e.visit(f)),
            Kind::Traversal(t) => {
                t.root.visit(f);
                for op in t.ops.iter() {
                    if let Op::Index(e) = op {
                        e.visit(f);
                    }
                }
            }
            Kind::Unary(_, e) => e.visit(f),
            Kind::Binary(_, b) => b.iter().for_each(|e| e.visit(f)),
            Kind::For(fe) => {
                fe.collection.visit(f);
                if let Some(k) = &fe.key {
                    k.visit(f);
                }
                fe.value.visit(f);
                if let Some(c) = &fe.cond {
                    c.visit(f);
                }
            }
        }
    }
}

/// Where the nodes of a converted expression were written, when it was
/// parsed from a piece of a file (a JSON string) rather than the file.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    /// Added to every span.
    offset: usize,
    /// The span of every node instead: for text that is not the file's
    /// text verbatim (a JSON string with escapes).
    whole: Option<Pos>,
}

impl Placement {
    /// Spans are offsets into the text the parser saw.
    const SAME: Placement = Placement {
        offset: 0,
        whole: None,
    };

    /// The parsed text starts `offset` bytes into the file.
    pub fn at(offset: usize) -> Placement {
        Placement {
            offset,
            whole: None,
        }
    }

    /// Every node gets the span `range`.
    pub fn whole(range: Range<usize>) -> Placement {
        Placement {
            offset: 0,
            whole: Some(Pos::of(Some(range))),
        }
    }

    fn pos(self, span: Option<Range<usize>>) -> Pos {
        match self.whole {
            Some(p) => p,
            None => Pos::of(span.map(|r| r.start + self.offset..r.end + self.offset)),
        }
    }
}

impl Ast {
    /// Converts an expression parsed from a piece of a file.
    pub fn placed(e: &Expression, at: Placement) -> Ast {
        convert(e, 0, at)
    }
}

/// A template parsed on its own (the text of a JSON string), as the parts
/// of a [`Kind::Template`].
pub fn template_parts(t: &template::Template, at: Placement) -> Box<[Part]> {
    parts(t, 1, at)
}

/// A number written as `raw` in JSON.
pub fn json_number(raw: &str) -> Kind {
    Kind::Number(number::parse(raw))
}

fn visit_parts<'a>(parts: &'a [Part], f: &mut impl FnMut(&'a Ast)) {
    for p in parts {
        match p {
            Part::Literal(_) => {}
            Part::Interpolation(e) => e.visit(f),
            Part::Directive(d) => match &**d {
                Directive::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    cond.visit(f);
                    visit_parts(then, f);
                    if let Some(o) = otherwise {
                        visit_parts(o, f);
                    }
                }
                Directive::For {
                    collection, body, ..
                } => {
                    collection.visit(f);
                    visit_parts(body, f);
                }
            },
        }
    }
}

impl From<&Expression> for Ast {
    fn from(e: &Expression) -> Ast {
        convert(e, 0, Placement::SAME)
    }
}

fn name(s: &str) -> Box<str> {
    Box::from(s)
}

fn convert(e: &Expression, depth: usize, at: Placement) -> Ast {
    let span = at.pos(e.span());
    if depth >= MAX_DEPTH {
        return Ast {
            span,
            kind: Kind::Unknown,
        };
    }
    let sub = |x: &Expression| convert(x, depth + 1, at);
    let kind = match e {
        Expression::Null(_) => Kind::Null,
        Expression::Bool(b) => Kind::Bool(*b.value()),
        Expression::Number(n) => {
            let raw = n.as_repr().map(|r| &**r);
            Kind::Number(number::from_hcl(n.value(), raw))
        }
        Expression::String(s) => Kind::String(name(s.value())),
        Expression::Array(a) => Kind::Array(a.iter().map(sub).collect()),
        Expression::Object(o) => Kind::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(id) => Key::Ident(Ast {
                            span: at.pos(id.span()),
                            kind: Kind::Variable(name(id.value().as_str())),
                        }),
                        ObjectKey::Expression(x) => Key::Expr(sub(x)),
                    };
                    (key, sub(v.expr()))
                })
                .collect(),
        ),
        Expression::StringTemplate(t) => Kind::Template(parts(t, depth + 1, at)),
        Expression::HeredocTemplate(h) => Kind::Template(parts(&h.template, depth + 1, at)),
        Expression::Parenthesis(p) => Kind::Paren(Box::new(sub(p.inner()))),
        Expression::Variable(v) => Kind::Variable(name(v.value().as_str())),
        Expression::Conditional(c) => Kind::Conditional(Box::new([
            sub(&c.cond_expr),
            sub(&c.true_expr),
            sub(&c.false_expr),
        ])),
        Expression::FuncCall(c) => Kind::Call(Box::new(Call {
            name: name(c.name.name.value().as_str()),
            namespaced: c.name.is_namespaced(),
            args: c.args.iter().map(sub).collect(),
            expand_final: c.args.expand_final(),
        })),
        Expression::Traversal(t) => Kind::Traversal(Box::new(Traversal {
            root: sub(&t.expr),
            ops: t
                .operators
                .iter()
                .map(|op| match op.value() {
                    TraversalOperator::GetAttr(i) => Op::GetAttr(name(i.value().as_str())),
                    TraversalOperator::Index(x) => Op::Index(sub(x)),
                    TraversalOperator::LegacyIndex(i) => Op::LegacyIndex(*i.value()),
                    TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => Op::Splat,
                })
                .collect(),
        })),
        Expression::UnaryOp(u) => Kind::Unary(*u.operator.value(), Box::new(sub(&u.expr))),
        Expression::BinaryOp(b) => Kind::Binary(
            *b.operator.value(),
            Box::new([sub(&b.lhs_expr), sub(&b.rhs_expr)]),
        ),
        Expression::ForExpr(f) => Kind::For(Box::new(For {
            key_var: f.intro.key_var.as_ref().map(|k| name(k.value().as_str())),
            value_var: name(f.intro.value_var.value().as_str()),
            collection: sub(&f.intro.collection_expr),
            key: f.key_expr.as_ref().map(sub),
            value: sub(&f.value_expr),
            cond: f.cond.as_ref().map(|c| sub(&c.expr)),
            grouping: f.grouping,
        })),
    };
    Ast { span, kind }
}

/// A template's elements, with strip markers applied to the literals
/// beside them.
fn parts(t: &template::Template, depth: usize, at: Placement) -> Box<[Part]> {
    let elements: Vec<&Element> = t.iter().collect();
    let interp = |i: Option<&&Element>| match i {
        Some(Element::Interpolation(x)) => Some(x.strip),
        _ => None,
    };
    elements
        .iter()
        .enumerate()
        .map(|(idx, el)| match el {
            Element::Literal(lit) => {
                let mut s: &str = lit.value();
                if interp(elements.get(idx + 1)).is_some_and(|st| st.strip_start()) {
                    s = s.trim_end();
                }
                if idx > 0 && interp(elements.get(idx - 1)).is_some_and(|st| st.strip_end()) {
                    s = s.trim_start();
                }
                Part::Literal(name(s))
            }
            Element::Interpolation(i) => Part::Interpolation(convert(&i.expr, depth, at)),
            Element::Directive(d) => Part::Directive(Box::new(match d.as_ref() {
                template::Directive::If(i) => Directive::If {
                    cond: convert(&i.if_expr.cond_expr, depth, at),
                    then: parts(&i.if_expr.template, depth + 1, at),
                    otherwise: i
                        .else_expr
                        .as_ref()
                        .map(|e| parts(&e.template, depth + 1, at)),
                },
                template::Directive::For(f) => Directive::For {
                    key_var: f
                        .for_expr
                        .key_var
                        .as_ref()
                        .map(|k| name(k.value().as_str())),
                    value_var: name(f.for_expr.value_var.value().as_str()),
                    collection: convert(&f.for_expr.collection_expr, depth, at),
                    body: parts(&f.for_expr.template, depth + 1, at),
                },
            })),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ast(s: &str) -> Ast {
        Ast::from(&hcl_edit::parser::parse_expr(s).expect("test expression parses"))
    }

    #[test]
    fn nodes_are_small() {
        // The point of the type: a node is a few words, where hcl-edit's
        // `Expression` is 128 bytes before its boxed parts.
        assert!(
            std::mem::size_of::<Ast>() <= 32,
            "{}",
            std::mem::size_of::<Ast>()
        );
    }

    #[test]
    fn spans_are_kept_per_node() {
        let a = ast("foo(var.x, 1)");
        assert_eq!(a.span(), Some(0..13));
        let Kind::Call(c) = &a.kind else {
            panic!("{a:?}")
        };
        assert_eq!(&*c.name, "foo");
        assert_eq!(c.args[0].span(), Some(4..9));
        assert_eq!(c.args[1].span(), Some(11..12));
        assert_eq!(Ast::new(Kind::Null).span(), None);
        assert_eq!(Ast::new(Kind::Null).range(), 0..0);
    }

    #[test]
    fn strip_markers_are_applied_to_literals() {
        let a = ast("\"a  ${~ x ~}  b\"");
        let Kind::Template(parts) = &a.kind else {
            panic!("{a:?}")
        };
        assert_eq!(parts[0], Part::Literal("a".into()));
        assert_eq!(parts[2], Part::Literal("b".into()));
    }

    #[test]
    fn literal_strings_and_traversal_names() {
        assert_eq!(ast("\"a\\tb\"").literal_str().as_deref(), Some("a\tb"));
        assert_eq!(ast("(\"x\")").literal_str().as_deref(), Some("x"));
        assert_eq!(ast("\"${x}\"").literal_str(), None);
        assert_eq!(
            ast("aws.west").traversal_names(),
            Some(vec!["aws".to_string(), "west".to_string()])
        );
        assert_eq!(ast("aws.west[0]").traversal_names(), None);
        assert_eq!(ast("1").traversal_names(), None);
    }

    #[test]
    fn visit_goes_in_written_order_including_directives() {
        let a = ast("\"%{ for x in local.a }${local.b}%{ endfor }${local.c}\"");
        let mut names = Vec::new();
        a.visit(&mut |e| {
            if let Kind::Traversal(t) = &e.kind {
                if let [Op::GetAttr(n)] = &*t.ops {
                    names.push(n.to_string());
                }
            }
        });
        assert_eq!(names, ["a", "b", "c"]);
    }

    #[test]
    fn local_references_in_order() {
        let a = ast("merge(local.a, { x = local.b.c }, [for k in local.a : var.d])");
        let mut names = Vec::new();
        a.visit_locals(&mut |n| names.push(n));
        assert_eq!(names, ["a", "b", "a"]);
    }

    #[test]
    fn named_references_in_order() {
        let a = ast("\"${var.a}-${local.b}\" == module.c.out ? var.d[0] : each.value");
        let mut refs = Vec::new();
        a.visit_named_refs(&mut |root, name| refs.push(format!("{root}.{name}")));
        assert_eq!(
            refs,
            ["var.a", "local.b", "module.c", "var.d", "each.value"]
        );
    }

    #[test]
    fn deep_nesting_is_cut_off_not_overflowed() {
        // The parser refuses such nesting; a built tree can still have it.
        let mut e = Expression::from(1);
        for _ in 0..MAX_DEPTH + 100 {
            let mut a = hcl_edit::expr::Array::new();
            a.push(e);
            e = Expression::Array(a);
        }
        let a = Ast::from(&e);
        let mut depth = 0;
        let mut node = &a;
        while let Kind::Array(items) = &node.kind {
            depth += 1;
            node = &items[0];
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(node.kind, Kind::Unknown);
    }
}
