//! A module call's `source` and `version` as the engine reads them.
//!
//! Terraform takes only literal strings there (terraform 1.11 says
//! "Variables not allowed"; recorded in
//! `tests/data/engine/module-source-expression`). OpenTofu 1.8 and later
//! evaluate variables and locals statically
//! (`internal/configs/module_call.go`, `decodeStaticFields`), so in its
//! reading the value they resolve to is what the pinning rules judge.
//! Terraform 1.15 does the same for expressions that read only variables
//! declared `const = true`, literals and locals made of them (its
//! "dynamic module sources"; `internal/command/testdata/dynamic-module-sources`
//! in its repository); any other reference stays an error there, and every
//! earlier release rejects them all. So Terraform's reading evaluates such
//! an expression only in a module whose `required_version` admits no
//! release before 1.15.

use super::module::{ModuleCall, ModuleConfig, StrOrExpr};
use super::values::Values;
use super::workspace::Module;
use crate::eval::ast::{Ast, Kind};
use crate::fileset::Engine;
use crate::source::Span;
use std::borrow::Cow;

/// The remedy for an argument whose value tfpin cannot know.
pub const UNKNOWN_HELP: &str = "OpenTofu evaluates it at init from variables and locals, and \
     Terraform 1.15 from `const` variables; give the variables it reads a default or a value in a \
     .tfvars file (or --var) so that tfpin can judge it too";

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
            (_, None) => CallArg::NotLiteral(span.clone()),
            (Engine::Terraform, Some(_)) if !terraform_evaluates(&m.config, call, key) => {
                CallArg::NotLiteral(span.clone())
            }
            (_, Some(expr)) => match values.eval_in_module(m.id, expr).value {
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

/// Whether Terraform evaluates a call's `source` or `version` written as
/// an expression (`key`): one of constants, in a module for Terraform 1.15
/// and later. The cheap test first: the version bounds are worked out only
/// for such an expression.
pub fn terraform_evaluates(cfg: &ModuleConfig, call: &ModuleCall, key: &str) -> bool {
    call.static_expr(key)
        .is_some_and(|e| reads_only_constants(cfg, &e.ast, 0))
        && needs_terraform_1_15(cfg)
}

/// Whether the module's `required_version` admits only Terraform 1.15 and
/// later, which evaluate constant expressions in `source` and `version`.
pub fn needs_terraform_1_15(cfg: &ModuleConfig) -> bool {
    let mut parsed = cfg.engine_versions().filter_map(|(_, p)| p.as_ref().ok());
    let Some(first) = parsed.next() else {
        return false;
    };
    let mut all = first.clone();
    for c in parsed {
        all.intersect_with(c);
    }
    all.lower()
        .is_some_and(|v| v >= semver::Version::new(1, 15, 0))
}

/// Whether an expression reads nothing but literals, variables declared
/// `const = true` and locals made of them: what Terraform 1.15 evaluates
/// in a module's `source` and `version`.
pub fn reads_only_constants(cfg: &ModuleConfig, expr: &Ast, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    let mut plain = true;
    expr.visit(&mut |n| match &n.kind {
        Kind::Variable(root) if !matches!(&**root, "var" | "local") => plain = false,
        Kind::For(_) => plain = false,
        _ => {}
    });
    let mut refs: Vec<(&str, &str)> = Vec::new();
    expr.visit_named_refs(&mut |root, name| refs.push((root, name)));
    plain
        && refs.iter().all(|&(root, name)| match root {
            "var" => (cfg.variables.iter()).any(|v| v.name == name && v.constant),
            _ => (cfg.locals.iter().rev().find(|l| l.name == name))
                .is_some_and(|l| reads_only_constants(cfg, &l.expr.ast, depth + 1)),
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_const_variables_and_locals_made_of_them_are_constant() {
        let (_dir, ws) = crate::model::load_test_tree(&[(
            "main.tf",
            r#"
terraform {
  required_version = ">= 1.15.0, < 2.0.0"
}
variable "fixed" {
  const   = true
  default = "a"
}
variable "free" {
  default = "b"
}
locals {
  from_fixed = "./${var.fixed}"
  from_free  = var.free
}
module "m" {
  source = local.from_fixed
}
"#,
        )]);
        let cfg = &ws.modules[0].config;
        let constant = |s: &str| {
            let e = hcl_edit::parser::parse_expr(s).unwrap();
            reads_only_constants(cfg, &crate::eval::ast::Ast::from(&e), 0)
        };
        assert!(constant("\"./x\""));
        assert!(constant("var.fixed"));
        assert!(constant("local.from_fixed"));
        assert!(!constant("var.free"));
        assert!(!constant("local.from_free"));
        assert!(!constant("local.missing"));
        assert!(!constant("each.key"));
        assert!(!constant("[for x in [var.fixed] : x][0]"));
        assert!(needs_terraform_1_15(cfg));
    }

    #[test]
    fn a_module_that_admits_an_older_terraform_does_not_need_1_15() {
        for version in ["~> 1.9", ">= 1.14"] {
            let main = format!("terraform {{\n  required_version = \"{version}\"\n}}\n");
            let (_dir, ws) = crate::model::load_test_tree(&[("main.tf", main.as_str())]);
            assert!(!needs_terraform_1_15(&ws.modules[0].config), "{version}");
        }
        let (_dir, ws) = crate::model::load_test_tree(&[("main.tf", "locals {}\n")]);
        assert!(!needs_terraform_1_15(&ws.modules[0].config));
    }
}
