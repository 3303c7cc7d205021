//! `module-version-missing`: a registry module with no `version`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    ModuleVersionMissing, "module-version-missing", Correctness,
    "a registry module source without a version constraint",
    fix: Unsafe,
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
                    )
                    .with_fix_if(in_use(cx, m, &call.name, &src)),
                );
            }
        }
    }
}

/// Pins the call to the release `terraform init` installed for it, where
/// the root's `.terraform/modules/modules.json` records one for this call
/// and source: `version = "~> X.Y"` on the line after `source`. Unsafe:
/// that release is what one machine installed, which a lock file does not
/// confirm for modules, and the bound stops later majors. Without the
/// record there is no fix: which release to pin is the registry's to say.
fn in_use(
    cx: &Context<'_, '_>,
    m: &crate::model::Module,
    call: &str,
    src: &crate::model::calls::CallText<'_>,
) -> Option<crate::fix::Fix> {
    use crate::fix::{text, Edit, Fix};
    if src.evaluated {
        return None;
    }
    let v = m.installed_release(call, &src.value)?;
    let file = src.span.file;
    if text::is_json(&cx.ws.sources, file) {
        return None;
    }
    let body = cx.ws.sources.get(file).text.as_str();
    let line = text::line_at(body, src.span.range.start).start;
    let constraint = format!("~> {}.{}", v.major, v.minor);
    let edits = text::item_after(body, line, "version", &format!("\"{constraint}\""))?;
    Some(Fix::unsafe_(
        format!(
            "add version = \"{constraint}\", for the {} that terraform init installed",
            v
        ),
        Edit::all(file, edits),
    ))
}
