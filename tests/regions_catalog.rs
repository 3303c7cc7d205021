//! The region catalogs in `rules/data/`: every line parses, the facts the
//! rules depend on are there, and alias names give the hints they should.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use tfpin::regions::{
    catalog, region_matches_hint, AliasVerdict, Claim, Cloud, Compass, RegionKind,
};

const FILES: [(Cloud, &str); 3] = [
    (Cloud::Aws, "aws-regions.txt"),
    (Cloud::Google, "gcp-regions.txt"),
    (Cloud::Azure, "azure-locations.txt"),
];

fn data_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rules/data")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn data_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect()
}

fn region(cloud: Cloud, code: &str) -> &'static tfpin::regions::Region {
    catalog()
        .lookup(cloud, code)
        .unwrap_or_else(|| panic!("{cloud} {code} is not in the catalog"))
}

#[test]
fn every_data_line_is_a_catalog_entry() {
    for (cloud, file) in FILES {
        let text = data_file(file);
        let lines = data_lines(&text);
        assert_eq!(lines.len(), catalog().regions(cloud).count(), "{file}");
        for (line, r) in lines.iter().zip(catalog().regions(cloud)) {
            assert_eq!(line.split('\t').next(), Some(r.code.as_str()), "{file}");
        }
    }
    assert_eq!(
        data_lines(&data_file("region-areas.txt")).len(),
        catalog().areas().len()
    );
}

#[test]
fn data_files_say_what_they_are_and_when() {
    for file in [
        "aws-regions.txt",
        "gcp-regions.txt",
        "azure-locations.txt",
        "region-areas.txt",
    ] {
        let text = data_file(file);
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(header.len() > 5, "{file} has no header");
        let header = header.join("\n");
        assert!(header.contains("Compiled 2026-11"), "{file} has no date");
        assert!(
            header.contains("Format"),
            "{file} does not describe its format"
        );
        assert!(!text.contains("/work/") && !text.contains("/home/") && !text.contains("/tmp/"));
        assert!(text.ends_with('\n') && !text.contains("\r"));
        for line in data_lines(&text) {
            assert_eq!(line, line.trim(), "{file}: stray spaces in {line:?}");
            assert!(
                line.split('\t').all(|c| c == c.trim() && !c.is_empty()),
                "{file}: {line:?}"
            );
        }
    }
}

#[test]
fn codes_are_unique_per_cloud() {
    for cloud in Cloud::ALL {
        let mut seen = HashSet::new();
        for r in catalog().regions(cloud) {
            assert!(seen.insert(r.code.clone()), "{cloud} {} twice", r.code);
            assert_eq!(r.cloud, cloud);
            assert!(std::ptr::eq(catalog().lookup(cloud, &r.code).unwrap(), r));
        }
    }
}

#[test]
fn partitions_and_recent_regions_are_present() {
    for code in [
        "us-east-1",
        "us-gov-west-1",
        "us-gov-east-1",
        "cn-north-1",
        "cn-northwest-1",
        "ca-west-1",
        "il-central-1",
        "ap-southeast-5",
        "ap-southeast-7",
        "mx-central-1",
        "ap-east-2",
        "ap-southeast-6",
        "eu-south-2",
        "eu-central-2",
        "ap-south-2",
        "ap-southeast-4",
        "me-central-1",
        "eusc-de-east-1",
    ] {
        assert!(catalog().is_known(Cloud::Aws, code), "aws {code}");
    }
    for code in [
        "us-central1",
        "europe-west1",
        "africa-south1",
        "europe-north2",
        "northamerica-south1",
        "asia-southeast3",
        "europe-west10",
        "europe-west12",
        "me-central2",
        "us",
        "eu",
        "asia",
        "nam4",
        "eur4",
        "eur5",
        "eur7",
        "eur8",
        "asia1",
        "global",
    ] {
        assert!(catalog().is_known(Cloud::Google, code), "google {code}");
    }
    for code in [
        "westeurope",
        "eastus2",
        "newzealandnorth",
        "spaincentral",
        "mexicocentral",
        "italynorth",
        "polandcentral",
        "israelcentral",
        "austriaeast",
        "belgiumcentral",
        "chilecentral",
        "denmarkeast",
        "indonesiacentral",
        "malaysiawest",
        "usgovvirginia",
        "usdodeast",
        "chinanorth3",
    ] {
        assert!(catalog().is_known(Cloud::Azure, code), "azure {code}");
    }
}

