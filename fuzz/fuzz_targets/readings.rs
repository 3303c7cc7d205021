#![no_main]
//! JSON configuration through both engines' readings: the bytes become
//! `main.tf.json` in a tree with `.tofu` twins, checked with every rule
//! and rendered in every format.

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("scratch directory"));
    tfpin::fuzzing::readings(dir.path(), data);
});
