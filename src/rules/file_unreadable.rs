//! `file-unreadable`: part of the tree tfpin could not read, so could not
//! check.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::{CallTarget, ProblemKind};

declare_rule! {
    FileUnreadable, "file-unreadable", Coverage,
    "a file, directory or local module that tfpin could not read, so did not check"
}

impl Rule for FileUnreadable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for p in &cx.ws.problems {
            let mut f = match p.kind {
                ProblemKind::Unreadable => cx.finding(p.span.clone(), p.message.clone()).with_help(
                    "make the path readable, or exclude it with `exclude = [...]` in .tfpin.hcl",
                ),
                ProblemKind::Parse => continue,
            };
            f.module = p.module.clone();
            f.subject = cx.file_name(p.span.file).to_string();
            out.push(f);
        }
        for m in cx.ws.modules.iter() {
            for (call, target) in m.config.module_calls.iter().zip(&m.calls) {
                let CallTarget::OutsideTree(_) = target else {
                    continue;
                };
                let Some(src) = call.source_str() else {
                    continue;
                };
                out.push(
                    cx.finding(
                        src.span.clone(),
                        format!(
                            "{} source \"{}\" leaves the project; not read",
                            call.label(),
                            src.value,
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("{}.source", call.address()))
                    .with_help(
                        "tfpin reads local modules only inside the project (the git work tree, \
                         or the directory whose .tfpin.hcl says `root = true`); move the module \
                         into it, or check from a project that holds both",
                    ),
                );
            }
        }
    }
}
