//! Command-line definitions (clap), and nothing else.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Offline linter for Terraform provider pinning and multi-region
/// correctness.
#[derive(Debug, Parser)]
#[command(name = "tfpin", version, about, max_term_width = 100)]
pub struct Cli {
    /// Run as if tfpin had been started in DIR
    #[arg(short = 'C', long, value_name = "DIR", global = true)]
    pub chdir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Terraform modules under the given paths
    Check(CheckArgs),
    /// Show each root module's providers: requirements, effective constraints, lock, configurations
    Providers(ProvidersArgs),
    /// Show where each resource instance runs, and where its data is copied
    Regions(RegionsArgs),
    /// Explain what a version constraint means, the way Terraform reads it
    Constraint(ConstraintArgs),
    /// List every rule
    Rules(RulesArgs),
    /// Print a rule's documentation
    Explain(ExplainArgs),
    /// Show the settings in effect for a path, and which file each came from
    Config(ConfigArgs),
    /// Write a starter .tfpin.hcl tuned to the tree in a directory
    Init(InitArgs),
    /// Run a Language Server Protocol server on standard input and output, for editors
    Lsp,
    /// Print shell completions
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to write .tfpin.hcl in, whose tree it is tuned to
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Print the configuration instead of writing it
    #[arg(long)]
    pub stdout: bool,

    /// Threads for reading the tree (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// What `tfpin check` can write. The other commands only know text and
/// JSON, so they have [`Format`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with source snippets
    Text,
    /// One JSON document, the stable contract
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML, one test case per module and rule
    Junit,
    /// Checkstyle XML, for reviewdog
    Checkstyle,
    /// One line per finding: file:line:col: severity: message [rule]
    Compact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

/// A severity, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Directories (searched recursively) or files (their module is checked)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Write the report to this file instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with 1 when a finding at or above this severity is reported
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// When to use colour in text output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Draw text output with ASCII only (the default under TERM=dumb or a locale that is not UTF-8)
    #[arg(long)]
    pub ascii: bool,

    /// Leave findings below this severity out of the report; what fails the run is unchanged
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<SeverityArg>,

    /// Print errors only: no warnings, notes, summaries or progress; the exit code tells the rest
    #[arg(long, short = 'q', conflicts_with = "statistics")]
    pub quiet: bool,

    /// Print only the count of findings by rule (text or JSON)
    #[arg(long)]
    pub statistics: bool,

    /// Record the current findings in this baseline file, then exit 0 (no report is written)
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["baseline", "baseline_prune", "output", "format"]
    )]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings that this baseline file does not record
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Rewrite the --baseline file without the findings that are gone
    #[arg(long, requires = "baseline")]
    pub baseline_prune: bool,

    /// Also exit with 1 when there are more than this many warnings
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,

    /// Threads for reading, parsing and checking (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,

    /// Apply every safe fix in place, then report what remains
    #[arg(long, conflicts_with_all = ["write_baseline", "baseline_prune"])]
    pub fix: bool,

    /// With --fix or --diff, apply unsafe fixes too
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what --fix would change, change nothing; exit 1 when there is something to fix
    #[arg(long, conflicts_with_all = ["write_baseline", "baseline_prune", "output", "format"])]
    pub diff: bool,
}

/// Options that shape the settings, shared by the commands that read a tree.
#[derive(Debug, Default, Args)]
pub struct SettingsArgs {
    /// The one configuration file for every module (default: the .tfpin.hcl files from the project root down to each module)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Enable a rule (repeatable)
    #[arg(long, value_name = "RULE")]
    pub enable: Vec<String>,

    /// Disable a rule (repeatable)
    #[arg(long, value_name = "RULE")]
    pub disable: Vec<String>,

    /// Run only these rules (comma-separated or repeated); each runs even where it is off by default or by configuration, unless --disable names it
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// The Terraform version your team runs, such as 1.11.4
    #[arg(long, value_name = "VERSION")]
    pub terraform_version: Option<String>,

    /// Check trees as Terraform, OpenTofu, or both read them (default: auto, decided for each root)
    #[arg(long, value_name = "ENGINE", value_parser = ["auto", "terraform", "opentofu", "both"])]
    pub engine: Option<String>,

    /// A variables file, as for `terraform plan -var-file` (repeatable)
    #[arg(long, value_name = "FILE")]
    pub var_file: Vec<PathBuf>,

    /// A variable value, as for `terraform plan -var` (repeatable)
    #[arg(long, value_name = "NAME=VALUE")]
    pub var: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ProvidersArgs {
    /// Directories (searched recursively) or files (their module is shown)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Threads for reading, parsing and checking (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

/// What `tfpin regions` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegionsFormat {
    /// For a terminal
    Text,
    /// One JSON document, a stable contract
    Json,
    /// A Graphviz graph: a cluster per region, an edge per copy of data
    Dot,
}

#[derive(Debug, Args)]
pub struct RegionsArgs {
    /// Directories (searched recursively) or files (their module is shown)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = RegionsFormat::Text)]
    pub format: RegionsFormat,

    /// Write the report to this file instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Threads for reading, parsing and checking (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConstraintKind {
    /// A `required_providers` version
    Provider,
    /// A `required_version`
    Core,
    /// A registry module `version`
    Module,
}

#[derive(Debug, Args)]
pub struct ConstraintArgs {
    /// Which of Terraform's constraint languages to use
    #[arg(long, value_enum, default_value_t = ConstraintKind::Provider)]
    pub kind: ConstraintKind,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// The constraint, such as "~> 5.31"
    #[arg(allow_hyphen_values = true)]
    pub constraint: String,

    /// Versions to test against the constraint
    pub versions: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// A directory or file of the project (default: the working directory)
    #[arg(default_value = ".")]
    pub path: PathBuf,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, such as provider-version-unbounded
    pub rule: String,
}
