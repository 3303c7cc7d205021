//! Loading real directory trees: discovery, places in the module graph, static
//! values per module instance, and hostile file-system shapes.

use std::path::{Path, PathBuf};
use tfpin::config::Settings;
use tfpin::eval::{OriginKind, Value};
use tfpin::model::values::{CliValues, Values};
use tfpin::model::{CallTarget, Place};

mod common;
use common::{check, findings as rules_and_messages, write};

/// A root module with nothing to report, so that a test sees only the
/// findings it is about.
const PINNED: &str = "terraform {\n  required_version = \"~> 1.9\"\n}\n";

#[test]
fn places_follow_calls_and_backends() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "envs/prod/main.tf",
                "module \"net\" {\n  source = \"../../modules/net\"\n}\n",
            ),
            ("modules/net/main.tf", "variable \"x\" {}\n"),
            ("modules/unused/main.tf", "variable \"y\" {}\n"),
            (
                "modules/has-backend/main.tf",
                "terraform {\n  backend \"s3\" {}\n}\n",
            ),
            (
                "envs/dev/main.tf",
                "module \"b\" {\n  source = \"../../modules/has-backend\"\n}\n",
            ),
        ],
    );
    let r = check(d.path());
    let place = |name: &str| {
        r.workspace
            .modules
            .iter()
            .find(|m| m.display == name)
            .unwrap_or_else(|| panic!("{name} not loaded"))
            .place
    };
    assert_eq!(place("envs/prod"), Place::Root);
    assert_eq!(place("modules/net"), Place::Child);
    assert_eq!(place("modules/unused"), Place::Root);
    assert_eq!(place("modules/has-backend"), Place::Root);
    let prod = r
        .workspace
        .modules
        .iter()
        .find(|m| m.display == "envs/prod")
        .unwrap();
    let net = r
        .workspace
        .modules
        .iter()
        .find(|m| m.display == "modules/net")
        .unwrap();
    assert_eq!(prod.calls, vec![CallTarget::Local(net.id)]);
    assert_eq!(r.workspace.tree(prod.id), vec![prod.id, net.id]);
}

#[test]
fn a_file_argument_checks_its_module_and_reads_called_modules_as_context() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "envs/prod/main.tf",
                "terraform {\n  required_version = \"~> 1.9\"\n}\n\nmodule \"net\" {\n  source = \"../../modules/net\"\n}\n",
            ),
            ("modules/net/main.tf", "resource \"x\" \"y\" {\n  a = \n}\n"),
            ("envs/dev/broken.tf", "}\n"),
            (".git/HEAD", ""),
        ],
    );
    let file = d.path().join("envs/prod/main.tf");
    let r = tfpin::check(d.path(), &[file], &Settings::default()).unwrap();
    let shown: Vec<&str> = r
        .workspace
        .modules
        .iter()
        .map(|m| m.display.as_str())
        .collect();
    assert_eq!(shown, ["envs/prod", "modules/net"]);
    assert!(r.workspace.modules[0].target);
    assert!(!r.workspace.modules[1].target);
    // The broken child is context: its parse error is not reported for a
    // check of envs/prod, and envs/dev was never read.
    assert!(r.findings.is_empty(), "{:?}", rules_and_messages(&r));
}

#[test]
fn deleted_file_arguments_are_not_errors() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("a/main.tf", PINNED)]);
    let gone_in_module = d.path().join("a/deleted.tf");
    let gone_everything = d.path().join("b/deleted.tf");
    let r = tfpin::check(
        d.path(),
        &[gone_in_module, gone_everything],
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(r.workspace.modules.len(), 1);
    assert!(r.findings.is_empty());
    let missing_dir = d.path().join("nope");
    let err = tfpin::check(d.path(), &[missing_dir], &Settings::default()).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[test]
fn skips_tool_directories_and_hidden_ones() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("main.tf", PINNED),
            (".terraform/modules/vpc/main.tf", "}\n"),
            (".git/x.tf", "}\n"),
            (".hidden/x.tf", "}\n"),
        ],
    );
    let r = check(d.path());
    assert_eq!(r.workspace.modules.len(), 1);
    assert!(r.findings.is_empty(), "{:?}", rules_and_messages(&r));
}

