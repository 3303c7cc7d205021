//! Between the protocol's positions and URIs and tfpin's byte offsets and
//! paths. Positions count UTF-16 code units, the protocol's default.

use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The file a `file:` URI names, normalised as the workspace keys paths
/// (so `prod/../prod/main.tf` is `prod/main.tf`); `None` for any other
/// scheme.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    if url.scheme() != "file" {
        return None;
    }
    Some(crate::model::workspace::normalize(
        &url.to_file_path().ok()?,
    ))
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// The position of a byte offset in `text`; an offset inside a character
/// counts as its start.
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

pub fn range(text: &str, r: &std::ops::Range<usize>) -> Range {
    Range::new(position(text, r.start), position(text, r.end.max(r.start)))
}

/// The byte offset of a position: past the end of its line is the line's
/// end, past the last line is the end of the text.
pub fn offset(text: &str, p: Position) -> usize {
    let mut start = 0;
    for _ in 0..p.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0u32;
    for (i, c) in text[start..line_end].char_indices() {
        if units >= p.character {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a = 1\nb = \"é😀x\"\n";
        let x = text.find('x').unwrap();
        // é is one unit, 😀 two.
        assert_eq!(position(text, x), Position::new(1, 8));
        assert_eq!(offset(text, Position::new(1, 8)), x);
        assert_eq!(offset(text, Position::new(1, 99)), text.len() - 1);
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
        assert_eq!(position(text, 0), Position::new(0, 0));
    }

    #[test]
    fn uris_and_paths_round_trip() {
        let p = Path::new("/tmp/a dir/main.tf");
        let uri = uri_of(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/main.tf");
        assert_eq!(path_of(&uri).unwrap(), p);
        assert_eq!(
            path_of(&Uri::from_str("untitled:Untitled-1").unwrap()),
            None
        );
    }
}
