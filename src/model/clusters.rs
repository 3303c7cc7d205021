//! Providers that point at a cluster: a `kubernetes`, `helm` or `kubectl`
//! configuration runs wherever the cluster its connection comes from runs
//! (`host = aws_eks_cluster.eu.endpoint`), and so does everything created
//! through it. The providers and cluster types are data,
//! `rules/data/cluster-providers.txt`.

use super::module::{ProviderConfig, ResourceMode};
use super::refs;
use super::usage::address_of;
use super::values::Values;
use super::workspace::Workspace;
use crate::eval::Resolved;
use crate::regions::{Cloud, DataError};
use std::sync::OnceLock;

const DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/cluster-providers.txt"
));

/// How deeply clusters may lead to providers that lead to clusters.
const MAX_DEPTH: usize = 4;

/// The catalog of cluster providers and cluster types.
#[derive(Debug, Default)]
pub struct Catalog {
    /// (provider type, path of its connection).
    connections: Vec<(String, Vec<String>)>,
    /// Cluster resource types, with their mode.
    clusters: Vec<(ResourceMode, String)>,
}

impl Catalog {
    pub fn parse(text: &str) -> Result<Catalog, DataError> {
        let mut c = Catalog::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split(" | ").map(str::trim).collect();
            match cols[..] {
                ["provider", t, path] if !t.is_empty() && !path.is_empty() => c
                    .connections
                    .push((t.to_string(), path.split('.').map(str::to_string).collect())),
                ["cluster", t] if !t.is_empty() => {
                    let (mode, name) = match t.strip_prefix("data.") {
                        Some(n) => (ResourceMode::Data, n),
                        None => (ResourceMode::Managed, t),
                    };
                    c.clusters.push((mode, name.to_string()));
                }
                _ => {
                    return Err(DataError {
                        file: "cluster-providers.txt",
                        line: i + 1,
                        message: "expected `provider | TYPE | PATH` or `cluster | TYPE`".into(),
                    })
                }
            }
        }
        Ok(c)
    }

    pub fn is_cluster_provider(&self, type_name: &str) -> bool {
        self.connections.iter().any(|(t, _)| t == type_name)
    }

    fn is_cluster(&self, mode: ResourceMode, type_name: &str) -> bool {
        self.clusters
            .iter()
            .any(|(m, t)| *m == mode && t == type_name)
    }
}

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::parse(DATA).unwrap_or_else(|e| panic!("built-in data is invalid: {e}"))
    })
}

/// The cloud of a cluster resource type.
fn cloud_of(type_name: &str) -> Option<Cloud> {
    Cloud::for_provider(super::module::implied_provider(type_name))
}

/// Where the cluster that a provider configuration (of `instance`'s
/// module) connects to runs, and in whose cloud: `None` when the
/// configuration is not of a cluster provider, or connects to no cluster
/// tfpin can place. When its connection reaches several clusters, the
/// region is known only if they agree.
pub fn cluster_region(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    pc: &ProviderConfig,
) -> Option<(Option<Cloud>, Resolved)> {
    cluster_region_at(ws, values, instance, pc, 0)
}

pub(super) fn cluster_region_at(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    pc: &ProviderConfig,
    depth: usize,
) -> Option<(Option<Cloud>, Resolved)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let cat = catalog();
    let m = ws.module(values.instances[instance].module);
    let addr = address_of(&m.config, &pc.name)?;
    if !cat.is_cluster_provider(&addr.type_name) {
        return None;
    }
    // Every expression of the connection: the argument itself, or every
    // argument of the block of that name.
    let mut exprs = Vec::new();
    for (_, path) in cat.connections.iter().filter(|(t, _)| *t == addr.type_name) {
        let [first, rest @ ..] = path.as_slice() else {
            continue;
        };
        if rest.is_empty() {
            if let Some(e) = pc.content.attr(first) {
                exprs.push(e.clone());
            }
        }
        for b in pc.content.blocks.iter().filter(|b| &b.ident == first) {
            exprs.extend(b.body.attrs.iter().map(|(_, e)| e.clone()));
        }
    }
    let mut found: Option<(Option<Cloud>, Resolved)> = None;
    let mut targets = Vec::new();
    for e in &exprs {
        targets.extend(refs::referents(ws, values, instance, e));
    }
    targets.sort();
    targets.dedup();
    for t in targets {
        let tm = ws.module(values.instances[t.instance].module);
        let r = &tm.config.resources[t.resource];
        if !cat.is_cluster(r.mode, &r.type_name) {
            continue;
        }
        let cloud = cloud_of(&r.type_name);
        let region = resource_region(ws, values, t.instance, t.resource, depth + 1);
        match &found {
            None => found = Some((cloud, region)),
            Some((_, prev)) if prev.value == region.value => {}
            Some(_) => return Some((cloud, Resolved::unknown())),
        }
    }
    // A connection that reaches no cluster tfpin places is somewhere
    // unknown; no connection at all reads the environment's kubeconfig.
    if found.is_none() && !exprs.is_empty() {
        return Some((None, Resolved::unknown()));
    }
    found
}

/// Where one resource (without its instance key) runs: its own `region`
/// or `location` (the arguments its region sites read), else its provider
/// configuration's region. Placements cannot be read here: they are being
/// made, and this is how a cluster provider's configuration gets its region.
fn resource_region(
    ws: &Workspace,
    values: &Values<'_>,
    instance: usize,
    resource: usize,
    depth: usize,
) -> Resolved {
    let m = ws.module(values.instances[instance].module);
    let r = &m.config.resources[resource];
    if r.content.attr("for_each").is_some() || r.content.attr("count").is_some() {
        // Which instance the connection reads is not followed.
        return Resolved::unknown();
    }
    // Its own region, as the region sites read it.
    let own = super::sites::resource_arguments(r)
        .into_iter()
        .flat_map(|(_, _, args)| args);
    for arg in own {
        if let Some(e) = r.content.attr(arg) {
            let v = values.eval(instance, e);
            if v.value != crate::eval::Value::Null {
                return v;
            }
        }
    }
    let (name, alias) = match &r.provider {
        Some(p) => (p.name.as_str(), p.alias.as_deref()),
        None => (r.implied_provider(), None),
    };
    let target = super::wiring::resolve(ws, values, instance, name, alias);
    super::wiring::target_region_at(ws, values, &target, depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_catalog_parses() {
        let c = catalog();
        assert!(c.is_cluster_provider("helm"));
        assert!(!c.is_cluster_provider("aws"));
        assert!(c.is_cluster(ResourceMode::Data, "aws_eks_cluster"));
        assert!(!c.is_cluster(ResourceMode::Managed, "aws_eks_cluster_auth"));
    }

    #[test]
    fn malformed_lines_are_reported_with_their_line() {
        let e = Catalog::parse("# x\n\nprovider | helm\n").unwrap_err();
        assert_eq!((e.file, e.line), ("cluster-providers.txt", 3));
    }
}
