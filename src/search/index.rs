//! The search index: one tantivy document per question (see [`super::schema`]), built in RAM at
//! start-up, searched through the query compiler, with highlighted snippets and recent results
//! kept.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, FilterCollector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::directory::RamDirectory;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, TantivyDocument};

use super::cache::RecentResults;
use super::compile::{Compiled, Compiler};
use super::query::{MAX_TERMS, UserQuery};
use super::schema::{FACET, Facet, Fields};
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
    /// How many questions each filter choice would leave.
    pub facets: Facets,
}

/// How many questions match in each category and at each difficulty: what choosing it would
/// leave, the other filter kept. Empty for an empty query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    /// Each category's slug, in the bank's order, and its matches at the chosen difficulty.
    pub categories: Vec<(String, usize)>,
    /// Each difficulty and its matches in the chosen category.
    pub difficulties: Vec<(Difficulty, usize)>,
}

impl Facets {
    /// Matches in the category `slug` at the chosen difficulty.
    pub fn category(&self, slug: &str) -> Option<usize> {
        self.categories
            .iter()
            .find(|(s, _)| s == slug)
            .map(|&(_, n)| n)
    }

    /// Matches at `difficulty` in the chosen category.
    pub fn difficulty(&self, difficulty: Difficulty) -> Option<usize> {
        self.difficulties
            .iter()
            .find(|(d, _)| *d == difficulty)
            .map(|&(_, n)| n)
    }

    /// Matches in every category at the chosen difficulty; `None` for an empty query.
    pub fn any_category(&self) -> Option<usize> {
        (!self.categories.is_empty()).then(|| self.categories.iter().map(|(_, n)| n).sum())
    }

    /// Matches at every difficulty in the chosen category; `None` for an empty query.
    pub fn any_difficulty(&self) -> Option<usize> {
        (!self.difficulties.is_empty()).then(|| self.difficulties.iter().map(|(_, n)| n).sum())
    }
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
    /// The bank's category slugs, in order: what [`Facet::category`] counts.
    categories: Vec<String>,
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
            categories: bank.categories().iter().map(|c| c.slug.clone()).collect(),
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
        // One pass over the matches ranks those the filters keep and counts every one by
        // category and difficulty.
        let chosen = Chosen {
            category: request
                .category
                .map(|slug| self.categories.iter().position(|c| c == slug)),
            difficulty: request
                .difficulty
                .map(|d| Difficulty::ALL.iter().position(|&all| all == d)),
        };
        let top_kept = FilterCollector::new(
            FACET.to_string(),
            move |value: u64| chosen.keeps(Facet::of(value)),
            TopDocs::with_limit(PAGE_SIZE)
                .and_offset(offset)
                .order_by_score(),
        );
        let tally = Tally {
            slots: self.categories.len() * Difficulty::ALL.len(),
        };
        let (top, counts) = searcher.search(&*query, &(top_kept, tally))?;
        let mut facets = Facets {
            categories: self.categories.iter().map(|c| (c.clone(), 0)).collect(),
            difficulties: Difficulty::ALL.iter().map(|&d| (d, 0)).collect(),
        };
        let mut total = 0;
        for (value, &count) in counts.iter().enumerate() {
            let facet = Facet::of(value as u64);
            let in_category = chosen.in_category(facet);
            let at_difficulty = chosen.at_difficulty(facet);
            if at_difficulty && let Some(slot) = facets.categories.get_mut(facet.category) {
                slot.1 += count;
            }
            if in_category && let Some(slot) = facets.difficulties.get_mut(facet.difficulty) {
                slot.1 += count;
            }
            if in_category && at_difficulty {
                total += count;
            }
        }
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
            facets,
        })
    }
}

/// The filters a search asks for, as places among the categories and difficulties: `None` for
/// no filter, `Some(None)` for a slug or difficulty the index does not have (which keeps nothing).
#[derive(Debug, Clone, Copy)]
struct Chosen {
    category: Option<Option<usize>>,
    difficulty: Option<Option<usize>>,
}

impl Chosen {
    fn in_category(self, facet: Facet) -> bool {
        self.category.is_none_or(|c| c == Some(facet.category))
    }

    fn at_difficulty(self, facet: Facet) -> bool {
        self.difficulty.is_none_or(|d| d == Some(facet.difficulty))
    }

    /// Whether a question with `facet` is among the results the filters leave.
    fn keeps(self, facet: Facet) -> bool {
        self.in_category(facet) && self.at_difficulty(facet)
    }
}

/// Counts matches by their [`Fields::facet`] value, the values below `slots`.
struct Tally {
    slots: usize,
}

impl Collector for Tally {
    type Fruit = Vec<usize>;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        Ok(SegmentTally {
            column: reader.fast_fields().u64(FACET)?,
            counts: vec![0; self.slots],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<usize>>) -> tantivy::Result<Vec<usize>> {
        let mut counts = vec![0; self.slots];
        for segment in segments {
            for (all, count) in counts.iter_mut().zip(segment) {
                *all += count;
            }
        }
        Ok(counts)
    }
}

/// [`Tally`] over one segment.
struct SegmentTally {
    column: Column<u64>,
    counts: Vec<usize>,
}

impl SegmentCollector for SegmentTally {
    type Fruit = Vec<usize>;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        if let Some(slot) = self
            .column
            .first(doc)
            .and_then(|value| usize::try_from(value).ok())
            .and_then(|value| self.counts.get_mut(value))
        {
            *slot += 1;
        }
    }

    fn harvest(self) -> Vec<usize> {
        self.counts
    }
}
