//! Terraform version constraints, reproduced exactly.
//!
//! Terraform has two constraint languages:
//!
//! - [`Kind::Provider`]: `required_providers` version strings. The string must
//!   be accepted by both of Terraform's parsers (the general one, then the
//!   provider one), and versions are selected with the provider rules:
//!   `~> 1` and `~> 1.2` stay below `2.0.0`, partial versions are zero-filled
//!   exact versions, and prereleases are only chosen when named exactly with
//!   `=` (or no operator).
//! - [`Kind::Core`] (`required_version`) and [`Kind::Module`] (module
//!   `version`): the general parser, where `~>` is pessimistic on the last
//!   part written (`~> 1` has no upper bound), `v` prefixes and extra
//!   whitespace are accepted and versions may have more than three parts.
//!   `Core` rejects any prerelease in the constraint and compares only the
//!   version core of the Terraform version; `Module` only installs a
//!   prerelease module version when the whole constraint string is that exact
//!   version written without a space after the operator.
//!
//! [`Constraints::intersect`] combines the constraints of several modules:
//! provider constraints are concatenated (exactly what Terraform does before
//! selecting a provider version and writing the lock file), core and module
//! constraints must each hold.

mod classic;
mod provider;
mod quote;
pub mod repair;
pub mod report;

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use classic::{GVersion, Piece};
use provider::{PVersion, Selection};

/// Which Terraform constraint language a string is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A provider `version` in `required_providers`.
    Provider,
    /// The `required_version` of a `terraform` block.
    Core,
    /// The `version` argument of a registry module call.
    Module,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Provider => "provider",
            Kind::Core => "core",
            Kind::Module => "module",
        })
    }
}

impl std::str::FromStr for Kind {
    type Err = ConstraintError;

    /// Parses `provider`, `core` or `module`.
    fn from_str(s: &str) -> Result<Kind, ConstraintError> {
        match s {
            "provider" => Ok(Kind::Provider),
            "core" => Ok(Kind::Core),
            "module" => Ok(Kind::Module),
            _ => Err(ConstraintError::new(
                format!("unknown constraint kind {s:?}; expected provider, core or module"),
                None,
            )),
        }
    }
}

/// A constraint or version that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConstraintError {
    /// What is wrong, in Terraform's words where Terraform has some
    /// (lowercase start, no trailing period).
    pub message: String,
    /// Byte offset in the input of the part that failed, when known.
    pub offset: Option<usize>,
}

impl ConstraintError {
    fn new(message: impl Into<String>, offset: Option<usize>) -> ConstraintError {
        ConstraintError {
            message: message.into(),
            offset,
        }
    }
}

impl fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConstraintError {}

/// Message Terraform gives for any string its general parser rejects.
const GENERAL_SYNTAX: &str = "this string does not use correct version constraint syntax";

/// One module's core/module constraint string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Group {
    pieces: Vec<Piece>,
    /// For [`Kind::Module`]: the only prerelease version that may be installed.
    pin: Option<PVersion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Inner {
    Provider(Vec<Selection>),
    Classic(Vec<Group>),
}

/// A parsed constraint set: one constraint string, or the combination of
/// several with [`Constraints::intersect`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Constraints {
    kind: Kind,
    inner: Inner,
    /// What is worked out from the set, once: several rules ask the same
    /// set for its bounds. Not part of the set's identity.
    memo: Memo,
}

/// Answers computed from a constraint set, each the first time it is asked.
///
/// The bounds are boxed: the model holds a set for every constraint
/// written, and most are never asked.
#[derive(Clone, Default)]
struct Memo {
    bounds: OnceLock<Box<Bounds>>,
    satisfiable: OnceLock<bool>,
}

#[derive(Clone)]
struct Bounds {
    lower: Option<semver::Version>,
    upper: Option<(semver::Version, bool)>,
    bounded: bool,
}

impl PartialEq for Memo {
    fn eq(&self, _: &Memo) -> bool {
        true
    }
}

impl Eq for Memo {}

impl std::hash::Hash for Memo {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl fmt::Debug for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("..")
    }
}

