//! Region sites: every place a module instance says where something runs.
//!
//! A site is one expression that sets a region or location, evaluated in
//! one module instance:
//!
//! - the `region` of a `provider` block of a regional provider
//!   (`rules/data/regional-providers.txt`: aws, awscc, google, alicloud,
//!   oci...);
//! - a resource's own `region` (AWS provider v6 and Google resources) or
//!   `location` (Google, azurerm and azapi resources, the resource group
//!   included);
//! - the `region_name` of each `replica` block of an `aws_dynamodb_table`;
//! - an `aws_dynamodb_table_replica`, which is created wherever its provider
//!   configuration (or its own `region`) says. Its value is set at another
//!   site, so [`Site::sets_value`] is false for it: rules that judge values
//!   skip it, rules that compare a replica with its table use it.
//!
//! Sites are computed once per run ([`compute`]) and shared by every region
//! rule, which then never walks the syntax itself. Values come from the
//! static evaluator: an unknown value stays unknown.

use super::module::{implied_provider, Expr, Resource};
use super::usage::address_of;
use super::values::Values;
use super::wiring::{instance_placements, made_blocks, Placement, Target};
use super::workspace::{ModuleId, Workspace};
use crate::eval::{Bindings, Expansion, InstanceKey, Resolved};
use crate::regions::{self, Cloud, Region};
use crate::source::Span;
use rayon::prelude::*;
use std::sync::Arc;

/// What kind of place sets the region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteKind {
    /// The `region` of a provider configuration; index into the module's
    /// `provider_configs`.
    Provider { index: usize },
    /// A resource's own `region` or `location` argument; index into the
    /// module's `resources`.
    Resource { resource: usize },
    /// The `region_name` of a `replica` block of an `aws_dynamodb_table`.
    TableReplica { resource: usize },
    /// An `aws_dynamodb_table_replica`, created where its provider
    /// configuration runs; the value is set at another site.
    ReplicaResource { resource: usize, target: Target },
}

/// One place where a region or location is set, in one module instance.
#[derive(Debug, Clone)]
pub struct Site {
    /// The module instance (see [`Values::instances`]).
    pub instance: usize,
    pub module: ModuleId,
    /// The key of the resource instance, or of the provider block's
    /// instance, when a known `count` or `for_each` repeats it.
    pub key: Option<InstanceKey>,
    pub kind: SiteKind,
    /// The provider type the value is a region of: `aws`, `google`,
    /// `azurerm`, `oci`...
    pub provider_type: String,
    /// The cloud whose catalog judges the value, when tfpin has one.
    pub cloud: Option<Cloud>,
    /// The argument that sets it: `region`, `location` or `region_name`.
    pub argument: &'static str,
    /// The expression that sets the value (for a replica resource, the one
    /// its provider configuration or its own `region` uses, or the
    /// resource's header when nothing sets one).
    pub span: Span,
    /// The block the site belongs to: the provider block's or resource's
    /// header, or the `replica` block's keyword.
    pub owner: Span,
    /// The value, with where it was written.
    pub value: Arc<Resolved>,
}

