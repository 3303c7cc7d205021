//! Which providers a module uses, and where: computed once from the model
//! and shared by the rules about declarations.

use super::addr::ProviderAddr;
use super::module::{
    implied_provider, ModuleConfig, ProviderConfig, ProviderFunctionCall, Resource,
};
use super::workspace::{CallTarget, Module, ModuleId, Workspace};
use crate::source::Span;
use std::collections::{BTreeMap, BTreeSet};

/// The local name of Terraform's built-in provider (`terraform_data`,
/// `terraform_remote_state`, `provider::terraform::*` functions), which no
/// module needs to declare.
pub const BUILTIN: &str = "terraform";

/// One place where a module uses a provider by its local name.
#[derive(Debug, Clone)]
pub struct ProviderUse<'c> {
    pub span: Span,
    by: UseBy<'c>,
}

/// What uses a provider, kept as a reference and worded only when a
/// finding needs it: most uses never appear in a message.
#[derive(Debug, Clone, Copy)]
enum UseBy<'c> {
    Block(&'c ProviderConfig),
    Resource(&'c Resource),
    Providers(&'c str),
    Function(&'c ProviderFunctionCall),
    Import,
    List,
    Meta(&'c str),
    StateStore(&'c str),
}

impl ProviderUse<'_> {
    /// What uses it, for labels: `resource "aws_s3_bucket" "logs"`,
    /// `provider "aws.west"`, `module "net" providers`...
    pub fn what(&self) -> String {
        match self.by {
            UseBy::Block(pc) => format!("provider \"{}\"", pc.reference()),
            UseBy::Resource(r) => {
                format!("{} \"{}\" \"{}\"", r.mode.keyword(), r.type_name, r.name)
            }
            UseBy::Providers(call) => format!("module \"{call}\" providers"),
            UseBy::Function(f) => format!("provider::{}::{}", f.provider, f.function),
            UseBy::Import => "import block".to_string(),
            UseBy::List => "list block of a query file".to_string(),
            UseBy::Meta(name) => format!("provider_meta \"{name}\""),
            UseBy::StateStore(name) => format!("state_store provider \"{name}\""),
        }
    }
}

/// Every use of a provider in one module, by local name, each list in
/// source order. A use is: a `provider` block, a resource, data source or
/// ephemeral resource (through its `provider` meta-argument, or else the
/// prefix of its type), a value in a module call's `providers` map, a
/// `provider::name::fn` call, an `import` block's `provider`, and a
/// `provider_meta` block, and the `provider` of a `state_store`.
///
/// What child modules need is not a use here; see [`ChildNeeds::needed_by_children`].
pub fn provider_uses(cfg: &ModuleConfig) -> BTreeMap<&str, Vec<ProviderUse<'_>>> {
    let mut out: BTreeMap<&str, Vec<ProviderUse<'_>>> = BTreeMap::new();
    for (name, span, by) in uses(cfg) {
        out.entry(name).or_default().push(ProviderUse {
            span: span.clone(),
            by,
        });
    }
    for uses in out.values_mut() {
        uses.sort_by_key(|u| (u.span.file, u.span.range.start));
    }
    out
}

/// Every use, in model order, as (local name, span, what uses it).
fn uses(cfg: &ModuleConfig) -> impl Iterator<Item = (&str, &Span, UseBy<'_>)> {
    let blocks = cfg
        .provider_configs
        .iter()
        .map(|pc| (pc.name.as_str(), &pc.header, UseBy::Block(pc)));
    let resources = cfg.resources.iter().map(|r| match &r.provider {
        // The meta-argument replaces the provider the type implies.
        Some(p) => (p.name.as_str(), &p.span, UseBy::Resource(r)),
        None => (r.implied_provider(), &r.header, UseBy::Resource(r)),
    });
    let passes = cfg.module_calls.iter().flat_map(|call| {
        call.providers.iter().map(move |pass| {
            (
                pass.parent.name.as_str(),
                &pass.parent.span,
                UseBy::Providers(call.name.as_str()),
            )
        })
    });
    let functions = cfg
        .provider_functions
        .iter()
        .map(|f| (f.provider.as_str(), &f.span, UseBy::Function(f)));
    let imports = cfg
        .import_providers
        .iter()
        .map(|r| (r.name.as_str(), &r.span, UseBy::Import));
    let lists = cfg
        .query_providers
        .iter()
        .map(|(r, _)| (r.name.as_str(), &r.span, UseBy::List));
    let metas = cfg
        .provider_metas
        .iter()
        .map(|pm| (pm.name.as_str(), &pm.header, UseBy::Meta(pm.name.as_str())));
    let stores = cfg.state_store_providers.iter().map(|ss| {
        (
            ss.name.as_str(),
            &ss.header,
            UseBy::StateStore(ss.name.as_str()),
        )
    });
    blocks
        .chain(resources)
        .chain(passes)
        .chain(functions)
        .chain(imports)
        .chain(lists)
        .chain(metas)
        .chain(stores)
}

/// What refers to a provider configuration by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigRefKind {
    /// The `provider` meta-argument of `resources[i]`.
    Resource(usize),
    /// The value of entry `pass` in the `providers` map of
    /// `module_calls[call]`.
    ProvidersMap { call: usize, pass: usize },
    /// The `provider` of an `import` block.
    Import,
    /// The `provider` of a `list` block in a query file.
    List,
    /// OpenTofu's `provider::aws::west::fn()`.
    Function,
}

/// One explicit reference, inside a module, to one of its provider
/// configurations: `aws.west` in `provider = aws.west`, in a `providers`
/// map value, in an `import` block, or in an aliased provider function
/// call. Resources that use a default configuration because of their type
/// are not references here; [`crate::model::wiring`] places them.
///
/// It borrows the module; what refers is worded only for a message.
#[derive(Debug, Clone, Copy)]
pub struct ConfigRef<'c> {
    pub name: &'c str,
    pub alias: Option<&'c str>,
    pub span: &'c Span,
    pub kind: ConfigRefKind,
    by: RefBy<'c>,
}

#[derive(Debug, Clone, Copy)]
enum RefBy<'c> {
    Resource(&'c super::module::Resource),
    Call(&'c str),
    Import,
    List,
    Function(&'c super::module::ProviderFunctionCall),
}

impl ConfigRef<'_> {
    /// What refers to it, for messages: `resource "aws_s3_bucket" "logs"`.
    pub fn what(&self) -> String {
        match self.by {
            RefBy::Resource(r) => {
                format!("{} \"{}\" \"{}\"", r.mode.keyword(), r.type_name, r.name)
            }
            RefBy::Call(name) => format!("module \"{name}\" providers"),
            RefBy::Import => "import block".to_string(),
            RefBy::List => "list block of a query file".to_string(),
            RefBy::Function(f) => format!(
                "provider::{}::{}::{}",
                f.provider,
                f.alias.as_deref().unwrap_or_default(),
                f.function
            ),
        }
    }

    /// `aws` or `aws.west`.
    pub fn address(&self) -> String {
        match &self.alias {
            Some(a) => format!("{}.{a}", self.name),
            None => self.name.to_string(),
        }
    }

    pub fn is(&self, name: &str, alias: Option<&str>) -> bool {
        self.name == name && self.alias == alias
    }
}

fn parts(r: &super::module::ProviderRef) -> (&str, Option<&str>, &Span) {
    (&r.name, r.alias.as_deref(), &r.span)
}

/// Every explicit reference to a provider configuration in a module, in
/// source order.
pub fn config_refs(cfg: &ModuleConfig) -> Vec<ConfigRef<'_>> {
    let mut out = Vec::new();
    for (i, r) in cfg.resources.iter().enumerate() {
        if let Some(p) = &r.provider {
            let (name, alias, span) = parts(p);
            out.push(ConfigRef {
                name,
                alias,
                span,
                kind: ConfigRefKind::Resource(i),
                by: RefBy::Resource(r),
            });
        }
    }
    for (ci, call) in cfg.module_calls.iter().enumerate() {
        for (pi, pass) in call.providers.iter().enumerate() {
            let (name, alias, span) = parts(&pass.parent);
            out.push(ConfigRef {
                name,
                alias,
                span,
                kind: ConfigRefKind::ProvidersMap { call: ci, pass: pi },
                by: RefBy::Call(&call.name),
            });
        }
    }
    for r in &cfg.import_providers {
        let (name, alias, span) = parts(r);
        out.push(ConfigRef {
            name,
            alias,
            span,
            kind: ConfigRefKind::Import,
            by: RefBy::Import,
        });
    }
    for (r, _) in cfg.query_providers.iter().filter(|(_, mine)| *mine) {
        let (name, alias, span) = parts(r);
        out.push(ConfigRef {
            name,
            alias,
            span,
            kind: ConfigRefKind::List,
            by: RefBy::List,
        });
    }
    for f in &cfg.provider_functions {
        if let Some(alias) = &f.alias {
            out.push(ConfigRef {
                name: &f.provider,
                alias: Some(alias),
                span: &f.span,
                kind: ConfigRefKind::Function,
                by: RefBy::Function(f),
            });
        }
    }
    out.sort_by_key(|r| (r.span.file, r.span.range.start));
    out
}

/// Where a module makes a provider configuration available to itself: a
/// `provider` block with that name and alias, or an entry of a
/// `configuration_aliases` list (a configuration its callers must pass).
pub fn declared_configuration(cfg: &ModuleConfig, name: &str, alias: Option<&str>) -> Option<Span> {
    if let Some((_, pc)) = cfg.provider_config_named(name, alias) {
        return Some(match &pc.alias {
            Some(a) => a.span.clone(),
            None => pc.header.clone(),
        });
    }
    cfg.configuration_alias_named(name, alias)
        .map(|c| c.span.clone())
}

/// A module that calls another, its call, and the entry of the call's
/// `providers` map that passes a configuration.
pub type PassingCall<'w> = (
    &'w Module,
    &'w super::module::ModuleCall,
    &'w super::module::ProviderPass,
);

