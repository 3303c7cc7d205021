//! Provider wiring across module calls: explicit meta-arguments, providers
//! maps, implicit inheritance of defaults, and regions that follow them.

use tfpin::config::Settings;
use tfpin::eval::Value;
use tfpin::model::values::{CliValues, Values};
use tfpin::model::wiring::{placements, Target};

mod common;
use common::write;

#[test]
fn resources_are_placed_on_the_configuration_they_really_use() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "main.tf",
                r#"
variable "primary" {
  default = "eu-west-1"
}
provider "aws" {
  region = var.primary
}
provider "aws" {
  alias  = "use1"
  region = "us-east-1"
}
module "cdn" {
  source    = "./cdn"
  providers = { aws = aws, aws.us_east_1 = aws.use1 }
}
module "plain" {
  source = "./plain"
}
module "renamed" {
  source = "./renamed"
}
resource "google_storage_bucket" "b" {}
"#,
            ),
            (
                // Another local name for hashicorp/aws: the default is
                // inherited by provider, not by name.
                "renamed/main.tf",
                r#"
terraform {
  required_providers {
    amazon = { source = "hashicorp/aws" }
  }
}
resource "aws_sqs_queue" "q" {
  provider = amazon
}
"#,
            ),
            (
                "cdn/main.tf",
                r#"
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", configuration_aliases = [aws.us_east_1] }
  }
}
resource "aws_acm_certificate" "cert" {
  provider = aws.us_east_1
}
resource "aws_s3_bucket" "origin" {}
resource "aws_s3_bucket" "pinned" {
  region = "ap-southeast-2"
}
"#,
            ),
            (
                "plain/main.tf",
                r#"
resource "aws_sqs_queue" "q" {}
resource "aws_sns_topic" "t" {
  provider = aws.nowhere
}
"#,
            ),
        ],
    );
    let report = tfpin::check(d.path(), &[d.path().to_path_buf()], &Settings::default()).unwrap();
    let ws = &report.workspace;
    let values = Values::build(ws, &CliValues::default());
    let mut seen: Vec<(String, String, String)> = placements(ws, &values)
        .iter()
        .map(|p| {
            let inst = &values.instances[p.instance];
            let r = &ws.module(inst.module).config.resources[p.resource];
            let target = match &*p.target {
                Target::Block {
                    instance, index, ..
                } => {
                    let m = ws.module(values.instances[*instance].module);
                    format!("block {}", m.config.provider_configs[*index].reference())
                }
                Target::ImplicitDefault { name, .. } => format!("implicit {name}"),
                Target::Missing { name, alias, .. } => {
                    format!("missing {name}.{}", alias.clone().unwrap_or_default())
                }
            };
            let region = match &p.region.value {
                Value::String(s) => s.clone(),
                Value::Null => "-".to_string(),
                _ => "?".to_string(),
            };
            (
                format!(
                    "{}{}",
                    if inst.address.is_empty() {
                        String::new()
                    } else {
                        format!("{}.", inst.address)
                    },
                    r.address()
                ),
                target,
                region,
            )
        })
        .collect();
    seen.sort();
    let expect = |a: &str, t: &str, r: &str| (a.to_string(), t.to_string(), r.to_string());
    assert_eq!(
        seen,
        [
            expect("google_storage_bucket.b", "implicit google", "-"),
            expect(
                "module.cdn.aws_acm_certificate.cert",
                "block aws.use1",
                "us-east-1"
            ),
            expect("module.cdn.aws_s3_bucket.origin", "block aws", "eu-west-1"),
            expect(
                "module.cdn.aws_s3_bucket.pinned",
                "block aws",
                "ap-southeast-2"
            ),
            expect("module.plain.aws_sns_topic.t", "missing aws.nowhere", "-"),
            expect("module.plain.aws_sqs_queue.q", "block aws", "eu-west-1"),
            expect("module.renamed.aws_sqs_queue.q", "block aws", "eu-west-1"),
        ]
    );
}

/// A module that asks for `aws.peer` with a legacy alias-only block.
const PEERING: &str = r#"provider "aws" {
  alias = "peer"
}

resource "aws_vpc_peering_connection_accepter" "peer" {
  provider                  = aws.peer
  vpc_peering_connection_id = "pcx-1234"
}
"#;

/// (file, line, rule, message) of the findings about provider blocks.
fn block_findings(r: &tfpin::Report) -> Vec<(String, usize, String, String)> {
    let rules = ["provider-region-missing", "module-provider-block"];
    (common::located(r).into_iter())
        .filter(|f| rules.contains(&f.3.as_str()))
        .map(|(file, line, _, rule, message)| (file, line, rule, message))
        .collect()
}

