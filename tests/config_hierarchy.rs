//! Hierarchical configuration: each module is governed by the
//! `.tfpin.hcl` files from the project root down to it, nearer over
//! farther, the command line over all; `root = true` starts afresh; and
//! `tfpin config` says what is in effect and where it comes from.

mod common;

use common::{run, write};

const ROOT_CONFIG: &str =
    "policy {\n  allowed_regions = [\"eu-*\"]\n}\nrule \"lock-missing\" {\n  enabled = false\n}\n";
const PROD: &str = "provider \"aws\" {\n  region = \"us-east-1\"\n}\n";

/// (file, rule, severity) of every finding of a JSON report.
fn found(stdout: &str) -> Vec<(String, String, String)> {
    let doc: serde_json::Value = serde_json::from_str(stdout).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, String, String)], file: &str, rule: &str, severity: &str) -> bool {
    found
        .iter()
        .any(|(f, r, s)| f == file && r == rule && s == severity)
}

fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (".git/HEAD", ""),
            (".tfpin.hcl", ROOT_CONFIG),
            (
                "infra/.tfpin.hcl",
                "rule \"lock-missing\" {\n  enabled  = true\n  severity = \"error\"\n}\n",
            ),
            ("infra/envs/prod/main.tf", PROD),
            ("legacy/main.tf", PROD),
            (
                "vendored/.tfpin.hcl",
                "root = true\nrule \"terraform-version-missing\" {\n  enabled = false\n}\n",
            ),
            ("vendored/main.tf", PROD),
        ],
    );
    d
}

#[test]
fn a_nested_config_governs_its_subtree_only() {
    let d = project();
    let r = run(d.path(), &["check", "--format", "json"]);
    let f = found(&r.stdout);
    // infra/ turns lock-missing back on, as an error; legacy/ keeps the
    // root's setting.
    assert!(
        has(&f, "infra/envs/prod/main.tf", "lock-missing", "error"),
        "{f:?}"
    );
    assert!(
        !f.iter()
            .any(|(file, rule, _)| file == "legacy/main.tf" && rule == "lock-missing"),
        "{f:?}"
    );
    // The root's policy reaches both.
    assert!(
        has(&f, "infra/envs/prod/main.tf", "region-not-allowed", "error"),
        "{f:?}"
    );
    assert!(
        has(&f, "legacy/main.tf", "region-not-allowed", "error"),
        "{f:?}"
    );
}

#[test]
fn a_root_config_starts_afresh() {
    let d = project();
    let r = run(d.path(), &["check", "--format", "json"]);
    let f = found(&r.stdout);
    // vendored/ does not inherit the root's policy or its lock-missing
    // setting, and sets its own.
    assert!(
        !f.iter()
            .any(|(file, rule, _)| file == "vendored/main.tf" && rule == "region-not-allowed"),
        "{f:?}"
    );
    assert!(
        has(&f, "vendored/main.tf", "lock-missing", "warning"),
        "{f:?}"
    );
    assert!(
        !f.iter().any(
            |(file, rule, _)| file == "vendored/main.tf" && rule == "terraform-version-missing"
        ),
        "{f:?}"
    );
}

#[test]
fn the_answer_does_not_depend_on_where_tfpin_starts_or_the_order_of_paths() {
    let d = project();
    let full = found(&run(d.path(), &["check", "--format", "json"]).stdout);
    let mine: Vec<_> = full
        .iter()
        .filter(|(f, _, _)| f.starts_with("infra/"))
        .cloned()
        .collect();
    let inside = found(
        &run(
            &d.path().join("infra/envs/prod"),
            &["check", "--format", "json"],
        )
        .stdout,
    );
    assert_eq!(inside, mine);
    let a = found(&run(d.path(), &["check", "--format", "json", "legacy", "infra"]).stdout);
    let b = found(&run(d.path(), &["check", "--format", "json", "infra", "legacy"]).stdout);
    assert_eq!(a, b);
    assert!(
        has(&a, "infra/envs/prod/main.tf", "lock-missing", "error"),
        "{a:?}"
    );
}

#[test]
fn the_command_line_wins_over_every_file() {
    let d = project();
    let r = run(
        d.path(),
        &["check", "--format", "json", "--disable", "lock-missing"],
    );
    let f = found(&r.stdout);
    assert!(
        !f.iter().any(|(_, rule, _)| rule == "lock-missing"),
        "{f:?}"
    );
}

#[test]
fn config_shows_each_setting_and_its_file() {
    let d = project();
    let r = run(d.path(), &["config", "infra/envs/prod"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("project root: . (the top of the git work tree)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("files:        .tfpin.hcl, infra/.tfpin.hcl"),
        "{}",
        r.stdout
    );
    let line = |key: &str| {
        r.stdout
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("{key} in {}", r.stdout))
            .to_string()
    };
    assert!(line("rule.lock-missing.severity").contains("# infra/.tfpin.hcl"));
    assert!(line("policy.allowed_regions").contains("# .tfpin.hcl"));
    let r = run(
        &d.path().join("vendored"),
        &["config", "--format", "json", "--terraform-version", "1.9.0"],
    );
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["project_root"], ".");
    assert_eq!(
        doc["project_root_reason"],
        "its .tfpin.hcl says root = true"
    );
    let rows = doc["settings"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["key"] == "policy.terraform_version"
        && r["value"] == "\"1.9.0\""
        && r["from"] == "command line"));
    assert!(!rows.iter().any(|r| r["key"] == "policy.allowed_regions"));
    let r = run(d.path(), &["config", "nope"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("path `nope` does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_broken_nested_config_stops_the_run_with_its_location() {
    let d = project();
    write(d.path(), &[("infra/.tfpin.hcl", "rule \"nope\" {}\n")]);
    let r = run(d.path(), &["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("infra/.tfpin.hcl:1:"), "{}", r.stderr);
}

/// Role settings are laid per module too, so a nested file's `root` block
/// gives the same role whether the run starts above it or inside it.
#[test]
fn a_nested_config_gives_roles_for_its_subtree_from_anywhere() {
    let d = project();
    write(
        d.path(),
        &[
            ("examples/live/main.tf", PROD),
            (
                "examples/.tfpin.hcl",
                "root \"examples/live\" {\n  role = \"deployed-root\"\n}\n",
            ),
            ("examples/basic/main.tf", PROD),
        ],
    );
    let lock = |f: &[(String, String, String)]| -> Vec<String> {
        f.iter()
            .filter(|(file, rule, _)| {
                rule == "terraform-version-missing" && file.starts_with("examples/")
            })
            .map(|(file, _, _)| file.clone())
            .collect()
    };
    let full = found(&run(d.path(), &["check", "--format", "json"]).stdout);
    assert_eq!(lock(&full), ["examples/live/main.tf"], "{full:?}");
    let inside = found(
        &run(
            &d.path().join("examples/live"),
            &["check", "--format", "json"],
        )
        .stdout,
    );
    assert_eq!(lock(&inside), ["examples/live/main.tf"], "{inside:?}");
    let r = run(d.path(), &["config", "examples/live"]);
    assert!(r.stdout.contains("roles.assigned"), "{}", r.stdout);
}
