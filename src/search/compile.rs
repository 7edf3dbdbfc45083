//! A parsed request compiled into a tantivy query: quoted phrases must match, and at least one
//! word, one of its synonyms or its likeliest spelling must match, each
//! weighted by the field it is found in and by how it was reached.

use std::collections::HashMap;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::SearchError;
use super::index::Request;
use super::schema::Fields;
use super::subject;
use super::typos::Typos;

/// A word reached through `synonyms.toml` counts nearly as much as the word itself.
const SYNONYM: f32 = 0.9;
/// A word reached only through a typo correction counts this much of an exact one.
const FUZZY: f32 = 0.4;
/// Added to the score of a question whose title is about what the query asks about, whatever
/// else it matches: about what a match of the subject in a mid-length title scores on its own
/// (a title match weighs 5; BM25 gives a rare word 2-4 before that), so it reorders the questions
/// that all mention the word and leaves far better matches of other words in front.
const SUBJECT: f32 = 10.0;
/// A word found in at most this many questions is worth checking for a likelier spelling...
const RARE: u64 = 1;
/// ...which is used when a close word is found in at least this many.
const COMMON: u64 = 3;

/// Most postings one query may rank: the questions each of its terms is found in, field by field,
/// summed over its words and their spellings. Ranking and counting visit every one, so this
/// bounds the time a query takes on a large bank: at 100,000 generated questions, where each
/// word is in about half of them, 32 words took 160 ms. On the shipped bank 32 words come to
/// a few thousand, far below it.
const MAX_POSTINGS: u64 = 300_000;

/// A query, with the corrections made to misspelt words (typed, used instead).
pub(super) struct Compiled {
    pub query: Box<dyn Query>,
    pub corrections: Vec<(String, String)>,
    /// When words were left out to keep within [`MAX_POSTINGS`], how many were searched.
    pub searched_words: Option<usize>,
    /// The stems each searched word or phrase can match through (itself, its synonyms, its
    /// likelier spellings), one list for each: what snippets mark and count.
    pub stems: Vec<Vec<String>>,
}

/// Where some stems are found, over the weighted fields.
struct FoundIn {
    /// The most questions any one field has any of them in.
    most: u64,
    /// Questions over all fields and stems, counted once for each.
    postings: u64,
}

/// What compiling a query reads: the index, its fields, the stemmer, the synonyms and the
/// query's typo budget.
pub(super) struct Compiler<'a, 't> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub stemmer: TextAnalyzer,
    /// The bank's synonyms, each target split into its words.
    pub synonyms: &'a HashMap<String, Vec<Vec<String>>>,
    pub typos: &'t mut Typos<'a>,
}

