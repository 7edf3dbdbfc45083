//! The site's URLs for bank items, in one place so templates, redirects and tests agree.

use crate::bank::{Category, Difficulty, Question};

/// Things that have a page of their own.
pub trait Paths {
    /// The canonical path of the item's page.
    fn path(&self) -> String;
}

impl Paths for Question {
    fn path(&self) -> String {
        format!("/questions/{}/{}", self.id, self.slug)
    }
}

impl Paths for Category {
    fn path(&self) -> String {
        format!("/categories/{}", self.slug)
    }
}

/// A category's page showing only questions of `difficulty` (all of them when `None`).
pub fn category_filter_path(category: &Category, difficulty: Option<Difficulty>) -> String {
    match difficulty {
        Some(d) => format!("{}?difficulty={}", category.path(), d.as_str()),
        None => category.path(),
    }
}

/// A question's page in study mode, walking its category's questions of `difficulty` (all of
/// them when `None`).
pub fn study_path(question: &Question, difficulty: Option<Difficulty>) -> String {
    match difficulty {
        Some(d) => format!("{}?study=1&difficulty={}", question.path(), d.as_str()),
        None => format!("{}?study=1", question.path()),
    }
}

/// The path of a tag's page (tags are validated slugs, safe in a URL as they are).
pub fn tag_path(tag: &str) -> String {
    format!("/tags/{tag}")
}

/// A deck of questions to study in another program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deck {
    /// An Anki package (`.apkg`).
    Anki,
    /// A CSV table.
    Csv,
}

impl Deck {
    /// Every kind of deck.
    pub const ALL: [Deck; 2] = [Deck::Anki, Deck::Csv];

    /// The file extension, which is also the end of the deck's path.
    pub fn extension(self) -> &'static str {
        match self {
            Deck::Anki => "apkg",
            Deck::Csv => "csv",
        }
    }

    /// The name a download is saved under: `drillbook.apkg` for every question,
    /// `drillbook-{slug}.apkg` for a category's, so the two do not overwrite each other.
    pub fn file_name(self, category: Option<&Category>) -> String {
        match category {
            Some(c) => format!("drillbook-{}.{}", c.slug, self.extension()),
            None => format!("drillbook.{}", self.extension()),
        }
    }
}

/// The path of a deck of every question, or of `category`'s (category slugs are validated, safe
/// in a URL as they are).
pub fn deck_path(deck: Deck, category: Option<&Category>) -> String {
    match category {
        Some(c) => format!("/export/drillbook.{}?category={}", deck.extension(), c.slug),
        None => format!("/export/drillbook.{}", deck.extension()),
    }
}
