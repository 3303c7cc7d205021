//! `terraform-version-excluded`: a `required_version` that rejects the
//! Terraform version the team runs.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::{Role, RoleSet};

declare_rule! {
    TerraformVersionExcluded, "terraform-version-excluded", Correctness,
    "a required_version that excludes the Terraform version set by policy or --terraform-version",
    judges: RoleSet::ALL.without(Role::Legacy),
}

impl Rule for TerraformVersionExcluded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // The team's version is Terraform's; OpenTofu's releases are
        // numbered apart.
        if cx.ws.engine != crate::fileset::Engine::Terraform {
            return;
        }
        for m in &cx.ws.modules {
            let Some(team) = &cx.settings_for(m.id).terraform_version else {
                continue;
            };
            for (rv, parsed) in m.config.required_versions() {
                let Ok(c) = parsed else {
                    continue;
                };
                if c.matches(team) {
                    continue;
                }
                out.push(
                    cx.finding(
                        rv.span.clone(),
                        format!(
                            "required_version \"{}\" excludes Terraform {team}, the version this team runs",
                            rv.value
                        ),
                    )
                    .in_module(&m.display)
                    .about("terraform.required_version")
                    .with_help(format!(
                        "terraform {team} refuses to run this module (\"Unsupported Terraform Core version\"); \
                         widen the constraint to include {team}, or change policy {{ terraform_version }}"
                    )),
                );
            }
        }
    }
}
