#![no_main]
//! The language server's message handling, from the raw bytes a client
//! writes: framing, JSON, every method, edits and checks of an open
//! document.

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("scratch directory"));
    tfpin::fuzzing::lsp(dir.path(), data);
});
