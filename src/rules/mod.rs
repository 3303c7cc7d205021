//! The rule machinery: the [`Rule`] trait, rule metadata, and the registry.
//!
//! Adding a rule takes three steps: a file `src/rules/<id>.rs` declaring the
//! rule with [`declare_rule!`], a doc `rules/<id>.md`, and one line in
//! [`REGISTRY`]. The doc is compiled into the binary (`tfpin explain`) and
//! its examples run as tests.

use crate::config::{OptionKind, Settings};
use crate::eval::{OriginKind, Resolved};
use crate::finding::{Finding, Severity};
use crate::model::requirements::TreeRequirements;
use crate::model::sites::Site;
use crate::model::values::Values;
use crate::model::wiring::Placement;
use crate::model::Workspace;
use crate::model::{Role, RoleSet};
use crate::source::Span;

mod constraint_invalid;
mod file_unreadable;
mod ignore_unused;
mod lock_constraints_drift;
mod lock_hashes_incomplete;
mod lock_missing;
mod lock_provider_missing;
mod lock_provider_stale;
mod lock_version_mismatch;
mod module_cycle;
mod module_provider_block;
mod module_providers_mismatch;
mod module_source_invalid;
mod module_source_missing;
mod module_source_mutable_ref;
mod module_source_unpinned;
mod module_version_missing;
mod module_version_unbounded;
mod opentofu_only_construct;
mod parse_error;
mod provider_alias_duplicate;
mod provider_alias_redundant;
mod provider_alias_region_mismatch;
mod provider_alias_undeclared;
mod provider_alias_undefined;
mod provider_alias_unused;
mod provider_block_version;
mod provider_default_missing;
mod provider_instance_key;
mod provider_not_declared;
mod provider_region_missing;
mod provider_source_conflict;
mod provider_source_missing;
mod provider_type_mismatch;
mod provider_unused;
mod provider_version_exact_in_module;
mod provider_version_missing;
mod provider_version_unbounded;
mod provider_version_unsatisfiable;
mod region_bound_resource;
mod region_drift;
mod region_not_allowed;
mod region_unknown;
mod replica_same_region;
mod replication_not_allowed;
mod resource_region_conflict;
mod terraform_version_excluded;
mod terraform_version_missing;
mod terraform_version_unbounded;

/// What kind of problem a rule finds. The category sets the default
/// severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// The file cannot be understood at all.
    Syntax,
    /// Terraform would reject the configuration or misbehave.
    Correctness,
    /// tfpin could not check part of the tree.
    Coverage,
    /// Something is not pinned tightly enough to be reproducible.
    Pinning,
    /// Dead, deprecated or redundant configuration.
    Hygiene,
    /// Something recorded (a lock file) no longer matches the configuration.
    Drift,
    /// Inline ignore comments that do nothing.
    Suppression,
    /// Names and settings that disagree about where something runs.
    Region,
}

impl Category {
    pub fn default_severity(self) -> Severity {
        match self {
            Category::Syntax | Category::Correctness => Severity::Error,
            Category::Coverage | Category::Pinning | Category::Hygiene | Category::Region => {
                Severity::Warning
            }
            Category::Drift | Category::Suppression => Severity::Note,
        }
    }

    /// The roles a rule of this category judges unless it says otherwise:
    /// pinning and lock-file drift matter where a root is deployed (and in
    /// the modules its tree calls); a mistake Terraform rejects, a file
    /// tfpin cannot read or an ignore that silences nothing matters
    /// wherever it is. Hygiene and region rules each decide.
    pub const fn default_judges(self) -> RoleSet {
        match self {
            Category::Pinning | Category::Drift => RoleSet::of(&[Role::Deployed]),
            Category::Syntax
            | Category::Correctness
            | Category::Coverage
            | Category::Suppression
            | Category::Hygiene
            | Category::Region => RoleSet::ALL,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Correctness => "correctness",
            Category::Coverage => "coverage",
            Category::Pinning => "pinning",
            Category::Hygiene => "hygiene",
            Category::Drift => "drift",
            Category::Suppression => "suppression",
            Category::Region => "region",
        }
    }
}

