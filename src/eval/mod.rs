//! Static evaluation of Terraform expressions without `terraform init`.
//!
//! The evaluator resolves what can be known from the configuration alone:
//! literals, input variables (defaults, `.tfvars` files, `-var` flags and
//! values passed by a calling module), local values, and a small set of pure
//! functions. Anything that depends on the real world (resources, data
//! sources, `count`, `each`, the workspace, files on disk) is
//! [`Value::Unknown`]. The evaluator never guesses: an operation whose result
//! Terraform would compute differently, or that would fail in Terraform, is
//! unknown as well.
//!
//! Every resolved value carries an [`Origin`]: where the value was written.
//! For a value that travelled through references (`local.region` →
//! `var.region` → a `.tfvars` file) the origin is the innermost one, the
//! place where the literal was written, and [`Resolved::via`] lists the
//! references that were followed.
//!
//! # Variable precedence
//!
//! Root module variables take their value from, lowest precedence first:
//!
//! 1. the `default` in the `variable` block;
//! 2. `TF_VAR_name` environment variables;
//! 3. `terraform.tfvars`;
//! 4. `terraform.tfvars.json`;
//! 5. `*.auto.tfvars` and `*.auto.tfvars.json`, in lexical order of their
//!    file names (see [`variable_files`]);
//! 6. `-var` and `-var-file` options, in the order given on the command line.
//!
//! A later source overrides an earlier one. [`Scope::set_variable`] and
//! [`Scope::set_variable_string`] replace any earlier value, so calling them
//! in the order above gives Terraform's result. Child modules take values
//! only from the calling `module` block (see [`Resolved::from_caller`]).

pub mod ast;
mod funcs;
mod instances;
mod number;
#[cfg(test)]
mod tests;
mod types;
mod vars;

use crate::source::{FileId, Span};
use crate::{HashMap, HashSet};
pub use ast::Ast;
use ast::{Key, Kind, Op, Part};
use hcl_edit::expr::{BinaryOperator, Expression, UnaryOperator};
use std::borrow::Cow;
use std::cell::Cell;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

pub use instances::{Bindings, Expansion, InstanceKey, Repetition, MAX_KEYS};
pub use types::{ParsingMode, VarType};
pub use vars::{
    load_rank, parse_cli_var, parse_tfvars, parse_tfvars_json, variable_files, CliVarError, Tfvars,
    TfvarsError,
};

/// How deeply expressions may nest inside one evaluation before the result
/// is unknown. Bounds the evaluator's recursion.
const MAX_EXPR_DEPTH: usize = 96;
/// How deeply values (lists and maps) may nest.
const MAX_VALUE_DEPTH: u32 = 64;
/// How many references [`Resolved::via`] keeps.
const MAX_VIA: usize = 16;
/// How many elements a value built by the evaluator may hold in total.
const MAX_ELEMENTS: usize = 100_000;

/// A value known without running Terraform, or [`Value::Unknown`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Not knowable statically, or an expression Terraform would reject.
    Unknown,
    Null,
    Bool(bool),
    /// A number. Only values that convert exactly to Terraform's decimal
    /// numbers are produced; anything else is unknown.
    Number(f64),
    String(String),
    /// A list or tuple.
    List(Vec<Value>),
    /// A map or object.
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// True when the value, including every element, is known.
    pub fn is_wholly_known(&self) -> bool {
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            match v {
                Value::Unknown => return false,
                Value::List(items) => stack.extend(items.iter()),
                Value::Map(items) => stack.extend(items.values()),
                _ => {}
            }
        }
        true
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }
}

impl fmt::Display for Value {
    /// Terraform-like rendering, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Unknown => write!(f, "(unknown)"),
            Value::Null => write!(f, "null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => match number::to_string(*n) {
                Some(s) => write!(f, "{s}"),
                None => write!(f, "{n}"),
            },
            Value::String(s) => write!(f, "{}", serde_json::Value::String(s.clone())),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{item}")?;
                }
                write!(f, "]")
            }
            Value::Map(items) => {
                write!(f, "{{")?;
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{} = {v}", serde_json::Value::String(k.clone()))?;
                }
                write!(f, "}}")
            }
        }
    }
}

/// What kind of place a value was written in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OriginKind {
    /// Written directly in the expression being evaluated.
    Literal,
    /// The `default` of a `variable` block.
    VariableDefault { name: String },
    /// A `.tfvars` or `.tfvars.json` file; the span points into that file.
    Tfvars { name: String },
    /// A `-var name=value` option; there is no span.
    CliVar { name: String },
    /// A `TF_VAR_name` environment variable; there is no span.
    EnvVar { name: String },
    /// An argument of the calling module's `module` block.
    Caller { module_call: String, name: String },
    /// A `locals` entry.
    Local { name: String },
    /// The `value` of an `output` block of the module that
    /// `module "module_call"` calls.
    Output { module_call: String, name: String },
}

/// Where a value was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The written value; `None` for values from the command line or the
    /// environment.
    pub span: Option<Span>,
    pub kind: OriginKind,
}

impl Origin {
    pub fn new(span: Option<Span>, kind: OriginKind) -> Origin {
        Origin { span, kind }
    }
}

/// A value together with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub value: Value,
    /// Where the value was written; for values that came through
    /// references, the innermost place. `None` for unknown values.
    pub origin: Option<Origin>,
    /// The references followed to reach the value, outermost first, e.g.
    /// `["local.region", "var.region"]`. Kept to a bounded length.
    pub via: Vec<String>,
    node: Node,
}

/// One reference followed to reach a value, and where what it names was
/// written, when that is in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub reference: String,
    pub at: Option<Span>,
}

impl Resolved {
    /// A value whose every element comes from `origin`.
    pub fn new(value: Value, origin: Option<Origin>) -> Resolved {
        let node = Node::from_value(&value, origin.as_ref(), 0);
        Resolved::from_node(node)
    }

    pub fn unknown() -> Resolved {
        Resolved::from_node(Node::unknown())
    }

    /// A value that cannot be known, but is one of `alternatives` (see
    /// [`Resolved::alternatives`]): what a conditional that cannot be
    /// decided gives, once each branch is read further (a region from
    /// each possible ARN, say). Unknown ones are left out, and duplicates
    /// and those past the limit dropped.
    pub fn one_of(alternatives: impl IntoIterator<Item = Resolved>) -> Resolved {
        let mut alts: Vec<Node> = Vec::new();
        for a in alternatives {
            if a.node.is_wholly_known()
                && alts.len() < MAX_ALTERNATIVES
                && !alts.iter().any(|n| n.val == a.node.val)
            {
                alts.push(a.node);
            }
        }
        let mut node = Node::unknown();
        if !alts.is_empty() {
            node.alts = Some(alts.into_boxed_slice());
        }
        Resolved::from_node(node)
    }

