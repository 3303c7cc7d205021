use super::*;
use hcl_edit::structure::Body;
use std::collections::BTreeMap;

const F: FileId = FileId(1);
const TFVARS: FileId = FileId(2);

/// A scope borrows the expressions declared in it, as the model's scopes
/// borrow the model; a test's expressions simply live to the end.
fn leak(e: &Expression) -> &'static Ast {
    Box::leak(Box::new(Ast::from(e)))
}

fn body(src: &str) -> Body {
    hcl_edit::parser::parse_body(src).expect("test source parses")
}

/// A scope with the `variable` blocks and `locals` of `body`.
fn scope(body: &Body) -> Scope<'_> {
    let mut s = Scope::new();
    for block in body.blocks() {
        match block.ident.value().as_str() {
            "variable" => {
                let name = block.labels[0].as_str();
                let default = block.body.get_attribute("default").map(|a| &a.value);
                let ty = block.body.get_attribute("type").map(|a| &a.value);
                s.declare_variable(name, F, default.map(leak), ty);
            }
            "locals" => {
                for attr in block.body.attributes() {
                    s.declare_local(attr.key.value().as_str(), F, leak(&attr.value));
                }
            }
            _ => {}
        }
    }
    s
}

fn eval_in(s: &Scope<'_>, expr: &str) -> Resolved {
    let e = hcl_edit::parser::parse_expr(expr).expect("test expression parses");
    s.eval(F, &Ast::from(&e))
}

fn ev(expr: &str) -> Value {
    let b = body("");
    let s = scope(&b);
    eval_in(&s, expr).value
}

fn str_(s: &str) -> Value {
    Value::String(s.to_string())
}

fn num(n: f64) -> Value {
    Value::Number(n)
}

fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

