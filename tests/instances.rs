//! Region rules over the instances that `count`, `for_each` and `dynamic`
//! make: each instance judged with its own region, the instances that share
//! a value reported once, and what is never created never judged.

mod common;

use common::write;

/// A module that runs a queue wherever its caller says.
const STACK: &str = r#"
variable "region" {}

provider "aws" {
  region = var.region
}

resource "aws_sqs_queue" "q" {}
"#;

fn region_findings(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), files);
    let settings = tfpin::config::Settings {
        allowed_regions: vec!["eu-*".to_string()],
        ..Default::default()
    };
    let r = tfpin::check(d.path(), &[d.path().to_path_buf()], &settings).unwrap();
    let mut out: Vec<(String, String, String)> = common::findings(&r)
        .into_iter()
        .filter(|(rule, _, _)| {
            [
                "region-not-allowed",
                "replication-not-allowed",
                "replica-same-region",
            ]
            .contains(&rule.as_str())
        })
        .collect();
    // Fingerprint subjects too, for the instances that share one.
    let mut subjects: Vec<String> = r.findings.iter().map(|f| f.subject.clone()).collect();
    subjects.sort();
    out.sort();
    out.push(("subjects".into(), String::new(), subjects.join(" | ")));
    out
}

#[test]
fn instances_that_share_a_value_are_one_finding() {
    let got = region_findings(&[(
        "main.tf",
        r#"
variable "queues" {
  default = {
    a = "us-east-1"
    b = "us-east-1"
    c = "eu-west-1"
    d = "us-east-1"
    e = "us-east-1"
    f = "ap-south-1"
  }
}

resource "aws_sqs_queue" "q" {
  for_each = var.queues
  name     = each.key
  region   = each.value
}
"#,
    )]);
    let rows: Vec<&str> = got.iter().map(|(_, _, m)| m.as_str()).collect();
    // The instances in eu-west-1 are allowed; the four in us-east-1 are one
    // finding, and the one in ap-south-1 another, each about its value.
    assert_eq!(
        rows,
        [
            "region \"ap-south-1\" of resource \"aws_sqs_queue\" \"q\" (instance [\"f\"]) is outside the allowed regions",
            "region \"us-east-1\" of resource \"aws_sqs_queue\" \"q\" (4 instances: [\"a\"], [\"b\"], [\"d\"], 1 more) is outside the allowed regions",
            "aws_sqs_queue.q.region = \"ap-south-1\" in .  | aws_sqs_queue.q.region = \"us-east-1\" in . ",
        ]
    );
}

#[test]
fn what_count_or_for_each_never_creates_is_not_judged() {
    let got = region_findings(&[(
        "main.tf",
        r#"
variable "create_dr" {
  default = false
}

resource "aws_sqs_queue" "dr" {
  count  = var.create_dr ? 1 : 0
  region = "us-west-2"
}

resource "aws_sqs_queue" "none" {
  for_each = {}
  region   = "us-west-2"
}

resource "aws_sqs_queue" "unknown" {
  for_each = data.external.x.result
  region   = each.value
}
"#,
    )]);
    assert_eq!(got.len(), 1, "{got:?}");
}

#[test]
fn an_instance_of_a_module_call_is_judged_with_its_own_arguments() {
    let got = region_findings(&[
        (
            "main.tf",
            r#"
module "stack" {
  source   = "./stack"
  for_each = toset(["eu-west-1", "eu-central-1", "us-east-2"])
  region   = each.value
}
"#,
        ),
        ("stack/main.tf", STACK),
    ]);
    assert_eq!(
        got[0].2, "region \"us-east-2\" of provider \"aws\" is outside the allowed regions",
        "{got:?}"
    );
    assert_eq!(got.len(), 2, "{got:?}");
}

#[test]
fn labels_follow_a_region_through_every_hop() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("terraform.tfvars", "dr_region = \"us-west-2\"\n"),
            (
                "main.tf",
                r#"
variable "dr_region" {
  default = "eu-west-1"
}

locals {
  regions = { dr = var.dr_region }
}

module "dr" {
  source = "./stack"
  region = local.regions["dr"]
}
"#,
            ),
            ("stack/main.tf", STACK),
        ],
    );
    let settings = tfpin::config::Settings {
        allowed_regions: vec!["eu-*".to_string()],
        ..Default::default()
    };
    let r = tfpin::check(d.path(), &[d.path().to_path_buf()], &settings).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "region-not-allowed")
        .expect("the provider's region is judged");
    let labels: Vec<(String, usize, String)> = f
        .labels
        .iter()
        .map(|l| {
            let file = r.workspace.sources.get(l.span.file);
            (
                file.display.clone(),
                file.line_col(l.span.range.start).line,
                l.message.clone(),
            )
        })
        .collect();
    let row = |file: &str, line, m: &str| (file.to_string(), line, m.to_string());
    assert_eq!(
        labels,
        [
            // The module argument that passes it in, the local it reads,
            // the variable the local reads, then the .tfvars entry.
            row("main.tf", 12, "\"us-west-2\" comes through `var.region`"),
            row("main.tf", 7, "\"us-west-2\" comes through `local.regions`"),
            row(
                "terraform.tfvars",
                1,
                "\"us-west-2\" is set for variable \"dr_region\" in `terraform.tfvars`"
            ),
        ]
    );
}
