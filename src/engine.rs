//! Runs the enabled rules over a loaded workspace and turns their output
//! into the final, sorted and fingerprinted list of findings.

use crate::config::Settings;
use crate::fileset::{Engine, EngineChoice};
use crate::finding::{self, Finding, Scope, Severity};
use crate::model::engines::Engines;
use crate::model::roles::{self, RoleSet};
use crate::model::values::{self, CliValues, Values};
use crate::model::{self, Module, Workspace};
use crate::rules::{self, Context};
use crate::source::SourceFile;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The result of `tfpin check`.
#[derive(Debug)]
pub struct Report {
    /// The reading the findings point into: Terraform's, unless only
    /// OpenTofu's was checked. Files that only another engine reads are
    /// added to its sources.
    pub workspace: Workspace,
    /// Each root tree, with the engines it was checked for.
    pub roots: Vec<RootEngines>,
    /// Files read, over every engine's reading.
    pub files_read: usize,
    /// The modules checked (named for checking), over every engine's
    /// reading, as shown, sorted.
    pub modules_checked: Vec<String>,
    pub findings: Vec<Finding>,
    /// Findings left out because a baseline records them.
    pub baselined: usize,
    /// Findings left out of the report because they are below
    /// `--min-severity`.
    pub below_min_severity: usize,
    /// The rules that ran, sorted by id. Formats that list what was
    /// checked (JUnit test cases, SARIF) need the clean ones too.
    pub rules: Vec<&'static rules::RuleMeta>,
}

/// Counts for the summary line and the JSON summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub modules: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files_read,
            modules: self.modules_checked.len(),
            ..Summary::default()
        };
        for f in &self.findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }

    /// Whether any finding is at or above a severity.
    pub fn has_at_least(&self, sev: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= sev)
    }
}

/// What becomes of a check's working data (the module instances and their
/// values, the requirements, placements and sites) once the findings are
/// final. The report does not hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Teardown {
    /// Free it, while the findings are sorted and fingerprinted.
    Free,
    /// Leave it allocated, for a process that exits once the report is
    /// written: the system takes the memory back faster than freeing it
    /// piece by piece would, and the sort gets every thread.
    Leak,
}

/// Loads the tree under `paths` (absolute, or relative to `cwd`) and checks
/// it, freeing what the report does not hold.
pub fn check(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
) -> Result<Report, model::workspace::UsageError> {
    check_with(cwd, paths, settings, Teardown::Free)
}

/// A root tree and the engines it is checked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootEngines {
    /// The root module's directory, as shown.
    pub module: String,
    pub engines: Engines,
    /// Why, when the engines were decided from the tree (`engine = "auto"`)
    /// and are not Terraform's alone.
    pub reason: Option<String>,
    /// What the root is for (see [`crate::model::roles`]), and why.
    pub role: crate::model::Role,
    pub role_reason: String,
}

/// [`check`], saying what becomes of the working data.
///
/// Each engine the setting may need reads the tree its own way (its file
/// set, its registry); the rules run over each reading, and a finding is
/// kept from the readings of the engines its module's trees are written
/// for. A finding that holds in only one of two readings says which.
pub fn check_with(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
    teardown: Teardown,
) -> Result<Report, model::workspace::UsageError> {
    check_over(cwd, paths, settings, teardown, None)
}

