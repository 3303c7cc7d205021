//! region-drift on whole trees: where the stated region is read from
//! (JSON in locals and heredocs, lists of ARNs, module inputs), which
//! region it is held against, and when it says nothing.

use std::path::Path;
use tfpin::config::Settings;

mod common;
use common::write;

/// (file, line, message) of every region-drift finding of a tree checked
/// with the configuration `config` (empty for none).
fn drift(files: &[(&str, &str)], config: &str) -> Vec<(String, usize, String)> {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), files);
    let root: &Path = d.path();
    let settings = if config.is_empty() {
        Settings::default()
    } else {
        tfpin::config::parse_str(config, ".tfpin.hcl").unwrap()
    };
    let r = tfpin::check(root, &[root.to_path_buf()], &settings).unwrap();
    r.findings
        .iter()
        .filter(|f| f.rule == "region-drift")
        .map(|f| {
            let file = r.workspace.sources.get(f.span.file);
            (
                file.display.clone(),
                file.line_col(f.span.range.start).line,
                f.message.clone(),
            )
        })
        .collect()
}

fn row(file: &str, line: usize, message: &str) -> (String, usize, String) {
    (file.to_string(), line, message.to_string())
}

const EU_WEST_1: &str = "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n";

#[test]
fn a_json_document_in_a_local_is_read_where_it_is_written() {
    let main = format!(
        "{EU_WEST_1}{}",
        r#"
locals {
  definitions = jsonencode([
    {
      name = "app"
      logConfiguration = {
        options = { "awslogs-region" = "us-east-1" }
      }
    }
  ])
}

resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = local.definitions
}
"#
    );
    assert_eq!(
        drift(&[("main.tf", &main)], ""),
        [row(
            "main.tf",
            10,
            "awslogs-region of aws_ecs_task_definition.app names \"us-east-1\" but the resource runs in \"eu-west-1\""
        )]
    );
}

#[test]
fn a_json_heredoc_with_unknown_values_is_still_read() {
    let main = format!(
        "{EU_WEST_1}{}",
        r#"
resource "aws_cloudwatch_log_group" "app" {
  name = "/ecs/app"
}

resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = <<EOF
[{"name": "app", "cpu": 0,
  "logConfiguration": {"options": {
    "awslogs-group": "${aws_cloudwatch_log_group.app.name}",
    "awslogs-region": "us-west-2"}}}]
EOF
}
"#
    );
    assert_eq!(
        drift(&[("main.tf", &main)], ""),
        [row(
            "main.tf",
            11,
            "awslogs-region of aws_ecs_task_definition.app names \"us-west-2\" but the resource runs in \"eu-west-1\""
        )]
    );
}

#[test]
fn each_arn_of_a_list_is_judged() {
    let main = format!(
        "{EU_WEST_1}{}",
        r#"
resource "aws_autoscaling_group" "web" {
  min_size = 1
  max_size = 2
  target_group_arns = [
    "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/a/0123456789abcdef",
    "arn:aws:elasticloadbalancing:eu-west-2:111111111111:targetgroup/b/0123456789abcdef",
  ]
}
"#
    );
    assert_eq!(
        drift(&[("main.tf", &main)], ""),
        [row(
            "main.tf",
            10,
            "target_group_arns of aws_autoscaling_group.web names \"eu-west-2\" but the resource runs in \"eu-west-1\""
        )]
    );
}

#[test]
fn regions_that_cannot_be_known_say_nothing() {
    // No provider region at all (the environment's), a region from a data
    // source, a variable without a value, and an ARN without a region.
    let main = r#"
variable "region" {
  type = string
}

data "aws_region" "current" {}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0123456789abcdef0"
  service_name = "com.amazonaws.us-east-1.s3"
}

resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
    { logConfiguration = { options = { awslogs-region = data.aws_region.current.name } } },
    { logConfiguration = { options = { awslogs-region = var.region } } },
  ])
}
"#;
    assert_eq!(drift(&[("main.tf", main)], ""), []);
    let with_region = format!(
        "{EU_WEST_1}{}",
        r#"
variable "region" {
  type = string
}

resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
    { logConfiguration = { options = { awslogs-region = var.region } } },
  ])
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/0123456789abcdef"
  certificate_arn   = "arn:aws:iam::111111111111:server-certificate/web"
}
"#
    );
    assert_eq!(drift(&[("main.tf", &with_region)], ""), []);
}

