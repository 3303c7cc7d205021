//! Hierarchical configuration: each module is governed by the
//! `.tfpin.hcl` files on the way from the project root down to its
//! directory, the nearer laid over the farther, and the command line over
//! all of them, whatever the order of the paths a run names.
//!
//! A configuration that says `root = true` starts afresh: those above it
//! do not apply below it. `--config FILE` replaces the hierarchy: that one
//! file governs every module.
//!
//! `exclude` and `engine` shape what is read, so they come from the
//! configurations above the paths a run names (see
//! [`crate::app::resolve_settings`]); the rest (rules, policy, lock
//! platforms) is decided for each module here.

use crate::config::{self, Settings};
use crate::discover::UsageError;
use crate::model::Workspace;
use crate::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a run needs to lay configurations per directory.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    /// The project root; configurations above it are not read.
    pub root: PathBuf,
    /// What the command line sets, laid over every directory's settings.
    pub cli: Settings,
}

/// The configuration files that govern `dir`, outermost first: those in
/// `root` and every directory down to `dir`, from the last one that says
/// `root = true`.
pub fn chain(root: &Path, dir: &Path, cache: &mut Cache) -> Result<Vec<Arc<Settings>>, UsageError> {
    let mut out = Vec::new();
    let mut d = Some(dir);
    while let Some(x) = d {
        if let Some(layer) = cache.get(x)? {
            let stop = layer.root;
            out.push(layer);
            if stop {
                break;
            }
        }
        if x == root || !x.starts_with(root) {
            break;
        }
        d = x.parent();
    }
    out.reverse();
    Ok(out)
}

/// Configuration files read so far, by directory.
pub struct Cache {
    /// Paths in errors are shown relative to it.
    cwd: PathBuf,
    files: HashMap<PathBuf, Option<Arc<Settings>>>,
    /// Which directories hold a configuration, where discovery saw.
    facts: Option<Arc<crate::discover::DirFacts>>,
}

impl Cache {
    pub fn new(cwd: &Path) -> Cache {
        Cache {
            cwd: cwd.to_path_buf(),
            files: HashMap::default(),
            facts: None,
        }
    }

    /// The configuration in `dir`, read once.
    pub fn get(&mut self, dir: &Path) -> Result<Option<Arc<Settings>>, UsageError> {
        if let Some(s) = self.files.get(dir) {
            return Ok(s.clone());
        }
        let path = dir.join(config::FILE_NAME);
        let seen = (self.facts.as_ref()).and_then(|f| f.holds(dir, config::FILE_NAME));
        let loaded = if seen != Some(false) && path.is_file() {
            let display = crate::source::display_path(&path, &self.cwd);
            let s = config::load(&path, &display).map_err(|errs| {
                let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
                UsageError(format!("invalid configuration:\n  {}", lines.join("\n  ")))
            })?;
            Some(Arc::new(s))
        } else {
            None
        };
        self.files.insert(dir.to_path_buf(), loaded.clone());
        Ok(loaded)
    }
}

/// The settings of a directory: the defaults, each configuration of its
/// chain laid over them in turn, then the command line.
pub fn settings_of(chain: &[Arc<Settings>], cli: &Settings) -> Settings {
    let mut s = Settings::default();
    for layer in chain {
        s.overlay(layer);
        if s.config_path.is_none() || layer.config_path.is_some() {
            s.config_path.clone_from(&layer.config_path);
        }
    }
    s.overlay(cli);
    s
}

/// The settings of every module of the workspace, by module id; shared
/// between modules governed by the same files. With no hierarchy (a
/// `--config` file, or settings built in code), every module gets
/// `settings`.
pub fn per_module(ws: &Workspace, settings: &Settings) -> Result<Vec<Arc<Settings>>, UsageError> {
    let Some(h) = &settings.hierarchy else {
        let one = Arc::new(settings.clone());
        return Ok(vec![one; ws.modules.len()]);
    };
    let mut cache = Cache::new(&ws.cwd);
    cache.facts = Some(ws.dir_facts.clone());
    // Most projects have one configuration at the root, or none: when
    // discovery listed every module's directory and saw no configuration
    // below the root, every module has the root's chain.
    let facts = &ws.dir_facts;
    let listed = (ws.modules.iter()).all(|m| facts.holds(&m.dir, config::FILE_NAME).is_some());
    if listed
        && facts
            .config_dirs()
            .all(|d| d == h.root || !d.starts_with(&h.root))
    {
        let chain = chain(&h.root, &h.root, &mut cache)?;
        let one = Arc::new(governing(&chain, h, settings));
        return Ok(vec![one; ws.modules.len()]);
    }
    let mut by_chain: HashMap<Vec<PathBuf>, Arc<Settings>> = HashMap::default();
    let mut out = Vec::with_capacity(ws.modules.len());
    for m in &ws.modules {
        let chain = chain(&h.root, &m.dir, &mut cache)?;
        let key: Vec<PathBuf> = chain.iter().filter_map(|s| s.config_path.clone()).collect();
        let s = by_chain
            .entry(key)
            .or_insert_with(|| Arc::new(governing(&chain, h, settings)));
        out.push(s.clone());
    }
    Ok(out)
}

/// The settings a module with configuration `chain` is governed by.
fn governing(chain: &[Arc<Settings>], h: &Hierarchy, run: &Settings) -> Settings {
    let mut s = settings_of(chain, &h.cli);
    // What is not decided per module is the run's.
    s.var_files.clone_from(&run.var_files);
    s.vars.clone_from(&run.vars);
    s.hierarchy = None;
    s
}

/// Where each setting in effect for a directory comes from: its value
/// as written, and the file (or `command line`, or `default`).
pub fn provenance(chain: &[Arc<Settings>], cli: &Settings) -> Vec<(String, String)> {
    let mut from: std::collections::BTreeMap<String, String> = Default::default();
    for layer in chain {
        let file = layer
            .config_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        for k in &layer.keys {
            from.insert(k.clone(), file.clone());
        }
    }
    for k in &cli.keys {
        from.insert(k.clone(), "command line".into());
    }
    from.into_iter().collect()
}
