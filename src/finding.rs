//! Findings: what rules report, and how they are ordered and fingerprinted.

use crate::source::{FileId, SourceMap, Span};
use serde::Serialize;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" => Some(Severity::Note),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in the scanned tree.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// Lowercase, names the construct, no trailing period.
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    /// The module directory as shown to users (`envs/prod`, or `.`).
    pub module: String,
    /// The remedy.
    pub help: Option<String>,
    /// Stable identity for baselines; filled in by the engine.
    pub fingerprint: String,
    /// What the finding is about, in words that do not change when the
    /// tree around it does: a provider address, an alias, a resource
    /// address, an attribute path. Part of the fingerprint, never shown.
    pub subject: String,
    /// The root tree or module instance the finding was made in, for a
    /// finding about a module as some root uses it. It says which roots
    /// the finding concerns (their roles decide whether the rule judges
    /// it) and which modules it was reached through (a run that names one
    /// of them reports it).
    pub scope: Option<Scope>,
    /// How to repair it, when the rule knows (see [`crate::fix`]).
    pub fix: Option<crate::fix::Fix>,
}

/// Where a finding was made (see [`Finding::scope`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The tree of this root module.
    Tree(crate::model::ModuleId),
    /// This module instance (an index into `Values::instances`).
    Instance(usize),
}

/// The most related places one finding marks (see
/// [`Finding::with_labels_capped`]).
pub const MAX_RELATED: usize = 16;

impl Finding {
    pub fn new(rule: &'static str, severity: Severity, span: Span, message: String) -> Finding {
        Finding {
            rule,
            severity,
            message,
            span,
            labels: Vec::new(),
            module: String::new(),
            help: None,
            fingerprint: String::new(),
            subject: String::new(),
            scope: None,
            fix: None,
        }
    }