/// Everything about a rule except its logic.
#[derive(Debug)]
pub struct RuleMeta {
    /// Kebab-case name of the problem.
    pub id: &'static str,
    pub category: Category,
    /// One line, lowercase, no trailing period.
    pub summary: &'static str,
    /// The fixes the rule offers, and how safe they are (see
    /// [`crate::fix`]). Its doc's `## Fix` section says the same.
    pub fix: crate::fix::Availability,
    /// Whether the rule runs when the configuration does not mention it.
    pub default_enabled: bool,
    /// Rule-specific options accepted in its `rule "<id>" {}` block.
    pub options: &'static [(&'static str, OptionKind)],
    /// The user documentation, `rules/<id>.md`.
    pub doc: &'static str,
    /// Runs after inline ignores are applied, and reads
    /// [`Context::suppressions`]; such a rule's findings cannot be ignored
    /// inline.
    pub after_suppression: bool,
    /// Reads [`Context::placements`] or [`Context::sites`]. The engine
    /// works them out, in parallel, before such rules run, instead of
    /// letting the first rule to ask do it while the others wait.
    pub uses_placements: bool,
    /// The module roles whose findings the rule reports (see
    /// [`crate::model::roles`]). The engine applies it: a finding is kept
    /// when the rule judges a role it concerns, the role of its root tree
    /// or instance, or else of its module and of every root whose tree
    /// calls that module. Its doc says so in a `Judges:` line.
    pub judges: RoleSet,
}

impl RuleMeta {
    pub fn default_severity(&self) -> Severity {
        self.category.default_severity()
    }

    /// Whether tfpin can fix some of what the rule finds.
    pub fn fixable(&self) -> bool {
        self.fix != crate::fix::Availability::None
    }

    /// The doc's first paragraph after its title, on one line: what the
    /// rule finds, in a sentence or two.
    pub fn description(&self) -> String {
        let lines = self
            .doc
            .lines()
            .map(str::trim)
            .skip_while(|l| l.is_empty() || l.starts_with('#'));
        let mut out = String::new();
        for line in lines.take_while(|l| !l.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(line);
        }
        if out.is_empty() {
            self.summary.to_string()
        } else {
            out
        }
    }
}

/// What a rule sees: the model, static values and the settings, nothing
/// else.
pub struct Context<'a, 'w> {
    pub ws: &'w Workspace,
    pub values: &'a Values<'w>,
    /// Provider requirements of every root tree.
    pub trees: &'a [TreeRequirements<'w>],
    /// The run's settings: those of the directory holding every path named.
    pub settings: &'a Settings,
    /// The settings that govern each module, by module id (see
    /// [`crate::layers`]); read them through [`Context::settings_for`].
    pub module_settings: &'a [std::sync::Arc<Settings>],
    /// What became of every rule named in an inline ignore comment; empty
    /// except for rules that run after suppression.
    pub suppressions: &'a [crate::suppress::RuleUse],
    /// Where every resource runs; computed on first use, shared by all rules.
    pub(crate) placements: &'a std::sync::OnceLock<Vec<Placement>>,
    /// Every place a region is set; computed on first use, shared by all
    /// rules.
    pub(crate) sites: &'a std::sync::OnceLock<Vec<Site>>,
    /// Every copy of data between regions; computed on first use, shared by
    /// all rules.
    pub(crate) flows: &'a std::sync::OnceLock<Vec<crate::model::flows::Flow>>,
    pub(crate) rule: &'static RuleMeta,
}

