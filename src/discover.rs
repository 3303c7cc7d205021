//! From the paths a user names to module directories and the files in them.
//!
//! A directory argument is searched recursively; every directory holding
//! Terraform files is a module. A file argument stands for the module that
//! contains it, which is what pre-commit passes. `.terraform/`, `.git/`,
//! hidden directories and excluded paths are skipped. Symlinks are followed
//! only while they stay inside the scanned tree, and loops are reported rather
//! than followed.

use globset::GlobSet;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::fileset::FileKind;

/// One directory with the Terraform files found directly in it.
#[derive(Debug, Clone, Default)]
pub struct ModuleDir {
    pub dir: PathBuf,
    /// Files with their kinds, sorted by name.
    pub files: Vec<(PathBuf, FileKind)>,
}

impl ModuleDir {
    /// Whether Terraform would treat this directory as a module: it has at
    /// least one configuration file.
    pub fn is_module(&self) -> bool {
        self.files.iter().any(|(_, k)| k.is_config())
    }
}

/// A path that could not be searched or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathProblem {
    pub path: PathBuf,
    pub message: String,
}

/// The result of a search.
#[derive(Debug, Default, Clone)]
pub struct Discovery {
    /// Module directories, keyed and sorted by path.
    pub dirs: BTreeMap<PathBuf, ModuleDir>,
    pub problems: Vec<PathProblem>,
    /// What the search saw of every directory it listed.
    pub facts: DirFacts,
}

/// Which directories a search listed, and which of them hold a
/// `.gitignore` or a `.tfpin.hcl`: the model asks for those in many
/// directories, and the listing already answered, where a lookup per
/// directory would cost a system call each.
#[derive(Debug, Default, Clone)]
pub struct DirFacts {
    listed: crate::HashSet<PathBuf>,
    gitignores: crate::HashSet<PathBuf>,
    configs: crate::HashSet<PathBuf>,
    /// Listed directories with a `.terraform` entry: where `terraform
    /// init` has run.
    initialised: crate::HashSet<PathBuf>,
}

impl DirFacts {
    /// The paths whose change can change what the search finds: every
    /// directory it listed (a file or directory added or removed changes
    /// its modification time), and the `.gitignore` and `.tfpin.hcl` files
    /// it met (an edit can exclude or include paths).
    pub fn watched(&self) -> impl Iterator<Item = PathBuf> + '_ {
        (self.listed.iter().cloned())
            .chain(self.gitignores.iter().map(|d| d.join(".gitignore")))
            .chain(
                self.configs
                    .iter()
                    .map(|d| d.join(crate::config::FILE_NAME)),
            )
    }

    /// Whether `dir` holds a file named `name` (`.gitignore` or
    /// `.tfpin.hcl`): `None` when the search did not list it, or for
    /// another name.
    pub fn holds(&self, dir: &Path, name: &str) -> Option<bool> {
        if !self.listed.contains(dir) {
            return None;
        }
        match name {
            ".gitignore" => Some(self.gitignores.contains(dir)),
            crate::config::FILE_NAME => Some(self.configs.contains(dir)),
            _ => None,
        }
    }

    /// Whether `terraform init` has left a `.terraform` in `dir`, which
    /// the search lists; `None` when it did not list `dir`.
    pub fn initialised(&self, dir: &Path) -> Option<bool> {
        self.listed
            .contains(dir)
            .then(|| self.initialised.contains(dir))
    }

    /// The listed directories that hold a `.tfpin.hcl`.
    pub fn config_dirs(&self) -> impl Iterator<Item = &Path> {
        self.configs.iter().map(PathBuf::as_path)
    }

    pub fn extend(&mut self, other: DirFacts) {
        self.listed.extend(other.listed);
        self.gitignores.extend(other.gitignores);
        self.configs.extend(other.configs);
        self.initialised.extend(other.initialised);
    }
}

/// A path argument that cannot be used at all.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Directory names that are never searched.
pub fn is_skipped_dir_name(name: &str) -> bool {
    name == ".terraform" || name == ".git" || (name.starts_with('.') && name != "." && name != "..")
}

/// Options for a search.
pub struct Options<'a> {
    /// Paths relative to this directory are matched against `exclude`.
    pub base: &'a Path,
    pub exclude: &'a GlobSet,
    /// The working directory: messages show paths relative to it, as the
    /// user named them.
    pub cwd: &'a Path,
}

impl Options<'_> {
    fn excluded(&self, path: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        match path.strip_prefix(self.base) {
            Ok(rel) => self.exclude.is_match(rel),
            Err(_) => self.exclude.is_match(path),
        }
    }
}