/// [`check_with`], reading the texts of `overlay` in place of the files on
/// disk they stand for: how a fix run checks what it would write.
pub fn check_over(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
    teardown: Teardown,
    overlay: Option<&crate::fix::Overlay>,
) -> Result<Report, model::workspace::UsageError> {
    let mut views: Vec<View> = load_readings_over(cwd, paths, settings, overlay)?
        .into_iter()
        .map(|r| r.check(settings, teardown))
        .collect();
    // The reading findings point into: Terraform's, unless no tree is
    // written for Terraform.
    if views.len() == 2 && views[0].decision.roots.iter().all(|(_, e, _)| !e.terraform) {
        views.swap(0, 1);
    }
    let mut views = views.into_iter();
    let mut primary = views.next().expect("one reading at least");
    let other = views.next();

    // Each reading lists the roots written for its engine (with a single
    // reading, every root).
    let single = other.is_none();
    let own = |v: &View| -> Vec<RootEngines> {
        let engine = v.ws.engine;
        (v.root_engines().into_iter())
            .filter(|r| single || r.engines.contains(engine))
            .collect()
    };
    let mut roots: Vec<RootEngines> = own(&primary);
    let mut modules: crate::HashSet<String> =
        primary.ws.targets().map(|m| m.display.clone()).collect();
    let mut files_read = primary.ws.files_read;
    let mut findings = primary.kept_findings();
    if let Some(mut other) = other {
        let seen: crate::HashSet<String> = roots.iter().map(|r| r.module.clone()).collect();
        roots.extend(
            own(&other)
                .into_iter()
                .filter(|r| !seen.contains(&r.module)),
        );
        modules.extend(other.ws.targets().map(|m| m.display.clone()));
        let engine = other.ws.engine;
        let mut theirs = other.kept_findings();
        // Into the primary reading's files, adding those it did not read.
        let mut by_display: crate::HashMap<String, crate::source::FileId> = primary
            .ws
            .sources
            .iter()
            .map(|(id, f)| (f.display.clone(), id))
            .collect();
        // Files only the other engine reads count as read too.
        files_read += (other.ws.sources.iter())
            .filter(|(_, f)| !by_display.contains_key(&f.display))
            .count();
        let mut remap = |id: crate::source::FileId, ws: &mut Workspace| {
            let f = other.ws.sources.get(id);
            *by_display.entry(f.display.clone()).or_insert_with(|| {
                ws.sources
                    .add(SourceFile::new(f.display.clone(), (*f.text).clone()))
            })
        };
        for f in &mut theirs {
            f.span.file = remap(f.span.file, &mut primary.ws);
            for l in &mut f.labels {
                l.span.file = remap(l.span.file, &mut primary.ws);
            }
        }
        merge_readings(
            &mut findings,
            theirs,
            (primary.ws.engine, &primary.engines_by_display()),
            (engine, &other.engines_by_display()),
        );
        finding::sort(&mut findings, &primary.ws.sources);
        // Numbered again over both readings: a finding only one reading
        // has can be equal, but for its message, to one of the other's.
        finding::assign_fingerprints(&mut findings, &primary.ws.sources);
        if teardown == Teardown::Leak {
            std::mem::forget(other.ws);
        }
    }
    roots.sort_by(|a, b| a.module.cmp(&b.module));
    let rules = enabled_rules(settings).map(|r| r.meta()).collect();
    Ok(Report {
        workspace: primary.ws,
        roots,
        files_read,
        modules_checked: {
            let mut m: Vec<String> = modules.into_iter().collect();
            m.sort();
            m
        },
        findings,
        baselined: 0,
        below_min_severity: 0,
        rules,
    })
}

/// One engine's reading of the tree, checked.
struct View {
    ws: Workspace,
    decision: crate::model::engines::Decision,
    findings: Vec<Finding>,
}

impl View {
    fn root_engines(&self) -> Vec<RootEngines> {
        let ws = &self.ws;
        (self.decision.roots.iter())
            .map(|(id, engines, why)| {
                let m = ws.module(*id);
                RootEngines {
                    module: m.display.clone(),
                    engines: *engines,
                    reason: why.clone(),
                    role: m.role,
                    role_reason: m.role_reason.clone(),
                }
            })
            .collect()
    }

    /// The engines each module (by its display) is checked for.
    fn engines_by_display(&self) -> crate::HashMap<&str, Engines> {
        (self.ws.modules.iter())
            .map(|m| (m.display.as_str(), self.decision.modules[m.id.0 as usize]))
            .collect()
    }

