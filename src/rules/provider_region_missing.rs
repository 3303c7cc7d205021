//! `provider-region-missing`: a configuration of a regional provider that
//! sets no region, so where its resources go depends on the environment.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::eval::Value;
use crate::finding::Finding;
use crate::model::sites::SiteKind;
use crate::model::usage::address_of;
use crate::model::wiring::Target;
use crate::model::{ProviderConfig, Role};
use crate::regions::{self, RegionalProvider};
use std::collections::BTreeSet;

declare_rule! {
    ProviderRegionMissing, "provider-region-missing", Pinning,
    "an `aws`, `awscc`, `google` or other regional provider configuration in a root module that sets no region, including the empty default configuration Terraform makes up"
}

impl Rule for ProviderRegionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in cx.ws.modules.iter().filter(|m| m.role == Role::Root) {
            let deployed = m.config.backend.is_some() || m.lock.is_some();
            for pc in &m.config.provider_configs {
                let Some(regional) = address_of(&m.config, &pc.name)
                    .and_then(|a| regions::regional_provider(&a.type_name))
                else {
                    continue;
                };
                if sets_region(cx, m.id, pc, regional) {
                    continue;
                }
                // An alias-only block in a module that is not deployed is
                // the proxy form a reusable module uses to receive a
                // configuration from its caller.
                if !deployed && pc.alias.is_some() && pc.content.attrs.len() == 1 {
                    continue;
                }
                let what = match &pc.alias {
                    Some(a) => format!("provider \"{}\" (alias \"{}\")", pc.name, a.value),
                    None => format!("provider \"{}\"", pc.name),
                };
                out.push(
                    cx.finding(pc.header.clone(), format!("{what} configuration sets no region"))
                        .in_module(&m.display)
                        .with_help(help(regional)),
                );
            }
        }

        // Resources that fall back on a configuration nobody wrote: Terraform
        // gives the root an empty default configuration of the provider.
        let mut seen = BTreeSet::new();
        for p in cx.placements() {
            let Target::ImplicitDefault {
                root_instance,
                name,
            } = &p.target
            else {
                continue;
            };
            let root = cx.ws.module(cx.values.instances[*root_instance].module);
            if !root.is_deployable_root() || seen.contains(&(*root_instance, name.clone())) {
                continue;
            }
            let Some(regional) = address_of(&root.config, name)
                .and_then(|a| regions::regional_provider(&a.type_name))
            else {
                continue;
            };
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            // A resource that says where it runs itself does not rely on
            // the configuration's region.
            if !module.target || sets_own_region(cx, p) {
                continue;
            }
            seen.insert((*root_instance, name.clone()));
            let r = &module.config.resources[p.resource];
            let mut f = cx
                .finding(
                    r.header.clone(),
                    format!(
                        "{} \"{}\" \"{}\" uses the default \"{name}\" configuration, which no provider block defines: it is empty and sets no region",
                        r.mode.keyword(),
                        r.type_name,
                        r.name
                    ),
                )
                .with_help(format!(
                    "add a provider \"{name}\" block that sets {} to the root module `{}`; {}",
                    settles(regional),
                    root.display,
                    ENVIRONMENT
                ));
            if let Some(t) = root.config.terraform_blocks.first() {
                f = f.with_label(t.clone(), format!("root module `{}`", root.display));
            }
            out.push(f);
        }
    }
}

/// Whether the block sets `region`, or another argument that settles it,
/// to something other than a literal null. A value tfpin cannot resolve
/// counts as set.
fn sets_region(
    cx: &Context<'_, '_>,
    module: crate::model::ModuleId,
    pc: &ProviderConfig,
    regional: &RegionalProvider,
) -> bool {
    std::iter::once("region")
        .chain(regional.also.iter().map(String::as_str))
        .filter_map(|a| pc.content.attr(a))
        .any(|e| cx.values.eval_in_module(module, e).value != Value::Null)
}

/// Whether a placed resource has a region site of its own.
fn sets_own_region(cx: &Context<'_, '_>, p: &crate::model::wiring::Placement) -> bool {
    cx.sites().iter().any(|s| {
        s.instance == p.instance
            && matches!(s.kind, SiteKind::Resource { resource } if resource == p.resource)
    })
}

const ENVIRONMENT: &str = "without it the region comes from the environment of whoever runs Terraform (AWS_REGION, GOOGLE_REGION, a profile)";

/// `region`, or `region (or zone)`.
fn settles(regional: &RegionalProvider) -> String {
    if regional.also.is_empty() {
        "region".to_string()
    } else {
        format!("region (or {})", regional.also.join(", "))
    }
}

fn help(regional: &RegionalProvider) -> String {
    format!(
        "set {} in the block, from a variable if it differs per environment; {ENVIRONMENT}",
        settles(regional)
    )
}
