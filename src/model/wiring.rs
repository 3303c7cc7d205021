//! Provider wiring: which provider configuration each resource, data source
//! and module instance really uses, following `provider =` meta-arguments,
//! `providers = {}` maps and the implicit inheritance of default
//! configurations into local child modules, up to the root.

use super::lock;
use super::module::{Expr, ModuleConfig, Resource};
use super::usage::address_of;
use super::values::Values;
use super::workspace::{ModuleId, Workspace};
use crate::eval::{Bindings, Expansion, InstanceKey, Resolved};
use crate::HashMap;
use rayon::prelude::*;
use std::sync::{Arc, Mutex};

/// Where a reference to a provider configuration leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A `provider` block: the instance it is evaluated in and its index in
    /// that module's `provider_configs`; for a block with `for_each`
    /// (OpenTofu, stacks), the key of the instance chosen, when it is
    /// known.
    Block {
        instance: usize,
        index: usize,
        key: Option<InstanceKey>,
    },
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
    at: usize,
    name: &str,
    alias: Option<&str>,
) -> Target {
    resolve_keyed(ws, values, at, name, alias, None)
}

/// [`resolve`] for a reference that selects one instance of a provider
/// block with `for_each` (`aws.by_region[each.key]`): `key` is the key it
/// evaluates to. A `providers` map entry that selects an instance is
/// evaluated with the `each` or `count` of the call's instance.
pub fn resolve_keyed(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    name: &str,
    alias: Option<&str>,
    key: Option<InstanceKey>,
) -> Target {
    let mut inst = instance;
    let mut name = name.to_string();
    let mut alias = alias.map(str::to_string);
    let mut key = key;
    // Follows the entry a call passes for the configuration, moving to the
    // caller.
    let passed_key = |child: usize, parent: usize, pass: &super::module::ProviderRef| {
        let e = pass.key.as_deref()?;
        let bindings = values.instances[child].bindings.clone().unwrap_or_default();
        InstanceKey::of(&values.eval_bound(parent, e, &bindings).value)
    };
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
        if let Some((index, pc)) = module.config.provider_config_named(&name, alias.as_deref()) {
            // A legacy proxy block (empty) stands for what the caller
            // passes, when it passes something.
            match &parent_pass {
                Some((parent, passed)) if pc.proxy => {
                    key = passed_key(inst, *parent, passed);
                    name = passed.name.clone();
                    alias = passed.alias.clone();
                    inst = *parent;
                    continue;
                }
                _ => {
                    let repeated = pc.content.attr("for_each").is_some();
                    return Target::Block {
                        instance: inst,
                        index,
                        key: if repeated { key } else { None },
                    };
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
                    key = passed_key(inst, parent, &pass.parent);
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
            // Inherited by provider, not by local name: a child that
            // calls hashicorp/aws `amazon` gets its caller's default
            // configuration of hashicorp/aws, whatever the caller calls
            // it (Terraform's ProviderTransformer looks configurations up
            // by provider address, internal/terraform/transform_provider.go).
            name = caller_name(&module.config, &parent_module.config, &name);
            key = None;
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

/// The caller's local name for the provider a child module calls `name`.
fn caller_name(child: &ModuleConfig, caller: &ModuleConfig, name: &str) -> String {
    let Some(addr) = address_of(child, name) else {
        return name.to_string();
    };
    if let Some(req) = (caller.required_providers.iter())
        .find(|r| r.address.as_ref().is_some_and(|a| a.same_provider(&addr)))
    {
        return req.name.clone();
    }
    // Without a requirement, the caller's implied name: the type.
    match address_of(caller, &addr.type_name) {
        Some(a) if a.same_provider(&addr) => addr.type_name.clone(),
        _ => name.to_string(),
    }
}

/// Where one resource instance runs.
#[derive(Debug, Clone)]
pub struct Placement {
    pub instance: usize,
    /// Index into the module's `resources`.
    pub resource: usize,
    /// The key of this instance of the resource, when it has a known
    /// `count` or `for_each`.
    pub key: Option<InstanceKey>,
    /// `each` or `count` of this instance; empty for a resource without
    /// either, or whose `count` or `for_each` is unknown (then everything
    /// that depends on them is unknown).
    pub bindings: Arc<Bindings>,
    /// Shared by every resource of an instance that names the same
    /// configuration.
    pub target: Arc<Target>,
    /// The effective region: the resource's own `region` argument (AWS
    /// provider v6) if it has one, else its provider configuration's,
    /// which is evaluated once and shared.
    pub region: Arc<Resolved>,
    /// Whether the region came from the resource's own argument (one that
    /// is not null).
    pub region_from_resource: bool,
    /// Whether the resource's `count` or `for_each` made more than
    /// [`crate::eval::MAX_KEYS`] instances, of which only the first are
    /// placed.
    pub cut: bool,
}

impl Placement {
    /// Evaluates an expression of the resource in its module instance,
    /// with this resource instance's `each` or `count`.
    pub fn eval(&self, values: &Values<'_>, expr: &Expr) -> Resolved {
        values.eval_bound(self.instance, expr, &self.bindings)
    }

    /// The resource instance's address in its module: `aws_s3_bucket.b`,
    /// `aws_s3_bucket.b["eu-west-1"]`, `data.aws_region.r[0]`.
    pub fn address(&self, r: &Resource) -> String {
        match &self.key {
            Some(k) => format!("{}{k}", r.address()),
            None => r.address(),
        }
    }
}

/// The region a provider configuration target resolves to: its
/// `region`, or, for a provider that points at a cluster (`kubernetes`,
/// `helm`), the region of that cluster (see [`super::clusters`]).
pub fn target_region(ws: &Workspace, values: &Values<'_>, target: &Target) -> Resolved {
    target_region_at(ws, values, target, 0)
}

pub(super) fn target_region_at(
    ws: &Workspace,
    values: &Values<'_>,
    target: &Target,
    depth: usize,
) -> Resolved {
    match target {
        Target::Block {
            instance,
            index,
            key,
        } => {
            let m = ws.module(values.instances[*instance].module);
            let pc = &m.config.provider_configs[*index];
            let Some(expr) = pc.region() else {
                return match super::clusters::cluster_region_at(ws, values, *instance, pc, depth) {
                    Some((_, region)) => region,
                    None => Resolved::new(crate::eval::Value::Null, None),
                };
            };
            match pc.content.attr("for_each") {
                None => values.eval(*instance, expr),
                Some(each) => {
                    // One instance of the block: its region with its own
                    // `each`. Without a known key, which one is unknown.
                    let Some(key) = key else {
                        return Resolved::unknown();
                    };
                    let expansion = Expansion::for_each(&values.eval(*instance, each));
                    match expansion.reps().iter().find(|r| &r.key == key) {
                        Some(rep) => values.eval_bound(*instance, expr, &Bindings::new().each(rep)),
                        None => Resolved::unknown(),
                    }
                }
            }
        }
        _ => Resolved::new(crate::eval::Value::Null, None),
    }
}

/// A resolved configuration and its region.
type Placed = (Arc<Target>, Arc<Resolved>);

/// The instances of a resource: its `count` or `for_each` evaluated in the
/// module instance. `None` for a resource with neither.
pub fn resource_expansion(
    values: &Values<'_>,
    instance: usize,
    r: &Resource,
) -> Option<(Expansion, bool)> {
    if let Some(e) = r.content.attr("count") {
        return Some((Expansion::count(&values.eval(instance, e)), true));
    }
    let e = r.content.attr("for_each")?;
    Some((Expansion::for_each(&values.eval(instance, e)), false))
}

/// Every resource of every instance, placed: one placement per instance of
/// the resource (per key of a known `count` or `for_each`, none when that
/// is empty, one when it is unknown or absent).
///
/// A module instance's resources mostly name a handful of configurations,
/// so each distinct reference is resolved, and its region evaluated, once
/// per instance; the region of a configuration is evaluated once however
/// many instances reach it. Instances are placed in parallel; the result
/// is in instance order, then resource order, then key order.
pub fn placements(ws: &Workspace, values: &Values<'_>) -> Vec<Placement> {
    type RegionKey = (usize, usize, Option<InstanceKey>);
    let regions: Mutex<HashMap<RegionKey, Arc<Resolved>>> = Mutex::new(HashMap::default());
    let null = Arc::new(Resolved::new(crate::eval::Value::Null, None));
    let region_of = |target: &Target| match target {
        Target::Block {
            instance,
            index,
            key,
        } => {
            let rk = (*instance, *index, key.clone());
            let known = lock(&regions).get(&rk).cloned();
            known.unwrap_or_else(|| {
                let r = Arc::new(target_region(ws, values, target));
                lock(&regions).entry(rk).or_insert(r).clone()
            })
        }
        _ => null.clone(),
    };
    let unbound = Arc::new(Bindings::new());
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
                let mut shared = || {
                    let known = if targets.len() > super::FEW {
                        index
                            .as_ref()
                            .and_then(|ix| ix.get(&key))
                            .map(|&t| &targets[t].1)
                    } else {
                        targets.iter().find(|(k, _)| *k == key).map(|(_, p)| p)
                    };
                    match known {
                        Some(placed) => placed.clone(),
                        None => {
                            let target = resolve(ws, values, i, name, alias);
                            let region = region_of(&target);
                            let placed = (Arc::new(target), region);
                            targets.push((key, placed.clone()));
                            if targets.len() > super::FEW {
                                let ix = index.get_or_insert_with(HashMap::default);
                                if ix.is_empty() {
                                    ix.extend(
                                        targets.iter().enumerate().map(|(t, (k, _))| (*k, t)),
                                    );
                                } else {
                                    ix.insert(key, targets.len() - 1);
                                }
                            }
                            placed
                        }
                    }
                };
                let expansion = resource_expansion(values, i, r);
                let (reps, counted, cut) = match &expansion {
                    None | Some((Expansion::Unknown, _)) => (None, false, false),
                    Some((e, counted)) => (Some(e.reps()), *counted, e.is_cut()),
                };
                let each =
                    (reps.into_iter().flatten().map(Some)).chain(reps.is_none().then_some(None));
                let keyed_ref = r.provider.as_ref().and_then(|p| p.key.as_deref());
                // A type that runs in no region has no `region` of its own
                // (AWS provider v6 gives global types none).
                let own_region = (r.content.attr("region")).filter(|_| {
                    !crate::regions::is_region_agnostic(r.mode.keyword(), &r.type_name)
                });

                for rep in each {
                    let bindings = match rep {
                        Some(rep) => Arc::new(Bindings::new().instance(rep, counted)),
                        None => unbound.clone(),
                    };
                    let (target, target_region) = match keyed_ref {
                        // `provider = aws.by_region[each.key]`: each
                        // instance may pick another configuration.
                        Some(k) => {
                            let pk = InstanceKey::of(&values.eval_bound(i, k, &bindings).value);
                            let target = resolve_keyed(ws, values, i, name, alias, pk);
                            let region = region_of(&target);
                            (Arc::new(target), region)
                        }
                        None => shared(),
                    };
                    // `region = null` is no region: the configuration's
                    // applies, as when the argument is left out.
                    let own = own_region
                        .map(|expr| values.eval_bound(i, expr, &bindings))
                        .filter(|r| r.value != crate::eval::Value::Null);
                    let (region, from_resource) = match own {
                        Some(own) => (Arc::new(own), true),
                        None => (target_region, false),
                    };
                    out.push(Placement {
                        instance: i,
                        resource: ri,
                        key: rep.map(|r| r.key.clone()),
                        bindings,
                        target,
                        region,
                        region_from_resource: from_resource,
                        cut,
                    });
                }
            }
            out
        })
        .collect()
}

/// One nested block of a resource instance, as Terraform makes it: a
/// literal block, or one element of a `dynamic` block, with the names its
/// arguments see (the resource instance's `each` or `count`, and the
/// `dynamic` block's iterator).
#[derive(Debug, Clone)]
pub struct MadeBody<'c> {
    pub body: &'c super::module::Content,
    /// The block's keyword: the literal block's, or the `dynamic` one's.
    pub ident_span: crate::source::Span,
    pub bindings: Bindings,
}

