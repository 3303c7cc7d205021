//! Reading a module's model from a file's syntax, written once for both
//! syntaxes Terraform reads: native HCL ([`hcl`], over hcl-edit's tree)
//! and JSON ([`json`], over jsonc-parser's tree).
//!
//! The extraction below sees a file through a small view ([`Body`],
//! [`Block`], [`Attr`], [`Value`]) that each syntax implements; the model
//! it builds is the same whichever syntax the file is in, so rules never
//! know the difference. The views are generic parameters, not trait
//! objects: the native path compiles to the same walk over hcl-edit's tree
//! it always was, and converts only what the model keeps.
//!
//! In native syntax a block is a block and an argument is an argument. In
//! JSON both are object properties, and which one a property is depends on
//! the schema: `"provider": {"aws": {...}}` is a block with one label,
//! `"tags": {...}` an argument. The extraction says, for each body it
//! reads, what its names are (a [`Schema`]); the native view ignores it.

pub mod hcl;
pub mod json;

use super::module::*;
use crate::eval::ast::{Ast, Key, Kind, Op};
use crate::eval::VarType;
use crate::hclx::Str;
use crate::source::{FileId, Span};
use std::ops::Range;

/// How a property of a JSON body is read, as the schema of the block
/// being read says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An argument whose value is an expression: JSON strings are
    /// templates (`"eu-${var.x}"`).
    Attr,
    /// An argument Terraform reads as a reference or a list of them
    /// (`provider`, `depends_on`, `providers`, `from`): JSON strings hold
    /// an expression in native syntax (`"aws.west"`).
    Expr,
    /// A block with this many labels.
    Block(u8),
    /// Decided by the provider's schema, which tfpin does not have: in
    /// JSON, a block when the value is an object or a list of objects, an
    /// argument otherwise. Nested blocks of resources and providers.
    Auto,
}

/// What the names of one kind of body are.
pub type Schema = fn(&str) -> Shape;

/// One argument or block of a body, in the order written.
pub enum Item<A, B> {
    Attr(A),
    Block(B),
}

/// A block body.
pub trait Body<'a>: Copy {
    type Value: Value<'a>;
    type Attr: Attr<'a, Value = Self::Value>;
    type Block: Block<'a, Body = Self>;

    /// The arguments and blocks, in the order written; `schema` says what
    /// the names are where the syntax does not.
    fn items(self, schema: Schema) -> impl Iterator<Item = Item<Self::Attr, Self::Block>> + 'a;
}

/// An argument: `key = value`, or a JSON property read as one.
pub trait Attr<'a> {
    type Value: Value<'a>;
    fn key(&self) -> &'a str;
    fn key_range(&self) -> Range<usize>;
    /// The whole argument.
    fn range(&self) -> Range<usize>;
    fn value(&self) -> Self::Value;
}

/// A block, or one of the blocks a JSON property stands for.
pub trait Block<'a> {
    type Body: Body<'a>;
    fn ident(&self) -> &'a str;
    fn label(&self, i: usize) -> Option<&'a str>;
    fn ident_range(&self) -> Range<usize>;
    /// Where a finding about the whole block points: the type and labels
    /// in native syntax; in JSON the innermost label (or the type), or for
    /// one of a list of bodies, the start of its object.
    fn header_range(&self) -> Range<usize>;
    /// The whole block.
    fn range(&self) -> Range<usize>;
    fn body(&self) -> Self::Body;
}

/// An argument's value.
pub trait Value<'a>: Copy {
    fn range(self) -> Range<usize>;
    /// The value as Terraform reads an expression argument.
    fn ast(self) -> Ast;
    /// The value as Terraform reads a reference, a list of references or
    /// a map of them (see [`Shape::Expr`]).
    fn expr_ast(self) -> Ast;
    /// The value if it is a literal string.
    fn literal_str(self) -> Option<String>;
    /// The entries of an object: each key's name (when it is a literal),
    /// the key's range and the value.
    fn entries(self) -> Option<impl Iterator<Item = (Option<String>, Range<usize>, Self)> + 'a>;
    /// The items of a list.
    fn items(self) -> Option<impl Iterator<Item = Self> + 'a>;
    /// The value as the `type` of variable `name`.
    fn var_type(self, file: FileId, name: &str) -> VarType;
}

/// Converts an argument as `shape` says.
fn convert<'a, V: Value<'a>>(file: FileId, value: V, shape: Shape) -> Expr {
    let ast = match shape {
        Shape::Expr => value.expr_ast(),
        _ => value.ast(),
    };
    Expr { file, ast }
}

/// The first argument named `key`.
fn attr<'a, B: Body<'a>>(body: B, schema: Schema, key: &str) -> Option<B::Attr> {
    body.items(schema).find_map(|i| match i {
        Item::Attr(a) if a.key() == key => Some(a),
        _ => None,
    })
}

