//! `.tfpin.hcl`, read strictly into [`Settings`] once at start-up.
//!
//! ```hcl
//! rule "provider-version-unbounded" {
//!   enabled  = true
//!   severity = "error"
//! }
//! policy {
//!   allowed_regions   = ["eu-*"]
//!   terraform_version = "1.11.4"
//! }
//! lock {
//!   platforms = ["linux_amd64", "darwin_arm64"]
//! }
//! exclude = ["legacy/**"]
//! engine  = "auto" # or "terraform", "opentofu", "both"
//!
//! # Module roles (see `crate::model::roles`); patterns are globs on module
//! # directories relative to the project root, `*` within one directory.
//! roles {
//!   example = ["**/examples", "sandbox"] # replaces the default example list
//!   test    = ["**/test"]                # replaces the default test list
//! }
//! root "live/*" {
//!   # deployed-root, example-root, test-fixture, reusable-module or legacy
//!   role = "deployed-root"
//! }
//! rule "lock-missing" {
//!   roles   = ["deployed-root", "example-root"] # the roles the rule judges
//!   exclude = ["sandbox/**"]                     # paths the rule leaves alone
//! }
//! ```
//!
//! A role pattern covers the directory it matches and everything below it;
//! a `root` block covers the directories it matches, the last matching
//! block winning. A rule's `exclude` drops its findings in files under a
//! matching path.
//!
//! Every unknown block, attribute, rule id or role name is an error with its
//! location.

use crate::finding::Severity;
use crate::hclx::{self, range_of};
use crate::model::roles::{self, Role, RoleSet, RoleSettings};
use crate::rules;
use crate::source::SourceFile;
use globset::{Glob, GlobSet, GlobSetBuilder};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The name of the configuration file.
pub const FILE_NAME: &str = ".tfpin.hcl";

/// The top-level blocks, for messages.
const BLOCKS: &str = "`rule`, `policy`, `lock`, `roles` or `root`";

/// The keys every `rule` block takes, for messages.
const RULE_KEYS: &str = "`enabled`, `severity`, `ignorable`, `roles`";

/// The platforms a lock file should cover when the config names none.
pub const DEFAULT_PLATFORMS: &[&str] = &["linux_amd64", "darwin_arm64"];

/// A value of a rule-specific option.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Bool(bool),
    String(String),
    List(Vec<String>),
}

/// The type a rule option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    Bool,
    String,
    List,
}

/// Settings for one rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSettings {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    /// Whether inline ignore comments may silence this rule.
    pub ignorable: Option<bool>,
    /// The roles the rule judges, instead of its own (`roles = [...]`).
    pub roles: Option<RoleSet>,
    /// Paths, relative to the project root, whose findings of this rule
    /// are dropped (`exclude = [...]`).
    pub exclude: Vec<String>,
    pub options: BTreeMap<String, OptionValue>,
}

/// Resolved settings: the config file with command-line flags applied.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub rules: BTreeMap<String, RuleSettings>,
    /// Glob patterns of allowed regions; empty means no policy.
    pub allowed_regions: Vec<String>,
    /// The Terraform version the team runs.
    pub terraform_version: Option<semver::Version>,
    /// Which engines trees are checked for (`engine`).
    pub engine: crate::fileset::EngineChoice,
    /// Platforms the lock file must cover.
    pub lock_platforms: Vec<String>,
    /// Exclusion patterns, relative to the config file's directory.
    pub exclude: Vec<String>,
    /// How module roles are decided: `roles {}` and `root "glob" {}`.
    pub roles: RoleSettings,
    /// Where the configuration came from, if anywhere.
    pub config_path: Option<PathBuf>,
    /// `root = true`: the file's directory is a project root (see
    /// [`crate::project`]), and configurations above it do not apply.
    pub root: bool,
    /// The settings this file (or the command line) sets, by key
    /// (`engine`, `policy.allowed_regions`, `rule.<id>.severity`...): what
    /// it overrides when laid over the configuration of a directory
    /// above it (see [`crate::layers`]).
    pub keys: std::collections::BTreeSet<String>,
    /// The directory `exclude` patterns are relative to: that of the file
    /// that set them.
    pub exclude_base: Option<PathBuf>,
    /// How to find the settings of each module (see [`crate::layers`]);
    /// `None` when one configuration governs everything.
    pub hierarchy: Option<std::sync::Arc<crate::layers::Hierarchy>>,
    /// `--var-file` files, in order.
    pub var_files: Vec<PathBuf>,
    /// `--var name=value`, in order.
    pub vars: Vec<(String, String)>,
}

impl RuleSettings {
    /// The keys a rule block sets, as [`Settings::keys`] names them.
    pub fn keys(&self, id: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (field, set) in [
            ("enabled", self.enabled.is_some()),
            ("severity", self.severity.is_some()),
            ("ignorable", self.ignorable.is_some()),
            ("roles", self.roles.is_some()),
            ("exclude", !self.exclude.is_empty()),
        ] {
            if set {
                out.push(format!("rule.{id}.{field}"));
            }
        }
        out.extend(self.options.keys().map(|k| format!("rule.{id}.{k}")));
        out
    }
}

