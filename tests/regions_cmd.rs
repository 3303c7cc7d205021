//! `tfpin regions`: the residency report, in its three formats.

use std::path::{Path, PathBuf};

mod common;
use common::{run, write};

/// Two EU regions active-active (a module called per region, a queue per
/// region through `for_each`), a DynamoDB table with a dynamic replica, S3
/// replication to us-east-1 outside the policy, a root whose region is a
/// variable with no value, and configurations that leave the region to
/// the environment.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regions/residency")
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["regions", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(dir, &all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The roots of a report, by name.
fn root<'v>(v: &'v serde_json::Value, name: &str) -> &'v serde_json::Value {
    v["roots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["module"] == name)
        .unwrap_or_else(|| panic!("no root {name} in {v:#}"))
}

fn instance<'v>(root: &'v serde_json::Value, address: &str) -> &'v serde_json::Value {
    root["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["address"] == address)
        .unwrap_or_else(|| panic!("no instance {address} in {root:#}"))
}

#[test]
fn text_report_of_the_fixture() {
    let r = run(&fixture(), &["regions"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in r.stdout.lines() {
        assert!(line.chars().count() <= 100, "wider than 100: {line:?}");
    }
    insta::assert_snapshot!("regions_text", r.stdout);
}

#[test]
fn json_report_of_the_fixture() {
    let v = json(&fixture(), &[]);
    let prod = root(&v, "envs/prod");
    assert_eq!(prod["role"], "deployed-root");
    assert_eq!(prod["policy"], serde_json::json!(["eu-*"]));
    // A module called per region, with a resource repeated in each.
    let logs = instance(
        prod,
        "module.stack[\"frankfurt\"].aws_s3_bucket.b[\"logs\"]",
    );
    assert_eq!(logs["region"], "eu-central-1");
    assert_eq!(logs["state"], "known");
    assert_eq!(logs["file"], "modules/stack/main.tf");
    assert_eq!(logs["line"], 5);
    assert_eq!(logs["region_from"], "envs/prod/variables.tf:6");
    let counts: Vec<(String, u64, bool)> = prod["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["region"].as_str().unwrap().to_string(),
                g["count"].as_u64().unwrap(),
                g["allowed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("eu-central-1".to_string(), 4, true),
            ("eu-west-1".to_string(), 7, true),
            ("us-east-1".to_string(), 1, false),
        ]
    );
    let flows: Vec<(&str, &str, &str, &str, bool)> = prod["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["from"].as_str().unwrap(),
                f["to"].as_str().unwrap(),
                f["what"].as_str().unwrap(),
                f["resource"].as_str().unwrap(),
                f["allowed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        flows,
        [
            (
                "eu-west-1",
                "eu-central-1",
                "DynamoDB global table replica",
                "aws_dynamodb_table.orders",
                true
            ),
            (
                "eu-west-1",
                "us-east-1",
                "S3 replication",
                "aws_s3_bucket_replication_configuration.exports",
                false
            ),
        ]
    );
    assert_eq!(prod["flows"][1]["destination"], "aws_s3_bucket.archive");
    assert_eq!(prod["global"].as_array().unwrap().len(), 2);
    assert_eq!(prod["not_regional"], 1);

    let tools = root(&v, "envs/tools");
    let alerts = instance(tools, "aws_sns_topic.alerts");
    assert_eq!(alerts["state"], "unknown");
    assert_eq!(alerts["region"], serde_json::Value::Null);
    assert_eq!(
        alerts["reason"],
        "var.region has no default and no tfvars value"
    );
    let jobs = instance(tools, "aws_sqs_queue.jobs");
    assert_eq!(jobs["state"], "environment");
    let sandbox = root(&v, "envs/sandbox");
    let scratch = instance(sandbox, "aws_s3_bucket.scratch");
    assert_eq!(scratch["state"], "environment");
    assert!(
        scratch["reason"]
            .as_str()
            .unwrap()
            .starts_with("no provider \"aws\" configuration"),
        "{scratch}"
    );
    insta::assert_json_snapshot!("regions_json", v);
}

#[test]
fn dot_report_of_the_fixture() {
    let r = run(&fixture(), &["regions", "--format", "dot"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("regions_dot", r.stdout);
}

/// Graphviz must accept the graph, and draw each region as a cluster with
/// its resources and the copy that leaves the policy. Where `dot` is not
/// installed the test says so and passes, except in CI, which installs it.
#[test]
fn the_graph_renders_with_graphviz() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let found = std::process::Command::new("dot").arg("-V").output().is_ok();
    if !found {
        assert!(!ci, "CI=true but Graphviz's `dot` is not on PATH");
        eprintln!("note: Graphviz's `dot` is not on PATH; the graph was not rendered");
        return;
    }
    let r = run(&fixture(), &["regions", "--format", "dot"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let texts = svg_texts(&render_svg(&r.stdout));
    for text in [
        "eu-central-1 (4)",
        "eu-west-1 (7)",
        "us-east-1 (1): outside the policy",
        "unknown (1)",
        "environment (2): no region written",
        "region-agnostic types (2)",
        "aws_s3_bucket.archive",
        "module.stack[\"ireland\"].aws_s3_bucket.b[\"logs\"]",
        "S3 replication",
        "DynamoDB global table replica",
    ] {
        assert!(
            texts.iter().any(|t| t == text),
            "the SVG has no text {text:?}: {texts:?}"
        );
    }
}

/// The text of every `<text>` element of an SVG, entities decoded.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse_with_options(
        svg,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

fn render_svg(dot: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot failed: {stderr}\n{dot}");
    assert!(stderr.trim().is_empty(), "dot warned: {stderr}\n{dot}");
    String::from_utf8(out.stdout).unwrap()
}

/// Keys, regions and file names come from the tree: none may put a control
/// character on a terminal, or break out of a Graphviz string.
#[test]
fn strings_from_the_tree_are_shown_escaped() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (".tfpin.hcl", "root = true\n"),
            (
                "main.tf",
                "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_sqs_queue\" \"q\" {\n  for_each = toset([\"a\\u001b[2J\", \"b\\\"]; x -> y [label=\\\"\"])\n  region   = \"eu-\\u0007west-1\"\n}\n",
            ),
        ],
    );
    let text = run(d.path(), &["regions"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let dot = run(d.path(), &["regions", "--format", "dot"]);
    assert_eq!(dot.code, 0, "{}", dot.stderr);
    for out in [&text.stdout, &dot.stdout] {
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "a raw control character in:\n{out}"
        );
    }
    // Keys are written as in an address, the region as the text shows
    // control characters.
    assert!(
        text.stdout.contains("aws_sqs_queue.q[\"a\\u001b[2J\"]"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("eu-\\u{7}west-1 (2 instances)"),
        "{}",
        text.stdout
    );
    // Graphviz reads the quote as part of a label, not as its end: the
    // graph has the two nodes and no edge.
    if std::process::Command::new("dot").arg("-V").output().is_ok() {
        let svg = render_svg(&dot.stdout);
        let texts = svg_texts(&svg);
        assert!(
            texts.contains(&"aws_sqs_queue.q[\"b\\\"]; x -> y [label=\\\"\"]".to_string()),
            "{texts:?}"
        );
        assert_eq!(svg.matches("class=\"node\"").count(), 2, "{svg}");
        assert!(!svg.contains("class=\"edge\""), "{svg}");
    }
}

/// Each deployment of a stack is a root instance of its own, with the
/// region its inputs give it.
#[test]
fn each_deployment_of_a_stack_is_reported() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (".tfpin.hcl", "root = true\n"),
            ("web/main.tfcomponent.hcl", common::STACK_COMPONENT),
            (
                "web/prod.tfdeploy.hcl",
                "deployment \"eu\" {\n  inputs = {\n    region = \"eu-west-1\"\n  }\n}\n\ndeployment \"unset\" {\n  inputs = {}\n}\n",
            ),
            (
                "web/site/main.tf",
                "resource \"aws_s3_bucket\" \"site\" {\n  bucket = \"site\"\n}\n",
            ),
        ],
    );
    let v = json(d.path(), &[]);
    let rows: Vec<(String, String, String)> = v["roots"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["instances"].as_array().unwrap().iter().map(move |i| {
                (
                    format!(
                        "{} {}",
                        r["module"].as_str().unwrap(),
                        r["deployment"].as_str().unwrap()
                    ),
                    i["address"].as_str().unwrap().to_string(),
                    i["region"]
                        .as_str()
                        .or(i["reason"].as_str())
                        .unwrap()
                        .to_string(),
                )
            })
        })
        .collect();
    let row = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        rows,
        [
            row("web eu", "component.site.aws_s3_bucket.site", "eu-west-1"),
            row(
                "web unset",
                "component.site.aws_s3_bucket.site",
                "var.region has no default and deployment \"unset\" gives it no input"
            ),
        ]
    );
    let text = run(d.path(), &["regions"]);
    assert!(
        text.stdout.starts_with("web deployment.eu (Terraform)\n"),
        "{}",
        text.stdout
    );
}