impl Compiler<'_, '_> {
    /// The query for `request`'s words and phrases; its filters are applied while collecting,
    /// so that the same matches also count what each other filter would leave.
    pub(super) fn compile(&mut self, request: &Request<'_>) -> Result<Compiled, SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut corrections = Vec::new();
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut postings = 0;
        let mut searched_words = None;
        let mut matched_stems = Vec::new();
        for (searched, word) in request.query.words.iter().enumerate() {
            let exact = self.stems(word);
            let found = self.found_in(&exact)?;
            // The first word is searched whatever it costs: one word is an ordinary query.
            if searched > 0 && postings + found.postings > MAX_POSTINGS {
                searched_words = Some(searched);
                break;
            }
            postings += found.postings;
            let mut alternatives: Vec<Box<dyn Query>> = self.matching(&exact, 1.0);
            let mut group = exact;
            let synonyms = self.synonyms.get(&word.to_lowercase());
            for target in synonyms.into_iter().flatten() {
                match target.as_slice() {
                    [single] => {
                        let stems = self.stems(single);
                        alternatives.extend(self.matching(&stems, SYNONYM));
                        group.extend(stems);
                    }
                    phrase => {
                        alternatives.extend(self.phrase(phrase, SYNONYM));
                        group.extend(phrase.iter().flat_map(|w| self.stems(w)));
                    }
                }
            }
            // A word with synonyms is a word people mean, not a typo to correct.
            if found.most <= RARE && synonyms.is_none() {
                let neighbours = self.typos.neighbours(word)?;
                let likelier = neighbours
                    .iter()
                    .filter(|(_, df)| found.most == 0 || *df >= COMMON);
                for (rank, (neighbour, _)) in likelier.enumerate() {
                    let stems = self.stems(neighbour);
                    let cost = self.found_in(&stems)?.postings;
                    if postings + cost > MAX_POSTINGS {
                        self.typos.stop();
                        break;
                    }
                    postings += cost;
                    if rank == 0 {
                        corrections.push((word.clone(), neighbour.clone()));
                    }
                    alternatives.extend(self.matching(&stems, FUZZY));
                    group.extend(stems);
                }
            }
            matched_stems.push(group);
            if !alternatives.is_empty() {
                let either = DisjunctionMaxQuery::with_tie_breaker(alternatives, 0.1);
                words.push((Occur::Should, Box::new(either)));
            }
        }
        if let Some(about) = self.about(&request.query.words, &corrections) {
            clauses.push((Occur::Should, about));
        }
        let has_phrases = !request.query.phrases.is_empty();
        for phrase in &request.query.phrases {
            matched_stems.push(phrase.iter().flat_map(|w| self.stems(w)).collect());
            // A phrase with no stems matches nothing, as it did before it was compiled.
            let query = self
                .phrase(phrase, 1.0)
                .unwrap_or_else(|| Box::new(BooleanQuery::new(Vec::new())));
            clauses.push((Occur::Must, query));
        }
        if !words.is_empty() {
            let occur = if has_phrases {
                Occur::Should
            } else {
                Occur::Must
            };
            clauses.push((occur, Box::new(BooleanQuery::new(words))));
        } else if !has_phrases {
            // Only words that match nothing and have no likely spelling: match nothing.
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(Vec::new()))));
        }
        Ok(Compiled {
            query: Box::new(BooleanQuery::new(clauses)),
            corrections,
            searched_words,
            stems: matched_stems,
        })
    }

    /// The bonus for questions whose title is about what the query asks about (see
    /// [`super::subject`]): the query's words as typed, or as corrected, and a one-word subject's
    /// synonyms.
    fn about(
        &mut self,
        words: &[String],
        corrections: &[(String, String)],
    ) -> Option<Box<dyn Query>> {
        let meant: Vec<String> = words
            .iter()
            .map(|word| {
                corrections
                    .iter()
                    .find(|(typed, _)| typed == word)
                    .map_or_else(|| word.clone(), |(_, meant)| meant.clone())
            })
            .collect();
        let mut subjects = subject::of_query(&meant);
        if let [only] = subjects.as_slice()
            && let [word] = only.as_slice()
            && let Some(targets) = self.synonyms.get(word)
        {
            subjects.extend(targets.iter().cloned());
        }
        let terms: Vec<Term> = subjects
            .iter()
            .map(|words| subject::term(&mut self.stemmer, words))
            .filter(|term| !term.is_empty())
            .map(|term| Term::from_field_text(self.fields.subject, &term))
            .collect();
        // A union of term queries rather than a TermSetQuery, which builds an FST of its terms
        // on every search: for the one to three subjects of a query that was a quarter of the
        // whole search's time.
        (!terms.is_empty()).then(|| {
            let any = BooleanQuery::new(
                terms
                    .into_iter()
                    .map(|term| {
                        let query: Box<dyn Query> =
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                        (Occur::Should, query)
                    })
                    .collect(),
            );
            Box::new(ConstScoreQuery::new(Box::new(any), SUBJECT)) as Box<dyn Query>
        })
    }

    /// Words in this order, in any of the fields phrases are looked for in; `None` when the
    /// words have no stems.
    fn phrase(&mut self, words: &[String], scale: f32) -> Option<Box<dyn Query>> {
        let stems: Vec<String> = words.iter().flat_map(|w| self.stems(w)).collect();
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        for (field, weight) in self.fields.phrased() {
            let terms: Vec<Term> = stems
                .iter()
                .map(|stem| Term::from_field_text(field, stem))
                .collect();
            let query: Box<dyn Query> = if terms.len() >= 2 {
                Box::new(PhraseQuery::new(terms))
            } else {
                match terms.into_iter().next() {
                    Some(term) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    None => continue,
                }
            };
            per_field.push(Box::new(BoostQuery::new(query, weight * scale)));
        }
        (!per_field.is_empty())
            .then(|| Box::new(DisjunctionMaxQuery::new(per_field)) as Box<dyn Query>)
    }

    /// Term queries for some stems in every weighted field.
    fn matching(&self, stems: &[String], scale: f32) -> Vec<Box<dyn Query>> {
        let mut queries: Vec<Box<dyn Query>> = Vec::new();
        for (field, weight) in self.fields.weighted() {
            for stem in stems {
                let term = Term::from_field_text(field, stem);
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                queries.push(Box::new(BoostQuery::new(Box::new(query), weight * scale)));
            }
        }
        queries
    }

    /// Where these stems are found, over the weighted fields.
    fn found_in(&self, stems: &[String]) -> Result<FoundIn, SearchError> {
        let mut found = FoundIn {
            most: 0,
            postings: 0,
        };
        for (field, _) in self.fields.weighted() {
            for stem in stems {
                let term = Term::from_field_text(field, stem);
                let questions = self.searcher.doc_freq(&term)?;
                found.most = found.most.max(questions);
                found.postings += questions;
            }
        }
        Ok(found)
    }

    /// The stems the English analyzer makes of a word (usually one).
    fn stems(&mut self, word: &str) -> Vec<String> {
        stems(&mut self.stemmer, word)
    }
}