impl MadeBody<'_> {
    /// The block's argument `key`.
    pub fn attr(&self, key: &str) -> Option<&Expr> {
        self.body
            .attrs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, e)| e)
    }
}

/// The `ident` blocks of a resource instance's body (`replica` blocks of a
/// DynamoDB table, say). A `dynamic` block makes one per element of its
/// `for_each`; when that is unknown, one whose iterator is unknown.
/// `bindings` are the names `content` sees: the instance's (`p.bindings`)
/// for the resource's own body, and, for the body of a block made by an
/// outer `dynamic` block, that block's too, so that a nested `dynamic`
/// block's `for_each` can read the outer iterator.
pub fn made_blocks<'c>(
    values: &Values<'_>,
    p: &Placement,
    bindings: &Bindings,
    content: &'c super::module::Content,
    ident: &'c str,
) -> Vec<MadeBody<'c>> {
    use super::module::MadeBlock;
    let mut out = Vec::new();
    for made in content.blocks_made(ident) {
        match made {
            MadeBlock::Literal(b) => out.push(MadeBody {
                body: &b.body,
                ident_span: crate::source::Span::new(b.file, b.ident_span.clone()),
                bindings: bindings.clone(),
            }),
            MadeBlock::Dynamic {
                block,
                for_each,
                iterator,
                content,
            } => {
                let Some(body) = content else { continue };
                let ident_span = crate::source::Span::new(block.file, block.ident_span.clone());
                let expansion = match for_each {
                    Some(e) => Expansion::dynamic(&values.eval_bound(p.instance, e, bindings)),
                    None => Expansion::Unknown,
                };
                match expansion {
                    Expansion::Unknown => out.push(MadeBody {
                        body,
                        ident_span,
                        bindings: bindings.clone(),
                    }),
                    Expansion::Known { reps, .. } => out.extend(reps.iter().map(|rep| MadeBody {
                        body,
                        ident_span: ident_span.clone(),
                        bindings: bindings.clone().iterator(&iterator, rep),
                    })),
                }
            }
        }
    }
    out
}

