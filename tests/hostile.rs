//! Hostile trees through the whole pipeline (`tfpin::check`, and the real
//! binary where the exit code matters): each ends in a finding or an error
//! that says what and where, never a panic, a hang or unbounded memory.
//! `tests/workspace.rs` covers binary and Latin-1 files, unterminated
//! heredocs, a 200 MiB file, symlink loops and escapes, sources that climb
//! out of the tree and module cycles; `tests/parse_limits.rs` the parser's
//! own limits.

use assert_cmd::Command;
use std::path::Path;
use tfpin::parse::MAX_FILE_BYTES;

mod common;
use common::{check, findings};

fn has(found: &[(String, String, String)], rule: &str, file: &str, needle: &str) -> bool {
    found
        .iter()
        .any(|(r, f, m)| r == rule && f == file && m.contains(needle))
}

/// Runs `f` on a thread with the 2 MiB stack that spawned threads get by
/// default, so deep recursion shows up as a crash here, not only in the
/// field.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// The findings of one rule.
fn of_rule<'r>(r: &'r tfpin::engine::Report, rule: &str) -> Vec<&'r tfpin::finding::Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

/// Writes `text` to `path` under `dir`, making the directories on the way.
fn write_under(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run_cli(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("tfpin")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const PINNED: &str = "terraform {\n  required_version = \"~> 1.9\"\n}\n";

#[test]
fn nesting_100_000_levels_deep_is_a_parse_error() {
    const DEPTH: usize = 100_000;
    let d = tempfile::tempdir().unwrap();
    let shapes = [
        (
            "list.tf",
            format!(
                "locals {{\n  a = {}1{}\n}}\n",
                "[".repeat(DEPTH),
                "]".repeat(DEPTH)
            ),
        ),
        (
            "object.tf",
            format!(
                "locals {{\n  a = {}1{}\n}}\n",
                "{a = ".repeat(DEPTH),
                "}".repeat(DEPTH)
            ),
        ),
        (
            "parens.tf",
            format!(
                "locals {{\n  a = {}1{}\n}}\n",
                "(".repeat(DEPTH),
                ")".repeat(DEPTH)
            ),
        ),
        (
            "template.tf",
            format!(
                "locals {{\n  a = {}1{}\n}}\n",
                "\"${".repeat(DEPTH),
                "}\"".repeat(DEPTH)
            ),
        ),
        (
            "blocks.tf",
            format!("{}{}", "b {\n".repeat(DEPTH), "}\n".repeat(DEPTH)),
        ),
        (
            "unclosed.tf",
            format!("locals {{\n  a = {}\n", "[".repeat(DEPTH)),
        ),
    ];
    for (name, text) in &shapes {
        std::fs::write(d.path().join(name), text).unwrap();
    }
    std::fs::write(d.path().join("versions.tf"), PINNED).unwrap();
    let root = d.path().to_path_buf();
    let r = on_small_stack(move || check(&root));
    let found = findings(&r);
    for (name, _) in &shapes {
        assert!(has(&found, "parse-error", name, ""), "{name}: {found:?}");
    }
    assert!(
        has(
            &found,
            "parse-error",
            "list.tf",
            "nested deeper than 64 levels"
        ),
        "{found:?}"
    );
    // Every output format renders the findings, still on a small stack.
    let json = on_small_stack(move || tfpin::output::json::render(&r));
    assert!(json.contains("parse-error"));
}

/// Inputs the lock-file fuzz target found, with the column of the first
/// bracket left open: objects nested some 50 deep as operands of operator
/// chains, never closed (hcl-edit alone spends 26 s on the first), and the
/// same with quoted strings that hcl-edit, unlike Terraform, lets run
/// across line breaks, hiding closing brackets in their text (0.9 s).
const OPEN_OPERANDS: [(&str, usize); 2] = [
    (
        include_str!("data/fuzz/lockfile/7485f1049720019dbf8d55b55a18b22f7cb7b6d3"),
        9,
    ),
    (
        include_str!("data/fuzz/lockfile/8dc493e808afa1aeabf7e459279ae5cb91684965"),
        12,
    ),
];

#[test]
fn small_files_of_deeply_nested_open_operands() {
    for (input, column) in OPEN_OPERANDS {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(".terraform.lock.hcl"), input).unwrap();
        std::fs::write(d.path().join("main.tf"), input).unwrap();
        std::fs::write(d.path().join("prod.auto.tfvars"), input).unwrap();
        std::fs::write(d.path().join("versions.tf"), PINNED).unwrap();
        let (code, out, _) = run_cli(d.path(), &["check", "--format", "compact", "."]);
        assert_eq!(code, 1, "{out}");
        for (file, what) in [
            (".terraform.lock.hcl", ""),
            ("main.tf", ""),
            ("prod.auto.tfvars", "invalid variables file: "),
        ] {
            let line =
                format!("{file}:1:{column}: error: {what}`{{` is never closed [parse-error]");
            assert!(out.lines().any(|l| l == line), "{line}\n{out}");
        }
    }
}

/// One line of `len` bytes: `locals { a = "xxx...x" }`.
fn one_line(len: usize) -> String {
    let head = "locals { a = \"";
    let tail = "\" }";
    format!("{head}{}{tail}", "x".repeat(len - head.len() - tail.len()))
}

#[test]
fn a_file_of_one_10_mib_line() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("versions.tf"), PINNED).unwrap();
    // At the size limit: read and parsed like any file.
    std::fs::write(d.path().join("long.tf"), one_line(MAX_FILE_BYTES)).unwrap();
    // One byte over: refused, with the reason.
    std::fs::write(d.path().join("over.tf"), one_line(MAX_FILE_BYTES + 1)).unwrap();
    // A broken 10 MiB line: the error is found and located, not a hang.
    let mut broken = one_line(MAX_FILE_BYTES);
    broken.replace_range(broken.len() - 3..broken.len() - 2, "\n");
    std::fs::write(d.path().join("broken.tf"), broken).unwrap();
    let r = check(d.path());
    let found = findings(&r);
    assert!(!found.iter().any(|(_, f, _)| f == "long.tf"), "{found:?}");
    assert!(
        has(&found, "file-unreadable", "over.tf", "file is too large"),
        "{found:?}"
    );
    assert!(has(&found, "parse-error", "broken.tf", ""), "{found:?}");
    // Text output quotes one line of the source: it must not take long or
    // copy the whole line for every finding.
    let text =
        tfpin::output::text::render(&r, tfpin::output::text::Style::PLAIN, Default::default());
    assert!(text.len() < 4 * MAX_FILE_BYTES, "{}", text.len());
}

