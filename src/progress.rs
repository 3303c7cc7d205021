//! Counters that a long run advances as it reads the tree, for the
//! progress bar of the command line. They only ever count: nothing reads
//! them to decide anything, so a library user can ignore them.

use std::sync::atomic::{AtomicUsize, Ordering};

static FILES: AtomicUsize = AtomicUsize::new(0);
static MODULES: AtomicUsize = AtomicUsize::new(0);

/// A module directory has been read, with this many files.
pub fn module_read(files: usize) {
    FILES.fetch_add(files, Ordering::Relaxed);
    MODULES.fetch_add(1, Ordering::Relaxed);
}

/// The files and modules read so far in this process.
pub fn read_so_far() -> (usize, usize) {
    (
        FILES.load(Ordering::Relaxed),
        MODULES.load(Ordering::Relaxed),
    )
}
