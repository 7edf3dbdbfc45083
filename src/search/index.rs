//! The search index: one tantivy document per question, English stemming, weighted fields, typo
//! tolerance through the index's own vocabulary, and highlighted snippets.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::RamDirectory;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::query::UserQuery;
use super::stems::KnownStems;
use crate::bank::{Bank, CodeBlock, Difficulty, Question};

/// Results per page.
pub const PAGE_SIZE: usize = 10;

/// How much a match in each field counts. The title says what a question is about; code is
/// full of incidental words, so it counts least.
const TITLE: f32 = 5.0;
const TAGS: f32 = 3.0;
const SUMMARY: f32 = 2.0;
const KEY_POINTS: f32 = 1.5;
const CATEGORY: f32 = 1.0;
const BODY: f32 = 1.0;
/// Follow-ups are about the next question, not this one: below the answer, above code.
const FOLLOW_UPS: f32 = 0.6;
const CODE: f32 = 0.3;
/// A word reached through `synonyms.toml` counts nearly as much as the word itself.
const SYNONYM: f32 = 0.9;
/// A word reached only through a typo correction counts this much of an exact one.
const FUZZY: f32 = 0.4;
/// A word found in at most this many questions is worth checking for a likelier spelling...
const RARE: u64 = 1;
/// ...which is used when a close word is found in at least this many.
const COMMON: u64 = 3;
/// Most spellings one typo is expanded to.
const MAX_NEIGHBOURS: usize = 8;
/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// Memory for building the index; tantivy splits larger banks into several segments.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// Searches whose results are kept, the most recently used first. A page of results is small
/// (docs/PERFORMANCE.md has its size), so the cache stays a small part of the index's memory.
const CACHED_SEARCHES: usize = 1024;

/// A failure inside the search engine (not a bad query: those cannot fail).
#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

/// What to search for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The parsed query.
    pub query: &'a UserQuery,
    /// Only questions of this category slug.
    pub category: Option<&'a str>,
    /// Only questions of this difficulty.
    pub difficulty: Option<Difficulty>,
    /// 1-based page of results.
    pub page: usize,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The question's id.
    pub id: u32,
    /// Relevance; higher is better.
    pub score: f32,
    /// The best-matching passage as HTML: escaped text with matches in `<mark>`.
    pub snippet_html: String,
}

/// A page of results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// How many questions match in all.
    pub total: usize,
    /// This page's results, best first.
    pub hits: Vec<Hit>,
    /// Misspelt words and the spelling whose matches were included, e.g. `decorater` →
    /// `decorator`.
    pub corrections: Vec<(String, String)>,
    /// When nothing matches: indexed words close to the ones typed.
    pub did_you_mean: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    summary: Field,
    tags: Field,
    key_points: Field,
    body: Field,
    follow_ups: Field,
    code: Field,
    category: Field,
    /// Every prose word unstemmed: the vocabulary typos are corrected against.
    words: Field,
    category_slug: Field,
    difficulty: Field,
}

impl Fields {
    /// The stemmed fields and their weights.
    fn weighted(&self) -> [(Field, f32); 8] {
        [
            (self.title, TITLE),
            (self.tags, TAGS),
            (self.summary, SUMMARY),
            (self.key_points, KEY_POINTS),
            (self.category, CATEGORY),
            (self.body, BODY),
            (self.follow_ups, FOLLOW_UPS),
            (self.code, CODE),
        ]
    }

    /// The fields a quoted phrase is looked for in.
    fn phrased(&self) -> [(Field, f32); 5] {
        [
            (self.title, TITLE),
            (self.summary, SUMMARY),
            (self.key_points, KEY_POINTS),
            (self.body, BODY),
            (self.follow_ups, FOLLOW_UPS),
        ]
    }
}

/// The bank's questions, indexed for search.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    stemmer: TextAnalyzer,
    directory: RamDirectory,
    /// The bank's synonyms, each target split into its words.
    synonyms: HashMap<String, Vec<Vec<String>>>,
    /// Results of recent searches. People search for the same few things, and the results of a
    /// search depend only on the request and the bank, which never changes under an index.
    recent: quick_cache::sync::Cache<CacheKey, Arc<Results>>,
}

