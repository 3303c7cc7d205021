use super::*;

fn v(s: &str) -> semver::Version {
    semver::Version::parse(s).unwrap()
}

fn p(kind: Kind, s: &str) -> Constraints {
    parse(kind, s).unwrap_or_else(|e| panic!("{s:?} should parse as {kind}: {e}"))
}

fn accepts(kind: Kind, c: &str, ver: &str) -> bool {
    p(kind, c).matches(&v(ver))
}

fn err(kind: Kind, s: &str) -> ConstraintError {
    match parse(kind, s) {
        Ok(c) => panic!("{s:?} should be rejected as {kind}, got {}", c.normalized()),
        Err(e) => e,
    }
}

const P: Kind = Kind::Provider;
const C: Kind = Kind::Core;
const M: Kind = Kind::Module;

#[test]
fn provider_exact_and_partial_versions() {
    assert!(accepts(P, "1.2", "1.2.0"));
    assert!(!accepts(P, "1.2", "1.2.1"));
    assert!(accepts(P, "= 1", "1.0.0"));
    assert!(!accepts(P, "= 1", "1.5.0"));
    assert!(accepts(P, "=1.2.3", "1.2.3"));
}

#[test]
fn provider_range_operators() {
    assert!(accepts(P, "> 1.2", "1.2.1"));
    assert!(!accepts(P, "> 1.2", "1.2.0"));
    assert!(accepts(P, ">= 1.2", "1.2.0"));
    assert!(accepts(P, "< 1.2", "1.1.99"));
    assert!(!accepts(P, "< 1.2", "1.2.0"));
    assert!(accepts(P, "<= 1.2", "1.2.0"));
    assert!(!accepts(P, "<= 1.2", "1.2.1"));
    assert!(accepts(P, "!= 1.2.3", "1.2.4"));
    assert!(!accepts(P, "!= 1.2.3", "1.2.3"));
}

#[test]
fn provider_pessimistic_operator() {
    assert!(accepts(P, "~> 1", "1.9.0"));
    assert!(!accepts(P, "~> 1", "2.0.0"));
    assert!(accepts(P, "~> 1.2", "1.9.0"));
    assert!(!accepts(P, "~> 1.2", "1.1.9"));
    assert!(accepts(P, "~> 1.2.3", "1.2.9"));
    assert!(!accepts(P, "~> 1.2.3", "1.3.0"));
    assert!(!accepts(P, "~> 0", "1.0.0"));
}

#[test]
fn provider_prereleases_only_when_named() {
    assert!(!accepts(P, ">= 1.0.0-beta", "1.0.0-beta"));
    assert!(accepts(P, "1.0.0-beta", "1.0.0-beta"));
    assert!(accepts(P, "1.0.0-beta, >= 0.9", "1.0.0-beta"));
    assert!(!accepts(P, "1.0.0-beta, != 1.0.0-beta", "1.0.0-beta"));
    assert!(!accepts(P, "~> 1.0", "1.1.0-beta"));
    assert!(!accepts(P, "1.0.0-beta", "1.0.0-beta+build"));
}

#[test]
fn provider_prerelease_ordering_differs_from_semver() {
    // No further dot: sorts first regardless of contents.
    assert!(accepts(P, "= 1.0.0-rc.1, > 1.0.0-rc1", "1.0.0-rc.1"));
    assert!(accepts(
        P,
        "= 1.0.0-beta.10, > 1.0.0-beta.2",
        "1.0.0-beta.10"
    ));
    assert!(accepts(P, "= 1.0.0-a.b, > 1.0.0-z", "1.0.0-a.b"));
}

#[test]
fn provider_build_metadata_counts_for_exact_only() {
    assert!(accepts(P, "1.2.3+abc", "1.2.3+abc"));
    assert!(!accepts(P, "1.2.3+abc", "1.2.3"));
    assert!(!accepts(P, "1.2.3", "1.2.3+abc"));
    assert!(accepts(P, "!= 1.2.3", "1.2.3+abc"));
    assert!(accepts(P, "<= 1.2.3+zzz", "1.2.3+abc"));
    assert!(accepts(P, ">= 1.2.3+zzz", "1.2.3"));
}

#[test]
fn provider_never_selects_zero() {
    assert!(!accepts(P, "< 1", "0.0.0"));
    assert!(accepts(P, "< 1", "0.0.1"));
    assert!(accepts(P, "< 1", "0.0.0+meta"));
    assert!(!Constraints::unconstrained(P).matches(&v("0.0.0")));
}

