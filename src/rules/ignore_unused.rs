//! `ignore-unused`: an inline ignore comment that silences nothing.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::ModuleId;
use crate::source::{FileId, Span};
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
        // Files where a finding may have been held back because some module
        // was not read whole, gathered on the first unused comment.
        let partly_read = std::cell::OnceCell::new();
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
                Use::Unused if partly_read.get_or_init(|| partly_read_files(cx)).contains(&d.file) => {
                    continue
                }
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

/// The files of every module that was not read whole or is in a tree with
/// such a module: rules that judge an absence stay silent there, so a
/// comment in them that silences nothing may be waiting for a finding
/// that is only held back.
fn partly_read_files(cx: &Context<'_, '_>) -> crate::HashSet<FileId> {
    let mut modules: crate::HashSet<ModuleId> = (cx.ws.modules.iter())
        .filter(|m| !m.config_complete)
        .map(|m| m.id)
        .collect();
    for tree in cx.trees.iter().filter(|t| !t.complete) {
        modules.extend(tree.modules.iter().copied());
    }
    (modules.iter())
        .flat_map(|&id| cx.ws.module(id).all_files())
        .collect()
}
