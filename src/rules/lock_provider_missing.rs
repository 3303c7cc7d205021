//! `lock-provider-missing`: a provider a root tree requires has no entry in
//! the root's lock file.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage;
use crate::model::{Role, RoleSet};

declare_rule! {
    LockProviderMissing, "lock-provider-missing", Correctness,
    "a provider the root tree requires that has no entry in its .terraform.lock.hcl",
    judges: RoleSet::of(&[Role::Deployed]),
}

impl Rule for LockProviderMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (tree, root, lock) in cx.locked_trees() {
            for (addr, p) in &tree.providers {
                if usage::is_builtin(addr) || lock.entry_in(addr, cx.ws.engine).is_some() {
                    continue;
                }
                let f = cx
                    .finding(
                        cx.root_anchor(tree, Some(addr)),
                        format!(
                            "provider \"{}\" has no entry in the lock file of {}",
                            addr.short(),
                            root.root_label()
                        ),
                    )
                    .in_module(&root.display)
                    .about(addr.to_string())
                    .in_tree(tree.root)
                    .with_help(format!(
                        "run `{}` in `{}` and commit the updated .terraform.lock.hcl; `terraform init -lockfile=readonly` (as in CI) fails until the provider is locked",
                        root.lock_command(),
                        root.display
                    ));
                let children: Vec<_> = (p.contributions.iter())
                    .filter(|c| c.module != tree.root)
                    .collect();
                out.push(
                    f.with_labels_capped(&children, "modules requiring it", |c| {
                        let m = cx.ws.module(c.module);
                        let span = c.name_span(&m.config);
                        (span, format!("required by `{}`", m.display))
                    }),
                );
            }
            // Providers used without a required_providers entry are installed
            // as hashicorp/<name>, and need a lock entry all the same.
            for addr in tree.undeclared.iter() {
                if usage::is_builtin(addr)
                    || tree.providers.contains_key(addr)
                    || lock.entry_in(addr, cx.ws.engine).is_some()
                {
                    continue;
                }
                out.push(
                    cx.finding(
                        cx.root_anchor(tree, None),
                        format!(
                            "provider \"{}\", used without a required_providers entry, has no entry in the lock file of {}",
                            addr.short(),
                            root.root_label()
                        ),
                    )
                    .in_module(&root.display)
                    .about(addr.to_string())
                    .in_tree(tree.root)
                    .with_help(format!(
                        "declare the provider in required_providers, then run `{}` in `{}` and commit the updated .terraform.lock.hcl",
                        root.lock_command(),
                        root.display
                    )),
                );
            }
        }
    }
}
