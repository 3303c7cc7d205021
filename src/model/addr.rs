//! Provider source addresses, normalised the way Terraform normalises them.

use std::fmt;

/// The public Terraform registry's hostname, implied when a source omits it.
pub const DEFAULT_HOST: &str = "registry.terraform.io";
/// OpenTofu's registry, which mirrors the same namespaces.
pub const OPENTOFU_HOST: &str = "registry.opentofu.org";

/// A fully qualified provider address: `hostname/namespace/type`, compared
/// without regard to case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProviderAddr {
    pub hostname: String,
    pub namespace: String,
    pub type_name: String,
}

impl ProviderAddr {
    /// The address Terraform assumes for a local name with no `source`:
    /// `registry.terraform.io/hashicorp/<name>`.
    pub fn implied(local_name: &str) -> ProviderAddr {
        ProviderAddr::implied_in(local_name, crate::fileset::Engine::Terraform)
    }

    /// The address an engine assumes for a local name with no `source`:
    /// `<its registry>/hashicorp/<name>`.
    pub fn implied_in(local_name: &str, engine: crate::fileset::Engine) -> ProviderAddr {
        ProviderAddr {
            hostname: engine.default_registry().to_string(),
            namespace: "hashicorp".to_string(),
            type_name: local_name.to_ascii_lowercase(),
        }
    }

    /// Parses a `source` string: `type` (legacy), `namespace/type` or
    /// `hostname/namespace/type`.
    pub fn parse(source: &str) -> Result<ProviderAddr, String> {
        ProviderAddr::parse_in(source, crate::fileset::Engine::Terraform)
    }

    /// Parses a `source` string as an engine reads it: a source without a
    /// hostname is in the engine's own registry (OpenTofu's is set in
    /// `internal/addrs/provider.go`, `DefaultProviderRegistryHost`).
    pub fn parse_in(source: &str, engine: crate::fileset::Engine) -> Result<ProviderAddr, String> {
        let default_host = engine.default_registry();
        let mut parts = source.split('/');
        let parts = [parts.next(), parts.next(), parts.next(), parts.next()];
        let (host, ns, ty) = match parts {
            [Some(ty), None, None, None] => (default_host, "hashicorp", ty),
            [Some(ns), Some(ty), None, None] => (default_host, ns, ty),
            [Some(host), Some(ns), Some(ty), None] => (host, ns, ty),
            _ => {
                return Err(format!(
                    "provider source \"{source}\" must have the form [hostname/]namespace/type"
                ))
            }
        };
        for (what, part, is_host) in [
            ("hostname", host, true),
            ("namespace", ns, false),
            ("type", ty, false),
        ] {
            if part.is_empty() {
                return Err(format!("provider source \"{source}\" has an empty {what}"));
            }
            let ok = part.bytes().all(|c| {
                c.is_ascii_alphanumeric()
                    || c == b'-'
                    || c == b'_'
                    || (is_host && (c == b'.' || c == b':'))
            });
            if !ok {
                return Err(format!(
                    "provider source \"{source}\" has an invalid {what} \"{part}\""
                ));
            }
        }
        Ok(ProviderAddr {
            hostname: host.to_ascii_lowercase(),
            namespace: ns.to_ascii_lowercase(),
            type_name: ty.to_ascii_lowercase(),
        })
    }

    /// Whether this provider lives in the public registry (Terraform's or
    /// OpenTofu's), under HashiCorp's namespace.
    pub fn is_hashicorp(&self) -> bool {
        self.namespace == "hashicorp" && self.is_public_registry()
    }

    pub fn is_public_registry(&self) -> bool {
        self.hostname == DEFAULT_HOST || self.hostname == OPENTOFU_HOST
    }

    /// The same provider regardless of which public registry serves it.
    pub fn same_provider(&self, other: &ProviderAddr) -> bool {
        if self.namespace != other.namespace || self.type_name != other.type_name {
            return false;
        }
        self.hostname == other.hostname || (self.is_public_registry() && other.is_public_registry())
    }

