//! `region-unknown`: a region or location that the catalog of its cloud
//! does not have.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::sites::{same_value_groups, CatalogMatch, Site};
use crate::regions;

declare_rule! {
    RegionUnknown, "region-unknown", Correctness,
    "a region or location that is not in the catalog for its cloud: us-east1 for AWS, eu-west-1 for Google",
    uses_placements: true,
    fix: Unsafe,
}

impl Rule for RegionUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let unknown: Vec<&Site> = (cx.sites().iter())
            .filter(|s| s.sets_value() && matches!(s.catalog_match(), CatalogMatch::Unknown))
            .collect();
        // The instances of a repeated block with the same value are one
        // finding.
        for group in same_value_groups(&unknown) {
            let site = group[0];
            let (Some(cloud), Some(value)) = (site.cloud, site.value_str()) else {
                continue;
            };
            // Read only once a site needs it: a tree that sets no region
            // never parses the catalog.
            let catalog = regions::catalog();
            let noun = if site.argument == "location" {
                "location"
            } else {
                cloud.place_noun()
            };
            let message = format!(
                "{}{} is not {} {} {noun}",
                Site::group_subject(cx.ws, &group),
                cx.origin_note(&site.value),
                article(cloud),
                cloud.display(),
            );
            let elsewhere = regions::Cloud::ALL
                .into_iter()
                .filter(|c| *c != cloud)
                .find(|c| catalog.is_known(*c, value));
            let mut help = match catalog.closest(cloud, value) {
                Some(r) => format!("did you mean \"{}\" ({})?", r.code, r.display),
                None => format!("use a {noun} code of {}", cloud.display()),
            };
            if let Some(other) = elsewhere {
                help.push_str(&format!(
                    " \"{value}\" is {} {} {}",
                    article(other),
                    other.display(),
                    other.place_noun()
                ));
            }
            help.push_str(&format!(
                "; if {} has added it since, add a line to {}",
                cloud.display(),
                cloud.data_path()
            ));
            let mut f = cx
                .finding(site.span.clone(), message)
                .about(Site::group_address(cx.ws, &group))
                .in_instance(site.instance)
                .with_help(help);
            f.labels
                .extend(cx.origin_label("", Some(&site.span), &site.value));
            out.push(f.with_fix_if(nearest(cx, catalog, cloud, value, &site.value)));
        }
    }
}

/// Writes the one catalog code of the cloud that is a single edit from
/// the value (`us-east1` on AWS is `us-east-1`), where the value is
/// written as a literal string. Unsafe: it changes where the resource
/// runs, from nowhere Terraform accepts to a region a person should
/// confirm. With two codes one edit away, or none, there is no fix.
fn nearest(
    cx: &Context<'_, '_>,
    catalog: &regions::Catalog,
    cloud: regions::Cloud,
    value: &str,
    resolved: &crate::eval::Resolved,
) -> Option<crate::fix::Fix> {
    let near: std::collections::BTreeSet<&str> = catalog
        .regions(cloud)
        .filter(|r| crate::text::edit_distance(value, &r.code) == 1)
        .map(|r| r.code.as_str())
        .collect();
    let mut near = near.into_iter();
    let code = near.next()?;
    if near.next().is_some() {
        return None;
    }
    let span = resolved.origin.as_ref()?.span.as_ref()?;
    if !crate::fix::text::quoted(&cx.ws.sources, span, value) {
        return None;
    }
    Some(crate::fix::Fix::unsafe_(
        format!("write \"{code}\", one edit from \"{value}\""),
        vec![crate::fix::Edit::replace(
            span.clone(),
            format!("\"{code}\""),
        )],
    ))
}

fn article(cloud: regions::Cloud) -> &'static str {
    match cloud {
        regions::Cloud::Aws | regions::Cloud::Azure => "an",
        regions::Cloud::Google => "a",
    }
}
