//! Data flows: where each resource instance sends copies of its data.
//!
//! Residency is about copies as much as about primaries. The ways resources
//! copy data are a catalog (`rules/data/replication.txt`): S3 replication
//! rules, DynamoDB replicas, RDS and Aurora replicas, AWS Backup copies, KMS
//! replica keys, ECR and Secrets Manager replication, Azure geo-redundant
//! storage (to the location's pair, `rules/data/azure-region-pairs.txt`),
//! SQL failover groups and Cosmos DB geo-replicas, Google multi-region and
//! dual-region locations (`rules/data/location-members.txt`) and
//! CockroachDB cluster regions.
//!
//! Flows are computed once per run ([`compute`]) from the placements and
//! region sites, so the residency rules and `tfpin regions` read the same
//! answer. A flow whose destination is unknown keeps it unknown.

use super::module::{Content, Expr, ResourceMode};
use super::refs;
use super::sites::{Site, SiteKind};
use super::values::Values;
use super::wiring::{made_blocks, placements_of, Placement};
use super::workspace::Workspace;
use crate::eval::{Bindings, Resolved, Value};
use crate::regions::{self, Cloud, DataError};
use crate::source::Span;
use crate::HashMap;
use std::sync::{Arc, OnceLock};

const REPLICATION: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/replication.txt"
));
const PAIRS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/azure-region-pairs.txt"
));
const MEMBERS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/location-members.txt"
));

/// How an entry finds where the copy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Each value at the path is a region holding a copy.
    Region(Vec<String>),
    /// The path refers to a resource of the type, whose region holds it;
    /// the data comes from the resource the second path refers to, when
    /// there is one (a failover group's `server_id`), else from the
    /// resource itself.
    Ref(Vec<String>, String, Option<Vec<String>>),
    /// The path holds an ARN, or refers to a resource.
    Arn(Vec<String>),
    /// The resource is a copy of the resource of the type the path refers
    /// to.
    SourceRef(Vec<String>, String),
    /// The resource is a copy of the resource the ARN at the path names.
    SourceArn(Vec<String>),
    /// When the path's value is one of these, the location's pair.
    Pair(Vec<String>, Vec<String>),
    /// The regions a multi-region location at the path stands for.
    Members(Vec<String>),
}

impl How {
    /// The path the entry reads.
    pub fn path(&self) -> &[String] {
        match self {
            How::Region(p)
            | How::Ref(p, _, _)
            | How::Arn(p)
            | How::SourceRef(p, _)
            | How::SourceArn(p)
            | How::Pair(p, _)
            | How::Members(p) => p,
        }
    }

    /// Whether the resource itself is the copy (its own region is the
    /// destination).
    pub fn is_copy(&self) -> bool {
        matches!(self, How::SourceRef(..) | How::SourceArn(_))
    }
}

/// Whose regions an entry's values are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudOf {
    Fixed(Cloud),
    /// Read from an argument: `AWS`, `GCP` or `AZURE`.
    From(String),
}

/// What a copy in its source's own region is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameRegion {
    /// The service rejects it.
    Error,
    /// Allowed, but no protection against losing the region.
    Warning,
    /// Ordinary.
    Fine,
}

/// One line of the replication catalog.
#[derive(Debug, Clone)]
pub struct Entry {
    pub type_name: String,
    pub how: How,
    pub cloud: CloudOf,
    pub what: String,
    pub same_region: SameRegion,
    pub source: String,
}

/// The catalogs flows are computed from.
#[derive(Debug)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    /// The entries of each type, by position.
    by_type: HashMap<String, Vec<usize>>,
    /// Azure location code → its paired region.
    pub pairs: HashMap<String, String>,
    /// (cloud, lowercase location) → (member region codes, what it is).
    pub members: HashMap<(Cloud, String), (Vec<String>, String)>,
}

