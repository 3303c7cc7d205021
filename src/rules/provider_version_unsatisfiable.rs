//! `provider-version-unsatisfiable`: no version can satisfy every module's
//! constraint on a provider.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    ProviderVersionUnsatisfiable, "provider-version-unsatisfiable", Correctness,
    "provider constraints in one root tree that no version can satisfy together"
}

impl Rule for ProviderVersionUnsatisfiable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for tree in cx.trees {
            let root = cx.ws.module(tree.root);
            for (addr, p) in tree.providers.iter().filter(|(_, p)| !p.has_invalid) {
                if p.satisfiable {
                    continue;
                }
                let mut f = cx
                    .finding(
                        cx.root_anchor(tree, Some(addr)),
                        format!(
                            "no version of provider \"{}\" satisfies every constraint in this tree: \"{}\"",
                            addr.short(),
                            p.effective.normalized()
                        ),
                    )
                    .in_module(&root.display)
                    .about(addr.to_string())
                    .in_tree(tree.root)
                    .with_help(
                        "terraform init fails with \"no available releases match the given constraints\"; \
                         widen the conflicting constraints, usually by giving reusable modules a minimum \
                         (\">= 5.0\") instead of a range",
                    );
                f.labels.extend(cx.contribution_labels(p));
                out.push(f);
            }
        }
    }
}
