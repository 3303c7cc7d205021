//! `terraform-version-missing`: a root module without `required_version`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::Place;
use crate::source::Span;

declare_rule! {
    TerraformVersionMissing, "terraform-version-missing", Pinning,
    "a root module that does not say which Terraform versions it runs on",
    fix: Safe,
}

impl Rule for TerraformVersionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            // A stack has no `required_version`: the Stacks plugin reads
            // the Terraform version from `.terraform-version`.
            if m.place != Place::Root || m.is_stack() {
                continue;
            }
            // The required_version may be in the file that was not read.
            if !m.config_complete {
                continue;
            }
            let cfg = &m.config;
            if cfg.has_engine_version() {
                continue;
            }
            // A required_version is there, but this engine ignores it.
            let ignored = !cfg.required_version.is_empty();
            let span = match (m.config.terraform_blocks.first(), m.files.first()) {
                (Some(block), _) => block.clone(),
                (None, Some(file)) => Span::new(*file, 0..0),
                (None, None) => continue,
            };
            let team = match cx.ws.engine {
                crate::fileset::Engine::Terraform => {
                    cx.settings_for(m.id).terraform_version.as_ref()
                }
                crate::fileset::Engine::OpenTofu => None,
            };
            let example = match team {
                Some(v) => format!("\"~> {}.{}\"", v.major, v.minor),
                None => "\"~> 1.X\" (X the minor release your team runs)".to_string(),
            };
            // OpenTofu 1.12 and later obey required_version only in
            // `.tofu` files (internal/configs/diagnostics.go,
            // checkVersionRequirements).
            let place = match cx.ws.engine {
                crate::fileset::Engine::Terraform => "a terraform block",
                crate::fileset::Engine::OpenTofu => {
                    "a terraform block in a .tofu file (OpenTofu 1.12 and later read it only there)"
                }
            };
            let message = if ignored {
                "root module's required_version is only in .tf files, which OpenTofu 1.12 and \
                 later ignore"
            } else {
                "root module has no required_version in any terraform block"
            };
            let fix = match (team, ignored) {
                (Some(v), false) => add_required_version(cx, m, v),
                _ => None,
            };
            out.push(
                cx.finding(span, message.to_string())
                    .in_module(&m.display)
                    .about("terraform.required_version")
                    .with_help(format!(
                        "add required_version = {example} to {place}, so that every run \
                     uses a {} release the configuration was tested with",
                        cx.ws.engine.name()
                    ))
                    .with_fix_if(fix),
            );
        }
    }
}

/// Writes `required_version = "~> X.Y"`, X.Y the team's Terraform release
/// (`policy { terraform_version }` or `--terraform-version`): as the first
/// argument of the root's first `terraform` block, or in a new block at
/// the top of its first file. Safe: the team's release satisfies it, and
/// a required_version selects no provider.
fn add_required_version(
    cx: &Context<'_, '_>,
    m: &crate::model::Module,
    team: &semver::Version,
) -> Option<crate::fix::Fix> {
    use crate::fix::{text, Edit, Fix};
    let constraint = format!("~> {}.{}", team.major, team.minor);
    let quoted = format!("\"{constraint}\"");
    let sources = &cx.ws.sources;
    let name = |file: crate::source::FileId| {
        let shown = sources.get(file).display.as_str();
        shown.rsplit('/').next().unwrap_or(shown)
    };
    // An override file's blocks replace what primary files say; a new
    // argument belongs in a primary file.
    let primary = |file: &crate::source::FileId| !crate::fileset::is_override_file(name(*file));
    let block = (m.config.terraform_blocks.iter()).find(|h| primary(&h.file));
    let edits = match block {
        Some(header) => {
            let file = header.file;
            let src = sources.get(file).text.as_str();
            let open = header.range.end + src.get(header.range.end..)?.find('{')?;
            let json = text::is_json(sources, file);
            Edit::all(
                file,
                text::first_item(src, open, "required_version", &quoted, json)?,
            )
        }
        None => {
            // A new block, in the file where such blocks are usually kept.
            let files: Vec<crate::source::FileId> = (m.files.iter().copied())
                .filter(|f| primary(f) && name(*f).ends_with(".tf"))
                .collect();
            let file = ["versions.tf", "terraform.tf", "main.tf"]
                .iter()
                .find_map(|n| files.iter().copied().find(|f| name(*f) == *n))
                .or_else(|| files.first().copied())?;
            let src = sources.get(file).text.as_str();
            let nl = if src.contains("\r\n") { "\r\n" } else { "\n" };
            // After a licence or other comment that heads the file.
            let at = text::after_header_comment(src);
            // One blank line between the new block and what follows.
            let rest = &src[at..];
            let gap = if rest.trim().is_empty() || rest.starts_with(nl) {
                ""
            } else {
                nl
            };
            vec![Edit::insert(
                file,
                at,
                format!("terraform {{{nl}  required_version = {quoted}{nl}}}{nl}{gap}"),
            )]
        }
    };
    Some(Fix::safe(
        format!("add required_version = {quoted}, which admits Terraform {team}"),
        edits,
    ))
}
