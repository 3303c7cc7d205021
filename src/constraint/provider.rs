//! Provider constraint semantics: the "ruby style" comma-joined syntax and the
//! version-set rules Terraform applies when it selects provider versions.
//!
//! Facts reproduced here:
//! - each comma-separated item is `OP VERSION` where OP is one of `=` (or
//!   nothing), `!=`, `>`, `>=`, `<`, `<=`, `~>`, followed by at most one plain
//!   space;
//! - missing version parts are unconstrained and become zero, so a bare `1.2`
//!   means exactly `1.2.0`;
//! - `~>` with three numbers allows patch updates only, otherwise minor
//!   updates (`~> 1` and `~> 1.2` both stop below `2.0.0`);
//! - a prerelease version is only ever selected when an `=` item names it
//!   exactly (including its build metadata);
//! - build metadata is significant for `=` and `!=` only;
//! - version `0.0.0` (without prerelease or metadata) is never selected;
//! - scanning quirks: a `-` with nothing usable after it is ignored
//!   (`1.0.0-` is exactly `1.0.0`), and a `v` directly after an operator
//!   (`=v1`) is reported as wrong spacing after that operator.

use std::cmp::Ordering;

use super::quote::go_quote;

/// A version in the provider version model: three numbers plus prerelease and
/// build metadata strings (empty when absent).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PVersion {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub meta: String,
}

impl PVersion {
    pub fn from_semver(v: &semver::Version) -> PVersion {
        PVersion {
            major: v.major,
            minor: v.minor,
            patch: v.patch,
            pre: v.pre.as_str().to_string(),
            meta: v.build.as_str().to_string(),
        }
    }

    /// Equality ignoring build metadata.
    pub fn same(&self, o: &PVersion) -> bool {
        self.major == o.major && self.minor == o.minor && self.patch == o.patch && self.pre == o.pre
    }

    /// Precedence order ignoring build metadata.
    pub fn precedence(&self, o: &PVersion) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| {
                if self.pre == o.pre {
                    Ordering::Equal
                } else if self.pre.is_empty() {
                    Ordering::Greater
                } else if o.pre.is_empty() {
                    Ordering::Less
                } else {
                    extra_cmp(&self.pre, &o.pre)
                }
            })
    }

    pub fn less_than(&self, o: &PVersion) -> bool {
        self.precedence(o) == Ordering::Less
    }

    pub fn greater_than(&self, o: &PVersion) -> bool {
        self.precedence(o) == Ordering::Greater
    }

    pub fn render(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.meta.is_empty() {
            s.push('+');
            s.push_str(&self.meta);
        }
        s
    }
}

/// Order of two different prerelease (or metadata) strings. Identifiers are
/// compared left to right; where one string has no further dot-separated
/// identifiers and the other does, the shorter one sorts first regardless of
/// the identifier contents (so `rc1` < `rc.1`). Numeric identifiers sort
/// before alphanumeric ones and compare by length, then lexically.
pub(crate) fn extra_cmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut s1, mut s2) = (a, b);
    loop {
        let d1 = s1.find('.');
        let d2 = s2.find('.');
        match (d1, d2) {
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (None, None) => return ident_cmp(s1, s2),
            (Some(i), Some(j)) => {
                let (x, y) = (&s1[..i], &s2[..j]);
                if x != y {
                    return ident_cmp(x, y);
                }
                s1 = &s1[i + 1..];
                s2 = &s2[j + 1..];
            }
        }
    }
}

fn ident_cmp(a: &str, b: &str) -> Ordering {
    let an = a.bytes().all(|c| c.is_ascii_digit());
    let bn = b.bytes().all(|c| c.is_ascii_digit());
    match (an, bn) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (true, true) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        (false, false) => a.cmp(b),
    }
}

/// Selection operator of one provider constraint item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum POp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// `~>` with one or two numbers (or a prerelease on fewer than three).
    MinorOnly,
    /// `~>` with three numbers.
    PatchOnly,
}

impl POp {
    /// Sort priority used by Terraform's lock-file writer for equal boundaries.
    fn priority(self) -> u8 {
        match self {
            POp::Gt => 1,
            POp::Ge => 2,
            POp::Eq => 3,
            POp::PatchOnly => 4,
            POp::MinorOnly => 5,
            POp::Le => 6,
            POp::Lt => 7,
            POp::Ne => 8,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            POp::Eq => "",
            POp::Ne => "!= ",
            POp::Gt => "> ",
            POp::Ge => ">= ",
            POp::Lt => "< ",
            POp::Le => "<= ",
            POp::MinorOnly | POp::PatchOnly => "~> ",
        }
    }
}