/// The calls of a child module, each with the entry of its `providers` map
/// that passes the child's configuration `name.alias`, when every call
/// passes it: Terraform then makes the configuration in the child from
/// what each call passes, declared or not, and only warns ("Reference to
/// undefined provider"). `None` when some call does not pass it, or
/// nothing calls the module (a root has no caller to pass anything).
pub fn passed_by_every_caller<'w>(
    ws: &'w Workspace,
    m: &Module,
    name: &str,
    alias: &str,
) -> Option<Vec<PassingCall<'w>>> {
    if m.is_root() {
        return None;
    }
    let callers = ws.callers.get(m.id.0 as usize)?;
    if callers.is_empty() {
        return None;
    }
    callers
        .iter()
        .map(|&(caller, ci)| {
            let caller = ws.module(caller);
            let call = &caller.config.module_calls[ci];
            let pass = call.pass_for(name, Some(alias))?;
            Some((caller, call, pass))
        })
        .collect()
}

/// Whether a module refers to its configuration `name.alias` anywhere: a
/// `provider` meta-argument, a `providers` map value, an `import` block or
/// a provider function.
pub fn refers_to(cfg: &ModuleConfig, name: &str, alias: Option<&str>) -> bool {
    config_refs(cfg).iter().any(|r| r.is(name, alias))
}

