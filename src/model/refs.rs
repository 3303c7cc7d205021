//! References between resources: which resource or data source an
//! expression such as `aws_acm_certificate.site.arn` points at in a module
//! instance, following locals, the outputs of local child modules, and
//! values a caller passes into a module's variables.
//!
//! Only what is written is followed; a reference into a registry module, a
//! variable with no caller, or anything computed is simply not resolved.

use super::module::{Expr, ResourceMode};
use super::values::Values;
use super::workspace::Workspace;
use crate::eval::ast::{Kind, Op};
use crate::source::Span;

/// How many locals, outputs and variables one resolution may pass through.
const MAX_HOPS: usize = 16;

/// What one traversal in an expression refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `aws_s3_bucket.logs.arn`, `data.aws_acm_certificate.x.arn`, with
    /// instance keys (`[0]`, `["a"]`, splats) skipped.
    Resource {
        mode: ResourceMode,
        type_name: String,
        name: String,
        /// The attribute read, if any.
        attr: Option<String>,
    },
    /// `local.name`
    Local(String),
    /// `var.name`
    Var(String),
    /// `module.call.output`
    ModuleOutput { call: String, output: String },
}

/// Every reference written in an expression, with its span, in order.
pub fn references(expr: &Expr) -> Vec<(Reference, Span)> {
    let mut out = Vec::new();
    expr.ast.visit(&mut |node| {
        if let Kind::Traversal(t) = &node.kind {
            if let Kind::Variable(root) = &t.root.kind {
                let parts: Vec<Option<&str>> = t
                    .ops
                    .iter()
                    .map(|op| match op {
                        Op::GetAttr(name) => Some(&**name),
                        _ => None,
                    })
                    .collect();
                if let Some(r) = classify(root, &parts) {
                    out.push((r, Span::new(expr.file, node.range())));
                }
            }
        }
    });
    out
}

/// Reads a traversal `root.parts...`; `None` parts are index or splat
/// operators.
fn classify(root: &str, parts: &[Option<&str>]) -> Option<Reference> {
    // The first attribute name after position `from`, skipping instance keys.
    let attr_after = |from: usize| {
        parts
            .iter()
            .skip(from)
            .flatten()
            .next()
            .map(|s| s.to_string())
    };
    match root {
        "local" => Some(Reference::Local(parts.first().copied()??.to_string())),
        "var" => Some(Reference::Var(parts.first().copied()??.to_string())),
        "module" => Some(Reference::ModuleOutput {
            call: parts.first().copied()??.to_string(),
            output: attr_after(1)?,
        }),
        "data" => Some(Reference::Resource {
            mode: ResourceMode::Data,
            type_name: parts.first().copied()??.to_string(),
            name: parts.get(1).copied()??.to_string(),
            attr: attr_after(2),
        }),
        "each" | "count" | "self" | "path" | "terraform" | "ephemeral" => None,
        _ => Some(Reference::Resource {
            mode: ResourceMode::Managed,
            type_name: root.to_string(),
            name: parts.first().copied()??.to_string(),
            attr: attr_after(1),
        }),
    }
}

/// A resource or data source in one module instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Referent {
    pub instance: usize,
    /// Index into the module's `resources`.
    pub resource: usize,
}

/// The resource or data source `mode type.name` of an instance's module.
pub fn find_resource(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    mode: ResourceMode,
    type_name: &str,
    name: &str,
) -> Option<Referent> {
    let m = ws.module(values.instances[instance].module);
    m.config
        .resources
        .iter()
        .position(|r| r.mode == mode && r.type_name == type_name && r.name == name)
        .map(|resource| Referent { instance, resource })
}

/// Every resource and data source `expr`, written in `instance`, refers to:
/// directly, through locals, through outputs of local child modules, and
/// through variables back to what the calling `module` block passes. Sorted
/// and without duplicates.
pub fn referents(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    expr: &Expr,
) -> Vec<Referent> {
    let mut out = Vec::new();
    follow(ws, values, instance, expr, 0, &mut out);
    out.sort();
    out.dedup();
    out
}

