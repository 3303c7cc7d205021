//! `region-not-allowed`: a region or location outside the policy's
//! `allowed_regions`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::config::Settings;
use crate::finding::Finding;
use crate::model::sites::{same_value_groups, CatalogMatch, Site};
use crate::regions::{Policy, RegionKind};

declare_rule! {
    RegionNotAllowed, "region-not-allowed", Correctness,
    "a resolved region or location outside the policy's allowed_regions: provider regions, per-resource region, Google and Azure location, DynamoDB replicas",
    uses_placements: true,
}

/// The policies that govern root trees, each built once: the policy is the
/// one that governs the root each instance is deployed from, and roots
/// governed by the same files share it.
#[derive(Default)]
pub(crate) struct Policies(crate::HashMap<*const Settings, Option<Policy>>);

impl Policies {
    /// The policy for an instance of the run.
    pub fn for_instance<'p>(
        &'p mut self,
        cx: &Context<'_, '_>,
        instance: usize,
    ) -> Option<&'p Policy> {
        let root = cx.values.instances.get(instance)?.root;
        let settings = cx.settings_for(root);
        self.0
            .entry(settings as *const Settings)
            .or_insert_with(|| Policy::new(&settings.allowed_regions))
            .as_ref()
    }
}

/// The regions outside the policy that a site's value stands for, when it
/// is a multi-region or dual-region location whose members are known
/// (`rules/data/location-members.txt`): empty when all are allowed. `None`
/// for any other value.
fn members_outside(policy: &Policy, site: &Site, value: &str) -> Option<(Vec<String>, usize)> {
    let cloud = site.cloud?;
    let (members, _) = crate::model::flows::catalog().members_of(cloud, value)?;
    let all = members.len();
    let outside = members
        .into_iter()
        .filter(|m| !policy.allows(Some(cloud), m))
        .collect();
    Some((outside, all))
}

impl Rule for RegionNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let mut policies = Policies::default();
        let mut outside: Vec<&Site> = Vec::new();
        for site in cx.sites().iter().filter(|s| s.sets_value()) {
            let Some(policy) = policies.for_instance(cx, site.instance) else {
                continue;
            };
            if outside_detail(policy, site).is_some() {
                outside.push(site);
            }
        }
        self.possible(cx, &mut policies, out);
        // The instances of a repeated block with the same value are one
        // finding.
        for group in same_value_groups(&outside) {
            let site = group[0];
            let Some(policy) = policies.for_instance(cx, site.instance) else {
                continue;
            };
            let detail = outside_detail(policy, site).unwrap_or_default();
            let message = format!(
                "{}{} is outside the allowed regions{detail}",
                Site::group_subject(cx.ws, &group),
                cx.origin_note(&site.value)
            );
            let mut f = cx
                .finding(site.span.clone(), message)
                .about(Site::group_address(cx.ws, &group))
                .in_instance(site.instance)
                .with_help(policy.help());
            f.labels
                .extend(cx.origin_label("", Some(&site.span), &site.value));
            out.push(f);
        }
    }
}

/// When a site's value is outside the policy, what to add to the message
/// (the regions a multi-region location keeps data in outside it, when only
/// some are); `None` when it is allowed, global, or not a known string.
fn outside_detail(policy: &Policy, site: &Site) -> Option<String> {
    let value = site.value_str()?;
    if value.trim().is_empty() {
        return None;
    }
    if let CatalogMatch::Region(r) = site.catalog_match() {
        // Global resources are not in any region.
        if r.kind == RegionKind::Global {
            return None;
        }
    }
    if policy.allows(site.cloud, value) {
        return None;
    }
    // A location that stands for several regions is allowed when each of
    // them is, and otherwise names those that are not.
    match members_outside(policy, site, value) {
        Some((o, _)) if o.is_empty() => None,
        Some((o, all)) if o.len() < all => Some(format!(
            " (it keeps data in {})",
            o.iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Some(String::new()),
    }
}

impl RegionNotAllowed {
    /// A value that a conditional chooses, when the condition cannot be
    /// decided, may be any of its branches' known values: each one outside
    /// the policy is a warning that says "may". Once per site and value,
    /// however many instances share them.
    fn possible(&self, cx: &Context<'_, '_>, policies: &mut Policies, out: &mut Vec<Finding>) {
        let mut seen = crate::HashSet::default();
        for site in cx.sites().iter().filter(|s| s.sets_value()) {
            if !site.value.value.is_unknown() {
                continue;
            }
            let alternatives = site.value.alternatives();
            if alternatives.is_empty() {
                continue;
            }
            let Some(policy) = policies.for_instance(cx, site.instance) else {
                continue;
            };
            for alt in alternatives {
                let Some(value) = alt.value.as_str() else {
                    continue;
                };
                if value.trim().is_empty() || policy.allows(site.cloud, value) {
                    continue;
                }
                if !seen.insert((site.instance, site.span.clone(), value.to_string())) {
                    continue;
                }
                let unkeyed = Site {
                    key: None,
                    ..site.clone()
                };
                let mut f = cx
                    .finding(
                        site.span.clone(),
                        format!(
                            "{} of {} may be \"{value}\", outside the allowed regions: a condition that cannot be known before apply chooses it",
                            site.argument,
                            unkeyed.describe(cx.ws)
                        ),
                    )
                    .with_severity(crate::finding::Severity::Warning)
                    .about(format!("{} may = \"{value}\"", unkeyed.address(cx.ws)))
                    .in_instance(site.instance)
                    .with_help(format!(
                        "make sure every branch gives an allowed region; {}",
                        policy.help()
                    ));
                f.labels.extend(cx.origin_label("", Some(&site.span), &alt));
                out.push(f);
            }
        }
    }
}
