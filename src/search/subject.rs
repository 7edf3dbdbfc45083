//! What a question is about, read from its title, and what a query is about, read the same way.
//!
//! BM25 divides a title match by the title's length, so "What are Django models?" outranks "What
//! is Django and why is it used?" for `django`, though the second is the question about Django
//! itself. A title that opens with "What is", "Explain" or "Describe" names its subject next:
//! `Django`, `Kubernetes`, `the GIL (Global Interpreter Lock)`. The index keeps each subject as
//! one exact term of stems, and a query whose own words are such a subject gets a bonus on the
//! questions about it, while questions that only mention the word keep their ordinary rank.

use tantivy::tokenizer::TextAnalyzer;

/// Words that open a title naming its subject, each as a run of lowercase words.
const OPENERS: &[&[&str]] = &[
    &["what", "is"],
    &["what", "are"],
    &["what", "s"],
    &["whats"],
    &["explain"],
    &["describe"],
    &["define"],
];

/// Words between an opener and the subject that say how it is asked about, not what about:
/// "Explain the use of decorators" is about decorators.
const FRAMES: &[&[&str]] = &[
    &["the", "use", "of"],
    &["the", "concept", "of"],
    &["the", "purpose", "of"],
    &["the", "role", "of"],
    &["some"],
];

/// Articles dropped from the start of a subject.
const ARTICLES: &[&str] = &["the", "a", "an"];

/// Words that end a subject: what follows asks something about it ("Django and why is it used",
/// "metaclasses in Python").
const ENDS: &[&str] = &[
    "how", "why", "in", "for", "to", "when", "with", "vs", "versus", "from", "within", "on",
];

/// Words that join two subjects of one title ("iterators and generators").
const JOINS: &[&str] = &["and", "or"];

/// The subjects a title names, each as its lowercase words; none when the title does not open
/// with a question that names one. A parenthesis right after the subject names it again
/// (`GIL (Global Interpreter Lock)`), and both count.
pub(super) fn of_title(title: &str) -> Vec<Vec<String>> {
    // The subject ends at the first mark that ends a clause. A dot only counts before a space
    // or at the end, so `__init__.py` stays one subject.
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let stop = chars.iter().enumerate().find(|&(i, &(_, c))| {
        matches!(c, '?' | ',' | ';' | ':' | '(' | '!')
            || (c == '.'
                && chars
                    .get(i + 1)
                    .is_none_or(|&(_, next)| next.is_whitespace()))
    });
    let (head, rest) = match stop {
        Some((_, &(at, _))) => title.split_at(at),
        None => (title, ""),
    };
    let words: Vec<String> = super::query::words_of(head).collect();
    let Some(after) = opened(&words) else {
        return Vec::new();
    };
    let mut subjects = subjects(after);
    if let Some(inside) = rest.strip_prefix('(')
        && let Some((inside, _)) = inside.split_once(')')
        && !subjects.is_empty()
    {
        let again: Vec<String> = super::query::words_of(inside).collect();
        if !again.is_empty() {
            subjects.push(again);
        }
    }
    subjects
}

/// The subjects a query's words ask about: the same reading as a title's, the opener optional,
/// so `django`, `what is django` and `What is Django and why is it used?` all ask about Django.
pub(super) fn of_query(words: &[String]) -> Vec<Vec<String>> {
    subjects(opened(words).unwrap_or(words))
}

/// The words after an opener and any frame, or `None` without an opener.
fn opened(words: &[String]) -> Option<&[String]> {
    let mut rest = OPENERS.iter().find_map(|opener| strip(words, opener))?;
    while let Some(shorter) = FRAMES.iter().find_map(|frame| strip(rest, frame)) {
        rest = shorter;
    }
    Some(rest)
}

/// The words up to the first that ends a subject, split where one subject joins another, each
/// without a leading article.
fn subjects(words: &[String]) -> Vec<Vec<String>> {
    let end = words
        .iter()
        .position(|w| ENDS.contains(&w.as_str()))
        .unwrap_or(words.len());
    words[..end]
        .split(|w| JOINS.contains(&w.as_str()))
        .map(|part| {
            let skip = usize::from(part.first().is_some_and(|w| ARTICLES.contains(&w.as_str())));
            part[skip..].to_vec()
        })
        .filter(|part| !part.is_empty())
        .collect()
}

/// A subject as the index keeps it: the stems of its words, space-separated, so that
/// `Decorators` in a title and `decorator` in a query are one term.
pub(super) fn term(analyzer: &mut TextAnalyzer, words: &[String]) -> String {
    let stems: Vec<String> = words
        .iter()
        .flat_map(|word| super::compile::stems(analyzer, word))
        .collect();
    stems.join(" ")
}

/// `words` without `prefix` at its start, or `None` when it does not start so.
fn strip<'w>(words: &'w [String], prefix: &[&str]) -> Option<&'w [String]> {
    let starts = words.len() >= prefix.len() && words.iter().zip(prefix).all(|(w, p)| w == p);
    starts.then(|| &words[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(subjects: Vec<Vec<String>>) -> Vec<String> {
        subjects.into_iter().map(|s| s.join(" ")).collect()
    }

    #[test]
    fn a_title_names_its_subject_after_its_opener() {
        let cases: &[(&str, &[&str])] = &[
            ("What is Django and why is it used?", &["django"]),
            (
                "What is Flask and how does it compare to Django?",
                &["flask"],
            ),
            ("What are Django models?", &["django models"]),
            ("Explain the use of decorators.", &["decorators"]),
            ("Describe the purpose of pytest.", &["pytest"]),
            (
                "Explain the GIL (Global Interpreter Lock).",
                &["gil", "global interpreter lock"],
            ),
            (
                "What is Infrastructure as Code (IaC)?",
                &["infrastructure as code", "iac"],
            ),
            (
                "Explain the concept of iterators and generators.",
                &["iterators", "generators"],
            ),
            (
                "What is the role of NumPy in scientific computing?",
                &["numpy"],
            ),
            (
                "What are some common pitfalls in Python programming?",
                &["common pitfalls"],
            ),
            (
                "What is the purpose of the `__init__.py` file?",
                &["init py file"],
            ),
            ("How does Django handle database migrations?", &[]),
            ("Explain the MVC pattern in Django.", &["mvc pattern"]),
        ];
        for &(title, expected) in cases {
            assert_eq!(joined(of_title(title)), expected, "{title:?}");
        }
    }

    #[test]
    fn a_query_is_read_as_a_title_with_its_opener_optional() {
        let words = |text: &str| -> Vec<String> { super::super::query::words_of(text).collect() };
        assert_eq!(joined(of_query(&words("django"))), ["django"]);
        assert_eq!(joined(of_query(&words("what is flask"))), ["flask"]);
        assert_eq!(joined(of_query(&words("django models"))), ["django models"]);
        assert!(of_query(&words("how do you profile code")).is_empty());
        assert!(of_query(&[]).is_empty());
    }
}
