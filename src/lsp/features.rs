//! What the server computes: diagnostics and code actions from a check,
//! hover and definition from the model. Each call reads the tree afresh
//! over the open documents' text.

use super::convert;
use super::Found;
use crate::engine::{Reading, Teardown};
use crate::finding::{Finding, Severity};
use crate::fix::Overlay;
use crate::model::module::ProviderRef;
use crate::model::workspace::{Module, Workspace};
use crate::source::FileId;
use lsp_types::{
    CodeAction, CodeActionKind, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Location, NumberOrString, TextEdit, Uri, WorkspaceEdit,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the server offers, for `initialize`.
pub fn capabilities() -> Value {
    json!({
        "capabilities": {
            "positionEncoding": "utf-16",
            "textDocumentSync": {
                "openClose": true,
                // Full: every change sends the whole text.
                "change": 1,
                "save": {"includeText": true}
            },
            "codeActionProvider": {"codeActionKinds": ["quickfix"]},
            "hoverProvider": true,
            "definitionProvider": true
        },
        "serverInfo": {"name": "tfpin", "version": env!("CARGO_PKG_VERSION")}
    })
}

/// The project root and settings of a document, as `tfpin check PATH`
/// would find them.
fn context(path: &Path) -> Result<(PathBuf, crate::config::Settings), String> {
    if !path.is_file() {
        return Err("the file is not on disk; tfpin checks it once it is saved".into());
    }
    let named = [path.to_path_buf()];
    let root = crate::project::root_of_all(&named).map_err(|e| e.0)?.dir;
    let settings = crate::app::resolve_settings(&Default::default(), &root, &named)?;
    Ok((root, settings))
}

/// Checks a document's module and the trees that contain it over the open
/// documents, and gives each file of the modules checked what it has: an
/// entry for every file, so that a fixed finding's diagnostic goes.
pub(super) fn check(
    path: &Path,
    overlay: &Overlay,
) -> Result<HashMap<PathBuf, Vec<Found>>, String> {
    let (root, settings) = context(path)?;
    let report = crate::engine::check_over(
        &root,
        &[path.to_path_buf()],
        &settings,
        Teardown::Free,
        Some(overlay),
    )
    .map_err(|e| e.to_string())?;
    let ws = &report.workspace;
    let mut by_file: HashMap<PathBuf, Vec<Found>> = HashMap::new();
    by_file.insert(path.to_path_buf(), Vec::new());
    for m in ws.targets() {
        for id in m.files.iter().chain(&m.auto_vars).chain(&m.other_files) {
            by_file.entry(ws.path_of(*id)).or_default();
        }
    }
    for f in &report.findings {
        by_file
            .entry(ws.path_of(f.span.file))
            .or_default()
            .push(found(f, ws));
    }
    Ok(by_file)
}

/// The diagnostic for a panic while checking a document.
pub(super) fn internal_error(message: &str) -> Found {
    Found {
        diagnostic: Diagnostic {
            range: lsp_types::Range::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("internal-error".into())),
            source: Some("tfpin".into()),
            message: format!(
                "tfpin could not check this file: {message}; this is a bug in tfpin, please report it"
            ),
            ..Default::default()
        },
        actions: Vec::new(),
    }
}