#[test]
fn kinds_are_marked() {
    let kind = |cloud, code| region(cloud, code).kind;
    assert_eq!(kind(Cloud::Aws, "us-east-1"), RegionKind::Region);
    assert_eq!(kind(Cloud::Aws, "us-gov-west-1"), RegionKind::Sovereign);
    assert_eq!(kind(Cloud::Aws, "cn-north-1"), RegionKind::Sovereign);
    assert_eq!(kind(Cloud::Google, "us"), RegionKind::MultiRegion);
    assert_eq!(kind(Cloud::Google, "eu"), RegionKind::MultiRegion);
    assert_eq!(kind(Cloud::Google, "asia"), RegionKind::MultiRegion);
    assert_eq!(kind(Cloud::Google, "nam4"), RegionKind::DualRegion);
    assert_eq!(kind(Cloud::Google, "global"), RegionKind::Global);
    assert_eq!(kind(Cloud::Azure, "usgovarizona"), RegionKind::Sovereign);
    assert_eq!(kind(Cloud::Azure, "chinaeast2"), RegionKind::Sovereign);
    assert_eq!(kind(Cloud::Azure, "eastus2euap"), RegionKind::EarlyAccess);
}

#[test]
fn region_unknown_examples_from_the_issue() {
    // A Google name for AWS and an AWS name for Google.
    assert!(!catalog().is_known(Cloud::Aws, "us-east1"));
    assert!(!catalog().is_known(Cloud::Google, "eu-west-1"));
    assert!(!catalog().is_known(Cloud::Azure, "eu-west-1"));
    assert!(!catalog().is_known(Cloud::Aws, "westeurope"));
    assert!(!catalog().is_known(Cloud::Aws, ""));
    assert!(!catalog().is_known(Cloud::Aws, "us-east-1 "));
}

#[test]
fn lookups_ignore_case() {
    assert_eq!(region(Cloud::Google, "EU").code, "eu");
    assert_eq!(region(Cloud::Google, "US-CENTRAL1").code, "us-central1");
    assert_eq!(region(Cloud::Aws, "US-EAST-1").code, "us-east-1");
}

#[test]
fn azure_locations_resolve_in_both_forms() {
    let mut n = 0;
    for r in catalog().regions(Cloud::Azure) {
        let by_display = catalog().lookup(Cloud::Azure, &r.display).unwrap();
        assert!(std::ptr::eq(by_display, r), "{} vs {}", r.display, r.code);
        assert!(std::ptr::eq(
            catalog()
                .lookup(Cloud::Azure, &r.display.to_uppercase())
                .unwrap(),
            r
        ));
        assert_eq!(r.display.to_lowercase().replace(' ', ""), r.code);
        n += 1;
    }
    assert!(n > 60);
    let we = region(Cloud::Azure, "westeurope");
    for form in [
        "West Europe",
        "west europe",
        "WestEurope",
        "  West   Europe ",
        "WESTEUROPE",
    ] {
        assert!(std::ptr::eq(region(Cloud::Azure, form), we), "{form:?}");
    }
    assert_eq!(region(Cloud::Azure, "East US 2").code, "eastus2");
    assert_eq!(
        region(Cloud::Azure, "US Gov Virginia").code,
        "usgovvirginia"
    );
    // Only Azure ignores spaces.
    assert!(!catalog().is_known(Cloud::Aws, "us east 1"));
}

/// Compass words in the data agree with the code (AWS, Google) or the display
/// name (Azure), so a typo in the column cannot go unnoticed.
#[test]
fn compass_column_agrees_with_the_name() {
    for r in catalog().all() {
        let from_name = match r.cloud {
            Cloud::Aws => r
                .code
                .split('-')
                .skip(1)
                .filter_map(Compass::from_word)
                .fold(Compass::default(), Compass::union),
            Cloud::Google => r
                .code
                .split('-')
                .nth(1)
                .and_then(|s| Compass::from_word(s.trim_end_matches(|c: char| c.is_ascii_digit())))
                .unwrap_or_default(),
            // The country names a compass word of its own.
            Cloud::Azure => r
                .display
                .to_lowercase()
                .replace("south africa", "")
                .split(' ')
                .filter_map(Compass::from_word)
                .fold(Compass::default(), Compass::union),
        };
        assert_eq!(r.compass, from_name, "{} {}", r.cloud, r.code);
    }
}

#[test]
fn every_region_has_an_area_except_global() {
    for r in catalog().all() {
        assert_eq!(
            r.areas.is_empty(),
            r.kind == RegionKind::Global,
            "{} {}",
            r.cloud,
            r.code
        );
    }
    // AWS codes start with their area.
    for r in catalog().regions(Cloud::Aws) {
        let prefix = r.code.split('-').next().unwrap();
        let prefix = if prefix == "eusc" { "eu" } else { prefix };
        assert!(r.areas.iter().any(|a| a == prefix), "{}", r.code);
    }
}

