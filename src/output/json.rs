//! `--format json`: the stable, versioned machine contract.

use super::location;
use crate::engine::Report;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One finding as the report shows it. [`write_finding`] writes it; the
/// tests hold that writer to what serde_json makes of this struct.
#[cfg_attr(test, derive(Serialize))]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: crate::finding::Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    module: &'a str,
    help: Option<&'a str>,
    fingerprint: &'a str,
    labels: Vec<JsonLabel<'a>>,
    fix: Option<JsonFix<'a>>,
}

/// A finding's fix (see [`crate::fix`]).
#[cfg_attr(test, derive(Serialize))]
struct JsonFix<'a> {
    safety: &'static str,
    description: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// One replacement: the text from (line, column) up to, not including,
/// (end_line, end_column) becomes `content`. Columns count characters.
#[cfg_attr(test, derive(Serialize))]
struct JsonEdit<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: &'a str,
}

#[cfg_attr(test, derive(Serialize))]
struct JsonLabel<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
}

/// A root tree and the engines it was checked for.
#[derive(serde::Serialize)]
struct JsonRoot<'a> {
    module: &'a str,
    engines: Vec<&'static str>,
    /// Why, when tfpin decided from the tree that it is not Terraform's
    /// alone.
    engine_reason: Option<&'a str>,
    /// What the root is for, and why.
    role: crate::model::Role,
    role_reason: &'a str,
}

/// Renders the report as one JSON document followed by a newline.
pub fn render(report: &Report) -> String {
    super::render_json(report, write)
}

/// Writes the report as one JSON document followed by a newline, as it is
/// serialised: a large report is never held in memory whole. Findings are
/// serialised in parallel a chunk at a time and written in order, so at
/// most one chunk's bytes are held at once.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    const CHUNK: usize = 512;
    let sources = &report.workspace.sources;
    let tool = Tool {
        name: "tfpin",
        version: env!("CARGO_PKG_VERSION"),
    };
    out.write_all(b"{\"tool\":")?;
    serde_json::to_writer(&mut *out, &tool)?;
    out.write_all(b",\"findings\":[")?;
    for (i, chunk) in report.findings.chunks(CHUNK).enumerate() {
        let parts: Vec<Vec<u8>> = chunk
            .par_iter()
            .map(|f| {
                let mut buf = Vec::with_capacity(768);
                write_finding(&mut buf, &json_finding(f, sources));
                buf
            })
            .collect();
        for (j, part) in parts.iter().enumerate() {
            if i + j > 0 {
                out.write_all(b",")?;
            }
            out.write_all(part)?;
        }
    }
    out.write_all(b"],\"summary\":")?;
    serde_json::to_writer(&mut *out, &report.summary())?;
    out.write_all(b",\"roots\":")?;
    let roots: Vec<JsonRoot<'_>> = (report.roots.iter())
        .map(|r| JsonRoot {
            module: &r.module,
            engines: r.engines.ids(),
            engine_reason: r.reason.as_deref(),
            role: r.role,
            role_reason: &r.role_reason,
        })
        .collect();
    serde_json::to_writer(&mut *out, &roots)?;
    out.write_all(b"}\n")
}

/// Writes one finding exactly as `serde_json::to_vec` writes a
/// [`JsonFinding`]. Findings are most of a large report, and most of their
/// text needs no escaping: runs without a quote or backslash are found with
/// a vectorised search instead of serde_json's byte-by-byte escape.
fn write_finding(out: &mut Vec<u8>, f: &JsonFinding<'_>) {
    let mut o = Object::open(out);
    o.str("rule", f.rule);
    o.str("severity", f.severity.as_str());
    o.str("message", f.message);
    o.str("file", f.file);
    o.uint("line", f.line);
    o.uint("column", f.column);
    o.uint("end_line", f.end_line);
    o.uint("end_column", f.end_column);
    o.str("module", f.module);
    match f.help {
        Some(h) => o.str("help", h),
        None => o.key("help").extend_from_slice(b"null"),
    }
    o.str("fingerprint", f.fingerprint);
    o.key("labels").push(b'[');
    for (i, l) in f.labels.iter().enumerate() {
        if i > 0 {
            o.out.push(b',');
        }
        let mut label = Object::open(o.out);
        label.str("message", l.message);
        label.str("file", l.file);
        label.uint("line", l.line);
        label.uint("column", l.column);
        label.close();
    }
    o.out.push(b']');
    match &f.fix {
        None => {
            o.key("fix").extend_from_slice(b"null");
        }
        Some(fix) => {
            let mut x = Object::open(o.key("fix"));
            x.str("safety", fix.safety);
            x.str("description", fix.description);
            x.key("edits").push(b'[');
            for (i, e) in fix.edits.iter().enumerate() {
                if i > 0 {
                    x.out.push(b',');
                }
                let mut edit = Object::open(x.out);
                edit.str("file", e.file);
                edit.uint("line", e.line);
                edit.uint("column", e.column);
                edit.uint("end_line", e.end_line);
                edit.uint("end_column", e.end_column);
                edit.str("content", e.content);
                edit.close();
            }
            x.out.push(b']');
            x.close();
        }
    }
    o.close();
}

