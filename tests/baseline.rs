//! Baselines end to end: the file the binary writes, the old format it
//! still reads, and edits that must not make recorded findings new.

use serde_json::{json, Value};
use std::path::Path;

mod common;
use common::{copy_tree, edit, run, write};

/// A root with one problem: a registry module without a version. (Its
/// message says nothing of the working directory, which an old-format
/// entry's message must match.)
const ROOT: &str = "terraform {\n  required_version = \"~> 1.9\"\n}\n\n\
                    module \"a\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n";

/// Another problem of the same kind.
const MORE: &str = "\nmodule \"b\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n}\n";

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The findings a JSON run reports.
fn findings(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let r = run(dir, &all);
    assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["findings"].as_array().unwrap().clone()
}

/// Writes `old.json` in `dir`: an old-format baseline recording `findings`
/// (from JSON output) with fingerprints of the old recipe, which nothing
/// matches any more.
fn record_old(dir: &Path, findings: &[Value]) {
    let entries: Vec<Value> = findings
        .iter()
        .map(|f| {
            json!({
                "file": f["file"],
                "rule": f["rule"],
                "fingerprint": "0000000000000000",
                "message": f["message"],
            })
        })
        .collect();
    let b = json!({"tool": "tfpin", "version": 1, "findings": entries});
    std::fs::write(dir.join("old.json"), b.to_string()).unwrap();
}

/// Checks `dir` against `baseline`, which must silence exactly `hidden`
/// findings and leave none.
fn run_baselined(dir: &Path, baseline: &str, hidden: usize) -> common::Run {
    let r = run(dir, &["check", "--baseline", baseline]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let s = if hidden == 1 { "" } else { "s" };
    let note = format!("{hidden} finding{s} in the baseline not shown");
    assert!(r.stdout.contains(&note), "{}", r.stdout);
    r
}

#[test]
fn a_written_baseline_is_version_2_with_files_relative_to_the_project() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("envs/prod/main.tf", ROOT)]);
    let r = run(d.path(), &["check", "--write-baseline", "b.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = read_json(&d.path().join("b.json"));
    assert_eq!(b["version"], 2);
    let entries = b["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{b}");
    assert_eq!(entries[0]["file"], "envs/prod/main.tf");
    assert_eq!(entries[0]["rule"], "module-version-missing");
    let now = findings(d.path(), &[]);
    assert_eq!(entries[0]["fingerprint"], now[0]["fingerprint"]);
}

#[test]
fn an_old_baseline_still_silences_what_it_records_and_says_how_to_rewrite_it() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("main.tf", ROOT)]);
    let before = findings(d.path(), &[]);
    assert_eq!(before.len(), 1);
    record_old(d.path(), &before);

    let r = run_baselined(d.path(), "old.json", 1);
    assert!(
        r.stderr.contains("baseline `old.json` is in an old format"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--write-baseline old.json"),
        "{}",
        r.stderr
    );

    // A new problem is still new.
    write(d.path(), &[("main.tf", &format!("{ROOT}{MORE}"))]);
    let new = findings(d.path(), &["--baseline", "old.json"]);
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0]["message"].as_str().unwrap().contains("s3-bucket"));
}

#[test]
fn an_old_baseline_written_in_another_directory_matches_by_path_suffix() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("envs/prod/main.tf", ROOT)]);
    // Written from inside envs/prod, where the file was `main.tf`.
    let prod = d.path().join("envs/prod");
    let before = findings(&prod, &[]);
    assert_eq!(before[0]["file"], "main.tf");
    record_old(d.path(), &before);
    run_baselined(d.path(), "old.json", 1);
}

