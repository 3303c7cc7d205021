//! Which of a directory's files an engine loads, and how.
//!
//! Discovery lists every file that some engine might read. This module is
//! the one place that decides, for Terraform and for OpenTofu, which of
//! them a module is made of: its primary and override configuration files,
//! the `.tf` files a `.tofu` twin shadows, and the variables files that are
//! loaded without `-var-file`. Every later stage reads that decision.
//!
//! The engines' own loaders, which these rules follow:
//!
//! - Terraform: `internal/configs/parser_config_dir.go` (`dirFiles`): a
//!   file ending in `.tf` or `.tf.json` is configuration, an override file
//!   when its name without the extension is `override` or ends in
//!   `_override`; names that start with `.` or `#`, or end in `~`, are
//!   editor files and ignored. `.tofu` files are not read at all.
//!   Variables: `internal/command/meta.go` (`collectVariableValues`) loads
//!   `terraform.tfvars`, `terraform.tfvars.json`, then every
//!   `*.auto.tfvars` and `*.auto.tfvars.json` in name order; any other
//!   `.tfvars` file is read only when `-var-file` names it.
//! - OpenTofu: `internal/configs/parser_config_dir.go`
//!   (`filterTfPathsWithTofuAlternatives`): `.tofu` and `.tofu.json` are
//!   configuration too, and `foo.tofu` replaces `foo.tf` (and
//!   `foo.tofu.json` replaces `foo.tf.json`), each only within its own
//!   format, separately among primary and override files. Variables files
//!   are the same as Terraform's.
//! - Terraform Stacks: a directory with component files
//!   (`*.tfcomponent.hcl`, or the older `*.tfstack.hcl`) is a stack root,
//!   and its deployment files (`*.tfdeploy.hcl`) say how it is deployed.
//!   Only Terraform has stacks; OpenTofu reads neither kind. A stack's
//!   `.tf` files are not part of it (the Stacks language replaces the root
//!   module), so in a stack directory they are not read.

use std::fmt;

/// An engine that reads a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Engine {
    #[default]
    Terraform,
    OpenTofu,
}

impl Engine {
    pub const ALL: [Engine; 2] = [Engine::Terraform, Engine::OpenTofu];

    /// The name used in settings, flags and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Engine::Terraform => "terraform",
            Engine::OpenTofu => "opentofu",
        }
    }

    /// The name shown in prose.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Terraform => "Terraform",
            Engine::OpenTofu => "OpenTofu",
        }
    }

    /// The registry host that a provider source without one resolves to.
    pub fn default_registry(self) -> &'static str {
        match self {
            Engine::Terraform => "registry.terraform.io",
            Engine::OpenTofu => "registry.opentofu.org",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which engines a tree is checked for: the `engine` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// Decided for each root tree from what it holds (see
    /// `model::engines`).
    #[default]
    Auto,
    Terraform,
    OpenTofu,
    /// Every tree, as both engines read it.
    Both,
}

impl EngineChoice {
    pub const NAMES: [&'static str; 4] = ["auto", "terraform", "opentofu", "both"];

    pub fn parse(s: &str) -> Option<EngineChoice> {
        match s {
            "auto" => Some(EngineChoice::Auto),
            "terraform" => Some(EngineChoice::Terraform),
            "opentofu" | "tofu" => Some(EngineChoice::OpenTofu),
            "both" => Some(EngineChoice::Both),
            _ => None,
        }
    }
}

/// The syntax a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Syntax {
    Native,
    Json,
}

/// What one file may be to an engine, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// Configuration: `.tf`, `.tf.json`, and OpenTofu's `.tofu`,
    /// `.tofu.json`.
    Config { syntax: Syntax, tofu: bool },
    /// A variables file that both engines load without being asked:
    /// `terraform.tfvars`, `*.auto.tfvars` and their `.json` forms.
    AutoVars(Syntax),
    /// `.terraform.lock.hcl`.
    Lock,
    /// A Terraform Stacks file.
    Stack(StackFile),
    /// A query file, `*.tfquery.hcl` (Terraform 1.14): `list` blocks that
    /// `terraform query` runs with the module's providers.
    Query,
}

/// The two kinds of Terraform Stacks files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StackFile {
    /// `*.tfcomponent.hcl` (`*.tfstack.hcl` before Terraform 1.13): the
    /// stack's providers, components, variables and outputs.
    Components,
    /// `*.tfdeploy.hcl`: the stack's deployments and their inputs.
    Deployments,
}

