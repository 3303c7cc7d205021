//! `replica-same-region`: a replica or copy in the region of what it
//! copies.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::model::flows::SameRegion;
use crate::regions;

declare_rule! {
    ReplicaSameRegion, "replica-same-region", Correctness,
    "a replica or copy in the region of what it copies: DynamoDB, KMS and Secrets Manager replicas, SQL failover partners (errors); S3 replication and AWS Backup copies (warnings)",
    uses_placements: true,
}

impl Rule for ReplicaSameRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let placements = cx.placements();
        // The copies in their source's region, the instances of one
        // repeated resource that share the argument and region together.
        let mut same: Vec<(&crate::model::flows::Flow, usize)> = Vec::new();
        for flow in cx.flows() {
            if flow.entry.same_region == SameRegion::Fine {
                continue;
            }
            let (Some(from), Some(to)) = (flow.from_str(), flow.to_str()) else {
                continue;
            };
            // The same region however it is written: Azure's `West
            // Europe` is `westeurope`.
            let code = |v: &str| match flow.cloud {
                Some(c) => regions::catalog()
                    .lookup(c, v)
                    .map_or_else(|| v.to_string(), |r| r.code.clone()),
                None => v.to_string(),
            };
            if code(from) != code(to) {
                continue;
            }
            let p = &placements[flow.placement];
            match same.last_mut() {
                Some((last, n))
                    if {
                        let lp = &placements[last.placement];
                        (lp.instance, lp.resource) == (p.instance, p.resource)
                            && last.placement != flow.placement
                            && last.span == flow.span
                            && last.to_str() == flow.to_str()
                    } =>
                {
                    *n += 1;
                }
                _ => same.push((flow, 1)),
            }
        }
        for (flow, instances) in same {
            let severity = match flow.entry.same_region {
                SameRegion::Error => Severity::Error,
                _ => Severity::Warning,
            };
            let (Some(from), Some(to)) = (flow.from_str(), flow.to_str()) else {
                continue;
            };
            let p = &placements[flow.placement];
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            let r = &module.config.resources[p.resource];
            let (address, about) = match instances {
                1 => (p.address(r), p.address(r)),
                n => (format!("{} ({n} instances)", r.address()), r.address()),
            };
            let suffix = cx.instance_suffix(p.instance);
            let what = &flow.entry.what;
            let copy = flow.entry.how.is_copy();
            let (span, message) = if copy {
                // The resource is the copy: it is what runs in the wrong
                // place.
                let source = match &flow.from_address {
                    Some(a) => format!("its source {a}"),
                    None => "its source".to_string(),
                };
                (
                    r.header.clone(),
                    format!("{address} ({what}) is in \"{to}\", the region of {source}{suffix}"),
                )
            } else {
                let dest = match &flow.to_address {
                    Some(a) => format!(" {a}"),
                    None => String::new(),
                };
                (
                    flow.span.clone(),
                    format!(
                        "{address} keeps its copy ({what}){dest} in \"{to}\", its own region{suffix}"
                    ),
                )
            };
            let help = match severity {
                Severity::Error => "the service rejects a copy in the source's own region: create the copy with a provider configuration for another region (or give it that `region` with AWS provider v6), or set the other region where the copy's region is written",
                _ => "a copy in the same region does not survive the loss of the region: keep it in another region, or, if a same-region copy is what you want, disable this rule for the module",
            };
            let mut f = cx
                .finding(span.clone(), message)
                .with_severity(severity)
                .in_module(&module.display)
                .about(format!(
                    "{about}.{} -> {to}",
                    flow.entry.how.path().join(".")
                ))
                .in_instance(p.instance)
                .with_help(help);
            if copy {
                if flow.from_resource != span {
                    f = f.with_label(
                        flow.from_resource.clone(),
                        format!("the source is in \"{from}\""),
                    );
                }
                f = f.with_label(flow.span.clone(), "the source is named here");
            } else if let Some(dest) = &flow.to_resource {
                f = f.with_label(dest.clone(), format!("the copy is kept here, in \"{to}\""));
            }
            f.labels
                .extend(cx.origin_label("the source's region", None, &flow.from));
            f.labels
                .extend(cx.origin_label("the copy's region", Some(&span), &flow.to));
            out.push(f);
        }
    }
}
