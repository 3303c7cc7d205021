//! Static values per module instance: each root module, and each local
//! module call below it, gets its own scope, so a value passed from a
//! caller's `module` block is resolved for that call.

use super::module::{Deployment, Expr};
use super::workspace::{CallTarget, ModuleId, Place, Workspace};
use super::PerModule;
use crate::eval::{
    Bindings, Children, Decls, Expansion, InstanceKey, OriginKind, Resolved, Scope, SharedScope,
    Tfvars,
};
use crate::source::FileId;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The most module instances expanded per run. A tree that calls the same
/// modules through many paths can grow exponentially; past this, deeper
/// calls are not expanded (their values stay unknown).
pub const MAX_INSTANCES: usize = 50_000;

/// One instance of a module: a root, or a call of a local module from
/// another instance.
#[derive(Debug, Clone)]
pub struct Instance {
    pub module: ModuleId,
    /// The calling instance and the index of its call.
    pub parent: Option<(usize, usize)>,
    /// Terraform's address of the instance: `` for a root (or
    /// `deployment.prod` for a stack's deployment),
    /// `module.network.module.subnets["eu"]` (or `component.network`)
    /// below it.
    pub address: String,
    /// The root module of the tree this instance belongs to.
    pub root: ModuleId,
    /// The key of this instance, for a call with a known `count` or
    /// `for_each`.
    pub key: Option<InstanceKey>,
    /// `each` or `count` of this instance, as the calling `module` block's
    /// arguments (and its `providers` map) see them.
    pub bindings: Option<Arc<Bindings>>,
}

/// Variables files given on the command line, already read.
#[derive(Debug, Default)]
pub struct CliValues {
    pub var_files: Vec<Tfvars>,
    pub vars: Vec<(String, String)>,
}

/// Scopes for every module instance.
pub struct Values<'w> {
    pub instances: Vec<Instance>,
    /// Each instance's scope; the instances it calls hold it too.
    scopes: Vec<SharedScope<'w>>,
    /// Whether the instance limit cut expansion short.
    pub truncated: bool,
    /// The instances of each module, by module id, in instance order.
    by_module: Vec<Vec<usize>>,
    /// The calls, as (calling instance, call index), whose `count` or
    /// `for_each` made more than [`crate::eval::MAX_KEYS`] instances, of
    /// which only the first were expanded.
    pub cut: Vec<(usize, usize)>,
}

impl Drop for Values<'_> {
    fn drop(&mut self) {
        release(std::mem::take(&mut self.scopes));
    }
}

/// Drops scopes listed callers first. Each holds its caller's scope, so
/// dropping from the end frees one at a time, where dropping from the front
/// would free a whole chain of callers inside the last one's drop.
fn release(mut scopes: Vec<SharedScope<'_>>) {
    while scopes.pop().is_some() {}
}

