//! Module source addresses: local paths, registry addresses, and everything
//! else Terraform's installer fetches remotely.

/// What a `module` block's `source` means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleSource {
    /// `./x` or `../x`: a directory relative to the calling module.
    Local(String),
    /// `[hostname/]namespace/name/system[//subdir]`: a module registry.
    Registry {
        hostname: Option<String>,
        namespace: String,
        name: String,
        system: String,
        subdir: Option<String>,
    },
    /// Anything fetched by go-getter: git, hg, http(s), s3, gcs, GitHub or
    /// Bitbucket shorthands, archives.
    Remote(RemoteSource),
}

/// Which of the three kinds of [`ModuleSource`] a source string is, without
/// keeping its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Local,
    Registry,
    Remote,
}

impl SourceKind {
    pub fn of(source: &str) -> SourceKind {
        if is_local(source) {
            SourceKind::Local
        } else if parse_registry(source).is_some() {
            SourceKind::Registry
        } else {
            SourceKind::Remote
        }
    }
}

impl ModuleSource {
    pub fn parse(source: &str) -> ModuleSource {
        if is_local(source) {
            return ModuleSource::Local(source.to_string());
        }
        if let Some(r) = parse_registry(source) {
            return r;
        }
        ModuleSource::Remote(RemoteSource::parse(source))
    }
}

/// How Terraform's installer fetches a remote source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteKind {
    /// `git::URL`, a `git://` URL, or the SCP-like `git@host:path`.
    Git,
    /// The `github.com/org/repo` shorthand, fetched with git over HTTPS.
    GitHub,
    /// The `bitbucket.org/org/repo` shorthand, fetched with git over HTTPS.
    Bitbucket,
    /// `hg::URL`: Mercurial.
    Hg,
    /// A plain `http://` or `https://` URL: an archive, or a page that
    /// redirects the installer with `X-Terraform-Get`.
    Http,
    /// `s3::URL` or an `*.amazonaws.com/` address: an S3 object.
    S3,
    /// `gcs::URL` or a `googleapis.com/` address: a Cloud Storage object.
    Gcs,
    /// `file::` or an absolute path: a directory on this machine.
    File,
    /// `oci://registry/repository`: an OCI artifact, which OpenTofu 1.10
    /// and later install (`internal/getmodules/oci_getter.go`); Terraform
    /// has no such getter.
    Oci,
    /// Something the installer would reject (an unknown getter or scheme,
    /// or an address no shorthand matches).
    Unknown,
}

impl RemoteKind {
    /// Whether the source is a git repository.
    pub fn is_git(self) -> bool {
        matches!(
            self,
            RemoteKind::Git | RemoteKind::GitHub | RemoteKind::Bitbucket
        )
    }

    /// The query argument that selects a revision: `ref` for git, `rev`
    /// for Mercurial.
    pub fn revision_param(self) -> Option<&'static str> {
        match self {
            RemoteKind::Git | RemoteKind::GitHub | RemoteKind::Bitbucket => Some("ref"),
            RemoteKind::Hg => Some("rev"),
            _ => None,
        }
    }
}

/// A go-getter address taken apart: `[getter::]url[//subdir][?query]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSource {
    pub kind: RemoteKind,
    /// The forced getter as written (`git` in `git::https://...`), lowercase.
    pub forced: Option<String>,
    /// The package address without the forced getter, subdirectory and query
    /// (`github.com/org/repo` for the shorthand, even when more path follows).
    pub url: String,
    /// The directory inside the package, after `//` (or after the repository
    /// in the GitHub shorthand).
    pub subdir: Option<String>,
    /// The query arguments in order, percent-decoded.
    pub query: Vec<(String, String)>,
}

/// Archive formats the installer unpacks, longest suffix first.
const ARCHIVE_EXTENSIONS: &[&str] = &[
    "tar.tbz2", "tar.bz2", "tar.gz", "tar.xz", "tbz2", "tgz", "txz", "zip", "bz2", "gz", "xz",
];

