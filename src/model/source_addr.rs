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
    Remote(String),
}

impl ModuleSource {
    pub fn parse(source: &str) -> ModuleSource {
        if is_local(source) {
            return ModuleSource::Local(source.to_string());
        }
        if let Some(r) = parse_registry(source) {
            return r;
        }
        ModuleSource::Remote(source.to_string())
    }
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
}