impl Settings {
    /// Lays `layer`, the configuration of a directory below this one's,
    /// over these settings: what it sets wins, the rest stays.
    pub fn overlay(&mut self, layer: &Settings) {
        for key in &layer.keys {
            match key.as_str() {
                "root" => self.root = layer.root,
                "engine" => self.engine = layer.engine,
                "exclude" => {
                    self.exclude.clone_from(&layer.exclude);
                    self.exclude_base = (layer.config_path.as_deref())
                        .and_then(Path::parent)
                        .map(Path::to_path_buf);
                }
                "policy.allowed_regions" => self.allowed_regions.clone_from(&layer.allowed_regions),
                "policy.terraform_version" => {
                    self.terraform_version.clone_from(&layer.terraform_version)
                }
                "lock.platforms" => self.lock_platforms.clone_from(&layer.lock_platforms),
                "roles.example" => self.roles.example.clone_from(&layer.roles.example),
                "roles.test" => self.roles.test.clone_from(&layer.roles.test),
                "roles.legacy" => self.roles.legacy.clone_from(&layer.roles.legacy),
                // Blocks add up: a nearer file's come after, and the last
                // one that matches a module decides.
                "roles.assigned" => {
                    (self.roles.assigned).extend(layer.roles.assigned.iter().cloned())
                }
                _ => {
                    let Some((id, field)) =
                        key.strip_prefix("rule.").and_then(|k| k.rsplit_once('.'))
                    else {
                        continue;
                    };
                    let Some(theirs) = layer.rules.get(id) else {
                        continue;
                    };
                    let ours = self.rules.entry(id.to_string()).or_default();
                    match field {
                        "enabled" => ours.enabled = theirs.enabled,
                        "severity" => ours.severity = theirs.severity,
                        "ignorable" => ours.ignorable = theirs.ignorable,
                        "roles" => ours.roles = theirs.roles,
                        "exclude" => ours.exclude.clone_from(&theirs.exclude),
                        option => {
                            if let Some(v) = theirs.options.get(option) {
                                ours.options.insert(option.to_string(), v.clone());
                            }
                        }
                    }
                }
            }
            self.keys.insert(key.clone());
        }
    }

