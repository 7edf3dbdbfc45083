//! Links between answers and to the site's own pages. Authors write a link to another question as
//! `/questions/{id}`; the bank renders it as the question's canonical path, `/questions/{id}/{slug}`
//! (fixed by the URL scheme), so following it needs no redirect. Rendered HTML remembers where its
//! site-relative link targets start, so a copy read away from the site (a deck) can put the
//! site's address in front of them without parsing or rewriting the HTML.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use super::highlight::Code;

/// How answers link to each other: `[question 68](/questions/68)`.
pub const QUESTION_LINK_PREFIX: &str = "/questions/";

/// The canonical path of a question's page.
pub fn question_path(id: u32, slug: &str) -> String {
    format!("{QUESTION_LINK_PREFIX}{id}/{slug}")
}

/// The id a link target names when it points at a question page (`/questions/68`, optionally
/// followed by `/slug` or `#fragment`).
pub fn linked_question_id(target: &str) -> Option<u32> {
    let rest = target.strip_prefix(QUESTION_LINK_PREFIX)?;
    let end = rest.find(['/', '#', '?']).unwrap_or(rest.len());
    question_id_of_path(&target[..QUESTION_LINK_PREFIX.len() + end])
}

/// The id of a path that is exactly `/questions/{id}`.
fn question_id_of_path(path: &str) -> Option<u32> {
    let digits = path.strip_prefix(QUESTION_LINK_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The canonical path of every question of a bank, by id: what a link written `/questions/{id}`
/// (or `/questions/{id}#fragment`) is rendered as. Empty for a file read on its own, whose links
/// stay as written.
#[derive(Debug, Default)]
pub(crate) struct QuestionPaths {
    paths: HashMap<u32, String>,
}

impl QuestionPaths {
    /// The paths of questions given by id and slug.
    pub(crate) fn new<'a>(questions: impl IntoIterator<Item = (u32, &'a str)>) -> QuestionPaths {
        QuestionPaths {
            paths: questions
                .into_iter()
                .map(|(id, slug)| (id, question_path(id, slug)))
                .collect(),
        }
    }

    /// The target a link to `target` is rendered with: the canonical path of the question it
    /// names, with its fragment; `None` to keep it as written (not a question link, a path with
    /// more than the id, or an id the bank does not have).
    pub(crate) fn resolve(&self, target: &str) -> Option<String> {
        let (path, fragment) = match target.find('#') {
            Some(at) => target.split_at(at),
            None => (target, ""),
        };
        let canonical = self.paths.get(&question_id_of_path(path)?)?;
        Some(format!("{canonical}{fragment}"))
    }
}

/// Where the `index`th code block of some rendered HTML goes until it is highlighted: a tag no
/// Markdown can produce (text and raw HTML are escaped), ending in the line break the block's
/// `<pre>` ends in, so the renderer lays out what follows as it would after the block.
pub(crate) fn code_marker(index: usize) -> String {
    format!("{CODE_MARKER}{index}>\n")
}

const CODE_MARKER: &str = "<drillbook-code ";

/// Rendered HTML with the byte offsets at which its site-relative link targets (`href="/…"`)
/// start. Its code blocks are highlighted when it is first read.
#[derive(Debug, Clone, Default)]
pub struct Html {
    /// The HTML, with a marker for each code block when there are any.
    html: String,
    site_links: Vec<usize>,
    code: Vec<Arc<Code>>,
    /// The HTML with its code highlighted, once read (only when there is code).
    highlighted: OnceLock<Highlighted>,
}

/// HTML with its code highlighted, and its site-relative link targets where they now start.
#[derive(Debug, Clone, Default)]
struct Highlighted {
    html: String,
    site_links: Vec<usize>,
}

impl Html {
    /// HTML whose site-relative link targets start at `site_links`.
    #[cfg(test)]
    pub(crate) fn new(html: String, site_links: Vec<usize>) -> Html {
        Html::with_code(html, site_links, Vec::new())
    }

    /// HTML with a marker (see [`code_marker`]) for each block of `code`.
    pub(crate) fn with_code(html: String, site_links: Vec<usize>, code: Vec<Arc<Code>>) -> Html {
        Html {
            html,
            site_links,
            code,
            highlighted: OnceLock::new(),
        }
    }

    /// The HTML as the site serves it.
    pub fn as_str(&self) -> &str {
        self.finished().0
    }

    /// Highlights the code now, unless it is done.
    pub fn highlight(&self) {
        self.finished();
    }

    /// The finished HTML and where its site-relative link targets start.
    fn finished(&self) -> (&str, &[usize]) {
        if self.code.is_empty() {
            return (&self.html, &self.site_links);
        }
        let done = self
            .highlighted
            .get_or_init(|| self.with_code_highlighted());
        (&done.html, &done.site_links)
    }

