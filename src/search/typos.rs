//! Typo tolerance through the index's own vocabulary: the words of the bank within an edit or
//! two of a typed word, most frequent first, for correcting it and for "did you mean"; within a
//! budget per query, so that no query of many long words costs a hundred ordinary ones.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::SearchError;
use super::query::UserQuery;

/// Most spellings one typo is expanded to.
const MAX_NEIGHBOURS: usize = 8;
/// Most words of one query looked up for a likelier spelling. Each look-up builds a Levenshtein
/// automaton, by far the costliest step of a search (about 0.3 ms for a long word): a query of
/// 32 random long words cost 20-60 ms before this bound. People misspell a word or two of a
/// query, seldom more.
pub const MAX_CORRECTED_WORDS: usize = 3;
/// Most spellings added to one query in all, each a term in every weighted field.
const MAX_SPELLINGS: usize = 16;
/// Longest word looked up, in characters: a longer one is no word of the bank's, or a typo of
/// one, and its automaton grows with it.
const MAX_CORRECTED_CHARS: usize = 20;

/// How far a spelling may be from a word of `length` characters: one edit for words of 4-7
/// letters, two for longer ones, none for shorter (too many false friends) or past
/// [`MAX_CORRECTED_CHARS`].
fn distance(length: usize) -> Option<u8> {
    match length {
        0..=3 => None,
        4..=7 => Some(1),
        8..=MAX_CORRECTED_CHARS => Some(2),
        _ => None,
    }
}

/// Typo correction for one query, within its budget: at most [`MAX_CORRECTED_WORDS`] words
/// looked up and [`MAX_SPELLINGS`] spellings given out; each word is looked up once, however
/// often it is asked about.
pub(super) struct Typos<'a> {
    searcher: &'a Searcher,
    /// The unstemmed vocabulary.
    field: Field,
    looked_up: HashMap<String, Vec<(String, u64)>>,
    spellings_left: usize,
    /// Whether a word that could have been looked up was not, the budget being spent.
    over_budget: bool,
}

impl<'a> Typos<'a> {
    pub(super) fn new(searcher: &'a Searcher, field: Field) -> Typos<'a> {
        Typos {
            searcher,
            field,
            looked_up: HashMap::new(),
            spellings_left: MAX_SPELLINGS,
            over_budget: false,
        }
    }

    /// Gives out no more spellings: the query has no room for them.
    pub(super) fn stop(&mut self) {
        self.spellings_left = 0;
        self.over_budget = true;
    }

    /// How many words were looked up, when the budget left some out.
    pub(super) fn corrected_only(&self) -> Option<usize> {
        self.over_budget.then_some(self.looked_up.len())
    }

    /// Words of the vocabulary within a typo of `word` (see [`distance`]), with the number of
    /// questions each is in, most frequent first; none once the budget is spent.
    pub(super) fn neighbours(&mut self, word: &str) -> Result<Vec<(String, u64)>, SearchError> {
        if let Some(known) = self.looked_up.get(word) {
            return Ok(known.clone());
        }
        let Some(distance) = distance(word.chars().count()) else {
            return Ok(Vec::new());
        };
        if self.looked_up.len() >= MAX_CORRECTED_WORDS || self.spellings_left == 0 {
            self.over_budget = true;
            return Ok(Vec::new());
        }
        let mut found = neighbours(self.searcher, self.field, word, distance)?;
        found.truncate(MAX_NEIGHBOURS.min(self.spellings_left));
        self.spellings_left -= found.len();
        self.looked_up.insert(word.to_string(), found.clone());
        Ok(found)
    }
}

/// Words of `field` within `distance` edits of `word`, with the number of questions each is in,
/// most frequent first.
fn neighbours(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
) -> Result<Vec<(String, u64)>, SearchError> {
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .search(fuzzy.automaton()?)
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key())
                && term != word
            {
                *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut neighbours: Vec<(String, u64)> = found.into_iter().collect();
    neighbours.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(neighbours)
}

/// Close words for each typed word, for "did you mean" when nothing matches.
pub(super) fn did_you_mean(
    typos: &mut Typos<'_>,
    query: &UserQuery,
) -> Result<Vec<String>, SearchError> {
    let mut suggestions = Vec::new();
    for word in query.words.iter().chain(query.phrases.iter().flatten()) {
        for (neighbour, _) in typos.neighbours(word)?.into_iter().take(3) {
            if !suggestions.contains(&neighbour) {
                suggestions.push(neighbour);
            }
        }
    }
    Ok(suggestions)
}

/// Every term of a field, across segments.
pub(super) fn vocabulary(searcher: &Searcher, field: Field) -> Result<Vec<String>, SearchError> {
    let mut words = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            if let Ok(word) = std::str::from_utf8(terms.key()) {
                words.push(word.to_string());
            }
        }
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::super::test_bank::{indexed, search};
    use super::{MAX_CORRECTED_WORDS, distance};

    #[test]
    fn a_typo_or_two_is_corrected_without_a_word_about_the_budget() {
        let (bank, index) = indexed();
        let results = search(&bank, &index, "decoratr generatr", |_| {});
        assert_eq!(
            results.corrections,
            [
                ("decoratr".to_string(), "decorator".to_string()),
                ("generatr".to_string(), "generator".to_string())
            ]
        );
        assert_eq!(results.cutoffs.corrected_words, None);
    }

    #[test]
    fn past_the_budget_words_are_searched_as_typed_and_the_results_say_so() {
        let (bank, index) = indexed();
        let typos = [
            "qqqqqqqqqq",
            "wwwwwwwwww",
            "eeeeeeeeee",
            "rrrrrrrrrr",
            "decoratr",
            "generatr",
        ];
        let results = search(&bank, &index, &typos.join(" "), |_| {});
        assert_eq!(results.cutoffs.corrected_words, Some(MAX_CORRECTED_WORDS));
        assert!(
            results.corrections.is_empty(),
            "the typos past the budget are not corrected: {:?}",
            results.corrections
        );
        assert_eq!(results.total, 0);
        assert!(
            results.did_you_mean.is_empty(),
            "nor suggested: {:?}",
            results.did_you_mean
        );
        let first = search(
            &bank,
            &index,
            "decoratr qqqqqqqqqq wwwwwwwwww eeeeeeeeee rrrrrrrrrr",
            |_| {},
        );
        assert_eq!(
            first.corrections,
            [("decoratr".to_string(), "decorator".to_string())],
            "words are corrected in the order typed"
        );
        assert_eq!(first.cutoffs.corrected_words, Some(MAX_CORRECTED_WORDS));
    }

    #[test]
    fn the_distance_grows_with_the_word_up_to_a_length() {
        assert_eq!(distance(3), None);
        assert_eq!(distance(4), Some(1));
        assert_eq!(distance(8), Some(2));
        assert_eq!(distance(super::MAX_CORRECTED_CHARS + 1), None);
    }
}