    /// A setting's value as a configuration would write it, by key (see
    /// [`Settings::keys`]).
    pub fn value_of(&self, key: &str) -> String {
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|x| format!("\"{x}\"")).collect();
            format!("[{}]", items.join(", "))
        };
        match key {
            "root" => self.root.to_string(),
            "engine" => format!(
                "\"{}\"",
                crate::fileset::EngineChoice::NAMES[self.engine as usize]
            ),
            "exclude" => list(&self.exclude),
            "policy.allowed_regions" => list(&self.allowed_regions),
            "policy.terraform_version" => self
                .terraform_version
                .as_ref()
                .map_or("unset".into(), |v| format!("\"{v}\"")),
            "lock.platforms" => list(&self.platforms()),
            "roles.example" => list(self.roles.example.as_deref().unwrap_or_default()),
            "roles.test" => list(self.roles.test.as_deref().unwrap_or_default()),
            "roles.legacy" => list(self.roles.legacy.as_deref().unwrap_or_default()),
            "roles.assigned" => {
                let blocks: Vec<String> = (self.roles.assigned.iter())
                    .map(|(glob, role)| format!("root \"{glob}\" = \"{}\"", role.id()))
                    .collect();
                blocks.join(", ")
            }
            _ => {
                let Some((id, field)) = key.strip_prefix("rule.").and_then(|k| k.rsplit_once('.'))
                else {
                    return String::new();
                };
                let r = self.rules.get(id);
                match field {
                    "enabled" => r
                        .and_then(|r| r.enabled)
                        .map_or("default".into(), |b| b.to_string()),
                    "severity" => r
                        .and_then(|r| r.severity)
                        .map_or("default".into(), |s| format!("\"{s}\"")),
                    "ignorable" => r
                        .and_then(|r| r.ignorable)
                        .map_or("default".into(), |b| b.to_string()),
                    option => match r.and_then(|r| r.options.get(option)) {
                        Some(OptionValue::Bool(b)) => b.to_string(),
                        Some(OptionValue::String(v)) => format!("\"{v}\""),
                        Some(OptionValue::List(v)) => list(v),
                        None => "unset".into(),
                    },
                }
            }
        }
    }

    /// The settings for a rule (defaults if none were given).
    pub fn rule(&self, id: &str) -> Option<&RuleSettings> {
        self.rules.get(id)
    }

    /// Whether a rule runs: explicitly enabled or disabled, else its default.
    pub fn is_enabled(&self, id: &str, default: bool) -> bool {
        self.rule(id).and_then(|r| r.enabled).unwrap_or(default)
    }

    pub fn severity_override(&self, id: &str) -> Option<Severity> {
        self.rule(id).and_then(|r| r.severity)
    }

    /// The roles a rule judges: `roles = [...]` in its block, else its own.
    pub fn judges(&self, meta: &rules::RuleMeta) -> RoleSet {
        self.rule(meta.id)
            .and_then(|r| r.roles)
            .unwrap_or(meta.judges)
    }

    /// The paths a rule leaves alone, compiled; `None` when it has none.
    pub fn rule_exclude(&self, id: &str) -> Option<GlobSet> {
        let patterns = &self.rule(id)?.exclude;
        (!patterns.is_empty()).then(|| roles::glob_set(patterns))
    }

    pub fn option(&self, rule: &str, key: &str) -> Option<&OptionValue> {
        self.rule(rule).and_then(|r| r.options.get(key))
    }

    /// The exclusion patterns compiled.
    pub fn exclude_set(&self) -> GlobSet {
        let mut b = GlobSetBuilder::new();
        for p in &self.exclude {
            // Patterns were checked when the config was read.
            if let Ok(g) = Glob::new(p) {
                b.add(g);
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    }

    pub fn platforms(&self) -> Vec<String> {
        if self.lock_platforms.is_empty() {
            DEFAULT_PLATFORMS.iter().map(|s| s.to_string()).collect()
        } else {
            self.lock_platforms.clone()
        }
    }
}

/// A configuration error, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Looks for `.tfpin.hcl` in `start` and its parents, stopping after the
/// directory that holds `.git` (the repository root).
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Whether the configuration file at `path` says `root = true`. Read
/// before the configuration is (the project root decides which files
/// apply); a file that cannot be read or parsed declares nothing, and its
/// problem is reported when it is loaded.
pub fn declares_root(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let Ok(text) = crate::parse::decode(&bytes) else {
        return false;
    };
    let Ok(parsed) = crate::parse::parse_body(&text) else {
        return false;
    };
    let declared = parsed.body.iter().any(|item| match item {
        Structure::Attribute(a) => a.key.as_str() == "root" && bool_value(&a.value) == Some(true),
        _ => false,
    });
    declared
}

/// Reads and checks a configuration file.
pub fn load(path: &Path, display: &str) -> Result<Settings, Vec<ConfigError>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![ConfigError {
            path: display.to_string(),
            line: 0,
            column: 0,
            message: format!(
                "cannot read configuration: {}",
                crate::discover::io_reason(&e)
            ),
        }]
    })?;
    let text = match crate::parse::decode(&bytes) {
        Ok(t) => t.into_owned(),
        Err(p) => {
            return Err(vec![ConfigError {
                path: display.to_string(),
                line: 0,
                column: 0,
                message: p.to_string(),
            }])
        }
    };
    let mut s = parse_str(&text, display)?;
    s.config_path = Some(path.to_path_buf());
    Ok(s)
}

/// Parses configuration text. `display` names the file in errors.
pub fn parse_str(text: &str, display: &str) -> Result<Settings, Vec<ConfigError>> {
    let file = SourceFile::new(display.to_string(), text.to_string());
    let mut r = Reader {
        file: &file,
        errors: Vec::new(),
    };
    let body = match crate::parse::parse_body(text) {
        Ok(p) => p.body,
        Err(f) => {
            r.error(f.offset, f.message);
            return Err(r.errors);
        }
    };
    let settings = r.read(&body);
    if r.errors.is_empty() {
        Ok(settings)
    } else {
        Err(r.errors)
    }
}

struct Reader<'a> {
    file: &'a SourceFile,
    errors: Vec<ConfigError>,
}