impl RemoteSource {
    /// Takes apart a source that is neither local nor a registry address,
    /// the way Terraform's installer reads it: a forced getter (`git::`)
    /// wins, then a URL scheme, then the shorthands (GitHub, `git@host:`,
    /// Bitbucket, GCS, S3, absolute paths), in the installer's order.
    pub fn parse(source: &str) -> RemoteSource {
        let (forced, rest) = split_forced(source);
        let (main, query) = match rest.split_once('?') {
            Some((m, q)) => (m, parse_query(q)),
            None => (rest, Vec::new()),
        };
        let (mut url, mut subdir) = split_subdir(main);
        let detected = detect_kind(url);
        if detected == RemoteKind::GitHub {
            // `github.com/org/repo/extra/path`: the extra path is a subdir.
            let parts: Vec<&str> = url.splitn(4, '/').collect();
            if parts.len() == 4 {
                let extra = parts[3].trim_matches('/');
                if !extra.is_empty() {
                    subdir = Some(match subdir {
                        Some(s) => format!("{extra}/{s}"),
                        None => extra.to_string(),
                    });
                }
                url = &url[..parts[0].len() + parts[1].len() + parts[2].len() + 2];
            }
        }
        let kind = match forced.as_deref() {
            Some(f) => getter_kind(f),
            None => detected,
        };
        RemoteSource {
            kind,
            forced,
            url: url.to_string(),
            subdir,
            query,
        }
    }

    /// The first value of a query argument (as go-getter reads it).
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The revision the source selects: a non-empty `ref` for git, `rev`
    /// for Mercurial.
    pub fn revision(&self) -> Option<&str> {
        self.kind
            .revision_param()
            .and_then(|p| self.param(p))
            .filter(|r| !r.is_empty())
    }

    /// The archive format, from `archive=` or the file extension; `None`
    /// for `archive=false` or a path with no archive extension.
    pub fn archive(&self) -> Option<&str> {
        if let Some(a) = self.param("archive") {
            return (!a.is_empty() && a != "false").then_some(a);
        }
        let path = self.url.to_ascii_lowercase();
        ARCHIVE_EXTENSIONS
            .iter()
            .find(|ext| {
                path.strip_suffix(*ext)
                    .is_some_and(|stem| stem.ends_with('.'))
            })
            .copied()
    }

    /// The part of the address that names the object: the URL path for
    /// HTTP, the object key for S3 and Cloud Storage (without bucket or API
    /// version), the path otherwise.
    pub fn object_path(&self) -> &str {
        let after_scheme = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        let (host, path) = after_scheme.split_once('/').unwrap_or((after_scheme, ""));
        match self.kind {
            RemoteKind::S3 => {
                // Path style (`s3.amazonaws.com/bucket/key`,
                // `s3-eu-west-1.amazonaws.com/bucket/key`) names the bucket
                // first; virtual-host style puts it in the host.
                if host.starts_with("s3.") || host.starts_with("s3-") {
                    path.split_once('/').map_or("", |(_, k)| k)
                } else {
                    path
                }
            }
            RemoteKind::Gcs => {
                // `www.googleapis.com/storage/v1/bucket/object`.
                let path = match path.strip_prefix("storage/") {
                    Some(p) => p.split_once('/').map_or("", |(_, r)| r),
                    None => path,
                };
                path.split_once('/').map_or("", |(_, o)| o)
            }
            _ => path,
        }
    }

    /// Whether the object's path names a release: a version with at least
    /// two parts (`vpc-1.2.0.zip`, `v2.1/vpc.zip`), a `v` version in the
    /// file name (`vpc-v2.zip`), or a full commit SHA.
    pub fn path_names_version(&self) -> bool {
        let path = self.object_path();
        let file = path.rsplit('/').next().unwrap_or("");
        has_dotted_version(path) || has_v_version(file) || has_full_sha(path)
    }
}

fn split_forced(source: &str) -> (Option<String>, &str) {
    if let Some((getter, rest)) = source.split_once("::") {
        if !getter.is_empty()
            && getter.chars().all(|c| c.is_ascii_alphanumeric())
            && !rest.is_empty()
        {
            return (Some(getter.to_ascii_lowercase()), rest);
        }
    }
    (None, source)
}

