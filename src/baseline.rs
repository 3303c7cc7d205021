//! Baselines: record today's findings by fingerprint, so that a gate fails
//! only on what a change introduces.

use crate::finding::Finding;
use crate::source::SourceMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The version of the file format.
pub const FORMAT_VERSION: u32 = 1;

/// One recorded finding. Only the fingerprint matters for matching; the
/// rest makes the file reviewable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
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
    pub fn from_findings(findings: &[Finding], sources: &SourceMap) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|f| Entry {
                file: sources.get(f.span.file).display.clone(),
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

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
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
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("baseline `{shown}` is not a tfpin baseline: {e}"))?;
        if b.tool != "tfpin" || b.version != FORMAT_VERSION {
            return Err(format!(
                "baseline `{shown}` has tool \"{}\" version {}; expected tfpin version {FORMAT_VERSION}",
                b.tool, b.version
            ));
        }
        Ok(b)
    }
}

/// Drops the findings the baseline records, returning how many it dropped.
pub fn filter(findings: &mut Vec<Finding>, baseline: &Baseline) -> usize {
    let known = baseline.fingerprints();
    let before = findings.len();
    findings.retain(|f| !known.contains(f.fingerprint.as_str()));
    before - findings.len()
}

/// The baseline without the entries that no longer occur.
pub fn pruned(baseline: &Baseline, current: &[Finding]) -> Baseline {
    let now: BTreeSet<&str> = current.iter().map(|f| f.fingerprint.as_str()).collect();
    Baseline {
        tool: baseline.tool.clone(),
        version: baseline.version,
        findings: baseline
            .findings
            .iter()
            .filter(|e| now.contains(e.fingerprint.as_str()))
            .cloned()
            .collect(),
    }
}
