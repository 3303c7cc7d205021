//! `provider-not-declared`: a provider the module uses without a
//! `required_providers` entry.

use super::provider_source_missing::suggested_source;
use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage::{provider_uses, used_names, BUILTIN};

declare_rule! {
    ProviderNotDeclared, "provider-not-declared", Pinning,
    "a provider a module uses without declaring it in required_providers"
}

/// How many other uses are shown as labels.
const MAX_LABELS: usize = 3;

impl Rule for ProviderNotDeclared {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // In a module not read whole, the declaration may be in the file
        // that was not read.
        for m in cx.ws.modules.iter().filter(|m| m.config_complete) {
            let cfg = &m.config;
            // Where each provider is used is worked out only for a module
            // that uses one it does not declare.
            let undeclared = |name: &str| name != BUILTIN && !cfg.requires(name);
            if !used_names(cfg).iter().any(|n| undeclared(n)) {
                continue;
            }
            for (name, uses) in provider_uses(cfg) {
                if name == BUILTIN || cfg.requires(name) {
                    continue;
                }
                let Some((first, rest)) = uses.split_first() else {
                    continue;
                };
                let others = match rest.len() {
                    0 => String::new(),
                    1 => " and 1 other place".to_string(),
                    n => format!(" and {n} other places"),
                };
                let mut f = cx
                    .finding(
                        first.span.clone(),
                        format!(
                            "provider \"{name}\" is used by {}{others} but is not declared in \
                             required_providers",
                            first.what()
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("terraform.required_providers.{name}"))
                    .with_help(format!(
                        "add {name} = {{ source = \"{}\", version = \"...\" }} to \
                         terraform {{ required_providers {{ }} }} in this module",
                        suggested_source(name)
                    ));
                for u in rest.iter().take(MAX_LABELS) {
                    f = f.with_label(u.span.clone(), format!("also used by {}", u.what()));
                }
                out.push(f);
            }
        }
    }
}
