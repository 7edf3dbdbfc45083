//! Search relevance on the shipped bank: what people type, and the question they expect near
//! the top. Each row is (query, expected id, within the top k).

use std::sync::Arc;

use drillbook::bank::{Bank, Difficulty};
use drillbook::search::{self, Request, Results, SearchIndex};

/// The results of a search, as the site runs it.
fn results(
    index: &SearchIndex,
    bank: &Bank,
    text: &str,
    category: Option<&str>,
    difficulty: Option<Difficulty>,
    page: usize,
) -> Arc<Results> {
    let query = search::parse(text).expect("query parses");
    let request = Request {
        query: &query,
        category,
        difficulty,
        page,
    };
    index.search(bank, &request).expect("search runs")
}

/// The ids of a search's hits, best first.
fn top_ids(
    index: &SearchIndex,
    bank: &Bank,
    text: &str,
    category: Option<&str>,
    difficulty: Option<Difficulty>,
    page: usize,
) -> Vec<u32> {
    results(index, bank, text, category, difficulty, page)
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
    assert_found(&index, &bank, table);
}

#[test]
fn key_terms_of_every_category_find_their_question() {
    let bank = super::shipped();
    let index = SearchIndex::build(&bank).expect("index builds");
    let table: &[(&str, u32, usize)] = &[
        // Object-oriented programming.
        ("object oriented programming", 21, 3),
        ("inheritance", 22, 3),
        ("polymorphism", 23, 1),
        ("encapsulation", 24, 1),
        ("abstraction", 25, 1),
        ("method overriding", 26, 1),
        ("method overloading", 27, 1),
        ("define a class", 28, 3),
        ("multiple inheritance", 29, 1),
        ("mro", 30, 1),
        ("method resolution order", 30, 1),
        // Libraries and frameworks.
        ("django", 31, 1),
        ("what is django", 31, 1),
        ("mvc", 32, 1),
        ("django models", 33, 3),
        ("migrations", 34, 1),
        ("flask", 35, 1),
        ("what is flask", 35, 1),
        ("sqlalchemy", 36, 1),
        ("celery", 37, 3),
        ("pytest", 38, 3),
        ("manage dependencies", 39, 1),
        ("virtual environment", 40, 1),
        // Data handling and APIs.
        ("json", 41, 1),
        ("restful api", 42, 3),
        ("requests library", 43, 1),
        ("authentication web application", 44, 3),
        ("websockets", 45, 1),
        ("pandas", 46, 1),
        ("numpy", 47, 1),
        ("interact with a database", 48, 3),
        ("orm", 49, 3),
        ("data validation", 50, 1),
        // Testing and debugging.
        ("unit tests", 51, 1),
        ("test driven development", 52, 1),
        ("tdd", 52, 1),
        ("debug", 53, 3),
        ("mock objects", 55, 1),
        ("profile", 56, 3),
        ("code coverage", 57, 1),
        ("continuous integration", 58, 3),
        ("errors in production", 59, 3),
        ("common pitfalls", 60, 3),
        // Performance and optimization.
        ("optimize performance", 61, 3),
        ("reduce memory usage", 62, 3),
        ("lazy evaluation", 63, 1),
        ("caching", 64, 1),
        ("multithreading", 66, 1),
        ("multiprocessing", 67, 1),
        ("asyncio", 68, 3),
        ("large datasets", 69, 3),
        ("benchmark", 70, 3),
        // Security.
        ("common security risks", 72, 3),
        ("authorization", 73, 3),
        ("https", 74, 1),
        ("ssl tls", 74, 1),
        ("sql injection", 75, 1),
        ("csrf", 76, 1),
        ("xss", 77, 1),
        ("cross site scripting", 77, 1),
        ("sensitive data", 78, 1),
        ("securing apis", 79, 3),
        ("security audit", 80, 1),
        // Deployment and DevOps.
        ("deploy", 81, 3),
        ("docker", 82, 1),
        ("kubernetes", 83, 1),
        ("configure a web server", 84, 3),
        ("ci/cd", 85, 3),
        ("monitor", 86, 3),
        ("environment variables", 88, 1),
        ("infrastructure as code", 89, 1),
        ("version control", 90, 1),
        // Miscellaneous.
        ("maintainable code", 92, 3),
        ("legacy code", 93, 1),
        ("microservice architecture", 94, 3),
        ("event driven", 96, 1),
        ("machine learning", 98, 3),
        ("big data", 99, 1),
        ("webassembly", 101, 1),
        ("serverless", 102, 1),
        ("iot", 103, 1),
        ("web scraping", 104, 1),
        ("pypi", 107, 3),
        ("design patterns", 109, 3),
        ("coroutine", 111, 3),
        ("singleton", 112, 1),
        ("dependency injection", 113, 1),
        ("synchronous asynchronous", 115, 3),
        ("real-time features", 116, 3),
        ("service oriented architecture", 119, 3),
        ("scalability", 120, 3),
        ("backward compatibility", 122, 1),
        ("task queue", 125, 3),
        ("file i/o", 127, 3),
        ("serialization formats", 128, 3),
        ("network programming", 129, 3),
        ("internationalization", 131, 1),
        ("priority queue", 133, 1),
        ("trie", 134, 1),
        ("graph algorithms", 135, 1),
        ("image processing", 136, 1),
        ("natural language processing", 137, 1),
        ("blockchain", 139, 1),
        ("functional programming", 140, 3),
        ("dynamic imports", 141, 1),
        ("mixin", 142, 1),
        ("binary data", 143, 1),
        ("timezone aware", 145, 3),
        ("regular expressions", 146, 1),
        ("large file", 147, 3),
        // Misspelt.
        ("polymorphsim", 23, 3),
        ("kubernets", 83, 3),
        ("singelton", 112, 3),
        ("websocket", 45, 1),
        ("celry", 37, 3),
        ("pickel", 128, 5),
    ];
    assert_found(&index, &bank, table);
}

