//! `tfpin regions`: the residency report. For each root module instance (a
//! root module, or each deployment of a stack): every resource instance with
//! the region it runs in, or why that is not known; the instances grouped by
//! region; and the copies of data between regions.
//!
//! Everything is read from the model the region rules judge: the
//! placements ([`crate::model::wiring`]), the region sites
//! ([`crate::model::sites`]) and the flows ([`crate::model::flows`]).
//! Nothing here evaluates an expression of its own.

use crate::engine::Reading;
use crate::model::flows::{self, RegionOf};
use crate::model::values::{Values, MAX_INSTANCES};
use crate::model::wiring::{self, Placement, RegionState};
use crate::model::{sites, usage, ResourceMode, Role, Workspace};
use crate::regions::{self, Cloud, Policy};
use crate::source::Span;
use crate::HashMap;
use serde::Serialize;
use std::cmp::Ordering;
use std::path::PathBuf;

mod dot;
mod text;

pub use dot::render_dot;
pub use text::render_text;

#[derive(Debug, Serialize)]
pub struct View {
    pub roots: Vec<RootView>,
    /// What holds for the whole run: the limit on module instances cut
    /// expansion short.
    pub notes: Vec<String>,
    /// The project root and the working directory, which the text shows
    /// paths from.
    #[serde(skip)]
    places: Option<(PathBuf, PathBuf)>,
}

