//! `parse-error`: a file Terraform could not read as configuration.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::ProblemKind;

declare_rule! {
    ParseError, "parse-error", Syntax,
    "a file that is not valid HCL, not UTF-8, binary, or a malformed lock file"
}

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for p in cx
            .ws
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Parse)
        {
            out.push(
                cx.finding(p.span.clone(), p.message.clone())
                    .in_module(&p.module)
                    .about(cx.file_name(p.span.file))
                    .with_help(
                        "fix the syntax; `terraform fmt` and `terraform validate` report the same \
                         problem, and nothing else in this file is checked until it parses",
                    ),
            );
        }
    }
}
