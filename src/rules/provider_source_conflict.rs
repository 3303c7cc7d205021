//! `provider-source-conflict`: one local name, several providers, in one
//! root tree.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::{Finding, MAX_RELATED};
use crate::model::addr::{ProviderAddr, ProviderKey};
use crate::model::requirements::Contribution;
use std::collections::BTreeMap;

declare_rule! {
    ProviderSourceConflict, "provider-source-conflict", Correctness,
    "the same provider local name mapped to different sources by modules of one root tree"
}

/// The providers one local name stands for in a tree, each with the first
/// contribution naming it.
#[derive(Default)]
struct Sources<'t> {
    list: Vec<(&'t ProviderAddr, &'t Contribution<'t>)>,
    /// The providers' keys, once the list is too long to look through for
    /// every contribution.
    keys: Option<crate::HashSet<ProviderKey<'t>>>,
}

impl<'t> Sources<'t> {
    fn add(&mut self, addr: &'t ProviderAddr, c: &'t Contribution<'t>) {
        let key = addr.provider_key();
        let known = match &mut self.keys {
            Some(keys) => !keys.insert(key),
            None => self.list.iter().any(|(a, _)| a.provider_key() == key),
        };
        if known {
            return;
        }
        self.list.push((addr, c));
        if self.keys.is_none() && self.list.len() > crate::model::FEW {
            self.keys = Some(self.list.iter().map(|(a, _)| a.provider_key()).collect());
        }
    }
}

impl Rule for ProviderSourceConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for tree in cx.trees {
            // local name -> provider -> the first contribution naming it
            let mut by_name: BTreeMap<&str, Sources<'_>> = BTreeMap::new();
            for (addr, p) in &tree.providers {
                for c in &p.contributions {
                    by_name.entry(c.local_name).or_default().add(addr, c);
                }
            }
            let root = cx.ws.module(tree.root);
            for (name, Sources { list, .. }) in by_name {
                if list.len() < 2 {
                    continue;
                }
                let mut sources: Vec<String> = (list.iter().take(MAX_RELATED))
                    .map(|(a, _)| format!("\"{}\"", a.short()))
                    .collect();
                if list.len() > MAX_RELATED {
                    sources.push(format!("{} more", list.len() - MAX_RELATED));
                }
                let anchor = list
                    .iter()
                    .find(|(_, c)| c.module == tree.root)
                    .map(|(_, c)| c.name_span(&root.config))
                    .unwrap_or_else(|| cx.root_anchor(tree, Some(list[0].0)));
                let f = cx
                    .finding(
                        anchor,
                        format!(
                            "provider local name \"{name}\" means different providers in this tree: {}",
                            sources.join(" and ")
                        ),
                    )
                    .in_module(&root.display)
                    .about(format!("terraform.required_providers.{name}"))
                    .in_tree(tree.root)
                    .with_help(
                        "a child module inherits its default provider configurations by local name; give \
                         each provider its own local name, or use the same source everywhere",
                    );
                out.push(f.with_labels_capped(&list, "providers", |(addr, c)| {
                    let m = cx.ws.module(c.module);
                    let span = c.span(&m.config);
                    let text = format!("`{}` maps \"{name}\" to \"{}\"", m.display, addr.short());
                    (span, text)
                }));
            }
        }
    }
}
