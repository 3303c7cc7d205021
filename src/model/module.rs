//! The model of one module: everything the rules need from its files,
//! extracted once.

use crate::eval::ast::{Ast, Kind, Op};
use crate::hclx::Str;
use crate::source::{FileId, Span};
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;

/// An expression together with the file it was written in, in the
/// compact form the evaluator reads (see [`Ast`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub file: FileId,
    pub ast: Ast,
}

impl Expr {
    /// Converts a parsed expression; the syntax tree can then be dropped.
    pub fn new(file: FileId, expr: &Expression) -> Expr {
        Expr {
            file,
            ast: Ast::from(expr),
        }
    }

    pub fn span(&self) -> Span {
        Span::new(self.file, self.ast.range())
    }

    /// The expression's value if it is a plain string literal.
    pub fn literal_str(&self) -> Option<String> {
        self.ast.literal_str()
    }
}

/// A nested block together with the file it was written in: its type,
/// first label, where it was written, and its whole body.
#[derive(Debug, Clone)]
pub struct NestedBlock {
    pub file: FileId,
    pub ident: String,
    /// The first label: the block type of a `dynamic` block.
    pub label: Option<String>,
    /// The whole block.
    pub span: std::ops::Range<usize>,
    pub ident_span: std::ops::Range<usize>,
    pub body: Content,
}

impl NestedBlock {
    /// The body of this block when it is an `ident` block, or the
    /// `content` of a `dynamic "ident"` block.
    fn body_as(&self, ident: &str) -> Option<&Content> {
        if self.ident == ident {
            return Some(&self.body);
        }
        if self.ident == "dynamic" && self.label.as_deref() == Some(ident) {
            return self
                .body
                .blocks
                .iter()
                .find(|b| b.ident == "content")
                .map(|b| &b.body);
        }
        None
    }
}

/// Where nested blocks of one type come from: written literally, or made
/// by a `dynamic` block, once per element of its `for_each`.
#[derive(Debug, Clone)]
pub enum MadeBlock<'a> {
    Literal(&'a NestedBlock),
    Dynamic {
        block: &'a NestedBlock,
        for_each: Option<&'a Expr>,
        /// The name its `content` reads the element by: the `iterator`
        /// argument, or else the block type.
        iterator: String,
        content: Option<&'a Content>,
    },
}

/// The top-level arguments and nested blocks of a block body, each tagged
/// with its file so that override files can replace them soundly.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub attrs: Vec<(String, Expr)>,
    pub blocks: Vec<NestedBlock>,
    /// For a body that was pruned when it was read, the keys that were
    /// kept; debug builds check every lookup against it.
    #[cfg(debug_assertions)]
    kept: Option<Vec<&'static str>>,
}

impl Content {
    /// An empty body with room for `attrs` arguments and `blocks` blocks.
    // The update fills `kept`, which exists only in debug builds.
    #[allow(clippy::needless_update)]
    pub(super) fn with_capacity(attrs: usize, blocks: usize) -> Content {
        Content {
            attrs: Vec::with_capacity(attrs),
            blocks: Vec::with_capacity(blocks),
            ..Content::default()
        }
    }

    /// This body, read keeping only the parts named in `keys`; debug
    /// builds check every lookup against them.
    pub(super) fn kept_only(self, _keys: Vec<&'static str>) -> Content {
        #[allow(unused_mut)]
        let mut c = self;
        #[cfg(debug_assertions)]
        {
            c.kept = Some(_keys);
        }
        c
    }

    /// Debug builds: a lookup of a part that pruning released is a bug in
    /// the list of what rules read, not a missing argument.
    #[inline]
    fn check_kept(&self, _key: &str) {
        #[cfg(debug_assertions)]
        if let Some(kept) = &self.kept {
            assert!(
                kept.contains(&_key),
                "`{_key}` of a resource body was released when the file was read; \
                 name it in rules::resource_body_reads"
            );
        }
    }

    /// Moves out the argument [`Content::attr`] would return.
    pub(super) fn take(&mut self, key: &str) -> Option<Expr> {
        let i = self.attrs.iter().rposition(|(k, _)| k == key)?;
        Some(self.attrs.swap_remove(i).1)
    }

    pub fn attr(&self, key: &str) -> Option<&Expr> {
        self.check_kept(key);
        self.attrs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, e)| e)
    }

    pub fn blocks_of<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a NestedBlock> + 'a {
        self.check_kept(ident);
        self.blocks.iter().filter(move |b| b.ident == ident)
    }

    /// The nested blocks `ident` written literally, and the `dynamic
    /// "ident"` blocks that make them, in order.
    pub fn blocks_made<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = MadeBlock<'a>> + 'a {
        self.check_kept(ident);
        self.blocks.iter().filter_map(move |b| {
            if b.ident == ident {
                return Some(MadeBlock::Literal(b));
            }
            if b.ident != "dynamic" || b.label.as_deref() != Some(ident) {
                return None;
            }
            let iterator = b
                .body
                .attrs
                .iter()
                .rev()
                .find(|(k, _)| k == "iterator")
                .and_then(|(_, e)| match e.ast.traversal_names()?.as_slice() {
                    [name] => Some(name.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| ident.to_string());
            Some(MadeBlock::Dynamic {
                block: b,
                for_each: b
                    .body
                    .attrs
                    .iter()
                    .rev()
                    .find(|(k, _)| k == "for_each")
                    .map(|(_, e)| e),
                iterator,
                content: b
                    .body
                    .blocks
                    .iter()
                    .find(|c| c.ident == "content")
                    .map(|c| &c.body),
            })
        })
    }

    /// The arguments at a path of nested blocks:
    /// `["viewer_certificate", "acm_certificate_arn"]` is the
    /// `acm_certificate_arn` argument of every `viewer_certificate` block,
    /// and a one-element path is a top-level argument. The `content` of a
    /// `dynamic "x"` block counts as an `x` block.
    pub fn attrs_at(&self, path: &[&str]) -> Vec<Expr> {
        let mut out = Vec::new();
        if let Some(first) = path.first() {
            self.check_kept(first);
        }
        match path {
            [] => {}
            [attr] => out.extend(self.attr(attr).cloned()),
            [block, rest @ ..] => {
                for nb in &self.blocks {
                    if let Some(body) = nb.body_as(block) {
                        body.attrs_in(rest, &mut out);
                    }
                }
            }
        }
        out
    }

    /// The arguments at `path` below this body (see [`Content::attrs_at`]),
    /// without the pruning check: nested bodies are kept whole.
    fn attrs_in(&self, path: &[&str], out: &mut Vec<Expr>) {
        match path {
            [] => {}
            [attr] => out.extend(
                self.attrs
                    .iter()
                    .filter(|(k, _)| k == attr)
                    .map(|(_, e)| e.clone())
                    .take(1),
            ),
            [block, rest @ ..] => {
                for b in &self.blocks {
                    if let Some(inner) = b.body_as(block) {
                        inner.attrs_in(rest, out);
                    }
                }
            }
        }
    }

    /// Applies an override: arguments replace arguments of the same name,
    /// and nested blocks replace all blocks of the same type.
    fn merge(&mut self, over: Content) {
        for (k, e) in over.attrs {
            self.attrs.retain(|(key, _)| *key != k);
            self.attrs.push((k, e));
        }
        let types: Vec<String> = over.blocks.iter().map(|b| b.ident.clone()).collect();
        self.blocks.retain(|b| !types.contains(&b.ident));
        self.blocks.extend(over.blocks);
    }
}

/// A reference to a provider configuration: `aws` or `aws.west`, or, in
/// OpenTofu, one instance of a configuration with `for_each`:
/// `aws.by_region[each.key]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderRef {
    pub name: String,
    pub alias: Option<String>,
    pub span: Span,
    /// The instance key, for a reference to one instance.
    pub key: Option<Box<Expr>>,
}

