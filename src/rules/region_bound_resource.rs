//! `region-bound-resource`: a resource that works in one region only,
//! configured to run in another. Which resources, when, and where is data:
//! `rules/data/region-bound-resources.txt`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::{Finding, Label};
use crate::model::refs;
use crate::model::wiring::{placement_range, Placement, Target};
use crate::model::ResourceMode;
use crate::source::Span;
use std::collections::BTreeMap;
use std::sync::OnceLock;

declare_rule! {
    RegionBoundResource, "region-bound-resource", Correctness,
    "a resource that only works in one region, such as an ACM certificate used by CloudFront, configured to run elsewhere",
    uses_placements: true,
}

const DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/region-bound-resources.txt"
));

/// One line of the data file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bound {
    mode: ResourceMode,
    type_name: String,
    condition: Condition,
    region: String,
    reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Condition {
    /// Referenced from `path` of a resource of type `consumer`.
    UsedBy { consumer: String, path: Vec<String> },
    /// Its argument `attr` is the string `value`.
    Equals { attr: String, value: String },
}

fn parse(text: &str) -> Result<Vec<Bound>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |m: &str| format!("rules/data/region-bound-resources.txt:{}: {m}", n + 1);
        let cols: Vec<&str> = line.split(" | ").map(str::trim).collect();
        let [ty, cond, region, reason] = cols[..] else {
            return Err(err("expected four columns separated by \" | \""));
        };
        let (mode, type_name) = match ty.strip_prefix("data.") {
            Some(t) => (ResourceMode::Data, t),
            None => (ResourceMode::Managed, ty),
        };
        let words: Vec<&str> = cond.split_whitespace().collect();
        let condition = match words[..] {
            ["used-by", consumer, path] => Condition::UsedBy {
                consumer: consumer.to_string(),
                path: path.split('.').map(str::to_string).collect(),
            },
            [attr, "=", value] => Condition::Equals {
                attr: attr.to_string(),
                value: value.to_string(),
            },
            _ => {
                return Err(err(
                    "condition must be `used-by TYPE PATH` or `ARG = VALUE`",
                ))
            }
        };
        if type_name.is_empty() || region.is_empty() || reason.is_empty() {
            return Err(err("empty column"));
        }
        out.push(Bound {
            mode,
            type_name: type_name.to_string(),
            condition,
            region: region.to_string(),
            reason: reason.to_string(),
        });
    }
    Ok(out)
}

fn bounds() -> &'static [Bound] {
    static BOUNDS: OnceLock<Vec<Bound>> = OnceLock::new();
    BOUNDS.get_or_init(|| parse(DATA).unwrap_or_else(|e| panic!("built-in data is invalid: {e}")))
}

/// The parts of resource bodies this rule reads: the argument a condition
/// compares, and the first step of a consumer's path.
pub(crate) fn body_reads(type_name: &str) -> impl Iterator<Item = &'static str> + '_ {
    bounds().iter().filter_map(move |b| match &b.condition {
        Condition::Equals { attr, .. } if b.type_name == type_name => Some(attr.as_str()),
        Condition::UsedBy { consumer, path } if consumer == type_name => {
            path.first().map(String::as_str)
        }
        _ => None,
    })
}

/// A bound resource found out of its region, and what binds it.
struct Violation<'b> {
    bound: &'b Bound,
    /// Where the binding is written: the consumer's reference, or the
    /// argument that makes it bound.
    because: Vec<Label>,
}