/// `n` distinct attribute names, each a short base-52 word.
fn attributes(n: usize) -> String {
    const ALPHA: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = String::with_capacity(n * 10);
    s.push_str("locals {\n");
    for i in 0..n {
        let mut k = i;
        let mut name = vec![b'a'; 4];
        for c in name.iter_mut().rev() {
            *c = ALPHA[k % ALPHA.len()];
            k /= ALPHA.len();
        }
        s.push_str(std::str::from_utf8(&name).unwrap());
        s.push_str("=1\n");
    }
    s.push_str("}\n");
    s
}

fn many_attributes(n: usize) {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("versions.tf"), PINNED).unwrap();
    let text = attributes(n);
    assert!(text.len() <= MAX_FILE_BYTES);
    std::fs::write(d.path().join("locals.tf"), text).unwrap();
    let r = check(d.path());
    let found = findings(&r);
    assert!(found.iter().all(|(_, f, _)| f != "locals.tf"), "{found:?}");
    let _ = tfpin::output::json::render(&r);
}

/// A million attributes in one `locals` block (7 MB), read, modelled and
/// checked: seconds in a debug build. Quadratic work would take hours, so
/// the suite would not finish; no test here measures time, which varies
/// from machine to machine.
#[test]
fn a_million_attributes() {
    many_attributes(1_000_000);
}

