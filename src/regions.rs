//! Region catalogs: every region or location of AWS, Google Cloud and Azure,
//! with the city, country and area words and the short codes people use for
//! them in names.
//!
//! The facts live in plain data files under `rules/data/` (one location per
//! line, the format described in each file's header). They are compiled into
//! the binary and parsed once, on first use, by [`catalog`].
//!
//! Three uses:
//! - **Is this a region?** [`Catalog::lookup`] and [`Catalog::is_known`], for
//!   `region-unknown` and `region-not-allowed`.
//! - **What does this alias name claim?** [`Catalog::hints_in_name`] splits a
//!   provider alias such as `use1`, `dr_frankfurt` or `euWest` into the parts
//!   that say where it runs, and [`Catalog::check_alias`] compares them with a
//!   resolved region, for `provider-alias-region-mismatch`. It reports a
//!   contradiction only when a claim clearly disagrees with the region: words
//!   it does not know, `central`, and claims a cloud cannot judge (an Azure
//!   alias called `oregon`) never count against a region.
//! - **Does this run in a region at all?** [`is_region_agnostic`] and
//!   [`type_region`] read `rules/data/region-agnostic-resources.txt`, the
//!   global and region-agnostic resource types (IAM, Route 53,
//!   `aws_caller_identity`...).

mod agnostic;
mod policy;

pub use agnostic::{
    is_region_agnostic, type_catalog, type_region, RegionArgument, TypeCatalog, TypeRegion,
    TypeScope,
};
pub use policy::Policy;

use crate::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

const AWS_DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/aws-regions.txt"
));
const GOOGLE_DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/gcp-regions.txt"
));
const AZURE_DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/azure-locations.txt"
));
const REGIONAL_DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/regional-providers.txt"
));
const AREA_DATA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/data/region-areas.txt"
));

/// The most tokens of a name one claim may span (`us_gov_west_1` is four).
const MAX_CLAIM_TOKENS: usize = 6;

/// The built-in catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::parse(AWS_DATA, GOOGLE_DATA, AZURE_DATA, AREA_DATA)
            .unwrap_or_else(|e| panic!("built-in region catalog is invalid: {e}"))
    })
}

/// A provider whose configuration takes a `region` that says where its
/// resources run (`rules/data/regional-providers.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionalProvider {
    /// The provider type: `aws`, `google-beta`, `oci`.
    pub type_name: String,
    /// Whether every resource runs in the configuration's region, as
    /// opposed to it being a fallback for resources that do not set their
    /// own (Google).
    pub region_required: bool,
}

/// The regional provider of a type, if it is one.
pub fn regional_provider(type_name: &str) -> Option<&'static RegionalProvider> {
    static LIST: OnceLock<Vec<RegionalProvider>> = OnceLock::new();
    LIST.get_or_init(|| parse_regional_providers(REGIONAL_DATA))
        .iter()
        .find(|p| p.type_name == type_name)
}

fn parse_regional_providers(text: &str) -> Vec<RegionalProvider> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let type_name = words.next()?.to_string();
            let region_required = match words.next() {
                Some("required") => true,
                Some("default") => false,
                other => panic!("regional-providers.txt: `{type_name}` has mode {other:?}, expected `required` or `default`"),
            };
            Some(RegionalProvider {
                type_name,
                region_required,
            })
        })
        .collect()
}

/// Whether `region` agrees with what `hint` claims (see
/// [`Catalog::assess`]); false when the hint contradicts it or cannot be
/// judged.
pub fn region_matches_hint(region: &Region, hint: &Hint) -> bool {
    catalog().assess(region, hint) == Agreement::Consistent
}

/// A cloud whose regions the catalog knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cloud {
    Aws,
    Google,
    Azure,
}