impl<'w> Context<'_, 'w> {
    /// Whether this rule judges a root tree, by its root's role: the test
    /// the engine applies to every finding made in that tree, for a rule
    /// whose finding speaks for several roots and lies in none.
    pub fn judges_tree(&self, root: &crate::model::Module) -> bool {
        self.settings_for(root.id)
            .judges(self.rule)
            .contains(root.role)
    }

    /// The settings that govern a module: its policy, lock platforms and
    /// rule options.
    pub fn settings_for(&self, m: crate::model::ModuleId) -> &Settings {
        self.module_settings
            .get(m.0 as usize)
            .map_or(self.settings, |s| s.as_ref())
    }

    /// Every root tree whose root module has a lock file read whole, with
    /// the root and its lock. Terraform reads only the root's lock file.
    /// A lock file that was not read whole is `parse-error`'s or
    /// `file-unreadable`'s finding, and what it seems to record or lack
    /// is not judged.
    pub fn locked_trees(
        &self,
    ) -> impl Iterator<
        Item = (
            &TreeRequirements<'w>,
            &'w crate::model::Module,
            &'w crate::lockfile::LockFile,
        ),
    > + '_ {
        self.trees.iter().filter_map(|tree| {
            let root = self.ws.module(tree.root);
            root.readable_lock().map(|lock| (tree, root, lock))
        })
    }

    /// A module call's `source` or `version` as this reading's engine
    /// reads it (see [`crate::model::calls`]).
    pub fn call_arg<'c>(
        &self,
        m: &crate::model::Module,
        call: &'c crate::model::ModuleCall,
        key: &str,
    ) -> crate::model::calls::CallArg<'c> {
        crate::model::calls::arg(self.values, self.ws.engine, m, call, key)
    }

    /// A module call's source when it is a remote (go-getter) address, as
    /// this reading's engine reads it, with its parts.
    pub fn remote_source<'c>(
        &self,
        m: &crate::model::Module,
        call: &'c crate::model::ModuleCall,
    ) -> Option<(
        crate::model::calls::CallText<'c>,
        crate::model::source_addr::RemoteSource,
    )> {
        use crate::model::calls::CallArg;
        use crate::model::source_addr::ModuleSource;
        match self.call_arg(m, call, "source") {
            CallArg::Known(t) if !t.evaluated => call.remote_source().map(|(_, r)| (t, r)),
            CallArg::Known(t) => match ModuleSource::parse(&t.value) {
                ModuleSource::Remote(r) => Some((t, r)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a call's source, as this reading's engine reads it, is a
    /// registry address; with it.
    pub fn registry_source<'c>(
        &self,
        m: &crate::model::Module,
        call: &'c crate::model::ModuleCall,
    ) -> Option<crate::model::calls::CallText<'c>> {
        use crate::model::source_addr::SourceKind;
        let t = self.call_arg(m, call, "source").known()?;
        let kind = if t.evaluated {
            SourceKind::of(&t.value)
        } else {
            call.source_kind?
        };
        (kind == SourceKind::Registry).then_some(t)
    }

    /// Every resource of every module instance with the provider
    /// configuration it uses and its effective region (see
    /// [`crate::model::wiring`]). Computed once per run, on first use.
    pub fn placements(&self) -> &[Placement] {
        self.placements
            .get_or_init(|| crate::model::wiring::placements(self.ws, self.values))
    }

    /// Every place a region or location is set, per module instance, with
    /// its resolved value (see [`crate::model::sites`]). Computed once per
    /// run, on first use.
    pub fn sites(&self) -> &[Site] {
        self.sites
            .get_or_init(|| crate::model::sites::compute(self.ws, self.values, self.placements()))
    }

    /// Every copy of data each resource instance makes, from one region to
    /// another (see [`crate::model::flows`]). Computed once per run, on
    /// first use.
    pub fn flows(&self) -> &[crate::model::flows::Flow] {
        self.flows.get_or_init(|| {
            crate::model::flows::compute(self.ws, self.values, self.placements(), self.sites())
        })
    }

    /// A label on every module's constraint on a provider in a tree:
    /// "`modules/net` requires \">= 5.0\"".
    pub fn contribution_labels(
        &self,
        p: &crate::model::requirements::ProviderRequirements,
    ) -> Vec<crate::finding::Label> {
        p.constrained()
            .filter_map(|c| {
                let v = c.version.as_ref()?;
                Some(crate::finding::Label {
                    span: v.span.clone(),
                    message: format!(
                        "`{}` requires \"{}\"",
                        self.ws.module(c.module).display,
                        v.value
                    ),
                })
            })
            .collect()
    }

    /// Where a finding about a whole root tree's requirement on a provider
    /// goes: the root's own `required_providers` entry for it if there is
    /// one, else the root's first `terraform` block, else the start of its
    /// first file.
    pub fn root_anchor(
        &self,
        tree: &TreeRequirements,
        addr: Option<&crate::model::addr::ProviderAddr>,
    ) -> Span {
        let root = self.ws.module(tree.root);
        if let Some(p) = addr.and_then(|a| tree.providers.get(a)) {
            let own = p.contributions.iter().filter(|c| c.module == tree.root);
            if let Some(i) = own.filter_map(|c| c.requirement()).next() {
                return root.config.required_providers[i].name_span.clone();
            }
        }
        if let Some(t) = root.config.terraform_blocks.first() {
            return t.clone();
        }
        Span::new(
            root.files
                .first()
                .copied()
                .unwrap_or(crate::source::FileId(0)),
            0..0,
        )
    }

    /// Labels on where a resolved value was written and every hop it took
    /// to reach the expression: each reference followed at the place what
    /// it names was written (`region "eu-central-1" comes through
    /// `var.region``, at the calling module's argument, a local, a module
    /// output), then the place the value itself was written (`region
    /// "eu-central-1" is set for variable "primary_region" in
    /// terraform.tfvars`). `what` names the value (may be empty). Nothing
    /// for a place that is not in a file (`-var`), or that is `at` itself,
    /// the expression being judged.
    pub fn origin_label(
        &self,
        what: &str,
        at: Option<&Span>,
        r: &Resolved,
    ) -> Vec<crate::finding::Label> {
        /// Hops beyond this many are not labelled.
        const MAX_HOPS: usize = 4;
        let v = if what.is_empty() {
            r.value.to_string()
        } else {
            format!("{what} {}", r.value)
        };
        let end = r.origin.as_ref().and_then(|o| o.span.as_ref());
        let mut seen: Vec<&Span> = at.into_iter().chain(end).collect();
        let mut out = Vec::new();
        for hop in r.hops() {
            let Some(span) = &hop.at else { continue };
            if seen.contains(&span) || out.len() == MAX_HOPS {
                continue;
            }
            seen.push(span);
            out.push(crate::finding::Label {
                span: span.clone(),
                message: format!("{v} comes through `{}`", hop.reference),
            });
        }
        out.extend(self.value_origin_label(what, at, r));
        out
    }

    /// The label on the place the value itself was written.
    fn value_origin_label(
        &self,
        what: &str,
        at: Option<&Span>,
        r: &Resolved,
    ) -> Option<crate::finding::Label> {
        let origin = r.origin.as_ref()?;
        let span = origin.span.clone()?;
        if at == Some(&span) {
            return None;
        }
        let v = if what.is_empty() {
            r.value.to_string()
        } else {
            format!("{what} {}", r.value)
        };
        let message = match &origin.kind {
            OriginKind::Literal => format!("{v} is written here"),
            OriginKind::VariableDefault { name } => {
                format!("{v} is the default of variable \"{name}\"")
            }
            OriginKind::Tfvars { name } => {
                let display = &self.ws.sources.get(span.file).display;
                let file = display.rsplit('/').next().unwrap_or(display);
                format!("{v} is set for variable \"{name}\" in `{file}`")
            }
            OriginKind::Caller { module_call, name } => {
                format!("{v} is passed as \"{name}\" by module \"{module_call}\"")
            }
            OriginKind::Local { name } => format!("{v} comes from local \"{name}\""),
            OriginKind::Output { module_call, name } => {
                format!("{v} is output \"{name}\" of module \"{module_call}\"")
            }
            OriginKind::CliVar { name } | OriginKind::EnvVar { name } => {
                format!("{v} is set for variable \"{name}\"")
            }
        };
        Some(crate::finding::Label { span, message })
    }

    /// ` (in module.cdn of envs/prod)` for a child module instance, empty
    /// for a root: findings about values say which call they hold for.
    pub fn instance_suffix(&self, instance: usize) -> String {
        let inst = &self.values.instances[instance];
        if inst.address.is_empty() {
            String::new()
        } else {
            format!(
                " (in {} of `{}`)",
                inst.address,
                self.ws.module(inst.root).display
            )
        }
    }

    /// Where a value with no place in a file came from, for messages:
    /// " (from -var \"region\")". Empty for everything else.
    pub fn origin_note(&self, r: &Resolved) -> String {
        match r.origin.as_ref().map(|o| (&o.kind, o.span.is_some())) {
            Some((OriginKind::CliVar { name }, false)) => format!(" (from -var \"{name}\")"),
            Some((OriginKind::EnvVar { name }, false)) => format!(" (from TF_VAR_{name})"),
            _ => String::new(),
        }
    }

    /// The name of a file, without its directories: the subject of a
    /// finding about a file as a whole (see [`Finding::subject`]), which the
    /// rule and module already place.
    pub fn file_name(&self, file: crate::source::FileId) -> &'w str {
        let display = self.ws.sources.get(file).display.as_str();
        display.rsplit('/').next().unwrap_or(display)
    }

    /// A finding of the running rule at its default severity.
    pub fn finding(&self, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(
            self.rule.id,
            self.rule.default_severity(),
            span,
            message.into(),
        )
    }
}

