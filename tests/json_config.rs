//! Configuration in JSON syntax, against what terraform 1.11.4 did with the
//! same trees (`tests/data/engine/json-*`, see its README), and against
//! the same configuration written in native syntax.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tfpin::config::Settings;

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/engine")
        .join(case)
}

/// `facts.requirements` of a recorded case: provider address → the
/// constraint as `terraform providers` prints it.
fn oracle_requirements(case: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(case_dir(case).join("oracle.json")).unwrap();
    let oracle: serde_json::Value = serde_json::from_str(&text).unwrap();
    oracle["facts"]["requirements"]
        .as_object()
        .expect("facts.requirements")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

/// The effective constraint of each provider of the root tree, as tfpin
/// works it out.
fn tfpin_requirements(case: &str) -> BTreeMap<String, String> {
    let tree = case_dir(case).join("tree");
    let (ws, _) = tfpin::engine::load(&tree, std::slice::from_ref(&tree), &Settings::default())
        .expect("tree loads");
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    let trees = tfpin::model::requirements::compute(&ws);
    assert_eq!(trees.len(), 1, "one root");
    trees[0]
        .providers
        .iter()
        .map(|(addr, req)| (addr.to_string(), req.effective.to_string()))
        .collect()
}

#[test]
fn a_json_root_requires_what_terraform_says() {
    assert_eq!(
        tfpin_requirements("json-config"),
        oracle_requirements("json-config")
    );
}

#[test]
fn json_override_files_override_as_terraform_does() {
    assert_eq!(
        tfpin_requirements("json-override"),
        oracle_requirements("json-override")
    );
}

/// (file, line, column, rule, message) of every finding for a tree,
/// checked with the tree's own `.tfpin.hcl`.
fn findings(root: &Path) -> Vec<(String, usize, usize, String, String)> {
    let settings = tfpin::config::load(&root.join(".tfpin.hcl"), ".tfpin.hcl").unwrap();
    common::located(&tfpin::check(root, &[root.to_path_buf()], &settings).unwrap())
}

/// `examples/multi-region` written in JSON syntax (`fixtures/json`) gets
/// the same findings, each at the key or value the native finding is at.
#[test]
fn the_multi_region_example_in_json_finds_what_it_finds_in_hcl() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hcl = findings(&here.join("examples/multi-region"));
    let json = findings(&here.join("fixtures/json/multi-region"));
    let what = |v: &[(String, usize, usize, String, String)]| -> Vec<(String, String)> {
        v.iter().map(|f| (f.3.clone(), f.4.clone())).collect()
    };
    assert_eq!(what(&hcl), what(&json));
    assert!(hcl.len() >= 10, "{hcl:#?}");
    let at: Vec<(&str, usize, usize, &str)> = json
        .iter()
        .map(|f| (f.0.as_str(), f.1, f.2, f.3.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (
                "envs/prod/.terraform.lock.hcl",
                4,
                1,
                "lock-hashes-incomplete"
            ),
            (
                "envs/prod/.terraform.lock.hcl",
                5,
                17,
                "lock-version-mismatch"
            ),
            // The source value.
            ("envs/prod/main.tf.json", 25, 17, "module-version-missing"),
            // The ARN value of a copy action.
            ("envs/prod/main.tf.json", 40, 38, "replication-not-allowed"),
            // The alias value of the second of a list of provider bodies.
            (
                "envs/prod/providers.tf.json",
                9,
                18,
                "provider-alias-redundant"
            ),
            (
                "envs/prod/providers.tf.json",
                9,
                18,
                "provider-alias-region-mismatch"
            ),
            (
                "envs/prod/versions.tf.json",
                3,
                25,
                "terraform-version-unbounded"
            ),
            // The required_providers key.
            (
                "envs/prod/versions.tf.json",
                5,
                7,
                "provider-version-unbounded"
            ),
            ("envs/staging/main.tf.json", 4, 17, "module-source-missing"),
            // Each replica's region_name value, in a list of nested blocks.
            ("envs/staging/main.tf.json", 26, 28, "replica-same-region"),
            ("envs/staging/main.tf.json", 29, 28, "region-not-allowed"),
            (
                "envs/staging/versions.tf.json",
                3,
                25,
                "terraform-version-unbounded"
            ),
            ("envs/staging/versions.tf.json", 5, 7, "lock-missing"),
            ("envs/staging/versions.tf.json", 7, 20, "constraint-invalid"),
            // The resource's innermost label.
            ("modules/cdn/main.tf.json", 9, 7, "region-bound-resource"),
            // Inside the string: the reference, not its quote.
            (
                "modules/cdn/versions.tf.json",
                7,
                36,
                "provider-alias-unused"
            ),
        ]
    );
}

/// A `.tf.json` file that is not strict JSON is a parse error at the
/// place the parser stopped; the rest of the module is still read.
#[test]
fn invalid_json_is_a_parse_error_where_the_parser_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(
        root,
        &[
            ("main.tf.json", "{\n  \"locals\": {\"a\": 1,}\n}\n"),
            // A deployed root, which the pinning rules judge.
            (
                "providers.tf",
                "terraform {\n  backend \"s3\" {}\n}\nprovider \"aws\" {\n  region = \"us-east1\"\n}\n",
            ),
        ],
    );
    let report = common::check(root);
    let parse_errors: Vec<_> = common::located(&report)
        .into_iter()
        .filter(|f| f.3 == "parse-error")
        .collect();
    assert_eq!(
        parse_errors,
        [(
            "main.tf.json".to_string(),
            2,
            20,
            "parse-error".to_string(),
            "invalid JSON: trailing commas are not allowed".to_string()
        )]
    );
    // The native file beside it is still checked for what it says...
    assert!(report.findings.iter().any(|f| f.rule == "region-unknown"));
    // ...but not for what the module seems to lack: the declaration may be
    // in the file that did not parse.
    assert!(!report
        .findings
        .iter()
        .any(|f| f.rule == "provider-not-declared"));
}