#[test]
fn nul_bytes_and_invalid_utf8_in_every_kind_of_file() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("versions.tf"), PINNED).unwrap();
    std::fs::write(d.path().join("nul.tf"), b"locals {\n  a = \"x\0y\"\n}\n").unwrap();
    std::fs::write(
        d.path().join("truncated.tf"),
        b"locals {\n  a = \"\xe2\x82\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join(".terraform.lock.hcl"),
        b"provider \"\xff\" {}\n",
    )
    .unwrap();
    std::fs::write(d.path().join("x.tfvars"), b"a = \"\0\"\n").unwrap();
    let r = check(d.path());
    let found = findings(&r);
    assert!(has(&found, "parse-error", "nul.tf", ""), "{found:?}");
    assert!(
        has(&found, "parse-error", "truncated.tf", "UTF-8"),
        "{found:?}"
    );
    assert!(
        has(&found, "parse-error", ".terraform.lock.hcl", "UTF-8"),
        "{found:?}"
    );

    // A configuration file that is not UTF-8 is a configuration error.
    std::fs::write(
        d.path().join(".tfpin.hcl"),
        b"policy {\n  allowed_regions = [\"\xff\"]\n}\n",
    )
    .unwrap();
    let (code, _, err) = run_cli(d.path(), &["check"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".tfpin.hcl") && err.contains("UTF-8"), "{err}");
}

#[test]
fn unreadable_files_and_directories() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("versions.tf"), PINNED).unwrap();
    std::fs::write(d.path().join("secret.tf"), "locals {\n  a = [\n}\n").unwrap();
    std::fs::create_dir(d.path().join("locked")).unwrap();
    std::fs::write(d.path().join("locked/main.tf"), "locals {\n  b = [\n}\n").unwrap();
    let set = |p: &str, mode: u32| {
        std::fs::set_permissions(d.path().join(p), std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set("secret.tf", 0o000);
    set("locked", 0o000);
    // As root (as in CI containers), permission bits do not stop reads:
    // then the files are read and their (deliberate) syntax errors found.
    let privileged = std::fs::read(d.path().join("secret.tf")).is_ok();
    let r = check(d.path());
    set("locked", 0o755);
    set("secret.tf", 0o644);
    let found = findings(&r);
    if privileged {
        assert!(has(&found, "parse-error", "secret.tf", ""), "{found:?}");
        assert!(
            has(&found, "parse-error", "locked/main.tf", ""),
            "{found:?}"
        );
    } else {
        assert!(
            has(&found, "file-unreadable", "secret.tf", "permission denied"),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(r, f, _)| r == "file-unreadable" && f.starts_with("locked")),
            "{found:?}"
        );
    }
    // Either way the readable module is still checked.
    assert!(r.workspace.modules.iter().any(|m| m.display == "."));
}

const LOCK_ENTRY: &str = "provider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.31.0\"\n  constraints = \"~> 5.31\"\n  hashes = [\n    \"h1:abc=\",\n  ]\n}\n";

#[test]
fn lock_files_with_duplicate_blocks_and_wrong_types() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("versions.tf"),
        "terraform {\n  required_version = \"~> 1.9\"\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.31\"\n    }\n  }\n}\n",
    )
    .unwrap();
    let wrong_types = "provider \"registry.terraform.io/hashicorp/google\" {\n  version = 5\n  constraints = [\"~> 5.0\"]\n  hashes = \"h1:abc=\"\n}\n";
    std::fs::write(
        d.path().join(".terraform.lock.hcl"),
        format!("{LOCK_ENTRY}{LOCK_ENTRY}{wrong_types}module \"x\" {{}}\nversion = 1\n"),
    )
    .unwrap();
    let r = check(d.path());
    let found = findings(&r);
    let lock = ".terraform.lock.hcl";
    assert!(
        has(&found, "parse-error", lock, "duplicate lock entry"),
        "{found:?}"
    );
    assert!(
        has(&found, "parse-error", lock, "`module` block"),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "parse-error",
            lock,
            "unexpected attribute `version`"
        ),
        "{found:?}"
    );
    for needle in [
        "`version` must be a string",
        "`constraints` must be a string",
        "`hashes` must be a list of strings",
    ] {
        assert!(
            has(&found, "parse-error", lock, needle),
            "{needle}: {found:?}"
        );
    }

    // The CLI reports them as findings (exit 1), not as a crash.
    let (code, out, err) = run_cli(d.path(), &["check", "--format", "compact"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains(".terraform.lock.hcl:"), "{out}");
}

