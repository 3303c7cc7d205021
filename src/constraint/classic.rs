//! Core (`required_version`) and module `version` constraint semantics.
//!
//! Facts reproduced here:
//! - the string is split on every comma; each piece is
//!   `WS* OP WS* VERSION WS*` where WS is space, tab, newline, form feed or
//!   carriage return, OP is nothing, `=`, `!=`, `>`, `>=`, `<`, `<=` or `~>`;
//! - a version may start with `v`, has one or more numeric parts (missing
//!   ones up to three count as zero, more than three are kept), an optional
//!   prerelease (introduced by `-`, or directly by a letter, `-` or `~`) and
//!   optional build metadata which never affects comparisons;
//! - `~>` is pessimistic on the last part given: `~> 1` has no upper bound,
//!   `~> 1.2` stays below 2.0.0, `~> 1.2.3` stays below 1.3.0, and with more
//!   than three parts it never matches a three-part version;
//! - range operators accept a prerelease version only when the constraint
//!   names a prerelease of the very same numbers.

use std::cmp::Ordering;

/// A version in the core/module version model.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct GVersion {
    /// Numeric parts, padded with zeros to at least three.
    pub segs: Vec<u64>,
    /// Number of numeric parts actually written.
    pub si: usize,
    pub pre: String,
    pub meta: String,
}

impl GVersion {
    pub fn from_semver(v: &semver::Version) -> GVersion {
        GVersion {
            segs: vec![v.major, v.minor, v.patch],
            si: 3,
            pre: v.pre.as_str().to_string(),
            meta: v.build.as_str().to_string(),
        }
    }

    fn equal_segments(&self, o: &GVersion) -> bool {
        self.segs == o.segs
    }