/// The subject of a finding about a lock file entry: the provider address
/// it records, as written when it does not parse.
pub(crate) fn lock_entry_subject(entry: &crate::lockfile::LockedProvider) -> String {
    entry
        .addr
        .as_ref()
        .map_or_else(|| entry.address.value.clone(), |a| a.to_string())
}

/// A lint rule: a pure function from the model and settings to findings.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>);
}

/// Declares a rule's metadata next to its code:
///
/// ```ignore
/// declare_rule! {
///     ParseError, "parse-error", Syntax,
///     "a file that Terraform cannot parse"
/// }
/// ```
macro_rules! declare_rule {
    ($ty:ident, $id:literal, $cat:ident, $summary:literal $(, options: $opts:expr)? $(, default_enabled: $en:expr)? $(, after_suppression: $late:expr)? $(, uses_placements: $pl:expr)? $(, judges: $judges:expr)? $(, fix: $fix:ident)? $(,)?) => {
        pub struct $ty;
        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                category: $crate::rules::Category::$cat,
                summary: $summary,
                fix: declare_rule!(@fix $($fix)?),
                default_enabled: declare_rule!(@en $($en)?),
                options: declare_rule!(@opts $($opts)?),
                doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $id, ".md")),
                after_suppression: declare_rule!(@late $($late)?),
                uses_placements: declare_rule!(@late $($pl)?),
                judges: declare_rule!(@judges $cat $($judges)?),
            };
        }
    };
    (@fix) => { $crate::fix::Availability::None };
    (@fix $f:ident) => { $crate::fix::Availability::$f };
    (@judges $cat:ident) => { $crate::rules::Category::$cat.default_judges() };
    (@judges $cat:ident $j:expr) => { $j };
    (@late) => { false };
    (@late $l:expr) => { $l };
    (@en) => { true };
    (@en $en:expr) => { $en };
    (@opts) => { &[] };
    (@opts $o:expr) => { $o };
}
pub(crate) use declare_rule;

