#![no_main]
//! The `.tfpin.hcl` configuration reader.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tfpin::fuzzing::config(data);
});