/// A literal string as a [`Str`], or the span of a value that is not one.
fn str_value<'a, V: Value<'a>>(value: V, file: FileId) -> Result<Str, Span> {
    let span = Span::new(file, value.range());
    match value.literal_str() {
        Some(value) => Ok(Str { value, span }),
        None => Err(span),
    }
}

/// A literal string argument as a [`Str`].
fn str_attr<'a, B: Body<'a>>(
    body: B,
    schema: Schema,
    key: &str,
    file: FileId,
) -> Option<Result<Str, Span>> {
    attr(body, schema, key).map(|a| str_value(a.value(), file))
}

// ---------------------------------------------------------------------------
// Schemas: what the names in each kind of body are
// ---------------------------------------------------------------------------

/// A configuration file's top level.
pub(super) fn file_schema(name: &str) -> Shape {
    match name {
        "resource" | "data" | "ephemeral" | "action" => Shape::Block(2),
        "provider" | "module" | "variable" | "output" | "check" => Shape::Block(1),
        "terraform" | "locals" | "import" | "moved" | "removed" | "language" => Shape::Block(0),
        _ => Shape::Auto,
    }
}

fn terraform_schema(name: &str) -> Shape {
    match name {
        "required_providers" | "cloud" => Shape::Block(0),
        "backend" | "provider_meta" | "state_store" => Shape::Block(1),
        "required_version" | "experiments" | "language" => Shape::Attr,
        _ => Shape::Auto,
    }
}

/// OpenTofu's `language` block: `compatible_with` holds arguments.
fn language_schema(name: &str) -> Shape {
    match name {
        "compatible_with" => Shape::Block(0),
        _ => Shape::Attr,
    }
}

fn state_store_schema(name: &str) -> Shape {
    match name {
        "provider" => Shape::Block(1),
        _ => Shape::Auto,
    }
}

fn check_schema(name: &str) -> Shape {
    match name {
        "data" => Shape::Block(2),
        "assert" => Shape::Block(0),
        _ => Shape::Auto,
    }
}

/// Resource bodies: the meta-arguments, the meta-blocks, and nested
/// blocks as the provider's schema has them.
fn resource_schema(name: &str) -> Shape {
    match name {
        "provider" | "depends_on" => Shape::Expr,
        "count" | "for_each" => Shape::Attr,
        "lifecycle" | "connection" => Shape::Block(0),
        "provisioner" | "dynamic" => Shape::Block(1),
        _ => Shape::Auto,
    }
}

fn provider_schema(name: &str) -> Shape {
    match name {
        "alias" | "version" | "region" | "for_each" => Shape::Attr,
        _ => Shape::Auto,
    }
}

/// Module calls have no nested blocks: every property is an argument.
fn module_schema(name: &str) -> Shape {
    match name {
        "providers" | "depends_on" => Shape::Expr,
        _ => Shape::Attr,
    }
}

fn variable_schema(name: &str) -> Shape {
    match name {
        "type" => Shape::Expr,
        "validation" => Shape::Block(0),
        _ => Shape::Attr,
    }
}

fn output_schema(name: &str) -> Shape {
    match name {
        "depends_on" => Shape::Expr,
        "precondition" => Shape::Block(0),
        _ => Shape::Attr,
    }
}

/// `import`, `moved` and `removed`: their addresses are references.
fn address_block_schema(name: &str) -> Shape {
    match name {
        "provider" | "to" | "from" => Shape::Expr,
        "lifecycle" | "connection" => Shape::Block(0),
        "provisioner" => Shape::Block(1),
        _ => Shape::Attr,
    }
}

/// Bodies of only arguments: `locals`, `required_providers`.
fn attributes_schema(_: &str) -> Shape {
    Shape::Attr
}

/// A `dynamic` block: its `content` is the block it makes.
fn dynamic_schema(name: &str) -> Shape {
    match name {
        "content" => Shape::Block(0),
        _ => Shape::Attr,
    }
}

/// Bodies of nested blocks, as the provider's schema has them.
fn nested_schema(name: &str) -> Shape {
    match name {
        "dynamic" => Shape::Block(1),
        _ => Shape::Auto,
    }
}

// ---------------------------------------------------------------------------
// Bodies into content
// ---------------------------------------------------------------------------

/// The meta-arguments and region arguments kept from every resource body:
/// the model's wiring and region passes read them for every type.
const RESOURCE_KEYS: &[&str] = &["count", "for_each", "location", "provider", "region"];

/// What the model's own passes read from the bodies of particular types.
const MODEL_BODY_READS: &[(&str, &str)] = &[("aws_dynamodb_table", "replica")];

/// The parts of a resource body of `type_name` that anything reads.
fn resource_keys(type_name: &str) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = RESOURCE_KEYS.to_vec();
    keys.extend(
        MODEL_BODY_READS
            .iter()
            .filter(|(t, _)| *t == type_name)
            .map(|(_, k)| *k),
    );
    keys.extend(crate::rules::resource_body_reads(type_name));
    keys.extend(crate::model::flows::body_reads(type_name));
    keys
}