impl Reader<'_> {
    fn error(&mut self, offset: usize, message: String) {
        let lc = self.file.line_col(offset);
        self.errors.push(ConfigError {
            path: self.file.display.clone(),
            line: lc.line,
            column: lc.column,
            message,
        });
    }

    fn read(&mut self, body: &Body) -> Settings {
        let mut s = Settings::default();
        let mut seen_policy = false;
        let mut seen_lock = false;
        let mut seen_roles = false;
        for item in body.iter() {
            match item {
                Structure::Attribute(a) => match a.key.as_str() {
                    "root" => match bool_value(&a.value) {
                        Some(b) => {
                            s.root = b;
                            s.keys.insert("root".into());
                        }
                        None => self.error(
                            range_of(&a.value).start,
                            "`root` must be true or false".into(),
                        ),
                    },
                    "engine" => {
                        let off = range_of(&a.value).start;
                        let choice = hclx::literal_str(&a.value)
                            .and_then(|v| crate::fileset::EngineChoice::parse(&v));
                        match choice {
                            Some(c) => {
                                s.engine = c;
                                s.keys.insert("engine".into());
                            }
                            None => self.error(
                                off,
                                format!(
                                    "`engine` must be one of {}",
                                    crate::fileset::EngineChoice::NAMES
                                        .map(|n| format!("\"{n}\""))
                                        .join(", ")
                                ),
                            ),
                        }
                    }
                    "exclude" => {
                        s.keys.insert("exclude".into());
                        if let Some(list) = self.globs(&a.value, "exclude", "exclude", Glob::new) {
                            s.exclude.extend(list);
                        }
                    }
                    other => self.error(
                        range_of(&a.key).start,
                        format!("unknown attribute `{other}`; expected `root`, `engine`, `exclude` or a {BLOCKS} block"),
                    ),
                },
                Structure::Block(b) => {
                    let start = range_of(&b.ident).start;
                    match b.ident.as_str() {
                        "rule" => {
                            if b.labels.len() != 1 {
                                self.error(start, "a `rule` block needs exactly one label, the rule id".into());
                                continue;
                            }
                            let id = b.labels[0].as_str().to_string();
                            let label_at = range_of(&b.labels[0]).start;
                            let Some(rule) = rules::find(&id) else {
                                let hint = rules::closest(&id)
                                    .map(|c| format!("; did you mean \"{c}\"?"))
                                    .unwrap_or_default();
                                self.error(label_at, format!("unknown rule \"{id}\"{hint}"));
                                continue;
                            };
                            if s.rules.contains_key(&id) {
                                self.error(label_at, format!("duplicate `rule \"{id}\"` block"));
                                continue;
                            }
                            let rs = self.rule_block(&b.body, rule.meta());
                            s.keys.extend(rs.keys(&id));
                            s.rules.insert(id, rs);
                        }
                        "policy" => {
                            if std::mem::replace(&mut seen_policy, true) {
                                self.error(start, "duplicate `policy` block".into());
                                continue;
                            }
                            self.no_labels(b);
                            self.policy_block(&b.body, &mut s);
                        }
                        "lock" => {
                            if std::mem::replace(&mut seen_lock, true) {
                                self.error(start, "duplicate `lock` block".into());
                                continue;
                            }
                            self.no_labels(b);
                            for item in b.body.iter() {
                                match item {
                                    Structure::Attribute(a) if a.key.as_str() == "platforms" => {
                                        s.keys.insert("lock.platforms".into());
                                        if let Some(list) = self.string_list(&a.value, "platforms") {
                                            for (p, off) in list {
                                                match platform_problem(&p) {
                                                    None => s.lock_platforms.push(p),
                                                    Some(e) => self.error(off, e),
                                                }
                                            }
                                        }
                                    }
                                    other => self.unknown_in(other, "lock", "platforms"),
                                }
                            }
                        }
                        "roles" => {
                            if std::mem::replace(&mut seen_roles, true) {
                                self.error(start, "duplicate `roles` block".into());
                                continue;
                            }
                            self.no_labels(b);
                            self.roles_block(&b.body, &mut s.roles);
                            for (key, set) in [
                                ("roles.example", s.roles.example.is_some()),
                                ("roles.test", s.roles.test.is_some()),
                                ("roles.legacy", s.roles.legacy.is_some()),
                            ] {
                                if set {
                                    s.keys.insert(key.into());
                                }
                            }
                        }
                        "root" => {
                            if b.labels.len() != 1 {
                                self.error(start, "a `root` block needs exactly one label, a glob of module directories".into());
                                continue;
                            }
                            let pattern = b.labels[0].as_str().to_string();
                            if let Err(e) = roles::glob(&pattern) {
                                let at = range_of(&b.labels[0]).start;
                                self.error(at, format!("invalid root pattern \"{pattern}\": {}", e.kind()));
                                continue;
                            }
                            if let Some(role) = self.root_block(b) {
                                s.roles.assigned.push((pattern, role));
                                s.keys.insert("roles.assigned".into());
                            }
                        }
                        other => self.error(
                            start,
                            format!("unknown block `{other}`; expected {BLOCKS}"),
                        ),
                    }
                }
            }
        }
        s
    }

    /// `roles { example = [...] test = [...] legacy = [...] }`.
    fn roles_block(&mut self, body: &Body, settings: &mut RoleSettings) {
        const EXPECTED: &str =
            "`example`, `test` or `legacy` (other roles are given with a `root` block)";
        for item in body.iter() {
            let (a, slot) = match item {
                Structure::Attribute(a) if a.key.as_str() == "example" => {
                    (a, &mut settings.example)
                }
                Structure::Attribute(a) if a.key.as_str() == "test" => (a, &mut settings.test),
                Structure::Attribute(a) if a.key.as_str() == "legacy" => (a, &mut settings.legacy),
                other => {
                    self.unknown_in(other, "roles", EXPECTED);
                    continue;
                }
            };
            let key = a.key.as_str();
            if let Some(patterns) = self.globs(&a.value, key, key, roles::glob) {
                *slot = Some(patterns);
            }
        }
    }

    /// The role of a `root "glob" { role = "..." }` block.
    fn root_block(&mut self, b: &hcl_edit::structure::Block) -> Option<Role> {
        let mut role = None;
        let mut given = false;
        for item in b.body.iter() {
            match item {
                Structure::Attribute(a) if a.key.as_str() == "role" => {
                    given = true;
                    let off = range_of(&a.value).start;
                    match hclx::literal_str(&a.value) {
                        Some(name) => role = self.role_name(&name, off),
                        None => self.error(off, "`role` must be a string".into()),
                    }
                }
                other => self.unknown_in(other, "root", "`role`"),
            }
        }
        if !given {
            self.error(
                range_of(&b.ident).start,
                "a `root` block needs a `role`".into(),
            );
        }
        role
    }

    /// A role by name; an unknown one is an error at `off`.
    fn role_name(&mut self, name: &str, off: usize) -> Option<Role> {
        let role = Role::parse(name);
        if role.is_none() {
            let hint = match Role::closest(name) {
                Some(c) => format!("did you mean \"{c}\"?"),
                None => format!(
                    "expected one of {}",
                    Role::ALL.map(|r| format!("\"{}\"", r.id())).join(", ")
                ),
            };
            self.error(off, format!("unknown role \"{name}\"; {hint}"));
        }
        role
    }

    fn no_labels(&mut self, b: &hcl_edit::structure::Block) {
        if let Some(l) = b.labels.first() {
            self.error(
                range_of(l).start,
                format!("a `{}` block takes no labels", b.ident.as_str()),
            );
        }
    }

    fn unknown_in(&mut self, item: &Structure, block: &str, expected: &str) {
        let (what, name, at) = match item {
            Structure::Attribute(a) => ("attribute", a.key.as_str(), range_of(&a.key).start),
            Structure::Block(b) => ("block", b.ident.as_str(), range_of(&b.ident).start),
        };
        self.error(
            at,
            format!("unknown {what} `{name}` in `{block}` block; expected {expected}"),
        );
    }

    fn policy_block(&mut self, body: &Body, s: &mut Settings) {
        for item in body.iter() {
            match item {
                Structure::Attribute(a) if a.key.as_str() == "allowed_regions" => {
                    s.keys.insert("policy.allowed_regions".into());
                    let list = self.string_list(&a.value, "allowed_regions");
                    for (p, off) in list.into_iter().flatten() {
                        if let Err(e) = Glob::new(&p) {
                            self.error(
                                off,
                                format!("invalid region pattern \"{p}\": {}", e.kind()),
                            );
                        } else if let Some(e) = region_problem(&p) {
                            self.error(off, e);
                        } else {
                            s.allowed_regions.push(p);
                        }
                    }
                }
                Structure::Attribute(a) if a.key.as_str() == "terraform_version" => {
                    s.keys.insert("policy.terraform_version".into());
                    let off = range_of(&a.value).start;
                    match hclx::literal_str(&a.value) {
                        Some(v) => match parse_terraform_version(&v) {
                            Ok(ver) => s.terraform_version = Some(ver),
                            Err(e) => self.error(off, e),
                        },
                        None => self.error(off, "`terraform_version` must be a string".into()),
                    }
                }
                other => {
                    self.unknown_in(other, "policy", "`allowed_regions` or `terraform_version`")
                }
            }
        }
    }

    fn rule_block(&mut self, body: &Body, meta: &rules::RuleMeta) -> RuleSettings {
        let mut rs = RuleSettings::default();
        for item in body.iter() {
            let Structure::Attribute(a) = item else {
                let options: Vec<String> =
                    meta.options.iter().map(|(n, _)| format!("`{n}`")).collect();
                let mut expected = format!("{RULE_KEYS} or `exclude`");
                if !options.is_empty() {
                    expected = format!("{RULE_KEYS}, `exclude` or {}", options.join(", "));
                }
                self.unknown_in(item, "rule", &expected);
                continue;
            };
            let key = a.key.as_str();
            let off = range_of(&a.value).start;
            match key {
                "enabled" | "ignorable" => match bool_value(&a.value) {
                    Some(v) if key == "enabled" => rs.enabled = Some(v),
                    Some(v) => rs.ignorable = Some(v),
                    None => self.error(off, format!("`{key}` must be true or false")),
                },
                "roles" => {
                    if let Some(list) = self.string_list(&a.value, "roles") {
                        let mut set = RoleSet::EMPTY;
                        let mut valid = true;
                        for (name, off) in list {
                            match self.role_name(&name, off) {
                                Some(r) => set = set.with(r),
                                None => valid = false,
                            }
                        }
                        if valid {
                            rs.roles = Some(set);
                        }
                    }
                }
                "exclude" => {
                    let list = self.globs(&a.value, "exclude", "exclude", roles::glob);
                    rs.exclude.extend(list.into_iter().flatten());
                }
                "severity" => match hclx::literal_str(&a.value)
                    .as_deref()
                    .and_then(Severity::parse)
                {
                    Some(sev) => rs.severity = Some(sev),
                    None => self.error(
                        off,
                        "`severity` must be \"error\", \"warning\" or \"note\"".into(),
                    ),
                },
                _ => match meta.options.iter().find(|(n, _)| *n == key) {
                    Some((_, kind)) => {
                        let v = match kind {
                            OptionKind::Bool => bool_value(&a.value).map(OptionValue::Bool),
                            OptionKind::String => {
                                hclx::literal_str(&a.value).map(OptionValue::String)
                            }
                            OptionKind::List => hclx::string_list(&a.value).map(|l| {
                                OptionValue::List(l.into_iter().map(|(s, _)| s).collect())
                            }),
                        };
                        match v {
                            Some(v) => {
                                rs.options.insert(key.to_string(), v);
                            }
                            None => self.error(
                                off,
                                format!(
                                    "`{key}` must be {}",
                                    match kind {
                                        OptionKind::Bool => "true or false",
                                        OptionKind::String => "a string",
                                        OptionKind::List => "a list of strings",
                                    }
                                ),
                            ),
                        }
                    }
                    None => self.unknown_in(item, &format!("rule \"{}\"", meta.id), &{
                        let mut names = vec![
                            "`enabled`".to_string(),
                            "`severity`".into(),
                            "`ignorable`".into(),
                            "`roles`".into(),
                            "`exclude`".into(),
                        ];
                        names.extend(meta.options.iter().map(|(n, _)| format!("`{n}`")));
                        names.join(", ")
                    }),
                },
            }
        }
        rs
    }

    /// A list of glob patterns read with `read`: the valid ones, each
    /// invalid one an error ("invalid `what` pattern") where it is; `None`
    /// when the value is not a list of strings.
    fn globs(
        &mut self,
        expr: &Expression,
        key: &str,
        what: &str,
        read: fn(&str) -> Result<Glob, globset::Error>,
    ) -> Option<Vec<String>> {
        let list = self.string_list(expr, key)?;
        let mut valid = Vec::with_capacity(list.len());
        for (p, off) in list {
            match read(&p) {
                Ok(_) => valid.push(p),
                Err(e) => self.error(off, format!("invalid {what} pattern \"{p}\": {}", e.kind())),
            }
        }
        Some(valid)
    }

    fn string_list(&mut self, expr: &Expression, key: &str) -> Option<Vec<(String, usize)>> {
        match hclx::string_list(expr) {
            Some(l) => Some(l.into_iter().map(|(s, r)| (s, r.start)).collect()),
            None => {
                self.error(
                    range_of(expr).start,
                    format!("`{key}` must be a list of strings"),
                );
                None
            }
        }
    }
}

