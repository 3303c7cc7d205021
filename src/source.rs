//! Source files and the mapping from byte offsets to lines and columns.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span { file, range }
    }
}

/// A 1-based line and column. Columns count Unicode scalar values, as
/// Terraform's own diagnostics do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One file read from disk. Its text is kept for the whole run so that
/// diagnostics can show snippets.
///
/// The path it was read from is not kept: nothing opens a file again once
/// it is read, and across a tree of tens of thousands of files the paths
/// were several megabytes held to the end of the run.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to users: relative to the working directory where
    /// possible, always with `/` separators.
    pub display: String,
    /// The file's text. Empty when the file could not be read as text.
    /// The string read from disk is kept as it is, not copied into an
    /// `Arc<str>`: shared, for snippets, without a second copy of the tree.
    pub text: Arc<String>,
    /// Where each line starts, worked out the first time a position is
    /// asked for: most files of a large tree never need it.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(display: String, text: String) -> SourceFile {
        SourceFile {
            display,
            text: Arc::new(text),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            // Counted first, so the list is allocated once: a second pass
            // over the bytes costs less than growing it line by line.
            let bytes = self.text.as_bytes();
            let mut starts = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', bytes).count());
            starts.push(0);
            starts.extend(memchr_newlines(bytes));
            starts
        })
    }

    /// The line and column of a byte offset. Offsets past the end map to the
    /// end of the file; offsets inside a multi-byte character map to that
    /// character.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line_idx = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = line_starts[line_idx];
        let mut end = offset;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        LineCol {
            line: line_idx + 1,
            column,
        }
    }

    /// The number of lines in the file.
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The text covered by a byte range, clamped to the file.
    pub fn slice(&self, range: &Range<usize>) -> &str {
        let mut start = range.start.min(self.text.len());
        let mut end = range.end.clamp(start, self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        &self.text[start..end]
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
}

/// Every file tfpin read during one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds files in order and returns the id of the first, which is what
    /// [`Self::len`] was.
    pub fn extend(&mut self, files: Vec<SourceFile>) -> FileId {
        let first = file_id(self.files.len());
        self.files.extend(files);
        first
    }

    /// Makes room for `additional` more files.
    pub fn reserve(&mut self, additional: usize) {
        self.files.reserve_exact(additional);
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        file_id(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

/// The id of the file at `index` in a source map.
pub fn file_id(index: usize) -> FileId {
    FileId(u32::try_from(index).expect("fewer than 4 billion files"))
}

/// A path that [`display_path`] would give back unchanged, as it is: UTF-8
/// with `/` as its only separator (Unix), no repeated separator, no `.`
/// component after the first and no trailing separator. Every path that
/// discovery builds by joining names is like this, and a path is shown
/// once per file, so skipping the component walk matters on large trees.
fn already_displayed(rel: &Path) -> Option<&str> {
    if !cfg!(unix) || !plain(rel.as_os_str().as_encoded_bytes()) {
        return None;
    }
    rel.to_str()
}

/// Whether the bytes of a Unix path are non-empty, with no repeated
/// separator, no `.` component after the first and no trailing separator:
/// then its components are exactly its `/`-separated parts.
fn plain(b: &[u8]) -> bool {
    !b.is_empty()
        && !b.ends_with(b"/")
        && !b.ends_with(b"/.")
        && !b.windows(2).enumerate().any(|(i, w)| {
            w[0] == b'/' && (w[1] == b'/' || (w[1] == b'.' && b.get(i + 2) == Some(&b'/')))
        })
}

/// Formats a path for users: relative to `base` when it lies below it, with
/// `/` separators on every platform.
pub fn display_path(path: &Path, base: &Path) -> String {
    #[cfg(unix)]
    if let Some(shown) = display_plain(path, base) {
        return shown;
    }
    let rel = path.strip_prefix(base).unwrap_or(path);
    match already_displayed(rel) {
        Some(clean) => clean.to_string(),
        None => display_by_components(rel),
    }
}

/// A path as seen from `base`, both absolute and normalised: relative,
/// with `..` steps where `path` is not below `base`, and `/` separators.
pub fn relative_path(path: &Path, base: &Path) -> String {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// [`display_path`] for two plain Unix paths (see [`plain`]), whose
/// components are their parts: comparing bytes then answers what the
/// component walk of `strip_prefix` would, at a fraction of the cost, and
/// a path is shown for every file. `None` for anything else.
#[cfg(unix)]
fn display_plain(path: &Path, base: &Path) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let (p, b) = (path.as_os_str().as_bytes(), base.as_os_str().as_bytes());
    if b.len() < 2 || !plain(p) || !plain(b) {
        return None;
    }
    let rel = match p.strip_prefix(b) {
        // The base itself, shown as `.`.
        Some([]) => return None,
        Some([b'/', rest @ ..]) => rest,
        // Not below the base (`/a/bc` is not below `/a/b`): shown whole.
        _ => p,
    };
    std::str::from_utf8(rel).ok().map(str::to_string)
}

fn display_by_components(rel: &Path) -> String {
    let mut out = String::with_capacity(rel.as_os_str().len());
    for (i, comp) in rel.components().enumerate() {
        if i > 0 && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&comp.as_os_str().to_string_lossy());
    }
    if out.is_empty() {
        ".".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `display_path` shows, worked out the slow way: the component
    /// walk of `strip_prefix`, and a path kept as it is only when plainly
    /// clean.
    fn walked(path: &Path, base: &Path) -> String {
        let rel = path.strip_prefix(base).unwrap_or(path);
        match rel.to_str() {
            Some(s)
                if !s.is_empty()
                    && !s.ends_with('/')
                    && !s.ends_with("/.")
                    && !s.contains("//")
                    && !s.contains("/./") =>
            {
                s.to_string()
            }
            _ => display_by_components(rel),
        }
    }

    #[test]
    fn paths_just_past_the_base_show_as_the_component_walk_shows_them() {
        for (path, base) in [
            ("/a/./c", "/a"),
            ("/a//c", "/a"),
            ("/a/bc", "/a/b"),
            ("/a/b", "/a/b"),
            ("/a/b/", "/a/b"),
            ("/a/b/c/.", "/a/b"),
            ("/a/b/.", "/a/b"),
            ("/a/b/c.tf", "/a/b"),
            ("x/y.tf", "x"),
            ("/b/c.tf", "/a"),
            ("./x/y.tf", "x"),
            ("x/y.tf", "./x"),
        ] {
            let (p, b) = (Path::new(path), Path::new(base));
            assert_eq!(display_path(p, b), walked(p, b), "{path} under {base}");
        }
        assert_eq!(display_path(Path::new("/a/./c"), Path::new("/a")), "c");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        // Comparing bytes shows every path as the component walk of
        // `strip_prefix` would.
        #[test]
        fn paths_show_as_the_component_walk_shows_them(
            base in proptest::collection::vec(proptest::sample::select(vec!["a", "b", ".", "..", "", "ab"]), 0..4),
            rest in proptest::collection::vec(proptest::sample::select(vec!["a", "b", ".", "..", "", "ab", "c.tf"]), 0..4),
            rooted in proptest::bool::ANY,
            glued in proptest::bool::ANY,
            apart in proptest::bool::ANY,
        ) {
            let mut b = base.join("/");
            if rooted {
                b.insert(0, '/');
            }
            // The path is the base, then more, with or without a separator
            // between them; or, apart, the more on its own, from the root.
            let p = if apart {
                format!("/{}", rest.join("/"))
            } else {
                format!("{b}{}{}", if glued { "" } else { "/" }, rest.join("/"))
            };
            let (path, base) = (Path::new(&p), Path::new(&b));
            proptest::prop_assert_eq!(display_path(path, base), walked(path, base));
        }
    }

    fn file(text: &str) -> SourceFile {
        SourceFile::new("a.tf".into(), text.to_string())
    }

    #[test]
    fn line_col_is_one_based() {
        let f = file("ab\ncd\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(1), LineCol { line: 1, column: 2 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(6), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_col(600), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = file("x = \"é\" y");
        // "é" is two bytes; the column after it is one more than its start.
        let y = f.text.find('y').unwrap();
        assert_eq!(f.line_col(y).column, 9);
        // An offset inside the multi-byte character maps to the character.
        let e = f.text.find('é').unwrap();
        assert_eq!(f.line_col(e + 1).column, f.line_col(e).column);
    }

    #[test]
    fn slice_clamps_to_char_boundaries() {
        let f = file("é");
        assert_eq!(f.slice(&(1..2)), "é");
        assert_eq!(f.slice(&(5..9)), "");
    }

    #[test]
    fn relative_paths_climb_with_dot_dot() {
        let r = |p: &str, b: &str| relative_path(Path::new(p), Path::new(b));
        assert_eq!(r("/r/a/b.tf", "/r"), "a/b.tf");
        assert_eq!(r("/r/m/x.tf", "/r/envs/prod"), "../../m/x.tf");
        assert_eq!(r("/r", "/r"), ".");
        assert_eq!(r("/r/a", "/"), "r/a");
    }

    #[test]
    fn display_paths_use_forward_slashes() {
        let base = Path::new("/r");
        assert_eq!(display_path(Path::new("/r/a/b.tf"), base), "a/b.tf");
        assert_eq!(display_path(Path::new("/r"), base), ".");
        assert_eq!(display_path(Path::new("/x/y.tf"), base), "/x/y.tf");
    }

    /// Paths made of a few names from a small set, so that `.`, `..`,
    /// empty names (repeated separators), backslashes and non-ASCII names
    /// come up often, with or without a leading and a trailing `/`.
    fn path_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let name = prop_oneof![
            Just("a"),
            Just("é"),
            Just("a\\b"),
            Just("."),
            Just(".."),
            Just("")
        ];
        (
            any::<bool>(),
            proptest::collection::vec(name, 0..5),
            any::<bool>(),
        )
            .prop_map(|(root, names, trailing)| {
                let mut s = if root { "/".to_string() } else { String::new() };
                s.push_str(&names.join("/"));
                if trailing {
                    s.push('/');
                }
                s
            })
    }

    proptest::proptest! {
        /// The shortcut for paths already in display form gives what the
        /// walk over components gives, whatever the path.
        #[test]
        fn displayed_paths_need_no_walk(s in path_text()) {
            let rel = Path::new(&s);
            if let Some(fast) = already_displayed(rel) {
                proptest::prop_assert_eq!(fast, display_by_components(rel));
            }
        }
    }
}
