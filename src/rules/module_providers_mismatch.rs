//! `module-providers-mismatch`: a module call whose `providers` map does
//! not fit what the child module declares.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::model::usage::{address_of, refers_to, uses_name, ChildNeeds};
use crate::model::CallTarget;
use crate::model::Keys;

declare_rule! {
    ModuleProvidersMismatch, "module-providers-mismatch", Correctness,
    "a module call that does not pass a configuration the child declares, or passes one it does not declare"
}

impl Rule for ModuleProvidersMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let needs = ChildNeeds::new(cx.ws);
        for m in &cx.ws.modules {
            for (ci, call) in m.config.module_calls.iter().enumerate() {
                let Some(CallTarget::Local(child_id)) = m.calls.get(ci) else {
                    continue;
                };
                let child = cx.ws.module(*child_id);
                let ccfg = &child.config;
                // Kept in a set, built on first need: a providers map and
                // the aliases a child asks for can both be long.
                let passed = std::cell::OnceCell::new();
                let passes = |name: &str, alias: Option<&str>| {
                    passed
                        .get_or_init(|| {
                            (call.providers.iter())
                                .map(|p| (p.child.name.as_str(), p.child.alias.as_deref()))
                                .collect::<Keys<_>>()
                        })
                        .contains(&(name, alias))
                };
                let anchor = call.providers_span.as_ref().unwrap_or(&call.header);
                let how = if call.providers_span.is_some() {
                    "does not pass"
                } else {
                    "has no providers map, so does not pass"
                };

                // Aliases the child asks for, new style and legacy proxy
                // blocks, that the call does not pass.
                let wanted = ccfg
                    .required_providers
                    .iter()
                    .flat_map(|r| &r.configuration_aliases)
                    .filter_map(|ca| {
                        let alias = ca.alias.as_deref()?;
                        let configured = ccfg
                            .provider_configs_named(&ca.name, Some(alias))
                            .any(|(_, pc)| !pc.proxy);
                        (!configured).then(|| {
                            (
                                ca.name.as_str(),
                                alias,
                                ca.span.clone(),
                                "configuration_aliases",
                            )
                        })
                    })
                    .chain(ccfg.provider_configs.iter().filter_map(|pc| {
                        let alias = pc.alias.as_ref()?;
                        let declared = ccfg
                            .configuration_alias_named(&pc.name, Some(&alias.value))
                            .is_some();
                        (pc.proxy && !declared).then(|| {
                            (
                                pc.name.as_str(),
                                alias.value.as_str(),
                                pc.header.clone(),
                                "an empty provider block",
                            )
                        })
                    }));
                for (name, alias, span, via) in wanted {
                    if passes(name, Some(alias)) {
                        continue;
                    }
                    out.push(
                        cx.finding(
                            anchor.clone(),
                            format!(
                                "{} {how} {name}.{alias}, which `{}` requires",
                                call.label(),
                                child.display
                            ),
                        )
                        .in_module(&m.display)
                        .about(format!("{}.providers.{name}.{alias}", call.address()))
                        .with_help(format!(
                            "add {name}.{alias} = {name}.ALIAS to the providers map of module \
                             \"{}\", naming the configuration it should use",
                            call.name
                        ))
                        .with_label(
                            span,
                            format!("`{}` asks for {name}.{alias} with {via}", child.display),
                        ),
                    );
                }

                // Keys the child does not declare.
                for pass in &call.providers {
                    let (name, alias) = (&pass.child.name, pass.child.alias.as_deref());
                    let key = pass.child.address();
                    if let Some((_, pc)) = ccfg
                        .provider_configs_named(name, alias)
                        .find(|(_, pc)| !pc.proxy)
                    {
                        out.push(
                            cx.finding(
                                pass.child.span.clone(),
                                format!(
                                    "{} passes {key}, but `{}` configures {key} itself",
                                    call.label(),
                                    child.display
                                ),
                            )
                            .in_module(&m.display)
                            .about(format!("{}.providers.{key}", call.address()))
                            .with_help(format!(
                                "Terraform refuses to override a child's own provider \
                                 configuration; remove {key} from the providers map, or move \
                                 the provider block out of `{}`",
                                child.display
                            ))
                            .with_label(pc.header.clone(), "configured here"),
                        );
                        continue;
                    }
                    let declared = match alias {
                        Some(_) => {
                            ccfg.configuration_alias_named(name, alias).is_some()
                                || ccfg.provider_config_named(name, alias).is_some()
                        }
                        None => {
                            ccfg.requires(name)
                                || ccfg.provider_config_named(name, None).is_some()
                                || uses_name(ccfg, name)
                                || address_of(ccfg, name)
                                    .is_some_and(|a| needs.needed_by_children(child, &a))
                        }
                    };
                    // In a child not read whole, the declaration may be in
                    // the file that was not read.
                    if declared || !child.config_complete {
                        continue;
                    }
                    // Terraform makes a configuration in the child for every
                    // entry, declared or not. A child that uses this one
                    // works, and the declaration it lacks is its own to add:
                    // provider-alias-undeclared (or -undefined, when some
                    // call does not pass it) reports it there.
                    if alias.is_some() && refers_to(ccfg, name, alias) {
                        continue;
                    }
                    let mut f = cx
                        .finding(
                            pass.child.span.clone(),
                            format!(
                                "{} passes {key}, which `{}` neither declares nor uses",
                                call.label(),
                                child.display
                            ),
                        )
                        .with_severity(Severity::Warning)
                        .in_module(&m.display)
                        .about(format!("{}.providers.{key}", call.address()))
                        .with_help(format!(
                            "remove {key} from the providers map: nothing in `{}` uses it (or \
                             correct the key, if it is a misspelt name the child does use)",
                            child.display
                        ));
                    if let Some(req) = ccfg.requirement_named(name) {
                        f = f.with_label(
                            req.name_span.clone(),
                            format!("`{}` requires {name} here", child.display),
                        );
                    }
                    out.push(f);
                }
            }
        }
    }
}
