//! Reading Terraform files and parsing them into [`hcl_edit`] bodies.
//!
//! Reading happens in two steps. [`decode`] (or [`read_file`], which also
//! bounds how much is read) checks that the bytes are UTF-8 text of a size
//! tfpin is willing to handle. [`parse_body`] turns the text into a
//! [`Body`] whose spans are byte offsets into that same text.
//!
//! hcl-edit rejects a few things Terraform accepts. When it fails, this
//! module looks for those forms near the failure, rewrites a copy of the text
//! in ways that keep every byte offset where it was (only whole characters
//! are replaced, by ASCII spaces, and line breaks stay put unless they are
//! the thing being replaced), and parses again. Every rewrite is reported as
//! a [`Repair`], so callers know which parts of the tree did not come from
//! the text verbatim:
//!
//! * a UTF-8 byte order mark at the start of the file, which Terraform skips;
//! * an object constructor that repeats a key (`{ a = 1, a = 2 }`): Terraform
//!   keeps the last value, so every earlier item with that key is dropped;
//! * line breaks inside a `for` expression, which Terraform ignores but
//!   hcl-edit only accepts between the parts of the expression, not inside
//!   the key, value or collection expressions themselves;
//! * as a last resort, line comments at those same places, which cannot stay
//!   when the line break that ends them becomes a space.
//!
//! Whitespace and comments in the tree (hcl-edit's "decor") inside a
//! repaired range show the rewritten text, not the original.

use crate::HashMap;
use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use hcl_edit::structure::Body;

/// The largest file tfpin reads, in bytes.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// How deeply expressions, templates and blocks may nest. This is hcl-edit's
/// limit; Terraform has none.
pub const MAX_NESTING_DEPTH: usize = 64;

/// How many binary operators one expression may chain. This is hcl-edit's
/// limit; Terraform has none.
pub const MAX_OPERATOR_CHAIN: usize = 128;

/// How many items one object constructor may have. hcl-edit checks each new
/// key against every earlier one, so parsing an object takes time quadratic
/// in its size: about 1 s for 20,000 items, minutes for 200,000. Block
/// bodies parse in linear time and have no such limit.
pub const MAX_OBJECT_ITEMS: usize = 20_000;

/// How deeply brackets may nest in a text that cannot parse before it is
/// judged by its tokens instead of by hcl-edit (see [`unsound_and_deep`]).
/// Valid text of any depth goes to hcl-edit: type constraints in real
/// modules nest 30 deep.
const UNSOUND_DEPTH: usize = 8;

/// How many times one file is rewritten and parsed again before giving up.
const MAX_REPAIR_ROUNDS: usize = 64;

/// After this many rounds of repairing only the construct at the failure,
/// the next round repairs every construct of the known kinds in the file at
/// once, so that a file with many of them does not take one parse each.
const TARGETED_ROUNDS: usize = 4;

const BOM: &str = "\u{feff}";

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/// Why a file's bytes cannot be used as Terraform source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    /// The file is larger than [`MAX_FILE_BYTES`]. `size` is its size in
    /// bytes when known, otherwise a lower bound.
    TooLarge { size: u64 },
    /// The file starts with a UTF-16 byte order mark.
    Utf16,
    /// The file contains a NUL byte, so it is most likely not text.
    Binary {
        offset: usize,
        line: usize,
        column: usize,
    },
    /// The file is not valid UTF-8; `offset` is the first bad byte.
    InvalidUtf8 {
        offset: usize,
        line: usize,
        column: usize,
    },
    /// The file could not be read at all.
    Unreadable { message: String },
}

impl InputProblem {
    /// The byte offset the problem is at, if it is at one place.
    pub fn offset(&self) -> Option<usize> {
        match self {
            InputProblem::Binary { offset, .. } | InputProblem::InvalidUtf8 { offset, .. } => {
                Some(*offset)
            }
            _ => None,
        }
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputProblem::TooLarge { size } => write!(
                f,
                "file is too large ({size} bytes, tfpin reads files of at most {MAX_FILE_BYTES} bytes)"
            ),
            InputProblem::Utf16 => {
                write!(f, "file is UTF-16 encoded, tfpin reads only UTF-8")
            }
            InputProblem::Binary { line, column, .. } => write!(
                f,
                "file looks binary (NUL byte at line {line}, column {column})"
            ),
            InputProblem::InvalidUtf8 { line, column, .. } => write!(
                f,
                "file is not valid UTF-8 (invalid byte at line {line}, column {column})"
            ),
            InputProblem::Unreadable { message } => write!(f, "cannot read file: {message}"),
        }
    }
}

impl std::error::Error for InputProblem {}

/// Checks that `bytes` are UTF-8 text of at most [`MAX_FILE_BYTES`] bytes and
/// returns them as text.
///
/// The text is returned unchanged, byte for byte, so that offsets into it are
/// offsets into the file. A leading byte order mark is kept; [`parse_body`]
/// deals with it.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, InputProblem> {
    refuse_non_text(bytes)?;
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|err| invalid_utf8(bytes, err))
}

/// What [`decode`] refuses before it looks at the encoding: files over the
/// size limit, UTF-16 and NUL bytes.
fn refuse_non_text(bytes: &[u8]) -> Result<(), InputProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(InputProblem::TooLarge {
            size: bytes.len() as u64,
        });
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(InputProblem::Utf16);
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        let (line, column) = byte_line_col(bytes, offset);
        return Err(InputProblem::Binary {
            offset,
            line,
            column,
        });
    }
    Ok(())
}

fn invalid_utf8(bytes: &[u8], err: std::str::Utf8Error) -> InputProblem {
    let offset = err.valid_up_to();
    let (line, column) = byte_line_col(bytes, offset);
    InputProblem::InvalidUtf8 {
        offset,
        line,
        column,
    }
}

/// Reads and decodes a file, reading at most one byte more than
/// [`MAX_FILE_BYTES`] however large the file is.
pub fn read_file(path: &Path) -> Result<String, InputProblem> {
    let unreadable = |err: std::io::Error| InputProblem::Unreadable {
        message: lowercase_first(&err.to_string()),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let known_size = file.metadata().ok().map(|m| m.len());
    if let Some(size) = known_size {
        if size > MAX_FILE_BYTES as u64 {
            return Err(InputProblem::TooLarge { size });
        }
    }
    // Sized from the metadata, the buffer is filled without growing; one
    // more byte lets the read see the end without reallocating.
    let mut bytes = Vec::with_capacity(known_size.map_or(0, |s| s as usize + 1));
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > MAX_FILE_BYTES {
        // The file grew after its size was read, or its size is unknown.
        return Err(InputProblem::TooLarge {
            size: known_size.map_or(bytes.len() as u64, |s| s.max(bytes.len() as u64)),
        });
    }
    // What `decode` does, but keeping the buffer: the encoding is checked
    // once, as the bytes become a string.
    refuse_non_text(&bytes)?;
    String::from_utf8(bytes).map_err(|err| invalid_utf8(err.as_bytes(), err.utf8_error()))
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The 1-based line and column of a byte offset in possibly invalid UTF-8.
/// Columns count characters, like [`crate::source::SourceFile::line_col`].
fn byte_line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&bytes[line_start..offset])
        .chars()
        .count()
        + 1;
    (line, column)
}

