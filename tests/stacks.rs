//! Terraform Stacks: a directory of `.tfcomponent.hcl` and `.tfdeploy.hcl`
//! files is a stack root, read into the same model as a module, so the
//! pinning, lock and region rules judge it as they judge a root module.

mod common;

use common::{check, check_for, located, module_dirs, write};

/// A stack's lock as `terraform stacks providers lock` writes it: no
/// `constraints` (as in the lock files of HashiCorp's Stacks tutorials).
const LOCK: &str = r#"# This file is maintained automatically by "terraform stacks providers lock".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version = "5.46.0"
  hashes = [
    "h1:Ry0b9ddoqG0d/G8P30jNy6VDg/eFenCOVENnOkTOAS0=",
    "h1:TjZeb6cR7d8xezV40UtmHkfZ1jxvorMb1fNdJj2Y3rU=",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version = "3.6.2"
  hashes = [
    "h1:7L4VgC0/VpPbKkQlzhKAr8qvI6ooQQp3LxFYV0HEJ/k=",
    "h1:kBywhoGdmdz6hz6klpPRPeHiTjgcyibRhb028mbO0z4=",
  ]
}
"#;

const COMPONENTS: &str = r#"required_providers {
  aws = {
    source  = "hashicorp/aws"
    version = "~> 5.46"
  }
  random = {
    source  = "hashicorp/random"
    version = "~> 3.6"
  }
}

variable "regions" {
  type = set(string)
}

variable "home_region" {
  type = string
}

provider "aws" "configurations" {
  for_each = var.regions
  config {
    region = each.value
  }
}

provider "aws" "home" {
  config {
    region = var.home_region
  }
}

provider "random" "this" {}

component "buckets" {
  for_each = var.regions
  source   = "./buckets"
  inputs = {
    name_prefix = "logs"
  }
  providers = {
    aws    = provider.aws.configurations[each.value]
    random = provider.random.this
  }
}

component "dns" {
  source = "./dns"
  inputs = {
    zone = "example.com"
  }
  providers = {
    aws = provider.aws.home
  }
}

output "zone" {
  type  = string
  value = component.dns.zone
}
"#;

const DEPLOYMENTS: &str = r#"locals {
  europe = ["eu-west-1", "eu-central-1"]
}

deployment "europe" {
  inputs = {
    regions     = local.europe
    home_region = "eu-west-1"
  }
}

deployment "us" {
  inputs = {
    regions     = ["us-east-1"]
    home_region = "us-east-1"
  }
}
"#;

const BUCKETS: &str = r#"terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5"
    }
  }
}

variable "name_prefix" {
  type = string
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_s3_bucket" "logs" {
  bucket = "${var.name_prefix}-${random_id.suffix.hex}"
}
"#;

const DNS: &str = r#"terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "zone" {
  type = string
}

resource "aws_route53_zone" "main" {
  name = var.zone
}

output "zone" {
  value = aws_route53_zone.main.name
}
"#;

fn good_stack() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("stack/.terraform.lock.hcl", LOCK),
            ("stack/components.tfcomponent.hcl", COMPONENTS),
            ("stack/deployments.tfdeploy.hcl", DEPLOYMENTS),
            ("stack/buckets/main.tf", BUCKETS),
            ("stack/dns/main.tf", DNS),
        ],
    );
    d
}

