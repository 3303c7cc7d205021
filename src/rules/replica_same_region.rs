//! `replica-same-region`: a replica in the region of what it replicates.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::model::refs::{self, Referent};
use crate::model::wiring::{common_placement, made_blocks};
use crate::model::{Expr, ResourceMode};

declare_rule! {
    ReplicaSameRegion, "replica-same-region", Correctness,
    "a DynamoDB replica in its table's own region, or an S3 replication destination bucket in the source bucket's region",
    uses_placements: true,
}

/// The parts of resource bodies this rule reads, by resource type.
const BODY_READS: &[(&str, &str)] = &[
    ("aws_dynamodb_table", "replica"),
    ("aws_dynamodb_table_replica", "global_table_arn"),
    ("aws_s3_bucket", "replication_configuration"),
    ("aws_s3_bucket_replication_configuration", "bucket"),
    ("aws_s3_bucket_replication_configuration", "rule"),
];

pub(crate) fn body_reads(type_name: &str) -> impl Iterator<Item = &'static str> + '_ {
    BODY_READS
        .iter()
        .filter(move |(t, _)| *t == type_name)
        .map(|(_, k)| *k)
}

impl Rule for ReplicaSameRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let placements = cx.placements();
        let region_of = |t: Referent| {
            common_placement(placements, t.instance, t.resource)
                .and_then(|p| p.region.value.as_str().map(|_| p.region.clone()))
        };
        for p in placements {
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            let r = &module.config.resources[p.resource];
            if r.mode != ResourceMode::Managed {
                continue;
            }
            let own_region = p.region.value.as_str();
            // Worded only for a finding: most placements are of other types.
            let suffix = || cx.instance_suffix(p.instance);
            match r.type_name.as_str() {
                "aws_dynamodb_table" => {
                    let Some(table_region) = own_region else {
                        continue;
                    };
                    for made in made_blocks(cx.values, p, &r.content, "replica") {
                        let Some(e) = made.attr("region_name") else {
                            continue;
                        };
                        let rr = cx.values.eval_bound(p.instance, e, &made.bindings);
                        if rr.value.as_str() != Some(table_region) {
                            continue;
                        }
                        let mut f = cx
                            .finding(
                                e.span(),
                                format!(
                                    "replica of {} is in \"{table_region}\", the table's own region{}",
                                    p.address(r),
                                    suffix()
                                ),
                            )
                            .in_module(&module.display)
                            .about(format!("{}.replica.region_name", p.address(r)))
                            .in_instance(p.instance)
                            .with_label(r.header.clone(), format!("the table runs in \"{table_region}\""))
                            .with_help("a replica must be in another region: set `region_name` to the region the copy should live in, or remove the replica block");
                        f.labels
                            .extend(cx.origin_label("the table's region", None, &p.region));
                        f.labels
                            .extend(cx.origin_label("the replica's region", None, &rr));
                        out.push(f);
                    }
                }
                "aws_dynamodb_table_replica" => {
                    let Some(replica_region) = own_region else {
                        continue;
                    };
                    let Some(arn) = r.content.attr("global_table_arn") else {
                        continue;
                    };
                    for t in referents_of(cx, p.instance, arn, "aws_dynamodb_table") {
                        let Some(tr) = region_of(t) else { continue };
                        if tr.value.as_str() != Some(replica_region) {
                            continue;
                        }
                        let table = resource_address(cx, t);
                        let mut f = cx
                            .finding(
                                r.header.clone(),
                                format!(
                                    "{} is in \"{replica_region}\", the region of its table {table}{}",
                                    p.address(r),
                                    suffix()
                                ),
                            )
                            .in_module(&module.display)
                            .about(format!("{}.global_table_arn", p.address(r)))
                            .in_instance(p.instance)
                            .with_label(arn.span(), format!("{table} is the global table"))
                            .with_help("create the replica with a provider configuration for another region (`provider = aws.<alias>`), or give it that `region` with AWS provider v6");
                        f.labels
                            .extend(cx.origin_label("the replica's region", None, &p.region));
                        f.labels
                            .extend(cx.origin_label("the table's region", None, &tr));
                        out.push(f);
                    }
                }
                "aws_s3_bucket_replication_configuration" => {
                    let Some(src) = r.content.attr("bucket") else {
                        continue;
                    };
                    let sources = referents_of(cx, p.instance, src, "aws_s3_bucket");
                    let subject = format!("{}.rule.destination.bucket", p.address(r));
                    for dst in r.content.attrs_at(&["rule", "destination", "bucket"]) {
                        for &s in &sources {
                            let dst = (&subject[..], &dst);
                            self.check_buckets(cx, p.instance, s, dst, Some(src), out);
                        }
                    }
                }
                "aws_s3_bucket" => {
                    let me = Referent {
                        instance: p.instance,
                        resource: p.resource,
                    };
                    let subject = format!(
                        "{}.replication_configuration.rules.destination.bucket",
                        p.address(r)
                    );
                    for dst in r.content.attrs_at(&[
                        "replication_configuration",
                        "rules",
                        "destination",
                        "bucket",
                    ]) {
                        self.check_buckets(cx, p.instance, me, (&subject, &dst), None, out);
                    }
                }
                _ => {}
            }
        }
    }
}