impl Cloud {
    pub const ALL: [Cloud; 3] = [Cloud::Aws, Cloud::Google, Cloud::Azure];

    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Google => "google",
            Cloud::Azure => "azure",
        }
    }

    /// The cloud a provider's type name (`aws`, `google-beta`, `azurerm`...)
    /// configures, if its regions are in the catalog.
    pub fn for_provider(provider_type: &str) -> Option<Cloud> {
        match provider_type {
            "aws" | "awscc" => Some(Cloud::Aws),
            "google" | "google-beta" => Some(Cloud::Google),
            "azurerm" | "azapi" => Some(Cloud::Azure),
            _ => None,
        }
    }

    /// The cloud's name in prose: `AWS`, `Google Cloud`, `Azure`.
    pub fn display(self) -> &'static str {
        match self {
            Cloud::Aws => "AWS",
            Cloud::Google => "Google Cloud",
            Cloud::Azure => "Azure",
        }
    }

    /// What the cloud calls the place a resource runs: `region`, or
    /// `location` for Azure.
    pub fn place_noun(self) -> &'static str {
        match self {
            Cloud::Azure => "location",
            Cloud::Aws | Cloud::Google => "region",
        }
    }

    /// The catalog file, as it is named in the repository.
    pub fn data_path(self) -> String {
        format!("rules/data/{}", self.data_file())
    }

    fn data_file(self) -> &'static str {
        match self {
            Cloud::Aws => "aws-regions.txt",
            Cloud::Google => "gcp-regions.txt",
            Cloud::Azure => "azure-locations.txt",
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What sort of location a catalog entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionKind {
    /// An ordinary public region.
    Region,
    /// A Google multi-region (`us`, `eu`, `asia`).
    MultiRegion,
    /// A Google predefined dual-region (`nam4`, `eur4`, `asia1`...).
    DualRegion,
    /// A region of a separate partition or cloud: AWS GovCloud, China,
    /// European Sovereign Cloud and isolated regions; Azure Government and
    /// Azure China.
    Sovereign,
    /// A region open only to early-access programmes (Azure EUAP).
    EarlyAccess,
    /// The `global` location of global resources.
    Global,
}

impl RegionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionKind::Region => "region",
            RegionKind::MultiRegion => "multi-region",
            RegionKind::DualRegion => "dual-region",
            RegionKind::Sovereign => "sovereign",
            RegionKind::EarlyAccess => "early-access",
            RegionKind::Global => "global",
        }
    }

    fn parse(s: &str) -> Option<RegionKind> {
        [
            RegionKind::Region,
            RegionKind::MultiRegion,
            RegionKind::DualRegion,
            RegionKind::Sovereign,
            RegionKind::EarlyAccess,
            RegionKind::Global,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// A location that spans several places, so place claims about one of
    /// them are not judged against it.
    fn spans_places(self) -> bool {
        matches!(self, RegionKind::MultiRegion | RegionKind::Global)
    }
}

/// A set of compass directions: the ones in a region's name, or the ones an
/// alias claims. `southeast` is south and east.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Compass(u8);

impl Compass {
    pub const NORTH: Compass = Compass(1);
    pub const SOUTH: Compass = Compass(2);
    pub const EAST: Compass = Compass(4);
    pub const WEST: Compass = Compass(8);
    pub const CENTRAL: Compass = Compass(16);

    const WORDS: [(&'static str, Compass); 9] = [
        ("north", Compass::NORTH),
        ("south", Compass::SOUTH),
        ("east", Compass::EAST),
        ("west", Compass::WEST),
        ("central", Compass::CENTRAL),
        ("northeast", Compass(1 | 4)),
        ("northwest", Compass(1 | 8)),
        ("southeast", Compass(2 | 4)),
        ("southwest", Compass(2 | 8)),
    ];

    /// The directions a compass word names.
    pub fn from_word(word: &str) -> Option<Compass> {
        Compass::WORDS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|&(_, c)| c)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, other: Compass) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn union(self, other: Compass) -> Compass {
        Compass(self.0 | other.0)
    }

    fn intersects(self, other: Compass) -> bool {
        self.0 & other.0 != 0
    }

    /// The directions opposite to these: north and south, east and west.
    /// Central has no opposite.
    pub fn opposite(self) -> Compass {
        let mut o = 0;
        if self.contains(Compass::NORTH) {
            o |= Compass::SOUTH.0;
        }
        if self.contains(Compass::SOUTH) {
            o |= Compass::NORTH.0;
        }
        if self.contains(Compass::EAST) {
            o |= Compass::WEST.0;
        }
        if self.contains(Compass::WEST) {
            o |= Compass::EAST.0;
        }
        Compass(o)
    }
}

impl fmt::Display for Compass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Compass::WORDS[..5]
            .iter()
            .filter(|(_, c)| self.contains(*c))
            .map(|(w, _)| *w)
            .collect();
        f.write_str(&names.join("+"))
    }
}

