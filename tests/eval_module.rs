//! End-to-end use of the evaluator as the model layer would drive it: one
//! root module with variables files and `-var` options, and a child module
//! fed from a `module` block.

use hcl_edit::structure::Body;
use tfpin::eval::{
    parse_cli_var, parse_tfvars, parse_tfvars_json, variable_files, Ast, OriginKind, Resolved,
    Scope, Value,
};
use tfpin::source::FileId;

/// The model converts each expression once and its scopes borrow them; a
/// test's expressions simply live to the end.
fn leak(e: &hcl_edit::expr::Expression) -> &'static Ast {
    Box::leak(Box::new(Ast::from(e)))
}

fn declare<'a>(scope: &mut Scope<'a>, file: FileId, body: &'a Body) {
    for block in body.blocks() {
        match block.ident.value().as_str() {
            "variable" => {
                let name = block.labels[0].as_str();
                let default = block.body.get_attribute("default").map(|a| &a.value);
                let ty = block.body.get_attribute("type").map(|a| &a.value);
                scope.declare_variable(name, file, default.map(leak), ty);
            }
            "locals" => {
                for attr in block.body.attributes() {
                    scope.declare_local(attr.key.value().as_str(), file, leak(&attr.value));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn root_and_child_module() {
    let root_src = r#"
variable "region" {
  type    = string
  default = "us-east-1"
}
variable "regions" {
  type    = map(string)
  default = {}
}
locals {
  primary = var.region
  dr      = lookup(var.regions, "dr", "eu-west-1")
}
module "replica" {
  source = "./replica"
  region = local.dr
  suffix = "-replica"
}
"#;
    let root_body = hcl_edit::parser::parse_body(root_src).unwrap();
    let root_file = FileId(0);
    let mut root = Scope::new();
    declare(&mut root, root_file, &root_body);

    // Auto-loaded files in Terraform's order, then command-line options.
    let listing = vec![
        "main.tf".to_string(),
        "x.auto.tfvars".to_string(),
        "terraform.tfvars".to_string(),
        "a.auto.tfvars.json".to_string(),
    ];
    let files = variable_files(&listing);
    assert_eq!(
        files,
        ["terraform.tfvars", "a.auto.tfvars.json", "x.auto.tfvars"]
    );
    let contents = |name: &str| match name {
        "terraform.tfvars" => "region = \"ap-south-1\"\n",
        "a.auto.tfvars.json" => "{\"regions\": {\"dr\": \"eu-central-1\"}}",
        "x.auto.tfvars" => "region = \"ca-central-1\"\n",
        _ => unreachable!(),
    };
    for (i, name) in files.iter().enumerate() {
        let file = FileId(10 + i as u32);
        let tv = if name.ends_with(".json") {
            parse_tfvars_json(file, contents(name)).unwrap()
        } else {
            parse_tfvars(file, contents(name)).unwrap()
        };
        assert!(tv.errors.is_empty());
        for (var, value) in tv.values {
            root.set_variable(&var, value);
        }
    }
    let primary = root.local("primary");
    assert_eq!(primary.value, Value::String("ca-central-1".into()));
    let origin = primary.origin.clone().unwrap();
    assert_eq!(origin.span.unwrap().file, FileId(12));
    assert_eq!(primary.via, ["var.region"]);

    let (name, raw) = parse_cli_var("region=sa-east-1").unwrap();
    root.set_variable_string(&name, &raw, OriginKind::CliVar { name: name.clone() });
    assert_eq!(
        root.local("primary").value,
        Value::String("sa-east-1".into())
    );

    // The child module gets the `module` block's arguments.
    let module = root_body
        .blocks()
        .find(|b| b.ident.value().as_str() == "module")
        .unwrap();
    let child_src = r#"
variable "region" {}
variable "suffix" { default = "" }
locals {
  name = "app${var.suffix}-${var.region}"
}
"#;
    let child_body = hcl_edit::parser::parse_body(child_src).unwrap();
    let mut child = Scope::new();
    declare(&mut child, FileId(1), &child_body);
    for attr in module.body.attributes() {
        let key = attr.key.value().as_str();
        if key == "source" {
            continue;
        }
        let value = root.eval(root_file, &Ast::from(&attr.value));
        child.set_variable(key, Resolved::from_caller("replica", key, value));
    }
    let region = child.variable("region");
    assert_eq!(region.value, Value::String("eu-central-1".into()));
    assert!(matches!(
        region.origin.unwrap().kind,
        OriginKind::Tfvars { .. }
    ));
    let suffix = child.variable("suffix");
    assert_eq!(
        suffix.origin.unwrap().kind,
        OriginKind::Caller {
            module_call: "replica".into(),
            name: "suffix".into()
        }
    );
    assert_eq!(
        child.local("name").value,
        Value::String("app-replica-eu-central-1".into())
    );
}