/// Providers whose resources `moved` and `removed` blocks name, by the
/// local name the resource type implies. Such resources may still be in
/// the state, and Terraform needs their provider to move, forget or destroy
/// them. A cross-type move (`null_resource` to `terraform_data`) does not
/// need the old provider, so this is not a use that calls for a
/// declaration, only one that keeps a declaration alive.
pub fn state_uses(cfg: &ModuleConfig) -> BTreeSet<String> {
    cfg.state_resources
        .iter()
        .map(|r| implied_provider(&r.type_name).to_string())
        .collect()
}

/// The provider address a local name stands for in a module: its
/// `required_providers` source, or `hashicorp/<name>` when it has none.
/// `None` when the source is not a literal or does not parse.
pub fn address_of<'c>(
    cfg: &'c ModuleConfig,
    local_name: &str,
) -> Option<std::borrow::Cow<'c, ProviderAddr>> {
    use std::borrow::Cow;
    match cfg.requirement_named(local_name) {
        Some(req) => req.address.as_ref().map(Cow::Borrowed),
        None => Some(Cow::Owned(ProviderAddr::implied_in(local_name, cfg.engine))),
    }
}

/// Whether a module's children need a provider: a child module (or one of
/// its own children) requires or uses it. The caller's requirement then
/// matters even when it uses no resource of the provider itself: a call
/// with no `providers` map hands the child the caller's default
/// configuration, and with or without one, the caller's version constraint
/// is intersected with the child's when the provider is installed, which is
/// how a root module bounds what a reusable module only states a minimum
/// for. A call whose module tfpin did not read (registry, remote, outside
/// the tree) might use anything, so it counts.
///
/// What each module wants is worked out once, the first time it is asked:
/// a rule asks this for many modules and providers over the same
/// descendants.
pub struct ChildNeeds<'w> {
    ws: &'w Workspace,
    wanted: super::PerModule<Wanted>,
}

