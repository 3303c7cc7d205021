//! Replays the kept fuzz corpus (`tests/data/fuzz/<target>/`): inputs that
//! once crashed a fuzz target, and inputs the fuzzer found interesting.
//! Each file goes through the same function as its target in `fuzz/`, so
//! CI checks every past finding without the fuzzer.

use std::path::{Path, PathBuf};
use tfpin::constraint::Kind;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

/// Runs `f` on every input of a target, naming the input that fails.
fn replay(target: &str, f: impl Fn(&[u8])) {
    for path in corpus(target) {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&data))) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}/{name}: {msg}");
        }
    }
}

#[test]
fn pipeline() {
    let dir = tempfile::tempdir().unwrap();
    replay("pipeline", |data| {
        tfpin::fuzzing::pipeline(dir.path(), data)
    });
}

#[test]
fn constraint_provider() {
    replay("constraint_provider", |data| {
        tfpin::fuzzing::constraint(Kind::Provider, data)
    });
}

#[test]
fn constraint_core() {
    replay("constraint_core", |data| {
        tfpin::fuzzing::constraint(Kind::Core, data);
        tfpin::fuzzing::constraint(Kind::Module, data);
    });
}

#[test]
fn lockfile() {
    replay("lockfile", tfpin::fuzzing::lockfile);
}

#[test]
fn config() {
    replay("config", tfpin::fuzzing::config);
}

#[test]
fn readings() {
    let dir = tempfile::tempdir().unwrap();
    replay("readings", |data| {
        tfpin::fuzzing::readings(dir.path(), data)
    });
}

#[test]
fn lsp() {
    let dir = tempfile::tempdir().unwrap();
    replay("lsp", |data| tfpin::fuzzing::lsp(dir.path(), data));
}
