//! Replays decisions recorded from the real terraform binary through the
//! real rules: each vector becomes a tree on disk (a root module, local child
//! modules and a lock file), `tfpin::check` runs on it, and the findings must
//! agree with what `terraform init` did.
//!
//! - `tests/data/constraint/provider_lock.tsv` and `tests/data/lock/*.tsv`:
//!   `terraform init` refuses the lock file exactly when tfpin reports
//!   `lock-version-mismatch` (or, for constraints no version can satisfy,
//!   `provider-version-unsatisfiable`, which takes precedence).
//! - `tests/data/constraint/provider_select.tsv`: tfpin reports
//!   `provider-version-unsatisfiable` only where `terraform init` found no
//!   version.

use std::path::{Path, PathBuf};
use tfpin::config::Settings;

fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Writes a root module and one child module per further constraint, all
/// requiring hashicorp/aws, plus a lock file when a version is given, and
/// returns the rule ids tfpin reports.
fn check_tree(modules: &[Option<String>], locked: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    let module_text = |constraint: &Option<String>, children: usize| {
        let version = match constraint {
            Some(c) => format!(
                ", version = {}",
                serde_json::to_string(c).expect("a string serialises")
            ),
            None => String::new(),
        };
        let mut s = format!(
            "terraform {{\n  required_providers {{\n    aws = {{ source = \"hashicorp/aws\"{version} }}\n  }}\n}}\n"
        );
        for i in 1..=children {
            s.push_str(&format!("module \"m{i}\" {{\n  source = \"./m{i}\"\n}}\n"));
        }
        s
    };
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("main.tf"),
        module_text(&modules[0], modules.len() - 1),
    )
    .unwrap();
    for (i, c) in modules.iter().enumerate().skip(1) {
        let d = root.join(format!("m{i}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("main.tf"), module_text(c, 0)).unwrap();
    }
    if let Some(v) = locked {
        std::fs::write(
            root.join(".terraform.lock.hcl"),
            format!(
                "provider \"registry.terraform.io/hashicorp/aws\" {{\n  version = \"{v}\"\n}}\n"
            ),
        )
        .unwrap();
    }
    let report = tfpin::check(&root, std::slice::from_ref(&root), &Settings::default()).unwrap();
    report.findings.iter().map(|f| f.rule.to_string()).collect()
}

/// Replays lock vectors; `modules` turns the first column into the
/// modules' constraints. Returns (vectors, refused, mismatches).
fn replay_lock(
    file: &Path,
    modules: impl Fn(&str) -> Vec<Option<String>>,
) -> (usize, usize, Vec<String>) {
    let rows = rows(file);
    assert!(!rows.is_empty(), "{}: no vectors", file.display());
    let mut bad = Vec::new();
    let mut refused = 0;
    for r in &rows {
        let (mods, locked, result) = (modules(&r[0]), &r[1], r[2].as_str());
        assert!(
            result == "accepted" || result == "refused",
            "{}: unexpected result {result:?}",
            file.display()
        );
        let rules = check_tree(&mods, Some(locked));
        let has = |id: &str| rules.iter().any(|r| r == id);
        let flagged = has("lock-version-mismatch") || has("provider-version-unsatisfiable");
        refused += usize::from(result == "refused");
        if flagged != (result == "refused") {
            bad.push(format!(
                "  {} locked at {locked}: terraform {result}, tfpin reports {rules:?}",
                r[0]
            ));
        }
    }
    (rows.len(), refused, bad)
}

#[test]
fn lock_version_mismatch_agrees_with_terraform_init_on_single_constraints() {
    let (n, refused, bad) = replay_lock(&data("tests/data/constraint/provider_lock.tsv"), |c| {
        vec![Some(c.to_string())]
    });
    assert!(
        bad.is_empty(),
        "{} of {n} vectors ({refused} refused by terraform) disagree:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn lock_version_mismatch_agrees_with_terraform_init_on_module_trees() {
    let dir = data("tests/data/lock");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vectors in {}", dir.display());
    for f in files {
        let (n, refused, bad) = replay_lock(&f, |c| {
            serde_json::from_str(c).expect("modules column is a JSON list")
        });
        assert!(
            bad.is_empty(),
            "{}: {} of {n} vectors ({refused} refused by terraform) disagree:\n{}",
            f.display(),
            bad.len(),
            bad.join("\n")
        );
    }
}

#[test]
fn provider_version_unsatisfiable_only_where_terraform_init_finds_no_version() {
    let rows = rows(&data("tests/data/constraint/provider_select.tsv"));
    let mut bad = Vec::new();
    let mut flagged = 0;
    let mut failed = 0;
    for r in &rows {
        let mods: Vec<Option<String>> = serde_json::from_str(&r[0]).expect("modules column");
        let rules = check_tree(&mods, None);
        let unsat = rules.iter().any(|x| x == "provider-version-unsatisfiable");
        failed += usize::from(r[2] == "none");
        flagged += usize::from(unsat);
        if unsat && r[2] != "none" {
            bad.push(format!(
                "  {}: terraform selects {}, tfpin says unsatisfiable",
                r[0], r[2]
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The other failures are releases missing from the available list
    // (e.g. only prereleases), which no rule can know offline.
    assert!(flagged > 0 && flagged <= failed, "{flagged} of {failed}");
}
