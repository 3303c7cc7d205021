//! The report as a Graphviz graph.

use super::{plural, title, View, ENVIRONMENT, UNKNOWN};
use crate::text::visible;
use crate::HashMap;
use std::fmt::Write as _;

/// A region of the graph with more resource instances than this is drawn
/// as one node that counts them.
pub const DOT_MAX_NODES: usize = 20;

/// A string as a quoted Graphviz string: control characters escaped as
/// the text view shows them, then every backslash and quote escaped, so no
/// value from the tree can end the string or start one of Graphviz's own
/// escapes (`\N`, `\l`). `\n` is added after, as a line break.
fn dot_quoted(lines: &[&str]) -> String {
    let mut out = String::from("\"");
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        for c in visible(line).chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

/// A group of the graph: a region, or the unknown, environment or global
/// instances.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Group {
    Region(String),
    Unknown,
    Environment,
    Global,
}

impl Group {
    fn of(region: Option<&String>, state: &str) -> Group {
        match (region, state) {
            (Some(r), _) => Group::Region(r.clone()),
            (None, ENVIRONMENT) => Group::Environment,
            (None, _) => Group::Unknown,
        }
    }

    fn label(&self) -> &str {
        match self {
            Group::Region(r) => r,
            Group::Unknown => "unknown",
            Group::Environment => "environment",
            Group::Global => "region-agnostic types",
        }
    }
}

/// One cluster of the graph while it is built.
#[derive(Default)]
struct Cluster {
    /// (root, address, label lines) of each instance.
    members: Vec<(usize, String, Vec<String>)>,
    outside: bool,
}

