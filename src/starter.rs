//! `tfpin init`: a starter `.tfpin.hcl` tuned to the tree it is written
//! for: the engines its roots are read with, the roles tfpin gave its
//! modules, the clouds and regions its providers are configured with, and
//! the Terraform release the team pins, where a `.terraform-version` file
//! names one.

use crate::output::providers::View;
use std::collections::BTreeSet;

/// What the tree tells about itself, beyond the providers view.
#[derive(Debug, Default, Clone)]
pub struct Found {
    /// The release a `.terraform-version` file (tfenv, tfswitch) at the
    /// project root names, when it is a full version.
    pub terraform_version: Option<String>,
}

/// The text of a starter configuration. It parses as a configuration, and
/// sets nothing that the defaults would not, but for a pinned release:
/// every other line that would change a verdict is a comment to edit.
pub fn render(view: &View, found: &Found) -> String {
    let mut out = String::new();
    out.push_str("# tfpin configuration, written by `tfpin init` for the tree it found here.\n");
    out.push_str("# `tfpin config` shows the settings in effect and where each comes from;\n");
    out.push_str("# docs/configuration.md in tfpin's repository describes every key.\n\n");

    // Roots and roles.
    let mut by_role: std::collections::BTreeMap<&'static str, Vec<&str>> = Default::default();
    for r in &view.roots {
        by_role.entry(r.role.id()).or_default().push(&r.root);
    }
    let modules: BTreeSet<&str> = (view.roots.iter())
        .flat_map(|r| r.modules.iter().skip(1))
        .map(|m| m.path.as_str())
        .collect();
    if view.roots.is_empty() {
        out.push_str("# No root module was found below this directory.\n");
    } else {
        out.push_str(&format!(
            "# Found {} and {} they call. Each module has a role,\n# and each rule judges the roles that matter to it (pinning and locks:\n# deployed roots):\n",
            crate::output::plural(view.roots.len(), "root module"),
            crate::output::plural(modules.len(), "local module"),
        ));
        for (role, roots) in &by_role {
            out.push_str(&format!("#   {role}: {}\n", shortened(roots, 6)));
        }
        out.push_str("# If a role is wrong, set it below (`root \"PATTERN\" { role = ... }`).\n");
    }
    out.push('\n');

    // Engine.
    let engines: BTreeSet<&str> = view.roots.iter().map(|r| r.engine).collect();
    let read = match engines.iter().copied().collect::<Vec<_>>().as_slice() {
        [] => "no root was read".to_string(),
        ["terraform"] => "every root reads as Terraform".to_string(),
        ["opentofu"] => "every root reads as OpenTofu".to_string(),
        _ => format!(
            "roots read as {}",
            engines.iter().copied().collect::<Vec<_>>().join(", ")
        ),
    };
    out.push_str(&format!(
        "# \"auto\" decides for each root tree ({read});\n# \"terraform\", \"opentofu\" or \"both\" decide for all.\nengine = \"auto\"\n\n"
    ));

    // Regions, by cloud.
    let mut regions: std::collections::BTreeMap<&str, BTreeSet<&str>> = Default::default();
    for r in &view.roots {
        for c in &r.configurations {
            if let (Some(region), "set") = (&c.region, c.region_state) {
                let provider = c.provider.split('.').next().unwrap_or(&c.provider);
                regions.entry(provider).or_default().insert(region);
            }
        }
    }
    out.push_str("policy {\n");
    match &found.terraform_version {
        Some(v) => out.push_str(&format!(
            "  # The Terraform release the team runs (from .terraform-version): it bounds\n  # `required_version` and lets `--fix` write one.\n  terraform_version = \"{v}\"\n"
        )),
        None => out.push_str(
            "  # The Terraform release the team runs: it bounds `required_version` and\n  # lets `--fix` write one.\n  # terraform_version = \"1.11.4\"\n",
        ),
    }
    out.push('\n');
    out.push_str(
        "  # Where data may live: region-not-allowed and replication-not-allowed judge\n  # every resource and replica against these patterns.\n",
    );
    if regions.is_empty() {
        out.push_str(
            "  # No provider here is configured with a region that is known statically.\n",
        );
        out.push_str("  # allowed_regions = [\"eu-*\"]\n");
    } else {
        out.push_str("  # The providers here are configured with:\n");
        for (provider, rs) in &regions {
            let list: Vec<&str> = rs.iter().copied().collect();
            out.push_str(&format!("  #   {provider}: {}\n", list.join(", ")));
        }
        let all: BTreeSet<&str> = regions.values().flatten().copied().collect();
        let quoted: Vec<String> = all.iter().map(|r| format!("\"{r}\"")).collect();
        out.push_str(&format!("  # allowed_regions = [{}]\n", quoted.join(", ")));
    }
    out.push_str("}\n\n");

    out.push_str("lock {\n  # The platforms every lock file must hold checksums for.\n");
    let platforms: Vec<String> = (crate::config::DEFAULT_PLATFORMS.iter())
        .map(|p| format!("\"{p}\""))
        .collect();
    out.push_str(&format!(
        "  # platforms = [{}]\n}}\n\n",
        platforms.join(", ")
    ));

    out.push_str("# Paths tfpin does not read at all.\n# exclude = [\"legacy/**\"]\n\n");
    out.push_str("# A rule's severity, or the rule off:\n# rule \"provider-version-unbounded\" {\n#   severity = \"error\"\n# }\n");
    out
}

/// Up to `max` names, then how many more.
fn shortened(names: &[&str], max: usize) -> String {
    let mut shown: Vec<&str> = names.iter().copied().take(max).collect();
    shown.sort_unstable();
    let more = names.len().saturating_sub(max);
    let mut s = shown.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// A `.terraform-version` file's release, when it names one in full
/// (`1.11.4`); tfenv's `latest` and `min-required` are not releases.
pub fn pinned_release(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let v = line.strip_prefix('v').unwrap_or(line);
    crate::config::parse_terraform_version(v)
        .ok()
        .map(|_| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_is_read_only_when_it_is_whole() {
        assert_eq!(pinned_release("1.11.4\n").as_deref(), Some("1.11.4"));
        assert_eq!(pinned_release("\nv1.9.8").as_deref(), Some("1.9.8"));
        assert_eq!(pinned_release("latest:^1.9"), None);
        assert_eq!(pinned_release("min-required"), None);
        assert_eq!(pinned_release(""), None);
    }

    #[test]
    fn an_empty_tree_gets_a_configuration_that_parses() {
        let text = render(&View { roots: Vec::new() }, &Found::default());
        assert!(text.contains("No root module was found"));
        crate::config::parse_str(&text, ".tfpin.hcl").expect("it parses");
    }
}
