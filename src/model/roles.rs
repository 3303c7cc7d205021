//! What each module is for: deployed as a root, an example, a test
//! fixture, a module for others to call, or code for Terraform before
//! 0.13. Decided once, when the tree is loaded, so that every rule agrees;
//! each rule then says which roles it judges (see
//! [`crate::rules::RuleMeta::judges`]).
//!
//! A module's role is the first of these that holds:
//!
//! 1. a `root "glob" { role = ... }` block of the configuration matches its
//!    directory;
//! 2. its directory is under a test directory (`roles { test }`, or the
//!    defaults in `rules/data/roles.txt`): a test fixture;
//! 3. under an example directory: an example root;
//! 4. another module calls it through a local source: a reusable module;
//! 5. its `required_version` admits only Terraform before 0.13: legacy;
//! 6. it is a stack, or has a backend, `cloud` or `state_store` block, or a
//!    lock file: a deployed root;
//! 7. a module of the tree calls it through a remote source that names this
//!    very repository (how a module repository's examples call it): a
//!    reusable module;
//! 8. it configures a provider (a `provider` block that is not an empty
//!    proxy): a deployed root, since nothing calls it and something must
//!    apply it (wrappers such as Terragrunt or Atmos write the backend);
//! 9. otherwise a reusable module: nothing calls it, and nothing in it says
//!    it is applied.
//!
//! Step 7 comes before step 8 because a remote call naming the repository
//! is the stronger sign: module repositories often keep a provider block
//! in the module itself, which would otherwise make it look applied.
//!
//! Path patterns are matched against the module's directory relative to
//! the project root ([`Workspace::root`]).

use super::source_addr::ModuleSource;
use super::workspace::{CallTarget, Module, Place, Workspace};
use globset::{GlobBuilder, GlobMatcher};
use rayon::prelude::*;
use std::path::Path;

/// What a module is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A root that gets applied: `deployed-root`.
    Deployed,
    /// An example of how to use the project's modules: `example-root`.
    Example,
    /// A configuration that only tests apply: `test-fixture`.
    Test,
    /// A module for others to call: `reusable-module`.
    Reusable,
    /// Code for Terraform before 0.13: `legacy`.
    Legacy,
}

impl Role {
    /// Every role, in the order they are listed and described.
    pub const ALL: [Role; 5] = [
        Role::Deployed,
        Role::Reusable,
        Role::Example,
        Role::Test,
        Role::Legacy,
    ];

    /// The name configuration and output use.
    pub const fn id(self) -> &'static str {
        match self {
            Role::Deployed => "deployed-root",
            Role::Example => "example-root",
            Role::Test => "test-fixture",
            Role::Reusable => "reusable-module",
            Role::Legacy => "legacy",
        }
    }

    /// In words: "deployed root".
    pub const fn label(self) -> &'static str {
        match self {
            Role::Deployed => "deployed root",
            Role::Example => "example root",
            Role::Test => "test fixture",
            Role::Reusable => "reusable module",
            Role::Legacy => "legacy module",
        }
    }

    /// In words, several of them: "deployed roots".
    pub const fn plural(self) -> &'static str {
        match self {
            Role::Deployed => "deployed roots",
            Role::Example => "example roots",
            Role::Test => "test fixtures",
            Role::Reusable => "reusable modules",
            Role::Legacy => "legacy modules",
        }
    }

    pub fn parse(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The role name closest to a misspelt one, if any is close: one it
    /// begins (`deployed`), or one a few edits away.
    pub fn closest(id: &str) -> Option<&'static str> {
        let ids = Role::ALL.map(Role::id);
        if let Some(whole) = ids.iter().find(|r| !id.is_empty() && r.starts_with(id)) {
            return Some(whole);
        }
        ids.into_iter()
            .map(|r| (crate::text::edit_distance(id, r), r))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, id)| id)
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl serde::Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// A set of roles: those a rule judges, or those a finding concerns.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct RoleSet(u8);

impl RoleSet {
    pub const EMPTY: RoleSet = RoleSet(0);
    pub const ALL: RoleSet = RoleSet::of(&Role::ALL);

    pub const fn of(roles: &[Role]) -> RoleSet {
        let mut bits = 0;
        let mut i = 0;
        while i < roles.len() {
            bits |= roles[i].bit();
            i += 1;
        }
        RoleSet(bits)
    }

