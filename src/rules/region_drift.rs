//! `region-drift`: a value that states a region and disagrees with where
//! its resource or module instance runs, or agrees today only by
//! coincidence: written as a literal where the region it must match comes
//! from a variable, or the other way round.
//!
//! Which arguments state a region, how, and what they must match is data:
//! `rules/data/region-arguments.txt`.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::config::{OptionKind, OptionValue};
use crate::eval::ast::{Ast, Key, Kind, Part};
use crate::eval::{Origin, OriginKind, Resolved, Value};
use crate::finding::{Finding, Label};
use crate::model::refs;
use crate::model::wiring::{placements_of, Placement, Target};
use crate::model::{Expr, Place, ResourceMode};
use crate::regions::{self, Cloud};
use crate::source::{FileId, Span};
use crate::{HashMap, HashSet};
use std::sync::OnceLock;

declare_rule! {
    RegionDrift, "region-drift", Region,
    "a value that states an AWS region (`awslogs-region`, `peer_region`, `source_region`, an ARN, a `com.amazonaws.<region>.` service name, a local module's `region` input) other than where its resource runs, or hard-coded where that region comes from a variable",
    options: &[("fragile", OptionKind::Bool)],
    uses_placements: true,
}

const DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/region-arguments.txt"
));

/// Where an argument is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    Resource(String),
    /// An argument of a call of a local module.
    Module,
}

/// How a value states a region.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    Region,
    Arn,
    /// Names in which the region stands between a prefix and a suffix;
    /// `open` when anything may follow the suffix.
    Pattern(Vec<NamePattern>),
    /// JSON members of this name.
    Key(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct NamePattern {
    prefix: String,
    suffix: String,
    open: bool,
}

/// The region a stated one must equal.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Against {
    /// Where the resource runs, unless it sets `unless`.
    Own { unless: Option<String> },
    /// Where the resource that argument `arg` refers to runs.
    Of {
        arg: String,
        types: Vec<(ResourceMode, String)>,
    },
    /// Where a local child module's resources run.
    Provider,
}

/// One line of the data file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    scope: Scope,
    path: Vec<String>,
    form: Form,
    against: Against,
}

fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |m: &str| format!("rules/data/region-arguments.txt:{}: {m}", n + 1);
        let cols: Vec<&str> = line.split(" | ").map(str::trim).collect();
        let [scope, path, form, against] = cols[..] else {
            return Err(err("expected four columns separated by \" | \""));
        };
        if scope.is_empty() || path.is_empty() {
            return Err(err("empty column"));
        }
        let scope = match scope {
            "module" => Scope::Module,
            t => Scope::Resource(t.to_string()),
        };
        let form = match form.split_once(' ') {
            None if form == "region" => Form::Region,
            None if form == "arn" => Form::Arn,
            Some(("key", k)) if !k.trim().is_empty() => Form::Key(k.trim().to_string()),
            Some(("pattern", ps)) => Form::Pattern(
                ps.split(',')
                    .map(|p| parse_pattern(p.trim()))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| err("a pattern needs one {region}"))?,
            ),
            _ => {
                return Err(err(
                    "form must be `region`, `arn`, `pattern P,...` or `key K`",
                ))
            }
        };
        let words: Vec<&str> = against.split_whitespace().collect();
        let against = match words[..] {
            ["own"] => Against::Own { unless: None },
            ["own", "unless", arg] => Against::Own {
                unless: Some(arg.to_string()),
            },
            ["of", arg, types] => Against::Of {
                arg: arg.to_string(),
                types: types
                    .split(',')
                    .map(|t| match t.strip_prefix("data.") {
                        Some(t) => (ResourceMode::Data, t.to_string()),
                        None => (ResourceMode::Managed, t.to_string()),
                    })
                    .collect(),
            },
            ["provider"] => Against::Provider,
            _ => {
                return Err(err(
                    "must be `own`, `own unless ARG`, `of ARG TYPE,...` or `provider`",
                ))
            }
        };
        if (scope == Scope::Module) != (against == Against::Provider) {
            return Err(err("`provider` is for module arguments, and only it"));
        }
        out.push(Entry {
            scope,
            path: path.split('.').map(str::to_string).collect(),
            form,
            against,
        });
    }
    Ok(out)
}

