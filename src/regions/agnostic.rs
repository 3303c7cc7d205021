//! Resource types that do not run in a region: global services (IAM,
//! Organizations, Route 53, CloudFront, Google's resource hierarchy, Azure
//! role assignments) and data sources that call no regional service
//! (`aws_iam_policy_document`, `aws_caller_identity`).
//!
//! The facts live in `rules/data/region-agnostic-resources.txt`, one type
//! or prefix of types a line, compiled into the binary and parsed once, on
//! first use. Rules ask [`is_region_agnostic`] whether something relies on
//! where its provider configuration runs, and the region sites ask
//! [`type_region`] whether a type has a region argument at all.

use super::DataError;
use crate::HashMap;
use std::sync::OnceLock;

const FILE: &str = "region-agnostic-resources.txt";

const DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/region-agnostic-resources.txt"
));

/// Where the resources of a type run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeScope {
    /// Once per account, organisation or partition, whatever region the
    /// configuration names.
    Global,
    /// Nowhere: the provider computes it without calling a service.
    Offline,
    /// In a region: an exception to a broader prefix.
    Regional,
}

impl TypeScope {
    fn parse(s: &str) -> Option<TypeScope> {
        match s {
            "global" => Some(TypeScope::Global),
            "offline" => Some(TypeScope::Offline),
            "regional" => Some(TypeScope::Regional),
            _ => None,
        }
    }
}

/// Whether a type has an argument of its own that says where it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionArgument {
    /// None: AWS provider v6 gives global types no per-resource `region`,
    /// and the Google and Azure types listed take no `region` or
    /// `location`.
    None,
    /// AWS provider v6's per-resource `region`.
    Own,
}

/// What the catalog says about a type: the entry that applies to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRegion {
    /// The entry as written: `aws_iam_*`, `data.aws_caller_identity`.
    pub pattern: String,
    pub scope: TypeScope,
    pub region_argument: RegionArgument,
}

impl TypeRegion {
    /// Whether the type runs in no region.
    pub fn is_agnostic(&self) -> bool {
        self.scope != TypeScope::Regional
    }
}

/// The kinds of block the catalog distinguishes, by their keyword.
const KINDS: [(&str, &str); 3] = [
    ("resource", ""),
    ("data", "data."),
    ("ephemeral", "ephemeral."),
];

/// The parsed catalog: exact types, and prefixes of types.
#[derive(Debug, Default)]
pub struct TypeCatalog {
    entries: Vec<TypeRegion>,
    /// (block keyword, type) → entry.
    /// By type name, then keyword: looked up without allocating.
    exact: HashMap<String, Vec<(&'static str, usize)>>,
    /// By prefix, then keyword, like `exact`.
    prefixes: HashMap<String, Vec<(&'static str, usize)>>,
    /// The lengths of the prefixes, longest first: a type is matched by
    /// looking up its own first bytes at each.
    prefix_lengths: Vec<usize>,
}

impl TypeCatalog {
    /// Parses the text of a catalog file.
    pub fn parse(text: &str) -> Result<TypeCatalog, DataError> {
        let err = |line, message: String| DataError {
            file: FILE,
            line,
            message,
        };
        let mut cat = TypeCatalog::default();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split(" | ").map(str::trim).collect();
            let [pattern, scope, region] = cols[..] else {
                return Err(err(
                    line_no,
                    format!(
                        "expected 3 columns separated by \" | \", found {}",
                        cols.len()
                    ),
                ));
            };
            let (keyword, rest) = KINDS[1..]
                .iter()
                .find_map(|&(k, p)| pattern.strip_prefix(p).map(|t| (k, t)))
                .unwrap_or(("resource", pattern));
            let (name, is_prefix) = match rest.strip_suffix('*') {
                Some(p) => (p, true),
                None => (rest, false),
            };
            let well_formed = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && name.contains('_')
                && !name.starts_with('_');
            if !well_formed {
                return Err(err(
                    line_no,
                    format!(
                        "`{pattern}` is not a resource type or a prefix of types ending in `*`"
                    ),
                ));
            }
            let scope = TypeScope::parse(scope).ok_or_else(|| {
                err(
                    line_no,
                    format!("scope `{scope}` is not `global`, `offline` or `regional`"),
                )
            })?;
            let region_argument = match region {
                "none" => RegionArgument::None,
                "own" => RegionArgument::Own,
                other => {
                    return Err(err(
                        line_no,
                        format!("region `{other}` is not `none` or `own`"),
                    ))
                }
            };
            if cat.entries.iter().any(|e| e.pattern == pattern) {
                return Err(err(line_no, format!("`{pattern}` is listed twice")));
            }
            let index = cat.entries.len();
            cat.entries.push(TypeRegion {
                pattern: pattern.to_string(),
                scope,
                region_argument,
            });
            let by_name = if is_prefix {
                if !cat.prefix_lengths.contains(&name.len()) {
                    cat.prefix_lengths.push(name.len());
                }
                &mut cat.prefixes
            } else {
                &mut cat.exact
            };
            let kinds = by_name.entry(name.to_string()).or_default();
            kinds.retain(|(k, _)| *k != keyword);
            kinds.push((keyword, index));
        }
        cat.prefix_lengths.sort_by(|a, b| b.cmp(a));
        Ok(cat)
    }

    /// The entry that applies to a type, if any: the type's own, else the
    /// longest prefix of it. `keyword` is the block's keyword: `resource`,
    /// `data` or `ephemeral` (anything else matches nothing).
    pub fn lookup(&self, keyword: &str, type_name: &str) -> Option<&TypeRegion> {
        let keyword = KINDS.iter().find(|(k, _)| *k == keyword)?.0;
        let of_kind = |kinds: &Vec<(&'static str, usize)>| {
            kinds.iter().find(|(k, _)| *k == keyword).map(|(_, i)| *i)
        };
        let exact = self.exact.get(type_name).and_then(of_kind);
        let index = exact.or_else(|| {
            // The longest prefix that matches.
            (self.prefix_lengths.iter())
                .filter_map(|&n| type_name.get(..n))
                .find_map(|start| self.prefixes.get(start).and_then(of_kind))
        })?;
        Some(&self.entries[index])
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[TypeRegion] {
        &self.entries
    }
}

/// The built-in catalog, parsed on first use.
pub fn type_catalog() -> &'static TypeCatalog {
    static CATALOG: OnceLock<TypeCatalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        TypeCatalog::parse(DATA)
            .unwrap_or_else(|e| panic!("built-in catalog of region-agnostic types is invalid: {e}"))
    })
}

