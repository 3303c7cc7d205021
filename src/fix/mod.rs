//! Fixes as data: the byte-range replacements a rule attaches to a finding,
//! and how a set of them is applied to the files they edit.
//!
//! A rule says how to repair what it found, and how safe the repair is; it
//! never writes anything. [`apply`] takes the findings of one run, applies
//! the fixes that do not overlap, and returns the new text of each file;
//! the command line checks again over those texts ([`Overlay`]) until
//! nothing more changes (see [`crate::app`]), then writes the files.
//!
//! Safety follows one test: a fix is [`Safety::Safe`] when the
//! configuration keeps its meaning and `terraform init` with the existing
//! lock file selects the same versions; everything else is
//! [`Safety::Unsafe`].

pub mod run;
pub mod text;

use crate::finding::Finding;
use crate::source::{FileId, SourceMap, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How safe a fix is (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    Safe,
    Unsafe,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// What fixes a rule offers, as its metadata records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Availability {
    /// The rule offers no fix.
    None,
    /// Every fix the rule offers is safe.
    Safe,
    /// Every fix the rule offers is unsafe.
    Unsafe,
    /// Safe in some cases and unsafe in others, as the rule's doc says.
    SafeOrUnsafe,
}

impl Availability {
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::None => "none",
            Availability::Safe => "safe",
            Availability::Unsafe => "unsafe",
            Availability::SafeOrUnsafe => "safe-or-unsafe",
        }
    }

    /// Whether a fix of this safety is one the rule may offer.
    pub fn allows(self, s: Safety) -> bool {
        matches!(
            (self, s),
            (Availability::Safe, Safety::Safe)
                | (Availability::Unsafe, Safety::Unsafe)
                | (Availability::SafeOrUnsafe, _)
        )
    }
}

/// One replacement: the bytes of `span` become `content`. An empty span
/// inserts; empty content deletes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Edit {
        Edit {
            span,
            content: content.into(),
        }
    }

    pub fn insert(file: FileId, at: usize, content: impl Into<String>) -> Edit {
        Edit::replace(Span::new(file, at..at), content)
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, String::new())
    }

    /// The edits of a file that `replaces` lists (see [`text::Replace`]).
    pub fn all(file: FileId, replaces: Vec<text::Replace>) -> Vec<Edit> {
        (replaces.into_iter())
            .map(|(range, content)| Edit::replace(Span::new(file, range), content))
            .collect()
    }

    /// Whether two edits cannot both be applied: their ranges overlap, or
    /// both touch one offset and one of them inserts there (which text
    /// would come first is not decided). The same edit twice does not
    /// conflict; it is applied once.
    fn conflicts(&self, other: &Edit) -> bool {
        if self.span.file != other.span.file || self == other {
            return false;
        }
        let (a, b) = (&self.span.range, &other.span.range);
        (a.start < b.end && b.start < a.end)
            || (a.start == b.start && (a.is_empty() || b.is_empty()))
    }
}

/// A repair of one finding: edits applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub safety: Safety,
    /// What the fix does, starting lowercase: `add an upper bound "< 6.0"`.
    pub description: String,
    /// In any order; [`Fix::new`] sorts them.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(safety: Safety, description: impl Into<String>, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by(|a, b| {
            (a.span.file, a.span.range.start, a.span.range.end).cmp(&(
                b.span.file,
                b.span.range.start,
                b.span.range.end,
            ))
        });
        edits.dedup();
        Fix {
            safety,
            description: description.into(),
            edits,
        }
    }

    pub fn safe(description: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Safety::Safe, description, edits)
    }

    pub fn unsafe_(description: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Safety::Unsafe, description, edits)
    }
}

/// Which fixes a run applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    /// Safe fixes only (`--fix`).
    Safe,
    /// Safe and unsafe ones (`--fix --unsafe-fixes`).
    All,
}

impl Applicability {
    pub fn admits(self, s: Safety) -> bool {
        s == Safety::Safe || self == Applicability::All
    }
}

/// What [`apply`] did to the texts of one run.
#[derive(Debug, Default)]
pub struct Applied {
    /// The new text of each file that changed.
    pub texts: BTreeMap<FileId, String>,
    /// The fixes applied, by rule.
    pub by_rule: BTreeMap<&'static str, usize>,
    /// Fixes left for a later pass because they overlap one applied now.
    pub deferred: usize,
}

impl Applied {
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    pub fn count(&self) -> usize {
        self.by_rule.values().sum()
    }
}

/// Applies every admitted fix that does not conflict with one applied
/// before it, taking fixes in the order of the findings (which is sorted
/// by place). A fix whose edit lies outside its file's text, or splits a
/// character, is not applied. Fixes left out are found again by the next
/// check, over the new texts.
pub fn apply(findings: &[Finding], sources: &SourceMap, which: Applicability) -> Applied {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut out = Applied::default();
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        if !which.admits(fix.safety) || fix.edits.is_empty() {
            continue;
        }
        let fits = fix.edits.iter().all(|e| {
            let text = &sources.get(e.span.file).text;
            let r = &e.span.range;
            r.start <= r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        });
        if !fits {
            continue;
        }
        if fix
            .edits
            .iter()
            .any(|e| accepted.iter().any(|a| a.conflicts(e)))
        {
            out.deferred += 1;
            continue;
        }
        for e in &fix.edits {
            if !accepted.contains(&e) {
                accepted.push(e);
            }
        }
        *out.by_rule.entry(f.rule).or_default() += 1;
    }
    let mut by_file: BTreeMap<FileId, Vec<&Edit>> = BTreeMap::new();
    for e in accepted {
        by_file.entry(e.span.file).or_default().push(e);
    }
    for (file, mut edits) in by_file {
        // From the end of the file back, so earlier offsets stay valid; an
        // insertion at the end of a replacement goes after it.
        edits.sort_by(|a, b| {
            (b.span.range.start, b.span.range.end).cmp(&(a.span.range.start, a.span.range.end))
        });
        let mut text = sources.get(file).text.as_str().to_string();
        for e in edits {
            text.replace_range(e.span.range.clone(), &e.content);
        }
        if text != *sources.get(file).text {
            out.texts.insert(file, text);
        }
    }
    out
}

