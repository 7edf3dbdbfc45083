//! A page's `<title>`: its own title, then the site's name, within what search results and chat
//! apps show ([`MAX_TITLE_CHARS`]). Titles the site makes up (a search, a tag, an error) are
//! shortened at a word to fit; a question's wording is its identity and is never cut, so a long
//! question is the whole `<title>` instead.

use crate::bank::title::{MAX_TITLE_CHARS, TITLE_SEPARATOR, length_with_site, with_site};

/// What ends a shortened title.
const ELLIPSIS: char = '…';

/// Whether a page's title may be shortened to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    /// Made up by the site: shortened at a word boundary when too long.
    Generated,
    /// Written by the content's author and quoted as is (a question): never cut, and the site
    /// name is left out when both do not fit.
    Verbatim,
}

/// The `<title>` of a page titled `page` (the site's name alone when `page` is empty).
pub fn document_title(page: &str, site: &str, wording: Wording) -> String {
    if page.is_empty() {
        return site.to_string();
    }
    if length_with_site(page, site) <= MAX_TITLE_CHARS {
        return with_site(page, site);
    }
    match wording {
        Wording::Verbatim => page.to_string(),
        Wording::Generated => {
            let room = MAX_TITLE_CHARS
                .saturating_sub(TITLE_SEPARATOR.chars().count() + site.chars().count() + 1);
            with_site(&format!("{}{ELLIPSIS}", shorten(page, room)), site)
        }
    }
}

/// The longest start of `text` of at most `room` characters that ends at a word, without the
/// spaces and punctuation that would hang before the ellipsis. A word so long that ending before
/// it would leave less than half the room (a search for one long string) is cut inside, so the
/// title still shows some of it.
fn shorten(text: &str, room: usize) -> &str {
    let Some((end, next)) = text.char_indices().nth(room) else {
        return text.trim_end();
    };
    let start = &text[..end];
    let at_word = if next.is_whitespace() {
        start
    } else {
        match start.rfind(char::is_whitespace) {
            Some(space) if start[..space].chars().count() >= room / 2 => &start[..space],
            _ => start,
        }
    };
    at_word.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_that_fits_ends_with_the_site_name() {
        assert_eq!(
            document_title("Search", "drillbook", Wording::Generated),
            "Search | drillbook"
        );
        assert_eq!(
            document_title("", "drillbook", Wording::Generated),
            "drillbook"
        );
    }

    #[test]
    fn a_generated_title_is_shortened_at_a_word_with_an_ellipsis() {
        let page =
            "Search results for how does the global interpreter lock affect threads in CPython";
        let title = document_title(page, "drillbook", Wording::Generated);
        assert_eq!(
            title,
            "Search results for how does the global interpreter lock… | drillbook"
        );
        assert!(title.chars().count() <= MAX_TITLE_CHARS);
    }

    #[test]
    fn one_long_word_is_cut_inside_and_still_fits() {
        let page = format!("Search results for {}", "é".repeat(300));
        let title = document_title(&page, "drillbook", Wording::Generated);
        assert_eq!(title.chars().count(), MAX_TITLE_CHARS);
        assert!(title.starts_with("Search results for éé"), "{title}");
        assert!(title.ends_with("é… | drillbook"), "{title}");
        let word = "x".repeat(200);
        let title = document_title(&word, "drillbook", Wording::Generated);
        assert_eq!(title.chars().count(), MAX_TITLE_CHARS);
    }

    #[test]
    fn punctuation_before_the_cut_is_dropped() {
        assert_eq!(shorten("one, two three", 6), "one");
        assert_eq!(shorten("one, two three", 8), "one, two");
        assert_eq!(shorten("one two", 3), "one");
        assert_eq!(shorten("one two", 4), "one");
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("a verylongword", 10), "a verylong", "cut inside");
    }

    #[test]
    fn a_long_question_is_its_own_title_uncut() {
        let question = "How would you design a rate limiter for a public API that runs on many \
                        servers behind a load balancer?";
        assert_eq!(
            document_title(question, "drillbook", Wording::Verbatim),
            question
        );
        assert_eq!(
            document_title("What is the GIL?", "drillbook", Wording::Verbatim),
            "What is the GIL? | drillbook"
        );
    }
}