/// One parsed provider constraint item; `bound` already has missing numbers
/// filled with zero (Terraform does this before evaluating or printing).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Selection {
    pub op: POp,
    pub bound: PVersion,
}

impl Selection {
    /// The boundary used for evaluation (metadata is dropped except for `=`/`!=`).
    fn lower(&self) -> PVersion {
        let mut l = self.bound.clone();
        if !matches!(self.op, POp::Eq | POp::Ne) {
            l.meta.clear();
        }
        l
    }

    /// Exclusive upper end of a `~>` range.
    pub fn pessimistic_upper(&self) -> Option<PVersion> {
        let l = self.lower();
        match self.op {
            POp::MinorOnly => Some(PVersion {
                major: l.major.wrapping_add(1),
                minor: 0,
                patch: 0,
                pre: String::new(),
                meta: String::new(),
            }),
            POp::PatchOnly => Some(PVersion {
                major: l.major,
                minor: l.minor.wrapping_add(1),
                patch: 0,
                pre: String::new(),
                meta: String::new(),
            }),
            _ => None,
        }
    }

    /// Membership in the set described by this item alone, before the
    /// prerelease filtering that applies to the whole constraint set.
    fn contains(&self, v: &PVersion) -> bool {
        let l = self.lower();
        match self.op {
            POp::Eq => *v == l,
            POp::Ne => *v != l,
            POp::Gt => v.greater_than(&l),
            POp::Ge => v.greater_than(&l) || v.same(&l),
            POp::Lt => v.less_than(&l),
            POp::Le => v.less_than(&l) || v.same(&l),
            POp::MinorOnly | POp::PatchOnly => {
                let u = self.pessimistic_upper().unwrap_or_else(|| l.clone());
                (v.greater_than(&l) || v.same(&l)) && v.less_than(&u)
            }
        }
    }

    /// The item as Terraform writes it in the lock file.
    pub fn render(&self) -> String {
        let b = &self.bound;
        let mut s = String::from(self.op.symbol());
        if self.op == POp::MinorOnly {
            s.push_str(&format!("{}.{}", b.major, b.minor));
        } else {
            s.push_str(&format!("{}.{}.{}", b.major, b.minor, b.patch));
        }
        if !b.pre.is_empty() {
            s.push('-');
            s.push_str(&b.pre);
        }
        if !b.meta.is_empty() {
            s.push('+');
            s.push_str(&b.meta);
        }
        s
    }
}

/// Whether `v` is acceptable to the intersection of `sels`.
pub(crate) fn matches(sels: &[Selection], v: &PVersion) -> bool {
    let unspecified =
        v.major == 0 && v.minor == 0 && v.patch == 0 && v.pre.is_empty() && v.meta.is_empty();
    if unspecified {
        // Terraform's version sets only contain 0.0.0 when they are the
        // universal set, which a constraint set never produces.
        return false;
    }
    if !sels.iter().all(|s| s.contains(v)) {
        return false;
    }
    if v.pre.is_empty() {
        return true;
    }
    sels.iter().any(|s| s.op == POp::Eq && s.lower() == *v)
}

/// Lock-file rendering: de-duplicated, sorted by boundary then operator,
/// joined with ", ".
pub(crate) fn normalized(sels: &[Selection]) -> String {
    let mut uniq: Vec<&Selection> = Vec::new();
    for s in sels {
        if !uniq.contains(&s) {
            uniq.push(s);
        }
    }
    uniq.sort_by(|a, b| {
        boundary_cmp(&a.bound, &b.bound).then_with(|| a.op.priority().cmp(&b.op.priority()))
    });
    uniq.iter()
        .map(|s| s.render())
        .collect::<Vec<_>>()
        .join(", ")
}

fn boundary_cmp(a: &PVersion, b: &PVersion) -> Ordering {
    if a.same(b) {
        if a.meta == b.meta {
            Ordering::Equal
        } else {
            extra_cmp(&a.meta, &b.meta)
        }
    } else {
        a.precedence(b)
    }
}

// ---------------------------------------------------------------------------
// Scanner and parser
// ---------------------------------------------------------------------------

/// Raw pieces of one scanned item.
#[derive(Default, Debug)]
struct Raw {
    op: String,
    sep: String,
    nums: [String; 3],
    num_ct: usize,
    pre: String,
    meta: String,
}

fn is_scan_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_op_byte(b: u8) -> bool {
    !(b.is_ascii_digit() || is_scan_space(b) || b.is_ascii_alphabetic() || b == b'.' || b == b'*')
}

fn is_extra_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

