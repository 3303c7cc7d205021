//! The project a run belongs to: its root directory, which every path tfpin
//! shows, matches or fingerprints is relative to, so that the same module
//! gets the same answer whichever path or directory tfpin is started from.
//!
//! The project root of a path is, walking up from it:
//! 1. the nearest directory whose `.tfpin.hcl` says `root = true` (a test
//!    fixture or vendored tree inside a larger repository);
//! 2. else the top of the git work tree (the directory holding `.git`);
//! 3. else, outside git, the directory of the outermost `.tfpin.hcl`;
//! 4. else the path itself (a file's directory).
//!
//! Paths of one run must share a project, or lie in nested ones (then the
//! outermost is the run's).

use crate::discover::UsageError;
use std::path::{Path, PathBuf};

/// Why a directory is the project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootReason {
    /// Its `.tfpin.hcl` says `root = true`.
    Declared,
    /// It is the top of a git work tree.
    Git,
    /// It holds the outermost `.tfpin.hcl` above the paths (outside git).
    OutermostConfig,
    /// Nothing above the path marks a project.
    Given,
}

impl RootReason {
    pub fn describe(&self) -> &'static str {
        match self {
            RootReason::Declared => "its .tfpin.hcl says root = true",
            RootReason::Git => "the top of the git work tree",
            RootReason::OutermostConfig => "the outermost .tfpin.hcl above the paths (no git)",
            RootReason::Given => "the path given (no git work tree or .tfpin.hcl above it)",
        }
    }
}

/// A run's project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRoot {
    pub dir: PathBuf,
    pub reason: RootReason,
}

/// The directory a path argument stands for: itself, or a file's
/// directory; for a path that does not exist (a deleted file pre-commit
/// passes), its nearest existing ancestor.
pub fn dir_of(path: &Path) -> PathBuf {
    let mut dir = path;
    while !dir.is_dir() {
        match dir.parent() {
            Some(p) => dir = p,
            None => return path.to_path_buf(),
        }
    }
    dir.to_path_buf()
}

/// The directories that could be the project root of a path, innermost
/// first: every directory up to the top of the git work tree whose
/// `.tfpin.hcl` says `root = true`, then the git top; outside git, the
/// directory of the outermost `.tfpin.hcl`, else the path's own.
fn candidates(path: &Path) -> Vec<ProjectRoot> {
    let start = dir_of(path);
    let mut out = Vec::new();
    let mut outermost_config = None;
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        let config = d.join(crate::config::FILE_NAME);
        if config.is_file() {
            if crate::config::declares_root(&config) {
                out.push(ProjectRoot {
                    dir: d.to_path_buf(),
                    reason: RootReason::Declared,
                });
            }
            outermost_config = Some(d.to_path_buf());
        }
        if d.join(".git").exists() {
            out.push(ProjectRoot {
                dir: d.to_path_buf(),
                reason: RootReason::Git,
            });
            return out;
        }
        dir = d.parent();
    }
    if out.is_empty() {
        out.push(match outermost_config {
            Some(dir) => ProjectRoot {
                dir,
                reason: RootReason::OutermostConfig,
            },
            None => ProjectRoot {
                dir: start,
                reason: RootReason::Given,
            },
        });
    }
    out
}

/// The project root of one absolute, normalised path.
pub fn root_of(path: &Path) -> ProjectRoot {
    candidates(path).swap_remove(0)
}

/// The project root of a run over `paths` (absolute, normalised): theirs,
/// when they share one; else the innermost one of the first path's that
/// holds them all (a git work tree holding several projects that declare
/// themselves roots). Paths with nothing in common are refused.
pub fn root_of_all(paths: &[PathBuf]) -> Result<ProjectRoot, UsageError> {
    let Some(first) = paths.first() else {
        return Err(UsageError("no path to check".into()));
    };
    let dirs: Vec<PathBuf> = paths.iter().map(|p| dir_of(p)).collect();
    let options = candidates(first);
    if let Some(r) = options
        .iter()
        .find(|r| dirs.iter().all(|d| d.starts_with(&r.dir)))
    {
        return Ok(r.clone());
    }
    // Outside git and configurations, paths given together stand for the
    // directory that holds them all.
    if paths.iter().all(|p| root_of(p).reason == RootReason::Given) {
        let mut common = dirs[0].clone();
        while !dirs.iter().all(|d| d.starts_with(&common)) {
            if !common.pop() {
                break;
            }
        }
        return Ok(ProjectRoot {
            dir: common,
            reason: RootReason::Given,
        });
    }
    let (other, _) = paths
        .iter()
        .zip(&dirs)
        .find(|(_, d)| !d.starts_with(&options[options.len() - 1].dir))
        .unwrap_or((first, &dirs[0]));
    Err(UsageError(format!(
        "`{}` and `{}` belong to different projects (their roots are `{}` and `{}`); check each project in a run of its own",
        first.display(),
        other.display(),
        options[0].dir.display(),
        root_of(other).dir.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        for (p, text) in files {
            let path = t.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        t
    }

    #[test]
    fn git_top_is_the_root() {
        let t = tree(&[(".git/HEAD", ""), ("envs/prod/main.tf", "")]);
        let r = root_of(&t.path().join("envs/prod/main.tf"));
        assert_eq!(r.dir, t.path());
        assert_eq!(r.reason, RootReason::Git);
    }

    #[test]
    fn a_declared_root_inside_git_wins() {
        let t = tree(&[
            (".git/HEAD", ""),
            ("tests/fx/.tfpin.hcl", "root = true\n"),
            ("tests/fx/a/main.tf", ""),
        ]);
        let r = root_of(&t.path().join("tests/fx/a"));
        assert_eq!(r.dir, t.path().join("tests/fx"));
        assert_eq!(r.reason, RootReason::Declared);
    }

    #[test]
    fn outside_git_the_outermost_config_then_the_path() {
        let t = tree(&[
            (".tfpin.hcl", ""),
            ("a/.tfpin.hcl", ""),
            ("a/b/main.tf", ""),
        ]);
        let r = root_of(&t.path().join("a/b"));
        // Something above the temporary directory could hold a config or
        // be a git work tree; the root is at or above the outer config.
        assert!(t.path().starts_with(&r.dir), "{r:?}");
        let bare = tree(&[("x/main.tf", "")]);
        let r = root_of(&bare.path().join("x/main.tf"));
        assert!(bare.path().join("x").starts_with(&r.dir), "{r:?}");
    }

    #[test]
    fn nested_projects_run_in_the_one_holding_them_and_separate_ones_are_refused() {
        let t = tree(&[
            (".git/HEAD", ""),
            ("fx/.tfpin.hcl", "root = true\n"),
            ("fx/main.tf", ""),
            ("main.tf", ""),
        ]);
        let r = root_of_all(&[t.path().join("fx"), t.path().to_path_buf()]).unwrap();
        assert_eq!(r.dir, t.path());
        let r = root_of_all(&[t.path().join("fx/main.tf")]).unwrap();
        assert_eq!(r.dir, t.path().join("fx"));
        let bare = tree(&[("a/main.tf", ""), ("b/c/main.tf", "")]);
        let r = root_of_all(&[bare.path().join("a"), bare.path().join("b/c/main.tf")]).unwrap();
        assert!(bare.path().starts_with(&r.dir), "{r:?}");
        let u = tree(&[(".git/HEAD", ""), ("main.tf", "")]);
        let err = root_of_all(&[t.path().to_path_buf(), u.path().to_path_buf()]).unwrap_err();
        assert!(
            err.0.contains("check each project in a run of its own"),
            "{}",
            err.0
        );
    }
}
