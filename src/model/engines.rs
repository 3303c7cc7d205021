//! Which engines each root tree is written for, and so which readings of
//! it are checked.
//!
//! With `engine = "auto"` (the default) it is decided for each root tree,
//! in this order:
//!
//! 1. **OpenTofu only**, when the tree shows it cannot work under
//!    Terraform: a module with a `.tofu` or `.tofu.json` file that has no
//!    `.tf` twin, a construct only OpenTofu reads (a provider block's
//!    `for_each`, a `language` block, `lifecycle { enabled }`, a module
//!    `source` or `version` written as an expression), or a root lock file
//!    whose entries are all in OpenTofu's registry.
//! 2. **Both**, when some module has OpenTofu files that all have twins:
//!    it is written for both engines, and each reads its own files.
//! 3. **Terraform** otherwise.
//!
//! A module belongs to the engines of every tree it is in. The setting
//! `terraform`, `opentofu` or `both` decides for every tree at once.

use super::addr::OPENTOFU_HOST;
use super::workspace::{Module, ModuleId, Place, Workspace};
use crate::fileset::{Engine, EngineChoice, Support};
use crate::source::Span;

/// A set of engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Engines {
    pub terraform: bool,
    pub opentofu: bool,
}

impl Engines {
    pub const TERRAFORM: Engines = Engines {
        terraform: true,
        opentofu: false,
    };
    pub const OPENTOFU: Engines = Engines {
        terraform: false,
        opentofu: true,
    };
    pub const BOTH: Engines = Engines {
        terraform: true,
        opentofu: true,
    };

    pub fn contains(self, e: Engine) -> bool {
        match e {
            Engine::Terraform => self.terraform,
            Engine::OpenTofu => self.opentofu,
        }
    }

    pub fn union(self, o: Engines) -> Engines {
        Engines {
            terraform: self.terraform || o.terraform,
            opentofu: self.opentofu || o.opentofu,
        }
    }

    pub fn is_both(self) -> bool {
        self.terraform && self.opentofu
    }

    pub fn iter(self) -> impl Iterator<Item = Engine> {
        Engine::ALL.into_iter().filter(move |e| self.contains(*e))
    }

    /// The names, as in settings and JSON: `["terraform", "opentofu"]`.
    pub fn ids(self) -> Vec<&'static str> {
        self.iter().map(Engine::id).collect()
    }

    /// For people: `Terraform`, `OpenTofu` or `Terraform and OpenTofu`.
    pub fn describe(self) -> String {
        let names: Vec<&str> = self.iter().map(Engine::name).collect();
        names.join(" and ")
    }

    pub fn of_choice(choice: EngineChoice) -> Option<Engines> {
        match choice {
            EngineChoice::Auto => None,
            EngineChoice::Terraform => Some(Engines::TERRAFORM),
            EngineChoice::OpenTofu => Some(Engines::OPENTOFU),
            EngineChoice::Both => Some(Engines::BOTH),
        }
    }
}

/// What in one module says which engine it is written for.
#[derive(Debug, Clone, Default)]
pub struct Signs {
    /// The first thing that only OpenTofu reads, with what it is.
    pub opentofu_only: Option<(Span, String)>,
    /// Its OpenTofu files all have Terraform twins.
    pub twins: bool,
}

/// The signs in one module.
pub fn signs(m: &Module) -> Signs {
    // A stack is Terraform's (OpenTofu reads no stack files): nothing in
    // it is a sign of OpenTofu.
    if m.is_stack() {
        return Signs::default();
    }
    let mut s = Signs {
        twins: m.support == Support::Twins,
        ..Signs::default()
    };
    let first_file = m.files.first().map(|f| Span::new(*f, 0..0));
    if m.support == Support::OpenTofuOnly {
        if let Some(at) = first_file.clone() {
            s.opentofu_only = Some((at, "a `.tofu` file without a `.tf` twin".to_string()));
        }
    }
    let cfg = &m.config;
    if s.opentofu_only.is_none() {
        let for_each = cfg
            .opentofu_provider_for_each()
            .next()
            .map(|(_, e)| (e.span(), "a provider block with `for_each`".to_string()));
        // A module source or version that is an expression: OpenTofu
        // evaluates it, Terraform rejects it ("Variables not allowed"),
        // unless it reads only `const` variables in a module for Terraform
        // 1.15 and later.
        let early = cfg.module_calls.iter().find_map(|c| {
            // Literals (nearly all) are settled first.
            let arg = [("source", &c.source), ("version", &c.version)]
                .into_iter()
                .filter_map(|(key, v)| Some((key, v.as_ref()?.as_ref().err()?)))
                .find(|(key, _)| !super::calls::terraform_evaluates(cfg, c, key))
                .map(|(_, span)| span)?;
            Some((
                arg.clone(),
                format!(
                    "module \"{}\" with an expression as its source or version",
                    c.name
                ),
            ))
        });
        s.opentofu_only = for_each
            .or_else(|| {
                cfg.opentofu_constructs
                    .first()
                    .map(|(at, what)| (at.clone(), what.to_string()))
            })
            .or(early);
    }
    if s.opentofu_only.is_none() && m.place == Place::Root {
        if let Some(lock) = &m.lock {
            let hosts: Vec<&str> = lock
                .providers
                .iter()
                .filter_map(|p| p.addr.as_ref().map(|a| a.hostname.as_str()))
                .filter(|h| *h != "terraform.io")
                .collect();
            if !hosts.is_empty() && hosts.iter().all(|h| *h == OPENTOFU_HOST) {
                let at = lock.providers[0].header.clone();
                s.opentofu_only = Some((at, format!("a lock file on `{OPENTOFU_HOST}`")));
            }
        }
    }
    s
}

