//! `lock-constraints-drift`: the constraints recorded in the lock file are
//! not the tree's current constraints.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage;

declare_rule! {
    LockConstraintsDrift, "lock-constraints-drift", Drift,
    "a lock entry whose recorded constraints differ from the root tree's current constraints"
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
                        "run `{}` in `{}` to record the current constraints, and commit .terraform.lock.hcl",
                        root.lock_command(),
                        root.display
                    ));
                f.labels.extend(cx.contribution_labels(p));
                out.push(f);
            }
        }
    }
}