#[test]
fn provider_syntax_errors() {
    assert_eq!(
        err(P, "").message,
        "this string does not use correct version constraint syntax"
    );
    assert_eq!(
        err(P, "=> 1").message,
        "this string does not use correct version constraint syntax"
    );
    assert_eq!(
        err(P, "v1.0").message,
        "incorrect version constraint syntax: a \"v\" prefix should not be used"
    );
    assert_eq!(
        err(P, ">=  1.0").message,
        "incorrect version constraint syntax: invalid specification \">=  1.0\": only one space is expected after the operator \">=\""
    );
    assert_eq!(
        err(P, "~>1.2.3.4").message,
        "incorrect version constraint syntax: invalid specification \"~>1.2.3.4\": too many numbered portions; only three are allowed (major, minor, patch)"
    );
    assert_eq!(
        err(P, "1.0beta").message,
        "incorrect version constraint syntax: missing comma after \"1.0\""
    );
}

#[test]
fn provider_v_directly_after_operator_reads_as_extra_spaces() {
    assert_eq!(
        err(P, ">= 1.0,=v2").message,
        "incorrect version constraint syntax: invalid specification \"=\": only one space is expected after the operator \"=\""
    );
    assert_eq!(err(P, ">= 1.0,=v2").offset, Some(7));
    assert_eq!(
        err(P, "~> v1.2").message,
        "incorrect version constraint syntax: a \"v\" prefix should not be used"
    );
    // The module pin rule refuses the same spelling.
    assert!(!accepts(M, "=v1.0.0-beta", "1.0.0-beta"));
}

#[test]
fn provider_error_offsets_point_at_the_bad_item() {
    assert_eq!(err(P, ">= 1.0, >=  2.0").offset, Some(8));
    assert_eq!(err(P, "1.0, 2.0,").offset, Some(9));
    assert_eq!(err(P, ">= 1.0, 2.0beta").offset, Some(11));
}

#[test]
fn provider_lax_spots_terraform_accepts() {
    // A dangling "-" is ignored by the provider parser.
    assert_eq!(p(P, "1.0.0-").normalized(), "1.0.0");
    assert_eq!(p(P, "~> 1.0-").normalized(), "~> 1.0");
    assert_eq!(p(P, "\t1.0\n").normalized(), "1.0.0");
    assert_eq!(p(P, "1.0.0-.beta").normalized(), "1.0.0-.beta");
}

#[test]
fn provider_normalization() {
    assert_eq!(p(P, "~> 1").normalized(), "~> 1.0");
    assert_eq!(p(P, "~> 1.2.0").normalized(), "~> 1.2.0");
    assert_eq!(p(P, "< 2, >= 1").normalized(), ">= 1.0.0, < 2.0.0");
    assert_eq!(p(P, ">= 1, >= 1.0, >= 1.0.0").normalized(), ">= 1.0.0");
    assert_eq!(
        p(P, "!= 1.2, <= 1.2, 1.2, >= 1.2, > 1.2").normalized(),
        "> 1.2.0, >= 1.2.0, 1.2.0, <= 1.2.0, != 1.2.0"
    );
    assert_eq!(p(P, "~> 1.2-beta").normalized(), "~> 1.2-beta");
    assert_eq!(
        p(P, ">= 1.2.3+b, >= 1.2.3+a").normalized(),
        ">= 1.2.3+a, >= 1.2.3+b"
    );
}

#[test]
fn provider_merge_concatenates() {
    let a = p(P, "1.0.0-beta");
    let b = p(P, ">= 0.9");
    let m = a.intersect(&b);
    assert!(m.matches(&v("1.0.0-beta")));
    assert!(!b.matches(&v("1.0.0-beta")));
    assert_eq!(m.normalized(), ">= 0.9.0, 1.0.0-beta");
}

#[test]
fn intersecting_in_place_is_intersecting() {
    let sets = [
        p(P, ">= 4.0"),
        p(P, "~> 5.31"),
        p(P, ">= 4.0, != 5.32.0"),
        p(P, "1.0.0-beta"),
    ];
    let mut acc = Constraints::unconstrained(Kind::Provider);
    let mut folded = Constraints::unconstrained(Kind::Provider);
    // Ask before adding more, so a stale answer would show.
    assert!(!acc.is_bounded());
    for s in &sets {
        acc.intersect_with(s);
        folded = folded.intersect(s);
        assert_eq!(acc, folded);
        assert_eq!(acc.normalized(), folded.normalized());
        assert_eq!(acc.is_bounded(), folded.is_bounded());
        assert_eq!(acc.is_satisfiable(), folded.is_satisfiable());
    }
    // A set of the other language leaves it unchanged, as `intersect` does.
    acc.intersect_with(&p(C, "< 2"));
    assert_eq!(acc, folded);
}

#[test]
fn answers_are_worked_out_again_after_an_intersection() {
    let mut a = p(P, ">= 4.0");
    assert!(!a.is_bounded());
    let b = p(P, "< 6.0");
    assert!(a.intersect(&b).is_bounded());
    a.intersect_with(&b);
    assert!(a.is_bounded());
}