#[test]
fn config_files_with_duplicate_blocks_and_wrong_types_exit_2_with_locations() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("versions.tf"), PINNED).unwrap();
    let cases = [
        (
            "duplicate policy",
            "policy {\n  allowed_regions = [\"eu-*\"]\n}\npolicy {\n  allowed_regions = [\"us-*\"]\n}\n",
            ".tfpin.hcl:4:",
        ),
        (
            "duplicate rule",
            "rule \"parse-error\" {\n  enabled = true\n}\nrule \"parse-error\" {\n  enabled = false\n}\n",
            ".tfpin.hcl:4:",
        ),
        (
            "wrong type",
            "rule \"parse-error\" {\n  enabled = \"yes\"\n}\n",
            ".tfpin.hcl:2:",
        ),
        (
            "list expected",
            "policy {\n  allowed_regions = \"eu-*\"\n}\n",
            ".tfpin.hcl:2:",
        ),
        (
            "duplicate attribute",
            "policy {\n  terraform_version = \"1.9.0\"\n  terraform_version = \"1.8.0\"\n}\n",
            ".tfpin.hcl:3:",
        ),
    ];
    for (what, text, location) in cases {
        std::fs::write(d.path().join(".tfpin.hcl"), text).unwrap();
        let (code, out, err) = run_cli(d.path(), &["check"]);
        assert_eq!(code, 2, "{what}: {out}\n{err}");
        assert!(err.contains("invalid configuration"), "{what}: {err}");
        assert!(
            err.contains(location),
            "{what}: expected {location} in {err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
    }
}

/// A module of `n` aliased provider blocks, `n` resources that use them,
/// `n` `configuration_aliases` entries and `n / 2` resources that use
/// aliases nothing defines: every lookup of a configuration by name and
/// alias goes through an index or a set, so this is linear: seconds in a
/// debug build, where looking each one up among all the others, as the
/// rules once did, ran out of memory after minutes.
#[test]
fn many_provider_blocks_and_references() {
    const N: usize = 30_000;
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from("terraform {\n  backend \"s3\" {}\n  required_providers {\n    aws = {\n      source = \"hashicorp/aws\"\n      configuration_aliases = [");
    for i in 0..N {
        text += &format!("aws.c{i}, ");
    }
    text += "]\n    }\n  }\n}\n";
    for i in 0..N {
        text += &format!("provider \"aws\" {{\n  alias = \"a{i}\"\n  region = \"us-east-1\"\n  profile = \"p{i}\"\n}}\n");
    }
    for i in 0..N {
        text += &format!(
            "resource \"aws_s3_bucket\" \"b{i}\" {{\n  provider = aws.a{}\n}}\n",
            (i * 7919) % N
        );
    }
    for i in 0..N / 2 {
        text += &format!("resource \"aws_s3_bucket\" \"u{i}\" {{\n  provider = aws.u{i}\n}}\n");
    }
    assert!(text.len() <= MAX_FILE_BYTES);
    std::fs::write(d.path().join("main.tf"), text).unwrap();
    let r = check(d.path());
    let undefined: Vec<_> = of_rule(&r, "provider-alias-undefined");
    assert_eq!(undefined.len(), N / 2);
    // Each marks a bounded number of the provider's configurations and
    // says how many it leaves out.
    for f in &undefined {
        assert!(f.labels.len() <= 16, "{}", f.labels.len());
        let help = f.help.as_deref().unwrap_or_default();
        assert!(
            help.contains(&format!("{} more configurations of aws", 2 * N - 16)),
            "{help}"
        );
    }
    // Every block is used and every declared alias is configured or
    // used nowhere: the configuration aliases c0.. are never used.
    let unused = of_rule(&r, "provider-alias-unused").len();
    assert_eq!(unused, N, "only the configuration aliases are unused");
}

