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
    fix: Safe,
}

impl Rule for IgnoreUnused {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // Files where a finding may have been held back because some module
        // was not read whole, gathered on the first unused comment.
        let partly_read = std::cell::OnceCell::new();
        let reported = |u: &crate::suppress::RuleUse| match u.state {
            Use::Used | Use::Disabled => false,
            Use::Unused => !partly_read
                .get_or_init(|| partly_read_files(cx))
                .contains(&cx.ws.directives[u.directive].file),
            Use::UnknownRule | Use::NotIgnorable => true,
        };
        // The rules of each directive that are reported, so that every
        // finding of one comment carries the same fix.
        let mut dropped: crate::HashMap<usize, Vec<usize>> = crate::HashMap::default();
        for u in cx.suppressions.iter().filter(|u| reported(u)) {
            dropped.entry(u.directive).or_default().push(u.rule);
        }
        for u in cx.suppressions {
            let d = &cx.ws.directives[u.directive];
            let (id, range) = &d.rules[u.rule];
            let span = Span::new(d.file, range.clone());
            let kind = if d.file_wide {
                "tfpin-ignore-file"
            } else {
                "tfpin-ignore"
            };
            if !reported(u) {
                continue;
            }
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
            let mut f = cx
                .finding(span, message)
                .about(format!("{kind}:{id}"))
                .with_help(help);
            if let Some(fix) = dropped
                .get(&u.directive)
                .and_then(|rules| removal(cx.ws.sources.get(d.file).text.as_str(), d, rules))
            {
                f = f.with_fix(fix);
            }
            out.push(f);
        }
    }
}

/// The fix that takes the `dropped` rules (indices into its rules) out of
/// an ignore comment: the whole comment when it names nothing else (with
/// its line, when the comment has a line of its own), else those ids and
/// their commas. Safe: a name that silences nothing, or nothing that may
/// be silenced, changes nothing when it goes.
fn removal(
    text: &str,
    d: &crate::suppress::Directive,
    dropped: &[usize],
) -> Option<crate::fix::Fix> {
    use crate::fix::{Edit, Fix};
    let kept: Vec<&str> = (d.rules.iter().enumerate())
        .filter(|(i, _)| !dropped.contains(i))
        .map(|(_, (id, _))| id.as_str())
        .collect();
    let comment = d.span.clone();
    if kept.is_empty() {
        let line_start = text[..comment.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..comment.start];
        let edits = if before.trim().is_empty() {
            // The comment's own line goes, line break included; the
            // arguments above and below it may then align as one run.
            let end = text[comment.end..]
                .find('\n')
                .map_or(text.len(), |i| comment.end + i + 1);
            Edit::all(
                d.file,
                crate::fix::text::remove_range(text, line_start..end),
            )
        } else {
            // After code: the comment and the blanks before it; a CRLF
            // line keeps its carriage return.
            let start = line_start + before.trim_end().len();
            let end = if text[..comment.end].ends_with('\r') {
                comment.end - 1
            } else {
                comment.end
            };
            vec![Edit::delete(Span::new(d.file, start..end))]
        };
        let what = if d.rules.len() == 1 {
            "remove the ignore comment"
        } else {
            "remove the ignore comment, which silences nothing"
        };
        return Some(Fix::safe(what, edits));
    }
    let first = d.rules.first()?.1.start;
    let last = d.rules.last()?.1.end;
    let gone: Vec<&str> = dropped
        .iter()
        .filter_map(|&i| d.rules.get(i).map(|(id, _)| id.as_str()))
        .collect();
    Some(Fix::safe(
        format!("remove {} from the ignore comment", quoted_list(&gone)),
        vec![Edit::replace(
            Span::new(d.file, first..last),
            kept.join(", "),
        )],
    ))
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`.
fn quoted_list(ids: &[&str]) -> String {
    let q: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
    match q.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
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
