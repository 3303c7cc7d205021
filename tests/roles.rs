//! Module roles: what each module is for, each step of the order that
//! decides it, the configuration that overrides it, and the rules that
//! judge a finding by the roles it concerns.

use std::path::Path;
use tfpin::config::Settings;
use tfpin::model::Role;

mod common;
use common::write;

/// Checks `root` with the configuration `config` (empty for none).
fn check_with(root: &Path, config: &str) -> tfpin::Report {
    let settings = if config.is_empty() {
        Settings::default()
    } else {
        tfpin::config::parse_str(config, ".tfpin.hcl").unwrap()
    };
    tfpin::check(root, &[root.to_path_buf()], &settings).unwrap()
}

/// Writes a tree and checks it.
fn tree(files: &[(&str, &str)], config: &str) -> (tempfile::TempDir, tfpin::Report) {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), files);
    let r = check_with(d.path(), config);
    (d, r)
}

/// [`tree`] for files whose text is made.
fn tree_of(files: &[(&str, String)], config: &str) -> (tempfile::TempDir, tfpin::Report) {
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
    tree(&files, config)
}

/// The role and reason of the module shown as `dir`.
fn role(r: &tfpin::Report, dir: &str) -> (Role, String) {
    let m = r
        .workspace
        .modules
        .iter()
        .find(|m| m.display == dir)
        .unwrap_or_else(|| panic!("no module {dir}"));
    (m.role, m.role_reason.clone())
}

/// (rule, file) of every finding of `rule`.
fn findings_of(r: &tfpin::Report, rule: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| r.workspace.sources.get(f.span.file).display.clone())
        .collect()
}

const BACKEND: &str = "terraform {\n  backend \"s3\" {}\n}\n";
const PROVIDER: &str = "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n";
/// A module that needs the aws provider, says no version for it, and
/// declares nothing that makes it a root.
const NEEDS_AWS: &str = "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n  }\n}\nresource \"aws_s3_bucket\" \"b\" {}\n";
const LOCK: &str =
    "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.31.0\"\n}\n";

#[test]
fn each_role_has_its_reason() {
    let (_d, r) = tree(
        &[
            ("live/s3/main.tf", BACKEND),
            ("live/cloud/main.tf", "terraform {\n  cloud {}\n}\n"),
            ("live/locked/main.tf", NEEDS_AWS),
            ("live/locked/.terraform.lock.hcl", LOCK),
            ("live/wrapped/providers.tf", PROVIDER),
            (
                "examples/basic/main.tf",
                "module \"m\" {\n  source = \"../../modules/used\"\n}\n",
            ),
            ("test/fixtures/a/main.tf", PROVIDER),
            ("modules/used/main.tf", NEEDS_AWS),
            ("modules/alone/main.tf", NEEDS_AWS),
            (
                "old/main.tf",
                "terraform {\n  required_version = \"~> 0.12.0\"\n}\n",
            ),
        ],
        "",
    );
    let want = [
        ("live/s3", Role::Deployed, "has a `backend \"s3\"` block"),
        ("live/cloud", Role::Deployed, "has a `cloud` block"),
        ("live/locked", Role::Deployed, "has a lock file"),
        (
            "live/wrapped",
            Role::Deployed,
            "no module calls it and it configures provider \"aws\"",
        ),
        (
            "examples/basic",
            Role::Example,
            "in `examples`, an example directory (pattern `**/examples`)",
        ),
        (
            "test/fixtures/a",
            Role::Test,
            "in `test`, a test directory (pattern `**/test`)",
        ),
        ("modules/used", Role::Reusable, "called by `examples/basic`"),
        (
            "modules/alone",
            Role::Reusable,
            "no module calls it, and it has no backend, lock file or provider configuration",
        ),
        (
            "old",
            Role::Legacy,
            "required_version \"~> 0.12.0\" admits only Terraform before 0.13",
        ),
    ];
    for (dir, role_, reason) in want {
        assert_eq!(role(&r, dir), (role_, reason.to_string()), "{dir}");
    }
}

