//! `provider-region-missing`: a configuration of a regional provider that
//! sets no region, so where its resources go depends on the environment.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::eval::Value;
use crate::finding::Finding;
use crate::model::module::Resource;
use crate::model::sites::SiteKind;
use crate::model::usage::address_of;
use crate::model::wiring::{chain_read_whole, Target};
use crate::model::{ModuleId, Place, ProviderConfig};
use crate::regions;
use crate::HashSet;
use std::collections::BTreeSet;

declare_rule! {
    ProviderRegionMissing, "provider-region-missing", Pinning,
    "an aws, awscc, oci or other region-bound provider configuration in a root module with no region, or the empty default configuration a deployed root falls back on",
    uses_placements: true,
}

impl Rule for ProviderRegionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // Resources with a region site of their own, gathered on first need.
        let mut own_region: Option<HashSet<(usize, usize)>> = None;
        // What relies on the region of each root's blocks, on first need.
        let mut reliance: Option<Reliance> = None;
        for m in cx.ws.modules.iter().filter(|m| m.place == Place::Root) {
            // An empty block in a root is a configuration with nothing
            // set, as much as one with other arguments and no region: only
            // in a called module is it a proxy for the caller's
            // (ProviderConfig::proxy).
            for (index, pc) in m.config.provider_configs.iter().enumerate() {
                if !needs_region(&m.config, &pc.name) {
                    continue;
                }
                if sets_region(cx, m.id, pc) {
                    continue;
                }
                let reliance = reliance.get_or_insert_with(|| {
                    Reliance::of(cx, own_region.get_or_insert_with(|| own_regions(cx)))
                });
                if reliance.used_only_where_region_does_not_matter(m.id, index) {
                    continue;
                }
                let what = match &pc.alias {
                    Some(a) => format!("provider \"{}\" (alias \"{}\")", pc.name, a.value),
                    None => format!("provider \"{}\"", pc.name),
                };
                out.push(
                    cx.finding(
                        pc.header.clone(),
                        format!("{what} configuration sets no region"),
                    )
                    .in_module(&m.display)
                    .about(pc.reference())
                    .with_help(help()),
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
            } = &*p.target
            else {
                continue;
            };
            let root = cx.ws.module(cx.values.instances[*root_instance].module);
            if seen.contains(&(*root_instance, name.as_str())) {
                continue;
            }
            // A provider block may be written in a file that was not read.
            if !chain_read_whole(cx.ws, cx.values, p.instance) {
                continue;
            }
            if !needs_region(&root.config, name) {
                continue;
            }
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            // A resource that says where it runs itself does not rely on
            // the configuration's region.
            if !module.target {
                continue;
            }
            let own = own_region.get_or_insert_with(|| own_regions(cx));
            let r = &module.config.resources[p.resource];
            if own.contains(&(p.instance, p.resource)) || runs_nowhere(r) {
                continue;
            }
            seen.insert((*root_instance, name.as_str()));
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
                .about(r.address())
                .in_instance(p.instance)
                .with_help(format!(
                    "add a provider \"{name}\" block that sets region to the root module `{}`; {ENVIRONMENT}",
                    root.display,
                ));
            if let Some(t) = root.config.terraform_blocks.first() {
                f = f.with_label(t.clone(), root.root_label());
            }
            out.push(f);
        }
    }
}

/// The resources, as (instance, index in its module), that set their own
/// region (AWS provider v6's per-resource `region`), so do not rely on
/// their configuration's.
fn own_regions(cx: &Context<'_, '_>) -> HashSet<(usize, usize)> {
    cx.sites()
        .iter()
        .filter_map(|s| match s.kind {
            SiteKind::Resource { resource } => Some((s.instance, resource)),
            _ => None,
        })
        .collect()
}

/// Whether a resource runs in no region (IAM, `aws_caller_identity`...; see
/// `rules/data/region-agnostic-resources.txt`), so does not care where its
/// configuration runs.
fn runs_nowhere(r: &Resource) -> bool {
    regions::is_region_agnostic(r.mode.keyword(), &r.type_name)
}

/// Which provider blocks of root modules something relies on for its
/// region: a resource that runs in a region and sets none of its own.
struct Reliance {
    /// (module, block index) → whether anything that uses the block relies
    /// on its region. A block nothing uses is absent.
    blocks: crate::HashMap<(ModuleId, usize), bool>,
    /// Root modules whose trees were read whole: in the others, what
    /// relies on a block may be in a file that was not read.
    complete: HashSet<ModuleId>,
}

impl Reliance {
    fn of(cx: &Context<'_, '_>, own: &HashSet<(usize, usize)>) -> Reliance {
        let (ws, values) = (cx.ws, cx.values);
        let mut complete: HashSet<ModuleId> = ws
            .modules
            .iter()
            .filter(|m| m.place == Place::Root)
            .map(|m| m.id)
            .collect();
        for inst in &values.instances {
            if !ws.module(inst.module).config_complete {
                complete.remove(&inst.root);
            }
        }
        let mut blocks: crate::HashMap<(ModuleId, usize), bool> = crate::HashMap::default();
        for p in cx.placements() {
            let Target::Block {
                instance, index, ..
            } = &*p.target
            else {
                continue;
            };
            let module = values.instances[*instance].module;
            if ws.module(module).place != Place::Root {
                continue;
            }
            let m = ws.module(values.instances[p.instance].module);
            let relies = !own.contains(&(p.instance, p.resource))
                && !runs_nowhere(&m.config.resources[p.resource]);
            *blocks.entry((module, *index)).or_default() |= relies;
        }
        Reliance { blocks, complete }
    }

    /// Whether a root's block is used, and only by what runs in no region
    /// or sets its own, in a tree read whole.
    fn used_only_where_region_does_not_matter(&self, module: ModuleId, index: usize) -> bool {
        self.complete.contains(&module) && self.blocks.get(&(module, index)) == Some(&false)
    }
}

/// Whether a local name in a module stands for a provider whose
/// configuration must set a region (`rules/data/regional-providers.txt`).
fn needs_region(cfg: &crate::model::ModuleConfig, local_name: &str) -> bool {
    address_of(cfg, local_name)
        .and_then(|a| regions::regional_provider(&a.type_name))
        .is_some_and(|r| r.region_required)
}

/// Whether the block sets `region` to something other than null. A value
/// tfpin cannot resolve counts as set.
fn sets_region(cx: &Context<'_, '_>, module: crate::model::ModuleId, pc: &ProviderConfig) -> bool {
    pc.region()
        .is_some_and(|e| cx.values.eval_in_module(module, e).value != Value::Null)
}

const ENVIRONMENT: &str = "without it the region comes from the environment of whoever runs Terraform (AWS_REGION, a profile, a built-in default)";

fn help() -> String {
    format!("set region in the block, from a variable if it differs per environment; {ENVIRONMENT}")
}
