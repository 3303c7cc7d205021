//! Replays what terraform 1.11.4 planned for the trees in `tests/data/eval/`
//! (recorded by `tests/data/eval/record.sh`): the instances tfpin expands
//! from `count` and `for_each`, and the values it evaluates in each (with
//! `each`, `count` and the outputs of local modules), must be terraform's.
//!
//! The trees use only the built-in `terraform_data` resource, which needs no
//! provider plugin, so terraform plans them offline. No built-in resource has
//! nested blocks, so `dynamic` blocks are not in this oracle; their expansion
//! follows HCL's `ext/dynblock` (the iterator's `key` is the index of a list
//! element or the key of a map element) and is tested against fixtures in
//! `src/model/sites.rs` and the rule docs.

mod common;

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tfpin::eval::Value;
use tfpin::model::values::{CliValues, Values};
use tfpin::model::wiring::placements;

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/eval")
        .join(case)
}

fn oracle(case: &str) -> Json {
    let text = std::fs::read_to_string(case_dir(case).join("oracle.json")).unwrap();
    let json: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(json["terraform_version"], "1.11.4");
    json
}

/// A known value as terraform's JSON writes it; `None` when any part of it
/// is unknown.
fn to_json(v: &Value) -> Option<Json> {
    Some(match v {
        Value::Unknown => return None,
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => serde_json::Number::from_f64(*n).map(Json::Number)?,
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        Value::Map(items) => Json::Object(
            items
                .iter()
                .map(|(k, v)| Some((k.clone(), to_json(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// The `input` argument of a `terraform_data` resource, read from its
/// file: the model keeps only the parts of resource bodies that rules read.
fn input_of(report: &tfpin::Report, r: &tfpin::model::Resource) -> Option<tfpin::model::Expr> {
    let file = r.header.file;
    let text = &report.workspace.sources.get(file).text;
    let body = hcl_edit::parser::parse_body(text).unwrap();
    let block = body.blocks().find(|b| {
        b.ident.as_str() == "resource"
            && b.labels.len() == 2
            && b.labels[0].as_str() == r.type_name
            && b.labels[1].as_str() == r.name
    })?;
    let attr = block.body.get_attribute("input")?;
    Some(tfpin::model::Expr::new(file, &attr.value))
}

fn replay(case: &str) {
    let oracle = oracle(case);
    let tree = case_dir(case).join("tree");
    let report = common::check(&tree);
    let ws = &report.workspace;
    let values = Values::build(ws, &CliValues::default());
    // Every terraform_data instance tfpin places, with its `input`.
    let mut resources: BTreeMap<String, Option<Json>> = BTreeMap::new();
    for p in placements(ws, &values) {
        let inst = &values.instances[p.instance];
        let r = &ws.module(inst.module).config.resources[p.resource];
        if r.type_name != "terraform_data" {
            continue;
        }
        let address = if inst.address.is_empty() {
            p.address(r)
        } else {
            format!("{}.{}", inst.address, p.address(r))
        };
        let input = input_of(&report, r).map(|e| p.eval(&values, &e));
        resources.insert(address, input.and_then(|i| to_json(&i.value)));
    }
    let expected: BTreeMap<String, Option<Json>> = (oracle["resources"].as_object().unwrap())
        .iter()
        .map(|(k, v)| (k.clone(), Some(v.clone())))
        .collect();
    assert_eq!(resources, expected, "{case}: resource instances and inputs");
    // The root module's outputs.
    let root = ws.modules.iter().find(|m| m.display == ".").unwrap();
    let root_instance = values.instances_of(root.id).next().unwrap();
    let outputs: BTreeMap<String, Option<Json>> = (root.config.outputs.iter())
        .map(|o| {
            let v = o
                .value
                .as_ref()
                .map(|e| values.eval(root_instance, e).value);
            (o.name.clone(), v.as_ref().and_then(to_json))
        })
        .collect();
    let expected: BTreeMap<String, Option<Json>> = (oracle["outputs"].as_object().unwrap())
        .iter()
        .map(|(k, v)| (k.clone(), Some(v.clone())))
        .collect();
    assert_eq!(outputs, expected, "{case}: root outputs");
}

#[test]
fn instances_and_module_outputs_agree_with_terraform() {
    replay("instances");
}
