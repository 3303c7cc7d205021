//! The real binary, end to end: exit codes, formats, configuration
//! discovery and errors. Fixture trees live in fixtures/cli/<case>/.

use std::path::{Path, PathBuf};

mod common;
use common::{run, Run};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cli")
        .join(case)
}

#[test]
fn text_output_for_a_broken_tree() {
    let r = run(&fixture("broken"), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Nothing but the report: no progress or other noise when stderr is not
    // a terminal.
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("broken_text", r.stdout);
}

#[test]
fn json_output_for_a_broken_tree() {
    let r = run(&fixture("broken"), &["check", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    insta::assert_json_snapshot!("broken_json", v);
}

#[test]
fn json_shape_is_the_documented_contract() {
    let r = run(&fixture("broken"), &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let keys =
        |o: &serde_json::Value| -> Vec<String> { o.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&v), ["tool", "findings", "summary", "roots"]);
    assert_eq!(
        keys(&v["roots"][0]),
        ["module", "engines", "engine_reason", "role", "role_reason"]
    );
    assert_eq!(v["roots"][0]["engines"], serde_json::json!(["terraform"]));
    assert_eq!(v["tool"]["name"], "tfpin");
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let f = &v["findings"][0];
    assert_eq!(
        keys(f),
        [
            "rule",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "module",
            "help",
            "fingerprint",
            "labels",
            "fix"
        ]
    );
    assert_eq!(
        keys(&v["summary"]),
        ["files", "modules", "errors", "warnings", "notes"]
    );
    // Files are relative, with forward slashes; findings are sorted.
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(files
        .iter()
        .all(|f| !f.contains('\\') && !f.starts_with('/')));
}

#[test]
fn a_clean_tree_exits_zero() {
    let r = run(&fixture("clean"), &["check"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "checked 2 files in 2 modules: no findings\n");
}

#[test]
fn fail_on_sets_the_threshold() {
    let dir = fixture("config-severity");
    // Only a note remains after the config lowers the severity.
    assert_eq!(run(&dir, &["check"]).code, 0);
    assert_eq!(run(&dir, &["check", "--fail-on", "note"]).code, 1);
    let broken = fixture("broken");
    assert_eq!(run(&broken, &["check", "--fail-on", "never"]).code, 0);
    assert_eq!(run(&broken, &["check", "--fail-on", "error"]).code, 1);
}

#[test]
fn config_severity_and_enabled_are_applied() {
    let r = run(&fixture("config-severity"), &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "module-source-missing");
    assert_eq!(findings[0]["severity"], "note");
    // --enable overrides the file's `enabled = false`.
    let r = run(
        &fixture("config-severity"),
        &["check", "--format", "json", "--enable", "parse-error"],
    );
    assert!(
        r.stdout.contains("\"rule\":\"parse-error\""),
        "{}",
        r.stdout
    );
}

#[test]
fn an_invalid_config_exits_two_with_locations() {
    let r = run(&fixture("config-invalid"), &["check"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!("config_invalid_stderr", r.stderr);
}

#[test]
fn usage_errors_exit_two() {
    let dir = fixture("clean");
    let r = run(&dir, &["check", "--enable", "no-such-rule"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown rule \"no-such-rule\""),
        "{}",
        r.stderr
    );
    // A path that does not exist is named as it was given.
    for path in ["does-not-exist", "./modules/../gone"] {
        let r = run(&dir, &["check", "main.tf", path]);
        assert_eq!(r.code, 2, "{path}");
        let shown = path.trim_start_matches("./modules/../");
        assert_eq!(
            r.stderr,
            format!("tfpin: error: path `{shown}` does not exist\n")
        );
    }
    let r = run(&dir, &["check", "--config", "nope.hcl"]);
    assert_eq!(r.code, 2);
    let r = run(&dir, &["check", "--var", "novalue"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("expected NAME=VALUE"), "{}", r.stderr);
    let r = run(&dir, &["check", "--terraform-version", "one"]);
    assert_eq!(r.code, 2);
    let r = run(&dir, &["check", "--format", "yaml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn an_empty_directory_is_an_error_but_deleted_files_are_not() {
    let d = tempfile::tempdir().unwrap();
    let r = run(d.path(), &["check"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no Terraform files found"),
        "{}",
        r.stderr
    );
    let r = run(d.path(), &["check", "gone/main.tf"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Nor is the last Terraform file of a directory that is still there.
    std::fs::create_dir(d.path().join("emptied")).unwrap();
    let r = run(d.path(), &["check", "emptied/main.tf", "gone/versions.tf"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_run_that_reads_nothing_is_a_usage_error_that_says_why() {
    let d = tempfile::tempdir().unwrap();
    common::write(
        d.path(),
        &[("docs/README.md", "# docs\n"), ("empty/.keep", "")],
    );
    // A file argument stands for its directory, which holds nothing to read.
    let r = run(d.path(), &["check", "docs/README.md"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "tfpin: error: no Terraform files found beside `docs/README.md`\n"
    );
    let r = run(d.path(), &["check", "empty", "docs/README.md"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "tfpin: error: no Terraform files found under `empty` or beside `docs/README.md`\n"
    );
    // `tfpin providers` reads the same way.
    let r = run(d.path(), &["providers", "empty"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "tfpin: error: no Terraform files found under `empty`\n"
    );
    // Files found, none of them readable: the reasons are given.
    std::fs::create_dir(d.path().join("big")).unwrap();
    let big = std::fs::File::create(d.path().join("big/huge.tf")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    let r = run(d.path(), &["check", "big"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("tfpin: error: nothing could be read: `big/huge.tf`: file is too large"),
        "{}",
        r.stderr
    );
    // Once something is read, what could not be is a finding.
    common::write(d.path(), &[("big/main.tf", PINNED_ROOT)]);
    let r = run(d.path(), &["check", "big", "--format", "compact"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("[file-unreadable]"), "{}", r.stdout);
}

/// A root module with nothing to report.
const PINNED_ROOT: &str = "terraform {\n  required_version = \"~> 1.9\"\n}\n";

#[test]
fn contradictory_flags_are_refused() {
    let dir = fixture("clean");
    let refused = |args: &[&str], needle: &str| {
        let r = run(&dir, args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    };
    refused(
        &[
            "check",
            "--enable",
            "lock-missing",
            "--disable",
            "lock-missing",
        ],
        "rule \"lock-missing\" is both enabled and disabled",
    );
    refused(
        &[
            "providers",
            "--disable",
            "lock-missing",
            "--enable",
            "lock-missing",
        ],
        "rule \"lock-missing\" is both enabled and disabled",
    );
    // --write-baseline writes no report, and always exits 0: a report's
    // file or format, or pruning another baseline, means nothing with it.
    for other in [
        &["--baseline-prune"][..],
        &["--output", "report.txt"],
        &["--format", "json"],
        &["--baseline", "old.json"],
    ] {
        let mut args = vec!["check", "--write-baseline", "new.json"];
        args.extend(other);
        refused(&args, "cannot be used with");
    }
    assert!(!dir.join("new.json").exists() && !dir.join("report.txt").exists());
    refused(&["check", "--baseline-prune"], "--baseline <FILE>");
    // Different rules, one enabled and one disabled, are fine.
    let r = run(
        &dir,
        &[
            "check",
            "--enable",
            "lock-missing",
            "--disable",
            "provider-unused",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `tfpin check --format FORMAT --output OUT` on the broken fixture.
fn report_to(format: &str, out: &Path) -> Run {
    let out = out.to_str().unwrap();
    run(
        &fixture("broken"),
        &["check", "--format", format, "--output", out],
    )
}

#[test]
fn output_goes_to_a_file_when_asked() {
    // JSON and SARIF are written as they are serialised; the others are
    // rendered whole. All of them give a file the bytes they print.
    for format in ["json", "sarif", "text", "compact", "junit"] {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("report");
        let r = report_to(format, &out);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{format}");
        let written = std::fs::read_to_string(out).unwrap();
        let to_stdout = run(&fixture("broken"), &["check", "--format", format]);
        assert_eq!(to_stdout.code, r.code, "{format}");
        assert_eq!(written, to_stdout.stdout, "{format}");
        assert!(written.ends_with('\n'), "{format}");
        if format == "json" || format == "sarif" {
            let v: serde_json::Value = serde_json::from_str(&written).unwrap();
            let found = if format == "json" {
                &v["findings"]
            } else {
                &v["runs"][0]["results"]
            };
            assert!(!found.as_array().unwrap().is_empty(), "{format}");
        }
    }
}

#[test]
fn output_that_cannot_be_written_is_a_usage_error() {
    for format in ["json", "sarif", "text"] {
        let d = tempfile::tempdir().unwrap();
        let r = report_to(format, d.path());
        assert_eq!(r.code, 2, "{format}");
        assert!(r.stderr.contains("cannot write"), "{format}: {}", r.stderr);
        assert!(
            r.stderr.contains(d.path().to_str().unwrap()),
            "{format}: {}",
            r.stderr
        );
    }
}

#[test]
fn config_is_found_in_a_parent_directory() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    std::fs::write(
        d.path().join(".tfpin.hcl"),
        "rule \"module-source-missing\" {\n  enabled = false\n}\n",
    )
    .unwrap();
    let sub = d.path().join("envs/prod");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join("main.tf"),
        "terraform {\n  required_version = \"~> 1.9\"\n}\n\nmodule \"x\" {\n  source = \"./nope\"\n}\n",
    )
    .unwrap();
    assert_eq!(run(&sub, &["check"]).code, 0);
    // An explicit --config wins over the search.
    std::fs::write(sub.join("strict.hcl"), "").unwrap();
    assert_eq!(run(&sub, &["check", "--config", "strict.hcl"]).code, 1);
}

#[test]
fn rules_and_explain() {
    let dir = fixture("clean");
    let r = run(&dir, &["rules"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("rules_text", r.stdout);
    let r = run(&dir, &["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"parse-error"));
    let r = run(&dir, &["explain", "module-cycle"]);
    assert_eq!(r.code, 0);
    assert!(r
        .stdout
        .starts_with("module-cycle (correctness, default severity error)\n"));
    assert!(r.stdout.lines().any(|l| l == "How to fix"));
    assert!(
        !r.stdout.contains("```"),
        "code fences are rendered, not shown"
    );
    assert!(!r.stdout.contains("expect:"), "test markers are not shown");
    let r = run(&dir, &["explain", "module-cycles"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean \"module-cycle\""),
        "{}",
        r.stderr
    );
}

#[test]
fn output_is_identical_across_runs() {
    let a = run(&fixture("broken"), &["check", "--format", "json"]).stdout;
    for _ in 0..3 {
        assert_eq!(
            run(&fixture("broken"), &["check", "--format", "json"]).stdout,
            a
        );
    }
}

#[test]
fn output_does_not_depend_on_the_job_count() {
    // A tree of several roots and local modules with findings in most
    // files, so that work really is spread over the threads.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        &[
            "check",
            "examples/multi-region",
            "fixtures/cli/broken",
            "--format",
            "json",
        ][..],
        &[
            "check",
            "examples/multi-region",
            "fixtures/cli/broken",
            "--format",
            "text",
            "--color",
            "always",
        ],
        &["providers", "examples/multi-region", "--format", "json"],
        &["providers", "examples/multi-region"],
    ] {
        let one = run(root, &[args, &["--jobs", "1"]].concat());
        assert!(!one.stdout.is_empty(), "{args:?}: {}", one.stderr);
        for jobs in ["2", "4"] {
            let r = run(root, &[args, &["--jobs", jobs]].concat());
            assert_eq!(r.code, one.code, "{args:?} --jobs {jobs}");
            assert!(
                r.stdout == one.stdout,
                "{args:?}: --jobs {jobs} differs from --jobs 1"
            );
            assert_eq!(r.stderr, one.stderr);
        }
    }
    let r = run(root, &["check", "--jobs", "0", "examples/multi-region"]);
    assert_eq!(r.code, 2, "zero threads is a usage error");
}

#[test]
fn the_readme_example_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = run(
        root,
        &["check", "examples/multi-region", "--format", "compact"],
    );
    assert_eq!(
        r.code, 1,
        "the example is meant to have findings\n{}",
        r.stderr
    );
    assert!(r.stdout.contains("module-source-missing"));
    assert!(r.stdout.contains("constraint-invalid"));
    // The example's own .tfpin.hcl (found from the scanned path, since the
    // working directory has none) keeps data in the EU.
    assert!(
        r.stdout
            .contains("replica region \"ap-southeast-2\" of resource \"aws_dynamodb_table\" \"sessions\" is outside the allowed regions"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("replica-same-region"), "{}", r.stdout);
    // The CDN module's certificate follows the default provider to
    // eu-central-1 (set in terraform.tfvars), where CloudFront cannot use it.
    assert!(r.stdout.contains("region-bound-resource"), "{}", r.stdout);
    assert!(r
        .stdout
        .contains("aws_acm_certificate.site runs in \"eu-central-1\""));
    // `aws.west` is configured with us-east-1.
    assert!(r.stdout.contains("provider-alias-region-mismatch"));
    assert!(r.stdout.contains("alias \"west\""));
}

#[test]
fn constraint_command_explains_and_sets_exit_codes() {
    let dir = fixture("clean");
    let r = run(
        &dir,
        &[
            "constraint",
            "--format",
            "json",
            "~> 5.31",
            "5.32.1",
            "6.0.0",
        ],
    );
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "{\"kind\":\"provider\",\"constraint\":\"~> 5.31\",\"valid\":true,\"error\":null,\
         \"normalized\":\"~> 5.31\",\"bounded\":true,\"lower\":\"5.31.0\",\"upper\":\"6.0.0\",\
         \"matches\":[\"5.32.1\"],\"selected\":\"5.32.1\"}\n"
    );
    let r = run(&dir, &["constraint", "~> 5.31", "6.0.0"]);
    assert_eq!(r.code, 1, "no version matches");
    assert!(r.stdout.ends_with('\n'));
    let r = run(&dir, &["constraint", "=> 5"]);
    assert_eq!(r.code, 2, "invalid constraint");
    // The same string means different things to the two parsers.
    let r = run(
        &dir,
        &[
            "constraint",
            "--kind",
            "core",
            "--format",
            "json",
            "~> 1",
            "7.0.0",
        ],
    );
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("\"bounded\":false"), "{}", r.stdout);
    let r = run(&dir, &["constraint", "--format", "json", "~> 1", "7.0.0"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("\"upper\":\"2.0.0\""), "{}", r.stdout);
    let r = run(&dir, &["constraint", "-h"]);
    assert_eq!(r.code, 0);
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let d = tempfile::tempdir().unwrap();
    let body = "module \"net\" {\n  source = \"./nope\"\n}\n\nterraform {\n  required_version = \"~> 1.9\"\n}\n";
    std::fs::write(d.path().join("main.tf"), body).unwrap();
    let before = run(d.path(), &["check", "--format", "json"]).stdout;
    std::fs::write(
        d.path().join("main.tf"),
        format!("# a comment\n\nvariable \"x\" {{}}\n\n{body}"),
    )
    .unwrap();
    let after = run(d.path(), &["check", "--format", "json"]).stdout;
    let fp = |s: &str| -> (String, u64) {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        let f = &v["findings"][0];
        (
            f["fingerprint"].as_str().unwrap().to_string(),
            f["line"].as_u64().unwrap(),
        )
    };
    let (a, line_a) = fp(&before);
    let (b, line_b) = fp(&after);
    assert_ne!(line_a, line_b, "the finding moved");
    assert_eq!(a, b, "but its fingerprint did not change");
}

#[test]
fn exclude_patterns_are_relative_to_the_config_file() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    std::fs::write(
        d.path().join(".tfpin.hcl"),
        "exclude = [\"envs/legacy/**\"]\n",
    )
    .unwrap();
    for (dir, body) in [
        ("envs/legacy", "}\n"),
        (
            "envs/prod",
            "terraform {\n  required_version = \"~> 1.9\"\n}\n",
        ),
    ] {
        std::fs::create_dir_all(d.path().join(dir)).unwrap();
        std::fs::write(d.path().join(dir).join("main.tf"), body).unwrap();
    }
    // Run from a subdirectory: the pattern still means <config dir>/envs/legacy.
    let r = run(&d.path().join("envs"), &["check"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "checked 1 file in 1 module: no findings\n");
}

#[test]
fn inline_ignores_silence_findings_and_respect_ignorable() {
    let d = tempfile::tempdir().unwrap();
    let w = |p: &str, s: &str| common::write(d.path(), &[(p, s)]);
    w(
        "main.tf",
        "terraform {\n  required_version = \"~> 1.9\"\n}\n\n# tfpin-ignore: module-source-missing -- being restored\nmodule \"a\" {\n  source = \"./gone\"\n}\n\nmodule \"b\" {\n  source = \"./gone-too\"\n}\n",
    );
    w(
        "other.tf",
        "// tfpin-ignore-file: module-source-missing\nmodule \"c\" {\n  source = \"./nope\"\n}\n",
    );
    let json = |args: &[&str]| -> Vec<(String, u64)> {
        let r = run(d.path(), args);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    // Only module "b" (line 11 of main.tf) is left.
    assert_eq!(
        json(&["check", "--format", "json"]),
        [("module-source-missing".to_string(), 11)]
    );
    // With ignorable = false nothing is silenced, and each ignore is reported.
    w(
        ".tfpin.hcl",
        "rule \"module-source-missing\" {\n  ignorable = false\n}\n",
    );
    let found = json(&["check", "--format", "json"]);
    assert_eq!(
        found
            .iter()
            .filter(|(r, _)| r == "module-source-missing")
            .count(),
        3,
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|(r, _)| r == "ignore-unused").count(),
        2,
        "{found:?}"
    );
}

#[test]
fn a_baseline_reports_only_new_findings_and_survives_line_shifts() {
    let d = tempfile::tempdir().unwrap();
    let main = d.path().join("main.tf");
    let old = "terraform {\n  required_version = \"~> 1.9\"\n}\n\nmodule \"a\" {\n  source = \"./gone\"\n}\n";
    std::fs::write(&main, old).unwrap();
    let r = run(
        d.path(),
        &["check", "--write-baseline", "tfpin-baseline.json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("wrote 1 finding to tfpin-baseline.json"),
        "{}",
        r.stderr
    );
    let b: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.path().join("tfpin-baseline.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(b["tool"], "tfpin");
    assert_eq!(b["findings"].as_array().unwrap().len(), 1);

    // The recorded finding is not reported, even after lines move.
    std::fs::write(&main, format!("# moved down\n\n\n{old}")).unwrap();
    let r = run(d.path(), &["check", "--baseline", "tfpin-baseline.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("1 finding in the baseline not shown"),
        "{}",
        r.stdout
    );

    // A new problem is reported; the old one still is not.
    std::fs::write(
        &main,
        format!("# moved down\n\n\n{old}\nmodule \"b\" {{\n  source = \"./also-gone\"\n}}\n"),
    )
    .unwrap();
    let r = run(
        d.path(),
        &[
            "check",
            "--baseline",
            "tfpin-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let msgs: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(msgs.len(), 1);
    assert!(msgs[0].contains("\"./also-gone\""), "{msgs:?}");

    // Fixed findings leave quietly; --baseline-prune rewrites the file.
    std::fs::write(&main, "terraform {\n  required_version = \"~> 1.9\"\n}\n").unwrap();
    let r = run(
        d.path(),
        &[
            "check",
            "--baseline",
            "tfpin-baseline.json",
            "--baseline-prune",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("pruned 1 fixed finding"), "{}", r.stderr);
    let b: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.path().join("tfpin-baseline.json")).unwrap(),
    )
    .unwrap();
    assert!(b["findings"].as_array().unwrap().is_empty());

    // Errors are clear.
    let r = run(d.path(), &["check", "--baseline", "missing.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("create it with --write-baseline"),
        "{}",
        r.stderr
    );
    std::fs::write(d.path().join("bad.json"), "{\"x\":1}").unwrap();
    let r = run(d.path(), &["check", "--baseline", "bad.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a tfpin baseline"), "{}", r.stderr);
}

#[test]
fn max_warnings_ratchets() {
    let d = tempfile::tempdir().unwrap();
    // Two providers without a version: at least two warnings.
    std::fs::write(
        d.path().join("main.tf"),
        "terraform {\n  required_version = \"~> 1.9\"\n  backend \"s3\" {}\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n    google = { source = \"hashicorp/google\" }\n  }\n}\nresource \"aws_s3_bucket\" \"b\" {}\nresource \"google_storage_bucket\" \"g\" {}\n",
    )
    .unwrap();
    let r = run(
        d.path(),
        &["check", "--format", "json", "--fail-on", "error"],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let warnings = v["summary"]["warnings"].as_u64().unwrap() as usize;
    assert!(warnings >= 2, "{}", r.stdout);
    assert_eq!(r.code, 0);
    let max = (warnings - 1).to_string();
    let r = run(
        d.path(),
        &["check", "--fail-on", "error", "--max-warnings", &max],
    );
    assert_eq!(r.code, 1);
    // Why it failed, where the report does not go.
    assert_eq!(
        r.stderr,
        format!("tfpin: {warnings} warnings, more than --max-warnings {max}\n")
    );
    let max = warnings.to_string();
    let r = run(
        d.path(),
        &["check", "--fail-on", "error", "--max-warnings", &max],
    );
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}