/// Splits `url//subdir` (the query already removed), skipping the `//` of a
/// scheme.
fn split_subdir(main: &str) -> (&str, Option<String>) {
    let offset = main.find("://").map_or(0, |i| i + 3);
    match main[offset..].find("//") {
        Some(i) => {
            let at = offset + i;
            let sub = main[at + 2..].trim_matches('/');
            (&main[..at], (!sub.is_empty()).then(|| sub.to_string()))
        }
        None => (main, None),
    }
}

fn getter_kind(getter: &str) -> RemoteKind {
    match getter {
        "git" => RemoteKind::Git,
        "hg" => RemoteKind::Hg,
        "http" | "https" => RemoteKind::Http,
        "s3" => RemoteKind::S3,
        "gcs" => RemoteKind::Gcs,
        "file" => RemoteKind::File,
        "oci" => RemoteKind::Oci,
        _ => RemoteKind::Unknown,
    }
}

fn detect_kind(url: &str) -> RemoteKind {
    if let Some(i) = url.find("://") {
        let scheme = &url[..i];
        let valid = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if valid {
            return getter_kind(&scheme.to_ascii_lowercase());
        }
    }
    if url.starts_with("github.com/") {
        return RemoteKind::GitHub;
    }
    if is_scp_like_git(url) {
        return RemoteKind::Git;
    }
    if url.starts_with("bitbucket.org/") {
        return RemoteKind::Bitbucket;
    }
    if url.contains("googleapis.com/") {
        return RemoteKind::Gcs;
    }
    if url.contains(".amazonaws.com/") {
        return RemoteKind::S3;
    }
    if url.starts_with('/') {
        return RemoteKind::File;
    }
    RemoteKind::Unknown
}

/// `git@host:path`: the installer takes the SCP-like form as git only for
/// the user `git`.
fn is_scp_like_git(url: &str) -> bool {
    let Some((user, rest)) = url.split_once('@') else {
        return false;
    };
    let Some((host, path)) = rest.split_once(':') else {
        return false;
    };
    user == "git"
        && !host.is_empty()
        && !host.contains('/')
        && !path.trim_start_matches('/').is_empty()
}

fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_boundary(b: Option<&u8>) -> bool {
    b.is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// `1.2`, `v1.2.3` not preceded by a letter or digit.
fn has_dotted_version(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).any(|i| {
        let mut j = i;
        if b[j] == b'v' || b[j] == b'V' {
            j += 1;
        }
        if !is_boundary(i.checked_sub(1).and_then(|p| b.get(p))) {
            return false;
        }
        let digits = |mut k: usize| {
            let start = k;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            (k > start).then_some(k)
        };
        let Some(k) = digits(j) else { return false };
        b.get(k) == Some(&b'.') && digits(k + 1).is_some()
    })
}

/// `v2` as a whole token: `vpc-v2.zip`.
fn has_v_version(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).any(|i| {
        if !(b[i] == b'v' || b[i] == b'V') || !is_boundary(i.checked_sub(1).and_then(|p| b.get(p)))
        {
            return false;
        }
        let mut k = i + 1;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        k > i + 1 && is_boundary(b.get(k))
    })
}

/// A 40- or 64-digit hexadecimal token: a full git commit id.
fn has_full_sha(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|t| (t.len() == 40 || t.len() == 64) && t.chars().all(|c| c.is_ascii_hexdigit()))
}

/// What a git `ref` (or Mercurial `rev`) looks like. tfpin cannot ask the
/// repository, so it judges by shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefShape {
    /// 7 to 40 hexadecimal digits (an abbreviated or full SHA-1), or 64 (a
    /// SHA-256 repository).
    CommitSha,
    /// A release tag: a version with a `v` or at least two parts, optionally
    /// after a prefix ending in `-`, `_`, `/` or `@`, optionally followed by
    /// a `-` or `+` suffix: `v1`, `1.2.3`, `v1.2.3-rc.1`, `release-1.2`,
    /// `vpc/v2.0.1`.
    Version,
    /// A conventional branch name: `main`, `master`, `develop`, `HEAD`...
    KnownBranch,
    /// Anything else, most likely a branch.
    Other,
}

