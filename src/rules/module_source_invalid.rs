//! `module-source-invalid`: a module `source` that the engine cannot
//! install from: neither a local path, a registry address, nor a remote
//! address its installer knows.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::fileset::Engine;
use crate::finding::Finding;
use crate::model::calls::CallArg;
use crate::model::source_addr::{ModuleSource, RemoteKind};
use crate::model::{Role, RoleSet};

declare_rule! {
    ModuleSourceInvalid, "module-source-invalid", Correctness,
    "a module source that is not a local path, a registry address or a remote address the engine can install",
    judges: RoleSet::ALL.without(Role::Legacy),
}

impl Rule for ModuleSourceInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for call in &m.config.module_calls {
                // A version (literal or not) is constraint-invalid's.
                let key = "source";
                let finding = match cx.call_arg(m, call, key) {
                    CallArg::NotLiteral(span) => cx
                        .finding(
                            span,
                            format!(
                                "{} {key} is an expression, which terraform rejects \
                                     (\"Variables not allowed\")",
                                call.label()
                            ),
                        )
                        .with_help(
                            "write it as a literal string, or read only variables declared \
                                 `const = true` (Terraform 1.15); OpenTofu (1.8 and later) \
                                 evaluates any variables and locals here",
                        ),
                    CallArg::Unknown(span) => {
                        let mut f = cx.finding(
                            span,
                            format!(
                                "{} {key} cannot be known statically, so its pinning \
                                     is not judged",
                                call.label()
                            ),
                        );
                        f.severity = crate::finding::Severity::Note;
                        f.with_help(crate::model::calls::UNKNOWN_HELP)
                    }
                    CallArg::Known(src) => {
                        let parsed = ModuleSource::parse(&src.value);
                        let Some((problem, help)) = judge(&src.value, &parsed, cx.ws.engine) else {
                            continue;
                        };
                        let from = if src.evaluated {
                            " (the value of its expression)"
                        } else {
                            ""
                        };
                        cx.finding(
                            src.span,
                            format!("{} source \"{}\"{from} {problem}", call.label(), src.value),
                        )
                        .with_help(help)
                    }
                    CallArg::Absent => continue,
                };
                out.push(
                    finding
                        .in_module(&m.display)
                        .about(format!("{}.{key}", call.address())),
                );
            }
        }
    }
}

/// What is wrong with a source, and the remedy; `None` for one the engine
/// installs. Terraform's verdicts on each kind are recorded in
/// `tests/data/engine/module-source-*`.
fn judge(text: &str, source: &ModuleSource, engine: Engine) -> Option<(String, String)> {
    match source {
        ModuleSource::Remote(r) if r.kind == RemoteKind::Unknown => {
            let plain_path = r.forced.is_none() && !text.contains("://") && !text.contains("::");
            let help = if plain_path {
                format!(
                    "since Terraform 0.13 a local path must start with ./ or ../: use \"./{text}\"; a registry address \
                     has the form namespace/name/provider"
                )
            } else {
                "use a local path (./ or ../), a registry address (namespace/name/provider), or a \
                 remote address such as git::https://example.com/repo.git?ref=v1.2.3"
                    .to_string()
            };
            Some((
                format!(
                    "is not a valid module source address, so {} init fails",
                    engine_cmd(engine)
                ),
                help,
            ))
        }
        ModuleSource::Remote(r) if r.kind == RemoteKind::Oci && engine == Engine::Terraform => {
            Some((
                "is an OCI address, which Terraform cannot install (OpenTofu 1.10 and later can)"
                    .to_string(),
                "publish the module to a registry or git, or check this tree as OpenTofu \
             (`engine = \"opentofu\"` in .tfpin.hcl)"
                    .to_string(),
            ))
        }
        _ => None,
    }
}

fn engine_cmd(engine: Engine) -> &'static str {
    match engine {
        Engine::Terraform => "terraform",
        Engine::OpenTofu => "tofu",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(text: &str, engine: Engine) -> Option<String> {
        judge(text, &ModuleSource::parse(text), engine).map(|(p, _)| p)
    }

    #[test]
    fn sources_the_installers_know_are_valid() {
        for s in [
            "./modules/x",
            "../x",
            "terraform-aws-modules/vpc/aws",
            "app.terraform.io/acme/vpc/aws",
            "git::https://example.com/x.git?ref=v1",
            "github.com/acme/x",
            "git@github.com:acme/x.git",
            "https://example.com/x.zip",
            "s3::https://s3.amazonaws.com/b/x.zip",
        ] {
            assert_eq!(verdict(s, Engine::Terraform), None, "{s}");
        }
        assert_eq!(
            verdict("terraform-aws-modules/vpc/aws", Engine::Terraform),
            None
        );
    }

    #[test]
    fn sources_no_installer_knows_are_invalid() {
        for s in ["template", "modules/foo", "foo::bar", "ftp2://x/y"] {
            assert!(verdict(s, Engine::Terraform).is_some(), "{s}");
        }
        let help = judge(
            "modules/foo",
            &ModuleSource::parse("modules/foo"),
            Engine::Terraform,
        )
        .unwrap()
        .1;
        assert!(help.contains("\"./modules/foo\""), "{help}");
    }

    #[test]
    fn oci_sources_are_opentofus() {
        let s = "oci://example.com/acme/vpc?tag=1.2.3";
        assert!(verdict(s, Engine::Terraform).is_some());
        assert_eq!(verdict(s, Engine::OpenTofu), None);
    }
}