fn parse_pattern(p: &str) -> Option<NamePattern> {
    let (prefix, rest) = p.split_once("{region}")?;
    if rest.contains("{region}") {
        return None;
    }
    let (suffix, open) = match rest.strip_suffix('*') {
        Some(s) => (s, true),
        None => (rest, false),
    };
    Some(NamePattern {
        prefix: prefix.to_string(),
        suffix: suffix.to_string(),
        open,
    })
}

fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| parse(DATA).unwrap_or_else(|e| panic!("built-in data is invalid: {e}")))
}

/// The entries for each resource type.
fn by_type() -> &'static HashMap<&'static str, Vec<&'static Entry>> {
    static BY_TYPE: OnceLock<HashMap<&'static str, Vec<&'static Entry>>> = OnceLock::new();
    BY_TYPE.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<&'static Entry>> = HashMap::default();
        for e in entries() {
            if let Scope::Resource(t) = &e.scope {
                m.entry(t.as_str()).or_default().push(e);
            }
        }
        m
    })
}

/// Whether a managed resource type runs in no region
/// (`rules/data/region-agnostic-resources.txt`).
fn is_global(type_name: &str) -> bool {
    crate::regions::is_region_agnostic("resource", type_name)
}

/// The parts of resource bodies this rule reads: each listed argument's
/// first step, and the arguments its comparison reads.
pub(crate) fn body_reads(type_name: &str) -> impl Iterator<Item = &'static str> + '_ {
    by_type()
        .get(type_name)
        .into_iter()
        .flatten()
        .flat_map(|e| {
            let extra = match &e.against {
                Against::Own { unless } => unless.as_deref(),
                Against::Of { arg, .. } => Some(arg.as_str()),
                Against::Provider => None,
            };
            std::iter::once(e.path[0].as_str()).chain(extra)
        })
}

/// A region stated by a value.
struct Claim {
    /// Where it is stated: the argument, or the JSON member's value.
    span: Span,
    /// The region as stated.
    region: String,
    /// Where the region's text came from.
    source: Source,
}

/// Where the text of a region came from.
enum Source {
    /// Written literally where it is stated.
    Written,
    /// A value with its origin.
    Value(Box<Resolved>),
    /// Computed in a way whose origin tfpin does not follow.
    Unclear,
}

/// The region a stated one must equal, found.
struct Expected {
    /// The region, as a known string, with where it was written.
    value: Resolved,
    /// The catalog's code for it.
    code: String,
    /// The comparison, for messages: "the resource runs in".
    runs: String,
    /// What the region belongs to, for messages: "the region the resource
    /// runs in".
    noun: String,
    /// The remedy when the regions disagree.
    fix: String,
    /// Read from an ARN (see [`Judged::identity`]).
    identity: bool,
    labels: Vec<Label>,
}

/// Whether a value's region could change without the code changing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Class {
    /// Set through a root module's variable: its default, a `.tfvars`
    /// file, `-var` or the environment.
    Input(String),
    /// Written in the code: a literal, a local, a literal argument of a
    /// module block, a child module's own default.
    Code,
    Unclear,
}

impl Rule for RegionDrift {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let placements = cx.placements();
        // The places of values already reported as a module input, so that
        // what the child does with them is not reported again.
        let mut reported: HashSet<Span> = HashSet::default();
        self.module_inputs(cx, placements, &mut reported, out);
        for p in placements {
            let module = cx.ws.module(cx.values.instances[p.instance].module);
            let r = &module.config.resources[p.resource];
            let Some(list) = by_type().get(r.type_name.as_str()) else {
                continue;
            };
            if r.mode != ResourceMode::Managed {
                continue;
            }
            for e in list {
                let path: Vec<&str> = e.path.iter().map(String::as_str).collect();
                let exprs = r.content.attrs_at(&path);
                if exprs.is_empty() {
                    continue;
                }
                if let Against::Own {
                    unless: Some(arg), ..
                } = &e.against
                {
                    if r.content.attr(arg).is_some() {
                        continue;
                    }
                }
                let what = e.path.last().map_or("", String::as_str);
                let mut claims = Vec::new();
                for x in &exprs {
                    claims_in(cx, p.instance, x, &e.form, &mut claims);
                }
                claims.retain(|c| !already(&reported, c));
                if claims.is_empty() {
                    continue;
                }
                let expected = match &e.against {
                    Against::Own { .. } => own_region(cx, p),
                    Against::Of { arg, types } => of_region(cx, placements, p, arg, types),
                    Against::Provider => None,
                };
                let Some(expected) = expected else { continue };
                let form_what = match &e.form {
                    Form::Key(k) => k.as_str(),
                    _ => what,
                };
                let subject = format!("{}.{}", r.address(), e.path.join("."));
                for c in claims {
                    let at = Judged {
                        instance: p.instance,
                        module: &module.display,
                        what: form_what,
                        owner: r.address(),
                        subject: &subject,
                        identity: e.form == Form::Arn,
                    };
                    out.extend(self.judge(cx, &at, &c, &expected));
                }
            }
        }
    }
}