// ---------------------------------------------------------------------------
// Parsing: public types
// ---------------------------------------------------------------------------

/// A successfully parsed file.
#[derive(Debug)]
pub struct Parsed {
    /// The file's body. Spans are byte offsets into the original text.
    pub body: Body,
    /// The rewrites that were needed for hcl-edit to accept the text, in the
    /// order they were made. Empty for most files.
    pub repairs: Vec<Repair>,
}

/// One rewrite of the text made before parsing; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub kind: RepairKind,
    /// The bytes of the original text that were replaced by spaces. Line
    /// breaks inside the range are kept unless `kind` is
    /// [`RepairKind::ForExpressionLineBreak`] or
    /// [`RepairKind::ForExpressionComment`].
    pub range: Range<usize>,
}

/// What a [`Repair`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RepairKind {
    /// A UTF-8 byte order mark at the start of the file was read as spaces.
    ByteOrderMark,
    /// An item of an object constructor whose key a later item repeats was
    /// dropped (with its trailing comma), as Terraform keeps the last value.
    DuplicateObjectKey,
    /// A line break inside a `for` expression was read as a space.
    ForExpressionLineBreak,
    /// A line comment inside a `for` expression, and the line break ending
    /// it, were read as spaces.
    ForExpressionComment,
}

/// Why a text could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    /// Byte offset into the original text; may equal the text's length.
    pub offset: usize,
    /// One line, lowercase, no trailing period.
    pub message: String,
    pub kind: FailureKind,
}

/// Whether a [`ParseFailure`] is about the text or about tfpin's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// The text is not valid HCL.
    Syntax,
    /// Nesting deeper than [`MAX_NESTING_DEPTH`], which Terraform may accept.
    NestingLimit,
    /// More than [`MAX_OPERATOR_CHAIN`] binary operators in an expression,
    /// which Terraform may accept.
    OperatorLimit,
    /// The text needed more rewrites than tfpin makes for one file.
    RepairLimit,
    /// An object constructor with more than [`MAX_OBJECT_ITEMS`] items.
    ObjectLimit,
    /// The parser itself failed; this is a bug in tfpin or hcl-edit.
    Internal,
}

impl FailureKind {
    /// True when Terraform might accept the text that tfpin rejected.
    pub fn is_limitation(self) -> bool {
        !matches!(self, FailureKind::Syntax)
    }
}

impl fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseFailure {}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// Parses a file's text into a [`Body`], working around the places where
/// hcl-edit rejects text Terraform accepts (see the module docs).
pub fn parse_body(text: &str) -> Result<Parsed, ParseFailure> {
    let mut repairs = Vec::new();
    let mut work: Cow<'_, str> = Cow::Borrowed(text);
    if text.starts_with(BOM) {
        let bom = Repair {
            kind: RepairKind::ByteOrderMark,
            range: 0..BOM.len(),
        };
        apply_repairs(&mut work, std::slice::from_ref(&bom));
        repairs.push(bom);
    }

    if let Some(failure) = check_object_sizes(text) {
        return Err(failure);
    }
    if let Some((offset, message)) = unsound_and_deep(&work) {
        return Err(ParseFailure {
            offset,
            message,
            kind: FailureKind::Syntax,
        });
    }

    // The failure furthest into the text seen so far. Repairs move failures
    // forward; when they cannot, the furthest one is the most useful.
    let mut furthest: Option<RawFailure> = None;
    let mut round = 0;
    loop {
        let failure = match parse_raw(&work) {
            Ok(body) => return Ok(Parsed { body, repairs }),
            Err(failure) => failure,
        };
        let lexed = Lexed::new(&work);
        if furthest
            .as_ref()
            .is_none_or(|f| failure.offset > f.offset || round == 0)
        {
            furthest = Some(failure.clone());
        }
        if failure.kind != FailureKind::Syntax {
            return Err(finish(&work, &lexed, failure));
        }
        let mut found = Vec::new();
        if round >= TARGETED_ROUNDS {
            found = repair_everywhere(&work, &lexed);
        }
        if found.is_empty() {
            found = repair_at(&work, &lexed, &failure);
        }
        if found.is_empty() {
            let best = furthest.unwrap_or(failure);
            return Err(finish(&work, &lexed, best));
        }
        if round >= MAX_REPAIR_ROUNDS {
            return Err(ParseFailure {
                offset: failure.offset,
                message: format!(
                    "text needs more than {MAX_REPAIR_ROUNDS} rewrites to work around parser gaps, which tfpin does not attempt"
                ),
                kind: FailureKind::RepairLimit,
            });
        }
        apply_repairs(&mut work, &found);
        repairs.extend(found);
        round += 1;
    }
}

/// Rejects objects too large for hcl-edit to parse in reasonable time.
fn check_object_sizes(text: &str) -> Option<ParseFailure> {
    let separators = text.bytes().filter(|b| *b == b',' || *b == b'\n').count();
    if separators < MAX_OBJECT_ITEMS {
        return None;
    }
    let lexed = Lexed::new(text);
    // Per open bracket: items ended so far, and whether one is in progress.
    let mut items: HashMap<usize, (usize, bool)> = HashMap::default();
    for (i, token) in lexed.tokens.iter().enumerate() {
        let Some(open) = lexed.parent[i] else {
            continue;
        };
        let (count, pending) = items.entry(open).or_insert((0, false));
        match token.kind {
            Kind::LineComment | Kind::BlockComment => continue,
            Kind::Comma | Kind::Newline if *pending => {
                *count += 1;
                *pending = false;
            }
            Kind::Comma | Kind::Newline => continue,
            _ => *pending = true,
        }
        if *count > MAX_OBJECT_ITEMS && lexed.is_object(text, open) {
            return Some(ParseFailure {
                offset: lexed.tokens[open].start,
                message: format!(
                    "object has more than {MAX_OBJECT_ITEMS} items, which tfpin cannot parse"
                ),
                kind: FailureKind::ObjectLimit,
            });
        }
    }
    None
}

/// A failure as hcl-edit reported it, with the offset made exact.
#[derive(Debug, Clone)]
struct RawFailure {
    offset: usize,
    message: String,
    kind: FailureKind,
}

fn parse_raw(text: &str) -> Result<Body, RawFailure> {
    // hcl-edit is not known to panic, but a panic on some odd input must not
    // take the whole run down.
    let result = catch_unwind(AssertUnwindSafe(|| hcl_edit::parser::parse_body(text)));
    match result {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(err)) => {
            let offset = exact_offset(text, &err);
            let message = err.message().to_string();
            let kind = if message.contains("nesting depth") {
                FailureKind::NestingLimit
            } else if message.contains("chained binary operators") {
                FailureKind::OperatorLimit
            } else {
                FailureKind::Syntax
            };
            Err(RawFailure {
                offset,
                message,
                kind,
            })
        }
        Err(_) => Err(RawFailure {
            offset: 0,
            message: "internal error in the HCL parser".to_string(),
            kind: FailureKind::Internal,
        }),
    }
}

