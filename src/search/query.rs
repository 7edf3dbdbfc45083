//! Reading what a person typed into words and quoted phrases. There is no query language: `AND`,
//! `title:`, `*` or a lone `"` are just text.

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words and phrase words used from one query; the rest are left out (see
/// [`UserQuery::left_out`]). Each word is looked up in every weighted field, ranked and marked in
/// snippets, about 0.1 ms a word on the shipped bank: 12 keeps the longest query near 2 ms, and
/// holds every title of the bank (13 words at most) but for its last word.
pub const MAX_TERMS: usize = 12;

/// A query as words to match anywhere and phrases to match word for word.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct UserQuery {
    /// Lowercase words, without repeats, in the order typed.
    pub words: Vec<String>,
    /// Quoted runs of two or more words.
    pub phrases: Vec<Vec<String>>,
    /// Whether words past the first [`MAX_TERMS`] were left out.
    pub left_out: bool,
}

impl UserQuery {
    /// Whether there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }
}

/// A query that cannot be searched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Longer than [`MAX_QUERY_CHARS`].
    #[error("search queries are limited to {limit} characters; this one has {length}")]
    TooLong {
        /// The limit.
        limit: usize,
        /// The query's length in characters.
        length: usize,
    },
}

/// Splits text into words: runs of letters and digits, lowercased.
///
/// Lowercasing can add a mark that is neither (`İ` becomes `i` and a combining dot above); it is
/// dropped, so a word stays letters and digits and `İstanbul` reads as the `istanbul` people type.
pub(super) fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .map(|w| w.to_lowercase().replace(|c: char| !c.is_alphanumeric(), ""))
        .filter(|w| !w.is_empty())
}

/// Reads a query. Text between double quotes is a phrase; an unmatched quote is ignored.
pub fn parse(text: &str) -> Result<UserQuery, QueryError> {
    let length = text.chars().count();
    if length > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong {
            limit: MAX_QUERY_CHARS,
            length,
        });
    }
    let mut query = UserQuery::default();
    let mut terms = 0;
    let segments: Vec<&str> = text.split('"').collect();
    let closed = segments.len() % 2 == 1;
    for (i, segment) in segments.iter().enumerate() {
        let quoted = i % 2 == 1 && (closed || i + 1 < segments.len());
        let mut words: Vec<String> = words_of(segment).collect();
        let room = MAX_TERMS.saturating_sub(terms);
        if words.len() > room {
            words.truncate(room);
            query.left_out = true;
        }
        terms += words.len();
        if quoted && words.len() >= 2 {
            if !query.phrases.contains(&words) {
                query.phrases.push(words);
            }
            continue;
        }
        for word in words {
            if !query.words.contains(&word) {
                query.words.push(word);
            }
        }
    }
    Ok(query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(words: &[&str], phrases: &[&[&str]]) -> UserQuery {
        UserQuery {
            words: words.iter().map(|w| w.to_string()).collect(),
            phrases: phrases
                .iter()
                .map(|p| p.iter().map(|w| w.to_string()).collect())
                .collect(),
            left_out: false,
        }
    }

    #[test]
    fn reads_words_and_phrases_without_a_query_language() {
        let cases: Vec<(&str, UserQuery)> = vec![
            ("GIL", q(&["gil"], &[])),
            (
                "global interpreter lock",
                q(&["global", "interpreter", "lock"], &[]),
            ),
            (
                "\"sql injection\" django",
                q(&["django"], &[&["sql", "injection"]]),
            ),
            ("\"unbalanced", q(&["unbalanced"], &[])),
            ("a \"b c\" \"d", q(&["a", "d"], &[&["b", "c"]])),
            ("\"single\"", q(&["single"], &[])),
            ("AND OR NOT", q(&["and", "or", "not"], &[])),
            ("title:", q(&["title"], &[])),
            ("*", q(&[], &[])),
            ("((", q(&[], &[])),
            ("🐍 python 🐍", q(&["python"], &[])),
            ("*args **kwargs", q(&["args", "kwargs"], &[])),
            ("`__init__.py`", q(&["init", "py"], &[])),
            ("Decorator decorator", q(&["decorator"], &[])),
            ("Größe café", q(&["größe", "café"], &[])),
            // Found by fuzzing: lowercase `İ` is `i` plus U+0307, which is not a letter.
            ("İstanbul \"İİ x\"", q(&["istanbul"], &[&["ii", "x"]])),
            ("", q(&[], &[])),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn long_queries_are_refused_and_many_words_capped() {
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            parse(&long),
            Err(QueryError::TooLong {
                limit: MAX_QUERY_CHARS,
                length: MAX_QUERY_CHARS + 1
            })
        );
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        let capped = parse(&many).expect("parses");
        assert_eq!(capped.words.len(), MAX_TERMS);
        assert!(capped.left_out);
        let exactly: String = (0..MAX_TERMS).map(|i| format!("w{i} ")).collect();
        assert!(!parse(&exactly).expect("parses").left_out);
        let phrase_last = format!("{exactly} \"one more\"");
        assert!(parse(&phrase_last).expect("parses").left_out);
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_too_long(text in ".{0,600}") {
            match parse(&text) {
                Ok(query) => {
                    prop_assert!(query.words.len() + query.phrases.iter().map(Vec::len).sum::<usize>() <= MAX_TERMS);
                    prop_assert!(query.words.iter().all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric)));
                }
                Err(QueryError::TooLong { length, .. }) => prop_assert!(length > MAX_QUERY_CHARS),
            }
        }
    }
}
