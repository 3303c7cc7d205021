//! Provider wiring: which provider configuration each resource, data source
//! and module instance really uses, following `provider =` meta-arguments,
//! `providers = {}` maps and the implicit inheritance of default
//! configurations into local child modules, up to the root.

use super::lock;
use super::values::Values;
use super::workspace::{ModuleId, Workspace};
use crate::eval::Resolved;
use crate::HashMap;
use rayon::prelude::*;
use std::sync::{Arc, Mutex};

/// Where a reference to a provider configuration leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A `provider` block: the instance it is evaluated in and its index in
    /// that module's `provider_configs`.
    Block { instance: usize, index: usize },
    /// No block anywhere up the chain for a default configuration: Terraform
    /// silently uses an empty configuration of the provider in the root.
    ImplicitDefault { root_instance: usize, name: String },
    /// An aliased configuration that nothing defines or passes in.
    Missing {
        /// The instance where the chain broke.
        instance: usize,
        name: String,
        alias: Option<String>,
    },
}

/// Whether every module from `instance` up to its root was read whole
/// (see [`super::workspace::Module::config_complete`]): only then is a
/// configuration the wiring found nowhere on the way really missing.
pub fn chain_read_whole(ws: &Workspace, values: &Values<'_>, instance: usize) -> bool {
    let mut inst = Some(instance);
    while let Some(i) = inst {
        if !ws.module(values.instances[i].module).config_complete {
            return false;
        }
        inst = values.instances[i].parent.map(|(parent, _)| parent);
    }
    true
}

/// The provider configuration `name` / `alias` means inside `instance`.
///
/// Terraform's rules: a module's own `provider` block wins; otherwise a
/// `providers = {}` map in the calling `module` block decides, and when the
/// call has such a map only what it lists is passed; otherwise a default
/// (unaliased) configuration is inherited from the caller by local name,
/// and an aliased one is not inherited at all.
pub fn resolve(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    name: &str,
    alias: Option<&str>,
) -> Target {
    let mut inst = instance;
    let mut name = name.to_string();
    let mut alias = alias.map(str::to_string);
    // Each step moves to the parent, so the chain is at most as long as the
    // instance's depth.
    loop {
        let module = ws.module(values.instances[inst].module);
        let parent_pass = values.instances[inst].parent.and_then(|(parent, ci)| {
            let call = &ws
                .module(values.instances[parent].module)
                .config
                .module_calls[ci];
            call.pass_for(&name, alias.as_deref())
                .map(|p| (parent, p.parent.clone()))
        });
        if let Some((index, _)) = module.config.provider_config_named(&name, alias.as_deref()) {
            // A legacy proxy block (empty) stands for what the caller
            // passes, when it passes something.
            match &parent_pass {
                Some((parent, passed)) if module.config.provider_configs[index].proxy => {
                    name = passed.name.clone();
                    alias = passed.alias.clone();
                    inst = *parent;
                    continue;
                }
                _ => {
                    return Target::Block {
                        instance: inst,
                        index,
                    }
                }
            }
        }
        let Some((parent, call_index)) = values.instances[inst].parent else {
            return match alias {
                None => Target::ImplicitDefault {
                    root_instance: inst,
                    name,
                },
                Some(_) => Target::Missing {
                    instance: inst,
                    name,
                    alias,
                },
            };
        };
        let parent_module = ws.module(values.instances[parent].module);
        let call = &parent_module.config.module_calls[call_index];
        if call.providers_span.is_some() {
            match call.pass_for(&name, alias.as_deref()) {
                Some(pass) => {
                    name = pass.parent.name.clone();
                    alias = pass.parent.alias.clone();
                    inst = parent;
                }
                None => {
                    return Target::Missing {
                        instance: inst,
                        name,
                        alias,
                    }
                }
            }
        } else if alias.is_none() {
            inst = parent;
        } else {
            return Target::Missing {
                instance: inst,
                name,
                alias,
            };
        }
    }
}

/// Where one resource instance runs.
#[derive(Debug, Clone)]
pub struct Placement {
    pub instance: usize,
    /// Index into the module's `resources`.
    pub resource: usize,
    /// Shared by every resource of an instance that names the same
    /// configuration.
    pub target: Arc<Target>,
    /// The effective region: the resource's own `region` argument (AWS
    /// provider v6) if it has one, else its provider configuration's,
    /// which is evaluated once and shared.
    pub region: Arc<Resolved>,
    /// Whether the region came from the resource's own argument.
    pub region_from_resource: bool,
}

