//! Replays version-constraint vectors recorded from the real terraform
//! binary (see the header of each file in tests/data/constraint).

use std::path::PathBuf;

use tfpin::constraint::{parse, Constraints, Kind};

fn data(name: &str) -> Vec<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/constraint")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(unescape).collect())
        .collect()
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('v') => out.push('\u{b}'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

fn version(s: &str) -> semver::Version {
    semver::Version::parse(s).unwrap_or_else(|e| panic!("bad version {s:?} in test data: {e}"))
}

/// Terraform's diagnostic detail in house style: lowercase start, no final period.
fn house_style(detail: &str) -> String {
    let d = detail.strip_suffix('.').unwrap_or(detail);
    let mut c = d.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn finish(file: &str, total: usize, mismatches: Vec<String>) {
    assert!(total > 0, "{file}: no vectors found");
    assert!(
        mismatches.is_empty(),
        "{file}: {} of {total} vectors differ from terraform:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

fn replay_match(file: &str) {
    let rows = data(file);
    let mut bad = Vec::new();
    for r in &rows {
        let (c, v, want) = (&r[0], &r[1], r[2] == "match");
        match parse(Kind::Provider, c) {
            Err(e) => bad.push(format!("  {c:?}: parse error {e} (terraform accepts it)")),
            Ok(p) => {
                let got = p.matches(&version(v));
                if got != want {
                    bad.push(format!(
                        "  {c:?} vs {v}: terraform {} , tfpin {}",
                        r[2],
                        if got { "match" } else { "nomatch" }
                    ));
                }
            }
        }
    }
    finish(file, rows.len(), bad);
}

#[test]
fn provider_match_vectors() {
    replay_match("provider_match.tsv");
}

#[test]
fn provider_prerelease_order_vectors() {
    replay_match("provider_prerelease_order.tsv");
}

#[test]
fn provider_normalize_vectors() {
    let rows = data("provider_normalize.tsv");
    let mut bad = Vec::new();
    for r in &rows {
        match parse(Kind::Provider, &r[0]) {
            Err(e) => bad.push(format!("  {:?}: parse error {e}", r[0])),
            Ok(p) if p.normalized() != r[1] => bad.push(format!(
                "  {:?}: terraform {:?}, tfpin {:?}",
                r[0],
                r[1],
                p.normalized()
            )),
            Ok(_) => {}
        }
    }
    finish("provider_normalize.tsv", rows.len(), bad);
}

#[test]
fn provider_syntax_vectors() {
    let rows = data("provider_syntax.tsv");
    let mut bad = Vec::new();
    for r in &rows {
        let got = parse(Kind::Provider, &r[0]);
        match (r[1].as_str(), got) {
            ("valid", Err(e)) => bad.push(format!("  {:?}: terraform accepts, tfpin: {e}", r[0])),
            ("error", Ok(_)) => bad.push(format!(
                "  {:?}: terraform rejects ({}), tfpin accepts",
                r[0], r[2]
            )),
            ("error", Err(e)) if e.message != house_style(&r[2]) => bad.push(format!(
                "  {:?}: message\n    want {:?}\n    got  {:?}",
                r[0],
                house_style(&r[2]),
                e.message
            )),
            _ => {}
        }
    }
    finish("provider_syntax.tsv", rows.len(), bad);
}

#[test]
fn provider_select_vectors() {
    let rows = data("provider_select.tsv");
    let mut bad = Vec::new();
    for r in &rows {
        let modules: Vec<Option<String>> =
            serde_json::from_str(&r[0]).expect("modules column is JSON");
        let mut merged = Constraints::unconstrained(Kind::Provider);
        for m in modules.iter().flatten() {
            match parse(Kind::Provider, m) {
                Ok(c) => merged = merged.intersect(&c),
                Err(e) => bad.push(format!("  {m:?}: parse error {e}")),
            }
        }
        let avail: Vec<semver::Version> = r[1].split(' ').map(version).collect();
        let got = merged
            .select(&avail)
            .map(|v| v.to_string())
            .unwrap_or_else(|| "none".into());
        if got != r[2] {
            bad.push(format!(
                "  {} from [{}]: terraform selects {}, tfpin {}",
                r[0], r[1], r[2], got
            ));
        }
        if merged.normalized() != r[3] {
            bad.push(format!(
                "  {}: lock constraints terraform {:?}, tfpin {:?}",
                r[0],
                r[3],
                merged.normalized()
            ));
        }
    }
    finish("provider_select.tsv", rows.len(), bad);
}

#[test]
fn core_required_version_vectors() {
    let tf = version("1.11.4");
    let rows = data("core_required_version.tsv");
    let mut bad = Vec::new();
    for r in &rows {
        let got = parse(Kind::Core, &r[0]);
        match (r[1].as_str(), got) {
            ("error", Ok(_)) => bad.push(format!(
                "  {:?}: terraform rejects ({}), tfpin accepts",
                r[0], r[2]
            )),
            ("error", Err(e)) if e.message != house_style(&r[2]) => bad.push(format!(
                "  {:?}: message\n    want {:?}\n    got  {:?}",
                r[0],
                house_style(&r[2]),
                e.message
            )),
            ("error", Err(_)) => {}
            (want, Err(e)) => bad.push(format!(
                "  {:?}: terraform {want}s 1.11.4, tfpin parse error {e}",
                r[0]
            )),
            (want, Ok(c)) => {
                if c.matches(&tf) != (want == "accept") {
                    bad.push(format!(
                        "  {:?}: terraform {want}s 1.11.4, tfpin disagrees",
                        r[0]
                    ));
                }
            }
        }
    }
    finish("core_required_version.tsv", rows.len(), bad);
}

#[test]
fn provider_lock_vectors() {
    let rows = data("provider_lock.tsv");
    let mut bad = Vec::new();
    for r in &rows {
        match parse(Kind::Provider, &r[0]) {
            Err(e) => bad.push(format!("  {:?}: parse error {e}", r[0])),
            Ok(c) => {
                let kept = c.matches(&version(&r[1]));
                if kept != (r[2] == "accepted") {
                    bad.push(format!(
                        "  {:?} locked at {}: terraform {}, tfpin disagrees",
                        r[0], r[1], r[2]
                    ));
                }
            }
        }
    }
    finish("provider_lock.tsv", rows.len(), bad);
}
