//! A residency policy: the `allowed_regions` patterns of `.tfpin.hcl`, and
//! whether a region or location is inside them. `region-not-allowed`,
//! `replication-not-allowed` and `tfpin regions` judge with it.

use super::{Cloud, RegionKind};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A residency policy: the `allowed_regions` patterns that govern a root.
pub struct Policy {
    set: GlobSet,
    /// The patterns, quoted and joined, for messages.
    pub listed: String,
}

impl Policy {
    /// The policy of some `allowed_regions` patterns; `None` when there
    /// are none.
    pub fn new(patterns: &[String]) -> Option<Policy> {
        if patterns.is_empty() {
            return None;
        }
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            // Patterns were checked when the configuration was read.
            if let Ok(g) = GlobBuilder::new(p).case_insensitive(true).build() {
                b.add(g);
            }
        }
        let listed = (patterns.iter())
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(", ");
        Some(Policy {
            set: b.build().unwrap_or_else(|_| GlobSet::empty()),
            listed,
        })
    }

    /// Whether a region or location is allowed, as written or as the
    /// catalog's code for it (Azure's `West Europe` is `westeurope`, a
    /// Google zone is in its region). Global resources are in no region
    /// and always allowed.
    pub fn allows(&self, cloud: Option<Cloud>, value: &str) -> bool {
        if self.set.is_match(value) {
            return true;
        }
        let Some(cloud) = cloud else {
            return false;
        };
        let c = super::catalog();
        match c
            .lookup(cloud, value)
            .or_else(|| c.zone_region(cloud, value))
        {
            Some(r) => r.kind == RegionKind::Global || self.set.is_match(&r.code),
            None => false,
        }
    }

    pub fn help(&self) -> String {
        format!(
            "the policy allows only {} (`policy {{ allowed_regions }}` in .tfpin.hcl); move it to an allowed region, or extend the policy if this one is approved",
            self.listed
        )
    }
}
