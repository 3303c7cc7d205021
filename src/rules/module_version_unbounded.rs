//! `module-version-unbounded`: a registry module `version` with no upper
//! bound.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::{Role, RoleSet};

declare_rule! {
    ModuleVersionUnbounded, "module-version-unbounded", Pinning,
    "a registry module version constraint with no upper bound",
    judges: RoleSet::of(&[Role::Deployed, Role::Reusable]),
    fix: Unsafe,
}

impl Rule for ModuleVersionUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // A monorepo writes the same few version constraints over and over;
        // each text parses the same way, so each is judged once.
        let mut bounded: crate::HashMap<&str, bool> = crate::HashMap::default();
        for m in &cx.ws.modules {
            for call in &m.config.module_calls {
                // An invalid version is `constraint-invalid`'s.
                let crate::model::calls::CallArg::Known(version) = cx.call_arg(m, call, "version")
                else {
                    continue;
                };
                if cx.registry_source(m, call).is_none() {
                    continue;
                }
                let is_bounded = if version.evaluated {
                    let parsed =
                        crate::constraint::parse(crate::constraint::Kind::Module, &version.value);
                    match parsed {
                        Ok(c) => c.is_bounded(),
                        Err(_) => continue,
                    }
                } else {
                    let Some(Ok(c)) = call.parsed_version.as_deref() else {
                        continue;
                    };
                    let text = call.version.as_ref().and_then(|v| v.as_ref().ok());
                    let text = text.map_or("", |t| t.value.as_str());
                    *bounded.entry(text).or_insert_with(|| c.is_bounded())
                };
                if is_bounded {
                    continue;
                }
                let help = match tilde_major(&version.value) {
                    Some(n) => format!(
                        "for modules `~> {n}` means `>= {n}.0.0` with no upper bound; write \
                         `~> {n}.0` to stay below {}.0.0",
                        n + 1
                    ),
                    None => "add an upper bound, such as `~> 5.1` (>= 5.1.0, < 6.0.0) or \
                             `>= 5.1.0, < 6.0.0`, so a new major release cannot arrive unreviewed"
                        .to_string(),
                };
                let fix = if version.evaluated {
                    None
                } else {
                    bound(cx, m, call, &version.span, &version.value)
                };
                out.push(
                    cx.finding(
                        version.span.clone(),
                        format!(
                            "{} version \"{}\" has no upper bound",
                            call.label(),
                            version.value
                        ),
                    )
                    .in_module(&m.display)
                    .about(format!("{}.version", call.address()))
                    .with_help(help)
                    .with_fix_if(fix),
                );
            }
        }
    }
}

/// Writes `~> N.0` for a lone `~> N`, which reads as bounded for
/// providers but is not for modules: what its author meant. For another
/// unbounded constraint in a root where `terraform init` has recorded the
/// release it installed (`.terraform/modules/modules.json`), adds `< M.0.0`
/// above that release. Unsafe: modules have no lock file, so the bound
/// narrows what init may install, unconfirmed. Otherwise there is no fix:
/// the lower bound can be majors behind the release in use, and a bound
/// there would downgrade the module.
fn bound(
    cx: &Context<'_, '_>,
    m: &crate::model::Module,
    call: &crate::model::ModuleCall,
    span: &crate::source::Span,
    value: &str,
) -> Option<crate::fix::Fix> {
    use crate::constraint::{parse, Kind};
    use crate::fix::{Edit, Fix};
    if !crate::fix::text::quoted(&cx.ws.sources, span, value) {
        return None;
    }
    let (repaired, why) = match tilde_major(value) {
        Some(n) => (
            format!("~> {n}.0"),
            "below the next major release".to_string(),
        ),
        None => {
            // The release init installed, where its record is on disk.
            let source = cx.registry_source(m, call)?;
            let v = m.installed_release(&call.name, &source.value)?;
            let repaired = format!("{value}, < {}.0.0", v.major + 1);
            if !parse(Kind::Module, &repaired).ok()?.matches(&v) {
                return None;
            }
            let why = format!("above the {} that terraform init installed", v);
            (repaired, why)
        }
    };
    let bounded = parse(Kind::Module, &repaired).ok()?;
    if !bounded.is_bounded() || !bounded.is_satisfiable() {
        return None;
    }
    Some(Fix::unsafe_(
        format!("write \"{repaired}\", {why}"),
        vec![Edit::replace(span.clone(), format!("\"{repaired}\""))],
    ))
}

/// The major version in a lone `~> N` (or `~> vN`), which reads as
/// unbounded for modules but bounded for providers.
fn tilde_major(constraint: &str) -> Option<u64> {
    let rest = constraint.trim().strip_prefix("~>")?.trim();
    let rest = rest.strip_prefix(['v', 'V']).unwrap_or(rest);
    rest.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::tilde_major;

    #[test]
    fn lone_tilde_major() {
        assert_eq!(tilde_major("~> 5"), Some(5));
        assert_eq!(tilde_major(" ~>v20 "), Some(20));
        assert_eq!(tilde_major("~> 5.0"), None);
        assert_eq!(tilde_major(">= 5"), None);
        assert_eq!(tilde_major("~> 5, != 5.1.0"), None);
    }
}