fn uri(ws: &Workspace, file: FileId) -> Option<Uri> {
    convert::uri_of(&ws.path_of(file))
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// A finding as a diagnostic, with its code actions.
// lsp-types keys a workspace edit's changes by `Uri`, whose cached parts
// clippy takes for mutable state; the map is built and handed over whole.
#[allow(clippy::mutable_key_type)]
fn found(f: &Finding, ws: &Workspace) -> Found {
    let text = &ws.sources.get(f.span.file).text;
    let related: Vec<DiagnosticRelatedInformation> = (f.labels.iter())
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: Location::new(
                    uri(ws, l.span.file)?,
                    convert::range(&ws.sources.get(l.span.file).text, &l.span.range),
                ),
                message: l.message.clone(),
            })
        })
        .collect();
    let message = match &f.help {
        Some(h) => format!("{}\nhelp: {h}", f.message),
        None => f.message.clone(),
    };
    let diagnostic = Diagnostic {
        range: convert::range(text, &f.span.range),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        source: Some("tfpin".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    };
    let mut actions = Vec::new();
    if let Some(fix) = &f.fix {
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        let mut complete = true;
        for e in &fix.edits {
            match uri(ws, e.span.file) {
                Some(u) => changes.entry(u).or_default().push(TextEdit::new(
                    convert::range(&ws.sources.get(e.span.file).text, &e.span.range),
                    e.content.clone(),
                )),
                None => complete = false,
            }
        }
        if complete {
            let safe = fix.safety == crate::fix::Safety::Safe;
            actions.push(CodeAction {
                title: if safe {
                    format!("Fix: {}", fix.description)
                } else {
                    format!("Fix (unsafe, review it): {}", fix.description)
                },
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit::new(changes)),
                is_preferred: Some(safe),
                ..Default::default()
            });
        }
    }
    if let (Some(u), true) = (uri(ws, f.span.file), takes_directives(ws, f.span.file)) {
        let insert = |at: usize, line: String| -> WorkspaceEdit {
            let p = convert::position(text, at);
            WorkspaceEdit::new(HashMap::from([(
                u.clone(),
                vec![TextEdit::new(lsp_types::Range::new(p, p), line)],
            )]))
        };
        let start = f.span.range.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = (text[line_start..].chars())
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        actions.push(CodeAction {
            title: format!("Ignore {} here", f.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(insert(
                line_start,
                format!("{indent}# tfpin-ignore: {}\n", f.rule),
            )),
            ..Default::default()
        });
        actions.push(CodeAction {
            title: format!("Ignore {} in this file", f.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(insert(
                crate::fix::text::after_header_comment(text),
                format!("# tfpin-ignore-file: {}\n", f.rule),
            )),
            ..Default::default()
        });
    }
    Found {
        diagnostic,
        actions,
    }
}

/// Whether a file can hold ignore comments: a configuration or variables
/// file in native syntax (JSON has no comments; lock files are not read
/// for them).
fn takes_directives(ws: &Workspace, file: FileId) -> bool {
    crate::fix::text::kind(&ws.sources, file).is_some_and(|k| {
        k != crate::fileset::FileKind::Lock && k.syntax() == crate::fileset::Syntax::Native
    })
}

/// The engines' readings of a document's tree, over the open documents.
fn readings(path: &Path, overlay: &Overlay) -> Option<Vec<Reading>> {
    let (root, settings) = context(path).ok()?;
    crate::engine::load_readings_over(&root, &[path.to_path_buf()], &settings, Some(overlay)).ok()
}

/// The module a file belongs to in a reading, and the file's id.
fn module_of<'w>(ws: &'w Workspace, path: &Path) -> Option<(&'w Module, FileId)> {
    ws.modules.iter().find_map(|m| {
        let id = m.files.iter().find(|id| ws.path_of(**id) == path)?;
        Some((m, *id))
    })
}

fn contains(span: &crate::source::Span, file: FileId, offset: usize) -> bool {
    span.file == file && span.range.start <= offset && offset <= span.range.end
}

fn markdown(text: String) -> Value {
    json!({"contents": {"kind": "markdown", "value": text}})
}

/// Hover: what a version constraint admits, with the tree's effective
/// constraint and lock; or where a provider reference resolves, and its
/// region.
pub(super) fn hover(path: &Path, offset: usize, overlay: &Overlay) -> Option<Value> {
    let readings = readings(path, overlay)?;
    let reading = readings.first()?;
    let ws = &reading.ws;
    let (m, file) = module_of(ws, path)?;
    let cfg = &m.config;
    use crate::constraint::Kind;
    let literal = |v: &Option<crate::model::module::StrOrExpr>| -> Option<String> {
        match v {
            Some(Ok(s)) if contains(&s.span, file, offset) => Some(s.value.clone()),
            _ => None,
        }
    };
    for req in &cfg.required_providers {
        if let Some(c) = literal(&req.version) {
            let mut text = explain(Kind::Provider, &c, &format!("provider `{}`", req.name));
            text.push_str(&in_trees(&readings, m, &req.name));
            return Some(markdown(text));
        }
    }
    for v in &cfg.required_version {
        if let Some(c) = literal(&Some(v.clone())) {
            return Some(markdown(explain(Kind::Core, &c, "`required_version`")));
        }
    }
    for call in &cfg.module_calls {
        if let Some(c) = literal(&call.version) {
            return Some(markdown(explain(
                Kind::Module,
                &c,
                &format!("module `{}`", call.name),
            )));
        }
    }
    for pc in &cfg.provider_configs {
        if let Some(c) = literal(&pc.version) {
            return Some(markdown(explain(
                Kind::Provider,
                &c,
                &format!(
                    "provider `{}` (deprecated `version` in a provider block)",
                    pc.name
                ),
            )));
        }
    }
    let (r, at_module) = provider_ref_at(m, file, offset)?;
    let values = crate::model::values::Values::build(ws, &reading.cli);
    let written = match &r.alias {
        Some(a) => format!("{}.{a}", r.name),
        None => r.name.clone(),
    };
    let Some(instance) = values.instances.iter().position(|i| i.module == at_module) else {
        return Some(markdown(format!(
            "`{written}`: no root that tfpin read calls this module, so where it points is not known here"
        )));
    };
    let target = crate::model::wiring::resolve(ws, &values, instance, &r.name, r.alias.as_deref());
    let text = match &target {
        crate::model::wiring::Target::Block { instance, index, .. } => {
            let owner = ws.module(values.instances[*instance].module);
            let pc = &owner.config.provider_configs[*index];
            let region = crate::model::wiring::target_region(ws, &values, &target);
            let at = place(ws, &pc.header);
            let region = match (region.value.as_str(), &region.origin) {
                (Some(v), Some(o)) => match &o.span {
                    Some(s) => format!("region `{v}`, written at {}", place(ws, s)),
                    None => format!("region `{v}`"),
                },
                (Some(v), None) => format!("region `{v}`"),
                (None, _) => "region not known statically".to_string(),
            };
            let instance_address = &values.instances[*instance].address;
            let from = if instance_address.is_empty() {
                String::new()
            } else {
                format!(" of `{instance_address}`")
            };
            format!("`{written}` resolves to the `provider \"{}\"` block{from} at {at}\n\n{region}", pc.name)
        }
        crate::model::wiring::Target::ImplicitDefault { name, .. } => format!(
            "`{written}`: no `provider \"{name}\"` block configures it; Terraform uses an empty default configuration"
        ),
        crate::model::wiring::Target::Missing { .. } => {
            format!("`{written}`: nothing defines or passes this configuration")
        }
    };
    Some(markdown(text))
}