/// A value given on the command line places what it reaches, and says so.
#[test]
fn var_flags_place_resources() {
    let v = json(&fixture(), &["envs/tools", "--var", "region=eu-north-1"]);
    let roots = v["roots"].as_array().unwrap();
    assert_eq!(roots.len(), 1, "{v:#}");
    let alerts = instance(&roots[0], "aws_sns_topic.alerts");
    assert_eq!(alerts["region"], "eu-north-1");
    assert_eq!(alerts["region_from"], "--var region");
}

/// A region or destination that a condition chooses, when the condition
/// cannot be decided, is shown with what it may be, and the copy that may
/// leave the policy is marked in every format.
#[test]
fn what_a_condition_may_choose_is_shown() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                ".tfpin.hcl",
                "root = true
policy {
  allowed_regions = [\"eu-*\"]
}
",
            ),
            (
                "main.tf",
                r#"variable "dr" {
  type = bool
}

provider "aws" {
  region = var.dr ? "eu-north-1" : "eu-west-1"
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = "primary"
    copy_action {
      destination_vault_arn = var.dr ? "arn:aws:backup:us-east-1:1:backup-vault:v" : "arn:aws:backup:eu-central-1:1:backup-vault:v"
    }
  }
}
"#,
            ),
        ],
    );
    let v = json(d.path(), &[]);
    let r = &v["roots"][0];
    let plan = instance(r, "aws_backup_plan.daily");
    assert_eq!(plan["state"], "unknown");
    assert_eq!(
        plan["reason"],
        "`var.dr ? \"eu-north-1\" : \"eu-west-1\"` is not known statically; it may be \"eu-north-1\" or \"eu-west-1\""
    );
    let flow = &r["flows"][0];
    assert_eq!(flow["to"], serde_json::Value::Null);
    assert_eq!(
        flow["to_may_be"],
        serde_json::json!(["us-east-1", "eu-central-1"])
    );
    assert_eq!(flow["allowed"], false);
    let text = run(d.path(), &["regions"]);
    assert!(
        text.stdout.contains(
            "unknown -> may be us-east-1 or eu-central-1  AWS Backup copy, may be outside the policy"
        ),
        "{}",
        text.stdout
    );
    let dot = run(d.path(), &["regions", "--format", "dot"]);
    assert!(
        dot.stdout
            .contains("AWS Backup copy (may be us-east-1 or eu-central-1)"),
        "{}",
        dot.stdout
    );
}

