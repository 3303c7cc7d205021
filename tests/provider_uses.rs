//! Every block that takes a provider is a use of it: the rules that count
//! uses (unused, undeclared, undefined alias, alias unused) see them all.

mod common;

use common::{check, findings, write};

const VERSIONS: &str = r#"terraform {
  required_version = "~> 1.14"
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = "~> 6.0"
      configuration_aliases = [aws.west]
    }
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
    http = {
      source  = "hashicorp/http"
      version = "~> 3.4"
    }
  }
}
"#;

/// A reusable module whose providers are used only by newer blocks: an
/// `action` (Terraform 1.14), an `ephemeral` resource, an `import` with a
/// `provider`, a data source scoped to a `check`, and `terraform_data`,
/// which needs no requirement at all.
#[test]
fn newer_blocks_use_their_providers() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"
action "aws_lambda_invoke" "warm" {
  provider = aws.west
  config {
    function_name = "warmer"
  }
}

ephemeral "random_password" "db" {
  length = 24
}

import {
  provider = google
  to       = google_storage_bucket.logs
  id       = "logs"
}

resource "google_storage_bucket" "logs" {
  provider = google
  name     = "logs"
  location = "EU"
}

check "certificate" {
  data "tls_certificate" "site" {
    url = "https://example.com"
  }
  assert {
    condition     = length(data.tls_certificate.site.certificates) > 0
    error_message = "no certificate"
  }
}

check "health" {
  data "http" "site" {
    url = "https://example.com/health"
  }
  assert {
    condition     = data.http.site.status_code == 200
    error_message = "unhealthy"
  }
}

resource "terraform_data" "marker" {
  input = "x"
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
"#;
    write(d.path(), &[("versions.tf", VERSIONS), ("main.tf", main)]);
    let f = findings(&check(d.path()));
    let counted = [
        "provider-unused",
        "provider-alias-unused",
        "provider-not-declared",
        "provider-alias-undefined",
    ];
    let wrong: Vec<_> = f
        .iter()
        .filter(|f| counted.contains(&f.0.as_str()))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The same blocks without the requirements: each provider they use is
/// reported as not declared, and an undefined alias as undefined.
#[test]
fn newer_blocks_without_requirements_are_undeclared() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"
terraform {
  required_version = "~> 1.14"
  backend "s3" {}
}

action "aws_lambda_invoke" "warm" {
  provider = aws.east
  config {
    function_name = "warmer"
  }
}

ephemeral "random_password" "db" {
  length = 24
}
"#;
    write(d.path(), &[("main.tf", main)]);
    let f = findings(&check(d.path()));
    let not_declared: Vec<&str> = f
        .iter()
        .filter(|f| f.0 == "provider-not-declared")
        .map(|f| f.2.as_str())
        .collect();
    assert_eq!(not_declared.len(), 2, "{f:#?}");
    assert!(
        not_declared.iter().any(|m| m.contains("\"aws\"")),
        "{not_declared:?}"
    );
    assert!(
        not_declared.iter().any(|m| m.contains("\"random\"")),
        "{not_declared:?}"
    );
    assert!(
        f.iter()
            .any(|f| f.0 == "provider-alias-undefined" && f.2.contains("aws.east")),
        "{f:#?}"
    );
}