/// The providers a module requires or uses, by address.
struct Wanted {
    /// Some name has no address tfpin can work out, or the module was not
    /// read whole, so it may be any.
    any: bool,
    /// Sorted by [`ProviderAddr::provider_key`], one of each.
    addrs: Vec<ProviderAddr>,
}

impl<'w> ChildNeeds<'w> {
    pub fn new(ws: &'w Workspace) -> Self {
        ChildNeeds {
            ws,
            wanted: super::PerModule::new(ws),
        }
    }

    pub fn needed_by_children(&self, m: &Module, provider: &ProviderAddr) -> bool {
        // Only the modules below are visited: a set of them, not a flag
        // for every module of the workspace, which on a large tree cost
        // more than the walk.
        let mut seen = crate::HashSet::default();
        self.passes(m, provider, &mut seen)
    }

    fn passes(
        &self,
        m: &Module,
        provider: &ProviderAddr,
        seen: &mut crate::HashSet<ModuleId>,
    ) -> bool {
        if !seen.insert(m.id) {
            return false;
        }
        for target in &m.calls {
            match target {
                CallTarget::Local(id) => {
                    let child = self.ws.module(*id);
                    if self.wants(child, provider) || self.passes(child, provider, seen) {
                        return true;
                    }
                }
                CallTarget::LocalMissing { .. }
                | CallTarget::OutsideTree(_)
                | CallTarget::Remote
                | CallTarget::Unknown => return true,
            }
        }
        false
    }

    /// Whether a module requires or uses a provider, by address.
    fn wants(&self, m: &Module, provider: &ProviderAddr) -> bool {
        let w = self.wanted.get(m.id, || wanted(m));
        let key = provider.provider_key();
        w.any
            || w.addrs
                .binary_search_by(|a| a.provider_key().cmp(&key))
                .is_ok()
    }
}

fn wanted(m: &Module) -> Wanted {
    let cfg = &m.config;
    // A module not read whole may use anything in the file that was not
    // read.
    let mut w = Wanted {
        any: !m.config_complete,
        addrs: Vec::new(),
    };
    let in_state = state_uses(cfg);
    let used = used_names(cfg)
        .iter()
        .map(String::as_str)
        .chain(in_state.iter().map(String::as_str))
        .filter(|name| *name != BUILTIN);
    let required = cfg.required_providers.iter().map(|r| r.name.as_str());
    for name in required.chain(used) {
        match address_of(cfg, name) {
            Some(a) => w.addrs.push(a.into_owned()),
            None => w.any = true,
        }
    }
    w.addrs
        .sort_by(|a, b| a.provider_key().cmp(&b.provider_key()));
    w.addrs
        .dedup_by(|a, b| a.provider_key() == b.provider_key());
    w
}

/// The local names of the providers a module uses (see [`provider_uses`]),
/// without saying where: sorted, each once. Worked out when the module's
/// configuration is finalised.
pub fn used_names(cfg: &ModuleConfig) -> &[String] {
    &cfg.used_provider_names
}

