//! `provider-alias-unused`: an aliased provider configuration nothing in
//! its module refers to.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage::config_refs;
use crate::model::Keys;
use crate::model::RoleSet;

declare_rule! {
    ProviderAliasUnused, "provider-alias-unused", Hygiene,
    "an aliased provider configuration that nothing in its module refers to",
    judges: RoleSet::ALL,
}

impl Rule for ProviderAliasUnused {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // In a module not read whole, the use may be in the file that was
        // not read.
        for m in cx.ws.modules.iter().filter(|m| m.config_complete) {
            let cfg = &m.config;
            // Looked up once per aliased block, so kept in a set (a module
            // can have many blocks and many references), gathered only for
            // a module with an alias to look up.
            let refs = std::cell::OnceCell::new();
            let used = |name: &str, alias: &str| {
                refs.get_or_init(|| {
                    (config_refs(cfg).iter())
                        .filter_map(|r| Some((r.name, r.alias?)))
                        .collect::<Keys<(&str, &str)>>()
                })
                .contains(&(name, alias))
            };
            for pc in &cfg.provider_configs {
                let Some(alias) = &pc.alias else { continue };
                if used(&pc.name, &alias.value) {
                    continue;
                }
                out.push(
                    cx.finding(
                        alias.span.clone(),
                        format!(
                            "provider configuration {} is never used in this module",
                            pc.reference()
                        ),
                    )
                    .in_module(&m.display)
                    .about(pc.reference())
                    .with_help(format!(
                        "remove the block, or use it with `provider = {}` on a resource or in a \
                         module's providers map; aliased configurations are never inherited by \
                         child modules",
                        pc.reference()
                    )),
                );
            }
            for ca in cfg
                .required_providers
                .iter()
                .flat_map(|r| &r.configuration_aliases)
            {
                let Some(alias) = &ca.alias else { continue };
                if used(&ca.name, alias)
                    || cfg.provider_config_named(&ca.name, Some(alias)).is_some()
                {
                    continue;
                }
                out.push(
                    cx.finding(
                        ca.span.clone(),
                        format!(
                            "configuration alias {} is declared but never used in this module",
                            ca.address()
                        ),
                    )
                    .in_module(&m.display)
                    .about(ca.address())
                    .with_help(format!(
                        "remove {} from configuration_aliases; every caller has to pass it",
                        ca.address()
                    )),
                );
            }
        }
    }
}
