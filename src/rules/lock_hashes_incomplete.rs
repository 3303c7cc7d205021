//! `lock-hashes-incomplete`: a lock entry whose hashes cannot cover every
//! platform the team runs on.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    LockHashesIncomplete, "lock-hashes-incomplete", Pinning,
    "a lock entry with no zh: hashes and fewer h1: hashes than the configured platforms"
}

impl Rule for LockHashesIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (tree, root, lock) in cx.locked_trees() {
            let platforms = cx.settings_for(root.id).platforms();
            for entry in &lock.providers {
                if !entry.zh.is_empty() || entry.h1.len() >= platforms.len() {
                    continue;
                }
                let name = entry
                    .addr
                    .as_ref()
                    .map_or_else(|| entry.address.value.clone(), |a| a.short_in(cx.ws.engine));
                let hashes = match entry.h1.len() {
                    0 => "no hashes".to_string(),
                    1 => "one h1: hash and no zh: hashes".to_string(),
                    n => format!("{n} h1: hashes and no zh: hashes"),
                };
                out.push(
                    cx.finding(
                        entry.header.clone(),
                        format!(
                            "lock entry for provider \"{name}\" has {hashes}, fewer than the {} to support ({})",
                            match platforms.len() {
                                1 => "one platform".to_string(),
                                n => format!("{n} platforms"),
                            },
                            platforms.join(", ")
                        ),
                    )
                    .in_module(&root.display)
                    .about(super::lock_entry_subject(entry))
                    .in_tree(tree.root)
                    .with_help(format!(
                        "run `{} {}` in `{}` and commit .terraform.lock.hcl; otherwise `{}` on another platform fails the checksum check",
                        root.lock_platforms_command(),
                        super::lock_missing::platform_flags(&platforms),
                        root.display,
                        root.lock_command()
                    )),
                );
            }
        }
    }
}
