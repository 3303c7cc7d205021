//! The floor that `tfpin check` is measured against: find the files with
//! tfpin's own (parallel) discovery, read every file tfpin would read
//! (`.tf`, `.tfvars`, `.terraform.lock.hcl`, and their JSON forms) and
//! parse it, in parallel, then stop: native files with hcl-edit through
//! tfpin's own `parse::parse_body`, JSON files (`.tf.json`, `.tofu.json`,
//! `.tfvars.json`) with `parse_json::parse`. No model, no rules, no
//! output.
//!
//! ```text
//! cargo run --release --example parse-only -- [--jobs N] DIR...
//! ```

use rayon::prelude::*;
use std::path::PathBuf;

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
        let cwd = std::env::current_dir().expect("working directory");
        let abs: Vec<PathBuf> = roots.iter().map(|r| cwd.join(r)).collect();
        let exclude = globset::GlobSet::empty();
        let options = tfpin::discover::Options {
            base: &cwd,
            exclude: &exclude,
            cwd: &cwd,
        };
        let found = tfpin::discover::discover(&abs, &options).expect("paths exist");
        let paths: Vec<(PathBuf, tfpin::fileset::FileKind)> =
            found.dirs.into_values().flat_map(|d| d.files).collect();
        let parsed: Vec<(usize, bool, Option<tfpin::parse::Parsed>)> = paths
            .par_iter()
            .map(|(p, kind)| match tfpin::parse::read_file(p) {
                Ok(text) => match kind.syntax() {
                    tfpin::fileset::Syntax::Native => match tfpin::parse::parse_body(&text) {
                        Ok(tree) => (text.len(), true, keep.then_some(tree)),
                        Err(_) => (text.len(), false, None),
                    },
                    // The JSON tree borrows the text; it is dropped here,
                    // so --keep-trees keeps only native trees.
                    tfpin::fileset::Syntax::Json => {
                        let ok = tfpin::parse_json::parse(&text).is_ok();
                        (text.len(), ok, None)
                    }
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