    pub const fn with(self, role: Role) -> RoleSet {
        RoleSet(self.0 | role.bit())
    }

    pub const fn without(self, role: Role) -> RoleSet {
        RoleSet(self.0 & !role.bit())
    }

    pub const fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub const fn union(self, other: RoleSet) -> RoleSet {
        RoleSet(self.0 | other.0)
    }

    pub const fn intersects(self, other: RoleSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }

    /// What a rule that judges these roles judges, in words, for its doc
    /// (`Judges: ...`). Without reusable modules, the modules a judged
    /// root's tree calls are judged with it; with them, every reusable
    /// module is judged on its own.
    pub fn describe(self) -> String {
        if self == RoleSet::ALL {
            return "every role".to_string();
        }
        // Without reusable modules the words below say how they are judged.
        let missing: Vec<Role> = RoleSet(!self.0 & RoleSet::ALL.0).iter().collect();
        if let [one] = missing[..] {
            if one != Role::Reusable {
                return format!("every role but {}", one.plural());
            }
        }
        let names: Vec<&str> = self.iter().map(Role::plural).collect();
        let list = match names.as_slice() {
            [] => return "nothing".to_string(),
            [one] => one.to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        if self.contains(Role::Reusable) {
            list
        } else {
            format!("{list}, with the modules their trees call")
        }
    }
}

impl std::fmt::Debug for RoleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter().map(Role::id)).finish()
    }
}

/// The roles part of the configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleSettings {
    /// `roles { example = [...] }`: replaces the default example patterns.
    pub example: Option<Vec<String>>,
    /// `roles { test = [...] }`: replaces the default test patterns.
    pub test: Option<Vec<String>>,
    /// `roles { legacy = [...] }`: replaces the default patterns of
    /// directories kept for reference (`deprecated/`).
    pub legacy: Option<Vec<String>>,
    /// `root "glob" { role = "..." }` blocks, in file order.
    pub assigned: Vec<(String, Role)>,
}

/// The default directory patterns, `rules/data/roles.txt`.
const DEFAULT_PATTERNS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/data/roles.txt"));

/// The default patterns of a role: `(role, glob)` lines of the data file.
pub fn default_patterns(role: Role) -> impl Iterator<Item = &'static str> {
    data_lines().filter_map(move |l| {
        let (r, pattern) = l.split_once(char::is_whitespace)?;
        (Role::parse(r) == Some(role)).then(|| pattern.trim())
    })
}

/// The data file's lines that say something.
fn data_lines() -> impl Iterator<Item = &'static str> {
    DEFAULT_PATTERNS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Reads a role or exclusion pattern: `*` stays within one directory,
/// `**` crosses directories.
pub fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

/// Patterns read with [`glob`] as one set; invalid ones (checked when the
/// configuration was read) are left out.
pub fn glob_set(patterns: &[String]) -> globset::GlobSet {
    let mut b = globset::GlobSetBuilder::new();
    for g in patterns.iter().filter_map(|p| glob(p).ok()) {
        b.add(g);
    }
    b.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// Patterns of one kind, compiled, each with its text for reasons.
struct Patterns {
    /// The patterns as written, in order, for reasons.
    text: Vec<String>,
    /// The same patterns as one set: matching a directory against the set
    /// costs about what one pattern costs, and every ancestor directory of
    /// every module is matched.
    set: globset::GlobSet,
    /// The data file's patterns, which give way to an environment's name;
    /// configured ones say what they mean.
    defaults: bool,
}

impl Patterns {
    fn new<'a>(patterns: impl Iterator<Item = &'a str>, defaults: bool) -> Patterns {
        // Patterns were checked when the configuration was read, and the
        // defaults by a test.
        let mut text = Vec::new();
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            if let Ok(g) = glob(p) {
                b.add(g);
                text.push(p.to_string());
            }
        }
        Patterns {
            text,
            set: b.build().unwrap_or_else(|_| globset::GlobSet::empty()),
            defaults,
        }
    }

    /// The first directory of `rel` and its ancestors, outermost first,
    /// that a pattern matches, with the pattern (the first that matches,
    /// in order). A directory named like an environment (`test`, `demo`)
    /// beside directories named like other environments (`envs/test` next
    /// to `envs/prod`) is an environment, whatever the patterns say.
    fn under<'p>(&'p self, rel: &str, root: &Path) -> Option<(String, &'p str)> {
        if self.text.is_empty() {
            return None;
        }
        ancestors(rel).find_map(|dir| {
            let first = *self.set.matches(dir).iter().min()?;
            (!(self.defaults && is_environment(root, dir)))
                .then(|| (dir.to_string(), self.text[first].as_str()))
        })
    }
}

