//! Which providers a tree needs beyond its `required_providers` entries:
//! a provider used in a module that does not declare its local name is, for
//! Terraform, `hashicorp/<name>` (or the built-in `terraform` provider), and
//! `terraform init` installs and locks it like any other.

use super::addr::ProviderAddr;
use super::workspace::{CallTarget, ModuleId, Workspace};
use std::collections::BTreeSet;

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
fn implied(local_name: &str) -> ProviderAddr {
    if local_name == "terraform" {
        builtin_terraform()
    } else {
        ProviderAddr::implied(local_name)
    }
}

/// Providers the modules use through local names they do not declare in
/// `required_providers`: resource, data and ephemeral type prefixes, the
/// `provider` meta-argument, `provider` blocks, `providers` maps of module
/// calls and `provider::NAME::fn` calls. Built-in providers are included.
pub fn undeclared(ws: &Workspace, modules: &[ModuleId]) -> BTreeSet<ProviderAddr> {
    let mut out = BTreeSet::new();
    for &mid in modules {
        let cfg = &ws.module(mid).config;
        let declared: BTreeSet<&str> = cfg
            .required_providers
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        let used = cfg
            .resources
            .iter()
            .map(|r| match &r.provider {
                Some(p) => p.name.as_str(),
                None => r.implied_provider(),
            })
            .chain(cfg.provider_configs.iter().map(|p| p.name.as_str()))
            .chain(
                cfg.module_calls
                    .iter()
                    .flat_map(|c| c.providers.iter().map(|p| p.parent.name.as_str())),
            )
            .chain(cfg.provider_functions.iter().map(|f| f.provider.as_str()));
        for name in used {
            if !name.is_empty() && !declared.contains(name) {
                out.insert(implied(name));
            }
        }
    }
    out
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
