//! Provider requirements per root tree: for each provider, every module's
//! constraint on it, and their intersection, which is what `terraform init`
//! selects a version against.

use super::addr::ProviderAddr;
use super::lock;
use super::workspace::{ModuleId, Role, Workspace};
use crate::constraint::{Constraints, Kind};
use crate::hclx::Str;
use crate::HashMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// One module's requirement on a provider, borrowed from the module: a
/// module below many roots contributes to each of their trees.
#[derive(Debug, Clone, Copy)]
pub struct Contribution<'w> {
    pub module: ModuleId,
    /// The local name the module uses for the provider.
    pub local_name: &'w str,
    /// Index into the module's `required_providers`.
    pub requirement: usize,
    /// The constraint as written, when it is a literal that parses.
    pub version: Option<&'w Str>,
    pub constraints: Option<&'w Constraints>,
}

/// Everything a root tree requires of one provider.
#[derive(Debug, Clone)]
pub struct ProviderRequirements<'w> {
    pub addr: ProviderAddr,
    pub contributions: Vec<Contribution<'w>>,
    /// The intersection of every valid constraint (unconstrained if none).
    pub effective: Constraints,
    /// Some module's constraint is not a valid literal, so the effective
    /// constraint is incomplete (`constraint-invalid` reports it).
    pub has_invalid: bool,
    /// Whether any version satisfies `effective` (computed once).
    pub satisfiable: bool,
    /// Whether `effective` has an upper bound (computed once).
    pub bounded: bool,
}

impl ProviderRequirements<'_> {
    /// The contributions that carry a valid constraint.
    pub fn constrained(&self) -> impl Iterator<Item = &Contribution<'_>> {
        self.contributions
            .iter()
            .filter(|c| c.constraints.is_some())
    }
}

/// One module's `required_version`.
#[derive(Debug, Clone, Copy)]
pub struct CoreContribution<'w> {
    pub module: ModuleId,
    pub version: &'w Str,
    /// `None` when Terraform rejects the constraint.
    pub constraints: Option<&'w Constraints>,
}

/// The requirements of one root module and every local module below it.
#[derive(Debug, Clone)]
pub struct TreeRequirements<'w> {
    pub root: ModuleId,
    /// The root first, then every module reachable through local calls.
    pub modules: Vec<ModuleId>,
    pub providers: BTreeMap<ProviderAddr, ProviderRequirements<'w>>,
    /// Every `required_version` in the tree.
    pub core: Vec<CoreContribution<'w>>,
    /// The providers the tree's modules use without declaring them (see
    /// [`super::usage::undeclared_in`]).
    pub undeclared: BTreeSet<ProviderAddr>,
}

impl TreeRequirements<'_> {
    /// The intersection of every valid `required_version` in the tree, or
    /// `None` when there is none.
    pub fn core_effective(&self) -> Option<Constraints> {
        self.core
            .iter()
            .filter_map(|c| c.constraints.as_ref())
            .fold(None, |acc: Option<Constraints>, c| {
                Some(match acc {
                    Some(a) => a.intersect(c),
                    None => (*c).clone(),
                })
            })
    }

    /// Whether some `required_version` in the tree is invalid.
    pub fn core_has_invalid(&self) -> bool {
        self.core.iter().any(|c| c.constraints.is_none())
    }
}

/// Computes the requirements of every root tree.
///
/// Trees are computed in parallel. Many roots of a monorepo share the same
/// effective constraints, so the satisfiability and bound of each distinct
/// set is worked out once.
pub fn compute(ws: &Workspace) -> Vec<TreeRequirements<'_>> {
    let verdicts: Mutex<HashMap<Constraints, (bool, bool)>> = Mutex::new(HashMap::default());
    // Each module's undeclared providers, worked out once for all the
    // trees it is in.
    let undeclared: super::PerModule<Vec<ProviderAddr>> = super::PerModule::new(ws);
    let roots: Vec<&super::workspace::Module> =
        ws.modules.iter().filter(|m| m.role == Role::Root).collect();
    roots
        .into_par_iter()
        .map(|root| {
            let modules = ws.tree(root.id);
            let mut providers: BTreeMap<ProviderAddr, ProviderRequirements> = BTreeMap::new();
            let mut core = Vec::new();
            for &mid in &modules {
                let m = ws.module(mid);
                for (rv, parsed) in m.config.required_versions() {
                    core.push(CoreContribution {
                        module: mid,
                        version: rv,
                        constraints: parsed.as_ref().ok(),
                    });
                }
                for (i, req) in m.config.required_providers.iter().enumerate() {
                    let Some(addr) = &req.address else {
                        continue;
                    };
                    let version = req.version.as_ref().and_then(|v| v.as_ref().ok());
                    let constraints = req.parsed.as_ref().and_then(|p| p.as_ref().ok());
                    // The address is copied into the map only for a provider
                    // the tree has not required before.
                    if !providers.contains_key(addr) {
                        providers.insert(
                            addr.clone(),
                            ProviderRequirements {
                                addr: addr.clone(),
                                contributions: Vec::new(),
                                effective: Constraints::unconstrained(Kind::Provider),
                                has_invalid: false,
                                satisfiable: true,
                                bounded: false,
                            },
                        );
                    }
                    let Some(entry) = providers.get_mut(addr) else {
                        continue;
                    };
                    match &constraints {
                        Some(c) => entry.effective.intersect_with(c),
                        None => entry.has_invalid |= req.version.is_some(),
                    }
                    entry.contributions.push(Contribution {
                        module: mid,
                        local_name: &req.name,
                        requirement: i,
                        version,
                        constraints,
                    });
                }
            }
            for p in providers.values_mut() {
                let known = lock(&verdicts).get(&p.effective).copied();
                (p.satisfiable, p.bounded) = known.unwrap_or_else(|| {
                    let v = (p.effective.is_satisfiable(), p.effective.is_bounded());
                    lock(&verdicts).insert(p.effective.clone(), v);
                    v
                });
            }
            let undeclared = modules
                .iter()
                .flat_map(|&mid| {
                    undeclared
                        .get(mid, || super::usage::undeclared_in(&ws.module(mid).config))
                        .iter()
                        .cloned()
                })
                .collect();
            TreeRequirements {
                root: root.id,
                modules,
                providers,
                core,
                undeclared,
            }
        })
        .collect()
}