impl<'w> Values<'w> {
    /// Builds a scope for every instance reachable from every root module.
    ///
    /// Root trees are expanded in parallel, a batch of roots at a time.
    /// The result is the same as expanding them one after another, in
    /// order, with [`MAX_INSTANCES`] counted over all of them: each tree's
    /// instances come in a fixed depth-first order, so a tree cut short by
    /// the limit is a prefix of that order.
    pub fn build(ws: &'w Workspace, cli: &CliValues) -> Values<'w> {
        Values::build_limited(ws, cli, MAX_INSTANCES)
    }

    fn build_limited(ws: &'w Workspace, cli: &CliValues, max: usize) -> Values<'w> {
        const BATCH: usize = 64;
        let mut v = Values {
            instances: Vec::new(),
            scopes: Vec::new(),
            truncated: false,
            by_module: Vec::new(),
            cut: Vec::new(),
        };
        let decls = DeclsCache::new(ws);
        let roots: Vec<ModuleId> = ws
            .modules
            .iter()
            .filter(|m| m.place == Place::Root)
            .map(|m| m.id)
            .collect();
        for batch in roots.chunks(BATCH) {
            // No tree of this batch can keep more than what is left.
            let left = max.saturating_sub(v.instances.len()).max(1);
            let trees: Vec<Values<'w>> = batch
                .par_iter()
                .map(|&root| Values::tree(ws, &decls, cli, root, left))
                .collect();
            for mut tree in trees {
                let allowed = max.saturating_sub(v.instances.len()).max(1);
                v.truncated |= tree.truncated || tree.instances.len() > allowed;
                let offset = v.instances.len();
                let instances = std::mem::take(&mut tree.instances);
                let mut scopes = std::mem::take(&mut tree.scopes);
                release(scopes.split_off(allowed.min(scopes.len())));
                let kept = scopes.len();
                v.cut.extend(
                    (tree.cut.iter())
                        .filter(|(p, _)| *p < kept)
                        .map(|(p, ci)| (p + offset, *ci)),
                );
                for (mut inst, scope) in instances.into_iter().zip(scopes) {
                    inst.parent = inst.parent.map(|(p, ci)| (p + offset, ci));
                    v.instances.push(inst);
                    v.scopes.push(scope);
                }
            }
        }
        v.by_module = vec![Vec::new(); ws.modules.len()];
        for (i, inst) in v.instances.iter().enumerate() {
            v.by_module[inst.module.0 as usize].push(i);
        }
        v
    }

    /// The instances of one root tree, at most `limit` of them.
    fn tree(
        ws: &'w Workspace,
        decls: &DeclsCache<'w>,
        cli: &CliValues,
        root: ModuleId,
        limit: usize,
    ) -> Values<'w> {
        let mut v = Values {
            instances: Vec::new(),
            scopes: Vec::new(),
            truncated: false,
            by_module: Vec::new(),
            cut: Vec::new(),
        };
        let m = ws.module(root);
        let deployments = &m.config.deployments;
        // A stack is instantiated once per deployment, with that
        // deployment's inputs; a module (or a stack without deployments)
        // once.
        let roots: Vec<Option<&'w Deployment>> = if deployments.is_empty() {
            vec![None]
        } else {
            deployments.iter().map(Some).collect()
        };
        let deployment_locals = (!m.config.deployment_locals.is_empty()).then(|| {
            let mut d = Decls::new();
            for l in &m.config.deployment_locals {
                d.local(&l.name, l.expr.file, &l.expr.ast);
            }
            Arc::new(d)
        });
        for deployment in roots {
            if v.instances.len() >= limit {
                v.truncated = true;
                break;
            }
            let mut scope = Scope::with_decls(decls.get(m.id));
            for tfvars in &m.tfvars {
                apply(&mut scope, tfvars);
            }
            if let Some(d) = deployment {
                // Inputs are evaluated where they are written: the
                // deployment files, whose only names are their locals.
                let at = match &deployment_locals {
                    Some(decls) => Scope::with_decls(Arc::clone(decls)),
                    None => Scope::new(),
                };
                for (name, expr) in &d.inputs {
                    scope.set_variable(name, at.eval(expr.file, &expr.ast));
                }
            }
            for tfvars in &cli.var_files {
                apply(&mut scope, tfvars);
            }
            for (name, raw) in &cli.vars {
                if scope.has_variable(name) {
                    scope.set_variable_string(name, raw, OriginKind::CliVar { name: name.clone() });
                }
            }
            let address = deployment
                .map(|d| format!("deployment.{}", d.name))
                .unwrap_or_default();
            let root_index = v.push(
                Instance {
                    module: m.id,
                    parent: None,
                    address,
                    root: m.id,
                    key: None,
                    bindings: None,
                },
                scope,
            );
            v.expand(ws, decls, root_index, limit);
        }
        v
    }

    fn push(&mut self, inst: Instance, scope: Scope<'w>) -> usize {
        self.instances.push(inst);
        self.scopes.push(Arc::new(scope));
        self.instances.len() - 1
    }