/// How a site's value stands against the catalog of its cloud.
#[derive(Debug, Clone, Copy)]
pub enum CatalogMatch<'c> {
    /// A catalog entry.
    Region(&'c Region),
    /// A Google zone of a catalog region.
    Zone(&'c Region),
    /// A string the catalog does not know.
    Unknown,
    /// Not judged: no catalog for the cloud, or the value is not a known,
    /// non-empty string.
    NotJudged,
}

impl Site {
    /// Whether the value is written at this site, as opposed to coming
    /// from another site (a replica resource's provider configuration).
    pub fn sets_value(&self) -> bool {
        !matches!(self.kind, SiteKind::ReplicaResource { .. })
    }

    /// The value when it is a known string.
    pub fn value_str(&self) -> Option<&str> {
        self.value.value.as_str()
    }

    /// The value looked up in the catalog of the site's cloud.
    pub fn catalog_match(&self) -> CatalogMatch<'static> {
        let (Some(cloud), Some(v)) = (self.cloud, self.value_str()) else {
            return CatalogMatch::NotJudged;
        };
        if v.trim().is_empty() {
            return CatalogMatch::NotJudged;
        }
        let c = regions::catalog();
        if let Some(r) = c.lookup(cloud, v) {
            CatalogMatch::Region(r)
        } else if let Some(r) = c.zone_region(cloud, v) {
            CatalogMatch::Zone(r)
        } else {
            CatalogMatch::Unknown
        }
    }

    /// The value and what it belongs to, for messages: `region
    /// "us-east-1" of provider "aws"`, `location "EU" of resource
    /// "google_storage_bucket" "b"`, `replica region "eu-north-1" of
    /// resource "aws_dynamodb_table" "t"`.
    pub fn subject(&self, ws: &Workspace) -> String {
        let v = &self.value.value;
        match &self.kind {
            SiteKind::TableReplica { resource } => format!(
                "replica region {v} of {}{}",
                resource_name(&ws.module(self.module).config.resources[*resource]),
                self.key_text()
            ),
            _ => format!("{} {v} of {}", self.argument, self.describe(ws)),
        }
    }

    /// The argument that sets the value, as its module addresses it,
    /// without the value: `aws.west.region`, `google_storage_bucket.b.location`,
    /// `aws_dynamodb_table.t.replica.region_name`. A replica resource's
    /// value is set elsewhere, so it is the resource's `region`.
    pub fn address(&self, ws: &Workspace) -> String {
        let m = ws.module(self.module);
        let key = self.key_text();
        match &self.kind {
            SiteKind::Provider { index } => format!(
                "{}{key}.{}",
                m.config.provider_configs[*index].reference(),
                self.argument
            ),
            SiteKind::Resource { resource } | SiteKind::ReplicaResource { resource, .. } => {
                format!(
                    "{}{key}.{}",
                    m.config.resources[*resource].address(),
                    self.argument
                )
            }
            SiteKind::TableReplica { resource } => format!(
                "{}{key}.replica.{}",
                m.config.resources[*resource].address(),
                self.argument
            ),
        }
    }

    /// What the site is, for messages: `provider "aws" (alias "west")`,
    /// `resource "google_storage_bucket" "logs"`, `replica of resource
    /// "aws_dynamodb_table" "orders"`.
    pub fn describe(&self, ws: &Workspace) -> String {
        let m = ws.module(self.module);
        let key = self.key_text();
        let resource = |i: usize| format!("{}{key}", resource_name(&m.config.resources[i]));
        match &self.kind {
            SiteKind::Provider { index } => {
                let pc = &m.config.provider_configs[*index];
                match &pc.alias {
                    Some(a) => format!("provider \"{}\" (alias \"{}\"){key}", pc.name, a.value),
                    None => format!("provider \"{}\"{key}", pc.name),
                }
            }
            SiteKind::Resource { resource: i } | SiteKind::ReplicaResource { resource: i, .. } => {
                resource(*i)
            }
            SiteKind::TableReplica { resource: i } => format!("replica of {}", resource(*i)),
        }
    }

    /// The subject of sites that differ only in their instance key (see
    /// [`same_value_groups`]): the value and its block without the key,
    /// then the instances, a few of them by key:
    /// `region "us-east-2" of resource "aws_s3_bucket" "b" (2 instances:
    /// ["x"], ["y"])`.
    pub fn group_subject(ws: &Workspace, group: &[&Site]) -> String {
        let Some(first) = group.first() else {
            return String::new();
        };
        if first.key.is_none() {
            return first.subject(ws);
        }
        let unkeyed = Site {
            key: None,
            ..(*first).clone()
        };
        const SHOWN: usize = 3;
        let mut keys: Vec<String> = (group.iter().take(SHOWN))
            .filter_map(|s| s.key.as_ref().map(ToString::to_string))
            .collect();
        if group.len() > SHOWN {
            keys.push(format!("{} more", group.len() - SHOWN));
        }
        let n = match group.len() {
            1 => "instance".to_string(),
            n => format!("{n} instances:"),
        };
        format!("{} ({n} {})", unkeyed.subject(ws), keys.join(", "))
    }

    /// What a group of sites is about, for its finding's subject: the
    /// argument without the instance key, so that adding an instance with
    /// the same value changes nothing.
    /// A value with instances is part of the subject: the instances that
    /// share another value are another finding.
    pub fn group_address(ws: &Workspace, group: &[&Site]) -> String {
        match group.first() {
            Some(first) if first.key.is_some() => {
                let unkeyed = Site {
                    key: None,
                    ..(*first).clone()
                };
                format!("{} = {}", unkeyed.address(ws), first.value.value)
            }
            Some(first) => first.address(ws),
            None => String::new(),
        }
    }

    /// The instance key as an address writes it, `["eu"]`, or nothing.
    fn key_text(&self) -> String {
        self.key
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    }
}