#[test]
fn excluded_paths_are_not_read() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[("ok/main.tf", PINNED), ("legacy/a/main.tf", "}\n")],
    );
    let settings = tfpin::config::parse_str("exclude = [\"legacy/**\"]\n", ".tfpin.hcl").unwrap();
    let r = tfpin::check(d.path(), &[d.path().to_path_buf()], &settings).unwrap();
    assert_eq!(r.workspace.modules.len(), 1);
    assert!(r.findings.is_empty());
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_escapes_are_reported_not_followed() {
    let d = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), &[("secret.tf", "}\n")]);
    let root = d.path().join("tree");
    write(
        &root,
        &[
            ("main.tf", "variable \"x\" {}\n"),
            ("sub/inner.tf", "variable \"y\" {}\n"),
        ],
    );
    std::os::unix::fs::symlink(&root, root.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("escape")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.tf"), root.join("linked.tf")).unwrap();
    let r = check(&root);
    let found = rules_and_messages(&r);
    assert!(
        found.iter().any(|(rule, file, m)| rule == "file-unreadable"
            && file == "sub/loop"
            && m.starts_with("symlink loop")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(rule, file, m)| rule == "file-unreadable"
            && file == "escape"
            && m.starts_with("symlink points outside the scanned tree")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(_, file, _)| file == "linked.tf"),
        "{found:?}"
    );
    // Nothing from outside was parsed.
    assert!(
        !found.iter().any(|(rule, _, _)| rule == "parse-error"),
        "{found:?}"
    );
}

#[test]
fn hostile_files_become_findings() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("main.tf", "variable \"x\" {}\n"),
            ("binary.tf", "a = 1\n\0\0\0"),
            ("heredoc.tf", "a = <<EOT\nnever closed\n"),
        ],
    );
    std::fs::write(d.path().join("latin1.tf"), b"a = \"caf\xe9\"\n").unwrap();
    // A sparse file over the size limit is refused without being read.
    let big = std::fs::File::create(d.path().join("huge.tf")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    let r = check(d.path());
    let found = rules_and_messages(&r);
    let has = |rule: &str, file: &str, needle: &str| {
        found
            .iter()
            .any(|(r, f, m)| r == rule && f == file && m.contains(needle))
    };
    assert!(has("parse-error", "binary.tf", "binary"), "{found:?}");
    assert!(has("parse-error", "latin1.tf", "UTF-8"), "{found:?}");
    assert!(has("parse-error", "heredoc.tf", ""), "{found:?}");
    assert!(
        has("file-unreadable", "huge.tf", "file is too large"),
        "{found:?}"
    );
}

#[test]
fn module_sources_that_climb_out_are_not_read() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("tree");
    write(
        d.path(),
        &[
            ("outside/main.tf", "}\n"),
            (
                "tree/main.tf",
                "module \"o\" {\n  source = \"../outside\"\n}\nmodule \"far\" {\n  source = \"../../../../../../../../../../etc\"\n}\n",
            ),
        ],
    );
    let r = check(&root);
    assert_eq!(
        r.workspace.modules.len(),
        1,
        "nothing outside the tree is loaded"
    );
    let found = rules_and_messages(&r);
    assert_eq!(
        found
            .iter()
            .filter(|(rule, _, m)| rule == "file-unreadable" && m.contains("leaves the project"))
            .count(),
        2,
        "{found:?}"
    );
}

#[test]
fn cycles_are_found_once_without_looping() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("main.tf", "module \"a\" {\n  source = \"./a\"\n}\n"),
            ("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"),
            ("b/main.tf", "module \"c\" {\n  source = \"../c\"\n}\n"),
            (
                "c/main.tf",
                "module \"a\" {\n  source = \"../a\"\n}\nmodule \"self\" {\n  source = \"./\"\n}\n",
            ),
        ],
    );
    let r = check(d.path());
    assert_eq!(r.workspace.cycles.len(), 2, "{:?}", r.workspace.cycles);
    let cycles: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "module-cycle")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        cycles,
        [
            "module \"b\" is part of a module-call cycle: `a` -> `b` -> `c` -> `a`",
            "module \"self\" is part of a module-call cycle: `c` -> `c`",
        ]
    );
}

