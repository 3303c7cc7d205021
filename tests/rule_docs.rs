//! Every rule's documentation is a test.
//!
//! `rules/<id>.md` has the sections Why, Bad, Good, Configuration and How to
//! fix. Each fenced block under Bad and Good is an example tree:
//!
//! - a block tagged just `hcl` is a `main.tf` of its own;
//! - blocks tagged `file=PATH` build one tree together, until a block repeats
//!   a path, a block without `file=` follows, or prose comes between them;
//! - `# expect: rule-id` (or `// expect:`) on a line, or `expect=rule-id@LINE`
//!   in the block's tag, says that a finding of that rule starts there;
//! - `roles` in a Good block's tag says the example is good because of the
//!   role of its modules (an example root, say), not because its code is.
//!
//! A Bad example must produce exactly its expected findings (for the rules it
//! names); a Good example must produce no finding of the documented rule.
//! A Good example must also produce none when the rule judges every role,
//! unless it is marked `roles`: then it must produce one, so that no example
//! passes by the role of its modules without saying so.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tfpin::config::Settings;
use tfpin::model::RoleSet;
use tfpin::rules;

mod common;

#[derive(Debug, Default)]
struct Example {
    files: Vec<(String, String)>,
    /// (file, line, rule) from the tag's expect= entries.
    tag_expects: Vec<(String, usize, String)>,
    /// Good because of its modules' roles (`roles` in a tag).
    by_role: bool,
}

#[derive(Debug, Default)]
struct Doc {
    sections: Vec<String>,
    bad: Vec<Example>,
    good: Vec<Example>,
}

fn parse_doc(text: &str) -> Doc {
    let mut doc = Doc::default();
    let mut section = String::new();
    let mut group_open = false;
    for piece in common::markdown(text) {
        let (tag, body) = match piece {
            common::Md::Heading(h) => {
                section = h.to_string();
                doc.sections.push(section.clone());
                group_open = false;
                continue;
            }
            // Prose between blocks separates examples.
            common::Md::Prose(line) => {
                if !line.trim().is_empty() {
                    group_open = false;
                }
                continue;
            }
            common::Md::Block { tag, body } => (tag, body),
        };
        let target = match section.as_str() {
            "Bad" => &mut doc.bad,
            "Good" => &mut doc.good,
            _ => continue,
        };
        let words: Vec<&str> = tag.split_whitespace().collect();
        let file = words.iter().find_map(|w| w.strip_prefix("file="));
        let expects: Vec<(usize, String)> = words
            .iter()
            .filter_map(|w| w.strip_prefix("expect="))
            .map(|e| {
                let (rule, line) = e.split_once('@').expect("expect=RULE@LINE");
                (line.parse().expect("line number"), rule.to_string())
            })
            .collect();
        let name = file.unwrap_or("main.tf").to_string();
        let start_new = match (file, target.last()) {
            (None, _) | (_, None) => true,
            (Some(f), Some(ex)) => !group_open || ex.files.iter().any(|(n, _)| n == f),
        };
        if start_new {
            target.push(Example::default());
        }
        let ex = target.last_mut().unwrap();
        ex.by_role |= words.contains(&"roles");
        for (line, rule) in expects {
            ex.tag_expects.push((name.clone(), line, rule));
        }
        ex.files.push((name, body));
        group_open = file.is_some();
    }
    doc
}

fn markers(ex: &Example) -> BTreeSet<(String, usize, String)> {
    let mut out: BTreeSet<_> = ex.tag_expects.iter().cloned().collect();
    for (name, body) in &ex.files {
        for (i, line) in body.lines().enumerate() {
            for marker in ["# expect:", "// expect:"] {
                if let Some(pos) = line.find(marker) {
                    for rule in line[pos + marker.len()..].split(',') {
                        out.insert((name.clone(), i + 1, rule.trim().to_string()));
                    }
                }
            }
        }
    }
    out
}

/// Writes an example tree and checks it. The tree is nested one level down
/// so that `../x` sources stay inside the temp dir but outside the scanned
/// tree.
fn check_example(ex: &Example) -> tfpin::Report {
    check_example_judging(ex, None)
}