/// One region or location of one cloud, as the data file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub cloud: Cloud,
    /// The identifier configurations use: `us-east-1`, `europe-west4`,
    /// `westeurope`.
    pub code: String,
    pub kind: RegionKind,
    /// The broad areas it belongs to, most specific first (`us`, `na`,
    /// `americas`); see [`Area`].
    pub areas: Vec<String>,
    /// The provider's display name: `US East (N. Virginia)`, `West Europe`.
    pub display: String,
    /// City, state and country words used for it in names, squashed to
    /// letters and digits (`frankfurt`, `saopaulo`).
    pub words: Vec<String>,
    /// Abbreviations used for it in names (`use1`, `euw1`, `weu`).
    pub short_codes: Vec<String>,
    /// The compass directions of its name.
    pub compass: Compass,
}

impl Region {
    /// The code without separators: `us-east-1` → `useast1`.
    pub fn squashed_code(&self) -> String {
        squash(&self.code)
    }
}

/// A broad area (`eu`, `us`, `ap`...) and the tokens that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub name: String,
    pub names: Vec<String>,
    pub meaning: String,
}

/// What one part of a name says about where it runs. A part can mean more
/// than one thing (`ca`: Canada, or California), so a hint carries every
/// reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The part of the name, as written (`us_east_1`, `Frankfurt`).
    pub text: String,
    pub claims: Vec<Claim>,
}

/// One reading of a part of a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Claim {
    /// A region code, squashed to letters and digits: `us_east_1` and
    /// `useast1` both claim `useast1`.
    RegionCode(String),
    /// A short code: `use1`, `apse2`, `weu`.
    ShortCode(String),
    /// A city, state or country word: `frankfurt`, `virginia`.
    Word(String),
    /// An area, by its catalog name: `eu` for `europe`, `ap` for `asia`.
    Area(String),
    /// Compass directions: `west`, `southeast`.
    Compass(Compass),
}

impl Claim {
    /// Claims that name a place rather than a direction or a continent.
    fn is_specific(&self) -> bool {
        matches!(
            self,
            Claim::RegionCode(_) | Claim::ShortCode(_) | Claim::Word(_)
        )
    }
}

/// How a region relates to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// The region is what the claim says.
    Consistent,
    /// The region is clearly not what the claim says.
    Contradicts,
    /// Nothing can be said: `central` against `us-east-1`, a word the cloud
    /// has no region for, a multi-region against a city.
    Unclear,
}

/// What an alias name says about its configured region, taken as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasVerdict {
    /// Nothing in the name is about a place (`primary`, `replica`).
    NoHint,
    /// The name is about a place, but says nothing clear about this region.
    Unclear,
    /// The name agrees with the region.
    Consistent,
    /// The name says somewhere else; `hint` is the part that says so.
    Contradicts { hint: Hint },
}

/// A problem in a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rules/data/{}:{}: {}",
            self.file, self.line, self.message
        )
    }
}

impl std::error::Error for DataError {}

/// Every region of every cloud, with indexes for lookups and name hints.
#[derive(Debug)]
pub struct Catalog {
    regions: Vec<Region>,
    areas: Vec<Area>,
    /// (cloud, lookup key) → index into `regions`.
    by_key: HashMap<(Cloud, String), usize>,
    /// Squashed region code → indexes of the regions with that code.
    by_squashed: HashMap<String, Vec<usize>>,
    /// Words and short codes each cloud has some region for.
    known_words: HashSet<(Cloud, String)>,
    known_short_codes: HashSet<(Cloud, String)>,
    /// Squashed token sequence → what it claims.
    lexicon: HashMap<String, Vec<Claim>>,
}