fn err(file: &'static str, line: usize, message: impl Into<String>) -> DataError {
    DataError {
        file,
        line,
        message: message.into(),
    }
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn path(p: &str) -> Vec<String> {
    p.split('.').map(str::to_string).collect()
}

impl Catalog {
    /// Parses the three data files, checking every region they name
    /// against the region catalogs.
    pub fn parse(replication: &str, pairs: &str, members: &str) -> Result<Catalog, DataError> {
        const R: &str = "replication.txt";
        const P: &str = "azure-region-pairs.txt";
        const M: &str = "location-members.txt";
        let regions = regions::catalog();
        let mut entries = Vec::new();
        for (n, line) in lines(replication) {
            let cols: Vec<&str> = line.split(" | ").map(str::trim).collect();
            let [type_name, how, cloud, what, same, source] = cols[..] else {
                return Err(err(R, n, "expected six columns separated by \" | \""));
            };
            let words: Vec<&str> = how.split_whitespace().collect();
            let how = match words[..] {
                ["region", p] => How::Region(path(p)),
                ["ref", p, t] => How::Ref(path(p), t.to_string(), None),
                ["ref", p, t, "from", f] => How::Ref(path(p), t.to_string(), Some(path(f))),
                ["arn", p] => How::Arn(path(p)),
                ["source-ref", p, t] => How::SourceRef(path(p), t.to_string()),
                ["source-arn", p] => How::SourceArn(path(p)),
                ["pair", p, values] => How::Pair(
                    path(p),
                    values.split(',').map(str::to_ascii_uppercase).collect(),
                ),
                ["members", p] => How::Members(path(p)),
                _ => return Err(err(R, n, format!("unknown way to find the copy: `{how}`"))),
            };
            let cloud = match cloud.split_whitespace().collect::<Vec<_>>()[..] {
                ["aws"] => CloudOf::Fixed(Cloud::Aws),
                ["azure"] => CloudOf::Fixed(Cloud::Azure),
                ["google"] => CloudOf::Fixed(Cloud::Google),
                ["from", arg] => CloudOf::From(arg.to_string()),
                _ => return Err(err(R, n, format!("unknown cloud `{cloud}`"))),
            };
            let same_region = match same {
                "error" => SameRegion::Error,
                "warning" => SameRegion::Warning,
                "-" => SameRegion::Fine,
                _ => return Err(err(R, n, format!("unknown same-region verdict `{same}`"))),
            };
            if type_name.is_empty() || what.is_empty() || source.is_empty() {
                return Err(err(R, n, "empty column"));
            }
            entries.push(Entry {
                type_name: type_name.to_string(),
                how,
                cloud,
                what: what.to_string(),
                same_region,
                source: source.to_string(),
            });
        }
        let mut pair_map = HashMap::default();
        for (n, line) in lines(pairs) {
            let Some((from, to)) = line.split_once("->") else {
                return Err(err(P, n, "expected \"REGION -> SECONDARY\""));
            };
            let (from, to) = (from.trim(), to.trim());
            for code in [from, to] {
                if regions.lookup(Cloud::Azure, code).is_none() {
                    return Err(err(P, n, format!("`{code}` is not in azure-locations.txt")));
                }
            }
            if pair_map.insert(from.to_string(), to.to_string()).is_some() {
                return Err(err(P, n, format!("`{from}` is paired twice")));
            }
        }
        let mut member_map = HashMap::default();
        for (n, line) in lines(members) {
            let cols: Vec<&str> = line.split(" | ").map(str::trim).collect();
            let [cloud, location, list, what] = cols[..] else {
                return Err(err(M, n, "expected four columns separated by \" | \""));
            };
            let cloud = match cloud {
                "google" => Cloud::Google,
                _ => return Err(err(M, n, format!("unknown cloud `{cloud}`"))),
            };
            let mut codes = Vec::new();
            for m in list.split(',') {
                if let Some(prefix) = m.strip_suffix('*') {
                    let before = codes.len();
                    codes.extend(
                        (regions.regions(cloud))
                            .filter(|r| r.kind == regions::RegionKind::Region)
                            .filter(|r| r.code.starts_with(prefix))
                            .map(|r| r.code.clone()),
                    );
                    if codes.len() == before {
                        return Err(err(M, n, format!("`{m}` matches no region")));
                    }
                } else if regions.lookup(cloud, m).is_some() {
                    codes.push(m.to_string());
                } else {
                    return Err(err(M, n, format!("`{m}` is not in the region catalog")));
                }
            }
            member_map.insert(
                (cloud, location.to_ascii_lowercase()),
                (codes, what.to_string()),
            );
        }
        let mut by_type: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, e) in entries.iter().enumerate() {
            by_type.entry(e.type_name.clone()).or_default().push(i);
        }
        Ok(Catalog {
            entries,
            by_type,
            pairs: pair_map,
            members: member_map,
        })
    }

    /// The entries for a resource type.
    pub fn entries_for<'c, 't>(
        &'c self,
        type_name: &'t str,
    ) -> impl Iterator<Item = &'c Entry> + use<'c, 't> {
        (self.by_type.get(type_name).into_iter().flatten()).map(|&i| &self.entries[i])
    }

    /// The regions a location stands for, and what it is: a multi-region or
    /// dual-region, a Spanner configuration (also as
    /// `projects/P/instanceConfigs/NAME`), or `regional-REGION`.
    pub fn members_of(&self, cloud: Cloud, location: &str) -> Option<(Vec<String>, String)> {
        let name = location.rsplit('/').next().unwrap_or(location);
        let lower = name.to_ascii_lowercase();
        if let Some(region) = lower.strip_prefix("regional-") {
            let r = regions::catalog().lookup(cloud, region)?;
            return Some((vec![r.code.clone()], format!("the configuration {name}")));
        }
        self.members.get(&(cloud, lower)).cloned()
    }
}

