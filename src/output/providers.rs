//! `tfpin providers`: for each root module, its modules, what each requires
//! of each provider, the effective constraint, the lock file's verdict, and
//! every provider configuration with its resolved region.

use crate::constraint::{self, Kind};
use crate::eval::{OriginKind, Value};
use crate::model::requirements::{self, TreeRequirements};
use crate::model::values::Values;
use crate::model::{Place, Role, Workspace};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct View {
    pub roots: Vec<RootView>,
}

#[derive(Debug, Serialize)]
pub struct RootView {
    pub root: String,
    /// `module`, or `stack` for a Terraform Stacks root.
    pub kind: &'static str,
    /// The engine whose reading this is (`terraform` or `opentofu`); a
    /// root written for both engines is listed once for each.
    pub engine: &'static str,
    /// Why tfpin decided the root is written for OpenTofu too, or alone,
    /// when the setting left it to decide.
    pub engine_reason: Option<String>,
    /// What the root is for (`deployed-root`, `example-root`,
    /// `test-fixture`, `reusable-module` or `legacy`), and why.
    pub role: Role,
    pub role_reason: String,
    pub lock_file: Option<String>,
    pub modules: Vec<ModuleView>,
    pub providers: Vec<ProviderView>,
    pub configurations: Vec<ConfigView>,
}

#[derive(Debug, Serialize)]
pub struct ModuleView {
    pub path: String,
    /// Where the module stands in the call graph: `root` or `child`.
    pub place: &'static str,
    /// What the module is for.
    pub role: Role,
}

#[derive(Debug, Serialize)]
pub struct ProviderView {
    pub address: String,
    pub requirements: Vec<RequirementView>,
    /// The normalised intersection, as Terraform writes it to the lock file.
    pub effective: String,
    pub bounded: bool,
    pub satisfiable: bool,
    /// Some module's constraint is invalid, so `effective` leaves it out.
    pub incomplete: bool,
    pub locked: Option<String>,
    /// Whether the locked version satisfies the effective constraint; null
    /// when nothing is locked.
    pub satisfied: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct RequirementView {
    pub module: String,
    pub local_name: String,
    /// The constraint as written; null when the module sets none.
    pub constraint: Option<String>,
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Serialize)]
pub struct ConfigView {
    pub module: String,
    /// Terraform's address of the module instance (`` for the root).
    pub instance: String,
    /// `aws` or `aws.west`.
    pub provider: String,
    /// The resolved region; null when not set or not known statically.
    pub region: Option<String>,
    /// Where the region's value was written, such as `terraform.tfvars:1`.
    pub region_from: Option<String>,
    /// `set`, `unknown` (set, but not statically known) or `unset`.
    pub region_state: &'static str,
}

/// Gathers the view for every root tree that holds a module named on the
/// command line (a named child module is shown in its callers' trees), in
/// each engine's reading it is written for, sorted by root and engine.
pub fn build(readings: &[crate::engine::Reading]) -> View {
    let mut roots: Vec<RootView> = Vec::new();
    for r in readings {
        let ws = &r.ws;
        let values = Values::build(ws, &r.cli);
        let trees = requirements::compute(ws);
        let shown = r.shown_roots();
        for t in &trees {
            let Some((_, why)) = shown.iter().find(|(id, _)| *id == t.root) else {
                continue;
            };
            let mut view = root_view(ws, &values, t);
            view.engine_reason = why.clone();
            roots.push(view);
        }
    }
    // Terraform's reading before OpenTofu's.
    roots.sort_by_key(|r| (r.root.clone(), r.engine != "terraform"));
    View { roots }
}

fn root_view(ws: &Workspace, values: &Values<'_>, tree: &TreeRequirements) -> RootView {
    let root = ws.module(tree.root);
    let lock = root.lock.as_ref();
    let modules = tree
        .modules
        .iter()
        .map(|id| {
            let m = ws.module(*id);
            ModuleView {
                path: m.display.clone(),
                place: match m.place {
                    Place::Root => "root",
                    Place::Child => "child",
                },
                role: m.role,
            }
        })
        .collect();
    let providers = tree
        .providers
        .values()
        .map(|p| {
            let locked = lock
                .and_then(|l| l.entry_in(&p.addr, ws.engine))
                .and_then(|e| e.version.as_ref())
                .map(|v| v.value.clone());
            let satisfied = locked.as_ref().map(|v| {
                constraint::parse_version(Kind::Provider, v).is_ok_and(|v| p.effective.matches(&v))
            });
            ProviderView {
                address: p.addr.to_string(),
                requirements: p
                    .contributions
                    .iter()
                    .map(|c| {
                        let m = ws.module(c.module);
                        let span = c.span(&m.config);
                        let file = ws.sources.get(span.file);
                        RequirementView {
                            module: m.display.clone(),
                            local_name: c.local_name.to_string(),
                            constraint: c.version.map(|v| v.value.clone()),
                            file: file.display.clone(),
                            line: file.line_col(span.range.start).line,
                        }
                    })
                    .collect(),
                effective: p.effective.normalized(),
                bounded: p.bounded,
                satisfiable: p.satisfiable,
                incomplete: p.has_invalid,
                locked,
                satisfied,
            }
        })
        .collect();
    let mut configurations = Vec::new();
    for (i, inst) in values.instances.iter().enumerate() {
        if inst.root != tree.root {
            continue;
        }
        let m = ws.module(inst.module);
        for pc in &m.config.provider_configs {
            let (region, region_from, region_state) = match pc.region() {
                None => (None, None, "unset"),
                Some(expr) => {
                    let r = values.eval(i, expr);
                    let from = written_at(ws, &r);
                    match r.value {
                        Value::String(s) => (Some(s), from, "set"),
                        _ => (None, None, "unknown"),
                    }
                }
            };
            configurations.push(ConfigView {
                module: m.display.clone(),
                instance: inst.address.clone(),
                provider: pc.reference(),
                region,
                region_from,
                region_state,
            });
        }
    }
    RootView {
        root: root.display.clone(),
        kind: if root.is_stack() { "stack" } else { "module" },
        engine: ws.engine.id(),
        engine_reason: None,
        role: root.role,
        role_reason: root.role_reason.clone(),
        lock_file: lock.map(|l| ws.sources.get(l.file).display.clone()),
        modules,
        providers,
        configurations,
    }
}