/// Every rule, sorted by id.
pub static REGISTRY: &[&dyn Rule] = &[
    &constraint_invalid::ConstraintInvalid,
    &file_unreadable::FileUnreadable,
    &ignore_unused::IgnoreUnused,
    &lock_constraints_drift::LockConstraintsDrift,
    &lock_hashes_incomplete::LockHashesIncomplete,
    &lock_missing::LockMissing,
    &lock_provider_missing::LockProviderMissing,
    &lock_provider_stale::LockProviderStale,
    &lock_version_mismatch::LockVersionMismatch,
    &module_cycle::ModuleCycle,
    &module_provider_block::ModuleProviderBlock,
    &module_providers_mismatch::ModuleProvidersMismatch,
    &module_source_invalid::ModuleSourceInvalid,
    &module_source_missing::ModuleSourceMissing,
    &module_source_mutable_ref::ModuleSourceMutableRef,
    &module_source_unpinned::ModuleSourceUnpinned,
    &module_version_missing::ModuleVersionMissing,
    &module_version_unbounded::ModuleVersionUnbounded,
    &opentofu_only_construct::OpentofuOnlyConstruct,
    &parse_error::ParseError,
    &provider_alias_duplicate::ProviderAliasDuplicate,
    &provider_alias_redundant::ProviderAliasRedundant,
    &provider_alias_region_mismatch::ProviderAliasRegionMismatch,
    &provider_alias_undeclared::ProviderAliasUndeclared,
    &provider_alias_undefined::ProviderAliasUndefined,
    &provider_alias_unused::ProviderAliasUnused,
    &provider_block_version::ProviderBlockVersion,
    &provider_default_missing::ProviderDefaultMissing,
    &provider_instance_key::ProviderInstanceKey,
    &provider_not_declared::ProviderNotDeclared,
    &provider_region_missing::ProviderRegionMissing,
    &provider_source_conflict::ProviderSourceConflict,
    &provider_source_missing::ProviderSourceMissing,
    &provider_type_mismatch::ProviderTypeMismatch,
    &provider_unused::ProviderUnused,
    &provider_version_exact_in_module::ProviderVersionExactInModule,
    &provider_version_missing::ProviderVersionMissing,
    &provider_version_unbounded::ProviderVersionUnbounded,
    &provider_version_unsatisfiable::ProviderVersionUnsatisfiable,
    &region_bound_resource::RegionBoundResource,
    &region_drift::RegionDrift,
    &region_not_allowed::RegionNotAllowed,
    &region_unknown::RegionUnknown,
    &replica_same_region::ReplicaSameRegion,
    &replication_not_allowed::ReplicationNotAllowed,
    &resource_region_conflict::ResourceRegionConflict,
    &terraform_version_excluded::TerraformVersionExcluded,
    &terraform_version_missing::TerraformVersionMissing,
    &terraform_version_unbounded::TerraformVersionUnbounded,
];