/// The built-in catalogs.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::parse(REPLICATION, PAIRS, MEMBERS)
            .unwrap_or_else(|e| panic!("built-in data is invalid: {e}"))
    })
}

/// The first parts of every path the catalog reads from bodies of a type:
/// what reading a resource body must keep.
pub fn body_reads(type_name: &str) -> impl Iterator<Item = &'static str> + '_ {
    // The raw text, not the parsed catalog: reading a file must not need
    // the region catalogs.
    // By type: every resource read asks, most of them of types it has
    // nothing for.
    static READS: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    let reads = READS.get_or_init(|| {
        let mut out: HashMap<&'static str, Vec<&'static str>> = HashMap::default();
        for (_, line) in lines(REPLICATION) {
            let mut cols = line.split(" | ");
            let (Some(t), Some(how), Some(cloud)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let words: Vec<&str> = how.split_whitespace().collect();
            let paths = words
                .get(1)
                .into_iter()
                .chain((words.iter().position(|w| *w == "from")).and_then(|i| words.get(i + 1)));
            let keys = out.entry(t.trim()).or_default();
            for p in paths {
                keys.push(p.split('.').next().unwrap_or(p));
            }
            if let Some(arg) = cloud.trim().strip_prefix("from ") {
                keys.push(arg.trim());
            }
        }
        out
    });
    reads.get(type_name).into_iter().flatten().copied()
}

/// One copy of data from one region to another.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The placement (index into the run's placements) of the resource
    /// instance the flow is written in.
    pub placement: usize,
    pub entry: &'static Entry,
    /// Whose regions `from` and `to` are, when known.
    pub cloud: Option<Cloud>,
    /// The region the data comes from.
    pub from: Arc<Resolved>,
    /// The resource the data comes from: the header of the resource
    /// itself, or of the source a copy refers to.
    pub from_resource: Span,
    /// The region the copy goes to.
    pub to: Arc<Resolved>,
    /// The resource that holds the copy, when it is another one.
    pub to_resource: Option<Span>,
    /// The addresses of the source and of the copy, in their module, when
    /// they are other resources than the one the flow is written in.
    pub from_address: Option<String>,
    pub to_address: Option<String>,
    /// The expression that sends the data: the catalog's path.
    pub span: Span,
    /// For a multi-region location, what it is ("the EU multi-region").
    pub member_of: Option<String>,
    /// For a geo-redundant Azure account, the location whose pair it is.
    pub paired_with: Option<String>,
    /// Whether the destination is itself a region site, which
    /// `region-not-allowed` judges (a DynamoDB replica's `region_name`, the
    /// members of a location).
    pub judged_at_site: bool,
}

impl Flow {
    pub fn to_str(&self) -> Option<&str> {
        self.to.value.as_str()
    }

    pub fn from_str(&self) -> Option<&str> {
        self.from.value.as_str()
    }
}

/// The region of each resource instance: its own `region` or `location`
/// site when it has one, else where its provider configuration runs. A site
/// whose value is null counts as none: an argument set to null is one left
/// out.
pub struct RegionOf<'a> {
    own: HashMap<(usize, usize, Option<crate::eval::InstanceKey>), &'a Site>,
}

