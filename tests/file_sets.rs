//! Which files each engine reads: tfpin's picture of a module directory
//! must be the engines' own (see `src/fileset.rs` for the loaders it
//! follows).

mod common;

use common::{check, findings, write};

/// A root module that no rule has anything to say about.
const MAIN: &str = "terraform {\n  required_version = \"~> 1.9\"\n}\n\nvariable \"x\" {}\n";

/// Variables files that neither engine loads without `-var-file` are not
/// read at all, so a placeholder in an example file is no parse error.
#[test]
fn variables_files_that_are_not_loaded_are_not_read() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("main.tf", MAIN),
            ("access_context.auto.example.tfvars", "x = ACCESS_CONTEXT\n"),
            ("prod.tfvars", "x = [\n"),
            ("terraform.tfvars.example", "x = {\n"),
            ("eu.auto.tfvars", "x = \"eu\"\n"),
        ],
    );
    let r = check(d.path());
    assert_eq!(findings(&r), Vec::<(String, String, String)>::new());
    let read: Vec<&str> = r
        .workspace
        .sources
        .iter()
        .map(|(_, f)| f.display.as_str())
        .collect();
    assert_eq!(read, ["eu.auto.tfvars", "main.tf"]);
}

/// A variables file that is loaded is still parsed, and its errors are
/// still found.
#[test]
fn a_loaded_variables_file_that_does_not_parse_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[("main.tf", MAIN), ("terraform.tfvars", "x = PLACEHOLDER\n")],
    );
    let f = findings(&check(d.path()));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "parse-error");
    assert_eq!(f[0].1, "terraform.tfvars");
}

/// A dangling symlink where an engine loads a file is one finding that
/// names the link and its missing target; one elsewhere is nothing.
#[cfg(unix)]
#[test]
fn a_dangling_auto_loaded_variables_file_is_one_finding() {
    use std::os::unix::fs::symlink;
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("main.tf", MAIN)]);
    symlink("../shared/eu.tfvars", d.path().join("eu.auto.tfvars")).unwrap();
    symlink("missing.md", d.path().join("README.md")).unwrap();
    symlink("example.tfvars", d.path().join("dev.tfvars")).unwrap();
    // Terraform skips these when they lead nowhere.
    symlink("../shared/t.tfvars", d.path().join("terraform.tfvars")).unwrap();
    symlink("../shared/t.json", d.path().join("terraform.tfvars.json")).unwrap();
    for paths in [vec![d.path().to_path_buf()], vec![d.path().join("main.tf")]] {
        let r = tfpin::check(d.path(), &paths, &tfpin::config::Settings::default()).unwrap();
        let f = findings(&r);
        assert_eq!(
            f,
            [(
                "file-unreadable".to_string(),
                "eu.auto.tfvars".to_string(),
                "automatically loaded variables file `eu.auto.tfvars` is a symlink to \
                 `../shared/eu.tfvars`, which does not exist; terraform plan fails on it"
                    .to_string()
            )]
        );
    }
}

/// Terraform reads no `.tofu` file; a directory with nothing else is no
/// module to it.
#[test]
fn terraform_reads_no_opentofu_file() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "a/main.tf",
                "terraform {\n  required_version = \"~> 1.9\"\n}\n",
            ),
            (
                "a/versions.tofu",
                "terraform {\n  required_version = [\n}\n",
            ),
            (
                "b/main.tofu",
                "terraform {\n  required_version = \"~> 1.9\"\n}\n",
            ),
        ],
    );
    let r = check(d.path());
    let dirs: Vec<&str> = r
        .workspace
        .modules
        .iter()
        .map(|m| m.display.as_str())
        .collect();
    assert_eq!(dirs, ["a"]);
    assert!(findings(&r).iter().all(|f| f.0 != "parse-error"));
}