    /// Adds the instances below `start`, depth first, without following a
    /// call into a module already on the path (a cycle), up to `limit`
    /// instances in all.
    ///
    /// A call with a known `count` or `for_each` makes one instance per
    /// key, each of which sees its own `count.index` or `each` in the
    /// arguments of the call; one with an unknown `count` or `for_each`
    /// makes a single instance, without a key, in which what depends on
    /// the key is unknown.
    ///
    /// Each instance records what its calls made, so that
    /// `module.name.output` reads the right instance. Since a `count` or
    /// `for_each` may read the outputs of other calls (a local "settings"
    /// module publishing regions), an instance's plain calls are made and
    /// expanded whole first, then its repeated calls in order, each
    /// expanded before the next one's `count` or `for_each` is read.
    fn expand(&mut self, ws: &'w Workspace, decls: &DeclsCache<'w>, start: usize, limit: usize) {
        /// An instance being expanded: which pass (plain calls, then
        /// repeated ones) and the next call to look at.
        struct Frame {
            idx: usize,
            repeated: bool,
            next: usize,
        }
        let mut stack = vec![Frame {
            idx: start,
            repeated: false,
            next: 0,
        }];
        while let Some(frame) = stack.last_mut() {
            let idx = frame.idx;
            let module = ws.module(self.instances[idx].module);
            let mut found = None;
            while frame.next < module.calls.len() {
                let ci = frame.next;
                frame.next += 1;
                let call = &module.config.module_calls[ci];
                let repeated = call.has_count() || call.has_for_each();
                if repeated == frame.repeated {
                    found = Some(ci);
                    break;
                }
            }
            let Some(ci) = found else {
                if !frame.repeated {
                    frame.repeated = true;
                    frame.next = 0;
                    continue;
                }
                self.scopes[idx].finish();
                stack.pop();
                continue;
            };
            let made = self.make_call(ws, decls, idx, ci, limit);
            if self.truncated {
                return;
            }
            // The first instance made is expanded first.
            stack.extend(made.into_iter().rev().map(|idx| Frame {
                idx,
                repeated: false,
                next: 0,
            }));
        }
    }

    /// Makes the instances of call `ci` of instance `idx`, records them in
    /// its scope, and returns them.
    fn make_call(
        &mut self,
        ws: &'w Workspace,
        decls: &DeclsCache<'w>,
        idx: usize,
        ci: usize,
        limit: usize,
    ) -> Vec<usize> {
        let module = ws.module(self.instances[idx].module);
        let call = &module.config.module_calls[ci];
        let CallTarget::Local(child) = module.calls[ci] else {
            return Vec::new();
        };
        let caller = Arc::clone(&self.scopes[idx]);
        if self.on_path(idx, child) {
            caller.add_children(&call.name, Children::Unknown);
            return Vec::new();
        }
        let repeat = match (call.content.attr("count"), call.content.attr("for_each")) {
            (Some(e), _) => Some((Expansion::count(&caller.eval(e.file, &e.ast)), true)),
            (None, Some(e)) => Some((Expansion::for_each(&caller.eval(e.file, &e.ast)), false)),
            (None, None) => None,
        };
        let keys: Vec<(Option<InstanceKey>, Option<Arc<Bindings>>)> = match &repeat {
            None | Some((Expansion::Unknown, _)) => vec![(None, None)],
            Some((e @ Expansion::Known { reps, .. }, counted)) => {
                if e.is_cut() {
                    self.cut.push((idx, ci));
                }
                reps.iter()
                    .map(|r| {
                        let b = Bindings::new().instance(r, *counted);
                        (Some(r.key.clone()), Some(Arc::new(b)))
                    })
                    .collect()
            }
        };
        let mut made = Vec::with_capacity(keys.len());
        let mut weak = Vec::with_capacity(keys.len());
        for (key, bindings) in keys {
            if self.instances.len() >= limit {
                self.truncated = true;
                break;
            }
            let mut scope = Scope::for_call(decls.get(child), &call.name);
            for (name, expr) in call.arguments() {
                scope.set_variable_from_caller(
                    name,
                    &call.name,
                    Arc::clone(&caller),
                    expr.file,
                    &expr.ast,
                    bindings.clone(),
                );
            }
            let parent_addr = &self.instances[idx].address;
            let key_text = key.as_ref().map(ToString::to_string).unwrap_or_default();
            let address = if parent_addr.is_empty() {
                format!("{}.{}{key_text}", call.keyword, call.name)
            } else {
                format!("{parent_addr}.{}.{}{key_text}", call.keyword, call.name)
            };
            let root = self.instances[idx].root;
            let child_idx = self.push(
                Instance {
                    module: child,
                    parent: Some((idx, ci)),
                    address,
                    root,
                    key: key.clone(),
                    bindings,
                },
                scope,
            );
            weak.push((key, Arc::downgrade(&self.scopes[child_idx])));
            made.push(child_idx);
        }
        let children = match repeat {
            _ if self.truncated => Children::Unknown,
            None => match weak.pop() {
                Some((_, w)) => Children::One(w),
                None => Children::Unknown,
            },
            Some((Expansion::Unknown, _)) => Children::Unknown,
            Some((_, true)) => Children::Count(weak.into_iter().map(|(_, w)| w).collect()),
            Some((_, false)) => Children::ForEach(
                weak.into_iter()
                    .filter_map(|(k, w)| match k {
                        Some(InstanceKey::Key(k)) => Some((k, w)),
                        _ => None,
                    })
                    .collect::<BTreeMap<_, _>>(),
            ),
        };
        caller.add_children(&call.name, children);
        made
    }

