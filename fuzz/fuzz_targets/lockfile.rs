#![no_main]
//! The `.terraform.lock.hcl` reader.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tfpin::fuzzing::lockfile(data);
});