/// Searches the given paths. Paths must be absolute (the caller joins them to
/// the working directory) so that symlink and boundary checks are exact.
pub fn discover(paths: &[PathBuf], opts: &Options<'_>) -> Result<Discovery, UsageError> {
    let mut out = Discovery::default();
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() || (meta.file_type().is_symlink() && path.is_dir()) => {
                walk_dir(path, opts, &mut out);
            }
            Ok(_) => {
                // A file stands for the directory that holds it.
                let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
                scan_single_dir(&dir, opts, &mut out);
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                // pre-commit passes deleted files: they stand for their
                // directory if it is still there, and for nothing if not.
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if crate::fileset::is_terraform_file_name(name) {
                    if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
                        scan_single_dir(dir, opts, &mut out);
                    }
                } else {
                    return Err(UsageError(format!(
                        "path `{}` does not exist",
                        crate::source::display_path(path, opts.cwd)
                    )));
                }
            }
            Err(err) => {
                out.problems.push(PathProblem {
                    path: path.clone(),
                    message: format!("cannot read path: {}", io_reason(&err)),
                });
            }
        }
    }
    out.dirs.retain(|_, d| !d.files.is_empty());
    Ok(out)
}

/// Lists one directory's Terraform files without descending.
pub fn scan_single_dir(dir: &Path, opts: &Options<'_>, out: &mut Discovery) {
    if out.dirs.contains_key(dir) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(err) => {
            out.problems.push(PathProblem {
                path: dir.to_path_buf(),
                message: format!("cannot read directory: {}", io_reason(&err)),
            });
            return;
        }
    };
    let mut module = ModuleDir {
        dir: dir.to_path_buf(),
        files: Vec::new(),
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                out.problems.push(PathProblem {
                    path: dir.to_path_buf(),
                    message: format!("cannot read directory entry: {}", io_reason(&err)),
                });
                continue;
            }
        };
        let path = entry.path();
        let file_name = entry.file_name();
        let name = file_name.to_str().unwrap_or("");
        let Some(kind) = FileKind::of(name) else {
            continue;
        };
        if opts.excluded(&path) || path.is_dir() {
            continue;
        }
        let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
        if is_link && !path.exists() {
            if let Err(problem) = dangling(&path, name) {
                out.problems.push(problem);
            }
            continue;
        }
        module.files.push((path, kind));
    }
    module.files.sort();
    out.dirs.insert(dir.to_path_buf(), module);
}

/// Searches a directory tree, its subdirectories in parallel.
fn walk_dir(root: &Path, opts: &Options<'_>, out: &mut Discovery) {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let id = match std::fs::metadata(root) {
        Ok(meta) => DirId::of(root, &meta),
        Err(err) => {
            out.problems.push(PathProblem {
                path: root.to_path_buf(),
                message: format!("cannot read: {}", io_reason(&err)),
            });
            return;
        }
    };
    let walker = Walker {
        opts,
        canonical_root: &canonical_root,
    };
    let found = walker.dir(
        root,
        &Ancestor {
            id,
            path: root,
            parent: None,
        },
    );
    for d in found.dirs {
        out.dirs
            .entry(d.dir.clone())
            .or_insert_with(|| ModuleDir {
                dir: d.dir,
                files: Vec::new(),
            })
            .files
            .extend(d.files);
    }
    out.problems.extend(found.problems);
    out.facts.extend(found.facts);
    for d in out.dirs.values_mut() {
        d.files.sort();
        d.files.dedup();
    }
}

/// A directory's identity on disk, to recognise it behind a symlink: its
/// device and inode on Unix, its canonical path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DirId {
    #[cfg(unix)]
    inode: (u64, u64),
    #[cfg(not(unix))]
    path: PathBuf,
}

impl DirId {
    #[cfg(unix)]
    fn of(_path: &Path, meta: &std::fs::Metadata) -> DirId {
        use std::os::unix::fs::MetadataExt;
        DirId {
            inode: (meta.dev(), meta.ino()),
        }
    }

    #[cfg(not(unix))]
    fn of(path: &Path, _meta: &std::fs::Metadata) -> DirId {
        DirId {
            path: std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        }
    }
}

/// The directories on the way down to the one being searched.
struct Ancestor<'a> {
    id: DirId,
    path: &'a Path,
    parent: Option<&'a Ancestor<'a>>,
}

impl Ancestor<'_> {
    /// The path of the ancestor that is the directory `id`, if any.
    fn find(&self, id: &DirId) -> Option<&Path> {
        let mut a = Some(self);
        while let Some(x) = a {
            if x.id == *id {
                return Some(x.path);
            }
            a = x.parent;
        }
        None
    }
}

/// What one directory and everything below it hold.
#[derive(Default)]
struct Found {
    dirs: Vec<ModuleDir>,
    problems: Vec<PathProblem>,
    facts: DirFacts,
}