    /// The resolved element at `key` of a map, with its own origin.
    pub fn get(&self, key: &str) -> Option<Resolved> {
        match &self.node.val {
            NodeVal::Map(m) => m.get(key).cloned().map(Resolved::from_node),
            _ => None,
        }
    }

    /// The resolved element at `index` of a list, with its own origin.
    pub fn index(&self, index: usize) -> Option<Resolved> {
        match &self.node.val {
            NodeVal::List(items) => items.get(index).cloned().map(Resolved::from_node),
            _ => None,
        }
    }

    /// Marks a value that a parent module passes to a child module's
    /// variable `name` through `module "module_call" { ... }`: what was
    /// written literally in the `module` block gets a
    /// [`OriginKind::Caller`] origin; values that came from the parent's
    /// variables or locals keep their origin.
    pub fn from_caller(module_call: &str, name: &str, value: Resolved) -> Resolved {
        let mut node = value.node;
        let kind = OriginKind::Caller {
            module_call: module_call.to_string(),
            name: name.to_string(),
        };
        node.relabel_literals(&kind);
        Resolved::from_node(node)
    }

    /// The references followed to reach the value ([`Resolved::via`]),
    /// each with where what it names was written: the argument a calling
    /// module passes, a local's expression, a module output's value, a
    /// variable's default or `.tfvars` entry.
    pub fn hops(&self) -> &[Hop] {
        &self.node.via
    }

    /// For an unknown value chosen by a conditional whose condition cannot
    /// be decided, the known values it could be, each with where it was
    /// written: `var.dr ? "us-east-1" : "eu-west-1"` may be either.
    pub fn alternatives(&self) -> Vec<Resolved> {
        match &self.node.alts {
            Some(alts) => alts.iter().cloned().map(Resolved::from_node).collect(),
            None => Vec::new(),
        }
    }

    fn from_node(node: Node) -> Resolved {
        Resolved {
            value: node.to_value(),
            origin: node.origin.clone(),
            via: node.via.iter().map(|h| h.reference.clone()).collect(),
            node,
        }
    }
}

/// The internal form of a value: every element keeps its own origin.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    val: NodeVal,
    origin: Option<Origin>,
    via: Vec<Hop>,
    depth: u32,
    size: usize,
    /// For an unknown value that a conditional with an undecidable
    /// condition chose, the known values its branches could give.
    alts: Option<Box<[Node]>>,
}

/// How many possible values an undecidable conditional keeps.
const MAX_ALTERNATIVES: usize = 8;

#[derive(Debug, Clone, PartialEq)]
enum NodeVal {
    Unknown,
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Node>),
    Map(BTreeMap<String, Node>),
}

impl Node {
    fn unknown() -> Node {
        Node::leaf(NodeVal::Unknown, None)
    }

    fn leaf(val: NodeVal, origin: Option<Origin>) -> Node {
        let origin = if matches!(val, NodeVal::Unknown) {
            None
        } else {
            origin
        };
        Node {
            val,
            origin,
            via: Vec::new(),
            depth: 0,
            size: 1,
            alts: None,
        }
    }

    fn list(items: Vec<Node>, origin: Option<Origin>) -> Node {
        let depth = items.iter().map(|n| n.depth + 1).max().unwrap_or(0);
        let size = items.iter().map(|n| n.size).sum::<usize>() + 1;
        if depth > MAX_VALUE_DEPTH || size > MAX_ELEMENTS {
            return Node::unknown();
        }
        Node {
            val: NodeVal::List(items),
            origin,
            via: Vec::new(),
            depth,
            size,
            alts: None,
        }
    }

    fn map(items: BTreeMap<String, Node>, origin: Option<Origin>) -> Node {
        let depth = items.values().map(|n| n.depth + 1).max().unwrap_or(0);
        let size = items.values().map(|n| n.size).sum::<usize>() + 1;
        if depth > MAX_VALUE_DEPTH || size > MAX_ELEMENTS {
            return Node::unknown();
        }
        Node {
            val: NodeVal::Map(items),
            origin,
            via: Vec::new(),
            depth,
            size,
            alts: None,
        }
    }

    fn is_unknown(&self) -> bool {
        matches!(self.val, NodeVal::Unknown)
    }

    fn is_wholly_known(&self) -> bool {
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            match &n.val {
                NodeVal::Unknown => return false,
                NodeVal::List(items) => stack.extend(items.iter()),
                NodeVal::Map(items) => stack.extend(items.values()),
                _ => {}
            }
        }
        true
    }

    fn from_value(value: &Value, origin: Option<&Origin>, depth: u32) -> Node {
        if depth > MAX_VALUE_DEPTH {
            return Node::unknown();
        }
        let origin = origin.cloned();
        match value {
            Value::Unknown => Node::unknown(),
            Value::Null => Node::leaf(NodeVal::Null, origin),
            Value::Bool(b) => Node::leaf(NodeVal::Bool(*b), origin),
            Value::Number(n) => Node::leaf(NodeVal::Number(*n), origin),
            Value::String(s) => Node::leaf(NodeVal::String(s.clone()), origin),
            Value::List(items) => {
                let items = items
                    .iter()
                    .map(|v| Node::from_value(v, origin.as_ref(), depth + 1))
                    .collect();
                Node::list(items, origin)
            }
            Value::Map(items) => {
                let items = items
                    .iter()
                    .map(|(k, v)| (k.clone(), Node::from_value(v, origin.as_ref(), depth + 1)))
                    .collect();
                Node::map(items, origin)
            }
        }
    }

    fn to_value(&self) -> Value {
        match &self.val {
            NodeVal::Unknown => Value::Unknown,
            NodeVal::Null => Value::Null,
            NodeVal::Bool(b) => Value::Bool(*b),
            NodeVal::Number(n) => Value::Number(*n),
            NodeVal::String(s) => Value::String(s.clone()),
            NodeVal::List(items) => Value::List(items.iter().map(Node::to_value).collect()),
            NodeVal::Map(items) => Value::Map(
                items
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Adds `reference` in front of the references followed.
    fn through(self, reference: String) -> Node {
        self.through_at(reference, None)
    }

    /// Adds `reference`, whose definition was written at `at`, in front of
    /// the references followed.
    fn through_at(mut self, reference: String, at: Option<Span>) -> Node {
        self.via.insert(0, Hop { reference, at });
        self.via.truncate(MAX_VIA);
        self
    }

    fn relabel_literals(&mut self, kind: &OriginKind) {
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            if let Some(o) = &mut n.origin {
                if o.kind == OriginKind::Literal {
                    o.kind = kind.clone();
                }
            }
            if let Some(alts) = &mut n.alts {
                stack.extend(alts.iter_mut());
            }
            match &mut n.val {
                NodeVal::List(items) => stack.extend(items.iter_mut()),
                NodeVal::Map(items) => stack.extend(items.values_mut()),
                _ => {}
            }
        }
    }

    fn kind_name(&self) -> &'static str {
        match self.val {
            NodeVal::Unknown => "unknown",
            NodeVal::Null => "null",
            NodeVal::Bool(_) => "bool",
            NodeVal::Number(_) => "number",
            NodeVal::String(_) => "string",
            NodeVal::List(_) => "list",
            NodeVal::Map(_) => "map",
        }
    }
}

