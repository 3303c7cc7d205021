//! Which files each engine reads: tfpin's picture of a module directory
//! must be the engines' own (see `src/fileset.rs` for the loaders it
//! follows).

mod common;

use common::{check, check_for, findings, module_dirs, write};

/// A root module that no rule has anything to say about.
const MAIN: &str = "terraform {\n  required_version = \"~> 1.9\"\n}\n\nvariable \"x\" {}\n";

/// Variables files that neither engine loads without `-var-file` are not
/// read at all, so a placeholder in an example file is no parse error.
#[test]
fn variables_files_that_are_not_loaded_are_not_read() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("main.tf", MAIN),
            ("access_context.auto.example.tfvars", "x = ACCESS_CONTEXT\n"),
            ("prod.tfvars", "x = [\n"),
            ("terraform.tfvars.example", "x = {\n"),
            ("eu.auto.tfvars", "x = \"eu\"\n"),
        ],
    );
    let r = check(d.path());
    assert_eq!(findings(&r), Vec::<(String, String, String)>::new());
    let read: Vec<&str> = r
        .workspace
        .sources
        .iter()
        .map(|(_, f)| f.display.as_str())
        .collect();
    assert_eq!(read, ["eu.auto.tfvars", "main.tf"]);
}

/// A variables file that is loaded is still parsed, and its errors are
/// still found.
#[test]
fn a_loaded_variables_file_that_does_not_parse_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[("main.tf", MAIN), ("terraform.tfvars", "x = PLACEHOLDER\n")],
    );
    let f = findings(&check(d.path()));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "parse-error");
    assert_eq!(f[0].1, "terraform.tfvars");
}

/// A dangling symlink where an engine loads a file is one finding that
/// names the link and its missing target; one elsewhere is nothing.
#[cfg(unix)]
#[test]
fn a_dangling_auto_loaded_variables_file_is_one_finding() {
    use std::os::unix::fs::symlink;
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("main.tf", MAIN)]);
    symlink("../shared/eu.tfvars", d.path().join("eu.auto.tfvars")).unwrap();
    symlink("missing.md", d.path().join("README.md")).unwrap();
    symlink("example.tfvars", d.path().join("dev.tfvars")).unwrap();
    // Terraform skips these when they lead nowhere.
    symlink("../shared/t.tfvars", d.path().join("terraform.tfvars")).unwrap();
    symlink("../shared/t.json", d.path().join("terraform.tfvars.json")).unwrap();
    for paths in [vec![d.path().to_path_buf()], vec![d.path().join("main.tf")]] {
        let r = tfpin::check(d.path(), &paths, &tfpin::config::Settings::default()).unwrap();
        let f = findings(&r);
        assert_eq!(
            f,
            [(
                "file-unreadable".to_string(),
                "eu.auto.tfvars".to_string(),
                "automatically loaded variables file `eu.auto.tfvars` is a symlink to \
                 `../shared/eu.tfvars`, which does not exist; terraform plan fails on it"
                    .to_string()
            )]
        );
    }
}

/// Terraform reads no `.tofu` file; a directory with nothing else is no
/// module to it.
#[test]
fn terraform_reads_no_opentofu_file() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "a/main.tf",
                "terraform {\n  required_version = \"~> 1.9\"\n}\n",
            ),
            (
                "a/versions.tofu",
                "terraform {\n  required_version = [\n}\n",
            ),
            (
                "b/main.tofu",
                "terraform {\n  required_version = \"~> 1.9\"\n}\n",
            ),
        ],
    );
    let r = check_for(d.path(), tfpin::fileset::EngineChoice::Terraform);
    assert_eq!(module_dirs(&r), ["a"]);
    assert!(findings(&r).iter().all(|f| f.0 != "parse-error"));
    // Left to decide, tfpin sees that `a` and `b` are OpenTofu's, and
    // reads their `.tofu` files as OpenTofu does.
    let r = check(d.path());
    let broken: Vec<_> = findings(&r)
        .into_iter()
        .filter(|f| f.0 == "parse-error")
        .map(|f| f.1)
        .collect();
    assert_eq!(broken, ["a/versions.tofu"]);
}

