//! The data behind `tfpin constraint`.

use tfpin::constraint::report::{exit_code, explain_text, report};
use tfpin::constraint::Kind;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn provider_report_json_has_the_documented_shape() {
    let r = report(Kind::Provider, "~> 5.31", &strings(&["5.32.1", "6.0.0"]));
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"kind":"provider","constraint":"~> 5.31","valid":true,"error":null,"normalized":"~> 5.31","bounded":true,"lower":"5.31.0","upper":"6.0.0","matches":["5.32.1"],"selected":"5.32.1"}"#
    );
    assert_eq!(exit_code(&r), 0);
}

#[test]
fn matches_keep_input_order_and_selected_is_highest() {
    let r = report(
        Kind::Provider,
        ">= 1.0, != 1.5.0",
        &strings(&["1.9.0", "1.5.0", "1.2.0", "2.1.0", "0.9.0"]),
    );
    assert_eq!(r.matches, strings(&["1.9.0", "1.2.0", "2.1.0"]));
    assert_eq!(r.selected.as_deref(), Some("2.1.0"));
    assert_eq!(r.bounded, Some(false));
    assert_eq!(r.upper, None);
}

#[test]
fn selected_is_reported_as_given() {
    let r = report(Kind::Core, "~> 1.2", &strings(&["v1.3", "1.2.9"]));
    assert_eq!(r.matches, strings(&["v1.3", "1.2.9"]));
    assert_eq!(r.selected.as_deref(), Some("v1.3"));
}

#[test]
fn exit_codes() {
    assert_eq!(exit_code(&report(Kind::Provider, "~> 1.0", &[])), 0);
    assert_eq!(
        exit_code(&report(Kind::Provider, "~> 1.0", &strings(&["2.0.0"]))),
        1
    );
    assert_eq!(
        exit_code(&report(
            Kind::Provider,
            "~> 1.0",
            &strings(&["2.0.0", "1.1.0"])
        )),
        0
    );
    assert_eq!(
        exit_code(&report(Kind::Provider, "v1.0", &strings(&["1.0.0"]))),
        2
    );
    assert_eq!(
        exit_code(&report(
            Kind::Provider,
            "~> 1.0",
            &strings(&["1.1.0", "not-a-version"])
        )),
        2
    );
}

#[test]
fn invalid_constraint_report() {
    let r = report(Kind::Provider, ">=  1.0", &strings(&["1.0.0"]));
    assert!(!r.valid);
    assert_eq!(
        r.error.as_deref(),
        Some("incorrect version constraint syntax: invalid specification \">=  1.0\": only one space is expected after the operator \">=\"")
    );
    assert_eq!(
        (r.normalized, r.bounded, r.lower, r.upper),
        (None, None, None, None)
    );
    assert!(r.matches.is_empty());
    let json = serde_json::to_value(report(Kind::Core, "1.0-beta", &[])).unwrap();
    assert_eq!(json["valid"], false);
    assert!(json["error"]
        .as_str()
        .unwrap()
        .starts_with("prerelease version constraints are not supported"));
}

#[test]
fn invalid_versions_are_listed_and_others_still_evaluated() {
    let r = report(Kind::Provider, ">= 1.0", &strings(&["v1.2.0", "1.3.0"]));
    assert_eq!(r.matches, strings(&["1.3.0"]));
    assert_eq!(r.invalid_versions.len(), 1);
    assert_eq!(r.invalid_versions[0].version, "v1.2.0");
    assert_eq!(
        r.invalid_versions[0].error,
        "invalid version \"v1.2.0\": a \"v\" prefix should not be used"
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["invalid_versions"][0]["version"], "v1.2.0");
    // The text names the version once, not under a second prefix.
    let text = explain_text(&report(Kind::Provider, "~> 5.31", &strings(&["banana"])));
    assert_eq!(text.matches("invalid version").count(), 1, "{text}");
    assert!(text.contains("invalid version \"banana\": "), "{text}");
}

#[test]
fn explain_text_describes_the_range() {
    let t = explain_text(&report(
        Kind::Provider,
        "~> 5.31",
        &strings(&["5.32.1", "6.0.0"]),
    ));
    assert!(
        t.contains("allows versions at least 5.31.0 and below 6.0.0"),
        "{t}"
    );
    assert!(t.contains("bounded: yes"), "{t}");
    assert!(t.contains("matching: 5.32.1"), "{t}");
    assert!(t.contains("terraform would select 5.32.1"), "{t}");

    let t = explain_text(&report(Kind::Core, "~> 1", &[]));
    assert!(t.contains("allows versions at least 1.0.0\n"), "{t}");
    assert!(t.contains("bounded: no"), "{t}");
    assert!(!t.contains("matching"), "{t}");

    let t = explain_text(&report(
        Kind::Provider,
        ">= 1.2, <= 1.4.1",
        &strings(&["2.0.0"]),
    ));
    assert!(t.contains("at most 1.4.1"), "{t}");
    assert!(t.contains("no given version matches"), "{t}");

    let t = explain_text(&report(
        Kind::Provider,
        "1.0.0-beta, >= 0.9",
        &strings(&["1.0.0", "1.0.0-beta"]),
    ));
    assert!(t.contains("allows exactly 1.0.0-beta\n"), "{t}");
    assert!(t.contains("matching: 1.0.0-beta\n"), "{t}");

    let t = explain_text(&report(Kind::Provider, "< 2", &[]));
    assert!(t.contains("allows versions below 2.0.0\n"), "{t}");
    let t = explain_text(&report(Kind::Core, "!= 1.0", &[]));
    assert!(
        t.contains("allows versions with no lower or upper limit\n"),
        "{t}"
    );

    let t = explain_text(&report(Kind::Provider, "> 2, < 1", &[]));
    assert!(t.contains("no version can satisfy this constraint"), "{t}");

    let t = explain_text(&report(Kind::Provider, "v1", &[]));
    assert!(
        t.contains(
            "invalid: incorrect version constraint syntax: a \"v\" prefix should not be used"
        ),
        "{t}"
    );
    for line in t.lines() {
        assert!(!line.ends_with('.'), "{line:?}");
    }
}