/// [`check_example`], with `rule` judging every role when one is given.
fn check_example_judging(ex: &Example, rule: Option<&str>) -> tfpin::Report {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    for (name, body) in &ex.files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, body).unwrap();
    }
    let mut settings = settings_for(&root);
    if let Some(id) = rule {
        settings.rules.entry(id.to_string()).or_default().roles = Some(RoleSet::ALL);
    }
    tfpin::check(&root, std::slice::from_ref(&root), &settings).unwrap()
}

fn run(ex: &Example) -> Vec<(String, usize, String, String)> {
    run_judging(ex, None)
}

fn run_judging(ex: &Example, rule: Option<&str>) -> Vec<(String, usize, String, String)> {
    let report = check_example_judging(ex, rule);
    report
        .findings
        .iter()
        .map(|f| {
            let file = report.workspace.sources.get(f.span.file);
            let lc = file.line_col(f.span.range.start);
            (
                file.display.clone(),
                lc.line,
                f.rule.to_string(),
                f.message.clone(),
            )
        })
        .collect()
}

fn settings_for(root: &Path) -> Settings {
    let cfg = root.join(".tfpin.hcl");
    if cfg.is_file() {
        tfpin::config::load(&cfg, ".tfpin.hcl").expect("example config is valid")
    } else {
        Settings::default()
    }
}

fn describe(ex: &Example) -> String {
    ex.files
        .iter()
        .map(|(n, b)| format!("--- {n}\n{b}"))
        .collect::<String>()
}