/// Parses a constraint string of the given kind, with Terraform's acceptance
/// rules and error messages.
///
/// An all-whitespace string is rejected for every kind (Terraform rejects an
/// empty `version`/`required_version` string).
pub fn parse(kind: Kind, input: &str) -> Result<Constraints, ConstraintError> {
    let pieces = classic::parse(input)
        .map_err(|(_, off)| ConstraintError::new(GENERAL_SYNTAX, Some(off)))?;
    match kind {
        Kind::Provider => {
            let sels = provider::parse_multi(input).map_err(|e| {
                ConstraintError::new(
                    format!("incorrect version constraint syntax: {}", e.message),
                    Some(e.offset),
                )
            })?;
            Ok(Constraints {
                kind,
                inner: Inner::Provider(sels),
                memo: Memo::default(),
            })
        }
        Kind::Core => {
            let mut off = 0;
            for p in &pieces {
                if !p.ver.pre.is_empty() {
                    return Err(ConstraintError::new(
                        format!(
                            "prerelease version constraints are not supported: {}. Remove the prerelease information from the constraint. Prerelease versions of terraform will match constraints using their version core only",
                            p.original
                        ),
                        Some(off),
                    ));
                }
                off += p.original.len() + 1;
            }
            Ok(Constraints {
                kind,
                inner: Inner::Classic(vec![Group { pieces, pin: None }]),
                memo: Memo::default(),
            })
        }
        Kind::Module => {
            let pin = provider::canonical_exact_pin(input);
            Ok(Constraints {
                kind,
                inner: Inner::Classic(vec![Group { pieces, pin }]),
                memo: Memo::default(),
            })
        }
    }
}

/// Parses a concrete version as a user would type it for the given kind
/// (e.g. on the command line): provider versions use the strict provider
/// syntax (missing parts become zero, no `v` prefix); core and module versions
/// accept a `v` prefix and omitted parts. Versions that cannot be represented
/// with three numeric parts are rejected.
pub fn parse_version(kind: Kind, input: &str) -> Result<semver::Version, ConstraintError> {
    let unrepresentable = |why: &str| {
        ConstraintError::new(format!("version {input:?} cannot be used: {why}"), Some(0))
    };
    match kind {
        Kind::Provider => {
            let v = provider::parse_exact(input).map_err(|e| {
                ConstraintError::new(format!("invalid version {input:?}: {e}"), Some(0))
            })?;
            to_semver(v.major, v.minor, v.patch, &v.pre, &v.meta).map_err(|e| unrepresentable(&e))
        }
        Kind::Core | Kind::Module => {
            let v = classic::parse_version(input).map_err(|e| {
                ConstraintError::new(format!("invalid version {input:?}: {e}"), Some(0))
            })?;
            if v.segs.len() > 3 && v.segs[3..].iter().any(|&x| x != 0) {
                return Err(unrepresentable("it has more than three numeric parts"));
            }
            to_semver(v.segs[0], v.segs[1], v.segs[2], &v.pre, &v.meta)
                .map_err(|e| unrepresentable(&e))
        }
    }
}

fn to_semver(
    major: u64,
    minor: u64,
    patch: u64,
    pre: &str,
    meta: &str,
) -> Result<semver::Version, String> {
    let pre = semver::Prerelease::new(pre).map_err(|e| format!("prerelease {pre:?}: {e}"))?;
    let build =
        semver::BuildMetadata::new(meta).map_err(|e| format!("build metadata {meta:?}: {e}"))?;
    Ok(semver::Version {
        major,
        minor,
        patch,
        pre,
        build,
    })
}

fn pv_to_semver(v: &PVersion) -> Option<semver::Version> {
    to_semver(v.major, v.minor, v.patch, &v.pre, &v.meta).ok()
}

fn core_of(v: &PVersion) -> PVersion {
    PVersion {
        major: v.major,
        minor: v.minor,
        patch: v.patch,
        pre: String::new(),
        meta: String::new(),
    }
}

fn bump(v: &PVersion, level: usize) -> PVersion {
    let mut c = core_of(v);
    match level {
        0 => {
            c.major = c.major.saturating_add(1);
            c.minor = 0;
            c.patch = 0;
        }
        1 => {
            c.minor = c.minor.saturating_add(1);
            c.patch = 0;
        }
        _ => c.patch = c.patch.saturating_add(1),
    }
    c
}

/// Total order on candidate versions used for bound computations.
fn cand_cmp(a: &semver::Version, b: &semver::Version) -> Ordering {
    PVersion::from_semver(a)
        .precedence(&PVersion::from_semver(b))
        .then_with(|| a.build.as_str().cmp(b.build.as_str()))
}

impl Constraints {
    /// The empty constraint set of the given kind, accepting what Terraform
    /// accepts when no version argument is given at all (for providers: any
    /// release, no prerelease, never `0.0.0`; its normalized form is empty).
    pub fn unconstrained(kind: Kind) -> Constraints {
        let inner = match kind {
            Kind::Provider => Inner::Provider(Vec::new()),
            Kind::Core | Kind::Module => Inner::Classic(Vec::new()),
        };
        Constraints {
            kind,
            inner,
            memo: Memo::default(),
        }
    }