/// The engines of every root tree, and of every module (the union of the
/// trees it is in), under a setting.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Each root with its engines and, for an automatic decision, why.
    pub roots: Vec<(ModuleId, Engines, Option<String>)>,
    /// Indexed by module id.
    pub modules: Vec<Engines>,
}

/// Decides the engines of every tree of a reading.
pub fn decide(ws: &Workspace, choice: EngineChoice) -> Decision {
    let signs: Vec<Signs> = ws.modules.iter().map(signs).collect();
    let mut modules = vec![Engines::default(); ws.modules.len()];
    let mut roots = Vec::new();
    for root in ws.modules.iter().filter(|m| m.is_root()) {
        let tree = ws.tree(root.id);
        let (engines, why) = match Engines::of_choice(choice) {
            Some(e) => (e, None),
            None => {
                let tofu = tree
                    .iter()
                    .find_map(|id| signs[id.0 as usize].opentofu_only.clone());
                match tofu {
                    Some((at, what)) => {
                        let file = ws.sources.get(at.file);
                        let line = file.line_col(at.range.start).line;
                        (
                            Engines::OPENTOFU,
                            Some(format!("{what} ({}:{line})", file.display)),
                        )
                    }
                    None => {
                        let twin = tree.iter().find(|id| signs[id.0 as usize].twins);
                        match twin {
                            Some(id) => (
                                Engines::BOTH,
                                Some(format!(
                                    "`.tofu` twins of `.tf` files in `{}`",
                                    ws.module(*id).display
                                )),
                            ),
                            None => (Engines::TERRAFORM, None),
                        }
                    }
                }
            }
        };
        for id in &tree {
            let m = &mut modules[id.0 as usize];
            *m = m.union(engines);
        }
        roots.push((root.id, engines, why));
    }
    // A module in no tree (only in a cycle of calls) is judged on its own.
    for (i, e) in modules.iter_mut().enumerate() {
        if *e == Engines::default() {
            *e = match Engines::of_choice(choice) {
                Some(c) => c,
                None if signs[i].opentofu_only.is_some() => Engines::OPENTOFU,
                None if signs[i].twins => Engines::BOTH,
                None => Engines::TERRAFORM,
            };
        }
    }
    Decision { roots, modules }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_test_tree;

    fn engines_of(files: &[(&str, &str)], choice: EngineChoice) -> Vec<(String, Engines)> {
        let (_d, ws) = load_test_tree(files);
        let d = decide(&ws, choice);
        d.roots
            .iter()
            .map(|(id, e, _)| (ws.module(*id).display.clone(), *e))
            .collect()
    }

    #[test]
    fn a_plain_tree_is_terraforms() {
        let e = engines_of(&[("main.tf", "")], EngineChoice::Auto);
        assert_eq!(e, [(".".to_string(), Engines::TERRAFORM)]);
    }

    #[test]
    fn twins_make_a_tree_both_engines() {
        let files = [
            ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
            ("m/versions.tf", ""),
            ("m/versions.tofu", ""),
        ];
        let e = engines_of(&files, EngineChoice::Auto);
        assert_eq!(e, [(".".to_string(), Engines::BOTH)]);
        let e = engines_of(&files, EngineChoice::Terraform);
        assert_eq!(e, [(".".to_string(), Engines::TERRAFORM)]);
    }

    #[test]
    fn opentofu_constructs_make_a_tree_opentofus() {
        for main in [
            "provider \"aws\" {\n  alias    = \"r\"\n  for_each = toset([\"a\"])\n}\n",
            "language {\n  compatible_with {\n    opentofu = \">= 1.12\"\n  }\n}\n",
            "resource \"aws_s3_bucket\" \"b\" {\n  lifecycle {\n    enabled = false\n  }\n}\n",
            "variable \"v\" {\n  default = \"5.0.0\"\n}\nmodule \"m\" {\n  source  = \"a/b/c\"\n  version = var.v\n}\n",
        ] {
            let e = engines_of(&[("main.tf", main)], EngineChoice::Auto);
            assert_eq!(e, [(".".to_string(), Engines::OPENTOFU)], "{main}");
        }
        let lock = "provider \"registry.opentofu.org/hashicorp/aws\" {\n  version = \"5.1.0\"\n}\n";
        let e = engines_of(
            &[("main.tf", ""), (".terraform.lock.hcl", lock)],
            EngineChoice::Auto,
        );
        assert_eq!(e, [(".".to_string(), Engines::OPENTOFU)]);
    }
}
