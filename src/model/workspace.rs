//! Loading a whole tree: every module, its files, its lock file, and the
//! graph of local module calls between them.

use super::module::ModuleConfig;
use super::roles::{Role, RoleSettings};
use super::source_addr::SourceKind;
use crate::discover::{self, Discovery, ModuleDir};
use crate::fileset::{self, Engine, FileKind, StackFile, Support, Syntax};
use crate::lockfile::{self, LockFile};
use crate::parse;
use crate::source::{display_path, FileId, SourceFile, SourceMap, Span};
use crate::HashMap;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Index of a module in [`Workspace::modules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);

/// Whether a module is the top of a tree or called by another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Not called by any module tfpin read, or has a backend.
    Root,
    /// Called by another module tfpin read.
    Child,
}

/// Where a module call's source leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallTarget {
    /// A local module that was loaded.
    Local(ModuleId),
    /// A local path with no Terraform files behind it: `is_dir` says
    /// whether a directory is there at all.
    LocalMissing { dir: PathBuf, is_dir: bool },
    /// A local path that leaves the project; not read.
    OutsideTree(PathBuf),
    /// A registry or remote source; not fetched.
    Remote,
    /// No literal source.
    Unknown,
}

/// One module directory.
#[derive(Debug)]
pub struct Module {
    pub id: ModuleId,
    pub dir: PathBuf,
    /// The directory as shown to users.
    pub display: String,
    /// Configuration files the engine reads (`.tf`, `.tf.json`, and for
    /// OpenTofu `.tofu`, `.tofu.json`; a stack's component files), in name
    /// order.
    pub files: Vec<FileId>,
    /// How the directory's files serve the two engines.
    pub support: Support,
    /// Automatically loaded variable files, in Terraform's load order.
    pub auto_vars: Vec<FileId>,
    /// The values those files assign, in the same order.
    pub tfvars: Vec<crate::eval::Tfvars>,
    /// The lock file, and a stack's deployment files.
    pub other_files: Vec<FileId>,
    /// Boxed: a configuration is most of a module's size, and the module
    /// list is assembled in order after the directories are read in
    /// parallel, so what moves there should be small.
    pub config: Box<ModuleConfig>,
    /// Whether every configuration file was read whole. A file that could
    /// not be read, is not text, or does not parse (`parse-error` and
    /// `file-unreadable` report it) leaves the module's picture incomplete:
    /// what seems to be missing may be written there, so rules that judge
    /// an absence stay silent about such a module.
    pub config_complete: bool,
    /// The lock file as read; `None` when there is none or it could not be
    /// read at all (see [`Module::lock_damaged`]).
    pub lock: Option<LockFile>,
    /// A lock file is there but was not read whole: unreadable, not HCL,
    /// or malformed, which `terraform init` refuses (`parse-error` and
    /// `file-unreadable` report it). It is no missing lock, and what it
    /// records is not judged: [`Module::readable_lock`] is `None`.
    pub lock_damaged: bool,
    /// For a root module, the line of a `.gitignore` (from the project
    /// root down to its directory) that keeps its `.terraform.lock.hcl`
    /// out of the repository, when one does. The `.gitignore` is a source
    /// file of the workspace.
    pub lock_ignored: Option<Span>,
    /// The registry modules `terraform init` installed for this root's own
    /// calls, as its `.terraform/modules/modules.json` records them (see
    /// [`read_installed`]); empty where init has not run.
    pub installed: Vec<InstalledModule>,
    /// Named on the command line (or inside a named directory), as opposed
    /// to read only because a named module calls it.
    pub target: bool,
    /// One entry per `config.module_calls`, same order.
    pub calls: Vec<CallTarget>,
    pub place: Place,
    /// What the module is for (see [`super::roles`]); decided once the call
    /// graph is linked.
    pub role: Role,
    /// Why it has that role, in words: "has a lock file".
    pub role_reason: String,
}

impl Module {
    /// The release `terraform init` installed for the call `call` of
    /// this root with registry source `source` (with or without the public
    /// registry's host), as its `.terraform/modules/modules.json` records
    /// it; `None` where it records none, or another source for the call.
    pub fn installed_release(&self, call: &str, source: &str) -> Option<semver::Version> {
        let source = source.strip_prefix(PUBLIC_REGISTRY).unwrap_or(source);
        let found = (self.installed.iter())
            .find(|i| i.call == call && i.source.eq_ignore_ascii_case(source))?;
        crate::constraint::parse_version(crate::constraint::Kind::Module, &found.version).ok()
    }

    pub fn is_root(&self) -> bool {
        self.place == Place::Root
    }

    /// Every file of the module: configuration, variables, lock and
    /// deployment files.
    pub fn all_files(&self) -> impl Iterator<Item = FileId> + '_ {
        (self
            .files
            .iter()
            .chain(&self.auto_vars)
            .chain(&self.other_files))
        .copied()
    }

    /// Whether the module has a lock file, read whole or not.
    pub fn has_lock_file(&self) -> bool {
        self.lock.is_some() || self.lock_damaged
    }

    /// The lock file, when it was read whole: what the lock rules judge.
    pub fn readable_lock(&self) -> Option<&LockFile> {
        self.lock.as_ref().filter(|_| !self.lock_damaged)
    }

    /// The version of `addr` that this module's lock file, read whole,
    /// records for `engine` (see [`LockFile::entry_in`]).
    pub fn locked_version(
        &self,
        addr: &super::addr::ProviderAddr,
        engine: Engine,
    ) -> Option<semver::Version> {
        let entry = self.readable_lock()?.entry_in(addr, engine)?;
        let written = &entry.version.as_ref()?.value;
        crate::constraint::parse_version(crate::constraint::Kind::Provider, written).ok()
    }

    /// A Terraform Stacks root: what its component files configure.
    pub fn is_stack(&self) -> bool {
        self.config.kind == super::module::ConfigKind::Stack
    }

    /// The command that writes this root's lock file for the providers it
    /// needs: `terraform init`, or for a stack `terraform stacks
    /// providers-lock`.
    pub fn lock_command(&self) -> &'static str {
        if self.is_stack() {
            "terraform stacks providers-lock"
        } else {
            "terraform init"
        }
    }

    /// The command that adds other platforms' checksums to this root's
    /// lock file (it takes `-platform=...` flags).
    pub fn lock_platforms_command(&self) -> &'static str {
        if self.is_stack() {
            "terraform stacks providers-lock"
        } else {
            "terraform providers lock"
        }
    }

    /// A root as messages name it: ``root module `envs/prod` `` or
    /// ``stack `stacks/web` ``.
    pub fn root_label(&self) -> String {
        let what = if self.is_stack() {
            "stack"
        } else {
            "root module"
        };
        format!("{what} `{}`", self.display)
    }
}