/// A multi-region stack with its lock file: the components' modules are
/// read as children of the stack, and no rule finds anything.
#[test]
fn a_pinned_multi_region_stack_is_clean() {
    let d = good_stack();
    let r = check(d.path());
    assert_eq!(located(&r), vec![]);
    // One root, Terraform's: its components' modules are its children.
    let roots: Vec<(&str, Vec<&str>)> = r
        .roots
        .iter()
        .map(|x| (x.module.as_str(), x.engines.ids()))
        .collect();
    assert_eq!(roots, [("stack", vec!["terraform"])]);

    let ws = &r.workspace;
    let stack = ws
        .modules
        .iter()
        .find(|m| m.display == "stack")
        .expect("the stack is a module");
    assert!(stack.is_stack() && stack.is_root() && stack.role == tfpin::model::Role::Deployed);
    assert!(stack.lock.is_some());
    let cfg = &stack.config;
    let providers: Vec<String> = cfg.provider_configs.iter().map(|p| p.reference()).collect();
    assert_eq!(providers, ["aws.configurations", "aws.home", "random.this"]);
    let calls: Vec<String> = cfg.module_calls.iter().map(|c| c.label()).collect();
    assert_eq!(calls, ["component \"buckets\"", "component \"dns\""]);
    let passes: Vec<String> = cfg.module_calls[0]
        .providers
        .iter()
        .map(|p| format!("{}={}", p.child.address(), p.parent.address()))
        .collect();
    assert_eq!(passes, ["aws=aws.configurations", "random=random.this"]);
    let inputs: Vec<&str> = cfg.module_calls[1].arguments().map(|(k, _)| k).collect();
    assert_eq!(inputs, ["zone"]);
    let deployments: Vec<&str> = cfg.deployments.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(deployments, ["europe", "us"]);
    for child in ["stack/buckets", "stack/dns"] {
        let m = ws.modules.iter().find(|m| m.display == child).unwrap();
        assert!(!m.is_root() && !m.is_stack(), "{child}");
    }
}

/// Each deployment is an instance of the stack with its own inputs, and
/// the components below it see what it passes.
#[test]
fn each_deployment_is_an_instance_with_its_inputs() {
    let d = good_stack();
    let r = check(d.path());
    let ws = &r.workspace;
    let values = tfpin::model::values::Values::build(ws, &Default::default());
    let stack = ws.modules.iter().find(|m| m.is_stack()).unwrap();
    let home = stack.config.provider_configs[1].region().unwrap();
    let mut seen = Vec::new();
    for i in values.instances_of(stack.id) {
        let region = values.eval(i, home).value.to_string();
        seen.push((values.instances[i].address.clone(), region));
    }
    assert_eq!(
        seen,
        [
            ("deployment.europe".to_string(), "\"eu-west-1\"".to_string()),
            ("deployment.us".to_string(), "\"us-east-1\"".to_string()),
        ]
    );
    let addresses: Vec<&str> = values
        .instances
        .iter()
        .map(|i| i.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            // Components without for_each come first, so that those with
            // one can read their outputs; then one instance per key.
            "deployment.europe",
            "deployment.europe.component.dns",
            "deployment.europe.component.buckets[\"eu-central-1\"]",
            "deployment.europe.component.buckets[\"eu-west-1\"]",
            "deployment.us",
            "deployment.us.component.dns",
            "deployment.us.component.buckets[\"us-east-1\"]",
        ]
    );
}

/// OpenTofu has no stacks: its reading of the same tree has no stack
/// module, only the component modules as roots of their own.
#[test]
fn opentofu_reads_no_stack() {
    let d = good_stack();
    let r = check_for(d.path(), tfpin::fileset::EngineChoice::OpenTofu);
    assert_eq!(module_dirs(&r), ["stack/buckets", "stack/dns"]);
}

/// A badly pinned stack: each problem is found where it is written.
#[test]
fn a_badly_pinned_stack_is_found_at_the_right_lines() {
    let d = tempfile::tempdir().unwrap();
    let lock = LOCK
        .split("\n\nprovider \"registry.terraform.io/hashicorp/random\"")
        .next()
        .unwrap()
        .to_string();
    let components = r#"required_providers {
  aws = {
    source  = "hashicorp/aws"
    version = "~> 5.46"
  }
  random = {
    source  = "hashicorp/random"
    version = ">= 3.0"
  }
}

provider "aws" "main" {
  config {
    region = "eu-west-1"
  }
}

provider "random" "main" {}

component "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  inputs = {
    cidr = "10.0.0.0/16"
  }
  providers = {
    aws = provider.aws.main
  }
}

component "ids" {
  source = "./ids"
  providers = {
    random = provider.random.main
  }
}
"#;
    let ids = r#"terraform {
  required_providers {
    random = {
      source  = "hashicorp/random"
      version = ">= 3.0"
    }
  }
}