#[test]
fn override_files_are_merged_last_and_known_by_their_names() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            // Sorts before main.tf, but is merged after it.
            (
                "a_override.tf",
                "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
            ),
            (
                "main.tf",
                "provider \"aws\" {\n  region = \"us-east-1\"\n}\n",
            ),
            // Not an override file: only `override.tf` and `*_override.tf` are.
            (
                "overrides.tf",
                "provider \"aws\" {\n  alias  = \"west\"\n  region = \"us-west-2\"\n}\n",
            ),
        ],
    );
    let r = check(d.path());
    let m = &r.workspace.modules[0];
    let regions: Vec<(Option<String>, Option<String>)> = m
        .config
        .provider_configs
        .iter()
        .map(|pc| {
            (
                pc.alias.as_ref().map(|a| a.value.clone()),
                pc.region().and_then(|e| e.literal_str()),
            )
        })
        .collect();
    assert_eq!(
        regions,
        [
            (None, Some("eu-west-1".to_string())),
            (Some("west".to_string()), Some("us-west-2".to_string())),
        ]
    );
}

fn values_fixture(root: &Path) -> PathBuf {
    write(
        root,
        &[
            (
                "variables.tf",
                "variable \"region\" {\n  default = \"us-east-1\"\n}\nvariable \"env\" {\n  default = \"prod\"\n}\n",
            ),
            ("terraform.tfvars", "region = \"eu-west-1\"\n"),
            ("b.auto.tfvars", "region = \"eu-central-1\"\n"),
            (
                "main.tf",
                r#"
locals {
  dr = "eu-north-1"
}
module "primary" {
  source = "./modules/regional"
  region = var.region
  name   = "${var.env}-primary"
}
module "dr" {
  source = "./modules/regional"
  region = local.dr
  name   = "dr"
}
"#,
            ),
            (
                "modules/regional/main.tf",
                "variable \"region\" {}\nvariable \"name\" {}\nprovider \"aws\" {\n  region = var.region\n}\noutput \"name\" {\n  value = var.name\n}\n",
            ),
        ],
    );
    root.to_path_buf()
}

#[test]
fn values_are_resolved_per_call_with_their_origin() {
    let d = tempfile::tempdir().unwrap();
    let root = values_fixture(d.path());
    let r = check(&root);
    let ws = &r.workspace;
    let values = Values::build(ws, &CliValues::default());
    let regional = ws
        .modules
        .iter()
        .find(|m| m.display == "modules/regional")
        .unwrap();
    let region_expr = regional.config.provider_configs[0].region().unwrap();
    let mut seen: Vec<(String, Value, String)> = values
        .instances_of(regional.id)
        .map(|i| {
            let v = values.eval(i, region_expr);
            let origin = v.origin.as_ref().map(|o| match &o.kind {
                OriginKind::Tfvars { .. } => format!(
                    "tfvars {}",
                    ws.sources.get(o.span.as_ref().unwrap().file).display
                ),
                OriginKind::Local { name } => format!("local {name}"),
                other => format!("{other:?}"),
            });
            (
                values.instances[i].address.clone(),
                v.value,
                origin.unwrap_or_default(),
            )
        })
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        [
            (
                "module.dr".to_string(),
                Value::String("eu-north-1".into()),
                "local dr".to_string()
            ),
            (
                "module.primary".to_string(),
                Value::String("eu-central-1".into()),
                "tfvars b.auto.tfvars".to_string()
            ),
        ]
    );
    // The two calls disagree, so the module on its own has no single value.
    assert!(values
        .eval_in_module(regional.id, region_expr)
        .value
        .is_unknown());
}

