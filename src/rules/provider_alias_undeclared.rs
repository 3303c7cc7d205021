//! `provider-alias-undeclared`: a child module that uses an aliased
//! provider configuration every caller passes in its `providers` map,
//! without declaring it in `configuration_aliases`.

use super::provider_alias_undefined::undeclared_refs;
use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage::{passed_by_every_caller, ConfigRef};
use std::collections::BTreeMap;

declare_rule! {
    ProviderAliasUndeclared, "provider-alias-undeclared", Hygiene,
    "a child module that uses an aliased provider configuration its callers pass in, without declaring it in configuration_aliases"
}

impl Rule for ProviderAliasUndeclared {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let ws = cx.ws;
        // In a module not read whole, the declaration may be in the file
        // that was not read.
        for m in ws
            .modules
            .iter()
            .filter(|m| m.config_complete && !m.is_root())
        {
            let cfg = &m.config;
            // The references to each undeclared alias, one finding each.
            let mut by_alias: BTreeMap<(&str, &str), Vec<ConfigRef<'_>>> = BTreeMap::new();
            for (r, alias) in undeclared_refs(cfg) {
                by_alias.entry((r.name, alias)).or_default().push(r);
            }
            for ((name, alias), mut refs) in by_alias {
                let Some(passes) = passed_by_every_caller(ws, m, name, alias) else {
                    continue;
                };
                refs.sort_by_key(|r| {
                    (
                        ws.sources.get(r.span.file).display.clone(),
                        r.span.range.start,
                    )
                });
                let Some((first, others)) = refs.split_first() else {
                    continue;
                };
                let addr = first.address();
                let mut message = format!(
                    "{} refers to provider configuration {addr}, which its callers pass in but \
                     this module does not declare",
                    first.what()
                );
                if !others.is_empty() {
                    message.push_str(&format!(" ({} references)", refs.len()));
                }
                let help = match cfg.requirement_named(name) {
                    Some(_) => format!(
                        "add {addr} to configuration_aliases in this module's required_providers \
                         entry for {name}"
                    ),
                    None => format!(
                        "declare it in this module's required_providers: {name} = {{ source = \
                         ..., configuration_aliases = [{addr}] }}"
                    ),
                };
                let f = cx
                    .finding(first.span.clone(), message)
                    .in_module(&m.display)
                    .about(&addr)
                    .with_help(format!(
                        "{help}; Terraform makes it from the callers' providers maps and only \
                         warns, but a call that does not pass it then fails"
                    ))
                    .with_labels_capped(others, format!("references to {addr}"), |r| {
                        (r.span.clone(), format!("{} refers to it too", r.what()))
                    })
                    .with_labels_capped(
                        &passes,
                        format!("calls that pass {addr}"),
                        |(caller, call, pass)| {
                            (
                                pass.child.span.clone(),
                                format!("{} in `{}` passes it", call.label(), caller.display),
                            )
                        },
                    );
                out.push(f);
            }
        }
    }
}