/// A [`Request`], owned, as the results cache's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    query: UserQuery,
    category: Option<String>,
    difficulty: Option<Difficulty>,
    page: usize,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("memory_bytes", &self.memory_bytes())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Indexes every question of the bank.
    pub fn build(bank: &Bank) -> Result<SearchIndex, SearchError> {
        let mut schema = Schema::builder();
        let stemmed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let plain = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("default")
                .set_index_option(IndexRecordOption::Basic),
        );
        let fields = Fields {
            id: schema.add_u64_field("id", INDEXED | FAST),
            title: schema.add_text_field("title", stemmed.clone()),
            summary: schema.add_text_field("summary", stemmed.clone()),
            tags: schema.add_text_field("tags", stemmed.clone()),
            key_points: schema.add_text_field("key_points", stemmed.clone()),
            body: schema.add_text_field("body", stemmed.clone()),
            follow_ups: schema.add_text_field("follow_ups", stemmed.clone()),
            code: schema.add_text_field("code", stemmed.clone()),
            category: schema.add_text_field("category", stemmed),
            words: schema.add_text_field("words", plain),
            category_slug: schema.add_text_field("category_slug", STRING),
            difficulty: schema.add_text_field("difficulty", STRING),
        };
        let directory = RamDirectory::create();
        let index = Index::create(directory.clone(), schema.build(), IndexSettings::default())?;
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
        for question in bank.questions() {
            writer.add_document(document(&fields, bank, question))?;
        }
        writer.commit()?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        // From here on, the stemmed fields' analyzer (which snippets use) looks stems up.
        let vocabulary = vocabulary(&reader.searcher(), fields.words)?;
        let known = KnownStems::of(vocabulary.iter().map(String::as_str));
        index.tokenizers().register("en_stem", known.analyzer());
        let stemmer = known.analyzer();
        let synonyms = bank
            .synonyms()
            .iter()
            .map(|(word, targets)| {
                let split = targets
                    .iter()
                    .map(|t| t.split_whitespace().map(str::to_string).collect())
                    .collect();
                (word.clone(), split)
            })
            .collect();
        Ok(SearchIndex {
            reader,
            fields,
            stemmer,
            directory,
            synonyms,
            recent: quick_cache::sync::Cache::new(CACHED_SEARCHES),
        })
    }

    /// Bytes the index occupies in memory.
    pub fn memory_bytes(&self) -> usize {
        self.directory.total_mem_usage()
    }

    /// Runs a search, or finds its results among the recent ones. `bank` must be the bank the
    /// index was built from (snippets come from it).
    pub fn search(&self, bank: &Bank, request: &Request<'_>) -> Result<Arc<Results>, SearchError> {
        let key = CacheKey {
            query: request.query.clone(),
            category: request.category.map(str::to_string),
            difficulty: request.difficulty,
            page: request.page,
        };
        if let Some(results) = self.recent.get(&key) {
            return Ok(results);
        }
        let results = Arc::new(self.search_uncached(bank, request)?);
        self.recent.insert(key, Arc::clone(&results));
        Ok(results)
    }

    /// Runs a search, whether or not it ran recently (for measuring the engine itself).
    pub fn search_uncached(
        &self,
        bank: &Bank,
        request: &Request<'_>,
    ) -> Result<Results, SearchError> {
        if request.query.is_empty() {
            return Ok(Results::default());
        }
        let searcher = self.reader.searcher();
        let mut stemmer = self.stemmer.clone();
        let (query, corrections) = self.compile(&searcher, &mut stemmer, request)?;
        // A page past the last holds nothing; capping its offset at the number of questions
        // keeps a huge `page` from asking the collector to rank that many.
        let offset = PAGE_SIZE
            .saturating_mul(request.page.saturating_sub(1))
            .min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        let (top, total) = searcher.search(
            &*query,
            &(
                TopDocs::with_limit(PAGE_SIZE)
                    .and_offset(offset)
                    .order_by_score(),
                Count,
            ),
        )?;
        let snippets = Snippets::new(&searcher, &*query, &self.fields)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let ids = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("id")?;
            let Some(id) = ids
                .first(address.doc_id)
                .and_then(|id| u32::try_from(id).ok())
            else {
                continue;
            };
            let Some(question) = bank.question(id) else {
                continue;
            };
            hits.push(Hit {
                id,
                score,
                snippet_html: snippets.best(question),
            });
        }
        let did_you_mean = if total == 0 {
            self.did_you_mean(&searcher, request.query)?
        } else {
            Vec::new()
        };
        Ok(Results {
            total,
            hits,
            corrections,
            did_you_mean,
        })
    }

    /// Builds the tantivy query: filters must match, quoted phrases must match, and at least
    /// one word (or its likeliest spelling) must match.
    #[allow(clippy::type_complexity)]
    fn compile(
        &self,
        searcher: &Searcher,
        stemmer: &mut TextAnalyzer,
        request: &Request<'_>,
    ) -> Result<(Box<dyn Query>, Vec<(String, String)>), SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut corrections = Vec::new();
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &request.query.words {
            let exact = stems(stemmer, word);
            let mut alternatives: Vec<Box<dyn Query>> = self.matching(&exact, 1.0);
            let synonyms = self.synonyms.get(&word.to_lowercase());
            for target in synonyms.into_iter().flatten() {
                match target.as_slice() {
                    [single] => {
                        alternatives.extend(self.matching(&stems(stemmer, single), SYNONYM))
                    }
                    phrase => alternatives.extend(self.phrase(stemmer, phrase, SYNONYM)),
                }
            }
            // A word with synonyms is a word people mean, not a typo to correct.
            let frequency = self.max_doc_freq(searcher, &exact)?;
            if frequency <= RARE && synonyms.is_none() {
                let neighbours = self.neighbours(searcher, word)?;
                let likelier: Vec<&(String, u64)> = neighbours
                    .iter()
                    .filter(|(_, df)| frequency == 0 || *df >= COMMON)
                    .collect();
                if let Some((best, _)) = likelier.first() {
                    corrections.push((word.clone(), best.clone()));
                }
                for (neighbour, _) in likelier {
                    alternatives.extend(self.matching(&stems(stemmer, neighbour), FUZZY));
                }
            }
            if !alternatives.is_empty() {
                let either = DisjunctionMaxQuery::with_tie_breaker(alternatives, 0.1);
                words.push((Occur::Should, Box::new(either)));
            }
        }
        let has_phrases = !request.query.phrases.is_empty();
        for phrase in &request.query.phrases {
            // A phrase with no stems matches nothing, as it did before it was compiled.
            let query = self
                .phrase(stemmer, phrase, 1.0)
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
        if let Some(slug) = request.category {
            clauses.push((Occur::Must, filter(self.fields.category_slug, slug)));
        }
        if let Some(difficulty) = request.difficulty {
            clauses.push((
                Occur::Must,
                filter(self.fields.difficulty, difficulty.as_str()),
            ));
        }
        Ok((Box::new(BooleanQuery::new(clauses)), corrections))
    }

    /// Words in this order, in any of the fields phrases are looked for in; `None` when the
    /// words have no stems.
    fn phrase(
        &self,
        stemmer: &mut TextAnalyzer,
        words: &[String],
        scale: f32,
    ) -> Option<Box<dyn Query>> {
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        for (field, weight) in self.fields.phrased() {
            let terms: Vec<Term> = words
                .iter()
                .flat_map(|w| stems(stemmer, w))
                .map(|stem| Term::from_field_text(field, &stem))
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

    /// In how many questions the most frequent of these stems occurs, in any field.
    fn max_doc_freq(&self, searcher: &Searcher, stems: &[String]) -> Result<u64, SearchError> {
        let mut most = 0;
        for (field, _) in self.fields.weighted() {
            for stem in stems {
                most = most.max(searcher.doc_freq(&Term::from_field_text(field, stem))?);
            }
        }
        Ok(most)
    }

    /// Indexed words within a typo of `word`, most frequent first: one edit for words of 4-7
    /// letters, two for longer ones, none for shorter (too many false friends).
    fn neighbours(
        &self,
        searcher: &Searcher,
        word: &str,
    ) -> Result<Vec<(String, u64)>, SearchError> {
        let distance = match word.chars().count() {
            0..=3 => return Ok(Vec::new()),
            4..=7 => 1,
            _ => 2,
        };
        let fuzzy = FuzzyTermQuery::new(
            Term::from_field_text(self.fields.words, word),
            distance,
            true,
        );
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.words)?;
            let mut stream = inverted
                .terms()
                .search(fuzzy.automaton()?)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key())
                    && term != word
                {
                    *found.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut neighbours: Vec<(String, u64)> = found.into_iter().collect();
        neighbours.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        neighbours.truncate(MAX_NEIGHBOURS);
        Ok(neighbours)
    }

    /// Close indexed words for each typed word that matches nothing, for "did you mean".
    fn did_you_mean(
        &self,
        searcher: &Searcher,
        query: &UserQuery,
    ) -> Result<Vec<String>, SearchError> {
        let mut suggestions = Vec::new();
        for word in query.words.iter().chain(query.phrases.iter().flatten()) {
            for (neighbour, _) in self.neighbours(searcher, word)?.into_iter().take(3) {
                if !suggestions.contains(&neighbour) {
                    suggestions.push(neighbour);
                }
            }
        }
        Ok(suggestions)
    }
}