fn bool_value(expr: &Expression) -> Option<bool> {
    match expr {
        Expression::Bool(b) => Some(*b.value()),
        _ => None,
    }
}

const PLATFORMS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/platforms.txt"
));

/// The names of one kind (`os` or `arch`) in the platforms catalog.
fn platform_names(kind: &str) -> impl Iterator<Item = &'static str> + '_ {
    PLATFORMS
        .lines()
        .filter_map(move |l| l.strip_prefix(kind)?.strip_prefix(' '))
        .map(str::trim)
}

/// Why a lock platform is not one a provider can be built for, with the
/// closest that is; `None` when it is fine.
fn platform_problem(p: &str) -> Option<String> {
    let expected = "expected OS_ARCH such as linux_amd64";
    let Some((os, arch)) = p.split_once('_') else {
        return Some(format!("invalid platform \"{p}\"; {expected}"));
    };
    let known = |kind: &str, name: &str| platform_names(kind).any(|n| n == name);
    if known("os", os) && known("arch", arch) {
        return None;
    }
    let closest = |kind: &str, name: &str| -> &'static str {
        platform_names(kind)
            .min_by_key(|n| crate::text::edit_distance(n, name))
            .unwrap_or_default()
    };
    let fixed = |kind: &str, name: &str| -> String {
        if known(kind, name) {
            name.to_string()
        } else {
            closest(kind, name).to_string()
        }
    };
    let guess = format!("{}_{}", fixed("os", os), fixed("arch", arch));
    let which = if known("os", os) {
        format!("architecture \"{arch}\"")
    } else {
        format!("operating system \"{os}\"")
    };
    Some(format!(
        "invalid platform \"{p}\": unknown {which}; did you mean \"{guess}\"? ({expected})"
    ))
}