/// What kind of loading problem a [`LoadProblem`] is; each maps to a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Syntax errors, invalid UTF-8, binary files, malformed lock files.
    Parse,
    /// Files or directories that could not be read, symlinks not followed.
    Unreadable,
}

/// A problem met while loading, turned into a finding by its rule.
#[derive(Debug, Clone)]
pub struct LoadProblem {
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
    pub module: String,
}

/// A module-call cycle: each step is a module and the index of its call
/// that leads to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The steps from the cycle's smallest module id on, at most
    /// [`MAX_CYCLE_STEPS`] of them: a tree of many modules can close
    /// thousands of cycles thousands of modules long, and keeping every
    /// step of each would take memory quadratic in the tree.
    pub steps: Vec<(ModuleId, usize)>,
    /// How many steps the whole cycle has.
    pub len: usize,
}

/// The most steps of a module-call cycle that are kept (see [`Cycle`]).
pub const MAX_CYCLE_STEPS: usize = 16;

/// Everything tfpin read.
#[derive(Debug)]
pub struct Workspace {
    pub cwd: PathBuf,
    /// The project root: paths users see (`display`), role patterns and
    /// fingerprints are relative to it, whatever the working directory.
    pub root: PathBuf,
    pub sources: SourceMap,
    pub modules: Vec<Module>,
    pub problems: Vec<LoadProblem>,
    pub cycles: Vec<Cycle>,
    /// Who calls each module: (caller, call index).
    pub callers: Vec<Vec<(ModuleId, usize)>>,
    /// Inline ignore comments in every file read, in file order.
    pub directives: Vec<crate::suppress::Directive>,
    /// How many files were read (or attempted): configuration, variables
    /// and lock files, and `--var-file` files.
    pub files_read: usize,
    /// The engine whose reading of the tree this is.
    pub engine: Engine,
    /// Some directory found has `.tofu` or `.tofu.json` files, whether
    /// this engine reads them or not.
    pub opentofu_files: bool,
    /// What discovery saw of the directories it listed (which hold a
    /// `.gitignore` or a `.tfpin.hcl`).
    pub dir_facts: std::sync::Arc<discover::DirFacts>,
}

impl Workspace {
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0 as usize]
    }

    /// A path shown relative to the project root (a file's or module's
    /// `display`), as seen from the working directory, for output a
    /// person opens from a terminal.
    pub fn shown<'a>(&self, display: &'a str) -> std::borrow::Cow<'a, str> {
        shown_from(&self.root, &self.cwd, display)
    }

    pub fn targets(&self) -> impl Iterator<Item = &Module> {
        self.modules.iter().filter(|m| m.target)
    }

    /// Where a file read is on disk. Files are shown relative to the
    /// project root, where they lie under it.
    pub fn path_of(&self, file: FileId) -> PathBuf {
        self.root.join(&self.sources.get(file).display)
    }

    /// A file's path relative to the project root (with `/` separators),
    /// whatever the working directory: what files recorded to be read by
    /// a later run (a baseline) say. That is how files are shown.
    pub fn project_path(&self, file: FileId) -> String {
        self.sources.get(file).display.clone()
    }

    /// Number of files read (configuration, variables and lock files).
    pub fn file_count(&self) -> usize {
        self.sources.len()
    }

    /// The modules reachable from a root through local calls, the root
    /// first, each once, in a stable order.
    pub fn tree(&self, root: ModuleId) -> Vec<ModuleId> {
        // A set of the modules reached, not a flag per module of the
        // workspace: there is a tree for every root.
        let mut seen: crate::HashSet<ModuleId> = crate::HashSet::default();
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            out.push(id);
            for t in self.module(id).calls.iter().rev() {
                if let CallTarget::Local(c) = t {
                    if !seen.contains(c) {
                        stack.push(*c);
                    }
                }
            }
        }
        out
    }
}

/// How to load.
pub struct LoadOptions<'a> {
    pub cwd: &'a Path,
    /// The project root (see [`crate::project`]): paths are shown relative
    /// to it, and local module sources are followed anywhere inside it.
    pub root: &'a Path,
    /// Absolute paths to scan.
    pub paths: &'a [PathBuf],
    pub exclude: &'a globset::GlobSet,
    /// The directory `exclude` patterns are relative to: where the
    /// configuration file is, or the working directory.
    pub exclude_base: &'a Path,
    /// The engine whose file sets are read.
    pub engine: Engine,
    /// How module roles are decided.
    /// The role settings every module gets; `None` when the caller
    /// decides roles itself, each module by its own settings.
    pub roles: Option<&'a RoleSettings>,
    /// Texts that stand in for files on disk (see [`crate::fix::Overlay`]).
    pub overlay: Option<&'a crate::fix::Overlay>,
}

/// An error that stops the run (exit code 2).
pub use crate::discover::UsageError;