    fn on_path(&self, mut idx: usize, module: ModuleId) -> bool {
        loop {
            if self.instances[idx].module == module {
                return true;
            }
            match self.instances[idx].parent {
                Some((p, _)) => idx = p,
                None => return false,
            }
        }
    }

    /// The instances of a module, in a stable order.
    pub fn instances_of(&self, module: ModuleId) -> impl Iterator<Item = usize> + '_ {
        self.by_module
            .get(module.0 as usize)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .copied()
    }

    /// Evaluates an expression of the instance's module in its scope.
    pub fn eval(&self, instance: usize, expr: &Expr) -> Resolved {
        self.scopes[instance].eval(expr.file, &expr.ast)
    }

    /// Evaluates an expression of the instance's module in its scope, with
    /// `each`, `count` or an iterator bound.
    pub fn eval_bound(&self, instance: usize, expr: &Expr, bindings: &Bindings) -> Resolved {
        if bindings.is_empty() {
            return self.eval(instance, expr);
        }
        self.scopes[instance].eval_bound(expr.file, &expr.ast, bindings)
    }

    /// Evaluates an expression in a module's own scope when it has exactly
    /// one instance, and otherwise only if every instance agrees. Unknown
    /// when the module has no instance or the instances disagree.
    pub fn eval_in_module(&self, module: ModuleId, expr: &Expr) -> Resolved {
        let mut result: Option<Resolved> = None;
        for i in self.instances_of(module) {
            let r = self.eval(i, expr);
            match &result {
                None => result = Some(r),
                Some(prev) if prev.value == r.value => {}
                Some(_) => return Resolved::unknown(),
            }
        }
        result.unwrap_or_else(Resolved::unknown)
    }

    /// The value of `var.name` in an instance. Only the variables that
    /// something kept in the module refers to are kept (see
    /// [`crate::model::module::ModuleConfig::release_unread`]); any other
    /// reads as unknown.
    pub fn variable(&self, instance: usize, name: &str) -> Resolved {
        self.scopes[instance].variable(name)
    }

    /// The root instance (a root module, or a stack's deployment) an
    /// instance belongs to.
    pub fn root_instance(&self, mut instance: usize) -> usize {
        while let Some((parent, _)) = self.instances[instance].parent {
            instance = parent;
        }
        instance
    }

    /// Why a value evaluated in `instance` is not known statically, when
    /// the references it was read through ([`Resolved::via`]) lead to a
    /// reason: a root variable with neither a default nor a value, a
    /// module call whose `count` or `for_each` is not known, a module
    /// argument that reads something known only after apply. The
    /// references are followed across modules: into a module's outputs,
    /// and out to the `module` block that sets a variable.
    ///
    /// `None` for a known value, and when no reference was followed (the
    /// expression reads a resource, a data source or `each` directly).
    pub fn why_unknown(&self, ws: &Workspace, instance: usize, r: &Resolved) -> Option<String> {
        if !r.value.is_unknown() {
            return None;
        }
        let mut at = instance;
        for (n, reference) in r.via.iter().enumerate() {
            let last = n + 1 == r.via.len();
            let inst = self.instances.get(at)?;
            let m = ws.module(inst.module);
            let named = if inst.address.is_empty() {
                reference.clone()
            } else {
                format!("{reference} of {}", inst.address)
            };
            if let Some(name) = reference.strip_prefix("var.") {
                let decl = m.config.variables.iter().find(|v| v.name == name)?;
                let Some((parent, ci)) = inst.parent else {
                    return Some(if self.scopes[at].is_assigned(name) {
                        format!("the value given for {reference} is not known statically")
                    } else if decl.default.is_some() {
                        format!("the default of {reference} is not known statically")
                    } else if let Some(d) = inst.address.strip_prefix("deployment.") {
                        format!(
                            "{reference} has no default and deployment \"{d}\" gives it no input"
                        )
                    } else {
                        format!("{reference} has no default and no tfvars value")
                    });
                };
                let call = &ws.module(self.instances[parent].module).config.module_calls[ci];
                let caller = format!("{} \"{}\"", call.keyword, call.name);
                let Some((_, arg)) = call.arguments().find(|(k, _)| *k == name) else {
                    return Some(if decl.default.is_some() {
                        format!("the default of {named} is not known statically")
                    } else {
                        format!("{named} has no default and {caller} does not set it")
                    });
                };
                if inst.key.is_none() && (call.has_count() || call.has_for_each()) {
                    let meta = if call.has_count() {
                        "count"
                    } else {
                        "for_each"
                    };
                    return Some(format!("the {meta} of {caller} is not known statically"));
                }
                if last {
                    return Some(format!(
                        "{named} is set by {caller} to `{}`, which is not known statically",
                        snippet(ws, &arg.span())
                    ));
                }
                at = parent;
            } else if let Some(name) = reference.strip_prefix("local.") {
                if last {
                    // What the local reads that is not known.
                    let expr = m.config.locals.iter().rev().find(|l| l.name == name);
                    return Some(match expr {
                        Some(l) => format!(
                            "{named} = `{}` is not known statically",
                            snippet(ws, &l.expr.span())
                        ),
                        None => format!("{named} is not known statically"),
                    });
                }
            } else {
                // `module.NAME[KEY].OUTPUT` or `component.NAME.OUTPUT`: on
                // into the instance whose output it is.
                match self.child_at(at, reference) {
                    Some(child) if !last => at = child,
                    _ => return Some(format!("{named} is not known statically")),
                }
            }
        }
        None
    }

    /// The instance that a reference read in `parent`, `module.NAME...` or
    /// `component.NAME...`, leads into.
    fn child_at(&self, parent: usize, reference: &str) -> Option<usize> {
        let skip = match self.instances[parent].address.len() {
            0 => 0,
            n => n + 1,
        };
        (parent + 1..self.instances.len())
            .filter(|&i| self.instances[i].parent.is_some_and(|(p, _)| p == parent))
            .filter(|&i| {
                let own = self.instances[i].address.get(skip..).unwrap_or_default();
                reference
                    .strip_prefix(own)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
            .max_by_key(|&i| self.instances[i].address.len())
    }
}

/// The text of an expression for a message: on one line, shortened past
/// 60 characters, control characters escaped.
pub fn snippet(ws: &Workspace, span: &crate::source::Span) -> String {
    const MAX: usize = 60;
    let text = ws.sources.get(span.file).slice(&span.range);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s = crate::text::visible(&one_line).into_owned();
    if s.chars().count() > MAX {
        s = s.chars().take(MAX - 1).collect::<String>() + "…";
    }
    s
}

/// Each module's declarations, built the first time an instance of it
/// needs them and shared by all its instances.
struct DeclsCache<'w> {
    ws: &'w Workspace,
    by_module: PerModule<Arc<Decls<'w>>>,
}