/// Why an `allowed_regions` entry names nothing tfpin knows, with the
/// closest region; `None` when it names a region, or is a pattern that
/// matches one.
fn region_problem(p: &str) -> Option<String> {
    let catalog = crate::regions::catalog();
    let names = || (catalog.all().iter()).flat_map(|r| [r.code.as_str(), r.display.as_str()]);
    let is_glob = p.contains(['*', '?', '[', '{']);
    if is_glob {
        let g = globset::GlobBuilder::new(p)
            .case_insensitive(true)
            .build()
            .ok()?
            .compile_matcher();
        if names().any(|n| g.is_match(n)) {
            return None;
        }
        return Some(format!(
            "region pattern \"{p}\" in `allowed_regions` matches no region tfpin knows \
             (see rules/data/*-regions.txt)"
        ));
    }
    if names().any(|n| n.eq_ignore_ascii_case(p)) {
        return None;
    }
    let guess = [
        crate::regions::Cloud::Aws,
        crate::regions::Cloud::Google,
        crate::regions::Cloud::Azure,
    ]
    .into_iter()
    .filter_map(|c| catalog.closest(c, p))
    .min_by_key(|r| crate::text::edit_distance(&r.code, p));
    let hint = guess
        .map(|r| format!("; did you mean \"{}\" ({})?", r.code, r.display))
        .unwrap_or_default();
    Some(format!(
        "unknown region \"{p}\" in `allowed_regions`{hint} (patterns such as \"eu-*\" are allowed)"
    ))
}