/// A JSON object being written member by member, in the order given. Keys
/// are this file's own field names, which need no escaping.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>) -> Object<'o> {
        out.push(b'{');
        Object { out, first: true }
    }

    /// Writes `"key":` (after a comma unless it is the first member) and
    /// returns the output for the value.
    fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    fn str(&mut self, key: &str, value: &str) {
        write_str(self.key(key), value);
    }

    fn uint(&mut self, key: &str, value: usize) {
        write_uint(self.key(key), value);
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// A JSON string, escaped as serde_json escapes it: `"` and `\`, the
/// short escapes for backspace, form feed, newline, carriage return and
/// tab, `\u00xx` for other control characters, and nothing else.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.push(b'"');
    // Without early exit, so that it vectorises: most strings have no
    // control character, and then only quotes and backslashes need looking
    // for.
    let controls = bytes.iter().fold(false, |any, &b| any | (b < 0x20));
    if !controls {
        let mut start = 0;
        for i in memchr::memchr2_iter(b'"', b'\\', bytes) {
            out.extend_from_slice(&bytes[start..i]);
            out.push(b'\\');
            out.push(bytes[i]);
            start = i + 1;
        }
        out.extend_from_slice(&bytes[start..]);
    } else {
        for &b in bytes {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                0x00..=0x1f => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 0xf)]);
                }
                _ => out.push(b),
            }
        }
    }
    out.push(b'"');
}

fn write_uint(out: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn json_finding<'a>(
    f: &'a crate::finding::Finding,
    sources: &'a crate::source::SourceMap,
) -> JsonFinding<'a> {
    let loc = location(f, sources);
    JsonFinding {
        rule: f.rule,
        severity: f.severity,
        message: &f.message,
        file: &sources.get(f.span.file).display,
        line: loc.line,
        column: loc.column,
        end_line: loc.end_line,
        end_column: loc.end_column,
        module: &f.module,
        help: f.help.as_deref(),
        fingerprint: &f.fingerprint,
        labels: f
            .labels
            .iter()
            .map(|l| {
                let file = sources.get(l.span.file);
                let lc = file.line_col(l.span.range.start);
                JsonLabel {
                    message: &l.message,
                    file: &file.display,
                    line: lc.line,
                    column: lc.column,
                }
            })
            .collect(),
        fix: f.fix.as_ref().map(|fix| JsonFix {
            safety: fix.safety.as_str(),
            description: &fix.description,
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let file = sources.get(e.span.file);
                    let (start, end) = (
                        file.line_col(e.span.range.start),
                        file.line_col(e.span.range.end),
                    );
                    JsonEdit {
                        file: &file.display,
                        line: start.line,
                        column: start.column,
                        end_line: end.line,
                        end_column: end.column,
                        content: &e.content,
                    }
                })
                .collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn finding<'a>(text: &'a str, help: Option<&'a str>, labels: usize) -> JsonFinding<'a> {
        JsonFinding {
            rule: "provider-unused",
            severity: Severity::Warning,
            message: text,
            file: text,
            line: 1,
            column: 1234567890,
            end_line: 0,
            end_column: usize::MAX,
            module: text,
            help,
            fingerprint: "0123456789abcdef",
            labels: (0..labels)
                .map(|i| JsonLabel {
                    message: text,
                    file: "a/b.tf",
                    line: i,
                    column: 10 * i,
                })
                .collect(),
            fix: (labels > 0).then(|| JsonFix {
                safety: "safe",
                description: text,
                edits: (0..labels)
                    .map(|i| JsonEdit {
                        file: text,
                        line: i,
                        column: i + 1,
                        end_line: i,
                        end_column: usize::MAX,
                        content: text,
                    })
                    .collect(),
            }),
        }
    }

    fn same_as_serde(f: &JsonFinding<'_>) -> Result<(), String> {
        let mut ours = Vec::new();
        write_finding(&mut ours, f);
        let theirs = serde_json::to_vec(f).map_err(|e| e.to_string())?;
        if ours == theirs {
            Ok(())
        } else {
            Err(format!(
                "{}\n{}",
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            ))
        }
    }

    #[test]
    fn findings_are_written_as_serde_json_writes_them() {
        for text in [
            "",
            "plain",
            "provider \"aws\" is required",
            "a\\b \\\" end\\",
            "tab\there, line\nbreak, cr\r, bell\u{7}, nul\u{0}, esc\u{1b}, bs\u{8}, ff\u{c}, us\u{1f}",
            "del\u{7f} é ü 🌍 \u{2028}",
            "\"",
        ] {
            for help in [None, Some(text), Some("add a `version`")] {
                for labels in [0, 1, 3] {
                    same_as_serde(&finding(text, help, labels)).unwrap();
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_written_as_serde_json_writes_it(text in "\\PC*|[\\x00-\\x7f]*") {
            let r = same_as_serde(&finding(&text, Some(&text), 2));
            proptest::prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
    }
}
