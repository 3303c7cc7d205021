//! `tfpin providers`: the audit view, in both formats.

use assert_cmd::Command;
use std::path::Path;

mod common;

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("tfpin")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/multi-region")
}

#[test]
fn text_view_of_the_example() {
    let (code, out, err) = run(&example(), &["providers"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("providers_text", out);
}

#[test]
fn json_view_of_the_example() {
    let (code, out, err) = run(&example(), &["providers", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let prod = &v["roots"][0];
    assert_eq!(prod["root"], "envs/prod");
    assert_eq!(prod["role"], "deployed-root");
    assert_eq!(prod["role_reason"], "has a `backend \"s3\"` block");
    assert_eq!(prod["modules"][1]["place"], "child");
    assert_eq!(prod["modules"][1]["role"], "reusable-module");
    let aws = &prod["providers"][0];
    assert_eq!(aws["address"], "registry.terraform.io/hashicorp/aws");
    assert_eq!(aws["effective"], ">= 4.0.0, >= 5.0.0");
    assert_eq!(aws["bounded"], false);
    assert_eq!(aws["locked"], "4.67.0");
    assert_eq!(aws["satisfied"], false);
    assert_eq!(aws["requirements"].as_array().unwrap().len(), 3);
    // The default configuration's region comes from terraform.tfvars, which
    // overrides the variable's default.
    let default = &prod["configurations"][0];
    assert_eq!(default["provider"], "aws");
    assert_eq!(default["region"], "eu-central-1");
    assert_eq!(default["region_from"], "envs/prod/terraform.tfvars:1");
    insta::assert_json_snapshot!("providers_json", v);
}

#[test]
fn regions_passed_into_child_modules_are_resolved_per_call() {
    let d = tempfile::tempdir().unwrap();
    let w = |p: &str, s: &str| common::write(d.path(), &[(p, s)]);
    w(
        "main.tf",
        "module \"eu\" {\n  source = \"./regional\"\n  region = \"eu-west-1\"\n}\nmodule \"us\" {\n  source = \"./regional\"\n  region = var.us\n}\nvariable \"us\" {\n  default = \"us-east-2\"\n}\n",
    );
    w(
        "regional/main.tf",
        "variable \"region\" {}\nprovider \"aws\" {\n  region = var.region\n}\n",
    );
    let (code, out, _) = run(d.path(), &["providers", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let configs: Vec<(String, String)> = v["roots"][0]["configurations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["instance"].as_str().unwrap().to_string(),
                c["region"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    assert_eq!(
        configs,
        [
            ("module.eu".to_string(), "eu-west-1".to_string()),
            ("module.us".to_string(), "us-east-2".to_string())
        ]
    );
}

/// A stack is listed as one, with each deployment's provider
/// configurations and the regions its inputs give them.
#[test]
fn a_stack_is_listed_with_its_deployments() {
    let d = tempfile::tempdir().unwrap();
    common::write(
        d.path(),
        &[
            ("web/main.tfcomponent.hcl", common::STACK_COMPONENT),
            (
                "web/prod.tfdeploy.hcl",
                r#"deployment "eu" {
  inputs = {
    region = "eu-west-1"
  }
}

deployment "us" {
  inputs = {
    region = "us-east-1"
  }
}
"#,
            ),
            (
                "web/site/main.tf",
                "resource \"aws_s3_bucket\" \"site\" {\n  bucket = \"site\"\n}\n",
            ),
        ],
    );
    let (code, out, err) = run(d.path(), &["providers"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("providers_stack_text", out);
    let (code, out, err) = run(d.path(), &["providers", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["roots"][0]["kind"], "stack");
}
