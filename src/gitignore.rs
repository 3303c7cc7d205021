//! `.gitignore` patterns, as git reads them (gitignore(5)), enough to say
//! whether a file is ignored and which line says so.
//!
//! What is followed: comments and blank lines, trailing spaces unless
//! escaped, `!` negation, `\` escapes, patterns for directories only
//! (a trailing `/`), patterns anchored to the file's directory (a `/` at
//! the start or in the middle), `*`, `?`, `[...]` and the three uses of
//! `**`. Braces are literal, as in git. Only the file's own path is
//! matched: whether a directory above it is excluded, which git would also
//! ask, is left to the caller (a root module whose whole directory is
//! ignored says nothing about lock files).

use std::ops::Range;

/// The patterns of one `.gitignore` file, in file order.
#[derive(Debug, Clone, Default)]
pub struct Gitignore {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Pattern {
    matcher: globset::GlobMatcher,
    negated: bool,
    dir_only: bool,
    /// The line as written, without its line break.
    line: Range<usize>,
}

/// The pattern that decides a path: the last one in the file that matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// A `!` pattern: the path is not ignored after all.
    pub negated: bool,
    /// The byte range of the pattern's line in the file.
    pub line: Range<usize>,
}

impl Gitignore {
    /// Reads a file's text. A pattern that cannot be read as a glob
    /// matches nothing, as git's matcher never matches it either.
    pub fn parse(text: &str) -> Gitignore {
        let mut patterns = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            let line = start..start + raw.trim_end_matches(['\n', '\r']).len();
            start += raw.len();
            if let Some(p) = pattern(&text[line.clone()], line) {
                patterns.push(p);
            }
        }
        Gitignore { patterns }
    }

    /// The pattern that decides the file at `path`, written relative to
    /// the `.gitignore`'s directory with `/` between its parts; `None`
    /// when no pattern matches it.
    pub fn decide(&self, path: &str) -> Option<Match> {
        let candidate = globset::Candidate::new(path);
        (self.patterns.iter().rev())
            .find(|p| !p.dir_only && p.matcher.is_match_candidate(&candidate))
            .map(|p| Match {
                negated: p.negated,
                line: p.line.clone(),
            })
    }
}

/// One line as a pattern; `None` for a blank line or a comment.
fn pattern(text: &str, line: Range<usize>) -> Option<Pattern> {
    if text.starts_with('#') {
        return None;
    }
    let text = trim_unescaped_spaces(text);
    let (negated, text) = match text.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (dir_only, text) = match text.strip_suffix('/') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if text.is_empty() {
        return None;
    }
    // A `/` at the start or in the middle anchors the pattern to the
    // file's directory; without one it matches at any depth below it.
    let glob = match text.strip_prefix('/') {
        Some(rest) => rest.to_string(),
        None if text.contains('/') => text.to_string(),
        None => format!("**/{text}"),
    };
    // Braces mean nothing to git.
    let glob = glob.replace('{', "\\{").replace('}', "\\}");
    let matcher = globset::GlobBuilder::new(&glob)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .ok()?
        .compile_matcher();
    Some(Pattern {
        matcher,
        negated,
        dir_only,
        line,
    })
}

