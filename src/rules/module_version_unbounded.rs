//! `module-version-unbounded`: a registry module `version` with no upper
//! bound.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::constraint::{self, Kind};
use crate::finding::Finding;
use crate::model::source_addr::ModuleSource;

declare_rule! {
    ModuleVersionUnbounded, "module-version-unbounded", Pinning,
    "a registry module version constraint with no upper bound"
}

impl Rule for ModuleVersionUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for call in &m.config.module_calls {
                // A non-literal or invalid version is `constraint-invalid`'s.
                let Some(Ok(version)) = &call.version else {
                    continue;
                };
                let registry = call.source_str().is_some_and(|s| {
                    matches!(ModuleSource::parse(&s.value), ModuleSource::Registry { .. })
                });
                if !registry {
                    continue;
                }
                let Ok(c) = constraint::parse(Kind::Module, &version.value) else {
                    continue;
                };
                if c.is_bounded() {
                    continue;
                }
                let tilde_major = version.value.trim().starts_with("~>")
                    && !version.value.contains(',')
                    && !version.value.contains('.');
                let help = if tilde_major {
                    "for modules `~> 1` means `>= 1.0.0` with no upper bound; write `~> 1.0` \
                     to stay below 2.0.0"
                } else {
                    "add an upper bound, such as `~> 5.1` (>= 5.1.0, < 6.0.0) or \
                     `>= 5.1.0, < 6.0.0`, so a new major release cannot arrive unreviewed"
                };
                out.push(
                    cx.finding(
                        version.span.clone(),
                        format!(
                            "module \"{}\" version \"{}\" has no upper bound",
                            call.name, version.value
                        ),
                    )
                    .in_module(&m.display)
                    .with_help(help),
                );
            }
        }
    }
}