/// Runs of sites that differ only in their instance key: the instances of
/// one repeated resource or provider block, in one module instance, whose
/// value is the same. A rule that judges values reports each run once.
pub fn same_value_groups<'s>(sites: &[&'s Site]) -> Vec<Vec<&'s Site>> {
    let mut out: Vec<Vec<&'s Site>> = Vec::new();
    for &s in sites {
        match out.last_mut() {
            Some(group)
                if group[0].key.is_some()
                    && s.key.is_some()
                    && group[0].instance == s.instance
                    && group[0].kind == s.kind
                    && group[0].span == s.span
                    && group[0].value.value == s.value.value =>
            {
                group.push(s)
            }
            _ => out.push(vec![s]),
        }
    }
    out
}

/// The arguments of a resource type that set where it runs, and the cloud
/// that judges them. Only top-level arguments: nested blocks with a
/// `location` (Google's secret replicas, say) are not read. A type the
/// catalog of region-agnostic types says has no region argument (IAM,
/// Route 53 and the other global AWS types, which provider v6 gives no
/// per-resource `region`) has no site.
pub(super) fn resource_arguments(
    r: &Resource,
) -> Option<(&'static str, Cloud, &'static [&'static str])> {
    let type_name = r.type_name.as_str();
    if regions::type_region(r.mode.keyword(), type_name)
        .is_some_and(|t| t.region_argument == regions::RegionArgument::None)
    {
        return None;
    }
    match implied_provider(type_name) {
        // AWS provider v6: every resource takes `region`. awscc resources do
        // not, and their properties named like it mean other things.
        "aws" => Some(("aws", Cloud::Aws, &["region"])),
        "google" => Some(("google", Cloud::Google, &["region", "location"])),
        "azurerm" => Some(("azurerm", Cloud::Azure, &["location"])),
        "azapi" => Some(("azapi", Cloud::Azure, &["location"])),
        _ => None,
    }
}

/// `resource "aws_s3_bucket" "logs"`, `data "google_compute_zones" "z"`.
fn resource_name(r: &Resource) -> String {
    format!("{} \"{}\" \"{}\"", r.mode.keyword(), r.type_name, r.name)
}

fn header(r: &Resource) -> Span {
    r.header.clone()
}

/// Every region site of every module instance, in instance order, then
/// provider blocks, then resources in file order, each instance of a
/// repeated block or resource in key order.
///
/// Instances are worked through in parallel, and their sites joined in
/// instance order.
pub fn compute(ws: &Workspace, values: &Values<'_>, placements: &[Placement]) -> Vec<Site> {
    let mut out: Vec<Site> = values
        .instances
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, inst)| instance_sites(ws, values, placements, i, inst))
        .collect();
    replica_sites(ws, values, placements, &mut out);
    out
}

