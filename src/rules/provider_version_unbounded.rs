//! `provider-version-unbounded`: a root tree whose effective constraint on
//! a provider has no upper bound.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    ProviderVersionUnbounded, "provider-version-unbounded", Pinning,
    "a root module whose effective provider constraint, over all its modules, has no upper bound"
}

impl Rule for ProviderVersionUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for tree in cx.trees {
            // A bound may be written in a file that was not read.
            if !tree.complete {
                continue;
            }
            let root = cx.ws.module(tree.root);
            for (addr, p) in tree.providers.iter().filter(|(_, p)| !p.has_invalid) {
                if !p.satisfiable || p.bounded || root_entry_unversioned(root, p) {
                    continue;
                }
                let effective = p.effective.normalized();
                let message = if effective.is_empty() {
                    format!(
                        "provider \"{}\" has no version constraint in any module of this tree",
                        addr.short()
                    )
                } else {
                    format!(
                        "provider \"{}\" has no upper bound: the tree's effective constraint \"{effective}\" admits every future major version",
                        addr.short()
                    )
                };
                let mut f = cx
                    .finding(cx.root_anchor(tree, Some(addr)), message)
                    .in_module(&root.display)
                    .about(addr.to_string())
                    .in_tree(tree.root)
                    .with_help(format!(
                        "bound it in the root module, for example version = \"~> {}\"; reusable modules may keep a minimum such as \">= {}\"",
                        suggestion(p),
                        suggestion(p)
                    ));
                f.labels.extend(cx.contribution_labels(p));
                out.push(f);
            }
        }
    }
}

/// Whether the root's own `required_providers` entry for the provider has
/// no version: provider-version-missing reports it there, where this rule
/// would, and adding the version it asks for bounds the tree.
fn root_entry_unversioned(
    root: &crate::model::Module,
    p: &crate::model::requirements::ProviderRequirements,
) -> bool {
    (p.contributions.iter())
        .filter(|c| c.module == root.id)
        .filter_map(|c| c.requirement())
        .any(|i| root.config.required_providers[i].version.is_none())
}

/// A major.minor to suggest: the effective lower bound, or 1.0.
fn suggestion(p: &crate::model::requirements::ProviderRequirements) -> String {
    match p.effective.lower() {
        Some(v) if v.major > 0 || v.minor > 0 => format!("{}.{}", v.major, v.minor),
        _ => "1.0".to_string(),
    }
}