/// What the built-in catalog says about a type of block: `keyword` is
/// `resource`, `data` or `ephemeral`.
pub fn type_region(keyword: &str, type_name: &str) -> Option<&'static TypeRegion> {
    type_catalog().lookup(keyword, type_name)
}

/// Whether resources of a type run in no region: a global service, or a
/// data source that calls none. `keyword` is the block's keyword
/// (`resource`, `data`, `ephemeral`).
pub fn is_region_agnostic(keyword: &str, type_name: &str) -> bool {
    type_region(keyword, type_name).is_some_and(TypeRegion::is_agnostic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        TypeCatalog::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_built_in_catalog_parses() {
        assert!(!type_catalog().entries().is_empty());
    }

    #[test]
    fn the_most_specific_entry_wins() {
        let cat = TypeCatalog::parse(
            "# header\n\
             aws_route53_* | global | none\n\
             aws_route53_resolver_* | regional | own\n\
             aws_route53_resolver_special | global | none\n\
             data.aws_route53_zone_* | offline | none\n",
        )
        .unwrap();
        let scope = |t: &str| cat.lookup("resource", t).map(|e| e.scope);
        // A longer prefix for data sources only leaves resources to the
        // shorter one.
        assert_eq!(
            scope("aws_route53_zone_association"),
            Some(TypeScope::Global)
        );
        assert_eq!(
            cat.lookup("data", "aws_route53_zone_x").map(|e| e.scope),
            Some(TypeScope::Offline)
        );
        assert_eq!(scope("aws_route53_zone"), Some(TypeScope::Global));
        assert_eq!(
            scope("aws_route53_resolver_endpoint"),
            Some(TypeScope::Regional)
        );
        assert_eq!(
            scope("aws_route53_resolver_special"),
            Some(TypeScope::Global)
        );
        assert_eq!(scope("aws_route53domains_registered_domain"), None);
        assert_eq!(scope("aws_s3_bucket"), None);
    }

    #[test]
    fn data_sources_and_resources_are_apart() {
        let cat = TypeCatalog::parse(
            "data.aws_caller_identity | global | none\n\
             aws_iam_* | global | none\n\
             ephemeral.azuread_* | global | none\n",
        )
        .unwrap();
        assert!(cat.lookup("data", "aws_caller_identity").is_some());
        assert!(cat.lookup("resource", "aws_caller_identity").is_none());
        assert!(cat.lookup("resource", "aws_iam_role").is_some());
        assert!(cat.lookup("data", "aws_iam_role").is_none());
        assert!(cat.lookup("ephemeral", "azuread_x").is_some());
        assert!(cat.lookup("action", "aws_iam_role").is_none());
    }

    #[test]
    fn bad_lines_are_data_errors_with_file_and_line() {
        let file = "rules/data/region-agnostic-resources.txt";
        assert_eq!(
            error("# c\n\naws_iam_* | global\n"),
            format!("{file}:3: expected 3 columns separated by \" | \", found 2")
        );
        assert_eq!(
            error("aws_iam_* | everywhere | none\n"),
            format!("{file}:1: scope `everywhere` is not `global`, `offline` or `regional`")
        );
        assert_eq!(
            error("aws_iam_* | global | some\n"),
            format!("{file}:1: region `some` is not `none` or `own`")
        );
        assert_eq!(
            error("aws_iam_* | global | none\naws_iam_* | global | none\n"),
            format!("{file}:2: `aws_iam_*` is listed twice")
        );
        for bad in [
            "*",
            "aws*iam",
            "data.*",
            "AWS_IAM_*",
            "iam",
            "_x",
            "aws_iam_*_x",
        ] {
            assert_eq!(
                error(&format!("{bad} | global | none\n")),
                format!(
                    "{file}:1: `{bad}` is not a resource type or a prefix of types ending in `*`"
                ),
                "{bad}"
            );
        }
    }
}