/// A default inside a JSON `type` string is found in the file: the type's
/// text is parsed on its own, and its spans are put back where the string
/// is (the whole string, since this one has escapes).
#[test]
fn a_default_in_a_json_type_string_points_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(
        root,
        &[
            (
                ".tfpin.hcl",
                "policy {\n  allowed_regions = [\"eu-*\"]\n}\n",
            ),
            (
                "main.tf.json",
                r#"{
  "variable": {
    "cfg": {
      "type": "object({ region = optional(string, \"us-east-1\") })",
      "default": {}
    }
  },
  "provider": {
    "aws": {
      "region": "${var.cfg.region}"
    }
  }
}
"#,
            ),
        ],
    );
    let settings = tfpin::config::load(&root.join(".tfpin.hcl"), ".tfpin.hcl").unwrap();
    let report = tfpin::check(root, &[root.to_path_buf()], &settings).unwrap();
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "region-not-allowed")
        .expect("the default region is not allowed");
    let file = report.workspace.sources.get(f.span.file);
    let at = |span: &tfpin::source::Span| {
        let lc = file.line_col(span.range.start);
        (lc.line, lc.column, file.slice(&span.range).to_string())
    };
    assert_eq!(at(&f.span), (10, 20, "var.cfg.region".to_string()));
    let labels: Vec<_> = f.labels.iter().map(|l| at(&l.span)).collect();
    assert_eq!(
        labels,
        [
            // The variable's default, which the reference goes through.
            (5, 18, "{}".to_string()),
            (
                4,
                15,
                r#""object({ region = optional(string, \"us-east-1\") })""#.to_string()
            )
        ]
    );
}

/// The newer and OpenTofu-only constructs read from JSON as from native
/// syntax: an `action` uses its provider, `language` and
/// `lifecycle { enabled }` make a tree OpenTofu's, and a module `source`
/// that is an interpolation is evaluated in OpenTofu's reading.
#[test]
fn newer_constructs_in_json() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"{
  "terraform": {
    "required_providers": {
      "aws": {
        "source": "hashicorp/aws",
        "version": "~> 6.0",
        "configuration_aliases": ["aws.west"]
      }
    }
  },
  "language": {
    "compatible_with": {"opentofu": "~> 1.12"}
  },
  "action": {
    "aws_lambda_invoke": {
      "warm": {"provider": "aws.west", "config": {"function_name": "warmer"}}
    }
  },
  "resource": {
    "aws_s3_bucket": {
      "b": {"bucket": "b", "lifecycle": {"enabled": false}}
    }
  },
  "variable": {"vpc_source": {"default": "git::https://example.com/vpc.git"}},
  "module": {"vpc": {"source": "${var.vpc_source}"}}
}
"#;
    common::write(d.path(), &[("main.tf.json", main)]);
    let (ws, _) =
        tfpin::engine::load(d.path(), &[d.path().to_path_buf()], &Settings::default()).unwrap();
    let cfg = &ws.modules[0].config;
    let constructs: Vec<&str> = cfg.opentofu_constructs.iter().map(|(_, w)| *w).collect();
    assert_eq!(
        constructs,
        ["a `language` block", "`lifecycle { enabled }`"]
    );
    assert_eq!(cfg.opentofu_versions[0].as_ref().unwrap().value, "~> 1.12");
    assert_eq!(cfg.resources[0].mode, tfpin::model::ResourceMode::Action);

    let r = common::check(d.path());
    assert_eq!(r.roots[0].engines.ids(), ["opentofu"]);
    let f = common::findings(&r);
    assert!(f.iter().all(|f| f.0 != "provider-alias-unused"), "{f:#?}");
    let unpinned: Vec<_> = f
        .iter()
        .filter(|f| f.0 == "module-source-unpinned")
        .collect();
    assert_eq!(unpinned.len(), 1, "{f:#?}");
    assert!(unpinned[0]
        .2
        .contains("\"git::https://example.com/vpc.git\""));
}

/// A block whose JSON has the wrong shape is a parse error at the value,
/// as Terraform rejects the file; the rest of the file is still read.
#[test]
fn json_blocks_of_the_wrong_shape_are_errors_where_they_are() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"{
  "terraform": {"required_version": "~> 1.9"},
  "resource": {"aws_s3_bucket": "logs"},
  "provider": {"aws": [{"region": "eu-west-1"}, "west"]},
  "module": ["vpc"],
  "variable": {"region": {"default": "eu-west-1"}}
}
"#;
    common::write(d.path(), &[("main.tf.json", main)]);
    let r = common::check(d.path());
    let errors: Vec<(usize, String)> = r
        .findings
        .iter()
        .filter(|f| f.rule == "parse-error")
        .map(|f| {
            let file = r.workspace.sources.get(f.span.file);
            (file.line_col(f.span.range.start).line, f.message.clone())
        })
        .collect();
    assert_eq!(
        errors,
        [
            (
                3,
                "`resource` in JSON syntax takes an object whose keys are its labels, not a string"
                    .to_string()
            ),
            (
                4,
                "the body of a `provider` block in JSON syntax is an object (or a list of objects), not a string"
                    .to_string()
            ),
            (
                5,
                "`module` in JSON syntax takes an object whose keys are its labels, not a list"
                    .to_string()
            ),
        ]
    );
    // What is well formed is read.
    let cfg = &r.workspace.modules[0].config;
    assert_eq!(cfg.provider_configs.len(), 1);
    assert_eq!(cfg.required_version.len(), 1);
}
