//! `provider-version-missing`: a `required_providers` entry with no
//! `version`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage::BUILTIN;
use crate::model::Place;

declare_rule! {
    ProviderVersionMissing, "provider-version-missing", Pinning,
    "a required_providers entry with no version constraint"
}

impl Rule for ProviderVersionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for req in &m.config.required_providers {
                if req.version.is_some() || req.name == BUILTIN {
                    continue;
                }
                let help = match m.place {
                    Place::Root => format!(
                        "add version = \"~> X.Y\" to {}, naming the major and minor version you \
                         test with, so that init cannot pick an untested major release",
                        req.name
                    ),
                    Place::Child => format!(
                        "add a minimum such as version = \">= X.Y\" to {}, the oldest release \
                         this module works with; the root module sets the upper bound",
                        req.name
                    ),
                };
                out.push(
                    cx.finding(
                        req.name_span.clone(),
                        format!("provider \"{}\" has no version constraint", req.name),
                    )
                    .in_module(&m.display)
                    .about(format!("terraform.required_providers.{}.version", req.name))
                    .with_help(help),
                );
            }
        }
    }
}
