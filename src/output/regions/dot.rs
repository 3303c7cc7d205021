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
            Group::Global => "global (region-agnostic)",
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
    let mut clusters: std::collections::BTreeMap<Group, Cluster> = Default::default();
    for (ri, r) in view.roots.iter().enumerate() {
        let root_line = title(r);
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
    // One edge per pair of ends and kind of copy, naming its resources.
    type End = (String, Option<usize>);
    let mut edges: std::collections::BTreeMap<(End, End, String), (Vec<String>, bool)> =
        Default::default();
    for (ri, r) in view.roots.iter().enumerate() {
        for f in &r.flows {
            let from = Group::of(f.from.as_ref(), UNKNOWN);
            let to = Group::of(f.to.as_ref(), UNKNOWN);
            let same = from == to;
            let end = |group: &Group, address: Option<&str>| -> Option<End> {
                let (a, ci, collapsed) = anchor.get(group)?;
                if *collapsed {
                    return Some((a.clone(), None));
                }
                let inside = address
                    .and_then(|x| node_of.get(&(ri, x)))
                    .filter(|(_, c)| c == ci)
                    .map(|(id, _)| id);
                match inside {
                    Some(id) => Some((id.clone(), None)),
                    None => Some((a.clone(), (!same).then_some(*ci))),
                }
            };
            let (Some(tail), Some(head)) = (
                end(&from, Some(&f.resource)),
                end(&to, f.destination.as_deref().or(Some(&f.resource))),
            ) else {
                continue;
            };
            let e = edges.entry((tail, head, f.what.clone())).or_default();
            if !e.0.contains(&f.resource) {
                e.0.push(f.resource.clone());
            }
            e.1 |= f.allowed == Some(false);
        }
    }
    for (((tail, ltail), (head, lhead), what), (resources, outside)) in &edges {
        const SHOWN: usize = 3;
        let mut lines: Vec<&str> = vec![what];
        lines.extend(resources.iter().take(SHOWN).map(String::as_str));
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