/// File contents that stand in for what is on disk: what a fix run has
/// written so far, before anything is written. Keys are the absolute paths
/// discovery builds.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    files: crate::HashMap<PathBuf, Arc<String>>,
    /// What earlier runs read, to reuse (see
    /// [`crate::model::workspace::ReadCache`]).
    pub(crate) reads: Option<Arc<crate::model::workspace::ReadCache>>,
}

impl Overlay {
    /// An overlay whose runs reuse and add to `reads`.
    pub fn with_reads(reads: Arc<crate::model::workspace::ReadCache>) -> Overlay {
        Overlay {
            files: Default::default(),
            reads: Some(reads),
        }
    }

    pub fn get(&self, path: &Path) -> Option<&Arc<String>> {
        self.files.get(path)
    }

    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.files.insert(path, Arc::new(text));
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::source::{file_id, SourceFile};

    fn sources(texts: &[&str]) -> SourceMap {
        let mut m = SourceMap::new();
        for (i, t) in texts.iter().enumerate() {
            m.add(SourceFile::new(format!("f{i}.tf"), t.to_string()));
        }
        m
    }

    fn finding(rule: &'static str, fix: Fix) -> Finding {
        let span = fix.edits[0].span.clone();
        let mut f = Finding::new(rule, Severity::Warning, span, "m".into());
        f.fix = Some(fix);
        f
    }

    fn at(file: usize, r: std::ops::Range<usize>) -> Span {
        Span::new(file_id(file), r)
    }

    #[test]
    fn edits_apply_from_the_end_and_keep_the_rest() {
        let src = sources(&["a = \"=> 1.0\"\nb = 2\n"]);
        let fs = vec![
            finding("r", Fix::safe("x", vec![Edit::replace(at(0, 5..7), ">=")])),
            finding(
                "r",
                Fix::safe("y", vec![Edit::insert(file_id(0), 19, "\n")]),
            ),
        ];
        let a = apply(&fs, &src, Applicability::Safe);
        assert_eq!(a.texts[&file_id(0)], "a = \">= 1.0\"\nb = 2\n\n");
        assert_eq!(a.by_rule["r"], 2);
        assert_eq!(a.deferred, 0);
    }

    #[test]
    fn an_overlapping_fix_waits_for_the_next_pass() {
        let src = sources(&["abcdef"]);
        let fs = vec![
            finding("r", Fix::safe("x", vec![Edit::replace(at(0, 1..4), "X")])),
            finding("s", Fix::safe("y", vec![Edit::replace(at(0, 3..5), "Y")])),
            finding("t", Fix::safe("z", vec![Edit::insert(file_id(0), 1, "Z")])),
        ];
        let a = apply(&fs, &src, Applicability::Safe);
        assert_eq!(a.texts[&file_id(0)], "aXef");
        assert_eq!(a.deferred, 2);
    }

    #[test]
    fn the_same_edit_from_two_findings_is_applied_once() {
        let src = sources(&["abc"]);
        let e = Edit::insert(file_id(0), 3, "d");
        let fs = vec![
            finding("r", Fix::safe("x", vec![e.clone()])),
            finding("r", Fix::safe("x", vec![e])),
        ];
        let a = apply(&fs, &src, Applicability::Safe);
        assert_eq!(a.texts[&file_id(0)], "abcd");
        assert_eq!(a.by_rule["r"], 2);
    }

    #[test]
    fn unsafe_fixes_wait_for_their_flag_and_a_fix_is_all_or_nothing() {
        let src = sources(&["abc", "xyz"]);
        let two_files = Fix::unsafe_(
            "u",
            vec![
                Edit::replace(at(0, 0..1), "A"),
                Edit::replace(at(1, 0..1), "X"),
            ],
        );
        let fs = vec![
            finding("s", Fix::safe("s", vec![Edit::replace(at(1, 0..2), "--")])),
            finding("u", two_files),
        ];
        let safe = apply(&fs, &src, Applicability::Safe);
        assert_eq!(safe.texts.len(), 1);
        assert_eq!(safe.texts[&file_id(1)], "--z");
        // With unsafe fixes admitted, the two-file fix conflicts in the
        // second file, so it leaves the first file alone too.
        let all = apply(&fs, &src, Applicability::All);
        assert!(!all.texts.contains_key(&file_id(0)));
        assert_eq!(all.deferred, 1);
    }

    #[test]
    fn an_edit_outside_its_file_or_inside_a_character_is_not_applied() {
        let src = sources(&["é"]);
        let fs = vec![
            finding("r", Fix::safe("x", vec![Edit::replace(at(0, 1..2), "e")])),
            finding("r", Fix::safe("y", vec![Edit::insert(file_id(0), 9, "e")])),
        ];
        assert!(apply(&fs, &src, Applicability::All).is_empty());
    }
}