/// The provider-block and resource sites of one instance.
fn instance_sites(
    ws: &Workspace,
    values: &Values<'_>,
    placements: &[Placement],
    i: usize,
    inst: &super::values::Instance,
) -> Vec<Site> {
    let mut out = Vec::new();
    let m = ws.module(inst.module);
    for (index, pc) in m.config.provider_configs.iter().enumerate() {
        let Some(addr) = address_of(&m.config, &pc.name) else {
            continue;
        };
        if regions::regional_provider(&addr.type_name).is_none() {
            continue;
        }
        let Some(expr) = pc.region() else { continue };
        let site = |key: Option<InstanceKey>, value: Resolved| Site {
            instance: i,
            module: inst.module,
            key,
            kind: SiteKind::Provider { index },
            cloud: Cloud::for_provider(&addr.type_name),
            provider_type: addr.type_name.clone(),
            argument: "region",
            span: expr.span(),
            owner: pc.header.clone(),
            value: Arc::new(value),
        };
        // OpenTofu's and stacks' provider `for_each`: one configuration
        // per key, each with its own region.
        let expansion = pc
            .content
            .attr("for_each")
            .map(|e| Expansion::for_each(&values.eval(i, e)));
        match expansion {
            Some(Expansion::Known { reps, .. }) => {
                for rep in &reps {
                    let bound = Bindings::new().each(rep);
                    out.push(site(
                        Some(rep.key.clone()),
                        values.eval_bound(i, expr, &bound),
                    ));
                }
            }
            _ => out.push(site(None, values.eval(i, expr))),
        }
    }
    // The instance's placements are in resource order: walked once.
    let mut rest = instance_placements(placements, i);
    for (ri, r) in m.config.resources.iter().enumerate() {
        let Some((provider_type, cloud, args)) = resource_arguments(r) else {
            continue;
        };
        let table = r.type_name == "aws_dynamodb_table" && r.mode == super::ResourceMode::Managed;
        let skip = rest.iter().take_while(|p| p.resource < ri).count();
        let count = rest[skip..].iter().take_while(|p| p.resource == ri).count();
        let (mine, after) = rest[skip..].split_at(count);
        rest = after;
        for p in mine {
            for &argument in args {
                if let Some(expr) = r.content.attr(argument) {
                    out.push(Site {
                        instance: i,
                        module: inst.module,
                        key: p.key.clone(),
                        kind: SiteKind::Resource { resource: ri },
                        provider_type: provider_type.to_string(),
                        cloud: Some(cloud),
                        argument,
                        span: expr.span(),
                        owner: header(r),
                        value: Arc::new(p.eval(values, expr)),
                    });
                }
            }
            if !table {
                continue;
            }
            for made in made_blocks(values, p, &p.bindings, &r.content, "replica") {
                let Some(expr) = made.attr("region_name") else {
                    continue;
                };
                out.push(Site {
                    instance: i,
                    module: inst.module,
                    key: p.key.clone(),
                    kind: SiteKind::TableReplica { resource: ri },
                    provider_type: "aws".to_string(),
                    cloud: Some(Cloud::Aws),
                    argument: "region_name",
                    span: expr.span(),
                    owner: made.ident_span.clone(),
                    value: Arc::new(values.eval_bound(i, expr, &made.bindings)),
                });
            }
        }
    }
    out
}

