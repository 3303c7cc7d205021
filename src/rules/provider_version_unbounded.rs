//! `provider-version-unbounded`: a root tree whose effective constraint on
//! a provider has no upper bound.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    ProviderVersionUnbounded, "provider-version-unbounded", Pinning,
    "a root module whose effective provider constraint, over all its modules, has no upper bound",
    fix: SafeOrUnsafe,
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
                out.push(f.with_fix_if(upper_bound(cx, root, addr, p)));
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

/// Adds `< N.0` to the root's own constraint for the provider, N the next
/// major version above the one the root's lock records. Safe when the
/// locked version satisfies the bounded constraint: `terraform init`
/// selects the same version as before; unsafe when it does not (the lock
/// is already refused). Without a lock entry there is no fix: the only
/// other basis, the constraint's lower bound, can be majors behind what
/// init installs today, and a bound there would downgrade the provider.
/// Nor is there one when the root has no literal constraint of its own to
/// extend, or the bound would leave no version.
fn upper_bound(
    cx: &Context<'_, '_>,
    root: &crate::model::Module,
    addr: &crate::model::addr::ProviderAddr,
    p: &crate::model::requirements::ProviderRequirements,
) -> Option<crate::fix::Fix> {
    use crate::constraint::{parse, Kind};
    use crate::fix::{Edit, Fix, Safety};
    let entry = (p.contributions.iter())
        .filter(|c| c.module == root.id)
        .find_map(|c| c.requirement())
        .and_then(|i| root.config.required_providers.get(i))?;
    let version = entry.version.as_ref()?.as_ref().ok()?;
    let locked = root.locked_version(addr, cx.ws.engine);
    let base = locked.clone()?;
    let bound = format!("< {}.0", base.major + 1);
    let bounded = p.effective.intersect(&parse(Kind::Provider, &bound).ok()?);
    if !bounded.is_satisfiable() {
        return None;
    }
    let safety = match &locked {
        Some(v) if bounded.matches(v) && p.effective.matches(v) => Safety::Safe,
        _ => Safety::Unsafe,
    };
    if !crate::fix::text::quoted(&cx.ws.sources, &version.span, &version.value) {
        return None;
    }
    let glue = if version.value.trim().is_empty() {
        ""
    } else {
        ", "
    };
    let why = match safety {
        Safety::Safe => format!("the locked {base} stays selected"),
        Safety::Unsafe => format!("the locked {base} does not satisfy it"),
    };
    Some(Fix::new(
        safety,
        format!("add the upper bound \"{bound}\" ({why})"),
        vec![Edit::insert(
            version.span.file,
            version.span.range.end - 1,
            format!("{glue}{bound}"),
        )],
    ))
}