/// What a claim belongs to, for findings.
struct Judged<'a> {
    instance: usize,
    module: &'a str,
    /// The argument or member that states the region.
    what: &'a str,
    /// `aws_lb_listener.https`, `module "vpc"`.
    owner: String,
    subject: &'a str,
    /// The region is part of an ARN: of one resource's identity, which a
    /// variable could not move. Agreeing with one only by coincidence is
    /// not drift, so only a disagreement is reported.
    identity: bool,
}

impl RegionDrift {
    /// Module inputs named like a region, against where the child's
    /// resources run.
    fn module_inputs(
        &self,
        cx: &Context<'_, '_>,
        placements: &[Placement],
        reported: &mut HashSet<Span>,
        out: &mut Vec<Finding>,
    ) {
        let inputs: Vec<&Entry> = entries()
            .iter()
            .filter(|e| e.scope == Scope::Module)
            .collect();
        for (child, inst) in cx.values.instances.iter().enumerate() {
            let Some((parent, ci)) = inst.parent else {
                continue;
            };
            let caller = cx.ws.module(cx.values.instances[parent].module);
            let call = &caller.config.module_calls[ci];
            let child_module = cx.ws.module(inst.module);
            for e in &inputs {
                let name = e.path[0].as_str();
                let Some((_, arg)) = call.arguments().find(|(k, _)| *k == name) else {
                    continue;
                };
                // An input the child never reads says nothing about it. The
                // model keeps the variables that what it keeps reads: the
                // arguments region rules read, locals, outputs, calls.
                if !child_module.config.variables.iter().any(|v| v.name == name) {
                    continue;
                }
                let mut claims = Vec::new();
                claims_in(cx, parent, arg, &e.form, &mut claims);
                if claims.is_empty() {
                    continue;
                }
                let Some(expected) = inherited_region(cx, placements, child) else {
                    continue;
                };
                let subject = format!("{}.{name}", call.address());
                for c in claims {
                    let at = Judged {
                        instance: parent,
                        module: &caller.display,
                        what: name,
                        owner: call.label(),
                        subject: &subject,
                        identity: false,
                    };
                    let found = self.judge(cx, &at, &c, &expected);
                    if found.is_some() {
                        reported.insert(c.span.clone());
                        if let Source::Value(r) = &c.source {
                            reported.extend(r.origin.as_ref().and_then(|o| o.span.clone()));
                        }
                    }
                    out.extend(found);
                }
            }
        }
    }

    /// A finding when a claim disagrees with the expected region, or
    /// agrees with it only as long as a variable keeps its value.
    fn judge(
        &self,
        cx: &Context<'_, '_>,
        at: &Judged<'_>,
        c: &Claim,
        e: &Expected,
    ) -> Option<Finding> {
        let stated = regions::catalog().lookup(Cloud::Aws, &c.region)?;
        let suffix = cx.instance_suffix(at.instance);
        let (message, help) = if stated.code != e.code {
            (
                format!(
                    "{} of {} names \"{}\" but {} \"{}\"{suffix}",
                    at.what, at.owner, c.region, e.runs, e.code
                ),
                e.fix.clone(),
            )
        } else {
            let root = cx.values.instances[at.instance].root;
            let fragile = !matches!(
                cx.settings_for(root).option(Self::META.id, "fragile"),
                Some(OptionValue::Bool(false))
            );
            if !fragile || at.identity || e.identity {
                return None;
            }
            let stated_class = class_of(cx, &c.source);
            let expected_class = class_of(cx, &Source::Value(Box::new(e.value.clone())));
            match (stated_class, expected_class) {
                (Class::Code, Class::Input(v)) => (
                    format!(
                        "{} of {} is written as \"{}\" but {} comes from variable \"{v}\"{suffix}",
                        at.what, at.owner, c.region, e.noun
                    ),
                    format!(
                        "they agree only until variable \"{v}\" changes: refer to it (or to `data.aws_region.current.region`) instead of writing the region again"
                    ),
                ),
                (Class::Input(v), Class::Code) => (
                    format!(
                        "{} of {} comes from variable \"{v}\" but {} is written as \"{}\"{suffix}",
                        at.what, at.owner, e.noun, e.code
                    ),
                    format!(
                        "they agree only until variable \"{v}\" changes: take both from one place, the variable or `data.aws_region.current.region`"
                    ),
                ),
                _ => return None,
            }
        };
        let mut f = cx
            .finding(c.span.clone(), message)
            .in_module(at.module)
            .about(at.subject)
            .in_instance(at.instance)
            .with_help(help);
        if let Source::Value(r) = &c.source {
            f.labels
                .extend(cx.origin_label(&format!("the {}", at.what), Some(&c.span), r));
        }
        f.labels.extend(e.labels.iter().cloned());
        Some(f)
    }
}