impl<'w> DeclsCache<'w> {
    fn new(ws: &'w Workspace) -> Self {
        DeclsCache {
            ws,
            by_module: PerModule::new(ws),
        }
    }

    fn get(&self, module: ModuleId) -> Arc<Decls<'w>> {
        let m = self.ws.module(module);
        self.by_module
            .get(module, || {
                let mut d = Decls::new();
                for v in &m.config.variables {
                    let file = v.default.as_ref().map(|d| d.file).unwrap_or(v.header.file);
                    d.typed_variable(
                        &v.name,
                        file,
                        v.default.as_ref().map(|d| &d.ast),
                        v.ty.as_ref().unwrap_or(&crate::eval::VarType::ANY),
                    );
                }
                for l in &m.config.locals {
                    d.local(&l.name, l.expr.file, &l.expr.ast);
                }
                for o in &m.config.outputs {
                    if let Some(v) = &o.value {
                        d.output(&o.name, v.file, &v.ast);
                    }
                }
                Arc::new(d)
            })
            .clone()
    }
}

fn apply(scope: &mut Scope<'_>, tfvars: &Tfvars) {
    for (name, value) in &tfvars.values {
        scope.set_variable(name, value.clone());
    }
}

/// Reads `--var-file` files: `.json` ones as JSON, the rest as HCL.
pub fn read_var_file(
    file: FileId,
    name: &str,
    text: &str,
) -> Result<Tfvars, crate::eval::TfvarsError> {
    if name.ends_with(".json") {
        crate::eval::parse_tfvars_json(file, text)
    } else {
        crate::eval::parse_tfvars(file, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three roots, each calling a module that calls the next one twice,
    /// three levels deep: 15 instances per root.
    fn load() -> (tempfile::TempDir, Workspace) {
        let mut files: Vec<(String, String)> = Vec::new();
        for r in ["r1", "r2", "r3"] {
            files.push((
                format!("{r}/main.tf"),
                "module \"a\" {\n  source = \"../m1\"\n}\nmodule \"b\" {\n  source = \"../m1\"\n}\n"
                    .to_string(),
            ));
        }
        for (m, next) in [("m1", Some("m2")), ("m2", Some("m3")), ("m3", None)] {
            let body = match next {
                Some(n) => format!(
                    "module \"a\" {{\n  source = \"../{n}\"\n}}\nmodule \"b\" {{\n  source = \"../{n}\"\n}}\n"
                ),
                None => "variable \"x\" {}\n".to_string(),
            };
            files.push((format!("{m}/main.tf"), body));
        }
        crate::model::load_test_tree(&files)
    }

    fn shape(v: &Values<'_>) -> Vec<(String, Option<usize>)> {
        v.instances
            .iter()
            .map(|i| (i.address.clone(), i.parent.map(|(p, _)| p)))
            .collect()
    }

    #[test]
    fn arguments_are_evaluated_in_the_callers_scope_when_read() {
        let files = [
            (
                "root/main.tf",
                "locals { r = \"eu-west-1\" }\nmodule \"a\" {\n  source = \"../m1\"\n  region = local.r\n  zone   = \"${local.r}a\"\n}\n",
            ),
            (
                "m1/main.tf",
                "variable \"region\" {}\nvariable \"zone\" {}\nmodule \"b\" {\n  source = \"../m2\"\n  region = var.region\n  name   = \"fixed\"\n  unread = \"x\"\n}\noutput \"zone\" { value = var.zone }\n",
            ),
            (
                "m2/main.tf",
                "variable \"region\" {}\nvariable \"name\" {}\nvariable \"unread\" {}\nprovider \"aws\" { region = var.region }\noutput \"name\" { value = var.name }\n",
            ),
        ];
        let (_d, ws) = crate::model::load_test_tree(&files);
        let v = Values::build(&ws, &CliValues::default());
        let at = |dir: &str| {
            let m = ws.modules.iter().find(|m| m.dir.ends_with(dir)).unwrap();
            v.instances_of(m.id).next().unwrap()
        };
        let (m1, m2) = (at("m1"), at("m2"));
        // Two levels down, the value still points at the local it came from.
        let r = v.variable(m2, "region");
        assert_eq!(r.value, crate::eval::Value::String("eu-west-1".into()));
        assert_eq!(
            r.origin.unwrap().kind,
            OriginKind::Local { name: "r".into() }
        );
        assert_eq!(
            v.variable(m1, "zone").value,
            crate::eval::Value::String("eu-west-1a".into())
        );
        // A literal written in the module block is the caller's.
        let n = v.variable(m2, "name");
        assert_eq!(n.value, crate::eval::Value::String("fixed".into()));
        assert_eq!(
            n.origin.unwrap().kind,
            OriginKind::Caller {
                module_call: "b".into(),
                name: "name".into()
            }
        );
        // Reading them again gives the same answer.
        assert_eq!(v.variable(m2, "region").value, r.value);
        // A variable its module never refers to is released with the
        // model, argument and all.
        assert_eq!(v.variable(m2, "unread").value, crate::eval::Value::Unknown);
    }

    /// The value of `expr` (a snippet of HCL, as a local of the root)
    /// evaluated in the only root, as a string for comparing.
    fn root_value(files: &[(&str, &str)], instance_address: &str, expr: &str) -> String {
        let (_d, ws) = crate::model::load_test_tree(files);
        let v = Values::build(&ws, &CliValues::default());
        let i = (0..v.instances.len())
            .find(|&i| v.instances[i].address == instance_address)
            .unwrap_or_else(|| {
                let all: Vec<&str> = v.instances.iter().map(|i| i.address.as_str()).collect();
                panic!("no instance {instance_address}: {all:?}")
            });
        let m = ws.module(v.instances[i].module);
        let parsed = crate::parse::parse_expression(expr).unwrap();
        let file = m
            .config
            .module_calls
            .first()
            .map_or(FileId(0), |c| c.header.file);
        let e = Expr::new(file, &parsed);
        v.eval(i, &e).value.to_string()
    }

    fn addresses(files: &[(&str, &str)]) -> Vec<String> {
        let (_d, ws) = crate::model::load_test_tree(files);
        let v = Values::build(&ws, &CliValues::default());
        v.instances.iter().map(|i| i.address.clone()).collect()
    }

    const SETTINGS: (&str, &str) = (
        "settings/main.tf",
        "output \"primary\" { value = \"eu-west-1\" }\noutput \"regions\" { value = [\"eu-west-1\", \"eu-central-1\"] }\n",
    );

    #[test]
    fn outputs_of_local_modules_flow_into_their_callers() {
        let files = [
            (
                "root/main.tf",
                "module \"settings\" {\n  source = \"../settings\"\n}\nmodule \"wrap\" {\n  source = \"../wrap\"\n}\n",
            ),
            SETTINGS,
            (
                "wrap/main.tf",
                "module \"inner\" {\n  source = \"../settings\"\n}\noutput \"region\" { value = module.inner.primary }\n",
            ),
        ];
        assert_eq!(
            root_value(&files, "", "module.settings.primary"),
            "\"eu-west-1\""
        );
        // Two levels down and back.
        assert_eq!(
            root_value(&files, "", "module.wrap.region"),
            "\"eu-west-1\""
        );
        assert_eq!(
            root_value(&files, "", "module.settings.regions[1]"),
            "\"eu-central-1\""
        );
        assert_eq!(
            root_value(&files, "", "module.settings"),
            "{\"primary\" = \"eu-west-1\", \"regions\" = [\"eu-west-1\", \"eu-central-1\"]}"
        );
        // What no output declares, or no call makes, is unknown.
        assert_eq!(
            root_value(&files, "", "module.settings.nothing"),
            "(unknown)"
        );
        assert_eq!(root_value(&files, "", "module.absent.primary"), "(unknown)");
    }

    #[test]
    fn an_output_keeps_where_its_value_was_written() {
        let files = [
            (
                "root/main.tf",
                "module \"settings\" {\n  source = \"../settings\"\n}\n",
            ),
            SETTINGS,
        ];
        let (_d, ws) = crate::model::load_test_tree(&files);
        let v = Values::build(&ws, &CliValues::default());
        let child = (0..v.instances.len())
            .find(|&i| v.instances[i].address == "module.settings")
            .unwrap();
        let r = v.scopes[child].output("primary");
        let o = r.origin.unwrap();
        assert_eq!(
            o.kind,
            OriginKind::Output {
                module_call: "settings".into(),
                name: "primary".into()
            }
        );
        let file = ws.sources.get(o.span.unwrap().file);
        assert!(
            file.display.ends_with("settings/main.tf"),
            "{}",
            file.display
        );
    }

    #[test]
    fn calls_with_count_and_for_each_make_one_instance_per_key() {
        let files = [
            (
                "root/main.tf",
                r#"
variable "regions" {
  default = { eu = "eu-west-1", de = "eu-central-1" }
}
module "settings" {
  source = "../settings"
}
module "by_region" {
  source   = "../child"
  for_each = var.regions
  region   = each.value
  name     = "${each.key}-x"
}
module "from_output" {
  source   = "../child"
  for_each = toset(module.settings.regions)
  region   = each.key
}
module "counted" {
  source = "../child"
  count  = 2
  region = count.index == 0 ? "eu-west-1" : "eu-north-1"
}
module "off" {
  source = "../child"
  count  = 0
}
module "unknown" {
  source   = "../child"
  for_each = data.x.y
  region   = each.value
}
"#,
            ),
            SETTINGS,
            (
                "child/main.tf",
                "variable \"region\" {}\nvariable \"name\" { default = \"n\" }\noutput \"region\" { value = var.region }\noutput \"name\" { value = var.name }\n",
            ),
        ];
        assert_eq!(
            addresses(&files),
            [
                "",
                "module.settings",
                "module.by_region[\"de\"]",
                "module.by_region[\"eu\"]",
                "module.from_output[\"eu-central-1\"]",
                "module.from_output[\"eu-west-1\"]",
                "module.counted[0]",
                "module.counted[1]",
                "module.unknown",
            ]
        );
        let at = |expr: &str| root_value(&files, "", expr);
        assert_eq!(at("module.by_region[\"de\"].region"), "\"eu-central-1\"");
        assert_eq!(at("module.by_region[\"eu\"].name"), "\"eu-x\"");
        assert_eq!(
            at("module.from_output[\"eu-west-1\"].region"),
            "\"eu-west-1\""
        );
        assert_eq!(at("module.counted[1].region"), "\"eu-north-1\"");
        assert_eq!(at("module.counted[2].region"), "(unknown)");
        assert_eq!(at("module.by_region.region"), "(unknown)");
        assert_eq!(at("module.unknown.region"), "(unknown)");
        // The instance itself sees its own value.
        assert_eq!(
            root_value(&files, "module.counted[0]", "var.region"),
            "\"eu-west-1\""
        );
        assert_eq!(
            root_value(&files, "module.unknown", "var.region"),
            "(unknown)"
        );
    }

    #[test]
    fn a_settings_module_written_after_its_readers_is_still_read() {
        let files = [
            (
                "root/main.tf",
                r#"
locals {
  regions = module.settings.regions
}
module "each" {
  source   = "../child"
  for_each = toset(local.regions)
  region   = each.value
}
module "settings" {
  source = "../settings"
}
"#,
            ),
            SETTINGS,
            ("child/main.tf", "variable \"region\" {}\n"),
        ];
        assert_eq!(
            addresses(&files),
            [
                "",
                "module.settings",
                "module.each[\"eu-central-1\"]",
                "module.each[\"eu-west-1\"]"
            ]
        );
    }

    #[test]
    fn an_output_that_feeds_its_own_module_is_unknown_not_a_hang() {
        let files = [
            (
                "root/main.tf",
                "module \"a\" {\n  source = \"../a\"\n  x = module.a.y\n}\nmodule \"b\" {\n  source = \"../a\"\n  x = \"fine\"\n}\n",
            ),
            (
                "a/main.tf",
                "variable \"x\" {}\noutput \"y\" { value = var.x }\noutput \"z\" { value = \"z\" }\n",
            ),
        ];
        assert_eq!(root_value(&files, "", "module.a.y"), "(unknown)");
        assert_eq!(root_value(&files, "", "module.a.z"), "\"z\"");
        assert_eq!(root_value(&files, "", "module.b.y"), "\"fine\"");
    }

    #[test]
    fn instances_of_a_module_are_indexed_in_instance_order() {
        let (_d, ws) = load();
        let v = Values::build(&ws, &CliValues::default());
        for m in &ws.modules {
            let scanned: Vec<usize> = (0..v.instances.len())
                .filter(|&i| v.instances[i].module == m.id)
                .collect();
            assert_eq!(v.instances_of(m.id).collect::<Vec<_>>(), scanned);
        }
        // m3 is reached through two calls at each of three levels, from
        // each of three roots.
        let m3 = ws.modules.iter().find(|m| m.dir.ends_with("m3")).unwrap();
        assert_eq!(v.instances_of(m3.id).count(), 24);
    }

    #[test]
    fn trees_built_in_parallel_match_one_after_another() {
        let (_d, ws) = load();
        let cli = CliValues::default();
        let all = Values::build_limited(&ws, &cli, 1000);
        assert!(!all.truncated);
        assert_eq!(all.instances.len(), 45);
        // Each tree, alone, is the same sequence, with parents offset.
        let mut expected = Vec::new();
        for (k, root) in ws
            .modules
            .iter()
            .filter(|m| m.place == Place::Root)
            .enumerate()
        {
            let tree = Values::tree(&ws, &DeclsCache::new(&ws), &cli, root.id, 1000);
            assert_eq!(tree.instances.len(), 15);
            expected.extend(
                shape(&tree)
                    .into_iter()
                    .map(|(a, p)| (a, p.map(|p| p + 15 * k))),
            );
        }
        assert_eq!(shape(&all), expected);
    }

    #[test]
    fn the_instance_limit_cuts_the_sequence_where_one_after_another_would() {
        let (_d, ws) = load();
        let cli = CliValues::default();
        let full = Values::build_limited(&ws, &cli, 1000);
        let cut = Values::build_limited(&ws, &cli, 20);
        assert!(cut.truncated);
        // The first root keeps all 15, the second the first 5 of its own,
        // and the third only itself: roots are always kept.
        let s = shape(&cut);
        assert_eq!(s.len(), 21);
        let f = shape(&full);
        assert_eq!(s[..20], f[..20]);
        assert_eq!(s[20], f[30]);
        assert_eq!(s[20].1, None);
        assert!(s
            .iter()
            .enumerate()
            .all(|(i, (_, p))| p.is_none_or(|p| p < i)));
    }
}
