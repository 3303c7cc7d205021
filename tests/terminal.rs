//! What people read at a terminal: the rustc-style text report at every
//! width and style, the summary by rule, and that nothing from a file can
//! drive the terminal, in any human format.

mod common;

use common::{run, tfpin, write};
use tfpin::output::text::{render, Parts, Style};

/// A deployed root with a finding of each kind the layout has to show:
/// a long source line, a label in another file, a fix, and help text long
/// enough to wrap.
fn tree(root: &std::path::Path) {
    write(
        root,
        &[
            (
                "envs/prod/main.tf",
                r#"terraform {
  required_version = "~> 1.11.0"
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

module "network" {
  source      = "../../modules/a"
  description = "a description long enough to run past the right edge of an eighty-column terminal, and then some"
}

module "typo" {
  source = "./modules/aa" # the network team's shared module, until it moves into this repository
}
"#,
            ),
            (
                "modules/a/main.tf",
                "variable \"description\" {}\n\nmodule \"b\" {\n  source = \"../b\"\n}\n",
            ),
            (
                "modules/b/main.tf",
                "module \"a\" {\n  source = \"../a\"\n  description = \"\"\n}\n",
            ),
        ],
    );
}

fn report() -> (tempfile::TempDir, tfpin::Report) {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    let r = common::check(d.path());
    (d, r)
}

const TERMINAL_80: Style = Style {
    color: false,
    ascii: false,
    width: Some(80),
};

#[test]
fn a_terminal_of_80_columns() {
    let (_d, r) = report();
    insta::assert_snapshot!("text_80", render(&r, TERMINAL_80, Parts::default()));
}

#[test]
fn a_terminal_of_200_columns() {
    let (_d, r) = report();
    let style = Style {
        width: Some(200),
        ..TERMINAL_80
    };
    insta::assert_snapshot!("text_200", render(&r, style, Parts::default()));
}

#[test]
fn piped_output_is_not_wrapped() {
    let (_d, r) = report();
    let text = render(&r, Style::PLAIN, Parts::default());
    insta::assert_snapshot!("text_piped", text);
    // The long line and the long help are each on one line.
    assert!(
        text.contains("until it moves into this repository\n"),
        "{text}"
    );
    assert!(text.contains("in `envs/prod` and commit .terraform.lock.hcl, so every run installs the same provider versions\n"), "{text}");
}

#[test]
fn ascii_output() {
    let (_d, r) = report();
    let style = Style {
        ascii: true,
        ..Style::PLAIN
    };
    let text = render(&r, style, Parts::default());
    insta::assert_snapshot!("text_ascii", text);
    assert!(text.is_ascii(), "{text}");
}

#[test]
fn coloured_output() {
    let (_d, r) = report();
    let style = Style {
        color: true,
        ..TERMINAL_80
    };
    let text = render(&r, style, Parts::default());
    insta::assert_snapshot!("text_colour", text);
    assert!(text.contains("\u{1b}["));
    // Without the colours, it is the uncoloured report.
    assert_eq!(strip_sgr(&text), render(&r, TERMINAL_80, Parts::default()));
}

/// Removes SGR sequences (`ESC [ ... m`), the only escapes colour adds.
fn strip_sgr(s: &str) -> String {
    let re = regex::Regex::new("\u{1b}\\[[0-9;]*m").unwrap();
    re.replace_all(s, "").into_owned()
}

#[test]
fn every_finding_opens_with_its_severity_rule_and_place() {
    let (_d, r) = report();
    let text = render(&r, Style::PLAIN, Parts::default());
    for f in &r.findings {
        let head = format!("{}[{}]: ", f.severity, f.rule);
        assert!(text.contains(&head), "{head} missing from\n{text}");
    }
    // A label in another file is a snippet of the same finding, not a
    // finding of its own.
    let cycle = text
        .split("\n\n")
        .find(|b| b.contains("[module-cycle]"))
        .unwrap();
    assert!(cycle.contains(" --> modules/a/main.tf:3:1"), "{cycle}");
    assert!(cycle.contains("::: modules/b/main.tf:1:1"), "{cycle}");
    assert!(cycle.contains("calls back here"), "{cycle}");
}

