//! `provider-alias-redundant`: two configurations of one provider in one
//! module instance that are interchangeable.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::eval::{OriginKind, Resolved};
use crate::finding::Finding;
use crate::model::ProviderConfig;
use crate::model::RoleSet;
use crate::source::Span;
use crate::{HashMap, HashSet};

declare_rule! {
    ProviderAliasRedundant, "provider-alias-redundant", Hygiene,
    "two configurations of one provider with the same region and otherwise identical settings",
    judges: RoleSet::ALL,
}

impl Rule for ProviderAliasRedundant {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (i, inst) in cx.values.instances.iter().enumerate() {
            let module = cx.ws.module(inst.module);
            let candidates: Vec<&ProviderConfig> = module
                .config
                .provider_configs
                .iter()
                .filter(|pc| pc.content.attr("for_each").is_none())
                .collect();
            // Only two configurations of one provider can duplicate each
            // other: most instances have none, and nothing is evaluated.
            if candidates.len() < 2 || !shares_a_name(&candidates) {
                continue;
            }
            let configs: Vec<(&ProviderConfig, Resolved)> = candidates
                .into_iter()
                .filter_map(|pc| {
                    let region = cx.values.eval(i, pc.region()?);
                    region.value.as_str()?;
                    Some((pc, region))
                })
                .collect();
            for (bi, a) in first_duplicates(&blocks(cx, &configs)) {
                let ((a, ra), (b, _)) = (&configs[a], &configs[bi]);
                // Report the aliased one of the pair: a default
                // configuration cannot be dropped. Of two aliases, the one
                // whose name contradicts its region is the one to drop.
                let (keep, drop) = if b.alias.is_none() || (a.alias.is_some() && misnamed(a, ra)) {
                    (b, a)
                } else {
                    (a, b)
                };
                let span = drop
                    .alias
                    .as_ref()
                    .map(|s| s.span.clone())
                    .unwrap_or_else(|| drop.header.clone());
                let f = cx
                    .finding(
                        span,
                        format!(
                            "provider configuration {} duplicates {}: same region {} and settings{}",
                            drop.reference(),
                            keep.reference(),
                            ra.value,
                            cx.instance_suffix(i)
                        ),
                    )
                    .in_module(&module.display)
                    .about(drop.reference())
                    .in_instance(i)
                    .with_label(
                        keep.header.clone(),
                        format!("{} is configured the same way here", keep.reference()),
                    )
                    .with_help(format!(
                        "keep one configuration: point what uses {} at {} (`provider = {}`, or in a `providers` map) and remove the duplicate",
                        drop.reference(),
                        keep.reference(),
                        keep.reference()
                    ));
                out.push(f);
            }
        }
    }
}

/// Whether two of the blocks are of one provider: compared pairwise while
/// they are few, hashed past that.
fn shares_a_name(blocks: &[&ProviderConfig]) -> bool {
    if blocks.len() <= crate::model::FEW {
        return (blocks.iter().enumerate())
            .any(|(b, y)| blocks[..b].iter().any(|x| x.name == y.name));
    }
    let mut names = HashSet::default();
    !blocks.iter().all(|pc| names.insert(pc.name.as_str()))
}

/// What decides whether one provider block duplicates another.
struct Block<'a> {
    name: &'a str,
    alias: Option<&'a str>,
    /// The region's value.
    value: &'a str,
    /// Where the region's value came from: `None` for no known origin,
    /// which duplicates nothing; else whether it is written as a literal,
    /// and the place it was read from.
    origin: Option<(bool, Option<&'a Span>)>,
    /// The other settings; `None` for a block no other block shares the
    /// provider and the region's value with, which duplicates nothing.
    settings: Option<Vec<String>>,
}

/// The blocks of one instance's module, with their regions, as [`Block`]s.
fn blocks<'a>(cx: &Context<'_, '_>, configs: &'a [(&ProviderConfig, Resolved)]) -> Vec<Block<'a>> {
    let key = |pc: &'a ProviderConfig, r: &'a Resolved| {
        (pc.name.as_str(), r.value.as_str().unwrap_or_default())
    };
    // The other settings are worked out only for blocks that share the
    // provider and the region's value with another.
    let mut counts: HashMap<(&str, &str), usize> = HashMap::default();
    for (pc, r) in configs {
        *counts.entry(key(pc, r)).or_default() += 1;
    }
    configs
        .iter()
        .map(|(pc, r)| {
            let (name, value) = key(pc, r);
            Block {
                name,
                alias: pc.alias.as_ref().map(|a| a.value.as_str()),
                value,
                origin: r
                    .origin
                    .as_ref()
                    .map(|o| (o.kind == OriginKind::Literal, o.span.as_ref())),
                settings: (counts[&(name, value)] > 1).then(|| other_settings(cx, pc)),
            }
        })
        .collect()
}