/// A module in which every `.tofu` file has a `.tf` twin is written for
/// both engines: each reading sees its own twin, never both at once.
#[test]
fn twins_are_read_apart_not_merged() {
    let d = tempfile::tempdir().unwrap();
    let versions = |v: &str, core: &str| {
        format!(
            "terraform {{\n  required_version = \"{core}\"\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \"{v}\"\n    }}\n  }}\n  backend \"s3\" {{}}\n}}\n"
        )
    };
    let providers = "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nprovider \"aws\" {\n  alias  = \"us\"\n  region = \"us-east-1\"\n}\n";
    let main = "resource \"aws_s3_bucket\" \"a\" {}\n\nresource \"aws_s3_bucket\" \"b\" {\n  provider = aws.us\n}\n";
    write(
        d.path(),
        &[
            ("versions.tf", &versions("~> 5.0", "~> 1.9")),
            ("versions.tofu", &versions("~> 6.0", ">= 1.8")),
            ("providers.tf", providers),
            ("providers.tofu", providers),
            ("main.tf", main),
        ],
    );
    let r = check(d.path());
    let f = findings(&r);
    // No merged constraints, and no provider block counted twice.
    assert!(
        f.iter()
            .all(|f| f.0 != "provider-version-unsatisfiable" && f.0 != "provider-alias-duplicate"),
        "{f:#?}"
    );
    // The unbounded required_version is OpenTofu's alone, and says so.
    let unbounded: Vec<_> = f
        .iter()
        .filter(|f| f.0 == "terraform-version-unbounded")
        .collect();
    assert_eq!(unbounded.len(), 1, "{f:#?}");
    assert_eq!(unbounded[0].1, "versions.tofu");
    assert!(
        unbounded[0].2.ends_with(" (OpenTofu only)"),
        "{}",
        unbounded[0].2
    );
    // Both readings miss the lock file, each at its own twin: one
    // finding, at Terraform's place, with OpenTofu's as a label.
    let lock: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "lock-missing")
        .collect();
    assert_eq!(lock.len(), 1, "{f:#?}");
    assert!(!lock[0].message.contains(" only)"), "{}", lock[0].message);
    assert_eq!(
        r.workspace.sources.get(lock[0].span.file).display,
        "versions.tf"
    );
    let label = &lock[0].labels[0];
    assert_eq!(
        r.workspace.sources.get(label.span.file).display,
        "versions.tofu"
    );
    assert_eq!(label.message, "the same in OpenTofu's reading");
    assert_eq!(
        r.roots
            .iter()
            .map(|x| (x.module.as_str(), x.engines.ids()))
            .collect::<Vec<_>>(),
        [(".", vec!["terraform", "opentofu"])]
    );
    // Checked as Terraform alone, the OpenTofu files are not read.
    let settings = tfpin::config::Settings {
        engine: tfpin::fileset::EngineChoice::Terraform,
        ..Default::default()
    };
    let r = tfpin::check(d.path(), &[d.path().to_path_buf()], &settings).unwrap();
    let f = findings(&r);
    assert!(f.iter().all(|f| !f.1.ends_with(".tofu")), "{f:#?}");
    assert!(f.iter().all(|f| !f.2.contains(" only)")), "{f:#?}");
}