/// Reads and models every module under the given paths, following local
/// module sources that stay inside the scanned tree.
pub fn load(opts: &LoadOptions<'_>) -> Result<Workspace, UsageError> {
    let dopts = discover::Options {
        base: opts.exclude_base,
        exclude: opts.exclude,
        cwd: opts.cwd,
    };
    let mut found = discover::discover(opts.paths, &dopts)?;
    let boundaries = [opts.root.to_path_buf()];
    // A run over part of a project also reads the modules that call the
    // named ones, up to their roots: the named modules are judged in
    // their callers' trees, as a run over the whole project judges them.
    // With nothing named to read (a deleted file whose directory is gone
    // too), there is nobody's caller to find, and no reason to walk the
    // project; outside any project that would be the whole disk.
    let context: Vec<ModuleDir> =
        if opts.paths.iter().any(|p| p == opts.root) || found.dirs.is_empty() {
            Vec::new()
        } else {
            let mut project = match opts.overlay.and_then(|o| o.reads.as_deref()) {
                Some(cache) => cache.walk(opts.root, &dopts)?,
                None => discover::discover(&[opts.root.to_path_buf()], &dopts)?,
            };
            let targets: std::collections::BTreeSet<PathBuf> = found.dirs.keys().cloned().collect();
            let callers = super::callers::ancestors(&project.dirs, &targets);
            found.facts.extend(std::mem::take(&mut project.facts));
            callers
                .iter()
                .filter_map(|d| project.dirs.remove(d))
                .collect()
        };

    let mut ws = Workspace {
        cwd: opts.cwd.to_path_buf(),
        root: opts.root.to_path_buf(),
        sources: SourceMap::new(),
        modules: Vec::new(),
        problems: Vec::new(),
        cycles: Vec::new(),
        callers: Vec::new(),
        directives: Vec::new(),
        files_read: 0,
        engine: opts.engine,
        opentofu_files: false,
        dir_facts: std::sync::Arc::new(std::mem::take(&mut found.facts)),
    };
    for p in &found.problems {
        let display = display_path(&p.path, opts.root);
        let id = ws
            .sources
            .add(SourceFile::new(display.clone(), String::new()));
        ws.problems.push(LoadProblem {
            kind: ProblemKind::Unreadable,
            span: Span::new(id, 0..0),
            message: p.message.clone(),
            module: display,
        });
    }
    let Discovery { dirs, problems, .. } = found;
    let mut index: HashMap<PathBuf, ModuleId> = HashMap::default();
    ws.opentofu_files = dirs.values().any(|d| {
        d.files
            .iter()
            .any(|(_, k)| matches!(k, FileKind::Config { tofu: true, .. }))
    });
    let dirs = engine_dirs(dirs.into_values(), opts.engine);
    load_dirs(&mut ws, &mut index, dirs, true, opts.overlay);
    load_dirs(
        &mut ws,
        &mut index,
        engine_dirs(context.into_iter(), opts.engine),
        false,
        opts.overlay,
    );
    mark_unread_entries(&mut ws, &index, &problems);

    // Follow local module sources, breadth first, loading directories that
    // were not scanned but lie inside the tree.
    let mut next = 0;
    while next < ws.modules.len() {
        let end = ws.modules.len();
        let mut pending: BTreeMap<PathBuf, ModuleDir> = BTreeMap::new();
        let resolved: Vec<Vec<CallTarget>> = ws.modules[next..end]
            .par_iter()
            .map(|m| resolve_calls(m, &index, &boundaries))
            .collect();
        for (mi, calls) in (next..end).zip(resolved) {
            // Local directories that were not scanned are read next, if
            // they are module directories.
            for c in &calls {
                if let CallTarget::LocalMissing { dir, is_dir: true } = c {
                    if !pending.contains_key(dir) {
                        let mut d = Discovery::default();
                        discover::scan_single_dir(dir, &dopts, &mut d);
                        if let Some(md) = d.dirs.remove(dir) {
                            pending.insert(dir.clone(), md);
                        }
                    }
                }
            }
            ws.modules[mi].calls = calls;
        }
        next = end;
        if pending.is_empty() {
            break;
        }
        let loaded_from = ws.modules.len();
        let new_dirs = engine_dirs(pending.into_values(), opts.engine);
        load_dirs(&mut ws, &mut index, new_dirs, false, opts.overlay);
        // Calls that pointed at a pending directory can now be linked.
        for mi in 0..loaded_from {
            for ci in 0..ws.modules[mi].calls.len() {
                if let CallTarget::LocalMissing { dir: p, .. } = &ws.modules[mi].calls[ci] {
                    if let Some(id) = index.get(p) {
                        ws.modules[mi].calls[ci] = CallTarget::Local(*id);
                    }
                }
            }
        }
    }

    link_graph(&mut ws);
    find_ignored_locks(&mut ws);
    read_installed(&mut ws);
    if let Some(roles) = opts.roles {
        super::roles::assign(&mut ws, roles);
    }
    Ok(ws)
}

/// A module `terraform init` installed from a registry for a root's call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledModule {
    /// The call's name (`Key` in modules.json).
    pub call: String,
    /// The registry address, without the registry's host when it is the
    /// public one.
    pub source: String,
    pub version: String,
}

/// The public registry's host, which modules.json writes before every
/// address and a `source` usually leaves out.
const PUBLIC_REGISTRY: &str = "registry.terraform.io/";

/// Reads, for each root module where `terraform init` has run and that
/// calls modules, which version init installed for each of its calls:
/// `.terraform/modules/modules.json`, whose `Modules` list has the `Key`,
/// `Source` and `Version` of each. The record only lets the module
/// version rules offer the version in use as a fix; a file that cannot be
/// read or parsed records nothing.
fn read_installed(ws: &mut Workspace) {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key", default)]
        key: String,
        #[serde(rename = "Source", default)]
        source: String,
        #[serde(rename = "Version", default)]
        version: String,
    }
    let facts = ws.dir_facts.clone();
    for m in &mut ws.modules {
        let calls = m.config.module_calls.iter().any(|c| c.source.is_some());
        if m.place != Place::Root || !calls || facts.initialised(&m.dir) != Some(true) {
            continue;
        }
        let path = m.dir.join(".terraform/modules/modules.json");
        let Ok(text) = parse::read_file(&path) else {
            continue;
        };
        let Ok(file) = serde_json::from_str::<File>(&text) else {
            continue;
        };
        m.installed = (file.modules.into_iter())
            .filter(|e| !e.key.is_empty() && !e.key.contains('.') && !e.version.is_empty())
            .map(|e| InstalledModule {
                call: e.key,
                source: (e.source.strip_prefix(PUBLIC_REGISTRY))
                    .unwrap_or(&e.source)
                    .to_string(),
                version: e.version,
            })
            .collect();
    }
}