#[derive(Clone)]
struct VarDecl<'m> {
    file: FileId,
    default: Option<&'m Ast>,
    ty: Cow<'m, VarType>,
}

/// A module instance's scope, shared with the instances it calls: they
/// evaluate their arguments in it when those are first read.
///
/// A scope is shared between threads. Its caches are locked only to look a
/// value up or to store one, never while evaluating, so that evaluations
/// that cross scopes (a child's argument read from its caller, a caller
/// reading a child's output) cannot wait on each other. Two threads may
/// compute the same value at once; both get the same answer.
pub type SharedScope<'m> = Arc<Scope<'m>>;

#[derive(Clone)]
enum Assigned<'m> {
    Value(Box<Resolved>),
    /// An argument of the calling `module` block, evaluated in the
    /// caller's scope when the variable is first read; most arguments
    /// never are.
    Caller {
        scope: SharedScope<'m>,
        call: &'m str,
        file: FileId,
        expr: &'m Ast,
        /// `each` or `count` of the call's instance, when it has one.
        bindings: Option<Arc<Bindings>>,
    },
    /// A raw string from `-var` or the environment; how it is read depends
    /// on the variable's declared type.
    Raw {
        raw: String,
        kind: OriginKind,
    },
}

#[derive(Clone)]
struct LocalDecl<'m> {
    file: FileId,
    expr: &'m Ast,
}

/// The variables and locals of one module instance.
///
/// Locals are evaluated lazily and remembered. Local values that depend on
/// each other in a cycle are unknown.
#[derive(Default)]
pub struct Scope<'m> {
    /// What the module declares, shared by every instance of it.
    decls: Arc<Decls<'m>>,
    assigned: HashMap<String, Assigned<'m>>,
    var_cache: Mutex<HashMap<String, Node>>,
    local_cache: Mutex<HashMap<String, Node>>,
    output_cache: Mutex<HashMap<String, Node>>,
    /// The name of the `module` block that made this instance, for the
    /// origin of values its outputs hand back.
    call: Option<&'m str>,
    /// The instances of each local module this instance calls, by the
    /// name of the `module` block, added as they are made.
    children: Mutex<HashMap<&'m str, Children<'m>>>,
    /// Whether every call's instances have been added.
    complete: AtomicBool,
}

/// The instances one `module` block makes, as its caller's expressions
/// reach them: `module.name`, `module.name[0]` or `module.name["key"]`.
///
/// Held weakly: the set of all scopes owns them, and a child holds its
/// caller.
#[derive(Debug)]
pub enum Children<'m> {
    /// A call without `count` or `for_each`.
    One(Weak<Scope<'m>>),
    /// A call with a known `count`.
    Count(Vec<Weak<Scope<'m>>>),
    /// A call with a known `for_each`, by key.
    ForEach(BTreeMap<String, Weak<Scope<'m>>>),
    /// A call whose instances are not known: its `count` or `for_each` is
    /// unknown, or it was not expanded.
    Unknown,
}

impl fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope").field("call", &self.call).finish()
    }
}

/// Locks a cache; a poisoned lock still holds good values, since every
/// value is inserted whole.
fn cache<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn clear<T: Default>(m: &mut Mutex<T>) {
    *m.get_mut().unwrap_or_else(|e| e.into_inner()) = T::default();
}

thread_local! {
    /// The cross-scope values being computed on this thread: (scope,
    /// what, name). A value asked for again while it is being computed is
    /// on a cycle, which Terraform rejects, and is unknown.
    static ACTIVE: RefCell<Vec<(usize, u8, String)>> = const { RefCell::new(Vec::new()) };

    /// How many times an evaluation on this thread read the output of a
    /// module instance not made yet. A value computed while this moved
    /// may change once the instance exists, so it is not remembered.
    static PREMATURE: Cell<u64> = const { Cell::new(0) };
}

fn premature() -> u64 {
    PREMATURE.with(Cell::get)
}

/// How many cross-scope values may be in progress at once on one thread;
/// bounds the recursion of evaluations that hop between module instances.
const MAX_ACTIVE: usize = 192;

/// Marks (scope, what, name) as being computed while `f` runs; unknown
/// when it already is, or when too many are.
fn guarded(scope: *const (), what: u8, name: &str, f: impl FnOnce() -> Node) -> Node {
    let key = (scope as usize, what);
    let entered = ACTIVE.with(|a| {
        let mut a = a.borrow_mut();
        if a.len() >= MAX_ACTIVE || a.iter().any(|(s, w, n)| (*s, *w) == key && n == name) {
            return false;
        }
        a.push((key.0, key.1, name.to_string()));
        true
    });
    if !entered {
        return Node::unknown();
    }
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            ACTIVE.with(|a| {
                a.borrow_mut().pop();
            });
        }
    }
    let _leave = Leave;
    f()
}

const ACTIVE_VAR: u8 = 0;
const ACTIVE_OUTPUT: u8 = 1;

/// The variables and locals a module declares: the part of a [`Scope`]
/// that is the same in every instance of the module.
///
/// Keyed by names borrowed from the model where there is one.
#[derive(Default, Clone)]
pub struct Decls<'m> {
    vars: HashMap<Cow<'m, str>, VarDecl<'m>>,
    locals: HashMap<Cow<'m, str>, LocalDecl<'m>>,
    outputs: HashMap<&'m str, LocalDecl<'m>>,
}

impl<'m> Decls<'m> {
    pub fn new() -> Self {
        Decls::default()
    }

    /// Declares a variable whose type the model has already read.
    pub fn typed_variable(
        &mut self,
        name: &'m str,
        file: FileId,
        default: Option<&'m Ast>,
        ty: &'m VarType,
    ) {
        self.vars.insert(
            Cow::Borrowed(name),
            VarDecl {
                file,
                default,
                ty: Cow::Borrowed(ty),
            },
        );
    }

    /// Declares a `locals` entry written in `file`.
    pub fn local(&mut self, name: &'m str, file: FileId, expr: &'m Ast) {
        self.locals
            .insert(Cow::Borrowed(name), LocalDecl { file, expr });
    }

    /// Declares the `value` of `output "name"`, written in `file`.
    pub fn output(&mut self, name: &'m str, file: FileId, expr: &'m Ast) {
        self.outputs.insert(name, LocalDecl { file, expr });
    }
}

impl<'m> Scope<'m> {
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope for one instance of a module whose declarations are shared.
    pub fn with_decls(decls: Arc<Decls<'m>>) -> Self {
        Scope {
            decls,
            ..Scope::default()
        }
    }