/// Names environments are given, from the data file.
fn environment_names() -> impl Iterator<Item = &'static str> {
    data_lines().filter_map(|l| l.strip_prefix("environment").map(str::trim))
}

/// Whether `dir` (relative to `root`) is named like an environment and
/// has a sibling directory named like another one.
fn is_environment(root: &Path, dir: &str) -> bool {
    let (parent, name) = match dir.rsplit_once('/') {
        Some((p, n)) => (root.join(p), n),
        None => (root.to_path_buf(), dir),
    };
    let lower = name.to_ascii_lowercase();
    environment_names().any(|e| e == lower)
        && environment_names()
            .filter(|e| *e != lower)
            .any(|e| parent.join(e).is_dir())
}

/// Whether `rel` (a path relative to the project root) or a directory
/// above it matches one of `globs`.
pub fn is_under(globs: &globset::GlobSet, rel: &str) -> bool {
    !globs.is_empty() && ancestors(rel).any(|dir| globs.is_match(dir))
}

/// `a`, `a/b`, `a/b/c` for `a/b/c`; nothing for `.`.
fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    let ends = rel
        .match_indices('/')
        .map(|(i, _)| i)
        .chain(std::iter::once(rel.len()));
    ends.filter(move |_| rel != ".").map(move |end| &rel[..end])
}

/// Gives every module its role and the reason for it. Runs after the call
/// graph is linked.
pub fn assign(ws: &mut Workspace, settings: &RoleSettings) {
    let each = vec![settings; ws.modules.len()];
    assign_each(ws, &each);
}

/// The patterns and blocks of one configuration's role settings, compiled.
struct Compiled<'s> {
    test: Patterns,
    example: Patterns,
    legacy: Patterns,
    assigned: Vec<(&'s str, GlobMatcher, Role)>,
}

