//! Writes a synthetic Terraform monorepo for benchmarking, the same bytes
//! for the same arguments on every machine.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --modules 5000 [--seed 1] DIR
//! ```
//!
//! The tree is a set of stacks, each with reusable child modules under
//! `stacks/<name>/modules/` and deployable roots under `stacks/<name>/envs/`:
//! roots with backends, providers with aliases and regions, variables and
//! `terraform.tfvars`, local child modules that declare
//! `configuration_aliases`, registry and git module calls with and without
//! pins, lock files (a few out of step with the constraints), and about one
//! file in a hundred broken. A `platform/` root calls the first two hundred
//! child modules that have no broken file, as a large root with many local
//! modules does; it is valid Terraform, for `terraform providers`.
//!
//! Roots have five or six files and child modules four, so 5,000 modules
//! come to about 22,000 files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 1000 < pct * 10
    }
    /// True with probability `per_mille` per thousand.
    fn chance_pm(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            write!(s, "{:016x}", self.next()).unwrap();
        }
        s.truncate(n);
        s
    }
}

const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "eu-north-1",
    "ap-southeast-1",
    "ap-northeast-1",
];
const KINDS: &[&str] = &[
    "network", "compute", "storage", "database", "dns", "cdn", "queue", "iam",
];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const AWS_VERSIONS: &[&str] = &["5.31.0", "5.46.0", "5.70.0", "5.82.2"];
const REGISTRY_MODULES: &[(&str, &str)] = &[
    ("terraform-aws-modules/vpc/aws", "5.8.1"),
    ("terraform-aws-modules/s3-bucket/aws", "4.1.2"),
    (
        "terraform-aws-modules/iam/aws//modules/iam-assumable-role",
        "5.39.0",
    ),
    ("terraform-aws-modules/lambda/aws", "7.2.1"),
];

struct Stats {
    modules: usize,
    files: usize,
    bytes: usize,
    broken: usize,
}

struct Gen {
    rng: Rng,
    out: PathBuf,
    stats: Stats,
    /// Child modules written so far: (path from the corpus root, kind,
    /// whether it declares an `aws.peer` configuration alias).
    children: Vec<(String, &'static str, bool)>,
    /// Directories that got a broken file.
    broken_dirs: Vec<String>,
    /// Write every file whole (for the platform root).
    intact: bool,
}

impl Gen {
    fn write(&mut self, rel: &str, mut text: String) {
        // About one file in a hundred is broken the way real files are:
        // an unclosed block, a stray quote, a missing equals sign.
        if rel.ends_with(".tf") && !self.intact && self.rng.chance_pm(10) {
            self.stats.broken += 1;
            if let Some((dir, _)) = rel.rsplit_once('/') {
                self.broken_dirs.push(format!("{dir}/"));
            }
            match self.rng.below(3) {
                0 => {
                    let cut = text.rfind('}').unwrap_or(text.len());
                    text.truncate(cut);
                }
                1 => text.push_str("\nlocals {\n  broken = \"unterminated\n}\n"),
                _ => text.push_str("\nvariable \"oops\" {\n  default \"missing-equals\"\n}\n"),
            }
        }
        let path = self.out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        self.stats.files += 1;
        self.stats.bytes += text.len();
    }

