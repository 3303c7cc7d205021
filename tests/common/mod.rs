//! Helpers shared by the integration tests that build trees on disk.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::Path;
use tfpin::config::Settings;

/// Writes each `(relative path, contents)` under `root`, creating folders.
pub fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, body) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
}

/// Copies the tree at `from` into `to`, creating folders.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Replaces `old`, which must occur, with `new` in the file at `path`.
pub fn edit(path: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(old), "{} has no {old:?}", path.display());
    std::fs::write(path, text.replace(old, new)).unwrap();
}

/// The tfpin binary, to run in `dir`, without colour.
pub fn tfpin(dir: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("tfpin").unwrap();
    // A UTF-8 locale and an ordinary terminal type, whatever the machine
    // running the tests has: text output depends on both.
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env("LC_ALL", "C.UTF-8")
        .env("TERM", "xterm-256color");
    c
}

/// How a run of the binary ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary in `dir` with `args`.
pub fn run(dir: &Path, args: &[&str]) -> Run {
    let out = tfpin(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Checks `root` with default settings.
pub fn check(root: &Path) -> tfpin::Report {
    tfpin::check(root, &[root.to_path_buf()], &Settings::default()).unwrap()
}

/// Checks `root` for one engine, or as `engine` says.
pub fn check_for(root: &Path, engine: tfpin::fileset::EngineChoice) -> tfpin::Report {
    let settings = Settings {
        engine,
        ..Default::default()
    };
    tfpin::check(root, &[root.to_path_buf()], &settings).unwrap()
}

/// The directory of every module read, as shown.
pub fn module_dirs(r: &tfpin::Report) -> Vec<&str> {
    r.workspace
        .modules
        .iter()
        .map(|m| m.display.as_str())
        .collect()
}

/// The module read from the directory shown as `display`.
pub fn module<'r>(r: &'r tfpin::Report, display: &str) -> &'r tfpin::model::Module {
    (r.workspace.modules.iter())
        .find(|m| m.display == display)
        .unwrap_or_else(|| panic!("{display} not loaded"))
}

/// (rule, file, message) of every finding.
pub fn findings(r: &tfpin::Report) -> Vec<(String, String, String)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                r.workspace.sources.get(f.span.file).display.clone(),
                f.message.clone(),
            )
        })
        .collect()
}

/// (file, line, column, rule, message) of every finding.
pub fn located(r: &tfpin::Report) -> Vec<(String, usize, usize, String, String)> {
    r.findings
        .iter()
        .map(|f| {
            let file = r.workspace.sources.get(f.span.file);
            let lc = file.line_col(f.span.range.start);
            (
                file.display.clone(),
                lc.line,
                lc.column,
                f.rule.to_string(),
                f.message.clone(),
            )
        })
        .collect()
}

/// A Terraform Stacks component file: one `aws` configuration whose region
/// is the stack's variable `region`, passed to the component `site`
/// (`./site`).
pub const STACK_COMPONENT: &str = r#"required_providers {
  aws = {
    source  = "hashicorp/aws"
    version = "~> 5.46"
  }
}

variable "region" {
  type = string
}

provider "aws" "main" {
  config {
    region = var.region
  }
}

component "site" {
  source = "./site"
  providers = {
    aws = provider.aws.main
  }
}
"#;

/// A piece of a Markdown document: a `## ` heading, a line of prose, or a
/// whole fenced code block with its tag (what follows the opening fence).
pub enum Md<'a> {
    Heading(&'a str),
    Prose(&'a str),
    Block { tag: &'a str, body: String },
}

/// The pieces of a Markdown document, in order.
pub fn markdown(text: &str) -> Vec<Md<'_>> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("## ") {
            out.push(Md::Heading(h.trim()));
            continue;
        }
        let Some(tag) = line.strip_prefix("```") else {
            out.push(Md::Prose(line));
            continue;
        };
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        out.push(Md::Block { tag, body });
    }
    out
}