#[test]
fn a_stack_is_a_deployed_root() {
    let (_d, r) = tree(
        &[(
            "stack/components.tfcomponent.hcl",
            "component \"c\" {\n  source = \"./c\"\n}\n",
        )],
        "",
    );
    assert_eq!(
        role(&r, "stack"),
        (Role::Deployed, "a Terraform stack".to_string())
    );
}

/// Each step of the order, against the one after it.
#[test]
fn the_order_of_the_steps() {
    let (_d, r) = tree(
        &[
            // The configuration wins over a test directory.
            ("tests/smoke/main.tf", BACKEND),
            // A test directory wins over an example directory.
            ("examples/a/test/main.tf", BACKEND),
            // An example directory wins over a local call.
            (
                "examples/b/main.tf",
                "module \"m\" {\n  source = \"./modules/m\"\n}\n",
            ),
            ("examples/b/modules/m/main.tf", NEEDS_AWS),
            // A local call wins over legacy.
            (
                "live/app/main.tf",
                &format!("{BACKEND}module \"old\" {{\n  source = \"../../modules/old\"\n}}\n"),
            ),
            (
                "modules/old/main.tf",
                "terraform {\n  required_version = \"0.11.14\"\n}\n",
            ),
            // Legacy wins over a backend.
            (
                "legacy/app/main.tf",
                "terraform {\n  required_version = \">= 0.11, < 0.13\"\n  backend \"s3\" {}\n}\n",
            ),
        ],
        "root \"tests/smoke\" {\n  role = \"deployed-root\"\n}\n",
    );
    assert_eq!(
        role(&r, "tests/smoke"),
        (Role::Deployed, "set by .tfpin.hcl".to_string())
    );
    assert_eq!(role(&r, "examples/a/test").0, Role::Test);
    assert_eq!(role(&r, "examples/b/modules/m").0, Role::Example);
    assert_eq!(role(&r, "live/app").0, Role::Deployed);
    assert_eq!(
        role(&r, "modules/old"),
        (Role::Reusable, "called by `live/app`".to_string())
    );
    assert_eq!(role(&r, "legacy/app").0, Role::Legacy);
}

/// A module that its repository's examples call through the registry or
/// git, as module repositories do, is reusable even with a provider block
/// of its own; a lock file still makes a module deployed.
#[test]
fn a_remote_call_naming_the_repository_makes_a_module_reusable() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("clone");
    write(
        &root,
        &[
            (
                ".git/config",
                "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://github.com/terraform-aws-modules/terraform-aws-vpc.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
            ),
            ("main.tf", PROVIDER),
            ("modules/endpoints/main.tf", PROVIDER),
            ("modules/flow-logs/main.tf", PROVIDER),
            ("modules/flow-logs/.terraform.lock.hcl", LOCK),
            (
                "examples/complete/main.tf",
                "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"~> 5.0\"\n}\n\
                 module \"endpoints\" {\n  source = \"git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git//modules/endpoints?ref=v5.1.0\"\n}\n\
                 module \"logs\" {\n  source = \"github.com/terraform-aws-modules/terraform-aws-vpc//modules/flow-logs?ref=v5.1.0\"\n}\n",
            ),
        ],
    );
    let r = check_with(&root, "");
    assert_eq!(
        role(&r, "."),
        (
            Role::Reusable,
            "`examples/complete` calls it as \"terraform-aws-modules/vpc/aws\", which names this repository"
                .to_string()
        )
    );
    assert_eq!(role(&r, "modules/endpoints").0, Role::Reusable);
    assert_eq!(
        role(&r, "modules/flow-logs"),
        (Role::Deployed, "has a lock file".to_string())
    );
    // The reusable module is not asked for a lock file; the example is not
    // either.
    assert_eq!(findings_of(&r, "lock-missing"), Vec::<String>::new());
}

