#![no_main]
//! The provider constraint parser (`required_providers` versions), with
//! intersect, normalized and is_satisfiable on what parses.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tfpin::fuzzing::constraint(tfpin::constraint::Kind::Provider, data);
});