#[test]
fn command_line_values_win_over_files() {
    let d = tempfile::tempdir().unwrap();
    let root = values_fixture(d.path());
    std::fs::write(
        d.path().join("extra.tfvars"),
        "region = \"ap-southeast-2\"\n",
    )
    .unwrap();
    let mut settings = Settings::default();
    settings.var_files.push(d.path().join("extra.tfvars"));
    settings.vars.push(("env".into(), "staging".into()));
    let r = tfpin::check(&root, std::slice::from_ref(&root), &settings).unwrap();
    let ws = &r.workspace;
    // Build the values the way the engine does, with the same CLI inputs.
    let tfvars =
        tfpin::eval::parse_tfvars(tfpin::source::FileId(0), "region = \"ap-southeast-2\"\n")
            .unwrap();
    let cli = CliValues {
        var_files: vec![tfvars],
        vars: settings.vars.clone(),
    };
    let values = Values::build(ws, &cli);
    let regional = ws
        .modules
        .iter()
        .find(|m| m.display == "modules/regional")
        .unwrap();
    let primary = values
        .instances_of(regional.id)
        .find(|i| values.instances[*i].address == "module.primary")
        .unwrap();
    assert_eq!(
        values.variable(primary, "region").value,
        Value::String("ap-southeast-2".into())
    );
    assert_eq!(
        values.variable(primary, "name").value,
        Value::String("staging-primary".into())
    );
}

#[test]
fn a_broken_var_file_stops_the_run_with_its_location() {
    let d = tempfile::tempdir().unwrap();
    let root = values_fixture(d.path());
    std::fs::write(d.path().join("bad.tfvars"), "region = upper(\"x\")\n").unwrap();
    let mut settings = Settings::default();
    settings.var_files.push(d.path().join("bad.tfvars"));
    let err = tfpin::check(&root, std::slice::from_ref(&root), &settings).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("bad.tfvars") && msg.contains("1:"), "{msg}");
}

/// A deployed root and its child, each lacking something a rule reports:
/// no required_version, no lock file, an unbounded and an unused provider,
/// an undeclared provider, an undefined alias, no default configuration.
const LACKING: &[(&str, &str)] = &[
    (
        "main.tf",
        "terraform {\n  backend \"s3\" {}\n  required_providers {\n    aws    = { source = \"hashicorp/aws\", version = \">= 5.0\" }\n    random = { source = \"hashicorp/random\", version = \"~> 3.0\" }\n  }\n}\n\nprovider \"aws\" {\n  alias  = \"eu\"\n  region = \"eu-west-1\"\n}\n\nresource \"aws_s3_bucket\" \"b\" {}\n\n# tfpin-ignore: provider-not-declared\nresource \"google_storage_bucket\" \"g\" {\n  provider = google.west\n}\n\nmodule \"net\" {\n  source = \"./net\"\n  providers = {\n    aws.peer = aws.eu\n  }\n}\n",
    ),
    (
        "net/main.tf",
        "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \">= 5.0\" }\n  }\n}\n\nresource \"aws_vpc\" \"v\" {}\n",
    ),
];

/// The rules of every finding, sorted, each once.
fn rules_found(r: &tfpin::Report) -> Vec<&str> {
    let mut rules: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    rules.sort();
    rules.dedup();
    rules
}

/// Each way a configuration file can fail to be read whole, with the
/// rule that reports it.
fn spoil(dir: &Path, how: &str) -> &'static str {
    match how {
        "syntax" => {
            std::fs::write(dir.join("broken.tf"), "locals {\n  a = \n").unwrap();
            "parse-error"
        }
        "binary" => {
            std::fs::write(dir.join("binary.tf"), "a = 1\n\0\0\0").unwrap();
            "parse-error"
        }
        "json" => {
            std::fs::write(dir.join("broken.tf.json"), "{\"locals\": {\"a\": 1,}}\n").unwrap();
            "parse-error"
        }
        "json-shape" => {
            std::fs::write(dir.join("shape.tf.json"), "{\"provider\": [1]}\n").unwrap();
            "parse-error"
        }
        "too-large" => {
            let big = std::fs::File::create(dir.join("huge.tf")).unwrap();
            big.set_len(200 * 1024 * 1024).unwrap();
            "file-unreadable"
        }
        #[cfg(unix)]
        "dangling" => {
            std::os::unix::fs::symlink(dir.join("gone.tf.orig"), dir.join("gone.tf")).unwrap();
            "file-unreadable"
        }
        _ => unreachable!("{how}"),
    }
}

const SPOILERS: &[&str] = &[
    "syntax",
    "binary",
    "json",
    "json-shape",
    "too-large",
    #[cfg(unix)]
    "dangling",
];