/// The placements of one resource of one instance, one per instance of the
/// resource, in the list [`placements`] returns (which is ordered by
/// instance, then resource).
pub fn placements_of(placements: &[Placement], instance: usize, resource: usize) -> &[Placement] {
    &placements[placement_range(placements, instance, resource)]
}

/// The placements of every resource of one instance, in resource order.
pub fn instance_placements(placements: &[Placement], instance: usize) -> &[Placement] {
    let start = placements.partition_point(|p| p.instance < instance);
    let end = placements.partition_point(|p| p.instance <= instance);
    &placements[start..end]
}

/// Where [`placements_of`] lies in the list.
pub fn placement_range(
    placements: &[Placement],
    instance: usize,
    resource: usize,
) -> std::ops::Range<usize> {
    let start = placements.partition_point(|p| (p.instance, p.resource) < (instance, resource));
    let end = placements.partition_point(|p| (p.instance, p.resource) <= (instance, resource));
    start..end
}

/// The module a placement's resource belongs to.
pub fn placement_module(values: &Values<'_>, p: &Placement) -> ModuleId {
    values.instances[p.instance].module
}

/// Where a resource instance runs, as a report states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionState {
    /// The region or location, as written.
    Known(String),
    /// Set, but not known statically, or not set where it must be; why.
    Unknown(String),
    /// Written nowhere: the provider takes it from the environment it runs
    /// in; which configuration sets none.
    Environment(String),
}