/// A directory entry worth keeping.
enum Entry {
    File(PathBuf, FileKind),
    Dir(PathBuf, DirId),
}

/// The problem for an I/O error at `path`.
fn unreadable(path: &Path) -> impl FnOnce(std::io::Error) -> PathProblem + '_ {
    move |err| PathProblem {
        path: path.to_path_buf(),
        message: format!("cannot read: {}", io_reason(&err)),
    }
}

/// A symlink whose target does not exist: a problem when an engine would
/// read it (it fails on the file), nothing otherwise. Terraform looks for
/// `terraform.tfvars` and `terraform.tfvars.json` by whether they exist,
/// so a dangling one is skipped without a word, where a dangling
/// `*.auto.tfvars` fails the plan ("Given variables file ... does not
/// exist"); `tests/data/engine/tfvars-dangling-symlink*` record both.
fn dangling(path: &Path, name: &str) -> Result<Option<Entry>, PathProblem> {
    let Some(kind) = FileKind::of(name) else {
        return Ok(None);
    };
    if name.starts_with("terraform.tfvars") {
        return Ok(None);
    }
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let what = match kind {
        FileKind::AutoVars(_) => "automatically loaded variables file",
        FileKind::Lock => "lock file",
        FileKind::Config { .. } => "configuration file",
        FileKind::Stack(_) => "stack file",
        FileKind::Query => "query file",
    };
    Err(PathProblem {
        path: path.to_path_buf(),
        message: format!(
            "{what} `{name}` is a symlink to `{target}`, which does not exist; terraform plan fails on it"
        ),
    })
}

struct Walker<'a> {
    opts: &'a Options<'a>,
    canonical_root: &'a Path,
}

impl Walker<'_> {
    /// What one directory entry is to the search: a Terraform file, a
    /// directory to enter, nothing (skipped, excluded, another kind of
    /// file, a link that leads nowhere useful), or a problem to report.
    fn judge(
        &self,
        entry: &std::fs::DirEntry,
        here: &Ancestor<'_>,
    ) -> Result<Option<Entry>, PathProblem> {
        let path = entry.path();
        let file_name = entry.file_name();
        let name = file_name.to_str().unwrap_or("");
        let file_type = entry.file_type().map_err(unreadable(&path))?;
        // Symlinks are judged by what they point at.
        let (is_dir, link_target) = if file_type.is_symlink() {
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    return dangling(&path, name);
                }
                Err(err) => return Err(unreadable(&path)(err)),
            };
            if meta.is_dir() {
                if let Some(ancestor) = here.find(&DirId::of(&path, &meta)) {
                    return Err(PathProblem {
                        message: format!(
                            "symlink loop back to `{}`; not followed",
                            ancestor.display()
                        ),
                        path,
                    });
                }
            }
            (meta.is_dir(), Some(meta))
        } else {
            (file_type.is_dir(), None)
        };
        if (is_dir && is_skipped_dir_name(name)) || self.opts.excluded(&path) {
            return Ok(None);
        }
        if link_target.is_some() {
            match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(self.canonical_root) => {}
                // Only worth a word when it would have mattered.
                Ok(target) if is_dir || FileKind::of(name).is_some() => {
                    return Err(PathProblem {
                        message: format!(
                            "symlink points outside the scanned tree (to `{}`); not followed",
                            target.display()
                        ),
                        path,
                    });
                }
                _ => return Ok(None),
            }
        }
        if !is_dir {
            return Ok(FileKind::of(name).map(|kind| Entry::File(path, kind)));
        }
        let meta = match link_target {
            Some(m) => m,
            None => entry.metadata().map_err(unreadable(&path))?,
        };
        let id = DirId::of(&path, &meta);
        Ok(Some(Entry::Dir(path, id)))
    }

    /// Lists `dir`, then searches its subdirectories in parallel. The result
    /// does not depend on the order the work is done in: each directory's
    /// findings come after its own, in name order.
    fn dir(&self, dir: &Path, here: &Ancestor<'_>) -> Found {
        let mut found = Found::default();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(err) => {
                found.problems.push(unreadable(dir)(err));
                return found;
            }
        };
        let mut files = Vec::new();
        let mut subdirs: Vec<(PathBuf, DirId)> = Vec::new();
        found.facts.listed.insert(dir.to_path_buf());
        for entry in entries {
            if let Ok(e) = &entry {
                let name = e.file_name();
                if name == ".gitignore" {
                    found.facts.gitignores.insert(dir.to_path_buf());
                } else if name == crate::config::FILE_NAME {
                    found.facts.configs.insert(dir.to_path_buf());
                } else if name == ".terraform" {
                    found.facts.initialised.insert(dir.to_path_buf());
                }
            }
            let judged = entry
                .map_err(unreadable(dir))
                .and_then(|e| self.judge(&e, here));
            match judged {
                Ok(Some(Entry::File(path, kind))) => files.push((path, kind)),
                Ok(Some(Entry::Dir(path, id))) => subdirs.push((path, id)),
                Ok(None) => {}
                Err(p) => found.problems.push(p),
            }
        }
        if !files.is_empty() {
            files.sort();
            found.dirs.push(ModuleDir {
                dir: dir.to_path_buf(),
                files,
            });
        }
        subdirs.sort_by(|a, b| a.0.cmp(&b.0));
        let below: Vec<Found> = subdirs
            .par_iter()
            .map(|(path, id)| {
                self.dir(
                    path,
                    &Ancestor {
                        id: id.clone(),
                        path,
                        parent: Some(here),
                    },
                )
            })
            .collect();
        for b in below {
            found.dirs.extend(b.dirs);
            found.problems.extend(b.problems);
            found.facts.extend(b.facts);
        }
        found
    }
}