/// Finds, for each root module, the `.gitignore` line that keeps its lock
/// file out of the repository (see [`Module::lock_ignored`]). As git does,
/// the `.gitignore` nearest the file decides, and in it the last pattern
/// that matches; the files are those from the project root down to the
/// module's directory. Each one that decides something becomes a source
/// file; one that cannot be read is taken as absent.
fn find_ignored_locks(ws: &mut Workspace) {
    // Each directory's `.gitignore`, read once: its text and patterns.
    let mut read: HashMap<PathBuf, Option<(String, crate::gitignore::Gitignore)>> =
        HashMap::default();
    let mut added: HashMap<PathBuf, FileId> = HashMap::default();
    for i in 0..ws.modules.len() {
        let m = &ws.modules[i];
        if m.place != Place::Root {
            continue;
        }
        let Some(parts) = (m.dir.strip_prefix(&ws.root).ok()).and_then(|rel| {
            rel.iter()
                .map(|c| c.to_str())
                .collect::<Option<Vec<&str>>>()
        }) else {
            continue;
        };
        let mut decided = None;
        for depth in (0..=parts.len()).rev() {
            let dir: PathBuf = parts[..depth]
                .iter()
                .fold(ws.root.clone(), |d, p| d.join(p));
            let facts = &ws.dir_facts;
            let found = read.entry(dir.clone()).or_insert_with(|| {
                if facts.holds(&dir, ".gitignore") == Some(false) {
                    return None;
                }
                let text = parse::read_file(&dir.join(".gitignore")).ok()?;
                let patterns = crate::gitignore::Gitignore::parse(&text);
                Some((text, patterns))
            });
            let Some((_, patterns)) = found else {
                continue;
            };
            let mut path = parts[depth..].join("/");
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(".terraform.lock.hcl");
            if let Some(m) = patterns.decide(&path) {
                decided = (!m.negated).then_some((dir, m.line));
                break;
            }
        }
        let Some((dir, line)) = decided else {
            continue;
        };
        let file = *added.entry(dir.clone()).or_insert_with(|| {
            let text = read[&dir]
                .as_ref()
                .map_or_else(String::new, |(t, _)| t.clone());
            let display = display_path(&dir.join(".gitignore"), &ws.root);
            ws.sources.add(SourceFile::new(display, text))
        });
        ws.modules[i].lock_ignored = Some(Span::new(file, line));
    }
}

/// Marks the modules whose directories have an entry that search could not
/// read (a dangling symlink to a configuration or lock file, an entry that
/// could not be listed): their picture is as incomplete as with a file that
/// does not parse.
fn mark_unread_entries(
    ws: &mut Workspace,
    index: &HashMap<PathBuf, ModuleId>,
    problems: &[discover::PathProblem],
) {
    for p in problems {
        let name = p.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let (dir, kind) = match FileKind::of(name) {
            Some(kind) => (p.path.parent().unwrap_or(&p.path), Some(kind)),
            None => (p.path.as_path(), None),
        };
        let Some(id) = index.get(&normalize(dir)) else {
            continue;
        };
        let m = &mut ws.modules[id.0 as usize];
        match kind {
            Some(FileKind::Lock) => m.lock_damaged = true,
            Some(FileKind::AutoVars(_)) => {}
            Some(_) | None => m.config_complete = false,
        }
    }
}

/// One directory's files as an engine reads them: its configuration files
/// without those the engine does not read or a twin replaces, its
/// automatically loaded variables files and its lock file.
pub struct EngineDir {
    pub dir: PathBuf,
    pub files: Vec<(PathBuf, FileKind)>,
    pub support: Support,
}

/// The directories an engine reads as modules, with the files it reads in
/// each. A directory with only OpenTofu files is no module to Terraform.
fn engine_dirs(dirs: impl Iterator<Item = ModuleDir>, engine: Engine) -> Vec<EngineDir> {
    dirs.filter_map(|d| {
        let names: Vec<&str> = d
            .files
            .iter()
            .map(|(p, _)| p.file_name().and_then(|n| n.to_str()).unwrap_or(""))
            .collect();
        let support = fileset::support(&names);
        let roles = fileset::roles(&names, engine);
        let files: Vec<(PathBuf, FileKind)> = d
            .files
            .iter()
            .zip(&roles)
            .filter(|(_, r)| !matches!(r, fileset::Role::NotRead | fileset::Role::Shadowed(_)))
            .map(|(f, _)| f.clone())
            .collect();
        let had_config = d.is_module();
        let has_config = files.iter().any(|(_, k)| k.is_config());
        (has_config || !had_config && !files.is_empty()).then_some(EngineDir {
            dir: d.dir,
            files,
            support,
        })
    })
    .collect()
}

/// Lexical path normalisation (`a/./b/../c` → `a/c`), which is how
/// Terraform joins a module's directory with a local source.
#[cfg(unix)]
pub fn normalize(path: &Path) -> PathBuf {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    // The same steps as `normalize_by_components`, on the bytes: taking a
    // path apart into `Component`s and pushing them back one by one costs
    // several times as much, and every module and local call goes through
    // here. Most paths (every directory discovery found) are already
    // normal and are only copied.
    let bytes = path.as_os_str().as_bytes();
    if is_normal(bytes) {
        return path.to_path_buf();
    }
    let rooted = bytes.first() == Some(&b'/');
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in bytes.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            // `..` at the root stays at the root, as in filepath.Clean.
            b".." => {
                if parts.pop().is_none() && !rooted {
                    parts.push(part);
                }
            }
            _ => parts.push(part),
        }
    }
    let mut out = Vec::with_capacity(bytes.len());
    if rooted {
        out.push(b'/');
    }
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        out.extend_from_slice(part);
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}

/// Lexical path normalisation (`a/./b/../c` → `a/c`), which is how
/// Terraform joins a module's directory with a local source.
#[cfg(not(unix))]
pub fn normalize(path: &Path) -> PathBuf {
    normalize_by_components(path)
}

