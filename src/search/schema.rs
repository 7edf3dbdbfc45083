//! What the index holds: one document per question, its text in fields weighted by how much a
//! match in each says about the question, and the category and difficulty to filter on.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};

use tantivy::tokenizer::TextAnalyzer;

use super::subject;
use crate::bank::{Bank, CodeBlock, Difficulty, Question};

/// The name of the fast field [`Fields::facet`].
pub(super) const FACET: &str = "facet";

/// A value of [`Fields::facet`] taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Facet {
    /// The category's place among the bank's categories.
    pub category: usize,
    /// The difficulty's place in [`Difficulty::ALL`].
    pub difficulty: usize,
}

impl Facet {
    pub(super) fn of(value: u64) -> Facet {
        let value = usize::try_from(value).unwrap_or(usize::MAX);
        Facet {
            category: value / Difficulty::ALL.len(),
            difficulty: value % Difficulty::ALL.len(),
        }
    }
}

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

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub id: Field,
    pub title: Field,
    pub summary: Field,
    pub tags: Field,
    pub key_points: Field,
    pub body: Field,
    pub follow_ups: Field,
    pub code: Field,
    pub category: Field,
    /// Every prose word unstemmed: the vocabulary typos are corrected against.
    pub words: Field,
    /// What the title says the question is about (see [`super::subject`]), each subject one
    /// exact term of stems.
    pub subject: Field,
    /// The question's category and difficulty as one number (see [`Fields::facet_of`]), read
    /// per matching question to count what each filter would leave.
    pub facet: Field,
}

impl Fields {
    /// The schema of the index and its fields. Prose is stemmed by the `en_stem` analyzer;
    /// `words` keeps each word as typed, lowercased.
    pub(super) fn schema() -> (Schema, Fields) {
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
            subject: schema.add_text_field("subject", STRING),
            facet: schema.add_u64_field(FACET, FAST),
        };
        (schema.build(), fields)
    }

    /// The stemmed fields and their weights.
    pub(super) fn weighted(&self) -> [(Field, f32); 8] {
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
    pub(super) fn phrased(&self) -> [(Field, f32); 5] {
        [
            (self.title, TITLE),
            (self.summary, SUMMARY),
            (self.key_points, KEY_POINTS),
            (self.body, BODY),
            (self.follow_ups, FOLLOW_UPS),
        ]
    }

    /// A question's category (its place among the bank's) and difficulty as one number:
    /// `category * 3 + difficulty`, see [`Facet`].
    pub(super) fn facet_of(bank: &Bank, q: &Question) -> u64 {
        let category = bank
            .categories()
            .iter()
            .position(|c| c.slug == q.category)
            .unwrap_or(bank.categories().len());
        let difficulty = Difficulty::ALL
            .iter()
            .position(|&d| d == q.difficulty)
            .unwrap_or(0);
        (category * Difficulty::ALL.len() + difficulty) as u64
    }

    /// The index document of a question; `stemmer` stems its subjects as the query's words are.
    pub(super) fn document(
        &self,
        bank: &Bank,
        q: &Question,
        stemmer: &mut TextAnalyzer,
    ) -> TantivyDocument {
        let key_points = q.answer.key_points_text("\n");
        let tags = q.tags.join(" ");
        let category = bank
            .category(&q.category)
            .map_or_else(|| q.category.clone(), |c| format!("{} {}", c.title, c.slug));
        let mut doc = TantivyDocument::default();
        doc.add_u64(self.id, u64::from(q.id));
        doc.add_text(self.title, &q.title);
        doc.add_text(self.summary, &q.summary);
        doc.add_text(self.tags, &tags);
        doc.add_text(self.key_points, &key_points);
        let follow_ups = q.answer.follow_ups_text();
        doc.add_text(self.body, &q.answer.text);
        doc.add_text(self.follow_ups, &follow_ups);
        doc.add_text(self.code, CodeBlock::joined(q.answer.all_code_blocks()));
        doc.add_text(self.category, &category);
        for text in [
            &q.title,
            &q.summary,
            &tags,
            &key_points,
            &q.answer.text,
            &follow_ups,
        ] {
            doc.add_text(self.words, text);
        }
        doc.add_u64(self.facet, Fields::facet_of(bank, q));
        for words in subject::of_title(&q.title) {
            doc.add_text(self.subject, subject::term(stemmer, &words));
        }
        doc
    }
}
