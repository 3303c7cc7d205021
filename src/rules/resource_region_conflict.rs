//! `resource-region-conflict`: a resource that names an aliased provider
//! configuration and also sets its own `region`, and the two disagree.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::wiring::target_region;
use crate::model::RoleSet;

declare_rule! {
    ResourceRegionConflict, "resource-region-conflict", Region,
    "a resource with an explicit aliased provider and a per-resource `region` that disagree",
    uses_placements: true,
    judges: RoleSet::ALL,
}

impl Rule for ResourceRegionConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for p in cx.placements() {
            if !p.region_from_resource {
                continue;
            }
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            let r = &module.config.resources[p.resource];
            // Only the AWS provider (v6) reads `region` on every resource
            // as where it runs; elsewhere (Google) a resource's `region`
            // overriding the provider's is ordinary.
            let Some(pref) = r.provider.as_ref().filter(|p| p.alias.is_some()) else {
                continue;
            };
            if pref.name != "aws" {
                continue;
            }
            let Some(own) = p.region.value.as_str() else {
                continue;
            };
            let provider_region = target_region(cx.ws, cx.values, &p.target);
            let Some(theirs) = provider_region.value.as_str() else {
                continue;
            };
            if own == theirs {
                continue;
            }
            let Some(region_expr) = r.content.attr("region") else {
                continue;
            };
            let mut f = cx
                .finding(
                    region_expr.span(),
                    format!(
                        "{} sets region \"{own}\" but its provider {} is configured for \"{theirs}\"{}",
                        p.address(r),
                        pref.address(),
                        cx.instance_suffix(p.instance)
                    ),
                )
                .in_module(&module.display)
                .about(format!("{}.region", p.address(r)))
                .in_instance(p.instance)
                .with_label(
                    pref.span.clone(),
                    format!("{} is chosen explicitly here", pref.address()),
                )
                .with_help(format!(
                    "the `region` argument wins, so {} is only misleading: remove `region` to run in \"{theirs}\", or remove `provider = {}` (or point it at a configuration for \"{own}\")",
                    pref.address(),
                    pref.address()
                ));
            f.labels
                .extend(cx.origin_label("the resource's region", None, &p.region));
            f.labels
                .extend(cx.origin_label("the provider's region", None, &provider_region));
            out.push(f);
        }
    }
}
