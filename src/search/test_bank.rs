//! A small bank for the search module's tests: five questions whose words are chosen so each
//! test can tell which of them a search should find, and where in them.

use std::path::Path;

use crate::bank::{Bank, Category, Question, Site, parse_question_file};

use super::{Request, SearchIndex, UserQuery, parse};

/// Words that no other question uses, to push a later word past the start of a snippet.
const FILLER: &str = "Every web form hands the server text that someone typed, and the server \
    builds a statement from it; when that text is glued into the statement as it is, whoever \
    typed it decides what the statement says and does.";

/// The questions: id, category, difficulty, title, summary, answer, key points.
const QUESTIONS: [(u32, &str, &str, &str, &str, &str, &str); 5] = [
    (
        1,
        "python",
        "easy",
        "What is a decorator?",
        "A function that wraps another function.",
        "A decorator takes a function and returns a new one that adds behaviour around the \
         call. Decorators are applied with the at sign above a definition.",
        "- wraps a function\n- applied with @\n",
    ),
    (
        2,
        "python",
        "medium",
        "How do generators work?",
        "Functions that yield values lazily.",
        "A generator function yields one value at a time and keeps its state between calls. \
         A decorator can wrap a generator too.",
        "- yield pauses the function\n",
    ),
    (
        3,
        "internals",
        "hard",
        "What is the global interpreter lock?",
        "A lock that lets one thread run bytecode at a time.",
        "The global interpreter lock makes CPython run one thread at a time, so threads do not \
         speed up pure Python code.",
        "- one thread runs bytecode\n",
    ),
    (
        4,
        "python",
        "medium",
        "What are context managers?",
        "Objects that set up and tear down around a with block.",
        "A context manager defines enter and exit. The contextlib module turns a generator \
         into one with a decorator.",
        "- exit runs even after an exception\n",
    ),
    (
        5,
        "web",
        "medium",
        "Explain SQL injection.",
        "Untrusted input pasted into a <query>.",
        "",
        "- use placeholders\n",
    ),
];

/// The bank of [`QUESTIONS`], each category titled after its slug.
pub(super) fn bank() -> Bank {
    let questions: Vec<Question> = QUESTIONS
        .iter()
        .map(
            |&(id, category, difficulty, title, summary, answer, key_points)| {
                let answer = match answer {
                    "" => format!("{FILLER} Parameterised statements keep the sentinel apart."),
                    answer => answer.to_string(),
                };
                let file = format!(
                    "+++\nid = {id}\ntitle = \"{title}\"\ndifficulty = \"{difficulty}\"\n\
                 summary = \"{summary}\"\n+++\n{answer}\n\n## Key points\n{key_points}"
                );
                parse_question_file(Path::new("q.md"), category, file.as_bytes())
                    .unwrap_or_else(|problems| panic!("question {id}: {problems:?}"))
            },
        )
        .collect();
    let categories = ["python", "internals", "web"]
        .iter()
        .zip(1..)
        .map(|(slug, order)| Category {
            slug: slug.to_string(),
            title: slug.to_string(),
            description: String::new(),
            order,
            groups: Vec::new(),
            question_ids: Vec::new(),
        })
        .collect();
    let site = Site {
        title: "t".to_string(),
        description: "d".to_string(),
        base_url: "https://search.example".to_string(),
        headline: None,
    };
    Bank::new(
        site,
        categories,
        questions,
        Default::default(),
        Default::default(),
        String::new(),
    )
}

/// A bank and its index.
pub(super) fn indexed() -> (Bank, SearchIndex) {
    let bank = bank();
    let index = SearchIndex::build(&bank).expect("the index builds");
    (bank, index)
}

/// The first page of results for `text`, narrowed as `narrow` says.
pub(super) fn search(
    bank: &Bank,
    index: &SearchIndex,
    text: &str,
    narrow: impl FnOnce(&mut Request<'_>),
) -> super::Results {
    let query: UserQuery = parse(text).expect("a query");
    let mut request = Request {
        query: &query,
        category: None,
        difficulty: None,
        page: 1,
    };
    narrow(&mut request);
    index
        .search_uncached(bank, &request)
        .expect("the search runs")
}

/// The ids of some results, ascending.
pub(super) fn ids(results: &super::Results) -> Vec<u32> {
    let mut ids: Vec<u32> = results.hits.iter().map(|hit| hit.id).collect();
    ids.sort_unstable();
    ids
}