resource "random_id" "x" {
  byte_length = 4
}
"#;
    write(
        d.path(),
        &[
            ("s/.terraform.lock.hcl", &lock),
            ("s/main.tfcomponent.hcl", components),
            ("s/ids/main.tf", ids),
        ],
    );
    let r = check(d.path());
    let got: Vec<(String, usize, String)> = located(&r)
        .into_iter()
        .map(|(file, line, _, rule, _)| (file, line, rule))
        .collect();
    let want = [
        ("s/main.tfcomponent.hcl", 6, "lock-provider-missing"),
        ("s/main.tfcomponent.hcl", 6, "provider-version-unbounded"),
        ("s/main.tfcomponent.hcl", 21, "module-version-missing"),
    ];
    let want: Vec<(String, usize, String)> = want
        .iter()
        .map(|(f, l, r)| (f.to_string(), *l, r.to_string()))
        .collect();
    assert_eq!(got, want, "{:#?}", located(&r));
    // Messages name the stack and the component as such.
    let messages: Vec<String> = located(&r).into_iter().map(|f| f.4).collect();
    assert_eq!(
        messages[0],
        "provider \"hashicorp/random\" has no entry in the lock file of stack `s`"
    );
    assert_eq!(
        messages[2],
        "component \"vpc\" source \"terraform-aws-modules/vpc/aws\" is a registry module \
         with no version"
    );
    // The remedy is the Stacks command that writes a stack's lock file.
    let help = r.findings[0].help.as_deref().unwrap_or_default();
    assert!(
        help.starts_with("run `terraform stacks providers-lock` in `s`"),
        "{help}"
    );
}

/// The region rules judge each deployment's regions: a typo in one
/// deployment's inputs is found at the provider that uses it, and points
/// at where that deployment wrote it.
#[test]
fn a_deployments_unknown_region_is_found_for_that_deployment() {
    let d = good_stack();
    let deployments =
        DEPLOYMENTS.replace("home_region = \"us-east-1\"", "home_region = \"us-esat-1\"");
    write(
        d.path(),
        &[("stack/deployments.tfdeploy.hcl", &deployments)],
    );
    let r = check(d.path());
    let got: Vec<(String, usize, String)> = located(&r)
        .into_iter()
        .map(|(file, line, _, rule, message)| (file, line, format!("{rule}: {message}")))
        .collect();
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].0, "stack/components.tfcomponent.hcl");
    assert_eq!(got[0].1, 29);
    assert!(got[0].2.starts_with("region-unknown: "), "{}", got[0].2);
    assert!(got[0].2.contains("us-esat-1"), "{}", got[0].2);
    // The label points at deployment "us"'s input.
    let labels: Vec<(String, usize)> = r.findings[0]
        .labels
        .iter()
        .map(|l| {
            let file = r.workspace.sources.get(l.span.file);
            (file.display.clone(), file.line_col(l.span.range.start).line)
        })
        .collect();
    assert_eq!(labels, [("stack/deployments.tfdeploy.hcl".to_string(), 15)]);
}

/// Stack files of the wrong shapes are read as far as they make sense and
/// never stop the run: a provider with one label, a component without
/// one, `inputs` and `providers` that are not objects, a deployment whose
/// inputs are a list, and references that go nowhere.
#[test]
fn stack_files_of_odd_shapes_are_no_crash() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "s/a.tfcomponent.hcl",
                r#"required_providers = {}
required_providers {
  aws = "~> 5.0"
  bad = 3
}
provider "aws" {
  config = 1
}
provider "aws" "x" "y" {
  for_each = provider.aws.x
  config {
    region = provider.aws.x[0]
  }
  config {}
}
component {}
component "c" {
  inputs    = ["not", "an", "object"]
  providers = "provider.aws.x"
  source    = 42
}
component "d" {
  inputs    = { (var.k) = 1, "q" = deployment.z }
  providers = { aws = provider.aws, aws.x = provider.aws.x.y.z }
  source    = "./d"
}
variable "k" {}
locals {
  loop = local.loop
}
"#,
            ),
            (
                "s/b.tfdeploy.hcl",
                r#"deployment "p" {
  inputs = ["x"]
}
deployment "q" {
  inputs = { k = local.loop, region = store.varset.x.region }
}
deployment {}
locals {
  loop = local.loop
}
"#,
            ),
            ("s/d/main.tf", "variable \"q\" {}\n"),
        ],
    );
    let r = check(d.path());
    let stack = r.workspace.modules.iter().find(|m| m.is_stack()).unwrap();
    let names: Vec<&str> = stack
        .config
        .module_calls
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["c", "d"]);
    let deployments: Vec<&str> = stack
        .config
        .deployments
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(deployments, ["p", "q"]);
}