#[test]
fn equal_regions_written_apart_are_reported_unless_fragile_is_off() {
    let main = r#"
variable "region" {
  type    = string
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0123456789abcdef0"
  service_name = "com.amazonaws.eu-west-1.s3"
}
"#;
    assert_eq!(
        drift(&[("main.tf", main)], ""),
        [row(
            "main.tf",
            13,
            "service_name of aws_vpc_endpoint.s3 is written as \"eu-west-1\" but the region it runs in comes from variable \"region\""
        )]
    );
    assert_eq!(
        drift(
            &[("main.tf", main)],
            "rule \"region-drift\" {\n  fragile = false\n}\n"
        ),
        []
    );
    // Taken from the same variable, or both written in the code: nothing.
    let same = main.replace(
        "\"com.amazonaws.eu-west-1.s3\"",
        "\"com.amazonaws.${var.region}.s3\"",
    );
    assert_eq!(drift(&[("main.tf", &same)], ""), []);
    let both_written = main.replace("var.region\n}", "\"eu-west-1\"\n}");
    assert_eq!(drift(&[("main.tf", &both_written)], ""), []);
    // An ARN names one resource, which no variable moves: it can only
    // disagree.
    let arn = format!(
        "{main}{}",
        r#"
resource "aws_cloudwatch_log_group" "app" {
  name       = "/app"
  kms_key_id = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-1111-2222-333344445555"
}
"#
    );
    assert_eq!(drift(&[("main.tf", &arn)], "").len(), 1);
}

#[test]
fn a_child_modules_own_default_is_hard_coded_for_its_caller() {
    // The root's region comes from its variable; the child, which the root
    // does not tell, falls back on its own default.
    let files = [
        (
            "main.tf",
            r#"
variable "region" {
  type    = string
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

module "endpoints" {
  source = "./endpoints"
}
"#,
        ),
        (
            "endpoints/main.tf",
            r#"
variable "region" {
  type    = string
  default = "eu-west-1"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0123456789abcdef0"
  service_name = "com.amazonaws.${var.region}.s3"
}
"#,
        ),
    ];
    assert_eq!(
        drift(&files, ""),
        [row(
            "endpoints/main.tf",
            9,
            "service_name of aws_vpc_endpoint.s3 is written as \"eu-west-1\" but the region it runs in comes from variable \"region\" (in module.endpoints of `.`)"
        )]
    );
}

#[test]
fn module_inputs_are_judged_per_instance_and_only_where_they_matter() {
    let child = r#"
variable "region" {
  type = string
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0123456789abcdef0"
  service_name = "com.amazonaws.${var.region}.s3"
}
"#;
    let files = [
        (
            "main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

module "primary" {
  source = "./endpoints"
  region = "eu-west-1"
}

module "dr" {
  source    = "./endpoints"
  region    = "eu-west-1"
  providers = { aws = aws.dr }
}

module "v6" {
  source = "./regional"
  region = "us-east-1"
}
"#,
        ),
        ("endpoints/main.tf", child),
        (
            "regional/main.tf",
            r#"
variable "region" {
  type = string
}

resource "aws_sqs_queue" "q" {
  region = var.region
}
"#,
        ),
    ];
    // The dr instance runs in eu-central-1; the primary one agrees; the
    // v6 module sends its resources where it is told.
    assert_eq!(
        drift(&files, ""),
        [row(
            "main.tf",
            18,
            "region of module \"dr\" names \"eu-west-1\" but the module's resources run in \"eu-central-1\""
        )]
    );
}

#[test]
fn a_peer_in_another_module_is_found_through_its_output() {
    let files = [
        (
            "main.tf",
            r#"
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

module "west" {
  source    = "./vpc"
  providers = { aws = aws.west }
}

resource "aws_vpc" "east" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_peering_connection" "east_west" {
  vpc_id      = aws_vpc.east.id
  peer_vpc_id = module.west.vpc_id
  peer_region = "us-west-1"
}
"#,
        ),
        (
            "vpc/main.tf",
            r#"
resource "aws_vpc" "this" {
  cidr_block = "10.1.0.0/16"
}

output "vpc_id" {
  value = aws_vpc.this.id
}
"#,
        ),
    ];
    assert_eq!(
        drift(&files, ""),
        [row(
            "main.tf",
            23,
            "peer_region of aws_vpc_peering_connection.east_west names \"us-west-1\" but aws_vpc.this, which peer_vpc_id refers to, runs in \"us-west-2\""
        )]
    );
}

/// Each finding of the rule with its labels and help, one per paragraph.
fn rendered(root: &Path) -> String {
    let r = tfpin::check(root, &[root.to_path_buf()], &Settings::default()).unwrap();
    let at = |span: &tfpin::source::Span| {
        let file = r.workspace.sources.get(span.file);
        let lc = file.line_col(span.range.start);
        format!("{}:{}:{}", file.display, lc.line, lc.column)
    };
    let mut out = String::new();
    for f in r.findings.iter().filter(|f| f.rule == "region-drift") {
        out.push_str(&format!("{} {}\n", at(&f.span), f.message));
        for l in &f.labels {
            out.push_str(&format!("  label {} {}\n", at(&l.span), l.message));
        }
        if let Some(h) = &f.help {
            out.push_str(&format!("  help {h}\n"));
        }
        out.push('\n');
    }
    out
}

#[test]
fn findings_show_where_both_regions_were_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/region-drift/origins");
    insta::assert_snapshot!("origins", rendered(&root));
}
