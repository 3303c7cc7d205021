//! The machine formats of `tfpin check --format`, end to end on the real
//! binary: snapshots of each on fixtures/cli/broken, SARIF validated against
//! the official schema, the XML formats read back with a real parser, and
//! GitHub workflow commands fed hostile file names and messages.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cli")
        .join(case)
}

fn check(dir: &Path, format: &str) -> String {
    let out = Command::cargo_bin("tfpin")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", "--format", format])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        out.status.code()
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&check(dir, "json")).unwrap()
}

/// A tree whose file name and module values are built to break out of
/// every format: a file named like a workflow command's properties, and a
/// module source (quoted in the message) holding line breaks, a command, a
/// `%` escape, markup and a control character.
fn hostile_tree() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("x,line=1::y.tf"),
        "module \"a\\n::error::x\" {\n  source = \"./a\\r\\n::warning file=z::%0A%25\\u0001<&>\\\"'\"\n}\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::fs::write(
        d.path().join("evil\n::error file=a.tf::pwned\r.tf"),
        "module \"b\" {\n  source = \"./nowhere\"\n}\n",
    )
    .unwrap();
    d
}

// ---------------------------------------------------------------- snapshots

#[test]
fn compact_output_for_a_broken_tree() {
    insta::assert_snapshot!("broken_compact", check(&fixture("broken"), "compact"));
}

#[test]
fn github_output_for_a_broken_tree() {
    insta::assert_snapshot!("broken_github", check(&fixture("broken"), "github"));
}

#[test]
fn checkstyle_output_for_a_broken_tree() {
    insta::assert_snapshot!("broken_checkstyle", check(&fixture("broken"), "checkstyle"));
}

#[test]
fn junit_output_for_a_broken_tree() {
    insta::assert_snapshot!("broken_junit", check(&fixture("broken"), "junit"));
}

#[test]
fn sarif_output_for_a_broken_tree() {
    let mut v: serde_json::Value =
        serde_json::from_str(&check(&fixture("broken"), "sarif")).unwrap();
    // The rule docs are checked below; the snapshot keeps the rest readable.
    for r in v["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap()
    {
        r["help"] = serde_json::json!("<rules/<id>.md>");
    }
    insta::assert_json_snapshot!("broken_sarif", v);
}

#[test]
fn a_clean_tree_gives_empty_line_formats_and_passing_xml() {
    let clean = fixture("clean");
    assert_eq!(check(&clean, "compact"), "");
    assert_eq!(check(&clean, "github"), "");
    assert_eq!(
        check(&clean, "checkstyle"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n</checkstyle>\n"
    );
    let junit = check(&clean, "junit");
    let doc = roxmltree::Document::parse(&junit).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );
    assert!(doc.descendants().any(|n| n.has_tag_name("testcase")));
}

// -------------------------------------------------------------------- SARIF

/// The official schema is not part of the repository: CI has it beside the
/// checkout, in `shared/data/`. `TFPIN_SARIF_SCHEMA` points elsewhere, for a
/// checkout that lives somewhere else.
fn validator() -> Option<jsonschema::Validator> {
    let path = std::env::var_os("TFPIN_SARIF_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/sarif-schema-2.1.0.json")
        });
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED: the SARIF 2.1.0 schema is not at {} (it lives beside the repository, in \
             shared/data); SARIF schema validation did not run",
            path.display()
        );
        return None;
    };
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    Some(
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap(),
    )
}

fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let Some(v) = validator() else { return };
    for dir in [fixture("broken"), fixture("clean")] {
        let doc: serde_json::Value = serde_json::from_str(&check(&dir, "sarif")).unwrap();
        assert_valid(&v, &doc);
    }
    let hostile = hostile_tree();
    let doc: serde_json::Value = serde_json::from_str(&check(hostile.path(), "sarif")).unwrap();
    assert_valid(&v, &doc);
    // The validator is not vacuous: a level SARIF does not know fails.
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!v.is_valid(&bad));
}