/// A `for_each` past the limit is listed as far as it is expanded, with a
/// note that says so.
#[test]
fn a_cut_expansion_is_noted() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (".tfpin.hcl", "root = true\n"),
            (
                "main.tf",
                "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_sqs_queue\" \"q\" {\n  count = 300\n}\nmodule \"m\" {\n  source = \"./m\"\n  count  = 300\n}\n",
            ),
            ("m/main.tf", "resource \"aws_sns_topic\" \"t\" {}\n"),
        ],
    );
    let v = json(d.path(), &[]);
    let notes = &v["roots"][0]["notes"];
    assert_eq!(
        notes,
        &serde_json::json!([
            "the count of aws_sqs_queue.q makes more than 256 instances; only the first 256 are listed",
            "the count of module.m makes more than 256 instances; only the first 256 are expanded",
        ])
    );
    assert_eq!(v["roots"][0]["regions"][0]["count"], 512);
    let text = run(d.path(), &["regions"]);
    assert!(
        text.stdout
            .contains("note: the count of aws_sqs_queue.q makes more than 256 instances"),
        "{}",
        text.stdout
    );
    // The graph counts a large region rather than drawing every instance.
    let dot = run(d.path(), &["regions", "--format", "dot"]);
    assert!(
        dot.stdout
            .contains("[label=\"512 resource instances\", shape=note]"),
        "{}",
        dot.stdout
    );
}