/// Whether a module uses the provider with this local name.
pub fn uses_name(cfg: &ModuleConfig, name: &str) -> bool {
    cfg.used_provider_names
        .binary_search_by(|n| n.as_str().cmp(name))
        .is_ok()
}

/// What [`used_names`] returns, worked out from the configuration.
pub(crate) fn names_in_use(cfg: &ModuleConfig) -> Vec<String> {
    // A module names a handful of providers many times over: sorting a
    // list and dropping repeats allocates once, where a set allocated per
    // node.
    let mut names: Vec<&str> = uses(cfg).map(|(name, _, _)| name).collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(str::to_string).collect()
}

/// The address of Terraform's built-in provider (`terraform_data`,
/// `terraform_remote_state`), which is never installed or locked.
pub fn builtin_terraform() -> ProviderAddr {
    ProviderAddr {
        hostname: "terraform.io".to_string(),
        namespace: "builtin".to_string(),
        type_name: "terraform".to_string(),
    }
}

/// Whether a provider is built into Terraform, so needs no lock entry.
pub fn is_builtin(addr: &ProviderAddr) -> bool {
    addr.hostname == "terraform.io" && addr.namespace == "builtin"
}

/// The address Terraform gives a local name a module uses without
/// declaring it.
fn implied_addr(local_name: &str, engine: crate::fileset::Engine) -> ProviderAddr {
    if local_name == "terraform" {
        builtin_terraform()
    } else {
        ProviderAddr::implied_in(local_name, engine)
    }
}

/// Providers a module uses through local names it does not declare in
/// `required_providers`: resource, data and ephemeral type prefixes, the
/// `provider` meta-argument, `provider` blocks, `providers` maps of module
/// calls and `provider::NAME::fn` calls. Built-in providers are included.
pub fn undeclared_in(cfg: &ModuleConfig) -> Vec<ProviderAddr> {
    used_names(cfg)
        .iter()
        .filter(|name| !name.is_empty() && !cfg.requires(name))
        .map(|name| implied_addr(name, cfg.engine))
        .collect()
}