    /// A scope for an instance that `module "call"` makes.
    pub fn for_call(decls: Arc<Decls<'m>>, call: &'m str) -> Self {
        Scope {
            decls,
            call: Some(call),
            ..Scope::default()
        }
    }

    /// Records the instances that `module "call"` of this instance makes,
    /// so that `module.call.output` can be read.
    pub fn add_children(&self, call: &'m str, children: Children<'m>) {
        cache(&self.children).insert(call, children);
    }

    /// Records that the instances of every call have been added: a call
    /// not among them makes none that can be read.
    pub fn finish(&self) {
        self.complete.store(true, Ordering::Release);
    }

    /// Declares `variable "name"` from `file`, with its `default` and `type`
    /// expressions if present. A later declaration of the same name
    /// replaces the earlier one.
    pub fn declare_variable(
        &mut self,
        name: &str,
        file: FileId,
        default: Option<&'m Ast>,
        type_expr: Option<&Expression>,
    ) {
        let ty = VarType::parse(type_expr, file, name);
        self.declare(Cow::Owned(name.to_string()), file, default, Cow::Owned(ty));
    }

    fn declare(
        &mut self,
        name: Cow<'m, str>,
        file: FileId,
        default: Option<&'m Ast>,
        ty: Cow<'m, VarType>,
    ) {
        Arc::make_mut(&mut self.decls)
            .vars
            .insert(name, VarDecl { file, default, ty });
        clear(&mut self.var_cache);
        clear(&mut self.local_cache);
    }

    /// Gives variable `name` a value, replacing any value set before (from a
    /// `.tfvars` file, `-var`, or a calling module). The value is converted to
    /// the variable's declared type when it is read.
    pub fn set_variable(&mut self, name: &str, value: Resolved) {
        self.assigned
            .insert(name.to_string(), Assigned::Value(Box::new(value)));
        clear(&mut self.var_cache);
        clear(&mut self.local_cache);
    }

    /// Gives variable `name` the argument `expr` (written in `file`) of the
    /// `module "call"` block in `caller`'s module. It is evaluated in
    /// `caller` when first read, as [`Resolved::from_caller`] of its value.
    pub fn set_variable_from_caller(
        &mut self,
        name: &str,
        call: &'m str,
        caller: SharedScope<'m>,
        file: FileId,
        expr: &'m Ast,
        bindings: Option<Arc<Bindings>>,
    ) {
        self.assigned.insert(
            name.to_string(),
            Assigned::Caller {
                scope: caller,
                call,
                file,
                expr,
                bindings,
            },
        );
        clear(&mut self.var_cache);
        clear(&mut self.local_cache);
    }

    /// Gives variable `name` a value from a `-var name=raw` option
    /// (`kind` [`OriginKind::CliVar`]) or a `TF_VAR_name` environment
    /// variable (`kind` [`OriginKind::EnvVar`]). As in Terraform, the raw
    /// string is taken literally when the variable's type is a primitive
    /// type or is not declared, and parsed as an expression otherwise (see
    /// [`ParsingMode`]).
    pub fn set_variable_string(&mut self, name: &str, raw: &str, kind: OriginKind) {
        self.assigned.insert(
            name.to_string(),
            Assigned::Raw {
                raw: raw.to_string(),
                kind,
            },
        );
        clear(&mut self.var_cache);
        clear(&mut self.local_cache);
    }

    /// Declares a `locals` entry written in `file`. A later declaration of
    /// the same name replaces the earlier one.
    pub fn declare_local(&mut self, name: &'m str, file: FileId, expr: &'m Ast) {
        Arc::make_mut(&mut self.decls).local(name, file, expr);
        clear(&mut self.local_cache);
    }

    /// Whether a variable of this name is declared.
    pub fn has_variable(&self, name: &str) -> bool {
        self.decls.vars.contains_key(name)
    }

    /// Whether variable `name` was given a value (by a `.tfvars` file,
    /// `-var`, a deployment's inputs or a calling module), as opposed to
    /// falling back on its default.
    pub fn is_assigned(&self, name: &str) -> bool {
        self.assigned.contains_key(name)
    }

    /// How a string value from `-var` or the environment is read for
    /// variable `name`. Undeclared variables use [`ParsingMode::Literal`].
    pub fn parsing_mode(&self, name: &str) -> ParsingMode {
        match self.decls.vars.get(name) {
            Some(decl) => decl.ty.mode,
            None => ParsingMode::Literal,
        }
    }

    /// The value of `var.name`.
    pub fn variable(&self, name: &str) -> Resolved {
        Resolved::from_node(self.var_node(name))
    }

    /// The value of `local.name`.
    pub fn local(&self, name: &str) -> Resolved {
        Resolved::from_node(self.local_node(name))
    }

    /// Evaluates `expr`, written in `file`, in this scope.
    pub fn eval(&self, file: FileId, expr: &Ast) -> Resolved {
        let mut ev = Evaluator::new(Some(self), file, OriginKind::Literal);
        Resolved::from_node(ev.eval(expr))
    }

    /// Evaluates `expr` in this scope with the names `bindings` binds
    /// (`each`, `count`, a `dynamic` block's iterator).
    pub fn eval_bound(&self, file: FileId, expr: &Ast, bindings: &Bindings) -> Resolved {
        let mut ev = Evaluator::new(Some(self), file, OriginKind::Literal);
        ev.outer = Some(bindings);
        Resolved::from_node(ev.eval(expr))
    }

    /// Where the value of `var.name` was written: the calling module's
    /// argument, the `.tfvars` entry, or the default.
    fn var_def(&self, name: &str) -> Option<Span> {
        match self.assigned.get(name) {
            Some(Assigned::Caller { file, expr, .. }) => Some(Span::new(*file, expr.span()?)),
            Some(Assigned::Value(r)) => r.origin.as_ref()?.span.clone(),
            Some(Assigned::Raw { .. }) => None,
            None => {
                let decl = self.decls.vars.get(name)?;
                Some(Span::new(decl.file, decl.default?.span()?))
            }
        }
    }

    /// Where `local.name` was written.
    fn local_def(&self, name: &str) -> Option<Span> {
        let decl = self.decls.locals.get(name)?;
        Some(Span::new(decl.file, decl.expr.span()?))
    }

    /// Where the value of `output "name"` was written.
    fn output_def(&self, name: &str) -> Option<Span> {
        let decl = self.decls.outputs.get(name)?;
        Some(Span::new(decl.file, decl.expr.span()?))
    }

    /// The value of `output "name"` of this instance, as its caller reads
    /// it: literals written in the output are labelled
    /// [`OriginKind::Output`].
    pub fn output(&self, name: &str) -> Resolved {
        Resolved::from_node(self.output_node(name))
    }

