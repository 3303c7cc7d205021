//! One answer however tfpin is pointed at a module. For every module of
//! each fixture project, a partial run (the module's directory, a file in
//! it, or `.` from inside it) reports nothing the run over the whole
//! project does not, and loses nothing that run reports in the module;
//! the findings it shares keep their fingerprints and paths.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What identifies a finding across runs: rule, file (from the project
/// root), line, column, message and fingerprint.
type Key = (String, String, usize, usize, String, String);

/// Checks `paths` from `cwd` with the settings a user there would get.
fn run(cwd: &Path, paths: &[PathBuf]) -> (Vec<(String, Key)>, Vec<String>) {
    let settings =
        tfpin::app::resolve_settings(&tfpin::cli::SettingsArgs::default(), cwd, paths).unwrap();
    let r = tfpin::check(cwd, paths, &settings).unwrap();
    let sources = &r.workspace.sources;
    let findings = r
        .findings
        .iter()
        .map(|f| {
            let file = sources.get(f.span.file);
            let lc = file.line_col(f.span.range.start);
            (
                f.module.clone(),
                (
                    f.rule.to_string(),
                    file.display.clone(),
                    lc.line,
                    lc.column,
                    f.message.clone(),
                    f.fingerprint.clone(),
                ),
            )
        })
        .collect();
    let modules = r
        .workspace
        .modules
        .iter()
        .map(|m| m.display.clone())
        .collect();
    (findings, modules)
}

/// The first configuration file directly in `dir`.
fn a_file_in(dir: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".tf") || name.ends_with(".tf.json")
        })
        .collect();
    files.sort();
    files.remove(0)
}

fn holds_for(project: &Path) {
    let project = project.canonicalize().unwrap();
    let (full, modules) = run(&project, std::slice::from_ref(&project));
    assert!(
        !full.is_empty(),
        "{}: the fixture has findings",
        project.display()
    );
    let all: BTreeSet<&Key> = full.iter().map(|(_, k)| k).collect();
    let mut checked = 0;
    for module in &modules {
        let dir = if module == "." {
            project.clone()
        } else {
            project.join(module)
        };
        let mine: BTreeSet<&Key> = (full.iter())
            .filter(|(m, _)| m == module)
            .map(|(_, k)| k)
            .collect();
        let forms: [(&str, PathBuf, Vec<PathBuf>); 3] = [
            ("the directory", project.clone(), vec![dir.clone()]),
            ("a file", project.clone(), vec![a_file_in(&dir)]),
            ("`.` from inside", dir.clone(), vec![PathBuf::from(".")]),
        ];
        for (form, cwd, paths) in forms {
            let (part, _) = run(&cwd, &paths);
            let part: BTreeSet<&Key> = part.iter().map(|(_, k)| k).collect();
            let extra: Vec<_> = part.difference(&all).collect();
            assert!(
                extra.is_empty(),
                "{}: naming `{module}` by {form} reports what the full run does not: {extra:#?}",
                project.display()
            );
            let lost: Vec<_> = mine.difference(&part).collect();
            assert!(
                lost.is_empty(),
                "{}: naming `{module}` by {form} loses what the full run reports there: {lost:#?}",
                project.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 3 * 2, "{}: several modules", project.display());
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn partial_runs_agree_with_the_full_run_on_the_shipped_example() {
    holds_for(&repo("examples/multi-region"));
}

#[test]
fn partial_runs_agree_with_the_full_run_on_a_monorepo() {
    holds_for(&repo("fixtures/partial/monorepo"));
}

#[test]
fn partial_runs_agree_with_the_full_run_on_the_other_fixtures() {
    for p in [
        "fixtures/cli/broken",
        "fixtures/json/multi-region",
        "fixtures/e2e/clean-multi-region",
        "fixtures/module-pinning/bad",
        "fixtures/provider-declarations/bad",
        "fixtures/lock/bad",
    ] {
        let (full, modules) = run(&repo(p), &[repo(p)]);
        if modules.len() > 1 && !full.is_empty() {
            holds_for(&repo(p));
        }
    }
}

/// The README's promise: naming the variables file that moves the region
/// reports the certificate error it causes in a child module.
#[test]
fn naming_the_tfvars_reports_what_it_causes_in_a_child() {
    let prod = repo("examples/multi-region/envs/prod");
    let (found, _) = run(&prod, &[PathBuf::from("terraform.tfvars")]);
    assert!(
        found.iter().any(|(m, k)| m == "modules/cdn"
            && k.0 == "region-bound-resource"
            && k.1 == "modules/cdn/main.tf"),
        "{found:#?}"
    );
}

/// A shared module named alone is judged by its callers' trees, not as a
/// root of its own: no root-only findings about it.
#[test]
fn a_shared_module_named_alone_is_no_root() {
    let shared = repo("fixtures/partial/monorepo/modules/shared");
    let (found, modules) = run(&shared, &[PathBuf::from("main.tf")]);
    assert!(modules.contains(&"envs/prod".to_string()), "{modules:?}");
    assert!(modules.contains(&"envs/dev".to_string()), "{modules:?}");
    let here: Vec<_> = found
        .iter()
        .filter(|(m, _)| m == "modules/shared")
        .collect();
    let rules: BTreeSet<&str> = here.iter().map(|(_, k)| k.0.as_str()).collect();
    for root_only in [
        "lock-missing",
        "terraform-version-missing",
        "terraform-version-unbounded",
    ] {
        assert!(!rules.contains(root_only), "{root_only}: {found:#?}");
    }
    assert!(rules.contains("constraint-invalid"), "{found:#?}");
}

/// `tfpin providers` on a shared module shows the trees of its callers.
#[test]
fn providers_on_a_shared_module_shows_its_callers_trees() {
    let shared = repo("fixtures/partial/monorepo/modules/shared");
    let out = assert_cmd::Command::cargo_bin("tfpin")
        .unwrap()
        .current_dir(&shared)
        .args(["providers", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let roots: Vec<&str> = doc["roots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["root"].as_str().unwrap())
        .collect();
    assert_eq!(roots, ["envs/dev", "envs/prod"], "{doc}");
}

/// A deleted file whose directory is gone too names nothing: the run reads
/// nothing, and does not walk its nearest existing ancestor (here the
/// file system's root) for callers.
#[test]
fn a_deleted_file_in_a_deleted_directory_reads_nothing() {
    let d = tempfile::tempdir().unwrap();
    let gone = "/tfpin-test-no-such-directory/envs/main.tf";
    assert!(!std::path::Path::new(gone).exists());
    let r = common::run(d.path(), &["check", "--format", "json", gone]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 0, "{v}");
}