impl ProviderRef {
    pub(super) fn from_expr(e: &Expr) -> Option<ProviderRef> {
        let mut key = None;
        let parts = e
            .ast
            .traversal_names()
            .or_else(|| {
                let (names, k) = keyed_instance(&e.ast)?;
                key = Some(Box::new(Expr {
                    file: e.file,
                    ast: k,
                }));
                Some(names)
            })
            .or_else(|| {
                // `provider = "aws.west"` is the legacy quoted form.
                e.literal_str()
                    .map(|s| s.split('.').map(str::to_string).collect())
            })?;
        match parts.as_slice() {
            // A stack's `provider.aws.west`.
            [p, name, alias] if p == "provider" => Some(ProviderRef {
                name: name.clone(),
                alias: Some(alias.clone()),
                span: e.span(),
                key,
            }),
            [name] => Some(ProviderRef {
                name: name.clone(),
                alias: None,
                span: e.span(),
                key: None,
            }),
            [name, alias] => Some(ProviderRef {
                name: name.clone(),
                alias: Some(alias.clone()),
                span: e.span(),
                key,
            }),
            _ => None,
        }
    }

    /// Whether this names the configuration `name` / `alias`.
    pub fn is(&self, name: &str, alias: Option<&str>) -> bool {
        self.name == name && self.alias.as_deref() == alias
    }

    /// `aws` or `aws.west`.
    pub fn address(&self) -> String {
        match &self.alias {
            Some(a) => format!("{}.{}", self.name, a),
            None => self.name.clone(),
        }
    }
}

/// OpenTofu's reference to one instance of a provider block with
/// `for_each`, `aws.by_region[each.key]`, as its name and alias, and a
/// stack's, `provider.aws.by_region[each.key]`, as `provider`, name and
/// alias; with the key.
fn keyed_instance(expr: &Ast) -> Option<(Vec<String>, Ast)> {
    let Kind::Traversal(t) = &expr.kind else {
        return None;
    };
    let (last, rest) = t.ops.split_last()?;
    let key = match last {
        Op::Index(k) => k.clone(),
        // `aws.by_region.0`: a key, but not one worth judging.
        Op::LegacyIndex(_) => Ast::new(Kind::Unknown),
        _ => return None,
    };
    let Kind::Variable(v) = &t.root.kind else {
        return None;
    };
    match rest {
        [Op::GetAttr(i)] => Some((vec![v.to_string(), i.to_string()], key)),
        [Op::GetAttr(t), Op::GetAttr(i)] if &**v == "provider" => {
            Some((vec![v.to_string(), t.to_string(), i.to_string()], key))
        }
        _ => None,
    }
}

/// A constraint string as written, or the span of a non-literal value.
pub type StrOrExpr = Result<Str, Span>;

/// One entry of `required_providers`.
#[derive(Debug, Clone)]
pub struct ProviderRequirement {
    pub name: String,
    /// The whole entry (`aws = { ... }`).
    pub span: Span,
    pub name_span: Span,
    pub source: Option<StrOrExpr>,
    pub version: Option<StrOrExpr>,
    pub configuration_aliases: Vec<ProviderRef>,
    /// Written in the legacy form `aws = "~> 5.0"`.
    pub legacy: bool,
    /// `version` parsed with the provider rules, when it is a literal;
    /// filled in once by [`ModuleConfig::finalize`].
    pub parsed: Option<SharedConstraint>,
    /// The provider's address: its `source`, or Terraform's implied
    /// `hashicorp/<name>` without one; `None` for a source that is not a
    /// literal or not a valid address. Filled in once by
    /// [`ModuleConfig::finalize`]: the requirements of every tree the
    /// module is in, and several rules, ask for it.
    pub address: Option<super::addr::ProviderAddr>,
}

/// A constraint as Terraform's parser reads it, or its error.
pub type ParsedConstraint =
    Result<crate::constraint::Constraints, crate::constraint::ConstraintError>;

/// A parsed constraint as the model holds it: shared by every module that
/// writes the same text (see `parse_remembered`), so that a monorepo's
/// thousands of `~> 5.0` are one set, with one memo of its answers.
pub type SharedConstraint = std::sync::Arc<ParsedConstraint>;

/// A `backend "kind" {}` or `cloud {}` block.
#[derive(Debug, Clone)]
pub struct Backend {
    pub kind: String,
    pub span: Span,
}

/// A `provider "name" {}` block.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    pub name: String,
    pub header: Span,
    pub alias: Option<Str>,
    /// The deprecated `version` argument.
    pub version: Option<StrOrExpr>,
    /// The whole `version = ...` argument, when there is one.
    pub version_attr: Option<Span>,
    /// `version` parsed with the provider rules, when it is a literal;
    /// filled in once by [`ModuleConfig::finalize`].
    pub parsed_version: Option<SharedConstraint>,
    pub content: Content,
    /// An empty block (see [`ProviderConfig::is_empty`]) in a module that
    /// another module calls ([`super::Place::Child`]): a legacy "proxy"
    /// block, which stands for the configuration the caller passes, the
    /// way `configuration_aliases` does today. In a root module the same
    /// block is a real configuration with nothing set, whose resources go
    /// wherever the environment points. Decided once the call graph is
    /// known; every rule and the wiring read this.
    pub proxy: bool,
}

impl ProviderConfig {
    pub fn region(&self) -> Option<&Expr> {
        self.content.attr("region")
    }

    pub fn reference(&self) -> String {
        match &self.alias {
            Some(a) => format!("{}.{}", self.name, a.value),
            None => self.name.clone(),
        }
    }

    /// Whether this block is the configuration `name` / `alias`.
    pub fn is(&self, name: &str, alias: Option<&str>) -> bool {
        self.name == name && self.alias.as_ref().map(|a| a.value.as_str()) == alias
    }

    /// An empty block, such as `provider "aws" { alias = "west" }`.
    /// Terraform counts a block with nothing but `alias` as empty;
    /// `version` makes it a configuration. Whether it is a proxy depends
    /// on where it is written (see [`ProviderConfig::proxy`]).
    pub fn is_empty(&self) -> bool {
        self.content.blocks.is_empty() && self.content.attrs.iter().all(|(k, _)| k == "alias")
    }
}

/// Which kind of resource-like block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceMode {
    Managed,
    Data,
    Ephemeral,
    /// Terraform 1.14's `action "type" "name" {}`, which a provider runs.
    Action,
}

impl ResourceMode {
    pub fn keyword(self) -> &'static str {
        match self {
            ResourceMode::Managed => "resource",
            ResourceMode::Data => "data",
            ResourceMode::Ephemeral => "ephemeral",
            ResourceMode::Action => "action",
        }
    }
}

/// A `resource`, `data`, `ephemeral` or `action` block.
#[derive(Debug, Clone)]
pub struct Resource {
    pub mode: ResourceMode,
    pub type_name: String,
    pub name: String,
    pub header: Span,
    /// The `provider` meta-argument.
    pub provider: Option<Box<ProviderRef>>,
    pub content: Content,
}

impl Resource {
    /// The provider local name implied by the type: `aws` for
    /// `aws_s3_bucket`.
    pub fn implied_provider(&self) -> &str {
        implied_provider(&self.type_name)
    }

    /// `aws_s3_bucket.logs` or `data.aws_region.current`.
    pub fn address(&self) -> String {
        match self.mode {
            ResourceMode::Managed => format!("{}.{}", self.type_name, self.name),
            m => format!("{}.{}.{}", m.keyword(), self.type_name, self.name),
        }
    }
}

/// The provider local name a resource type implies: the part before the
/// first underscore.
pub fn implied_provider(type_name: &str) -> &str {
    match type_name.bytes().position(|b| b == b'_') {
        Some(i) => &type_name[..i],
        None => type_name,
    }
}

/// One entry of a module call's `providers` map.
#[derive(Debug, Clone)]
pub struct ProviderPass {
    /// The name inside the child (`aws` or `aws.west`).
    pub child: ProviderRef,
    /// The configuration passed from this module.
    pub parent: ProviderRef,
}

/// A `module "name" {}` block, or a stack's `component "name" {}`.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    /// `module`, or `component` in a stack: what messages call it, and
    /// the first step of its instances' addresses.
    pub keyword: &'static str,
    pub header: Span,
    pub source: Option<StrOrExpr>,
    pub version: Option<StrOrExpr>,
    pub providers: Vec<ProviderPass>,
    /// Set when a `providers` argument is present, even if empty.
    pub providers_span: Option<Span>,
    pub content: Content,
    /// `version` parsed with the module rules, when it is a literal;
    /// filled in once by [`ModuleConfig::finalize`].
    pub parsed_version: Option<SharedConstraint>,
    /// The kind of the literal source (`None` without one); filled in once
    /// by [`ModuleConfig::finalize`]. Rules that need a remote source's
    /// parts parse only the remote ones.
    pub source_kind: Option<super::source_addr::SourceKind>,
    /// For a long `providers` map, the positions of its entries in the
    /// order of the child's name and alias; empty otherwise. Filled in by
    /// [`ModuleConfig::finalize`] (see [`Self::pass_for`]).
    pub(super) pass_index: Vec<u32>,
}