/// Each block that duplicates an earlier one, with the first earlier block
/// it duplicates, in block order: the same provider, another alias, the
/// same region on purpose and the same other settings. The same region on
/// purpose is the same value either written as a literal in both blocks or
/// read from one place (the same variable or local): a region that follows
/// a variable and one written out are not interchangeable even when they
/// agree today.
///
/// Blocks are grouped by provider, region value and other settings, and a
/// block looks only at two kinds of earlier members of its group: those
/// whose region is written as a literal, and those whose region was read
/// from the same place as its own. Of each kind a group keeps the first
/// member and the first whose alias differs from that one's, which is all
/// it takes to find the first of another alias. Each block is looked up
/// once, however many a module has.
fn first_duplicates(blocks: &[Block<'_>]) -> Vec<(usize, usize)> {
    let alias = |k: usize| blocks[k].alias;
    let mut groups: HashMap<(&str, &str, &[String]), Group<'_>> = HashMap::default();
    let mut found = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        let (Some(settings), Some((literal, place))) = (&block.settings, block.origin) else {
            continue;
        };
        let group = groups
            .entry((block.name, block.value, settings))
            .or_default();
        let by_literal = (group.literal.as_ref())
            .filter(|_| literal)
            .and_then(|f| f.first_other_than(block.alias, alias));
        let by_place = place
            .and_then(|s| group.by_place.get(s))
            .and_then(|f| f.first_other_than(block.alias, alias));
        if let Some(a) = by_literal.into_iter().chain(by_place).min() {
            found.push((b, a));
        }
        if literal {
            match &mut group.literal {
                Some(f) => f.push(b, alias),
                None => group.literal = Some(Firsts::new(b)),
            }
        }
        if let Some(s) = place {
            (group.by_place.entry(s))
                .and_modify(|f| f.push(b, alias))
                .or_insert_with(|| Firsts::new(b));
        }
    }
    found
}

/// The earlier members of a group that a later block can duplicate (see
/// [`first_duplicates`]).
#[derive(Default)]
struct Group<'a> {
    literal: Option<Firsts>,
    by_place: HashMap<&'a Span, Firsts>,
}

/// The first of some blocks, and the first after it whose alias differs
/// from the first's.
struct Firsts {
    first: usize,
    other: Option<usize>,
}

impl Firsts {
    fn new(k: usize) -> Firsts {
        Firsts {
            first: k,
            other: None,
        }
    }

    fn push<'a>(&mut self, k: usize, alias: impl Fn(usize) -> Option<&'a str>) {
        if self.other.is_none() && alias(k) != alias(self.first) {
            self.other = Some(k);
        }
    }

    /// The first block whose alias is not `not`: the first, unless it has
    /// that alias, and then the first with another one.
    fn first_other_than<'a>(
        &self,
        not: Option<&str>,
        alias: impl Fn(usize) -> Option<&'a str>,
    ) -> Option<usize> {
        if alias(self.first) != not {
            Some(self.first)
        } else {
            self.other
        }
    }
}

/// Whether an aliased configuration's name says another place than its
/// region (what `provider-alias-region-mismatch` reports).
fn misnamed(pc: &crate::model::ProviderConfig, region: &Resolved) -> bool {
    use crate::regions::{catalog, AliasVerdict, Cloud};
    let (Some(alias), Some(cloud), Some(code)) = (
        pc.alias.as_ref(),
        Cloud::for_provider(&pc.name),
        region.value.as_str(),
    ) else {
        return false;
    };
    let Some(r) = catalog().lookup(cloud, code) else {
        return false;
    };
    matches!(
        catalog().check_alias(&alias.value, r),
        AliasVerdict::Contradicts { .. }
    )
}

/// Every argument and nested block but `alias` and `region`, as source
/// text with whitespace folded, sorted: two configurations with the same
/// list are configured alike (within one instance, the same text means the
/// same value).
fn other_settings(cx: &Context<'_, '_>, pc: &ProviderConfig) -> Vec<String> {
    let text = |span: Span| {
        let file = cx.ws.sources.get(span.file);
        file.text
            .get(span.range)
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out: Vec<String> = pc
        .content
        .attrs
        .iter()
        .filter(|(k, _)| k != "alias" && k != "region")
        .map(|(k, e)| format!("{k} = {}", text(e.span())))
        .collect();
    out.extend(
        pc.content
            .blocks
            .iter()
            .map(|b| text(Span::new(b.file, b.span.clone()))),
    );
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition, one pair at a time: for each block, the first
    /// earlier block it duplicates.
    fn by_scan(blocks: &[Block<'_>]) -> Vec<(usize, usize)> {
        (0..blocks.len())
            .filter_map(|b| {
                let y = &blocks[b];
                (0..b)
                    .find(|&a| {
                        let x = &blocks[a];
                        let same_region = x.value == y.value
                            && match (x.origin, y.origin) {
                                (Some((xl, xp)), Some((yl, yp))) => {
                                    (xl && yl) || (xp.is_some() && xp == yp)
                                }
                                _ => false,
                            };
                        x.name == y.name
                            && x.alias != y.alias
                            && same_region
                            && x.settings.is_some()
                            && x.settings == y.settings
                    })
                    .map(|a| (b, a))
            })
            .collect()
    }

    proptest! {
        #[test]
        fn grouping_finds_what_comparing_every_pair_finds(
            picks in proptest::collection::vec(
                (0..2usize, 0..4usize, 0..2usize, 0..6usize, 0..3usize),
                0..40,
            ),
        ) {
            let places = [
                Span::new(crate::source::file_id(0), 0..1),
                Span::new(crate::source::file_id(0), 5..9),
            ];
            let blocks: Vec<Block<'_>> = picks
                .iter()
                .map(|&(name, alias, value, origin, settings)| Block {
                    name: ["aws", "google"][name],
                    alias: [None, Some("a"), Some("b"), Some("c")][alias],
                    value: ["us-east-1", "eu-west-1"][value],
                    origin: [
                        None,
                        Some((true, None)),
                        Some((true, Some(&places[0]))),
                        Some((false, Some(&places[0]))),
                        Some((false, Some(&places[1]))),
                        Some((false, None)),
                    ][origin],
                    settings: [None, Some(vec![]), Some(vec!["profile = \"x\"".to_string()])][settings]
                        .clone(),
                })
                .collect();
            prop_assert_eq!(first_duplicates(&blocks), by_scan(&blocks));
        }
    }
}
