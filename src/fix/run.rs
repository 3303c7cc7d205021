//! A fix run: check, apply what can be applied, check again over the new
//! texts, until nothing changes; then write the files, or show the diff.
//!
//! Nothing is written until the last pass: every pass reads the texts the
//! earlier ones produced through an [`Overlay`], so `--diff` shows exactly
//! what `--fix` writes, and a run that fails part way leaves the tree as
//! it was.

use super::{apply, Applicability, Overlay};
use crate::config::Settings;
use crate::engine::{self, Report, Teardown};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Passes before a run gives up settling. Each pass applies every fix
/// that does not overlap another; a later pass is needed only for fixes
/// that overlapped, or that a first fix brought to light.
pub const MAX_PASSES: usize = 10;

/// A file a fix run changed.
#[derive(Debug, Clone)]
pub struct Changed {
    /// Where it is on disk.
    pub path: PathBuf,
    /// As shown to users.
    pub display: String,
    /// The text read from disk.
    pub before: Arc<String>,
    /// The text after every fix.
    pub after: String,
}

/// What a fix run did.
#[derive(Debug)]
pub struct Outcome {
    /// The check of the fixed texts: what remains.
    pub report: Report,
    /// The files that changed, sorted by what is shown.
    pub changed: Vec<Changed>,
    /// The fixes applied, by rule.
    pub fixed: BTreeMap<&'static str, usize>,
    /// Whether the last pass found nothing more to fix; false when
    /// [`MAX_PASSES`] ran out.
    pub settled: bool,
}

impl Outcome {
    pub fn fixed_count(&self) -> usize {
        self.fixed.values().sum()
    }
}

/// Checks the tree, applying the admitted fixes, until a check finds
/// nothing more to apply or [`MAX_PASSES`] have run. `keep` filters each
/// report as the run's output would (a baseline, say), so that only what
/// would be reported is fixed. Nothing is written.
pub fn run(
    cwd: &Path,
    paths: &[PathBuf],
    settings: &Settings,
    which: Applicability,
    keep: &dyn Fn(&mut Report),
) -> Result<Outcome, crate::model::workspace::UsageError> {
    let mut overlay = Overlay::default();
    let mut before: BTreeMap<PathBuf, (String, Arc<String>)> = BTreeMap::new();
    let mut fixed: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut passes = 0;
    loop {
        let mut report = engine::check_over(cwd, paths, settings, Teardown::Free, Some(&overlay))?;
        keep(&mut report);
        let applied = apply(&report.findings, &report.workspace.sources, which);
        if applied.is_empty() || passes == MAX_PASSES {
            let settled = applied.is_empty();
            let mut changed: Vec<Changed> = before
                .into_iter()
                .filter_map(|(path, (display, before))| {
                    let after = overlay.get(&path)?.as_str().to_string();
                    (after != *before).then_some(Changed {
                        path,
                        display,
                        before,
                        after,
                    })
                })
                .collect();
            changed.sort_by(|a, b| a.display.cmp(&b.display));
            return Ok(Outcome {
                report,
                changed,
                fixed,
                settled,
            });
        }
        passes += 1;
        for (rule, n) in applied.by_rule {
            *fixed.entry(rule).or_default() += n;
        }
        let ws = &report.workspace;
        for (id, text) in applied.texts {
            let file = ws.sources.get(id);
            let path = ws.root.join(&file.display);
            before
                .entry(path.clone())
                .or_insert_with(|| (file.display.clone(), file.text.clone()));
            overlay.insert(path, text);
        }
    }
}

/// A file that could not be written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    pub display: String,
    pub message: String,
}

/// Writes each changed file in place: the new text goes to a temporary
/// file beside it, which then replaces it, so a reader never sees half a
/// file. A file whose content on disk is no longer what the run read is
/// left alone. Returns what could not be written.
pub fn write(changed: &[Changed]) -> Vec<WriteError> {
    let mut errors = Vec::new();
    for c in changed {
        if let Err(message) = write_one(c) {
            errors.push(WriteError {
                display: c.display.clone(),
                message,
            });
        }
    }
    errors
}

fn write_one(c: &Changed) -> Result<(), String> {
    // The file itself, not a symbolic link to it: the link stays.
    let target = std::fs::canonicalize(&c.path).map_err(|e| format!("cannot find it: {e}"))?;
    let now = std::fs::read(&target).map_err(|e| format!("cannot read it again: {e}"))?;
    if now != c.before.as_bytes() {
        return Err("it changed on disk since tfpin read it; it was left as it is".to_string());
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tfpin-fix-{}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        std::fs::write(&temp, c.after.as_bytes())?;
        if let Ok(meta) = std::fs::metadata(&target) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, &target)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("cannot write it: {e}")
    })
}

/// A unified diff of every changed file, `a/` and `b/` prefixed as `git
/// diff` writes them, so `git apply` and `patch -p1` take it.
pub fn unified_diff(changed: &[Changed]) -> String {
    let mut out = String::new();
    for c in changed {
        let diff = similar::TextDiff::from_lines(c.before.as_str(), c.after.as_str());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", c.display), &format!("b/{}", c.display))
            .to_string();
        out.push_str(&text);
        if !text.is_empty() && !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
