//! The module pinning rules on whole trees: a tree with every kind of
//! well-pinned module call yields nothing, and a broken one yields exactly
//! the findings expected.

use std::path::{Path, PathBuf};
use tfpin::config::Settings;

const RULES: &[&str] = &[
    "module-source-mutable-ref",
    "module-source-unpinned",
    "module-version-missing",
    "module-version-unbounded",
];

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/module-pinning")
        .join(case)
}

/// (rule, file, line, message) of this rule family's findings.
fn findings(root: &Path) -> Vec<(String, String, usize, String)> {
    let report = tfpin::check(root, &[root.to_path_buf()], &Settings::default()).unwrap();
    report
        .findings
        .iter()
        .filter(|f| RULES.contains(&f.rule))
        .map(|f| {
            let file = report.workspace.sources.get(f.span.file);
            (
                f.rule.to_string(),
                file.display.clone(),
                file.line_col(f.span.range.start).line,
                f.message.clone(),
            )
        })
        .collect()
}

#[test]
fn well_pinned_module_calls_of_every_kind_are_clean() {
    assert_eq!(findings(&fixture("clean")), vec![]);
}

#[test]
fn each_unpinned_module_call_is_reported_once() {
    let got = findings(&fixture("bad"));
    let expected: Vec<(String, String, usize, String)> = [
        (
            "module-version-missing",
            2,
            "module \"vpc\" source \"terraform-aws-modules/vpc/aws\" is a registry module with no version",
        ),
        (
            "module-version-unbounded",
            7,
            "module \"eks\" version \"~> 20\" has no upper bound",
        ),
        (
            "module-version-unbounded",
            12,
            "module \"rds\" version \">= 6.0\" has no upper bound",
        ),
        (
            "module-source-unpinned",
            16,
            "module \"dns\" source \"github.com/acme/terraform-dns\" has no ref, so every init fetches the repository's default branch",
        ),
        (
            "module-source-mutable-ref",
            20,
            "module \"iam\" source ref \"main\" names a branch",
        ),
        (
            "module-source-mutable-ref",
            24,
            "module \"queue\" source ref \"feature/fifo\" is neither a version tag nor a commit SHA",
        ),
        (
            "module-source-unpinned",
            28,
            "module \"bundle\" source \"https://artifacts.example.com/terraform/network.zip\" is an archive URL that names no version, so init installs whatever it holds at the time",
        ),
        (
            "module-source-unpinned",
            32,
            "module \"from_s3\" source \"bucket.s3.eu-west-1.amazonaws.com/network.zip\" is an S3 object that names no version, so init installs whatever it holds at the time",
        ),
    ]
    .into_iter()
    .map(|(rule, line, msg)| (rule.to_string(), "main.tf".to_string(), line, msg.to_string()))
    .collect();
    assert_eq!(got, expected);
}