    /// Attaches a repair.
    pub fn with_fix(mut self, fix: crate::fix::Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// Attaches a repair, when there is one.
    pub fn with_fix_if(mut self, fix: Option<crate::fix::Fix>) -> Finding {
        if fix.is_some() {
            self.fix = fix;
        }
        self
    }

    /// Says what the finding is about (see [`Finding::subject`]).
    pub fn about(mut self, subject: impl Into<String>) -> Finding {
        self.subject = subject.into();
        self
    }

    /// Says the finding was made in a root's tree.
    pub fn in_tree(mut self, root: crate::model::ModuleId) -> Finding {
        self.scope = Some(Scope::Tree(root));
        self
    }

    /// Says the finding was made in a module instance.
    pub fn in_instance(mut self, instance: usize) -> Finding {
        self.scope = Some(Scope::Instance(instance));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Adds a note after the help text, or makes it the help text if the
    /// finding has none, so no help begins with a dangling separator.
    pub fn with_help_note(mut self, note: impl std::fmt::Display) -> Finding {
        self.help = Some(match self.help.take() {
            Some(help) => format!("{help}; {note}"),
            None => note.to_string(),
        });
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Labels for the first [`MAX_RELATED`] of `items`, each made by
    /// `label` (only those shown are made); past that, the help says how
    /// many `what` are not marked. A finding about a whole tree or module
    /// can relate to thousands of places, and a report that marked them all
    /// on every such finding would grow with their product.
    pub fn with_labels_capped<T>(
        mut self,
        items: &[T],
        what: impl std::fmt::Display,
        label: impl Fn(&T) -> (Span, String),
    ) -> Finding {
        for item in items.iter().take(MAX_RELATED) {
            let (span, message) = label(item);
            self = self.with_label(span, message);
        }
        if items.len() > MAX_RELATED {
            let more = items.len() - MAX_RELATED;
            self = self.with_help_note(format_args!("{more} more {what} are not marked"));
        }
        self
    }

    /// Sets a severity other than the rule's default, for a rule whose
    /// findings differ in gravity. A severity from the configuration still
    /// overrides it.
    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    pub fn in_module(mut self, module: &str) -> Finding {
        self.module = module.to_string();
        self
    }
}

/// Sorts findings by file, line, column, then rule and message, so output is
/// the same whatever order the work was done in.
pub fn sort(findings: &mut [Finding], sources: &SourceMap) {
    use rayon::slice::ParallelSliceMut;
    // The files' display paths are compared once, to rank the files that
    // have findings; the sort then compares ranks. Files shown the same
    // share a rank, so they compare as their paths do.
    let mut files: Vec<FileId> = findings.iter().map(|f| f.span.file).collect();
    files.sort_unstable();
    files.dedup();
    files.sort_by(|a, b| sources.get(*a).display.cmp(&sources.get(*b).display));
    let mut rank = vec![0u32; sources.len()];
    let mut r = 0u32;
    for (i, id) in files.iter().enumerate() {
        if i > 0 && sources.get(files[i - 1]).display != sources.get(*id).display {
            r += 1;
        }
        rank[id.0 as usize] = r;
    }
    // A finding is a large value: small keys are sorted, then the findings
    // are put in their order with one pass of swaps. The index as the last
    // key makes equal findings keep their order, as a stable sort would.
    let mut keys: Vec<(u32, usize, usize, &str, usize)> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let r = &f.span.range;
            (rank[f.span.file.0 as usize], r.start, r.end, f.rule, i)
        })
        .collect();
    keys.par_sort_unstable_by(|a, b| {
        (a.0, a.1, a.2, a.3)
            .cmp(&(b.0, b.1, b.2, b.3))
            .then_with(|| findings[a.4].message.cmp(&findings[b.4].message))
            .then(a.4.cmp(&b.4))
    });
    let order: Vec<usize> = keys.into_iter().map(|k| k.4).collect();
    permute(findings, order);
}

/// Puts `items` in the order `order` gives: position `i` gets the item that
/// was at `order[i]`. Each cycle of the permutation is followed with swaps,
/// so every item moves at most once more than it must.
fn permute<T>(items: &mut [T], order: Vec<usize>) {
    // Where each item goes: the inverse of `order`.
    let mut dest = vec![0usize; order.len()];
    for (to, from) in order.into_iter().enumerate() {
        dest[from] = to;
    }
    for i in 0..items.len() {
        while dest[i] != i {
            let j = dest[i];
            items.swap(i, j);
            dest.swap(i, j);
        }
    }
}

/// Gives every finding a fingerprint that survives unrelated edits.
///
/// A fingerprint hashes four things:
///
/// - the rule;
/// - the finding's module path ([`Finding::module`]);
/// - its subject ([`Finding::subject`]), the words for what it is about;
/// - the text under its primary span, with runs of whitespace folded to one.
///
/// Findings equal in all four are numbered in their order of appearance,
/// and the number is hashed in too. Nothing else is: not the message, which
/// quotes what other modules say (a tree's merged constraint, a region set
/// by a caller); not line numbers, so lines that move do not matter; not
/// the file's path, so a block moved to another file of its module keeps
/// its fingerprint; not the working directory.
///
/// Findings must already be sorted.
pub fn assign_fingerprints(findings: &mut [Finding], sources: &SourceMap) {
    use rayon::prelude::*;
    // The content hashes are independent; only the numbering of equal
    // ones depends on the order.
    let bases: Vec<u64> = findings
        .par_iter()
        .map(|f| {
            let snippet = sources.get(f.span.file).slice(&f.span.range);
            let mut h = Fnv64::new();
            for part in [f.rule, &f.module, &f.subject] {
                h.write(part.as_bytes());
                h.write(&[0]);
            }
            for word in snippet.split_whitespace() {
                h.write(word.as_bytes());
                h.write(b" ");
            }
            h.finish()
        })
        .collect();
    let mut seen: crate::HashMap<u64, u32> = crate::HashMap::default();
    for (f, base) in findings.iter_mut().zip(bases) {
        let n = seen.entry(base).or_insert(0);
        let mut h2 = Fnv64::new();
        h2.write(&base.to_le_bytes());
        h2.write(&n.to_le_bytes());
        *n += 1;
        f.fingerprint = format!("{:016x}", h2.finish());
    }
}

/// FNV-1a, 64 bit: tiny, and stable across platforms and releases, which a
/// baseline file needs (std's hashers promise neither). Only
/// [`Hasher::write`] is used: `Hash` impls may change how they feed bytes.
struct Fnv64(fnv::FnvHasher);

impl Fnv64 {
    fn new() -> Fnv64 {
        Fnv64(fnv::FnvHasher::default())
    }

    fn write(&mut self, bytes: &[u8]) {
        std::hash::Hasher::write(&mut self.0, bytes);
    }