fn sub(s: &str, from: usize, to: usize) -> String {
    String::from_utf8_lossy(&s.as_bytes()[from..to]).into_owned()
}

/// Scans `OP SEP NUMS [-PRE] [+META]` from the start of `data`, stopping at
/// the first byte that does not fit; returns the pieces and the unconsumed
/// rest (starting at that byte).
fn scan(data: &str) -> (Raw, usize) {
    let b = data.as_bytes();
    let n = b.len();
    let mut raw = Raw::default();
    let mut p = 0;
    while p < n && is_op_byte(b[p]) {
        p += 1;
    }
    raw.op = sub(data, 0, p);
    let s0 = p;
    while p < n && is_scan_space(b[p]) {
        p += 1;
    }
    raw.sep = sub(data, s0, p);
    let num_start = p < n && (b[p].is_ascii_digit() || matches!(b[p], b'*' | b'x' | b'X'));
    if s0 == p && !num_start {
        // Terraform's scanner records an empty separator that is cut short
        // by an unexpected byte using the operator's start position, so the
        // separator then reads as the operator text itself (this is how
        // `=v1` ends up reported as too many spaces after "=").
        raw.sep = raw.op.clone();
    }
    loop {
        let start = p;
        if p < n && b[p].is_ascii_digit() {
            while p < n && b[p].is_ascii_digit() {
                p += 1;
            }
        } else if p < n && matches!(b[p], b'*' | b'x' | b'X') {
            p += 1;
        } else {
            return (raw, p);
        }
        if raw.num_ct < 3 {
            raw.nums[raw.num_ct] = sub(data, start, p);
        }
        raw.num_ct += 1;
        if p < n && b[p] == b'.' {
            p += 1;
            continue;
        }
        break;
    }
    if p < n && b[p] == b'-' {
        p += 1;
        let q = p;
        while p < n && is_extra_byte(b[p]) {
            p += 1;
        }
        if p == q {
            return (raw, p);
        }
        raw.pre = sub(data, q, p);
    }
    if p < n && b[p] == b'+' {
        p += 1;
        let q = p;
        while p < n && is_extra_byte(b[p]) {
            p += 1;
        }
        if p == q {
            return (raw, p);
        }
        raw.meta = sub(data, q, p);
    }
    (raw, p)
}

/// A parse failure with the byte offset (relative to the parsed string) of
/// the item that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PError {
    pub message: String,
    pub offset: usize,
}

const NUM_NAMES: [&str; 3] = ["major", "minor", "patch"];

fn is_wildcard(s: &str) -> bool {
    matches!(s, "*" | "x" | "X")
}

fn raw_to_version(raw: &Raw) -> Result<PVersion, String> {
    let mut nums = [0u64; 3];
    for (i, s) in raw.nums.iter().enumerate() {
        if s.is_empty() {
            continue;
        }
        nums[i] = s
            .parse::<u64>()
            .map_err(|_| format!("{} number {} is too large", NUM_NAMES[i], s))?;
    }
    Ok(PVersion {
        major: nums[0],
        minor: nums[1],
        patch: nums[2],
        pre: raw.pre.clone(),
        meta: raw.meta.clone(),
    })
}

/// Parses one item from the start of `s`; returns it with the unconsumed rest.
fn parse_item(s: &str) -> (Result<Selection, String>, usize) {
    let (raw, end) = scan(s);
    let op = match raw.op.as_str() {
        "" | "=" => POp::Eq,
        "!=" => POp::Ne,
        ">" => POp::Gt,
        ">=" => POp::Ge,
        "<" => POp::Lt,
        "<=" => POp::Le,
        "~>" => {
            if raw.num_ct == 3 {
                POp::PatchOnly
            } else {
                POp::MinorOnly
            }
        }
        "=<" => {
            return (
                Err(format!(
                    "invalid constraint operator {}; did you mean \"<=\"?",
                    go_quote(&raw.op)
                )),
                end,
            )
        }
        "=>" => {
            return (
                Err(format!(
                    "invalid constraint operator {}; did you mean \">=\"?",
                    go_quote(&raw.op)
                )),
                end,
            )
        }
        other => {
            return (
                Err(format!("invalid constraint operator {}", go_quote(other))),
                end,
            )
        }
    };
    if !raw.sep.is_empty() {
        if raw.op.is_empty() {
            return (
                Err("extraneous spaces at start of specification".into()),
                end,
            );
        }
        if raw.sep != " " {
            return (
                Err(format!(
                    "only one space is expected after the operator {}",
                    go_quote(&raw.op)
                )),
                end,
            );
        }
    }
    if raw.num_ct > 3 {
        return (
            Err("too many numbered portions; only three are allowed (major, minor, patch)".into()),
            end,
        );
    }
    for (i, n) in raw.nums.iter().enumerate() {
        if is_wildcard(n) {
            return (
                Err(format!(
                    "can't use wildcard for {} number; omit segments that should be unconstrained",
                    NUM_NAMES[i]
                )),
                end,
            );
        }
    }
    match raw_to_version(&raw) {
        Ok(bound) => (Ok(Selection { op, bound }), end),
        Err(e) => (Err(e), end),
    }
}