/// Whether a claim's value was reported already, as a module input.
fn already(reported: &HashSet<Span>, c: &Claim) -> bool {
    match &c.source {
        Source::Value(r) => r
            .origin
            .as_ref()
            .and_then(|o| o.span.as_ref())
            .is_some_and(|s| reported.contains(s)),
        _ => false,
    }
}

/// Evaluates a part of an expression written in `file`.
fn eval_ast(cx: &Context<'_, '_>, instance: usize, file: FileId, ast: &Ast) -> Resolved {
    cx.values.eval(
        instance,
        &Expr {
            file,
            ast: ast.clone(),
        },
    )
}

/// The regions an expression states, in the form the data gives.
fn claims_in(
    cx: &Context<'_, '_>,
    instance: usize,
    expr: &Expr,
    form: &Form,
    out: &mut Vec<Claim>,
) {
    match form {
        Form::Key(key) => key_claims(cx, instance, expr, key, out),
        _ => match &expr.ast.kind {
            Kind::Array(items) => {
                for item in items.iter() {
                    value_claims(cx, instance, expr.file, item, form, out);
                }
            }
            _ => value_claims(cx, instance, expr.file, &expr.ast, form, out),
        },
    }
}

/// The region one value states: a string, or each string of a list.
fn value_claims(
    cx: &Context<'_, '_>,
    instance: usize,
    file: FileId,
    ast: &Ast,
    form: &Form,
    out: &mut Vec<Claim>,
) {
    let span = Span::new(file, ast.range());
    let r = eval_ast(cx, instance, file, ast);
    match &r.value {
        Value::String(s) => {
            if let Some(region) = stated(form, s) {
                out.push(Claim {
                    span,
                    region: region.to_string(),
                    source: provenance(cx, instance, file, ast, region),
                });
            }
        }
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                let (Some(s), Some(elem)) = (item.as_str(), r.index(i)) else {
                    continue;
                };
                if let Some(region) = stated(form, s) {
                    out.push(Claim {
                        span: span.clone(),
                        region: region.to_string(),
                        source: Source::Value(Box::new(elem)),
                    });
                }
            }
        }
        _ => {}
    }
}

/// The region a string states, when it is a region of the AWS catalog.
fn stated<'s>(form: &Form, s: &'s str) -> Option<&'s str> {
    let region = match form {
        Form::Region | Form::Key(_) => s,
        Form::Arn => arn_region(s)?,
        Form::Pattern(patterns) => patterns.iter().find_map(|p| {
            let rest = s.strip_prefix(&p.prefix)?;
            let end = if p.suffix.is_empty() {
                rest.len()
            } else {
                rest.find(&p.suffix)?
            };
            let (region, after) = rest.split_at(end);
            let after = &after[p.suffix.len()..];
            let known = regions::catalog().lookup(Cloud::Aws, region).is_some();
            (known && (p.open || after.is_empty())).then_some(region)
        })?,
    };
    regions::catalog()
        .lookup(Cloud::Aws, region)
        .is_some()
        .then_some(region)
}

/// The region field of an ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT:...`,
/// when it has one.
fn arn_region(s: &str) -> Option<&str> {
    let mut parts = s.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(_service), Some(region), Some(_account), Some(_)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    (partition.starts_with("aws") && !region.is_empty()).then_some(region)
}