/// A root with `N` `required_providers` entries, each with a provider block
/// and a resource, and a lock file of `N` entries, each written twice; a
/// call whose `providers` map has `M` entries, for a child that asks for
/// `M` aliases and uses each. Every lookup of a requirement by name, of a
/// map entry by the child's name and alias, and of a lock entry by address
/// goes through an index, so this is linear. (hcl-edit itself takes time
/// quadratic in the size of an object such as the `providers` map, which
/// the parser limits; see `tests/parse_limits.rs`.)
#[test]
fn many_requirements_passes_and_lock_entries() {
    const N: usize = 20_000;
    const M: usize = 2_000;
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let child = root.join("child");
    std::fs::create_dir(&child).unwrap();

    let mut text = String::from("terraform {\n  required_version = \"~> 1.9\"\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n");
    for i in 0..N {
        text += &format!(
            "    p{i} = {{\n      source  = \"example/p{i}\"\n      version = \"~> 1.0\"\n    }}\n"
        );
    }
    text += "  }\n}\n";
    for i in 0..N {
        text += &format!("provider \"p{i}\" {{}}\nresource \"p{i}_thing\" \"x\" {{}}\n");
    }
    text += "provider \"aws\" {\n  region = \"us-east-1\"\n}\n";
    text += "module \"child\" {\n  source = \"./child\"\n  providers = {\n";
    // Every alias the child asks for, but the last, passed in reverse
    // order, and one the child does not declare.
    for i in (1..M).rev() {
        text += &format!("    aws.c{i} = aws\n");
    }
    text += "    aws.extra = aws\n  }\n}\n";
    std::fs::write(root.join("main.tf"), text).unwrap();

    let mut lock = String::new();
    for _ in 0..2 {
        for i in 0..N {
            lock += &format!(
                "provider \"registry.terraform.io/example/p{i}\" {{\n  version     = \"1.0.0\"\n  constraints = \"~> 1.0\"\n  hashes = [\"h1:abc=\"]\n}}\n"
            );
        }
    }
    lock += "provider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.31.0\"\n  constraints = \"~> 5.0\"\n  hashes = [\"h1:abc=\"]\n}\n";
    std::fs::write(root.join(".terraform.lock.hcl"), lock).unwrap();

    let mut text = String::from("terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 5.0\"\n      configuration_aliases = [");
    for i in 0..M {
        text += &format!("aws.c{i}, ");
    }
    text += "]\n    }\n  }\n}\n";
    for i in 0..M {
        text += &format!("resource \"aws_s3_bucket\" \"b{i}\" {{\n  provider = aws.c{i}\n}}\n");
    }
    std::fs::write(child.join("main.tf"), text).unwrap();

    let r = check(root);
    let count = |rule: &str, needle: &str| {
        r.findings
            .iter()
            .filter(|f| f.rule == rule && f.message.contains(needle))
            .count()
    };
    // The duplicated lock entries, each named.
    let duplicates = count("parse-error", "duplicate lock entry");
    assert_eq!(duplicates, N, "{:?}", r.findings.first());
    // The alias the call does not pass, and the one the child does not
    // declare; every other entry matches.
    let mismatch: Vec<_> = of_rule(&r, "module-providers-mismatch")
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(mismatch.len(), 2, "{mismatch:?}");
    assert!(
        mismatch.iter().any(|m| m.contains("does not pass aws.c0")),
        "{mismatch:?}"
    );
    assert!(
        mismatch.iter().any(|m| m.contains("aws.extra")),
        "{mismatch:?}"
    );
    // Every provider is declared, and each of the child's resources
    // reaches a configuration through the map, but the one not passed.
    assert_eq!(count("provider-not-declared", ""), 0);
    assert_eq!(count("provider-alias-undefined", ""), 0);
}