    /// The constraint language of this set.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Whether Terraform would accept version `v` under this constraint set.
    ///
    /// - Provider: the provider installer's rule (a prerelease only when named
    ///   exactly with `=`; `0.0.0` never).
    /// - Core: `v` is compared by its version core, as Terraform does with its
    ///   own version (a `1.12.0-beta1` build is checked as `1.12.0`).
    /// - Module: the module installer's rule (a prerelease only when the
    ///   constraint string is exactly that version).
    pub fn matches(&self, v: &semver::Version) -> bool {
        match &self.inner {
            Inner::Provider(sels) => provider::matches(sels, &PVersion::from_semver(v)),
            Inner::Classic(groups) => {
                let mut gv = GVersion::from_semver(v);
                if self.kind == Kind::Core {
                    gv.pre.clear();
                    gv.meta.clear();
                }
                let pv = PVersion::from_semver(v);
                groups.iter().all(|g| {
                    g.pieces.iter().all(|p| p.check(&gv))
                        && (self.kind != Kind::Module
                            || pv.pre.is_empty()
                            || g.pin.as_ref() == Some(&pv))
                })
            }
        }
    }

    /// The combination of `self` and `other`, as when two modules constrain
    /// the same provider (or both declare `required_version`).
    ///
    /// Provider constraints are concatenated exactly as Terraform merges
    /// them, so a prerelease named with `=` by one module becomes selectable
    /// even if the other module only has ranges; for every other version the
    /// result accepts exactly what both accept. Core and module sets accept
    /// what both accept. Both sets must have the same kind: a set of another
    /// syntax family (provider vs core/module) is ignored and `self` returned.
    ///
    /// A part already in `self` is not added again: requiring the same
    /// thing twice changes nothing, and a tree of hundreds of modules that
    /// all write `~> 5.0` stays one selection instead of hundreds.
    pub fn intersect(&self, other: &Constraints) -> Constraints {
        let mut out = self.clone();
        out.intersect_with(other);
        out
    }

    /// [`Constraints::intersect`] in place: adds what `other` requires to
    /// this set, without copying what is already here.
    pub fn intersect_with(&mut self, other: &Constraints) {
        fn union<T: Clone + PartialEq>(into: &mut Vec<T>, from: &[T]) {
            for x in from {
                if !into.contains(x) {
                    into.push(x.clone());
                }
            }
        }
        match (&mut self.inner, &other.inner) {
            (Inner::Provider(a), Inner::Provider(b)) => union(a, b),
            (Inner::Classic(a), Inner::Classic(b)) => union(a, b),
            // Mixed kinds are a caller error; keep the stricter reading by
            // leaving the set unchanged rather than panicking.
            _ => return,
        }
        self.memo = Memo::default();
    }

    /// Versions whose acceptance decides everything: between two neighbouring
    /// candidates (in precedence order) every release without build metadata
    /// is accepted or rejected like the lower neighbour.
    fn candidates(&self, with_meta_variants: bool) -> Vec<semver::Version> {
        let mut points: Vec<PVersion> = Vec::new();
        match &self.inner {
            Inner::Provider(sels) => {
                for s in sels {
                    points.push(s.bound.clone());
                    if let Some(u) = s.pessimistic_upper() {
                        points.push(u);
                    }
                }
            }
            Inner::Classic(groups) => {
                for g in groups {
                    for p in &g.pieces {
                        points.push(PVersion {
                            major: p.ver.segs[0],
                            minor: p.ver.segs[1],
                            patch: p.ver.segs[2],
                            pre: p.ver.pre.clone(),
                            meta: p.ver.meta.clone(),
                        });
                    }
                    if let Some(pin) = &g.pin {
                        points.push(pin.clone());
                    }
                }
            }
        }
        let zero = PVersion {
            major: 0,
            minor: 0,
            patch: 0,
            pre: String::new(),
            meta: String::new(),
        };
        let mut all: Vec<PVersion> = vec![zero.clone(), bump(&zero, 2), bump(&zero, 0)];
        for p in &points {
            all.push(p.clone());
            all.push(core_of(p));
            for level in 0..3 {
                all.push(bump(p, level));
            }
        }
        let top = all.iter().map(|p| p.major).max().unwrap_or(0);
        all.push(bump(
            &PVersion {
                major: top,
                ..zero.clone()
            },
            0,
        ));
        if with_meta_variants {
            let used: Vec<String> = points.iter().map(|p| p.meta.clone()).collect();
            let tag = (0..)
                .map(|i| format!("m{i}"))
                .find(|t| !used.contains(t))
                .unwrap_or_else(|| "m".into());
            let cores: Vec<PVersion> = all.iter().map(core_of).collect();
            for c in cores {
                all.push(PVersion {
                    meta: tag.clone(),
                    ..c
                });
            }
        }
        let mut out: Vec<semver::Version> = all.iter().filter_map(pv_to_semver).collect();
        out.sort_by(cand_cmp);
        out.dedup();
        out
    }

