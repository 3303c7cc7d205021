//! `lock-missing`: a root module that needs providers but has no
//! `.terraform.lock.hcl`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::{Finding, MAX_RELATED};
use crate::model::usage;

declare_rule! {
    LockMissing, "lock-missing", Pinning,
    "a root module that needs providers but has no .terraform.lock.hcl"
}

impl Rule for LockMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for tree in cx.trees {
            let root = cx.ws.module(tree.root);
            if root.lock.is_some() {
                continue;
            }
            let mut needed: Vec<_> = tree.providers.keys().cloned().collect();
            needed.extend(tree.undeclared.iter().cloned());
            needed.retain(|a| !usage::is_builtin(a));
            needed.sort();
            needed.dedup();
            let Some(first) = needed.first() else {
                continue;
            };
            // A tree can need hundreds of providers, and roots that share
            // modules each say so: the first few are named.
            let mut names: Vec<String> = (needed.iter().take(MAX_RELATED))
                .map(|a| format!("\"{}\"", a.short()))
                .collect();
            if needed.len() > MAX_RELATED {
                names.push(format!("and {} more", needed.len() - MAX_RELATED));
            }
            let names = names.join(", ");
            let what = if needed.len() == 1 {
                format!("provider {names}")
            } else {
                format!("{} providers ({names})", needed.len())
            };
            out.push(
                cx.finding(
                    cx.root_anchor(tree, Some(first)),
                    format!("{} has no .terraform.lock.hcl for {what}", root.root_label()),
                )
                .in_module(&root.display)
                .in_tree(tree.root)
                .with_help(format!(
                    "run {} in `{}` and commit .terraform.lock.hcl, so every run installs the same provider versions",
                    lock_how(root, &platform_flags(&cx.settings.platforms())),
                    root.display
                )),
            );
        }
    }
}

/// How to write a root's lock file: its lock command, or also the one
/// that takes platform flags when that is another.
fn lock_how(root: &crate::model::Module, flags: &str) -> String {
    let (write, platforms) = (root.lock_command(), root.lock_platforms_command());
    if write == platforms {
        format!("`{write} {flags}`")
    } else {
        format!("`{write}` (or `{platforms} {flags}`)")
    }
}

/// `-platform=linux_amd64 -platform=darwin_arm64`.
pub(super) fn platform_flags(platforms: &[String]) -> String {
    platforms
        .iter()
        .map(|p| format!("-platform={p}"))
        .collect::<Vec<_>>()
        .join(" ")
}