#[cfg_attr(unix, allow(dead_code))]
fn normalize_by_components(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                // `..` at the root stays at the root, as in filepath.Clean.
                let at_root = out.has_root() && out.parent().is_none();
                if !at_root && !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether a Unix path is its own normal form: no `.`, `..` or empty
/// component and no trailing separator.
#[cfg(unix)]
fn is_normal(bytes: &[u8]) -> bool {
    let rest = bytes.strip_prefix(b"/").unwrap_or(bytes);
    !rest.is_empty()
        && rest
            .split(|&b| b == b'/')
            .all(|c| !c.is_empty() && c != b"." && c != b"..")
}

fn resolve_calls(
    m: &Module,
    index: &HashMap<PathBuf, ModuleId>,
    boundaries: &[PathBuf],
) -> Vec<CallTarget> {
    m.config
        .module_calls
        .iter()
        .map(|call| {
            let src = match call.local_source() {
                Some(s) => s.value.clone(),
                None => match static_local_source(m, call) {
                    Some(s) => s,
                    None => {
                        return match call.source_kind {
                            None | Some(SourceKind::Local) => CallTarget::Unknown,
                            Some(_) => CallTarget::Remote,
                        }
                    }
                },
            };
            let dir = normalize(&m.dir.join(src.replace('\\', "/")));
            if let Some(id) = index.get(&dir) {
                return CallTarget::Local(*id);
            }
            if !boundaries.iter().any(|b| dir.starts_with(b)) {
                return CallTarget::OutsideTree(dir);
            }
            let is_dir = dir.is_dir();
            CallTarget::LocalMissing { dir, is_dir }
        })
        .collect()
}

/// A module source written as an expression that resolves, with the
/// module's own variable defaults and locals, to a local path: OpenTofu
/// evaluates it before init (`internal/configs/module_call.go`) and reads
/// that directory. Terraform rejects the call, and such a call makes its
/// tree OpenTofu's (`model::engines`); Terraform's reading follows it
/// too, so that both readings see the same modules in the same roles.
/// Values a caller or a `.tfvars` file would give are not known yet while
/// the tree is loaded; the pinning rules judge the source again with them
/// (see `model::calls`).
fn static_local_source(m: &Module, call: &super::module::ModuleCall) -> Option<String> {
    let expr = call.static_expr("source")?;
    let mut scope = crate::eval::Scope::new();
    for v in &m.config.variables {
        let default = v.default.as_ref().map(|d| &d.ast);
        scope.declare_variable(&v.name, v.header.file, default, None);
    }
    for l in &m.config.locals {
        scope.declare_local(&l.name, l.expr.file, &l.expr.ast);
    }
    match scope.eval(expr.file, &expr.ast).value {
        crate::eval::Value::String(s) if super::source_addr::is_local(&s) => Some(s),
        _ => None,
    }
}

/// One file after reading and parsing, before it joins its module.
struct ReadFile {
    id: FileId,
    kind: FileKind,
    /// An override file (`override.tf`, `*_override.tf`), by its name.
    is_override: bool,
    outcome: Outcome,
    directives: Vec<crate::suppress::Directive>,
    /// Problems in a file that was read all the same: parts of a JSON
    /// file whose shape the JSON syntax cannot read as configuration.
    problems: Vec<(std::ops::Range<usize>, String)>,
}

#[derive(Clone)]
enum Outcome {
    Config(Box<ModuleConfig>),
    Lock(LockFile),
    Vars(Option<crate::eval::Tfvars>),
    Failed(ProblemKind, std::ops::Range<usize>, String),
    /// A configuration file already merged into its module.
    Merged,
}

fn load_dirs(
    ws: &mut Workspace,
    index: &mut HashMap<PathBuf, ModuleId>,
    dirs: Vec<EngineDir>,
    target: bool,
    overlay: Option<&crate::fix::Overlay>,
) {
    // File ids are assigned in a fixed order (directory by directory, files
    // in name order), so each directory owns a contiguous run of them.
    // Then one task per module directory reads, parses and assembles it
    // (its files in parallel within it), and builds its module and source
    // entries; what stays sequential is appending them in order. Each
    // module's configuration is assembled, and what no rule reads
    // released, before the next is read, so the syntax trees of the whole
    // tree never exist at once.
    let base = ws.modules.len();
    let mut first = ws.sources.len();
    let runs: Vec<(usize, EngineDir)> = dirs
        .into_iter()
        .map(|d| {
            let start = first;
            first += d.files.len();
            (start, d)
        })
        .collect();
    let root = &ws.root;
    let engine = ws.engine;
    let loaded: Vec<LoadedDir> = runs
        .into_par_iter()
        .enumerate()
        .map(|(i, (start, d))| {
            load_dir(
                ModuleId((base + i) as u32),
                start,
                d,
                root,
                target,
                engine,
                overlay,
            )
        })
        .collect();

    ws.modules.reserve_exact(loaded.len());
    ws.sources.reserve(first - ws.sources.len());
    index.reserve(loaded.len());
    for mut l in loaded {
        ws.files_read += l.sources.len();
        let first = ws.sources.extend(l.sources);
        debug_assert_eq!(first.0 as usize, l.first, "file ids are assigned in order");
        ws.directives.append(&mut l.directives);
        ws.problems.append(&mut l.problems);
        index.insert(l.key, l.module.id);
        ws.modules.push(l.module);
    }
}

/// One module directory after reading: its module, the source entries of
/// its files (in file-id order), and what it adds to the workspace's lists.
struct LoadedDir {
    module: Module,
    /// The normalised directory, the key module calls are resolved by.
    key: PathBuf,
    /// The id of its first file.
    first: usize,
    sources: Vec<SourceFile>,
    directives: Vec<crate::suppress::Directive>,
    problems: Vec<LoadProblem>,
}

/// Reads, parses and assembles one module directory whose files take the
/// ids from `first` on.
fn load_dir(
    id: ModuleId,
    first: usize,
    d: EngineDir,
    root: &Path,
    target: bool,
    engine: Engine,
    overlay: Option<&crate::fix::Overlay>,
) -> LoadedDir {
    let mut read: Vec<(ReadFile, SourceFile)> = d
        .files
        .into_par_iter()
        .enumerate()
        .map(|(j, (path, kind))| {
            let fid = crate::source::file_id(first + j);
            let (text, outcome, directives, problems) = read_one(fid, &path, kind, overlay);
            let display = display_path(&path, root);
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            (
                ReadFile {
                    id: fid,
                    kind,
                    is_override: fileset::is_override_file(&name),
                    outcome,
                    directives,
                    problems,
                },
                SourceFile::new(display, text),
            )
        })
        .collect();
    crate::progress::module_read(read.len());
    // Override files merge after all primary files, in name order.
    let mut config = Box::<ModuleConfig>::default();
    config.engine = engine;
    let mut overrides = Vec::new();
    for (rf, _) in &mut read {
        match std::mem::replace(&mut rf.outcome, Outcome::Merged) {
            Outcome::Config(part) if rf.is_override => overrides.push(part),
            Outcome::Config(part) => config.absorb(*part, false),
            other => rf.outcome = other,
        }
    }
    for part in overrides {
        config.absorb(*part, true);
    }
    config.opentofu_files = read
        .iter()
        .filter(|(rf, _)| matches!(rf.kind, FileKind::Config { tofu: true, .. }))
        .map(|(rf, _)| rf.id)
        .collect();
    config.finalize();
    config.release_unread();
    config.shrink_to_fit();

    let display = display_path(&d.dir, root);
    let key = normalize(&d.dir);
    let mut m = Module {
        id,
        dir: d.dir,
        display,
        files: Vec::new(),
        support: d.support,
        auto_vars: Vec::new(),
        tfvars: Vec::new(),
        other_files: Vec::new(),
        config,
        config_complete: true,
        lock: None,
        lock_damaged: false,
        lock_ignored: None,
        installed: Vec::new(),
        target,
        calls: Vec::new(),
        place: Place::Root,
        role: Role::Reusable,
        role_reason: String::new(),
    };
    let mut directives = Vec::new();
    let mut problems = Vec::new();
    let mut sources = Vec::with_capacity(read.len());
    let mut by_file = Vec::new();
    for (mut rf, source) in read {
        directives.append(&mut rf.directives);
        let read_whole = rf.problems.is_empty() && !matches!(rf.outcome, Outcome::Failed(..));
        match rf.kind {
            FileKind::Lock => m.lock_damaged |= !read_whole,
            FileKind::AutoVars(_) => {}
            // A query file's uses of providers count as much as a
            // configuration file's.
            FileKind::Config { .. } | FileKind::Stack(_) | FileKind::Query => {
                m.config_complete &= read_whole
            }
        }
        match rf.kind {
            FileKind::Config { .. } | FileKind::Stack(StackFile::Components) => m.files.push(rf.id),
            FileKind::AutoVars(_) => m.auto_vars.push(rf.id),
            FileKind::Lock | FileKind::Stack(StackFile::Deployments) | FileKind::Query => {
                m.other_files.push(rf.id)
            }
        }
        match rf.outcome {
            Outcome::Config(_) | Outcome::Merged => {}
            Outcome::Lock(lock) => {
                for (span, msg) in &lock.problems {
                    problems.push(LoadProblem {
                        kind: ProblemKind::Parse,
                        span: span.clone(),
                        message: format!("invalid lock file: {msg}"),
                        module: m.display.clone(),
                    });
                }
                m.lock_damaged |= !lock.problems.is_empty();
                m.lock = Some(lock);
            }
            Outcome::Vars(tfvars) => {
                if let Some(t) = tfvars {
                    for e in &t.errors {
                        problems.push(LoadProblem {
                            kind: ProblemKind::Parse,
                            span: e.span.clone(),
                            message: e.message.clone(),
                            module: m.display.clone(),
                        });
                    }
                    by_file.push((vars_load_order(&source.display), t));
                }
            }
            Outcome::Failed(kind, range, message) => problems.push(LoadProblem {
                kind,
                span: Span::new(rf.id, range),
                message,
                module: m.display.clone(),
            }),
        }
        for (range, message) in std::mem::take(&mut rf.problems) {
            problems.push(LoadProblem {
                kind: ProblemKind::Parse,
                span: Span::new(rf.id, range),
                message,
                module: m.display.clone(),
            });
        }
        sources.push(source);
    }
    let order = |id: &FileId| vars_load_order(&sources[(id.0 as usize) - first].display);
    m.auto_vars.sort_by_cached_key(order);
    by_file.sort_by(|a, b| a.0.cmp(&b.0));
    m.tfvars = by_file.into_iter().map(|(_, t)| t).collect();
    LoadedDir {
        module: m,
        key,
        first,
        sources,
        directives,
        problems,
    }
}

/// Terraform's automatic load order for a variables file, by file name
/// (see [`crate::eval::load_rank`]); files it does not load sort last.
fn vars_load_order(display: &str) -> (u8, String) {
    let name = display.rsplit('/').next().unwrap_or(display);
    let (rank, _) = crate::eval::load_rank(name).unwrap_or((3, name));
    (rank, name.to_string())
}

/// What reading one file gives: its text, the outcome, its inline
/// directives, and problems in a file read all the same.
type Read = (
    String,
    Outcome,
    Vec<crate::suppress::Directive>,
    Vec<(std::ops::Range<usize>, String)>,
);

/// A file that is not valid UTF-8, as text for a snippet: the bytes read
/// as UTF-8 with each bad one replaced, when it is text with a few stray
/// bytes (Latin-1, say); nothing when it looks like binary data, which has
/// control bytes or many bad ones.
fn shown_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let bad = text.chars().filter(|c| *c == '\u{fffd}').count();
    let controls = (text.chars())
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .count();
    if controls == 0 && bad <= 8 {
        text.into_owned()
    } else {
        String::new()
    }
}

