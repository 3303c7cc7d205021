//! Replays what terraform 1.11.4 did with the trees in `tests/data/engine/`
//! (recorded by `tests/data/engine/record.sh`): tfpin's Terraform reading
//! of each tree must agree with it.

mod common;

use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use tfpin::config::Settings;

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/engine")
        .join(case)
}

fn oracle(case: &str) -> Json {
    let text = std::fs::read_to_string(case_dir(case).join("oracle.json")).unwrap();
    let json: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(json["terraform_version"], "1.11.4");
    json
}

/// Checks a case's tree as Terraform reads it.
fn check(case: &str) -> tfpin::Report {
    let tree = case_dir(case).join("tree");
    let settings = Settings {
        engine: tfpin::fileset::EngineChoice::Terraform,
        ..Settings::default()
    };
    tfpin::check(&tree, std::slice::from_ref(&tree), &settings).unwrap()
}

/// Each provider's constraints in the root tree, intersected and written
/// as Terraform writes them in `terraform providers` and the lock file.
fn requirements(r: &tfpin::Report) -> Vec<(String, String)> {
    let trees = tfpin::model::requirements::compute(&r.workspace);
    let root = trees
        .iter()
        .find(|t| r.workspace.module(t.root).display == ".")
        .expect("the tree's root is its top directory");
    root.providers
        .values()
        .map(|p| (p.addr.to_string(), p.effective.normalized()))
        .collect()
}

fn oracle_requirements(case: &str) -> Vec<(String, String)> {
    let o = oracle(case);
    let mut v: Vec<(String, String)> = o["facts"]["requirements"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn requirements_agree_with_terraform() {
    for case in [
        "tofu-ignored",
        "provider-block-version",
        "provider-block-version-conflict",
        "provider-block-version-only",
    ] {
        let r = check(case);
        assert_eq!(requirements(&r), oracle_requirements(case), "{case}");
    }
}

/// A directory with only `.tofu` files is no configuration to Terraform
/// (`terraform providers` says "No configuration files").
#[test]
fn an_opentofu_only_directory_is_no_terraform_module() {
    let o = oracle("tofu-only");
    let providers = &o["commands"][0];
    assert_eq!(providers["argv"][1], "providers");
    assert!(providers["stderr"]
        .as_str()
        .unwrap()
        .contains("No configuration files"));
    // Terraform's reading has no module, and a check that reads nothing is
    // a usage error, as Terraform's own is.
    let tree = case_dir("tofu-only").join("tree");
    let settings = Settings {
        engine: tfpin::fileset::EngineChoice::Terraform,
        ..Settings::default()
    };
    let terraform = tfpin::fileset::Engine::Terraform;
    let (ws, _) =
        tfpin::engine::load_as(&tree, std::slice::from_ref(&tree), &settings, terraform).unwrap();
    assert!(ws.modules.is_empty());
    let err = tfpin::check(&tree, std::slice::from_ref(&tree), &settings).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("no Terraform files found under"),
        "{err}"
    );
}

/// Every variable's value after the automatically loaded files, in
/// Terraform's precedence: each value in the tree names the file it was
/// written in.
#[test]
fn variables_files_load_as_terraform_loads_them() {
    use tfpin::model::values::{CliValues, Values};
    let o = oracle("tfvars-variants");
    let r = check("tfvars-variants");
    let values = Values::build(&r.workspace, &CliValues::default());
    let root = r
        .workspace
        .modules
        .iter()
        .find(|m| m.display == ".")
        .unwrap();
    let instance = values.instances_of(root.id).next().unwrap();
    let expected = o["facts"]["variable_values"].as_object().unwrap();
    assert!(expected.len() >= 5);
    for (name, want) in expected {
        let got = values.variable(instance, name).value;
        assert_eq!(
            got,
            tfpin::eval::Value::String(want.as_str().unwrap().into()),
            "var.{name}"
        );
    }
    // The files Terraform did not load are not read at all.
    let read: Vec<&str> = r
        .workspace
        .sources
        .iter()
        .map(|(_, f)| f.display.as_str())
        .collect();
    for name in o["facts"]["files_not_loaded"].as_array().unwrap() {
        assert!(!read.contains(&name.as_str().unwrap()), "{name}");
    }
    assert!(common::findings(&r).iter().all(|f| f.0 != "parse-error"));
}

/// A dangling `terraform.tfvars` is skipped; a dangling `*.auto.tfvars`
/// fails the plan, and is one finding.
#[cfg(unix)]
#[test]
fn dangling_variables_files_as_terraform_treats_them() {
    let quiet = oracle("tfvars-dangling-symlink");
    assert_eq!(quiet["facts"]["plan_exit_code"], 0);
    let r = check("tfvars-dangling-symlink");
    assert!(
        common::findings(&r)
            .iter()
            .all(|f| f.0 != "file-unreadable"),
        "{:?}",
        common::findings(&r)
    );

    let failing = oracle("tfvars-dangling-symlink-auto");
    assert_eq!(failing["facts"]["plan_exit_code"], 1);
    let r = check("tfvars-dangling-symlink-auto");
    let unreadable: Vec<_> = common::findings(&r)
        .into_iter()
        .filter(|f| f.0 == "file-unreadable")
        .collect();
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert_eq!(unreadable[0].1, "x.auto.tfvars");
}

/// A lock file that names a provider in any but its normalised form is
/// refused whole; tfpin says so once, at the address, naming the form
/// Terraform asks for.
#[test]
fn lock_addresses_must_be_normalised() {
    for case in ["lock-uppercase", "lock-no-hostname"] {
        let o = oracle(case);
        let error = &o["facts"]["init_error"];
        assert_eq!(error["summary"], "Non-normalized provider source address");
        let detail = error["detail"].as_str().unwrap();
        let wanted = detail.split('"').nth(1).unwrap();
        let line: usize = error["location"]
            .as_str()
            .unwrap()
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let r = check(case);
        let refused: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.message.contains("not in its normalised form"))
            .collect();
        assert_eq!(refused.len(), 1, "{case}");
        let f = refused[0];
        assert_eq!(f.rule, "parse-error");
        assert!(
            f.message.contains(&format!("\"{wanted}\"")),
            "{}",
            f.message
        );
        let file = r.workspace.sources.get(f.span.file);
        assert_eq!(file.display, ".terraform.lock.hcl");
        assert_eq!(file.line_col(f.span.range.start).line, line, "{case}");
    }
    let control = oracle("lock-control");
    assert_eq!(control["facts"]["init_exit_code"], 0);
    let r = check("lock-control");
    assert!(r.findings.iter().all(|f| f.rule != "parse-error"));
}