    /// The findings about modules this reading's engine is checked for.
    fn kept_findings(&mut self) -> Vec<Finding> {
        let engine = self.ws.engine;
        let mut findings = std::mem::take(&mut self.findings);
        let by_display = self.engines_by_display();
        findings.retain(|f| {
            by_display
                .get(f.module.as_str())
                .is_none_or(|e| e.contains(engine))
        });
        findings
    }
}

/// Adds the findings of a second reading to the first's: a finding both
/// readings have is kept once, and so is one both make about the same
/// module in the same words at twin places (a `.tf` file and its `.tofu`
/// twin), with the other place as a label. One that only one reading has,
/// about a module checked for both engines, says which engine it holds
/// for.
fn merge_readings(
    ours: &mut Vec<Finding>,
    theirs: Vec<Finding>,
    (our_engine, our_modules): (Engine, &crate::HashMap<&str, Engines>),
    (their_engine, their_modules): (Engine, &crate::HashMap<&str, Engines>),
) {
    type Exact = (&'static str, crate::source::FileId, usize, usize, String);
    let exact = |f: &Finding| -> Exact {
        (
            f.rule,
            f.span.file,
            f.span.range.start,
            f.span.range.end,
            f.message.clone(),
        )
    };
    type Said = (&'static str, String, String);
    let said = |f: &Finding| -> Said { (f.rule, f.module.clone(), f.message.clone()) };
    let our_exact: crate::HashSet<Exact> = ours.iter().map(exact).collect();
    let mut our_said: crate::HashMap<Said, Vec<usize>> = crate::HashMap::default();
    for (i, f) in ours.iter().enumerate() {
        our_said.entry(said(f)).or_default().push(i);
    }
    let mut shared = vec![false; ours.len()];
    let mut added = Vec::new();
    for f in theirs {
        if our_exact.contains(&exact(&f)) {
            if let Some(i) = our_said
                .get(&said(&f))
                .and_then(|v| v.iter().copied().find(|&i| exact(&ours[i]) == exact(&f)))
            {
                shared[i] = true;
            }
            continue;
        }
        let twin = our_said
            .get_mut(&said(&f))
            .and_then(|v| v.iter().position(|&i| !shared[i]).map(|k| v.remove(k)));
        match twin {
            Some(i) => {
                shared[i] = true;
                ours[i].labels.push(crate::finding::Label {
                    span: f.span,
                    message: format!("the same in {their_engine}'s reading"),
                });
            }
            None => added.push(f),
        }
    }
    let only = |f: &mut Finding, engine: Engine, modules: &crate::HashMap<&str, Engines>| {
        if modules.get(f.module.as_str()).is_some_and(|e| e.is_both()) {
            f.message.push_str(&format!(" ({} only)", engine.name()));
        }
    };
    for (f, shared) in ours.iter_mut().zip(shared) {
        if !shared {
            only(f, our_engine, our_modules);
        }
    }
    for mut f in added {
        only(&mut f, their_engine, their_modules);
        ours.push(f);
    }
}

/// One engine's reading of the tree: what it loads, the command-line
/// values, and the engines each of its trees is written for.
pub struct Reading {
    pub ws: Workspace,
    pub cli: CliValues,
    pub decision: crate::model::engines::Decision,
    /// The settings that govern each module, by module id (see
    /// [`crate::layers`]).
    pub module_settings: Vec<std::sync::Arc<Settings>>,
}

/// Every reading the `engine` setting asks for: Terraform's, OpenTofu's,
/// or, left to decide, Terraform's and also OpenTofu's when some tree has
/// OpenTofu files or is written for OpenTofu (see [`crate::model::engines`]).
pub fn load_readings(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
) -> Result<Vec<Reading>, model::workspace::UsageError> {
    load_readings_over(cwd, paths, settings, None)
}

pub fn load_readings_over(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
    overlay: Option<&crate::fix::Overlay>,
) -> Result<Vec<Reading>, model::workspace::UsageError> {
    let read = |engine| {
        let (ws, cli, module_settings) = load_governed(cwd, paths, settings, engine, overlay)?;
        let decision = crate::model::engines::decide(&ws, settings.engine);
        Ok::<_, model::workspace::UsageError>(Reading {
            ws,
            cli,
            decision,
            module_settings,
        })
    };
    let choice = settings.engine;
    let first = read(match choice {
        EngineChoice::OpenTofu => Engine::OpenTofu,
        _ => Engine::Terraform,
    })?;
    let wants_tofu = match choice {
        EngineChoice::Both => true,
        EngineChoice::Auto => {
            first.ws.opentofu_files || first.decision.roots.iter().any(|(_, e, _)| e.opentofu)
        }
        _ => false,
    };
    let mut readings = vec![first];
    if wants_tofu {
        readings.push(read(Engine::OpenTofu)?);
    }
    if !readings.iter().any(|r| read_something(&r.ws)) {
        nothing_read(&readings[0].ws, cwd, paths)?;
    }
    Ok(readings)
}

/// Whether some file of some module was read, whole or not.
fn read_something(ws: &Workspace) -> bool {
    let unread: crate::HashSet<crate::source::FileId> = (ws.problems.iter())
        .filter(|p| p.kind == model::ProblemKind::Unreadable)
        .map(|p| p.span.file)
        .collect();
    (ws.modules.iter())
        .flat_map(|m| m.all_files())
        .any(|f| !unread.contains(&f))
}

/// Why a reading that read nothing cannot be checked: what could not be
/// read, or where no Terraform file was found. A run whose every path is a
/// Terraform file that is gone, as pre-commit passes a deleted file, has
/// nothing to check and is no error.
fn nothing_read(
    ws: &Workspace,
    cwd: &Path,
    paths: &[PathBuf],
) -> Result<(), model::workspace::UsageError> {
    /// How many of the problems are named.
    const SHOWN: usize = 3;
    let unreadable: Vec<String> = (ws.problems.iter())
        .filter(|p| p.kind == model::ProblemKind::Unreadable)
        .map(|p| {
            format!(
                "`{}`: {}",
                ws.shown(&ws.sources.get(p.span.file).display),
                p.message
            )
        })
        .collect();
    if !unreadable.is_empty() {
        let mut shown = unreadable[..unreadable.len().min(SHOWN)].join("; ");
        if unreadable.len() > SHOWN {
            shown.push_str(&format!("; and {} more", unreadable.len() - SHOWN));
        }
        return Err(model::workspace::UsageError(format!(
            "nothing could be read: {shown}"
        )));
    }
    let places: Vec<String> = (paths.iter())
        .filter_map(|p| {
            let path = cwd.join(p);
            match std::fs::symlink_metadata(&path) {
                Ok(_) if path.is_dir() => Some(format!("under `{}`", p.display())),
                Ok(_) => Some(format!("beside `{}`", p.display())),
                Err(_) => None,
            }
        })
        .collect();
    if places.is_empty() {
        return Ok(());
    }
    Err(model::workspace::UsageError(format!(
        "no Terraform files found {}",
        places.join(" or ")
    )))
}

impl Reading {
    /// The roots a view of this reading (`tfpin providers`, `tfpin
    /// regions`) shows: those of the trees that hold a module named on the
    /// command line (a named child module is shown in its callers' trees)
    /// and are written for this reading's engine, each with why tfpin
    /// decided the engine, when it did.
    pub fn shown_roots(&self) -> Vec<(model::ModuleId, Option<String>)> {
        let ws = &self.ws;
        (self.decision.roots.iter())
            .filter(|(_, engines, _)| engines.contains(ws.engine))
            .filter(|(id, _, _)| ws.tree(*id).iter().any(|m| ws.module(*m).target))
            .map(|(id, _, why)| (*id, why.clone()))
            .collect()
    }

    /// Runs the rules over this reading.
    fn check(self, settings: &Settings, teardown: Teardown) -> View {
        let Reading {
            ws,
            cli,
            decision,
            module_settings,
        } = self;
        let findings = {
            let values = Values::build(&ws, &cli);
            let (raw, derived) = rule_findings(&ws, &values, settings, &module_settings);
            // Nothing reads the values, or what the rules shared, after
            // the rules.
            match teardown {
                Teardown::Free => {
                    let (findings, ()) = rayon::join(
                        || finish(&ws, raw),
                        move || {
                            drop(derived);
                            drop(values);
                        },
                    );
                    findings
                }
                Teardown::Leak => {
                    std::mem::forget(derived);
                    std::mem::forget(values);
                    finish(&ws, raw)
                }
            }
        };
        View {
            ws,
            decision,
            findings,
        }
    }
}

/// Loads the tree under `paths` and the command-line variable values, the
/// shared first half of every command that reads a tree: as Terraform
/// reads it, unless the setting is OpenTofu alone.
pub fn load(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
) -> Result<(Workspace, CliValues), model::workspace::UsageError> {
    let engine = match settings.engine {
        EngineChoice::OpenTofu => Engine::OpenTofu,
        _ => Engine::Terraform,
    };
    load_as(cwd, paths, settings, engine)
}

/// [`load`], as one engine reads the tree.
pub fn load_as(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
    engine: Engine,
) -> Result<(Workspace, CliValues), model::workspace::UsageError> {
    let (ws, cli, _) = load_governed(cwd, paths, settings, engine, None)?;
    Ok((ws, cli))
}

/// [`load_as`], with the settings that govern each module, by module id
/// (see [`crate::layers`]); each module's role is decided by its own.
fn load_governed(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
    engine: Engine,
    overlay: Option<&crate::fix::Overlay>,
) -> Result<(Workspace, CliValues, Vec<std::sync::Arc<Settings>>), model::workspace::UsageError> {
    let abs: Vec<PathBuf> = paths
        .iter()
        .map(|p| model::workspace::normalize(&cwd.join(p)))
        .collect();
    let exclude = settings.exclude_set();
    let exclude_base = (settings.exclude_base.clone())
        .or_else(|| {
            (settings.config_path.as_deref())
                .and_then(Path::parent)
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| cwd.to_path_buf());
    let root = crate::project::root_of_all(&abs)?;
    let mut ws = model::load(&model::LoadOptions {
        cwd,
        root: &root.dir,
        paths: &abs,
        exclude: &exclude,
        exclude_base: &exclude_base,
        engine,
        // With a hierarchy, roles wait for each module's settings.
        roles: settings.hierarchy.is_none().then_some(&settings.roles),
        overlay,
    })?;
    let module_settings = crate::layers::per_module(&ws, settings)?;
    if settings.hierarchy.is_some() {
        let each: Vec<&crate::model::roles::RoleSettings> =
            module_settings.iter().map(|s| &s.roles).collect();
        roles::assign_each(&mut ws, &each);
    }
    let cli = read_cli_values(&mut ws, settings)?;
    Ok((ws, cli, module_settings))
}

/// Reads `--var-file` files (adding them to the source map, so values from
/// them can point back at them) and collects `--var` values. A variables
/// file that Terraform would reject stops the run, as it stops Terraform.
fn read_cli_values(
    ws: &mut Workspace,
    settings: &Settings,
) -> Result<CliValues, model::workspace::UsageError> {
    let mut cli = CliValues {
        var_files: Vec::new(),
        vars: settings.vars.clone(),
    };
    for path in &settings.var_files {
        let display = crate::source::display_path(path, &ws.root);
        let fail = |msg: String| {
            model::workspace::UsageError(format!("variables file `{display}`: {msg}"))
        };
        let bytes = std::fs::read(path).map_err(|e| fail(crate::discover::io_reason(&e)))?;
        let text = crate::parse::decode(&bytes)
            .map_err(|p| fail(p.to_string()))?
            .into_owned();
        ws.files_read += 1;
        let id = ws.sources.add(SourceFile::new(display.clone(), text));
        let text = ws.sources.get(id).text.clone();
        let tfvars = values::read_var_file(id, &display, &text).map_err(|e| {
            let lc = ws.sources.get(id).line_col(e.span.range.start);
            fail(format!("{}:{}: {}", lc.line, lc.column, e.message))
        })?;
        if let Some(e) = tfvars.errors.first() {
            let lc = ws.sources.get(id).line_col(e.span.range.start);
            return Err(fail(format!("{}:{}: {}", lc.line, lc.column, e.message)));
        }
        cli.var_files.push(tfvars);
    }
    Ok(cli)
}

/// The rules the settings enable, in registry (id) order.
fn enabled_rules(settings: &Settings) -> impl Iterator<Item = &'static dyn rules::Rule> + '_ {
    rules::REGISTRY
        .iter()
        .copied()
        .filter(|r| settings.is_enabled(r.meta().id, r.meta().default_enabled))
}

/// The rules enabled for some module: each runs once, and its findings
/// are kept where the module's own settings enable it.
fn rules_enabled_anywhere<'a>(
    settings: &'a Settings,
    module_settings: &'a [std::sync::Arc<Settings>],
) -> impl Iterator<Item = &'static dyn rules::Rule> + 'a {
    rules::REGISTRY.iter().copied().filter(move |r| {
        let (id, default) = (r.meta().id, r.meta().default_enabled);
        settings.is_enabled(id, default)
            || module_settings.iter().any(|s| s.is_enabled(id, default))
    })
}

/// What the rules of one run share, worked out once: returned so that the
/// caller decides when to free it.
struct Derived<'w> {
    _trees: Vec<crate::model::requirements::TreeRequirements<'w>>,
    _placements: std::sync::OnceLock<Vec<crate::model::wiring::Placement>>,
    _sites: std::sync::OnceLock<Vec<crate::model::sites::Site>>,
    _flows: std::sync::OnceLock<Vec<crate::model::flows::Flow>>,
}

/// Runs every enabled rule: their findings for the modules named for
/// checking, with inline ignores applied, in no set order.
fn rule_findings<'w>(
    ws: &'w Workspace,
    values: &Values<'w>,
    settings: &Settings,
    module_settings: &[std::sync::Arc<Settings>],
) -> (Vec<Finding>, Derived<'w>) {
    let (early, late): (Vec<_>, Vec<_>) = rules_enabled_anywhere(settings, module_settings)
        .partition(|r| !r.meta().after_suppression);
    let placements = std::sync::OnceLock::new();
    let sites = std::sync::OnceLock::new();
    let flows = std::sync::OnceLock::new();
    // Placements and sites are shared by several rules; worked out here,
    // each pass uses every thread, where a rule that asked first would
    // leave the others blocked on it. They do not depend on the
    // requirements, so both are worked out at once.
    let needs_placements = early.iter().chain(&late).any(|r| r.meta().uses_placements);
    let (trees, ()) = rayon::join(
        || crate::model::requirements::compute(ws),
        || {
            if needs_placements {
                let p = placements.get_or_init(|| crate::model::wiring::placements(ws, values));
                sites.get_or_init(|| crate::model::sites::compute(ws, values, p));
            }
        },
    );
    let mut settings_of_file: Vec<Option<&Settings>> = vec![None; ws.sources.len()];
    for (m, s) in ws.modules.iter().zip(module_settings) {
        for id in m.files.iter().chain(&m.auto_vars).chain(&m.other_files) {
            settings_of_file[id.0 as usize] = Some(s);
        }
    }
    let file_settings = |id: crate::source::FileId| -> &Settings {
        settings_of_file
            .get(id.0 as usize)
            .copied()
            .flatten()
            .unwrap_or(settings)
    };
    let run = |rules: &[&'static dyn rules::Rule], suppressions: &[crate::suppress::RuleUse]| {
        rules
            .par_iter()
            .flat_map_iter(|rule| {
                let cx = Context {
                    ws,
                    values,
                    trees: &trees,
                    settings,
                    module_settings,
                    placements: &placements,
                    sites: &sites,
                    flows: &flows,
                    suppressions,
                    rule: rule.meta(),
                };
                let mut out = Vec::new();
                rule.check(&cx, &mut out);
                // Each finding as the settings of its module say.
                let (id, default) = (rule.meta().id, rule.meta().default_enabled);
                out.retain_mut(|f| {
                    let s = file_settings(f.span.file);
                    if let Some(sev) = s.severity_override(id) {
                        f.severity = sev;
                    }
                    s.is_enabled(id, default)
                });
                out
            })
            .collect::<Vec<Finding>>()
    };

    // Findings are reported for the modules named for checking, and
    // elsewhere when a named module takes part in them: one of their
    // labels lies in it, or they were made in a root tree or module
    // instance reached through it. Modules read only as context (callers
    // and callees of the named ones) are not reported on otherwise.
    let mut owner: Vec<Option<&Module>> = vec![None; ws.sources.len()];
    for m in &ws.modules {
        for id in m.files.iter().chain(&m.auto_vars).chain(&m.other_files) {
            owner[id.0 as usize] = Some(m);
        }
    }
    let named_file = |id: crate::source::FileId| {
        owner
            .get(id.0 as usize)
            .copied()
            .flatten()
            .is_some_and(|m| m.target)
    };
    let reached = |scope: Option<finding::Scope>| match scope {
        Some(finding::Scope::Tree(root)) => ws.module(root).target,
        Some(finding::Scope::Instance(mut i)) => loop {
            let Some(instance) = values.instances.get(i) else {
                break false;
            };
            if ws.module(instance.module).target {
                break true;
            }
            match instance.parent {
                Some((parent, _)) => i = parent,
                None => break false,
            }
        },
        None => false,
    };
    let judging = Judging::new(ws, values, settings, &settings_of_file);
    let keep_targets = |findings: &mut Vec<Finding>| {
        findings.retain_mut(|f| {
            let module = owner.get(f.span.file.0 as usize).copied().flatten();
            let reported = match module {
                Some(m) => {
                    let target = m.target;
                    if f.module.is_empty() {
                        f.module = m.display.clone();
                    }
                    // The root or instance a finding was made in is part
                    // of what it is about: the same resource misplaced in
                    // two roots is two findings, whichever a run names.
                    match f.scope {
                        Some(finding::Scope::Tree(root)) => {
                            f.subject = format!("{} in {}", f.subject, ws.module(root).display);
                        }
                        Some(finding::Scope::Instance(i)) => {
                            if let Some(inst) = values.instances.get(i) {
                                f.subject = format!(
                                    "{} in {} {}",
                                    f.subject,
                                    ws.module(inst.root).display,
                                    inst.address
                                );
                            }
                        }
                        None => {}
                    }
                    target || f.labels.iter().any(|l| named_file(l.span.file)) || reached(f.scope)
                }
                None => true,
            };
            reported && judging.keeps(f, module)
        })
    };

    let mut findings = run(&early, &[]);
    keep_targets(&mut findings);
    // Inline ignores silence what they name; then the rules that judge the
    // ignores themselves run.
    let uses = crate::suppress::apply(&ws.directives, &mut findings, settings);
    let mut late_findings = run(&late, &uses);
    keep_targets(&mut late_findings);
    findings.append(&mut late_findings);
    let derived = Derived {
        _trees: trees,
        _placements: placements,
        _sites: sites,
        _flows: flows,
    };
    (findings, derived)
}

