//! The native syntax's view: hcl-edit's tree as it is. Blocks and
//! arguments are told apart by the syntax, so schemas are not consulted.

use super::{Item, Schema};
use crate::eval::ast::Ast;
use crate::eval::VarType;
use crate::hclx::{self, range_of};
use crate::model::module::{ModuleConfig, ProviderFunctionCall};
use crate::source::{FileId, Span};
use hcl_edit::expr::{Expression, FuncCall};
use hcl_edit::structure::{self, Structure};
use hcl_edit::visit::{self, Visit};
use std::ops::Range;

#[derive(Clone, Copy)]
pub struct Body<'a>(pub &'a structure::Body);

#[derive(Clone, Copy)]
pub struct Attr<'a>(&'a structure::Attribute);

#[derive(Clone, Copy)]
pub struct Block<'a>(&'a structure::Block);

#[derive(Clone, Copy)]
pub struct Value<'a>(&'a Expression);

impl<'a> super::Body<'a> for Body<'a> {
    type Value = Value<'a>;
    type Attr = Attr<'a>;
    type Block = Block<'a>;

    fn items(self, _: Schema) -> impl Iterator<Item = Item<Attr<'a>, Block<'a>>> + 'a {
        self.0.iter().map(|s| match s {
            Structure::Attribute(a) => Item::Attr(Attr(a)),
            Structure::Block(b) => Item::Block(Block(b)),
        })
    }
}

impl<'a> super::Attr<'a> for Attr<'a> {
    type Value = Value<'a>;

    fn key(&self) -> &'a str {
        self.0.key.as_str()
    }

    fn key_range(&self) -> Range<usize> {
        range_of(&self.0.key)
    }

    fn range(&self) -> Range<usize> {
        range_of(self.0)
    }

    fn value(&self) -> Value<'a> {
        Value(&self.0.value)
    }
}

impl<'a> super::Block<'a> for Block<'a> {
    type Body = Body<'a>;

    fn ident(&self) -> &'a str {
        self.0.ident.as_str()
    }

    fn label(&self, i: usize) -> Option<&'a str> {
        self.0.labels.get(i).map(|l| l.as_str())
    }

    fn ident_range(&self) -> Range<usize> {
        range_of(&self.0.ident)
    }

    fn header_range(&self) -> Range<usize> {
        hclx::header_range(self.0)
    }

    fn range(&self) -> Range<usize> {
        range_of(self.0)
    }

    fn body(&self) -> Body<'a> {
        Body(&self.0.body)
    }
}

impl<'a> super::Value<'a> for Value<'a> {
    fn range(self) -> Range<usize> {
        range_of(self.0)
    }

    fn ast(self) -> Ast {
        Ast::from(self.0)
    }

    /// Native syntax writes references as expressions already.
    fn expr_ast(self) -> Ast {
        Ast::from(self.0)
    }

    fn literal_str(self) -> Option<String> {
        hclx::literal_str(self.0)
    }

    fn entries(self) -> Option<impl Iterator<Item = (Option<String>, Range<usize>, Self)> + 'a> {
        match self.0 {
            Expression::Object(obj) => Some(
                obj.iter()
                    .map(|(k, v)| (hclx::object_key_name(k), range_of(k), Value(v.expr()))),
            ),
            _ => None,
        }
    }

    fn items(self) -> Option<impl Iterator<Item = Self> + 'a> {
        match self.0 {
            Expression::Array(arr) => Some(arr.iter().map(Value)),
            _ => None,
        }
    }

    fn var_type(self, file: FileId, name: &str) -> VarType {
        VarType::parse(Some(self.0), file, name)
    }
}

/// Extracts the model from one file's parsed body. `may_call_functions`
/// says whether the file's text can hold a provider function call (see
/// [`super::may_call_provider_functions`]); when it cannot, the search of
/// the whole syntax tree for them is skipped.
pub fn file_part(file: FileId, body: &structure::Body, may_call_functions: bool) -> ModuleConfig {
    let mut part = super::file_part(file, Body(body));
    if may_call_functions {
        part.provider_functions = provider_functions(file, |f| f.visit_body(body));
    }
    part
}

/// Like [`file_part`], for a stack's component file.
pub fn stack_part(file: FileId, body: &structure::Body, may_call_functions: bool) -> ModuleConfig {
    let mut part = super::stack_part(file, Body(body));
    if may_call_functions {
        part.provider_functions = provider_functions(file, |f| f.visit_body(body));
    }
    part
}

/// The model of a stack's deployment file.
pub fn deployment_part(file: FileId, body: &structure::Body) -> ModuleConfig {
    super::deployment_part(file, Body(body))
}

/// A query file's part of a module (see [`super::query_part`]).
pub fn query_part(file: FileId, body: &structure::Body) -> ModuleConfig {
    super::query_part(file, Body(body))
}

/// The provider function calls a visit of a tree finds.
pub(super) fn provider_functions(
    file: FileId,
    visit: impl FnOnce(&mut FuncFinder),
) -> Vec<ProviderFunctionCall> {
    let mut finder = FuncFinder {
        file,
        out: Vec::new(),
    };
    visit(&mut finder);
    finder.out
}

pub(super) struct FuncFinder {
    file: FileId,
    out: Vec<ProviderFunctionCall>,
}

impl Visit for FuncFinder {
    fn visit_func_call(&mut self, node: &FuncCall) {
        let ns = &node.name.namespace;
        if (ns.len() == 2 || ns.len() == 3) && ns[0].as_str() == "provider" {
            self.out.push(ProviderFunctionCall {
                provider: ns[1].as_str().to_string(),
                alias: ns.get(2).map(|a| a.as_str().to_string()),
                function: node.name.name.as_str().to_string(),
                span: Span::new(self.file, range_of(node)),
            });
        }
        visit::visit_func_call(self, node);
    }
}