#[test]
fn the_summary_counts_findings_by_rule() {
    let (_d, r) = report();
    let text = render(&r, Style::PLAIN, Parts::default());
    let table = text.split("findings by rule:\n").nth(1).unwrap();
    let rows: Vec<&str> = table.lines().take_while(|l| l.starts_with("  ")).collect();
    let mut rules: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    assert_eq!(rows.len(), rules.len(), "{table}");
    let total: usize = rows
        .iter()
        .map(|l| {
            l.split_whitespace()
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, r.findings.len());
    // `--statistics` is the table alone.
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    let s = run(d.path(), &["check", "--statistics"]);
    assert_eq!(s.code, 1, "{}", s.stderr);
    let expected: String = rows.iter().map(|r| format!("{r}\n")).collect();
    assert_eq!(s.stdout, expected);
    let j = run(d.path(), &["check", "--statistics", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    let sum: u64 = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sum as usize, r.findings.len());
    assert_eq!(
        run(d.path(), &["check", "--statistics", "--format", "sarif"]).code,
        2
    );
}

#[test]
fn quiet_prints_errors_only_and_keeps_the_exit_code() {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    let full = run(d.path(), &["check"]);
    let quiet = run(d.path(), &["check", "--quiet"]);
    assert_eq!(full.code, quiet.code);
    assert!(quiet.stdout.contains("error["), "{}", quiet.stdout);
    assert!(!quiet.stdout.contains("warning["), "{}", quiet.stdout);
    assert!(!quiet.stdout.contains("checked "), "{}", quiet.stdout);
    assert_eq!(quiet.stderr, "");
    // Only warnings: nothing is printed, and the exit code still fails.
    let quiet = run(
        d.path(),
        &["check", "-q", "--select", "provider-version-unbounded"],
    );
    assert_eq!(quiet.stdout, "", "{}", quiet.stdout);
    assert_eq!(quiet.code, 1);
}

#[test]
fn min_severity_hides_without_changing_the_exit_code() {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    let all = run(d.path(), &["check", "--format", "json"]);
    let errors = run(
        d.path(),
        &["check", "--format", "json", "--min-severity", "error"],
    );
    assert_eq!(all.code, errors.code);
    let v: serde_json::Value = serde_json::from_str(&errors.stdout).unwrap();
    let shown = v["findings"].as_array().unwrap();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|f| f["severity"] == "error"));
    let v_all: serde_json::Value = serde_json::from_str(&all.stdout).unwrap();
    assert!(v_all["findings"].as_array().unwrap().len() > shown.len());
    // The text says how many it left out.
    let t = run(d.path(), &["check", "--min-severity", "error"]);
    assert!(
        t.stdout.contains("below --min-severity not shown"),
        "{}",
        t.stdout
    );
    // Hidden warnings still fail a run that fails on warnings.
    let only_warnings = run(
        d.path(),
        &[
            "check",
            "--min-severity",
            "error",
            "--fail-on",
            "warning",
            "--select",
            "provider-version-unbounded",
        ],
    );
    assert_eq!(only_warnings.code, 1, "{}", only_warnings.stdout);
    assert!(!only_warnings.stdout.contains("warning["));
}

/// The rules of a JSON report's findings, each once, sorted.
fn rules_of(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    let r = run(dir, &[&["check", "--format", "json"][..], args].concat());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut rules: Vec<String> = (v["findings"].as_array().unwrap().iter())
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}

#[test]
fn select_runs_only_the_rules_named() {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    assert_eq!(
        rules_of(
            d.path(),
            &["--select", "module-cycle,module-source-missing"]
        ),
        ["module-cycle", "module-source-missing"]
    );
    // --disable wins.
    let args = [
        "--select",
        "module-cycle",
        "--select",
        "module-source-missing",
    ];
    assert_eq!(
        rules_of(
            d.path(),
            &[&args[..], &["--disable", "module-cycle"]].concat()
        ),
        ["module-source-missing"]
    );
    // An unknown id is a usage error with the closest.
    let r = run(d.path(), &["check", "--select", "module-cycles"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean \"module-cycle\""),
        "{}",
        r.stderr
    );
}