/// Every rule's metadata, sorted by id.
/// The top-level arguments and nested block types that some rule reads
/// from the body of a resource, data source or ephemeral resource of
/// `type_name`, besides the meta-arguments every resource keeps.
///
/// The model keeps only these of a resource's body and releases the rest
/// of its syntax tree as soon as a file is read: resource bodies are most
/// of a configuration, and keeping them all would multiply peak memory.
/// A rule that starts reading another part of a body must name it here;
/// debug builds (the test suite) panic when a rule asks for a part that
/// was not kept.
pub fn resource_body_reads(type_name: &str) -> impl Iterator<Item = &'static str> + '_ {
    region_bound_resource::body_reads(type_name).chain(region_drift::body_reads(type_name))
}

pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    REGISTRY.iter().map(|r| r.meta())
}

/// A rule by id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|r| r.meta().id == id)
}

/// The registered id closest to a misspelt one, if any is close.
pub fn closest(id: &str) -> Option<&'static str> {
    all()
        .map(|m| (crate::text::edit_distance(id, m.id), m.id))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_the_first_paragraph_of_each_doc() {
        let m = find("module-cycle").unwrap().meta();
        assert_eq!(
            m.description(),
            "Local modules that call each other in a loop: `a` calls `b`, and `b` calls \
             `a` again, directly or through other modules."
        );
        for m in all() {
            let d = m.description();
            assert!(
                !d.is_empty() && !d.contains('\n') && !d.starts_with('#'),
                "{}",
                m.id
            );
        }
    }

    #[test]
    fn rules_that_read_placements_say_so() {
        // A rule that reads placements or sites without the flag still
        // works (they are computed on first use), only more slowly; one
        // with the flag that reads neither makes every run pay for them.
        for m in all() {
            let path = format!(
                "{}/src/rules/{}.rs",
                env!("CARGO_MANIFEST_DIR"),
                m.id.replace('-', "_")
            );
            let source = std::fs::read_to_string(&path).unwrap();
            let reads = source.contains("cx.placements()")
                || source.contains("cx.sites()")
                || source.contains(".placements()")
                || source.contains(".sites()")
                || source.contains("cx.flows()");
            assert_eq!(reads, m.uses_placements, "{}: uses_placements", m.id);
        }
    }

    #[test]
    fn suggestions_for_misspelt_ids() {
        assert_eq!(closest("parse-eror"), Some("parse-error"));
        assert_eq!(closest("completely-different-thing"), None);
    }
}