impl Catalog {
    /// Builds a catalog from the text of the three region files and the
    /// areas file.
    pub fn parse(aws: &str, google: &str, azure: &str, areas: &str) -> Result<Catalog, DataError> {
        let areas = parse_areas(areas)?;
        let area_names: HashSet<&str> = areas.iter().map(|a| a.name.as_str()).collect();
        let mut regions = Vec::new();
        let mut lines = Vec::new();
        for (cloud, text) in [
            (Cloud::Aws, aws),
            (Cloud::Google, google),
            (Cloud::Azure, azure),
        ] {
            parse_regions(cloud, text, &area_names, &mut regions, &mut lines)?;
        }

        let mut by_key: HashMap<(Cloud, String), usize> = HashMap::default();
        for (i, r) in regions.iter().enumerate() {
            let mut keys = vec![lookup_key(r.cloud, &r.code)];
            if r.cloud == Cloud::Azure {
                keys.push(lookup_key(r.cloud, &r.display));
            }
            keys.dedup();
            for key in keys {
                if let Some(&other) = by_key.get(&(r.cloud, key.clone())) {
                    if other != i {
                        return Err(DataError {
                            file: r.cloud.data_file(),
                            line: lines[i],
                            message: format!(
                                "`{}` and `{}` both answer to `{key}`",
                                regions[other].code, r.code
                            ),
                        });
                    }
                }
                by_key.insert((r.cloud, key), i);
            }
        }

        let mut by_squashed: HashMap<String, Vec<usize>> = HashMap::default();
        let mut known_words = HashSet::default();
        let mut known_short_codes = HashSet::default();
        let mut lexicon: HashMap<String, Vec<Claim>> = HashMap::default();
        let mut add = |key: String, claim: Claim| {
            let claims = lexicon.entry(key).or_default();
            if !claims.contains(&claim) {
                claims.push(claim);
            }
        };
        for (i, r) in regions.iter().enumerate() {
            for w in &r.words {
                known_words.insert((r.cloud, w.clone()));
                add(w.clone(), Claim::Word(w.clone()));
            }
            for s in &r.short_codes {
                known_short_codes.insert((r.cloud, s.clone()));
                add(s.clone(), Claim::ShortCode(s.clone()));
            }
            // Multi-region and global codes (`us`, `eu`, `asia`, `global`)
            // are ordinary words in names; the areas cover the first three.
            if !r.kind.spans_places() {
                let sq = r.squashed_code();
                by_squashed.entry(sq.clone()).or_default().push(i);
                add(sq.clone(), Claim::RegionCode(sq));
            }
        }
        for a in &areas {
            for n in &a.names {
                add(n.clone(), Claim::Area(a.name.clone()));
            }
        }
        for (w, c) in Compass::WORDS {
            add(w.to_string(), Claim::Compass(c));
        }

        Ok(Catalog {
            regions,
            areas,
            by_key,
            by_squashed,
            known_words,
            known_short_codes,
            lexicon,
        })
    }

    /// Every region of every cloud, in data-file order.
    pub fn all(&self) -> &[Region] {
        &self.regions
    }

    /// The regions of one cloud, in data-file order.
    pub fn regions(&self, cloud: Cloud) -> impl Iterator<Item = &Region> {
        self.regions.iter().filter(move |r| r.cloud == cloud)
    }

    /// The areas (`eu`, `us`, `ap`...) region entries refer to.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// The region or location `name` denotes. Case does not matter (Google
    /// accepts `EU` and `US-CENTRAL1`); for Azure neither do spaces, so
    /// `West Europe` is `westeurope`. A caller that cares about the exact
    /// spelling compares the name with [`Region::code`].
    pub fn lookup(&self, cloud: Cloud, name: &str) -> Option<&Region> {
        self.by_key
            .get(&(cloud, lookup_key(cloud, name)))
            .map(|&i| &self.regions[i])
    }

    pub fn is_known(&self, cloud: Cloud, name: &str) -> bool {
        self.lookup(cloud, name).is_some()
    }

    /// The region a Google zone (`us-central1-a`) is in. `None` for
    /// anything that is not a zone of a catalog region, and for other
    /// clouds, whose `location` and `region` arguments never take zones.
    pub fn zone_region(&self, cloud: Cloud, name: &str) -> Option<&Region> {
        if cloud != Cloud::Google {
            return None;
        }
        let (region, zone) = name.rsplit_once('-')?;
        let letter = zone.len() == 1 && zone.chars().all(|c| c.is_ascii_alphabetic());
        self.lookup(cloud, region)
            .filter(|r| letter && r.kind == RegionKind::Region)
    }