fn nested_block<'a, K: Block<'a>>(file: FileId, block: &K) -> NestedBlock {
    let schema = match block.ident() {
        "dynamic" => dynamic_schema,
        _ => nested_schema,
    };
    NestedBlock {
        file,
        ident: block.ident().to_string(),
        label: block.label(0).map(str::to_string),
        span: block.range(),
        ident_span: block.ident_range(),
        body: content(file, block.body(), schema),
    }
}

/// A whole body.
fn content<'a, B: Body<'a>>(file: FileId, body: B, schema: Schema) -> Content {
    content_where(file, body, schema, |_| true)
}

/// Like [`content`], keeping only the arguments and nested blocks named in
/// `keys` (a `dynamic` block by its label). Nothing else is converted; the
/// syntax tree is released whole once its file is read.
fn content_keeping<'a, B: Body<'a>>(
    file: FileId,
    body: B,
    schema: Schema,
    keys: Vec<&'static str>,
) -> Content {
    let c = content_where(file, body, schema, |name| keys.contains(&name));
    c.kept_only(keys)
}

/// The arguments and nested blocks whose name passes `keep`.
fn content_where<'a, B: Body<'a>>(
    file: FileId,
    body: B,
    schema: Schema,
    keep: impl Fn(&str) -> bool,
) -> Content {
    // A `dynamic "x"` block counts as an `x` block.
    fn block_name<'a, K: Block<'a>>(b: &K) -> &'a str {
        match (b.ident(), b.label(0)) {
            ("dynamic", Some(label)) => label,
            (ident, _) => ident,
        }
    }
    // Counted first, so that each list is allocated once at its size:
    // every module is kept to the end of the run.
    let (mut attrs, mut blocks) = (0, 0);
    for item in body.items(schema) {
        match item {
            Item::Attr(a) => attrs += usize::from(keep(a.key())),
            Item::Block(b) => blocks += usize::from(keep(block_name(&b))),
        }
    }
    let mut c = Content::with_capacity(attrs, blocks);
    for item in body.items(schema) {
        match item {
            Item::Attr(a) if keep(a.key()) => {
                let key = a.key();
                c.attrs
                    .push((key.to_string(), convert(file, a.value(), schema(key))));
            }
            Item::Attr(_) => {}
            Item::Block(b) => {
                if keep(block_name(&b)) {
                    c.blocks.push(nested_block(file, &b));
                }
            }
        }
    }
    c
}

// ---------------------------------------------------------------------------
// A file's blocks into the model
// ---------------------------------------------------------------------------

/// The model of one file's body, in either syntax.
pub fn file_part<'a, B: Body<'a>>(file: FileId, body: B) -> ModuleConfig {
    let mut part = ModuleConfig::default();
    reserve_for(&mut part, body);
    for item in body.items(file_schema) {
        if let Item::Block(block) = item {
            add_block(&mut part, file, &block);
        }
    }
    part
}

/// Sizes the lists that `body`'s top-level blocks fill, so that each is
/// allocated once: most modules are one file, whose lists become the
/// module's, and every module is kept to the end of the run.
fn reserve_for<'a, B: Body<'a>>(m: &mut ModuleConfig, body: B) {
    let (mut providers, mut resources, mut calls) = (0, 0, 0);
    let (mut variables, mut locals, mut outputs) = (0, 0, 0);
    for item in body.items(file_schema) {
        let Item::Block(block) = item else { continue };
        match block.ident() {
            "provider" => providers += 1,
            "resource" | "data" | "ephemeral" | "action" => resources += 1,
            "module" => calls += 1,
            "variable" => variables += 1,
            "locals" => {
                locals += block
                    .body()
                    .items(attributes_schema)
                    .filter(|i| matches!(i, Item::Attr(_)))
                    .count()
            }
            "output" => outputs += 1,
            _ => {}
        }
    }
    m.provider_configs.reserve_exact(providers);
    m.resources.reserve_exact(resources);
    m.module_calls.reserve_exact(calls);
    m.variables.reserve_exact(variables);
    m.locals.reserve_exact(locals);
    m.outputs.reserve_exact(outputs);
}

