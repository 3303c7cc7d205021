//! `provider-alias-undefined`: a reference to an aliased provider
//! configuration the module neither defines nor declares, and that some
//! caller does not pass (one every caller passes is
//! `provider-alias-undeclared`'s).

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage::{config_refs, declared_configuration, passed_by_every_caller, ConfigRef};
use crate::model::{ModuleConfig, ProviderConfig, ProviderRef};
use crate::HashMap;

declare_rule! {
    ProviderAliasUndefined, "provider-alias-undefined", Correctness,
    "a reference to an aliased provider configuration the module neither defines nor declares in configuration_aliases"
}

/// Names a `provider =` reference cannot start with; such a value is not
/// a provider reference at all, and Terraform reports it differently.
pub(crate) const NOT_PROVIDER_NAMES: &[&str] = &[
    "var",
    "local",
    "each",
    "count",
    "module",
    "data",
    "self",
    "path",
    "terraform",
];

/// The references in a module to aliased configurations it neither
/// defines nor declares, each with its alias.
pub(crate) fn undeclared_refs(cfg: &ModuleConfig) -> impl Iterator<Item = (ConfigRef<'_>, &str)> {
    config_refs(cfg).into_iter().filter_map(move |r| {
        let alias = r.alias?;
        let undeclared = !NOT_PROVIDER_NAMES.contains(&r.name)
            && declared_configuration(cfg, r.name, Some(alias)).is_none();
        undeclared.then_some((r, alias))
    })
}

impl Rule for ProviderAliasUndefined {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // In a module not read whole, the configuration may be defined in
        // the file that was not read.
        for m in cx.ws.modules.iter().filter(|m| m.config_complete) {
            let cfg = &m.config;
            // Where each provider's configurations are, gathered on the
            // first finding: a module can have many blocks and many
            // references to undefined ones.
            let mut places = None;
            for (r, alias) in undeclared_refs(cfg) {
                // Every caller passes it: Terraform makes the configuration
                // and only warns, which is provider-alias-undeclared's.
                if passed_by_every_caller(cx.ws, m, r.name, alias).is_some() {
                    continue;
                }
                let addr = r.address();
                let help = if m.is_root() {
                    format!(
                        "add provider \"{}\" {{ alias = \"{alias}\" }} with its settings to this \
                         module, or refer to a configuration that exists",
                        r.name
                    )
                } else {
                    format!(
                        "add {addr} to configuration_aliases in this module's required_providers \
                         entry for {} so that callers pass it, or refer to a configuration that \
                         exists",
                        r.name
                    )
                };
                let f = cx
                    .finding(
                        r.span.clone(),
                        format!(
                            "{} refers to provider configuration {addr}, which this module does \
                             not define",
                            r.what()
                        ),
                    )
                    .in_module(&m.display)
                    .about(&addr)
                    .with_help(help);
                let labels = places
                    .get_or_insert_with(|| places_by_name(cfg))
                    .get(r.name)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let what = format!("configurations of {}", r.name);
                out.push(f.with_labels_capped(labels, what, |place| match place {
                    Place::Block(pc) => {
                        let span = pc.alias.as_ref().map_or(&pc.header, |a| &a.span);
                        (span.clone(), format!("{} is defined here", pc.reference()))
                    }
                    Place::Declared(ca) => (
                        ca.span.clone(),
                        format!("{} is declared here", ca.address()),
                    ),
                }));
            }
        }
    }
}

/// Where a module makes a configuration of a provider available.
enum Place<'c> {
    /// A `provider` block.
    Block(&'c ProviderConfig),
    /// A `configuration_aliases` entry.
    Declared(&'c ProviderRef),
}

/// The places a module defines or declares each provider's configurations:
/// blocks in order, then `configuration_aliases` entries. Labels are
/// worded only for the few a finding marks.
fn places_by_name(cfg: &ModuleConfig) -> HashMap<&str, Vec<Place<'_>>> {
    let mut places: HashMap<&str, Vec<Place<'_>>> = HashMap::default();
    for pc in &cfg.provider_configs {
        places
            .entry(pc.name.as_str())
            .or_default()
            .push(Place::Block(pc));
    }
    for ca in cfg
        .required_providers
        .iter()
        .flat_map(|req| &req.configuration_aliases)
    {
        places
            .entry(ca.name.as_str())
            .or_default()
            .push(Place::Declared(ca));
    }
    places
}
