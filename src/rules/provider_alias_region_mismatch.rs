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