/// A removed component keeps its module and providers until it is
/// destroyed: the provider configuration it passes is used, and the
/// providers of its module must still be locked.
#[test]
fn a_removed_component_still_needs_its_providers() {
    let d = good_stack();
    let removed = r#"
provider "aws" "legacy" {
  config {
    region = "ap-southeast-2"
  }
}

removed {
  from   = component.legacy
  source = "./legacy"
  providers = {
    aws = provider.aws.legacy
  }
}
"#;
    let legacy = r#"terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}

resource "tls_private_key" "k" {
  algorithm = "ED25519"
}

resource "aws_s3_bucket" "b" {
  bucket = "legacy"
}
"#;
    write(
        d.path(),
        &[
            ("stack/removed.tfcomponent.hcl", removed),
            ("stack/legacy/main.tf", legacy),
        ],
    );
    let r = check(d.path());
    let got: Vec<(String, usize, String, String)> = located(&r)
        .into_iter()
        .map(|(file, line, _, rule, message)| (file, line, rule, message))
        .collect();
    assert_eq!(
        got,
        [(
            "stack/components.tfcomponent.hcl".to_string(),
            1,
            "lock-provider-missing".to_string(),
            "provider \"hashicorp/tls\" has no entry in the lock file of stack `stack`".to_string()
        )]
    );
    let stack = r.workspace.modules.iter().find(|m| m.is_stack()).unwrap();
    let calls: Vec<String> = stack
        .config
        .module_calls
        .iter()
        .map(|c| c.label())
        .collect();
    assert_eq!(
        calls,
        [
            "component \"buckets\"",
            "component \"dns\"",
            "removed \"legacy\""
        ]
    );
}

/// Inline ignores work in stack files as in `.tf` files, and a stack
/// directory's `.tf` files are no part of the stack, so they are not read.
#[test]
fn stack_files_take_inline_ignores_and_leave_tf_files_unread() {
    let d = good_stack();
    let ignored = r#"# tfpin-ignore: module-version-missing -- pinned by the registry proxy
component "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}
"#;
    write(
        d.path(),
        &[
            ("stack/vpc.tfcomponent.hcl", ignored),
            ("stack/leftover.tf", "this is not = = HCL {\n"),
        ],
    );
    let r = check(d.path());
    assert_eq!(located(&r), vec![]);
    let read: Vec<&str> = r
        .workspace
        .sources
        .iter()
        .map(|(_, f)| f.display.as_str())
        .filter(|f| f.ends_with(".tf"))
        .collect();
    assert_eq!(read, ["stack/buckets/main.tf", "stack/dns/main.tf"]);
}

/// A component that asks a `for_each` provider for a key that one
/// deployment's regions do not give it is found, for that deployment's
/// values; the good stack, where the two `for_each` agree in every
/// deployment, is clean (see `a_pinned_multi_region_stack_is_clean`).
#[test]
fn a_component_asking_for_a_provider_instance_that_does_not_exist() {
    let d = good_stack();
    let components = COMPONENTS.replace(
        "  for_each = var.regions\n  source   = \"./buckets\"",
        "  for_each = toset([\"eu-west-1\", \"us-east-1\"])\n  source   = \"./buckets\"",
    );
    assert_ne!(components, COMPONENTS);
    write(
        d.path(),
        &[("stack/components.tfcomponent.hcl", &components)],
    );
    let r = check(d.path());
    let f: Vec<_> = located(&r)
        .into_iter()
        .filter(|f| f.3 == "provider-instance-key")
        .collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    // Europe's regions lack us-east-1, the US deployment's lack eu-west-1.
    assert!(
        f[0].4.contains("with key \"us-east-1\", \"eu-west-1\""),
        "{}",
        f[0].4
    );
    assert_eq!(f[0].0, "stack/components.tfcomponent.hcl");
}