impl ModuleCall {
    /// `module "net"` or `component "net"`, for messages.
    pub fn label(&self) -> String {
        format!("{} \"{}\"", self.keyword, self.name)
    }

    /// `module.net` or `component.net`: the call as its module addresses
    /// it, whatever its source or arguments say.
    pub fn address(&self) -> String {
        format!("{}.{}", self.keyword, self.name)
    }

    pub fn has_count(&self) -> bool {
        self.content.attr("count").is_some()
    }

    pub fn has_for_each(&self) -> bool {
        self.content.attr("for_each").is_some()
    }

    /// The arguments passed to the child's variables: everything but the
    /// meta-arguments (`source`, `version` and `providers` are read into
    /// fields and released when the block is read).
    pub fn arguments(&self) -> impl Iterator<Item = (&str, &Expr)> {
        self.content
            .attrs
            .iter()
            .filter(|(k, _)| {
                !MODULE_META_ARGS.contains(&k.as_str()) && !MODULE_STATIC_ARGS.contains(&k.as_str())
            })
            .map(|(k, e)| (k.as_str(), e))
    }

    /// The first entry of the `providers` map that passes the child's
    /// `name` and `alias`.
    pub fn pass_for<'a>(&'a self, name: &str, alias: Option<&str>) -> Option<&'a ProviderPass> {
        let key = |p: &'a ProviderPass| ref_key(&p.child);
        super::first_with_key(&self.providers, &self.pass_index, key, (name, alias))
    }

    /// The expression of a `source` or `version` (see
    /// [`MODULE_STATIC_ARGS`]) that is not a literal string.
    pub fn static_expr(&self, key: &str) -> Option<&Expr> {
        debug_assert!(MODULE_STATIC_ARGS.contains(&key));
        self.content
            .attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, e)| e)
    }

    /// The literal source string, if there is one.
    pub fn source_str(&self) -> Option<&Str> {
        self.source.as_ref().and_then(|s| s.as_ref().ok())
    }

    /// The source, when it is a literal local path: the only calls whose
    /// module tfpin reads, and so whose arguments are ever evaluated.
    pub fn local_source(&self) -> Option<&Str> {
        self.source_str()
            .filter(|s| super::source_addr::is_local(&s.value))
    }

    /// The literal source and its parts, when it is a remote (go-getter)
    /// source; parsed on each call, and only for such sources.
    pub fn remote_source(&self) -> Option<(&Str, super::source_addr::RemoteSource)> {
        use super::source_addr::{ModuleSource, SourceKind};
        if self.source_kind != Some(SourceKind::Remote) {
            return None;
        }
        let src = self.source_str()?;
        match ModuleSource::parse(&src.value) {
            ModuleSource::Remote(remote) => Some((src, remote)),
            _ => None,
        }
    }
}

/// The meta-arguments a `module` block keeps in its content.
pub const MODULE_META_ARGS: &[&str] = &["count", "for_each", "depends_on"];

/// The arguments a `module` block keeps in its content only when they are
/// not literal strings: OpenTofu 1.8 and later evaluate them statically.
pub const MODULE_STATIC_ARGS: &[&str] = &["source", "version"];

/// A `variable "name" {}` block.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub header: Span,
    pub default: Option<Expr>,
    /// The `type` argument, read when the file is read.
    pub ty: Option<crate::eval::VarType>,
    /// `const = true` (Terraform 1.15): the value is known when the
    /// configuration is loaded, so module `source` and `version` may read
    /// it.
    pub constant: bool,
}

/// A stack's `deployment "name" {}` block: one deployment of the stack
/// with its inputs for the stack's variables.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub name: String,
    pub header: Span,
    /// Each entry of `inputs`, in the order written.
    pub inputs: Vec<(String, Expr)>,
}

/// What a configuration is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfigKind {
    /// Terraform's (or OpenTofu's) module language: `.tf` files.
    #[default]
    Module,
    /// The Terraform Stacks language: `.tfcomponent.hcl` and
    /// `.tfdeploy.hcl` files, a stack root.
    Stack,
}

/// One `locals` entry.
#[derive(Debug, Clone)]
pub struct Local {
    pub name: String,
    pub span: Span,
    pub expr: Expr,
}

/// An `output "name" {}` block.
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub header: Span,
    /// The `value` argument.
    pub value: Option<Expr>,
}

/// A call of a provider-defined function, `provider::aws::arn_parse(...)`.
#[derive(Debug, Clone)]
pub struct ProviderFunctionCall {
    pub provider: String,
    /// OpenTofu's `provider::aws::west::fn`, which calls the function of one
    /// aliased configuration.
    pub alias: Option<String>,
    pub function: String,
    pub span: Span,
}

/// A block inside `terraform {}` that names a provider by its local name:
/// `provider_meta "name" {}`, or the `provider "name" {}` of a
/// `state_store`.
#[derive(Debug, Clone)]
pub struct ProviderMention {
    pub name: String,
    pub header: Span,
}

/// A resource named by a `moved` or `removed` block: one that may still be
/// in the state, so its provider is still needed.
#[derive(Debug, Clone)]
pub struct StateResource {
    pub type_name: String,
    pub span: Span,
}

fn config_key(pc: &ProviderConfig) -> NameKey<'_> {
    (
        pc.name.as_str(),
        pc.alias.as_ref().map(|a| a.value.as_str()),
    )
}

fn ref_key(r: &ProviderRef) -> NameKey<'_> {
    (r.name.as_str(), r.alias.as_deref())
}

/// [`crate::constraint::parse`], with the answers kept per thread: a tree
/// writes the same few constraints in thousands of modules, and a parse
/// costs several times a lookup and a clone. Short texts only, and a few
/// hundred per kind, so that a tree of distinct constraints cannot grow it
/// without bound.
fn parse_remembered(kind: crate::constraint::Kind, text: &str) -> SharedConstraint {
    use crate::constraint::{parse, Kind};
    use std::cell::RefCell;
    const MAX_TEXT: usize = 64;
    const MAX_ENTRIES: usize = 256;
    type Seen = [crate::HashMap<Box<str>, SharedConstraint>; 3];
    thread_local! {
        static SEEN: RefCell<Seen> = RefCell::new(Default::default());
    }
    if text.len() > MAX_TEXT {
        return SharedConstraint::new(parse(kind, text));
    }
    let slot = match kind {
        Kind::Provider => 0,
        Kind::Core => 1,
        Kind::Module => 2,
    };
    SEEN.with(|seen| {
        let seen = &mut seen.borrow_mut()[slot];
        if let Some(p) = seen.get(text) {
            return p.clone();
        }
        let p = SharedConstraint::new(parse(kind, text));
        if seen.len() >= MAX_ENTRIES {
            seen.clear();
        }
        seen.insert(text.into(), p.clone());
        p
    })
}

