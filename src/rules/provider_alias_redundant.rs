//! `provider-alias-redundant`: two configurations of one provider in one
//! module instance that are interchangeable.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::eval::{OriginKind, Resolved};
use crate::finding::Finding;
use crate::model::ProviderConfig;
use crate::source::Span;

declare_rule! {
    ProviderAliasRedundant, "provider-alias-redundant", Hygiene,
    "two configurations of one provider with the same region and otherwise identical settings"
}

impl Rule for ProviderAliasRedundant {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (i, inst) in cx.values.instances.iter().enumerate() {
            let module = cx.ws.module(inst.module);
            let candidates: Vec<&ProviderConfig> = module
                .config
                .provider_configs
                .iter()
                .filter(|pc| pc.content.attr("for_each").is_none())
                .collect();
            // Only two configurations of one provider can duplicate each
            // other: most instances have none, and nothing is evaluated.
            let paired = candidates
                .iter()
                .enumerate()
                .any(|(bi, b)| candidates[..bi].iter().any(|a| a.name == b.name));
            if !paired {
                continue;
            }
            let configs: Vec<(&ProviderConfig, Resolved)> = candidates
                .into_iter()
                .filter_map(|pc| {
                    let region = cx.values.eval(i, pc.region()?);
                    region.value.as_str()?;
                    Some((pc, region))
                })
                .collect();
            // The other settings are compared only for blocks that agree on
            // everything else, and worked out once per block.
            let settings: Vec<std::cell::OnceCell<Vec<String>>> =
                configs.iter().map(|_| std::cell::OnceCell::new()).collect();
            let settings_of =
                |k: usize| settings[k].get_or_init(|| other_settings(cx, configs[k].0));
            for (bi, (b, rb)) in configs.iter().enumerate() {
                let Some((_, (a, ra))) = configs[..bi].iter().enumerate().find(|(ai, (a, ra))| {
                    // Two blocks with the same alias (or two defaults)
                    // are a duplicate, which Terraform rejects: another
                    // finding than this one.
                    a.name == b.name
                        && a.alias.as_ref().map(|s| &s.value) != b.alias.as_ref().map(|s| &s.value)
                        && same_region(ra, rb)
                        && settings_of(*ai) == settings_of(bi)
                }) else {
                    continue;
                };
                // Report the aliased one of the pair: a default
                // configuration cannot be dropped. Of two aliases, the one
                // whose name contradicts its region is the one to drop.
                let (keep, drop) = if b.alias.is_none() || (a.alias.is_some() && misnamed(a, ra)) {
                    (b, a)
                } else {
                    (a, b)
                };
                let span = drop
                    .alias
                    .as_ref()
                    .map(|s| s.span.clone())
                    .unwrap_or_else(|| drop.header.clone());
                let f = cx
                    .finding(
                        span,
                        format!(
                            "provider configuration {} duplicates {}: same region {} and settings{}",
                            drop.reference(),
                            keep.reference(),
                            ra.value,
                            cx.instance_suffix(i)
                        ),
                    )
                    .in_module(&module.display)
                    .with_label(
                        keep.header.clone(),
                        format!("{} is configured the same way here", keep.reference()),
                    )
                    .with_help(format!(
                        "keep one configuration: point what uses {} at {} (`provider = {}`, or in a `providers` map) and remove the duplicate",
                        drop.reference(),
                        keep.reference(),
                        keep.reference()
                    ));
                out.push(f);
            }
        }
    }
}

/// Whether an aliased configuration's name says another place than its
/// region (what `provider-alias-region-mismatch` reports).
fn misnamed(pc: &crate::model::ProviderConfig, region: &Resolved) -> bool {
    use crate::regions::{catalog, AliasVerdict, Cloud};
    let (Some(alias), Some(cloud), Some(code)) = (
        pc.alias.as_ref(),
        Cloud::for_provider(&pc.name),
        region.value.as_str(),
    ) else {
        return false;
    };
    let Some(r) = catalog().lookup(cloud, code) else {
        return false;
    };
    matches!(
        catalog().check_alias(&alias.value, r),
        AliasVerdict::Contradicts { .. }
    )
}

/// Whether two regions are the same on purpose: the same known value
/// either read from one place (the same variable or local) or written as a
/// literal in both blocks. A region that follows a variable and one
/// written out are not interchangeable even when they agree today.
fn same_region(a: &Resolved, b: &Resolved) -> bool {
    if a.value != b.value {
        return false;
    }
    match (&a.origin, &b.origin) {
        (Some(oa), Some(ob)) => {
            (oa.kind == OriginKind::Literal && ob.kind == OriginKind::Literal)
                || (oa.span.is_some() && oa.span == ob.span)
        }
        _ => false,
    }
}

/// Every argument and nested block but `alias` and `region`, as source
/// text with whitespace folded, sorted: two configurations with the same
/// list are configured alike (within one instance, the same text means the
/// same value).
fn other_settings(cx: &Context<'_, '_>, pc: &ProviderConfig) -> Vec<String> {
    let text = |span: Span| {
        let file = cx.ws.sources.get(span.file);
        file.text
            .get(span.range)
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out: Vec<String> = pc
        .content
        .attrs
        .iter()
        .filter(|(k, _)| k != "alias" && k != "region")
        .map(|(k, e)| format!("{k} = {}", text(e.span())))
        .collect();
    out.extend(
        pc.content
            .blocks
            .iter()
            .map(|b| text(Span::new(b.file, b.span.clone()))),
    );
    out.sort();
    out
}
