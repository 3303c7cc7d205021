//! `replication-not-allowed`: a copy of data sent to a region outside the
//! policy's `allowed_regions`.

use super::region_not_allowed::Policies;
use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::flows::{Flow, How};

declare_rule! {
    ReplicationNotAllowed, "replication-not-allowed", Correctness,
    "a replication, replica, backup copy or geo-redundant pair that sends data to a region outside the policy's allowed_regions",
    uses_placements: true,
}

impl Rule for ReplicationNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let mut policies = Policies::default();
        let placements = cx.placements();
        // The destinations outside the policy of each argument that sends
        // data, in flow order: a location or list that stands for several
        // regions is one finding naming all of them.
        // The instances of a repeated resource are one finding too.
        let mut outside: Vec<(&Flow, Vec<&str>, usize)> = Vec::new();
        for flow in cx.flows() {
            // A destination that is itself a region site, or a copy whose
            // own region is set by its provider configuration, is judged
            // there by region-not-allowed.
            if flow.judged_at_site || flow.entry.how.is_copy() {
                continue;
            }
            let Some(to) = flow.to_str() else {
                continue;
            };
            let p = &placements[flow.placement];
            let Some(policy) = policies.for_instance(cx, p.instance) else {
                continue;
            };
            if policy.allows(flow.cloud, to) {
                continue;
            }
            match outside.last_mut() {
                Some((last, tos, instances))
                    if (
                        placements[last.placement].instance,
                        placements[last.placement].resource,
                    ) == (p.instance, p.resource)
                        && last.span == flow.span
                        && std::ptr::eq(last.entry, flow.entry) =>
                {
                    if !tos.contains(&to) {
                        tos.push(to);
                    }
                    if last.placement != flow.placement {
                        *instances += 1;
                        *last = flow;
                    }
                }
                _ => outside.push((flow, vec![to], 1)),
            }
        }
        possible(cx, &mut policies, out);
        for (flow, tos, instances) in outside {
            let p = &placements[flow.placement];
            let Some(policy) = policies.for_instance(cx, p.instance) else {
                continue;
            };
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            let r = &module.config.resources[p.resource];
            let (address, about) = match (instances, &p.key) {
                (1, _) | (_, None) => (p.address(r), p.address(r)),
                (n, Some(_)) => (format!("{} ({n} instances)", r.address()), r.address()),
            };
            let (from, pair) = source_words(flow);
            let listed = tos
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let copies = if tos.len() == 1 { "a copy" } else { "copies" };
            let mut f = cx
                .finding(
                    flow.span.clone(),
                    format!(
                        "{address} sends {copies} of its data ({}){from} to {listed}{pair}, outside the allowed regions{}",
                        flow.entry.what,
                        cx.instance_suffix(p.instance)
                    ),
                )
                .in_module(&module.display)
                .about(format!(
                    "{about}.{} -> {}",
                    flow.entry.how.path().join("."),
                    tos.join(",")
                ))
                .in_instance(p.instance)
                .with_help(match &flow.entry.how {
                    How::Pair(..) => format!(
                        "use a redundancy that stays in the region (LRS or ZRS), or a location whose pair is allowed; {}",
                        policy.help()
                    ),
                    _ => format!("send the copy to an allowed region; {}", policy.help()),
                });
            f.labels
                .extend(cx.origin_label("the data's region", None, &flow.from));
            if let Some(dest) = &flow.to_resource {
                if dest != &flow.from_resource {
                    f = f.with_label(dest.clone(), format!("the copy is kept here, in {listed}"));
                }
            }
            f.labels
                .extend(cx.origin_label("the copy's region", Some(&flow.span), &flow.to));
            out.push(f);
        }
    }
}

/// A destination that a conditional chooses, when the condition cannot be
/// decided, may be any of its branches' known regions: each one outside the
/// policy is a warning that says "may". Once per argument, module instance
/// and region, however many instances of the resource share them.
fn possible(cx: &Context<'_, '_>, policies: &mut Policies, out: &mut Vec<Finding>) {
    let placements = cx.placements();
    let mut seen = crate::HashSet::default();
    for flow in cx.flows() {
        if flow.judged_at_site || flow.entry.how.is_copy() || !flow.to.value.is_unknown() {
            continue;
        }
        let alternatives = flow.to.alternatives();
        if alternatives.is_empty() {
            continue;
        }
        let p = &placements[flow.placement];
        let Some(policy) = policies.for_instance(cx, p.instance) else {
            continue;
        };
        for alt in &alternatives {
            let Some(to) = alt.value.as_str() else {
                continue;
            };
            if to.trim().is_empty() || policy.allows(flow.cloud, to) {
                continue;
            }
            if !seen.insert((p.instance, flow.span.clone(), to.to_string())) {
                continue;
            }
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            let r = &module.config.resources[p.resource];
            let address = match &p.key {
                Some(_) => r.address(),
                None => p.address(r),
            };
            let (from, pair) = source_words(flow);
            let mut f = cx
                .finding(
                    flow.span.clone(),
                    format!(
                        "{address} may send a copy of its data ({}){from} to \"{to}\"{pair}, outside the allowed regions: a condition that cannot be known before apply chooses it{}",
                        flow.entry.what,
                        cx.instance_suffix(p.instance)
                    ),
                )
                .with_severity(crate::finding::Severity::Warning)
                .in_module(&module.display)
                .about(format!(
                    "{address}.{} may -> {to}",
                    flow.entry.how.path().join(".")
                ))
                .in_instance(p.instance)
                .with_help(format!(
                    "make sure every branch sends the copy to an allowed region; {}",
                    policy.help()
                ));
            f.labels
                .extend(cx.origin_label("the data's region", None, &flow.from));
            f.labels
                .extend(cx.origin_label("the copy's region", Some(&flow.span), alt));
            out.push(f);
        }
    }
}

/// The words of a message on where a copy's data comes from: ` from
/// "eu-west-1"` when its region is known, and, for geo-redundant Azure
/// storage, the location whose pair the copy goes to.
fn source_words(flow: &Flow) -> (String, String) {
    let from = match flow.from_str() {
        Some(f) => format!(" from \"{f}\""),
        None => String::new(),
    };
    let pair = match &flow.paired_with {
        Some(home) => format!(", the region Azure pairs with \"{home}\""),
        None => String::new(),
    };
    (from, pair)
}