/// The report as a Graphviz graph: one cluster per region with its resource
/// instances (or a node counting them, past [`DOT_MAX_NODES`]), and an
/// edge for each copy of data, labelled with what it is; regions and
/// copies outside a root's policy in red.
pub fn render_dot(view: &View) -> String {
    let many_roots = view.roots.len() > 1;
    // A root written for both engines is in the view twice: its nodes say
    // which reading they are from.
    let twice = view.roots.windows(2).any(|w| title(&w[0]) == title(&w[1]));
    let mut clusters: std::collections::BTreeMap<Group, Cluster> = Default::default();
    for (ri, r) in view.roots.iter().enumerate() {
        let root_line = if twice {
            format!("{} ({})", title(r), super::engine_name(r.engine))
        } else {
            title(r)
        };
        let lines = |address: &str| {
            let mut l = vec![address.to_string()];
            if many_roots {
                l.push(root_line.clone());
            }
            l
        };
        for i in &r.instances {
            let c = clusters
                .entry(Group::of(i.region.as_ref(), i.state))
                .or_default();
            c.members.push((ri, i.address.clone(), lines(&i.address)));
        }
        for g in &r.regions {
            if g.allowed == Some(false) {
                if let Some(region) = &g.region {
                    clusters
                        .entry(Group::Region(region.clone()))
                        .or_default()
                        .outside = true;
                }
            }
        }
        for g in &r.global {
            let c = clusters.entry(Group::Global).or_default();
            c.members.push((ri, g.address.clone(), lines(&g.address)));
        }
        for f in &r.flows {
            for (region, outside) in [(&f.from, false), (&f.to, f.allowed == Some(false))] {
                let c = clusters
                    .entry(Group::of(region.as_ref(), UNKNOWN))
                    .or_default();
                c.outside |= outside;
            }
        }
    }
    let mut out = String::new();
    out.push_str("digraph regions {\n");
    out.push_str("  graph [compound=true, rankdir=LR, fontname=\"Helvetica\", fontsize=12, label=\"tfpin regions: where resources run, and where their data is copied\", labelloc=t];\n");
    out.push_str("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    // Node of each (root, address); the node standing for a whole
    // cluster; and the cluster of each group.
    let mut node_of: HashMap<(usize, &str), (String, usize)> = HashMap::default();
    let mut anchor: HashMap<&Group, (String, usize, bool)> = HashMap::default();
    for (ci, (group, c)) in clusters.iter().enumerate() {
        let count = c.members.len();
        let heading = match group {
            Group::Global => format!("{} ({count})", group.label()),
            _ if count == 0 => group.label().to_string(),
            _ => format!("{} ({count})", group.label()),
        };
        let heading = if c.outside {
            format!("{heading}: outside the policy")
        } else if *group == Group::Environment {
            format!("{heading}: no region written")
        } else {
            heading
        };
        let _ = writeln!(out, "  subgraph cluster_{ci} {{");
        let _ = writeln!(out, "    label={};", dot_quoted(&[&heading]));
        if c.outside {
            out.push_str("    color=red; fontcolor=red; penwidth=2;\n");
        } else if *group == Group::Global {
            out.push_str("    style=dashed; color=gray50; fontcolor=gray30;\n");
        } else if matches!(group, Group::Unknown | Group::Environment) {
            out.push_str("    style=dashed;\n");
        }
        let collapsed = count > DOT_MAX_NODES || *group == Group::Global || count == 0;
        if collapsed {
            let id = format!("c{ci}");
            let text = match count {
                0 => "copies only".to_string(),
                n => plural(n, "resource instance", "resource instances"),
            };
            let _ = writeln!(
                out,
                "    {id} [label={}, shape=note];",
                dot_quoted(&[&text])
            );
            anchor.insert(group, (id, ci, true));
        } else {
            for (k, (ri, address, lines)) in c.members.iter().enumerate() {
                let id = format!("n{ci}_{k}");
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let _ = writeln!(out, "    {id} [label={}];", dot_quoted(&refs));
                if k == 0 {
                    anchor.insert(group, (id.clone(), ci, false));
                }
                node_of.insert((*ri, address.as_str()), (id, ci));
            }
        }
        out.push_str("  }\n");
    }
    // The copies of each kind between two groups. Each end is the node of
    // the resource involved when it is drawn in that group; when several
    // are, the edge runs between the clusters instead, once.
    type End = (String, Option<usize>);
    type Copy<'v> = (End, End, &'v str, bool);
    let mut kinds: std::collections::BTreeMap<(Group, Group, String), Vec<Copy<'_>>> =
        Default::default();
    // The node standing for a whole group, and the cluster an edge to it
    // is clipped at (none for a collapsed cluster or a copy within it).
    let cluster_end = |group: &Group, same: bool| -> Option<End> {
        let (a, ci, collapsed) = anchor.get(group)?;
        Some((a.clone(), (!collapsed && !same).then_some(*ci)))
    };
    for (ri, r) in view.roots.iter().enumerate() {
        for f in &r.flows {
            let from = Group::of(f.from.as_ref(), UNKNOWN);
            let to = Group::of(f.to.as_ref(), UNKNOWN);
            let same = from == to;
            let end = |group: &Group, address: &str| -> Option<End> {
                let (_, ci, _) = anchor.get(group)?;
                match node_of.get(&(ri, address)).filter(|(_, c)| c == ci) {
                    Some((id, _)) => Some((id.clone(), None)),
                    None => cluster_end(group, same),
                }
            };
            let (Some(tail), Some(head)) = (
                end(&from, &f.resource),
                end(&to, f.destination.as_deref().unwrap_or(&f.resource)),
            ) else {
                continue;
            };
            // A destination that a condition chooses says what it may be.
            let what = match (&f.to, f.to_may_be.as_slice()) {
                (None, may @ [_, ..]) => format!("{} (may be {})", f.what, may.join(" or ")),
                _ => f.what.clone(),
            };
            kinds.entry((from, to, what)).or_default().push((
                tail,
                head,
                &f.resource,
                f.allowed == Some(false),
            ));
        }
    }
    // One edge per pair of ends and kind of copy, naming its resources.
    let mut edges: std::collections::BTreeMap<(End, End, String), (Vec<&str>, bool)> =
        Default::default();
    for ((from, to, what), copies) in kinds {
        let same = from == to;
        let one = |ends: Vec<&End>| ends.windows(2).all(|w| w[0] == w[1]);
        let tails_one = one(copies.iter().map(|c| &c.0).collect());
        let heads_one = one(copies.iter().map(|c| &c.1).collect());
        for (tail, head, resource, outside) in copies {
            let tail = if tails_one {
                tail
            } else {
                cluster_end(&from, same).unwrap_or(tail)
            };
            let head = if heads_one {
                head
            } else {
                cluster_end(&to, same).unwrap_or(head)
            };
            let e = edges.entry((tail, head, what.clone())).or_default();
            if !e.0.contains(&resource) {
                e.0.push(resource);
            }
            e.1 |= outside;
        }
    }
    for (((tail, ltail), (head, lhead), what), (resources, outside)) in &edges {
        const SHOWN: usize = 3;
        let mut lines: Vec<&str> = vec![what.as_str()];
        lines.extend(resources.iter().take(SHOWN));
        let more =
            (resources.len() > SHOWN).then(|| format!("and {} more", resources.len() - SHOWN));
        if let Some(m) = &more {
            lines.push(m);
        }
        let mut attrs = vec![format!("label={}", dot_quoted(&lines))];
        if let Some(c) = ltail {
            attrs.push(format!("ltail=cluster_{c}"));
        }
        if let Some(c) = lhead {
            attrs.push(format!("lhead=cluster_{c}"));
        }
        if *outside {
            attrs.push("color=red, fontcolor=red, penwidth=2".to_string());
        }
        let _ = writeln!(out, "  {tail} -> {head} [{}];", attrs.join(", "));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphviz_strings_cannot_be_broken_out_of() {
        assert_eq!(dot_quoted(&["a\"b", "c\\N"]), "\"a\\\"b\\nc\\\\N\"");
        // A control character is written as the text view shows it, its
        // backslash escaped for Graphviz.
        assert_eq!(dot_quoted(&["x\u{1b}[31m\ny"]), "\"x\\\\u{1b}[31m\\\\ny\"");
    }
}