/// hcl-edit clamps the offset of a failure at the end of the text to the
/// last byte, but its column still says where the failure is.
fn exact_offset(text: &str, err: &hcl_edit::parser::Error) -> usize {
    let location = err.location();
    let offset = location.offset().min(text.len());
    if text.is_empty() || offset + 1 != text.len() {
        return offset;
    }
    let bytes = text.as_bytes();
    let line_start = bytes[..offset]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let chars_to_end = text.get(line_start..).map_or(0, |s| s.chars().count());
    if location.column() > chars_to_end {
        text.len()
    } else {
        offset
    }
}

/// Replaces the bytes of each repair's range by spaces, keeping line breaks
/// unless the repair is about line breaks.
fn apply_repairs(work: &mut Cow<'_, str>, repairs: &[Repair]) {
    let text = work.to_mut();
    let mut bytes = std::mem::take(text).into_bytes();
    for repair in repairs {
        let keep_breaks = !matches!(
            repair.kind,
            RepairKind::ForExpressionLineBreak | RepairKind::ForExpressionComment
        );
        let end = repair.range.end.min(bytes.len());
        let start = repair.range.start.min(end);
        for b in &mut bytes[start..end] {
            if !(keep_breaks && (*b == b'\n' || *b == b'\r')) {
                *b = b' ';
            }
        }
    }
    *text = match String::from_utf8(bytes) {
        Ok(s) => s,
        // Ranges always cover whole characters, so this does not happen;
        // should it, lossy conversion keeps the length of every valid part.
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    };
}

// ---------------------------------------------------------------------------
// Finding repairs
// ---------------------------------------------------------------------------