    /// Three-way comparison with the same quirks as Terraform's comparison
    /// (parts beyond the shorter version must all be zero to compare equal).
    pub fn compare(&self, o: &GVersion) -> Ordering {
        if self.segs == o.segs && self.pre == o.pre && self.meta == o.meta {
            return Ordering::Equal;
        }
        if self.equal_segments(o) {
            return match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prereleases(&self.pre, &o.pre),
            };
        }
        let n = self.segs.len().max(o.segs.len());
        for i in 0..n {
            if i >= self.segs.len() {
                return if o.segs[i..].iter().all(|&x| x == 0) {
                    Ordering::Equal
                } else {
                    Ordering::Less
                };
            }
            if i >= o.segs.len() {
                return if self.segs[i..].iter().all(|&x| x == 0) {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                };
            }
            match self.segs[i].cmp(&o.segs[i]) {
                Ordering::Equal => continue,
                other => return other,
            }
        }
        Ordering::Equal
    }

    /// Canonical text: numeric parts (padded to three), prerelease, metadata.
    pub fn render_with(&self, nparts: usize) -> String {
        let n = nparts.max(1).min(self.segs.len());
        let mut s = self.segs[..n]
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(".");
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

/// Integer parse with the rules of Go's `strconv.ParseInt(s, 10, 64)`.
fn go_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

fn compare_part(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let ai = go_parse_int(a);
    let bi = go_parse_int(b);
    if a.is_empty() {
        return if bi.is_some() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    if b.is_empty() {
        return if ai.is_some() {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    match (ai, bi) {
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Some(x), Some(y)) => {
            if x > y {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

fn compare_prereleases(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let pa: Vec<&str> = a.split('.').collect();
    let pb: Vec<&str> = b.split('.').collect();
    for i in 0..pa.len().max(pb.len()) {
        let x = pa.get(i).copied().unwrap_or("");
        let y = pb.get(i).copied().unwrap_or("");
        let c = compare_part(x, y);
        if c != Ordering::Equal {
            return c;
        }
    }
    Ordering::Equal
}

/// Operator of one core/module constraint piece.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum GOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Pessimistic,
}

impl GOp {
    fn symbol(self) -> &'static str {
        match self {
            GOp::Eq => "=",
            GOp::Ne => "!=",
            GOp::Gt => ">",
            GOp::Ge => ">=",
            GOp::Lt => "<",
            GOp::Le => "<=",
            GOp::Pessimistic => "~>",
        }
    }
}

/// One parsed piece of a core/module constraint string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Piece {
    pub op: GOp,
    pub ver: GVersion,
    /// The piece exactly as written (between commas).
    pub original: String,
}

fn prerelease_check(v: &GVersion, c: &GVersion) -> bool {
    match (v.pre.is_empty(), c.pre.is_empty()) {
        (false, false) => v.equal_segments(c),
        (false, true) => false,
        _ => true,
    }
}

impl Piece {
    /// Whether version `v` satisfies this piece.
    pub fn check(&self, v: &GVersion) -> bool {
        let c = &self.ver;
        match self.op {
            GOp::Eq => v.compare(c) == Ordering::Equal,
            GOp::Ne => v.compare(c) != Ordering::Equal,
            GOp::Gt => prerelease_check(v, c) && v.compare(c) == Ordering::Greater,
            GOp::Lt => prerelease_check(v, c) && v.compare(c) == Ordering::Less,
            GOp::Ge => prerelease_check(v, c) && v.compare(c) != Ordering::Less,
            GOp::Le => prerelease_check(v, c) && v.compare(c) != Ordering::Greater,
            GOp::Pessimistic => {
                if !prerelease_check(v, c) || (!c.pre.is_empty() && v.pre.is_empty()) {
                    return false;
                }
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                let cs = c.segs.len();
                if cs > v.segs.len() {
                    return false;
                }
                for i in 0..c.si.saturating_sub(1) {
                    if v.segs[i] != c.segs[i] {
                        return false;
                    }
                }
                c.segs[cs - 1] <= v.segs[cs - 1]
            }
        }
    }

    /// Canonical rendering `OP VERSION`; `~>` keeps the number of parts
    /// written, other operators show at least three parts.
    pub fn render(&self) -> String {
        let parts = if self.op == GOp::Pessimistic {
            self.ver.si
        } else {
            self.ver.segs.len()
        };
        format!("{} {}", self.op.symbol(), self.ver.render_with(parts))
    }
}

/// Whitespace as understood by the piece syntax.
fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}' | '\r')
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '~'
}

/// `FIRST ("." IDENT)*` where every later identifier is non-empty.
fn dotted(s: &str, first_ok: impl Fn(&str) -> bool) -> bool {
    let mut it = s.split('.');
    let first = it.next().unwrap_or("");
    first_ok(first) && it.all(|p| !p.is_empty() && p.chars().all(is_ident_char))
}

fn first_numeric(p: &str) -> bool {
    p.starts_with(|c: char| c.is_ascii_digit()) && p.chars().all(is_ident_char)
}

fn first_alpha(p: &str) -> bool {
    p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '~')
        && p.chars().all(is_ident_char)
}

/// Parses a version in the core/module syntax.
pub(crate) fn parse_version(s: &str) -> Result<GVersion, String> {
    let body = s.strip_prefix('v').unwrap_or(s);
    let num_end = {
        let b = body.as_bytes();
        let mut i = 0;
        loop {
            let st = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == st {
                return Err(format!("malformed version: {s}"));
            }
            if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
                i += 1;
                continue;
            }
            break i;
        }
    };
    let nums = &body[..num_end];
    let rest = &body[num_end..];
    let (pre_part, meta_part) = match rest.find('+') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let pre = if pre_part.is_empty() {
        String::new()
    } else if let Some(after) = pre_part
        .strip_prefix('-')
        .filter(|a| dotted(a, first_numeric))
    {
        after.to_string()
    } else if let Some(after) = pre_part
        .strip_prefix('-')
        .filter(|a| dotted(a, first_alpha))
    {
        after.to_string()
    } else if dotted(pre_part, first_alpha) {
        pre_part.to_string()
    } else {
        return Err(format!("malformed version: {s}"));
    };
    let meta = match meta_part {
        None => String::new(),
        Some(m) => {
            if dotted(m, |p| !p.is_empty() && p.chars().all(is_ident_char)) {
                m.to_string()
            } else {
                return Err(format!("malformed version: {s}"));
            }
        }
    };
    let mut segs = Vec::new();
    for part in nums.split('.') {
        match part.parse::<i64>() {
            Ok(x) => segs.push(x as u64),
            Err(_) => return Err(format!("version part {part} is out of range")),
        }
    }
    let si = segs.len();
    while segs.len() < 3 {
        segs.push(0);
    }
    Ok(GVersion {
        segs,
        si,
        pre,
        meta,
    })
}

/// Parses one comma-separated piece.
fn parse_piece(piece: &str) -> Result<Piece, String> {
    let t = piece.trim_matches(is_ws);
    let (op, rest) = if let Some(r) = t.strip_prefix(">=") {
        (GOp::Ge, r)
    } else if let Some(r) = t.strip_prefix("<=") {
        (GOp::Le, r)
    } else if let Some(r) = t.strip_prefix("!=") {
        (GOp::Ne, r)
    } else if let Some(r) = t.strip_prefix("~>") {
        (GOp::Pessimistic, r)
    } else if let Some(r) = t.strip_prefix('>') {
        (GOp::Gt, r)
    } else if let Some(r) = t.strip_prefix('<') {
        (GOp::Lt, r)
    } else if let Some(r) = t.strip_prefix('=') {
        (GOp::Eq, r)
    } else {
        (GOp::Eq, t)
    };
    let ver = parse_version(rest.trim_start_matches(is_ws))
        .map_err(|_| format!("malformed constraint: {piece}"))?;
    Ok(Piece {
        op,
        ver,
        original: piece.to_string(),
    })
}

/// Parses a whole core/module constraint string; returns the byte offset of
/// the failing piece on error.
pub(crate) fn parse(input: &str) -> Result<Vec<Piece>, (String, usize)> {
    let mut out = Vec::new();
    let mut off = 0;
    for piece in input.split(',') {
        out.push(parse_piece(piece).map_err(|e| (e, off))?);
        off += piece.len() + 1;
    }
    // Kept in the model for the whole run; most hold one or two.
    out.shrink_to_fit();
    Ok(out)
}
