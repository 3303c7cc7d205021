//! `lock-missing`: a root module that needs providers but has no
//! `.terraform.lock.hcl`; or a `.gitignore` that keeps the lock files of
//! root modules out of the repository.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::config::{OptionKind, OptionValue};
use crate::finding::{Finding, MAX_RELATED};
use crate::model::usage;
use crate::model::Module;
use crate::source::Span;
use std::collections::BTreeMap;

declare_rule! {
    LockMissing, "lock-missing", Pinning,
    "a root module that needs providers but has no .terraform.lock.hcl",
    options: &[("per_root", OptionKind::Bool)],
}

/// A root that needs a lock file and has none: the root, where its
/// finding goes, and what it needs ("provider \"hashicorp/aws\"").
struct Unlocked<'w> {
    root: &'w Module,
    tree: crate::model::ModuleId,
    anchor: Span,
    what: String,
    /// The `-platform` flags the root's settings ask for.
    flags: String,
}

impl Rule for LockMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // Roots whose lock file a `.gitignore` line keeps out, by the line.
        let mut by_policy: BTreeMap<(u32, usize, usize), (Span, Vec<Unlocked>)> = BTreeMap::new();
        for tree in cx.trees {
            let root = cx.ws.module(tree.root);
            // A lock file that is there but was not read is reported as
            // such; and a root whose configuration was not read whole may
            // need nothing. Which roots are judged is their role's to say.
            if root.has_lock_file() || !root.config_complete {
                continue;
            }
            // The `.gitignore` finding lies in no module, so the engine
            // cannot choose the roots it speaks for; the same test does.
            if !cx.judges_tree(root) {
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
            let settings = cx.settings_for(root.id);
            let per_root = matches!(
                settings.option(Self::META.id, "per_root"),
                Some(OptionValue::Bool(true))
            );
            let flags = platform_flags(&settings.platforms());
            let unlocked = Unlocked {
                root,
                tree: tree.root,
                anchor: cx.root_anchor(tree, Some(first)),
                what,
                flags,
            };
            match &root.lock_ignored {
                Some(line) if !per_root => {
                    let key = (line.file.0, line.range.start, line.range.end);
                    (by_policy.entry(key))
                        .or_insert_with(|| (line.clone(), Vec::new()))
                        .1
                        .push(unlocked);
                }
                ignored => out.push(per_root_finding(cx, &unlocked, ignored.as_ref())),
            }
        }
        for (line, roots) in by_policy.into_values() {
            out.push(policy_finding(cx, line, &roots));
        }
    }
}

/// The finding for one root without a lock file, marking the `.gitignore`
/// line that keeps it out, if one does.
fn per_root_finding(cx: &Context<'_, '_>, u: &Unlocked, ignored: Option<&Span>) -> Finding {
    let f = cx
        .finding(
            u.anchor.clone(),
            format!("{} has no .terraform.lock.hcl for {}", u.root.root_label(), u.what),
        )
        .in_module(&u.root.display)
        .about(".terraform.lock.hcl")
        .in_tree(u.tree)
        .with_help(format!(
            "run {} in `{}` and commit .terraform.lock.hcl, so every run installs the same provider versions",
            lock_how(u.root, &u.flags),
            u.root.display
        ));
    match ignored {
        Some(line) => f.with_label(line.clone(), "this line keeps it out of the repository"),
        None => f,
    }
}

/// The one finding for every root whose lock file the `.gitignore` line
/// at `line` keeps out of the repository: ignoring lock files is a
/// policy, and is changed in one place.
fn policy_finding(cx: &Context<'_, '_>, line: Span, roots: &[Unlocked]) -> Finding {
    let gitignore = &cx.ws.sources.get(line.file).display;
    // The message does not count or name the roots: a run over part of
    // the project reads only some of them, and says the same.
    let how = match roots {
        [one] => format!(
            "{} in `{}`",
            lock_how(one.root, &one.flags),
            one.root.display
        ),
        _ => format!(
            "`terraform init` in each of the {} root modules",
            roots.len()
        ),
    };
    let f = cx
        .finding(
            line,
            format!("`{gitignore}` ignores .terraform.lock.hcl, so the root modules it covers have no lock file"),
        )
        .about(".gitignore .terraform.lock.hcl")
        .with_help(format!(
            "remove this pattern (or add `!.terraform.lock.hcl` after it), run {how} and \
             commit .terraform.lock.hcl: it records the provider versions and checksums that \
             were reviewed, so that CI and every colleague install those"
        ));
    f.with_labels_capped(roots, "root modules", |u| {
        (
            u.anchor.clone(),
            format!("{} needs {}", u.root.root_label(), u.what),
        )
    })
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
