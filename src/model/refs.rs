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
use crate::eval::ast::{Ast, Kind, Op};
use crate::eval::{Bindings, InstanceKey};
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
    (keyed_references(expr).into_iter())
        .map(|(r, span, _)| (r, span))
        .collect()
}

/// [`references`], each resource reference with the instance key written
/// right after its name, when there is one: the `"eu"` of
/// `aws_s3_bucket.b["eu"].arn`, the `each.key` of `aws_kms_key.k[each.key]`.
fn keyed_references(expr: &Expr) -> Vec<(Reference, Span, Option<&Ast>)> {
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
                    let key_at = match &r {
                        Reference::Resource {
                            mode: ResourceMode::Managed,
                            ..
                        } => Some(1),
                        Reference::Resource { .. } => Some(2),
                        _ => None,
                    };
                    let key = key_at.and_then(|i| match t.ops.get(i) {
                        Some(Op::Index(ast)) => Some(ast),
                        _ => None,
                    });
                    out.push((r, Span::new(expr.file, node.range()), key));
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

/// A resource or data source in one module instance, or one instance of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Referent {
    pub instance: usize,
    /// Index into the module's `resources`.
    pub resource: usize,
    /// The instance of a resource with `count` or `for_each` that the
    /// reference names (`aws_s3_bucket.b["eu"]`), when its key is known;
    /// `None` for all of them.
    pub key: Option<InstanceKey>,
}

impl Referent {
    /// Whether a resource instance with key `key` is one this names.
    pub fn names(&self, key: Option<&InstanceKey>) -> bool {
        self.key.is_none() || self.key.as_ref() == key
    }
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
        .map(|resource| Referent {
            instance,
            resource,
            key: None,
        })
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
    referents_bound(ws, values, instance, expr, &Bindings::new())
}

/// [`referents`] of an expression of a resource instance, whose `each` or
/// `count` (in `bindings`) may pick the instance of another resource it
/// names: `aws_s3_bucket.copy[each.key].arn`.
pub fn referents_bound(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    expr: &Expr,
    bindings: &Bindings,
) -> Vec<Referent> {
    let mut out = Vec::new();
    follow(ws, values, instance, expr, bindings, 0, &mut out);
    out.sort();
    out.dedup();
    out
}

fn follow(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    expr: &Expr,
    bindings: &Bindings,
    hops: usize,
    out: &mut Vec<Referent>,
) {
    if hops > MAX_HOPS {
        return;
    }
    let unbound = Bindings::new();
    let module = ws.module(values.instances[instance].module);
    for (r, _, key) in keyed_references(expr) {
        match r {
            Reference::Resource {
                mode,
                type_name,
                name,
                ..
            } => {
                let Some(mut t) = find_resource(ws, values, instance, mode, &type_name, &name)
                else {
                    continue;
                };
                // A key that cannot be known names any instance.
                t.key = key.and_then(|k| {
                    let k = Expr {
                        file: expr.file,
                        ast: k.clone(),
                    };
                    InstanceKey::of(&values.eval_bound(instance, &k, bindings).value)
                });
                out.push(t);
            }
            Reference::Local(name) => {
                if let Some(l) = module.config.locals.iter().rev().find(|l| l.name == name) {
                    follow(ws, values, instance, &l.expr, &unbound, hops + 1, out);
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
                    // The calling block's arguments see this instance's `each`
                    // or `count`.
                    let call_bindings = values.instances[instance].bindings.as_deref();
                    follow(
                        ws,
                        values,
                        parent,
                        e,
                        call_bindings.unwrap_or(&unbound),
                        hops + 1,
                        out,
                    );
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
                        follow(ws, values, child, v, &unbound, hops + 1, out);
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
    fn a_key_after_a_resource_name_picks_its_instance() {
        let (_dir, ws) = crate::model::load_test_tree(&[(
            "main.tf",
            r#"
resource "aws_s3_bucket" "b" {
  for_each = toset(["eu", "us"])
}
data "aws_s3_bucket" "d" {
  count = 2
}
"#,
        )]);
        let values = Values::build(&ws, &Default::default());
        let keys = |s: &str, bindings: &Bindings| -> Vec<Option<InstanceKey>> {
            referents_bound(&ws, &values, 0, &expr(s), bindings)
                .into_iter()
                .map(|t| t.key)
                .collect()
        };
        let none = Bindings::new();
        assert_eq!(
            keys("aws_s3_bucket.b[\"eu\"].arn", &none),
            [Some(InstanceKey::Key("eu".into()))]
        );
        assert_eq!(
            keys("data.aws_s3_bucket.d[1].arn", &none),
            [Some(InstanceKey::Index(1))]
        );
        assert_eq!(keys("aws_s3_bucket.b.arn", &none), [None]);
        assert_eq!(keys("aws_s3_bucket.b[var.nothing].arn", &none), [None]);
        let map =
            crate::eval::Value::Map([("us".to_string(), crate::eval::Value::Bool(true))].into());
        let expansion = crate::eval::Expansion::for_each(&crate::eval::Resolved::new(map, None));
        let each = Bindings::new().instance(&expansion.reps()[0], false);
        assert_eq!(
            keys("aws_s3_bucket.b[each.key].arn", &each),
            [Some(InstanceKey::Key("us".into()))]
        );
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
