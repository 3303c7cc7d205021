//! `lock-provider-stale`: a lock entry for a provider nothing in the root
//! tree needs any more.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::lockfile::LockFile;
use crate::model::addr::ProviderAddr;
use crate::model::usage;
use crate::model::{Role, RoleSet};

declare_rule! {
    LockProviderStale, "lock-provider-stale", Hygiene,
    "a lock file entry for a provider no module of the root tree needs",
    judges: RoleSet::of(&[Role::Deployed]),
    fix: Safe,
}

impl Rule for LockProviderStale {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (tree, root, lock) in cx.locked_trees() {
            // Modules tfpin does not read, or read only in part, may
            // require anything.
            if !tree.complete || usage::calls_unread_modules(cx.ws, &tree.modules) {
                continue;
            }
            // Which entries the engine takes is the lock file's to say
            // (LockFile::entry_in).
            let needed: crate::HashSet<&ProviderAddr> =
                tree.providers.keys().chain(&tree.undeclared).collect();
            for entry in &lock.providers {
                let Some(addr) = &entry.addr else {
                    continue;
                };
                if LockFile::is_needed(addr, cx.ws.engine, &needed) {
                    continue;
                }
                let fix = removal(cx, entry);
                out.push(
                    cx.finding(
                        entry.header.clone(),
                        format!(
                            "lock entry for provider \"{}\" is not needed by any module of {}",
                            addr.short_in(cx.ws.engine),
                            root.root_label()
                        ),
                    )
                    .in_module(&root.display)
                    .about(super::lock_entry_subject(entry))
                    .in_tree(tree.root)
                    .with_help(
                        "run `terraform init` to rewrite the lock file without it, or delete the entry; \
                         if a module still needs the provider, declare it in `required_providers`",
                    )
                    .with_fix_if(fix),
                );
            }
        }
    }
}

/// Removes the entry, as `terraform init` does: its lines, and the blank
/// line that separates it from the entry before (or, for the first entry,
/// after). Safe: init selects nothing for a provider no module needs.
fn removal(
    cx: &Context<'_, '_>,
    entry: &crate::lockfile::LockedProvider,
) -> Option<crate::fix::Fix> {
    use crate::fix::text::{line_at, whole_lines};
    let text = cx.ws.sources.get(entry.block.file).text.as_str();
    let mut range = whole_lines(text, &entry.block)?;
    let blank_before = range.start > 0 && {
        let prev = line_at(text, range.start - 1);
        text[prev.clone()].trim().is_empty() && prev.start < range.start
    };
    if blank_before {
        range.start = line_at(text, range.start - 1).start;
    } else if range.end < text.len() {
        let next = line_at(text, range.end);
        if text[next.clone()].trim().is_empty() {
            range.end = text[next.end..]
                .find('\n')
                .map_or(text.len(), |i| next.end + i + 1);
        }
    }
    Some(crate::fix::Fix::safe(
        format!("remove the entry for \"{}\"", entry.address.value),
        crate::fix::Edit::all(
            entry.block.file,
            crate::fix::text::remove_range(text, range),
        ),
    ))
}
