//! `tfpin check --fix`, `--diff` and `--unsafe-fixes`: what they write,
//! what they leave, and the properties every fix must keep, checked over
//! every rule doc example and fixture tree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tfpin::fix::Applicability;

mod common;
use common::{copy_tree, run, write};

/// The `fixable` fixture copied into a temporary directory, away from the
/// repository's `fixtures/` folder (whose name makes its roots test
/// fixtures, which the pinning rules do not judge).
fn fixable() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(&root).unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli/fixable"),
        &root,
    );
    (dir, root)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn files(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, read(&p)));
            }
        }
    }
    walk(root, root, &mut out);
    out
}

#[test]
fn fix_writes_the_safe_fixes_and_reports_what_remains() {
    let (_dir, root) = fixable();
    let r = run(&root, &["check", "--fix", "--format", "compact"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "", "nothing remains");
    assert_eq!(
        r.stderr,
        "tfpin: fixed 8 findings in 3 files (constraint-invalid: 1, ignore-unused: 1, \
         lock-constraints-drift: 2, lock-provider-stale: 1, provider-source-missing: 2, \
         provider-version-unbounded: 1)\n"
    );
    let fixed: String = files(&root)
        .iter()
        .map(|(n, t)| format!("--- {n}\n{t}"))
        .collect();
    insta::assert_snapshot!("fixable_after_fix", fixed);
    // A second run has nothing to do and changes nothing.
    let before = files(&root);
    let again = run(&root, &["check", "--fix"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stderr, "");
    assert_eq!(files(&root), before);
}

#[test]
fn text_output_says_what_each_fix_does_and_how_many_there_are() {
    let (_dir, root) = fixable();
    let r = run(&root, &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("fixable_text", r.stdout);
}

#[test]
fn diff_shows_what_fix_would_write_and_changes_nothing() {
    let (_dir, root) = fixable();
    let before = files(&root);
    let r = run(&root, &["check", "--diff"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(files(&root), before, "--diff writes nothing");
    assert!(
        r.stderr
            .starts_with("tfpin: would fix 8 findings in 3 files"),
        "{}",
        r.stderr
    );
    insta::assert_snapshot!("fixable_diff", r.stdout);
    // The diff is what --fix writes: applied with `patch`, it gives the
    // same files.
    let (_d2, other) = fixable();
    let fixed = run(&other, &["check", "--fix"]);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    let patch = std::process::Command::new("patch")
        .args(["-p1", "-s"])
        .current_dir(&root)
        .stdin(std::process::Stdio::piped())
        .spawn();
    if let Ok(mut child) = patch {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(r.stdout.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(files(&root), files(&other));
    }
    // A tree with nothing to fix: no diff, exit 0.
    let clean = run(&other, &["check", "--diff"]);
    assert_eq!(
        (clean.code, clean.stdout.as_str()),
        (0, ""),
        "{}",
        clean.stderr
    );
}

#[test]
fn unsafe_fixes_wait_for_their_flag() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "main.tf",
            "terraform {\n  required_version = \"~> 1.9\"\n  required_providers {\n    datadog = {\n      version = \"~> 3.0\"\n    }\n  }\n  backend \"s3\" {}\n}\n\nprovider \"datadog\" {}\n\nresource \"datadog_monitor\" \"m\" {}\n",
        )],
    );
    let main = dir.path().join("main.tf");
    let safe = run(dir.path(), &["check", "--fix"]);
    assert_eq!(safe.code, 1);
    assert!(
        !read(&main).contains("DataDog/datadog"),
        "the third-party source is unsafe"
    );
    let all = run(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert!(
        all.stderr.contains("provider-source-missing: 1"),
        "{}",
        all.stderr
    );
    assert!(read(&main).contains("      source  = \"DataDog/datadog\"\n"));

    let alone = run(dir.path(), &["check", "--unsafe-fixes"]);
    assert_eq!(alone.code, 2);
    assert!(alone
        .stderr
        .contains("--unsafe-fixes applies fixes, so it needs --fix or --diff"));
}

#[test]
fn json_and_sarif_carry_each_fix() {
    let (_dir, root) = fixable();
    let r = run(&root, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "constraint-invalid")
        .unwrap();
    assert_eq!(
        f["fix"],
        serde_json::json!({
            "safety": "safe",
            "description": "write \">= 3.6, < 4.0\"",
            "edits": [{
                "file": "envs/prod/main.tf", "line": 8, "column": 14,
                "end_line": 8, "end_column": 28, "content": "\">= 3.6, < 4.0\""
            }]
        })
    );
    let s = run(&root, &["check", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "constraint-invalid")
        .unwrap();
    assert_eq!(
        result["fixes"],
        serde_json::json!([{
            "description": { "text": "write \">= 3.6, < 4.0\"" },
            "artifactChanges": [{
                "artifactLocation": { "uri": "envs/prod/main.tf", "uriBaseId": "%SRCROOT%" },
                "replacements": [{
                    "deletedRegion": { "startLine": 8, "startColumn": 14, "endLine": 8, "endColumn": 28 },
                    "insertedContent": { "text": "\">= 3.6, < 4.0\"" }
                }]
            }],
            "properties": { "safety": "safe" }
        }])
    );
    let rules = run(&root, &["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&rules.stdout).unwrap();
    let ci = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "constraint-invalid")
        .unwrap();
    assert_eq!(
        (ci["fixable"].clone(), ci["fix"].clone()),
        (true.into(), "safe".into())
    );
}

#[test]
fn line_endings_comments_and_json_keep_their_form() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "main.tf",
                "terraform {\r\n  required_version = \"=> 1.9\" # the team's floor\r\n}\r\n",
            ),
            (
                "versions.tf.json",
                "{\n  \"terraform\": {\n    \"required_providers\": {\n      \"aws\": {\n        \"version\": \"~> 5.0\"\n      }\n    }\n  }\n}\n",
            ),
            ("backend.tf", "terraform {\n  backend \"s3\" {}\n}\n"),
        ],
    );
    let r = run(dir.path(), &["check", "--fix"]);
    assert!(
        r.stderr.starts_with("tfpin: fixed 2 findings in 2 files"),
        "{}",
        r.stderr
    );
    assert_eq!(
        read(&dir.path().join("main.tf")),
        "terraform {\r\n  required_version = \">= 1.9\" # the team's floor\r\n}\r\n"
    );
    assert_eq!(
        read(&dir.path().join("versions.tf.json")),
        "{\n  \"terraform\": {\n    \"required_providers\": {\n      \"aws\": {\n        \"source\": \"hashicorp/aws\",\n        \"version\": \"~> 5.0\"\n      }\n    }\n  }\n}\n"
    );
}

#[test]
fn json_members_come_and_go_with_their_commas() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "main.tf.json",
            "{\n  \"terraform\": {\n    \"required_providers\": {\n      \"aws\": {\n        \"source\": \"hashicorp/aws\",\n        \"version\": \"~> 5.0\"\n      },\n      \"random\": {\n        \"source\": \"hashicorp/random\",\n        \"version\": \"~> 3.6\"\n      }\n    },\n    \"backend\": {\"s3\": {}}\n  },\n  \"provider\": {\n    \"aws\": {\n      \"region\": \"eu-west-1\",\n      \"version\": \">= 5.10\"\n    }\n  },\n  \"resource\": {\"aws_s3_bucket\": {\"b\": {\"bucket\": \"x\"}}}\n}\n",
        )],
    );
    let r = run(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert!(
        r.stderr
            .contains("(provider-block-version: 1, provider-unused: 1)"),
        "{}",
        r.stderr
    );
    assert_eq!(
        read(&dir.path().join("main.tf.json")),
        "{\n  \"terraform\": {\n    \"required_providers\": {\n      \"aws\": {\n        \"source\": \"hashicorp/aws\",\n        \"version\": \"~> 5.0, >= 5.10\"\n      }\n    },\n    \"backend\": {\"s3\": {}}\n  },\n  \"provider\": {\n    \"aws\": {\n      \"region\": \"eu-west-1\"\n    }\n  },\n  \"resource\": {\"aws_s3_bucket\": {\"b\": {\"bucket\": \"x\"}}}\n}\n"
    );
}