#[test]
fn every_question_is_found_by_its_own_title() {
    let bank = super::shipped();
    let index = SearchIndex::build(&bank).expect("index builds");
    let table: Vec<(&str, u32, usize)> = bank
        .questions()
        .map(|q| (q.title.as_str(), q.id, 3))
        .collect();
    assert_found(&index, &bank, &table);
}

/// Asserts each row's question is within the top k for its query, listing every miss.
fn assert_found(index: &SearchIndex, bank: &Bank, table: &[(&str, u32, usize)]) {
    let mut misses = Vec::new();
    for &(text, expected, k) in table {
        let ids = top_ids(index, bank, text, None, None, 1);
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
    let total = results(&index, &bank, "python", None, None, 1).total;
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
    let results = results(&index, &bank, "decorater", None, None, 1);
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

/// A query starting with each word of `content/synonyms.toml`, with the question it should bring
/// to the top: a new entry needs a row here, so that it is shown to help.
const SYNONYM_ROWS: &[(&str, u32, usize)] = &[
    ("k8s", 83, 1),
    ("py features", 1, 1),
    ("db", 48, 3),
    ("dbs", 48, 3),
    ("auth", 44, 3),
    ("authn", 44, 3),
    ("authz", 73, 3),
    ("env", 88, 3),
    ("envs", 88, 3),
    ("venv", 40, 1),
    ("async", 65, 3),
    ("regex", 146, 1),
    ("regexp", 146, 1),
    ("tz", 145, 1),
    ("ci", 58, 3),
    ("cd", 85, 3),
    ("iac", 89, 1),
    ("orm", 49, 3),
    ("oop", 21, 10),
    ("js", 77, 3),
];

#[test]
fn the_words_people_type_find_what_they_stand_for() {
    let bank = super::shipped();
    let index = SearchIndex::build(&bank).expect("index builds");
    let mut listed: Vec<&str> = SYNONYM_ROWS
        .iter()
        .filter_map(|(query, ..)| query.split_whitespace().next())
        .collect();
    listed.sort_unstable();
    let entries: Vec<&str> = bank.synonyms().keys().map(String::as_str).collect();
    assert_eq!(
        listed, entries,
        "one row per entry of content/synonyms.toml"
    );
    assert_found(&index, &bank, SYNONYM_ROWS);
}

#[test]
fn a_synonym_adds_to_what_the_word_itself_finds() {
    let bank = super::shipped();
    let index = SearchIndex::build(&bank).expect("index builds");
    let with = top_ids(&index, &bank, "k8s", None, None, 1);
    let spelled = top_ids(&index, &bank, "kubernetes", None, None, 1);
    assert_eq!(
        with.first(),
        spelled.first(),
        "k8s ranks as kubernetes does"
    );
    let results = results(&index, &bank, "k8s", None, None, 1);
    assert!(
        results.corrections.is_empty(),
        "a word with synonyms is not a typo: {:?}",
        results.corrections
    );
    assert!(
        results.hits[0]
            .snippet_html
            .to_lowercase()
            .contains("<mark>kubernetes</mark>"),
        "the snippet marks what it stands for: {}",
        results.hits[0].snippet_html
    );
}

/// The text a snippet shows: without its tags, entities read back.
fn shown(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn snippets_quote_whole_sentences_around_the_matches() {
    let bank = super::shipped();
    let index = SearchIndex::build(&bank).expect("index builds");
    // (query, question, how its snippet starts): the passages the issue found cut mid-sentence
    // and carrying debris of the rendered answer.
    let table: &[(&str, u32, &str)] = &[
        (
            "decorater",
            109,
            "<mark>Decorator</mark>: wrapping an object to add behaviour.",
        ),
        (
            "decorater",
            5,
            "The <code>@<mark>decorator</mark></code> line is shorthand for \
             <code>func = <mark>decorator</mark>(func)</code>",
        ),
        (
            "metaclass",
            12,
            "A <mark>metaclass</mark> is the class of a class. Just as calling a class creates \
             an instance, calling a <mark>metaclass</mark> creates a class",
        ),
        (
            "metaclass",
            112,
            "A <mark>metaclass</mark> whose <code>__call__</code> caches one instance per class",
        ),
        (
            "django",
            31,
            "<mark>Django</mark> is a full-stack, &quot;batteries-included&quot; web framework",
        ),
    ];
    let mut wrong = Vec::new();
    for &(query, id, start) in table {
        let results = results(&index, &bank, query, None, None, 1);
        match results.hits.iter().find(|hit| hit.id == id) {
            Some(hit) if hit.snippet_html.starts_with(start) => {}
            Some(hit) => wrong.push(format!("{query:?} {id}: {}", hit.snippet_html)),
            None => wrong.push(format!("{query:?} does not find {id}")),
        }
    }
    // Every snippet of these searches starts at a sentence, a block (a list item, a table cell)
    // or an ellipsis, and ends likewise; fits its length; and has no space before closing
    // punctuation.
    for query in [
        "decorater",
        "metaclass",
        "django",
        "gil",
        "celery",
        "pytest",
    ] {
        for hit in &results(&index, &bank, query, None, None, 1).hits {
            let text = shown(&hit.snippet_html);
            let Some(q) = bank.question(hit.id) else {
                continue;
            };
            let sources = [
                q.answer.text.clone(),
                q.answer.key_points_text("\n"),
                q.answer.follow_ups_text(),
                q.summary.clone(),
            ];
            let lines = || sources.iter().flat_map(|s| s.lines()).map(str::trim);
            // The first and last blocks, where the passage joins several.
            let first = text.split(" · ").next().unwrap_or_default();
            let last = text.rsplit(" · ").next().unwrap_or_default();
            let head: String = first.chars().take(12).collect();
            let tail: String = last
                .chars()
                .skip(last.chars().count().saturating_sub(12))
                .collect();
            let starts = text.starts_with('…')
                || text.chars().next().is_some_and(|c| !c.is_lowercase())
                || lines().any(|line| line.starts_with(&head));
            let ends = text.ends_with('…')
                || text.ends_with(['.', '?', '!'])
                || lines().any(|line| line.ends_with(&tail));
            let debris = [" )", " ,", " ;", " :", " . "]
                .iter()
                .any(|stray| text.contains(stray));
            if !starts || !ends || debris || text.chars().count() > 202 {
                wrong.push(format!("{query:?} {}: {text}", hit.id));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