fn words_of(cloud: Cloud) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in catalog().regions(cloud) {
        for w in &r.words {
            m.entry(w.clone()).or_default().push(r.code.clone());
        }
    }
    m
}

fn short_codes_of(cloud: Cloud) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in catalog().regions(cloud) {
        for s in &r.short_codes {
            m.entry(s.clone()).or_default().push(r.code.clone());
        }
    }
    m
}

#[test]
fn city_words_map_to_their_regions() {
    let table: &[(Cloud, &str, &[&str])] = &[
        (Cloud::Aws, "virginia", &["us-east-1"]),
        (Cloud::Aws, "ohio", &["us-east-2"]),
        (Cloud::Aws, "california", &["us-west-1"]),
        (Cloud::Aws, "oregon", &["us-west-2"]),
        (Cloud::Aws, "ireland", &["eu-west-1"]),
        (Cloud::Aws, "london", &["eu-west-2"]),
        (Cloud::Aws, "paris", &["eu-west-3"]),
        (Cloud::Aws, "frankfurt", &["eu-central-1"]),
        (Cloud::Aws, "zurich", &["eu-central-2"]),
        (Cloud::Aws, "stockholm", &["eu-north-1"]),
        (Cloud::Aws, "milan", &["eu-south-1"]),
        (Cloud::Aws, "spain", &["eu-south-2"]),
        (Cloud::Aws, "tokyo", &["ap-northeast-1"]),
        (Cloud::Aws, "seoul", &["ap-northeast-2"]),
        (Cloud::Aws, "osaka", &["ap-northeast-3"]),
        (Cloud::Aws, "mumbai", &["ap-south-1"]),
        (Cloud::Aws, "hyderabad", &["ap-south-2"]),
        (Cloud::Aws, "singapore", &["ap-southeast-1"]),
        (Cloud::Aws, "sydney", &["ap-southeast-2"]),
        (Cloud::Aws, "jakarta", &["ap-southeast-3"]),
        (Cloud::Aws, "melbourne", &["ap-southeast-4"]),
        (Cloud::Aws, "malaysia", &["ap-southeast-5"]),
        (Cloud::Aws, "newzealand", &["ap-southeast-6"]),
        (Cloud::Aws, "thailand", &["ap-southeast-7"]),
        (Cloud::Aws, "hongkong", &["ap-east-1"]),
        (Cloud::Aws, "taipei", &["ap-east-2"]),
        (Cloud::Aws, "bahrain", &["me-south-1"]),
        (Cloud::Aws, "uae", &["me-central-1"]),
        (Cloud::Aws, "telaviv", &["il-central-1"]),
        (Cloud::Aws, "capetown", &["af-south-1"]),
        (Cloud::Aws, "saopaulo", &["sa-east-1"]),
        (Cloud::Aws, "montreal", &["ca-central-1"]),
        (Cloud::Aws, "calgary", &["ca-west-1"]),
        (Cloud::Aws, "mexico", &["mx-central-1"]),
        (Cloud::Aws, "beijing", &["cn-north-1"]),
        (Cloud::Aws, "ningxia", &["cn-northwest-1"]),
        (Cloud::Google, "sydney", &["australia-southeast1"]),
        (Cloud::Google, "virginia", &["us-east4"]),
        (Cloud::Google, "california", &["us-west2"]),
        (Cloud::Google, "oregon", &["us-west1"]),
        (
            Cloud::Google,
            "frankfurt",
            &["europe-west3", "eur7", "eur8"],
        ),
        (Cloud::Google, "belgium", &["europe-west1", "eur5"]),
        (Cloud::Google, "stockholm", &["europe-north2"]),
        (Cloud::Google, "johannesburg", &["africa-south1"]),
        (Cloud::Google, "queretaro", &["northamerica-south1"]),
        (Cloud::Google, "bangkok", &["asia-southeast3"]),
        (Cloud::Azure, "sydney", &["australiaeast"]),
        (
            Cloud::Azure,
            "virginia",
            &["eastus", "eastus2", "usgovvirginia"],
        ),
        (Cloud::Azure, "california", &["westus"]),
        (Cloud::Azure, "frankfurt", &["germanywestcentral"]),
        (Cloud::Azure, "amsterdam", &["westeurope"]),
        (Cloud::Azure, "dublin", &["northeurope"]),
        (Cloud::Azure, "london", &["uksouth"]),
        (Cloud::Azure, "auckland", &["newzealandnorth"]),
    ];
    for (cloud, word, want) in table {
        let got = words_of(*cloud).get(*word).cloned().unwrap_or_default();
        assert_eq!(got, *want, "{cloud} {word}");
    }
    // No Azure region is in Oregon, so the word names nothing there.
    assert!(!words_of(Cloud::Azure).contains_key("oregon"));
}