/// Where the text `region` in the value of `ast` came from: a literal part
/// of a template, or the value of the reference it interpolates.
fn provenance(
    cx: &Context<'_, '_>,
    instance: usize,
    file: FileId,
    ast: &Ast,
    region: &str,
) -> Source {
    match &ast.kind {
        Kind::Paren(inner) => provenance(cx, instance, file, inner, region),
        Kind::String(s) if s.contains(region) => Source::Written,
        Kind::Template(parts) => match &parts[..] {
            [Part::Interpolation(e)] => provenance(cx, instance, file, e, region),
            _ => {
                for part in parts.iter() {
                    match part {
                        Part::Literal(l) if l.contains(region) => return Source::Written,
                        Part::Interpolation(e) => {
                            let r = eval_ast(cx, instance, file, e);
                            if r.value.as_str().is_some_and(|v| v.contains(region)) {
                                return Source::Value(Box::new(r));
                            }
                        }
                        _ => {}
                    }
                }
                Source::Unclear
            }
        },
        _ => {
            let r = eval_ast(cx, instance, file, ast);
            if r.value.as_str().is_some_and(|v| v.contains(region)) {
                Source::Value(Box::new(r))
            } else {
                Source::Unclear
            }
        }
    }
}

/// The regions that the members named `key` of a JSON document state:
/// written in the expression (`jsonencode([{ ... }])`), or in the value it
/// evaluates to (a JSON heredoc, `jsonencode(local.containers)`).
fn key_claims(cx: &Context<'_, '_>, instance: usize, expr: &Expr, key: &str, out: &mut Vec<Claim>) {
    key_claims_in(cx, instance, expr, key, 0, out);
}

/// How many locals a JSON document is followed through.
const MAX_HOPS: usize = 8;

fn key_claims_in(
    cx: &Context<'_, '_>,
    instance: usize,
    expr: &Expr,
    key: &str,
    hops: usize,
    out: &mut Vec<Claim>,
) {
    let mut found = false;
    expr.ast.visit(&mut |node| {
        let Kind::Object(items) = &node.kind else {
            return;
        };
        for (k, v) in items.iter() {
            let name = match k {
                Key::Ident(a) => match &a.kind {
                    Kind::Variable(n) => Some(n.to_string()),
                    _ => None,
                },
                Key::Expr(a) => a.literal_str(),
            };
            if name.as_deref() == Some(key) {
                found = true;
                value_claims(cx, instance, expr.file, v, &Form::Key(key.to_string()), out);
            }
        }
    });
    if found {
        return;
    }
    // A document written in a local: its members are written there.
    if let Some(name) = local_name(&expr.ast) {
        let module = cx.ws.module(cx.values.instances[instance].module);
        if let Some(l) = module.config.locals.iter().rev().find(|l| l.name == name) {
            if hops < MAX_HOPS {
                key_claims_in(cx, instance, &l.expr, key, hops + 1, out);
            }
            return;
        }
    }
    let span = expr.span();
    let r = cx.values.eval(instance, expr);
    // A JSON heredoc: known, or with unknown values inside its strings
    // (`"awslogs-group": "${aws_cloudwatch_log_group.x.name}"`).
    let text = match (r.value.as_str(), &expr.ast.kind) {
        (Some(text), _) => Some(text.to_string()),
        (None, Kind::Template(parts)) => template_text(cx, instance, expr.file, parts),
        _ => None,
    };
    if let Some(text) = text {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            return;
        };
        let mut regions = Vec::new();
        json_members(&doc, key, 0, &mut regions);
        for region in regions {
            if stated(&Form::Region, &region).is_some() {
                let source = provenance(cx, instance, expr.file, &expr.ast, &region);
                out.push(Claim {
                    span: span.clone(),
                    region,
                    source,
                });
            }
        }
        return;
    }
    // `jsonencode(x)` is not evaluated; `x` may be.
    if let Kind::Call(call) = &expr.ast.kind {
        if &*call.name == "jsonencode" && call.args.len() == 1 {
            let v = eval_ast(cx, instance, expr.file, &call.args[0]);
            let mut found = Vec::new();
            resolved_members(&v, key, 0, &mut found);
            for m in found {
                if let Some(region) = m.value.as_str().and_then(|s| stated(&Form::Region, s)) {
                    out.push(Claim {
                        span: span.clone(),
                        region: region.to_string(),
                        source: Source::Value(Box::new(m.clone())),
                    });
                }
            }
        }
    }
}

/// What stands for an unknown interpolation in [`template_text`]: no
/// region, and valid inside a JSON string.
const UNKNOWN_TEXT: &str = "(unknown)";

