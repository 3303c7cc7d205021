//! The floor that `tfpin check` is measured against: walk a tree, read
//! every file tfpin would read (`.tf`, `.tfvars`, `.terraform.lock.hcl`)
//! and parse it with hcl-edit through tfpin's own `parse::parse_body`, in
//! parallel, then stop. No model, no rules, no output.
//!
//! ```text
//! cargo run --release --example parse-only -- [--jobs N] DIR...
//! ```

use rayon::prelude::*;
use std::path::PathBuf;

fn wanted(name: &str) -> bool {
    // The same choice of files and directories as tfpin's discovery.
    tfpin::discover::FileKind::of(name).is_some()
}

fn main() {
    let mut jobs = 0usize;
    let mut keep = false;
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--jobs" | "-j" => jobs = args.next().and_then(|v| v.parse().ok()).expect("--jobs N"),
            // Keep every syntax tree until the end, as a model that holds
            // them would: shows what the trees alone cost in memory.
            "--keep-trees" => keep = true,
            _ => roots.push(PathBuf::from(a)),
        }
    }
    if roots.is_empty() {
        roots.push(PathBuf::from("."));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .expect("thread pool");
    let (files, bytes, failed) = pool.install(|| {
        let mut paths: Vec<PathBuf> = Vec::new();
        for root in &roots {
            let walk = walkdir::WalkDir::new(root)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0
                        || !e.file_type().is_dir()
                        || !tfpin::discover::is_skipped_dir_name(&e.file_name().to_string_lossy())
                });
            for e in walk.flatten() {
                if e.file_type().is_file() && wanted(&e.file_name().to_string_lossy()) {
                    paths.push(e.into_path());
                }
            }
        }
        let parsed: Vec<(usize, bool, Option<tfpin::parse::Parsed>)> = paths
            .par_iter()
            .map(|p| match tfpin::parse::read_file(p) {
                Ok(text) => match tfpin::parse::parse_body(&text) {
                    Ok(tree) => (text.len(), true, keep.then_some(tree)),
                    Err(_) => (text.len(), false, None),
                },
                Err(_) => (0, false, None),
            })
            .collect();
        let bytes: usize = parsed.iter().map(|c| c.0).sum();
        let failed = parsed.iter().filter(|c| !c.1).count();
        // Dropped only here, so that --keep-trees holds them all at once.
        drop(parsed);
        (paths.len(), bytes, failed)
    });
    println!("{files} files, {bytes} bytes, {failed} did not parse");
}
