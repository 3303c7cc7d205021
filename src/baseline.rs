//! Baselines: record today's findings by fingerprint, so that a gate fails
//! only on what a change introduces.
//!
//! Version 2 records each finding's fingerprint (see
//! [`crate::finding::assign_fingerprints`]) and its file relative to the
//! project root. Version 1 recorded fingerprints of an older recipe, which
//! hashed the message, and files relative to the working directory it was
//! written in: its entries are matched by rule, message and file instead,
//! until it is rewritten.

use crate::finding::Finding;
use crate::model::Workspace;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The version of the file format written.
pub const FORMAT_VERSION: u32 = 2;

/// The first format, still read (see the module docs).
pub const OLD_FORMAT_VERSION: u32 = 1;

/// One recorded finding. In the current format only the fingerprint
/// matters for matching; the rest makes the file reviewable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Relative to the project root (in the old format, to the working
    /// directory the file was written in).
    pub file: String,
    pub rule: String,
    pub fingerprint: String,
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub tool: String,
    pub version: u32,
    pub findings: Vec<Entry>,
}

impl Baseline {
    pub fn from_findings(findings: &[Finding], ws: &Workspace) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|f| Entry {
                file: ws.project_path(f.span.file),
                rule: f.rule.to_string(),
                fingerprint: f.fingerprint.clone(),
                message: f.message.clone(),
            })
            .collect();
        entries.sort();
        entries.dedup();
        Baseline {
            tool: "tfpin".to_string(),
            version: FORMAT_VERSION,
            findings: entries,
        }
    }

    /// Whether this is the old format, matched by message until rewritten.
    pub fn is_old_format(&self) -> bool {
        self.version == OLD_FORMAT_VERSION
    }

    pub fn fingerprints(&self) -> BTreeSet<&str> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect()
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads the baseline at `path`; errors name it as `shown`.
    pub fn read(path: &Path, shown: &Path) -> Result<Baseline, String> {
        let shown = shown.display();
        let text = std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!("baseline `{shown}` does not exist; create it with --write-baseline")
            } else {
                format!(
                    "cannot read baseline `{shown}`: {}",
                    crate::discover::io_reason(&e)
                )
            }
        })?;
        Baseline::parse(&text).map_err(|why| format!("baseline `{shown}` {why}"))
    }

    /// Reads a baseline of either format. The error completes a sentence
    /// that begins with the file's name.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        use serde_json::Value;
        let v: Value = serde_json::from_str(text)
            .map_err(|e| format!("is not a tfpin baseline: it is not JSON ({e})"))?;
        match v.get("tool") {
            Some(Value::String(t)) if t == "tfpin" => {}
            Some(Value::String(t)) => {
                return Err(format!(
                    "is not a tfpin baseline: it was written by \"{t}\""
                ))
            }
            _ => return Err("is not a tfpin baseline: it has no \"tool\": \"tfpin\"".to_string()),
        }
        let version = match v.get("version").and_then(Value::as_u64) {
            Some(n) if n == u64::from(FORMAT_VERSION) || n == u64::from(OLD_FORMAT_VERSION) => n,
            Some(n) => {
                return Err(format!(
                    "has format version {n}, which this tfpin cannot read (it reads versions \
                     {OLD_FORMAT_VERSION} and {FORMAT_VERSION}); write it again with --write-baseline"
                ))
            }
            None => return Err("is not a tfpin baseline: it has no format version".to_string()),
        };
        serde_json::from_value(v)
            .map_err(|e| format!("is not a valid tfpin baseline of version {version}: {e}"))
    }
}

/// Which of `findings` the baseline records, one flag for each.
pub fn recorded(baseline: &Baseline, findings: &[Finding], ws: &Workspace) -> Vec<bool> {
    if baseline.is_old_format() {
        let seen: Vec<Seen<'_>> = findings
            .iter()
            .map(|f| Seen {
                rule: f.rule,
                message: &f.message,
                path: ws.path_of(f.span.file),
                project_path: ws.project_path(f.span.file),
            })
            .collect();
        return match_old(&baseline.findings, &seen, &ws.cwd);
    }
    let known = baseline.fingerprints();
    findings
        .iter()
        .map(|f| known.contains(f.fingerprint.as_str()))
        .collect()
}

