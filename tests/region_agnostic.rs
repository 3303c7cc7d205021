//! What runs in no region (`rules/data/region-agnostic-resources.txt`)
//! does not rely on where a provider configuration runs: the rules that ask
//! leave it out, and report what remains once per root.

mod common;
use common::write;

/// (file, line, message) of the findings of one rule in a tree.
fn of_rule(files: &[(&str, &str)], rule: &str) -> Vec<(String, usize, String)> {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), files);
    common::located(&common::check(d.path()))
        .into_iter()
        .filter(|f| f.3 == rule)
        .map(|f| (f.0, f.1, f.4))
        .collect()
}

const ALIASED_ONLY: &str = r#"terraform {
  backend "s3" {}
}

provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}
"#;

#[test]
fn a_default_used_only_by_global_things_is_no_finding() {
    let main = format!(
        "{ALIASED_ONLY}
data \"aws_caller_identity\" \"me\" {{}}
data \"aws_partition\" \"p\" {{}}
data \"aws_iam_policy_document\" \"d\" {{}}
resource \"aws_iam_role\" \"r\" {{}}
resource \"aws_route53_record\" \"www\" {{}}
resource \"aws_organizations_account\" \"a\" {{}}
resource \"aws_cloudfront_distribution\" \"cdn\" {{}}
module \"global\" {{
  source = \"./global\"
}}
"
    );
    let child = "resource \"aws_iam_policy\" \"p\" {}\nresource \"aws_iam_user\" \"u\" {}\n";
    let files = [("main.tf", main.as_str()), ("global/main.tf", child)];
    assert_eq!(of_rule(&files, "provider-default-missing"), []);
    assert_eq!(of_rule(&files, "provider-region-missing"), []);
}

#[test]
fn a_root_relying_on_the_default_is_one_finding_that_counts_what_relies() {
    let main = format!(
        "{ALIASED_ONLY}
resource \"aws_iam_role\" \"r\" {{}}
module \"net\" {{
  source = \"./net\"
}}
resource \"aws_sqs_queue\" \"q\" {{}}
resource \"aws_sqs_queue\" \"q2\" {{}}
"
    );
    let child = "resource \"aws_vpc\" \"v\" {}\nresource \"aws_subnet\" \"s\" {}\nresource \"aws_iam_role\" \"r\" {}\n";
    let files = [("main.tf", main.as_str()), ("net/main.tf", child)];
    assert_eq!(
        of_rule(&files, "provider-default-missing"),
        [(
            "main.tf".to_string(),
            11,
            "module \"net\" inherits the default configuration of provider \"aws\", which this \
             root module does not define (4 resources in 3 places rely on it)"
                .to_string()
        )]
    );
}

#[test]
fn one_resource_is_named_without_a_count() {
    let main = format!("{ALIASED_ONLY}\nresource \"aws_sqs_queue\" \"q\" {{}}\n");
    let found = of_rule(&[("main.tf", main.as_str())], "provider-default-missing");
    assert_eq!(
        found,
        [(
            "main.tf".to_string(),
            10,
            "resource \"aws_sqs_queue\" \"q\" uses the default configuration of provider \"aws\", \
             which this root module does not define"
                .to_string()
        )]
    );
}

/// An empty default `azurerm` configuration lacks what every resource
/// needs (its `features` block), so a global type does not make it safe.
#[test]
fn a_global_type_of_a_provider_without_regions_still_relies_on_the_default() {
    let main = r#"terraform {
  backend "azurerm" {}
}

provider "azurerm" {
  alias = "hub"
  features {}
}

resource "azurerm_role_assignment" "reader" {
  scope                = "/subscriptions/x"
  role_definition_name = "Reader"
  principal_id         = "p"
}
"#;
    let found = of_rule(&[("main.tf", main)], "provider-default-missing");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, 10);
}

#[test]
fn a_configuration_without_region_used_only_by_global_things_is_no_finding() {
    let main = r#"provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias   = "org"
  profile = "management"
}

resource "aws_organizations_account" "a" {
  provider = aws.org
  name     = "a"
  email    = "a@example.com"
}

data "aws_caller_identity" "org" {
  provider = aws.org
}
"#;
    assert_eq!(of_rule(&[("main.tf", main)], "provider-region-missing"), []);
    // One regional resource on it is enough.
    let regional =
        format!("{main}\nresource \"aws_s3_bucket\" \"b\" {{\n  provider = aws.org\n}}\n");
    assert_eq!(
        of_rule(&[("main.tf", regional.as_str())], "provider-region-missing")
            .iter()
            .map(|f| f.1)
            .collect::<Vec<_>>(),
        [5]
    );
    // So is a module the configuration is passed to.
    let passed = format!(
        "{main}\nmodule \"m\" {{\n  source    = \"./m\"\n  providers = {{ aws = aws.org }}\n}}\n"
    );
    let found = of_rule(
        &[
            ("main.tf", passed.as_str()),
            ("m/main.tf", "resource \"aws_sqs_queue\" \"q\" {}\n"),
        ],
        "provider-region-missing",
    );
    assert_eq!(found.iter().map(|f| f.1).collect::<Vec<_>>(), [5]);
}

/// A configuration nothing uses says nothing about what it is for: it is
/// still judged.
#[test]
fn an_unused_configuration_without_region_is_still_reported() {
    let main = "provider \"aws\" {\n  alias   = \"spare\"\n  profile = \"x\"\n}\n";
    assert_eq!(
        of_rule(&[("main.tf", main)], "provider-region-missing").len(),
        1
    );
}

#[test]
fn the_empty_default_of_a_deployed_root_is_not_reported_for_global_things() {
    let main = r#"terraform {
  backend "s3" {}
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}

resource "aws_sqs_queue" "q" {
  name = "q"
}
"#;
    let found = of_rule(&[("main.tf", main)], "provider-region-missing");
    assert_eq!(found.iter().map(|f| f.1).collect::<Vec<_>>(), [10]);
    let only_global = &main[..main.find("resource \"aws_sqs_queue\"").unwrap()];
    assert_eq!(
        of_rule(&[("main.tf", only_global)], "provider-region-missing"),
        []
    );
}
