//! Odd and hostile input: nothing may panic, overflow the stack or take
//! more than linear time, and failures must say what and where.

use tfpin::parse::{parse_body, FailureKind, ParseFailure, MAX_FILE_BYTES, MAX_OBJECT_ITEMS};

fn fail(text: &str) -> ParseFailure {
    match parse_body(text) {
        Ok(_) => panic!("expected a failure for {:?}", &text[..text.len().min(80)]),
        Err(f) => f,
    }
}

fn assert_message_style(failure: &ParseFailure, text: &str) {
    let m = &failure.message;
    assert!(!m.is_empty());
    assert!(!m.ends_with('.'), "{m}");
    assert!(!m.contains('\n'), "{m}");
    assert!(
        !m.starts_with(|c: char| c.is_uppercase()),
        "message starts uppercase: {m}"
    );
    assert!(failure.offset <= text.len());
    assert!(text.is_char_boundary(failure.offset));
}

/// Runs `f` on a thread with the default 2 MiB stack of spawned threads.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn empty_and_comment_only_files_are_empty_bodies() {
    for text in [
        "",
        "\n\n",
        "# a\n// b\n/* c\n d */\n",
        "# no final line break",
    ] {
        let parsed = parse_body(text).unwrap();
        assert!(parsed.body.is_empty(), "{text:?}");
        assert!(parsed.repairs.is_empty());
    }
}

#[test]
fn lone_closing_brace() {
    let failure = fail("}\n");
    assert_eq!(failure.offset, 0);
    assert_eq!(failure.message, "unexpected `}`");
    assert_eq!(failure.kind, FailureKind::Syntax);
}

#[test]
fn heredoc_without_end_points_at_its_start() {
    let text = "a = 1\nb = <<EOT\nfoo\nbar\n";
    let failure = fail(text);
    assert_eq!(failure.offset, text.find("<<EOT").unwrap());
    assert_eq!(
        failure.message,
        "heredoc is never closed, expected a line with only `EOT`"
    );
    assert_message_style(&failure, text);
}

#[test]
fn unterminated_string_points_at_its_start() {
    let text = "a = 1\nb = \"foo\nc = 2\n";
    let failure = fail(text);
    assert_eq!(failure.offset, text.find('"').unwrap());
    assert_eq!(
        failure.message,
        "string is not closed on the line it starts on"
    );
}

#[test]
fn messages_are_one_readable_line() {
    let cases = [
        (
            "a = {b = 1 c = 2}\n",
            11,
            "unexpected `c` in object item, expected `}`, `,` or a line break",
        ),
        (
            "a = 1 +\n",
            7,
            "unexpected line break, expected an expression",
        ),
        ("a = @\n", 4, "unexpected `@`, expected an expression"),
        (
            "a = 1 1\n",
            6,
            "unexpected `1`, expected a line break or end of file",
        ),
        (
            "resource \"x\" {\n",
            15,
            "unexpected end of file in block body, expected `}`, a line break or identifier",
        ),
        ("a = [for x in l x]\n", 16, "unexpected `x`, expected `:`"),
    ];
    for (text, offset, message) in cases {
        let failure = fail(text);
        assert_eq!(
            (failure.offset, failure.message.as_str()),
            (offset, message),
            "{text:?}"
        );
        assert_message_style(&failure, text);
    }
}

#[test]
fn nul_and_other_control_characters_fail_cleanly() {
    for text in ["a = 1\n\0", "\0", "a = \"\0\"\n\0", "a\u{1}= 1"] {
        let result = parse_body(text);
        if let Err(failure) = result {
            assert_message_style(&failure, text);
        }
    }
    let failure = fail("\0");
    assert_eq!(failure.message, "unexpected character U+0000");
}

#[test]
fn crlf_spans_and_failures_are_byte_exact() {
    let text = "a = 1\r\nb {\r\n  c = 2\r\n}\r\nd = 3\r\n";
    let parsed = parse_body(text).unwrap();
    use hcl_edit::Span;
    let d = parsed.body.get_attribute("d").unwrap();
    assert_eq!(d.span().unwrap().start, text.find("d =").unwrap());
    let block = parsed.body.blocks().next().unwrap();
    let c = block.body.get_attribute("c").unwrap();
    assert_eq!(c.span().unwrap().start, text.find("c =").unwrap());

    let bad = "a = 1\r\nb = {x = 1 y = 2}\r\n";
    assert_eq!(fail(bad).offset, bad.find("y =").unwrap());
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("a = {}1{}\n", open.repeat(depth), close.repeat(depth))
}

fn deep_inputs(depth: usize) -> Vec<String> {
    vec![
        nested("[", "]", depth),
        nested("(", ")", depth),
        nested("{a = ", "}", depth),
        nested("\"${", "}\"", depth),
        nested("!", "", depth),
        nested("-", "", depth),
        nested("x ? 1 : ", "", depth),
        nested("[for x in l : ", "]", depth),
        format!("{}\n{}", "b {\n".repeat(depth), "}\n".repeat(depth)),
        // Unclosed: only openers.
        "a = ".to_string() + &"[".repeat(depth),
        "a = ".to_string() + &"{ for x in l : x => ".repeat(depth),
    ]
}