    fn child(&mut self, dir: &str, kind: &'static str, sub: Option<&str>) -> bool {
        self.stats.modules += 1;
        let peer = matches!(kind, "network" | "dns" | "cdn" | "database") || self.rng.chance(20);
        let lower = self.rng.pick(&["5.0", "5.20", "4.60"]).to_string();
        let mut v = String::from("terraform {\n  required_version = \">= 1.5\"\n\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n");
        writeln!(v, "      version = \">= {lower}\"").unwrap();
        if peer {
            v.push_str("      configuration_aliases = [aws.peer]\n");
        }
        v.push_str("    }\n");
        if self.rng.chance(30) {
            v.push_str("    random = {\n      source  = \"hashicorp/random\"\n      version = \">= 3.5\"\n    }\n");
        }
        v.push_str("  }\n}\n");
        self.write(&format!("{dir}/versions.tf"), v);

        let mut vars = String::new();
        let nvars = self.rng.range(4, 9);
        for i in 0..nvars {
            let (ty, def) = match i % 4 {
                0 => ("string", format!("\"{kind}-{i}\"")),
                1 => ("number", format!("{}", self.rng.range(1, 64))),
                2 => ("bool", "true".to_string()),
                _ => ("map(string)", "{}".to_string()),
            };
            writeln!(
                vars,
                "variable \"{kind}_setting_{i}\" {{\n  description = \"Setting {i} of the {kind} module, used by several resources below.\"\n  type        = {ty}\n  default     = {def}\n}}\n"
            )
            .unwrap();
        }
        vars.push_str("variable \"name\" {\n  type = string\n}\n\nvariable \"tags\" {\n  type    = map(string)\n  default = {}\n}\n");
        self.write(&format!("{dir}/variables.tf"), vars);

        let mut main = String::new();
        writeln!(
            main,
            "locals {{\n  prefix = \"${{var.name}}-{kind}\"\n  tags   = merge(var.tags, {{ module = \"{kind}\" }})\n}}\n"
        )
        .unwrap();
        for i in 0..self.rng.range(3, 7) {
            writeln!(
                main,
                "resource \"aws_s3_bucket\" \"{kind}_{i}\" {{\n  bucket = \"${{local.prefix}}-{i}\"\n  tags   = local.tags\n}}\n\nresource \"aws_s3_bucket_versioning\" \"{kind}_{i}\" {{\n  bucket = aws_s3_bucket.{kind}_{i}.id\n\n  versioning_configuration {{\n    status = \"Enabled\"\n  }}\n}}\n"
            )
            .unwrap();
        }
        if peer {
            writeln!(
                main,
                "resource \"aws_s3_bucket\" \"replica\" {{\n  provider = aws.peer\n  bucket   = \"${{local.prefix}}-replica\"\n}}\n\ndata \"aws_region\" \"peer\" {{\n  provider = aws.peer\n}}\n"
            )
            .unwrap();
        }
        if kind == "cdn" {
            main.push_str("resource \"aws_acm_certificate\" \"cdn\" {\n  provider          = aws.peer\n  domain_name       = \"${var.name}.example.com\"\n  validation_method = \"DNS\"\n}\n\n");
        }
        if kind == "database" {
            let r = *self.rng.pick(REGIONS);
            writeln!(main, "resource \"aws_dynamodb_table\" \"table\" {{\n  name         = local.prefix\n  billing_mode = \"PAY_PER_REQUEST\"\n  hash_key     = \"id\"\n\n  attribute {{\n    name = \"id\"\n    type = \"S\"\n  }}\n\n  replica {{\n    region_name = \"{r}\"\n  }}\n}}\n").unwrap();
        }
        if let Some(sub) = sub {
            writeln!(
                main,
                "module \"{kind}_parts\" {{\n  source = \"./{sub}\"\n  name   = local.prefix\n}}\n"
            )
            .unwrap();
        }
        self.write(&format!("{dir}/main.tf"), main);

        let mut outs = String::new();
        writeln!(
            outs,
            "output \"bucket_ids\" {{\n  description = \"The buckets of the {kind} module.\"\n  value       = [aws_s3_bucket.{kind}_0.id]\n}}\n\noutput \"prefix\" {{\n  value = local.prefix\n}}"
        )
        .unwrap();
        self.write(&format!("{dir}/outputs.tf"), outs);
        peer
    }

    /// A small nested module with no aliases, called by its parent.
    fn leaf(&mut self, dir: &str) {
        self.stats.modules += 1;
        self.write(
            &format!("{dir}/versions.tf"),
            "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 5.0\"\n    }\n  }\n}\n".into(),
        );
        self.write(
            &format!("{dir}/variables.tf"),
            "variable \"name\" {\n  type = string\n}\n".into(),
        );
        let mut main = String::new();
        for i in 0..self.rng.range(2, 5) {
            writeln!(
                main,
                "resource \"aws_sns_topic\" \"t{i}\" {{\n  name = \"${{var.name}}-{i}\"\n}}\n"
            )
            .unwrap();
        }
        self.write(&format!("{dir}/main.tf"), main);
    }