/// `path:line` of a span, as shown.
fn place(ws: &Workspace, span: &crate::source::Span) -> String {
    let f = ws.sources.get(span.file);
    format!("`{}:{}`", f.display, f.line_col(span.range.start).line)
}

fn explain(kind: crate::constraint::Kind, constraint: &str, what: &str) -> String {
    let r = crate::constraint::report::report(kind, constraint, &[]);
    let lines = crate::constraint::report::explain_text(&r);
    let body: Vec<String> = lines.lines().skip(1).map(|l| format!("- {l}")).collect();
    format!("**{what}** `{constraint}`\n\n{}", body.join("\n"))
}

/// For a provider requirement, what each root tree that contains the
/// module makes of it: the effective constraint, the lock, and every
/// module that contributes.
fn in_trees(readings: &[Reading], m: &Module, local_name: &str) -> String {
    let view = crate::output::providers::build(readings);
    let mut out = String::new();
    for root in &view.roots {
        for p in &root.providers {
            let ours = (p.requirements.iter())
                .any(|q| q.module == m.display && q.local_name == local_name);
            if !ours {
                continue;
            }
            let effective = if p.effective.is_empty() {
                "any version".to_string()
            } else {
                format!("`{}`", p.effective)
            };
            let bounded = if p.bounded { "bounded" } else { "unbounded" };
            let lock = match (&p.locked, p.satisfied) {
                (Some(v), Some(true)) => format!("locked {v}, which it admits"),
                (Some(v), _) => format!("locked {v}, which it does **not** admit"),
                (None, _) => "not locked".to_string(),
            };
            out.push_str(&format!(
                "\n\nIn root `{}`: {effective} ({bounded}), {lock}. From:",
                root.root
            ));
            for q in &p.requirements {
                let c = q.constraint.as_deref().unwrap_or("no constraint");
                out.push_str(&format!(
                    "\n- `{}`: `{c}` ({}:{})",
                    q.module, q.file, q.line
                ));
            }
        }
    }
    out
}

/// The provider reference under the offset, with the module it is
/// resolved in: a resource's `provider`, or either side of a `providers`
/// map entry (both resolve in the calling module).
fn provider_ref_at(
    m: &Module,
    file: FileId,
    offset: usize,
) -> Option<(ProviderRef, crate::model::ModuleId)> {
    let cfg = &m.config;
    for r in &cfg.resources {
        if let Some(p) = &r.provider {
            if contains(&p.span, file, offset) {
                return Some(((**p).clone(), m.id));
            }
        }
    }
    for call in &cfg.module_calls {
        for pass in &call.providers {
            if contains(&pass.child.span, file, offset) || contains(&pass.parent.span, file, offset)
            {
                return Some((pass.parent.clone(), m.id));
            }
        }
    }
    None
}

/// Go to definition: the `provider` block a reference resolves to.
pub(super) fn definition(path: &Path, offset: usize, overlay: &Overlay) -> Option<Value> {
    let readings = readings(path, overlay)?;
    let reading = readings.first()?;
    let ws = &reading.ws;
    let (m, file) = module_of(ws, path)?;
    let (r, at_module) = provider_ref_at(m, file, offset)?;
    let values = crate::model::values::Values::build(ws, &reading.cli);
    let instance = values
        .instances
        .iter()
        .position(|i| i.module == at_module)?;
    match crate::model::wiring::resolve(ws, &values, instance, &r.name, r.alias.as_deref()) {
        crate::model::wiring::Target::Block {
            instance, index, ..
        } => {
            let owner = ws.module(values.instances[instance].module);
            let header = &owner.config.provider_configs[index].header;
            let text = &ws.sources.get(header.file).text;
            let location =
                Location::new(uri(ws, header.file)?, convert::range(text, &header.range));
            serde_json::to_value(location).ok()
        }
        _ => None,
    }
}