#[test]
fn every_rule_doc_example_behaves_as_documented() {
    let mut failures = Vec::new();
    for meta in rules::all() {
        let doc = parse_doc(meta.doc);
        for (i, ex) in doc.bad.iter().enumerate() {
            let expected = markers(ex);
            let mut rules_named: BTreeSet<String> =
                expected.iter().map(|(_, _, r)| r.clone()).collect();
            rules_named.insert(meta.id.to_string());
            let found = run(ex);
            let got: BTreeSet<(String, usize, String)> = found
                .iter()
                .filter(|(_, _, r, _)| rules_named.contains(r))
                .map(|(f, l, r, _)| (f.clone(), *l, r.clone()))
                .collect();
            if expected.is_empty() {
                failures.push(format!(
                    "{}: Bad example {} has no `expect` marker",
                    meta.id,
                    i + 1
                ));
            }
            if got != expected {
                failures.push(format!(
                    "{}: Bad example {}\n{}expected {:?}\n     got {:?}\n(all findings: {:?})",
                    meta.id,
                    i + 1,
                    describe(ex),
                    expected,
                    got,
                    found
                ));
            }
        }
        for (i, ex) in doc.good.iter().enumerate() {
            let found = run(ex);
            let own: Vec<_> = found.iter().filter(|(_, _, r, _)| r == meta.id).collect();
            if !own.is_empty() || !markers(ex).is_empty() {
                failures.push(format!(
                    "{}: Good example {} produced {:?}\n{}",
                    meta.id,
                    i + 1,
                    own,
                    describe(ex)
                ));
            }
            // Judging every role, an example marked `roles` is flagged,
            // and any other still is not.
            if meta.judges == RoleSet::ALL {
                assert!(
                    !ex.by_role,
                    "{}: Good example {} is marked `roles`, but the rule judges every role",
                    meta.id,
                    i + 1
                );
                continue;
            }
            let all = run_judging(ex, Some(meta.id));
            let flagged = all.iter().any(|(_, _, r, _)| r == meta.id);
            if flagged != ex.by_role {
                failures.push(format!(
                    "{}: Good example {} {}\n{}",
                    meta.id,
                    i + 1,
                    if ex.by_role {
                        "is marked `roles`, but judging every role does not flag it either"
                    } else {
                        "is good only because of its modules' roles; mark it `roles` or give it a deployed root"
                    },
                    describe(ex)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn every_doc_has_the_required_sections_and_examples() {
    let required = ["Why", "Bad", "Good", "Configuration", "How to fix", "Fix"];
    for meta in rules::all() {
        let doc = parse_doc(meta.doc);
        assert_eq!(
            doc.sections, required,
            "{}: sections must be exactly {:?} in that order",
            meta.id, required
        );
        assert!(
            meta.doc.starts_with(&format!("# {}\n", meta.id)),
            "{}: doc must start with `# {}`",
            meta.id,
            meta.id
        );
        assert!(!doc.bad.is_empty(), "{}: no Bad example", meta.id);
        assert!(!doc.good.is_empty(), "{}: no Good example", meta.id);
    }
}

/// Each doc's Configuration section opens with the roles its rule judges,
/// in the words of the rule's metadata, so that the two cannot drift.
#[test]
fn every_doc_says_which_roles_its_rule_judges() {
    for meta in rules::all() {
        let want = format!("Judges: {}.", meta.judges.describe());
        let said: Vec<&str> = (meta.doc.lines())
            .filter(|l| l.starts_with("Judges:"))
            .collect();
        assert_eq!(said, [want.as_str()], "{}: the `Judges:` line", meta.id);
        let configuration = meta.doc.split("## Configuration\n\n").nth(1).unwrap_or("");
        assert!(
            configuration.starts_with(&format!("{want}\n")),
            "{}: the `Judges:` line must open the Configuration section",
            meta.id
        );
        let reason = configuration[want.len() + 1..].lines().next().unwrap_or("");
        assert!(
            !reason.trim().is_empty(),
            "{}: the `Judges:` line must be followed by the reason",
            meta.id
        );
    }
}

#[test]
fn registry_and_docs_match_one_to_one() {
    let ids: Vec<&str> = rules::all().map(|m| m.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        ids, sorted,
        "registry must be sorted by id, without duplicates"
    );
    for id in &ids {
        assert!(
            !id.is_empty()
                && id.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "rule id {id} is not kebab-case"
        );
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/rules")
            .join(format!("{}.rs", id.replace('-', "_")));
        assert!(src.is_file(), "rule {id} must live in {}", src.display());
    }
    let docs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(&docs_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            assert!(
                ids.contains(&stem.as_str()),
                "rules/{stem}.md documents no registered rule"
            );
        }
    }
    for meta in rules::all() {
        assert!(
            meta.summary
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase())
                && !meta.summary.ends_with('.'),
            "{}: summary must start lowercase and not end with a period",
            meta.id
        );
    }
}

/// The message convention: lowercase start, no trailing period, a help
/// text. Checked on every finding every doc example produces.
#[test]
fn messages_follow_the_house_style() {
    let mut bad = Vec::new();
    for meta in rules::all() {
        let doc = parse_doc(meta.doc);
        for ex in doc.bad.iter().chain(&doc.good) {
            let report = check_example(ex);
            for f in &report.findings {
                let first = f.message.chars().next();
                if first.is_none_or(|c| c.is_uppercase()) || f.message.ends_with('.') {
                    bad.push(format!("{}: {:?}", f.rule, f.message));
                }
                match &f.help {
                    Some(h) if !h.is_empty() => {}
                    _ => bad.push(format!("{}: no help for {:?}", f.rule, f.message)),
                }
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The rules whose findings are all made judging a root's tree, and those
/// whose findings are all made for a module instance; the others' are all
/// about a module alone, but for the two that make some of each.
const TREE_RULES: &[&str] = &[
    "lock-constraints-drift",
    "lock-hashes-incomplete",
    "lock-missing",
    "lock-provider-missing",
    "lock-provider-stale",
    "lock-version-mismatch",
    "provider-source-conflict",
    "provider-version-unbounded",
    "provider-version-unsatisfiable",
    "terraform-version-unbounded",
];
const INSTANCE_RULES: &[&str] = &[
    "provider-alias-redundant",
    "provider-alias-region-mismatch",
    "region-bound-resource",
    "region-drift",
    "region-not-allowed",
    "region-unknown",
    "replica-same-region",
    "replication-not-allowed",
    "resource-region-conflict",
];
const MIXED_RULES: &[&str] = &["provider-default-missing", "provider-region-missing"];

/// Rules that judge root trees, but also make one finding about many
/// roots at once (lock-missing's `.gitignore` policy), made in no tree.
const TREE_OR_NONE_RULES: &[&str] = &["lock-missing"];

/// Every finding of every doc example says what it is about, and where it
/// was made as its rule's kind says (see `Finding::subject` and
/// `Finding::scope`). Every rule has a Bad example, so every rule is seen.
#[test]
fn findings_say_what_they_are_about_and_where_they_were_made() {
    use tfpin::finding::Scope;
    let mut bad = Vec::new();
    let mut seen = BTreeSet::new();
    for meta in rules::all() {
        let doc = parse_doc(meta.doc);
        for ex in doc.bad.iter().chain(&doc.good) {
            let report = check_example(ex);
            for f in &report.findings {
                seen.insert(f.rule);
                if f.subject.trim().is_empty() {
                    bad.push(format!("{}: no subject for {:?}", f.rule, f.message));
                }
                let scope_ok = match f.scope {
                    Some(Scope::Tree(_)) => TREE_RULES.contains(&f.rule),
                    Some(Scope::Instance(_)) => {
                        INSTANCE_RULES.contains(&f.rule) || MIXED_RULES.contains(&f.rule)
                    }
                    None => {
                        TREE_OR_NONE_RULES.contains(&f.rule)
                            || (!TREE_RULES.contains(&f.rule) && !INSTANCE_RULES.contains(&f.rule))
                    }
                };
                if !scope_ok {
                    bad.push(format!(
                        "{}: scope {:?} for {:?}",
                        f.rule, f.scope, f.message
                    ));
                }
            }
        }
    }
    let all: BTreeSet<&str> = rules::all().map(|m| m.id).collect();
    assert_eq!(seen, all, "every rule's examples make findings");
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The words of the README's `fix` column for a rule's fixes.
fn fix_cell(fix: tfpin::fix::Availability) -> &'static str {
    use tfpin::fix::Availability;
    match fix {
        Availability::None => "-",
        Availability::Safe => "safe",
        Availability::Unsafe => "unsafe",
        Availability::SafeOrUnsafe => "safe or unsafe",
    }
}

/// The README's rules table is generated from the registry: one row per
/// registered rule, in id order, whose link, category and fix column are
/// the registry's, and whose default severity opens with the registry's
/// (a rule that reports some cases at another severity says so after a
/// `;`). The last column, what the rule finds, is written by hand; a new
/// rule's row starts from its summary.
///
/// With `TFPIN_BLESS=1` the test writes the table instead of checking it:
/// it adds rows for new rules, drops rows of rules that no longer exist,
/// and refreshes the generated columns, keeping the hand-written ones.
#[test]
fn readme_rules_table_is_generated() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let header = "| id | category | default | fix | what it finds |\n|---|---|---|---|---|\n";
    let start = readme
        .find(header)
        .expect("the README has a rules table with its header")
        + header.len();
    let end = start
        + readme[start..]
            .find("\n\n")
            .expect("the table ends with a blank line")
        + 1;
    let mut written: BTreeMap<String, (String, String)> = BTreeMap::new();
    for row in readme[start..end].lines() {
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(cells.len(), 5, "a rules table row with five cells: {row:?}");
        let id = cells[0]
            .strip_prefix("| [`")
            .and_then(|c| c.split('`').next())
            .unwrap_or_else(|| panic!("a row that opens with a linked rule id: {row:?}"));
        let last = cells[4].strip_suffix(" |").unwrap_or(cells[4]);
        written.insert(id.to_string(), (cells[2].to_string(), last.to_string()));
    }
    let mut rows = String::new();
    let mut metas: Vec<_> = rules::all().collect();
    metas.sort_by_key(|m| m.id);
    for meta in metas {
        let default = meta.default_severity().as_str();
        let (severity, finds) = match written.get(meta.id) {
            Some((sev, finds)) if sev == default || sev.starts_with(&format!("{default}; ")) => {
                (sev.clone(), finds.clone())
            }
            Some((_, finds)) => (default.to_string(), finds.clone()),
            None => (default.to_string(), meta.summary.to_string()),
        };
        rows.push_str(&format!(
            "| [`{id}`](rules/{id}.md) | {} | {severity} | {} | {finds} |\n",
            meta.category.as_str(),
            fix_cell(meta.fix),
            id = meta.id,
        ));
    }
    if std::env::var_os("TFPIN_BLESS").is_some() {
        let mut out = readme.clone();
        out.replace_range(start..end, &rows);
        std::fs::write(&path, out).unwrap();
        return;
    }
    assert!(
        readme[start..end] == rows,
        "the README's rules table is not the registry's; run `TFPIN_BLESS=1 cargo test --test \
         rule_docs readme_rules_table` and review the diff.\nwant:\n{rows}"
    );
}

/// Each doc's Fix section opens with the safety of its rule's fixes, in
/// the words of the rule's metadata, and a sentence on what the fix does
/// or why there is none.
#[test]
fn every_doc_says_how_its_rule_fixes() {
    use tfpin::fix::Availability;
    for meta in rules::all() {
        let want = match meta.fix {
            Availability::None => "Fix: none.",
            Availability::Safe => "Fix: safe.",
            Availability::Unsafe => "Fix: unsafe.",
            Availability::SafeOrUnsafe => "Fix: safe or unsafe.",
        };
        let section = meta.doc.split("\n## Fix\n\n").nth(1).unwrap_or("");
        let mut lines = section.lines();
        assert_eq!(
            lines.next(),
            Some(want),
            "{}: the Fix section's first line",
            meta.id
        );
        assert!(
            lines.next().is_some_and(|l| !l.trim().is_empty()),
            "{}: the `Fix:` line must be followed by what the fix does, or why there is none",
            meta.id
        );
        let examples = fix_examples(meta.doc);
        assert_eq!(
            meta.fix != Availability::None,
            !examples.is_empty(),
            "{}: a rule that fixes shows a before and after example in its Fix section, \
             and only such a rule",
            meta.id
        );
    }
}

/// A before and after pair from a Fix section: the tree as written, the
/// files as `--fix` leaves them, and whether unsafe fixes are applied.
#[derive(Debug, Default)]
struct FixExample {
    before: Vec<(String, String)>,
    after: Vec<(String, String)>,
    unsafe_fixes: bool,
}

/// The examples of a doc's Fix section: blocks tagged `before` (a tree,
/// `file=` naming each file as in Bad and Good) followed by blocks tagged
/// `after` (the files the fix changes, as it leaves them). `unsafe` in a
/// `before` tag applies unsafe fixes too.
fn fix_examples(doc: &str) -> Vec<FixExample> {
    let Some(section) = doc.split("\n## Fix\n").nth(1) else {
        return Vec::new();
    };
    let mut out: Vec<FixExample> = Vec::new();
    let mut last_after = true;
    for piece in common::markdown(section) {
        let common::Md::Block { tag, body } = piece else {
            continue;
        };
        let words: Vec<&str> = tag.split_whitespace().collect();
        let file = words
            .iter()
            .find_map(|w| w.strip_prefix("file="))
            .unwrap_or("main.tf")
            .to_string();
        if words.contains(&"before") {
            if last_after {
                out.push(FixExample::default());
            }
            let ex = out.last_mut().unwrap();
            ex.unsafe_fixes |= words.contains(&"unsafe");
            ex.before.push((file, body));
            last_after = false;
        } else if words.contains(&"after") {
            let ex = out
                .last_mut()
                .expect("an `after` block follows `before` blocks");
            ex.after.push((file, body));
            last_after = true;
        }
    }
    out
}

#[test]
fn every_fix_example_fixes_as_documented() {
    use tfpin::fix::Applicability;
    let mut failures = Vec::new();
    for meta in rules::all() {
        for (i, ex) in fix_examples(meta.doc).iter().enumerate() {
            assert!(
                !ex.after.is_empty(),
                "{}: Fix example {} has no `after`",
                meta.id,
                i + 1
            );
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("tree");
            for (name, body) in &ex.before {
                let p = root.join(name);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, body).unwrap();
            }
            let settings = settings_for(&root);
            let which = if ex.unsafe_fixes {
                Applicability::All
            } else {
                Applicability::Safe
            };
            let outcome = tfpin::fix::run::run(
                &root,
                std::slice::from_ref(&root),
                &settings,
                which,
                &|_| {},
            )
            .unwrap();
            if !outcome.fixed.contains_key(meta.id) {
                failures.push(format!(
                    "{}: Fix example {}: the rule fixed nothing (fixed: {:?})",
                    meta.id,
                    i + 1,
                    outcome.fixed
                ));
            }
            for (name, want) in &ex.after {
                let got = outcome
                    .changed
                    .iter()
                    .find(|c| &c.display == name)
                    .map(|c| c.after.as_str())
                    .or_else(|| {
                        ex.before
                            .iter()
                            .find(|(n, _)| n == name)
                            .map(|(_, b)| b.as_str())
                    })
                    .unwrap_or("");
                if got != want {
                    failures.push(format!(
                        "{}: Fix example {}: {name} after the fix\n--- want\n{want}--- got\n{got}",
                        meta.id,
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