impl FileKind {
    /// Classifies a file by its name, the way the engines do. Editor
    /// backup and lock files (`#foo.tf`, `foo.tf~`, `.foo.tf`) are ignored
    /// by both, and so are variables files that are only read with
    /// `-var-file`.
    pub fn of(name: &str) -> Option<FileKind> {
        if name == ".terraform.lock.hcl" {
            return Some(FileKind::Lock);
        }
        if name.starts_with('.') || name.starts_with('#') || name.ends_with('~') {
            return None;
        }
        let config = |syntax, tofu| Some(FileKind::Config { syntax, tofu });
        if name.ends_with(".tfcomponent.hcl") || name.ends_with(".tfstack.hcl") {
            Some(FileKind::Stack(StackFile::Components))
        } else if name.ends_with(".tfdeploy.hcl") {
            Some(FileKind::Stack(StackFile::Deployments))
        } else if name.ends_with(".tfquery.hcl") {
            Some(FileKind::Query)
        } else if name.ends_with(".tf") {
            config(Syntax::Native, false)
        } else if name.ends_with(".tf.json") {
            config(Syntax::Json, false)
        } else if name.ends_with(".tofu") {
            config(Syntax::Native, true)
        } else if name.ends_with(".tofu.json") {
            config(Syntax::Json, true)
        } else if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
            Some(FileKind::AutoVars(Syntax::Native))
        } else if name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars.json") {
            Some(FileKind::AutoVars(Syntax::Json))
        } else {
            None
        }
    }

    /// Whether the file configures a module or a stack: what makes a
    /// directory one.
    pub fn is_config(self) -> bool {
        matches!(
            self,
            FileKind::Config { .. } | FileKind::Stack(StackFile::Components)
        )
    }

    pub fn syntax(self) -> Syntax {
        match self {
            FileKind::Config { syntax, .. } | FileKind::AutoVars(syntax) => syntax,
            FileKind::Lock | FileKind::Stack(_) | FileKind::Query => Syntax::Native,
        }
    }
}

/// Whether a file name is one that the engines or their users give
/// Terraform files, loaded automatically or not: what a deleted path that
/// pre-commit passes may have been.
pub fn is_terraform_file_name(name: &str) -> bool {
    FileKind::of(name).is_some()
        || name.ends_with(".tfvars")
        || name.ends_with(".tfvars.json")
        || test_file_syntax(name).is_some()
}

/// The syntax of a test, mock or query file, which is not module
/// configuration: `.tftest.hcl`, `.tftest.json`, `.tofutest.hcl`,
/// `.tofutest.json`, `.tfmock.hcl`, `.tfmock.json`, `.tfquery.hcl`.
pub fn test_file_syntax(name: &str) -> Option<Syntax> {
    const NATIVE: [&str; 4] = [
        ".tftest.hcl",
        ".tofutest.hcl",
        ".tfmock.hcl",
        ".tfquery.hcl",
    ];
    const JSON: [&str; 3] = [".tftest.json", ".tofutest.json", ".tfmock.json"];
    if NATIVE.iter().any(|s| name.ends_with(s)) {
        Some(Syntax::Native)
    } else if JSON.iter().any(|s| name.ends_with(s)) {
        Some(Syntax::Json)
    } else {
        None
    }
}

/// Whether a configuration file is an override file: its name without the
/// extension is `override` or ends in `_override`.
pub fn is_override_file(name: &str) -> bool {
    let stem = config_stem(name).unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

/// A configuration file's name without its extension (`main` for
/// `main.tf`, `main.tofu.json`).
fn config_stem(name: &str) -> Option<&str> {
    [".tf.json", ".tofu.json", ".tf", ".tofu"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
}

/// What an engine makes of one file of a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A configuration file that is read, before the overrides.
    Primary,
    /// An override file, merged after every primary file in name order.
    Override,
    /// A `.tf` or `.tf.json` file that a `.tofu` or `.tofu.json` twin
    /// replaces; the index is the twin's.
    Shadowed(usize),
    /// A file the engine does not read: a `.tofu` or `.tofu.json` file
    /// to Terraform, a stack file to OpenTofu, a `.tf` file in a stack.
    NotRead,
    /// An automatically loaded variables file.
    Vars,
    /// The lock file.
    Lock,
    /// A stack's component file.
    StackComponents,
    /// A stack's deployment file.
    StackDeployments,
    /// A query file, read for the providers its `list` blocks use.
    Query,
}

/// What an engine makes of each file of a directory, given the directory's
/// file names (in any order): one role per name, same order.
pub fn roles<S: AsRef<str>>(names: &[S], engine: Engine) -> Vec<Role> {
    let kinds: Vec<Option<FileKind>> = names.iter().map(|n| FileKind::of(n.as_ref())).collect();
    let stack = engine == Engine::Terraform
        && kinds.contains(&Some(FileKind::Stack(StackFile::Components)));
    let mut roles = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let name = name.as_ref();
        let role = match kinds[i] {
            None => Role::NotRead,
            Some(FileKind::Lock) => Role::Lock,
            // Terraform's `terraform query` (1.14) reads them, in a module
            // (internal/configs/parser_config_dir.go); OpenTofu has no
            // query files, and a stack none.
            Some(FileKind::Query) if engine == Engine::Terraform && !stack => Role::Query,
            Some(FileKind::Query) => Role::NotRead,
            Some(FileKind::Stack(_)) if engine == Engine::OpenTofu => Role::NotRead,
            Some(FileKind::Stack(StackFile::Components)) => Role::StackComponents,
            // Deployments without components are no stack.
            Some(FileKind::Stack(StackFile::Deployments)) if stack => Role::StackDeployments,
            Some(FileKind::Stack(StackFile::Deployments)) => Role::NotRead,
            // A stack reads no module files, nor variables files.
            Some(FileKind::Config { .. } | FileKind::AutoVars(_)) if stack => Role::NotRead,
            Some(FileKind::AutoVars(_)) => Role::Vars,
            Some(FileKind::Config { tofu: true, .. }) if engine == Engine::Terraform => {
                Role::NotRead
            }
            Some(FileKind::Config { syntax, tofu }) => {
                let twin = (engine == Engine::OpenTofu && !tofu)
                    .then(|| twin_of(name, syntax))
                    .flatten()
                    .and_then(|t| names.iter().position(|n| n.as_ref() == t));
                match twin {
                    Some(t) => Role::Shadowed(t),
                    None if is_override_file(name) => Role::Override,
                    None => Role::Primary,
                }
            }
        };
        roles.push(role);
    }
    roles
}

