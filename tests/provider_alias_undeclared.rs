//! An alias a child module uses without declaring it, passed by every call
//! of the module: one warning per module and alias, at the first reference,
//! marking the other references and every call's entry.

mod common;
use common::write;

const CHILD: &str = r#"resource "aws_sns_topic" "a" {
  provider = aws.master
}

resource "aws_sns_topic" "b" {
  provider = aws.master
}

module "grandchild" {
  source    = "../grandchild"
  providers = { aws = aws.master }
}
"#;

fn call(name: &str, pass: bool) -> String {
    let map = if pass {
        "\n  providers = { aws.master = aws.us }"
    } else {
        ""
    };
    format!("module \"{name}\" {{\n  source = \"./child\"{map}\n}}\n")
}

fn tree(calls: &str) -> tfpin::Report {
    let d = tempfile::tempdir().unwrap();
    let main =
        format!("provider \"aws\" {{\n  alias  = \"us\"\n  region = \"us-east-1\"\n}}\n{calls}");
    write(
        d.path(),
        &[
            ("main.tf", main.as_str()),
            ("child/main.tf", CHILD),
            (
                "grandchild/main.tf",
                "resource \"aws_sqs_queue\" \"q\" {}\n",
            ),
        ],
    );
    common::check(d.path())
}

fn of_rule<'r>(r: &'r tfpin::Report, rule: &str) -> Vec<&'r tfpin::finding::Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn one_finding_for_the_module_marks_every_reference_and_call() {
    let r = tree(&format!("{}{}", call("one", true), call("two", true)));
    let undeclared = of_rule(&r, "provider-alias-undeclared");
    assert_eq!(undeclared.len(), 1, "{undeclared:?}");
    let f = undeclared[0];
    assert_eq!(f.severity, tfpin::finding::Severity::Warning);
    assert_eq!(
        f.message,
        "resource \"aws_sns_topic\" \"a\" refers to provider configuration aws.master, which its \
         callers pass in but this module does not declare (3 references)"
    );
    let labels: Vec<&str> = f.labels.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(
        labels,
        [
            "resource \"aws_sns_topic\" \"b\" refers to it too",
            "module \"grandchild\" providers refers to it too",
            "module \"one\" in `.` passes it",
            "module \"two\" in `.` passes it",
        ]
    );
    assert!(
        f.help
            .as_deref()
            .unwrap_or_default()
            .starts_with("declare it in this module's required_providers"),
        "{:?}",
        f.help
    );
    assert!(of_rule(&r, "provider-alias-undefined").is_empty());
    assert!(of_rule(&r, "module-providers-mismatch").is_empty());
}

/// One call that does not pass it is enough for Terraform to fail: every
/// reference is an error again.
#[test]
fn a_call_that_does_not_pass_it_makes_it_undefined() {
    let r = tree(&format!("{}{}", call("one", true), call("two", false)));
    assert!(of_rule(&r, "provider-alias-undeclared").is_empty());
    assert_eq!(of_rule(&r, "provider-alias-undefined").len(), 3);
}