    fn root(&mut self, dir: &str, calls: &[(String, &'static str, bool)], platform: bool) {
        self.stats.modules += 1;
        let major = self.rng.pick(&["5", "5.31", "5.46"]).to_string();
        let unbounded = self.rng.chance(8);
        let constraint = if unbounded {
            format!(">= {major}")
        } else {
            format!("~> {major}")
        };
        let mut v = String::from("terraform {\n  required_version = \">= 1.5, < 2.0\"\n\n");
        if !platform {
            let key = dir.replace('/', "-");
            writeln!(v, "  backend \"s3\" {{\n    bucket         = \"tfstate-corp\"\n    key            = \"{key}.tfstate\"\n    region         = \"eu-west-1\"\n    dynamodb_table = \"tfstate-lock\"\n  }}\n").unwrap();
        }
        writeln!(
            v,
            "  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \"{constraint}\"\n    }}\n    random = {{\n      source  = \"hashicorp/random\"\n      version = \"~> 3.6\"\n    }}\n  }}\n}}"
        )
        .unwrap();
        self.write(&format!("{dir}/versions.tf"), v);

        let home = *self.rng.pick(REGIONS);
        let mut peer = *self.rng.pick(REGIONS);
        // Now and then an alias is named after one region and set to another.
        let mislabelled = self.rng.chance(5);
        if peer == home {
            peer = "us-west-2";
        }
        let mut p = String::new();
        writeln!(
            p,
            "provider \"aws\" {{\n  region = var.region\n\n  default_tags {{\n    tags = {{\n      managed_by = \"terraform\"\n    }}\n  }}\n}}\n"
        )
        .unwrap();
        let peer_alias = if mislabelled {
            "us_east_1".to_string()
        } else {
            peer.replace('-', "_")
        };
        writeln!(
            p,
            "provider \"aws\" {{\n  alias  = \"{peer_alias}\"\n  region = \"{peer}\"\n}}\n\nprovider \"aws\" {{\n  alias  = \"global\"\n  region = \"us-east-1\"\n}}"
        )
        .unwrap();
        self.write(&format!("{dir}/providers.tf"), p);

        self.write(
            &format!("{dir}/variables.tf"),
            "variable \"region\" {\n  description = \"The home region of this environment.\"\n  type        = string\n}\n\nvariable \"environment\" {\n  type    = string\n  default = \"prod\"\n}\n\nvariable \"owner\" {\n  type    = string\n  default = \"platform\"\n}\n".into(),
        );

        let mut main =
            String::from("locals {\n  name = \"${var.environment}-${var.owner}\"\n}\n\n");
        for (i, (path, kind, needs_peer)) in calls.iter().enumerate() {
            let rel = relative(dir, path);
            writeln!(
                main,
                "module \"{kind}_{i}\" {{\n  source = \"{rel}\"\n  name   = local.name"
            )
            .unwrap();
            if *needs_peer {
                // A few calls forget to pass the alias the module needs.
                if platform || !self.rng.chance(3) {
                    let to = if *kind == "cdn" {
                        "global".to_string()
                    } else {
                        peer_alias.clone()
                    };
                    writeln!(
                        main,
                        "\n  providers = {{\n    aws      = aws\n    aws.peer = aws.{to}\n  }}"
                    )
                    .unwrap();
                }
            }
            main.push_str("}\n\n");
        }
        if !platform {
            let (src, ver) = *self.rng.pick(REGISTRY_MODULES);
            match self.rng.below(4) {
                0 => writeln!(main, "module \"shared\" {{\n  source = \"{src}\"\n}}\n").unwrap(),
                1 => writeln!(
                    main,
                    "module \"shared\" {{\n  source  = \"{src}\"\n  version = \">= {ver}\"\n}}\n"
                )
                .unwrap(),
                _ => writeln!(
                    main,
                    "module \"shared\" {{\n  source  = \"{src}\"\n  version = \"{ver}\"\n}}\n"
                )
                .unwrap(),
            }
            let repo = self.rng.range(1, 40);
            match self.rng.below(3) {
                0 => writeln!(main, "module \"tooling\" {{\n  source = \"git::https://git.example.com/infra/tooling-{repo}.git\"\n}}\n").unwrap(),
                1 => writeln!(main, "module \"tooling\" {{\n  source = \"git::https://git.example.com/infra/tooling-{repo}.git?ref=main\"\n}}\n").unwrap(),
                _ => {
                    let sha = self.rng.hex(40);
                    writeln!(main, "module \"tooling\" {{\n  source = \"git::https://git.example.com/infra/tooling-{repo}.git?ref={sha}\"\n}}\n").unwrap()
                }
            }
        }
        writeln!(
            main,
            "resource \"random_id\" \"suffix\" {{\n  byte_length = 4\n}}\n\nresource \"aws_acm_certificate\" \"site\" {{\n  provider          = aws.global\n  domain_name       = \"${{local.name}}.example.com\"\n  validation_method = \"DNS\"\n}}"
        )
        .unwrap();
        self.write(&format!("{dir}/main.tf"), main);

        let env = dir.rsplit('/').next().unwrap_or("prod").to_string();
        self.write(
            &format!("{dir}/terraform.tfvars"),
            format!("region      = \"{home}\"\nenvironment = \"{env}\"\n"),
        );

        // No lock file for the platform root: `terraform providers` would want
        // the locked plugins installed.
        if !platform && self.rng.chance(85) {
            // Mostly in step; a few lock a version outside the constraint.
            let drift = self.rng.chance(7);
            let version = if drift {
                "4.67.0".to_string()
            } else {
                self.rng.pick(AWS_VERSIONS).to_string()
            };
            let mut lock = String::from("# This file is maintained automatically by \"terraform init\".\n# Manual edits may be lost in future updates.\n\n");
            writeln!(
                lock,
                "provider \"registry.terraform.io/hashicorp/aws\" {{\n  version     = \"{version}\"\n  constraints = \"{constraint}\"\n  hashes = ["
            )
            .unwrap();
            for _ in 0..4 {
                writeln!(lock, "    \"zh:{}\",", self.rng.hex(64)).unwrap();
            }
            lock.push_str("  ]\n}\n\n");
            writeln!(
                lock,
                "provider \"registry.terraform.io/hashicorp/random\" {{\n  version     = \"3.6.3\"\n  constraints = \"~> 3.6\"\n  hashes = [\n    \"h1:{}=\",\n  ]\n}}",
                self.rng.hex(43)
            )
            .unwrap();
            self.write(&format!("{dir}/.terraform.lock.hcl"), lock);
        }
    }

    fn stack(&mut self, index: usize, budget: usize) {
        let name = format!("stacks/s{index:05}");
        let nchildren = self.rng.range(2, 4).min(budget.saturating_sub(1).max(1));
        let mut calls = Vec::new();
        let mut used = 0;
        for c in 0..nchildren {
            if used + 1 >= budget {
                break;
            }
            let kind = KINDS[(index + c * 3) % KINDS.len()];
            let dir = format!("{name}/modules/{kind}");
            let nested = used + 2 < budget && self.rng.chance(15);
            let peer = self.child(&dir, kind, nested.then_some("parts"));
            used += 1;
            if nested {
                self.leaf(&format!("{dir}/parts"));
                used += 1;
            }
            calls.push((dir.clone(), kind, peer));
            self.children.push((dir, kind, peer));
        }
        let nroots = if budget - used >= 3 {
            self.rng.range(1, 2)
        } else {
            1
        };
        for e in ENVS.iter().take(nroots) {
            self.root(&format!("{name}/envs/{e}"), &calls, false);
        }
    }
}

/// The path from one corpus directory to another, as a local module source.
fn relative(from: &str, to: &str) -> String {
    let f: Vec<&str> = from.split('/').collect();
    let t: Vec<&str> = to.split('/').collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut s = String::new();
    for _ in common..f.len() {
        s.push_str("../");
    }
    s.push_str(&t[common..].join("/"));
    s
}

fn main() {
    let mut modules = 5000usize;
    let mut seed = 1u64;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen-corpus [--modules N] [--seed S] DIR";
    while let Some(a) = args.next() {
        match a.as_str() {
            "--modules" => modules = args.next().and_then(|v| v.parse().ok()).expect(usage),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect(usage),
            "-h" | "--help" => {
                println!("{usage}");
                return;
            }
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => {
                eprintln!("{usage}");
                std::process::exit(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    if out.exists()
        && std::fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("gen-corpus: {} exists and is not empty", out.display());
        std::process::exit(2);
    }
    let mut g = Gen {
        rng: Rng(seed),
        out: out.clone(),
        stats: Stats {
            modules: 0,
            files: 0,
            bytes: 0,
            broken: 0,
        },
        children: Vec::new(),
        broken_dirs: Vec::new(),
        intact: false,
    };
    // The platform root counts as one of the modules.
    let target = modules.max(2) - 1;
    let mut index = 0;
    while g.stats.modules < target {
        let budget = (target - g.stats.modules).min(g.rng.range(4, 7));
        g.stack(index, budget);
        index += 1;
    }
    // The platform root is valid Terraform, so that `terraform providers`
    // can run on it: it calls only modules with no broken file.
    let calls: Vec<_> = g
        .children
        .iter()
        .filter(|(dir, _, _)| {
            let dir = format!("{dir}/");
            !g.broken_dirs.iter().any(|b| b.starts_with(&dir))
        })
        .take(200)
        .cloned()
        .collect();
    g.intact = true;
    g.root("platform", &calls, true);
    g.write(
        ".tfpin.hcl",
        "policy {\n  allowed_regions = [\"eu-*\", \"us-*\"]\n}\n".into(),
    );
    let s = &g.stats;
    println!(
        "{}: {} modules, {} files, {} bytes, {} broken files",
        display(&out),
        s.modules,
        s.files,
        s.bytes,
        s.broken
    );
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
