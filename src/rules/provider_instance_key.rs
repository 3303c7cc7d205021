//! `provider-instance-key`: in OpenTofu, a reference to an instance of a
//! provider configuration that does not exist.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::eval::Value;
use crate::fileset::Engine;
use crate::finding::Finding;
use crate::model::Expr;

declare_rule! {
    ProviderInstanceKey, "provider-instance-key", Correctness,
    "a reference to a provider configuration with for_each that names no instance, or a key it does not have (OpenTofu, Terraform stacks)"
}

impl Rule for ProviderInstanceKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // Provider for_each is OpenTofu's (1.9) and a Terraform stack's; in
        // a Terraform module, Terraform's reading reports the block itself
        // (opentofu-only-construct).
        for m in &cx.ws.modules {
            if cx.ws.engine != Engine::OpenTofu && !m.is_stack() {
                continue;
            }
            let cfg = &m.config;
            if cfg
                .provider_configs
                .iter()
                .all(|pc| pc.content.attr("for_each").is_none())
            {
                continue;
            }
            // Every reference, with what makes it and that thing's own
            // for_each, which `each.key` and `each.value` range over.
            let resources = cfg.resources.iter().filter_map(|r| {
                let what = format!("{} \"{}\" \"{}\"", r.mode.keyword(), r.type_name, r.name);
                Some((what, r.provider.as_deref()?, r.content.attr("for_each")))
            });
            let calls = cfg.module_calls.iter().flat_map(|c| {
                let each = c.content.attr("for_each");
                c.providers
                    .iter()
                    .map(move |p| (format!("module \"{}\" providers", c.name), &p.parent, each))
            });
            let imports = cfg
                .import_providers
                .iter()
                .map(|r| ("import block".to_string(), r, None));
            for (what, r, each) in resources.chain(calls).chain(imports) {
                let Some((_, pc)) = cfg.provider_config_named(&r.name, r.alias.as_deref()) else {
                    continue;
                };
                let target = pc.reference();
                let problem = match (pc.content.attr("for_each"), &r.key) {
                    (None, None) => continue,
                    (None, Some(_)) => format!(
                        "{what} names an instance of provider {target}, which has no for_each"
                    ),
                    (Some(_), None) => format!(
                        "{what} refers to provider {target}, which has for_each, without naming \
                         one of its instances"
                    ),
                    (Some(fe), Some(key)) => {
                        // In every instance of the module (each deployment
                        // of a stack), with that instance's values.
                        let mut missing: Vec<String> = Vec::new();
                        for i in cx.values.instances_of(m.id) {
                            let (Some(have), Some(wanted)) =
                                (keys_in(cx, i, fe), wanted_keys(cx, i, key, each))
                            else {
                                continue;
                            };
                            for k in wanted {
                                if !have.contains(&k) && !missing.contains(&k) {
                                    missing.push(k);
                                }
                            }
                        }
                        if missing.is_empty() {
                            continue;
                        }
                        let listed: Vec<String> =
                            missing.iter().map(|k| format!("\"{k}\"")).collect();
                        format!(
                            "{what} uses provider {target} with key {}, which its for_each does \
                             not have",
                            listed.join(", ")
                        )
                    }
                };
                let fe = pc.content.attr("for_each");
                let keys = match fe.and_then(|fe| pairs(&cx.values.eval_in_module(m.id, fe).value))
                {
                    Some(k) if !k.is_empty() => {
                        let k: Vec<String> = k.iter().map(|(k, _)| format!("\"{k}\"")).collect();
                        format!("; its keys are {}", k.join(", "))
                    }
                    _ => String::new(),
                };
                out.push(
                    cx.finding(r.span.clone(), problem)
                        .in_module(&m.display)
                        .about(&target)
                        .with_label(
                            pc.header.clone(),
                            format!("provider {target} is defined here"),
                        )
                        .with_help(format!(
                            "{} fails at plan; refer to an instance as {target}[key] with a key \
                             of its for_each{keys}",
                            if m.is_stack() {
                                "the stack"
                            } else {
                                "OpenTofu (\"Provider instance not present\" or \"Invalid \
                                 provider configuration reference\")"
                            }
                        )),
                );
            }
        }
    }
}

/// The instance keys of a provider block's `for_each` in one module
/// instance, when they are known statically (as the engines require them
/// to be): a map's keys, or a set's strings.
fn keys_in(cx: &Context<'_, '_>, instance: usize, for_each: &Expr) -> Option<Vec<String>> {
    pairs(&cx.values.eval(instance, for_each).value)
        .map(|p| p.into_iter().map(|(k, _)| k).collect())
}

/// `each.key` and `each.value` of every instance of a `for_each` value.
fn pairs(v: &Value) -> Option<Vec<(String, Value)>> {
    match v {
        Value::Map(m) => Some(m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Value::List(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Some((s.clone(), i.clone())),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The keys a reference asks for: a key known in the module, or, for
/// `each.key` / `each.value` under a statically known `for_each`, the key
/// of every instance. `None` when tfpin cannot know them.
fn wanted_keys(
    cx: &Context<'_, '_>,
    instance: usize,
    key: &Expr,
    each: Option<&Expr>,
) -> Option<Vec<String>> {
    match key.ast.traversal_names().as_deref() {
        Some([root, attr]) if root == "each" => {
            let instances = pairs(&cx.values.eval(instance, each?).value)?;
            instances
                .into_iter()
                .map(|(k, v)| match attr.as_str() {
                    "key" => Some(k),
                    "value" => match v {
                        Value::String(s) => Some(s),
                        _ => None,
                    },
                    _ => None,
                })
                .collect()
        }
        _ => match cx.values.eval(instance, key).value {
            Value::String(s) => Some(vec![s]),
            _ => None,
        },
    }
}
