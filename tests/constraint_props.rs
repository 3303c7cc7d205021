//! Algebraic properties of constraint sets, checked on generated constraints
//! and versions.

use proptest::prelude::*;
use tfpin::constraint::report::report;
use tfpin::constraint::{parse, parse_version, Constraints, Kind};

const PRES: [&str; 8] = [
    "alpha", "beta", "beta.2", "beta.10", "rc1", "rc.1", "1", "a.b",
];
const METAS: [&str; 2] = ["a", "b"];

fn num() -> impl Strategy<Value = u64> {
    0u64..4
}

fn pre() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::weighted(0.3, prop::sample::select(&PRES[..]))
}

fn meta() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::weighted(0.15, prop::sample::select(&METAS[..]))
}

fn version() -> impl Strategy<Value = semver::Version> {
    (num(), num(), num(), pre(), meta()).prop_map(|(a, b, c, p, m)| {
        let mut s = format!("{a}.{b}.{c}");
        if let Some(p) = p {
            s = format!("{s}-{p}");
        }
        if let Some(m) = m {
            s = format!("{s}+{m}");
        }
        semver::Version::parse(&s).unwrap()
    })
}

fn version_text(parts: usize, with_pre: bool) -> impl Strategy<Value = String> {
    (prop::collection::vec(num(), 1..=parts), pre(), meta()).prop_map(move |(ns, p, m)| {
        let mut s = ns
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(".");
        if let (true, Some(p)) = (with_pre, p) {
            s = format!("{s}-{p}");
        }
        if let Some(m) = m {
            s = format!("{s}+{m}");
        }
        s
    })
}

fn provider_item() -> impl Strategy<Value = String> {
    let ops = prop::sample::select(vec![
        "", "= ", "!= ", "> ", ">= ", "< ", "<= ", "~> ", ">=", "~>", "=",
    ]);
    (ops, version_text(3, true)).prop_map(|(o, v)| format!("{o}{v}"))
}

fn classic_item(with_pre: bool) -> impl Strategy<Value = String> {
    let ops = prop::sample::select(vec!["", "=", "!=", ">", ">=", "<", "<=", "~>"]);
    let ws = prop::sample::select(vec!["", " ", "  ", "\t"]);
    (
        ws.clone(),
        ops,
        ws.clone(),
        any::<bool>(),
        version_text(4, with_pre),
        ws,
    )
        .prop_map(|(a, o, b, vp, v, c)| format!("{a}{o}{b}{}{v}{c}", if vp { "v" } else { "" }))
}

fn constraint(kind: Kind) -> BoxedStrategy<String> {
    let item = match kind {
        Kind::Provider => provider_item().boxed(),
        Kind::Core => classic_item(false).boxed(),
        Kind::Module => classic_item(true).boxed(),
    };
    prop::collection::vec(item, 1..4)
        .prop_map(|v| v.join(","))
        .boxed()
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(vec![Kind::Provider, Kind::Core, Kind::Module])
}

/// A kind with three constraints of that kind, all valid.
fn three() -> impl Strategy<Value = (Kind, Constraints, Constraints, Constraints)> {
    kind().prop_flat_map(|k| {
        (Just(k), constraint(k), constraint(k), constraint(k)).prop_map(|(k, a, b, c)| {
            (
                k,
                parse(k, &a).unwrap(),
                parse(k, &b).unwrap(),
                parse(k, &c).unwrap(),
            )
        })
    })
}

/// Versions worth probing for a set: everything near the numbers it uses.
fn probes(extra: &[semver::Version]) -> Vec<semver::Version> {
    let mut out: Vec<semver::Version> = extra.to_vec();
    for a in 0..5u64 {
        for b in 0..5u64 {
            for c in 0..5u64 {
                out.push(semver::Version::new(a, b, c));
            }
        }
    }
    out.push(semver::Version::new(1000, 3, 7));
    out
}