/// In a linked worktree, `.git` is a file naming the git directory, whose
/// `commondir` leads to the repository's configuration.
#[test]
fn a_worktree_finds_its_repository_remote() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "repo.git/config",
                "[remote \"origin\"]\n\turl = git@github.com:acme/terraform-aws-bucket.git\n",
            ),
            ("repo.git/worktrees/wt/commondir", "../..\n"),
            ("wt/main.tf", PROVIDER),
            (
                "wt/examples/simple/main.tf",
                "module \"b\" {\n  source  = \"acme/bucket/aws\"\n  version = \"~> 1.0\"\n}\n",
            ),
        ],
    );
    let wt = d.path().join("wt");
    let gitdir = d.path().join("repo.git/worktrees/wt");
    std::fs::write(wt.join(".git"), format!("gitdir: {}\n", gitdir.display())).unwrap();
    let r = check_with(&wt, "");
    assert_eq!(role(&r, ".").0, Role::Reusable);
}

/// Without a git remote, the project root's directory names the
/// repository.
#[test]
fn without_a_remote_the_directory_names_the_repository() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("terraform-google-network");
    write(
        &root,
        &[
            ("main.tf", PROVIDER),
            (
                "examples/simple/main.tf",
                "module \"net\" {\n  source  = \"terraform-google-modules/network/google\"\n  version = \"~> 9.0\"\n}\n",
            ),
        ],
    );
    let r = check_with(&root, "");
    assert_eq!(role(&r, ".").0, Role::Reusable);
    // Another repository's module is no call of this one.
    let other = d.path().join("terraform-google-vpc");
    write(&other, &[("main.tf", PROVIDER), ("examples/simple/main.tf", "module \"net\" {\n  source  = \"terraform-google-modules/network/google\"\n  version = \"~> 9.0\"\n}\n")]);
    let r = check_with(&other, "");
    assert_eq!(role(&r, ".").0, Role::Deployed);
}

/// Legacy is decided by what the constraints admit, as Terraform reads
/// them.
#[test]
fn legacy_means_only_terraform_before_0_13() {
    let version = |v: &str| format!("terraform {{\n  required_version = \"{v}\"\n}}\n");
    let cases = [
        ("a", "~> 0.12.0", true),
        ("b", "0.11.14", true),
        ("c", ">= 0.11, < 0.13", true),
        ("d", "<= 0.12.31", true),
        // `~> 0.12` is pessimistic on its last part: below 1.0, so 0.13
        // to 0.15 too.
        ("e", "~> 0.12", false),
        ("f", ">= 0.12", false),
        ("g", "< 0.13.1", false),
        // Admits nothing at all: not legacy, but wrong
        // (terraform-version-excluded says so with a policy).
        ("h", "< 0.12, > 0.13", false),
    ];
    let names: Vec<String> = cases
        .iter()
        .map(|(dir, _, _)| format!("{dir}/main.tf"))
        .collect();
    let files: Vec<(&str, String)> = (names.iter().zip(&cases))
        .map(|(name, (_, v, _))| (name.as_str(), format!("{}{BACKEND}", version(v))))
        .collect();
    let (_d, r) = tree_of(&files, "");
    for (dir, v, legacy) in cases {
        let want = if legacy { Role::Legacy } else { Role::Deployed };
        assert_eq!(role(&r, dir).0, want, "{v}");
    }
    // Two constraints are read together: each alone admits 0.13 or later.
    let (_d, r) = tree(
        &[
            (
                "main.tf",
                "terraform {\n  required_version = \">= 0.11\"\n}\n",
            ),
            (
                "versions.tf",
                "terraform {\n  required_version = \"< 0.13\"\n}\n",
            ),
        ],
        "",
    );
    assert_eq!(role(&r, ".").0, Role::Legacy);
}

#[test]
fn an_example_root_without_a_lock_file_is_not_asked_for_one() {
    let (_d, r) = tree(
        &[
            ("examples/simple/main.tf", &format!("{PROVIDER}{NEEDS_AWS}")),
            ("live/prod/main.tf", &format!("{BACKEND}{NEEDS_AWS}")),
            ("live/dev/main.tf", &format!("{BACKEND}{NEEDS_AWS}")),
            ("live/dev/.terraform.lock.hcl", LOCK),
        ],
        "",
    );
    assert_eq!(findings_of(&r, "lock-missing"), ["live/prod/main.tf"]);
}