/// Which module sources Terraform rejects before it fetches anything:
/// exactly those `module-source-invalid` reports, and a `version` on a
/// source that is not a registry address, which `constraint-invalid`
/// reports.
#[test]
fn module_sources_terraform_rejects_are_invalid() {
    let cases = [
        "module-source-git",
        "module-source-github-shorthand",
        "module-source-local",
        "module-source-local-missing",
        "module-source-local-with-version",
        "module-source-registry",
        "module-source-registry-subdir",
        "module-source-relative-no-dot",
        "module-source-template",
    ];
    for case in cases {
        let o = oracle(case);
        let rejected = o["facts"]["treated_as"] == "error";
        let r = check(case);
        let invalid: Vec<_> = r
            .findings
            .iter()
            .filter(|f| {
                f.rule == "module-source-invalid"
                    || (f.rule == "constraint-invalid" && f.message.contains("has a `version` but"))
            })
            .collect();
        assert_eq!(invalid.len(), usize::from(rejected), "{case}: {invalid:?}");
        if rejected {
            // Terraform's own remedy, when it has one, is tfpin's too.
            let detail = o["facts"]["init_errors"][0]["detail"].as_str().unwrap();
            if let Some(hint) = detail.split("use \"").nth(1) {
                let path = hint.split('"').next().unwrap();
                let help = invalid[0].help.as_deref().unwrap();
                assert!(help.contains(&format!("\"{path}\"")), "{case}: {help}");
            }
        }
    }
}

