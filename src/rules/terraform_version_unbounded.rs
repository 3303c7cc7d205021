//! `terraform-version-unbounded`: a root tree's `required_version` with no
//! upper bound.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    TerraformVersionUnbounded, "terraform-version-unbounded", Pinning,
    "a root module whose required_version, over all its modules, has no upper bound",
    fix: Safe,
}

impl Rule for TerraformVersionUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // Trees that require the same constraints get the same verdict: it
        // is worked out once per distinct set of constraint texts (each
        // text parses the same way wherever it is written).
        let mut judged: crate::HashMap<Vec<&str>, bool> = crate::HashMap::default();
        for tree in cx.trees {
            // A bound may be written in a file that was not read; and a root
            // that states no required_version of its own is
            // terraform-version-missing's finding, at the same place, with
            // the same fix.
            let root = cx.ws.module(tree.root);
            let root_states_none = !root.is_stack() && !root.config.has_engine_version();
            if !tree.complete || root_states_none || tree.core_has_invalid() {
                continue;
            }
            let mut texts: Vec<&str> = tree.core.iter().map(|c| c.version.value.as_str()).collect();
            texts.sort_unstable();
            texts.dedup();
            // The intersection is built for a new set of texts, or for a
            // finding's message, and then only once.
            let mut built = None;
            let fine = match judged.get(&texts) {
                Some(fine) => *fine,
                None => {
                    let Some(effective) = tree.core_effective() else {
                        continue;
                    };
                    let fine = effective.is_bounded() || !effective.is_satisfiable();
                    judged.insert(texts, fine);
                    built = Some(effective);
                    fine
                }
            };
            if fine {
                continue;
            }
            let Some(effective) = built.or_else(|| tree.core_effective()) else {
                continue;
            };
            let anchor = tree
                .core
                .iter()
                .find(|c| c.module == tree.root)
                .map(|c| c.version.span.clone())
                .unwrap_or_else(|| cx.root_anchor(tree, None));
            let f = cx
                .finding(
                    anchor,
                    format!(
                        "required_version has no upper bound in this tree (\"{}\"), so any future {} release is accepted",
                        effective.normalized(),
                        cx.ws.engine.name()
                    ),
                )
                .in_module(&root.display)
                .about("terraform.required_version")
                .in_tree(tree.root)
                .with_help(
                    "bound it in the root module, for example required_version = \"~> 1.9\" \
                     (note that \"~> 1\" has no upper bound for required_version)",
                );
            let f = f.with_fix_if(upper_bound(cx, tree, &effective));
            out.push(f.with_labels_capped(&tree.core, "constraints", |c| {
                let m = cx.ws.module(c.module);
                let text = format!("`{}` requires \"{}\"", m.display, c.version.value);
                (c.version.span.clone(), text)
            }));
        }
    }
}

/// Adds `< N.0` to the root's own literal required_version, N the major
/// release after the team's (`policy { terraform_version }` or
/// `--terraform-version`). Safe: offered only when the team's release
/// satisfies the bounded constraint, so every run the team makes passes as
/// before, and a required_version selects no provider. Without a team
/// release, or in OpenTofu's reading, there is no fix.
fn upper_bound(
    cx: &Context<'_, '_>,
    tree: &crate::model::requirements::TreeRequirements<'_>,
    effective: &crate::constraint::Constraints,
) -> Option<crate::fix::Fix> {
    use crate::constraint::{parse, Kind};
    if cx.ws.engine != crate::fileset::Engine::Terraform {
        return None;
    }
    let team = cx.settings_for(tree.root).terraform_version.as_ref()?;
    let own = tree.core.iter().find(|c| c.module == tree.root)?.version;
    let bound = format!("< {}.0", team.major + 1);
    let bounded = effective.intersect(&parse(Kind::Core, &bound).ok()?);
    if !bounded.matches(team) {
        return None;
    }
    if !crate::fix::text::quoted(&cx.ws.sources, &own.span, &own.value) {
        return None;
    }
    Some(crate::fix::Fix::safe(
        format!("add the upper bound \"{bound}\", which admits Terraform {team}"),
        vec![crate::fix::Edit::insert(
            own.span.file,
            own.span.range.end - 1,
            format!(", {bound}"),
        )],
    ))
}