/// A finding in a shared module is judged by the roles of the roots that
/// call it: pinning rules judge it in a deployed root's tree, and not in a
/// module only examples call.
#[test]
fn a_module_is_judged_with_the_roots_that_call_it() {
    let call = |to: &str| format!("module \"m\" {{\n  source = \"{to}\"\n}}\n");
    let (_d, r) = tree(
        &[
            (
                "live/prod/main.tf",
                &format!("{BACKEND}{}", call("../../modules/shared")),
            ),
            ("examples/a/main.tf", &call("../../modules/shared")),
            ("examples/b/main.tf", &call("../../modules/for-examples")),
            ("modules/shared/main.tf", NEEDS_AWS),
            ("modules/for-examples/main.tf", NEEDS_AWS),
            ("modules/alone/main.tf", NEEDS_AWS),
        ],
        "",
    );
    assert_eq!(
        findings_of(&r, "provider-version-missing"),
        ["modules/shared/main.tf"]
    );
}

#[test]
fn configured_patterns_replace_the_defaults() {
    let files = [
        ("examples/a/main.tf", BACKEND),
        ("sandbox/b/main.tf", BACKEND),
        ("qa/c/main.tf", BACKEND),
        ("tests/d/main.tf", BACKEND),
    ];
    let (_d, r) = tree(
        &files,
        "roles {\n  example = [\"sandbox\"]\n  test = [\"qa/*\"]\n}\n",
    );
    assert_eq!(role(&r, "examples/a").0, Role::Deployed);
    assert_eq!(
        role(&r, "sandbox/b"),
        (
            Role::Example,
            "in `sandbox`, an example directory (pattern `sandbox`)".to_string()
        )
    );
    assert_eq!(role(&r, "qa/c").0, Role::Test);
    assert_eq!(role(&r, "tests/d").0, Role::Deployed);
    // An empty list turns a role's patterns off.
    let (_d, r) = tree(&files, "roles {\n  example = []\n}\n");
    assert_eq!(role(&r, "examples/a").0, Role::Deployed);
    assert_eq!(role(&r, "tests/d").0, Role::Test);
}

#[test]
fn the_last_matching_root_block_wins() {
    let (_d, r) = tree(
        &[("live/a/main.tf", NEEDS_AWS), ("live/b/main.tf", NEEDS_AWS), ("live/b/sub/main.tf", NEEDS_AWS)],
        "root \"live/*\" {\n  role = \"deployed-root\"\n}\nroot \"live/b\" {\n  role = \"legacy\"\n}\n",
    );
    assert_eq!(
        role(&r, "live/a"),
        (Role::Deployed, "set by .tfpin.hcl".to_string())
    );
    assert_eq!(role(&r, "live/b").0, Role::Legacy);
    // `*` stays within one directory.
    assert_eq!(role(&r, "live/b/sub").0, Role::Reusable);
    // The rules follow the configured role.
    assert_eq!(findings_of(&r, "lock-missing"), ["live/a/main.tf"]);
}

#[test]
fn a_rule_block_can_change_the_roles_a_rule_judges() {
    let files = [
        ("examples/simple/main.tf", format!("{PROVIDER}{NEEDS_AWS}")),
        ("live/prod/main.tf", format!("{BACKEND}{NEEDS_AWS}")),
    ];
    let (_d, r) = tree_of(
        &files,
        "rule \"lock-missing\" {\n  roles = [\"deployed-root\", \"example-root\"]\n}\n",
    );
    assert_eq!(
        findings_of(&r, "lock-missing"),
        ["examples/simple/main.tf", "live/prod/main.tf"]
    );
    let (_d, r) = tree_of(
        &files,
        "rule \"lock-missing\" {\n  roles = [\"example-root\"]\n}\n",
    );
    assert_eq!(findings_of(&r, "lock-missing"), ["examples/simple/main.tf"]);
    // No role at all: the rule judges nothing.
    let (_d, r) = tree_of(&files, "rule \"lock-missing\" {\n  roles = []\n}\n");
    assert_eq!(findings_of(&r, "lock-missing"), Vec::<String>::new());
}