/// Where a resolved value was written, as `file:line` from the project
/// root, `--var NAME` or `TF_VAR_NAME`; `None` when no place is known.
pub(crate) fn written_at(ws: &Workspace, r: &crate::eval::Resolved) -> Option<String> {
    let o = r.origin.as_ref()?;
    match &o.kind {
        OriginKind::CliVar { name } => return Some(format!("--var {name}")),
        OriginKind::EnvVar { name } => return Some(format!("TF_VAR_{name}")),
        _ => {}
    }
    let span = o.span.as_ref()?;
    let f = ws.sources.get(span.file);
    let line = f.line_col(span.range.start).line;
    Some(format!("{}:{line}", f.display))
}

pub fn render_json(view: &View) -> String {
    let mut s = serde_json::to_string_pretty(view)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialise: {e}\"}}"));
    s.push('\n');
    s
}

/// The text report. Names and values from the tree are shown with their
/// control characters escaped.
pub fn render_text(view: &View) -> String {
    crate::text::visible_lines(&text(view)).into_owned()
}

fn text(view: &View) -> String {
    let mut out = String::new();
    if view.roots.is_empty() {
        out.push_str("no root modules found\n");
        return out;
    }
    for (ri, r) in view.roots.iter().enumerate() {
        if ri > 0 {
            out.push('\n');
        }
        let children = r.modules.len().saturating_sub(1);
        let engine = crate::fileset::Engine::ALL
            .into_iter()
            .find(|e| e.id() == r.engine)
            .map_or(r.engine, |e| e.name());
        out.push_str(&format!(
            "{} ({}{}, {engine})\n",
            r.root,
            if r.kind == "stack" { "stack" } else { "root" },
            match children {
                0 => String::new(),
                1 => ", 1 local module".to_string(),
                n => format!(", {n} local modules"),
            }
        ));
        out.push_str(&format!("  role: {} ({})\n", r.role.label(), r.role_reason));
        if let Some(why) = &r.engine_reason {
            out.push_str(&format!("  engine: {why}\n"));
        }
        let lock = r.lock_file.as_deref().unwrap_or("no lock file");
        out.push_str(&format!("  lock: {lock}\n"));
        if r.providers.is_empty() {
            out.push_str("  providers: none required\n");
        }
        // Each table is as wide as its longest entry, so that no column
        // runs into the next.
        let req_w = (r.providers.iter())
            .flat_map(|p| &p.requirements)
            .map(|q| q.module.chars().count())
            .max()
            .unwrap_or(0);
        let at_w = (r.configurations.iter())
            .map(|c| c.instance.chars().count().max(4))
            .max()
            .unwrap_or(0);
        let prov_w = (r.configurations.iter())
            .map(|c| c.provider.chars().count())
            .max()
            .unwrap_or(0);
        for p in &r.providers {
            let effective = if p.effective.is_empty() {
                "any version".to_string()
            } else {
                format!("\"{}\"", p.effective)
            };
            let verdict = if p.incomplete {
                "incomplete: a constraint is invalid"
            } else if !p.satisfiable {
                "unsatisfiable"
            } else if p.bounded {
                "bounded"
            } else {
                "unbounded"
            };
            let locked = match (&p.locked, p.satisfied) {
                (Some(v), Some(true)) => format!("locked {v} (satisfies)"),
                (Some(v), _) => format!("locked {v} (does not satisfy)"),
                (None, _) => "not locked".to_string(),
            };
            let short = p
                .address
                .strip_prefix("registry.terraform.io/")
                .or_else(|| p.address.strip_prefix("registry.opentofu.org/"))
                .unwrap_or(&p.address);
            out.push_str(&format!(
                "  provider {short}: {effective}, {verdict}, {locked}\n"
            ));
            let quoted: Vec<String> = (p.requirements.iter())
                .map(|req| {
                    (req.constraint.as_ref())
                        .map(|c| format!("\"{c}\""))
                        .unwrap_or_else(|| "no constraint".to_string())
                })
                .collect();
            let c_w = quoted.iter().map(|c| c.chars().count()).max().unwrap_or(0);
            for (req, c) in p.requirements.iter().zip(&quoted) {
                out.push_str(&format!(
                    "    {:<req_w$}  {c:<c_w$}  ({}:{})\n",
                    req.module, req.file, req.line
                ));
            }
        }
        if !r.configurations.is_empty() {
            out.push_str("  configurations:\n");
            for c in &r.configurations {
                let at = if c.instance.is_empty() {
                    "root".to_string()
                } else {
                    c.instance.clone()
                };
                let region = match (c.region_state, &c.region, &c.region_from) {
                    ("set", Some(r), Some(from)) => format!("region {r} (from {from})"),
                    ("set", Some(r), None) => format!("region {r}"),
                    ("unknown", _, _) => "region not known statically".to_string(),
                    _ => "no region".to_string(),
                };
                out.push_str(&format!(
                    "    {:<at_w$}  {:<prov_w$}  {region}\n",
                    at, c.provider
                ));
            }
        }
    }
    out
}
