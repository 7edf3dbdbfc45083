//! Search queries are typed by anyone: parsing never panics and keeps the promises `query.rs`
//! makes about what it returns.
#![no_main]

use drillbook::search::{MAX_QUERY_CHARS, MAX_TERMS, QueryError, parse};
use libfuzzer_sys::fuzz_target;

fn is_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(char::is_alphanumeric) && word.to_lowercase() == word
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let length = text.chars().count();
    match parse(&text) {
        Err(QueryError::TooLong {
            limit,
            length: said,
        }) => {
            assert_eq!(limit, MAX_QUERY_CHARS);
            assert_eq!(said, length);
            assert!(
                length > MAX_QUERY_CHARS,
                "refused a query of {length} characters"
            );
        }
        Ok(query) => {
            assert!(length <= MAX_QUERY_CHARS, "accepted {length} characters");
            for (i, word) in query.words.iter().enumerate() {
                assert!(is_word(word), "word {word:?}");
                assert!(!query.words[..i].contains(word), "{word:?} repeated");
            }
            for (i, phrase) in query.phrases.iter().enumerate() {
                assert!(phrase.len() >= 2, "one-word phrase {phrase:?}");
                assert!(phrase.iter().all(|w| is_word(w)), "phrase {phrase:?}");
                assert!(!query.phrases[..i].contains(phrase), "{phrase:?} repeated");
            }
            let terms = query.words.len() + query.phrases.iter().map(Vec::len).sum::<usize>();
            assert!(terms <= MAX_TERMS, "{terms} terms");
            let typed_something = text.chars().any(char::is_alphanumeric);
            assert_eq!(
                query.is_empty(),
                !typed_something,
                "{text:?} gave {query:?}"
            );
        }
    }
});
