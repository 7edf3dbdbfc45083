//! Typo tolerance through the index's own vocabulary: the words of the bank within an edit or
//! two of a typed word, most frequent first, for correcting it and for "did you mean".

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::SearchError;
use super::query::UserQuery;

/// Most spellings one typo is expanded to.
const MAX_NEIGHBOURS: usize = 8;

/// Words of `field` (the unstemmed vocabulary) within a typo of `word`, with the number of
/// questions each is in, most frequent first: one edit for words of 4-7 letters, two for longer
/// ones, none for shorter (too many false friends).
pub(super) fn neighbours(
    searcher: &Searcher,
    field: Field,
    word: &str,
) -> Result<Vec<(String, u64)>, SearchError> {
    let distance = match word.chars().count() {
        0..=3 => return Ok(Vec::new()),
        4..=7 => 1,
        _ => 2,
    };
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
    neighbours.truncate(MAX_NEIGHBOURS);
    Ok(neighbours)
}

/// Close words of `field` for each typed word, for "did you mean" when nothing matches.
pub(super) fn did_you_mean(
    searcher: &Searcher,
    field: Field,
    query: &UserQuery,
) -> Result<Vec<String>, SearchError> {
    let mut suggestions = Vec::new();
    for word in query.words.iter().chain(query.phrases.iter().flatten()) {
        for (neighbour, _) in neighbours(searcher, field, word)?.into_iter().take(3) {
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
