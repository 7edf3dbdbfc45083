//! The search index: one tantivy document per question (see [`super::schema`]), built in RAM at
//! start-up, searched through the query compiler, with highlighted snippets and recent results
//! kept.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::RamDirectory;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, TantivyDocument};

use super::cache::RecentResults;
use super::compile::{Compiled, Compiler};
use super::query::{MAX_TERMS, UserQuery};
use super::schema::Fields;
use super::snippets::Snippets;
use super::stems::KnownStems;
use super::typos::{Typos, did_you_mean, vocabulary};
use crate::bank::{Bank, Difficulty};

/// Results per page.
pub const PAGE_SIZE: usize = 10;

/// Memory for building the index: tantivy's least, and more for a larger bank up to a most,
/// beyond which it splits the bank into several segments. The writer fills (and so holds) a
/// good part of what it is given whatever the bank, so a small bank is given little.
fn writer_memory(questions: usize) -> usize {
    // tantivy refuses less than 15 MB.
    const LEAST: usize = 15_000_000;
    const PER_QUESTION: usize = 4 * 1024;
    const MOST: usize = 64 * 1024 * 1024;
    questions.saturating_mul(PER_QUESTION).clamp(LEAST, MOST)
}

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
    /// What was left out to keep the search within its bounds.
    pub cutoffs: Cutoffs,
}

/// What a search left out to stay within its bounds, for the results page to say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cutoffs {
    /// The query had more words than are searched; this many were.
    pub searched_words: Option<usize>,
    /// More words could have had their spelling corrected; this many did.
    pub corrected_words: Option<usize>,
}

/// The bank's questions, indexed for search.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    stemmer: TextAnalyzer,
    directory: RamDirectory,
    /// The bank's synonyms, each target split into its words.
    synonyms: HashMap<String, Vec<Vec<String>>>,
    recent: RecentResults,
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
        let (schema, fields) = Fields::schema();
        let directory = RamDirectory::create();
        let index = Index::create(directory.clone(), schema, IndexSettings::default())?;
        // Stems as tantivy's own `en_stem` does, but each word of the bank once, not at each
        // use (see `KnownStems`).
        index
            .tokenizers()
            .register("en_stem", KnownStems::of([]).analyzer());
        let mut writer =
            index.writer_with_num_threads::<TantivyDocument>(1, writer_memory(bank.len()))?;
        let mut stemmer = KnownStems::of([]).analyzer();
        for question in bank.questions() {
            writer.add_document(fields.document(bank, question, &mut stemmer))?;
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
            recent: RecentResults::new(),
        })
    }

    /// Bytes the index occupies in memory.
    pub fn memory_bytes(&self) -> usize {
        self.directory.total_mem_usage()
    }

    /// Runs a search, or finds its results among the recent ones. `bank` must be the bank the
    /// index was built from (snippets come from it).
    pub fn search(&self, bank: &Bank, request: &Request<'_>) -> Result<Arc<Results>, SearchError> {
        self.recent
            .get_or_search(request, || self.search_uncached(bank, request))
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
        let mut typos = Typos::new(&searcher, self.fields.words);
        let Compiled {
            query,
            corrections,
            searched_words,
            stems,
        } = Compiler {
            searcher: &searcher,
            fields: &self.fields,
            stemmer: self.stemmer.clone(),
            synonyms: &self.synonyms,
            typos: &mut typos,
        }
        .compile(request)?;
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
        let mut snippets = Snippets::new(self.stemmer.clone(), &stems);
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
            did_you_mean(&mut typos, request.query)?
        } else {
            Vec::new()
        };
        Ok(Results {
            total,
            hits,
            corrections,
            did_you_mean,
            cutoffs: Cutoffs {
                searched_words: searched_words
                    .or_else(|| request.query.left_out.then_some(MAX_TERMS)),
                corrected_words: typos.corrected_only(),
            },
        })
    }
}