#[test]
fn a_module_with_a_file_not_read_whole_gets_no_finding_about_what_it_lacks() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), LACKING);
    let whole = check(d.path());
    assert!(whole.workspace.modules.iter().all(|m| m.config_complete));
    assert_eq!(
        rules_found(&whole),
        [
            "lock-missing",
            "module-providers-mismatch",
            "provider-alias-undefined",
            "provider-default-missing",
            "provider-region-missing",
            "provider-unused",
            "provider-version-unbounded",
            "terraform-version-missing",
        ],
        "{:?}",
        rules_and_messages(&whole)
    );
    for how in SPOILERS {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), LACKING);
        let reported_by = spoil(d.path(), how);
        let r = check(d.path());
        assert!(!common::module(&r, ".").config_complete, "{how}");
        // The one finding about the file, and what the module says (the
        // call passes a configuration its child does not declare); no
        // ignore-unused for the comment whose finding is held back.
        assert_eq!(
            rules_found(&r),
            {
                let mut want = [reported_by, "module-providers-mismatch"];
                want.sort();
                want
            },
            "{how}: {:?}",
            rules_and_messages(&r)
        );
        let about_file = r.findings.iter().filter(|f| f.rule == reported_by);
        assert_eq!(about_file.count(), 1, "{how}");
    }
}

#[test]
fn a_child_not_read_whole_silences_what_its_tree_seems_to_lack() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), LACKING);
    spoil(&d.path().join("net"), "syntax");
    let r = check(d.path());
    // The root's own absences stand; the tree's do not (the child may bound
    // aws, or use random), and nothing is said of what the child lacks.
    assert_eq!(
        rules_found(&r),
        [
            "lock-missing",
            "parse-error",
            "provider-alias-undefined",
            "provider-default-missing",
            "provider-region-missing",
            "terraform-version-missing",
        ],
        "{:?}",
        rules_and_messages(&r)
    );
}

/// (file, line, rule) of the findings of rules named `prefix...` for a
/// deployed root whose terraform block holds `setting` and which calls
/// `net/main.tf`, holding `child`.
fn findings_of(prefix: &str, setting: &str, child: &str) -> Vec<(String, usize, String)> {
    let d = tempfile::tempdir().unwrap();
    let root = format!(
        "terraform {{\n  backend \"s3\" {{}}\n{setting}}}\nmodule \"net\" {{\n  source = \"./net\"\n}}\n"
    );
    write(d.path(), &[("main.tf", &root), ("net/main.tf", child)]);
    let found = common::located(&check(d.path()));
    (found.into_iter())
        .filter(|f| f.3.starts_with(prefix))
        .map(|f| (f.0, f.1, f.3))
        .collect()
}

/// One finding of `rule` in `main.tf` at `line`.
fn in_main(line: usize, rule: &str) -> Vec<(String, usize, String)> {
    vec![("main.tf".to_string(), line, rule.to_string())]
}

#[test]
fn terraform_version_missing_and_unbounded_never_meet() {
    // The child states an unbounded required_version.
    let child = "terraform {\n  required_version = \">= 1.0\"\n}\n";
    let version_findings = |setting: &str| findings_of("terraform-version-", setting, child);
    assert_eq!(
        version_findings(""),
        in_main(1, "terraform-version-missing")
    );
    // With a required_version of its own, unbounded, the root hears the
    // other one, at its constraint.
    assert_eq!(
        version_findings("  required_version = \">= 1.5\"\n"),
        in_main(3, "terraform-version-unbounded")
    );
}

#[test]
fn provider_version_missing_and_unbounded_never_meet() {
    // The child requires aws `>= 5.0`; the root's required_providers holds
    // `entry`.
    let child = "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \">= 5.0\" }\n  }\n}\n";
    let version_findings = |entry: &str| {
        let setting = format!("  required_providers {{\n{entry}  }}\n");
        findings_of("provider-version-", &setting, child)
    };
    // The root's entry has no version: one finding, there.
    assert_eq!(
        version_findings("    aws = { source = \"hashicorp/aws\" }\n"),
        in_main(4, "provider-version-missing")
    );
    // With no entry of its own, the root hears that the tree is unbounded.
    assert_eq!(
        version_findings(""),
        in_main(1, "provider-version-unbounded")
    );
    assert_eq!(
        version_findings("    aws = { source = \"hashicorp/aws\", version = \">= 5.1\" }\n"),
        in_main(4, "provider-version-unbounded")
    );
}