/// Every word that names more than one location of a cloud, on purpose. A
/// new ambiguity must be added here deliberately.
#[test]
fn ambiguous_words_are_deliberate() {
    let expected = "\
aws au ap-southeast-2 ap-southeast-4
aws australia ap-southeast-2 ap-southeast-4
aws de eu-central-1 eusc-de-east-1
aws germany eu-central-1 eusc-de-east-1
aws india ap-south-1 ap-south-2
aws japan ap-northeast-1 ap-northeast-3
aws jp ap-northeast-1 ap-northeast-3
google au australia-southeast1 australia-southeast2
google australia australia-southeast1 australia-southeast2
google belgium europe-west1 eur5
google ch europe-west6 eur8
google de europe-west3 europe-west10 eur7 eur8
google finland europe-north1 eur4
google frankfurt europe-west3 eur7 eur8
google germany europe-west3 europe-west10 eur7 eur8
google india asia-south1 asia-south2
google iowa us-central1 nam4
google italy europe-west8 europe-west12
google japan asia-northeast1 asia-northeast2 asia1
google jp asia-northeast1 asia-northeast2 asia1
google london europe-west2 eur5 eur7
google netherlands europe-west4 eur4
google nl europe-west4 eur4
google osaka asia-northeast2 asia1
google southcarolina us-east1 nam4
google switzerland europe-west6 eur8
google tokyo asia-northeast1 asia1
google uk europe-west2 eur5 eur7
google zurich europe-west6 eur8
azure arizona westus3 usgovarizona
azure au australiaeast australiasoutheast australiacentral australiacentral2
azure australia australiaeast australiasoutheast australiacentral australiacentral2
azure beijing chinanorth chinanorth2
azure br brazilsouth brazilsoutheast
azure brazil brazilsouth brazilsoutheast
azure britain uksouth ukwest
azure canberra australiacentral australiacentral2
azure ch switzerlandnorth switzerlandwest
azure de germanywestcentral germanynorth
azure emirates uaenorth uaecentral
azure fr francecentral francesouth
azure france francecentral francesouth
azure germany germanywestcentral germanynorth
azure india centralindia southindia westindia jioindiacentral jioindiawest
azure japan japaneast japanwest
azure jp japaneast japanwest
azure korea koreacentral koreasouth
azure kr koreacentral koreasouth
azure norway norwayeast norwaywest
azure sa southafricanorth southafricawest
azure shanghai chinaeast chinaeast2
azure southafrica southafricanorth southafricawest
azure sweden swedencentral swedensouth
azure switzerland switzerlandnorth switzerlandwest
azure texas southcentralus usgovtexas
azure uae uaenorth uaecentral
azure uk uksouth ukwest
azure virginia eastus eastus2 usgovvirginia
azure za southafricanorth southafricawest
";
    let mut got = String::new();
    for cloud in Cloud::ALL {
        for (word, codes) in words_of(cloud) {
            if codes.len() > 1 {
                got.push_str(&format!("{cloud} {word} {}\n", codes.join(" ")));
            }
        }
    }
    assert_eq!(got, expected);
}

