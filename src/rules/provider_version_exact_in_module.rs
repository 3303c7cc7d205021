//! `provider-version-exact-in-module`: a reusable module that pins a
//! provider to one exact version.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::Place;
use crate::model::{Role, RoleSet};

declare_rule! {
    ProviderVersionExactInModule, "provider-version-exact-in-module", Pinning,
    "a child module that pins a provider to one exact version, which blocks every caller from upgrading",
    judges: RoleSet::of(&[Role::Reusable]),
}

impl Rule for ProviderVersionExactInModule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // Modules repeat the same few constraints; each is judged once.
        // A set's memo is left out of its Hash and Eq, so it is a sound key.
        #[allow(clippy::mutable_key_type)]
        let mut judged: crate::HashMap<&crate::constraint::Constraints, bool> =
            crate::HashMap::default();
        for m in cx.ws.modules.iter().filter(|m| m.place == Place::Child) {
            for req in &m.config.required_providers {
                let (Some(Ok(v)), Some(Ok(c))) = (&req.version, req.parsed.as_deref()) else {
                    continue;
                };
                let exact = *judged
                    .entry(c)
                    .or_insert_with(|| match (c.lower(), c.upper()) {
                        (Some(lo), Some((hi, true))) => lo == hi,
                        _ => false,
                    });
                if !exact {
                    continue;
                }
                out.push(
                    cx.finding(
                        v.span.clone(),
                        format!(
                            "provider \"{}\" is pinned to exactly \"{}\" in a reusable module",
                            req.name, v.value
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("terraform.required_providers.{}.version", req.name))
                    .with_help(
                        "every root that calls this module is stuck on that version; declare the \
                         minimum the module needs (\">= X.Y\") and let the root module pin",
                    ),
                );
            }
        }
    }
}