    /// The catalog entry of `cloud` that `name`, which is not one, most
    /// likely meant: for a region of another cloud (`eu-west-1` on Google),
    /// the region of this cloud in the same area and direction with the
    /// closest code; otherwise the same letters and digits in another
    /// arrangement (`us-east1` for AWS's `us-east-1`) or a typo of at most
    /// two edits.
    pub fn closest(&self, cloud: Cloud, name: &str) -> Option<&Region> {
        let squashed = squash(name);
        if squashed.is_empty() {
            return None;
        }
        let ordinary = |r: &&Region| matches!(r.kind, RegionKind::Region | RegionKind::Sovereign);
        let distance = |r: &Region| {
            let by_code = crate::text::edit_distance(&squashed, &r.squashed_code());
            let by_display = if cloud == Cloud::Azure {
                crate::text::edit_distance(&squashed, &squash(&r.display))
            } else {
                usize::MAX
            };
            by_code.min(by_display)
        };
        // A region of another cloud is a mix-up, not a typo: `eu-west-1` on
        // Google is one edit from nothing useful and two from `us-west1`.
        if let Some(other) = self
            .regions_with_code(&squashed)
            .find(|r| r.cloud != cloud && !r.kind.spans_places())
        {
            let area = other.areas.first()?;
            return self
                .regions(cloud)
                .filter(ordinary)
                .filter(|r| r.areas.first() == Some(area))
                .filter(|r| other.compass.is_empty() || r.compass.contains(other.compass))
                .min_by_key(|r| distance(r));
        }
        self.regions(cloud)
            .filter(ordinary)
            .map(|r| (distance(r), r))
            .filter(|(d, _)| *d <= 2 && *d < squashed.len() / 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, r)| r)
    }

    /// The regions, of any cloud, whose squashed code is `squashed`.
    pub fn regions_with_code(&self, squashed: &str) -> impl Iterator<Item = &Region> {
        self.by_squashed
            .get(squashed)
            .into_iter()
            .flatten()
            .map(|&i| &self.regions[i])
    }

    /// The parts of an alias name that say where it runs, in order. The name
    /// is split on `_`, `-` and other punctuation, between letters and
    /// digits, and at camelCase humps; runs of consecutive parts are matched
    /// longest first against region codes (`us_east_1`, `useast1`), short
    /// codes (`use1`), city and country words (`frankfurt`, `sao_paulo`),
    /// area words (`eu`, `europe`, `asia`) and compass words (`west`).
    /// Parts that match nothing (`primary`, `dr`, `replica`) give no hint.
    pub fn hints_in_name(&self, name: &str) -> Vec<Hint> {
        let tokens = tokenize(name);
        let mut hints = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let longest = (i + 1..=tokens.len().min(i + MAX_CLAIM_TOKENS))
                .rev()
                .find_map(|j| {
                    let key: String = tokens[i..j].iter().map(|t| t.text.as_str()).collect();
                    self.lexicon.get(&key).map(|claims| (j, claims))
                });
            match longest {
                Some((j, claims)) => {
                    hints.push(Hint {
                        text: name[tokens[i].start..tokens[j - 1].end].to_string(),
                        claims: claims.clone(),
                    });
                    i = j;
                }
                None => i += 1,
            }
        }
        hints
    }

    /// How `region` relates to `hint`: consistent when any reading of the
    /// hint fits the region, contradicting when some reading clearly does
    /// not and none fits, unclear otherwise.
    pub fn assess(&self, region: &Region, hint: &Hint) -> Agreement {
        combine_readings(hint.claims.iter().map(|c| self.assess_claim(region, c)))
    }

    /// What `name`, the alias of a provider configuration, says about its
    /// configured `region`. A part naming a place that fits (a code, short
    /// code or city) settles it as consistent; otherwise any contradicting
    /// part makes it a contradiction.
    pub fn check_alias(&self, name: &str, region: &Region) -> AliasVerdict {
        let hints = self.hints_in_name(name);
        if hints.is_empty() {
            return AliasVerdict::NoHint;
        }
        let names_it = hints.iter().any(|h| {
            h.claims
                .iter()
                .any(|c| c.is_specific() && self.assess_claim(region, c) == Agreement::Consistent)
        });
        if names_it {
            return AliasVerdict::Consistent;
        }
        let verdicts: Vec<Agreement> = hints.iter().map(|h| self.assess(region, h)).collect();
        if let Some(i) = verdicts.iter().position(|&a| a == Agreement::Contradicts) {
            return AliasVerdict::Contradicts {
                hint: hints[i].clone(),
            };
        }
        if verdicts.contains(&Agreement::Consistent) {
            AliasVerdict::Consistent
        } else {
            AliasVerdict::Unclear
        }
    }

    fn assess_claim(&self, region: &Region, claim: &Claim) -> Agreement {
        use Agreement::*;
        if region.kind == RegionKind::Global {
            return Unclear;
        }
        match claim {
            Claim::Area(area) => {
                if region.areas.is_empty() {
                    Unclear
                } else if region.areas.contains(area) {
                    Consistent
                } else {
                    Contradicts
                }
            }
            Claim::Compass(c) => {
                if region.compass.contains(*c) {
                    Consistent
                } else if region.compass.intersects(c.opposite()) {
                    Contradicts
                } else {
                    Unclear
                }
            }
            Claim::Word(w) => {
                if region.words.contains(w) {
                    Consistent
                } else if region.kind.spans_places()
                    || !self.known_words.contains(&(region.cloud, w.clone()))
                {
                    Unclear
                } else {
                    Contradicts
                }
            }
            Claim::ShortCode(s) => {
                if region.short_codes.contains(s) {
                    Consistent
                } else if region.kind.spans_places()
                    || region.kind == RegionKind::DualRegion
                    || !self.known_short_codes.contains(&(region.cloud, s.clone()))
                {
                    Unclear
                } else {
                    Contradicts
                }
            }
            Claim::RegionCode(sq) => self.assess_code(region, sq),
        }
    }

    fn assess_code(&self, region: &Region, squashed: &str) -> Agreement {
        use Agreement::*;
        if region.squashed_code() == squashed {
            return Consistent;
        }
        if region.kind.spans_places() || region.kind == RegionKind::DualRegion {
            return Unclear;
        }
        if self
            .regions_with_code(squashed)
            .any(|r| r.cloud == region.cloud)
        {
            return Contradicts;
        }
        // A code of another cloud (`eastus` on an AWS provider): judge the
        // area and the directions it names.
        let Some(other) = self.regions_with_code(squashed).next() else {
            return Unclear;
        };
        let mut parts = Vec::new();
        if let Some(area) = other.areas.first() {
            parts.push(self.assess_claim(region, &Claim::Area(area.clone())));
        }
        if !other.compass.is_empty() {
            parts.push(self.assess_claim(region, &Claim::Compass(other.compass)));
        }
        if parts.contains(&Contradicts) {
            Contradicts
        } else if parts.contains(&Consistent) {
            Consistent
        } else {
            Unclear
        }
    }
}