/// Everything tfpin knows about one module's configuration.
#[derive(Debug, Clone, Default)]
pub struct ModuleConfig {
    /// The engine whose reading of the module this is: it decides the
    /// registry of a provider source without a hostname.
    pub engine: crate::fileset::Engine,
    /// A module or a stack.
    pub kind: ConfigKind,
    /// A stack's deployments.
    pub deployments: Vec<Deployment>,
    /// The locals of a stack's deployment files, which only deployments'
    /// inputs read.
    pub deployment_locals: Vec<Local>,
    /// Every `required_version` (one per `terraform` block that sets it).
    pub required_version: Vec<StrOrExpr>,
    pub required_providers: Vec<ProviderRequirement>,
    pub backend: Option<Backend>,
    pub provider_configs: Vec<ProviderConfig>,
    pub resources: Vec<Resource>,
    pub module_calls: Vec<ModuleCall>,
    pub variables: Vec<Variable>,
    pub locals: Vec<Local>,
    pub outputs: Vec<Output>,
    pub provider_functions: Vec<ProviderFunctionCall>,
    /// The `provider` argument of each `import` block that has one.
    /// The configurations the `list` blocks of the module's query files
    /// (`*.tfquery.hcl`) name, each with whether it is one of the
    /// module's (and not one the query file defines itself).
    pub query_providers: Vec<(ProviderRef, bool)>,
    pub import_providers: Vec<ProviderRef>,
    /// `provider_meta "name" {}` blocks inside `terraform` blocks.
    pub provider_metas: Vec<ProviderMention>,
    /// The providers of `state_store` blocks inside `terraform` blocks.
    pub state_store_providers: Vec<ProviderMention>,
    /// Resources named by `moved` (`from` and `to`) and `removed` blocks,
    /// not those inside child modules.
    pub state_resources: Vec<StateResource>,
    /// The span of each `terraform` block header, for findings about the
    /// block as a whole.
    pub terraform_blocks: Vec<Span>,
    /// `language { compatible_with { opentofu = ... } }` constraints.
    pub opentofu_versions: Vec<StrOrExpr>,
    /// Each of them parsed with the core rules (`None` for a non-literal);
    /// filled in by [`Self::finalize`].
    pub opentofu_versions_parsed: Vec<Option<SharedConstraint>>,
    /// The module's `.tofu` and `.tofu.json` files in this reading:
    /// OpenTofu 1.12 and later obey `required_version` only there.
    pub opentofu_files: Vec<FileId>,
    /// Constructs only OpenTofu reads, each with what it is: `language`
    /// blocks and `lifecycle { enabled }`. (A provider block's `for_each`
    /// is in its content.) They tell which engine a tree is written for.
    pub opentofu_constructs: Vec<(Span, &'static str)>,
    /// Each `required_version` parsed with the core rules (`None` for a
    /// non-literal), in the same order; filled in by [`Self::finalize`].
    pub required_version_parsed: Vec<Option<SharedConstraint>>,
    /// The local names of the providers the module uses, sorted, each
    /// once (see [`crate::model::usage::used_names`]); filled in by
    /// [`Self::finalize`], since several rules and the requirements ask.
    pub used_provider_names: Vec<String>,
    /// For a module with many provider blocks, their positions in the
    /// order of their name, alias and position; empty otherwise. Filled in
    /// by [`Self::finalize`] (see [`Self::provider_configs_named`]).
    provider_index: Vec<u32>,
    /// The same for `configuration_aliases` entries: the requirement's
    /// position and the entry's.
    alias_index: Vec<(u32, u32)>,
    /// The same for `required_providers` entries, in the order of their
    /// names (see [`Self::requirement_named`]).
    requirement_index: Vec<u32>,
}

/// A provider block's or reference's name and alias, the order of the
/// indexes.
type NameKey<'a> = (&'a str, Option<&'a str>);

impl ModuleConfig {
    /// The provider blocks whose `for_each` only OpenTofu reads, with it:
    /// any in a module; none in a stack, whose provider blocks take
    /// `for_each` in Terraform.
    pub fn opentofu_provider_for_each(&self) -> impl Iterator<Item = (&ProviderConfig, &Expr)> {
        let module = self.kind == ConfigKind::Module;
        self.provider_configs
            .iter()
            .filter(move |_| module)
            .filter_map(|pc| Some((pc, pc.content.attr("for_each")?)))
    }

    /// Every literal `required_version` with its parse.
    pub fn required_versions(&self) -> impl Iterator<Item = (&Str, &ParsedConstraint)> {
        self.required_version
            .iter()
            .zip(&self.required_version_parsed)
            .filter_map(|(v, p)| Some((v.as_ref().ok()?, p.as_deref()?)))
    }

    /// The literal constraints on the engine itself that the engine of
    /// this reading obeys: every `required_version` for Terraform; for
    /// OpenTofu (1.12 and later) those written in `.tofu` files and the
    /// `language { compatible_with { opentofu } }` ones
    /// (internal/configs/diagnostics.go, checkVersionRequirements).
    pub fn engine_versions(&self) -> impl Iterator<Item = (&Str, &ParsedConstraint)> {
        let tofu = self.engine == crate::fileset::Engine::OpenTofu;
        let language = self
            .opentofu_versions
            .iter()
            .zip(&self.opentofu_versions_parsed)
            .filter_map(|(v, p)| Some((v.as_ref().ok()?, p.as_deref()?)));
        self.required_versions()
            .filter(move |(v, _)| self.obeys_required_version(v.span.file))
            .chain(language.filter(move |_| tofu))
    }

    /// Whether the engine of this reading obeys a `required_version`
    /// written in `file` (see [`Self::engine_versions`]).
    pub fn obeys_required_version(&self, file: FileId) -> bool {
        self.engine == crate::fileset::Engine::Terraform || self.opentofu_files.contains(&file)
    }

    /// Whether the module constrains the engine in a way the engine of this
    /// reading obeys, literal or not (a non-literal one is
    /// `constraint-invalid`'s).
    pub fn has_engine_version(&self) -> bool {
        let tofu = self.engine == crate::fileset::Engine::OpenTofu;
        self.required_version.iter().any(|v| {
            let file = match v {
                Ok(s) => s.span.file,
                Err(span) => span.file,
            };
            self.obeys_required_version(file)
        }) || (tofu && !self.opentofu_versions.is_empty())
    }

    /// Parses every version constraint once, after all files (and override
    /// files) are merged, so that no rule parses one again.
    pub fn finalize(&mut self) {
        use crate::constraint::Kind;
        for req in &mut self.required_providers {
            req.parsed = match &req.version {
                Some(Ok(v)) => Some(parse_remembered(Kind::Provider, &v.value)),
                _ => None,
            };
            req.address = match &req.source {
                None => Some(super::addr::ProviderAddr::implied_in(
                    &req.name,
                    self.engine,
                )),
                Some(Ok(s)) => super::addr::ProviderAddr::parse_in(&s.value, self.engine).ok(),
                Some(Err(_)) => None,
            };
        }
        for pc in &mut self.provider_configs {
            pc.parsed_version = match &pc.version {
                Some(Ok(v)) => Some(parse_remembered(Kind::Provider, &v.value)),
                _ => None,
            };
        }
        for call in &mut self.module_calls {
            call.parsed_version = match &call.version {
                Some(Ok(v)) => Some(parse_remembered(Kind::Module, &v.value)),
                _ => None,
            };
            call.source_kind = call
                .source_str()
                .map(|s| super::source_addr::SourceKind::of(&s.value));
            // Arguments are evaluated only for calls into modules that are
            // read, which need a local source (a literal, or, for OpenTofu,
            // an expression that may resolve to one); a registry or git
            // module's arguments are never read, so they are released
            // here, before the locals that feed only them.
            if call.local_source().is_none() && call.static_expr("source").is_none() {
                call.content.attrs.retain(|(k, _)| {
                    MODULE_META_ARGS.contains(&k.as_str())
                        || MODULE_STATIC_ARGS.contains(&k.as_str())
                });
                call.content.blocks.clear();
            }
        }
        let core = |list: &[StrOrExpr]| -> Vec<Option<SharedConstraint>> {
            list.iter()
                .map(|v| {
                    v.as_ref()
                        .ok()
                        .map(|s| parse_remembered(Kind::Core, &s.value))
                })
                .collect()
        };
        self.required_version_parsed = core(&self.required_version);
        self.opentofu_versions_parsed = core(&self.opentofu_versions);
        self.used_provider_names = crate::model::usage::names_in_use(self);
        self.build_indexes();
    }

    fn build_indexes(&mut self) {
        self.alias_index.clear();
        let reqs = &self.required_providers;
        self.requirement_index = super::sorted_positions(reqs.len(), |i| reqs[i].name.as_str());
        for call in &mut self.module_calls {
            let passes = &call.providers;
            call.pass_index = super::sorted_positions(passes.len(), |i| ref_key(&passes[i].child));
        }
        let configs = &self.provider_configs;
        self.provider_index = super::sorted_positions(configs.len(), |i| config_key(&configs[i]));
        let aliases = self
            .required_providers
            .iter()
            .map(|r| r.configuration_aliases.len());
        if aliases.sum::<usize>() > super::FEW {
            let reqs = &self.required_providers;
            let key =
                |&(r, e): &(u32, u32)| ref_key(&reqs[r as usize].configuration_aliases[e as usize]);
            let mut index: Vec<(u32, u32)> = reqs
                .iter()
                .enumerate()
                .flat_map(|(r, req)| {
                    (0..req.configuration_aliases.len()).map(move |e| (r as u32, e as u32))
                })
                .collect();
            index.sort_by(|a, b| key(a).cmp(&key(b)));
            self.alias_index = index;
        }
    }

