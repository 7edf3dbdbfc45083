//! The passage shown under each result: the best-matching stretch of the answer, escaped, with
//! the matched words in `<mark>`.

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;

use super::SearchError;
use super::schema::Fields;
use crate::bank::Question;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 180;

/// Snippet makers for the fields a passage can come from, best source first.
pub(super) struct Snippets {
    body: SnippetGenerator,
    key_points: SnippetGenerator,
    follow_ups: SnippetGenerator,
    summary: SnippetGenerator,
}

impl Snippets {
    /// Snippet makers for the matches of `query`.
    pub(super) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
    ) -> Result<Snippets, SearchError> {
        let make = |field| -> Result<SnippetGenerator, SearchError> {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Ok(generator)
        };
        Ok(Snippets {
            body: make(fields.body)?,
            key_points: make(fields.key_points)?,
            follow_ups: make(fields.follow_ups)?,
            summary: make(fields.summary)?,
        })
    }

    /// The first passage with a match among body, key points, follow-ups and summary; the
    /// summary if none.
    pub(super) fn best(&self, q: &Question) -> String {
        let key_points = q.answer.key_points_text(" · ");
        let follow_ups = q.answer.follow_ups_text();
        let sources = [
            (&self.body, q.answer.text.as_str()),
            (&self.key_points, key_points.as_str()),
            (&self.follow_ups, follow_ups.as_str()),
            (&self.summary, q.summary.as_str()),
        ];
        for (generator, text) in sources {
            let mut snippet = generator.snippet(text);
            if !snippet.highlighted().is_empty() {
                snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                return snippet.to_html();
            }
        }
        let mut plain = String::new();
        // Writing into a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut plain, &q.summary);
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_bank::{indexed, search};

    fn snippet(text: &str, id: u32) -> String {
        let (bank, index) = indexed();
        let results = search(&bank, &index, text, |_| {});
        let hit = results.hits.iter().find(|hit| hit.id == id);
        hit.map(|hit| hit.snippet_html.clone())
            .unwrap_or_else(|| panic!("{text:?} finds question {id}: {results:?}"))
    }

    #[test]
    fn matches_are_marked_in_the_answer_whatever_their_form() {
        let html = snippet("decorator", 1);
        assert!(html.starts_with("A <mark>decorator</mark> takes"), "{html}");
        assert!(html.contains("<mark>Decorators</mark>"), "{html}");
    }

    #[test]
    fn a_snippet_starts_near_its_match_in_a_long_answer() {
        let html = snippet("sentinel", 5);
        assert!(html.contains("<mark>sentinel</mark>"), "{html}");
        assert!(!html.starts_with("Every web form"), "{html}");
        let text = html.replace("<mark>", "").replace("</mark>", "");
        assert!(text.chars().count() <= super::SNIPPET_CHARS, "{html}");
    }

    #[test]
    fn without_a_match_in_the_answer_key_points_then_the_summary_are_shown() {
        assert_eq!(snippet("placeholders", 5), "use <mark>placeholders</mark>");
        assert_eq!(
            snippet("untrusted", 5),
            "<mark>Untrusted</mark> input pasted into a &lt;query",
            "a passage ends with its last word"
        );
        assert_eq!(
            snippet("explain", 5),
            "Untrusted input pasted into a &lt;query&gt;.",
            "a match in the title only: the summary, escaped, unmarked"
        );
    }
}
