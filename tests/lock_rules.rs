//! The lock-file rules on whole trees: a tree whose lock file terraform
//! wrote is clean, a tree with one of each problem yields exactly those
//! findings, and addresses match the way Terraform matches them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tfpin::config::Settings;

const LOCK_RULES: &[&str] = &[
    "lock-constraints-drift",
    "lock-hashes-incomplete",
    "lock-missing",
    "lock-provider-missing",
    "lock-provider-stale",
    "lock-version-mismatch",
];

/// (file, line, rule, message) of every lock-rule finding.
fn lock_findings(root: &Path) -> Vec<(String, usize, String, String)> {
    lock_report(root, &Settings::default()).0
}

/// [`lock_findings`] with `settings`, and the report.
fn lock_report(
    root: &Path,
    settings: &Settings,
) -> (Vec<(String, usize, String, String)>, tfpin::Report) {
    let report = tfpin::check(root, &[root.to_path_buf()], settings).unwrap();
    let found = report
        .findings
        .iter()
        .filter(|f| LOCK_RULES.contains(&f.rule))
        .map(|f| {
            let file = report.workspace.sources.get(f.span.file);
            (
                file.display.clone(),
                file.line_col(f.span.range.start).line,
                f.rule.to_string(),
                f.message.clone(),
            )
        })
        .collect();
    (found, report)
}

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/lock")
        .join(case)
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    dir
}

#[test]
fn a_lock_file_written_by_terraform_is_clean() {
    assert_eq!(lock_findings(&fixture("clean")), vec![]);
}

#[test]
fn a_stale_lock_file_yields_exactly_its_problems() {
    let got = lock_findings(&fixture("bad"));
    let want = [
        (
            ".terraform.lock.hcl",
            5,
            "lock-version-mismatch",
            "locked version \"5.40.0\" of provider \"hashicorp/aws\" does not satisfy the tree's constraint \"~> 5.46\"",
        ),
        (
            ".terraform.lock.hcl",
            6,
            "lock-constraints-drift",
            "lock constraints for provider \"hashicorp/aws\" are \"~> 5.40\" but the tree now requires \"~> 5.46\"",
        ),
        (
            ".terraform.lock.hcl",
            13,
            "lock-hashes-incomplete",
            "lock entry for provider \"hashicorp/random\" has one h1: hash and no zh: hashes, fewer than the 2 platforms to support (linux_amd64, darwin_arm64)",
        ),
        (
            ".terraform.lock.hcl",
            21,
            "lock-provider-stale",
            "lock entry for provider \"hashicorp/tls\" is not needed by any module of root module `.`",
        ),
        (
            "main.tf",
            1,
            "lock-provider-missing",
            "provider \"hashicorp/null\" has no entry in the lock file of root module `.`",
        ),
    ];
    let want: Vec<(String, usize, String, String)> = want
        .iter()
        .map(|(f, l, r, m)| (f.to_string(), *l, r.to_string(), m.to_string()))
        .collect();
    assert_eq!(got, want);
}

