//! `opentofu-only-construct`: a construct that only OpenTofu reads, in a
//! tree checked for Terraform.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::fileset::Engine;
use crate::finding::Finding;

declare_rule! {
    OpentofuOnlyConstruct, "opentofu-only-construct", Correctness,
    "a provider for_each, language block or lifecycle enabled in a tree checked for Terraform, which rejects it"
}

impl Rule for OpentofuOnlyConstruct {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        if cx.ws.engine != Engine::Terraform {
            return;
        }
        for m in &cx.ws.modules {
            let cfg = &m.config;
            let for_each = cfg.opentofu_provider_for_each().map(|(pc, e)| {
                let what = format!("provider \"{}\" block has for_each", pc.reference());
                (e.span(), what, format!("{}.for_each", pc.reference()))
            });
            let others = cfg.opentofu_constructs.iter().map(|(span, what)| {
                (
                    span.clone(),
                    format!("{what} is OpenTofu's"),
                    what.to_string(),
                )
            });
            for (span, what, subject) in for_each.chain(others) {
                out.push(
                    cx.finding(span, format!("{what}, which Terraform rejects"))
                        .in_module(&m.display)
                        .about(subject)
                        .with_help(
                            "this tree is checked for Terraform (`engine` in .tfpin.hcl, or \
                             --engine); if it runs on OpenTofu, set engine = \"opentofu\", or put \
                             the OpenTofu-only parts in .tofu files with .tf twins for Terraform",
                        ),
                );
            }
        }
    }
}