impl<'a> RegionOf<'a> {
    pub fn new(sites: &'a [Site]) -> RegionOf<'a> {
        let mut own = HashMap::default();
        for s in sites.iter().filter(|s| s.value.value != Value::Null) {
            if let SiteKind::Resource { resource } = s.kind {
                own.entry((s.instance, resource, s.key.clone()))
                    .or_insert(s);
            }
        }
        RegionOf { own }
    }

    pub fn of(&self, p: &'a Placement) -> &'a Arc<Resolved> {
        self.own(p).map_or(&p.region, |s| &s.value)
    }

    /// The resource instance's own `region` or `location` site, when it
    /// has one.
    pub fn own(&self, p: &Placement) -> Option<&'a Site> {
        self.own
            .get(&(p.instance, p.resource, p.key.clone()))
            .copied()
    }
}

/// A value at a path below a body, with the expression it came from.
struct At {
    expr: Expr,
    value: Resolved,
}

/// Every value at `path` below `content` in a resource instance: through
/// literal and `dynamic` blocks, then into the value of an argument (a list
/// counts as each of its elements).
fn values_at(values: &Values<'_>, p: &Placement, content: &Content, path: &[String]) -> Vec<At> {
    let mut out = Vec::new();
    walk(values, p, content, &p.bindings, path, &mut out);
    out
}

fn walk(
    values: &Values<'_>,
    p: &Placement,
    content: &Content,
    bindings: &Bindings,
    path: &[String],
    out: &mut Vec<At>,
) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if let Some(expr) = content
        .attrs
        .iter()
        .rev()
        .find(|(k, _)| k == first)
        .map(|(_, e)| e)
    {
        let value = values.eval_bound(p.instance, expr, bindings);
        let mut found = Vec::new();
        descend(value, rest, &mut found);
        out.extend(found.into_iter().map(|value| At {
            expr: expr.clone(),
            value,
        }));
        return;
    }
    if rest.is_empty() {
        return;
    }
    for made in made_blocks(values, p, bindings, content, first) {
        walk(values, p, made.body, &made.bindings, rest, out);
    }
}

/// The parts of a value at `path`; each element of a list is followed.
fn descend(value: Resolved, path: &[String], out: &mut Vec<Resolved>) {
    if let Value::List(items) = &value.value {
        for i in 0..items.len() {
            if let Some(v) = value.index(i) {
                descend(v, path, out);
            }
        }
        return;
    }
    match path.split_first() {
        None => out.push(value),
        Some((key, rest)) => {
            if let Some(v) = value.get(key) {
                descend(v, rest, out);
            }
        }
    }
}

/// The region in an ARN: `arn:aws:backup:eu-central-1:111:backup-vault:x`.
/// `None` for a value that is no ARN, or an ARN without a region (S3
/// buckets, IAM).
pub fn arn_region(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (_partition, _service, region) = (parts.next()?, parts.next()?, parts.next()?);
    parts.next()?;
    (!region.is_empty()).then_some(region)
}

