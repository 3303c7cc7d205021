//! `module-source-missing`: a local module source with no module behind it.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::{CallTarget, Role, RoleSet};
use crate::source::display_path;

declare_rule! {
    ModuleSourceMissing, "module-source-missing", Correctness,
    "a local module source whose directory does not exist or holds no Terraform files",
    judges: RoleSet::ALL.without(Role::Test),
}

impl Rule for ModuleSourceMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for (call, target) in m.config.module_calls.iter().zip(&m.calls) {
                let CallTarget::LocalMissing { dir, is_dir } = target else {
                    continue;
                };
                // A literal, or the path OpenTofu resolves an expression to.
                let Some(src) = cx.call_arg(m, call, "source").known() else {
                    continue;
                };
                let what = if *is_dir {
                    "holds no .tf files"
                } else {
                    "does not exist"
                };
                out.push(
                    cx.finding(
                        src.span,
                        format!(
                            "{} source \"{}\" {what} (`{}`)",
                            call.label(),
                            src.value,
                            display_path(dir, &cx.ws.root)
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("{}.source", call.address()))
                    .with_help(
                        "local sources are relative to the calling module's directory; fix the \
                         path, or add the module",
                    ),
                );
            }
        }
    }
}