impl ReplicaSameRegion {
    /// A warning when the bucket `dst` (written in `instance`) refers to is
    /// in the region of the source bucket `src`. Same-region replication is
    /// a real S3 feature, so this is only a warning. `subject` is the path
    /// of the attribute `dst` is.
    fn check_buckets(
        &self,
        cx: &Context<'_, '_>,
        instance: usize,
        src: Referent,
        (subject, dst): (&str, &Expr),
        src_expr: Option<&Expr>,
        out: &mut Vec<Finding>,
    ) {
        let placements = cx.placements();
        let Some(sp) = common_placement(placements, src.instance, src.resource) else {
            return;
        };
        let Some(src_region) = sp.region.value.as_str() else {
            return;
        };
        for d in referents_of(cx, instance, dst, "aws_s3_bucket") {
            if d == src {
                continue;
            }
            let Some(dp) = common_placement(placements, d.instance, d.resource) else {
                continue;
            };
            if dp.region.value.as_str() != Some(src_region) {
                continue;
            }
            let module = cx.ws.module(cx.values.instances[instance].module);
            let mut f = cx
                .finding(
                    dst.span(),
                    format!(
                        "replication destination {} is in \"{src_region}\", the region of the source bucket {}{}",
                        resource_address(cx, d),
                        resource_address(cx, src),
                        cx.instance_suffix(instance)
                    ),
                )
                .with_severity(Severity::Warning)
                .in_module(&module.display)
                .about(subject)
                .in_instance(instance)
                .with_help("for a copy that survives a regional outage, create the destination bucket with a provider configuration for another region; if same-region replication is what you want, disable this rule for the module");
            if let Some(e) = src_expr {
                f = f.with_label(e.span(), "the source bucket");
            }
            f.labels
                .extend(cx.origin_label("the source bucket's region", None, &sp.region));
            f.labels
                .extend(cx.origin_label("the destination bucket's region", None, &dp.region));
            out.push(f);
        }
    }
}

/// The managed resources of one type an expression refers to.
fn referents_of(cx: &Context<'_, '_>, instance: usize, e: &Expr, type_name: &str) -> Vec<Referent> {
    refs::referents(cx.ws, cx.values, instance, e)
        .into_iter()
        .filter(|t| {
            let r = &cx
                .ws
                .module(cx.values.instances[t.instance].module)
                .config
                .resources[t.resource];
            r.mode == ResourceMode::Managed && r.type_name == type_name
        })
        .collect()
}

fn resource_address(cx: &Context<'_, '_>, t: Referent) -> String {
    cx.ws
        .module(cx.values.instances[t.instance].module)
        .config
        .resources[t.resource]
        .address()
}
