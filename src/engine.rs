//! Runs the enabled rules over a loaded workspace and turns their output
//! into the final, sorted and fingerprinted list of findings.

use crate::config::Settings;
use crate::finding::{self, Finding, Severity};
use crate::model::values::{self, CliValues, Values};
use crate::model::{self, Workspace};
use crate::rules::{self, Context};
use crate::source::SourceFile;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The result of `tfpin check`.
#[derive(Debug)]
pub struct Report {
    pub workspace: Workspace,
    pub findings: Vec<Finding>,
    /// Findings left out because a baseline records them.
    pub baselined: usize,
    /// The rules that ran, sorted by id. Formats that list what was
    /// checked (JUnit test cases, SARIF) need the clean ones too.
    pub rules: Vec<&'static rules::RuleMeta>,
}

/// Counts for the summary line and the JSON summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub modules: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.workspace.files_read,
            modules: self.workspace.targets().count(),
            ..Summary::default()
        };
        for f in &self.findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }

    /// Whether any finding is at or above a severity.
    pub fn has_at_least(&self, sev: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= sev)
    }
}

/// What becomes of a check's working data (the module instances and their
/// values, the requirements, placements and sites) once the findings are
/// final. The report does not hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Teardown {
    /// Free it, while the findings are sorted and fingerprinted.
    Free,
    /// Leave it allocated, for a process that exits once the report is
    /// written: the system takes the memory back faster than freeing it
    /// piece by piece would, and the sort gets every thread.
    Leak,
}

/// Loads the tree under `paths` (absolute, or relative to `cwd`) and checks
/// it, freeing what the report does not hold.
pub fn check(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
) -> Result<Report, model::workspace::UsageError> {
    check_with(cwd, paths, settings, Teardown::Free)
}

/// [`check`], saying what becomes of the working data.
pub fn check_with(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
    teardown: Teardown,
) -> Result<Report, model::workspace::UsageError> {
    let (ws, cli) = load(cwd, paths, settings)?;
    let findings = {
        let values = Values::build(&ws, &cli);
        let (raw, derived) = rule_findings(&ws, &values, settings);
        // Nothing reads the values, or what the rules shared, after the
        // rules.
        match teardown {
            Teardown::Free => {
                let (findings, ()) = rayon::join(
                    || finish(&ws, raw),
                    move || {
                        drop(derived);
                        drop(values);
                    },
                );
                findings
            }
            Teardown::Leak => {
                std::mem::forget(derived);
                std::mem::forget(values);
                finish(&ws, raw)
            }
        }
    };
    let rules = enabled_rules(settings).map(|r| r.meta()).collect();
    Ok(Report {
        workspace: ws,
        findings,
        baselined: 0,
        rules,
    })
}

/// Loads the tree under `paths` and the command-line variable values, the
/// shared first half of every command that reads a tree.
pub fn load(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
) -> Result<(Workspace, CliValues), model::workspace::UsageError> {
    let abs: Vec<PathBuf> = paths
        .iter()
        .map(|p| model::workspace::normalize(&cwd.join(p)))
        .collect();
    let exclude = settings.exclude_set();
    let exclude_base = settings
        .config_path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.to_path_buf());
    let mut ws = model::load(&model::LoadOptions {
        cwd,
        paths: &abs,
        exclude: &exclude,
        exclude_base: &exclude_base,
        engine: crate::fileset::Engine::Terraform,
    })?;
    let cli = read_cli_values(&mut ws, settings)?;
    Ok((ws, cli))
}

/// Reads `--var-file` files (adding them to the source map, so values from
/// them can point back at them) and collects `--var` values. A variables
/// file that Terraform would reject stops the run, as it stops Terraform.
fn read_cli_values(
    ws: &mut Workspace,
    settings: &Settings,
) -> Result<CliValues, model::workspace::UsageError> {
    let mut cli = CliValues {
        var_files: Vec::new(),
        vars: settings.vars.clone(),
    };
    for path in &settings.var_files {
        let display = crate::source::display_path(path, &ws.cwd);
        let fail = |msg: String| {
            model::workspace::UsageError(format!("variables file `{display}`: {msg}"))
        };
        let bytes = std::fs::read(path).map_err(|e| fail(crate::discover::io_reason(&e)))?;
        let text = crate::parse::decode(&bytes)
            .map_err(|p| fail(p.to_string()))?
            .into_owned();
        ws.files_read += 1;
        let id = ws.sources.add(SourceFile::new(display.clone(), text));
        let text = ws.sources.get(id).text.clone();
        let tfvars = values::read_var_file(id, &display, &text).map_err(|e| {
            let lc = ws.sources.get(id).line_col(e.span.range.start);
            fail(format!("{}:{}: {}", lc.line, lc.column, e.message))
        })?;
        if let Some(e) = tfvars.errors.first() {
            let lc = ws.sources.get(id).line_col(e.span.range.start);
            return Err(fail(format!("{}:{}: {}", lc.line, lc.column, e.message)));
        }
        cli.var_files.push(tfvars);
    }
    Ok(cli)
}

/// The rules the settings enable, in registry (id) order.
fn enabled_rules(settings: &Settings) -> impl Iterator<Item = &'static dyn rules::Rule> + '_ {
    rules::REGISTRY
        .iter()
        .copied()
        .filter(|r| settings.is_enabled(r.meta().id, r.meta().default_enabled))
}