/// A finding as an old-format entry is matched against it.
struct Seen<'a> {
    rule: &'a str,
    message: &'a str,
    /// Where its file is.
    path: PathBuf,
    /// Its file relative to the project root.
    project_path: String,
}

/// Matches old-format entries to findings by rule and message, each entry
/// to one finding at most. An entry's file was relative to the working
/// directory it was written in: first it is read against this one; the
/// entries left then match a finding whose file ends with the entry's path
/// (or the other way round), for a baseline written in another directory.
fn match_old(entries: &[Entry], seen: &[Seen<'_>], cwd: &Path) -> Vec<bool> {
    let mut open: crate::HashMap<(&str, &str), Vec<&Entry>> = crate::HashMap::default();
    for e in entries {
        (open.entry((e.rule.as_str(), e.message.as_str())))
            .or_default()
            .push(e);
    }
    let mut matched = vec![false; seen.len()];
    for exact in [true, false] {
        for (s, m) in seen.iter().zip(&mut matched) {
            if *m {
                continue;
            }
            let Some(list) = open.get_mut(&(s.rule, s.message)) else {
                continue;
            };
            let fits = |e: &&Entry| {
                if exact {
                    cwd.join(&e.file) == s.path
                } else {
                    same_tail(&e.file, &s.project_path)
                }
            };
            if let Some(i) = list.iter().position(fits) {
                list.swap_remove(i);
                *m = true;
            }
        }
    }
    matched
}

/// Whether one `/`-separated path ends with the other, at a component.
fn same_tail(a: &str, b: &str) -> bool {
    let ends = |long: &str, short: &str| {
        long.strip_suffix(short)
            .is_some_and(|head| head.is_empty() || head.ends_with('/'))
    };
    !a.is_empty() && !b.is_empty() && (ends(a, b) || ends(b, a))
}

/// Drops the findings the baseline records, returning how many it dropped.
pub fn filter(findings: &mut Vec<Finding>, baseline: &Baseline, ws: &Workspace) -> usize {
    let recorded = recorded(baseline, findings, ws);
    let before = findings.len();
    let mut keep = recorded.into_iter().map(|r| !r);
    findings.retain(|_| keep.next().unwrap_or(true));
    before - findings.len()
}

/// The baseline without the entries that no longer occur, in the current
/// format: an old-format one becomes the entries of the findings it
/// records.
pub fn pruned(baseline: &Baseline, current: &[Finding], ws: &Workspace) -> Baseline {
    if baseline.is_old_format() {
        let recorded = recorded(baseline, current, ws);
        let still: Vec<Finding> = (current.iter().zip(recorded))
            .filter(|(_, r)| *r)
            .map(|(f, _)| f.clone())
            .collect();
        return Baseline::from_findings(&still, ws);
    }
    let now: BTreeSet<&str> = current.iter().map(|f| f.fingerprint.as_str()).collect();
    Baseline {
        tool: baseline.tool.clone(),
        version: FORMAT_VERSION,
        findings: baseline
            .findings
            .iter()
            .filter(|e| now.contains(e.fingerprint.as_str()))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(file: &str, rule: &str, message: &str) -> Entry {
        Entry {
            file: file.to_string(),
            rule: rule.to_string(),
            fingerprint: "0123456789abcdef".to_string(),
            message: message.to_string(),
        }
    }

    fn finding_at<'a>(cwd: &Path, project_path: &str, rule: &'a str, message: &'a str) -> Seen<'a> {
        Seen {
            rule,
            message,
            path: cwd.join(project_path),
            project_path: project_path.to_string(),
        }
    }

    #[test]
    fn both_formats_are_read_and_anything_else_is_refused() {
        let v1 = r#"{"tool":"tfpin","version":1,"findings":[
            {"file":"main.tf","rule":"r","fingerprint":"0123456789abcdef","message":"m"}
        ]}"#;
        let b = Baseline::parse(v1).unwrap();
        assert!(b.is_old_format());
        assert_eq!(b.findings, vec![entry("main.tf", "r", "m")]);
        let v2 = r#"{"tool":"tfpin","version":2,"findings":[]}"#;
        assert!(!Baseline::parse(v2).unwrap().is_old_format());

        let refused = |text: &str| Baseline::parse(text).unwrap_err();
        assert!(refused("not json").contains("is not JSON"));
        assert!(refused(r#"{"x":1}"#).contains("no \"tool\": \"tfpin\""));
        assert!(refused(r#"{"tool":"tflint","version":2,"findings":[]}"#)
            .contains("written by \"tflint\""));
        let newer = refused(r#"{"tool":"tfpin","version":3,"findings":[]}"#);
        assert!(newer.contains("format version 3"), "{newer}");
        assert!(newer.contains("versions 1 and 2"), "{newer}");
        assert!(refused(r#"{"tool":"tfpin","findings":[]}"#).contains("no format version"));
        let shape = refused(r#"{"tool":"tfpin","version":2,"findings":[{"file":"a"}]}"#);
        assert!(
            shape.contains("not a valid tfpin baseline of version 2"),
            "{shape}"
        );
    }

    #[test]
    fn old_entries_match_by_rule_message_and_file_once_each() {
        let cwd = Path::new("/repo");
        let entries = vec![
            entry("envs/prod/main.tf", "rule-a", "bad thing"),
            entry("envs/prod/main.tf", "rule-a", "bad thing"),
            entry("envs/prod/main.tf", "rule-b", "other thing"),
        ];
        let found = vec![
            finding_at(cwd, "envs/prod/main.tf", "rule-a", "bad thing"),
            finding_at(cwd, "envs/prod/main.tf", "rule-a", "bad thing"),
            // A third identical finding: only two were recorded.
            finding_at(cwd, "envs/prod/main.tf", "rule-a", "bad thing"),
            // Another message, another file: not recorded.
            finding_at(cwd, "envs/prod/main.tf", "rule-b", "changed thing"),
            finding_at(cwd, "envs/stage/main.tf", "rule-b", "other thing"),
        ];
        assert_eq!(
            match_old(&entries, &found, cwd),
            vec![true, true, false, false, false]
        );
    }

    #[test]
    fn old_entries_written_in_another_directory_match_by_path_suffix() {
        // Written from inside envs/prod; now run from the project root.
        let cwd = Path::new("/repo");
        let entries = vec![entry("main.tf", "rule-a", "bad thing")];
        let found = vec![
            finding_at(cwd, "envs/prod/main.tf", "rule-a", "bad thing"),
            finding_at(cwd, "envs/prod/xmain.tf", "rule-a", "bad thing"),
        ];
        assert_eq!(match_old(&entries, &found, cwd), vec![true, false]);
        // An exact match is preferred over a suffix one.
        let entries = vec![entry("envs/stage/main.tf", "rule-a", "bad thing")];
        let found = vec![
            finding_at(cwd, "main.tf", "rule-a", "bad thing"),
            finding_at(cwd, "envs/stage/main.tf", "rule-a", "bad thing"),
        ];
        assert_eq!(match_old(&entries, &found, cwd), vec![false, true]);
    }

    #[test]
    fn tails_are_whole_components() {
        assert!(same_tail("a/b/main.tf", "b/main.tf"));
        assert!(same_tail("main.tf", "a/main.tf"));
        assert!(same_tail("main.tf", "main.tf"));
        assert!(!same_tail("a/xmain.tf", "main.tf"));
        assert!(!same_tail("", "main.tf"));
    }
}