const AWS_ROOT: &str = r#"
terraform {
  required_providers {
    aws = {
      source  = "HashiCorp/AWS"
      version = "~> 5.46"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "terraform_data" "marker" {}
"#;

#[test]
fn opentofu_registry_and_case_differences_are_the_same_provider() {
    let t = tree(&[
        ("main.tf", AWS_ROOT),
        (
            ".terraform.lock.hcl",
            r#"
provider "registry.opentofu.org/hashicorp/aws" {
  version     = "5.46.0"
  constraints = "~> 5.46"
  hashes = [
    "h1:Ry0b9ddoqG0d/G8P30jNy6VDg/eFenCOVENnOkTOAS0=",
    "zh:01cfb11cb74654c003f6d4e32bbef8f5969ee2856394a96d127da4949c65153e",
  ]
}
"#,
        ),
    ]);
    assert_eq!(lock_findings(t.path()), vec![]);
}

#[test]
fn a_root_with_a_provider_block_and_no_lock_file_is_reported_once() {
    let t = tree(&[("main.tf", AWS_ROOT)]);
    let got = lock_findings(t.path());
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].2, "lock-missing");
    assert_eq!(
        got[0].3,
        "root module `.` has no .terraform.lock.hcl for provider \"hashicorp/aws\""
    );
}

#[test]
fn only_the_built_in_provider_needs_no_lock_file() {
    let t = tree(&[(
        "main.tf",
        "terraform {\n  backend \"local\" {}\n}\n\nresource \"terraform_data\" \"x\" {}\n",
    )]);
    assert_eq!(lock_findings(t.path()), vec![]);
}

#[test]
fn remote_modules_silence_stale_and_drift_checks() {
    let t = tree(&[
        (
            "main.tf",
            &format!("{AWS_ROOT}\nmodule \"vpc\" {{\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"~> 5.8\"\n}}\n"),
        ),
        (
            ".terraform.lock.hcl",
            r#"
provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.46.0"
  constraints = ">= 5.30.0, ~> 5.46"
  hashes = [
    "zh:01cfb11cb74654c003f6d4e32bbef8f5969ee2856394a96d127da4949c65153e",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version = "3.6.2"
  hashes = [
    "zh:01cfb11cb74654c003f6d4e32bbef8f5969ee2856394a96d127da4949c65153e",
  ]
}
"#,
        ),
    ]);
    assert_eq!(lock_findings(t.path()), vec![]);
}

/// A lock file with one problem of each kind for [`AWS_ROOT`]: a version
/// outside the constraint, stale constraints, one hash, and an entry no
/// module needs. `GOOGLE_VERSION` stands for the google entry's version.
const LOCK_OF_EACH: &str = r#"
provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.40.0"
  constraints = "~> 5.40"
  hashes = [
    "h1:01cfb11cb74654c003f6d4e32bbef8f5969ee2856394a96d127da4949c65153e",
  ]
}

provider "registry.terraform.io/hashicorp/google" {
  version = GOOGLE_VERSION
  hashes = [
    "zh:01cfb11cb74654c003f6d4e32bbef8f5969ee2856394a96d127da4949c65153e",
  ]
}
"#;

/// [`AWS_ROOT`] with a required_version, so that every finding is about
/// the lock file.
fn pinned_aws_root() -> String {
    format!("terraform {{\n  required_version = \"~> 1.9\"\n}}\n{AWS_ROOT}")
}

/// The rule of every finding of a check of `root`, in order.
fn rules_of(root: &Path) -> Vec<String> {
    let report = tfpin::check(root, &[root.to_path_buf()], &Settings::default()).unwrap();
    report.findings.iter().map(|f| f.rule.to_string()).collect()
}

#[test]
fn a_malformed_lock_file_is_one_parse_error_and_nothing_read_from_it() {
    let root = pinned_aws_root();
    let whole = LOCK_OF_EACH.replace("GOOGLE_VERSION", "\"6.0.0\"");
    let t = tree(&[("main.tf", &root), (".terraform.lock.hcl", &whole)]);
    let rules: BTreeSet<String> = rules_of(t.path()).into_iter().collect();
    for rule in [
        "lock-constraints-drift",
        "lock-hashes-incomplete",
        "lock-provider-stale",
        "lock-version-mismatch",
    ] {
        assert!(rules.contains(rule), "{rule}: {rules:?}");
    }
    // `version = 6` is no string: terraform init refuses the whole file.
    let malformed = LOCK_OF_EACH.replace("GOOGLE_VERSION", "6");
    let t = tree(&[("main.tf", &root), (".terraform.lock.hcl", &malformed)]);
    let report = tfpin::check(t.path(), &[t.path().to_path_buf()], &Settings::default()).unwrap();
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "parse-error",
            "invalid lock file: `version` must be a string"
        )],
    );
}

