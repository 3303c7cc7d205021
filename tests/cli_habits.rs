//! The habits users bring from other linters: `tfpin init`, completions
//! that know the rule ids, and a configuration that refuses what it cannot
//! mean.

mod common;

use common::{run, write};

fn tree(root: &std::path::Path) {
    write(
        root,
        &[
            (
                "live/prod/main.tf",
                "terraform {\n  backend \"s3\" {}\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n\nprovider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nprovider \"aws\" {\n  alias  = \"us\"\n  region = \"us-east-1\"\n}\n",
            ),
            (
                "examples/basic/main.tf",
                "provider \"google\" {\n  region = \"europe-west3\"\n}\n",
            ),
            (".terraform-version", "1.11.4\n"),
        ],
    );
}

#[test]
fn init_writes_a_starter_tuned_to_the_tree_and_never_overwrites() {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    let r = run(d.path(), &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("wrote .tfpin.hcl"), "{}", r.stderr);
    let text = std::fs::read_to_string(d.path().join(".tfpin.hcl")).unwrap();
    // What it found: the roles, the regions by provider, the release.
    assert!(text.contains("#   deployed-root: live/prod\n"), "{text}");
    assert!(
        text.contains("#   example-root: examples/basic\n"),
        "{text}"
    );
    assert!(text.contains("#   aws: eu-west-1, us-east-1\n"), "{text}");
    assert!(text.contains("#   google: europe-west3\n"), "{text}");
    assert!(
        text.contains("# allowed_regions = [\"eu-west-1\", \"europe-west3\", \"us-east-1\"]"),
        "{text}"
    );
    assert!(
        text.contains("\n  terraform_version = \"1.11.4\"\n"),
        "{text}"
    );
    assert!(text.contains("engine = \"auto\""), "{text}");
    // It is a configuration tfpin reads, and it governs the tree.
    let c = run(d.path(), &["config", "--format", "json"]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let v: serde_json::Value = serde_json::from_str(&c.stdout).unwrap();
    assert_eq!(v["files"][0], ".tfpin.hcl");
    let keys: Vec<&str> = (v["settings"].as_array().unwrap().iter())
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["engine", "policy.terraform_version"], "{v}");
    // Uncommenting the policy gives a configuration that still reads.
    let edited = text.replace("  # allowed_regions =", "  allowed_regions =");
    std::fs::write(d.path().join(".tfpin.hcl"), &edited).unwrap();
    assert_eq!(run(d.path(), &["config"]).code, 0);
    // A second run refuses, and leaves the file alone.
    let again = run(d.path(), &["init"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(d.path().join(".tfpin.hcl")).unwrap(),
        edited
    );
    // `--stdout` prints it instead.
    let printed = run(d.path(), &["init", "--stdout"]);
    assert_eq!(printed.code, 0);
    assert_eq!(printed.stdout, text);
}

#[test]
fn init_in_a_missing_directory_is_a_usage_error() {
    let d = tempfile::tempdir().unwrap();
    let r = run(d.path(), &["init", "nowhere"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`nowhere` is not a directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn completions_offer_every_rule_id_in_every_shell() {
    let d = tempfile::tempdir().unwrap();
    // clap_complete completes values in bash, zsh and fish; its elvish
    // and PowerShell scripts complete options and subcommands only.
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = run(d.path(), &["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("select"), "{shell}");
        if matches!(shell, "elvish" | "powershell") {
            continue;
        }
        for meta in tfpin::rules::all() {
            assert!(r.stdout.contains(meta.id), "{shell}: no {}", meta.id);
        }
    }
    // In bash, where a rule is taken: after --select, and for `explain`.
    let bash = run(d.path(), &["completions", "bash"]).stdout;
    let select = bash
        .lines()
        .skip_while(|l| !l.contains("--select)"))
        .nth(1)
        .unwrap();
    assert!(select.contains("provider-version-unbounded"), "{select}");
    // Parsing does not use the list: an unknown id gets tfpin's message.
    let r = run(d.path(), &["explain", "provider-version-unbound"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("did you mean \"provider-version-unbounded\""),
        "{}",
        r.stderr
    );
}

#[test]
fn the_configuration_refuses_unknown_regions_and_platforms() {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    write(
        d.path(),
        &[(
            ".tfpin.hcl",
            "policy {\n  allowed_regions = [\"eu-west-99\", \"eu-*\", \"westeurope\", \"xx-*\"]\n}\nlock {\n  platforms = [\"linux_amd65\"]\n}\n",
        )],
    );
    let r = run(d.path(), &["check"]);
    assert_eq!(r.code, 2);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.stderr);
    let expected = [
        "  .tfpin.hcl:2:22: unknown region \"eu-west-99\"",
        "did you mean \"eu-west-1\"",
        "\"xx-*\" in `allowed_regions` matches no region",
        "did you mean \"linux_amd64\"",
    ];
    for (line, want) in [lines[1], lines[1], lines[2], lines[3]]
        .iter()
        .zip(expected)
    {
        assert!(line.contains(want), "{want} not in {line:?}\n{}", r.stderr);
    }
}

#[test]
fn providers_columns_never_run_together() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "main.tf",
                "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\nprovider \"aws\" {\n  region = \"eu-west-1\"\n}\nprovider \"aws\" {\n  alias  = \"a_very_long_alias_name_for_the_replica_region\"\n  region = \"eu-central-1\"\n}\nmodule \"a_module_with_a_name_longer_than_twenty_eight\" {\n  source = \"./modules/a-module-directory-with-a-long-name\"\n}\n",
            ),
            (
                "modules/a-module-directory-with-a-long-name/main.tf",
                "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 5.0\"\n    }\n  }\n}\n",
            ),
        ],
    );
    let r = run(d.path(), &["providers"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Every row of a table has at least two spaces between its columns,
    // and the columns line up.
    let rows: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("    ")).collect();
    assert!(rows.len() >= 4, "{}", r.stdout);
    let requirement_rows: Vec<&str> = rows.iter().copied().filter(|l| l.contains('"')).collect();
    let starts: Vec<usize> = requirement_rows
        .iter()
        .map(|l| l.find('"').unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{}", r.stdout);
    for row in &rows {
        let cells: Vec<&str> = row.trim().split("  ").filter(|c| !c.is_empty()).collect();
        assert!(cells.len() >= 2, "{row:?} in\n{}", r.stdout);
    }
}