#[test]
fn module_versions_come_from_what_init_installed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "main.tf",
                "terraform {\n  backend \"s3\" {}\n}\n\nmodule \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n  name   = \"main\"\n}\n\nmodule \"s3\" {\n  source  = \"terraform-aws-modules/s3-bucket/aws\"\n  version = \">= 4.1\"\n}\n\nmodule \"other\" {\n  source = \"terraform-aws-modules/iam/aws\"\n}\n",
            ),
            (
                ".terraform/modules/modules.json",
                r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
                 {"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.8.1","Dir":".terraform/modules/vpc"},
                 {"Key":"s3","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Version":"4.6.0","Dir":".terraform/modules/s3"},
                 {"Key":"vpc.nested","Source":"registry.terraform.io/a/b/aws","Version":"1.0.0","Dir":"x"}]}"#,
            ),
        ],
    );
    let r = run(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert!(
        r.stderr
            .contains("(module-version-missing: 1, module-version-unbounded: 1)"),
        "{}",
        r.stderr
    );
    assert_eq!(
        read(&dir.path().join("main.tf")),
        "terraform {\n  backend \"s3\" {}\n}\n\nmodule \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"~> 5.8\"\n  name    = \"main\"\n}\n\nmodule \"s3\" {\n  source  = \"terraform-aws-modules/s3-bucket/aws\"\n  version = \">= 4.1, < 5.0.0\"\n}\n\nmodule \"other\" {\n  source = \"terraform-aws-modules/iam/aws\"\n}\n",
        "a call init did not record stays as it is"
    );
}