/// Addresses longer than the line are broken between names, and nothing of
/// them is lost; JSON keeps them on one line.
#[test]
fn long_addresses_fit_the_width() {
    let d = tempfile::tempdir().unwrap();
    let long = "a_module_call_with_a_rather_long_name_for_a_terminal";
    let mut files = vec![
        (".tfpin.hcl".to_string(), "root = true\n".to_string()),
        (
            "main.tf".to_string(),
            format!("provider \"aws\" {{\n  region = \"eu-west-1\"\n}}\nmodule \"{long}\" {{\n  source = \"./m1\"\n}}\n"),
        ),
    ];
    for (m, next) in [("m1", Some("m2")), ("m2", None)] {
        let body = match next {
            Some(n) => format!("module \"{long}\" {{\n  source = \"../{n}\"\n}}\n"),
            None => {
                "resource \"aws_sqs_queue\" \"the_queue\" {\n  for_each = toset([\"last\"])\n}\n"
                    .to_string()
            }
        };
        files.push((format!("{m}/main.tf"), body));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write(d.path(), &files);
    let text = run(d.path(), &["regions"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for line in text.stdout.lines() {
        assert!(line.chars().count() <= 100, "wider than 100: {line:?}");
    }
    let address = format!("module.{long}.module.{long}.aws_sqs_queue.the_queue[\"last\"]");
    // The instance's lines, the address's parts and its location.
    let lines: Vec<&str> = text
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("  eu-west-1"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .collect();
    assert!(lines.len() > 1, "{}", text.stdout);
    let joined: String = lines.concat().split_whitespace().collect();
    assert_eq!(joined, format!("{address}m2/main.tf:1"), "{}", text.stdout);
    let v = json(d.path(), &[]);
    assert_eq!(v["roots"][0]["instances"][0]["address"], address);
}

/// Copies of one kind from several resources of a region are one edge
/// between the clusters, naming them, not one arrow each.
#[test]
fn copies_of_a_kind_between_two_regions_are_one_edge() {
    let d = tempfile::tempdir().unwrap();
    let mut main = String::from(
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nprovider \"aws\" {\n  alias  = \"us\"\n  region = \"us-east-1\"\n}\nresource \"aws_s3_bucket\" \"archive\" {\n  provider = aws.us\n}\n",
    );
    for name in ["a", "b", "c", "d"] {
        main.push_str(&format!(
            "resource \"aws_s3_bucket\" \"{name}\" {{}}\nresource \"aws_s3_bucket_replication_configuration\" \"{name}\" {{\n  bucket = aws_s3_bucket.{name}.id\n  rule {{\n    destination {{\n      bucket = aws_s3_bucket.archive.arn\n    }}\n  }}\n}}\n"
        ));
    }
    write(
        d.path(),
        &[(".tfpin.hcl", "root = true\n"), ("main.tf", &main)],
    );
    let r = run(d.path(), &["regions", "--format", "dot"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let edges: Vec<&str> = r.stdout.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!(edges.len(), 1, "{}", r.stdout);
    assert!(edges[0].contains("ltail=cluster_0"), "{}", edges[0]);
    assert!(
        edges[0].contains("label=\"S3 replication\\naws_s3_bucket_replication_configuration.a\\naws_s3_bucket_replication_configuration.b\\naws_s3_bucket_replication_configuration.c\\nand 1 more\""),
        "{}",
        edges[0]
    );
    if std::process::Command::new("dot").arg("-V").output().is_ok() {
        render_svg(&r.stdout);
    }
}

#[test]
fn the_report_can_be_written_to_a_file() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("regions.dot");
    let r = run(
        &fixture(),
        &[
            "regions",
            "--format",
            "dot",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("digraph regions {"), "{written}");
}

#[test]
fn usage_and_input_errors_exit_2_and_say_where() {
    let r = run(&fixture(), &["regions", "no/such/dir"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no/such/dir"), "{}", r.stderr);
    let r = run(&fixture(), &["regions", "--format", "svg"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("svg"), "{}", r.stderr);
    let r = run(&fixture(), &["regions", "--var", "novalue"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--var \"novalue\""), "{}", r.stderr);
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (".tfpin.hcl", "root = true\n"),
            ("README.md", "no terraform\n"),
        ],
    );
    let r = run(d.path(), &["regions"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no Terraform files found"),
        "{}",
        r.stderr
    );
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The lines of the code block that follows `after` in the commands
/// reference, `docs/commands.md`, which holds the examples of the report.
fn readme_block(after: &str) -> String {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/commands.md"))
            .unwrap();
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("docs/commands.md has no {after:?}"));
    let rest = &text[start + after.len()..];
    let rest = &rest[rest.find('\n').unwrap() + 1..];
    rest[..rest.find("```").unwrap()].to_string()
}

/// The README's examples of the report are what the command prints.
#[test]
fn the_readme_shows_what_the_command_prints() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/multi-region");
    let text = run(&example, &["regions"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(
        readme_block("$ cd examples/multi-region && tfpin regions"),
        text.stdout
    );
    let shown: serde_json::Value = serde_json::from_str(&readme_block(
        "`check`'s: fields are only ever added.\n\n```json",
    ))
    .unwrap();
    assert_eq!(shown, json(&example, &["envs/staging"]));

    // The providers example shows the start of the report, cut at `...`.
    let providers = run(&example, &["providers"]);
    assert_eq!(providers.code, 0, "{}", providers.stderr);
    let shown = readme_block("$ cd examples/multi-region && tfpin providers");
    let head = shown
        .strip_suffix("...\n")
        .expect("the providers example ends with `...`");
    assert!(
        providers.stdout.starts_with(head),
        "docs/commands.md shows:\n{head}\nthe command prints:\n{}",
        providers.stdout
    );

    let constraint = run(
        &example,
        &[
            "constraint",
            "--format",
            "json",
            "~> 5.31",
            "5.32.1",
            "6.0.0",
        ],
    );
    assert_eq!(
        readme_block("$ tfpin constraint --format json \"~> 5.31\" 5.32.1 6.0.0"),
        constraint.stdout
    );
}

/// Every command is in the README's table of commands.
#[test]
fn every_command_is_in_the_readme() {
    use clap::CommandFactory;
    let text = readme();
    for c in tfpin::cli::Cli::command().get_subcommands() {
        let row = format!("| `tfpin {}", c.get_name());
        assert!(
            text.contains(&row),
            "the README's commands table has no {row}"
        );
    }
}
