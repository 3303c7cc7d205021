//! `--format junit`: JUnit XML, which CI systems render as test results.
//!
//! One `<testsuite>` per module checked, one `<testcase>` per rule that ran
//! on it (`classname` the module, `name` the rule id). A rule that found
//! nothing passes; one that found something fails with one `<failure>` per
//! finding. The test case list is the same whatever is found, so dashboards
//! can track a rule on a module from run to run.

use super::{location, message_with_help, module_of, xml};
use crate::engine::Report;
use crate::finding::Finding;
use std::collections::BTreeMap;

/// Renders the report as one JUnit XML document.
pub fn render(report: &Report) -> String {
    let sources = &report.workspace.sources;
    // module -> rule -> findings; every module checked and every rule that
    // ran is present, and so is anything a finding names besides.
    let mut suites: BTreeMap<&str, BTreeMap<&str, Vec<&Finding>>> = BTreeMap::new();
    for m in &report.modules_checked {
        let cases = suites.entry(m.as_str()).or_default();
        for r in &report.rules {
            cases.entry(r.id).or_default();
        }
    }
    for f in &report.findings {
        let cases = suites
            .entry(module_of(f))
            .or_insert_with(|| report.rules.iter().map(|r| (r.id, Vec::new())).collect());
        cases.entry(f.rule).or_default().push(f);
    }

    let tests: usize = suites.values().map(BTreeMap::len).sum();
    let failures =
        |cases: &BTreeMap<&str, Vec<&Finding>>| cases.values().filter(|fs| !fs.is_empty()).count();
    let failed: usize = suites.values().map(failures).sum();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"tfpin\" tests=\"{tests}\" failures=\"{failed}\" errors=\"0\">\n"
    ));
    for (module, cases) in &suites {
        let module = xml::attr(module);
        out.push_str(&format!(
            "  <testsuite name=\"{module}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            cases.len(),
            failures(cases)
        ));
        for (rule, findings) in cases {
            let rule = xml::attr(rule);
            if findings.is_empty() {
                out.push_str(&format!(
                    "    <testcase classname=\"{module}\" name=\"{rule}\"/>\n"
                ));
                continue;
            }
            out.push_str(&format!(
                "    <testcase classname=\"{module}\" name=\"{rule}\">\n"
            ));
            for f in findings {
                let loc = location(f, sources);
                let body = format!(
                    "{}:{}:{}: {}",
                    sources.get(f.span.file).display,
                    loc.line,
                    loc.column,
                    message_with_help(f)
                );
                out.push_str(&format!(
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                    xml::attr(&f.message),
                    f.severity,
                    xml::text(&body)
                ));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
