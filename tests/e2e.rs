//! Whole trees through every rule.

use std::path::Path;
use tfpin::config::Settings;

fn fixture(case: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/e2e")
        .join(case)
}

/// A correctly pinned and wired multi-region tree: a deployed root with a
/// backend, a bounded required_version and provider constraint, a lock file
/// written by terraform for both default platforms, three configurations of
/// one provider (a default from a variable, a replica, and us-east-1 for
/// CloudFront), and two reusable modules, one of which declares
/// configuration_aliases. Every rule must stay silent.
#[test]
fn a_clean_multi_region_tree_has_no_findings() {
    let root = fixture("clean-multi-region");
    // The residency policy of the fixture's .tfpin.hcl: replicas and
    // replication stay in the EU.
    let settings = Settings {
        allowed_regions: vec!["eu-*".to_string(), "us-east-1".to_string()],
        ..Settings::default()
    };
    let report = tfpin::check(&root, std::slice::from_ref(&root), &settings).unwrap();
    let found: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            let file = report.workspace.sources.get(f.span.file);
            format!(
                "{} {}:{} {}",
                f.rule,
                file.display,
                file.line_col(f.span.range.start).line,
                f.message
            )
        })
        .collect();
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(report.workspace.modules.len(), 3);
}

/// The same tree with every rule enabled, including those off by default,
/// and with a team Terraform version the tree accepts.
#[test]
fn the_clean_tree_stays_clean_with_every_rule_on() {
    let root = fixture("clean-multi-region");
    let mut settings = Settings::default();
    for meta in tfpin::rules::all() {
        settings
            .rules
            .entry(meta.id.to_string())
            .or_default()
            .enabled = Some(true);
    }
    settings.terraform_version = Some(semver::Version::new(1, 11, 4));
    settings.allowed_regions = vec!["eu-*".to_string(), "us-east-1".to_string()];
    let report = tfpin::check(&root, std::slice::from_ref(&root), &settings).unwrap();
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    assert!(rules.is_empty(), "{rules:?}");
}

/// Leaving the working data to the system, as the command line does, gives
/// exactly the findings of a check that frees it.
#[test]
fn leaking_the_working_data_changes_no_finding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let paths = std::slice::from_ref(&root);
    let settings = Settings::default();
    let freed = tfpin::check(&root, paths, &settings).unwrap();
    let leaked =
        tfpin::engine::check_with(&root, paths, &settings, tfpin::engine::Teardown::Leak).unwrap();
    let key = |r: &tfpin::Report| {
        r.findings
            .iter()
            .map(|f| {
                (
                    f.rule,
                    f.span.clone(),
                    f.message.clone(),
                    f.fingerprint.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert!(
        freed.findings.len() >= 20,
        "the fixtures have findings of many rules"
    );
    assert_eq!(key(&freed), key(&leaked));
}