/// A deployed root with `N` aliased configurations of a provider, no
/// default one, and `N` resources that rely on the default: one finding,
/// which marks a bounded number of the resources and of the configurations
/// and says how many more there are, so the report does not grow with
/// their product.
#[test]
fn many_aliased_configurations_and_no_default() {
    const N: usize = 5_000;
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from("terraform {\n  required_version = \"~> 1.9\"\n  backend \"s3\" {}\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n");
    for i in 0..N {
        text += &format!("provider \"aws\" {{\n  alias  = \"a{i}\"\n  region = \"us-east-1\"\n}}\nresource \"aws_s3_bucket\" \"b{i}\" {{}}\n");
    }
    std::fs::write(d.path().join("main.tf"), text).unwrap();
    let r = check(d.path());
    let missing: Vec<_> = of_rule(&r, "provider-default-missing");
    assert_eq!(missing.len(), 1);
    let f = missing[0];
    assert!(
        f.message
            .starts_with("resource \"aws_s3_bucket\" \"b0\" uses the default configuration"),
        "{}",
        f.message
    );
    assert!(
        f.message
            .ends_with(&format!("({N} resources in {N} places rely on it)")),
        "{}",
        f.message
    );
    assert_eq!(f.labels.len(), 32, "{:?}", f.labels.first());
    assert!(
        f.labels[0].message.contains("\"b1\" uses it too"),
        "{:?}",
        f.labels[0]
    );
    assert!(
        f.labels[16].message.contains("aws.a0"),
        "{:?}",
        f.labels[16]
    );
    let help = f.help.as_deref().unwrap_or_default();
    assert!(
        help.ends_with(&format!(
            "; {} more places that rely on it are not marked; {} more configurations of \
             aws are not marked",
            N - 17,
            N - 16
        )),
        "{help}"
    );
}

/// One local name mapped to more providers than are compared one by one:
/// each provider is counted once, however many modules name it, and the
/// finding names and marks the first 16.
#[test]
fn one_local_name_for_many_providers() {
    const CHILDREN: usize = 60;
    const SOURCES: usize = 25;
    let d = tempfile::tempdir().unwrap();
    let requirement = |source: &str| {
        format!("terraform {{\n  required_version = \"~> 1.9\"\n  required_providers {{\n    aws = {{\n      source  = \"{source}\"\n      version = \"~> 1.0\"\n    }}\n  }}\n}}\n")
    };
    let mut root = requirement("hashicorp/aws");
    for i in 0..CHILDREN {
        root += &format!("module \"m{i}\" {{\n  source = \"./m{i}\"\n}}\n");
        let dir = d.path().join(format!("m{i}"));
        std::fs::create_dir(&dir).unwrap();
        let source = format!("acme{}/aws", i % SOURCES);
        std::fs::write(dir.join("main.tf"), requirement(&source)).unwrap();
    }
    std::fs::write(d.path().join("main.tf"), root).unwrap();
    let r = check(d.path());
    let conflicts: Vec<_> = of_rule(&r, "provider-source-conflict");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let f = conflicts[0];
    assert_eq!(f.labels.len(), 16, "{:?}", f.labels);
    let left = SOURCES + 1 - 16;
    assert!(
        f.message.ends_with(&format!(" and {left} more")),
        "{}",
        f.message
    );
    let help = f.help.as_deref().unwrap_or_default();
    assert!(
        help.ends_with(&format!("; {left} more providers are not marked")),
        "{help}"
    );
    let named: Vec<&str> = f.message.split('"').skip(3).step_by(2).collect();
    assert_eq!(named.len(), 16, "{}", f.message);
    let mut distinct = named.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 16, "{}", f.message);
    assert!(named.iter().all(|n| n.ends_with("/aws")), "{named:?}");
}