/// The region a provider configuration target resolves to.
pub fn target_region(ws: &Workspace, values: &Values<'_>, target: &Target) -> Resolved {
    match target {
        Target::Block { instance, index } => {
            let m = ws.module(values.instances[*instance].module);
            match m.config.provider_configs[*index].region() {
                Some(expr) => values.eval(*instance, expr),
                None => Resolved::new(crate::eval::Value::Null, None),
            }
        }
        _ => Resolved::new(crate::eval::Value::Null, None),
    }
}

/// A resolved configuration and its region.
type Placed = (Arc<Target>, Arc<Resolved>);

/// Every resource of every instance, placed.
///
/// A module instance's resources mostly name a handful of configurations,
/// so each distinct reference is resolved, and its region evaluated, once
/// per instance; the region of a configuration is evaluated once however
/// many instances reach it. Instances are placed in parallel; the result
/// is in instance order, then resource order.
pub fn placements(ws: &Workspace, values: &Values<'_>) -> Vec<Placement> {
    let regions: Mutex<HashMap<(usize, usize), Arc<Resolved>>> = Mutex::new(HashMap::default());
    let null = Arc::new(Resolved::new(crate::eval::Value::Null, None));
    let region_of = |target: &Target| match target {
        Target::Block { instance, index } => {
            let key = (*instance, *index);
            let known = lock(&regions).get(&key).cloned();
            known.unwrap_or_else(|| {
                let r = Arc::new(target_region(ws, values, target));
                lock(&regions).entry(key).or_insert(r).clone()
            })
        }
        _ => null.clone(),
    };
    values
        .instances
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, inst)| {
            let m = ws.module(inst.module);
            // A handful of distinct references per module: a list beats
            // hashing each resource's provider name. Past a few, the list
            // is indexed, so that a module of many references stays linear.
            let mut targets: Vec<((&str, Option<&str>), Placed)> = Vec::new();
            let mut index: Option<HashMap<(&str, Option<&str>), usize>> = None;
            let mut out = Vec::with_capacity(m.config.resources.len());
            for (ri, r) in m.config.resources.iter().enumerate() {
                let (name, alias) = match &r.provider {
                    Some(p) => (p.name.as_str(), p.alias.as_deref()),
                    None => (r.implied_provider(), None),
                };
                let key = (name, alias);
                let known = if targets.len() > super::FEW {
                    index
                        .as_ref()
                        .and_then(|ix| ix.get(&key))
                        .map(|&t| &targets[t].1)
                } else {
                    targets.iter().find(|(k, _)| *k == key).map(|(_, p)| p)
                };
                let (target, target_region) = match known {
                    Some(placed) => placed.clone(),
                    None => {
                        let target = resolve(ws, values, i, name, alias);
                        let region = region_of(&target);
                        let placed = (Arc::new(target), region);
                        targets.push((key, placed.clone()));
                        if targets.len() > super::FEW {
                            let ix = index.get_or_insert_with(HashMap::default);
                            if ix.is_empty() {
                                ix.extend(targets.iter().enumerate().map(|(t, (k, _))| (*k, t)));
                            } else {
                                ix.insert(key, targets.len() - 1);
                            }
                        }
                        placed
                    }
                };
                let (region, from_resource) = match r.content.attr("region") {
                    Some(expr) => (Arc::new(values.eval(i, expr)), true),
                    None => (target_region, false),
                };
                out.push(Placement {
                    instance: i,
                    resource: ri,
                    target,
                    region,
                    region_from_resource: from_resource,
                });
            }
            out
        })
        .collect()
}

/// The placement of one resource of one instance, in the list
/// [`placements`] returns (which is ordered by instance, then resource).
pub fn find_placement(
    placements: &[Placement],
    instance: usize,
    resource: usize,
) -> Option<&Placement> {
    placements
        .binary_search_by_key(&(instance, resource), |p| (p.instance, p.resource))
        .ok()
        .map(|i| &placements[i])
}

/// The module a placement's resource belongs to.
pub fn placement_module(values: &Values<'_>, p: &Placement) -> ModuleId {
    values.instances[p.instance].module
}