#[test]
fn provider_bounds() {
    let c = p(P, "~> 5.31");
    assert_eq!(c.lower(), Some(v("5.31.0")));
    assert_eq!(c.upper(), Some((v("6.0.0"), false)));
    assert!(c.is_bounded());
    let c = p(P, ">= 1.2, <= 1.4.1");
    assert_eq!(c.upper(), Some((v("1.4.1"), true)));
    let c = p(P, "> 1.2.3");
    assert_eq!(c.lower(), Some(v("1.2.4")));
    assert_eq!(c.upper(), None);
    assert!(!c.is_bounded());
    let c = p(P, "1.2.3");
    assert!(c.is_bounded());
    assert_eq!(c.lower(), Some(v("1.2.3")));
    assert_eq!(c.upper(), Some((v("1.2.3"), true)));
    assert_eq!(p(P, "< 2").lower(), Some(v("0.0.1")));
    assert_eq!(p(P, "> 1.0.0-beta").lower(), Some(v("1.0.0")));
}

#[test]
fn provider_satisfiability() {
    assert!(!p(P, "> 2, < 1").is_satisfiable());
    assert!(!p(P, "1.2.3, 1.2.4").is_satisfiable());
    assert!(!p(P, "1.0.0-beta, != 1.0.0-beta").is_satisfiable());
    assert!(!p(P, ">= 1.0.0-beta, < 1.0.0").is_satisfiable());
    assert!(p(P, "1.0.0-beta, < 1.0.0").is_satisfiable());
    // Only build-metadata variants of 1.0.0 remain.
    let c = p(P, ">= 1.0.0, <= 1.0.0, != 1.0.0");
    assert!(c.is_satisfiable());
    assert!(c.matches(&v("1.0.0+x")));
    assert_eq!(c.lower(), None);
}

#[test]
fn provider_select_picks_highest_and_last_tie() {
    let c = p(P, ">= 1.0");
    let vs = [v("1.0.0+b"), v("2.0.0-beta"), v("1.0.0+a")];
    assert_eq!(c.select(&vs), Some(&vs[2]));
    assert_eq!(p(P, "> 5").select(&vs), None);
}

#[test]
fn core_pessimistic_is_on_last_part() {
    assert!(accepts(C, "~> 1", "7.0.0"));
    assert!(!accepts(C, "~> 1", "0.9.0"));
    assert!(accepts(C, "~> 1.2", "1.9.0"));
    assert!(!accepts(C, "~> 1.2", "2.0.0"));
    assert!(accepts(C, "~> 1.2.3", "1.2.9"));
    assert!(!accepts(C, "~> 1.2.3", "1.3.0"));
    assert!(!accepts(C, "~> 1.2.3.0", "1.2.3"));
    assert!(!p(C, "~> 1").is_bounded());
    assert!(p(C, "~> 1.2").is_bounded());
}

#[test]
fn core_syntax_is_lenient() {
    assert!(accepts(C, "v1.2.3", "1.2.3"));
    assert!(accepts(C, "  >=\t1.0  ,<2", "1.5.0"));
    assert!(accepts(C, ">= 1.2.3.0", "1.2.3"));
    assert!(!accepts(C, ">= 1.2.3.1", "1.2.3"));
    assert!(accepts(C, ">= 1.2.3.1", "1.2.4"));
    assert!(accepts(C, "= 1.2.3.0.0", "1.2.3"));
    assert!(accepts(C, ">= 01.02", "1.2.0"));
}

#[test]
fn core_rejects_bad_syntax_and_prereleases() {
    for bad in [
        "",
        "1.0,",
        ">= 1.0 < 2",
        "=> 1",
        "1.*",
        "V1.0",
        "v 1.0",
        "1..0",
        ">= 99999999999999999999",
        ">=\u{b}1.0",
    ] {
        assert_eq!(
            err(C, bad).message,
            "this string does not use correct version constraint syntax",
            "{bad:?}"
        );
    }
    assert_eq!(
        err(C, ">= 1.0, < 2.0-beta").message,
        "prerelease version constraints are not supported:  < 2.0-beta. Remove the prerelease information from the constraint. Prerelease versions of terraform will match constraints using their version core only"
    );
    assert_eq!(err(C, ">= 1.0, < 2.0-beta").offset, Some(7));
    assert!(parse(C, "1.0.0-").is_err());
}

#[test]
fn core_checks_terraform_version_core() {
    assert!(accepts(C, ">= 1.12", "1.12.0-beta1"));
    assert!(!accepts(C, "< 1.12", "1.12.0-beta1"));
}