/// Branch names (and Mercurial's moving revisions) that are never releases.
const BRANCH_NAMES: &[&str] = &[
    "main",
    "master",
    "develop",
    "development",
    "dev",
    "trunk",
    "head",
    "default",
    "tip",
    "stable",
    "latest",
];

pub fn ref_shape(r: &str) -> RefShape {
    let hex = r.chars().all(|c| c.is_ascii_hexdigit());
    if hex && ((7..=40).contains(&r.len()) || r.len() == 64) {
        return RefShape::CommitSha;
    }
    let lower = r.to_ascii_lowercase();
    let name = lower.strip_prefix("refs/heads/").unwrap_or(&lower);
    if BRANCH_NAMES.contains(&name) || lower.starts_with("refs/heads/") {
        return RefShape::KnownBranch;
    }
    let b = r.as_bytes();
    let is_version_at = |i: usize| {
        let mut j = i;
        let v = b.get(j).is_some_and(|c| *c == b'v' || *c == b'V');
        if v {
            j += 1;
        }
        let mut parts = 0;
        loop {
            let start = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == start {
                return false;
            }
            parts += 1;
            if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        (v || parts >= 2) && (j == b.len() || matches!(b[j], b'-' | b'+'))
    };
    let starts = (0..b.len()).filter(|&i| i == 0 || matches!(b[i - 1], b'-' | b'_' | b'/' | b'@'));
    for i in starts {
        if is_version_at(i) {
            return RefShape::Version;
        }
    }
    RefShape::Other
}

/// Terraform treats a source as a local path only when it starts with `./`
/// or `../` (or their Windows forms).
pub fn is_local(source: &str) -> bool {
    source.starts_with("./")
        || source.starts_with("../")
        || source.starts_with(".\\")
        || source.starts_with("..\\")
        || source == "."
        || source == ".."
}

fn parse_registry(source: &str) -> Option<ModuleSource> {
    if source.contains("::")
        || source.contains('?')
        || source.contains(':') && !host_has_port(source)
    {
        return None;
    }
    let (main, subdir) = match source.split_once("//") {
        Some((m, s)) => (m, Some(s.to_string())),
        None => (source, None),
    };
    let parts: Vec<&str> = main.split('/').collect();
    let (hostname, rest) = match parts.len() {
        3 => (None, &parts[..]),
        4 => (Some(parts[0].to_string()), &parts[1..]),
        _ => return None,
    };
    if let Some(h) = &hostname {
        // Known VCS hosts are go-getter shorthands, not registries.
        let h = h.to_ascii_lowercase();
        if h == "github.com" || h == "bitbucket.org" || !h.contains('.') {
            return None;
        }
    }
    let valid = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !rest.iter().all(|p| valid(p)) {
        return None;
    }
    Some(ModuleSource::Registry {
        hostname,
        namespace: rest[0].to_string(),
        name: rest[1].to_string(),
        system: rest[2].to_string(),
        subdir,
    })
}

fn host_has_port(source: &str) -> bool {
    // `example.com:443/ns/name/system` is a registry host with a port.
    source
        .split('/')
        .next()
        .and_then(|h| h.split_once(':'))
        .is_some_and(|(_, port)| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths() {
        assert_eq!(
            ModuleSource::parse("./net"),
            ModuleSource::Local("./net".into())
        );
        assert_eq!(
            ModuleSource::parse("../../m"),
            ModuleSource::Local("../../m".into())
        );
        // Without ./ Terraform treats a path as a registry or remote address.
        assert!(!matches!(
            ModuleSource::parse("modules/net"),
            ModuleSource::Local(_)
        ));
    }

    #[test]
    fn registry_addresses() {
        match ModuleSource::parse("terraform-aws-modules/vpc/aws") {
            ModuleSource::Registry {
                hostname,
                namespace,
                name,
                system,
                subdir,
            } => {
                assert_eq!(hostname, None);
                assert_eq!(
                    (namespace.as_str(), name.as_str(), system.as_str()),
                    ("terraform-aws-modules", "vpc", "aws")
                );
                assert_eq!(subdir, None);
            }
            other => panic!("{other:?}"),
        }
        match ModuleSource::parse("app.terraform.io/acme/net/aws//modules/sub") {
            ModuleSource::Registry {
                hostname, subdir, ..
            } => {
                assert_eq!(hostname.as_deref(), Some("app.terraform.io"));
                assert_eq!(subdir.as_deref(), Some("modules/sub"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn remote_addresses() {
        for s in [
            "git::https://example.com/net.git?ref=v1.0.0",
            "github.com/acme/net",
            "github.com/acme/net/aws",
            "bitbucket.org/acme/net",
            "https://example.com/net.zip",
            "s3::https://s3.amazonaws.com/b/net.zip",
            "gcs::https://www.googleapis.com/storage/v1/b/net.zip",
            "git@github.com:acme/net.git",
            "hg::http://example.com/net",
        ] {
            assert!(
                matches!(ModuleSource::parse(s), ModuleSource::Remote(_)),
                "{s}"
            );
        }
    }

    #[test]
    fn source_kind_matches_the_full_parse() {
        for (s, kind) in [
            ("./net", SourceKind::Local),
            ("../../m", SourceKind::Local),
            ("modules/net", SourceKind::Remote),
            ("terraform-aws-modules/vpc/aws", SourceKind::Registry),
            (
                "app.terraform.io/acme/net/aws//modules/sub",
                SourceKind::Registry,
            ),
            (
                "registry.example.com:8443/acme/net/aws",
                SourceKind::Registry,
            ),
            (
                "git::https://example.com/net.git?ref=v1.0.0",
                SourceKind::Remote,
            ),
            ("github.com/acme/net", SourceKind::Remote),
            ("acme/net/aws?ref=1", SourceKind::Remote),
            ("git@github.com:acme/net.git", SourceKind::Remote),
            ("", SourceKind::Remote),
        ] {
            assert_eq!(SourceKind::of(s), kind, "{s}");
            let parsed = match ModuleSource::parse(s) {
                ModuleSource::Local(_) => SourceKind::Local,
                ModuleSource::Registry { .. } => SourceKind::Registry,
                ModuleSource::Remote(_) => SourceKind::Remote,
            };
            assert_eq!(parsed, kind, "{s}");
        }
    }

    fn remote(s: &str) -> RemoteSource {
        match ModuleSource::parse(s) {
            ModuleSource::Remote(r) => r,
            other => panic!("{s}: {other:?}"),
        }
    }

    /// (source, kind, url, subdir, revision)
    type Shape = (
        &'static str,
        RemoteKind,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
    );

    #[test]
    fn remote_shapes() {
        use RemoteKind::*;
        let cases: &[Shape] = &[
            (
                "git::ssh://git@example.com/repo.git//modules/x?ref=v1.2.0",
                Git,
                "ssh://git@example.com/repo.git",
                Some("modules/x"),
                Some("v1.2.0"),
            ),
            (
                "github.com/org/repo//sub?ref=abc1234",
                GitHub,
                "github.com/org/repo",
                Some("sub"),
                Some("abc1234"),
            ),
            (
                "github.com/org/repo/modules/vpc",
                GitHub,
                "github.com/org/repo",
                Some("modules/vpc"),
                None,
            ),
            (
                "github.com/org/repo/modules//vpc?ref=v2",
                GitHub,
                "github.com/org/repo",
                Some("modules/vpc"),
                Some("v2"),
            ),
            (
                "git::https://github.com/org/repo.git?depth=1&ref=v1.0.0",
                Git,
                "https://github.com/org/repo.git",
                None,
                Some("v1.0.0"),
            ),
            (
                "git::https://example.com/vpc.git//modules/vpc?ref=release%2F1.2",
                Git,
                "https://example.com/vpc.git",
                Some("modules/vpc"),
                Some("release/1.2"),
            ),
            (
                "git@github.com:org/repo.git",
                Git,
                "git@github.com:org/repo.git",
                None,
                None,
            ),
            (
                "git@github.com:org/repo.git//modules/a?ref=main",
                Git,
                "git@github.com:org/repo.git",
                Some("modules/a"),
                Some("main"),
            ),
            (
                "git::git@gitlab.com:group/sub/repo.git?ref=1.4.0",
                Git,
                "git@gitlab.com:group/sub/repo.git",
                None,
                Some("1.4.0"),
            ),
            (
                "git::https://dev.azure.com/org/proj/_git/repo?ref=v3.1.0",
                Git,
                "https://dev.azure.com/org/proj/_git/repo",
                None,
                Some("v3.1.0"),
            ),
            (
                "git://example.com/repo.git?ref=v1",
                Git,
                "git://example.com/repo.git",
                None,
                Some("v1"),
            ),
            (
                "bitbucket.org/org/repo//vpc?ref=v0.3.0",
                Bitbucket,
                "bitbucket.org/org/repo",
                Some("vpc"),
                Some("v0.3.0"),
            ),
            (
                "hg::http://example.com/vpc.hg",
                Hg,
                "http://example.com/vpc.hg",
                None,
                None,
            ),
            (
                "hg::http://example.com/vpc.hg?rev=v1.2.0",
                Hg,
                "http://example.com/vpc.hg",
                None,
                Some("v1.2.0"),
            ),
            // `ref` means nothing to Mercurial.
            (
                "hg::https://example.com/vpc?ref=v1",
                Hg,
                "https://example.com/vpc",
                None,
                None,
            ),
            (
                "s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip",
                S3,
                "https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip",
                None,
                None,
            ),
            (
                "bucket.s3.eu-west-1.amazonaws.com/modules/vpc.zip",
                S3,
                "bucket.s3.eu-west-1.amazonaws.com/modules/vpc.zip",
                None,
                None,
            ),
            (
                "gcs::https://www.googleapis.com/storage/v1/bucket/vpc.zip",
                Gcs,
                "https://www.googleapis.com/storage/v1/bucket/vpc.zip",
                None,
                None,
            ),
            (
                "www.googleapis.com/storage/v1/bucket/net/vpc.zip//vpc",
                Gcs,
                "www.googleapis.com/storage/v1/bucket/net/vpc.zip",
                Some("vpc"),
                None,
            ),
            (
                "https://example.com/vpc-1.2.0.zip//vpc",
                Http,
                "https://example.com/vpc-1.2.0.zip",
                Some("vpc"),
                None,
            ),
            (
                "file::/opt/modules/vpc",
                File,
                "/opt/modules/vpc",
                None,
                None,
            ),
            ("/opt/modules/vpc", File, "/opt/modules/vpc", None, None),
            (
                "ssh://git@example.com/repo.git",
                Unknown,
                "ssh://git@example.com/repo.git",
                None,
                None,
            ),
            (
                "foo::https://example.com/x",
                Unknown,
                "https://example.com/x",
                None,
                None,
            ),
            // Not the user `git`: the installer does not read it as git.
            (
                "deploy@example.com:repo.git",
                Unknown,
                "deploy@example.com:repo.git",
                None,
                None,
            ),
            (
                "example.com/a/b/c/d",
                Unknown,
                "example.com/a/b/c/d",
                None,
                None,
            ),
        ];
        for (src, kind, url, subdir, rev) in cases {
            let r = remote(src);
            assert_eq!(r.kind, *kind, "{src}");
            assert_eq!(r.url, *url, "{src}");
            assert_eq!(r.subdir.as_deref(), *subdir, "{src}");
            assert_eq!(r.revision(), *rev, "{src}");
        }
    }

    #[test]
    fn forced_getter_is_kept_and_lowercased() {
        let r = remote("GIT::https://example.com/x.git");
        assert_eq!(r.forced.as_deref(), Some("git"));
        assert_eq!(r.kind, RemoteKind::Git);
        assert_eq!(remote("github.com/a/b").forced, None);
    }

    #[test]
    fn query_arguments() {
        let r = remote("git::https://example.com/x.git?depth=1&ref=&sshkey=abc%3D");
        assert_eq!(r.param("depth"), Some("1"));
        assert_eq!(r.param("ref"), Some(""));
        assert_eq!(r.revision(), None, "an empty ref selects nothing");
        assert_eq!(r.param("sshkey"), Some("abc="));
        // A malformed escape is kept as written.
        assert_eq!(
            remote("git::https://e.com/x?ref=a%zz").revision(),
            Some("a%zz")
        );
    }

    #[test]
    fn archives() {
        assert_eq!(remote("https://example.com/vpc.zip").archive(), Some("zip"));
        assert_eq!(
            remote("https://example.com/vpc.tar.gz").archive(),
            Some("tar.gz")
        );
        assert_eq!(remote("https://example.com/vpc.TGZ").archive(), Some("tgz"));
        assert_eq!(
            remote("https://example.com/vpc?archive=zip").archive(),
            Some("zip")
        );
        assert_eq!(
            remote("https://example.com/vpc.zip?archive=false").archive(),
            None
        );
        assert_eq!(remote("https://example.com/vpc").archive(), None);
        assert_eq!(remote("https://example.com/gzip").archive(), None);
    }

    #[test]
    fn object_paths() {
        let cases = [
            ("https://example.com/mods/vpc.zip", "mods/vpc.zip"),
            (
                "s3::https://s3-eu-west-1.amazonaws.com/bucket/m/vpc.zip",
                "m/vpc.zip",
            ),
            ("s3::https://s3.amazonaws.com/bucket/vpc.zip", "vpc.zip"),
            ("bucket.s3.amazonaws.com/m/vpc.zip", "m/vpc.zip"),
            (
                "gcs::https://www.googleapis.com/storage/v1/bucket/m/vpc.zip",
                "m/vpc.zip",
            ),
            (
                "gcs::https://storage.googleapis.com/bucket/vpc.zip",
                "vpc.zip",
            ),
        ];
        for (src, path) in cases {
            assert_eq!(remote(src).object_path(), path, "{src}");
        }
    }

    #[test]
    fn versions_in_paths() {
        for src in [
            "https://example.com/vpc-1.2.0.zip",
            "https://example.com/vpc/v1.2/vpc.zip",
            "https://example.com/vpc_v3.tar.gz",
            "https://github.com/org/vpc/archive/refs/tags/v1.2.0.tar.gz",
            "https://github.com/org/vpc/archive/0123456789abcdef0123456789abcdef01234567.zip",
            "s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc/2.3.1/vpc.zip",
            "gcs::https://www.googleapis.com/storage/v1/bucket/vpc-v4.zip",
        ] {
            assert!(remote(src).path_names_version(), "{src}");
        }
        for src in [
            "https://example.com/vpc.zip",
            "https://example.com/latest/vpc.zip",
            "https://example.com/python3.9/vpc.zip",
            "https://example.com/api/v1/vpc.zip",
            // The API version is not the object's.
            "gcs::https://www.googleapis.com/storage/v1/bucket/vpc.zip",
            // Neither is the region in the host.
            "s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip",
            "https://release-1.2.example.com/vpc.zip",
        ] {
            assert!(!remote(src).path_names_version(), "{src}");
        }
    }

    #[test]
    fn ref_shapes() {
        use RefShape::*;
        let cases = [
            ("abc1234", CommitSha),
            ("0123456789abcdef0123456789abcdef01234567", CommitSha),
            ("ABCDEF0123", CommitSha),
            ("abc123", Other),
            ("v1", Version),
            ("V2", Version),
            ("1.2.3", Version),
            ("v1.2.3", Version),
            ("v1.2.3-rc.1", Version),
            ("1.0.0+build.5", Version),
            ("release-1.2", Version),
            ("vpc/v2.0.1", Version),
            ("refs/tags/v1.2.0", Version),
            ("terraform-aws-vpc_v3.0.0", Version),
            ("main", KnownBranch),
            ("master", KnownBranch),
            ("develop", KnownBranch),
            ("trunk", KnownBranch),
            ("HEAD", KnownBranch),
            ("refs/heads/feature-x", KnownBranch),
            ("feature/new-subnets", Other),
            ("JIRA-123", Other),
            ("release-2", Other),
            ("1", Other),
            ("v1x", Other),
            ("v", Other),
            ("", Other),
        ];
        for (r, shape) in cases {
            assert_eq!(ref_shape(r), shape, "{r:?}");
        }
    }
}
