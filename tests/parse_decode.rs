//! Turning file bytes into text: size limit, binary files, encodings.

use std::borrow::Cow;
use std::io::Write;

use tfpin::parse::{decode, read_file, InputProblem, MAX_FILE_BYTES};

#[test]
fn plain_text_is_borrowed_unchanged() {
    let bytes = "a = \"é\"\r\n".as_bytes();
    let text = decode(bytes).unwrap();
    assert!(matches!(text, Cow::Borrowed(_)));
    assert_eq!(text.as_bytes(), bytes);
}

#[test]
fn empty_file_is_empty_text() {
    assert_eq!(decode(b"").unwrap(), "");
}

#[test]
fn leading_byte_order_mark_is_kept_so_offsets_match_the_file() {
    let text = decode(b"\xef\xbb\xbfa = 1\n").unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.len(), 9);
}

#[test]
fn invalid_utf8_reports_first_bad_byte() {
    let bytes = b"a = 1\nb = 2\nc = \"\xff\"\n";
    let problem = decode(bytes).unwrap_err();
    assert_eq!(
        problem,
        InputProblem::InvalidUtf8 {
            offset: 17,
            line: 3,
            column: 6
        }
    );
    assert_eq!(
        problem.to_string(),
        "file is not valid UTF-8 (invalid byte at line 3, column 6)"
    );
    assert_eq!(problem.offset(), Some(17));
}

#[test]
fn invalid_utf8_column_counts_characters() {
    // "é" is two bytes but one column.
    let problem = decode(
        "x = \"é"
            .bytes()
            .chain([0xc3, b'"'])
            .collect::<Vec<_>>()
            .as_slice(),
    )
    .unwrap_err();
    assert!(matches!(
        problem,
        InputProblem::InvalidUtf8 {
            offset: 7,
            line: 1,
            column: 7
        }
    ));
}

#[test]
fn nul_byte_means_binary() {
    let problem = decode(b"a = 1\n\x00\x01\x02").unwrap_err();
    assert_eq!(
        problem,
        InputProblem::Binary {
            offset: 6,
            line: 2,
            column: 1
        }
    );
    assert_eq!(
        problem.to_string(),
        "file looks binary (NUL byte at line 2, column 1)"
    );
}

#[test]
fn binary_check_comes_before_utf8_check() {
    // Invalid UTF-8 first, NUL later: still reported as binary, which is
    // the more useful message for what is most likely not a text file.
    assert!(matches!(
        decode(b"\xff\x00").unwrap_err(),
        InputProblem::Binary { offset: 1, .. }
    ));
}

#[test]
fn utf16_is_named() {
    let problem = decode(b"\xff\xfea\x00").unwrap_err();
    assert_eq!(problem, InputProblem::Utf16);
    assert_eq!(
        problem.to_string(),
        "file is UTF-16 encoded, tfpin reads only UTF-8"
    );
}

#[test]
fn size_limit_is_inclusive() {
    let at_limit = vec![b' '; MAX_FILE_BYTES];
    assert!(decode(&at_limit).is_ok());
    let over = vec![b' '; MAX_FILE_BYTES + 1];
    let problem = decode(&over).unwrap_err();
    assert_eq!(
        problem,
        InputProblem::TooLarge {
            size: MAX_FILE_BYTES as u64 + 1
        }
    );
    assert_eq!(
        problem.to_string(),
        "file is too large (10485761 bytes, tfpin reads files of at most 10485760 bytes)"
    );
}

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tfpin-parse-decode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn read_file_does_not_read_huge_files() {
    let path = temp_path("huge.tf");
    let file = std::fs::File::create(&path).unwrap();
    // A sparse 4 GiB file: reading it would take long and use 4 GiB.
    file.set_len(4 << 30).unwrap();
    drop(file);
    // Refused from its size alone.
    let problem = read_file(&path).unwrap_err();
    assert_eq!(problem, InputProblem::TooLarge { size: 4 << 30 });
    std::fs::remove_file(&path).unwrap();
}

/// A file with no size to read in advance and no end: reading stops one
/// byte past the limit. Reading to the end would never return.
#[cfg(unix)]
#[test]
fn read_file_stops_at_the_limit_of_an_endless_file() {
    let problem = read_file(std::path::Path::new("/dev/zero")).unwrap_err();
    assert_eq!(
        problem,
        InputProblem::TooLarge {
            size: MAX_FILE_BYTES as u64 + 1
        }
    );
}

#[test]
fn read_file_reads_and_checks_text() {
    let path = temp_path("ok.tf");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(b"a = 1\n")
        .unwrap();
    assert_eq!(read_file(&path).unwrap(), "a = 1\n");

    let bad = temp_path("bad.tf");
    std::fs::write(&bad, b"a = \"\xfe\"\n").unwrap();
    assert!(matches!(
        read_file(&bad).unwrap_err(),
        InputProblem::InvalidUtf8 { offset: 5, .. }
    ));
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_file(&bad).unwrap();
}

#[test]
fn read_file_missing_file_message() {
    let problem = read_file(&temp_path("does-not-exist.tf")).unwrap_err();
    let message = problem.to_string();
    assert!(message.starts_with("cannot read file: "), "{message}");
    assert!(!message.ends_with('.'));
    assert!(matches!(problem, InputProblem::Unreadable { .. }));
}