fn map(items: &[(&str, Value)]) -> Value {
    Value::Map(
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

// ---- literals and collections ----

#[test]
fn literals() {
    assert_eq!(ev("null"), Value::Null);
    assert_eq!(ev("true"), Value::Bool(true));
    assert_eq!(ev("false"), Value::Bool(false));
    assert_eq!(ev("42"), num(42.0));
    assert_eq!(ev("1.5"), num(1.5));
    assert_eq!(ev("-3"), num(-3.0));
    assert_eq!(ev("1e3"), num(1000.0));
    assert_eq!(ev(r#""eu-west-1""#), str_("eu-west-1"));
    assert_eq!(ev(r#""a\nb\"c""#), str_("a\nb\"c"));
}

#[test]
fn numbers_not_exact_in_f64_are_unknown() {
    assert_eq!(ev("9007199254740993"), Value::Unknown);
    assert_eq!(ev("0.12345678901234567"), Value::Unknown);
    assert_eq!(ev("9007199254740991"), num(9007199254740991.0));
    assert_eq!(ev("1e21"), num(1e21));
    assert_eq!(ev("\"x${1e21}\""), str_("x1000000000000000000000"));
    assert_eq!(ev("1e-400"), Value::Unknown);
}

#[test]
fn arrays_and_objects() {
    assert_eq!(
        ev(r#"[1, "a", true, null]"#),
        list(vec![num(1.0), str_("a"), Value::Bool(true), Value::Null])
    );
    assert_eq!(
        ev(r#"{ a = 1, "b" = 2, ("c") = 3 }"#),
        map(&[("a", num(1.0)), ("b", num(2.0)), ("c", num(3.0))])
    );
    assert_eq!(ev(r#"{ a: 1 }"#), map(&[("a", num(1.0))]));
    assert_eq!(ev(r#"{ (1) = "x" }"#), map(&[("1", str_("x"))]));
    // An unknown key makes the whole object unknown.
    assert_eq!(ev(r#"{ (var.nope) = 1 }"#), Value::Unknown);
    // Keys that evaluate to the same string are an error in Terraform.
    assert_eq!(ev(r#"{ a = 1, ("a") = 2 }"#), Value::Unknown);
}

#[test]
fn collections_keep_unknown_elements() {
    assert_eq!(ev("[1, var.nope]"), list(vec![num(1.0), Value::Unknown]));
    assert!(!ev("[1, var.nope]").is_wholly_known());
    assert!(ev("[1, [2]]").is_wholly_known());
}

// ---- templates ----

#[test]
fn templates() {
    let b = body(
        r#"
variable "env" { default = "prod" }
variable "n" { default = 3 }
variable "none" {}
"#,
    );
    let s = scope(&b);
    assert_eq!(eval_in(&s, r#""${var.env}-eu""#).value, str_("prod-eu"));
    assert_eq!(
        eval_in(&s, r#""n=${var.n} b=${true}""#).value,
        str_("n=3 b=true")
    );
    // A single interpolation keeps its type.
    assert_eq!(eval_in(&s, r#""${var.n}""#).value, num(3.0));
    // Never a partial string.
    assert_eq!(
        eval_in(&s, r#""${var.env}-${var.none}""#).value,
        Value::Unknown
    );
    assert_eq!(eval_in(&s, r#""x-${null}""#).value, Value::Unknown);
    assert_eq!(eval_in(&s, r#""x-${[1]}""#).value, Value::Unknown);
    // Directives are not evaluated.
    assert_eq!(
        eval_in(&s, r#""%{if true}a%{endif}""#).value,
        Value::Unknown
    );
    // Escapes.
    assert_eq!(eval_in(&s, r#""$${var.env}""#).value, str_("${var.env}"));
}

#[test]
fn template_strip_markers() {
    let b = body("variable \"x\" { default = \"v\" }");
    let s = scope(&b);
    assert_eq!(eval_in(&s, r#""a  ${~ var.x ~}  b""#).value, str_("avb"));
    assert_eq!(eval_in(&s, r#""a  ${var.x ~}  b""#).value, str_("a  vb"));
}

#[test]
fn heredocs() {
    let b = body(
        "variable \"r\" { default = \"eu\" }\nlocals {\n  a = <<EOT\nregion ${var.r}\nEOT\n  b = <<-EOT\n    x\n      y\n    EOT\n}\n",
    );
    let s = scope(&b);
    assert_eq!(s.local("a").value, str_("region eu\n"));
    assert_eq!(s.local("b").value, str_("x\n  y\n"));
}

// ---- references and origins ----

#[test]
fn variable_default_origin() {
    let src = "variable \"region\" {\n  default = \"eu-west-1\"\n}\n";
    let b = body(src);
    let s = scope(&b);
    let r = eval_in(&s, "var.region");
    assert_eq!(r.value, str_("eu-west-1"));
    let o = r.origin.expect("origin");
    assert_eq!(
        o.kind,
        OriginKind::VariableDefault {
            name: "region".into()
        }
    );
    let span = o.span.expect("span");
    assert_eq!(span.file, F);
    assert_eq!(&src[span.range.clone()], "\"eu-west-1\"");
    assert_eq!(r.via, vec!["var.region".to_string()]);
}

#[test]
fn literal_origin() {
    let b = body("");
    let s = scope(&b);
    let r = eval_in(&s, r#"[ "us-east-1" ][0]"#);
    let o = r.origin.unwrap();
    assert_eq!(o.kind, OriginKind::Literal);
    assert_eq!(o.span.unwrap().range, 2..13);
}

#[test]
fn origin_through_local_var_tfvars_chain() {
    let src = "variable \"region\" { default = \"eu-west-1\" }\nlocals {\n  r = var.region\n  cfg = { region = local.r }\n}\n";
    let b = body(src);
    let mut s = scope(&b);
    // Default first.
    let r = eval_in(&s, "local.cfg.region");
    assert_eq!(r.value, str_("eu-west-1"));
    assert!(matches!(
        r.origin.as_ref().unwrap().kind,
        OriginKind::VariableDefault { .. }
    ));
    assert_eq!(r.via, vec!["local.cfg", "local.r", "var.region"]);

    // Then a tfvars value overrides it.
    let tfvars_src = "region = \"eu-central-1\"\n";
    let tv = parse_tfvars(TFVARS, tfvars_src).unwrap();
    for (name, value) in tv.values {
        s.set_variable(&name, value);
    }
    let r = eval_in(&s, "local.cfg.region");
    assert_eq!(r.value, str_("eu-central-1"));
    let o = r.origin.unwrap();
    assert_eq!(
        o.kind,
        OriginKind::Tfvars {
            name: "region".into()
        }
    );
    let span = o.span.unwrap();
    assert_eq!(span.file, TFVARS);
    assert_eq!(&tfvars_src[span.range], "\"eu-central-1\"");
}

#[test]
fn element_origins_inside_collections() {
    let src = "locals {\n  m = { eu = \"eu-west-1\", us = \"us-east-1\" }\n}\n";
    let b = body(src);
    let s = scope(&b);
    let r = eval_in(&s, r#"local.m["us"]"#);
    assert_eq!(r.value, str_("us-east-1"));
    let o = r.origin.unwrap();
    assert_eq!(o.kind, OriginKind::Local { name: "m".into() });
    assert_eq!(&src[o.span.unwrap().range], "\"us-east-1\"");
    // The Resolved accessors give element origins too.
    let whole = s.local("m");
    let eu = whole.get("eu").unwrap();
    assert_eq!(
        &src[eu.origin.unwrap().span.unwrap().range],
        "\"eu-west-1\""
    );
}

#[test]
fn derived_values_point_at_the_computing_expression() {
    let src = "variable \"env\" { default = \"prod\" }\nlocals {\n  name = \"${var.env}-eu\"\n}\n";
    let b = body(src);
    let s = scope(&b);
    let r = s.local("name");
    assert_eq!(r.value, str_("prod-eu"));
    let o = r.origin.unwrap();
    assert_eq!(
        o.kind,
        OriginKind::Local {
            name: "name".into()
        }
    );
    assert_eq!(&src[o.span.unwrap().range], "\"${var.env}-eu\"");
}

#[test]
fn undeclared_and_unset_references_are_unknown() {
    let b = body("variable \"x\" {}\nlocals { a = 1 }\n");
    let s = scope(&b);
    assert_eq!(eval_in(&s, "var.x").value, Value::Unknown);
    assert_eq!(eval_in(&s, "var.y").value, Value::Unknown);
    assert_eq!(eval_in(&s, "local.b").value, Value::Unknown);
    assert_eq!(eval_in(&s, "local.a").value, num(1.0));
    assert_eq!(eval_in(&s, "var").value, Value::Unknown);
    assert_eq!(eval_in(&s, "local").value, Value::Unknown);
}

#[test]
fn set_values_for_undeclared_variables_are_ignored() {
    let b = body("");
    let mut s = scope(&b);
    s.set_variable("x", Resolved::new(str_("a"), None));
    assert_eq!(eval_in(&s, "var.x").value, Value::Unknown);
}

#[test]
fn other_roots_are_unknown() {
    for e in [
        "each.key",
        "count.index",
        "path.module",
        "terraform.workspace",
        "aws_instance.x.id",
        "data.aws_region.current.name",
        "module.m.out",
        "self.x",
    ] {
        assert_eq!(ev(e), Value::Unknown, "{e}");
    }
}

#[test]
fn traversal_on_known_values() {
    let b = body(
        r#"
variable "regions" { default = { eu = "eu-west-1", us = "us-east-1" } }
variable "list" { default = ["a", "b", "c"] }
locals {
  cfg = { region = "ap-south-1", nested = { deep = [10, 20] } }
}
"#,
    );
    let s = scope(&b);
    assert_eq!(eval_in(&s, r#"var.regions["eu"]"#).value, str_("eu-west-1"));
    assert_eq!(eval_in(&s, "var.regions.us").value, str_("us-east-1"));
    assert_eq!(eval_in(&s, "var.list[0]").value, str_("a"));
    assert_eq!(eval_in(&s, "var.list.2").value, str_("c"));
    assert_eq!(eval_in(&s, r#"var.list["1"]"#).value, str_("b"));
    assert_eq!(eval_in(&s, "local.cfg.region").value, str_("ap-south-1"));
    assert_eq!(eval_in(&s, "local.cfg.nested.deep[1]").value, num(20.0));
    assert_eq!(eval_in(&s, "[1, 2][1]").value, num(2.0));
    assert_eq!(eval_in(&s, "{a = 5}.a").value, num(5.0));
    // Errors in Terraform.
    assert_eq!(eval_in(&s, "var.list[3]").value, Value::Unknown);
    assert_eq!(eval_in(&s, "var.list[-1]").value, Value::Unknown);
    assert_eq!(eval_in(&s, "var.list[0.5]").value, Value::Unknown);
    assert_eq!(eval_in(&s, "var.regions.nope").value, Value::Unknown);
    assert_eq!(eval_in(&s, "var.list.x").value, Value::Unknown);
    assert_eq!(eval_in(&s, r#""s".x"#).value, Value::Unknown);
    // Splats are not evaluated.
    assert_eq!(eval_in(&s, "var.list[*]").value, Value::Unknown);
}

// ---- operators ----

#[test]
fn conditionals() {
    assert_eq!(ev(r#"true ? "a" : "b""#), str_("a"));
    assert_eq!(ev(r#"false ? "a" : "b""#), str_("b"));
    assert_eq!(ev(r#"var.x ? "a" : "b""#), Value::Unknown);
    assert_eq!(ev(r#""true" ? 1 : 2"#), num(1.0));
    assert_eq!(ev(r#"1 ? 1 : 2"#), Value::Unknown);
    // The branch not taken may be unknown.
    assert_eq!(ev(r#"true ? "a" : var.x"#), str_("a"));
    // Results are converted to a common type.
    assert_eq!(ev(r#"true ? 12 : "hello""#), str_("12"));
    assert_eq!(ev(r#"true ? 12 : var.x"#), Value::Unknown);
    assert_eq!(ev(r#"true ? 12 : null"#), num(12.0));
    assert_eq!(ev(r#"true ? 12 : true"#), Value::Unknown);
    assert_eq!(ev(r#"true ? 12 : [1]"#), Value::Unknown);
}

#[test]
fn conditional_keeps_origin_of_chosen_branch() {
    let src = "variable \"a\" { default = \"x\" }\n";
    let b = body(src);
    let s = scope(&b);
    let r = eval_in(&s, r#"1 == 1 ? var.a : "y""#);
    assert_eq!(r.value, str_("x"));
    assert!(matches!(
        r.origin.unwrap().kind,
        OriginKind::VariableDefault { .. }
    ));
}

#[test]
fn unary_operators() {
    assert_eq!(ev("!true"), Value::Bool(false));
    assert_eq!(ev("!var.x"), Value::Unknown);
    assert_eq!(ev("-(2)"), num(-2.0));
    assert_eq!(ev(r#"-"3""#), num(-3.0));
    assert_eq!(ev("!1"), Value::Unknown);
    assert_eq!(ev(r#"-"a""#), Value::Unknown);
}

#[test]
fn equality() {
    assert_eq!(ev("1 == 1"), Value::Bool(true));
    assert_eq!(ev("1 != 2"), Value::Bool(true));
    assert_eq!(ev(r#""a" == "a""#), Value::Bool(true));
    // Different types are never equal.
    assert_eq!(ev(r#"1 == "1""#), Value::Bool(false));
    assert_eq!(ev("null == null"), Value::Bool(true));
    assert_eq!(ev(r#"null == "a""#), Value::Bool(false));
    assert_eq!(ev("var.x == 1"), Value::Unknown);
    assert_eq!(ev("[1] == [1]"), Value::Unknown);
}

#[test]
fn logic() {
    assert_eq!(ev("true && false"), Value::Bool(false));
    assert_eq!(ev("true && true"), Value::Bool(true));
    assert_eq!(ev("false || true"), Value::Bool(true));
    assert_eq!(ev("false || false"), Value::Bool(false));
    assert_eq!(ev("var.x && true"), Value::Unknown);
    assert_eq!(ev("var.x || false"), Value::Unknown);
    // A decisive operand settles the result.
    assert_eq!(ev("var.x && false"), Value::Bool(false));
    assert_eq!(ev("true || var.x"), Value::Bool(true));
    assert_eq!(ev("1 && true"), Value::Unknown);
}

#[test]
fn arithmetic_and_comparison() {
    assert_eq!(ev("1 + 2 * 3"), num(7.0));
    assert_eq!(ev("(1 + 2) * 3"), num(9.0));
    assert_eq!(ev("10 - 12"), num(-2.0));
    assert_eq!(ev("10 / 2"), num(5.0));
    assert_eq!(ev("7 % 3"), num(1.0));
    assert_eq!(ev("-7 % 3"), num(-1.0));
    assert_eq!(ev(r#""2" + 3"#), num(5.0));
    assert_eq!(ev("1 < 2"), Value::Bool(true));
    assert_eq!(ev("2 <= 2"), Value::Bool(true));
    assert_eq!(ev("1.5 > 2"), Value::Bool(false));
    assert_eq!(ev("3 >= 2.5"), Value::Bool(true));
    // Not exactly known, or errors.
    assert_eq!(ev("1 / 0"), Value::Unknown);
    assert_eq!(ev("1 % 0"), Value::Unknown);
    assert_eq!(ev("7 / 2"), Value::Unknown);
    assert_eq!(ev("0.1 + 0.2"), Value::Unknown);
    assert_eq!(ev("9007199254740991 + 1"), Value::Unknown);
    assert_eq!(ev("1e21 - 1"), Value::Unknown);
    assert_eq!(ev(r#""a" + 1"#), Value::Unknown);
    assert_eq!(ev("var.x + 1"), Value::Unknown);
    assert_eq!(ev("var.x < 1"), Value::Unknown);
}

// ---- for expressions ----

#[test]
fn for_expressions() {
    assert_eq!(
        ev(r#"[for s in ["a", "b"] : upper(s)]"#),
        list(vec![str_("A"), str_("B")])
    );
    assert_eq!(
        ev(r#"[for i, s in ["a", "b"] : "${i}${s}"]"#),
        list(vec![str_("0a"), str_("1b")])
    );
    assert_eq!(
        ev(r#"{ for k, v in { a = 1, b = 2 } : v => k }"#),
        map(&[("1", str_("a")), ("2", str_("b"))])
    );
    assert_eq!(
        ev(r#"[for x in [1, 2, 3] : x if x != 2]"#),
        list(vec![num(1.0), num(3.0)])
    );
    assert_eq!(
        ev(r#"{ for s in ["a", "b", "a"] : s => s... }"#),
        map(&[
            ("a", list(vec![str_("a"), str_("a")])),
            ("b", list(vec![str_("b")]))
        ])
    );
    // Duplicate keys without grouping are an error.
    assert_eq!(ev(r#"{ for s in ["a", "a"] : s => 1 }"#), Value::Unknown);
    assert_eq!(ev("[for x in var.x : x]"), Value::Unknown);
    assert_eq!(ev(r#"[for x in [1] : x if var.c]"#), Value::Unknown);
    // The binding does not leak.
    assert_eq!(
        ev("[[for x in [1] : x], x]"),
        list(vec![list(vec![num(1.0)]), Value::Unknown])
    );
}

// ---- functions ----

#[test]
fn fn_lower_upper_trimspace_tostring() {
    assert_eq!(ev(r#"lower("EU-West-1")"#), str_("eu-west-1"));
    assert_eq!(ev(r#"upper("eu")"#), str_("EU"));
    assert_eq!(ev(r#"upper("straße")"#), Value::Unknown);
    assert_eq!(ev(r#"lower(5)"#), str_("5"));
    assert_eq!(ev(r#"trimspace("  a b \n")"#), str_("a b"));
    assert_eq!(ev(r#"tostring(5)"#), str_("5"));
    assert_eq!(ev(r#"tostring(true)"#), str_("true"));
    assert_eq!(ev(r#"tostring("x")"#), str_("x"));
    assert_eq!(ev(r#"tostring(null)"#), Value::Null);
    assert_eq!(ev(r#"tostring([1])"#), Value::Unknown);
    assert_eq!(ev(r#"lower()"#), Value::Unknown);
    assert_eq!(ev(r#"lower("a", "b")"#), Value::Unknown);
    assert_eq!(ev(r#"lower(var.x)"#), Value::Unknown);
    assert_eq!(ev(r#"lower(null)"#), Value::Unknown);
}

#[test]
fn fn_format() {
    assert_eq!(ev(r#"format("%s-%s", "a", "b")"#), str_("a-b"));
    assert_eq!(ev(r#"format("%d items", 3)"#), str_("3 items"));
    assert_eq!(ev(r#"format("%d", "4")"#), str_("4"));
    assert_eq!(
        ev(r#"format("%v/%v/%v", "a", 1.5, true)"#),
        str_("a/1.5/true")
    );
    assert_eq!(ev(r#"format("%q", "a\"b")"#), str_(r#""a\"b""#));
    assert_eq!(ev(r#"format("100%%")"#), str_("100%"));
    assert_eq!(ev(r#"format("%s", 5)"#), str_("5"));
    // Unusual or invalid.
    assert_eq!(ev(r#"format("%d", 1.5)"#), Value::Unknown);
    assert_eq!(ev(r#"format("%5s", "a")"#), Value::Unknown);
    assert_eq!(ev(r#"format("%-s", "a")"#), Value::Unknown);
    assert_eq!(ev(r#"format("%[1]s", "a")"#), Value::Unknown);
    assert_eq!(ev(r#"format("%x", 5)"#), Value::Unknown);
    assert_eq!(ev(r#"format("%s %s", "a")"#), Value::Unknown);
    assert_eq!(ev(r#"format("%s", "a", "b")"#), Value::Unknown);
    assert_eq!(ev(r#"format("%s", var.x)"#), Value::Unknown);
    assert_eq!(ev(r#"format("%v", [1])"#), Value::Unknown);
    assert_eq!(ev(r#"format("%q", "é")"#), Value::Unknown);
    assert_eq!(ev(r#"format("abc%")"#), Value::Unknown);
}

#[test]
fn fn_join() {
    assert_eq!(ev(r#"join("-", ["a", "b", "c"])"#), str_("a-b-c"));
    assert_eq!(ev(r#"join(",", ["a"], ["b", 1])"#), str_("a,b,1"));
    assert_eq!(ev(r#"join(",", [])"#), str_(""));
    assert_eq!(ev(r#"join(",", ["a", var.x])"#), Value::Unknown);
    assert_eq!(ev(r#"join(",", ["a", null])"#), Value::Unknown);
    assert_eq!(ev(r#"join(",")"#), Value::Unknown);
    assert_eq!(ev(r#"join(",", "a")"#), Value::Unknown);
}

#[test]
fn fn_lookup() {
    assert_eq!(ev(r#"lookup({ a = "x" }, "a")"#), str_("x"));
    assert_eq!(ev(r#"lookup({ a = "x" }, "b", "d")"#), str_("d"));
    assert_eq!(ev(r#"lookup({ a = "x" }, "b")"#), Value::Unknown);
    assert_eq!(ev(r#"lookup({ a = var.x }, "a", "d")"#), Value::Unknown);
    assert_eq!(ev(r#"lookup({ a = var.x, b = "y" }, "b", "d")"#), str_("y"));
    assert_eq!(ev(r#"lookup(var.m, "a", "d")"#), Value::Unknown);
    assert_eq!(ev(r#"lookup({ a = 1 }, var.k, "d")"#), Value::Unknown);
    assert_eq!(ev(r#"lookup({}, "a", "d", "e")"#), Value::Unknown);
}

#[test]
fn fn_lookup_keeps_element_origin() {
    let src = "variable \"regions\" {\n  default = { eu = \"eu-west-1\" }\n}\n";
    let b = body(src);
    let s = scope(&b);
    let r = eval_in(&s, r#"lookup(var.regions, "eu", "us-east-1")"#);
    assert_eq!(r.value, str_("eu-west-1"));
    assert_eq!(&src[r.origin.unwrap().span.unwrap().range], "\"eu-west-1\"");
}

#[test]
fn fn_coalesce() {
    assert_eq!(ev(r#"coalesce("", null, "b", "c")"#), str_("b"));
    assert_eq!(ev(r#"coalesce(null, 2)"#), num(2.0));
    // Arguments are converted to their common type.
    assert_eq!(ev(r#"coalesce(1, "hello")"#), str_("1"));
    assert_eq!(ev(r#"coalesce("a", var.x)"#), str_("a"));
    assert_eq!(ev(r#"coalesce(var.x, "a")"#), Value::Unknown);
    assert_eq!(ev(r#"coalesce(1, var.x)"#), Value::Unknown);
    assert_eq!(ev(r#"coalesce(1, true)"#), Value::Unknown);
    assert_eq!(ev(r#"coalesce(null, "")"#), Value::Unknown);
    assert_eq!(ev(r#"coalesce()"#), Value::Unknown);
}

#[test]
fn fn_element_wraps_around() {
    assert_eq!(ev(r#"element(["a", "b", "c"], 0)"#), str_("a"));
    assert_eq!(ev(r#"element(["a", "b", "c"], 3)"#), str_("a"));
    assert_eq!(ev(r#"element(["a", "b", "c"], 5)"#), str_("c"));
    assert_eq!(ev(r#"element(["a", "b", "c"], 3001)"#), str_("b"));
    assert_eq!(ev(r#"element(["a", "b", "c"], "1")"#), str_("b"));
    assert_eq!(ev(r#"element(["a", "b"], -1)"#), Value::Unknown);
    assert_eq!(ev(r#"element(["a", "b"], 1.5)"#), Value::Unknown);
    assert_eq!(ev(r#"element([], 0)"#), Value::Unknown);
    assert_eq!(ev(r#"element(["a", var.x], 1)"#), Value::Unknown);
    assert_eq!(ev(r#"element(["a", var.x], 2)"#), str_("a"));
    assert_eq!(ev(r#"element(var.l, 0)"#), Value::Unknown);
}

#[test]
fn fn_toset_orders_strings_once() {
    assert_eq!(
        ev(r#"toset(["eu-west-1", "eu-central-1", "eu-west-1"])"#),
        list(vec![str_("eu-central-1"), str_("eu-west-1")])
    );
    assert_eq!(ev(r#"toset([])"#), list(vec![]));
    // Sets of other types are ordered in ways tfpin does not reproduce.
    assert_eq!(ev(r#"toset([1, 2])"#), Value::Unknown);
    assert_eq!(ev(r#"toset(["a", var.x])"#), Value::Unknown);
    assert_eq!(ev(r#"toset("a")"#), Value::Unknown);
}

#[test]
fn fn_concat_merge() {
    assert_eq!(
        ev(r#"concat(["a"], [], ["b", "c"])"#),
        list(vec![str_("a"), str_("b"), str_("c")])
    );
    assert_eq!(ev(r#"concat(["a"], var.x)"#), Value::Unknown);
    assert_eq!(ev(r#"concat(["a"], "b")"#), Value::Unknown);
    assert_eq!(
        ev(r#"merge({ a = 1, b = 2 }, null, { b = 3 })"#),
        map(&[("a", num(1.0)), ("b", num(3.0))])
    );
    assert_eq!(ev(r#"merge({ a = 1 }, var.x)"#), Value::Unknown);
    assert_eq!(ev(r#"merge({ a = 1 }, [1])"#), Value::Unknown);
    assert_eq!(ev(r#"merge()"#), map(&[]));
    assert_eq!(
        ev(r#"merge({ a = var.x }, { b = 1 })"#),
        map(&[("a", Value::Unknown), ("b", num(1.0))])
    );
}

#[test]
fn fn_replace() {
    assert_eq!(ev(r#"replace("a-b-c", "-", "_")"#), str_("a_b_c"));
    assert_eq!(ev(r#"replace("abc", "", "x")"#), str_("xaxbxcx"));
    assert_eq!(ev(r#"replace("a1b", "/[0-9]/", "x")"#), Value::Unknown);
    assert_eq!(ev(r#"replace("a/b", "/", "x")"#), str_("axb"));
    assert_eq!(ev(r#"replace(var.x, "a", "b")"#), Value::Unknown);
}

#[test]
fn fn_try() {
    assert_eq!(ev(r#"try("a", "b")"#), str_("a"));
    assert_eq!(ev(r#"try(var.x, "b")"#), Value::Unknown);
    assert_eq!(ev(r#"try(["a", var.x], "b")"#), Value::Unknown);
    assert_eq!(ev(r#"try()"#), Value::Unknown);
}

#[test]
fn other_functions_are_unknown() {
    assert_eq!(ev(r#"file("x")"#), Value::Unknown);
    assert_eq!(ev(r#"timestamp()"#), Value::Unknown);
    assert_eq!(ev(r#"provider::aws::arn_parse("x")"#), Value::Unknown);
    assert_eq!(ev(r#"can(1)"#), Value::Unknown);
}

#[test]
fn expanded_final_argument() {
    assert_eq!(ev(r#"join("-", ["a"], [["b"]]...)"#), str_("a-b"));
    assert_eq!(
        ev(r#"concat([["a"], ["b"]]...)"#),
        list(vec![str_("a"), str_("b")])
    );
    assert_eq!(ev(r#"concat(var.x...)"#), Value::Unknown);
}

// ---- locals: laziness, cycles, depth ----

#[test]
fn local_cycles_are_unknown() {
    let b = body("locals {\n  a = local.b\n  b = local.c\n  c = local.a\n  d = \"${local.a}x\"\n  e = 1\n  self = local.self\n}\n");
    let s = scope(&b);
    assert_eq!(s.local("a").value, Value::Unknown);
    assert_eq!(s.local("b").value, Value::Unknown);
    assert_eq!(s.local("c").value, Value::Unknown);
    assert_eq!(s.local("d").value, Value::Unknown);
    assert_eq!(s.local("e").value, num(1.0));
    assert_eq!(s.local("self").value, Value::Unknown);
}

#[test]
fn cycle_through_untaken_branch_is_still_a_cycle() {
    // Terraform rejects cycles whatever branch is taken.
    let b = body("locals {\n  a = true ? 1 : local.b\n  b = local.a\n}\n");
    let s = scope(&b);
    assert_eq!(s.local("a").value, Value::Unknown);
    assert_eq!(s.local("b").value, Value::Unknown);
}

#[test]
fn long_local_chain_resolves_without_overflow() {
    let n = 10_000;
    let mut src = String::from("locals {\n");
    for i in 0..n {
        src.push_str(&format!("  a{i} = local.a{}\n", i + 1));
    }
    src.push_str(&format!("  a{n} = \"end\"\n}}\n"));
    let b = body(&src);
    let s = scope(&b);
    let r = s.local("a0");
    assert_eq!(r.value, str_("end"));
    assert_eq!(
        r.origin.unwrap().kind,
        OriginKind::Local {
            name: format!("a{n}")
        }
    );
    assert!(r.via.len() <= MAX_VIA);
    assert_eq!(r.via[0], "local.a1");
}

#[test]
fn long_local_cycle_is_unknown_without_overflow() {
    let n = 10_000;
    let mut src = String::from("locals {\n");
    for i in 0..n {
        src.push_str(&format!("  a{i} = local.a{}\n", (i + 1) % n));
    }
    src.push_str("}\n");
    let b = body(&src);
    let s = scope(&b);
    assert_eq!(s.local("a0").value, Value::Unknown);
    assert_eq!(s.local("a5000").value, Value::Unknown);
}

#[test]
fn deeply_nesting_values_through_locals_are_bounded() {
    let n = 2_000;
    let mut src = String::from("locals {\n");
    for i in 0..n {
        src.push_str(&format!("  a{i} = [local.a{}]\n", i + 1));
    }
    src.push_str(&format!("  a{n} = 1\n}}\n"));
    let b = body(&src);
    let s = scope(&b);
    // Too deep to keep: unknown somewhere inside, but no overflow.
    let v = s.local("a0").value;
    assert!(!v.is_wholly_known());
    assert_eq!(s.local(&format!("a{}", n - 1)).value, list(vec![num(1.0)]));
}

#[test]
fn deeply_nested_expression_is_bounded() {
    // The parser refuses such nesting; a model could still build it.
    let mut e = Expression::from(1);
    for _ in 0..500 {
        let mut a = hcl_edit::expr::Array::new();
        a.push(e);
        e = Expression::Array(a);
    }
    let b = body("");
    let s = scope(&b);
    let v = s.eval(F, &Ast::from(&e)).value;
    assert!(!v.is_wholly_known());
}

#[test]
fn locals_are_memoised_and_redeclaring_resets() {
    let b = body("locals { a = 1 }\n");
    let b2 = body("locals { a = 2 }\n");
    let mut s = scope(&b);
    assert_eq!(s.local("a").value, num(1.0));
    assert_eq!(s.local("a").value, num(1.0));
    let e = b2.blocks().next().unwrap().body.get_attribute("a").unwrap();
    s.declare_local("a", F, leak(&e.value));
    assert_eq!(s.local("a").value, num(2.0));
}

// ---- variables: defaults, types, precedence ----

#[test]
fn defaults_cannot_use_references_or_functions() {
    let b = body(
        "variable \"a\" { default = lower(\"X\") }\nvariable \"b\" { default = var.a }\nvariable \"c\" { default = [1, \"x\"] }\n",
    );
    let s = scope(&b);
    assert_eq!(s.variable("a").value, Value::Unknown);
    assert_eq!(s.variable("b").value, Value::Unknown);
    assert_eq!(s.variable("c").value, list(vec![num(1.0), str_("x")]));
}

#[test]
fn values_are_converted_to_declared_types() {
    let b = body(
        r#"
variable "s" {
  type    = string
  default = 5
}
variable "n" {
  type    = number
  default = "7"
}
variable "bad" {
  type    = number
  default = "x"
}
variable "l" {
  type    = list(string)
  default = [1, true]
}
variable "set" {
  type    = set(string)
  default = ["b", "a", "b"]
}
variable "m" {
  type    = map(any)
  default = { a = 1, b = "x" }
}
variable "o" {
  type = object({
    region = string
    zone   = optional(string, "a")
    extra  = optional(number)
  })
  default = { region = "eu-west-1", dropped = 1 }
}
variable "missing" {
  type    = object({ region = string })
  default = {}
}
variable "t" {
  type    = tuple([string, number])
  default = [1, "2"]
}
"#,
    );
    let s = scope(&b);
    assert_eq!(s.variable("s").value, str_("5"));
    assert_eq!(s.variable("n").value, num(7.0));
    assert_eq!(s.variable("bad").value, Value::Unknown);
    assert_eq!(s.variable("l").value, list(vec![str_("1"), str_("true")]));
    assert_eq!(s.variable("set").value, list(vec![str_("a"), str_("b")]));
    assert_eq!(
        s.variable("m").value,
        map(&[("a", str_("1")), ("b", str_("x"))])
    );
    assert_eq!(
        s.variable("o").value,
        map(&[
            ("extra", Value::Null),
            ("region", str_("eu-west-1")),
            ("zone", str_("a"))
        ])
    );
    assert_eq!(s.variable("missing").value, Value::Unknown);
    assert_eq!(s.variable("t").value, list(vec![str_("1"), num(2.0)]));
}

#[test]
fn cli_values_follow_the_parsing_mode() {
    let b = body(
        r#"
variable "plain" {}
variable "s" { type = string }
variable "n" { type = number }
variable "l" { type = list(string) }
variable "a" { type = any }
variable "m" { type = map(string) }
"#,
    );
    let mut s = scope(&b);
    assert_eq!(s.parsing_mode("plain"), ParsingMode::Literal);
    assert_eq!(s.parsing_mode("s"), ParsingMode::Literal);
    assert_eq!(s.parsing_mode("n"), ParsingMode::Literal);
    assert_eq!(s.parsing_mode("l"), ParsingMode::Expression);
    assert_eq!(s.parsing_mode("a"), ParsingMode::Expression);
    assert_eq!(s.parsing_mode("undeclared"), ParsingMode::Literal);
    let cli = |name: &str| OriginKind::CliVar { name: name.into() };
    s.set_variable_string("plain", "[\"x\"]", cli("plain"));
    s.set_variable_string("s", "eu-west-1", cli("s"));
    s.set_variable_string("n", "5", cli("n"));
    s.set_variable_string("l", "[\"a\", 1]", cli("l"));
    s.set_variable_string("a", "true", cli("a"));
    s.set_variable_string("m", "{ a = var.x }", cli("m"));
    assert_eq!(s.variable("plain").value, str_("[\"x\"]"));
    let r = s.variable("s");
    assert_eq!(r.value, str_("eu-west-1"));
    assert_eq!(r.origin, Some(Origin::new(None, cli("s"))));
    assert_eq!(s.variable("n").value, num(5.0));
    let r = s.variable("l");
    assert_eq!(r.value, list(vec![str_("a"), str_("1")]));
    assert_eq!(r.origin, Some(Origin::new(None, cli("l"))));
    assert_eq!(r.index(1).unwrap().origin.unwrap().span, None);
    assert_eq!(s.variable("a").value, Value::Bool(true));
    // References are not allowed on the command line.
    assert_eq!(s.variable("m").value, Value::Unknown);
}

#[test]
fn later_values_override_earlier_ones() {
    let b = body("variable \"region\" { default = \"d\" }\n");
    let mut s = scope(&b);
    assert_eq!(s.variable("region").value, str_("d"));
    s.set_variable_string(
        "region",
        "env",
        OriginKind::EnvVar {
            name: "region".into(),
        },
    );
    assert_eq!(s.variable("region").value, str_("env"));
    let tv = parse_tfvars(TFVARS, "region = \"file\"").unwrap();
    s.set_variable("region", tv.values[0].1.clone());
    assert_eq!(s.variable("region").value, str_("file"));
    s.set_variable_string(
        "region",
        "cli",
        OriginKind::CliVar {
            name: "region".into(),
        },
    );
    assert_eq!(s.variable("region").value, str_("cli"));
    // Local values see the change.
    let b2 = body("locals { r = var.region }\n");
    let attr = b2.blocks().next().unwrap().body.get_attribute("r").unwrap();
    s.declare_local("r", F, leak(&attr.value));
    assert_eq!(s.local("r").value, str_("cli"));
    s.set_variable_string(
        "region",
        "cli2",
        OriginKind::CliVar {
            name: "region".into(),
        },
    );
    assert_eq!(s.local("r").value, str_("cli2"));
}

#[test]
fn caller_values() {
    let parent_src = "module \"child\" {\n  region = \"eu-north-1\"\n}\n";
    let pb = body(parent_src);
    let parent = scope(&pb);
    let m = pb.blocks().next().unwrap();
    let arg = m.body.get_attribute("region").unwrap();
    let passed = parent.eval(F, &Ast::from(&arg.value));

    let cb = body("variable \"region\" {}\n");
    let mut child = scope(&cb);
    child.set_variable("region", Resolved::from_caller("child", "region", passed));
    let r = child.variable("region");
    assert_eq!(r.value, str_("eu-north-1"));
    let o = r.origin.unwrap();
    assert_eq!(
        o.kind,
        OriginKind::Caller {
            module_call: "child".into(),
            name: "region".into()
        }
    );
    assert_eq!(&parent_src[o.span.unwrap().range], "\"eu-north-1\"");
}

#[test]
fn caller_values_from_parent_variables_keep_their_origin() {
    let parent_src =
        "variable \"r\" { default = \"x\" }\nmodule \"child\" {\n  region = var.r\n}\n";
    let pb = body(parent_src);
    let parent = scope(&pb);
    let m = pb
        .blocks()
        .find(|b| b.ident.value().as_str() == "module")
        .unwrap();
    let passed = parent.eval(
        F,
        &Ast::from(&m.body.get_attribute("region").unwrap().value),
    );
    let r = Resolved::from_caller("child", "region", passed);
    assert!(matches!(
        r.origin.unwrap().kind,
        OriginKind::VariableDefault { .. }
    ));
}

// ---- tfvars ----

#[test]
fn tfvars_values_and_origins() {
    let src = "region = \"eu-west-1\"\ncount_ = 3\nlist = [\"a\", \"b\"]\nm = { x = 1 }\ncalc = 1 + 2\nt = \"${1 + 1}x\"\nf = [for s in [\"a\"] : s]\n";
    let tv = parse_tfvars(TFVARS, src).unwrap();
    assert!(tv.errors.is_empty(), "{:?}", tv.errors);
    let get = |n: &str| tv.values.iter().find(|(k, _)| k == n).unwrap().1.clone();
    assert_eq!(get("region").value, str_("eu-west-1"));
    assert_eq!(get("count_").value, num(3.0));
    assert_eq!(get("list").value, list(vec![str_("a"), str_("b")]));
    assert_eq!(get("m").value, map(&[("x", num(1.0))]));
    assert_eq!(get("calc").value, num(3.0));
    assert_eq!(get("t").value, str_("2x"));
    assert_eq!(get("f").value, list(vec![str_("a")]));
    let names: Vec<&str> = tv.values.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["region", "count_", "list", "m", "calc", "t", "f"]);
    let o = get("list").index(1).unwrap().origin.unwrap();
    assert_eq!(
        o.kind,
        OriginKind::Tfvars {
            name: "list".into()
        }
    );
    assert_eq!(&src[o.span.unwrap().range], "\"b\"");
}

#[test]
fn tfvars_errors_are_per_entry() {
    let src = "a = var.x\nb = lower(\"X\")\nc = \"ok\"\nvariable \"d\" {}\ng = \"${local.y}\"\n";
    let tv = parse_tfvars(TFVARS, src).unwrap();
    let get = |n: &str| tv.values.iter().find(|(k, _)| k == n).unwrap().1.clone();
    assert_eq!(get("a").value, Value::Unknown);
    assert_eq!(get("b").value, Value::Unknown);
    assert_eq!(get("c").value, str_("ok"));
    assert_eq!(get("g").value, Value::Unknown);
    // An erroneous entry still records where it was assigned.
    assert!(matches!(
        get("a").origin.unwrap().kind,
        OriginKind::Tfvars { .. }
    ));
    let msgs: Vec<&str> = tv.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    assert!(msgs[0].starts_with("variables not allowed"));
    assert_eq!(&src[tv.errors[0].span.range.clone()], "var");
    assert!(msgs[1].starts_with("function calls not allowed"));
    assert_eq!(&src[tv.errors[1].span.range.clone()], "lower(\"X\")");
    assert!(msgs[2].starts_with("variable declaration in .tfvars file"));
    assert!(msgs[3].starts_with("variables not allowed"));
    // Repeated names are a parse error, as in Terraform.
    assert!(parse_tfvars(TFVARS, "e = 1\ne = 2\n").is_err());
    for m in msgs {
        assert!(m.chars().next().unwrap().is_lowercase());
        assert!(!m.ends_with('.'));
    }
}

#[test]
fn tfvars_parse_error_is_an_error_with_offset() {
    let err = parse_tfvars(TFVARS, "a = \"x\"\nb = [1,\n").unwrap_err();
    assert!(err.message.starts_with("invalid variables file"));
    assert_eq!(err.span.file, TFVARS);
    assert!(err.span.range.start >= 8);
}

#[test]
fn tfvars_json() {
    let src = r#"{
  "region": "eu-west-1",
  "n": 3,
  "flag": true,
  "nothing": null,
  "list": ["a", 1.5],
  "m": {"x": {"y": "z"}},
  "tmpl": "${var.x}",
  "//": "a comment"
}"#;
    let tv = parse_tfvars_json(TFVARS, src).unwrap();
    assert!(tv.errors.is_empty());
    let get = |n: &str| tv.values.iter().find(|(k, _)| k == n).unwrap().1.clone();
    assert_eq!(get("region").value, str_("eu-west-1"));
    assert_eq!(get("n").value, num(3.0));
    assert_eq!(get("flag").value, Value::Bool(true));
    assert_eq!(get("nothing").value, Value::Null);
    assert_eq!(get("list").value, list(vec![str_("a"), num(1.5)]));
    assert_eq!(get("m").value, map(&[("x", map(&[("y", str_("z"))]))]));
    // Strings in variables files are not templates.
    assert_eq!(get("tmpl").value, str_("${var.x}"));
    assert!(tv.values.iter().all(|(k, _)| k != "//"));
    let o = get("region").origin.unwrap();
    assert_eq!(
        o.kind,
        OriginKind::Tfvars {
            name: "region".into()
        }
    );
    assert_eq!(&src[o.span.unwrap().range], "\"eu-west-1\"");
    let y = get("m").get("x").unwrap().get("y").unwrap();
    assert_eq!(&src[y.origin.unwrap().span.unwrap().range], "\"z\"");
}

#[test]
fn tfvars_json_errors() {
    assert!(parse_tfvars_json(TFVARS, "[1]").is_err());
    assert!(parse_tfvars_json(TFVARS, "{\"a\": }").is_err());
    assert!(parse_tfvars_json(TFVARS, "{\"a\": 1} x").is_err());
    assert!(parse_tfvars_json(TFVARS, "{\"a\": 01}").is_err());
    assert!(parse_tfvars_json(TFVARS, "{\"a\": \"\\q\"}").is_err());
    assert!(parse_tfvars_json(TFVARS, "{\"a\": tru}").is_err());
    assert!(parse_tfvars_json(TFVARS, "{\"a\": \"x").is_err());
    assert!(parse_tfvars_json(TFVARS, "").is_err());
    let deep = format!("{{\"a\": {}1{}}}", "[".repeat(500), "]".repeat(500));
    assert!(parse_tfvars_json(TFVARS, &deep).is_err());
    let tv =
        parse_tfvars_json(TFVARS, "{\"a\": 1, \"a\": 2, \"b\": {\"k\": 1, \"k\": 2}}").unwrap();
    assert_eq!(tv.errors.len(), 2);
    assert!(tv.values.iter().all(|(_, r)| r.value == Value::Unknown));
    assert_eq!(parse_tfvars_json(TFVARS, "{}").unwrap(), Tfvars::default());
    assert_eq!(
        parse_tfvars_json(TFVARS, "{\"u\": \"\\u00e9\\n\"}")
            .unwrap()
            .values[0]
            .1
            .value,
        str_("é\n")
    );
}

#[test]
fn no_panics_on_odd_input() {
    for text in [
        "",
        "{",
        "}",
        "\"",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1,",
        "{\"a\":-}",
        "{\"a\":1e}",
        "{\"\\",
        "\u{0}",
        "{\"a\":\"\\ud800\"}",
        "{\"é\": \"ü\"}",
    ] {
        let _ = parse_tfvars_json(TFVARS, text);
        let _ = parse_tfvars(TFVARS, text);
    }
    for e in [
        "format(\"%\")",
        "element([1], 1e300)",
        "join()",
        "lookup()",
        "merge(1)",
        "[for k, v in \"s\" : v]",
        "1 + true",
        "-null",
        "!null",
        "null.a",
        "null[0]",
        "{a=1}[null]",
        "[1][null]",
        "element([1], 9007199254740992)",
    ] {
        let _ = ev(e);
    }
}

// ---- files and options ----

#[test]
fn variable_file_order() {
    let listing: Vec<String> = [
        "main.tf",
        "z.auto.tfvars",
        "b.auto.tfvars.json",
        "terraform.tfvars.json",
        "a.auto.tfvars",
        "B.auto.tfvars",
        "terraform.tfvars",
        "prod.tfvars",
        "a.auto.tfvars.bak",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        variable_files(&listing),
        [
            "terraform.tfvars",
            "terraform.tfvars.json",
            "B.auto.tfvars",
            "a.auto.tfvars",
            "b.auto.tfvars.json",
            "z.auto.tfvars",
        ]
    );
    assert!(variable_files(&[]).is_empty());
}

#[test]
fn cli_var_parsing() {
    assert_eq!(
        parse_cli_var("region=eu-west-1").unwrap(),
        ("region".to_string(), "eu-west-1".to_string())
    );
    assert_eq!(
        parse_cli_var("a=b=c").unwrap(),
        ("a".to_string(), "b=c".to_string())
    );
    assert_eq!(
        parse_cli_var("a=").unwrap(),
        ("a".to_string(), String::new())
    );
    let e = parse_cli_var("region").unwrap_err();
    assert!(e.message.starts_with("invalid -var option"));
    let e = parse_cli_var("region =x").unwrap_err();
    assert!(e.message.contains("trailing space"));
}

#[test]
fn display_of_values() {
    assert_eq!(
        ev(r#"{ a = [1, "x", null, true] }"#).to_string(),
        r#"{"a" = [1, "x", null, true]}"#
    );
    assert_eq!(Value::Unknown.to_string(), "(unknown)");
}

#[test]
fn undecidable_conditionals_keep_what_they_could_be() {
    let b = body(
        r#"
variable "dr" {}
variable "k" {}
variable "region" {
  default = "eu-west-1"
}
locals {
  fallback = var.dr ? "us-east-1" : var.region
  nested   = var.k ? local.fallback : "ap-south-1"
  cfg      = var.dr ? { region = "us-west-2" } : { region = "eu-central-1" }
  opaque   = var.dr ? data.x.region : "eu-north-1"
}
"#,
    );
    let s = scope(&b);
    let alts = |expr: &str| -> Vec<Value> {
        let r = eval_in(&s, expr);
        assert_eq!(r.value, Value::Unknown, "{expr}");
        r.alternatives().into_iter().map(|a| a.value).collect()
    };
    assert_eq!(
        alts("local.fallback"),
        [str_("us-east-1"), str_("eu-west-1")]
    );
    // Through another conditional and references, without repeats.
    assert_eq!(
        alts("local.nested"),
        [str_("us-east-1"), str_("eu-west-1"), str_("ap-south-1")]
    );
    // Through the rest of a traversal.
    assert_eq!(
        alts("local.cfg.region"),
        [str_("us-west-2"), str_("eu-central-1")]
    );
    // A branch that cannot be known adds nothing.
    assert_eq!(alts("local.opaque"), [str_("eu-north-1")]);
    // Each keeps where it was written.
    let r = eval_in(&s, "local.fallback");
    let kinds: Vec<OriginKind> = r
        .alternatives()
        .into_iter()
        .map(|a| a.origin.unwrap().kind)
        .collect();
    assert_eq!(
        kinds,
        [
            OriginKind::Local {
                name: "fallback".into()
            },
            OriginKind::VariableDefault {
                name: "region".into()
            }
        ]
    );
    // A decided conditional has no alternatives; an operation on an
    // undecided one drops them.
    assert!(eval_in(&s, "true ? \"a\" : \"b\"")
        .alternatives()
        .is_empty());
    assert!(eval_in(&s, "upper(local.fallback)")
        .alternatives()
        .is_empty());
}
