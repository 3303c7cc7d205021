//! Every finding says what it is about: a baseline's fingerprint hashes the
//! subject, so a finding without one would be told apart from its
//! neighbours only by the text under its span.

use std::path::{Path, PathBuf};
use tfpin::config::Settings;
use tfpin::fileset::EngineChoice;

/// Every tree under `fixtures/<group>/` and `examples/`.
fn trees() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = |p: PathBuf| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        v.sort();
        v
    };
    let mut out: Vec<PathBuf> = dirs(root.join("fixtures"))
        .into_iter()
        .flat_map(dirs)
        .collect();
    out.extend(dirs(root.join("examples")));
    out
}

/// The tree's own configuration, when it has a valid one, with every rule
/// enabled and a policy every tree breaks, so that the rules that need
/// one run too.
fn every_rule(tree: &Path) -> Settings {
    let cfg = tree.join(".tfpin.hcl");
    let mut s = tfpin::config::load(&cfg, ".tfpin.hcl").unwrap_or_default();
    for meta in tfpin::rules::all() {
        s.rules.entry(meta.id.to_string()).or_default().enabled = Some(true);
    }
    if s.allowed_regions.is_empty() {
        s.allowed_regions = vec!["nowhere-1".to_string()];
    }
    s.terraform_version
        .get_or_insert_with(|| semver::Version::new(0, 11, 0));
    s.engine = EngineChoice::Both;
    s
}

#[test]
fn every_finding_on_the_fixtures_has_a_subject() {
    let mut rules_seen = std::collections::BTreeSet::new();
    let mut missing = Vec::new();
    for tree in trees() {
        let report = tfpin::check(&tree, std::slice::from_ref(&tree), &every_rule(&tree))
            .unwrap_or_else(|e| panic!("{}: {e}", tree.display()));
        for f in &report.findings {
            rules_seen.insert(f.rule);
            if f.subject.trim().is_empty() {
                let file = &report.workspace.sources.get(f.span.file).display;
                missing.push(format!(
                    "{}: {file}: {}: {}",
                    tree.display(),
                    f.rule,
                    f.message
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "findings without a subject:\n{}",
        missing.join("\n")
    );
    // The fixtures exercise most rules; the rule docs' examples, checked
    // in tests/rule_docs.rs, cover every one.
    assert!(rules_seen.len() >= 20, "only {rules_seen:?} ran");
}
