//! The model of a Terraform tree, built once and shared by every rule.

pub mod addr;
pub mod callers;
pub mod calls;
pub mod clusters;
pub mod engines;
pub mod flows;
pub mod module;
mod read;
pub mod refs;
pub mod requirements;
pub mod roles;
pub mod sites;
pub mod source_addr;
pub mod usage;
pub mod values;
pub mod wiring;
pub mod workspace;

pub use module::*;
pub use roles::{Role, RoleSet};
pub use workspace::{
    load, CallTarget, Cycle, LoadOptions, LoadProblem, Module, ModuleId, Place, ProblemKind,
    Workspace,
};

/// Locks a mutex that guards memoised model data. A panic while it was
/// held cannot leave the data half-updated in a way that matters (the
/// passes only fill caches), so a poisoned lock is taken over.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A value for each module of a workspace, worked out the first time it is
/// asked and kept: what several passes or trees ask of the same module is
/// worked out once. Safe to share between threads.
pub(crate) struct PerModule<T>(Vec<std::sync::OnceLock<T>>);

impl<T> PerModule<T> {
    pub(crate) fn new(ws: &Workspace) -> Self {
        PerModule(
            ws.modules
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        )
    }

    pub(crate) fn get(&self, module: ModuleId, make: impl FnOnce() -> T) -> &T {
        self.0[module.0 as usize].get_or_init(make)
    }
}

/// Whether two lookups found the very same item, or both found none: what
/// the tests of indexed lookups compare with a scan.
#[cfg(test)]
pub(crate) fn same_item<T>(a: Option<&T>, b: Option<&T>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => std::ptr::eq(x, y),
        (None, None) => true,
        _ => false,
    }
}

/// Writes `files` (relative path, text) under a new temporary directory and
/// loads that tree with default settings, for the model's unit tests.
#[cfg(test)]
pub(crate) fn load_test_tree<S: AsRef<str>>(files: &[(S, S)]) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let p = dir.path().join(name.as_ref());
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, body.as_ref()).unwrap();
    }
    let root = dir.path().to_path_buf();
    let (ws, _) = crate::engine::load(
        &root,
        std::slice::from_ref(&root),
        &crate::config::Settings::default(),
    )
    .unwrap();
    (dir, ws)
}

/// How many names (provider blocks, aliases, references) are looked at one
/// by one before they are indexed or hashed: a few comparisons cost less
/// than hashing one name, and past this, lookups through an index keep
/// modules of many blocks from turning a check quadratic.
pub(crate) const FEW: usize = 16;

/// For a list of more than [`FEW`] items, their positions sorted by
/// `key`, items of equal keys in list order; empty for a shorter list,
/// which is cheaper to look through.
pub(crate) fn sorted_positions<K: Ord>(len: usize, key: impl Fn(usize) -> K) -> Vec<u32> {
    if len <= FEW {
        return Vec::new();
    }
    let mut index: Vec<u32> = (0..len as u32).collect();
    index.sort_by_key(|&i| key(i as usize));
    index
}

/// The part of a sorted index whose keys `place` puts at `Equal`: its
/// positions in list order, since the sort is stable.
pub(crate) fn equal_range<P: Copy>(index: &[P], place: impl Fn(P) -> std::cmp::Ordering) -> &[P] {
    use std::cmp::Ordering::{Equal, Less};
    let from = index.partition_point(|&p| place(p) == Less);
    let len = index[from..].partition_point(|&p| place(p) == Equal);
    &index[from..from + len]
}

/// The first of `items` whose key is `want`: through `index` (from
/// [`sorted_positions`]) when there is one, else by looking at each.
pub(crate) fn first_with_key<'a, T, K: Ord>(
    items: &'a [T],
    index: &[u32],
    key: impl Fn(&'a T) -> K,
    want: K,
) -> Option<&'a T> {
    if index.is_empty() {
        return items.iter().find(|t| key(t) == want);
    }
    let found = equal_range(index, |i| key(&items[i as usize]).cmp(&want));
    found.first().map(|&i| &items[i as usize])
}

/// A set of keys looked up many times: a list while it is short, where
/// comparing a few keys costs less than hashing one, and hashed past
/// that, so that lookups stay cheap however many keys hostile input
/// brings.
pub(crate) enum Keys<K> {
    Few(Vec<K>),
    Many(crate::HashSet<K>),
}

impl<K: Eq + std::hash::Hash> Keys<K> {
    pub(crate) fn contains(&self, k: &K) -> bool {
        match self {
            Keys::Few(list) => list.contains(k),
            Keys::Many(set) => set.contains(k),
        }
    }
}

impl<K: Eq + std::hash::Hash> FromIterator<K> for Keys<K> {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        let list: Vec<K> = iter.into_iter().collect();
        if list.len() > FEW {
            Keys::Many(list.into_iter().collect())
        } else {
            Keys::Few(list)
        }
    }
}

#[cfg(test)]
mod keys_tests {
    use super::Keys;

    #[test]
    fn few_and_many_keys_answer_alike() {
        for n in [0, 1, 16, 17, 100] {
            let keys: Keys<(usize, &str)> = (0..n).map(|i| (i, "x")).collect();
            assert_eq!(matches!(keys, Keys::Many(_)), n > super::FEW, "{n}");
            for i in 0..n + 3 {
                assert_eq!(keys.contains(&(i, "x")), i < n, "{i} of {n}");
                assert!(!keys.contains(&(i, "y")));
            }
        }
    }
}
