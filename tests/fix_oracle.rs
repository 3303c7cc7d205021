//! Replays the fix oracle (tests/data/fix/README.md): tfpin's fixes of each
//! recorded tree, and what terraform init made of the tree before and
//! after them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;
use common::{copy_tree, run};

fn cases() -> Vec<PathBuf> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fix");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("before").is_dir())
        .collect();
    out.sort();
    assert!(out.len() >= 10, "the oracle cases are missing");
    out
}

fn tree(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn oracle(case: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(case.join("oracle.json")).unwrap()).unwrap()
}

#[test]
fn fixes_turn_each_recorded_tree_into_its_after() {
    for case in cases() {
        let o = oracle(&case);
        let flags: Vec<String> = serde_json::from_value(o["tfpin_flags"].clone()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("tree");
        std::fs::create_dir_all(&root).unwrap();
        copy_tree(&case.join("before"), &root);
        let mut args = vec!["check", "--fix", "--fail-on", "never"];
        args.extend(flags.iter().map(String::as_str));
        let r = run(&root, &args);
        assert_eq!(r.code, 0, "{}: {}", case.display(), r.stderr);
        assert_eq!(r.stderr.trim(), o["tfpin_says"], "{}", case.display());
        assert_eq!(tree(&root), tree(&case.join("after")), "{}", case.display());
    }
}

#[test]
fn safe_fixes_keep_what_init_accepts_and_selects() {
    let mut repaired = 0;
    let mut unsafe_changed = 0;
    for case in cases() {
        let o = oracle(&case);
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let unsafe_fixes = o["tfpin_flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "--unsafe-fixes");
        let (before, after) = (&o["before"], &o["after"]);
        let accepted = |s: &serde_json::Value| s["init_exit"] == 0;
        if unsafe_fixes {
            // What makes a fix unsafe: init may select something else.
            unsafe_changed += usize::from(before["selected"] != after["selected"]);
            continue;
        }
        assert!(
            !accepted(before) || accepted(after),
            "{name}: a safe fix made init refuse the tree: {}",
            after["error"]
        );
        if accepted(before) {
            assert_eq!(
                before["selected"], after["selected"],
                "{name}: selection changed"
            );
        } else {
            assert!(
                accepted(after),
                "{name}: the repair did not make init accept the tree"
            );
            repaired += 1;
        }
    }
    assert!(repaired >= 3, "the constraint repairs are recorded");
    assert!(unsafe_changed >= 1, "an unsafe case shows why it is unsafe");
}

/// The constraints in every fixed lock file are, for each provider, those
/// `terraform providers lock` records for the fixed configuration (init
/// itself keeps an entry's constraints while its version satisfies them).
#[test]
fn fixed_lock_constraints_are_what_terraform_records() {
    let mut compared = 0;
    for case in cases() {
        let Ok(text) = std::fs::read_to_string(case.join("after/.terraform.lock.hcl")) else {
            continue;
        };
        let o = oracle(&case);
        for (addr, want) in o["providers_lock_constraints"].as_object().unwrap() {
            let block = text
                .split(&format!("provider \"{addr}\" {{"))
                .nth(1)
                .unwrap_or_else(|| panic!("{}: no entry for {addr}", case.display()));
            let got = block
                .lines()
                .find_map(|l| l.trim().strip_prefix("constraints = "))
                .map(|v| v.trim_matches('"'));
            assert_eq!(got, want.as_str(), "{}: {addr}", case.display());
            compared += 1;
        }
    }
    assert!(compared >= 5);
}

/// Every file `terraform fmt -check` accepted before a fix it accepts
/// after, as recorded.
#[test]
fn fixed_files_stay_as_terraform_fmt_wants_them() {
    let mut checked = 0;
    for case in cases() {
        let o = oracle(&case);
        let list = |side: &str| -> Vec<String> {
            serde_json::from_value(o["fmt_clean"][side].clone()).unwrap()
        };
        let after = list("after");
        for f in list("before") {
            assert!(
                after.contains(&f),
                "{}: {f} is no longer fmt-clean",
                case.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10);
}