/// What can be said of where a placement runs, given its effective
/// region `region` (see [`super::flows::RegionOf`]) and the resource's own
/// `region` or `location` site, when it has one: the region, or why it is
/// not known, naming the variable with no value, the configuration that
/// sets no region, or the alias nothing defines.
pub fn region_state(
    ws: &Workspace,
    values: &Values<'_>,
    p: &Placement,
    region: &Resolved,
    own: Option<&super::sites::Site>,
) -> RegionState {
    use crate::eval::Value;
    if let Some(s) = region.value.as_str() {
        return RegionState::Known(s.to_string());
    }
    let m = ws.module(values.instances[p.instance].module);
    let r = &m.config.resources[p.resource];
    // Why the value at `span`, evaluated in instance `at`, is no region;
    // `resource` when it is the resource's own argument, which sees the
    // instance's `each` or `count`.
    let unknown_why = |at: usize, span: &crate::source::Span, resource: bool| {
        if let Some(why) = values.why_unknown(ws, at, region) {
            return RegionState::Unknown(why);
        }
        let text = super::values::snippet(ws, span);
        match &region.value {
            Value::Unknown => {}
            Value::Null => return RegionState::Unknown(format!("`{text}` is null")),
            v => return RegionState::Unknown(format!("`{text}` is {v}, not a region")),
        }
        // `each.value` of a resource whose keys are not known.
        let repeated = ["for_each", "count"]
            .into_iter()
            .find(|meta| r.content.attr(meta).is_some());
        match repeated {
            Some(meta) if resource && p.key.is_none() => RegionState::Unknown(format!(
                "the {meta} of {} is not known statically",
                r.address()
            )),
            _ => RegionState::Unknown(format!("`{text}` is not known statically")),
        }
    };
    let unknown = |at: usize, span: &crate::source::Span, resource: bool| match unknown_why(
        at, span, resource,
    ) {
        RegionState::Unknown(why) => match may_be(region) {
            Some(may) => RegionState::Unknown(format!("{why}; it may be {may}")),
            None => RegionState::Unknown(why),
        },
        other => other,
    };
    let own_span = own
        .map(|s| s.span.clone())
        .or_else(|| (p.region_from_resource).then(|| r.content.attr("region").map(Expr::span))?);
    if let Some(span) = own_span {
        return unknown(p.instance, &span, true);
    }
    let within = |instance: usize| {
        let address = &values.instances[instance].address;
        if address.is_empty() {
            String::new()
        } else {
            format!(" of {address}")
        }
    };
    let environment = |name: &str, config: &ModuleConfig| {
        let type_name =
            address_of(config, name).map_or_else(|| name.to_string(), |a| a.type_name.clone());
        match type_name.as_str() {
            "aws" => "the region comes from the environment (AWS_REGION, AWS_DEFAULT_REGION or the AWS config file)",
            _ => "the region comes from the environment",
        }
    };
    match &*p.target {
        Target::ImplicitDefault {
            root_instance,
            name,
        } => {
            let root = ws.module(values.instances[*root_instance].module);
            RegionState::Environment(format!(
                "no provider \"{name}\" configuration: {}",
                environment(name, &root.config)
            ))
        }
        Target::Missing {
            instance,
            name,
            alias,
        } => {
            let reference = match alias {
                Some(a) => format!("{name}.{a}"),
                None => name.clone(),
            };
            let place = match values.instances[*instance].address.as_str() {
                "" => "the root module".to_string(),
                a => a.to_string(),
            };
            RegionState::Unknown(format!(
                "no configuration {reference} is defined in or passed to {place}"
            ))
        }
        Target::Block {
            instance,
            index,
            key,
        } => {
            let pm = ws.module(values.instances[*instance].module);
            let pc = &pm.config.provider_configs[*index];
            let what = match &pc.alias {
                Some(a) => format!(
                    "provider \"{}\" (alias \"{}\"){}",
                    pc.name,
                    a.value,
                    within(*instance)
                ),
                None => format!("provider \"{}\"{}", pc.name, within(*instance)),
            };
            match pc.region() {
                None => RegionState::Environment(format!(
                    "{what} sets no region: {}",
                    environment(&pc.name, &pm.config)
                )),
                Some(_) if region.value == Value::Null => RegionState::Environment(format!(
                    "{what} sets region to null: {}",
                    environment(&pc.name, &pm.config)
                )),
                Some(_) if pc.content.attr("for_each").is_some() && key.is_none() => {
                    RegionState::Unknown(format!(
                        "which instance of {what} is used is not known statically"
                    ))
                }
                Some(expr) => unknown(*instance, &expr.span(), false),
            }
        }
    }
}