fn add_block<'a, K: Block<'a>>(m: &mut ModuleConfig, file: FileId, block: &K) {
    let span = |r| Span::new(file, r);
    let header = span(block.header_range());
    let label = |i: usize| block.label(i).map(str::to_string);
    let body = block.body();
    match block.ident() {
        "terraform" => {
            m.terraform_blocks.push(header);
            add_terraform(m, file, body);
        }
        "provider" => {
            let Some(name) = label(0) else { return };
            let schema = provider_schema;
            let alias = match str_attr(body, schema, "alias", file) {
                Some(Ok(s)) => Some(s),
                _ => None,
            };
            let version_attr = attr(body, schema, "version");
            m.provider_configs.push(ProviderConfig {
                name,
                header,
                alias,
                version: version_attr.as_ref().map(|a| str_value(a.value(), file)),
                version_attr: version_attr.map(|a| span(a.range())),
                parsed_version: None,
                content: content(file, body, schema),
                proxy: false,
            });
        }
        kw @ ("resource" | "data" | "ephemeral" | "action") => {
            let (Some(type_name), Some(name)) = (label(0), label(1)) else {
                return;
            };
            let mode = match kw {
                "resource" => ResourceMode::Managed,
                "data" => ResourceMode::Data,
                "action" => ResourceMode::Action,
                _ => ResourceMode::Ephemeral,
            };
            // OpenTofu 1.11's `lifecycle { enabled = ... }`.
            let enabled = body.items(resource_schema).find_map(|item| match item {
                Item::Block(b) if b.ident() == "lifecycle" => {
                    attr(b.body(), attributes_schema, "enabled")
                }
                _ => None,
            });
            if let Some(a) = enabled {
                m.opentofu_constructs
                    .push((span(a.range()), "`lifecycle { enabled }`"));
            }
            let content = content_keeping(file, body, resource_schema, resource_keys(&type_name));
            // Boxed: most resources have none, and there are many resources.
            let provider = content
                .attr("provider")
                .and_then(ProviderRef::from_expr)
                .map(Box::new);
            m.resources.push(Resource {
                mode,
                type_name,
                name,
                header,
                provider,
                content,
            });
        }
        "module" => {
            let Some(name) = label(0) else { return };
            let schema = module_schema;
            let source = str_attr(body, schema, "source", file);
            let version = str_attr(body, schema, "version", file);
            let mut content = content(file, body, schema);
            let (providers, providers_span) = match content.attr("providers") {
                Some(e) => (provider_passes(e), Some(e.span())),
                None => (Vec::new(), None),
            };
            // What these say is kept above; the expressions themselves
            // are not needed again, but for a `source` or `version` that is
            // not a literal, which OpenTofu evaluates statically (see
            // `ModuleCall::static_expr`).
            let literal = |v: &Option<StrOrExpr>| !matches!(v, Some(Err(_)));
            let (source_lit, version_lit) = (literal(&source), literal(&version));
            content.attrs.retain(|(k, _)| match k.as_str() {
                "source" => !source_lit,
                "version" => !version_lit,
                "providers" => false,
                _ => true,
            });
            m.module_calls.push(ModuleCall {
                name,
                keyword: "module",
                header,
                source,
                version,
                providers,
                providers_span,
                parsed_version: None,
                source_kind: None,
                content,
                pass_index: Vec::new(),
            });
        }
        "variable" => {
            let Some(name) = label(0) else { return };
            let schema = variable_schema;
            let ty = attr(body, schema, "type").map(|t| t.value().var_type(file, &name));
            let constant = attr(body, schema, "const").is_some_and(|c| {
                matches!(c.value().ast().kind, crate::eval::ast::Kind::Bool(true))
            });
            let mut content = content_where(file, body, schema, |k| k == "default");
            m.variables.push(Variable {
                name,
                header,
                default: content.take("default"),
                ty,
                constant,
            });
        }
        "locals" => m.locals.extend(locals(file, body)),
        "output" => {
            if let Some(name) = label(0) {
                let mut content = content(file, body, output_schema);
                m.outputs.push(Output {
                    name,
                    header,
                    value: content.take("value"),
                });
            }
        }
        "language" => {
            // OpenTofu 1.12's `language { compatible_with { opentofu =
            // "..." } }` (internal/configs/language.go): a constraint on
            // OpenTofu itself, obeyed in any file.
            m.opentofu_constructs.push((header, "a `language` block"));
            for item in body.items(language_schema) {
                if let Item::Block(inner) = item {
                    if inner.ident() == "compatible_with" {
                        if let Some(v) = str_attr(inner.body(), attributes_schema, "opentofu", file)
                        {
                            m.opentofu_versions.push(v);
                        }
                    }
                }
            }
        }
        "import" => {
            let content = content(file, body, address_block_schema);
            if let Some(r) = content.attr("provider").and_then(ProviderRef::from_expr) {
                m.import_providers.push(r);
            }
        }
        kw @ ("moved" | "removed") => {
            let content = content(file, body, address_block_schema);
            let keys: &[&str] = if kw == "moved" {
                &["from", "to"]
            } else {
                &["from"]
            };
            for key in keys {
                if let Some(r) = content.attr(key).and_then(state_resource) {
                    m.state_resources.push(r);
                }
            }
        }
        "check" => {
            // Scoped data sources inside check blocks use providers too.
            for item in body.items(check_schema) {
                if let Item::Block(inner) = item {
                    if inner.ident() == "data" {
                        add_block(m, file, &inner);
                    }
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Terraform Stacks
// ---------------------------------------------------------------------------

/// A stack component file's top level (`*.tfcomponent.hcl`).
fn stack_schema(name: &str) -> Shape {
    match name {
        "provider" => Shape::Block(2),
        "component" | "variable" | "output" | "stack" => Shape::Block(1),
        "required_providers" | "locals" | "removed" => Shape::Block(0),
        _ => Shape::Auto,
    }
}

/// A stack's `provider "aws" "name"` block: its arguments are in `config`.
fn stack_provider_schema(name: &str) -> Shape {
    match name {
        "config" => Shape::Block(0),
        _ => Shape::Attr,
    }
}

/// A `component` block: `providers` maps references, `inputs` is an
/// object of arguments.
fn component_schema(name: &str) -> Shape {
    match name {
        "providers" | "depends_on" | "from" => Shape::Expr,
        _ => Shape::Attr,
    }
}

/// A deployment file's top level (`*.tfdeploy.hcl`).
fn deployment_file_schema(name: &str) -> Shape {
    match name {
        "deployment"
        | "identity_token"
        | "store"
        | "orchestrate"
        | "deployment_group"
        | "deployment_auto_approve"
        | "publish_output"
        | "upstream_input" => Shape::Block(1),
        "locals" => Shape::Block(0),
        _ => Shape::Auto,
    }
}

/// The model of one stack component file. A stack is read as a module of
/// its own kind: `required_providers` are its requirements, each
/// `provider "type" "name"` block a configuration of `type` with alias
/// `name` whose arguments are its `config` block, and each `component` (and
/// `removed` component) a module call whose `inputs` are its arguments.
pub fn stack_part<'a, B: Body<'a>>(file: FileId, body: B) -> ModuleConfig {
    let mut m = ModuleConfig::default();
    m.kind = ConfigKind::Stack;
    for item in body.items(stack_schema) {
        let Item::Block(block) = item else { continue };
        let header = Span::new(file, block.header_range());
        match block.ident() {
            "required_providers" => m
                .required_providers
                .extend(requirements(file, block.body())),
            "provider" => {
                let (Some(name), Some(alias)) = (block.label(0), block.label(1)) else {
                    continue;
                };
                // The alias is the second label; no `version` argument.
                let mut content = Content::default();
                for item in block.body().items(stack_provider_schema) {
                    match item {
                        Item::Block(config) if config.ident() == "config" => {
                            let inner = self::content(file, config.body(), provider_schema);
                            content.attrs.extend(inner.attrs);
                            content.blocks.extend(inner.blocks);
                        }
                        Item::Attr(a) if a.key() == "for_each" => content.attrs.push((
                            "for_each".to_string(),
                            convert(file, a.value(), Shape::Attr),
                        )),
                        _ => {}
                    }
                }
                m.provider_configs.push(ProviderConfig {
                    name: name.to_string(),
                    header: header.clone(),
                    alias: Some(Str {
                        value: alias.to_string(),
                        span: header,
                    }),
                    version: None,
                    version_attr: None,
                    parsed_version: None,
                    content,
                    proxy: false,
                });
            }
            "component" => {
                if let Some(name) = block.label(0) {
                    let call = component(file, "component", name, header, block.body());
                    m.module_calls.push(call);
                }
            }
            // A removed component still needs its module and providers to
            // be destroyed, so it is a call too, named after `from`.
            "removed" => {
                let from = attr(block.body(), component_schema, "from");
                let name = from.and_then(|a| removed_component(&a.value().expr_ast()));
                if let Some(name) = name {
                    let call = component(file, "removed", &name, header, block.body());
                    m.module_calls.push(call);
                }
            }
            "variable" | "locals" | "output" => add_block(&mut m, file, &block),
            _ => {}
        }
    }
    m
}

/// A `component "name"` block as a module call.
fn component<'a, B: Body<'a>>(
    file: FileId,
    keyword: &'static str,
    name: &str,
    header: Span,
    body: B,
) -> ModuleCall {
    let schema = component_schema;
    let source = str_attr(body, schema, "source", file);
    let version = str_attr(body, schema, "version", file);
    let mut content = Content::default();
    let mut providers = (Vec::new(), None);
    for item in body.items(schema) {
        let Item::Attr(a) = item else { continue };
        match a.key() {
            "inputs" => {
                for (key, _, v) in a.value().entries().into_iter().flatten() {
                    if let Some(key) = key {
                        content.attrs.push((key, convert(file, v, Shape::Attr)));
                    }
                }
            }
            "providers" => {
                let e = convert(file, a.value(), Shape::Expr);
                providers = (provider_passes(&e), Some(e.span()));
            }
            key @ ("for_each" | "depends_on") => {
                content
                    .attrs
                    .push((key.to_string(), convert(file, a.value(), schema(key))));
            }
            _ => {}
        }
    }
    ModuleCall {
        name: name.to_string(),
        keyword,
        header,
        source,
        version,
        providers: providers.0,
        providers_span: providers.1,
        parsed_version: None,
        source_kind: None,
        content,
        pass_index: Vec::new(),
    }
}

/// The component a `removed` block's `from` names: `component.db`, or
/// `component.db[each.key]`.
fn removed_component(from: &Ast) -> Option<String> {
    let Kind::Traversal(t) = &from.kind else {
        return None;
    };
    match (&t.root.kind, t.ops.first()) {
        (Kind::Variable(v), Some(Op::GetAttr(name))) if &**v == "component" => {
            Some(name.to_string())
        }
        _ => None,
    }
}

/// The model of one stack deployment file: its deployments, with their
/// inputs, and its locals, which only those inputs can read.
pub fn deployment_part<'a, B: Body<'a>>(file: FileId, body: B) -> ModuleConfig {
    let mut m = ModuleConfig::default();
    m.kind = ConfigKind::Stack;
    for item in body.items(deployment_file_schema) {
        let Item::Block(block) = item else { continue };
        match (block.ident(), block.label(0)) {
            ("deployment", Some(name)) => {
                let inputs = attr(block.body(), attributes_schema, "inputs");
                let inputs = inputs
                    .and_then(|a| a.value().entries())
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, _, v)| Some((k?, convert(file, v, Shape::Attr))))
                    .collect();
                m.deployments.push(Deployment {
                    name: name.to_string(),
                    header: Span::new(file, block.header_range()),
                    inputs,
                });
            }
            ("locals", _) => m.deployment_locals.extend(locals(file, block.body())),
            _ => {}
        }
    }
    m
}

/// What a query file (`*.tfquery.hcl`, Terraform 1.14) says about the
/// module's providers: the configuration each `list` block names, which
/// `terraform query` runs it with (a `list` block must have a `provider`
/// argument: `internal/configs/query_file.go`), each a use of its
/// provider. One the query file defines itself in a `provider` block is no
/// reference to a configuration of the module's. The file's variables and
/// locals are the query's own, and nothing else is read.
pub fn query_part<'a, B: Body<'a>>(file: FileId, body: B) -> ModuleConfig {
    let mut m = ModuleConfig::default();
    let mut own: Vec<(String, Option<String>)> = Vec::new();
    let mut refs: Vec<ProviderRef> = Vec::new();
    for item in body.items(query_file_schema) {
        let Item::Block(block) = item else { continue };
        match (block.ident(), block.label(0)) {
            ("provider", Some(name)) => {
                let alias = str_attr(block.body(), provider_schema, "alias", file);
                own.push((
                    name.to_string(),
                    alias.and_then(Result::ok).map(|a| a.value),
                ));
            }
            ("list", Some(_)) => {
                let content = content(file, block.body(), resource_schema);
                refs.extend(content.attr("provider").and_then(ProviderRef::from_expr));
            }
            _ => {}
        }
    }
    m.query_providers = refs
        .into_iter()
        .map(|r| {
            let mine = !own
                .iter()
                .any(|(n, a)| *n == r.name && a.as_deref() == r.alias.as_deref());
            (r, mine)
        })
        .collect();
    m
}

fn query_file_schema(name: &str) -> Shape {
    match name {
        "list" => Shape::Block(2),
        "provider" | "variable" => Shape::Block(1),
        "locals" => Shape::Block(0),
        _ => Shape::Auto,
    }
}

fn add_terraform<'a, B: Body<'a>>(m: &mut ModuleConfig, file: FileId, body: B) {
    let span = |r| Span::new(file, r);
    if let Some(v) = str_attr(body, terraform_schema, "required_version", file) {
        m.required_version.push(v);
    }
    for item in body.items(terraform_schema) {
        let Item::Block(inner) = item else { continue };
        match inner.ident() {
            "required_providers" => m
                .required_providers
                .extend(requirements(file, inner.body())),
            "provider_meta" => {
                if let Some(name) = inner.label(0) {
                    m.provider_metas.push(ProviderMention {
                        name: name.to_string(),
                        header: span(inner.header_range()),
                    });
                }
            }
            "state_store" => {
                for item in inner.body().items(state_store_schema) {
                    let Item::Block(p) = item else { continue };
                    if let (true, Some(name)) = (p.ident() == "provider", p.label(0)) {
                        m.state_store_providers.push(ProviderMention {
                            name: name.to_string(),
                            header: span(p.header_range()),
                        });
                    }
                }
            }
            "backend" => {
                m.backend = Some(Backend {
                    kind: inner.label(0).map(str::to_string).unwrap_or_default(),
                    span: span(inner.header_range()),
                });
            }
            "cloud" => {
                m.backend = Some(Backend {
                    kind: "cloud".to_string(),
                    span: span(inner.header_range()),
                });
            }
            _ => {}
        }
    }
}

/// The entries of a `locals` block.
fn locals<'a, B: Body<'a>>(file: FileId, body: B) -> impl Iterator<Item = Local> + 'a {
    body.items(attributes_schema)
        .filter_map(move |item| match item {
            Item::Attr(a) => Some(Local {
                name: a.key().to_string(),
                span: Span::new(file, a.key_range()),
                expr: convert(file, a.value(), Shape::Attr),
            }),
            Item::Block(_) => None,
        })
}

/// The entries of a `required_providers` block.
fn requirements<'a, B: Body<'a>>(
    file: FileId,
    body: B,
) -> impl Iterator<Item = ProviderRequirement> + 'a {
    body.items(attributes_schema)
        .filter_map(move |item| match item {
            Item::Attr(a) => Some(requirement(file, &a)),
            Item::Block(_) => None,
        })
}

/// One entry of `required_providers`: `aws = { source = ..., version =
/// ... }`, or the legacy `aws = "~> 5.0"`.
fn requirement<'a, A: Attr<'a>>(file: FileId, a: &A) -> ProviderRequirement {
    let span = |r| Span::new(file, r);
    let mut req = ProviderRequirement {
        name: a.key().to_string(),
        span: span(a.range()),
        name_span: span(a.key_range()),
        source: None,
        version: None,
        configuration_aliases: Vec::new(),
        legacy: false,
        parsed: None,
        address: None,
    };
    let value = a.value();
    let Some(entries) = value.entries() else {
        req.legacy = true;
        req.version = Some(str_value(value, file));
        return req;
    };
    for (key, _, v) in entries {
        match key.as_deref() {
            Some("source") => req.source = Some(str_value(v, file)),
            Some("version") => req.version = Some(str_value(v, file)),
            Some("configuration_aliases") => {
                for item in v.items().into_iter().flatten() {
                    if let Some(r) = ProviderRef::from_expr(&convert(file, item, Shape::Expr)) {
                        req.configuration_aliases.push(r);
                    }
                }
            }
            _ => {}
        }
    }
    req
}

/// The resource a `moved` or `removed` address names in this module:
/// `aws_instance.web` or `aws_instance.web[0]`, but not `module.x...` or a
/// data source.
fn state_resource(e: &Expr) -> Option<StateResource> {
    let mut root = &e.ast;
    while let Kind::Traversal(t) = &root.kind {
        root = &t.root;
    }
    let Kind::Variable(v) = &root.kind else {
        return None;
    };
    let type_name: &str = v;
    if matches!(type_name, "module" | "data" | "ephemeral") {
        return None;
    }
    Some(StateResource {
        type_name: type_name.to_string(),
        span: e.span(),
    })
}

fn provider_passes(e: &Expr) -> Vec<ProviderPass> {
    let Kind::Object(items) = &e.ast.kind else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in items.iter() {
        let key = match k {
            Key::Ident(i) | Key::Expr(i) => i,
        };
        let child = ProviderRef::from_expr(&Expr {
            file: e.file,
            ast: key.clone(),
        });
        let parent = ProviderRef::from_expr(&Expr {
            file: e.file,
            ast: v.clone(),
        });
        if let (Some(child), Some(parent)) = (child, parent) {
            out.push(ProviderPass { child, parent });
        }
    }
    out
}

/// Whether `text` can contain a provider function call,
/// `provider::NAME::FUNCTION(...)`: some `::` follows the word `provider`,
/// with only whitespace between them. False means it certainly does not.
pub fn may_call_provider_functions(text: &str) -> bool {
    const WORD: &str = "provider";
    // Built once: a searcher's setup costs more than searching most files.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(WORD));
    FINDER
        .find_iter(text.as_bytes())
        .any(|i| text[i + WORD.len()..].trim_start().starts_with("::"))
}

#[cfg(test)]
mod tests {
    use crate::model::module::ModuleConfig;
    use crate::source::FileId;

    /// What the model says about a module, as text: everything the rules
    /// read, without the spans.
    fn summary(m: &ModuleConfig) -> Vec<String> {
        let lit = |e: Option<&crate::model::Expr>| e.and_then(|e| e.literal_str());
        let s = |v: &Option<Result<crate::hclx::Str, crate::source::Span>>| {
            v.as_ref()
                .map(|v| v.as_ref().map(|s| s.value.clone()).map_err(|_| "expr"))
        };
        let mut out = Vec::new();
        for v in &m.required_version {
            out.push(format!(
                "required_version {:?}",
                v.as_ref().map(|s| &s.value).ok()
            ));
        }
        for r in &m.required_providers {
            let aliases: Vec<String> = r
                .configuration_aliases
                .iter()
                .map(|a| a.address())
                .collect();
            out.push(format!(
                "requires {} {:?} {:?} {aliases:?} {}",
                r.name,
                s(&r.source),
                s(&r.version),
                r.legacy
            ));
        }
        out.push(format!("backend {:?}", m.backend.as_ref().map(|b| &b.kind)));
        for p in &m.provider_configs {
            out.push(format!(
                "provider {} {:?} {:?} empty={}",
                p.reference(),
                lit(p.region()),
                s(&p.version),
                p.is_empty()
            ));
        }
        for r in &m.resources {
            out.push(format!(
                "resource {} {:?} {:?} {:?}",
                r.address(),
                r.provider.as_ref().map(|p| p.address()),
                lit(r.content.attr("region")),
                r.content.attr("count").map(|c| c.ast.kind.clone())
            ));
        }
        for c in &m.module_calls {
            let passes: Vec<String> = c
                .providers
                .iter()
                .map(|p| format!("{}={}", p.child.address(), p.parent.address()))
                .collect();
            let args: Vec<&str> = c.arguments().map(|(k, _)| k).collect();
            out.push(format!(
                "module {} {:?} {:?} {passes:?} {args:?} {}",
                c.name,
                s(&c.source),
                s(&c.version),
                c.has_for_each()
            ));
        }
        for v in &m.variables {
            out.push(format!(
                "variable {} {:?} {:?}",
                v.name,
                lit(v.default.as_ref()),
                v.ty
            ));
        }
        for l in &m.locals {
            out.push(format!("local {} {:?}", l.name, l.expr.literal_str()));
        }
        for o in &m.outputs {
            out.push(format!("output {} {}", o.name, o.value.is_some()));
        }
        for f in &m.provider_functions {
            out.push(format!(
                "function {} {:?} {}",
                f.provider, f.alias, f.function
            ));
        }
        for r in &m.state_resources {
            out.push(format!("state {}", r.type_name));
        }
        for r in &m.import_providers {
            out.push(format!("import {}", r.address()));
        }
        for p in m.provider_metas.iter().chain(&m.state_store_providers) {
            out.push(format!("mention {}", p.name));
        }
        out
    }

    #[test]
    fn the_same_configuration_in_either_syntax_is_the_same_model() {
        let hcl = r#"
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = "~> 5.0"
      configuration_aliases = [aws.west]
    }
    random = "~> 3.0"
  }
  backend "s3" {}
  provider_meta "aws" {}
}
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias   = "east"
  version = "~> 5.1"
}
resource "aws_s3_bucket" "b" {
  provider = aws.west
  count    = 2
  region   = "eu-west-1"
}
data "aws_region" "r" {}
module "net" {
  source    = "./net"
  version   = "1.0.0"
  providers = { aws = aws.west, aws.dst = aws }
  for_each  = var.regions
  cidr      = "10.0.0.0/16"
}
variable "regions" {
  type    = map(string)
  default = "x"
}
locals {
  arn = provider::aws::arn_parse("arn:aws:s3:::b")
  n   = "n"
}
output "o" {
  value = local.n
}
moved {
  from = aws_s3_bucket.a
  to   = aws_s3_bucket.b
}
import {
  to       = aws_s3_bucket.b
  id       = "b"
  provider = aws.west
}
"#;
        let json = r#"{
  "terraform": {
    "required_version": ">= 1.5",
    "required_providers": {
      "aws": {
        "source": "hashicorp/aws",
        "version": "~> 5.0",
        "configuration_aliases": ["aws.west"]
      },
      "random": "~> 3.0"
    },
    "backend": {"s3": {}},
    "provider_meta": {"aws": {}}
  },
  "provider": {
    "aws": [{"region": "us-east-1"}, {"alias": "east", "version": "~> 5.1"}]
  },
  "resource": {
    "aws_s3_bucket": {"b": {"provider": "aws.west", "count": 2, "region": "eu-west-1"}}
  },
  "data": {"aws_region": {"r": {}}},
  "module": {
    "net": {
      "source": "./net",
      "version": "1.0.0",
      "providers": {"aws": "aws.west", "aws.dst": "aws"},
      "for_each": "${var.regions}",
      "cidr": "10.0.0.0/16"
    }
  },
  "variable": {"regions": {"type": "map(string)", "default": "x"}},
  "locals": {
    "arn": "${provider::aws::arn_parse(\"arn:aws:s3:::b\")}",
    "n": "n"
  },
  "output": {"o": {"value": "${local.n}"}},
  "moved": {"from": "aws_s3_bucket.a", "to": "aws_s3_bucket.b"},
  "import": {"to": "aws_s3_bucket.b", "id": "b", "provider": "aws.west"}
}"#;
        let body = hcl_edit::parser::parse_body(hcl).unwrap();
        let from_hcl = super::hcl::file_part(FileId(0), &body, true);
        let root = crate::parse_json::parse(json).unwrap();
        let from_json = super::json::file_part(FileId(0), json, &root, true);
        assert_eq!(summary(&from_hcl), summary(&from_json));
        assert!(summary(&from_hcl).len() > 15);
    }
}