#[test]
fn short_codes_name_one_region_each() {
    for cloud in Cloud::ALL {
        for (code, regions) in short_codes_of(cloud) {
            assert_eq!(regions.len(), 1, "{cloud} {code} names {regions:?}");
        }
    }
    let table: &[(Cloud, &str, &str)] = &[
        (Cloud::Aws, "use1", "us-east-1"),
        (Cloud::Aws, "ue1", "us-east-1"),
        (Cloud::Aws, "use2", "us-east-2"),
        (Cloud::Aws, "usw1", "us-west-1"),
        (Cloud::Aws, "usw2", "us-west-2"),
        (Cloud::Aws, "uw2", "us-west-2"),
        (Cloud::Aws, "euw1", "eu-west-1"),
        (Cloud::Aws, "euw2", "eu-west-2"),
        (Cloud::Aws, "euw3", "eu-west-3"),
        (Cloud::Aws, "euc1", "eu-central-1"),
        (Cloud::Aws, "euc2", "eu-central-2"),
        (Cloud::Aws, "eun1", "eu-north-1"),
        (Cloud::Aws, "eus1", "eu-south-1"),
        (Cloud::Aws, "eus2", "eu-south-2"),
        (Cloud::Aws, "aps1", "ap-south-1"),
        (Cloud::Aws, "as0", "ap-south-1"),
        (Cloud::Aws, "aps2", "ap-south-2"),
        (Cloud::Aws, "apse1", "ap-southeast-1"),
        (Cloud::Aws, "as1", "ap-southeast-1"),
        (Cloud::Aws, "apse2", "ap-southeast-2"),
        (Cloud::Aws, "apse3", "ap-southeast-3"),
        (Cloud::Aws, "apse4", "ap-southeast-4"),
        (Cloud::Aws, "apne1", "ap-northeast-1"),
        (Cloud::Aws, "apne2", "ap-northeast-2"),
        (Cloud::Aws, "apne3", "ap-northeast-3"),
        (Cloud::Aws, "ape1", "ap-east-1"),
        (Cloud::Aws, "cac1", "ca-central-1"),
        (Cloud::Aws, "caw1", "ca-west-1"),
        (Cloud::Aws, "sae1", "sa-east-1"),
        (Cloud::Aws, "mec1", "me-central-1"),
        (Cloud::Aws, "mes1", "me-south-1"),
        (Cloud::Aws, "afs1", "af-south-1"),
        (Cloud::Aws, "ilc1", "il-central-1"),
        (Cloud::Aws, "mxc1", "mx-central-1"),
        (Cloud::Aws, "usgw1", "us-gov-west-1"),
        (Cloud::Google, "euw1", "europe-west1"),
        (Cloud::Google, "ew4", "europe-west4"),
        (Cloud::Google, "usc1", "us-central1"),
        (Cloud::Google, "use4", "us-east4"),
        (Cloud::Google, "ause1", "australia-southeast1"),
        (Cloud::Azure, "weu", "westeurope"),
        (Cloud::Azure, "neu", "northeurope"),
        (Cloud::Azure, "eus2", "eastus2"),
        (Cloud::Azure, "sea", "southeastasia"),
    ];
    for (cloud, code, want) in table {
        assert_eq!(
            short_codes_of(*cloud).get(*code),
            Some(&vec![want.to_string()]),
            "{cloud} {code}"
        );
    }
}

/// Words, short codes and area names are lowercase letters and digits, and
/// none is a word that commonly appears in alias names for other reasons.
#[test]
fn no_ordinary_alias_word_is_a_hint() {
    for name in [
        "primary",
        "secondary",
        "dr",
        "replica",
        "shared",
        "prod",
        "production",
        "staging",
        "stage",
        "dev",
        "test",
        "qa",
        "uat",
        "backup",
        "global",
        "default",
        "main",
        "mgmt",
        "management",
        "logging",
        "audit",
        "security",
        "network",
        "networking",
        "dns",
        "edge",
        "cdn",
        "root",
        "org",
        "master",
        "member",
        "hub",
        "spoke",
        "transit",
        "peer",
        "source",
        "src",
        "destination",
        "dst",
        "target",
        "remote",
        "local",
        "alt",
        "old",
        "new",
        "legacy",
        "a",
        "b",
        "one",
        "two",
        "region",
        "regional",
        "failover",
        "standby",
        "active",
        "passive",
        "blue",
        "green",
        "ec2",
        "s3",
        "iam",
        "route53",
        "acm",
        "cloudfront",
        "lambda",
        "waf",
        "sso",
        "org_root",
        "log_archive",
        // Codenames that are also cities.
        "phoenix",
        "victoria",
        "rio",
    ] {
        assert_eq!(catalog().hints_in_name(name), vec![], "{name}");
    }
}