#[test]
fn module_ranges_and_metadata() {
    assert!(accepts(M, "~> 1.2", "1.4.0"));
    assert!(accepts(M, "1.2.3+a", "1.2.3+b"));
    assert!(accepts(M, "!= 1.2.3", "1.2.4"));
    assert!(!accepts(M, "!= 1.2.3+x", "1.2.3"));
}

#[test]
fn module_prereleases_need_an_exact_single_pin() {
    assert!(accepts(M, "1.0.0-beta", "1.0.0-beta"));
    assert!(accepts(M, "=1.0.0-beta", "1.0.0-beta"));
    assert!(accepts(M, " 1.0-beta ", "1.0.0-beta"));
    // A space after the operator, a v prefix or a second piece loses the pin.
    assert!(!accepts(M, "= 1.0.0-beta", "1.0.0-beta"));
    assert!(!accepts(M, "v1.0.0-beta", "1.0.0-beta"));
    assert!(!accepts(M, "1.0.0-beta, >= 0.1", "1.0.0-beta"));
    // Range operators never admit prereleases for modules.
    assert!(!accepts(M, ">= 1.0.0-beta", "1.0.0-rc"));
    assert!(accepts(M, ">= 1.0.0-beta", "1.0.0"));
    assert_eq!(p(M, "1.0-beta").normalized(), "1.0.0-beta");
    assert_eq!(p(M, "= 1.0-beta").normalized(), "= 1.0.0-beta");
}

#[test]
fn classic_prerelease_comparison_quirks() {
    use classic::parse_version as gv;
    let cmp = |a: &str, b: &str| gv(a).unwrap().compare(&gv(b).unwrap());
    assert_eq!(cmp("1.0.0-beta", "1.0.0-beta.1"), Ordering::Less);
    // An empty identifier sorts after a non-numeric one.
    assert_eq!(cmp("1.0.0-beta", "1.0.0-beta.alpha"), Ordering::Greater);
    assert_eq!(cmp("1.0.0-beta.2", "1.0.0-beta.10"), Ordering::Less);
    assert_eq!(cmp("1.0.0-1", "1.0.0-alpha"), Ordering::Less);
    assert_eq!(cmp("1.2.3.0", "1.2.3"), Ordering::Equal);
    assert_eq!(cmp("1.2.3.1", "1.2.4"), Ordering::Less);
    assert_eq!(cmp("1.0beta", "1.0.0-beta"), Ordering::Equal);
}

#[test]
fn classic_version_syntax() {
    use classic::parse_version as gv;
    assert_eq!(gv("1.0.0-").unwrap().pre, "-");
    assert_eq!(gv("1.0.0--x").unwrap().pre, "-x");
    assert_eq!(gv("1.0.0-.a").unwrap().pre, "-.a");
    assert_eq!(gv("1.0.0-1.a").unwrap().pre, "1.a");
    assert_eq!(gv("1.0~x").unwrap().pre, "~x");
    assert!(gv("1.0.0-a..b").is_err());
    assert!(gv("1.0.0+").is_err());
    assert!(gv("1.0.").is_err());
    assert!(gv("9223372036854775808").is_err());
    assert_eq!(gv("9223372036854775807").unwrap().segs[0], i64::MAX as u64);
}

#[test]
fn core_normalization() {
    assert_eq!(
        p(C, "v1.2, ~>1.2, >=1").normalized(),
        "= 1.2.0, ~> 1.2, >= 1.0.0"
    );
    assert_eq!(p(C, ">= 1, >=1.0.0").normalized(), ">= 1.0.0");
    let a = p(C, ">= 1");
    let b = p(C, "< 2");
    assert_eq!(a.intersect(&b).normalized(), ">= 1.0.0, < 2.0.0");
}

#[test]
fn parse_version_per_kind() {
    assert_eq!(parse_version(P, "1.2").unwrap(), v("1.2.0"));
    assert_eq!(
        parse_version(P, "v1.2.3").unwrap_err().message,
        "invalid version \"v1.2.3\": a \"v\" prefix should not be used"
    );
    assert_eq!(
        parse_version(P, ">= 1.2").unwrap_err().message,
        "invalid version \">= 1.2\": can't use constraint operator \">=\"; an exact version is required"
    );
    assert!(parse_version(P, "1.2.3.4").is_err());
    assert_eq!(parse_version(C, "v1.2.3").unwrap(), v("1.2.3"));
    assert_eq!(parse_version(M, "1.2.3.0").unwrap(), v("1.2.3"));
    assert!(parse_version(M, "1.2.3.4").is_err());
    assert!(parse_version(M, "1.0.0-a~b").is_err());
}

#[test]
fn kind_round_trips_through_text_and_serde() {
    for k in [P, C, M] {
        assert_eq!(k.to_string().parse::<Kind>().unwrap(), k);
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
    }
    assert!("Provider".parse::<Kind>().is_err());
}