#[test]
fn sarif_results_agree_with_the_json_report_and_the_rules() {
    let dir = fixture("broken");
    let sarif: serde_json::Value = serde_json::from_str(&check(&dir, "sarif")).unwrap();
    let report = json(&dir);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "tfpin");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    // Every registered rule is listed, in `tfpin rules` order.
    let listed: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    assert!(listed.contains(&"parse-error") && listed.contains(&"constraint-invalid"));
    for r in rules {
        let doc = r["help"]["markdown"].as_str().unwrap();
        assert!(doc.starts_with(&format!("# {}\n", r["id"].as_str().unwrap())));
        assert_eq!(r["help"]["text"], r["help"]["markdown"]);
        let full = r["fullDescription"]["text"].as_str().unwrap();
        assert!(!full.is_empty() && !full.contains('\n'));
        assert!(doc.replace('\n', " ").contains(full));
    }

    let results = run["results"].as_array().unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["rule"]);
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], f["rule"]);
        assert_eq!(r["level"], f["severity"]);
        assert_eq!(
            r["partialFingerprints"][tfpin::output::sarif::FINGERPRINT_KEY],
            f["fingerprint"]
        );
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(f["message"].as_str().unwrap()));
        assert!(text.ends_with(f["help"].as_str().unwrap()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f["file"]);
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], f["line"]);
        assert_eq!(loc["region"]["startColumn"], f["column"]);
        assert_eq!(loc["region"]["endLine"], f["end_line"]);
        assert_eq!(loc["region"]["endColumn"], f["end_column"]);
        let labels = f["labels"].as_array().unwrap();
        let related = r["relatedLocations"].as_array().map_or(0, Vec::len);
        assert_eq!(related, labels.len());
    }
    assert!(results.iter().any(|r| r.get("relatedLocations").is_some()));
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let d = hostile_tree();
    let sarif: serde_json::Value = serde_json::from_str(&check(d.path(), "sarif")).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"x%2Cline%3D1%3A%3Ay.tf"), "{uris:?}");
    for u in uris {
        assert!(u.chars().all(|c| c.is_ascii_graphic()), "{u:?}");
    }
}

// ------------------------------------------------------------------- GitHub

const COMMANDS: [&str; 3] = ["error", "warning", "notice"];

/// Splits a workflow command line the way the Actions runner does: the
/// command name up to the first space, properties up to the next `::`,
/// then the message; values unescaped.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("not a command: {line:?}"));
    let end = rest
        .find("::")
        .unwrap_or_else(|| panic!("no `::` ending the properties: {line:?}"));
    let (head, data) = (&rest[..end], &rest[end + 2..]);
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let unescape_prop = |s: &str| {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let props = props
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (k.to_string(), unescape_prop(v))
        })
        .collect();
    let data = data
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%");
    (name.to_string(), props, data)
}

#[test]
fn github_commands_match_the_findings() {
    let dir = fixture("broken");
    let out = check(&dir, "github");
    let report = json(&dir);
    let findings = report["findings"].as_array().unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, f) in lines.iter().zip(findings) {
        let (name, props, data) = parse_command(line);
        let expected = match f["severity"].as_str().unwrap() {
            "note" => "notice",
            s => s,
        };
        assert_eq!(name, expected);
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("file").as_deref(), f["file"].as_str());
        assert_eq!(get("line"), Some(f["line"].to_string()));
        assert_eq!(get("endLine"), Some(f["end_line"].to_string()));
        assert_eq!(get("col"), Some(f["column"].to_string()));
        assert_eq!(get("endColumn"), Some(f["end_column"].to_string()));
        assert_eq!(get("title").as_deref(), f["rule"].as_str());
        assert_eq!(
            data,
            format!(
                "{}\nhelp: {}",
                f["message"].as_str().unwrap(),
                f["help"].as_str().unwrap()
            )
        );
    }
}

#[test]
fn hostile_names_and_messages_cannot_inject_workflow_commands() {
    let d = hostile_tree();
    let out = check(d.path(), "github");
    let report = json(d.path());
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.len() >= if cfg!(unix) { 2 } else { 1 });
    // The inputs really are hostile: line breaks (which reach the formats
    // escaped as `\n`), workflow commands and percent signs.
    assert!(findings.iter().any(|f| {
        let m = f["message"].as_str().unwrap();
        m.contains("\\n") && m.contains("::warning") && m.contains('%')
    }));
    assert!(out.ends_with('\n') && !out.contains('\r'));
    let lines: Vec<&str> = out.lines().collect();
    // One line per finding, every one a single known command ...
    assert_eq!(lines.len(), findings.len(), "{out}");
    for (line, f) in lines.iter().zip(findings) {
        let (name, props, data) = parse_command(line);
        assert!(COMMANDS.contains(&name.as_str()), "{line}");
        // ... whose properties are exactly the ones written, in order ...
        let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
        // ... and which carry the finding's own text back unchanged.
        assert_eq!(props[0].1, f["file"].as_str().unwrap());
        assert!(data.starts_with(f["message"].as_str().unwrap()), "{line}");
    }
}

// ---------------------------------------------------------------------- XML

