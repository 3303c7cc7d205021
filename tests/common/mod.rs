//! Helpers shared by the integration tests that build trees on disk.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::Path;
use tfpin::config::Settings;

/// Writes each `(relative path, contents)` under `root`, creating folders.
pub fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, body) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
}

/// Checks `root` with default settings.
pub fn check(root: &Path) -> tfpin::Report {
    tfpin::check(root, &[root.to_path_buf()], &Settings::default()).unwrap()
}

/// Checks `root` for one engine, or as `engine` says.
pub fn check_for(root: &Path, engine: tfpin::fileset::EngineChoice) -> tfpin::Report {
    let settings = Settings {
        engine,
        ..Default::default()
    };
    tfpin::check(root, &[root.to_path_buf()], &settings).unwrap()
}

/// The directory of every module read, as shown.
pub fn module_dirs(r: &tfpin::Report) -> Vec<&str> {
    r.workspace
        .modules
        .iter()
        .map(|m| m.display.as_str())
        .collect()
}

/// The module read from the directory shown as `display`.
pub fn module<'r>(r: &'r tfpin::Report, display: &str) -> &'r tfpin::model::Module {
    (r.workspace.modules.iter())
        .find(|m| m.display == display)
        .unwrap_or_else(|| panic!("{display} not loaded"))
}

/// (rule, file, message) of every finding.
pub fn findings(r: &tfpin::Report) -> Vec<(String, String, String)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                r.workspace.sources.get(f.span.file).display.clone(),
                f.message.clone(),
            )
        })
        .collect()
}

/// (file, line, column, rule, message) of every finding.
pub fn located(r: &tfpin::Report) -> Vec<(String, usize, usize, String, String)> {
    r.findings
        .iter()
        .map(|f| {
            let file = r.workspace.sources.get(f.span.file);
            let lc = file.line_col(f.span.range.start);
            (
                file.display.clone(),
                lc.line,
                lc.column,
                f.rule.to_string(),
                f.message.clone(),
            )
        })
        .collect()
}
