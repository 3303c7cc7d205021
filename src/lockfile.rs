//! `.terraform.lock.hcl`: which provider versions `terraform init` selected,
//! the constraints it saw, and the package hashes it trusts.

use crate::fileset::Engine;
use crate::hclx::{self, range_of, Str};
use crate::model::addr::ProviderAddr;
use crate::source::{FileId, Span};
use hcl_edit::structure::{Body, Structure};

/// One `provider "ADDR" { ... }` block.
#[derive(Debug, Clone)]
pub struct LockedProvider {
    /// The address as written.
    pub address: Str,
    /// The address normalised, if it parses.
    pub addr: Option<ProviderAddr>,
    /// The span of the block header.
    pub header: Span,
    /// The whole block.
    pub block: Span,
    pub version: Option<Str>,
    pub constraints: Option<Str>,
    /// Where each `h1:` hash is written (one per platform package). Only
    /// where: a hash is counted, never compared, and the texts of every
    /// lock file of a monorepo are kept in its sources anyway.
    pub h1: Vec<Span>,
    /// Where each `zh:` hash is written (the registry's signed checksums,
    /// all platforms).
    pub zh: Vec<Span>,
}

/// A parsed lock file.
#[derive(Debug, Clone)]
pub struct LockFile {
    pub file: FileId,
    pub providers: Vec<LockedProvider>,
    /// Structural problems (wrong types, duplicates, unknown blocks), each
    /// with the place it was found.
    pub problems: Vec<(Span, String)>,
    /// For a lock file of many entries, their positions in the order of
    /// [`ProviderAddr::provider_key`] (entries without an address first)
    /// and then position; empty otherwise. Filled in by [`read`], so that looking up
    /// every provider of a tree does not look through every entry.
    index: Vec<u32>,
}

impl LockFile {
    /// The entry for a provider, matching addresses without regard to case.
    pub fn provider(&self, addr: &ProviderAddr) -> Option<&LockedProvider> {
        let exact = |p: &&LockedProvider| p.addr.as_ref() == Some(addr);
        match self.same_provider(addr) {
            Some(same) => same
                .iter()
                .map(|&i| &self.providers[i as usize])
                .find(exact),
            None => self.providers.iter().find(exact),
        }
    }

    /// The entry an engine takes for a provider: the one for the same
    /// address. Terraform takes no other: it drops an entry in OpenTofu's
    /// registry and selects anew (`tests/data/engine/lock-opentofu-host`).
    /// OpenTofu also takes, for a provider in its own registry's
    /// `hashicorp` namespace, the entry of the same provider in
    /// Terraform's, whose version `tofu init` carries over
    /// (`internal/depsfile/locks.go`, `UpgradeFromPredecessorProject`).
    pub fn entry_in(&self, addr: &ProviderAddr, engine: Engine) -> Option<&LockedProvider> {
        self.provider(addr).or_else(|| match engine {
            Engine::OpenTofu => {
                let predecessor = predecessor_of(addr)?;
                self.provider(&predecessor)
            }
            Engine::Terraform => None,
        })
    }

    /// Whether an engine needs this entry for one of `needed` (see
    /// [`Self::entry_in`]).
    pub fn is_needed(
        entry: &ProviderAddr,
        engine: Engine,
        needed: &crate::HashSet<&ProviderAddr>,
    ) -> bool {
        needed.contains(entry)
            || (engine == Engine::OpenTofu
                && entry.hostname == crate::model::addr::DEFAULT_HOST
                && entry.namespace == "hashicorp"
                && needed
                    .iter()
                    .any(|a| predecessor_of(a).as_ref() == Some(entry)))
    }

    /// Through the index, the positions of the entries for the same
    /// provider as `addr`, in file order; `None` without an index.
    fn same_provider(&self, addr: &ProviderAddr) -> Option<&[u32]> {
        if self.index.is_empty() {
            return None;
        }
        let want = Some(addr.provider_key());
        let key = |i: u32| {
            self.providers[i as usize]
                .addr
                .as_ref()
                .map(|a| a.provider_key())
        };
        Some(crate::model::equal_range(&self.index, |i| {
            key(i).cmp(&want)
        }))
    }
}