impl<'s> Compiled<'s> {
    fn new(settings: &'s RoleSettings) -> Compiled<'s> {
        let of = |configured: &Option<Vec<String>>, role| match configured {
            Some(list) => Patterns::new(list.iter().map(String::as_str), false),
            None => Patterns::new(default_patterns(role), true),
        };
        Compiled {
            test: of(&settings.test, Role::Test),
            example: of(&settings.example, Role::Example),
            legacy: of(&settings.legacy, Role::Legacy),
            assigned: (settings.assigned.iter())
                .filter_map(|(p, r)| Some((p.as_str(), glob(p).ok()?.compile_matcher(), *r)))
                .collect(),
        }
    }
}

/// [`assign`], each module with the role settings of the configuration
/// that governs it (by module id).
pub fn assign_each(ws: &mut Workspace, settings: &[&RoleSettings]) {
    let rel: Vec<String> = ws
        .modules
        .iter()
        // Every module read lies in the project, and is shown relative to
        // its root.
        .map(|m| m.display.clone())
        .collect();
    // Each distinct configuration compiled once.
    let mut distinct: Vec<&RoleSettings> = Vec::new();
    let mut which: Vec<usize> = Vec::with_capacity(settings.len());
    for s in settings {
        match distinct.iter().position(|d| std::ptr::eq(*d, *s)) {
            Some(i) => which.push(i),
            None => {
                distinct.push(s);
                which.push(distinct.len() - 1);
            }
        }
    }
    let compiled: Vec<Compiled<'_>> = distinct.iter().map(|s| Compiled::new(s)).collect();
    let self_called = remote_self_calls(ws, &rel);
    let root = ws.root.clone();
    let decided: Vec<(Role, String)> = (0..ws.modules.len())
        .into_par_iter()
        .map(|i| {
            let m = &ws.modules[i];
            let r = rel[i].as_str();
            let Compiled {
                test,
                example,
                legacy,
                assigned,
            } = &compiled[which.get(i).copied().unwrap_or(0)];
            // The last matching block wins, so a narrow block after a
            // broad one refines it.
            if let Some((_, _, role)) = assigned.iter().rev().find(|(_, g, _)| g.is_match(r)) {
                return (*role, "set by .tfpin.hcl".to_string());
            }
            for (role, patterns, what) in [
                (Role::Test, test, "a test directory"),
                (Role::Example, example, "an example directory"),
                (Role::Legacy, legacy, "code kept for reference"),
            ] {
                if let Some((dir, pattern)) = patterns.under(r, &root) {
                    return (role, format!("in `{dir}`, {what} (pattern `{pattern}`)"));
                }
            }
            if let Some(reason) = called_by(ws, m, &rel) {
                return (Role::Reusable, reason);
            }
            if let Some(version) = legacy_constraint(m) {
                return (
                    Role::Legacy,
                    format!("required_version \"{version}\" admits only Terraform before 0.13"),
                );
            }
            if let Some(reason) = applied(m) {
                return (Role::Deployed, reason);
            }
            if let Some(reason) = &self_called[i] {
                return (Role::Reusable, reason.clone());
            }
            // An empty block configures nothing: in a module checked on its
            // own it is most likely a legacy proxy for a caller's.
            if let Some(pc) = m.config.provider_configs.iter().find(|pc| !pc.is_empty()) {
                return (
                    Role::Deployed,
                    format!(
                        "no module calls it and it configures provider \"{}\"",
                        pc.reference()
                    ),
                );
            }
            (
                Role::Reusable,
                "no module calls it, and it has no backend, lock file or provider configuration"
                    .to_string(),
            )
        })
        .collect();
    for (m, (role, reason)) in ws.modules.iter_mut().zip(decided) {
        m.role = role;
        m.role_reason = reason;
    }
}

/// "called by `envs/prod`" for a module another calls locally.
fn called_by(ws: &Workspace, m: &Module, rel: &[String]) -> Option<String> {
    let callers = &ws.callers[m.id.0 as usize];
    let mut names: Vec<&str> = callers
        .iter()
        .map(|(c, _)| rel[c.0 as usize].as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    let first = names.first()?;
    Some(match names.len() {
        1 => format!("called by `{first}`"),
        2 => format!("called by `{first}` and 1 other module"),
        n => format!("called by `{first}` and {} other modules", n - 1),
    })
}

/// The signs that a root is applied as it is, in words.
fn applied(m: &Module) -> Option<String> {
    let cfg = &m.config;
    if m.is_stack() {
        Some("a Terraform stack".to_string())
    } else if let Some(b) = &cfg.backend {
        Some(if b.kind == "cloud" {
            "has a `cloud` block".to_string()
        } else {
            format!("has a `backend \"{}\"` block", b.kind)
        })
    } else if !cfg.state_store_providers.is_empty() {
        Some("has a `state_store` block".to_string())
    } else if m.has_lock_file() {
        Some("has a lock file".to_string())
    } else {
        None
    }
}

/// The intersection of the module's literal `required_version`s, when it
/// admits some version and every one it admits is before 0.13, as its
/// normalised text. Decided with the core constraint rules, whichever
/// engine this reading is for: the text was written for Terraform.
fn legacy_constraint(m: &Module) -> Option<String> {
    let mut parsed = m
        .config
        .required_versions()
        .filter_map(|(_, p)| p.as_ref().ok());
    let mut all = parsed.next()?.clone();
    for c in parsed {
        all.intersect_with(c);
    }
    // Most modules admit a release of today's Terraform, which settles it
    // without working out the bounds.
    if ["1.5.7", "1.9.0", "1.11.4", "0.13.0", "1.0.0"]
        .iter()
        .filter_map(|v| semver::Version::parse(v).ok())
        .any(|v| all.matches(&v))
    {
        return None;
    }
    let (upper, inclusive) = all.upper()?;
    let first_modern = semver::Version::new(0, 13, 0);
    let before_modern = upper < first_modern || upper == first_modern && !inclusive;
    (before_modern && all.is_satisfiable()).then(|| all.normalized())
}

/// For each module, why it is called through a remote source that names
/// this repository, if it is: a registry address
/// `NAMESPACE/NAME/PROVIDER` of a repository named
/// `terraform-PROVIDER-NAME` (the registry's convention), or a git address
/// of the repository, leading to the project root or to the module's
/// subdirectory (`//modules/x`).
fn remote_self_calls(ws: &Workspace, rel: &[String]) -> Vec<Option<String>> {
    let mut out = vec![None; ws.modules.len()];
    let Some(repo) = repository_name(&ws.root) else {
        return out;
    };
    let repo = repo.to_ascii_lowercase();
    let by_dir: crate::HashMap<&str, usize> = rel
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    for m in &ws.modules {
        for (ci, call) in m.config.module_calls.iter().enumerate() {
            if m.calls.get(ci) != Some(&CallTarget::Remote) {
                continue;
            }
            let Some(source) = call.source_str() else {
                continue;
            };
            let (name, subdir) = match ModuleSource::parse(&source.value) {
                ModuleSource::Registry {
                    name,
                    system,
                    subdir,
                    ..
                } => (format!("terraform-{system}-{name}"), subdir),
                ModuleSource::Remote(r) if r.kind.is_git() => {
                    let url = r.url.trim_end_matches('/');
                    let last = url.rsplit(['/', ':']).next().unwrap_or(url);
                    (last.trim_end_matches(".git").to_string(), r.subdir)
                }
                _ => continue,
            };
            if name.to_ascii_lowercase() != repo {
                continue;
            }
            let target = subdir
                .as_deref()
                .map(|s| s.trim_matches('/').trim_start_matches("./"))
                .filter(|s| !s.is_empty())
                .unwrap_or(".");
            if let Some(&i) = by_dir.get(target) {
                if i != m.id.0 as usize && out[i].is_none() {
                    out[i] = Some(format!(
                        "`{}` calls it as \"{}\", which names this repository",
                        rel[m.id.0 as usize], source.value
                    ));
                }
            }
        }
    }
    out
}

/// The project's repository name: the last part of the URL of its git
/// remote (`origin`, else the first), else the name of the project root.
fn repository_name(root: &Path) -> Option<String> {
    let from_git = git_config(root).and_then(|config| {
        let url = remote_url(&config)?;
        let url = url.trim().trim_end_matches('/');
        let last = url.rsplit(['/', ':']).next()?;
        let name = last.strip_suffix(".git").unwrap_or(last);
        (!name.is_empty()).then(|| name.to_string())
    });
    from_git.or_else(|| Some(root.file_name()?.to_string_lossy().into_owned()))
}

/// The text of the project root's git configuration: `.git/config`, or
/// for a linked worktree (whose `.git` is a file naming its git
/// directory) the configuration of the repository it belongs to.
fn git_config(root: &Path) -> Option<String> {
    let dot = root.join(".git");
    let dir = if dot.is_dir() {
        dot
    } else {
        let text = std::fs::read_to_string(&dot).ok()?;
        let gitdir = root.join(text.trim().strip_prefix("gitdir:")?.trim());
        match std::fs::read_to_string(gitdir.join("commondir")) {
            Ok(common) => gitdir.join(common.trim()),
            Err(_) => gitdir,
        }
    };
    std::fs::read_to_string(dir.join("config")).ok()
}

/// The `url` of the `origin` remote in a git configuration, else of the
/// first remote.
fn remote_url(config: &str) -> Option<&str> {
    let mut section = "";
    let mut first = None;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() != "url" || !section.starts_with("[remote ") {
            continue;
        }
        if section == "[remote \"origin\"]" {
            return Some(value.trim());
        }
        first = first.or(Some(value.trim()));
    }
    first
}

/// For each module, its own role and the roles of the roots whose trees
/// contain it: the roles a finding about the module concerns.
pub fn concerned(ws: &Workspace) -> Vec<RoleSet> {
    let mut sets: Vec<RoleSet> = ws
        .modules
        .iter()
        .map(|m| match m.place {
            Place::Root => RoleSet::EMPTY.with(m.role),
            Place::Child => RoleSet::EMPTY,
        })
        .collect();
    // Roots' roles flow down the local calls until nothing changes; a set
    // only grows, and has five members at most.
    let mut work: Vec<usize> = (0..ws.modules.len())
        .filter(|&i| sets[i] != RoleSet::EMPTY)
        .collect();
    while let Some(i) = work.pop() {
        for t in &ws.modules[i].calls {
            if let CallTarget::Local(c) = t {
                let c = c.0 as usize;
                let grown = sets[c].union(sets[i]);
                if grown != sets[c] {
                    sets[c] = grown;
                    work.push(c);
                }
            }
        }
    }
    for (set, m) in sets.iter_mut().zip(&ws.modules) {
        *set = set.with(m.role);
    }
    sets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_patterns_compile_and_cover_both_roles() {
        for role in [Role::Example, Role::Test, Role::Legacy] {
            let patterns: Vec<&str> = default_patterns(role).collect();
            let least = if role == Role::Legacy { 1 } else { 5 };
            assert!(patterns.len() >= least, "{role:?}: {patterns:?}");
            for p in patterns {
                assert!(glob(p).is_ok(), "{p}");
            }
        }
        let lines = DEFAULT_PATTERNS
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
        for l in lines {
            let kind = l.split_whitespace().next().unwrap_or("");
            let role = Role::parse(kind);
            assert!(
                matches!(role, Some(Role::Example | Role::Test | Role::Legacy))
                    || kind == "environment",
                "line {l:?} names no example or test role, nor an environment"
            );
        }
        assert!(environment_names().any(|e| e == "prod"));
        assert!(environment_names().all(|e| e == e.to_ascii_lowercase()));
    }

    #[test]
    fn patterns_match_a_directory_and_everything_below_it() {
        // A root with no directories: no environments beside anything.
        let nowhere = Path::new("/nonexistent-tfpin-root");
        let p = Patterns::new(default_patterns(Role::Example), true);
        assert_eq!(
            p.under("examples/complete", nowhere),
            Some(("examples".to_string(), "**/examples"))
        );
        assert_eq!(
            p.under("modules/vpc/examples/simple/nested", nowhere),
            Some(("modules/vpc/examples".to_string(), "**/examples"))
        );
        assert_eq!(
            p.under("examples", nowhere),
            Some(("examples".to_string(), "**/examples"))
        );
        assert_eq!(p.under("envs/prod", nowhere), None);
        assert_eq!(p.under(".", nowhere), None);
        // A directory whose name only contains a pattern's word is not one.
        assert_eq!(p.under("my-examples/x", nowhere), None);
        let t = Patterns::new(["test/*"].into_iter(), false);
        assert_eq!(
            t.under("test/a/b", nowhere),
            Some(("test/a".to_string(), "test/*"))
        );
        assert_eq!(t.under("test", nowhere), None);
    }

    #[test]
    fn role_sets_describe_themselves() {
        assert_eq!(RoleSet::ALL.describe(), "every role");
        assert_eq!(
            RoleSet::of(&[Role::Deployed]).describe(),
            "deployed roots, with the modules their trees call"
        );
        assert_eq!(
            RoleSet::of(&[Role::Deployed, Role::Reusable]).describe(),
            "deployed roots and reusable modules"
        );
        assert_eq!(
            RoleSet::ALL.without(Role::Legacy).describe(),
            "every role but legacy modules"
        );
        assert_eq!(
            RoleSet::ALL
                .without(Role::Legacy)
                .without(Role::Reusable)
                .describe(),
            "deployed roots, example roots and test fixtures, with the modules their trees call"
        );
        assert_eq!(
            format!("{:?}", RoleSet::of(&[Role::Test])),
            "{\"test-fixture\"}"
        );
    }

    #[test]
    fn role_names_round_trip_and_misspellings_are_caught() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.id()), Some(r));
        }
        assert_eq!(Role::closest("deployed"), Some("deployed-root"));
        assert_eq!(Role::closest("example"), Some("example-root"));
        assert_eq!(Role::closest("something-else-entirely"), None);
    }

    #[test]
    fn the_origin_remote_names_the_repository() {
        let config = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://github.com/a/up.git\n[remote \"origin\"]\n\turl = git@github.com:org/terraform-aws-vpc.git\n";
        assert_eq!(
            remote_url(config),
            Some("git@github.com:org/terraform-aws-vpc.git")
        );
        assert_eq!(
            remote_url("[remote \"fork\"]\n url = https://x/y/z\n"),
            Some("https://x/y/z")
        );
        assert_eq!(remote_url("[core]\n url = nope\n"), None);
    }
}