#[test]
fn a_file_changed_since_it_was_read_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.tf");
    std::fs::write(&path, "edited meanwhile\n").unwrap();
    let changed = tfpin::fix::run::Changed {
        path: path.clone(),
        display: "main.tf".to_string(),
        before: std::sync::Arc::new("as read\n".to_string()),
        after: "as fixed\n".to_string(),
    };
    let errors = tfpin::fix::run::write(std::slice::from_ref(&changed));
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.contains("changed on disk"),
        "{:?}",
        errors
    );
    assert_eq!(read(&path), "edited meanwhile\n");
    // As read, it is replaced; no temporary file is left behind.
    std::fs::write(&path, "as read\n").unwrap();
    assert!(tfpin::fix::run::write(std::slice::from_ref(&changed)).is_empty());
    assert_eq!(read(&path), "as fixed\n");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[cfg(unix)]
#[test]
fn a_link_stays_a_link_and_the_mode_stays() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("shared")).unwrap();
    // Not a configuration file where it lies; read through the link.
    let real = tree.join("shared/versions.hcl");
    std::fs::write(&real, "terraform {\n  required_version = \"=> 1.9\"\n}\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("shared/versions.hcl", tree.join("versions.tf")).unwrap();
    let r = run(&tree, &["check", "--fix"]);
    assert!(r.stderr.contains("constraint-invalid: 1"), "{}", r.stderr);
    assert!(std::fs::symlink_metadata(tree.join("versions.tf"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        read(&real),
        "terraform {\n  required_version = \">= 1.9\"\n}\n"
    );
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

/// A terraform to check formatting with, when one is installed: the
/// fmt-cleanness of fixed files is checked where it can be, and recorded
/// for the fix oracle's cases (tests/fix_oracle.rs) where it cannot.
fn terraform() -> Option<&'static Path> {
    static FOUND: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| {
            let found = std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join("terraform"))
                    .find(|p| p.is_file())
            });
            if found.is_none() {
                eprintln!("SKIPPED: no terraform on PATH; fixed files are not checked with terraform fmt here");
            }
            found
        })
        .as_deref()
}