fn read_one(
    id: FileId,
    path: &Path,
    kind: FileKind,
    overlay: Option<&crate::fix::Overlay>,
) -> Read {
    let in_overlay = overlay.and_then(|o| o.get(path));
    let cache = overlay.and_then(|o| o.reads.as_deref());
    // A file on disk that has not changed since the cache read it is not
    // read again.
    let stamp = match (in_overlay, cache) {
        (None, Some(_)) => std::fs::metadata(path)
            .ok()
            .map(|m| (m.len(), m.modified().ok())),
        _ => None,
    };
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        if let Some(read) = cache.unchanged(id, path, kind, stamp) {
            return read;
        }
    }
    let read = match in_overlay {
        Some(text) => Ok(text.as_str().to_string()),
        None => parse::read_file(path),
    };
    let text: String = match read {
        Ok(t) => t,
        Err(problem) => {
            let kind = match problem {
                parse::InputProblem::TooLarge { .. } | parse::InputProblem::Unreadable { .. } => {
                    ProblemKind::Unreadable
                }
                _ => ProblemKind::Parse,
            };
            // Keep what can be shown, so the finding has a snippet: the
            // text of a file with a stray byte, never the bytes of a
            // binary file.
            let text: String = match &problem {
                parse::InputProblem::InvalidUtf8 { .. } => match std::fs::read(path) {
                    Ok(bytes) => shown_text(&bytes),
                    Err(_) => String::new(),
                },
                _ => String::new(),
            };
            let at = problem.offset().unwrap_or(0).min(text.len());
            return (
                text,
                Outcome::Failed(kind, at..at, problem.to_string()),
                Vec::new(),
                Vec::new(),
            );
        }
    };
    match cache {
        Some(cache) => cache.read(id, path, kind, text, stamp),
        None => parse_one(id, kind, text),
    }
}