#[test]
fn chdir_runs_as_if_started_there() {
    let d = tempfile::tempdir().unwrap();
    tree(&d.path().join("repo"));
    let there = run(&d.path().join("repo"), &["check", "--format", "json"]);
    let here = run(d.path(), &["-C", "repo", "check", "--format", "json"]);
    assert_eq!(there.stdout, here.stdout);
    assert_eq!(there.code, here.code);
    let after = run(d.path(), &["check", "--format", "json", "--chdir", "repo"]);
    assert_eq!(there.stdout, after.stdout);
    let missing = run(d.path(), &["-C", "nowhere", "check"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("cannot change to directory `nowhere`"),
        "{}",
        missing.stderr
    );
}

/// Bytes a file in a pull request could carry to drive a terminal: an OSC
/// title, a CSI clear, a bell, a C1 CSI, the Trojan Source overrides and
/// isolates, and a NUL.
const HOSTILE: &[&str] = &[
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}[2J",
    "\u{9b}31m",
    "\u{202e}",
    "\u{2066}",
    "\u{8}",
];

fn hostile_tree(root: &std::path::Path) {
    let evil = HOSTILE.concat();
    write(
        root,
        &[
            (
                "main.tf",
                &format!(
                    "# {evil}\nterraform {{\n  backend \"s3\" {{}}\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \">= 5.0{evil}\"\n    }}\n  }}\n}}\n\nprovider \"aws\" {{\n  region = \"eu-west-1{evil}\"\n}}\n\nmodule \"m{}\" {{\n  source = \"./missing{evil}\"\n}}\n",
                    "\u{202e}"
                ),
            ),
            (&format!("evil{}.tf", "\u{1b}[2J"), "locals {\n  x = \n"),
        ],
    );
    // A binary file: NUL bytes and escapes.
    let mut binary = vec![0u8, 0x1b, b'[', b'2', b'J', 0x07, 0xff, 0xfe];
    binary.extend((0u8..=255).cycle().take(2000));
    std::fs::write(root.join("x.tf"), binary).unwrap();
}

/// Panics at the first byte that could drive a terminal: a control
/// character other than a line feed (or ESC, when `sgr` allows colour
/// sequences, which are removed first), or a bidi control.
fn assert_inert(what: &str, out: &str, sgr: bool) {
    let out = if sgr { strip_sgr(out) } else { out.to_string() };
    for (i, c) in out.char_indices() {
        let bad = (c.is_control() && c != '\n') || tfpin::text::is_bidi_control(c);
        assert!(
            !bad,
            "{what}: raw U+{:04X} at byte {i}:\n{}",
            c as u32,
            &out[i.saturating_sub(80)..(i + 20).min(out.len())]
        );
    }
}

#[test]
fn nothing_from_a_file_reaches_the_terminal_raw() {
    let d = tempfile::tempdir().unwrap();
    hostile_tree(d.path());
    for format in ["text", "compact", "github"] {
        let r = run(d.path(), &["check", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert_inert(format, &r.stdout, false);
        assert_inert(format, &r.stderr, false);
        // The evidence is still there, visibly.
        assert!(
            r.stdout.contains("\\u{1b}") || r.stdout.contains('\u{241b}'),
            "{format}: {}",
            r.stdout
        );
        assert!(r.stdout.contains("\\u{202e}"), "{format}: {}", r.stdout);
    }
    let coloured = run(d.path(), &["check", "--color", "always"]);
    assert_inert("text in colour", &coloured.stdout, true);
    let ascii = run(d.path(), &["check", "--ascii"]);
    assert_inert("ascii text", &ascii.stdout, false);
    for args in [
        &["providers"][..],
        &["regions"],
        &["config"],
        &["check", "--statistics"],
        &["check", "--diff", "--unsafe-fixes"],
    ] {
        let r = run(d.path(), args);
        assert_inert(&args.join(" "), &r.stdout, false);
        assert_inert(&args.join(" "), &r.stderr, false);
    }
}

#[test]
fn a_binary_file_is_one_finding_and_no_dump() {
    let d = tempfile::tempdir().unwrap();
    hostile_tree(d.path());
    let r = run(d.path(), &["check"]);
    let blocks: Vec<&str> = r
        .stdout
        .split("\n\n")
        .filter(|b| b.contains("x.tf"))
        .collect();
    assert_eq!(blocks.len(), 1, "{}", r.stdout);
    assert!(blocks[0].contains("file looks binary"), "{}", blocks[0]);
    // No snippet: no numbered source line.
    assert!(
        !blocks[0].lines().any(|l| l.trim_start().starts_with("1 |")),
        "{}",
        blocks[0]
    );
    assert!(blocks[0].len() < 400, "{}", blocks[0]);
}

#[test]
fn ascii_is_chosen_for_a_dumb_terminal_or_a_non_utf8_locale() {
    let d = tempfile::tempdir().unwrap();
    hostile_tree(d.path());
    for (k, v) in [
        ("TERM", "dumb"),
        ("LC_ALL", "C"),
        ("LANG", "en_US.ISO-8859-1"),
    ] {
        let mut c = tfpin(d.path());
        c.env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .env_remove("LANG")
            .env(k, v)
            .arg("check");
        let out = String::from_utf8(c.output().unwrap().stdout).unwrap();
        // Control pictures are not ASCII; escapes are.
        assert!(!out.contains('\u{241b}'), "{k}={v}: {out}");
        assert!(out.contains("\\u{1b}"), "{k}={v}: {out}");
    }
}
