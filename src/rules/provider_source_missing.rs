//! `provider-source-missing`: a `required_providers` entry without `source`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::model::usage::BUILTIN;
use std::collections::BTreeMap;
use std::sync::OnceLock;

declare_rule! {
    ProviderSourceMissing, "provider-source-missing", Pinning,
    "a required_providers entry without a source, so Terraform guesses hashicorp/<name>",
    fix: SafeOrUnsafe,
}

const THIRD_PARTY: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/third-party-providers.txt"
));

/// The registry address of a provider that is commonly given this local
/// name but is not published under `hashicorp/`, from
/// `rules/data/third-party-providers.txt`.
pub(super) fn third_party_source(local_name: &str) -> Option<&'static str> {
    static TABLE: OnceLock<BTreeMap<String, &'static str>> = OnceLock::new();
    TABLE
        .get_or_init(|| parse_table(THIRD_PARTY))
        .get(&local_name.to_ascii_lowercase())
        .copied()
}

fn parse_table(text: &'static str) -> BTreeMap<String, &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_ascii_lowercase(), words.next()?))
        })
        .collect()
}

/// The source to suggest for a local name.
pub(super) fn suggested_source(local_name: &str) -> String {
    third_party_source(local_name)
        .map(str::to_string)
        .unwrap_or_else(|| format!("hashicorp/{}", local_name.to_ascii_lowercase()))
}

impl Rule for ProviderSourceMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for req in &m.config.required_providers {
                if req.source.is_some() || req.name == BUILTIN {
                    continue;
                }
                let name = &req.name;
                let implied = format!("hashicorp/{}", name.to_ascii_lowercase());
                let form = if req.legacy {
                    " (legacy string form)"
                } else {
                    ""
                };
                let (finding, source) = match third_party_source(name) {
                    Some(src) => (
                        cx.finding(
                            req.name_span.clone(),
                            format!(
                                "provider \"{name}\" has no source{form} and would be looked up \
                                 as {implied}; it is published as {src}"
                            ),
                        )
                        .with_severity(Severity::Error),
                        src.to_string(),
                    ),
                    None => (
                        cx.finding(
                            req.name_span.clone(),
                            format!(
                                "provider \"{name}\" has no source{form}; Terraform assumes \
                                 {implied}"
                            ),
                        ),
                        implied,
                    ),
                };
                let help = match (&req.version, req.legacy) {
                    (Some(Ok(v)), true) => format!(
                        "write the entry as {name} = {{ source = \"{source}\", version = \"{}\" }}",
                        v.value
                    ),
                    _ => format!("add source = \"{source}\""),
                };
                let mut f = finding
                    .in_module(&m.display)
                    .about(format!("terraform.required_providers.{name}.source"))
                    .with_help(help);
                if let Some(fix) = add_source(cx, req, &source) {
                    f = f.with_fix(fix);
                }
                out.push(f);
            }
        }
    }
}

/// Writes `source` into the entry: as its first item, or, for the legacy
/// string form, by making the entry an object of the source and the
/// version as written. Safe when the source is the one Terraform already
/// assumes (`hashicorp/<name>`); a third-party source changes the
/// provider, so that is unsafe.
fn add_source(
    cx: &Context<'_, '_>,
    req: &crate::model::ProviderRequirement,
    source: &str,
) -> Option<crate::fix::Fix> {
    use crate::fix::{text, Edit, Fix, Safety};
    let file = req.span.file;
    let text = cx.ws.sources.get(file).text.as_str();
    let json = text::is_json(&cx.ws.sources, file);
    let quoted = format!("\"{source}\"");
    let edits = if req.legacy {
        let version = match req.version.as_ref()? {
            Ok(s) => &s.span,
            Err(span) => span,
        };
        let written = text.get(version.range.clone())?;
        let object = if json {
            format!("{{\"source\": {quoted}, \"version\": {written}}}")
        } else {
            format!("{{ source = {quoted}, version = {written} }}")
        };
        vec![Edit::replace(version.clone(), object)]
    } else {
        let entry = text.get(req.name_span.range.end..req.span.range.end)?;
        let open = req.name_span.range.end + entry.find('{')?;
        Edit::all(file, text::first_item(text, open, "source", &quoted, json)?)
    };
    let implied = source.eq_ignore_ascii_case(&format!("hashicorp/{}", req.name));
    let (safety, what) = if implied {
        (
            Safety::Safe,
            format!("add source = {quoted}, the address Terraform assumes"),
        )
    } else {
        (
            Safety::Unsafe,
            format!("add source = {quoted}, which changes the provider Terraform installs"),
        )
    };
    Some(Fix::new(safety, what, edits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_and_is_sorted() {
        let names: Vec<&str> = THIRD_PARTY
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted, "sorted by local name, each once");
        for l in THIRD_PARTY.lines().filter(|l| !l.starts_with('#')) {
            let words: Vec<&str> = l.split_whitespace().collect();
            assert!(
                words.is_empty()
                    || (words.len() == 2
                        && words[1].split('/').count() == 2
                        && !words[1].to_ascii_lowercase().starts_with("hashicorp/")),
                "malformed line {l:?}"
            );
        }
        assert_eq!(third_party_source("datadog"), Some("DataDog/datadog"));
        assert_eq!(third_party_source("aws"), None);
        assert_eq!(suggested_source("aws"), "hashicorp/aws");
    }
}