    fn with_code_highlighted(&self) -> Highlighted {
        let mut html = String::with_capacity(self.html.len() * 2);
        let mut site_links = Vec::with_capacity(self.site_links.len());
        let mut links = self.site_links.iter().copied().peekable();
        let mut copied = 0;
        while let Some(found) = self.html[copied..].find(CODE_MARKER) {
            let start = copied + found;
            let digits = start + CODE_MARKER.len();
            let Some(length) = self.html[digits..].find('>') else {
                break;
            };
            let block = self.html[digits..digits + length]
                .parse::<usize>()
                .ok()
                .and_then(|index| self.code.get(index));
            let Some(block) = block else {
                break;
            };
            // Links before the marker move by what has been added so far.
            while let Some(at) = links.next_if(|&at| at < start) {
                site_links.push(at - copied + html.len());
            }
            html.push_str(&self.html[copied..start]);
            let code = block.html();
            html.push_str(code.strip_suffix('\n').unwrap_or(code));
            copied = digits + length + 1;
        }
        for at in links {
            site_links.push(at - copied + html.len());
        }
        html.push_str(&self.html[copied..]);
        Highlighted { html, site_links }
    }

    /// The HTML with `origin` (an absolute URL without a trailing slash, such as
    /// `https://example.org`) in front of every site-relative link target, for HTML read where
    /// no site resolves a relative link. The origin is escaped as the renderer escapes a target,
    /// so each attribute reads as if its link had been written absolute.
    pub fn with_origin(&self, origin: &str) -> String {
        let (html, site_links) = self.finished();
        let mut escaped = String::new();
        // Writing into a String cannot fail.
        let _ = pulldown_cmark_escape::escape_href(&mut escaped, origin);
        let mut out = String::with_capacity(html.len() + site_links.len() * escaped.len());
        let mut copied = 0;
        for &at in site_links {
            out.push_str(&html[copied..at]);
            out.push_str(&escaped);
            copied = at;
        }
        out.push_str(&html[copied..]);
        out
    }

    /// The same HTML without leading and trailing white space.
    pub(crate) fn trimmed(self) -> Html {
        let start = self.html.len() - self.html.trim_start().len();
        let kept = self.html.trim();
        let end = start + kept.len();
        Html {
            site_links: self
                .site_links
                .iter()
                .filter(|&&at| (start..end).contains(&at))
                .map(|&at| at - start)
                .collect(),
            html: kept.to_string(),
            code: self.code,
            highlighted: OnceLock::new(),
        }
    }
}

impl PartialEq for Html {
    fn eq(&self, other: &Html) -> bool {
        self.finished() == other.finished()
    }
}

impl Eq for Html {}

impl Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Html {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Html {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_ids_are_read_from_link_targets() {
        let cases = [
            ("/questions/68", Some(68)),
            ("/questions/68/some-slug", Some(68)),
            ("/questions/68#key-points", Some(68)),
            ("/questions/", None),
            ("/questions/6x", None),
            ("/questions/-1", None),
            ("/questions/99999999999", None),
            ("https://example.org/questions/1", None),
            ("/categories/1", None),
        ];
        for (target, expected) in cases {
            assert_eq!(linked_question_id(target), expected, "{target}");
        }
    }

    #[test]
    fn links_to_known_questions_resolve_to_their_canonical_path() {
        let paths = QuestionPaths::new([(6, "six"), (68, "sixty-eight")]);
        let cases = [
            ("/questions/68", Some("/questions/68/sixty-eight")),
            ("/questions/6#kp", Some("/questions/6/six#kp")),
            ("/questions/068", Some("/questions/68/sixty-eight")),
            ("/questions/7", None),
            ("/questions/68/x", None),
            ("/questions/68?x=1", None),
            ("/questions/", None),
            ("https://e.org/questions/6", None),
        ];
        for (target, expected) in cases {
            assert_eq!(paths.resolve(target).as_deref(), expected, "{target}");
        }
    }

    #[test]
    fn an_origin_goes_in_front_of_each_site_link_only() {
        let html = r#"<a href="/questions/2/two#why">2</a> <a href="https://x.example/">x</a>"#;
        let links = Html::new(html.to_string(), vec![9]);
        assert_eq!(
            links.with_origin("https://drill.example"),
            r#"<a href="https://drill.example/questions/2/two#why">2</a> <a href="https://x.example/">x</a>"#
        );
        assert_eq!(links.with_origin(""), html);
        assert_eq!(
            Html::new("<a href=\"/\">".to_string(), vec![9]).with_origin("https://a.example/?x&y"),
            "<a href=\"https://a.example/?x&amp;y/\">"
        );
    }

    #[test]
    fn trimming_keeps_the_offsets_on_their_links() {
        let html = Html::new("\n <a href=\"/a\">a</a>\n".to_string(), vec![11]).trimmed();
        assert_eq!(html, "<a href=\"/a\">a</a>");
        assert_eq!(
            html.with_origin("https://o.example"),
            "<a href=\"https://o.example/a\">a</a>"
        );
    }
}