impl View {
    /// A file's path from the project root, as the text shows it: from the
    /// working directory.
    fn shown<'a>(&self, display: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.places {
            Some((root, cwd)) => crate::model::workspace::shown_from(root, cwd, display),
            None => display.into(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RootView {
    /// The root module's directory, from the project root.
    pub module: String,
    /// For a stack, the deployment this is (`prod` for `deployment "prod"`).
    pub deployment: Option<String>,
    /// The engine whose reading this is (`terraform` or `opentofu`).
    pub engine: &'static str,
    pub role: Role,
    pub role_reason: String,
    /// The `allowed_regions` patterns that govern the root; null when none.
    pub policy: Option<Vec<String>>,
    /// Every resource instance that runs in a region, by address.
    pub instances: Vec<InstanceView>,
    /// Resource instances of region-agnostic types (IAM, Route 53,
    /// `aws_caller_identity`...), by address.
    pub global: Vec<GlobalView>,
    /// How many resource instances belong to providers that take no region
    /// (random, tls, kubernetes...); they are not listed.
    pub not_regional: usize,
    /// The instances counted by region: known regions by name, then
    /// `unknown`, then `environment`.
    pub regions: Vec<RegionView>,
    /// Every copy of data from one region to another.
    pub flows: Vec<FlowView>,
    /// Where the report is incomplete: a `count` or `for_each` cut at its
    /// limit.
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct InstanceView {
    /// The full address from the root: `module.stack["eu"].aws_s3_bucket.b["logs"]`.
    pub address: String,
    pub resource_type: String,
    /// The region or location (the catalog's code for a name it knows,
    /// such as Azure's `West Europe`); null when not known.
    pub region: Option<String>,
    /// `known`, `unknown` (set but not known statically, or set nowhere
    /// it can be found) or `environment` (written nowhere: the provider
    /// reads it from its environment).
    pub state: &'static str,
    /// Why the region is not known; null when it is.
    pub reason: Option<String>,
    /// Where the region's value was written (`file:line`, or `--var
    /// NAME`); null when not known.
    pub region_from: Option<String>,
    /// The resource's block.
    pub file: String,
    pub line: usize,
    #[serde(skip)]
    cloud: Option<Cloud>,
}

#[derive(Debug, Serialize)]
pub struct GlobalView {
    pub address: String,
    pub resource_type: String,
    pub file: String,
    pub line: usize,
    #[serde(skip)]
    data: bool,
}

#[derive(Debug, Serialize)]
pub struct RegionView {
    /// The region; null for the `unknown` and `environment` groups.
    pub region: Option<String>,
    pub state: &'static str,
    pub count: usize,
    /// Whether the policy allows the region; null without a policy or a
    /// known region.
    pub allowed: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct FlowView {
    /// The region the data comes from; null when not known.
    pub from: Option<String>,
    /// The region the copy goes to; null when not known.
    pub to: Option<String>,
    /// When `to` is not known because a condition that cannot be decided
    /// chooses it, the regions it may be; else empty.
    pub to_may_be: Vec<String>,
    /// What the copy is: `S3 replication`, `DynamoDB global table replica`.
    pub what: String,
    /// The resource instance that sends the data (for a replica that is a
    /// resource of its own, the replica).
    pub resource: String,
    /// The resource that holds the copy, when tfpin knows it.
    pub destination: Option<String>,
    /// For a multi-region location, what it is (`the EU multi-region`).
    pub member_of: Option<String>,
    /// For geo-redundant Azure storage, the location whose pair `to` is.
    pub paired_with: Option<String>,
    /// Whether the policy allows `to`, or every region of `to_may_be`;
    /// null without a policy or a destination tfpin knows anything of.
    pub allowed: Option<bool>,
    /// The expression that sends the data.
    pub file: String,
    pub line: usize,
}

const KNOWN: &str = "known";
const UNKNOWN: &str = "unknown";
const ENVIRONMENT: &str = "environment";

/// Builds the report for every root instance of every root tree that holds
/// a module named on the command line, in each engine's reading it is
/// written for, sorted by root, deployment and engine.
pub fn build(readings: &[Reading]) -> View {
    let mut roots: Vec<RootView> = Vec::new();
    let mut notes = Vec::new();
    let places = (readings.first()).map(|r| (r.ws.root.clone(), r.ws.cwd.clone()));
    for r in readings {
        let shown = r.shown_roots();
        if shown.is_empty() {
            continue;
        }
        let ws = &r.ws;
        let values = Values::build(ws, &r.cli);
        let placements = wiring::placements(ws, &values);
        let sites = sites::compute(ws, &values, &placements);
        let flows = flows::compute(ws, &values, &placements, &sites);
        if values.truncated {
            notes.push(format!(
                "{}'s reading has more than {MAX_INSTANCES} module instances; those past the limit are not expanded, and their resources are not listed",
                ws.engine.name()
            ));
        }
        let mut report = Builder::new(ws, &values, &placements, &sites, r, &shown);
        report.add_placements();
        report.add_flows(&flows);
        report.add_cut_calls();
        roots.extend(report.finish());
    }
    roots.sort_by(|a, b| {
        (
            a.module.as_str(),
            a.deployment.as_deref(),
            a.engine != "terraform",
        )
            .cmp(&(
                b.module.as_str(),
                b.deployment.as_deref(),
                b.engine != "terraform",
            ))
    });
    View {
        roots,
        notes,
        places,
    }
}

/// The report of one reading, root instance by root instance.
struct Builder<'a, 'w> {
    ws: &'w Workspace,
    values: &'a Values<'w>,
    placements: &'a [Placement],
    region_of: RegionOf<'a>,
    /// The root instance of every instance.
    root_of: Vec<usize>,
    /// The report of each shown root instance, by root instance.
    sections: HashMap<usize, (RootView, Option<Policy>)>,
    /// The placements of each resource block, by its header: to name the
    /// resource a copy goes to.
    by_header: HashMap<&'a Span, Vec<usize>>,
}

impl<'a, 'w> Builder<'a, 'w> {
    fn new(
        ws: &'w Workspace,
        values: &'a Values<'w>,
        placements: &'a [Placement],
        sites: &'a [sites::Site],
        reading: &Reading,
        shown: &[(crate::model::ModuleId, Option<String>)],
    ) -> Self {
        let mut root_of: Vec<usize> = Vec::with_capacity(values.instances.len());
        for (i, inst) in values.instances.iter().enumerate() {
            // A parent comes before its children.
            let root = inst.parent.map_or(i, |(p, _)| root_of[p]);
            root_of.push(root);
        }
        let mut sections = HashMap::default();
        for (i, inst) in values.instances.iter().enumerate() {
            if inst.parent.is_some() || !shown.iter().any(|(id, _)| *id == inst.module) {
                continue;
            }
            let m = ws.module(inst.module);
            let patterns = reading
                .module_settings
                .get(m.id.0 as usize)
                .map(|s| s.allowed_regions.clone())
                .unwrap_or_default();
            let view = RootView {
                module: m.display.clone(),
                deployment: inst.address.strip_prefix("deployment.").map(str::to_string),
                engine: ws.engine.id(),
                role: m.role,
                role_reason: m.role_reason.clone(),
                policy: (!patterns.is_empty()).then(|| patterns.clone()),
                instances: Vec::new(),
                global: Vec::new(),
                not_regional: 0,
                regions: Vec::new(),
                flows: Vec::new(),
                notes: Vec::new(),
            };
            sections.insert(i, (view, Policy::new(&patterns)));
        }
        let mut by_header: HashMap<&'a Span, Vec<usize>> = HashMap::default();
        for (pi, p) in placements.iter().enumerate() {
            let header = &ws
                .module(values.instances[p.instance].module)
                .config
                .resources[p.resource]
                .header;
            by_header.entry(header).or_default().push(pi);
        }
        Builder {
            ws,
            values,
            placements,
            region_of: RegionOf::new(sites),
            root_of,
            sections,
            by_header,
        }
    }

    /// A resource instance's address from its root instance:
    /// `module.stack["eu"].aws_s3_bucket.b["logs"]`, or
    /// `component.web.aws_s3_bucket.site` in a stack's deployment.
    fn address(&self, p: &Placement) -> String {
        let r = self.resource(p);
        let own = p.address(r);
        let inst = &self.values.instances[p.instance].address;
        let root = &self.values.instances[self.root_of[p.instance]].address;
        let rel = inst
            .strip_prefix(root.as_str())
            .map(|s| s.trim_start_matches('.'))
            .unwrap_or(inst);
        if rel.is_empty() {
            own
        } else {
            format!("{rel}.{own}")
        }
    }

    fn resource(&self, p: &Placement) -> &'w crate::model::Resource {
        &self
            .ws
            .module(self.values.instances[p.instance].module)
            .config
            .resources[p.resource]
    }

    fn file_line(&self, span: &Span) -> (String, usize) {
        let f = self.ws.sources.get(span.file);
        (f.display.clone(), f.line_col(span.range.start).line)
    }

    /// The provider type a resource instance uses: `aws`, `google`.
    fn provider_type(&self, p: &Placement) -> String {
        let m = self.ws.module(self.values.instances[p.instance].module);
        let r = &m.config.resources[p.resource];
        let name = r
            .provider
            .as_ref()
            .map_or_else(|| r.implied_provider(), |p| p.name.as_str());
        usage::address_of(&m.config, name).map_or_else(|| name.to_string(), |a| a.type_name.clone())
    }

    fn add_placements(&mut self) {
        let mut cut_done: crate::HashSet<(usize, usize)> = crate::HashSet::default();
        for p in self.placements {
            let root = self.root_of[p.instance];
            if !self.sections.contains_key(&root) {
                continue;
            }
            let r = self.resource(p);
            if !matches!(r.mode, ResourceMode::Managed | ResourceMode::Data) {
                continue;
            }
            let address = self.address(p);
            let (file, line) = self.file_line(&r.header);
            if p.cut && cut_done.insert((p.instance, p.resource)) {
                let meta = if r.content.attr("count").is_some() {
                    "count"
                } else {
                    "for_each"
                };
                let whole = match address.rfind('[') {
                    Some(i) => &address[..i],
                    None => &address,
                };
                let note = format!(
                    "the {meta} of {whole} makes more than {} instances; only the first {} are listed",
                    crate::eval::MAX_KEYS,
                    crate::eval::MAX_KEYS
                );
                self.section(root).notes.push(note);
            }
            if regions::is_region_agnostic(r.mode.keyword(), &r.type_name) {
                let g = GlobalView {
                    address,
                    resource_type: r.type_name.clone(),
                    file,
                    line,
                    data: r.mode == ResourceMode::Data,
                };
                self.section(root).global.push(g);
                continue;
            }
            let own = self.region_of.own(p);
            let provider_type = self.provider_type(p);
            // A kubernetes or helm configuration runs where its cluster
            // does (see `model::clusters`).
            let cluster = crate::model::clusters::catalog().is_cluster_provider(&provider_type);
            if own.is_none() && regions::regional_provider(&provider_type).is_none() && !cluster {
                self.section(root).not_regional += 1;
                continue;
            }
            let resolved = self.region_of.of(p);
            let cloud = own
                .and_then(|s| s.cloud)
                .or_else(|| Cloud::for_provider(&provider_type))
                .or_else(|| {
                    let known = resolved.value.as_str()?;
                    let c = regions::catalog();
                    Cloud::ALL.into_iter().find(|cl| {
                        c.lookup(*cl, known).is_some() || c.zone_region(*cl, known).is_some()
                    })
                });
            let state = wiring::region_state(self.ws, self.values, p, resolved, own);
            let (region, state, reason, region_from) = match state {
                RegionState::Known(s) => (
                    Some(canonical(cloud, &s)),
                    KNOWN,
                    None,
                    super::providers::written_at(self.ws, resolved),
                ),
                RegionState::Unknown(why) => (None, UNKNOWN, Some(why), None),
                RegionState::Environment(why) => (None, ENVIRONMENT, Some(why), None),
            };
            let view = InstanceView {
                address,
                resource_type: r.type_name.clone(),
                region,
                state,
                reason,
                region_from,
                file,
                line,
                cloud,
            };
            self.section(root).instances.push(view);
        }
    }

    fn section(&mut self, root: usize) -> &mut RootView {
        &mut self
            .sections
            .get_mut(&root)
            .expect("a section for every shown root")
            .0
    }

    fn add_flows(&mut self, flows: &[flows::Flow]) {
        for f in flows {
            let p = &self.placements[f.placement];
            let root = self.root_of[p.instance];
            let Some((_, policy)) = self.sections.get(&root) else {
                continue;
            };
            let from = f.from_str().map(|s| canonical(f.cloud, s));
            let to = f.to_str().map(|s| canonical(f.cloud, s));
            let to_may_be = (f.to.alternatives().iter())
                .filter_map(|a| a.value.as_str().map(|s| canonical(f.cloud, s)))
                .collect();
            let to_may_be: Vec<String> = to_may_be;
            let allowed = match (policy, &to) {
                (Some(policy), Some(to)) => Some(policy.allows(f.cloud, to)),
                (Some(policy), None) if !to_may_be.is_empty() => {
                    Some(to_may_be.iter().all(|t| policy.allows(f.cloud, t)))
                }
                _ => None,
            };
            let destination = f.to_resource.as_ref().and_then(|h| self.destination(p, h));
            let (file, line) = self.file_line(&f.span);
            let view = FlowView {
                from,
                to,
                to_may_be,
                what: f.entry.what.clone(),
                resource: self.address(p),
                destination,
                member_of: f.member_of.clone(),
                paired_with: f.paired_with.clone(),
                allowed,
                file,
                line,
            };
            self.section(root).flows.push(view);
        }
    }

    /// The resource a copy goes to, by its block's header: the one in the
    /// same module instance as the flow's resource, else the only one in
    /// the same root instance. Its address without an instance key when it
    /// has several instances.
    fn destination(&self, from: &Placement, header: &Span) -> Option<String> {
        let root = self.root_of[from.instance];
        let all = self.by_header.get(header)?;
        let near: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&q| self.placements[q].instance == from.instance)
            .collect();
        let candidates: Vec<usize> = if near.is_empty() {
            all.iter()
                .copied()
                .filter(|&q| self.root_of[self.placements[q].instance] == root)
                .collect()
        } else {
            near
        };
        let first = &self.placements[*candidates.first()?];
        let same = candidates.iter().all(|&q| {
            (self.placements[q].instance, self.placements[q].resource)
                == (first.instance, first.resource)
        });
        if !same {
            return None;
        }
        let address = self.address(first);
        Some(match (candidates.len(), address.rfind('[')) {
            (n, Some(i)) if n > 1 && first.key.is_some() => address[..i].to_string(),
            _ => address,
        })
    }

    /// Notes on module calls whose `count` or `for_each` was cut.
    fn add_cut_calls(&mut self) {
        for &(inst, ci) in &self.values.cut {
            let root = self.root_of[inst];
            if !self.sections.contains_key(&root) {
                continue;
            }
            let m = self.ws.module(self.values.instances[inst].module);
            let call = &m.config.module_calls[ci];
            let meta = if call.has_count() {
                "count"
            } else {
                "for_each"
            };
            let at = &self.values.instances[inst].address;
            let root_address = &self.values.instances[root].address;
            let rel = at
                .strip_prefix(root_address.as_str())
                .map(|s| s.trim_start_matches('.'))
                .unwrap_or(at);
            let name = format!("{}.{}", call.keyword, call.name);
            let whole = if rel.is_empty() {
                name
            } else {
                format!("{rel}.{name}")
            };
            let note = format!(
                "the {meta} of {whole} makes more than {} instances; only the first {} are expanded",
                crate::eval::MAX_KEYS,
                crate::eval::MAX_KEYS
            );
            self.section(root).notes.push(note);
        }
    }

    fn finish(self) -> Vec<RootView> {
        let mut out: Vec<RootView> = self
            .sections
            .into_values()
            .map(|(mut v, policy)| {
                v.instances.sort_by(|a, b| {
                    natural_cmp(&a.address, &b.address).then_with(|| a.file.cmp(&b.file))
                });
                v.global.sort_by(|a, b| natural_cmp(&a.address, &b.address));
                v.flows.sort_by(|a, b| {
                    (a.from.as_deref(), a.to.as_deref(), a.what.as_str())
                        .cmp(&(b.from.as_deref(), b.to.as_deref(), b.what.as_str()))
                        .then_with(|| natural_cmp(&a.resource, &b.resource))
                        .then_with(|| (a.file.as_str(), a.line).cmp(&(b.file.as_str(), b.line)))
                });
                v.flows.dedup_by(|a, b| {
                    (a.from == b.from && a.to == b.to && a.what == b.what)
                        && (a.resource == b.resource && a.file == b.file && a.line == b.line)
                });
                v.notes.sort();
                v.notes.dedup();
                v.regions = region_counts(&v.instances, policy.as_ref());
                v
            })
            .collect();
        out.sort_by(|a, b| a.deployment.cmp(&b.deployment));
        out
    }
}

/// The catalog's code for a region or location it knows (Azure's `West
/// Europe` is `westeurope`); anything else as written.
fn canonical(cloud: Option<Cloud>, value: &str) -> String {
    cloud
        .and_then(|c| regions::catalog().lookup(c, value))
        .map_or_else(|| value.to_string(), |r| r.code.clone())
}

/// The instances counted by region: known regions by name, then unknown,
/// then environment.
fn region_counts(instances: &[InstanceView], policy: Option<&Policy>) -> Vec<RegionView> {
    let mut known: std::collections::BTreeMap<&str, (usize, Option<Cloud>)> = Default::default();
    let (mut unknown, mut environment) = (0, 0);
    for i in instances {
        match (&i.region, i.state) {
            (Some(r), _) => known.entry(r).or_insert((0, i.cloud)).0 += 1,
            (None, ENVIRONMENT) => environment += 1,
            (None, _) => unknown += 1,
        }
    }
    let mut out: Vec<RegionView> = known
        .into_iter()
        .map(|(region, (count, cloud))| RegionView {
            region: Some(region.to_string()),
            state: KNOWN,
            count,
            allowed: policy.map(|p| p.allows(cloud, region)),
        })
        .collect();
    for (state, count) in [(UNKNOWN, unknown), (ENVIRONMENT, environment)] {
        if count > 0 {
            out.push(RegionView {
                region: None,
                state,
                count,
                allowed: None,
            });
        }
    }
    out
}

/// Compares addresses as a person reads them: runs of digits by value, so
/// `q[2]` comes before `q[10]`.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (&a[..da], &b[..db]);
                let ta = trim_zeros(na);
                let tb = trim_zeros(nb);
                let by_value = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                match by_value.then_with(|| da.cmp(&db)) {
                    Ordering::Equal => {
                        a = &a[da..];
                        b = &b[db..];
                    }
                    o => return o,
                }
            }
            (Some(x), Some(y)) => match x.cmp(y) {
                Ordering::Equal => {
                    a = &a[1..];
                    b = &b[1..];
                }
                o => return o,
            },
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros.min(digits.len().saturating_sub(1))..]
}

pub fn render_json(view: &View) -> String {
    let mut s = serde_json::to_string_pretty(view)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialise: {e}\"}}"));
    s.push('\n');
    s
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The name of a root instance, as a heading shows it.
fn title(r: &RootView) -> String {
    match &r.deployment {
        Some(d) => format!("{} deployment.{}", r.module, d),
        None => r.module.clone(),
    }
}

/// An engine's name, `Terraform` or `OpenTofu`, from its id.
fn engine_name(id: &str) -> &str {
    crate::fileset::Engine::ALL
        .into_iter()
        .find(|e| e.id() == id)
        .map_or(id, |e| e.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_sort_with_numbers_by_value() {
        let mut v = vec!["q[10]", "q[2]", "p", "q[02]", "q[1]", "module.a[\"x\"].b"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            ["module.a[\"x\"].b", "p", "q[1]", "q[2]", "q[02]", "q[10]"]
        );
    }
}