fn follow(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    expr: &Expr,
    hops: usize,
    out: &mut Vec<Referent>,
) {
    if hops > MAX_HOPS {
        return;
    }
    let module = ws.module(values.instances[instance].module);
    for (r, _) in references(expr) {
        match r {
            Reference::Resource {
                mode,
                type_name,
                name,
                ..
            } => out.extend(find_resource(ws, values, instance, mode, &type_name, &name)),
            Reference::Local(name) => {
                if let Some(l) = module.config.locals.iter().rev().find(|l| l.name == name) {
                    follow(ws, values, instance, &l.expr, hops + 1, out);
                }
            }
            Reference::Var(name) => {
                let Some((parent, ci)) = values.instances[instance].parent else {
                    continue;
                };
                let caller = ws.module(values.instances[parent].module);
                if let Some((_, e)) = caller.config.module_calls[ci]
                    .arguments()
                    .find(|(k, _)| *k == name)
                {
                    follow(ws, values, parent, e, hops + 1, out);
                }
            }
            Reference::ModuleOutput { call, output } => {
                let Some(ci) = module
                    .config
                    .module_calls
                    .iter()
                    .position(|c| c.name == call)
                else {
                    continue;
                };
                // Every instance the call makes (one per key of a
                // `count` or `for_each`).
                let children = (0..values.instances.len())
                    .filter(|&i| values.instances[i].parent == Some((instance, ci)));
                for child in children {
                    let child_module = ws.module(values.instances[child].module);
                    if let Some(v) = child_module
                        .config
                        .outputs
                        .iter()
                        .find(|o| o.name == output)
                        .and_then(|o| o.value.as_ref())
                    {
                        follow(ws, values, child, v, hops + 1, out);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn expr(s: &str) -> Expr {
        Expr::new(FileId(0), &hcl_edit::parser::parse_expr(s).unwrap())
    }

    fn refs(s: &str) -> Vec<Reference> {
        references(&expr(s)).into_iter().map(|(r, _)| r).collect()
    }

    fn res(mode: ResourceMode, t: &str, n: &str, attr: Option<&str>) -> Reference {
        Reference::Resource {
            mode,
            type_name: t.into(),
            name: n.into(),
            attr: attr.map(str::to_string),
        }
    }

    #[test]
    fn traversals_are_read_as_references() {
        use ResourceMode::*;
        assert_eq!(
            refs("aws_acm_certificate.site.arn"),
            [res(Managed, "aws_acm_certificate", "site", Some("arn"))]
        );
        assert_eq!(
            refs("aws_lambda_function.edge[0].qualified_arn"),
            [res(
                Managed,
                "aws_lambda_function",
                "edge",
                Some("qualified_arn")
            )]
        );
        assert_eq!(
            refs("data.aws_acm_certificate.x.arn"),
            [res(Data, "aws_acm_certificate", "x", Some("arn"))]
        );
        assert_eq!(
            refs("module.cdn[\"a\"].cert_arn"),
            [Reference::ModuleOutput {
                call: "cdn".into(),
                output: "cert_arn".into()
            }]
        );
        assert_eq!(
            refs("var.on ? local.arn : \"${aws_s3_bucket.b.arn}/x\""),
            [
                Reference::Var("on".into()),
                Reference::Local("arn".into()),
                res(Managed, "aws_s3_bucket", "b", Some("arn")),
            ]
        );
        assert!(refs("each.value").is_empty());
        assert!(refs("count.index + 1").is_empty());
        assert!(refs("\"literal\"").is_empty());
    }

    fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, crate::model::Workspace) {
        crate::model::load_test_tree(files)
    }

    #[test]
    fn references_resolve_through_locals_outputs_and_variables() {
        let (_dir, ws) = load(&[
            (
                "main.tf",
                r#"
resource "aws_acm_certificate" "root" {}
module "cdn" {
  source   = "./cdn"
  cert_arn = aws_acm_certificate.root.arn
}
module "edge" {
  source = "./edge"
}
locals {
  edge = module.edge.fn_arn
}
output "x" { value = local.edge }
"#,
            ),
            (
                "cdn/main.tf",
                r#"
variable "cert_arn" {}
resource "aws_cloudfront_distribution" "d" {
  viewer_certificate { acm_certificate_arn = var.cert_arn }
}
"#,
            ),
            (
                "edge/main.tf",
                r#"
resource "aws_lambda_function" "f" {}
output "fn_arn" { value = aws_lambda_function.f.qualified_arn }
"#,
            ),
        ]);
        let values = Values::build(&ws, &Default::default());
        let root = ws
            .modules
            .iter()
            .find(|m| m.place == crate::model::Place::Root)
            .unwrap();
        let root_inst = values.instances_of(root.id).next().unwrap();
        let name = |r: &Referent| {
            let m = ws.module(values.instances[r.instance].module);
            (
                values.instances[r.instance].address.clone(),
                m.config.resources[r.resource].address(),
            )
        };

        // Through a local and a child module's output.
        let out = &root.config.outputs[0];
        let got: Vec<_> = referents(&ws, &values, root_inst, out.value.as_ref().unwrap())
            .iter()
            .map(name)
            .collect();
        assert_eq!(
            got,
            [(
                "module.edge".to_string(),
                "aws_lambda_function.f".to_string()
            )]
        );

        // Through a variable, back to what the caller passes.
        let cdn_inst = values
            .instances
            .iter()
            .position(|i| i.address == "module.cdn")
            .unwrap();
        let cdn = ws.module(values.instances[cdn_inst].module);
        let arn = &cdn.config.resources[0]
            .content
            .attrs_at(&["viewer_certificate", "acm_certificate_arn"])[0];
        let got: Vec<_> = referents(&ws, &values, cdn_inst, arn)
            .iter()
            .map(name)
            .collect();
        assert_eq!(
            got,
            [(String::new(), "aws_acm_certificate.root".to_string())]
        );
    }

    #[test]
    fn nested_arguments_are_found_in_dynamic_blocks_too() {
        let mut m = crate::model::ModuleConfig::default();
        m.add_file(
            FileId(0),
            hcl_edit::parser::parse_body(
                r#"
resource "aws_cloudfront_distribution" "d" {
  default_cache_behavior {
    lambda_function_association { lambda_arn = "a" }
  }
  dynamic "ordered_cache_behavior" {
    for_each = var.x
    content {
      lambda_function_association { lambda_arn = "b" }
    }
  }
}
"#,
            )
            .unwrap(),
            false,
        );
        let c = &m.resources[0].content;
        let lits = |path: &[&str]| -> Vec<String> {
            c.attrs_at(path)
                .iter()
                .filter_map(|e| e.literal_str())
                .collect()
        };
        assert_eq!(
            lits(&[
                "default_cache_behavior",
                "lambda_function_association",
                "lambda_arn"
            ]),
            ["a"]
        );
        assert_eq!(
            lits(&[
                "ordered_cache_behavior",
                "lambda_function_association",
                "lambda_arn"
            ]),
            ["b"]
        );
        assert!(lits(&["viewer_certificate", "acm_certificate_arn"]).is_empty());
    }
}