/// A chain of `N` local modules, each calling the next and the first: `N`
/// cycles, up to `N` modules long. Each is found once and reported by its
/// first 16 calls, so the model and the report grow with the number of
/// cycles, not with the sum of their lengths.
#[test]
fn many_long_module_cycles() {
    const N: usize = 3_000;
    let d = tempfile::tempdir().unwrap();
    for i in 0..N {
        let dir = d.path().join(format!("m{i:05}"));
        std::fs::create_dir(&dir).unwrap();
        let mut text = String::new();
        if i + 1 < N {
            text += &format!("module \"next\" {{\n  source = \"../m{:05}\"\n}}\n", i + 1);
        }
        text += "module \"back\" {\n  source = \"../m00000\"\n}\n";
        std::fs::write(dir.join("main.tf"), text).unwrap();
    }
    let r = check(d.path());
    assert_eq!(r.workspace.cycles.len(), N);
    let mut lengths: Vec<usize> = r.workspace.cycles.iter().map(|c| c.len).collect();
    lengths.sort_unstable();
    assert_eq!(lengths, (1..=N).collect::<Vec<_>>());
    for c in &r.workspace.cycles {
        assert_eq!(c.steps.len(), c.len.min(16));
    }
    let cycles: Vec<_> = of_rule(&r, "module-cycle");
    assert_eq!(cycles.len(), N);
    for f in &cycles {
        assert!(f.labels.len() < 16, "{}", f.labels.len());
        assert!(f.message.len() < 1_000, "{}", f.message);
    }
    let longest = format!("the cycle has {N} calls, and the first 16 are shown");
    let f = cycles
        .iter()
        .find(|f| f.help.as_deref().unwrap_or_default().ends_with(&longest))
        .expect("the longest cycle says how long it is");
    assert!(
        f.message
            .ends_with(&format!("`m00015` -> {} more modules -> `m00000`", N - 16)),
        "{}",
        f.message
    );
}

/// `R` roots, each with a lock file, calling one module that calls `N`
/// children, each of which requires an unbounded Terraform version and a
/// provider the locks lack: every root's findings about its whole tree mark
/// at most 16 modules and say how many more there are, so the report grows
/// with `R + N`, not `R × N`.
#[test]
fn many_roots_sharing_many_modules() {
    const R: usize = 200;
    const N: usize = 300;
    let d = tempfile::tempdir().unwrap();
    let write = |path: String, text: String| write_under(d.path(), &path, &text);
    let lock = "provider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.31.0\"\n  constraints = \">= 5.0\"\n  hashes = [\"h1:abc=\"]\n}\n";
    for r in 0..R {
        write(format!("roots/r{r}/main.tf"), "terraform {\n  required_version = \">= 1.5\"\n  backend \"s3\" {}\n}\nmodule \"hub\" {\n  source = \"../../hub\"\n}\n".to_string());
        write(format!("roots/r{r}/.terraform.lock.hcl"), lock.to_string());
    }
    let hub: String = (0..N)
        .map(|i| format!("module \"c{i}\" {{\n  source = \"../children/c{i}\"\n}}\n"))
        .collect();
    write("hub/main.tf".to_string(), hub);
    for i in 0..N {
        write(
            format!("children/c{i}/main.tf"),
            "terraform {\n  required_version = \">= 1.0\"\n  required_providers {\n    tls = {\n      source  = \"hashicorp/tls\"\n      version = \">= 4.0\"\n    }\n  }\n}\n".to_string(),
        );
    }
    let r = check(d.path());
    for (rule, what) in [
        (
            "terraform-version-unbounded",
            format!("{} more constraints", N + 1 - 16),
        ),
        (
            "lock-provider-missing",
            format!("{} more modules requiring it", N - 16),
        ),
    ] {
        let found: Vec<_> = of_rule(&r, rule);
        assert_eq!(found.len(), R, "{rule}");
        for f in found {
            // A label on the finding's own place is dropped.
            assert!(
                (15..=16).contains(&f.labels.len()),
                "{rule}: {}",
                f.labels.len()
            );
            let help = f.help.as_deref().unwrap_or_default();
            assert!(
                help.ends_with(&format!("; {what} are not marked")),
                "{rule}: {help}"
            );
        }
    }
}