/// Readings of one ambiguous part: any fit wins, then any clear misfit.
fn combine_readings(readings: impl Iterator<Item = Agreement>) -> Agreement {
    let mut contradicts = false;
    for a in readings {
        match a {
            Agreement::Consistent => return Agreement::Consistent,
            Agreement::Contradicts => contradicts = true,
            Agreement::Unclear => {}
        }
    }
    if contradicts {
        Agreement::Contradicts
    } else {
        Agreement::Unclear
    }
}

/// Letters and digits only, lowercase: `us-east-1` → `useast1`.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn lookup_key(cloud: Cloud, name: &str) -> String {
    let lower = name.to_lowercase();
    match cloud {
        Cloud::Azure => lower.chars().filter(|c| !c.is_whitespace()).collect(),
        Cloud::Aws | Cloud::Google => lower,
    }
}

#[derive(Debug)]
struct Token {
    /// Lowercase text.
    text: String,
    /// Byte range in the name.
    start: usize,
    end: usize,
}

/// Splits a name into lowercase parts: on anything but letters and digits,
/// between letters and digits, before an uppercase letter that follows a
/// lowercase one (`euWest`), and before the last capital of a run followed
/// by lowercase (`USEast`).
fn tokenize(name: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let flush = |tokens: &mut Vec<Token>, start: &mut Option<usize>, end: usize| {
        if let Some(s) = start.take() {
            tokens.push(Token {
                text: name[s..end].to_lowercase(),
                start: s,
                end,
            });
        }
    };
    for (k, &(at, c)) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush(&mut tokens, &mut start, at);
            continue;
        }
        if start.is_some() {
            let prev = chars[k - 1].1;
            let next = chars.get(k + 1).map(|&(_, n)| n);
            let boundary = (prev.is_alphabetic() && c.is_numeric())
                || (prev.is_numeric() && c.is_alphabetic())
                || (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase()
                    && c.is_uppercase()
                    && next.is_some_and(char::is_lowercase));
            if boundary {
                flush(&mut tokens, &mut start, at);
            }
        }
        if start.is_none() {
            start = Some(at);
        }
    }
    flush(&mut tokens, &mut start, name.len());
    tokens
}

/// The data lines of a file: (1-based line number, columns), skipping
/// comments and blank lines.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            None
        } else {
            Some((i + 1, line.split('\t').collect()))
        }
    })
}

fn list(column: &str) -> Vec<String> {
    if column == "-" {
        Vec::new()
    } else {
        column.split(',').map(str::to_string).collect()
    }
}

