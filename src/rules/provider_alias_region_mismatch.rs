//! `provider-alias-region-mismatch`: an aliased provider configuration
//! whose name says one place while its region is another.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::clusters;
use crate::model::usage::address_of;
use crate::model::wiring::{resolve, target_region, Target};
use crate::model::RoleSet;
use crate::regions::{self, AliasVerdict, Cloud};
use crate::HashMap;

declare_rule! {
    ProviderAliasRegionMismatch, "provider-alias-region-mismatch", Region,
    "a provider alias whose name says one place while its region is another, such as `west` configured with us-east-1",
    judges: RoleSet::ALL,
    fix: Unsafe,
}

impl Rule for ProviderAliasRegionMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // The instances of a module repeat its aliases and, mostly, their
        // regions: each pair is judged once. The catalog is read on first
        // need, so a tree with no aliased configuration never parses it.
        let mut verdicts: HashMap<(&str, Cloud, &str), AliasVerdict> = HashMap::default();
        for (i, inst) in cx.values.instances.iter().enumerate() {
            let module = cx.ws.module(inst.module);
            for pc in &module.config.provider_configs {
                let Some(alias) = &pc.alias else {
                    continue;
                };
                // The region it sets, or, for a provider that points at a
                // cluster, the region of that cluster.
                let (cloud, resolved, expr) = match pc.region() {
                    Some(expr) => {
                        let Some(cloud) = Cloud::for_provider(&pc.name) else {
                            continue;
                        };
                        (cloud, cx.values.eval(i, expr), Some(expr))
                    }
                    None => match clusters::cluster_region(cx.ws, cx.values, i, pc) {
                        Some((Some(cloud), r)) => (cloud, r, None),
                        _ => continue,
                    },
                };
                let catalog = regions::catalog();
                let Some(region) = resolved.value.as_str().and_then(|s| {
                    catalog
                        .lookup(cloud, s)
                        .or_else(|| catalog.zone_region(cloud, s))
                }) else {
                    continue;
                };
                let verdict = verdicts
                    .entry((&alias.value, cloud, &region.code))
                    .or_insert_with(|| regions::catalog().check_alias(&alias.value, region));
                let AliasVerdict::Contradicts { hint } = verdict else {
                    continue;
                };
                let mut f = cx
                    .finding(
                        alias.span.clone(),
                        format!(
                            "provider \"{}\" alias \"{}\" says \"{}\" but its region is \"{}\" ({}){}",
                            pc.name,
                            alias.value,
                            hint.text,
                            region.code,
                            region.display,
                            cx.instance_suffix(i)
                        ),
                    )
                    .in_module(&module.display)
                    .about(pc.reference())
                    .in_instance(i)
                    .with_help(format!(
                        "name the alias after where it runs (for example \"{}\") and update every `provider = {}.{}` and `providers` map that uses it, or set the region the name promises",
                        region.code.replace('-', "_"),
                        pc.name,
                        alias.value
                    ));
                if let Some(expr) = expr {
                    f = f.with_fix_if(rename(cx, module, pc, expr, &region.code));
                }
                let origin = cx.origin_label("region", None, &resolved);
                match expr {
                    Some(expr) => {
                        if origin.last().map(|l| &l.span) != Some(&expr.span()) {
                            f = f.with_label(expr.span(), "the region is set here");
                        }
                    }
                    None => {
                        f = f.with_label(
                            pc.header.clone(),
                            format!("it connects to a cluster in \"{}\"", region.code),
                        )
                    }
                }
                f.labels.extend(origin);
                out.push(f);
            }
            self.passed_names(cx, i, &mut verdicts, out);
        }
    }
}

impl ProviderAliasRegionMismatch {
    /// The alias names a child sees through its caller's `providers` map:
    /// `providers = { aws.us_east_1 = aws.dublin }` hands the child a
    /// configuration it calls `us_east_1`, which runs wherever `dublin`
    /// does. A pass that keeps the name is judged at the caller's block.
    fn passed_names<'c>(
        &self,
        cx: &Context<'c, '_>,
        child: usize,
        verdicts: &mut HashMap<(&'c str, Cloud, &'c str), AliasVerdict>,
        out: &mut Vec<Finding>,
    ) {
        let Some((parent, ci)) = cx.values.instances[child].parent else {
            return;
        };
        let caller = cx.ws.module(cx.values.instances[parent].module);
        let call = &caller.config.module_calls[ci];
        let child_cfg = &cx.ws.module(cx.values.instances[child].module).config;
        for pass in &call.providers {
            let Some(alias) = pass.child.alias.as_deref() else {
                continue;
            };
            if pass.parent.alias.as_deref() == Some(alias) {
                continue;
            }
            let Some(addr) = address_of(child_cfg, &pass.child.name) else {
                continue;
            };
            let Some(cloud) = Cloud::for_provider(&addr.type_name) else {
                continue;
            };
            let target = resolve(cx.ws, cx.values, child, &pass.child.name, Some(alias));
            // A configuration the child writes itself is judged there.
            let Target::Block { instance, .. } = target else {
                continue;
            };
            if instance == child {
                continue;
            }
            let resolved = target_region(cx.ws, cx.values, &target);
            let Some(region) = resolved
                .value
                .as_str()
                .and_then(|s| regions::catalog().lookup(cloud, s))
            else {
                continue;
            };
            let verdict = verdicts
                .entry((alias, cloud, &region.code))
                .or_insert_with(|| regions::catalog().check_alias(alias, region));
            let AliasVerdict::Contradicts { hint } = verdict else {
                continue;
            };
            let inst = &cx.values.instances[child];
            let mut f = cx
                .finding(
                    pass.child.span.clone(),
                    format!(
                        "{} passes {} as {}, whose name says \"{}\" but whose region is \"{}\" ({}){}",
                        call.label(),
                        pass.parent.address(),
                        pass.child.address(),
                        hint.text,
                        region.code,
                        region.display,
                        cx.instance_suffix(parent)
                    ),
                )
                .in_module(&caller.display)
                .about(format!("{}.providers.{}", inst.address, pass.child.address()))
                .in_instance(parent)
                .with_label(
                    pass.parent.span.clone(),
                    format!("{} runs in \"{}\"", pass.parent.address(), region.code),
                )
                .with_help(format!(
                    "pass a configuration for {} as {}, or rename the alias the module expects after where it runs",
                    hint.text,
                    pass.child.address()
                ));
            f.labels.extend(cx.origin_label("region", None, &resolved));
            out.push(f);
        }
    }
}