    fn output_node(&self, name: &str) -> Node {
        if let Some(n) = cache(&self.output_cache).get(name) {
            return n.clone();
        }
        let Some(decl) = self.decls.outputs.get(name) else {
            return Node::unknown();
        };
        let before = premature();
        let node = guarded(
            self as *const Scope as *const (),
            ACTIVE_OUTPUT,
            name,
            || {
                let kind = OriginKind::Output {
                    module_call: self.call.unwrap_or_default().to_string(),
                    name: name.to_string(),
                };
                let mut ev = Evaluator::new(Some(self), decl.file, kind);
                ev.eval(decl.expr)
            },
        );
        if premature() == before {
            cache(&self.output_cache).insert(name.to_string(), node.clone());
        }
        node
    }

    /// Every output of this instance, as one object: `module.name`.
    fn outputs_object(&self) -> Node {
        let mut names: Vec<&str> = self.decls.outputs.keys().copied().collect();
        names.sort_unstable();
        let map = names
            .into_iter()
            .map(|n| (n.to_string(), self.output_node(n)))
            .collect();
        Node::map(map, None)
    }

    fn var_node(&self, name: &str) -> Node {
        if let Some(n) = cache(&self.var_cache).get(name) {
            return n.clone();
        }
        let before = premature();
        let node = self.compute_var(name);
        if premature() == before {
            cache(&self.var_cache).insert(name.to_string(), node.clone());
        }
        node
    }

    fn compute_var(&self, name: &str) -> Node {
        let Some(decl) = self.decls.vars.get(name) else {
            return Node::unknown();
        };
        let node = match self.assigned.get(name) {
            Some(Assigned::Value(r)) => r.node.clone(),
            Some(Assigned::Caller {
                scope,
                call,
                file,
                expr,
                bindings,
            }) => {
                let me = self as *const Scope as *const ();
                guarded(me, ACTIVE_VAR, name, || {
                    let value = match bindings {
                        Some(b) => scope.eval_bound(*file, expr, b),
                        None => scope.eval(*file, expr),
                    };
                    Resolved::from_caller(call, name, value).node
                })
            }
            Some(Assigned::Raw { raw, kind }) => {
                let origin = Origin::new(None, kind.clone());
                match decl.ty.mode {
                    ParsingMode::Literal => Node::leaf(NodeVal::String(raw.clone()), Some(origin)),
                    ParsingMode::Expression => vars::eval_cli_expression(raw, kind.clone()),
                }
            }
            None => match decl.default {
                Some(expr) => {
                    let kind = OriginKind::VariableDefault {
                        name: name.to_string(),
                    };
                    let mut ev = Evaluator::new(None, decl.file, kind);
                    ev.eval(expr)
                }
                None => Node::unknown(),
            },
        };
        types::convert(node, &decl.ty.spec)
    }

    fn local_node(&self, name: &str) -> Node {
        if let Some(n) = cache(&self.local_cache).get(name) {
            return n.clone();
        }
        if !self.decls.locals.contains_key(name) {
            return Node::unknown();
        }
        if let Some(node) = self.resolve_locals_from(name) {
            return node;
        }
        cache(&self.local_cache)
            .get(name)
            .cloned()
            .unwrap_or_else(Node::unknown)
    }

    /// Evaluates `start` and every local it depends on, dependencies first,
    /// with an explicit stack, so that long chains of locals neither recurse
    /// deeply nor evaluate anything twice. Locals on a cycle are unknown.
    fn resolve_locals_from(&self, start: &str) -> Option<Node> {
        enum Mark {
            Open,
            Cyclic,
        }
        let mut marks: HashMap<String, Mark> = HashMap::default();
        // Each frame: a local and the dependencies still to visit.
        let mut stack: Vec<(String, Vec<String>)> = Vec::new();
        marks.insert(start.to_string(), Mark::Open);
        stack.push((start.to_string(), self.local_deps(start)));
        while let Some((name, deps)) = stack.last_mut() {
            let name = name.clone();
            if let Some(dep) = deps.pop() {
                if cache(&self.local_cache).contains_key(&dep)
                    || !self.decls.locals.contains_key(dep.as_str())
                {
                    continue;
                }
                if marks.contains_key(&dep) {
                    // `dep` is on the stack: every local from it up to the top
                    // is on a cycle.
                    let mut on_cycle = false;
                    for (frame, _) in stack.iter() {
                        if *frame == dep {
                            on_cycle = true;
                        }
                        if on_cycle {
                            marks.insert(frame.clone(), Mark::Cyclic);
                        }
                    }
                    continue;
                }
                marks.insert(dep.clone(), Mark::Open);
                let dep_deps = self.local_deps(&dep);
                stack.push((dep, dep_deps));
                continue;
            }
            stack.pop();
            let before = premature();
            let node = match marks.get(&name) {
                Some(Mark::Cyclic) => Node::unknown(),
                _ => self.compute_local(&name),
            };
            if premature() == before {
                cache(&self.local_cache).insert(name, node);
            } else if name == start {
                // Not remembered, so handed back directly.
                return Some(node);
            }
        }
        None
    }

    fn compute_local(&self, name: &str) -> Node {
        let Some(decl) = self.decls.locals.get(name) else {
            return Node::unknown();
        };
        let kind = OriginKind::Local {
            name: name.to_string(),
        };
        let mut ev = Evaluator::new(Some(self), decl.file, kind);
        ev.eval(decl.expr)
    }

    /// The names of the locals `name`'s expression refers to, in order.
    fn local_deps(&self, name: &str) -> Vec<String> {
        let Some(decl) = self.decls.locals.get(name) else {
            return Vec::new();
        };
        let mut seen = HashSet::default();
        let mut out = Vec::new();
        decl.expr.visit_locals(&mut |name| {
            if seen.insert(name) {
                out.push(name.to_string());
            }
        });
        // Visit in reverse so that the stack pops them in source order.
        out.reverse();
        out
    }
}

/// One evaluation: the scope to look references up in, and how literal
/// values are labelled.
struct Evaluator<'s, 'm> {
    scope: Option<&'s Scope<'m>>,
    file: FileId,
    literal: OriginKind,
    depth: usize,
    /// Names bound by enclosing `for` expressions, innermost last.
    bindings: Vec<(String, Node)>,
    /// Names bound around the whole expression (`each`, `count`, a
    /// `dynamic` block's iterator); `for` bindings shadow them.
    outer: Option<&'s Bindings>,
}

impl<'s, 'm> Evaluator<'s, 'm> {
    fn new(scope: Option<&'s Scope<'m>>, file: FileId, literal: OriginKind) -> Self {
        Evaluator {
            scope,
            file,
            literal,
            depth: 0,
            bindings: Vec::new(),
            outer: None,
        }
    }

    fn origin(&self, expr: &Ast) -> Option<Origin> {
        let span = expr.span().map(|r| Span::new(self.file, r));
        Some(Origin::new(span, self.literal.clone()))
    }