    /// The first `required_providers` entry for the local name `name`.
    pub fn requirement_named<'a>(&'a self, name: &str) -> Option<&'a ProviderRequirement> {
        let key = |r: &'a ProviderRequirement| r.name.as_str();
        super::first_with_key(&self.required_providers, &self.requirement_index, key, name)
    }

    /// Whether `required_providers` has an entry for `name`.
    pub fn requires(&self, name: &str) -> bool {
        self.requirement_named(name).is_some()
    }

    /// The provider blocks named `name` with alias `alias`, with their
    /// positions, in order.
    pub fn provider_configs_named<'a>(
        &'a self,
        name: &'a str,
        alias: Option<&'a str>,
    ) -> impl Iterator<Item = (usize, &'a ProviderConfig)> + 'a {
        self.provider_configs_where(move |k| k.cmp(&(name, alias)), move |pc| pc.is(name, alias))
    }

    /// The provider blocks named `name`, whatever their alias, with their
    /// positions, in order.
    pub fn provider_configs_of<'a>(&'a self, name: &'a str) -> Vec<(usize, &'a ProviderConfig)> {
        let mut found: Vec<_> = self
            .provider_configs_where(move |k| k.0.cmp(name), move |pc| pc.name == name)
            .collect();
        // The index orders them by alias first.
        found.sort_unstable_by_key(|(i, _)| *i);
        found
    }

    /// The first provider block named `name` with alias `alias`.
    pub fn provider_config_named<'a>(
        &'a self,
        name: &'a str,
        alias: Option<&'a str>,
    ) -> Option<(usize, &'a ProviderConfig)> {
        self.provider_configs_named(name, alias).next()
    }

    /// The provider blocks whose key `place` puts at `Equal`, through the
    /// index when there is one, else by looking at each (`is` must then
    /// agree with `place`).
    fn provider_configs_where<'a>(
        &'a self,
        place: impl Fn(NameKey<'_>) -> std::cmp::Ordering + 'a,
        is: impl Fn(&ProviderConfig) -> bool + 'a,
    ) -> impl Iterator<Item = (usize, &'a ProviderConfig)> + 'a {
        let configs = &self.provider_configs;
        // An index of another length was built before blocks were added.
        let indexed = (self.provider_index.len() == configs.len()).then(|| {
            super::equal_range(&self.provider_index, |i| {
                place(config_key(&configs[i as usize]))
            })
        });
        let scanned = indexed.is_none().then_some(0..configs.len());
        let by_index = indexed.into_iter().flatten().map(|&i| i as usize);
        by_index
            .chain(
                scanned
                    .into_iter()
                    .flatten()
                    .filter(move |&i| is(&configs[i])),
            )
            .map(move |i| (i, &configs[i]))
    }

    /// The first `configuration_aliases` entry naming `name` and `alias`.
    pub fn configuration_alias_named(
        &self,
        name: &str,
        alias: Option<&str>,
    ) -> Option<&ProviderRef> {
        let reqs = &self.required_providers;
        if !self.alias_index.is_empty() {
            let entry = |(r, e): (u32, u32)| &reqs[r as usize].configuration_aliases[e as usize];
            let found =
                super::equal_range(&self.alias_index, |p| ref_key(entry(p)).cmp(&(name, alias)));
            return found.first().map(|&p| entry(p));
        }
        reqs.iter()
            .flat_map(|r| &r.configuration_aliases)
            .find(|ca| ca.is(name, alias))
    }

    /// Releases the locals and variables that nothing kept can reach.
    ///
    /// A local is kept when a provider block, a kept part of a resource
    /// body, a module call, an output, a variable or another kept local
    /// refers to it. A variable is kept when any of those, or a kept
    /// local, refers to it. Locals and variables that feed only released
    /// resource arguments (tags, names) are never evaluated, so neither
    /// their declarations nor their syntax trees need stay in memory.
    /// Nothing reads a variable except through a `var.NAME` reference in
    /// its own module: arguments from a caller and values from tfvars are
    /// looked up by name when the variable is read.
    ///
    /// Called once a module's files are all merged.
    pub fn release_unread(&mut self) {
        if self.locals.is_empty() && self.variables.is_empty() {
            return;
        }
        let mut refs = LocalRefs::default();
        for pc in &self.provider_configs {
            refs.content(&pc.content);
        }
        for r in &self.resources {
            refs.content(&r.content);
        }
        for c in &self.module_calls {
            refs.content(&c.content);
        }
        for e in self
            .outputs
            .iter()
            .filter_map(|o| o.value.as_ref())
            .chain(self.variables.iter().filter_map(|v| v.default.as_ref()))
        {
            refs.expr(e);
        }
        // Kept locals add the variables they read to `refs`, so locals
        // go first.
        self.keep_reachable_locals(&mut refs);
        let mut read = refs.vars;
        read.sort_unstable();
        read.dedup();
        self.variables
            .retain(|v| read.binary_search_by(|n| n.as_str().cmp(&v.name)).is_ok());
    }

    /// Keeps the locals that the names in `refs` reach, directly or
    /// through other kept locals, adding what those read to `refs`.
    fn keep_reachable_locals(&mut self, refs: &mut LocalRefs) {
        if self.locals.is_empty() {
            return;
        }
        let mut by_name: crate::HashMap<&str, Vec<usize>> = crate::HashMap::default();
        for (i, l) in self.locals.iter().enumerate() {
            by_name.entry(l.name.as_str()).or_default().push(i);
        }
        let mut keep = vec![false; self.locals.len()];
        let mut pending = std::mem::take(&mut refs.names);
        while let Some(name) = pending.pop() {
            let same_name = by_name.get(name.as_str()).map(Vec::as_slice);
            for &i in same_name.unwrap_or_default() {
                if !keep[i] {
                    keep[i] = true;
                    refs.expr(&self.locals[i].expr);
                    pending.append(&mut refs.names);
                }
            }
        }
        let mut i = 0;
        self.locals.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }

    /// Extracts the model from one file's parsed body and adds it. Override
    /// files are merged into what is already there instead.
    pub fn add_file(&mut self, file: FileId, body: Body, is_override: bool) {
        self.add_body(file, body, is_override, true);
    }

    /// Like [`ModuleConfig::add_file`]; `may_call_functions` says whether
    /// the file's text can hold a provider function call (see
    /// [`may_call_provider_functions`]). When it cannot, the search of the
    /// whole syntax tree for them is skipped.
    pub fn add_body(
        &mut self,
        file: FileId,
        body: Body,
        is_override: bool,
        may_call_functions: bool,
    ) {
        let part = super::read::hcl::file_part(file, &body, may_call_functions);
        self.absorb(part, is_override);
    }

    /// Adds another file's part to this module, with Terraform's override
    /// semantics if that file is an override file.
    pub fn absorb(&mut self, part: ModuleConfig, is_override: bool) {
        if is_override {
            self.merge_override(part);
        } else {
            self.append(part);
        }
    }

    fn append(&mut self, p: ModuleConfig) {
        /// Moves `from` into an empty `into` instead of copying it.
        fn join<T>(into: &mut Vec<T>, from: Vec<T>) {
            if into.is_empty() {
                *into = from;
            } else {
                into.extend(from);
            }
        }
        if p.kind == ConfigKind::Stack {
            self.kind = ConfigKind::Stack;
        }
        join(&mut self.deployments, p.deployments);
        join(&mut self.deployment_locals, p.deployment_locals);
        join(&mut self.required_version, p.required_version);
        join(&mut self.required_providers, p.required_providers);
        if p.backend.is_some() {
            self.backend = p.backend;
        }
        join(&mut self.provider_configs, p.provider_configs);
        join(&mut self.resources, p.resources);
        join(&mut self.module_calls, p.module_calls);
        join(&mut self.variables, p.variables);
        join(&mut self.locals, p.locals);
        join(&mut self.outputs, p.outputs);
        join(&mut self.terraform_blocks, p.terraform_blocks);
        join(&mut self.opentofu_constructs, p.opentofu_constructs);
        join(&mut self.opentofu_versions, p.opentofu_versions);
        join(&mut self.provider_functions, p.provider_functions);
        join(&mut self.import_providers, p.import_providers);
        join(&mut self.query_providers, p.query_providers);
        join(&mut self.provider_metas, p.provider_metas);
        join(&mut self.state_store_providers, p.state_store_providers);
        join(&mut self.state_resources, p.state_resources);
    }

    /// Gives back the spare capacity of the lists that grow with the size
    /// of a module, once it is complete: the model is kept for the whole
    /// run.
    pub fn shrink_to_fit(&mut self) {
        // A vector's first push reserves room for four; most modules have
        // one or two of most things, and every module is kept to the end.
        self.required_version.shrink_to_fit();
        self.required_providers.shrink_to_fit();
        self.provider_configs.shrink_to_fit();
        self.resources.shrink_to_fit();
        self.module_calls.shrink_to_fit();
        self.variables.shrink_to_fit();
        self.locals.shrink_to_fit();
        self.outputs.shrink_to_fit();
        self.provider_functions.shrink_to_fit();
        self.import_providers.shrink_to_fit();
        self.query_providers.shrink_to_fit();
        self.provider_metas.shrink_to_fit();
        self.state_store_providers.shrink_to_fit();
        self.state_resources.shrink_to_fit();
        self.terraform_blocks.shrink_to_fit();
        self.required_version_parsed.shrink_to_fit();
        for c in &mut self.module_calls {
            c.providers.shrink_to_fit();
        }
        for c in self
            .provider_configs
            .iter_mut()
            .map(|p| &mut p.content)
            .chain(self.resources.iter_mut().map(|r| &mut r.content))
            .chain(self.module_calls.iter_mut().map(|c| &mut c.content))
        {
            c.attrs.shrink_to_fit();
            c.blocks.shrink_to_fit();
        }
    }

    /// Terraform's override semantics: each block in an override file
    /// replaces the matching parts of the block it overrides. A block with
    /// nothing to override is an error in Terraform; tfpin keeps it so that
    /// it is still checked.
    fn merge_override(&mut self, p: ModuleConfig) {
        self.provider_functions.extend(p.provider_functions);
        self.terraform_blocks.extend(p.terraform_blocks);
        self.opentofu_constructs.extend(p.opentofu_constructs);
        self.opentofu_versions.extend(p.opentofu_versions);
        self.import_providers.extend(p.import_providers);
        self.query_providers.extend(p.query_providers);
        self.provider_metas.extend(p.provider_metas);
        self.state_store_providers.extend(p.state_store_providers);
        self.state_resources.extend(p.state_resources);
        if !p.required_version.is_empty() {
            self.required_version = p.required_version;
        }
        for req in p.required_providers {
            match self
                .required_providers
                .iter_mut()
                .find(|r| r.name == req.name)
            {
                Some(r) => {
                    if req.source.is_some() {
                        r.source = req.source;
                    }
                    if req.version.is_some() {
                        r.version = req.version;
                    }
                    if !req.configuration_aliases.is_empty() {
                        r.configuration_aliases = req.configuration_aliases;
                    }
                }
                None => self.required_providers.push(req),
            }
        }
        if p.backend.is_some() {
            self.backend = p.backend;
        }
        for pc in p.provider_configs {
            let alias = pc.alias.as_ref().map(|a| a.value.clone());
            match self
                .provider_configs
                .iter_mut()
                .find(|c| c.name == pc.name && c.alias.as_ref().map(|a| a.value.clone()) == alias)
            {
                Some(c) => {
                    if pc.version.is_some() {
                        c.version = pc.version;
                        c.version_attr = pc.version_attr;
                    }
                    c.content.merge(pc.content);
                }
                None => self.provider_configs.push(pc),
            }
        }
        for r in p.resources {
            match self
                .resources
                .iter_mut()
                .find(|x| x.mode == r.mode && x.type_name == r.type_name && x.name == r.name)
            {
                Some(x) => {
                    if r.provider.is_some() {
                        x.provider = r.provider;
                    }
                    x.content.merge(r.content);
                }
                None => self.resources.push(r),
            }
        }
        for m in p.module_calls {
            match self.module_calls.iter_mut().find(|x| x.name == m.name) {
                Some(x) => {
                    if m.source.is_some() {
                        x.source = m.source;
                    }
                    if m.version.is_some() {
                        x.version = m.version;
                    }
                    if m.providers_span.is_some() {
                        x.providers = m.providers;
                        x.providers_span = m.providers_span;
                    }
                    x.content.merge(m.content);
                }
                None => self.module_calls.push(m),
            }
        }
        for v in p.variables {
            match self.variables.iter_mut().find(|x| x.name == v.name) {
                Some(x) => {
                    if v.default.is_some() {
                        x.default = v.default;
                    }
                    if v.ty.is_some() {
                        x.ty = v.ty;
                    }
                }
                None => self.variables.push(v),
            }
        }
        for l in p.locals {
            self.locals.retain(|x| x.name != l.name);
            self.locals.push(l);
        }
        for o in p.outputs {
            if let Some(x) = self.outputs.iter_mut().find(|x| x.name == o.name) {
                if o.value.is_some() {
                    x.value = o.value;
                }
            } else {
                self.outputs.push(o);
            }
        }
    }
}