    /// What [`Self::same_provider`] compares, as one key to sort or hash
    /// by: the hostname (`None` for either public registry), namespace and
    /// type. Two addresses are the same provider when their keys are equal.
    pub fn provider_key(&self) -> ProviderKey<'_> {
        let host = (!self.is_public_registry()).then_some(self.hostname.as_str());
        (host, self.namespace.as_str(), self.type_name.as_str())
    }

    /// The short form `engine` prints: `hashicorp/aws` for its own
    /// registry, the full address otherwise.
    pub fn short_in(&self, engine: crate::fileset::Engine) -> String {
        if self.hostname == engine.default_registry() {
            format!("{}/{}", self.namespace, self.type_name)
        } else {
            self.to_string()
        }
    }

    /// The short form the engines print: `hashicorp/aws` for a public
    /// registry (Terraform's or OpenTofu's, each the default of its own
    /// engine), the full address otherwise. The same provider is then
    /// named alike in both engines' readings of a tree.
    pub fn short(&self) -> String {
        if self.is_public_registry() {
            format!("{}/{}", self.namespace, self.type_name)
        } else {
            self.to_string()
        }
    }
}

/// See [`ProviderAddr::provider_key`].
pub type ProviderKey<'a> = (Option<&'a str>, &'a str, &'a str);

impl fmt::Display for ProviderAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.hostname, self.namespace, self.type_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_get_the_default_registry() {
        let a = ProviderAddr::parse("hashicorp/aws").unwrap();
        assert_eq!(a.to_string(), "registry.terraform.io/hashicorp/aws");
        assert_eq!(
            a,
            ProviderAddr::parse("registry.terraform.io/hashicorp/aws").unwrap()
        );
        assert_eq!(a, ProviderAddr::parse("aws").unwrap());
        assert_eq!(a, ProviderAddr::implied("aws"));
        assert_eq!(a.short(), "hashicorp/aws");
    }

    #[test]
    fn addresses_compare_without_case() {
        assert_eq!(
            ProviderAddr::parse("Registry.Terraform.io/HashiCorp/AWS").unwrap(),
            ProviderAddr::parse("hashicorp/aws").unwrap()
        );
    }

    proptest::proptest! {
        #[test]
        fn equal_keys_are_the_same_provider(
            a in (0..4usize, 0..2usize, 0..2usize),
            b in (0..4usize, 0..2usize, 0..2usize),
        ) {
            const HOSTS: [&str; 4] =
                ["registry.terraform.io", "registry.opentofu.org", "example.com", "Example.com"];
            const NAMES: [&str; 2] = ["hashicorp", "acme"];
            const TYPES: [&str; 2] = ["aws", "google"];
            let addr = |(h, n, t): (usize, usize, usize)| {
                ProviderAddr::parse(&format!("{}/{}/{}", HOSTS[h], NAMES[n], TYPES[t])).unwrap()
            };
            let (a, b) = (addr(a), addr(b));
            proptest::prop_assert_eq!(
                a.same_provider(&b),
                a.provider_key() == b.provider_key(),
                "{} {}", a, b
            );
        }
    }

    #[test]
    fn opentofu_registry_is_the_same_provider() {
        let t = ProviderAddr::parse("registry.opentofu.org/hashicorp/aws").unwrap();
        let h = ProviderAddr::parse("hashicorp/aws").unwrap();
        assert_ne!(t, h);
        assert!(t.same_provider(&h));
        assert!(t.is_hashicorp());
        let other = ProviderAddr::parse("example.com/hashicorp/aws").unwrap();
        assert!(!other.same_provider(&h));
    }

    #[test]
    fn malformed_sources_are_rejected() {
        assert!(ProviderAddr::parse("a/b/c/d").is_err());
        assert!(ProviderAddr::parse("hashicorp/").is_err());
        assert!(ProviderAddr::parse("hashi corp/aws").is_err());
    }
}