fn is_release(v: &semver::Version) -> bool {
    v.pre.is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_constraints_parse(k in kind(), s in kind().prop_flat_map(constraint)) {
        // Only the kind's own generator is guaranteed valid; others must not panic.
        let _ = parse(k, &s);
    }

    #[test]
    fn own_kind_generator_is_valid(k in kind().prop_flat_map(|k| (Just(k), constraint(k)))) {
        let (k, s) = k;
        prop_assert!(parse(k, &s).is_ok(), "{} {:?}: {:?}", k, s, parse(k, &s).err());
    }

    #[test]
    fn intersect_is_commutative_and_associative((_, a, b, c) in three(), vs in prop::collection::vec(version(), 8)) {
        for v in probes(&vs) {
            prop_assert_eq!(a.intersect(&b).matches(&v), b.intersect(&a).matches(&v), "{}", v);
            prop_assert_eq!(
                a.intersect(&b).intersect(&c).matches(&v),
                a.intersect(&b.intersect(&c)).matches(&v),
                "{}", v
            );
        }
    }

    #[test]
    fn intersect_matches_both((k, a, b, _) in three(), vs in prop::collection::vec(version(), 8)) {
        for v in probes(&vs) {
            let both = a.matches(&v) && b.matches(&v);
            let merged = a.intersect(&b).matches(&v);
            if k == Kind::Provider && !is_release(&v) {
                // A prerelease named exactly by one module is admitted even
                // though the other module's ranges alone exclude it.
                prop_assert!(!both || merged, "{}", v);
            } else {
                prop_assert_eq!(merged, both, "{} / {} at {}", a, b, v);
            }
        }
    }

    #[test]
    fn unsatisfiable_means_nothing_matches((_, a, b, c) in three(), vs in prop::collection::vec(version(), 16)) {
        let s = a.intersect(&b).intersect(&c);
        if !s.is_satisfiable() {
            for v in probes(&vs) {
                prop_assert!(!s.matches(&v), "{} is unsatisfiable but matches {}", s, v);
            }
            prop_assert!(s.lower().is_none());
            prop_assert!(s.upper().is_none());
        }
    }

    #[test]
    fn unbounded_means_large_versions_match((_, a, b, _) in three(), big in 10u64..1_000_000, minor in 0u64..50) {
        let s = a.intersect(&b);
        if !s.is_bounded() {
            prop_assert!(s.matches(&semver::Version::new(big, minor, 3)), "{} unbounded", s);
        } else if let Some((u, _)) = s.upper() {
            prop_assert!(!s.matches(&semver::Version::new(u.major + big, minor, 0)));
        }
    }

    #[test]
    fn lower_and_upper_enclose_the_matches((_, a, b, _) in three(), vs in prop::collection::vec(version(), 16)) {
        let s = a.intersect(&b);
        if let Some(l) = s.lower() {
            prop_assert!(s.matches(&l), "lower {} of {} does not match", l, s);
        }
        for v in probes(&vs).iter().filter(|v| s.matches(v) && v.build.is_empty()) {
            if let Some(l) = s.lower() {
                prop_assert!(l.cmp_precedence(v).is_le() || !is_release(v), "{} below lower {} of {}", v, l, s);
            }
            match s.upper() {
                Some((u, true)) => prop_assert!(v.cmp_precedence(&u).is_le() || !is_release(v), "{} above {} of {}", v, u, s),
                Some((u, false)) => prop_assert!(v.cmp_precedence(&u).is_lt() || !is_release(v), "{} not below {} of {}", v, u, s),
                None => prop_assert!(!s.is_bounded()),
            }
        }
    }

    #[test]
    fn normalized_reparses_equivalently(k in kind().prop_flat_map(|k| (Just(k), constraint(k))), vs in prop::collection::vec(version(), 16)) {
        let (k, text) = k;
        let c = parse(k, &text).unwrap();
        let n = c.normalized();
        let r = parse(k, &n);
        prop_assert!(r.is_ok(), "normalized {:?} of {:?} does not parse: {:?}", n, text, r.err());
        let r = r.unwrap();
        prop_assert_eq!(r.normalized(), n.clone());
        for v in probes(&vs) {
            prop_assert_eq!(c.matches(&v), r.matches(&v), "{:?} vs normalized {:?} at {}", text, n, v);
        }
    }

    #[test]
    fn select_is_the_highest_match((_, a, _, _) in three(), vs in prop::collection::vec(version(), 0..12)) {
        let matching: Vec<&semver::Version> = vs.iter().filter(|v| a.matches(v)).collect();
        match a.select(&vs) {
            None => prop_assert!(matching.is_empty()),
            Some(s) => {
                prop_assert!(a.matches(s));
                for m in matching {
                    prop_assert!(m.cmp_precedence(s).is_le() || (!is_release(m) && !is_release(s)), "{} > selected {}", m, s);
                }
            }
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,40}", k in kind()) {
        let _ = parse(k, &s);
        let _ = parse_version(k, &s);
        let r = report(k, &s, &[s.clone(), "1.0.0".to_string()]);
        let _ = tfpin::constraint::report::explain_text(&r);
    }

    #[test]
    fn constraint_like_strings_never_panic(s in "[ \t\n,v=<>!~^*xX.+0-9a-c-]{0,24}", k in kind()) {
        if let Ok(c) = parse(k, &s) {
            let _ = (c.normalized(), c.lower(), c.upper(), c.is_bounded(), c.is_satisfiable());
            let _ = parse(k, &c.normalized());
        }
        let _ = parse_version(k, &s);
    }
}