/// The stems `analyzer` makes of a word (usually one).
pub(super) fn stems(analyzer: &mut TextAnalyzer, word: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(word);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use tantivy::Index;
    use tantivy::schema::Schema;

    use super::super::test_bank::{ids, indexed, search};
    use super::stems;
    use crate::bank::Difficulty;

    #[test]
    fn english_stemming_folds_word_forms() {
        let index = Index::create_in_ram(Schema::builder().build());
        let mut analyzer = index.tokenizers().get("en_stem").expect("en_stem");
        assert_eq!(
            stems(&mut analyzer, "decorators"),
            stems(&mut analyzer, "decorator")
        );
        assert_eq!(
            stems(&mut analyzer, "Generators"),
            stems(&mut analyzer, "generator")
        );
        assert_eq!(stems(&mut analyzer, "GIL"), ["gil"]);
    }

    #[test]
    fn a_misspelt_word_matches_its_likeliest_spelling_and_says_so() {
        let (bank, index) = indexed();
        let results = search(&bank, &index, "decorater", |_| {});
        assert_eq!(ids(&results), [1, 2, 4]);
        assert_eq!(
            results.corrections,
            [("decorater".to_string(), "decorator".to_string())]
        );
        let exact = search(&bank, &index, "decorator", |_| {});
        assert_eq!(ids(&exact), [1, 2, 4]);
        assert!(exact.corrections.is_empty());
        assert!(
            results.hits[0].score < exact.hits[0].score,
            "a corrected word counts less than the word itself"
        );
    }

    #[test]
    fn words_too_short_to_correct_match_only_as_typed() {
        let (bank, index) = indexed();
        let results = search(&bank, &index, "lok", |_| {});
        assert_eq!(results.total, 0);
        assert!(results.corrections.is_empty() && results.did_you_mean.is_empty());
    }

    #[test]
    fn any_word_may_match_and_word_forms_fold() {
        let (bank, index) = indexed();
        assert_eq!(
            ids(&search(&bank, &index, "generators lock", |_| {})),
            [2, 3, 4]
        );
    }

    #[test]
    fn a_phrase_matches_its_words_in_order_and_must_match() {
        let (bank, index) = indexed();
        assert_eq!(
            ids(&search(&bank, &index, "\"interpreter lock\"", |_| {})),
            [3]
        );
        assert_eq!(
            search(&bank, &index, "\"lock interpreter\"", |_| {}).total,
            0
        );
        assert_eq!(
            ids(&search(
                &bank,
                &index,
                "\"interpreter lock\" generator",
                |_| {}
            )),
            [3],
            "beside a phrase, words only rank"
        );
    }

    #[test]
    fn a_phrase_that_matches_nothing_suggests_close_words() {
        let (bank, index) = indexed();
        let results = search(&bank, &index, "\"global interpretr\"", |_| {});
        assert_eq!(results.total, 0);
        assert!(
            results.did_you_mean.contains(&"interpreter".to_string()),
            "{:?}",
            results.did_you_mean
        );
    }

    #[test]
    fn filters_narrow_without_changing_the_ranking() {
        let (bank, index) = indexed();
        let medium = search(&bank, &index, "decorator", |r| {
            r.difficulty = Some(Difficulty::Medium)
        });
        assert_eq!(ids(&medium), [2, 4]);
        let internals = search(&bank, &index, "decorator", |r| {
            r.category = Some("internals")
        });
        assert_eq!(internals.total, 0);
        let python = search(&bank, &index, "decorator", |r| r.category = Some("python"));
        let all = search(&bank, &index, "decorator", |_| {});
        assert_eq!(python.hits, all.hits, "a filter adds nothing to a score");
    }
}
