//! `constraint-invalid`: a version constraint Terraform would reject.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::constraint::{self, Kind};
use crate::finding::Finding;
use crate::hclx::Str;
use crate::model::calls::CallArg;
use crate::model::source_addr::SourceKind;
use crate::model::StrOrExpr;

declare_rule! {
    ConstraintInvalid, "constraint-invalid", Correctness,
    "a provider, required_version or module version constraint that Terraform rejects",
    fix: Safe,
}

impl Rule for ConstraintInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            let mut push = |f: Finding| out.push(f.in_module(&m.display));
            let cfg = &m.config;
            for (i, rv) in cfg.required_version.iter().enumerate() {
                let parsed = cfg
                    .required_version_parsed
                    .get(i)
                    .and_then(Option::as_deref);
                let what = || "required_version".to_string();
                let subject = "terraform.required_version";
                check_one(cx, Kind::Core, (&what, subject), rv, parsed, &mut push);
            }
            for (i, v) in cfg.opentofu_versions.iter().enumerate() {
                let parsed = cfg
                    .opentofu_versions_parsed
                    .get(i)
                    .and_then(Option::as_deref);
                let what = || "language compatible_with opentofu".to_string();
                let subject = "language.compatible_with.opentofu";
                check_one(cx, Kind::Core, (&what, subject), v, parsed, &mut push);
            }
            for req in &cfg.required_providers {
                if let Some(v) = &req.version {
                    let what = || format!("provider \"{}\" version", req.name);
                    let subject = format!("terraform.required_providers.{}.version", req.name);
                    check_one(
                        cx,
                        Kind::Provider,
                        (&what, &subject),
                        v,
                        req.parsed.as_deref(),
                        &mut push,
                    );
                }
            }
            for pc in &cfg.provider_configs {
                if let Some(v) = &pc.version {
                    let what = || format!("provider \"{}\" block version", pc.reference());
                    let subject = format!("{}.version", pc.reference());
                    check_one(cx, Kind::Provider, (&what, &subject), v, None, &mut push);
                }
            }
            for call in &cfg.module_calls {
                let Some(v) = &call.version else { continue };
                let what = || format!("{} version", call.label());
                let subject = format!("{}.version", call.address());
                // OpenTofu evaluates a version and source that are not
                // literals (see model::calls); Terraform rejects them.
                let evaluated = match cx.call_arg(m, call, "version") {
                    CallArg::Unknown(span) => {
                        let mut f = cx.finding(
                            span,
                            format!("{} cannot be known statically, so it is not judged", what()),
                        );
                        f.severity = crate::finding::Severity::Note;
                        push(
                            f.about(subject)
                                .with_help(crate::model::calls::UNKNOWN_HELP),
                        );
                        continue;
                    }
                    // A null, which OpenTofu takes as no version.
                    CallArg::Absent => continue,
                    CallArg::Known(t) if t.evaluated => Some(Ok(Str {
                        value: t.value.into_owned(),
                        span: t.span,
                    })),
                    _ => None,
                };
                let source_kind = match cx.call_arg(m, call, "source") {
                    CallArg::Known(s) if s.evaluated => Some(SourceKind::of(&s.value)),
                    CallArg::Unknown(_) => continue,
                    _ => call.source_kind,
                };
                let (v, parsed) = match &evaluated {
                    Some(e) => (e, None),
                    None => (v, call.parsed_version.as_deref()),
                };
                match source_kind {
                    Some(SourceKind::Registry) | None => {
                        check_one(cx, Kind::Module, (&what, &subject), v, parsed, &mut push)
                    }
                    Some(src) => {
                        let kind = match src {
                            SourceKind::Local => "a local path",
                            _ => "not a registry address",
                        };
                        let span = match v {
                            Ok(s) => s.span.clone(),
                            Err(span) => span.clone(),
                        };
                        push(
                            cx.finding(
                                span,
                                format!(
                                    "{} has a `version` but its source is {kind}; Terraform rejects this",
                                    call.label()
                                ),
                            )
                            .about(subject)
                            .with_help(
                                "`version` applies only to registry modules; pin a git source with \
                                 `?ref=` instead, or remove `version` from a local module",
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Checks one constraint; `what` names it, and is formatted only for a
/// finding, whose subject is the attribute's path `subject`.
fn check_one(
    cx: &Context<'_, '_>,
    kind: Kind,
    (what, subject): (&dyn Fn() -> String, &str),
    value: &StrOrExpr,
    parsed: Option<&crate::model::ParsedConstraint>,
    push: &mut impl FnMut(Finding),
) {
    match value {
        Err(span) => push(
            cx.finding(
                span.clone(),
                format!(
                    "{} must be a literal string; Terraform does not evaluate expressions here",
                    what()
                ),
            )
            .about(subject)
            .with_help("write the constraint as a quoted string such as \"~> 5.0\""),
        ),
        Ok(s) => {
            let fresh;
            let result = match parsed {
                Some(p) => p,
                None => {
                    fresh = constraint::parse(kind, &s.value);
                    &fresh
                }
            };
            if let Err(e) = result {
                let mut f = cx
                    .finding(
                        s.span.clone(),
                        format!("{} \"{}\" is invalid: {}", what(), s.value, e.message),
                    )
                    .about(subject)
                    .with_help(help_for(kind));
                if let Some(fix) = repair(cx, kind, s) {
                    f = f.with_fix(fix);
                }
                push(f);
            }
        }
    }
}

/// The repair of a constraint written as a plain quoted string (see
/// [`constraint::repair`]). Safe: Terraform refuses the string as it is,
/// and the repair is its only reading.
fn repair(cx: &Context<'_, '_>, kind: Kind, s: &Str) -> Option<crate::fix::Fix> {
    if !crate::fix::text::quoted(&cx.ws.sources, &s.span, &s.value) {
        return None;
    }
    let repaired = constraint::repair::repair(kind, &s.value)?;
    Some(crate::fix::Fix::safe(
        format!("write \"{repaired}\""),
        vec![crate::fix::Edit::replace(
            s.span.clone(),
            format!("\"{repaired}\""),
        )],
    ))
}

fn help_for(kind: Kind) -> &'static str {
    match kind {
        Kind::Provider => {
            "use comma-separated conditions such as \">= 5.0, < 6.0\" or \"~> 5.31\"; operators \
             are =, !=, >, >=, <, <= and ~>, versions have at most three parts and no `v` prefix"
        }
        Kind::Core => {
            "use conditions such as \">= 1.5, < 2.0\" or \"~> 1.9\"; `required_version` cannot \
             name a prerelease"
        }
        Kind::Module => "use conditions such as \"~> 5.1\" or \">= 5.1.0, < 6.0.0\"",
    }
}
