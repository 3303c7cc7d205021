//! `terraform-version-missing`: a root module without `required_version`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::Place;
use crate::source::Span;

declare_rule! {
    TerraformVersionMissing, "terraform-version-missing", Pinning,
    "a root module that does not say which Terraform versions it runs on"
}

impl Rule for TerraformVersionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            // A stack has no `required_version`: the Stacks plugin reads
            // the Terraform version from `.terraform-version`.
            if m.place != Place::Root || m.is_stack() {
                continue;
            }
            // The required_version may be in the file that was not read.
            if !m.config_complete {
                continue;
            }
            let cfg = &m.config;
            if cfg.has_engine_version() {
                continue;
            }
            // A required_version is there, but this engine ignores it.
            let ignored = !cfg.required_version.is_empty();
            let span = match (m.config.terraform_blocks.first(), m.files.first()) {
                (Some(block), _) => block.clone(),
                (None, Some(file)) => Span::new(*file, 0..0),
                (None, None) => continue,
            };
            let team = match cx.ws.engine {
                crate::fileset::Engine::Terraform => {
                    cx.settings_for(m.id).terraform_version.as_ref()
                }
                crate::fileset::Engine::OpenTofu => None,
            };
            let example = match team {
                Some(v) => format!("\"~> {}.{}\"", v.major, v.minor),
                None => "\"~> 1.X\" (X the minor release your team runs)".to_string(),
            };
            // OpenTofu 1.12 and later obey required_version only in
            // `.tofu` files (internal/configs/diagnostics.go,
            // checkVersionRequirements).
            let place = match cx.ws.engine {
                crate::fileset::Engine::Terraform => "a terraform block",
                crate::fileset::Engine::OpenTofu => {
                    "a terraform block in a .tofu file (OpenTofu 1.12 and later read it only there)"
                }
            };
            let message = if ignored {
                "root module's required_version is only in .tf files, which OpenTofu 1.12 and \
                 later ignore"
            } else {
                "root module has no required_version in any terraform block"
            };
            out.push(
                cx.finding(span, message.to_string())
                    .in_module(&m.display)
                    .about("terraform.required_version")
                    .with_help(format!(
                        "add required_version = {example} to {place}, so that every run \
                     uses a {} release the configuration was tested with",
                        cx.ws.engine.name()
                    )),
            );
        }
    }
}