#[test]
fn deep_nesting_is_rejected_on_a_small_stack() {
    let results = on_small_stack(|| {
        let mut out = Vec::new();
        for text in deep_inputs(100_000) {
            let result = parse_body(&text).map(|_| ());
            let unclosed = !text.ends_with('\n');
            out.push((text.chars().take(20).collect::<String>(), unclosed, result));
        }
        out
    });
    for (start, unclosed, result) in results {
        let failure = result.expect_err(&start);
        // The unclosed ones fail for being unclosed.
        if unclosed {
            assert_eq!(failure.kind, FailureKind::Syntax, "{start}: {failure:?}");
            assert!(failure.message.ends_with("is never closed"), "{failure:?}");
        } else {
            assert_eq!(
                failure.kind,
                FailureKind::NestingLimit,
                "{start}: {failure:?}"
            );
            assert_eq!(
                failure.message,
                "nested deeper than 64 levels, which tfpin cannot parse"
            );
        }
    }
}

#[test]
fn nesting_at_the_limit_is_accepted() {
    // The attribute value itself does not count; 64 levels inside it do.
    let ok = nested("[", "]", 64);
    assert!(parse_body(&ok).is_ok());
    let too_deep = nested("[", "]", 65);
    let failure = fail(&too_deep);
    assert_eq!(failure.kind, FailureKind::NestingLimit);
    assert!(failure.kind.is_limitation());
    // The failure points into the line, at the level that is too deep.
    assert_eq!(failure.offset, 4 + 65);
}

#[test]
fn long_operator_chains_are_a_limit_not_a_syntax_error() {
    let ok = format!("a = {}1\n", "1 + ".repeat(128));
    assert!(parse_body(&ok).is_ok());
    let text = format!("a = {}1\n", "1 + ".repeat(100_000));
    let failure = on_small_stack(move || parse_body(&text).map(|_| ()).unwrap_err());
    assert_eq!(failure.kind, FailureKind::OperatorLimit);
    assert_eq!(
        failure.message,
        "more than 128 binary operators in one expression, which tfpin cannot parse"
    );
}

#[test]
fn ten_mebibyte_single_line() {
    let mut text = String::with_capacity(MAX_FILE_BYTES);
    text.push_str("a = \"");
    text.push_str(&"x".repeat(MAX_FILE_BYTES - 7));
    text.push_str("\"\n");
    assert_eq!(text.len(), MAX_FILE_BYTES);
    let parsed = on_small_stack(move || parse_body(&text).map(|p| p.body.len()));
    assert_eq!(parsed.unwrap(), 1);

    // A long line, broken: the failure is found, not a hang.
    let mut bad = String::from("a = [");
    bad.push_str(&"1, ".repeat(MAX_FILE_BYTES / 30));
    let failure = on_small_stack(move || parse_body(&bad).map(|_| ()).unwrap_err());
    assert_eq!(failure.kind, FailureKind::Syntax);
}

#[test]
fn many_attributes_parse() {
    let n = 100_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("a{i} = {i}\n"));
    }
    let parsed = parse_body(&text).unwrap();
    assert_eq!(parsed.body.len(), n);
}

#[test]
fn huge_objects_are_a_limit() {
    let object = |n: usize| {
        let mut s = String::from("a = {\n");
        for i in 0..n {
            s.push_str(&format!("  k{i} = {i}\n"));
        }
        s + "}\n"
    };
    // Items spread over several lines, with blank lines and comments, count
    // once each.
    let mut ok = String::from("a = {\n");
    for i in 0..MAX_OBJECT_ITEMS / 2 {
        ok.push_str(&format!("  k{i} = {{\n    x = 1 # c\n\n  }},\n"));
    }
    ok.push_str("}\n");
    assert!(parse_body(&ok).is_ok());
    let text = object(MAX_OBJECT_ITEMS * 20);
    let failure = fail(&text);
    assert_eq!(failure.kind, FailureKind::ObjectLimit);
    assert_eq!(failure.offset, 4);
    assert_eq!(
        failure.message,
        "object has more than 20000 items, which tfpin cannot parse"
    );
    // Long lists and many attributes are fine.
    let list = format!("a = [\n{}]\n", "1,\n".repeat(MAX_OBJECT_ITEMS * 2));
    assert!(parse_body(&list).is_ok());
}

