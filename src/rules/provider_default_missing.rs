//! `provider-default-missing`: a deployed root with only aliased
//! configurations of a provider, and something that relies on the default
//! one. Reported once per root and provider, at the first place in the root
//! that relies on it, with the others marked.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::module::{ModuleCall, ProviderConfig, Resource};
use crate::model::usage::address_of;
use crate::model::values::Values;
use crate::model::wiring::{chain_read_whole, Target};
use crate::model::{Module, ModuleId, Role, RoleSet};
use crate::regions;
use crate::source::Span;
use std::collections::BTreeMap;

declare_rule! {
    ProviderDefaultMissing, "provider-default-missing", Correctness,
    "a deployed root module with only aliased configurations of a provider, where something that runs in a region relies on the default one",
    uses_placements: true,
    judges: RoleSet::of(&[Role::Deployed]),
}

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

/// Where a root relies on its default configuration of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Point {
    /// One of its own resources (index into its `resources`).
    Resource(usize),
    /// A module call (index into its `module_calls`) whose tree inherits
    /// the default, or whose `providers` map passes it.
    Call(usize),
}

/// What relies on one root instance's missing default configuration of one
/// provider: each place in the root, with the resources behind it as
/// (instance, index in its module).
type Reliance = BTreeMap<Point, Vec<(usize, usize)>>;

/// Whether a resource does not care where its configuration runs: a
/// region-agnostic type (IAM, `aws_caller_identity`...) of a provider whose
/// configuration says where things run. An empty default of such a
/// provider is the environment's, and it only matters where something
/// lands in a region. An empty `azurerm` default lacks what any resource
/// needs, so there nothing is exempt.
fn runs_nowhere(r: &Resource, regional_provider: bool) -> bool {
    regional_provider && regions::is_region_agnostic(r.mode.keyword(), &r.type_name)
}

/// The entry of a call's `providers` map that passes the root's default
/// configuration of `name`, if it has one.
fn passes_default<'c>(call: &'c ModuleCall, name: &str) -> Option<&'c Span> {
    (call.providers.iter())
        .find(|p| p.parent.name == name && p.parent.alias.is_none())
        .map(|p| &p.parent.span)
}

/// The span a point is reported at, and what it is, for the message.
fn describe(root: &Module, point: Point, name: &str) -> (Span, String) {
    match point {
        Point::Resource(ri) => {
            let r = &root.config.resources[ri];
            let span = r.provider.as_ref().map_or(&r.header, |pr| &pr.span);
            (
                span.clone(),
                format!(
                    "{} \"{}\" \"{}\" uses",
                    r.mode.keyword(),
                    r.type_name,
                    r.name
                ),
            )
        }
        Point::Call(ci) => {
            let call = &root.config.module_calls[ci];
            match passes_default(call, name) {
                Some(span) => (span.clone(), format!("{} passes", call.label())),
                None => (call.header.clone(), format!("{} inherits", call.label())),
            }
        }
    }
}

/// The call of the root instance that leads to an instance below it.
fn root_call(values: &Values<'_>, instance: usize, root_instance: usize) -> Option<usize> {
    let mut inst = instance;
    loop {
        let (parent, ci) = values.instances[inst].parent?;
        if parent == root_instance {
            return Some(ci);
        }
        inst = parent;
    }
}

impl Rule for ProviderDefaultMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let ws = cx.ws;
        let values = cx.values;
        let mut only_aliased = OnlyAliased::default();
        let mut last = None;
        // Whether each root's local name stands for a provider that says
        // where things run.
        let mut regional: crate::HashMap<(ModuleId, &str), bool> = crate::HashMap::default();
        let mut by_root: BTreeMap<(usize, &str), Reliance> = BTreeMap::new();
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
            if only_aliased.of(root, name).is_none() {
                continue;
            }
            let module = ws.module(values.instances[p.instance].module);
            let is_regional = *regional.entry((root.id, name.as_str())).or_insert_with(|| {
                address_of(&root.config, name)
                    .is_some_and(|a| regions::regional_provider(&a.type_name).is_some())
            });
            if runs_nowhere(&module.config.resources[p.resource], is_regional) {
                continue;
            }
            let point = if p.instance == *root_instance {
                Point::Resource(p.resource)
            } else {
                let Some(ci) = root_call(values, p.instance, *root_instance) else {
                    continue;
                };
                Point::Call(ci)
            };
            by_root
                .entry((*root_instance, name.as_str()))
                .or_default()
                .entry(point)
                .or_default()
                .push((p.instance, p.resource));
        }

        for ((root_instance, name), reliance) in by_root {
            let root = ws.module(values.instances[root_instance].module);
            let Some(aliased) = only_aliased.of(root, name) else {
                continue;
            };
            // The places in file order; the first is the finding's.
            let mut points: Vec<(Point, Span, String, usize)> = reliance
                .iter()
                .map(|(&point, resources)| {
                    let (span, what) = describe(root, point, name);
                    (point, span, what, resources.len())
                })
                .collect();
            points.sort_by(|a, b| {
                let key = |s: &Span| (ws.sources.get(s.file).display.clone(), s.range.start);
                key(&a.1).cmp(&key(&b.1))
            });
            let resources: usize = points.iter().map(|p| p.3).sum();
            let Some((first, others)) = points.split_first() else {
                continue;
            };
            let mut message = format!(
                "{} the default configuration of provider \"{name}\", which this root module \
                 does not define",
                first.2
            );
            if others.is_empty() && resources > 1 {
                message.push_str(&format!(" ({resources} resources rely on it)"));
            } else if !others.is_empty() {
                message.push_str(&format!(
                    " ({resources} resources in {} places rely on it)",
                    points.len()
                ));
            }
            let help = format!(
                "add a default provider \"{name}\" block (without alias) to this root module, \
                 or point what uses it at an aliased configuration: provider = {name}.ALIAS, \
                 providers = {{ {name} = {name}.ALIAS }}"
            );
            let f = cx
                .finding(first.1.clone(), message)
                .in_module(&root.display)
                .about(name)
                .in_instance(root_instance)
                .with_help(help)
                .with_labels_capped(others, "places that rely on it", |(_, span, what, n)| {
                    let what = match n {
                        1 => format!("{what} it too"),
                        n => format!("{what} it too ({n} resources use it)"),
                    };
                    (span.clone(), what)
                })
                .with_labels_capped(aliased, format!("configurations of {name}"), |pc| {
                    let span = pc.alias.as_ref().map_or(&pc.header, |a| &a.span);
                    (
                        span.clone(),
                        format!("only {} is configured", pc.reference()),
                    )
                });
            out.push(f);
        }
    }
}
