//! tfpin: an offline linter for Terraform provider pinning and multi-region
//! correctness.
//!
//! Data flows one way: [`discover`] → [`parse`] → [`model`] → [`rules`] →
//! [`finding`]s → [`output`]. [`engine::check`] runs the whole pipeline.

// tfpin reads untrusted trees; none of its own code may opt out of Rust's
// memory safety.
#![forbid(unsafe_code)]

/// Every binary that links tfpin (the command, the benchmark baseline and
/// the tests) uses the same allocator, so measurements compare like with
/// like.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

pub mod app;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod constraint;
pub mod discover;
pub mod engine;
pub mod eval;
pub mod fileset;
pub mod finding;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod gitignore;
pub mod hclx;
pub mod layers;
pub mod lockfile;
pub mod lsp;
pub mod model;
pub mod output;
pub mod parse;
pub mod parse_json;
pub mod progress;
pub mod project;
pub mod regions;
pub mod rules;
pub mod source;
pub mod starter;
pub mod suppress;
pub mod text;

/// The hash map and set of the whole crate. Their keys are mostly short
/// names from the tree; foldhash hashes those several times faster than
/// the standard library's SipHash and, seeded afresh in every process, a
/// tree cannot be written to make its keys collide.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// See [`HashMap`].
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

pub use engine::{check, Report};
