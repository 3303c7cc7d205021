//! Provider requirements per root tree: for each provider, every module's
//! constraint on it, and their intersection, which is what `terraform init`
//! selects a version against.

use super::addr::ProviderAddr;
use super::lock;
use super::usage;
use super::workspace::{ModuleId, Place, Workspace};
use crate::constraint::{Constraints, Kind};
use crate::hclx::Str;
use crate::HashMap;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// One module's requirement on a provider, borrowed from the module: a
/// module below many roots contributes to each of their trees.
#[derive(Debug, Clone, Copy)]
pub struct Contribution<'w> {
    pub module: ModuleId,
    /// The local name the module uses for the provider.
    pub local_name: &'w str,
    /// Where the module writes it.
    pub from: Written,
    /// The constraint as written, when it is a literal that parses.
    pub version: Option<&'w Str>,
    pub constraints: Option<&'w Constraints>,
}

/// Where a module writes a constraint on a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// An entry of `required_providers`, by its index.
    Requirement(usize),
    /// The deprecated `version` argument of a `provider` block, by the
    /// block's index in `provider_configs`. Terraform still adds it to the
    /// module's requirements (recorded in
    /// `tests/data/engine/provider-block-version`).
    ProviderBlock(usize),
}

impl Contribution<'_> {
    /// The index of the `required_providers` entry, when it is one.
    pub fn requirement(&self) -> Option<usize> {
        match self.from {
            Written::Requirement(i) => Some(i),
            Written::ProviderBlock(_) => None,
        }
    }

    /// Where the module names the provider: the entry's name, or the
    /// provider block's header.
    pub fn name_span(&self, cfg: &crate::model::module::ModuleConfig) -> crate::source::Span {
        match self.from {
            Written::Requirement(i) => cfg.required_providers[i].name_span.clone(),
            Written::ProviderBlock(i) => cfg.provider_configs[i].header.clone(),
        }
    }

    /// The whole entry, or the provider block's `version` argument.
    pub fn span(&self, cfg: &crate::model::module::ModuleConfig) -> crate::source::Span {
        match self.from {
            Written::Requirement(i) => cfg.required_providers[i].span.clone(),
            Written::ProviderBlock(i) => {
                let pc = &cfg.provider_configs[i];
                pc.version_attr.clone().unwrap_or_else(|| pc.header.clone())
            }
        }
    }
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
    pub providers: ProviderMap<'w>,
    /// Every `required_version` in the tree.
    pub core: Vec<CoreContribution<'w>>,
    /// The providers the tree's modules use without declaring them (see
    /// [`super::usage::undeclared_in`]); of modules read whole only, since
    /// in another the declaration may be in the file that was not read.
    pub undeclared: BTreeSet<ProviderAddr>,
    /// Every module of the tree was read whole (see
    /// [`super::workspace::Module::config_complete`]). When one was not,
    /// what the tree seems to lack may be written in the file that was not
    /// read, and rules that judge an absence over the tree stay silent.
    pub complete: bool,
}

/// A tree's requirements, one entry per provider, in the order of the
/// providers' addresses.
///
/// A sorted vector rather than a `BTreeMap`: most trees require one to
/// three providers, and a map's first node has room for eleven entries,
/// which across the thousands of trees of a monorepo came to several
/// times the room the entries take. The map is kept to the end of the
/// run.
#[derive(Debug, Clone, Default)]
pub struct ProviderMap<'w> {
    entries: Vec<ProviderRequirements<'w>>,
}

