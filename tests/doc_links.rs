//! Every relative link in the README and in `docs/` leads somewhere: the
//! file (or directory) it names exists, and a `#anchor` names a heading of
//! the Markdown file it points into, by GitHub's slug of the heading.
//! Links to web pages (`http:`, `https:`) and `mailto:` are not followed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The README and every Markdown file under `docs/`, relative to the
/// repository.
fn documents() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    let mut out = vec![repo().join("README.md")];
    walk(&repo().join("docs"), &mut out);
    out.iter()
        .map(|p| p.strip_prefix(repo()).unwrap().to_path_buf())
        .collect()
}

/// The lines of a Markdown text outside fenced code blocks, with their
/// numbers (1-based).
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        match fence {
            Some(f) => {
                if t.starts_with(f) {
                    fence = None;
                }
            }
            None if t.starts_with("```") => fence = Some("```"),
            None if t.starts_with("~~~") => fence = Some("~~~"),
            None => out.push((i + 1, line)),
        }
    }
    out
}

/// A line without its code spans (`` `...` ``), whose text is no link.
fn without_code(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].len() - rest[start..].trim_start_matches('`').len();
        let after = &rest[start + ticks..];
        let fence = &rest[start..start + ticks];
        match after.find(fence) {
            Some(end) => {
                out.push_str("CODE");
                rest = &after[end + ticks..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The targets of the inline links and images of a line (`[text](target)`,
/// `![alt](target "title")`) and of a reference definition
/// (`[name]: target`).
fn link_targets(line: &str) -> Vec<String> {
    let line = without_code(line);
    let mut out = Vec::new();
    let trimmed = line.trim_start();
    if trimmed.starts_with('[') {
        if let Some(i) = trimmed.find("]:") {
            if let Some(t) = trimmed[i + 2..].split_whitespace().next() {
                out.push(t.trim_matches(|c| c == '<' || c == '>').to_string());
            }
        }
    }
    let mut rest = line.as_str();
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        // The target ends at the parenthesis that closes it, allowing
        // balanced parentheses inside.
        let mut depth = 0usize;
        let mut end = after.len();
        for (j, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = j;
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        let inside = after[..end].trim();
        let target = if let Some(stripped) = inside.strip_prefix('<') {
            stripped.split('>').next().unwrap_or("")
        } else {
            inside.split_whitespace().next().unwrap_or("")
        };
        out.push(target.to_string());
        rest = &after[end.min(after.len())..];
    }
    out
}

/// GitHub's anchor for a heading: the text as it reads (link targets and
/// formatting marks left out), lowercased, every character that is not a
/// letter, digit, space, `-` or `_` removed, and spaces made `-`.
fn slug(heading: &str) -> String {
    // `[text](target)` reads as `text`.
    let mut text = String::new();
    let mut rest = heading;
    while let Some(i) = rest.find("](") {
        text.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        rest = after.find(')').map_or("", |j| &after[j + 1..]);
    }
    text.push_str(rest);
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown text's headings; a repeated slug gets `-1`,
/// `-2`... as on GitHub.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, line) in prose_lines(text) {
        let t = line.trim_start();
        let level = t.len() - t.trim_start_matches('#').len();
        if !(1..=6).contains(&level) || !(t[level..].starts_with(' ') || t.len() == level) {
            continue;
        }
        let heading = t[level..].trim().trim_end_matches('#').trim();
        let base = slug(heading);
        let n = seen.entry(base.clone()).or_insert(0);
        out.insert(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        *n += 1;
    }
    out
}

/// `a/b/../c` as `a/c`, without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

fn is_external(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// Why a link is broken, or `None`.
fn check(doc: &Path, target: &str) -> Option<String> {
    if target.is_empty() {
        return Some("empty target".to_string());
    }
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let file = if path.is_empty() {
        doc.to_path_buf()
    } else {
        normalize(&doc.parent().unwrap_or(Path::new("")).join(path))
    };
    if file.starts_with("..") {
        return Some(format!("`{}` is outside the repository", file.display()));
    }
    let on_disk = repo().join(&file);
    if !on_disk.exists() {
        return Some(format!("`{}` does not exist", file.display()));
    }
    let anchor = anchor?;
    if file.extension().is_none_or(|x| x != "md") {
        // An anchor into another kind of file (a line of source) is the
        // viewer's business.
        return None;
    }
    if on_disk.is_dir() {
        return Some(format!(
            "`{}` is a directory, with no headings",
            file.display()
        ));
    }
    let text = std::fs::read_to_string(&on_disk).unwrap();
    if anchors(&text).contains(anchor) {
        None
    } else {
        Some(format!(
            "`{}` has no heading whose anchor is `#{anchor}`",
            file.display()
        ))
    }
}

#[test]
fn every_relative_link_resolves() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in documents() {
        let text = std::fs::read_to_string(repo().join(&doc)).unwrap();
        for (n, line) in prose_lines(&text) {
            for target in link_targets(line) {
                if is_external(&target) {
                    continue;
                }
                checked += 1;
                if let Some(why) = check(&doc, &target) {
                    broken.push(format!("{}:{n}: ({target}): {why}", doc.display()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken link(s) in the README and docs/:\n  {}",
        broken.len(),
        broken.join("\n  ")
    );
    // The README alone links every rule's page.
    assert!(checked > 50, "only {checked} relative links found");
}

#[test]
fn slugs_follow_github() {
    assert_eq!(
        slug("Projects and partial runs"),
        "projects-and-partial-runs"
    );
    assert_eq!(slug("`tfpin check`"), "tfpin-check");
    assert_eq!(
        slug("Known differences from Terraform's parser"),
        "known-differences-from-terraforms-parser"
    );
    assert_eq!(slug("Terraform and OpenTofu"), "terraform-and-opentofu");
    assert_eq!(slug("A [link](x.md) in it"), "a-link-in-it");
    assert_eq!(
        slug("snake_case and kebab-case"),
        "snake_case-and-kebab-case"
    );
    let a = anchors("# A\n\n```\n# not a heading\n```\n## A\n#no\n");
    assert_eq!(a, BTreeSet::from(["a".to_string(), "a-1".to_string()]));
}

#[test]
fn links_are_found_outside_code_only() {
    assert_eq!(
        link_targets("see [a](a.md#x), ![b](b.png \"t\") and [`c`](c.md)"),
        ["a.md#x", "b.png", "c.md"]
    );
    assert_eq!(link_targets("`[not](a link)` and [yes](y.md)"), ["y.md"]);
    assert_eq!(link_targets("[ref]: docs/ci.md"), ["docs/ci.md"]);
    assert!(prose_lines("```sh\n[x](y)\n```\n").is_empty());
}

/// The workflow docs/ci.md shows is the example file, after its opening
/// comments, so the file that is checked against GitHub's schema
/// (`scripts/check-action.sh`) is the one readers copy.
#[test]
fn the_ci_page_shows_the_example_workflow() {
    let file = std::fs::read_to_string(repo().join("docs/examples/tfpin-workflow.yml")).unwrap();
    let body: String = file
        .lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let page = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let shown = page
        .split("```yaml\n")
        .skip(1)
        .map(|b| &b[..b.find("```").unwrap()])
        .find(|b| b.starts_with("name: tfpin\n"))
        .expect("docs/ci.md shows the workflow");
    assert_eq!(shown, body);
}

/// The rule pages, which `tfpin explain` prints in a terminal, name the
/// reference as `"Heading" in docs/page.md`: each page they name exists,
/// each heading they quote is one of its headings, and none sends the
/// reader to the README for what moved to `docs/`.
#[test]
fn rule_pages_name_sections_that_exist() {
    let mut bad = Vec::new();
    for entry in std::fs::read_dir(repo().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        // Lines joined, so a reference broken over two lines is one.
        let text = std::fs::read_to_string(&path).unwrap().replace('\n', " ");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if text.contains("README") {
            bad.push(format!("{name}: names the README"));
        }
        for (at, _) in text.match_indices(" in docs/") {
            let page: String = text[at + 4..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ')' && *c != ',')
                .collect();
            let page = page.trim_end_matches('.');
            let Ok(doc) = std::fs::read_to_string(repo().join(page)) else {
                bad.push(format!("{name}: no {page}"));
                continue;
            };
            let before = &text[..at];
            let Some(heading) = before
                .strip_suffix('"')
                .and_then(|b| b.rfind('"').map(|i| &b[i + 1..]))
            else {
                continue;
            };
            let headings: Vec<&str> = doc
                .lines()
                .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
                .collect();
            if !headings.iter().any(|h| h.replace('`', "") == heading) {
                bad.push(format!("{name}: {page} has no heading {heading:?}"));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}