#[test]
fn junit_is_well_formed_with_a_case_per_module_and_rule() {
    let dir = fixture("broken");
    let xml = check(&dir, "junit");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let report = json(&dir);
    let findings = report["findings"].as_array().unwrap();
    let modules = report["summary"]["modules"].as_u64().unwrap() as usize;
    let rules = tfpin_rule_count(&dir);

    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), modules);
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), modules * rules);
    assert_eq!(
        root.attribute("tests"),
        Some((modules * rules).to_string().as_str())
    );
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), findings.len());
    let failing = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")));
    assert_eq!(
        root.attribute("failures"),
        Some(failing.count().to_string().as_str())
    );
    for s in &suites {
        let n = s.children().filter(|n| n.has_tag_name("testcase")).count();
        assert_eq!(s.attribute("tests"), Some(n.to_string().as_str()));
    }
    // Each finding is a failure of its (module, rule) case.
    for f in findings {
        let case = cases
            .iter()
            .find(|c| {
                c.attribute("classname") == f["module"].as_str()
                    && c.attribute("name") == f["rule"].as_str()
            })
            .expect("a test case for the finding's module and rule");
        let failure = case
            .children()
            .find(|n| n.attribute("message") == f["message"].as_str())
            .expect("a failure carrying the message");
        assert_eq!(failure.attribute("type"), f["severity"].as_str());
        let body = failure.text().unwrap();
        assert!(body.starts_with(&format!(
            "{}:{}:{}: ",
            f["file"].as_str().unwrap(),
            f["line"],
            f["column"]
        )));
    }
}

fn tfpin_rule_count(dir: &Path) -> usize {
    let out = Command::cargo_bin("tfpin")
        .unwrap()
        .current_dir(dir)
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["default_enabled"] == true)
        .count()
}

#[test]
fn checkstyle_is_well_formed_and_lists_every_finding() {
    let dir = fixture("broken");
    let xml = check(&dir, "checkstyle");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let report = json(&dir);
    let findings = report["findings"].as_array().unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    assert_eq!(root.attribute("version"), Some("4.3"));
    let errors: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), findings.len());
    for (e, f) in errors.iter().zip(findings) {
        let file = e.parent_element().unwrap();
        assert_eq!(file.attribute("name"), f["file"].as_str());
        assert_eq!(e.attribute("line"), Some(f["line"].to_string().as_str()));
        assert_eq!(
            e.attribute("column"),
            Some(f["column"].to_string().as_str())
        );
        assert_eq!(
            e.attribute("source"),
            Some(format!("tfpin.{}", f["rule"].as_str().unwrap()).as_str())
        );
        assert!(e
            .attribute("message")
            .unwrap()
            .starts_with(f["message"].as_str().unwrap()));
    }
    // One <file> per file, none repeated.
    let names: Vec<_> = root
        .children()
        .filter_map(|n| n.attribute("name"))
        .collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique);
}

#[test]
fn xml_formats_survive_hostile_text() {
    let d = hostile_tree();
    let report = json(d.path());
    let findings = report["findings"].as_array().unwrap();
    // What XML 1.0 can carry of a message: all but control characters (the
    // engine already writes the tree's control characters as escapes).
    let keep = |s: &str| -> String { s.chars().filter(|c| *c != '\u{1}').collect() };
    let raw = findings
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("\\u{1}"))
        .expect("a message with an escaped control character");

    let junit = check(d.path(), "junit");
    let doc = roxmltree::Document::parse(&junit).expect("well-formed JUnit");
    assert!(doc
        .descendants()
        .any(|n| n.attribute("message") == Some(keep(raw["message"].as_str().unwrap()).as_str())));

    let cs = check(d.path(), "checkstyle");
    let doc = roxmltree::Document::parse(&cs).expect("well-formed checkstyle");
    let names: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("name"))
        .collect();
    for f in findings {
        assert!(
            names.contains(&keep(f["file"].as_str().unwrap()).as_str()),
            "{names:?}"
        );
    }
    let expected = keep(&format!(
        "{}\nhelp: {}",
        raw["message"].as_str().unwrap(),
        raw["help"].as_str().unwrap()
    ));
    assert!(doc
        .descendants()
        .any(|n| n.attribute("message") == Some(expected.as_str())));
}

#[test]
fn compact_keeps_one_finding_per_line() {
    let d = hostile_tree();
    let out = check(d.path(), "compact");
    let findings = json(d.path())["findings"].as_array().unwrap().len();
    assert_eq!(out.lines().count(), findings, "{out}");
    for line in out.lines() {
        assert!(
            line.ends_with(']')
                && [": error: ", ": warning: ", ": note: "]
                    .iter()
                    .any(|sev| line.contains(sev)),
            "{line}"
        );
    }
}

#[test]
fn other_commands_keep_text_and_json_only() {
    let out = Command::cargo_bin("tfpin")
        .unwrap()
        .args(["rules", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
