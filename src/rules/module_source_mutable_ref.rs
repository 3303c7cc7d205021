//! `module-source-mutable-ref`: a remote module pinned to a branch (or,
//! with `require_sha`, to anything but a commit).

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::config::{OptionKind, OptionValue};
use crate::finding::Finding;
use crate::model::source_addr::{ref_shape, RefShape};
use crate::model::{Role, RoleSet};

declare_rule! {
    ModuleSourceMutableRef, "module-source-mutable-ref", Pinning,
    "a git or Mercurial module source whose ref names a branch rather than a release or commit",
    options: &[("require_sha", OptionKind::Bool)],
    judges: RoleSet::of(&[Role::Deployed, Role::Reusable]),
}

impl Rule for ModuleSourceMutableRef {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            let require_sha = matches!(
                cx.settings_for(m.id).option(Self::META.id, "require_sha"),
                Some(OptionValue::Bool(true))
            );
            for call in &m.config.module_calls {
                let Some((src, remote)) = cx.remote_source(m, call) else {
                    continue;
                };
                let (Some(rev), Some(param)) = (remote.revision(), remote.kind.revision_param())
                else {
                    continue;
                };
                let problem = match ref_shape(rev) {
                    RefShape::CommitSha => continue,
                    RefShape::Version if !require_sha => continue,
                    RefShape::Version => "is a tag, not a commit SHA",
                    RefShape::KnownBranch => "names a branch",
                    RefShape::Other => "is neither a version tag nor a commit SHA",
                };
                let help = if require_sha {
                    format!(
                        "pin a commit SHA (`?{param}=<full commit id>`), as the configuration \
                         requires; tags and branches can be moved"
                    )
                } else {
                    format!(
                        "pin a release tag such as `?{param}=v1.2.3`, or a commit SHA; a branch \
                         changes under you on every init"
                    )
                };
                out.push(
                    cx.finding(
                        src.span.clone(),
                        format!("{} source {param} \"{rev}\" {problem}", call.label()),
                    )
                    .in_module(&m.display)
                    .about(format!("{}.source", call.address()))
                    .with_help(help),
                );
            }
        }
    }
}
