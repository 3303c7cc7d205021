//! A module call's `source` and `version` as the engine reads them.
//!
//! Terraform takes only literal strings there (terraform 1.11 says
//! "Variables not allowed"; recorded in
//! `tests/data/engine/module-source-expression`). OpenTofu 1.8 and later
//! evaluate variables and locals statically
//! (`internal/configs/module_call.go`, `decodeStaticFields`), so in its
//! reading the value they resolve to is what the pinning rules judge.

use super::module::{ModuleCall, StrOrExpr};
use super::values::Values;
use super::workspace::Module;
use crate::fileset::Engine;
use crate::source::Span;
use std::borrow::Cow;

/// The remedy for an argument whose value tfpin cannot know.
pub const UNKNOWN_HELP: &str = "OpenTofu evaluates it at init from variables and locals; give the \
     variables it reads a default or a value in a .tfvars file (or --var) so that tfpin can judge \
     it too";

/// A `source` or `version` argument as the engine reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum CallArg<'a> {
    /// Not written.
    Absent,
    /// A literal string, or a value OpenTofu resolves statically.
    Known(CallText<'a>),
    /// An expression, which Terraform does not accept here.
    NotLiteral(Span),
    /// An expression OpenTofu would evaluate, whose value tfpin cannot
    /// know (a variable without a default or value, a function it does not
    /// evaluate).
    Unknown(Span),
}

/// A known `source` or `version`.
#[derive(Debug, Clone, PartialEq)]
pub struct CallText<'a> {
    pub value: Cow<'a, str>,
    /// The literal, or the expression that was evaluated.
    pub span: Span,
    /// Resolved from an expression, as OpenTofu does.
    pub evaluated: bool,
}

/// The call's `source` (`key = "source"`) or `version` (`"version"`).
pub fn arg<'a>(
    values: &Values<'_>,
    engine: Engine,
    m: &Module,
    call: &'a ModuleCall,
    key: &str,
) -> CallArg<'a> {
    let written: &Option<StrOrExpr> = match key {
        "source" => &call.source,
        _ => &call.version,
    };
    match written {
        None => CallArg::Absent,
        Some(Ok(s)) => CallArg::Known(CallText {
            value: Cow::Borrowed(&s.value),
            span: s.span.clone(),
            evaluated: false,
        }),
        Some(Err(span)) => match (engine, call.static_expr(key)) {
            (Engine::Terraform, _) | (_, None) => CallArg::NotLiteral(span.clone()),
            (Engine::OpenTofu, Some(expr)) => match values.eval_in_module(m.id, expr).value {
                crate::eval::Value::String(v) => CallArg::Known(CallText {
                    value: Cow::Owned(v),
                    span: span.clone(),
                    evaluated: true,
                }),
                // OpenTofu takes a null version as none
                // (internal/configs/module_call.go, decodeStaticVersion).
                crate::eval::Value::Null if key == "version" => CallArg::Absent,
                _ => CallArg::Unknown(span.clone()),
            },
        },
    }
}

impl<'a> CallArg<'a> {
    /// The text, when it is known.
    pub fn known(self) -> Option<CallText<'a>> {
        match self {
            CallArg::Known(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, CallArg::Absent)
    }
}