/// The object limit once refused block bodies too, although hcl-edit
/// parses those in linear time: a `locals` block with more than 20,000
/// entries was a parse error.
#[test]
fn block_bodies_are_not_objects() {
    let attrs = |n: usize| -> String { (0..n).map(|i| format!("  k{i} = {i}\n")).collect() };
    for head in ["locals {", "resource \"a\" \"b\" /* c */ {", "b \"x\" {"] {
        let text = format!("{head}\n{}}}\n", attrs(MAX_OBJECT_ITEMS * 3));
        let parsed = parse_body(&text).unwrap_or_else(|f| panic!("{head}: {f}"));
        assert_eq!(parsed.body.len(), 1);
    }
    // An object inside a block is still limited.
    let text = format!(
        "locals {{\n  a = {{\n{}  }}\n}}\n",
        attrs(MAX_OBJECT_ITEMS * 3)
    );
    assert_eq!(fail(&text).kind, FailureKind::ObjectLimit);
}

#[test]
fn truncations_and_mutations_never_panic() {
    let seeds = [
        "locals {\n  a = { for k, v in m : k =>\n    v.x # c\n    ? \"${v.y}\"\n    : <<-EOT\n      z ${k}\n    EOT\n  }\n  b = { k = 1, k = 2 }\n}\n",
        "resource \"x\" \"y\" {\n  a = [for i in l : i if i != \"\"]\n  b = func(1, 2...)\n  /* c */\n}\n",
        "\u{feff}a = \"é\"\r\nb = { \"k\" : 1, k = 2 }\r\n",
    ];
    let mut checked = 0;
    for seed in seeds {
        for (cut, _) in seed.char_indices() {
            for text in [
                seed[..cut].to_string(),
                format!(
                    "{}{}",
                    &seed[..cut],
                    &seed[cut..].chars().skip(1).collect::<String>()
                ),
                format!("{}\n{}", &seed[..cut], &seed[cut..]),
                format!("{}}}{}", &seed[..cut], &seed[cut..]),
                format!("{}\"{}", &seed[..cut], &seed[cut..]),
            ] {
                if let Err(failure) = parse_body(&text) {
                    assert_message_style(&failure, &text);
                    assert_ne!(failure.kind, FailureKind::Internal, "{text:?}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500);
}

/// `a = {x*y<{x*y<…H*p`: `depth` objects, each the operand after the second
/// operator of a chain, none closed. hcl-edit parses a failing operand in
/// that place twice, so without a structural check this takes time
/// doubling with each level (minutes at 30, the age of the universe at 60).
fn open_operands(depth: usize) -> String {
    format!("a = {}H*p", "{x*y<".repeat(depth))
}

#[test]
fn deep_text_left_open_fails_from_its_structure() {
    for depth in [9, 16, 24] {
        let text = open_operands(depth);
        let failure = fail(&text);
        assert_eq!(failure.message, "`{` is never closed", "depth {depth}");
        assert_eq!(failure.offset, 4);
        assert_eq!(failure.kind, FailureKind::Syntax);
        assert_message_style(&failure, &text);
    }
}

#[test]
fn deep_text_broken_in_other_ways_fails_from_its_structure() {
    let deep = |inner: &str, close: &str| {
        format!("a = {}{inner}{}\n", "(x*y<".repeat(20), close.repeat(20))
    };
    let cases = [
        (
            deep("1", "}"),
            "`}` does not match the `(` it closes, expected `)`",
        ),
        (
            deep("\"%{ if x }a\"", ")"),
            "`%{ if }` is never ended with `%{ endif }`",
        ),
        (
            deep("\"a%{ endfor }\"", ")"),
            "`%{ endfor }` has no `%{ for }` to end",
        ),
        (
            deep("\"a%{ else }b\"", ")"),
            "`%{ else }` is not inside `%{ if }`",
        ),
        (
            deep("\"abc\n", ")"),
            "string is not closed on the line it starts on",
        ),
        (
            deep("1", ")") + ")\n",
            "`)` has no opening bracket to close",
        ),
    ];
    for (text, message) in &cases {
        let failure = fail(text);
        assert_eq!(&failure.message, message, "{text:?}");
        assert_eq!(failure.kind, FailureKind::Syntax);
        assert_message_style(&failure, text);
    }
}

#[test]
fn deep_valid_text_is_parsed() {
    // Type constraints of real modules nest 30 deep; templates with their
    // directives closed, and block bodies, are fine at any depth.
    let valid = [
        format!(
            "variable \"v\" {{\n  type = {}string{}\n}}\n",
            "list(object({ a = ".repeat(15),
            "}))".repeat(15)
        ),
        format!(
            "a = {}\"%{{ if x }}a%{{ else }}b%{{ endif }}%{{ for v in l }}${{v}}%{{ endfor }}\"{}\n",
            "(x*y<".repeat(20),
            ")".repeat(20)
        ),
        format!("{}{}", "b {\n".repeat(40), "}\n".repeat(40)),
    ];
    for text in &valid {
        if let Err(f) = parse_body(text) {
            panic!("{f:?} for {text:?}");
        }
    }
}

#[test]
fn shallow_text_left_open_gets_the_parsers_own_message() {
    // At most 8 levels hcl-edit's backtracking costs a few hundred
    // attempts, and its message names what it expected.
    let text = open_operands(8);
    let failure = fail(&text);
    assert_ne!(failure.message, "`{` is never closed");
    assert_message_style(&failure, &text);
}