/// One finding as the properties compare them.
fn key(f: &tfpin::finding::Finding) -> (String, String) {
    (f.rule.to_string(), f.fingerprint.clone())
}

/// Fixes a tree (unsafe fixes too) and checks what every fix must keep:
/// - the fixes settle, and a second run changes nothing;
/// - every finding whose fix was applied is gone;
/// - no finding appears that was not there, except where an edit made a
///   constraint readable that was not (a repaired string can then be
///   judged by the pinning rules);
/// - every file still parses.
///
/// Returns the rules whose findings had a fix.
fn check_properties(root: &Path, what: &str, failures: &mut Vec<String>) -> BTreeSet<&'static str> {
    let cfg = root.join(".tfpin.hcl");
    let settings = if cfg.is_file() {
        match tfpin::config::load(&cfg, ".tfpin.hcl") {
            Ok(s) => s,
            // A fixture of a configuration tfpin refuses: nothing runs.
            Err(_) => return BTreeSet::new(),
        }
    } else {
        tfpin::config::Settings::default()
    };
    let paths = [root.to_path_buf()];
    let before = tfpin::check(root, &paths, &settings).unwrap();
    let before_keys: BTreeSet<_> = before.findings.iter().map(key).collect();
    let fixable: BTreeSet<_> = before
        .findings
        .iter()
        .filter(|f| f.fix.is_some())
        .map(key)
        .collect();
    let rules: BTreeSet<&'static str> = (before.findings.iter())
        .filter(|f| f.fix.is_some())
        .map(|f| f.rule)
        .collect();
    if fixable.is_empty() {
        return rules;
    }
    let out = tfpin::fix::run::run(root, &paths, &settings, Applicability::All, &|_| {}).unwrap();
    if !out.settled {
        failures.push(format!("{what}: the fixes did not settle"));
    }
    // Which changed files `terraform fmt` accepts before the fix, when
    // terraform is here (tests/data/fix records the same for its cases).
    let fmt_clean = |path: &Path| {
        terraform().map(|tf| {
            std::process::Command::new(tf)
                .args(["fmt", "-check", "-no-color"])
                .arg(path)
                .env("TF_CLI_CONFIG_FILE", "/dev/null")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    };
    let native = |c: &&tfpin::fix::run::Changed| {
        c.display.ends_with(".tf") || c.display.ends_with(".tfvars")
    };
    let clean_before: Vec<&Path> = (out.changed.iter())
        .filter(native)
        .filter(|c| fmt_clean(&c.path) == Some(true))
        .map(|c| c.path.as_path())
        .collect();
    for c in &out.changed {
        std::fs::write(&c.path, &c.after).unwrap();
    }
    for p in clean_before {
        if fmt_clean(p) != Some(true) {
            failures.push(format!(
                "{what}: terraform fmt no longer accepts {}",
                p.display()
            ));
        }
    }
    let after = tfpin::check(root, &paths, &settings).unwrap();
    let revealed_by_repair = before
        .findings
        .iter()
        .any(|f| f.rule == "constraint-invalid" && f.fix.is_some());
    for f in &after.findings {
        let new = !before_keys.contains(&key(f));
        if f.rule == "parse-error" && new {
            failures.push(format!("{what}: a fix broke the syntax: {}", f.message));
        }
        if fixable.contains(&key(f)) && f.fix.is_some() {
            failures.push(format!(
                "{what}: still fixable after the fix: {} {}",
                f.rule, f.message
            ));
        }
        // A finding whose words changed with the fix (the providers a
        // lock-missing names, say) is the same finding: one of its rule in
        // its file was there before.
        let per_file = |r: &tfpin::Report, f: &tfpin::finding::Finding| {
            let file = &r.workspace.sources.get(f.span.file).display;
            (r.findings.iter())
                .filter(|g| {
                    g.rule == f.rule && &r.workspace.sources.get(g.span.file).display == file
                })
                .count()
        };
        let had = (before.findings.iter())
            .find(|g| {
                g.rule == f.rule
                    && before.workspace.sources.get(g.span.file).display
                        == after.workspace.sources.get(f.span.file).display
            })
            .map(|g| per_file(&before, g))
            .unwrap_or(0);
        if !before_keys.contains(&key(f)) && !revealed_by_repair && per_file(&after, f) > had {
            failures.push(format!("{what}: new finding {} {}", f.rule, f.message));
        }
    }
    let again = tfpin::fix::run::run(root, &paths, &settings, Applicability::All, &|_| {}).unwrap();
    if !again.changed.is_empty() {
        failures.push(format!(
            "{what}: a second run changed {:?}",
            again.changed.iter().map(|c| &c.display).collect::<Vec<_>>()
        ));
    }
    rules
}

/// The fixture trees, each copied out of the repository first.
#[test]
fn every_fixture_keeps_the_fix_properties() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut failures = Vec::new();
    let mut trees = Vec::new();
    for group in std::fs::read_dir(&base).unwrap() {
        let group = group.unwrap().path();
        for case in std::fs::read_dir(&group).unwrap() {
            let case = case.unwrap().path();
            if case.is_dir() {
                trees.push(case);
            }
        }
    }
    trees.sort();
    for case in trees {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("tree");
        std::fs::create_dir_all(&root).unwrap();
        copy_tree(&case, &root);
        let what = case.strip_prefix(&base).unwrap().display().to_string();
        check_properties(&root, &what, &mut failures);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every Bad example of every rule doc, as a tree.
#[test]
fn every_rule_doc_example_keeps_the_fix_properties() {
    let mut failures = Vec::new();
    let mut fixed_rules = BTreeSet::new();
    for meta in tfpin::rules::all() {
        for (i, ex) in doc_examples(meta.doc).iter().enumerate() {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("tree");
            for (name, body) in ex {
                let p = root.join(name);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, body).unwrap();
            }
            fixed_rules.extend(check_properties(
                &root,
                &format!("{} example {}", meta.id, i + 1),
                &mut failures,
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // Every rule that fixes has an example whose finding carries a fix.
    for meta in tfpin::rules::all().filter(|m| m.fixable()) {
        assert!(
            fixed_rules.contains(meta.id),
            "{}: no example gets a fix",
            meta.id
        );
    }
}

/// The trees of a doc's examples (Bad, Good and Fix sections alike): a
/// block alone is a `main.tf`; blocks tagged `file=` build one tree until a
/// path repeats or prose comes between them.
fn doc_examples(doc: &str) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = Vec::new();
    let mut open = false;
    for piece in common::markdown(doc) {
        let (tag, body) = match piece {
            common::Md::Block { tag, body } => (tag, body),
            common::Md::Prose(line) if line.trim().is_empty() => continue,
            _ => {
                open = false;
                continue;
            }
        };
        let words: Vec<&str> = tag.split_whitespace().collect();
        if !matches!(words.first(), Some(&"hcl") | Some(&"json")) || words.contains(&"after") {
            open = false;
            continue;
        }
        let file = words.iter().find_map(|w| w.strip_prefix("file="));
        let name = file.unwrap_or("main.tf").to_string();
        let new = match (file, out.last()) {
            (None, _) | (_, None) => true,
            (Some(f), Some(t)) => !open || t.iter().any(|(n, _)| n == f),
        };
        if new {
            out.push(Vec::new());
        }
        out.last_mut().unwrap().push((name, body));
        open = file.is_some();
    }
    out
}