#[test]
fn a_lock_file_that_cannot_be_read_is_not_a_missing_one() {
    let root = pinned_aws_root();
    // Not HCL, binary, and too large to read.
    let cases: [(&str, &[u8]); 2] = [
        (
            "parse-error",
            b"provider \"registry.terraform.io/hashicorp/aws\" {\n",
        ),
        ("parse-error", b"\0\0\0\x01lock"),
    ];
    for (rule, bytes) in cases {
        let t = tree(&[("main.tf", &root)]);
        std::fs::write(t.path().join(".terraform.lock.hcl"), bytes).unwrap();
        assert_eq!(rules_of(t.path()), [rule], "{bytes:?}");
        let report =
            tfpin::check(t.path(), &[t.path().to_path_buf()], &Settings::default()).unwrap();
        let root = &report.workspace.modules[0];
        assert!(root.lock_damaged && root.has_lock_file() && root.readable_lock().is_none());
    }
    let t = tree(&[("main.tf", &root)]);
    let big = std::fs::File::create(t.path().join(".terraform.lock.hcl")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    assert_eq!(rules_of(t.path()), ["file-unreadable"]);
    // Without any lock file, the same root hears that it has none.
    let t = tree(&[("main.tf", &root)]);
    assert_eq!(rules_of(t.path()), ["lock-missing"]);
}

/// A deployed root module that needs aws, with nothing else to report.
const DEPLOYED: &str = "terraform {\n  required_version = \"~> 1.9\"\n  backend \"s3\" {}\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \"~> 5.46\" }\n  }\n}\n";

/// Three deployed roots, `envs/{dev,prod}` and `stacks/net`, and the
/// given `.gitignore` files.
fn three_roots(gitignores: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![
        ("envs/dev/main.tf", DEPLOYED),
        ("envs/prod/main.tf", DEPLOYED),
        ("stacks/net/main.tf", DEPLOYED),
    ];
    files.extend(gitignores);
    tree(&files)
}

/// (file, line, message) of each lock-missing finding.
fn lock_missing(found: &[(String, usize, String, String)]) -> Vec<(&str, usize, &str)> {
    found
        .iter()
        .filter(|f| f.2 == "lock-missing")
        .map(|f| (f.0.as_str(), f.1, f.3.as_str()))
        .collect()
}

#[test]
fn a_gitignore_that_keeps_lock_files_out_is_reported_once_at_its_line() {
    let t = three_roots(&[(
        ".gitignore",
        "# Terraform\n**/.terraform/*\n*.tfstate\n.terraform.lock.hcl\n",
    )]);
    let (found, report) = lock_report(t.path(), &Settings::default());
    assert_eq!(
        lock_missing(&found),
        [(
            ".gitignore",
            4,
            "`.gitignore` ignores .terraform.lock.hcl, so the root modules it covers have no lock file"
        )]
    );
    // Each root is marked, and the fix is said once.
    let f = (report.findings.iter())
        .find(|f| f.rule == "lock-missing")
        .unwrap();
    let labels: Vec<&str> = f.labels.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(
        labels,
        [
            "root module `envs/dev` needs provider \"hashicorp/aws\"",
            "root module `envs/prod` needs provider \"hashicorp/aws\"",
            "root module `stacks/net` needs provider \"hashicorp/aws\"",
        ]
    );
    assert!(f
        .help
        .as_deref()
        .unwrap()
        .starts_with("remove this pattern"));
    // The .gitignore is read, not counted as a Terraform file checked.
    assert_eq!(report.summary().files, 3);
}

#[test]
fn gitignore_patterns_decide_as_git_decides() {
    // (the .gitignore files, the lock-missing findings they lead to)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [(&'a str, usize, &'a str)]);
    let cases: &[Case] = &[
        // Patterns that reach every root.
        (
            &[(".gitignore", "*.lock.hcl\n")],
            &[(".gitignore", 1, "`.gitignore` ignores .terraform.lock.hcl, so the root modules it covers have no lock file")],
        ),
        (
            &[(".gitignore", "**/.terraform.lock.hcl\n")],
            &[(".gitignore", 1, "`.gitignore` ignores .terraform.lock.hcl, so the root modules it covers have no lock file")],
        ),
        // Anchored to a directory: the others hear of their lock file
        // each, as before.
        (
            &[(".gitignore", "/envs/*/.terraform.lock.hcl\n")],
            &[
                (".gitignore", 1, "`.gitignore` ignores .terraform.lock.hcl, so the root modules it covers have no lock file"),
                ("stacks/net/main.tf", 5, "root module `stacks/net` has no .terraform.lock.hcl for provider \"hashicorp/aws\""),
            ],
        ),
        // A nested .gitignore takes one root back.
        (
            &[
                (".gitignore", ".terraform.lock.hcl\n"),
                ("envs/prod/.gitignore", "# committed here\n!.terraform.lock.hcl\n"),
            ],
            &[
                (".gitignore", 1, "`.gitignore` ignores .terraform.lock.hcl, so the root modules it covers have no lock file"),
                ("envs/prod/main.tf", 5, "root module `envs/prod` has no .terraform.lock.hcl for provider \"hashicorp/aws\""),
            ],
        ),
        // Two lines, in two files, each its own policy.
        (
            &[
                (".gitignore", "/stacks/**/.terraform.lock.hcl\n"),
                ("envs/.gitignore", "*.lock.hcl\n"),
            ],
            &[
                (".gitignore", 1, "`.gitignore` ignores .terraform.lock.hcl, so the root modules it covers have no lock file"),
                ("envs/.gitignore", 1, "`envs/.gitignore` ignores .terraform.lock.hcl, so the root modules it covers have no lock file"),
            ],
        ),
        // Negated last, a pattern for directories only, or a comment: the
        // lock files are not ignored.
        (
            &[(".gitignore", "*.hcl\n!.terraform.lock.hcl\n.terraform.lock.hcl/\n# .terraform.lock.hcl\n")],
            &[
                ("envs/dev/main.tf", 5, "root module `envs/dev` has no .terraform.lock.hcl for provider \"hashicorp/aws\""),
                ("envs/prod/main.tf", 5, "root module `envs/prod` has no .terraform.lock.hcl for provider \"hashicorp/aws\""),
                ("stacks/net/main.tf", 5, "root module `stacks/net` has no .terraform.lock.hcl for provider \"hashicorp/aws\""),
            ],
        ),
    ];
    for (gitignores, want) in cases {
        let t = three_roots(gitignores);
        assert_eq!(
            lock_missing(&lock_findings(t.path())),
            *want,
            "{gitignores:?}"
        );
    }
}

#[test]
fn per_root_reports_each_root_and_marks_the_line() {
    let t = three_roots(&[
        (".gitignore", ".terraform.lock.hcl\n"),
        (
            ".tfpin.hcl",
            "rule \"lock-missing\" {\n  per_root = true\n}\n",
        ),
    ]);
    let settings = tfpin::config::load(&t.path().join(".tfpin.hcl"), ".tfpin.hcl").unwrap();
    let (found, report) = lock_report(t.path(), &settings);
    let files: Vec<&str> = lock_missing(&found).iter().map(|f| f.0).collect();
    assert_eq!(
        files,
        [
            "envs/dev/main.tf",
            "envs/prod/main.tf",
            "stacks/net/main.tf"
        ]
    );
    for f in report.findings.iter().filter(|f| f.rule == "lock-missing") {
        let label = &f.labels[0];
        assert_eq!(label.message, "this line keeps it out of the repository");
        let file = report.workspace.sources.get(label.span.file);
        assert_eq!(
            (file.display.as_str(), file.slice(&label.span.range)),
            (".gitignore", ".terraform.lock.hcl")
        );
    }
}

#[test]
fn a_root_with_its_lock_file_is_no_part_of_the_policy() {
    let lock = "provider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.46.0\"\n  constraints = \"~> 5.46\"\n  hashes = [\n    \"zh:01cfb11cb74654c003f6d4e32bbef8f5969ee2856394a96d127da4949c65153e\",\n  ]\n}\n";
    let t = three_roots(&[
        (".gitignore", ".terraform.lock.hcl\n"),
        ("envs/dev/.terraform.lock.hcl", lock),
        ("envs/prod/.terraform.lock.hcl", lock),
    ]);
    assert_eq!(
        lock_missing(&lock_findings(t.path())),
        [(
            ".gitignore",
            1,
            "`.gitignore` ignores .terraform.lock.hcl, so the root modules it covers have no lock file"
        )]
    );
}
