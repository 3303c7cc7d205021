//! `tfpin lsp` with a real editor: headless Neovim (0.7 or later, as
//! Debian ships it) attached to the server on a tree. Diagnostics arrive
//! for the opened buffer and change after an unsaved edit.
//!
//! Without `nvim` on the PATH the test says so and passes, except in CI
//! (`CI` set), where `.ci/run` installs it and its absence is a failure.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

const MAIN: &str = r#"terraform {
  backend "s3" {}
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}
"#;

fn nvim() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("nvim"))
        .find(|p| p.is_file())
}

#[test]
fn neovim_shows_diagnostics_and_updates_them_on_an_unsaved_edit() {
    let Some(nvim) = nvim() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have nvim: .ci/run installs Debian's neovim"
        );
        eprintln!("nvim is not installed; the editor test is skipped");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    common::write(
        d.path(),
        &[(".tfpin.hcl", "root = true\n"), ("prod/main.tf", MAIN)],
    );
    let file = d.path().join("prod/main.tf");
    let out = d.path().join("seen.txt");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editor/nvim-lsp.lua");
    let mut child = std::process::Command::new(nvim)
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("TFPIN", env!("CARGO_BIN_EXE_tfpin"))
        .env("ROOT", d.path())
        .env("FILE", &file)
        .env("OUT", &out)
        .env("XDG_CONFIG_HOME", d.path().join("config"))
        .env("XDG_DATA_HOME", d.path().join("data"))
        .env("XDG_STATE_HOME", d.path().join("state"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The script's own waits end it; this only guards against a hang.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let seen = std::fs::read_to_string(&out).unwrap_or_default();
    let lines: Vec<&str> = seen.lines().collect();
    assert_eq!(lines.len(), 3, "{seen}");
    assert!(lines[0].starts_with("opened true "), "{seen}");
    assert!(lines[0].contains("provider-version-unbounded"), "{seen}");
    assert!(lines[1].starts_with("edited true "), "{seen}");
    assert!(!lines[1].contains("provider-version-unbounded"), "{seen}");
    // The edit was never saved: the server read the buffer.
    assert!(lines[1].ends_with("modified=true"), "{seen}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), MAIN);
    assert_eq!(lines[2], "done");
}
