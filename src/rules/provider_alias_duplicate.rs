//! `provider-alias-duplicate`: two provider blocks for the same
//! configuration in one module.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::HashMap;
use std::collections::hash_map::Entry;

declare_rule! {
    ProviderAliasDuplicate, "provider-alias-duplicate", Correctness,
    "two provider blocks with the same name and alias, or two default configurations, in one module"
}

impl Rule for ProviderAliasDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            let configs = &m.config.provider_configs;
            if configs.len() < 2 {
                continue;
            }
            // The first block of each configuration, by name and alias: one
            // lookup per block, however many blocks a module has.
            let mut firsts: HashMap<(&str, Option<&str>), usize> = HashMap::default();
            for (i, pc) in configs.iter().enumerate() {
                if pc.name.is_empty() {
                    // `provider "" {}` is a different error.
                    continue;
                }
                let alias = pc.alias.as_ref().map(|a| a.value.as_str());
                let first = match firsts.entry((&pc.name, alias)) {
                    Entry::Vacant(v) => {
                        v.insert(i);
                        continue;
                    }
                    Entry::Occupied(o) => &configs[*o.get()],
                };
                let place = |p: &crate::model::ProviderConfig| {
                    p.alias.as_ref().map_or(&p.header, |a| &a.span).clone()
                };
                let (message, help) = match alias {
                    Some(a) => (
                        format!(
                            "provider \"{}\" alias \"{a}\" is defined twice in this module",
                            pc.name
                        ),
                        format!(
                            "give this configuration another alias, or remove one of the two \
                             {} blocks",
                            pc.reference()
                        ),
                    ),
                    None => (
                        format!(
                            "provider \"{}\" has two default configurations in this module",
                            pc.name
                        ),
                        "add an alias to one of the two blocks and refer to it with \
                         `provider = NAME.ALIAS`, or remove one"
                            .to_string(),
                    ),
                };
                out.push(
                    cx.finding(place(pc), message)
                        .in_module(&m.display)
                        .about(pc.reference())
                        .with_help(help)
                        .with_label(place(first), "first defined here"),
                );
            }
        }
    }
}