    fn eval(&mut self, expr: &Ast) -> Node {
        if self.depth >= MAX_EXPR_DEPTH {
            return Node::unknown();
        }
        self.depth += 1;
        let node = self.eval_inner(expr);
        self.depth -= 1;
        node
    }

    fn eval_inner(&mut self, expr: &Ast) -> Node {
        let origin = self.origin(expr);
        match &expr.kind {
            Kind::Null => Node::leaf(NodeVal::Null, origin),
            Kind::Bool(b) => Node::leaf(NodeVal::Bool(*b), origin),
            Kind::Number(n) => match n {
                Some(v) => Node::leaf(NodeVal::Number(*v), origin),
                None => Node::unknown(),
            },
            Kind::String(s) => Node::leaf(NodeVal::String(s.to_string()), origin),
            Kind::Array(a) => {
                let items: Vec<Node> = a.iter().map(|e| self.eval(e)).collect();
                Node::list(items, origin)
            }
            Kind::Object(o) => {
                let mut map = BTreeMap::new();
                for (k, v) in o.iter() {
                    // An identifier key is a `Variable` node: its name.
                    let (Key::Ident(k) | Key::Expr(k)) = k;
                    let Some(key) = self.object_key(k) else {
                        return Node::unknown();
                    };
                    let value = self.eval(v);
                    if map.insert(key, value).is_some() {
                        // Terraform rejects duplicate keys.
                        return Node::unknown();
                    }
                }
                Node::map(map, origin)
            }
            Kind::Template(parts) => self.template(parts, origin),
            Kind::Paren(inner) => self.eval(inner),
            Kind::Variable(name) => match self.binding(name) {
                Some(n) => n,
                None => Node::unknown(),
            },
            Kind::Conditional(c) => self.conditional(c),
            Kind::Call(call) => {
                if self.scope.is_none() || call.namespaced {
                    // Function calls are not allowed in defaults and
                    // `.tfvars` files; provider functions need init.
                    return Node::unknown();
                }
                let mut args = Vec::with_capacity(call.args.len());
                for a in call.args.iter() {
                    args.push(self.eval(a));
                }
                if call.expand_final {
                    let Some(last) = args.pop() else {
                        return Node::unknown();
                    };
                    match last.val {
                        NodeVal::List(items) => args.extend(items),
                        _ => return Node::unknown(),
                    }
                }
                funcs::call(&call.name, args, origin)
            }
            Kind::Traversal(t) => self.traversal(t),
            Kind::Unary(op, inner) => {
                let v = self.eval(inner);
                match op {
                    UnaryOperator::Neg => match to_number(&v) {
                        Some(n) => num_node(-n, origin),
                        None => Node::unknown(),
                    },
                    UnaryOperator::Not => match to_bool(&v) {
                        Some(b) => Node::leaf(NodeVal::Bool(!b), origin),
                        None => Node::unknown(),
                    },
                }
            }
            Kind::Binary(op, operands) => self.binary(*op, operands, origin),
            Kind::For(f) => self.for_expr(f, origin),
            Kind::Unknown => Node::unknown(),
        }
    }

    fn binding(&self, name: &str) -> Option<Node> {
        self.binding_ref(name).cloned()
    }

    fn binding_ref(&self, name: &str) -> Option<&Node> {
        let inner = self.bindings.iter().rev().find(|(n, _)| n == name);
        match inner {
            Some((_, v)) => Some(v),
            None => self.outer.and_then(|o| o.get(name)),
        }
    }

    fn object_key(&mut self, e: &Ast) -> Option<String> {
        // A bare identifier as a key is the key's name, not a reference.
        if let Kind::Variable(v) = &e.kind {
            return Some(v.to_string());
        }
        let k = self.eval(e);
        to_string_value(&k)
    }

    fn template(&mut self, parts: &[Part], origin: Option<Origin>) -> Node {
        // A template that is exactly one interpolation yields the value
        // itself, whatever its type.
        if let [Part::Interpolation(e)] = parts {
            return self.eval(e);
        }
        let mut out = String::new();
        let mut unknown = false;
        for part in parts {
            match part {
                // Strip markers were applied when the template was read.
                Part::Literal(s) => out.push_str(s),
                Part::Interpolation(e) => {
                    let v = self.eval(e);
                    match to_string_value(&v) {
                        Some(s) => out.push_str(&s),
                        None => unknown = true,
                    }
                }
                // Template directives are not evaluated.
                Part::Directive(_) => unknown = true,
            }
        }
        if unknown {
            return Node::unknown();
        }
        Node::leaf(NodeVal::String(out), origin)
    }

    fn conditional(&mut self, c: &[Ast; 3]) -> Node {
        let [cond, yes, no] = c;
        let cond = self.eval(cond);
        let Some(cond) = to_bool(&cond) else {
            // Either branch may be taken: the value is unknown, but the
            // known values of the branches are what it could be.
            let mut alts: Vec<Node> = Vec::new();
            for branch in [yes, no] {
                let n = self.eval(branch);
                let known = match n.alts {
                    Some(inner) => inner.into_vec(),
                    None if n.is_wholly_known() => vec![n],
                    None => Vec::new(),
                };
                for k in known {
                    if alts.len() < MAX_ALTERNATIVES && !alts.iter().any(|a| a.val == k.val) {
                        alts.push(k);
                    }
                }
            }
            let mut node = Node::unknown();
            if !alts.is_empty() {
                node.alts = Some(alts.into_boxed_slice());
            }
            return node;
        };
        let (chosen, other) = if cond { (yes, no) } else { (no, yes) };
        let result = self.eval(chosen);
        // Terraform converts both results to a common type; work out the
        // other result's type to see whether the chosen one changes.
        let other = self.eval(other);
        unify_pair(result, &other)
    }

    fn traversal(&mut self, t: &ast::Traversal) -> Node {
        let mut ops = t.ops.iter().peekable();
        let current = match &t.root.kind {
            Kind::Variable(root) => {
                let root = &**root;
                if let Some(n) = self.binding_ref(root) {
                    // `each.value`: only the attribute read is copied.
                    match (&n.val, ops.peek()) {
                        (NodeVal::Map(m), Some(Op::GetAttr(attr))) => {
                            let mut child = m.get(&**attr).cloned().unwrap_or_else(Node::unknown);
                            let mut via = n.via.clone();
                            via.append(&mut child.via);
                            via.truncate(MAX_VIA);
                            child.via = via;
                            ops.next();
                            child
                        }
                        _ => n.clone(),
                    }
                } else {
                    let (Some(scope), Some(Op::GetAttr(attr))) = (self.scope, ops.peek()) else {
                        return Node::unknown();
                    };
                    let attr = &**attr;
                    let node = match root {
                        "var" => scope
                            .var_node(attr)
                            .through_at(format!("var.{attr}"), scope.var_def(attr)),
                        "local" => scope
                            .local_node(attr)
                            .through_at(format!("local.{attr}"), scope.local_def(attr)),
                        // A stack reads its components' outputs the
                        // same way.
                        "module" | "component" => {
                            ops.next();
                            return self.module_output(scope, attr, ops);
                        }
                        // Resources, data sources, count and each outside
                        // a repetition, path, terraform: not known without
                        // running.
                        _ => return Node::unknown(),
                    };
                    ops.next();
                    node
                }
            }
            _ => self.eval(&t.root),
        };
        self.apply_ops(current, ops)
    }

