//! `provider-alias-undefined`: a reference to an aliased provider
//! configuration the module neither defines nor declares.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage::{config_refs, declared_configuration};

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

impl Rule for ProviderAliasUndefined {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            let cfg = &m.config;
            for r in config_refs(cfg) {
                let Some(alias) = r.alias else {
                    continue;
                };
                if NOT_PROVIDER_NAMES.contains(&r.name)
                    || declared_configuration(cfg, r.name, Some(alias)).is_some()
                {
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
                let mut f = cx
                    .finding(
                        r.span.clone(),
                        format!(
                            "{} refers to provider configuration {addr}, which this module does \
                             not define",
                            r.what()
                        ),
                    )
                    .in_module(&m.display)
                    .with_help(help);
                for pc in cfg.provider_configs.iter().filter(|pc| pc.name == r.name) {
                    let span = pc.alias.as_ref().map_or(&pc.header, |a| &a.span);
                    f = f.with_label(span.clone(), format!("{} is defined here", pc.reference()));
                }
                for ca in cfg
                    .required_providers
                    .iter()
                    .flat_map(|req| &req.configuration_aliases)
                    .filter(|ca| ca.name == r.name)
                {
                    f = f.with_label(
                        ca.span.clone(),
                        format!("{} is declared here", ca.address()),
                    );
                }
                out.push(f);
            }
        }
    }
}
