//! `lock-version-mismatch`: the locked version of a provider does not
//! satisfy the root tree's constraints, so `terraform init` refuses the lock.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::constraint::{parse_version, Kind};
use crate::finding::Finding;
use crate::model::{Role, RoleSet};

declare_rule! {
    LockVersionMismatch, "lock-version-mismatch", Correctness,
    "a locked provider version that does not satisfy the root tree's constraints",
    judges: RoleSet::of(&[Role::Deployed]),
}

impl Rule for LockVersionMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (tree, root, lock) in cx.locked_trees() {
            for (addr, p) in &tree.providers {
                // An invalid constraint leaves the effective one incomplete,
                // and an unsatisfiable one is reported on its own.
                if p.has_invalid || !p.satisfiable {
                    continue;
                }
                let Some(entry) = lock.entry_in(addr, cx.ws.engine) else {
                    continue;
                };
                let Some(locked) = &entry.version else {
                    continue;
                };
                let Ok(v) = parse_version(Kind::Provider, &locked.value) else {
                    continue;
                };
                if p.effective.matches(&v) {
                    continue;
                }
                let mut f = cx
                    .finding(
                        locked.span.clone(),
                        format!(
                            "locked version \"{}\" of provider \"{}\" does not satisfy the tree's constraint \"{}\"",
                            locked.value,
                            addr.short(),
                            p.effective.normalized()
                        ),
                    )
                    .in_module(&root.display)
                    .about(addr.to_string())
                    .in_tree(tree.root)
                    .with_help(format!(
                        "`terraform init` refuses this lock file; run `terraform init -upgrade` in `{}` to lock a version that matches, and commit .terraform.lock.hcl",
                        root.display
                    ));
                f.labels.extend(cx.contribution_labels(p));
                out.push(f);
            }
        }
    }
}