/// Whether each rule judges a finding: the roles it concerns against the
/// roles the rule judges (see [`rules::RuleMeta::judges`], or `roles` in
/// its configuration block), and the paths the rule's block excludes.
struct Judging<'a, 'w> {
    ws: &'w Workspace,
    values: &'a Values<'w>,
    /// Each module's role, with the roles of the roots whose trees call it.
    concerned: Vec<RoleSet>,
    /// Each rule's judged roles and excluded paths, under each distinct
    /// settings that govern some file.
    rules: Vec<crate::HashMap<&'static str, (RoleSet, Option<globset::GlobSet>)>>,
    /// The index in `rules` of the settings that govern each file.
    of_file: Vec<usize>,
}

impl<'a, 'w> Judging<'a, 'w> {
    fn new(
        ws: &'w Workspace,
        values: &'a Values<'w>,
        settings: &'a Settings,
        settings_of_file: &[Option<&'a Settings>],
    ) -> Self {
        // The settings that govern some file, each once, and for each the
        // rules' judged roles and excluded paths.
        let mut distinct: Vec<&Settings> = vec![settings];
        let mut of_file = Vec::with_capacity(settings_of_file.len());
        for s in settings_of_file {
            let s = s.unwrap_or(settings);
            let i = match distinct.iter().position(|d| std::ptr::eq(*d, s)) {
                Some(i) => i,
                None => {
                    distinct.push(s);
                    distinct.len() - 1
                }
            };
            of_file.push(i);
        }
        let rules: Vec<crate::HashMap<_, _>> = (distinct.iter())
            .map(|s| {
                rules::REGISTRY
                    .iter()
                    .map(|r| {
                        let meta = r.meta();
                        (meta.id, (s.judges(meta), s.rule_exclude(meta.id)))
                    })
                    .collect()
            })
            .collect();
        Judging {
            ws,
            values,
            concerned: roles::concerned(ws),
            rules,
            of_file,
        }
    }

    /// Whether the finding's rule judges it. A finding in a file of no
    /// module concerns no role, and is kept unless its path is excluded.
    fn keeps(&self, f: &Finding, module: Option<&Module>) -> bool {
        let settings = self
            .of_file
            .get(f.span.file.0 as usize)
            .copied()
            .unwrap_or(0);
        let Some((judges, exclude)) = self.rules[settings].get(f.rule) else {
            return true;
        };
        if let Some(globs) = exclude {
            // Files are shown relative to the project root.
            let path = &self.ws.sources.get(f.span.file).display;
            if roles::is_under(globs, path) {
                return false;
            }
        }
        let Some(m) = module else {
            return true;
        };
        let root_role = |root: model::ModuleId| RoleSet::EMPTY.with(self.ws.module(root).role);
        let concerned = match f.scope {
            Some(Scope::Tree(root)) => root_role(root),
            Some(Scope::Instance(i)) => match self.values.instances.get(i) {
                Some(inst) => root_role(inst.root),
                None => self.concerned[m.id.0 as usize],
            },
            None => self.concerned[m.id.0 as usize],
        };
        judges.intersects(concerned)
    }
}

/// Escapes, sorts, de-duplicates and fingerprints raw findings.
fn finish(ws: &Workspace, mut findings: Vec<Finding>) -> Vec<Finding> {
    // Messages quote values from the tree; a control character in one must
    // not break a line of output, whatever the format.
    // A label on the primary span itself says nothing the message does not.
    findings.par_iter_mut().for_each(|f| {
        crate::text::escape_controls(&mut f.message);
        for l in &mut f.labels {
            crate::text::escape_controls(&mut l.message);
        }
        let primary = &f.span;
        f.labels.retain(|l| l.span != *primary);
    });
    finding::sort(&mut findings, &ws.sources);
    findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    finding::assign_fingerprints(&mut findings, &ws.sources);
    findings
}
