//! Provisional parsing layer (to be replaced by the robust one).

use hcl_edit::structure::Body;
use std::borrow::Cow;

pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    Binary { offset: usize },
    InvalidUtf8 { offset: usize },
}

impl InputProblem {
    pub fn offset(&self) -> usize {
        match self {
            InputProblem::Binary { offset } | InputProblem::InvalidUtf8 { offset } => *offset,
        }
    }
    pub fn message(&self) -> String {
        match self {
            InputProblem::Binary { .. } => "file is binary (it contains a NUL byte)".into(),
            InputProblem::InvalidUtf8 { .. } => "file is not valid UTF-8".into(),
        }
    }
}

pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, InputProblem> {
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(InputProblem::Binary { offset });
    }
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|e| InputProblem::InvalidUtf8 {
            offset: e.valid_up_to(),
        })
}

pub struct Parsed {
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct ParseFailure {
    pub offset: usize,
    pub message: String,
}

pub fn parse_body(text: &str) -> Result<Parsed, ParseFailure> {
    hcl_edit::parser::parse_body(text)
        .map(|body| Parsed { body })
        .map_err(|e| ParseFailure {
            offset: e.location().offset(),
            message: e.message().lines().next().unwrap_or("").to_string(),
        })
}
