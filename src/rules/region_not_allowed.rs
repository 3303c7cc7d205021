//! `region-not-allowed`: a region or location outside the policy's
//! `allowed_regions`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::sites::CatalogMatch;
use crate::regions::RegionKind;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

declare_rule! {
    RegionNotAllowed, "region-not-allowed", Correctness,
    "a resolved region or location outside the policy's allowed_regions: provider regions, per-resource region, Google and Azure location, DynamoDB replicas",
    uses_placements: true,
}

/// The policy's patterns, matched without regard to case.
fn allowed_set(patterns: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // Patterns were checked when the configuration was read.
        if let Ok(g) = GlobBuilder::new(p).case_insensitive(true).build() {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

impl Rule for RegionNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // The policy is the one that governs the root each instance is
        // deployed from; roots governed by the same files share it.
        let mut policies: crate::HashMap<
            *const crate::config::Settings,
            Option<(GlobSet, String)>,
        > = crate::HashMap::default();
        for site in cx.sites().iter().filter(|s| s.sets_value()) {
            let Some(instance) = cx.values.instances.get(site.instance) else {
                continue;
            };
            let settings = cx.settings_for(instance.root);
            let policy = policies
                .entry(settings as *const crate::config::Settings)
                .or_insert_with(|| {
                    let patterns = &settings.allowed_regions;
                    (!patterns.is_empty()).then(|| {
                        let listed = (patterns.iter())
                            .map(|p| format!("\"{p}\""))
                            .collect::<Vec<_>>()
                            .join(", ");
                        (allowed_set(patterns), listed)
                    })
                });
            let Some((allowed, listed)) = policy.as_ref() else {
                continue;
            };
            let Some(value) = site.value_str() else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            // The value as written, and the catalog's code for it: Azure's
            // `West Europe` is `westeurope`, a Google zone is in its region.
            let mut forms = vec![value.to_string()];
            match site.catalog_match() {
                // Global resources are not in any region.
                CatalogMatch::Region(r) if r.kind == RegionKind::Global => continue,
                CatalogMatch::Region(r) | CatalogMatch::Zone(r) => forms.push(r.code.clone()),
                CatalogMatch::Unknown | CatalogMatch::NotJudged => {}
            }
            if forms.iter().any(|f| allowed.is_match(f)) {
                continue;
            }
            let message = format!(
                "{}{} is outside the allowed regions",
                site.subject(cx.ws),
                cx.origin_note(&site.value)
            );
            let mut f = cx
                .finding(site.span.clone(), message)
                .about(site.address(cx.ws))
                .in_instance(site.instance)
                .with_help(format!(
                "the policy allows only {listed} (`policy {{ allowed_regions }}` in .tfpin.hcl); move it to an allowed region, or extend the policy if this one is approved"
            ));
            f.labels
                .extend(cx.origin_label("", Some(&site.span), &site.value));
            out.push(f);
        }
    }
}
