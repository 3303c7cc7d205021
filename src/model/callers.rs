//! Finding the modules that call the named ones, for a run that names part
//! of a project: a child module is judged by its callers' trees, so those
//! must be read too, up to their roots.
//!
//! A full parse of the whole project would cost what a full check costs.
//! Instead every configuration file outside the named modules is scanned
//! for what looks like a local module source (`source = "./..."` or
//! `"../..."`, and `"source": "../..."` in JSON). The scan may find more
//! than there is (a `source` argument of a provisioner, a commented-out
//! call): those directories are read as well and the model decides which
//! calls are real. It cannot find less, except for a source written as an
//! expression, which only OpenTofu accepts.

use crate::discover::ModuleDir;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The directories, among `project`'s, whose modules call one of
/// `targets` directly or through other modules; not the targets
/// themselves. Both are keyed by their normalised directory.
pub fn ancestors(
    project: &BTreeMap<PathBuf, ModuleDir>,
    targets: &BTreeSet<PathBuf>,
) -> BTreeSet<PathBuf> {
    // Who may call whom, over every directory that is not a target.
    let edges: Vec<(PathBuf, PathBuf)> = project
        .par_iter()
        .filter(|(dir, _)| !targets.contains(*dir))
        .flat_map_iter(|(dir, m)| {
            let callees: BTreeSet<PathBuf> = m
                .files
                .iter()
                .filter(|(_, k)| k.is_config())
                .filter_map(|(path, _)| std::fs::read(path).ok())
                .flat_map(|bytes| local_sources(&bytes))
                .map(|src| super::workspace::normalize(&dir.join(src)))
                .collect();
            callees.into_iter().map(move |c| (c, dir.clone()))
        })
        .collect();
    let mut callers: BTreeMap<&Path, Vec<&Path>> = BTreeMap::new();
    for (callee, caller) in &edges {
        callers.entry(callee).or_default().push(caller);
    }
    let mut found = BTreeSet::new();
    let mut queue: Vec<&Path> = targets.iter().map(PathBuf::as_path).collect();
    while let Some(dir) = queue.pop() {
        for caller in callers.get(dir).into_iter().flatten() {
            if !targets.contains(*caller) && found.insert(caller.to_path_buf()) {
                queue.push(caller);
            }
        }
    }
    found
}

/// The local paths a configuration file's text may use as module sources.
pub fn local_sources(text: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(text, b"source") {
        // A key of its own: the first thing on its line or in its block,
        // or a quoted JSON key after `{` or `,`.
        let before = &text[..at];
        let quoted = before.last() == Some(&b'"');
        let before = if quoted {
            &before[..before.len() - 1]
        } else {
            before
        };
        match before.iter().rev().find(|b| **b != b' ' && **b != b'\t') {
            None | Some(b'\n' | b'\r' | b'{' | b',') => {}
            Some(_) => continue,
        }
        let mut rest = &text[at + b"source".len()..];
        if quoted {
            match rest.strip_prefix(b"\"") {
                Some(r) => rest = r,
                None => continue,
            }
        }
        let rest = trim_start(rest);
        let Some(rest) = rest.strip_prefix(b"=").or_else(|| rest.strip_prefix(b":")) else {
            continue;
        };
        let Some(rest) = trim_start(rest).strip_prefix(b"\"") else {
            continue;
        };
        let end = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\n')
            .unwrap_or(rest.len());
        let value = &rest[..end];
        if value.starts_with(b"./") || value.starts_with(b"../") || value == b"." || value == b".."
        {
            if let Ok(s) = std::str::from_utf8(value) {
                out.push(s.replace('\\', "/"));
            }
        }
    }
    out
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .position(|c| *c != b' ' && *c != b'\t')
        .unwrap_or(b.len());
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::local_sources;

    #[test]
    fn finds_local_sources_in_both_syntaxes() {
        let hcl = br#"
module "a" {
  source  = "../../modules/a"
  version = "1.0"
}
module "b" { source = "terraform-aws-modules/vpc/aws" }
module "c" {
  source="./c"
}
# resource_source = "./not"
locals { x = "source = \"./no\"" }
"#;
        assert_eq!(local_sources(hcl), ["../../modules/a", "./c"]);
        let json = br#"{"module": {"a": {"source": "../a", "x": 1}, "b": { "source" : "./b" }}}"#;
        assert_eq!(local_sources(json), ["../a", "./b"]);
    }
}