#[test]
fn hints_in_names() {
    let table: &[(&str, &[Claim])] = &[
        ("us_east_1", &[Claim::RegionCode("useast1".into())]),
        ("useast1", &[Claim::RegionCode("useast1".into())]),
        ("us-east-1", &[Claim::RegionCode("useast1".into())]),
        ("use1", &[Claim::ShortCode("use1".into())]),
        ("apse2", &[Claim::ShortCode("apse2".into())]),
        ("west", &[Claim::Compass(Compass::WEST)]),
        ("eu", &[Claim::Area("eu".into())]),
        ("europe", &[Claim::Area("eu".into())]),
        ("asia", &[Claim::Area("ap".into())]),
        ("us", &[Claim::Area("us".into())]),
        ("virginia", &[Claim::Word("virginia".into())]),
        ("primary_virginia", &[Claim::Word("virginia".into())]),
        ("dr-frankfurt", &[Claim::Word("frankfurt".into())]),
        (
            "euWest",
            &[Claim::Area("eu".into()), Claim::Compass(Compass::WEST)],
        ),
        ("ca", &[Claim::Word("ca".into()), Claim::Area("ca".into())]),
    ];
    for (name, want) in table {
        let got: Vec<Claim> = catalog()
            .hints_in_name(name)
            .into_iter()
            .flat_map(|h| h.claims)
            .collect();
        assert_eq!(got, *want, "{name}");
    }
    let texts: Vec<String> = catalog()
        .hints_in_name("replica_euWest_apse2")
        .into_iter()
        .map(|h| h.text)
        .collect();
    assert_eq!(texts, ["eu", "West", "apse2"]);
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum V {
    NoHint,
    Unclear,
    Consistent,
    Contradicts,
}

fn verdict(cloud: Cloud, alias: &str, code: &str) -> V {
    match catalog().check_alias(alias, region(cloud, code)) {
        AliasVerdict::NoHint => V::NoHint,
        AliasVerdict::Unclear => V::Unclear,
        AliasVerdict::Consistent => V::Consistent,
        AliasVerdict::Contradicts { .. } => V::Contradicts,
    }
}

/// Alias names against configured regions: what `provider-alias-region-mismatch`
/// will see.
#[test]
fn alias_names_against_regions() {
    use Cloud::*;
    use V::*;
    let table: &[(Cloud, &str, &str, V)] = &[
        // From the issue.
        (Aws, "west", "us-east-1", Contradicts),
        (Aws, "eu", "us-east-1", Contradicts),
        (Aws, "use1", "us-west-2", Contradicts),
        (Aws, "us_east_1", "us-east-1", Consistent),
        (Aws, "primary", "us-east-1", NoHint),
        (Aws, "primary", "eu-west-1", NoHint),
        (Google, "primary", "europe-west1", NoHint),
        (Azure, "primary", "westeurope", NoHint),
        (Aws, "dr_frankfurt", "eu-central-1", Consistent),
        (Aws, "apse2", "ap-southeast-2", Consistent),
        // Codes.
        (Aws, "useast1", "us-east-1", Consistent),
        (Aws, "us-east-1", "us-east-1", Consistent),
        (Aws, "usEast1", "us-east-1", Consistent),
        (Aws, "us_east_1", "us-east-2", Contradicts),
        (Aws, "us_west_2", "us-east-1", Contradicts),
        (Aws, "us_east_1_to_eu_west_1", "eu-west-1", Consistent),
        (Google, "us_east1", "us-east4", Contradicts),
        (Google, "europe_west4", "europe-west4", Consistent),
        (Azure, "westeurope", "westeurope", Consistent),
        (Azure, "west_europe", "westeurope", Consistent),
        (Azure, "northeurope", "westeurope", Contradicts),
        // A code of another cloud is read as area and direction.
        (Aws, "east_us", "us-east-1", Consistent),
        (Aws, "eastus", "us-west-2", Contradicts),
        // Short codes.
        (Aws, "use1", "us-east-1", Consistent),
        (Aws, "ue1", "us-east-1", Consistent),
        (Aws, "euw1", "eu-west-1", Consistent),
        (Aws, "euw1", "eu-central-1", Contradicts),
        (Aws, "aps1", "ap-south-1", Consistent),
        (Aws, "aps1", "ap-southeast-1", Contradicts),
        (Google, "euw1", "europe-west1", Consistent),
        (Google, "apse2", "australia-southeast1", Unclear),
        (Azure, "weu", "westeurope", Consistent),
        (Azure, "weu", "northeurope", Contradicts),
        // Words.
        (Aws, "virginia", "us-east-1", Consistent),
        (Aws, "virginia", "us-west-2", Contradicts),
        (Aws, "primary_virginia", "us-east-1", Consistent),
        (Aws, "frankfurt", "eu-west-1", Contradicts),
        (Aws, "sydney", "ap-southeast-2", Consistent),
        (Aws, "sydney", "ap-southeast-4", Contradicts),
        (Aws, "california", "us-west-1", Consistent),
        (Aws, "california", "us-west-2", Contradicts),
        (Aws, "sao_paulo", "sa-east-1", Consistent),
        (Aws, "tel_aviv", "il-central-1", Consistent),
        (Aws, "hong_kong", "ap-east-1", Consistent),
        (Aws, "japan", "ap-northeast-3", Consistent),
        (Google, "sydney", "australia-southeast1", Consistent),
        (Google, "frankfurt", "europe-west3", Consistent),
        (Google, "frankfurt", "europe-west1", Contradicts),
        (Azure, "sydney", "australiaeast", Consistent),
        (Azure, "frankfurt", "germanywestcentral", Consistent),
        (Azure, "tokyo", "japaneast", Consistent),
        (Azure, "oregon", "westus2", Unclear),
        (Azure, "virginia", "eastus2", Consistent),
        // Areas.
        (Aws, "eu", "eu-west-1", Consistent),
        (Aws, "eu", "eusc-de-east-1", Consistent),
        (Aws, "europe", "eu-west-1", Consistent),
        (Google, "europe", "europe-west1", Consistent),
        (Google, "europe", "us-central1", Contradicts),
        (Google, "eu", "eu", Consistent),
        (Google, "us", "us", Consistent),
        (Google, "us", "eu", Contradicts),
        (Aws, "asia", "ap-southeast-2", Consistent),
        (Google, "asia", "asia-northeast1", Consistent),
        (Aws, "us", "us-gov-west-1", Consistent),
        (Aws, "gov", "us-gov-west-1", Consistent),
        (Aws, "gov", "us-east-1", Contradicts),
        (Aws, "china", "cn-north-1", Consistent),
        (Aws, "emea", "il-central-1", Consistent),
        (Aws, "eu", "il-central-1", Contradicts),
        (Aws, "ca", "ca-central-1", Consistent),
        (Aws, "ca", "us-west-1", Consistent),
        (Aws, "ca", "eu-west-1", Contradicts),
        (Aws, "sa", "sa-east-1", Consistent),
        (Aws, "sa", "af-south-1", Consistent),
        (Azure, "eu", "uksouth", Consistent),
        (Azure, "us", "eastus", Consistent),
        // Compass.
        (Aws, "west", "us-west-2", Consistent),
        (Aws, "west", "eu-west-1", Consistent),
        (Aws, "east", "us-west-2", Contradicts),
        (Aws, "west", "eu-central-1", Unclear),
        (Aws, "central", "us-east-1", Unclear),
        (Aws, "central", "eu-central-1", Consistent),
        (Aws, "east", "ap-southeast-1", Consistent),
        (Aws, "northeast", "ap-southeast-1", Contradicts),
        (Aws, "southeast", "ap-south-1", Unclear),
        (Google, "west", "europe-west1", Consistent),
        (Azure, "east", "eastus2", Consistent),
        (Azure, "west", "eastus", Contradicts),
        (Azure, "west", "westcentralus", Consistent),
        (Azure, "north", "southafricanorth", Consistent),
        // Combinations.
        (Aws, "euWest", "eu-west-1", Consistent),
        (Aws, "euWest", "eu-central-1", Consistent),
        (Aws, "euWest", "us-west-2", Contradicts),
        (Aws, "us_west", "us-east-1", Contradicts),
        (Aws, "eu_frankfurt", "eu-west-1", Contradicts),
        (Aws, "use1_west", "us-east-1", Consistent),
        (Aws, "replica_eu", "us-east-1", Contradicts),
        (Aws, "backup-us-west-2", "us-west-2", Consistent),
        // Locations that span places are not judged by a city or code.
        (Google, "frankfurt", "eu", Unclear),
        (Google, "london", "eur5", Consistent),
        (Google, "london", "nam4", Contradicts),
        (Google, "use1", "nam4", Unclear),
        (Google, "west", "global", Unclear),
        (Google, "eu", "global", Unclear),
        (Azure, "global", "global", NoHint),
    ];
    let mut failures = Vec::new();
    for &(cloud, alias, code, want) in table {
        let got = verdict(cloud, alias, code);
        if got != want {
            failures.push(format!(
                "{cloud} alias {alias:?} with {code}: got {got:?}, want {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn contradiction_names_the_part_that_disagrees() {
    let r = region(Cloud::Aws, "us-east-1");
    match catalog().check_alias("replica_euWest", r) {
        AliasVerdict::Contradicts { hint } => assert_eq!(hint.text, "eu"),
        v => panic!("{v:?}"),
    }
    match catalog().check_alias("usWest", r) {
        AliasVerdict::Contradicts { hint } => assert_eq!(hint.text, "West"),
        v => panic!("{v:?}"),
    }
}

#[test]
fn region_matches_hint_per_claim() {
    let hint = |name: &str| catalog().hints_in_name(name).remove(0);
    let aws = |code| region(Cloud::Aws, code);
    let west = hint("west");
    assert!(region_matches_hint(aws("us-west-2"), &west));
    assert!(region_matches_hint(aws("eu-west-1"), &west));
    assert!(!region_matches_hint(aws("us-east-1"), &west));
    let eu = hint("eu");
    assert!(catalog()
        .regions(Cloud::Aws)
        .filter(|r| r.code.starts_with("eu-"))
        .all(|r| region_matches_hint(r, &eu)));
    assert!(!region_matches_hint(aws("us-east-1"), &eu));
    let europe = hint("europe");
    assert!(region_matches_hint(
        region(Cloud::Google, "europe-west9"),
        &europe
    ));
    assert!(region_matches_hint(aws("eu-north-1"), &europe));
    let frankfurt = hint("frankfurt");
    let matching: BTreeSet<&str> = catalog()
        .regions(Cloud::Aws)
        .filter(|r| region_matches_hint(r, &frankfurt))
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(matching, BTreeSet::from(["eu-central-1"]));
}

#[test]
fn provider_types_map_to_clouds() {
    assert_eq!(Cloud::for_provider("aws"), Some(Cloud::Aws));
    assert_eq!(Cloud::for_provider("awscc"), Some(Cloud::Aws));
    assert_eq!(Cloud::for_provider("google-beta"), Some(Cloud::Google));
    assert_eq!(Cloud::for_provider("azurerm"), Some(Cloud::Azure));
    assert_eq!(Cloud::for_provider("random"), None);
}

/// The catalog of region-agnostic types: every data line is an entry, the
/// header says where it comes from and when, and the types the rules
/// depend on are classed as they should be.
#[test]
fn region_agnostic_types_are_data_with_their_sources() {
    use tfpin::regions::{
        is_region_agnostic, type_catalog, type_region, RegionArgument, TypeScope,
    };
    let text = data_file("region-agnostic-resources.txt");
    let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    let header = header.join("\n");
    assert!(header.contains("Compiled 2026-12"), "no date");
    assert!(header.contains("Format"), "no format");
    assert!(header.contains("service_package_gen.go"), "no source");
    assert!(!text.contains("/work/") && !text.contains("/home/") && !text.contains("/tmp/"));
    assert_eq!(data_lines(&text).len(), type_catalog().entries().len());

    let scope = |kw: &str, t: &str| type_region(kw, t).map(|e| e.scope);
    for t in [
        "aws_iam_role",
        "aws_iam_role_policy_attachment",
        "aws_organizations_account",
    ] {
        assert_eq!(scope("resource", t), Some(TypeScope::Global), "{t}");
    }
    for t in [
        "aws_route53_zone",
        "aws_route53_record",
        "aws_route53_health_check",
    ] {
        assert_eq!(scope("resource", t), Some(TypeScope::Global), "{t}");
    }
    assert_eq!(
        scope("resource", "aws_cloudfront_distribution"),
        Some(TypeScope::Global)
    );
    assert_eq!(
        scope("resource", "aws_route53_resolver_endpoint"),
        Some(TypeScope::Regional)
    );
    assert_eq!(
        type_region("resource", "aws_route53_resolver_rule").map(|e| e.region_argument),
        Some(RegionArgument::Own)
    );
    for t in [
        "aws_iam_policy_document",
        "aws_partition",
        "aws_billing_service_account",
    ] {
        assert_eq!(scope("data", t), Some(TypeScope::Offline), "{t}");
    }
    for t in [
        "aws_caller_identity",
        "aws_canonical_user_id",
        "aws_ip_ranges",
    ] {
        assert_eq!(scope("data", t), Some(TypeScope::Global), "{t}");
    }
    for (kw, t) in [
        ("resource", "aws_s3_account_public_access_block"),
        ("resource", "google_project_iam_member"),
        ("resource", "google_service_account"),
        ("resource", "azurerm_role_assignment"),
        ("resource", "azuread_group"),
        ("data", "azuread_client_config"),
    ] {
        assert!(is_region_agnostic(kw, t), "{kw} {t}");
        assert_eq!(
            type_region(kw, t).map(|e| e.region_argument),
            Some(RegionArgument::None),
            "{kw} {t}"
        );
    }
    // Regional services stay regional.
    for (kw, t) in [
        ("resource", "aws_s3_bucket"),
        ("data", "aws_region"),
        ("data", "aws_availability_zones"),
        ("resource", "aws_route53domains_registered_domain"),
        ("resource", "google_storage_bucket"),
        ("resource", "azurerm_resource_group"),
    ] {
        assert!(!is_region_agnostic(kw, t), "{kw} {t}");
    }
}
