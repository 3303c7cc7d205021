//! `provider-block-version`: the deprecated `version` argument in a
//! `provider` block.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::{Role, RoleSet};

declare_rule! {
    ProviderBlockVersion, "provider-block-version", Hygiene,
    "a version argument inside a provider block, deprecated since Terraform 0.13",
    judges: RoleSet::of(&[Role::Deployed, Role::Example, Role::Test]),
    fix: Safe,
}

impl Rule for ProviderBlockVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for pc in &m.config.provider_configs {
                let Some(span) = &pc.version_attr else {
                    continue;
                };
                let declared = m
                    .config
                    .required_providers
                    .iter()
                    .find(|r| r.name == pc.name)
                    .and_then(|r| r.version.as_ref());
                let help = match (declared, &pc.version) {
                    (Some(_), _) => format!(
                        "remove it; the constraint for {} belongs in required_providers, which \
                         already has one",
                        pc.name
                    ),
                    (None, Some(Ok(v))) => format!(
                        "remove it and set version = \"{}\" on {} in terraform {{ \
                         required_providers {{ }} }}",
                        v.value, pc.name
                    ),
                    (None, _) => format!(
                        "remove it and set the constraint on {} in terraform {{ \
                         required_providers {{ }} }}",
                        pc.name
                    ),
                };
                out.push(
                    cx.finding(
                        span.clone(),
                        format!(
                            "provider \"{}\" block sets version, which is deprecated",
                            pc.reference()
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("{}.version", pc.reference()))
                    .with_help(help)
                    .with_fix_if(moved(cx, m, pc, span)),
                );
            }
        }
    }
}

/// Moves the constraint into the module's `required_providers` entry for
/// the provider: the argument's line goes from the provider block, and the
/// entry's version gains the constraint (`"~> 5.0"` and `">= 5.1"` become
/// `"~> 5.0, >= 5.1"`), or takes it when it has none. Safe: Terraform
/// intersects the two constraints either way. No fix without an entry to
/// move it to, or where either is not a plain string.
fn moved(
    cx: &Context<'_, '_>,
    m: &crate::model::Module,
    pc: &crate::model::ProviderConfig,
    attr: &crate::source::Span,
) -> Option<crate::fix::Fix> {
    use crate::fix::{text, Edit, Fix};
    let sources = &cx.ws.sources;
    let version = pc.version.as_ref()?.as_ref().ok()?;
    let src = sources.get(attr.file).text.as_str();
    let removal = if text::is_json(sources, attr.file) {
        text::remove_json_member(src, attr.range.clone())
    } else {
        text::remove_lines(src, attr)?
    };
    let mut edits = Edit::all(attr.file, removal);
    let entry = (m.config.required_providers.iter()).find(|r| r.name == pc.name)?;
    let entry_src = sources.get(entry.span.file).text.as_str();
    let quoted = format!("\"{}\"", version.value);
    match &entry.version {
        Some(Ok(own)) => {
            if !text::quoted(sources, &own.span, &own.value) {
                return None;
            }
            if own.value.trim() != version.value.trim() {
                edits.push(Edit::insert(
                    own.span.file,
                    own.span.range.end - 1,
                    format!(", {}", version.value),
                ));
            }
        }
        Some(Err(_)) => return None,
        None => {
            let rest = entry_src.get(entry.name_span.range.end..entry.span.range.end)?;
            let open = entry.name_span.range.end + rest.find('{')?;
            let json = text::is_json(sources, entry.span.file);
            let item = text::first_item(entry_src, open, "version", &quoted, json)?;
            edits.extend(Edit::all(entry.span.file, item));
        }
    }
    Some(Fix::safe(
        format!("move version = {quoted} into required_providers"),
        edits,
    ))
}