fn trim_start_len(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// Parses a comma-joined provider constraint string the way Terraform's
/// provider installer does. An all-blank string yields an empty list.
pub(crate) fn parse_multi(input: &str) -> Result<Vec<Selection>, PError> {
    let mut out = Vec::new();
    let mut pos = trim_start_len(input);
    let mut remain = input.trim();
    while !remain.is_empty() {
        let (res, end) = parse_item(remain);
        let consumed = &remain[..end];
        let sel = res.map_err(|e| PError {
            message: format!("invalid specification {}: {}", go_quote(consumed), e),
            offset: pos,
        })?;
        let rest = &remain[end..];
        let skip = trim_start_len(rest);
        let rest_trim = rest.trim();
        if !rest_trim.is_empty() {
            if rest_trim.starts_with('v') {
                return Err(PError {
                    message: "a \"v\" prefix should not be used".into(),
                    offset: pos + end + skip,
                });
            }
            if !rest_trim.starts_with(',') {
                return Err(PError {
                    message: format!("missing comma after {}", go_quote(consumed)),
                    offset: pos + end + skip,
                });
            }
            let after = &rest_trim[1..];
            pos += end + skip + 1 + trim_start_len(after);
            remain = after.trim();
        } else {
            remain = rest_trim;
        }
        out.push(sel);
    }
    // Kept in the model for the whole run; most hold one or two.
    out.shrink_to_fit();
    Ok(out)
}

/// Parses one exact version as Terraform does for provider versions given on
/// the command line or in the lock file (missing numbers become zero).
pub(crate) fn parse_exact(vs: &str) -> Result<PVersion, String> {
    if vs.trim().is_empty() {
        return Err("empty specification".into());
    }
    let (raw, end) = scan(vs);
    match raw.op.trim() {
        ">" | ">=" | "<" | "<=" | "!" | "!=" | "~>" | "^" | "~" => {
            return Err(format!(
                "can't use constraint operator {}; an exact version is required",
                go_quote(&raw.op)
            ))
        }
        "" => {
            if !raw.sep.is_empty() {
                return Err("extraneous spaces at start of specification".into());
            }
        }
        _ => {
            return Err(format!(
                "invalid sequence {} at start of specification",
                go_quote(&raw.op)
            ))
        }
    }
    let remain = &vs[end..];
    if !remain.is_empty() {
        let r = remain.trim();
        return Err(if r.is_empty() {
            "extraneous spaces at end of specification".into()
        } else if vs.starts_with('v') {
            "a \"v\" prefix should not be used".into()
        } else if r.starts_with(',') || r.starts_with('|') {
            "can't specify multiple versions; a single exact version is required".into()
        } else if r.starts_with('-') {
            "can't specify version range; a single exact version is required".into()
        } else if vs.trim().starts_with(r) {
            "invalid specification; required format is three positive integers separated by periods"
                .into()
        } else {
            format!("invalid characters {}", go_quote(r))
        });
    }
    if raw.num_ct > 3 {
        return Err(
            "too many numbered portions; only three are allowed (major, minor, patch)".into(),
        );
    }
    for (i, n) in raw.nums.iter().enumerate() {
        if is_wildcard(n) {
            return Err(format!(
                "can't use wildcard for {} number; an exact version is required",
                NUM_NAMES[i]
            ));
        }
    }
    raw_to_version(&raw)
}

/// The exact version named by a module `version` string when it is a single
/// exact selection in the registry-style syntax (`1.0.0-beta` or
/// `=1.0.0-beta`, no space after the operator, no commas). Terraform only
/// installs a prerelease module version when it equals this version.
pub(crate) fn canonical_exact_pin(input: &str) -> Option<PVersion> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    let (raw, end) = scan(s);
    if end != s.len() || !(raw.op.is_empty() || raw.op == "=") || !raw.sep.is_empty() {
        return None;
    }
    if raw.num_ct == 0 || raw.num_ct > 3 || raw.nums.iter().any(|n| is_wildcard(n)) {
        return None;
    }
    raw_to_version(&raw).ok()
}