impl Rule for RegionBoundResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let placements = cx.placements();
        // The bound resource instance, as its placement's position in the
        // list → what binds it.
        let mut found: BTreeMap<usize, Violation<'_>> = BTreeMap::new();
        let mut add = |key: usize, bound: &'static Bound, label: Label| {
            let v = found.entry(key).or_insert_with(|| Violation {
                bound,
                because: Vec::new(),
            });
            if !v.because.contains(&label) {
                v.because.push(label);
            }
        };
        for (at, p) in placements.iter().enumerate() {
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            let r = &module.config.resources[p.resource];
            for b in bounds() {
                match &b.condition {
                    Condition::Equals { attr, value } => {
                        if r.mode != b.mode || r.type_name != b.type_name {
                            continue;
                        }
                        let Some(e) = r.content.attr(attr) else {
                            continue;
                        };
                        if p.eval(cx.values, e).value.as_str() != Some(value.as_str()) {
                            continue;
                        }
                        if misplaced(p, b) {
                            add(
                                at,
                                b,
                                Label {
                                    span: e.span(),
                                    message: format!("{attr} \"{value}\" binds it to {}", b.region),
                                },
                            );
                        }
                    }
                    Condition::UsedBy { consumer, path } => {
                        if r.mode != ResourceMode::Managed || r.type_name != *consumer {
                            continue;
                        }
                        let path: Vec<&str> = path.iter().map(String::as_str).collect();
                        for e in r.content.attrs_at(&path) {
                            for t in
                                refs::referents_bound(cx.ws, cx.values, p.instance, &e, &p.bindings)
                            {
                                let tm = cx.ws.module(cx.values.instances[t.instance].module);
                                let tr = &tm.config.resources[t.resource];
                                if tr.mode != b.mode || tr.type_name != b.type_name {
                                    continue;
                                }
                                for ti in placement_range(placements, t.instance, t.resource) {
                                    let named = t.names(placements[ti].key.as_ref());
                                    if named && misplaced(&placements[ti], b) {
                                        add(
                                            ti,
                                            b,
                                            Label {
                                                span: e.span(),
                                                message: format!("used by {} here", p.address(r)),
                                            },
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (at, v) in found {
            let p = &placements[at];
            let instance = p.instance;
            let module = cx.ws.module(cx.values.instances[instance].module);
            let r = &module.config.resources[p.resource];
            let region = p.region.value.as_str().unwrap_or_default();
            let mut f = cx
                .finding(
                    r.header.clone(),
                    format!(
                        "{} runs in \"{region}\" but {}{}",
                        p.address(r),
                        v.bound.reason,
                        cx.instance_suffix(instance)
                    ),
                )
                .in_module(&module.display)
                .about(p.address(r))
                .in_instance(instance)
                .with_help(format!(
                    "create it with a provider configuration for {} (for example `provider = aws.us_east_1`, passed in through the module's `providers` map), or give it `region = \"{}\"` with AWS provider v6",
                    v.bound.region, v.bound.region
                ));
            f.labels.extend(v.because);
            f.labels.extend(where_it_runs(cx, p));
            out.push(f);
        }
    }
}

/// Whether a placement's region is known and not the bound region.
fn misplaced(p: &Placement, b: &Bound) -> bool {
    p.region.value.as_str().is_some_and(|r| r != b.region)
}

/// Labels on the provider configuration a resource runs on and on where its
/// region comes from.
fn where_it_runs(cx: &Context<'_, '_>, p: &Placement) -> Vec<Label> {
    let mut out = Vec::new();
    if !p.region_from_resource {
        if let Target::Block {
            instance, index, ..
        } = *p.target
        {
            let m = cx.ws.module(cx.values.instances[instance].module);
            let pc = &m.config.provider_configs[index];
            let header: Span = pc.header.clone();
            out.push(Label {
                span: header,
                message: format!(
                    "it runs on provider configuration {} of `{}`",
                    pc.reference(),
                    m.display
                ),
            });
        }
    }
    out.extend(cx.origin_label("region", None, &p.region));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_parses() {
        let b = parse(DATA).unwrap();
        assert!(b.iter().any(|b| b.type_name == "aws_acm_certificate"
            && b.region == "us-east-1"
            && matches!(&b.condition, Condition::UsedBy { consumer, .. } if consumer == "aws_cloudfront_distribution")));
        assert!(b
            .iter()
            .any(|b| b.mode == ResourceMode::Data && b.type_name == "aws_acm_certificate"));
    }

    #[test]
    fn malformed_lines_are_reported_with_their_line() {
        let e = parse("# c\naws_x | whenever | us-east-1 | r\n").unwrap_err();
        assert!(
            e.ends_with(":2: condition must be `used-by TYPE PATH` or `ARG = VALUE`"),
            "{e}"
        );
        assert!(parse("aws_x | scope = A | us-east-1\n").is_err());
    }
}