/// Every term of a field, across segments.
fn vocabulary(searcher: &Searcher, field: Field) -> Result<Vec<String>, SearchError> {
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

/// The index document of a question.
fn document(fields: &Fields, bank: &Bank, q: &Question) -> TantivyDocument {
    let key_points = q.answer.key_points_text("\n");
    let tags = q.tags.join(" ");
    let category = bank
        .category(&q.category)
        .map_or_else(|| q.category.clone(), |c| format!("{} {}", c.title, c.slug));
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.id, u64::from(q.id));
    doc.add_text(fields.title, &q.title);
    doc.add_text(fields.summary, &q.summary);
    doc.add_text(fields.tags, &tags);
    doc.add_text(fields.key_points, &key_points);
    let follow_ups = q.answer.follow_ups_text();
    doc.add_text(fields.body, &q.answer.text);
    doc.add_text(fields.follow_ups, &follow_ups);
    doc.add_text(fields.code, CodeBlock::joined(q.answer.all_code_blocks()));
    doc.add_text(fields.category, &category);
    for text in [
        &q.title,
        &q.summary,
        &tags,
        &key_points,
        &q.answer.text,
        &follow_ups,
    ] {
        doc.add_text(fields.words, text);
    }
    doc.add_text(fields.category_slug, &q.category);
    doc.add_text(fields.difficulty, q.difficulty.as_str());
    doc
}