/// The line without its trailing spaces, except one escaped with `\`.
fn trim_unescaped_spaces(text: &str) -> &str {
    let trimmed = text.trim_end_matches(' ');
    let escaped = trimmed.ends_with('\\') && !trimmed.ends_with("\\\\");
    if escaped && trimmed.len() < text.len() {
        &text[..trimmed.len() + 1]
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `path` is ignored by `text`, and the line that decides it.
    fn ignored(text: &str, path: &str) -> Option<(bool, String)> {
        let g = Gitignore::parse(text);
        g.decide(path)
            .map(|m| (!m.negated, text[m.line].to_string()))
    }

    /// Each answer is the one `git check-ignore --no-index -v` (git 2.47)
    /// gives for the path in a repository whose top-level `.gitignore`
    /// holds the text.
    #[test]
    fn answers_as_git_does() {
        let lock = ".terraform.lock.hcl";
        // (.gitignore text, path, whether ignored and by which line)
        type Case<'a> = (&'a str, &'a str, Option<(bool, &'a str)>);
        let cases: &[Case] = &[
            (
                ".terraform.lock.hcl\n",
                lock,
                Some((true, ".terraform.lock.hcl")),
            ),
            (
                ".terraform.lock.hcl\n",
                "envs/prod/.terraform.lock.hcl",
                Some((true, ".terraform.lock.hcl")),
            ),
            (
                "*.lock.hcl\n",
                "envs/prod/.terraform.lock.hcl",
                Some((true, "*.lock.hcl")),
            ),
            (
                "**/.terraform.lock.hcl\n",
                "a/b/.terraform.lock.hcl",
                Some((true, "**/.terraform.lock.hcl")),
            ),
            (
                "**/.terraform.lock.hcl\n",
                lock,
                Some((true, "**/.terraform.lock.hcl")),
            ),
            (
                ".terraform*\n",
                "envs/.terraform.lock.hcl",
                Some((true, ".terraform*")),
            ),
            // Anchored to the file's directory.
            (
                "/.terraform.lock.hcl\n",
                lock,
                Some((true, "/.terraform.lock.hcl")),
            ),
            ("/.terraform.lock.hcl\n", "envs/.terraform.lock.hcl", None),
            (
                "envs/*/.terraform.lock.hcl\n",
                "envs/prod/.terraform.lock.hcl",
                Some((true, "envs/*/.terraform.lock.hcl")),
            ),
            (
                "envs/*/.terraform.lock.hcl\n",
                "envs/prod/eu/.terraform.lock.hcl",
                None,
            ),
            (
                "envs/**/.terraform.lock.hcl\n",
                "envs/prod/eu/.terraform.lock.hcl",
                Some((true, "envs/**/.terraform.lock.hcl")),
            ),
            (
                "envs/**/.terraform.lock.hcl\n",
                "envs/.terraform.lock.hcl",
                Some((true, "envs/**/.terraform.lock.hcl")),
            ),
            // Negation: the last matching line wins.
            (
                "*.hcl\n!.terraform.lock.hcl\n",
                "x/.terraform.lock.hcl",
                Some((false, "!.terraform.lock.hcl")),
            ),
            (
                "!.terraform.lock.hcl\n*.hcl\n",
                "x/.terraform.lock.hcl",
                Some((true, "*.hcl")),
            ),
            // Directory-only patterns, comments, escapes, spaces.
            (".terraform.lock.hcl/\n", lock, None),
            ("# .terraform.lock.hcl\n", lock, None),
            (
                "\\#.terraform.lock.hcl\n",
                "#.terraform.lock.hcl",
                Some((true, "\\#.terraform.lock.hcl")),
            ),
            ("\\!important\n", "!important", Some((true, "\\!important"))),
            (
                ".terraform.lock.hcl   \n",
                lock,
                Some((true, ".terraform.lock.hcl   ")),
            ),
            ("a\\ \n", "a ", Some((true, "a\\ "))),
            (
                ".terraform.lock.hcl\r\n",
                lock,
                Some((true, ".terraform.lock.hcl")),
            ),
            // A `*` does not cross a `/`; braces are literal.
            ("envs*lock.hcl\n", "envs/.terraform.lock.hcl", None),
            ("{a,b}.hcl\n", "a.hcl", None),
            ("{a,b}.hcl\n", "{a,b}.hcl", Some((true, "{a,b}.hcl"))),
            (
                "?terraform.lock.hcl\n",
                lock,
                Some((true, "?terraform.lock.hcl")),
            ),
            (
                "[.]terraform.lock.hcl\n",
                lock,
                Some((true, "[.]terraform.lock.hcl")),
            ),
            ("*.tfstate\n", lock, None),
        ];
        for (text, path, want) in cases {
            let got = ignored(text, path);
            let want = want.map(|(i, l)| (i, l.to_string()));
            assert_eq!(got, want, "{text:?} {path}");
        }
    }
}
