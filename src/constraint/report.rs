//! Data behind `tfpin constraint [--kind provider|core|module] CONSTRAINT [VERSION]...`.

use serde::Serialize;

use super::{parse, parse_version, Kind};

/// A candidate version given on the command line that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InvalidVersion {
    /// The text as given.
    pub version: String,
    /// Why it was rejected.
    pub error: String,
}

/// Everything the `constraint` command reports about one constraint string
/// and a list of candidate versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The constraint language used.
    pub kind: Kind,
    /// The constraint string as given.
    pub constraint: String,
    /// Whether Terraform accepts the constraint string.
    pub valid: bool,
    /// The parse error when not valid.
    pub error: Option<String>,
    /// Canonical form (the lock-file string for providers).
    pub normalized: Option<String>,
    /// Whether the accepted versions have an upper limit.
    pub bounded: Option<bool>,
    /// The least accepted version (see [`super::Constraints::lower`]).
    pub lower: Option<String>,
    /// The upper limit version (see [`super::Constraints::upper`]); whether
    /// it is inclusive is given in [`explain_text`].
    pub upper: Option<String>,
    /// The given versions that are accepted, in input order.
    pub matches: Vec<String>,
    /// The version Terraform would choose among the given ones.
    pub selected: Option<String>,
    /// Given versions that could not be parsed; omitted from JSON when empty.
    /// Any entry here makes [`exit_code`] return 2.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_versions: Vec<InvalidVersion>,
    /// Whether any candidate version was given (not serialized).
    #[serde(skip)]
    pub versions_given: bool,
}

/// Evaluates `constraint` of the given kind against `versions`.
///
/// Versions that do not parse are listed in `invalid_versions` (and make the
/// exit code 2); the others are still evaluated.
pub fn report(kind: Kind, constraint: &str, versions: &[String]) -> Report {
    let mut r = Report {
        kind,
        constraint: constraint.to_string(),
        valid: false,
        error: None,
        normalized: None,
        bounded: None,
        lower: None,
        upper: None,
        matches: Vec::new(),
        selected: None,
        invalid_versions: Vec::new(),
        versions_given: !versions.is_empty(),
    };
    let mut parsed = Vec::new();
    let mut texts = Vec::new();
    for v in versions {
        match parse_version(kind, v) {
            Ok(p) => {
                parsed.push(p);
                texts.push(v.clone());
            }
            Err(e) => r.invalid_versions.push(InvalidVersion {
                version: v.clone(),
                error: e.message,
            }),
        }
    }
    let c = match parse(kind, constraint) {
        Ok(c) => c,
        Err(e) => {
            r.error = Some(e.message);
            return r;
        }
    };
    r.valid = true;
    r.normalized = Some(c.normalized());
    r.bounded = Some(c.is_bounded());
    r.lower = c.lower().map(|v| v.to_string());
    r.upper = c.upper().map(|(v, _)| v.to_string());
    for (p, t) in parsed.iter().zip(&texts) {
        if c.matches(p) {
            r.matches.push(t.clone());
        }
    }
    r.selected = c
        .select(&parsed)
        .and_then(|s| parsed.iter().position(|p| std::ptr::eq(p, s)))
        .map(|i| texts[i].clone());
    r
}

/// Process exit code for a report: 2 when the constraint or a given version
/// is invalid, 1 when versions were given and none is accepted, else 0.
pub fn exit_code(r: &Report) -> u8 {
    if !r.valid || !r.invalid_versions.is_empty() {
        2
    } else if !r.versions_given || !r.matches.is_empty() {
        0
    } else {
        1
    }
}

/// Human-readable explanation of a report, one statement per line.
pub fn explain_text(r: &Report) -> String {
    let mut out = Vec::new();
    out.push(format!("{} constraint {:?}", r.kind, r.constraint));
    match parse(r.kind, &r.constraint) {
        Err(e) => out.push(format!("invalid: {}", e.message)),
        Ok(c) => {
            out.push(format!("normalized: {}", c.normalized()));
            if !c.is_satisfiable() {
                out.push("no version can satisfy this constraint".into());
            } else {
                let mut range = Vec::new();
                let exact = match (c.lower(), c.upper()) {
                    (Some(l), Some((u, true))) if l == u => Some(l),
                    _ => None,
                };
                if let Some(l) = c.lower() {
                    // The least possible version is not worth stating.
                    let floor = match r.kind {
                        Kind::Provider => semver::Version::new(0, 0, 1),
                        Kind::Core | Kind::Module => semver::Version::new(0, 0, 0),
                    };
                    if l != floor || c.upper().is_some_and(|(u, inclusive)| inclusive && u == l) {
                        range.push(format!("at least {l}"));
                    }
                }
                match c.upper() {
                    Some((u, true)) => range.push(format!("at most {u}")),
                    Some((u, false)) => range.push(format!("below {u}")),
                    None => {}
                }
                if let Some(x) = exact {
                    out.push(format!("allows exactly {x}"));
                } else if range.is_empty() {
                    if c.lower().is_some() {
                        out.push("allows versions with no lower or upper limit".into());
                    } else {
                        out.push("allows only versions with build metadata".into());
                    }
                } else {
                    out.push(format!("allows versions {}", range.join(" and ")));
                }
                out.push(if c.is_bounded() {
                    "bounded: yes".into()
                } else {
                    "bounded: no, any newer version is allowed".into()
                });
            }
        }
    }
    for bad in &r.invalid_versions {
        // The error names the version.
        out.push(bad.error.clone());
    }
    if r.valid && r.versions_given {
        if r.matches.is_empty() {
            out.push("no given version matches".into());
        } else {
            out.push(format!("matching: {}", r.matches.join(", ")));
        }
        if let Some(s) = &r.selected {
            out.push(format!("terraform would select {s}"));
        }
    }
    out.join("\n")
}