#[test]
fn a_rule_block_can_exclude_paths_from_a_rule() {
    let files = [
        ("live/prod/main.tf", format!("{BACKEND}{NEEDS_AWS}")),
        ("live/sandbox/main.tf", format!("{BACKEND}{NEEDS_AWS}")),
    ];
    let (_d, r) = tree_of(
        &files,
        "rule \"lock-missing\" {\n  exclude = [\"live/sandbox\"]\n}\n",
    );
    assert_eq!(findings_of(&r, "lock-missing"), ["live/prod/main.tf"]);
    // Other rules still judge the excluded path.
    assert_eq!(
        findings_of(&r, "provider-version-missing"),
        ["live/prod/main.tf", "live/sandbox/main.tf"]
    );
    // A file pattern works too.
    let (_d, r) = tree_of(
        &files,
        "rule \"provider-version-missing\" {\n  exclude = [\"**/sandbox/*.tf\"]\n}\n",
    );
    assert_eq!(
        findings_of(&r, "provider-version-missing"),
        ["live/prod/main.tf"]
    );
}

/// A finding in a file that belongs to no module concerns no role and is
/// kept, whatever the rule judges.
#[cfg(unix)]
#[test]
fn findings_outside_any_module_are_kept() {
    let d = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(d.path(), &[("main.tf", BACKEND)]);
    std::os::unix::fs::symlink(outside.path(), d.path().join("elsewhere")).unwrap();
    let r = check_with(
        d.path(),
        "rule \"file-unreadable\" {\n  roles = [\"legacy\"]\n}\n",
    );
    assert_eq!(findings_of(&r, "file-unreadable"), ["elsewhere"]);
}

/// The shipped example's roots are deployed (one has a backend, the other
/// configures providers and nothing calls it), also when it is checked
/// from the repository root, where it lies under `examples/`: its
/// `.tfpin.hcl` makes its directory the project root.
#[test]
fn the_shipped_example_roots_are_deployed() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = repo.join("examples/multi-region");
    let settings = tfpin::config::load(&example.join(".tfpin.hcl"), ".tfpin.hcl").unwrap();
    let r = tfpin::check(repo, std::slice::from_ref(&example), &settings).unwrap();
    // The example declares itself a project root, so its paths are its own.
    let at = |dir: &str| role(&r, dir).0;
    assert_eq!(at("envs/prod"), Role::Deployed);
    assert_eq!(at("envs/staging"), Role::Deployed);
    assert_eq!(at("modules/cdn"), Role::Reusable);
    let roots: Vec<Role> = r.roots.iter().map(|x| x.role).collect();
    assert_eq!(roots, [Role::Deployed, Role::Deployed]);
    assert_eq!(
        findings_of(&r, "lock-missing"),
        ["envs/staging/versions.tf"]
    );
}

/// An environment named like a test directory is taken for one, says so,
/// and a `root` block gives it back to the pinning rules.
#[test]
fn an_environment_named_test_needs_a_root_block() {
    let files = [("envs/test/main.tf", format!("{BACKEND}{NEEDS_AWS}"))];
    let (_d, r) = tree_of(&files, "");
    assert_eq!(
        role(&r, "envs/test"),
        (
            Role::Test,
            "in `envs/test`, a test directory (pattern `**/test`)".to_string()
        )
    );
    assert_eq!(findings_of(&r, "lock-missing"), Vec::<String>::new());
    let (_d, r) = tree_of(&files, "root \"envs/*\" {\n  role = \"deployed-root\"\n}\n");
    assert_eq!(findings_of(&r, "lock-missing"), ["envs/test/main.tf"]);
}

/// Beside other environments, `test` is one of them: the pinning rules
/// judge it with no configuration.
#[test]
fn an_environment_named_test_beside_others_is_deployed() {
    let root = format!("{BACKEND}{NEEDS_AWS}");
    let files = [
        ("envs/test/main.tf", root.clone()),
        ("envs/prod/main.tf", root.clone()),
        ("test/fixtures/basic/main.tf", root),
    ];
    let (_d, r) = tree_of(&files, "");
    assert_eq!(role(&r, "envs/test").0, Role::Deployed);
    assert_eq!(role(&r, "test/fixtures/basic").0, Role::Test);
    assert_eq!(
        findings_of(&r, "lock-missing"),
        ["envs/prod/main.tf", "envs/test/main.tf"]
    );
}

