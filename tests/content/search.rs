//! Search relevance on the shipped bank: what people type, and the question they expect near
//! the top. Each row is (query, expected id, within the top k).

use drillbook::bank::{Bank, Difficulty};
use drillbook::search::{self, Request, SearchIndex};

fn top_ids(
    index: &SearchIndex,
    bank: &Bank,
    text: &str,
    category: Option<&str>,
    difficulty: Option<Difficulty>,
    page: usize,
) -> Vec<u32> {
    let query = search::parse(text).expect("query parses");
    let request = Request {
        query: &query,
        category,
        difficulty,
        page,
    };
    index
        .search(bank, &request)
        .expect("search runs")
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn people_find_the_question_they_mean() {
    let bank = super::shipped();
    let index = SearchIndex::build(&bank).expect("index builds");
    let table: &[(&str, u32, usize)] = &[
        // Exact words from the question.
        ("gil", 11, 1),
        ("global interpreter lock", 11, 1),
        ("metaclasses", 12, 1),
        ("static methods class methods", 13, 1),
        ("__init__.py", 14, 1),
        ("deep copy shallow copy", 15, 1),
        ("context managers", 17, 1),
        ("lambda", 18, 1),
        ("map filter reduce", 19, 1),
        ("pep 8", 3, 1),
        ("args kwargs", 6, 1),
        ("list comprehensions", 7, 1),
        ("list tuple difference", 8, 1),
        ("type conversion", 9, 1),
        ("python 2 python 3", 10, 3),
        ("memory management", 4, 1),
        ("interpreted", 2, 3),
        // Other forms of the words (stemming).
        ("decorator", 5, 1),
        ("generator", 20, 1),
        ("iterators", 20, 1),
        ("exception", 16, 1),
        ("metaclass", 12, 1),
        ("context manager", 17, 1),
        // Misspellings.
        ("decorater", 5, 1),
        ("lamda", 18, 1),
        ("metaclas", 12, 1),
        ("generater", 20, 3),
        ("comprehension", 7, 1),
        ("comprehenshion", 7, 1),
        ("garbage colector", 4, 3),
        // Phrases.
        ("\"global interpreter lock\"", 11, 1),
        ("\"context manager\"", 17, 1),
        ("\"reference counting\"", 4, 3),
    ];
    let mut misses = Vec::new();
    for &(text, expected, k) in table {
        let ids = top_ids(&index, &bank, text, None, None, 1);
        if !ids.iter().take(k).any(|&id| id == expected) {
            misses.push(format!(
                "{text:?}: expected {expected} in the top {k}, got {ids:?}"
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn filters_and_pages_narrow_and_split_results() {
    let bank = super::shipped();
    let index = SearchIndex::build(&bank).expect("index builds");
    let in_category = top_ids(&index, &bank, "python", Some("advanced-python"), None, 1);
    assert!(!in_category.is_empty());
    assert!(in_category.iter().all(|&id| {
        bank.question(id)
            .is_some_and(|q| q.category == "advanced-python")
    }));
    for difficulty in Difficulty::ALL {
        let ids = top_ids(&index, &bank, "python", None, Some(difficulty), 1);
        assert!(
            ids.iter().all(|&id| bank
                .question(id)
                .is_some_and(|q| q.difficulty == difficulty)),
            "{difficulty}"
        );
    }
    let query = search::parse("python").expect("parses");
    let total = index
        .search(
            &bank,
            &Request {
                query: &query,
                category: None,
                difficulty: None,
                page: 1,
            },
        )
        .expect("runs")
        .total;
    assert!(
        total > search::PAGE_SIZE,
        "a common word fills more than a page ({total})"
    );
    let first = top_ids(&index, &bank, "python", None, None, 1);
    let second = top_ids(&index, &bank, "python", None, None, 2);
    assert_eq!(first.len(), search::PAGE_SIZE);
    assert!(!second.is_empty());
    assert!(
        first.iter().all(|id| !second.contains(id)),
        "pages do not overlap"
    );
    let past = top_ids(&index, &bank, "python", None, None, 99);
    assert!(past.is_empty());
}

#[test]
fn snippets_mark_what_matched() {
    let bank = super::shipped();
    let index = SearchIndex::build(&bank).expect("index builds");
    let query = search::parse("decorater").expect("parses");
    let results = index
        .search(
            &bank,
            &Request {
                query: &query,
                category: None,
                difficulty: None,
                page: 1,
            },
        )
        .expect("runs");
    assert_eq!(
        results.corrections.first().map(|(typed, _)| typed.as_str()),
        Some("decorater")
    );
    assert!(
        results.hits[0].snippet_html.contains("<mark>"),
        "{}",
        results.hits[0].snippet_html
    );
}