    /// `module.call...`: the output of the instance the call and, for a
    /// call with `count` or `for_each`, its index select, followed by the
    /// rest of the traversal. Unknown when the instance is not known.
    fn module_output<'o>(
        &mut self,
        scope: &Scope<'_>,
        call: &str,
        mut ops: std::iter::Peekable<std::slice::Iter<'o, Op>>,
    ) -> Node {
        // The index is evaluated first: it may read this scope's other
        // calls, and the list of calls is locked only to look one up.
        let key = match ops.peek() {
            Some(Op::Index(e)) => Some(self.eval(e)),
            Some(Op::LegacyIndex(i)) => Some(Node::leaf(NodeVal::Number(*i as f64), None)),
            _ => None,
        };
        // What the call made, taken out of the lock before anything is
        // evaluated: reading an output may come back to this scope.
        enum Picked<'x> {
            One(Option<Weak<Scope<'x>>>, String),
            All(Vec<(Option<String>, Weak<Scope<'x>>)>, bool),
        }
        let picked = {
            let children = cache(&scope.children);
            match (children.get(call), &key) {
                (None, _) => {
                    if !scope.complete.load(Ordering::Acquire) {
                        PREMATURE.with(|p| p.set(p.get() + 1));
                    }
                    return Node::unknown();
                }
                (Some(Children::One(w)), None) => {
                    Picked::One(Some(w.clone()), format!("module.{call}"))
                }
                // The whole call: a list of the instances' outputs for
                // `count`, a map by key for `for_each`.
                (Some(Children::Count(list)), None) => {
                    Picked::All(list.iter().map(|w| (None, w.clone())).collect(), false)
                }
                (Some(Children::ForEach(map)), None) => Picked::All(
                    map.iter()
                        .map(|(k, w)| (Some(k.clone()), w.clone()))
                        .collect(),
                    true,
                ),
                (Some(Children::Count(list)), Some(k)) => {
                    let Some(i) = to_number(k).filter(|i| *i >= 0.0 && i.fract() == 0.0) else {
                        return Node::unknown();
                    };
                    Picked::One(list.get(i as usize).cloned(), format!("module.{call}[{i}]"))
                }
                (Some(Children::ForEach(map)), Some(k)) => {
                    let Some(k) = to_string_value(k) else {
                        return Node::unknown();
                    };
                    let address = format!("module.{call}[{}]", Value::String(k.clone()));
                    Picked::One(map.get(&k).cloned(), address)
                }
                _ => return Node::unknown(),
            }
        };
        let picked = match picked {
            Picked::One(w, address) => (w.and_then(|w| w.upgrade()), address),
            Picked::All(all, keyed) => {
                let mut list = Vec::with_capacity(all.len());
                let mut map = BTreeMap::new();
                for (k, w) in all {
                    let Some(child) = w.upgrade() else {
                        return Node::unknown();
                    };
                    let object = child.outputs_object();
                    match k {
                        Some(k) => {
                            map.insert(k, object);
                        }
                        None => list.push(object),
                    }
                }
                let node = if keyed {
                    Node::map(map, None)
                } else {
                    Node::list(list, None)
                };
                return self.apply_ops(node.through(format!("module.{call}")), ops);
            }
        };
        let (Some(child), address) = picked else {
            return Node::unknown();
        };
        if key.is_some() {
            ops.next();
        }
        let current = match ops.peek() {
            Some(Op::GetAttr(name)) => {
                let name = &**name;
                ops.next();
                child
                    .output_node(name)
                    .through_at(format!("{address}.{name}"), child.output_def(name))
            }
            None => child.outputs_object().through(address),
            _ => return Node::unknown(),
        };
        self.apply_ops(current, ops)
    }

    /// Applies the rest of a traversal to a value.
    fn apply_ops<'o>(&mut self, mut current: Node, ops: impl Iterator<Item = &'o Op>) -> Node {
        if current.is_unknown() {
            // What each possible value gives is what the result may be.
            let Some(alts) = current.alts.take() else {
                return current;
            };
            let ops: Vec<&Op> = ops.collect();
            if ops.is_empty() {
                current.alts = Some(alts);
                return current;
            }
            let mut out: Vec<Node> = Vec::new();
            for alt in alts.into_vec() {
                let n = self.apply_ops(alt, ops.iter().copied());
                if n.is_wholly_known() && !out.iter().any(|o| o.val == n.val) {
                    out.push(n);
                }
            }
            if !out.is_empty() {
                current.alts = Some(out.into_boxed_slice());
            }
            return current;
        }
        for op in ops {
            current = match op {
                Op::GetAttr(name) => get_attr(current, name),
                Op::Index(e) => {
                    let key = self.eval(e);
                    index(current, &key)
                }
                Op::LegacyIndex(i) => {
                    let key = Node::leaf(NodeVal::Number(*i as f64), None);
                    index(current, &key)
                }
                Op::Splat => return Node::unknown(),
            };
            if current.is_unknown() {
                return current;
            }
        }
        current
    }

    fn binary(&mut self, op: BinaryOperator, operands: &[Ast; 2], origin: Option<Origin>) -> Node {
        use BinaryOperator as Op;
        let lhs = self.eval(&operands[0]);
        let rhs = self.eval(&operands[1]);
        let boolean = |v: bool| Node::leaf(NodeVal::Bool(v), origin.clone());
        match op {
            Op::Eq | Op::NotEq => match equal(&lhs, &rhs) {
                Some(eq) => boolean(if op == Op::Eq { eq } else { !eq }),
                None => Node::unknown(),
            },
            Op::And | Op::Or => {
                let (l, r) = (to_bool(&lhs), to_bool(&rhs));
                let decisive = op == Op::Or;
                // A decisive operand settles the result whatever the other is.
                if l == Some(decisive) || r == Some(decisive) {
                    return boolean(decisive);
                }
                match (l, r) {
                    (Some(_), Some(_)) => boolean(!decisive),
                    _ => Node::unknown(),
                }
            }
            Op::Less | Op::LessEq | Op::Greater | Op::GreaterEq => {
                let (Some(l), Some(r)) = (to_number(&lhs), to_number(&rhs)) else {
                    return Node::unknown();
                };
                let v = match op {
                    Op::Less => l < r,
                    Op::LessEq => l <= r,
                    Op::Greater => l > r,
                    _ => l >= r,
                };
                boolean(v)
            }
            Op::Plus | Op::Minus | Op::Mul | Op::Div | Op::Mod => {
                let (Some(l), Some(r)) = (to_number(&lhs), to_number(&rhs)) else {
                    return Node::unknown();
                };
                match number::arith(op, l, r) {
                    Some(v) => num_node(v, origin),
                    None => Node::unknown(),
                }
            }
        }
    }

    fn for_expr(&mut self, f: &ast::For, origin: Option<Origin>) -> Node {
        let coll = self.eval(&f.collection);
        let pairs: Vec<(Node, Node)> = match coll.val {
            NodeVal::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Node::leaf(NodeVal::Number(i as f64), None), v))
                .collect(),
            NodeVal::Map(items) => items
                .into_iter()
                .map(|(k, v)| (Node::leaf(NodeVal::String(k), None), v))
                .collect(),
            _ => return Node::unknown(),
        };
        let key_var = f.key_var.as_deref().map(str::to_string);
        let value_var = f.value_var.to_string();
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Node> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Node>> = BTreeMap::new();
        let base = self.bindings.len();
        let mut result_unknown = false;
        for (k, v) in pairs {
            self.bindings.truncate(base);
            if let Some(kv) = &key_var {
                self.bindings.push((kv.clone(), k));
            }
            self.bindings.push((value_var.clone(), v));
            if let Some(cond) = &f.cond {
                let c = self.eval(cond);
                match to_bool(&c) {
                    Some(true) => {}
                    Some(false) => continue,
                    None => {
                        result_unknown = true;
                        break;
                    }
                }
            }
            match &f.key {
                None => list.push(self.eval(&f.value)),
                Some(ke) => {
                    let key = self.eval(ke);
                    let Some(key) = to_string_value(&key) else {
                        result_unknown = true;
                        break;
                    };
                    let value = self.eval(&f.value);
                    if f.grouping {
                        groups.entry(key).or_default().push(value);
                    } else if map.insert(key, value).is_some() {
                        // Duplicate keys without `...` are an error.
                        result_unknown = true;
                        break;
                    }
                }
            }
        }
        self.bindings.truncate(base);
        if result_unknown {
            return Node::unknown();
        }
        match &f.key {
            None => Node::list(list, origin),
            Some(_) if f.grouping => {
                let map = groups
                    .into_iter()
                    .map(|(k, items)| (k, Node::list(items, origin.clone())))
                    .collect();
                Node::map(map, origin)
            }
            Some(_) => Node::map(map, origin),
        }
    }
}