#[test]
fn an_alias_only_block_is_a_proxy_only_in_a_called_module() {
    // Called: the block stands for what the caller passes.
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "main.tf",
                "provider \"aws\" {\n  alias = \"eu\"\n}\n\nprovider \"aws\" {\n  alias  = \"peer\"\n  region = \"eu-west-1\"\n}\n\nmodule \"peering\" {\n  source    = \"./peering\"\n  providers = { aws.peer = aws.peer }\n}\n\nresource \"aws_s3_bucket\" \"logs\" {\n  provider = aws.eu\n}\n",
            ),
            ("peering/main.tf", PEERING),
        ],
    );
    let r = common::check(d.path());
    let root = common::module(&r, ".");
    let child = common::module(&r, "peering");
    assert!(!root.config.provider_configs[0].proxy);
    assert!(child.config.provider_configs[0].proxy);
    let own = |f: &str, line, rule: &str, message: &str| {
        (f.to_string(), line, rule.to_string(), message.to_string())
    };
    assert_eq!(
        block_findings(&r),
        [
            // In the root, the same block is an empty configuration.
            own(
                "main.tf",
                1,
                "provider-region-missing",
                "provider \"aws\" (alias \"eu\") configuration sets no region"
            ),
            own(
                "peering/main.tf",
                1,
                "module-provider-block",
                "empty provider block aws.peer is a legacy proxy configuration"
            ),
        ]
    );
    // The child's resource runs where the caller's configuration says.
    let values = Values::build(&r.workspace, &CliValues::default());
    let placed = placements(&r.workspace, &values);
    let accepter = (placed.iter())
        .find(|p| values.instances[p.instance].module == child.id)
        .unwrap();
    assert_eq!(accepter.region.value, Value::String("eu-west-1".into()));

    // Checked on its own, nothing can pass the module a configuration: its
    // block is an empty one. Such a module is a reusable one (an empty
    // block configures nothing), which the region rules for deployed roots
    // do not judge.
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("main.tf", PEERING)]);
    let r = common::check(d.path());
    assert!(!r.workspace.modules[0].config.provider_configs[0].proxy);
    assert_eq!(r.workspace.modules[0].role, tfpin::model::Role::Reusable);
    assert_eq!(block_findings(&r), []);
    // In a deployed root, the same block is a configuration with no
    // region, and judged as one.
    write(
        d.path(),
        &[("backend.tf", "terraform {\n  backend \"s3\" {}\n}\n")],
    );
    let r = common::check(d.path());
    assert_eq!(
        block_findings(&r),
        [own(
            "main.tf",
            1,
            "provider-region-missing",
            "provider \"aws\" (alias \"peer\") configuration sets no region"
        )]
    );
}

/// A `helm` or `kubernetes` configuration runs where the cluster its
/// connection comes from runs, also when a module output passes the
/// cluster through, and so does everything created with it.
#[test]
fn releases_run_in_the_region_of_their_cluster() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "main.tf",
                r#"
provider "aws" {
  region = "eu-central-1"
}

module "eks" {
  source = "./eks"
}

data "google_container_cluster" "gke" {
  name     = "gke"
  location = "europe-west4-a"
}

provider "helm" {
  alias = "eu"
  kubernetes {
    host = module.eks.endpoint
  }
}

provider "kubernetes" {
  alias = "gke"
  host  = "https://${data.google_container_cluster.gke.endpoint}"
}

provider "kubernetes" {
  alias = "elsewhere"
  host  = var.host
}

variable "host" {
  type = string
}

resource "helm_release" "app" {
  provider = helm.eu
  name     = "app"
  chart    = "app"
}

resource "kubernetes_namespace" "apps" {
  provider = kubernetes.gke
}

resource "kubernetes_namespace" "unknown" {
  provider = kubernetes.elsewhere
}
"#,
            ),
            (
                "eks/main.tf",
                r#"
resource "aws_eks_cluster" "this" {
  name     = "eu"
  role_arn = "arn:aws:iam::111122223333:role/eks"
}

output "endpoint" {
  value = aws_eks_cluster.this.endpoint
}
"#,
            ),
        ],
    );
    let r = common::check(d.path());
    let ws = &r.workspace;
    let values = Values::build(ws, &CliValues::default());
    let mut seen: Vec<(String, String)> = placements(ws, &values)
        .iter()
        .filter_map(|p| {
            let res = &ws
                .module(values.instances[p.instance].module)
                .config
                .resources[p.resource];
            (res.type_name.starts_with("helm_") || res.type_name.starts_with("kubernetes_"))
                .then(|| (res.address(), p.region.value.to_string()))
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "helm_release.app".to_string(),
                "\"eu-central-1\"".to_string()
            ),
            (
                "kubernetes_namespace.apps".to_string(),
                "\"europe-west4-a\"".to_string()
            ),
            // Connected, but to nothing tfpin can place.
            (
                "kubernetes_namespace.unknown".to_string(),
                "(unknown)".to_string()
            ),
        ]
    );
}