/// One entry of a [`ProviderMap`] as its iterators give it.
type MapEntry<'a, 'w> = (&'a ProviderAddr, &'a ProviderRequirements<'w>);

fn map_entry<'a, 'w>(p: &'a ProviderRequirements<'w>) -> MapEntry<'a, 'w> {
    (&p.addr, p)
}

impl<'w> ProviderMap<'w> {
    /// The map of `entries`, which are sorted by address and name each
    /// address once (as a `BTreeMap`'s values are).
    fn from_sorted(entries: Vec<ProviderRequirements<'w>>) -> Self {
        debug_assert!(entries.windows(2).all(|w| w[0].addr < w[1].addr));
        ProviderMap { entries }
    }

    pub fn get(&self, addr: &ProviderAddr) -> Option<&ProviderRequirements<'w>> {
        self.entries
            .binary_search_by(|p| p.addr.cmp(addr))
            .ok()
            .map(|i| &self.entries[i])
    }

    pub fn contains_key(&self, addr: &ProviderAddr) -> bool {
        self.get(addr).is_some()
    }

    /// Each provider's address and requirements, in address order.
    pub fn iter(
        &self,
    ) -> std::iter::Map<std::slice::Iter<'_, ProviderRequirements<'w>>, MapFn<'_, 'w>> {
        self.entries.iter().map(map_entry as MapFn<'_, 'w>)
    }

    pub fn keys(&self) -> impl Iterator<Item = &ProviderAddr> {
        self.entries.iter().map(|p| &p.addr)
    }

    pub fn values(&self) -> std::slice::Iter<'_, ProviderRequirements<'w>> {
        self.entries.iter()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

type MapFn<'a, 'w> = fn(&'a ProviderRequirements<'w>) -> MapEntry<'a, 'w>;

impl<'a, 'w> IntoIterator for &'a ProviderMap<'w> {
    type Item = MapEntry<'a, 'w>;
    type IntoIter = std::iter::Map<std::slice::Iter<'a, ProviderRequirements<'w>>, MapFn<'a, 'w>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
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
    let roots: Vec<&super::workspace::Module> = ws
        .modules
        .iter()
        .filter(|m| m.place == Place::Root)
        .collect();
    roots
        .into_par_iter()
        .map(|root| {
            let modules = ws.tree(root.id);
            // Keyed by the address the model holds: the one copy an entry
            // needs is its own.
            let mut providers: BTreeMap<Cow<ProviderAddr>, ProviderRequirements> = BTreeMap::new();
            let mut core = Vec::new();
            for &mid in &modules {
                let m = ws.module(mid);
                for (rv, parsed) in m.config.engine_versions() {
                    core.push(CoreContribution {
                        module: mid,
                        version: rv,
                        constraints: parsed.as_ref().ok(),
                    });
                }
                let written = m
                    .config
                    .required_providers
                    .iter()
                    .enumerate()
                    .map(|(i, req)| {
                        let version = req.version.as_ref().and_then(|v| v.as_ref().ok());
                        let constraints = req.parsed.as_deref().and_then(|p| p.as_ref().ok());
                        let addr = req.address.as_ref().map(Cow::Borrowed);
                        let invalid = req.version.is_some() && constraints.is_none();
                        (
                            addr,
                            &req.name,
                            Written::Requirement(i),
                            version,
                            constraints,
                            invalid,
                        )
                    });
                let blocks = m.config.provider_configs.iter().enumerate();
                let in_blocks = blocks.filter_map(|(i, pc)| {
                    let version = pc.version.as_ref()?;
                    let constraints = pc.parsed_version.as_deref().and_then(|p| p.as_ref().ok());
                    let addr = usage::address_of(&m.config, &pc.name);
                    let invalid = constraints.is_none();
                    let version = version.as_ref().ok();
                    Some((
                        addr,
                        &pc.name,
                        Written::ProviderBlock(i),
                        version,
                        constraints,
                        invalid,
                    ))
                });
                for (addr, local_name, from, version, constraints, invalid) in
                    written.chain(in_blocks)
                {
                    let Some(addr) = addr else {
                        continue;
                    };
                    let entry =
                        providers
                            .entry(addr)
                            .or_insert_with_key(|addr| ProviderRequirements {
                                addr: addr.clone().into_owned(),
                                contributions: Vec::new(),
                                effective: Constraints::unconstrained(Kind::Provider),
                                has_invalid: false,
                                satisfiable: true,
                                bounded: false,
                            });
                    if let Some(c) = &constraints {
                        entry.effective.intersect_with(c);
                    }
                    entry.has_invalid |= invalid;
                    entry.contributions.push(Contribution {
                        module: mid,
                        local_name,
                        from,
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
                .filter(|&&mid| ws.module(mid).config_complete)
                .flat_map(|&mid| {
                    undeclared
                        .get(mid, || super::usage::undeclared_in(&ws.module(mid).config))
                        .iter()
                        .cloned()
                })
                .collect();
            let complete = modules.iter().all(|&mid| ws.module(mid).config_complete);
            TreeRequirements {
                root: root.id,
                complete,
                modules,
                providers: ProviderMap::from_sorted(providers.into_values().collect()),
                core,
                undeclared,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A root and a child that between them require five providers, named
    /// in an order that is not their addresses' order, one of them twice.
    fn tree() -> (tempfile::TempDir, Workspace) {
        let req = |entries: &[(&str, &str, &str)]| {
            let body: String = entries
                .iter()
                .map(|(name, source, version)| {
                    format!("    {name} = {{\n      source  = \"{source}\"\n      version = \"{version}\"\n    }}\n")
                })
                .collect();
            format!("terraform {{\n  required_providers {{\n{body}  }}\n}}\n")
        };
        let root = req(&[
            ("random", "hashicorp/random", "~> 3.0"),
            ("aws", "hashicorp/aws", ">= 5.0"),
            ("tls", "hashicorp/tls", "~> 4.0"),
        ]) + "module \"child\" {\n  source = \"../child\"\n}\n";
        let child = req(&[
            ("google", "hashicorp/google", "~> 6.0"),
            ("aws", "hashicorp/aws", "< 6.0"),
            ("acme", "vancluever/acme", "~> 2.0"),
        ]);
        crate::model::load_test_tree(&[
            ("root/main.tf", root.as_str()),
            ("child/main.tf", child.as_str()),
        ])
    }

    fn addr(s: &str) -> ProviderAddr {
        ProviderAddr::parse(s).unwrap()
    }

    #[test]
    fn a_trees_providers_are_found_by_address_and_listed_in_its_order() {
        let (_dir, ws) = tree();
        let trees = compute(&ws);
        assert_eq!(trees.len(), 1);
        let providers = &trees[0].providers;

        let listed: Vec<String> = providers.keys().map(|a| a.to_string()).collect();
        assert_eq!(listed.len(), 5, "{listed:?}");
        let by_addr: Vec<&ProviderAddr> = providers.keys().collect();
        assert!(by_addr.windows(2).all(|w| w[0] < w[1]), "{listed:?}");
        assert_eq!(providers.len(), 5);
        assert!(!providers.is_empty());

        // Both modules' constraints on aws meet in one entry.
        let aws = providers.get(&addr("hashicorp/aws")).expect("aws");
        assert_eq!(aws.contributions.len(), 2);
        assert!(aws.bounded);
        for name in [
            "hashicorp/random",
            "hashicorp/tls",
            "hashicorp/google",
            "vancluever/acme",
        ] {
            let p = providers
                .get(&addr(name))
                .unwrap_or_else(|| panic!("{name}"));
            assert_eq!(p.addr, addr(name));
            assert!(providers.contains_key(&addr(name)));
        }
        assert!(providers.get(&addr("hashicorp/azurerm")).is_none());
        assert!(!providers.contains_key(&addr("hashicorp/null")));

        // The pair iterators and the values agree with the keys.
        let pairs: Vec<&ProviderAddr> = providers
            .iter()
            .map(|(a, p)| {
                assert_eq!(*a, p.addr);
                a
            })
            .collect();
        assert_eq!(pairs, by_addr);
        let mut through_ref: Vec<&ProviderAddr> = Vec::new();
        for (a, _) in providers {
            through_ref.push(a);
        }
        assert_eq!(through_ref, by_addr);
        let values: Vec<&ProviderAddr> = providers.values().map(|p| &p.addr).collect();
        assert_eq!(values, by_addr);
    }
}
