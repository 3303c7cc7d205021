//! `provider-not-declared`: a provider the module uses without a
//! `required_providers` entry.

use super::provider_source_missing::suggested_source;
use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage::{provider_uses, used_names, BUILTIN};

declare_rule! {
    ProviderNotDeclared, "provider-not-declared", Pinning,
    "a provider a module uses without declaring it in required_providers",
    fix: Safe,
}

/// How many other uses are shown as labels.
const MAX_LABELS: usize = 3;

impl Rule for ProviderNotDeclared {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // In a module not read whole, the declaration may be in the file
        // that was not read.
        for m in cx.ws.modules.iter().filter(|m| m.config_complete) {
            let cfg = &m.config;
            // Where each provider is used is worked out only for a module
            // that uses one it does not declare.
            let undeclared = |name: &str| name != BUILTIN && !cfg.requires(name);
            if !used_names(cfg).iter().any(|n| undeclared(n)) {
                continue;
            }
            for (name, uses) in provider_uses(cfg) {
                if name == BUILTIN || cfg.requires(name) {
                    continue;
                }
                let Some((first, rest)) = uses.split_first() else {
                    continue;
                };
                let others = match rest.len() {
                    0 => String::new(),
                    1 => " and 1 other place".to_string(),
                    n => format!(" and {n} other places"),
                };
                let mut f = cx
                    .finding(
                        first.span.clone(),
                        format!(
                            "provider \"{name}\" is used by {}{others} but is not declared in \
                             required_providers",
                            first.what()
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("terraform.required_providers.{name}"))
                    .with_help(format!(
                        "add {name} = {{ source = \"{}\", version = \"...\" }} to \
                         terraform {{ required_providers {{ }} }} in this module",
                        suggested_source(name)
                    ));
                for u in rest.iter().take(MAX_LABELS) {
                    f = f.with_label(u.span.clone(), format!("also used by {}", u.what()));
                }
                out.push(f.with_fix_if(declare(cx, m, name)));
            }
        }
    }
}

/// Declares the provider as Terraform already reads it: `name = { source =
/// "hashicorp/<name>", version = "~> X.Y" }`, X.Y the version the root's
/// lock file records for that address, so init selects what it did.
/// Safe: the source is the one Terraform assumes and the locked version
/// satisfies the constraint. The entry goes first in the module's
/// `required_providers`, or in a new `required_providers` block at the top
/// of its first `terraform` block. No fix outside a root with a lock entry
/// for the provider, where no version can be confirmed, nor in JSON files.
fn declare(cx: &Context<'_, '_>, m: &crate::model::Module, name: &str) -> Option<crate::fix::Fix> {
    use crate::fix::{text, Edit, Fix};
    // Terraform reads only a root module's lock file.
    if m.place != crate::model::Place::Root {
        return None;
    }
    let addr = crate::model::addr::ProviderAddr::implied(name);
    let v = m.locked_version(&addr, cx.ws.engine)?;
    let entry = format!(
        "{name} = {{ source = \"{}\", version = \"~> {}.{}\" }}",
        addr.short(),
        v.major,
        v.minor
    );
    let sources = &cx.ws.sources;
    let edits = match m.config.required_providers.first() {
        Some(first) => {
            let file = first.span.file;
            if text::is_json(sources, file) {
                return None;
            }
            let src = sources.get(file).text.as_str();
            // The `{` of required_providers: the last brace before its
            // first entry, with only blanks between.
            let open = src[..first.span.range.start].rfind('{')?;
            if !src[open + 1..first.span.range.start].trim().is_empty() {
                return None;
            }
            let (key, value) = entry.split_once(" = ")?;
            Edit::all(file, text::first_item(src, open, key, value, false)?)
        }
        None => {
            let header =
                (m.config.terraform_blocks.iter()).find(|h| !text::is_json(sources, h.file))?;
            let src = sources.get(header.file).text.as_str();
            let open = header.range.end + src.get(header.range.end..)?.find('{')?;
            Edit::all(
                header.file,
                text::first_block(src, open, "required_providers", &entry)?,
            )
        }
    };
    Some(Fix::safe(
        format!("declare {entry} in required_providers"),
        edits,
    ))
}