    /// Whether any version at all (released, prerelease or with build
    /// metadata) is accepted.
    pub fn is_satisfiable(&self) -> bool {
        *self
            .memo
            .satisfiable
            .get_or_init(|| self.candidates(true).iter().any(|v| self.matches(v)))
    }

    /// Whether the set has an upper bound, i.e. arbitrarily large versions are
    /// not accepted. Exact pins and unsatisfiable sets are bounded.
    pub fn is_bounded(&self) -> bool {
        self.bounds().bounded
    }

    /// The least accepted version without build metadata, or `None` when no
    /// such version exists. A set with no lower limit yields `0.0.0` (for
    /// providers `0.0.1`, since Terraform never selects `0.0.0`).
    pub fn lower(&self) -> Option<semver::Version> {
        self.bounds().lower.clone()
    }

    /// The upper limit of the accepted versions without build metadata:
    /// `(v, false)` means "below v", `(v, true)` means "at most v". `None`
    /// when unbounded or unsatisfiable.
    pub fn upper(&self) -> Option<(semver::Version, bool)> {
        self.bounds().upper.clone()
    }

    /// The lower and upper limits, worked out together from one list of
    /// candidates, once per set.
    fn bounds(&self) -> &Bounds {
        self.memo.bounds.get_or_init(|| {
            let c = self.candidates(false);
            let accepted: Vec<bool> = c.iter().map(|v| self.matches(v)).collect();
            let lower = c
                .iter()
                .zip(&accepted)
                .find(|(_, a)| **a)
                .map(|(v, _)| v.clone());
            let bounded = !accepted.last().copied().unwrap_or(false);
            let upper = if !bounded || c.is_empty() {
                None
            } else {
                accepted.iter().rposition(|a| *a).map(|i| {
                    let m = &c[i];
                    let next = &c[i + 1];
                    if m.pre.is_empty() && m.build.is_empty() {
                        let succ =
                            semver::Version::new(m.major, m.minor, m.patch.saturating_add(1));
                        if cand_cmp(&succ, next) == Ordering::Less {
                            return (next.clone(), false);
                        }
                    }
                    (m.clone(), true)
                })
            };
            Box::new(Bounds {
                lower,
                upper,
                bounded,
            })
        })
    }

    /// The canonical string. For providers this is exactly the `constraints`
    /// string Terraform writes in `.terraform.lock.hcl` (de-duplicated,
    /// zero-filled, sorted by version then operator, joined with ", ").
    /// For core/module sets: each piece as `OP VERSION` with an explicit
    /// operator, duplicates removed, in input order, joined with ", " (a
    /// module's exact prerelease pin is kept as a bare version so it keeps
    /// its meaning).
    pub fn normalized(&self) -> String {
        match &self.inner {
            Inner::Provider(sels) => provider::normalized(sels),
            Inner::Classic(groups) => {
                let mut parts: Vec<String> = Vec::new();
                for g in groups {
                    for p in &g.pieces {
                        let r = p.render();
                        if !parts.contains(&r) {
                            parts.push(r);
                        }
                    }
                }
                if self.kind == Kind::Module && groups.len() == 1 && parts.len() == 1 {
                    let g = &groups[0];
                    if let (Some(pin), [p]) = (&g.pin, g.pieces.as_slice()) {
                        if p.op == classic::GOp::Eq && !pin.pre.is_empty() {
                            return pin.render();
                        }
                    }
                }
                parts.join(", ")
            }
        }
    }

    /// The version Terraform would pick from `versions`: the highest accepted
    /// one. Among versions equal except for build metadata, providers pick
    /// the last listed, core/module the first listed.
    pub fn select<'a>(&self, versions: &'a [semver::Version]) -> Option<&'a semver::Version> {
        let mut best: Option<&semver::Version> = None;
        for v in versions.iter().filter(|v| self.matches(v)) {
            best = match best {
                None => Some(v),
                Some(b) => {
                    let ord = match self.kind {
                        Kind::Provider => {
                            PVersion::from_semver(v).precedence(&PVersion::from_semver(b))
                        }
                        _ => GVersion::from_semver(v).compare(&GVersion::from_semver(b)),
                    };
                    let replace = match self.kind {
                        Kind::Provider => ord != Ordering::Less,
                        _ => ord == Ordering::Greater,
                    };
                    Some(if replace { v } else { b })
                }
            };
        }
        best
    }
}

impl fmt::Display for Constraints {
    /// Same as [`Constraints::normalized`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized())
    }
}

#[cfg(test)]
mod tests;