/// A file's size and modification time, which say whether it changed.
type Stamp = (u64, Option<std::time::SystemTime>);

/// What reading each file gave, kept between runs over the same tree (a
/// language server's checks): a file whose text has not changed since it
/// was last read at the same id is not parsed again. Spans hold the file
/// id, so an entry only serves the id it was made at. One entry a file, the
/// last read, so a long session holds no more than the tree.
#[derive(Default)]
pub struct ReadCache {
    #[allow(clippy::type_complexity)]
    entries: std::sync::Mutex<
        HashMap<(PathBuf, FileKind), (FileId, Option<Stamp>, std::sync::Arc<Read>)>,
    >,
    /// The last search of each project root, with the modification time
    /// of every path whose change could change it.
    #[allow(clippy::type_complexity)]
    walks: std::sync::Mutex<
        HashMap<
            PathBuf,
            (
                Vec<(PathBuf, Option<std::time::SystemTime>)>,
                discover::Discovery,
            ),
        >,
    >,
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).ok()?.modified().ok()
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadCache")
    }
}

impl ReadCache {
    /// The search of a project root: the last one, when nothing it
    /// listed or read has changed since, else a new one. Only the project
    /// search, which a run over part of a project makes to find callers,
    /// is kept; the settings that shape it come from the `.tfpin.hcl`
    /// files it watches.
    fn walk(
        &self,
        root: &Path,
        opts: &discover::Options<'_>,
    ) -> Result<discover::Discovery, UsageError> {
        if let Some((stamps, found)) = self.walks.lock().ok().and_then(|w| w.get(root).cloned()) {
            if stamps.iter().all(|(p, t)| modified(p) == *t) {
                return Ok(found);
            }
        }
        let found = discover::discover(&[root.to_path_buf()], opts)?;
        let stamps: Vec<(PathBuf, Option<std::time::SystemTime>)> = (found.facts.watched())
            .map(|p| {
                let t = modified(&p);
                (p, t)
            })
            .collect();
        if let Ok(mut w) = self.walks.lock() {
            w.insert(root.to_path_buf(), (stamps, found.clone()));
        }
        Ok(found)
    }

    /// The last read of a file on disk, when its stamp is the same.
    fn unchanged(&self, id: FileId, path: &Path, kind: FileKind, stamp: Stamp) -> Option<Read> {
        let key = (path.to_path_buf(), kind);
        let entries = self.entries.lock().ok()?;
        let (at, old, r) = entries.get(&key)?;
        (*at == id && *old == Some(stamp)).then(|| Read::clone(r))
    }

    /// Parses a file's text, or takes the last parse of the same text.
    fn read(
        &self,
        id: FileId,
        path: &Path,
        kind: FileKind,
        text: String,
        stamp: Option<Stamp>,
    ) -> Read {
        let key = (path.to_path_buf(), kind);
        let hit = (self.entries.lock())
            .ok()
            .and_then(|e| {
                e.get(&key)
                    .filter(|(at, _, _)| *at == id)
                    .map(|(_, _, r)| r.clone())
            })
            .filter(|r| r.0 == text);
        let read = match hit {
            Some(r) => (text, r.1.clone(), r.2.clone(), r.3.clone()),
            None => parse_one(id, kind, text),
        };
        if let Ok(mut e) = self.entries.lock() {
            e.insert(key, (id, stamp, std::sync::Arc::new(read.clone())));
        }
        read
    }
}

/// Parses one file's text as its kind says.
fn parse_one(id: FileId, kind: FileKind, text: String) -> Read {
    let mut blocks = Vec::new();
    let mut problems = Vec::new();
    let outcome = match kind {
        FileKind::Config {
            syntax: Syntax::Json,
            ..
        } => match crate::parse_json::parse(&text) {
            Ok(root) => {
                let functions = super::module::may_call_provider_functions(&text);
                let part = super::read::json::file_part(id, &text, &root, functions);
                problems = super::read::json::shape_problems(&root);
                Outcome::Config(Box::new(part))
            }
            Err(f) => Outcome::Failed(ProblemKind::Parse, f.offset..f.offset, f.message),
        },
        FileKind::AutoVars(Syntax::Json) => match crate::eval::parse_tfvars_json(id, &text) {
            Ok(t) => Outcome::Vars(Some(t)),
            Err(e) => Outcome::Failed(ProblemKind::Parse, e.span.range, e.message),
        },
        FileKind::AutoVars(Syntax::Native) => match crate::eval::parse_tfvars(id, &text) {
            Ok(t) => Outcome::Vars(Some(t)),
            Err(e) => Outcome::Failed(ProblemKind::Parse, e.span.range, e.message),
        },
        FileKind::Config { .. } | FileKind::Lock | FileKind::Stack(_) | FileKind::Query => {
            match parse::parse_body(&text) {
                Ok(parsed) => {
                    if kind != FileKind::Lock && crate::suppress::may_have_directives(&text) {
                        blocks = crate::suppress::block_ranges(&parsed.body);
                    }
                    let functions = || super::module::may_call_provider_functions(&text);
                    let body = &parsed.body;
                    match kind {
                        FileKind::Config { .. } => {
                            let mut part = ModuleConfig::default();
                            part.add_body(id, parsed.body, false, functions());
                            Outcome::Config(Box::new(part))
                        }
                        FileKind::Stack(StackFile::Components) => Outcome::Config(Box::new(
                            super::read::hcl::stack_part(id, body, functions()),
                        )),
                        FileKind::Stack(StackFile::Deployments) => {
                            Outcome::Config(Box::new(super::read::hcl::deployment_part(id, body)))
                        }
                        FileKind::Query => {
                            Outcome::Config(Box::new(super::read::hcl::query_part(id, body)))
                        }
                        _ => Outcome::Lock(lockfile::read(id, body)),
                    }
                }
                Err(f) => Outcome::Failed(ProblemKind::Parse, f.offset..f.offset, f.message),
            }
        }
    };
    // Comments are found in the text, so even a file that does not parse
    // can carry a directive for its parse error.
    let directives = match kind.syntax() {
        Syntax::Json => Vec::new(),
        Syntax::Native => crate::suppress::directives(id, &text, &blocks),
    };
    (text, outcome, directives, problems)
}