/// A template's text with each unknown interpolation replaced by
/// [`UNKNOWN_TEXT`]; `None` with a directive.
fn template_text(
    cx: &Context<'_, '_>,
    instance: usize,
    file: FileId,
    parts: &[Part],
) -> Option<String> {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Literal(l) => out.push_str(l),
            Part::Interpolation(e) => match eval_ast(cx, instance, file, e).value {
                Value::String(v) => out.push_str(&v),
                _ => out.push_str(UNKNOWN_TEXT),
            },
            Part::Directive(_) => return None,
        }
    }
    Some(out)
}

/// The name of a bare `local.NAME` reference.
fn local_name(ast: &Ast) -> Option<&str> {
    let Kind::Traversal(t) = &ast.kind else {
        return None;
    };
    match (&t.root.kind, &t.ops[..]) {
        (Kind::Variable(root), [crate::eval::ast::Op::GetAttr(name)]) if &**root == "local" => {
            Some(name)
        }
        _ => None,
    }
}

/// How deeply JSON documents are searched for a member.
const MAX_DEPTH: usize = 32;

/// The string values of every member named `key` of a JSON document.
fn json_members(v: &serde_json::Value, key: &str, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match v {
                    serde_json::Value::String(s) if k == key => out.push(s.clone()),
                    _ => json_members(v, key, depth + 1, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                json_members(v, key, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// The values of every member named `key` in a resolved value, each with
/// its origin.
fn resolved_members(r: &Resolved, key: &str, depth: usize, out: &mut Vec<Resolved>) {
    if depth > MAX_DEPTH {
        return;
    }
    match &r.value {
        Value::Map(m) => {
            for k in m.keys() {
                let Some(child) = r.get(k) else { continue };
                if k == key {
                    out.push(child);
                } else {
                    resolved_members(&child, key, depth + 1, out);
                }
            }
        }
        Value::List(items) => {
            for i in 0..items.len() {
                if let Some(child) = r.index(i) {
                    resolved_members(&child, key, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// Whether a value's region is an input of the deployment, or written in
/// the code. A value from a template or a function is unclear: its origin
/// is where the expression was written, not where the region was.
fn class_of(cx: &Context<'_, '_>, source: &Source) -> Class {
    let r = match source {
        Source::Written => return Class::Code,
        Source::Unclear => return Class::Unclear,
        Source::Value(r) => r,
    };
    let Some(Origin { span, kind }) = &r.origin else {
        return Class::Unclear;
    };
    let plain = || {
        span.as_ref().is_some_and(|s| {
            let text = cx.ws.sources.get(s.file).slice(&s.range).trim();
            text.len() >= 2
                && text.starts_with('"')
                && text.ends_with('"')
                && !text.contains("${")
                && !text.contains("%{")
        })
    };
    match kind {
        OriginKind::Tfvars { name } | OriginKind::CliVar { name } | OriginKind::EnvVar { name } => {
            Class::Input(name.clone())
        }
        OriginKind::VariableDefault { name } => {
            let in_root = span.as_ref().is_some_and(|s| {
                cx.ws
                    .modules
                    .iter()
                    .any(|m| m.place == Place::Root && m.files.contains(&s.file))
            });
            if in_root {
                Class::Input(name.clone())
            } else {
                Class::Code
            }
        }
        OriginKind::Literal
        | OriginKind::Local { .. }
        | OriginKind::Caller { .. }
        | OriginKind::Output { .. } => {
            if plain() {
                Class::Code
            } else {
                Class::Unclear
            }
        }
    }
}

/// The catalog code of a placement's region, when it is known.
fn code_of(p: &Placement) -> Option<String> {
    let s = p.region.value.as_str()?;
    regions::catalog()
        .lookup(Cloud::Aws, s)
        .map(|r| r.code.clone())
}

/// The first of some placements and their region, when every one is known
/// and they agree.
fn agreed(placements: Vec<&Placement>) -> Option<(&Placement, String)> {
    let mut found: Option<(&Placement, String)> = None;
    for p in placements {
        let code = code_of(p)?;
        match &found {
            None => found = Some((p, code)),
            Some((_, c)) if *c == code => {}
            Some(_) => return None,
        }
    }
    found
}

/// Where a resource runs.
fn own_region(cx: &Context<'_, '_>, p: &Placement) -> Option<Expected> {
    let code = code_of(p)?;
    Some(Expected {
        value: (*p.region).clone(),
        code: code.clone(),
        runs: "the resource runs in".to_string(),
        noun: "the region it runs in".to_string(),
        fix: format!(
            "name the region it runs in, \"{code}\", by referring to where that comes from (the variable of the provider's region, or `data.aws_region.current.region`, `.name` before AWS provider v6) rather than writing it again"
        ),
        identity: false,
        labels: where_it_runs(cx, p, "it runs"),
    })
}

/// Where the resource that `arg` refers to runs, or the region its ARN
/// names.
fn of_region(
    cx: &Context<'_, '_>,
    placements: &[Placement],
    p: &Placement,
    arg: &str,
    types: &[(ResourceMode, String)],
) -> Option<Expected> {
    let module = cx.ws.module(cx.values.instances[p.instance].module);
    let r = &module.config.resources[p.resource];
    let e = r.content.attr(arg)?;
    let v = cx.values.eval(p.instance, e);
    if let Some(s) = v.value.as_str() {
        let region = arn_region(s)?;
        let code = regions::catalog().lookup(Cloud::Aws, region)?.code.clone();
        let mut labels = vec![Label {
            span: e.span(),
            message: format!("{arg} names \"{region}\""),
        }];
        labels.extend(cx.origin_label(arg, Some(&e.span()), &v));
        let value = Resolved::new(Value::String(region.to_string()), v.origin.clone());
        return Some(Expected {
            value,
            code: code.clone(),
            runs: format!("the ARN in {arg} names"),
            noun: format!("the region in {arg}"),
            fix: format!(
                "make the two agree: name \"{code}\", or the ARN of the source where it really is"
            ),
            identity: true,
            labels,
        });
    }
    let mut candidates = Vec::new();
    for t in refs::referents_bound(cx.ws, cx.values, p.instance, e, &p.bindings) {
        let tm = cx.ws.module(cx.values.instances[t.instance].module);
        let tr = &tm.config.resources[t.resource];
        if types
            .iter()
            .any(|(mode, ty)| *mode == tr.mode && *ty == tr.type_name)
        {
            candidates.extend(
                (placements_of(placements, t.instance, t.resource).iter())
                    .filter(|q| t.names(q.key.as_ref())),
            );
        }
    }
    let (tp, code) = agreed(candidates)?;
    let tm = cx.ws.module(cx.values.instances[tp.instance].module);
    let tr = &tm.config.resources[tp.resource];
    let mut labels = vec![Label {
        span: e.span(),
        message: format!("{arg} refers to {}", tr.address()),
    }];
    labels.extend(where_it_runs(cx, tp, &format!("{} runs", tr.address())));
    Some(Expected {
        value: (*tp.region).clone(),
        code: code.clone(),
        runs: format!("{}, which {arg} refers to, runs in", tr.address()),
        noun: format!("the region of {}", tr.address()),
        fix: format!(
            "name the region of {}, \"{code}\", by referring to where its provider configuration's region comes from rather than writing it again",
            tr.address()
        ),
        identity: false,
        labels,
    })
}

/// Where the resources of a local module instance run on the default
/// configuration they inherit or are passed: known only when every such
/// resource that runs in a region agrees.
fn inherited_region(
    cx: &Context<'_, '_>,
    placements: &[Placement],
    child: usize,
) -> Option<Expected> {
    let lo = placements.partition_point(|p| p.instance < child);
    let hi = placements.partition_point(|p| p.instance <= child);
    let module = cx.ws.module(cx.values.instances[child].module);
    let mut candidates = Vec::new();
    for p in &placements[lo..hi] {
        let r = &module.config.resources[p.resource];
        let default_config = r.provider.as_ref().is_none_or(|pr| pr.alias.is_none());
        if r.mode != ResourceMode::Managed
            || !r.type_name.starts_with("aws_")
            || !default_config
            || p.region_from_resource
            || is_global(&r.type_name)
        {
            continue;
        }
        // A configuration of the child's own is the child's business.
        let Target::Block { instance, .. } = *p.target else {
            return None;
        };
        if instance != child {
            candidates.push(p);
        }
    }
    let (p, code) = agreed(candidates)?;
    let r = &module.config.resources[p.resource];
    Some(Expected {
        value: (*p.region).clone(),
        code: code.clone(),
        runs: "the module's resources run in".to_string(),
        noun: "the region of the module's resources".to_string(),
        fix: format!(
            "pass the region the module runs in, \"{code}\" (the variable its provider configuration's region comes from), or pass the module a provider configuration for the region it is given in `providers`"
        ),
        identity: false,
        labels: where_it_runs(
            cx,
            p,
            &format!(
                "{} of {} runs",
                r.address(),
                cx.values.instances[child].address
            ),
        ),
    })
}

/// Labels on where a placement's region is set, and where its value was
/// written: "`aws_lb.x` runs on provider configuration aws of `envs/prod`,
/// whose region is set here".
fn where_it_runs(cx: &Context<'_, '_>, p: &Placement, who: &str) -> Vec<Label> {
    let mut out = Vec::new();
    let module = cx.ws.module(cx.values.instances[p.instance].module);
    let r = &module.config.resources[p.resource];
    let set_at = if p.region_from_resource {
        r.content.attr("region").map(|e| {
            (
                e.span(),
                format!("{who} in the region its own `region` sets here"),
            )
        })
    } else if let Target::Block {
        instance, index, ..
    } = *p.target
    {
        let m = cx.ws.module(cx.values.instances[instance].module);
        let pc = &m.config.provider_configs[index];
        pc.region().map(|e| {
            (
                e.span(),
                format!(
                    "{who} on provider configuration {} of `{}`, whose region is set here",
                    pc.reference(),
                    m.display
                ),
            )
        })
    } else {
        None
    };
    if let Some((span, message)) = set_at {
        out.push(Label {
            span: span.clone(),
            message,
        });
        out.extend(cx.origin_label("the region", Some(&span), &p.region));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_lists_parse() {
        let e = parse(DATA).unwrap();
        assert!(e
            .iter()
            .any(|e| e.scope == Scope::Module && e.path == ["region"]));
        assert!(e
            .iter()
            .any(|e| matches!(&e.form, Form::Key(k) if k == "awslogs-region")));
        assert!(is_global("aws_iam_role"));
        assert!(is_global("aws_route53_record"));
        assert!(!is_global("aws_route53_resolver_endpoint"));
        assert!(!is_global("aws_s3_bucket"));
    }

    #[test]
    fn malformed_lines_are_reported_with_their_line() {
        let e = parse("# c\naws_x | a | region | whenever\n").unwrap_err();
        assert!(e.contains(":2: must be `own`"), "{e}");
        assert!(parse("aws_x | a | pattern no-region | own\n").is_err());
        assert!(parse("aws_x | a | region\n").is_err());
        assert!(parse("module | region | region | own\n").is_err());
        assert!(parse("aws_x | region | region | provider\n").is_err());
    }

    #[test]
    fn regions_are_read_from_arns_and_service_names() {
        assert_eq!(
            arn_region("arn:aws:acm:eu-west-1:111111111111:certificate/abc"),
            Some("eu-west-1")
        );
        assert_eq!(
            arn_region("arn:aws-us-gov:kms:us-gov-west-1:1:key/x"),
            Some("us-gov-west-1")
        );
        // IAM and S3 ARNs name no region; a key id is no ARN.
        assert_eq!(arn_region("arn:aws:iam::111111111111:role/x"), None);
        assert_eq!(arn_region("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_region("1234abcd-12ab-34cd-56ef-1234567890ab"), None);
        let service = entries()
            .iter()
            .find(|e| matches!(e.form, Form::Pattern(_)))
            .unwrap();
        let s = |v| stated(&service.form, v);
        assert_eq!(s("com.amazonaws.eu-west-1.s3"), Some("eu-west-1"));
        assert_eq!(
            s("com.amazonaws.vpce.us-east-1.vpce-svc-0123"),
            Some("us-east-1")
        );
        assert_eq!(
            s("aws.sagemaker.eu-central-1.notebook"),
            Some("eu-central-1")
        );
        assert_eq!(s("com.amazonaws.s3-global.accesspoint"), None);
        assert_eq!(s("com.amazonaws.eu-west-1"), None);
        // A string the AWS catalog does not know states no region.
        assert_eq!(stated(&Form::Region, "europe-west1"), None);
        assert_eq!(stated(&Form::Arn, "arn:aws:kms:mars-1:1:key/x"), None);
    }

    #[test]
    fn json_members_are_found_at_any_depth() {
        let doc: serde_json::Value = serde_json::from_str(
            r#"[{"name":"a","logConfiguration":{"logDriver":"awslogs","options":{"awslogs-region":"eu-west-1"}}},
                {"name":"b","logConfiguration":{"options":{"awslogs-region":"us-east-1","awslogs-group":"g"}}}]"#,
        )
        .unwrap();
        let mut out = Vec::new();
        json_members(&doc, "awslogs-region", 0, &mut out);
        assert_eq!(out, ["eu-west-1", "us-east-1"]);
    }
}
