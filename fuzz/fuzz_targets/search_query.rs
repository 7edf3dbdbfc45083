//! Search queries are typed by anyone: parsing never panics and keeps the promises `query.rs`
//! makes about what it returns, and searching the parsed query (over the test fixtures' bank)
//! never fails and stays within the typo budget, saying what it left out.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use drillbook::bank::{self, Bank};
use drillbook::search::{
    MAX_CORRECTED_WORDS, MAX_QUERY_CHARS, MAX_TERMS, PAGE_SIZE, QueryError, Request, SearchIndex,
    UserQuery, parse,
};
use libfuzzer_sys::fuzz_target;

/// The fixtures' bank and its index, built once for every input.
static INDEXED: LazyLock<(Bank, SearchIndex)> = LazyLock::new(|| {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/valid");
    let bank = bank::load(&fixtures).expect("the fixture bank loads");
    let index = SearchIndex::build(&bank).expect("the fixture bank indexes");
    (bank, index)
});

fn search_within_budget(query: &UserQuery) {
    let (bank, index) = &*INDEXED;
    let request = Request {
        query,
        category: None,
        difficulty: None,
        page: 1,
    };
    let results = index
        .search_uncached(bank, &request)
        .expect("a parsed query always searches");
    assert!(results.hits.len() <= PAGE_SIZE);
    assert!(results.corrections.len() <= MAX_CORRECTED_WORDS);
    if let Some(corrected) = results.cutoffs.corrected_words {
        assert!(corrected <= MAX_CORRECTED_WORDS, "{corrected} words corrected");
    }
    assert_eq!(
        results.cutoffs.searched_words,
        query.left_out.then_some(MAX_TERMS)
    );
}

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
            search_within_budget(&query);
        }
    }
});