/// A `.tofu` file without a twin makes the tree OpenTofu's: it is read
/// the OpenTofu way only, and a finding only Terraform's reading would
/// have (here, a requirement the `.tofu` file supplies) is not reported.
#[test]
fn a_tofu_file_without_a_twin_makes_the_tree_opentofus() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "versions.tofu",
                "terraform {\n  required_version = \"~> 1.9\"\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n",
            ),
            ("main.tf", "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n"),
        ],
    );
    let r = check(d.path());
    assert_eq!(r.roots.len(), 1);
    assert_eq!(r.roots[0].engines.ids(), ["opentofu"]);
    assert!(
        r.roots[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("without a `.tf` twin"),
        "{:?}",
        r.roots[0].reason
    );
    // The one finding is about the requirement in the `.tofu` file.
    assert_eq!(
        findings(&r),
        [(
            "lock-missing".to_string(),
            "versions.tofu".to_string(),
            "root module `.` has no .terraform.lock.hcl for provider \"hashicorp/aws\"".to_string()
        )]
    );
    // The same tree as Terraform reads it has neither constraint.
    let settings = tfpin::config::Settings {
        engine: tfpin::fileset::EngineChoice::Terraform,
        ..Default::default()
    };
    let r = tfpin::check(d.path(), &[d.path().to_path_buf()], &settings).unwrap();
    let rules: Vec<String> = findings(&r).into_iter().map(|f| f.0).collect();
    assert!(
        rules.contains(&"terraform-version-missing".to_string()),
        "{rules:?}"
    );
}

/// In OpenTofu's reading a source without a hostname is in OpenTofu's
/// registry (`internal/addrs/provider.go`), and a lock file there matches
/// it exactly.
#[test]
fn opentofu_resolves_short_sources_in_its_own_registry() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[(
            "main.tf",
            "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n",
        )],
    );
    let settings = tfpin::config::Settings {
        engine: tfpin::fileset::EngineChoice::OpenTofu,
        ..Default::default()
    };
    let (ws, _) = tfpin::engine::load(d.path(), &[d.path().to_path_buf()], &settings).unwrap();
    let addr = ws.modules[0].config.required_providers[0]
        .address
        .as_ref()
        .unwrap()
        .to_string();
    assert_eq!(addr, "registry.opentofu.org/hashicorp/aws");
    let (ws, _) = tfpin::engine::load(
        d.path(),
        &[d.path().to_path_buf()],
        &tfpin::config::Settings::default(),
    )
    .unwrap();
    let addr = ws.modules[0].config.required_providers[0]
        .address
        .as_ref()
        .unwrap()
        .to_string();
    assert_eq!(addr, "registry.terraform.io/hashicorp/aws");
}

/// `tfpin providers` lists a root written for both engines once for each,
/// with each reading's own constraints and registry.
#[test]
fn providers_lists_each_engines_reading() {
    let d = tempfile::tempdir().unwrap();
    let versions = |v: &str| {
        format!("terraform {{\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \"{v}\"\n    }}\n  }}\n}}\n")
    };
    write(
        d.path(),
        &[
            ("versions.tf", &versions("~> 5.0")),
            ("versions.tofu", &versions("~> 6.0")),
        ],
    );
    let readings = tfpin::engine::load_readings(
        d.path(),
        &[d.path().to_path_buf()],
        &tfpin::config::Settings::default(),
    )
    .unwrap();
    let view = tfpin::output::providers::build(&readings);
    let seen: Vec<(&str, &str, &str, &str)> = view
        .roots
        .iter()
        .map(|r| {
            let p = &r.providers[0];
            (
                r.root.as_str(),
                r.engine,
                p.address.as_str(),
                p.effective.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                ".",
                "terraform",
                "registry.terraform.io/hashicorp/aws",
                "~> 5.0"
            ),
            (
                ".",
                "opentofu",
                "registry.opentofu.org/hashicorp/aws",
                "~> 6.0"
            ),
        ]
    );
    let text = tfpin::output::providers::render_text(&view);
    assert!(text.starts_with(". (root, Terraform)\n"), "{text}");
    assert!(text.contains("\n. (root, OpenTofu)\n"), "{text}");
}

