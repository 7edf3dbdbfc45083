//! The two parsing steps for content files: cut the `+++` front matter out of a question file,
//! then deserialize TOML into a typed struct whose fields remember where they were written, so a
//! later rule can point at the offending key's line.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

/// A question file cut into its front matter and its Markdown.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SplitFile<'a> {
    /// The TOML between the `+++` lines.
    pub front: &'a str,
    /// File line of the front matter's first line.
    pub front_line: usize,
    /// The Markdown after the closing `+++`.
    pub body: &'a str,
    /// File line of the body's first line.
    pub body_line: usize,
}

/// Cuts a question file (BOM already removed, CRLF already made LF) at its `+++` lines.
pub(crate) fn split(text: &str) -> Result<SplitFile<'_>, (usize, String)> {
    let mut lines = text.split_inclusive('\n');
    let opening = lines.next().unwrap_or("");
    if opening.trim_end() != "+++" {
        return Err((
            1,
            format!(
                "a question file must start with a `+++` line that opens its front matter, \
                 found `{}`",
                opening.trim_end()
            ),
        ));
    }
    let front_start = opening.len();
    let mut offset = front_start;
    for (line, current) in (2..).zip(lines) {
        if current.trim_end() == "+++" {
            return Ok(SplitFile {
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[offset + current.len()..],
                body_line: line + 1,
            });
        }
        offset += current.len();
    }
    Err((
        1,
        "the front matter opened here is never closed: add a `+++` line after it".to_string(),
    ))
}

/// The line of `source` that byte `offset` falls on, given the file line `source` starts at.
pub(crate) fn line_of(source: &str, offset: usize, first_line: usize) -> usize {
    let offset = offset.min(source.len());
    first_line
        + source.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
}

/// Line numbers of byte offsets in one text, by binary search over its line ends: a file with many
/// spans to locate (a long `related` list, an answer full of links) is scanned once, not once per
/// span, so a large hostile file is read in time linear in its size.
pub(crate) struct Lines {
    newlines: Vec<usize>,
    first_line: usize,
}

impl Lines {
    /// The lines of `source`, which starts at file line `first_line`.
    pub(crate) fn new(source: &str, first_line: usize) -> Lines {
        let newlines = source
            .bytes()
            .enumerate()
            .filter_map(|(i, b)| (b == b'\n').then_some(i))
            .collect();
        Lines {
            newlines,
            first_line,
        }
    }

    /// The file line byte `offset` falls on, as [`line_of`] says.
    pub(crate) fn at(&self, offset: usize) -> usize {
        self.first_line + self.newlines.partition_point(|&newline| newline < offset)
    }
}

/// Deserializes TOML, turning an error into a file line and a message without the parser's
/// ASCII-art excerpt (the line number says where to look).
pub(crate) fn parse_toml<T: DeserializeOwned>(
    source: &str,
    first_line: usize,
) -> Result<T, (usize, String)> {
    toml::from_str(source).map_err(|err| {
        let line = err
            .span()
            .map_or(first_line, |span| line_of(source, span.start, first_line));
        (line, err.message().trim().to_string())
    })
}

/// A question's front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionFront {
    pub id: Spanned<i64>,
    pub title: Spanned<String>,
    pub difficulty: Spanned<String>,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    pub summary: Spanned<String>,
    #[serde(default)]
    pub related: Vec<Spanned<i64>>,
    pub reviewed: Option<Spanned<toml::value::Datetime>>,
}

/// A category's `_category.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoryFile {
    pub title: Spanned<String>,
    pub order: Spanned<i64>,
    pub description: Spanned<String>,
    #[serde(default)]
    pub groups: Vec<GroupFile>,
}

/// One `[[groups]]` table of a `_category.toml`: a sub-heading of the category page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupFile {
    pub tag: Spanned<String>,
    pub title: Spanned<String>,
}

/// The content folder's `site.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteFile {
    pub title: Spanned<String>,
    pub description: Spanned<String>,
    pub base_url: Spanned<String>,
    pub headline: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body_with_lines() {
        let file = "+++\nid = 1\ntitle = \"x\"\n+++\nBody\n";
        assert_eq!(
            split(file),
            Ok(SplitFile {
                front: "id = 1\ntitle = \"x\"\n",
                front_line: 2,
                body: "Body\n",
                body_line: 5,
            })
        );
    }

    #[test]
    fn rejects_missing_and_unterminated_front_matter() {
        let cases = [
            ("", "must start with a `+++` line"),
            ("id = 1\n", "found `id = 1`"),
            ("+++\nid = 1\n", "never closed"),
            ("+++", "never closed"),
        ];
        for (file, expected) in cases {
            let (line, message) = split(file).expect_err(file);
            assert_eq!(line, 1, "{file:?}");
            assert!(message.contains(expected), "{file:?}: {message}");
        }
    }

    #[test]
    fn toml_errors_point_at_their_line() {
        let source = "id = 1\ntitle = \"t\"\ndifficulty = \"easy\"\nsummary = \"s\"\ncolour = 3\n";
        let (line, message) = parse_toml::<QuestionFront>(source, 2).expect_err("unknown field");
        assert_eq!(line, 6);
        assert!(message.starts_with("unknown field `colour`"), "{message}");

        let (line, message) = parse_toml::<QuestionFront>("id = \n", 2).expect_err("bad toml");
        assert_eq!(line, 2);
        assert!(!message.contains('|'), "no excerpt art: {message}");
    }

    #[test]
    fn category_groups_are_optional_and_strict() {
        let plain: CategoryFile =
            parse_toml("title = \"t\"\norder = 1\ndescription = \"d\"\n", 1).expect("valid");
        assert!(plain.groups.is_empty());

        let source = "title = \"t\"\norder = 1\ndescription = \"d\"\n\n[[groups]]\ntag = \"web\"\n\
                      title = \"Web\"\n\n[[groups]]\ntag = \"x\"\nheading = \"X\"\n";
        let (line, message) = parse_toml::<CategoryFile>(source, 1).expect_err("unknown key");
        assert_eq!(line, 11);
        assert!(message.starts_with("unknown field `heading`"), "{message}");
    }

    #[test]
    fn line_index_agrees_with_counting() {
        let source = "a\n\nbc\nd";
        let lines = Lines::new(source, 5);
        for offset in 0..=source.len() + 2 {
            assert_eq!(lines.at(offset), line_of(source, offset, 5), "{offset}");
        }
    }

    #[test]
    fn spans_locate_each_key() {
        let source =
            "id = 7\ntitle = \"t\"\ndifficulty = \"easy\"\nsummary = \"s\"\nrelated = [1,\n  2]\n";
        let front: QuestionFront = parse_toml(source, 2).expect("valid");
        assert_eq!(line_of(source, front.difficulty.span().start, 2), 4);
        assert_eq!(line_of(source, front.related[1].span().start, 2), 7);
    }
}