/// terraform 1.11 takes only literal strings as a module's source and
/// version ("Variables not allowed"); tfpin's Terraform reading reports
/// each expression where terraform does (the source with
/// `module-source-invalid`, the version with `constraint-invalid`).
#[test]
fn expressions_in_module_source_and_version_are_terraform_errors() {
    let o = oracle("module-source-expression");
    let mut wanted: Vec<usize> = o["facts"]["init_errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["summary"] == "Variables not allowed")
        .map(|d| {
            let loc = d["location"].as_str().unwrap();
            loc.split("line ")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    wanted.sort();
    assert_eq!(wanted.len(), 2);
    let r = check("module-source-expression");
    let mut got: Vec<usize> = r
        .findings
        .iter()
        .filter(|f| {
            f.message.contains("is an expression")
                || f.message.contains("version must be a literal string")
        })
        .map(|f| {
            assert!(
                ["module-source-invalid", "constraint-invalid"].contains(&f.rule),
                "{}",
                f.rule
            );
            r.workspace
                .sources
                .get(f.span.file)
                .line_col(f.span.range.start)
                .line
        })
        .collect();
    got.sort();
    assert_eq!(got, wanted);
}

/// Terraform takes no lock entry in OpenTofu's registry for a provider in
/// its own: it selected a version anew and rewrote the lock. tfpin's
/// Terraform reading says the provider is not locked and the entry is
/// stale.
#[test]
fn terraform_takes_no_lock_entry_from_opentofus_registry() {
    let o = oracle("lock-opentofu-host");
    let lock = &o["facts"]["lock_before"];
    assert!(lock.get("registry.opentofu.org/hashicorp/aws").is_some());
    assert_eq!(
        o["facts"]["selected"]["registry.terraform.io/hashicorp/aws"],
        "5.99.0"
    );
    assert_eq!(o["facts"]["init_reusing"], serde_json::json!([]));
    let r = check("lock-opentofu-host");
    let lock_findings: Vec<(&str, &str)> = r
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("lock-provider"))
        .map(|f| (f.rule, f.message.as_str()))
        .collect();
    assert_eq!(
        lock_findings,
        [
            (
                "lock-provider-stale",
                "lock entry for provider \"registry.opentofu.org/hashicorp/aws\" is not needed by any module of root module `.`"
            ),
            (
                "lock-provider-missing",
                "provider \"hashicorp/aws\" has no entry in the lock file of root module `.`"
            ),
        ]
    );
    // The control lock, keyed in Terraform's registry, serves it.
    let r = check("lock-control");
    assert!(r
        .findings
        .iter()
        .all(|f| !f.rule.starts_with("lock-provider")));
}

/// (file, line) where a span of a report starts, the file as terraform
/// names it: relative to the case's tree.
fn place(r: &tfpin::Report, span: &tfpin::source::Span) -> (String, usize) {
    let file = r.workspace.sources.get(span.file);
    let path = file
        .display
        .rsplit_once("tree/")
        .map_or(&*file.display, |(_, p)| p);
    (path.to_string(), file.line_col(span.range.start).line)
}

/// A child module that uses `aws.region-master` without declaring it.
/// Terraform fails validation when a call does not pass the alias; when
/// every call passes it, it makes the configuration and only warns, at the
/// call's `providers` map entry, exactly as it warns about an entry the
/// child does not use at all. tfpin says which: the error is
/// `provider-alias-undefined`'s, a used alias every call passes is
/// `provider-alias-undeclared`'s (a warning that marks the entry Terraform
/// names), and an entry nothing uses is `module-providers-mismatch`'s, at
/// that entry. One cause, one finding.
#[test]
fn undeclared_aliases_as_terraform_judges_them() {
    use tfpin::finding::Severity;
    const RULES: [&str; 3] = [
        "provider-alias-undefined",
        "provider-alias-undeclared",
        "module-providers-mismatch",
    ];
    // The case, and the rule that reports what Terraform says (if anything).
    let cases = [
        (
            "provider-alias-passed-undeclared",
            Some("provider-alias-undeclared"),
        ),
        (
            "provider-alias-not-passed",
            Some("provider-alias-undefined"),
        ),
        (
            "provider-alias-passed-by-one-caller",
            Some("provider-alias-undefined"),
        ),
        (
            "provider-alias-passed-unused",
            Some("module-providers-mismatch"),
        ),
        ("provider-alias-declared", None),
    ];
    for (case, rule) in cases {
        let o = oracle(case);
        let facts = &o["facts"];
        let valid = facts["validate"]["valid"].as_bool().unwrap();
        let diagnostics = facts["validate_locations"].as_array().unwrap();
        let error = diagnostics.iter().any(|d| {
            d["severity"] == "error" && d["summary"] == "Provider configuration not present"
        });
        assert_eq!(valid, !error, "{case}");
        // Where Terraform warns about an undeclared key: one per passing call.
        let warned: Vec<(String, usize)> = diagnostics
            .iter()
            .filter(|d| d["summary"] == "Reference to undefined provider")
            .map(|d| {
                (
                    d["file"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap() as usize,
                )
            })
            .collect();

        let r = check(case);
        let found: Vec<&tfpin::finding::Finding> = r
            .findings
            .iter()
            .filter(|f| RULES.contains(&f.rule))
            .collect();
        let Some(rule) = rule else {
            assert!(valid && diagnostics.is_empty(), "{case}");
            assert!(found.is_empty(), "{case}: {found:?}");
            continue;
        };
        assert_eq!(found.len(), 1, "{case}: {found:?}");
        let f = found[0];
        assert_eq!(f.rule, rule, "{case}");
        if error {
            assert_eq!(f.severity, Severity::Error, "{case}");
            assert_eq!(place(&r, &f.span).0, "child/main.tf", "{case}");
            continue;
        }
        assert_eq!(f.severity, Severity::Warning, "{case}");
        assert_eq!(warned.len(), 1, "{case}");
        let marked: Vec<(String, usize)> = std::iter::once(&f.span)
            .chain(f.labels.iter().map(|l| &l.span))
            .map(|s| place(&r, s))
            .collect();
        assert!(
            marked.contains(&warned[0]),
            "{case}: Terraform warns at {:?}, tfpin marks {marked:?}",
            warned[0]
        );
        let help = f.help.as_deref().unwrap_or_default();
        let remedy = if rule == "module-providers-mismatch" {
            "remove aws.region-master from the providers map"
        } else {
            "add aws.region-master to configuration_aliases"
        };
        assert!(help.starts_with(remedy), "{case}: {help}");
    }
}