fn is_name_token(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

fn parse_areas(text: &str) -> Result<Vec<Area>, DataError> {
    let err = |line, message: String| DataError {
        file: "region-areas.txt",
        line,
        message,
    };
    let mut areas: Vec<Area> = Vec::new();
    for (line, cols) in data_lines(text) {
        let [name, names, meaning] = cols[..] else {
            return Err(err(
                line,
                format!("expected 3 columns, found {}", cols.len()),
            ));
        };
        let names = list(names);
        if !is_name_token(name) || names.is_empty() || !names.iter().all(|n| is_name_token(n)) {
            return Err(err(
                line,
                "area names must be lowercase letters and digits".into(),
            ));
        }
        if areas.iter().any(|a| a.name == name) {
            return Err(err(line, format!("area `{name}` is defined twice")));
        }
        areas.push(Area {
            name: name.to_string(),
            names,
            meaning: meaning.to_string(),
        });
    }
    Ok(areas)
}

fn parse_regions(
    cloud: Cloud,
    text: &str,
    areas: &HashSet<&str>,
    out: &mut Vec<Region>,
    lines: &mut Vec<usize>,
) -> Result<(), DataError> {
    let err = |line, message: String| DataError {
        file: cloud.data_file(),
        line,
        message,
    };
    for (line, cols) in data_lines(text) {
        let [code, kind, area_col, display, words, short_codes, compass] = cols[..] else {
            return Err(err(
                line,
                format!("expected 7 columns, found {}", cols.len()),
            ));
        };
        if code.is_empty()
            || !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(err(line, format!("invalid code `{code}`")));
        }
        let kind =
            RegionKind::parse(kind).ok_or_else(|| err(line, format!("unknown kind `{kind}`")))?;
        let region_areas = list(area_col);
        if let Some(a) = region_areas.iter().find(|a| !areas.contains(a.as_str())) {
            return Err(err(
                line,
                format!("area `{a}` is not defined in region-areas.txt"),
            ));
        }
        if display.trim().is_empty() || display != display.trim() {
            return Err(err(line, format!("invalid display name `{display}`")));
        }
        let words = list(words);
        let short_codes = list(short_codes);
        if let Some(bad) = words.iter().chain(&short_codes).find(|w| !is_name_token(w)) {
            return Err(err(
                line,
                format!("`{bad}` must be lowercase letters and digits"),
            ));
        }
        let mut directions = Compass::default();
        for w in list(compass) {
            let c = Compass::from_word(&w)
                .ok_or_else(|| err(line, format!("unknown compass word `{w}`")))?;
            directions = directions.union(c);
        }
        if out
            .iter()
            .any(|r: &Region| r.cloud == cloud && r.code == code)
        {
            return Err(err(line, format!("duplicate code `{code}`")));
        }
        lines.push(line);
        out.push(Region {
            cloud,
            code: code.to_string(),
            kind,
            areas: region_areas,
            display: display.to_string(),
            words,
            short_codes,
            compass: directions,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_texts(name: &str) -> Vec<String> {
        tokenize(name).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokenize_splits_on_punctuation_digits_and_humps() {
        assert_eq!(token_texts("us_east_1"), ["us", "east", "1"]);
        assert_eq!(token_texts("useast1"), ["useast", "1"]);
        assert_eq!(token_texts("euWest"), ["eu", "west"]);
        assert_eq!(token_texts("USEast1"), ["us", "east", "1"]);
        assert_eq!(token_texts("dr-frankfurt"), ["dr", "frankfurt"]);
        assert_eq!(token_texts("apse2"), ["apse", "2"]);
        assert_eq!(token_texts("__a..b__"), ["a", "b"]);
        assert!(token_texts("").is_empty());
        assert!(token_texts("-_-").is_empty());
    }

    #[test]
    fn hint_text_is_the_part_of_the_name_as_written() {
        let hints = catalog().hints_in_name("primary_US_East_1_replica");
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].text, "US_East_1");
        assert_eq!(hints[0].claims, [Claim::RegionCode("useast1".into())]);
    }

    #[test]
    fn longest_run_wins() {
        let hints = catalog().hints_in_name("sao_paulo");
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].claims, [Claim::Word("saopaulo".into())]);
        let hints = catalog().hints_in_name("us_gov_west_1");
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].claims, [Claim::RegionCode("usgovwest1".into())]);
    }

    #[test]
    fn compass_opposites() {
        assert_eq!(Compass::WEST.opposite(), Compass::EAST);
        assert_eq!(
            Compass::from_word("northeast").unwrap().opposite(),
            Compass::from_word("southwest").unwrap()
        );
        assert!(Compass::CENTRAL.opposite().is_empty());
        assert_eq!(
            Compass::from_word("southeast").unwrap().to_string(),
            "south+east"
        );
    }

    #[test]
    fn parse_rejects_bad_lines() {
        let areas = "eu\teu,europe\tEurope\n";
        let ok = "a-1\tregion\teu\tA\t-\t-\teast\n";
        assert!(Catalog::parse(ok, "", "", areas).is_ok());
        for (bad, why) in [
            ("a-1\tregion\teu\tA\t-\t-\n", "expected 7 columns"),
            ("A-1\tregion\teu\tA\t-\t-\teast\n", "invalid code"),
            ("a-1\tzone\teu\tA\t-\t-\teast\n", "unknown kind"),
            ("a-1\tregion\tmars\tA\t-\t-\teast\n", "not defined"),
            ("a-1\tregion\teu\tA\tSão\t-\teast\n", "lowercase"),
            ("a-1\tregion\teu\tA\t-\t-\tup\n", "unknown compass"),
            (
                "a-1\tregion\teu\tA\t-\t-\teast\na-1\tregion\teu\tB\t-\t-\teast\n",
                "duplicate code",
            ),
        ] {
            let e = Catalog::parse(bad, "", "", areas).unwrap_err();
            assert!(e.message.contains(why), "{bad:?}: {e}");
            assert_eq!(e.file, "aws-regions.txt");
        }
        let e = Catalog::parse("", "", "westeurope\tregion\teu\tWest Europe\t-\t-\twest\nwest-europe\tregion\teu\tWest Europe\t-\t-\twest\n", areas).unwrap_err();
        assert!(e.message.contains("both answer to"), "{e}");
        assert_eq!((e.file, e.line), ("azure-locations.txt", 2));
    }

    #[test]
    fn data_errors_name_file_and_line() {
        let e = Catalog::parse("# header\n\nbad\n", "", "", "").unwrap_err();
        assert_eq!(
            e.to_string(),
            "rules/data/aws-regions.txt:3: expected 7 columns, found 1"
        );
    }

    #[test]
    fn regional_providers_come_from_the_data_file() {
        assert!(regional_provider("aws").is_some_and(|p| p.region_required));
        assert!(regional_provider("google-beta").is_some_and(|p| !p.region_required));
        assert!(regional_provider("azurerm").is_none());
        assert!(regional_provider("kubernetes").is_none());
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/rules/data/regional-providers.txt"
        ));
        let names: Vec<String> = parse_regional_providers(text)
            .into_iter()
            .map(|p| p.type_name)
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted, "keep the list sorted and without repeats");
    }

    #[test]
    fn google_zones_belong_to_their_region() {
        let c = catalog();
        assert_eq!(
            c.zone_region(Cloud::Google, "europe-west1-b")
                .map(|r| r.code.as_str()),
            Some("europe-west1")
        );
        assert!(c.zone_region(Cloud::Google, "europe-west1").is_none());
        assert!(c.zone_region(Cloud::Google, "europe-west9-bb").is_none());
        assert!(c.zone_region(Cloud::Aws, "us-east-1a").is_none());
    }

    #[test]
    fn closest_region_for_a_mistake() {
        let c = catalog();
        let code = |cloud, name| c.closest(cloud, name).map(|r| r.code.as_str());
        assert_eq!(code(Cloud::Aws, "us-east1"), Some("us-east-1"));
        assert_eq!(code(Cloud::Aws, "eu-wset-1"), Some("eu-west-1"));
        assert_eq!(code(Cloud::Google, "eu-west-1"), Some("europe-west1"));
        assert_eq!(code(Cloud::Google, "us-east-1"), Some("us-east1"));
        assert_eq!(code(Cloud::Azure, "west-europe"), Some("westeurope"));
        assert_eq!(code(Cloud::Aws, "mars-north-7"), None);
        assert_eq!(code(Cloud::Aws, ""), None);
    }

    #[test]
    fn code_of_another_cloud_is_judged_by_area_and_direction() {
        let c = catalog();
        let aws = |code| c.lookup(Cloud::Aws, code).unwrap();
        // `eastus` is an Azure name; on AWS it still says US and east.
        assert_eq!(
            c.check_alias("eastus", aws("us-east-2")),
            AliasVerdict::Consistent
        );
        assert!(matches!(
            c.check_alias("eastus", aws("us-west-2")),
            AliasVerdict::Contradicts { .. }
        ));
        assert!(matches!(
            c.check_alias("westeurope", aws("us-west-2")),
            AliasVerdict::Contradicts { .. }
        ));
        assert_eq!(
            c.check_alias("westeurope", aws("eu-central-1")),
            AliasVerdict::Consistent
        );
    }
}
