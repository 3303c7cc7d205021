//! `module-provider-block`: a child module that configures providers
//! itself.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::model::Place;
use crate::model::{Role, RoleSet};

declare_rule! {
    ModuleProviderBlock, "module-provider-block", Hygiene,
    "a child module with its own provider block, or an empty proxy block instead of configuration_aliases",
    judges: RoleSet::of(&[Role::Deployed, Role::Example, Role::Test]),
}

impl Rule for ModuleProviderBlock {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in cx.ws.modules.iter().filter(|m| m.place == Place::Child) {
            if wraps_an_example(cx, m) {
                continue;
            }
            for pc in &m.config.provider_configs {
                let reference = pc.reference();
                if pc.proxy {
                    let (message, help) = match &pc.alias {
                        Some(a) => (
                            format!("empty provider block {reference} is a legacy proxy configuration"),
                            format!(
                                "remove the block and declare configuration_aliases = [{}.{}] in \
                                 the required_providers entry for {}",
                                pc.name, a.value, pc.name
                            ),
                        ),
                        None => (
                            format!("empty provider block \"{reference}\" is a legacy proxy configuration"),
                            "remove the block; a child module inherits the caller's default \
                             configuration, and declares the provider in required_providers"
                                .to_string(),
                        ),
                    };
                    out.push(
                        cx.finding(pc.header.clone(), message)
                            .with_severity(Severity::Note)
                            .in_module(&m.display)
                            .about(&reference)
                            .with_help(help),
                    );
                    continue;
                }
                let mut f = cx
                    .finding(
                        pc.header.clone(),
                        format!("child module configures provider {reference} itself"),
                    )
                    .in_module(&m.display)
                    .about(&reference)
                    .with_help(format!(
                        "move the provider block to the root module and pass it in: declare \
                         {reference} in required_providers (configuration_aliases for an alias) \
                         and let callers choose it with providers = {{ ... }}"
                    ));
                for &(caller, ci) in &cx.ws.callers[m.id.0 as usize] {
                    let call = &cx.ws.module(caller).config.module_calls[ci];
                    for &meta in crate::model::module::MODULE_META_ARGS {
                        if let Some(e) = call.content.attr(meta) {
                            f = f.with_label(
                                e.span(),
                                format!(
                                    "{meta} on {} is an error because of this block",
                                    call.label()
                                ),
                            );
                        }
                    }
                }
                out.push(f);
            }
        }
    }
}

/// Whether `m` is an example root that only test fixtures call, none with
/// `count`, `for_each` or `depends_on`: the kitchen-terraform layout, where
/// `test/fixtures/x` wraps `examples/x` to run it. The example is written
/// to run on its own, provider blocks included, and its wrappers neither
/// choose its configurations nor repeat it, so the block costs nothing.
fn wraps_an_example(cx: &Context<'_, '_>, m: &crate::model::Module) -> bool {
    let callers = &cx.ws.callers[m.id.0 as usize];
    m.role == Role::Example
        && !callers.is_empty()
        && callers.iter().all(|&(caller, ci)| {
            let caller = cx.ws.module(caller);
            let call = &caller.config.module_calls[ci];
            caller.role == Role::Test
                && (crate::model::module::MODULE_META_ARGS.iter())
                    .all(|meta| call.content.attr(meta).is_none())
        })
}