fn link_graph(ws: &mut Workspace) {
    let n = ws.modules.len();
    let mut callers: Vec<Vec<(ModuleId, usize)>> = vec![Vec::new(); n];
    for m in &ws.modules {
        for (ci, t) in m.calls.iter().enumerate() {
            if let CallTarget::Local(c) = t {
                callers[c.0 as usize].push((m.id, ci));
            }
        }
    }
    for m in &mut ws.modules {
        let called = !callers[m.id.0 as usize].is_empty();
        let own_root = m.config.backend.is_some() || m.is_stack();
        m.place = if called && !own_root {
            Place::Child
        } else {
            Place::Root
        };
        let child = m.place == Place::Child;
        for pc in &mut m.config.provider_configs {
            pc.proxy = child && pc.is_empty();
        }
    }
    ws.callers = callers;
    ws.cycles = find_cycles(ws);
}

/// Finds the cycles of the call graph, one for each call that leads back
/// to a module on the current path of a depth-first search, starting at
/// the module whose path sorts first. Each call is followed once, and each cycle
/// found has exactly one call off the search's path (the one that closes
/// it), so no cycle is found twice. Iterative, so a deep graph cannot
/// overflow the stack.
fn find_cycles(ws: &Workspace) -> Vec<Cycle> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let n = ws.modules.len();
    let mut state = vec![State::New; n];
    // Where each module on the path is on the stack.
    let mut depth = vec![0usize; n];
    let mut cycles: Vec<Cycle> = Vec::new();
    for start in 0..n {
        if state[start] != State::New {
            continue;
        }
        // (module, next call index to try)
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = State::OnStack;
        depth[start] = 0;
        while let Some(&mut (mi, ref mut ci)) = stack.last_mut() {
            let calls = &ws.modules[mi].calls;
            if *ci >= calls.len() {
                state[mi] = State::Done;
                stack.pop();
                continue;
            }
            let this_call = *ci;
            *ci += 1;
            let CallTarget::Local(c) = calls[this_call] else {
                continue;
            };
            let ci_target = c.0 as usize;
            match state[ci_target] {
                State::New => {
                    state[ci_target] = State::OnStack;
                    depth[ci_target] = stack.len();
                    stack.push((ci_target, 0));
                }
                State::OnStack => {
                    // The cycle is the stack from the target to here.
                    let path = &stack[depth[ci_target]..];
                    let step = |i: usize| {
                        let (m, next) = path[i % path.len()];
                        (ModuleId(m as u32), next - 1)
                    };
                    // From the module first by path: ids depend on which
                    // modules a run named, and the cycle must not.
                    let min = (0..path.len())
                        .min_by_key(|&i| &ws.modules[path[i].0].display)
                        .unwrap_or(0);
                    let in_order = (min..min + path.len()).map(step);
                    cycles.push(Cycle {
                        steps: in_order.take(MAX_CYCLE_STEPS).collect(),
                        len: path.len(),
                    });
                }
                State::Done => {}
            }
        }
    }
    cycles
}

/// A path shown relative to the project root `root` (a file's or module's
/// `display`), as seen from the working directory `cwd`.
pub fn shown_from<'a>(root: &Path, cwd: &Path, display: &'a str) -> std::borrow::Cow<'a, str> {
    if root == cwd || display.starts_with('/') {
        return display.into();
    }
    let path = if display == "." {
        root.to_path_buf()
    } else {
        root.join(display)
    };
    crate::source::relative_path(&path, cwd).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_read_cache_keeps_one_entry_a_file_and_serves_only_its_id() {
        let cache = ReadCache::default();
        let kind = FileKind::Config {
            syntax: Syntax::Native,
            tofu: false,
        };
        let path = Path::new("/project/main.tf");
        let text = "variable \"x\" {}\n";
        let stamp = Some((text.len() as u64, None));
        for id in 0..5 {
            let read = cache.read(FileId(id), path, kind, text.to_string(), stamp);
            assert_eq!(read.0, text);
        }
        assert_eq!(cache.entries.lock().unwrap().len(), 1);
        // The entry was made at id 4: it serves id 4 and no other.
        let stamp = (text.len() as u64, None);
        assert!(cache.unchanged(FileId(4), path, kind, stamp).is_some());
        assert!(cache.unchanged(FileId(3), path, kind, stamp).is_none());
        // A changed stamp is a changed file.
        assert!(cache.unchanged(FileId(4), path, kind, (1, None)).is_none());
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(
            normalize(Path::new("/a/b/./c/../d")),
            PathBuf::from("/a/b/d")
        );
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
    }

    proptest::proptest! {
        // On Unix, `normalize` works on the bytes; the component walk is
        // the reference it must agree with.
        #[cfg(unix)]
        #[test]
        fn normalizing_the_bytes_agrees_with_the_components(
            root in proptest::bool::ANY,
            parts in proptest::collection::vec(proptest::sample::select(vec!["a", "bc", ".", "..", "", ".d", "e.."]), 0..8),
            trailing in proptest::bool::ANY,
        ) {
            let mut p = parts.join("/");
            if root {
                p.insert(0, '/');
            }
            if trailing {
                p.push('/');
            }
            let path = Path::new(&p);
            proptest::prop_assert_eq!(normalize(path), normalize_by_components(path));
        }
    }

    #[test]
    fn vars_files_load_in_terraform_order() {
        let mut v = vec![
            "m/b.auto.tfvars",
            "m/terraform.tfvars.json",
            "m/a.auto.tfvars.json",
            "m/terraform.tfvars",
        ];
        v.sort_by_key(|s| vars_load_order(s));
        assert_eq!(
            v,
            [
                "m/terraform.tfvars",
                "m/terraform.tfvars.json",
                "m/a.auto.tfvars.json",
                "m/b.auto.tfvars"
            ]
        );
    }
}