/// Test, mock and query files are not module configuration: their
/// `provider`, `mock_provider`, `override_*` and `run` blocks never count
/// as the module's (a query's `list` block only uses a provider), and a
/// `tests/` directory of them is no module.
#[test]
fn test_mock_and_query_files_are_not_configuration() {
    let d = tempfile::tempdir().unwrap();
    let test = r#"
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

mock_provider "google" {}

override_resource {
  target = aws_s3_bucket.b
}

run "plan" {
  command   = plan
  providers = {
    aws = aws.west
  }
}
"#;
    let query = "list \"aws_instance\" \"all\" {\n  provider = aws\n}\n";
    write(
        d.path(),
        &[
            ("main.tf", MAIN),
            ("main.tftest.hcl", test),
            ("tests/a.tftest.hcl", test),
            ("tests/b.tofutest.hcl", test),
            ("tests/c.tftest.json", "{\"run\": {\"x\": {}}}"),
            (
                "tests/mocks/aws.tfmock.hcl",
                "mock_resource \"aws_s3_bucket\" {}\n",
            ),
            ("search.tfquery.hcl", query),
        ],
    );
    let r = check(d.path());
    assert_eq!(findings(&r), Vec::<(String, String, String)>::new());
    let modules: Vec<&str> = r
        .workspace
        .modules
        .iter()
        .map(|m| m.display.as_str())
        .collect();
    assert_eq!(modules, ["."]);
}

/// A query file's `list` blocks run with the module's providers
/// (`terraform query`, Terraform 1.14): an alias or a requirement they
/// alone use is used, a configuration the query file defines itself is no
/// reference to the module's, and an alias nothing defines is reported
/// where the `list` block names it. OpenTofu reads no query files.
#[test]
fn the_list_blocks_of_query_files_use_providers() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"terraform {
  required_version = "~> 1.14"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "eu"
  region = "eu-central-1"
}

resource "aws_s3_bucket" "b" {}
"#;
    let query = r#"provider "google" {
  alias = "q"
}

list "aws_instance" "all" {
  provider = aws.eu
}

list "google_compute_instance" "all" {
  provider = google.q
}

list "aws_instance" "old" {
  provider = aws.gone
}
"#;
    write(
        d.path(),
        &[
            ("main.tf", main),
            ("search.tfquery.hcl", query),
            (".gitignore", ".terraform.lock.hcl\n"),
        ],
    );
    let r = check_for(d.path(), tfpin::fileset::EngineChoice::Terraform);
    let got: Vec<(String, String, String)> = findings(&r)
        .into_iter()
        .filter(|(rule, _, _)| rule != "lock-missing")
        .collect();
    assert_eq!(
        got,
        [(
            "provider-alias-undefined".to_string(),
            "search.tfquery.hcl".to_string(),
            "list block of a query file refers to provider configuration aws.gone, which this module does not define".to_string(),
        )]
    );
    // Without the query file, the alias and the requirement are unused.
    let r = check_for(d.path(), tfpin::fileset::EngineChoice::OpenTofu);
    let rules: Vec<String> = findings(&r).into_iter().map(|(rule, _, _)| rule).collect();
    assert!(
        rules.contains(&"provider-alias-unused".to_string()),
        "{rules:?}"
    );
    assert!(rules.contains(&"provider-unused".to_string()), "{rules:?}");
}

/// OpenTofu evaluates variables and locals in a module's `source` and
/// `version` (`internal/configs/module_call.go`); in its reading the
/// pinning rules judge the value, and a value tfpin cannot know is a note.
#[test]
fn opentofu_judges_module_sources_by_their_static_value() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"
variable "vpc_source" {
  default = "git::https://example.com/vpc.git"
}

variable "unknown_source" {}

locals {
  vpc_version = "~> 5"
  no_version  = null
}

module "unversioned" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = local.no_version
}

module "vpc" {
  source = var.vpc_source
}

module "registry" {
  source  = "terraform-aws-modules/vpc/aws"
  version = local.vpc_version
}