/// An I/O error as a short lowercase phrase.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match err.kind() {
        PermissionDenied => "permission denied".to_string(),
        NotFound => "not found".to_string(),
        _ => {
            let s = err.to_string();
            // Drop the "(os error N)" suffix and lowercase the first letter.
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parallel walk finds exactly what a sequential one would: every
    /// directory with Terraform files, in path order, with skipped names,
    /// excluded paths, loops and escapes handled, whatever the threads do.
    #[cfg(unix)]
    #[test]
    fn the_walk_finds_modules_and_reports_links() {
        use std::os::unix::fs::symlink;
        let d = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = d.path().join("tree");
        let files = [
            "main.tf",
            "a/a.tf",
            "a/deep/er/x.tf",
            "a/deep/er/terraform.tfvars",
            "b/b.tf",
            "b/notes.md",
            ".terraform/modules/m/m.tf",
            ".git/x.tf",
            ".hidden/h.tf",
            "legacy/old.tf",
        ];
        for f in files {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        std::fs::write(outside.path().join("o.tf"), "").unwrap();
        // Inside the tree: followed. Back to an ancestor: a loop. Out of
        // the tree: reported, not followed.
        symlink(root.join("b"), root.join("a/to_b")).unwrap();
        symlink(root.join("a"), root.join("a/deep/up")).unwrap();
        symlink(outside.path(), root.join("out")).unwrap();
        let mut exclude = globset::GlobSetBuilder::new();
        exclude.add(globset::Glob::new("legacy/**").unwrap());
        let exclude = exclude.build().unwrap();
        let opts = Options {
            base: &root,
            exclude: &exclude,
            cwd: &root,
        };
        for _ in 0..20 {
            let found = discover(std::slice::from_ref(&root), &opts).unwrap();
            let dirs: Vec<(String, Vec<String>)> = found
                .dirs
                .values()
                .map(|m| {
                    let rel = |p: &Path| p.strip_prefix(&root).unwrap().display().to_string();
                    (rel(&m.dir), m.files.iter().map(|(p, _)| rel(p)).collect())
                })
                .collect();
            let expect = |d: &str, f: &[&str]| {
                (
                    d.to_string(),
                    f.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                )
            };
            assert_eq!(
                dirs,
                [
                    expect("", &["main.tf"]),
                    expect("a", &["a/a.tf"]),
                    expect(
                        "a/deep/er",
                        &["a/deep/er/terraform.tfvars", "a/deep/er/x.tf"]
                    ),
                    expect("a/to_b", &["a/to_b/b.tf"]),
                    expect("b", &["b/b.tf"]),
                ]
            );
            let mut problems: Vec<(String, String)> = found
                .problems
                .iter()
                .map(|p| {
                    let path = p.path.strip_prefix(&root).unwrap().display().to_string();
                    let msg = p.message.replace(&root.display().to_string(), "ROOT");
                    (path, msg.split(" (to").next().unwrap().to_string())
                })
                .collect();
            problems.sort();
            assert_eq!(
                problems,
                [
                    (
                        "a/deep/up".to_string(),
                        "symlink loop back to `ROOT/a`; not followed".to_string()
                    ),
                    (
                        "out".to_string(),
                        "symlink points outside the scanned tree".to_string()
                    ),
                ]
            );
        }
    }

    #[test]
    fn skips_tool_and_hidden_directories() {
        assert!(is_skipped_dir_name(".terraform"));
        assert!(is_skipped_dir_name(".git"));
        assert!(is_skipped_dir_name(".cache"));
        assert!(!is_skipped_dir_name("modules"));
    }
}