/// The name of the OpenTofu file that replaces a `.tf` or `.tf.json` file.
fn twin_of(name: &str, syntax: Syntax) -> Option<String> {
    match syntax {
        Syntax::Native => name.strip_suffix(".tf").map(|s| format!("{s}.tofu")),
        Syntax::Json => name
            .strip_suffix(".tf.json")
            .map(|s| format!("{s}.tofu.json")),
    }
}

/// How a directory's configuration files serve the two engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// No OpenTofu files: both engines read the same files.
    Same,
    /// Every OpenTofu file has a Terraform twin: each engine reads its
    /// own set, and the module is meant for both.
    Twins,
    /// An OpenTofu file without a twin: the module is written for
    /// OpenTofu, and Terraform would miss part of it.
    OpenTofuOnly,
}

/// How a directory with these file names serves the two engines.
pub fn support<S: AsRef<str>>(names: &[S]) -> Support {
    let mut any = false;
    for n in names {
        let n = n.as_ref();
        let Some(FileKind::Config { syntax, tofu: true }) = FileKind::of(n) else {
            continue;
        };
        any = true;
        let twin = match syntax {
            Syntax::Native => n.strip_suffix(".tofu").map(|s| format!("{s}.tf")),
            Syntax::Json => n.strip_suffix(".tofu.json").map(|s| format!("{s}.tf.json")),
        };
        let has_twin = twin.is_some_and(|t| names.iter().any(|m| m.as_ref() == t));
        if !has_twin {
            return Support::OpenTofuOnly;
        }
    }
    if any {
        Support::Twins
    } else {
        Support::Same
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_files_like_the_engines() {
        let native = |tofu| {
            Some(FileKind::Config {
                syntax: Syntax::Native,
                tofu,
            })
        };
        let json = |tofu| {
            Some(FileKind::Config {
                syntax: Syntax::Json,
                tofu,
            })
        };
        assert_eq!(FileKind::of("main.tf"), native(false));
        assert_eq!(FileKind::of("main.tofu"), native(true));
        assert_eq!(FileKind::of("main.tf.json"), json(false));
        assert_eq!(FileKind::of("main.tofu.json"), json(true));
        assert_eq!(
            FileKind::of("terraform.tfvars"),
            Some(FileKind::AutoVars(Syntax::Native))
        );
        assert_eq!(
            FileKind::of("eu.auto.tfvars"),
            Some(FileKind::AutoVars(Syntax::Native))
        );
        assert_eq!(
            FileKind::of("terraform.tfvars.json"),
            Some(FileKind::AutoVars(Syntax::Json))
        );
        assert_eq!(
            FileKind::of("x.auto.tfvars.json"),
            Some(FileKind::AutoVars(Syntax::Json))
        );
        // Read only with -var-file.
        assert_eq!(FileKind::of("prod.tfvars"), None);
        assert_eq!(FileKind::of("access.auto.example.tfvars"), None);
        assert_eq!(FileKind::of("terraform.tfvars.example"), None);
        assert_eq!(FileKind::of(".terraform.lock.hcl"), Some(FileKind::Lock));
        assert_eq!(FileKind::of(".hidden.tf"), None);
        assert_eq!(FileKind::of("#main.tf"), None);
        assert_eq!(FileKind::of("main.tf~"), None);
        assert_eq!(FileKind::of("main.tfstate"), None);
        assert_eq!(FileKind::of("main.tftest.hcl"), None);
        assert_eq!(FileKind::of("search.tfquery.hcl"), Some(FileKind::Query));
        assert!(!FileKind::Query.is_config());
        assert_eq!(FileKind::of("README.md"), None);
        assert!(is_terraform_file_name("prod.tfvars"));
        assert!(is_terraform_file_name("a.tftest.hcl"));
        assert!(!is_terraform_file_name("README.md"));
    }

    #[test]
    fn override_files_in_every_form() {
        for name in [
            "override.tf",
            "override.tf.json",
            "override.tofu",
            "override.tofu.json",
            "x_override.tf",
            "x_override.tofu.json",
        ] {
            assert!(is_override_file(name), "{name}");
        }
        for name in ["main.tf", "overrides.tf", "x-override.tf", "override_x.tf"] {
            assert!(!is_override_file(name), "{name}");
        }
    }

    #[test]
    fn terraform_reads_no_opentofu_file() {
        let names = ["main.tf", "main.tofu", "o_override.tofu.json", "v.tf.json"];
        assert_eq!(
            roles(&names, Engine::Terraform),
            [Role::Primary, Role::NotRead, Role::NotRead, Role::Primary]
        );
    }

    #[test]
    fn a_tofu_twin_replaces_its_tf_file_within_its_format() {
        let names = [
            "a.tf",
            "a.tofu",
            "b.tf",
            "b.tofu.json",
            "c.tf.json",
            "c.tofu.json",
            "d.tf.json",
            "d.tofu",
            "x_override.tf",
            "x_override.tofu",
        ];
        assert_eq!(
            roles(&names, Engine::OpenTofu),
            [
                Role::Shadowed(1),
                Role::Primary,
                // A JSON twin does not replace a native file, nor the
                // other way round.
                Role::Primary,
                Role::Primary,
                Role::Shadowed(5),
                Role::Primary,
                Role::Primary,
                Role::Primary,
                Role::Shadowed(9),
                Role::Override,
            ]
        );
    }

    #[test]
    fn stack_files_are_terraforms_and_make_a_stack() {
        let components = Some(FileKind::Stack(StackFile::Components));
        assert_eq!(FileKind::of("main.tfcomponent.hcl"), components);
        assert_eq!(FileKind::of("old.tfstack.hcl"), components);
        assert_eq!(
            FileKind::of("prod.tfdeploy.hcl"),
            Some(FileKind::Stack(StackFile::Deployments))
        );
        assert!(FileKind::of("main.tfcomponent.hcl").unwrap().is_config());
        assert!(!FileKind::of("prod.tfdeploy.hcl").unwrap().is_config());
        assert_eq!(FileKind::of(".x.tfcomponent.hcl"), None);
        let names = [
            ".terraform.lock.hcl",
            "c.tfcomponent.hcl",
            "d.tfdeploy.hcl",
            "main.tf",
            "terraform.tfvars",
        ];
        assert_eq!(
            roles(&names, Engine::Terraform),
            [
                Role::Lock,
                Role::StackComponents,
                Role::StackDeployments,
                Role::NotRead,
                Role::NotRead
            ]
        );
        assert_eq!(
            roles(&names, Engine::OpenTofu),
            [
                Role::Lock,
                Role::NotRead,
                Role::NotRead,
                Role::Primary,
                Role::Vars
            ]
        );
        // Deployments alone make no stack, and leave a module as it is.
        assert_eq!(
            roles(&["d.tfdeploy.hcl", "main.tf"], Engine::Terraform),
            [Role::NotRead, Role::Primary]
        );
        // Query files are Terraform's, and a module's.
        let names = ["main.tf", "q.tfquery.hcl"];
        assert_eq!(
            roles(&names, Engine::Terraform),
            [Role::Primary, Role::Query]
        );
        assert_eq!(
            roles(&names, Engine::OpenTofu),
            [Role::Primary, Role::NotRead]
        );
        assert_eq!(
            roles(&["s.tfcomponent.hcl", "q.tfquery.hcl"], Engine::Terraform),
            [Role::StackComponents, Role::NotRead]
        );
    }

    #[test]
    fn support_follows_the_twins() {
        assert_eq!(support(&["main.tf", "versions.tf"]), Support::Same);
        assert_eq!(support(&["versions.tf", "versions.tofu"]), Support::Twins);
        assert_eq!(support(&["main.tf", "only.tofu"]), Support::OpenTofuOnly);
        assert_eq!(support(&["v.tf", "v.tofu.json"]), Support::OpenTofuOnly);
    }
}