/// What the rules of one run share, worked out once: returned so that the
/// caller decides when to free it.
struct Derived<'w> {
    _trees: Vec<crate::model::requirements::TreeRequirements<'w>>,
    _placements: std::sync::OnceLock<Vec<crate::model::wiring::Placement>>,
    _sites: std::sync::OnceLock<Vec<crate::model::sites::Site>>,
}

/// Runs every enabled rule: their findings for the modules named for
/// checking, with inline ignores applied, in no set order.
fn rule_findings<'w>(
    ws: &'w Workspace,
    values: &Values<'w>,
    settings: &Settings,
) -> (Vec<Finding>, Derived<'w>) {
    let (early, late): (Vec<_>, Vec<_>) =
        enabled_rules(settings).partition(|r| !r.meta().after_suppression);
    let placements = std::sync::OnceLock::new();
    let sites = std::sync::OnceLock::new();
    // Placements and sites are shared by several rules; worked out here,
    // each pass uses every thread, where a rule that asked first would
    // leave the others blocked on it. They do not depend on the
    // requirements, so both are worked out at once.
    let needs_placements = early.iter().chain(&late).any(|r| r.meta().uses_placements);
    let (trees, ()) = rayon::join(
        || crate::model::requirements::compute(ws),
        || {
            if needs_placements {
                let p = placements.get_or_init(|| crate::model::wiring::placements(ws, values));
                sites.get_or_init(|| crate::model::sites::compute(ws, values, p));
            }
        },
    );
    let run = |rules: &[&'static dyn rules::Rule], suppressions: &[crate::suppress::RuleUse]| {
        rules
            .par_iter()
            .flat_map_iter(|rule| {
                let cx = Context {
                    ws,
                    values,
                    trees: &trees,
                    settings,
                    placements: &placements,
                    sites: &sites,
                    suppressions,
                    rule: rule.meta(),
                };
                let mut out = Vec::new();
                rule.check(&cx, &mut out);
                if let Some(sev) = settings.severity_override(rule.meta().id) {
                    for f in &mut out {
                        f.severity = sev;
                    }
                }
                out
            })
            .collect::<Vec<Finding>>()
    };

    // Findings are reported only for modules that were named for checking;
    // modules read because a named module calls them are context.
    let mut owner: Vec<Option<(bool, &str)>> = vec![None; ws.sources.len()];
    for m in &ws.modules {
        for id in m.files.iter().chain(&m.auto_vars).chain(&m.other_files) {
            owner[id.0 as usize] = Some((m.target, m.display.as_str()));
        }
    }
    let keep_targets = |findings: &mut Vec<Finding>| {
        findings.retain_mut(
            |f| match owner.get(f.span.file.0 as usize).copied().flatten() {
                Some((target, display)) => {
                    if f.module.is_empty() {
                        f.module = display.to_string();
                    }
                    target
                }
                None => true,
            },
        )
    };

    let mut findings = run(&early, &[]);
    keep_targets(&mut findings);
    // Inline ignores silence what they name; then the rules that judge the
    // ignores themselves run.
    let uses = crate::suppress::apply(&ws.directives, &mut findings, settings);
    let mut late_findings = run(&late, &uses);
    keep_targets(&mut late_findings);
    findings.append(&mut late_findings);
    let derived = Derived {
        _trees: trees,
        _placements: placements,
        _sites: sites,
    };
    (findings, derived)
}

/// Escapes, sorts, de-duplicates and fingerprints raw findings.
fn finish(ws: &Workspace, mut findings: Vec<Finding>) -> Vec<Finding> {
    // Messages quote values from the tree; a control character in one must
    // not break a line of output, whatever the format.
    // A label on the primary span itself says nothing the message does not.
    findings.par_iter_mut().for_each(|f| {
        escape_controls(&mut f.message);
        for l in &mut f.labels {
            escape_controls(&mut l.message);
        }
        let primary = &f.span;
        f.labels.retain(|l| l.span != *primary);
    });
    finding::sort(&mut findings, &ws.sources);
    findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    finding::assign_fingerprints(&mut findings, &ws.sources);
    findings
}

/// Rewrites `\n`, `\t` and other control characters as escapes; most
/// messages have none and are left as they are.
fn escape_controls(s: &mut String) {
    if has_control(s) {
        *s = escaped(s);
    }
}

/// Whether `s` has a control character (`char::is_control`: U+0000 to
/// U+001F and U+007F to U+009F). Every such character's UTF-8 has a byte
/// below 0x20, 0x7F, or the lead byte 0xC2, so a vectorised pass over the
/// bytes settles most strings; only one with a 0xC2 is decoded.
fn has_control(s: &str) -> bool {
    let maybe = s
        .bytes()
        .fold(false, |any, b| any | (b < 0x20) | (b == 0x7f) | (b == 0xc2));
    maybe && s.chars().any(char::is_control)
}

fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_in_messages_are_escaped() {
        let mut s = String::from("a\nb\tc\u{7}");
        super::escape_controls(&mut s);
        assert_eq!(s, "a\\nb\\tc\\u{7}");
        let mut s = String::from("plain");
        super::escape_controls(&mut s);
        assert_eq!(s, "plain");
        let mut s = String::from("c1 \u{85} del \u{7f} © µ");
        super::escape_controls(&mut s);
        assert_eq!(s, "c1 \\u{85} del \\u{7f} © µ");
    }

    proptest::proptest! {
        #[test]
        fn the_byte_pass_finds_every_control_character(s in "\\PC*|\\PC*[\\x00-\\x1f\\x7f-\\u{a0}]\\PC*") {
            proptest::prop_assert_eq!(super::has_control(&s), s.chars().any(char::is_control));
        }
    }
}