module "later" {
  source = var.unknown_source
}
"#;
    let versions = "terraform {\n  required_version = \"~> 1.9\"\n}\n";
    write(d.path(), &[("main.tf", main), ("versions.tofu", versions)]);
    let as_engine = |engine| {
        let settings = tfpin::config::Settings {
            engine,
            ..Default::default()
        };
        let r = tfpin::check(d.path(), &[d.path().to_path_buf()], &settings).unwrap();
        let mut f: Vec<(String, String, String)> = r
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.to_string(),
                    f.severity.as_str().to_string(),
                    f.message.clone(),
                )
            })
            .collect();
        f.sort();
        f
    };
    let tofu = as_engine(tfpin::fileset::EngineChoice::OpenTofu);
    let rules: Vec<(&str, &str)> = tofu.iter().map(|f| (f.0.as_str(), f.1.as_str())).collect();
    assert_eq!(
        rules,
        [
            ("module-source-invalid", "note"),
            ("module-source-unpinned", "error"),
            ("module-version-missing", "error"),
            ("module-version-unbounded", "warning"),
        ],
        "{tofu:#?}"
    );
    assert!(tofu[0]
        .2
        .contains("module \"later\" source cannot be known statically"));
    assert!(tofu[1]
        .2
        .starts_with("module \"vpc\" source \"git::https://example.com/vpc.git\" has no ref"));
    assert!(
        tofu[2].2.contains("module \"unversioned\""),
        "{}",
        tofu[2].2
    );
    assert!(tofu[3].2.contains("module \"registry\" version \"~> 5\""));
    // Terraform rejects all three expressions.
    let tf = as_engine(tfpin::fileset::EngineChoice::Terraform);
    let rejected: Vec<&str> = tf
        .iter()
        .filter(|f| f.2.contains("is an expression") || f.2.contains("must be a literal"))
        .map(|f| f.0.as_str())
        .collect();
    assert_eq!(
        rejected,
        [
            "constraint-invalid",
            "constraint-invalid",
            "module-source-invalid",
            "module-source-invalid"
        ],
        "{tf:#?}"
    );
    assert!(
        tf.iter().all(|f| f.0 != "module-source-unpinned"),
        "{tf:#?}"
    );
}

/// OpenTofu 1.12 and later obey `required_version` only in `.tofu` files,
/// and `language { compatible_with { opentofu } }` anywhere
/// (`internal/configs/diagnostics.go`); Terraform obeys every
/// `required_version` and reads no `language` block.
#[test]
fn each_engine_obeys_its_own_version_constraints() {
    let d = tempfile::tempdir().unwrap();
    // Deployed roots (they have a backend), which the version rules judge.
    let tf_only = "terraform {\n  required_version = \">= 1.6\"\n  backend \"s3\" {}\n}\n";
    let lang = "language {\n  compatible_with {\n    opentofu = \"~> 1.12\"\n  }\n}\n";
    write(
        d.path(),
        &[
            ("a/versions.tf", tf_only),
            ("b/versions.tf", tf_only),
            ("b/language.tf", lang),
        ],
    );
    let settings = tfpin::config::Settings {
        engine: tfpin::fileset::EngineChoice::OpenTofu,
        ..Default::default()
    };
    let r = tfpin::check(d.path(), &[d.path().to_path_buf()], &settings).unwrap();
    let f: Vec<(String, String)> = findings(&r)
        .into_iter()
        .filter(|f| f.0.starts_with("terraform-version"))
        .map(|f| (f.1, f.2))
        .collect();
    assert_eq!(
        f,
        [(
            "a/versions.tf".to_string(),
            "root module's required_version is only in .tf files, which OpenTofu 1.12 and later ignore"
                .to_string()
        )],
        "b obeys its language block, which is bounded"
    );
}

