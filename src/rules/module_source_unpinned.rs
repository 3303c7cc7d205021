//! `module-source-unpinned`: a remote module source that selects no
//! revision or release.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::source_addr::{RemoteKind, RemoteSource};

declare_rule! {
    ModuleSourceUnpinned, "module-source-unpinned", Correctness,
    "a git, Mercurial, HTTP, S3 or GCS module source that pins no revision or version"
}

impl Rule for ModuleSourceUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for m in &cx.ws.modules {
            for call in &m.config.module_calls {
                let Some((src, remote)) = cx.remote_source(m, call) else {
                    continue;
                };
                let Some((problem, help)) = problem(&remote) else {
                    continue;
                };
                out.push(
                    cx.finding(
                        src.span.clone(),
                        format!("{} source \"{}\" {problem}", call.label(), src.value),
                    )
                    .in_module(&m.display)
                    .about(format!("{}.source", call.address()))
                    .with_help(help),
                );
            }
        }
    }
}

/// What is unpinned about a remote source, and the remedy; `None` when it
/// is pinned (or is not something this rule judges).
fn problem(r: &RemoteSource) -> Option<(String, String)> {
    match r.kind {
        RemoteKind::Git | RemoteKind::GitHub | RemoteKind::Bitbucket => {
            if r.revision().is_some() {
                return None;
            }
            let what = if r.param("ref").is_some() {
                "has an empty ref"
            } else {
                "has no ref"
            };
            Some((
                format!("{what}, so every init fetches the repository's default branch"),
                format!(
                    "select a release tag or a commit: `{}`",
                    with_param(r, "ref", "v1.2.3")
                ),
            ))
        }
        RemoteKind::Hg => {
            if r.revision().is_some() {
                return None;
            }
            Some((
                "has no rev, so every init fetches the repository's tip".to_string(),
                format!(
                    "select a release tag or a changeset: `{}`",
                    with_param(r, "rev", "v1.2.3")
                ),
            ))
        }
        RemoteKind::Http | RemoteKind::S3 | RemoteKind::Gcs => {
            let versioned_object = r.kind == RemoteKind::S3 && r.param("version").is_some();
            if r.path_names_version() || r.param("checksum").is_some() || versioned_object {
                return None;
            }
            let what = match r.kind {
                RemoteKind::S3 => "an S3 object",
                RemoteKind::Gcs => "a Cloud Storage object",
                _ if r.archive().is_some() => "an archive URL",
                _ => "a URL",
            };
            Some((
                format!(
                    "is {what} that names no version, so init installs whatever it holds at the time"
                ),
                "publish each release under its own name (such as `vpc-1.2.3.zip`) and point to \
                 it, or add `?checksum=sha256:...` so a changed object fails init"
                    .to_string(),
            ))
        }
        RemoteKind::Oci => {
            if r.param("digest").is_some() || r.param("tag").is_some_and(|t| !t.is_empty()) {
                return None;
            }
            Some((
                "selects no tag or digest, so every init installs whatever `latest` is then"
                    .to_string(),
                format!(
                    "select a release tag, or better a digest: `{}`",
                    with_param(r, "digest", "sha256:...")
                ),
            ))
        }
        RemoteKind::File | RemoteKind::Unknown => None,
    }
}

/// The source as written with `key=value` set in its query.
fn with_param(r: &RemoteSource, key: &str, value: &str) -> String {
    let mut s = match &r.forced {
        Some(f) => format!("{f}::{}", r.url),
        None => r.url.clone(),
    };
    if let Some(sub) = &r.subdir {
        s.push_str("//");
        s.push_str(sub);
    }
    let mut query: Vec<String> = r
        .query
        .iter()
        .filter(|(k, _)| k != key)
        .map(|(k, v)| {
            if v.is_empty() {
                k.clone()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    query.push(format!("{key}={value}"));
    s.push('?');
    s.push_str(&query.join("&"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::source_addr::ModuleSource;

    fn judge(s: &str) -> Option<String> {
        match ModuleSource::parse(s) {
            ModuleSource::Remote(r) => problem(&r).map(|(p, _)| p),
            _ => None,
        }
    }

    #[test]
    fn an_oci_source_without_tag_or_digest_installs_latest() {
        let p = judge("oci://registry.example.com/modules/vpc").unwrap();
        assert!(p.contains("latest"), "{p}");
        assert!(judge("oci://registry.example.com/modules/vpc?tag=").is_some());
    }

    #[test]
    fn pinned_sources() {
        for s in [
            "git::https://example.com/vpc.git?ref=v1.2.0",
            "github.com/org/repo//sub?ref=abc1234",
            "git@github.com:org/repo.git?ref=main",
            "bitbucket.org/org/repo?ref=v1",
            "hg::https://example.com/vpc?rev=1.0.0",
            "https://example.com/vpc-1.2.0.zip",
            "https://example.com/vpc.zip?checksum=sha256:abcd",
            "s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc/1.2.0/vpc.zip",
            "s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip?version=3HL4kqtJvjVBH40Nrjfkd",
            "gcs::https://www.googleapis.com/storage/v1/bucket/vpc-v2.zip",
            "oci://registry.example.com/modules/vpc?tag=1.2.0",
            "oci://registry.example.com/modules/vpc?digest=sha256:0123abcd",
            // Not judged: the installer reads these from this machine or
            // rejects them.
            "/opt/modules/vpc",
            "ssh://git@example.com/vpc.git",
        ] {
            assert_eq!(judge(s), None, "{s}");
        }
    }

    #[test]
    fn unpinned_sources() {
        for s in [
            "github.com/org/repo",
            "github.com/org/repo//modules/vpc",
            "bitbucket.org/org/repo",
            "git@github.com:org/repo.git",
            "git::https://example.com/vpc.git?depth=1",
            "git::https://example.com/vpc.git?ref=",
            "hg::http://example.com/vpc",
            "https://example.com/vpc.zip",
            "https://example.com/modules/vpc",
            "s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip",
            "bucket.s3.amazonaws.com/vpc.zip",
            "gcs::https://www.googleapis.com/storage/v1/bucket/vpc.zip",
        ] {
            assert!(judge(s).is_some(), "{s}");
        }
    }

    #[test]
    fn help_shows_the_source_with_a_ref() {
        let ModuleSource::Remote(r) =
            ModuleSource::parse("git::https://example.com/vpc.git//modules/vpc?depth=1")
        else {
            panic!()
        };
        assert_eq!(
            with_param(&r, "ref", "v1.2.3"),
            "git::https://example.com/vpc.git//modules/vpc?depth=1&ref=v1.2.3"
        );
    }
}
