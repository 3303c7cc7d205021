//! `provider-default-missing`: a deployed root with only aliased
//! configurations of a provider, and something that relies on the default
//! one.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::module::ProviderConfig;
use crate::model::usage::{config_refs, ConfigRefKind};
use crate::model::wiring::{chain_read_whole, Target};
use crate::model::{Module, ModuleId, Place, Role, RoleSet};
use std::collections::BTreeMap;

declare_rule! {
    ProviderDefaultMissing, "provider-default-missing", Correctness,
    "a deployed root module with only aliased configurations of a provider, where something relies on the default one",
    uses_placements: true,
    judges: RoleSet::of(&[Role::Deployed]),
}

/// How many resources of a child module are shown as labels.
const MAX_LABELS: usize = 3;

/// Resources of child modules that use the default configuration: by the
/// root instance, its call that leads to them and the provider name, each
/// resource as (instance, position in its module).
type ByCall<'a> = BTreeMap<(usize, usize, &'a str), Vec<(usize, usize)>>;

/// The aliased configurations of a provider in each root that has some and
/// no default one, worked out once per root and name: every resource that
/// relies on the default asks.
#[derive(Default)]
struct OnlyAliased<'w>(crate::HashMap<(ModuleId, &'w str), Option<Vec<&'w ProviderConfig>>>);

impl<'w> OnlyAliased<'w> {
    /// The root's configurations of `name`, in file order, when all are
    /// aliased; `None` when it has a default one or none at all.
    fn of(&mut self, root: &'w Module, name: &'w str) -> Option<&[&'w ProviderConfig]> {
        // The usual answer, found without hashing.
        if root.config.provider_config_named(name, None).is_some() {
            return None;
        }
        self.0
            .entry((root.id, name))
            .or_insert_with(|| {
                let blocks = root.config.provider_configs_of(name);
                let all_aliased = blocks.iter().all(|(_, pc)| pc.alias.is_some());
                (!blocks.is_empty() && all_aliased)
                    .then(|| blocks.into_iter().map(|(_, pc)| pc).collect())
            })
            .as_deref()
    }
}

/// Marks the aliased configurations, a bounded number of them.
fn aliases_label(aliased: &[&ProviderConfig], name: &str, f: Finding) -> Finding {
    f.with_labels_capped(aliased, format!("configurations of {name}"), |pc| {
        let span = pc.alias.as_ref().map_or(&pc.header, |a| &a.span);
        (
            span.clone(),
            format!("only {} is configured", pc.reference()),
        )
    })
}

fn help(name: &str) -> String {
    format!(
        "add a default provider \"{name}\" block (without alias) to this root module, or point \
         what uses it at an aliased configuration"
    )
}

impl Rule for ProviderDefaultMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let ws = cx.ws;
        let values = cx.values;
        // Resources in child modules, grouped by the root's call that leads
        // to them and the provider name.
        let mut by_call: ByCall<'_> = BTreeMap::new();
        let mut only_aliased = OnlyAliased::default();
        let mut last = None;
        for p in cx.placements() {
            // The instances of a repeated resource share their
            // configuration: the resource is reported once.
            if last.replace((p.instance, p.resource)) == Some((p.instance, p.resource)) {
                continue;
            }
            let Target::ImplicitDefault {
                root_instance,
                name,
            } = &*p.target
            else {
                continue;
            };
            let root = ws.module(values.instances[*root_instance].module);
            if !chain_read_whole(ws, values, p.instance) {
                continue;
            }
            let Some(aliased) = only_aliased.of(root, name) else {
                continue;
            };
            if p.instance == *root_instance {
                let r = &root.config.resources[p.resource];
                let span = r.provider.as_ref().map_or(&r.header, |pr| &pr.span);
                let f = cx
                    .finding(
                        span.clone(),
                        format!(
                            "{} \"{}\" \"{}\" uses the default configuration of provider \
                             \"{name}\", which this root module does not define",
                            r.mode.keyword(),
                            r.type_name,
                            r.name
                        ),
                    )
                    .in_module(&root.display)
                    .about(r.address())
                    .in_instance(p.instance)
                    .with_help(help(name));
                out.push(aliases_label(aliased, name, f));
                continue;
            }
            // Climb to the instance the root calls directly.
            let mut inst = p.instance;
            while let Some((parent, ci)) = values.instances[inst].parent {
                if parent == *root_instance {
                    by_call
                        .entry((*root_instance, ci, name.as_str()))
                        .or_default()
                        .push((p.instance, p.resource));
                    break;
                }
                inst = parent;
            }
        }
        for ((root_instance, ci, name), resources) in by_call {
            let root = ws.module(values.instances[root_instance].module);
            let call = &root.config.module_calls[ci];
            if call.providers_span.is_some() {
                // The call's providers map passes the default explicitly,
                // which is reported at the map entry below.
                continue;
            }
            let n = resources.len();
            let mut f = cx
                .finding(
                    call.header.clone(),
                    format!(
                        "{} inherits the default configuration of provider \
                         \"{name}\", which this root module does not define ({n} resource{} \
                         use{} it)",
                        call.label(),
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "s" } else { "" },
                    ),
                )
                .in_module(&root.display)
                .about(format!("{}.providers.{name}", call.address()))
                .in_instance(root_instance)
                .with_help(format!(
                    "pass an aliased configuration with providers = {{ {name} = {name}.ALIAS }}, \
                     or add a default provider \"{name}\" block to this root module"
                ));
            for (inst, ri) in resources.into_iter().take(MAX_LABELS) {
                let m = ws.module(values.instances[inst].module);
                let r = &m.config.resources[ri];
                f = f.with_label(
                    r.header.clone(),
                    format!("{} uses the default \"{name}\"", r.address()),
                );
            }
            let aliased = only_aliased.of(root, name).unwrap_or_default();
            out.push(aliases_label(aliased, name, f));
        }
        // A providers map that passes the default explicitly. A child
        // module's default comes from its caller; a root has none unless
        // it writes one.
        for m in (ws.modules.iter()).filter(|m| m.place == Place::Root && m.config_complete) {
            for r in config_refs(&m.config) {
                if r.alias.is_some() || !matches!(r.kind, ConfigRefKind::ProvidersMap { .. }) {
                    continue;
                }
                let Some(aliased) = only_aliased.of(m, r.name) else {
                    continue;
                };
                let f = cx
                    .finding(
                        r.span.clone(),
                        format!(
                            "{} passes the default configuration of provider \"{}\", which this \
                             root module does not define",
                            r.what(),
                            r.name
                        ),
                    )
                    .in_module(&m.display)
                    .about(r.address())
                    .with_help(help(r.name));
                out.push(aliases_label(aliased, r.name, f));
            }
        }
    }
}