/// OpenTofu carries a lock entry of Terraform's registry over to the same
/// provider in its own, for HashiCorp's namespace only
/// (`internal/depsfile/locks.go`, `UpgradeFromPredecessorProject`).
#[test]
fn opentofu_takes_over_terraforms_lock_entries_for_hashicorp_providers() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"terraform {
  required_version = "~> 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    github = {
      source  = "integrations/github"
      version = "~> 6.0"
    }
  }
}
"#;
    let entry = |addr: &str, v: &str, c: &str| {
        format!("provider \"{addr}\" {{\n  version     = \"{v}\"\n  constraints = \"{c}\"\n  hashes = [\n    \"zh:00\",\n  ]\n}}\n\n")
    };
    let lock = entry("registry.terraform.io/hashicorp/aws", "5.31.0", "~> 5.0")
        + &entry(
            "registry.terraform.io/integrations/github",
            "6.2.0",
            "~> 6.0",
        );
    write(
        d.path(),
        &[
            ("versions.tofu", main),
            (".terraform.lock.hcl", lock.as_str()),
        ],
    );
    let r = check(d.path());
    assert_eq!(r.roots[0].engines.ids(), ["opentofu"]);
    let lock_findings: Vec<(String, String)> = findings(&r)
        .into_iter()
        .filter(|f| f.0.starts_with("lock-provider"))
        .map(|f| (f.0, f.2))
        .collect();
    assert_eq!(
        lock_findings,
        [
            (
                "lock-provider-stale".to_string(),
                "lock entry for provider \"registry.terraform.io/integrations/github\" is not needed by any module of root module `.`".to_string()
            ),
            (
                "lock-provider-missing".to_string(),
                "provider \"integrations/github\" has no entry in the lock file of root module `.`".to_string()
            ),
        ]
    );
}

/// In OpenTofu's reading a local source given by a variable or local is
/// followed to its module, which is then a child, with the caller's
/// arguments; one that leads nowhere is reported like a literal one.
#[test]
fn opentofu_follows_a_local_source_given_by_an_expression() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"
variable "network_source" {
  default = "./modules/network"
}

locals {
  dns_source = "./modules/dns"
}

module "network" {
  source = var.network_source
  region = "eu-west-1"
}

module "dns" {
  source = local.dns_source
}
"#;
    let network = "variable \"region\" {}\n\noutput \"region\" {\n  value = var.region\n}\n";
    write(
        d.path(),
        &[
            (
                "versions.tofu",
                "terraform {\n  required_version = \"~> 1.9\"\n}\n",
            ),
            ("main.tf", main),
            ("modules/network/main.tf", network),
        ],
    );
    let r = check(d.path());
    // The tree is OpenTofu's alone, so the report is of OpenTofu's reading.
    assert_eq!(r.workspace.engine, tfpin::fileset::Engine::OpenTofu);
    let roles: Vec<(&str, bool)> = r
        .workspace
        .modules
        .iter()
        .map(|m| (m.display.as_str(), m.is_root()))
        .collect();
    assert_eq!(roles, [(".", true), ("modules/network", false)]);
    let f = findings(&r);
    let missing: Vec<&(String, String, String)> = f
        .iter()
        .filter(|f| f.0 == "module-source-missing")
        .collect();
    assert_eq!(missing.len(), 1, "{f:#?}");
    assert!(
        missing[0].2.contains("\"./modules/dns\" does not exist"),
        "{}",
        missing[0].2
    );
    // The child's variable has the caller's value.
    use tfpin::model::values::{CliValues, Values};
    let values = Values::build(&r.workspace, &CliValues::default());
    let child = r
        .workspace
        .modules
        .iter()
        .find(|m| m.display == "modules/network")
        .unwrap();
    let i = values.instances_of(child.id).next().unwrap();
    assert_eq!(
        values.variable(i, "region").value,
        tfpin::eval::Value::String("eu-west-1".into())
    );
}

/// A check of a Terraform tree and an OpenTofu one together reports on
/// both in every format: JUnit has a suite for each module checked, in
/// whichever engine's reading it was read.
#[test]
fn every_module_checked_has_its_junit_suite_whatever_its_engine() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("tf/main.tf", MAIN), ("tofu/main.tofu", MAIN)]);
    let r = check(d.path());
    assert_eq!(r.modules_checked, ["tf", "tofu"]);
    assert_eq!(r.summary().modules, 2);
    let junit = tfpin::output::junit::render(&r);
    for suite in ["<testsuite name=\"tf\"", "<testsuite name=\"tofu\""] {
        assert!(junit.contains(suite), "{suite}\n{junit}");
    }
}