/// The names of the locals and of the variables an expression or body
/// refers to.
#[derive(Default)]
struct LocalRefs {
    names: Vec<String>,
    vars: Vec<String>,
}

impl LocalRefs {
    fn expr(&mut self, e: &Expr) {
        e.ast.visit_named_refs(&mut |root, name| match root {
            "local" => self.names.push(name.to_string()),
            "var" => self.vars.push(name.to_string()),
            _ => {}
        });
    }

    fn content(&mut self, c: &Content) {
        for (_, e) in &c.attrs {
            self.expr(e);
        }
        for b in &c.blocks {
            self.content(&b.body);
        }
    }
}

pub use super::read::may_call_provider_functions;

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        // Enough texts to fill the per-kind table several times over, each
        // asked twice: the remembered answer is always the parse's.
        #[test]
        fn remembered_parses_are_the_parse(
            texts in proptest::collection::vec("[<>=~!, 0-9.a-z-]{0,12}|[0-9]{1,80}", 1..600),
        ) {
            use crate::constraint::{parse, Kind};
            for kind in [Kind::Provider, Kind::Core, Kind::Module] {
                for t in texts.iter().chain(&texts) {
                    proptest::prop_assert_eq!(&*parse_remembered(kind, t), &parse(kind, t));
                }
            }
        }
    }

    #[test]
    fn modules_that_write_the_same_constraint_share_one_parse() {
        use crate::constraint::Kind;
        let a = parse_remembered(Kind::Provider, "~> 5.0");
        let b = parse_remembered(Kind::Provider, "~> 5.0");
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        // Kinds read the same text differently, so they do not share.
        let core = parse_remembered(Kind::Core, "~> 5.0");
        assert!(!std::sync::Arc::ptr_eq(&a, &core));
        // Long texts are not remembered, but are still parsed.
        let long = format!(">= 1.0, {}", vec!["!= 2.0"; 20].join(", "));
        let (x, y) = (
            parse_remembered(Kind::Provider, &long),
            parse_remembered(Kind::Provider, &long),
        );
        assert!(!std::sync::Arc::ptr_eq(&x, &y));
        assert_eq!(*x, crate::constraint::parse(Kind::Provider, &long));
    }

    #[test]
    fn arguments_of_modules_that_are_not_read_are_released() {
        let mut m = model(&[(
            r#"
locals {
  only_remote = { a = 1 }
  local_arg   = "x"
}
module "remote" {
  source   = "terraform-aws-modules/vpc/aws"
  version  = "~> 5.0"
  count    = 2
  settings = local.only_remote
}
module "git" {
  source = "git::https://example.com/m.git?ref=v1"
  name   = "y"
}
module "here" {
  source = "./child"
  name   = local.local_arg
}
"#,
            false,
        )]);
        m.finalize();
        m.release_unread();
        let args = |i: usize| -> Vec<&str> {
            m.module_calls[i]
                .content
                .attrs
                .iter()
                .map(|(k, _)| k.as_str())
                .collect()
        };
        assert_eq!(args(0), ["count"]);
        assert!(args(1).is_empty());
        assert_eq!(args(2), ["name"]);
        let locals: Vec<&str> = m.locals.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(locals, ["local_arg"]);
    }

    #[test]
    fn provider_function_calls_are_looked_for_only_where_they_can_be() {
        for text in [
            "locals { x = provider::aws::arn_parse(\"a\") }",
            "locals { x = provider :: aws :: arn_parse(\"a\") }",
            "locals { x = provider\n::aws::arn_parse(\"a\") }",
        ] {
            assert!(may_call_provider_functions(text), "{text}");
            let mut m = ModuleConfig::default();
            if let Ok(body) = hcl_edit::parser::parse_body(text) {
                m.add_body(FileId(0), body, false, may_call_provider_functions(text));
                assert_eq!(m.provider_functions.len(), 1, "{text}");
            }
        }
        for text in [
            "",
            "locals { arn = \"arn:aws:iam::123456789012:role/x\" }",
            "locals { x = providers::y }",
            "# provider:\nlocals {}",
        ] {
            assert!(!may_call_provider_functions(text), "{text}");
        }
    }

    fn model(files: &[(&str, bool)]) -> ModuleConfig {
        let mut m = ModuleConfig::default();
        for (i, (text, ov)) in files.iter().enumerate() {
            let body = hcl_edit::parser::parse_body(text).unwrap();
            m.add_file(FileId(i as u32), body, *ov);
        }
        m
    }

    proptest::proptest! {
        // Below and above the size at which blocks and aliases are indexed,
        // lookups through the index find what looking at each finds.
        #[test]
        fn indexed_lookups_find_what_a_scan_finds(
            blocks in proptest::collection::vec((0..3usize, 0..4usize), 0..40),
            aliases in proptest::collection::vec((0..3usize, 1..4usize), 0..40),
        ) {
            const NAMES: [&str; 3] = ["aws", "google", "azurerm"];
            const ALIASES: [Option<&str>; 4] = [None, Some("a"), Some("b"), Some("c")];
            let mut text = String::from("terraform {\n  required_providers {\n");
            for (n, name) in NAMES.iter().enumerate() {
                let list: Vec<String> = aliases
                    .iter()
                    .filter(|(an, _)| *an == n)
                    .map(|(_, a)| format!("{name}.{}", ALIASES[*a].unwrap()))
                    .collect();
                text += &format!(
                    "    {name} = {{\n      configuration_aliases = [{}]\n    }}\n",
                    list.join(", ")
                );
            }
            text += "  }\n}\n";
            for (n, a) in &blocks {
                text += &format!("provider \"{}\" {{\n", NAMES[*n]);
                if let Some(a) = ALIASES[*a] {
                    text += &format!("  alias = \"{a}\"\n");
                }
                text += "}\n";
            }
            let mut m = model(&[(&text, false)]);
            m.finalize();
            proptest::prop_assert_eq!(m.provider_configs.len(), blocks.len());
            // The lookups below go through the indexes when there are some.
            proptest::prop_assert_eq!(blocks.len() > crate::model::FEW, !m.provider_index.is_empty());
            proptest::prop_assert_eq!(aliases.len() > crate::model::FEW, !m.alias_index.is_empty());
            for name in NAMES.iter().chain(&["other"]) {
                let of_name: Vec<usize> = m.provider_configs_of(name).iter().map(|(i, _)| *i).collect();
                let scanned: Vec<usize> = (0..m.provider_configs.len())
                    .filter(|&i| m.provider_configs[i].name == *name)
                    .collect();
                proptest::prop_assert_eq!(of_name, scanned);
                for alias in ALIASES.iter().chain(&[Some("z")]) {
                    let scanned: Vec<usize> = (0..m.provider_configs.len())
                        .filter(|&i| m.provider_configs[i].is(name, *alias))
                        .collect();
                    let found: Vec<usize> =
                        m.provider_configs_named(name, *alias).map(|(i, _)| i).collect();
                    proptest::prop_assert_eq!(&found, &scanned);
                    proptest::prop_assert_eq!(
                        m.provider_config_named(name, *alias).map(|(i, _)| i),
                        scanned.first().copied()
                    );
                    let first = m
                        .required_providers
                        .iter()
                        .flat_map(|r| &r.configuration_aliases)
                        .find(|ca| ca.is(name, *alias));
                    let named = m.configuration_alias_named(name, *alias);
                    proptest::prop_assert!(
                        crate::model::same_item(named, first),
                        "{name} {alias:?}: {named:?} against {first:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        // Requirements by name and providers map entries by the child's
        // name and alias, below and above the size at which they are
        // indexed: the first in file order, as a scan finds it.
        #[test]
        fn requirement_and_pass_lookups_find_what_a_scan_finds(
            reqs in proptest::collection::vec(0..6usize, 0..40),
            passes in proptest::collection::vec((0..6usize, 0..4usize, 0..3usize), 0..40),
        ) {
            // A map's keys are unique; later repeats are dropped.
            let mut keys = std::collections::HashSet::new();
            let passes: Vec<_> = passes.into_iter().filter(|(n, a, _)| keys.insert((*n, *a))).collect();
            const NAMES: [&str; 6] = ["aws", "google", "azurerm", "random", "time", "tls"];
            const ALIASES: [Option<&str>; 4] = [None, Some("a"), Some("b"), Some("c")];
            let reference = |n: usize, a: Option<&str>| match a {
                Some(a) => format!("{}.{a}", NAMES[n]),
                None => NAMES[n].to_string(),
            };
            // One terraform block per entry: a name may be required twice.
            let mut text = String::new();
            for (i, n) in reqs.iter().enumerate() {
                text += &format!(
                    "terraform {{\n  required_providers {{\n    {} = {{\n      source = \"example/p{i}\"\n    }}\n  }}\n}}\n",
                    NAMES[*n]
                );
            }
            text += "module \"m\" {\n  source = \"./m\"\n  providers = {\n";
            for (n, a, p) in &passes {
                text += &format!("    {} = {}\n", reference(*n, ALIASES[*a]), reference(*p, Some("x")));
            }
            text += "  }\n}\n";
            let mut m = model(&[(&text, false)]);
            m.finalize();
            proptest::prop_assert_eq!(m.required_providers.len(), reqs.len());
            let call = &m.module_calls[0];
            proptest::prop_assert_eq!(call.providers.len(), passes.len());
            proptest::prop_assert_eq!(reqs.len() > crate::model::FEW, !m.requirement_index.is_empty());
            proptest::prop_assert_eq!(passes.len() > crate::model::FEW, !call.pass_index.is_empty());
            for name in NAMES.iter().chain(&["other"]) {
                let first = m.required_providers.iter().find(|r| r.name == *name);
                let named = m.requirement_named(name);
                proptest::prop_assert!(
                    crate::model::same_item(named, first),
                    "{name}: {named:?} against {first:?}"
                );
                proptest::prop_assert_eq!(m.requires(name), first.is_some());
                for alias in ALIASES.iter().chain(&[Some("z")]) {
                    let first = call.providers.iter().find(|p| p.child.is(name, *alias));
                    let found = call.pass_for(name, *alias);
                    proptest::prop_assert!(
                        crate::model::same_item(found, first),
                        "{name} {alias:?}: {found:?} against {first:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn reads_terraform_block() {
        let m = model(&[(
            r#"
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = "~> 5.0"
      configuration_aliases = [aws.west, aws.east]
    }
    legacy = "~> 1.0"
  }
  backend "s3" {}
}
"#,
            false,
        )]);
        assert_eq!(m.required_version.len(), 1);
        assert_eq!(m.required_version[0].as_ref().unwrap().value, ">= 1.5");
        let aws = &m.required_providers[0];
        assert_eq!(aws.name, "aws");
        assert_eq!(
            aws.source.as_ref().unwrap().as_ref().unwrap().value,
            "hashicorp/aws"
        );
        assert_eq!(
            aws.version.as_ref().unwrap().as_ref().unwrap().value,
            "~> 5.0"
        );
        let aliases: Vec<String> = aws
            .configuration_aliases
            .iter()
            .map(|r| r.address())
            .collect();
        assert_eq!(aliases, ["aws.west", "aws.east"]);
        assert!(!aws.legacy);
        let legacy = &m.required_providers[1];
        assert!(legacy.legacy);
        assert!(legacy.source.is_none());
        assert_eq!(
            legacy.version.as_ref().unwrap().as_ref().unwrap().value,
            "~> 1.0"
        );
        assert_eq!(m.backend.as_ref().unwrap().kind, "s3");
    }

    #[test]
    fn reads_providers_resources_and_modules() {
        let m = model(&[(
            r#"
provider "aws" {
  alias   = "west"
  region  = "us-west-2"
  version = "~> 4.0"
}
resource "aws_s3_bucket" "b" {
  provider = aws.west
}
data "aws_region" "r" {}
ephemeral "aws_secretsmanager_secret_version" "s" {}
module "net" {
  source    = "./modules/net"
  version   = "1.0.0"
  providers = { aws = aws.west, "aws.east" = aws }
  count     = 2
  cidr      = "10.0.0.0/16"
}
locals { x = provider::aws::arn_parse("arn:aws:s3:::b") }
"#,
            false,
        )]);
        let p = &m.provider_configs[0];
        assert_eq!(p.reference(), "aws.west");
        assert_eq!(p.region().unwrap().literal_str().unwrap(), "us-west-2");
        assert_eq!(
            p.version.as_ref().unwrap().as_ref().unwrap().value,
            "~> 4.0"
        );
        assert_eq!(m.resources.len(), 3);
        assert_eq!(
            m.resources[0].provider.as_ref().unwrap().address(),
            "aws.west"
        );
        assert_eq!(m.resources[1].address(), "data.aws_region.r");
        assert_eq!(m.resources[2].mode, ResourceMode::Ephemeral);
        let call = &m.module_calls[0];
        assert_eq!(call.source_str().unwrap().value, "./modules/net");
        assert!(call.has_count());
        assert!(!call.has_for_each());
        let passes: Vec<(String, String)> = call
            .providers
            .iter()
            .map(|p| (p.child.address(), p.parent.address()))
            .collect();
        assert_eq!(
            passes,
            [
                ("aws".into(), "aws.west".into()),
                ("aws.east".into(), "aws".into())
            ]
        );
        let args: Vec<&str> = call.arguments().map(|(k, _)| k).collect();
        assert_eq!(args, ["cidr"]);
        assert_eq!(m.provider_functions[0].provider, "aws");
        assert_eq!(m.provider_functions[0].function, "arn_parse");
    }

    #[test]
    fn override_files_merge_instead_of_adding() {
        let m = model(&[
            (
                r#"
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 4.0" }
  }
}
provider "aws" { region = "us-east-1" }
resource "aws_s3_bucket" "b" { region = "x" }
variable "v" { default = "a" }
"#,
                false,
            ),
            (
                r#"
terraform {
  required_providers {
    aws = { version = "~> 5.0" }
  }
}
provider "aws" { region = "eu-west-1" }
resource "aws_s3_bucket" "b" { provider = aws.x }
variable "v" { default = "b" }
"#,
                true,
            ),
        ]);
        assert_eq!(m.required_providers.len(), 1);
        let aws = &m.required_providers[0];
        assert_eq!(
            aws.version.as_ref().unwrap().as_ref().unwrap().value,
            "~> 5.0"
        );
        assert_eq!(
            aws.source.as_ref().unwrap().as_ref().unwrap().value,
            "hashicorp/aws"
        );
        assert_eq!(m.provider_configs.len(), 1);
        let region = m.provider_configs[0].region().unwrap();
        assert_eq!(region.literal_str().unwrap(), "eu-west-1");
        assert_eq!(region.file, FileId(1));
        assert_eq!(m.resources.len(), 1);
        assert_eq!(m.resources[0].provider.as_ref().unwrap().address(), "aws.x");
        assert_eq!(
            m.resources[0].content.attr("region").unwrap().file,
            FileId(0),
            "an argument the override leaves alone stays"
        );
        assert_eq!(m.variables.len(), 1);
        assert_eq!(m.variables[0].default.as_ref().unwrap().file, FileId(1));
    }

    #[test]
    fn resource_bodies_keep_only_what_is_read() {
        let m = model(&[(
            r#"
resource "aws_s3_bucket" "b" {
  bucket = "x"
  region = "eu-west-1"
  tags   = { a = 1 }
  replication_configuration {
    role = "r"
  }
  versioning {
    enabled = true
  }
}
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  dynamic "viewer_certificate" {
    for_each = [1]
    content {
      acm_certificate_arn = "arn"
    }
  }
  dynamic "origin" {
    for_each = [1]
    content {}
  }
}
"#,
            false,
        )]);
        let b = &m.resources[0].content;
        let kept: Vec<&str> = b.attrs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kept, ["region"]);
        let blocks: Vec<&str> = b.blocks.iter().map(|nb| nb.ident.as_str()).collect();
        assert_eq!(blocks, ["replication_configuration"]);
        let d = &m.resources[1].content;
        assert!(d.attrs.is_empty());
        assert_eq!(d.blocks.len(), 1, "only the dynamic block a rule reads");
        assert_eq!(
            d.attrs_at(&["viewer_certificate", "acm_certificate_arn"])[0]
                .literal_str()
                .as_deref(),
            Some("arn")
        );
    }

    #[test]
    fn locals_that_nothing_kept_reads_are_released() {
        let mut m = model(&[(
            r#"
locals {
  region  = local.base
  base    = "eu-west-1"
  tags    = { team = local.team }
  team    = "x"
  out     = "o"
  arg     = local.nested
  nested  = "n"
  dynamic = "d"
  unused  = "u"
}
provider "aws" { region = local.region }
resource "aws_s3_bucket" "b" {
  bucket = local.unused
  tags   = local.tags
}
resource "aws_cloudfront_distribution" "d" {
  dynamic "viewer_certificate" {
    for_each = [1]
    content {
      acm_certificate_arn = local.dynamic
    }
  }
}
module "m" {
  source = "./m"
  value  = "${local.arg}-x"
}
output "o" { value = [for x in [1] : local.out] }
"#,
            false,
        )]);
        m.release_unread();
        let mut kept: Vec<&str> = m.locals.iter().map(|l| l.name.as_str()).collect();
        kept.sort();
        assert_eq!(kept, ["arg", "base", "dynamic", "nested", "out", "region"]);
    }

    #[test]
    fn variables_that_nothing_kept_reads_are_released() {
        let mut m = model(&[(
            r#"
variable "region" {}
variable "replica" { default = "eu-west-2" }
variable "count_of" { default = 1 }
variable "via_local" {}
variable "arg" {}
variable "out" {}
variable "zone" {}
variable "cert" {}
variable "bucket" {}
variable "tags" { default = {} }
variable "for_remote" {}
variable "unused" { default = "u" }
locals {
  kept   = var.via_local
  unread = var.bucket
}
provider "aws" { region = var.region }
resource "aws_s3_bucket" "b" {
  count  = var.count_of
  bucket = var.bucket
  tags   = var.tags
  region = local.kept
}
resource "aws_dynamodb_table" "t" {
  replica { region_name = var.replica }
}
resource "aws_cloudfront_distribution" "d" {
  dynamic "viewer_certificate" {
    for_each = [1]
    content {
      acm_certificate_arn = var.cert
    }
  }
}
module "here" {
  source = "./child"
  value  = "${var.arg}-${var.zone}"
}
module "remote" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  name    = var.for_remote
}
output "o" { value = [for x in [1] : var.out] }
"#,
            false,
        )]);
        m.finalize();
        m.release_unread();
        let mut kept: Vec<&str> = m.variables.iter().map(|v| v.name.as_str()).collect();
        kept.sort();
        assert_eq!(
            kept,
            [
                "arg",
                "cert",
                "count_of",
                "out",
                "region",
                "replica",
                "via_local",
                "zone"
            ]
        );
        // What a kept variable says is kept with it.
        let replica = m.variables.iter().find(|v| v.name == "replica").unwrap();
        assert!(replica.default.is_some());
        // The locals are released by the same pass.
        let locals: Vec<&str> = m.locals.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(locals, ["kept"]);
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "was released when the file was read")]
    fn reading_a_released_part_of_a_resource_body_is_caught() {
        let m = model(&[(r#"resource "aws_s3_bucket" "b" { bucket = "x" }"#, false)]);
        let _ = m.resources[0].content.attr("bucket");
    }
}
