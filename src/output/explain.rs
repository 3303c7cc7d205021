//! `tfpin explain`: a rule's Markdown documentation rendered for a terminal.

/// Renders a rule doc: headings stand out (bold when `color`), code blocks
/// are indented without their fences, and the test markers the examples
/// carry (`# expect: ...`, `expect=` tags) are left out.
pub fn render(doc: &str, color: bool) -> String {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        if let Some(tag) = line.strip_prefix("```") {
            if in_code {
                in_code = false;
            } else {
                in_code = true;
                if let Some(file) = tag.split_whitespace().find_map(|w| w.strip_prefix("file=")) {
                    out.push_str(&format!("    # {file}\n"));
                }
            }
            continue;
        }
        if in_code {
            let shown = strip_marker(line);
            if shown.trim().is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("    {shown}\n"));
            }
        } else if let Some(title) = line.strip_prefix("# ") {
            out.push_str(&format!("{}\n", bold(title)));
        } else if let Some(section) = line.strip_prefix("## ") {
            out.push_str(&format!("{}\n", bold(section)));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A code line without its `# expect:` / `// expect:` test marker.
fn strip_marker(line: &str) -> &str {
    for marker in [" # expect:", " // expect:"] {
        if let Some(i) = line.find(marker) {
            return line[..i].trim_end();
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_without_fences_or_markers() {
        let doc = "# a-rule\n\nText.\n\n## Bad\n\n```hcl file=main.tf expect=a-rule@1\nx = 1 # expect: a-rule\n```\n";
        let out = render(doc, false);
        assert_eq!(out, "a-rule\n\nText.\n\nBad\n\n    # main.tf\n    x = 1\n");
        assert!(render(doc, true).contains("\x1b[1ma-rule\x1b[0m"));
    }
}