/// For a provider of OpenTofu's registry in the `hashicorp` namespace, the
/// same provider in Terraform's, whose lock entry OpenTofu carries over.
fn predecessor_of(addr: &ProviderAddr) -> Option<ProviderAddr> {
    (addr.hostname == crate::model::addr::OPENTOFU_HOST && addr.namespace == "hashicorp").then(
        || ProviderAddr {
            hostname: crate::model::addr::DEFAULT_HOST.to_string(),
            ..addr.clone()
        },
    )
}

/// Reads a lock file's already-parsed body.
pub fn read(file: FileId, body: &Body) -> LockFile {
    let mut lock = LockFile {
        file,
        providers: Vec::new(),
        problems: Vec::new(),
        index: Vec::new(),
    };
    let span = |r| Span::new(file, r);
    // The position of each address's entry, once there are too many
    // entries to look through for each new one.
    let mut seen: Option<crate::HashMap<ProviderAddr, usize>> = None;
    for item in body.iter() {
        let block = match item {
            Structure::Block(b) if b.ident.as_str() == "provider" => b,
            Structure::Block(b) => {
                // Terraform ignores other block types it does not know, but
                // `module` blocks were never written by any version; say so.
                lock.problems.push((
                    span(hclx::header_range(b)),
                    format!(
                        "unexpected `{}` block in lock file; only `provider` blocks are allowed",
                        b.ident.as_str()
                    ),
                ));
                continue;
            }
            Structure::Attribute(a) => {
                lock.problems.push((
                    span(range_of(a)),
                    format!(
                        "unexpected attribute `{}` in lock file; only `provider` blocks are allowed",
                        a.key.as_str()
                    ),
                ));
                continue;
            }
        };
        let header = span(hclx::header_range(block));
        if block.labels.len() != 1 {
            lock.problems.push((
                header,
                "a lock file `provider` block needs exactly one label, the provider address"
                    .to_string(),
            ));
            continue;
        }
        let label = &block.labels[0];
        let address = Str {
            value: label.as_str().to_string(),
            span: span(range_of(label)),
        };
        let addr = match ProviderAddr::parse(&address.value) {
            Ok(a) => {
                // Terraform refuses the whole file ("Non-normalized
                // provider source address"; recorded in
                // tests/data/engine/lock-uppercase and lock-no-hostname),
                // and so does OpenTofu (internal/depsfile/locks_file.go).
                // The entry is still read as the address it means, so
                // that this is the one finding about it.
                let normal = a.to_string();
                if normal != address.value {
                    lock.problems.push((
                        address.span.clone(),
                        format!(
                            "provider address \"{}\" is not in its normalised form \"{normal}\", \
                             so terraform init refuses the whole lock file",
                            address.value
                        ),
                    ));
                }
                Some(a)
            }
            Err(msg) => {
                lock.problems.push((address.span.clone(), msg));
                None
            }
        };
        if let Some(a) = &addr {
            let prev = match &seen {
                Some(seen) => seen.get(a).copied(),
                None => lock
                    .providers
                    .iter()
                    .position(|p| p.addr.as_ref() == Some(a)),
            };
            if let Some(prev) = prev {
                let line_hint = lock.providers[prev].address.value.clone();
                lock.problems.push((
                    address.span.clone(),
                    format!("duplicate lock entry for provider \"{line_hint}\""),
                ));
                continue;
            }
        }
        let mut entry = LockedProvider {
            address,
            addr,
            header,
            block: span(range_of(block)),
            version: None,
            constraints: None,
            h1: Vec::new(),
            zh: Vec::new(),
        };
        let mut saw_version = false;
        for inner in block.body.iter() {
            match inner {
                Structure::Attribute(a) => {
                    let key = a.key.as_str();
                    saw_version |= key == "version";
                    let vspan = span(range_of(&a.value));
                    match key {
                        "version" | "constraints" => match hclx::literal_str(&a.value) {
                            Some(value) => {
                                let s = Str { value, span: vspan };
                                if key == "version" {
                                    if let Err(e) = crate::constraint::parse_version(
                                        crate::constraint::Kind::Provider,
                                        &s.value,
                                    ) {
                                        lock.problems.push((
                                            s.span.clone(),
                                            format!(
                                                "locked version \"{}\" is not a valid version: {}",
                                                s.value, e.message
                                            ),
                                        ));
                                    }
                                    entry.version = Some(s);
                                } else {
                                    entry.constraints = Some(s);
                                }
                            }
                            None => lock
                                .problems
                                .push((vspan, format!("`{key}` must be a string"))),
                        },
                        "hashes" => match hclx::string_list(&a.value) {
                            Some(items) => {
                                for (value, r) in items {
                                    let s = Str {
                                        value,
                                        span: span(r),
                                    };
                                    if s.value.starts_with("h1:") {
                                        entry.h1.push(s.span);
                                    } else if s.value.starts_with("zh:") {
                                        entry.zh.push(s.span);
                                    } else {
                                        lock.problems.push((
                                            s.span.clone(),
                                            format!(
                                                "hash \"{}\" has an unknown scheme; expected `h1:` or `zh:`",
                                                s.value
                                            ),
                                        ));
                                    }
                                }
                            }
                            None => lock
                                .problems
                                .push((vspan, "`hashes` must be a list of strings".to_string())),
                        },
                        other => lock.problems.push((
                            span(range_of(&a.key)),
                            format!("unexpected attribute `{other}` in lock entry"),
                        )),
                    }
                }
                Structure::Block(b) => lock.problems.push((
                    span(hclx::header_range(b)),
                    format!("unexpected `{}` block in lock entry", b.ident.as_str()),
                )),
            }
        }
        if !saw_version {
            lock.problems.push((
                entry.header.clone(),
                format!(
                    "lock entry for \"{}\" has no `version`",
                    entry.address.value
                ),
            ));
        }
        lock.providers.push(entry);
        let entries = &lock.providers;
        match &mut seen {
            Some(seen) => {
                if let Some(a) = &entries[entries.len() - 1].addr {
                    seen.insert(a.clone(), entries.len() - 1);
                }
            }
            None if entries.len() > crate::model::FEW => {
                let by_addr = entries.iter().enumerate();
                seen = Some(
                    by_addr
                        .filter_map(|(i, e)| Some((e.addr.clone()?, i)))
                        .collect(),
                );
            }
            None => {}
        }
    }
    let entries = &lock.providers;
    lock.index = crate::model::sorted_positions(entries.len(), |i| {
        entries[i].addr.as_ref().map(|a| a.provider_key())
    });
    lock
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(text: &str) -> LockFile {
        read(FileId(0), &hcl_edit::parser::parse_body(text).unwrap())
    }

    proptest::proptest! {
        // Below and above the size at which entries are indexed, lookups
        // find what looking at each entry finds, and a repeated address is
        // refused however many entries come before it.
        #[test]
        fn indexed_lookups_find_what_a_scan_finds(
            entries in proptest::collection::vec((0..3usize, 0..3usize, 0..4usize), 0..50),
        ) {
            const HOSTS: [&str; 3] = ["registry.terraform.io", "registry.opentofu.org", "example.com"];
            const NAMES: [&str; 3] = ["hashicorp", "acme", "corp"];
            const TYPES: [&str; 4] = ["aws", "google", "tls", "bad type"];
            let addr = |(h, n, t): (usize, usize, usize)| format!("{}/{}/{}", HOSTS[h], NAMES[n], TYPES[t]);
            let text: String = entries
                .iter()
                .map(|e| format!("provider \"{}\" {{\n  version = \"1.0.0\"\n}}\n", addr(*e)))
                .collect();
            let l = lock(&text);
            // Entries whose address does not parse are kept, and never
            // duplicates.
            let (valid, invalid): (Vec<_>, Vec<_>) = entries.iter().copied().partition(|e| e.2 < 3);
            let mut distinct: Vec<String> = valid.iter().map(|e| addr(*e)).collect();
            distinct.sort();
            distinct.dedup();
            proptest::prop_assert_eq!(l.providers.len(), distinct.len() + invalid.len());
            let duplicates = l.problems.iter().filter(|(_, m)| m.starts_with("duplicate")).count();
            proptest::prop_assert_eq!(duplicates, valid.len() - distinct.len());
            for h in 0..3 {
                for n in 0..3 {
                    for t in 0..3 {
                        let want = ProviderAddr::parse(&addr((h, n, t))).unwrap();
                        let exact = l.providers.iter().find(|p| p.addr.as_ref() == Some(&want));
                        let same = l.providers.iter().find(|p| {
                            p.addr.as_ref().is_some_and(|a| a.same_provider(&want))
                        });
                        proptest::prop_assert!(crate::model::same_item(l.provider(&want), exact), "{}", want);
                        proptest::prop_assert!(crate::model::same_item(l.entry_in(&want, Engine::Terraform), exact), "{}", want);
                        let carried = (h == 1 && n == 0).then_some(same).flatten()
                            .filter(|p| p.addr.as_ref().is_some_and(|a| a.hostname == "registry.terraform.io"));
                        proptest::prop_assert!(crate::model::same_item(l.entry_in(&want, Engine::OpenTofu), exact.or(carried)), "{}", want);
                    }
                }
            }
        }
    }

    const GOOD: &str = r#"
# This file is maintained automatically by "terraform init".
provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.31.0"
  constraints = ">= 5.0.0, ~> 5.31"
  hashes = [
    "h1:abc=",
    "zh:0011",
    "zh:0022",
  ]
}
"#;

    #[test]
    fn reads_entries_with_spans() {
        let l = lock(GOOD);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.providers.len(), 1);
        let p = &l.providers[0];
        assert_eq!(p.version.as_ref().unwrap().value, "5.31.0");
        assert_eq!(p.constraints.as_ref().unwrap().value, ">= 5.0.0, ~> 5.31");
        assert_eq!(p.h1.len(), 1);
        assert_eq!(p.zh.len(), 2);
        assert_eq!(
            &GOOD[p.version.as_ref().unwrap().span.range.clone()],
            "\"5.31.0\""
        );
        assert_eq!(&GOOD[p.h1[0].range.clone()], "\"h1:abc=\"");
        assert!(l
            .provider(&ProviderAddr::parse("hashicorp/aws").unwrap())
            .is_some());
        assert!(l
            .provider(&ProviderAddr::parse("hashicorp/google").unwrap())
            .is_none());
    }

    #[test]
    fn duplicates_and_wrong_types_are_problems() {
        let l = lock(
            r#"
provider "registry.terraform.io/hashicorp/aws" {
  version = 5
  hashes  = "h1:x"
}
provider "registry.terraform.io/HashiCorp/AWS" {
  version = "5.0.0"
}
provider "a/b/c/d" {
  version = "1.0.0"
}
provider "registry.terraform.io/hashicorp/google" {
  constraints = "~> 5.0"
}
provider "registry.terraform.io/hashicorp/random" {
  version = "three"
}
module "x" {}
"#,
        );
        let msgs: Vec<&str> = l.problems.iter().map(|(_, m)| m.as_str()).collect();
        assert!(msgs.contains(&"`version` must be a string"), "{msgs:?}");
        assert!(
            msgs.contains(&"`hashes` must be a list of strings"),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.starts_with("duplicate lock entry")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("[hostname/]namespace/type")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("unexpected `module` block")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("has no `version`")),
            "{msgs:?}"
        );
    }
}