/// Renames the alias after the region it runs in (`west` configured with
/// us-east-1 becomes `us_east_1`), with every reference to it: `provider =`
/// arguments, `providers` map values and imports in the module, and the
/// keys of its callers' `providers` maps that hand it a configuration
/// under the old name. Unsafe: the configuration's address changes, and
/// state that records it (resources created under the old name) needs a
/// plan to confirm nothing else changes. Offered only when every instance
/// of the module runs the configuration in that one region, the new name
/// is free, every reference is written plainly as `name.alias`, and none
/// is in a JSON file or a stack.
fn rename(
    cx: &Context<'_, '_>,
    module: &crate::model::Module,
    pc: &crate::model::ProviderConfig,
    region_expr: &crate::model::module::Expr,
    code: &str,
) -> Option<crate::fix::Fix> {
    use crate::fix::{text, Edit, Fix};
    if module.is_stack() {
        return None;
    }
    let old = &pc.alias.as_ref()?.value;
    let new = code.replace('-', "_");
    let cfg = &module.config;
    let taken = (cfg.provider_configs.iter())
        .filter(|c| c.name == pc.name)
        .any(|c| c.alias.as_ref().is_some_and(|a| a.value == new))
        || (cfg.required_providers.iter())
            .filter(|r| r.name == pc.name)
            .flat_map(|r| &r.configuration_aliases)
            .any(|a| a.alias.as_deref() == Some(new.as_str()));
    if taken {
        return None;
    }
    // The name must hold in every instance of the module, and no other
    // alias of the provider may run there too: both would take the name.
    let instances: Vec<usize> = (cx.values.instances.iter().enumerate())
        .filter(|(_, inst)| inst.module == module.id)
        .map(|(j, _)| j)
        .collect();
    let runs_here = |e: &crate::model::module::Expr| {
        instances
            .iter()
            .all(|&j| cx.values.eval(j, e).value.as_str() == Some(code))
    };
    if !runs_here(region_expr) {
        return None;
    }
    let twin = (cfg.provider_configs.iter())
        .filter(|c| c.name == pc.name && !std::ptr::eq(*c, pc) && c.alias.is_some())
        .filter_map(|c| c.region())
        .any(runs_here);
    if twin {
        return None;
    }
    let sources = &cx.ws.sources;
    let plain = |span: &crate::source::Span, want: &str| {
        !text::is_json(sources, span.file) && sources.get(span.file).slice(&span.range) == want
    };
    let alias = pc.alias.as_ref()?;
    if !plain(&alias.span, &format!("\"{old}\"")) {
        return None;
    }
    let mut edits = vec![Edit::replace(alias.span.clone(), format!("\"{new}\""))];
    let written = format!("{}.{old}", pc.name);
    let renamed = format!("{}.{new}", pc.name);
    let mut refer = |span: &crate::source::Span| {
        if plain(span, &written) {
            edits.push(Edit::replace(span.clone(), renamed.clone()));
            true
        } else {
            false
        }
    };
    for r in crate::model::usage::config_refs(cfg) {
        if r.name == pc.name && r.alias == Some(old.as_str()) && !refer(r.span) {
            return None;
        }
    }
    for a in (cfg.required_providers.iter())
        .filter(|r| r.name == pc.name)
        .flat_map(|r| &r.configuration_aliases)
        .filter(|a| a.alias.as_deref() == Some(old.as_str()))
    {
        if !refer(&a.span) {
            return None;
        }
    }
    for &(caller, ci) in cx.ws.callers.get(module.id.0 as usize)? {
        let call = &cx.ws.module(caller).config.module_calls[ci];
        for pass in &call.providers {
            if pass.child.name == pc.name && pass.child.alias.as_deref() == Some(old.as_str()) {
                let taken_there = call.providers.iter().any(|p| {
                    p.child.name == pc.name && p.child.alias.as_deref() == Some(new.as_str())
                });
                if taken_there || !refer(&pass.child.span) {
                    return None;
                }
            }
        }
    }
    Some(Fix::unsafe_(
        format!(
            "rename the alias \"{old}\" to \"{new}\", where it runs, and every reference to it"
        ),
        edits,
    ))
}