/// A filter clause: matches exactly, adds nothing to the score.
fn filter(field: Field, value: &str) -> Box<dyn Query> {
    let term = TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    );
    Box::new(BoostQuery::new(Box::new(term), 0.0))
}

/// The stems the English analyzer makes of a word (usually one).
fn stems(analyzer: &mut TextAnalyzer, word: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(word);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Snippet makers for the fields a passage can come from, best source first.
struct Snippets {
    body: SnippetGenerator,
    key_points: SnippetGenerator,
    follow_ups: SnippetGenerator,
    summary: SnippetGenerator,
}

impl Snippets {
    fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
    ) -> Result<Snippets, SearchError> {
        let make = |field| -> Result<SnippetGenerator, SearchError> {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Ok(generator)
        };
        Ok(Snippets {
            body: make(fields.body)?,
            key_points: make(fields.key_points)?,
            follow_ups: make(fields.follow_ups)?,
            summary: make(fields.summary)?,
        })
    }

    /// The first passage with a match among body, key points, follow-ups and summary; the
    /// summary if none.
    fn best(&self, q: &Question) -> String {
        let key_points = q.answer.key_points_text(" · ");
        let follow_ups = q.answer.follow_ups_text();
        let sources = [
            (&self.body, q.answer.text.as_str()),
            (&self.key_points, key_points.as_str()),
            (&self.follow_ups, follow_ups.as_str()),
            (&self.summary, q.summary.as_str()),
        ];
        for (generator, text) in sources {
            let mut snippet = generator.snippet(text);
            if !snippet.highlighted().is_empty() {
                snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                return snippet.to_html();
            }
        }
        let mut plain = String::new();
        // Writing into a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut plain, &q.summary);
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
