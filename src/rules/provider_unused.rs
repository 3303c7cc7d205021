//! `provider-unused`: a `required_providers` entry nothing in the module
//! uses.

use super::provider_source_missing::third_party_source;
use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::addr::ProviderAddr;
use crate::model::usage::{address_of, state_uses, uses_name, ChildNeeds};
use crate::model::RoleSet;

declare_rule! {
    ProviderUnused, "provider-unused", Hygiene,
    "a required_providers entry that nothing in the module uses or passes to a child module",
    judges: RoleSet::ALL,
    fix: Unsafe,
}

impl Rule for ProviderUnused {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let needs = ChildNeeds::new(cx.ws);
        // In a module not read whole, the use may be in the file that was
        // not read.
        for m in cx.ws.modules.iter().filter(|m| m.config_complete) {
            let cfg = &m.config;
            if cfg.required_providers.is_empty() {
                continue;
            }
            let in_state = state_uses(cfg);
            for req in &cfg.required_providers {
                if uses_name(cfg, &req.name)
                    || in_state.contains(&req.name)
                    || !req.configuration_aliases.is_empty()
                {
                    continue;
                }
                let mut addrs = vec![address_of(cfg, &req.name)
                    .map_or_else(|| ProviderAddr::implied(&req.name), |a| a.into_owned())];
                if req.source.is_none() {
                    // Without a source the entry means hashicorp/<name>,
                    // which provider-source-missing reports; a child that
                    // requires the provider the author meant still counts.
                    addrs.extend(
                        third_party_source(&req.name).and_then(|s| ProviderAddr::parse(s).ok()),
                    );
                }
                if addrs.iter().any(|a| needs.needed_by_children(m, a)) {
                    continue;
                }
                out.push(
                    cx.finding(
                        req.name_span.clone(),
                        format!(
                            "provider \"{}\" is required but nothing in this module uses it",
                            req.name
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("terraform.required_providers.{}", req.name))
                    .with_help(format!(
                        "remove {} from required_providers; nothing in this module or the \
                         modules it calls needs it",
                        req.name
                    ))
                    .with_fix_if(removal(cx, req)),
                );
            }
        }
    }
}

/// Removes the entry: its lines in a native file (where it must have
/// lines of its own), the member and a comma in a JSON one.
/// Unsafe: the requirement goes, and with it whatever a module outside
/// tfpin's view (or a later change) counted on.
fn removal(
    cx: &Context<'_, '_>,
    req: &crate::model::ProviderRequirement,
) -> Option<crate::fix::Fix> {
    use crate::fix::{text, Edit, Fix};
    let file = req.span.file;
    let src = cx.ws.sources.get(file).text.as_str();
    let removal = if text::is_json(&cx.ws.sources, file) {
        text::remove_json_member(src, req.span.range.clone())
    } else {
        text::remove_lines(src, &req.span)?
    };
    Some(Fix::unsafe_(
        format!("remove the required_providers entry \"{}\"", req.name),
        Edit::all(file, removal),
    ))
}