fn num_node(v: f64, origin: Option<Origin>) -> Node {
    if v.is_finite() {
        Node::leaf(NodeVal::Number(v), origin)
    } else {
        Node::unknown()
    }
}

fn get_attr(node: Node, name: &str) -> Node {
    match node.val {
        NodeVal::Map(mut m) => {
            let via = node.via;
            match m.remove(name) {
                Some(mut child) => {
                    let mut v = via;
                    v.extend(child.via);
                    v.truncate(MAX_VIA);
                    child.via = v;
                    child
                }
                None => Node::unknown(),
            }
        }
        _ => Node::unknown(),
    }
}

fn index(node: Node, key: &Node) -> Node {
    let via = node.via;
    let mut child = match node.val {
        NodeVal::List(mut items) => {
            let Some(i) = to_number(key) else {
                return Node::unknown();
            };
            if i < 0.0 || i.fract() != 0.0 || i >= items.len() as f64 {
                return Node::unknown();
            }
            items.swap_remove(i as usize)
        }
        NodeVal::Map(mut m) => {
            let Some(k) = to_string_value(key) else {
                return Node::unknown();
            };
            match m.remove(&k) {
                Some(c) => c,
                None => return Node::unknown(),
            }
        }
        _ => return Node::unknown(),
    };
    let mut v = via;
    v.extend(child.via);
    v.truncate(MAX_VIA);
    child.via = v;
    child
}

/// Terraform's `==`: values of different types are not equal. Lists and
/// maps are not compared, since Terraform distinguishes lists from tuples
/// and maps from objects and this evaluator does not.
fn equal(a: &Node, b: &Node) -> Option<bool> {
    match (&a.val, &b.val) {
        (NodeVal::Unknown, _) | (_, NodeVal::Unknown) => None,
        (NodeVal::List(_) | NodeVal::Map(_), _) | (_, NodeVal::List(_) | NodeVal::Map(_)) => None,
        (NodeVal::Null, NodeVal::Null) => Some(true),
        (NodeVal::Null, _) | (_, NodeVal::Null) => Some(false),
        (NodeVal::Bool(x), NodeVal::Bool(y)) => Some(x == y),
        (NodeVal::Number(x), NodeVal::Number(y)) => Some(x == y),
        (NodeVal::String(x), NodeVal::String(y)) => Some(x == y),
        _ => Some(false),
    }
}

/// Converts a primitive value to a string the way Terraform does.
fn to_string_value(n: &Node) -> Option<String> {
    match &n.val {
        NodeVal::String(s) => Some(s.clone()),
        NodeVal::Number(v) => number::to_string(*v),
        NodeVal::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Converts a primitive value to a number the way Terraform does.
fn to_number(n: &Node) -> Option<f64> {
    match &n.val {
        NodeVal::Number(v) => Some(*v),
        NodeVal::String(s) => number::parse(s),
        _ => None,
    }
}

/// Converts a primitive value to a bool the way Terraform does.
fn to_bool(n: &Node) -> Option<bool> {
    match &n.val {
        NodeVal::Bool(b) => Some(*b),
        NodeVal::String(s) if s == "true" => Some(true),
        NodeVal::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// The chosen result of a conditional, converted to the type Terraform
/// finds for both results. Unknown when that type cannot be known.
fn unify_pair(chosen: Node, other: &Node) -> Node {
    match (&chosen.val, &other.val) {
        (NodeVal::Unknown, _) => chosen,
        (_, NodeVal::Null) | (NodeVal::Null, _) => chosen,
        (NodeVal::String(_), NodeVal::String(_) | NodeVal::Number(_) | NodeVal::Bool(_)) => chosen,
        // A string would stay a string whatever the other type is, unless
        // it is a collection, which Terraform rejects.
        (NodeVal::String(_), NodeVal::Unknown) => chosen,
        (NodeVal::Number(_), NodeVal::Number(_)) | (NodeVal::Bool(_), NodeVal::Bool(_)) => chosen,
        (NodeVal::Number(_) | NodeVal::Bool(_), NodeVal::String(_)) => {
            match to_string_value(&chosen) {
                Some(s) => Node {
                    val: NodeVal::String(s),
                    ..chosen
                },
                None => Node::unknown(),
            }
        }
        (NodeVal::List(_), NodeVal::List(_)) | (NodeVal::Map(_), NodeVal::Map(_)) => chosen,
        _ => Node::unknown(),
    }
}
