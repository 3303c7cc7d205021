#![no_main]
//! The general constraint parser, as `required_version` (core) and as a
//! module `version`, with intersect, normalized and is_satisfiable on what
//! parses.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tfpin::fuzzing::constraint(tfpin::constraint::Kind::Core, data);
    tfpin::fuzzing::constraint(tfpin::constraint::Kind::Module, data);
});