/// Repairs for the construct a failure is in, or nothing if it is not one of
/// the known gaps.
fn repair_at(text: &str, lexed: &Lexed, failure: &RawFailure) -> Vec<Repair> {
    if failure.message.contains("redefined object key") {
        return lexed
            .innermost_open(failure.offset, |i| lexed.is_object(text, i))
            .map(|open| drop_duplicate_items(text, lexed, open, Some(failure.offset)))
            .unwrap_or_default();
    }
    let candidates = lexed.for_expressions_near(text, failure.offset);
    for &open in &candidates {
        let found = for_line_breaks(lexed, open);
        if !found.is_empty() {
            return found;
        }
    }
    for &open in &candidates {
        let found = for_line_comments(lexed, open);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Repairs for every duplicate key and every line break in a `for`
/// expression in the text.
fn repair_everywhere(text: &str, lexed: &Lexed) -> Vec<Repair> {
    let mut found = Vec::new();
    for (i, token) in lexed.tokens.iter().enumerate() {
        if token.kind != Kind::Open {
            continue;
        }
        if lexed.is_for_expression(text, i) {
            found.extend(for_line_breaks(lexed, i));
        } else if lexed.is_object(text, i) {
            found.extend(drop_duplicate_items(text, lexed, i, None));
        }
    }
    found.sort_by_key(|r| r.range.start);
    found
}

/// The line breaks directly inside the `for` expression opened at `open`
/// that do not end a line comment.
fn for_line_breaks(lexed: &Lexed, open: usize) -> Vec<Repair> {
    lexed
        .children(open)
        .filter(|&i| lexed.tokens[i].kind == Kind::Newline)
        .filter(|&i| i == 0 || lexed.tokens[i - 1].kind != Kind::LineComment)
        .map(|i| Repair {
            kind: RepairKind::ForExpressionLineBreak,
            range: lexed.tokens[i].range(),
        })
        .collect()
}

/// The line comments directly inside the `for` expression opened at `open`,
/// each with the line break that ends it.
fn for_line_comments(lexed: &Lexed, open: usize) -> Vec<Repair> {
    lexed
        .children(open)
        .filter(|&i| lexed.tokens[i].kind == Kind::LineComment)
        .map(|i| {
            let mut range = lexed.tokens[i].range();
            if let Some(next) = lexed.tokens.get(i + 1) {
                if next.kind == Kind::Newline {
                    range.end = next.end;
                }
            }
            Repair {
                kind: RepairKind::ForExpressionComment,
                range,
            }
        })
        .collect()
}

/// One `key = value` item of an object constructor.
struct Item {
    /// From the key's first byte to the value's last.
    range: Range<usize>,
    /// The key's bytes, without surrounding whitespace.
    key: Range<usize>,
    /// The key's tokens' texts; equal for keys that differ only in spacing.
    signature: String,
    /// The comma that ends the item, if any.
    comma: Option<Range<usize>>,
}

/// Drops every item of the object opened at `open` whose key a later item
/// repeats. With `at`, the offset of the key hcl-edit found repeated, keys
/// hcl-edit considers equal despite different spelling are dropped too.
fn drop_duplicate_items(text: &str, lexed: &Lexed, open: usize, at: Option<usize>) -> Vec<Repair> {
    let items = object_items(text, lexed, open);
    let mut last: HashMap<&str, usize> = HashMap::default();
    for (i, item) in items.iter().enumerate() {
        last.insert(item.signature.as_str(), i);
    }
    let mut drop: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(i, item)| last.get(item.signature.as_str()).is_some_and(|l| l != i))
        .map(|(i, _)| i)
        .collect();

    if let Some(at) = at {
        let repeated = items
            .iter()
            .position(|item| item.range.start <= at && at < item.range.end.max(at + 1));
        if let Some(r) = repeated {
            let resolved = drop
                .iter()
                .any(|&d| d < r && items[d].signature == items[r].signature);
            if !resolved {
                // hcl-edit compares parsed keys, so `1` and `1.0` are the same
                // key to it. Fall back to the same comparison.
                if let Some(key) = text.get(items[r].key.clone()).and_then(parse_expression) {
                    for (d, item) in items.iter().enumerate().take(r) {
                        if text
                            .get(item.key.clone())
                            .and_then(parse_expression)
                            .as_ref()
                            == Some(&key)
                        {
                            drop.push(d);
                        }
                    }
                }
            }
        }
    }
    drop.sort_unstable();
    drop.dedup();
    drop.into_iter()
        .map(|i| {
            let item = &items[i];
            let end = item.comma.as_ref().map_or(item.range.end, |c| c.end);
            Repair {
                kind: RepairKind::DuplicateObjectKey,
                range: item.range.start..end,
            }
        })
        .collect()
}

/// The items of the object constructor opened at `open`. Items without a
/// `=` or `:` are left out.
fn object_items(text: &str, lexed: &Lexed, open: usize) -> Vec<Item> {
    let mut items = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let bytes = text.as_bytes();
    let mut finish = |current: &mut Vec<usize>, comma: Option<Range<usize>>| {
        let tokens = std::mem::take(current);
        let (Some(&first), Some(&last)) = (tokens.first(), tokens.last()) else {
            return;
        };
        let Some(assign) = tokens
            .iter()
            .copied()
            .find(|&i| is_assignment(bytes, &lexed.tokens[i]))
        else {
            return;
        };
        let key_start = lexed.tokens[first].start;
        let key_end = lexed.tokens[assign].start;
        let mut signature = String::new();
        for token in &lexed.tokens[first..assign] {
            if matches!(
                token.kind,
                Kind::Newline | Kind::LineComment | Kind::BlockComment
            ) {
                continue;
            }
            signature.push_str(text.get(token.range()).unwrap_or(""));
            signature.push('\u{0}');
        }
        let key_last = lexed.tokens[first..assign]
            .iter()
            .rev()
            .find(|t| {
                !matches!(
                    t.kind,
                    Kind::Newline | Kind::LineComment | Kind::BlockComment
                )
            })
            .map_or(key_start, |t| t.end);
        items.push(Item {
            range: key_start..lexed.end_of(last),
            key: key_start..key_last.min(key_end),
            signature,
            comma,
        });
    };
    for i in lexed.children(open) {
        let token = &lexed.tokens[i];
        match token.kind {
            Kind::Comma => finish(&mut current, Some(token.range())),
            Kind::Newline => finish(&mut current, None),
            Kind::LineComment | Kind::BlockComment => {}
            Kind::Close if lexed.partner[i] == Some(open) => {}
            _ => current.push(i),
        }
    }
    finish(&mut current, None);
    items
}

/// Whether a token is the `=` or `:` between an object item's key and value.
fn is_assignment(bytes: &[u8], token: &Token) -> bool {
    if token.kind != Kind::Punct {
        return false;
    }
    let at = token.start;
    let prev = at.checked_sub(1).and_then(|p| bytes.get(p)).copied();
    let next = bytes.get(at + 1).copied();
    match bytes.get(at) {
        Some(b'=') => {
            !matches!(prev, Some(b'=' | b'!' | b'<' | b'>')) && !matches!(next, Some(b'=' | b'>'))
        }
        Some(b':') => prev != Some(b':') && next != Some(b':'),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Failure messages
// ---------------------------------------------------------------------------

fn finish(text: &str, lexed: &Lexed, failure: RawFailure) -> ParseFailure {
    let RawFailure {
        mut offset,
        message: raw,
        kind,
    } = failure;
    let message = match kind {
        FailureKind::NestingLimit => {
            format!("nested deeper than {MAX_NESTING_DEPTH} levels, which tfpin cannot parse")
        }
        FailureKind::OperatorLimit => format!(
            "more than {MAX_OPERATOR_CHAIN} binary operators in one expression, which tfpin cannot parse"
        ),
        FailureKind::RepairLimit | FailureKind::ObjectLimit | FailureKind::Internal => raw,
        FailureKind::Syntax => {
            if let Some((at, problem)) = lexed
                .problems
                .iter()
                .find(|(at, p)| *at >= line_start(text, offset) || p.is_heredoc())
            {
                if raw == "unexpected token" || raw.contains("heredoc end delimiter") {
                    offset = *at;
                    return ParseFailure {
                        offset,
                        message: problem.message(text, *at),
                        kind,
                    };
                }
            }
            syntax_message(&raw, text, offset)
        }
    };
    ParseFailure {
        offset,
        message,
        kind,
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1)
}

/// Turns hcl-edit's `invalid <what>; expected <list>; <cause>` messages into
/// one readable sentence fragment that says what was found.
fn syntax_message(raw: &str, text: &str, offset: usize) -> String {
    if raw.contains("redefined attribute") {
        let name = word_at(text, offset).unwrap_or("?");
        return format!("argument `{name}` is set more than once");
    }
    if raw.contains("redefined object key") {
        return "object key repeats an earlier key in a way tfpin cannot resolve".to_string();
    }
    let found = describe_at(text, offset);
    if raw == "unexpected token" {
        return if word_at(text, offset).is_some() {
            format!("cannot parse the definition that starts with {found}")
        } else {
            format!("unexpected {found}")
        };
    }
    let mut label = None;
    let mut expected = None;
    let mut causes = Vec::new();
    for part in raw.split("; ") {
        if let Some(rest) = part.strip_prefix("invalid ") {
            label = Some(rest);
        } else if let Some(rest) = part.strip_prefix("expected ") {
            expected = Some(rest);
        } else if part != "unexpected token" {
            causes.push(part);
        }
    }
    let mut out = format!("unexpected {found}");
    if let Some(label) = label.filter(|l| *l != "expression") {
        out.push_str(" in ");
        out.push_str(label);
    }
    if label == Some("expression") {
        out.push_str(", expected an expression");
    } else if let Some(expected) = expected {
        out.push_str(", expected ");
        out.push_str(
            &expected
                .replace("newline", "a line break")
                .replace("eof", "end of file"),
        );
    }
    for cause in causes {
        out.push_str(" (");
        out.push_str(cause);
        out.push(')');
    }
    out
}

/// The identifier starting at `offset`, if one does.
fn word_at(text: &str, offset: usize) -> Option<&str> {
    let rest = text.get(offset..)?;
    let first = rest.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let end = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    Some(&rest[..end])
}

/// What is at `offset`, for "unexpected ..." messages.
fn describe_at(text: &str, offset: usize) -> String {
    let Some(rest) = text.get(offset..) else {
        return "character".to_string();
    };
    match rest.chars().next() {
        None => "end of file".to_string(),
        Some('\n' | '\r') => "line break".to_string(),
        Some(_) => {
            if let Some(word) = word_at(text, offset) {
                let shown: String = word.chars().take(40).collect();
                return format!("`{shown}`");
            }
            let c = rest.chars().next().unwrap_or(' ');
            match c {
                '\u{feff}' => "byte order mark (U+FEFF)".to_string(),
                c if c.is_control() || c.is_whitespace() && c != ' ' => {
                    format!("character U+{:04X}", c as u32)
                }
                c => format!("`{}`", c.escape_debug()),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// A tokenizer just detailed enough to find the constructs to repair
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `{`, `[`, `(`, `${`, `%{`, an opening `"`, or `<<ID` with its line break.
    Open,
    /// `}`, `]`, `)`, a closing `"`, or a heredoc's end delimiter.
    Close,
    /// `\n` or `\r\n` outside strings and heredocs.
    Newline,
    Comma,
    /// `#` or `//` up to, not including, the line break.
    LineComment,
    BlockComment,
    /// Literal text in a string or heredoc.
    Literal,
    /// A run of identifier and number characters.
    Word,
    /// Any other single ASCII character.
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

impl Token {
    fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Something opened and never closed.
enum LexProblem {
    String,
    Heredoc,
    Comment,
}

impl LexProblem {
    fn is_heredoc(self) -> bool {
        self == LexProblem::Heredoc
    }

    fn message(self, text: &str, at: usize) -> String {
        match self {
            LexProblem::String => "string is not closed on the line it starts on".to_string(),
            LexProblem::Comment => "comment is never closed, expected `*/`".to_string(),
            LexProblem::Heredoc => {
                let name = text
                    .get(at..)
                    .map(|s| s.trim_start_matches('<').trim_start_matches('-'))
                    .and_then(|s| word_at(s, 0))
                    .unwrap_or("");
                format!("heredoc is never closed, expected a line with only `{name}`")
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Frame {
    /// Expressions: the top level, or inside brackets or an interpolation.
    Code,
    Quoted,
    Heredoc {
        name_start: usize,
        name_end: usize,
        at_line_start: bool,
    },
}

/// Where and why a text cannot parse, for text whose brackets may nest more
/// than [`UNSOUND_DEPTH`] deep and that leaves a bracket, string, heredoc,
/// comment or template directive open, or closes one with the wrong
/// bracket. Such text is not handed to hcl-edit: when an operand after the
/// second operator of a chain fails, hcl-edit gives up the chain, starts a
/// new one at that operator and parses the operand again, so each level of
/// nesting below a failure doubles the work (a 500-byte file that ends
/// inside 50 open objects takes minutes). Text that does not nest that deep
/// costs at most a few hundred failed attempts and gets hcl-edit's more
/// specific message.
fn unsound_and_deep(text: &str) -> Option<(usize, String)> {
    if nesting_depth(text.as_bytes()) <= UNSOUND_DEPTH {
        return None;
    }
    first_unsound(text, &Lexed::new(text))
}

/// Parses one expression with hcl-edit, unless it is deep and cannot parse
/// (see [`unsound_and_deep`]); a panic in the parser counts as a failure.
pub fn parse_expression(text: &str) -> Option<hcl_edit::expr::Expression> {
    guarded(text, hcl_edit::parser::parse_expr)
}

/// Parses the text of a template (a JSON string's value), as
/// [`parse_expression`] parses an expression.
pub fn parse_template(text: &str) -> Option<hcl_edit::template::Template> {
    guarded(text, hcl_edit::parser::parse_template)
}

fn guarded<T, E>(text: &str, parse: fn(&str) -> Result<T, E>) -> Option<T> {
    if unsound_and_deep(text).is_some() {
        return None;
    }
    catch_unwind(|| parse(text).ok()).ok().flatten()
}

/// How deeply brackets and template interpolations nest in `b` as hcl-edit
/// reads it, block bodies included: a quoted string runs to its closing
/// quote, across line breaks; `${` and `%{` in strings and heredocs open
/// expressions; brackets in comments and in the text of strings and
/// heredocs do not count. Following hcl-edit here, not Terraform, keeps a
/// closing bracket hidden where hcl-edit would not see it from lowering the
/// depth below what hcl-edit meets.
fn nesting_depth(b: &[u8]) -> usize {
    #[derive(Clone, Copy)]
    enum Frame {
        Code,
        Quoted,
        Heredoc(usize, usize),
    }
    let n = b.len();
    let mut stack: Vec<Frame> = Vec::new();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut open = |stack: &mut Vec<Frame>, depth: &mut usize| {
        stack.push(Frame::Code);
        *depth += 1;
        deepest = deepest.max(*depth);
    };
    let line_end = |from: usize| memchr::memchr(b'\n', &b[from..]).map_or(n, |p| from + p);
    // The bytes each kind of frame acts on; runs of other bytes are skipped
    // a table lookup each.
    const fn table(bytes: &[u8]) -> [bool; 256] {
        let mut t = [false; 256];
        let mut k = 0;
        while k < bytes.len() {
            t[bytes[k] as usize] = true;
            k += 1;
        }
        t
    }
    static CODE: [bool; 256] = table(b"{}[]()\"#/<");
    static QUOTED: [bool; 256] = table(b"\\\"$%");
    static HEREDOC: [bool; 256] = table(b"\n$%");
    let skip = |from: usize, set: &[bool; 256]| {
        b[from..]
            .iter()
            .position(|c| set[usize::from(*c)])
            .map_or(n, |p| from + p)
    };
    let mut i = 0;
    while i < n {
        match stack.last().copied() {
            None | Some(Frame::Code) => {
                i = skip(i, &CODE);
                if i == n {
                    break;
                }
                i = match b[i] {
                    b'{' | b'[' | b'(' => {
                        open(&mut stack, &mut depth);
                        i + 1
                    }
                    b'}' | b']' | b')' => {
                        if matches!(stack.last(), Some(Frame::Code)) {
                            stack.pop();
                            depth -= 1;
                        }
                        i + 1
                    }
                    b'"' => {
                        stack.push(Frame::Quoted);
                        i + 1
                    }
                    b'#' => line_end(i),
                    b'/' if b.get(i + 1) == Some(&b'/') => line_end(i),
                    b'/' if b.get(i + 1) == Some(&b'*') => {
                        find(b, i + 2, b"*/").map_or(n, |p| p + 2)
                    }
                    b'<' if b.get(i + 1) == Some(&b'<') => match heredoc_start(b, i) {
                        Some((start, end, after)) => {
                            stack.push(Frame::Heredoc(start, end));
                            after
                        }
                        None => i + 2,
                    },
                    _ => i + 1,
                };
            }
            Some(frame) => {
                // Template text: a quoted string, or a heredoc's lines.
                let quoted = matches!(frame, Frame::Quoted);
                let mut j = i;
                i = n;
                while j < n {
                    if let Frame::Heredoc(start, end) = frame {
                        if j > 0 && b[j - 1] == b'\n' {
                            if let Some((_, after)) = heredoc_end(b, j, &b[start..end]) {
                                stack.pop();
                                i = after;
                                break;
                            }
                        }
                    }
                    j = skip(j, if quoted { &QUOTED } else { &HEREDOC });
                    if j == n {
                        break;
                    }
                    match b[j] {
                        b'\\' if quoted => j += 2,
                        b'"' if quoted => {
                            stack.pop();
                            i = j + 1;
                            break;
                        }
                        b'$' | b'%' => match template_marker(b, j) {
                            Some(Marker::Open) => {
                                open(&mut stack, &mut depth);
                                i = j + 2;
                                break;
                            }
                            Some(Marker::Escaped) => j += 3,
                            None => j += 1,
                        },
                        _ => j += 1,
                    }
                }
            }
        }
    }
    deepest
}

/// What a `$` or `%` in template text starts.
enum Marker {
    /// `${` or `%{`: an interpolation or directive, two bytes long.
    Open,
    /// `$${` or `%%{`: the marker as text, three bytes long.
    Escaped,
}

/// The marker at `b[j]`, a `$` or `%` in template text; `None` for a plain
/// character.
#[inline]
fn template_marker(b: &[u8], j: usize) -> Option<Marker> {
    match (b.get(j + 1), b.get(j + 2)) {
        (Some(&c), Some(&b'{')) if c == b[j] => Some(Marker::Escaped),
        (Some(&b'{'), _) => Some(Marker::Open),
        _ => None,
    }
}

/// At `j`, the start of a line inside a heredoc: where its end delimiter
/// `name` starts and ends, if the line is that delimiter (after optional
/// spaces and tabs, and not followed by an identifier character).
#[inline]
fn heredoc_end(b: &[u8], j: usize, name: &[u8]) -> Option<(usize, usize)> {
    let k = j + b[j..]
        .iter()
        .take_while(|c| **c == b' ' || **c == b'\t')
        .count();
    let end = k + name.len();
    (b[k..].starts_with(name) && b.get(end).is_none_or(|c| !is_word_byte(*c))).then_some((k, end))
}

/// The first thing in a text that is left open or closed by the wrong
/// bracket, as its tokens tell: where, and what.
fn first_unsound(text: &str, lexed: &Lexed) -> Option<(usize, String)> {
    let b = text.as_bytes();
    let mut first: Option<(usize, String)> = lexed
        .problems
        .first()
        .map(|(at, p)| (*at, p.message(text, *at)));
    let mut unsound = |at: usize, message: String| {
        if first.as_ref().is_none_or(|(earliest, _)| at < *earliest) {
            first = Some((at, message));
        }
    };
    // Open template directives: (template, keyword, where).
    let mut directives: Vec<(Option<usize>, &str, usize)> = Vec::new();
    for (i, t) in lexed.tokens.iter().enumerate() {
        let parent = lexed.parent[i];
        let lead = b[t.start];
        match t.kind {
            Kind::Open => {
                let opener = &text[t.range()];
                let closer = match lead {
                    b'[' => "]",
                    b'(' => ")",
                    // Strings and heredocs are checked by the lexer.
                    b'"' | b'<' => "",
                    _ => "}",
                };
                match lexed.partner[i] {
                    None if !closer.is_empty() => {
                        unsound(t.start, format!("`{opener}` is never closed"))
                    }
                    Some(c) if !closer.is_empty() && &text[lexed.tokens[c].range()] != closer => {
                        unsound(
                            lexed.tokens[c].start,
                            format!(
                                "`{}` does not match the `{opener}` it closes, expected `{closer}`",
                                &text[lexed.tokens[c].range()]
                            ),
                        )
                    }
                    _ => {}
                }
                if lead == b'%' {
                    let keyword = lexed.tokens[i + 1..]
                        .iter()
                        .find(|w| w.kind != Kind::Punct || b[w.start] != b'~')
                        .filter(|w| w.kind == Kind::Word)
                        .map_or("", |w| &text[w.range()]);
                    match keyword {
                        "if" | "for" => directives.push((parent, keyword, t.start)),
                        "else" if !matches!(directives.last(), Some((p, "if", _)) if *p == parent) =>
                        {
                            unsound(t.start, "`%{ else }` is not inside `%{ if }`".to_string());
                        }
                        "endif" | "endfor" => {
                            let opening = &keyword[3..];
                            match directives.last() {
                                Some((p, k, _)) if *p == parent && *k == opening => {
                                    directives.pop();
                                }
                                _ => unsound(
                                    t.start,
                                    format!("`%{{ {keyword} }}` has no `%{{ {opening} }}` to end"),
                                ),
                            }
                        }
                        _ => {}
                    }
                }
            }
            Kind::Close if lexed.partner[i].is_none() => unsound(
                t.start,
                format!("`{}` has no opening bracket to close", &text[t.range()]),
            ),
            _ => {}
        }
    }
    for (_, keyword, at) in directives {
        unsound(
            at,
            format!("`%{{ {keyword} }}` is never ended with `%{{ end{keyword} }}`"),
        );
    }
    first
}

/// The tokens of a text, with brackets, strings and heredocs matched up.
struct Lexed {
    tokens: Vec<Token>,
    /// For each token, the index of the `Open` token it is directly inside.
    parent: Vec<Option<usize>>,
    /// For `Open` tokens the matching `Close`, and the other way round.
    partner: Vec<Option<usize>>,
    /// Unclosed strings, heredocs and comments, by where they start.
    problems: Vec<(usize, LexProblem)>,
}

impl Lexed {
    fn new(text: &str) -> Lexed {
        let mut lexed = Lexed {
            tokens: Vec::new(),
            parent: Vec::new(),
            partner: Vec::new(),
            problems: Vec::new(),
        };
        lexed.run(text.as_bytes());
        lexed
    }

    fn push(&mut self, stack: &[(Frame, usize)], kind: Kind, start: usize, end: usize) -> usize {
        self.tokens.push(Token { kind, start, end });
        self.parent.push(stack.last().map(|(_, open)| *open));
        self.partner.push(None);
        self.tokens.len() - 1
    }

    fn close(&mut self, stack: &mut Vec<(Frame, usize)>, start: usize, end: usize) {
        if let Some((_, open)) = stack.pop() {
            self.tokens.push(Token {
                kind: Kind::Close,
                start,
                end,
            });
            self.parent.push(self.parent[open]);
            let index = self.tokens.len() - 1;
            self.partner.push(Some(open));
            self.partner[open] = Some(index);
        } else {
            self.push(stack, Kind::Close, start, end);
        }
    }

    fn run(&mut self, b: &[u8]) {
        let n = b.len();
        let mut stack: Vec<(Frame, usize)> = Vec::new();
        let mut i = 0;
        while i < n {
            let frame = stack.last().map_or(Frame::Code, |(f, _)| *f);
            match frame {
                Frame::Code => i = self.code(b, i, &mut stack),
                Frame::Quoted => i = self.quoted(b, i, &mut stack),
                Frame::Heredoc {
                    name_start,
                    name_end,
                    at_line_start,
                } => i = self.heredoc(b, i, &mut stack, name_start..name_end, at_line_start),
            }
        }
        for (frame, open) in stack {
            let at = self.tokens[open].start;
            match frame {
                Frame::Quoted => self.problems.push((at, LexProblem::String)),
                Frame::Heredoc { .. } => self.problems.push((at, LexProblem::Heredoc)),
                Frame::Code => {}
            }
        }
        self.problems.sort_by_key(|(at, _)| *at);
    }

    /// Lexes one token of expression text at `i`; returns where to go on.
    fn code(&mut self, b: &[u8], i: usize, stack: &mut Vec<(Frame, usize)>) -> usize {
        let n = b.len();
        let c = b[i];
        let next = b.get(i + 1).copied();
        match c {
            b' ' | b'\t' | b'\x0c' => i + 1,
            b'\r' if next == Some(b'\n') => {
                self.push(stack, Kind::Newline, i, i + 2);
                i + 2
            }
            b'\r' => i + 1,
            b'\n' => {
                self.push(stack, Kind::Newline, i, i + 1);
                i + 1
            }
            b'#' => self.line_comment(b, i, stack),
            b'/' if next == Some(b'/') => self.line_comment(b, i, stack),
            b'/' if next == Some(b'*') => {
                let end = find(b, i + 2, b"*/").map(|p| p + 2);
                if end.is_none() {
                    self.problems.push((i, LexProblem::Comment));
                }
                let end = end.unwrap_or(n);
                self.push(stack, Kind::BlockComment, i, end);
                end
            }
            b'"' => {
                let open = self.push(stack, Kind::Open, i, i + 1);
                stack.push((Frame::Quoted, open));
                i + 1
            }
            b'<' if next == Some(b'<') => match heredoc_start(b, i) {
                Some((name_start, name_end, end)) => {
                    let open = self.push(stack, Kind::Open, i, end);
                    stack.push((
                        Frame::Heredoc {
                            name_start,
                            name_end,
                            at_line_start: true,
                        },
                        open,
                    ));
                    end
                }
                None => {
                    self.push(stack, Kind::Punct, i, i + 1);
                    i + 1
                }
            },
            b'{' | b'[' | b'(' => {
                let open = self.push(stack, Kind::Open, i, i + 1);
                stack.push((Frame::Code, open));
                i + 1
            }
            b'}' | b']' | b')' => {
                if matches!(stack.last(), Some((Frame::Code, _))) {
                    self.close(stack, i, i + 1);
                } else {
                    self.push(stack, Kind::Close, i, i + 1);
                }
                i + 1
            }
            b',' => {
                self.push(stack, Kind::Comma, i, i + 1);
                i + 1
            }
            c if is_word_byte(c) => {
                let end = b[i..]
                    .iter()
                    .position(|c| !is_word_byte(*c))
                    .map_or(n, |p| i + p);
                self.push(stack, Kind::Word, i, end);
                end
            }
            _ => {
                self.push(stack, Kind::Punct, i, i + 1);
                i + 1
            }
        }
    }

    fn line_comment(&mut self, b: &[u8], i: usize, stack: &[(Frame, usize)]) -> usize {
        let mut end = b[i..]
            .iter()
            .position(|c| *c == b'\n')
            .map_or(b.len(), |p| i + p);
        if end > i && b[end - 1] == b'\r' && end < b.len() {
            end -= 1;
        }
        self.push(stack, Kind::LineComment, i, end);
        end
    }

    /// Lexes quoted string content at `i`; returns where to go on.
    fn quoted(&mut self, b: &[u8], i: usize, stack: &mut Vec<(Frame, usize)>) -> usize {
        let n = b.len();
        let mut j = i;
        while j < n {
            match b[j] {
                b'\\' => j += 2,
                b'$' | b'%' => match template_marker(b, j) {
                    Some(Marker::Open) => {
                        if j > i {
                            self.push(stack, Kind::Literal, i, j);
                        }
                        let open = self.push(stack, Kind::Open, j, j + 2);
                        stack.push((Frame::Code, open));
                        return j + 2;
                    }
                    Some(Marker::Escaped) => j += 3,
                    None => j += 1,
                },
                b'"' => {
                    if j > i {
                        self.push(stack, Kind::Literal, i, j);
                    }
                    self.close(stack, j, j + 1);
                    return j + 1;
                }
                b'\n' | b'\r' => {
                    // Quoted strings end at the line; let the enclosing
                    // expression see the line break.
                    if j > i {
                        self.push(stack, Kind::Literal, i, j);
                    }
                    if let Some((_, open)) = stack.pop() {
                        self.problems
                            .push((self.tokens[open].start, LexProblem::String));
                    }
                    return j;
                }
                _ => j += 1,
            }
        }
        let end = n.min(j);
        if end > i {
            self.push(stack, Kind::Literal, i, end);
        }
        n
    }

    /// Lexes heredoc content at `i`; returns where to go on.
    fn heredoc(
        &mut self,
        b: &[u8],
        i: usize,
        stack: &mut Vec<(Frame, usize)>,
        name: Range<usize>,
        at_line_start: bool,
    ) -> usize {
        let n = b.len();
        let mut j = i;
        let mut line_start = at_line_start;
        while j < n {
            if line_start {
                if let Some((k, end)) = heredoc_end(b, j, &b[name.clone()]) {
                    if j > i {
                        self.push(stack, Kind::Literal, i, j);
                    }
                    self.close(stack, k, end);
                    return end;
                }
                line_start = false;
            }
            match b[j] {
                b'\n' => {
                    j += 1;
                    line_start = true;
                }
                b'$' | b'%' => match template_marker(b, j) {
                    Some(Marker::Open) => {
                        if j > i {
                            self.push(stack, Kind::Literal, i, j);
                        }
                        if let Some((Frame::Heredoc { at_line_start, .. }, _)) = stack.last_mut() {
                            *at_line_start = false;
                        }
                        let open = self.push(stack, Kind::Open, j, j + 2);
                        stack.push((Frame::Code, open));
                        return j + 2;
                    }
                    Some(Marker::Escaped) => j += 3,
                    None => j += 1,
                },
                _ => j += 1,
            }
        }
        if n > i {
            self.push(stack, Kind::Literal, i, n);
        }
        n
    }

    /// Where the construct a token opens ends: its partner's end, or the
    /// token's own end.
    fn end_of(&self, index: usize) -> usize {
        let token = &self.tokens[index];
        if token.kind == Kind::Open {
            if let Some(close) = self.partner[index] {
                return self.tokens[close].end;
            }
        }
        token.end
    }

    /// The tokens directly inside the `Open` token at `open`, including its
    /// `Close`.
    fn children(&self, open: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.partner[open].map_or(self.tokens.len(), |c| c + 1);
        (open + 1..end)
            .filter(move |&i| self.parent[i] == Some(open) || self.partner[i] == Some(open))
    }

    /// The innermost `Open` token around `offset` that `accept`s.
    fn innermost_open(&self, offset: usize, accept: impl Fn(usize) -> bool) -> Option<usize> {
        self.enclosing(offset).into_iter().find(|&i| accept(i))
    }

    /// The `Open` tokens around `offset`, innermost first.
    fn enclosing(&self, offset: usize) -> Vec<usize> {
        // The last token starting before `offset`, then its ancestors.
        let first = self.tokens.partition_point(|t| t.start < offset);
        let mut out = Vec::new();
        let Some(mut i) = first.checked_sub(1) else {
            return out;
        };
        if self.tokens[i].kind == Kind::Open
            && (self.end_of(i) >= offset || self.partner[i].is_none())
        {
            out.push(i);
        } else if self.tokens[i].kind == Kind::Close {
            // A failure at or after a closing bracket is in whatever
            // contains that bracket.
            if let Some(open) = self.partner[i] {
                i = open;
            }
        }
        let mut cursor = self.parent[i];
        while let Some(open) = cursor {
            if self.end_of(open) >= offset || self.partner[open].is_none() {
                out.push(open);
            }
            cursor = self.parent[open];
        }
        out
    }

    /// `for` expressions around `offset`, innermost first, then those that
    /// start after it within the same top-level definition: hcl-edit may
    /// report a failure at the start of the definition it is in.
    fn for_expressions_near(&self, text: &str, offset: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .enclosing(offset)
            .into_iter()
            .filter(|&i| self.is_for_expression(text, i))
            .collect();
        let first = self.tokens.partition_point(|t| t.start < offset);
        for i in first..self.tokens.len() {
            let token = &self.tokens[i];
            if token.kind == Kind::Newline && self.parent[i].is_none() {
                break;
            }
            if token.kind == Kind::Open && self.is_for_expression(text, i) && !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }

    fn is_object(&self, text: &str, open: usize) -> bool {
        text.get(self.tokens[open].range()) == Some("{")
            && !self.is_for_expression(text, open)
            && !self.is_block_body(text, open)
    }

    /// Whether the `{` at `open` starts a block's body: it follows the
    /// block type or a quoted label (`locals {`, `resource "a" "b" {`).
    /// In an expression a `{` follows `=`, `:`, `=>`, `?`, `(`, `[` or `,`,
    /// never a word or a string.
    fn is_block_body(&self, text: &str, open: usize) -> bool {
        self.tokens[..open]
            .iter()
            .rev()
            .find(|t| !matches!(t.kind, Kind::LineComment | Kind::BlockComment))
            .is_some_and(|t| {
                t.kind == Kind::Word || (t.kind == Kind::Close && text.get(t.range()) == Some("\""))
            })
    }

    fn is_for_expression(&self, text: &str, open: usize) -> bool {
        let token = &self.tokens[open];
        if token.kind != Kind::Open || !matches!(text.get(token.range()), Some("{" | "[")) {
            return false;
        }
        self.tokens[open + 1..]
            .iter()
            .find(|t| {
                !matches!(
                    t.kind,
                    Kind::Newline | Kind::LineComment | Kind::BlockComment
                )
            })
            .is_some_and(|t| t.kind == Kind::Word && text.get(t.range()) == Some("for"))
    }
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c >= 0x80
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Recognises `<<ID` or `<<-ID` followed by a line break at `i`; returns the
/// name's range and the offset after the line break.
fn heredoc_start(b: &[u8], i: usize) -> Option<(usize, usize, usize)> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let name_start = j;
    match b.get(j) {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' || *c >= 0x80 => {}
        _ => return None,
    }
    while b.get(j).is_some_and(|c| is_word_byte(*c)) {
        j += 1;
    }
    let name_end = j;
    if b.get(j) == Some(&b'\r') {
        j += 1;
    }
    if b.get(j) == Some(&b'\n') {
        Some((name_start, name_end, j + 1))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn nesting_depth_of_bare_brackets_is_their_depth(text in "[{}()\\[\\]a \n]{0,400}") {
            let (mut depth, mut deepest) = (0usize, 0usize);
            for c in text.bytes() {
                match c {
                    b'{' | b'[' | b'(' => {
                        depth += 1;
                        deepest = deepest.max(depth);
                    }
                    b'}' | b']' | b')' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            proptest::prop_assert_eq!(nesting_depth(text.as_bytes()), deepest);
        }
    }

    #[test]
    fn nesting_depth_reads_strings_and_comments_as_hcl_edit_does() {
        assert_eq!(nesting_depth(b"a = [[1]]"), 2);
        assert_eq!(nesting_depth(b"a = \"]]\" # ]]\nb = [[[ /* ]] */ 1]]]"), 3);
        // hcl-edit lets a quoted string run across a line break, so the
        // closers on the next line are its text.
        assert_eq!(nesting_depth(b"a = {{ \"x\n}}\" {{ 1"), 4);
        assert_eq!(nesting_depth(b"a = \"${ {a = \"${[1]}\"} }\""), 4);
        assert_eq!(nesting_depth(b"a = \"$${{{ \\\" ]]\" [1]"), 1);
        assert_eq!(
            nesting_depth(b"a = <<EOT\n{{{ ${[1]} }}\n  EOT\nb = [1]"),
            2
        );
        assert_eq!(nesting_depth(b"a = <<-EOT\n  EOTX ((\n  EOT\nb = 1"), 0);
        assert_eq!(nesting_depth(b"a = ))) [[ ((("), 5);
    }

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        let lexed = Lexed::new(text);
        lexed
            .tokens
            .iter()
            .map(|t| (t.kind, &text[t.range()]))
            .collect()
    }

    #[test]
    fn lexer_keeps_strings_heredocs_and_comments_whole() {
        let text = "a = \"x # y ${b[\"}\"]} \" # c\nh = <<-EOT\n  { for\n  EOT\n";
        let toks = kinds(text);
        assert!(toks.contains(&(Kind::LineComment, "# c")));
        assert!(toks.contains(&(Kind::Literal, "x # y ")));
        assert!(toks.contains(&(Kind::Open, "<<-EOT\n")));
        assert!(toks.contains(&(Kind::Literal, "  { for\n")));
        assert!(toks.contains(&(Kind::Close, "EOT")));
        // Every opening token found its partner.
        let lexed = Lexed::new(text);
        for (i, t) in lexed.tokens.iter().enumerate() {
            if t.kind == Kind::Open {
                assert!(lexed.partner[i].is_some(), "{:?}", &text[t.range()]);
            }
        }
        assert!(lexed.problems.is_empty());
    }

    #[test]
    fn lexer_reports_unclosed_things() {
        assert_eq!(
            Lexed::new("a = \"x\nb = 1\n").problems,
            vec![(4, LexProblem::String)]
        );
        assert_eq!(
            Lexed::new("a = <<EOT\nx\n").problems,
            vec![(4, LexProblem::Heredoc)]
        );
        assert_eq!(Lexed::new("/* x").problems, vec![(0, LexProblem::Comment)]);
    }

    #[test]
    fn lexer_survives_deep_nesting_without_recursion() {
        let text = "a = ".to_string() + &"[".repeat(200_000);
        let lexed = Lexed::new(&text);
        assert_eq!(lexed.tokens.len(), 200_002);
    }

    #[test]
    fn for_detection() {
        let text =
            "a = { for x in y : x => x }\nb = { format = 1 }\nc = [\n # c\n for v in w : v]\n";
        let lexed = Lexed::new(text);
        let fors: Vec<&str> = (0..lexed.tokens.len())
            .filter(|&i| lexed.is_for_expression(text, i))
            .map(|i| &text[lexed.tokens[i].start..lexed.end_of(i)])
            .collect();
        assert_eq!(
            fors,
            vec!["{ for x in y : x => x }", "[\n # c\n for v in w : v]"]
        );
    }

    #[test]
    fn assignment_detection_skips_comparison_operators() {
        let text = "{ (a == b ? 1 : 2) = 3, c => 1, d <= 2, e : 1 }";
        let lexed = Lexed::new(text);
        let assigns: Vec<usize> = lexed
            .tokens
            .iter()
            .filter(|t| is_assignment(text.as_bytes(), t))
            .map(|t| t.start)
            .collect();
        // `:` in the conditional is an assignment by itself, but
        // `object_items` only looks for the first one outside brackets.
        assert_eq!(
            assigns,
            vec![
                text.find(" : ").unwrap() + 1,
                text.find("= 3").unwrap(),
                text.find("e :").unwrap() + 2
            ]
        );
        let items = object_items(text, &lexed, 0);
        let keys: Vec<&str> = items.iter().map(|i| &text[i.key.clone()]).collect();
        assert_eq!(keys, vec!["(a == b ? 1 : 2)", "e"]);
    }

    #[test]
    fn exact_offset_at_end_of_text() {
        for text in ["a = ", "a = \"é", "a = (é"] {
            let err = hcl_edit::parser::parse_body(text).unwrap_err();
            let off = exact_offset(text, &err);
            assert!(
                off == text.len() || text.is_char_boundary(off),
                "{text:?} {off}"
            );
        }
        // hcl-edit reports the last byte; the failure is after it.
        let err = hcl_edit::parser::parse_body("b {\n").unwrap_err();
        assert_eq!(err.location().offset(), 3);
        assert_eq!(exact_offset("b {\n", &err), 4);
        // A failure at the last byte stays there.
        let err = hcl_edit::parser::parse_body("a = 1 1").unwrap_err();
        assert_eq!(exact_offset("a = 1 1", &err), 6);
    }
}
