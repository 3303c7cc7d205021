//! `module-version-missing`: a registry module with no `version`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    ModuleVersionMissing, "module-version-missing", Correctness,
    "a registry module source without a version constraint"
}

impl Rule for ModuleVersionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for call in &m.config.module_calls {
                // A version OpenTofu evaluates to null is none.
                if !cx.call_arg(m, call, "version").is_absent() {
                    continue;
                }
                let Some(src) = cx.registry_source(m, call) else {
                    continue;
                };
                out.push(
                    cx.finding(
                        src.span.clone(),
                        format!(
                            "{} source \"{}\" is a registry module with no version",
                            call.label(), src.value
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("{}.version", call.address()))
                    .with_help(
                        "add a `version` argument next to `source`, such as `version = \"~> 5.1\"`; \
                         without one every `terraform init -upgrade` takes the newest release",
                    ),
                );
            }
        }
    }
}
