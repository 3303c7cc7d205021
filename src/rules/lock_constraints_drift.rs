//! `lock-constraints-drift`: the constraints recorded in the lock file are
//! not the tree's current constraints.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage;

declare_rule! {
    LockConstraintsDrift, "lock-constraints-drift", Drift,
    "a lock entry whose recorded constraints differ from the root tree's current constraints",
    fix: Safe,
}

impl Rule for LockConstraintsDrift {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (tree, root, lock) in cx.locked_trees() {
            // Modules tfpin does not read, or read only in part, add
            // constraints it cannot see; and `terraform stacks providers
            // lock` records none, so a stack's lock has nothing to drift
            // from.
            if root.is_stack()
                || !tree.complete
                || usage::calls_unread_modules(cx.ws, &tree.modules)
            {
                continue;
            }
            for (addr, p) in tree.providers.iter().filter(|(_, p)| !p.has_invalid) {
                let Some(entry) = lock.entry_in(addr, cx.ws.engine) else {
                    continue;
                };
                let current = p.effective.normalized();
                let recorded = entry.constraints.as_ref().map_or("", |c| c.value.as_str());
                if recorded == current {
                    continue;
                }
                let span = entry
                    .constraints
                    .as_ref()
                    .map_or_else(|| entry.header.clone(), |c| c.span.clone());
                let show = |s: &str| {
                    if s.is_empty() {
                        "none".to_string()
                    } else {
                        format!("\"{s}\"")
                    }
                };
                let mut f = cx
                    .finding(
                        span,
                        format!(
                            "lock constraints for provider \"{}\" are {} but the tree now requires {}",
                            addr.short(),
                            show(recorded),
                            show(&current)
                        ),
                    )
                    .in_module(&root.display)
                    .about(addr.to_string())
                    .in_tree(tree.root)
                    .with_help(format!(
                        "run `{}` in `{}` (`terraform init` keeps recorded constraints while the \
                         locked version satisfies them), or `tfpin check --fix`, to record the \
                         current constraints, and commit .terraform.lock.hcl",
                        root.lock_platforms_command(),
                        root.display
                    ));
                f.labels.extend(cx.contribution_labels(p));
                out.push(f.with_fix_if(record(cx, entry, &current)));
            }
        }
    }
}

/// Records the current constraints as `terraform providers lock` does
/// (tests/data/fix): the string rewritten in Terraform's normalised form,
/// the line removed when there are none, or a line added after `version`
/// when the entry has none (and its `version =` is already aligned for
/// one). Safe: the recorded constraints are a note of the configuration;
/// init selects by the configuration and the locked version.
fn record(
    cx: &Context<'_, '_>,
    entry: &crate::lockfile::LockedProvider,
    current: &str,
) -> Option<crate::fix::Fix> {
    use crate::fix::text::{indent_of, line_at, remove_lines};
    use crate::fix::{Edit, Fix};
    let text = cx.ws.sources.get(entry.block.file).text.as_str();
    let file = entry.block.file;
    let edits = match (&entry.constraints, current.is_empty()) {
        (Some(c), false) => {
            if !crate::fix::text::quoted(&cx.ws.sources, &c.span, &c.value) {
                return None;
            }
            vec![Edit::replace(c.span.clone(), format!("\"{current}\""))]
        }
        (Some(c), true) => {
            // The whole attribute line: from its indentation to its break.
            let line = line_at(text, c.span.range.start);
            Edit::all(
                file,
                remove_lines(text, &crate::source::Span::new(file, line))?,
            )
        }
        (None, false) => {
            let v = entry.version.as_ref()?;
            let line = line_at(text, v.span.range.start);
            let indent = indent_of(text, v.span.range.start);
            // `version     = ` is how init aligns it beside `constraints`.
            if !text[line.clone()]
                .trim_start()
                .starts_with("version     = ")
            {
                return None;
            }
            vec![Edit::insert(
                v.span.file,
                line.end,
                format!("\n{indent}constraints = \"{current}\""),
            )]
        }
        (None, true) => return None,
    };
    let what = if current.is_empty() {
        "remove the recorded constraints, as none remain".to_string()
    } else {
        format!("record the constraints \"{current}\"")
    };
    Some(Fix::safe(what, edits))
}
