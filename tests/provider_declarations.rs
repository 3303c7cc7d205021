//! The provider declaration rules on whole trees: a realistic, well-declared
//! root with aliases, a child module with `configuration_aliases`, a data
//! source and a provider function yields nothing; a tree with each mistake
//! yields exactly the findings it should.

use std::path::{Path, PathBuf};
use tfpin::config::Settings;

const RULES: &[&str] = &[
    "provider-block-version",
    "provider-not-declared",
    "provider-source-missing",
    "provider-unused",
    "provider-version-missing",
    "terraform-version-missing",
];

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/provider-declarations")
        .join(case)
}

/// (file, line, rule, severity, message) of every finding of these rules.
fn findings(case: &str) -> Vec<(String, usize, String, String, String)> {
    let root = fixture(case);
    let report = tfpin::check(&root, std::slice::from_ref(&root), &Settings::default()).unwrap();
    report
        .findings
        .iter()
        .filter(|f| RULES.contains(&f.rule))
        .map(|f| {
            let file = report.workspace.sources.get(f.span.file);
            (
                file.display.clone(),
                file.line_col(f.span.range.start).line,
                f.rule.to_string(),
                f.severity.to_string(),
                f.message.clone(),
            )
        })
        .collect()
}

#[test]
fn a_well_declared_tree_has_no_findings() {
    assert_eq!(findings("clean"), []);
}

#[test]
fn each_declaration_mistake_is_found_once_where_it_is() {
    let got = findings("bad");
    let want: Vec<(String, usize, String, String, String)> = [
        (
            "main.tf",
            1,
            "terraform-version-missing",
            "warning",
            "root module has no required_version in any terraform block",
        ),
        (
            "main.tf",
            3,
            "provider-source-missing",
            "warning",
            "provider \"aws\" has no source (legacy string form); Terraform assumes hashicorp/aws",
        ),
        (
            "main.tf",
            4,
            "provider-source-missing",
            "error",
            "provider \"datadog\" has no source and would be looked up as hashicorp/datadog; \
             it is published as DataDog/datadog",
        ),
        (
            "main.tf",
            7,
            "provider-unused",
            "warning",
            "provider \"random\" is required but nothing in this module uses it",
        ),
        (
            "main.tf",
            7,
            "provider-version-missing",
            "warning",
            "provider \"random\" has no version constraint",
        ),
        (
            "main.tf",
            15,
            "provider-block-version",
            "warning",
            "provider \"aws\" block sets version, which is deprecated",
        ),
        (
            "main.tf",
            22,
            "provider-not-declared",
            "warning",
            "provider \"tls\" is used by resource \"tls_private_key\" \"ca\" and 1 other place \
             but is not declared in required_providers",
        ),
        (
            "modules/alerts/main.tf",
            21,
            "provider-not-declared",
            "warning",
            "provider \"pagerduty\" is used by resource \"pagerduty_service\" \"oncall\" but is \
             not declared in required_providers",
        ),
    ]
    .iter()
    .map(|(f, l, r, s, m)| {
        (
            f.to_string(),
            *l,
            r.to_string(),
            s.to_string(),
            m.to_string(),
        )
    })
    .collect();
    assert_eq!(got, want);
}

#[test]
fn an_undeclared_provider_is_reported_once_with_its_other_uses_as_labels() {
    let root = fixture("bad");
    let report = tfpin::check(&root, std::slice::from_ref(&root), &Settings::default()).unwrap();
    let tls = report
        .findings
        .iter()
        .find(|f| f.rule == "provider-not-declared" && f.message.contains("\"tls\""))
        .unwrap();
    let labels: Vec<(usize, &str)> = tls
        .labels
        .iter()
        .map(|l| {
            let file = report.workspace.sources.get(l.span.file);
            (file.line_col(l.span.range.start).line, l.message.as_str())
        })
        .collect();
    assert_eq!(
        labels,
        [(26, "also used by resource \"tls_self_signed_cert\" \"ca\"")]
    );
    assert_eq!(
        tls.help.as_deref(),
        Some(
            "add tls = { source = \"hashicorp/tls\", version = \"...\" } to terraform { \
             required_providers { } } in this module"
        )
    );
}

/// A root declares a provider only to bound the version its children get:
/// through a wrapper module, or through a call with a `providers` map.
/// Neither is unused; a child that needs something else does not count.
#[test]
fn a_requirement_kept_for_child_modules_is_in_use() {
    let d = tempfile::tempdir().unwrap();
    let files = [
        (
            "main.tf",
            r#"
terraform {
  required_version = "~> 1.9"
  required_providers {
    aws    = { source = "hashicorp/aws", version = "~> 5.0" }
    random = { source = "hashicorp/random", version = "~> 3.6" }
    null   = { source = "hashicorp/null", version = "~> 3.2" }
  }
}

module "wrapper" {
  source = "./modules/wrapper"
}

module "names" {
  source    = "./modules/names"
  providers = { aws = aws }
}
"#,
        ),
        (
            "modules/wrapper/main.tf",
            "module \"inner\" {\n  source = \"../inner\"\n}\n",
        ),
        (
            "modules/inner/main.tf",
            "resource \"aws_sns_topic\" \"t\" {\n  name = \"t\"\n}\n",
        ),
        (
            "modules/names/main.tf",
            r#"
terraform {
  required_providers {
    random = { source = "hashicorp/random", version = ">= 3.0" }
  }
}

resource "random_pet" "name" {}
"#,
        ),
    ];
    for (name, body) in files {
        let p = d.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    let root = d.path().to_path_buf();
    let report = tfpin::check(&root, std::slice::from_ref(&root), &Settings::default()).unwrap();
    let unused: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| f.rule == "provider-unused")
        .map(|f| (f.module.clone(), f.message.clone()))
        .collect();
    // aws: used by modules/inner through the wrapper. random: declared by
    // modules/names, reached through a providers map. Only null is unused.
    assert_eq!(
        unused,
        [(
            ".".to_string(),
            "provider \"null\" is required but nothing in this module uses it".to_string()
        )]
    );
}