/// Parses the Terraform version a team runs: `1.11.4`, with an optional
/// `v` prefix.
pub fn parse_terraform_version(v: &str) -> Result<semver::Version, String> {
    let t = v.trim();
    let t = t.strip_prefix('v').unwrap_or(t);
    semver::Version::parse(t).map_err(|e| {
        format!("invalid Terraform version \"{v}\": {e}; expected a full version such as 1.11.4")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match parse_str(text, ".tfpin.hcl") {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn engine_is_one_of_four() {
        use crate::fileset::EngineChoice;
        let engine = |t: &str| parse_str(t, ".tfpin.hcl").unwrap().engine;
        assert_eq!(engine(""), EngineChoice::Auto);
        assert_eq!(engine("engine = \"both\"\n"), EngineChoice::Both);
        assert_eq!(engine("engine = \"opentofu\"\n"), EngineChoice::OpenTofu);
        assert_eq!(engine("engine = \"terraform\"\n"), EngineChoice::Terraform);
        let e = errors("engine = \"tofu2\"\n");
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("1:10"), "{e:?}");
        assert!(
            e[0].contains(
                "`engine` must be one of \"auto\", \"terraform\", \"opentofu\", \"both\""
            ),
            "{e:?}"
        );
    }

    #[test]
    fn reads_the_documented_example() {
        let s = parse_str(
            r#"
rule "parse-error" {
  enabled  = true
  severity = "warning"
}
policy {
  allowed_regions   = ["eu-*", "europe-*"]
  terraform_version = "1.11.4"
}
lock {
  platforms = ["linux_amd64", "darwin_arm64"]
}
exclude = ["legacy/**"]
"#,
            ".tfpin.hcl",
        )
        .unwrap();
        let r = s.rule("parse-error").unwrap();
        assert_eq!(r.enabled, Some(true));
        assert_eq!(r.severity, Some(Severity::Warning));
        assert_eq!(s.allowed_regions, ["eu-*", "europe-*"]);
        assert_eq!(s.terraform_version, Some(semver::Version::new(1, 11, 4)));
        assert_eq!(s.lock_platforms, ["linux_amd64", "darwin_arm64"]);
        assert_eq!(s.exclude, ["legacy/**"]);
        assert!(s.exclude_set().is_match("legacy/a/main.tf"));
    }

    #[test]
    fn unknown_things_are_errors_with_locations() {
        let e = errors("policy {\n  allowed_region = [\"eu-*\"]\n}\n");
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with(
                ".tfpin.hcl:2:3: unknown attribute `allowed_region` in `policy` block"
            ),
            "{e:?}"
        );
        let e = errors("rule \"parse-eror\" {}\n");
        assert_eq!(
            e,
            [".tfpin.hcl:1:6: unknown rule \"parse-eror\"; did you mean \"parse-error\"?"]
        );
        let e = errors("rules {}\nfoo = 1\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("unknown block `rules`"));
        assert!(e[1].contains("unknown attribute `foo`"));
    }

    #[test]
    fn wrong_types_and_duplicates_are_errors() {
        let e = errors("rule \"parse-error\" {\n  enabled = \"yes\"\n  severity = \"fatal\"\n}\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("`enabled` must be true or false"));
        assert!(e[1].contains("`severity` must be"));
        let e = errors("policy {}\npolicy {}\nlock {}\nlock {}\n");
        assert_eq!(e.len(), 2, "{e:?}");
        let e = errors("rule \"parse-error\" {}\nrule \"parse-error\" {}\n");
        assert_eq!(
            e,
            [".tfpin.hcl:2:6: duplicate `rule \"parse-error\"` block"]
        );
        let e = errors("lock {\n  platforms = [\"linux-amd64\"]\n}\n");
        assert!(e[0].contains("invalid platform"), "{e:?}");
        let e = errors(
            "lock {\n  platforms = [\"linux_amd65\", \"darwn_arm64\", \"windows_arm64\"]\n}\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].contains("unknown architecture \"amd65\"; did you mean \"linux_amd64\"?"),
            "{e:?}"
        );
        assert!(
            e[1].contains("unknown operating system \"darwn\"; did you mean \"darwin_arm64\"?"),
            "{e:?}"
        );
        let e = errors("policy {\n  allowed_regions = [\"eu-west-99\", \"eu-*\", \"europe-west3\", \"West Europe\", \"westeurope\", \"ue-*\", \"eu-centrl-1\"]\n}\n");
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].contains("unknown region \"eu-west-99\""), "{e:?}");
        assert!(
            e[1].contains("\"ue-*\" in `allowed_regions` matches no region"),
            "{e:?}"
        );
        assert!(e[2].contains("did you mean \"eu-central-1\""), "{e:?}");
        let e = errors("policy {\n  terraform_version = \"1.x\"\n}\n");
        assert!(e[0].contains("invalid Terraform version"), "{e:?}");
        let e = errors("exclude = \"legacy\"\n");
        assert!(
            e[0].contains("`exclude` must be a list of strings"),
            "{e:?}"
        );
    }

    #[test]
    fn roles_and_root_blocks_are_read() {
        let s = parse_str(
            "roles {\n  example = [\"sandbox/**\"]\n  test = []\n}\nroot \"live/*\" {\n  role = \"deployed-root\"\n}\nroot \"old\" {\n  role = \"legacy\"\n}\nrule \"lock-missing\" {\n  roles   = [\"deployed-root\", \"example-root\"]\n  exclude = [\"sandbox/**\"]\n}\n",
            ".tfpin.hcl",
        )
        .unwrap();
        assert_eq!(s.roles.example, Some(vec!["sandbox/**".to_string()]));
        assert_eq!(s.roles.test, Some(Vec::new()));
        assert_eq!(
            s.roles.assigned,
            [
                ("live/*".to_string(), Role::Deployed),
                ("old".to_string(), Role::Legacy)
            ]
        );
        let meta = crate::rules::find("lock-missing").unwrap().meta();
        assert_eq!(
            s.judges(meta),
            RoleSet::of(&[Role::Deployed, Role::Example])
        );
        let exclude = s.rule_exclude("lock-missing").unwrap();
        assert!(exclude.is_match("sandbox/a"));
        assert!(!exclude.is_match("live/a"));
        // A rule without a block judges its own roles.
        let other = crate::rules::find("provider-version-unbounded")
            .unwrap()
            .meta();
        assert_eq!(s.judges(other), other.judges);
        assert!(s.rule_exclude("provider-version-unbounded").is_none());
    }

    #[test]
    fn role_mistakes_are_errors_with_locations() {
        let e = errors("root \"live/*\" {\n  role = \"deployed\"\n}\n");
        assert_eq!(
            e,
            [".tfpin.hcl:2:10: unknown role \"deployed\"; did you mean \"deployed-root\"?"]
        );
        let e = errors("rule \"lock-missing\" {\n  roles = [\"exmaple-root\", \"zzz\"]\n}\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].contains("2:12: unknown role \"exmaple-root\"; did you mean \"example-root\"?"),
            "{e:?}"
        );
        assert!(
            e[1].contains("unknown role \"zzz\"; expected one of \"deployed-root\""),
            "{e:?}"
        );
        let e = errors("roles {\n  deployed = [\"x\"]\n}\n");
        assert!(
            e[0].contains("2:3: unknown attribute `deployed` in `roles` block"),
            "{e:?}"
        );
        let e = errors("roles {\n  example = [\"ok\", \"a[\"]\n}\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("2:20: invalid example pattern \"a[\""),
            "{e:?}"
        );
        let e = errors("roles {}\nroles {}\n");
        assert_eq!(e, [".tfpin.hcl:2:1: duplicate `roles` block"]);
        let e = errors("root \"x\" {}\n");
        assert_eq!(e, [".tfpin.hcl:1:1: a `root` block needs a `role`"]);
        let e = errors("root {\n  role = \"legacy\"\n}\n");
        assert!(e[0].contains("needs exactly one label"), "{e:?}");
        let e = errors("root \"a[\" {\n  role = \"legacy\"\n}\n");
        assert!(e[0].contains("invalid root pattern \"a[\""), "{e:?}");
        let e = errors("rule \"lock-missing\" {\n  exclude = [\"a[\"]\n}\n");
        assert!(e[0].contains("invalid exclude pattern \"a[\""), "{e:?}");
        let e = errors("rule \"lock-missing\" {\n  scope = 1\n}\n");
        assert!(
            e[0].contains("expected `enabled`, `severity`, `ignorable`, `roles`, `exclude`"),
            "{e:?}"
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = errors("policy {\n  x = \n");
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with(".tfpin.hcl:"), "{e:?}");
    }
}