/// Every flow of every resource instance, in placement order.
pub fn compute(
    ws: &Workspace,
    values: &Values<'_>,
    placements: &[Placement],
    sites: &[Site],
) -> Vec<Flow> {
    let cat = catalog();
    // Indexes of the sites, built once the first resource that copies
    // data needs them: most trees have none.
    let indexes = std::cell::OnceCell::new();
    let mut out = Vec::new();
    for (pi, p) in placements.iter().enumerate() {
        let m = ws.module(values.instances[p.instance].module);
        let r = &m.config.resources[p.resource];
        if r.mode != ResourceMode::Managed {
            continue;
        }
        for entry in cat.entries_for(&r.type_name) {
            let (region_of, site_spans) = indexes.get_or_init(|| {
                let spans: crate::HashSet<&Span> = (sites.iter())
                    .filter(|s| s.sets_value())
                    .map(|s| &s.span)
                    .collect();
                (RegionOf::new(sites), spans)
            });
            let cloud = match &entry.cloud {
                CloudOf::Fixed(c) => Some(*c),
                CloudOf::From(arg) => r.content.attr(arg).and_then(|e| {
                    match p
                        .eval(values, e)
                        .value
                        .as_str()?
                        .to_ascii_uppercase()
                        .as_str()
                    {
                        "AWS" => Some(Cloud::Aws),
                        "GCP" => Some(Cloud::Google),
                        "AZURE" => Some(Cloud::Azure),
                        _ => None,
                    }
                }),
            };
            let own = region_of.of(p);
            let flow = |at: &At, to: Arc<Resolved>| Flow {
                placement: pi,
                entry,
                cloud,
                from: own.clone(),
                from_resource: r.header.clone(),
                to,
                to_resource: None,
                from_address: None,
                to_address: None,
                span: at.expr.span(),
                member_of: None,
                paired_with: None,
                judged_at_site: false,
            };
            // The resources of a type an expression refers to, each with
            // the region of the instances it names (`aws_s3_bucket.b["us"]`
            // names one; a key that cannot be known, any of them).
            let referred =
                |e: &Expr, type_name: Option<&str>| -> Vec<(Span, String, Arc<Resolved>)> {
                    refs::referents_bound(ws, values, p.instance, e, &p.bindings)
                        .into_iter()
                        .filter_map(|t| {
                            let tm = ws.module(values.instances[t.instance].module);
                            let tr = &tm.config.resources[t.resource];
                            if tr.mode != ResourceMode::Managed
                                || type_name.is_some_and(|ty| tr.type_name != ty)
                            {
                                return None;
                            }
                            // Known only when all the instances it names
                            // agree.
                            let all: Vec<&Placement> =
                                (placements_of(placements, t.instance, t.resource).iter())
                                    .filter(|q| t.names(q.key.as_ref()))
                                    .collect();
                            // When they do not, the value names one of
                            // them: the copy may be in any of their regions.
                            let first = region_of.of(all.first()?);
                            let agree = all.iter().all(|q| region_of.of(q).value == first.value);
                            let region = match agree {
                                true => first.clone(),
                                false => Arc::new(Resolved::one_of(
                                    all.iter().map(|q| Resolved::clone(region_of.of(q))),
                                )),
                            };
                            Some((tr.header.clone(), tr.address(), region))
                        })
                        .collect()
                };
            let found = values_at(values, p, &r.content, entry.how.path());
            match &entry.how {
                How::Region(_) => {
                    for at in &found {
                        let mut f = flow(at, Arc::new(at.value.clone()));
                        f.judged_at_site = site_spans.contains(&at.expr.span());
                        out.push(f);
                    }
                }
                How::Ref(_, ty, source) => {
                    // Where the data comes from, when another resource
                    // holds it.
                    let mut from = None;
                    if let Some(source) = source {
                        let at_source = values_at(values, p, &r.content, source);
                        let mut sources = (at_source.iter())
                            .flat_map(|at| referred(&at.expr, None))
                            .collect::<Vec<_>>();
                        if sources.len() == 1 {
                            from = sources.pop();
                        }
                    }
                    for at in &found {
                        let targets = referred(&at.expr, Some(ty));
                        let choice = targets.len() > 1;
                        for (header, address, region) in targets {
                            let mut f = flow(at, maybe(region, choice));
                            f.to_resource = Some(header);
                            f.to_address = Some(address);
                            if let Some((h, a, r)) = &from {
                                f.from = r.clone();
                                f.from_resource = h.clone();
                                f.from_address = Some(a.clone());
                            }
                            out.push(f);
                        }
                    }
                }
                How::Arn(_) => {
                    for at in dedup_exprs(&found) {
                        // An ARN that a conditional chooses may be in the
                        // region of any of its known branches.
                        let possible = Resolved::one_of(
                            (at.value.alternatives().iter())
                                .filter_map(|a| Some((a, arn_region(a.value.as_str()?)?)))
                                .map(|(a, region)| at_region(a, region)),
                        );
                        match at.value.value.as_str().and_then(arn_region) {
                            Some(region) => {
                                let to = Arc::new(at_region(&at.value, region));
                                out.push(flow(at, to));
                            }
                            None if !possible.alternatives().is_empty() => {
                                out.push(flow(at, Arc::new(possible)));
                            }
                            None => {
                                let targets = referred(&at.expr, None);
                                let choice = targets.len() > 1;
                                for (header, address, region) in targets {
                                    let mut f = flow(at, maybe(region, choice));
                                    f.to_resource = Some(header);
                                    f.to_address = Some(address);
                                    out.push(f);
                                }
                            }
                        }
                    }
                }
                How::SourceRef(_, _) | How::SourceArn(_) => {
                    let ty = match &entry.how {
                        How::SourceRef(_, ty) => Some(ty.as_str()),
                        _ => None,
                    };
                    for at in dedup_exprs(&found) {
                        let sources = match at.value.value.as_str().and_then(arn_region) {
                            Some(region) => {
                                vec![(at.expr.span(), None, Arc::new(at_region(&at.value, region)))]
                            }
                            None => (referred(&at.expr, ty).into_iter())
                                .map(|(h, a, r)| (h, Some(a), r))
                                .collect(),
                        };
                        for (header, address, region) in sources {
                            let mut f = flow(at, own.clone());
                            f.from = region;
                            f.from_resource = header;
                            f.from_address = address;
                            f.to_resource = Some(r.header.clone());
                            out.push(f);
                        }
                    }
                }
                How::Pair(_, kinds) => {
                    for at in &found {
                        let Some(kind) = at.value.value.as_str() else {
                            continue;
                        };
                        if !kinds.iter().any(|k| k.eq_ignore_ascii_case(kind)) {
                            continue;
                        }
                        // The location, or each it may be when a
                        // conditional that cannot be decided chooses it.
                        let (homes, known) = match own.value.as_str() {
                            Some(_) => (vec![own.clone()], true),
                            None => (
                                own.alternatives().into_iter().map(Arc::new).collect(),
                                false,
                            ),
                        };
                        for written in homes {
                            let Some(home) = (written.value.as_str())
                                .and_then(|l| regions::catalog().lookup(Cloud::Azure, l))
                            else {
                                continue;
                            };
                            let Some(pair) = cat.pairs.get(&home.code) else {
                                continue;
                            };
                            let pair = Resolved::new(Value::String(pair.clone()), None);
                            let to = if known {
                                pair
                            } else {
                                Resolved::one_of([pair])
                            };
                            let mut f = flow(at, Arc::new(to));
                            // Under the branch it may take, the data is
                            // where that branch puts it.
                            f.from = written;
                            f.paired_with = Some(home.code.clone());
                            out.push(f);
                        }
                    }
                }
                How::Members(_) => {
                    let Some(cloud) = cloud else { continue };
                    for at in &found {
                        let Some(location) = at.value.value.as_str() else {
                            continue;
                        };
                        let Some((members, what)) = cat.members_of(cloud, location) else {
                            continue;
                        };
                        for member in members {
                            let member = Resolved::new(Value::String(member), None);
                            let mut f = flow(at, Arc::new(member));
                            f.member_of = Some(what.clone());
                            f.judged_at_site = site_spans.contains(&at.expr.span());
                            out.push(f);
                        }
                    }
                }
            }
        }
    }
    out
}

