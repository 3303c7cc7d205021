//! `provider-type-mismatch`: a resource pointed at a configuration of a
//! provider its type does not belong to.

use super::provider_alias_undefined::NOT_PROVIDER_NAMES;
use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::usage::{address_of, BUILTIN};
use crate::model::RoleSet;

declare_rule! {
    ProviderTypeMismatch, "provider-type-mismatch", Hygiene,
    "a resource whose type belongs to one provider pointed at another provider's configuration",
    judges: RoleSet::ALL,
}

const COMPATIBLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/compatible-providers.txt"
));

/// Whether a configuration of provider type `provider` can run resources
/// whose type starts with `prefix`.
fn compatible(prefix: &str, provider: &str) -> bool {
    COMPATIBLE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .any(|(p, t)| p == prefix && t.trim() == provider)
}

impl Rule for ProviderTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            let cfg = &m.config;
            for r in &cfg.resources {
                let Some(p) = &r.provider else { continue };
                let prefix = r.implied_provider();
                // The usual case, `provider = aws.west` on an `aws_` type: one
                // local name has one address.
                if p.name == prefix
                    || prefix == BUILTIN
                    || NOT_PROVIDER_NAMES.contains(&p.name.as_str())
                {
                    continue;
                }
                let (Some(used), Some(implied)) =
                    (address_of(cfg, &p.name), address_of(cfg, prefix))
                else {
                    continue;
                };
                if used.type_name == prefix
                    || used.same_provider(&implied)
                    || compatible(prefix, &used.type_name)
                    || compatible(&implied.type_name, &used.type_name)
                {
                    continue;
                }
                let mut f = cx
                    .finding(
                        p.span.clone(),
                        format!(
                            "{} \"{}\" \"{}\" belongs to provider {} but uses a configuration of \
                             {} ({})",
                            r.mode.keyword(),
                            r.type_name,
                            r.name,
                            implied.short(),
                            used.short(),
                            p.address()
                        ),
                    )
                    .in_module(&m.display)
                    .about(r.address())
                    .with_help(format!(
                        "point `provider` at a configuration of {}, such as `{prefix}` or \
                         `{prefix}.ALIAS`",
                        implied.short()
                    ))
                    .with_label(
                        r.header.clone(),
                        format!("type of provider {}", implied.short()),
                    );
                if let Some(req) = cfg.requirement_named(&p.name) {
                    f = f.with_label(
                        req.name_span.clone(),
                        format!("{} is {}", p.name, used.short()),
                    );
                }
                out.push(f);
            }
        }
    }
}