/// `aws_dynamodb_table_replica` resources, whose region is their placement's.
fn replica_sites(
    ws: &Workspace,
    values: &Values<'_>,
    placements: &[Placement],
    out: &mut Vec<Site>,
) {
    for p in placements {
        let m = ws.module(values.instances[p.instance].module);
        let r = &m.config.resources[p.resource];
        if r.type_name != "aws_dynamodb_table_replica" || r.mode != super::ResourceMode::Managed {
            continue;
        }
        let span = if p.region_from_resource {
            r.content.attr("region").map(Expr::span)
        } else if let Target::Block {
            instance, index, ..
        } = &*p.target
        {
            let pm = ws.module(values.instances[*instance].module);
            pm.config.provider_configs[*index].region().map(Expr::span)
        } else {
            None
        };
        out.push(Site {
            instance: p.instance,
            module: values.instances[p.instance].module,
            key: p.key.clone(),
            kind: SiteKind::ReplicaResource {
                resource: p.resource,
                target: (*p.target).clone(),
            },
            provider_type: "aws".to_string(),
            cloud: Some(Cloud::Aws),
            argument: "region",
            span: span.unwrap_or_else(|| header(r)),
            owner: header(r),
            value: p.region.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::values::CliValues;

    /// (what, argument, value, text under the span, cloud) of every site of
    /// a tree written to a temporary directory.
    fn sites_of(files: &[(&str, &str)]) -> Vec<(String, String, String, String, String)> {
        let (_dir, ws) = crate::model::load_test_tree(files);
        let values = Values::build(&ws, &CliValues::default());
        let placements = crate::model::wiring::placements(&ws, &values);
        compute(&ws, &values, &placements)
            .iter()
            .map(|s| {
                let file = ws.sources.get(s.span.file);
                (
                    s.describe(&ws),
                    s.argument.to_string(),
                    s.value.value.to_string(),
                    file.slice(&s.span.range).to_string(),
                    s.cloud.map_or("-", Cloud::as_str).to_string(),
                )
            })
            .collect()
    }

    fn row(what: &str, arg: &str, value: &str, text: &str, cloud: &str) -> [String; 5] {
        [what, arg, value, text, cloud].map(str::to_string)
    }

    fn rows(v: Vec<(String, String, String, String, String)>) -> Vec<[String; 5]> {
        v.into_iter()
            .map(|(a, b, c, d, e)| [a, b, c, d, e])
            .collect()
    }

    #[test]
    fn provider_regions_of_regional_providers_only() {
        let got = rows(sites_of(&[(
            "main.tf",
            r#"
variable "region" {
  default = "eu-west-1"
}
provider "aws" {
  region = var.region
}
provider "aws" {
  alias  = "use1"
  region = "us-east-1"
}
provider "google-beta" {
  region = "europe-west4"
}
provider "oci" {
  region = "eu-frankfurt-1"
}
provider "azurerm" {
  features {}
}
provider "kubernetes" {
  region = "not-a-region-argument"
}
"#,
        )]));
        assert_eq!(
            got,
            [
                row(
                    "provider \"aws\"",
                    "region",
                    "\"eu-west-1\"",
                    "var.region",
                    "aws"
                ),
                row(
                    "provider \"aws\" (alias \"use1\")",
                    "region",
                    "\"us-east-1\"",
                    "\"us-east-1\"",
                    "aws"
                ),
                row(
                    "provider \"google-beta\"",
                    "region",
                    "\"europe-west4\"",
                    "\"europe-west4\"",
                    "google"
                ),
                row(
                    "provider \"oci\"",
                    "region",
                    "\"eu-frankfurt-1\"",
                    "\"eu-frankfurt-1\"",
                    "-"
                ),
            ]
        );
    }

    #[test]
    fn resource_regions_and_locations() {
        let got = rows(sites_of(&[(
            "main.tf",
            r#"
resource "aws_s3_bucket" "logs" {
  region = "eu-central-1"
}
resource "google_storage_bucket" "b" {
  location = "EU"
}
resource "google_compute_subnetwork" "s" {
  region = "europe-west1"
}
resource "azurerm_resource_group" "rg" {
  location = "West Europe"
}
resource "azurerm_storage_account" "sa" {
  location = azurerm_resource_group.rg.location
}
resource "awscc_s3_bucket" "x" {
  region = "ignored"
}
"#,
        )]));
        assert_eq!(
            got,
            [
                row(
                    "resource \"aws_s3_bucket\" \"logs\"",
                    "region",
                    "\"eu-central-1\"",
                    "\"eu-central-1\"",
                    "aws"
                ),
                row(
                    "resource \"google_storage_bucket\" \"b\"",
                    "location",
                    "\"EU\"",
                    "\"EU\"",
                    "google"
                ),
                row(
                    "resource \"google_compute_subnetwork\" \"s\"",
                    "region",
                    "\"europe-west1\"",
                    "\"europe-west1\"",
                    "google"
                ),
                row(
                    "resource \"azurerm_resource_group\" \"rg\"",
                    "location",
                    "\"West Europe\"",
                    "\"West Europe\"",
                    "azure"
                ),
                row(
                    "resource \"azurerm_storage_account\" \"sa\"",
                    "location",
                    "(unknown)",
                    "azurerm_resource_group.rg.location",
                    "azure"
                ),
            ]
        );
    }

    /// AWS provider v6 gives global types no per-resource `region`: what
    /// is written there says nothing about where they run. A regional type
    /// under a global prefix keeps its site.
    #[test]
    fn global_types_have_no_region_site() {
        let got = rows(sites_of(&[(
            "main.tf",
            r#"
resource "aws_iam_role" "r" {
  region = "eu-west-1"
}
data "aws_caller_identity" "me" {
  region = "eu-west-1"
}
resource "aws_route53_record" "www" {
  region = "eu-west-1"
}
resource "aws_route53_resolver_endpoint" "e" {
  region = "eu-west-2"
}
data "aws_region" "here" {
  region = "eu-west-3"
}
"#,
        )]));
        let what: Vec<&str> = got.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            what,
            [
                "resource \"aws_route53_resolver_endpoint\" \"e\"",
                "data \"aws_region\" \"here\""
            ]
        );
    }

    #[test]
    fn dynamodb_replicas_and_replica_resources() {
        let got = rows(sites_of(&[(
            "main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}
resource "aws_dynamodb_table" "t" {
  name = "t"
  replica {
    region_name = "eu-north-1"
  }
  replica {
    region_name = local.other
  }
}
locals {
  other = "eu-south-1"
}
resource "aws_dynamodb_table_replica" "r" {
  provider         = aws.dr
  global_table_arn = aws_dynamodb_table.t.arn
}
"#,
        )]));
        let t = "resource \"aws_dynamodb_table\" \"t\"";
        assert_eq!(
            got[2..],
            [
                row(
                    &format!("replica of {t}"),
                    "region_name",
                    "\"eu-north-1\"",
                    "\"eu-north-1\"",
                    "aws"
                ),
                row(
                    &format!("replica of {t}"),
                    "region_name",
                    "\"eu-south-1\"",
                    "local.other",
                    "aws"
                ),
                row(
                    "resource \"aws_dynamodb_table_replica\" \"r\"",
                    "region",
                    "\"eu-central-1\"",
                    "\"eu-central-1\"",
                    "aws"
                ),
            ]
        );
    }

    #[test]
    fn each_instance_has_its_own_sites() {
        let got = rows(sites_of(&[
            (
                "main.tf",
                r#"
module "a" {
  source = "./child"
  region = "eu-west-1"
}
module "b" {
  source = "./child"
  region = "eu-west-2"
}
"#,
            ),
            (
                "child/main.tf",
                r#"
variable "region" {}
resource "aws_sqs_queue" "q" {
  region = var.region
}
"#,
            ),
        ]));
        let values: Vec<&str> = got.iter().map(|r| r[2].as_str()).collect();
        assert_eq!(values, ["\"eu-west-1\"", "\"eu-west-2\""]);
    }

    #[test]
    fn each_resource_instance_has_its_own_region() {
        let got = rows(sites_of(&[(
            "main.tf",
            r#"
variable "bucket_regions" {
  default = { logs = "eu-west-1", backup = "us-east-2" }
}
resource "aws_s3_bucket" "b" {
  for_each = var.bucket_regions
  bucket   = each.key
  region   = each.value
}
resource "aws_sqs_queue" "q" {
  count  = 2
  region = ["eu-north-1", "eu-south-1"][count.index]
}
resource "aws_sqs_queue" "off" {
  count  = 0
  region = "us-west-1"
}
resource "aws_sqs_queue" "unknown" {
  for_each = data.x.y
  region   = each.value
}
"#,
        )]));
        let s = |what: &str, v: &str, text: &str| row(what, "region", v, text, "aws");
        assert_eq!(
            got,
            [
                s(
                    "resource \"aws_s3_bucket\" \"b\"[\"backup\"]",
                    "\"us-east-2\"",
                    "each.value"
                ),
                s(
                    "resource \"aws_s3_bucket\" \"b\"[\"logs\"]",
                    "\"eu-west-1\"",
                    "each.value"
                ),
                s(
                    "resource \"aws_sqs_queue\" \"q\"[0]",
                    "\"eu-north-1\"",
                    "[\"eu-north-1\", \"eu-south-1\"][count.index]"
                ),
                s(
                    "resource \"aws_sqs_queue\" \"q\"[1]",
                    "\"eu-south-1\"",
                    "[\"eu-north-1\", \"eu-south-1\"][count.index]"
                ),
                s(
                    "resource \"aws_sqs_queue\" \"unknown\"",
                    "(unknown)",
                    "each.value"
                ),
            ]
        );
    }

    #[test]
    fn dynamic_replica_blocks_are_expanded_with_their_iterator() {
        let got = rows(sites_of(&[(
            "main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
}
variable "replicas" {
  default = ["eu-west-1", "eu-central-1"]
}
resource "aws_dynamodb_table" "t" {
  name = "t"
  dynamic "replica" {
    for_each = var.replicas
    content {
      region_name = replica.value
    }
  }
  dynamic "replica" {
    for_each = { dr = "eu-north-1" }
    iterator = r
    content {
      region_name = r.value
    }
  }
  dynamic "replica" {
    for_each = data.x.y
    content {
      region_name = replica.value
    }
  }
}
"#,
        )]));
        let values: Vec<(&str, &str)> = got[1..]
            .iter()
            .map(|r| (r[2].as_str(), r[3].as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("\"eu-west-1\"", "replica.value"),
                ("\"eu-central-1\"", "replica.value"),
                ("\"eu-north-1\"", "r.value"),
                ("(unknown)", "replica.value"),
            ]
        );
    }

    #[test]
    fn provider_instances_have_their_own_regions_and_resources_pick_one() {
        let files = [(
            "main.tf",
            r#"
variable "regions" {
  default = { eu = "eu-west-1", us = "us-east-2" }
}
provider "aws" {
  alias    = "by_region"
  for_each = var.regions
  region   = each.value
}
resource "aws_sqs_queue" "q" {
  for_each = var.regions
  provider = aws.by_region[each.key]
}
resource "aws_sqs_queue" "one" {
  provider = aws.by_region["us"]
}
"#,
        )];
        let got = rows(sites_of(&files));
        let providers: Vec<(&str, &str)> =
            got.iter().map(|r| (r[0].as_str(), r[2].as_str())).collect();
        assert_eq!(
            providers,
            [
                (
                    "provider \"aws\" (alias \"by_region\")[\"eu\"]",
                    "\"eu-west-1\""
                ),
                (
                    "provider \"aws\" (alias \"by_region\")[\"us\"]",
                    "\"us-east-2\""
                ),
            ]
        );
        let (_dir, ws) = crate::model::load_test_tree(&files);
        let values = Values::build(&ws, &CliValues::default());
        let placed: Vec<(String, String)> = crate::model::wiring::placements(&ws, &values)
            .iter()
            .map(|p| {
                let r = &ws
                    .module(values.instances[p.instance].module)
                    .config
                    .resources[p.resource];
                (p.address(r), p.region.value.to_string())
            })
            .collect();
        assert_eq!(
            placed,
            [
                (
                    "aws_sqs_queue.q[\"eu\"]".to_string(),
                    "\"eu-west-1\"".to_string()
                ),
                (
                    "aws_sqs_queue.q[\"us\"]".to_string(),
                    "\"us-east-2\"".to_string()
                ),
                ("aws_sqs_queue.one".to_string(), "\"us-east-2\"".to_string()),
            ]
        );
    }

    #[test]
    fn zones_and_names_are_judged_by_the_catalog() {
        let site = |cloud, v: &str| Site {
            instance: 0,
            module: ModuleId(0),
            key: None,
            kind: SiteKind::Resource { resource: 0 },
            provider_type: String::new(),
            cloud,
            argument: "location",
            span: Span::new(crate::source::FileId(0), 0..0),
            owner: Span::new(crate::source::FileId(0), 0..0),
            value: Arc::new(Resolved::new(crate::eval::Value::String(v.into()), None)),
        };
        let m = |cloud, v| site(cloud, v).catalog_match();
        assert!(
            matches!(m(Some(Cloud::Google), "europe-west1-b"), CatalogMatch::Zone(r) if r.code == "europe-west1")
        );
        assert!(
            matches!(m(Some(Cloud::Azure), "West Europe"), CatalogMatch::Region(r) if r.code == "westeurope")
        );
        assert!(matches!(
            m(Some(Cloud::Aws), "us-east1"),
            CatalogMatch::Unknown
        ));
        assert!(matches!(m(Some(Cloud::Aws), ""), CatalogMatch::NotJudged));
        assert!(matches!(m(None, "anything"), CatalogMatch::NotJudged));
    }
}