/// The region of one of several resources that one value names (`var.dr ?
/// aws_s3_bucket.us.arn : aws_s3_bucket.eu.arn`): a value holds one, so the
/// copy may go to each of them, and goes to none for certain.
fn maybe(region: Arc<Resolved>, choice: bool) -> Arc<Resolved> {
    if choice {
        Arc::new(Resolved::one_of([Resolved::clone(&region)]))
    } else {
        region
    }
}

/// A region read from an ARN, keeping where the ARN was written.
fn at_region(arn: &Resolved, region: &str) -> Resolved {
    Resolved::new(Value::String(region.to_string()), arn.origin.clone())
}

/// One value per expression and value: an ARN argument is one reference,
/// however many parts of its value there are, but the blocks a `dynamic`
/// block makes each give it their own value.
fn dedup_exprs(found: &[At]) -> Vec<&At> {
    let mut seen: Vec<(Span, &Value)> = Vec::new();
    found
        .iter()
        .filter(|at| {
            let key = (at.expr.span(), &at.value.value);
            if seen.contains(&key) {
                false
            } else {
                seen.push(key);
                true
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_catalogs_parse() {
        let c = catalog();
        assert!(c.entries.len() >= 19);
        assert_eq!(
            c.pairs.get("brazilsouth").map(String::as_str),
            Some("southcentralus")
        );
        let (eu, _) = c.members_of(Cloud::Google, "EU").unwrap();
        assert!(eu.contains(&"europe-west1".to_string()));
        assert!(
            !eu.contains(&"europe-west2".to_string()),
            "London is not in the EU"
        );
        let (us, _) = c.members_of(Cloud::Google, "US").unwrap();
        assert!(us.iter().all(|r| r.starts_with("us-")) && us.len() > 5);
        let (spanner, _) = c
            .members_of(Cloud::Google, "projects/p/instanceConfigs/eur3")
            .unwrap();
        assert_eq!(spanner, ["europe-west1", "europe-west4", "europe-north1"]);
        let (regional, _) = c
            .members_of(Cloud::Google, "regional-europe-west3")
            .unwrap();
        assert_eq!(regional, ["europe-west3"]);
        assert!(c.members_of(Cloud::Google, "europe-west1").is_none());
    }

    #[test]
    fn malformed_lines_are_reported_with_their_file_and_line() {
        let e =
            Catalog::parse("# c\naws_x | sideways a.b | aws | x | - | doc\n", "", "").unwrap_err();
        assert_eq!((e.file, e.line), ("replication.txt", 2));
        assert!(e.message.contains("sideways"), "{}", e.message);
        let e = Catalog::parse("", "westeurope -> atlantis\n", "").unwrap_err();
        assert_eq!((e.file, e.line), ("azure-region-pairs.txt", 1));
        let e = Catalog::parse("", "", "google | eu | europe-west99 | x\n").unwrap_err();
        assert_eq!((e.file, e.line), ("location-members.txt", 1));
        let e = Catalog::parse("aws_x | region a | mars | x | - | d\n", "", "").unwrap_err();
        assert!(e.message.contains("mars"));
        let e = Catalog::parse("aws_x | region a | aws | x | maybe | d\n", "", "").unwrap_err();
        assert!(e.message.contains("maybe"));
    }

    #[test]
    fn regions_are_read_from_arns() {
        assert_eq!(
            arn_region("arn:aws:backup:eu-central-1:111111111111:backup-vault:dr"),
            Some("eu-central-1")
        );
        assert_eq!(arn_region("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_region("arn:aws:iam::111111111111:role/x"), None);
        assert_eq!(arn_region("not an arn"), None);
        assert_eq!(arn_region("arn:aws:kms"), None);
    }
}

#[cfg(test)]
mod flow_tests {
    use super::*;
    use crate::model::values::CliValues;

    /// (what, from, to) of every flow of a tree.
    /// The flows of a tree.
    fn computed(files: &[(&str, &str)]) -> Vec<Flow> {
        let (_dir, ws) = crate::model::load_test_tree(files);
        let values = Values::build(&ws, &CliValues::default());
        let placements = crate::model::wiring::placements(&ws, &values);
        let sites = crate::model::sites::compute(&ws, &values, &placements);
        compute(&ws, &values, &placements, &sites)
    }

    fn flows_of(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
        computed(files)
            .iter()
            .map(|f| {
                (
                    f.entry.what.clone(),
                    f.from.value.to_string(),
                    f.to.value.to_string(),
                )
            })
            .collect()
    }

    /// (what, whether the destination is known, the regions it is or may be)
    fn destinations(files: &[(&str, &str)]) -> Vec<(String, bool, Vec<String>)> {
        computed(files)
            .iter()
            .map(|f| match f.to_str() {
                Some(to) => (f.entry.what.clone(), true, vec![to.to_string()]),
                None => (
                    f.entry.what.clone(),
                    false,
                    (f.to.alternatives().iter())
                        .filter_map(|a| a.value.as_str().map(str::to_string))
                        .collect(),
                ),
            })
            .collect()
    }

    #[test]
    fn a_destination_that_a_condition_chooses_is_only_possible() {
        let got = destinations(&[(
            "main.tf",
            r#"
variable "far" {
  type = bool
}
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
resource "aws_s3_bucket" "near" {}
resource "aws_s3_bucket" "far" {
  provider = aws.us
}
resource "aws_s3_bucket" "data" {}
resource "aws_s3_bucket_replication_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    destination {
      bucket = var.far ? aws_s3_bucket.far.arn : aws_s3_bucket.near.arn
    }
  }
}
resource "aws_s3_bucket_replication_configuration" "only" {
  bucket = aws_s3_bucket.data.id
  rule {
    destination {
      bucket = aws_s3_bucket.far.arn
    }
  }
}
resource "aws_backup_plan" "p" {
  rule {
    copy_action {
      destination_vault_arn = var.far ? "arn:aws:backup:us-west-2:1:backup-vault:v" : "arn:aws:backup:eu-west-1:1:backup-vault:v"
    }
  }
}
resource "azurerm_storage_account" "s" {
  location                 = var.far ? "brazilsouth" : "westeurope"
  account_replication_type = "GRS"
}
"#,
        )]);
        let s3 = "S3 replication".to_string();
        let row = |what: &str, known: bool, to: &[&str]| {
            (
                what.to_string(),
                known,
                to.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            )
        };
        let what = |prefix: &str| {
            got.iter()
                .filter(|(w, _, _)| w.starts_with(prefix))
                .cloned()
                .collect::<Vec<_>>()
        };
        // One bucket of two: each only possibly; a bucket named alone:
        // certainly.
        assert_eq!(
            got.iter()
                .filter(|(w, _, _)| *w == s3)
                .cloned()
                .collect::<Vec<_>>(),
            [
                row(&s3, false, &["eu-west-1"]),
                row(&s3, false, &["us-east-1"]),
                row(&s3, true, &["us-east-1"]),
            ]
        );
        assert_eq!(
            what("AWS Backup"),
            [row("AWS Backup copy", false, &["us-west-2", "eu-west-1"])]
        );
        assert_eq!(
            what("geo-redundant"),
            [
                row("geo-redundant storage", false, &["southcentralus"]),
                row("geo-redundant storage", false, &["northeurope"]),
            ]
        );
    }

    #[test]
    fn a_reference_to_one_instance_copies_to_that_instance() {
        // AWS provider v6: one bucket per region through `for_each`.
        let got = destinations(&[(
            "main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
}
variable "regions" {
  default = { eu = "eu-central-1", us = "us-east-1" }
}
resource "aws_s3_bucket" "copy" {
  for_each = var.regions
  region   = each.value
}
resource "aws_s3_bucket" "data" {}
resource "aws_s3_bucket_replication_configuration" "to_us" {
  bucket = aws_s3_bucket.data.id
  rule {
    destination {
      bucket = aws_s3_bucket.copy["us"].arn
    }
  }
}
resource "aws_s3_bucket_replication_configuration" "each" {
  for_each = var.regions
  bucket   = aws_s3_bucket.data.id
  rule {
    destination {
      bucket = aws_s3_bucket.copy[each.key].arn
    }
  }
}
resource "aws_s3_bucket_replication_configuration" "any" {
  bucket = aws_s3_bucket.data.id
  rule {
    destination {
      bucket = aws_s3_bucket.copy[var.pick].arn
    }
  }
}
variable "pick" {
  type = string
}
"#,
        )]);
        let row = |known: bool, to: &[&str]| {
            (
                "S3 replication".to_string(),
                known,
                to.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            got,
            [
                // The instance named.
                row(true, &["us-east-1"]),
                // Each instance's own key.
                row(true, &["eu-central-1"]),
                row(true, &["us-east-1"]),
                // A key that cannot be known: any of the instances.
                row(false, &["eu-central-1", "us-east-1"]),
            ]
        );
    }

    #[test]
    fn a_dynamic_block_inside_a_dynamic_block_reads_the_outer_iterator() {
        let got = destinations(&[(
            "main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
}
variable "rules" {
  default = [
    { id = "a", to = ["arn:aws:backup:us-east-1:1:backup-vault:v"] },
    { id = "b", to = ["arn:aws:backup:eu-north-1:1:backup-vault:v", "arn:aws:backup:eu-west-2:1:backup-vault:v"] },
  ]
}
resource "aws_backup_plan" "p" {
  dynamic "rule" {
    for_each = var.rules
    content {
      dynamic "copy_action" {
        for_each = rule.value.to
        content {
          destination_vault_arn = copy_action.value
        }
      }
    }
  }
}
"#,
        )]);
        let to: Vec<(bool, Vec<String>)> = got.into_iter().map(|(_, k, t)| (k, t)).collect();
        let known = |r: &str| (true, vec![r.to_string()]);
        assert_eq!(
            to,
            [known("us-east-1"), known("eu-north-1"), known("eu-west-2")]
        );
    }

    fn row(what: &str, from: &str, to: &str) -> (String, String, String) {
        (what.to_string(), from.to_string(), to.to_string())
    }

    #[test]
    fn aurora_replicas_and_global_members_copy_from_their_source() {
        let got = flows_of(&[(
            "main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}
resource "aws_rds_global_cluster" "g" {
  global_cluster_identifier = "g"
}
resource "aws_rds_cluster" "primary" {
  global_cluster_identifier = aws_rds_global_cluster.g.id
}
resource "aws_rds_cluster" "secondary" {
  provider                  = aws.dr
  global_cluster_identifier = aws_rds_global_cluster.g.id
}
resource "aws_rds_cluster" "replica" {
  provider                      = aws.dr
  replication_source_identifier = "arn:aws:rds:us-east-1:111122223333:cluster:source"
}
"#,
        )]);
        assert_eq!(
            got,
            [
                row(
                    "Aurora global database member",
                    "\"eu-west-1\"",
                    "\"eu-west-1\""
                ),
                row(
                    "Aurora global database member",
                    "\"eu-west-1\"",
                    "\"eu-central-1\""
                ),
                row(
                    "Aurora cross-region replica",
                    "\"us-east-1\"",
                    "\"eu-central-1\""
                ),
            ]
        );
    }

    #[test]
    fn a_cluster_on_several_clouds_reads_its_cloud_from_an_argument() {
        let got = flows_of(&[(
            "main.tf",
            r#"
resource "cockroach_cluster" "gcp" {
  cloud_provider = "GCP"
  regions        = [{ name = "europe-west1" }, { name = "us-east1" }]
}
resource "google_storage_bucket" "b" {
  location = "NAM4"
}
"#,
        )]);
        assert_eq!(
            got,
            [
                row("CockroachDB cluster region", "null", "\"europe-west1\""),
                row("CockroachDB cluster region", "null", "\"us-east1\""),
                row("Cloud Storage location", "\"NAM4\"", "\"us-central1\""),
                row("Cloud Storage location", "\"NAM4\"", "\"us-east1\""),
            ]
        );
    }
}