    fn finish(&self) -> u64 {
        std::hash::Hasher::finish(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    fn map(texts: &[(&str, &str)]) -> SourceMap {
        let mut m = SourceMap::new();
        for (name, text) in texts {
            m.add(SourceFile::new(name.to_string(), text.to_string()));
        }
        m
    }

    fn finding(file: u32, range: std::ops::Range<usize>, msg: &str) -> Finding {
        Finding::new(
            "constraint-invalid",
            Severity::Error,
            Span::new(FileId(file), range),
            msg.to_string(),
        )
        .in_module(".")
    }

    #[test]
    fn help_notes_join_the_help_or_stand_alone() {
        let f = finding(0, 0..1, "bad").with_help_note("the first 3 are shown");
        assert_eq!(f.help.as_deref(), Some("the first 3 are shown"));
        let f = finding(0, 0..1, "bad")
            .with_help("pin it")
            .with_help_note("the first 3 are shown");
        assert_eq!(f.help.as_deref(), Some("pin it; the first 3 are shown"));
        let spans: Vec<usize> = (0..MAX_RELATED + 2).collect();
        let f = finding(0, 0..1, "bad").with_labels_capped(&spans, "uses", |&i| {
            (Span::new(FileId(0), i..i + 1), "here".to_string())
        });
        assert_eq!(f.labels.len(), MAX_RELATED);
        assert_eq!(f.help.as_deref(), Some("2 more uses are not marked"));
    }

    #[test]
    fn the_hash_is_fnv_1a_64() {
        // Published FNV-1a test vectors: baselines written by any release
        // must keep matching.
        for (input, want) in [
            ("", 0xcbf2_9ce4_8422_2325_u64),
            ("a", 0xaf63_dc4c_8601_ec8c),
            ("foobar", 0x8594_4171_f739_67e8),
        ] {
            let mut h = Fnv64::new();
            h.write(input.as_bytes());
            assert_eq!(h.finish(), want, "{input:?}");
        }
    }

    #[test]
    fn fingerprints_ignore_line_shifts() {
        let before = map(&[("a.tf", "x = \">= 1\"\n")]);
        let after = map(&[("a.tf", "\n\n# comment\nx = \">= 1\"\n")]);
        let mut a = vec![finding(0, 4..10, "bad")];
        let mut b = vec![finding(0, 16..22, "bad")];
        assign_fingerprints(&mut a, &before);
        assign_fingerprints(&mut b, &after);
        assert_eq!(a[0].fingerprint, b[0].fingerprint);
        assert_eq!(a[0].fingerprint.len(), 16);
    }

    fn fingerprint_of(texts: &[(&str, &str)], f: Finding) -> String {
        let mut v = vec![f];
        assign_fingerprints(&mut v, &map(texts));
        v.remove(0).fingerprint
    }

    #[test]
    fn fingerprints_ignore_messages_that_quote_other_modules() {
        let text = [("a.tf", "aws = { version = \">= 5.0\" }\n")];
        let at = |msg: &str| finding(0, 0..3, msg).about("registry.terraform.io/hashicorp/aws");
        assert_eq!(
            fingerprint_of(&text, at("tree constraint \">= 0.16.0, >= 5.0\"")),
            fingerprint_of(&text, at("tree constraint \">= 0.17.0, >= 5.0\"")),
        );
    }

    #[test]
    fn fingerprints_survive_a_move_to_another_file_of_the_module() {
        let block = "aws = { version = \">= 5.0\" }\n";
        let before = [("envs/prod/versions.tf", block)];
        let after = [
            ("envs/prod/versions.tf", "# moved to main.tf\n"),
            ("envs/prod/main.tf", block),
        ];
        let at = |file: u32| finding(file, 0..3, "m").about("aws").in_module("envs/prod");
        assert_eq!(
            fingerprint_of(&before, at(0)),
            fingerprint_of(&after, at(1))
        );
        // Another module is another finding.
        assert_ne!(
            fingerprint_of(&before, at(0)),
            fingerprint_of(&before, at(0).in_module("envs/stage"))
        );
    }

    #[test]
    fn fingerprints_differ_for_different_subjects_at_one_span() {
        let text = [("a.tf", "module \"net\" {}\n")];
        let at = |subject: &str| finding(0, 0..12, "m").about(subject);
        assert_ne!(
            fingerprint_of(&text, at("module.net.providers.aws.west")),
            fingerprint_of(&text, at("module.net.providers.aws.east"))
        );
        // Found together, neither takes the other's occurrence number.
        let mut both = vec![
            at("module.net.providers.aws.west"),
            at("module.net.providers.aws.east"),
        ];
        assign_fingerprints(&mut both, &map(&text));
        assert_eq!(
            both[0].fingerprint,
            fingerprint_of(&text, at("module.net.providers.aws.west"))
        );
        assert_eq!(
            both[1].fingerprint,
            fingerprint_of(&text, at("module.net.providers.aws.east"))
        );
    }

    #[test]
    fn fingerprints_differ_for_different_findings_and_duplicates() {
        let m = map(&[("a.tf", "x = 1\nx = 1\ny = 2\n")]);
        let mut f = vec![
            finding(0, 0..5, "bad"),
            finding(0, 6..11, "bad"),
            finding(0, 12..17, "bad"),
        ];
        assign_fingerprints(&mut f, &m);
        assert_ne!(f[0].fingerprint, f[1].fingerprint);
        assert_ne!(f[0].fingerprint, f[2].fingerprint);
        assert_ne!(f[1].fingerprint, f[2].fingerprint);
    }

    #[test]
    fn sort_orders_by_file_then_position_then_rule() {
        let m = map(&[("b.tf", "xxxxxxxx"), ("a.tf", "xxxxxxxx")]);
        let mut f = vec![
            finding(0, 1..2, "m"),
            finding(1, 5..6, "m"),
            finding(1, 1..2, "m"),
        ];
        f[2].rule = "b-rule";
        let mut g = finding(1, 1..2, "m");
        g.rule = "a-rule";
        f.push(g);
        sort(&mut f, &m);
        let order: Vec<_> = f
            .iter()
            .map(|x| (x.span.file.0, x.span.range.start, x.rule))
            .collect();
        assert_eq!(
            order,
            vec![
                (1, 1, "a-rule"),
                (1, 1, "b-rule"),
                (1, 5, "constraint-invalid"),
                (0, 1, "constraint-invalid")
            ]
        );
    }

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        // Two cycles (0 -> 2 -> 4 -> 0 and 1 <-> 5) and a fixed point.
        permute(&mut items, vec![4, 5, 0, 3, 2, 1]);
        assert_eq!(items, vec!['e', 'f', 'a', 'd', 'c', 'b']);
        let mut one = vec![1];
        permute(&mut one, vec![0]);
        assert_eq!(one, vec![1]);
    }

    #[test]
    fn files_shown_the_same_sort_as_one_file() {
        // Two entries for one path (a variables file named twice, say):
        // their findings interleave by position, not by file id.
        let m = map(&[("z.tf", "x"), ("a.tf", "xxxxxxxx"), ("a.tf", "xxxxxxxx")]);
        let mut f = vec![
            finding(2, 1..2, "m"),
            finding(0, 0..1, "m"),
            finding(1, 3..4, "m"),
            finding(2, 5..6, "m"),
            finding(1, 0..1, "m"),
        ];
        sort(&mut f, &m);
        let order: Vec<_> = f
            .iter()
            .map(|x| (x.span.file.0, x.span.range.start))
            .collect();
        assert_eq!(order, vec![(1, 0), (2, 1), (1, 3), (2, 5), (0, 0)]);
    }

    proptest::proptest! {
        /// The key sort and the permutation give exactly the order of a
        /// stable sort by display path, start, end, rule and message.
        #[test]
        fn key_sort_is_the_stable_sort(
            spec in proptest::collection::vec((0u32..4, 0usize..4, 0usize..3, 0usize..2, 0usize..3), 0..40)
        ) {
            // Files 1 and 3 are shown the same; 0 sorts last.
            let m = map(&[("z.tf", "xxxxxxxxxx"), ("a.tf", "xxxxxxxxxx"), ("m.tf", "xxxxxxxxxx"), ("a.tf", "xxxxxxxxxx")]);
            let rules = ["a-rule", "b-rule"];
            let messages = ["x", "y", "z"];
            let findings: Vec<Finding> = spec
                .iter()
                .enumerate()
                .map(|(i, &(file, start, len, rule, msg))| {
                    let mut f = finding(file, start..start + len, messages[msg]);
                    f.rule = rules[rule];
                    // Tells apart findings the order treats as equal.
                    f.module = i.to_string();
                    f
                })
                .collect();
            let mut expected = findings.clone();
            expected.sort_by(|a, b| {
                m.get(a.span.file).display
                    .cmp(&m.get(b.span.file).display)
                    .then(a.span.range.start.cmp(&b.span.range.start))
                    .then(a.span.range.end.cmp(&b.span.range.end))
                    .then(a.rule.cmp(b.rule))
                    .then(a.message.cmp(&b.message))
            });
            let mut got = findings;
            sort(&mut got, &m);
            let tags = |v: &[Finding]| v.iter().map(|f| f.module.clone()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(tags(&got), tags(&expected));
        }
    }
}