/// The known values a region that a condition chooses may be, quoted and
/// joined for a sentence (`"eu-west-1" or "us-east-1"`); `None` when there
/// are none.
pub fn may_be(region: &Resolved) -> Option<String> {
    let alternatives: Vec<String> = (region.alternatives().iter())
        .filter_map(|a| a.value.as_str().map(|s| format!("\"{s}\"")))
        .collect();
    match alternatives.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] => Some(format!("{} or {last}", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::values::CliValues;

    /// (address of the resource instance, what a report says of its region)
    /// for every placement of a tree, as `tfpin regions` asks.
    fn states(files: &[(&str, &str)]) -> Vec<(String, RegionState)> {
        let (_dir, ws) = crate::model::load_test_tree(files);
        let values = Values::build(&ws, &CliValues::default());
        let placements = placements(&ws, &values);
        let sites = crate::model::sites::compute(&ws, &values, &placements);
        let region_of = crate::model::flows::RegionOf::new(&sites);
        let mut out: Vec<(String, RegionState)> = placements
            .iter()
            .map(|p| {
                let inst = &values.instances[p.instance];
                let r = &ws.module(inst.module).config.resources[p.resource];
                let address = match inst.address.as_str() {
                    "" => p.address(r),
                    a => format!("{a}.{}", p.address(r)),
                };
                let state = region_state(&ws, &values, p, region_of.of(p), region_of.own(p));
                (address, state)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn unknown(why: &str) -> RegionState {
        RegionState::Unknown(why.to_string())
    }

    const AWS_ENV: &str =
        "the region comes from the environment (AWS_REGION, AWS_DEFAULT_REGION or the AWS config file)";

    #[test]
    fn each_region_that_is_not_known_says_why() {
        let got = states(&[
            (
                "main.tf",
                r#"
variable "region" {}
provider "aws" {
  region = var.region
}
provider "aws" {
  alias = "ambient"
}
provider "aws" {
  alias  = "dub"
  region = "eu-west-1"
}
resource "aws_sqs_queue" "from_var" {}
resource "aws_sqs_queue" "ambient" {
  provider = aws.ambient
}
resource "aws_sqs_queue" "ghost" {
  provider = aws.ghost
}
resource "aws_sqs_queue" "known" {
  provider = aws.dub
}
locals {
  computed = data.aws_region.x.name
}
resource "aws_sqs_queue" "local" {
  region = local.computed
}
resource "aws_sqs_queue" "each" {
  for_each = data.x.y
  region   = each.value
}
resource "aws_sqs_queue" "computed" {
  region = data.aws_region.x.name
}
module "child" {
  source = "./child"
  region = data.aws_region.here.name
}
module "passed" {
  source = "./child"
  region = var.region
}
module "many" {
  source   = "./child"
  for_each = data.x.y
  region   = each.value
}
"#,
            ),
            (
                "child/main.tf",
                "variable \"region\" {}\nprovider \"aws\" {\n  region = var.region\n}\nresource \"aws_sns_topic\" \"t\" {}\n",
            ),
        ]);
        let no_value = "var.region has no default and no tfvars value";
        let expect: Vec<(String, RegionState)> = [
            (
                "aws_sqs_queue.ambient",
                RegionState::Environment(format!(
                    "provider \"aws\" (alias \"ambient\") sets no region: {AWS_ENV}"
                )),
            ),
            (
                "aws_sqs_queue.computed",
                unknown("`data.aws_region.x.name` is not known statically"),
            ),
            (
                "aws_sqs_queue.each",
                unknown("the for_each of aws_sqs_queue.each is not known statically"),
            ),
            ("aws_sqs_queue.from_var", unknown(no_value)),
            (
                "aws_sqs_queue.ghost",
                unknown("no configuration aws.ghost is defined in or passed to the root module"),
            ),
            ("aws_sqs_queue.known", RegionState::Known("eu-west-1".into())),
            (
                "aws_sqs_queue.local",
                unknown("local.computed = `data.aws_region.x.name` is not known statically"),
            ),
            (
                "module.child.aws_sns_topic.t",
                unknown("var.region of module.child is set by module \"child\" to `data.aws_region.here.name`, which is not known statically"),
            ),
            (
                "module.many.aws_sns_topic.t",
                unknown("the for_each of module \"many\" is not known statically"),
            ),
            ("module.passed.aws_sns_topic.t", unknown(no_value)),
        ]
        .into_iter()
        .map(|(a, s)| (a.to_string(), s))
        .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn reasons_follow_locals_and_module_outputs() {
        let got = states(&[
            (
                "main.tf",
                r#"
locals {
  r = module.settings.region
}
provider "aws" {
  region = local.r
}
module "settings" {
  source = "./settings"
}
resource "aws_sqs_queue" "q" {}
"#,
            ),
            (
                "settings/main.tf",
                "variable \"x\" {}\noutput \"region\" {\n  value = var.x\n}\n",
            ),
        ]);
        assert_eq!(
            got,
            [(
                "aws_sqs_queue.q".to_string(),
                unknown("var.x of module.settings has no default and module \"settings\" does not set it")
            )]
        );
    }

    /// Terraform reads an argument set to null as one left out: a resource
    /// whose own `region` is null runs where its configuration does.
    #[test]
    fn a_null_region_is_no_region() {
        let got = states(&[(
            "main.tf",
            r#"
variable "region" {
  default = null
}
provider "aws" {
  region = "eu-west-1"
}
resource "aws_sqs_queue" "q" {
  region = var.region
}
resource "google_storage_bucket" "b" {
  location = null
}
"#,
        )]);
        assert_eq!(
            got,
            [
                (
                    "aws_sqs_queue.q".to_string(),
                    RegionState::Known("eu-west-1".into())
                ),
                (
                    "google_storage_bucket.b".to_string(),
                    RegionState::Environment(
                        "no provider \"google\" configuration: the region comes from the environment"
                            .into()
                    )
                ),
            ]
        );
    }

    #[test]
    fn a_root_without_a_provider_block_relies_on_the_environment() {
        let got = states(&[("main.tf", "resource \"aws_s3_bucket\" \"s\" {}\n")]);
        assert_eq!(
            got,
            [(
                "aws_s3_bucket.s".to_string(),
                RegionState::Environment(format!("no provider \"aws\" configuration: {AWS_ENV}"))
            )]
        );
    }

    #[test]
    fn placements_of_a_resource_are_a_range() {
        let (_dir, ws) = crate::model::load_test_tree(&[(
            "main.tf",
            "provider \"aws\" { region = \"eu-west-1\" }\nresource \"aws_sqs_queue\" \"a\" {}\nresource \"aws_sqs_queue\" \"b\" {}\n",
        )]);
        let values = crate::model::values::Values::build(&ws, &Default::default());
        let ps = crate::model::wiring::placements(&ws, &values);
        assert_eq!(placements_of(&ps, 0, 1).len(), 1);
        assert_eq!(placements_of(&ps, 0, 1)[0].resource, 1);
        assert!(placements_of(&ps, 0, 2).is_empty());
        assert!(placements_of(&ps, 1, 0).is_empty());
        assert_eq!(instance_placements(&ps, 0).len(), 2);
        assert!(instance_placements(&ps, 1).is_empty());
    }
}
