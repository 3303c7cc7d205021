//! `ignore-unused`: an inline ignore comment that silences nothing.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::source::Span;
use crate::suppress::Use;

declare_rule! {
    IgnoreUnused, "ignore-unused", Suppression,
    "a tfpin-ignore comment that names an unknown rule or silences nothing",
    after_suppression: true,
}

impl Rule for IgnoreUnused {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for u in cx.suppressions {
            let d = &cx.ws.directives[u.directive];
            let (id, range) = &d.rules[u.rule];
            let span = Span::new(d.file, range.clone());
            let kind = if d.file_wide {
                "tfpin-ignore-file"
            } else {
                "tfpin-ignore"
            };
            let (message, help) = match u.state {
                Use::Used | Use::Disabled => continue,
                Use::Unused => (
                    format!("`{kind}` for \"{id}\" silences nothing"),
                    "remove the comment; the problem it was written for is gone (or moved out of its reach)"
                        .to_string(),
                ),
                Use::UnknownRule => (
                    format!("`{kind}` names unknown rule \"{id}\""),
                    match super::closest(id) {
                        Some(c) => format!("did you mean \"{c}\"? `tfpin rules` lists every rule"),
                        None => "`tfpin rules` lists every rule".to_string(),
                    },
                ),
                Use::NotIgnorable => (
                    format!("`{kind}` for \"{id}\" has no effect: the rule cannot be silenced inline"),
                    format!("the configuration sets `ignorable = false` for \"{id}\"; fix the finding instead"),
                ),
            };
            out.push(
                cx.finding(span, message)
                    .about(format!("{kind}:{id}"))
                    .with_help(help),
            );
        }
    }
}