/// Roots without a lock file over a tree that needs many providers: the
/// finding names the first 16 and says how many more there are.
#[test]
fn a_root_without_a_lock_needing_many_providers() {
    const N: usize = 40;
    let d = tempfile::tempdir().unwrap();
    let write = |path: String, text: String| write_under(d.path(), &path, &text);
    for r in 0..3 {
        write(
            format!("r{r}/main.tf"),
            "terraform {\n  backend \"s3\" {}\n}\nmodule \"hub\" {\n  source = \"../hub\"\n}\n"
                .to_string(),
        );
    }
    let hub: String = (0..N)
        .map(|i| format!("module \"c{i}\" {{\n  source = \"../c{i}\"\n}}\n"))
        .collect();
    write("hub/main.tf".to_string(), hub);
    for i in 0..N {
        write(
            format!("c{i}/main.tf"),
            format!("terraform {{\n  required_providers {{\n    p{i} = {{\n      source  = \"acme/p{i}\"\n      version = \">= 1.0\"\n    }}\n  }}\n}}\n"),
        );
    }
    let r = check(d.path());
    let found: Vec<_> = of_rule(&r, "lock-missing");
    assert_eq!(found.len(), 3);
    for f in found {
        assert!(
            f.message.contains(&format!("{N} providers (")),
            "{}",
            f.message
        );
        assert_eq!(f.message.matches("\"acme/p").count(), 16, "{}", f.message);
        assert!(
            f.message.contains(&format!(", and {} more)", N - 16)),
            "{}",
            f.message
        );
    }
}

/// JSON files nested about as deeply as jsonc-parser takes them (it counts
/// an object and each property in it as a level, up to 512), in every
/// place the reader recurses: expression values, nested blocks of a
/// provider (kept whole; each object level a block), and templates inside strings.
/// Deeper still is a parse error. None may overflow a small stack.
#[test]
fn deeply_nested_json_configuration() {
    const DEPTH: usize = 500;
    let d = tempfile::tempdir().unwrap();
    let escaped_template =
        format!("{}1{}", "${[".repeat(DEPTH / 10), "]}".repeat(DEPTH / 10)).replace('"', "\\\"");
    let files = [
        (
            "values.tf.json",
            format!(
                "{{\"locals\": {{\"a\": {}1{}}}}}",
                "[".repeat(DEPTH),
                "]".repeat(DEPTH)
            ),
        ),
        (
            "blocks.tf.json",
            format!(
                "{{\"provider\": {{\"aws\": {}{{}}{}}}}}",
                "{\"b\": ".repeat(DEPTH / 2),
                "}".repeat(DEPTH / 2)
            ),
        ),
        (
            "template.tf.json",
            format!("{{\"locals\": {{\"t\": \"{escaped_template}\"}}}}"),
        ),
        (
            "too_deep.tf.json",
            format!(
                "{{\"locals\": {{\"a\": {}1{}}}}}",
                "[".repeat(2000),
                "]".repeat(2000)
            ),
        ),
    ];
    for (name, text) in &files {
        write_under(d.path(), name, text);
    }
    let root = d.path().to_path_buf();
    let found = on_small_stack(move || findings(&check(&root)));
    let parse_errors: Vec<&str> = found
        .iter()
        .filter(|(r, _, _)| r == "parse-error")
        .map(|(_, f, _)| f.as_str())
        .collect();
    assert_eq!(parse_errors, ["too_deep.tf.json"], "{found:?}");
}