/// Whether any module of the tree calls a module tfpin did not read (a
/// registry or remote source, a path outside the scanned tree, a missing
/// directory or a non-literal source). Such modules add provider
/// requirements tfpin cannot see.
pub fn calls_unread_modules(ws: &Workspace, modules: &[ModuleId]) -> bool {
    modules.iter().any(|&mid| {
        ws.module(mid)
            .calls
            .iter()
            .any(|c| !matches!(c, CallTarget::Local(_)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn model(text: &str) -> ModuleConfig {
        let mut m = ModuleConfig::default();
        m.add_file(
            FileId(0),
            hcl_edit::parser::parse_body(text).unwrap(),
            false,
        );
        m.finalize();
        m
    }

    fn names(cfg: &ModuleConfig) -> Vec<(String, usize)> {
        provider_uses(cfg)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.len()))
            .collect()
    }

    #[test]
    fn every_kind_of_use_is_found() {
        let cfg = model(
            r#"
terraform {
  provider_meta "google" { module_name = "x" }
}
provider "aws" { alias = "west" }
resource "aws_s3_bucket" "a" {}
resource "google_compute_network" "n" { provider = google-beta }
data "terraform_remote_state" "s" {}
ephemeral "random_password" "p" {}
module "m" {
  source    = "./m"
  providers = { kubernetes = kubernetes.eks }
}
locals { x = provider::time::rfc3339_parse("2024-01-01T00:00:00Z") }
import {
  to       = aws_s3_bucket.a
  id       = "a"
  provider = aws.west
}
check "c" {
  data "http" "h" { url = "https://example.com" }
}
moved {
  from = null_resource.old[0]
  to   = terraform_data.new
}
removed {
  from = kubernetes_config_map.legacy
}
removed {
  from = module.gone
}
"#,
        );
        assert_eq!(
            names(&cfg),
            [
                ("aws".to_string(), 3),
                ("google".to_string(), 1),
                ("google-beta".to_string(), 1),
                ("http".to_string(), 1),
                ("kubernetes".to_string(), 1),
                ("random".to_string(), 1),
                ("terraform".to_string(), 1),
                ("time".to_string(), 1),
            ]
        );
        // The names worked out at finalisation are the same, in order.
        let keys: Vec<String> = names(&cfg).into_iter().map(|(k, _)| k).collect();
        assert_eq!(used_names(&cfg), keys);
        assert!(uses_name(&cfg, "google-beta") && uses_name(&cfg, "terraform"));
        assert!(!uses_name(&cfg, "null") && !uses_name(&cfg, "azurerm"));
        assert!(cfg
            .resources
            .iter()
            .any(|r| r.mode == crate::model::ResourceMode::Ephemeral));
        let state: Vec<String> = state_uses(&cfg).into_iter().collect();
        assert_eq!(state, ["kubernetes", "null", "terraform"]);
        let aws = &provider_uses(&cfg)["aws"];
        assert_eq!(aws[0].what(), "provider \"aws.west\"");
        assert!(aws
            .windows(2)
            .all(|w| w[0].span.range.start < w[1].span.range.start));
    }

    #[test]
    fn explicit_configuration_references_are_found_with_their_declarations() {
        let cfg = model(
            r#"
terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.peer]
    }
  }
}
provider "aws" { alias = "west" }
resource "aws_s3_bucket" "a" { provider = aws.west }
resource "aws_s3_bucket" "b" { provider = aws.by_region["eu"] }
resource "aws_s3_bucket" "c" {}
module "m" {
  source    = "./m"
  providers = { aws = aws.peer }
}
import {
  to       = aws_s3_bucket.a
  id       = "a"
  provider = "aws.west"
}
locals {
  p = provider::aws::west::arn_parse("arn:aws:s3:::b")
  q = provider::aws::arn_parse("arn:aws:s3:::b")
}
"#,
        );
        let refs: Vec<(String, ConfigRefKind)> = config_refs(&cfg)
            .into_iter()
            .map(|r| (r.address(), r.kind))
            .collect();
        assert_eq!(
            refs,
            [
                ("aws.west".to_string(), ConfigRefKind::Resource(0)),
                ("aws.by_region".to_string(), ConfigRefKind::Resource(1)),
                (
                    "aws.peer".to_string(),
                    ConfigRefKind::ProvidersMap { call: 0, pass: 0 }
                ),
                ("aws.west".to_string(), ConfigRefKind::Import),
                ("aws.west".to_string(), ConfigRefKind::Function),
            ]
        );
        let whats: Vec<String> = config_refs(&cfg).iter().map(ConfigRef::what).collect();
        assert_eq!(
            whats,
            [
                "resource \"aws_s3_bucket\" \"a\"",
                "resource \"aws_s3_bucket\" \"b\"",
                "module \"m\" providers",
                "import block",
                "provider::aws::west::arn_parse",
            ]
        );
        assert!(declared_configuration(&cfg, "aws", Some("west")).is_some());
        assert!(declared_configuration(&cfg, "aws", Some("peer")).is_some());
        assert!(declared_configuration(&cfg, "aws", Some("by_region")).is_none());
        assert!(declared_configuration(&cfg, "aws", None).is_none());
        assert!(cfg.provider_configs[0].is_empty());
    }

    #[test]
    fn a_state_store_uses_its_provider() {
        let cfg = model(
            r#"
terraform {
  state_store "fs" {
    provider "local" {}
    path = "state"
  }
}
"#,
        );
        assert_eq!(names(&cfg), [("local".to_string(), 1)]);
    }

    #[test]
    fn addresses_follow_the_source() {
        let cfg = model(
            r#"
terraform {
  required_providers {
    dd  = { source = "DataDog/datadog" }
    aws = "~> 5.0"
  }
}
"#,
        );
        assert_eq!(address_of(&cfg, "dd").unwrap().short(), "datadog/datadog");
        assert_eq!(address_of(&cfg, "aws").unwrap().short(), "hashicorp/aws");
        assert_eq!(
            address_of(&cfg, "random").unwrap().short(),
            "hashicorp/random"
        );
    }
}
