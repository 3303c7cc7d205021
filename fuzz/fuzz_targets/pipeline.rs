#![no_main]
//! The whole pipeline on one file's bytes: parse, model, every rule, every
//! output format. Text after a `#lock` line becomes the lock file.

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("scratch directory"));
    tfpin::fuzzing::pipeline(dir.path(), data);
});