/// Code kept for reference is legacy: checked for mistakes, not pinning.
#[test]
fn deprecated_code_is_legacy() {
    let files = [("deprecated/tgw/main.tf", format!("{BACKEND}{NEEDS_AWS}"))];
    let (_d, r) = tree_of(&files, "");
    assert_eq!(
        role(&r, "deprecated/tgw"),
        (
            Role::Legacy,
            "in `deprecated`, code kept for reference (pattern `**/deprecated`)".to_string()
        )
    );
    assert_eq!(findings_of(&r, "lock-missing"), Vec::<String>::new());
    let (_d, r) = tree_of(&files, "roles {\n  legacy = []\n}\n");
    assert_eq!(findings_of(&r, "lock-missing"), ["deprecated/tgw/main.tf"]);
}

#[test]
fn a_missing_module_is_not_reported_in_a_test_fixture() {
    // A fixture file written to be copied beside a directory its harness
    // links in (cloud-foundation-fabric's `tests/fixtures/*.tf` next to a
    // `fabric` link): the path is missing only here.
    let call = "module \"vpc\" {\n  source = \"./fabric/modules/net-vpc\"\n}\n";
    let (_d, r) = tree(
        &[
            ("tests/fixtures/shared-vpc.tf", call),
            ("envs/prod/main.tf", &format!("{BACKEND}{call}")),
        ],
        "",
    );
    assert_eq!(role(&r, "tests/fixtures").0, Role::Test);
    assert_eq!(
        findings_of(&r, "module-source-missing"),
        ["envs/prod/main.tf"]
    );
    // A rule block that names the role judges it again.
    let (_d, r) = tree(
        &[("tests/fixtures/shared-vpc.tf", call)],
        "rule \"module-source-missing\" {\n  roles = [\"test-fixture\"]\n}\n",
    );
    assert_eq!(
        findings_of(&r, "module-source-missing"),
        ["tests/fixtures/shared-vpc.tf"]
    );
}

#[test]
fn an_example_that_test_fixtures_wrap_keeps_its_provider_blocks() {
    // kitchen-terraform: test/fixtures/x runs examples/x, which is written
    // to run on its own and so configures its providers.
    let example = "provider \"kubernetes\" {\n  host = \"https://example.invalid\"\n}\n\nresource \"kubernetes_namespace\" \"n\" {}\n";
    let wrapper = |extra: &str| {
        format!("module \"example\" {{\n  source = \"../../../examples/simple\"\n{extra}}}\n")
    };
    let (_d, r) = tree_of(
        &[
            ("examples/simple/main.tf", example.to_string()),
            ("test/fixtures/simple/main.tf", wrapper("")),
        ],
        "",
    );
    assert_eq!(role(&r, "examples/simple").0, Role::Example);
    assert_eq!(role(&r, "test/fixtures/simple").0, Role::Test);
    assert_eq!(
        findings_of(&r, "module-provider-block"),
        Vec::<String>::new()
    );

    // A wrapper that repeats the example cannot: the block is an error there.
    let (_d, r) = tree_of(
        &[
            ("examples/simple/main.tf", example.to_string()),
            ("test/fixtures/simple/main.tf", wrapper("  count = 2\n")),
        ],
        "",
    );
    assert_eq!(
        findings_of(&r, "module-provider-block"),
        ["examples/simple/main.tf"]
    );

    // Nor is a module that a deployed root calls excused by its path.
    let (_d, r) = tree_of(
        &[
            ("examples/simple/main.tf", example.to_string()),
            ("test/fixtures/simple/main.tf", wrapper("")),
            (
                "envs/prod/main.tf",
                format!(
                    "{BACKEND}module \"example\" {{\n  source = \"../../examples/simple\"\n}}\n"
                ),
            ),
        ],
        "",
    );
    assert_eq!(
        findings_of(&r, "module-provider-block"),
        ["examples/simple/main.tf"]
    );
}
