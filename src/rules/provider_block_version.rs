//! `provider-block-version`: the deprecated `version` argument in a
//! `provider` block.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::{Role, RoleSet};

declare_rule! {
    ProviderBlockVersion, "provider-block-version", Hygiene,
    "a version argument inside a provider block, deprecated since Terraform 0.13",
    judges: RoleSet::of(&[Role::Deployed, Role::Example, Role::Test]),
}

impl Rule for ProviderBlockVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for pc in &m.config.provider_configs {
                let Some(span) = &pc.version_attr else {
                    continue;
                };
                let declared = m
                    .config
                    .required_providers
                    .iter()
                    .find(|r| r.name == pc.name)
                    .and_then(|r| r.version.as_ref());
                let help = match (declared, &pc.version) {
                    (Some(_), _) => format!(
                        "remove it; the constraint for {} belongs in required_providers, which \
                         already has one",
                        pc.name
                    ),
                    (None, Some(Ok(v))) => format!(
                        "remove it and set version = \"{}\" on {} in terraform {{ \
                         required_providers {{ }} }}",
                        v.value, pc.name
                    ),
                    (None, _) => format!(
                        "remove it and set the constraint on {} in terraform {{ \
                         required_providers {{ }} }}",
                        pc.name
                    ),
                };
                out.push(
                    cx.finding(
                        span.clone(),
                        format!(
                            "provider \"{}\" block sets version, which is deprecated",
                            pc.reference()
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("{}.version", pc.reference()))
                    .with_help(help),
                );
            }
        }
    }
}