#[test]
fn pruning_an_old_baseline_rewrites_it_as_version_2() {
    let d = tempfile::tempdir().unwrap();
    let two = format!("{ROOT}{MORE}");
    write(d.path(), &[("main.tf", &two)]);
    let before = findings(d.path(), &[]);
    assert_eq!(before.len(), 2);
    record_old(d.path(), &before);
    // One of the two is fixed.
    write(d.path(), &[("main.tf", ROOT)]);
    let r = run(
        d.path(),
        &["check", "--baseline", "old.json", "--baseline-prune"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("pruned 1 fixed finding"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("rewrote baseline `old.json` in the current format"),
        "{}",
        r.stderr
    );
    let b = read_json(&d.path().join("old.json"));
    assert_eq!(b["version"], 2);
    let entries = b["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{b}");
    let now = findings(d.path(), &[]);
    assert_eq!(entries[0]["fingerprint"], now[0]["fingerprint"]);
    // Read again, it is the current format: no word about an old one.
    let r = run_baselined(d.path(), "old.json", 1);
    assert!(!r.stderr.contains("old format"), "{}", r.stderr);
}

#[test]
fn a_file_that_is_no_baseline_of_a_known_version_is_refused() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("main.tf", ROOT)]);
    let cases = [
        (
            "newer.json",
            r#"{"tool":"tfpin","version":3,"findings":[]}"#,
            "has format version 3",
        ),
        (
            "other.json",
            r#"{"tool":"tflint","version":1,"findings":[]}"#,
            "was written by \"tflint\"",
        ),
        ("text.json", "fingerprints, one a line", "is not JSON"),
        (
            "shape.json",
            r#"{"tool":"tfpin","version":2,"findings":[{"rule":"x"}]}"#,
            "missing field",
        ),
    ];
    for (name, text, why) in cases {
        std::fs::write(d.path().join(name), text).unwrap();
        let r = run(d.path(), &["check", "--baseline", name]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("baseline `{name}`")),
            "{name}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(why), "{name}: {}", r.stderr);
    }
}

/// Copies `fixtures/cli/<case>` into a temporary directory, records a
/// baseline there, applies `change` (which must reword at least one
/// message and leave the same problems), and returns the findings a run
/// against the baseline reports.
fn new_after(case: &str, change: impl FnOnce(&Path)) -> Vec<Value> {
    let d = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cli")
        .join(case);
    copy_tree(&fixture, d.path());
    let r = run(d.path(), &["check", "--write-baseline", "b.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let messages = |dir: &Path| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = findings(dir, &[])
            .iter()
            .map(|f| (f["rule"].to_string(), f["message"].to_string()))
            .collect();
        v.sort();
        v
    };
    let before = messages(d.path());
    change(d.path());
    let after = messages(d.path());
    // The same problems, some of them in other words.
    let rules = |v: &[(String, String)]| v.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>();
    assert_eq!(rules(&before), rules(&after));
    assert_ne!(before, after, "the change rewords no message");
    findings(d.path(), &["--baseline", "b.json"])
}

/// Raising the minimum a shared module asks of a provider creates no new
/// problem, though every tree that calls it quotes the merged constraint.
#[test]
fn raising_a_shared_modules_lower_bound_makes_no_finding_new() {
    let new = new_after("baseline-shared-module", |dir| {
        let shared = dir.join("modules/shared/main.tf");
        edit(&shared, "\">= 0.16.0\"", "\">= 0.17.0\"");
    });
    assert_eq!(new, Vec::<Value>::new());
}

/// A child module's finding quotes the region its caller passes; the
/// caller passing another (as wrong) region leaves it baselined.
#[test]
fn a_message_reworded_by_an_edit_in_another_module_stays_baselined() {
    let new = new_after("baseline-region-from-caller", |dir| {
        let root = dir.join("envs/prod/main.tf");
        edit(&root, "\"us-east-1\"", "\"us-east-2\"");
    });
    assert_eq!(new, Vec::<Value>::new());
}

/// A baseline written at the project root holds from any directory in
/// it, whichever part of the project a run names: its findings keep
/// their fingerprints wherever tfpin starts.
#[test]
fn a_baseline_written_at_the_root_holds_from_any_subdirectory() {
    let d = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli/baseline-shared-module");
    copy_tree(&fixture, d.path());
    write(d.path(), &[(".git/HEAD", "")]);
    let r = run(d.path(), &["check", "--write-baseline", "b.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all = findings(d.path(), &[]);
    assert!(all.len() >= 4, "{all:?}");
    for (dir, args) in [
        ("modules", vec!["shared"]),
        ("modules/shared", vec![]),
        ("envs/prod", vec![]),
        ("envs", vec!["prod/main.tf", "stage"]),
    ] {
        let cwd = d.path().join(dir);
        let baseline = d.path().join("b.json");
        let mut with = args.clone();
        with.extend(["--baseline", baseline.to_str().unwrap()]);
        let new = findings(&cwd, &with);
        assert_eq!(new, Vec::<Value>::new(), "from {dir} {args:?}");
        // The run does report something there without the baseline.
        assert!(!findings(&cwd, &args).is_empty(), "from {dir} {args:?}");
    }
}
